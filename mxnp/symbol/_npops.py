"""The numpy-mode operator names (``_npi_*``, ``_np_*``, ``_npx_*``) that MXNet 1.9.1 writes in
a ``-symbol.json`` exported under ``npx.set_np()``, each mapped to the ``np``/``npx`` function
that computes it. The legacy names (``FullyConnected``, ``elemwise_add`` ...) come from
``mxnp/ndarray/_registry.py``; ``_opdefs`` looks in both.

``mx.sym.np`` writes these names where they compute its function with the same parameters
(``MXNET_NAMES``), and otherwise a node named after the function itself (``np.tensordot``,
``np.linalg.inv``, ``npx.softmax``: ``function_op``), which only mxnp can load.
"""
from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable

from .. import numpy as np
from .. import numpy_extension as npx


@dataclasses.dataclass(frozen=True)
class NpOp:
    """One numpy-mode operator: ``fn(*inputs, **attrs)`` and its input names."""

    name: str
    fn: Callable
    inputs: tuple = ("a",)
    variadic: bool = False


def _scalar(fn, reverse=False):
    """``_npi_<op>_scalar(data, scalar, is_int)``: ``is_int`` keeps an integral scalar an int
    (so an int array stays int)."""
    def op(data, scalar=0.0, is_int=False):
        s = int(scalar) if is_int else float(scalar)
        return fn(s, data) if reverse else fn(data, s)
    return op


def _variadic(fn):
    def op(*data, axis=0, num_args=None):
        return fn(list(data), axis=axis)
    return op


def _unary(fn):
    return lambda x: fn(x)


NP_OPS: dict = {}


def _add(name, fn, inputs=("a",), variadic=False) -> None:
    NP_OPS[name] = NpOp(name, fn, inputs, variadic)


BINARY = ("add", "subtract", "multiply", "true_divide", "power", "maximum", "minimum", "mod",
          "greater", "greater_equal", "less", "less_equal", "equal", "not_equal")
for _name in BINARY:
    _fn = getattr(np, _name)
    _add(f"_npi_{_name}", _fn, ("lhs", "rhs"))
    _add(f"_npi_{_name}_scalar", _scalar(_fn), ("data",))
for _name in ("subtract", "true_divide", "power", "mod"):
    _add(f"_npi_r{_name}_scalar", _scalar(getattr(np, _name), reverse=True), ("data",))
# one-input NumPy functions MXNet writes as _npi_<name> (export writes them the same way)
UNARY = ("negative", "exp", "log", "sqrt", "tanh", "square", "absolute", "sin", "cos", "log1p",
         "expm1", "sign", "reciprocal", "log2", "log10", "floor", "ceil", "rint", "trunc", "fix",
         "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh",
         "cbrt", "degrees", "radians", "logical_not")
for _name in (*UNARY, "abs"):
    _add(f"_npi_{_name}", _unary(getattr(np, _name)), ("x",))
_add("_npx_relu", _unary(npx.relu), ("data",))
_add("_npx_sigmoid", _unary(npx.sigmoid), ("data",))
_add("_np_copy", _unary(np.copy), ("a",))
_add("_npi_where", lambda condition, x, y: np.where(condition, x, y), ("condition", "x", "y"))
# where with a scalar: lscalar replaces x, rscalar y, scalar2 both
_add("_npi_where_lscalar", lambda condition, y, scalar=0.0: np.where(condition, scalar, y),
     ("condition", "y"))
_add("_npi_where_rscalar", lambda condition, x, scalar=0.0: np.where(condition, x, scalar),
     ("condition", "x"))
_add("_npi_where_scalar2", lambda condition, x=0.0, y=0.0: np.where(condition, x, y),
     ("condition",))
_add("_np_reshape", lambda a, newshape, order="C": np.reshape(a, newshape, order=order))
_add("_npx_reshape", lambda a, newshape, reverse=False, order="C":
     npx.reshape(a, newshape, reverse=reverse, order=order))
_add("_np_squeeze", lambda a, axis=None: np.squeeze(a, axis))
_add("_np_transpose", lambda a, axes=None: np.transpose(a, axes))
_add("_np_sum", lambda a, axis=None, keepdims=False, dtype=None, initial=None:
     np.sum(a, axis=axis, keepdims=keepdims, dtype=dtype, initial=initial))
_add("_npi_mean", lambda a, axis=None, keepdims=False, dtype=None:
     np.mean(a, axis=axis, keepdims=keepdims, dtype=dtype))
_add("_np_prod", lambda a, axis=None, keepdims=False, dtype=None, initial=None:
     np.prod(a, axis=axis, keepdims=keepdims, dtype=dtype, initial=initial))
_add("_np_roll", lambda a, shift=None, axis=None: np.roll(a, shift, axis))
_add("_np_max", lambda a, axis=None, keepdims=False: np.max(a, axis=axis, keepdims=keepdims))
_add("_np_min", lambda a, axis=None, keepdims=False: np.min(a, axis=axis, keepdims=keepdims))
_add("_np_dot", lambda a, b: np.dot(a, b), ("a", "b"))
_add("_npi_matmul", lambda a, b: np.matmul(a, b), ("a", "b"))
_add("_npi_concatenate", _variadic(np.concatenate), ("data",), variadic=True)
_add("_npi_stack", _variadic(np.stack), ("data",), variadic=True)
# created arrays: a graph input of no inputs (the device is the graph's, not the attribute's)
_add("_npi_zeros", lambda shape=(), dtype="float32", ctx=None: np.zeros(shape, dtype), ())
_add("_npi_ones", lambda shape=(), dtype="float32", ctx=None: np.ones(shape, dtype), ())
# gluon's fused RNN layers join their flattened weights with this internal operator
_add("_rnn_param_concat", lambda *data, dim=0, num_args=None: np.concatenate(data, axis=dim),
     ("data",), variadic=True)

# the np/npx function each name computes, where its parameters are the function's own: what
# mx.sym.np.<function> writes (MXNet 1.9.1 writes these names for these functions)
MXNET_NAMES = {
    "np.sum": "_np_sum", "np.mean": "_npi_mean", "np.prod": "_np_prod", "np.roll": "_np_roll",
    "np.max": "_np_max", "np.min": "_np_min", "np.dot": "_np_dot", "np.matmul": "_npi_matmul",
    "np.reshape": "_np_reshape", "np.squeeze": "_np_squeeze", "np.transpose": "_np_transpose",
    "np.copy": "_np_copy", "np.where": "_npi_where", "np.stack": "_npi_stack",
    "np.concatenate": "_npi_concatenate", "np.linalg.det": "_linalg_det",
    "npx.relu": "_npx_relu", "npx.sigmoid": "_npx_sigmoid", "npx.reshape": "_npx_reshape",
    **{f"np.{name}": f"_npi_{name}" for name in (*UNARY, "abs")},
    **{f"np.{name}": f"_npi_{name}" for name in BINARY},
}


def function_named(op: str):
    """The public mxnp function ``op`` names (``np.linalg.det``, ``npx.relu``), or None."""
    space, _, path = op.partition(".")
    fn = {"np": np, "npx": npx}.get(space)
    for part in path.split(".") if path else ["_"]:
        if part.startswith("_") or part not in getattr(fn, "__all__", ()):
            return None
        fn = getattr(fn, part)
    return fn if callable(fn) and not isinstance(fn, type) else None


@functools.cache
def function_op(op: str):
    """The row of an operator named after an mxnp function (``np.vdot``, ``npx.relu``), or
    None. Its node's attributes are the function's other arguments by name; its inputs fill,
    in order, the parameters the attributes leave, and the last of them takes a list of
    ``num_args`` inputs where that attribute is there (``np.stack``, ``np.einsum``)."""
    fn = function_named(op)
    if fn is None:
        return None
    sig = inspect.signature(fn)
    return NpOp(op, functools.partial(_call_function, op, fn, sig), (), variadic=True)


def _call_function(op: str, fn, sig: inspect.Signature, *inputs, num_args=None, **attrs):
    params = list(sig.parameters.values())
    free = [p for p in params if p.name not in attrs and p.kind is not p.VAR_KEYWORD]
    singles = len(inputs) - (num_args or 0)
    values = dict(zip((p.name for p in free), inputs[:singles]))
    if num_args is not None:  # a list (or *args) of arrays: the last input parameter
        listed = free[singles]
        rest = inputs[singles:]
        values[listed.name] = tuple(rest) if listed.kind is listed.VAR_POSITIONAL else list(rest)
    extra = {k: v for k, v in attrs.items() if k not in sig.parameters}
    arguments = {p.name: values[p.name] if p.name in values else attrs[p.name]
                 for p in params if p.name in values or p.name in attrs}
    arguments.update({p.name: extra for p in params if p.kind is p.VAR_KEYWORD and extra})
    bound = inspect.BoundArguments(sig, arguments)
    out = fn(*bound.args, **bound.kwargs)
    if isinstance(out, (tuple, list)):
        raise TypeError(f"{op} returns {len(out)} arrays; mxnp's Symbols of numpy functions "
                        "have one output")
    return out
