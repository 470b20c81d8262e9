"""Rows for npx's layer ops: activations, normalisation, fully_connected, embedding, dropout.
Each ``fn`` runs the npx op on mxnp arrays and a plain NumPy reference on NumPy arrays."""
from __future__ import annotations

import math

import numpy as onp

from mxnp import autograd, np, npx
from tests.grad_rows.common import S, near

_erf = onp.vectorize(math.erf)
SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)


def _mx(a) -> bool:
    return isinstance(a, np.ndarray)


def activation(act_type, ref):
    def fn(x):
        return npx.activation(x, act_type=act_type) if _mx(x) else ref(x)
    return fn


def leaky(act_type, ref, **kw):
    def fn(x, *gamma):
        if _mx(x):
            with autograd.predict_mode():  # rrelu draws its slopes in training mode
                return npx.leaky_relu(x, *gamma, act_type=act_type, **kw)
        return ref(x, *gamma)
    return fn


def _elu_ref(x, alpha):
    return onp.where(x > 0, x, alpha * onp.expm1(onp.minimum(x, 0)))


def batch_norm_ref(x, gamma, beta, mm, mv, eps, fix_gamma, training, axis):
    reduced = tuple(a for a in range(x.ndim) if a != axis % x.ndim)
    shape = [-1 if a == axis % x.ndim else 1 for a in range(x.ndim)]
    mean = x.mean(axis=reduced) if training else mm
    var = ((x - mean.reshape(shape)) ** 2).mean(axis=reduced) if training else mv
    inv = 1 / onp.sqrt(var + eps)
    g = onp.ones_like(gamma) if fix_gamma else gamma
    out = (x - mean.reshape(shape)) * (inv * g).reshape(shape) + beta.reshape(shape)
    return out, mean, inv


def batch_norm(training, fix_gamma=True, axis=1, output_mean_var=False, eps=1e-3):
    def fn(x, gamma, beta):
        c = x.shape[axis]
        mode = autograd.train_mode if training else autograd.predict_mode
        if _mx(x):
            mm, mv = np.linspace(-0.5, 0.5, c, dtype=x.dtype), np.linspace(1, 2, c, dtype=x.dtype)
            with mode():
                return npx.batch_norm(x, gamma, beta, mm, mv, eps=eps, fix_gamma=fix_gamma,
                                      axis=axis, output_mean_var=output_mean_var)
        mm, mv = onp.linspace(-0.5, 0.5, c), onp.linspace(1, 2, c)
        out = batch_norm_ref(x, gamma, beta, mm, mv, eps, fix_gamma, training, axis)
        return list(out) if output_mean_var else out[0]
    return fn


def layer_norm_ref(x, gamma, beta, axis, eps):
    mean = x.mean(axis=axis, keepdims=True)
    std = onp.sqrt(((x - mean) ** 2).mean(axis=axis, keepdims=True) + eps)
    shape = [-1 if a == axis % x.ndim else 1 for a in range(x.ndim)]
    return (x - mean) / std * gamma.reshape(shape) + beta.reshape(shape), mean, std


def layer_norm(axis=-1, output_mean_var=False):
    def fn(x, gamma, beta):
        if _mx(x):
            return npx.layer_norm(x, gamma, beta, axis=axis, output_mean_var=output_mean_var)
        out = layer_norm_ref(x, gamma, beta, axis, 1e-5)
        return list(out) if output_mean_var else out[0]
    return fn


def fully_connected(flatten=True):
    def fn(x, w, b):
        if _mx(x):
            return npx.fully_connected(x, w, b, num_hidden=w.shape[0], flatten=flatten)
        x = x.reshape(x.shape[0], -1) if flatten else x
        return x @ w.T + b
    return fn


IDX = onp.array([[0, 3, 3], [9, -2, 1]])  # out of range (9, -2) clips; 3 repeats


def embedding(w):
    if _mx(w):
        return npx.embedding(np.array(IDX), w, input_dim=4, output_dim=3)
    return w[onp.clip(IDX, 0, 3)]


def dropout(x):
    """Seeded, so every call draws the same mask; the reference is x times that mask."""
    np.random.seed(7)
    if _mx(x):
        return npx.dropout(x, p=0.4, mode="always", axes=(1,))
    mask = npx.dropout(np.ones(x.shape, dtype=x.dtype), p=0.4, mode="always",
                       axes=(1,)).asnumpy()
    assert set(onp.unique(mask)) <= {0.0, 1 / 0.6}
    return x * mask


BN = [(3, 2, 2), (2,), (2,)]
ROWS = [
    S("softrelu", [(2, 3)], -4, 4, fn=activation("softrelu", lambda x: onp.logaddexp(0, x)),
      name="activation-softrelu"),
    S("softsign", [(2, 3)], kink=lambda x: near(x, 0),
      fn=activation("softsign", lambda x: x / (1 + onp.abs(x))), name="activation-softsign"),
    S("tanh", [(2, 3)], fn=activation("tanh", onp.tanh), name="activation-tanh"),
    S("where", [(2, 3)], kink=lambda x: near(x, 0),
      fn=leaky("leaky", lambda x: onp.where(x > 0, x, 0.1 * x), slope=0.1), name="leaky_relu"),
    S("expm1", [(2, 3)], kink=lambda x: near(x, 0),
      fn=leaky("elu", lambda x: _elu_ref(x, 0.5), slope=0.5), name="leaky_relu-elu"),
    S("expm1", [(2, 3)], kink=lambda x: near(x, 0),
      fn=leaky("selu", lambda x: SELU[1] * _elu_ref(x, SELU[0])), name="leaky_relu-selu"),
    S("erf", [(2, 3)], -3, 3,
      fn=leaky("gelu", lambda x: x * 0.5 * (1 + _erf(x / math.sqrt(2)))),
      name="leaky_relu-gelu"),
    S("where", [(2, 3, 2), (3,)], kink=lambda x, g: near(x, 0),
      fn=leaky("prelu", lambda x, g: onp.where(x > 0, x, x * g.reshape(3, 1))),
      name="leaky_relu-prelu"),
    S("where", [(2, 3)], kink=lambda x: near(x, 0),
      fn=leaky("rrelu", lambda x: onp.where(x > 0, x, x * (0.125 + 0.334) / 2)),
      name="leaky_relu-rrelu-predict"),
    S("batch_norm", BN, fn=batch_norm(True, fix_gamma=False), name="batch_norm-train"),
    S("batch_norm", BN, fn=batch_norm(True), name="batch_norm-train-fix_gamma"),
    S("batch_norm", BN, fn=batch_norm(False, fix_gamma=False), name="batch_norm-predict"),
    S("batch_norm", [(2, 3), (3,), (3,)], fn=batch_norm(True, fix_gamma=False, axis=-1,
      output_mean_var=True, eps=0.1), name="batch_norm-train-mean_var-axis-1"),
    S("batch_norm", [(4, 2), (2,), (2,)], fn=batch_norm(False, output_mean_var=True),
      name="batch_norm-predict-mean_var"),
    S("sqrt", [(2, 3), (3,), (3,)], fn=layer_norm(), name="layer_norm"),
    S("sqrt", [(2, 3), (2,), (2,)], fn=layer_norm(axis=0, output_mean_var=True),
      name="layer_norm-axis0-mean_var"),
    S("fully_connected", [(2, 3, 2), (4, 6), (4,)], fn=fully_connected()),
    S("fully_connected", [(3, 5), (4, 5), (4,)], fn=fully_connected(), name="fully_connected-2d"),
    S("fully_connected", [(2, 3, 2), (4, 2), (4,)], fn=fully_connected(flatten=False),
      name="fully_connected-no-flatten"),
    S("getitem", [(4, 3)], fn=embedding, name="embedding"),
    S("multiply", [(2, 5)], fn=dropout, name="dropout"),
]
