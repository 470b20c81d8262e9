"""Optimizers MXNet 1.9.1 keeps under ``mx.optimizer.contrib``: GroupAdaGrad."""
from __future__ import annotations

from .. import numpy as np
from ._base import Optimizer, register

__all__ = ["GroupAdaGrad"]


@register
class GroupAdaGrad(Optimizer):
    """AdaGrad with one accumulator per row of a 2-D weight (the row mean of g^2)."""

    _always_lazy = True  # MXNet's sparse kernel updates only a row_sparse grad's rows

    def __init__(self, eps=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        """The per-row history, shaped (rows, 1), zero."""
        if weight.ndim != 2:
            raise AssertionError("GroupAdaGrad needs 2-D weights")
        return np.zeros((weight.shape[0], 1), dtype=weight.dtype, ctx=weight.ctx)

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        if wd != 0:
            raise AssertionError("Weight decay is not supported for GroupAdaGrad")
        g = self._rescaled(grad)
        state[:] = state + np.mean(g * g, axis=1, keepdims=True)
        weight[:] = weight - lr * g / np.sqrt(state + self.float_stable_eps)
