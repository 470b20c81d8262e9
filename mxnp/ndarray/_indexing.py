"""MXNet 1.x's indexing, sorting and sequence operators. Index arrays may be float (MXNet's
default dtype): they are truncated to integers; index results (argmax, argsort, topk's
indices) are float32 unless a dtype is asked for.
"""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from .._ops import legacy as _legacy
from ..base import OpError
from ._define import legacy_op
from .ndarray import at_least_1d

_F32 = "float32"


def _index(a, op="take"):
    if not isinstance(a, np.ndarray):  # MXNet: an AssertionError with this text
        raise AssertionError(f"{op}: Argument indices must have NDArray type, but got {a!r}")
    return a if onp.dtype(a.dtype).kind in "iu" else a.astype("int64")


@legacy_op("take", ("a", "indices"))
def take(a, indices, axis=0, mode="clip"):
    """Entries of ``a`` at ``indices`` along ``axis`` (mode clip, wrap or raise)."""
    indices = _index(indices)
    if axis is not None and not -max(a.ndim, 1) <= axis < max(a.ndim, 1):
        raise OpError(f"take: axis {axis} is out of the range [-r, r-1] for an input of rank "
                      f"{a.ndim}")
    if mode == "raise" and indices.size:  # MXNet: no negative indices either
        n = a.size if axis is None or not a.ndim else a.shape[axis]
        values = indices.asnumpy()
        lo, hi = int(values.min()), int(values.max())
        if lo < 0 or hi >= n:
            raise OpError(f"take: indices out of bounds in mode 'raise': "
                          f"{lo if lo < 0 else hi} for an axis of size {n}")
    return np.take(a, indices, axis=axis, mode=mode)


@legacy_op("batch_take", ("a", "indices"))
def batch_take(a, indices):
    """``a[i, indices[i]]`` for each row i."""
    return a[np.arange(a.shape[0]), _index(indices, "batch_take")]


@legacy_op("pick", ("data", "index"), aliases=("choose_element_0index",))
def pick(data, index, axis=-1, keepdims=False, mode="clip"):
    """One entry per position along ``axis``, chosen by ``index`` (of the data's shape
    without ``axis``, or with it kept as 1, as MXNet takes either)."""
    if axis is not None and not -data.ndim <= axis < data.ndim:
        raise OpError(f"pick: axis {axis} exceeds the input dimension of {data.ndim}")
    if axis is not None and index.ndim == data.ndim and index.ndim > 0 and \
            index.shape[axis] == 1:
        index = np.squeeze(index, axis=axis)
    return at_least_1d(npx.pick(data, index, axis=axis, mode=mode, keepdims=keepdims))


@legacy_op("one_hot", ("indices",))
def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype=_F32):
    """A new last axis of ``depth``: ``on_value`` at each index, ``off_value`` elsewhere."""
    return npx.one_hot(indices, depth, on_value=on_value, off_value=off_value, dtype=dtype)


@legacy_op("gather_nd", ("data", "indices"))
def gather_nd(data, indices):
    """``data[indices[0], ..., indices[M-1]]``."""
    return npx.gather_nd(data, indices)


@legacy_op("scatter_nd", ("data", "indices"))
def scatter_nd(data, indices, shape):
    """Zeros of ``shape`` with ``data`` placed at ``indices`` (gather_nd's transpose)."""
    return _legacy.scatter_nd(data, indices, tuple(shape))


@legacy_op("where", ("condition", "x", "y"))
def where(condition, x, y):
    """``x`` where ``condition`` is non-zero, else ``y``; a 1-D condition picks whole rows."""
    if condition.ndim == 1 and x.ndim > 1:
        condition = np.reshape(condition, condition.shape + (1,) * (x.ndim - 1))
    return np.where(condition != 0, x, y)


def _arg(fn, data, axis, keepdims):
    # MXNet's legacy arg-reductions give the index in the data's own dtype (float16 data: a
    # float16 index; int8 data: an int8 one)
    out = fn(data, axis=axis)
    if axis is None:
        return np.reshape(out, (1,) * (data.ndim if keepdims else 1)).astype(data.dtype)
    return at_least_1d(np.expand_dims(out, axis) if keepdims else out).astype(data.dtype)


@legacy_op("argmax")
def argmax(data, axis=None, keepdims=False):
    """The index of the maximum along ``axis`` (of the flattened array for None), in the
    data's dtype."""
    return _arg(np.argmax, data, axis, keepdims)


@legacy_op("argmin")
def argmin(data, axis=None, keepdims=False):
    """The index of the minimum along ``axis`` (of the flattened array for None), in the
    data's dtype."""
    return _arg(np.argmin, data, axis, keepdims)


@legacy_op("argmax_channel")
def argmax_channel(data):
    """argmax over the last axis, in the data's dtype."""
    return _legacy.argmax_channel(data)


@legacy_op("sort")
def sort(data, axis=-1, is_ascend=True):
    """Values sorted along ``axis`` (None: the flattened array), ties as MXNet's sort leaves
    them (``npx.topk``'s order)."""
    return npx.topk(data, axis=axis, k=0, ret_typ="value", is_ascend=is_ascend)


@legacy_op("argsort")
def argsort(data, axis=-1, is_ascend=True, dtype=_F32):
    """The indices that sort ``data`` along ``axis``, in ``dtype`` (``npx.topk``'s order)."""
    return npx.topk(data, axis=axis, k=0, ret_typ="indices", is_ascend=is_ascend, dtype=dtype)


def _topk_outputs(attrs):
    return 2 if attrs.get("ret_typ") == "both" else 1


@legacy_op("topk", num_outputs=_topk_outputs)
def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype=_F32):
    """The k largest (or smallest) along ``axis``: indices, values, both, or a 0/1 mask."""
    out = npx.topk(data, axis=axis, k=k, ret_typ=ret_typ, is_ascend=is_ascend, dtype=dtype)
    return list(out) if ret_typ == "both" else out


def _length_inputs(attrs):
    """data, and sequence_length when ``use_sequence_length`` is set."""
    return ("data", "sequence_length") if attrs.get("use_sequence_length") else ("data",)


def _lengths(sequence_length, use_sequence_length, name):
    if use_sequence_length and sequence_length is None:
        raise ValueError(f"{name}: use_sequence_length=True needs a sequence_length array")
    return _index(sequence_length) if use_sequence_length else None


@legacy_op("SequenceMask", ("data", "sequence_length"),
           optional_inputs=_length_inputs)
def SequenceMask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0):
    """Steps past each sequence's length set to ``value`` (time on ``axis`` 0 or 1)."""
    return npx.sequence_mask(data, sequence_length, use_sequence_length=use_sequence_length,
                             value=value, axis=axis)


def _time_first(data, axis):
    return data if axis == 0 else np.swapaxes(data, 0, 1)


@legacy_op("SequenceLast", ("data", "sequence_length"),
           optional_inputs=_length_inputs)
def SequenceLast(data, sequence_length=None, use_sequence_length=False, axis=0):
    """Each sequence's last valid step (time on ``axis`` 0 or 1)."""
    lengths = _lengths(sequence_length, use_sequence_length, "SequenceLast")
    x = _time_first(data, axis)
    if lengths is None:
        return x[-1]
    return x[lengths - 1, np.arange(x.shape[1])]


@legacy_op("SequenceReverse", ("data", "sequence_length"),
           optional_inputs=_length_inputs)
def SequenceReverse(data, sequence_length=None, use_sequence_length=False, axis=0):
    """The first ``length`` steps of each sequence reversed, the padding left in place."""
    lengths = _lengths(sequence_length, use_sequence_length, "SequenceReverse")
    x = _time_first(data, axis)
    t = np.arange(x.shape[0]).reshape(-1, 1)
    if lengths is None:
        lengths = np.full((x.shape[1],), x.shape[0], dtype="int64")
    steps = np.where(t < lengths, lengths - 1 - t, t)
    return _time_first(x[steps, np.arange(x.shape[1])], axis)
