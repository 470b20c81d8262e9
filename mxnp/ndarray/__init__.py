"""``mx.nd``: MXNet 1.x's imperative ``NDArray`` interface on mxnp's arrays and tape.

Every operator here is one row of ``mxnp.ndarray._registry.OPS``, the table ``mx.sym`` builds
on; ``mx.nd.np`` and ``mx.nd.npx`` are mxnp's NumPy namespaces (gluon layers call ``F.np``).
"""
from __future__ import annotations

from .. import numpy as np
from .. import numpy_extension as npx
from ._nn import (
    Activation,
    BatchNorm,
    BlockGrad,
    Concat,
    Convolution,
    Deconvolution,
    Dropout,
    Flatten,
    FullyConnected,
    LinearRegressionOutput,
    LogisticRegressionOutput,
    MAERegressionOutput,
    MakeLoss,
    Pooling,
    SoftmaxActivation,
    SoftmaxOutput,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softmin,
)
from ._creation import arange, array, empty, eye, full, linspace, ones, ones_like, zeros, zeros_like
from ._registry import OPS
from ._shape import Reshape
from ._tensor import (
    broadcast_add,
    broadcast_div,
    broadcast_equal,
    broadcast_greater,
    broadcast_greater_equal,
    broadcast_hypot,
    broadcast_lesser,
    broadcast_lesser_equal,
    broadcast_logical_and,
    broadcast_logical_or,
    broadcast_logical_xor,
    broadcast_maximum,
    broadcast_minimum,
    broadcast_mod,
    broadcast_mul,
    broadcast_not_equal,
    broadcast_power,
    broadcast_sub,
    max,
    mean,
    min,
    nanprod,
    nansum,
    prod,
    sum,
)
from ._unary import (
    Cast,
    abs,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    cbrt,
    ceil,
    clip,
    cos,
    cosh,
    degrees,
    erf,
    erfinv,
    exp,
    expm1,
    fix,
    floor,
    gamma,
    gammaln,
    hard_sigmoid,
    identity,
    log,
    log1p,
    log2,
    log10,
    logical_not,
    negative,
    radians,
    rcbrt,
    reciprocal,
    rint,
    round,
    rsqrt,
    sign,
    sin,
    sinh,
    softsign,
    sqrt,
    square,
    tan,
    tanh,
    trunc,
)
from .ndarray import NDArray

numpy = np
cast = Cast
numpy_extension = npx
Softmax = SoftmaxOutput
flatten = Flatten
concat = Concat
reshape = Reshape
stop_gradient = BlockGrad
make_loss = MakeLoss
broadcast_plus = add = elemwise_add = broadcast_add
broadcast_minus = subtract = elemwise_sub = broadcast_sub
multiply = elemwise_mul = broadcast_mul
divide = true_divide = elemwise_div = broadcast_div
modulo = broadcast_mod
power = broadcast_power
maximum = broadcast_maximum
minimum = broadcast_minimum
equal = broadcast_equal
not_equal = broadcast_not_equal
greater = broadcast_greater
greater_equal = broadcast_greater_equal
lesser = broadcast_lesser
lesser_equal = broadcast_lesser_equal
logical_and = broadcast_logical_and
logical_or = broadcast_logical_or
logical_xor = broadcast_logical_xor
sum_axis = sum
max_axis = max
min_axis = min

__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]
