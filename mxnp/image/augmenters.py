"""mx.image's augmenters: callables from an (H, W, C) image to an image, and CreateAugmenter.

As in MXNet, the random ones draw from Python's ``random`` (LightingAug from NumPy's global
generator), and the colour ones work in place on float images (CreateAugmenter puts a CastAug
before them).
"""
from __future__ import annotations

import json
import random

import numpy as onp

from .. import numpy as np
from .image import (
    _min_area,
    center_crop,
    color_normalize,
    faced,
    imresize,
    interp_method,
    random_crop,
    random_size_crop,
    resize_short,
)

__all__ = ["Augmenter", "BrightnessJitterAug", "CastAug", "CenterCropAug", "ColorJitterAug",
           "ColorNormalizeAug", "ContrastJitterAug", "CreateAugmenter", "ForceResizeAug",
           "HorizontalFlipAug", "HueJitterAug", "LightingAug", "RandomCropAug", "RandomGrayAug",
           "RandomOrderAug", "RandomSizedCropAug", "ResizeAug", "SaturationJitterAug",
           "SequentialAug"]

_LUMA = (0.299, 0.587, 0.114)  # ITU-R 601 weights of R, G, B
_TO_YIQ = onp.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.321], [0.211, -0.523, 0.311]])
_FROM_YIQ = onp.array([[1.0, 0.956, 0.621], [1.0, -0.272, -0.647], [1.0, -1.107, 1.705]])


def _in_place(aug, src):
    """Raise TypeError unless ``src`` is a float image, which the jitters change in place."""
    if onp.dtype(src.dtype).kind != "f":
        raise TypeError(f"{type(aug).__name__}: expected a float image to change in place, got "
                        f"{src.dtype}; put a CastAug first (CreateAugmenter does)")


def _plain(value):
    """Arrays as nested lists, so that the arguments can be written as JSON."""
    if hasattr(value, "asnumpy"):
        value = value.asnumpy()
    return value.tolist() if isinstance(value, onp.ndarray) else value


class Augmenter:
    """An image augmenter: ``aug(src)`` is the augmented image; ``dumps()`` describes it."""

    def __init__(self, **kwargs):
        self._kwargs = {k: _plain(v) for k, v in kwargs.items()}

    def __init_subclass__(cls, **kwargs):
        # every augmenter answers in the array face (NDArrays before npx.set_np(), as MXNet)
        super().__init_subclass__(**kwargs)
        if "__call__" in cls.__dict__:
            cls.__call__ = faced(cls.__dict__["__call__"])

    def dumps(self):
        """The augmenter as a JSON string: ``[class name in lower case, its arguments]``."""
        return json.dumps([type(self).__name__.lower(), self._kwargs])

    def __call__(self, src):
        raise NotImplementedError("Must override implementation.")


class SequentialAug(Augmenter):
    """The augmenters ``ts`` applied one after another."""

    def __init__(self, ts):
        super().__init__()
        self.ts = ts

    def dumps(self):
        """``[name, [each augmenter's dumps()]]`` (a list, as MXNet gives)."""
        return [type(self).__name__.lower(), [t.dumps() for t in self.ts]]

    def __call__(self, src):
        for aug in self.ts:
            src = aug(src)
        return src


class RandomOrderAug(Augmenter):
    """The augmenters ``ts`` applied in a random order (``ts`` is shuffled in place)."""

    def __init__(self, ts):
        super().__init__()
        self.ts = ts

    dumps = SequentialAug.dumps

    def __call__(self, src):
        random.shuffle(self.ts)
        return SequentialAug.__call__(self, src)


class ResizeAug(Augmenter):
    """Resize the shorter side to ``size`` (``resize_short``)."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size, self.interp = size, interp

    def __call__(self, src):
        return resize_short(src, self.size, self.interp)


class ForceResizeAug(Augmenter):
    """Resize to ``size`` = (w, h) whatever the aspect ratio."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size, self.interp = size, interp

    def __call__(self, src):
        w, h = self.size
        interp = interp_method(self.interp, (src.shape[0], src.shape[1], h, w))
        return imresize(src, w, h, interp=interp)


class RandomCropAug(Augmenter):
    """A random crop of ``size`` = (w, h) (``random_crop``)."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size, self.interp = size, interp

    def __call__(self, src):
        return random_crop(src, self.size, self.interp)[0]


class RandomSizedCropAug(Augmenter):
    """A crop of random area and aspect ratio resized to ``size`` (``random_size_crop``)."""

    def __init__(self, size, area, ratio, interp=2, **kwargs):
        super().__init__(size=size, area=area, ratio=ratio, interp=interp)
        self.area = _min_area(kwargs) if "min_area" in kwargs else area
        if kwargs:
            raise TypeError(f"RandomSizedCropAug: unexpected keyword arguments {sorted(kwargs)}")
        self.size, self.ratio, self.interp = size, ratio, interp

    def __call__(self, src):
        return random_size_crop(src, self.size, self.area, self.ratio, self.interp)[0]


class CenterCropAug(Augmenter):
    """The central crop of ``size`` = (w, h) (``center_crop``)."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size, self.interp = size, interp

    def __call__(self, src):
        return center_crop(src, self.size, self.interp)[0]


class BrightnessJitterAug(Augmenter):
    """Scale the pixels by 1 + a draw from [-brightness, brightness] (in place)."""

    def __init__(self, brightness):
        super().__init__(brightness=brightness)
        self.brightness = brightness

    def __call__(self, src):
        _in_place(self, src)
        src *= 1.0 + random.uniform(-self.brightness, self.brightness)
        return src


class ContrastJitterAug(Augmenter):
    """Blend the image with its mean gray level, by a draw from [-contrast, contrast]."""

    def __init__(self, contrast):
        super().__init__(contrast=contrast)
        self.contrast = contrast
        self.coef = np.array([[_LUMA]])

    def __call__(self, src):
        _in_place(self, src)
        alpha = 1.0 + random.uniform(-self.contrast, self.contrast)
        gray = src * self.coef
        gray = (3.0 * (1.0 - alpha) / gray.size) * np.sum(gray)
        src *= alpha
        src += gray
        return src


class SaturationJitterAug(Augmenter):
    """Blend each pixel with its gray level, by a draw from [-saturation, saturation]."""

    def __init__(self, saturation):
        super().__init__(saturation=saturation)
        self.saturation = saturation
        self.coef = np.array([[_LUMA]])

    def __call__(self, src):
        _in_place(self, src)
        alpha = 1.0 + random.uniform(-self.saturation, self.saturation)
        gray = np.sum(src * self.coef, axis=2, keepdims=True)
        gray *= 1.0 - alpha
        src *= alpha
        src += gray
        return src


class HueJitterAug(Augmenter):
    """Turn the hue by a draw from [-hue, hue] half turns (a rotation in YIQ space)."""

    def __init__(self, hue):
        super().__init__(hue=hue)
        self.hue = hue
        self.tyiq, self.ityiq = _TO_YIQ, _FROM_YIQ

    def __call__(self, src):
        alpha = random.uniform(-self.hue, self.hue)
        u, w = onp.cos(alpha * onp.pi), onp.sin(alpha * onp.pi)
        turn = onp.array([[1.0, 0.0, 0.0], [0.0, u, -w], [0.0, w, u]])
        t = (self.ityiq @ turn @ self.tyiq).T
        return np.dot(src, np.array(t, dtype="float32"))


class ColorJitterAug(RandomOrderAug):
    """Brightness, contrast and saturation jitters (those > 0) in a random order."""

    def __init__(self, brightness, contrast, saturation):
        steps = [cls(v) for cls, v in ((BrightnessJitterAug, brightness),
                                       (ContrastJitterAug, contrast),
                                       (SaturationJitterAug, saturation)) if v > 0]
        super().__init__(steps)


class LightingAug(Augmenter):
    """Add AlexNet's PCA colour noise: ``eigvec`` scaled by normal draws times ``eigval``."""

    def __init__(self, alphastd, eigval, eigvec):
        super().__init__(alphastd=alphastd, eigval=eigval, eigvec=eigvec)
        self.alphastd, self.eigval, self.eigvec = alphastd, eigval, eigvec

    def __call__(self, src):
        _in_place(self, src)
        alpha = onp.random.normal(0, self.alphastd, size=(3,))
        rgb = onp.dot(onp.asarray(self.eigvec) * alpha, onp.asarray(self.eigval))
        src += np.array(rgb, dtype="float32")
        return src


class ColorNormalizeAug(Augmenter):
    """``color_normalize`` by ``mean`` and ``std`` (each optional)."""

    def __init__(self, mean, std):
        super().__init__(mean=mean, std=std)
        self.mean = None if mean is None else _as_array(mean)
        self.std = None if std is None else _as_array(std)

    def __call__(self, src):
        return color_normalize(src, self.mean, self.std)


class RandomGrayAug(Augmenter):
    """With probability ``p``, every channel becomes the gray level (0.21 R + 0.72 G + 0.07 B).
    """

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p
        self.mat = np.array([[0.21] * 3, [0.72] * 3, [0.07] * 3])

    def __call__(self, src):
        if random.random() < self.p:
            src = np.dot(src, self.mat)
        return src


class HorizontalFlipAug(Augmenter):
    """With probability ``p``, mirror the image left to right."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p

    def __call__(self, src):
        if random.random() < self.p:
            src = np.flip(src, axis=1)
        return src


class CastAug(Augmenter):
    """Cast the image to ``typ`` (float32 by default)."""

    def __init__(self, typ="float32"):
        super().__init__(type=typ)
        self.typ = typ

    def __call__(self, src):
        return src.astype(self.typ)


def _as_array(value):
    return value if isinstance(value, np.ndarray) else np.array(value)


def _stat(name, value, default, make=np.array):
    """``make(default)`` for True, else ``value`` checked to be an array of 1 or 3 values."""
    if value is True:
        return make(default)
    if value is not None and not (hasattr(value, "shape") and value.shape[:1] in ((1,), (3,))):
        raise ValueError(f"CreateAugmenter: {name} must be True, None or an array of 1 or 3 "
                         f"values, got {value!r}")
    return value


def CreateAugmenter(data_shape, resize=0, rand_crop=False, rand_resize=False, rand_mirror=False,
                    mean=None, std=None, brightness=0, contrast=0, saturation=0, hue=0,
                    pca_noise=0, rand_gray=0, inter_method=2):
    """MXNet's standard augmenter list for images of ``data_shape`` = (C, H, W): resize, crop,
    mirror, cast to float32, colour jitters, PCA noise, gray, normalization (``mean``/``std``
    True means ImageNet's)."""
    if len(data_shape) != 3:
        raise ValueError(f"CreateAugmenter: data_shape must be (channels, height, width), got "
                         f"{data_shape!r}")
    if rand_resize and not rand_crop:
        raise ValueError("CreateAugmenter: rand_resize needs rand_crop=True")
    augs = [ResizeAug(resize, inter_method)] if resize > 0 else []
    crop = (data_shape[2], data_shape[1])
    if rand_resize:
        augs.append(RandomSizedCropAug(crop, 0.08, (3.0 / 4.0, 4.0 / 3.0), inter_method))
    elif rand_crop:
        augs.append(RandomCropAug(crop, inter_method))
    else:
        augs.append(CenterCropAug(crop, inter_method))
    if rand_mirror:
        augs.append(HorizontalFlipAug(0.5))
    augs.append(CastAug())
    if brightness or contrast or saturation:
        augs.append(ColorJitterAug(brightness, contrast, saturation))
    if hue:
        augs.append(HueJitterAug(hue))
    if pca_noise > 0:
        eigval = onp.array([55.46, 4.794, 1.148])
        eigvec = onp.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140],
                            [-0.5836, -0.6948, 0.4203]])
        augs.append(LightingAug(pca_noise, eigval, eigvec))
    if rand_gray > 0:
        augs.append(RandomGrayAug(rand_gray))
    mean = _stat("mean", mean, [123.68, 116.28, 103.53])
    std = _stat("std", std, [58.395, 57.12, 57.375])
    if mean is not None or std is not None:
        augs.append(ColorNormalizeAug(mean, std))
    return augs
