"""npx.convolution, npx.deconvolution and npx.pooling: MXNet 1.9.1's numbers, loop references,
gradients MXNet routes in its own way, and bad input. Gradients by finite differences are in
tests/grad_rows/conv.py."""
from __future__ import annotations

import re

import numpy as onp
import pytest

from mxnp import np, npx
from mxnp._ops.nn import columns
from mxnp._ops.nn import conv as conv_ops
from mxnp.base import MXNetError, OpError
from mxnp.testing import assert_allclose
from tests.grad_rows.conv import ref_conv, ref_deconv, ref_wgrad
from tests.helpers import grad_of

RNG = onp.random.default_rng(7)
X16 = np.arange(16.).reshape(1, 1, 4, 4)




# ---- convolution -----------------------------------------------------------------------------
def test_convolution_mxnet_values():  # catalogue section 5
    ones, w = np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3))
    y = npx.convolution(ones, w, np.zeros(2), kernel=(3, 3), num_filter=2)
    assert y.shape == (1, 2, 3, 3) and y.dtype == onp.float32
    y = npx.convolution(ones, w, np.zeros(2), kernel=(3, 3), num_filter=2, pad=(1, 1),
                        stride=(2, 2))
    assert_allclose(y[0, 1], [[4, 6, 4], [6, 9, 6], [4, 6, 4]])
    assert npx.convolution(np.ones((1, 2, 5)), np.ones((4, 2, 3)), np.zeros(4), kernel=(3,),
                           num_filter=4).shape == (1, 4, 3)
    assert npx.convolution(np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3)), None, kernel=(3, 3),
                           num_filter=4, num_group=2, no_bias=True).shape == (1, 4, 3, 3)


@pytest.mark.parametrize("shape, wshape, stride, pad, dilate, groups", [
    ((2, 3, 6, 5), (4, 3, 3, 2), (2, 1), (1, 0), (1, 2), 1),
    ((1, 4, 7), (6, 2, 3), (3,), (2,), (2,), 2),
    ((1, 2, 4, 5, 3), (2, 1, 2, 3, 2), (1, 2, 1), (0, 1, 1), (2, 1, 1), 2),
])
def test_convolution_and_deconvolution_match_loops(shape, wshape, stride, pad, dilate, groups):
    x, w = RNG.standard_normal(shape), RNG.standard_normal(wshape)
    geom = {"stride": stride, "pad": pad, "dilate": dilate}
    y = npx.convolution(np.array(x), np.array(w), None, kernel=wshape[2:], num_filter=wshape[0],
                        num_group=groups, no_bias=True, **geom)
    want = ref_conv(x, w, stride, pad, dilate, groups)
    assert_allclose(y, want, rtol=1e-12, atol=1e-12)
    # deconvolution of y with the same weight is convolution's data gradient
    back = npx.deconvolution(np.array(want), np.array(w), kernel=wshape[2:],
                             num_filter=shape[1], num_group=groups, **geom,
                             adj=tuple(s - ((o - 1) * t - 2 * p + d * (k - 1) + 1) for s, o, t,
                                       p, d, k in zip(shape[2:], want.shape[2:], stride, pad,
                                                      dilate, wshape[2:])))
    assert_allclose(back, ref_deconv(want, w, shape[2:], stride, pad, dilate, groups),
                    rtol=1e-12, atol=1e-12)


def _family_matches_loops(shape, wshape, stride, pad, dilate, groups):
    """The forward, data gradient (deconvolution) and weight gradient of random float64 data
    equal the loop references."""
    x, w = RNG.standard_normal(shape), RNG.standard_normal(wshape)
    geom = {"stride": stride, "pad": pad, "dilate": dilate, "groups": groups}
    y = conv_ops._conv_forward(onp, x, w, **geom)
    assert_allclose(y, ref_conv(x, w, stride, pad, dilate, groups), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(y.shape)
    assert_allclose(conv_ops._deconv_forward(onp, g, w, shape[2:], **geom),
                    ref_deconv(g, w, shape[2:], stride, pad, dilate, groups),
                    rtol=1e-12, atol=1e-12)
    assert_allclose(conv_ops._conv_wgrad_forward(onp, x, g, wshape[2:], **geom),
                    ref_wgrad(x, g, wshape[2:], stride, pad, dilate, groups),
                    rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("chunk_bytes", [1, 700, 1 << 20])  # a sample, a few, all at once
@pytest.mark.parametrize("shape, wshape, stride, pad, dilate, groups", [
    ((7, 4, 6, 5), (6, 2, 3, 2), (2, 1), (1, 1), (1, 2), 2),
    ((5, 3, 9), (2, 3, 4), (1,), (2,), (2,), 1),
    ((3, 2, 4, 5, 4), (4, 2, 2, 3, 2), (1, 2, 1), (1, 0, 1), (1, 1, 2), 1),
])
def test_convolution_family_in_batch_chunks_matches_loops(monkeypatch, chunk_bytes, shape,
                                                          wshape, stride, pad, dilate, groups):
    """The primitives work a few samples at a time (columns.CHUNK_BYTES): any chunking gives
    the loops' numbers, the last chunk shorter than the others included."""
    monkeypatch.setattr(columns, "CHUNK_BYTES", chunk_bytes)
    _family_matches_loops(shape, wshape, stride, pad, dilate, groups)


@pytest.mark.parametrize("piece", [1, 7, 1000])  # one position at a time, a few, all
@pytest.mark.parametrize("shape, wshape, stride, pad, dilate, groups", [
    ((3, 4, 6, 5), (6, 2, 3, 2), (1, 1), (1, 1), (1, 2), 2),
    ((2, 3, 12), (2, 3, 4), (1,), (2,), (2,), 1),
    ((2, 2, 4, 5, 4), (4, 2, 2, 3, 2), (1, 1, 1), (1, 0, 1), (1, 1, 2), 1),
])
def test_convolution_family_in_position_pieces_matches_loops(monkeypatch, piece, shape,
                                                             wshape, stride, pad, dilate, groups):
    """Products cut into pieces of positions (columns.piece), the last one shorter than the
    others, give the loops' numbers."""
    monkeypatch.setattr(columns, "piece", lambda positions, mk: piece)
    _family_matches_loops(shape, wshape, stride, pad, dilate, groups)


@pytest.mark.parametrize("shape, wshape, pad, dilate, groups", [
    ((3, 4, 6, 5), (6, 2, 3, 2), (1, 1), (1, 2), 2),
    ((2, 3, 12), (2, 3, 4), (2,), (2,), 1),
    ((2, 2, 4, 5, 4), (4, 2, 2, 3, 2), (1, 0, 1), (1, 1, 2), 1),
    ((2, 1, 5, 6), (3, 1, 3, 3), (0, 0), (1, 1), 1),
    ((2, 3, 4, 5), (2, 3, 1, 2), (1, 2), (1, 1), 1),  # pads beyond the kernel's reach
    ((1, 2, 3, 4, 3), (2, 2, 1, 1, 2), (1, 2, 1), (1, 1, 1), 1),
])
def test_convolution_flat_windows_match_loops(monkeypatch, shape, wshape, pad, dilate, groups):
    """Stride 1 on the padded grid's rows (columns.flat_windows) gives the loops' numbers,
    forward and weight gradient, whichever lowering the shapes would choose."""
    monkeypatch.setattr(columns, "CHUNK_BYTES", 300)  # a few samples at a time
    stride = (1,) * len(pad)
    x, w = RNG.standard_normal(shape), RNG.standard_normal(wshape)
    y = conv_ops._conv_forward_flat(onp, x, w, pad, dilate, groups)
    assert_allclose(y, ref_conv(x, w, stride, pad, dilate, groups), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(y.shape)
    assert_allclose(conv_ops._conv_wgrad_flat(onp, x, g, wshape[2:], pad, dilate, groups),
                    ref_wgrad(x, g, wshape[2:], stride, pad, dilate, groups),
                    rtol=1e-12, atol=1e-12)
    assert_allclose(conv_ops._conv_forward_flat(onp, x.astype("float32"), w.astype("float32"),
                                                pad, dilate, groups), y, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("y_shape, wshape, size, stride, pad, dilate, groups", [
    ((2, 4, 5, 5), (4, 3, 3, 3), (10, 10), (2, 2), (1, 1), (1, 1), 1),  # ResNet's shortcut
    ((2, 4, 5, 5), (4, 3, 3, 3), (10, 9), (2, 2), (1, 1), (1, 1), 1),  # adj 1, then 0
    ((2, 4, 4, 5), (4, 2, 1, 1), (7, 9), (2, 2), (0, 0), (1, 1), 2),  # 1x1: one phase only
    ((1, 2, 4), (2, 3, 2), (11,), (3,), (0,), (1,), 1),  # stride > kernel: a phase of zeros
    ((2, 3, 6), (3, 2, 3), (12,), (2,), (2,), (2,), 1),  # dilation 2: even inputs get no tap
    ((1, 2, 5, 4), (2, 2, 4, 3), (17, 12), (3, 2), (2, 1), (2, 3), 1),  # dilation and stride
    ((1, 2, 3, 2, 3), (2, 1, 2, 3, 2), (6, 2, 6), (2, 1, 2), (0, 1, 1), (1, 1, 2), 2),
])
def test_deconvolution_by_phases_matches_loops(y_shape, wshape, size, stride, pad, dilate,
                                               groups):
    """A strided deconvolution, one stride-1 convolution per phase of its outputs."""
    y, w = RNG.standard_normal(y_shape), RNG.standard_normal(wshape)
    geom = {"stride": stride, "pad": pad, "dilate": dilate, "groups": groups}
    assert_allclose(conv_ops._deconv_forward(onp, y, w, size, **geom),
                    ref_deconv(y, w, size, stride, pad, dilate, groups), rtol=1e-12, atol=1e-12)


def test_convolution_pieces_stay_small_products_of_useful_length():
    assert columns.piece(784, 16 * 144) == 392  # 16 channels on 28x28: 2 x 392 positions
    assert columns.piece(196, 32 * 288) == 98
    assert columns.piece(196, 32 * 144) == 196  # small already
    assert columns.piece(997, 16 * 144) == 333  # the last piece shorter
    assert columns.piece(4096, 512 * 4608) == 4096  # pieces of one position would be slow


def test_convolution_channel_last_layout_matches_channel_first():
    x, w = RNG.standard_normal((2, 3, 5, 4)), RNG.standard_normal((4, 3, 2, 2))
    b = np.ones(4, dtype="float64")
    first = npx.convolution(np.array(x), np.array(w), b, kernel=(2, 2), num_filter=4)
    last = npx.convolution(np.array(x.transpose(0, 2, 3, 1)), np.array(w.transpose(0, 2, 3, 1)),
                           b, kernel=(2, 2), num_filter=4, layout="NHWC")
    assert_allclose(last, first.asnumpy().transpose(0, 2, 3, 1), rtol=1e-12)


def test_convolution_out_argument():
    out = np.zeros((1, 2, 3, 3))
    y = npx.convolution(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), np.ones(2), kernel=(3, 3),
                        num_filter=2, out=out)
    assert y is out and float(out[0, 0, 0, 0]) == 10.0


@pytest.mark.parametrize("kwargs, match", [
    ({"num_filter": 2}, "kernel= and num_filter= are required"),
    ({"kernel": (3, 3)}, "kernel= and num_filter= are required"),
    ({"kernel": (2, 2), "num_filter": 2}, r"weight of shape \(2, 1, 3, 3\).*expected "
                                         r"\(2, 1, 2, 2\)"),
    ({"kernel": (3, 3), "num_filter": 3}, r"expected \(3, 1, 3, 3\)"),
    ({"kernel": (3, 3), "num_filter": 2, "stride": (2,)}, "stride must have 2 entries"),
    ({"kernel": 3, "num_filter": 2}, "a 1-D kernel needs data of 3 axes"),
    ({"kernel": (3, 3), "num_filter": 2, "no_bias": True},  # MXNet 1.9.1's message (mxref)
     r"\(3 vs\. 2\) : Operator Convolution expects 2 inputs, but got 3 instead\."),
    ({"kernel": (3, 3), "num_filter": 2, "layout": "NCW"}, "layout must be one of"),
    ({"kernel": (3, 3), "num_filter": 2, "num_group": 2}, "num_group=2 must divide"),
    ({"kernel": (3, 3), "num_filter": 2, "dilate": (2, 2)}, "exceeds the input"),
])
def test_convolution_bad_arguments(kwargs, match):
    with pytest.raises(OpError, match=match):
        npx.convolution(np.ones((1, 1, 3, 3)), np.ones((2, 1, 3, 3)), np.zeros(2), **kwargs)


def test_convolution_bad_bias_and_types():
    x, w = np.ones((1, 1, 3, 3)), np.ones((2, 1, 3, 3))
    with pytest.raises(MXNetError, match=re.escape(  # MXNet 1.9.1's message (mxref)
            "Check failed: num_inputs == infered_num_inputs (2 vs. 3) : Operator Convolution "
            "expects 3 inputs, but got 2 instead.")):
        npx.convolution(x, w, kernel=(3, 3), num_filter=2)
    with pytest.raises(MXNetError, match=r"needs a bias array of shape \(2,\)"):
        npx.convolution(x, w, [0.0, 0.0], kernel=(3, 3), num_filter=2)
    with pytest.raises(OpError, match=r"bias must have shape \(2,\)"):
        npx.convolution(x, w, np.zeros(3), kernel=(3, 3), num_filter=2)
    with pytest.raises(TypeError, match="floating point data, got int32"):
        npx.convolution(x.astype("int32"), w.astype("int32"), None, kernel=(3, 3), num_filter=2,
                        no_bias=True)
    # MXNet 1.9.1's messages (mxref); the error is an MXNetError (MXNet's type) and a TypeError
    with pytest.raises(MXNetError, match=re.escape(
            "Check failed: (*in_type)[i] == dtype (0 vs. 1) : This layer requires uniform type. "
            "Expected 'float64' v.s. given 'float32' at 'weight'")):
        npx.convolution(x.astype("float64"), w, None, kernel=(3, 3), num_filter=2, no_bias=True)
    with pytest.raises(TypeError, match=re.escape(
            "(1 vs. 0) : This layer requires uniform type. Expected 'float32' v.s. given "
            "'float64' at 'bias'")):
        npx.convolution(x, w, np.zeros(2, dtype="float64"), kernel=(3, 3), num_filter=2)
    with pytest.raises(MXNetError, match=re.escape("Expected 'int32' v.s. given 'float32'")):
        npx.convolution(x.astype("int32"), w, None, kernel=(3, 3), num_filter=2, no_bias=True)


# ---- deconvolution ---------------------------------------------------------------------------
XD, WD = np.arange(9.).reshape(1, 1, 3, 3), np.arange(18.).reshape(1, 2, 3, 3)


def test_deconvolution_mxnet_values():
    y = npx.deconvolution(XD, WD, np.array([1., 2.]), kernel=(3, 3), num_filter=2,
                          no_bias=False)
    assert_allclose(y[0, 0], [[1, 1, 2, 5, 5], [1, 7, 21, 27, 21], [10, 37, 85, 85, 58],
                              [37, 91, 165, 135, 81], [37, 85, 146, 113, 65]])
    assert npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2)).shape == \
        (1, 2, 7, 7)
    assert npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, dilate=(2, 2)).shape == \
        (1, 2, 7, 7)
    padded = npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2), pad=(1, 1),
                               adj=(1, 1))
    assert_allclose(padded[0, 0, 0], [0, 3, 4, 11, 8, 10])


def test_deconvolution_target_shape_sets_pad_and_adj():
    padded = npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2), pad=(1, 1),
                               adj=(1, 1))
    # MXNet: target 6 of a full 7 gives pad 1, adj 1 (MKL-DNN itself fails without pad=)
    target = npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2),
                               target_shape=(6, 6))
    assert_allclose(target, padded)
    assert npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2),
                             target_shape=(4, 4)).shape == (1, 2, 4, 4)
    with pytest.raises(OpError, match=r"target_shape \(8, 8\) exceeds the largest output"):
        npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, stride=(2, 2),
                          target_shape=(8, 8))


def test_deconvolution_bad_arguments():
    with pytest.raises(OpError, match="Operator Deconvolution expects 2 inputs, but got 3"):
        npx.deconvolution(XD, WD, np.zeros(2), kernel=(3, 3), num_filter=2)
    with pytest.raises(OpError, match=r"adj \(1, 1\) must be smaller than stride \(1, 1\)"):
        npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=2, adj=(1, 1))
    with pytest.raises(OpError, match=r"expected \(1, 3, 3, 3\)"):
        npx.deconvolution(XD, WD, kernel=(3, 3), num_filter=3)


# ---- pooling ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, want", [
    ({"kernel": (2, 2), "stride": (2, 2)}, [[5, 7], [13, 15]]),
    ({"kernel": (2, 2), "stride": (2, 2), "pool_type": "avg"}, [[2.5, 4.5], [10.5, 12.5]]),
    ({"kernel": (2, 2), "stride": (2, 2), "pool_type": "sum"}, [[10, 18], [42, 50]]),
    ({"kernel": (2, 2)}, [[5, 6, 7], [9, 10, 11], [13, 14, 15]]),  # stride 1 by default
    ({"kernel": (3, 3), "stride": (2, 2)}, [[10]]),
    ({"kernel": (3, 3), "stride": (2, 2), "pooling_convention": "full"}, [[10, 11], [14, 15]]),
    ({"kernel": (3, 3), "stride": (2, 2), "pooling_convention": "full", "pool_type": "avg"},
     [[5, 6.5], [11, 12.5]]),
    ({"kernel": (3, 3), "stride": (2, 2), "pad": (1, 1), "pooling_convention": "full",
      "pool_type": "avg"}, [[1.1111112, 2.666667, 1.6666666], [5.666667, 10, 5.5],
                            [4.166667, 7, 3.75]]),
    ({"kernel": (3, 3), "stride": (2, 2), "pad": (1, 1), "pooling_convention": "full",
      "pool_type": "sum"}, [[10, 24, 10], [51, 90, 33], [25, 42, 15]]),
    ({"kernel": (3, 3), "pad": (1, 1), "pool_type": "avg", "count_include_pad": False},
     [[2.5, 3, 4, 4.5], [4.5, 5, 6, 6.5], [8.5, 9, 10, 10.5], [10.5, 11, 12, 12.5]]),
    ({"global_pool": True, "pool_type": "avg", "kernel": (1, 1)}, [[7.5]]),
    ({"global_pool": True, "pool_type": "sum"}, [[120]]),
    ({"kernel": (2, 2), "stride": (2, 2), "pool_type": "lp", "p_value": 1}, [[10, 18],
                                                                            [42, 50]]),
])
def test_pooling_mxnet_values(kwargs, want):
    y = npx.pooling(X16, **kwargs)
    assert y.dtype == onp.float32
    assert_allclose(y[0, 0], want, rtol=1e-6)


def test_pooling_lp_is_signed_and_mxnet_gradient():
    y = npx.pooling(X16 - 8, kernel=(2, 2), stride=(2, 2), pool_type="lp", p_value=3)
    assert_allclose(y[0, 0], [[-9.816659, -7.0472984], [5.748897, 8.406118]], rtol=1e-6)
    t = np.array([[[3., 3, 1, 2, 5]]])
    g = grad_of(lambda t: npx.pooling(t, kernel=(3,), stride=(2,), pool_type="lp", p_value=2,
                                      pooling_convention="full", pad=(1,)), t)
    assert_allclose(g, [[[0.7071068, 1.5088905, 0.26726124, 0.9059131, 0.9284767]]], rtol=1e-6)


def test_pooling_max_gradient_goes_to_the_first_maximum():  # values from MXNet 1.9.1
    g = grad_of(lambda t: npx.pooling(t, kernel=(2, 2)), np.ones((1, 1, 4, 4)))
    assert_allclose(g[0, 0], [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]])
    t = np.array([[[[1., 5, 5], [2, 5, 0], [1, 1, 1]]]])
    g = grad_of(lambda t: npx.pooling(t, kernel=(2, 2)), t)
    assert_allclose(g[0, 0], [[0, 2, 0], [0, 2, 0], [0, 0, 0]])


def test_pooling_max_pads_with_minus_infinity_and_layouts():
    y = npx.pooling(X16 - 100, kernel=(3, 3), pad=(1, 1))
    assert_allclose(y[0, 0, 0], [-95, -94, -93, -93])
    assert_allclose(npx.pooling(np.arange(8.).reshape(1, 2, 2, 2), kernel=(2, 2),
                                layout="NHWC"), [[[[6, 7]]]])
    assert_allclose(npx.pooling(np.arange(8.).reshape(1, 2, 4), kernel=(2,), layout="NWC"),
                    [[[4, 5, 6, 7]]])
    assert npx.pooling(np.ones((1, 1, 4), dtype="float16"), kernel=(2,),
                       pool_type="avg").dtype == onp.float16


def test_pooling_avg_gradient_spreads_evenly():
    g = grad_of(lambda t: npx.pooling(t, kernel=(2, 2), stride=(2, 2), pool_type="avg"),
                np.ones((1, 1, 4, 4)))
    assert_allclose(g, onp.full((1, 1, 4, 4), 0.25))


@pytest.mark.parametrize("kwargs, error, match", [
    ({}, OpError, "kernel= is required unless global_pool"),
    ({"kernel": (2, 2), "pool_type": "lp"}, OpError, "p_value must be 1, 2 or 3"),
    ({"kernel": (2, 2), "pool_type": "lp", "p_value": 4}, OpError, "got 4"),
    ({"kernel": (2, 2), "pool_type": "min"}, OpError, "pool_type must be"),
    ({"kernel": (2, 2), "pooling_convention": "same"}, OpError, "'same' supports max"),
    ({"kernel": (2, 2), "pooling_convention": "other"}, OpError, "'valid', 'full' or 'same'"),
    ({"kernel": (2, 2), "pad": (-1, 0)}, OpError, "pad >= 0"),
    ({"kernel": (2, 2), "stride": (0, 1)}, OpError, "stride >= 1"),
    ({"kernel": (5, 5)}, OpError, r"kernel \(5, 5\) exceeds the input \(4, 4\)"),
    ({"kernel": (2,)}, OpError, "a 1-D kernel needs data of 3 axes"),
])
def test_pooling_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        npx.pooling(X16, **kwargs)


def test_pooling_bad_types():
    with pytest.raises(TypeError, match="floating point data, got int32"):
        npx.pooling(X16.astype("int32"), kernel=(2, 2))
    with pytest.raises(TypeError, match="mxnp ndarray"):
        npx.pooling(onp.ones((1, 1, 4, 4)), kernel=(2, 2))


def test_max_pooling_same_convention_pads_the_far_end():
    # MXNet 1.9.1 (mxref): ceil(9 / 2) windows from the start, the last one padded
    import mxnp.ndarray as nd

    x = nd.arange(9).reshape((1, 1, 9))
    got = nd.Pooling(x, kernel=(2,), stride=(2,), pad=(0, 0, 0), pool_type="max",
                     pooling_convention="same")
    assert got.asnumpy().tolist() == [[[1., 3., 5., 7., 8.]]]
    got = nd.Pooling(x, kernel=(3,), stride=(2,), pool_type="max", pooling_convention="same")
    assert got.asnumpy().tolist() == [[[2., 4., 6., 8., 8.]]]
    with pytest.raises(OpError, match="pad must be 0"):  # MXNet: MXNetError likewise
        nd.Pooling(x, kernel=(2,), stride=(2,), pad=2, pool_type="max", pooling_convention="same")
    with pytest.raises(OpError, match="'same' supports max pooling"):
        nd.Pooling(x, kernel=(2,), stride=(2,), pool_type="avg", pooling_convention="same")
