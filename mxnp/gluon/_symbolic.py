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
from .._ndarray import ndarray
from ..ndarray.ndarray import NDArray


def is_symbol(x) -> bool:
    """Whether ``x`` is an ``mx.sym`` Symbol (mxnp.symbol is loaded by whoever made one)."""
    module = sys.modules.get("mxnp.symbol.symbol")
    return module is not None and isinstance(x, module.Symbol)


def symbolic(args) -> bool:
    """Whether a block's positional arguments hold a Symbol (lists followed one level); every
    block call asks: arrays, the common case, are passed over first."""
    for a in args:
        if type(a) is not ndarray and type(a) is not NDArray:
            return _holds_symbol(args)
    return False


def _holds_symbol(args) -> bool:
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


def infer_pass(block, args) -> None:
    """What a 1.x HybridBlock's first call with deferred Parameters shows of MXNet's shape
    inference: MXNet runs its ``hybrid_forward`` once on Symbols (``data``, or ``data0``,
    ``data1`` ...; their numpy face for ``mx.np`` arrays) to infer the shapes, so the blocks it
    calls run their forward hooks and pre-hooks on Symbols (``summary()`` prints such a row,
    ``<_Symbol dense0_relu_fwd>``) before the real call. Only that is reproduced (mxnp infers
    the shapes from the arrays); where Symbols cannot run the body, the pass stops there, as
    an MXNet that could not infer would."""
    from ._block_util import legacy_face

    sym, numpy_face = _sym(), not legacy_face()  # (the face the arrays came in)
    given = [a for a in args if a is not None]
    names = iter(["data"] if len(given) == 1 else [f"data{i}" for i in range(len(given))])
    syms = []
    for a in args:
        v = None if a is None else sym.var(next(names))
        syms.append(v.as_np_ndarray() if v is not None and numpy_face else v)
    try:
        block.forward(*syms)
    except Exception:  # noqa: BLE001, S110 - the hooks it reached have run; the arrays decide
        pass


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
    return _face_of(args, getattr(_sym(), op)(*args, **kwargs))


def _face_of(inputs, out):
    """``out`` in the numpy face (``_Symbol``) where an input is in it, as MXNet's ``F.np`` and
    ``F.npx`` answer a numpy-face Symbol."""
    np_symbol = sys.modules["mxnp.symbol._npsymbol"]._Symbol
    if any(isinstance(a, np_symbol) for a in inputs):
        return out.as_np_ndarray()
    return out


def _reshape(a, newshape, order="C", name=None):
    return _face_of((a,), _sym().op_function("_np_reshape")(a, newshape=newshape, order=order,
                                                             name=name))


def _concatenate(seq, axis=0, out=None, name=None):
    return _face_of(seq, _sym().Concat(*seq, dim=axis, name=name))


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
