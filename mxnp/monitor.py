"""``mx.monitor``: MXNet 1.x's ``Monitor``, statistics of the arrays an executor computes
(through ``Executor.set_monitor_callback``) and of its arguments, every ``interval`` batches."""
from __future__ import annotations

import ctypes
import logging
import math
import re

from . import ndarray
from .base import NDArrayHandle, py_str
from .ndarray import NDArray

__all__ = ["Monitor"]


class Monitor:
    """Collects ``stat_func(array)`` for the executor arrays whose names match ``pattern``
    (outputs, and with ``monitor_all`` inputs too) between ``tic`` and ``toc``."""

    def __init__(self, interval, stat_func=None, pattern=".*", sort=False, monitor_all=False):
        if stat_func is None:
            def asum_stat(x):
                """``norm(x) / sqrt(x.size)``."""
                return ndarray.norm(x) / math.sqrt(x.size)
            stat_func = asum_stat
        self.stat_func = stat_func
        self.interval = interval
        self.activated = False
        self.queue = []
        self.step = 0
        self.exes = []
        self.re_prog = re.compile(pattern)
        self.sort = sort
        self.monitor_all = monitor_all

        def stat_helper(name, array):
            """The executor callback: queue the statistic of a matching array."""
            array = NDArray(ctypes.cast(array, NDArrayHandle), writable=False)
            if not self.activated or not self.re_prog.match(py_str(name)):
                return
            self.queue.append((self.step, py_str(name), self.stat_func(array)))
        self.stat_helper = stat_helper

    def install(self, exe) -> None:
        """Watch the Executor ``exe`` (several may be installed)."""
        exe.set_monitor_callback(self.stat_helper, self.monitor_all)
        self.exes.append(exe)

    def tic(self) -> None:
        """Start collecting for this batch if it is one of every ``interval``; call before
        forward."""
        if self.step % self.interval == 0:
            self.queue = []
            self.activated = True
        self.step += 1

    def toc(self) -> list:
        """Stop collecting: ``(step, name, text)`` for each statistic, the arguments' and
        auxiliary states' included."""
        if not self.activated:
            return []
        for exe in self.exes:
            for name, array in zip(exe._symbol.list_arguments(), exe.arg_arrays):
                if self.re_prog.match(name):
                    self.queue.append((self.step, name, self.stat_func(array)))
            for name, array in zip(exe._symbol.list_auxiliary_states(), exe.aux_arrays):
                if self.re_prog.match(name):
                    self.queue.append((self.step, name, self.stat_func(array)))
        self.activated = False
        if self.sort:
            self.queue.sort(key=lambda x: x[1])
        res = []
        for n, k, values in self.queue:
            values = [values] if isinstance(values, NDArray) else values
            assert isinstance(values, list)
            text = ""
            for v in values:
                assert isinstance(v, NDArray)
                text += (str(v.asscalar()) if v.shape == (1,) else str(v.asnumpy())) + "\t"
            res.append((n, k, text))
        self.queue = []
        return res

    def toc_print(self) -> None:
        """``toc`` and log each statistic (``Batch: step name value``)."""
        for n, k, v in self.toc():
            logging.info("Batch: {:7d} {:30s} {:s}".format(n, k, v))  # noqa: G001, LOG015 - MXNet's
