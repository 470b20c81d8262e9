"""DataLoader worker processes: each builds whole batches and hands them back in shared memory.

One socket pair per worker. The main process sends ``(token, batch_id, indices)``; the worker
answers, in the order it was asked, with the batch's structure (small, pickled) and, on Linux, a
file descriptor of an anonymous shared-memory file (``memfd``) holding every array of the batch.
The main process maps that memory and wraps it as arrays without copying; the memory goes away
with the last array that uses it, so nothing can leak into /dev/shm. Elsewhere the arrays travel
pickled through the socket.

Why it cannot deadlock: a reader thread inside each worker drains its task socket at once, so the
main process's sends never wait on a busy worker; the main process waits for one answer at a
time with ``multiprocessing.connection.wait`` on both the socket and the worker's exit sentinel,
with a deadline. A dead worker, a hung worker (past ``timeout``) or a parent that went away all
end in a clear error or an exit, never in a wait without end.
"""
from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
import traceback
from multiprocessing import connection, reduction

import numpy as onp

from ... import _backend, _mode
from ... import _legacy_random as _mx_random
from ... import numpy as np
from ..._ndarray import _wrap, ndarray
from ...ndarray.ndarray import nd_view

# fd passing needs Linux's memfd and no acknowledgement byte (macOS sends one back, which the
# worker's reader thread would swallow), so shared memory is used exactly where both hold.
_USE_MEMFD = hasattr(os, "memfd_create") and not reduction.ACKNOWLEDGE
_ALIGN = 64


def start_method() -> str:
    """'fork' on Linux unless CuPy holds a GPU context here; 'spawn' otherwise.

    fork starts a worker in milliseconds and lets datasets and transforms defined in a notebook
    (lambdas, ``__main__`` functions) reach the workers, which spawn cannot pickle. It is safe
    here because the main process of a DataLoader runs no threads of its own (the only threads
    are inside the workers) and workers only read the dataset and compute on the CPU. It is not
    safe once CUDA is initialised (a forked child cannot use it, and a dataset of GPU arrays
    would fail there in obscure ways), nor on macOS, whose system libraries break after fork.
    """
    if sys.platform != "linux" or _backend._cupy is not None:
        return "spawn"
    return "fork"


class _Slot:
    """Where an array sat in a batch: its index among the shipped arrays, and its kind."""

    __slots__ = ("device", "index", "legacy")

    def __init__(self, index, device, legacy=False):
        self.index, self.device = index, device  # device None: an official NumPy array
        self.legacy = legacy  # an mx.nd.NDArray

    def __reduce__(self):
        return (_Slot, (self.index, self.device, self.legacy))


def _strip(obj, arrays: list):
    """``obj`` with each CPU array replaced by a _Slot (the arrays appended to ``arrays``)."""
    if isinstance(obj, np.ndarray) and isinstance(obj._data, onp.ndarray) and \
            obj.dtype != object:
        arrays.append(obj._data)
        return _Slot(len(arrays) - 1, (obj.device.device_type, obj.device.device_id),
                     type(obj) is not ndarray)
    if type(obj) is onp.ndarray and obj.dtype != object:
        arrays.append(obj)
        return _Slot(len(arrays) - 1, None)
    if type(obj) in (list, tuple):
        return type(obj)(_strip(x, arrays) for x in obj)
    if type(obj) is dict:
        return {k: _strip(v, arrays) for k, v in obj.items()}
    return obj


def _fill(obj, arrays: list):
    """The inverse of _strip: each _Slot replaced by its array, mxnp ones on their device."""
    if isinstance(obj, _Slot):
        raw = arrays[obj.index]
        if obj.device is None:
            return raw
        arr = _wrap(raw, _backend.Device(*obj.device))
        return nd_view(arr) if obj.legacy else arr
    if type(obj) in (list, tuple):
        return type(obj)(_fill(x, arrays) for x in obj)
    if type(obj) is dict:
        return {k: _fill(v, arrays) for k, v in obj.items()}
    return obj


def _layout(arrays: list):
    """(dtype, shape, offset) of each array packed into one buffer, and the buffer's size."""
    specs, total = [], 0
    for a in arrays:
        specs.append((a.dtype.str, a.shape, total))
        total += -(-a.nbytes // _ALIGN) * _ALIGN
    return specs, total


def _send_batch(conn, token, batch_id, batch) -> None:
    """Ship one finished batch to the main process (the arrays in shared memory where possible)."""
    arrays: list = []
    skeleton = _strip(batch, arrays)
    specs, total = _layout(arrays)
    if not _USE_MEMFD or total == 0:
        conn.send(("ok", token, batch_id, skeleton, specs, total, arrays))
        return
    fd = os.memfd_create("mxnp-dataloader-batch", os.MFD_CLOEXEC)
    try:
        os.ftruncate(fd, total)
        for a, (_, _, offset) in zip(arrays, specs):
            # pwrite, not a mapping: the kernel fills the new pages without a fault per page
            # (half the time for a 1 MB batch)
            os.pwrite(fd, onp.ascontiguousarray(a).reshape(-1).view(onp.uint8), offset)
        conn.send(("ok", token, batch_id, skeleton, specs, total, None))
        reduction.send_handle(conn, fd, os.getppid())
    finally:
        os.close(fd)


def _receive_batch(conn, message):
    """The batch a worker's "ok" message describes, its arrays mapped from shared memory."""
    _, _, _, skeleton, specs, total, arrays = message
    if arrays is None:
        fd = reduction.recv_handle(conn)
        try:
            memory = mmap.mmap(fd, total)
        finally:
            os.close(fd)
        # each array keeps the mapping alive; it is unmapped when the last one is freed
        arrays = [onp.ndarray(shape, dtype=dtype, buffer=memory, offset=offset)
                  for dtype, shape, offset in specs]
    return _fill(skeleton, arrays)


def _read_tasks(conn, tasks: queue.SimpleQueue, parent: int) -> None:
    """Worker thread: move every task from the socket to ``tasks``; None when the parent is gone."""
    try:
        while os.getppid() == parent:
            if conn.poll(0.5):
                tasks.put(conn.recv())
    except (EOFError, OSError):
        pass
    tasks.put(None)


def _worker_main(conn, dataset, batchify_fn, seed, inherited, np_flags) -> None:
    """A worker process: build each batch it is asked for, in order, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # the main process's switches (a spawned worker starts with both off)
    _mode.set_np_shape(np_flags["shape"])
    _mode.set_np_array(np_flags["array"])
    for other in inherited:  # a forked child holds copies of its siblings' sockets: drop them
        other.close()
    # forked workers would otherwise share one random stream: random augmentations would repeat
    onp.random.seed(seed % 2**32)
    _mx_random.seed(seed)
    tasks: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read_tasks, args=(conn, tasks, os.getppid()), daemon=True).start()
    while (task := tasks.get()) is not None:
        token, batch_id, indices = task
        try:
            batch = batchify_fn([dataset[i] for i in indices])
        except Exception as e:  # noqa: BLE001 - every failure is reported to the main process
            _send_error(conn, token, batch_id, e)
            continue
        try:
            _send_batch(conn, token, batch_id, batch)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as e:  # noqa: BLE001 - e.g. a batch that cannot be pickled
            _send_error(conn, token, batch_id, e)


def _send_error(conn, token, batch_id, error) -> None:
    text = "".join(traceback.format_exception(error))
    try:  # the main process must be able to rebuild it, or it gets the text alone
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure to round-trip means "send the text"
        error = None
    conn.send(("error", token, batch_id, error, text))


def _worker_seed(generation: int, index: int) -> int:
    """A worker's seed, from NumPy's global state and mx.random's seed, advancing neither, so
    that either ``numpy.random.seed`` or ``mx.random.seed`` makes the workers' draws repeat."""
    state = onp.random.get_state()[1][:8].tolist()
    mx_seed = _backend._seed_state.get("seed")
    entropy = [*state, generation, index, 0 if mx_seed is None else 1 + mx_seed]
    return int(onp.random.SeedSequence(entropy).generate_state(1, onp.uint64)[0])


class WorkerError(RuntimeError):
    """A DataLoader worker process died, or gave no batch within the timeout."""


class ProcessPool:
    """``num_workers`` worker processes, with the batches they owe the main process."""

    _generations = 0

    def __init__(self, dataset, batchify_fn, num_workers: int):
        ProcessPool._generations += 1
        method = start_method()
        context = multiprocessing.get_context(method)
        self._conns, self._procs, self._next = [], [], 0
        self._stash: dict = {}     # answers read while waiting for another iterator's batch
        self._live: set = set()    # tokens of iterators still running
        self._tokens = 0
        try:
            for index in range(num_workers):
                mine, theirs = multiprocessing.Pipe(duplex=True)
                inherited = list(self._conns) if method == "fork" else []
                seed = _worker_seed(ProcessPool._generations, index)
                proc = context.Process(target=_worker_main, daemon=True,
                                       name=f"mxnp-DataLoader-worker-{index}",
                                       args=(theirs, dataset, batchify_fn, seed, inherited,
                                             {"shape": _mode.is_np_shape(),
                                              "array": _mode.is_np_array()}))
                proc.start()
                theirs.close()
                self._conns.append(mine)
                self._procs.append(proc)
        except BaseException as e:
            self.shutdown()
            if method == "spawn" and isinstance(e, (AttributeError, TypeError, pickle.PickleError)):
                raise TypeError(
                    "DataLoader workers are started with 'spawn' here, which must pickle the "
                    f"dataset and batchify_fn, and could not ({e}); define them at the top level "
                    "of a module, or pass thread_pool=True") from e
            raise

    def pids(self) -> list:
        """The worker processes' ids."""
        return [p.pid for p in self._procs]

    def open_token(self) -> int:
        """A new iterator's token: answers carry it, so iterators never take each other's."""
        self._tokens += 1
        self._live.add(self._tokens)
        return self._tokens

    def close_token(self, token: int) -> None:
        """Forget an iterator: its answers still in flight are dropped when they arrive."""
        self._live.discard(token)
        for key in [k for k in self._stash if k[0] == token]:
            del self._stash[key]

    def submit(self, token: int, batch_id: int, indices) -> int:
        """Ask the next worker (round robin) for a batch; the worker's number is returned."""
        worker = self._next
        self._next = (worker + 1) % len(self._procs)
        try:
            self._conns[worker].send((token, batch_id, list(indices)))
        except OSError:
            self._fail(worker, "while being sent a batch to build")
        return worker

    def result(self, token: int, batch_id: int, worker: int, timeout: float):
        """Batch ``batch_id`` of iterator ``token`` from ``worker``, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while (token, batch_id) not in self._stash:
            message = self._read(worker, deadline, timeout)
            key = message[1], message[2]
            if key[0] in self._live:
                self._stash[key] = message
        message = self._stash.pop((token, batch_id))
        if message[0] == "error":
            _raise_worker_error(message, self._procs[worker].pid)
        return message[5]

    def _read(self, worker: int, deadline: float, timeout: float):
        conn, proc = self._conns[worker], self._procs[worker]
        ready = connection.wait([conn, proc.sentinel], max(0.0, deadline - time.monotonic()))
        if not ready:
            self.shutdown()
            raise WorkerError(
                f"DataLoader worker {worker} (pid {proc.pid}) gave no batch within timeout="
                f"{timeout}s; it may hang in the dataset or batchify_fn, or a batch takes longer "
                "than that to build (then raise DataLoader's timeout). The workers were stopped.")
        try:
            message = conn.recv() if conn in ready else None
            if message is not None and message[0] == "ok":
                message = message[:5] + (_receive_batch(conn, message),)
        except (EOFError, OSError):
            message = None
        if message is None:
            self._fail(worker, "while building a batch")
        return message

    def _fail(self, worker: int, when: str):
        proc = self._procs[worker]
        proc.join(1.0)
        code = proc.exitcode
        how = (f"was killed by signal {signal.Signals(-code).name}" if code is not None and
               code < 0 else f"exited with code {code}")
        self.shutdown()
        raise WorkerError(f"DataLoader worker {worker} (pid {proc.pid}) {how} {when}; the "
                          "workers were stopped (a new iteration starts new ones). A worker "
                          "that is killed by the system may have run out of memory.")

    def shutdown(self) -> None:
        """Stop every worker now and wait for each to be gone (idempotent)."""
        for conn in self._conns:
            conn.close()
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join(5.0)
            if proc.is_alive():
                proc.kill()
                proc.join()
        self._conns, self._procs, self._stash, self._live = [], [], {}, set()

    @property
    def alive(self) -> bool:
        """True while the workers run (False after shutdown)."""
        return bool(self._procs)


def _raise_worker_error(message, pid):
    _, _, _, error, text = message
    if error is None:
        raise WorkerError(f"DataLoader worker (pid {pid}) failed:\n{text}")
    if hasattr(error, "add_note"):
        error.add_note(f"(raised in DataLoader worker pid {pid}; its traceback:)\n{text}")
    raise error
