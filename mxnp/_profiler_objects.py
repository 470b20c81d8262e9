"""The profiler's objects for the user's own code: a ``Domain`` groups ``Task``s, ``Frame``s,
``Counter``s and ``Marker``s; an ``Event`` stands alone. Each records into the trace (and the
aggregate statistics) only while the profiler runs, as MXNet 1.9.1's do."""
from __future__ import annotations

import time

from ._profiler_state import PROFILER

__all__ = ["Counter", "Domain", "Event", "Frame", "Marker", "Task"]

_MARKER_SCOPES = {"global": "g", "process": "p", "thread": "t", "task": "t", "marker": "t"}


def _name(value, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"mx.profiler.{what}: name must be a str, got {type(value).__name__}")
    return value


def _domain(value, what: str) -> Domain:
    if not isinstance(value, Domain):
        raise TypeError(f"mx.profiler.{what}: domain must be a Domain, got "
                        f"{type(value).__name__}")
    return value


class Domain:
    """A named group of tasks, frames, counters and markers (a category of the trace)."""

    def __init__(self, name: str):
        self.name = _name(name, "Domain")

    def __str__(self) -> str:
        return self.name

    def new_task(self, name: str) -> Task:
        """A Task of this domain."""
        return Task(self, name)

    def new_frame(self, name: str) -> Frame:
        """A Frame of this domain."""
        return Frame(self, name)

    def new_counter(self, name: str, value=None) -> Counter:
        """A Counter of this domain, set to ``value`` when given."""
        return Counter(self, name, value)

    def new_marker(self, name: str) -> Marker:
        """A Marker of this domain."""
        return Marker(self, name)


class _Region:
    """A named region timed from ``start()`` to ``stop()``, recorded under ``category``."""

    def __init__(self, name: str, category: str):
        self.name, self._category = name, category
        self._start = None  # perf_counter_ns at start(), or False: started while not recording

    def start(self) -> None:
        """Start timing the region."""
        self._start = time.perf_counter_ns() if PROFILER.recording() else False

    def stop(self) -> None:
        """Stop timing the region and record it (if the profiler ran at both ends)."""
        if self._start is None:
            raise RuntimeError(f"mx.profiler.{type(self).__name__}.stop: {self.name!r} was "
                               "not started")
        start, self._start = self._start, None
        if start is not False and PROFILER.recording():
            PROFILER.duration(self.name, self._category, start, time.perf_counter_ns(),
                              self._category)

    def __str__(self) -> str:
        return self.name


class Task(_Region):
    """A unit of work of a domain; all its runs add up in the domain's statistics."""

    def __init__(self, domain: Domain, name: str):
        super().__init__(_name(name, "Task"), _domain(domain, "Task").name)


class Frame(_Region):
    """A frame of a domain (a period such as one training step), in ``<domain>,frame``."""

    def __init__(self, domain: Domain, name: str):
        super().__init__(_name(name, "Frame"), f"{_domain(domain, 'Frame').name},frame")


class Event(_Region):
    """A region of the user's code outside any domain (category ``event``)."""

    def __init__(self, name: str):
        super().__init__(_name(name, "Event"), "event")


class Counter:
    """A value of a domain tracked over time (a counter track in the trace)."""

    def __init__(self, domain: Domain, name: str, value=None):
        self.name = _name(name, "Counter")
        self._category = _domain(domain, "Counter").name
        self._value = 0
        if value is not None:
            self.set_value(value)

    def set_value(self, value) -> None:
        """Set the counter to ``value`` (an int)."""
        try:
            self._value = int(value)
        except (TypeError, ValueError):
            raise TypeError(f"mx.profiler.Counter.set_value: expected an int, got "
                            f"{value!r}") from None
        if PROFILER.recording():
            PROFILER.add({"name": self.name, "cat": self._category, "ph": "C",
                          "ts": time.perf_counter_ns() / 1000,
                          "args": {self.name: self._value}}, self._category)

    def increment(self, delta=1) -> None:
        """Add ``delta`` to the counter."""
        self.set_value(self._value + int(delta))

    def decrement(self, delta=1) -> None:
        """Subtract ``delta`` from the counter."""
        self.set_value(self._value - int(delta))

    def __iadd__(self, delta):
        self.increment(delta)
        return self

    def __isub__(self, delta):
        self.decrement(delta)
        return self

    def __str__(self) -> str:
        return self.name


class Marker:
    """An instant of a domain, marked in the trace by ``mark()``."""

    def __init__(self, domain: Domain, name: str):
        self.name = _name(name, "Marker")
        self.domain = _domain(domain, "Marker")

    def mark(self, scope: str = "process") -> None:
        """Mark this instant; ``scope`` is 'global', 'process', 'thread', 'task' or 'marker'."""
        if scope not in _MARKER_SCOPES:
            raise ValueError(f"mx.profiler.Marker.mark: scope must be one of "
                             f"{list(_MARKER_SCOPES)}, got {scope!r}")
        if PROFILER.recording():
            category = f"{self.domain.name},instant_marker"
            PROFILER.add({"name": self.name, "cat": category, "ph": "i",
                          "ts": time.perf_counter_ns() / 1000, "s": _MARKER_SCOPES[scope]},
                         category)
            PROFILER.note_category(category)
