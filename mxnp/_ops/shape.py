"""Shape ops: reshape, transpose, swapaxes, expand_dims, squeeze, broadcast_to, concatenate,
stack, split.

MXNet returns new memory from every one of these (only basic indexing makes views), so the
public forms copy; VJPs use the ``copy=False`` forms, which are views and cost nothing.
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .creation import array as _creation_array
from .primitive import Primitive, write_out


def _fresh(raw, copy):
    return raw.copy() if copy else raw


def _reshape_forward(xp, x, shape, copy=True):
    return _fresh(xp.reshape(x, shape), copy)


_reshape = Primitive("reshape", _reshape_forward,
                     (lambda g, ans, x, shape, copy=True: _reshape(g, shape=x.shape, copy=False),),
                     keep=())


def _shape_tuple(name, shape) -> tuple:
    if isinstance(shape, (int, onp.integer)):
        return (int(shape),)
    try:
        return tuple(operator.index(s) for s in shape)
    except TypeError as e:
        raise TypeError(f"{name}: shape must be an int or a tuple of ints, got {shape!r}") from e


def reshape(a, newshape, order="C", out=None):
    """A reshaped copy (MXNet never returns a view here). ``-1`` infers one dimension."""
    if order != "C":
        raise NotImplementedError(f"reshape: only supports C-order, while received {order}")
    shape = _shape_tuple("reshape", newshape)
    _check_reshape(a, shape)
    return write_out(_reshape(a, shape=shape), out)


def _check_reshape(a, shape) -> None:
    """MXNet's checks of a NumPy-style target shape, with its messages after ``reshape:``
    (OpError): one -1 at most, no other negative size (MXNet's codes -2..-6 are
    npx.reshape's), and the size kept."""
    for s in shape:
        if s < -1:
            raise OpError(f"reshape: Check failed: param.newshape[i] == -1 ({s} vs. -1) : The "
                          "shape dimension size to inferred must be -1")
    if builtins.sum(1 for s in shape if s == -1) > 1:
        raise OpError("reshape: Check failed: !has_unknown_dim_size: Can only specify one "
                      "unknown dimension")
    size = getattr(a, "size", None)
    if not isinstance(size, int):
        return
    known = math.prod(s for s in shape if s != -1)
    shown = "[" + ",".join(str(s) for s in shape) + "]"
    if -1 in shape:
        if known and size % known:
            raise OpError(f"reshape: Check failed: src.Size() % known_dim_size_prod == 0 "
                          f"({size % known} vs. 0) : Cannot reshape array of size {size} into "
                          f"shape {shown}")
    elif known != size:
        raise OpError(f"reshape: Check failed: src.Size() == dst->Size() ({size} vs. {known}) "
                      f": Cannot reshape array of size {size} into shape {shown}")


def ndarray_reshape(x, args, order="C", **kwargs):
    """``x.reshape(2, 3)``, ``x.reshape((2, 3))`` and ``x.reshape(shape=(2, 3))``."""
    if kwargs:
        shape = kwargs.pop("shape", kwargs.pop("newshape", None))
        if kwargs or shape is None or args:
            raise TypeError(f"reshape: unexpected arguments {args} {kwargs}")
    else:
        shape = args[0] if len(args) == 1 else args
    return reshape(x, shape, order)


def axes_arg(axes):
    """Method-style axes (``x.transpose(1, 0)`` or ``x.transpose((1, 0))``) as a tuple or None."""
    if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, onp.integer))):
        return None if axes[0] is None else tuple(axes[0])
    return tuple(axes) or None


def _transpose_vjp(g, ans, x, axes=None, copy=True):
    # argsort needs the axes non-negative: (-1, 0, 1) is the permutation (2, 0, 1)
    inverse = None if axes is None else tuple(onp.argsort([a % x.ndim for a in axes]))
    return _transpose(g, axes=inverse, copy=False)


def _transpose_forward(xp, x, axes=None, copy=True):
    if axes is not None:
        _check_permutation(axes, x.ndim)
    return _fresh(xp.transpose(x, axes), copy)


def _check_permutation(axes, ndim):
    """Range first, then repeats: (0, 2) of a 2-D array is out of range, not a repeat of 0."""
    for a in axes:
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for an array of {ndim} dimensions")
    if len(set(a % builtins.max(ndim, 1) for a in axes)) != len(axes):
        raise ValueError(f"repeated axis in transpose: {axes}")


_transpose = Primitive("transpose", _transpose_forward, (_transpose_vjp,), keep=())


def transpose(a, axes=None):
    return _transpose(a, axes=None if axes is None else tuple(axes))


_swapaxes = Primitive("swapaxes", lambda xp, x, axis1, axis2: xp.swapaxes(x, axis1, axis2).copy(),
                      (lambda g, ans, x, axis1, axis2: _swapaxes(g, axis1=axis1, axis2=axis2),))


def swapaxes(a, axis1, axis2):
    return _swapaxes(a, axis1=axis1, axis2=axis2)


def _shape_back(g, ans, x, **params):
    return _reshape(g, shape=x.shape, copy=False)


def _expand_dims_forward(xp, x, axis):
    axes = (axis,) if type(axis) is int else axis
    nd = x.ndim + len(axes) if type(axes) is tuple else -1
    if nd >= 0 and all(type(a) is int and -nd <= a < nd for a in axes):
        where = {a % nd for a in axes}
        if len(where) == len(axes):  # valid and distinct: the shape, without NumPy's wrapper
            dims = iter(x.shape)
            return x.reshape(tuple(1 if i in where else next(dims) for i in range(nd))).copy()
    return xp.expand_dims(x, axis).copy()  # anything else: NumPy's result, or its error


_expand_dims = Primitive("expand_dims", _expand_dims_forward, (_shape_back,))
_squeeze = Primitive("squeeze", lambda xp, x, axis=None: xp.squeeze(x, axis).copy(),
                     (_shape_back,))


def expand_dims(a, axis):
    return _expand_dims(a, axis=tuple(axis) if isinstance(axis, list) else axis)


def squeeze(a, axis=None):
    axis = tuple(axis) if isinstance(axis, list) else axis
    if type(axis) is tuple and getattr(a, "ndim", 1) == 0 and axis in ((0,), (-1,)):
        axis = None  # a 0-d array's axis 0 as a tuple, as MXNet takes it (NumPy an int)
    return _squeeze(a, axis=axis)


def _broadcast_to_forward(xp, x, shape):
    if x.shape == shape and xp is onp:  # what NumPy gives, without its nditer (~5 us)
        view = x.view()
        view.flags.writeable = False
        return view
    return xp.broadcast_to(x, shape)  # a read-only view, as NumPy's


# the tape sums the cotangent back down to x's shape: the rule itself is the identity
_broadcast_to = Primitive("broadcast_to", _broadcast_to_forward, (lambda g, ans, x, shape: g,),
                          keep=())


def broadcast_to(array, shape):
    """``array`` (or a number: an array of MXNet's default dtype for it) broadcast to
    ``shape``; -2 keeps the input's size on that axis (MXNet)."""
    if not isinstance(array, ndarray):  # MXNet: a bool stays bool, other numbers float32
        array = _creation_array(array, dtype=bool if isinstance(array, (bool, onp.bool_))
                                else None)
    shape = _shape_tuple("broadcast_to", shape)
    if -2 in shape:  # MXNet: -2 keeps the input's size there (shapes aligned on the right)
        in_shape = tuple(getattr(array, "shape", ()))
        lead = len(shape) - len(in_shape)
        if lead < 0 or -2 in shape[:lead]:
            raise OpError(f"broadcast_to: -2 in {shape} must fall on one of the input's "
                          f"{len(in_shape)} trailing axes (input shape {in_shape})")
        shape = tuple(in_shape[i - lead] if s == -2 else s for i, s in enumerate(shape))
    return _broadcast_to(array, shape=shape)


def _same_dtype(xp, arrays):
    """``arrays`` cast to their common dtype (MXNet's promotion); as they are when they share
    one, the common call, which costs no ``astype`` then."""
    dt = arrays[0].dtype
    mixed = False
    for a in arrays[1:]:
        if a.dtype is not dt and a.dtype != dt:
            dt = _dtypes.binary_result(dt, a.dtype)
            mixed = True
    return [a.astype(dt, copy=False) for a in arrays] if mixed else arrays


def _concatenate_forward(xp, *arrays, axis=0):
    return xp.concatenate(_same_dtype(xp, arrays), axis=axis)


def _concatenate_vjp(g, ans, *arrays, axis=0):
    if axis is None:
        g = _reshape(g, shape=(-1,), copy=False)
        sizes = [a.size for a in arrays]
    else:
        sizes = [a.shape[axis] for a in arrays]
    parts = _split(g, indices_or_sections=tuple(onp.cumsum(sizes)[:-1].tolist()),
                   axis=0 if axis is None else axis)
    return tuple(p if axis is not None else _reshape(p, shape=a.shape, copy=False)
                 for p, a in zip(parts, arrays))


_concatenate = Primitive("concatenate", _concatenate_forward, vjp_all=_concatenate_vjp)


def _sequence(name, seq):
    if isinstance(seq, ndarray) and seq.ndim:  # an array is the sequence of its rows (NumPy)
        seq = [seq[i] for i in range(seq.shape[0])]
    if not isinstance(seq, (list, tuple)) or not seq:
        raise TypeError(f"{name}: expected a non-empty list or tuple of arrays, "
                        f"got {type(seq).__name__}")
    for i, a in enumerate(seq):  # else None reaches the backend and fails naming nothing
        if not isinstance(a, ndarray):
            raise TypeError(f"{name}: item {i} is {type(a).__name__}, expected an mxnp ndarray")
    return seq


def concatenate(seq, axis=0, out=None):
    return write_out(_concatenate(*_sequence("concatenate", seq), axis=axis), out)


def _stack_forward(xp, *arrays, axis=0):
    return xp.stack(_same_dtype(xp, arrays), axis=axis)


def _stack_vjp(g, ans, *arrays, axis=0):
    parts = _split(g, indices_or_sections=len(arrays), axis=axis)
    return tuple(_reshape(p, shape=a.shape, copy=False) for p, a in zip(parts, arrays))


_stack = Primitive("stack", _stack_forward, vjp_all=_stack_vjp)


def stack(arrays, axis=0, out=None):
    return write_out(_stack(*_sequence("stack", arrays), axis=axis), out)


def _split_forward(xp, x, indices_or_sections, axis=0):
    return tuple(p.copy() for p in xp.split(x, indices_or_sections, axis=axis))


_split = Primitive("split", _split_forward,
                   (lambda g, ans, x, indices_or_sections, axis=0: _concatenate(*g, axis=axis),))


def _check_split(ary, sections, axis):
    """The two mistakes NumPy reports without naming split (MXNet's kinds kept)."""
    if isinstance(ary, ndarray) and not -ary.ndim <= axis < ary.ndim:
        raise IndexError(f"split: axis {axis} is out of bounds for an array of "
                         f"{ary.ndim} dimensions")
    if isinstance(sections, (int, onp.integer)) and sections <= 0:
        kind = ZeroDivisionError if sections == 0 else OpError
        raise kind(f"split: the number of sections must be positive, got {sections}")


def split(ary, indices_or_sections, axis=0):
    """A list of arrays (new memory each)."""
    if not isinstance(indices_or_sections, (int, onp.integer)):
        indices_or_sections = tuple(int(i) for i in indices_or_sections)
    _check_split(ary, indices_or_sections, axis)
    return _split(ary, indices_or_sections=indices_or_sections, axis=axis)
