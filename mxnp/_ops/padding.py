"""pad, in the modes MXNet 1.9.1 has: constant, edge, reflect, symmetric, maximum, minimum.

A composite, one axis at a time as NumPy does it: the pads are constants, broadcast edges or
statistics, or gathers at mirrored positions, joined to the array by concatenate. The gradient
comes from those ops, in every mode (MXNet 1.9.1 has one for 'constant' only).
"""
from __future__ import annotations

import numpy as onp

from .. import _dtypes
from ..base import OpError
from .checks import require_array
from .creation import copy, full
from .manipulation import take_along
from .shape import broadcast_to, concatenate

MODES = ("constant", "edge", "reflect", "symmetric", "maximum", "minimum")
# the keyword arguments each mode accepts, and the one value of each that MXNet supports
_OPTIONS = {"constant": {"constant_values": None}, "edge": {},
            "reflect": {"reflect_type": "even"}, "symmetric": {"reflect_type": "even"},
            "maximum": {"stat_length": None}, "minimum": {"stat_length": None}}


def _pairs(name, value, ndim, integral):
    """``value`` broadcast to one (before, after) pair per axis, as NumPy reads pad_width."""
    v = onp.asarray(value.asnumpy() if hasattr(value, "asnumpy") else value)
    if integral and not _dtypes.is_integer(v.dtype):
        raise TypeError(f"{name}: `pad_width` must be of integral type, got {v.dtype}")
    try:
        v = onp.broadcast_to(v, (ndim, 2))
    except ValueError as e:
        raise OpError(f"{name}: cannot broadcast {value!r} to one (before, after) pair for each "
                      f"of {ndim} axes") from e
    return v.astype(onp.int64) if integral else v


def _mirrored(mode, n, positions):
    """Source positions of ``positions`` outside [0, n), reflected as ``mode`` says."""
    if mode == "reflect":  # period 2n - 2: the edge element is not repeated
        if n == 1:
            return onp.zeros_like(positions)
        q = positions % (2 * n - 2)
        return onp.where(q >= n, 2 * n - 2 - q, q)
    q = positions % (2 * n)  # symmetric: period 2n, the edge element repeated
    return onp.where(q >= n, 2 * n - 1 - q, q)


def _pieces(x, axis, before, after, mode, constants):
    """The arrays that go before and after ``x`` along ``axis``."""
    n = x.shape[axis]
    shapes = [x.shape[:axis] + (w,) + x.shape[axis + 1:] for w in (before, after)]
    if mode == "constant":
        return [full(s, c, dtype=x.dtype, ctx=x.ctx) for s, c in zip(shapes, constants[axis])]
    if n == 0:
        raise OpError(f"pad: can't extend empty axis {axis} using modes other than 'constant'")
    if mode in ("maximum", "minimum"):
        stat = (x.max if mode == "maximum" else x.min)(axis=axis, keepdims=True)
        return [broadcast_to(stat, s) for s in shapes]
    if mode == "edge":
        ends = (slice(0, 1), slice(n - 1, n))
        return [broadcast_to(x[(slice(None),) * axis + (e,)], s) for e, s in zip(ends, shapes)]
    return [take_along(x, _mirrored(mode, n, p), axis)
            for p in (onp.arange(-before, 0), onp.arange(n, n + after))]


def pad(array, pad_width, mode="constant", **kwargs):
    """A padded copy.

    Differs from MXNet 1.9.1 (which follows NumPy here): pad_width may be an int or a single
    pair, broadcast over the axes, and ``constant_values`` is used (MXNet pads with zeros
    whatever it is given).
    """
    x = require_array("pad", array, None)
    if not isinstance(mode, str) or mode not in MODES:
        raise OpError(f"pad: mode {mode!r} is not supported; use one of {MODES}")
    options = _OPTIONS[mode]
    unknown = set(kwargs) - set(options)
    if unknown:
        raise OpError(f"pad: unsupported keyword arguments for mode {mode!r}: {sorted(unknown)}")
    for key, supported in options.items():
        if key != "constant_values" and kwargs.get(key, supported) != supported:
            raise OpError(f"pad: {key}={kwargs[key]!r} is not supported (only {supported!r})")
    widths = _pairs("pad", pad_width, x.ndim, integral=True)
    if (widths < 0).any():
        raise OpError(f"pad: pad widths must be non-negative, got {pad_width}")
    constants = _pairs("pad", kwargs.get("constant_values", 0), x.ndim, integral=False)
    out = x
    for axis, (before, after) in enumerate(widths.tolist()):
        if before or after:
            b, a = _pieces(out, axis, before, after, mode, constants)
            out = concatenate([b, out, a], axis=axis)
    return copy(x) if out is x else out
