"""The pieces every data iterator shares: ``DataDesc``, ``DataBatch``, the ``DataIter`` protocol,
and the wrappers ``ResizeIter`` and ``PrefetchingIter``."""
from __future__ import annotations

from collections import namedtuple

import numpy as onp

from .. import _lazy

__all__ = ["DataBatch", "DataDesc", "DataIter", "PrefetchingIter", "ResizeIter"]


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """A named input: a ``(name, shape)`` tuple that also carries ``dtype`` and ``layout``."""

    def __new__(cls, name, shape, dtype=onp.float32, layout="NCHW"):
        desc = super().__new__(cls, name, tuple(shape) if isinstance(shape, list) else shape)
        desc.dtype = dtype
        desc.layout = layout
        return desc

    def __repr__(self) -> str:
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    @staticmethod
    def get_batch_axis(layout) -> int:
        """The position of ``N`` (the batch) in ``layout``; 0 when the layout is None."""
        return 0 if layout is None else layout.find("N")

    @staticmethod
    def get_list(shapes, types) -> list:
        """``DataDesc``s from ``[(name, shape)]`` and, when given, ``[(name, dtype)]``."""
        if types is None:
            return [DataDesc(name, shape) for name, shape in shapes]
        dtypes = dict(types)
        return [DataDesc(name, shape, dtypes[name]) for name, shape in shapes]


class DataBatch:
    """One batch: lists of ``data`` and ``label`` arrays, the ``pad`` count of filler samples
    at its end, their ``index``, and optionally its bucket key and shapes."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        for what, value in (("data", data), ("label", label)):
            if value is not None and not isinstance(value, (list, tuple)):
                raise TypeError(f"DataBatch: {what} must be a list of arrays, got "
                                f"{type(value).__name__}")
        self.data = data
        self.label = label
        self.pad = pad
        self.index = index
        self.bucket_key = bucket_key
        self.provide_data = provide_data
        self.provide_label = provide_label

    def __str__(self) -> str:
        data_shapes = [d.shape for d in self.data]
        label_shapes = [x.shape for x in self.label] if self.label else None
        return f"{type(self).__name__}: data shapes: {data_shapes} label shapes: {label_shapes}"


class DataIter:
    """The iterator protocol of MXNet 1.x: ``reset``, ``next`` (a ``DataBatch``), and the parts
    ``iter_next``, ``getdata``, ``getlabel``, ``getindex``, ``getpad`` that subclasses define.

    Subclasses also give ``provide_data`` and ``provide_label`` (lists of ``DataDesc``).
    """

    def __init__(self, batch_size: int = 0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self) -> None:
        """Go back to the first batch."""

    def next(self) -> DataBatch:
        """The next batch; StopIteration at the end of the data."""
        if self.iter_next():
            return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                             index=self.getindex())
        raise StopIteration

    def __next__(self) -> DataBatch:
        return self.next()

    def iter_next(self) -> bool:
        """Move to the next batch; False at the end (the base class has no data)."""
        return False

    def getdata(self):
        """The data arrays of the current batch."""

    def getlabel(self):
        """The label arrays of the current batch."""

    def getindex(self):
        """The indices of the current batch's samples (None when not known)."""

    def getpad(self):
        """How many samples at the end of the current batch are filler."""


class _BatchReader(DataIter):
    """A DataIter that keeps its current batch as a DataBatch in ``current_batch``: the parts
    of the batch are read from it."""

    current_batch = None

    def getdata(self):
        """The current batch's data."""
        return self.current_batch.data

    def getlabel(self):
        """The current batch's label."""
        return self.current_batch.label

    def getindex(self):
        """The current batch's sample indices."""
        return self.current_batch.index

    def getpad(self):
        """The filler samples at the end of the current batch."""
        return self.current_batch.pad


class ResizeIter(_BatchReader):
    """``data_iter`` seen as ``size`` batches per epoch, restarting it when it runs out."""

    def __init__(self, data_iter, size: int, reset_internal: bool = True):
        super().__init__(data_iter.batch_size)
        self.data_iter = data_iter
        self.size = size
        self.reset_internal = reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        if hasattr(data_iter, "default_bucket_key"):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self) -> None:
        """Start the count again (and the wrapped iterator, if ``reset_internal``)."""
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self) -> bool:
        """Take the wrapped iterator's next batch, restarting it at its end."""
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True


def _renamed(descs, renames):
    if renames is None:
        return list(descs)
    return [DataDesc(renames.get(d.name, d.name), d.shape, d.dtype, d.layout)
            if isinstance(d, DataDesc) else DataDesc(renames.get(d[0], d[0]), d[1])
            for d in descs]


class PrefetchingIter(_BatchReader):
    """Several iterators read side by side as one: each batch joins their data and labels.

    Differs from MXNet: the batches are read when asked for, not ahead on threads.
    """

    def __init__(self, iters, rename_data=None, rename_label=None):
        iters = list(iters) if isinstance(iters, (list, tuple)) else [iters]
        if not iters:
            raise ValueError("PrefetchingIter: expected at least one iterator")
        super().__init__(iters[0].batch_size)
        for renames, what in ((rename_data, "rename_data"), (rename_label, "rename_label")):
            if renames is not None and len(renames) != len(iters):
                raise ValueError(f"PrefetchingIter: {what} needs one dict per iterator "
                                 f"({len(iters)}), got {len(renames)}")
        self.iters = iters
        self.rename_data = rename_data
        self.rename_label = rename_label
        self.current_batch = None

    @property
    def provide_data(self) -> list:
        """The data descriptions of all iterators, renamed."""
        renames = self.rename_data or [None] * len(self.iters)
        return [d for it, r in zip(self.iters, renames) for d in _renamed(it.provide_data, r)]

    @property
    def provide_label(self) -> list:
        """The label descriptions of all iterators, renamed."""
        renames = self.rename_label or [None] * len(self.iters)
        return [d for it, r in zip(self.iters, renames) for d in _renamed(it.provide_label, r)]

    def reset(self) -> None:
        """Reset every iterator."""
        for it in self.iters:
            it.reset()

    def iter_next(self) -> bool:
        """Read the next batch of every iterator; they must end together."""
        batches = []
        for it in self.iters:
            try:
                batches.append(it.next())
            except StopIteration:
                batches.append(None)
        if all(b is None for b in batches):
            return False
        if any(b is None for b in batches):
            raise ValueError("PrefetchingIter: the iterators have different numbers of batches")
        first = batches[0]
        self.current_batch = DataBatch(
            [d for b in batches for d in b.data],
            [x for b in batches for x in (b.label or [])], first.pad, first.index,
            provide_data=self.provide_data, provide_label=self.provide_label)
        return True

    def next(self) -> DataBatch:
        """The joined next batch."""
        if self.iter_next():
            return self.current_batch
        raise StopIteration


# MXNet's mxnet/io/io.py also holds the iterators (their classes show that module's name): here
# they load from their own modules on first use
__getattr__, __dir__ = _lazy.names(globals(), {
    **{name: ("mxnp.io.file_iters", name) for name in ("CSVIter", "LibSVMIter", "MNISTIter",
                                                        "MXDataIter")},
    **{name: ("mxnp.io.image_record_iter", name) for name in (
        "ImageRecordInt8Iter", "ImageRecordIter", "ImageRecordIter_v1", "ImageRecordUInt8Iter",
        "ImageRecordUInt8Iter_v1")},
    "NDArrayIter": ("mxnp.io.ndarray_iter", "NDArrayIter")})
