"""``gluon.contrib``: the contributed layers MXNet 1.9.1 keeps outside ``gluon.nn``."""
from __future__ import annotations

from . import data, estimator, nn

__all__ = ["data", "estimator", "nn"]
