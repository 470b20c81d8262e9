"""Deformable convolution (DCNv1 and the modulated DCNv2) as a composite of ``np`` ops, for
``mx.nd.contrib`` and ``gluon.contrib.cnn``: every tap is read bilinearly at its shifted
position, then the taps are convolved with the weight as im2col columns."""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from ._define import legacy_op

__all__ = ["DeformableConvolution", "ModulatedDeformableConvolution", "deformable_convolution"]


def _deformable_inputs(attrs) -> tuple:
    return ("data", "offset", "weight") + (() if attrs.get("no_bias") else ("bias",))


def _modulated_inputs(attrs) -> tuple:
    return ("data", "offset", "mask", "weight") + (() if attrs.get("no_bias") else ("bias",))


def _tap_positions(data, offset, kernel, stride, dilate, pad, groups):
    """Where each kernel tap reads: y and x of shape (n, groups, kh, kw, oh, ow)."""
    n = data.shape[0]
    kh, kw = kernel
    (sh, sw), (dh, dw), (ph, pw) = stride or (1, 1), dilate or (1, 1), pad or (0, 0)
    oh, ow = offset.shape[2:]
    off = np.reshape(offset, (n, groups, kh, kw, 2, oh, ow))
    grid_y = (onp.arange(oh) * sh - ph)[None, :, None] + (onp.arange(kh) * dh)[:, None, None]
    grid_x = (onp.arange(ow) * sw - pw)[None, None, :] + (onp.arange(kw) * dw)[:, None, None]
    ys = off[:, :, :, :, 0] + np.array(grid_y[:, None], dtype=data.dtype)
    xs = off[:, :, :, :, 1] + np.array(grid_x[None, :], dtype=data.dtype)
    return ys, xs


def _bilinear_taps(data, ys, xs, groups, zero_outside):
    """data (n, c, h, w) read bilinearly at (ys, xs): (n, groups, kh, kw, oh, ow, c/groups).

    MXNet's two CPU kernels differ at the border. DeformableConvolution's reads zero for a tap
    off the image and clamps a corner one past the last pixel to it; the modulated one
    (``zero_outside``) reads each of the four corners as zero when it is off the image, so a
    tap within one pixel outside still sees the edge."""
    n, c, h, w = data.shape
    if zero_outside:
        inside = (ys > -1) * (ys < h) * (xs > -1) * (xs < w)
    else:
        inside = (ys >= 0) * (ys < h) * (xs >= 0) * (xs < w)
        ys, xs = np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)
    y0, x0 = np.floor(ys), np.floor(xs)
    y1, x1 = (y0 + 1, x0 + 1) if zero_outside else (np.minimum(y0 + 1, h - 1),
                                                   np.minimum(x0 + 1, w - 1))
    rows = np.reshape(np.transpose(np.reshape(data, (n, groups, c // groups, h * w)),
                                   (0, 1, 3, 2)), (-1, c // groups))
    base = np.array(onp.arange(n * groups).reshape(n, groups, 1, 1, 1, 1) * h * w)
    cols = 0
    for yy, wy in ((y0, 1 - (ys - y0)), (y1, ys - y0)):
        for xx, wx in ((x0, 1 - (xs - x0)), (x1, xs - x0)):
            weight, row, col = inside * wy * wx, yy, xx
            if zero_outside:
                weight = weight * (yy >= 0) * (yy < h) * (xx >= 0) * (xx < w)
                row, col = np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)
            at = base + (row * w + col).astype("int64")
            taps = np.take(rows, np.reshape(at, (-1,)), axis=0)
            cols = cols + np.reshape(taps, ys.shape + (c // groups,)) * np.expand_dims(weight, -1)
    return cols


def _convolve_columns(cols, weight, bias, num_filter, num_group, no_bias):
    """The convolution of sampled taps (n, g, kh, kw, oh, ow, c/g) with ``weight``."""
    n, oh, ow = cols.shape[0], cols.shape[4], cols.shape[5]
    # -> im2col's (n, group, c/group * kh * kw, oh * ow)
    cols = np.reshape(np.transpose(cols, (0, 1, 6, 2, 3, 4, 5)), (n, num_group, -1, oh * ow))
    out = np.matmul(np.reshape(weight, (num_group, num_filter // num_group, -1)), cols)
    out = np.reshape(out, (n, num_filter, oh, ow))
    return out if bias is None or no_bias else out + np.reshape(bias, (1, -1, 1, 1))


def deformable_convolution(data, offset, mask, weight, bias, kernel, stride=(1, 1),
                           dilate=(1, 1), pad=(0, 0), num_filter=None, num_group=1,
                           num_deformable_group=1, no_bias=False):
    """The deformable convolution of ``np`` arrays (NCHW) that both operators and the gluon
    layers compute: DCNv1 when ``mask`` is None, else DCNv2 (taps scaled by ``mask``)."""
    g = num_deformable_group
    ys, xs = _tap_positions(data, offset, kernel, stride, dilate, pad, g)
    cols = _bilinear_taps(data, ys, xs, g, zero_outside=mask is not None)
    if mask is not None:
        cols = cols * np.reshape(mask, (mask.shape[0], g, *kernel, *mask.shape[2:], 1))
    return _convolve_columns(cols, weight, bias, num_filter, num_group, no_bias)


@legacy_op("_contrib_DeformableConvolution", ("data", "offset", "weight", "bias"),
           optional_inputs=_deformable_inputs)
def DeformableConvolution(data, offset, weight, bias=None, kernel=None, stride=(1, 1),
                          dilate=(1, 1), pad=(0, 0), num_filter=None, num_group=1,
                          num_deformable_group=1, workspace=1024, no_bias=False, layout=None):
    """A 2-D convolution whose kernel taps are moved by ``offset`` (N, groups * kh * kw * 2,
    OH, OW: dy, dx per tap) and read bilinearly (Dai et al., 2017); gradients reach data,
    offset, weight and bias."""
    return deformable_convolution(data, offset, None, weight, bias, kernel, stride, dilate,
                                  pad, num_filter, num_group, num_deformable_group, no_bias)


@legacy_op("_contrib_ModulatedDeformableConvolution",
           ("data", "offset", "mask", "weight", "bias"), optional_inputs=_modulated_inputs)
def ModulatedDeformableConvolution(data, offset, mask, weight, bias=None, kernel=None,
                                   stride=(1, 1), dilate=(1, 1), pad=(0, 0), num_filter=None,
                                   num_group=1, num_deformable_group=1, workspace=1024,
                                   no_bias=False, im2col_step=64, layout=None):
    """DeformableConvolution whose taps are also scaled by ``mask`` (N, groups * kh * kw, OH,
    OW) (Zhu et al., 2019, DCNv2). Differs from MXNet: its CPU backward raises; mxnp's works."""
    return deformable_convolution(data, offset, mask, weight, bias, kernel, stride, dilate,
                                  pad, num_filter, num_group, num_deformable_group, no_bias)
