"""``Estimator``: fit and evaluate a gluon network with event handlers (MXNet 1.9.1's fit API)."""
from __future__ import annotations

import copy
import logging
import sys
import warnings

from ....context import Context, cpu, gpu, num_gpus
from ....metric import Loss as metric_loss
from ...data import DataLoader
from ...loss import Loss as gluon_loss
from ...trainer import Trainer
from ._events import _check_event_handlers
from .batch_processor import BatchProcessor
from .event_handler import (
    BatchBegin,
    BatchEnd,
    EpochBegin,
    EpochEnd,
    GradientUpdateHandler,
    LoggingHandler,
    MetricHandler,
    StoppingHandler,
    TrainBegin,
    TrainEnd,
    ValidationHandler,
)
from .utils import _check_handler_metric_ref, _check_metrics, _suggest_metric_for_loss

__all__ = ["Estimator"]

_CATEGORIES = (TrainBegin, EpochBegin, BatchBegin, BatchEnd, EpochEnd, TrainEnd)
_NOT_A_LOADER = ("Estimator only support input as Gluon DataLoader. Alternatively, you can "
                 "transform your DataIter or any NDArray into Gluon DataLoader. "
                 "Refer to gluon.data.{}")


class Estimator:
    """Trains ``net`` on ``loss`` with ``trainer`` and reports metrics through event handlers.

    ``train_metrics`` get the prefix 'training ' and ``val_metrics`` (copies of the training
    ones when not given) 'validation '; a loss metric named after ``loss`` is always added to
    the default training metrics. ``val_net``/``val_loss`` default to ``net``/``loss``.
    ``logger`` writes INFO messages to stdout.
    """

    logger = None

    def __init__(self, net, loss, train_metrics=None, val_metrics=None, initializer=None,
                 trainer=None, context=None, val_net=None, val_loss=None, batch_processor=None):
        self.net = net
        self.loss = self._check_loss(loss)
        self._train_metrics = _check_metrics(train_metrics)
        self._val_metrics = _check_metrics(val_metrics)
        self._add_default_training_metrics()
        self._add_validation_metrics()
        self.val_loss = self.loss if val_loss is None else self._check_loss(val_loss)
        self.val_net = self.net if val_net is None else val_net
        # a private logger per estimator, as MXNet makes (not one from the global registry)
        self.logger = logging.Logger(name="Estimator", level=logging.INFO)  # noqa: LOG001
        self.logger.addHandler(logging.StreamHandler(sys.stdout))
        self.context = self._check_context(context)
        self._initialize(initializer)
        self.trainer = self._check_trainer(trainer)
        self.batch_processor = self._check_batch_processor(batch_processor)

    @staticmethod
    def _check_loss(loss):
        if not isinstance(loss, gluon_loss):
            raise ValueError(f"loss must be a Loss, refer to gluon.loss.Loss:{loss}")
        return loss

    @staticmethod
    def _check_context(context) -> list:
        available_gpus = [gpu(i) for i in range(num_gpus())]
        if not context:
            if len(available_gpus) > 1:
                warnings.warn("You have multiple GPUs, gpu(0) will be used by default.To "
                              "utilize all your GPUs, specify context as a list of gpus, e.g. "
                              "context=[mx.gpu(0), mx.gpu(1)] ")
            return available_gpus[:1] or [cpu()]
        if isinstance(context, Context):
            context = [context]
        elif not (isinstance(context, list) and all(isinstance(c, Context) for c in context)):
            raise ValueError("context must be a Context or a list of Context, for example "
                             f"mx.cpu() or [mx.gpu(0), mx.gpu(1)], refer to mxnet.Context:{context}"
                             )
        for ctx in context:
            assert ctx in available_gpus or str(ctx).startswith("cpu"), \
                "%s is not available, please make sure your context is in one of: mx.cpu(), %s" \
                % (ctx, ", ".join(str(c) for c in available_gpus))
        return context

    @staticmethod
    def _check_batch_processor(batch_processor):
        if batch_processor is None:
            return BatchProcessor()
        if not (callable(getattr(batch_processor, "fit_batch", None))
                and callable(getattr(batch_processor, "evaluate_batch", None))):
            raise ValueError("Customized Batch Processor must contain fit_batch() and "
                             "evaluate_batch() methods")
        return batch_processor

    def _initialize(self, initializer):
        if not self._is_initialized():
            kwargs = {"init": initializer} if initializer else {}
            self.net.initialize(ctx=self.context, **kwargs)
        elif initializer:
            warnings.warn("Network already fully initialized, skipping initialization. You "
                          "don't need to pass initializer if you already initialized your net. "
                          "You can use net.initialize(init=your_initializer, force_reinit=True)"
                          "to force re-initialize.")

    def _check_trainer(self, trainer):
        if not trainer:
            warnings.warn("No trainer specified, default SGD optimizer with learning rate "
                          "0.001 is used.")
            return Trainer(self.net.collect_params(), "sgd", {"learning_rate": 0.001})
        if not isinstance(trainer, Trainer):
            raise ValueError("Trainer must be a Gluon Trainer instance, refer to "
                             f"gluon.Trainer:{trainer}")
        return trainer

    def _is_initialized(self) -> bool:
        try:
            for param in self.net.collect_params().values():
                param.list_ctx()
        except RuntimeError:
            return False
        return True

    def _get_data_and_label(self, batch, ctx, batch_axis=0):
        return self.batch_processor._get_data_and_label(batch, ctx, batch_axis)

    def _add_default_training_metrics(self):
        if not self._train_metrics:
            suggested = _suggest_metric_for_loss(self.loss)
            self._train_metrics = [suggested] if suggested else []
            self._train_metrics.append(metric_loss(self.loss.name.rstrip("1234567890")))
        for metric in self._train_metrics:
            metric.name = "training " + metric.name

    def _add_validation_metrics(self):
        if not self._val_metrics:
            self._val_metrics = [copy.deepcopy(metric) for metric in self._train_metrics]
        for metric in self._val_metrics:
            if "training" in metric.name:
                metric.name = metric.name.replace("training", "validation")
            else:
                metric.name = "validation " + metric.name

    @property
    def train_metrics(self) -> list:
        """The metrics updated on training batches."""
        return self._train_metrics

    @property
    def val_metrics(self) -> list:
        """The metrics updated on validation batches."""
        return self._val_metrics

    def evaluate(self, val_data, batch_axis=0, event_handlers=None):
        """Run ``val_net`` over ``val_data`` (a DataLoader), updating ``val_metrics``."""
        if not isinstance(val_data, DataLoader):
            raise ValueError(_NOT_A_LOADER.format("DataLoader"))
        for metric in self.val_metrics:
            metric.reset()
        handlers = self._prepare_default_validation_handlers(event_handlers)
        _, epoch_begin, batch_begin, batch_end, epoch_end, _ = self._categorize_handlers(handlers)
        for handler in epoch_begin:
            handler.epoch_begin(self)
        for batch in val_data:
            for handler in batch_begin:
                handler.batch_begin(self, batch=batch)
            _, label, pred, loss = self.batch_processor.evaluate_batch(self, batch, batch_axis)
            for handler in batch_end:
                handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
        for handler in epoch_end:
            handler.epoch_end(self)

    def fit(self, train_data, val_data=None, epochs=None, event_handlers=None, batches=None,
            batch_axis=0):
        """Train on ``train_data`` (a DataLoader) for ``epochs`` epochs or ``batches`` batches.

        A StoppingHandler, GradientUpdateHandler, MetricHandler, LoggingHandler and (given
        ``val_data``) ValidationHandler are added unless ``event_handlers`` holds one.
        """
        if not isinstance(train_data, DataLoader):
            raise ValueError(_NOT_A_LOADER.format("dataloader"))
        if (not epochs) == (not batches):
            raise ValueError("Fit only support exactly one type of iteration, train by number "
                             "of epochs or number of batches.Please specify one and only one "
                             "of: epochs or batches.")
        self.max_epoch, self.max_batch, self.batch_axis = epochs, batches, batch_axis
        handlers = self._prepare_default_handlers(val_data, event_handlers)
        train_begin, epoch_begin, batch_begin, batch_end, epoch_end, train_end = \
            self._categorize_handlers(handlers)
        for handler in train_begin:
            handler.train_begin(self)
        while True:
            for handler in epoch_begin:
                handler.epoch_begin(self)
            for batch in train_data:
                for handler in batch_begin:
                    handler.batch_begin(self, batch=batch)
                _, label, pred, loss = self.batch_processor.fit_batch(self, batch, batch_axis)
                # every handler sees the batch end, even after one asks to stop
                stops = [handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
                         for handler in batch_end]
                if any(stops):
                    break
            if any([handler.epoch_end(self) for handler in epoch_end]):  # noqa: C419 (call all)
                break
        for handler in train_end:
            handler.train_end(self)

    def _prepare_default_handlers(self, val_data, event_handlers) -> list:
        event_handlers = _check_event_handlers(event_handlers)
        added = [StoppingHandler(self.max_epoch, self.max_batch)]
        if not _has(event_handlers, GradientUpdateHandler):
            added.append(GradientUpdateHandler())
        if not _has(event_handlers, MetricHandler):
            added.append(MetricHandler(metrics=self.train_metrics))
        if not _has(event_handlers, ValidationHandler) and val_data:
            added.append(ValidationHandler(val_data=val_data, eval_fn=self.evaluate))
        if not _has(event_handlers, LoggingHandler):
            added.append(LoggingHandler(metrics=self.train_metrics))
        return _merge_handlers(event_handlers, added, self.train_metrics + self.val_metrics)

    def _prepare_default_validation_handlers(self, event_handlers) -> list:
        event_handlers = _check_event_handlers(event_handlers)
        added = []
        if not _has(event_handlers, MetricHandler):
            added.append(MetricHandler(metrics=self.val_metrics))
        if not _has(event_handlers, LoggingHandler):
            added.append(LoggingHandler(metrics=self.val_metrics))
        return _merge_handlers(event_handlers, added, self.val_metrics)

    @staticmethod
    def _categorize_handlers(event_handlers) -> tuple:
        """Six lists of handlers: those of train/epoch/batch begin, batch/epoch/train end."""
        return tuple([h for h in event_handlers if isinstance(h, kind)] for kind in _CATEGORIES)


def _has(handlers, kind) -> bool:
    return any(isinstance(handler, kind) for handler in handlers)


def _merge_handlers(event_handlers, added, known_metrics) -> list:
    """The user's handlers plus the defaults, ordered by priority (lowest first)."""
    mixing = event_handlers and added
    event_handlers.extend(added)
    if mixing:
        # a user's handler must read the metrics the default MetricHandler updates
        known = set(known_metrics)
        for handler in event_handlers:
            _check_handler_metric_ref(handler, known)
    event_handlers.sort(key=lambda handler: getattr(handler, "priority", 0))
    return event_handlers
