"""Draws from the device's parallel engines, as MXNet 1.x's sampling kernels make them: the
``mx.nd.random`` samplers (``_random_uniform``, ``_random_normal``, ``_random_randint`` and their
``_sample_*`` twins for array parameters), ``np.random.randint`` and the dropout mask.

Each kernel reads its parameters in their own type (float32 for Python numbers), draws in the
output's float type (float64 for float16 outputs, as ``RandGenerator<cpu, half>`` does) and casts
the result to the output's dtype. Parameters of shape ``p`` give ``p + extra`` draws, element
``i`` reading parameter ``i // prod(extra)``.
"""
from __future__ import annotations

import numpy as onp

from ... import _backend, _rng
from ..._ndarray import ndarray
from ..creation import _make

_FLOAT32 = onp.dtype(onp.float32)


def _draw_type(dt: onp.dtype) -> onp.dtype:
    # RandGenerator<cpu, DType> draws in DType when it is a C++ float type, else in double
    return dt if dt in (_FLOAT32, onp.dtype(onp.float64)) else onp.dtype(onp.float64)


def _param(p, count: int, per: int):
    """Parameter ``p`` (a number: float32; an array: its raw data) repeated for each draw."""
    if isinstance(p, ndarray):
        return onp.repeat(_backend.to_numpy(p._data).ravel(), per) if per > 1 else \
            _backend.to_numpy(p._data).ravel()
    return onp.float32(p)


def _run(name: str, dev, shape: tuple, dt, draw) -> ndarray:
    """``draw(parallel_engines, count)`` as an untaped array of ``shape`` and dtype ``dt``."""
    count = int(onp.prod(shape, dtype=onp.int64))
    # the engines are looked up at each draw: a hybridized replay re-runs this
    return _make(name, lambda xp: xp.asarray(draw(_backend.engines(dev).parallel, count)).astype(
        dt, copy=False).reshape(shape), dev, None)


def _per(shape: tuple, params) -> int:
    sizes = [p.size for p in params if isinstance(p, ndarray)]
    count = int(onp.prod(shape, dtype=onp.int64))
    return count // sizes[0] if sizes and sizes[0] else 1


def uniform(low, high, shape: tuple, dtype, dev) -> ndarray:
    """``low + (high - low) * u`` with ``u`` uniform in [0, 1)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (low, high))

    def draw(engines, count):
        u = engines.uniform(count, _draw_type(dt))
        a, b = _param(low, count, per), _param(high, count, per)
        return a + (b - a) * u

    return _run("uniform", dev, shape, dt, draw)


def normal(loc, scale, shape: tuple, dtype, dev) -> ndarray:
    """``z * scale + loc`` with ``z`` standard normal (a fresh polar draw per element)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (loc, scale))

    def draw(engines, count):
        z = engines.normal(count, _draw_type(dt))
        return z * _param(scale, count, per) + _param(loc, count, per)

    return _run("normal", dev, shape, dt, draw)


def exponential(lam, shape: tuple, dtype, dev) -> ndarray:
    """``-log(1 - u) / lam``, the log in double (the C library's)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (lam,))

    def draw(engines, count):
        u = engines.uniform(count, _draw_type(dt)).astype(onp.float64)
        return -_rng.log(1.0 - u) / _param(lam, count, per)

    return _run("exponential", dev, shape, dt, draw)


def randint(low: int, high: int, shape: tuple, dtype, dev) -> ndarray:
    """``low + r % (high - low)``, ``r`` a non-negative 63-bit draw made of two outputs
    (``(first << 31) + second``, wrapped to int64 as C++ does), ``%`` truncating as in C."""
    dt = onp.dtype(dtype)

    def draw(engines, count):
        bits = engines.bits(count, 2)
        r = ((bits[0::2] << onp.uint64(31)) + bits[1::2]).view(onp.int64)
        return low + onp.fmod(r, onp.int64(high - low))

    return _run("randint", dev, shape, dt, draw)


def keep_mask(p: float, shape: tuple, dtype, dev) -> ndarray:
    """Dropout's mask: ``1 / (1 - p)`` where a uniform draw is at most ``1 - p`` (float32),
    else 0, in ``dtype``."""
    dt = onp.dtype(dtype)
    keep = onp.float32(1.0) - onp.float32(p)
    scale = onp.float32(1.0) / keep if keep else onp.float32(0.0)

    def draw(engines, count):
        u = engines.uniform(count, _draw_type(dt)).astype(onp.float32, copy=False)
        return (u <= keep) * scale

    return _run("dropout", dev, shape, dt, draw)


__all__ = ["uniform", "normal", "exponential", "randint", "keep_mask"]
