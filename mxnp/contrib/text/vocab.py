"""``mx.contrib.text.vocab``: indexing tokens."""
from __future__ import annotations

import collections

__all__ = ["Vocabulary"]

UNKNOWN_IDX = 0


class Vocabulary:
    """Tokens indexed from 0: the unknown token, then ``reserved_tokens``, then the tokens of
    ``counter`` by decreasing frequency (ties in token order), keeping those seen at least
    ``min_freq`` times and at most ``most_freq_count`` of them."""

    def __init__(self, counter=None, most_freq_count=None, min_freq=1, unknown_token="<unk>",
                 reserved_tokens=None):
        assert min_freq > 0, "`min_freq` must be set to a positive value."
        if reserved_tokens is not None:
            assert unknown_token not in reserved_tokens, \
                "`reserved_token` cannot contain `unknown_token`."
            assert len(set(reserved_tokens)) == len(reserved_tokens), \
                "`reserved_tokens` cannot contain duplicate reserved tokens."
        self._unknown_token = unknown_token
        self._reserved_tokens = None if reserved_tokens is None else list(reserved_tokens)
        self._idx_to_token = [unknown_token] + (self._reserved_tokens or [])
        self._token_to_idx = {t: i for i, t in enumerate(self._idx_to_token)}
        if counter is not None:
            self._index_counter(counter, most_freq_count, min_freq)

    def _index_counter(self, counter, most_freq_count, min_freq):
        assert isinstance(counter, collections.Counter), \
            "`counter` must be an instance of collections.Counter."
        special = set(self._idx_to_token)
        cap = len(special) + (len(counter) if most_freq_count is None else most_freq_count)
        by_freq = sorted(sorted(counter.items(), key=lambda kv: kv[0]), key=lambda kv: -kv[1])
        for token, freq in by_freq:
            if freq < min_freq or len(self._idx_to_token) == cap:
                break
            if token not in special:
                self._token_to_idx[token] = len(self._idx_to_token)
                self._idx_to_token.append(token)

    def __len__(self) -> int:
        return len(self._idx_to_token)

    @property
    def token_to_idx(self) -> dict:
        """Each token's index."""
        return self._token_to_idx

    @property
    def idx_to_token(self) -> list:
        """The tokens in index order."""
        return self._idx_to_token

    @property
    def unknown_token(self):
        """The token standing for every token not indexed (index 0)."""
        return self._unknown_token

    @property
    def reserved_tokens(self):
        """The reserved tokens (indexed after the unknown token), or None."""
        return self._reserved_tokens

    def to_indices(self, tokens):
        """The index of a token, or the list of indices of a list of tokens (0 for unknown
        ones)."""
        if isinstance(tokens, list):
            return [self._token_to_idx.get(t, UNKNOWN_IDX) for t in tokens]
        return self._token_to_idx.get(tokens, UNKNOWN_IDX)

    def to_tokens(self, indices):
        """The token at an index, or the list of tokens at a list of indices."""
        many = isinstance(indices, list)
        tokens = []
        for i in indices if many else [indices]:
            if not isinstance(i, int) or i >= len(self._idx_to_token):
                raise ValueError(f"Token index {i} in the provided `indices` is invalid.")
            tokens.append(self._idx_to_token[i])
        return tokens if many else tokens[0]
