"""mx.mod.Module: training with fit, evaluation, checkpoints, the inference pattern of
deployed models, and clear errors. Expected log lines and errors are MXNet 1.9.1's."""
import logging
import pathlib
from collections import namedtuple

import numpy as onp
import pytest

import mxnp as mx

SYMBOL_DATA = pathlib.Path(__file__).parent.parent / "data" / "symbol"
Batch = namedtuple("Batch", ["data"])


def _mlp(hidden=16):
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=hidden, name="fc1")
    act = mx.sym.Activation(fc1, act_type="relu", name="relu1")
    fc2 = mx.sym.FullyConnected(act, num_hidden=2, name="fc2")
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def _blobs(n=100, seed=0):
    rng = onp.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    x = rng.randn(n, 4).astype("float32") * 0.5 + (y[:, None] * 2 - 1) * 1.5
    return x, y.astype("float32")


@pytest.fixture
def trained(caplog):
    mx.random.seed(1)
    onp.random.seed(1)  # NDArrayIter shuffles with NumPy's generator
    x, y = _blobs()
    train = mx.io.NDArrayIter(x, y, batch_size=10, shuffle=True)
    val = mx.io.NDArrayIter(*_blobs(30, seed=1), batch_size=10)
    mod = mx.mod.Module(_mlp())
    with caplog.at_level(logging.INFO):
        mod.fit(train, eval_data=val, optimizer="sgd", optimizer_params={"learning_rate": 0.1},
                eval_metric="acc", num_epoch=5,
                batch_end_callback=mx.callback.Speedometer(10, 5))
    return mod, val, caplog.messages


def test_fit_reaches_high_accuracy_and_logs_as_mxnet(trained):
    mod, val, messages = trained
    assert mod.binded and mod.params_initialized and mod.optimizer_initialized
    assert mod.score(val, "acc")[0][1] >= 0.95
    epoch_lines = [m for m in messages if "Batch" not in m]
    assert [m.split("=")[0] for m in epoch_lines[:3]] == [
        "Epoch[0] Train-accuracy", "Epoch[0] Time cost", "Epoch[0] Validation-accuracy"]
    assert len(epoch_lines) == 15
    speed = [m for m in messages if "Speed" in m]
    assert len(speed) == 5  # batch 5 of each epoch's 0..9 (the first batch starts the clock)
    head, tail = speed[0].split("\tSpeed: ")
    assert head == "Epoch[0] Batch [0-5]" and tail.split("\t")[0].endswith(" samples/sec")
    assert tail.split("\t")[1].startswith("accuracy=") and len(tail.split("=")[1]) == 8


def test_score_predict_and_shapes(trained):
    mod, val, _ = trained
    assert repr(mod.data_shapes) == "[DataDesc[data,(10, 4),<class 'numpy.float32'>,NCHW]]"
    assert mod.label_shapes[0].name == "softmax_label"
    assert mod.output_shapes == [("softmax_output", (10, 2))]
    assert mod.output_names == ["softmax_output"] and mod.data_names == ["data"]
    names = [n for n, _ in mod.score(val, ["acc", "ce"])]
    assert names == ["accuracy", "cross-entropy"]
    # 25 samples in batches of 10: the padded 5 are dropped
    it = mx.io.NDArrayIter(*_blobs(25, seed=2), batch_size=10)
    out = mod.predict(it)
    assert type(out) is mx.nd.NDArray and out.shape == (25, 2)
    assert [len(o) for o in mod.predict(it, merge_batches=False)] == [1, 1, 1]
    assert len(mod.predict(it, always_output_list=True)) == 1
    got = [(outs[0].shape, n, batch.pad) for outs, n, batch in mod.iter_predict(it)]
    assert got == [((10, 2), 0, 0), ((10, 2), 1, 0), ((5, 2), 2, 5)]
    onp.testing.assert_allclose(out.asnumpy()[:10], mod.predict(it, num_batch=1).asnumpy())
    # one array of another batch size: the module rebinds for it
    assert mod.predict(onp.ones((3, 4), dtype="float32")).shape == (3, 2)
    assert mod.data_shapes[0].shape == (3, 4) and mod.label_shapes[0].shape == (3,)


def test_get_params_are_nd_copies(trained):
    mod, _, _ = trained
    arg_params, aux_params = mod.get_params()
    assert sorted(arg_params) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    assert aux_params == {} and type(arg_params["fc1_weight"]) is mx.nd.NDArray
    onp.testing.assert_array_equal(arg_params["fc1_weight"].asnumpy(),
                                   mod._exec.arg_dict["fc1_weight"].asnumpy())
    assert arg_params["fc1_weight"] is not mod._exec.arg_dict["fc1_weight"]


def test_checkpoint_round_trip(trained, tmp_path, caplog):
    mod, val, _ = trained
    prefix = str(tmp_path / "mlp")
    with caplog.at_level(logging.INFO):
        mod.save_checkpoint(prefix, 3, save_optimizer_states=True)
    assert caplog.messages[-2:] == [f'Saved checkpoint to "{prefix}-0003.params"',
                                    f'Saved optimizer state to "{prefix}-0003.states"']
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mlp-0003.params", "mlp-0003.states", "mlp-symbol.json"]
    loaded = mx.mod.Module.load(prefix, 3, load_optimizer_states=True)
    loaded.bind(data_shapes=val.provide_data, label_shapes=val.provide_label)
    loaded.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1})
    assert loaded.score(val, "acc") == mod.score(val, "acc")
    again = mx.mod.Module(_mlp())
    again.bind(data_shapes=val.provide_data, label_shapes=val.provide_label)
    again.load_params(prefix + "-0003.params")
    onp.testing.assert_array_equal(again.predict(val).asnumpy(), mod.predict(val).asnumpy())


def test_inference_pattern_on_an_mxnet_checkpoint():
    # mx.model.save_checkpoint of the real MXNet 1.9.1 (tests/data/symbol/README.md)
    sym, arg_params, aux_params = mx.model.load_checkpoint(str(SYMBOL_DATA / "mlp"), 2)
    io = mx.nd.load(str(SYMBOL_DATA / "mlp-io.params"))
    mod = mx.mod.Module(symbol=sym, context=mx.cpu(), label_names=None)
    mod.bind(for_training=False, data_shapes=[("data", io["x"].shape)],
             label_shapes=mod._label_shapes)
    mod.set_params(arg_params, aux_params, allow_missing=True)
    mod.forward(Batch([mx.nd.array(io["x"].asnumpy())]))
    onp.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), io["y_predict"].asnumpy(),
                                rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["legacy", "np"])
def test_inference_pattern_on_an_exported_convnet(mode):
    # HybridBlock.export of MXNet 1.9.1 (conv, BatchNorm, residual add, pooling, Dense), fed one
    # image at a time, as deployed code does
    sym, arg_params, aux_params = mx.model.load_checkpoint(str(SYMBOL_DATA / f"resnet_{mode}"), 0)
    io = mx.npx.load(str(SYMBOL_DATA / f"resnet_{mode}-io.params"))  # either mode
    mod = mx.mod.Module(symbol=sym, context=mx.cpu(), label_names=None)
    mod.bind(for_training=False, data_shapes=[("data", (1, 3, 6, 6))],
             label_shapes=mod._label_shapes)
    mod.set_params(arg_params, aux_params, allow_missing=True)
    for i in range(2):
        mod.forward(Batch([mx.nd.array(io["x"].asnumpy()[i:i + 1])]))
        onp.testing.assert_allclose(mod.get_outputs()[0].asnumpy(),
                                    io["y_predict"].asnumpy()[i:i + 1], rtol=1e-5, atol=1e-6)


def test_inference_pattern_with_a_softmax_output_and_no_labels():
    # label_names=None makes softmax_label a parameter whose shape inference finds
    mod = mx.mod.Module(_mlp(), label_names=None)
    mod.bind(for_training=False, data_shapes=[("data", (1, 4))])
    assert mod.label_shapes is None and mod.output_shapes == [("softmax_output", (1, 2))]
    arg_params = {"fc1_weight": mx.nd.ones((16, 4)), "fc1_bias": mx.nd.zeros(16),
                  "fc2_weight": mx.nd.ones((2, 16)), "fc2_bias": mx.nd.array([0.0, 1.0])}
    mod.set_params(arg_params, {}, allow_missing=True)
    mod.forward(Batch([mx.nd.ones((1, 4))]))
    onp.testing.assert_allclose(mod.get_outputs()[0].asnumpy(),
                                [[1 / (1 + onp.e), onp.e / (1 + onp.e)]], rtol=1e-6)
    assert sorted(mod.get_params()[0]) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight",
                                           "softmax_label"]
    with pytest.raises(ValueError, match="Unknown initialization pattern for softmax_label"):
        mod.init_params(force_init=True)


def test_init_params_rules():
    mod = mx.mod.Module(mx.sym.BatchNorm(mx.sym.FullyConnected(
        mx.sym.var("data"), num_hidden=3, name="fc"), name="bn"), label_names=None)
    mod.bind(data_shapes=[("data", (2, 4))])
    with pytest.raises(mx.MXNetError, match="'bn_beta' is not in the given parameters"):
        mod.init_params(arg_params={"fc_weight": mx.nd.ones((3, 4))})
    mod.init_params(mx.init.Uniform(0.5), arg_params={"fc_weight": mx.nd.ones((3, 4))},
                    allow_missing=True)
    arg_params, aux_params = mod.get_params()
    # the suffix picks the rule (bias 0, gamma 1), BatchNorm's statistics their __init__
    assert arg_params["fc_weight"].asnumpy().sum() == 12
    assert arg_params["fc_bias"].asnumpy().tolist() == [0, 0, 0]
    assert arg_params["bn_gamma"].asnumpy().tolist() == [1, 1, 1]
    assert aux_params["bn_moving_var"].asnumpy().tolist() == [1, 1, 1]
    with pytest.warns(UserWarning, match="init_params call ignored"):
        mod.init_params()


def test_errors_name_the_call_and_what_is_expected():
    mod = mx.mod.Module(_mlp())
    with pytest.raises(mx.MXNetError, match=r"Module.forward: call bind\(\) and init_params"):
        mod.forward(Batch([mx.nd.ones((2, 4))]))
    with pytest.raises(ValueError, match="data_names=\\['x'\\] names 'x'.*\\['data', "
                                         "'softmax_label'\\]"):
        mx.mod.Module(_mlp(), data_names=["x"])
    with pytest.raises(ValueError, match=r"the data shapes name \['x'\] but the module's "
                                         r"data_names are \['data'\]"):
        mod.bind(data_shapes=[("x", (2, 4))])
    with pytest.warns(UserWarning, match="label_names=\\['lab'\\]"):
        mx.mod.Module(_mlp(), label_names=["lab"])
    mod.bind(data_shapes=[("data", (2, 4))], label_shapes=[("softmax_label", (2,))])
    mod.init_params()
    with pytest.raises(mx.MXNetError, match=r"Module.update: call init_optimizer\(\) first"):
        mod.update()
    with pytest.raises(mx.MXNetError, match="2 data arrays; the module takes \\['data'\\]"):
        mod.forward(Batch([mx.nd.ones((2, 4)), mx.nd.ones((2, 4))]))
    with pytest.raises(mx.MXNetError, match="inputs_need_grad=True"):
        mod.get_input_grads()
    with pytest.raises(NotImplementedError, match="must be of one kind"):
        mx.mod.Module(_mlp(), context=[mx.cpu(0), mx.gpu(0)])
    with pytest.raises(ValueError, match="num_epoch"):
        mod.fit(mx.io.NDArrayIter(onp.ones((4, 4)), onp.ones(4), batch_size=2))


def test_reshape_keeps_the_parameters():
    mod = mx.mod.Module(_mlp(), context=[mx.cpu()])
    mod.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))])
    mod.init_params(mx.init.Xavier())
    mod.init_optimizer(optimizer_params={"learning_rate": 0.5})
    weight = mod._exec.arg_dict["fc1_weight"]
    mod.forward(mx.io.DataBatch([mx.nd.ones((6, 4))], [mx.nd.ones(6)]), is_train=True)
    assert mod._exec.arg_dict["fc1_weight"] is weight and mod.output_shapes[0][1] == (6, 2)
    mod.backward()
    mod.update()
    assert mod.get_params()[0]["fc1_weight"].asnumpy().tolist() == weight.asnumpy().tolist()


def test_callbacks_log_as_mxnet(caplog, tmp_path):
    mod = mx.mod.Module(_mlp(4))
    train = mx.io.NDArrayIter(*_blobs(20), batch_size=5)
    prefix = str(tmp_path / "m")
    with caplog.at_level(logging.INFO):
        mod.fit(train, num_epoch=2, eval_metric=["acc", "mse"],
                batch_end_callback=[mx.callback.Speedometer(5, 2, auto_reset=False),
                                    mx.callback.log_train_metric(2),
                                    mx.callback.ProgressBar(4, 10)],
                epoch_end_callback=[mx.callback.do_checkpoint(prefix + "a", 2),
                                    mx.callback.module_checkpoint(mod, prefix + "b", 1, True)],
                eval_data=train, eval_end_callback=mx.callback.LogValidationMetricsCallback())
    lines = [m if m.startswith("[") else m.split("=")[0].split("\tSpeed")[0]
             for m in caplog.messages]
    assert lines[:16] == [
        "Iter[0] Batch[0] Train-accuracy", "Iter[0] Batch[0] Train-mse", "[----------] 0%\r",
        "[==--------] 25%\r", "Epoch[0] Batch [0-2]", "Iter[0] Batch[2] Train-accuracy",
        "Iter[0] Batch[2] Train-mse", "[=====-----] 50%\r", "[========--] 75%\r",
        "Epoch[0] Train-accuracy", "Epoch[0] Train-mse", "Epoch[0] Time cost",
        'Saved checkpoint to "' + prefix + 'b-0001.params"',
        'Saved optimizer state to "' + prefix + 'b-0001.states"',
        "Epoch[0] Validation-accuracy", "Epoch[0] Validation-mse"]
    assert lines[16:18] == lines[14:16]  # LogValidationMetricsCallback logs them again
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ma-0002.params", "ma-symbol.json", "mb-0001.params", "mb-0001.states",
        "mb-0002.params", "mb-0002.states", "mb-symbol.json"]


def test_feedforward_trains_predicts_and_round_trips(tmp_path, caplog):
    x, y = _blobs(40)
    with pytest.warns(DeprecationWarning, match="FeedForward has been deprecated"):
        model = mx.model.FeedForward(_mlp(), num_epoch=4, numpy_batch_size=10,
                                     learning_rate=0.5, initializer=mx.init.Xavier())
    with caplog.at_level(logging.INFO):
        model.fit(x, y)
    assert caplog.messages[:3] == ["Start training with [cpu(0)]",
                                   "Epoch[0] Resetting Data Iterator",
                                   caplog.messages[2]]
    assert caplog.messages[2].startswith("Epoch[0] Time cost=")
    out = model.predict(x)
    assert type(out) is onp.ndarray and out.shape == (40, 2)
    assert (out.argmax(axis=1) == y).mean() >= 0.95
    assert model.score(mx.io.NDArrayIter(x, y, 10)) >= 0.95
    outputs, data, label = model.predict(x[:25], return_data=True)
    assert (outputs.shape, data.shape, label.shape) == ((25, 2), (25, 4), (25,))
    model.save(str(tmp_path / "ff"))
    with pytest.warns(DeprecationWarning):
        loaded = mx.model.FeedForward.load(str(tmp_path / "ff"), 4)
    assert loaded.begin_epoch == 4
    onp.testing.assert_array_equal(loaded.predict(x), out)
    with pytest.raises(ValueError, match="y must be given"):
        model.fit(x)


def test_init_optimizer_twice_warns_and_keeps_the_first(caplog):
    # MXNet 1.9.1: Module warns "optimizer already initialized, ignoring...", BucketingModule
    # and SequentialModule the same ending in "."; force_init=True makes a new one
    def ready(mod):
        mod.bind(data_shapes=[("data", (2, 4))], label_shapes=[("softmax_label", (2,))])
        mod.init_params()
        mod.init_optimizer(optimizer_params=(("learning_rate", 0.5),))
        return mod

    seq = mx.mod.SequentialModule().add(mx.mod.Module(_mlp()), take_labels=True)
    cases = [(ready(mx.mod.Module(_mlp())), "ignoring..."),
             (ready(mx.mod.BucketingModule(lambda key: (_mlp(), ("data",), ("softmax_label",)),
                                           default_bucket_key=4)), "ignoring."),
             (ready(seq), "ignoring.")]
    for mod, ending in cases:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            mod.init_optimizer(optimizer_params=(("learning_rate", 0.1),))
        assert [r.getMessage() for r in caplog.records] == \
            ["optimizer already initialized, " + ending]
        caplog.clear()
        mod.init_optimizer(optimizer_params=(("learning_rate", 0.1),), force_init=True)
        assert caplog.records == [] and mod.optimizer_initialized
    module = cases[0][0]
    module.init_optimizer(optimizer_params=(("learning_rate", 0.7),))  # ignored
    assert module._optimizer.lr == 0.1  # the one force_init made
    with pytest.raises(mx.MXNetError, match=r"Module.init_optimizer: call bind\(\)"):
        mx.mod.Module(_mlp()).init_optimizer()


def test_several_contexts_split_by_work_load_and_update_in_a_named_kvstore(tmp_path):
    # MXNet 1.9.1 with [cpu(0), cpu(1)] and work_load_list=[1, 2] on a batch of 5: slices of
    # 2 and 3, a 'local' KVStore keyed by parameter name that applies the optimizer
    fc = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc")
    mod = mx.mod.Module(fc, ("data",), None, context=[mx.cpu(0), mx.cpu(1)],
                        work_load_list=[1, 2])
    mod.bind(data_shapes=[("data", (5, 4))], inputs_need_grad=True)
    mod.init_params(mx.init.One())
    mod.init_optimizer(optimizer_params={"learning_rate": 1, "momentum": 0.5})
    x = mx.nd.array(onp.arange(20).reshape(5, 4) / 10)
    mod.forward(mx.io.DataBatch(data=[x], label=None))
    merged = mod.get_outputs()[0]
    assert [a.shape for a in mod.get_outputs(merge_multi_context=False)[0]] == [(2, 3), (3, 3)]
    mod.backward([mx.nd.ones((5, 3))])
    assert [a.shape for a in mod.get_input_grads(False)[0]] == [(2, 4), (3, 4)]
    mod.update()
    assert (mod._kvstore.type, mod._update_on_kvstore, mod._updater) == ("local", True, None)
    assert sorted(mod._kvstore._updater.states) == ["fc_bias", "fc_weight"]
    args = mod.get_params()[0]
    onp.testing.assert_allclose(args["fc_bias"].asnumpy(), [-1, -1, -1])
    onp.testing.assert_allclose(args["fc_weight"].asnumpy()[0], [0.2, 0.1, 0, -0.1], atol=1e-6)
    mod.forward(mx.io.DataBatch(data=[x], label=None))
    # the merged outputs of several devices are new arrays: the next forward keeps them
    assert float(merged.asnumpy().sum()) == 57.0
    mod.save_optimizer_states(str(tmp_path / "s.states"))
    one = mx.mod.Module(fc, ("data",), None)
    one.bind(data_shapes=[("data", (5, 4))])
    one.init_params()
    one.init_optimizer(optimizer_params={"learning_rate": 1, "momentum": 0.5})
    one.load_optimizer_states(str(tmp_path / "s.states"))
    assert one._kvstore is None and sorted(one._updater.states) == ["fc_bias", "fc_weight"]


def test_several_contexts_slice_on_the_layouts_batch_axis():
    # a symbol's __layout__ keyword is a node attribute (MXNet's list_attr shows it); 'TNC'
    # puts the batch on axis 1, so two devices get (3, 4, 7) each of (3, 8, 7)
    act = mx.sym.Activation(mx.sym.var("data"), act_type="relu", __layout__="TNC", name="a")
    assert act.list_attr() == {"act_type": "relu", "__layout__": "TNC"}
    mod = mx.mod.Module(act, ("data",), None, context=[mx.cpu(0), mx.cpu(1)])
    mod.bind(data_shapes=[mx.io.DataDesc("data", (3, 8, 7), layout="TNC")])
    mod.init_params()
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones((3, 8, 7))], label=None))
    assert [a.shape for a in mod.get_outputs(False)[0]] == [(3, 4, 7), (3, 4, 7)]
    assert mx.mon is mx.monitor


@pytest.mark.parametrize("group2ctxs", [{"dev1": mx.cpu(1), "dev2": mx.cpu(2)},
                                        [{"dev1": mx.cpu(1), "dev2": mx.cpu(2)}]])
def test_group2ctxs_places_the_arrays_of_each_ctx_group(group2ctxs):
    # MXNet 1.9.1 (mxref; its test_module.test_module_ctx_group's first case): the input
    # gradients and outputs lie on their groups' contexts, the module's parameters on the
    # current context; the values are those of a module without groups
    with mx.AttrScope(ctx_group="dev1"):
        a = mx.sym.var("a") * 2
    with mx.AttrScope(ctx_group="dev2"):
        c = a + mx.sym.var("b") * mx.sym.var("w_weight")
    mod = mx.mod.Module(c, context=[mx.cpu(0)], data_names=["a", "b"], label_names=None,
                        group2ctxs=group2ctxs)
    mod.bind(data_shapes=[["a", (2, 5)], ["b", (2, 5)]], inputs_need_grad=True)
    mod.init_params()
    mod.forward(mx.io.DataBatch(data=[mx.nd.ones((2, 5)), mx.nd.ones((2, 5))]), is_train=True)
    mod.backward([mx.nd.ones((2, 5))])
    grads = mod.get_input_grads()
    assert [g.context for g in grads] == [mx.cpu(1), mx.cpu(2)]
    assert mod.get_outputs()[0].context == mx.cpu(2)
    weight = mod.get_params()[0]["w_weight"]
    assert weight.context == mx.cpu(0)
    onp.testing.assert_array_equal(grads[0].asnumpy(), onp.full((2, 5), 2.0))
    onp.testing.assert_array_equal(grads[1].asnumpy(), onp.broadcast_to(weight.asnumpy(), (2, 5)))
