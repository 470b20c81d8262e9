"""``NDArray``: MXNet 1.x's array, a subclass of mxnp's ``ndarray`` with the legacy behaviour.

An ``NDArray`` is an mxnp ``ndarray`` whose class says "legacy": the data, the device and the
tape node are the same objects, so an op result becomes an ``NDArray`` by a class swap (no copy,
the graph untouched) and gradients flow through the one tape. What differs from the NumPy face:
printing (``\\n[1. 2.]\\n<NDArray 2 @cpu(0)>``), operators (a scalar keeps the array's dtype,
comparisons give 0/1 in the input's dtype, two arrays must share a dtype), whole-array
reductions giving shape ``(1,)``, ``reshape``'s special codes, ``flatten`` to 2-D, and the
fluent methods (``x.relu()``, ``x.slice_axis(...)``), which call the ``mx.nd`` operator of that
name from the registry.
"""
from __future__ import annotations

import ctypes
import sys
import weakref

import numpy as onp

from .. import _io, _ndarray_methods, _profiler_hook
from .. import numpy as _np
from .._mode import is_np_shape
from .._ndarray import _STR_OPTIONS, ndarray, traced_text
from .._tape import STATE
from .._ops import elementwise as _ew
from .._ops import shape as _shape
from ..base import MXNetError, OpError
from . import _registry

__all__ = ["NDArray", "legacy_shape", "nd_handle", "nd_view", "np_view", "to_nd"]

py_slice = slice  # MXNet's module name for the builtin (its tests import it from here)


def nd_view(x: ndarray) -> NDArray:
    """A new ``NDArray`` over ``x``'s data, device and tape node (``x`` itself is unchanged):
    writes show through both, and gradients reach ``x``'s variable."""
    out = object.__new__(NDArray)
    out._data, out._device, out._node = x._data, x._device, x._node
    return out


# arrays handed to C-style callbacks (the executor monitor) by a handle: NDArray(handle)
_HANDLES = weakref.WeakValueDictionary()


def nd_handle(x: NDArray) -> ctypes.c_void_p:
    """A handle for ``x`` (MXNet's ``NDArrayHandle``) that ``NDArray(handle)`` turns back into
    the array while ``x`` lives."""
    _HANDLES[id(x)] = x
    return ctypes.c_void_p(id(x))


def np_view(x: ndarray) -> ndarray:
    """A new ``mx.np.ndarray`` over ``x``'s data, device and tape node (``as_np_ndarray``)."""
    out = object.__new__(ndarray)
    out._data, out._device, out._node = x._data, x._device, x._node
    return out

# MXNet's storage-type codes, as its module has them (MXNet's test_gluon imports the table);
# every mxnp array is 'default'
_STORAGE_TYPE_STR_TO_ID = {"undefined": -1, "default": 0, "row_sparse": 1, "csr": 2}
_STORAGE_TYPE_ID_TO_STR = {code: name for name, code in _STORAGE_TYPE_STR_TO_ID.items()}


def to_nd(x, inputs=()):
    """``x`` (an mxnp array, or a list/tuple of them) as ``NDArray``: a class swap for a fresh
    result (the same object, so hybridize's tracer still knows it), a new wrapper over the same
    data and node for an np array that is one of ``inputs`` (an op may hand an input back, and
    the caller's object must keep its class).
    """
    if type(x) is ndarray:
        for a in inputs:
            if a is x:
                return nd_view(x)
        x.__class__ = NDArray
        return x
    if isinstance(x, (list, tuple)):
        return type(x)(to_nd(o, inputs) for o in x)
    return x


def at_least_1d(out):
    """``out``, or its 0-d value as shape (1,): what MXNet 1.x's operators that leave no axis
    give (reductions, ``dot`` of vectors, ``squeeze`` of ones), in np_shape mode too."""
    return _np.reshape(out, (1,)) if out.ndim == 0 else out


def legacy_shape(src: tuple, shape, reverse: bool = False) -> tuple:
    """MXNet 1.x's reshape codes: 0 copies a dimension, -1 infers one, -2 copies the rest, -3
    merges two, -4 splits one into the next two values (one may be -1); ``reverse`` matches
    from the right.
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    out = _resolve_codes(src, shape, reverse)
    size = int(onp.prod(src, dtype=onp.int64))
    if int(onp.prod(out, dtype=onp.int64)) != size:
        # MXNet raises ValueError here (its Python shape check); OpError is that and MXNetError
        raise OpError(f"reshape: cannot reshape an array of shape {src} (size {size}) into "
                      f"{tuple(out)} (codes {shape})")
    return out


def _resolve_codes(src: tuple, shape: tuple, reverse: bool = False) -> tuple:
    """The shape MXNet 1.x's reshape codes ``shape`` give for source shape ``src``, whether or
    not its size matches (``legacy_shape`` and ``NDArray.reshape`` check that)."""
    if reverse:
        return tuple(reversed(_resolve_codes(src[::-1], _reverse_codes(shape), False)))
    out, i, k, infer = [], 0, 0, None
    while k < len(shape):
        dims, used, codes = _one_code(src, i, shape, k)
        if shape[k] == -1:
            if infer is not None:  # MXNet's checks, messages included
                raise MXNetError(f"reshape: Check failed: inf_idx < 0 ({infer} vs. 0) : One "
                                 "and only one dim can be inferred")
            infer = len(out)
        out += dims
        i, k = i + used, k + codes
    size = int(onp.prod(src, dtype=onp.int64))
    if infer is not None:
        rest = int(onp.prod(out, dtype=onp.int64))
        out[infer] = size // rest if rest else 0
    return tuple(int(d) for d in out)


def _one_code(src, i, shape, k):
    """What code ``shape[k]`` makes at source axis ``i``: (new dims, source axes used, codes
    used)."""
    code = shape[k]
    if code > 0:
        return [code], 1, 1
    if code == 0:
        if i >= len(src):
            raise MXNetError(f"reshape: Check failed: src_idx < dshape_len ({i} vs. "
                             f"{len(src)}) :")
        return [src[i]], 1, 1
    if code == -1:
        return [1], 1, 1  # filled in once the other dimensions are known
    if code == -2:
        return list(src[i:]), len(src) - i, 1
    if code == -3:
        if i >= len(src) - 1:  # MXNet's check, message included
            raise MXNetError(f"reshape: Check failed: src_idx < dshape_len-1 ({i} vs. "
                             f"{len(src) - 1}) :")
        return [src[i] * src[i + 1]], 2, 1
    if code == -4:
        if k + 2 >= len(shape):  # MXNet's check, message included
            raise MXNetError(f"reshape: Check failed: i + 2 < params_len ({k + 2} vs. "
                             f"{len(shape)}) :")
        a, b = shape[k + 1], shape[k + 2]
        d = src[i] if i < len(src) else 0
        a, b = (d // b if a == -1 and b else a), (d // a if b == -1 and a else b)
        if a * b != d:  # checked after the -1 is inferred, as MXNet does
            raise MXNetError("reshape: Check failed: d1 * d2 == static_cast<IType>(d0) || "
                             f"static_cast<IType>(d0) == IType(-1): Split dims {a}, {b} do not "
                             f"divide original dim {d}")
        return [a, b], 1, 3
    raise MXNetError(f"reshape: invalid code {code} in shape {shape}")


def _reverse_codes(shape):
    """The code sequence read from the right, as MXNet reads it: simply reversed (so a -4
    group is written after its two values, ``(16, 4, -4)``)."""
    return tuple(reversed(shape))


def _op(name):
    return _registry.OPS[name].fn


def _same_dtype(name, x, y):
    if isinstance(y, ndarray) and y.dtype != x.dtype:
        raise MXNetError(f"{name}: the operands' dtypes differ ({x.dtype} {x.shape} and "
                         f"{y.dtype} {y.shape}); legacy NDArray operators need one dtype, so "
                         "cast one with .astype()")


def c_cast(values, dtype):
    """Float ``values`` converted to the integer ``dtype`` as MXNet's C++ casts them on x86:
    truncated toward zero, through int32 for the narrower types (so wrapped: ``uint8(-3.7)``
    is 253), and NaN or a value out of the int32/int64 range is that type's minimum."""
    dt = onp.dtype(dtype)
    wide = onp.dtype(onp.int64 if dt.itemsize == 8 else onp.int32)
    limit = 2.0 ** (8 * wide.itemsize - 1)
    v = onp.asarray(values, dtype=onp.float64)
    bad = ~(onp.abs(v) < limit)  # NaN too
    out = onp.where(bad, 0, onp.trunc(onp.where(bad, 0, v))).astype(wide)
    out[bad] = onp.iinfo(wide).min
    return out.astype(dt)


def legacy_scalar(array, number):
    """``number`` as MXNet 1.x's scalar operators take it beside ``array`` (a double cast to
    the array's dtype): for an integer array a float is truncated toward zero (``int32 * 2.5``
    multiplies by 2) and a number out of the dtype's range wraps (``uint8 == -1`` compares
    with 255)."""
    dt = onp.dtype(array.dtype)
    if dt.kind in "iu" and isinstance(number, (int, float, onp.number)) and \
            not isinstance(number, bool):
        info = onp.iinfo(dt)
        if isinstance(number, (float, onp.floating)) or not info.min <= number <= info.max:
            return int(c_cast(float(number), dt))
    return number


def int_power(lhs, rhs, dtype):
    """MXNet's ``power`` on integers: each a ** b computed as ``powf`` in float32 and cast back
    (``c_cast``): 7 ** 10 is 282475264, and an overflow is the dtype's minimum or wraps."""
    raws = [x._data if isinstance(x, ndarray) else x for x in (lhs, rhs)]
    if any(not isinstance(r, (onp.ndarray, int, float, onp.number)) for r in raws):
        return None  # (a device array: the elementwise op's own integer power)
    like = lhs if isinstance(lhs, ndarray) else rhs
    with onp.errstate(all="ignore"):
        values = onp.power(onp.asarray(raws[0], onp.float32).astype(onp.float64),
                           onp.asarray(raws[1], onp.float32)).astype(onp.float32)  # powf's
    return _np.array(c_cast(values, dtype), dtype=dtype, ctx=like.context)


def _refused_binary(self, other):
    """An operator MXNet 1.x's NDArray lacks: NotImplemented, so Python raises its
    ``unsupported operand type(s)`` TypeError."""
    return NotImplemented


class _AnyArray(type):
    """NDArray's metaclass. In MXNet ``mx.np.ndarray`` subclasses ``NDArray``, so code tells
    arrays from other values by ``isinstance(x, mx.nd.NDArray)``; here the classes nest the
    other way round, so ``isinstance``/``issubclass`` with NDArray answer for every mxnp array.
    mxnp's own code tells the two faces apart by ``type(x)``."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, ndarray) if cls is NDArray else type.__instancecheck__(cls, obj)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, ndarray) if cls is NDArray else type.__subclasscheck__(cls, sub)

    def __repr__(cls):
        # under the mxnet alias, type(x) shows MXNet's module, as tutorials print it
        alias = sys.modules.get("mxnet") is not None and \
            sys.modules.get("mxnet") is sys.modules.get("mxnp")
        module = cls.__module__.replace("mxnp", "mxnet", 1) if alias else cls.__module__
        return f"<class '{module}.{cls.__qualname__}'>"


class NDArray(ndarray, metaclass=_AnyArray):
    """MXNet 1.x's array (``mx.nd.NDArray``) on mxnp's tape and storage."""

    __slots__ = ()
    __hash__ = ndarray.__hash__

    def __new__(cls, shape=(), dtype="float32", ctx=None, writable=True):
        """An uninitialised array (prefer nd.empty), or, given a handle (``NDArray(handle,
        writable=False)``, as in MXNet's monitor callbacks), the array it stands for."""
        if isinstance(shape, ctypes.c_void_p):
            array = _HANDLES.get(shape.value)
            if array is None:
                raise MXNetError(f"NDArray: {shape!r} is not the handle of a live array")
            return array
        return to_nd(ndarray.__new__(ndarray, shape, dtype=dtype, ctx=ctx))

    @property
    def dtype(self) -> type:
        """The element type as MXNet 1.x gives it: NumPy's scalar type (``numpy.float32``),
        not a ``numpy.dtype`` as ``mx.np`` arrays have."""
        return self._data.dtype.type

    @property
    def T(self) -> NDArray:
        """The axes reversed; an array of fewer than two axes is itself (MXNet's)."""
        return self if self.ndim < 2 else to_nd(ndarray.T.fget(self))

    @property
    def grad(self):
        """The gradient buffer after ``attach_grad()``, as an NDArray (of the storage type
        asked there, or this array's); else None."""
        g = ndarray.grad.fget(self)
        if g is None:
            return None
        stype = getattr(getattr(self._node, "owner", None), "stype", "default")
        if stype == "default":
            return to_nd(g)
        from . import sparse  # here: sparse imports this module

        return sparse.as_stype(to_nd(g), stype)

    def attach_grad(self, grad_req="write", stype=None) -> None:
        """Make this array a variable with a zeroed gradient buffer of storage ``stype``
        (default: this array's own), as MXNet 1.x."""
        ndarray.attach_grad(self, grad_req)
        stype = stype or self.stype
        if stype != "default":
            from . import sparse  # here: sparse imports this module

            # the leaf's buffer seen in that storage: the grad property shows it so
            self._node.owner = sparse.as_stype(to_nd(ndarray.grad.fget(self)), stype)

    def __repr__(self) -> str:
        """MXNet's layout: the values, then ``<NDArray 2x3 @cpu(0)>`` (``<Symbol name>`` in a
        hybridized body's traced run, as MXNet's symbols print)."""
        text = traced_text(self)
        if text is not None:
            return text
        shape = "x".join(str(d) for d in self.shape)
        with onp.printoptions(**_STR_OPTIONS):  # NumPy 1.x's layout, as MXNet 1.9.1 prints
            values = str(self.asnumpy())
        return f"\n{values}\n<NDArray {shape} @{self.context}>"

    __str__ = __repr__

    def __reduce__(self):
        """Pickled by value (for worker processes), as an NDArray again."""
        data, device = ndarray.__reduce__(self)[1]
        return _rebuild, (data, device)

    def __getstate__(self) -> dict:
        """``{'handle': bytes}``: the array in MXNet's one-array file layout (what
        ``MXNDArraySaveRawBytes`` writes); ``__setstate__`` reads it back."""
        return {"handle": bytearray(_io.array_to_bytes(self, legacy=not is_np_shape()))}

    def __setstate__(self, state: dict) -> None:
        """Take the array in ``state['handle']`` (MXNet's raw bytes of one array) as this
        array's data, device and dtype; an array saved on a GPU loads on the CPU when none
        is in use, as MXNet's CPU build does."""
        if state.get("handle") is not None:
            new = _io.array_from_bytes(state["handle"], "NDArray.__setstate__")
            self._data, self._device, self._node = new._data, new._device, None

    # a NumPy scalar on the left (onp.float32(2) + x): MXNet's NDArray has no __array_ufunc__,
    # so NumPy defers to the NDArray's reflected operator, with the legacy dtype rules
    _UFUNC_OPERATORS = {
        "add": ("__add__", "__radd__"), "subtract": ("__sub__", "__rsub__"),
        "multiply": ("__mul__", "__rmul__"), "true_divide": ("__truediv__", "__rtruediv__"),
        "divide": ("__truediv__", "__rtruediv__"), "remainder": ("__mod__", "__rmod__"),
        "power": ("__pow__", "__rpow__"), "equal": ("__eq__", "__eq__"),
        "not_equal": ("__ne__", "__ne__"), "less": ("__lt__", "__gt__"),
        "less_equal": ("__le__", "__ge__"), "greater": ("__gt__", "__lt__"),
        "greater_equal": ("__ge__", "__le__")}

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``onp.float32(2) + x`` is ``x.__radd__(2.0)`` (an NDArray, as MXNet); other ufuncs
        run mxnp's op and give an NDArray."""
        names = self._UFUNC_OPERATORS.get(ufunc.__name__)
        if names and method == "__call__" and not kwargs and len(inputs) == 2:
            a, b = (v.item() if isinstance(v, onp.generic) or
                    (type(v) is onp.ndarray and v.ndim == 0) else v for v in inputs)
            if b is self and isinstance(a, (int, float)):  # NumPy makes 0-d arrays of scalars
                return getattr(self, names[1])(a)
            if a is self and isinstance(b, (int, float)):
                return getattr(self, names[0])(b)
        out = ndarray.__array_ufunc__(self, ufunc, method, *inputs, **kwargs)
        return to_nd(out, inputs) if type(out) is ndarray else out

    def __format__(self, spec: str) -> str:
        """``str(self)`` for an empty spec; any other spec raises as MXNet 1.x's NDArray
        (which has only ``object.__format__``): format ``x.asscalar()`` instead."""
        if spec:
            raise TypeError("unsupported format string passed to NDArray.__format__")
        return str(self)

    # ---- conversion and devices -----------------------------------------------------------
    def detach(self) -> NDArray:
        return to_nd(ndarray.detach(self))

    def astype(self, dtype, copy=True) -> NDArray:
        """A copy in ``dtype`` (``copy=False``: this array itself when it already has it)."""
        if not copy and onp.dtype("float32" if dtype is None else dtype) == self.dtype:
            return self
        return to_nd(ndarray.astype(self, dtype, copy=True))

    def copy(self) -> NDArray:
        return to_nd(ndarray.copy(self))

    def copyto(self, other):
        """Copy into ``other`` (an array, returned) or onto a context (a new NDArray)."""
        return to_nd(ndarray.copyto(self, other), (other,))

    def as_in_context(self, context) -> NDArray:
        """This array on ``context``: itself when it is already there."""
        return to_nd(ndarray.as_in_ctx(self, context), (self,))

    as_in_ctx = as_in_context

    def as_np_ndarray(self) -> ndarray:
        """The same data and graph entry as an ``mx.np.ndarray``."""
        return np_view(self)

    def as_nd_ndarray(self) -> NDArray:
        return self

    def asscalar(self):
        """The one value as a NumPy scalar of this dtype."""
        if self.size != 1:
            raise ValueError(f"asscalar: the array has shape {self.shape}, not one element")
        return self.asnumpy().reshape(())[()]

    def tostype(self, stype):
        """The same values in ``stype`` storage ('default', 'csr' or 'row_sparse')."""
        return _op("cast_storage")(self, stype=stype)

    @property
    def handle(self):
        """No C handle exists; the raw backend array stands in for code that tests for one."""
        return self._data

    # ---- indexing --------------------------------------------------------------------------
    @staticmethod
    def _basic_indexing_slice_is_contiguous(slc_key, shape) -> bool:
        """Whether basic indexing with ``slc_key`` (one slice per axis of ``shape``) keeps
        the data contiguous, the case where MXNet (and mxnp) give a view that writes
        through rather than a copy; NumPy's flags answer, as in mxnp's indexing."""
        strides = [int(onp.prod(shape[i + 1:], dtype=onp.int64)) for i in range(len(shape))]
        probe = onp.lib.stride_tricks.as_strided(onp.empty(1, onp.uint8), tuple(shape), strides)
        return bool(probe[tuple(slc_key)].flags.c_contiguous)

    def __getitem__(self, key) -> NDArray:
        """MXNet 1.x has no 0-d arrays (unless ``np_shape`` is on): one element is shape (1,)."""
        out = ndarray.__getitem__(self, _index_key(key))
        if out.ndim == 0 and not is_np_shape():
            out = _np.reshape(out, (1,))
        return to_nd(out)

    def __setitem__(self, key, value) -> None:
        if isinstance(value, (onp.ndarray, list, tuple)):  # MXNet takes host values here
            value = _np.array(value, dtype=self.dtype, ctx=self.context)
        ndarray.__setitem__(self, _index_key(key), value)

    # ---- operators: legacy dtype rules, NDArray results -----------------------------------
    def _arith(self, prim, other, reflect=False):
        # legacy rules between NDArrays and numbers only: with an np array the np operator
        # answers (so the np composites behind the operators never meet a legacy rule)
        if type(type(other)) is not _AnyArray and \
                not isinstance(other, (int, float, bool, onp.generic)):
            return NotImplemented
        _same_dtype(prim.name, self, other)
        if _profiler_hook.recorder is not None:  # timed under MXNet's operator name
            return _profiler_hook.as_operator(_operator_name(prim.name, other, reflect),
                                              self._arith_run, prim, other, reflect)
        return self._arith_run(prim, other, reflect)

    def _arith_run(self, prim, other, reflect):
        out = None
        if prim is _ew.power and onp.dtype(self.dtype).kind in "iu":
            other = legacy_scalar(self, other)
            out = int_power(other, self, self.dtype) if reflect else \
                int_power(self, other, self.dtype)
        if out is None:
            out = prim(legacy_scalar(self, other), self) if reflect else \
                prim(self, legacy_scalar(self, other))
        if out.dtype != self.dtype:  # a scalar operand or a comparison: the array's dtype
            out = out.astype(self.dtype)
        out.__class__ = NDArray  # a fresh result: the class swap keeps its tape node
        if self.stype != "default" or getattr(other, "stype", "default") != "default":
            out = _sparse_result(prim.name, self, other, reflect, out)
        return out

    def __add__(self, o): return self._arith(_ew.add, o)
    def __radd__(self, o): return self._arith(_ew.add, o, True)
    def __sub__(self, o): return self._arith(_ew.subtract, o)
    def __rsub__(self, o): return self._arith(_ew.subtract, o, True)
    def __mul__(self, o): return self._arith(_ew.multiply, o)
    def __rmul__(self, o): return self._arith(_ew.multiply, o, True)
    def __truediv__(self, o): return self._arith(_ew.true_divide, o)
    def __rtruediv__(self, o): return self._arith(_ew.true_divide, o, True)
    __div__, __rdiv__ = __truediv__, __rtruediv__
    def __mod__(self, o): return self._arith(_ew.mod, o)
    def __rmod__(self, o): return self._arith(_ew.mod, o, True)
    def __pow__(self, o): return self._arith(_ew.power, o)
    def __rpow__(self, o): return self._arith(_ew.power, o, True)
    def __eq__(self, o): return False if o is None else self._arith(_ew.equal, o)
    def __ne__(self, o): return True if o is None else self._arith(_ew.not_equal, o)
    def __lt__(self, o): return self._arith(_ew.less, o)
    def __le__(self, o): return self._arith(_ew.less_equal, o)
    def __gt__(self, o): return self._arith(_ew.greater, o)
    def __ge__(self, o): return self._arith(_ew.greater_equal, o)
    def __iadd__(self, o): return self._inplace(self + o, "+=")
    def __isub__(self, o): return self._inplace(self - o, "-=")
    def __imul__(self, o): return self._inplace(self * o, "*=")
    def __itruediv__(self, o): return self._inplace(self / o, "/=")
    def __imod__(self, o): return self._inplace(self % o, "%=")
    def __neg__(self): return _op("negative")(self)
    def __abs__(self): return _op("abs")(self)

    # MXNet 1.x's NDArray has no bitwise, floor-division or matrix-product operators, no
    # unary +, round() or contains-test of its own: those raise Python's own TypeErrors
    # (the inherited NumPy-style ones would answer with an mx.np array)
    __and__ = __rand__ = __iand__ = __or__ = __ror__ = __ior__ = _refused_binary
    __xor__ = __rxor__ = __ixor__ = __lshift__ = __rlshift__ = __ilshift__ = _refused_binary
    __rshift__ = __rrshift__ = __irshift__ = _refused_binary
    __floordiv__ = __rfloordiv__ = __ifloordiv__ = _refused_binary
    __matmul__ = __rmatmul__ = __imatmul__ = _refused_binary

    def __pos__(self):
        """Refused, as MXNet 1.x's NDArray has no unary +."""
        raise TypeError("bad operand type for unary +: 'NDArray'")

    def __invert__(self):
        """Refused, as MXNet 1.x's NDArray has no unary ~."""
        raise TypeError("bad operand type for unary ~: 'NDArray'")

    def __bool__(self) -> bool:
        """As the array face's, with MXNet 1.x's message naming NDArray."""
        try:
            return ndarray.__bool__(self)
        except ValueError:
            raise ValueError("The truth value of an NDArray with multiple elements is "
                             "ambiguous.") from None

    def __float__(self):
        """Refused, as MXNet 1.x's NDArray (read ``x.asscalar()``)."""
        raise TypeError("float() argument must be a string or a real number, not 'NDArray'")

    def __int__(self):
        """Refused, as MXNet 1.x's NDArray (read ``x.asscalar()``)."""
        raise TypeError("int() argument must be a string, a bytes-like object or a real "
                        "number, not 'NDArray'")

    def __complex__(self):
        """Refused, as MXNet 1.x's NDArray."""
        raise TypeError("complex() first argument must be a string or a number, not 'NDArray'")

    def __round__(self, ndigits=None):
        """Refused, as MXNet 1.x's NDArray has no round()."""
        raise TypeError("type NDArray doesn't define __round__ method")

    def __contains__(self, value) -> bool:
        """Python's fallback for a class without ``__contains__``, as MXNet 1.x's NDArray
        gets it: each item along the first axis ``is`` or ``==`` the value, which raises for
        an item of several elements."""
        return any(item is value or bool(item == value) for item in self)

    # ---- methods whose legacy meaning differs from NumPy's -------------------------------
    def reshape(self, *shape, **kwargs) -> NDArray:
        """``reshape((2, -1))``, ``reshape(2, -1)`` or ``reshape(shape=...)``, with MXNet's
        codes (0, -1, -2, -3, -4) and ``reverse=``; as MXNet's, the result is a view that
        shares this array's data (writes to either show in both).
        """
        reverse = kwargs.pop("reverse", False)
        if "shape" in kwargs:
            shape = kwargs.pop("shape")
        elif len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        if kwargs:
            raise TypeError(f"reshape: unexpected arguments {sorted(kwargs)}")
        codes = (shape,) if isinstance(shape, int) else tuple(shape)
        target = _resolve_codes(self.shape, codes, reverse)
        size, wanted = self.size, int(onp.prod(target, dtype=onp.int64))
        if wanted > size:  # MXNet's two checks: the C library's, then its Python method's
            raise MXNetError(f"NDArray.Reshape: Check failed: shape_.Size() >= shape.Size() "
                             f"({size} vs. {wanted}) : target shape size is larger than the "
                             "current shape")
        if wanted < size and STATE.recording:
            raise MXNetError(f"NDArray.Reshape: Check failed: shape_.Size() == shape.Size() "
                             f"({size} vs. {wanted}) : target shape must have the same size as "
                             "current shape when recording with autograd.")
        if wanted < size:
            raise ValueError(f"Cannot reshape array of size {size} into shape {shape}")
        out = _shape._reshape(self, shape=target, copy=False)
        out._device = self._device  # a view: it stays in pinned/shared memory, as MXNet's
        return to_nd(out)

    def flatten(self, inplace=False) -> NDArray:
        """The array as 2-D: the first axis kept, the others merged (MXNet's Flatten);
        ``inplace=True`` gives a view that shares this array's data."""
        return self.reshape((0, -1)) if inplace else _op("flatten")(self)

    def sum(self, *args, **kwargs): return _op("sum")(self, *args, **kwargs)
    def mean(self, *args, **kwargs): return _op("mean")(self, *args, **kwargs)
    def max(self, *args, **kwargs): return _op("max")(self, *args, **kwargs)
    def min(self, *args, **kwargs): return _op("min")(self, *args, **kwargs)
    def prod(self, *args, **kwargs): return _op("prod")(self, *args, **kwargs)
    def nansum(self, *args, **kwargs): return _op("nansum")(self, *args, **kwargs)
    def nanprod(self, *args, **kwargs): return _op("nanprod")(self, *args, **kwargs)
    def argmax(self, *args, **kwargs): return _op("argmax")(self, *args, **kwargs)
    def argmin(self, *args, **kwargs): return _op("argmin")(self, *args, **kwargs)
    def argmax_channel(self, *args, **kwargs): return _op("argmax_channel")(self, *args, **kwargs)
    def norm(self, *args, **kwargs): return _op("norm")(self, *args, **kwargs)
    def transpose(self, *args, **kwargs): return _op("transpose")(self, *args, **kwargs)
    def swapaxes(self, *args, **kwargs): return _op("swapaxes")(self, *args, **kwargs)
    def squeeze(self, axis=None, inplace=False) -> NDArray:
        """Size-1 axes removed (those in ``axis``, or all; one is left of a shape of ones);
        ``inplace=True`` gives a view that shares this array's data."""
        if not inplace:
            return _op("squeeze")(self, axis=axis)
        return self.reshape(onp.squeeze(_shape_only(self.shape), axis).shape or (1,))

    def expand_dims(self, axis, inplace=False) -> NDArray:
        """A new size-1 axis at ``axis``; ``inplace=True`` gives a view that shares this
        array's data."""
        if not inplace:
            return _op("expand_dims")(self, axis=axis)
        return self.reshape(onp.expand_dims(_shape_only(self.shape), axis).shape)
    def split(self, *args, **kwargs): return _op("split")(self, *args, **kwargs)
    def split_v2(self, *args, **kwargs):
        from ._shape import split_v2  # here: _shape imports this module

        return split_v2(self, *args, **kwargs)
    def broadcast_to(self, shape) -> NDArray:
        """``shape`` from this array's axes of size 1 (new ones on the left). As MXNet's method
        (not its operator), every other axis must equal ``shape``'s: 0 is not "keep"."""
        shape = tuple(shape)
        cur = (1,) * (len(shape) - self.ndim) + self.shape
        if len(shape) < self.ndim or any(c not in (1, s) for c, s in zip(cur, shape)):
            raise ValueError(f"broadcast_to: operands could not be broadcast together with "
                             f"remapped shapes[original->remapped]: {self.shape} and requested "
                             f"shape {shape}")
        return _op("broadcast_to")(self.reshape(cur) if cur != self.shape else self, shape=shape)
    def broadcast_like(self, *args, **kwargs): return _op("broadcast_like")(self, *args, **kwargs)
    def broadcast_axes(self, *args, **kwargs): return _op("broadcast_axes")(self, *args, **kwargs)
    def reshape_like(self, *args, **kwargs): return _op("reshape_like")(self, *args, **kwargs)
    def clip(self, *args, **kwargs): return _op("clip")(self, *args, **kwargs)
    def round(self, *args, **kwargs): return _op("round")(self, *args, **kwargs)
    def tile(self, *args, **kwargs): return _op("tile")(self, *args, **kwargs)
    def repeat(self, *args, **kwargs): return _op("repeat")(self, *args, **kwargs)
    def pad(self, *args, **kwargs): return _op("pad")(self, *args, **kwargs)
    def flip(self, *args, **kwargs): return _op("flip")(self, *args, **kwargs)
    def take(self, *args, **kwargs): return _op("take")(self, *args, **kwargs)
    def pick(self, *args, **kwargs): return _op("pick")(self, *args, **kwargs)
    def one_hot(self, *args, **kwargs): return _op("one_hot")(self, *args, **kwargs)
    def topk(self, *args, **kwargs): return _op("topk")(self, *args, **kwargs)
    def sort(self, *args, **kwargs): return _op("sort")(self, *args, **kwargs)
    def argsort(self, *args, **kwargs): return _op("argsort")(self, *args, **kwargs)
    def slice(self, *args, **kwargs): return _op("slice")(self, *args, **kwargs)
    def slice_axis(self, *args, **kwargs): return _op("slice_axis")(self, *args, **kwargs)
    def slice_like(self, *args, **kwargs): return _op("slice_like")(self, *args, **kwargs)
    def diag(self, *args, **kwargs): return _op("diag")(self, *args, **kwargs)
    def depth_to_space(self, *args, **kwargs): return _op("depth_to_space")(self, *args, **kwargs)
    def space_to_depth(self, *args, **kwargs): return _op("space_to_depth")(self, *args, **kwargs)
    def zeros_like(self, *args, **kwargs): return _op("zeros_like")(self, *args, **kwargs)
    def ones_like(self, *args, **kwargs): return _op("ones_like")(self, *args, **kwargs)
    def shape_array(self, *args, **kwargs): return _op("shape_array")(self, *args, **kwargs)
    def size_array(self, *args, **kwargs): return _op("size_array")(self, *args, **kwargs)
    def softmax(self, *args, **kwargs): return _op("softmax")(self, *args, **kwargs)
    def log_softmax(self, *args, **kwargs): return _op("log_softmax")(self, *args, **kwargs)
    def softmin(self, *args, **kwargs): return _op("softmin")(self, *args, **kwargs)
    def relu(self): return _op("relu")(self)
    def sigmoid(self): return _op("sigmoid")(self)
    def abs(self): return _op("abs")(self)
    def sign(self): return _op("sign")(self)
    def sqrt(self): return _op("sqrt")(self)
    def rsqrt(self): return _op("rsqrt")(self)
    def cbrt(self): return _op("cbrt")(self)
    def rcbrt(self): return _op("rcbrt")(self)
    def square(self): return _op("square")(self)
    def reciprocal(self): return _op("reciprocal")(self)
    def exp(self): return _op("exp")(self)
    def expm1(self): return _op("expm1")(self)
    def log(self): return _op("log")(self)
    def log10(self): return _op("log10")(self)
    def log2(self): return _op("log2")(self)
    def log1p(self): return _op("log1p")(self)
    def sin(self): return _op("sin")(self)
    def cos(self): return _op("cos")(self)
    def tan(self): return _op("tan")(self)
    def arcsin(self): return _op("arcsin")(self)
    def arccos(self): return _op("arccos")(self)
    def arctan(self): return _op("arctan")(self)
    def sinh(self): return _op("sinh")(self)
    def cosh(self): return _op("cosh")(self)
    def tanh(self): return _op("tanh")(self)
    def arcsinh(self): return _op("arcsinh")(self)
    def arccosh(self): return _op("arccosh")(self)
    def arctanh(self): return _op("arctanh")(self)
    def degrees(self): return _op("degrees")(self)
    def radians(self): return _op("radians")(self)
    def floor(self): return _op("floor")(self)
    def ceil(self): return _op("ceil")(self)
    def rint(self): return _op("rint")(self)
    def fix(self): return _op("fix")(self)
    def trunc(self): return _op("trunc")(self)


_ndarray_methods.bind_legacy_view(nd_view)  # np.ndarray.as_nd_ndarray() gives nd_view(x)


# the legacy operator each operator dunder stands for, for the sparse storage rule: MXNet's
# sparse arrays take the element-wise operator (division by a dense array the broadcasting
# one), dense arrays always the broadcasting one
_ARRAY_OPS = {"add": "elemwise_add", "subtract": "elemwise_sub", "multiply": "elemwise_mul",
              "true_divide": "elemwise_div"}
_BROADCAST_OPS = {"add": "broadcast_add", "subtract": "broadcast_sub",
                  "multiply": "broadcast_mul", "true_divide": "broadcast_div"}
_SCALAR_OPS = {("add", False): "_plus_scalar", ("add", True): "_plus_scalar",
               ("subtract", False): "_minus_scalar", ("subtract", True): "_rminus_scalar",
               ("multiply", False): "_mul_scalar", ("multiply", True): "_mul_scalar",
               ("true_divide", False): "_div_scalar", ("equal", False): "_equal_scalar",
               ("not_equal", False): "_not_equal_scalar", ("greater", False): "_greater_scalar",
               ("greater_equal", False): "_greater_equal_scalar",
               ("less", False): "_lesser_scalar", ("less_equal", False): "_lesser_equal_scalar",
               ("greater", True): "_lesser_scalar", ("less", True): "_greater_scalar",
               ("greater_equal", True): "_lesser_equal_scalar",
               ("less_equal", True): "_greater_equal_scalar", ("equal", True): "_equal_scalar",
               ("not_equal", True): "_not_equal_scalar"}


def _operator_name(name, other, reflect) -> str:
    """The MXNet operator an NDArray operator runs (``broadcast_add``, ``_rminus_scalar``)."""
    if isinstance(other, ndarray):
        return "broadcast_" + {"subtract": "sub", "multiply": "mul", "true_divide": "div",
                               "less": "lesser", "less_equal": "lesser_equal"}.get(name, name)
    return _SCALAR_OPS.get((name, reflect), name)


def _sparse_result(name, x, other, reflect, out):
    """``out`` (``x`` op ``other``) in the storage MXNet's operator for the dunder gives."""
    from . import sparse  # here: sparse imports this module

    if isinstance(other, ndarray):
        sparse_lhs = x.stype != "default"
        ops = _ARRAY_OPS if sparse_lhs and not (name == "true_divide" and
                                                other.stype == "default") else _BROADCAST_OPS
        op, inputs, attrs = ops.get(name, name), (x, other), {}
    else:
        op, inputs, attrs = _SCALAR_OPS.get((name, reflect), name), (x,), {"scalar": other}
    like = inputs if sparse.keeps_structure(op) else ()
    return sparse.as_stype(out, sparse.storage_type(op, inputs, attrs, out), like)


def _rebuild(data, device):
    return to_nd(_np.array(data, dtype=data.dtype, ctx=device))


def _shape_only(shape: tuple) -> onp.ndarray:
    """A NumPy array of ``shape`` that allocates nothing, for NumPy's shape rules."""
    return onp.broadcast_to(onp.empty((), dtype=onp.uint8), shape)


def _index_key(key):
    """Legacy indexing takes float NDArray indices (MXNet's default dtype): cast them."""
    if isinstance(key, ndarray) and onp.dtype(key.dtype).kind == "f":
        return key.astype("int64")
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    return key
