"""Sequence plumbing shared by the cells' ``unroll``: layouts, masks, last steps, reversal.

A sequence is either one array with a time axis (``layout`` says where: 'NTC' or 'TNC') or a
list of per-step arrays ``(N, C)``. Everything is np ops, so gradients flow through all of it.
"""
from __future__ import annotations

from ... import numpy as np
from ... import numpy_extension as npx
from .._symbolic import is_symbol


def _steps(x, axis: int) -> list:
    """The per-step arrays of ``x`` along ``axis``, that axis removed."""
    lead = (slice(None),) * axis
    return [x[lead + (t,)] for t in range(x.shape[axis])]


def format_sequence(length, inputs, layout, merge, in_layout=None):
    """``(inputs, time_axis, batch_size)``: ``inputs`` as one array (merge True), as a list
    of steps (merge False) or as given (None), with the time axis moved to ``layout``'s."""
    assert inputs is not None, \
        "unroll(inputs=None) has been deprecated. Please create input variables outside unroll."
    axis, batch_axis = layout.find("T"), layout.find("N")
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if is_symbol(inputs) or (isinstance(inputs, (list, tuple)) and inputs and
                             is_symbol(inputs[0])):
        return _format_symbols(length, inputs, axis, in_axis, merge)
    if isinstance(inputs, np.ndarray):
        batch_size = inputs.shape[batch_axis]
        if merge is False:
            assert length is None or length == inputs.shape[in_axis], \
                f"unroll: length {length} differs from the input's {inputs.shape[in_axis]} steps"
            return _steps(inputs, in_axis), axis, batch_size
    else:
        inputs = list(inputs)
        assert length is None or len(inputs) == length, \
            f"unroll: length {length} differs from the {len(inputs)} steps given"
        batch_size = inputs[0].shape[0]
        if merge is True:
            inputs, in_axis = np.stack(inputs, axis=axis), axis
    if isinstance(inputs, np.ndarray) and axis != in_axis:
        inputs = np.swapaxes(inputs, axis, in_axis)
    return inputs, axis, batch_size


def _format_symbols(length, inputs, axis, in_axis, merge):
    """format_sequence on ``mx.sym`` Symbols (a cell unrolled to build a graph, as in MXNet
    1.x): steps are split and stacked by graph operators; the batch size is unknown (0)."""
    from ... import symbol as sym  # a Symbol exists, so mx.sym is loaded

    if is_symbol(inputs):
        if merge is False:
            steps = sym.split(inputs, axis=in_axis, num_outputs=length, squeeze_axis=1)
            return list(steps), axis, 0
    else:
        inputs = list(inputs)
        assert length is None or len(inputs) == length, \
            f"unroll: length {length} differs from the {len(inputs)} steps given"
        if merge is True:
            inputs, in_axis = sym.stack(*inputs, axis=axis), axis
    if is_symbol(inputs) and axis != in_axis:
        inputs = sym.swapaxes(inputs, dim1=axis, dim2=in_axis)
    return inputs, axis, 0


def _sym():
    from ... import symbol  # only reached with Symbols, so mx.sym is loaded

    return symbol


def _symbolic(steps, valid_length) -> bool:
    """Whether a sequence (one array or steps) and its lengths are mx.sym Symbols."""
    first = steps if is_symbol(steps) or not isinstance(steps, (list, tuple)) else steps[0]
    return is_symbol(first) or is_symbol(valid_length)


def _split_steps(data, count: int, axis: int) -> list:
    """The steps of a Symbol along ``axis`` (MXNet's split with squeeze_axis)."""
    return list(_sym().split(data, num_outputs=count, axis=axis, squeeze_axis=True))


def mask_sequence(data, length, valid_length, time_axis, merge):
    """Zero the steps at or past each sequence's ``valid_length`` (one array, or steps); on
    Symbols MXNet's stack, SequenceMask (and split) nodes."""
    if _symbolic(data, valid_length):
        sym = _sym()
        if not is_symbol(data):
            data = sym.stack(*data, axis=time_axis)
        out = sym.SequenceMask(data, sequence_length=valid_length, use_sequence_length=True,
                               axis=time_axis)
        return out if merge else _split_steps(out, length, time_axis)
    if not isinstance(data, np.ndarray):
        data = np.stack(list(data), axis=time_axis)
    out = npx.sequence_mask(data, sequence_length=valid_length, use_sequence_length=True,
                            axis=time_axis)
    return out if merge else _steps(out, time_axis)


def _int_lengths(valid_length, count=None):
    """The lengths as int64; with ``count`` (the steps), clipped into [0, count]: a length
    past the sequence covers it all, a negative one none of it (MXNet reads out of bounds)."""
    lengths = valid_length.astype("int64")
    return lengths if count is None else np.clip(lengths, 0, count)


def check_valid_length(valid_length, batch_size, where="unroll") -> None:
    """``valid_length`` must hold one length per sequence of the batch."""
    from ...base import OpError

    shape = getattr(valid_length, "shape", None)
    if not is_symbol(valid_length) and shape != (batch_size,):
        raise OpError(f"{where}: valid_length must have shape ({batch_size},), one length per "
                      f"sequence of the batch, got {shape if shape is not None else valid_length!r}")


def _positions(n: int, like):
    return np.arange(n, dtype="int64", ctx=like.ctx)


def sequence_last(steps, valid_length, begin=None):
    """Each sequence's value at its last valid step, from a list of ``(N, ...)`` steps; on
    Symbols MXNet's stack and SequenceLast nodes. On arrays ``begin`` (the value before the
    first step) is what a sequence of length 0 ends with; lengths past the end give the last
    step."""
    if _symbolic(list(steps), valid_length):
        sym = _sym()
        return sym.SequenceLast(sym.stack(*steps, axis=0), sequence_length=valid_length,
                                use_sequence_length=True, axis=0)
    steps = list(steps)
    stacked = np.stack(steps if begin is None else [begin] + steps, axis=0)
    batch, count = stacked.shape[1], len(steps)
    index = _int_lengths(valid_length, count)
    if begin is None:  # no state before the first step: a length 0 reads the first
        index = np.maximum(index - 1, 0)
    return stacked[index, _positions(batch, stacked)]


def reverse_sequences(steps, valid_length=None) -> list:
    """The steps in reverse order; with ``valid_length`` only each sequence's valid part is
    reversed and its padding stays where it is (MXNet's SequenceReverse)."""
    steps = list(steps)
    if valid_length is None:
        return steps[::-1]
    if _symbolic(steps, valid_length):  # MXNet's stack, SequenceReverse and split nodes
        sym = _sym()
        reversed_ = sym.SequenceReverse(sym.stack(*steps, axis=0), sequence_length=valid_length,
                                        use_sequence_length=True)
        return _split_steps(reversed_, len(steps), 0)
    stacked = np.stack(steps, axis=0)
    count, batch = stacked.shape[:2]
    t = _positions(count, stacked).reshape(count, 1)
    lengths = _int_lengths(valid_length, count).reshape(1, batch)
    source = np.where(t < lengths, lengths - 1 - t, t)
    return _steps(stacked[source, _positions(batch, stacked).reshape(1, batch)], 0)
