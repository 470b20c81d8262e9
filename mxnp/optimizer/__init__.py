"""``mx.optimizer``: the optimizers, their registry, and the Updater that holds their states."""
from __future__ import annotations

from . import contrib, optimizer
from ._base import Optimizer, create, register
from .adam import FTML, Adam, Adamax, AdamW, Nadam
from .adaptive import AdaDelta, AdaGrad, Ftrl, RMSProp
from .lars import LAMB, LARS, LBSGD
from .sgd import DCASGD, NAG, SGD, SGLD, Signum, Test, ccSGD
from .updater import Updater, get_updater

__all__ = ["Optimizer", "create", "register", "SGD", "ccSGD", "NAG", "Signum", "SGLD", "DCASGD",
           "Test", "Adam", "AdamW", "Adamax", "Nadam", "FTML", "AdaGrad", "RMSProp", "AdaDelta",
           "Ftrl", "LARS", "LAMB", "LBSGD", "Updater", "get_updater", "contrib", "optimizer"]
