"""CheckpointHandler and EarlyStoppingHandler: the handlers that watch a monitor metric."""
from __future__ import annotations

import math
import os
import warnings

import numpy as onp

from ....metric import CompositeEvalMetric, EvalMetric
from ._events import BatchEnd, EpochEnd, TrainBegin, TrainEnd


def _monitor_op(monitor, mode: str, handler: str):
    """The comparison that says ``monitor`` improved: NumPy's ``less`` or ``greater``."""
    if mode not in ("auto", "min", "max"):
        warnings.warn("%s mode %s is unknown, fallback to auto mode. CheckpointHandler will use"
                      "max mode for f1 and accuracy metric comparison and use min mode other "
                      "wise" % (handler, mode), RuntimeWarning)
        mode = "auto"
    if mode != "auto":
        return onp.less if mode == "min" else onp.greater
    name = monitor.get()[0]
    # MXNet 1.9.1 tests `'acc' or 'f1' in name`, always true; mxnp picks `less` for other
    # metrics, as its warning text and docs describe (docs/differences.md).
    if "acc" in name.lower() or "f1" in name.lower():
        warnings.warn(f"`greater` operator will be used to determine if {name} has improved. Please "
                      "specify `mode='min'` to use the `less` operator. Specify `mode='max' to "
                      "disable this warning.`")
        return onp.greater
    warnings.warn(f"`less` operator will be used to determine if {name} has improved. Please "
                  "specify `mode='max'` to use the `greater` operator. Specify `mode='min' to "
                  "disable this warning.`")
    return onp.less


def _worst(monitor_op) -> float:
    return math.inf if monitor_op is onp.less else -math.inf


class CheckpointHandler(TrainBegin, BatchEnd, EpochEnd):
    """Saves the net's parameters and the trainer's states to ``model_dir`` as
    ``{model_prefix}-epoch{E}batch{B}.params/.states`` every ``epoch_period`` epochs and/or
    ``batch_period`` batches, keeping the last ``max_checkpoints``; with ``save_best`` also
    ``{model_prefix}-best`` whenever ``monitor`` improves. ``resume_from_checkpoint`` loads the
    newest checkpoint at train begin and trains only the remaining epochs or batches."""

    def __init__(self, model_dir, model_prefix="model", monitor=None, verbose=0, save_best=False,
                 mode="auto", epoch_period=1, batch_period=None, max_checkpoints=5,
                 resume_from_checkpoint=False):
        self.monitor = monitor
        self.verbose = verbose
        os.makedirs(model_dir, exist_ok=True)
        self.model_dir = model_dir
        self.model_prefix = model_prefix
        self.save_best = save_best
        if save_best and not isinstance(monitor, EvalMetric):
            raise ValueError("To save best model only, please provide one of the metric objects "
                             "from estimator.train_metrics and estimator.val_metrics as monitor.")
        self.epoch_period = epoch_period
        self.batch_period = batch_period
        self.current_batch = 0
        self.current_epoch = 0
        self.max_checkpoints = max_checkpoints
        self.resume_from_checkpoint = resume_from_checkpoint
        self.saved_checkpoints = []
        if save_best:
            self.monitor_op = _monitor_op(monitor, mode, "ModelCheckpoint")
            self.best = _worst(self.monitor_op)

    def train_begin(self, estimator, *args, **kwargs):
        """Reset the counters; resume from the newest checkpoint if asked to."""
        self.current_epoch = 0
        self.current_batch = 0
        if self.save_best:
            self.best = _worst(self.monitor_op)
        if self.resume_from_checkpoint:
            msg = ("To use resume from checkpoint, you must only specify the same type of period "
                   "you used for training.For example, if you are training based on number of "
                   "epochs,you must save only based on epochs, and set batch_period to None.")
            if estimator.max_batch:
                assert self.batch_period and not self.epoch_period, msg
            if estimator.max_epoch:
                assert self.epoch_period and not self.batch_period, msg
            self._resume_from_checkpoint(estimator)

    def batch_end(self, estimator, *args, **kwargs):
        """Save the symbol after the first batch; save a checkpoint every ``batch_period``."""
        if self.current_batch == 0:
            self._save_symbol(estimator)
        if self.batch_period and (self.current_batch + 1) % self.batch_period == 0:
            self._save_checkpoint(estimator)
        self.current_batch += 1

    def epoch_end(self, estimator, *args, **kwargs):
        """Save a checkpoint every ``epoch_period`` epochs."""
        if self.epoch_period and (self.current_epoch + 1) % self.epoch_period == 0:
            self._save_checkpoint(estimator)
        self.current_epoch += 1

    def _save_checkpoint(self, estimator):
        epoch, batch = self.current_epoch, self.current_batch
        if self.resume_from_checkpoint:
            epoch += self.trained_epoch + 1
            batch += self.trained_batch + (0 if estimator.max_epoch else 1)
        prefix = "%s-epoch%dbatch%d" % (self.model_prefix, epoch, batch)
        self._save_params_and_trainer(estimator, prefix)
        if self.verbose > 0:
            estimator.logger.info("[Epoch %d] CheckpointHandler: trained total %d batches, "
                                  "saving model at %s with prefix: %s", self.current_epoch,
                                  self.current_batch + 1, self.model_dir, prefix)
        if self.save_best:
            self._save_best(estimator)

    def _save_best(self, estimator):
        name, value = self.monitor.get()
        if math.isnan(value):
            warnings.warn(RuntimeWarning(
                f"Skipping save best because {name} is not updated, make sure you pass one of "
                "the metric objects estimator.train_metrics and estimator.val_metrics as "
                "monitor"))
        elif self.monitor_op(value, self.best):
            prefix = self.model_prefix + "-best"
            self._save_params_and_trainer(estimator, prefix)
            # the old best, then the new one (MXNet 1.9.1 logs the new value twice)
            previous, self.best = self.best, value
            if self.verbose > 0:
                estimator.logger.info("[Epoch %d] CheckpointHandler: %s improved from %0.5f to "
                                      "%0.5f, updating best model at %s with prefix: %s",
                                      self.current_epoch, name, previous, value,
                                      self.model_dir, prefix)
        elif self.verbose > 0:
            # the epoch (MXNet 1.9.1 prints the batch count here)
            estimator.logger.info("[Epoch %d] CheckpointHandler: %s did not improve from %0.5f, "
                                  "skipping updating best model", self.current_epoch, name,
                                  self.best)

    def _save_symbol(self, estimator):
        symbol_file = os.path.join(self.model_dir, self.model_prefix + "-symbol.json")
        if getattr(estimator.net, "_cached_op", None):
            from ..._export import block_symbol
            block_symbol(estimator.net)[0].save(symbol_file)
        else:
            estimator.logger.info(
                "Model architecture(symbol file) is not saved, please use HybridBlock to "
                "construct your model, and call net.hybridize() before passing to Estimator in "
                "order to save model architecture as %s.", symbol_file)

    def _save_params_and_trainer(self, estimator, file_prefix):
        estimator.net.save_parameters(os.path.join(self.model_dir, file_prefix + ".params"))
        estimator.trainer.save_states(os.path.join(self.model_dir, file_prefix + ".states"))
        if "best" not in file_prefix:
            self.saved_checkpoints.append(file_prefix)
        if len(self.saved_checkpoints) > self.max_checkpoints:
            prefix = self.saved_checkpoints.pop(0)
            for fname in os.listdir(self.model_dir):
                if fname.startswith(prefix):
                    os.remove(os.path.join(self.model_dir, fname))

    def _resume_from_checkpoint(self, estimator):
        prefix = self.model_prefix + "-epoch"
        self.trained_epoch = self._find_max_iteration(self.model_dir, prefix, "epoch", "batch",
                                                      self.saved_checkpoints)
        prefix += str(self.trained_epoch)
        self.trained_batch = self._find_max_iteration(self.model_dir, prefix, "batch", ".params")
        if self.trained_epoch == -1:
            msg = "CheckpointHandler: No checkpoint found, training from scratch for "
            msg += ("%d batches" % estimator.max_batch if estimator.max_batch
                    else "%d epochs" % estimator.max_epoch)
            estimator.logger.info(msg)
            return
        msg = ("CheckpointHandler: Checkpoint resumed from epoch %d batch %d, continue to train "
               "for " % (self.trained_epoch, self.trained_batch))
        reached = ("Found checkpoint with maximum number of %s %d reached, please specify "
                   "resume_from_checkpoint=False (default value) if you wan to train from "
                   "scratch.")
        if estimator.max_epoch:
            if self.trained_epoch >= estimator.max_epoch - 1:
                raise ValueError(reached % ("epoch", estimator.max_epoch))
            estimator.max_epoch = estimator.max_epoch - self.trained_epoch - 1
            msg += "%d epochs " % estimator.max_epoch
        if estimator.max_batch:
            if self.trained_batch >= estimator.max_batch - 1:
                raise ValueError(reached % ("batch", self.trained_batch))
            estimator.max_batch = estimator.max_batch - self.trained_batch - 1
            msg += "%d batches " % estimator.max_batch
        name = "%s-epoch%dbatch%d" % (self.model_prefix, self.trained_epoch, self.trained_batch)
        param_file = os.path.join(self.model_dir, name + ".params")
        trainer_file = os.path.join(self.model_dir, name + ".states")
        for path in (param_file, trainer_file):
            assert os.path.exists(path), "Failed to load checkpoint, %s does not exist" % path
        estimator.net.load_parameters(param_file, ctx=estimator.context)
        estimator.trainer.load_states(trainer_file)
        estimator.logger.warning(msg)

    @staticmethod
    def _find_max_iteration(dir, prefix, start, end, saved_checkpoints=None) -> int:
        """The largest number between ``start`` and ``end`` in the names of ``dir``'s
        ``prefix*.params`` files, or -1; lists the checkpoints found in ``saved_checkpoints``."""
        max_iter = -1
        for fname in os.listdir(dir):
            if not (fname.startswith(prefix) and ".params" in fname):
                continue
            if saved_checkpoints:
                saved_checkpoints.append(fname[:fname.find(".params")])
            try:
                max_iter = max(max_iter, int(fname[fname.find(start) + len(start):
                                                   fname.find(end)]))
            except ValueError:
                raise ValueError("Error parsing checkpoint file, please check your checkpoints "
                                 "have the format: {model_name}-epoch{epoch_number}batch"
                                 "{batch_number}.params, there should also be a .states file "
                                 "for each .params file ") from None
        return max_iter


class EarlyStoppingHandler(TrainBegin, EpochEnd, TrainEnd):
    """Stops training when ``monitor`` has not improved by ``min_delta`` for ``patience``
    epochs (or never beat ``baseline``)."""

    def __init__(self, monitor, min_delta=0, patience=0, mode="auto", baseline=None):
        if not isinstance(monitor, EvalMetric):
            raise ValueError("Please provide one of the metric objects from "
                             "estimator.train_metrics and estimator.val_metrics as monitor.")
        if isinstance(monitor, CompositeEvalMetric):
            raise ValueError("CompositeEvalMetric is not supported for EarlyStoppingHandler, "
                             "please specify a simple metric instead.")
        self.monitor = monitor
        self.baseline = baseline
        self.patience = patience
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        self.monitor_op = _monitor_op(monitor, mode, "EarlyStopping")
        self.min_delta = min_delta if self.monitor_op is onp.greater else -min_delta

    def train_begin(self, estimator, *args, **kwargs):
        """Reset the counters and the best value."""
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        self.best = self.baseline if self.baseline is not None else _worst(self.monitor_op)

    def epoch_end(self, estimator, *args, **kwargs):
        """Compare the monitor with the best value; True once patience runs out."""
        name, value = self.monitor.get()
        if math.isnan(value):
            warnings.warn(RuntimeWarning(
                f"{name} is not updated, make sure you pass one of the metric objects from "
                "estimator.train_metrics and estimator.val_metrics as monitor."))
        elif self.monitor_op(value - self.min_delta, self.best):
            self.best = value
            self.wait = 0
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = self.current_epoch
                self.stop_training = True
        self.current_epoch += 1
        return self.stop_training

    def train_end(self, estimator, *args, **kwargs):
        """Log the epoch training stopped at, if it stopped early."""
        if self.stopped_epoch > 0:
            estimator.logger.info("[Epoch %d] EarlyStoppingHanlder: early stopping due to %s "
                                  "not improving", self.stopped_epoch, self.monitor.get()[0])
