"""DataLoader: batches from a Dataset, built in this process, in threads or in worker processes."""
from __future__ import annotations

import collections
import concurrent.futures

import numpy as onp

from ... import _backend
from ... import numpy as np
from ..._mode import is_np_array
from ...ndarray.ndarray import nd_view
from . import sampler as _sampler
from ._worker_pool import ProcessPool, WorkerError

__all__ = ["DataLoader", "default_batchify_fn", "default_mp_batchify_fn"]


def _stack_or_array(data):
    """The samples ``data`` (not tuples) as one array, an ``NDArray`` while MXNet's array switch
    is off (as MXNet's); NumPy's dtype for items that are not mxnp arrays."""
    if isinstance(data[0], np.ndarray):
        batch = np.stack(data)
    else:
        data = onp.asarray(data)
        if onp.dtype(data.dtype).kind not in "biufc":
            raise TypeError(f"default_batchify_fn: cannot make an array of samples of NumPy "
                            f"dtype {data.dtype} (first sample: {type(data.flat[0]).__name__}); "
                            "pass a batchify_fn that handles them")
        batch = np.array(data, dtype=data.dtype)
    return batch if is_np_array() else nd_view(batch)


def default_batchify_fn(data):
    """Stack a list of samples into a batch; tuple samples give a list with one batch per field.

    As in MXNet: mxnp arrays are stacked keeping their dtype; anything else goes through
    ``numpy.asarray`` and keeps NumPy's dtype (Python ints int64, floats float64).
    """
    if isinstance(data[0], tuple):
        return [default_batchify_fn(list(field)) for field in zip(*data)]
    return _stack_or_array(data)


def default_mp_batchify_fn(data):
    """``default_batchify_fn``, with the arrays in shared memory (context ``cpu_shared(0)``)."""
    return _as_in_context(default_batchify_fn(data), _backend.Device("cpu_shared", 0))


def _as_in_context(data, ctx):
    """``data`` with every mxnp array in it moved to ``ctx`` (lists and tuples followed)."""
    if isinstance(data, np.ndarray):
        return data.as_in_ctx(ctx)
    if isinstance(data, (list, tuple)):
        return type(data)(_as_in_context(x, ctx) for x in data)
    return data


class DataLoader:
    """Batches of ``dataset``, built in this process or ahead of time by ``num_workers`` workers.

    A batch is ``batch_size`` samples (or one of ``batch_sampler``'s index lists), in order or
    shuffled, combined by ``batchify_fn``. Workers are processes (threads with
    ``thread_pool=True``) that build at most ``prefetch`` batches ahead, each within ``timeout``
    seconds. ``pin_memory`` puts batches on ``cpu_pinned(pin_device_id)``.

    Differs from MXNet: a worker that dies or hangs raises ``WorkerError`` (a RuntimeError) in
    the main process within ``timeout``, and the workers start at the first iteration.
    """

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None,
                 batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False,
                 pin_device_id=0, prefetch=None, thread_pool=False, timeout=120,
                 auto_reload=False):
        self._pool = None
        assert timeout > 0, f"timeout must be positive, given {timeout}"
        self._batch_sampler = _batch_sampler(dataset, batch_size, shuffle, sampler, last_batch,
                                             batch_sampler)
        self._dataset = dataset
        self._pin_memory, self._pin_device_id = pin_memory, pin_device_id
        self._thread_pool, self._timeout = thread_pool, timeout
        self._num_workers = max(0, num_workers)
        self._prefetch = max(0, int(prefetch) if prefetch is not None else 2 * self._num_workers)
        if batchify_fn is None:
            batchify_fn = default_mp_batchify_fn if num_workers > 0 else default_batchify_fn
        self._batchify_fn = batchify_fn
        self.auto_reload = auto_reload
        self._iter = None
        if auto_reload:
            self.refresh()

    def __iter__(self):
        if self._iter is None:
            self.refresh()
        batches, self._iter = self._iter, None  # one prefetched pass serves one loop only
        yield from batches
        if self._iter is None and self.auto_reload:
            self.refresh()

    def __len__(self):
        return len(self._batch_sampler)

    def refresh(self):
        """Start fetching a new pass now (its batches serve the next loop over the loader)."""
        self._iter = self._make_iter()

    def clean(self):
        """Drop the pass fetched ahead, if any; the next loop starts fetching afresh."""
        if isinstance(self._iter, _MultiWorkerIter):
            self._iter.close()
        self._iter = None

    def _make_iter(self):
        if self._num_workers == 0:
            return self._same_process_iter()
        if self._thread_pool:
            if self._pool is None:
                self._pool = _ThreadPool(self._dataset, self._batchify_fn, self._num_workers)
        elif self._pool is None or not self._pool.alive:
            self._pool = ProcessPool(self._dataset, self._batchify_fn, self._num_workers)
        pin = _backend.Device("cpu_pinned", self._pin_device_id) if self._pin_memory else None
        return _MultiWorkerIter(self._pool, self._batch_sampler, self._prefetch, self._timeout,
                                pin)

    def _same_process_iter(self):
        for indices in self._batch_sampler:
            batch = self._batchify_fn([self._dataset[i] for i in indices])
            if self._pin_memory:
                batch = _as_in_context(batch, _backend.Device("cpu_pinned", self._pin_device_id))
            yield batch

    def worker_pids(self) -> list:
        """The ids of the worker processes now running (empty without any)."""
        return self._pool.pids() if isinstance(self._pool, ProcessPool) else []

    def __del__(self):
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown()


def _batch_sampler(dataset, batch_size, shuffle, sampler, last_batch, batch_sampler):
    """The BatchSampler that DataLoader's arguments describe (checked as MXNet checks them)."""
    if batch_sampler is not None:
        if batch_size is not None or shuffle or sampler is not None or last_batch is not None:
            raise ValueError("batch_size, shuffle, sampler and last_batch must not be specified "
                             "if batch_sampler is specified.")
        return batch_sampler
    if batch_size is None:
        raise ValueError("batch_size must be specified unless batch_sampler is specified")
    if sampler is None:
        sampler = (_sampler.RandomSampler if shuffle else _sampler.SequentialSampler)(
            len(dataset))
    elif shuffle:
        raise ValueError("shuffle must not be specified if sampler is specified")
    return _sampler.BatchSampler(sampler, batch_size, last_batch if last_batch else "keep")


class _MultiWorkerIter:
    """One pass over the batches, with up to ``prefetch`` of them being built ahead by a pool."""

    def __init__(self, pool, batch_sampler, prefetch, timeout, pin):
        self._pool, self._timeout, self._pin = pool, timeout, pin
        self._indices = iter(batch_sampler)
        self._pending = collections.deque()   # (batch id, ticket: worker or future), oldest first
        self._token = pool.open_token()
        self._sent = 0
        for _ in range(max(1, prefetch)):
            self._push()

    def _push(self) -> None:
        indices = next(self._indices, None)
        if indices is not None:
            ticket = self._pool.submit(self._token, self._sent, indices)
            self._pending.append((self._sent, ticket))
            self._sent += 1

    def __iter__(self):
        return self

    def __next__(self):
        if not self._pending:
            self.close()
            raise StopIteration
        batch_id, ticket = self._pending.popleft()
        self._push()
        try:
            batch = self._pool.result(self._token, batch_id, ticket, self._timeout)
        except BaseException:
            self.close()
            raise
        return batch if self._pin is None else _as_in_context(batch, self._pin)

    def close(self) -> None:
        """Stop this pass; batches still being built for it are dropped."""
        self._pending.clear()
        self._pool.close_token(self._token)

    def __del__(self):
        if getattr(self, "_pool", None) is not None and self._pool.alive:
            self.close()


class _ThreadPool:
    """``thread_pool=True``: threads of this process build the batches (same interface)."""

    alive = True

    def __init__(self, dataset, batchify_fn, num_workers):
        self._dataset, self._batchify_fn = dataset, batchify_fn
        self._executor = concurrent.futures.ThreadPoolExecutor(
            num_workers, thread_name_prefix="mxnp-DataLoader")

    def open_token(self):
        return 0

    def close_token(self, token):
        pass

    def submit(self, token, batch_id, indices):
        return self._executor.submit(
            lambda: self._batchify_fn([self._dataset[i] for i in indices]))

    def result(self, token, batch_id, future, timeout):
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise WorkerError(f"DataLoader thread gave no batch within timeout={timeout}s; it "
                              "may hang in the dataset or batchify_fn.") from None

    def pids(self):
        return []

    def shutdown(self):
        self._executor.shutdown(wait=False, cancel_futures=True)
