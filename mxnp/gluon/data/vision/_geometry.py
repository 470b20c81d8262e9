"""Rotation of (C, H, W) tensors and the random resized crop, with MXNet's geometry.

Rotation follows ``mx.image.imrotate``: a sampling grid in [-1, 1] coordinates rotated about the
image centre (optionally zoomed so no border or no corner is lost) and read with bilinear
sampling, zeros outside the image (MXNet's ``BilinearSampler``). Everything is np ops, so the
result is differentiable in the image.
"""
from __future__ import annotations

import math
import random
from numbers import Number

import numpy as onp

from .... import numpy as np
from ....image import center_crop, fixed_crop


def _sample(img, gx, gy):
    """Bilinear reads of (C, H, W) ``img`` at grid (gx, gy) in [-1, 1]; zero outside."""
    c, h, w = img.shape
    x = (gx + 1) * ((w - 1) / 2.0)
    y = (gy + 1) * ((h - 1) / 2.0)
    x0, y0 = np.floor(x), np.floor(y)
    flat = img.reshape(c, h * w)
    out = 0
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        xi, yi = x0 + dx, y0 + dy
        weight = (1 - np.abs(x - xi)) * (1 - np.abs(y - yi))
        inside = (xi >= 0) & (xi <= w - 1) & (yi >= 0) & (yi <= h - 1)
        index = (np.clip(yi, 0, h - 1) * w + np.clip(xi, 0, w - 1)).astype("int64")
        taps = np.take(flat, index.reshape(-1), axis=1).reshape((c,) + gx.shape)
        out = out + taps * np.where(inside, weight, 0.0)
    return out


def _zoom(h, w, rad, zoom_in):
    """The grid scale that keeps every corner (zoom out) or fills the frame (zoom in)."""
    rho = math.sqrt(h * h + w * w)
    corner = math.atan(h / w)
    xs = [abs(rho * math.cos(corner + s * abs(rad))) for s in (1, -1)]
    ys = [abs(rho * math.sin(corner + s * abs(rad))) for s in (1, -1)]
    if zoom_in:
        return min(w / max(xs), h / max(ys))
    return max(max(xs) / w, max(ys) / h)


def _rotate_one(img, degrees, zoom_in, zoom_out):
    _, h, w = img.shape
    rad = onp.float32(math.pi) * onp.float32(degrees) / onp.float32(180)
    cos, sin = onp.float32(onp.cos(rad)), onp.float32(onp.sin(rad))
    hs, ws = (h - 1) / 2.0, (w - 1) / 2.0
    rows = np.arange(h, dtype="float32").reshape(h, 1) - onp.float32(hs)
    cols = np.arange(w, dtype="float32").reshape(1, w) - onp.float32(ws)
    gx = (cols * cos - rows * sin) / onp.float32(ws)
    gy = (cols * sin + rows * cos) / onp.float32(hs)
    if zoom_in or zoom_out:
        scale = onp.float32(_zoom(float(h), float(w), float(rad), zoom_in))
        gx, gy = gx * scale, gy * scale
    return _sample(img, gx, gy).astype(img.dtype)


def rotate(src, degrees, zoom_in=False, zoom_out=False):
    """``src`` (C, H, W) or (N, C, H, W) float32 turned ``degrees`` counter-clockwise."""
    if zoom_in and zoom_out:
        raise ValueError("zoom_in and zoom_out cannot both be True")
    if onp.dtype(src.dtype) != onp.float32:
        raise TypeError("This transformation only supports float32. Consider calling it after "
                        f"ToTensor (got {src.dtype})")
    if src.ndim == 3:
        if not isinstance(degrees, Number):
            raise TypeError("a single image needs a single rotation angle, got "
                            f"{type(degrees).__name__}")
        return _rotate_one(src, degrees, zoom_in, zoom_out)
    if src.ndim != 4:
        raise ValueError(f"rotate: expected (C, H, W) or (N, C, H, W), got {src.shape}")
    angles = [degrees] * src.shape[0] if isinstance(degrees, Number) else list(degrees)
    if len(angles) != src.shape[0]:
        raise ValueError(f"rotate: {src.shape[0]} images but {len(angles)} rotation angles")
    return np.stack([_rotate_one(src[i], float(a), zoom_in, zoom_out)
                     for i, a in enumerate(angles)])


def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """``rotate`` by angles drawn uniformly from ``angle_limits`` (one per image of a batch)."""
    low, high = angle_limits
    if src.ndim == 3:
        return rotate(src, float(np.random.uniform(low, high).item()), zoom_in, zoom_out)
    angles = np.random.uniform(low, high, size=(src.shape[0],)).asnumpy().tolist()
    return rotate(src, angles, zoom_in, zoom_out)


def random_size_crop(src, size, area, ratio, interp=2):
    """A crop of random area fraction and aspect ratio resized to ``size`` = (w, h).

    As MXNet does, the draws come from Python's ``random`` module; after ten misses it falls
    back to a centre crop.
    """
    h, w = src.shape[0], src.shape[1]
    if isinstance(area, Number):
        area = (area, 1.0)
    for _ in range(10):
        target = random.uniform(area[0], area[1]) * h * w
        aspect = math.exp(random.uniform(math.log(ratio[0]), math.log(ratio[1])))
        new_w = round(math.sqrt(target * aspect))
        new_h = round(math.sqrt(target / aspect))
        if new_w <= w and new_h <= h:
            x0, y0 = random.randint(0, w - new_w), random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp)
    return center_crop(src, size, interp)[0]
