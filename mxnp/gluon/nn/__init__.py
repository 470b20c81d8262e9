"""gluon.nn: layers and containers (MXNet 1.9.1's names, parameter names and defaults)."""
from __future__ import annotations

from ..block import Block, HybridBlock, SymbolBlock  # MXNet re-exports these in nn
