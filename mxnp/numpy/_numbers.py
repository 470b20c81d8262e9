"""Calls that MXNet 1.9.1 answers with official NumPy rather than with its own arrays.

Two rules, each a wrapper the ``np`` namespace puts around an op:

- ``ufunc`` / ``numbers``: when every input is a Python (or NumPy) number, MXNet computes with
  official NumPy and returns a NumPy scalar (``np.sin(0.5)`` -> ``numpy.float64``). A ufunc also
  takes its ``out`` positionally (``np.cos(x, out)``), as NumPy and MXNet allow.
- ``ufunc`` also checks NumPy's other ufunc keywords (``where``, ``casting``, ``order``,
  ``dtype``, ``subok``) as MXNet's wrapper does: at their defaults they are accepted and
  dropped; another value NumPy allows raises NotImplementedError, anything else TypeError.
- ``fallback``: the 84 names of ``mxnet.numpy.fallback`` are official NumPy functions there, so
  a call with no mxnp array among its arguments (lists, NumPy arrays, numbers) is answered by
  NumPy itself, with NumPy's types; a call with an mxnp array runs mxnp's op as before.
"""
from __future__ import annotations

import functools

import numpy as onp

from .._ndarray import ndarray
from .._ops.primitive import Primitive
from .._tape import STATE
from ..base import OpError

_NUMBER_TYPES = (int, float, onp.generic)  # MXNet's numeric_types (bool is an int)


def _is_number(a) -> bool:
    return isinstance(a, _NUMBER_TYPES) and not isinstance(a, ndarray)


# NumPy's ufunc keywords and their defaults, the only values MXNet's ufuncs take
UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None,
                  "subok": True}
_UFUNC_DTYPES = ("int8", "uint8", "int32", "int64", "float16", "float32", "float64")


def ufunc_legal_option(key: str, value) -> bool:
    """Whether ``key=value`` is a ufunc keyword with a value NumPy accepts (which MXNet may
    still not implement)."""
    if key == "where":
        return True
    if key == "casting":
        return value in ("no", "equiv", "safe", "same_kind", "unsafe")
    if key == "order":
        return isinstance(value, str)
    if key == "dtype":
        return getattr(value, "__name__", value) in _UFUNC_DTYPES
    if key == "subok":
        return isinstance(value, bool)
    return False


# the functions whose results are bool: MXNet wants a bool array as their ``out``
_BOOL_RESULTS = frozenset(("isfinite", "isinf", "isnan", "isneginf", "isposinf", "logical_not"))


def _check_out(name: str, out) -> None:
    if name in _BOOL_RESULTS and isinstance(out, ndarray) and out.dtype != bool:
        raise TypeError(f"{name}: the `out` parameter should be a boolean array")


def check_ufunc_kwargs(name: str, kwargs: dict) -> dict:
    """``kwargs`` without the ufunc keywords, each checked to be at its default (as MXNet's
    ufunc wrapper): only ``out`` remains."""
    _check_out(name, kwargs.get("out"))
    for key, value in kwargs.items():
        if key == "out":
            continue
        if key not in UFUNC_DEFAULTS:
            raise TypeError(f"{key} is an invalid keyword to function '{name}'")
        if value is not UFUNC_DEFAULTS[key] and value != UFUNC_DEFAULTS[key]:
            if ufunc_legal_option(key, value):
                raise NotImplementedError(f"{key}={value} is not implemented yet for operator "
                                          f"{name}")
            raise TypeError(f"{key}={value} not understood for operator {name}")
    return {"out": kwargs["out"]} if "out" in kwargs else {}


def ufunc(op, name: str, nin: int = None, official=None):
    """``op`` with positional ``out`` and official NumPy's answer for all-number inputs."""
    official = official or _NUMPY1.get(name) or getattr(onp, name)
    nin = getattr(onp, name).nin if nin is None else nin
    # a Primitive takes out= through call_out (its __call__ never looks for it)
    with_out = op.call_out if isinstance(op, Primitive) else op

    @functools.wraps(op)
    def call(*args, **kwargs):
        if kwargs:
            kwargs = check_ufunc_kwargs(name, kwargs)
        if len(args) <= nin and args and type(args[0]) is ndarray:  # the usual call, first
            return with_out(*args, **kwargs) if kwargs else op(*args)
        if len(args) > nin:  # out given positionally: one more argument, as in NumPy
            if len(args) > nin + 1 or "out" in kwargs:
                raise TypeError(f"{name}: takes {nin} input(s) and one out, got "
                                f"{len(args)} positional arguments")
            kwargs["out"] = args[nin]
            args = args[:nin]
            _check_out(name, kwargs["out"])
        if args and all(_is_number(a) for a in args):
            if nin == 1:  # MXNet's unary helper drops out= for a number
                kwargs.pop("out", None)
            return official(*args, **kwargs)
        return with_out(*args, **kwargs)
    call.__name__ = call.__qualname__ = name  # a Primitive has no __name__ to copy
    return call


def out_positional(op, nin: int):
    """``op`` taking its ``out`` as the argument after its ``nin`` inputs (``np.copy(a, out)``)."""
    @functools.wraps(op)
    def call(*args, **kwargs):
        # only an array: NumPy's own second argument (copy's order) is a string
        if len(args) == nin + 1 and isinstance(args[nin], ndarray) and "out" not in kwargs:
            kwargs["out"] = args[nin]
            args = args[:nin]
        return op(*args, **kwargs)
    return call


def _numpy1_rounding(ufunc):
    """NumPy 1.x's rounding of a number, as MXNet's NumPy gives it: ints become float64, bools
    float16 (NumPy 2 keeps their type)."""
    def rounded(x, **kwargs):
        if isinstance(x, (bool, onp.bool_)):
            x = onp.float16(x)
        elif isinstance(x, (int, onp.integer)):
            x = onp.float64(x)
        return ufunc(x, **kwargs)
    return rounded


# where NumPy 2 answers a number differently from the NumPy 1.x inside MXNet 1.9.1
_NUMPY1 = {"ceil": _numpy1_rounding(onp.ceil), "floor": _numpy1_rounding(onp.floor),
           "trunc": _numpy1_rounding(onp.trunc), "fix": _numpy1_rounding(onp.fix),
           "fabs": onp.abs}  # MXNet's fabs of a number is abs: an int stays an int


def numbers(op, official, keep: int = None, inputs: int = None):
    """``op``, except that all-number positional inputs get ``official(...)`` (NumPy's).

    ``keep``: how many of them official takes; MXNet drops the one after (``out``, ``order``).
    ``inputs``: how many leading arguments must be numbers (default: all of them).
    """
    most = None if keep is None else keep + 1

    @functools.wraps(op)
    def call(*args, **kwargs):
        if args and (most is None or len(args) <= most) and all(
                _is_number(a) for a in args[:inputs]):
            return official(*args[:keep], **kwargs)
        return op(*args, **kwargs)
    return call


def where_numbers(op):
    """``where``: a number as condition picks ``x`` or ``y`` itself, as MXNet does."""
    @functools.wraps(op)
    def where(condition, x=None, y=None):
        if _is_number(condition) and x is not None and all(
                v is None or _is_number(v) for v in (x, y)):
            return x if condition else y
        return op(condition, x, y)
    return where


def _holds_array(values) -> bool:
    """Whether an mxnp ndarray is among ``values`` or one level down in a list or tuple."""
    for v in values:
        if isinstance(v, ndarray):
            return True
        if isinstance(v, (list, tuple)) and any(isinstance(e, ndarray) for e in v):
            return True
    return False


def _count_nonzero(a, axis=None, **kwargs):
    """NumPy 1.x's count: a Python int over the whole array (NumPy 2 gives numpy.int64)."""
    n = onp.count_nonzero(a, axis=axis, **kwargs)
    return int(n) if axis is None else n


def _in1d(ar1, ar2, assume_unique=False, invert=False, **kwargs):
    return onp.isin(ar1, ar2, assume_unique=assume_unique, invert=invert, **kwargs).ravel()


# fallbacks whose NumPy 1.x name is gone from NumPy 2: the same computation under its new name
_RENAMED = {"alltrue": onp.all, "in1d": _in1d, "trapz": getattr(onp, "trapezoid", None),
            "msort": lambda a: onp.sort(a, axis=0), "count_nonzero": _count_nonzero}


def fallback(impl, name: str, module=onp):
    """``impl`` for calls holding an mxnp array (0-d results as NumPy scalars, as MXNet's);
    official NumPy's ``name`` (in ``module``) for the rest."""
    official = _RENAMED.get(name) or getattr(module, name, None)
    if official is None:  # removed from NumPy (the financial functions): mxnp's own answer
        return impl

    @functools.wraps(impl)
    def call(*args, **kwargs):
        if _holds_array(args) or _holds_array(kwargs.values()):
            result = impl(*args, **kwargs)
            return result if "out" in kwargs or name in _ARRAY_ANSWERS else \
                _numpy_scalars(result)
        try:
            return official(*args, **kwargs)
        except ValueError as e:  # named as mxnp's own ops name their errors, same kind
            raise OpError(f"{name}: {e}") from e
        except TypeError as e:
            raise TypeError(f"{name}: {e}") from e
    return call


# the fallbacks whose NumPy answer is a 0-d array, not a scalar (MXNet wraps it as an ndarray)
_ARRAY_ANSWERS = frozenset(("real", "i0", "cov", "corrcoef", "choose", "select", "piecewise"))


def _numpy_scalars(result):
    """A fallback's 0-d results as NumPy scalars, as MXNet hands NumPy's answer back
    (``np.ptp(x)`` is ``numpy.float32``); an array stays one where autograd records it (its
    gradient) or hybridize traces it."""
    if type(result) is ndarray:
        if result.ndim or result._node is not None or STATE.tracer is not None:
            return result
        return result.asnumpy()[()]
    if type(result) is tuple:
        return tuple(_numpy_scalars(r) for r in result)
    return result


def _name(op) -> str:
    return op.name if hasattr(op, "name") else op.__name__


def ufuncs(*ops) -> tuple:
    """``ufunc`` for each op, by its own name (a Primitive's ``name``)."""
    return tuple(ufunc(op, _name(op)) for op in ops)


def fallbacks(*impls, module=onp) -> tuple:
    """``fallback`` for each function, by its own name."""
    return tuple(fallback(f, _name(f), module) for f in impls)
