"""Array comparisons with MXNet's per-dtype tolerances (re-exported by ``test_utils``).

``assert_almost_equal`` and friends accept mxnp ndarrays, NumPy arrays, Python numbers and
nested lists (MXNet takes no lists), and compare on the host in NumPy.
"""
from __future__ import annotations

import numbers
import os

import numpy as onp

from .._ndarray import ndarray

__all__ = ["default_dtype", "default_rtols", "default_atols", "default_numeric_eps",
           "effective_dtype", "get_tolerance", "get_tols", "get_rtol", "get_atol", "get_etol",
           "same", "checkShapes", "almost_equal", "locationError", "assert_almost_equal",
           "assert_allclose", "assert_almost_equal_with_err", "assert_almost_equal_ignore_nan",
           "assert_exception", "compare_ndarray_tuple"]


# ---- tolerances ------------------------------------------------------------------------------
def default_dtype():
    return onp.float32


def _tol_table(f16, f32, f64) -> dict:
    # exact comparison for integers and booleans; int16/uint16 are extra (MXNet raises KeyError)
    exact = ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
    return {onp.dtype("float16"): f16, onp.dtype("float32"): f32, onp.dtype("float64"): f64,
            **{onp.dtype(name): 0 for name in exact}}


def default_rtols() -> dict:
    """Relative tolerance per dtype, as MXNet's."""
    return _tol_table(1e-2, 1e-4, 1e-5)


def default_atols() -> dict:
    """Absolute tolerance per dtype, as MXNet's."""
    return _tol_table(1e-1, 1e-3, 1e-20)


def default_numeric_eps() -> dict:
    # powers of two: x + eps and x - eps are exact, so the difference loses no bits to eps
    return {onp.dtype("float16"): 2.0 ** -6, onp.dtype("float32"): 2.0 ** -9,
            onp.dtype("float64"): 2.0 ** -14}


def effective_dtype(dat):
    """The dtype whose tolerances apply to ``dat``.

    MXNet answers float16 for float32 data on GPUs that compute float32 matmuls in TF32. CuPy
    does so only when CUPY_TF32=1, so that is the condition here.
    """
    dtype = onp.dtype(dat.dtype)
    device = getattr(dat, "device", None)
    if (dtype == onp.float32 and getattr(device, "device_type", None) == "gpu"
            and os.environ.get("CUPY_TF32") == "1"):
        return onp.dtype(onp.float16)
    return dtype


def get_tolerance(dat, tol, default_tol):
    """``tol`` itself if a number; else its (or the default table's) entry for dat's dtype."""
    if isinstance(tol, numbers.Number):
        return tol
    dtype = effective_dtype(dat)
    tol = tol or {}
    if dtype not in tol and dtype.kind == "c":  # MXNet has no complex rows: use the parts'
        dtype = onp.dtype(f"f{dtype.itemsize // 2}")
    return tol[dtype] if dtype in tol else default_tol[dtype]


def get_tols(x, y, rtol, atol):
    """The (rtol, atol) to compare x and y with: the looser default of the two dtypes."""
    x, y = _with_dtype(x), _with_dtype(y)
    return (max(get_tolerance(x, rtol, default_rtols()), get_tolerance(y, rtol, default_rtols())),
            max(get_tolerance(x, atol, default_atols()), get_tolerance(y, atol, default_atols())))


def get_rtol(rtol=None, dtype=onp.dtype(onp.float64)):
    return default_rtols()[onp.dtype(dtype)] if rtol is None else rtol


def get_atol(atol=None, dtype=onp.dtype(onp.float64)):
    return default_atols()[onp.dtype(dtype)] if atol is None else atol


def get_etol(etol=None):
    return 0 if etol is None else etol


def _with_dtype(x):
    return x if hasattr(x, "dtype") else onp.asarray(x)


def _host(x) -> onp.ndarray:
    return x.asnumpy() if isinstance(x, ndarray) else onp.asarray(x)


# ---- comparisons -----------------------------------------------------------------------------
def same(a, b) -> bool:
    """True when a and b have the same shape and elements."""
    return bool(onp.array_equal(_host(a), _host(b)))


def checkShapes(a, b) -> None:  # noqa: N802 - MXNet's name
    a, b = _host(a), _host(b)
    if a.shape != b.shape:
        raise AssertionError(_report(a, b, f"a.shape = {a.shape} and b.shape = {b.shape} are "
                                           "not equal"))


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True) -> bool:
    """``numpy.allclose`` with float64's default tolerances (whatever the dtypes, as MXNet)."""
    if not use_broadcast:
        checkShapes(a, b)
    return bool(onp.allclose(_host(a), _host(b), rtol=get_rtol(rtol), atol=get_atol(atol),
                             equal_nan=equal_nan))


def locationError(a, b, index, names, maxError=False) -> str:  # noqa: N802, N803
    """One line naming an element where a and b differ."""
    which = "maximum error" if maxError else "error"
    return (f"Location of {which}: {tuple(int(i) for i in index)}, "
            f"{names[0]}={_number(a[index])}, {names[1]}={_number(b[index])}")


def _number(v) -> str:
    try:
        return f"{v:.8f}"
    except (TypeError, ValueError):  # booleans and objects have no fixed-point format
        return str(v)


def assert_almost_equal(a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)) -> None:
    """Raise AssertionError, naming the worst mismatches, unless a and b are close.

    Tolerances left as None come from the looser of the two dtypes (``default_rtols()``,
    ``default_atols()``); a dict maps dtypes to tolerances. Boolean pairs compare exactly.
    ``mismatches[0]`` is how many mismatches the message lists; all are counted.
    """
    if not use_broadcast:
        checkShapes(a, b)
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = _host(a), _host(b)
    if a.dtype == onp.bool_ and b.dtype == onp.bool_:
        onp.testing.assert_equal(a, b)
        return
    if not onp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan):
        raise AssertionError(_mismatch_report(a, b, rtol, atol, names, equal_nan, mismatches[0]))


def _violations(a, b, rtol, atol):
    """Per element: |a - b| / (atol + rtol |b|), which is above 1 where the two differ."""
    # in float64, so that unsigned differences cannot wrap around
    x, y = (v if v.dtype.kind == "c" else v.astype(onp.float64) for v in (a, b))
    with onp.errstate(invalid="ignore", over="ignore"):
        # equal infinities differ by nan, yet allclose calls them equal
        diff = onp.where(x == y, 0.0, onp.abs(x - y))
        return diff / (atol + rtol * onp.abs(y) + 1e-20)


def _mismatch_report(a, b, rtol, atol, names, equal_nan, listed: int) -> str:
    a_b, b_b = onp.broadcast_arrays(a, b)
    ratio = _violations(a_b, b_b, rtol, atol)
    bad = onp.flatnonzero(~onp.isclose(a_b, b_b, rtol=rtol, atol=atol, equal_nan=equal_nan))
    severity = onp.nan_to_num(ratio.ravel()[bad], nan=onp.inf)  # a NaN mismatch ranks first
    worst = bad[onp.argsort(-severity, kind="stable")]
    rows = [f"{k + 1:3d}: Error {ratio.flat[i]:f}  "
            + locationError(a_b, b_b, onp.unravel_index(i, a_b.shape), names)
            for k, i in enumerate(worst[:max(listed, 0)])]
    first = onp.unravel_index(worst[0], a_b.shape)
    head = (f"Error {ratio[first]:f} exceeds tolerance rtol={rtol:e}, atol={atol:e} "
            f"(mismatch {100 * len(bad) / max(a_b.size, 1):f}%).\n"
            + locationError(a_b, b_b, first, names, maxError=True))
    listing = (f"\n{len(bad)} of {a_b.size} elements differ; the worst {len(rows)}:\n"
               + "\n".join(rows)) if rows else ""
    return _report(a, b, head + listing)


def _report(a, b, message: str) -> str:
    with onp.printoptions(threshold=4, suppress=True):  # short arrays, as MXNet prints them
        return onp.testing.build_err_msg([a, b], err_msg=message)


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True) -> None:
    assert_almost_equal(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def assert_almost_equal_with_err(a, b, rtol=None, atol=None, etol=None, names=("a", "b"),
                                 equal_nan=False, mismatches=(10, 10)) -> None:
    """Like assert_almost_equal, but pass while at most a fraction ``etol`` of elements differ."""
    etol = get_etol(etol)
    if etol <= 0:
        assert_almost_equal(a, b, rtol=rtol, atol=atol, names=names, equal_nan=equal_nan)
        return
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = _host(a), _host(b)
    close = onp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if 1 - onp.count_nonzero(close) / max(close.size, 1) > etol:
        raise AssertionError(_mismatch_report(a, b, rtol, atol, names, equal_nan, mismatches[0]))


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=("a", "b")) -> None:
    """assert_almost_equal after zeroing the places where either side is NaN."""
    a, b = (x.copy() for x in onp.broadcast_arrays(_host(a), _host(b)))
    nan = onp.isnan(a) | onp.isnan(b)
    a[nan] = b[nan] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_exception(f, exception_type, *args, **kwargs) -> None:
    """Pass when ``f(*args, **kwargs)`` raises ``exception_type``; other exceptions propagate."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError(f"{getattr(f, '__name__', f)} did not raise {exception_type.__name__}")


def compare_ndarray_tuple(t1, t2, rtol=None, atol=None) -> None:
    """assert_almost_equal over nested tuples; a None on either side is skipped."""
    if t1 is None or t2 is None:
        return
    if isinstance(t1, tuple):
        for x, y in zip(t1, t2):
            compare_ndarray_tuple(x, y, rtol, atol)
    else:
        assert_almost_equal(t1, t2, rtol=rtol, atol=atol)
