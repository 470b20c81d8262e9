"""``HybridBlock.export`` and ``SymbolBlock``: gluon's bridge to MXNet's symbol files.

Export traces the block once in training mode (``_hybrid.trace``: a flat list of primitive
calls) and writes each call as the MXNet operator that computes the same thing, so that
MXNet 1.9.1's ``SymbolBlock.imports`` loads the files and gives the same outputs. The
operator names are the ones MXNet itself writes in numpy mode (``Convolution``, ``BatchNorm``,
``Pooling``, ``_npi_add``, ``_npx_relu`` ...). A SymbolBlock runs a Symbol's graph on mxnp's
operators (``symbol.executor.evaluate``), so gradients and Trainer work as for any block.

Export reads ``_hybrid``'s program format: ``_cached_op`` keys (input shapes, dtypes and
devices first), ``trace``/``EAGER``, steps ``(function, ((slot, constant), ...), params,
multi-output?)``, ``_param_data`` for a Parameter read, ``_make`` for a created array and ``face_view`` for an
array shown in the other face (NDArray / np.ndarray). A
change to that format needs one here; tests/symbol/test_export.py says where.
"""
from __future__ import annotations

import os

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._mode import is_np_array
from ..base import MXNetError
from ..name import NameManager
from ..ndarray.ndarray import to_nd
from ..symbol._primitives import write
from ..symbol.executor import evaluate
from ..symbol.symbol import Group, Symbol, load, var
from . import _hybrid, _symbolic
from ._block_util import _as_lists, face_view, hybridized_scope
from ._param_io import save_arrays


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
    if fn is face_view:  # an array shown in the other face: the same value
        return args[0]
    return write(getattr(fn, "name", getattr(fn, "__name__", repr(fn))), args, values, kw)


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
    """(the Symbol of ``block``'s computation, {param name: (Parameter, var)}). The trace runs
    in training mode, where Dropout shows (the operators decide by mode when the graph runs);
    BatchNorm updates its statistics only in a backward, so tracing leaves them as they are."""
    if not block._cached_op:
        raise RuntimeError("Please first call block.hybridize() and then run forward with this "
                           "block at least once before calling export.")
    key = next(iter(block._cached_op))[0]
    flat = _flat_inputs(key)
    args = _nest(key, list(flat))
    with autograd.pause(), autograd.train_mode(), hybridized_scope():
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


def export(block, path: str, epoch: int = 0) -> None:
    """Write ``path-symbol.json`` and ``path-%04d.params`` (keys ``arg:``/``aux:``)."""
    if hasattr(block, "_symbol"):  # a SymbolBlock writes the graph it runs
        symbol, params = block._symbol, {p.name: (p, None) for p in block._reg_params.values()}
    else:
        symbol, params = block_symbol(block)
    sym_file, param_file = f"{path}-symbol.json", f"{path}-{epoch:04d}.params"
    symbol.save(sym_file)
    aux = set(symbol.list_auxiliary_states())
    arrays = {("aux:" if name in aux else "arg:") + name: p._reduce()
              for name, (p, _) in params.items()}
    save_arrays(param_file, arrays, "HybridBlock.export")


# ---- SymbolBlock ----------------------------------------------------------------------------
def init_symbol_block(block, outputs, inputs) -> None:
    """Give a new SymbolBlock its graph, its input names and a Parameter per other input."""
    outputs = Group(outputs) if isinstance(outputs, (list, tuple)) else outputs
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not isinstance(outputs, Symbol) or not all(isinstance(s, Symbol) for s in inputs):
        raise TypeError("SymbolBlock: outputs and inputs must be Symbols (inputs: variables)")
    # as in MXNet, a name that is not in the graph leaves the graph's own input a Parameter
    names = [s.name for s in inputs]
    for node in outputs.get_internals():
        assert node.attr("__storage_type__") != "1", \
            f"SymbolBlock doesn't support Parameter '{node.name}' because its storage type is " \
            "'row_sparse'."
    block._symbol, block._input_names = outputs, names
    aux = set(outputs.list_auxiliary_states())
    for name in outputs.list_inputs():
        if name not in names:
            block.params.get(name, allow_deferred_init=True,
                             grad_req="null" if name in aux else "write")
    # MXNet keys them without the names' common prefix (characters, not words): save_parameters
    # of a block holding a SymbolBlock writes those keys, the same for every copy of the graph
    start = len(os.path.commonprefix(list(block.params.keys())))
    block._reg_params.update((k[start:], p) for k, p in block.params.items())


def imports(cls, symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
            ignore_extra=False):
    """Load a ``-symbol.json`` written by ``export`` (and its params file) as a SymbolBlock."""
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
    for param in block._reg_params.values():
        param.shape = found[param.name]


def symbol_block_repr(block) -> str:
    """``SymbolBlock(\n<Symbol fc> : 1 -> 1\n)``: the graph, its inputs and outputs, as MXNet
    prints it (numpy mode names its symbols ``_Symbol``)."""
    shown = repr(block._symbol).replace("<Symbol", "<_Symbol" if is_np_array() else "<Symbol")
    return f"SymbolBlock(\n{shown} : {len(block._input_names)} -> {len(block._symbol)}\n)"


def forward(block, x, *args):
    """Run the graph on ``x, *args`` (named by the block's inputs) and the Parameters' arrays:
    one output, or a list."""
    inputs = [x, *args]
    block._ran_hybridized = block._active  # export needs a hybridized call first, as in MXNet
    if len(inputs) != len(block._input_names):
        raise ValueError(f"SymbolBlock: {len(inputs)} inputs for the {len(block._input_names)} "
                         f"input names {block._input_names}")
    if _symbolic.symbolic(inputs):  # the graph on other Symbols (MXNet composes it)
        outs = list(block._symbol(**dict(zip(block._input_names, inputs))))
        return outs[0] if len(outs) == 1 else outs
    ctx = x.ctx
    values = dict(zip(block._input_names, inputs))
    values.update((p.name, p.data(ctx)) for p in block._reg_params.values())
    outs = evaluate(block._symbol._outputs, values)
    # mx.np arrays under npx.set_np(), mx.nd.NDArray otherwise, as MXNet's SymbolBlock gives
    outs = [o.as_np_ndarray() for o in outs] if is_np_array() else \
        to_nd(outs, tuple(values.values()))
    return outs[0] if len(outs) == 1 else outs
