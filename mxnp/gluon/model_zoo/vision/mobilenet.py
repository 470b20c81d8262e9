"""MobileNet (Howard et al., 2017) and MobileNetV2 (Sandler et al., 2018), at width multipliers."""
from __future__ import annotations

from .... import context
from ... import nn
from ...block import HybridBlock
from ..model_store import get_model_file

__all__ = [
    "MobileNet",
    "MobileNetV2",
    "get_mobilenet",
    "get_mobilenet_v2",
    "mobilenet0_5",
    "mobilenet0_25",
    "mobilenet0_75",
    "mobilenet1_0",
    "mobilenet_v2_0_5",
    "mobilenet_v2_0_25",
    "mobilenet_v2_0_75",
    "mobilenet_v2_1_0",
]


class RELU6(HybridBlock):
    """min(max(x, 0), 6)."""

    def hybrid_forward(self, F, x):
        """Clip ``x`` to [0, 6]."""
        return F.np.clip(x, 0, 6)

    def _symbol_forward(self, F, x):
        """On Symbols: MXNet's clip node (``relu6``)."""
        return F.clip(x, 0, 6, name="relu6")


def _add_conv(out, channels=1, kernel=1, stride=1, pad=0, num_group=1, active=True,
              relu6=False):
    """Append a bias-free convolution, BatchNorm and (when ``active``) relu or relu6."""
    out.add(nn.Conv2D(channels, kernel, stride, pad, groups=num_group, use_bias=False))
    out.add(nn.BatchNorm(scale=True))
    if active:
        out.add(RELU6() if relu6 else nn.Activation("relu"))


def _add_conv_dw(out, dw_channels, channels, stride, relu6=False):
    """Append a depthwise 3x3 convolution and a pointwise 1x1 one, each with BN and relu."""
    _add_conv(out, channels=dw_channels, kernel=3, stride=stride, pad=1, num_group=dw_channels,
              relu6=relu6)
    _add_conv(out, channels=channels, relu6=relu6)


class LinearBottleneck(HybridBlock):
    """Inverted residual: 1x1 expand by ``t``, depthwise 3x3, linear 1x1 project (+ input)."""

    def __init__(self, in_channels, channels, t, stride, **kwargs):
        super().__init__(**kwargs)
        self.use_shortcut = stride == 1 and in_channels == channels
        with self.name_scope():
            self.out = nn.HybridSequential()
            _add_conv(self.out, in_channels * t, relu6=True)
            _add_conv(self.out, in_channels * t, kernel=3, stride=stride, pad=1,
                      num_group=in_channels * t, relu6=True)
            _add_conv(self.out, channels, active=False, relu6=True)

    def hybrid_forward(self, F, x):
        """The bottleneck, plus ``x`` when shapes allow."""
        out = self.out(x)
        return F.np.add(out, x) if self.use_shortcut else out  # MXNet: an elemwise_add node


class MobileNet(HybridBlock):
    """MobileNet: depthwise-separable convolutions, widths scaled by ``multiplier``."""

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            with self.features.name_scope():
                _add_conv(self.features, channels=int(32 * multiplier), kernel=3, pad=1,
                          stride=2)
                dw_channels = [int(x * multiplier)
                               for x in [32, 64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024]]
                channels = [int(x * multiplier)
                            for x in [64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024] * 2]
                strides = [1, 2] * 3 + [1] * 5 + [2, 1]
                for dwc, c, s in zip(dw_channels, channels, strides):
                    _add_conv_dw(self.features, dw_channels=dwc, channels=c, stride=s)
                self.features.add(nn.GlobalAvgPool2D(), nn.Flatten())
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        """Features, then the classifier."""
        return self.output(self.features(x))


class MobileNetV2(HybridBlock):
    """MobileNetV2: inverted residual bottlenecks, widths scaled by ``multiplier``."""

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="features_")
            with self.features.name_scope():
                _add_conv(self.features, int(32 * multiplier), kernel=3, stride=2, pad=1,
                          relu6=True)
                in_group = [int(x * multiplier) for x in
                            [32] + [16] + [24] * 2 + [32] * 3 + [64] * 4 + [96] * 3 + [160] * 3]
                out_group = [int(x * multiplier) for x in
                             [16] + [24] * 2 + [32] * 3 + [64] * 4 + [96] * 3 + [160] * 3 + [320]]
                ts = [1] + [6] * 16
                strides = [1, 2] * 2 + [1, 1, 2] + [1] * 6 + [2] + [1] * 3
                for in_c, c, t, s in zip(in_group, out_group, ts, strides):
                    self.features.add(LinearBottleneck(in_channels=in_c, channels=c, t=t,
                                                       stride=s))
                last_channels = int(1280 * multiplier) if multiplier > 1.0 else 1280
                _add_conv(self.features, last_channels, relu6=True)
                self.features.add(nn.GlobalAvgPool2D())
            self.output = nn.HybridSequential(prefix="output_")
            with self.output.name_scope():
                self.output.add(nn.Conv2D(classes, 1, use_bias=False, prefix="pred_"),
                                nn.Flatten())

    hybrid_forward = MobileNet.hybrid_forward


def _multiplier_name(multiplier):
    """'1.0', '0.75', '0.5', '0.25': the width as the model store spells it."""
    version = f"{multiplier:.2f}"
    return version[:-1] if version in ("1.00", "0.50") else version


def get_mobilenet(multiplier, pretrained=False, ctx=context.cpu(), root=None,  # noqa: B008
                  **kwargs):
    """MobileNet at width ``multiplier``; ``pretrained=True`` loads MXNet's weights."""
    net = MobileNet(multiplier, **kwargs)
    if pretrained:
        name = f"mobilenet{_multiplier_name(multiplier)}"
        net.load_parameters(get_model_file(name, root=root), ctx=ctx)
    return net


def get_mobilenet_v2(multiplier, pretrained=False, ctx=context.cpu(), root=None,  # noqa: B008
                     **kwargs):
    """MobileNetV2 at width ``multiplier``; ``pretrained=True`` loads MXNet's weights."""
    net = MobileNetV2(multiplier, **kwargs)
    if pretrained:
        name = f"mobilenetv2_{_multiplier_name(multiplier)}"
        net.load_parameters(get_model_file(name, root=root), ctx=ctx)
    return net


def mobilenet1_0(**kwargs):
    """MobileNet at width 1.0 (keywords as ``get_mobilenet``)."""
    return get_mobilenet(1.0, **kwargs)


def mobilenet0_75(**kwargs):
    """MobileNet at width 0.75 (keywords as ``get_mobilenet``)."""
    return get_mobilenet(0.75, **kwargs)


def mobilenet0_5(**kwargs):
    """MobileNet at width 0.5 (keywords as ``get_mobilenet``)."""
    return get_mobilenet(0.5, **kwargs)


def mobilenet0_25(**kwargs):
    """MobileNet at width 0.25 (keywords as ``get_mobilenet``)."""
    return get_mobilenet(0.25, **kwargs)


def mobilenet_v2_1_0(**kwargs):
    """MobileNetV2 at width 1.0 (keywords as ``get_mobilenet_v2``)."""
    return get_mobilenet_v2(1.0, **kwargs)


def mobilenet_v2_0_75(**kwargs):
    """MobileNetV2 at width 0.75 (keywords as ``get_mobilenet_v2``)."""
    return get_mobilenet_v2(0.75, **kwargs)


def mobilenet_v2_0_5(**kwargs):
    """MobileNetV2 at width 0.5 (keywords as ``get_mobilenet_v2``)."""
    return get_mobilenet_v2(0.5, **kwargs)


def mobilenet_v2_0_25(**kwargs):
    """MobileNetV2 at width 0.25 (keywords as ``get_mobilenet_v2``)."""
    return get_mobilenet_v2(0.25, **kwargs)
