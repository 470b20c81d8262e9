"""Convolutional recurrent cells (Shi et al., 2015): RNN, LSTM and GRU cells whose i2h and
h2h transforms are 1-, 2- or 3-D convolutions, for MXNet 1.9.1's ``gluon.contrib.rnn``.

``input_shape`` is one step's shape without the batch axis (a leading 0 channel count is
inferred from the first input). The state keeps the i2h convolution's output size (stride 1);
h2h is padded to keep it, so its kernel must be odd. Parameter names and shapes, state shapes,
``repr`` and the node names of an unrolled graph are MXNet's.
"""
from __future__ import annotations

import numbers

from ...rnn.rnn_cell import HybridRecurrentCell
from ._step_ops import ARRAY_OPS, SymbolOps

__all__ = ["Conv1DGRUCell", "Conv1DLSTMCell", "Conv1DRNNCell", "Conv2DGRUCell",
           "Conv2DLSTMCell", "Conv2DRNNCell", "Conv3DGRUCell", "Conv3DLSTMCell",
           "Conv3DRNNCell"]


def _conv_out_size(dimensions, kernels, paddings, dilations) -> tuple:
    """A stride-1 convolution's output size per axis (0 stays 0: not known yet)."""
    return tuple(x + 2 * p - d * (k - 1) if x else 0
                 for x, k, p, d in zip(dimensions, kernels, paddings, dilations))


class _BaseConvRNNCell(HybridRecurrentCell):
    """What the convolutional cells share: i2h/h2h convolution weights of ``gates`` times
    ``hidden_channels`` filters, their biases, and the states' shapes."""

    _gate_names: tuple = ()

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                 i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout, activation,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_channels = hidden_channels
        self._input_shape = input_shape
        self._conv_layout = conv_layout
        self._activation = activation
        specs = (i2h_kernel, i2h_pad, i2h_dilate, h2h_kernel, h2h_dilate)
        assert all(isinstance(spec, int) or len(spec) == dims for spec in specs), \
            (f"For {dims}D convolution, the convolution settings can only be either int or "
             f"list/tuple of length {dims}")
        i2h_kernel, i2h_pad, i2h_dilate, h2h_kernel, h2h_dilate = (
            (s,) * dims if isinstance(s, numbers.Number) else tuple(s) for s in specs)
        assert all(k % 2 == 1 for k in h2h_kernel), \
            f"Only support odd number, get h2h_kernel= {h2h_kernel}"
        self._i2h_kernel, self._i2h_pad, self._i2h_dilate = i2h_kernel, i2h_pad, i2h_dilate
        self._h2h_kernel, self._h2h_dilate = h2h_kernel, h2h_dilate
        self._stride = (1,) * dims
        self._h2h_pad = tuple(d * (k - 1) // 2 for d, k in zip(h2h_dilate, h2h_kernel))
        self._channel_axis = conv_layout.find("C")
        first = self._channel_axis == 1
        self._in_channels = input_shape[0 if first else -1]
        size = _conv_out_size(input_shape[1:] if first else input_shape[:-1], i2h_kernel,
                              i2h_pad, i2h_dilate)
        self._state_shape = (hidden_channels, *size) if first else (*size, hidden_channels)
        rows = hidden_channels * len(self._gate_names)
        for name, shape, init in (
                ("i2h_weight", self._weight_shape(rows, self._in_channels, i2h_kernel),
                 i2h_weight_initializer),
                ("h2h_weight", self._weight_shape(rows, hidden_channels, h2h_kernel),
                 h2h_weight_initializer),
                ("i2h_bias", (rows,), i2h_bias_initializer),
                ("h2h_bias", (rows,), h2h_bias_initializer)):
            setattr(self, name, self.params.get(name, shape=shape, init=init,
                                                allow_deferred_init=True))

    def _weight_shape(self, rows, channels, kernel) -> tuple:
        if self._channel_axis == 1:
            return (rows, channels, *kernel)
        return (rows, *kernel, channels)

    def infer_shape(self, inputs, *args) -> None:
        """Fill the i2h weight's input channels from the first input."""
        channels = inputs.shape[self._channel_axis]
        self.i2h_weight.shape = self._weight_shape(self.i2h_weight.shape[0], channels,
                                                   self._i2h_kernel)

    def state_info(self, batch_size=0) -> list:
        """One state (LSTM: two) of the i2h convolution's output shape."""
        info = {"shape": (batch_size, *self._state_shape), "__layout__": self._conv_layout}
        return [info] * self._num_states

    _num_states = 1

    def __repr__(self):
        shape = self.i2h_weight.shape
        in_channels = shape[1 if self._channel_axis == 1 else -1]
        return (f"{type(self).__name__}({in_channels if in_channels else None} -> {shape[0]}, "
                f"{self._activation}, {self._conv_layout})")

    def _conv_forward(self, ops, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias,
                      prefix):
        num_filter = self._hidden_channels * len(self._gate_names)
        common = {"num_filter": num_filter, "stride": self._stride, "layout": self._conv_layout}
        i2h = ops.conv(inputs, i2h_weight, i2h_bias, prefix + "i2h", kernel=self._i2h_kernel,
                       pad=self._i2h_pad, dilate=self._i2h_dilate, **common)
        h2h = ops.conv(states[0], h2h_weight, h2h_bias, prefix + "h2h", kernel=self._h2h_kernel,
                       pad=self._h2h_pad, dilate=self._h2h_dilate, **common)
        return i2h, h2h

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One step on arrays: ``(output, new_states)``."""
        return self._step(ARRAY_OPS, inputs, states, i2h_weight, h2h_weight, i2h_bias,
                          h2h_bias)

    def _symbol_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        return self._step(SymbolOps(F), inputs, states, i2h_weight, h2h_weight, i2h_bias,
                          h2h_bias)


class _ConvRNNCell(_BaseConvRNNCell):
    _gate_names = ("",)

    def _alias(self) -> str:
        return "conv_rnn"

    def _step(self, ops, inputs, states, *weights):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(ops, inputs, states, *weights, prefix)
        output = ops.act(i2h + h2h, self._activation, name=prefix + "out")
        return output, [output]


class _ConvLSTMCell(_BaseConvRNNCell):
    _gate_names = ("_i", "_f", "_c", "_o")
    _num_states = 2

    def _alias(self) -> str:
        return "conv_lstm"

    def _step(self, ops, inputs, states, *weights):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(ops, inputs, states, *weights, prefix)
        gates = ops.split(i2h + h2h, 4, self._channel_axis, prefix + "slice")
        in_gate = ops.sigmoid(gates[0], prefix + "i")
        forget_gate = ops.sigmoid(gates[1], prefix + "f")
        in_transform = ops.act(gates[2], self._activation, name=prefix + "c")
        out_gate = ops.sigmoid(gates[3], prefix + "o")
        next_c = ops.add(forget_gate * states[1], in_gate * in_transform, prefix + "state")
        next_h = ops.mul(out_gate, ops.act(next_c, self._activation), prefix + "out")
        return next_h, [next_h, next_c]


class _ConvGRUCell(_BaseConvRNNCell):
    _gate_names = ("_r", "_z", "_o")

    def _alias(self) -> str:
        return "conv_gru"

    def _step(self, ops, inputs, states, *weights):
        prefix = f"t{self._counter}_"
        i2h, h2h = self._conv_forward(ops, inputs, states, *weights, prefix)
        i2h_r, i2h_z, i2h = ops.split(i2h, 3, self._channel_axis, prefix + "i2h_slice")
        h2h_r, h2h_z, h2h = ops.split(h2h, 3, self._channel_axis, prefix + "h2h_slice")
        reset_gate = ops.sigmoid(i2h_r + h2h_r, prefix + "r_act")
        update_gate = ops.sigmoid(i2h_z + h2h_z, prefix + "z_act")
        candidate = ops.act(i2h + reset_gate * h2h, self._activation, name=prefix + "h_act")
        next_h = ops.add((1. - update_gate) * candidate, update_gate * states[0],
                         prefix + "out")
        return next_h, [next_h]


class _Conv1D:
    """The constructor of the 1-D cells: MXNet's signature and defaults."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0,),
                 i2h_dilate=(1,), h2h_dilate=(1,), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCW", activation="tanh",
                 prefix=None, params=None):
        _BaseConvRNNCell.__init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                                  i2h_pad, i2h_dilate, h2h_dilate, i2h_weight_initializer,
                                  h2h_weight_initializer, i2h_bias_initializer,
                                  h2h_bias_initializer, 1, conv_layout, activation, prefix,
                                  params)


class _Conv2D:
    """The constructor of the 2-D cells: MXNet's signature and defaults."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0, 0),
                 i2h_dilate=(1, 1), h2h_dilate=(1, 1), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCHW", activation="tanh",
                 prefix=None, params=None):
        _BaseConvRNNCell.__init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                                  i2h_pad, i2h_dilate, h2h_dilate, i2h_weight_initializer,
                                  h2h_weight_initializer, i2h_bias_initializer,
                                  h2h_bias_initializer, 2, conv_layout, activation, prefix,
                                  params)


class _Conv3D:
    """The constructor of the 3-D cells: MXNet's signature and defaults."""

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad=(0, 0, 0),
                 i2h_dilate=(1, 1, 1), h2h_dilate=(1, 1, 1), i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", conv_layout="NCDHW", activation="tanh",
                 prefix=None, params=None):
        _BaseConvRNNCell.__init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                                  i2h_pad, i2h_dilate, h2h_dilate, i2h_weight_initializer,
                                  h2h_weight_initializer, i2h_bias_initializer,
                                  h2h_bias_initializer, 3, conv_layout, activation, prefix,
                                  params)


class Conv1DRNNCell(_Conv1D, _ConvRNNCell):
    """1-D convolutional RNN cell: h' = act(i2h(x) + h2h(h))."""


class Conv2DRNNCell(_Conv2D, _ConvRNNCell):
    """2-D convolutional RNN cell: h' = act(i2h(x) + h2h(h))."""


class Conv3DRNNCell(_Conv3D, _ConvRNNCell):
    """3-D convolutional RNN cell: h' = act(i2h(x) + h2h(h))."""


class Conv1DLSTMCell(_Conv1D, _ConvLSTMCell):
    """1-D convolutional LSTM cell: gates i, f, c, o; states [h, c]."""


class Conv2DLSTMCell(_Conv2D, _ConvLSTMCell):
    """2-D convolutional LSTM cell: gates i, f, c, o; states [h, c]."""


class Conv3DLSTMCell(_Conv3D, _ConvLSTMCell):
    """3-D convolutional LSTM cell: gates i, f, c, o; states [h, c]."""


class Conv1DGRUCell(_Conv1D, _ConvGRUCell):
    """1-D convolutional GRU cell: gates r, z, o; one state h."""


class Conv2DGRUCell(_Conv2D, _ConvGRUCell):
    """2-D convolutional GRU cell: gates r, z, o; one state h."""


class Conv3DGRUCell(_Conv3D, _ConvGRUCell):
    """3-D convolutional GRU cell: gates r, z, o; one state h."""
