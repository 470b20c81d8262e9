"""gluon.rnn layers RNN, LSTM, GRU: forward against a NumPy loop and against values recorded
from MXNet 1.9.1, parameter names and shapes, reprs, call forms, deferred init, gradients."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, init, np
from mxnp.gluon import nn, rnn
from mxnp.testing import assert_allclose, check_grads

LAYERS = {"rnn_relu": lambda **k: rnn.RNN(activation="relu", **k),
          "rnn_tanh": lambda **k: rnn.RNN(activation="tanh", **k),
          "lstm": lambda **k: rnn.LSTM(**k), "gru": lambda **k: rnn.GRU(**k)}


# ---- the reference: a NumPy loop over layers, directions and steps, reading the Parameters ---
def sig(x):
    return 1 / (1 + onp.exp(-x))


def ref_step(mode, x, h, c, w):
    """One step of one direction; ``w`` holds i2h/h2h weights and biases (and h2r)."""
    gi = x @ w["i2h_weight"].T + w["i2h_bias"]
    gh = h @ w["h2h_weight"].T + w["h2h_bias"]
    if mode in ("rnn_tanh", "rnn_relu"):
        h = onp.tanh(gi + gh) if mode == "rnn_tanh" else onp.maximum(gi + gh, 0)
        return h, c
    if mode == "gru":
        (xr, xz, xn), (hr, hz, hn) = onp.split(gi, 3, axis=-1), onp.split(gh, 3, axis=-1)
        r, z = sig(xr + hr), sig(xz + hz)
        return (1 - z) * onp.tanh(xn + r * hn) + z * h, c
    i, f, g, o = onp.split(gi + gh, 4, axis=-1)
    c = sig(f) * c + sig(i) * onp.tanh(g)
    h = sig(o) * onp.tanh(c)
    return (h @ w["h2r_weight"].T if "h2r_weight" in w else h), c


def ref_layer(layer, mode, x, h0, c0=None, layers=2, dirs=1):
    """Output (T, N, D*H) and final h, c of a TNC input, from the layer's own Parameters."""
    params = {k[len(layer.prefix):]: v.data().asnumpy() for k, v in
              layer.collect_params().items()}
    hs, cs = [], []
    for k in range(layers):
        outs = []
        for d in range(dirs):
            w = {n: params[f"{'lr'[d]}{k}_{n}"] for n in
                 ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias", "h2r_weight")
                 if f"{'lr'[d]}{k}_{n}" in params}
            h, c = h0[k * dirs + d], None if c0 is None else c0[k * dirs + d]
            ys = [None] * x.shape[0]
            for t in (range(x.shape[0]) if d == 0 else reversed(range(x.shape[0]))):
                h, c = ref_step(mode, x[t], h, c, w)
                ys[t] = h
            outs.append(onp.stack(ys))
            hs.append(h)
            cs.append(c)
        x = onp.concatenate(outs, axis=-1)
    return x, onp.stack(hs), (None if c0 is None else onp.stack(cs))


def set_sine_params(block):
    """Deterministic values, in the order MXNet's recording used (sorted full names)."""
    for i, (_, p) in enumerate(sorted(block.collect_params().items())):
        n = int(onp.prod(p.shape))
        p.set_data(np.array(onp.sin(onp.arange(n) * 0.7 + i).reshape(p.shape) * 0.5,
                            dtype="float32"))


def sine_input():
    return np.array(onp.cos(onp.arange(12) * 0.3).reshape(2, 3, 2), dtype="float32")


# MXNet 1.9.1 (mxref): set_sine_params on 2-layer bidirectional LSTM(2), 2-layer GRU(2) and
# bidirectional RNN(2) (relu), all NTC with input_size=2, fed sine_input() and begin_state(2)
LSTM_OUT = [[[0.04502, 0.10941, -0.09053, -0.08099], [0.0666, 0.16319, -0.07552, -0.06063],
             [0.09461, 0.17357, -0.04773, -0.0381]],
            [[0.10958, 0.05838, -0.05157, -0.18819], [0.17602, 0.07243, -0.04376, -0.14295],
             [0.20953, 0.0723, -0.02934, -0.08032]]]
LSTM_STATES = [[[[-0.06553, -0.30597], [-0.3563, 0.01936]],
                [[-0.40966, -0.20365], [0.06778, 0.04377]], [[0.09461, 0.17357], [0.20953, 0.0723]],
                [[-0.09053, -0.08099], [-0.05157, -0.18819]]],
               [[[-0.183, -0.71196], [-0.77186, 0.05401]],
                [[-0.58837, -0.27293], [0.14198, 0.07567]],
                [[0.16443, 0.45438], [0.36234, 0.17533]],
                [[-0.32423, -0.16586], [-0.14142, -0.50201]]]]
GRU_OUT = [[[0.1332, 0.02444], [0.16341, -0.00409], [0.1684, -0.05579]],
           [[0.1529, 0.00535], [0.23183, -0.01412], [0.28016, -0.03996]]]
GRU_STATES = [[[[-0.15932, -0.48633], [-0.47658, 0.07028]],
               [[0.1684, -0.05579], [0.28016, -0.03996]]]]
RNN_OUT = [[[0.27212, 0.0, 0.21108, 0.34193], [0.4627, 0.0, 0.06014, 0.15431],
            [0.65615, 0.48691, 0.0, 0.0]],
           [[0.57236, 0.8776, 0.0, 0.0], [1.31808, 1.5167, 0.0, 0.0], [1.95299, 1.94064, 0.0, 0.0]]]
RNN_STATES = [[[[0.65615, 0.48691], [1.95299, 1.94064]], [[0.21108, 0.34193], [0.0, 0.0]]]]


# ---- forward ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", sorted(LAYERS))
@pytest.mark.parametrize("layout", ["TNC", "NTC"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_layer_forward_matches_numpy_loop(mode, layout, bidirectional):
    dirs = 2 if bidirectional else 1
    layer = LAYERS[mode](hidden_size=2, num_layers=2, layout=layout,
                         bidirectional=bidirectional)
    layer.initialize(init.Uniform(0.6))
    x_tnc = onp.random.default_rng(0).uniform(-1, 1, (3, 2, 3)).astype("float32")
    states = [np.random.uniform(-1, 1, size=(2 * dirs, 2, 2)) for _ in
              range(2 if mode == "lstm" else 1)]
    x = np.array(x_tnc if layout == "TNC" else x_tnc.transpose(1, 0, 2))
    out, new_states = layer(x, states)
    c0 = states[1].asnumpy() if mode == "lstm" else None
    ref_out, ref_h, ref_c = ref_layer(layer, mode, x_tnc, states[0].asnumpy(), c0, 2, dirs)
    if layout == "NTC":
        ref_out = ref_out.transpose(1, 0, 2)
    assert out.shape == ref_out.shape and out.dtype == onp.float32
    assert_allclose(out, ref_out, rtol=1e-5, atol=1e-6)
    assert isinstance(new_states, list) and len(new_states) == len(states)
    assert_allclose(new_states[0], ref_h, rtol=1e-5, atol=1e-6)
    if mode == "lstm":
        assert_allclose(new_states[1], ref_c, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, make, expected", [
    ("lstm", lambda: rnn.LSTM(2, num_layers=2, bidirectional=True, layout="NTC", input_size=2),
     (LSTM_OUT, LSTM_STATES)),
    ("gru", lambda: rnn.GRU(2, num_layers=2, layout="NTC", input_size=2), (GRU_OUT, GRU_STATES)),
    ("rnn", lambda: rnn.RNN(2, bidirectional=True, layout="NTC", input_size=2),
     (RNN_OUT, RNN_STATES)),
])
def test_layer_values_match_mxnet(name, make, expected):
    layer = make()
    layer.initialize()
    set_sine_params(layer)
    out, states = layer(sine_input(), layer.begin_state(2))
    assert_allclose(out, onp.array(expected[0]), atol=2e-5)
    assert_allclose(states, [onp.array(s) for s in expected[1]], atol=2e-5)


def test_equations_of_the_reference_probes():
    # MXNet 1.9.1 (mxref): LSTM c = 9.535414, h = 0.9820138; GRU h = 1.8807967; RNN relu [1, 1]
    lstm = rnn.LSTM(1, input_size=1)
    lstm.initialize(init.Zero())
    lstm.l0_i2h_bias.set_data(np.array([1.0, 2, 3, 4]))
    _, (h, c) = lstm(np.zeros((1, 1, 1)), [np.zeros((1, 1, 1)), np.full((1, 1, 1), 10.0)])
    assert_allclose(c, [[[9.535414]]], rtol=1e-6)
    assert_allclose(h, [[[0.9820138]]], rtol=1e-6)
    gru = rnn.GRU(1, input_size=1)
    gru.initialize(init.Zero())
    gru.l0_i2h_bias.set_data(np.array([1.0, 2, 3]))
    gru.l0_h2h_bias.set_data(np.array([0.0, 0, 5]))
    _, (h,) = gru(np.zeros((1, 1, 1)), np.full((1, 1, 1), 2.0, dtype="float32"))
    assert_allclose(h, [[[1.8807967]]], rtol=1e-6)
    relu = rnn.RNN(2, input_size=1)  # relu is the layer's default activation (the cell's: tanh)
    relu.initialize(init.One())
    assert_allclose(relu(np.ones((1, 1, 1))), [[[1.0, 1.0]]])


def test_projection_and_state_clip_match_numpy_loop():
    layer = rnn.LSTM(3, num_layers=2, projection_size=2, input_size=2)
    layer.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(3, 2, 2))
    h0, c0 = layer.begin_state(2)
    assert h0.shape == (2, 2, 2) and c0.shape == (2, 2, 3)
    out, (h, c) = layer(x, [h0, c0])
    ref_out, ref_h, ref_c = ref_layer(layer, "lstm", x.asnumpy(), h0.asnumpy(), c0.asnumpy())
    assert_allclose(out, ref_out, rtol=1e-5, atol=1e-6)
    assert_allclose(h, ref_h, rtol=1e-5, atol=1e-6)
    assert_allclose(c, ref_c, rtol=1e-5, atol=1e-6)
    clipped = rnn.LSTM(2, input_size=1, state_clip_min=-0.1, state_clip_max=0.1,
                       i2h_bias_initializer=init.Constant(5.0))
    clipped.initialize(init.One())
    _, (_, c) = clipped(np.ones((3, 1, 1)), clipped.begin_state(1))
    assert_allclose(c, onp.full((1, 1, 2), 0.1), rtol=1e-6)


def test_sequence_length_stops_each_sequence_at_its_end():
    layer = rnn.GRU(2, input_size=2, bidirectional=True, use_sequence_length=True)
    layer.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(3, 2, 2))
    out, (h,) = layer(x, layer.begin_state(2), np.array([2.0, 3.0]))
    alone, (h_alone,) = layer(x[:2, :1], layer.begin_state(1), np.array([2.0]))
    assert_allclose(out[:2, :1], alone, rtol=1e-5)
    assert_allclose(out[2, 0], onp.zeros(4))
    assert_allclose(h[:, :1], h_alone, rtol=1e-5)


def test_dropout_acts_between_layers_in_training_only():
    # MXNet 1.9.1's CPU kernel ignores dropout, state clipping and sequence lengths (mxref: the
    # recorded and predicted outputs differ by 7e-9); npx.rnn applies them, as cuDNN does
    layer = rnn.LSTM(4, num_layers=2, dropout=0.5, input_size=3)
    plain = rnn.LSTM(4, num_layers=2, input_size=3, params=layer.collect_params())
    layer.initialize(init.Uniform(0.6))
    x = np.random.uniform(size=(3, 2, 3))
    assert_allclose(layer(x), plain(x))
    with autograd.record():
        trained = layer(x)
    assert onp.abs((trained - plain(x)).asnumpy()).max() > 1e-4


@pytest.mark.parametrize("mode", sorted(LAYERS))
def test_hybridized_dropout_redraws_and_matches_eager(mode):
    layer = LAYERS[mode](hidden_size=4, num_layers=3, dropout=0.4, bidirectional=True,
                         input_size=3)
    layer.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(5, 2, 3))

    def step(seed):
        np.random.seed(seed)
        with autograd.record():
            out = layer(x)
            (out * out).sum().backward()
        return out.asnumpy(), [p.grad().asnumpy().copy() for p in
                               layer.collect_params().values()]

    eager = step(3)
    layer.hybridize()
    step(4)  # the traced call
    first, again = step(3), step(5)
    assert onp.abs(first[0] - again[0]).max() > 1e-4  # a replay draws new masks
    assert_allclose(first[0], eager[0], rtol=1e-6, atol=1e-7)
    for got, want in zip(first[1], eager[1], strict=True):
        assert_allclose(got, want, rtol=1e-5, atol=1e-6)


# ---- parameters, names, reprs -----------------------------------------------------------------
def suffixes(block):
    return [(k[len(block.prefix):], v.shape) for k, v in block.collect_params().items()]


def test_parameter_names_shapes_and_inits_match_mxnet():
    # MXNet 1.9.1 (mxref)
    lstm = rnn.LSTM(4)
    assert lstm.name.startswith("lstm")
    assert suffixes(lstm) == [("l0_i2h_weight", (16, -1)), ("l0_h2h_weight", (16, 4)),
                              ("l0_i2h_bias", (16,)), ("l0_h2h_bias", (16,))]
    lstm.initialize()
    lstm(np.ones((2, 1, 3)))
    assert lstm.l0_i2h_weight.shape == (16, 3)
    gru = rnn.GRU(4, num_layers=2)
    gru.initialize()
    gru(np.ones((2, 1, 3)))
    assert [s for _, s in suffixes(gru)] == [(12, 3), (12, 4), (12,), (12,), (12, 4), (12, 4),
                                            (12,), (12,)]
    bi = rnn.RNN(2, bidirectional=True, input_size=3)
    assert [n for n, _ in suffixes(bi)] == [f"{d}0_{n}" for d in "lr" for n in
                                            ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")]
    assert [p.init for p in bi.collect_params().values()] == [None, None, "zeros", "zeros"] * 2
    proj = rnn.LSTM(4, projection_size=2, input_size=3, bidirectional=True)
    assert suffixes(proj)[:5] == [("l0_i2h_weight", (16, 3)), ("l0_h2h_weight", (16, 2)),
                                  ("l0_i2h_bias", (16,)), ("l0_h2h_bias", (16,)),
                                  ("l0_h2r_weight", (2, 4))]
    assert suffixes(proj)[5][0] == "r0_i2h_weight"


def test_structural_keys_match_mxnet_and_save_load_round_trips(tmp_path):
    # MXNet 1.9.1 (mxref)
    assert list(rnn.LSTM(2)._collect_params_with_prefix("enc")) == [
        "enc._unfused.0.i2h_weight", "enc._unfused.0.h2h_weight", "enc._unfused.0.i2h_bias",
        "enc._unfused.0.h2h_bias"]
    layer = rnn.GRU(2, num_layers=2, bidirectional=True, input_size=3)
    keys = list(layer._collect_params_with_prefix())
    assert keys[:2] == ["_unfused.0.l_cell.i2h_weight", "_unfused.0.l_cell.h2h_weight"]
    assert keys[4] == "_unfused.0.r_cell.i2h_weight" and keys[-1] == "_unfused.1.r_cell.h2h_bias"
    layer.initialize()
    layer.save_parameters(str(tmp_path / "gru.params"))
    other = rnn.GRU(2, num_layers=2, bidirectional=True, input_size=3)
    other.load_parameters(str(tmp_path / "gru.params"))
    x = np.random.uniform(size=(2, 1, 3))
    assert_allclose(other(x), layer(x))


@pytest.mark.parametrize("make, text", [
    # MXNet 1.9.1 (mxref)
    (lambda: rnn.LSTM(100, num_layers=2), "LSTM(-1 -> 100, TNC, num_layers=2)"),
    (lambda: rnn.RNN(3), "RNN(-1 -> 3, TNC)"),
    (lambda: rnn.GRU(4, bidirectional=True, dropout=0.5, layout="NTC", input_size=5),
     "GRU(5 -> 4, NTC, dropout=0.5, bidirectional)"),
    (lambda: rnn.RNN(3, activation="tanh", num_layers=3), "RNN(-1 -> 3, TNC, num_layers=3)"),
    (lambda: rnn.LSTM(4, projection_size=2, input_size=3), "LSTM(3 -> 4, TNC)"),
])
def test_repr_matches_mxnet(make, text):
    assert repr(make()) == text


# ---- call forms and states --------------------------------------------------------------------
def test_call_forms():
    gru = rnn.GRU(4, input_size=3)
    gru.initialize()
    x = np.ones((2, 2, 3))
    assert gru(x).shape == (2, 2, 4)
    out, states = gru(x, gru.begin_state(2))
    assert out.shape == (2, 2, 4) and isinstance(states, list) and states[0].shape == (1, 2, 4)
    _, states = gru(x, np.zeros((1, 2, 4)))  # one array is accepted, a list comes back
    assert isinstance(states, list) and len(states) == 1
    lstm = rnn.LSTM(3, input_size=3)
    lstm.initialize()
    _, states = lstm(x, tuple(lstm.begin_state(2)))
    assert [s.shape for s in states] == [(1, 2, 3), (1, 2, 3)]
    seen = []
    lstm.register_forward_hook(lambda block, args, out: seen.append(out))
    lstm(x)
    lstm(x, lstm.begin_state(2))
    assert isinstance(seen[0], np.ndarray) and isinstance(seen[1][1], list)  # as MXNet's hooks


def test_hybridized_layer_and_parent():
    lstm = rnn.LSTM(3, input_size=2)
    lstm.initialize()
    x = np.random.uniform(size=(4, 2, 2))
    eager_out, eager_states = lstm(x, lstm.begin_state(2))
    lstm.hybridize()
    out = lstm(x, lstm.begin_state(2))
    assert isinstance(out, list) and isinstance(out[1], list)
    assert_allclose(out[0], eager_out)
    assert_allclose(out[1], eager_states)
    assert_allclose(lstm(x), eager_out)  # MXNet returns a list here (a QUIRK)
    net = nn.HybridSequential()
    net.add(rnn.LSTM(3), nn.Dense(1, flatten=False))  # MXNet fails on this, hybridized
    net.initialize()
    net.hybridize()
    assert net(x).shape == (4, 2, 1)


def test_begin_state_and_state_info():
    lstm = rnn.LSTM(4)
    states = lstm.begin_state(2)
    assert [s.shape for s in states] == [(1, 2, 4), (1, 2, 4)]
    assert all(s.dtype == onp.float32 and float(s.sum()) == 0 for s in states)
    # MXNet 1.9.1 (mxref)
    assert lstm.state_info(2) == [{"shape": (1, 2, 4), "__layout__": "LNC", "dtype": "float32"}] * 2
    assert rnn.LSTM(3).state_info()[0]["shape"] == (1, 0, 3)
    gru = rnn.GRU(3, num_layers=2, bidirectional=True)
    assert [s.shape for s in gru.begin_state(5)] == [(4, 5, 3)]
    assert gru.begin_state(1, dtype="float64")[0].dtype == onp.float64
    assert float(gru.begin_state(1, func=np.ones)[0].sum()) == 12  # MXNet: TypeError ('name')
    layer = rnn.RNN(2, dtype="float64")
    assert layer.begin_state(1)[0].dtype == onp.float64


def test_deferred_init_from_the_c_axis_and_cast():
    layer = rnn.LSTM(2, layout="NTC", bidirectional=True)
    layer.initialize()
    assert layer.l0_i2h_weight.shape == (8, -1)
    assert layer(np.ones((3, 1, 5))).shape == (3, 1, 4)
    assert layer.l0_i2h_weight.shape == (8, 5) and layer.r0_i2h_weight.shape == (8, 5)
    layer.cast("float64")
    assert layer.begin_state(1)[0].dtype == onp.float64
    assert layer(np.ones((3, 1, 5), dtype="float64")).dtype == onp.float64


def test_errors():
    lstm = rnn.LSTM(3, input_size=2)
    lstm.initialize()
    with pytest.raises(ValueError, match=r"Invalid recurrent state shape. Expecting \(1, 2, 3\), "
                                         r"got \(1, 3, 3\)"):
        lstm(np.ones((2, 2, 2)), [np.zeros((1, 3, 3)), np.zeros((1, 3, 3))])
    with pytest.raises(ValueError, match="rank-3"):
        lstm(np.ones((2, 2)))
    with pytest.raises(ValueError, match="takes 2 state"):
        lstm(np.ones((2, 2, 2)), [np.zeros((1, 2, 3))])
    with pytest.raises(ValueError, match="Deferred initialization failed.*rank-3"):
        fresh = rnn.GRU(2)
        fresh.initialize()
        fresh(np.ones((2, 2)), [np.zeros((1, 2, 2))])
    with pytest.raises(AssertionError, match="Invalid layout TCN"):
        rnn.LSTM(2, layout="TCN")
    with pytest.raises(KeyError, match="rnn_sigmoid"):
        rnn.RNN(3, activation="sigmoid")


# ---- gradients and the unfused cells ----------------------------------------------------------
@pytest.mark.parametrize("mode", sorted(LAYERS))
def test_layer_gradients(mode):
    layer = LAYERS[mode](hidden_size=2, num_layers=2, bidirectional=True, input_size=2,
                         dtype="float64")
    layer.initialize(init.Uniform(0.6))
    names = list(layer._reg_params)
    n_states = 2 if mode == "lstm" else 1
    layer.skip_states = False  # as a call with states sets it

    def f(x, *arrays):
        states, weights = list(arrays[:n_states]), dict(zip(names, arrays[n_states:]))
        out, new_states = layer.hybrid_forward(None, x, states, **weights)
        return [out] + new_states

    x = np.random.uniform(-1, 1, size=(2, 1, 2), dtype="float64")
    states = [np.random.uniform(-1, 1, size=(4, 1, 2), dtype="float64") for _ in
              range(n_states)]
    weights = [layer._reg_params[n].data() for n in names]
    check_grads(f, x, *states, *weights, order=1)


@pytest.mark.parametrize("mode", sorted(LAYERS))
@pytest.mark.parametrize("bidirectional", [False, True])
def test_layer_equals_its_unrolled_cells_in_values_and_gradients(mode, bidirectional):
    layer = LAYERS[mode](hidden_size=2, num_layers=2, bidirectional=bidirectional,
                         layout="NTC")
    layer.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 3, 3))
    params = list(layer.collect_params().values())
    with autograd.record():
        out, states = layer(x, layer.begin_state(2))
        loss = (out * out).sum() + sum((s * s).sum() for s in states)
    loss.backward()
    fused_grads = [p.grad().copy() for p in params]
    cells = layer._unfuse()
    assert cells.collect_params().keys() == layer.collect_params().keys()
    with autograd.record():
        cell_out, cell_states = cells.unroll(3, x, layout="NTC", merge_outputs=True)
        cell_loss = (cell_out * cell_out).sum() + sum((s * s).sum() for s in cell_states)
    cell_loss.backward()
    assert_allclose(cell_out, out, rtol=1e-5, atol=1e-6)
    per_state = 2 if mode == "lstm" else 1  # cells give [h, (c)] per cell, layer per kind
    for k, state in enumerate(states):
        assert_allclose(np.stack(cell_states[k::per_state]), state, rtol=1e-5, atol=1e-6)
    for param, fused in zip(params, fused_grads):
        assert_allclose(param.grad(), fused, rtol=1e-4, atol=1e-6)
