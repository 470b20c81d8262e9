"""MXNet's dtype decisions, in one place.

MXNet 1.9.1 rules kept: Python data becomes float32; int-with-float arrays take the float
operand's dtype (NumPy would widen int32+float32 to float64); true division of integers gives
float32; index-returning ops give int64. Rules where we follow NumPy instead are listed in
docs/differences.md (an int array with a Python float, and unary float math on integers).
"""
from __future__ import annotations

import numpy as onp

float32 = onp.dtype("float32")
float64 = onp.dtype("float64")
int64 = onp.dtype("int64")
bool_ = onp.dtype("bool")
DEFAULT_FLOAT = float32
INDEX = int64  # argmax, argsort, randint, choice, nonzero

_FLOAT_KINDS = "fc"
_binary_cache: dict = {}
_scalar_cache: dict = {}


def as_dtype(dtype, op: str = "astype") -> onp.dtype:
    """A numpy dtype from anything MXNet accepts as one (None is not accepted here)."""
    try:
        return onp.dtype(dtype)
    except TypeError as e:
        raise TypeError(f"{op}: data type {dtype!r} not understood") from e


def is_float(dtype) -> bool:
    """Floating point, real or complex."""
    return kind(dtype) in _FLOAT_KINDS


def binary_result(dx: onp.dtype, dy: onp.dtype) -> onp.dtype:
    """Result dtype of an elementwise op on two arrays."""
    key = (dx, dy)
    rt = _binary_cache.get(key)
    if rt is None:
        fx, fy = dx.kind in _FLOAT_KINDS, dy.kind in _FLOAT_KINDS
        if fx != fy:  # MXNet: int (or bool) with float gives the float operand's dtype
            rt = dx if fx else dy
        else:
            rt = onp.result_type(dx, dy)
        _binary_cache[key] = rt
    return rt


def scalar_result(dx: onp.dtype, scalar) -> onp.dtype:
    """Result dtype of an elementwise op on an array and a Python (or NumPy) scalar.

    A scalar of the array's kind or a lower one never changes the dtype (MXNet and NumPy 2
    agree). A float scalar with an integer array, or a number with a bool array, follows
    NumPy's result type instead of MXNet's silent truncation.
    """
    key = (dx, type(scalar))
    rt = _scalar_cache.get(key)
    if rt is None:
        rank = _scalar_rank(scalar)
        if rank <= _kind_rank(dx):
            rt = dx
        else:
            rt = float64 if rank == 2 else int64
            if rank == 3:
                rt = onp.dtype("complex128")
        _scalar_cache[key] = rt
    return rt


def _scalar_rank(scalar) -> int:
    if isinstance(scalar, (bool, onp.bool_)):
        return 0
    if isinstance(scalar, (int, onp.integer)):
        return 1
    if isinstance(scalar, (float, onp.floating)):
        return 2
    return 3


def _kind_rank(dtype: onp.dtype) -> int:
    return {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}.get(dtype.kind, 3)


def true_divide_result(rt: onp.dtype) -> onp.dtype:
    """True division of integers or bools gives MXNet's default float32 (NumPy: float64)."""
    return rt if rt.kind in _FLOAT_KINDS else DEFAULT_FLOAT


def float_result(dx: onp.dtype) -> onp.dtype:
    """Dtype of float math (exp, sqrt, mean ...) on an input of dtype dx: float32 for ints."""
    return dx if dx.kind in _FLOAT_KINDS else DEFAULT_FLOAT


def creation_dtype(obj_dtype, dtype) -> onp.dtype:
    """Dtype of an array built from data: explicit wins; NumPy data keeps its own; Python data
    (lists, scalars) becomes float32 whatever it holds, as in MXNet."""
    if dtype is not None:
        return as_dtype(dtype, "array")
    return DEFAULT_FLOAT if obj_dtype is None else obj_dtype


# ---- policies: the dtype rule an op follows, by name, so that ops say which one they use -----
def requested(dtype, op: str) -> onp.dtype:
    """A ``dtype=`` argument of a creation or sampling op: MXNet's float32 when not given."""
    return DEFAULT_FLOAT if dtype is None else as_dtype(dtype, op)


def float_math(raw):
    """The operand of float math (exp, sqrt, sigmoid ...): integer and bool data compute in
    float32 (MXNet); float and complex data keep their dtype."""
    return raw if kind(raw.dtype) in _FLOAT_KINDS else raw.astype(DEFAULT_FLOAT)


def kind(dtype) -> str:
    """NumPy's one-letter kind of a dtype, also of a scalar type (what a legacy NDArray's
    ``dtype`` is, as in MXNet 1.x)."""
    try:
        return dtype.kind
    except AttributeError:
        return onp.dtype(dtype).kind


def is_integer(dtype) -> bool:
    """Signed or unsigned integers: what counts, repeats and sorters must be."""
    return kind(dtype) in "iu"


def is_index(dtype) -> bool:
    """Integers or bools: what an index array may hold (bools as masks)."""
    return kind(dtype) in "biu"


def is_truncated_index(dtype) -> bool:
    """Integers or real floats: an index MXNet truncates to an int (a 0-d index, gather_nd)."""
    return kind(dtype) in "iuf"


def is_real(dtype) -> bool:
    """Bools, integers and real floats: data an mxnp array takes (not complex, text, objects)."""
    return kind(dtype) in "biuf"


def is_real_float(dtype) -> bool:
    """Real floating point: what MXNet's float-only ops (nn, batch_dot, resize) accept."""
    return kind(dtype) == "f"


def real_float_math(a):
    """The operand of MXNet's real float math (sigmoid, norm, smooth_l1): anything but a real
    float computes in float32. Works on raw arrays and ndarrays alike."""
    return a if kind(a.dtype) == "f" else a.astype(DEFAULT_FLOAT)


def lapack_float(a):
    """The operand of LAPACK and of what MXNet hands to NumPy (inv, matrix_power, cond):
    anything but a real float computes in float64, as NumPy does."""
    return a if kind(a.dtype) == "f" else a.astype(float64)


_ONE_MINUS: dict = {}  # float x -> one_minus(x): an optimizer asks for the same betas again


def one_minus(x) -> float:
    """1 - x rounded as float32 arithmetic rounds it (MXNet's optimizer kernels compute their
    1 - beta coefficients so)."""
    if type(x) is not float:  # a NumPy scalar or an array: computed, not kept
        return float(onp.float32(1) - onp.float32(x))
    out = _ONE_MINUS.get(x)
    if out is None:
        if len(_ONE_MINUS) >= 256:
            _ONE_MINUS.clear()
        out = _ONE_MINUS[x] = float(onp.float32(1) - onp.float32(x))
    return out
