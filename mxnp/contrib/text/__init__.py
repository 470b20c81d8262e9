"""``mx.contrib.text``: token counting (``utils``) and the token index (``vocab.Vocabulary``).

MXNet's ``embedding`` module (pretrained GloVe/fastText downloads) is not provided.
"""
from __future__ import annotations

from . import utils, vocab

__all__ = ["utils", "vocab"]
