"""Blocks called on mx.sym Symbols (MXNet 1.x's symbol face): the graph MXNet 1.9.1 builds for
the built-in layers (tests/data/symbol/blocks-symbol.json) and for unrolled cells
(block_cells.json) and model-zoo networks (zoo_symbols.json), written by make_block_symbols.py; graphs that compute what the
blocks compute on arrays; SymbolBlock on a block's graph; Parameter shapes in legacy mode."""
import hashlib
import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, npx
from mxnp import ndarray as nd
from mxnp import symbol as sym
from mxnp.gluon import nn, rnn
from mxnp.gluon.model_zoo import vision
from tests.data.symbol import block_nets  # the blocks make_block_symbols.py recorded

DATA = pathlib.Path(__file__).parent.parent / "data" / "symbol"


@pytest.fixture(autouse=True)
def _legacy_mode():
    npx.reset_np()  # 1.x code runs without set_np (the suite's switches come back after)


def _layers():
    return block_nets.layers(nn)


def _cells():
    return block_nets.cells(rnn)


def test_the_layers_graph_is_the_one_mxnet_builds():
    with mx.name.NameManager():  # the counters of a fresh process, as the fixture's
        y = _layers()(sym.var("data"))
    assert y.tojson() == (DATA / "blocks-symbol.json").read_text()
    assert repr(y) == "<Symbol dense1_fwd>"


@pytest.mark.parametrize("name", sorted(json.loads((DATA / "zoo_symbols.json").read_text())))
def test_model_zoo_graphs_are_mxnets(name):
    want = json.loads((DATA / "zoo_symbols.json").read_text())[name]
    with mx.name.NameManager():
        graph = vision.get_model(name)(sym.var("data"))
    assert hashlib.md5(graph.tojson().encode()).hexdigest() == want


RNN_LAYERS = {"lstm": lambda: rnn.LSTM(8, input_size=4),  # as make_block_symbols.LAYERS
              "gru": lambda: rnn.GRU(6, num_layers=2, bidirectional=True, layout="NTC"),
              "rnn": lambda: rnn.RNN(5)}


@pytest.mark.parametrize("name", sorted(RNN_LAYERS))
def test_fused_rnn_layer_graphs_are_mxnets_and_compute_the_layer(name):
    want = json.loads((DATA / "rnn_layers.json").read_text())[name]
    with mx.name.NameManager():
        layer = RNN_LAYERS[name]()
        graph = layer(sym.var("data"))
    assert hashlib.md5(graph.tojson().encode()).hexdigest() == want["md5"]
    assert graph.list_arguments() == want["arguments"]
    assert list(graph.infer_shape(data=(5, 2, 4))[1][0]) == want["shape"]
    layer.initialize(mx.init.Uniform(0.3))
    x = nd.array(onp.random.RandomState(3).uniform(-1, 1, size=(5, 2, 4)))
    expected = layer(x)
    params = {p.name: p.data() for p in layer.collect_params().values()}
    got = graph.eval(data=x, **params)[0]
    onp.testing.assert_allclose(got.asnumpy(), expected.asnumpy(), rtol=1e-5, atol=1e-6)


def test_the_graph_computes_what_the_block_computes():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, activation="relu"), nn.BatchNorm(), nn.MaxPool2D(),
            nn.InstanceNorm(), nn.GroupNorm(num_groups=2), nn.LayerNorm(), nn.Flatten(),
            nn.Dense(8, activation="tanh"), nn.Dropout(0.5), nn.LeakyReLU(0.1), nn.PReLU(),
            nn.ELU(), nn.SELU(), nn.Swish(), nn.GELU(), nn.Dense(3))
    net.initialize(mx.init.Xavier())
    x = nd.array(onp.random.RandomState(0).normal(size=(2, 3, 8, 8)))
    want = net(x)  # predict mode: Dropout is the identity, BatchNorm its running statistics
    graph = net(sym.var("data"))
    params = {p.name: p.data() for p in net.collect_params().values()}
    got = graph.eval(data=x, **params)[0]
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)


def test_a_symbol_block_on_the_graph_gives_the_same_values_and_gradients():
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation="relu"), nn.BatchNorm(), nn.Dense(4))
    net.initialize()
    data = sym.var("data")
    block = gluon.SymbolBlock(net(data), data, params=net.collect_params())
    x = nd.array(onp.random.RandomState(1).normal(size=(5, 7)))
    grads = []
    for b in (net, block):
        with autograd.record():
            y = b(x)
        y.backward()
        grads.append({p.name: p.grad().asnumpy() for p in net.collect_params().values()
                      if p.grad_req != "null"})
        assert type(y) is nd.NDArray
    onp.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-6)
    for k in grads[0]:
        onp.testing.assert_allclose(grads[1][k], grads[0][k], rtol=1e-5, atol=1e-7)


def test_dense_output_names_and_inferred_shapes():  # MXNet's test_gluon.test_dense
    model = nn.Dense(128, activation="tanh", in_units=10, flatten=False, prefix="test_")
    out = model(sym.Variable("data"))
    assert set(model.collect_params().keys()) == {"test_weight", "test_bias"}
    assert out.list_outputs() == ["test_tanh_fwd_output"]
    assert out.infer_shape(data=(2, 3, 10))[1] == [(2, 3, 128)]
    model = nn.Dense(128, activation="relu", in_units=30, flatten=True, prefix="test2_")
    out = model(sym.Variable("data"))
    assert out.list_outputs() == ["test2_relu_fwd_output"]
    assert out.infer_shape(data=(17, 2, 5, 3))[1] == [(17, 128)]


def test_a_sequential_of_blocks_builds_one_graph():  # MXNet's test_gluon.test_basic
    model = nn.Sequential()
    model.add(nn.Dense(128, activation="tanh", in_units=10, flatten=False), nn.Dropout(0.5),
              nn.Dense(64, activation="tanh", in_units=256), nn.Dense(32, in_units=64),
              nn.Activation("relu"))
    assert len(model(sym.var("data")).list_arguments()) == 7
    model.initialize()
    assert model(nd.zeros((32, 2, 10))).shape == (32, 32)


def test_symbol_block_on_symbols_composes_the_graph():
    model = nn.HybridSequential()
    model.add(nn.Dense(8, activation="tanh"), nn.Dense(4, in_units=8))
    model.initialize()
    inputs = sym.var("data")
    internals = model(inputs).get_internals()
    block = gluon.SymbolBlock(internals, inputs, params=model.collect_params())
    assert len(block(nd.zeros((2, 3)))) == len(internals.list_outputs())
    out = block(sym.var("in"))
    assert len(out) == len(internals.list_outputs())
    assert "in" in out[-1].list_arguments() and "data" not in out[-1].list_arguments()


def test_symbol_block_keys_drop_the_common_prefix_so_copies_load_each_other(tmp_path):
    class Net(gluon.HybridBlock):  # MXNet's test_gluon.test_symbol_block_save_load, smaller
        def __init__(self):
            super().__init__()
            with self.name_scope():
                backbone = nn.HybridSequential()
                with backbone.name_scope():
                    backbone.add(nn.Conv2D(4, 3, in_channels=3), nn.Dense(5))
                data = sym.var("data")
                self.backbone = gluon.SymbolBlock(backbone(data), data,
                                                  params=backbone.collect_params())
                self.body = nn.Conv2D(3, 1)

        def hybrid_forward(self, F, x):
            return self.backbone(self.body(x))

    first = Net()
    first.initialize()
    x = nd.ones((1, 3, 8, 8))
    y = first(x)
    assert sorted(first.backbone._reg_params) == ["conv0_bias", "conv0_weight", "dense0_bias",
                                                  "dense0_weight"]
    first.save_parameters(str(tmp_path / "net.params"))
    second = Net()
    assert second.backbone.collect_params().keys() != first.backbone.collect_params().keys()
    second.load_parameters(str(tmp_path / "net.params"))
    onp.testing.assert_allclose(second(x).asnumpy(), y.asnumpy(), rtol=1e-6)


def test_a_saved_graph_loads_into_a_symbol_block(tmp_path):  # test_legacy_save_params
    net = nn.HybridSequential(prefix="")
    with net.name_scope():
        net.add(nn.Conv2D(10, (3, 3)), nn.Dense(50))
    net.initialize()
    x = nd.ones((1, 1, 12, 12))
    y = net(x)
    net(sym.var("data")).save(str(tmp_path / "net.json"))
    with pytest.warns(UserWarning, match="deprecated"):  # the graph's names: save_params
        net.save_params(str(tmp_path / "net.params"))
    model = gluon.SymbolBlock(outputs=sym.load(str(tmp_path / "net.json")),
                              inputs=sym.var("data"))
    with pytest.warns(UserWarning, match="deprecated"):
        model.load_params(str(tmp_path / "net.params"))
    onp.testing.assert_allclose(model(x).asnumpy(), y.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(_cells()))
def test_cells_unrolled_on_symbols_are_mxnets(name):
    want = json.loads((DATA / "block_cells.json").read_text())[name]
    cell = _cells()[name]
    steps = 2 if name == "residual" else 3
    with mx.name.NameManager():
        outputs, states = cell.unroll(steps, [sym.var(f"rnn_t{i}_data") for i in range(steps)])
    group = sym.Group(outputs)
    assert sorted(cell.collect_params().keys()) == want["params"]
    assert group.list_outputs() == want["outputs"]
    shapes = group.infer_shape(**{f"rnn_t{i}_data": (10, 50) for i in range(steps)})[1]
    assert [list(s) for s in shapes] == want["shapes"]
    assert [s.list_outputs() for s in states] == want["states"]


@pytest.mark.parametrize("name", sorted(_cells()))
def test_unrolled_graphs_compute_what_the_cells_compute(name):
    cell = _cells()[name]
    steps = 2 if name == "residual" else 3
    outputs, _ = cell.unroll(steps, [sym.var(f"rnn_t{i}_data") for i in range(steps)])
    cell.initialize(mx.init.Uniform(0.3))
    rs = onp.random.RandomState(2)
    xs = [nd.array(rs.uniform(-1, 1, size=(4, 50))) for _ in range(steps)]
    want, _ = cell.unroll(steps, xs)  # predict mode: zoneout and dropout keep every value
    params = {p.name: p.data() for p in cell.collect_params().values()}
    got = sym.Group(outputs).eval(**{f"rnn_t{i}_data": x for i, x in enumerate(xs)},
                                  **params)
    for g, w in zip(got, want):
        onp.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-5, atol=1e-6)


def test_a_merged_symbol_sequence_is_split_and_stacked():
    out, states = rnn.LSTMCell(20, prefix="m_").unroll(3, sym.var("data"), layout="NTC",
                                                        merge_outputs=True)
    assert out.infer_shape(data=(4, 3, 7))[1] == [(4, 3, 20)]
    assert len(states) == 2


def test_unknown_dims_read_as_0_without_numpy_shapes_and_as_minus_1_with_them():
    dense = nn.Dense(3)
    assert dense.weight.shape == (3, 0) and repr(dense) == "Dense(None -> 3, linear)"
    npx.set_np()
    assert dense.weight.shape == (3, -1) and repr(dense) == "Dense(-1 -> 3, linear)"


def test_a_function_without_a_symbol_form_names_itself():
    class Cumulative(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.np.cumsum(x)

    with pytest.raises(NotImplementedError, match=r"F\.np\.cumsum"):
        Cumulative()(sym.var("data"))


def test_loss_sample_weights_are_broadcast_mul_nodes():
    # MXNet 1.9.1's legacy losses (mxref): the sample weight is a broadcast_mul node, so a
    # (N,) weight broadcasts against an (N, 1) loss as mx.mod training code relies on
    p, lab, w = sym.var("p"), sym.var("l"), sym.var("w")
    with mx.name.NameManager():
        out = gluon.loss.SoftmaxCrossEntropyLoss(weight=2.0)(p, lab, w)
    assert out.get_internals().list_outputs() == [
        "p", "softmaxcrossentropyloss0_log_softmax0_output", "l",
        "softmaxcrossentropyloss0_pick0_output", "softmaxcrossentropyloss0__mulscalar0_output",
        "w", "softmaxcrossentropyloss0_broadcast_mul0_output",
        "softmaxcrossentropyloss0__mulscalar1_output", "softmaxcrossentropyloss0_mean0_output"]
    assert out.infer_shape(p=(10, 5), l=(10,), w=(10,))[1] == [(10,)]
    with mx.name.NameManager():  # PoissonNLLLoss's legacy mean is already (1,): no reshape
        out = gluon.loss.PoissonNLLLoss(weight=2.0)(p, lab, w)
    assert out.get_internals().list_outputs() == [
        "p", "poissonnllloss0_exp0_output", "l", "poissonnllloss0_reshape_like0_output",
        "poissonnllloss0__mul0_output", "poissonnllloss0__minus0_output", "w",
        "poissonnllloss0_broadcast_mul0_output", "poissonnllloss0__mulscalar0_output",
        "poissonnllloss0_mean0_output"]


def test_ctc_loss_on_symbols_is_one_ctcloss_node():
    # MXNet 1.9.1 (mxref): pred swapped to TNC, one CTCLoss node (two outputs kept, the loss
    # shown as output0) taking only the lengths given; the loss values are the operator's
    p, lab, ll, w = sym.var("p"), sym.var("l"), sym.var("ll"), sym.var("w")
    with mx.name.NameManager():
        out = gluon.loss.CTCLoss()(p, lab)
    assert out.get_internals().list_outputs() == [
        "p", "ctcloss0_swapaxes0_output", "l", "ctcloss0_ctcloss0_output0"]
    node = json.loads(out.tojson())
    assert node["node_row_ptr"] == [0, 1, 2, 3, 5]
    assert node["nodes"][-1]["attrs"] == {"blank_label": "last", "use_data_lengths": "False",
                                          "use_label_lengths": "False"}
    assert out.infer_shape(p=(10, 20, 5), l=(10, 4))[1] == [(10,)]
    with mx.name.NameManager():
        out = gluon.loss.CTCLoss(layout="TNC", label_layout="TN", weight=2.0)(p, lab, None, ll, w)
    assert out.list_arguments() == ["p", "l", "ll", "w"]
    got = out.eval(p=nd.ones((20, 2, 4)), l=nd.array([[1, 0, -1, -1], [2, 1, 1, -1]]).T,
                   ll=nd.array([2, 3]), w=nd.array([1, 0.5]))[0]
    onp.testing.assert_allclose(got.asnumpy(), [37.656414, 16.505817], rtol=1e-6)


def _stack_of(*cells):
    stack = rnn.SequentialRNNCell()
    for cell in cells:
        stack.add(cell)
    return stack


# md5 of the JSON of MXNet 1.9.1's graph (mxref) for a cell unrolled 3 steps over one Symbol
# `data` (outputs, then states, grouped), built in a fresh NameManager: node names, begin
# states named <prefix>begin_state_<i> with their __layout__, LSTM's Activation node on the
# cell state, GRU's Activation(tanh) candidate
UNROLLED_JSON_MD5 = {
    ("rnn", False, "NTC"): "a571b7eefbcbef4f8bab730d0a8bd4d8",
    ("lstm", True, "TNC"): "b2e872774bfece963b7b085b51530f1f",
    ("lstm", False, "NTC"): "5c45dd0e54aebb1de914636bdc5ec1a7",
    ("gru", False, "NTC"): "ab1d492e2651602e8df9209ac0348425",
    ("gru", True, "TNC"): "d33ba37c95fb3f6803e225d2f1f7c917",
    ("zone", False, "NTC"): "95bc46eb013c4ace590520e513acaa37",
    ("bi", True, "NTC"): "48bfc5d185ffac671181c96280470c7f",
    ("stack", True, "NTC"): "104a431b0d22332db9ab9fe2b42239a3",
    ("drop", True, "NTC"): "5847e1c24e8f50237da09422b878412d",  # one Dropout node, t-1_fwd
    ("lstmp", False, "NTC"): "04f50ba20fe3a491566eb5a1ae9246f5",
    ("lstmp", True, "TNC"): "6cdfa24fd8681d8165204829eb00c2d9",
    ("vdrop", False, "NTC"): "91a4d7f9e775be93aa0754a3fdd29001",
    ("vdrop", True, "NTC"): "45570002eb7a9827064dd0330aa49249",
}
UNROLLED_CELLS = {
    "rnn": lambda: rnn.RNNCell(3, prefix="a_"),
    "lstm": lambda: rnn.LSTMCell(3, prefix="a_"),
    "gru": lambda: rnn.GRUCell(3, prefix="a_"),
    "zone": lambda: rnn.ZoneoutCell(rnn.LSTMCell(3, prefix="a_"), 0.3, 0.2),
    "bi": lambda: rnn.BidirectionalCell(rnn.LSTMCell(2, prefix="l_"),
                                        rnn.LSTMCell(2, prefix="r_")),
    "stack": lambda: _stack_of(rnn.LSTMCell(4, prefix="a_"), rnn.DropoutCell(0.2),
                               rnn.GRUCell(4, prefix="b_")),
    "drop": lambda: rnn.DropoutCell(0.4),
    "lstmp": lambda: gluon.contrib.rnn.LSTMPCell(4, 2, prefix="p_"),
    "vdrop": lambda: gluon.contrib.rnn.VariationalDropoutCell(
        rnn.GRUCell(3, prefix="a_"), drop_inputs=0.2, drop_states=0.3, drop_outputs=0.1),
}


def _unrolled_md5(cell, merge, layout, **kwargs):
    outputs, states = cell.unroll(3, sym.var("data"), layout=layout, merge_outputs=merge,
                                  **kwargs)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    group = sym.Group(outputs + list(states))
    return group, hashlib.md5(group.tojson().encode()).hexdigest()


@pytest.mark.parametrize("key", sorted(UNROLLED_JSON_MD5))
def test_unrolled_cell_graphs_are_mxnets_json(key):
    name, merge, layout = key
    with mx.name.NameManager():
        _, digest = _unrolled_md5(UNROLLED_CELLS[name](), merge, layout)
    assert digest == UNROLLED_JSON_MD5[key]


def test_begin_states_of_symbols_are_named_after_the_cell():
    # MXNet 1.9.1 (mxref): begin_state(func=mx.sym.zeros) names its nodes, per child
    cell = rnn.LSTMCell(3, prefix="q_")
    assert [s.name for s in cell.begin_state(func=sym.zeros, batch_size=2)] == \
        ["q_begin_state_0", "q_begin_state_1"]
    bi = rnn.BidirectionalCell(rnn.GRUCell(2, prefix="l_"), rnn.GRUCell(2, prefix="r_"))
    assert [s.name for s in bi.begin_state(func=sym.zeros)] == \
        ["l_begin_state_0", "r_begin_state_0"]
    onp.testing.assert_array_equal(cell.begin_state(func=nd.ones, batch_size=2)[0].asnumpy(),
                                   onp.ones((2, 3)))


def test_unroll_with_valid_length_on_symbols_is_mxnets_graph():
    # MXNet 1.9.1 (mxref): the last valid states by stack + SequenceLast, the outputs masked
    # by SequenceMask (split again when not merged); a BidirectionalCell reverses the valid
    # part of its inputs (first) and of its backward outputs with SequenceReverse
    vl = sym.var("vl")
    cases = [(lambda: rnn.RNNCell(3, prefix="r_"), True, "NTC",
              "cc65154c1901fd58c77c1b8f23e1b1ed"),
             (lambda: rnn.LSTMCell(2, prefix="l_"), False, "TNC",
              "0c651f31b8e462c3a5ea6bb833f26530"),
             (lambda: rnn.BidirectionalCell(rnn.GRUCell(2, prefix="l_"),
                                            rnn.GRUCell(2, prefix="r_")), True, "NTC",
              "52c01170f0668f41533c3633a58e0a91")]
    with mx.name.NameManager():  # one name counter across the three, as recorded
        for make, merge, layout, want in cases:
            group, digest = _unrolled_md5(make(), merge, layout, valid_length=vl)
            assert digest == want
    outs = group.eval(data=nd.arange(24).reshape((2, 3, 4)) / 24, vl=nd.array([2, 3]),
                      **{f"{p}{k}": nd.ones(shape) * v for p in ("l_", "r_")
                         for k, shape, v in (("i2h_weight", (6, 4), 0.1),
                                             ("i2h_bias", (6,), 0.0),
                                             ("h2h_weight", (6, 2), 0.2),
                                             ("h2h_bias", (6,), 0.0))})
    # MXNet's values (mxref): the padded step of the first sequence is zero
    onp.testing.assert_allclose(
        outs[0].asnumpy()[0],
        [[0.012341, 0.012341, 0.038856, 0.038856], [0.051189, 0.051189, 0.043612, 0.043612],
         [0, 0, 0, 0]], atol=2e-6)


def test_cosine_embedding_loss_on_symbols_is_mxnets_graph():
    # MXNet 1.9.1 (mxref): the legacy graph (norm, full/zeros constants, broadcast_maximum),
    # JSON md5 and values recorded there
    a, b, lab, w = sym.var("a"), sym.var("b"), sym.var("lab"), sym.var("w")
    with mx.name.NameManager():
        out = gluon.loss.CosineEmbeddingLoss(margin=0.1, weight=2.0)(a, b, lab, w)
    assert hashlib.md5(out.tojson().encode()).hexdigest() == "568a80dff230e92a53c4b4e491a37b7f"
    got = out.eval(a=nd.array([[1, 2, 3], [0, 1, -1], [1, 1, 1]]),
                   b=nd.array([[1, 0, 3], [2, 1, 1], [-1, 0, 2]]),
                   lab=nd.array([1, -1, -1]), w=nd.array([[1], [0.5], [2]]))[0]
    onp.testing.assert_allclose(got.asnumpy(), [[0.3096914], [0.0], [0.6327956]], rtol=1e-6)


def test_sync_batch_norm_on_symbols_is_mxnets_node():
    # MXNet 1.9.1 (mxref): one _contrib_SyncBatchNorm node with ndev and key (three outputs
    # kept, as BatchNorm's), named output/mean/var when output_mean_var
    block = gluon.contrib.nn.SyncBatchNorm(in_channels=3, num_devices=2, prefix="sbn_")
    graph = block(sym.var("data"))
    assert hashlib.md5(graph.tojson().encode()).hexdigest() == \
        "11d9b45c5841b4d496f1df8ee74c8fff"
    node = sym.contrib.SyncBatchNorm(sym.var("x"), key="k", output_mean_var=True, name="s")
    assert node.list_outputs() == ["s_output", "s_mean", "s_var"]
