"""Small layers for the core gluon tests (independent of gluon.nn), and their own checks.

``Dense`` here follows the layer contract (params.get with deferred dims, infer_shape,
hybrid_forward) so the Block/Parameter tests do not depend on the nn package.
"""
from __future__ import annotations

import pytest

from mxnp import gluon, name, npx
from mxnp import numpy as np


@pytest.fixture
def fresh_names():
    """Restart the per-hint name counters, as in a fresh MXNet process (mx.name's own way)."""
    with name.NameManager():
        yield


class Dense(gluon.HybridBlock):
    """Fully connected layer: weight (units, in_units), bias (units,)."""

    def __init__(self, units, in_units=0, use_bias=True, dtype="float32", **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(units, in_units), dtype=dtype,
                                          allow_deferred_init=True)
            self.bias = self.params.get("bias", shape=(units,), init="zeros", dtype=dtype,
                                        allow_deferred_init=True) if use_bias else None

    def infer_shape(self, x, *args):
        self.weight.shape = (self.weight.shape[0], x.size // x.shape[0])

    def hybrid_forward(self, F, x, weight, bias=None):
        return F.npx.fully_connected(x, weight, bias, num_hidden=weight.shape[0],
                                     no_bias=bias is None)

    def __repr__(self):
        return f"Dense({self.weight.shape[1]} -> {self.weight.shape[0]}, linear)"


class Sequential(gluon.Block):
    """A minimal Sequential: children registered as '0', '1', ...; runs them in order."""

    def add(self, *blocks):
        for b in blocks:
            self.register_child(b)

    def forward(self, x):
        for b in self._children.values():
            x = b(x)
        return x

    def __repr__(self):
        body = "\n".join(f"  ({k}): {b!r}" for k, b in self._children.items())
        return f"{self.__class__.__name__}(\n{body}\n)"


class HybridSequential(gluon.HybridBlock):
    """A minimal HybridSequential."""

    add = Sequential.add

    def hybrid_forward(self, F, x):
        for b in self._children.values():
            x = b(x)
        return x


class MLP(gluon.Block):
    """hidden (Dense) -> relu -> output (Dense), children as attributes (no name_scope)."""

    def __init__(self, hidden=3, in_units=0, **kwargs):
        super().__init__(**kwargs)
        self.hidden = Dense(hidden, in_units=in_units)
        self.output = Dense(1, in_units=hidden if in_units else 0)

    def forward(self, x):
        return self.output(npx.relu(self.hidden(x)))


def test_support_dense_matches_numpy():
    d = Dense(2, in_units=3)
    d.initialize()
    d.weight.set_data(np.array([[1., 2., 3.], [-1., 0., 1.]]))
    d.bias.set_data(np.array([0.5, -0.5]))
    out = d(np.array([[1., 1., 1.], [0., 1., 2.]]))
    assert out.tolist() == [[6.5, -0.5], [8.5, 1.5]]


def test_support_seq_runs_children_in_order():
    s = Sequential()
    s.add(Dense(2, in_units=2), Dense(1, in_units=2))
    s.initialize("ones")
    assert s(np.ones((1, 2))).tolist() == [[4.0]]
