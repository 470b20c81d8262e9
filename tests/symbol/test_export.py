"""HybridBlock.export: the files' structure (MXNet's operator names, params keyed arg:/aux:),
and export -> SymbolBlock.imports giving the block's own outputs and gradients. (While
developing, the same files were loaded by the real MXNet 1.9.1 through mxref, in numpy mode,
with the same outputs to 6e-8.)"""
import json

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, npx
from mxnp import numpy as np
from mxnp.gluon import nn, rnn


class Residual(nn.HybridBlock):
    """conv-bn-relu-conv added back to its input, then scaled and shifted."""

    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.c1 = nn.Conv2D(4, 3, padding=1)
            self.b1 = nn.BatchNorm()
            self.c2 = nn.Conv2D(4, 3, padding=1)

    def hybrid_forward(self, F, x):
        return F.npx.relu(x + self.c2(F.npx.relu(self.b1(self.c1(x))))) * 0.5 + 1


class TwoWays(nn.HybridBlock):
    """two inputs, two outputs, comparisons, where, reductions and joins."""

    def hybrid_forward(self, F, x, y):
        z = F.np.where(x > 0.5, x, y * 2) - 1 / (y + 2)
        joined = F.np.concatenate([z, F.np.exp(-z)], axis=1)
        return F.np.mean(joined, axis=1, keepdims=True), F.npx.softmax(joined) + 2 ** z.sum()


def _net(dropout=True):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"), Residual(),
            nn.MaxPool2D(), nn.Conv2D(4, 1), nn.AvgPool2D())
    if dropout:
        net.add(nn.Dropout(0.3, axes=(2, 3)))
    net.add(nn.Flatten(), nn.Dense(3, activation="tanh"), nn.Dense(5), nn.LeakyReLU(0.1),
            nn.Dense(2, activation="sigmoid"))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = np.random.uniform(size=(2, 3, 8, 8))
    with autograd.record():  # a training pass moves the BatchNorm statistics off 0 and 1
        net(x).backward()
    net(x)
    return net


def _reimport(net, tmp_path, stem="net", names=("data",)):
    """``net`` exported under ``tmp_path/stem`` and loaded back as a SymbolBlock."""
    net.export(str(tmp_path / stem))
    return gluon.SymbolBlock.imports(str(tmp_path / f"{stem}-symbol.json"), list(names),
                                     str(tmp_path / f"{stem}-0000.params"))


def test_export_writes_mxnet_operators_and_keys(tmp_path):
    net = _net()
    before = {k: p.data().asnumpy() for k, p in net.collect_params().items()}
    # MXNet 1.9.1 (gluon-semantics.md 12.3): returns None, the epoch in four digits
    assert net.export(str(tmp_path / "net"), epoch=3) is None
    for k, p in net.collect_params().items():  # tracing moved no BatchNorm statistic
        onp.testing.assert_array_equal(p.data().asnumpy(), before[k])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net-0003.params", "net-symbol.json"]
    graph = json.loads((tmp_path / "net-symbol.json").read_text())
    ops = {n["op"] for n in graph["nodes"]}
    assert {"Convolution", "BatchNorm", "Pooling", "FullyConnected", "_npx_relu",
            "_npi_add", "_npi_where", "Dropout"} <= ops
    # one node per layer, as MXNet writes them: biases are the layers' own inputs, and the
    # first Dense flattens its input itself
    layers = [n for n in graph["nodes"] if n["op"] in ("Convolution", "FullyConnected")]
    assert all(n["attrs"]["no_bias"] == "False" and len(n["inputs"]) == 3 for n in layers)
    assert [n["attrs"].get("flatten") for n in layers if n["op"] == "FullyConnected"] == \
        ["True", "False", "False"]
    assert "Flatten" not in ops and "_np_reshape" not in ops
    dropout = next(n for n in graph["nodes"] if n["op"] == "Dropout")
    assert dropout["attrs"] == {"axes": "(2, 3)", "p": "0.3"}
    params = npx.load(str(tmp_path / "net-0003.params"))
    symbol = mx.sym.load(str(tmp_path / "net-symbol.json"))
    assert symbol.list_arguments()[0] == "data"
    assert sorted(params) == sorted(["arg:" + n for n in symbol.list_arguments()[1:]] +
                                    ["aux:" + n for n in symbol.list_auxiliary_states()])
    for key, value in params.items():
        onp.testing.assert_array_equal(value.asnumpy(),
                                       net.collect_params()[key[4:]].data().asnumpy())
    assert all(k.startswith("aux:") == k.endswith(("running_mean", "running_var"))
               for k in params)


def test_export_then_imports_gives_the_same_outputs_at_another_batch_size(tmp_path):
    net = _net()
    block = _reimport(net, tmp_path, "net")
    x = np.random.uniform(size=(5, 3, 8, 8))  # traced at 2: no batch size is written
    onp.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)


def test_export_then_imports_gives_the_same_gradients(tmp_path):
    net = _net(dropout=False)
    block = _reimport(net, tmp_path, "net")
    x = np.random.uniform(size=(3, 3, 8, 8))
    head = np.random.uniform(-1, 1, size=(3, 2))
    results = []
    for model in (net, block):
        x.attach_grad()
        with autograd.record():
            y = model(x)
        y.backward(head)
        grads = {k: p.grad().asnumpy() for k, p in model.collect_params().items()
                 if p.grad_req != "null"}
        results.append((y.asnumpy(), x.grad.asnumpy(), grads))
    (y0, gx0, g0), (y1, gx1, g1) = results
    onp.testing.assert_allclose(y1, y0, rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(gx1, gx0, rtol=1e-4, atol=1e-6)
    assert sorted(g0) == sorted(g1)
    for k in g0:
        onp.testing.assert_allclose(g1[k], g0[k], rtol=1e-4, atol=1e-6)


def test_export_of_two_inputs_and_two_outputs(tmp_path):
    net = TwoWays()
    net.hybridize()
    x, y = np.random.uniform(size=(2, 3)), np.random.uniform(size=(2, 3))
    want = net(x, y)
    net.export(str(tmp_path / "two"))
    block = gluon.SymbolBlock.imports(str(tmp_path / "two-symbol.json"), ["data0", "data1"])
    got = block(x, y)
    assert len(got) == 2
    for g, w in zip(got, want):
        onp.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-5)


def test_export_errors(tmp_path):
    net = nn.Dense(2)
    net.initialize()
    net(np.ones((1, 3)))
    with pytest.raises(RuntimeError, match="hybridize"):
        net.export(str(tmp_path / "x"))

    class Cumulative(nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.np.cumsum(x, axis=1)

    s = Cumulative()
    s.hybridize()
    s(np.ones((2, 3)))
    with pytest.raises(mx.MXNetError, match="cannot write the operation"):
        s.export(str(tmp_path / "s"))


class Axes(nn.HybridBlock):
    """axes added and dropped around a global pooling."""

    def hybrid_forward(self, F, x):
        return F.np.squeeze(F.np.expand_dims(x, 1), axis=(1, 3)) * 2


@pytest.mark.parametrize("size", [12, 20])  # odd sizes before the ceil_mode pooling
def test_export_pooling_conventions_and_axes(size, tmp_path):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 7, strides=2, padding=3), nn.MaxPool2D(3, 2, 1),
            nn.MaxPool2D(2, ceil_mode=True), nn.AvgPool2D(3, 2, 1), nn.GlobalAvgPool2D(),
            Axes())
    net.initialize()
    net.hybridize()
    x = np.random.uniform(size=(2, 3, size, size))
    want = net(x)
    net.export(str(tmp_path / "pools"))
    graph = json.loads((tmp_path / "pools-symbol.json").read_text())
    conventions = [n["attrs"]["pooling_convention"] for n in graph["nodes"]
                   if n["op"] == "Pooling"]
    assert conventions[:2] == ["valid", "full"]
    block = gluon.SymbolBlock.imports(str(tmp_path / "pools-symbol.json"), ["data"],
                                      str(tmp_path / "pools-0000.params"))
    got = block(x)
    assert got.shape == want.shape == (2, 4, 1)
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)


class Indexing(nn.HybridBlock):
    """basic indexing, clip, casts and swapaxes."""

    def hybrid_forward(self, F, x):
        return (x[:, 1:3] + x[0:1, 0:2] + x[..., ::2].sum() + F.np.clip(x, 0.2, 0.5)[:, :2] +
                x.astype("float64").astype("float32")[:, 2:] + x[1, :2] + x[:, -2:, None, 1] +
                F.np.swapaxes(x, 0, 1)[:2, :2] + F.np.clip(x, None, 0.3)[-1, 1:3])


def test_export_of_indexing(tmp_path):
    net = Indexing()
    net.hybridize()
    x = np.random.uniform(size=(2, 4, 4))
    want = net(x)
    net.export(str(tmp_path / "idx"))
    ops = {n["op"] for n in json.loads((tmp_path / "idx-symbol.json").read_text())["nodes"]}
    assert {"slice", "_np_squeeze", "expand_dims", "SwapAxis", "Cast", "clip"} <= ops
    block = gluon.SymbolBlock.imports(str(tmp_path / "idx-symbol.json"), ["data"])
    onp.testing.assert_allclose(block(x).asnumpy(), want.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize("make", [lambda: rnn.LSTM(5, input_size=3),
                                  lambda: rnn.GRU(5, input_size=3, num_layers=2,
                                                  bidirectional=True),
                                  lambda: rnn.RNN(4, input_size=3, layout="NTC")])
def test_export_of_recurrent_layers(make, tmp_path):
    layer = make()
    layer.initialize()
    layer.hybridize()
    x = np.random.uniform(size=(4, 2, 3))
    want = layer(x)
    layer.export(str(tmp_path / "rnn"))
    assert "RNN" in {n["op"] for n in
                     json.loads((tmp_path / "rnn-symbol.json").read_text())["nodes"]}
    states = layer.begin_state(batch_size=x.shape[layer._layout.find("N")])
    names = [f"data{i}" for i in range(1 + len(states))]  # the zero states are inputs
    block = gluon.SymbolBlock.imports(str(tmp_path / "rnn-symbol.json"), names,
                                      str(tmp_path / "rnn-0000.params"))
    onp.testing.assert_allclose(block(x, *states).asnumpy(), want.asnumpy(), rtol=1e-5,
                                atol=1e-6)


def test_symbolblock_exports_the_graph_it_runs(tmp_path):
    net = _net(dropout=False)
    block = _reimport(net, tmp_path, "first")
    x = np.random.uniform(size=(2, 3, 8, 8))
    with pytest.raises(RuntimeError, match="hybridize"):
        block.export(str(tmp_path / "second"))
    block.hybridize()
    want = block(x)
    block.export(str(tmp_path / "second"))
    assert (tmp_path / "second-symbol.json").read_text() == \
        (tmp_path / "first-symbol.json").read_text()
    again = gluon.SymbolBlock.imports(str(tmp_path / "second-symbol.json"), ["data"],
                                      str(tmp_path / "second-0000.params"))
    onp.testing.assert_array_equal(again(x).asnumpy(), want.asnumpy())


class Where(nn.HybridBlock):
    """np.where with scalar branches and more unary functions."""

    def hybrid_forward(self, F, x):
        y = (F.np.where(x > 0.5, x, 0.25) + F.np.where(x < 0.3, 2.0, x) +
             F.np.where(x > 0.4, 1.0, -1.0))
        return (y + F.np.log2(x + 1) + F.np.floor(x * 3) + F.np.arctan(x) + F.np.cbrt(x) +
                F.np.degrees(x))


LAYERS = {
    "LayerNorm": (nn.LayerNorm, (2, 5)), "InstanceNorm": (nn.InstanceNorm, (2, 3, 4)),
    "GroupNorm": (lambda: nn.GroupNorm(num_groups=2), (2, 4, 3)),
    "Conv2DTranspose": (lambda: nn.Conv2DTranspose(3, 3, strides=2, output_padding=1,
                                                   padding=1), (2, 2, 4, 4)),
    "Conv1DTranspose": (lambda: nn.Conv1DTranspose(4, 3, strides=3, groups=2, in_channels=2),
                        (2, 2, 5)),
    "Conv1D": (lambda: nn.Conv1D(3, 3), (2, 2, 8)), "Conv3D": (lambda: nn.Conv3D(2, 2),
                                                             (1, 2, 4, 4, 4)),
    "PReLU": (nn.PReLU, (2, 5)), "ELU": (nn.ELU, (2, 5)), "SELU": (nn.SELU, (2, 5)),
    "Swish": (nn.Swish, (2, 5)), "GELU": (nn.GELU, (2, 5)),
    "Dense-no-flatten": (lambda: nn.Dense(3, flatten=False), (2, 4, 5)),
    "GlobalMaxPool2D": (nn.GlobalMaxPool2D, (2, 3, 4, 4)),
    "MaxPool1D": (lambda: nn.MaxPool1D(2), (2, 3, 8)),
    "AvgPool3D": (lambda: nn.AvgPool3D(2), (1, 2, 4, 4, 4)),
    "BatchNorm-last-axis": (lambda: nn.BatchNorm(axis=-1), (2, 4, 3)),
    "softsign": (lambda: nn.Activation("softsign"), (2, 5)),
    "HybridLambda": (lambda: nn.HybridLambda(lambda F, x: F.np.log1p(F.np.exp(x))), (2, 5)),
    "Where": (Where, (2, 5)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_export_of_layers(name, tmp_path):
    make, shape = LAYERS[name]
    net = make()
    net.initialize()
    net.hybridize()
    x = np.random.uniform(size=shape)
    want = net(x)
    block = _reimport(net, tmp_path, "layer")
    onp.testing.assert_allclose(block(x).asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)


class Made(nn.HybridBlock):
    """arrays made inside the block."""

    def hybrid_forward(self, F, x):
        return x + F.np.zeros((2, 3)) + F.np.ones((2, 3)) + F.np.full((2, 3), 2.5)


def test_export_of_arrays_made_inside(tmp_path):
    net = Made()
    net.hybridize()
    x = np.random.uniform(size=(2, 3))
    want = net(x)
    net.export(str(tmp_path / "made"))
    ops = [n["op"] for n in json.loads((tmp_path / "made-symbol.json").read_text())["nodes"]]
    # MXNet 1.9.1 (mxref) writes the same three creation operators
    assert {"_npi_zeros", "_npi_ones", "_full"} <= set(ops)
    block = gluon.SymbolBlock.imports(str(tmp_path / "made-symbol.json"), ["data"])
    onp.testing.assert_allclose(block(x).asnumpy(), want.asnumpy())

    class Drawn(nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return x + F.np.random.uniform(size=(2, 3))

    drawn = Drawn()
    drawn.hybridize()
    drawn(x)
    with pytest.raises(mx.MXNetError, match="made by uniform inside the block"):
        drawn.export(str(tmp_path / "drawn"))


def test_exported_dropout_drops_in_training(tmp_path):
    net = nn.HybridSequential()
    net.add(nn.Dense(50), nn.Dropout(0.4))
    net.initialize(mx.init.One())
    net.hybridize()
    x = np.ones((40, 3))
    net(x)
    block = _reimport(net, tmp_path, "drop")
    onp.testing.assert_array_equal(block(x).asnumpy(), net(x).asnumpy())
    with autograd.record():
        y = block(x).asnumpy()
    kept = y != 0
    assert 0.5 < kept.mean() < 0.7  # p = 0.4 of 2000 values
    onp.testing.assert_allclose(y[kept], 3 / 0.6, rtol=1e-5)  # the rest scaled by 1/(1-p)


def test_export_of_batchnorm_with_global_statistics(tmp_path):
    net = nn.HybridSequential()
    net.add(nn.Dense(4), nn.BatchNorm(use_global_stats=True))
    net.initialize(mx.init.Uniform(1.0))
    net.collect_params()[net[1].running_mean.name].set_data(np.array([0.5, -0.5, 1.0, 0.0]))
    net.hybridize()
    x = np.random.uniform(size=(3, 5))
    net(x)
    block = _reimport(net, tmp_path, "bn")
    graph = json.loads((tmp_path / "bn-symbol.json").read_text())
    assert next(n for n in graph["nodes"] if n["op"] == "BatchNorm")["attrs"][
        "use_global_stats"] == "True"
    with autograd.record():  # the moving statistics, in training too
        onp.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-5)
    onp.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-5)


class Splits(nn.HybridBlock):
    """np.split by sections (one and two) and by indices, then joined again."""

    def hybrid_forward(self, F, x):
        whole = F.np.split(x, 1)[0]
        left, mid, right = F.np.split(x, [1, 3], axis=1)
        halves = F.np.split(x, 2, axis=1)
        return whole * 2 + F.np.concatenate([right, mid, left], axis=1) + halves[1].sum()


def test_export_of_split(tmp_path):
    net = Splits()
    net.hybridize()
    x = np.array(onp.arange(8.0).reshape(2, 4))
    want = net(x).asnumpy()
    loaded = _reimport(net, tmp_path)
    graph = json.loads((tmp_path / "net-symbol.json").read_text())
    # MXNet 1.9.1 writes np.split as _split_v2: sections, or indices led by 0 (mxref)
    splits = [n["attrs"] for n in graph["nodes"] if n["op"] == "_split_v2"]
    assert [(a["sections"], a["indices"], a["axis"]) for a in splits] == \
        [("1", "()", "0"), ("0", "(0, 1, 3)", "1"), ("2", "()", "1")]
    # (the real MXNet 1.9.1 loads these files and gives the same outputs)
    onp.testing.assert_allclose(loaded(x).asnumpy(), want)
