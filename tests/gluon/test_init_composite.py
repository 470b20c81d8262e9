"""mx.init: Mixed, Load and FusedRNN (initializers built from other initializers)."""
from __future__ import annotations

import re

import numpy as onp
import pytest

from mxnp import np, npx
from mxnp import initializer as init


def test_mixed_picks_the_first_matching_pattern():
    # MXNet 1.9.1 (mxref): Mixed(['bias', '.*'], [Zero(), One()]) on 'fc_bias' / 'fc_weight'
    mixed = init.Mixed(["bias", ".*"], [init.Zero(), init.One()])
    arr = np.full((3,), 5.0)
    mixed(init.InitDesc("bias_fc_weight"), arr)  # re.match: the pattern must match at the start
    assert arr.asnumpy().tolist() == [0.0, 0.0, 0.0]
    mixed(init.InitDesc("fc_weight"), arr)
    assert arr.asnumpy().tolist() == [1.0, 1.0, 1.0]


def test_mixed_applies_the_matched_initializers_rule_for_the_name():
    # MXNet 1.9.1 (mxref): the matched Constant(4) fills a bias by the bias rule (zeros)
    mixed = init.Mixed([".*bias", ".*"], [init.Constant(4), "ones"])
    arr = np.full((2,), 7.0)
    mixed(init.InitDesc("dense0_bias"), arr)
    assert arr.asnumpy().tolist() == [0.0, 0.0]
    # as a gluon default (which MXNet refuses), the matched one's weight rule
    from mxnp import gluon

    p = gluon.Parameter("foo_bias", shape=(2,))
    p.initialize(mixed)
    assert p.data().asnumpy().tolist() == [4.0, 4.0]


def test_mixed_without_a_match():
    mixed = init.Mixed(["bias"], [init.Zero()])
    with pytest.raises(ValueError, match="Parameter name fc_weight did not match any pattern"):
        mixed(init.InitDesc("fc_weight"), np.zeros((3,)))


def test_mixed_needs_one_initializer_per_pattern():
    with pytest.raises(AssertionError):  # MXNet 1.9.1 (mxref): bare AssertionError
        init.Mixed(["a"], [])


def test_load_copies_by_name_and_strips_prefixes():
    # MXNet 1.9.1 (mxref): Load({'arg:w': ...}).param keys -> ['w']
    loader = init.Load({"arg:w": np.array([1.0, 2.0]), "aux:m": onp.array([3.0])})
    assert sorted(loader.param) == ["m", "w"]
    w, m = np.zeros((2,)), np.zeros((1,))
    loader(init.InitDesc("w"), w)
    loader(init.InitDesc("m"), m)
    assert w.asnumpy().tolist() == [1.0, 2.0] and m.asnumpy().tolist() == [3.0]


def test_load_falls_back_to_default_init():
    loader = init.Load({"w": np.ones((2,))}, default_init=init.Constant(9))
    arr = np.zeros((3,))
    loader(init.InitDesc("x_weight"), arr)
    assert arr.asnumpy().tolist() == [9.0, 9.0, 9.0]
    # MXNet 1.9.1 (mxref): the default's rule for the name: zeros for a bias, else an error
    loader(init.InitDesc("x_bias"), arr)
    assert arr.asnumpy().tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="Unknown initialization pattern for x"):
        loader(init.InitDesc("x"), arr)


@pytest.mark.parametrize("name, shape, message", [  # MXNet 1.9.1 (mxref)
    ("x", (2,), "Cannot Initialize x. Not found in loaded param and no default Initializer is "
                "provided."),
    ("w", (3,), "Parameter w cannot be initialized from loading. Shape mismatch, target (3,) vs "
                "loaded (2,)"),
])
def test_load_errors(name, shape, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        init.Load({"w": np.ones((2,))})(init.InitDesc(name), np.zeros(shape))


def test_load_from_a_saved_file(tmp_path):
    path = str(tmp_path / "params")
    npx.save(path, {"arg:dense0_weight": np.arange(6.0).reshape(2, 3)})
    arr = np.zeros((2, 3))
    init.Load(path)(init.InitDesc("dense0_weight"), arr)
    assert arr.asnumpy().tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_fusedrnn_lstm_layout_and_forget_bias():
    # MXNet 1.9.1 (mxref, legacy mode): FusedRNN(One(), 2, 1, 'lstm', forget_bias=2.0) on a
    # 56-entry vector (input size 3): 40 weights of 1, then i2h and h2h biases (gates i f c o)
    arr = np.zeros((56,))
    init.FusedRNN(init.One(), 2, 1, "lstm", forget_bias=2.0)(init.InitDesc("p_weight"), arr)
    biases = [0.0, 0.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0]
    assert arr.asnumpy().tolist() == [1.0] * 40 + biases + biases


def test_fusedrnn_gru_two_layers_weights_then_zero_biases():
    # MXNet 1.9.1 (mxref, legacy mode): 90 entries, Xavier -> 66 nonzero weights, 24 zero biases
    npx.random.seed(0)
    arr = np.zeros((90,))
    init.FusedRNN(init.Xavier(), 2, 2, "gru")(init.InitDesc("p_weight"), arr)
    values = arr.asnumpy()
    assert (values[:66] != 0).all() and (values[66:] == 0).all()


def test_fusedrnn_without_init_uses_the_global_init():
    # MXNet 1.9.1 (mxref, legacy mode): bidirectional rnn_tanh, 2 layers, global One -> 44 ones
    arr = np.zeros((60,))
    desc = init.InitDesc("p_weight", global_init=init.One())
    init.FusedRNN(None, 2, 2, "rnn_tanh", bidirectional=True)(desc, arr)
    assert arr.asnumpy().tolist() == [1.0] * 44 + [0.0] * 16


def test_fusedrnn_from_a_dumps_string():
    # MXNet 1.9.1 raises KeyError: 'uniform' for a string init; mxnp creates it
    fused = init.FusedRNN('["uniform", {"scale": 0.5}]', 2, 1, "rnn_relu")
    assert isinstance(fused._init, init.Uniform) and fused._init.scale == 0.5


def test_fusedrnn_wrong_size():
    with pytest.raises(AssertionError, match="Invalid parameters size for FusedRNNCell"):
        init.FusedRNN(None, 2, 2, "rnn_tanh")(init.InitDesc("p_weight", global_init=init.One()),
                                              np.zeros((7,)))
