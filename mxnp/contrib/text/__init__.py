"""``mx.contrib.text``: token counting, vocabularies and token embeddings (MXNet 1.x's text
API, before GluonNLP). Embeddings load from local files (``CustomEmbedding``), from the
hosted GloVe and fastText files (``GloVe``, ``FastText``) or from a registered class's hosted
files."""
from __future__ import annotations

from . import embedding, utils, vocab

__all__ = ["embedding", "utils", "vocab"]
