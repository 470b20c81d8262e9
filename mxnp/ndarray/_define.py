"""``legacy_op``: the decorator that makes a function an ``mx.nd`` operator and a registry row.

The decorated function computes with ``np``/``npx`` ops (so autograd needs nothing more); the
operator around it turns its results into ``NDArray``, writes ``out=`` when given, drops
``name=`` (a symbol-building argument, meaningless eagerly) and, for a variadic operator, the
``num_args`` attribute. Its signature is the function's own plus ``out`` and ``name``.
"""
from __future__ import annotations

import functools
import inspect

import numpy as onp

from .. import _profiler_hook
from .._mode import is_np_shape
from ..base import MXNetError
from . import _registry
from . import sparse as _sparse
from .ndarray import NDArray, to_nd

__all__ = ["legacy_op"]


def legacy_op(op_name, inputs=("data",), aliases=(), aux=(), variadic=False,
              optional_inputs=None, num_outputs=1, output_names=None, keeps_0d=False):
    """Register the decorated function as the operator ``op_name`` (and its ``aliases``);
    ``keeps_0d``: its 0-d result stays 0-d outside numpy-shape mode (MXNet's allclose)."""
    def wrap(fn):
        # a function that takes ``out`` writes it itself (an update whose arithmetic depends
        # on ``out`` being its weight, as MXNet's in-place kernels do)
        takes_out = "out" in inspect.signature(fn).parameters
        # an operator without attributes of its own ignores any keyword it is given, as
        # MXNet's do (broadcast_add(a, b, axis=0)); one with attributes refuses unknown ones
        free = _takes_no_attributes(fn, inputs)

        @functools.wraps(fn)
        def op(*args, out=None, name=None, **attrs):
            if variadic:
                attrs.pop("num_args", None)
            if free and attrs:
                attrs = {k: v for k, v in attrs.items() if k in free}
            if takes_out and out is not None:
                attrs["out"] = out
            try:
                result = fn(*args, **attrs) if _profiler_hook.recorder is None else \
                    _profiler_hook.as_operator(op_name, fn, *args, **attrs)
            except (MXNetError, ValueError, TypeError, IndexError) as e:
                raise _named(e, op_name, args) from e
            if out is not None and result is out:
                return out
            result = to_nd(result, args + tuple(attrs.values()) if attrs else args)
            if not keeps_0d:
                result = _legacy_shaped(result)
            if any(getattr(a, "stype", "default") != "default" for a in args):
                like = args if _sparse.keeps_structure(op_name) else ()
                result = _sparse.as_stype(result, _sparse.storage_type(op_name, args, attrs,
                                                                       result), like)
            if out is None:
                return result
            out[...] = result
            return out

        op.__signature__ = _with_out(fn)
        row = _registry.LegacyOp(op_name, op, tuple(inputs),
                                 aux if callable(aux) else tuple(aux), variadic,
                                 optional_inputs, num_outputs, output_names)
        for key in (op_name, *aliases):
            if key in _registry.OPS:
                raise KeyError(f"legacy_op: {key!r} is registered twice")
            _registry.OPS[key] = row
        return op
    return wrap


def _takes_no_attributes(fn, inputs):
    """The names ``fn`` takes when all of them are array inputs (a set, so falsy only for an
    operator with attributes); None when it has attributes or takes ``**kwargs``."""
    if not isinstance(inputs, tuple):
        return None
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    names = {p.name for p in params if p.kind is not inspect.Parameter.VAR_POSITIONAL}
    return names | {"out"} if names <= set(inputs) else None


def _legacy_shaped(result):
    """Outside numpy-shape mode an NDArray has no 0-d shape: a 0-d result is shape (1,)."""
    if isinstance(result, (list, tuple)):
        return type(result)(_legacy_shaped(r) for r in result)
    if type(result) is NDArray and result.ndim == 0 and not is_np_shape():
        return result.reshape((1,))
    return result


def _named(e: Exception, op_name: str, args) -> Exception:
    """``e`` restated with the operator's name and its array inputs' shapes and dtypes."""
    shapes = ", ".join(f"{a.shape} {onp.dtype(a.dtype)}" for a in args if hasattr(a, "shape"))
    try:
        text = str(e) if str(e).startswith(f"{op_name}:") else f"{op_name}: {e}"
        return type(e)(text + (f" (inputs: {shapes})" if shapes else ""))
    except TypeError:  # an exception type that cannot be rebuilt from a message
        return e


def _with_out(fn) -> inspect.Signature:
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.name not in ("out", "name")]
    extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=None)
             for n in ("out", "name")]
    tail = [p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD]
    head = [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]
    return sig.replace(parameters=head + extra + tail)


def no_bias_inputs(attrs) -> tuple:
    """data, weight and bias, or data and weight when ``no_bias`` is set."""
    return ("data", "weight") if attrs.get("no_bias") else ("data", "weight", "bias")


def no_bias_by_default(attrs) -> tuple:
    """As no_bias_inputs, for an operator whose ``no_bias`` defaults to True (Deconvolution)."""
    return no_bias_inputs({"no_bias": attrs.get("no_bias", True)})
