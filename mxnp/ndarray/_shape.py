"""MXNet 1.x's shape operators: ``Reshape`` with its codes, ``transpose``, ``expand_dims`` ..."""
from __future__ import annotations

from .. import numpy as np
from ._define import legacy_op
from .ndarray import legacy_shape


@legacy_op("Reshape", aliases=("reshape",))
def Reshape(data, shape=None, reverse=False, target_shape=None, keep_highest=False):
    """``data`` in a new shape, with MXNet's codes (0, -1, -2, -3, -4) and ``reverse``."""
    if shape is None:
        raise ValueError(f"Reshape: no shape given for an array of shape {data.shape}")
    return np.reshape(data, legacy_shape(data.shape, shape, reverse))
