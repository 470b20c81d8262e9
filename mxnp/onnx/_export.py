"""``export_model``: an MXNet graph (a Symbol or its -symbol.json) and its parameters, written as
an ONNX model.

The graph's shapes and dtypes are inferred once (``get_internals().infer_shape``), then each
node, inputs before users, is handed to its converter (``_graph.CONVERTERS``), which appends
ONNX nodes. Data inputs are the graph's inputs without a parameter; parameters become
initializers. Output tensors keep MXNet's node names.
"""
from __future__ import annotations

import logging

import numpy as onp

from ..base import MXNetError
from ..symbol import _node
from . import _nn, _shape, _tensor  # noqa: F401  (they fill the table of converters)
from ._graph import CONVERTERS, ExportError, Graph, Op, tensor_type

_LOG = logging.getLogger(__name__)
OPSETS = (12, 13)
# output layers whose second input is a training label
_LOSS_LAYERS = frozenset({"SoftmaxOutput", "Softmax", "LinearRegressionOutput",
                          "LogisticRegressionOutput", "MAERegressionOutput"})


def require_onnx(what: str):
    """The ``onnx`` module, or an ImportError telling how to install it."""
    try:
        import onnx  # optional dependency, imported only when a model is exported
    except ImportError as err:
        raise ImportError(f"{what} needs the onnx package: pip install mxnp[onnx]") from err
    return onnx


def default_opset(onnx) -> int:
    """13 where the installed onnx knows it (the highest whose operators are written here)."""
    return 13 if onnx.defs.onnx_opset_version() >= 13 else 12


def export_model(sym, params, in_shapes=None, in_types=onp.float32, onnx_file_path="model.onnx",
                 verbose=False, dynamic=False, dynamic_input_shapes=None,
                 run_shape_inference=False, input_type=None, input_shape=None):
    """Export an MXNet model to ONNX and return ``onnx_file_path``.

    ``sym``: a Symbol or the path of a -symbol.json. ``params``: a dict of the parameters (MXNet's
    ``arg:``/``aux:`` prefixes allowed), ``[arg_params, aux_params]``, or the path of a .params
    file. ``in_shapes``: one shape per data input (the graph's inputs that are not
    parameters), in ``list_inputs()`` order; ``in_types``: one dtype, or one per data input.
    ``dynamic``: the data inputs get unknown dims (``dynamic_input_shapes`` gives them, None for an
    unknown dim). ``run_shape_inference`` runs ONNX's shape inference on the result.
    ``input_type``/``input_shape`` are the older names of ``in_types``/``in_shapes``.
    """
    onnx = require_onnx("export_model")
    in_types = in_types if input_type is None else input_type
    in_shapes = in_shapes if input_shape is None else input_shape
    model = to_onnx(onnx, _load_symbol(sym), _load_params(params), in_shapes, in_types,
                    default_opset(onnx), dynamic, dynamic_input_shapes, verbose)
    if run_shape_inference:
        model = onnx.shape_inference.infer_shapes(model)
    onnx.save_model(model, onnx_file_path)
    return onnx_file_path


def _load_symbol(sym):
    from .. import symbol  # layer 5 below us; the package is imported here on first use
    if isinstance(sym, str):
        return symbol.load(sym)
    if not hasattr(sym, "_outputs"):
        raise TypeError(f"export_model: sym must be a Symbol or a -symbol.json path, "
                        f"not {type(sym).__name__}")
    return sym


def _load_params(params) -> dict:
    if isinstance(params, str):
        from ..ndarray import utils  # mx.nd.load reads MXNet's .params files
        params = utils.load(params)
    if isinstance(params, (list, tuple)):
        merged = {}
        for part in params:
            merged.update(part)
        params = merged
    if not isinstance(params, dict):
        raise TypeError(f"export_model: params must be a dict, [arg_params, aux_params] or a "
                        f".params path, not {type(params).__name__}")
    out = {}
    for key, value in params.items():
        name = key.split(":", 1)[1] if key.startswith(("arg:", "aux:")) else key
        out[name] = value.asnumpy() if hasattr(value, "asnumpy") else onp.asarray(value)
    return out


def _data_specs(data, weights, in_shapes, in_types):
    """{data input: (shape, dtype)}, checking that every data input has a shape."""
    if in_shapes is None:
        raise ValueError(f"export_model: in_shapes is required (one shape for each data input "
                         f"{data})")
    in_shapes = [tuple(s) for s in in_shapes]
    if len(in_shapes) != len(data):
        raise ValueError(f"export_model: {len(in_shapes)} shape(s) in in_shapes for the "
                         f"{len(data)} inputs without a parameter {data}; a missing parameter "
                         f"counts as a data input")
    types = in_types if isinstance(in_types, (list, tuple)) else [in_types] * len(data)
    if len(types) != len(data):
        raise ValueError(f"export_model: {len(types)} dtype(s) in in_types for the data inputs "
                         f"{data}")
    return {name: (shape, onp.dtype(t)) for name, shape, t in zip(data, in_shapes, types)}


def _infer(symbol, specs, weights):
    """{(node id, output index): (shape, dtype)} over the whole graph."""
    internals = symbol.get_internals()
    shapes = {**{k: s for k, (s, _) in specs.items()}, **{k: w.shape for k, w in weights.items()}}
    types = {**{k: t for k, (_, t) in specs.items()}, **{k: w.dtype for k, w in weights.items()}}
    arguments = set(internals.list_inputs())
    try:
        _, out_shapes, _ = internals.infer_shape(**{k: v for k, v in shapes.items()
                                                    if k in arguments})
        _, out_types, _ = internals.infer_type(**{k: v for k, v in types.items()
                                                  if k in arguments})
    except (MXNetError, ValueError, TypeError) as err:
        raise ValueError(f"export_model: the graph's shapes cannot be inferred from in_shapes "
                         f"{[s for s, _ in specs.values()]}: {err}") from err
    if out_shapes is None or out_types is None:
        raise ValueError(f"export_model: the graph's shapes cannot be inferred from in_shapes "
                         f"{[s for s, _ in specs.values()]}")
    return {(id(node), i): (tuple(shape), onp.dtype(dtype))
            for (node, i), shape, dtype in zip(internals._outputs, out_shapes, out_types)}


def _labels(order) -> set:
    """The variables read only as the label of an output layer: inference drops them."""
    readers = {}
    for node in order:
        for k, (src, _) in enumerate(node.inputs):
            if src.is_variable:
                readers.setdefault(src.name, []).append(node.op in _LOSS_LAYERS and k == 1)
    return {name for name, as_label in readers.items() if all(as_label)}


def _output_names(node) -> list:
    if node.num_outputs == 1:
        return [node.name]
    return [f"{node.name}{i}" for i in range(node.num_outputs)]  # MXNet's names: split0, split1


def to_onnx(onnx, symbol, weights, in_shapes, in_types, opset, dynamic=False,
            dynamic_input_shapes=None, verbose=False):
    """The ONNX ModelProto of ``symbol`` with the parameters ``weights`` (names without
    prefixes -> NumPy arrays); see :func:`export_model` for the other arguments."""
    if opset not in OPSETS:
        raise ValueError(f"export_model: opset {opset} is not supported (only {OPSETS})")
    inputs = symbol.list_inputs()
    order = _node.topo_order(symbol._outputs)
    labels = _labels(order)
    data = [name for name in inputs if name not in weights and name not in labels]
    specs = _data_specs(data, weights, in_shapes, in_types)
    info = _infer(symbol, specs, weights)
    g = Graph(onnx, opset)
    names = {}  # (node id, output index) -> ONNX tensor name
    for node in order:
        g.reserve(node.name)
    for node in order:
        if node.is_variable:  # a label is named too; its layer's converter ignores it
            names[(id(node), 0)] = node.name
            continue
        converter = CONVERTERS.get(node.op)
        if converter is None:
            raise ExportError(f"export_model: operator {node.op} (node '{node.name}') has no "
                              f"ONNX converter; see mx.onnx.get_operator_support()")
        srcs = [(id(src), i) for src, i in node.inputs]
        for src, i in node.inputs:
            if (id(src), i) not in names:
                raise ExportError(f"export_model: node '{node.name}' (operator {node.op}) reads "
                                  f"output {i} of '{src.name}', which is not exported")
        outs = _output_names(node)
        op = Op(node.op, node.name, node.params(), [names[s] for s in srcs],
                [info[s][0] for s in srcs], [info[s][1] for s in srcs], outs,
                [info.get((id(node), i), (None,))[0] for i in range(len(outs))])
        if verbose:
            _LOG.info("converting %s (%s)", node.name, node.op)
        converter(g, op)
        names.update({(id(node), i): out for i, out in enumerate(outs)})
    used = {name for n in g.nodes for name in n.input}
    params = [name for name in dict.fromkeys(inputs) if name in weights and name in used]
    initializers = [onnx.numpy_helper.from_array(onp.ascontiguousarray(weights[name]), name)
                    for name in params]
    # as MXNet, the parameters are graph inputs too (importers of its time look for them there)
    graph_inputs = [_value_info(onnx, name, *specs[name], dynamic,
                                _dynamic_shape(dynamic_input_shapes, data.index(name)))
                    if name in specs else _value_info(onnx, name, weights[name].shape,
                                                      weights[name].dtype)
                    for name in dict.fromkeys(inputs) if name in specs or name in params]
    outputs = [_value_info(onnx, names[(id(node), i)], *info[(id(node), i)], dynamic)
               for node, i in symbol._outputs]
    graph = onnx.helper.make_graph(g.nodes, "mxnet_converted_model", graph_inputs, outputs,
                                   initializers + g.initializers)
    model = onnx.helper.make_model(graph, producer_name="mxnp",
                                   opset_imports=[onnx.helper.make_opsetid("", opset)])
    model.ir_version = 7  # the IR of opsets 12 and 13; runtimes of that time read it
    return model


def _dynamic_shape(dynamic_input_shapes, index):
    return None if dynamic_input_shapes is None else dynamic_input_shapes[index]


def _value_info(onnx, name, shape, dtype, dynamic=False, dynamic_shape=None):
    if dynamic:
        shape = dynamic_shape if dynamic_shape is not None else [None] * len(shape)
    return onnx.helper.make_tensor_value_info(name, tensor_type(onnx, dtype), list(shape))


def get_operator_support(opset_version=None):
    """The MXNet operators ``export_model`` converts, sorted (the same list for opsets 12 and
    13; empty for an opset it does not write)."""
    if opset_version is not None and int(opset_version) < OPSETS[0]:
        return []
    return sorted(CONVERTERS)
