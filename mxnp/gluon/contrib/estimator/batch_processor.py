"""``BatchProcessor``: how the estimator runs one training or validation batch."""
from __future__ import annotations

from .... import autograd
from ...utils import split_and_load

__all__ = ["BatchProcessor"]


class BatchProcessor:
    """Runs one batch for an Estimator: splits it across devices, computes predictions and loss.

    Subclass it and override ``fit_batch``/``evaluate_batch`` to customise a training step.
    """

    def _get_data_and_label(self, batch, ctx, batch_axis=0):
        """Split ``batch``'s data and label across the devices ``ctx``."""
        data = split_and_load(batch[0], ctx_list=ctx, batch_axis=batch_axis)
        label = split_and_load(batch[1], ctx_list=ctx, batch_axis=batch_axis)
        return data, label

    def evaluate_batch(self, estimator, val_batch, batch_axis=0):
        """Return ``(data, label, pred, loss)`` of ``estimator.val_net`` on one batch."""
        data, label = self._get_data_and_label(val_batch, estimator.context, batch_axis)
        pred = [estimator.val_net(x) for x in data]
        loss = [estimator.val_loss(y_hat, y) for y_hat, y in zip(pred, label)]
        return data, label, pred, loss

    def fit_batch(self, estimator, train_batch, batch_axis=0):
        """Forward and backward ``estimator.net`` on one batch; return ``(data, label, pred, loss)``.

        The parameters are not updated here: ``GradientUpdateHandler`` steps the trainer.
        """
        data, label = self._get_data_and_label(train_batch, estimator.context, batch_axis)
        with autograd.record():
            pred = [estimator.net(x) for x in data]
            loss = [estimator.loss(y_hat, y) for y_hat, y in zip(pred, label)]
        for one in loss:
            one.backward()
        return data, label, pred, loss
