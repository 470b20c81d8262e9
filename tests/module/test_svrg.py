"""mx.contrib.svrg_optimization: SVRGModule and its optimizer, against MXNet 1.9.1's numbers
(mxref) on a small linear regression."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp.contrib.svrg_optimization.svrg_module import SVRGModule
from mxnp.contrib.svrg_optimization.svrg_optimizer import _SVRGOptimizer


def _regression(batch_size=10):
    rng = onp.random.RandomState(2)
    x = rng.randint(1, 5, [100, 2])
    it = mx.io.NDArrayIter(x, x.dot([1.0, 2.0]), batch_size=batch_size,
                           label_name="lin_reg_label")
    fc = mx.sym.FullyConnected(mx.sym.var("data"), name="fc1", num_hidden=1)
    # a (N,) label for a (N, 1) output, as MXNet's regression outputs accept
    lro = mx.sym.LinearRegressionOutput(fc, label=mx.sym.var("lin_reg_label"), name="lro")
    return it, lro


def test_svrg_module_trains_as_mxnet_for_its_first_pass():
    it, lro = _regression()
    mod = SVRGModule(lro, data_names=["data"], label_names=["lin_reg_label"], update_freq=2)
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    assert mod._mod_aux.binded
    mod.init_params(initializer=mx.init.One())
    mod.init_optimizer(kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),))
    assert type(mod._optimizer).__name__ == "_SVRGOptimizer"
    metric = mx.metric.create("mse")
    mod.update_full_grads(it)
    onp.testing.assert_allclose(mod._param_dict[0]["fc1_weight"].asnumpy(), [[-70.1, -82.4]],
                                rtol=1e-6)
    it.reset()
    for batch in it:
        mod.forward_backward(batch)
        mod.update()
        mod.update_metric(metric, batch.label)
    assert metric.get()[1] == pytest.approx(3.1366466760635374, rel=1e-6)
    onp.testing.assert_allclose(mod.get_params()[0]["fc1_weight"].asnumpy(),
                                [[1.333084, 1.4481847]], rtol=1e-5)


def test_svrg_module_checks_update_freq_and_fits():
    it, lro = _regression()
    with pytest.raises(TypeError, match="must be an integer"):
        SVRGModule(lro, label_names=["lin_reg_label"])
    with pytest.raises(ValueError, match="positive integer"):
        SVRGModule(lro, label_names=["lin_reg_label"], update_freq=0)
    mod = SVRGModule(lro, label_names=["lin_reg_label"], update_freq=2)
    metric = mx.metric.create("mse")
    mod.fit(it, eval_metric=metric, optimizer="sgd", initializer=mx.init.One(),
            optimizer_params=(("learning_rate", 0.025),), num_epoch=30)
    assert metric.get()[1] < 1e-3


def test_svrg_optimizer_assigns_the_full_keys():
    # MXNet 1.9.1: key 0 ("weight") by SGD with lr 1, key 1 ("weight_full") by assignment
    svrg = _SVRGOptimizer(default_optimizer="sgd", learning_rate=1.0,
                          param_idx2name={0: "weight", 1: "weight_full"})
    assert svrg.default_opt.lr == 1.0
    kv = mx.kv.create("local")
    kv.set_optimizer(svrg)
    w, full = mx.nd.array([0, 0, 0]), mx.nd.array([1, 1, 1])
    kv.init([0, 1], [w, full])
    kv.push([0, 1], [mx.nd.ones(3), mx.nd.ones(3) * 2])
    kv.pull([0, 1], out=[w, full])
    assert w.asnumpy().tolist() == [-1, -1, -1] and full.asnumpy().tolist() == [2, 2, 2]


def test_param_less_operators_keep_unknown_keywords_as_attributes():
    # MXNet 1.9.1: broadcast_add has no attributes, so axis=0 is kept (sym) and ignored
    a = mx.nd.ones((1, 2))
    assert mx.nd.broadcast_add(a, a, axis=0).asnumpy().tolist() == [[2, 2]]
    s = mx.sym.broadcast_add(mx.sym.var("a"), mx.sym.var("b"), axis=0)
    assert s.list_attr() == {"axis": "0"}
    with pytest.raises(TypeError, match="foo"):
        mx.nd.FullyConnected(a, mx.nd.ones((3, 2)), mx.nd.ones(3), num_hidden=3, foo=1)
    _, lro = _regression()
    args, _, _ = lro.infer_shape(data=(32, 2))
    assert args[-1] == (32,)
