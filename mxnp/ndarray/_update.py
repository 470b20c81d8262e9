"""MXNet 1.x's fused optimizer updates (``sgd_update``, ``adam_update`` ...), as 1.x optimizers
and training scripts call them: states (momentum, means ...) are updated in place, the new
weight is returned, or written into ``out`` (usually the weight itself). Never recorded.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import _native, autograd
from .. import numpy as np
from .._dtypes import one_minus  # MXNet's kernels take 1 - beta in float32
from .._ops.linalg.norm import nrm2_host
from ..base import MXNetError
from ._define import legacy_op
from .ndarray import to_nd

_LIBM = _native.libm()  # the compiled loop of _sum_sq_host (mxnp/_libm.pyx), or None

__all__ = [
    "adagrad_update",
    "adam_update",
    "adamw_update",
    "ftml_update",
    "ftrl_update",
    "group_adagrad_update",
    "lamb_update_phase1",
    "lamb_update_phase2",
    "mp_adamw_update",
    "mp_lamb_update_phase1",
    "mp_lamb_update_phase2",
    "mp_nag_mom_update",
    "mp_sgd_mom_update",
    "mp_sgd_update",
    "multi_adamw_update",
    "multi_lamb_update",
    "multi_lars",
    "multi_mp_adamw_update",
    "multi_mp_lamb_update",
    "multi_mp_sgd_mom_update",
    "multi_mp_sgd_update",
    "multi_sgd_mom_update",
    "multi_sgd_update",
    "nag_mom_update",
    "preloaded_multi_mp_sgd_mom_update",
    "preloaded_multi_mp_sgd_update",
    "preloaded_multi_sgd_mom_update",
    "preloaded_multi_sgd_update",
    "rmsprop_update",
    "rmspropalex_update",
    "sgd_mom_update",
    "sgd_update",
    "signsgd_update",
    "signum_update",
]


def _grad(grad, rescale_grad, clip_gradient):
    """rescale_grad * grad, clipped to [-clip, clip] when clip_gradient >= 0."""
    g = grad * rescale_grad  # rescale_grad: a number, or a one-element array (adamw)
    return np.clip(g, -clip_gradient, clip_gradient) if clip_gradient >= 0 else g


def _grad_l2(grad, weight, wd, rescale_grad, clip_gradient):
    """rescale_grad * grad + wd * weight, then clipped (Adam, RMSProp and FTML add the decay
    before the clip, as MXNet's kernels do)."""
    return _grad(grad, rescale_grad, -1.0) + wd * weight if clip_gradient < 0 else \
        np.clip(grad * rescale_grad + wd * weight, -clip_gradient, clip_gradient)


def _done(new, out, like):
    """The new weight in the weight's dtype, written into ``out`` when given."""
    new = to_nd(new if new.dtype == like.dtype else new.astype(like.dtype))
    if out is None:
        return new
    out[...] = new
    return out


def _set(state, value):
    state[...] = value


def _grad_rows(grad, lazy=True):
    """The rows a row_sparse ``grad`` stores when the update is lazy (MXNet's lazy update
    touches only them), else None: every row."""
    return grad._parts()[1] if lazy and getattr(grad, "stype", None) == "row_sparse" else None


def _on_rows(rows, update, weight, states):
    """``update()`` (the new weight; ``states`` updated in place), then the weight's and the
    states' rows other than ``rows`` given back their old values; all of it when ``rows`` is
    None."""
    if rows is None:
        return update()
    others = onp.ones(weight.shape[0], dtype=bool)
    others[rows] = False
    old = [a.asnumpy()[others] for a in (weight, *states)]  # before ``out`` is written
    new = update()
    for arr, kept in zip((new, *states), old):
        host = arr.asnumpy()
        host[others] = kept
        arr[...] = host
    return new


def _sgd_terms(weight, grad, lr, wd, rescale_grad, clip_gradient):
    """(lr * wd, the gradient step) as MXNet's SGD kernels round them: float32 parameters in
    the weight's dtype, the step ``(lr * rescale) * grad``, or ``lr * clip(rescale * grad)``."""
    dt = onp.dtype(weight.dtype).type
    lr, wd, rescale = (dt(onp.float32(v)) for v in (lr, wd, rescale_grad))
    if clip_gradient >= 0:
        return lr * wd, _grad(grad, rescale, dt(onp.float32(clip_gradient))) * lr
    return lr * wd, grad * (lr * rescale)


@legacy_op("sgd_update", ("weight", "grad"))
def sgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
               lazy_update=True, out=None):
    """``(1 - lr * wd) * weight - lr * rescale_grad * grad`` (MXNet's kernel and rounding);
    on a row_sparse grad's rows only when lazy."""
    def update():
        decay, step = _sgd_terms(weight, grad, lr, wd, rescale_grad, clip_gradient)
        return _done((1 - decay) * weight - step, out, weight)

    with autograd.pause():
        return _on_rows(_grad_rows(grad, lazy_update), update, weight, ())


@legacy_op("sgd_mom_update", ("weight", "grad", "mom"))
def sgd_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, lazy_update=True, out=None):
    """``mom = momentum * mom - lr * wd * weight - lr * rescale_grad * grad``; weight + mom
    (MXNet's kernel and rounding; on a row_sparse grad's rows only when lazy)."""
    def update():
        decay, step = _sgd_terms(weight, grad, lr, wd, rescale_grad, clip_gradient)
        momentum_ = onp.dtype(weight.dtype).type(onp.float32(momentum))
        _set(mom, momentum_ * mom - decay * weight - step)
        return _done(weight + mom, out, weight)

    with autograd.pause():
        return _on_rows(_grad_rows(grad, lazy_update), update, weight, (mom,))


@legacy_op("mp_sgd_update", ("weight", "grad", "weight32"))
def mp_sgd_update(weight, grad, weight32, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                  lazy_update=True, out=None):
    """sgd_update on the float32 master copy ``weight32``; the weight gets its cast."""
    with autograd.pause():
        _set(weight32, sgd_update(weight32, grad.astype("float32"), lr, wd, rescale_grad,
                                  clip_gradient))
        return _done(weight32, out, weight)


@legacy_op("mp_sgd_mom_update", ("weight", "grad", "mom", "weight32"))
def mp_sgd_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                      clip_gradient=-1.0, lazy_update=True, out=None):
    """sgd_mom_update on the float32 master copy ``weight32``."""
    with autograd.pause():
        _set(weight32, sgd_mom_update(weight32, grad.astype("float32"), mom, lr, momentum, wd,
                                      rescale_grad, clip_gradient))
        return _done(weight32, out, weight)


@legacy_op("nag_mom_update", ("weight", "grad", "mom"))
def nag_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, out=None):
    """Nesterov: weight + momentum^2 mom - (momentum + 1) lr g; then mom = momentum * mom -
    lr g, where g's decay term reads the weight again: the new one when ``out`` is the weight
    (MXNet's kernel writes the weight first)."""
    with autograd.pause():
        g = _grad(grad, rescale_grad, clip_gradient)
        mom_scaled = momentum * mom
        new = _done(weight + momentum * mom_scaled - (momentum + 1) * lr * (g + wd * weight),
                    out, weight)
        _set(mom, mom_scaled - lr * (g + wd * weight))
        return new


@legacy_op("mp_nag_mom_update", ("weight", "grad", "mom", "weight32"))
def mp_nag_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0,
                      rescale_grad=1.0, clip_gradient=-1.0, out=None):
    """nag_mom_update on the float32 master copy ``weight32``."""
    with autograd.pause():
        nag_mom_update(weight32, grad.astype("float32"), mom, lr, momentum, wd, rescale_grad,
                       clip_gradient, out=weight32)
        return _done(weight32, out, weight)


@legacy_op("adam_update", ("weight", "grad", "mean", "var"))
def adam_update(weight, grad, mean, var, lr, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0.0,
                rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True, out=None):
    """Adam without bias correction (1.x's optimizer folds it into lr); on a row_sparse
    grad's rows only when lazy."""
    def update():
        g = _grad_l2(grad, weight, wd, rescale_grad, clip_gradient)
        _set(mean, beta1 * mean + one_minus(beta1) * g)
        _set(var, beta2 * var + one_minus(beta2) * g * g)  # MXNet's order: ((1 - b2) g) g
        return _done(weight - lr * mean / (np.sqrt(var) + epsilon), out, weight)

    with autograd.pause():
        return _on_rows(_grad_rows(grad, lazy_update), update, weight, (mean, var))


def _clip_weights(w, clip_weights):
    return np.clip(w, -clip_weights, clip_weights) if clip_weights >= 0 else w


@legacy_op("rmsprop_update", ("weight", "grad", "n"))
def rmsprop_update(weight, grad, n, lr, gamma1=0.95, epsilon=1e-8, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, clip_weights=-1.0, out=None):
    """n = (1 - gamma1) g^2 + gamma1 n; weight - lr g / sqrt(n + epsilon)."""
    with autograd.pause():
        g = _grad_l2(grad, weight, wd, rescale_grad, clip_gradient)
        _set(n, one_minus(gamma1) * np.square(g) + gamma1 * n)
        new = weight - lr * (g / np.sqrt(n + epsilon))  # MXNet's order of the step
        return _done(_clip_weights(new, clip_weights), out, weight)


@legacy_op("rmspropalex_update", ("weight", "grad", "n", "g", "delta"))
def rmspropalex_update(weight, grad, n, g, delta, lr, gamma1=0.95, gamma2=0.9, epsilon=1e-8,
                       wd=0.0, rescale_grad=1.0, clip_gradient=-1.0, clip_weights=-1.0,
                       out=None):
    """Graves' RMSProp: centred second moment, momentum ``gamma2`` on the step."""
    with autograd.pause():
        gr = _grad_l2(grad, weight, wd, rescale_grad, clip_gradient)
        _set(n, one_minus(gamma1) * np.square(gr) + gamma1 * n)
        _set(g, one_minus(gamma1) * gr + gamma1 * g)
        _set(delta, gamma2 * delta - lr * gr / np.sqrt(n - np.square(g) + epsilon))
        return _done(_clip_weights(weight + delta, clip_weights), out, weight)


@legacy_op("signsgd_update", ("weight", "grad"))
def signsgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0, out=None):
    """(1 - lr wd) weight - lr sign(grad)."""
    with autograd.pause():
        g = _grad(grad, rescale_grad, clip_gradient)
        return _done((1 - lr * wd) * weight - lr * np.sign(g), out, weight)


@legacy_op("signum_update", ("weight", "grad", "mom"))
def signum_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                  clip_gradient=-1.0, wd_lh=0.0, out=None):
    """mom = momentum mom - (1 - momentum)(g + wd w); (1 - lr wd_lh) w + lr sign(mom)."""
    with autograd.pause():
        g = _grad(grad, rescale_grad, clip_gradient) + wd * weight
        _set(mom, momentum * mom - one_minus(momentum) * g)
        return _done((1 - lr * wd_lh) * weight + lr * np.sign(mom), out, weight)


def _required(value, what):
    """An attribute MXNet's operator has no default for (``t``, LAMB's ``wd``): given, or the
    MXNetError MXNet raises."""
    if value is None:
        raise MXNetError(f"Required parameter {what} is not presented")
    return value


def _kernel_params(weight, *values):
    """Hyper-parameters as MXNet's update kernels hold them: float32 attributes cast to the
    weight's dtype (a NumPy scalar of that dtype, so scalar arithmetic rounds as the kernel's)."""
    dt = onp.dtype(weight.dtype).type
    return [dt(onp.float32(v)) for v in values]


def ftml_step(weight, grad, d, v, z, lr, beta1, beta2, epsilon, t, wd, rescale_grad,
              clip_grad):
    """One FTML step as MXNet 1.9.1's ``ftml_update`` kernel rounds it, in the weight's dtype:
    ``d``, ``v``, ``z`` updated in place, the new weight (``-z / d``) returned. Shared by
    ``mx.nd.ftml_update`` and ``mx.optimizer.FTML``."""
    lr, b1, b2, t_, wd, rescale, clip = _kernel_params(
        weight, lr, beta1, beta2, t, wd, rescale_grad, clip_grad)
    one = type(lr)(1)
    eps = type(lr)(epsilon)  # the one attribute of this kernel held as a double
    g = _grad_l2(grad, weight, wd, rescale, clip)
    _set(v, b2 * v + (one - b2) * np.square(g))
    # the kernel's scalar prefactor: (1 - beta1^t) / lr, with powf in the weight's dtype
    d_t = ((one - b1 ** t_) / lr) * (np.sqrt(v / (one - b2 ** t_)) + eps)
    _set(z, b1 * z + (one - b1) * g - (d_t - b1 * d) * weight)
    _set(d, d_t)
    return -z / d_t


# ftml_update's epsilon is a double whose default is the float 1e-8f (a float64 weight sees it)
_FTML_EPSILON = float(onp.float32(1e-8))


@legacy_op("ftml_update", ("weight", "grad", "d", "v", "z"))
def ftml_update(weight, grad, d, v, z, lr, beta1=0.6, beta2=0.999, epsilon=_FTML_EPSILON,
                t=None, wd=0.0, rescale_grad=1.0, clip_grad=-1.0, out=None):
    """Follow the Moving Leader (Zheng and Kwok, 2017), step ``t`` (required)."""
    t = _required(t, "t of int")
    with autograd.pause():
        return _done(ftml_step(weight, grad, d, v, z, lr, beta1, beta2, epsilon, t, wd,
                               rescale_grad, clip_grad), out, weight)


def ftrl_step(weight, grad, z, n, lr, lamda1, beta, wd, rescale_grad, clip_gradient):
    """One FTRL-proximal step as MXNet 1.9.1's ``ftrl_update`` kernel rounds it: ``z`` and
    ``n`` updated in place, the new weight returned. Shared by ``mx.nd.ftrl_update`` and
    ``mx.optimizer.Ftrl``."""
    lr, lamda1, beta, wd, rescale, clip = _kernel_params(
        weight, lr, lamda1, beta, wd, rescale_grad, clip_gradient)
    g = _grad(grad, rescale, clip)
    g2 = np.square(g)
    _set(z, z + (g - (np.sqrt(n + g2) - np.sqrt(n)) * weight / lr))  # z += (g - sigma * w)
    _set(n, n + g2)
    return (np.sign(z) * lamda1 - z) / ((beta + np.sqrt(n)) / lr + wd) * (np.abs(z) > lamda1)


@legacy_op("ftrl_update", ("weight", "grad", "z", "n"))
def ftrl_update(weight, grad, z, n, lr, lamda1=0.01, beta=1.0, wd=0.0, rescale_grad=1.0,
                clip_gradient=-1.0, out=None):
    """Follow the Regularized Leader (McMahan et al., 2013); a row_sparse weight is updated
    on a row_sparse grad's rows only."""
    def update():
        return _done(ftrl_step(weight, grad, z, n, lr, lamda1, beta, wd, rescale_grad,
                               clip_gradient), out, weight)

    with autograd.pause():
        lazy = weight.stype == "row_sparse"
        return _on_rows(_grad_rows(grad, lazy), update, weight, (z, n))


@legacy_op("_sparse_adagrad_update", ("weight", "grad", "history"))
def adagrad_update(weight, grad, history, lr, epsilon=1e-7, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, out=None):
    """AdaGrad (``mx.nd.sparse.adagrad_update``): history += g^2; weight - lr g /
    (sqrt(history) + epsilon), on a row_sparse grad's rows only."""
    if wd != 0:
        raise MXNetError("sparse adagrad_update: weight decay (wd) must be 0")

    def update():
        g = _grad(grad, rescale_grad, clip_gradient)
        _set(history, history + np.square(g))
        return _done(weight - lr * g / (np.sqrt(history) + epsilon), out, weight)

    with autograd.pause():
        return _on_rows(_grad_rows(grad), update, weight, (history,))


def lamb_phase1_step(weight, grad, mean, var, beta1, beta2, epsilon, t, bias_correction, wd,
                     rescale_grad, clip_gradient):
    """LAMB's direction as MXNet 1.9.1's ``lamb_update_phase1`` kernel rounds it: Adam's
    (bias-corrected) step plus wd * weight; ``mean`` and ``var`` updated in place. Shared by
    the operator and ``mx.optimizer.LAMB``."""
    b1, b2, eps, wd, rescale, clip = _kernel_params(
        weight, beta1, beta2, epsilon, wd, rescale_grad, clip_gradient)
    one = type(b1)(1)
    g = _grad(grad, rescale, clip)
    _set(mean, b1 * mean + (one - b1) * g)
    _set(var, b2 * var + (one - b2) * g * g)
    if not bias_correction:
        return mean / (np.sqrt(var) + eps) + wd * weight
    # beta**t is a double power (t an int) rounded to the dtype; the mean's correction then
    # divides in double, the variance's in the dtype
    b1_t, b2_t = (type(b1)(float(b) ** int(t)) for b in (b1, b2))
    mean_hat = (mean.astype("float64") / (1.0 - float(b1_t))).astype(mean.dtype)
    return mean_hat / (np.sqrt(var / (one - b2_t)) + eps) + wd * weight


@legacy_op("lamb_update_phase1", ("weight", "grad", "mean", "var"))
def lamb_update_phase1(weight, grad, mean, var, beta1=0.9, beta2=0.999, epsilon=1e-6, t=None,
                       bias_correction=True, wd=None, rescale_grad=1.0, clip_gradient=-1.0,
                       out=None):
    """LAMB's direction: Adam's (bias-corrected) step plus wd * weight (``t`` and ``wd``
    required)."""
    t, wd = _required(t, "t of int"), _required(wd, "wd of float")
    with autograd.pause():
        return _done(lamb_phase1_step(weight, grad, mean, var, beta1, beta2, epsilon, t,
                                      bias_correction, wd, rescale_grad, clip_gradient),
                     out, grad)


def l2_norm(arr):
    """``arr``'s 2-norm as a one-element array of its dtype: on the CPU as MXNet 1.9.1's
    ``norm`` computes it (``nrm2_host``), bit for bit; on other devices the square root of the sum
    of squares, computed there."""
    if arr._device.xp is not onp:
        return np.sqrt(np.sum(np.square(arr))).reshape((1,))
    return np.array([nrm2_host(arr.asnumpy().ravel())], dtype=arr.dtype, ctx=arr.ctx)


def lamb_phase2_step(weight, g, r1, r2, lr, lower_bound, upper_bound):
    """``weight - (lr * r1 / r2) * g`` as MXNet 1.9.1's ``lamb_update_phase2`` kernel rounds
    it, r1 (the weight's norm, a one-element array) first clipped to the bounds that are >= 0;
    ``lr`` alone where r1 or r2 is 0. The rate stays on the weight's device."""
    lr, lower, upper = _kernel_params(weight, lr, lower_bound, upper_bound)
    r1, r2 = r1.reshape(()).astype(weight.dtype), r2.reshape(()).astype(weight.dtype)
    if lower >= 0:
        r1 = np.where(r1 > lower, r1, lower)
    if upper >= 0:
        r1 = np.where(r1 < upper, r1, upper)
    usable = np.logical_and(r1 != 0, r2 != 0)
    rate = np.where(usable, lr * r1 / np.where(usable, r2, 1.0), lr)
    return weight - rate * g


@legacy_op("lamb_update_phase2", ("weight", "g", "r1", "r2"))
def lamb_update_phase2(weight, g, r1, r2, lr, lower_bound=-1.0, upper_bound=-1.0, out=None):
    """weight - lr * (r1 / r2) * g, with r1 = ||weight|| clipped to the bounds, r2 = ||g||."""
    with autograd.pause():
        return _done(lamb_phase2_step(weight, g, r1, r2, lr, lower_bound, upper_bound), out,
                     weight)


@legacy_op("mp_lamb_update_phase1", ("weight", "grad", "mean", "var", "weight32"))
def mp_lamb_update_phase1(weight, grad, mean, var, weight32, beta1=0.9, beta2=0.999,
                          epsilon=1e-6, t=None, bias_correction=True, wd=None, rescale_grad=1.0,
                          clip_gradient=-1.0, out=None):
    """lamb_update_phase1 on the float32 master copy ``weight32``; the rescaled gradient is
    rounded to the gradient's dtype before the clip, as MXNet's kernel does."""
    t, wd = _required(t, "t of int"), _required(wd, "wd of float")
    g = (grad.astype("float32") * rescale_grad).astype(grad.dtype).astype("float32")
    return lamb_update_phase1(weight32, g, mean, var, beta1, beta2, epsilon, t,
                              bias_correction, wd, 1.0, clip_gradient, out=out)


@legacy_op("mp_lamb_update_phase2", ("weight", "g", "r1", "r2", "weight32"))
def mp_lamb_update_phase2(weight, g, r1, r2, weight32, lr, lower_bound=-1.0, upper_bound=-1.0,
                          out=None):
    """lamb_update_phase2 on ``weight32``; the weight gets its cast."""
    with autograd.pause():
        _set(weight32, lamb_update_phase2(weight32, g, r1, r2, lr, lower_bound, upper_bound))
        return _done(weight32, out, weight)


def _groups(data, size, num_weights):
    if len(data) != size * num_weights:
        raise ValueError(f"multi update: {len(data)} arrays for num_weights={num_weights} "
                         f"groups of {size}")
    return [data[i * size:(i + 1) * size] for i in range(num_weights)]


def _multi(update, size, data, lrs, wds, num_weights, out, **kw):
    outs = out if out is not None else [None] * num_weights
    return [update(*group, lr=lr, wd=wd, out=o, **kw) for group, lr, wd, o
            in zip(_groups(data, size, num_weights), lrs, wds, outs)]


def multi_sgd_update(*data, lrs, wds, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                     out=None):
    """sgd_update over (weight, grad) pairs."""
    return _multi(sgd_update, 2, data, lrs, wds, num_weights, out, rescale_grad=rescale_grad,
                  clip_gradient=clip_gradient)


def multi_sgd_mom_update(*data, lrs, wds, momentum=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                         num_weights=1, out=None):
    """sgd_mom_update over (weight, grad, mom) triples."""
    return _multi(sgd_mom_update, 3, data, lrs, wds, num_weights, out, momentum=momentum,
                  rescale_grad=rescale_grad, clip_gradient=clip_gradient)


def multi_mp_sgd_update(*data, lrs, wds, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                        out=None):
    """mp_sgd_update over (weight, grad, weight32) triples."""
    return _multi(mp_sgd_update, 3, data, lrs, wds, num_weights, out,
                  rescale_grad=rescale_grad, clip_gradient=clip_gradient)


def multi_mp_sgd_mom_update(*data, lrs, wds, momentum=0.0, rescale_grad=1.0,
                            clip_gradient=-1.0, num_weights=1, out=None):
    """mp_sgd_mom_update over (weight, grad, mom, weight32) groups."""
    return _multi(mp_sgd_mom_update, 4, data, lrs, wds, num_weights, out, momentum=momentum,
                  rescale_grad=rescale_grad, clip_gradient=clip_gradient)


def _preloaded(multi, data, num_weights, out, **kw):
    *arrays, lrs, wds = data  # the learning rates and weight decays ride as two arrays
    return multi(*arrays, lrs=lrs.asnumpy().tolist(), wds=wds.asnumpy().tolist(),
                 num_weights=num_weights, out=out, **kw)


def preloaded_multi_sgd_update(*data, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                               out=None):
    """multi_sgd_update with lrs and wds passed as the last two arrays."""
    return _preloaded(multi_sgd_update, data, num_weights, out, rescale_grad=rescale_grad,
                      clip_gradient=clip_gradient)


def preloaded_multi_sgd_mom_update(*data, momentum=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                                   num_weights=1, out=None):
    """multi_sgd_mom_update with lrs and wds passed as the last two arrays."""
    return _preloaded(multi_sgd_mom_update, data, num_weights, out, momentum=momentum,
                      rescale_grad=rescale_grad, clip_gradient=clip_gradient)


def preloaded_multi_mp_sgd_update(*data, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                                  out=None):
    """multi_mp_sgd_update with lrs and wds passed as the last two arrays."""
    return _preloaded(multi_mp_sgd_update, data, num_weights, out, rescale_grad=rescale_grad,
                      clip_gradient=clip_gradient)


def preloaded_multi_mp_sgd_mom_update(*data, momentum=0.0, rescale_grad=1.0,
                                      clip_gradient=-1.0, num_weights=1, out=None):
    """multi_mp_sgd_mom_update with lrs and wds passed as the last two arrays."""
    return _preloaded(multi_mp_sgd_mom_update, data, num_weights, out, momentum=momentum,
                      rescale_grad=rescale_grad, clip_gradient=clip_gradient)


@legacy_op("multi_lars", ("lrs", "weights_sum_sq", "grads_sum_sq", "wds"))
def multi_lars(lrs, weights_sum_sq, grads_sum_sq, wds, eta, eps, rescale_grad=1.0, out=None):
    """LARS learning rates: lr * eta * ||w|| / (||g|| rescale + wd ||w|| + eps) where both
    norms are positive, else lr.
    """
    with autograd.pause():
        w = np.sqrt(weights_sum_sq)
        g = np.sqrt(grads_sum_sq) * rescale_grad
        scaled = lrs * eta * w / (g + wds * w + eps)
        ok = np.logical_and(w > 0, g > 0)
        return _done(np.where(ok, scaled, lrs), out, lrs)




def _skipped(rescale_grad, weight, out):
    """None, or what an AdamW update returns when it skips the step: MXNet skips it when the
    loss scaler's ``rescale_grad`` (a number or a one-element array) is nan, inf or 0. The
    weight is left as it is (a copy when there is no ``out``: MXNet hands back an unwritten
    array)."""
    scale = float(rescale_grad.asnumpy().reshape(-1)[0]) if hasattr(rescale_grad, "asnumpy") \
        else float(rescale_grad)
    if math.isfinite(scale) and scale != 0:
        return None
    return out if out is not None else to_nd(weight.copy())


@legacy_op("_adamw_update", ("weight", "grad", "mean", "var", "rescale_grad"),
           aliases=("_contrib_adamw_update",))
def adamw_update(weight, grad, mean, var, rescale_grad, lr, eta, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, wd=0.0, clip_gradient=-1.0, out=None):
    """AdamW (decoupled weight decay): weight - eta (lr m / (sqrt(v) + epsilon) + wd weight);
    ``rescale_grad`` is an array (a loss scaler's); nan, inf or 0 skips the step.
    """
    skipped = _skipped(rescale_grad, weight, out)
    if skipped is not None:
        return skipped
    with autograd.pause():
        g = _grad(grad, rescale_grad, clip_gradient)
        _set(mean, beta1 * mean + one_minus(beta1) * g)
        _set(var, beta2 * var + one_minus(beta2) * np.square(g))
        step = lr * mean / (np.sqrt(var) + epsilon) + wd * weight
        return _done(weight - eta * step, out, weight)


@legacy_op("_mp_adamw_update", ("weight", "grad", "mean", "var", "weight32", "rescale_grad"),
           aliases=("_contrib_mp_adamw_update",))
def mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad, lr, eta, beta1=0.9,
                    beta2=0.999, epsilon=1e-8, wd=0.0, clip_gradient=-1.0, out=None):
    """adamw_update on the float32 master copy ``weight32``; the weight gets its cast."""
    skipped = _skipped(rescale_grad, weight, out)
    if skipped is not None:
        return skipped
    with autograd.pause():
        _set(weight32, adamw_update(weight32, grad.astype("float32"), mean, var, rescale_grad,
                                    lr, eta, beta1, beta2, epsilon, wd, clip_gradient))
        return _done(weight32, out, weight)


def multi_adamw_update(weights, grads, mean, var, rescale_grad, lrs, wds, etas, out=None,
                       name=None, size=0, **kwargs):
    """adamw_update of each weight of a list, with its own lr, wd and eta (mx.nd.contrib's)."""
    size = size or len(weights)
    outs = out if out is not None else [None] * size
    return [adamw_update(*arrays, rescale_grad, lr=lr, eta=eta, wd=wd, out=o, **kwargs)
            for *arrays, lr, wd, eta, o in zip(weights[:size], grads, mean, var, lrs, wds, etas,
                                               outs)]


def multi_mp_adamw_update(weights, grads, mean, var, weights32, rescale_grad, lrs, wds, etas,
                          out=None, name=None, size=0, **kwargs):
    """mp_adamw_update of each weight of a list (float32 master copies in ``weights32``)."""
    size = size or len(weights)
    outs = out if out is not None else [None] * size
    return [mp_adamw_update(*arrays, rescale_grad, lr=lr, eta=eta, wd=wd, out=o, **kwargs)
            for *arrays, lr, wd, eta, o in zip(weights[:size], grads, mean, var, weights32, lrs,
                                               wds, etas, outs)]


def _sum_sq_host(x):
    """MXNet's CPU ``multi_sum_sq`` of the flat NumPy array ``x``: a float32 running sum of
    x * x (the product in ``x``'s dtype), in order."""
    if _LIBM is not None and x.dtype.kind == "f" and x.dtype.itemsize in (4, 8):
        return onp.float32(_LIBM.sum_sq(onp.ascontiguousarray(x)))  # the same sum, compiled
    if x.dtype == onp.float64:  # each double product added to the float sum, rounded back
        total = 0.0
        with onp.errstate(over="ignore"):
            for sq in (x * x).tolist():
                total = float(onp.float32(total + sq))
        return onp.float32(total)
    squares = (x * x).astype(onp.float32)
    return onp.add.accumulate(squares)[-1] if squares.size else onp.float32(0)


def sum_sq(arr):
    """``arr``'s sum of squares as a float32 0-d array on its device: on the CPU as MXNet
    1.9.1's ``multi_sum_sq`` computes it (``_sum_sq_host``), bit for bit; on other devices
    NumPy's float32 sum there."""
    if arr._device.xp is not onp:
        return np.sum(np.square(arr.astype("float32")))
    return np.array(_sum_sq_host(arr.asnumpy().ravel()), dtype="float32", ctx=arr.ctx)


def multi_lamb_step(weight, grad, mean, var, t, lr, wd, beta1, beta2, epsilon, rescale_grad,
                    clip_gradient, bias_correction, lower_bound, upper_bound, weight32=None):
    """One weight's LAMB step as MXNet 1.9.1's ``multi_lamb_update`` kernels round it (the
    update its LAMB optimizer makes through an Updater or a Trainer): the step in the weight's
    dtype (or the float32 ``weight32``'s) with powf bias corrections; the direction taken in
    double and kept in float32; the norms float32 ``sqrt(multi_sum_sq)``, the weight's taken
    before the step; the trust ratio r1 / r2 formed before it scales lr. ``mean``, ``var``
    updated in place; the new weight returned. Shared by the operator and
    ``mx.optimizer.LAMB``."""
    w = weight if weight32 is None else weight32
    lr, b1, b2, eps, wd, rescale, clip, t = _kernel_params(
        w, lr, beta1, beta2, epsilon, wd, rescale_grad, clip_gradient, t)
    one = type(b1)(1)
    r1 = np.sqrt(sum_sq(weight))
    g = _grad(grad.astype(w.dtype), rescale, clip)
    _set(mean, b1 * mean + (one - b1) * g)
    _set(var, b2 * var + (one - b2) * g * g)
    m, v = (mean / (one - b1 ** t), var / (one - b2 ** t)) if bias_correction else (mean, var)
    # this kernel's sqrt is the double one: the quotient and the decay's sum are taken in
    # double, and rounded once, to float32
    v = v.astype("float64")
    direction = (m / (np.sqrt(v) + float(eps)) + (wd * w).astype("float64")).astype("float32")
    r2 = np.sqrt(sum_sq(direction))
    lower, upper = (float(onp.float32(b)) for b in (lower_bound, upper_bound))
    if lower >= 0:
        r1 = np.where(r1 < lower, lower, r1)
    if upper >= 0:
        r1 = np.where(upper < r1, upper, r1)
    usable = np.logical_and(r1 != 0, r2 != 0)
    ratio = np.where(usable, r1 / np.where(usable, r2, 1.0), 1.0).astype(w.dtype)
    return w - (lr * ratio) * direction.astype(w.dtype)


def _multi_lamb(groups, step_count, lrs, wds, out, **kwargs):
    outs = out if out is not None else [None] * len(groups)
    results = []
    with autograd.pause():
        for (weight, grad, mean, var, *master), t, lr, wd, o in zip(groups, step_count, lrs,
                                                                      wds, outs):
            new = multi_lamb_step(weight, grad, mean, var, t, lr, wd, **kwargs,
                                  weight32=master[0] if master else None)
            if master:
                _set(master[0], new)
            results.append(_done(new, o, weight))
    return results


def multi_lamb_update(weights, grads, mean, var, step_count, lrs, wds, out=None,
                      num_tensors=0, beta1=0.9, beta2=0.999, epsilon=1e-6, rescale_grad=1.0,
                      lower_bound=-1.0, upper_bound=-1.0, clip_gradient=-1.0,
                      bias_correction=True):
    """LAMB (both phases) of each weight of a list, with its own step count, lr and wd."""
    n = num_tensors or len(weights)
    return _multi_lamb(list(zip(weights[:n], grads, mean, var)), step_count, lrs, wds, out,
                       beta1=beta1, beta2=beta2, epsilon=epsilon, rescale_grad=rescale_grad,
                       clip_gradient=clip_gradient, bias_correction=bias_correction,
                       lower_bound=lower_bound, upper_bound=upper_bound)


def multi_mp_lamb_update(weights, grads, mean, var, weights32, step_count, lrs, wds, out=None,
                         num_tensors=0, beta1=0.9, beta2=0.999, epsilon=1e-6, rescale_grad=1.0,
                         lower_bound=-1.0, upper_bound=-1.0, clip_gradient=-1.0,
                         bias_correction=True):
    """multi_lamb_update through float32 master copies ``weights32`` (updated too; r1 is the
    norm of the weight itself, as MXNet's kernel takes it)."""
    n = num_tensors or len(weights)
    return _multi_lamb(list(zip(weights[:n], grads, mean, var, weights32)), step_count, lrs,
                       wds, out, beta1=beta1, beta2=beta2, epsilon=epsilon,
                       rescale_grad=rescale_grad, clip_gradient=clip_gradient,
                       bias_correction=bias_correction, lower_bound=lower_bound,
                       upper_bound=upper_bound)


@legacy_op("_contrib_group_adagrad_update", ("weight", "grad", "history"))
def group_adagrad_update(weight, grad, history, lr, rescale_grad=1.0, clip_gradient=-1.0,
                         epsilon=1e-5, out=None):
    """AdaGrad with one history per row: history += mean(g^2, axis 1); weight -= lr g /
    sqrt(history + epsilon)."""
    with autograd.pause():
        g = _grad(grad, rescale_grad, clip_gradient)
        _set(history, history + np.mean(np.square(g), axis=tuple(range(1, g.ndim)),
                                        keepdims=True))
        return _done(weight - lr * g / np.sqrt(history + epsilon), out, weight)
