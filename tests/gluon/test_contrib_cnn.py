"""gluon.contrib.cnn: DeformableConvolution and ModulatedDeformableConvolution, and the
ModulatedDeformableConvolution operator under them. References: a NumPy loop over the taps,
plain convolution (zero offsets) and MXNet 1.9.1's values (mxref)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, gluon, nd, npx
from mxnp import numpy as np
from mxnp.gluon.contrib.cnn import DeformableConvolution, ModulatedDeformableConvolution
from mxnp.ndarray._deformable import deformable_convolution
from mxnp.testing import check_grads


def _bilinear_zero_outside(img, y, x):
    """DCNv2's read of one channel at (y, x): each corner off the image counts as zero."""
    h, w = img.shape
    if not (-1 < y < h and -1 < x < w):
        return 0.0
    y0, x0 = int(onp.floor(y)), int(onp.floor(x))
    total = 0.0
    for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
        for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
            if 0 <= yy < h and 0 <= xx < w:
                total += wy * wx * img[yy, xx]
    return total


def _modulated_reference(x, off, mask, weight, stride, pad, groups):
    """A loop over output pixels and taps (num_group 1, dilation 1)."""
    n, c, _, _ = x.shape
    f, _, kh, kw = weight.shape
    oh, ow = off.shape[2:]
    out = onp.zeros((n, f, oh, ow))
    per = c // groups
    for b, i, j in onp.ndindex(n, oh, ow):
        cols = onp.zeros((c, kh, kw))
        for ch, p, q in onp.ndindex(c, kh, kw):
            g, tap = ch // per, p * kw + q
            dy = off[b, (g * kh * kw + tap) * 2, i, j]
            dx = off[b, (g * kh * kw + tap) * 2 + 1, i, j]
            y, xx = i * stride[0] - pad[0] + p + dy, j * stride[1] - pad[1] + q + dx
            cols[ch, p, q] = _bilinear_zero_outside(x[b, ch], y, xx) * \
                mask[b, g * kh * kw + tap, i, j]
        out[b, :, i, j] = onp.tensordot(weight, cols, axes=3)
    return out


def test_modulated_operator_matches_the_tap_loop():
    rng = onp.random.default_rng(0)
    x = rng.standard_normal((2, 4, 5, 6))
    off = rng.standard_normal((2, 2 * 2 * 3 * 2, 5, 3)) * 1.5
    mask = rng.random((2, 2 * 2 * 3, 5, 3))
    weight = rng.standard_normal((3, 4, 2, 3))
    got = nd.contrib.ModulatedDeformableConvolution(
        nd.array(x), nd.array(off), nd.array(mask), nd.array(weight), kernel=(2, 3),
        stride=(1, 2), pad=(1, 1), num_filter=3, num_deformable_group=2, no_bias=True)
    want = _modulated_reference(x, off, mask, weight, (1, 2), (1, 1), 2)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-4, atol=1e-4)


def test_modulated_operator_border_reads_are_mxnets():
    # MXNet 1.9.1 (mxref): a 1x1 kernel, every tap shifted by (0.25, 0.75), last output row
    x = nd.array(onp.arange(30.0).reshape(1, 1, 5, 6))
    off = onp.zeros((1, 2, 5, 6))
    off[0, 0], off[0, 1] = 0.25, 0.75
    y = nd.contrib.ModulatedDeformableConvolution(x, nd.array(off), nd.ones((1, 1, 5, 6)),
                                                  nd.ones((1, 1, 1, 1)), kernel=(1, 1),
                                                  num_filter=1, no_bias=True)
    onp.testing.assert_allclose(y.asnumpy()[0, 0, -1],
                                [18.5625, 19.3125, 20.0625, 20.8125, 21.5625, 5.4375])


def test_modulated_operator_gradients():
    rng = onp.random.default_rng(1)
    x = np.array(rng.standard_normal((1, 2, 4, 4)))
    # offsets kept off integer positions, where bilinear reads have a kink
    off = np.array(rng.uniform(0.1, 0.4, (1, 2 * 4, 3, 3)) * onp.sign(rng.standard_normal(
        (1, 8, 3, 3))))
    mask = np.array(rng.random((1, 4, 3, 3)))
    weight = np.array(rng.standard_normal((2, 2, 2, 2)))
    check_grads(lambda a, o, m, w: deformable_convolution(a, o, m, w, None, (2, 2), num_filter=2),
                x, off, mask, weight, order=1)


# groups must divide the offset convolution's channels too: 18 for DCNv1, 27 for DCNv2 here
@pytest.mark.parametrize("cls, groups", [(DeformableConvolution, 2),
                                         (ModulatedDeformableConvolution, 1)])
@pytest.mark.parametrize("hybridize", [False, True])
def test_zero_offsets_are_a_plain_convolution(cls, groups, hybridize):
    # the offset convolution starts at zero: taps on the grid, mask 2 * sigmoid(0) = 1
    layer = cls(4, kernel_size=3, padding=1, strides=(2, 1), groups=groups)
    conv = gluon.nn.Conv2D(4, kernel_size=3, padding=1, strides=(2, 1), groups=groups)
    layer.initialize()
    conv.initialize()
    x = np.array(onp.random.default_rng(2).standard_normal((2, 4, 5, 6)), dtype="float32")
    conv(x)
    layer(x)
    layer.deformable_conv_weight.set_data(conv.weight.data())
    layer.deformable_conv_bias.set_data(np.ones((4,)))
    conv.bias.set_data(np.ones((4,)))
    if hybridize:
        layer.hybridize()
    with autograd.record():
        y = layer(x)
    y.backward()
    onp.testing.assert_allclose(y.asnumpy(), conv(x).asnumpy(), rtol=1e-5, atol=1e-5)
    assert layer.offset_weight.grad().shape == layer.offset_weight.shape


def test_parameters_and_reprs_are_mxnets():
    # MXNet 1.9.1 (mxref) with the 1.x switches (numpy shapes show an unknown axis as -1)
    npx.reset_np()
    a = DeformableConvolution(10, kernel_size=(3, 2), padding=1, activation="relu",
                              use_bias=False, prefix="d_")
    assert repr(a) == ("DeformableConvolution(None -> 10, kernel_size=(3, 2), stride=(1, 1), "
                       "padding=(1, 1), bias=False, Activation(relu))")
    assert [(k, p.shape) for k, p in a.collect_params().items()] == [
        ("d_offset_weight", (12, 0, 3, 2)), ("d_offset_bias", (12,)),
        ("d_deformable_conv_weight", (10, 0, 3, 2))]
    b = ModulatedDeformableConvolution(12, kernel_size=3, in_channels=4, groups=2,
                                       num_deformable_group=2, offset_use_bias=False,
                                       prefix="m_")
    assert repr(b) == "ModulatedDeformableConvolution(\n\n)"
    assert [(k, p.shape) for k, p in b.collect_params().items()] == [
        ("m_deformable_conv_weight", (12, 0, 3, 3)), ("m_deformable_conv_bias", (12,)),
        ("m_offset_weight", (54, 2, 3, 3))]
    assert b.offset_split_index == 36
    assert repr(DeformableConvolution(4, in_channels=3)) == (
        "DeformableConvolution(None -> 4, kernel_size=(1, 1), stride=(1, 1))")
    assert DeformableConvolution(4).prefix.startswith("deformable_conv")
    assert ModulatedDeformableConvolution(4).prefix.startswith("modulated_deformable_conv")


def test_channel_last_layout_is_refused_at_first_forward():
    layer = DeformableConvolution(4, kernel_size=3, layout="NHWC")
    layer.initialize()
    with pytest.raises(ValueError, match="NHWC"):
        layer(np.ones((1, 5, 5, 2)))


def test_layers_on_symbols_are_mxnets_graphs():
    from mxnp import sym

    npx.reset_np()  # MXNet 1.9.1 (mxref), 1.x switches
    graph = DeformableConvolution(4, kernel_size=3, activation="relu", prefix="d_")(
        sym.var("data"))
    assert graph.list_outputs() == ["d_relu_fwd_output"]
    assert graph.list_arguments() == ["data", "d_offset_weight", "d_offset_bias",
                                      "d_deformable_conv_weight", "d_deformable_conv_bias"]
    assert graph.infer_shape(data=(1, 2, 5, 5))[1] == [(1, 4, 3, 3)]
    graph = ModulatedDeformableConvolution(4, kernel_size=3, prefix="m_")(sym.var("data"))
    assert graph.get_internals().list_outputs() == [
        "data", "m_offset_weight", "m_offset_bias", "m_convolution0_output",
        "m_slice_axis0_output", "m_slice_axis1_output", "m_sigmoid0_output",
        "m__mulscalar0_output", "m_deformable_conv_weight", "m_deformable_conv_bias",
        "m_fwd_output"]
    assert graph.infer_shape(data=(1, 2, 5, 5))[1] == [(1, 4, 3, 3)]
