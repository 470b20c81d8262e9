"""``np.fallback_linalg`` (``mxnet.numpy.fallback_linalg``): MXNet 1.9.1's linear algebra
computed by official NumPy; each is the ``np.linalg`` function of that name."""
from __future__ import annotations

from .linalg import cond, lstsq, matrix_power, matrix_rank, multi_dot, qr

__all__ = ["cond", "lstsq", "matrix_power", "matrix_rank", "multi_dot", "qr"]
