"""``gluon.contrib.nn``: the contributed layers MXNet 1.9.1 keeps outside ``gluon.nn``."""
from __future__ import annotations

from . import basic_layers  # noqa: F401 (MXNet's module name)
from .basic_layers import (
    Concurrent,
    HybridConcurrent,
    Identity,
    PixelShuffle1D,
    PixelShuffle2D,
    PixelShuffle3D,
    SparseEmbedding,
    SyncBatchNorm,
)

__all__ = ["Concurrent", "HybridConcurrent", "Identity", "PixelShuffle1D", "PixelShuffle2D",
           "PixelShuffle3D", "SparseEmbedding", "SyncBatchNorm"]
