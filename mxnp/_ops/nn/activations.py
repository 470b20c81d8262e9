"""npx.activation and npx.leaky_relu: MXNet's Activation and LeakyReLU operators.

Most act types are composites of our ops (their gradients come free). ``softrelu`` is a
primitive: its composite (max + log1p) would give 0 or 1 at x = 0 instead of the true 0.5.
"""
from __future__ import annotations

import math

import numpy as onp

from ... import _backend
from ..._tape import STATE
from ...base import OpError, OpTypeError
from .. import elementwise as ew
from ..creation import _make
from ..math import expm1
from ..primitive import Primitive, write_out
from ..shape import reshape
from ..special import erf
from .basic import float_input, relu, sigmoid

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946


def _softrelu_forward(xp, x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large |x|
    return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))


# d softplus = sigmoid
softrelu = Primitive("softrelu", _softrelu_forward, (lambda g, ans, x: g * sigmoid(x),),
                     keep=(0,))


def _softsign_forward(xp, x):
    return (x / (xp.abs(x) + x.dtype.type(1))).astype(x.dtype, copy=False)


def _softsign_grad(g, ans, x):
    # MXNet's softsign_grad: 1 / sqr(1 + |x|), times the incoming gradient
    d = ew.absolute(x) + 1
    return g * (1 / (d * d))


# a primitive for MXNet's gradient rounding (the quotient rule of the composite is a few ulp off)
softsign = Primitive("softsign", _softsign_forward, (_softsign_grad,), keep=(0,))
_softsign = softsign


_ACTIVATIONS = {"relu": relu, "sigmoid": sigmoid, "tanh": ew.tanh, "softrelu": softrelu,
                "softsign": _softsign}


def activation(data, act_type=None, out=None, name=None):
    """MXNet's Activation: relu, sigmoid, tanh, softrelu (softplus) or softsign."""
    if act_type is None:
        raise OpTypeError("activation: the required parameter act_type is missing")
    fn = _ACTIVATIONS.get(act_type)
    if fn is None:
        raise OpError(f"activation: invalid act_type {act_type!r}; valid values are "
                      f"{sorted(_ACTIVATIONS)}")
    return write_out(fn(float_input("activation", data)), out)


# ---- leaky_relu --------------------------------------------------------------------------------
def _negative_part(x, scale):
    """``x`` where x > 0, else ``scale * x``: x = 0 takes the negative side's slope (MXNet)."""
    return ew.where(x > 0, x, x * scale)


def _elu(x, slope):
    # expm1 of min(x, 0): the unused branch never overflows (an inf there would give nan grads)
    return ew.where(x > 0, x, expm1(ew.minimum(x, 0)) * slope)


def _gelu(x):
    # the erf gelu, as MXNet's LeakyReLU computes it (not the tanh approximation)
    return x * (erf(x * (1 / math.sqrt(2))) + 1) * 0.5


def _prelu_gamma(gamma, shape):
    """``gamma`` shaped to broadcast against data of ``shape``, by MXNet's rule.

    Matching from the right, gamma's axes may sit only on data axes 0 and 1 (equal sizes, or
    1); a single value broadcasts everywhere.
    """
    if gamma.size == 1:
        return reshape(gamma, ())
    out = [1] * len(shape)
    s = gamma.ndim - 1
    for i in range(len(shape) - 1, -1, -1):
        if s >= 0 and i <= 1 and gamma.shape[s] in (shape[i], 1):
            out[i] = gamma.shape[s]
            s -= 1
    if s != -1:
        raise OpError(f"leaky_relu: cannot broadcast gamma of shape {gamma.shape} to data of "
                      f"shape {shape} (gamma runs along axis 1, the channels)")
    return reshape(gamma, tuple(out))


def _rrelu_slopes(x, lower_bound, upper_bound):
    """Per-element slopes: uniform in [lower, upper) when training, their mean otherwise."""
    if not STATE.training:
        return (lower_bound + upper_bound) / 2
    dev, shape, dtype = x._device, x.shape, x.dtype
    # the generator is looked up at each draw: a hybridized replay re-runs this after a reseed
    return _make("leaky_relu", lambda xp: (lower_bound + (upper_bound - lower_bound)
                                           * _backend.generator(dev).random(shape)).astype(dtype),
                 dev, None)


def leaky_relu(data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125,
               upper_bound=0.334, out=None, name=None):
    """MXNet's LeakyReLU: leaky, elu, selu, gelu, prelu (learned ``gamma``) or rrelu.

    Differs from MXNet: rrelu returns one array (MXNet adds an uninitialised second output,
    and crashes under record).
    """
    x = float_input("leaky_relu", data)
    if act_type not in ("leaky", "elu", "selu", "gelu", "prelu", "rrelu"):
        raise OpError(f"leaky_relu: invalid act_type {act_type!r}; valid values are "
                      "['elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu']")
    if (gamma is not None) != (act_type == "prelu"):
        raise OpTypeError("leaky_relu: gamma is required with act_type='prelu' and not "
                          f"accepted otherwise (act_type={act_type!r})")
    if act_type == "leaky":
        y = _negative_part(x, slope)
    elif act_type == "elu":
        y = _elu(x, slope)
    elif act_type == "selu":
        y = _elu(x, _SELU_ALPHA) * _SELU_LAMBDA
    elif act_type == "gelu":
        y = _gelu(x)
    elif act_type == "prelu":
        if float_input("leaky_relu", gamma, "gamma").dtype != x.dtype:
            raise OpTypeError(f"leaky_relu: gamma is {onp.dtype(gamma.dtype).name} but data is "
                              f"{onp.dtype(x.dtype).name}")
        # the negative side from where(x > 0, 0, x): an x = +inf would make gamma's
        # gradient inf * 0 = nan (MXNet leaves positive inputs out of it)
        y = ew.where(x > 0, x, ew.where(x > 0, 0.0, x) * _prelu_gamma(gamma, x.shape))
    else:
        y = _negative_part(x, _rrelu_slopes(x, lower_bound, upper_bound))
    return write_out(y, out)
