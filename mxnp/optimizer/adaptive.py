"""Per-coordinate adaptive optimizers: AdaGrad, RMSProp, AdaDelta, Ftrl.

Where weight decay enters differs between them, exactly as in MXNet 1.9.1 (gluon-semantics §7).
"""
from __future__ import annotations

from .. import numpy as np
from ..ndarray import _update as _nd_update  # the kernel MXNet's Ftrl calls (ftrl_update)
from ._base import Optimizer, one_minus, register

__all__ = ["AdaGrad", "RMSProp", "AdaDelta", "Ftrl"]


def _zeros_like(weight):
    return np.zeros(weight.shape, dtype=weight.dtype, ctx=weight.ctx)


@register
class AdaGrad(Optimizer):
    """AdaGrad: h += g^2; w -= lr * (g / sqrt(h + eps) + wd * w)."""

    _always_lazy = True  # MXNet's sparse kernel updates only a row_sparse grad's rows

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        """The accumulated squared gradient, zero."""
        return _zeros_like(weight)

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._rescaled(grad)
        state[:] = state + g * g
        # weight decay stays outside the adaptive scaling, epsilon inside the sqrt (MXNet)
        weight[:] = weight - lr * (g / np.sqrt(state + self.float_stable_eps) + wd * weight)


@register
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton), or Graves' centered variant when ``centered``."""

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        """(n,) or, when centered, (n, mean gradient, delta); all zero."""
        if self.centered:
            return (_zeros_like(weight), _zeros_like(weight), _zeros_like(weight))
        return (_zeros_like(weight),)

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g, g1 = self._rescaled_l2(grad, weight, wd), self.gamma1
        n = state[0]
        if not self.centered:  # MXNet's kernel: (1 - g1) * (g * g), and lr * (g / sqrt(...))
            n[:] = one_minus(g1) * (g * g) + g1 * n
            weight[:] = weight - lr * (g / np.sqrt(n + self.epsilon))
        else:
            n[:] = one_minus(g1) * g * g + g1 * n
            _, mean, delta = state
            mean[:] = one_minus(g1) * g + g1 * mean
            delta[:] = self.gamma2 * delta - lr * g / np.sqrt(n - mean * mean + self.epsilon)
            weight[:] = weight + delta
        if self.clip_weights:
            weight[:] = np.clip(weight, -self.clip_weights, self.clip_weights)


@register
class AdaDelta(Optimizer):
    """AdaDelta; it has no learning rate (MXNet ignores ``learning_rate`` here)."""

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state(self, index, weight):
        """(accumulated g^2, accumulated delta^2), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _step(self, index, weight, grad, state):
        wd = self._get_wd(index)
        self._update_count(index)
        g, rho = self._rescaled(grad), self.rho
        acc_g, acc_delta = state
        acc_g[:] = rho * acc_g + (1.0 - rho) * g * g
        delta = np.sqrt(acc_delta + self.epsilon) / np.sqrt(acc_g + self.epsilon) * g
        acc_delta[:] = rho * acc_delta + (1.0 - rho) * delta * delta
        weight[:] = weight - (delta + wd * weight)


@register
class Ftrl(Optimizer):
    """FTRL-proximal: L1 strength lamda1; weight decay sits in the denominator."""

    _always_lazy = True  # MXNet's sparse kernel updates only a row_sparse grad's rows ...

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.lamda1 = lamda1
        self.beta = beta

    def create_state(self, index, weight):
        """(z, n), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _lazy(self, grad, weight=None) -> bool:
        # ... of a row_sparse weight; a dense weight's update falls back to the dense kernel
        return super()._lazy(grad) and getattr(weight, "stype", "default") == "row_sparse"

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        wd, lr = self._get_wd(index), self._get_lr(index)
        z, n = state
        if getattr(grad, "stype", "default") != "default":
            grad = grad.tostype("default")  # MXNet's storage fallback: every row updated
        weight[:] = _nd_update.ftrl_step(weight, grad, z, n, lr, self.lamda1, self.beta, wd,
                                         self.rescale_grad, self._kernel_clip())
