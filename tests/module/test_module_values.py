"""Module's forward, backward and SGD updates against the values the real MXNet 1.9.1 gives
for the same parameters and batches (tests/data/module/module_steps.json, written by
make_module_fixtures.py there)."""
import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from tests.data.module.nets import module_net  # what make_module_fixtures.py ran

DATA = pathlib.Path(__file__).parent.parent / "data" / "module"


@pytest.fixture(scope="module")
def steps():
    return json.loads((DATA / "module_steps.json").read_text())





def _nd(tree: dict) -> dict:
    return {k: mx.nd.array(v) for k, v in tree.items()}


def _close(got, want) -> None:
    onp.testing.assert_allclose(got.asnumpy(), onp.asarray(want, dtype="float32"),
                                rtol=1e-5, atol=1e-6)


def test_module_steps_match_mxnet(steps):
    mod = mx.mod.Module(module_net(mx), fixed_param_names=["fc1_bias"])
    mod.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))])
    mod.set_params(_nd(steps["arg"]), _nd(steps["aux"]))
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9, "wd": 0.01})
    for (x, y), want in zip(steps["batches"], steps["steps"]):
        mod.forward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]), is_train=True)
        mod.backward()
        _close(mod.get_outputs()[0], want["output"])
        grads = mod._exec.grad_dict
        assert grads["fc1_bias"] is None and grads["data"] is None  # fixed, and the data
        for name, g in want["grad"].items():
            _close(grads[name], g)
        mod.update()
        arg_params, aux_params = mod.get_params()
        assert sorted(arg_params) == sorted(want["arg"])
        for name, value in {**want["arg"], **want["aux"]}.items():
            _close({**arg_params, **aux_params}[name], value)
    mod.forward(mx.io.DataBatch([mx.nd.array(steps["batches"][0][0])]), is_train=False)
    _close(mod.get_outputs()[0], steps["predict"])


def test_input_grads_match_mxnet(steps):
    mod = mx.mod.Module(module_net(mx))
    mod.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))],
             inputs_need_grad=True)
    mod.set_params(_nd(steps["arg"]), _nd(steps["aux"]))
    x, y = steps["batches"][0]
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
    _close(mod.get_input_grads()[0], steps["input_grad"])


def test_gradients_equal_autograd_of_the_same_computation(steps):
    # the same MLP without BatchNorm, written with np/npx and autograd
    data = mx.sym.var("data")
    fc2 = mx.sym.FullyConnected(mx.sym.Activation(mx.sym.FullyConnected(
        data, num_hidden=5, name="fc1"), act_type="tanh"), num_hidden=3, name="fc2")
    mod = mx.mod.Module(mx.sym.SoftmaxOutput(fc2, name="softmax"))
    mod.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))])
    params = {k: v for k, v in steps["arg"].items() if k.startswith("fc")}
    mod.set_params(_nd(params), {})
    x, y = steps["batches"][0]
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
    np, npx = mx.np, mx.npx
    w = {k: np.array(v, dtype="float32") for k, v in params.items()}
    for v in w.values():
        v.attach_grad()
    with mx.autograd.record():
        h = np.tanh(npx.fully_connected(np.array(x), w["fc1_weight"], w["fc1_bias"],
                                        num_hidden=5))
        logits = npx.fully_connected(h, w["fc2_weight"], w["fc2_bias"], num_hidden=3)
        # SoftmaxOutput's gradient is that of the summed cross-entropy
        loss = -npx.pick(npx.log_softmax(logits), np.array(y)).sum()
    loss.backward()
    _close(mod.get_outputs()[0], npx.softmax(logits).asnumpy())
    for name, v in w.items():
        _close(mod._exec.grad_dict[name], v.grad.asnumpy())
