"""``gluon.contrib.data``: IntervalSampler and the WikiText language-model data sets (``text``)."""
from __future__ import annotations

from . import sampler, text  # noqa: F401 (MXNet's module names)
from .sampler import IntervalSampler

__all__ = ["IntervalSampler"]
