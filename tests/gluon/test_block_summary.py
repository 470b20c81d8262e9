"""Block.summary: MXNet 1.9.1's table, text recorded with mxref."""
from __future__ import annotations

import pytest

from mxnp import gluon
from mxnp import numpy as np
from mxnp.gluon import nn

from .test_block_support import (
    Dense,
    fresh_names,  # noqa: F401  (a fixture)
)

RULE, DOUBLE = "-" * 80, "=" * 80
HEADER = "        Layer (type)                                Output Shape         Param #"


def _table(rows, total, trainable, shared=0):
    return "\n".join([RULE, HEADER, DOUBLE, *rows, DOUBLE,
                      "Parameters in forward computation graph, duplicate included",
                      f"   Total params: {total}", f"   Trainable params: {trainable}",
                      f"   Non-trainable params: {total - trainable}",
                      f"Shared params in forward computation graph: {shared}",
                      f"Unique parameters in model: {total - shared}", RULE]) + "\n"


class TwoInOut(gluon.Block):
    def __init__(self):
        super().__init__()
        self.a = Dense(2, in_units=4)
        self.b = Dense(3, in_units=4)

    def forward(self, x, y):
        return self.a(x), y


def test_summary_two_inputs_and_outputs(capsys):
    m = TwoInOut()
    m.initialize()
    m.summary(np.ones((2, 4)), np.ones(3))
    # MXNet 1.9.1 (mxref), with nn.Dense; the unused child b has no row
    assert capsys.readouterr().out == _table([
        "               Input                                (2, 4), (3,)               0",
        "             Dense-1                                      (2, 2)              10",
        "          TwoInOut-2                                (2, 2), (3,)               0",
    ], 10, 10)


class Wrap(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        self.a = Dense(2, in_units=4)

    def hybrid_forward(self, F, x):
        return self.a(x)


@pytest.mark.usefixtures("fresh_names")
def test_summary_counts_null_grad_as_non_trainable_and_refuses_hybridized(capsys):
    w = Wrap()
    w.initialize()
    w.a.weight.grad_req = "null"
    w.summary(np.ones((2, 4)))
    assert capsys.readouterr().out == _table([
        "               Input                                      (2, 4)               0",
        "             Dense-1                                      (2, 2)              10",
        "              Wrap-2                                      (2, 2)               0",
    ], 10, 2)
    w.hybridize()
    with pytest.raises(AssertionError) as e:
        w.summary(np.ones((2, 4)))
    assert str(e.value) == '"dense0" must not be hybridized to print summary.'
    assert not w._forward_hooks and not w.a._forward_hooks  # hooks removed after the failure


def test_summary_shared_parameters(capsys):
    class Twice(gluon.Block):
        def __init__(self):
            super().__init__()
            self.a = Dense(3, in_units=3)
            self.b = Dense(3, in_units=3, params=self.a.params)

        def forward(self, x):
            return self.b(self.a(x))

    t = Twice()
    t.initialize()
    t.summary(np.ones((1, 3)))
    out = capsys.readouterr().out
    assert "   Total params: 24\n" in out
    assert "Shared params in forward computation graph: 12\n" in out
    assert "Unique parameters in model: 12\n" in out


def test_summary_before_initialize_raises():
    with pytest.raises(RuntimeError, match="has not been initialized"):
        TwoInOut().summary(np.ones((2, 4)), np.ones(3))


def test_summary_leaves_out_sequential_containers(capsys):
    net = nn.Sequential()
    net.add(nn.Dense(8, activation="relu"), nn.Dense(1))
    net.initialize()
    net(np.ones((2, 4)))
    net.summary(np.ones((2, 4)))
    # MXNet 1.9.1 (mxref): the Dense's inner Activation comes first, the container has no row
    assert capsys.readouterr().out == _table([
        "               Input                                      (2, 4)               0",
        "        Activation-1                                      (2, 8)               0",
        "             Dense-2                                      (2, 8)              40",
        "             Dense-3                                      (2, 1)               9",
    ], 49, 49)


@pytest.mark.usefixtures("fresh_names")
def test_a_deferred_layer_runs_its_activations_hooks_on_symbols_first(capsys):
    # MXNet 1.9.1 (mxref): a layer whose Parameters wait for the first batch infers their
    # shapes by running its body on Symbols, so its activation child's hooks see a Symbol
    # before the arrays; summary() prints that call as a row of its own
    net = nn.Sequential()
    net.add(nn.Dense(8, activation="relu"), nn.Dense(3))
    net.initialize()
    net.summary(np.ones((2, 5)))
    assert capsys.readouterr().out == _table([
        "               Input                                      (2, 5)               0",
        "        Activation-1                   <_Symbol dense0_relu_fwd>               0",
        "        Activation-2                                      (2, 8)               0",
        "             Dense-3                                      (2, 8)              48",
        "             Dense-4                                      (2, 3)              27"], 75, 75)
    net.summary(np.ones((2, 5)))  # initialized now: no Symbol row
    assert "Symbol" not in capsys.readouterr().out


@pytest.mark.usefixtures("fresh_names")
@pytest.mark.parametrize("numpy_face", [True, False])
def test_hooks_of_a_deferred_layers_children_see_symbols_first(numpy_face):
    from mxnp import ndarray as nd
    from mxnp import npx

    seen = []
    dense = nn.Dense(3, activation="tanh")
    dense.initialize()
    dense.act.register_forward_pre_hook(lambda b, args: seen.append(repr(args[0])[:30]))
    dense.act.register_forward_hook(lambda b, args, out: seen.append(repr(out)[:30]))
    if numpy_face:
        dense(np.ones((1, 2)))
    else:
        npx.reset_np()
        try:
            dense(nd.ones((1, 2)))
        finally:
            npx.set_np()
    kind = "_Symbol" if numpy_face else "Symbol"
    assert seen[:2] == [f"<{kind} dense0_fwd>", f"<{kind} dense0_tanh_fwd>"]
    assert len(seen) == 4 and "Symbol" not in seen[2] + seen[3]  # then the arrays
