"""Convolution, transposed convolution, pooling and padding layers of gluon.nn.

Convolutions call ``npx.convolution`` / ``npx.deconvolution`` with the arguments fixed at
construction; pooling and ReflectionPad2D live in ``_pooling`` and are re-exported here.
Constructor signatures, parameter names and shapes, accepted layouts and ``repr`` texts are
MXNet 1.9.1's. Weights: convolution ``(channels, in_channels/groups, *kernel)``, transposed
``(in_channels, channels/groups, *kernel)``; a channel-last layout moves the ``in``/``out``
axis after the kernel axes. ``in_channels=0`` defers that axis to the first forward.
"""
from __future__ import annotations

import numbers

from ..block import HybridBlock, call_child
from ._pooling import (
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    ReflectionPad2D,
)
from .activations import Activation

__all__ = [
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "ReflectionPad2D",
]


def _expand(value, n):
    """An int repeated ``n`` times as a tuple; a sequence is kept as given (MXNet prints it so)."""
    return (value,) * n if isinstance(value, numbers.Number) else value


def _checked(kernel_size, output_padding, layout, layouts, nd):
    """``kernel_size`` and ``output_padding`` as ``nd`` numbers, after MXNet's checks."""
    # MXNet asserts these, so the error type is AssertionError (an assert would vanish under -O)
    if layout not in layouts:
        raise AssertionError(f"{nd}D convolution takes layout {' or '.join(layouts)}, "
                             f"got {layout!r}")
    kernel_size, output_padding = _expand(kernel_size, nd), _expand(output_padding, nd)
    for name, value in (("kernel_size", kernel_size), ("output_padding", output_padding)):
        if len(value) != nd:
            raise AssertionError(f"{name} must be a number or a sequence of {nd} ints, "
                                 f"got {value!r}")
    return kernel_size, output_padding


class _Conv(HybridBlock):
    """The shared body of every convolution layer: a weight, an optional bias and activation."""

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", op_name="convolution", adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        with self.name_scope():
            self._channels, self._in_channels = channels, in_channels
            n = len(kernel_size)
            self._op_name = op_name
            self._kwargs = {
                "kernel": kernel_size, "stride": _expand(strides, n),
                "dilate": _expand(dilation, n), "pad": _expand(padding, n),
                "num_filter": channels, "num_group": groups, "no_bias": not use_bias,
                "layout": layout}
            if adj is not None:
                self._kwargs["adj"] = adj
            self.weight = self.params.get("weight", shape=self._weight_shape(in_channels),
                                          init=weight_initializer, allow_deferred_init=True)
            self.bias = (self.params.get("bias", shape=(channels,), init=bias_initializer,
                                         allow_deferred_init=True) if use_bias else None)
            self.act = (Activation(activation, prefix=activation + "_")
                        if activation is not None else None)

    def _weight_shape(self, in_channels):
        """The weight's shape for ``in_channels`` input channels (0: not known yet)."""
        groups, kernel = self._kwargs["num_group"], tuple(self._kwargs["kernel"])
        if self._op_name == "convolution":
            outer, inner = self._channels, in_channels // groups
        else:
            outer, inner = in_channels, self._channels // groups
        if self._kwargs["layout"].endswith("C"):  # channel-last: (outer, *kernel, inner)
            return (outer,) + kernel + (inner,)
        return (outer, inner) + kernel

    def _alias(self):
        return "conv"

    def infer_shape(self, x, *args):
        """Fill the weight's input-channel axis from the first input ``x``."""
        layout = self._kwargs["layout"]
        if x.ndim != len(layout):
            raise ValueError(f"{type(self).__name__}: input data should be {len(layout)}-D "
                             f"({layout}), got shape {x.shape}")
        channels = x.shape[layout.find("C")]
        if channels % self._kwargs["num_group"]:
            raise ValueError(f"{type(self).__name__}: {channels} input channels do not split "
                             f"into groups={self._kwargs['num_group']}")
        self.weight.shape = self._weight_shape(channels)

    def hybrid_forward(self, F, x, weight, bias=None):
        """Convolve ``x`` with ``weight``, add ``bias``, then apply the activation if any."""
        out = getattr(F.npx, self._op_name)(x, weight, bias, name="fwd", **self._kwargs)
        return call_child(self.act, F, out) if self.act is not None else out

    def __repr__(self):
        return conv_repr(self, self._kwargs, self.weight, self.bias)


def conv_repr(block, kwargs: dict, weight, bias) -> str:
    """MXNet's text for a convolution-like layer with operator arguments ``kwargs``."""
    k, n = kwargs, len(kwargs["kernel"])
    # MXNet reads weight.shape[1] -> shape[0] for every layer, so transposed and
    # channel-last layers print other numbers than their channels (kept on purpose)
    shape = weight.shape
    s = (f"{type(block).__name__}({shape[1] if shape[1] else None} -> {shape[0]}, "
         f"kernel_size={k['kernel']}, stride={k['stride']}")
    if k["pad"] != (0,) * n:
        s += f", padding={k['pad']}"
    if k["dilate"] != (1,) * n:
        s += f", dilation={k['dilate']}"
    # MXNet never prints output_padding: its repr looks for an attribute that is not set
    if k["num_group"] != 1:
        s += f", groups={k['num_group']}"
    if bias is None:
        s += ", bias=False"
    if block.act is not None:
        s += f", {block.act}"
    return s + ")"


class Conv1D(_Conv):
    """1-D convolution (cross-correlation) over ``(N, C, W)``."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, dilation=1, groups=1,
                 layout="NCW", activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, _ = _checked(kernel_size, 0, layout, ("NCW",), 1)
        kwargs.pop("op_name", None)
        super().__init__(channels, kernel_size, strides, padding, dilation, groups, layout,
                         in_channels, activation, use_bias, weight_initializer,
                         bias_initializer, "convolution", **kwargs)


class Conv2D(_Conv):
    """2-D convolution (cross-correlation) over ``(N, C, H, W)`` or ``(N, H, W, C)``."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0), dilation=(1, 1),
                 groups=1, layout="NCHW", activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, _ = _checked(kernel_size, 0, layout, ("NCHW", "NHWC"), 2)
        kwargs.pop("op_name", None)
        super().__init__(channels, kernel_size, strides, padding, dilation, groups, layout,
                         in_channels, activation, use_bias, weight_initializer,
                         bias_initializer, "convolution", **kwargs)


class Conv3D(_Conv):
    """3-D convolution (cross-correlation) over ``(N, C, D, H, W)`` or ``(N, D, H, W, C)``."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 dilation=(1, 1, 1), groups=1, layout="NCDHW", activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, _ = _checked(kernel_size, 0, layout, ("NCDHW", "NDHWC"), 3)
        kwargs.pop("op_name", None)
        super().__init__(channels, kernel_size, strides, padding, dilation, groups, layout,
                         in_channels, activation, use_bias, weight_initializer,
                         bias_initializer, "convolution", **kwargs)


class _ConvTranspose(_Conv):
    """What the three transposed convolutions share beyond their MXNet signatures."""

    def _init_transpose(self, channels, kernel_size, strides, padding, output_padding,
                        dilation, groups, layout, activation, use_bias, weight_initializer,
                        bias_initializer, in_channels, **kwargs):
        kwargs.pop("op_name", None)
        _Conv.__init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                       in_channels, activation, use_bias, weight_initializer,
                       bias_initializer, op_name="deconvolution", adj=output_padding,
                       **kwargs)
        self.outpad = output_padding


class Conv1DTranspose(_ConvTranspose):
    """1-D transposed convolution over ``(N, C, W)``; ``output_padding`` extends the end."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, output_padding=0,
                 dilation=1, groups=1, layout="NCW", activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, output_padding = _checked(kernel_size, output_padding, layout, ("NCW",), 1)
        self._init_transpose(channels, kernel_size, strides, padding, output_padding, dilation,
                             groups, layout, activation, use_bias, weight_initializer,
                             bias_initializer, in_channels, **kwargs)


class Conv2DTranspose(_ConvTranspose):
    """2-D transposed convolution over ``(N, C, H, W)`` or ``(N, H, W, C)``."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0),
                 output_padding=(0, 0), dilation=(1, 1), groups=1, layout="NCHW",
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, output_padding = _checked(kernel_size, output_padding, layout,
                                               ("NCHW", "NHWC"), 2)
        self._init_transpose(channels, kernel_size, strides, padding, output_padding, dilation,
                             groups, layout, activation, use_bias, weight_initializer,
                             bias_initializer, in_channels, **kwargs)


class Conv3DTranspose(_ConvTranspose):
    """3-D transposed convolution over ``(N, C, D, H, W)`` or ``(N, D, H, W, C)``."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 output_padding=(0, 0, 0), dilation=(1, 1, 1), groups=1, layout="NCDHW",
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", in_channels=0, **kwargs):
        kernel_size, output_padding = _checked(kernel_size, output_padding, layout,
                                               ("NCDHW", "NDHWC"), 3)
        self._init_transpose(channels, kernel_size, strides, padding, output_padding, dilation,
                             groups, layout, activation, use_bias, weight_initializer,
                             bias_initializer, in_channels, **kwargs)
