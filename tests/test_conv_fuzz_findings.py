"""What differential fuzzing of convolution and pooling against MXNet 1.9.1 turned up: each
expected value was read off the real MXNet 1.9.1 (mxref) unless a comment says otherwise."""
from __future__ import annotations

import math

import numpy as onp
import pytest

from mxnp import autograd, np, npx

LOW64 = -1.7976931348623157e+308  # float64's lowest: the max-pool value of an empty window


# ---- pooling ---------------------------------------------------------------------------------
def test_pooling_pad_at_least_kernel_as_mxnet_native_kernels():
    # MXNet's own kernels (float64, and sum/lp in any dtype) take pad >= kernel: windows
    # wholly in the padding give the pad value (max), 0 (avg, sum, lp)
    x = np.array([[[3., 1., 4., 1., 5.]]], dtype="float64")
    got = [npx.pooling(x, kernel=(2,), stride=(2,), pad=(3,), pool_type=t,
                       p_value=2 if t == "lp" else None).tolist()
           for t in ("max", "avg", "sum", "lp")]
    assert got[:3] == [[[[LOW64, 3.0, 4.0, 5.0, LOW64]]], [[[0.0, 1.5, 2.5, 3.0, 0.0]]],
                       [[[0.0, 3.0, 5.0, 6.0, 0.0]]]]
    onp.testing.assert_allclose(got[3], [[[0.0, 3.0, 4.123105625617661, 5.0990195135927845,
                                           0.0]]], rtol=1e-15)
    y = npx.pooling(x, kernel=(2,), stride=(2,), pad=(3,), pool_type="avg",
                    count_include_pad=False)
    assert y.tolist() == [[[0.0, 3.0, 2.5, 3.0, 0.0]]]


def test_max_pooling_pad_at_least_kernel_gradient():
    x = np.arange(12, dtype="float64").reshape(1, 1, 3, 4) % 5
    x.attach_grad()
    with autograd.record():
        y = npx.pooling(x, kernel=(1, 2), stride=(1, 1), pad=(1, 2), pool_type="max")
    y.backward(np.arange(y.size, dtype="float64").reshape(y.shape))
    assert y.shape == (1, 1, 5, 7)
    assert y[0, 0, 0].tolist() == [LOW64] * 7
    assert y[0, 0, 2].tolist() == [LOW64, 4.0, 4.0, 1.0, 2.0, 2.0, LOW64]
    assert x.grad.tolist() == [[[[8.0, 9.0, 10.0, 23.0], [31.0, 0.0, 17.0, 37.0],
                                 [22.0, 47.0, 0.0, 51.0]]]]


def test_avg_pooling_3d_empty_window_is_nan_where_mxnet_counts_zero():
    # MXNet's 3-D average divides each window's sum by its count: 0/0 where the count is
    # exactly 0; 1-D and 2-D give 0 there (their kernels divide each entry)
    x = np.arange(1, 4, dtype="float32").reshape(1, 1, 1, 1, 3)
    x.attach_grad()
    with autograd.record():
        y = npx.pooling(x, kernel=(1, 1, 1), stride=(1, 1, 3), pool_type="avg",
                        pooling_convention="full")
    y.backward()
    assert y.reshape(-1)[0].item() == 1.0 and math.isnan(y.reshape(-1)[1].item())
    assert x.grad.reshape(-1).tolist() == [1.0, 0.0, 0.0]
    ones = np.ones((1, 1, 1, 1, 3))
    kw = dict(kernel=(1, 1, 2), stride=(1, 1, 4), pad=(0, 0, 1), pool_type="avg",
              pooling_convention="full")
    assert npx.pooling(ones, count_include_pad=True, **kw).reshape(-1).tolist() == [0.5, 0.0]
    y = npx.pooling(ones, count_include_pad=False, **kw).reshape(-1)
    assert y[0].item() == 1.0 and math.isnan(y[1].item())
    # a count below 0 (the window starts past the padded end) gives 0, as in MXNet
    y = npx.pooling(np.arange(1, 3, dtype="float32").reshape(1, 1, 1, 1, 2), kernel=(1, 1, 1),
                    stride=(1, 1, 3), pool_type="avg", pooling_convention="full")
    assert y.reshape(-1).tolist() == [1.0, 0.0]
    y = npx.pooling(np.arange(1, 4, dtype="float32").reshape(1, 1, 3), kernel=(1,),
                    stride=(3,), pool_type="avg", pooling_convention="full")
    assert y.reshape(-1).tolist() == [1.0, 0.0]  # 1-D: 0



def test_float16_pooling_sums_in_float32():
    # MXNet sums float16 windows in float32 and rounds once: 2048 + 4 * 1 survives
    z = np.array([[[2048., 1., 1., 1., 1.]]], dtype="float16")
    assert npx.pooling(z, kernel=(5,), pool_type="sum").tolist() == [[[2052.0]]]
    y = npx.pooling(z, kernel=(5,), pool_type="avg")
    assert y.dtype == onp.float16 and y.tolist() == [[[410.5]]]
    # lp: x ** 3 of a small float16 would underflow to 0 (and the gradient to inf)
    x = np.array([[[0.003, 0.5, -0.002, 1e-3]]], dtype="float16")
    x.attach_grad()
    with autograd.record():
        y = npx.pooling(x, kernel=(1,), pool_type="lp", p_value=3)
    y.backward()
    assert y.tolist() == [[[0.0030002593994140625, 0.5, -0.0020008087158203125,
                            0.0010004043579101562]]]
    assert y.dtype == onp.float16 and x.grad.dtype == onp.float16
    assert x.grad.tolist() == [[[1.0, 1.0, 1.0, 1.0]]]

# ---- deconvolution ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_deconvolution_stride_and_dilate_on_one_axis(dtype):
    # MXNet's float32 (oneDNN) values; its float64 kernel gives [1, 0, 10, 2, 20, 3, 30] (a bug)
    x = np.array([[[1., 2., 3.]]], dtype=dtype)
    w = np.array([[[1., 10.]]], dtype=dtype)
    y = npx.deconvolution(x, w, kernel=(2,), stride=(2,), dilate=(2,), num_filter=1)
    assert y.dtype == dtype and y.tolist() == [[[1.0, 0.0, 12.0, 0.0, 23.0, 0.0, 30.0]]]
    y = npx.deconvolution(x, w, kernel=(2,), stride=(3,), dilate=(2,), num_filter=1)
    assert y.tolist() == [[[1.0, 0.0, 10.0, 2.0, 0.0, 20.0, 3.0, 0.0, 30.0]]]  # by hand


# ---- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda x: npx.convolution(x, x[:, :, :3, :3], None, kernel=(3, 3), num_filter=1,
                              no_bias=True),
    lambda x: npx.deconvolution(x, x[:, :, :3, :3], kernel=(3, 3), num_filter=1),
    lambda x: npx.pooling(x, kernel=(2, 2)),
])
def test_integer_data_raises_mxnet_error_and_type_error(call):
    # MXNet raises MXNetError ("This operation only support floating point types, not int32")
    from mxnp.base import MXNetError
    x = np.ones((1, 1, 4, 4), dtype="int32")
    with pytest.raises(MXNetError, match="floating point data, got int32") as info:
        call(x)
    assert isinstance(info.value, TypeError)
