"""mx.init through gluon: Parameter.initialize and Block.initialize pick and apply initializers."""
from __future__ import annotations

import numpy as onp

from mxnp import autograd, gluon, init, np, npx


def param(name="w", shape=(2, 3), **kwargs):
    p = gluon.Parameter(name, shape=shape, **kwargs)
    return p


def test_parameter_own_init_constant_list():
    # MXNet 1.9.1 (mxref): Parameter('w', (2, 3), init=Constant([[1, 2, 3]])) -> rows [1 2 3]
    p = param(init=init.Constant([[1, 2, 3]]))
    p.initialize()
    assert p.data().asnumpy().tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]


def test_parameter_registered_name_and_float64():
    # MXNet 1.9.1 (mxref): dtype float64, init 'ones' -> float64 ones
    p = param(dtype="float64", init="ones")
    p.initialize()
    assert p.data().dtype == onp.float64 and p.data().asnumpy().tolist() == [[1.0] * 3] * 2


def test_parameter_default_init_is_uniform_007_even_in_float64():
    npx.random.seed(0)
    p = param(shape=(100, 50), dtype="float64")
    p.initialize()  # MXNet 1.9.1 fails here (random initializers on float64)
    w = p.data().asnumpy()
    assert w.dtype == onp.float64 and -0.07 <= w.min() < -0.069 and 0.069 < w.max() <= 0.07


def test_global_init_applies_its_weight_rule_to_any_name():
    # MXNet 1.9.1 (observed, §3.1): 'foo_bias' declared without init gets U(-1, 1) from
    # Uniform(1.0), not the bias rule
    npx.random.seed(1)
    p = param("foo_bias", shape=(500,))
    p.initialize(init=init.Uniform(1.0))
    assert p.data().asnumpy().std() > 0.5


def test_explicit_init_beats_own_init_beats_default():
    p = param(init=init.Constant(5))
    p.initialize(init=init.One(), default_init=init.Zero())
    assert p.data().asnumpy().tolist() == [[1.0] * 3] * 2
    q = param(init=init.Constant(5))
    q.initialize(default_init=init.Zero())
    assert q.data().asnumpy().tolist() == [[5.0] * 3] * 2


def test_custom_initializer_receives_the_parameter_name():
    seen = []

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            seen.append((str(name), type(name).__name__, data.shape))
            data[:] = 4

    p = param("foo_bias", shape=(2,))
    p.initialize(MyInit())
    # MXNet 1.9.1 (mxref) printed: Init foo_bias InitDesc (2,); data -> [4. 4.]
    assert seen == [("foo_bias", "InitDesc", (2,))]
    assert p.data().asnumpy().tolist() == [4.0, 4.0]


def test_mixed_and_load_work_in_gluon():
    # MXNet 1.9.1: both fail with AssertionError: initializer must be of string type
    p = param()
    p.initialize(init.Mixed([".*bias", ".*"], [init.Zero(), init.Constant(3)]))
    assert p.data().asnumpy().tolist() == [[3.0] * 3] * 2
    q = param()
    q.initialize(init.Load({"w": np.full((2, 3), 2.0)}))
    assert q.data().asnumpy().tolist() == [[2.0] * 3] * 2


def test_lstmbias_through_a_parameter():
    p = param("lstm0_l0_i2h_bias", shape=(8,), init=init.LSTMBias(forget_bias=1.0))
    p.initialize()
    # MXNet 1.9.1 (mxref): rnn.LSTM(2, input_size=2, i2h_bias_initializer=LSTMBias(1.0))
    assert p.data().asnumpy().tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]


def test_seeded_initialization_is_reproducible():
    values = []
    for _ in range(2):
        npx.random.seed(123)
        p = param(shape=(4, 5))
        p.initialize(init.Xavier())
        values.append(p.data().asnumpy())
    assert onp.array_equal(values[0], values[1]) and values[0].std() > 0


class TwoParams(gluon.HybridBlock):
    """A block declaring parameters by name only (their own init is None)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.gamma = self.params.get("gamma", shape=(3,))
            self.scale = self.params.get("scale", shape=(3,), init=init.Constant(7))

    def hybrid_forward(self, F, x, gamma, scale):
        return x * gamma * scale


def test_block_initialize_names_do_not_pick_the_rule():
    # MXNet 1.9.1 (§3.1): 'gamma' declared without init gets the global weight rule; a declared
    # init (Constant(7)) wins over the global one
    block = TwoParams()
    block.initialize(init.Constant(2))
    assert block.gamma.data().asnumpy().tolist() == [2.0, 2.0, 2.0]
    assert block.scale.data().asnumpy().tolist() == [7.0, 7.0, 7.0]
    with autograd.record():
        out = block(np.ones((3,)))
    out.backward()
    assert out.asnumpy().tolist() == [14.0, 14.0, 14.0]
