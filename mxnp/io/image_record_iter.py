"""``ImageRecordIter``: MXNet's C++ iterator over the images of a RecordIO file, in Python.

Each image is decoded, resized (``resize``: the shorter side), cropped to ``data_shape`` (the
centre, or a random place with ``rand_crop``; an image smaller than the crop is scaled up, as
``mx.image.center_crop`` does), mirrored at random (``rand_mirror``), then normalized as
``(pixel - mean) / std * scale`` (float32 output; ``dtype='uint8'``/``'int8'`` gives the raw
pixels, as MXNet). ``mean_img`` names a file holding the mean image; when it does not exist,
the mean of all the images is computed and saved there first, as MXNet does. Batches are cut
as MXNet's batch loader cuts them (``MXDataIter``): with ``round_batch`` a short last batch is
filled from the start and the next epoch begins after those samples.

Differs from MXNet: ``shuffle`` and the random augmentations draw from NumPy's and Python's
generators (seeded by ``seed`` and ``seed_aug``), not MXNet's C++ one, so the draws differ;
the encoded images of the part are held in memory; only the augmentations named above exist (others raise
NotImplementedError); with ``round_batch=False`` the rows of a short last batch past the
data repeat the previous batch's and ``pad`` counts them (MXNet leaves stale memory there and
reports pad 0).
"""
from __future__ import annotations

import os
import random

import numpy as onp

from ..base import MXNetError
from .file_iters import MXDataIter

__all__ = ["ImageRecordInt8Iter", "ImageRecordIter", "ImageRecordIter_v1", "ImageRecordUInt8Iter",
           "ImageRecordUInt8Iter_v1"]

# the C++ iterator's options that change nothing here (threads, buffers, logging)
_IGNORED = {"preprocess_threads", "prefetch_buffer", "verbose", "ctx", "device_id",
            "shuffle_chunk_size", "shuffle_chunk_seed", "num_decode_threads", "path_imglist",
            "aug_seq", "layout"}


class _Images:
    """The encoded images of a record file, decoded and augmented when a batch asks for them:
    ``images[indices]`` is an (n, C, H, W) NumPy array."""

    def __init__(self, encoded: list, augment, shape: tuple, dtype):
        self._encoded, self._augment = encoded, augment
        self.shape, self.dtype = (len(encoded), *shape), onp.dtype(dtype)

    def __len__(self) -> int:
        return len(self._encoded)

    def __getitem__(self, take) -> onp.ndarray:
        return onp.stack([self._augment(self._encoded[i]) for i in take]).astype(self.dtype)


class ImageRecordIter(MXDataIter):
    """Batches of ``batch_size`` images from the RecordIO file ``path_imgrec``, each of
    ``data_shape`` = (C, H, W) (C: 3 for RGB, 1 for gray), with the labels of their records
    (``label_width`` per image)."""

    def __init__(self, path_imgrec: str, data_shape, batch_size: int, label_width: int = 1,
                 shuffle: bool = False, round_batch: bool = True, resize: int = -1,
                 rand_crop: bool = False, rand_mirror: bool = False, mean_img: str = "",
                 mean_r: float = 0.0, mean_g: float = 0.0, mean_b: float = 0.0,
                 mean_a: float = 0.0, std_r: float = 1.0, std_g: float = 1.0,
                 std_b: float = 1.0, std_a: float = 1.0, scale: float = 1.0,
                 inter_method: int = 1, seed: int = 0, seed_aug=None, dtype: str = "float32",
                 num_parts: int = 1, part_index: int = 0, path_imgidx: str = "", **kwargs):
        from .. import image  # mx.image builds on mx.io: imported when an iterator is made

        unsupported = sorted(k for k, v in kwargs.items()
                             if k not in _IGNORED and v not in (0, False, None, -1, "", 0.0))
        if unsupported:
            raise NotImplementedError(
                f"ImageRecordIter: {', '.join(unsupported)} not implemented in mxnp; the "
                "augmentations are resize, rand_crop, rand_mirror and the mean/std/scale "
                "normalization (mx.image.ImageIter has the Python augmenters)")
        data_shape = tuple(int(d) for d in data_shape)
        if len(data_shape) != 3 or data_shape[0] not in (1, 3):
            raise MXNetError(f"ImageRecordIter: data_shape must be (C, H, W) with C 1 or 3, "
                             f"got {data_shape}")
        labels, encoded = self._read(path_imgrec, label_width, num_parts, part_index)
        channels, h, w = data_shape
        augs = [image.ResizeAug(resize, inter_method)] if resize > 0 else []
        augs.append((image.RandomCropAug if rand_crop else image.CenterCropAug)((w, h),
                                                                              inter_method))
        if rand_mirror:
            augs.append(image.HorizontalFlipAug(0.5))
        self._aug_random = None if seed_aug is None else random.Random(seed_aug)

        def pixels(buf):  # (C, H, W) float32 after the augmenters
            img = image.imdecode(buf, flag=1 if channels == 3 else 0)
            for aug in self._with_aug_random(augs):
                img = aug(img)
            return onp.transpose(img.asnumpy(), (2, 0, 1)).astype(onp.float32)

        raw = onp.dtype(dtype) in (onp.uint8, onp.int8)
        mean = onp.array([mean_r, mean_g, mean_b, mean_a][:channels] if channels == 3
                         else [mean_r], onp.float32).reshape(-1, 1, 1)
        if mean_img and not raw:
            mean = self._mean_image(mean_img, encoded, pixels)
        std = onp.array([std_r, std_g, std_b][:channels] if channels == 3 else [std_r],
                        onp.float32).reshape(-1, 1, 1)

        def augment(buf):
            img = pixels(buf)
            return img if raw else (img - mean) / std * scale

        self._shuffle, self._rng = shuffle, onp.random.RandomState(seed)
        images = _Images(encoded, augment, data_shape, dtype)
        super().__init__(images, labels, batch_size, (label_width,), round_batch)

    def _with_aug_random(self, augs):
        """Yield ``augs`` with Python's ``random`` drawing from ``seed_aug``'s stream."""
        if self._aug_random is None:
            yield from augs
            return
        outer = random.getstate()
        random.setstate(self._aug_random.getstate())
        try:
            yield from augs
        finally:
            self._aug_random.setstate(random.getstate())
            random.setstate(outer)

    @staticmethod
    def _read(path: str, label_width: int, num_parts: int, part_index: int):
        """(labels (n, label_width) float32, encoded images) of this part of the file."""
        from .. import recordio  # layer 6 (docs/architecture.md), as in mx.image.ImageIter

        if not os.path.isfile(path):
            raise MXNetError(f"LocalFileSystem.GetPathInfo: {path} error: No such file or "
                             "directory")  # MXNet's message
        if not 0 <= part_index < num_parts:
            raise MXNetError(f"ImageRecordIter: part_index {part_index} out of range for "
                             f"num_parts={num_parts}")
        # MXNet's split: the file in num_parts byte ranges (rounded up to 4 bytes); a part
        # holds the records that start in its range
        step = -(-os.path.getsize(path) // num_parts)
        step = -(-step // 4) * 4
        begin, end = step * part_index, step * (part_index + 1)
        reader = recordio.MXRecordIO(path, "r")
        labels, encoded = [], []
        try:
            while True:
                start = reader._file.tell()  # the record's offset (recordio keeps no index)
                if (record := reader.read()) is None or start >= end:
                    break
                if start < begin:
                    continue
                header, img = recordio.unpack(record)
                label = onp.atleast_1d(onp.asarray(header.label, onp.float32))
                if label.size < label_width:
                    raise MXNetError(f"ImageRecordIter: record {len(labels)} of {path!r} has "
                                     f"{label.size} labels, label_width is {label_width}")
                labels.append(label[:label_width])
                encoded.append(img)
        finally:
            reader.close()
        return onp.array(labels, onp.float32).reshape(-1, label_width), encoded

    @staticmethod
    def _mean_image(path: str, encoded: list, pixels) -> onp.ndarray:
        """The mean image saved in ``path``; made from all the images and saved first when
        the file does not exist (under the key 'mean_img', as MXNet)."""
        from .. import ndarray as nd

        if not os.path.exists(path):
            total = sum(pixels(buf).astype(onp.float64) for buf in encoded)
            nd.save(path, {"mean_img": nd.array(total / len(encoded), dtype="float32")})
        saved = nd.load(path)
        return next(iter(saved.values() if isinstance(saved, dict) else saved)).asnumpy()

    def reset(self) -> None:
        """Start the next epoch (reshuffled when ``shuffle``)."""
        if self._shuffle and hasattr(self, "_order"):
            self._rng.shuffle(self._order)
        super().reset()


def ImageRecordUInt8Iter(**kwargs):
    """``ImageRecordIter(dtype='uint8')``: the raw pixels (MXNet's deprecated spelling)."""
    return ImageRecordIter(**{**kwargs, "dtype": "uint8"})


def ImageRecordInt8Iter(**kwargs):
    """``ImageRecordIter(dtype='int8')`` (MXNet's deprecated spelling)."""
    return ImageRecordIter(**{**kwargs, "dtype": "int8"})


ImageRecordIter_v1 = ImageRecordIter  # MXNet's first implementation: the same batches
ImageRecordUInt8Iter_v1 = ImageRecordUInt8Iter
