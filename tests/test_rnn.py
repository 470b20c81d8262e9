"""npx.rnn: forward against a plain NumPy loop, values from MXNet 1.9.1, gradients, errors."""
from __future__ import annotations

import inspect

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import MXNetError
from mxnp.testing import assert_allclose, check_grads

GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}
MODES = sorted(GATES)


# ---- the reference: a plain NumPy loop over layers, directions and timesteps ---------------
def n_params(mode, inputs, size, layers, dirs, proj=None):
    g, rec = GATES[mode] * size, proj or size
    return sum(dirs * (g * (inputs if k == 0 else dirs * rec) + g * rec + 2 * g
                       + (proj * size if proj else 0)) for k in range(layers))


def unpack(flat, mode, inputs, size, layers, dirs, proj=None):
    """cuDNN's layout: all weights (layer, direction: i2h, h2h[, h2r]), then all biases."""
    g, rec, pos, w = GATES[mode] * size, proj or size, 0, {}

    def take(shape):
        nonlocal pos
        n = int(onp.prod(shape))
        pos += n
        return flat[pos - n:pos].reshape(shape)

    for k in range(layers):
        for d in range(dirs):
            w[k, d] = {"wi": take((g, inputs if k == 0 else dirs * rec)), "wh": take((g, rec))}
            if proj:
                w[k, d]["wr"] = take((proj, size))
    for k in range(layers):
        for d in range(dirs):
            w[k, d].update(bi=take((g,)), bh=take((g,)))
    assert pos == flat.size
    return w


def sig(x):
    return 1 / (1 + onp.exp(-x))


def ref_step(mode, x, h, c, w, clip=None):
    gi, gh = x @ w["wi"].T + w["bi"], h @ w["wh"].T + w["bh"]
    if mode == "rnn_tanh":
        return onp.tanh(gi + gh), c
    if mode == "rnn_relu":
        return onp.maximum(gi + gh, 0), c
    if mode == "gru":
        (xr, xz, xn), (hr, hz, hn) = onp.split(gi, 3, axis=1), onp.split(gh, 3, axis=1)
        r, z = sig(xr + hr), sig(xz + hz)
        return (1 - z) * onp.tanh(xn + r * hn) + z * h, c
    i, f, g, o = onp.split(gi + gh, 4, axis=1)
    c = sig(f) * c + sig(i) * onp.tanh(g)
    if clip is not None:
        c = onp.clip(c, *clip)
    h = sig(o) * onp.tanh(c)
    return (h @ w["wr"].T if "wr" in w else h), c


def ref_rnn(x, flat, h0, c0, mode, size, layers, bidirectional, proj=None, clip=None):
    """Returns (output, h_n, c_n or None); c0 None for the modes without a cell."""
    steps, dirs = x.shape[0], 2 if bidirectional else 1
    w = unpack(flat, mode, x.shape[2], size, layers, dirs, proj)
    hs, cs = [], []
    for k in range(layers):
        outs = []
        for d in range(dirs):
            h, c = h0[k * dirs + d], None if c0 is None else c0[k * dirs + d]
            seq = [None] * steps
            for t in (range(steps - 1, -1, -1) if d else range(steps)):
                h, c = ref_step(mode, x[t], h, c, w[k, d], clip)
                seq[t] = h
            outs.append(onp.stack(seq))
            hs.append(h)
            cs.append(c)
        x = onp.concatenate(outs, axis=-1)
    return x, onp.stack(hs), None if c0 is None else onp.stack(cs)


# ---- inputs ----------------------------------------------------------------------------------
def make(mode, steps=3, batch=2, inputs=3, size=2, layers=1, dirs=1, proj=None, seed=0,
         dtype="float64"):
    """Random host inputs: data, flat parameters, h0 and (LSTM) c0."""
    rng = onp.random.default_rng(seed)
    x = rng.standard_normal((steps, batch, inputs))
    flat = 0.5 * rng.standard_normal(n_params(mode, inputs, size, layers, dirs, proj))
    h0 = 0.5 * rng.standard_normal((layers * dirs, batch, proj or size))
    c0 = 0.5 * rng.standard_normal((layers * dirs, batch, size)) if mode == "lstm" else None
    return [a if a is None else a.astype(dtype) for a in (x, flat, h0, c0)]


def dev(*arrays):
    return [np.array(a) for a in arrays if a is not None]


def run(mode, host, size=2, layers=1, bidirectional=False, **kw):
    return npx.rnn(*dev(*host), state_size=size, num_layers=layers,
                   bidirectional=bidirectional, mode=mode, **kw)


# ---- forward ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_rnn_forward_matches_numpy_loop(mode, layers, bidirectional):
    host = make(mode, layers=layers, dirs=2 if bidirectional else 1)
    got = run(mode, host, layers=layers, bidirectional=bidirectional, state_outputs=True)
    want = [r for r in ref_rnn(*host, mode, 2, layers, bidirectional) if r is not None]
    assert len(got) == len(want) == (3 if mode == "lstm" else 2)
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == onp.float64
        assert_allclose(g, w, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
def test_rnn_without_state_outputs_returns_the_output_only(mode):
    host = make(mode, dtype="float32")
    got = run(mode, host)
    assert isinstance(got, np.ndarray) and got.shape == (3, 2, 2) and got.dtype == onp.float32
    assert_allclose(got, ref_rnn(*host, mode, 2, 1, False)[0], rtol=1e-5, atol=1e-6)
    assert {o.dtype for o in run(mode, host, state_outputs=True)} == {onp.dtype("float32")}


@pytest.mark.parametrize("layers,bidirectional", [(1, False), (2, True)])
def test_rnn_lstm_projection_matches_numpy_loop(layers, bidirectional):
    dirs = 2 if bidirectional else 1
    host = make("lstm", size=3, layers=layers, dirs=dirs, proj=2)
    got = run("lstm", host, size=3, layers=layers, bidirectional=bidirectional,
              projection_size=2, state_outputs=True)
    want = ref_rnn(*host, "lstm", 3, layers, bidirectional, proj=2)
    assert [g.shape for g in got] == [(3, 2, 2 * dirs), (layers * dirs, 2, 2),
                                      (layers * dirs, 2, 3)]
    for g, w in zip(got, want):
        assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_rnn_lstm_state_clip_matches_numpy_loop():
    host = make("lstm", layers=2, dirs=2)
    host[3] = host[3] * 6  # large cell states, so that the clip bites
    got = run("lstm", host, layers=2, bidirectional=True, state_outputs=True,
              lstm_state_clip_min=-0.3, lstm_state_clip_max=0.25)
    want = ref_rnn(*host, "lstm", 2, 2, True, clip=(-0.3, 0.25))
    for g, w in zip(got, want):
        assert_allclose(g, w, rtol=1e-12, atol=1e-12)
    assert float(got[2].max()) == 0.25 or float(got[2].min()) == -0.3


@pytest.mark.parametrize("stop_nan", [False, True])
def test_rnn_lstm_state_clip_nan(stop_nan):
    host = make("lstm")
    host[0][1, 0, 0] = onp.nan  # poisons batch row 0 from step 1 on
    c_n = run("lstm", host, state_outputs=True, lstm_state_clip_min=-1.0,
              lstm_state_clip_max=1.0, lstm_state_clip_nan=stop_nan)[2].asnumpy()
    assert_allclose(c_n[0, 0], [-1.0, -1.0] if stop_nan else [onp.nan, onp.nan])
    assert not onp.isnan(c_n[0, 1]).any()  # row 1 is untouched either way


@pytest.mark.parametrize("mode", MODES)
def test_rnn_sequence_length_equals_running_each_sequence_alone(mode):
    host = make(mode, steps=4, batch=3, layers=2, dirs=2)
    lengths = [4, 1, 3]
    got = run(mode, host, layers=2, bidirectional=True, state_outputs=True,
              use_sequence_length=True, sequence_length=np.array(lengths, dtype="int32"))
    x, flat, h0, c0 = host
    for b, n in enumerate(lengths):
        row = ref_rnn(x[:n, b:b + 1], flat, h0[:, b:b + 1], None if c0 is None else
                      c0[:, b:b + 1], mode, 2, 2, True)
        assert_allclose(got[0][:n, b:b + 1], row[0], rtol=1e-12, atol=1e-12)
        assert (got[0][n:, b].asnumpy() == 0).all()  # cuDNN zero-fills the padding
        for g, w in zip(got[1:], row[1:]):
            assert_allclose(g[:, b:b + 1], w, rtol=1e-12, atol=1e-12)


# ---- values from the real MXNet 1.9.1 --------------------------------------------------------
# Produced in the mxref venv (numpy 1.23.5, mxnet 1.9.1, CPU) by npx.rnn on the wave() inputs
# below, float64, T=2, N=1, I=2, H=2, 2 layers, bidirectional, state_outputs=True; gradients of
# loss = sum_k sum(outputs[k] * wave(outputs[k].size, 0.5, 0.1 k, 1)) by autograd.backward.
# "gp" is the parameter gradient dotted with wave(n, 0.3, 0.2, 1).
# MXNet's CPU rnn_relu computes in float32 even for float64 inputs: that row is close to 1e-7.
MXNET = {
    "rnn_relu": dict(
        out=[0.1833011507987976, 0.14257368445396423, 0.0, 0.31969812512397766,
             0.37310054898262024, 0.06735186278820038, 0.0, 0.3011623024940491],
        states=[[0.30053046345710754, 0.0, 0.0, 0.36385175585746765, 0.37310054898262024,
                 0.06735186278820038, 0.0, 0.31969812512397766]],
        gx=[0.2911993350837372, 0.27569173543062664, 0.1854256783245236, 0.3941438154607782],
        gp=5.629838458996932,
        gstates=[[0.01080239878641193, -0.012887629486714612, 0.0030863948863502624,
                  -0.01891092601422227, 0.11685716551674784, -0.15272272824654418,
                  0.02462257388660178, -0.055411997112330476]]),
    "rnn_tanh": dict(
        out=[0.33499015201147914, 0.11586058356751791, -0.27766730368234915,
             0.3878907608974758, 0.48688415510825184, 0.08495523057349301,
             -0.26039320178444464, 0.3158168544123282],
        states=[[0.18832882588778552, -0.30138648720974326, -0.18608283544837864,
                 0.35996736447590233, 0.48688415510825184, 0.08495523057349301,
                 -0.27766730368234915, 0.3878907608974758]],
        gx=[-0.15464302061779409, -0.03746495710274639, 0.4509964118260592,
            0.18206569431503583],
        gp=5.440237002417098,
        gstates=[[0.1307933508222389, -0.05418690094667951, 0.1936462485235686,
                  0.2230177855455927, 0.0904493220587003, -0.12369392969519957,
                  0.0663064589326278, -0.15782472759402896]]),
    "lstm": dict(
        out=[-0.022969261092493785, -0.2250616462415342, -0.2600149932601278,
             -0.13690529761783643, 0.012305280562950462, -0.24073230359571215,
             -0.26736022401648996, -0.18470473130910553],
        states=[[-0.16917010805810243, 0.23325202917634846, 0.10479453821723257,
                 0.004777850679719352, 0.012305280562950462, -0.24073230359571215,
                 -0.2600149932601278, -0.13690529761783643],
                [-0.355018464645909, 0.43229393722445003, 0.1935405551634265,
                 0.01542254659385732, 0.029248515179606333, -0.4679069815388174,
                 -0.4883608222924996, -0.22881922300880983]],
        gx=[-0.08211506949186712, -0.18490182553277604, -0.11636918054068751,
            -0.04442208715083498],
        gp=-1.4678317071250675,
        gstates=[[-0.014407055774967302, -0.026004463515944237, 0.04952414831447142,
                  0.20341305071881974, -0.09572655028946676, -0.02277123639604978,
                  0.036546276016268316, -0.08131809975912155],
                 [-0.009868239852317084, 0.049816326286043544, 0.12296411190807532,
                  0.44479436870112027, 0.47606777410850687, 0.41924357823616093,
                  0.17008514788233203, -0.1557294697391281]]),
    "gru": dict(
        out=[-0.3553977237964573, -0.13735906152245686, 0.45236176194995814,
             0.1520821217695103, -0.41050176686343887, -0.0998008195699481,
             0.3386237669237847, 0.18324857418552148],
        states=[[-0.38043070659175915, 0.4143956922506138, 0.08521289060107284,
                 0.18875068679781254, -0.41050176686343887, -0.0998008195699481,
                 0.45236176194995814, 0.1520821217695103]],
        gx=[-0.10637337736968984, 0.06301577194219271, -0.033814606860912894,
            0.08689576681567464],
        gp=1.278091315085816,
        gstates=[[0.16959270134216675, 0.08269636013412997, 0.16202543901138913,
                  0.261573737565177, 0.6236763228492618, 0.42447272317520013,
                  0.2324959607372417, 0.018560108113857367]]),
}


def wave(n, a, b, s):
    return s * onp.sin(onp.arange(n) * a + b)


@pytest.mark.parametrize("mode", MODES)
def test_rnn_matches_mxnet_values_and_gradients(mode):
    n = n_params(mode, 2, 2, 2, 2)
    args = dev(wave(4, 0.7, 0.3, 1.0).reshape(2, 1, 2), wave(n, 1.3, 0.5, 0.4),
               wave(8, 0.9, 1.0, 0.3).reshape(4, 1, 2),
               wave(8, 0.4, 2.0, 0.5).reshape(4, 1, 2) if mode == "lstm" else None)
    for a in args:
        a.attach_grad()
    with autograd.record():
        outs = npx.rnn(*args, state_size=2, num_layers=2, bidirectional=True, mode=mode,
                       state_outputs=True)
        loss = sum((o * np.array(wave(o.size, 0.5, 0.1 * k, 1.0).reshape(o.shape))).sum()
                   for k, o in enumerate(outs))
    loss.backward()
    want, tol = MXNET[mode], 1e-6 if mode == "rnn_relu" else 1e-12
    assert_allclose(outs[0].asnumpy().ravel(), want["out"], rtol=tol, atol=tol)
    for o, w in zip(outs[1:], want["states"], strict=True):
        assert_allclose(o.asnumpy().ravel(), w, rtol=tol, atol=tol)
    assert_allclose(args[0].grad.asnumpy().ravel(), want["gx"], rtol=tol, atol=tol)
    gp = args[1].grad.asnumpy()
    assert_allclose(gp @ wave(n, 0.3, 0.2, 1.0), want["gp"], rtol=tol, atol=tol)
    for a, w in zip(args[2:], want["gstates"], strict=True):
        assert_allclose(a.grad.asnumpy().ravel(), w, rtol=tol, atol=tol)


# ---- gradients -------------------------------------------------------------------------------
def rnn_fn(mode, size=2, **kw):
    def f(*arrays):
        return npx.rnn(*arrays, mode=mode, state_size=size, state_outputs=True, **kw)
    f.__qualname__ = f"rnn[{mode}]"
    return f


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layers,bidirectional", [(1, False), (2, True), (3, False)])
def test_rnn_grads(mode, layers, bidirectional):
    host = make(mode, steps=3, batch=2, inputs=2, layers=layers, dirs=2 if bidirectional else 1)
    # relu's kink at 0 is met with probability 0 by these random inputs
    check_grads(rnn_fn(mode, num_layers=layers, bidirectional=bidirectional), *dev(*host),
                order=2)


def test_rnn_grads_lstm_projection_and_clip():
    host = make("lstm", steps=3, batch=2, inputs=2, size=3, layers=2, dirs=2, proj=2)
    check_grads(rnn_fn("lstm", size=3, num_layers=2, bidirectional=True, projection_size=2,
                       lstm_state_clip_min=-0.4, lstm_state_clip_max=0.5), *dev(*host))


@pytest.mark.parametrize("mode", ["gru", "lstm"])
def test_rnn_grads_sequence_length(mode):
    host = make(mode, steps=3, batch=3, inputs=2, layers=1, dirs=2)
    f = rnn_fn(mode, num_layers=1, bidirectional=True, use_sequence_length=True,
               sequence_length=np.array([3, 1, 2]))
    check_grads(f, *dev(*host), order=2)


def backward_all(mode, host, **kw):
    """Outputs and the gradients of every input for one fixed weighting of the outputs."""
    args = dev(*host)
    for a in args:
        a.attach_grad()
    with autograd.record():
        outs = npx.rnn(*args, mode=mode, state_outputs=True, **kw)
        loss = sum((o * np.array(wave(o.size, 0.7, k, 1.0).reshape(o.shape), dtype=o.dtype)).sum()
                   for k, o in enumerate(outs))
    loss.backward()
    return [o.asnumpy() for o in outs] + [a.grad.asnumpy() for a in args]


@pytest.mark.parametrize("mode", MODES)
def test_rnn_fused_backward_equals_the_composite(mode):
    # full-length sequences take the composite (a tape of small ops) with the same values:
    # the hand-written backward through time must give the tape's gradients
    host = make(mode, steps=5, batch=3, inputs=3, size=4, layers=2, dirs=2, seed=3)
    assert_fused_equals_tape(mode, host, 1e-12, state_size=4, num_layers=2, bidirectional=True)


def assert_fused_equals_tape(mode, host, tol, **kw):
    """The fused backward's gradients equal the composite's (full-length sequences given as
    sequence lengths take the composite)."""
    steps, batch = host[0].shape[:2]
    fused = backward_all(mode, host, **kw)
    tape = backward_all(mode, host, use_sequence_length=True,
                        sequence_length=np.array([steps] * batch), **kw)
    for a, b in zip(fused, tape, strict=True):
        assert_allclose(a, b, rtol=tol, atol=tol)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_rnn_hidden_size_one_in_float32(mode, bidirectional):
    # one hidden unit makes each gate a strided column of the workspace, where NumPy 2.4's
    # float32 `negative` with out= misreads its input (the LSTM's second sample was wrong)
    dirs = 2 if bidirectional else 1
    host = make(mode, steps=3, batch=3, inputs=4, size=1, layers=2, dirs=dirs, seed=5)
    narrow = [a if a is None else a.astype("float32") for a in host]
    got = run(mode, narrow, size=1, layers=2, bidirectional=bidirectional, state_outputs=True)
    want = [r for r in ref_rnn(*host, mode, 1, 2, bidirectional) if r is not None]
    for g, w in zip(got, want, strict=True):
        assert_allclose(g, w, rtol=1e-5, atol=1e-6)
    assert_fused_equals_tape(mode, narrow, 1e-5, state_size=1, num_layers=2,
                             bidirectional=bidirectional)


@pytest.mark.parametrize("mode", MODES)
def test_rnn_float32_follows_float64(mode):
    host = make(mode, steps=6, batch=4, inputs=5, size=8, layers=2, dirs=2, seed=4)
    kw = dict(state_size=8, num_layers=2, bidirectional=True)
    wide = backward_all(mode, host, **kw)
    narrow = backward_all(mode, [a if a is None else a.astype("float32") for a in host], **kw)
    for a, b in zip(narrow, wide, strict=True):
        assert a.dtype == onp.float32
        assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("steps,batch", [(0, 2), (3, 0)])
def test_rnn_empty_sequence_or_batch(mode, steps, batch):
    # MXNet 1.9.1 gives empty outputs; with no step the final state is the initial one
    host = make(mode, steps=steps, batch=batch, layers=2, dirs=2)
    got = backward_all(mode, host, state_size=2, num_layers=2, bidirectional=True)
    y, h_n = got[:2]
    assert y.shape == (steps, batch, 4)
    assert_allclose(h_n, host[2], rtol=0, atol=0)
    grad_flat, grad_h0 = got[-3:-1] if mode == "lstm" else got[-2:]
    assert not grad_flat.any()
    weights = wave(h_n.size, 0.7, 1, 1.0).reshape(h_n.shape)  # backward_all's cotangent of h_n
    assert_allclose(grad_h0, weights, rtol=0, atol=0)


# ---- dropout ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_rnn_grads_with_dropout_in_training(mode):
    host = make(mode, steps=3, batch=2, inputs=2, layers=2, dirs=2, seed=5)
    inner = rnn_fn(mode, num_layers=2, bidirectional=True, p=0.4)

    def f(*arrays):  # the same masks at every evaluation: the generator is reseeded
        np.random.seed(11)
        with autograd.train_mode():
            return inner(*arrays)

    outs = f(*dev(*host))
    with autograd.predict_mode():
        plain = inner(*dev(*host))
    assert not onp.allclose(outs[0].asnumpy(), plain[0].asnumpy())  # dropout did act
    check_grads(f, *dev(*host), order=2)


def test_rnn_dropout_acts_between_layers_in_training_only():
    host = make("lstm", layers=2, steps=4, batch=3)
    plain = run("lstm", host, layers=2)
    assert_allclose(run("lstm", host, layers=2, p=0.5), plain, rtol=0, atol=0)  # predicting
    with autograd.train_mode():
        dropped = run("lstm", host, layers=2, p=0.5)
        one_layer = run("lstm", make("lstm"), p=0.9)  # no layer after it: no dropout
    assert not onp.allclose(dropped.asnumpy(), plain.asnumpy())
    assert_allclose(one_layer, run("lstm", make("lstm")), rtol=0, atol=0)


@pytest.mark.parametrize("mode", MODES)
def test_rnn_dropout_all_feeds_zeros_to_the_second_layer(mode):
    x, flat, h0, c0 = make(mode, layers=2, steps=3, batch=2, inputs=2)
    with autograd.train_mode():
        got = run(mode, [x, flat, h0, c0], layers=2, p=1.0, state_outputs=True)
    # layer 2 alone is a 1-layer RNN on zeros with the second half of the weights and biases
    w = unpack(flat, mode, 2, 2, 2, 1)
    second = onp.concatenate([w[1, 0][k].ravel() for k in ("wi", "wh", "bi", "bh")])
    want = ref_rnn(onp.zeros((3, 2, 2)), second, h0[1:], None if c0 is None else c0[1:], mode,
                   2, 1, False)
    assert_allclose(got[0], want[0], rtol=1e-12, atol=1e-12)


# ---- interface and errors --------------------------------------------------------------------
def test_rnn_signature_is_mxnets():
    # MXNet 1.9.1: str(inspect.signature(npx.rnn)) with _Null defaults
    names = ["data", "parameters", "state", "state_cell", "sequence_length", "state_size",
             "num_layers", "bidirectional", "mode", "p", "state_outputs", "projection_size",
             "lstm_state_clip_min", "lstm_state_clip_max", "lstm_state_clip_nan",
             "use_sequence_length", "out", "name", "kwargs"]
    assert list(inspect.signature(npx.rnn).parameters) == names
    assert "rnn" in npx.__all__


def test_rnn_out_argument():
    host = make("gru", dtype="float32")
    out = np.zeros((3, 2, 2), dtype="float32")
    assert run("gru", host, out=out) is out
    assert_allclose(out, run("gru", host), rtol=0, atol=0)


BAD = [
    (dict(mode="foo"), "mode must be one of"),
    (dict(mode=None), "mode must be one of"),
    (dict(state_size=None), "state_size must be a positive int"),
    (dict(num_layers=0), "num_layers must be a positive int"),
    (dict(p=1.5), r"p \(the dropout rate\) must lie in \[0, 1\]"),
    (dict(projection_size=1), "projection_size needs mode='lstm'"),
    (dict(lstm_state_clip_min=-1.0), "must be given together"),
    (dict(sequence_length=np.array([1, 2])), "use_sequence_length is False"),
    (dict(use_sequence_length=True, sequence_length=np.array([1, 2, 3])),
     r"sequence_length of shape \(2,\)"),
]


@pytest.mark.parametrize("kw,msg", BAD)
def test_rnn_bad_options_raise(kw, msg):
    x, flat, h0, _ = make("gru")
    args = dict(state_size=2, num_layers=1, mode="gru") | kw
    with pytest.raises(MXNetError, match=r"npx\.rnn: .*" + msg):
        npx.rnn(*dev(x, flat, h0), **args)


def test_rnn_wrong_parameter_size_names_both_sizes():
    x, flat, h0, c0 = make("lstm")
    with pytest.raises(MXNetError, match=r"npx\.rnn: parameters must be a vector of 56 values"
                                         r".*got shape \(55,\)"):
        npx.rnn(*dev(x, flat[:-1], h0, c0), state_size=2, num_layers=1, mode="lstm")
    with pytest.raises(MXNetError, match=r"got shape \(7, 8\)"):
        npx.rnn(*dev(x, flat.reshape(7, 8), h0, c0), state_size=2, num_layers=1, mode="lstm")


def test_rnn_wrong_inputs_raise():
    x, flat, h0, c0 = make("lstm")
    kw = dict(state_size=2, num_layers=1, mode="lstm")
    with pytest.raises(MXNetError, match=r"state must have shape \(1, 2, 2\).*got \(2, 2, 2\)"):
        npx.rnn(*dev(x, flat, onp.zeros((2, 2, 2)), c0), **kw)
    with pytest.raises(MXNetError, match=r"state_cell must be an ndarray of shape \(1, 2, 2\)"):
        npx.rnn(*dev(x, flat, h0), **kw)
    with pytest.raises(MXNetError, match="state must be an ndarray"):
        npx.rnn(*dev(x, flat), **kw)
    with pytest.raises(MXNetError, match="state_cell is for mode='lstm' only"):
        npx.rnn(*dev(x, flat, h0, c0), state_size=2, num_layers=1, mode="gru")
    with pytest.raises(MXNetError, match=r"data must be an ndarray of shape \(sequence length"):
        npx.rnn(*dev(x[0], flat, h0, c0), **kw)
    with pytest.raises(MXNetError, match="data must be a floating-point array, got int64"):
        npx.rnn(*dev(x.astype("int64"), flat, h0, c0), **kw)
    with pytest.raises(MXNetError, match="share the data's dtype float64; parameters is float32"):
        npx.rnn(*dev(x, flat.astype("float32"), h0, c0), **kw)
    with pytest.raises(TypeError, match="unexpected arguments"):
        npx.rnn(*dev(x, flat, h0, c0), bogus=1, **kw)
