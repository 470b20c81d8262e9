"""mx.viz: print_summary's text and plot_network's nodes and edges, against MXNet 1.9.1.

The expected texts in tests/data/viz/ were printed by MXNet 1.9.1 (mxref) for the same graphs:
``*.txt`` by print_summary, ``*.gv`` the source of plot_network's Digraph (graphviz 0.8.4).
plot_network runs here with a stand-in graphviz module that records its calls, so the test
needs no graphviz; the records are compared with the nodes and edges of MXNet's source.
"""
import pathlib
import re
import sys
import types

import numpy as onp
import pytest

import mxnp as mx
from mxnp.gluon import nn

DATA = pathlib.Path(__file__).parent.parent / "data" / "viz"


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def _mlp():
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=128, name="fc1")
    act1 = mx.sym.Activation(fc1, act_type="relu", name="relu1")
    fc2 = mx.sym.FullyConnected(act1, num_hidden=10, name="fc2")
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def _conv_net(split=False):
    data = mx.sym.var("data")
    c1 = mx.sym.Convolution(data, kernel=(3, 3), num_filter=8, pad=(1, 1), name="conv1")
    b1 = mx.sym.BatchNorm(c1, name="bn1")
    a1 = mx.sym.Activation(b1, act_type="relu", name="relu1")
    p1 = mx.sym.Pooling(a1, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    c2 = mx.sym.Convolution(p1, kernel=(3, 3), num_filter=16, stride=(2, 2), no_bias=True,
                            name="conv2")
    a2 = mx.sym.LeakyReLU(c2, act_type="leaky", name="lrelu")
    p2 = mx.sym.Pooling(a2, global_pool=True, kernel=(1, 1), pool_type="avg", name="pool2")
    f = mx.sym.Flatten(p2, name="flat")
    if not split:
        fc = mx.sym.FullyConnected(f, num_hidden=10, name="fc")
        return mx.sym.SoftmaxOutput(fc, name="softmax")
    sp = mx.sym.split(f, num_outputs=2, axis=1, name="sp")
    fc = mx.sym.FullyConnected(sp[1], num_hidden=10, name="fc")
    sm = mx.sym.softmax(fc, name="sm")
    return mx.sym.SoftmaxOutput(sm, name="softmax")


def _two_inputs():
    a, b = mx.sym.var("a"), mx.sym.var("b")
    x = (mx.sym.FullyConnected(a, num_hidden=4, name="fa") +
         mx.sym.FullyConnected(b, num_hidden=4, name="fb"))
    return a, x, mx.sym.concat(x, a, dim=1, name="cat")


def _printed(capsys, symbol, **kwargs) -> str:
    mx.viz.print_summary(symbol, **kwargs)
    return capsys.readouterr().out


@pytest.mark.parametrize(("fname", "kwargs"), [
    ("mlp_shape.txt", {"shape": {"data": (1, 784)}}),
    ("mlp_noshape.txt", {}),  # without shapes MXNet counts only the biases
    ("mlp_narrow.txt", {"shape": {"data": (1, 784)}, "line_length": 80,
                        "positions": [.3, .6, .8, 1.]}),
])
def test_print_summary_mlp_is_mxnets_text(capsys, fname, kwargs):
    assert _printed(capsys, _mlp(), **kwargs) == (DATA / fname).read_text()


@pytest.mark.parametrize(("fname", "shape"), [
    ("conv_shape.txt", {"data": (2, 3, 16, 16)}), ("conv_noshape.txt", None)])
def test_print_summary_conv_net_with_batchnorm_and_pooling(capsys, fname, shape):
    assert _printed(capsys, _conv_net(), shape=shape) == (DATA / fname).read_text()


def test_print_summary_lists_every_previous_layer(capsys):
    a, x, cat = _two_inputs()
    z = mx.sym.Embedding(mx.sym.var("idx"), input_dim=5, output_dim=3, name="emb")
    shapes = {"a": (2, 4), "b": (2, 4)}
    # fb's input b is no previous layer (only operators and the graph's first node are), so
    # MXNet counts only fb's bias; the group's second output, emb, shows no previous layer
    assert _printed(capsys, mx.sym.Group([cat, z]), shape={**shapes, "idx": (2,)}) == \
        (DATA / "two_inputs_group.txt").read_text()
    assert _printed(capsys, cat, shape=shapes, positions=[30, 50, 60, 80], line_length=80) == \
        (DATA / "two_inputs_absolute.txt").read_text()
    assert _printed(capsys, x * 2, shape=shapes) == (DATA / "scalar_op.txt").read_text()
    assert _printed(capsys, a) == (DATA / "variable_only.txt").read_text()


def test_print_summary_of_a_gluon_block_called_on_a_symbol(capsys):
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                nn.MaxPool2D(), nn.Flatten(), nn.Dense(5))
    out = net(mx.sym.var("data"))
    assert _printed(capsys, out, shape={"data": (1, 2, 8, 8)}) == \
        (DATA / "gluon_block.txt").read_text()


def test_print_summary_bad_input():
    with pytest.raises(TypeError, match="print_summary: expected a Symbol, got int"):
        mx.viz.print_summary(3)
    _, _, cat = _two_inputs()
    with pytest.raises(ValueError, match="Input shape is incomplete"), \
            pytest.warns(UserWarning, match="Cannot decide shape"):
        mx.viz.print_summary(cat, shape={"a": (2, 4)})
    with pytest.raises(TypeError, match="shape must be a dict"):
        mx.viz.print_summary(cat, shape=[(2, 4)])


def test_viz_is_visualization():
    assert mx.viz is mx.visualization


# ---- plot_network ------------------------------------------------------------------------------
class _Digraph:
    """Records what plot_network asks of graphviz.Digraph."""

    def __init__(self, name=None, format=None):
        self.name, self.format, self.nodes, self.edges = name, format, [], []

    def node(self, name, label=None, **attrs):
        self.nodes.append((name, label, attrs))

    def edge(self, tail_name, head_name, **attrs):
        self.edges.append((tail_name, head_name, attrs))


@pytest.fixture
def fake_graphviz(monkeypatch):
    module = types.ModuleType("graphviz")
    module.Digraph = _Digraph
    monkeypatch.setitem(sys.modules, "graphviz", module)


def _dot_attrs(text: str) -> dict:
    pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)', text)
    return {k: v[1:-1] if v.startswith('"') else v for k, v in pairs}


def _parse_source(text: str):
    """(nodes, edges) of a Digraph's source as graphviz 0.8.4 writes it."""
    nodes, edges = [], []
    for m in re.finditer(r"^\t(\w+)(?: -> (\w+))? \[(.*?)\]$", text, flags=re.MULTILINE | re.DOTALL):
        attrs = _dot_attrs(m.group(3))
        if m.group(2):
            edges.append((m.group(1), m.group(2), attrs))
        else:
            nodes.append((m.group(1), attrs.pop("label"), attrs))
    return nodes, edges


def _recorded(dot):
    return dot.nodes, dot.edges


def test_plot_network_without_graphviz_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz now raises
    with pytest.raises(ImportError, match="pip install graphviz"):
        mx.viz.plot_network(_mlp())


@pytest.mark.usefixtures("fake_graphviz")
def test_plot_network_labels_colours_and_shape_edges_are_mxnets():
    dot = mx.viz.plot_network(_conv_net(split=True), shape={"data": (2, 3, 16, 16)})
    assert (dot.name, dot.format) == ("plot", "pdf")
    # the edge from fc to the split is labelled with the split's last output (as MXNet)
    assert _recorded(dot) == _parse_source((DATA / "plot_conv_shape.gv").read_text())


@pytest.mark.usefixtures("fake_graphviz")
def test_plot_network_dtypes_node_attrs_and_shown_weights():
    dot = mx.viz.plot_network(_conv_net(split=True), title="t", save_format="png",
                              hide_weights=False, dtype={"data": onp.float32},
                              node_attrs={"shape": "oval", "fixedsize": "false"})
    assert (dot.name, dot.format) == ("t", "png")
    assert _recorded(dot) == _parse_source((DATA / "plot_conv_dtype.gv").read_text())


@pytest.mark.usefixtures("fake_graphviz")
def test_plot_network_warns_of_repeated_names_and_checks_input():
    x, y = mx.sym.var("x"), mx.sym.var("x")
    with pytest.warns(RuntimeWarning, match="several nodes are named x"):
        dot = mx.viz.plot_network(x + y)
    assert [n for n, *_ in dot.nodes] == ["x", "x", "_plus0"]
    assert dot.edges == [("_plus0", "x", {"dir": "back", "arrowtail": "open", "label": ""})] * 2
    with pytest.raises(TypeError, match="plot_network: expected a Symbol, got str"):
        mx.viz.plot_network("x")
