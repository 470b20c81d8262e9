"""The fused LSTM's steps in C (mxnp/_libm's lstm_step_in, lstm_step_cell, lstm_backward_step,
compiled core) give the bits of its NumPy passes (rnn_fused with no _libm): outputs, final
states and workspace forward; every cotangent backward. Layers, directions (whose outputs and
cotangents are column blocks of wider arrays), float32 and float64, a broadcast head gradient,
extreme gate inputs (exp overflowing to inf), and the gluon layer end to end."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import _native, autograd, gluon, np, npx
from mxnp._ops.nn import rnn_fused

pytestmark = pytest.mark.skipif(_native.libm() is None,
                                reason="the pure-Python path has no C loops; it runs the "
                                       "NumPy passes themselves")


def _same(a, b):
    assert (a is None) == (b is None)
    if a is not None:
        assert a.dtype == b.dtype and a.shape == b.shape
        onp.testing.assert_array_equal(a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}"))


def _both(monkeypatch, run):
    """``run()`` with the C loops, then with the NumPy passes."""
    got = run()
    with monkeypatch.context() as m:
        m.setattr(rnn_fused, "_LIBM", None)
        want = run()
    return got, want


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layers, dirs", [(1, 1), (2, 1), (1, 2), (2, 2)])
@pytest.mark.parametrize("head", ["dense", "broadcast"])
def test_forward_and_backward_equal_the_numpy_passes(monkeypatch, dtype, layers, dirs, head):
    rng = onp.random.default_rng(layers * 10 + dirs)
    steps, batch, inputs, size = 5, 3, 4, 6
    _, n = rnn_fused.param_slices("lstm", inputs, size, layers, dirs)
    flat = (rng.standard_normal(n) * 2).astype(dtype)  # large enough to saturate some gates
    flat[:7] = [60, -60, 200, -200, 0, 1e-30, -1e-30]  # exp's overflow to inf, and ties
    x = rng.standard_normal((steps, batch, inputs)).astype(dtype)
    h0, c0 = (rng.standard_normal((layers * dirs, batch, size)).astype(dtype) for _ in "hc")

    def forward():
        with onp.errstate(over="ignore"):
            return rnn_fused.forward(onp, "lstm", x, flat, h0, c0, [], size, layers, dirs)

    got, want = _both(monkeypatch, forward)
    for a, b in zip(got, want):
        _same(a, b)
    y, h_n, c_n, ws = want
    gy = onp.broadcast_to(onp.asarray(0.5, dtype), y.shape) if head == "broadcast" else \
        rng.standard_normal(y.shape).astype(dtype)
    ghn, gcn = rng.standard_normal(h_n.shape).astype(dtype), \
        rng.standard_normal(c_n.shape).astype(dtype)
    got, want = _both(monkeypatch, lambda: rnn_fused.backward(
        onp, "lstm", x, flat, h0, c0, [], y, ws, gy, ghn, gcn, size, layers, dirs))
    for a, b in zip(got, want):
        _same(a, b)


def test_the_gluon_layer_gives_the_same_values_and_gradients(monkeypatch):
    npx.set_np()
    layer = gluon.rnn.LSTM(8, num_layers=2, bidirectional=True)
    layer.initialize()
    x = np.array(onp.random.default_rng(3).standard_normal((4, 2, 5)), dtype="float32")
    x.attach_grad()

    def run():
        with autograd.record():
            y = layer(x)
            loss = (y * y).sum()
        loss.backward()
        return [y.asnumpy(), x.grad.asnumpy()] + \
            [p.grad().asnumpy() for p in layer.collect_params().values()]

    got, want = _both(monkeypatch, run)
    for a, b in zip(got, want):
        _same(a, b)


@pytest.mark.parametrize("call, args", [
    ("lstm_step_in", lambda f: (f((3, 8)), f((8, 4)))),  # hg must be (4H, N)
    ("lstm_step_cell", lambda f: (f((3, 8)), f((3, 3)), f((3, 2)))),
    ("lstm_backward_step", lambda f: (f((3, 8)),) + (f((3, 2)),) * 5 + (f((3, 4)),)),
])
def test_mismatched_arrays_are_refused_with_the_function_named(call, args):
    libm = _native.libm()
    with pytest.raises(ValueError, match=f"_libm.{call}: expected arrays of one float dtype"):
        getattr(libm, call)(*args(lambda s: onp.zeros(s, "float32")))
    with pytest.raises(ValueError, match="_libm: expected a 2-D float32 or float64 array"):
        getattr(libm, call)(*args(lambda s: onp.zeros(s, "int32")))
