"""BatchNorm's backward takes a raw path when nothing records it (``_bn_vjp_raw``) and its
ops' path under create_graph; both must give the same bits: the three gradients and the
moving statistics the training backward updates, for each dtype (float16 data computes in
float32), axis and fix_gamma."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx


def _run(values, create_graph, fix_gamma, dtype, axis):
    x_raw, gamma_raw, beta_raw, head = values
    pdtype = "float32" if dtype == "float16" else dtype
    x = np.array(x_raw, dtype=dtype)
    gamma, beta = np.array(gamma_raw, dtype=pdtype), np.array(beta_raw, dtype=pdtype)
    channels = x.shape[axis]
    moving_mean, moving_var = np.zeros(channels, dtype=pdtype), np.ones(channels, dtype=pdtype)
    for a in (x, gamma, beta):
        a.attach_grad()
    with autograd.record():
        y = npx.batch_norm(x, gamma, beta, moving_mean, moving_var, fix_gamma=fix_gamma,
                           axis=axis)
        loss = (y * np.array(head, dtype=dtype)).sum()
    if create_graph:
        grads = autograd.grad(loss, [x, gamma, beta], create_graph=True, retain_graph=True)
    else:
        loss.backward()
        grads = [x.grad, gamma.grad, beta.grad]
    return [a.asnumpy() for a in (*grads, moving_mean, moving_var)]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("fix_gamma", [True, False])
@pytest.mark.parametrize("axis, shape", [(1, (4, 3, 5, 6)), (-1, (7, 2, 5)), (0, (3, 8))])
def test_the_raw_backward_equals_the_recorded_one_bit_for_bit(dtype, fix_gamma, axis, shape):
    npx.set_np()
    rng = onp.random.default_rng(len(shape) * 7 + axis)
    channels = shape[axis]
    values = (rng.standard_normal(shape) * 3 + 1, rng.standard_normal(channels),
              rng.standard_normal(channels), rng.standard_normal(shape))
    plain = _run(values, False, fix_gamma, dtype, axis)
    recorded = _run(values, True, fix_gamma, dtype, axis)
    assert plain[3].tolist() != [0.0] * channels  # the moving mean did move
    for a, b in zip(plain, recorded):
        assert a.dtype == b.dtype
        onp.testing.assert_array_equal(a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}"))
