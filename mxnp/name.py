"""``mx.name``: the managers that hand out automatic names (``dense0``, ``conv3``, ...).

gluon asks the current manager for the name of every block made outside a name scope, so
``with mx.name.NameManager():`` restarts the counters and ``with mx.name.Prefix('net_'):``
prefixes the names, as in MXNet 1.9.1.
"""
from __future__ import annotations

import threading

__all__ = ["NameManager", "Prefix", "current"]


class _Current(threading.local):
    def __init__(self):
        self.manager = NameManager()


class _ManagerMeta(type):
    """``NameManager.current``: this thread's manager, read or replaced (MXNet's class
    property)."""

    @property
    def current(cls) -> NameManager:
        return _current.manager

    @current.setter
    def current(cls, manager) -> None:
        _current.manager = manager


class NameManager(metaclass=_ManagerMeta):
    """Counts names per hint: ``get(None, 'dense')`` gives ``dense0``, then ``dense1``, ...;
    used as a context manager it is the current manager inside the ``with`` block."""

    def __init__(self):
        self._counter: dict = {}
        self._old_manager = None

    def get(self, name, hint) -> str:
        """``name`` itself when given, else the hint followed by its next number."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f"{hint}{count}"

    def __enter__(self):
        self._old_manager, _current.manager = _current.manager, self
        return self

    def __exit__(self, *exc):
        _current.manager, self._old_manager = self._old_manager, None


class Prefix(NameManager):
    """A NameManager whose names all start with ``prefix``."""

    def __init__(self, prefix: str):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint) -> str:
        """The prefixed name (``prefix + name``, or ``prefix + hint + number``)."""
        return self._prefix + super().get(name, hint)


def current() -> NameManager:
    """The manager in effect on this thread."""
    return _current.manager


_current = _Current()
