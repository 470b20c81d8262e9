"""The MXNet operator that computes each of mxnp's primitive calls, for ``HybridBlock.export``.

A writer takes the call's arguments as Symbols (the traced arrays) or constants, the traced
values (the call's result last) and the call's parameters, and returns the Symbol of an MXNet
operator computing the same thing (a list for a multi-output call). The operator names are
those MXNet 1.9.1 writes in numpy mode, so that its ``SymbolBlock.imports`` loads the files;
mxnp runs them through ``_opdefs`` (the legacy registry and ``_npops``).
"""
from __future__ import annotations

import math

import numpy as onp

from .. import numpy as np
from ..base import MXNetError
from . import _opdefs
from ._node import Node
from ._npops import UNARY
from .symbol import Symbol, apply_op


def _op(op: str, inputs, **attrs) -> Symbol:
    return apply_op(op, list(inputs), {k: _opdefs.attr_string(v) for k, v in attrs.items()})


def _scalar_of(value, other_shape):
    """A constant operand as a Python scalar, or None when it is a real array."""
    if isinstance(value, (bool, onp.bool_)):
        return None
    if isinstance(value, (int, float, onp.number)):
        return value.item() if isinstance(value, onp.number) else value
    arr = value.asnumpy() if isinstance(value, np.ndarray) else onp.asarray(value)
    flat = arr.reshape(-1)
    # a uniform array that does not widen the other operand is that one number
    if flat.size and (flat == flat[0]).all() and \
            onp.broadcast_shapes(arr.shape, other_shape) == tuple(other_shape):
        return flat[0].item()
    return None


_COMMUTATIVE = {"add", "multiply", "maximum", "minimum", "equal", "not_equal"}
# a comparison with the scalar on the left is the mirrored comparison with it on the right
_MIRRORED = {"greater": "less", "less": "greater", "greater_equal": "less_equal",
             "less_equal": "greater_equal"}


class DropoutMask:
    """Dropout's mask in a training-mode trace (``x * mask``): the multiply becomes MXNet's
    Dropout, with ``p`` from the mask's scale 1/(1-p) and ``axes`` where it is shared."""

    def __init__(self, mask):
        scale = float(mask.max()) if mask.size else 0.0
        self.p = round(1 - 1 / scale, 6) if scale > 0 else 1.0
        self.shape = mask.shape

    def apply(self, x: Symbol, x_shape) -> Symbol:
        """The Dropout node on ``x`` (of traced shape ``x_shape``)."""
        axes = tuple(i for i, (m, d) in enumerate(zip(self.shape, x_shape)) if m == 1 != d)
        return _op("Dropout", [x], p=self.p, axes=axes)


_BIAS_OF = {"Convolution": "num_filter", "Deconvolution": "num_filter",
            "FullyConnected": "num_hidden"}


def _with_bias(layer: Symbol, bias: Symbol):
    """``layer + bias`` as the layer's own bias input, as MXNet's graph of the layer has it,
    when ``layer`` is a node written without bias and ``bias`` its Parameter (reshaped to
    broadcast over the channels); None otherwise."""
    node, src = layer._outputs[0][0], bias._outputs[0][0]
    if node.op not in _BIAS_OF or node.attrs.get("no_bias") != "True":
        return None
    size = int(node.attrs[_BIAS_OF[node.op]])
    if src.op == "_np_reshape" and src.inputs[0][0].is_variable and node.op != "FullyConnected":
        shape = tuple(_opdefs.parse(src.op, src.attrs)["newshape"])
        if shape[0] != size or any(d != 1 for d in shape[1:]):
            return None
        src = src.inputs[0][0]
    if not src.is_variable or src.attrs.get("__shape__") != str((size,)):
        return None
    attrs = dict(node.attrs, no_bias="False")
    return Symbol([(Node(node.op, node.name, attrs, [*node.inputs, (src, 0)]), 0)])


def _binary(name: str):
    def write(args, values, kw):
        a, b = args
        if name == "multiply" and isinstance(b, DropoutMask):
            return b.apply(a, values[0].shape)
        if name == "add" and isinstance(a, Symbol) and isinstance(b, Symbol):
            fused = _with_bias(a, b)
            fused = _with_bias(b, a) if fused is None else fused  # (a Symbol has no truth)
            if fused is not None:
                return fused
        if isinstance(a, Symbol) and isinstance(b, Symbol):
            return _op(f"_npi_{name}", [a, b])
        sym, const, shape = (a, b, values[0].shape) if isinstance(a, Symbol) else \
            (b, a, values[1].shape)
        s = _scalar_of(const, shape)
        if s is None:
            raise MXNetError(f"HybridBlock.export: {name} with a constant array operand cannot "
                             "be written as an MXNet operator; make it a Parameter or Constant")
        reverse = not isinstance(a, Symbol) and name not in _COMMUTATIVE
        if reverse and name in _MIRRORED:
            op = f"_npi_{_MIRRORED[name]}_scalar"
        else:
            op = f"_npi_r{name}_scalar" if reverse else f"_npi_{name}_scalar"
        return _op(op, [sym], is_int=isinstance(s, int), scalar=float(s))
    return write


def _where(args, values, kw):
    cond, x, y = args
    if not isinstance(cond, Symbol):
        raise MXNetError("HybridBlock.export: np.where with a constant condition cannot be "
                         "written; pass an array")
    sx, sy = (None if isinstance(v, Symbol) else _scalar_of(v, values[-1].shape)
              for v in (x, y))
    if (sx is None and not isinstance(x, Symbol)) or (sy is None and not isinstance(y, Symbol)):
        raise MXNetError("HybridBlock.export: np.where with a constant array operand cannot "
                         "be written; make it a Parameter or Constant")
    if isinstance(x, Symbol) and isinstance(y, Symbol):
        return _op("_npi_where", args)
    if isinstance(y, Symbol):
        return _op("_npi_where_lscalar", [cond, y], scalar=float(sx))
    if isinstance(x, Symbol):
        return _op("_npi_where_rscalar", [cond, x], scalar=float(sy))
    return _op("_npi_where_scalar2", [cond], x=float(sx), y=float(sy))


def _unary(op: str):
    return lambda args, values, kw: _op(op, args[:1])


def _reshape(args, values, kw):
    src, shape = values[0].shape, tuple(kw["shape"])
    if not _is_data(args[0]):  # a Parameter's shape is fixed: keep the exact target
        return _op("_np_reshape", args, newshape=shape)
    if len(src) > 2 and shape == (src[0], math.prod(src[1:])):
        return _op("Flatten", args)
    # the batch axis is not part of the program: copy every leading axis that is unchanged
    lead = 0
    while lead < min(len(src), len(shape)) and src[lead] == shape[lead]:
        lead += 1
    return _op("_npx_reshape", args, newshape=(-2,) * lead + shape[lead:], reverse=False)


def _is_data(s: Symbol) -> bool:
    """Whether ``s`` depends on a block input (Parameters' variables carry ``__shape__``)."""
    return any(n.is_variable and "__shape__" not in n.attrs for n in s._nodes())


def _dot(args, values, kw):
    a, b = args
    if not (isinstance(a, Symbol) and isinstance(b, Symbol)):
        raise MXNetError("HybridBlock.export: dot with a constant array operand cannot be "
                         "written; make it a Parameter or Constant")
    if kw.get("ta"):
        a = _op("_np_transpose", [a], axes=None)
    if kw.get("tb") and values[1].ndim == 2:
        # x . W^T over the last axis of x is FullyConnected without bias; after a Flatten it
        # is MXNet's default FullyConnected (flatten=True)
        node = a._outputs[0][0]
        flat = node.op == "Flatten"
        return _op("FullyConnected", [Symbol(node.inputs) if flat else a, b], no_bias=True,
                   flatten=flat, num_hidden=values[1].shape[0])
    if kw.get("tb"):
        b = _op("_np_transpose", [b], axes=None)
    return _op("_np_dot", [a, b])


def _fully_connected(args, values, kw):
    """``x . W^T + b`` (one op in mxnp): dot's FullyConnected with the bias as its input."""
    layer = _dot(args[:2], values[:2], {"tb": True})
    return WRITERS["add"]([layer, args[2]], [values[-1], values[2], values[-1]], {})


def _convolution(args, values, kw):
    w = values[1].shape
    return _op("Convolution", args, kernel=w[2:], stride=kw["stride"], dilate=kw["dilate"],
               pad=kw["pad"], num_filter=w[0], num_group=kw["groups"], no_bias=True)


def _deconvolution(args, values, kw):
    w, x, out = values[1].shape, values[0].shape[2:], values[-1].shape[2:]
    kernel = w[2:]
    # MXNet's size: (in - 1) * stride - 2 * pad + dilate * (kernel - 1) + 1 + adj
    adj = tuple(o - ((i - 1) * s - 2 * p + d * (k - 1) + 1) for o, i, s, p, d, k in
                zip(out, x, kw["stride"], kw["pad"], kw["dilate"], kernel))
    return _op("Deconvolution", args, kernel=kernel, stride=kw["stride"], dilate=kw["dilate"],
               pad=kw["pad"], adj=adj, num_filter=w[1] * kw["groups"],
               num_group=kw["groups"], no_bias=True)


def _batch_norm(args, values, kw):
    # export traces in training mode: a BatchNorm that did not use the batch's statistics
    # there is one with use_global_stats
    node = _op("BatchNorm", args, eps=kw["eps"], momentum=kw["momentum"],
               fix_gamma=kw["fix_gamma"], use_global_stats=not kw["use_batch"],
               axis=kw["axis"])
    return [node, None, None]  # the primitive's batch mean and variance: not in the graph


def _pool_attrs(values, kw) -> dict:
    """Pooling's attributes; the convention is the one whose output size the trace had."""
    src, out = values[0].shape[2:], values[-1].shape[2:]
    valid = tuple((s + 2 * p - k) // t + 1 for s, k, t, p in
                  zip(src, kw["kernel"], kw["stride"], kw["pad_lo"]))
    return {"kernel": kw["kernel"], "stride": kw["stride"], "pad": kw["pad_lo"],
            "pooling_convention": "valid" if tuple(out) == valid else "full"}


def _window_pick(args, values, kw):
    if values[0] is not values[1]:
        raise MXNetError("HybridBlock.export: window_pick of two different arrays is not an "
                         "MXNet operator")
    return _op("Pooling", args[:1], pool_type="max", **_pool_attrs(values, kw))


def _window_sum(args, values, kw):
    return _op("Pooling", args[:1], pool_type="sum", **_pool_attrs(values, kw))


def _softmax(op: str):
    def write(args, values, kw):
        t = kw.get("temperature")
        return _op(op, args[:1], axis=kw.get("axis", -1),
                   **({} if t is None else {"temperature": t}))
    return write


def _reduce(op: str):
    return lambda args, values, kw: _op(op, args[:1], axis=kw.get("axis"),
                                        keepdims=kw.get("keepdims", False))


def _join(op: str):
    return lambda args, values, kw: _op(op, args, axis=kw.get("axis", 0), num_args=len(args))


def _rnn(args, values, kw):
    """The fused RNN: MXNet's RNN operator with its states as outputs. mxnp's primitive has
    one more output (its workspace for the backward), which no graph reads."""
    inputs = [a for a in args if isinstance(a, Symbol)]
    if len(inputs) != (4 if kw["mode"] == "lstm" else 3):
        raise MXNetError("HybridBlock.export: an RNN with dropout between its layers (p > 0) "
                         "cannot be written yet")
    node = _op("RNN", inputs, state_size=kw["size"], num_layers=kw["layers"],
               bidirectional=kw["dirs"] == 2, mode=kw["mode"], state_outputs=True, p=0.0)
    return list(node) + [None] * (len(values[-1]) - len(node))


def _getitem(args, values, kw):
    """Basic indexing as MXNet writes it: ``slice`` over the indexed axes, then the integer
    indices squeezed away and each None added as an axis."""
    key = kw["key"] if isinstance(kw["key"], tuple) else (kw["key"],)
    if not all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in key):
        raise MXNetError("HybridBlock.export: indexing with arrays or booleans cannot be "
                         "written yet; only ints, slices, None and ...")
    real = sum(k is not None and k is not Ellipsis for k in key)
    if Ellipsis in key:
        at = key.index(Ellipsis)
        key = key[:at] + (slice(None),) * (values[0].ndim - real) + key[at + 1:]
    begin, end, step, dropped, added, out_axis = [], [], [], [], [], 0
    for k in key:
        if k is None:
            added.append(out_axis)
            out_axis += 1
            continue
        if isinstance(k, int):
            dropped.append(len(begin))
            begin.append(k), end.append(None if k == -1 else k + 1), step.append(None)
        else:
            begin.append(k.start), end.append(k.stop), step.append(k.step)
            out_axis += 1
    node = _op("slice", args[:1], begin=tuple(begin), end=tuple(end), step=tuple(step))
    if dropped:
        node = _op("_np_squeeze", [node], axis=tuple(dropped))
    for axis in added:
        node = _op("expand_dims", [node], axis=axis)
    return node


def _clip(args, values, kw):
    low, high = kw.get("a_min"), kw.get("a_max")
    if low is not None and high is not None:
        return _op("clip", args[:1], a_min=low, a_max=high)
    op, s = ("_npi_maximum_scalar", low) if high is None else ("_npi_minimum_scalar", high)
    return _op(op, args[:1], is_int=isinstance(s, int), scalar=float(s))


def _creation(args, values, kw):
    """An array made inside the block (``np.zeros`` ...): a constant of the traced shape."""
    out, name = values[-1], args[0]
    shape, dtype = tuple(out.shape), onp.dtype(out.dtype).name
    if name == "dropout":
        return DropoutMask(out.asnumpy())
    if name in ("zeros", "empty"):
        return _op("_npi_zeros", [], shape=shape, dtype=dtype)
    if name == "ones":
        return _op("_npi_ones", [], shape=shape, dtype=dtype)
    value = _scalar_of(out, shape) if out.size else None
    if name == "full" and value is not None:
        return _op("_full", [], shape=shape, value=float(value), dtype=dtype)
    raise MXNetError(f"HybridBlock.export: an array made by {name} inside the block cannot be "
                     "written; pass it as an input or keep it in a Parameter or Constant")


def _split(args, values, kw):
    """np.split as MXNet writes it: _split_v2 with ``sections``, or with ``indices`` led by 0."""
    cut = kw["indices_or_sections"]
    attrs = {"indices": (0, *cut), "sections": 0} if isinstance(cut, tuple) else \
        {"indices": (), "sections": int(cut)}
    return list(_op("_split_v2", args[:1], axis=kw.get("axis", 0), squeeze_axis=False, **attrs))


def _squeeze(args, values, kw):
    return _op("_np_squeeze", args[:1], axis=kw.get("axis"))


WRITERS = {name: _binary(name) for name in (
    "add", "subtract", "multiply", "true_divide", "power", "maximum", "minimum", "mod", "greater",
    "greater_equal", "less", "less_equal", "equal", "not_equal")}
WRITERS.update({name: _unary(f"_npi_{name}") for name in UNARY})
# MXNet has these only as its legacy operators (no _npi_ names)
WRITERS.update({name: _unary(name) for name in ("erf", "erfinv", "gammaln")})
WRITERS.update({
    "relu": _unary("_npx_relu"), "sigmoid": _unary("_npx_sigmoid"),
    "softrelu": lambda args, values, kw: _op("Activation", args, act_type="softrelu"),
    "softsign": lambda args, values, kw: _op("Activation", args, act_type="softsign"),
    "where": _where,
    "positive": _unary("_np_copy"), "copy": _unary("_np_copy"), "reshape": _reshape,
    "transpose": lambda args, values, kw: _op("_np_transpose", args, axes=kw.get("axes")),
    "dot": _dot, "fully_connected": _fully_connected, "matmul": lambda args, values, kw: _op("_npi_matmul", args),
    "convolution": _convolution, "deconvolution": _deconvolution, "batch_norm": _batch_norm, "window_pick": _window_pick,
    "window_sum": _window_sum, "softmax": _softmax("softmax"),
    "log_softmax": _softmax("log_softmax"), "sum": _reduce("_np_sum"),
    "mean": _reduce("_npi_mean"), "max": _reduce("_np_max"), "min": _reduce("_np_min"),
    "concatenate": _join("_npi_concatenate"), "stack": _join("_npi_stack"),
    "expand_dims": lambda args, values, kw: _op("expand_dims", args, axis=kw["axis"]),
    "squeeze": _squeeze, "split": _split, "_make": _creation, "rnn": _rnn, "getitem": _getitem, "clip": _clip,
    "swapaxes": lambda args, values, kw: _op("SwapAxis", args, dim1=kw["axis1"],
                                             dim2=kw["axis2"]),
    "astype": lambda args, values, kw: _op("Cast", args, dtype=onp.dtype(kw["dtype"]).name),
})


def write(name: str, args: list, values: list, kw: dict):
    """The Symbol computing the primitive ``name`` (see the module docstring)."""
    writer = WRITERS.get(name)
    if writer is None:
        raise MXNetError(f"HybridBlock.export: mxnp cannot write the operation {name!r} as an "
                         "MXNet operator yet (mxnp/symbol/_primitives.py lists those it can)")
    return writer(args, values, kw)
