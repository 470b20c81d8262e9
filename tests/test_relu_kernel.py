"""relu's rule in one pass (mxnp/_libm.relu_grad, compiled core) gives what NumPy's three
passes give: g where the output is positive, g * 0 elsewhere (a signed zero, or nan for an
infinite g), nan where the output is nan."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import _native, autograd, np, npx

SPECIALS = [0.0, -0.0, 1.5, -2.0, onp.inf, -onp.inf, onp.nan]


def _by_numpy(g, ans):
    with onp.errstate(invalid="ignore"):  # inf * 0 is nan, as intended
        out = onp.multiply(g, ans > 0)
    out[onp.isnan(ans)] = onp.nan
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_kernel_equals_numpy_bit_for_bit(dtype):
    libm = _native.libm()
    if libm is None:
        pytest.skip("the pure-Python path has no C loops; it runs NumPy's form itself")
    rng = onp.random.default_rng(0)
    ans = onp.maximum(rng.standard_normal(1000), 0).astype(dtype)
    g = rng.standard_normal(1000).astype(dtype)
    grid = onp.array(SPECIALS, dtype)
    ans = onp.concatenate([ans, onp.repeat(onp.abs(grid), len(grid)), [onp.nan, 0.0]]).astype(dtype)
    g = onp.concatenate([g, onp.tile(grid, len(grid)), [1.0, onp.nan]]).astype(dtype)
    got, want = libm.relu_grad(g, ans), _by_numpy(g, ans)
    assert got.dtype == want.dtype
    onp.testing.assert_array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_gradients_with_nans_and_zeros(dtype):
    x = np.array([[-1.0, 0.0, 2.0], [onp.nan, 3.0, -0.0]], dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = npx.relu(x) * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, -6.0]], dtype=dtype)
    y.backward()
    want = onp.array([[0.0, 0.0, 3.0], [onp.nan, 5.0, -0.0]], dtype)
    got = x.grad.asnumpy()
    onp.testing.assert_array_equal(got, want)
    assert onp.signbit(got[1, 2])  # -6 * 0 is -0
