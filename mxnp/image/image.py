"""mx.image's functions: decoding, resizing, cropping, padding, rotation, normalization.

Resizing and decoding are OpenCV's when it is installed (the vision extra), giving MXNet's
pixels; the random choices come from Python's ``random`` (and NumPy's global generator for the
rotation angles), as in MXNet, so seeding them repeats MXNet's draws.
"""
from __future__ import annotations

import functools
import inspect
import random
import warnings
from numbers import Number

import numpy as onp

from .. import _lazy
from .. import numpy as np
from .._mode import is_np_array
from .._ops.image import io as _io
from .._ops.image import transforms as _transforms
from .._ops.image.transforms import interp_method, scale_down
from ..base import OpError
from ..ndarray.ndarray import to_nd

__all__ = ["center_crop", "color_normalize", "copyMakeBorder", "fixed_crop", "imdecode", "imread",
           "imresize", "imrotate", "random_crop", "random_rotate", "random_size_crop",
           "resize_short", "scale_down"]

def faced(fn):
    """``fn`` giving its arrays as ``NDArray``s while MXNet's array switch is off (before
    ``npx.set_np()``), as MXNet's ``mx.image`` does; ``mx.np`` arrays after. An input handed
    back (an in-place change) is the caller's object, as it was."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        out = fn(*args, **kwargs)
        if is_np_array() or any(out is a for a in args):
            return out
        return to_nd(out, args)
    return call


def writes_out(fn):
    """``fn`` taking MXNet's ``out=`` too: the result is written into that array, which must
    have the result's shape and dtype (MXNetError otherwise, as MXNet), and returned."""
    @functools.wraps(fn)
    def call(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        if out is None:
            return result
        if out.shape != result.shape or out.dtype != result.dtype:
            raise OpError(f"{fn.__name__}: out is {out.shape} {out.dtype}, but the result is "
                          f"{result.shape} {result.dtype}")
        out[...] = result
        return out
    sig = inspect.signature(fn)
    out_param = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    call.__signature__ = sig.replace(parameters=[*sig.parameters.values(), out_param])
    return call


imdecode, imread = writes_out(faced(_io.imdecode)), faced(_io.imread)
center_crop, color_normalize = faced(_transforms.center_crop), faced(_transforms.color_normalize)
fixed_crop, imresize = faced(_transforms.fixed_crop), writes_out(faced(_transforms.imresize))
random_crop = faced(_transforms.random_crop)


# OpenCV's border types (the numbers MXNet passes on; its docstring lists them in another order)
_BORDERS = {1: "edge", 2: "symmetric", 4: "reflect"}  # and 3: wrapped


def _hwc(name, src):
    if src.ndim != 3:
        raise ValueError(f"{name}: expected an (H, W, C) image, got shape {src.shape}")
    return src.shape


@writes_out
@faced
def copyMakeBorder(src, top, bot, left, right, type=0, value=0.0, values=()):
    """``src`` (H, W, C) with borders of the given widths, filled as OpenCV's border ``type``.

    0: a constant (``values`` per channel, missing ones 0; or ``value`` for all), 1: the edge
    repeated, 2: mirrored (fedcba|abcdef), 3: wrapped, 4: mirrored without the edge
    (fedcb|abcdef).
    """
    _hwc("copyMakeBorder", src)
    if 16 <= type <= 20:  # OpenCV's BORDER_ISOLATED flag: nothing to do on a whole image
        type -= 16
    widths = ((top, bot), (left, right), (0, 0))
    if min(top, bot, left, right) < 0:
        raise ValueError(f"copyMakeBorder: border widths must be >= 0, got top={top}, "
                         f"bot={bot}, left={left}, right={right}")
    if type in _BORDERS:
        return np.pad(src, widths, mode=_BORDERS[type])
    if type == 3:
        h, w, _ = src.shape
        rows = np.array(onp.arange(-top, h + bot) % h, dtype="int64")
        cols = np.array(onp.arange(-left, w + right) % w, dtype="int64")
        return np.take(np.take(src, rows, axis=0), cols, axis=1)
    if type != 0:
        raise ValueError(f"copyMakeBorder: type must be 0-4 (OpenCV's border types), got {type}")
    channels = src.shape[2]
    fill = list(values)[:channels] + [0.0] * (channels - len(values)) if values else \
        [value] * channels
    return np.stack([np.pad(src[:, :, c], widths[:2], constant_values=fill[c])
                     for c in range(channels)], axis=2)


@faced
def resize_short(src, size, interp=2):
    """``src`` (H, W, C) resized so that its shorter side is ``size`` (the ratio kept)."""
    h, w, _ = _hwc("resize_short", src)
    new_h, new_w = (size * h // w, size) if h > w else (size, size * w // h)
    return imresize(src, new_w, new_h, interp=interp_method(interp, (h, w, new_h, new_w)))


@faced
def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """A crop of random area (a fraction in ``area``) and aspect ratio (in ``ratio``), resized
    to ``size`` = (w, h), and its (x0, y0, w, h); a centre crop after ten misses."""
    h, w, _ = _hwc("random_size_crop", src)
    if "min_area" in kwargs:
        area = _min_area(kwargs)
    if kwargs:
        raise TypeError(f"random_size_crop: unexpected keyword arguments {sorted(kwargs)}")
    if isinstance(area, Number):
        area = (area, 1.0)
    for _ in range(10):
        target = random.uniform(area[0], area[1]) * h * w
        # NumPy's log/exp/sqrt, as MXNet uses: the same last bits, so the same crops
        aspect = onp.exp(random.uniform(onp.log(ratio[0]), onp.log(ratio[1])))
        new_w = int(onp.rint(onp.sqrt(target * aspect)))
        new_h = int(onp.rint(onp.sqrt(target / aspect)))
        if new_w <= w and new_h <= h:
            x0, y0 = random.randint(0, w - new_w), random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def _min_area(kwargs):
    """``kwargs``' ``min_area`` (popped), MXNet's old name for ``area``, with its warning."""
    warnings.warn("`min_area` is deprecated. Please use `area` instead.", DeprecationWarning,
                  stacklevel=3)
    return kwargs.pop("min_area")


@faced
def imrotate(src, rotation_degrees, zoom_in=False, zoom_out=False):
    """float32 ``src`` (C, H, W) or (N, C, H, W) turned ``rotation_degrees`` counter-clockwise
    about its centre (bilinear, zeros outside), zoomed to hide the border or keep the corners.
    """
    # gluon's vision transforms hold the rotation (layer 6); see docs/architecture.md
    from ..gluon.data.vision._geometry import rotate

    if not isinstance(rotation_degrees, Number):
        rotation_degrees = onp.asarray(rotation_degrees.asnumpy() if hasattr(
            rotation_degrees, "asnumpy") else rotation_degrees).tolist()
    return rotate(src, rotation_degrees, zoom_in, zoom_out)


@faced
def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """``imrotate`` by angles drawn uniformly in ``angle_limits`` from NumPy's global generator
    (one angle per image of a batch)."""
    if src.ndim == 3:
        degrees = float(onp.random.uniform(*angle_limits))
    else:
        degrees = onp.random.uniform(*angle_limits, size=src.shape[0]).tolist()
    return imrotate(src, degrees, zoom_in, zoom_out)


# MXNet's mxnet/image/image.py also holds the augmenters and ImageIter (their classes show that
# module's name): here they load from their own modules on first use
_AUGMENTERS = ("Augmenter", "BrightnessJitterAug", "CastAug", "CenterCropAug", "ColorJitterAug",
               "ColorNormalizeAug", "ContrastJitterAug", "CreateAugmenter", "ForceResizeAug",
               "HorizontalFlipAug", "HueJitterAug", "LightingAug", "RandomCropAug",
               "RandomGrayAug", "RandomOrderAug", "RandomSizedCropAug", "ResizeAug",
               "SaturationJitterAug", "SequentialAug")
__getattr__, __dir__ = _lazy.names(globals(), {
    **{name: ("mxnp.image.augmenters", name) for name in _AUGMENTERS},
    "ImageIter": ("mxnp.image.iterator", "ImageIter")})
