"""The numpy-mode operator names (``_npi_*``, ``_np_*``, ``_npx_*``) that MXNet 1.9.1 writes in
a ``-symbol.json`` exported under ``npx.set_np()``, each mapped to the ``np``/``npx`` function
that computes it. The legacy names (``FullyConnected``, ``elemwise_add`` ...) come from
``mxnp/ndarray/_registry.py``; ``_opdefs`` looks in both.
"""
from __future__ import annotations

import dataclasses
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


for _name, _fn in [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
                   ("true_divide", np.true_divide), ("power", np.power),
                   ("maximum", np.maximum), ("minimum", np.minimum), ("mod", np.mod),
                   ("greater", np.greater), ("greater_equal", np.greater_equal),
                   ("less", np.less), ("less_equal", np.less_equal), ("equal", np.equal),
                   ("not_equal", np.not_equal)]:
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
