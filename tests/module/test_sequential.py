"""mx.mod.SequentialModule: two chained modules trained together give the outputs, input
gradients and parameters MXNet 1.9.1 gives (tests/data/module/sequential_steps.json, written
by make_sequential_fixtures.py there)."""
import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from tests.data.module.nets import sequential_modules  # what the fixture maker ran

DATA = pathlib.Path(__file__).parent.parent / "data" / "module"


def _close(got, want):
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_sequential_steps_match_mxnet():
    want = json.loads((DATA / "sequential_steps.json").read_text())
    body, head = sequential_modules(mx)
    seq = mx.mod.SequentialModule().add(body).add(head, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))],
             inputs_need_grad=True)
    seq.init_params(arg_params={k: mx.nd.array(v) for k, v in want["arg"].items()})
    seq.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9})
    assert [[n, list(s)] for n, s in seq.output_shapes] == want["output_shapes"]
    for (x, y), step in zip(want["batches"], want["steps"]):
        seq.forward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]), is_train=True)
        seq.backward()
        _close(seq.get_outputs()[0], step["output"])
        _close(seq.get_input_grads()[0], step["input_grad"])
        seq.update()
        arg_params, _ = seq.get_params()
        for name, value in step["arg"].items():
            _close(arg_params[name], value)


def test_sequential_fit_and_errors():
    rng = onp.random.RandomState(0)
    y = rng.randint(0, 2, 60)
    x = rng.randn(60, 4).astype("float32") + (y[:, None] * 4 - 2)
    it = mx.io.NDArrayIter(x, y.astype("float32"), batch_size=10)
    body, head = sequential_modules(mx)
    seq = mx.mod.SequentialModule().add(body).add(head, take_labels=True, auto_wiring=True)
    seq.fit(it, num_epoch=5, optimizer_params={"learning_rate": 0.5},
            initializer=mx.init.Xavier())
    assert seq.score(it, "acc")[0][1] >= 0.95
    assert seq.predict(it).shape == (60, 3)
    with pytest.raises(ValueError, match="unknown options \\['take_label'\\]"):
        seq.add(body, take_label=True)
    with pytest.raises(mx.MXNetError, match="add\\(\\) a module first"):
        mx.mod.SequentialModule().bind([("data", (1, 4))])


def test_python_loss_module_ends_a_chain():
    # the scores' gradient softmax(s) - onehot(label), as SoftmaxOutput gives it
    def grad(scores, labels):
        p = mx.nd.softmax(scores)
        return p - mx.nd.one_hot(labels, depth=3)

    body = mx.mod.Module(mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc"),
                         label_names=None)
    loss = mx.mod.PythonLossModule(grad_func=grad)
    seq = mx.mod.SequentialModule().add(body).add(loss, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 2))], label_shapes=[("softmax_label", (4,))])
    assert loss.output_shapes == [("pyloss_output", (4, 3))]
    weight = onp.array([[1, 0], [0, 1], [1, 1]], dtype="float32")
    seq.init_params(arg_params={"fc_weight": mx.nd.array(weight), "fc_bias": mx.nd.zeros(3)})
    x = onp.arange(8, dtype="float32").reshape(4, 2) / 8
    y = onp.array([0, 1, 2, 0], dtype="float32")
    seq.forward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]), is_train=True)
    seq.backward()
    scores = x @ weight.T
    p = onp.exp(scores) / onp.exp(scores).sum(axis=1, keepdims=True)
    _close(seq.get_outputs()[0], scores)
    _close(body._exec.grad_dict["fc_weight"], (p - onp.eye(3)[y.astype(int)]).T @ x)
    with pytest.raises(ValueError, match="takes no out_grads"):
        loss.backward(out_grads=[mx.nd.ones((4, 3))])
