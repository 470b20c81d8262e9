"""``np.linalg`` (``mxnet.numpy.linalg``): MXNet's linear algebra, name by name."""
from __future__ import annotations

import numpy as _onp

from .._ops.linalg.decomp import eig, eigh, eigvals, eigvalsh, lstsq, matrix_rank, pinv, qr, svd
from .._ops.linalg.norm import cond, norm
from .._ops.linalg.ops import (
    cholesky,
    det,
    inv,
    matrix_power,
    multi_dot,
    slogdet,
    solve,
    tensorinv,
    tensorsolve,
)

from . import _numbers

# mxnet.numpy.fallback_linalg: official NumPy functions in MXNet (see _numbers.fallback)
cond, lstsq, matrix_power, matrix_rank, multi_dot, qr = _numbers.fallbacks(
    cond, lstsq, matrix_power, matrix_rank, multi_dot, qr, module=_onp.linalg)

__all__ = [
    "cholesky", "cond", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq",
    "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "svd",
    "tensorinv", "tensorsolve",
]
