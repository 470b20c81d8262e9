"""Small parameter-free blocks the zoo's architectures share (MXNet keeps them in gluon.contrib)."""
from __future__ import annotations

from ... import nn
from ...block import HybridBlock


class HybridConcurrent(nn.HybridSequential):
    """Feeds one input to every child and concatenates their outputs along ``axis``."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def hybrid_forward(self, F, x):
        """Concatenate each child's output on ``x`` along ``self.axis``."""
        return F.np.concatenate([block(x) for block in self._children.values()], axis=self.axis)


class Identity(HybridBlock):
    """Returns its input unchanged."""

    def hybrid_forward(self, F, x):
        """Return ``x``."""
        return x
