"""gluon: MXNet's imperative/hybrid neural-network API, built on mxnp's np, npx and autograd."""
from __future__ import annotations

from . import loss
from . import nn
from . import utils
from .trainer import Trainer
from .block import Block, HybridBlock, SymbolBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict
from . import block, parameter  # MXNet's gluon.block and gluon.parameter modules
from .. import numpy as _np

tensor_types = (_np.ndarray,)  # MXNet: (Symbol, NDArray); mxnp has arrays only

__all__ = ["Block", "HybridBlock", "SymbolBlock", "Parameter", "ParameterDict", "Constant",
           "DeferredInitializationError", "nn", "loss", "utils", "tensor_types"]
