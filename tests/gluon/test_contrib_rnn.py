"""gluon.contrib.rnn: convolutional cells, LSTMPCell, VariationalDropoutCell, dynamic_unroll.
References: NumPy steps on set parameters, and MXNet 1.9.1's reprs, shapes and graph names
(mxref)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, gluon, npx, sym
from mxnp import numpy as np
from mxnp.gluon.contrib import rnn as crnn
from mxnp.gluon.contrib.rnn.rnn_cell import dynamic_unroll


def _sigmoid(x):
    return 1 / (1 + onp.exp(-x))


def _conv1d(x, w, b, pad):
    """(N, C, W) x (F, C, K) -> (N, F, W + 2 pad - K + 1), cross-correlation."""
    x = onp.pad(x, ((0, 0), (0, 0), (pad, pad)))
    k = w.shape[2]
    out = onp.stack([onp.einsum("ncw,fcw->nf", x[:, :, i:i + k], w)
                     for i in range(x.shape[2] - k + 1)], axis=-1)
    return out + b[None, :, None]


def _set_params(cell, rng):
    values = {}
    for name, p in cell.collect_params().items():
        values[name.split("_", 1)[1]] = rng.standard_normal(p.shape).astype("float32") * 0.3
        p.set_data(np.array(values[name.split("_", 1)[1]]))
    return values


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_conv1d_cells_step_like_numpy(kind):
    rng = onp.random.default_rng(0)
    cell = getattr(crnn, f"Conv1D{kind}Cell")((3, 7), 4, 3, 3, prefix="c_")
    cell.initialize()
    x = rng.standard_normal((2, 3, 7)).astype("float32")
    cell(np.array(x), cell.begin_state(2))
    p = _set_params(cell, rng)
    states = [rng.standard_normal(s["shape"]).astype("float32") for s in cell.state_info(2)]
    out, new = cell(np.array(x), [np.array(s) for s in states])
    i2h = _conv1d(x, p["i2h_weight"], p["i2h_bias"], 0)
    h2h = _conv1d(states[0], p["h2h_weight"], p["h2h_bias"], 1)
    if kind == "RNN":
        want = [onp.tanh(i2h + h2h)]
    elif kind == "LSTM":
        i, f, c, o = onp.split(i2h + h2h, 4, axis=1)
        next_c = _sigmoid(f) * states[1] + _sigmoid(i) * onp.tanh(c)
        want = [_sigmoid(o) * onp.tanh(next_c), next_c]
    else:
        (ir, iz, ih), (hr, hz, hh) = onp.split(i2h, 3, axis=1), onp.split(h2h, 3, axis=1)
        r, z = _sigmoid(ir + hr), _sigmoid(iz + hz)
        want = [(1 - z) * onp.tanh(ih + r * hh) + z * states[0]]
    onp.testing.assert_allclose(out.asnumpy(), want[0], rtol=1e-4, atol=1e-5)
    for got, ref in zip(new, want):
        onp.testing.assert_allclose(got.asnumpy(), ref, rtol=1e-4, atol=1e-5)


def test_lstmp_cell_steps_like_numpy():
    rng = onp.random.default_rng(1)
    cell = crnn.LSTMPCell(6, 3, input_size=5, prefix="p_")
    cell.initialize()
    p = _set_params(cell, rng)
    x = rng.standard_normal((2, 5)).astype("float32")
    r, c = rng.standard_normal((2, 3)).astype("float32"), rng.standard_normal((2, 6))
    out, (next_r, next_c) = cell(np.array(x), [np.array(r), np.array(c, dtype="float32")])
    gates = x @ p["i2h_weight"].T + p["i2h_bias"] + r @ p["h2h_weight"].T + p["h2h_bias"]
    i, f, g, o = onp.split(gates, 4, axis=1)
    want_c = _sigmoid(f) * c + _sigmoid(i) * onp.tanh(g)
    want_r = (_sigmoid(o) * onp.tanh(want_c)) @ p["h2r_weight"].T
    onp.testing.assert_allclose(next_c.asnumpy(), want_c, rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(out.asnumpy(), want_r, rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(next_r.asnumpy(), want_r, rtol=1e-4, atol=1e-5)


def test_reprs_states_and_parameters_are_mxnets():
    npx.reset_np()  # MXNet 1.9.1 (mxref) with the 1.x switches
    cases = [
        (crnn.Conv1DRNNCell((3, 7), 4, 3, 3), "Conv1DRNNCell(3 -> 4, tanh, NCW)", (4, 5)),
        (crnn.Conv2DGRUCell((3, 5, 6), 2, 3, (3, 1), i2h_dilate=2, h2h_dilate=(2, 1)),
         "Conv2DGRUCell(3 -> 6, tanh, NCHW)", (2, 1, 2)),
        (crnn.Conv2DLSTMCell((5, 6, 3), 2, 3, 3, conv_layout="NHWC", activation="relu"),
         "Conv2DLSTMCell(3 -> 8, relu, NHWC)", (3, 4, 2)),
        (crnn.Conv3DRNNCell((0, 4, 4, 4), 2, 1, 3), "Conv3DRNNCell(None -> 2, tanh, NCDHW)",
         (2, 4, 4, 4)),
        (crnn.LSTMPCell(6, 3), "LSTMPCell(None -> 24 -> 3)", (3,))]
    for cell, text, state in cases:
        assert repr(cell) == text
        assert cell.state_info(2)[0] == {"shape": (2, *state),
                                         "__layout__": cell.state_info()[0]["__layout__"]}
    lstm = crnn.Conv1DLSTMCell((3, 7), 4, 3, 3, prefix="l_")
    assert [(k, p.shape) for k, p in lstm.collect_params().items()] == [
        ("l_i2h_weight", (16, 3, 3)), ("l_h2h_weight", (16, 4, 3)), ("l_i2h_bias", (16,)),
        ("l_h2h_bias", (16,))]
    assert len(lstm.state_info(2)) == 2
    assert crnn.Conv1DGRUCell((3, 7), 4, 3, 3).prefix.startswith("conv_gru")
    assert crnn.LSTMPCell(2, 1).prefix.startswith("lstmp")
    with pytest.raises(AssertionError, match="Only support odd number"):
        crnn.Conv1DRNNCell((3, 7), 4, 3, 2)


def test_unrolled_graphs_are_mxnets():
    # MXNet 1.9.1 (mxref), 1.x switches: output and argument names and inferred shapes
    npx.reset_np()
    cell = crnn.LSTMPCell(6, 3, prefix="p_")
    outs, states = cell.unroll(2, [sym.var("x0"), sym.var("x1")])
    graph = sym.Group(outs + states)
    assert graph.list_outputs() == ["p_t0_out_output", "p_t1_out_output", "p_t1_out_output",
                                    "p_t1_state_output"]
    assert graph.list_arguments() == ["x0", "p_i2h_weight", "p_i2h_bias", "p_h2h_weight",
                                      "p_h2h_bias", "p_h2r_weight", "x1"]
    assert graph.infer_shape(x0=(4, 5), x1=(4, 5))[1] == [(4, 3), (4, 3), (4, 3), (4, 6)]
    cell = crnn.Conv2DGRUCell((3, 5, 6), 2, 3, 3, prefix="g_")
    outs, states = cell.unroll(2, [sym.var("x0"), sym.var("x1")])
    graph = sym.Group(outs + states)
    assert graph.list_outputs() == ["g_t0_out_output", "g_t1_out_output", "g_t1_out_output"]
    assert graph.infer_shape(x0=(4, 3, 5, 6), x1=(4, 3, 5, 6))[1] == [(4, 2, 3, 4)] * 3


def test_conv_cell_infers_input_channels_and_hybridizes():
    cell = crnn.Conv1DLSTMCell((0, 7), 10, (3,), (3,))
    cell.initialize()
    x = np.array(onp.random.default_rng(2).standard_normal((8, 3, 5, 7)), dtype="float32")
    outputs, _ = cell.unroll(3, x, merge_outputs=True)
    assert cell.i2h_weight.shape == (40, 5, 3)
    cell.hybridize()
    again, _ = cell.unroll(3, x, merge_outputs=True)
    onp.testing.assert_allclose(again.asnumpy(), outputs.asnumpy(), rtol=1e-5, atol=1e-6)


def test_variational_dropout_keeps_one_mask_per_sequence():
    x = np.ones((4, 6, 50))
    for drop_states in (0.0, 0.5):  # unrolled whole, or stepped with a state mask
        cell = crnn.VariationalDropoutCell(gluon.rnn.RNNCell(30, prefix="r_"),
                                           drop_outputs=0.5, drop_states=drop_states)
        cell.initialize(init="ones")
        with autograd.record():
            out, _ = cell.unroll(6, x, merge_outputs=True)
        dropped = out.asnumpy() == 0
        assert dropped.any() and not dropped.all()
        assert (dropped == dropped[:, :1]).all()  # the same units at every step
    assert repr(cell) == "VariationalDropoutCell(p_out = 0.5, p_state = 0.5)"
    out, _ = cell.unroll(6, x, merge_outputs=True)  # outside training: no dropout
    assert (out.asnumpy() != 0).all()


def test_dynamic_unroll_matches_unroll_with_valid_length():
    rng = onp.random.default_rng(3)
    cell = gluon.rnn.LSTMCell(3, input_size=5)
    cell.initialize()
    x = np.array(rng.standard_normal((2, 4, 5)), dtype="float32")
    valid = np.array([2, 4])
    begin = cell.begin_state(2)
    want, want_states = cell.unroll(4, x, begin, layout="NTC", valid_length=valid,
                                    merge_outputs=True)
    got, states = dynamic_unroll(cell, x, begin, layout="NTC", valid_length=valid)
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)
    for a, b in zip(states, want_states):
        onp.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-5, atol=1e-6)
    assert (got.asnumpy()[0, 2:] == 0).all()
    plain, _ = dynamic_unroll(cell, np.swapaxes(x, 0, 1), begin)  # TNC, no lengths
    onp.testing.assert_allclose(np.swapaxes(plain, 0, 1).asnumpy()[1], want.asnumpy()[1],
                                rtol=1e-5, atol=1e-6)
