"""Draws from the device's parallel engines, as MXNet 1.x's sampling kernels make them: the
``mx.nd.random`` samplers (``_random_uniform``, ``normal``, ``randint``, ``exponential``,
``gamma``, ``poisson``, ``negative_binomial``, ``generalized_negative_binomial`` and their
``_sample_*`` twins for array parameters), ``np.random.randint`` and the dropout mask. Samplers
whose values take a varying number of outputs (gamma, poisson and the negative binomials) draw
the values of all engines side by side (``_rng.Lanes``).

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


def _param(p, per: int):
    """Parameter ``p`` (a number: float32; an array: its raw data, on its device) repeated for
    each draw."""
    if isinstance(p, ndarray):
        return p._data.ravel().repeat(per) if per > 1 else p._data.ravel()
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
        a, b = _param(low, per), _param(high, per)
        return a + (b - a) * u

    return _run("uniform", dev, shape, dt, draw)


def normal(loc, scale, shape: tuple, dtype, dev) -> ndarray:
    """``z * scale + loc`` with ``z`` standard normal (a fresh polar draw per element)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (loc, scale))

    def draw(engines, count):
        z = engines.normal(count, _draw_type(dt))
        return z * _param(scale, per) + _param(loc, per)

    return _run("normal", dev, shape, dt, draw)


def exponential(lam, shape: tuple, dtype, dev) -> ndarray:
    """``-log(1 - u) / lam``, the log in double (the C library's)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (lam,))

    def draw(engines, count):
        u = engines.uniform(count, _draw_type(dt)).astype(onp.float64)
        return -_rng.log(1.0 - u) / _param(lam, per)

    return _run("exponential", dev, shape, dt, draw)


def gamma(alpha, beta, shape: tuple, dtype, dev) -> ndarray:
    """Gamma draws of shape ``alpha`` and scale ``beta`` (MXNet's ``SampleGamma``)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (alpha, beta))

    def draw(engines, count):
        a, b = _values(alpha, count, per), _values(beta, count, per)
        return _side_by_side(engines, count, lambda lanes, act, i: _gamma(
            lanes, act, a[i], b[i], _draw_type(dt)))

    return _run("gamma", dev, shape, dt, draw)


def poisson(lam, shape: tuple, dtype, dev) -> ndarray:
    """Poisson counts of rate ``lam`` (MXNet's ``SamplePoisson``, in float32)."""
    dt = onp.dtype(dtype)
    per = _per(shape, (lam,))

    def draw(engines, count):
        rate = _values(lam, count, per).astype(onp.float32)
        return _side_by_side(engines, count, lambda lanes, act, i: _poisson(
            lanes, act, rate[i]))

    return _run("poisson", dev, shape, dt, draw)


def negative_binomial(k, p, shape: tuple, dtype, dev) -> ndarray:
    """Failures before the ``k``-th success: a Poisson count at a float32 Gamma(k, (1 - p) / p)
    rate (MXNet's kernel)."""
    def rates(k, p):
        p = p.astype(onp.float32)
        return k, ((1.0 - p.astype(onp.float64)) / p).astype(onp.float32), None
    return _gamma_poisson("negative_binomial", (k, p), rates, shape, dtype, dev)


def generalized_negative_binomial(mu, alpha, shape: tuple, dtype, dev) -> ndarray:
    """A Poisson count at a float32 Gamma(1 / alpha, alpha mu) rate, or at rate ``mu`` where
    alpha is 0 (MXNet's kernel)."""
    def rates(mu, alpha):
        with onp.errstate(divide="ignore"):
            return onp.float32(1) / alpha, alpha * mu, onp.where(alpha == 0, mu, onp.nan)
    return _gamma_poisson("generalized_negative_binomial", (mu, alpha), rates, shape, dtype,
                          dev)


def _gamma_poisson(name, params, rates, shape, dtype, dev) -> ndarray:
    """Poisson counts whose rates are Gamma draws, each count right after its rate;
    ``rates(*params)`` gives the gamma's shape and scale, and fixed rates (nan: drawn)."""
    dt = onp.dtype(dtype)
    per = _per(shape, params)

    def draw(engines, count):
        k, scale, fixed = rates(*(_values(p, count, per) for p in params))
        fixed = onp.full(count, onp.nan) if fixed is None else onp.broadcast_to(fixed, (count,))

        def value(lanes, act, i):
            rate = onp.nan_to_num(fixed[i]).astype(onp.float32)
            drawn = onp.flatnonzero(onp.isnan(fixed[i]))
            rate[drawn] = _gamma(lanes, act[drawn], k[i][drawn], scale[i][drawn], _FLOAT32)
            return _poisson(lanes, act, rate)

        return _side_by_side(engines, count, value)

    return _run(name, dev, shape, dt, draw)


def _values(p, count: int, per: int) -> onp.ndarray:
    """Parameter ``p`` for each of ``count`` draws, as a host array (``Lanes`` draw there)."""
    value = _param(p, per)
    return onp.broadcast_to(value if isinstance(value, onp.generic) else _backend.to_numpy(value),
                            (count,))


def _side_by_side(engines, count: int, value) -> onp.ndarray:
    """``value(lanes, active, index)`` for j = 0, 1 ...: value j of every engine still drawing
    (``active``: lane numbers; ``index``: the values' positions), as MXNet's threads draw them."""
    lanes = engines.lanes(count)
    starts = onp.concatenate([[0], onp.cumsum(lanes.counts)[:-1]])
    out = onp.empty(count, onp.float64)
    for j in range(int(lanes.counts.max(initial=0))):
        act = onp.flatnonzero(lanes.counts > j)
        index = starts[act] + j
        out[index] = value(lanes, act, index)
    lanes.close()
    return out


def _gamma(lanes, act, a, b, ft) -> onp.ndarray:
    """Marsaglia and Tsang's method in ``ft``, one value per lane: a fresh normal z until
    z > -k, then a uniform accepts or redraws; below a = 1 a last uniform scales it."""
    wide = a.astype(onp.float64)  # C++ adds the double 2/3 (or 1/3) to the float a
    d = onp.where(wide < 1, wide + 2.0 / 3.0, wide - 1.0 / 3.0).astype(ft)
    k = onp.sqrt(9.0 * d.astype(onp.float64)).astype(ft)
    c = (1.0 / k.astype(onp.float64)).astype(ft)
    out = onp.empty(len(act), ft)
    todo = onp.arange(len(act))
    while len(todo):
        z = lanes.normal(act[todo], ft)
        t, z = todo[z > -k[todo]], z[z > -k[todo]]
        x = (1.0 + (c[t] * z).astype(onp.float64)).astype(ft)
        v = x * x * x
        u = lanes.uniform(act[t], ft).astype(onp.float64)
        wide_z = z.astype(onp.float64)
        ok = _rng.log(1.0 - u) < 0.5 * wide_z * wide_z + d[t] * (
            1.0 - v.astype(onp.float64) + _rng.log(v.astype(onp.float64)))
        out[t[ok]] = d[t[ok]] * v[ok] * b[t[ok]]
        todo = onp.sort(onp.setdiff1d(todo, t[ok]))
    small = onp.flatnonzero(a < 1)
    # C++11's pow(float, float) is pow in double
    boost = _rng.c_math("power", lanes.uniform(act[small], ft).astype(onp.float64),
                        (1.0 / wide[small]).astype(ft))
    out[small] = out[small] * boost
    return out


def _poisson(lanes, act, lam) -> onp.ndarray:
    """Knuth's product of uniforms below rate 12, else the Numerical Recipes rejection with a
    Lorentzian envelope, in float32 with the C library's float functions, one value per lane."""
    f32 = onp.float32
    out = onp.zeros(len(act), onp.int64)
    small = onp.flatnonzero(lam < 12)
    limit = _rng.c_math("exp", -lam[small])
    prod = lanes.uniform(act[small])
    live = onp.flatnonzero(prod > limit)
    while len(live):  # count the factors until the product falls to exp(-lam)
        prod[live] *= lanes.uniform(act[small[live]])
        out[small[live]] += 1
        live = live[prod[live] > limit[live]]
    big = onp.flatnonzero(lam >= 12)
    rate = lam[big]
    sq = onp.sqrt(2.0 * rate.astype(onp.float64)).astype(f32)
    log_rate = _rng.log(rate.astype(onp.float64)).astype(f32)
    g = rate * log_rate - _rng.c_math("gammaln", (rate.astype(onp.float64) + 1.0).astype(f32))
    todo = onp.arange(len(big))
    while len(todo):
        y, em = _lorentzian(lanes, act[big[todo]], sq[todo], rate[todo])
        em = onp.floor(em)
        t = (0.9 * (1.0 + (y * y).astype(onp.float64)) * _rng.c_math("exp", em * log_rate[todo] - (
            _rng.c_math("gammaln", (em.astype(onp.float64) + 1.0).astype(f32))) - g[todo])).astype(f32)
        ok = lanes.uniform(act[big[todo]]) <= t
        out[big[todo[ok]]] = em[ok].astype(onp.int64)
        todo = todo[~ok]
    return out


def _lorentzian(lanes, act, sq, rate):
    """``y = tan(pi u)`` and ``em = sq y + rate``, drawn again for each lane until em >= 0."""
    pi = onp.float32(3.1415926)
    y, em = onp.empty(len(act), onp.float32), onp.empty(len(act), onp.float32)
    todo = onp.arange(len(act))
    while len(todo):
        yt = _rng.c_math("tan", pi * lanes.uniform(act[todo]))
        et = sq[todo] * yt + rate[todo]
        y[todo], em[todo] = yt, et
        todo = todo[et < 0]
    return y, em


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


__all__ = [
    "exponential",
    "gamma",
    "generalized_negative_binomial",
    "keep_mask",
    "negative_binomial",
    "normal",
    "poisson",
    "randint",
    "uniform",
]
