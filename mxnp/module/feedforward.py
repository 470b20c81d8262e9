"""``mx.model.FeedForward``: MXNet's deprecated model class (``load``, ``predict``, ``score``,
``fit``, ``save``, ``create``), kept for old code and run on a ``Module``."""
from __future__ import annotations

import logging
import time
import warnings

import numpy as onp

from .. import metric as _metric
from .._ndarray import ndarray
from ..base import _as_list
from ..callback import LogValidationMetricsCallback
from ..context import Context, cpu
from ..initializer import Uniform
from ..io import DataIter, NDArrayIter
from ..model import BatchEndParam, load_checkpoint, save_checkpoint
from .module import Module

__all__ = ["FeedForward"]


def _host(x) -> onp.ndarray:
    return x.asnumpy() if isinstance(x, ndarray) else onp.asarray(x)


class FeedForward:
    """A Symbol with its parameters that predicts on arrays or iterators and trains with
    ``fit`` (deprecated in MXNet in favour of ``mx.mod.Module``); extra keyword arguments go
    to the optimizer."""

    def __init__(self, symbol, ctx=None, num_epoch=None, epoch_size=None, optimizer="sgd",
                 initializer=Uniform(0.01), numpy_batch_size=128, arg_params=None,  # noqa: B008
                 aux_params=None, allow_extra_params=False, begin_epoch=0, **kwargs):
        warnings.warn("\033[91mmxnet.model.FeedForward has been deprecated. Please use "
                      "mxnet.mod.Module instead.\033[0m", DeprecationWarning, stacklevel=2)
        self.ctx = [cpu()] if ctx is None else [ctx] if isinstance(ctx, Context) else list(ctx)
        self.symbol = symbol
        self.arg_params, self.aux_params = arg_params, aux_params
        self.allow_extra_params = allow_extra_params
        self.num_epoch, self.epoch_size = num_epoch, epoch_size
        self.optimizer, self.initializer = optimizer, initializer
        self.numpy_batch_size = numpy_batch_size
        self.begin_epoch = begin_epoch
        self.kwargs = kwargs.copy()

    # ---- data ----------------------------------------------------------------------------
    def _init_iter(self, X, y, is_train: bool):
        """``X`` (and ``y``) as a DataIter: arrays become an NDArrayIter."""
        if isinstance(X, DataIter):
            return X
        if not isinstance(X, (ndarray, onp.ndarray)):
            raise TypeError("FeedForward: X must be a DataIter, an NDArray or a numpy.ndarray")
        if y is None:
            if is_train:
                raise ValueError("FeedForward: y must be given when X is an array")
            y = onp.zeros(X.shape[0])
        y = _host(y)
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"FeedForward: X has {X.shape[0]} samples but y has {y.shape[0]}")
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError("FeedForward: the label must be 1-D (or 2-D with one column)")
        batch_size = min(X.shape[0], self.numpy_batch_size)
        if is_train:
            return NDArrayIter(X, y, batch_size, shuffle=True, last_batch_handle="roll_over")
        return NDArrayIter(X, y, batch_size, shuffle=False)

    def _module(self, data_iter, for_training: bool, with_labels: bool = True) -> Module:
        """A Module bound for ``data_iter``'s batches (and labels), holding this model's
        parameters."""
        label_shapes = data_iter.provide_label if with_labels else None
        mod = Module(self.symbol, data_names=[d[0] for d in data_iter.provide_data],
                     label_names=[d[0] for d in label_shapes] if label_shapes else None,
                     context=self.ctx)
        mod.bind(data_iter.provide_data, label_shapes, for_training=for_training)
        if for_training:
            mod.init_params(self.initializer, self.arg_params, self.aux_params,
                            allow_missing=True)
        else:
            mod.set_params(self.arg_params or {}, self.aux_params or {}, allow_missing=True,
                           allow_extra=self.allow_extra_params)
        return mod

    # ---- prediction ----------------------------------------------------------------------
    def predict(self, X, num_batch=None, return_data=False, reset=True):
        """The outputs over ``X`` as NumPy arrays (one array for one output), without the
        padding; with ``return_data`` also the data and the labels."""
        X = self._init_iter(X, None, is_train=False)
        if reset:
            X.reset()
        mod = self._module(X, for_training=False, with_labels=False)
        outputs, data, labels = [], [], []
        for outs, _, batch in mod.iter_predict(X, num_batch=num_batch, reset=False):
            outputs.append([o.asnumpy() for o in outs])
            if return_data:
                keep = batch.data[0].shape[0] - (batch.pad or 0)
                data.append([d.asnumpy()[:keep] for d in batch.data])
                labels.append([x.asnumpy()[:keep] for x in batch.label or []])
        joined = [[onp.concatenate(parts) for parts in zip(*rows)] if rows else []
                  for rows in (outputs, data, labels)]
        joined = [x[0] if len(x) == 1 else x for x in joined]
        return tuple(joined) if return_data else joined[0]

    def score(self, X, eval_metric="acc", num_batch=None, batch_end_callback=None,
              reset=True):
        """The value of ``eval_metric`` over ``X``."""
        X = self._init_iter(X, None, is_train=False)
        mod = self._module(X, for_training=False)
        metric = eval_metric if isinstance(eval_metric, _metric.EvalMetric) else \
            _metric.create(eval_metric)
        mod.score(X, metric, num_batch=num_batch, batch_end_callback=batch_end_callback,
                  reset=reset)
        return metric.get()[1]

    # ---- training ------------------------------------------------------------------------
    def fit(self, X, y=None, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", logger=None, work_load_list=None,
            monitor=None, eval_end_callback=LogValidationMetricsCallback(),  # noqa: B008
            eval_batch_end_callback=None) -> None:
        """Train for epochs ``begin_epoch`` .. ``num_epoch - 1`` (``epoch_size`` batches
        each when given), logging as MXNet's FeedForward does."""
        if monitor is not None:
            raise NotImplementedError("FeedForward.fit: monitor is not supported by mxnp")
        data = self._init_iter(X, y, is_train=True)
        if isinstance(eval_data, (list, tuple)) and len(eval_data) == 2:
            eval_data = self._init_iter(*eval_data, is_train=True)
        logger = logger or logging
        mod = self._module(data, for_training=True)
        mod.init_optimizer(kvstore, self.optimizer, self.kwargs)
        metric = _metric.create(eval_metric) if not isinstance(
            eval_metric, _metric.EvalMetric) else eval_metric
        logger.info("Start training with %s", str(self.ctx))
        for epoch in range(self.begin_epoch, self.num_epoch):
            tic = time.time()
            metric.reset()
            self._train_epoch(mod, data, epoch, metric, batch_end_callback, logger)
            logger.info("Epoch[%d] Time cost=%.3f", epoch, time.time() - tic)
            arg_params, aux_params = mod.get_params()
            self.arg_params = {k: v.copy() for k, v in arg_params.items()}
            self.aux_params = {k: v.copy() for k, v in aux_params.items()}
            for callback in _as_list(epoch_end_callback or []):
                callback(epoch, self.symbol, self.arg_params, self.aux_params)
            if eval_data:
                mod.score(eval_data, metric, batch_end_callback=eval_batch_end_callback,
                          score_end_callback=eval_end_callback, epoch=epoch)

    def _train_epoch(self, mod, data, epoch, metric, batch_end_callback, logger) -> None:
        nbatch = 0
        while True:
            finished_data = True
            for batch in data:
                mod.forward_backward(batch)
                mod.update()
                mod.update_metric(metric, batch.label)
                nbatch += 1
                for callback in _as_list(batch_end_callback or []):
                    callback(BatchEndParam(epoch, nbatch, metric, locals()))
                if self.epoch_size is not None and nbatch >= self.epoch_size:
                    finished_data = False
                    break
            if finished_data:
                logger.info("Epoch[%d] Resetting Data Iterator", epoch)
                data.reset()
            if self.epoch_size is None or nbatch >= self.epoch_size:
                return

    # ---- files ---------------------------------------------------------------------------
    def save(self, prefix: str, epoch=None) -> None:
        """Write the checkpoint of ``epoch`` (default ``num_epoch``)."""
        epoch = self.num_epoch if epoch is None else epoch
        save_checkpoint(prefix, epoch, self.symbol, self.arg_params, self.aux_params)

    @staticmethod
    def load(prefix: str, epoch: int, ctx=None, **kwargs):
        """A FeedForward of ``prefix``'s checkpoint of ``epoch``."""
        symbol, arg_params, aux_params = load_checkpoint(prefix, epoch)
        return FeedForward(symbol, ctx=ctx, arg_params=arg_params, aux_params=aux_params,
                           begin_epoch=epoch, **kwargs)

    @staticmethod
    def create(symbol, X, y=None, ctx=None, num_epoch=None, epoch_size=None, optimizer="sgd",
               initializer=Uniform(0.01), eval_data=None, eval_metric="acc",  # noqa: B008
               epoch_end_callback=None, batch_end_callback=None, kvstore="local", logger=None,
               work_load_list=None, eval_end_callback=LogValidationMetricsCallback(),  # noqa: B008
               eval_batch_end_callback=None, **kwargs):
        """A FeedForward made and trained (``fit``) in one call."""
        model = FeedForward(symbol, ctx=ctx, num_epoch=num_epoch, epoch_size=epoch_size,
                            optimizer=optimizer, initializer=initializer, **kwargs)
        model.fit(X, y, eval_data=eval_data, eval_metric=eval_metric,
                  epoch_end_callback=epoch_end_callback, batch_end_callback=batch_end_callback,
                  kvstore=kvstore, logger=logger, eval_end_callback=eval_end_callback,
                  eval_batch_end_callback=eval_batch_end_callback)
        return model
