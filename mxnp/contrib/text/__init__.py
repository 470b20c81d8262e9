"""``mx.contrib.text``: token counting, vocabularies and token embeddings (MXNet 1.x's text
API, before GluonNLP). Embeddings load from local files (``CustomEmbedding``) or from a
registered class's hosted files; mxnp ships no catalogue of GloVe/fastText files."""
from __future__ import annotations

from . import embedding, utils, vocab

__all__ = ["embedding", "utils", "vocab"]
