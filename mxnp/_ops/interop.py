"""NumPy's protocols: which mxnp op answers ``numpy.f(x)`` for an mxnp array ``x``.

One registry for both. ``ufunc_op`` finds the op for a NumPy ufunc by its name in the op
registry ``OPS`` (every elementwise op is registered under NumPy's name); ``FUNCTIONS`` holds the
105 functions MXNet 1.9.1 dispatches through ``__array_function__``
(``mxnet.numpy_dispatch_protocol._NUMPY_ARRAY_FUNCTION_LIST``). Anything else is MXNet's
fallback: NumPy computes on copies of the data and NumPy arrays in the result come back as mxnp
arrays; under ``autograd.record()`` that is refused, since NumPy cannot be differentiated.
"""
from __future__ import annotations

import numpy as onp

from .._ndarray import ndarray
from .._tape import STATE
from ..base import MXNetError
from . import (creation, elementwise, gather, histograms, indexing, joining, manipulation, math,
               matrices, padding, polynomial, quantiles, reduction, shape, sorting, statistics)
from .linalg import decomp as linalg_decomp
from .linalg import einsum
from .linalg import norm as linalg_norm
from .linalg import ops as linalg_ops
from .linalg import products as linalg
from .primitive import OPS, Primitive

# NumPy ufuncs whose mxnp op is registered under another name
_UFUNC_ALIASES = {"divide": "true_divide", "remainder": "mod", "deg2rad": "radians",
                  "rad2deg": "degrees"}
_UFUNC_FUNCTIONS = {"divmod": math.divmod, "modf": math.modf, "frexp": math.frexp}


def ufunc_op(name: str):
    """The mxnp op for the NumPy ufunc called ``name``, or None."""
    return _UFUNC_FUNCTIONS.get(name) or OPS.get(_UFUNC_ALIASES.get(name, name))


def call_ufunc(op, inputs, out):
    """``numpy.<ufunc>(x, out=o)`` run by ``op``: a Primitive writes into ``out`` through
    ``call_out`` (its ``__call__`` never looks for ``out``); a function takes ``out=`` itself."""
    if out is None:
        return op(*inputs)
    return op.call_out(*inputs, out=out) if isinstance(op, Primitive) else op(*inputs, out=out)


_r, _s, _j, _m = reduction, statistics, joining, manipulation
_BY_NAME = {
    "all": _r.all, "any": _r.any, "sometrue": _s.sometrue, "argmin": _r.argmin,
    "argmax": _r.argmax, "around": elementwise.round, "round": elementwise.round,
    "argsort": sorting.argsort, "sort": sorting.sort, "append": _j.append,
    "broadcast_arrays": _m.broadcast_arrays, "broadcast_to": shape.broadcast_to,
    "clip": elementwise.clip, "concatenate": shape.concatenate, "copy": _m.copy,
    "cumsum": _s.cumsum, "diag": matrices.diag, "diagonal": matrices.diagonal,
    "diagflat": matrices.diagflat, "dot": linalg.dot, "expand_dims": shape.expand_dims,
    "fix": math.fix, "flip": _m.flip, "flipud": _m.flipud, "fliplr": _m.fliplr,
    "inner": linalg_ops.inner, "insert": _j.insert, "max": _r.max, "amax": _r.max,
    "mean": _r.mean, "min": _r.min, "amin": _r.min, "nonzero": indexing.nonzero,
    "ones_like": creation.ones_like, "atleast_1d": _m.atleast_1d, "atleast_2d": _m.atleast_2d,
    "atleast_3d": _m.atleast_3d, "prod": _r.prod, "product": _s.product, "ravel": _m.ravel,
    "repeat": _m.repeat, "reshape": shape.reshape, "roll": _m.roll, "split": shape.split,
    "array_split": _j.array_split, "hsplit": _j.hsplit, "vsplit": _j.vsplit,
    "dsplit": _j.dsplit, "squeeze": shape.squeeze, "stack": shape.stack, "std": _s.std,
    "sum": _r.sum, "swapaxes": shape.swapaxes, "take": gather.take,
    "tensordot": linalg.tensordot, "tile": _m.tile, "transpose": shape.transpose,
    "unique": sorting.unique, "unravel_index": gather.unravel_index,
    "diag_indices_from": gather.diag_indices_from, "delete": _j.delete, "var": _s.var,
    "vdot": linalg_ops.vdot, "vstack": _j.vstack, "column_stack": _j.column_stack,
    "hstack": _j.hstack, "dstack": _j.dstack, "zeros_like": creation.zeros_like,
    "shape": _m.shape, "trace": _s.trace, "tril": matrices.tril, "meshgrid": matrices.meshgrid,
    "outer": linalg.outer, "einsum": einsum.einsum, "polyval": polynomial.polyval,
    "shares_memory": _m.shares_memory, "may_share_memory": _m.may_share_memory,
    "quantile": quantiles.quantile, "percentile": quantiles.percentile, "diff": _s.diff,
    "ediff1d": _s.ediff1d, "resize": _m.resize, "where": elementwise.where,
    "full_like": creation.full_like, "bincount": histograms.bincount,
    "empty_like": creation.empty_like, "nan_to_num": math.nan_to_num, "isnan": math.isnan,
    "isfinite": math.isfinite, "isposinf": math.isposinf, "isneginf": math.isneginf,
    "isinf": math.isinf, "pad": padding.pad,
}
_LINALG = {"norm": linalg_norm.norm, "cholesky": linalg_ops.cholesky, "inv": linalg_ops.inv,
           "solve": linalg_ops.solve, "tensorinv": linalg_ops.tensorinv,
           "tensorsolve": linalg_ops.tensorsolve, "pinv": linalg_decomp.pinv,
           "eigvals": linalg_decomp.eigvals, "eig": linalg_decomp.eig,
           "eigvalsh": linalg_decomp.eigvalsh, "eigh": linalg_decomp.eigh}
# numpy.broadcast_arrays and numpy.meshgrid answer in NumPy's container: a tuple from NumPy 2 on
# (mx.np's own, as MXNet's and NumPy 1's, give a list)
if isinstance(onp.broadcast_arrays(onp.zeros(1)), tuple):
    _BY_NAME["broadcast_arrays"] = lambda *args, **kwargs: tuple(
        _m.broadcast_arrays(*args, **kwargs))
    _BY_NAME["meshgrid"] = lambda *xi, **kwargs: tuple(matrices.meshgrid(*xi, **kwargs))
# keyed by NumPy's function objects (names NumPy 2 dropped, like product, are skipped)
FUNCTIONS = {getattr(onp, n): f for n, f in _BY_NAME.items() if hasattr(onp, n)}
FUNCTIONS.update({getattr(onp.linalg, n): f for n, f in _LINALG.items()})


def numpy_fallback(func, args, kwargs):
    """MXNet's fallback: ``func`` on NumPy copies of the arrays, NumPy arrays wrapped back."""
    arrays = [a for a in _flat(args) + _flat(kwargs.values()) if isinstance(a, ndarray)]
    name = getattr(func, "__name__", repr(func))
    if STATE.recording:
        raise MXNetError(f"numpy.{name} has no mxnp op, so it cannot run under "
                         "autograd.record(); use an mxnp function or leave the record() block")
    out = func(*_to_numpy(args), **dict(zip(kwargs, _to_numpy(kwargs.values()))))
    return _to_mxnp(out, arrays[0]._device if arrays else None)


def _flat(values) -> list:
    flat = []
    for v in values:
        flat.extend(v if isinstance(v, (list, tuple)) else (v,))
    return flat


def _to_numpy(values) -> list:
    def conv(v):
        if isinstance(v, ndarray):
            return v.asnumpy()
        if isinstance(v, (list, tuple)):
            return type(v)(conv(e) for e in v)
        return v
    return [conv(v) for v in values]


def _to_mxnp(out, device):
    if isinstance(out, onp.ndarray) and out.dtype != object:
        return creation.array(out, dtype=out.dtype, ctx=device)
    if isinstance(out, (list, tuple)):
        items = [_to_mxnp(o, device) for o in out]
        return type(out)(*items) if hasattr(out, "_fields") else type(out)(items)
    return out  # NumPy scalars and Python values stay as they are, as in MXNet
