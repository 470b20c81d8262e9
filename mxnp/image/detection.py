"""mx.image.detection: augmenters that move bounding boxes with the image (defined in
``_det_augmenters``), and ImageDetIter.

A label is a NumPy array with one row per object: ``[class, xmin, ymin, xmax, ymax, ...]``,
corners as fractions of the width and height.
"""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from ._det_augmenters import (
    CreateDetAugmenter,
    CreateMultiRandCropAugmenter,
    DetAugmenter,
    DetBorrowAug,
    DetHorizontalFlipAug,
    DetRandomCropAug,
    DetRandomPadAug,
    DetRandomSelectAug,
)
from .iterator import ImageIter

__all__ = ["CreateDetAugmenter", "CreateMultiRandCropAugmenter", "DetAugmenter", "DetBorrowAug",
           "DetHorizontalFlipAug", "DetRandomCropAug", "DetRandomPadAug", "DetRandomSelectAug",
           "ImageDetIter"]


class ImageDetIter(ImageIter):
    """ImageIter for detection: each label is ``[header_width, object_width, ..., objects]``
    flattened; batches of labels are (batch, most objects, object_width), padded with -1."""

    def __init__(self, batch_size, data_shape, path_imgrec=None, path_imglist=None,
                 path_root=None, path_imgidx=None, shuffle=False, part_index=0, num_parts=1,
                 aug_list=None, imglist=None, data_name="data", label_name="label",
                 last_batch_handle="pad", **kwargs):
        super().__init__(batch_size=batch_size, data_shape=data_shape, path_imgrec=path_imgrec,
                         path_imglist=path_imglist, path_root=path_root,
                         path_imgidx=path_imgidx, shuffle=shuffle, part_index=part_index,
                         num_parts=num_parts, aug_list=[], imglist=imglist,
                         data_name=data_name, label_name=label_name,
                         last_batch_handle=last_batch_handle)
        self.auglist = CreateDetAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.label_shape = self._estimate_label_shape()
        self.provide_label = [(label_name, (self.batch_size,) + self.label_shape)]

    def _estimate_label_shape(self):
        """(most objects in one image, object width), from a pass over the labels."""
        most, width = 0, None
        self.reset()
        try:
            while True:
                label = self._parse_label(self.next_sample()[0])
                most, width = max(most, label.shape[0]), label.shape[1]
        except StopIteration:
            pass
        self.reset()
        if width is None:
            raise ValueError("ImageDetIter: no images to read")
        return most, width

    @staticmethod
    def _parse_label(label):
        """The flat label as an (objects, object_width) NumPy array of its valid boxes."""
        raw = onp.asarray(label.asnumpy() if hasattr(label, "asnumpy") else label).ravel()
        if raw.size < 7:
            raise RuntimeError(f"Label shape is invalid: {raw.shape}")
        header, width = int(raw[0]), int(raw[1])
        if (raw.size - header) % width != 0:
            raise RuntimeError(f"Label shape {raw.shape} inconsistent with annotation width "
                               f"{width}.")
        out = raw[header:].reshape(-1, width)
        out = out[(out[:, 3] > out[:, 1]) & (out[:, 4] > out[:, 2])]
        if out.shape[0] < 1:
            raise RuntimeError("Encounter sample with no valid label.")
        return out

    @staticmethod
    def _check_valid_label(label):
        if label.ndim != 2 or label.shape[1] < 5:
            raise RuntimeError(f"Label with shape (1+, 5+) required, {label} received.")
        if not ((label[:, 0] >= 0) & (label[:, 3] > label[:, 1])
                & (label[:, 4] > label[:, 2])).any():
            raise RuntimeError("Invalid label occurs.")

    def _prepare(self, data, label):
        self.check_valid_image([data])
        data, label = self.augmentation_transform(data, self._parse_label(label))
        self._check_valid_label(label)
        return data, label

    def _store_label(self, batch_label, i, label):
        batch_label[i, :label.shape[0]] = np.array(label, dtype=batch_label.dtype)

    def _label_batch(self):
        return np.full(self.provide_label[0][1], -1.0)

    def augmentation_transform(self, data, label):
        """(data, label) through every detection augmenter in turn."""
        for aug in self.auglist:
            data, label = aug(data, label)
        return data, label

    def reshape(self, data_shape=None, label_shape=None):
        """Change the batches' image shape (C, H, W) or label shape (objects, width)."""
        if data_shape is not None:
            self.check_data_shape(data_shape)
            self.provide_data = [(self.provide_data[0][0], (self.batch_size,) + data_shape)]
            self.data_shape = data_shape
        if label_shape is not None:
            self.check_label_shape(label_shape)
            self.provide_label = [(self.provide_label[0][0], (self.batch_size,) + label_shape)]
            self.label_shape = label_shape

    def check_label_shape(self, label_shape):
        """Raise ValueError unless ``label_shape`` holds as many objects, of the same width."""
        if len(label_shape) != 2:
            raise ValueError("label_shape should have length 2")
        if label_shape[0] < self.label_shape[0]:
            raise ValueError(f"Attempts to reduce label count from {self.label_shape[0]} to "
                             f"{label_shape[0]}, not allowed.")
        if label_shape[1] != self.provide_label[0][1][2]:
            raise ValueError(f"label_shape object width inconsistent: "
                             f"{self.provide_label[0][1][2]} vs {label_shape[1]}.")

    def sync_label_shape(self, it, verbose=False):
        """Give this iterator and ``it`` the same label shape (the larger object count)."""
        if not isinstance(it, ImageDetIter):
            raise TypeError("sync_label_shape: expected an ImageDetIter")
        if self.label_shape[1] != it.label_shape[1]:
            raise ValueError(f"sync_label_shape: object widths differ: {self.label_shape[1]} "
                             f"vs {it.label_shape[1]}")
        most = max(self.label_shape[0], it.label_shape[0])
        for one in (self, it):
            if most > one.label_shape[0]:
                one.reshape(None, (most, one.label_shape[1]))
        return it

    def draw_next(self, color=None, thickness=2, mean=None, std=None, clip=True,
                  waitKey=None, window_name="draw_next", id2labels=None):
        """Yield each next augmented image (BGR uint8, NumPy) with its boxes drawn by OpenCV;
        ``mean``/``std`` (True: ImageNet's) undo a normalization first."""
        from ._draw import draw_boxes

        yield from draw_boxes(self, color, thickness, mean, std, clip, waitKey, window_name,
                              id2labels)
