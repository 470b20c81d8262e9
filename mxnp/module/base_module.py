"""``BaseModule``: the training loop (``fit``), evaluation (``score``, ``predict``) and
parameter files that every module shares, written against the abstract per-batch calls
(``forward``, ``backward``, ``update``, ``update_metric``) that ``Module`` implements."""
from __future__ import annotations

import logging
import time

import numpy as onp

from .. import metric as _metric
from .. import ndarray as nd
from .._ndarray import ndarray
from ..base import MXNetError, _as_list
from ..context import cpu
from ..initializer import Uniform
from ..io import DataBatch, DataIter
from ..model import BatchEndParam

__all__ = ["BaseModule"]


def _as_metric(eval_metric):
    if isinstance(eval_metric, _metric.EvalMetric):
        return eval_metric
    return _metric.create(eval_metric)


def _call_all(callbacks, *args) -> None:
    for callback in _as_list(callbacks):
        callback(*args)


class BaseModule:
    """The shared part of MXNet 1.x's modules: ``fit``, ``score``, ``predict``,
    ``iter_predict``, parameter files; subclasses bind and compute."""

    def __init__(self, logger=logging):
        self.logger = logger
        self.binded = False
        self.for_training = False
        self.inputs_need_grad = False
        self.params_initialized = False
        self.optimizer_initialized = False
        self._symbol = None
        self._total_exec_bytes = 0

    def _check_ready(self, what: str, optimizer: bool = False) -> None:
        """Raise a clear error unless bound and initialized (and with an optimizer)."""
        missing = [step for step, done in (
            ("bind()", self.binded), ("init_params() or set_params()", self.params_initialized),
            ("init_optimizer()", self.optimizer_initialized or not optimizer)) if not done]
        if missing:
            raise MXNetError(f"{type(self).__name__}.{what}: call {' and '.join(missing)} first")

    def _optimizer_wanted(self, force_init: bool,
                          notice: str = "optimizer already initialized, ignoring.") -> bool:
        """The start of every ``init_optimizer``: an error unless bound and initialized; False,
        with MXNet's warning ``notice``, when there is an optimizer and ``force_init`` is off."""
        self._check_ready("init_optimizer")
        if self.optimizer_initialized and not force_init:
            self.logger.warning(notice)
            return False
        return True

    # ---- a batch at a time ---------------------------------------------------------------
    def forward_backward(self, data_batch) -> None:
        """``forward(is_train=True)`` then ``backward()``."""
        self.forward(data_batch, is_train=True)
        self.backward()

    def prepare(self, data_batch, sparse_row_id_fn=None) -> None:
        """Get ready for ``data_batch`` (nothing to do for dense data on one device)."""
        if sparse_row_id_fn is not None:
            raise NotImplementedError("prepare: sparse_row_id_fn (row-sparse parameters) is not "
                                      "supported by mxnp")

    # ---- evaluation ----------------------------------------------------------------------
    def score(self, eval_data, eval_metric, num_batch=None, batch_end_callback=None,
              score_end_callback=None, reset=True, epoch=0, sparse_row_id_fn=None) -> list:
        """``[(name, value)]`` of ``eval_metric`` over ``eval_data`` (padding included, as
        MXNet counts it)."""
        self._check_ready("score")
        if reset:
            eval_data.reset()
        eval_metric = _as_metric(eval_metric)
        eval_metric.reset()
        actual_num_batch = 0
        for nbatch, batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(batch, sparse_row_id_fn)
            self.forward(batch, is_train=False)
            self.update_metric(eval_metric, batch.label)
            if batch_end_callback is not None:
                _call_all(batch_end_callback, BatchEndParam(epoch, nbatch, eval_metric, locals()))
            actual_num_batch += 1
        if score_end_callback:
            _call_all(score_end_callback,
                      BatchEndParam(epoch, actual_num_batch, eval_metric, locals()))
        return eval_metric.get_name_value()

    def iter_predict(self, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
        """Yield ``(outputs without the padding, batch number, batch)`` for each batch."""
        self._check_ready("iter_predict")
        if reset:
            eval_data.reset()
        for nbatch, batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(batch, sparse_row_id_fn)
            self.forward(batch, is_train=False)
            pad = batch.pad or 0
            yield [out[0:out.shape[0] - pad] for out in self.get_outputs()], nbatch, batch

    def predict(self, eval_data, num_batch=None, merge_batches=True, reset=True,
                always_output_list=False, sparse_row_id_fn=None):
        """The outputs over ``eval_data`` (a DataIter, or one array) without the padding;
        batches joined unless ``merge_batches`` is False; one output alone unless
        ``always_output_list``."""
        self._check_ready("predict")
        if isinstance(eval_data, (ndarray, onp.ndarray)):
            self.forward(DataBatch([eval_data if isinstance(eval_data, nd.NDArray)
                                    else nd.array(eval_data)]))
            return self.get_outputs()[0]
        if not isinstance(eval_data, DataIter):
            # MXNet raises ValueError here
            raise ValueError(f"{type(self).__name__}.predict: eval_data must be a "  # noqa: TRY004
                             f"DataIter or an array, got {type(eval_data).__name__}")
        outputs = [[out.copy() for out in outs] for outs, _, _ in
                   self.iter_predict(eval_data, num_batch, reset, sparse_row_id_fn)]
        if not outputs or not merge_batches:
            return outputs
        if len({len(outs) for outs in outputs}) != 1:
            raise MXNetError(f"{type(self).__name__}.predict: the batches have different "
                             "numbers of outputs (bucketing?); pass merge_batches=False")
        merged = [nd.concat(*[outs[i] for outs in outputs], dim=0)
                  for i in range(len(outputs[0]))]
        return merged[0] if len(merged) == 1 and not always_output_list else merged

    # ---- training ------------------------------------------------------------------------
    def fit(self, train_data, eval_data=None, eval_metric="acc", epoch_end_callback=None,
            batch_end_callback=None, kvstore="local", optimizer="sgd",
            optimizer_params=(("learning_rate", 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=None, arg_params=None,
            aux_params=None, allow_missing=False, force_rebind=False, force_init=False,
            begin_epoch=0, num_epoch=None, validation_metric=None, monitor=None,
            sparse_row_id_fn=None) -> None:
        """Train for epochs ``begin_epoch`` .. ``num_epoch - 1``, logging the training metric,
        the time and the validation metric of each (``initializer`` defaults to
        ``Uniform(0.01)``)."""
        if num_epoch is None:
            raise ValueError(f"{type(self).__name__}.fit: please specify num_epoch")
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        self.init_params(initializer=Uniform(0.01) if initializer is None else initializer,
                         arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if monitor is not None:
            self.install_monitor(monitor)
        validation_metric = eval_metric if validation_metric is None else validation_metric
        eval_metric = _as_metric(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            tic = time.time()
            name_values = self._fit_epoch(train_data, epoch, eval_metric, batch_end_callback,
                                          sparse_row_id_fn, monitor)
            for name, value in name_values:
                self.logger.info("Epoch[%d] Train-%s=%f", epoch, name, value)
            self.logger.info("Epoch[%d] Time cost=%.3f", epoch, time.time() - tic)
            arg_params_now, aux_params_now = self.get_params()
            self.set_params(arg_params_now, aux_params_now)
            if epoch_end_callback is not None:
                _call_all(epoch_end_callback, epoch, self.symbol, arg_params_now, aux_params_now)
            if eval_data:
                res = self.score(eval_data, validation_metric, score_end_callback=eval_end_callback,
                                 batch_end_callback=eval_batch_end_callback, epoch=epoch)
                for name, value in res:
                    self.logger.info("Epoch[%d] Validation-%s=%f", epoch, name, value)
            train_data.reset()

    def _fit_epoch(self, train_data, epoch, eval_metric, batch_end_callback,
                   sparse_row_id_fn, monitor=None) -> list:
        """One epoch of training; the metric's ``(name, value)`` pairs over the epoch."""
        eval_metric.reset()
        batches = iter(train_data)
        next_batch = next(batches)
        nbatch, end_of_data, name_values = 0, False, []
        while not end_of_data:
            batch = next_batch
            if monitor is not None:
                monitor.tic()
            self.forward_backward(batch)
            self.update()
            self.update_metric(eval_metric, batch.label)
            if monitor is not None:
                monitor.toc_print()
            try:
                next_batch = next(batches)
                self.prepare(next_batch, sparse_row_id_fn)
            except StopIteration:
                end_of_data = True
                # read before the last callback, which may reset the metric's local part
                name_values = eval_metric.get_global_name_value()
            if batch_end_callback is not None:
                _call_all(batch_end_callback, BatchEndParam(epoch, nbatch, eval_metric, locals()))
            nbatch += 1
        return name_values

    # ---- parameter files -----------------------------------------------------------------
    def save_params(self, fname: str) -> None:
        """Write the parameters to ``fname`` (keys ``arg:<name>`` and ``aux:<name>``)."""
        arg_params, aux_params = self.get_params()
        arrays = {f"arg:{k}": v.as_in_context(cpu()) for k, v in arg_params.items()}
        arrays.update({f"aux:{k}": v.as_in_context(cpu()) for k, v in aux_params.items()})
        nd.save(fname, arrays)

    def load_params(self, fname: str) -> None:
        """Read parameters written by ``save_params`` and ``set_params`` them."""
        arg_params, aux_params = {}, {}
        for key, value in nd.load(fname).items():
            kind, _, name = key.partition(":")
            if kind not in ("arg", "aux") or not name:
                raise MXNetError(f"{type(self).__name__}.load_params: key {key!r} of {fname!r} "
                                 "is neither arg:<name> nor aux:<name>")
            (arg_params if kind == "arg" else aux_params)[name] = value
        self.set_params(arg_params, aux_params)

    # ---- what subclasses define ----------------------------------------------------------
    @property
    def symbol(self):
        """The module's Symbol."""
        return self._symbol

    def get_params(self):
        """``(arg_params, aux_params)``."""
        raise NotImplementedError()

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Set the parameters from dicts name -> array."""
        self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init,
                         allow_extra=allow_extra)

    def init_params(self, initializer=None, arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Initialize the parameters."""
        raise NotImplementedError()

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write"):
        """Make the executors for these input shapes."""
        raise NotImplementedError()

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False):
        """Make the optimizer."""
        raise NotImplementedError()

    def forward(self, data_batch, is_train=None):
        """Compute the outputs of one batch."""
        raise NotImplementedError()

    def backward(self, out_grads=None):
        """Compute the gradients of the last forward."""
        raise NotImplementedError()

    def update(self):
        """Apply the optimizer to the parameters."""
        raise NotImplementedError()

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Accumulate ``eval_metric`` over the last outputs and ``labels``."""
        raise NotImplementedError()

    def get_outputs(self, merge_multi_context=True):
        """The outputs of the last forward."""
        raise NotImplementedError()
