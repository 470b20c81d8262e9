"""``mx.profiler``: time mxnp's operators and your own code regions, as MXNet 1.9.1's profiler.

``set_config(profile_all=True, aggregate_stats=True)``, then ``set_state('run')``: every op
call (each ``Primitive``, forward and backward, and each hybridized program as one call) is
timed until ``set_state('stop')``; ``Task``, ``Frame``, ``Event``, ``Counter`` and ``Marker``
record your own regions and values. ``dump()`` writes a Chrome trace (chrome://tracing,
Perfetto) to the configured ``filename``; ``dumps()`` returns the aggregate table.

The timing wraps ``Primitive.__call__`` only while the profiler runs (``_profiler_state.hook``):
with the profiler stopped the op path is exactly the unprofiled one, at no cost.
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings

from ._profiler_objects import Counter, Domain, Event, Frame, Marker, Task
from ._profiler_report import aggregate_json, aggregate_table
from ._profiler_state import PROFILER as _PROFILER
from ._profiler_state import hook as _hook
from .base import MXNetError

__all__ = ["Counter", "Domain", "Event", "Frame", "Marker", "Task", "dump", "dump_profile",
           "dumps", "pause", "profiler_set_config", "profiler_set_state", "resume", "scope",
           "set_config", "set_state", "start", "stop"]

# MXNet 1.9.1's configuration keys and the values a set_config call starts from
_DEFAULTS = {"filename": "profile.json", "profile_all": False, "profile_symbolic": True,
             "profile_imperative": True, "profile_memory": True, "profile_api": True,
             "continuous_dump": False, "dump_period": 1.0, "aggregate_stats": False,
             "profile_process": "worker"}
_SORT_KEYS = ("total", "avg", "min", "max", "count")


# ---- configuration and state ---------------------------------------------------------------
def _flag(key: str, value) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    text = str(value).lower()
    if text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    raise MXNetError(f"mx.profiler.set_config: {key} must be a boolean, got {value!r}")


def set_config(**kwargs) -> None:
    """Configure the profiler with MXNet's keywords: ``filename`` (the trace ``dump`` writes,
    'profile.json'), ``profile_all``, ``profile_symbolic``, ``profile_imperative`` (any of the
    three times the operators: mxnp runs graphs and eager code through the same ops),
    ``profile_memory``, ``profile_api`` (accepted; mxnp records no memory or C API events),
    ``continuous_dump``, ``dump_period`` (accepted; ``dump`` writes when called),
    ``aggregate_stats`` (keep the statistics ``dumps`` shows), ``profile_process``. Keywords not
    given take their defaults again, as in MXNet. Each call starts a new profile: what was
    recorded before is dropped."""
    unknown = sorted(set(kwargs) - set(_DEFAULTS))
    if unknown:
        raise MXNetError(f"mx.profiler.set_config: unknown keyword {unknown[0]!r}; the keywords "
                         f"are {sorted(_DEFAULTS)}")
    config = dict(_DEFAULTS)
    for key, value in kwargs.items():
        if key == "filename":
            if not isinstance(value, (str, os.PathLike)):
                raise TypeError(f"mx.profiler.set_config: filename must be a str or a path, got "
                                f"{type(value).__name__}")
            config[key] = os.fspath(value)
        elif key == "dump_period":
            try:
                config[key] = float(value)
            except (TypeError, ValueError):
                raise MXNetError(f"mx.profiler.set_config: dump_period must be a number of "
                                 f"seconds, got {value!r}") from None
        elif key == "profile_process":
            config[key] = _process(value, "set_config")
        else:
            config[key] = _flag(key, value)
    _PROFILER.reset(config)
    _hook()


def _process(profile_process, what: str) -> str:
    if profile_process == "worker":
        return profile_process
    if profile_process == "server":
        raise NotImplementedError(f"mx.profiler.{what}: mxnp's distributed stores have no "
                                  "server processes to profile (profile_process='server')")
    raise ValueError(f"mx.profiler.{what}: profile_process must be 'worker' or 'server', got "
                     f"{profile_process!r}")


def set_state(state: str = "stop", profile_process: str = "worker") -> None:
    """Start (``'run'``) or stop (``'stop'``) profiling."""
    if state not in ("run", "stop"):
        raise ValueError(f"mx.profiler.set_state: state must be 'run' or 'stop', got {state!r}")
    _process(profile_process, "set_state")
    _PROFILER.running, _PROFILER.paused = state == "run", False
    _hook()


def start(profile_process: str = "worker") -> None:
    """``set_state('run')`` (an mxnp shorthand; MXNet 1.9.1 has only set_state)."""
    set_state("run", profile_process)


def stop(profile_process: str = "worker") -> None:
    """``set_state('stop')`` (an mxnp shorthand; MXNet 1.9.1 has only set_state)."""
    set_state("stop", profile_process)


def pause(profile_process: str = "worker") -> None:
    """Stop recording until ``resume()``, without stopping the profiler."""
    _process(profile_process, "pause")
    _PROFILER.paused = True
    _hook()


def resume(profile_process: str = "worker") -> None:
    """Record again after ``pause()``."""
    _process(profile_process, "resume")
    _PROFILER.paused = False
    _hook()


class scope:  # MXNet 2.0's lower-case name: a context manager used like a function
    """``with mx.profiler.scope('name:'):``: operator events recorded inside carry ``name``
    (in their ``args.scope``). From MXNet 2.0; MXNet 1.9.1 has no scope."""

    def __init__(self, name: str = "<unk>:", append_mode: bool = False):
        if not isinstance(name, str):
            raise TypeError(f"mx.profiler.scope: name must be a str, got {type(name).__name__}")
        self._name, self._append, self._old = name, append_mode, None

    def __enter__(self):
        self._old = getattr(_PROFILER.scopes, "name", None)
        _PROFILER.scopes.name = (self._old or "") + self._name if self._append else self._name
        return self

    def __exit__(self, *exc):
        _PROFILER.scopes.name = self._old


# ---- output ----------------------------------------------------------------------------------
def _trace() -> dict:
    """The Chrome trace: a name for each process row, then the events."""
    with _PROFILER.lock:
        names = [{"name": "process_name", "ph": "M", "pid": pid, "args": {"name": process}}
                 for process, pid in _PROFILER.pids.items()]
        return {"traceEvents": names + list(_PROFILER.events), "displayTimeUnit": "ms"}


def _write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, so that a failed write
    leaves any previous file whole."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".profile-", suffix=".json.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def dump(finished: bool = True, profile_process: str = "worker") -> None:
    """Write everything recorded since ``set_config`` to the configured ``filename`` as a
    Chrome trace (JSON); ``finished=True`` also stops the profiler."""
    _process(profile_process, "dump")
    if _PROFILER.config is None:
        raise MXNetError("mx.profiler.dump: the profiler has not been configured; call "
                         "set_config(...) and set_state('run') first")
    _write_atomically(_PROFILER.config["filename"], json.dumps(_trace(), indent=1))
    if finished:
        set_state("stop")


def dumps(reset: bool = False, format: str = "table", sort_by: str = "total",
          ascending: bool = False) -> str:
    """The aggregate statistics (kept with ``aggregate_stats=True``; '' without) as MXNet's
    table or as JSON, each category's rows sorted by ``sort_by`` ('total', 'avg', 'min',
    'max', 'count'); ``reset=True`` clears them afterwards."""
    if format not in ("table", "json"):
        raise ValueError(f"mx.profiler.dumps: format must be 'table' or 'json', got {format!r}")
    if sort_by not in _SORT_KEYS:
        raise ValueError(f"mx.profiler.dumps: sort_by must be one of {_SORT_KEYS}, got "
                         f"{sort_by!r}")
    for name, value in (("reset", reset), ("ascending", ascending)):
        if not isinstance(value, bool):
            raise TypeError(f"mx.profiler.dumps: {name} must be True or False, got {value!r}")
    config = _PROFILER.config
    if config is None or not config["aggregate_stats"]:
        return ""
    with _PROFILER.lock:
        stats = {c: {n: list(r) for n, r in rows.items()} for c, rows in _PROFILER.stats.items()}
        if reset:
            _PROFILER.stats.clear()
    if format == "json":
        return aggregate_json(stats, sort_by, ascending)
    return aggregate_table(stats, sort_by, ascending)


# ---- MXNet's deprecated spellings ------------------------------------------------------------
def profiler_set_config(mode: str = "symbolic", filename: str = "profile.json") -> None:
    """Deprecated: ``set_config(profile_<mode>=True, filename=filename)``."""
    warnings.warn("profiler.profiler_set_config() is deprecated. Please use "
                  "profiler.set_config() instead", DeprecationWarning, stacklevel=2)
    set_config(**{f"profile_{mode}": True, "filename": filename})


def profiler_set_state(state: str = "stop") -> None:
    """Deprecated: ``set_state(state)``."""
    warnings.warn("profiler.profiler_set_state() is deprecated. Please use "
                  "profiler.set_state() instead", DeprecationWarning, stacklevel=2)
    set_state(state)


def dump_profile() -> None:
    """Deprecated: ``dump(True)``."""
    warnings.warn("profiler.dump_profile() is deprecated. Please use profiler.dump() instead",
                  DeprecationWarning, stacklevel=2)
    dump(True)

