"""``mx.contrib.text.utils``: counting tokens in a string."""
from __future__ import annotations

import collections
import re

__all__ = ["count_tokens_from_str"]


def count_tokens_from_str(source_str, token_delim=" ", seq_delim="\n", to_lower=False,
                          counter_to_update=None):
    """A ``collections.Counter`` of the tokens of ``source_str``, split at ``token_delim`` and
    ``seq_delim`` (empty pieces skipped), lower-cased with ``to_lower``; added into
    ``counter_to_update`` (which is returned) when given."""
    pieces = re.split(f"{re.escape(token_delim)}|{re.escape(seq_delim)}", source_str)
    tokens = [t.lower() if to_lower else t for t in pieces if t]
    if counter_to_update is None:
        return collections.Counter(tokens)
    counter_to_update.update(tokens)
    return counter_to_update
