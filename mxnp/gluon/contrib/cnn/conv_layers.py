"""DeformableConvolution and ModulatedDeformableConvolution (2-D, NCHW).

Each layer learns an ordinary convolution (``offset_weight``/``offset_bias``, zero-initialised)
that predicts per-tap offsets (and, modulated, masks) from the input, then convolves the input
read at the shifted taps with ``deformable_conv_weight``/``deformable_conv_bias``. Parameter
names, registration order and shapes are MXNet 1.9.1's: ``deformable_conv_weight`` is declared
(channels, 0, kh, kw) even when ``in_channels`` is given, so its repr says ``None -> channels``.
"""
from __future__ import annotations

import numbers

from ....ndarray._deformable import deformable_convolution
from ...block import HybridBlock
from ...nn import Activation
from ...nn.conv_layers import conv_repr

__all__ = ["DeformableConvolution", "ModulatedDeformableConvolution"]


def _pair(value):
    return (value,) * 2 if isinstance(value, numbers.Number) else value


class _Deformable(HybridBlock):
    """What both layers share; ``taps`` offset values per kernel tap (2, or 3 with a mask)."""

    taps = 2

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups,
                 num_deformable_group, layout, use_bias, in_channels, activation,
                 weight_initializer, bias_initializer, offset_weight_initializer,
                 offset_bias_initializer, offset_use_bias, adj, prefix, params):
        super().__init__(prefix=prefix, params=params)
        assert layout in ("NCHW", "NHWC"), "Only supports 'NCHW' and 'NHWC' layout for now"
        kernel = _pair(kernel_size)
        self._channels, self._in_channels = channels, in_channels
        common = {"kernel": kernel, "stride": _pair(strides), "dilate": _pair(dilation),
                  "pad": _pair(padding)}
        self._kwargs_offset = {**common, "num_filter": self.taps * num_deformable_group *
                               kernel[0] * kernel[1], "num_group": groups,
                               "no_bias": not offset_use_bias, "layout": layout}
        self._kwargs_deformable_conv = {**common, "num_filter": channels, "num_group": groups,
                                        "num_deformable_group": num_deformable_group,
                                        "no_bias": not use_bias, "layout": layout}
        if adj:
            self._kwargs_offset["adj"] = self._kwargs_deformable_conv["adj"] = adj
        self._inits = (weight_initializer, bias_initializer, offset_weight_initializer,
                       offset_bias_initializer)

    def _declare_offset(self):
        k, inits = self._kwargs_offset, self._inits
        inner = self._in_channels // k["num_group"]
        self.offset_weight = self.params.get("offset_weight",
                                             shape=(k["num_filter"], inner, *k["kernel"]),
                                             init=inits[2], allow_deferred_init=True)
        self.offset_bias = None if k["no_bias"] else self.params.get(
            "offset_bias", shape=(k["num_filter"],), init=inits[3], allow_deferred_init=True)

    def _declare_deformable(self):
        k, inits = self._kwargs_deformable_conv, self._inits
        self.deformable_conv_weight = self.params.get(
            "deformable_conv_weight", shape=(self._channels, 0, *k["kernel"]), init=inits[0],
            allow_deferred_init=True)
        self.deformable_conv_bias = None if k["no_bias"] else self.params.get(
            "deformable_conv_bias", shape=(self._channels,), init=inits[1],
            allow_deferred_init=True)

    def _declare_activation(self, activation):
        self.act = Activation(activation, prefix=activation + "_") if activation else None

    def infer_shape(self, x, *args):
        """Fill both weights' input-channel axis from ``x`` (N, C, H, W)."""
        if self._kwargs_offset["layout"] != "NCHW":  # MXNet's operator refuses it as well
            raise ValueError(f"{type(self).__name__}: layout 'NHWC' is not supported, only "
                             "'NCHW'")
        inner = x.shape[1] // self._kwargs_offset["num_group"]
        for weight in (self.offset_weight, self.deformable_conv_weight):
            weight.shape = (weight.shape[0], inner, *weight.shape[2:])

    def _offset_and_mask(self, F, x, offset_weight, offset_bias):
        k = self._kwargs_offset
        offset = F.npx.convolution(x, offset_weight, offset_bias, kernel=k["kernel"],
                                   stride=k["stride"], dilate=k["dilate"], pad=k["pad"],
                                   num_filter=k["num_filter"], num_group=k["num_group"],
                                   no_bias=k["no_bias"], layout=k["layout"])
        return offset, None

    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        """Predict the offsets from ``x``, then convolve ``x`` read at the shifted taps."""
        offset, mask = self._offset_and_mask(F, x, offset_weight, offset_bias)
        k = self._kwargs_deformable_conv
        out = deformable_convolution(x, offset, mask, deformable_conv_weight,
                                     deformable_conv_bias, k["kernel"], k["stride"],
                                     k["dilate"], k["pad"], k["num_filter"], k["num_group"],
                                     k["num_deformable_group"], k["no_bias"])
        return self.act(out) if self.act is not None else out

    def _symbol_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                        deformable_conv_bias=None):
        """The layer's graph on Symbols, with MXNet's nodes (``convolution0``, ``fwd``)."""
        bias = {} if offset_bias is None else {"bias": offset_bias}
        offset = F.Convolution(x, offset_weight, cudnn_off=True, **bias, **self._kwargs_offset)
        inputs = {"data": x, "offset": offset, "weight": deformable_conv_weight}
        if deformable_conv_bias is not None:
            inputs["bias"] = deformable_conv_bias
        out = self._symbol_deformable(F, offset, inputs)
        return self.act(out) if self.act is not None else out

    def _symbol_deformable(self, F, offset, inputs):
        return F.contrib.DeformableConvolution(name="fwd", **inputs,
                                               **self._kwargs_deformable_conv)


class DeformableConvolution(_Deformable):
    """2-D deformable convolution (Dai et al., 2017): taps shifted by learned offsets."""

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout="NCHW",
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer="zeros", offset_weight_initializer="zeros",
                 offset_bias_initializer="zeros", offset_use_bias=True,
                 op_name="DeformableConvolution", adj=None, prefix=None, params=None):
        super().__init__(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, adj, prefix, params)
        self._op_name = op_name
        with self.name_scope():
            self._declare_offset()
            self._declare_deformable()
            self._declare_activation(activation)

    def _alias(self):
        return "deformable_conv"

    def __repr__(self):
        return conv_repr(self, self._kwargs_deformable_conv, self.deformable_conv_weight,
                         self.deformable_conv_bias)


class ModulatedDeformableConvolution(_Deformable):
    """2-D modulated deformable convolution (Zhu et al., 2019, DCNv2): taps shifted by learned
    offsets and scaled by learned masks (2 * sigmoid of the offset convolution's last part)."""

    taps = 3

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout="NCHW",
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer="zeros", offset_weight_initializer="zeros",
                 offset_bias_initializer="zeros", offset_use_bias=True,
                 op_name="ModulatedDeformableConvolution", adj=None, prefix=None, params=None):
        super().__init__(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, adj, prefix, params)
        self._op_name = op_name
        kernel = self._kwargs_offset["kernel"]
        self.offset_split_index = num_deformable_group * 2 * kernel[0] * kernel[1]
        with self.name_scope():
            self._declare_deformable()
            self._declare_offset()
            self._declare_activation(activation)

    def _offset_and_mask(self, F, x, offset_weight, offset_bias):
        offset, _ = super()._offset_and_mask(F, x, offset_weight, offset_bias)
        split = self.offset_split_index
        return offset[:, :split], F.npx.sigmoid(offset[:, split:]) * 2

    def _symbol_deformable(self, F, offset, inputs):
        split = self.offset_split_index
        inputs["offset"] = F.slice_axis(offset, axis=1, begin=0, end=split)
        mask = F.sigmoid(F.slice_axis(offset, axis=1, begin=split, end=None)) * 2
        return F.contrib.ModulatedDeformableConvolution(name="fwd", mask=mask, **inputs,
                                                        **self._kwargs_deformable_conv)

    def _alias(self):
        return "modulated_deformable_conv"
