"""``mxnp.testing``: gradient checks and array comparisons for tests of mxnp and of user ops."""
from __future__ import annotations

from .gradcheck import GradSpec, assert_allclose, check_grads

__all__ = ["GradSpec", "assert_allclose", "check_grads"]
