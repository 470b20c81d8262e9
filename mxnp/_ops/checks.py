"""Argument checks shared by the ops: is this an array, which axis or axes an argument means.

Each check raises an error that names the op, as MXNet's messages do.
"""
from __future__ import annotations

import builtins
import operator

import numpy as onp

from .._ndarray import ndarray
from ..base import OpError, OpTypeError


def is_array(a) -> bool:
    """Whether ``a`` is an mxnp array (NumPy arrays, lists and numbers are not)."""
    return isinstance(a, ndarray)


def require_array(name: str, a, what: str | None = "a") -> ndarray:
    """``a`` itself, or a TypeError naming the function (and the argument) when it is not an
    mxnp ndarray."""
    if not isinstance(a, ndarray):
        said = "expected an mxnp ndarray" if what is None else f"{what} must be an mxnp ndarray"
        raise TypeError(f"{name}: {said}, got {type(a).__name__}")
    return a


# MXNet's dtype codes (mshadow's type flags), which its dtype checks print
_TYPE_CODES = {"float32": 0, "float64": 1, "float16": 2, "uint8": 3, "int32": 4, "int8": 5,
               "int64": 6, "bool": 7, "int16": 8, "uint16": 9, "uint32": 10, "uint64": 11}


def check_uniform_dtype(name: str, data, inputs) -> None:
    """MXNet's check for the layers whose inputs share one dtype (Convolution,
    Deconvolution): each named array in ``inputs`` (``(name, array)`` pairs; None skipped)
    must have ``data``'s dtype; OpTypeError with MXNet's message after the op's ``name``."""
    dtype = data.dtype
    for what, a in inputs:
        if a is not None and a.dtype != dtype:  # names only for the message: dtype.name is slow
            want, got = onp.dtype(dtype).name, onp.dtype(a.dtype).name
            codes = f"({_TYPE_CODES.get(got, -1)} vs. {_TYPE_CODES.get(want, -1)})"
            raise OpTypeError(f"{name}: Check failed: (*in_type)[i] == dtype {codes} : This "
                              f"layer requires uniform type. Expected '{want}' v.s. given "
                              f"'{got}' at '{what}'")


def check_input_dtypes(name: str, data, inputs) -> None:
    """MXNet's type inference for ops whose inputs all take the first one's dtype
    (FullyConnected): the ``i``-th of ``inputs`` (counting ``data`` as 0; None skipped) must
    match; OpTypeError with MXNet's message after the op's ``name``."""
    dtype = data.dtype
    for i, a in enumerate(inputs, start=1):
        if a is not None and a.dtype != dtype:  # names only for the message: dtype.name is slow
            raise OpTypeError(f"{name}: Check failed: assign(&dattr, vec.at(i)): Incompatible "
                              f"attr in node  at {i}-th input: expected "
                              f"{onp.dtype(dtype).name}, got {onp.dtype(a.dtype).name}")


def input_count_error(op: str, given: int, expected: int, cls=OpError) -> Exception:
    """MXNet's error for an operator given a bias its ``no_bias`` does not expect, or missing
    one it does (``op`` is MXNet's name, ``Convolution``); ``cls`` an MXNetError subclass."""
    return cls(f"Check failed: num_inputs == infered_num_inputs ({given} vs. {expected}) : "
               f"Operator {op} expects {expected} inputs, but got {given} instead.")


def normalize_axis(axis, ndim: int, name: str) -> int:
    """One axis as a non-negative int; it must be an int within ``ndim``."""
    try:
        axis = operator.index(axis)
    except TypeError as e:
        raise TypeError(f"{name}: axis must be an int, got {axis!r}") from e
    if not -ndim <= axis < ndim:
        raise OpError(f"{name}: axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def normalize_axes(axes, ndim: int, name: str, what: str = "axis") -> tuple:
    """Non-negative axes, in the order given, from an int or a sequence of ints; a repeated
    axis is an error."""
    seq = axes if isinstance(axes, (list, tuple)) else (axes,)
    out = tuple(normalize_axis(a, ndim, name) for a in seq)
    if len(set(out)) != len(out):
        raise OpError(f"{name}: repeated axis in `{what}` argument: {axes}")
    return out


def reduction_axes(axis, ndim: int, name: str) -> tuple:
    """The axes a reduction runs over, sorted (None: every axis). A 0-d array takes axis 0 or
    -1, as MXNet's reductions do."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, onp.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < builtins.max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise OpError(f"{name}: axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(a % builtins.max(ndim, 1))
    if len(set(out)) != len(out):
        raise OpError(f"{name}: repeated axis in {axis}")
    return tuple(sorted(out))
