"""``gluon.contrib``: the contributed layers MXNet 1.9.1 keeps outside ``gluon.nn``."""
from __future__ import annotations

from . import cnn, data, estimator, nn, rnn

__all__ = ["cnn", "data", "estimator", "nn", "rnn"]
