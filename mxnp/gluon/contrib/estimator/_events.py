"""The event classes a handler derives from to take part in the estimator's events."""
from __future__ import annotations


class EventHandler:
    """Base class of all event handlers."""


def _check_event_handlers(handlers) -> list:
    """Return ``handlers`` as a new list of EventHandler."""
    if isinstance(handlers, EventHandler):
        return [handlers]
    handlers = list(handlers or [])
    if not all(isinstance(handler, EventHandler) for handler in handlers):
        raise ValueError("handlers must be an EventHandler or a list of EventHandler, "
                         f"got: {handlers}")
    return handlers


class TrainBegin(EventHandler):
    """A handler called once when training begins."""

    def train_begin(self, estimator, *args, **kwargs):
        """Called before the first epoch."""


class TrainEnd(EventHandler):
    """A handler called once when training ends."""

    def train_end(self, estimator, *args, **kwargs):
        """Called after the last epoch."""


class EpochBegin(EventHandler):
    """A handler called at the start of each epoch."""

    def epoch_begin(self, estimator, *args, **kwargs):
        """Called before an epoch's first batch."""


class EpochEnd(EventHandler):
    """A handler called at the end of each epoch; returning True stops training."""

    def epoch_end(self, estimator, *args, **kwargs):
        """Called after an epoch's last batch."""
        return False


class BatchBegin(EventHandler):
    """A handler called before each batch."""

    def batch_begin(self, estimator, *args, **kwargs):
        """Called with ``batch=`` before a batch is processed."""


class BatchEnd(EventHandler):
    """A handler called after each batch; returning True stops training."""

    def batch_end(self, estimator, *args, **kwargs):
        """Called with ``batch=, pred=, label=, loss=`` after a batch is processed."""
        return False
