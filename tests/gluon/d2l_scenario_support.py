"""Shared pieces of the D2L scenario tests (test_d2l_scenarios*.py): a fresh process per test,
recorded multi-line displays, and float comparisons to float32 rounding."""
from __future__ import annotations

import textwrap

import numpy as onp
import pytest

from mxnp import name, npx
from mxnp import numpy as np
from mxnp.gluon import nn


@pytest.fixture(autouse=True)
def fresh_process():
    """Restart the per-hint block counters, as a new MXNet process would (MXNet's own way)."""
    with name.NameManager():
        yield


def text(s):
    """A recorded multi-line display, without the indentation of the test source."""
    return textwrap.dedent(s).strip("\n")


def close(x, expected, rtol=1e-5, atol=1e-7):
    """x (an array or a number) equals MXNet's recorded values up to float32 rounding."""
    onp.testing.assert_allclose(x.asnumpy() if hasattr(x, "asnumpy") else x, expected,
                                rtol=rtol, atol=atol)


def mlp_classes():
    """D2L's MLP and FixedHiddenMLP (model construction), defined as the book does."""
    class MLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(256, activation='relu')
            self.output = nn.Dense(10)

        def forward(self, X):
            return self.output(self.hidden(X))

    class FixedHiddenMLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.rand_weight = self.params.get_constant(
                'rand_weight', np.random.uniform(size=(20, 20)))
            self.dense = nn.Dense(20, activation='relu')

        def forward(self, X):
            X = self.dense(X)
            X = npx.relu(np.dot(X, self.rand_weight.data()) + 1)
            X = self.dense(X)
            while np.abs(X).sum() > 1:
                X /= 2
            return X.sum()

    return MLP, FixedHiddenMLP
