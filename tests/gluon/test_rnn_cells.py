"""gluon.rnn cells: steps against NumPy, unroll (layouts, valid_length, bidirectional,
modifiers) against values MXNet 1.9.1 computed in legacy mode (its cells fail on np arrays),
names, reprs, begin_state, gradients."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, init, np
from mxnp.gluon import nn, rnn
from mxnp.testing import assert_allclose, check_grads

from .test_rnn_layers import ref_step, set_sine_params, sine_input

# MXNet 1.9.1 (mxref, legacy mode), flattened: set_sine_params, then unroll(3, sine_input())
# LSTMCell(2): merge_outputs=True; valid_length [2, 3]; BidirectionalCell(GRUCell(2),
# RNNCell(1)) with valid_length, merged; ResidualCell(GRUCell(2)) with valid_length;
# SequentialRNNCell(RNNCell(2), DropoutCell(0.0), LSTMCell(2)) on the TNC transpose, merged.
LSTM_MERGED = ([0.01304, -0.19042, -0.00186, -0.29887, -0.06553, -0.30597, -0.11372, -0.06103,
                -0.2615, -0.01125, -0.3563, 0.01936],
               [[-0.06553, -0.30597, -0.3563, 0.01936], [-0.183, -0.71196, -0.77186, 0.05401]])
LSTM_VALID = ([0.01304, -0.19042, -0.00186, -0.29887, 0.0, 0.0, -0.11372, -0.06103, -0.2615,
               -0.01125, -0.3563, 0.01936],
              [[-0.00186, -0.29887, -0.3563, 0.01936], [-0.00659, -0.60223, -0.77186, 0.05401]])
BI_VALID = ([0.01043, -0.23724, 0.2483, -0.04244, -0.4098, 0.06006, 0.0, 0.0, 0.0, -0.19141,
             -0.09944, -0.48268, -0.3575, -0.0054, -0.65847, -0.47658, 0.07028, -0.86955],
            [[-0.04244, -0.4098, -0.47658, 0.07028], [0.2483, -0.48268]])
RESIDUAL_VALID = ([1.01043, 0.71809, 0.7829, 0.21181, 0.0, 0.0, -0.41861, -0.60429, -1.09489,
                   -0.90947, -1.46657, -0.9172],
                  [[-0.04244, -0.4098, -0.47658, 0.07028]])
SEQ_TNC = ([-0.04234, -0.16578, -0.15945, -0.03705, -0.12144, -0.25099, -0.25761, -0.03942,
            -0.20583, -0.25917, -0.31637, -0.04026],
           [[-0.35106, -0.04365, -0.67524, -0.82943], [-0.20583, -0.25917, -0.31637, -0.04026],
            [-0.50326, -0.60834, -0.7312, -0.10506]])
VALID = [2.0, 3.0]
CELLS = {"rnn_tanh": lambda **k: rnn.RNNCell(2, **k),
         "rnn_relu": lambda **k: rnn.RNNCell(2, activation="relu", **k),
         "lstm": lambda **k: rnn.LSTMCell(2, **k), "gru": lambda **k: rnn.GRUCell(2, **k)}


def flat(arrays):
    return onp.concatenate([a.asnumpy().ravel() for a in arrays])


def ready(cell):
    cell.initialize()
    set_sine_params(cell)
    return cell


# ---- one step ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", sorted(CELLS))
def test_cell_step_matches_numpy(mode):
    cell = CELLS[mode]()
    cell.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(3, 4))
    states = [np.random.uniform(-1, 1, size=(3, 2)) for _ in cell.state_info()]
    out, new_states = cell(x, states)
    w = {k[len(cell.prefix):]: v.data().asnumpy() for k, v in cell.collect_params().items()}
    c0 = states[1].asnumpy() if mode == "lstm" else None
    h, c = ref_step(mode, x.asnumpy(), states[0].asnumpy(), c0, w)
    assert_allclose(out, h, rtol=1e-5, atol=1e-6)
    assert_allclose(new_states[-1], h if mode != "lstm" else c, rtol=1e-5, atol=1e-6)
    assert cell.i2h_weight.shape == (w["i2h_weight"].shape[0], 4)  # inferred at the first step


def test_activation_forms():
    x = np.random.uniform(-1, 1, size=(2, 3))
    outs = {}
    for key, act in [("softsign", "softsign"), ("leaky", nn.LeakyReLU(0.1)),
                     ("callable", lambda v: v * 2), ("softrelu", "softrelu")]:
        cell = rnn.RNNCell(2, activation=act, input_size=3)
        cell.initialize(init.One())
        outs[key] = cell(x, cell.begin_state(2))[0].asnumpy()
    s = x.asnumpy().sum(axis=1, keepdims=True) * onp.ones((1, 2))
    assert_allclose(outs["softsign"], s / (1 + onp.abs(s)), rtol=1e-6)
    assert_allclose(outs["leaky"], onp.where(s > 0, s, 0.1 * s), rtol=1e-6)
    assert_allclose(outs["callable"], 2 * s, rtol=1e-6)
    assert_allclose(outs["softrelu"], onp.log1p(onp.exp(s)), rtol=1e-6)


# ---- unroll -----------------------------------------------------------------------------------
def test_unroll_values_match_mxnet():
    x, valid = sine_input(), np.array(VALID)
    cell = ready(rnn.LSTMCell(2, input_size=2))
    for expected, kwargs in [(LSTM_MERGED, {"merge_outputs": True}),
                             (LSTM_VALID, {"valid_length": valid})]:
        out, states = cell.unroll(3, x, **kwargs)
        assert out.shape == (2, 3, 2)
        assert_allclose(flat([out]), expected[0], atol=2e-5)
        assert_allclose(flat(states), onp.ravel(expected[1]), atol=2e-5)
    bi = ready(rnn.BidirectionalCell(rnn.GRUCell(2, input_size=2), rnn.RNNCell(1, input_size=2)))
    out, states = bi.unroll(3, x, valid_length=valid, merge_outputs=True)
    assert_allclose(flat([out]), BI_VALID[0], atol=2e-5)
    assert_allclose(flat(states), onp.concatenate(BI_VALID[1]), atol=2e-5)
    res = ready(rnn.ResidualCell(rnn.GRUCell(2, input_size=2)))
    out, states = res.unroll(3, x, valid_length=valid)
    assert_allclose(flat([out]), RESIDUAL_VALID[0], atol=2e-5)
    assert_allclose(flat(states), RESIDUAL_VALID[1][0], atol=2e-5)
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.RNNCell(2, input_size=2))
    seq.add(rnn.DropoutCell(0.0))
    seq.add(rnn.LSTMCell(2, input_size=2))
    ready(seq)
    out, states = seq.unroll(3, np.swapaxes(x, 0, 1), layout="TNC", merge_outputs=True)
    assert out.shape == (3, 2, 2)
    assert_allclose(flat([out]), SEQ_TNC[0], atol=2e-5)
    assert_allclose(flat(states), onp.ravel(SEQ_TNC[1]), atol=2e-5)


def test_unroll_output_forms():
    # MXNet 1.9.1 (mxref, legacy mode): list by default, one array when merged or when
    # valid_length is given with merge_outputs=None
    x, valid = sine_input(), np.array(VALID)
    cell = ready(rnn.GRUCell(2, input_size=2))
    out, states = cell.unroll(3, x)
    assert isinstance(states, list) and states[0].shape == (2, 2)
    assert isinstance(out, list) and len(out) == 3 and out[0].shape == (2, 2)
    assert isinstance(cell.unroll(3, x, valid_length=valid)[0], np.ndarray)
    assert isinstance(cell.unroll(3, x, valid_length=valid, merge_outputs=False)[0], list)
    steps = [x[:, t] for t in range(3)]
    listed, _ = cell.unroll(3, steps, merge_outputs=True)
    assert_allclose(listed, np.stack(out, axis=1))
    tnc, _ = cell.unroll(3, np.swapaxes(x, 0, 1), layout="TNC", merge_outputs=True)
    assert_allclose(tnc, np.stack(out, axis=0))
    bi = ready(rnn.BidirectionalCell(rnn.GRUCell(2, input_size=2), rnn.RNNCell(1, input_size=2)))
    out, _ = bi.unroll(3, x)
    assert isinstance(out, list) and out[0].shape == (2, 3)
    drop = rnn.DropoutCell(0.5)
    assert drop.unroll(3, x)[1] == [] and isinstance(drop.unroll(3, x)[0], np.ndarray)
    assert isinstance(drop.unroll(3, x, merge_outputs=False)[0], list)
    with pytest.raises(AssertionError, match="length 2"):
        cell.unroll(2, x, merge_outputs=False)


@pytest.mark.parametrize("mode", sorted(CELLS))
def test_valid_length_equals_each_sequence_unrolled_alone(mode):
    cell = CELLS[mode](input_size=3)
    cell.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 4, 3))
    # float32: a batch of one row and one of two may take different BLAS kernels (gemv, gemm)
    out, states = cell.unroll(4, x, valid_length=np.array([2.0, 4.0]), merge_outputs=True)
    alone, alone_states = cell.unroll(2, x[:1, :2], merge_outputs=True)
    # (and an output near 0 differs there by float32 round-off: atol)
    assert_allclose(out[:1, :2], alone, rtol=1e-5, atol=1e-6)
    assert_allclose(out[0, 2:], onp.zeros((2, 2)))
    for s, a in zip(states, alone_states):
        assert_allclose(s[:1], a, rtol=1e-5, atol=1e-6)
    full, _ = cell.unroll(4, x[1:], merge_outputs=True)
    assert_allclose(out[1:], full, rtol=1e-5, atol=1e-6)


def test_bidirectional_reverses_only_the_valid_part():
    left, right = rnn.GRUCell(2, input_size=3), rnn.LSTMCell(2, input_size=3)
    bi = rnn.BidirectionalCell(left, right)
    bi.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 4, 3))
    out, states = bi.unroll(4, x, valid_length=np.array([3.0, 4.0]), merge_outputs=True)
    assert out.shape == (2, 4, 4) and [s.shape for s in states] == [(2, 2)] * 3
    l_out, l_states = left.unroll(3, x[:1, :3], merge_outputs=True)
    r_out, r_states = right.unroll(3, x[:1, 2::-1], merge_outputs=True)
    # one row against a batch of two: BLAS may round differently (see the test above)
    assert_allclose(out[:1, :3, :2], l_out, rtol=1e-5, atol=1e-6)
    assert_allclose(out[:1, :3, 2:], r_out[:, ::-1], rtol=1e-5, atol=1e-6)
    assert_allclose(out[0, 3], onp.zeros(4))
    assert_allclose([s[:1] for s in states], l_states + r_states, rtol=1e-5, atol=1e-6)
    with pytest.raises(NotImplementedError, match="cannot be stepped"):
        bi(x[:, 0], bi.begin_state(batch_size=2))


# ---- the wrapper cells ------------------------------------------------------------------------
def test_residual_adds_the_input():
    base = rnn.RNNCell(3, input_size=3)
    res = rnn.ResidualCell(base)
    res.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 3))
    out, _ = res(x, res.begin_state(2))
    base._modified = False  # only to compare with the bare cell
    assert_allclose(out, base(x, base.begin_state(2))[0] + x, rtol=1e-6)
    seq = np.random.uniform(-1, 1, size=(2, 4, 3))
    merged, _ = res.unroll(4, seq, merge_outputs=True)
    steps, _ = res.unroll(4, seq)
    assert_allclose(merged, np.stack(steps, axis=1))


def test_zoneout_keeps_previous_values_in_training_only():
    base = rnn.RNNCell(4, input_size=3)
    zone = rnn.ZoneoutCell(base, zoneout_outputs=0.5)
    zone.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 5, 3))
    plain, _ = zone.unroll(5, x, merge_outputs=True)  # predict mode: the base cell unchanged
    base._modified = False
    assert_allclose(plain, base.unroll(5, x, merge_outputs=True)[0])
    base._modified = True
    with autograd.record():
        zoned, _ = zone.unroll(5, x, merge_outputs=True)
    zoned, plain = zoned.asnumpy(), plain.asnumpy()
    prev = onp.zeros((2, 4))
    for t in range(5):  # states are not zoned out, so the base outputs are `plain`
        assert onp.all(onp.isclose(zoned[:, t], plain[:, t]) | onp.isclose(zoned[:, t], prev))
        prev = zoned[:, t]
    assert not onp.allclose(zoned, plain)
    zone.reset()
    assert zone._prev_output is None


def test_dropout_cell():
    drop = rnn.DropoutCell(0.5, axes=(1,))
    x = np.ones((4, 6))
    assert_allclose(drop(x, [])[0], x)
    with autograd.record():
        out, states = drop(x, [])
    out = out.asnumpy()
    assert states == [] and set(onp.unique(out)) <= {0.0, 2.0}
    assert all(len(set(row)) == 1 for row in out)  # axes=(1,): one draw per row, shared along it
    with pytest.raises(AssertionError, match="rate must be a number"):
        rnn.DropoutCell("a")


def test_modifier_rules():
    base = rnn.LSTMCell(3)
    zone = rnn.ZoneoutCell(base, 0.1, 0.2)
    with pytest.raises(AssertionError, match="cannot be called directly"):
        base.begin_state(1)
    with pytest.raises(AssertionError, match="already modified"):
        rnn.ZoneoutCell(base)
    assert [s.shape for s in zone.begin_state(2)] == [(2, 3), (2, 3)]
    assert zone.params is base.params
    with pytest.raises(AssertionError, match="doesn't support zoneout"):
        rnn.ZoneoutCell(rnn.BidirectionalCell(rnn.GRUCell(2), rnn.GRUCell(2)))


# ---- stacks -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [rnn.SequentialRNNCell, rnn.HybridSequentialRNNCell])
def test_stack_steps_and_unroll_agree(kind):
    stack = kind()
    stack.add(rnn.LSTMCell(3, input_size=2))
    stack.add(rnn.DropoutCell(0.5))
    stack.add(rnn.GRUCell(2, input_size=3))
    stack.initialize(init.Uniform(0.6))
    assert len(stack) == 3 and isinstance(stack[2], rnn.GRUCell)
    x = np.random.uniform(-1, 1, size=(2, 4, 2))
    states = stack.begin_state(batch_size=2)
    assert [s.shape for s in states] == [(2, 3), (2, 3), (2, 2)]
    outs = []
    for t in range(4):
        out, states = stack(x[:, t], states)
        outs.append(out)
    merged, unrolled_states = stack.unroll(4, x, merge_outputs=True)
    assert_allclose(merged, np.stack(outs, axis=1), rtol=1e-6)
    for unrolled, stepped in zip(unrolled_states, states):
        assert_allclose(unrolled, stepped, rtol=1e-6)
    if kind is rnn.HybridSequentialRNNCell:
        with pytest.raises(ValueError, match="must also be HybridBlock"):
            stack.add(rnn.SequentialRNNCell())


def test_hybridized_cell_gives_the_same_values():
    cell = rnn.LSTMCell(3, input_size=2)
    cell.initialize(init.Uniform(0.6))
    x = np.random.uniform(-1, 1, size=(2, 4, 2))
    eager, eager_states = cell.unroll(4, x, merge_outputs=True)
    cell.hybridize()
    out, states = cell.unroll(4, x, merge_outputs=True)
    assert_allclose(out, eager)
    assert_allclose(states, eager_states)


# ---- gradients --------------------------------------------------------------------------------
def _unroll_function(cell, length, valid=None):
    """(x, *states, *weights) -> [outputs, *states] through ``cell.unroll``, float64."""
    params = list(cell.collect_params().values())
    n_states = len(cell.state_info())

    def f(x, *arrays):
        states, weights = list(arrays[:n_states]), arrays[n_states:]
        saved = [p._data for p in params]
        for p, w in zip(params, weights):  # run the cell on the arrays under test
            p._data = {c: w for c in p._data}
        try:
            out, new_states = cell.unroll(length, x, states, merge_outputs=True,
                                          valid_length=valid)
        finally:
            for p, d in zip(params, saved):
                p._data = d
        return [out] + list(new_states)

    return f, [p.data() for p in params]


@pytest.mark.parametrize("make", [
    lambda: rnn.LSTMCell(2, input_size=2),
    lambda: rnn.GRUCell(2, input_size=2),
    lambda: rnn.RNNCell(2, input_size=2),
    lambda: rnn.BidirectionalCell(rnn.GRUCell(2, input_size=2), rnn.LSTMCell(1, input_size=2)),
    lambda: rnn.ResidualCell(rnn.RNNCell(2, input_size=2)),
], ids=["lstm", "gru", "rnn", "bidirectional", "residual"])
def test_unroll_gradients(make):
    cell = make()
    cell.initialize(init.Uniform(0.6))
    cell.cast("float64")
    f, weights = _unroll_function(cell, 3, np.array([2.0, 3.0], dtype="float64"))
    x = np.random.uniform(-1, 1, size=(2, 3, 2), dtype="float64")
    states = [np.random.normal(size=s.shape, dtype="float64") for s in
              cell.begin_state(batch_size=2)]
    check_grads(f, x, *states, *weights, order=1)
