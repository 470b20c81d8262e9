"""Helpers shared by the ndarray and autograd tests."""
from __future__ import annotations

import numpy as onp

from mxnp import autograd, np

NOT_IN_GRAPH = "not in a computational graph"
NO_INPUTS = "no inputs in computation graph that require gradients"
IN_GRAPH_WRITE = "recorded computational graph"


def variable(*values, dtype=None, grad_req="write"):
    x = np.array(values, dtype=dtype)
    x.attach_grad(grad_req)
    return x


def square_sum(x):
    with autograd.record():
        return (x * x).sum()


def f32(*values):
    return np.array(values)


def i32(*values):
    return np.array(values, dtype="int32")


def shares_memory(a, b) -> bool:
    """True when a write through ``a`` is seen by ``b`` (the observable meaning of a view)."""
    before = b.asnumpy()
    a[...] = a + 1
    return not onp.array_equal(b.asnumpy(), before)


def grad_of(f, x, head=None):
    """x.grad after recording f(x) and running backward with ``head``."""
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward(head)
    return x.grad
