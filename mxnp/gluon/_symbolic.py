"""Blocks called on ``mx.sym`` Symbols, as MXNet 1.x builds graphs (``net(mx.sym.var('data'))``).

A HybridBlock given a Symbol runs its ``hybrid_forward`` with ``F = mx.sym`` and its Parameters
as their variables (``Parameter.var()``), inside its name prefix (MXNet's ``mx.name.Prefix``),
and gives the Symbol it builds. A Block (``nn.Sequential``) runs its ``forward`` as written, so
its children build the graph. Nothing is computed and nothing is initialised.

mxnp's own layers call ``F.np``/``F.npx``; on Symbols those are the operators MXNet's layers
write (``FullyConnected``, ``Convolution``, ``Activation`` ...; MXNet's ``npx`` operators are
the same operators under other names), so the graph, its node names and its JSON are MXNet's.
A function with no such operator raises NotImplementedError naming it.
"""
from __future__ import annotations

import contextlib
import functools
import sys

from .. import name as _name


def is_symbol(x) -> bool:
    """Whether ``x`` is an ``mx.sym`` Symbol (mxnp.symbol is loaded by whoever made one)."""
    module = sys.modules.get("mxnp.symbol.symbol")
    return module is not None and isinstance(x, module.Symbol)


def symbolic(args) -> bool:
    """Whether a block's positional arguments hold a Symbol (lists followed one level); every
    block call asks, so the Symbol class is looked up once."""
    module = sys.modules.get("mxnp.symbol.symbol")
    if module is None:
        return False
    cls = module.Symbol
    for a in args:  # a loop, not any(): this runs twice per layer call
        if isinstance(a, cls):
            return True
        if isinstance(a, (list, tuple)):
            for b in a:
                if isinstance(b, cls):
                    return True
    return False


def _sym():
    from .. import symbol  # loaded on first use, as mx.sym itself

    return symbol


# F.npx.<name> -> MXNet's operator (in MXNet the npx function is that operator)
_NPX_OPS = {
    "fully_connected": "FullyConnected", "convolution": "Convolution",
    "deconvolution": "Deconvolution", "pooling": "Pooling", "activation": "Activation",
    "leaky_relu": "LeakyReLU", "dropout": "Dropout", "batch_norm": "BatchNorm",
    "layer_norm": "LayerNorm", "embedding": "Embedding", "batch_flatten": "Flatten",
    "cast": "Cast", "relu": "relu", "sigmoid": "sigmoid", "softmax": "softmax",
    "log_softmax": "log_softmax", "pick": "pick", "reshape_like": "reshape_like", "rnn": "RNN",
}
# F.np.<name> -> MXNet's operator of the same arguments
_NP_OPS = {
    "copy": "identity", "add": "elemwise_add", "swapaxes": "SwapAxis",
    "expand_dims": "expand_dims", "tanh": "tanh", "exp": "exp", "log": "log", "sqrt": "sqrt",
    "square": "square", "abs": "abs",
    "absolute": "abs", "negative": "negative", "sign": "sign", "sum": "sum", "mean": "mean",
    "max": "max", "min": "min", "log1p": "log1p", "expm1": "expm1", "sin": "sin", "cos": "cos",
    "arctan": "arctan", "reciprocal": "reciprocal", "floor": "floor", "ceil": "ceil",
    "where": "where",
}
# numpy keyword names that MXNet's operator spells otherwise
_RENAMED = {"SwapAxis": {"axis1": "dim1", "axis2": "dim2"}}


def _call(op: str, *args, **kwargs):
    """``mx.sym.<op>(*args, **kwargs)``: unset keywords and ``out`` dropped, keywords renamed
    where MXNet's operator spells them otherwise (the inputs come first in both)."""
    renames = _RENAMED.get(op, {})
    kwargs = {renames.get(k, k): v for k, v in kwargs.items() if v is not None and k != "out"}
    return getattr(_sym(), op)(*args, **kwargs)


def _reshape(a, newshape, order="C", name=None):
    return _sym().op_function("_np_reshape")(a, newshape=newshape, order=order, name=name)


def _concatenate(seq, axis=0, out=None, name=None):
    return _sym().Concat(*seq, dim=axis, name=name)


_NP_SPECIAL = {"reshape": _reshape, "concatenate": _concatenate}


class _Namespace:
    """``F.np`` or ``F.npx`` on Symbols: each function is MXNet's operator for it."""

    def __init__(self, ops: dict, special: dict, label: str):
        self._ops, self._special, self._label = ops, special, label

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._special:
            fn = self._special[name]
        elif name in self._ops:
            fn = functools.partial(_call, self._ops[name])
        else:
            raise NotImplementedError(
                f"F.{self._label}.{name} on mx.sym Symbols: mxnp has no symbol form of it yet "
                "(call the block on arrays, or write the graph with mx.sym operators)")
        setattr(self, name, fn)
        return fn


class _SymbolF:
    """The ``F`` of a block called on Symbols: ``mx.sym``, with ``F.np``/``F.npx`` as above."""

    np = _Namespace(_NP_OPS, _NP_SPECIAL, "np")
    npx = _Namespace(_NPX_OPS, {}, "npx")

    def __getattr__(self, name):
        return getattr(_sym(), name)

    def __repr__(self) -> str:
        return "<module 'mxnp.symbol' as F>"


SYMBOL_F = _SymbolF()


def forward(block, x, *args):
    """``block.hybrid_forward(mx.sym, x, *args, **variables)`` in the block's name prefix."""
    params = {k: p.var() for k, p in block._reg_params.items()}
    prefix = contextlib.nullcontext() if block._empty_prefix else _name.Prefix(block.prefix)
    body = getattr(block, "_symbol_forward", block.hybrid_forward)  # the cells write MXNet's
    with block.name_scope(), prefix:
        return body(SYMBOL_F, x, *args, **params)
