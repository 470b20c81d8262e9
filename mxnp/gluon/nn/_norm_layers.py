"""gluon.nn normalisation layers: BatchNorm, BatchNormReLU, InstanceNorm, LayerNorm, GroupNorm.

Imported by basic_layers, so ``gluon.nn.basic_layers.BatchNorm`` works as in MXNet.
InstanceNorm and GroupNorm are composites of np ops (MXNet 1.9.1's numpy mode cannot run them;
the formulas are those of its legacy operators).
"""
from __future__ import annotations

import numpy as onp

from ...base import OpError
from ..block import HybridBlock

__all__ = ["BatchNorm", "BatchNormReLU", "InstanceNorm", "LayerNorm", "GroupNorm"]


def _kwargs_text(kwargs: dict) -> str:
    """``k1=repr(v1), k2=repr(v2)``: how the normalisation layers print their settings."""
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def _scale_shift(params, center, scale, shape, beta_init, gamma_init, mark=False):
    """The gamma and beta Parameters; a disabled one keeps its value but takes no gradient
    (and, with ``mark``, is also marked not differentiable, as BatchNorm's are)."""
    gamma = params.get("gamma", grad_req="write" if scale else "null", shape=shape,
                       init=gamma_init, allow_deferred_init=True,
                       **({"differentiable": scale} if mark else {}))
    beta = params.get("beta", grad_req="write" if center else "null", shape=shape,
                      init=beta_init, allow_deferred_init=True,
                      **({"differentiable": center} if mark else {}))
    return gamma, beta


def _axis_size(block, x, axis) -> int:
    """The size of ``axis`` of input ``x``; an axis the input lacks is reported by name."""
    if not -x.ndim <= axis < x.ndim:
        raise OpError(f"{type(block).__name__}: axis {axis} is out of range for input of shape "
                      f"{x.shape}")
    return x.shape[axis]


def _normalize(F, x, axes, eps):
    """(x - mean) / sqrt(var + eps) over ``axes``, with the biased variance."""
    centred = x - F.np.mean(x, axis=axes, keepdims=True)
    var = F.np.mean(centred * centred, axis=axes, keepdims=True)
    return centred / F.np.sqrt(var + eps)


class _BatchNorm(HybridBlock):
    """What BatchNorm and BatchNormReLU share."""

    _relu = False

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer="zeros", gamma_initializer="ones",
                 running_mean_initializer="zeros", running_variance_initializer="ones",
                 in_channels=0, **kwargs):
        super().__init__(**kwargs)
        # fix_gamma is MXNet's operator name for scale=False: gamma is then treated as 1
        self._kwargs = {"axis": axis, "eps": epsilon, "momentum": momentum,
                        "fix_gamma": not scale, "use_global_stats": use_global_stats}
        if in_channels != 0:
            self.in_channels = in_channels
        shape = (in_channels,)
        self.gamma, self.beta = _scale_shift(self.params, center, scale, shape,
                                             beta_initializer, gamma_initializer, mark=True)
        self.running_mean = self.params.get("running_mean", grad_req="null", shape=shape,
                                            init=running_mean_initializer,
                                            allow_deferred_init=True, differentiable=False)
        self.running_var = self.params.get("running_var", grad_req="null", shape=shape,
                                           init=running_variance_initializer,
                                           allow_deferred_init=True, differentiable=False)

    def infer_shape(self, x, *args):
        """Every parameter has one entry per channel: the size of ``axis``."""
        channels = _axis_size(self, x, self._kwargs["axis"])
        for p in (self.gamma, self.beta, self.running_mean, self.running_var):
            p.shape = (channels,)

    def cast(self, dtype):
        """Cast the parameters; float16 stays float32 (the operator computes in float32)."""
        if onp.dtype(dtype).name == "float16":
            dtype = "float32"
        super().cast(dtype)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        """Batch statistics in training mode (updated into the running ones by the backward),
        the running statistics otherwise."""
        out = F.npx.batch_norm(x, gamma, beta, running_mean, running_var, name="fwd",
                                **self._kwargs)
        return F.npx.relu(out) if self._relu else out

    def __repr__(self):
        return (f"{type(self).__name__}({_kwargs_text(self._kwargs)}, "
                f"in_channels={self.gamma.shape[0] or None})")  # MXNet: None for 0


class BatchNorm(_BatchNorm):
    """Batch normalisation along ``axis``, with running statistics for prediction."""


class BatchNormReLU(_BatchNorm):
    """BatchNorm followed by ReLU.

    Differs from MXNet 1.9.1's numpy mode, which silently leaves out the ReLU.
    """

    _relu = True


class _AxisNorm(HybridBlock):
    """What InstanceNorm and LayerNorm share: gamma/beta sized by one axis, and the repr."""

    def _declare(self, axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                 in_channels):
        self._kwargs = {"eps": epsilon, "axis": axis, "center": center, "scale": scale}
        self._axis = axis
        self._epsilon = epsilon
        self.gamma, self.beta = _scale_shift(self.params, center, scale,
                                             (in_channels,), beta_initializer,
                                             gamma_initializer)

    def infer_shape(self, x, *args):
        """gamma and beta have one entry per position along ``axis``."""
        for p in (self.gamma, self.beta):
            p.shape = (_axis_size(self, x, self._axis),)

    def __repr__(self):
        return (f"{type(self).__name__}({_kwargs_text(self._kwargs)}, "
                f"in_channels={self.gamma.shape[0]})")


class InstanceNorm(_AxisNorm):
    """Normalises each sample's channel (``axis``) over the remaining axes."""

    def __init__(self, axis=1, epsilon=1e-5, center=True, scale=False,
                 beta_initializer="zeros", gamma_initializer="ones", in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._declare(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                      in_channels)

    def hybrid_forward(self, F, x, gamma, beta):
        """Channels on axis 1, statistics over axes 2.. per sample and channel."""
        if self._axis != 1:
            x = F.np.swapaxes(x, 1, self._axis)
        bshape = (1, -1) + (1,) * (x.ndim - 2)
        y = _normalize(F, x, tuple(range(2, x.ndim)), self._epsilon)
        y = y * F.np.reshape(gamma, bshape) + F.np.reshape(beta, bshape)
        return y if self._axis == 1 else F.np.swapaxes(y, 1, self._axis)

    def _symbol_forward(self, F, x, gamma, beta):
        """On Symbols: MXNet's InstanceNorm node (``fwd``)."""
        if self._axis == 1:
            return F.InstanceNorm(x, gamma, beta, eps=self._epsilon, name="fwd")
        x = F.swapaxes(x, dim1=1, dim2=self._axis)
        y = F.InstanceNorm(x, gamma, beta, eps=self._epsilon, name="fwd")
        return F.swapaxes(y, dim1=1, dim2=self._axis)


class LayerNorm(_AxisNorm):
    """Normalises each position over ``axis`` (the last by default)."""

    def __init__(self, axis=-1, epsilon=1e-5, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", in_channels=0,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._declare(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                      in_channels)

    def hybrid_forward(self, F, data, gamma, beta):
        """npx.layer_norm over ``axis``."""
        return F.npx.layer_norm(data, gamma=gamma, beta=beta, axis=self._axis,
                                eps=self._epsilon)


class GroupNorm(HybridBlock):
    """Normalises each sample's channel groups; gamma and beta hold one value per group."""

    def __init__(self, num_groups=1, epsilon=1e-5, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {"eps": epsilon, "num_groups": num_groups, "center": center,
                        "scale": scale}
        self._num_groups = num_groups
        self._epsilon = epsilon
        self.gamma, self.beta = _scale_shift(self.params, center, scale,
                                             (num_groups,), beta_initializer,
                                             gamma_initializer)

    def hybrid_forward(self, F, data, gamma, beta):
        """Statistics over each group of channels (and all later axes) per sample."""
        groups = self._num_groups
        if data.ndim < 2 or data.shape[1] % groups:
            raise OpError(f"GroupNorm: data of shape {data.shape} has no channel axis 1 that "
                          f"{groups} groups divide evenly")
        grouped = F.np.reshape(data, (data.shape[0], groups, -1))
        y = _normalize(F, grouped, 2, self._epsilon)
        y = y * F.np.reshape(gamma, (1, groups, 1)) + F.np.reshape(beta, (1, groups, 1))
        return F.np.reshape(y, data.shape)

    def _symbol_forward(self, F, data, gamma, beta):
        """On Symbols: MXNet's GroupNorm node."""
        return F.GroupNorm(data, gamma=gamma, beta=beta, num_groups=self._num_groups,
                           eps=self._epsilon)

    def __repr__(self):
        return f"{type(self).__name__}({_kwargs_text(self._kwargs)})"
