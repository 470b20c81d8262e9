"""``mx.callback``: what ``Module.fit`` calls at the end of each batch (``Speedometer``,
``ProgressBar``, ``log_train_metric``, ``LogValidationMetricsCallback``) or each epoch
(``do_checkpoint``, ``module_checkpoint``). They report through ``logging`` with MXNet's lines: ``logging.info`` on the root logger, as MXNet
(it configures logging on first use, so a ``setLevel(logging.DEBUG)`` alone shows them)."""
from __future__ import annotations

import logging
import math
import time

from .model import save_checkpoint

__all__ = ["LogValidationMetricsCallback", "ProgressBar", "Speedometer", "do_checkpoint",
           "log_train_metric", "module_checkpoint"]


def _log(msg: str, *args) -> None:
    logging.info(msg, *args)  # noqa: LOG015 - the root logger, as MXNet


def module_checkpoint(mod, prefix: str, period: int = 1, save_optimizer_states: bool = False):
    """An epoch-end callback that saves ``mod``'s checkpoint every ``period`` epochs."""
    period = int(max(1, period))

    def _callback(iter_no, sym=None, arg=None, aux=None):
        if (iter_no + 1) % period == 0:
            mod.save_checkpoint(prefix, iter_no + 1, save_optimizer_states)
    return _callback


def do_checkpoint(prefix: str, period: int = 1):
    """An epoch-end callback that saves the symbol and parameters every ``period`` epochs
    (as ``prefix-symbol.json`` and ``prefix-%04d.params``, numbered from 1)."""
    period = int(max(1, period))

    def _callback(iter_no, sym, arg, aux):
        if (iter_no + 1) % period == 0:
            save_checkpoint(prefix, iter_no + 1, sym, arg, aux)
    return _callback


def log_train_metric(period: int, auto_reset: bool = False):
    """A batch-end callback that logs the training metric every ``period`` batches."""
    def _callback(param):
        if param.nbatch % period == 0 and param.eval_metric is not None:
            for name, value in param.eval_metric.get_name_value():
                _log("Iter[%d] Batch[%d] Train-%s=%f", param.epoch, param.nbatch, name,
                             value)
            if auto_reset:
                param.eval_metric.reset_local()
    return _callback


class Speedometer:
    """A batch-end callback that logs samples per second and the metric every ``frequent``
    batches (resetting the metric's local statistics when ``auto_reset``)."""

    def __init__(self, batch_size: int, frequent: int = 50, auto_reset: bool = True):
        self.batch_size = batch_size
        self.frequent = frequent
        self.auto_reset = auto_reset
        self.init = False
        self.tic = 0.0
        self.last_count = 0

    def __call__(self, param) -> None:
        count = param.nbatch
        if self.last_count > count:  # a new epoch began: time it afresh
            self.init = False
        self.last_count = count
        if not self.init:
            self.init = True
            self.tic = time.time()
            return
        if count % self.frequent != 0:
            return
        elapsed = time.time() - self.tic
        speed = self.frequent * self.batch_size / elapsed if elapsed > 0 else float("inf")
        if param.eval_metric is None:
            _log("Iter[%d] Batch [%d]\tSpeed: %.2f samples/sec", param.epoch, count,
                         speed)
        else:
            pairs = param.eval_metric.get_name_value()
            fields = "\t%s=%f" * len(pairs)
            values = [x for pair in pairs for x in pair]
            if self.auto_reset:
                param.eval_metric.reset_local()
                _log("Epoch[%d] Batch [%d-%d]\tSpeed: %.2f samples/sec" + fields,
                             param.epoch, count - self.frequent, count, speed, *values)
            else:
                _log("Epoch[%d] Batch [0-%d]\tSpeed: %.2f samples/sec" + fields,
                             param.epoch, count, speed, *values)
        self.tic = time.time()


class ProgressBar:
    """A batch-end callback that logs a bar of ``length`` characters for ``total`` batches."""

    def __init__(self, total: int, length: int = 80):
        self.bar_len = length
        self.total = total

    def __call__(self, param) -> None:
        count = param.nbatch
        filled = round(self.bar_len * count / float(self.total))
        percents = math.ceil(100.0 * count / float(self.total))
        bar = "=" * filled + "-" * (self.bar_len - filled)
        _log("[%s] %s%s\r", bar, percents, "%")


class LogValidationMetricsCallback:
    """A score-end callback that logs each validation metric as ``Epoch[n] Validation-...``."""

    def __call__(self, param) -> None:
        if not param.eval_metric:
            return
        for name, value in param.eval_metric.get_name_value():
            _log("Epoch[%d] Validation-%s=%f", param.epoch, name, value)
