"""AMP's dynamic loss scaler, as MXNet's ``mx.contrib.amp.loss_scaler``."""
from __future__ import annotations

import logging


class LossScaler:
    """The loss scale (2**16 at first): halved after a step whose gradients hold inf or nan
    (that step is skipped), doubled after 2000 clean steps in a row, at most 2**24."""

    def __init__(self):
        self._loss_scale = 2.0 ** 16
        self._next_loss_scale = self._loss_scale
        self._max_loss_scale = 2.0 ** 24
        self._scale_seq_len = 2000
        self._unskipped = 0

    @property
    def loss_scale(self) -> float:
        """The scale the loss is multiplied by now."""
        return self._loss_scale

    def has_overflow(self, params) -> bool:
        """Whether any gradient of ``params`` holds inf or nan; moves the scale for the next
        step."""
        from ... import autograd
        from ... import numpy as np

        with autograd.pause():
            overflow = not all(bool(np.isfinite(g).all()) for p in params
                               if p._grad is not None
                               for g in p.list_grad())
        self._loss_scale = self._next_loss_scale
        if overflow:
            self._next_loss_scale = self._loss_scale / 2.0
            self._unskipped = 0
            logging.info("AMP: decreasing loss scale to %f", self._next_loss_scale)  # noqa: LOG015
        else:
            self._unskipped += 1
        if self._unskipped == self._scale_seq_len:
            self._unskipped = 0
            self._next_loss_scale = min(self._max_loss_scale, self._loss_scale * 2.0)
            logging.info("AMP: increasing loss scale to %f", self._next_loss_scale)  # noqa: LOG015
        return overflow
