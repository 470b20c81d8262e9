"""``HybridBlock.export`` and ``SymbolBlock``: gluon's bridge to MXNet's symbol files.

Export traces the block once in predict mode (``_hybrid.trace``: a flat list of primitive
calls) and writes each call as the MXNet operator that computes the same thing, so that
MXNet 1.9.1's ``SymbolBlock.imports`` loads the files and gives the same outputs. The
operator names are the ones MXNet itself writes in numpy mode (``Convolution``, ``BatchNorm``,
``Pooling``, ``_npi_add``, ``_npx_relu`` ...). A SymbolBlock runs a Symbol's graph on mxnp's
operators (``symbol.executor.evaluate``), so gradients and Trainer work as for any block.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import autograd
from .. import numpy as np
from .. import numpy_extension as npx
from .._mode import is_np_array
from ..base import MXNetError
from ..name import NameManager
from ..symbol import _opdefs
from ..symbol.executor import evaluate
from ..symbol.symbol import Group, Symbol, apply_op, load, var
from . import _hybrid
from ._block_util import _as_lists, hybridized_scope


# ---- export: one primitive call -> one MXNet operator node ----------------------------------
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


def _binary(name: str):
    def write(args, values, kw):
        a, b = args
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
    if not all(isinstance(a, Symbol) for a in args):
        raise MXNetError("HybridBlock.export: np.where with a constant operand cannot be "
                         "written yet; pass arrays")
    return _op("_npi_where", args)


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
    if kw.get("ta"):
        a = _op("_np_transpose", [a], axes=None)
    if kw.get("tb") and values[1].ndim == 2:
        # x . W^T over the last axis of x is FullyConnected without bias
        return _op("FullyConnected", [a, b], no_bias=True, flatten=False,
                   num_hidden=values[1].shape[0])
    if kw.get("tb"):
        b = _op("_np_transpose", [b], axes=None)
    return _op("_np_dot", [a, b])


def _convolution(args, values, kw):
    w = values[1].shape
    return _op("Convolution", args, kernel=w[2:], stride=kw["stride"], dilate=kw["dilate"],
               pad=kw["pad"], num_filter=w[0], num_group=kw["groups"], no_bias=True)


def _batch_norm(args, values, kw):
    node = _op("BatchNorm", args, eps=kw["eps"], momentum=kw["momentum"],
               fix_gamma=kw["fix_gamma"], use_global_stats=False, axis=kw["axis"])
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
        raise MXNetError("HybridBlock.export: an RNN with dropout masks cannot be written; "
                         "export in predict mode")
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


def _squeeze(args, values, kw):
    return _op("_np_squeeze", args[:1], axis=kw.get("axis"))


_WRITERS = {name: _binary(name) for name in (
    "add", "subtract", "multiply", "true_divide", "power", "maximum", "minimum", "mod", "greater",
    "greater_equal", "less", "less_equal", "equal", "not_equal")}
_WRITERS.update({name: _unary(f"_npi_{name}") for name in (
    "negative", "exp", "log", "sqrt", "tanh", "square", "absolute", "sin", "cos", "log1p",
    "expm1", "sign", "reciprocal")})
_WRITERS.update({
    "relu": _unary("_npx_relu"), "sigmoid": _unary("_npx_sigmoid"),
    "softrelu": lambda args, values, kw: _op("Activation", args, act_type="softrelu"),
    "where": _where,
    "positive": _unary("_np_copy"), "copy": _unary("_np_copy"), "reshape": _reshape,
    "transpose": lambda args, values, kw: _op("_np_transpose", args, axes=kw.get("axes")),
    "dot": _dot, "matmul": lambda args, values, kw: _op("_npi_matmul", args),
    "convolution": _convolution, "batch_norm": _batch_norm, "window_pick": _window_pick,
    "window_sum": _window_sum, "softmax": _softmax("softmax"),
    "log_softmax": _softmax("log_softmax"), "sum": _reduce("_np_sum"),
    "mean": _reduce("_npi_mean"), "max": _reduce("_np_max"), "min": _reduce("_np_min"),
    "concatenate": _join("_npi_concatenate"), "stack": _join("_npi_stack"),
    "expand_dims": lambda args, values, kw: _op("expand_dims", args, axis=kw["axis"]),
    "squeeze": _squeeze, "rnn": _rnn, "getitem": _getitem, "clip": _clip,
    "swapaxes": lambda args, values, kw: _op("SwapAxis", args, dim1=kw["axis1"],
                                             dim2=kw["axis2"]),
    "astype": lambda args, values, kw: _op("Cast", args, dtype=onp.dtype(kw["dtype"]).name),
})


def _symbol_of(fn, args, values, kw, params: dict):
    """The Symbol (or list, for a multi-output call) that computes ``fn(*values, **kw)``;
    ``values`` ends with that call's result."""
    if fn is _hybrid._param_data:
        param = args[0]
        if param.name not in params:
            params[param.name] = (param, var(param.name, shape=param.shape,
                                             dtype=param.dtype, lr_mult=param.lr_mult,
                                             wd_mult=param.wd_mult))
        return params[param.name][1]
    name = getattr(fn, "name", getattr(fn, "__name__", repr(fn)))
    writer = _WRITERS.get(name)
    if writer is None:
        raise MXNetError(f"HybridBlock.export: mxnp cannot write the operation {name!r} as an "
                         "MXNet operator yet (mxnp/gluon/_export.py lists those it can)")
    return writer(args, values, kw)


def _flat_inputs(key) -> list:
    """Zero arrays with the shapes, dtypes and devices of a traced signature's inputs."""
    flat = []
    for item in key:
        if isinstance(item, tuple) and len(item) == 3 and isinstance(item[1], onp.dtype):
            flat.append(np.zeros(item[0], dtype=item[1], ctx=item[2]))
        elif isinstance(item, tuple):
            flat.extend(_flat_inputs(item))
    return flat


def _nest(key, flat: list):
    """The block's positional arguments: ``flat`` put back into the key's nesting."""
    out = []
    for item in key:
        if isinstance(item, tuple) and len(item) == 3 and isinstance(item[1], onp.dtype):
            out.append(flat.pop(0))
        elif isinstance(item, tuple):
            out.append(_nest(item, flat))
        else:
            out.append(item)
    return out


def block_symbol(block):
    """(the Symbol of ``block``'s predict-mode computation, {param name: (Parameter, var)})."""
    if not block._cached_op:
        raise RuntimeError("Please first call block.hybridize() and then run forward with this "
                           "block at least once before calling export.")
    key = next(iter(block._cached_op))[0]
    flat = _flat_inputs(key)
    args = _nest(key, list(flat))
    with autograd.pause(), autograd.predict_mode(), hybridized_scope():
        _, program = _hybrid.trace(lambda: _as_lists(block._forward_eager(*args)), flat)
        if program is _hybrid.EAGER:
            raise MXNetError("HybridBlock.export: this block's forward cannot be traced into a "
                             "graph (it writes in place or reads array values in Python)")
        names = ["data"] if len(flat) == 1 else [f"data{i}" for i in range(len(flat))]
        values, symbols, params = list(flat), [var(n) for n in names], {}
        with NameManager():
            for fn, spec, kw, multi in program.steps:
                vals = [values[i] if i >= 0 else c for i, c in spec]
                syms = [symbols[i] if i >= 0 else c for i, c in spec]
                out = fn(*vals, **kw)
                sym = _symbol_of(fn, syms, vals + [out], kw, params)
                values.extend(out) if multi else values.append(out)
                symbols.extend(sym) if multi else symbols.append(sym)
    heads = [symbols[t[0]] for t in _flatten(program.outputs)]
    return (heads[0] if len(heads) == 1 else Group(heads)), params


def _flatten(template) -> list:
    if isinstance(template, list):
        return [t for item in template for t in _flatten(item)]
    if len(template) != 1:
        raise MXNetError("HybridBlock.export: an output is a constant, not computed from the "
                         "inputs")
    return [template]


def export(block, path: str, epoch: int = 0) -> tuple:
    """Write ``path-symbol.json`` and ``path-%04d.params`` (keys ``arg:``/``aux:``); return
    the two file names."""
    symbol, params = block_symbol(block)
    sym_file, param_file = f"{path}-symbol.json", f"{path}-{epoch:04d}.params"
    symbol.save(sym_file)
    aux = set(symbol.list_auxiliary_states())
    arrays = {("aux:" if name in aux else "arg:") + name: p._reduce()
              for name, (p, _) in params.items()}
    npx.save(param_file, arrays)
    return sym_file, param_file


# ---- SymbolBlock ----------------------------------------------------------------------------
def init_symbol_block(block, outputs, inputs) -> None:
    """Give a new SymbolBlock its graph, its input names and a Parameter per other input."""
    outputs = Group(outputs) if isinstance(outputs, (list, tuple)) else outputs
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not isinstance(outputs, Symbol) or not all(isinstance(s, Symbol) for s in inputs):
        raise TypeError("SymbolBlock: outputs and inputs must be Symbols (inputs: variables)")
    names = [s.name for s in inputs]
    missing = set(names) - set(outputs.list_inputs())
    if missing:
        raise ValueError(f"SymbolBlock: the inputs {sorted(missing)} are not variables of the "
                         f"graph, whose inputs are {outputs.list_inputs()}")
    block._symbol, block._input_names = outputs, names
    aux = set(outputs.list_auxiliary_states())
    for name in outputs.list_inputs():
        if name not in names:
            block._reg_params[name] = block.params.get(
                name, allow_deferred_init=True, grad_req="null" if name in aux else "write")


def imports(cls, symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
            ignore_extra=False):
    """``SymbolBlock.imports``: the block of a ``-symbol.json``, with its parameters loaded."""
    symbol = load(symbol_file)
    names = [input_names] if isinstance(input_names, str) else list(input_names)
    block = cls(symbol, [var(n) for n in names])
    if param_file is not None:
        block.collect_params().load(param_file, ctx=ctx, allow_missing=allow_missing,
                                    ignore_extra=ignore_extra, cast_dtype=True,
                                    dtype_source="saved")
    return block


def infer_shape(block, *args) -> None:
    """Fill the Parameters' unknown shapes from the input shapes by the graph's rules."""
    shapes = dict(zip(block._input_names, (a.shape for a in args)))
    arg_shapes, _, aux_shapes = block._symbol.infer_shape(**shapes)
    if arg_shapes is None:
        raise MXNetError(f"SymbolBlock: the input shapes {shapes} do not determine the "
                         "Parameters' shapes")
    found = dict(zip(block._symbol.list_arguments(), arg_shapes))
    found.update(zip(block._symbol.list_auxiliary_states(), aux_shapes))
    for name, param in block._reg_params.items():
        param.shape = found[name]


def forward(block, x, *args):
    """Run the graph on the inputs and the Parameters' arrays (one output, or a list)."""
    inputs = [a for a in (x, *args)]
    if len(inputs) != len(block._input_names):
        raise ValueError(f"SymbolBlock: {len(inputs)} inputs for the {len(block._input_names)} "
                         f"input names {block._input_names}")
    ctx = x.ctx
    values = dict(zip(block._input_names, inputs))
    values.update((name, p.data(ctx)) for name, p in block._reg_params.items())
    outs = evaluate(block._symbol._outputs, values)
    if is_np_array():
        outs = [o.as_np_ndarray() if hasattr(o, "as_np_ndarray") else o for o in outs]
    return outs[0] if len(outs) == 1 else outs
