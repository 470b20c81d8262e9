"""``gluon.contrib.nn``'s layers: containers, Identity, SparseEmbedding, SyncBatchNorm, PixelShuffle.

Differs from MXNet: SyncBatchNorm normalises each device's part of the batch with that part's
statistics (MXNet's operator shares them across the ``num_devices`` of one process); with one
device the two are the same. ``Concurrent`` joins with ``np.concatenate``, so it also runs in
numpy mode (MXNet 1.9.1's calls the legacy ``concat``, which refuses ``mx.np`` arrays).
SparseEmbedding's weight gradient is dense (MXNet's is row_sparse; values are the same).
"""
from __future__ import annotations

import warnings

from .... import numpy as np
from .... import numpy_extension as npx
from ...._backend import num_gpus
from ...block import Block, HybridBlock
from ...nn import HybridSequential, Sequential
from ...nn._norm_layers import _BatchNorm, _kwargs_text

__all__ = [
    "Concurrent",
    "HybridConcurrent",
    "Identity",
    "PixelShuffle1D",
    "PixelShuffle2D",
    "PixelShuffle3D",
    "SparseEmbedding",
    "SyncBatchNorm",
]


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
        if num_devices is None:
            warnings.warn("Caution using SyncBatchNorm: if not using all the GPUs, please "
                          "mannually set num_devices", UserWarning)  # MXNet's words
        self._ndev = num_devices if num_devices else max(num_gpus(), 1)

    def _symbol_forward(self, F, x, gamma, beta, running_mean, running_var):
        """On mx.sym Symbols: MXNet's ``_contrib_SyncBatchNorm`` node (``ndev``, ``key``)."""
        kwargs = {k: v for k, v in self._kwargs.items() if k != "axis"}
        return F.contrib.SyncBatchNorm(x, gamma, beta, running_mean, running_var, name="fwd",
                                       ndev=self._ndev, key=self.prefix, **kwargs)

    def __repr__(self):
        shown = {k: v for k, v in self._kwargs.items() if k != "axis"}
        shown.update(ndev=self._ndev, key=self.prefix)
        return f"SyncBatchNorm({_kwargs_text(shown)}, in_channels={self.gamma.shape[0]})"



class SparseEmbedding(Block):
    """Rows of a (input_dim, output_dim) weight, picked by index; MXNet's row_sparse-gradient
    Embedding. Differs from MXNet: the gradient is a dense array with the same values."""

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype,
                        "sparse_grad": True}
        self.weight = self.params.get("weight", shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype)

    def forward(self, x):
        """Look up ``x`` in the weight."""
        return npx.embedding(x, self.weight.data(x.ctx), name="fwd", **self._kwargs)

    def __repr__(self):
        kw = self._kwargs
        return f"{type(self).__name__}({kw['input_dim']} -> {kw['output_dim']}, {kw['dtype']})"


def _factors(factor, n: int) -> tuple:
    """``factor`` as n ints (one int is repeated), as MXNet's PixelShuffle reads it."""
    try:
        return (int(factor),) * n
    except TypeError:
        factors = tuple(int(f) for f in factor)
        assert len(factors) == n, f"wrong length {len(factors)}"
        return factors


def _pixel_shuffle(F, x, factors: tuple):
    """(N, C*f1*...*fn, S1, ..., Sn) -> (N, C, S1*f1, ..., Sn*fn): channel blocks become
    f1 x ... x fn tiles, the last factor's axis varying fastest."""
    n, sizes, k = x.shape[0], x.shape[2:], len(factors)
    x = F.np.reshape(x, (n, -1, *factors, *sizes))                # (N, C, f..., S...)
    order = [a for i in range(k) for a in (2 + k + i, 2 + i)]      # S1, f1, S2, f2, ...
    x = F.np.transpose(x, (0, 1, *order))
    return F.np.reshape(x, (n, -1, *[s * f for s, f in zip(sizes, factors)]))


def _symbol_shuffle(F, x, steps):
    """MXNet's PixelShuffle graph: its legacy reshape/transpose/swapaxes steps, in order."""
    for op, arg in steps:
        x = F.reshape(x, arg) if op == "reshape" else (
            F.transpose(x, arg) if op == "transpose" else F.swapaxes(x, *arg))
    return x


class PixelShuffle1D(HybridBlock):
    """(N, C*f, W) -> (N, C, W*f): folds channel groups into the width."""

    def __init__(self, factor):
        super().__init__()
        self._factor = int(factor)

    def hybrid_forward(self, F, x):
        """Shuffle ``x``'s channels into its width."""
        return _pixel_shuffle(F, x, (self._factor,))

    def _symbol_forward(self, F, x):
        f = self._factor
        return _symbol_shuffle(F, x, [("reshape", (0, -4, -1, f, 0)),
                                      ("transpose", (0, 1, 3, 2)), ("reshape", (0, 0, -3))])

    def __repr__(self):
        return f"{type(self).__name__}({self._factor})"


class PixelShuffle2D(HybridBlock):
    """(N, C*f1*f2, H, W) -> (N, C, H*f1, W*f2); ``factor`` is an int or a pair."""

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 2)

    def hybrid_forward(self, F, x):
        """Shuffle ``x``'s channels into its height and width."""
        return _pixel_shuffle(F, x, self._factors)

    def _symbol_forward(self, F, x):
        f1, f2 = self._factors
        return _symbol_shuffle(F, x, [("reshape", (0, -4, -1, f1 * f2, 0, 0)),
                                      ("reshape", (0, 0, -4, f1, f2, 0, 0)),
                                      ("transpose", (0, 1, 4, 2, 5, 3)),
                                      ("reshape", (0, 0, -3, -3))])

    def __repr__(self):
        return f"{type(self).__name__}({self._factors})"


class PixelShuffle3D(HybridBlock):
    """(N, C*f1*f2*f3, D, H, W) -> (N, C, D*f1, H*f2, W*f3); ``factor`` is an int or a triple."""

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 3)

    def hybrid_forward(self, F, x):
        """Shuffle ``x``'s channels into its depth, height and width."""
        return _pixel_shuffle(F, x, self._factors)

    def _symbol_forward(self, F, x):
        f1, f2, f3 = self._factors
        return _symbol_shuffle(F, x, [("reshape", (0, -4, -1, f1 * f2 * f3, 0, 0, 0)),
                                      ("swapaxes", (2, 3)),
                                      ("reshape", (0, 0, 0, -4, f1, f2 * f3, 0, 0)),
                                      ("reshape", (0, 0, -3, 0, 0, 0)), ("swapaxes", (3, 4)),
                                      ("reshape", (0, 0, 0, 0, -4, f2, f3, 0)),
                                      ("reshape", (0, 0, 0, -3, 0, 0)), ("swapaxes", (4, 5)),
                                      ("reshape", (0, 0, 0, 0, -3))])

    def __repr__(self):
        return f"{type(self).__name__}({self._factors})"
