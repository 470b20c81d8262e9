"""Inception v3 (Szegedy et al., 2015) for 299x299 inputs."""
from __future__ import annotations

from .... import context
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import HybridConcurrent
from ..model_store import get_model_file

__all__ = ["Inception3", "inception_v3"]

_SETTING_NAMES = ("channels", "kernel_size", "strides", "padding")


def _conv(**kwargs):
    """Bias-free convolution, BatchNorm (eps 1e-3) and relu."""
    out = nn.HybridSequential(prefix="")
    out.add(nn.Conv2D(use_bias=False, **kwargs), nn.BatchNorm(epsilon=0.001),
            nn.Activation("relu"))
    return out


def _branch(use_pool, *conv_settings):
    """An optional pooling ('avg' 3x3/1, 'max' 3x3/2) followed by convolutions.

    Each setting is (channels, kernel_size, strides, padding), None meaning the default.
    """
    out = nn.HybridSequential(prefix="")
    if use_pool == "avg":
        out.add(nn.AvgPool2D(pool_size=3, strides=1, padding=1))
    elif use_pool == "max":
        out.add(nn.MaxPool2D(pool_size=3, strides=2))
    for setting in conv_settings:
        out.add(_conv(**{k: v for k, v in zip(_SETTING_NAMES, setting) if v is not None}))
    return out


def _concurrent(prefix, *branches):
    """Branch outputs concatenated on channels; branches are built inside ``prefix``'s scope."""
    out = HybridConcurrent(axis=1, prefix=prefix)
    with out.name_scope():
        for make in branches:
            out.add(make())
    return out


def _make_a(pool_features, prefix):
    """35x35 module: 1x1, 5x5, double 3x3 and pooled branches."""
    return _concurrent(prefix,
                       lambda: _branch(None, (64, 1, None, None)),
                       lambda: _branch(None, (48, 1, None, None), (64, 5, None, 2)),
                       lambda: _branch(None, (64, 1, None, None), (96, 3, None, 1),
                                       (96, 3, None, 1)),
                       lambda: _branch("avg", (pool_features, 1, None, None)))


def _make_b(prefix):
    """Grid reduction 35 -> 17."""
    return _concurrent(prefix,
                       lambda: _branch(None, (384, 3, 2, None)),
                       lambda: _branch(None, (64, 1, None, None), (96, 3, None, 1),
                                       (96, 3, 2, None)),
                       lambda: _branch("max"))


def _make_c(c7, prefix):
    """17x17 module with factorised 7x7 convolutions of ``c7`` channels."""
    return _concurrent(prefix,
                       lambda: _branch(None, (192, 1, None, None)),
                       lambda: _branch(None, (c7, 1, None, None), (c7, (1, 7), None, (0, 3)),
                                       (192, (7, 1), None, (3, 0))),
                       lambda: _branch(None, (c7, 1, None, None), (c7, (7, 1), None, (3, 0)),
                                       (c7, (1, 7), None, (0, 3)), (c7, (7, 1), None, (3, 0)),
                                       (192, (1, 7), None, (0, 3))),
                       lambda: _branch("avg", (192, 1, None, None)))


def _make_d(prefix):
    """Grid reduction 17 -> 8."""
    return _concurrent(prefix,
                       lambda: _branch(None, (192, 1, None, None), (320, 3, 2, None)),
                       lambda: _branch(None, (192, 1, None, None), (192, (1, 7), None, (0, 3)),
                                       (192, (7, 1), None, (3, 0)), (192, 3, 2, None)),
                       lambda: _branch("max"))


def _split_3x3(*head):
    """``head`` convolutions, then 1x3 and 3x1 convolutions side by side."""
    out = nn.HybridSequential(prefix="")
    out.add(_branch(None, *head))
    split = HybridConcurrent(axis=1, prefix="")
    split.add(_branch(None, (384, (1, 3), None, (0, 1))),
              _branch(None, (384, (3, 1), None, (1, 0))))
    out.add(split)
    return out


def _make_e(prefix):
    """8x8 module with split 3x3 branches."""
    return _concurrent(prefix,
                       lambda: _branch(None, (320, 1, None, None)),
                       lambda: _split_3x3((384, 1, None, None)),
                       lambda: _split_3x3((448, 1, None, None), (384, 3, None, 1)),
                       lambda: _branch("avg", (192, 1, None, None)))


class Inception3(HybridBlock):
    """Inception v3 for ``classes`` classes (input 299x299)."""

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            self.features.add(_conv(channels=32, kernel_size=3, strides=2),
                              _conv(channels=32, kernel_size=3),
                              _conv(channels=64, kernel_size=3, padding=1),
                              nn.MaxPool2D(pool_size=3, strides=2),
                              _conv(channels=80, kernel_size=1),
                              _conv(channels=192, kernel_size=3),
                              nn.MaxPool2D(pool_size=3, strides=2),
                              _make_a(32, "A1_"), _make_a(64, "A2_"), _make_a(64, "A3_"),
                              _make_b("B_"), _make_c(128, "C1_"), _make_c(160, "C2_"),
                              _make_c(160, "C3_"), _make_c(192, "C4_"), _make_d("D_"),
                              _make_e("E1_"), _make_e("E2_"),
                              nn.AvgPool2D(pool_size=8), nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        """Features, then the classifier."""
        return self.output(self.features(x))


def inception_v3(pretrained=False, ctx=context.cpu(), root=None, **kwargs):  # noqa: B008
    """Inception v3; ``pretrained=True`` loads MXNet's ImageNet weights from the model store."""
    net = Inception3(**kwargs)
    if pretrained:
        net.load_parameters(get_model_file("inceptionv3", root=root), ctx=ctx)
    return net
