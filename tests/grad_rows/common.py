"""What the rows share: the namespace switch and the kink detectors."""
from __future__ import annotations

import numpy as onp

from mxnp import np
from mxnp.testing import GradSpec

S = GradSpec


def ns(a):
    """mxnp's np for an mxnp array, NumPy for a NumPy array."""
    return np if isinstance(a, np.ndarray) else onp


# ---- kinks: samples this close to a non-differentiable point are drawn again ------------------
GAP = 1e-3  # far above eps=1e-6 times a unit random direction


def near(a, b) -> bool:
    return bool(onp.any(onp.abs(onp.subtract(a, b)) < GAP))


def near_int(t) -> bool:  # floor, ceil, round (shifted by 1/2), and mod where x / y is an int
    return near(t, onp.round(t))


def ties(x, y=None) -> bool:  # two close arguments (maximum), or elements (max reduction)
    if y is not None:
        return near(x, y)
    return bool(onp.any(onp.diff(onp.sort(x.ravel())) < GAP))
