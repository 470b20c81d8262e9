"""``Vocabulary``: a two-way index between tokens and integers, built from token counts."""
from __future__ import annotations

import collections

__all__ = ["Vocabulary"]

UNKNOWN_IDX = 0  # the unknown token always has index 0


class Vocabulary:
    """Indexes the unknown token (0), then ``reserved_tokens``, then the tokens of ``counter``
    by falling frequency (ties alphabetical), keeping at most ``most_freq_count`` of them and
    none seen fewer than ``min_freq`` times."""

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
        self._idx_to_token = [unknown_token, *(reserved_tokens or [])]
        self._token_to_idx = {token: idx for idx, token in enumerate(self._idx_to_token)}
        if counter is not None:
            self._index_counter_keys(counter, most_freq_count, min_freq)

    def _index_counter_keys(self, counter, most_freq_count, min_freq):
        assert isinstance(counter, collections.Counter), \
            "`counter` must be an instance of collections.Counter."
        special = {self._unknown_token, *(self._reserved_tokens or [])}
        by_freq = sorted(sorted(counter.items()), key=lambda kv: kv[1], reverse=True)
        cap = len(special) + (len(counter) if most_freq_count is None else most_freq_count)
        for token, freq in by_freq:
            if freq < min_freq or len(self._idx_to_token) == cap:
                break
            if token not in special:
                self._idx_to_token.append(token)
                self._token_to_idx[token] = len(self._idx_to_token) - 1

    def __len__(self):
        return len(self._idx_to_token)

    @property
    def token_to_idx(self) -> dict:
        """A dict from each indexed token to its index."""
        return self._token_to_idx

    @property
    def idx_to_token(self) -> list:
        """The indexed tokens, in index order."""
        return self._idx_to_token

    @property
    def unknown_token(self) -> str:
        """The token every unindexed token maps to (index 0)."""
        return self._unknown_token

    @property
    def reserved_tokens(self):
        """The reserved tokens (indices 1...), or None."""
        return self._reserved_tokens

    def to_indices(self, tokens):
        """The index of a token, or the list of indices of a list of tokens (unknown: 0)."""
        if not isinstance(tokens, list):
            return self._token_to_idx.get(tokens, UNKNOWN_IDX)
        return [self._token_to_idx.get(token, UNKNOWN_IDX) for token in tokens]

    def to_tokens(self, indices):
        """The token of an index, or the list of tokens of a list of indices."""
        if not isinstance(indices, list):
            return self.to_tokens([indices])[0]
        for idx in indices:
            if not isinstance(idx, int) or idx >= len(self._idx_to_token):
                raise ValueError("Token index %d in the provided `indices` is invalid." % idx)
        return [self._idx_to_token[idx] for idx in indices]
