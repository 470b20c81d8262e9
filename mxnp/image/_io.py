"""The few pieces of MXNet's ``mx.io`` that ImageIter hands out: DataDesc, DataBatch, DataIter.

mxnp has no ``mx.io`` yet; when it gets one, it should re-export these.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as onp


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """The name and shape (and ``dtype``, ``layout``) of one input or label of a batch."""

    def __new__(cls, name, shape, dtype=onp.float32, layout="NCHW"):
        desc = super().__new__(cls, name, shape)
        desc.dtype, desc.layout = dtype, layout
        return desc

    def __repr__(self):
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    @staticmethod
    def get_batch_axis(layout):
        """The axis of the batch in ``layout`` (the position of 'N'; 0 without a layout)."""
        return 0 if layout is None else layout.find("N")

    @staticmethod
    def get_list(shapes, types):
        """DataDescs for ``(name, shape)`` pairs, with dtypes from ``(name, dtype)`` pairs."""
        types = dict(types) if types is not None else None
        return [DataDesc(name, shape) if types is None else DataDesc(name, shape, types[name])
                for name, shape in shapes]


class DataBatch:
    """One batch: lists of ``data`` and ``label`` arrays, and how many examples are ``pad``."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        for what, value in (("data", data), ("label", label)):
            if value is not None and not isinstance(value, (list, tuple)):
                raise TypeError(f"DataBatch: {what} must be a list of arrays, got "
                                f"{type(value).__name__}")
        self.data, self.label, self.pad, self.index = data, label, pad, index
        self.bucket_key, self.provide_data, self.provide_label = (bucket_key, provide_data,
                                                                  provide_label)

    def __str__(self):
        labels = [a.shape for a in self.label] if self.label else None
        return (f"{type(self).__name__}: data shapes: {[a.shape for a in self.data]} "
                f"label shapes: {labels}")


class DataIter:
    """The base of MXNet's data iterators: ``next()`` gives a DataBatch or raises
    StopIteration; subclasses define ``iter_next`` and the ``get*`` methods, or ``next``."""

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def reset(self):
        """Go back to the first batch."""

    def next(self):
        """The next DataBatch."""
        if not self.iter_next():
            raise StopIteration
        return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(),
                         index=self.getindex())

    def iter_next(self):
        """Move to the next batch; False at the end."""
        return False

    def getdata(self):
        """The data arrays of the current batch."""

    def getlabel(self):
        """The label arrays of the current batch."""

    def getindex(self):
        """The indices of the current batch's examples (None when not known)."""

    def getpad(self):
        """How many examples of the current batch are padding."""
