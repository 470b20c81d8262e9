"""mx.contrib.autograd: MXNet 1.x's first autograd interface (values from MXNet 1.9.1, mxref)."""
from __future__ import annotations

import mxnp as mx
from mxnp import autograd


def test_set_is_training_switches_both_flags_and_returns_the_recording_one():
    ca = mx.contrib.autograd
    autograd.set_training(True)
    assert ca.set_is_training(True) is False
    assert autograd.is_recording() and autograd.is_training()
    assert ca.set_is_training(False) is True
    assert not autograd.is_recording() and not autograd.is_training()
    with ca.train_section():
        assert autograd.is_recording() and autograd.is_training()
        with ca.test_section():
            assert not autograd.is_recording() and not autograd.is_training()
        assert autograd.is_recording() and autograd.is_training()
    assert not autograd.is_recording() and not autograd.is_training()


def test_grad_and_loss_and_grad():
    ca = mx.contrib.autograd
    x = mx.nd.array([1.0, 2.0])
    (gx,) = ca.grad(lambda a: a * a)(x)
    assert gx.asnumpy().tolist() == [2.0, 4.0]
    grads, loss = ca.grad_and_loss(lambda a, b: a * b, argnum=1)(x, mx.nd.array([3.0, 5.0]))
    assert [g.asnumpy().tolist() for g in grads] == [[1.0, 2.0]] and loss.asnumpy().tolist() == [3.0, 10.0]


def test_mark_variables_then_backward_under_mxnet_1x_names():
    ca = mx.contrib.autograd
    x = mx.nd.array([1.0, 2.0, 3.0])
    dx = mx.nd.zeros_like(x)
    ca.mark_variables([x], [dx])
    with ca.train_section():
        y = x * x
    ca.backward([y], out_grads=[mx.nd.array([1.0, 0.5, 2.0])])
    assert dx.asnumpy().tolist() == [2.0, 2.0, 12.0]
