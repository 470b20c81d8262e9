"""``mx.contrib.autograd``: MXNet's first autograd interface, kept by MXNet 1.9.1 beside
``mx.autograd``. Its sections set recording and training together; the rest is ``mx.autograd``.
"""
from __future__ import annotations

import functools

from .. import autograd as _autograd
from .._ndarray import ndarray
from ..ndarray import zeros_like

__all__ = ["TrainingStateScope", "backward", "compute_gradient", "grad", "grad_and_loss",
           "mark_variables", "set_is_training", "test_section", "train_section"]

mark_variables = _autograd.mark_variables


def set_is_training(is_train) -> bool:
    """Turn recording and training on or off together; return the previous recording flag
    (MXNet reports the second of its two switches)."""
    _autograd.set_training(bool(is_train))
    return _autograd.set_recording(bool(is_train))


class TrainingStateScope:
    """``with`` scope that sets recording and training to ``enter_state`` and restores both."""

    def __init__(self, enter_state):
        self._enter_state = enter_state
        self._saved = None

    def __enter__(self):
        self._saved = (_autograd.is_recording(), _autograd.is_training())
        set_is_training(self._enter_state)

    def __exit__(self, *exc):
        _autograd.set_recording(self._saved[0])
        _autograd.set_training(self._saved[1])


def train_section() -> TrainingStateScope:
    """Record and train inside the ``with`` block."""
    return TrainingStateScope(True)


def test_section() -> TrainingStateScope:
    """Neither record nor train inside the ``with`` block."""
    return TrainingStateScope(False)


test_section.__test__ = False  # a name pytest would otherwise collect as a test


def backward(outputs, out_grads=None, retain_graph=False):
    """``mx.autograd.backward`` under MXNet 1.x's argument names."""
    _autograd.backward(outputs, head_grads=out_grads, retain_graph=retain_graph)


def compute_gradient(outputs):
    """Deprecated in MXNet: ``backward(outputs)``."""
    backward(outputs)


def grad_and_loss(func, argnum=None):
    """``func`` wrapped to return (gradients of the chosen arguments, ``func``'s outputs)."""
    @functools.wraps(func)
    def wrapped(*args):
        chosen = args if argnum is None else \
            [args[i] for i in (argnum if isinstance(argnum, list) else [argnum])]
        for x in chosen:
            if not isinstance(x, ndarray):
                raise TypeError(f"grad_and_loss: the differentiated arguments must be arrays, "
                                f"got {type(x).__name__}")
        grads = [zeros_like(x) for x in chosen]
        mark_variables(chosen, grads)
        with train_section():
            outputs = func(*args)
        compute_gradient([outputs] if isinstance(outputs, ndarray) else outputs)
        return grads, outputs
    return wrapped


def grad(func, argnum=None):
    """``func`` wrapped to return the gradients of the chosen arguments only."""
    with_loss = grad_and_loss(func, argnum)

    @functools.wraps(with_loss)
    def wrapped(*args):
        return with_loss(*args)[0]
    return wrapped
