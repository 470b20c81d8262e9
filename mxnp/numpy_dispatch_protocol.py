"""``mxnet.numpy_dispatch_protocol``: the NumPy functions and ufuncs that hand mxnp arrays to
mxnp's own ops (NumPy's ``__array_function__`` and ``__array_ufunc__`` protocols).

The dispatch itself lives in ``mxnp/_ops/interop.py``; this module names what it covers, as
MXNet's module of the same name does, for code (and MXNet's tests) that reads the lists.
"""
from __future__ import annotations

import functools

from ._ops import interop

__all__ = ["with_array_function_protocol", "with_array_ufunc_protocol"]

# the functions dispatched through __array_function__, by their NumPy names (MXNet's list,
# less the names NumPy 2 no longer has, such as product and sometrue)
_NUMPY_ARRAY_FUNCTION_LIST = [("linalg." if f.__module__.endswith("linalg") else "") + f.__name__
                              for f in interop.FUNCTIONS]

# the ufuncs MXNet 1.9.1 dispatches through __array_ufunc__, each answered by an mxnp op
_NUMPY_ARRAY_UFUNC_LIST = [
    "abs", "fabs", "add", "arctan2", "copysign", "degrees", "hypot", "lcm", "subtract",
    "multiply", "true_divide", "negative", "power", "mod", "matmul", "absolute", "rint", "sign",
    "exp", "log", "log2", "log10", "expm1", "sqrt", "square", "cbrt", "reciprocal", "invert",
    "bitwise_not", "remainder", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos",
    "arctan", "arcsinh", "arccosh", "arctanh", "maximum", "minimum", "ceil", "trunc", "floor",
    "bitwise_and", "bitwise_xor", "bitwise_or", "logical_not", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal"]


def _protocol_decorator(kind: str):
    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as e:
                raise RuntimeError(f"Running function {func.__name__} with NumPy {kind} "
                                   f"protocol failed with exception {e}") from e
        return run
    return decorate


with_array_function_protocol = _protocol_decorator("array function")
with_array_function_protocol.__doc__ = (
    "Decorator: run ``func``; an exception comes back as RuntimeError naming the array "
    "function protocol (NumPy >= 1.17 always has it).")
with_array_ufunc_protocol = _protocol_decorator("array ufunc")
with_array_ufunc_protocol.__doc__ = (
    "Decorator: run ``func``; an exception comes back as RuntimeError naming the array ufunc "
    "protocol.")
