"""Momentum-family optimizers: SGD, NAG, Signum, SGLD, DCASGD, plus ccSGD and Test.

Formulas follow MXNet 1.9.1's update kernels (gluon-semantics §7), step for step, including
where weight decay enters and the order of rescaling and clipping.
"""
from __future__ import annotations

import math
import os

import numpy as onp

from .. import numpy as np
from .._ops import update as _fused
from ._base import Optimizer, one_minus, register

__all__ = ["SGD", "ccSGD", "NAG", "Signum", "SGLD", "DCASGD", "Test"]


def _zeros_like(weight):
    return np.zeros(weight.shape, dtype=weight.dtype, ctx=weight.ctx)


def _clips(clip) -> bool:
    return clip is not None and clip > 0


def sgd_step(weight, grad, mom, lr, wd, momentum, opt):
    """One (momentum) SGD step in place, as MXNet's optimizer kernel orders it (see
    ``_ops.update.sgd_update``, the same arithmetic in one call)."""
    if _fused.fusable(weight, grad, mom):
        _fused.sgd_update(weight, grad, mom, lr, wd, momentum, opt.rescale_grad,
                          opt.clip_gradient)
        return
    lr, wd, momentum, rescale = (float(onp.float32(v)) for v in (lr, wd, momentum,
                                                                 opt.rescale_grad))
    if _clips(opt.clip_gradient):
        clip = float(onp.float32(opt.clip_gradient))
        step = lr * np.clip(grad * rescale, -clip, clip)
    else:
        step = grad * (lr * rescale)
    if mom is None:
        weight -= step + (lr * wd) * weight if wd else step
        return
    mom[:] = momentum * mom - (lr * wd) * weight - step
    weight[:] = weight + mom


@register
class SGD(Optimizer):
    """SGD with optional momentum: m = mu*m - lr*wd*w - lr*g; w += m (MXNet's rounding)."""

    _master_last = True
    _fp16_name = "SGD"

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        # with a row_sparse gradient, update only its rows (Optimizer._lazy)
        self.lazy_update = lazy_update
        # MXNet's SGD updates this many weights per call (its multi_sgd_update)
        self.aggregate_num = int(os.getenv("MXNET_OPTIMIZER_AGGREGATION_SIZE", "4"))

    def create_state(self, index, weight):
        """The momentum buffer, or None when momentum is 0."""
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        """As Optimizer.update; a sparse gradient goes through MXNet's single-weight kernels
        (``sgd_update``/``sgd_mom_update``, rounded as MXNet's), as MXNet's SGD does where
        it cannot aggregate."""
        if isinstance(index, (list, tuple)) or getattr(grad, "stype", "default") == "default":
            super().update(index, weight, grad, state)
            return
        from ..ndarray import _update as kernels  # the 1.x operators, below the optimizers

        self._update_count(index)
        kwargs = {"lr": self._get_lr(index), "wd": self._get_wd(index),
                  "rescale_grad": self.rescale_grad, "lazy_update": self.lazy_update,
                  "clip_gradient": self.clip_gradient if _clips(self.clip_gradient) else -1.0}
        if state is None:
            kernels.sgd_update(weight, grad, out=weight, **kwargs)
        else:
            kernels.sgd_mom_update(weight, grad, state, momentum=self.momentum, out=weight,
                                   **kwargs)

    def _step(self, index, weight, grad, state):
        self._steps((index,), (weight,), (grad,), (state,))

    def _steps(self, indices, weights, grads, states):
        self._update_count(indices)
        momentum = self.momentum if self.momentum > 0 else 0.0
        lrs, wds = self._get_lrs(indices), self._get_wds(indices)
        if _fused.sgd_update_all(weights, grads, states, lrs, wds, momentum, self.rescale_grad,
                                 self.clip_gradient):
            return
        for w, g, s, lr, wd in zip(weights, grads, states, lrs, wds):
            sgd_step(w, g, s, lr, wd, momentum, self)


@register
class ccSGD(SGD):  # noqa: N801 (MXNet's name)
    """Deprecated alias of SGD, kept for old code."""


@register
class NAG(Optimizer):
    """Nesterov accelerated SGD, as MXNet's in-place kernel computes it."""

    _master_last = True
    _fp16_name = "NAG"

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state(self, index, weight):
        """The momentum buffer, or None when momentum is 0."""
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        if state is None:
            sgd_step(weight, grad, None, lr, wd, 0.0, self)
            return
        mu, g = self.momentum, self._rescaled(grad)
        state[:] = mu * state
        weight[:] = weight - state + (mu + 1) * (state - lr * (g + wd * weight))
        # MXNet's kernel writes the weight first, so this wd term sees the updated weight
        state[:] = state - lr * (g + wd * weight)


@register
class Signum(Optimizer):
    """Sign of the momentum (signSGD when momentum is 0), with decoupled decay wd_lh."""

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        """The momentum buffer, or None when momentum is 0."""
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._rescaled(grad)
        if state is None:
            # signSGD decays the weight by lr*wd outside the sign (MXNet's kernel); MXNet
            # rejects wd_lh here, mxnp applies it as Signum does
            weight[:] = (1 - lr * wd) * (1 - lr * self.wd_lh) * weight - lr * np.sign(g)
            return
        mu = self.momentum
        state[:] = mu * state - one_minus(mu) * (g + wd * weight)
        weight[:] = (1 - lr * self.wd_lh) * weight + lr * np.sign(state)


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: half a gradient step plus N(0, lr) noise."""

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._rescaled(grad)
        weight[:] = weight - lr / 2 * (g + wd * weight)
        weight[:] = weight + np.random.normal(0, math.sqrt(lr), size=weight.shape,
                                              dtype=weight.dtype, ctx=weight.ctx)


@register
class DCASGD(Optimizer):
    """Delay-compensated SGD: the step adds lamda * g^2 * (w - w_prev)."""

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight):
        """(momentum buffer or None, copy of the previous weight)."""
        mom = _zeros_like(weight) if self.momentum != 0.0 else None
        return (mom, weight.copy())

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._rescaled(grad)
        mom, previous = state
        step = -lr * (g + wd * weight + self.lamda * g * g * (weight - previous))
        if mom is not None:
            # MXNet 1.9.1 fails here ("truth value of an NDArray"); mxnp applies the momentum
            mom[:] = self.momentum * mom + step
            step = mom
        previous[:] = weight
        weight[:] = weight + step


@register
class Test(Optimizer):
    """The optimizer MXNet's own tests use: w += rescale_grad * g; the state copies w."""

    def create_state(self, index, weight):
        """A zero array shaped like the weight."""
        return _zeros_like(weight)

    def _step(self, index, weight, grad, state):
        weight[:] = weight + grad * self.rescale_grad
        state[:] = weight
