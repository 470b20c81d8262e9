"""gluon.nn: layers and containers (MXNet 1.9.1's names, parameter names and defaults)."""
from __future__ import annotations

from ..block import Block, HybridBlock, SymbolBlock  # MXNet re-exports these in nn
from .conv_layers import (AvgPool1D, AvgPool2D, AvgPool3D, Conv1D, Conv1DTranspose, Conv2D,
                          Conv2DTranspose, Conv3D, Conv3DTranspose, GlobalAvgPool1D,
                          GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D,
                          GlobalMaxPool3D, MaxPool1D, MaxPool2D, MaxPool3D, ReflectionPad2D)
from .basic_layers import (BatchNorm, BatchNormReLU, Dense, Dropout, Embedding, Flatten,  # NNA
                           GroupNorm, HybridLambda, HybridSequential, InstanceNorm, Lambda,
                           LayerNorm, Sequential)
from .activations import ELU, GELU, SELU, Activation, LeakyReLU, PReLU, Swish  # NNA

__all__ = ["Activation", "AvgPool1D", "AvgPool2D", "AvgPool3D", "BatchNorm", "BatchNormReLU",
           "Block", "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D",
           "Conv3DTranspose", "Dense", "Dropout", "ELU", "Embedding", "Flatten", "GELU",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D",
           "GlobalMaxPool2D", "GlobalMaxPool3D", "GroupNorm", "HybridBlock", "HybridLambda",
           "HybridSequential", "InstanceNorm", "Lambda", "LayerNorm", "LeakyReLU", "MaxPool1D",
           "MaxPool2D", "MaxPool3D", "PReLU", "ReflectionPad2D", "SELU", "Sequential", "Swish",
           "SymbolBlock"]
