"""``IntervalSampler``: indices taken at a fixed interval."""
from __future__ import annotations

from ...data.sampler import Sampler

__all__ = ["IntervalSampler"]


class IntervalSampler(Sampler):
    """Yields 0, interval, 2*interval, ... below ``length``; with ``rollover`` it then starts
    again from 1, 2, ... until every index has been yielded once."""

    def __init__(self, length, interval, rollover=True):
        assert interval <= length, \
            f"Interval {interval} must be smaller than or equal to length {length}"
        self._length = length
        self._interval = interval
        self._rollover = rollover

    def __iter__(self):
        for start in range(self._interval if self._rollover else 1):
            yield from range(start, self._length, self._interval)

    def __len__(self):
        return self._length
