"""VGG 11/13/16/19 (Simonyan and Zisserman, 2014), with or without BatchNorm."""
from __future__ import annotations

from .... import context
from ....initializer import Xavier
from ... import nn
from ...block import HybridBlock
from ..model_store import get_model_file

__all__ = [
    "VGG",
    "get_vgg",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]


class VGG(HybridBlock):
    """VGG: ``layers[i]`` 3x3 convolutions of ``filters[i]`` channels per block, then 2 dense."""

    def __init__(self, layers, filters, classes=1000, batch_norm=False, **kwargs):
        super().__init__(**kwargs)
        assert len(layers) == len(filters)
        with self.name_scope():
            self.features = self._make_features(layers, filters, batch_norm)
            for _ in range(2):
                self.features.add(nn.Dense(4096, activation="relu", weight_initializer="normal",
                                           bias_initializer="zeros"))
                self.features.add(nn.Dropout(rate=0.5))
            self.output = nn.Dense(classes, weight_initializer="normal", bias_initializer="zeros")

    @staticmethod
    def _make_features(layers, filters, batch_norm):
        """The convolutional part: blocks of conv(-BN)-relu, each closed by a 2x2 max-pool."""
        features = nn.HybridSequential(prefix="")
        for num, channels in zip(layers, filters):
            for _ in range(num):
                features.add(nn.Conv2D(channels, kernel_size=3, padding=1,
                                       weight_initializer=Xavier(rnd_type="gaussian",
                                                                 factor_type="out", magnitude=2),
                                       bias_initializer="zeros"))
                if batch_norm:
                    features.add(nn.BatchNorm())
                features.add(nn.Activation("relu"))
            features.add(nn.MaxPool2D(strides=2))
        return features

    def hybrid_forward(self, F, x):
        """Features, then the classifier."""
        return self.output(self.features(x))


vgg_spec = {11: ([1, 1, 2, 2, 2], [64, 128, 256, 512, 512]),
            13: ([2, 2, 2, 2, 2], [64, 128, 256, 512, 512]),
            16: ([2, 2, 3, 3, 3], [64, 128, 256, 512, 512]),
            19: ([2, 2, 4, 4, 4], [64, 128, 256, 512, 512])}


def get_vgg(num_layers, pretrained=False, ctx=context.cpu(), root=None, **kwargs):  # noqa: B008
    """VGG with ``num_layers`` (11, 13, 16 or 19) layers; ``batch_norm=True`` adds BatchNorm."""
    layers, filters = vgg_spec[num_layers]
    net = VGG(layers, filters, **kwargs)
    if pretrained:
        suffix = "_bn" if kwargs.get("batch_norm") else ""
        net.load_parameters(get_model_file(f"vgg{num_layers}{suffix}", root=root), ctx=ctx)
    return net


def vgg11(**kwargs):
    """VGG-11 (keywords as ``get_vgg``)."""
    return get_vgg(11, **kwargs)


def vgg13(**kwargs):
    """VGG-13 (keywords as ``get_vgg``)."""
    return get_vgg(13, **kwargs)


def vgg16(**kwargs):
    """VGG-16 (keywords as ``get_vgg``)."""
    return get_vgg(16, **kwargs)


def vgg19(**kwargs):
    """VGG-19 (keywords as ``get_vgg``)."""
    return get_vgg(19, **kwargs)


def vgg11_bn(**kwargs):
    """VGG-11 with BatchNorm (keywords as ``get_vgg``)."""
    kwargs["batch_norm"] = True
    return get_vgg(11, **kwargs)


def vgg13_bn(**kwargs):
    """VGG-13 with BatchNorm (keywords as ``get_vgg``)."""
    kwargs["batch_norm"] = True
    return get_vgg(13, **kwargs)


def vgg16_bn(**kwargs):
    """VGG-16 with BatchNorm (keywords as ``get_vgg``)."""
    kwargs["batch_norm"] = True
    return get_vgg(16, **kwargs)


def vgg19_bn(**kwargs):
    """VGG-19 with BatchNorm (keywords as ``get_vgg``)."""
    kwargs["batch_norm"] = True
    return get_vgg(19, **kwargs)
