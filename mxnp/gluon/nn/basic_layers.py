"""gluon.nn basic layers: containers, Dense, Dropout, Embedding, Flatten, the lambdas, and
(re-exported from _norm_layers) the normalisation layers."""
from __future__ import annotations

import math
import warnings

from ... import autograd
from ... import numpy as np
from ... import numpy_extension as npx
from .._block_util import _indent
from .._symbolic import SYMBOL_F
from ..block import Block, HybridBlock, call_child
from ._norm_layers import BatchNorm, BatchNormReLU, GroupNorm, InstanceNorm, LayerNorm
from .activations import Activation

__all__ = ["Sequential", "HybridSequential", "Dense", "Dropout", "Embedding", "BatchNorm",
           "BatchNormReLU", "InstanceNorm", "LayerNorm", "GroupNorm", "Flatten", "Lambda",
           "HybridLambda"]


def _container_repr(block) -> str:
    """``Name(\\n  (key): child\\n)``: the text Sequential and HybridSequential print."""
    lines = "\n".join(f"  ({key}): {_indent(repr(child), 2)}"
                      for key, child in block._children.items())
    return f"{type(block).__name__}(\n{lines}\n)"


class _Container:
    """What Sequential and HybridSequential share: add, indexing, len, iteration, repr."""

    def add(self, *blocks):
        """Append ``blocks`` as children, in order (keys '0', '1', ...)."""
        for block in blocks:
            self.register_child(block)

    def __getitem__(self, key):
        """A child by position, or a new container of the same type holding a slice of them."""
        layers = list(self._children.values())[key]
        if not isinstance(layers, list):
            return layers
        net = type(self)(prefix=self.prefix)
        with net.name_scope():
            net.add(*layers)
        return net

    def __len__(self):
        return len(self._children)

    def __iter__(self):
        return iter(self._children.values())

    def __repr__(self):
        return _container_repr(self)


class Sequential(_Container, Block):
    """Runs its children one after another."""

    def forward(self, x):
        """Feed ``x`` through every child in order."""
        for block in self._children.values():
            x = block(x)
        return x

    def hybridize(self, active=True, **kwargs):
        """Hybridize the children; warns when all of them are HybridBlocks (as MXNet does)."""
        children = list(self._children.values())
        if children and all(isinstance(c, HybridBlock) for c in children):
            warnings.warn(f"All children of this Sequential layer '{self.prefix}' are "
                          "HybridBlocks. Consider using HybridSequential for the best "
                          "performance.", stacklevel=2)
        super().hybridize(active, **kwargs)


class HybridSequential(_Container, HybridBlock):
    """Runs its children, all HybridBlocks, one after another."""

    def hybrid_forward(self, F, x):
        """Feed ``x`` through every child in order."""
        for block in self._children.values():
            x = block(x)
        return x


class Dense(HybridBlock):
    """Fully connected layer, y = act(x W^T + b), with weight (units, in_units)."""

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype="float32",
                 weight_initializer=None, bias_initializer="zeros", in_units=0, **kwargs):
        super().__init__(**kwargs)
        self._flatten = flatten
        self._units = units
        self._in_units = in_units
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(units, in_units),
                                          init=weight_initializer, dtype=dtype,
                                          allow_deferred_init=True)
            self.bias = None
            if use_bias:
                self.bias = self.params.get("bias", shape=(units,), init=bias_initializer,
                                            dtype=dtype, allow_deferred_init=True)
            self.act = None
            if activation is not None:
                self.act = Activation(activation, prefix=activation + "_")

    def infer_shape(self, x, *args):
        """Fill in_units from the input: all axes after the first, or the last if not flatten."""
        if x.ndim == 0:
            return  # npx.fully_connected names the problem
        width = math.prod(x.shape[1:]) if self._flatten else x.shape[-1]
        self.weight.shape = (self._units, width)

    def hybrid_forward(self, F, x, weight, bias=None):
        """Fully connected layer, then the activation if any."""
        out = F.npx.fully_connected(x, weight, bias, no_bias=bias is None,
                                    num_hidden=self._units, flatten=self._flatten, name="fwd")
        return call_child(self.act, F, out) if self.act is not None else out

    def __repr__(self):
        shape = self.weight.shape
        act = self.act if self.act is not None else "linear"
        # MXNet prints an unknown width (0 without numpy shapes) as None, -1 as it is
        return f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]}, {act})"


class Dropout(HybridBlock):
    """Zeroes a fraction ``rate`` of the input, in training mode only."""

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        """Dropout with a mask shared along ``axes``; a copy of ``x`` outside training."""
        if self._rate <= 0:
            return F.np.copy(x)
        if self._rate >= 1 and autograd.is_training():
            # MXNet scales the kept entries by 1/(1 - p) = 1/0 and gets 0/0: all NaN
            return x * float("nan")
        return F.npx.dropout(x, p=self._rate, axes=self._axes, name="fwd", cudnn_off=False)

    def __repr__(self):
        return f"{type(self).__name__}(p = {self._rate}, axes={self._axes})"


class Embedding(HybridBlock):
    """Rows of a (input_dim, output_dim) weight, picked by index."""

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None,
                 sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype,
                        "sparse_grad": sparse_grad}
        # as MXNet: a row_sparse gradient (seen as one in the 1.x face) with sparse_grad
        self.weight = self.params.get("weight", shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype,
                                      allow_deferred_init=True,
                                      grad_stype="row_sparse" if sparse_grad else "default")

    def hybrid_forward(self, F, x, weight):
        """Look up ``x`` (clipped into range, fractions truncated) in ``weight``."""
        return F.npx.embedding(x, weight, name="fwd", **self._kwargs)

    def __repr__(self):
        kw = self._kwargs
        return f"{type(self).__name__}({kw['input_dim']} -> {kw['output_dim']}, {kw['dtype']})"


class Flatten(HybridBlock):
    """(N, d1, d2, ...) -> (N, d1*d2*...); a 1-D input becomes (N, 1)."""

    def hybrid_forward(self, F, x):
        """Fold every axis after the first into one."""
        return F.npx.batch_flatten(x)

    def __repr__(self):
        return type(self).__name__


def _resolve(function, where: str):
    """(the callable, the name repr shows) for a callable or an np/npx function's name."""
    if isinstance(function, str):
        for space in (np, npx):  # np first: 'tanh' is np.tanh, 'relu' is npx.relu
            found = getattr(space, function, None)
            if callable(found):
                return found, function
        # MXNet asserts here, so the error is an AssertionError with its text
        raise AssertionError(f"Function name {function} is not found in {where}.")
    if callable(function):
        return function, getattr(function, "__name__", None) or type(function).__name__
    raise ValueError(f"Unrecognized function in lambda: {function} of type {type(function)}")


class Lambda(Block):
    """A Block around a callable, or around the np/npx function of that name ('tanh')."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        self._func_impl, self._func_name = _resolve(function, "ndarray")
        self._user_function = not isinstance(function, str)  # it sees the 1.x face's arrays

    def forward(self, *args):
        """Call the function on the inputs."""
        return self._func_impl(*args)

    def __repr__(self):
        return f"{type(self).__name__}({self._func_name})"


class HybridLambda(HybridBlock):
    """A HybridBlock around ``function(F, x, *args)``, or around an np/npx function's name."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        impl, self._func_name = _resolve(function, "symbol/ndarray")
        # a named function takes no F; a user's callable takes F first
        self._func = (lambda F, *args: impl(*args)) if isinstance(function, str) else impl
        self._user_function = not isinstance(function, str)  # F = mx.nd in the 1.x face

    def hybrid_forward(self, F, x, *args):
        """Call the function on ``F`` and the inputs."""
        if F is SYMBOL_F and not self._user_function:  # MXNet calls F.<name>: mx.sym's
            return getattr(F, self._func_name)(x, *args)
        return self._func(F, x, *args)

    def __repr__(self):
        return f"{type(self).__name__}({self._func_name})"
