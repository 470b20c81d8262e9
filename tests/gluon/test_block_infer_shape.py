"""Deferred shapes of a HybridBlock's own Parameters when it defines no ``infer_shape``: MXNet
infers them from the operators its ``hybrid_forward`` applies; mxnp takes the one choice among
the inputs' dims and 1 for which the body runs (values from mxref, numpy mode)."""
from __future__ import annotations

import pytest

from mxnp import autograd, gluon
from mxnp import numpy as np


class Block(gluon.HybridBlock):
    """``body(F, x, **params)`` over Parameters of the given shapes (0: unknown)."""

    def __init__(self, body, **shapes):
        super().__init__()
        self._body = body
        with self.name_scope():
            for name, shape in shapes.items():
                setattr(self, name, self.params.get(name, shape=shape, allow_deferred_init=True))

    def hybrid_forward(self, F, x, **params):
        return self._body(F, x, **params)


def test_a_product_fixes_the_unknown_dim_and_the_net_trains():
    # MXNet 1.9.1 (mxref): x (4, 7) . w1 (0, 5) gives w1 (7, 5)
    net = Block(lambda F, x, w1: F.npx.relu(x.dot(w1)), w1=(0, 5))
    net.initialize()
    x = np.ones((4, 7))
    assert net(x).shape == (4, 5) and net.w1.shape == (7, 5)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    before = net.w1.data().copy()
    with autograd.record():
        loss = net(x).sum()
    loss.backward()
    trainer.step(1)
    assert (net.w1.data() != before).any()


def test_two_unknown_dims_of_one_parameter():
    # MXNet 1.9.1 (mxref) fails here (its dot infers one unknown side only): a difference
    net = Block(lambda F, x, w, v: x.dot(w).dot(v), w=(0, 0), v=(7, 2))
    net.initialize()
    assert net(np.ones((4, 7))).shape == (4, 2) and net.w.shape == (7, 7)


def test_a_convolution_fixes_the_input_channels():
    net = Block(lambda F, x, w: F.npx.convolution(x, w, kernel=(3, 3), num_filter=4,
                                                  no_bias=True), w=(4, 0, 3, 3))
    net.hybridize()
    net.initialize()
    assert net(np.ones((2, 5, 8, 8))).shape == (2, 4, 6, 6) and net.w.shape == (4, 5, 3, 3)


@pytest.mark.parametrize("body", [
    lambda F, x, w: x + w.sum(),  # any size runs: MXNet cannot infer it either
    lambda F, x, w: x * w,  # 7 and 1 broadcast: MXNet 1.9.1 (mxref) cannot infer it either
    lambda F, x, w: x.dot(np.ones((7, 3))) + w,  # the size (3) is no input dim
])
def test_no_single_choice_is_an_error_naming_the_parameter(body):
    net = Block(body, w=(0,))
    net.initialize()
    with pytest.raises(ValueError, match="shape cannot be inferred.*unknown dims of block.*_w"):
        net(np.ones((4, 7)))
    assert net.w.shape == (-1,)  # left as it was
