"""MXNet's two process-wide switches, ``is_np_shape`` and ``is_np_array`` (both off at start).

mxnp's ``np``/``npx`` arrays behave the same either way. The array switch picks which face
gluon shows where MXNet 1.x code and NumPy-interface code meet: with it off (MXNet's default,
the 1.x world), Parameters, Block outputs and data batches are legacy ``mx.nd.NDArray``s and
``hybrid_forward`` gets ``F = mx.nd``; ``npx.set_np()`` turns it on (``mx.np.ndarray``s).
"""
from __future__ import annotations

import functools
import inspect
import threading

_FLAGS = {"shape": False, "array": False}


def is_np_shape() -> bool:
    """Whether NumPy shape semantics are on (``npx.set_np()``); off at start, as in MXNet."""
    return _FLAGS["shape"]


def is_np_array() -> bool:
    """Whether NumPy array semantics are on (``npx.set_np()``); off at start, as in MXNet."""
    return _FLAGS["array"]


def set_np(shape: bool = True, array: bool = True) -> None:
    """Turn NumPy shape and array semantics on (``array`` needs ``shape``), as MXNet's."""
    if not shape and array:
        raise ValueError("NumPy Shape semantics is required in using NumPy array semantics.")
    _FLAGS["shape"], _FLAGS["array"] = bool(shape), bool(array)


def reset_np() -> None:
    """Turn NumPy shape and array semantics off (MXNet's state at start)."""
    set_np(shape=False, array=False)


def set_np_shape(active: bool) -> bool:
    """Set NumPy shape semantics; returns the previous state."""
    previous, _FLAGS["shape"] = _FLAGS["shape"], bool(active)
    return previous


def set_np_array(active: bool) -> bool:
    """Set NumPy array semantics; returns the previous state."""
    previous, _FLAGS["array"] = _FLAGS["array"], bool(active)
    return previous


class _Scope:
    """A ``with`` scope that sets one switch and restores it on exit (also a decorator)."""

    def __init__(self, key: str, active: bool):
        self._key, self._active, self._previous = key, bool(active), None

    def __enter__(self):
        self._previous, _FLAGS[self._key] = _FLAGS[self._key], self._active
        return self

    def __exit__(self, *exc):
        _FLAGS[self._key] = self._previous
        return False


class _NumpyArrayScope(_Scope):
    """MXNet's scope object of the array switch (``np_array()`` gives one); MXNet code reads
    its ``_is_np_array``. ``_current`` is MXNet's per-thread slot, kept for code that sets
    it; mxnp's switch itself is process-wide (docs/differences.md)."""

    _current = threading.local()

    def __init__(self, is_np_array: bool):
        super().__init__("array", is_np_array)

    @property
    def _is_np_array(self) -> bool:
        return self._active


def np_shape(active: bool = True) -> _Scope:
    """``with np_shape():`` runs its body with NumPy shape semantics on (or off)."""
    return _Scope("shape", active)


def np_array(active: bool = True) -> _NumpyArrayScope:
    """``with np_array():`` runs its body with NumPy array semantics on (or off)."""
    return _NumpyArrayScope(active)


def _wrap_callable(func, keys):
    @functools.wraps(func)
    def run(*args, **kwargs):
        saved = {k: _FLAGS[k] for k in keys}
        _FLAGS.update(dict.fromkeys(keys, True))
        try:
            return func(*args, **kwargs)
        finally:
            _FLAGS.update(saved)
    return run


def _decorator(keys):
    def decorate(func):
        if inspect.isclass(func):
            # every method the class defines or inherits runs with the switches on (as MXNet's:
            # a decorated gluon Block's inherited __call__ then shows the numpy face)
            for name in dir(func):
                member = inspect.getattr_static(func, name)
                if inspect.isfunction(member) and (not name.startswith("__")
                                                   or name in ("__init__", "__call__")):
                    setattr(func, name, _wrap_callable(member, keys))
            return func
        if callable(func):
            return _wrap_callable(func, keys)
        raise TypeError(f"use_np: expected a function or a class, got {type(func).__name__}")
    return decorate


use_np_shape = _decorator(("shape",))
use_np_array = _decorator(("array",))
use_np = _decorator(("shape", "array"))
