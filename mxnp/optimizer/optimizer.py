"""``mx.optimizer.optimizer``: the module MXNet 1.9.1 defines its optimizers in.

mxnp splits them across modules by family; this one gathers every name again.
"""
from __future__ import annotations

from ._base import Optimizer, create, register
from .adam import FTML, Adam, Adamax, AdamW, Nadam
from .adaptive import AdaDelta, AdaGrad, Ftrl, RMSProp
from .lars import LAMB, LARS, LBSGD
from .sgd import DCASGD, NAG, SGD, SGLD, Signum, Test, ccSGD
from .updater import Updater, get_updater

__all__ = ["Optimizer", "create", "register", "SGD", "ccSGD", "NAG", "Signum", "SGLD", "DCASGD",
           "Test", "Adam", "AdamW", "Adamax", "Nadam", "FTML", "AdaGrad", "RMSProp", "AdaDelta",
           "Ftrl", "LARS", "LAMB", "LBSGD", "Updater", "get_updater"]
