"""``mx.contrib.amp``: automatic mixed precision's loss scaling.

``init_trainer``, ``scale_loss`` and ``unscale`` work as MXNet's: the loss is multiplied by a
dynamic scale, the Trainer divides it out of the gradients and skips a step whose gradients
overflowed (halving the scale; doubling it after 2000 clean steps). ``init`` records the target
dtype and changes no operator: MXNet on a CPU computes in float32 too (in numpy mode its AMP
leaves the operators as they are; in 1.x mode its float16 FullyConnected refuses to run on a
CPU). Graph conversion (``convert_model``, ``convert_hybrid_block`` ...) is not provided.
"""
from __future__ import annotations

import contextlib
import logging

from .loss_scaler import LossScaler

__all__ = ["LossScaler", "init", "init_trainer", "list_lp16_ops", "scale_loss", "unscale"]

_STATE = {"target_dtype": None}
_LP16_OPS = ["Convolution", "Deconvolution", "FullyConnected", "RNN"]


def init(target_dtype="float16", target_precision_ops=None, conditional_fp32_ops=None,
         fp32_ops=None):
    """Turn AMP on for ``target_dtype`` ('float16' or 'bfloat16'); a second call does nothing.
    mxnp computes every operator in its inputs' dtype, as MXNet does on a CPU."""
    assert target_dtype in ("float16", "bfloat16"), \
        "AMP currently supports only float16 or bfloat16 as a target_dtype"
    if _STATE["target_dtype"] is None:
        _STATE["target_dtype"] = target_dtype
        logging.info("Using AMP")  # noqa: LOG015 - MXNet logs on the root logger


def init_trainer(optimizer_or_trainer):
    """Give a gluon Trainer a dynamic loss scaler (for ``scale_loss``)."""
    from ...gluon.trainer import Trainer

    if not isinstance(optimizer_or_trainer, Trainer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    optimizer_or_trainer._amp_loss_scaler = LossScaler()
    optimizer_or_trainer._amp_original_scale = optimizer_or_trainer._scale


@contextlib.contextmanager
def scale_loss(loss, optimizer_or_trainer):
    """Yield the loss (or list of losses) times the current loss scale, and have the Trainer
    divide the gradients by it: ``with amp.scale_loss(l, trainer) as s: s.backward()``."""
    scaler = optimizer_or_trainer._amp_loss_scaler
    optimizer_or_trainer._scale = optimizer_or_trainer._amp_original_scale / scaler.loss_scale
    if isinstance(loss, (list, tuple)):
        yield [piece * scaler.loss_scale for piece in loss]
    else:
        yield scaler.loss_scale * loss


def unscale(optimizer_or_trainer):
    """Divide the loss scale out of the gradients now (before clipping them, say); the next
    ``step`` then rescales by 1."""
    from ... import autograd
    from ...gluon.trainer import Trainer

    if not isinstance(optimizer_or_trainer, Trainer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    with autograd.pause():
        for param in optimizer_or_trainer._params:
            if param._grad is not None:
                for g in param.list_grad():
                    g[:] *= optimizer_or_trainer._scale
    optimizer_or_trainer._scale = 1.0


def list_lp16_ops(target_dtype):
    """The operators MXNet's AMP runs in float16: Convolution, Deconvolution, FullyConnected,
    RNN."""
    assert target_dtype == "float16", "not supported type"
    return list(_LP16_OPS)
