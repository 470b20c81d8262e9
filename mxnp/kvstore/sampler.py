"""SplitSampler: each worker's share of a data set, for ``DataLoader(..., sampler=...)``."""
from __future__ import annotations

import numpy as onp

__all__ = ["SplitSampler"]


class SplitSampler:
    """The indices of part ``part_index`` of ``num_parts`` equal parts of ``range(length)``.

    Every part has ``length // num_parts`` indices (the remainder is dropped), so that all
    workers run the same number of synchronous steps. With ``shuffle``, every worker draws the
    same permutation from ``seed`` (a new one each epoch) and takes its slice of it, so the
    parts never overlap.
    """

    def __init__(self, length, num_parts=1, part_index=0, shuffle=False, seed=0):
        if not 0 <= part_index < num_parts:
            raise ValueError(f"SplitSampler: part_index {part_index} is not in "
                             f"[0, {num_parts})")
        self._length = length
        self._part_len = length // num_parts
        self._start = self._part_len * part_index
        self._shuffle = shuffle
        # metadata RNG (indices only), identical on every worker because the seed is
        self._rng = onp.random.default_rng(seed)

    def __iter__(self):
        if self._shuffle:
            order = self._rng.permutation(self._length)
        else:
            order = onp.arange(self._length)
        part = order[self._start:self._start + self._part_len]
        return iter(part.tolist())

    def __len__(self):
        return self._part_len
