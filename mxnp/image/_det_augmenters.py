"""The detection augmenters of mx.image.detection: they move bounding boxes with the image.

A label is a NumPy array with one row per object: ``[class, xmin, ymin, xmax, ymax, ...]``,
corners as fractions of the width and height. As in MXNet, the random choices come from
Python's ``random``.
"""
from __future__ import annotations

import math
import random
import warnings
from numbers import Number

import numpy as onp

from .. import numpy as np
from .augmenters import (
    Augmenter,
    CastAug,
    ColorJitterAug,
    ColorNormalizeAug,
    ForceResizeAug,
    HueJitterAug,
    LightingAug,
    RandomGrayAug,
    ResizeAug,
    _stat,
)
from .image import copyMakeBorder, fixed_crop

__all__ = ["CreateDetAugmenter", "CreateMultiRandCropAugmenter", "DetAugmenter", "DetBorrowAug",
           "DetHorizontalFlipAug", "DetRandomCropAug", "DetRandomPadAug", "DetRandomSelectAug"]


class DetAugmenter:
    """A detection augmenter: ``aug(src, label)`` gives the augmented (image, label)."""

    __init__ = Augmenter.__init__
    dumps = Augmenter.dumps

    def __call__(self, src, label):
        raise NotImplementedError("Must override implementation.")


class DetBorrowAug(DetAugmenter):
    """An image Augmenter that leaves the boxes where they are (colour, cast, resize)."""

    def __init__(self, augmenter):
        if not isinstance(augmenter, Augmenter):
            raise TypeError(f"DetBorrowAug: expected an mx.image.Augmenter, got "
                            f"{type(augmenter).__name__}")
        super().__init__(augmenter=augmenter.dumps())
        self.augmenter = augmenter

    def dumps(self):
        """``[name, the borrowed augmenter's dumps()]``."""
        return [type(self).__name__.lower(), self.augmenter.dumps()]

    def __call__(self, src, label):
        return self.augmenter(src), label


class DetRandomSelectAug(DetAugmenter):
    """One of ``aug_list`` picked at random, or none with probability ``skip_prob``."""

    def __init__(self, aug_list, skip_prob=0):
        super().__init__(skip_prob=skip_prob)
        aug_list = list(aug_list) if isinstance(aug_list, (list, tuple)) else [aug_list]
        if not all(isinstance(a, DetAugmenter) for a in aug_list):
            raise ValueError("DetRandomSelectAug: aug_list may hold DetAugmenters only")
        self.aug_list, self.skip_prob = aug_list, skip_prob if aug_list else 1

    def dumps(self):
        """``[name, [each augmenter's dumps()]]``."""
        return [type(self).__name__.lower(), [a.dumps() for a in self.aug_list]]

    def __call__(self, src, label):
        if random.random() < self.skip_prob:
            return src, label
        random.shuffle(self.aug_list)
        return self.aug_list[0](src, label)


class DetHorizontalFlipAug(DetAugmenter):
    """With probability ``p``, mirror the image and its boxes (the label is changed in place)."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p

    def __call__(self, src, label):
        if random.random() < self.p:
            src = np.flip(src, axis=1)
            label[:, 1], label[:, 3] = 1.0 - label[:, 3], 1.0 - label[:, 1]
        return src, label


def _pair(name, value):
    """A (low, high) range from a range or one number."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if not isinstance(value, Number):
        raise TypeError(f"{name} must be a number or a (low, high) pair, got {value!r}")
    return (value, value)


def _areas(boxes):
    """Areas of (xmin, ymin, xmax, ymax) rows (0 where empty)."""
    return onp.maximum(0, boxes[:, 3] - boxes[:, 1]) * onp.maximum(0, boxes[:, 2] - boxes[:, 0])


def _clip_boxes(boxes, xmin, ymin, xmax, ymax):
    """``boxes`` cut to the window; rows that miss it become zeros."""
    out = boxes.copy()
    out[:, 0], out[:, 1] = onp.maximum(boxes[:, 0], xmin), onp.maximum(boxes[:, 1], ymin)
    out[:, 2], out[:, 3] = onp.minimum(boxes[:, 2], xmax), onp.minimum(boxes[:, 3], ymax)
    out[(out[:, 0] >= out[:, 2]) | (out[:, 1] >= out[:, 3]), :] = 0
    return out


def _attempts(aug, height, width):
    """For each of a crop or pad augmenter's attempts: the aspect ratio drawn, the bounds of the
    area, and the heights of that ratio at those areas (none when the augmenter is off)."""
    if not aug.enabled or height <= 0 or width <= 0:
        return
    low, high = (a * height * width for a in aug.area_range)
    for _ in range(aug.max_attempts):
        ratio = random.uniform(*aug.aspect_ratio_range)
        if ratio > 0:
            yield (ratio, low, high, round(math.sqrt(low / ratio)),
                   round(math.sqrt(high / ratio)))


class DetRandomCropAug(DetAugmenter):
    """A random crop that keeps at least ``min_object_covered`` of each object it cuts; boxes
    covered less than ``min_eject_coverage`` are dropped."""

    def __init__(self, min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
                 area_range=(0.05, 1.0), min_eject_coverage=0.3, max_attempts=50):
        aspect_ratio_range = _pair("aspect_ratio_range", aspect_ratio_range)
        area_range = _pair("area_range", area_range)
        super().__init__(min_object_covered=min_object_covered,
                         aspect_ratio_range=aspect_ratio_range, area_range=area_range,
                         min_eject_coverage=min_eject_coverage, max_attempts=max_attempts)
        self.min_object_covered, self.min_eject_coverage = min_object_covered, min_eject_coverage
        self.max_attempts, self.aspect_ratio_range = max_attempts, aspect_ratio_range
        self.area_range = area_range
        self.enabled = _enabled("DetRandomCropAug", area_range, area_range[1] <= 0,
                                aspect_ratio_range)

    def __call__(self, src, label):
        crop = self._random_crop_proposal(label, src.shape[0], src.shape[1])
        if crop:
            x, y, w, h, label = crop
            src = fixed_crop(src, x, y, w, h, None)
        return src, label

    def _satisfied(self, label, xmin, ymin, xmax, ymax, width, height):
        if (xmax - xmin) * (ymax - ymin) < 2:
            return False
        areas = _areas(label[:, 1:])
        valid = onp.where(areas * width * height > 2)[0]
        if valid.size < 1:
            return False
        cut = _clip_boxes(label[valid, 1:], xmin / width, ymin / height, xmax / width,
                          ymax / height)
        coverages = _areas(cut) / areas[valid]
        coverages = coverages[coverages > 0]
        return coverages.size > 0 and coverages.min() > self.min_object_covered

    def _update_labels(self, label, box, height, width):
        x0, y0, w, h = box[0] / width, box[1] / height, box[2] / width, box[3] / height
        out = label.copy()
        out[:, (1, 3)] = (out[:, (1, 3)] - x0) / w
        out[:, (2, 4)] = (out[:, (2, 4)] - y0) / h
        out[:, 1:5] = onp.clip(out[:, 1:5], 0, 1)
        coverage = _areas(out[:, 1:]) * w * h / _areas(label[:, 1:])
        keep = (out[:, 3] > out[:, 1]) & (out[:, 4] > out[:, 2]) & (
            coverage > self.min_eject_coverage)
        return out[keep] if keep.any() else None

    def _random_crop_proposal(self, label, height, width):
        for ratio, low, high, h, max_h in _attempts(self, height, width):
            if round(max_h * ratio) > width:
                max_h = int((width + 0.4999999) / ratio)
            max_h = min(max_h, height)
            h = min(h, max_h)
            if h < max_h:
                h = random.randint(h, max_h)
            w = round(h * ratio)
            if w * h < low:
                h += 1
                w = round(h * ratio)
            if w * h > high:
                h -= 1
                w = round(h * ratio)
            if not (low <= w * h <= high and 0 <= w <= width and 0 <= h <= height):
                continue
            y, x = random.randint(0, max(0, height - h)), random.randint(0, max(0, width - w))
            if self._satisfied(label, x, y, x + w, y + h, width, height):
                new = self._update_labels(label, (x, y, w, h), height, width)
                if new is not None:
                    return x, y, w, h, new
        return ()


class DetRandomPadAug(DetAugmenter):
    """Place the image at a random spot of a larger canvas filled with ``pad_val``."""

    def __init__(self, aspect_ratio_range=(0.75, 1.33), area_range=(1.0, 3.0), max_attempts=50,
                 pad_val=(128, 128, 128)):
        if not isinstance(pad_val, (list, tuple)):
            pad_val = _pair("pad_val", pad_val)[:1]
        aspect_ratio_range = _pair("aspect_ratio_range", aspect_ratio_range)
        area_range = _pair("area_range", area_range)
        super().__init__(aspect_ratio_range=aspect_ratio_range, area_range=area_range,
                         max_attempts=max_attempts, pad_val=pad_val)
        self.pad_val, self.aspect_ratio_range = pad_val, aspect_ratio_range
        self.area_range, self.max_attempts = area_range, max_attempts
        self.enabled = _enabled("DetRandomPadAug", area_range, area_range[1] <= 1.0,
                                aspect_ratio_range)

    def __call__(self, src, label):
        height, width, _ = src.shape
        pad = self._random_pad_proposal(label, height, width)
        if pad:
            x, y, w, h, label = pad
            src = copyMakeBorder(src, y, h - y - height, x, w - x - width, 16,
                                 values=self.pad_val)
        return src, label

    def _random_pad_proposal(self, label, height, width):
        for ratio, low, high, h, max_h in _attempts(self, height, width):
            if round(h * ratio) < width:
                h = int((width + 0.499999) / ratio)
            h = min(max(h, height), max_h)
            if h < max_h:
                h = random.randint(h, max_h)
            w = round(h * ratio)
            if h - height < 2 or w - width < 2:
                continue  # a border of a pixel or two does not help
            y, x = random.randint(0, max(0, h - height)), random.randint(0, max(0, w - width))
            out = label.copy()
            out[:, (1, 3)] = (out[:, (1, 3)] * width + x) / w
            out[:, (2, 4)] = (out[:, (2, 4)] * height + y) / h
            return x, y, w, h, out
        return ()


def _enabled(name, area_range, area_bad, ratio_range):
    """False, with MXNet's warning, when the ranges cannot give a proposal."""
    if area_bad or area_range[0] > area_range[1]:
        warnings.warn(f"Skip {name} due to invalid area_range: {area_range}", stacklevel=3)
        return False
    if ratio_range[0] <= 0 or ratio_range[0] > ratio_range[1]:
        warnings.warn(f"Skip {name} due to invalid aspect_ratio_range: {ratio_range}",
                      stacklevel=3)
        return False
    return True


def CreateMultiRandCropAugmenter(min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
                                 area_range=(0.05, 1.0), min_eject_coverage=0.3,
                                 max_attempts=50, skip_prob=0):
    """A DetRandomSelectAug over DetRandomCropAugs, one per entry of the parameters given as
    lists (a single value is shared by all)."""
    params = [p if isinstance(p, list) else [p] for p in (
        min_object_covered, aspect_ratio_range, area_range, min_eject_coverage, max_attempts)]
    count = max(len(p) for p in params)
    if any(len(p) not in (1, count) for p in params):
        raise ValueError(f"CreateMultiRandCropAugmenter: parameter lists must have 1 or {count} "
                         "entries")
    params = [p * count if len(p) == 1 else p for p in params]
    return DetRandomSelectAug([DetRandomCropAug(*args) for args in zip(*params)],
                              skip_prob=skip_prob)


def CreateDetAugmenter(data_shape, resize=0, rand_crop=0, rand_pad=0, rand_gray=0,
                       rand_mirror=False, mean=None, std=None, brightness=0, contrast=0,
                       saturation=0, pca_noise=0, hue=0, inter_method=2, min_object_covered=0.1,
                       aspect_ratio_range=(0.75, 1.33), area_range=(0.05, 3.0),
                       min_eject_coverage=0.3, max_attempts=50, pad_val=(127, 127, 127)):
    """MXNet's standard detection augmenters for ``data_shape`` = (C, H, W): resize, random
    crop (probability ``rand_crop``), mirror, random pad (``rand_pad``), force-resize, cast,
    colour jitters, PCA noise, gray, normalization."""
    augs = [DetBorrowAug(ResizeAug(resize, inter_method))] if resize > 0 else []
    if rand_crop > 0:
        augs.append(CreateMultiRandCropAugmenter(min_object_covered, aspect_ratio_range,
                                                 area_range, min_eject_coverage, max_attempts,
                                                 skip_prob=1 - rand_crop))
    if rand_mirror > 0:
        augs.append(DetHorizontalFlipAug(0.5))
    if rand_pad > 0:
        pad = DetRandomPadAug(aspect_ratio_range, (1.0, area_range[1]), max_attempts, pad_val)
        augs.append(DetRandomSelectAug([pad], 1 - rand_pad))
    augs.append(DetBorrowAug(ForceResizeAug((data_shape[2], data_shape[1]), inter_method)))
    augs.append(DetBorrowAug(CastAug()))
    if brightness or contrast or saturation:
        augs.append(DetBorrowAug(ColorJitterAug(brightness, contrast, saturation)))
    if hue:
        augs.append(DetBorrowAug(HueJitterAug(hue)))
    if pca_noise > 0:
        eigval = onp.array([55.46, 4.794, 1.148])
        eigvec = onp.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140],
                            [-0.5836, -0.6948, 0.4203]])
        augs.append(DetBorrowAug(LightingAug(pca_noise, eigval, eigvec)))
    if rand_gray > 0:
        augs.append(DetBorrowAug(RandomGrayAug(rand_gray)))
    mean = _stat("mean", mean, [123.68, 116.28, 103.53], onp.array)
    std = _stat("std", std, [58.395, 57.12, 57.375], onp.array)
    if mean is not None or std is not None:
        augs.append(DetBorrowAug(ColorNormalizeAug(mean, std)))
    return augs
