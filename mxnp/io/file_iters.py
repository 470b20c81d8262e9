"""Iterators over files, MXNet's C++ iterators written in Python: ``CSVIter`` (comma-separated
rows), ``LibSVMIter`` (LibSVM's sparse rows, given dense) and ``MNISTIter`` (the IDX files of
MNIST)."""
from __future__ import annotations

import math
import struct

import numpy as onp

from .. import ndarray as _nd
from ..base import MXNetError
from .io import DataBatch, DataDesc, _BatchReader

__all__ = ["CSVIter", "LibSVMIter", "MNISTIter", "MXDataIter"]


def _batch_shape(batch_size: int, shape) -> tuple:
    shape = tuple(shape)
    return (batch_size,) if shape == (1,) else (batch_size, *shape)  # (1,) labels are flat


def _read_csv(path: str, shape, dtype, what: str) -> onp.ndarray:
    try:
        rows = onp.loadtxt(path, delimiter=",", dtype=dtype, ndmin=2)
    except (OSError, ValueError) as err:
        raise MXNetError(f"CSVIter: cannot read {what} {path!r}: {err}") from err
    if rows.shape[1] != math.prod(shape):
        raise MXNetError(f"CSVIter: each row of {path!r} has {rows.shape[1]} values, but "
                         f"{what}_shape {tuple(shape)} needs {math.prod(shape)}")
    return rows.reshape(len(rows), *shape)


class MXDataIter(_BatchReader):
    """The base of the iterators MXNet implements in C++ (``CSVIter``, ``MNISTIter``): here,
    batches of in-memory (data, label) NumPy arrays, cut as MXNet's C++ batch loader cuts
    them (a short last batch wrapped to the start, or filled from a reused buffer, or
    dropped). Differs from MXNet: made from arrays, not from a C handle."""

    def __init__(self, data, label, batch_size: int, label_shape=(1,), round_batch=True,
                 drop_last=False):
        super().__init__(batch_size)
        self._data, self._label = data, label
        self._round_batch, self._drop_last = round_batch, drop_last
        self._label_shape = tuple(label_shape)
        self.provide_data = [DataDesc("data", (batch_size, *data.shape[1:]),
                                      onp.dtype(data.dtype).type)]
        self.provide_label = [DataDesc("softmax_label", _batch_shape(batch_size, label_shape),
                                       onp.float32)]
        self._start = 0
        self._order = onp.arange(len(data))
        self._last = None
        self.reset()

    def reset(self) -> None:
        """Start the next epoch (after a wrapped last batch, where the wrap ended)."""
        self._cursor = self._start
        self.current_batch = None

    def next(self) -> DataBatch:
        """The next batch; StopIteration at the end of the epoch."""
        if self.iter_next():
            return self.current_batch
        raise StopIteration

    def getdata(self):
        """The current batch's data: one NDArray, as MXNet's C++ iterators give it."""
        return self.current_batch.data[0]

    def getlabel(self):
        """The current batch's label: one NDArray."""
        return self.current_batch.label[0]

    def iter_next(self) -> bool:
        """Cut the next batch; False at the end of the epoch."""
        n, bs = len(self._data), self.batch_size
        if self._cursor >= n:
            return False
        take = self._order[self._cursor:self._cursor + bs]
        pad = bs - len(take)
        if pad and self._drop_last:
            return False
        if pad and self._round_batch:
            take = onp.concatenate([take, self._order[:pad]])
            self._start = pad  # MXNet's next epoch skips the samples the wrap used
        elif pad:
            # the rows past the data keep the previous batch's values (MXNet's reused buffer)
            old = self._last if self._last is not None else onp.zeros(bs, dtype=take.dtype)
            take = onp.concatenate([take, old[len(take):]])
        else:
            self._start = 0 if self._cursor + bs == n else self._start
        self._cursor += bs
        self._last = take
        label = self._label[take].reshape(_batch_shape(bs, self._label_shape))
        data = _nd.array(self._data[take], dtype=self._data.dtype)
        label = _nd.array(label, dtype="float32")
        self.current_batch = DataBatch([data.tostype(self._stypes[0])],
                                       [label.tostype(self._stypes[1])], pad,
                                       take.astype(onp.uint64))
        return True

    _stypes = ("default", "default")  # the storage of a batch's data and label


class CSVIter(MXDataIter):
    """Batches of the rows of ``data_csv`` (each reshaped to ``data_shape``) with the rows of
    ``label_csv`` (zeros without one). ``round_batch`` fills a short last batch from the start
    and begins the next epoch after those samples; otherwise its extra rows repeat the
    previous batch's (both as MXNet)."""

    def __init__(self, data_csv: str, data_shape, label_csv: str | None = None,
                 label_shape=(1,), batch_size: int = 1, round_batch: bool = True,
                 dtype: str = "float32", **kwargs):
        data = _read_csv(data_csv, data_shape, dtype, "data")
        if label_csv is None:
            label = onp.zeros((len(data), *label_shape), dtype="float32")
        else:
            label = _read_csv(label_csv, label_shape, "float32", "label")
            if len(label) != len(data):
                raise MXNetError(f"CSVIter: {data_csv!r} has {len(data)} rows but {label_csv!r} "
                                 f"has {len(label)}")
        super().__init__(data, label, batch_size, label_shape, round_batch)


def _read_libsvm(path: str, width: int, num_parts: int = 1, part_index: int = 0) -> tuple:
    """(labels (n,), rows (n, width)) of a LibSVM file (``label index:value ...`` per line),
    float32; a part holds the lines that start in its byte range, as MXNet splits files."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as err:
        raise MXNetError(f"LibSVMIter: cannot read {path!r}: {err}") from err
    step = -(-len(raw) // num_parts)
    begin, end = step * part_index, step * (part_index + 1)
    labels, rows, start = [], [], 0
    for n, line in enumerate(raw.splitlines(keepends=True), 1):
        fields, at = line.split(), start
        start += len(line)
        if not fields or not begin <= at < end:
            continue
        row = onp.zeros(width, onp.float32)
        for item in fields[1:]:
            index, _, value = item.partition(b":")
            try:
                k, v = int(index), float(value)
            except ValueError:
                raise MXNetError(f"LibSVMIter: line {n} of {path!r}: {item.decode()!r} is not "
                                 "index:value") from None
            if k < 0:
                raise MXNetError(f"LibSVMIter: line {n} of {path!r}: negative feature index {k}")
            if k < width:  # MXNet drops indices past the shape
                row[k] = v
        labels.append(float(fields[0]))
        rows.append(row)
    return onp.array(labels, onp.float32), onp.array(rows, onp.float32).reshape(-1, width)


class LibSVMIter(MXDataIter):
    """Batches of the rows of a LibSVM file ``data_libsvm`` (features up to
    ``data_shape[0]``), labelled by each line's first value, or by the rows of
    ``label_libsvm`` (``label_shape``). The data, and labels from a file, are CSRNDArrays."""

    def __init__(self, data_libsvm: str, data_shape, label_libsvm: str | None = None,
                 label_shape=(1,), batch_size: int = 1, round_batch: bool = True,
                 num_parts: int = 1, part_index: int = 0, **kwargs):
        if not 0 <= part_index < num_parts:
            raise MXNetError(f"LibSVMIter: part_index {part_index} out of range for "
                             f"num_parts={num_parts}")
        labels, data = _read_libsvm(data_libsvm, int(data_shape[0]), num_parts, part_index)
        if label_libsvm is None:
            label_shape = (1,)
        else:
            _, labels = _read_libsvm(label_libsvm, int(label_shape[0]), num_parts, part_index)
            if len(labels) != len(data):
                raise MXNetError(f"LibSVMIter: {data_libsvm!r} has {len(data)} rows but "
                                 f"{label_libsvm!r} has {len(labels)}")
        self._stypes = ("csr", "default" if label_libsvm is None else "csr")
        super().__init__(data, labels, batch_size, label_shape, round_batch)


def _read_idx(path: str, magic: int, what: str) -> onp.ndarray:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as err:
        raise MXNetError(f"MNISTIter: cannot read the {what} file {path!r}: {err}") from err
    ndim = 3 if magic == 2051 else 1
    head = 4 * (ndim + 1)
    if len(raw) < head or struct.unpack(">i", raw[:4])[0] != magic:
        raise MXNetError(f"MNISTIter: {path!r} is not an IDX {what} file (magic {magic})")
    dims = struct.unpack(f">{ndim}i", raw[4:head])
    if len(raw) - head != math.prod(dims):
        raise MXNetError(f"MNISTIter: {path!r} should hold {math.prod(dims)} bytes after its "
                         f"header, has {len(raw) - head}")
    return onp.frombuffer(raw, dtype=onp.uint8, offset=head).reshape(dims)


class MNISTIter(MXDataIter):
    """Batches of MNIST's IDX files: images scaled by 1/256 as (batch, 1, 28, 28), or
    (batch, 784) when ``flat``; only full batches. Differs from MXNet: ``shuffle`` draws its
    order from NumPy's generator seeded with ``seed``, not MXNet's C++ one."""

    def __init__(self, image: str = "./train-images-idx3-ubyte",
                 label: str = "./train-labels-idx1-ubyte", batch_size: int = 128,
                 shuffle: bool = True, flat: bool = False, seed: int = 0, silent: bool = False,
                 num_parts: int = 1, part_index: int = 0, **kwargs):
        images = _read_idx(image, 2051, "image")
        labels = _read_idx(label, 2049, "label")
        if len(images) != len(labels):
            raise MXNetError(f"MNISTIter: {len(images)} images but {len(labels)} labels")
        part = slice(len(images) * part_index // num_parts,
                     len(images) * (part_index + 1) // num_parts)
        images = images[part].astype(onp.float32) / 256
        data = images.reshape(len(images), -1) if flat else images[:, None]
        super().__init__(data, labels[part].astype(onp.float32), batch_size, drop_last=True)
        if shuffle:
            onp.random.RandomState(seed).shuffle(self._order)
