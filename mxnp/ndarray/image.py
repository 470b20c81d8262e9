"""``mx.nd.image``: MXNet 1.x's image operators on NDArrays (HWC or NHWC uint8/float images),
the ``npx.image`` ops with NDArray results and a row each in the operator registry.
"""
from __future__ import annotations

from ..numpy_extension import image as _image
from ._define import legacy_op

__all__ = [
    "adjust_lighting",
    "crop",
    "flip_left_right",
    "flip_top_bottom",
    "normalize",
    "random_flip_left_right",
    "random_brightness",
    "random_color_jitter",
    "random_contrast",
    "random_flip_top_bottom",
    "random_hue",
    "random_lighting",
    "random_saturation",
    "resize",
    "to_tensor",
]


@legacy_op("_image_to_tensor")
def to_tensor(data):
    """HWC [0, 255] -> CHW float32 [0, 1] (and NHWC -> NCHW)."""
    return _image.to_tensor(data)


@legacy_op("_image_normalize")
def normalize(data, mean=0.0, std=1.0):
    """(data - mean) / std per channel of a CHW or NCHW tensor."""
    return _image.normalize(data, mean=mean, std=std)


@legacy_op("_image_resize")
def resize(data, size=(), keep_ratio=False, interp=1):
    """An HWC or NHWC image resized to ``size`` (w, h), or its short side to ``size``."""
    return _image.resize(data, size=size, keep_ratio=keep_ratio, interp=interp)


@legacy_op("_image_crop")
def crop(data, x, y, width, height):
    """The ``width`` x ``height`` region at (x, y) of an HWC or NHWC image."""
    return _image.crop(data, x, y, width, height)


@legacy_op("_image_flip_left_right")
def flip_left_right(data):
    """The image mirrored horizontally."""
    return _image.flip_left_right(data)


@legacy_op("_image_flip_top_bottom")
def flip_top_bottom(data):
    """The image mirrored vertically."""
    return _image.flip_top_bottom(data)


@legacy_op("_image_random_flip_left_right")
def random_flip_left_right(data):
    """The image mirrored horizontally with probability 0.5."""
    return _image.random_flip_left_right(data)


@legacy_op("_image_random_flip_top_bottom")
def random_flip_top_bottom(data):
    """The image mirrored vertically with probability 0.5."""
    return _image.random_flip_top_bottom(data)


@legacy_op("_image_random_brightness")
def random_brightness(data, min_factor, max_factor):
    """An HWC image's brightness scaled by a factor drawn from [min_factor, max_factor)."""
    return _image.random_brightness(data, min_factor, max_factor)


@legacy_op("_image_random_contrast")
def random_contrast(data, min_factor, max_factor):
    """An HWC image's contrast scaled by a factor drawn from [min_factor, max_factor)."""
    return _image.random_contrast(data, min_factor, max_factor)


@legacy_op("_image_random_saturation")
def random_saturation(data, min_factor, max_factor):
    """An HWC image's saturation scaled by a factor drawn from [min_factor, max_factor)."""
    return _image.random_saturation(data, min_factor, max_factor)


@legacy_op("_image_random_hue")
def random_hue(data, min_factor, max_factor):
    """An HWC image's hue turned by a fraction of a turn drawn from [min_factor, max_factor)."""
    return _image.random_hue(data, min_factor, max_factor)


@legacy_op("_image_random_color_jitter")
def random_color_jitter(data, brightness, contrast, saturation, hue):
    """Brightness, contrast, saturation and hue jitters in a random order."""
    return _image.random_color_jitter(data, brightness, contrast, saturation, hue)


@legacy_op("_image_random_lighting")
def random_lighting(data, alpha_std=0.05):
    """AlexNet's PCA lighting noise with weights drawn from N(0, alpha_std)."""
    return _image.random_lighting(data, alpha_std)


@legacy_op("_image_adjust_lighting")
def adjust_lighting(data, alpha):
    """AlexNet's PCA lighting noise with the three given ``alpha`` weights."""
    return _image.adjust_lighting(data, alpha)
