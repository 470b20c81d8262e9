"""mx.onnx.export_model: each operator family exported, checked by onnx's checker, run in
onnxruntime and compared with mxnp's own forward of the same graph; model-zoo networks from
HybridBlock.export files and from Symbols; the accepted inputs and the errors."""
import sys

import numpy as onp
import pytest

import mxnp as mx
from mxnp import gluon, npx
from mxnp.onnx import _export

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
ort.set_default_logger_severity(3)  # not the warning that initializers are also graph inputs
sym = mx.sym
RNG = onp.random.default_rng(0)


def _rand(*shape):
    return RNG.uniform(-1, 1, size=shape).astype("float32")


def _run(path, feeds):
    onnx.checker.check_model(str(path))
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def _check(out, params, data, tmp_path, opset=None, rtol=1e-4, atol=1e-5):
    """Export ``out`` with ``params`` (name -> array) for the inputs ``data`` (name -> array),
    run it in onnxruntime and compare every output with mxnp's eval."""
    path = tmp_path / "model.onnx"
    shapes = [v.shape for v in data.values()]
    if opset is None:
        assert mx.onnx.export_model(out, params, shapes, onp.float32, str(path)) == str(path)
    else:
        model = _export.to_onnx(onnx, out, params, shapes, onp.float32, opset)
        onnx.save_model(model, str(path))
    got = _run(path, data)
    arrays = {k: mx.nd.array(v) for k, v in {**params, **data}.items()}
    want = [o.asnumpy() for o in out.eval(**arrays)]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        onp.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return onnx.load(str(path))


def _op_types(model):
    return [n.op_type for n in model.graph.node]


# built under a NameManager of their own: collecting this file names no node in the global
# one (tests elsewhere assert automatic names such as _plusscalar0)
with mx.name.NameManager():
    X = sym.var("data")
    B = sym.var("b")

    # (name, symbol, params, data shape)
    CASES = [
        ("conv2d", sym.Convolution(X, kernel=(3, 3), num_filter=4, pad=(1, 1), stride=(2, 2),
                                   name="c"),
         {"c_weight": (4, 3, 3, 3), "c_bias": (4,)}, (2, 3, 7, 7)),
        ("conv_group_dilate", sym.Convolution(X, kernel=(3, 3), num_filter=6, num_group=3,
                                              dilate=(2, 2), no_bias=True, name="c"),
         {"c_weight": (6, 1, 3, 3)}, (1, 3, 8, 8)),
        ("conv1d", sym.Convolution(X, kernel=(3,), num_filter=2, name="c"),
         {"c_weight": (2, 3, 3), "c_bias": (2,)}, (2, 3, 9)),
        ("deconv", sym.Deconvolution(X, kernel=(3, 3), num_filter=2, stride=(2, 2), pad=(1, 1),
                                     adj=(1, 1), name="d"),
         {"d_weight": (3, 2, 3, 3)}, (1, 3, 4, 4)),
        ("fc_flatten", sym.FullyConnected(X, num_hidden=5, name="f"),
         {"f_weight": (5, 12), "f_bias": (5,)}, (2, 3, 2, 2)),
        ("fc_no_flatten", sym.FullyConnected(X, num_hidden=5, flatten=False, name="f"),
         {"f_weight": (5, 4), "f_bias": (5,)}, (2, 3, 4)),
        ("fc_no_bias", sym.FullyConnected(X, num_hidden=5, no_bias=True, name="f"),
         {"f_weight": (5, 4)}, (2, 4)),
        ("batchnorm_fix_gamma", sym.BatchNorm(X, name="b"),
         {"b_gamma": (3,), "b_beta": (3,), "b_moving_mean": (3,), "b_moving_var": (3,)},
         (2, 3, 4, 4)),
        ("batchnorm", sym.BatchNorm(X, fix_gamma=False, use_global_stats=True, eps=1e-3, name="b"),
         {"b_gamma": (3,), "b_beta": (3,), "b_moving_mean": (3,), "b_moving_var": (3,)}, (2, 3, 4)),
        ("leaky", sym.LeakyReLU(X, act_type="leaky", slope=0.1), {}, (2, 3, 4)),
        ("elu", sym.LeakyReLU(X, act_type="elu", slope=0.7), {}, (2, 3, 4)),
        ("selu", sym.LeakyReLU(X, act_type="selu"), {}, (2, 3, 4)),
        ("gelu", sym.LeakyReLU(X, act_type="gelu"), {}, (2, 3, 4)),
        ("prelu", sym.LeakyReLU(X, act_type="prelu", name="p"), {"p_gamma": (3,)}, (2, 3, 4, 4)),
        ("maxpool_full", sym.Pooling(X, kernel=(3, 3), stride=(2, 2), pool_type="max",
                                     pooling_convention="full"), {}, (1, 2, 8, 8)),
        ("avgpool_pad", sym.Pooling(X, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg"),
         {}, (1, 2, 7, 7)),
        ("avgpool_no_pad_count", sym.Pooling(X, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                                             pool_type="avg", count_include_pad=False),
         {}, (1, 2, 7, 7)),
        ("sumpool", sym.Pooling(X, kernel=(2, 2), stride=(2, 2), pool_type="sum"), {},
         (1, 2, 4, 4)),
        ("global_avg", sym.Pooling(X, kernel=(1, 1), global_pool=True, pool_type="avg"), {},
         (2, 3, 5, 5)),
        ("global_max", sym.Pooling(X, kernel=(1, 1), global_pool=True, pool_type="max"), {},
         (2, 3, 5, 5)),
        ("flatten_concat", sym.Concat(sym.Flatten(X), sym.Flatten(X * 2), dim=1), {}, (2, 3, 2)),
        ("elemwise", sym.elemwise_add(X, X) - sym.elemwise_mul(X, X) / (sym.abs(X) + 1), {},
         (2, 3)),
        ("broadcast",
         sym.broadcast_add(X, B) * sym.broadcast_maximum(X, B) - sym.broadcast_div(B, X),
         {"b": (1, 3)}, (2, 3)),
        ("scalars", ((X + 1) * 2 - 3) / 4 + (1 - X) + 2 / (X + 3) + X ** 2, {}, (2, 3)),
        ("dropout_identity", sym.Dropout(X, p=0.5), {}, (2, 3)),
        ("reshape_codes", sym.Reshape(X, shape=(0, -3, -2)), {}, (2, 3, 4, 5)),
        ("reshape_split", sym.Reshape(X, shape=(-4, 1, 2, -2)), {}, (2, 3, 4)),
        ("reshape_plain", sym.Reshape(X, shape=(0, -1)), {}, (2, 3, 4)),
        ("transpose", sym.transpose(X, axes=(2, 0, 1)) + 0, {}, (2, 3, 4)),
        ("swapaxis", sym.SwapAxis(X, dim1=0, dim2=2), {}, (2, 3, 4)),
        ("softmax", sym.softmax(X, axis=1) + sym.log_softmax(X), {}, (2, 3, 4)),
        ("softmax_temperature", sym.softmax(X, temperature=2.0), {}, (2, 5)),
        ("softmax_activation", sym.SoftmaxActivation(X, mode="channel"), {}, (2, 3, 4)),
        ("clip", sym.clip(X, -0.5, 0.5), {}, (2, 3)),
        ("slice", sym.slice(X, begin=(None, 1), end=(None, 3)) + 0, {}, (2, 4, 3)),
        ("slice_step", sym.slice(X, begin=(3,), end=(None,), step=(-2,)), {}, (5, 2)),
        ("slice_axis", sym.slice_axis(X, axis=-1, begin=1, end=None), {}, (2, 4)),
        ("expand_squeeze", sym.squeeze(sym.expand_dims(X, axis=1)), {}, (2, 3)),
        ("reductions", sym.Group([sym.sum(X, axis=1), sym.mean(X, axis=(1, 2), keepdims=True),
                                  sym.max(X, axis=1, exclude=True), sym.prod(X, axis=-1)]), {},
         (2, 3, 4)),
        ("reduce_all", sym.sum(X) + sym.min(X), {}, (2, 3)),
        ("dot", sym.dot(X, sym.var("w"), transpose_b=True), {"w": (5, 3)}, (2, 3)),
        ("batch_dot", sym.batch_dot(X, X, transpose_b=True), {}, (2, 3, 4)),
        ("upsampling", sym.UpSampling(X, scale=2, sample_type="nearest"), {}, (1, 2, 3, 3)),
        ("pad", sym.Pad(X, mode="constant", pad_width=(0, 0, 0, 0, 1, 2, 2, 1),
                        constant_value=0.5), {}, (1, 2, 3, 3)),
        ("pad_edge", sym.Pad(X, mode="edge", pad_width=(0, 0, 0, 0, 1, 1, 1, 1)), {}, (1, 2, 3, 3)),
        ("lrn", sym.LRN(X, nsize=3, alpha=1e-3, beta=0.75, knorm=2), {}, (1, 5, 3, 3)),
        ("l2norm", sym.L2Normalization(X), {}, (2, 3, 4)),
        ("l2norm_channel", sym.L2Normalization(X, mode="channel"), {}, (2, 3, 4)),
        ("split", sym.split(X, num_outputs=2, axis=1)[1], {}, (2, 4)),
        ("stack_split_squeeze", sym.stack(*sym.split(X, num_outputs=2, axis=0, squeeze_axis=True),
                                          axis=1), {}, (2, 3)),
        ("unary", sym.exp(X) + sym.sqrt(sym.abs(X)) + sym.log(sym.abs(X) + 1) + sym.square(X)
         + sym.negative(X) + sym.floor(X), {}, (2, 3)),
        ("comparisons", (X > 0) + (X <= 0.5) * 2, {}, (2, 3)),
        ("cast", sym.Cast(X, dtype="float64"), {}, (2, 3)),
        ("fills", sym.zeros_like(X) - sym.ones_like(X) * X, {}, (2, 3)),
    ]
ACTIVATIONS = ["relu", "sigmoid", "tanh", "softrelu", "softsign"]


@pytest.mark.parametrize("name, out, shapes, data_shape", CASES, ids=[c[0] for c in CASES])
def test_operator_family(name, out, shapes, data_shape, tmp_path):
    params = {k: _rand(*s) + (2 if k.endswith("var") else 0) for k, s in shapes.items()}
    _check(out, params, {"data": _rand(*data_shape)}, tmp_path)


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_activation(act, tmp_path):
    model = _check(sym.Activation(X, act_type=act), {}, {"data": _rand(2, 3)}, tmp_path)
    assert len(model.graph.node) == 1


def _softmax(x, axis):
    e = onp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4)])
def test_softmax_output_drops_its_label(shape, tmp_path):
    """MXNet 1.9.1's SoftmaxOutput normalizes each instance over all its values (a 3-d input
    too: checked with MXNet; mxnp's own forward normalizes the last axis there)."""
    out = sym.SoftmaxOutput(X, name="softmax")
    x = _rand(*shape)
    path = mx.onnx.export_model(out, {}, [x.shape], onnx_file_path=str(tmp_path / "m.onnx"))
    assert [i.name for i in onnx.load(path).graph.input] == ["data"]  # not softmax_label
    want = _softmax(x.reshape(2, -1), 1).reshape(shape)
    onp.testing.assert_allclose(_run(path, {"data": x})[0], want, rtol=1e-5, atol=1e-6)


def test_softmax_activation_instance_is_last_axis(tmp_path):
    """MXNet 1.9.1's SoftmaxActivation(mode='instance') of a 3-d input normalizes its last axis
    (checked with MXNet)."""
    x = _rand(2, 3, 4)
    path = mx.onnx.export_model(sym.SoftmaxActivation(X), {}, [x.shape],
                                onnx_file_path=str(tmp_path / "m.onnx"))
    onp.testing.assert_allclose(_run(path, {"data": x})[0], _softmax(x, -1), rtol=1e-5,
                                atol=1e-6)


def test_embedding(tmp_path):
    out = sym.Embedding(X, input_dim=10, output_dim=4, name="e")
    data = {"data": onp.array([[1, 2], [9, 0]], dtype="float32")}
    _check(out, {"e_weight": _rand(10, 4)}, data, tmp_path)


@pytest.mark.parametrize("opset", [12, 13])
def test_opsets(opset, tmp_path):
    out = sym.Group([sym.softmax(sym.squeeze(sym.expand_dims(X, axis=0), axis=0), axis=1),
                     sym.sum(X, axis=2, keepdims=True), sym.split(X, num_outputs=2, axis=2)[0]])
    model = _check(out, {}, {"data": _rand(2, 3, 2)}, tmp_path, opset=opset)
    assert model.opset_import[0].version == opset
    squeeze = next(n for n in model.graph.node if n.op_type == "Squeeze")
    assert (len(squeeze.input), len(squeeze.attribute)) == ((2, 0) if opset == 13 else (1, 1))


def test_mlp_graph_matches_mxnet_layout(tmp_path):
    """Names as MXNet's exporter writes them: data inputs, parameters as initializers, outputs
    named after their nodes; FullyConnected is Flatten + Gemm and the label is dropped."""
    h = sym.Activation(sym.FullyConnected(X, num_hidden=8, name="fc1"), act_type="relu",
                       name="relu1")
    out = sym.SoftmaxOutput(sym.FullyConnected(h, num_hidden=3, name="fc2"), name="softmax")
    params = {"arg:fc1_weight": _rand(8, 4), "arg:fc1_bias": _rand(8),
              "arg:fc2_weight": _rand(3, 8), "arg:fc2_bias": _rand(3)}
    path = mx.onnx.export_model(out, params, [(2, 4)], onp.float32, str(tmp_path / "m.onnx"))
    model = onnx.load(path)
    names = ["fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"]
    assert [i.name for i in model.graph.input] == ["data"] + names
    assert [o.name for o in model.graph.output] == ["softmax"]
    assert [i.name for i in model.graph.initializer] == names
    assert _op_types(model) == ["Flatten", "Gemm", "Relu", "Flatten", "Gemm", "Softmax"]
    x = _rand(2, 4)
    logits = onp.maximum(x @ params["arg:fc1_weight"].T + params["arg:fc1_bias"], 0) \
        @ params["arg:fc2_weight"].T + params["arg:fc2_bias"]
    want = onp.exp(logits) / onp.exp(logits).sum(axis=1, keepdims=True)
    onp.testing.assert_allclose(_run(path, {"data": x})[0], want, rtol=1e-5, atol=1e-6)


def test_params_as_list_and_files(tmp_path):
    out = sym.BatchNorm(sym.FullyConnected(X, num_hidden=3, name="fc"), fix_gamma=False,
                        name="bn")
    args = {"fc_weight": mx.nd.array(_rand(3, 4)), "fc_bias": mx.nd.array(_rand(3)),
            "bn_gamma": mx.nd.array(_rand(3)), "bn_beta": mx.nd.array(_rand(3))}
    aux = {"bn_moving_mean": mx.nd.array(_rand(3)), "bn_moving_var": mx.nd.array(_rand(3) + 2)}
    x = _rand(2, 4)
    want = out.eval(data=mx.nd.array(x), **args, **aux)[0].asnumpy()
    from_list = mx.onnx.export_model(out, [args, aux], [(2, 4)],
                                     onnx_file_path=str(tmp_path / "a.onnx"))
    out.save(str(tmp_path / "m-symbol.json"))
    mx.nd.save(str(tmp_path / "m-0000.params"), {**{f"arg:{k}": v for k, v in args.items()},
                                                 **{f"aux:{k}": v for k, v in aux.items()}})
    from_files = mx.contrib.onnx.export_model(
        str(tmp_path / "m-symbol.json"), str(tmp_path / "m-0000.params"),
        input_shape=[(2, 4)], input_type=onp.float32, onnx_file_path=str(tmp_path / "b.onnx"))
    for path in (from_list, from_files):
        onp.testing.assert_allclose(_run(path, {"data": x})[0], want, rtol=1e-5, atol=1e-6)


def test_dynamic_batch(tmp_path):
    out = sym.FullyConnected(X, num_hidden=3, name="fc")
    params = {"fc_weight": _rand(3, 4), "fc_bias": _rand(3)}
    path = mx.onnx.export_model(out, params, [(2, 4)], onnx_file_path=str(tmp_path / "d.onnx"),
                                dynamic=True, dynamic_input_shapes=[(None, 4)],
                                run_shape_inference=True)
    x = _rand(5, 4)
    got = _run(path, {"data": x})[0]
    onp.testing.assert_allclose(got, x @ params["fc_weight"].T + params["fc_bias"], rtol=1e-5,
                                atol=1e-6)


def _numpy_mode_block():
    class Net(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.dense = gluon.nn.Dense(6, flatten=False)
            self.norm = gluon.nn.LayerNorm()
            self.act = gluon.nn.GELU()
            self.prelu = gluon.nn.PReLU()
            self.elu = gluon.nn.ELU()

        def hybrid_forward(self, F, x):
            y = self.act(self.norm(self.dense(x)))
            y = self.prelu(y) + self.elu(y) + F.npx.sigmoid(y) * F.np.tanh(y)
            y = F.np.concatenate([y, F.np.exp(-F.np.abs(y))], axis=-1) / 2 - 1
            y = F.np.clip(F.np.transpose(y, (0, 2, 1)), -2, 2)  # (2, 12, 3)
            z = F.np.mean(y, axis=1, keepdims=True) + F.np.sum(y) + F.np.max(y, axis=0)
            z = F.npx.batch_dot(z, z, transpose_b=True) / 16 + F.np.stack([z[:, :, 0]] * 12, 2)
            padded = F.np.pad(y, ((0, 0), (0, 0), (1, 2)))  # _full and _npi_concatenate
            return F.npx.softmax(z.reshape(-1, 2), axis=-1), F.npx.log_softmax(padded)
    return Net()


def test_numpy_mode_export_files(tmp_path):
    """The numpy-mode names HybridBlock.export writes (_npi_*, _np_*, _npx_*)."""
    npx.set_np()
    net = _numpy_mode_block()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = mx.np.array(_rand(2, 3, 4))
    want = [o.asnumpy() for o in net(x)]
    net.export(str(tmp_path / "net"))
    path = mx.onnx.export_model(str(tmp_path / "net-symbol.json"),
                                str(tmp_path / "net-0000.params"), [(2, 3, 4)],
                                onnx_file_path=str(tmp_path / "net.onnx"))
    for got, w in zip(_run(path, {"data": x.asnumpy()}), want):
        onp.testing.assert_allclose(got, w, rtol=1e-4, atol=1e-5)


def _zoo_net(name, array):
    net = gluon.model_zoo.vision.get_model(name)
    net.initialize(mx.init.Xavier(magnitude=2))
    net(array)  # the parameters get their shapes
    for p in net.collect_params().values():  # statistics that change the output
        if p.name.endswith(("running_mean", "running_var")):
            low, high = (0.5, 1.5) if p.name.endswith("var") else (-0.1, 0.1)
            p.set_data(mx.nd.array(RNG.uniform(low, high, p.shape).astype("float32")))
    return net


def _check_zoo(name, size, tmp_path, numpy_mode):
    if numpy_mode:
        npx.set_np()
    shape = (1, 3, size, size)
    x = _rand(*shape)
    array = mx.np.array(x) if numpy_mode else mx.nd.array(x)
    net = _zoo_net(name, array)
    want = net(array).asnumpy()
    if numpy_mode:  # from HybridBlock.export's files
        net.hybridize()
        net(array)
        net.export(str(tmp_path / name))
        args = (str(tmp_path / f"{name}-symbol.json"), str(tmp_path / f"{name}-0000.params"))
    else:  # from a Symbol in memory and the block's parameters
        out = net(sym.var("data"))
        args = (out, {p.name: p.data() for p in net.collect_params().values()})
    path = mx.onnx.export_model(*args, [shape], onnx_file_path=str(tmp_path / "m.onnx"))
    got = _run(path, {"data": x})[0]
    scale = onp.abs(want).max()  # squeezenet's untrained outputs are ~1e-5: atol follows them
    assert scale > 0
    onp.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * min(1.0, scale))


@pytest.mark.parametrize("numpy_mode", [True, False], ids=["export_files", "symbol"])
@pytest.mark.parametrize("name", ["resnet18_v1", "mobilenetv2_0.25"])
def test_model_zoo(name, numpy_mode, tmp_path):
    _check_zoo(name, 32, tmp_path, numpy_mode)


@pytest.mark.slow
@pytest.mark.parametrize("name, size, numpy_mode", [
    ("resnet18_v2", 32, True), ("vgg11_bn", 32, False), ("alexnet", 224, True),
    ("densenet121", 224, False), ("squeezenet1.0", 224, True), ("squeezenet1.1", 224, False),
    ("mobilenet0.25", 32, True), ("inceptionv3", 299, True), ("inceptionv3", 299, False)])
def test_model_zoo_slow(name, size, numpy_mode, tmp_path):
    _check_zoo(name, size, tmp_path, numpy_mode)


# ---- errors and the module's surface ---------------------------------------------------------
def test_unknown_operator_names_node(tmp_path):
    out = sym.argsort(X, name="order")
    with pytest.raises(ValueError, match=r"argsort \(node 'order'\) has no ONNX converter"):
        mx.onnx.export_model(out, {}, [(2, 3)], onnx_file_path=str(tmp_path / "m.onnx"))


def test_missing_params_and_bad_shapes(tmp_path):
    out = sym.FullyConnected(X, num_hidden=3, name="fc")
    path = str(tmp_path / "m.onnx")
    with pytest.raises(ValueError, match=r"1 shape\(s\) in in_shapes for the 3 inputs"):
        mx.onnx.export_model(out, {}, [(2, 4)], onnx_file_path=path)
    params = {"fc_weight": _rand(3, 5), "fc_bias": _rand(3)}
    with pytest.raises(ValueError, match="cannot be inferred"):
        mx.onnx.export_model(out, params, [(2, 4)], onnx_file_path=path)
    with pytest.raises(ValueError, match="in_shapes is required"):
        mx.onnx.export_model(out, params, onnx_file_path=path)
    with pytest.raises(ValueError, match="only channels-first|layout"):
        conv = sym.Convolution(X, kernel=(1, 1), num_filter=1, layout="NHWC", name="c")
        mx.onnx.export_model(conv, {"c_weight": _rand(1, 1, 1, 3), "c_bias": _rand(1)},
                             [(1, 2, 2, 3)], onnx_file_path=path)


def test_without_onnx_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"pip install mxnp\[onnx\]"):
        mx.onnx.export_model(X, {}, [(1,)])


def test_operator_support_and_contrib_spelling():
    support = mx.onnx.get_operator_support()
    assert support == sorted(support) == mx.onnx.get_operator_support(12)
    assert {"Convolution", "BatchNorm", "FullyConnected", "_npi_add", "_npx_relu"} <= set(support)
    assert mx.onnx.get_operator_support(11) == []
    assert mx.contrib.onnx.export_model is mx.onnx.export_model


# ---- the importers of mx.contrib.onnx ----------------------------------------------------------
def test_import_round_trip(tmp_path):
    """export -> import_model / import_to_gluon gives the same graph names and outputs."""
    conv = sym.Convolution(X, kernel=(3, 3), num_filter=4, pad=(1, 1), name="conv")
    bn = sym.BatchNorm(conv, fix_gamma=False, name="bn")
    act = sym.clip(sym.LeakyReLU(bn, act_type="prelu", name="prelu"), 0, 6, name="clip")
    pool = sym.Pooling(act, kernel=(2, 2), stride=(2, 2), pool_type="avg", name="pool")
    gpool = sym.Pooling(act, kernel=(1, 1), global_pool=True, pool_type="max", name="gpool")
    cat = sym.Concat(pool, sym.broadcast_mul(gpool, pool), dim=1, name="cat")
    out = sym.softmax(sym.FullyConnected(cat, num_hidden=5, name="fc"), name="prob")
    params = {"conv_weight": _rand(4, 3, 3, 3), "conv_bias": _rand(4), "bn_gamma": _rand(4),
              "bn_beta": _rand(4), "bn_moving_mean": _rand(4), "bn_moving_var": _rand(4) + 2,
              "prelu_gamma": _rand(4), "fc_weight": _rand(5, 128), "fc_bias": _rand(5)}
    x = mx.nd.array(_rand(2, 3, 8, 8))
    want = out.eval(data=x, **{k: mx.nd.array(v) for k, v in params.items()})[0].asnumpy()
    path = mx.onnx.export_model(out, params, [x.shape], onnx_file_path=str(tmp_path / "m.onnx"))
    imported, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    assert sorted(aux_params) == ["bn_moving_mean", "bn_moving_var"]
    assert sorted(arg_params) == sorted(set(params) - set(aux_params))
    assert imported.list_outputs() == ["prob_output"]
    got = imported.eval(data=x, **arg_params, **aux_params)[0].asnumpy()
    onp.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    net = mx.contrib.onnx.import_to_gluon(path, mx.cpu())
    onp.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5, atol=1e-6)
    assert mx.contrib.onnx.get_model_metadata(path) == {
        "input_tensor_data": [("data", (2, 3, 8, 8), 1)],
        "output_tensor_data": [("prob", (2, 5))]}


def test_import_unknown_operator(tmp_path):
    out = sym.slice_axis(X, axis=1, begin=0, end=2, name="cut")
    path = mx.onnx.export_model(out, {}, [(2, 3)], onnx_file_path=str(tmp_path / "m.onnx"))
    with pytest.raises(ValueError, match=r"ONNX operator Slice \(node 'cut'\)"):
        mx.contrib.onnx.import_model(path)


def test_where_with_scalar_operands_exports(tmp_path):
    """np.where with a number for one or both branches: MXNet's _npi_where_lscalar,
    _npi_where_rscalar and _npi_where_scalar2 nodes, as ONNX Where with constants."""
    npx.set_np()

    class Net(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            cond = x > 0
            return (F.np.where(cond, 0.5, x), F.np.where(cond, x, -2.0),
                    F.np.where(cond, 1.0, 3.0))

    net = Net()
    net.hybridize()
    x = mx.np.array(_rand(2, 3))
    want = [o.asnumpy() for o in net(x)]
    net.export(str(tmp_path / "net"))
    path = mx.onnx.export_model(str(tmp_path / "net-symbol.json"),
                                str(tmp_path / "net-0000.params"), [(2, 3)],
                                onnx_file_path=str(tmp_path / "net.onnx"))
    got = _run(path, {"data": x.asnumpy()})
    for g, w in zip(got, want):
        onp.testing.assert_allclose(g, w, rtol=1e-6)
