"""``gluon.contrib.nn``: Concurrent, HybridConcurrent, Identity and SyncBatchNorm.

Differs from MXNet: SyncBatchNorm normalises each device's part of the batch with that part's
statistics (MXNet's operator shares them across the ``num_devices`` of one process); with one
device the two are the same. ``Concurrent`` joins with ``np.concatenate``, so it also runs in
numpy mode (MXNet 1.9.1's calls the legacy ``concat``, which refuses ``mx.np`` arrays).
SparseEmbedding and PixelShuffle1D/2D/3D are not provided.
"""
from __future__ import annotations

from ... import numpy as np
from ..._backend import num_gpus
from ..block import HybridBlock
from ..nn import HybridSequential, Sequential
from ..nn._norm_layers import _BatchNorm, _kwargs_text

__all__ = ["Concurrent", "HybridConcurrent", "Identity", "SyncBatchNorm"]


class Concurrent(Sequential):
    """Feeds one input to every child and concatenates their outputs along ``axis``."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        """Concatenate each child's output on ``x`` along ``self.axis``."""
        return np.concatenate([block(x) for block in self._children.values()], axis=self.axis)


class HybridConcurrent(HybridSequential):
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


class SyncBatchNorm(_BatchNorm):
    """Batch normalisation over axis 1 for data split across ``num_devices`` devices.

    ``num_devices`` defaults to the number of GPUs (1 without any). See the module docstring
    for how mxnp's statistics differ from MXNet's when it is above 1.
    """

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5,
                 center=True, scale=True, use_global_stats=False, beta_initializer="zeros",
                 gamma_initializer="ones", running_mean_initializer="zeros",
                 running_variance_initializer="ones", **kwargs):
        super().__init__(axis=1, momentum=momentum, epsilon=epsilon, center=center,
                         scale=scale, use_global_stats=use_global_stats,
                         beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                         running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer,
                         in_channels=in_channels, **kwargs)
        self._ndev = num_devices if num_devices else max(num_gpus(), 1)

    def __repr__(self):
        shown = {k: v for k, v in self._kwargs.items() if k != "axis"}
        shown.update(ndev=self._ndev, key=self.prefix)
        return f"SyncBatchNorm({_kwargs_text(shown)}, in_channels={self.gamma.shape[0]})"

