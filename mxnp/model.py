"""``mx.model``: MXNet's checkpoint files, ``prefix-symbol.json`` beside ``prefix-%04d.params``
(arrays keyed ``arg:<name>`` and ``aux:<name>``)."""
from __future__ import annotations

import logging
from collections import namedtuple
from typing import TYPE_CHECKING

from . import numpy_extension as npx
from . import symbol as sym
from .base import MXNetError
from .ndarray.ndarray import to_nd
from .ndarray.utils import save as nd_save

if TYPE_CHECKING:  # what static tools read: the name __getattr__ below loads
    from .module.feedforward import FeedForward

__all__ = ["BatchEndParam", "FeedForward", "load_checkpoint", "load_params", "save_checkpoint"]

# what fit and score hand each batch-end callback (MXNet's namedtuple, also its type name)
BatchEndParam = namedtuple("BatchEndParams", ["epoch", "nbatch", "eval_metric", "locals"])


def save_checkpoint(prefix: str, epoch: int, symbol, arg_params: dict, aux_params: dict,
                    remove_amp_cast: bool = True) -> None:
    """Write the symbol (when not None) and the parameters of ``epoch``."""
    if symbol is not None:
        symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
    arrays = {f"arg:{k}": v for k, v in arg_params.items()}
    arrays.update({f"aux:{k}": v for k, v in aux_params.items()})
    nd_save(f"{prefix}-{epoch:04d}.params", arrays)  # as MXNet's: the shape mode's magic
    logging.info('Saved checkpoint to "%s"', f"{prefix}-{epoch:04d}.params")  # noqa: LOG015


def load_params(prefix: str, epoch: int) -> tuple:
    """(arg_params, aux_params) from ``prefix-%04d.params``, as ``mx.nd`` arrays."""
    loaded = npx.load(f"{prefix}-{epoch:04d}.params")
    if not isinstance(loaded, dict):
        raise MXNetError(f"mx.model.load_params: {prefix}-{epoch:04d}.params holds unnamed "
                         "arrays; expected keys arg:<name> and aux:<name>")
    arg_params, aux_params = {}, {}
    for key, value in loaded.items():
        kind, _, name = key.partition(":")
        if kind == "arg":
            arg_params[name] = to_nd(value)
        elif kind == "aux":
            aux_params[name] = to_nd(value)
        else:
            raise MXNetError(f"mx.model.load_params: key {key!r} is neither arg:<name> nor "
                             "aux:<name>")
    return arg_params, aux_params


def load_checkpoint(prefix: str, epoch: int) -> tuple:
    """(symbol, arg_params, aux_params) saved by ``save_checkpoint``."""
    symbol = sym.load(f"{prefix}-symbol.json")
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params


def __getattr__(name: str):
    """``FeedForward``, loaded on first use."""
    if name == "FeedForward":
        # FeedForward runs on mx.mod's Module, which imports this module: a cycle
        from .module.feedforward import FeedForward
        return FeedForward
    raise AttributeError(f"module 'mxnp.model' has no attribute {name!r}")


def __dir__() -> list:
    """The module's names, FeedForward included."""
    return sorted({*globals(), "FeedForward"})
