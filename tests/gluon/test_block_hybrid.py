"""HybridBlock: hybrid_forward with F, deferred shape inference, and hybridize's observable
contract (MXNet 1.9.1, strings from mxref)."""
from __future__ import annotations

import pytest

from mxnp import autograd, cpu, gluon, init, npx
from mxnp import numpy as np
from mxnp.base import MXNetError
from mxnp.testing import check_grads

from .test_block_support import (
    MLP,
    Dense,
    HybridSequential,
    fresh_names,  # noqa: F401  (a fixture)
)

NO_ARRAY = ("In HybridBlock, there must be one NDArray or one Symbol in the input. Please check "
            "the type of the args.\n")


class Two(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        return x + 1, (x * 2, x)


class Scaled(gluon.HybridBlock):
    def hybrid_forward(self, F, x, s=None):
        return x * 2 if s is None else x * s


class ForwardOnly(gluon.HybridBlock):
    def forward(self, x):
        return x + 1, x


class TrainFlag(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        return x * (2 if autograd.is_training() else 3)


def test_F_gives_np_and_npx_and_names_legacy_operators():
    seen = {}

    class Probe(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            seen["F"] = F
            return F.npx.relu(F.np.negative(x))

    assert Probe()(np.array([1.0, -2.0])).tolist() == [0.0, 2.0]
    assert seen["F"].np is np and seen["F"].npx is npx
    with pytest.raises(AttributeError, match="F.np.relu or F.npx.relu"):
        _ = seen["F"].relu


def test_multiple_outputs_tuple_eager_list_hybridized():
    t = Two()
    out = t(np.ones(2))
    assert type(out) is tuple and type(out[1]) is tuple
    t.hybridize()
    out = t(np.ones(2))
    assert type(out) is list and type(out[1]) is list and out[0].tolist() == [2.0, 2.0]
    t.hybridize(active=False)
    assert type(t(np.ones(2))) is tuple


def test_scalar_inputs_eager_only():
    sc = Scaled()
    assert sc(np.ones(2), 3).tolist() == [3.0, 3.0]
    sc.hybridize()
    assert sc(np.ones(2), None).tolist() == [2.0, 2.0]
    for bad in (3, [np.ones(2), 3]):
        with pytest.raises(ValueError) as e:
            sc(np.ones(2), bad)
        # MXNet 1.9.1 (mxref)
        assert str(e.value) == ("When hybridized, the input of HybridBlock input must be (nested)"
                                " list of Symbol or NDArray, but got 3 of type <class 'int'>")


@pytest.mark.parametrize("bad", [pytest.param(1, id="int"), pytest.param([1, 2], id="list")])
def test_no_array_among_inputs(bad):
    with pytest.raises(ValueError) as e:
        Two()(bad)
    assert str(e.value) == NO_ARRAY


def test_no_array_official_numpy():
    import numpy as onp

    with pytest.raises(ValueError) as e:
        Two()(onp.ones(2))
    assert str(e.value) == NO_ARRAY


def test_forward_override_ignores_hybridize():
    f = ForwardOnly()
    f.hybridize()
    assert type(f(np.ones(2))) is tuple
    with pytest.raises(RuntimeError, match="^Please first call block.hybridize"):
        f.export("/tmp/never")


def test_hybridize_propagates_and_block_forwards_it():
    inner = HybridSequential()
    inner.add(Dense(2, in_units=2))

    class Holder(gluon.Block):
        def __init__(self):
            super().__init__()
            self.body = inner

    Holder().hybridize(static_alloc=True, static_shape=True)
    assert inner._active and inner._children["0"]._active
    assert dict(inner._flags)["static_alloc"] is True
    inner.hybridize(False)
    assert not inner._children["0"]._active


def test_train_and_predict_mode_per_call_when_hybridized():
    t = TrainFlag()
    t.hybridize()
    assert t(np.ones(1)).tolist() == [3.0]
    with autograd.record():
        assert t(np.ones(1)).tolist() == [2.0]
    with autograd.record(train_mode=False):
        assert t(np.ones(1)).tolist() == [3.0]


def test_autograd_through_hybridized_block():
    net = HybridSequential()
    net.add(Dense(3, in_units=2), Dense(1, in_units=3))
    net.initialize(init.Normal(1.0))
    net.hybridize()
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    x.attach_grad()
    with autograd.record():
        y = net(x).sum()
    y.backward()
    w1, w2 = (c.weight.data() for c in net._children.values())
    assert np.allclose(x.grad, np.ones((2, 1)) @ w2 @ w1)
    net.cast("float64")  # check_grads works in float64
    check_grads(lambda a: net(a), x.astype("float64"), order=1)


def test_export_needs_a_hybridized_call_and_symbolblock_checks_its_arguments(tmp_path):
    t = Two()
    with pytest.raises(RuntimeError) as e:
        t.export(str(tmp_path / "never"))
    assert str(e.value) == ("Please first call block.hybridize() and then run forward with this "
                            "block at least once before calling export.")
    t.hybridize()
    t(np.ones(2))
    t.export(str(tmp_path / "two"))  # the files themselves: tests/symbol/test_export.py
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two-0000.params", "two-symbol.json"]
    assert issubclass(gluon.SymbolBlock, gluon.HybridBlock)
    with pytest.raises(TypeError, match="outputs and inputs must be Symbols"):
        gluon.SymbolBlock(None, None)
    # MXNet 1.9.1 (mxref): dmlc's message for a missing file
    with pytest.raises(MXNetError, match=r'^LocalFileSystem: Check failed: allow_null: :Open ".*'
                                         r'm-symbol.json": No such file or directory$'):
        gluon.SymbolBlock.imports(str(tmp_path / "m-symbol.json"), ["data"])


@pytest.mark.usefixtures("fresh_names")
def test_deferred_init_runs_infer_shape_at_first_forward():
    net = HybridSequential()
    net.add(Dense(8), Dense(1))
    net.initialize()
    assert repr(net._children["0"]) == "Dense(-1 -> 8, linear)"
    with pytest.raises(gluon.DeferredInitializationError):
        net._children["0"].weight.data()
    out = net(np.ones((2, 4)))
    assert out.shape == (2, 1)
    assert [repr(c) for c in net._children.values()] == ["Dense(4 -> 8, linear)",
                                                         "Dense(8 -> 1, linear)"]
    assert net._children["1"].bias.data().tolist() == [0.0]  # the layer's own 'zeros'
    with pytest.raises(MXNetError):  # MXNet: "Shape inconsistent, Provided = [8,4], ..."
        net(np.ones((2, 6)))


@pytest.mark.usefixtures("fresh_names")
def test_forward_before_initialize_raises_mxnet_message():
    d = Dense(2)
    with pytest.raises(RuntimeError) as e:
        d(np.ones((1, 3)))
    assert str(e.value).startswith("Parameter 'dense0_weight' has not been initialized. Note that")


class NoInfer(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        self.w = self.params.get("w", shape=(0,), allow_deferred_init=True)

    def hybrid_forward(self, F, x, w):
        return x * w


def test_missing_infer_shape_is_reported_as_deferred_failure():
    b = NoInfer()
    b.initialize()
    with pytest.raises(ValueError, match="^Deferred initialization failed because shape cannot "
                                         "be inferred. NoInfer does not define infer_shape"):
        b(np.ones(3))


def test_hybrid_forward_gets_parameters_under_attribute_names():
    class A(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.w = self.params.get("weight", shape=(2,), init="ones")
            self.c = self.params.get_constant("c", [3.0, 4.0])

        def hybrid_forward(self, F, x, **kw):
            return sorted(kw), x * kw["w"] + kw["c"]

    a = A()
    a.initialize()
    names, out = a(np.ones(2))
    assert names == ["c", "w"] and out.tolist() == [4.0, 5.0]  # MXNet passes attribute names


def test_forward_override_reads_data_with_deferred_params():
    class Scale(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.alpha = self.params.get("alpha", shape=(0,), init="ones",
                                         allow_deferred_init=True)

        def infer_shape(self, x):
            self.alpha.shape = (x.shape[-1],)

        def forward(self, x):
            return x * self.alpha.data()

    s = Scale()
    s.initialize()
    assert s(np.full((2, 3), 2.0)).tolist() == [[2.0] * 3] * 2 and s.alpha.shape == (3,)


@pytest.mark.usefixtures("fresh_names")
def test_parameters_on_other_context_give_mxnet_error():
    d = Dense(2, in_units=3)
    d.initialize()
    d.collect_params().reset_ctx(cpu(1))
    with pytest.raises(RuntimeError) as e:
        d(np.ones((1, 3)))
    assert str(e.value) == ("Parameter 'dense0_weight' was not initialized on context cpu(0). It "
                            "was only initialized on [cpu(1)].")
    assert d(np.ones((1, 3), ctx=cpu(1))).shape == (1, 2)


@pytest.mark.usefixtures("fresh_names")
def test_infer_shape_of_container_and_optimize_for():
    net = HybridSequential()
    net.add(Dense(3), Dense(2))
    net.initialize()
    net.infer_shape(np.ones((5, 7)))
    assert net._children["0"].weight.shape == (3, 7) and net._children["1"].weight.shape == (2, 3)
    assert net.infer_type(np.ones((5, 7))) is None
    net.optimize_for(np.ones((5, 7)))
    assert net._active


def test_plain_block_with_mlp_trains_under_record():
    m = MLP(in_units=2)
    m.initialize(init.One())
    with autograd.record():
        loss = m(np.array([[1.0, 2.0]])).sum()
    loss.backward()
    assert m.hidden.weight.grad().tolist() == [[1.0, 2.0]] * 3


def test_hybridize_with_hooks_warns_as_mxnet():
    d = Dense(2, in_units=2)
    d.register_forward_hook(lambda *a: None)
    text = ('"Dense(2 -> 2, linear)" is being hybridized while still having forward hook/pre-hook.'
            ' If "Dense(2 -> 2, linear)" is a child of HybridBlock, the hooks will not take effect.')
    with pytest.warns(UserWarning) as rec:
        d.hybridize()
    assert str(rec[0].message) == text  # MXNet 1.9.1 (mxref)
    d2 = Dense(2, in_units=2)
    d2.register_forward_pre_hook(lambda *a: None)
    with pytest.warns(UserWarning):
        d2.hybridize(False)  # MXNet's condition warns for pre-hooks even when deactivating
    d3 = Dense(2, in_units=2)
    d3.register_forward_hook(lambda *a: None)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d3.hybridize(False)


def test_plain_block_with_infer_shape_defers_too():
    class Scale(gluon.Block):
        def __init__(self):
            super().__init__()
            self.alpha = self.params.get("alpha", shape=(0,), init="ones",
                                         allow_deferred_init=True)

        def infer_shape(self, x):
            self.alpha.shape = (x.shape[-1],)

        def forward(self, x):
            return x * self.alpha.data()

    s = Scale()
    s.initialize()
    assert s(np.full((1, 4), 3.0)).tolist() == [[3.0] * 4]


def test_plain_block_without_infer_shape_raises_deferred():
    class Raw(gluon.Block):
        def __init__(self):
            super().__init__()
            self.w = self.params.get("w", shape=(0,), allow_deferred_init=True)

        def forward(self, x):
            return x * self.w.data()

    r = Raw()
    r.initialize()
    with pytest.raises(gluon.DeferredInitializationError):
        r(np.ones(2))


def test_children_of_a_hybridized_block_run_as_part_of_its_graph():
    seen = []

    class Parent(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.c = Scaled()
            self.t = Two()

        def hybrid_forward(self, F, x):
            out = self.t(x)
            seen.append(type(out))
            return self.c(out[0], 3)  # a scalar input is fine inside the parent's graph

    p = Parent()
    p.hybridize()
    assert p.t._active  # hybridize reached the child, yet MXNet traces it as part of p
    assert p(np.ones(2)).tolist() == [6.0, 6.0]
    assert seen == [tuple]  # MXNet 1.9.1 (mxref): the child's outputs stay a tuple
    assert type(p.t(np.ones(2))) is list  # called on its own it is hybridized
