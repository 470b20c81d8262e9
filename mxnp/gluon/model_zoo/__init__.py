"""gluon.model_zoo: predefined networks (``vision``) and the store of their pretrained weights."""
from __future__ import annotations

from . import model_store, vision

__all__ = ["model_store", "vision"]
