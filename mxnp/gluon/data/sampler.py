"""Samplers: iterables of dataset indices (and of index batches) that a DataLoader draws from."""
from __future__ import annotations

import numpy as onp

__all__ = ["BatchSampler", "FilterSampler", "RandomSampler", "Sampler", "SequentialSampler"]

_LAST_BATCH = ("keep", "discard", "rollover")


def _check_last_batch(last_batch) -> None:
    if last_batch not in _LAST_BATCH:
        raise ValueError("last_batch must be one of 'keep', 'discard', or 'rollover', "
                         f"but got {last_batch}")


class Sampler:
    """Base class of samplers: subclasses define ``__iter__`` and ``__len__``."""

    def __iter__(self):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """The indices ``start, start + 1, ..., start + length - 1`` in order."""

    def __init__(self, length, start=0):
        self._length = length
        self._start = start

    def __iter__(self):
        return iter(range(self._start, self._start + self._length))

    def __len__(self):
        return self._length


class RandomSampler(Sampler):
    """A new random permutation of ``range(length)`` on every pass.

    As in MXNet the permutation comes from official NumPy's global generator, so
    ``numpy.random.seed`` (not ``mx.random.seed``) makes it reproducible, with MXNet's orders.
    """

    def __init__(self, length):
        self._length = length

    def __iter__(self):
        return iter(onp.random.permutation(self._length).tolist())

    def __len__(self):
        return self._length


class FilterSampler(Sampler):
    """The indices of the samples of ``dataset`` for which ``fn(sample)`` is true."""

    def __init__(self, fn, dataset):
        self._fn = fn
        self._dataset = dataset
        # range(len()) rather than iterating the dataset: a dataset need not raise IndexError
        self._indices = [i for i in range(len(dataset)) if fn(dataset[i])]

    def __iter__(self):
        return iter(self._indices)

    def __len__(self):
        return len(self._indices)


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices drawn from ``sampler``.

    ``last_batch`` says what becomes of a short final batch: 'keep' it, 'discard' it, or
    'rollover' its indices into the start of the next pass.
    """

    def __init__(self, sampler, batch_size, last_batch="keep"):
        self._sampler = sampler
        self._batch_size = batch_size
        self._last_batch = last_batch
        self._prev = []

    def __iter__(self):
        batch, self._prev = self._prev, []
        for i in self._sampler:
            batch.append(i)
            if len(batch) == self._batch_size:
                yield batch
                batch = []
        if batch:
            _check_last_batch(self._last_batch)
            if self._last_batch == "keep":
                yield batch
            elif self._last_batch == "rollover":
                self._prev = batch

    def __len__(self):
        _check_last_batch(self._last_batch)
        size, n = self._batch_size, len(self._sampler)
        if self._last_batch == "keep":
            return (n + size - 1) // size
        if self._last_batch == "discard":
            return n // size
        return (len(self._prev) + n) // size
