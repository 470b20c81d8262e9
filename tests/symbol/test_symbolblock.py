"""SymbolBlock on files exported by the real MXNet 1.9.1 (tests/data/symbol/, made by
make_fixtures.py): the same outputs in predict and train mode, the same gradients, gradients
that agree with central differences, and parameters a Trainer updates."""
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from mxnp import _mode, autograd, gluon, npx
from mxnp import numpy as np
from mxnp import symbol as sym
from mxnp.symbol.executor import evaluate
from mxnp.testing import check_grads

DATA = pathlib.Path(__file__).parent.parent / "data" / "symbol"
MODELS = [(name, mode) for name in ("resnet", "dropnet", "lstm") for mode in ("np", "legacy")]
MODELS.append(("ops", "np"))  # about forty numpy-mode operators in one graph


def _load(name, mode):
    """(block, its inputs, the arrays MXNet saved) with MXNet's mode switched on."""
    if mode == "np":
        _mode.set_np()
    io = npx.load(str(DATA / f"{name}_{mode}-io.params"))
    names = ["data0", "data1", "data2"] if name == "lstm" else ["data"]
    block = gluon.SymbolBlock.imports(str(DATA / f"{name}_{mode}-symbol.json"), names,
                                      str(DATA / f"{name}_{mode}-0000.params"))
    inputs = [io["x"]] + ([io["state0"], io["state1"]] if name == "lstm" else [])
    return block, inputs, io


def _close(got, want, tol=1e-5):
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("name,mode", MODELS)
def test_predict_outputs_match_mxnet(name, mode):
    block, inputs, io = _load(name, mode)
    y = block(*inputs)
    _close(y, io["y_predict"])
    # numpy mode gives mx.np arrays, the 1.x world mx.nd.NDArray, as MXNet does
    assert (type(y) is np.ndarray) == (mode == "np")


@pytest.mark.parametrize("name,mode", [m for m in MODELS if m[0] in ("resnet", "lstm")])
def test_train_outputs_and_gradients_match_mxnet(name, mode):
    block, inputs, io = _load(name, mode)
    inputs[0].attach_grad()
    with autograd.record():
        y = block(*inputs)
    y.backward(io["head"])
    _close(y, io["y_train"])
    _close(inputs[0].grad, io["grad:x"])
    params = {k: p for k, p in block.collect_params().items() if p.grad_req != "null"}
    assert sorted(params) == sorted(k[5:] for k in io if k.startswith("grad:") and k != "grad:x")
    for key, p in params.items():
        _close(p.grad(), io["grad:" + key], 1e-4)


@pytest.mark.parametrize("name,mode", [("resnet", "np"), ("resnet", "legacy"), ("lstm", "np"),
                                       ("ops", "np")])
def test_gradients_agree_with_central_differences(name, mode):
    block, inputs, _ = _load(name, mode)
    graph = block._symbol
    params = [(p.name, p) for p in block._reg_params.values()]  # keyed by graph input name
    trained = [(k, p) for k, p in params if p.grad_req != "null"]
    fixed = {k: p.data().astype("float64") for k, p in params if p.grad_req == "null"}

    def f(*arrays):
        values = dict(zip(block._input_names, arrays[:len(inputs)]))
        values.update(zip((k for k, _ in trained), arrays[len(inputs):]))
        values.update(fixed)
        return evaluate(graph._outputs, values)[0]

    with autograd.train_mode():  # BatchNorm on the batch's statistics
        check_grads(f, *inputs, *[p.data() for _, p in trained], order=1, rtol=1e-4,
                    atol=1e-6)


def test_trainer_updates_the_loaded_parameters():
    block, inputs, _ = _load("resnet", "np")
    trainer = gluon.Trainer(block.collect_params(), "sgd", {"learning_rate": 0.5})
    before = {k: p.data().copy() for k, p in block.collect_params().items()}
    with autograd.record():
        loss = (block(*inputs) ** 2).sum()
    loss.backward()
    grads = {k: p.grad().copy() for k, p in block.collect_params().items()
             if p.grad_req != "null"}
    trainer.step(1)
    for k, g in grads.items():
        _close(block.collect_params()[k].data(), before[k] - 0.5 * g)


def test_batchnorm_moving_statistics_update_in_a_training_pass():
    block, inputs, _ = _load("dropnet", "np")
    params = block.collect_params()
    mean_key = next(k for k in params if k.endswith("running_mean"))
    before = params[mean_key].data().copy()
    internals = block._symbol.get_internals()  # the first Dense's output feeds BatchNorm
    fc = internals[next(n for n in internals.list_outputs() if n.endswith("fwd_output"))]
    values = {k: p.data() for k, p in params.items()}
    values["data"] = inputs[0]
    batch_mean = evaluate(fc._outputs, values)[0].asnumpy().mean(axis=0)
    with autograd.record():
        y = block(*inputs)
    y.backward()  # as in MXNet 1.9.1, the training pass's backward updates the statistics
    # MXNet's update: moving = momentum * moving + (1 - momentum) * batch statistic
    onp.testing.assert_allclose(params[mean_key].data().asnumpy(),
                                0.9 * before.asnumpy() + 0.1 * batch_mean, rtol=1e-5, atol=1e-6)


def test_dropout_drops_in_training_only():
    block, inputs, io = _load("dropnet", "np")
    with autograd.predict_mode():
        _close(block(*inputs), io["y_predict"])
    mx.random.seed(0)
    with autograd.record():
        train = block(*inputs).asnumpy()
    assert not onp.allclose(train, io["y_predict"].asnumpy())


def test_symbolblock_from_symbols_infers_parameter_shapes():
    data = sym.var("data")
    fc = sym.FullyConnected(data, num_hidden=3, name="fc")
    out = sym.Activation(fc, act_type="tanh", name="act")
    block = gluon.SymbolBlock(out, data)
    assert sorted(block.collect_params()) == ["fc_bias", "fc_weight"]
    block.initialize(mx.init.Uniform(0.5))
    x = np.random.uniform(size=(4, 5))
    y = block(x)
    w, b = block.collect_params()["fc_weight"].data(), block.collect_params()["fc_bias"].data()
    assert w.shape == (3, 5)
    onp.testing.assert_allclose(y.asnumpy(), onp.tanh(x.asnumpy() @ w.asnumpy().T +
                                                      b.asnumpy()), rtol=1e-5)
    with pytest.raises(ValueError, match="2 inputs for the 1"):
        block(x, x)


def test_symbolblock_shares_given_parameters():
    data = sym.var("data")
    out = sym.FullyConnected(data, num_hidden=2, name="fc")
    first = gluon.SymbolBlock(out, data)
    first.initialize()
    x = np.ones((1, 4))
    first(x)
    second = gluon.SymbolBlock(out, data, params=first.collect_params())
    assert second.collect_params()["fc_weight"] is first.collect_params()["fc_weight"]
    _close(second(x), first(x))


def test_wrong_input_name_leaves_data_a_parameter():
    # MXNet 1.9.1 (gluon-semantics.md 12.3): the graph's own input becomes a Parameter, which
    # the params file does not have
    with pytest.raises(AssertionError, match="Parameter 'data' is missing in file"):
        gluon.SymbolBlock.imports(str(DATA / "resnet_np-symbol.json"), ["x"],
                                  str(DATA / "resnet_np-0000.params"))
    block = gluon.SymbolBlock.imports(str(DATA / "resnet_np-symbol.json"), ["data"])
    assert all(p.shape is None for p in block.collect_params().values())


def test_repr_shows_the_graph_and_its_arity():
    a = sym.var("a")
    with mx.name.NameManager():
        block = gluon.SymbolBlock(sym.Group([a * 2, a + 1]), a)
        # MXNet 1.9.1 (mxref), legacy mode
        assert repr(block) == ("SymbolBlock(\n<Symbol group [_mulscalar0, _plusscalar0]> : "
                               "1 -> 2\n)")
    block, _, _ = _load("dropnet", "np")
    assert repr(block) == "SymbolBlock(\n<_Symbol dense5_fwd> : 1 -> 1\n)"
