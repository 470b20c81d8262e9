"""Dense and the convolutions call their activation child straight through to its body where
a call would add nothing (``block.call_child``): hooks, faces and values must not notice."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp.gluon import nn


@pytest.mark.parametrize("make", [lambda: nn.Dense(4, activation="relu", in_units=3),
                                  lambda: nn.Conv2D(2, 3, activation="tanh", in_channels=1)])
def test_a_layers_activation_child_runs_its_hooks_and_faces(make):
    layer = make()
    layer.initialize()
    x = mx.np.array(onp.random.default_rng(0).standard_normal(
        (2, 3) if isinstance(layer, nn.Dense) else (1, 1, 5, 5)).astype("float32"))
    plain = layer(x)
    seen = []
    handle = layer.act.register_forward_hook(lambda block, args, out: seen.append(out))
    hooked = layer(x)
    assert len(seen) == 1 and onp.array_equal(seen[0].asnumpy(), hooked.asnumpy())
    handle.detach()
    layer(x)
    assert len(seen) == 1
    onp.testing.assert_array_equal(plain.asnumpy(), hooked.asnumpy())
    with mx.util.np_array(False), mx.util.np_shape(False):
        legacy = layer(x.as_nd_ndarray())
    assert type(legacy) is mx.nd.NDArray
    onp.testing.assert_array_equal(legacy.asnumpy(), plain.asnumpy())
