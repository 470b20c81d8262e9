"""gluon: MXNet's imperative/hybrid neural-network API, built on mxnp's np, npx and autograd."""
from __future__ import annotations

from .. import numpy as _np
from . import block, data, loss, nn, parameter, rnn, trainer, utils
from . import contrib, model_zoo  # after nn: both are built from its layers
from .block import Block, HybridBlock, SymbolBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict
from .trainer import Trainer

tensor_types = (_np.ndarray,)  # MXNet: (Symbol, NDArray); mxnp has arrays only

__all__ = ["Block", "Constant", "DeferredInitializationError", "HybridBlock", "Parameter",
           "ParameterDict", "SymbolBlock", "Trainer", "block", "contrib", "data", "loss",
           "model_zoo", "nn", "parameter", "rnn", "tensor_types", "trainer", "utils"]
