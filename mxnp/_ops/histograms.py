"""Counting and binning: histogram(s), bincount, digitize, interp. No gradients (counts are
piecewise constant; MXNet records none of these).

Differs from MXNet: ``histogram`` without ``range`` computes the range, and ``density=True``
works, as in NumPy (MXNet 1.9.1 raises NotImplementedError for both); integer data gets float64
edges as in NumPy (MXNet truncates the edges to the integer dtype).
"""
from __future__ import annotations

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from .checks import require_array
from .creation import array
from .primitive import Primitive
from .shape import stack


def _data(name, a):
    return require_array(name, a, None)


def _bins_args(bins, device):
    """``bins`` split into the arrays among it (operands) and the rest (a parameter).

    A list of edges becomes an array; a sequence mixing counts and edge arrays (histogram2d,
    histogramdd) keeps ``None`` where an array goes.
    """
    if isinstance(bins, ndarray) or isinstance(bins, (int, str, onp.integer)):
        return ((bins,), None) if isinstance(bins, ndarray) else ((), bins)
    parts = list(bins)
    if all(isinstance(p, (int, float, onp.number)) for p in parts):  # one list of edges
        edges = onp.asarray(parts)
        return (array(edges, dtype=edges.dtype, ctx=device),), None
    arrays = tuple(p if isinstance(p, ndarray) else array(onp.asarray(p), ctx=device)
                   for p in parts if not isinstance(p, (int, onp.integer)))
    return arrays, tuple(None if not isinstance(p, (int, onp.integer)) else int(p)
                         for p in parts)


def _bins(arrays, spec):
    """The inverse of ``_bins_args`` on raw arrays."""
    if spec is None:
        return arrays[0]
    if not isinstance(spec, tuple):
        return spec
    given = iter(arrays)
    return [next(given) if s is None else s for s in spec]


def _histogram_forward(xp, a, weights, *bin_arrays, spec=None, range=None, density=None):
    counts, edges = xp.histogram(a, _bins(bin_arrays, spec), range, density=density,
                                 weights=weights)
    return counts, edges


_histogram = Primitive("histogram", _histogram_forward)


def histogram(a, bins=10, range=None, weights=None, density=None):  # noqa: A002
    """``[counts, edges]`` (a list, as MXNet); counts are int64 unless weighted or dense."""
    arrays, spec = _bins_args(bins, _data("histogram", a).device)
    return _histogram(a, weights, *arrays, spec=spec, range=range, density=density)


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002
    """The edges ``histogram`` would use."""
    return histogram(a, bins, range, weights)[1]


def _histogramdd_forward(xp, sample, weights, *bin_arrays, spec=None, range=None,
                         density=None):
    # float64 edges for every sample dtype, as MXNet (NumPy 1.x underneath; NumPy 2 keeps a
    # float32 sample's dtype)
    counts, edges = xp.histogramdd(sample.astype(onp.float64, copy=False),
                                   _bins(bin_arrays, spec), range, density=density,
                                   weights=weights)
    return (counts,) + tuple(edges)


_histogramdd = Primitive("histogramdd", _histogramdd_forward)


def histogramdd(sample, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """``(counts, [edges per dimension])`` for an (N, D) sample, as NumPy."""
    arrays, spec = _bins_args(bins, _data("histogramdd", sample).device)
    counts, *edges = _histogramdd(sample, weights, *arrays, spec=spec, range=range,
                                  density=density)
    return counts, edges


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """``(counts, x_edges, y_edges)``, as NumPy; counts are float64."""
    if isinstance(bins, ndarray) or (not isinstance(bins, (int, onp.integer)) and
                                     len(bins) != 2):
        bins = [bins, bins]  # one edge array for both dimensions
    counts, (x_edges, y_edges) = histogramdd(stack([_data("histogram2d", x),
                                                    _data("histogram2d", y)], axis=1),
                                             bins, range, density, weights)
    return counts, x_edges, y_edges


def _bincount_forward(xp, x, weights, minlength=0):
    if not _dtypes.is_integer(x.dtype):
        raise TypeError(f"input data should be of an integer type, got {x.dtype}")
    # NumPy's own messages call x "'list' argument" and "list", whatever it is
    if x.size and int(x.min()) < 0:
        raise ValueError("x must have no negative elements")
    if weights is not None and weights.shape != x.shape:
        raise ValueError(f"weights of shape {weights.shape} do not match x of shape {x.shape}")
    counts = xp.bincount(x, weights, minlength)
    return counts.astype(x.dtype if weights is None else weights.dtype, copy=False)


_bincount = Primitive("bincount", _bincount_forward)


def bincount(x, weights=None, minlength=0):
    """Counts keep the input's integer dtype and weighted sums the weights' dtype (MXNet;
    NumPy gives int64 and float64)."""
    return _bincount(_data("bincount", x), weights, minlength=minlength)


def _digitize_forward(xp, x, bins, right=False):
    return xp.digitize(x, bins, right=right).astype(_dtypes.INDEX, copy=False)


_digitize = Primitive("digitize", _digitize_forward)


def digitize(x, bins, right=False):
    """int64 indices of the bins the values fall in."""
    return _digitize(_data("digitize", x), _data("digitize", bins), right=right)


def _interp_forward(xp, x, xp_, fp, left=None, right=None, period=None):
    return xp.interp(x, xp_, fp, left=left, right=right, period=period)


_interp = Primitive("interp", _interp_forward)


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation; float64 as NumPy (and MXNet, which calls NumPy)."""
    if not isinstance(x, ndarray):
        x = array(onp.asarray(x, dtype=onp.float64), ctx=_data("interp", fp).device)
    return _interp(x, _data("interp", xp), _data("interp", fp), left=left, right=right,
                   period=period)
