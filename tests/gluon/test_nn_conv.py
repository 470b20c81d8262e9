"""gluon.nn convolution layers: parameters, shapes, values, gradients, repr, deferred init."""
from __future__ import annotations

import itertools
import types

import numpy as onp
import pytest

from mxnp import autograd, init
from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.gluon import nn
from mxnp.testing import check_grads

F = types.SimpleNamespace(np=np, npx=npx)  # what hybrid_forward receives as F


# ---- naive NumPy references: one output (or input) position at a time -------------------------
def _geometry(nd, stride, pad, dilate):
    return (tuple(stride or (1,) * nd), tuple(pad or (0,) * nd), tuple(dilate or (1,) * nd))


def ref_conv(x, w, b=None, stride=None, pad=None, dilate=None, groups=1):
    """Direct cross-correlation, channel-first: x (N, C, *S), w (O, C/groups, *K)."""
    nd, kernel = x.ndim - 2, w.shape[2:]
    stride, pad, dilate = _geometry(nd, stride, pad, dilate)
    xp = onp.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    out = [(n - d * (k - 1) - 1) // s + 1
           for n, k, s, d in zip(xp.shape[2:], kernel, stride, dilate)]
    cg, og = w.shape[1], w.shape[0] // groups
    y = onp.zeros((x.shape[0], w.shape[0], *out))
    axes = list(range(1, nd + 2))
    for pos in itertools.product(*map(range, out)):
        window = tuple(slice(p * s, p * s + d * (k - 1) + 1, d)
                       for p, s, d, k in zip(pos, stride, dilate, kernel))
        patch = xp[(slice(None), slice(None)) + window]
        for g in range(groups):
            y[(slice(None), slice(g * og, (g + 1) * og)) + pos] = onp.tensordot(
                patch[:, g * cg:(g + 1) * cg], w[g * og:(g + 1) * og], axes=(axes, axes))
    return y if b is None else y + b.reshape((1, -1) + (1,) * nd)


def ref_deconv(x, w, b=None, stride=None, pad=None, dilate=None, adj=None, groups=1):
    """Direct transposed convolution: each input value scatters w[c] into its output window."""
    nd, kernel = x.ndim - 2, w.shape[2:]
    stride, pad, dilate = _geometry(nd, stride, pad, dilate)
    adj = tuple(adj or (0,) * nd)
    full = [(n - 1) * s + d * (k - 1) + 1 + a
            for n, s, d, k, a in zip(x.shape[2:], stride, dilate, kernel, adj)]
    cg, og = x.shape[1] // groups, w.shape[1]
    y = onp.zeros((x.shape[0], og * groups, *full))
    for pos in itertools.product(*map(range, x.shape[2:])):
        window = tuple(slice(p * s, p * s + d * (k - 1) + 1, d)
                       for p, s, d, k in zip(pos, stride, dilate, kernel))
        for g in range(groups):
            part = onp.tensordot(x[(slice(None), slice(g * cg, (g + 1) * cg)) + pos],
                                 w[g * cg:(g + 1) * cg], axes=(1, 0))
            y[(slice(None), slice(g * og, (g + 1) * og)) + window] += part
    crop = tuple(slice(p, f - p) for p, f in zip(pad, full))
    y = y[(slice(None), slice(None)) + crop]
    return y if b is None else y + b.reshape((1, -1) + (1,) * nd)


def test_ref_conv_is_cross_correlation():
    # MXNet 1.9.1 (mxref): 2x2 kernel [[0,1],[2,3]] on arange(9) (3x3) -> [[19, 25], [37, 43]]
    x = onp.arange(9.0).reshape(1, 1, 3, 3)
    w = onp.arange(4.0).reshape(1, 1, 2, 2)
    onp.testing.assert_array_equal(ref_conv(x, w)[0, 0], [[19, 25], [37, 43]])
    # MXNet 1.9.1 (mxref): D2L's transposed convolution of K by K, stride 2
    onp.testing.assert_array_equal(ref_deconv(w, w, stride=(2, 2))[0, 0],
                                   [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]])


def _filled(layer, x, seed=0):
    """Initialise ``layer`` on ``x`` and give its parameters seeded random values."""
    layer.initialize()
    layer(x)
    rng = onp.random.default_rng(seed)
    for p in layer.collect_params().values():
        p.set_data(np.array(rng.standard_normal(p.shape), dtype=p.data().dtype))
    return layer


def _bias(layer):
    return None if layer.bias is None else layer.bias.data().asnumpy()


# ---- parameters and shapes -----------------------------------------------------------------------
SHAPES = [  # MXNet 1.9.1 (mxref): layer, input shape -> output shape, weight shape
    (lambda: nn.Conv1D(4, 3), (2, 3, 10), (2, 4, 8), (4, 3, 3)),
    (lambda: nn.Conv2D(4, 3), (2, 3, 10, 12), (2, 4, 8, 10), (4, 3, 3, 3)),
    (lambda: nn.Conv2D(4, 3, strides=2, padding=1), (2, 3, 10, 12), (2, 4, 5, 6), (4, 3, 3, 3)),
    (lambda: nn.Conv2D(4, (3, 5), strides=(2, 3), padding=(1, 2), dilation=2), (2, 3, 10, 12),
     (2, 4, 4, 3), (4, 3, 3, 5)),
    (lambda: nn.Conv2D(6, 3, groups=3), (2, 3, 8, 8), (2, 6, 6, 6), (6, 1, 3, 3)),
    (lambda: nn.Conv2D(6, (3, 5), strides=(1, 2), padding=(1, 0), dilation=2, groups=2,
                       use_bias=False, in_channels=4), (2, 4, 9, 9), (2, 6, 7, 1), (6, 2, 3, 5)),
    (lambda: nn.Conv3D(4, 3), (2, 3, 5, 6, 7), (2, 4, 3, 4, 5), (4, 3, 3, 3, 3)),
    (lambda: nn.Conv1DTranspose(4, 3), (2, 3, 10), (2, 4, 12), (3, 4, 3)),
    (lambda: nn.Conv1DTranspose(4, 3, dilation=2), (2, 3, 10), (2, 4, 14), (3, 4, 3)),
    (lambda: nn.Conv2DTranspose(4, 3), (2, 3, 5, 5), (2, 4, 7, 7), (3, 4, 3, 3)),
    (lambda: nn.Conv2DTranspose(4, 4, strides=2, padding=1), (2, 3, 5, 5), (2, 4, 10, 10),
     (3, 4, 4, 4)),
    (lambda: nn.Conv2DTranspose(4, 3, strides=2, padding=1, output_padding=1), (2, 3, 5, 5),
     (2, 4, 10, 10), (3, 4, 3, 3)),
    (lambda: nn.Conv2DTranspose(6, 3, groups=3), (2, 3, 5, 5), (2, 6, 7, 7), (3, 2, 3, 3)),
    (lambda: nn.Conv3DTranspose(4, 3), (2, 3, 4, 4, 4), (2, 4, 6, 6, 6), (3, 4, 3, 3, 3)),
    (lambda: nn.Conv3DTranspose(4, 3, strides=2, output_padding=1), (2, 3, 4, 4, 4),
     (2, 4, 10, 10, 10), (3, 4, 3, 3, 3)),
    (lambda: nn.Conv2D(4, 3, layout="NHWC"), (2, 10, 12, 3), (2, 8, 10, 4), (4, 3, 3, 3)),
    (lambda: nn.Conv3D(4, 3, layout="NDHWC"), (2, 5, 6, 7, 3), (2, 3, 4, 5, 4), (4, 3, 3, 3, 3)),
    (lambda: nn.Conv2DTranspose(4, 3, layout="NHWC"), (2, 5, 6, 3), (2, 7, 8, 4), (3, 3, 3, 4)),
    (lambda: nn.Conv3DTranspose(4, 3, layout="NDHWC"), (2, 5, 6, 7, 3), (2, 7, 8, 9, 4),
     (3, 3, 3, 3, 4)),
]


@pytest.mark.parametrize("make, xshape, yshape, wshape", SHAPES)
def test_conv_output_and_weight_shapes(make, xshape, yshape, wshape):
    layer = make()
    layer.initialize()
    y = layer(np.ones(xshape))
    assert y.shape == yshape
    assert layer.weight.shape == wshape
    assert layer.weight.data().shape == wshape
    if layer.bias is not None:
        assert layer.bias.shape == (yshape[1] if layer._kwargs["layout"][1] == "C"
                                    else yshape[-1],)


class _Holder(nn.HybridBlock):
    """Four layers made inside this block's name scope, so their counters start at 0."""

    def __init__(self):
        super().__init__()
        with self.name_scope():
            self.a = nn.Conv2D(6, 5, padding=2, activation="sigmoid")
            self.b = nn.AvgPool2D(2, 2)
            self.c = nn.Conv2DTranspose(16, 5, use_bias=False)
            self.d = nn.MaxPool2D(2, 2)


def test_conv_parameter_names_and_child_names():
    # MXNet 1.9.1 (mxref): conv and pool hints, the activation child's prefix, parameter keys
    net = _Holder()
    p = net.prefix
    assert [c.name for c in (net.a, net.b, net.c, net.d)] == [p + "conv0", p + "pool0",
                                                              p + "conv1", p + "pool1"]
    assert net.a.act.prefix == p + "conv0_sigmoid_"
    assert list(net.collect_params().keys()) == [p + "conv0_weight", p + "conv0_bias",
                                                 p + "conv1_weight"]
    assert net.c.bias is None


def test_conv_name_hint_is_conv_for_every_class():
    names = [cls(2, 3).name for cls in (nn.Conv1D, nn.Conv2D, nn.Conv3D, nn.Conv1DTranspose,
                                        nn.Conv2DTranspose, nn.Conv3DTranspose)]
    assert all(n.startswith("conv") and n[4:].isdigit() for n in names)
    assert len(set(names)) == 6


def test_conv_deferred_init_fills_in_channels():
    conv = nn.Conv2D(4, 3, groups=2)
    assert conv.weight.shape == (4, -1, 3, 3)
    conv.initialize()
    with pytest.raises(Exception, match="deferred"):
        conv.weight.data()
    conv(np.ones((1, 6, 5, 5)))
    assert conv.weight.shape == (4, 3, 3, 3)
    tconv = nn.Conv2DTranspose(4, 3, groups=2)
    assert tconv.weight.shape == (-1, 2, 3, 3)
    tconv.initialize()
    tconv(np.ones((1, 6, 5, 5)))
    assert tconv.weight.shape == (6, 2, 3, 3)


def test_conv_in_channels_given_initialises_at_once():
    # MXNet 1.9.1 (mxref): weight (4, 2, 3, 3) float32 right after initialize, bias zeros
    conv = nn.Conv2D(4, 3, in_channels=2)
    conv.initialize()
    assert conv.weight.data().shape == (4, 2, 3, 3)
    assert conv.weight.data().dtype == onp.float32
    onp.testing.assert_array_equal(conv.bias.data().asnumpy(), onp.zeros(4))


def test_conv_groups_must_divide_input_channels():
    conv = nn.Conv2D(4, 3, groups=2)
    conv.initialize()
    with pytest.raises(ValueError, match="Deferred initialization failed.*groups=2"):
        conv(np.ones((1, 5, 6, 6)))


def test_conv_deferred_init_rejects_input_of_wrong_rank():
    # MXNet 1.9.1: ValueError: Deferred initialization failed ... Input data should be 4D
    conv = nn.Conv2D(4, 3)
    conv.initialize()
    with pytest.raises(ValueError, match="Deferred initialization failed.*4-D"):
        conv(np.ones((2, 3, 8)))


@pytest.mark.parametrize("cls, kernel, layout", [
    (nn.Conv1D, 3, "NWC"), (nn.Conv2D, 3, "NCW"), (nn.Conv3D, 3, "NCHW"),
    (nn.Conv1DTranspose, 3, "NWC"), (nn.Conv2DTranspose, (3, 3, 3), "NCHW"),
    (nn.Conv3DTranspose, (3, 3), "NCDHW")])
def test_conv_rejects_layouts_and_kernels_mxnet_rejects(cls, kernel, layout):
    with pytest.raises(AssertionError):
        cls(2, kernel, layout=layout)


def test_conv_transpose_rejects_wrong_output_padding_length():
    with pytest.raises(AssertionError):
        nn.Conv2DTranspose(2, 3, output_padding=(1, 1, 1))


# ---- forward values ------------------------------------------------------------------------------
VALUE_CASES = [  # layer, input shape, reference keyword arguments
    (lambda: nn.Conv1D(3, 2, strides=2, padding=1, dilation=2), (2, 2, 9),
     {"stride": (2,), "pad": (1,), "dilate": (2,)}),
    (lambda: nn.Conv2D(4, (2, 3), strides=(2, 1), padding=(1, 2), use_bias=False), (2, 3, 6, 5),
     {"stride": (2, 1), "pad": (1, 2)}),
    (lambda: nn.Conv2D(6, 3, dilation=(2, 1), groups=3), (1, 6, 7, 6),
     {"dilate": (2, 1), "groups": 3}),
    (lambda: nn.Conv3D(2, (2, 1, 2), strides=(1, 2, 1), padding=1, groups=2), (1, 4, 3, 4, 3),
     {"stride": (1, 2, 1), "pad": (1, 1, 1), "groups": 2}),
]
DECONV_CASES = [
    (lambda: nn.Conv1DTranspose(3, 3, strides=2, padding=1, output_padding=1), (2, 2, 5),
     {"stride": (2,), "pad": (1,), "adj": (1,)}),
    (lambda: nn.Conv2DTranspose(4, (3, 2), strides=(2, 3), padding=(1, 0), output_padding=(1, 2),
                                dilation=(1, 2), groups=2, use_bias=False), (2, 4, 3, 4),
     {"stride": (2, 3), "pad": (1, 0), "adj": (1, 2), "dilate": (1, 2), "groups": 2}),
    (lambda: nn.Conv3DTranspose(2, 2, strides=2, padding=(0, 1, 0)), (1, 3, 2, 3, 2),
     {"stride": (2, 2, 2), "pad": (0, 1, 0)}),
]


@pytest.mark.parametrize("make, xshape, kw", VALUE_CASES)
def test_conv_forward_matches_direct_convolution(make, xshape, kw):
    x = np.array(onp.random.default_rng(1).standard_normal(xshape), dtype="float32")
    layer = _filled(make(), x)
    want = ref_conv(x.asnumpy().astype("float64"), layer.weight.data().asnumpy(), _bias(layer),
                    **kw)
    onp.testing.assert_allclose(layer(x).asnumpy(), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("make, xshape, kw", DECONV_CASES)
def test_conv_transpose_forward_matches_direct_scatter(make, xshape, kw):
    x = np.array(onp.random.default_rng(2).standard_normal(xshape), dtype="float32")
    layer = _filled(make(), x)
    want = ref_deconv(x.asnumpy().astype("float64"), layer.weight.data().asnumpy(),
                      _bias(layer), **kw)
    onp.testing.assert_allclose(layer(x).asnumpy(), want, rtol=1e-4, atol=1e-4)


def test_conv_activation_is_applied_after_bias():
    x = np.array(onp.random.default_rng(3).standard_normal((1, 2, 5, 5)), dtype="float32")
    layer = _filled(nn.Conv2D(3, 3, activation="relu"), x)
    want = ref_conv(x.asnumpy(), layer.weight.data().asnumpy(), _bias(layer))
    onp.testing.assert_allclose(layer(x).asnumpy(), onp.maximum(want, 0), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make, xshape, perm", [
    (lambda layout: nn.Conv2D(4, (3, 2), strides=(1, 2), padding=1, layout=layout),
     (2, 3, 6, 5), (0, 2, 3, 1)),
    (lambda layout: nn.Conv3D(2, 2, dilation=(1, 2, 1), layout=layout), (1, 3, 4, 5, 3),
     (0, 2, 3, 4, 1)),
    (lambda layout: nn.Conv2DTranspose(4, 3, strides=2, output_padding=1, layout=layout),
     (2, 3, 3, 4), (0, 2, 3, 1)),
    (lambda layout: nn.Conv3DTranspose(2, 2, padding=1, layout=layout), (1, 3, 3, 3, 4),
     (0, 2, 3, 4, 1))])
def test_conv_channel_last_equals_channel_first(make, xshape, perm):
    # MXNet 1.9.1 fails to compute these on the CPU; mxnp computes them (see differences)
    x = np.array(onp.random.default_rng(4).standard_normal(xshape), dtype="float32")
    first = _filled(make("NCHW" if len(xshape) == 4 else "NCDHW"), x)
    last = make("NHWC" if len(xshape) == 4 else "NDHWC")
    last.initialize()
    last(x.transpose(perm))
    last.weight.set_data(first.weight.data().transpose(perm))
    last.bias.set_data(first.bias.data())
    onp.testing.assert_allclose(last(x.transpose(perm)).asnumpy(),
                                first(x).transpose(perm).asnumpy(), rtol=1e-5, atol=1e-5)


def test_conv2d_values_recorded_from_mxnet():
    conv = nn.Conv2D(2, 3, strides=2, padding=1, in_channels=2)
    conv.initialize()
    conv.weight.set_data(np.arange(36).reshape(2, 2, 3, 3) / 10 - 1.5)
    conv.bias.set_data(np.array([1.0, -1.0]))
    y = conv(np.arange(50).reshape(1, 2, 5, 5) / 10)
    want = [[[0.24, -1.92, -2.32], [-7.58, -15.62, -12.86], [-12.48, -22.44, -16.96]],
            [[20.56, 32.8, 22.32], [40.1, 61.76, 41.3], [29.44, 44.68, 29.28]]]  # MXNet (mxref)
    onp.testing.assert_allclose(y.asnumpy()[0], want, rtol=1e-5, atol=1e-5)


def test_conv2d_transpose_output_padding_values_recorded_from_mxnet():
    t = nn.Conv2DTranspose(1, 3, strides=2, padding=1, output_padding=1, in_channels=2)
    t.initialize()
    t.weight.set_data(np.arange(18).reshape(2, 1, 3, 3) / 10 - 0.8)
    t.bias.set_data(np.array([0.5]))
    y = t(np.arange(12).reshape(1, 2, 2, 3) / 10)
    want = [[0.80, 1.09, 0.81, 1.11, 0.82, 0.92], [0.95, 1.38, 0.97, 1.42, 0.99, 1.25],
            [0.83, 1.15, 0.84, 1.17, 0.85, 1.01], [1.19, 1.93, 1.26, 2.07, 1.33, 1.49]]  # mxref
    onp.testing.assert_allclose(y.asnumpy()[0, 0], want, rtol=1e-5, atol=1e-5)


def test_conv2d_transpose_groups_dilation_values_recorded_from_mxnet():
    t = nn.Conv2DTranspose(4, 2, strides=(2, 1), padding=(0, 1), output_padding=(1, 0),
                           dilation=(1, 2), groups=2, in_channels=2)
    t.initialize(init.One())
    t.weight.set_data(np.arange(16).reshape(2, 2, 2, 2) / 10)
    y = t(np.arange(12).reshape(1, 2, 2, 3) / 10)
    # MXNet 1.9.1 (mxref); the bias stays 0 although the global init is One (§3.1)
    want = [[[0.0, 0.0, 0.01], [0.02, 0.04, 0.03], [0.0, 0.03, 0.04], [0.08, 0.19, 0.12],
             [0.0, 0.0, 0.0]],
            [[0.04, 0.08, 0.05], [0.06, 0.12, 0.07], [0.16, 0.35, 0.2], [0.24, 0.51, 0.28],
             [0.0, 0.0, 0.0]],
            [[0.56, 1.18, 0.63], [0.7, 1.46, 0.77], [0.8, 1.69, 0.9], [1.0, 2.09, 1.1],
             [0.0, 0.0, 0.0]],
            [[0.84, 1.74, 0.91], [0.98, 2.02, 1.05], [1.2, 2.49, 1.3], [1.4, 2.89, 1.5],
             [0.0, 0.0, 0.0]]]
    onp.testing.assert_allclose(y.asnumpy()[0], want, rtol=1e-5, atol=1e-6)


def test_conv_layer_initializers_fill_weight_and_bias():
    conv = nn.Conv2D(2, 3, in_channels=1, weight_initializer="ones",
                     bias_initializer=init.Constant(2.0))
    conv.initialize(init.Normal())
    onp.testing.assert_array_equal(conv(np.ones((1, 1, 3, 3))).asnumpy().ravel(), [11.0, 11.0])


# ---- gradients ---------------------------------------------------------------------------------
GRAD_CASES = [
    (lambda: nn.Conv1D(2, 3, strides=2, padding=1, in_channels=2), (2, 2, 7)),
    (lambda: nn.Conv2D(4, 2, dilation=2, groups=2, padding=(1, 0), in_channels=2), (1, 2, 5, 4)),
    (lambda: nn.Conv3D(2, 2, strides=(1, 2, 1), in_channels=1), (1, 1, 3, 4, 3)),
    (lambda: nn.Conv1DTranspose(2, 3, strides=2, output_padding=1, in_channels=2), (2, 2, 4)),
    (lambda: nn.Conv2DTranspose(2, 3, strides=2, padding=1, output_padding=1, groups=2,
                                in_channels=2), (1, 2, 3, 3)),
    (lambda: nn.Conv3DTranspose(2, 2, padding=(1, 0, 0), in_channels=1), (1, 1, 2, 3, 2)),
    (lambda: nn.Conv2D(3, 2, layout="NHWC", activation="tanh", in_channels=2), (1, 4, 3, 2)),
]


@pytest.mark.parametrize("make, xshape", GRAD_CASES)
def test_conv_gradients_by_central_differences(make, xshape):
    layer = make()
    layer.initialize()
    rng = onp.random.default_rng(5)
    x, w, b = (np.array(rng.standard_normal(s), dtype="float64")
               for s in (xshape, layer.weight.shape, layer.bias.shape))
    check_grads(lambda x, w, b: layer.hybrid_forward(F, x, w, b), x, w, b)


def test_conv_layer_backward_fills_parameter_grads():
    conv = nn.Conv2D(3, 2, strides=2, in_channels=2)
    conv.initialize()
    x = np.array(onp.random.default_rng(6).standard_normal((2, 2, 5, 5)), dtype="float32")
    with autograd.record():
        y = conv(x)
    y.backward()
    # d sum(y) / d bias = one per output position and sample: 2 * 2 * 2
    onp.testing.assert_array_equal(conv.bias.grad().asnumpy(), [8.0, 8.0, 8.0])
    patches = onp.stack([x.asnumpy()[:, :, i:i + 2, j:j + 2] for i in (0, 2) for j in (0, 2)])
    want = patches.sum(axis=(0, 1))  # the same for every output channel
    for o in range(3):
        onp.testing.assert_allclose(conv.weight.grad().asnumpy()[o], want, rtol=1e-5)


def test_conv_hybridized_and_cast_to_float64_give_the_same_values():
    x = np.array(onp.random.default_rng(7).standard_normal((1, 2, 5, 5)), dtype="float32")
    conv = _filled(nn.Conv2D(3, 3, padding=1, activation="tanh"), x)
    eager = conv(x).asnumpy()
    conv.hybridize()
    onp.testing.assert_array_equal(conv(x).asnumpy(), eager)
    conv.cast("float64")
    y = conv(x.astype("float64"))
    assert y.dtype == onp.float64 and conv.weight.data().dtype == onp.float64
    onp.testing.assert_allclose(y.asnumpy(), eager, rtol=1e-5, atol=1e-6)
