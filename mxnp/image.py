"""``mx.image``: image loading, resizing and cropping helpers (the functional part)."""
from __future__ import annotations

from ._ops.image.io import imdecode, imread
from ._ops.image.transforms import (
    center_crop,
    color_normalize,
    fixed_crop,
    imresize,
    random_crop,
    scale_down,
)

__all__ = ["imread", "imdecode", "imresize", "fixed_crop", "center_crop", "random_crop",
           "scale_down", "color_normalize"]
