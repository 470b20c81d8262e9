"""Creation functions (no VJPs) and the copy/cast/move primitives.

MXNet's defaults: Python data, ``arange`` and the fill functions give float32; NumPy data keeps
its dtype; ``ctx=`` (MXNet) and ``device=`` (NumPy 2) both choose the device.
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as onp

from .. import _backend, _dtypes
from .._ndarray import ndarray
from .._tape import STATE
from ..base import OpError
from .checks import require_array
from .primitive import Primitive, _wrap, write_out


def _device(ctx, device):
    return _backend.as_device(device if device is not None else ctx)


def _make(name, fn, ctx, device, *args, **kwargs) -> ndarray:
    """Run ``fn(xp, ...)`` on the chosen device, naming ``name`` in any error."""
    dev = _device(ctx, device)
    xp = dev.xp
    try:
        with dev.use():
            raw = fn(xp, *args, **kwargs)
    except (ValueError, TypeError) as e:
        raise OpError(f"{name}: {e}") from e
    out = _wrap(raw if isinstance(raw, xp.ndarray) else xp.asarray(raw), dev)
    if STATE.tracer is not None:  # a hybridized block's replay makes it again (random draws)
        STATE.tracer.record(_make, (name, fn, ctx, device) + args, kwargs, out)
    return out


def _shape_arg(name, shape) -> tuple:
    try:  # a float is refused here too, not by tuple() with a message naming no function
        shape = (shape,) if isinstance(shape, (int, onp.integer)) else tuple(shape)
        shape = tuple(operator.index(s) for s in shape)
    except TypeError as e:
        raise TypeError(f"{name}: shape must be a tuple of ints, got {shape!r}") from e
    if builtins.any(s < 0 for s in shape):
        raise OpError(f"{name}: negative dimensions are not allowed in shape {shape}")
    return shape


def _c_order(name, order):
    # MXNet stores C order only and refuses any other layout rather than ignore it
    if order != "C":
        raise NotImplementedError(f"{name}: only order='C' is supported, got {order!r}")


def _dtype(dtype, name):
    return _dtypes.requested(dtype, name)


def array(object, dtype=None, ctx=None, device=None) -> ndarray:
    """A new array from data. Python data becomes float32 whatever it holds (MXNet's rule)."""
    if isinstance(object, ndarray):
        out = copy(object) if dtype is None else astype(object, dtype)
        dev = _device(ctx, device) if (ctx or device) else object._device
        return out if dev is object._device else to_device(out, dev)
    if isinstance(object, (onp.ndarray, onp.generic)):
        dt = _dtypes.creation_dtype(object.dtype, dtype)
        return _make("array", lambda xp: xp.array(object, dtype=dt), ctx, device)
    dt = _dtypes.creation_dtype(None, dtype)
    try:
        data = onp.array(object, dtype=dt)
    except OverflowError:
        # Python ints out of an integer dtype's range wrap around, as in MXNet (on NumPy 1.x);
        # NumPy 2 refuses them
        data = onp.array(object).astype(dt)
    except (ValueError, TypeError) as e:
        raise TypeError(f"array: cannot make a {dt} array from {type(object).__name__} "
                        f"data: {e}") from e
    if data.dtype == object or data.dtype.kind in "OSUV":
        raise TypeError(f"array: unsupported data of type {type(object).__name__}")
    return _make("array", lambda xp: xp.asarray(data), ctx, device)


def zeros(shape, dtype=None, order="C", ctx=None, device=None) -> ndarray:
    _c_order("zeros", order)
    shape, dt = _shape_arg("zeros", shape), _dtype(dtype, "zeros")
    return _make("zeros", lambda xp: xp.zeros(shape, dt), ctx, device)


def ones(shape, dtype=None, order="C", ctx=None, device=None) -> ndarray:
    _c_order("ones", order)
    shape, dt = _shape_arg("ones", shape), _dtype(dtype, "ones")
    return _make("ones", lambda xp: xp.ones(shape, dt), ctx, device)


def empty(shape, dtype=None, order="C", ctx=None, device=None) -> ndarray:
    _c_order("empty", order)
    shape, dt = _shape_arg("empty", shape), _dtype(dtype, "empty")
    return _make("empty", lambda xp: xp.empty(shape, dt), ctx, device)


def full(shape, fill_value, dtype=None, order="C", ctx=None, out=None, device=None) -> ndarray:
    """Differs from NumPy: a number fills float32, a bool fills bool (as MXNet)."""
    _c_order("full", order)
    shape = _shape_arg("full", shape)
    if isinstance(fill_value, ndarray):
        fill_value = fill_value.asnumpy()
    if dtype is None:
        dt = onp.dtype(bool) if isinstance(fill_value, (bool, onp.bool_)) else (
            fill_value.dtype if isinstance(fill_value, onp.ndarray) and fill_value.ndim else
            _dtypes.DEFAULT_FLOAT)
    else:
        dt = _dtypes.as_dtype(dtype, "full")
    result = _make("full", lambda xp: xp.full(shape, fill_value, dt), ctx, device)
    return result if out is None else out._inplace(result, "full")


def _like(name, a, fill, dtype, ctx, device):
    require_array(name, a, "argument a")
    dt = a.dtype if dtype is None else _dtypes.as_dtype(dtype, name)
    # an operator in MXNet: from pinned or shared memory its result lands on cpu(id)
    dev = a._device.result if ctx is None and device is None else _device(ctx, device)
    if fill is None:
        return _make(name, lambda xp: xp.empty(a.shape, dt), dev, None)
    return _make(name, lambda xp: xp.full(a.shape, fill, dt), dev, None)


def zeros_like(a, dtype=None, order="C", ctx=None, out=None, device=None) -> ndarray:
    _c_order("zeros_like", order)
    return write_out(_like("zeros_like", a, 0, dtype, ctx, device), out)


def ones_like(a, dtype=None, order="C", ctx=None, out=None, device=None) -> ndarray:
    _c_order("ones_like", order)
    return write_out(_like("ones_like", a, 1, dtype, ctx, device), out)


def full_like(a, fill_value, dtype=None, order="C", ctx=None, out=None, device=None) -> ndarray:
    _c_order("full_like", order)
    return write_out(_like("full_like", a, fill_value, dtype, ctx, device), out)


def empty_like(prototype, dtype=None, order="C", subok=False, shape=None) -> ndarray:
    _c_order("empty_like", order)
    return _like("empty_like", prototype, None, dtype, None, None)


def arange(start, stop=None, step=1, dtype=None, ctx=None, device=None) -> ndarray:
    """Differs from NumPy: float32 unless ``dtype`` says otherwise (MXNet's default)."""
    if step is None:  # NumPy's and MXNet's default
        step = 1
    if step == 0:
        raise ZeroDivisionError("arange: step cannot be 0")
    if stop is None:
        start, stop = 0, start
    dt = _dtype(dtype, "arange")
    return _make("arange", lambda xp: _arange(xp, start, stop, step, dt), ctx, device)


def _arange(xp, start, stop, step, dt):
    """float32 as MXNet's kernel computes it, start + i * step in float32 (NumPy adds in
    float64 and rounds: arange(-5, 5, .1)[50] would be -1.8e-14, MXNet's is 0); other dtypes
    as NumPy, but for integer dtypes MXNet's kernel: the length from the float range, the
    values int(start) + i * int(step) (arange(1.3, 10, 1.3, dtype=int32) is 1, 2 ... 7;
    NumPy steps by the difference of the first two values)."""
    if dt.kind in "iub":
        n = builtins.max(math.ceil((stop - start) / step), 0)
        return (xp.arange(n, dtype="int64") * int(step) + int(start)).astype(dt)
    if dt != _dtypes.float32:
        return xp.arange(start, stop, step).astype(dt, copy=False)
    out = xp.arange(builtins.max(math.ceil((stop - start) / step), 0), dtype=dt)
    out *= dt.type(step)
    out += dt.type(start)
    return out


def eye(N, M=None, k=0, dtype=None, ctx=None, device=None, **kwargs) -> ndarray:
    dt = _dtype(dtype, "eye")
    return _make("eye", lambda xp: xp.eye(N, M, k, dtype=dt), ctx, device)


def identity(n, dtype=None, ctx=None, device=None) -> ndarray:
    return eye(n, dtype=dtype, ctx=ctx, device=device)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, ctx=None,
             device=None):
    dt = _dtype(dtype, "linspace")
    if num < 0:
        raise OpError(f"linspace: number of samples, {num}, must be non-negative")
    step = (stop - start) / builtins.max(num - (1 if endpoint else 0), 1)

    def make(xp):
        return xp.linspace(start, stop, num, endpoint=endpoint, axis=axis).astype(dt)

    result = _make("linspace", make, ctx, device)
    return (result, step) if retstep else result


copy = Primitive("copy", lambda xp, x: x.copy(), (lambda g, ans, x: g,))
_astype = Primitive("astype", lambda xp, x, dtype: x.astype(dtype),
                    (lambda g, ans, x, dtype: g,))  # the tape casts g back to x's dtype


def astype(x: ndarray, dtype, copy: bool = True) -> ndarray:
    dt = _dtypes.requested(dtype, "astype")  # None: MXNet's default float32 (NumPy: float64)
    if not copy and dt == x.dtype:
        return x
    return _astype(x, dtype=dt)


def _to_device_forward(xp, x, device):
    out = _backend.to_device(x, device)
    # between two CPU (or same-GPU) devices the backend hands back the same buffer; a move is
    # a copy in MXNet (x.copyto(cpu(1)) must not share memory with x)
    return out.copy() if out is x else out


_to_device = Primitive("to_device", _to_device_forward,
                       (lambda g, ans, x, device: to_device(g, x._device),))


def to_device(x: ndarray, device) -> ndarray:
    """A copy of ``x`` on ``device``; gradients flow back to ``x``'s device."""
    out = _to_device(x, device=device)
    out._device = device  # the primitive placed it on x's device; it lives on `device`
    return out
