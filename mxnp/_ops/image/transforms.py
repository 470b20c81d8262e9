"""Image ops of npx.image and mx.image on (H, W, C) images (or (N, H, W, C) batches).

Resizing is OpenCV's ``cv2.resize``, which MXNet calls, when OpenCV is installed (the vision
extra). Without it (or on a GPU) nearest and bilinear resizing are computed here as OpenCV
does (top-left nearest neighbour; half-pixel bilinear sampling with 11-bit fixed-point weights
for uint8, which can be one level off on rounding ties). The other ops are written with
existing ops, so they get their gradients for free.
"""
from __future__ import annotations

import random as _pyrandom

import numpy as onp

from ... import _dtypes
from ...base import OpError
from ..creation import array
from ..elementwise import where
from ..manipulation import flip
from ..primitive import Primitive
from ..random.distributions import _draw
from ..shape import transpose
from . import opencv

_COEF = 2048  # OpenCV's INTER_RESIZE_COEF_SCALE: uint8 weights are multiples of 1/2048


def _image(name, data, ndims=(3, 4), rgb=False):
    """Raise OpError unless ``data`` is an image (or batch); ``rgb``: with 1 or 3 channels."""
    if data.ndim not in ndims:
        want = " or ".join({3: "(H, W, C)", 4: "(N, H, W, C)"}[n] for n in ndims)
        raise OpError(f"{name}: expected an image of shape {want}, got {data.shape}")
    if rgb and data.shape[-1] not in (1, 3):
        raise OpError(f"{name}: the last axis of an image holds its 1 or 3 channels, got "
                      f"shape {data.shape}")


_FLOAT32_255 = _dtypes.float32.type(255)


def _to_tensor_forward(xp, x, axes):
    # MXNet's kernel: float(x) / 255.0f, each value cast to float32 first; the cast lays the
    # result out (C, H, W), and the division runs in place on it (faster than one division
    # with a cast of its strided input: the same float32 operations)
    out = x.transpose(axes).astype(_dtypes.float32, order="C")
    xp.true_divide(out, _FLOAT32_255, out=out)
    return out


def _to_tensor_vjp(g, ans, x, axes):
    back = tuple(onp.argsort(axes))
    return (transpose(g, back) / 255.0).astype(x.dtype)


_to_tensor = Primitive("to_tensor", _to_tensor_forward, (_to_tensor_vjp,), keep=())


def to_tensor(data):
    """(H, W, C) values in [0, 255] to float32 (C, H, W) in [0, 1]; batches likewise."""
    _image("to_tensor", data)
    return _to_tensor(data, axes=(2, 0, 1) if data.ndim == 3 else (0, 3, 1, 2))


_STATS: dict = {}  # (mean, std, channels, dtype, device) -> normalize's two constant arrays


def _stats(mean, std, channels, dtype, ctx):
    """The per-channel ``mean`` and ``std`` as (C, 1, 1) arrays of ``dtype`` (made once per
    setting: a transform normalizes every image with the same numbers)."""
    values = [onp.atleast_1d(onp.asarray(v, dtype=onp.float64)) for v in (mean, std)]
    key = (tuple(values[0].tolist()), tuple(values[1].tolist()), channels, dtype, ctx)
    found = _STATS.get(key)
    if found is None:
        for what, v in zip(("mean", "std"), values):
            if v.size not in (1, channels):
                raise OpError(f"normalize: {what} must have 1 or {channels} elements, got "
                              f"{v.tolist()}")
        if len(_STATS) >= 64:
            _STATS.clear()
        found = _STATS[key] = tuple(array(v.reshape(-1, 1, 1), dtype=dtype, ctx=ctx)
                                    for v in values)
    return found


def normalize(data, mean=0.0, std=1.0):
    """(data - mean) / std per channel of a (C, H, W) or (N, C, H, W) tensor, in its dtype."""
    if data.ndim not in (3, 4):
        raise OpError(f"normalize: expected a (C, H, W) or (N, C, H, W) tensor, got "
                         f"{data.shape}")
    channels = data.shape[-3]
    if channels not in (1, 3):
        raise OpError(f"normalize: the channel axis must hold 1 or 3 channels, got shape "
                         f"{data.shape}; convert an (H, W, C) image with to_tensor first")
    x = data if data._data.dtype.kind == "f" else data.astype("float32")
    if type(mean) in (int, float) and type(std) in (int, float):  # one number each: the same
        out = (x - mean) / std  # values as the (1, 1, 1) arrays below, without making them
    else:
        m, s = _stats(mean, std, channels, x.dtype, data.ctx)
        out = (x - m) / s
    # MXNet keeps integer pixels' dtype: truncated toward zero, wrapped as C's casts wrap
    return out if x is data else out.astype("int64").astype(data.dtype)


def flip_left_right(data):
    """The (H, W, C) image mirrored left to right."""
    _image("flip_left_right", data, (3,), rgb=True)
    return flip(data, axis=1)


def flip_top_bottom(data):
    """The (H, W, C) image upside down."""
    _image("flip_top_bottom", data, (3,), rgb=True)
    return flip(data, axis=0)


def _coin(data, flipped):
    """``data`` or ``flipped`` with probability 1/2 each, as MXNet's kernel draws it: it keeps
    the image where ``std::bernoulli_distribution()`` says true, a double made of two of the
    sequential engine's outputs falling below 0.5."""
    keep = _draw("random_flip", data._device, (), onp.dtype(bool),
                 lambda xp, engines, shape, dt: engines.sequential.uniform(1, onp.float64)[0] < 0.5)
    return where(keep, data, flipped)


def random_flip_left_right(data):
    """The image mirrored left to right with probability 1/2."""
    return _coin(data, flip_left_right(data))


def random_flip_top_bottom(data):
    """The image upside down with probability 1/2."""
    return _coin(data, flip_top_bottom(data))


def crop(data, x, y, width, height):
    """The ``width`` x ``height`` window at column ``x``, row ``y`` of an image or batch."""
    _image("crop", data, rgb=True)
    h, w = data.shape[-3], data.shape[-2]
    if min(x, y) < 0 or width < 1 or height < 1 or x + width > w or y + height > h:
        raise OpError(f"crop: window x={x}, y={y}, width={width}, height={height} does not "
                         f"fit in an image of width {w} and height {h}")
    return data[..., y:y + height, x:x + width, :]


# ---- resizing -------------------------------------------------------------------------------
def _taps(xp, n_src, n_dst):
    """Bilinear source indices and the far tap's weight, as OpenCV computes them."""
    f = ((onp.arange(n_dst) + 0.5) * (n_src / n_dst) - 0.5).astype(onp.float32)
    lo = onp.floor(f)
    f = f - lo
    lo = lo.astype(onp.int64)
    edge = (lo < 0) | (lo >= n_src - 1)  # OpenCV clamps to the border with a zero weight
    f[edge] = 0
    lo = onp.clip(lo, 0, n_src - 1)
    return xp.asarray(lo), xp.asarray(onp.minimum(lo + 1, n_src - 1)), f


def _linear(xp, x, size, axis):
    lo, hi, f = _taps(xp, x.shape[axis], size)
    shape = [1] * x.ndim
    shape[axis] = size
    a, b = xp.take(x, lo, axis=axis), xp.take(x, hi, axis=axis)
    if x.dtype == onp.uint8:  # fixed point: weights rounded to 1/2048, as OpenCV does
        w1 = onp.rint(f * _COEF).astype(onp.int32)
        w0 = onp.rint((1 - f) * _COEF).astype(onp.int32)
        return a.astype(onp.int32) * xp.asarray(w0.reshape(shape)) \
            + b.astype(onp.int32) * xp.asarray(w1.reshape(shape)), w0, w1
    w1 = xp.asarray(f.reshape(shape)).astype(x.dtype)
    w0 = xp.asarray((1 - f).reshape(shape)).astype(x.dtype)
    return a * w0 + b * w1, None, None


def _bilinear(xp, x, w, h):
    """OpenCV's INTER_LINEAR: a horizontal pass, then a vertical one, on axes -3 and -2."""
    rows, _, _ = _linear(xp, x, w, x.ndim - 2)
    if x.dtype != onp.uint8:
        out, _, _ = _linear(xp, rows, h, x.ndim - 3)
        return out
    lo, hi, f = _taps(xp, x.shape[-3], h)
    b1 = onp.rint(f * _COEF).astype(onp.int32).reshape(-1, 1, 1)
    b0 = onp.rint((1 - f) * _COEF).astype(onp.int32).reshape(-1, 1, 1)
    r0, r1 = xp.take(rows, lo, axis=-3), xp.take(rows, hi, axis=-3)
    # OpenCV's uint8 vertical pass: drop 4 bits, multiply, drop 16, then round off 2 more
    out = (((xp.asarray(b0) * (r0 >> 4)) >> 16) + ((xp.asarray(b1) * (r1 >> 4)) >> 16) + 2) >> 2
    return xp.clip(out, 0, 255).astype(onp.uint8)


def _nearest(xp, x, w, h):
    """OpenCV's INTER_NEAREST: source index floor(i * scale), no half-pixel shift."""
    cols = onp.minimum(onp.floor(onp.arange(w) * (x.shape[-2] / w)).astype(onp.int64),
                       x.shape[-2] - 1)
    rows = onp.minimum(onp.floor(onp.arange(h) * (x.shape[-3] / h)).astype(onp.int64),
                       x.shape[-3] - 1)
    return xp.take(xp.take(x, xp.asarray(cols), axis=-2), xp.asarray(rows), axis=-3)


def _resize_forward(xp, data, w, h, interp):
    if data.dtype != onp.uint8 and not _dtypes.is_real_float(data.dtype):
        raise TypeError(f"expected uint8 or floating point pixels, got {data.dtype}")
    if interp not in (0, 1, 2, 3, 4):
        raise OpError(f"interp={interp} is not an interpolation method; use 0 (nearest), "
                         "1 (bilinear), 2 (bicubic), 3 (area) or 4 (Lanczos)")
    if (w, h) == (data.shape[-2], data.shape[-3]):
        return data.copy()
    if xp is onp and opencv.module() is not None:
        return opencv.resize(data, w, h, interp)
    if interp == 0:
        return _nearest(xp, data, w, h)
    if interp == 1:
        return _bilinear(xp, data, w, h)
    raise NotImplementedError(f"interp={interp} needs OpenCV (`pip install 'mxnp[vision]'`) and "
                              "a CPU array; without it use 0 (nearest) or 1 (bilinear)")


_resize = Primitive("image_resize", _resize_forward)


def resize(data, size=(), keep_ratio=False, interp=1):
    """The image (or batch) resized to ``size`` = (width, height), or a square of ``size``.

    With ``keep_ratio`` and one number, the shorter side becomes ``size``.
    Differs from MXNet: without OpenCV, interp 2-4 (cubic, area, Lanczos) raise
    NotImplementedError.
    """
    _image("resize", data)
    h, w = data.shape[-3], data.shape[-2]
    size = (size,) if isinstance(size, int) else tuple(size)
    if len(size) == 1 and keep_ratio:
        s = size[0]
        size = (s, h * s // w) if h > w else (w * s // h, s)
    elif len(size) == 1:
        size = (size[0], size[0])
    if len(size) != 2 or min(size) < 1:
        raise OpError(f"resize: size must be one or two positive ints (width, height), "
                         f"got {size!r}")
    return _resize(data, w=int(size[0]), h=int(size[1]), interp=int(interp))


def imresize(src, w, h, interp=1):
    """``src`` (H, W, C) resized to width ``w`` and height ``h`` (OpenCV's cv2.resize)."""
    return resize(src, (w, h), interp=interp)


# ---- mx.image's cropping helpers ------------------------------------------------------------
def scale_down(src_size, size):
    """``size`` = (w, h) shrunk, keeping its aspect ratio, to fit in ``src_size`` = (w, h)."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def interp_method(interp, sizes=()):
    """The OpenCV interpolation (0-4) that mx.image's ``interp`` names.

    9 picks by the resize (``sizes`` = (old_h, old_w, new_h, new_w)): bicubic to enlarge,
    area to shrink, bilinear otherwise (bicubic when ``sizes`` is empty); 10 draws one of 0-4
    from Python's ``random``, as MXNet does.
    """
    if interp == 9:
        if not sizes:
            return 2
        oh, ow, nh, nw = sizes
        return 2 if nh > oh and nw > ow else 3 if nh < oh and nw < ow else 1
    if interp == 10:
        return _pyrandom.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise OpError(f"Unknown interp method {interp}: use 0-4, 9 (by size) or 10 (random)")
    return interp


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """The (w, h) window at (x0, y0), resized to ``size`` = (w, h) when given and different."""
    out = src[y0:y0 + h, x0:x0 + w]
    if size is not None and (w, h) != tuple(size):
        interp = interp_method(interp, (h, w, size[1], size[0]))
        out = imresize(out, size[0], size[1], interp=interp)
    return out


def center_crop(src, size, interp=2):
    """The central crop of ``size`` = (w, h) (scaled down to fit), and its (x0, y0, w, h)."""
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0, y0 = int((w - new_w) / 2), int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def random_crop(src, size, interp=2):
    """A crop of ``size`` = (w, h) at a random place, and its (x0, y0, w, h).

    As MXNet does, the place comes from Python's ``random`` module, not mx.random.
    """
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0, y0 = _pyrandom.randint(0, w - new_w), _pyrandom.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """``(src - mean) / std`` computed in place in ``src`` and returned, as MXNet does (mean
    and std each optional)."""
    if mean is not None:
        src -= mean
    if std is not None:
        src /= std
    return src
