"""gluon: MXNet's imperative/hybrid neural-network API, built on mxnp's np, npx and autograd."""
from __future__ import annotations

from . import loss
from . import nn
from . import utils
from .block import Block, HybridBlock, SymbolBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict

__all__ = ["Block", "HybridBlock", "SymbolBlock", "Parameter", "ParameterDict", "Constant",
           "DeferredInitializationError", "nn"]
