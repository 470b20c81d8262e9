"""``mx.init`` / ``mx.initializer``: the rules that fill a parameter's array when it is created.

Each initializer fills an mxnp ndarray in place with ``np`` ops; random ones draw from mxnp's
``np.random``, so ``mx.random.seed`` / ``npx.random.seed`` make them reproducible. Called with an
``InitDesc`` (as gluon does), an initializer applies its *weight* rule whatever the parameter's
name (MXNet 1.9.1 gluon's observed rule); a plain-string name gets the classic suffix rules.
"""
from __future__ import annotations

import json
import math

import numpy as onp

from . import autograd
from . import numpy as np
from ._initializer_base import _REGISTRY  # noqa: F401 (the registry, read by tests and users)
from ._initializer_base import (InitDesc, Initializer, _draw_dtype, _fill, _normal, _uniform,
                                alias, create, register)
# the initializers built from other initializers live next door, to keep this file short
from ._initializer_composite import FusedRNN, Load, Mixed
from ._ndarray import ndarray

__all__ = ["Bilinear", "Constant", "FusedRNN", "InitDesc", "Initializer", "LSTMBias", "Load",
           "MSRAPrelu", "Mixed", "Normal", "One", "Orthogonal", "Uniform", "Xavier", "Zero",
           "alias", "create", "register"]


@register
@alias("zeros")
class Zero(Initializer):
    """Fills with 0."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr) -> None:
        _fill(arr, 0.0)


@register
@alias("ones")
class One(Initializer):
    """Fills with 1."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr) -> None:
        _fill(arr, 1.0)


@register
class Constant(Initializer):
    """Fills with ``value``: a scalar, an ndarray or a nested list broadcastable to the shape."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr) -> None:
        value = self.value
        if not isinstance(value, (ndarray, int, float, bool, onp.number)):
            value = np.array(onp.asarray(value), dtype=arr.dtype, ctx=arr.ctx)  # list constant
        _fill(arr, value)

    def dumps(self) -> str:
        """JSON with the value as a (nested) list when it is not a scalar."""
        value = self._kwargs["value"]
        if isinstance(value, (ndarray, onp.ndarray, onp.number)):
            value = value.tolist()
        return json.dumps([self.__class__.__name__.lower(), dict(self._kwargs, value=value)])


@register
class Uniform(Initializer):
    """Draws from U(-scale, scale)."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr) -> None:
        _fill(arr, _uniform(arr, -self.scale, self.scale))


@register
class Normal(Initializer):
    """Draws from N(0, sigma^2)."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr) -> None:
        _fill(arr, _normal(arr, 0, self.sigma))


@register
class Orthogonal(Initializer):
    """An orthogonal matrix (of the weight flattened to 2-D) times ``scale``."""

    def __init__(self, scale=1.414, rand_type="uniform"):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, _, arr) -> None:
        flat = np.zeros((arr.shape[0], int(onp.prod(arr.shape[1:]))), dtype=_draw_dtype(arr),
                        ctx=arr.ctx)
        if self.rand_type == "uniform":
            tmp = _uniform(flat, -1.0, 1.0, legacy=True)  # mx.random's, in both modes
        elif self.rand_type == "normal":
            tmp = _normal(flat, 0.0, 1.0, legacy=True)
        else:
            raise ValueError("Unknown random type")
        u, _, vh = np.linalg.svd(tmp, full_matrices=False)
        # the factor of tmp's own shape has orthonormal rows (wide) or columns (tall)
        res = u if u.shape == tmp.shape else vh
        _fill(arr, self.scale * res.reshape(arr.shape))


@register
class Xavier(Initializer):
    """Uniform or Gaussian draws scaled by sqrt(magnitude / fan), fan from ``factor_type``."""

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr) -> None:
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError(f"Xavier initializer cannot be applied to vector {name}. It requires"
                             " at least 2D.")
        hw_scale = float(onp.prod(shape[2:])) if len(shape) > 2 else 1.0
        fans = {"in": shape[1] * hw_scale, "out": shape[0] * hw_scale}
        fans["avg"] = (fans["in"] + fans["out"]) / 2.0
        if self.factor_type not in fans:
            raise ValueError("Incorrect factor type")
        scale = math.sqrt(self.magnitude / fans[self.factor_type])
        if self.rnd_type == "uniform":
            _fill(arr, _uniform(arr, -scale, scale))
        elif self.rnd_type == "gaussian":
            _fill(arr, _normal(arr, 0, scale))
        else:
            raise ValueError("Unknown random type")


@register
class MSRAPrelu(Xavier):
    """He/MSRA initialisation: Gaussian Xavier with magnitude 2 / (1 + slope^2)."""

    def __init__(self, factor_type="avg", slope=0.25):
        super().__init__("gaussian", factor_type, 2.0 / (1 + slope ** 2))
        self._kwargs = {"factor_type": factor_type, "slope": slope}


@register
class Bilinear(Initializer):
    """The bilinear-upsampling kernel, the same for every (out, in) pair of a 4-D weight."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr) -> None:
        self._init_bilinear(_, arr)


@register
class LSTMBias(Initializer):
    """Zeros except ``forget_bias`` on the forget gate (the second quarter; gates i, f, c, o)."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr) -> None:
        hidden = arr.shape[0] // 4
        _fill(arr, 0.0)
        with autograd.pause():
            arr[hidden:2 * hidden] = self.forget_bias
