"""gluon.nn pooling layers and ReflectionPad2D: shapes, values, gradients, layouts."""
from __future__ import annotations

import itertools
import math
import types

import numpy as onp
import pytest

from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.gluon import nn
from mxnp.testing import check_grads

F = types.SimpleNamespace(np=np, npx=npx)  # what hybrid_forward receives as F


def ref_pool(x, kernel, stride, pad, pool_type, ceil_mode=False, count_include_pad=True):
    """Direct pooling, channel-first, one window at a time.

    A window may run past the padded input in ceil mode; it is clipped there, and an average
    divides by the clipped window (count_include_pad) or by its cells inside the input.
    """
    spatial = x.shape[2:]
    rounding = math.ceil if ceil_mode else math.floor
    out = [rounding((n + 2 * p - k) / s) + 1 for n, k, s, p in zip(spatial, kernel, stride, pad)]
    y = onp.zeros(x.shape[:2] + tuple(out))
    for pos in itertools.product(*map(range, out)):
        lo = [o * s - p for o, s, p in zip(pos, stride, pad)]
        hi_padded = [min(a + k, n + p) for a, k, n, p in zip(lo, kernel, spatial, pad)]
        cells = [slice(max(a, 0), min(b, n)) for a, b, n in zip(lo, hi_padded, spatial)]
        window = x[(slice(None), slice(None)) + tuple(cells)]
        axes = tuple(range(2, x.ndim))
        if pool_type == "max":
            y[(slice(None), slice(None)) + pos] = window.max(axis=axes)
            continue
        inside = math.prod(c.stop - c.start for c in cells)
        clipped = math.prod(b - a for a, b in zip(lo, hi_padded))
        y[(slice(None), slice(None)) + pos] = (window.sum(axis=axes)
                                               / (clipped if count_include_pad else inside))
    return y


def test_ref_pool_matches_mxnet_examples():
    # MXNet 1.9.1 (mxref), X = arange(16) as 4x4
    x = onp.arange(16.0).reshape(1, 1, 4, 4)
    assert ref_pool(x, (3, 3), (3, 3), (0, 0), "max")[0, 0].tolist() == [[10.0]]
    assert ref_pool(x, (3, 3), (3, 3), (0, 0), "max", True)[0, 0].tolist() == [[10, 11],
                                                                              [14, 15]]
    ones = onp.ones((1, 1, 3, 3))
    onp.testing.assert_allclose(ref_pool(ones, (3, 3), (1, 1), (1, 1), "avg")[0, 0],
                                [[4 / 9, 6 / 9, 4 / 9], [6 / 9, 1, 6 / 9], [4 / 9, 6 / 9, 4 / 9]])


POOL_CASES = [  # layer, input shape, reference keyword arguments
    (lambda: nn.MaxPool1D(3, 2, 1), (2, 3, 9), {"kernel": (3,), "stride": (2,), "pad": (1,),
                                                   "pool_type": "max"}),
    (lambda: nn.MaxPool1D(3, ceil_mode=True), (2, 3, 8),
     {"kernel": (3,), "stride": (3,), "pad": (0,), "pool_type": "max", "ceil_mode": True}),
    (lambda: nn.MaxPool2D((3, 2), (2, 1), (1, 0), ceil_mode=True), (2, 2, 7, 6),
     {"kernel": (3, 2), "stride": (2, 1), "pad": (1, 0), "pool_type": "max", "ceil_mode": True}),
    (lambda: nn.MaxPool3D(2, 2, 1), (1, 2, 5, 4, 3),
     {"kernel": (2, 2, 2), "stride": (2, 2, 2), "pad": (1, 1, 1), "pool_type": "max"}),
    (lambda: nn.AvgPool1D(4, 3, 2, ceil_mode=True), (2, 3, 10),
     {"kernel": (4,), "stride": (3,), "pad": (2,), "pool_type": "avg", "ceil_mode": True}),
    (lambda: nn.AvgPool1D(3, 2, 1, count_include_pad=False), (2, 3, 9),
     {"kernel": (3,), "stride": (2,), "pad": (1,), "pool_type": "avg", "count_include_pad": False}),
    (lambda: nn.AvgPool2D(3, 2, 1, ceil_mode=True), (2, 2, 6, 7),
     {"kernel": (3, 3), "stride": (2, 2), "pad": (1, 1), "pool_type": "avg", "ceil_mode": True}),
    (lambda: nn.AvgPool2D((2, 3), 1, (1, 1), count_include_pad=False), (1, 2, 4, 5),
     {"kernel": (2, 3), "stride": (1, 1), "pad": (1, 1), "pool_type": "avg",
      "count_include_pad": False}),
    (lambda: nn.AvgPool3D(2, (1, 2, 2), (1, 0, 1), ceil_mode=True, count_include_pad=False),
     (1, 2, 3, 5, 4), {"kernel": (2, 2, 2), "stride": (1, 2, 2), "pad": (1, 0, 1),
                       "pool_type": "avg", "ceil_mode": True, "count_include_pad": False}),
]


@pytest.mark.parametrize("make, xshape, kw", POOL_CASES)
def test_pool_forward_matches_direct_pooling(make, xshape, kw):
    x = onp.random.default_rng(0).standard_normal(xshape)
    layer = make()
    layer.initialize()
    y = layer(np.array(x, dtype="float32"))
    onp.testing.assert_allclose(y.asnumpy(), ref_pool(x, **kw), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls, xshape, reduce", [
    (nn.GlobalMaxPool1D, (2, 3, 5), "max"), (nn.GlobalMaxPool2D, (2, 3, 4, 5), "max"),
    (nn.GlobalMaxPool3D, (1, 2, 3, 4, 2), "max"), (nn.GlobalAvgPool1D, (2, 3, 5), "mean"),
    (nn.GlobalAvgPool2D, (2, 3, 4, 5), "mean"), (nn.GlobalAvgPool3D, (1, 2, 3, 4, 2), "mean")])
def test_global_pool_reduces_spatial_axes_keeping_them(cls, xshape, reduce):
    x = onp.random.default_rng(1).standard_normal(xshape)
    y = cls()(np.array(x, dtype="float32"))
    want = getattr(x, reduce)(axis=tuple(range(2, x.ndim)), keepdims=True)
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_pool_values_recorded_from_mxnet():
    x = np.arange(16).reshape(1, 1, 4, 4).astype("float32")
    # MXNet 1.9.1 (mxref)
    assert nn.MaxPool2D(3)(x).asnumpy().tolist() == [[[[10.0]]]]
    assert nn.MaxPool2D(3, ceil_mode=True)(x).asnumpy()[0, 0].tolist() == [[10, 11], [14, 15]]
    assert nn.MaxPool2D(3, padding=1, strides=2)(x).asnumpy()[0, 0].tolist() == [[5, 7],
                                                                               [13, 15]]
    assert nn.GlobalAvgPool2D()(x).asnumpy().tolist() == [[[[7.5]]]]
    assert nn.GlobalMaxPool2D()(x).asnumpy().tolist() == [[[[15.0]]]]
    assert nn.MaxPool2D(3, padding=1, strides=1)(-np.ones((1, 1, 3, 3))).asnumpy().max() == -1
    y = nn.GlobalAvgPool1D()(np.arange(6).reshape(1, 2, 3).astype("float32"))
    assert y.asnumpy().tolist() == [[[1.0], [4.0]]]


def test_pool_ceil_mode_and_count_include_pad_recorded_from_mxnet():
    x = np.arange(36).reshape(1, 1, 6, 6).astype("float32")
    # MXNet 1.9.1 (mxref)
    avg = [[1.5555556, 3.3333333, 4.6666667, 2.6666667], [8.3333333, 14.0, 16.0, 8.5],
           [16.333333, 26.0, 28.0, 14.5], [10.166667, 16.0, 17.0, 8.75]]
    avg_valid = [[3.5, 5.0, 7.0, 8.0], [12.5, 14.0, 16.0, 17.0], [24.5, 26.0, 28.0, 29.0],
                 [30.5, 32.0, 34.0, 35.0]]
    mx_ = [[7, 9, 11, 11], [19, 21, 23, 23], [31, 33, 35, 35], [31, 33, 35, 35]]
    avg4 = [[3.9375, 7.125, 4.125], [16.5, 24.5, 13.0], [11.625, 16.75, 8.75]]
    for layer, want in [(nn.AvgPool2D(3, 2, 1, ceil_mode=True), avg),
                        (nn.AvgPool2D(3, 2, 1, ceil_mode=True, count_include_pad=False),
                         avg_valid),
                        (nn.MaxPool2D(3, 2, 1, ceil_mode=True), mx_),
                        (nn.AvgPool2D(4, 3, 1, ceil_mode=True), avg4)]:
        onp.testing.assert_allclose(layer(x).asnumpy()[0, 0], want, rtol=1e-6)
    seq = np.array([[[3.0, 1, 4, 1, 5, 9, 2]]])
    assert nn.MaxPool1D(3, 2, 0, ceil_mode=True)(seq).asnumpy().tolist() == [[[4.0, 5.0, 9.0]]]
    y = nn.AvgPool1D(2, 2, 1, ceil_mode=True)(seq)
    assert y.asnumpy().tolist() == [[[1.5, 2.5, 3.0, 5.5, 0.0]]]  # MXNet (mxref)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_pool_window_wholly_in_padding_as_mxnet():
    seq = np.array([[[3.0, 1, 4, 1, 5, 9, 2]]])
    y = nn.AvgPool1D(2, 2, 1, ceil_mode=True, count_include_pad=False)(seq)
    assert y.asnumpy().tolist() == [[[3.0, 2.5, 3.0, 5.5, 0.0]]]  # MXNet 1.9.1 (mxref)
    x = (np.arange(64).reshape(1, 1, 4, 4, 4) % 7).astype("float32")
    y = nn.MaxPool3D(2, 3, 1, ceil_mode=True)(x)
    assert y.asnumpy()[0, 0, 0, 0].tolist() == [0.0, 3.0, -3.4028234663852886e+38]


def test_pool3d_avg_values_recorded_from_mxnet():
    x = (np.arange(64).reshape(1, 1, 4, 4, 4) % 7).astype("float32")
    y = nn.AvgPool3D(3, 2, 1, ceil_mode=True)(x).asnumpy()[0, 0]
    # MXNet 1.9.1 (mxref), first two planes
    want = [[[0.7777778, 1.1851851, 0.5555556], [1.3703704, 1.8888888, 0.8888889],
             [0.6666667, 0.7222223, 0.3333333]],
            [[1.3333335, 1.962963, 1.0555556], [1.8518519, 3.1111114, 1.6666667],
             [0.8333334, 1.6111112, 0.6666666]]]
    onp.testing.assert_allclose(y[:2], want, rtol=1e-5)


@pytest.mark.parametrize("make, xshape, perm", [
    (lambda layout: nn.MaxPool1D(3, 2, 1, layout=layout), (2, 3, 8), (0, 2, 1)),
    (lambda layout: nn.AvgPool2D(3, 2, 1, ceil_mode=True, layout=layout), (2, 3, 6, 7),
     (0, 2, 3, 1)),
    (lambda layout: nn.AvgPool3D(2, count_include_pad=False, padding=1, layout=layout),
     (1, 2, 3, 4, 5), (0, 2, 3, 4, 1)),
    (lambda layout: nn.GlobalMaxPool2D(layout=layout), (2, 3, 4, 5), (0, 2, 3, 1)),
    (lambda layout: nn.GlobalAvgPool1D(layout=layout), (2, 3, 5), (0, 2, 1))])
def test_pool_channel_last_equals_channel_first(make, xshape, perm):
    firsts = {3: "NCW", 4: "NCHW", 5: "NCDHW"}
    lasts = {3: "NWC", 4: "NHWC", 5: "NDHWC"}
    x = np.array(onp.random.default_rng(2).standard_normal(xshape), dtype="float32")
    want = make(firsts[len(xshape)])(x).transpose(perm)
    got = make(lasts[len(xshape)])(x.transpose(perm))
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-6)


def test_pool_channel_last_shapes_recorded_from_mxnet():
    # MXNet 1.9.1 (mxref)
    assert nn.MaxPool1D(layout="NWC")(np.ones((1, 6, 3))).shape == (1, 3, 3)
    assert nn.AvgPool2D(2, layout="NHWC")(np.ones((1, 4, 4, 3))).shape == (1, 2, 2, 3)
    assert nn.AvgPool3D(layout="NDHWC")(np.ones((1, 4, 4, 4, 3))).shape == (1, 2, 2, 2, 3)
    assert nn.GlobalAvgPool2D(layout="NHWC")(np.ones((1, 4, 4, 3))).shape == (1, 1, 1, 3)
    assert nn.GlobalMaxPool1D(layout="NWC")(np.ones((1, 4, 3))).shape == (1, 1, 3)


@pytest.mark.parametrize("make, xshape", [
    (lambda: nn.MaxPool2D(3, 2, 1, ceil_mode=True), (1, 2, 6, 5)),
    (lambda: nn.AvgPool1D(3, 2, 1, ceil_mode=True, count_include_pad=False), (2, 2, 8)),
    (lambda: nn.AvgPool3D(2, 1, 1), (1, 1, 3, 3, 2)),
    (lambda: nn.GlobalMaxPool1D(), (2, 3, 5)),
    (lambda: nn.GlobalAvgPool2D(layout="NHWC"), (2, 3, 4, 2)),
    (lambda: nn.ReflectionPad2D(2), (1, 2, 3, 4))])
def test_pool_gradients_by_central_differences(make, xshape):
    layer = make()
    # distinct values with gaps so no max is tied within the difference step
    x = np.array(onp.random.default_rng(3).permutation(math.prod(xshape)).reshape(xshape),
                 dtype="float64") / 7
    check_grads(lambda x: layer.hybrid_forward(F, x), x)


@pytest.mark.parametrize("cls, kwargs", [
    (nn.MaxPool1D, {"layout": "NCHW"}), (nn.MaxPool2D, {"layout": "NCW"}),
    (nn.MaxPool3D, {"layout": "NHWC"}), (nn.AvgPool1D, {"pool_size": (2, 2)}),
    (nn.AvgPool2D, {"pool_size": (2, 2, 2)}), (nn.AvgPool3D, {"layout": "NCHW"}),
    (nn.GlobalMaxPool2D, {"layout": "NCW"}), (nn.GlobalAvgPool3D, {"layout": "NHWC"})])
def test_pool_rejects_layouts_and_sizes_mxnet_rejects(cls, kwargs):
    with pytest.raises(AssertionError):
        cls(**kwargs)


def test_pool_has_no_parameters_and_shares_the_pool_name_hint():
    layers = [nn.MaxPool2D(), nn.AvgPool1D(), nn.GlobalAvgPool3D(), nn.GlobalMaxPool1D()]
    assert all(list(p.collect_params().keys()) == [] for p in layers)
    numbers = [int(p.name[4:]) for p in layers]
    assert all(p.name.startswith("pool") for p in layers)
    assert numbers == sorted(numbers) and len(set(numbers)) == 4


def test_reflection_pad2d_values_recorded_from_mxnet():
    # MXNet 1.9.1 legacy mode (mxref); numpy mode fails there, works here
    x = np.arange(12).reshape(1, 1, 3, 4).astype("float32")
    want = [[10, 9, 8, 9, 10, 11, 10, 9], [6, 5, 4, 5, 6, 7, 6, 5], [2, 1, 0, 1, 2, 3, 2, 1],
            [6, 5, 4, 5, 6, 7, 6, 5], [10, 9, 8, 9, 10, 11, 10, 9], [6, 5, 4, 5, 6, 7, 6, 5],
            [2, 1, 0, 1, 2, 3, 2, 1]]
    assert nn.ReflectionPad2D(2)(x).asnumpy()[0, 0].tolist() == want


def test_reflection_pad2d_flat_padding_and_checks():
    x = onp.random.default_rng(4).standard_normal((2, 3, 4, 5))
    y = nn.ReflectionPad2D((0, 0, 0, 0, 1, 2, 3, 0))(np.array(x))
    want = onp.pad(x, ((0, 0), (0, 0), (1, 2), (3, 0)), mode="reflect")
    onp.testing.assert_allclose(y.asnumpy(), want)
    assert nn.ReflectionPad2D()(np.array(x)).shape == x.shape
    with pytest.raises(AssertionError):
        nn.ReflectionPad2D((1, 1, 1, 1))
    pad = nn.ReflectionPad2D(1)
    assert pad.name.startswith("reflectionpad2d")
    assert list(pad.collect_params().keys()) == []
