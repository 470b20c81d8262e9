"""Rows for npx's neural-network primitives. Each ``fn`` runs the npx op on mxnp arrays and a
plain NumPy reference on NumPy arrays, so the forward-parity check compares the two."""
from __future__ import annotations

import numpy as onp

from mxnp import np, npx
from mxnp._ops.nn.basic import _relu_grad, _relu_step
from tests.grad_rows.common import S, near
from tests.test_rnn import n_params, ref_rnn


def _softmax_ref(x, axis):
    e = onp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def relu(x):
    return npx.relu(x) if isinstance(x, np.ndarray) else onp.maximum(x, 0)


def relu_step(x):
    """relu's gradient step sign(relu(x)), a private op: its own forward on mxnp arrays."""
    if isinstance(x, np.ndarray):
        return _relu_step(npx.relu(x))
    return onp.sign(onp.maximum(x, 0))


def relu_grad(g, x):
    """relu's rule as an op, at a relu output: g * sign(relu(x))."""
    if isinstance(g, np.ndarray):
        return _relu_grad(g, npx.relu(x))
    return g * onp.sign(onp.maximum(x, 0))


def sigmoid(x):
    return npx.sigmoid(x) if isinstance(x, np.ndarray) else 1 / (1 + onp.exp(-x))


def softmax(axis=-1, temperature=None):
    def fn(x):
        if isinstance(x, np.ndarray):
            return npx.softmax(x, axis=axis, temperature=temperature)
        return _softmax_ref(x / (temperature or 1.0), axis)
    return fn


def log_softmax(axis=-1):
    def fn(x):
        if isinstance(x, np.ndarray):
            return npx.log_softmax(x, axis=axis)
        return onp.log(_softmax_ref(x, axis))
    return fn


def rnn(mode, layers, bidirectional):
    """npx.rnn with state outputs; NumPy: the loop reference of tests/test_rnn.py."""
    def fn(x, flat, h0, c0=None):
        kw = dict(state_size=2, num_layers=layers, bidirectional=bidirectional, mode=mode)
        if isinstance(x, np.ndarray):
            return npx.rnn(x, flat, h0, c0, state_outputs=True, **kw)
        y, h, c = ref_rnn(x, flat, h0, c0, mode, 2, layers, bidirectional)
        return [y, h] + ([] if c is None else [c])
    return fn


ROWS = [
    S("relu", [(2, 3)], kink=lambda x: near(x, 0), fn=relu, name="relu"),
    S("relu_step", [(2, 3)], kink=lambda x: near(x, 0), fn=relu_step, name="relu_step"),
    S("relu_grad", [(2, 3), (2, 3)], kink=lambda g, x: near(x, 0), fn=relu_grad, name="relu_grad"),
    S("sigmoid", [(2, 3)], -4, 4, fn=sigmoid, name="sigmoid"),
    S("softmax", [(2, 3)], fn=softmax(), name="softmax-last"),
    S("softmax", [(2, 3, 2)], fn=softmax(axis=1), name="softmax-axis1"),
    S("softmax", [(4,)], fn=softmax(temperature=2.0), name="softmax-temperature"),
    S("log_softmax", [(2, 3)], fn=log_softmax(), name="log_softmax-last"),
    S("log_softmax", [(3, 2)], fn=log_softmax(axis=0), name="log_softmax-axis0"),
    # tiny: the Jacobian mode checks every entry (multi-layer, bidirectional: tests/test_rnn.py)
    S("rnn", [(2, 1, 1), (n_params("lstm", 1, 2, 1, 1),), (1, 1, 2), (1, 1, 2)], -1, 1,
      fn=rnn("lstm", 1, False), name="rnn-lstm"),
    S("rnn", [(3, 2, 2), (n_params("gru", 2, 2, 1, 1),), (1, 2, 2)], -1, 1,
      fn=rnn("gru", 1, False), name="rnn-gru"),
    S("rnn", [(3, 2, 2), (n_params("rnn_tanh", 2, 2, 2, 1),), (2, 2, 2)], -1, 1,
      fn=rnn("rnn_tanh", 2, False), name="rnn-tanh-2-layers"),
]
