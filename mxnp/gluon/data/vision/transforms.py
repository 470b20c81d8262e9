"""``gluon.data.vision.transforms``: image transforms as Blocks, for ``Dataset.transform_first``.

Images come in as (H, W, C) arrays (uint8 as decoded, or float); ``ToTensor`` turns them into
(C, H, W) float32 in [0, 1], which ``Normalize`` and the rotations expect.
"""
from __future__ import annotations

import random
from numbers import Number

from ...block import Block, HybridBlock
from ...nn import HybridSequential, Sequential
from ....numpy_extension import _color
from . import _geometry

__all__ = ["Cast", "CenterCrop", "Compose", "CropResize", "Normalize", "RandomApply",
           "RandomBrightness", "RandomColorJitter", "RandomContrast", "RandomFlipLeftRight",
           "RandomFlipTopBottom", "RandomHue", "RandomLighting", "RandomResizedCrop",
           "RandomRotation", "RandomSaturation", "Resize", "Rotate", "ToTensor"]


def _pair(size):
    """An int size as a square (w, w); a (w, h) pair as a tuple."""
    return (size, size) if isinstance(size, Number) else tuple(size)


class Compose(Sequential):
    """Apply ``transforms`` in order; runs of HybridBlocks are grouped and hybridized."""

    def __init__(self, transforms):
        super().__init__()
        run = []
        for t in list(transforms) + [None]:  # None flushes the last run of HybridBlocks
            if isinstance(t, HybridBlock):
                run.append(t)
                continue
            if len(run) == 1:
                self.add(run[0])
            elif run:
                group = HybridSequential()
                group.add(*run)
                group.hybridize()
                self.add(group)
            run = []
            if t is not None:
                self.add(t)


class Cast(HybridBlock):
    """Cast the input to ``dtype``."""

    def __init__(self, dtype="float32"):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        """``x`` as ``dtype``."""
        return F.npx.cast(x, self._dtype)


class ToTensor(HybridBlock):
    """(H, W, C) or (N, H, W, C) pixels to (C, H, W) / (N, C, H, W) float32 divided by 255."""

    def hybrid_forward(self, F, x):
        """``x`` as a float32 tensor in [0, 1] (for pixels in [0, 255])."""
        return F.npx.image.to_tensor(x)


class Normalize(HybridBlock):
    """``(x - mean) / std`` per channel of a (C, H, W) or (N, C, H, W) tensor."""

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean, self._std = mean, std

    def hybrid_forward(self, F, x):
        """The normalized tensor."""
        return F.npx.image.normalize(x, self._mean, self._std)


class Rotate(Block):
    """Turn a (C, H, W) or (N, C, H, W) float32 tensor by ``rotation_degrees``."""

    def __init__(self, rotation_degrees, zoom_in=False, zoom_out=False):
        super().__init__()
        self._args = (rotation_degrees, zoom_in, zoom_out)

    def forward(self, x):
        """The rotated tensor (zeros where the turn brings in the outside)."""
        return _geometry.rotate(x, *self._args)


class RandomRotation(Block):
    """Turn a float32 tensor by an angle drawn from ``angle_limits``, with some probability."""

    def __init__(self, angle_limits, zoom_in=False, zoom_out=False, rotate_with_proba=1.0):
        super().__init__()
        lower, upper = angle_limits
        if lower >= upper:
            raise ValueError("`angle_limits` must be an ordered tuple")
        if rotate_with_proba < 0 or rotate_with_proba > 1:
            raise ValueError("Probability of rotating the image should be between 0 and 1")
        self._args = (angle_limits, zoom_in, zoom_out)
        self._rotate_with_proba = rotate_with_proba

    def forward(self, x):
        """``x`` turned by a random angle, or ``x`` itself when the draw says no."""
        from .... import numpy as np

        if np.random.uniform().item() > self._rotate_with_proba:
            return x
        return _geometry.random_rotate(x, *self._args)


class RandomResizedCrop(Block):
    """Crop a random area fraction (``scale``) and aspect ``ratio``, resize to ``size``."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super().__init__()
        self._args = (_pair(size), scale, ratio, interpolation)

    def forward(self, x):
        """A random crop of the (H, W, C) image, resized to ``size`` = (w, h)."""
        return _geometry.random_size_crop(x, *self._args)


class CropResize(HybridBlock):
    """Crop the ``width`` x ``height`` window at (``x``, ``y``), then resize it to ``size``."""

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._box = (x, y, width, height)
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        """The window of the (H, W, C) image or (N, H, W, C) batch, resized if asked."""
        out = F.npx.image.crop(x, *self._box)
        if self._size:
            interp = 1 if self._interpolation is None else self._interpolation
            out = F.npx.image.resize(out, self._size, False, interp)
        return out


class CenterCrop(Block):
    """The centre crop of ``size`` = (w, h) (scaled to fit, resized back to ``size``)."""

    def __init__(self, size, interpolation=1):
        super().__init__()
        self._args = (_pair(size), interpolation)

    def forward(self, x):
        """The centre crop of the (H, W, C) image."""
        from ....image import center_crop

        return center_crop(x, *self._args)[0]


class Resize(HybridBlock):
    """Resize to ``size`` = (w, h) or a square; ``keep_ratio`` sets the shorter side instead."""

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep = keep_ratio
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        """The resized (H, W, C) image or (N, H, W, C) batch, in its own dtype."""
        return F.npx.image.resize(x, self._size, self._keep, self._interpolation)


class RandomFlipLeftRight(HybridBlock):
    """Mirror the (H, W, C) image left to right with probability 1/2."""

    def hybrid_forward(self, F, x):
        """``x`` or its mirror image."""
        return F.npx.image.random_flip_left_right(x)


class RandomFlipTopBottom(HybridBlock):
    """Turn the (H, W, C) image upside down with probability 1/2."""

    def hybrid_forward(self, F, x):
        """``x`` or ``x`` upside down."""
        return F.npx.image.random_flip_top_bottom(x)


class _RandomEnhance(HybridBlock):
    """Scale one colour property by a factor drawn from [max(0, 1 - amount), 1 + amount)."""

    _op = None

    def __init__(self, amount):
        super().__init__()
        self._args = (max(0, 1 - amount), 1 + amount)

    def hybrid_forward(self, F, x):
        """The (H, W, C) image with the property changed."""
        return type(self)._op(x, *self._args)


class RandomBrightness(_RandomEnhance):
    """Multiply the pixels by a random factor in [max(0, 1 - brightness), 1 + brightness)."""

    _op = staticmethod(_color.random_brightness)

    def __init__(self, brightness):
        super().__init__(brightness)


class RandomContrast(_RandomEnhance):
    """Scale the contrast by a random factor in [max(0, 1 - contrast), 1 + contrast)."""

    _op = staticmethod(_color.random_contrast)

    def __init__(self, contrast):
        super().__init__(contrast)


class RandomSaturation(_RandomEnhance):
    """Scale the saturation by a random factor in [max(0, 1 - saturation), 1 + saturation)."""

    _op = staticmethod(_color.random_saturation)

    def __init__(self, saturation):
        super().__init__(saturation)


class RandomHue(_RandomEnhance):
    """Turn the hue by a fraction of a turn drawn from [max(0, 1 - hue), 1 + hue), as MXNet
    does: within ``hue`` of a whole turn either way."""

    _op = staticmethod(_color.random_hue)

    def __init__(self, hue):
        super().__init__(hue)


class RandomColorJitter(HybridBlock):
    """Random brightness, contrast, saturation and hue changes, applied in a random order."""

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self._args = (brightness, contrast, saturation, hue)

    def hybrid_forward(self, F, x):
        """The jittered (H, W, C) image, in its own dtype."""
        return _color.random_color_jitter(x, *self._args)


class RandomLighting(HybridBlock):
    """AlexNet-style PCA lighting noise with weights drawn from N(0, ``alpha``)."""

    def __init__(self, alpha):
        super().__init__()
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        """The (H, W, C) image with the lighting noise added."""
        return _color.random_lighting(x, self._alpha)


class RandomApply(Sequential):
    """Apply ``transforms`` with probability ``p`` (drawn with Python's ``random``, as MXNet)."""

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        """``transforms(x)`` or ``x`` unchanged."""
        if self.p < random.random():
            return x
        return self.transforms(x)
