"""ONNX -> MXNet: ``import_model``, ``import_to_gluon`` and ``get_model_metadata`` of
``mx.contrib.onnx``, for the operators MXNet's CNNs and MLPs are made of (those ``export_model``
writes for them).

Each ONNX node becomes the MXNet 1.x operator that computes it, named after its first output
(so a model exported by ``export_model`` comes back with its node names). Initializers read as
weights become variables with their values in ``arg_params`` (BatchNorm's statistics in
``aux_params``); initializers read as settings (Clip's bounds, Reshape's shape, axes, pads,
scales) become attributes.
"""
from __future__ import annotations

import numpy as onp

from ._export import require_onnx

_ACTIVATIONS = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softrelu",
                "Softsign": "softsign"}
_BROADCAST = {"Add": "broadcast_add", "Sub": "broadcast_sub", "Mul": "broadcast_mul",
              "Div": "broadcast_div", "Pow": "broadcast_power", "Max": "broadcast_maximum",
              "Min": "broadcast_minimum"}
_UNARY = {"Exp": "exp", "Log": "log", "Sqrt": "sqrt", "Abs": "abs", "Neg": "negative",
          "Reciprocal": "reciprocal", "Floor": "floor", "Ceil": "ceil", "Erf": "erf",
          "Identity": "identity", "Dropout": "identity"}
_REDUCE = {"ReduceSum": "sum", "ReduceMean": "mean", "ReduceMax": "max", "ReduceMin": "min",
           "ReduceProd": "prod"}


class _Importer:
    """The state of one import: the Symbols made so far, by ONNX tensor name."""

    def __init__(self, onnx, graph):
        from .. import ndarray, symbol  # layer 5; the package is imported here on first use
        self.sym, self.nd = symbol, ndarray
        self.consts = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
        self.tensors = {i.name: symbol.var(i.name) for i in graph.input
                        if i.name not in self.consts}
        self.arg_params, self.aux_params = {}, {}
        self.reshaped = {}  # an Unsqueeze's output of a weight -> the weight's name

    def tensor(self, name, aux=False):
        """The Symbol of tensor ``name``; an initializer becomes a parameter on first use."""
        if name not in self.tensors:
            if name not in self.consts:
                raise ValueError(f"import_model: tensor '{name}' is used before it is made")
            self.tensors[name] = self.sym.var(name)
            (self.aux_params if aux else self.arg_params)[name] = self.nd.array(self.consts[name])
        return self.tensors[name]

    def const(self, name, what: str, node):
        if name not in self.consts:
            raise ValueError(f"import_model: node '{node.name or node.output[0]}' "
                             f"({node.op_type}): its {what} must be an initializer")
        return self.consts[name]


def _attrs(onnx, node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _axes(imp, node, attrs):
    if "axes" in attrs:
        return tuple(attrs["axes"])
    if len(node.input) > 1 and node.input[1]:
        return tuple(int(a) for a in imp.const(node.input[1], "axes", node))
    return None


def _symmetric_pads(node, attrs, rank):
    pads = list(attrs.get("pads", [0] * 2 * rank))
    if pads[:rank] != pads[rank:]:
        raise ValueError(f"import_model: node '{node.output[0]}' ({node.op_type}): asymmetric "
                         f"pads {pads} have no MXNet equivalent")
    return tuple(pads[:rank])


def _convert(imp, node, attrs, x, name):
    """The Symbol computing ``node`` (whose inputs' Symbols are ``x``)."""
    sym, op = imp.sym, node.op_type
    if op in ("Conv", "ConvTranspose"):
        weight = imp.const(node.input[1], "weight", node)
        kernel = tuple(attrs.get("kernel_shape", weight.shape[2:]))
        group = attrs.get("group", 1)
        common = {"kernel": kernel, "stride": tuple(attrs.get("strides", (1,) * len(kernel))),
                  "dilate": tuple(attrs.get("dilations", (1,) * len(kernel))),
                  "pad": _symmetric_pads(node, attrs, len(kernel)), "num_group": group,
                  "no_bias": len(x) < 3, "name": name}
        if op == "Conv":
            return sym.Convolution(*x, num_filter=weight.shape[0], **common)
        return sym.Deconvolution(*x, num_filter=weight.shape[1] * group,
                                 adj=tuple(attrs.get("output_padding", (0,) * len(kernel))),
                                 **common)
    if op == "BatchNormalization":
        return sym.BatchNorm(x[0], x[1], x[2], imp.tensor(node.input[3], aux=True),
                             imp.tensor(node.input[4], aux=True), eps=attrs.get("epsilon", 1e-5),
                             momentum=attrs.get("momentum", 0.9), fix_gamma=False, name=name)
    if op == "Gemm":
        if attrs.get("transA", 0) or not attrs.get("transB", 0) \
                or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
            raise ValueError(f"import_model: node '{name}' (Gemm): only A * B^T + C is supported")
        weight = imp.const(node.input[1], "weight", node)
        return sym.FullyConnected(*x, num_hidden=weight.shape[0], no_bias=len(x) < 3, name=name)
    if op == "MatMul":  # MXNet's dot: the second operand a matrix
        return sym.dot(*x, name=name)
    if op in ("MaxPool", "AveragePool", "GlobalMaxPool", "GlobalAveragePool"):
        kind = "max" if "Max" in op else "avg"
        if op.startswith("Global"):
            return sym.Pooling(x[0], kernel=(1, 1), global_pool=True, pool_type=kind, name=name)
        kernel = tuple(attrs["kernel_shape"])
        extra = {"count_include_pad": bool(attrs.get("count_include_pad", 0))} \
            if kind == "avg" else {}
        return sym.Pooling(x[0], kernel=kernel, pool_type=kind, name=name,
                           stride=tuple(attrs.get("strides", (1,) * len(kernel))),
                           pad=_symmetric_pads(node, attrs, len(kernel)),
                           pooling_convention="full" if attrs.get("ceil_mode") else "valid",
                           **extra)
    if op in _ACTIVATIONS:
        return sym.Activation(x[0], act_type=_ACTIVATIONS[op], name=name)
    if op in ("LeakyRelu", "Elu"):
        act = "leaky" if op == "LeakyRelu" else "elu"
        return sym.LeakyReLU(x[0], act_type=act, slope=attrs.get("alpha", 0.01 if act == "leaky"
                                                                   else 1.0), name=name)
    if op == "PRelu":
        return sym.LeakyReLU(*x, act_type="prelu", name=name)
    if op in _BROADCAST:
        return getattr(sym, _BROADCAST[op])(*x, name=name)
    if op in _UNARY:
        return getattr(sym, _UNARY[op])(x[0], name=name)
    if op == "Sum":
        return sym.add_n(*x, name=name)
    if op == "Flatten":
        if attrs.get("axis", 1) != 1:
            raise ValueError(f"import_model: node '{name}' (Flatten): only axis=1 is supported")
        return sym.Flatten(x[0], name=name)
    if op == "Concat":
        return sym.Concat(*x, dim=attrs["axis"], name=name)
    if op == "Clip":
        bounds = [float(imp.const(n, "bound", node)) if n else None for n in node.input[1:3]]
        bounds += [None] * (2 - len(bounds))
        low = attrs.get("min", bounds[0] if bounds[0] is not None else -onp.inf)
        high = attrs.get("max", bounds[1] if bounds[1] is not None else onp.inf)
        return sym.clip(x[0], low, high, name=name)
    if op in ("Softmax", "LogSoftmax"):
        fn = sym.softmax if op == "Softmax" else sym.log_softmax
        return fn(x[0], axis=attrs.get("axis", -1), name=name)
    if op == "Reshape":
        shape = tuple(int(d) for d in imp.const(node.input[1], "shape", node))
        return sym.Reshape(x[0], shape=shape, name=name)
    if op == "Transpose":
        return sym.transpose(x[0], axes=tuple(attrs.get("perm", ())), name=name)
    if op in ("Unsqueeze", "Squeeze"):
        axes = _axes(imp, node, attrs)
        if op == "Squeeze":
            return sym.squeeze(x[0], axis=axes, name=name)
        out = x[0]
        for i, axis in enumerate(sorted(axes)):
            out = sym.expand_dims(out, axis=axis, name=name if i == len(axes) - 1 else None)
        return out
    if op in _REDUCE:
        return getattr(sym, _REDUCE[op])(x[0], axis=_axes(imp, node, attrs),
                                         keepdims=bool(attrs.get("keepdims", 1)), name=name)
    if op == "LRN":
        return sym.LRN(x[0], alpha=attrs.get("alpha", 1e-4), beta=attrs.get("beta", 0.75),
                       knorm=attrs.get("bias", 1.0), nsize=attrs["size"], name=name)
    raise ValueError(f"import_model: ONNX operator {op} (node '{name}') has no MXNet "
                     f"equivalent here")


def import_model(model_file):
    """Read the ONNX file ``model_file`` as ``(sym, arg_params, aux_params)``: the MXNet graph
    and its parameters (NDArrays), as MXNet 1.9.1's ``mx.contrib.onnx.import_model``."""
    onnx = require_onnx("import_model")
    graph = onnx.load(model_file).graph
    imp = _Importer(onnx, graph)
    for node in graph.node:
        attrs = _attrs(onnx, node)
        if node.op_type == "Constant":
            imp.consts[node.output[0]] = onnx.numpy_helper.to_array(attrs["value"])
            continue
        if node.op_type == "Unsqueeze" and node.input[0] in imp.consts:  # a reshaped weight
            imp.reshaped[node.output[0]] = imp.reshaped.get(node.input[0], node.input[0])
            imp.consts[node.output[0]] = imp.consts[node.input[0]]
            continue
        if node.op_type == "PRelu":  # MXNet's gamma has one value per channel
            node.input[1] = imp.reshaped.get(node.input[1], node.input[1])
            imp.consts[node.input[1]] = imp.const(node.input[1], "slope", node).reshape(-1)
        aux_reads = (3, 4) if node.op_type == "BatchNormalization" else ()
        settings = {"Clip": (1, 2), "Reshape": (1,), "Unsqueeze": (1,), "Squeeze": (1,),
                    **dict.fromkeys(_REDUCE, (1,))}.get(node.op_type, ())
        x = [imp.tensor(n) for k, n in enumerate(node.input)
             if n and k not in settings and k not in aux_reads]
        imp.tensors[node.output[0]] = _convert(imp, node, attrs, x, node.output[0])
    outputs = [imp.tensors[o.name] for o in graph.output]
    sym = outputs[0] if len(outputs) == 1 else imp.sym.Group(outputs)
    return sym, imp.arg_params, imp.aux_params


def get_model_metadata(model_file) -> dict:
    """The data inputs (name, shape, ONNX element type) and outputs (name, shape) of an ONNX
    file, under MXNet's keys ``input_tensor_data`` and ``output_tensor_data``."""
    onnx = require_onnx("get_model_metadata")
    graph = onnx.load(model_file).graph
    consts = {t.name for t in graph.initializer}

    def shape(value):
        return tuple(d.dim_value if d.HasField("dim_value") else None
                     for d in value.type.tensor_type.shape.dim)
    return {"input_tensor_data": [(i.name, shape(i), i.type.tensor_type.elem_type)
                                  for i in graph.input if i.name not in consts],
            "output_tensor_data": [(o.name, shape(o)) for o in graph.output]}


def import_to_gluon(model_file, ctx):
    """The ONNX file ``model_file`` as a ``gluon.SymbolBlock`` with its parameters loaded on
    ``ctx``."""
    from .. import gluon, symbol  # layer 6 beside us, imported on first use
    sym, arg_params, aux_params = import_model(model_file)
    data = [name for name, _, _ in get_model_metadata(model_file)["input_tensor_data"]]
    net = gluon.SymbolBlock(outputs=sym, inputs=[symbol.var(name) for name in data])
    params = {**arg_params, **aux_params}
    for name, param in net.collect_params().items():
        param._load_init(params[name], ctx)
    return net
