"""``mxnet.random``: filled in with np.random by issue #3."""
from __future__ import annotations

__all__: list = []
