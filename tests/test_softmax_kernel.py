"""softmax and log_softmax as MXNet 1.9.1's CPU kernel computes them (mxnp/_libm.pyx): the
first largest value, the exponentials summed in order in the array's type, then exp(a) / sum or
a - log(sum). The fixture was recorded with mxref (tests/data/record_softmax_kernel.py); the
pure-Python path computes with NumPy and agrees to rounding."""
from __future__ import annotations

import json
import os

import numpy as onp
import pytest

from mxnp import _native, np, npx
from mxnp._ops.nn import basic

FIXTURE = os.path.join(os.path.dirname(__file__), "data", "softmax_kernel.json")
X = (onp.arange(24, dtype="float32").reshape(2, 3, 4) * 0.7 - 5.3).astype("float32") \
    * onp.float32(1.37)
CASES = {  # fixture key suffix -> (input dtype, keyword arguments)
    "f32_axis1": ("float32", {"axis": 1}),
    "f32_axis0": ("float32", {"axis": 0}),
    "f64_last": ("float64", {}),
    "f64_t": ("float64", {"axis": 1, "temperature": 2.5}),
    "f32_t": ("float32", {"axis": 0, "temperature": 0.75}),
}


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_mxnet_kernel_values(name, case):
    with open(FIXTURE) as f:
        want = onp.array([float.fromhex(h) for h in json.load(f)[f"{name}_{case}"]])
    dtype, kwargs = CASES[case]
    got = getattr(npx, name)(np.array(X.astype(dtype)), **kwargs).asnumpy()
    assert got.dtype == onp.dtype(dtype)
    if _native.libm() is not None:  # MXNet's kernel, bit for bit
        onp.testing.assert_array_equal(got.ravel().astype("float64"), want)
    else:  # NumPy's loops: the same values to rounding
        onp.testing.assert_allclose(got.ravel(), want, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_a_strided_input_gives_what_its_copy_gives(name):
    x = onp.random.default_rng(0).standard_normal((5, 7)).astype("float32")
    fn = getattr(npx, name)
    view = np.array(x).T  # not C-contiguous
    onp.testing.assert_array_equal(fn(view, axis=0).asnumpy(),
                                   fn(np.array(onp.ascontiguousarray(x.T)), axis=0).asnumpy())


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_past_the_kernel_size_numpy_agrees(name, monkeypatch):
    x = np.array(onp.random.default_rng(1).standard_normal((40, 9)))
    fn = getattr(npx, name)
    small = fn(x, axis=0).asnumpy()
    monkeypatch.setattr(basic, "_KERNEL_MAX", 10)  # NumPy's loops beyond it
    onp.testing.assert_allclose(fn(x, axis=0).asnumpy(), small, rtol=1e-12, atol=1e-15)


def test_nan_and_empty_axis():
    x = np.array([[1.0, onp.nan, 3.0], [onp.nan, 0.0, 1.0]])
    got = npx.softmax(x).asnumpy()
    # MXNet's kernel passes over a nan after the first value when it finds the largest, and
    # the nan then reaches the sum: the whole row is nan
    assert onp.isnan(got).all()
    empty = npx.log_softmax(np.zeros((3, 0)))
    assert empty.shape == (3, 0)
