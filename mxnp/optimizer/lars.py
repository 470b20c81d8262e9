"""Layer-wise adaptive optimizers for large batches: LARS, LAMB, LBSGD."""
from __future__ import annotations

import math
import os

import numpy as onp

from .. import autograd
from .. import numpy as np
from ..ndarray import _update as _nd_update  # the kernels MXNet's LAMB calls
from ._base import Optimizer, register
from .sgd import sgd_step

__all__ = ["LARS", "LAMB", "LBSGD"]


def _zeros_like(weight, dtype=None):
    return np.zeros(weight.shape, dtype=dtype or weight.dtype, ctx=weight.ctx)


def _norm(arr) -> float:
    # the ratio is a host scalar in MXNet too (it reads the norms back with asnumpy)
    return float(np.linalg.norm(arr.astype("float32")))


@register
class LARS(Optimizer):
    """SGD whose rate per layer is lr * eta * |w| / (|g| + wd*|w| + eps)."""

    _master_last = True
    _fp16_name = "SGD"

    def __init__(self, momentum=0.0, lazy_update=True, eta=0.001, eps=0,
                 momentum_correction=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.momentum_correction = momentum_correction
        self.lazy_update = lazy_update
        self.eta = eta
        self.eps = eps
        self.skip = 0
        self.last_lr = None
        self.cur_lr = None

    @staticmethod
    def _decays_by_name(name):
        return name.endswith("_weight")

    def create_state(self, index, weight):
        """The momentum buffer, or None when momentum is 0."""
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def _get_lrs(self, indices):
        # remember the previous rate so momentum can be rescaled when the schedule moves
        if self.cur_lr is not None:
            self.last_lr = self.cur_lr
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        if self.cur_lr is None:
            self.last_lr = lr
        self.cur_lr = lr
        return self._scaled(lr, indices, self.lr_mult, "lr_mult")

    def _layer_lr(self, index, weight, grad, lr, wd):
        name = self.idx2name.get(index, str(index))
        if name.endswith(("gamma", "beta", "bias")):
            return lr
        w_norm, g_norm = _norm(weight), _norm(grad) * abs(self.rescale_grad)
        if w_norm > 0.0 and g_norm > 0.0:
            return lr * self.eta * w_norm / (g_norm + wd * w_norm + self.eps)
        return lr

    def _step(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        momentum = self.momentum if self.momentum > 0 else 0.0
        if momentum and self.momentum_correction and self.last_lr != 0:
            momentum = self.momentum * (self.cur_lr / self.last_lr)
        lr = self._layer_lr(index, weight, grad, lr, wd)
        sgd_step(weight, grad, state, lr, wd, momentum, self)


@register
class LAMB(Optimizer):
    """Adam-style direction (plus wd*w), scaled by the trust ratio |w| / |direction|."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6,
                 lower_bound=None, upper_bound=None, bias_correction=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound
        self.bias_correction = bias_correction
        # an Updater hands MXNet's LAMB lists of this many weights, which it updates with its
        # multi_lamb_update kernels (rounded otherwise than lamb_update_phase1/2)
        self.aggregate_num = max(1, min(45, int(os.getenv("MXNET_OPTIMIZER_AGGREGATION_SIZE",
                                                          "45"))))

    def create_state(self, index, weight):
        """(mean, variance), both zero."""
        return (_zeros_like(weight), _zeros_like(weight))

    def _bounds(self):
        # passed to the kernels as MXNet's optimizer passes them: only when set (not None or 0)
        return [b if b else -1.0 for b in (self.lower_bound, self.upper_bound)]

    def _step(self, index, weight, grad, state):
        """One weight (an int index): lamb_update_phase1, the norms, lamb_update_phase2."""
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        mean, var = state
        g = _nd_update.lamb_phase1_step(
            weight, grad, mean, var, self.beta1, self.beta2, self.epsilon,
            self._index_update_count[index], self.bias_correction, wd, self.rescale_grad,
            self._kernel_clip())
        weight[:] = _nd_update.lamb_phase2_step(
            weight, g, _nd_update.l2_norm(weight), _nd_update.l2_norm(g), lr, *self._bounds())

    def _steps(self, indices, weights, grads, states):
        """A list of weights (an Updater's call): MXNet's multi_lamb_update, unless
        aggregate_num is 1 (then the single-weight path)."""
        if self.aggregate_num <= 1:
            for i, w, g, s in zip(indices, weights, grads, states):
                self._step(i, w, g, s)
            return
        for i, weight, grad, state in zip(indices, weights, grads, states):
            self._multi_step(i, weight, grad, *state)

    def _multi_step(self, index, weight, grad, mean, var, weight32=None):
        self._update_count(index)
        new = _nd_update.multi_lamb_step(
            weight, grad, mean, var, self._index_update_count[index], self._get_lr(index),
            self._get_wd(index), self.beta1, self.beta2, self.epsilon, self.rescale_grad,
            self._kernel_clip(), self.bias_correction, *self._bounds(), weight32=weight32)
        if weight32 is not None:
            weight32[:] = new
        weight[:] = new.astype(weight.dtype)

    def update_multi_precision(self, index, weight, grad, state):
        """As Optimizer's; a list of float16 weights under multi_precision takes MXNet's
        multi_mp_lamb_update (its float32 master copies, r1 the float16 weight's norm)."""
        if not (isinstance(index, (list, tuple)) and self.aggregate_num > 1 and
                self.multi_precision and weight[0].dtype == onp.float16):
            super().update_multi_precision(index, weight, grad, state)
            return
        with autograd.pause():
            for i, w, g, (master, (mean, var)) in zip(index, weight, grad, state):
                self._multi_step(i, w, g, mean, var, weight32=master)


@register
class LBSGD(Optimizer):
    """Large-batch SGD: accumulate batch_scale gradients, then one SGD step with a warmup."""

    def __init__(self, momentum=0.0, multi_precision=False, warmup_strategy="linear",
                 warmup_epochs=5, batch_scale=1, updates_per_epoch=32, begin_epoch=0,
                 num_epochs=60, **kwargs):
        super().__init__(multi_precision=multi_precision, **kwargs)
        self.momentum = momentum
        self.warmup_strategy = warmup_strategy
        self.warmup_epochs = warmup_epochs
        self.batch_scale = batch_scale
        self.updates_per_epoch = updates_per_epoch
        self.init_updates = begin_epoch * updates_per_epoch
        self.num_epochs = num_epochs
        self.lbmult = 1
        self.cumgrads = {}
        self.adaptive = False
        self.admult = 1

    def create_state(self, index, weight):
        """The momentum buffer, or None when momentum is 0."""
        return _zeros_like(weight) if self.momentum != 0.0 else None

    def _warmup_mult(self, nup):
        """The rate multiplier after ``nup`` accumulated batches: 1 -> batch_scale."""
        total, top = self.warmup_epochs * self.updates_per_epoch, float(self.batch_scale)
        if nup >= total:
            return top
        if total <= 1:
            return 1.0
        frac = {"linear": nup / total, "power2": (nup * nup) / (total * total),
                "sqrt": math.sqrt(float(nup) / total)}.get(self.warmup_strategy)
        return 1.0 if frac is None else 1.0 + (top - 1) * frac

    def _lars_mult(self, weight, grad, wd):
        w2, g2 = _norm(weight) ** 2, _norm(grad) ** 2
        return min(max(math.sqrt(w2 / (g2 + wd * w2 + 1e-18)), 0.01), 100)

    def _accumulate(self, index, grad):
        entry = self.cumgrads.get(index)
        if entry and entry["num_cums"] > 0:
            # copy: the caller's gradient buffer is overwritten by the next backward
            entry = {"cum_grad": entry["cum_grad"] + grad, "num_cums": entry["num_cums"] + 1}
        else:
            entry = {"cum_grad": grad.copy(), "num_cums": self.init_updates + 1}
        self.cumgrads[index] = entry
        return entry

    def _step(self, index, weight, grad, state):
        lr, wd = self._get_lr(index), self._get_wd(index)
        self._update_count(index)
        entry = self._accumulate(index, grad)
        if entry["num_cums"] % self.batch_scale != 0:
            return      # MXNet runs an SGD step with lr 0 here: the weight is unchanged
        grad = entry["cum_grad"] / self.batch_scale
        if self.warmup_strategy == "lars":
            lr *= self._lars_mult(weight, grad, wd)
        else:
            lr *= self._warmup_mult(entry["num_cums"])
        sgd_step(weight, grad, state, lr, wd, self.momentum if self.momentum > 0 else 0.0, self)
        entry["cum_grad"] = 0
