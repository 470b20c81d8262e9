"""Colour jitter on one (H, W, C) image, with MXNet's arithmetic (its ``image_random`` kernels).

Every op computes in float32 and writes back in the input's dtype the way MXNet's
``saturate_cast`` does: integer pixels are clipped to their dtype's range and truncated toward
zero (not rounded); float pixels are neither clipped nor rounded. Random factors come from
the device's sequential engine, drawn as MXNet's kernels draw them, so after
``mx.random.seed(s)`` they are MXNet's (see ``random_color_jitter`` for its order).
"""
from __future__ import annotations

import numpy as onp

from .. import _backend
from .. import numpy as np
from .._ops.image.transforms import _image

_LUMA = (0.299, 0.587, 0.114)  # ITU-R 601 weights of R, G, B
# ImageNet's RGB eigenvectors scaled by their eigenvalues (AlexNet's PCA lighting noise)
_EIG = onp.array([[55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
                  [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140],
                  [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203]], dtype=onp.float32)
# which of (p2, p1, falling, rising) each HLS hue sector gives to B, G and R
_SECTORS = ((1, 3, 0), (1, 0, 2), (3, 0, 1), (0, 2, 1), (0, 1, 3), (2, 1, 0))


def _check(name, img):
    _image(name, img, (3,), rgb=True)


def _saturate(val, dtype):
    """Float32 ``val`` back in ``dtype``: clipped and truncated for integer dtypes."""
    dtype = onp.dtype(dtype)
    if dtype.kind in "ui":
        info = onp.iinfo(dtype)
        val = np.clip(val, float(info.min), float(info.max))
    return val.astype(dtype)


def _uniform(low, high):
    """One float drawn from mxnp's generator in [low, high)."""
    return float(np.random.uniform(low, high).item())


def adjust_brightness(img, alpha):
    """Every pixel times ``alpha``."""
    _check("brightness", img)
    return _saturate(img.astype("float32") * onp.float32(alpha), img.dtype)


def adjust_contrast(img, alpha):
    """Pixels pulled toward (``alpha`` < 1) or pushed from the image's mean gray level, which is
    summed in float32 one term after another, as MXNet's loop sums it."""
    _check("contrast", img)
    x = img.astype("float32")
    terms = x[:, :, :3] * np.array(_LUMA, dtype="float32") if img.shape[2] > 1 else x
    total = np.cumsum(terms.reshape(-1), dtype="float32")[-1].item() if terms.size else 0.0
    with onp.errstate(invalid="ignore"):  # an empty image: NaN, as MXNet's 0 / 0
        mean = onp.float32(total) / onp.float32(img.shape[0] * img.shape[1])
    beta = (1 - onp.float32(alpha)) * mean
    return _saturate(x * onp.float32(alpha) + onp.float32(beta), img.dtype)


def adjust_saturation(img, alpha):
    """Each pixel blended with its own gray level: ``alpha`` 0 gives gray, 1 the image."""
    _check("saturation", img)
    if img.shape[2] == 1:
        return img.copy()
    x = img.astype("float32")
    gray = (x * np.array(_LUMA, dtype="float32")).sum(axis=2, keepdims=True)
    return _saturate(gray * (1 - onp.float32(alpha)) + x * onp.float32(alpha), img.dtype)


def _to_hls(x):
    """Hue (degrees), lightness and saturation of float RGB ``x`` in [0, 255]."""
    r, g, b = (x[:, :, i] / 255.0 for i in range(3))
    vmax, vmin = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    diff = vmax - vmin
    light = (vmax + vmin) * 0.5
    colored = diff > onp.finfo(onp.float32).eps
    safe = np.where(colored, diff, 1.0)
    sat = np.where(light < 0.5, diff / np.where(colored, vmax + vmin, 1.0),
                   diff / np.where(colored, 2.0 - vmax - vmin, 1.0))
    step = 60 / safe  # degrees per unit of channel difference, rounded once as MXNet does
    hue = np.where(vmax == r, (g - b) * step,
                   np.where(vmax == g, (b - r) * step + 120, (r - g) * step + 240))
    hue = np.where(hue < 0, hue + 360, hue)
    return np.where(colored, hue, 0.0), light, np.where(colored, sat, 0.0)


def _from_hls(hue, light, sat):
    """Float RGB in [0, 255] (stacked on the last axis) from hue in degrees, L and S."""
    p2 = np.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    h = np.mod(hue * onp.float32(1 / 60), 6.0)  # times 1/60 rounded to float32, as MXNet
    sector = np.floor(h)
    frac = h - sector
    tab = (p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac)
    channels = []
    for pos in (2, 1, 0):  # R, G, B are the third, second and first entries of a sector
        val = light
        for k, sec in enumerate(_SECTORS):
            val = np.where((sector == k) & (sat != 0), tab[sec[pos]], val)
        channels.append(val * 255.0)
    return np.stack(channels, axis=2)


def adjust_hue(img, alpha):
    """The hue turned by ``alpha`` of a full turn, through HLS as MXNet does."""
    _check("hue", img)
    if img.shape[2] == 1:
        return img.copy()
    hue, light, sat = _to_hls(img.astype("float32"))
    rgb = _from_hls(hue + onp.float32(alpha) * 360, light, sat).astype("float32")
    return _saturate(rgb, img.dtype)


def adjust_lighting(img, alpha):
    """AlexNet's PCA lighting noise with the three given ``alpha`` weights added to R, G, B."""
    _check("lighting", img)
    if img.shape[2] == 1:
        return img.copy()
    pca = _EIG @ onp.asarray(alpha, dtype=onp.float32)
    return _saturate(img.astype("float32") + np.array(pca, dtype="float32"), img.dtype)


def random_brightness(img, min_factor, max_factor):
    """``adjust_brightness`` by a factor drawn from [min_factor, max_factor)."""
    return adjust_brightness(img, _uniform(min_factor, max_factor))


def random_contrast(img, min_factor, max_factor):
    """``adjust_contrast`` by a factor drawn from [min_factor, max_factor)."""
    return adjust_contrast(img, _uniform(min_factor, max_factor))


def random_saturation(img, min_factor, max_factor):
    """``adjust_saturation`` by a factor drawn from [min_factor, max_factor)."""
    return adjust_saturation(img, _uniform(min_factor, max_factor))


def random_hue(img, min_factor, max_factor):
    """``adjust_hue`` by a fraction of a turn drawn from [min_factor, max_factor)."""
    return adjust_hue(img, _uniform(min_factor, max_factor))


def random_lighting(img, alpha_std):
    """``adjust_lighting`` with weights drawn from N(0, alpha_std)."""
    alpha = np.random.normal(0, alpha_std, size=(3,)).asnumpy()
    return adjust_lighting(img, alpha)


def _jitter_order(engine) -> list:
    """The order MXNet's kernel applies brightness (0), contrast (1), saturation (2) and hue (3)
    in: ``std::shuffle`` of [0, 1, 2, 3] as MXNet 1.9.1's libstdc++ runs it, swapping entry
    ``i`` (1, 2, 3) with entry ``uniform_int(0, i)``, one engine output (at most) per swap."""
    order = [0, 1, 2, 3]
    for i, j in enumerate(engine.below([2, 3, 4]).tolist(), start=1):
        order[i], order[j] = order[j], order[i]
    return order


def _jitter_factor(engine, amount) -> float:
    """One ``uniform_real_distribution<float>(-amount, amount)`` draw: ``u * (b - a) + a`` in
    float32 from one engine output."""
    low, high = -onp.float32(amount), onp.float32(amount)
    return float(onp.float32(float(engine.uniform(1)[0])) * (high - low) + low)


def random_color_jitter(img, brightness, contrast, saturation, hue):
    """The four jitters, each with a nonzero amount, applied in a random order.

    Draws as MXNet's kernel does, from the sequential engine of ``img``'s device: first the
    order (``_jitter_order``, drawn even when every amount is 0), then, as each adjustment
    with an amount above 0 comes up, its factor ``1 + U(-amount, amount)`` (hue: the turn
    ``U(-hue, hue)``, no 1 added); disabled adjustments draw nothing. With every amount 0 the
    image comes back unchanged (MXNet 1.9.1 returns zeros)."""
    _check("color_jitter", img)
    engine = _backend.engines(img._device).sequential
    steps = ((brightness, adjust_brightness, 1.0), (contrast, adjust_contrast, 1.0),
             (saturation, adjust_saturation, 1.0), (hue, adjust_hue, 0.0))
    for k in _jitter_order(engine):
        amount, adjust, center = steps[k]
        if amount > 0:  # the factor is the float32 rounding of center + draw, as in MXNet
            img = adjust(img, float(onp.float32(center + _jitter_factor(engine, amount))))
    return img
