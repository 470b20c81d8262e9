"""The ``np`` namespace (``mxnet.numpy``): MXNet's NumPy interface, name by name."""
from __future__ import annotations

import numpy as _onp

from .._ndarray import ndarray
from .._ops.creation import (arange, array, empty, empty_like, eye, full, full_like, identity,
                             linspace, ones, ones_like, zeros, zeros_like)
from .._ops.elementwise import (abs, absolute, add, around, bitwise_and, bitwise_not,
                                bitwise_or, bitwise_xor, ceil, clip, cos, divide, equal, exp,
                                floor, floor_divide, greater, greater_equal, invert, left_shift,
                                less, less_equal, log, logical_and, logical_not, logical_or,
                                logical_xor, maximum, minimum, mod, multiply, negative,
                                not_equal, positive, power, remainder, right_shift, round, sign,
                                sin, sqrt, square, subtract, tanh, true_divide, where)
from .._ops.indexing import nonzero
from .._ops.linalg import dot, matmul, outer, tensordot
from .._ops.reduction import all, amax, amin, any, argmax, argmin, max, mean, min, prod, sum
from .._ops.shape import (broadcast_to, concatenate, expand_dims, reshape, split, squeeze,
                          stack, swapaxes, transpose)
from . import linalg, random

# dtypes and constants are NumPy's own objects, as in MXNet (np.float32 is numpy.float32)
bool_ = _onp.bool_
bool = _onp.bool_  # noqa: A001
float16, float32, float64 = _onp.float16, _onp.float32, _onp.float64
int8, int32, int64, uint8 = _onp.int8, _onp.int32, _onp.int64, _onp.uint8
int16, uint16, uint32, uint64 = _onp.int16, _onp.uint16, _onp.uint32, _onp.uint64
dtype = _onp.dtype
pi, e, inf, nan, newaxis = _onp.pi, _onp.e, _onp.inf, _onp.nan, None
NINF, PINF, NAN, NaN = -_onp.inf, _onp.inf, _onp.nan, _onp.nan
PZERO, NZERO = 0.0, -0.0
set_printoptions = _onp.set_printoptions
finfo, iinfo = _onp.finfo, _onp.iinfo

__all__ = [
    "ndarray", "arange", "array", "empty", "empty_like", "eye", "full", "full_like", "identity",
    "linspace", "ones", "ones_like", "zeros", "zeros_like",
    "abs", "absolute", "add", "around", "bitwise_and", "bitwise_not", "bitwise_or",
    "bitwise_xor", "ceil", "clip", "cos", "divide", "equal", "exp", "floor", "floor_divide",
    "greater", "greater_equal", "invert", "left_shift", "less", "less_equal", "log",
    "logical_and", "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "mod",
    "multiply", "negative", "not_equal", "positive", "power", "remainder", "right_shift",
    "round", "sign", "sin", "sqrt", "square", "subtract", "tanh", "true_divide", "where",
    "nonzero", "dot", "matmul", "outer", "tensordot",
    "all", "amax", "amin", "any", "argmax", "argmin", "max", "mean", "min", "prod", "sum",
    "broadcast_to", "concatenate", "expand_dims", "reshape", "split", "squeeze", "stack",
    "swapaxes", "transpose", "linalg", "random",
    "bool_", "bool", "float16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "dtype", "pi", "e", "inf", "nan", "newaxis",
    "NINF", "PINF", "NAN", "NaN", "PZERO", "NZERO", "set_printoptions", "finfo", "iinfo",
]
