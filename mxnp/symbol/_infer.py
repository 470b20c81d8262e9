"""Shape and type inference for Symbols. Parameter shapes come from the data shape by the rules
of the layers that own them (FullyConnected's weight is (num_hidden, in_units), ...); every
other shape comes from running the node's operator on zero arrays of the input shapes."""
from __future__ import annotations

import math
import warnings

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._mode import is_np_shape
from ..base import MXNetError
from . import _opdefs
from ._json import FLAG_DTYPES
from ._node import topo_order


def _fc(a, data):
    units = math.prod(data[1:]) if a.get("flatten", True) else data[-1]
    return {"weight": (a["num_hidden"], units), "bias": (a["num_hidden"],)}


def _conv(a, data):
    kernel, group = tuple(a["kernel"]), a.get("num_group", 1)
    channels = data[-1] if str(a.get("layout", "NCHW")).endswith("C") else data[1]
    if str(a.get("layout") or "").endswith("C"):
        weight = (a["num_filter"], *kernel, channels // group)
    else:
        weight = (a["num_filter"], channels // group, *kernel)
    return {"weight": weight, "bias": (a["num_filter"],)}


def _deconv(a, data):
    kernel, group = tuple(a["kernel"]), a.get("num_group", 1)
    return {"weight": (data[1], a["num_filter"] // group, *kernel), "bias": (a["num_filter"],)}


def _channels(default_axis):
    def rule(a, data):
        c = (data[a.get("axis", default_axis)],)
        return {k: c for k in ("gamma", "beta", "moving_mean", "moving_var")}
    return rule


# operator -> rule(parsed attributes, data shape) -> {input name: shape}
_PARAM_RULES = {
    "FullyConnected": _fc, "Convolution": _conv, "Deconvolution": _deconv,
    "BatchNorm": _channels(1), "InstanceNorm": _channels(1), "LayerNorm": _channels(-1),
    "GroupNorm": lambda a, data: {"gamma": (a.get("num_groups", 1),),
                                  "beta": (a.get("num_groups", 1),)},
    "Embedding": lambda a, data: {"weight": (a["input_dim"], a["output_dim"])},
    "LeakyReLU": lambda a, data: {"gamma": (data[1],)},
    # the output layers' labels: one class index per row (per position with multi_output),
    # or a target of the data's shape for the regressions
    "SoftmaxOutput": lambda a, data: {"label": _class_labels(a, data)},
    "SVMOutput": lambda a, data: {"label": data[:-1]},
    "LinearRegressionOutput": lambda a, data: {"label": data},
    "LogisticRegressionOutput": lambda a, data: {"label": data},
    "MAERegressionOutput": lambda a, data: {"label": data},
}


def _class_labels(a, data):
    if a.get("multi_output", False):
        return (data[0], *data[2:]) if len(data) > 2 else (data[0], 1)
    return data[:-1]


def _known(shape) -> bool:
    """A complete shape: under NumPy shape semantics -1 is unknown (0 a real size), in the
    legacy ones 0 is unknown."""
    if shape is None:
        return False
    return all(d >= 0 for d in shape) if is_np_shape() else all(d > 0 for d in shape)


def _given_shapes(symbol, args, kwargs) -> dict:
    names = symbol.list_arguments()
    if len(args) > len(names):
        raise MXNetError(f"infer_shape: {len(args)} positional shapes for the arguments {names}")
    known = dict(zip(names, (tuple(s) for s in args)))
    known.update({k: tuple(v) for k, v in kwargs.items() if v is not None})
    return known


def _run_shapes(node, shapes) -> list:
    """The output shapes of one node: its operator run on zeros of the input shapes."""
    zeros = [np.zeros(s) for s in shapes]
    with autograd.pause(), autograd.predict_mode():
        out = _opdefs.call(node, zeros)
    return [tuple(o.shape) for o in (out if isinstance(out, (list, tuple)) else [out])]


def _infer_node(node, env: dict) -> None:
    """Fill ``env`` (``id(node)`` -> list of shapes or None) for one operator node."""
    shapes = [env[id(n)][i] if env[id(n)] else None for n, i in node.inputs]
    rule = _PARAM_RULES.get(node.op)
    if rule and shapes and _known(shapes[0]) and not all(_known(s) for s in shapes):
        names = _opdefs.input_names(node.op, node.attrs, len(shapes))
        filled = rule(_opdefs.parse(node.op, node.attrs), shapes[0])
        for k, (src, _) in enumerate(node.inputs):
            if not _known(shapes[k]) and names[k] in filled and src.is_variable:
                shapes[k] = tuple(filled[names[k]])
                env[id(src)] = [shapes[k]]
    if all(_known(s) for s in shapes):
        env[id(node)] = _run_shapes(node, shapes)
    elif not is_np_shape() and all(s is not None for s in shapes):
        env[id(node)] = _partial_shapes(node, shapes)
    else:
        env[id(node)] = None


# operators whose inputs all have one shape
_SAME_SHAPE = {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "where",
               "add_n", "ElementWiseSum", "_grad_add"}


def _partial_shapes(node, shapes):
    """Output shapes from inputs with unknown dims (0 in the legacy shape semantics, such as a
    cell's begin state of batch size 0). An operator whose inputs share one shape takes each
    unknown dim from another input, as MXNet's inference does; the others run on zero-size
    arrays, so an unknown dim stays unknown in what they give."""
    if node.op in _SAME_SHAPE and len({len(s) for s in shapes}) == 1:
        merged = tuple(max(dims) for dims in zip(*shapes))
        shapes = [merged] * len(shapes)
    try:
        return _run_shapes(node, shapes)
    except Exception:  # noqa: BLE001 - an operator that cannot run on them leaves them unknown
        return None


# operators that make an array of their ``shape`` attribute (a cell's begin state is one)
_CREATIONS = {"_zeros", "_ones", "_full"}
# one-input operators whose output has the input's shape
_SAME_AS_INPUT = {"Activation", "relu", "sigmoid", "tanh", "softsign", "_copy", "negative",
                  "Dropout"}


def _forward(order, known: dict, fixed: dict) -> dict:
    """``id(node)`` -> its output shapes (None where unknown), created arrays of unknown dims
    taking the shapes in ``fixed``."""
    env = {}
    for node in order:
        if node.is_variable:
            shape = known.get(node.name)
            if shape is None and "__shape__" in node.attrs:
                shape = tuple(_opdefs.parse("null", {"s": node.attrs["__shape__"]})["s"])
            env[id(node)] = [shape] if _known(shape) else env.get(id(node))
        elif id(node) in fixed:
            env[id(node)] = [fixed[id(node)]]
        else:
            _infer_node(node, env)
    return env


def _push(node, index, shape, env, fixed) -> bool:
    """Fill the unknown dims of ``node``'s output ``index`` from ``shape`` (known from a later
    operator), back through shape-keeping operators to the node that made the array; whether
    a created array's shape was found."""
    if node.op in _CREATIONS:
        if id(node) in fixed or len(env[id(node)][0]) != len(shape):
            return False
        fixed[id(node)] = tuple(shape)
        return True
    if not node.inputs:
        return False
    src, i = node.inputs[0]
    have = env.get(id(src)) and env[id(src)][i]
    if not have or _known(have):
        return False
    if node.op in _SAME_AS_INPUT:
        return _push(src, i, shape, env, fixed)
    if node.op == "FullyConnected" and have[0] == 0:  # the batch axis is the output's first
        return _push(src, i, (shape[0], *have[1:]), env, fixed)
    return False


def _resolve_created(order, env, fixed) -> bool:
    """Find the unknown dims of created arrays (MXNet's backward inference, for the operators
    a cell's step applies to its begin states); whether anything was found."""
    found = False
    for node in order:
        if node.op not in _SAME_SHAPE or not all(env.get(id(n)) for n, _ in node.inputs):
            continue
        shapes = [env[id(n)][i] for n, i in node.inputs]
        if None in shapes or len({len(s) for s in shapes}) != 1:
            continue
        merged = tuple(max(dims) for dims in zip(*shapes))
        if _known(merged):
            for (src, i), have in zip(node.inputs, shapes):
                if not _known(have):
                    found |= _push(src, i, merged, env, fixed)
    return found


def created_shapes(symbol_heads, known: dict) -> dict:
    """``id(node)`` -> shape of each array-making node whose ``shape`` has unknown dims (0
    without NumPy shape semantics), found from the inputs' shapes ``known``."""
    order = topo_order(symbol_heads)
    fixed: dict = {}
    if is_np_shape():
        return fixed
    env = _forward(order, known, fixed)
    while _resolve_created(order, env, fixed):
        env = _forward(order, known, fixed)
    return fixed


def infer_shape(symbol, args, kwargs, partial: bool):
    """(argument shapes, output shapes, auxiliary shapes) as MXNet's infer_shape gives them."""
    known = _given_shapes(symbol, args, kwargs)
    order = topo_order(symbol._outputs)
    fixed: dict = {}
    env = _forward(order, known, fixed)
    while not is_np_shape() and _resolve_created(order, env, fixed):
        env = _forward(order, known, fixed)
    nodes = {n.name: n for n in order if n.is_variable}

    def shape_of(node, i=0):
        shape = env[id(node)][i] if env.get(id(node)) else None
        return shape if _known(shape) else None

    arg = [shape_of(nodes[n]) for n in symbol.list_arguments()]
    out = [shape_of(n, i) for n, i in symbol._outputs]
    aux = [shape_of(nodes[n]) for n in symbol.list_auxiliary_states()]
    if not partial and any(s is None for s in arg + out + aux):
        warnings.warn("Cannot decide shape for the following arguments (0s in shape means "
                      "unknown dimensions). Consider providing them as input:" +
                      "".join(f"\n\t{n}: {_unknown()}" for n, s in
                              zip(symbol.list_arguments(), arg) if s is None),
                      stacklevel=3)
        return None, None, None
    fix = (lambda shapes: [_unknown() if s is None else s for s in shapes])
    return fix(arg), fix(out), fix(aux)


def _unknown():
    """An unknown shape as MXNet shows it: None under NumPy shape semantics, () otherwise."""
    return None if is_np_shape() else ()


def infer_type(symbol, args, kwargs):
    """(argument dtypes, output dtypes, auxiliary dtypes): every array takes the given dtype
    (or its variable's ``__dtype__``); mxnp's operators keep the input's floating dtype."""
    names = symbol.list_arguments()
    given = dict(zip(names, args))
    given.update({k: v for k, v in kwargs.items() if v is not None})
    if not given:
        return None, None, None
    default = onp.dtype(next(iter(given.values()))).type
    nodes = {n.name: n for n in topo_order(symbol._outputs) if n.is_variable}

    def dtype_of(name):
        if name in given:
            return onp.dtype(given[name]).type
        flag = nodes[name].attrs.get("__dtype__")
        return onp.dtype(FLAG_DTYPES[int(flag)]).type if flag is not None else default

    return ([dtype_of(n) for n in names], [default] * len(symbol._outputs),
            [dtype_of(n) for n in symbol.list_auxiliary_states()])
