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
}


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
    env[id(node)] = _run_shapes(node, shapes) if all(_known(s) for s in shapes) else None


def infer_shape(symbol, args, kwargs, partial: bool):
    """(argument shapes, output shapes, auxiliary shapes) as MXNet's infer_shape gives them."""
    known = _given_shapes(symbol, args, kwargs)
    env = {}
    for node in topo_order(symbol._outputs):
        if node.is_variable:
            shape = known.get(node.name)
            if shape is None and "__shape__" in node.attrs:
                shape = tuple(_opdefs.parse("null", {"s": node.attrs["__shape__"]})["s"])
            env[id(node)] = [shape] if _known(shape) else env.get(id(node))
        else:
            _infer_node(node, env)
    nodes = {n.name: n for n in topo_order(symbol._outputs) if n.is_variable}

    def shape_of(node, i=0):
        return env[id(node)][i] if env.get(id(node)) else None

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
