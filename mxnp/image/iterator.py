"""mx.image.ImageIter: batches of augmented images, read from a RecordIO file (``.rec``, with
an optional ``.idx``), from an image list file (``.lst``) and a root folder, or from a list.
"""
from __future__ import annotations

import os
import random
from numbers import Number

from .. import numpy as np
from ..io import DataBatch, DataIter
from .augmenters import CreateAugmenter
from .image import imdecode

__all__ = ["ImageIter"]

_LAST_BATCH = ("pad", "discard", "roll_over")


def _labels(values, dtype):
    return np.array([float(v) for v in values], dtype=dtype)


class ImageIter(DataIter):
    """Batches of ``batch_size`` images of ``data_shape`` = (3, H, W) (NCHW float32) and their
    labels, augmented by ``aug_list`` (default: ``CreateAugmenter(data_shape, **kwargs)``).

    ``last_batch_handle``: 'pad' fills the last batch from the start (``pad`` says how many),
    'discard' drops it, 'roll_over' carries its examples into the next epoch.
    """

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None,
                 path_imglist=None, path_root=None, path_imgidx=None, shuffle=False,
                 part_index=0, num_parts=1, aug_list=None, imglist=None, data_name="data",
                 label_name="softmax_label", dtype="float32", last_batch_handle="pad",
                 **kwargs):
        super().__init__(batch_size)
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise ValueError("ImageIter: give path_imgrec, path_imglist or imglist (a list)")
        if dtype not in ("int32", "float32", "int64", "float64"):
            raise ValueError(f"ImageIter: {dtype} label not supported; use int32, float32, "
                             "int64 or float64")
        if last_batch_handle not in _LAST_BATCH:
            raise ValueError(f"ImageIter: last_batch_handle must be one of {_LAST_BATCH}, got "
                             f"{last_batch_handle!r}")
        self.imgrec, self.imgidx = self._open_records(path_imgrec, path_imgidx)
        self.imglist, keys = self._read_list(path_imglist, imglist, dtype)
        self.path_root = path_root
        data_shape = tuple(data_shape)
        self.check_data_shape(data_shape)
        self.provide_data = [(data_name, (batch_size,) + data_shape)]
        self.provide_label = [(label_name, (batch_size, label_width) if label_width > 1
                               else (batch_size,))]
        self.data_shape, self.label_width, self.shuffle = data_shape, label_width, shuffle
        if self.imgrec is None:
            self.seq = keys
        elif shuffle or num_parts > 1 or path_imgidx:
            if self.imgidx is None:
                raise ValueError("ImageIter: shuffle and num_parts > 1 need path_imgidx with "
                                 "path_imgrec")
            self.seq = self.imgidx
        else:
            self.seq = None
        if num_parts > 1:
            if not 0 <= part_index < num_parts:
                raise ValueError(f"ImageIter: part_index {part_index} out of range for "
                                 f"num_parts={num_parts}")
            part = len(self.seq) // num_parts
            self.seq = self.seq[part_index * part:(part_index + 1) * part]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.cur = 0
        self._allow_read = True
        self.last_batch_handle = last_batch_handle
        self.num_image = len(self.seq) if self.seq is not None else None
        self._cache_data = self._cache_label = self._cache_idx = None
        self.reset()

    @staticmethod
    def _open_records(path_imgrec, path_imgidx):
        if not path_imgrec:
            return None, None
        # recordio sits in layer 6 of docs/architecture.md (beside gluon's data sets)
        from .. import recordio

        if path_imgidx:
            rec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
            return rec, list(rec.keys)
        return recordio.MXRecordIO(path_imgrec, "r"), None

    @staticmethod
    def _read_list(path_imglist, imglist, dtype):
        """``{key: (label array, path)}`` and the keys in order, or (None, None)."""
        if path_imglist:
            entries, keys = {}, []
            with open(path_imglist) as f:
                for line in f:
                    fields = line.strip().split("\t")
                    if len(fields) < 3:
                        raise ValueError(f"ImageIter: {path_imglist}: each line needs an index, "
                                         f"labels and a path, separated by tabs; got {line!r}")
                    key = int(fields[0])
                    entries[key] = (_labels(fields[1:-1], dtype), fields[-1])
                    keys.append(key)
            return entries, keys
        if isinstance(imglist, list):
            entries = {}
            for i, item in enumerate(imglist, start=1):
                if len(item) > 2:
                    label = item[:-1]
                elif isinstance(item[0], Number):
                    label = [item[0]]
                else:
                    label = item[0]
                entries[str(i)] = (_labels(label, dtype), item[-1])
            return entries, list(entries)
        return None, None

    def reset(self):
        """Start a new epoch (shuffled when ``shuffle``); rolled-over examples are kept."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.last_batch_handle != "roll_over" or self._cache_data is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur = 0
            self._allow_read = True

    def hard_reset(self):
        """Start a new epoch, dropping any rolled-over examples."""
        self._cache_data = self._cache_label = self._cache_idx = None
        self._allow_read = True
        self.cur = 0
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.imgrec is not None:
            self.imgrec.reset()

    def next_sample(self):
        """The next (label, encoded image bytes); StopIteration at the end of the epoch."""
        from .. import recordio  # layer 6, as in _open_records

        if not self._allow_read:
            raise StopIteration
        if self.seq is None:
            record = self.imgrec.read()
            if record is None:
                if self.last_batch_handle != "discard":
                    self.imgrec.reset()
                raise StopIteration
            header, img = recordio.unpack(record)
            return header.label, img
        if self.cur >= self.num_image:
            if self.last_batch_handle != "discard":
                self.cur = 0
            raise StopIteration
        idx = self.seq[self.cur]
        self.cur += 1
        if self.imgrec is not None:
            header, img = recordio.unpack(self.imgrec.read_idx(idx))
            return (header.label if self.imglist is None else self.imglist[idx][0]), img
        label, fname = self.imglist[idx]
        return label, self.read_image(fname)

    def _batchify(self, batch_data, batch_label, start=0):
        """Fill the batch from example ``start`` on; the number of examples it then holds."""
        i = start
        try:
            while i < self.batch_size:
                label, encoded = self.next_sample()
                data = self.imdecode(encoded)  # a broken image raises, naming its file
                try:
                    data, label = self._prepare(data, label)
                except RuntimeError:
                    continue  # an image that fails the checks is skipped, as MXNet does
                batch_data[i] = self.postprocess_data(data)
                self._store_label(batch_label, i, label)
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def _prepare(self, data, label):
        """The checked and augmented image and its label; RuntimeError skips the image."""
        self.check_valid_image(data)
        return self.augmentation_transform(data), label

    def _store_label(self, batch_label, i, label):
        label = np.array(label, dtype=batch_label.dtype)
        batch_label[i] = label.reshape(()) if batch_label.ndim == 1 else label

    def _label_batch(self):
        return np.empty(self.provide_label[0][1])

    def next(self):
        """The next DataBatch (``data`` and ``label`` lists of one array each, and ``pad``)."""
        if self._cache_data is not None:
            batch_data, batch_label, i = self._cache_data, self._cache_label, self._cache_idx
        else:
            batch_data = np.zeros((self.batch_size,) + self.data_shape)
            batch_label = self._label_batch()
            i = self._batchify(batch_data, batch_label)
        pad = self.batch_size - i
        if pad:
            if self.last_batch_handle == "discard":
                raise StopIteration
            if self.last_batch_handle == "roll_over" and self._cache_data is None:
                self._cache_data, self._cache_label, self._cache_idx = batch_data, batch_label, i
                raise StopIteration
            self._batchify(batch_data, batch_label, i)
            if self.last_batch_handle == "pad":
                self._allow_read = False
            else:
                self._cache_data = self._cache_label = self._cache_idx = None
        return DataBatch([batch_data], [batch_label], pad=pad)

    def check_data_shape(self, data_shape):
        """Raise ValueError unless ``data_shape`` is (3, H, W)."""
        if len(data_shape) != 3:
            raise ValueError("data_shape should have length 3, with dimensions CxHxW")
        if data_shape[0] != 3:
            raise ValueError("This iterator expects inputs to have 3 channels.")

    def check_valid_image(self, data):
        """Raise RuntimeError for an image without pixels."""
        if len(data[0].shape) == 0:
            raise RuntimeError("Data shape is wrong")

    def imdecode(self, s):
        """``mx.image.imdecode(s)``; a failure names the image's file or index."""
        try:
            return imdecode(s)
        except Exception as e:  # any decoder failure is reported with the image
            raise RuntimeError(f"Broken image {self._locate()}, {e}") from e

    def _locate(self):
        if self.seq is None:
            return f"index: {self.cur - 1}"
        idx = self.seq[(self.cur - 1) % self.num_image]
        return f"filename: {self.imglist[idx][1]}" if self.imglist is not None else \
            f"index: {idx}"

    def read_image(self, fname):
        """The bytes of the file ``fname`` under ``path_root``."""
        with open(os.path.join(self.path_root or "", fname), "rb") as f:
            return f.read()

    def augmentation_transform(self, data):
        """``data`` through every augmenter of ``auglist`` in turn."""
        for aug in self.auglist:
            data = aug(data)
        return data

    def postprocess_data(self, datum):
        """The augmented (H, W, C) image as (C, H, W)."""
        return np.transpose(datum, (2, 0, 1))  # an NDArray's transpose takes axes= only
