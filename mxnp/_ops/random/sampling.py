"""Integer and structured draws (randint, choice, multinomial, shuffle, multivariate_normal) and
npx's samplers (bernoulli, normal_n, uniform_n); the continuous distributions are in random.py.

None of these has a gradient except normal_n, which is ``normal`` with a batch shape in front.
Everything is written with the generator methods NumPy's and CuPy's generators share, so no
op branches on the backend.
"""
from __future__ import annotations

import operator

import numpy as onp

from ... import _backend, _dtypes, _rng
from ..._ndarray import ndarray
from ...base import OpError
from ..checks import require_array
from ..creation import _make, _shape_arg
from ..primitive import write_out
from . import parallel
from .distributions import _INTS, _check, _draw, _out_shape, _params, _place, _raw, normal, uniform


def _int(name: str, what: str, value) -> int:
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: {what} must be an int, got {type(value).__name__}") from None


def _size(name: str, size) -> tuple:
    return () if size is None else _shape_arg(name, size)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None, device=None):
    """Integers in [low, high), int64 by default, drawn as MXNet draws them (its parallel
    engines).

    Differs from MXNet: ``low >= high`` raises here (MXNet defers the error, or crashes for
    ``low == high``).
    """
    low = _int("randint", "low", low)
    if high is None:
        low, high = 0, low
    high = _int("randint", "high", high)
    dt = _dtypes.INDEX if dtype is None else _dtypes.as_dtype(dtype, "randint")
    if dt not in _INTS:
        raise TypeError(f"randint: dtype must be int32 or int64, got {dt}")
    if low >= high:
        raise OpError(f"randint: low must be less than high, got low={low}, high={high}")
    dev = _place("randint", ctx, device, ())
    return write_out(parallel.randint(low, high, _size("randint", size), dt, dev), out)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None, device=None):
    """Draws from ``range(a)`` (int64) or from the 1-D array ``a``; ``p`` weights them.

    Differs from MXNet: ``replace=False`` with ``size`` above the population raises (MXNet
    crashes); a 2-D ``a`` raises, as in NumPy (MXNet returns ``a``); ``p`` may be a list.
    """
    if isinstance(a, ndarray):
        if a.ndim != 1:
            raise OpError(f"choice: a must be 1-dimensional, got shape {a.shape}")
        n = a.shape[0]
    else:
        n = _int("choice", "a", a)
    shape = _size("choice", size)
    count = int(onp.prod(shape))
    if n <= 0 and count:
        raise OpError(f"choice: a must be a positive int or a non-empty array, got {a!r}")
    if not replace and count > n:
        raise OpError(f"choice: cannot take {count} samples from a population of {n} without "
                      "replacement; use replace=True or a smaller size")
    dev = _place("choice", ctx, device, (a, p) if isinstance(p, ndarray) else (a,))
    weights = _weights(p, n, dev)

    def sample(xp, eng, s, dt):  # MXNet's np.random.choice, on the sequential engine
        draws = eng.sequential
        if weights is None:
            if replace:  # one raw output per draw, reduced modulo n
                return draws.bits(count) % n
            return _reservoir(_backend.to_numpy(draws.bits(min(count, n - count))), n, count)
        if replace:  # how many of the float32 running sums of p lie below u
            return xp.searchsorted(xp.cumsum(weights), draws.uniform(count), side="left")
        # Gumbel keys in float32 with the C library's logf; the largest count keys win
        keys = -_rng.log(-_rng.log(draws.uniform(n))) + _rng.log(weights)
        return xp.argsort(-keys, kind="stable")[:count]

    index = _draw("choice", dev, (), _dtypes.INDEX, sample)._data.reshape(shape)
    if isinstance(a, ndarray):
        return write_out(_make("choice", lambda xp: a._data[index], dev, None), out)
    return write_out(_make("choice", lambda xp: index, dev, None), out)


def _reservoir(bits, n: int, k: int):
    """``k`` of ``range(n)`` without replacement, as MXNet picks them from ``m = min(k, n - k)``
    raw outputs: output ``i`` reduced modulo ``n - m + i + 1`` swaps that slot into the
    reservoir; the last ``k`` entries are the draw when ``2k < n``, else the first ``k``."""
    split = n - len(bits)
    slots = (bits % onp.arange(split + 1, n + 1, dtype=onp.uint64)).tolist()
    index = list(range(n))
    for i, z in enumerate(slots):  # each swap depends on the ones before it
        if z < split:
            index[z], index[i + split] = index[i + split], index[z]
    return onp.array(index[n - k:] if 2 * k < n else index[:k], dtype=onp.int64)


def _weights(p, n: int, dev):
    """``p`` as a raw float32 array on ``dev`` (None for uniform weights), as MXNet reads it."""
    if p is None:
        return None
    if isinstance(p, ndarray):
        raw = _backend.to_device(p._data, dev).astype(onp.float32)
    else:
        raw = onp.asarray(p, dtype=onp.float32)
        if raw.ndim == 1 and (raw.min(initial=0) < 0 or abs(raw.sum() - 1) > 1e-6):
            raise OpError("choice: probabilities p must be non-negative and sum to 1")
    if raw.shape != (n,):
        raise OpError(f"choice: p must have shape ({n},) to match a, got {raw.shape}")
    return _backend.to_device(raw, dev)


def multinomial(n, pvals, size=None, **kwargs):
    """Counts of ``n`` trials over ``len(pvals)`` outcomes: int64 of shape ``size + (k,)``."""
    n = _int("multinomial", "n", n)
    # pvals is a parameter (MXNet takes it as a tuple of floats), read once on the host
    pv = _backend.to_numpy(pvals._data) if isinstance(pvals, ndarray) else pvals
    pv = onp.asarray(pv, dtype=onp.float64)
    # MXNet checks the whole sum (NumPy only sum(pvals[:-1]), giving the last the remainder);
    # float32 pvals such as [0.2, 0.8] add up to a little over 1 in float64
    tol = 1e-12 if not isinstance(pvals, ndarray) else 1e-6 * len(pv)
    if pv.ndim != 1 or n < 0 or (pv < 0).any() or pv.sum() > 1.0 + tol:
        raise OpError(f"multinomial: need n >= 0 and 1-D pvals >= 0 with sum(pvals) <= 1, "
                      f"got n={n}, pvals={pv.tolist()}")
    dev = _place("multinomial", kwargs.get("ctx"), kwargs.get("device"), ())
    shape = _size("multinomial", size)
    k = len(pv)
    # MXNet's kernel: each trial's float64 uniform falls in the first outcome whose running sum
    # of pvals passes it, or in the last
    running = onp.cumsum(pv)

    def sample(xp, eng, s, dt):
        if not k:  # no outcomes: empty counts, as MXNet (NumPy refuses empty pvals)
            return xp.zeros(s + (0,), dtype=dt)
        rows = int(onp.prod(s, dtype=onp.int64))
        # MXNet draws k uniforms more than the trials use
        u = xp.asarray(eng.sequential.uniform(rows * n + k, onp.float64))[:rows * n]
        outcome = xp.minimum(xp.searchsorted(xp.asarray(running), u, side="right"), k - 1)
        flat = outcome + k * (xp.arange(rows * n) // max(n, 1))
        return xp.bincount(flat, minlength=rows * k).reshape(s + (k,))

    return _draw("multinomial", dev, shape, _dtypes.INDEX, sample)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):
    """Draws of shape ``size + broadcast(mean.shape, cov.shape[:-1])`` (a batch of means and
    covariances) in ``mean``'s dtype; no gradient (as MXNet)."""
    if not isinstance(mean, ndarray) or not isinstance(cov, ndarray):
        raise TypeError("multivariate_normal: mean and cov must be mxnp ndarrays")
    k = mean.shape[-1] if mean.ndim else 0
    if mean.ndim < 1 or cov.shape[-2:] != (k, k):
        raise OpError(f"multivariate_normal: mean of shape {mean.shape} needs cov of shape "
                      f"(..., {k}, {k}), got {cov.shape}")
    dev = _place("multivariate_normal", None, None, (mean, cov))
    try:
        batch = onp.broadcast_shapes(mean.shape, cov.shape[:-1])
    except ValueError:
        raise OpError(f"multivariate_normal: mean of shape {mean.shape} and cov of shape "
                      f"{cov.shape} do not broadcast") from None
    shape = _size("multivariate_normal", size) + batch
    m, c = mean._data, cov._data

    def sample(xp, eng, s, dt):
        gen = eng.generator
        # cov = V diag(w) V^T, so x = mean + V sqrt(w) z; eigh also takes a singular cov
        w, v = xp.linalg.eigh(c.astype(onp.float64))
        factor = v * xp.sqrt(xp.clip(w, 0, None))[..., None, :]
        z = gen.standard_normal(s)
        return m + (factor @ z[..., None])[..., 0]

    return _draw("multivariate_normal", dev, shape, mean.dtype, sample)


def shuffle(x) -> None:
    """Shuffle ``x`` in place along its first axis, with MXNet's swaps where they can be
    repeated: a 1-D ``x`` of under 1000 entries as ``std::random_shuffle`` walks it (forward),
    a longer one by a sort of uniform keys (MXNet shuffles those in parallel threads), and
    rows as MXNet's Fisher-Yates loop (backward)."""
    require_array("shuffle", x, "x")
    if x.ndim == 0:
        raise OpError("shuffle: x must have at least one axis")
    n = x.shape[0]

    def sample(xp, eng, s, dt):
        if x.ndim == 1 and n >= _PARALLEL_SHUFFLE:
            return xp.argsort(eng.generator.random(n))
        order = list(range(n))
        if x.ndim == 1:  # swap i with j in [0, i], i = 1 .. n - 1
            steps = zip(range(1, n), _backend.to_numpy(eng.sequential.below(
                onp.arange(2, n + 1))).tolist())
        else:  # swap i with j in [0, i], i = n - 1 .. 1
            steps = zip(range(n - 1, 0, -1), _backend.to_numpy(eng.sequential.below(
                onp.arange(n, 1, -1))).tolist())
        for i, j in steps:  # each swap depends on the ones before it
            order[i], order[j] = order[j], order[i]
        return onp.array(order, dtype=onp.int64)

    perm = _draw("shuffle", x._device, (n,), _dtypes.INDEX, sample)
    x._data[...] = x._data[perm._data]


_PARALLEL_SHUFFLE = 1000  # libstdc++'s parallel mode shuffles a 1-D array this long in threads


def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None, device=None):
    """1 with probability ``prob`` (or ``sigmoid(logit)``), else 0; float32 by default."""
    if (prob is None) == (logit is None):
        raise ValueError("bernoulli: give either prob or logit, not both or neither; got "
                         f"prob={prob!r}, logit={logit!r}")
    (param,) = _params("bernoulli", prob if logit is None else logit)
    if logit is None:
        _check("bernoulli", "prob", param, lambda v: (v < 0) | (v > 1), "in [0, 1]")
    dt = _dtypes.requested(dtype, "bernoulli")
    dev = _place("bernoulli", ctx, device, (param,))
    raw = _raw(param)

    def sample(xp, eng, s, dt):  # a float32 uniform from the sequential engine below p
        p = raw if logit is None else 1.0 / (1.0 + xp.exp(-xp.asarray(raw, dtype=onp.float64)))
        u = xp.asarray(eng.sequential.uniform(int(onp.prod(s, dtype=onp.int64)))).reshape(s)
        return u < xp.asarray(p, dtype=onp.float32)

    return write_out(_draw("bernoulli", dev, _out_shape("bernoulli", size, (param,)), dt,
                           sample), out)


def _batch(name, batch_shape, params) -> tuple:
    return _size(name, batch_shape) + _out_shape(name, None, params)


def normal_n(loc=0.0, scale=1.0, batch_shape=None, dtype=None, ctx=None, device=None):
    """``normal`` of shape ``batch_shape + broadcast(loc, scale)``; array parameters get
    gradients."""
    size = _batch("normal_n", batch_shape, _params("normal_n", loc, scale))
    return normal(loc, scale, size=size, dtype=dtype, ctx=ctx, device=device)


def uniform_n(low=0.0, high=1.0, batch_shape=None, dtype=None, ctx=None, device=None):
    """``uniform`` of shape ``batch_shape + broadcast(low, high)``."""
    size = _batch("uniform_n", batch_shape, _params("uniform_n", low, high))
    return uniform(low, high, size=size, dtype=dtype, ctx=ctx, device=device)


def poisson(lam=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Poisson counts, float32 by default (``mx.random.poisson``; not in MXNet's np.random)."""
    (lam,) = _params("poisson", lam)
    _check("poisson", "lam", lam, lambda v: v < 0, ">= 0")
    dt = _dtypes.requested(dtype, "poisson")
    dev = _place("poisson", ctx, device, (lam,))
    raw = _raw(lam)
    return write_out(_draw("poisson", dev, _out_shape("poisson", size, (lam,)), dt,
                           lambda xp, eng, s, dt: eng.generator.poisson(raw, s)), out)


def categorical(data, size=(), get_prob=False, dtype="int32"):
    """One index per draw from each distribution in the last axis of ``data``, of shape
    ``data.shape[:-1] + size``; with ``get_prob``, also the log probability of each draw.

    As MXNet: a float32 uniform from the sequential engine picks the first outcome whose running
    sum of the row passes it (the last when none does), so rows are not normalised."""
    if not isinstance(data, ndarray) or data.ndim < 1:
        raise TypeError("multinomial: data must be an mxnp ndarray of probabilities")
    shape = _size("multinomial", size)
    dt = _dtypes.as_dtype(dtype, "multinomial")
    probs = data._data
    k = data.shape[-1]
    lead = (slice(None),) * (data.ndim - 1) + (None,) * len(shape)

    def sample(xp, eng, s, dt):
        cdf = xp.cumsum(probs, axis=-1)[lead]
        u = xp.asarray(eng.sequential.uniform(int(onp.prod(s, dtype=onp.int64)))).reshape(s)
        # the index is the number of running sums at or below u
        return xp.minimum((u[..., None].astype(cdf.dtype) >= cdf).sum(axis=-1), k - 1)

    index = _draw("multinomial", data._device, data.shape[:-1] + shape, dt, sample)
    if not get_prob:
        return index
    logp = _make("multinomial", lambda xp: _rng.log(xp.take_along_axis(
        xp.broadcast_to(probs[lead], index.shape + (k,)), index._data[..., None], -1)[..., 0]),
        data._device, None)
    return [index, logp]
