"""``gluon.contrib.cnn``: deformable convolution layers (DCNv1 and the modulated DCNv2)."""
from __future__ import annotations

from . import conv_layers  # noqa: F401 (MXNet's module name)
from .conv_layers import DeformableConvolution, ModulatedDeformableConvolution

__all__ = ["DeformableConvolution", "ModulatedDeformableConvolution"]
