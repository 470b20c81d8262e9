"""The ``ndarray`` type: one raw backend array, its device, and its place on the tape.

Every operator and method is a thin call into an op. Printing follows MXNet 1.9.1: NumPy's
layout, with the ``dtype=`` suffix dropped for float32 and bool and added for every other dtype.
"""
from __future__ import annotations

import warnings

import numpy as onp

from . import _backend
from ._ndarray_methods import NdarrayMethods
from ._tape import STATE, Leaf
from .base import MXNetError, OpError

# The op modules the methods call. The op layer imports ndarray, so ndarray cannot import it:
# the seam (mxnp/_ops/__init__.py) hands them over through bind_ops as the op layer finishes
# importing, before any op can run.
_creation = _ew = _indexing = _interop = _linalg = _red = _shape = None
_binary = None  # primitive.binary (or its general form), set by use_fast_paths
_autograd = None  # mxnp.autograd, imported by the first backward (see ndarray.backward)

_GRAD_REQS = ("write", "add", "null")
_WARNED: dict = {}  # the registry of the warnings attributed to this module
# MXNet 1.9.1's words (its check in imperative.cc), after the operation's name
_INPLACE_IN_GRAPH = ("{op}: Assigning to NDArrays that are already in a computational graph "
                     "will cause undefined behavior when evaluating gradients. Please call "
                     "backward first to clear the graph or do this out side of a record section. "
                     "Also note that you cannot use inplace operations like +=, *=, "
                     "relu(x, out=x), y[idx]=x, etc inside a record section.")
_INPLACE_RECORDED = ("{op}: Inplace operations (+=, -=, x[:]=, etc) are not supported when "
                     "recording with autograd.")

# NumPy >= 2.2 appends ", shape=(...)" to the repr of a summarised array; MXNet 1.9.1 (on
# NumPy 1.x) prints `array([   0.,    1., ..., 1000.])` with no shape, so ask for 2.1's layout.
_REPR_OPTIONS = {"legacy": "2.1"} if tuple(map(int, onp.__version__.split(".")[:2])) >= (2, 2) \
    else {}
# str (what print shows) as MXNet's NumPy 1.x gives it: NumPy 2 switched float16 arrays of
# values >= 1e3 and 0-d floats >= 1e8 to scientific notation (1.108e+03, -9.116255e+08 where
# MXNet prints 1108. and -911625500.0)
_STR_OPTIONS = {"legacy": "1.25"} if int(onp.__version__.split(".")[0]) >= 2 else {}


class ndarray(NdarrayMethods):
    """An n-dimensional array on a device, recorded by autograd when it needs to be."""

    __slots__ = ("_data", "_device", "_node", "__weakref__")
    __array_priority__ = 1000.0
    __hash__ = object.__hash__  # identity, so arrays can key dicts (MXNet raises here)

    def __new__(cls, shape=(), dtype=None, ctx=None, device=None):
        """An uninitialised array, as ``numpy.ndarray(shape)``; prefer ``np.empty``."""
        return _creation.empty(shape, dtype=dtype, ctx=ctx, device=device)

    # ---- attributes -------------------------------------------------------------------------
    shape = property(lambda self: self._data.shape)
    dtype = property(lambda self: self._data.dtype)
    size = property(lambda self: self._data.size)
    ndim = property(lambda self: self._data.ndim)
    itemsize = property(lambda self: self._data.itemsize)
    nbytes = property(lambda self: self._data.nbytes)
    ctx = context = device = property(lambda self: self._device)
    stype = "default"
    writable = True

    @property
    def T(self) -> ndarray:
        return _shape.transpose(self)

    @property
    def grad(self):
        """The gradient buffer after ``attach_grad()`` (a new wrapper around it); else None."""
        node = self._node
        if type(node) is not Leaf or node.grad is None:  # a 'null' one after a backward
            return None
        return _wrap(node.grad, self._device.result)  # MXNet's zeros_like: an op's result

    @property
    def _fresh_grad(self) -> bool:
        """Whether a backward wrote this variable's gradient since the flag was last cleared.

        MXNet's name; gluon's Trainer reads it to find stale gradients and clears it after an
        update.
        """
        node = self._node
        return type(node) is Leaf and node.fresh

    @_fresh_grad.setter
    def _fresh_grad(self, value: bool) -> None:
        if type(self._node) is Leaf:
            self._node.fresh = bool(value)

    # ---- autograd ---------------------------------------------------------------------------
    def attach_grad(self, grad_req: str = "write", stype=None) -> None:
        """Make this array a variable: give it a zeroed gradient buffer."""
        if grad_req not in _GRAD_REQS:
            raise KeyError(grad_req)
        xp = self._device.xp
        with self._device.use():
            self._node = Leaf(xp.zeros_like(self._data), grad_req)

    def backward(self, out_grad=None, retain_graph: bool = False, train_mode: bool = True):
        global _autograd
        if _autograd is None:
            # the one call up the layers, so the import waits for the first call: autograd
            # imports the op layer (Function builds Primitives, seeds are ops), which imports
            # this module
            from . import autograd as _autograd
        _autograd.backward(self, out_grad, retain_graph, train_mode)

    def detach(self) -> ndarray:
        """The same data, outside the graph."""
        out = _wrap(self._data, self._device)
        if STATE.tracer is not None:
            STATE.tracer.record(ndarray.detach, (self,), {}, out)
        return out

    # ---- conversion -------------------------------------------------------------------------
    def asnumpy(self) -> onp.ndarray:
        if STATE.tracer is not None:  # a hybridized block's traced call: no values to read
            STATE.tracer.refuse(self, "asnumpy")
        raw = _backend.to_numpy(self._data)
        return raw.copy() if raw is self._data else raw

    def __array__(self, dtype=None, copy=None):
        """NumPy's protocol: ``onp.asarray(x)`` may share CPU memory, ``onp.array(x)`` copies."""
        if STATE.tracer is not None:
            STATE.tracer.refuse(self, "__array__")
        host = _backend.to_numpy(self._data)
        out = host if dtype is None else host.astype(dtype, copy=False)
        if copy is False and out is not self._data:
            raise ValueError(f"cannot make a NumPy array without a copy from an mxnp array of "
                             f"dtype {self.dtype} on {self._device}")
        return out.copy() if copy and out is self._data else out

    def item(self, *args):
        if STATE.tracer is not None:
            STATE.tracer.refuse(self, "item")
        return self._data.item(*args)

    def tolist(self):
        if STATE.tracer is not None:
            STATE.tracer.refuse(self, "tolist")
        return self._data.tolist()

    def asscalar(self):
        if self.size != 1:
            raise ValueError("The current array is not a scalar")
        return self.item()

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True) -> ndarray:
        """A copy in ``dtype`` on this array's device (pinned or shared memory included, as
        MXNet allocates it there); ``copy=False``: this array itself when it has the dtype.
        As MXNet, only ``casting='unsafe'``, ``order`` 'K' or 'C' and ``subok=True``."""
        if casting != "unsafe":
            raise ValueError(f"astype: casting must be equal to 'unsafe' (as MXNet), "
                             f"got {casting!r}")
        if order not in ("K", "C"):
            raise ValueError(f"astype: order must be either 'K' or 'C', got {order!r}")
        if subok is not True:
            raise ValueError(f"astype: subok must be equal to True, got {subok!r}")
        return _kept_on(self, _creation.astype(self, dtype, copy=copy))

    def copy(self, order="C") -> ndarray:
        """A copy (MXNet: only ``order='C'``; another order raises NotImplementedError)."""
        if order != "C":
            raise NotImplementedError(f"ndarray.copy only supports order='C', while received "
                                      f"{order}")
        return _kept_on(self, _creation.copy(self))

    def copyto(self, other):
        """Copy into ``other`` (an ndarray, returned) or onto a device (a new array)."""
        if isinstance(other, ndarray):
            if other.shape != self.shape:
                raise MXNetError(f"copyto: destination shape {other.shape} differs from the "
                                 f"source shape {self.shape}")
            other._assign(Ellipsis, self, "copyto")
            return other
        return _creation.to_device(self, _backend.as_device(other))

    def as_in_ctx(self, ctx) -> ndarray:
        """This array on ``ctx``: itself when it is already there."""
        device = _backend.as_device(ctx)
        return self if device is self._device else _creation.to_device(self, device)

    def as_in_context(self, context) -> ndarray:
        # attributed to this module, as MXNet's warning is to its own: the default filters
        # hide it (a warning attributed to the caller shows in scripts and notebooks)
        warnings.warn_explicit("ndarray.as_in_context has been renamed to ndarray.as_in_ctx",
                               DeprecationWarning, __file__, 0, module=__name__,
                               registry=_WARNED)
        out = self.as_in_ctx(context)
        if out is self:  # MXNet gives a new object over the same memory and graph entry here
            out = _wrap(self._data, self._device)
            out._node = self._node
        return out

    to_device = as_in_ctx

    def as_np_ndarray(self) -> ndarray:
        return self

    def wait_to_read(self) -> None:
        """A no-op: mxnp computes eagerly."""

    wait_to_write = wait_to_read

    def tostype(self, stype):
        if stype != "default":
            raise NotImplementedError(f"tostype: only 'default' storage exists, got {stype!r}")
        return self

    # ---- Python protocols -------------------------------------------------------------------
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of unsized object")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        if STATE.tracer is not None:
            STATE.tracer.refuse(self, "__bool__")
        size = self._data.size
        if size == 1:
            return bool(self._data.reshape(()).item())
        if size == 0:
            warnings.warn("The truth value of an empty array is ambiguous. Returning False, but "
                          "in future this will result in an error.", DeprecationWarning,
                          stacklevel=2)
            return False
        raise ValueError("The truth value of an ndarray with multiple elements is ambiguous.")

    def _scalar(self, kind="float"):
        if STATE.tracer is not None:
            STATE.tracer.refuse(self, kind)
        if self._data.size != 1:
            raise TypeError("only size-1 arrays can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __contains__(self, value) -> bool:
        return bool((self == value).any())

    def __reduce__(self):
        return (_rebuild, (self.asnumpy(), repr(self._device)))

    def __repr__(self) -> str:
        text = traced_text(self)
        if text is not None:
            return text
        with onp.printoptions(**_REPR_OPTIONS):
            text = repr(self.asnumpy())
        dtype = self._data.dtype
        if "dtype=" in text:
            if dtype == onp.float32:  # MXNet shows no dtype for its default float ...
                text = text[:text.rindex(",")] + ")"
        elif dtype != onp.float32 and dtype != onp.bool_:  # ... and shows it for int64 too
            text = text[:-1] + f", dtype={dtype})"
        if self._device.device_type != "cpu":
            text = text[:-1] + f", ctx={self._device})"
        return text

    def __str__(self) -> str:
        text = traced_text(self)
        if text is not None:
            return text
        with onp.printoptions(**_STR_OPTIONS):
            text = str(self.asnumpy())
        if self._device.device_type != "cpu" and self._data.ndim:
            text += f" @{self._device}"
        return text

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("Cannot format mxnet.numpy.ndarray with format_spec")
        return str(self)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``numpy.sin(x)`` and friends run mxnp's op for the ufunc, as in MXNet."""
        for a in inputs:  # MXNet refuses to mix its arrays with NumPy's (onp.ones(3) + x)
            if isinstance(a, onp.ndarray):
                raise TypeError(f"{ufunc.__name__}: type {type(a)} not supported; convert it "
                                "with np.array(...) first")
        out = kwargs.pop("out", None)
        if method != "__call__" or kwargs or (out is not None and len(out) != 1):
            return NotImplemented
        op = _interop.ufunc_op(ufunc.__name__)
        if op is None:  # no mxnp op: NumPy computes, as MXNet falls back
            return _interop.numpy_fallback(ufunc, inputs, {} if out is None else {"out": out})
        return _interop.call_ufunc(op, inputs, None if out is None else out[0])

    def __array_function__(self, func, types, args, kwargs):
        """``numpy.sum(x)`` and the other functions MXNet dispatches run mxnp's function."""
        f = _interop.FUNCTIONS.get(func)
        if f is None:
            return _interop.numpy_fallback(func, args, kwargs)
        return f(*args, **kwargs)

    # ---- indexing ---------------------------------------------------------------------------
    def __getitem__(self, key) -> ndarray:
        return _indexing.getitem(self, key)

    def __setitem__(self, key, value) -> None:
        self._assign(key, value, "__setitem__")

    def _assign(self, key, value, op: str) -> None:
        """Write ``value`` into ``self[key]`` in place. While recording, an array outside the
        graph given a recorded value for all of itself (``x[:] = y``, ``x[...]``, ``x[()]``)
        joins the graph as a copy of it, as MXNet's ``copyto``; any other write of a recorded
        value, or into a recorded array, raises as MXNet does."""
        if STATE.tracer is not None:
            STATE.tracer.mutate(self, value, op)
        if STATE.recording:
            if self._node is not None:
                raise MXNetError(_INPLACE_IN_GRAPH.format(op=op))
            if getattr(value, "_node", None) is not None:
                if not _indexing.selects_all(key, self.shape):
                    raise MXNetError(_INPLACE_RECORDED.format(op=op))
                # the copy, broadcast and cast to this array's dtype, is recorded; this array
                # keeps its buffer and takes the copy's place in the graph
                copied = value if value.shape == self.shape else \
                    _shape.broadcast_to(value, self.shape)
                copied = _creation.astype(copied, self.dtype)
                _indexing.assign(self, Ellipsis, copied)
                self._node = copied._node
                return
        _indexing.assign(self, key, value)

    def _inplace(self, result: ndarray, op: str) -> ndarray:
        if result.shape != self.shape and not (
                self.ndim == 0 and result.shape == (1,) and type(self) is not ndarray):
            # MXNet's "Shape inconsistent" (NumPy: a non-broadcastable output operand); the
            # exception is a legacy NDArray's 0-d operand, which its arithmetic makes 1-D
            raise OpError(f"{op}: the result's shape {result.shape} differs from the shape "
                          f"{self.shape} of the array written in place; use x = x <op> y")
        if STATE.tracer is not None:
            STATE.tracer.mutate(self, result, op)
        if STATE.recording and (self._node is not None or result._node is not None):
            raise MXNetError((_INPLACE_IN_GRAPH if self._node is not None else
                              _INPLACE_RECORDED).format(op=op))
        # NumPy's same_kind rule: no float into an int array, no number into a bool array
        if not onp.can_cast(result._data.dtype, self._data.dtype, "same_kind"):
            raise TypeError(f"{op}: cannot write a {result.dtype} result into a {self.dtype} "
                            "array in place (as NumPy); use x = x <op> y, or cast first")
        _indexing.assign(self, Ellipsis, result)
        return self

    # ---- operators: one line each into an op; in-place forms write into this buffer ---------
    # ruff: noqa: E704
    def __add__(self, o): return _binary(_ew.add, self, o, None)
    def __radd__(self, o): return _binary(_ew.add, o, self, None)
    def __iadd__(self, o): return self._inplace(_binary(_ew.add, self, o, None), "+=")
    def __sub__(self, o): return _binary(_ew.subtract, self, o, None)
    def __rsub__(self, o): return _binary(_ew.subtract, o, self, None)
    def __isub__(self, o): return self._inplace(_binary(_ew.subtract, self, o, None), "-=")
    def __mul__(self, o): return _binary(_ew.multiply, self, o, None)
    def __rmul__(self, o): return _binary(_ew.multiply, o, self, None)
    def __imul__(self, o): return self._inplace(_binary(_ew.multiply, self, o, None), "*=")
    def __truediv__(self, o): return _binary(_ew.true_divide, self, o, None)
    def __rtruediv__(self, o): return _binary(_ew.true_divide, o, self, None)
    def __itruediv__(self, o): return self._inplace(_binary(_ew.true_divide, self, o, None), "/=")
    def __floordiv__(self, o): return _binary(_ew.floor_divide, self, o, None)
    def __rfloordiv__(self, o): return _binary(_ew.floor_divide, o, self, None)
    def __ifloordiv__(self, o): return self._inplace(_binary(_ew.floor_divide, self, o, None), "//=")
    def __mod__(self, o): return _binary(_ew.mod, self, o, None)
    def __rmod__(self, o): return _binary(_ew.mod, o, self, None)
    def __imod__(self, o): return self._inplace(_binary(_ew.mod, self, o, None), "%=")
    def __pow__(self, o): return _binary(_ew.power, self, o, None)
    def __rpow__(self, o): return _binary(_ew.power, o, self, None)
    def __ipow__(self, o): return self._inplace(_binary(_ew.power, self, o, None), "**=")
    def __matmul__(self, o): return _linalg.matmul(self, o)
    def __rmatmul__(self, o): return _linalg.matmul(o, self)
    def __imatmul__(self, o): return self._inplace(_linalg.matmul(self, o), "@=")
    def __and__(self, o): return _binary(_ew.bitwise_and, self, o, None)
    def __rand__(self, o): return _binary(_ew.bitwise_and, o, self, None)
    def __iand__(self, o): return self._inplace(_binary(_ew.bitwise_and, self, o, None), "&=")
    def __or__(self, o): return _binary(_ew.bitwise_or, self, o, None)
    def __ror__(self, o): return _binary(_ew.bitwise_or, o, self, None)
    def __ior__(self, o): return self._inplace(_binary(_ew.bitwise_or, self, o, None), "|=")
    def __xor__(self, o): return _binary(_ew.bitwise_xor, self, o, None)
    def __rxor__(self, o): return _binary(_ew.bitwise_xor, o, self, None)
    def __ixor__(self, o): return self._inplace(_binary(_ew.bitwise_xor, self, o, None), "^=")
    def __lshift__(self, o): return _binary(_ew.left_shift, self, o, None)
    def __rlshift__(self, o): return _binary(_ew.left_shift, o, self, None)
    def __ilshift__(self, o): return self._inplace(_binary(_ew.left_shift, self, o, None), "<<=")
    def __rshift__(self, o): return _binary(_ew.right_shift, self, o, None)
    def __rrshift__(self, o): return _binary(_ew.right_shift, o, self, None)
    def __irshift__(self, o): return self._inplace(_binary(_ew.right_shift, self, o, None), ">>=")
    def __eq__(self, o): return _binary(_ew.equal, self, o, None)
    def __ne__(self, o): return _binary(_ew.not_equal, self, o, None)
    def __lt__(self, o): return _binary(_ew.less, self, o, None)
    def __le__(self, o): return _binary(_ew.less_equal, self, o, None)
    def __gt__(self, o): return _binary(_ew.greater, self, o, None)
    def __ge__(self, o): return _binary(_ew.greater_equal, self, o, None)
    def __neg__(self):
        # MXNet computes -x as x * -1, so a bool array gives int64 (np.negative refuses bool)
        return self * -1 if self._data.dtype.kind == "b" else _ew.negative(self)
    def __pos__(self): return _ew.positive(self)
    def __abs__(self): return _ew.absolute(self)
    def __invert__(self): return _ew.invert(self)
    def __round__(self, ndigits=0): return _ew.round(self, ndigits)

    # ---- methods that mirror np functions ---------------------------------------------------
    def reshape(self, *shape, order="C", **kw):
        return _shape.ndarray_reshape(self, shape, order, **kw)
    def transpose(self, *axes):
        return _shape.transpose(self, _shape.axes_arg(axes))
    def swapaxes(self, axis1, axis2):
        return _shape.swapaxes(self, axis1, axis2)
    def squeeze(self, axis=None):
        return _shape.squeeze(self, axis)
    def expand_dims(self, axis):
        return _shape.expand_dims(self, axis)
    def flatten(self, order="C"):
        if order != "C":  # MXNet's refusal; ignoring it would give C order silently
            raise NotImplementedError(f"flatten: only supports C-order, while received {order}")
        return _shape.reshape(self, (-1,))
    def ravel(self, order="C"):
        if order not in ("C", "K", "A"):  # mxnp's arrays are C-contiguous: K and A are C
            raise NotImplementedError(f"ravel: only supports C-order, while received {order}")
        return _shape.reshape(self, (-1,))
    def broadcast_to(self, shape):
        return _shape.broadcast_to(self, shape)
    def split(self, indices_or_sections, axis=0):
        return _shape.split(self, indices_or_sections, axis)
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None):
        return _red.sum(self, axis, dtype, out, keepdims, initial)
    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return _red.mean(self, axis, dtype, out, keepdims)
    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None):
        return _red.prod(self, axis, dtype, out, keepdims, initial)
    def max(self, axis=None, out=None, keepdims=False):
        return _red.max(self, axis, out, keepdims)
    def min(self, axis=None, out=None, keepdims=False):
        return _red.min(self, axis, out, keepdims)
    def argmax(self, axis=None, out=None):
        return _red.argmax(self, axis, out)
    def argmin(self, axis=None, out=None):
        return _red.argmin(self, axis, out)
    def all(self, axis=None, out=None, keepdims=False):
        return _red.all(self, axis, out, keepdims)
    def any(self, axis=None, out=None, keepdims=False):
        return _red.any(self, axis, out, keepdims)
    def clip(self, min=None, max=None, out=None):  # MXNet names its bounds min and max
        return _ew.clip(self, min, max, out)
    def round(self, decimals=0, out=None):
        return _ew.round(self, decimals, out)
    def dot(self, b, out=None):
        return _linalg.dot(self, b, out)


def traced_text(x):
    """What ``x`` prints as in a hybridized body's traced run (MXNet's symbol name), or None
    outside a trace or for an array the trace does not hold."""
    return None if STATE.tracer is None else STATE.tracer.symbol_text(x)


def _kept_on(x: ndarray, out: ndarray) -> ndarray:
    """``out`` placed on ``x``'s own device. Operators put their results from pinned or shared
    host memory on ``cpu(id)``; copies, casts and views stay where ``x`` is, as in MXNet."""
    if out._device is not x._device:
        out._device = x._device
    return out


def _wrap(raw, device) -> ndarray:
    out = object.__new__(ndarray)
    out._data, out._device, out._node = raw, device, None
    return out


def _rebuild(data, device):
    return _creation.array(data, dtype=data.dtype, ctx=_backend.as_device(device))


def set_binary(fn) -> None:
    """The function the arithmetic operators call, ``fn(prim, a, b, params)``: set by
    ``primitive.use_fast_paths`` (its two-operand fast path, or the general call)."""
    global _binary
    _binary = fn


def bind_ops(creation, elementwise, indexing, interop, linalg, reduction, shape) -> None:
    """Called once, by the seam (mxnp/_ops/__init__.py): the op modules the methods call."""
    global _creation, _ew, _indexing, _interop, _linalg, _red, _shape
    _creation, _ew, _indexing, _interop = creation, elementwise, indexing, interop
    _linalg, _red, _shape = linalg, reduction, shape
