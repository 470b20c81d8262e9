"""``mx.viz`` (``mx.visualization``): a Symbol's layers as a printed table, or as a graphviz drawing.

``print_summary`` prints the table MXNet 1.9.1 prints, character for character, including
its ways of counting: a layer's parameters are counted from the channels of the inputs it
lists as previous layers, and those are the operator nodes plus the graph's first node.
``plot_network`` returns a ``graphviz.Digraph`` with MXNet's node labels and colours; the
``graphviz`` package is optional (``pip install graphviz``).
"""
from __future__ import annotations

import json
import math
import re
import warnings

from .symbol import Symbol

__all__ = ["plot_network", "print_summary"]

_HEADER = ("Layer (type)", "Output Shape", "Param #", "Previous Layer")
# plot_network's fill colours (a ColorBrewer Set3 palette), by kind of node
_INPUT, _LINEAR, _ACTIVATION, _NORM, _POOL, _RESHAPE, _SOFTMAX, _OTHER = (
    "#8dd3c7", "#fb8072", "#ffffb3", "#bebada", "#80b1d3", "#fdb462", "#b3de69", "#fccde5")
_NODE_ATTRS = {"shape": "box", "fixedsize": "true", "width": "1.3", "height": "0.8034",
               "style": "filled"}
_WEIGHT_SUFFIXES = ("_weight", "_bias", "_beta", "_gamma", "_moving_var", "_moving_mean",
                    "_running_var", "_running_mean")


def _numbers(text: str) -> list:
    """The integers written in an attribute (``'(3, 3)'`` -> ``['3', '3']``)."""
    return re.findall(r"\d+", text)


def _require_symbol(symbol, what: str) -> None:
    if not isinstance(symbol, Symbol):
        raise TypeError(f"mx.viz.{what}: expected a Symbol, got {type(symbol).__name__}")


def _output_shapes(symbol: Symbol, shape: dict, what: str) -> dict:
    """Output name -> shape for every output of every node, from the input shapes."""
    if not isinstance(shape, dict):
        raise TypeError(f"mx.viz.{what}: shape must be a dict of input name -> shape, got "
                        f"{type(shape).__name__}")
    internals = symbol.get_internals()
    _, out_shapes, _ = internals.infer_shape(**shape)
    if out_shapes is None:
        raise ValueError(f"mx.viz.{what}: Input shape is incomplete; the shapes {shape} do not "
                         f"determine every shape of the graph")
    return dict(zip(internals.list_outputs(), out_shapes))


def _format_row(fields, positions) -> str:
    """The fields, each cut or padded so that the next one starts at its position."""
    line = ""
    for field, end in zip(fields, positions):
        line = (line + str(field))[:end]
        line += " " * (end - len(line))
    return line


def _layer_params(node: dict, in_channels: int, shapes) -> int:
    """The parameter count print_summary shows for a node; ``in_channels`` is the sum of its
    previous layers' channels (0 without shapes, so only biases are counted then)."""
    op, attrs = node["op"], node.get("attrs", {})
    bias = attrs.get("no_bias") != "True"
    if op == "Convolution":
        filters = int(attrs["num_filter"])
        kernel = math.prod(int(k) for k in _numbers(attrs["kernel"]))
        weights = in_channels * filters // int(attrs.get("num_group", "1")) * kernel
        return weights + (filters if bias else 0)
    if op == "FullyConnected":
        return (in_channels + int(bias)) * int(attrs["num_hidden"])
    if op == "BatchNorm":
        return 2 * shapes[node["name"] + "_output"][1] if shapes is not None else 0
    if op == "Embedding":
        return int(attrs["input_dim"]) * int(attrs["output_dim"])
    return 0


def print_summary(symbol: Symbol, shape: dict | None = None, line_length: int = 120,
                  positions=(.44, .64, .74, 1.)) -> None:
    """Print a table of the layers of ``symbol``: name (operator), output shape without the
    batch axis (given the input ``shape``s), parameter count, and previous layers.

    ``positions`` are where the four columns end, as fractions of ``line_length`` (when the
    last is at most 1) or as character counts.
    """
    _require_symbol(symbol, "print_summary")
    shapes = _output_shapes(symbol, shape, "print_summary") if shape is not None else None
    graph = json.loads(symbol.tojson())
    nodes = graph["nodes"]
    # MXNet reads the first head's [node, output, version] triple as a set of node indices,
    # so a variable counts as a previous layer when its index is among them (node 0 always is)
    head_indices = set(graph["heads"][0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    print("_" * line_length)
    print(_format_row(_HEADER, positions))
    print("=" * line_length)
    total = 0
    for i, node in enumerate(nodes):
        if node["op"] == "null" and i > 0:
            continue
        previous, channels = [], 0
        for j, *_ in node["inputs"]:
            source = nodes[j]
            if source["op"] != "null" or j in head_indices:
                previous.append(source["name"])
                in_shape = _node_shape(source, shapes)
                channels += int(in_shape[0]) if in_shape else 0
        params = _layer_params(node, channels, shapes)
        total += params
        out_shape = _node_shape(node, shapes) or ()
        fields = [f"{node['name']}({node['op']})", "x".join(str(d) for d in out_shape), params,
                  previous[0] if previous else ""]
        print(_format_row(fields, positions))
        for name in previous[1:]:
            print(_format_row(["", "", "", name], positions))
        print(("=" if i == len(nodes) - 1 else "_") * line_length)
    print(f"Total params: {total}")
    print("_" * line_length)


def _node_shape(node: dict, shapes):
    """A node's (first) output shape without the batch axis; None when it is not known."""
    if shapes is None:
        return None
    key = node["name"] if node["op"] == "null" else node["name"] + "_output"
    return shapes[key][1:] if key in shapes else None


def _node_look(node: dict) -> tuple:
    """(label, fill colour) of an operator node in plot_network."""
    op, name, attrs = node["op"], node["name"], node.get("attrs", {})
    if op == "Convolution":
        stride = "x".join(_numbers(attrs["stride"])) if "stride" in attrs else "1"
        kernel = "x".join(_numbers(attrs["kernel"]))
        return f"Convolution\n{kernel}/{stride}, {attrs['num_filter']}", _LINEAR
    if op == "FullyConnected":
        return f"FullyConnected\n{attrs['num_hidden']}", _LINEAR
    if op == "BatchNorm":
        return name, _NORM
    if op in ("Activation", "LeakyReLU"):
        act = attrs["act_type"] if op == "Activation" else attrs.get("act_type", "Leaky")
        return f"{op}\n{act}", _ACTIVATION
    if op == "Pooling":
        kernel = "x".join(_numbers(attrs["kernel"])) if "kernel" in attrs else "[]"
        stride = "x".join(_numbers(attrs["stride"])) if "stride" in attrs else "1"
        return f"Pooling\n{attrs['pool_type']}, {kernel}/{stride}", _POOL
    if op in ("Concat", "Flatten", "Reshape"):
        return name, _RESHAPE
    if op == "Softmax":
        return name, _SOFTMAX
    return (attrs["op_type"] if op == "Custom" else name), _OTHER


def _edge_label(source: dict, shapes, types) -> str:
    """The label of an edge from ``source``: its output's shape without the batch axis and
    dtype, as far as they were asked for."""
    key = source["name"]
    if source["op"] != "null":
        key += "_output"
        if "num_outputs" in source.get("attrs", {}):  # MXNet labels a split by its last output
            key += str(int(source["attrs"]["num_outputs"]) - 1)
    label = ""
    if shapes is not None:
        label = "x".join(str(d) for d in shapes.get(key, ())[1:])
    if types is not None and key in types:
        label += f"({types[key].__name__})"
    return label


def _output_types(symbol: Symbol, dtype: dict) -> dict:
    """Output name -> dtype (a NumPy scalar type) for every output, from the input dtypes."""
    if not isinstance(dtype, dict):
        raise TypeError(f"mx.viz.plot_network: dtype must be a dict of input name -> dtype, "
                        f"got {type(dtype).__name__}")
    internals = symbol.get_internals()
    _, out_types, _ = internals.infer_type(**dtype)
    if out_types is None:
        raise ValueError(f"mx.viz.plot_network: Input type is incomplete; the dtypes {dtype} "
                         "do not determine every dtype of the graph")
    return dict(zip(internals.list_outputs(), out_types))


def _warn_repeated_names(nodes: list) -> None:
    names = [n["name"] for n in nodes]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        warnings.warn(f"mx.viz.plot_network: several nodes are named {', '.join(repeated)}; "
                      "graphviz draws them as one node, so the drawing may show a cycle",
                      RuntimeWarning, stacklevel=3)


def _draw_nodes(dot, nodes: list, attrs: dict, hide_weights: bool) -> set:
    """Add the nodes to ``dot``; returns the names of the weights whose edges are hidden."""
    hidden = set()
    for node in nodes:
        name = node["name"]
        if node["op"] == "null":
            if name.endswith(_WEIGHT_SUFFIXES):
                # not drawn; with hide_weights=False its edges still are (graphviz then draws
                # it as a plain oval)
                if hide_weights:
                    hidden.add(name)
                continue
            label, attr = name, {**attrs, "shape": "oval", "fillcolor": _INPUT}
        else:
            label, colour = _node_look(node)
            attr = {**attrs, "fillcolor": colour}
        dot.node(name=name, label=label, **attr)
    return hidden


def _draw_edges(dot, nodes: list, hidden: set, shapes, types) -> None:
    """Add an edge from each operator node back to each of its inputs not ``hidden``."""
    for node in nodes:
        if node["op"] == "null":
            continue
        inputs = node["inputs"]
        if node["op"] == "_contrib_BilinearResize2D":
            inputs = inputs[:1]  # MXNet draws only its data input
        for j, *_ in inputs:
            source = nodes[j]
            if source["name"] not in hidden:
                dot.edge(tail_name=node["name"], head_name=source["name"], dir="back",
                         arrowtail="open", label=_edge_label(source, shapes, types))


def plot_network(symbol: Symbol, title: str = "plot", save_format: str = "pdf",
                 shape: dict | None = None, dtype: dict | None = None, node_attrs=None,
                 hide_weights: bool = True):
    """A ``graphviz.Digraph`` of the graph of ``symbol``, each edge drawn from a node back to
    its input, labelled with the shape (without the batch axis) and dtype when ``shape`` /
    ``dtype`` give the inputs'. ``node_attrs`` are graphviz attributes for every node;
    ``hide_weights`` leaves out the edges to weights, biases and BatchNorm statistics.

    Needs the ``graphviz`` Python package (``pip install graphviz``), and Graphviz's ``dot``
    program to render the result.
    """
    try:
        from graphviz import Digraph  # optional: only drawing needs it
    except ImportError as e:
        raise ImportError("mx.viz.plot_network: drawing a network needs the graphviz Python "
                          "package; install it with `pip install graphviz` (and Graphviz's "
                          "`dot` program, e.g. `apt-get install graphviz`, to render)") from e
    _require_symbol(symbol, "plot_network")
    shapes = _output_shapes(symbol, shape, "plot_network") if shape is not None else None
    types = _output_types(symbol, dtype) if dtype is not None else None
    nodes = json.loads(symbol.tojson())["nodes"]
    _warn_repeated_names(nodes)
    dot = Digraph(name=title, format=save_format)
    hidden = _draw_nodes(dot, nodes, {**_NODE_ATTRS, **(node_attrs or {})}, hide_weights)
    _draw_edges(dot, nodes, hidden, shapes, types)
    return dot
