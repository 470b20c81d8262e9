"""The few operators the contributed cells' steps use, on arrays and on Symbols.

A cell writes its step once against ``ops``; on arrays the ops are ``np``/``npx`` calls, on
``mx.sym`` Symbols they are MXNet's operators with MXNet's node names (``t0_i2h``,
``t0_out`` ...), so an unrolled graph has the outputs and arguments MXNet's has.
"""
from __future__ import annotations

from .... import numpy as np
from .... import numpy_extension as npx
from ...rnn.rnn_cell import _activate, _symbol_activation


class ArrayOps:
    """The step operators on np arrays (node names are ignored)."""

    @staticmethod
    def conv(x, weight, bias, name, **kwargs):
        return npx.convolution(x, weight, bias, **kwargs)

    @staticmethod
    def fc(x, weight, bias, num_hidden, name, no_bias=False):
        return npx.fully_connected(x, weight, bias, num_hidden=num_hidden, no_bias=no_bias)

    @staticmethod
    def split(x, num_outputs, axis, name):
        return np.split(x, num_outputs, axis=axis)

    @staticmethod
    def sigmoid(x, name):
        return npx.sigmoid(x)

    @staticmethod
    def tanh(x, name=None):
        return np.tanh(x)

    @staticmethod
    def act(x, activation, name=None):
        return _activate(x, activation)

    @staticmethod
    def add(a, b, name):
        return a + b

    @staticmethod
    def mul(a, b, name):
        return a * b


class SymbolOps:
    """The step operators as ``mx.sym`` nodes named as MXNet's cells name them."""

    def __init__(self, F):
        self.F = F

    def conv(self, x, weight, bias, name, **kwargs):
        return self.F.Convolution(data=x, weight=weight, bias=bias, name=name, **kwargs)

    def fc(self, x, weight, bias, num_hidden, name, no_bias=False):
        # as MXNet's cells write it: no_bias only when set (the node shows the given keys)
        kwargs = {"no_bias": True} if no_bias else {"bias": bias}
        return self.F.FullyConnected(data=x, weight=weight, num_hidden=num_hidden, name=name,
                                     **kwargs)

    def split(self, x, num_outputs, axis, name):
        """A SliceChannel node; ``axis`` None leaves MXNet's default (1) unwritten."""
        kwargs = {} if axis is None else {"axis": axis}
        return self.F.SliceChannel(x, num_outputs=num_outputs, name=name, **kwargs)

    def sigmoid(self, x, name):
        return self.F.Activation(x, act_type="sigmoid", name=name)

    def tanh(self, x, name=None):
        """An Activation(tanh) node (without a name: MXNet's automatic one, activationN)."""
        return self.F.Activation(x, act_type="tanh", name=name)

    def act(self, x, activation, name=None):
        return _symbol_activation(self.F, x, activation, name)

    def add(self, a, b, name):
        return self.F.elemwise_add(a, b, name=name)

    def mul(self, a, b, name):
        return self.F.elemwise_mul(a, b, name=name)


ARRAY_OPS = ArrayOps()
