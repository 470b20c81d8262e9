"""``np.linalg``: filled in by issue #3."""
from __future__ import annotations

__all__: list = []
