"""The ndarray methods that mirror np functions and MXNet operators, one line each.

MXNet 1.9.1 lists about 60 of these in ``dir(ndarray)`` but raises when they are called; here
each has NumPy's meaning, or for MXNet-only names (``slice_axis``, ``softmin``, ``pick`` ...)
the meaning of MXNet's operator of the same name.
"""
from __future__ import annotations

import importlib

# ruff: noqa: E704

# The op modules these methods call. The op layer imports ndarray, so ndarray cannot import it:
# the seam (mxnp/_ops/__init__.py) hands the modules over once, through bind_ops, as the op
# layer finishes importing and before any op can run.
_creation = _ew = _gather = _indexing = _legacy = _linalg_norm = _manip = _math = None
_matrices = _nn = _padding = _red = _sorting = _stats = None


def bind_ops(creation, elementwise, gather, indexing, legacy, linalg_norm, manipulation, math,
             matrices, nn, padding, reduction, sorting, statistics) -> None:
    """Called once, by the seam: the op modules the methods below forward to."""
    global _creation, _ew, _gather, _indexing, _legacy, _linalg_norm, _manip, _math
    global _matrices, _nn, _padding, _red, _sorting, _stats
    _creation, _ew, _gather, _indexing, _legacy = creation, elementwise, gather, indexing, legacy
    _linalg_norm, _manip, _math, _matrices, _nn = linalg_norm, manipulation, math, matrices, nn
    _padding, _red, _sorting, _stats = padding, reduction, sorting, statistics


_LEGACY = {"view": None}


def bind_legacy_view(view) -> None:
    """Called once, by ``mxnp.ndarray.ndarray``: ``view(x)`` makes the NDArray of
    ``as_nd_ndarray``."""
    _LEGACY["view"] = view


class NdarrayMethods:
    """Mixed into ``ndarray``: methods that only forward to an np / npx function."""

    __slots__ = ()

    # ---- elementwise math ---------------------------------------------------------------------
    def abs(self): return _ew.abs(self)
    def arccos(self): return _ew.arccos(self)
    def arccosh(self): return _ew.arccosh(self)
    def arcsin(self): return _ew.arcsin(self)
    def arcsinh(self): return _ew.arcsinh(self)
    def arctan(self): return _ew.arctan(self)
    def arctanh(self): return _ew.arctanh(self)
    def cbrt(self): return _math.cbrt(self)
    def ceil(self): return _ew.ceil(self)
    def cos(self): return _ew.cos(self)
    def cosh(self): return _ew.cosh(self)
    def degrees(self): return _math.degrees(self)
    def exp(self): return _ew.exp(self)
    def expm1(self): return _math.expm1(self)
    def fix(self): return _math.fix(self)
    def floor(self): return _ew.floor(self)
    def log(self): return _ew.log(self)
    def log10(self): return _math.log10(self)
    def log1p(self): return _math.log1p(self)
    def log2(self): return _math.log2(self)
    def radians(self): return _math.radians(self)
    def reciprocal(self): return _math.reciprocal(self)
    def rint(self): return _math.rint(self)
    def sign(self): return _ew.sign(self)
    def sin(self): return _ew.sin(self)
    def sinh(self): return _ew.sinh(self)
    def sqrt(self): return _ew.sqrt(self)
    def square(self): return _ew.square(self)
    def tan(self): return _ew.tan(self)
    def tanh(self): return _ew.tanh(self)
    def trunc(self): return _math.trunc(self)
    def rsqrt(self): return _legacy.rsqrt(self)
    def rcbrt(self): return _legacy.rcbrt(self)

    # ---- reductions and scans -----------------------------------------------------------------
    def cumsum(self, axis=None, dtype=None, out=None):
        return _stats.cumsum(self, axis=axis, dtype=dtype, out=out)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _stats.std(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _stats.var(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)

    def nansum(self, axis=None, dtype=None, out=None, keepdims=False):
        """Sum treating NaN as zero (MXNet's nansum operator)."""
        return _red.sum(_ew.where(self != self, 0, self), axis=axis, dtype=dtype, out=out,
                       keepdims=keepdims)

    def nanprod(self, axis=None, dtype=None, out=None, keepdims=False):
        """Product treating NaN as one (MXNet's nanprod operator)."""
        return _red.prod(_ew.where(self != self, 1, self), axis=axis, dtype=dtype, out=out,
                        keepdims=keepdims)

    def norm(self, ord=None, axis=None, keepdims=False):
        return _linalg_norm.norm(self, ord=ord, axis=axis, keepdims=keepdims)

    # ---- sorting, searching, gathering --------------------------------------------------------
    def argsort(self, axis=-1, kind=None, order=None):
        return _sorting.argsort(self, axis=axis, kind=kind, order=order)

    def sort(self, axis=-1, kind=None, order=None):
        """Sort in place, as NumPy (MXNet 1.9.1's method is broken)."""
        if axis is None and self.ndim > 1:  # NumPy refuses it too: the shape would change
            raise TypeError(f"sort: an in-place sort needs an integer axis for a "
                            f"{self.ndim}-d array, got None (np.sort(x, axis=None) flattens)")
        self[...] = _sorting.sort(self, axis=axis, kind=kind, order=order)

    def take(self, indices, axis=None, out=None, mode="raise"):
        return _gather.take(self, indices, axis=axis, out=out, mode=mode)

    def nonzero(self): return _indexing.nonzero(self)
    def diag(self, k=0): return _matrices.diag(self, k=k)
    def argmax_channel(self): return _legacy.argmax_channel(self)
    def pick(self, index, axis=-1, mode="clip", keepdims=False):
        return _nn.pick(self, index, axis=axis, mode=mode, keepdims=keepdims)

    def one_hot(self, depth, on_value=1.0, off_value=0.0, dtype="float32"):
        return _nn.one_hot(self, depth, on_value=on_value, off_value=off_value, dtype=dtype)

    def topk(self, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32"):
        return _nn.topk(self, axis=axis, k=k, ret_typ=ret_typ, is_ascend=is_ascend, dtype=dtype)

    # ---- shape and copies ---------------------------------------------------------------------
    def repeat(self, repeats, axis=None): return _manip.repeat(self, repeats, axis=axis)
    def tile(self, reps): return _manip.tile(self, reps)
    def flip(self, axis=None): return _manip.flip(self, axis=axis)
    def pad(self, pad_width, mode="constant", **kwargs):
        return _padding.pad(self, pad_width, mode=mode, **kwargs)

    def zeros_like(self, dtype=None): return _creation.zeros_like(self, dtype=dtype)
    def ones_like(self, dtype=None): return _creation.ones_like(self, dtype=dtype)
    def reshape_like(self, other): return _legacy.reshape_like(self, other)
    def reshape_view(self, *shape): return self.reshape(*shape)
    def broadcast_like(self, other, lhs_axes=None, rhs_axes=None):
        return _legacy.broadcast_like(self, other, lhs_axes, rhs_axes)

    def broadcast_axes(self, axis=(), size=()): return _legacy.broadcast_axes(self, axis, size)
    def shape_array(self): return _legacy.shape_array(self)
    def size_array(self): return _legacy.size_array(self)
    def slice(self, begin, end, step=None): return _legacy.slice(self, begin, end, step)
    def slice_axis(self, axis, begin, end): return _legacy.slice_axis(self, axis, begin, end)
    def slice_like(self, shape_like, axes=()): return _legacy.slice_like(self, shape_like, axes)
    def split_v2(self, indices_or_sections, axis=0, squeeze_axis=False):
        return _legacy.split_v2(self, indices_or_sections, axis, squeeze_axis)

    def depth_to_space(self, block_size): return _legacy.depth_to_space(self, block_size)
    def space_to_depth(self, block_size): return _legacy.space_to_depth(self, block_size)

    def slice_assign(self, rhs, begin, end, step=None):
        """Write ``rhs`` into ``self[begin:end:step]`` in place and return self (MXNet)."""
        self[tuple(slice(b, e, s) for b, e, s in zip(begin, end, step or (None,) * len(begin)))] \
            = rhs
        return self

    def slice_assign_scalar(self, value, begin, end, step=None):
        return self.slice_assign(value, begin, end, step)

    # ---- activations (npx) --------------------------------------------------------------------
    def relu(self): return _nn.relu(self)
    def sigmoid(self): return _nn.sigmoid(self)
    def softmax(self, axis=-1, temperature=None):
        return _nn.softmax(self, axis=axis, temperature=temperature)

    def log_softmax(self, axis=-1, temperature=None):
        return _nn.log_softmax(self, axis, temperature=temperature)

    def softmin(self, axis=-1, temperature=None): return _nn.softmin(self, axis, temperature)

    # ---- interop ------------------------------------------------------------------------------
    def as_nd_ndarray(self):
        """This array as MXNet 1.x's ``mx.nd.NDArray``: a new object over the same data and tape
        node (writes show through both; gradients reach this array's variable)."""
        if _LEGACY["view"] is None:
            # mx.nd (layer 5) registers the view when it loads; the core cannot import it
            importlib.import_module("mxnp.ndarray")
        return _LEGACY["view"](self)

    def to_dlpack_for_read(self): return self._data.__dlpack__()
    def to_dlpack_for_write(self): return self._data.__dlpack__()
