"""Array manipulation: flip, roll, rot90, tile, repeat, moveaxis, ravel, resize, atleast_*, and
questions about arrays (shape, size, ndim, shares_memory).

All but flip and roll are composites of shape and indexing ops, whose rules give their
gradients. flip and roll are primitives whose rules are themselves (one pass each way, where
indexing would gather forward and scatter back). MXNet returns new memory from all of these.
"""
from __future__ import annotations

import builtins
import contextlib
import operator

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import normalize_axes, normalize_axis, require_array
from .creation import copy as _copy
from .creation import zeros
from .primitive import Primitive
from .shape import _reshape, _shape_tuple, broadcast_to, reshape, transpose


# ---- argument helpers shared by the family ---------------------------------------------------
def int_or_ints(name: str, what: str, v):
    """An int, a tuple of ints, or None (as given): never an array, whose values need a sync."""
    if v is None or isinstance(v, (int, onp.integer)) and not isinstance(v, bool):
        return None if v is None else int(v)
    try:
        return tuple(operator.index(i) for i in v)
    except TypeError as e:
        raise TypeError(f"{name}: {what} must be an int or a tuple of ints, got {v!r}") from e


def take_along(x: ndarray, index, axis: int) -> ndarray:
    """``x`` gathered at the integer positions ``index`` (host data) along ``axis``."""
    return x[(slice(None),) * axis + (onp.asarray(index, dtype=onp.int64),)]


@contextlib.contextmanager
def named(name: str):
    """Restate an op error raised by a building block as the public function's own."""
    try:
        yield
    except OpError as e:
        raise OpError(f"{name}: {e}") from e


# ---- flips and rotations ---------------------------------------------------------------------
_flip = Primitive("flip", lambda xp, x, axis=None: xp.flip(x, axis).copy(),
                  (lambda g, ans, x, axis=None: _flip(g, axis=axis),), keep=())


def flip(m, axis=None, out=None):
    """A reversed copy along ``axis`` (all axes by default); ``out=`` as in MXNet."""
    return _flip.call_out(m, axis=int_or_ints("flip", "axis", axis), out=out)


def fliplr(m):
    if require_array("fliplr", m, None).ndim < 2:
        raise OpError(f"fliplr: input must be >= 2-d, got shape {m.shape}")
    return flip(m, 1)


def flipud(m):
    if require_array("flipud", m, None).ndim < 1:
        raise OpError("flipud: input must be >= 1-d, got a 0-d array")
    return flip(m, 0)


def _negated(shift):
    return -shift if isinstance(shift, int) else tuple(-s for s in shift)


_roll = Primitive("roll", lambda xp, x, shift, axis=None: xp.roll(x, shift, axis),
                  (lambda g, ans, x, shift, axis=None: _roll(g, shift=_negated(shift), axis=axis),),
                  keep=())


def roll(a, shift, axis=None):
    """Differs from MXNet: shift and axis broadcast against each other, as in NumPy."""
    return _roll(a, shift=int_or_ints("roll", "shift", shift),
                 axis=int_or_ints("roll", "axis", axis))


def rot90(m, k=1, axes=(0, 1)):
    """A rotated copy (NumPy's rot90 returns a view)."""
    m = require_array("rot90", m, None)
    if len(axes) != 2:
        raise OpError(f"rot90: len(axes) must be 2, got {axes}")
    if m.ndim < 2:
        raise OpError(f"rot90: array must be at least 2-d, got shape {m.shape}")
    a0, a1 = (normalize_axis(a, m.ndim, "rot90") for a in axes)
    if a0 == a1:
        raise OpError(f"rot90: axes must be different, got {axes}")
    k = operator.index(k) % 4
    if k == 0:
        return _copy(m)
    if k == 2:
        return flip(flip(m, a0), a1)
    perm = list(range(m.ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    return transpose(flip(m, a1), perm) if k == 1 else flip(transpose(m, perm), a1)


# ---- repetition ------------------------------------------------------------------------------
def tile(A, reps):
    """Differs from MXNet: a bool array stays bool (MXNet 1.9.1 gives float32)."""
    A = require_array("tile", A, None)
    reps = int_or_ints("tile", "reps", reps)
    reps = (reps,) if isinstance(reps, int) else reps
    if builtins.any(r < 0 for r in reps):
        raise OpError(f"tile: reps must be non-negative, got {reps}")
    d = builtins.max(A.ndim, len(reps))
    shape = (1,) * (d - A.ndim) + A.shape
    reps = (1,) * (d - len(reps)) + reps
    # each axis s becomes (r, s): broadcast over the new axis, then merge the two
    ones = tuple(v for s in shape for v in (1, s))
    big = tuple(v for r, s in zip(reps, shape) for v in (r, s))
    x = broadcast_to(_reshape(A, shape=ones, copy=False), big)
    return _reshape(x, shape=tuple(r * s for r, s in zip(reps, shape)))


def _repeats(repeats) -> onp.ndarray:
    if isinstance(repeats, ndarray):
        repeats = repeats.asnumpy()  # the result's shape depends on the values
    reps = onp.asarray(repeats)
    if not _dtypes.is_integer(reps.dtype):
        raise TypeError(f"repeat: repeats must be integers, got {reps.dtype}")
    if (reps < 0).any():
        raise OpError(f"repeat: repeats cannot be negative, got {repeats}")
    return reps


def repeat(a, repeats, axis=None):
    """Differs from MXNet: ``repeats`` may be a sequence with one count per element (NumPy)."""
    a = require_array("repeat", a, None)
    if axis is None:
        a, axis = _reshape(a, shape=(-1,), copy=False), 0
    axis = normalize_axis(axis, a.ndim, "repeat")
    reps, n = _repeats(repeats), a.shape[axis]
    if reps.size == 1:  # one count: broadcast over a new axis after `axis`, then merge them
        r, head, tail = int(reps.reshape(-1)[0]), a.shape[:axis + 1], a.shape[axis + 1:]
        x = broadcast_to(_reshape(a, shape=head + (1,) + tail, copy=False), head + (r,) + tail)
        return _reshape(x, shape=a.shape[:axis] + (n * r,) + tail)
    if reps.shape != (n,):
        raise OpError(f"repeat: repeats of shape {reps.shape} do not match axis {axis} of "
                      f"length {n}")
    return take_along(a, onp.repeat(onp.arange(n), reps), axis)


def resize(a, new_shape):
    """A new array of ``new_shape`` filled with ``a``'s elements, repeated cyclically."""
    a = require_array("resize", a, None)
    shape = _shape_tuple("resize", new_shape)
    if builtins.any(s < 0 for s in shape):
        raise OpError(f"resize: all elements of `new_shape` must be non-negative, got {shape}")
    size = int(onp.prod(shape))
    if a.size == 0 and size:
        return zeros(shape, dtype=a.dtype, ctx=a.ctx)  # NumPy fills from nothing with zeros
    flat = ravel(a)
    if size > a.size:
        flat = tile(flat, -(-size // a.size))
    return reshape(flat[:size], shape)


# ---- axes ------------------------------------------------------------------------------------
def moveaxis(a, source, destination):
    a = require_array("moveaxis", a, None)
    src = normalize_axes(source, a.ndim, "moveaxis", "source")
    dst = normalize_axes(destination, a.ndim, "moveaxis", "destination")
    if len(src) != len(dst):
        raise OpError("moveaxis: `source` and `destination` arguments must have the same "
                      f"number of elements, got {source} and {destination}")
    order = [n for n in range(a.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


def rollaxis(a, axis, start=0):
    """A copy with ``axis`` moved before ``start`` (NumPy's returns a view)."""
    a = require_array("rollaxis", a, None)
    n = a.ndim
    axis = normalize_axis(axis, n, "rollaxis")
    start = operator.index(start)
    start = start + n if start < 0 else start
    if not 0 <= start <= n:
        raise OpError(f"rollaxis: start {start} is out of bounds for array of dimension {n}")
    order = [i for i in range(n) if i != axis]
    order.insert(start - 1 if axis < start else start, axis)
    return transpose(a, order)


def ravel(a, order="C"):
    """A flat copy (MXNet never returns a view)."""
    if order != "C":
        raise NotImplementedError(f"ravel: only supports C-order, while received {order}")
    return reshape(require_array("ravel", a, None), (-1,))


def copy(a, order="K", subok=False, out=None):
    """New memory holding ``a``'s values; ``out=`` as in MXNet."""
    return _copy.call_out(require_array("copy", a, None), out=out)


def _atleast(name, arys, new_shape):
    out = [reshape(require_array(name, a, None), new_shape(a.shape)) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys):
    """A copy of each with at least 1 dimension; a list of them for several (as MXNet)."""
    return _atleast("atleast_1d", arys, lambda s: s or (1,))


def atleast_2d(*arys):
    return _atleast("atleast_2d", arys, lambda s: ((1,) * (2 - len(s)) + s) if len(s) < 2 else s)


def atleast_3d(*arys):
    """Copies shaped as NumPy's: (n,) -> (1, n, 1) and (m, n) -> (m, n, 1)."""
    return _atleast("atleast_3d", arys,
                    lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s))


def broadcast_arrays(*args):
    """A list of ``broadcast_to`` results (read-only, as ours are); MXNet makes copies."""
    for a in args:
        require_array("broadcast_arrays", a, None)
    try:
        shape = onp.broadcast_shapes(*(a.shape for a in args))
    except ValueError as e:
        raise OpError(f"broadcast_arrays: {e}") from e
    return [broadcast_to(a, shape) for a in args]


def trim_zeros(filt, trim="fb"):
    """A view of the 1-D ``filt`` without its leading and/or trailing zeros.

    The result's length depends on the values, so this reads them (one device sync).
    """
    filt = require_array("trim_zeros", filt, None)
    if filt.ndim != 1:
        raise OpError(f"trim_zeros: expected a 1-D array, got shape {filt.shape}")
    trim = trim.lower() if isinstance(trim, str) else trim
    if trim not in ("f", "b", "fb", "bf"):
        raise OpError(f"trim_zeros: unexpected trim {trim!r}; use 'f', 'b' or 'fb'")
    nz = onp.flatnonzero((filt != 0).asnumpy())
    if nz.size == 0:
        return filt[0:0]
    first = int(nz[0]) if "f" in trim else 0
    last = int(nz[-1]) + 1 if "b" in trim else filt.shape[0]
    return filt[first:last]


# ---- questions about arrays: Python answers from metadata ------------------------------------
def shape(a) -> tuple:
    """Differs from MXNet: Python data has a shape too (MXNet raises), as in NumPy."""
    return a.shape if isinstance(a, ndarray) else onp.shape(a)


def ndim(a) -> int:
    return len(shape(a))


def size(a, axis=None) -> int:
    s = shape(a)
    return int(onp.prod(s, dtype=onp.int64)) if axis is None else s[axis]


def _memory_pair(name, a, b):
    if not isinstance(a, ndarray) or not isinstance(b, ndarray):
        raise TypeError(f"{name}: arguments must be mxnp ndarrays, got {type(a).__name__} "
                        f"and {type(b).__name__}")
    return a._device.xp is b._device.xp


def shares_memory(a, b, max_work=None) -> bool:
    if not _memory_pair("shares_memory", a, b):
        return False
    return builtins.bool(a._device.xp.shares_memory(a._data, b._data, max_work=max_work))


def may_share_memory(a, b, max_work=None) -> bool:
    if not _memory_pair("may_share_memory", a, b):
        return False
    return builtins.bool(a._device.xp.may_share_memory(a._data, b._data, max_work=max_work))
