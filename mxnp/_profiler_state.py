"""The profiler's state (configuration, trace, aggregate statistics) and the op-path hook.

``hook()`` wraps ``Primitive.__call__`` (and a hybridized ``Program``'s) with a timing wrapper
while operators are to be timed, and puts the plain methods back otherwise, so that an
unprofiled run pays nothing. ``profiler.py`` is the public face; ``_profiler_objects.py``
records the user's own regions through ``PROFILER``.
"""
from __future__ import annotations

import threading
import time

from . import _profiler_hook
from ._ops.primitive import Primitive, route_operators
from ._ops.program import Program


class _Profiler:
    """The process-wide profiler: its configuration, state, trace and aggregate statistics."""

    def __init__(self):
        self.config = None  # None until set_config: MXNet profiles nothing before it
        self.running = self.paused = False
        self.events: list = []  # Chrome trace events, in the order they happened
        self.stats: dict = {}  # category -> name -> [count, total, min, max] in ms
        self.pids: dict = {}  # process name (a device, a category) -> the trace's pid
        self.scopes = threading.local()
        self.lock = threading.Lock()

    def reset(self, config) -> None:
        """Start a new profile under ``config``: no events, statistics or process ids yet."""
        with self.lock:
            self.config, self.events, self.stats, self.pids = config, [], {}, {}

    def recording(self) -> bool:
        return self.running and not self.paused and self.config is not None

    def add(self, event: dict, process: str) -> None:
        """Append a trace event of ``process`` (a device or a category: one trace row each)."""
        event["tid"] = threading.get_ident()
        with self.lock:
            event["pid"] = self.pids.setdefault(process, len(self.pids))
            self.events.append(event)

    def note_category(self, category: str) -> None:
        """Show ``category`` in the aggregate statistics even without durations (markers)."""
        if self.config["aggregate_stats"]:
            with self.lock:
                self.stats.setdefault(category, {})

    def duration(self, name: str, category: str, start_ns: int, end_ns: int, process: str,
                 args=None) -> None:
        """A begin/end pair in the trace, and the duration in the aggregate statistics."""
        begin = {"name": name, "cat": category, "ph": "B", "ts": start_ns / 1000}
        if args:
            begin["args"] = args
        self.add(begin, process)
        self.add({"name": name, "cat": category, "ph": "E", "ts": end_ns / 1000}, process)
        if self.config["aggregate_stats"]:
            ms = (end_ns - start_ns) / 1e6
            with self.lock:
                row = self.stats.setdefault(category, {}).setdefault(name, [0, 0.0, ms, ms])
                row[0] += 1
                row[1] += ms
                row[2], row[3] = min(row[2], ms), max(row[3], ms)


PROFILER = _Profiler()


# ---- timing the op path --------------------------------------------------------------------
def timed_as(name: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` recorded as one ``operator`` event named ``name`` (an MXNet
    operator's name, ``_plus_scalar``) in place of the primitives it runs."""
    if not PROFILER.running or getattr(PROFILER.scopes, "outer", None) is not None:
        return fn(*args, **kwargs)
    PROFILER.scopes.outer = name
    try:
        start = time.perf_counter_ns()
        out = fn(*args, **kwargs)
        end = time.perf_counter_ns()
    finally:
        PROFILER.scopes.outer = None
    if PROFILER.recording() and _operators_timed():
        _record(name, out, start, end)
    return out


def timed_custom(op_type: str, label: str, fn, *args):
    """``fn(*args)`` (a custom operator's Python) recorded as ``label`` in the "Custom
    Operator" domain, the operators inside as ``<label's operator>::<name>`` there (MXNet's
    names; ``op_type`` is the custom operator's)."""
    scopes = PROFILER.scopes
    saved = getattr(scopes, "outer", None), getattr(scopes, "custom", None)
    # what the operators inside are filed under: MySigmoid::..., _backward_MySigmoid::...
    scopes.outer, scopes.custom = None, label.split("::")[0]
    try:
        start = time.perf_counter_ns()
        out = fn(*args)
        end = time.perf_counter_ns()
    finally:
        scopes.outer, scopes.custom = saved
    if PROFILER.recording() and _operators_timed():
        PROFILER.duration(label, _CUSTOM, start, end, _CUSTOM)
    return out


_CUSTOM = "Custom Operator"


def _operators_timed() -> bool:
    config = PROFILER.config or {}
    return bool(config) and (config["profile_all"] or config["profile_symbolic"] or
                             config["profile_imperative"])


def _record(name: str, out, start: int, end: int) -> None:
    first = out[0] if isinstance(out, (list, tuple)) and out else out
    device = getattr(first, "_device", None)
    process = f"{device.device_type}/{device.device_id}" if device is not None else "cpu/0"
    scope = getattr(PROFILER.scopes, "name", None)
    custom = getattr(PROFILER.scopes, "custom", None)
    if custom is not None:  # run by a custom operator's Python: MXNet files it under that
        name, category, process = f"{custom}::{name}", _CUSTOM, _CUSTOM
    else:
        category = "operator"
    PROFILER.duration(name, category, start, end, process, {"scope": scope} if scope else None)


def _timed(inner):
    """``inner`` (an op's ``__call__``) with each call recorded as an ``operator`` event."""

    def timed_call(self, *args, **params):
        if not PROFILER.recording() or getattr(PROFILER.scopes, "outer", None) is not None:
            # stopped from another thread, or inside an operator timed under its own name
            return inner(self, *args, **params)
        start = time.perf_counter_ns()
        out = inner(self, *args, **params)
        end = time.perf_counter_ns()
        _record(self.name, out, start, end)
        return out

    timed_call.inner = inner
    return timed_call


def hook() -> None:
    """Wrap the op classes' ``__call__`` while operators are to be timed, else unwrap them.

    A ``primitive.use_fast_paths`` switch made while profiling replaces the wrapper; it is
    then left as that switch set it."""
    wanted = PROFILER.recording() and _operators_timed()
    _profiler_hook.recorder = timed_as if wanted else None
    _profiler_hook.custom_recorder = timed_custom if wanted else None
    route_operators(wanted)  # ndarray's operators reach Primitive.__call__ only so
    for cls in (Primitive, Program):
        call = cls.__dict__["__call__"]
        wrapped = hasattr(call, "inner")
        if wanted and not wrapped:
            cls.__call__ = _timed(call)
        elif not wanted and wrapped:
            cls.__call__ = call.inner
