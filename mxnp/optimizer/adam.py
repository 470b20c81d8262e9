"""Adam-family optimizers: Adam, AdamW, Adamax, Nadam, FTML.

Except AdamW, weight decay is coupled (L2: g' = rescale*g + wd*w, then clipped), as in MXNet
1.9.1's kernels (gluon-semantics §7).
"""
from __future__ import annotations

import math

from .. import numpy as np
from .._ops import update as _fused
from ..ndarray import _update as _nd_update  # the kernels MXNet's FTML calls (ftml_update)
from ._base import Optimizer, one_minus, register

__all__ = ["Adam", "AdamW", "Adamax", "Nadam", "FTML"]


def _zeros_like(weight):
    return np.zeros(weight.shape, dtype=weight.dtype, ctx=weight.ctx)


def _moments(mean, var, g, beta1, beta2):
    """Update the first and second moment estimates in place (float32 coefficients)."""
    mean[:] = beta1 * mean + one_minus(beta1) * g
    var[:] = beta2 * var + one_minus(beta2) * g * g


@register
class Adam(Optimizer):
    """Adam with L2 weight decay; epsilon is added after the bias-corrected sqrt (MXNet)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        """(mean, variance), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _corrected_lr(self, index):
        # bias correction folded into the rate, so epsilon is not corrected (MXNet)
        t = self._index_update_count[index]
        return self._get_lr(index) * math.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._corrected_lr(index), self._get_wd(index)
        mean, var = state
        if _fused.fusable(weight, grad, mean, var):  # the same arithmetic, in one call
            _fused.adam_update(weight, grad, mean, var, lr, self.beta1, self.beta2,
                               one_minus(self.beta1), one_minus(self.beta2), self.epsilon, wd,
                               self.rescale_grad, self.clip_gradient)
            return
        _moments(mean, var, self._rescaled_l2(grad, weight, wd), self.beta1, self.beta2)
        weight[:] = weight - lr * mean / (np.sqrt(var) + self.epsilon)


@register
class AdamW(Adam):
    """Adam with decoupled weight decay: w -= lr*wd*w, then the Adam step without wd."""

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        # decay uses the scheduled rate (as PyTorch's AdamW), not the bias-corrected one
        weight[:] = weight - lr * wd * weight
        mean, var = state
        _moments(mean, var, self._rescaled(grad), self.beta1, self.beta2)
        step = self._corrected_lr(index)
        weight[:] = weight - step * mean / (np.sqrt(var) + self.epsilon)


@register
class Adamax(Optimizer):
    """Adam with the infinity norm: u = max(beta2*u, |g|); w -= lr/(1-beta1^t) * m/u."""

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2

    def create_state(self, index, weight):
        """(first moment, infinity norm), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        lr /= 1.0 - self.beta1 ** self._index_update_count[index]
        g = self._rescaled_l2(grad, weight, wd)
        mean, norm = state
        mean[:] = self.beta1 * mean + (1.0 - self.beta1) * g
        norm[:] = np.maximum(self.beta2 * norm, np.abs(g))
        weight[:] = weight - lr * mean / norm


@register
class Nadam(Optimizer):
    """Adam with Nesterov momentum and a momentum schedule (schedule_decay)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        # one product for the whole optimizer, shared by every parameter (MXNet does this)
        self.m_schedule = 1.0

    def create_state(self, index, weight):
        """(mean, variance), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _momentum_at(self, t):
        return self.beta1 * (1.0 - 0.5 * pow(0.96, t * self.schedule_decay))

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        t = self._index_update_count[index]
        g = self._rescaled_l2(grad, weight, wd)
        mu_t, mu_next = self._momentum_at(t), self._momentum_at(t + 1)
        self.m_schedule = self.m_schedule * mu_t
        schedule_next = self.m_schedule * mu_next
        mean, var = state
        # MXNet's Nadam is Python code: its coefficients are doubles, not float32 (no one_minus)
        mean[:] = self.beta1 * mean + (1.0 - self.beta1) * g
        var[:] = self.beta2 * var + (1.0 - self.beta2) * g * g
        g_hat = g / (1.0 - self.m_schedule)
        mean_hat = mean / (1.0 - schedule_next)
        var_hat = var / (1.0 - pow(self.beta2, t))
        mean_bar = (1.0 - mu_t) * g_hat + mu_next * mean_hat
        weight[:] = weight - lr * mean_bar / (np.sqrt(var_hat) + self.epsilon)


@register
class FTML(Optimizer):
    """Follow the moving leader: the weight is -z/d after each step."""

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def create_state(self, index, weight):
        """(previous d, v, z), all zero."""
        return (_zeros_like(weight), _zeros_like(weight), _zeros_like(weight))

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        prev_d, v, z = state
        weight[:] = _nd_update.ftml_step(
            weight, grad, prev_d, v, z, lr, self.beta1, self.beta2, self.epsilon,
            self._index_update_count[index], wd, self.rescale_grad, self._kernel_clip())
