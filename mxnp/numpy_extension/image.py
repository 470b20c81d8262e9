"""``npx.image``: MXNet's image operators, plus the mx.image helpers it also exposes."""
from __future__ import annotations

from .._ops.image.transforms import (
                          center_crop,
                          color_normalize,
                          crop,
                          fixed_crop,
                          flip_left_right,
                          flip_top_bottom,
                          imresize,
                          normalize,
                          random_crop,
                          random_flip_left_right,
                          random_flip_top_bottom,
                          resize,
                          scale_down,
                          to_tensor,
)
from .._ops.image.io import imdecode, imread
from ._color import (
    adjust_lighting,
    random_brightness,
    random_color_jitter,
    random_contrast,
    random_hue,
    random_lighting,
    random_saturation,
)

__all__ = ["to_tensor", "normalize", "resize", "crop", "flip_left_right", "flip_top_bottom",
           "random_flip_left_right", "random_flip_top_bottom", "center_crop", "fixed_crop",
           "random_crop", "scale_down", "imresize", "color_normalize", "imread", "imdecode",
           "random_brightness", "random_contrast", "random_saturation", "random_hue",
           "random_color_jitter", "random_lighting", "adjust_lighting"]


def __getattr__(name: str):
    """The rest of ``mx.image`` (ImageIter, the Augmenters, resize_short, imrotate ...), which
    MXNet's ``npx.image`` exposes too; loaded on first use."""
    from .. import image

    if name in image.__all__:
        return getattr(image, name)
    raise AttributeError(f"module 'mxnp.numpy_extension.image' has no attribute {name!r}")
