"""``mx.engine``: MXNet's bulk-execution settings, kept for code that sets them.

MXNet's engine could bundle up to ``size`` small operators into one scheduled task. mxnp runs
every operator eagerly, the moment it is called, so there is nothing to bundle: the size is
remembered and returned, as MXNet does, and changes nothing about how operators run.
"""
from __future__ import annotations

import operator
import threading

__all__ = ["bulk", "set_bulk_size"]


class _BulkSize(threading.local):
    # per thread, as in MXNet's engine; 0 is what MXNet 1.9.1 reports before any setting
    def __init__(self):
        self.size = 0


_state = _BulkSize()


def set_bulk_size(size: int) -> int:
    """Set the bulk size (the most operators MXNet would bundle) and return the previous one.

    It has no effect on mxnp's eager execution: every operator runs when it is called.
    """
    try:
        size = operator.index(size)
    except TypeError:
        raise TypeError(f"mx.engine.set_bulk_size: size must be an int, got "
                        f"{type(size).__name__}") from None
    previous, _state.size = _state.size, size
    return previous


class _BulkScope:
    """The ``with`` block of ``bulk(size)``: sets the size, and puts the previous one back."""

    def __init__(self, size: int):
        self._size = size
        self._old_size = None

    def __enter__(self):
        self._old_size = set_bulk_size(self._size)
        return self

    def __exit__(self, *exc):
        set_bulk_size(self._old_size)


def bulk(size: int) -> _BulkScope:
    """A ``with`` block inside which the bulk size is ``size`` (see ``set_bulk_size``).

    It has no effect on mxnp's eager execution; it exists so that MXNet code using it runs.
    """
    try:
        return _BulkScope(operator.index(size))
    except TypeError:
        raise TypeError(f"mx.engine.bulk: size must be an int, got "
                        f"{type(size).__name__}") from None
