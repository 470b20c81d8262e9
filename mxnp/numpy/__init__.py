"""The ``np`` namespace (``mxnet.numpy``): MXNet's NumPy interface, name by name."""
from __future__ import annotations

import builtins as _builtins

import numpy as _onp

from .._ndarray import ndarray
from .._ops.covariance import corrcoef, correlate, cov
from .._ops.creation import (
                             arange,
                             array,
                             empty,
                             empty_like,
                             eye,
                             full,
                             full_like,
                             identity,
                             linspace,
                             ones,
                             ones_like,
                             zeros,
                             zeros_like,
)
from .._ops.linalg.einsum import einsum
from .._ops.elementwise import (
    abs,
    absolute,
    add,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    around,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    ceil,
    clip,
    cos,
    cosh,
    divide,
    equal,
    exp,
    floor,
    floor_divide,
    greater,
    greater_equal,
    invert,
    left_shift,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    positive,
    power,
    remainder,
    right_shift,
    round,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    true_divide,
    where,
)
from .._ops.gather import (
                             argwhere,
                             choose,
                             compress,
                             diag_indices_from,
                             extract,
                             flatnonzero,
                             packbits,
                             piecewise,
                             select,
                             take,
                             take_along_axis,
                             tril_indices_from,
                             triu_indices_from,
                             unpackbits,
                             unravel_index,
)
from .._ops.histograms import (
                             bincount,
                             digitize,
                             histogram,
                             histogram2d,
                             histogram_bin_edges,
                             histogramdd,
                             interp,
)
from .._ops.indexing import nonzero
from .._ops.joining import (
                             append,
                             array_split,
                             column_stack,
                             delete,
                             dsplit,
                             dstack,
                             hsplit,
                             hstack,
                             insert,
                             row_stack,
                             vsplit,
                             vstack,
)
from .._ops.linalg.products import dot, matmul, outer, tensordot
from .._ops.linalg.ops import inner, vdot
from .._ops.manipulation import (
                             atleast_1d,
                             atleast_2d,
                             atleast_3d,
                             broadcast_arrays,
                             copy,
                             flip,
                             fliplr,
                             flipud,
                             may_share_memory,
                             moveaxis,
                             ndim,
                             ravel,
                             repeat,
                             resize,
                             roll,
                             rollaxis,
                             rot90,
                             shape,
                             shares_memory,
                             size,
                             tile,
                             trim_zeros,
)
from .._ops.math import (
    arctan2,
    cbrt,
    copysign,
    deg2rad,
    degrees,
    divmod,
    expm1,
    fabs,
    fix,
    float_power,
    frexp,
    heaviside,
    hypot,
    i0,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    lcm,
    ldexp,
    log1p,
    log2,
    log10,
    modf,
    nan_to_num,
    rad2deg,
    radians,
    real,
    reciprocal,
    rint,
    signbit,
    spacing,
    trunc,
)
from .._ops.matrices import diag, diagflat, diagonal, indices, ix_, logspace, meshgrid, tril, triu
from .._ops.misc import (
                             apply_along_axis,
                             apply_over_axes,
                             blackman,
                             genfromtxt,
                             hamming,
                             hanning,
                             min_scalar_type,
                             mirr,
                             npv,
                             ppmt,
                             promote_types,
                             pv,
                             rate,
                             result_type,
)
from .._ops.nanfuncs import nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmin, nanprod
from .._ops.padding import pad
from .._ops.polynomial import (
                             poly,
                             polyadd,
                             polydiv,
                             polyfit,
                             polyint,
                             polymul,
                             polysub,
                             polyval,
                             roots,
                             vander,
)
from .._ops.quantiles import median, nanmedian, nanpercentile, nanquantile, percentile, quantile
from .._ops.reduction import all, amax, amin, any, argmax, argmin, max, mean, min, prod, sum
from .._ops.shape import (
                             broadcast_to,
                             concatenate,
                             expand_dims,
                             reshape,
                             split,
                             squeeze,
                             stack,
                             swapaxes,
                             transpose,
)
from .._ops.sorting import (
                             argpartition,
                             argsort,
                             in1d,
                             intersect1d,
                             isin,
                             lexsort,
                             msort,
                             partition,
                             searchsorted,
                             setdiff1d,
                             setxor1d,
                             sort,
                             union1d,
                             unique,
)
from .._ops.statistics import (
                             allclose,
                             alltrue,
                             array_equal,
                             array_equiv,
                             average,
                             count_nonzero,
                             cumprod,
                             cumsum,
                             diff,
                             ediff1d,
                             isclose,
                             product,
                             ptp,
                             sometrue,
                             std,
                             trace,
                             trapz,
                             unwrap,
                             var,
)
from . import _numbers, linalg, random

# Python numbers in, NumPy scalars out: MXNet answers these with official NumPy when every
# input is a number, and its ufuncs take `out` positionally (see _numbers.py)
(
    abs, absolute, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh,
    bitwise_and, bitwise_not, bitwise_or, bitwise_xor, cbrt, ceil, copysign, cos, cosh,
    deg2rad, degrees, divide, equal, exp, expm1, fabs, floor, floor_divide, greater,
    greater_equal, hypot, invert, isfinite, isinf, isnan, lcm, ldexp, left_shift, less,
    less_equal, log, log10, log1p, log2, logical_and, logical_not, logical_or, logical_xor,
    maximum, minimum, mod, multiply, negative, not_equal, power, rad2deg, radians,
    reciprocal, remainder, right_shift, rint, sign, sin, sinh, sqrt, square, subtract, tan,
    tanh, true_divide, trunc,
) = _numbers.ufuncs(
    abs, absolute, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh,
    bitwise_and, bitwise_not, bitwise_or, bitwise_xor, cbrt, ceil, copysign, cos, cosh,
    deg2rad, degrees, divide, equal, exp, expm1, fabs, floor, floor_divide, greater,
    greater_equal, hypot, invert, isfinite, isinf, isnan, lcm, ldexp, left_shift, less,
    less_equal, log, log10, log1p, log2, logical_and, logical_not, logical_or, logical_xor,
    maximum, minimum, mod, multiply, negative, not_equal, power, rad2deg, radians,
    reciprocal, remainder, right_shift, rint, sign, sin, sinh, sqrt, square, subtract, tan,
    tanh, true_divide, trunc,
)
fix = _numbers.ufunc(fix, "fix", nin=1)
around, round = _numbers.numbers(around, _onp.round, 2), _numbers.numbers(round, _onp.round, 2)
# a number to clip answers in NumPy whatever its bounds (None among them)
clip, flip, tile = (_numbers.numbers(clip, _onp.clip, inputs=1),
                    _numbers.numbers(flip, _onp.flip), _numbers.numbers(tile, _onp.tile))
isneginf = _numbers.ufunc(isneginf, "isneginf", nin=1, official=_onp.isneginf)
isposinf = _numbers.ufunc(isposinf, "isposinf", nin=1, official=_onp.isposinf)
nan_to_num = _numbers.numbers(nan_to_num, _onp.nan_to_num)
ravel = _numbers.numbers(ravel, _onp.ravel, 1)
unravel_index = _numbers.numbers(unravel_index, _onp.unravel_index, inputs=1)
copy = _numbers.out_positional(copy, 1)
where = _numbers.where_numbers(where)
# mxnet.numpy.fallback: official NumPy functions in MXNet, so calls without an mxnp array
# (numbers, lists, NumPy arrays) get NumPy's own answer
(
    allclose, alltrue, apply_along_axis, apply_over_axes, argpartition, argwhere,
    array_equal, array_equiv, choose, compress, corrcoef, correlate, count_nonzero, cov,
    digitize, divmod, extract, flatnonzero, float_power, frexp, heaviside, histogram2d,
    histogram_bin_edges, histogramdd, i0, in1d, interp, intersect1d, isclose, isin, ix_,
    lexsort, min_scalar_type, mirr, modf, msort, nanargmax, nanargmin, nancumprod,
    nancumsum, nanmax, nanmedian, nanmin, nanpercentile, nanprod, nanquantile, ndim, npv,
    partition, piecewise, packbits, poly, polyadd, polydiv, polyfit, polyint, polymul,
    polysub, positive, ppmt, promote_types, ptp, pv, rate, real, result_type, rollaxis,
    roots, searchsorted, select, setdiff1d, setxor1d, signbit, size, spacing,
    take_along_axis, trapz, tril_indices_from, trim_zeros, triu_indices_from, union1d,
    unpackbits, unwrap, vander,
) = _numbers.fallbacks(
    allclose, alltrue, apply_along_axis, apply_over_axes, argpartition, argwhere,
    array_equal, array_equiv, choose, compress, corrcoef, correlate, count_nonzero, cov,
    digitize, divmod, extract, flatnonzero, float_power, frexp, heaviside, histogram2d,
    histogram_bin_edges, histogramdd, i0, in1d, interp, intersect1d, isclose, isin, ix_,
    lexsort, min_scalar_type, mirr, modf, msort, nanargmax, nanargmin, nancumprod,
    nancumsum, nanmax, nanmedian, nanmin, nanpercentile, nanprod, nanquantile, ndim, npv,
    partition, piecewise, packbits, poly, polyadd, polydiv, polyfit, polyint, polymul,
    polysub, positive, ppmt, promote_types, ptp, pv, rate, real, result_type, rollaxis,
    roots, searchsorted, select, setdiff1d, setxor1d, signbit, size, spacing,
    take_along_axis, trapz, tril_indices_from, trim_zeros, triu_indices_from, union1d,
    unpackbits, unwrap, vander,
)

round_ = round  # NumPy's old alias, still in MXNet's list

# dtypes and constants are NumPy's own objects, as in MXNet (np.float32 is numpy.float32)
bool_ = _onp.bool_
# np.bool is Python's bool in MXNet 1.9.1 (NumPy 1.x's alias), not numpy.bool_
bool = _builtins.bool  # noqa: A001
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
__all__ += ["arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "cbrt",
            "copysign", "cosh", "deg2rad", "degrees", "divmod", "expm1", "fabs", "fix",
            "float_power", "frexp", "heaviside", "hypot", "i0", "isfinite", "isinf", "isnan",
            "isneginf", "isposinf", "lcm", "ldexp", "log1p", "log2", "log10", "modf",
            "nan_to_num", "rad2deg", "radians", "real", "reciprocal", "rint", "signbit", "sinh",
            "spacing", "tan", "trunc"]
__all__ += ["argwhere", "choose", "compress", "diag_indices_from", "extract", "flatnonzero",
            "packbits", "piecewise", "select", "take", "take_along_axis", "tril_indices_from",
            "triu_indices_from", "unpackbits", "unravel_index", "argpartition", "argsort", "in1d",
            "intersect1d", "isin", "lexsort", "msort", "partition", "searchsorted", "setdiff1d",
            "setxor1d", "sort", "union1d", "unique"]
__all__ += ["corrcoef", "correlate", "cov", "allclose", "alltrue", "array_equal", "array_equiv",
            "average", "count_nonzero", "cumprod", "cumsum", "diff", "ediff1d", "isclose",
            "product", "ptp", "sometrue", "std", "trace", "trapz", "var"]
__all__ += ["apply_along_axis", "apply_over_axes", "blackman", "genfromtxt", "hamming",
            "hanning", "min_scalar_type", "mirr", "npv", "ppmt", "promote_types", "pv",
            "rate", "result_type", "poly", "polyadd", "polydiv", "polyfit", "polyint",
            "polymul", "polysub", "polyval", "roots", "vander"]
__all__ += ["bincount", "digitize", "histogram", "histogram2d", "histogram_bin_edges",
            "histogramdd", "interp", "nanargmax", "nanargmin", "nancumprod", "nancumsum",
            "nanmax", "nanmin", "nanprod", "median", "nanmedian", "nanpercentile", "nanquantile",
            "percentile", "quantile"]
__all__ += ["einsum", "inner", "vdot"]
__all__ += [
    "append", "array_split", "column_stack", "delete", "dsplit", "dstack", "hsplit", "hstack",
    "insert", "row_stack", "vsplit", "vstack", "atleast_1d", "atleast_2d", "atleast_3d",
    "broadcast_arrays", "copy", "flip", "fliplr", "flipud", "may_share_memory", "moveaxis",
    "ndim", "ravel", "repeat", "resize", "roll", "rollaxis", "rot90", "shape", "shares_memory",
    "size", "tile", "trim_zeros", "diag", "diagflat", "diagonal", "indices", "ix_", "logspace",
    "meshgrid", "tril", "triu", "pad",
]
__all__ += ["round_", "unwrap"]

from . import _internal, fallback, fallback_linalg  # noqa: F401 - over the names above
