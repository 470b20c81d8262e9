"""Random sampling: standard noise drawn from the device's generator, shaped by our own ops.

A draw is made in two steps. The noise (standard normal, exponential, uniform ...) comes from
the device's engines (``_backend.engines(device)``) and is never on the tape. On a CPU, the
draws come from MXNet's own engines exactly as MXNet makes them, so their values are MXNet's;
the few MXNet's engines do not reproduce draw from ``engines.generator``, NumPy's algorithms
over an engine of its own. Where MXNet 1.9.1 gives gradients to
array parameters (normal, lognormal, exponential, logistic, gumbel, rayleigh, weibull, pareto),
the noise is then transformed with ``np`` ops, so the reparameterised gradient comes for free.
The others (uniform, gamma, beta, chisquare, power, bernoulli, randint, choice ...) are
computed on raw arrays and carry no gradient.
"""
from __future__ import annotations

import operator

import numpy as onp

from ... import _backend, _dtypes, _rng
from ..._ndarray import ndarray
from ...base import OpError
from .. import elementwise as ew
from ..creation import _make, _shape_arg, astype
from ..primitive import write_out

_FLOATS = (onp.dtype("float16"), _dtypes.float32, _dtypes.float64)
_INTS = (onp.dtype("int32"), _dtypes.int64)


# ---- parameters, shapes, devices -------------------------------------------------------------
def _float_dtype(name: str, dtype) -> onp.dtype:
    dt = _dtypes.requested(dtype, name)
    if dt not in _FLOATS:
        raise TypeError(f"{name}: dtype must be float16, float32 or float64, got {dt}")
    return dt


def _params(name: str, *params) -> tuple:
    for p in params:
        if not isinstance(p, (ndarray, int, float, onp.number)) or isinstance(p, bool):
            raise TypeError(f"{name}: parameters must be numbers or mxnp ndarrays, got "
                            f"{type(p).__name__}")
    return params


def _check(name: str, what: str, value, bad, rule: str) -> None:
    """Raise when ``bad`` holds for the parameter (for an array: for any of its entries)."""
    hit = bool(bad(value._data).any()) if isinstance(value, ndarray) else bad(value)
    if hit:
        shown = "an entry" if isinstance(value, ndarray) else value
        raise OpError(f"{name}: {what} must be {rule}, got {shown}")


def _place(name: str, ctx, device, params) -> _backend.Device:
    """The device asked for, else the one the array parameters share, else the current one."""
    devices = {p._device for p in params if isinstance(p, ndarray)}
    if ctx is not None or device is not None:
        dev = _backend.as_device(device if device is not None else ctx)
        devices.add(dev)
    elif not devices:
        return _backend.current_device()
    if len(devices) > 1:
        raise OpError(f"{name}: parameters and ctx on different devices {sorted(map(str, devices))}"
                      "; move them with .as_in_ctx()")
    return devices.pop()


def _out_shape(name: str, size, params) -> tuple:
    """``size``, which the parameters must broadcast to; without it, their broadcast shape."""
    shapes = [p.shape for p in params if isinstance(p, ndarray)]
    try:
        shape = onp.broadcast_shapes(*shapes)
        if size is None:
            return shape
        size = _shape_arg(name, size)
        if onp.broadcast_shapes(size, shape) == size:
            return size
    except ValueError:
        pass
    raise OpError(f"{name}: parameter shapes {shapes} do not broadcast to size {size}")


def _raw(p):
    return p._data if isinstance(p, ndarray) else p


def _cast(p, dt):
    # the output's dtype is dtype= (MXNet), whatever the parameters' dtypes
    return astype(p, dt, copy=False) if isinstance(p, ndarray) else p


def _draw(name: str, dev, shape: tuple, dt, sample) -> ndarray:
    """``sample(xp, engines, shape, dt)`` on ``dev`` as an untaped array of dtype ``dt``."""
    # the engines are looked up at each draw: a hybridized replay re-runs this after a reseed
    return _make(name, lambda xp: xp.asarray(sample(xp, _backend.engines(dev), shape, dt)).astype(
        dt, copy=False), dev, None)


def _size_of(shape: tuple) -> int:
    return int(onp.prod(shape, dtype=onp.int64))


def _kernel_dtype(*params) -> onp.dtype:
    """The type MXNet's np kernels compute in before casting to the output's dtype: that of the
    first array parameter, float32 when all are numbers."""
    for p in params:
        if isinstance(p, ndarray):
            return p.dtype if p.dtype in _FLOATS else _dtypes.float32
    return _dtypes.float32


# Standard noise, as MXNet's np kernels make it from the sequential engine's float32 uniforms
# u in [0, 1): the logs are the C library's double ones, each result rounded to float32.
def _gauss(xp, eng, shape, dt):
    # MXNet's np.random.normal draws float32 noise whatever the dtype
    return eng.sequential.normal(_size_of(shape)).reshape(shape)


def _uniforms(eng, shape):
    return eng.sequential.uniform(_size_of(shape)).reshape(shape)


def _log64(u):
    return _rng.log(u.astype(onp.float64))


def _expo(xp, eng, shape, dt):
    return (-_log64(_uniforms(eng, shape))).astype(onp.float32)


def _gumbel(xp, eng, shape, dt):
    return (-_rng.log(-_log64(_uniforms(eng, shape)))).astype(onp.float32)


def _logistic(xp, eng, shape, dt):
    u = _uniforms(eng, shape)
    return (_log64(u) - _log64(onp.float32(1) - u)).astype(onp.float32)


def _rayleigh(xp, eng, shape, dt):
    return xp.sqrt(-2.0 * _log64(_uniforms(eng, shape))).astype(onp.float32)


# ---- continuous distributions ----------------------------------------------------------------
def _sample(name, params, size, dtype, ctx, device, noise):
    """The output dtype, the parameters in it, and standard noise of the output's shape."""
    dt = _float_dtype(name, dtype)
    dev = _place(name, ctx, device, params)
    z = _draw(name, dev, _out_shape(name, size, params), dt, noise)
    return [_cast(p, dt) for p in params], z


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32 by default; no gradient for array bounds (as MXNet)."""
    low, high = _params("uniform", low, high)
    dt = _float_dtype("uniform", dtype)
    dev = _place("uniform", ctx, device, (low, high))
    lo, hi, work = _raw(low), _raw(high), _kernel_dtype(low, high)

    def sample(xp, eng, shape, dt):  # low > high is allowed: draws then lie in (high, low]
        a, b = xp.asarray(lo, dtype=work), xp.asarray(hi, dtype=work)
        # MXNet's kernel: float32 noise, low + u * (high - low) in the parameters' type
        u = xp.asarray(eng.sequential.uniform(_size_of(shape))).reshape(shape)
        return a + u.astype(work, copy=False) * (b - a)

    return write_out(_draw("uniform", dev, _out_shape("uniform", size, (low, high)), dt,
                           sample), out)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32 by default; array ``loc``/``scale`` get gradients."""
    loc, scale = _params("normal", loc, scale)
    _check("normal", "scale", scale, lambda v: v < 0, ">= 0")
    dt, work = _float_dtype("normal", dtype), _kernel_dtype(loc, scale)
    (loc, scale), z = _sample("normal", (loc, scale), size, work, ctx, device, _gauss)
    return write_out(astype(loc + scale * z, dt, copy=False), out)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32 by default; array parameters get gradients."""
    mean, sigma = _params("lognormal", mean, sigma)
    _check("lognormal", "sigma", sigma, lambda v: v < 0, ">= 0")
    dt, work = _float_dtype("lognormal", dtype), _kernel_dtype(mean, sigma)
    (mean, sigma), z = _sample("lognormal", (mean, sigma), size, work, ctx, device, _gauss)
    return write_out(astype(ew.exp(mean + sigma * z), dt, copy=False), out)


def _scaled(name, noise, loc, scale, size, ctx, out, device):
    """``loc + scale * noise`` in float32 (these take no dtype= in MXNet)."""
    loc, scale = _params(name, loc, scale)
    _check(name, "scale", scale, lambda v: v < 0, ">= 0")
    (loc, scale), z = _sample(name, (loc, scale), size, None, ctx, device, noise)
    return write_out(loc + scale * z, out)


def exponential(scale=1.0, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; an array ``scale`` gets a gradient."""
    if isinstance(scale, ndarray):
        return _scaled("exponential", _expo, 0.0, scale, size, ctx, out, device)
    (scale,) = _params("exponential", scale)
    _check("exponential", "scale", scale, lambda v: v < 0, ">= 0")

    def sample(xp, eng, shape, dt):  # MXNet's kernel: -scale * log(u) in double
        return -onp.float32(scale) * _log64(_uniforms(eng, shape))

    return write_out(_draw("exponential", _place("exponential", ctx, device, ()),
                           _out_shape("exponential", size, ()), _dtypes.float32, sample), out)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; array parameters get gradients."""
    return _scaled("gumbel", _gumbel, loc, scale, size, ctx, out, device)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; array parameters get gradients."""
    return _scaled("logistic", _logistic, loc, scale, size, ctx, out, device)


def rayleigh(scale=1.0, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; an array ``scale`` gets a gradient."""
    return _scaled("rayleigh", _rayleigh, 0.0, scale, size, ctx, out, device)


def _shaped(name, a, size, ctx, device):
    """The shape parameter ``a`` (> 0) and standard exponential noise, both float32."""
    (a,) = _params(name, a)
    _check(name, "a", a, lambda v: v <= 0, "> 0")
    (a,), e = _sample(name, (a,), size, None, ctx, device, _expo)
    return a, e


def weibull(a, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; an array ``a`` gets a gradient (E ** (1/a))."""
    if isinstance(a, ndarray):
        a, e = _shaped("weibull", a, size, ctx, device)
        return write_out(ew.power(e, 1.0 / a), out)
    (a,) = _params("weibull", a)
    _check("weibull", "a", a, lambda v: v <= 0, "> 0")

    def sample(xp, eng, shape, dt):  # MXNet's kernel: powf(-log(u), 1 / a)
        return _rng.c_math("power", _expo(xp, eng, shape, dt), 1.0 / a)

    return write_out(_draw("weibull", _place("weibull", ctx, device, ()),
                           _out_shape("weibull", size, ()), _dtypes.float32, sample), out)


def pareto(a, size=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32; an array ``a`` gets a gradient (exp(E/a) - 1)."""
    if isinstance(a, ndarray):
        a, e = _shaped("pareto", a, size, ctx, device)
        # MXNet's kernel: the float32 quotient's exp, less 1, in double
        return write_out(astype(ew.exp(astype(e / a, "float64")) - 1.0, "float32"), out)
    (a,) = _params("pareto", a)
    _check("pareto", "a", a, lambda v: v <= 0, "> 0")
    dev = _place("pareto", ctx, device, ())

    def sample(xp, eng, shape, dt):  # MXNet's kernel: exp(-log(u) / a) - 1 in double
        return xp.exp(-_log64(_uniforms(eng, shape)) / onp.float32(a)) - 1.0

    return write_out(_draw("pareto", dev, _out_shape("pareto", size, ()), _dtypes.float32,
                           sample), out)


def power(a, size=None):
    """Differs from NumPy: float32; no gradient (as MXNet)."""
    (a,) = _params("power", a)
    _check("power", "a", a, lambda v: v <= 0, "> 0")
    dev = _place("power", None, None, (a,))
    raw_a = _raw(a)

    def sample(xp, eng, shape, dt):  # MXNet's kernel: (1 - u) ** (1 / a) in float32
        u = eng.sequential.uniform(_size_of(shape) + 1)  # MXNet draws one more than it uses
        return _rng.c_math("power", onp.float32(1) - u[:-1].reshape(shape), 1.0 / raw_a)

    return _draw("power", dev, _out_shape("power", size, (a,)), _dtypes.float32, sample)


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Differs from NumPy: float32 by default; no gradient (as MXNet)."""
    k, scale = _params("gamma", shape, scale)
    _check("gamma", "shape", k, lambda v: v <= 0, "> 0")
    _check("gamma", "scale", scale, lambda v: v <= 0, "> 0")
    dt = _float_dtype("gamma", dtype)
    dev = _place("gamma", ctx, device, (k, scale))
    raw_k, raw_scale = (_raw(p) if isinstance(p, ndarray) else onp.float32(p) for p in (k, scale))

    def sample(xp, eng, shape, dt):
        return _gamma_draws(xp, eng.sequential, xp.broadcast_to(raw_k, shape).ravel(),
                            xp.broadcast_to(raw_scale, shape).ravel()).reshape(shape)

    return write_out(_draw("gamma", dev, _out_shape("gamma", size, (k, scale)), dt, sample), out)


def _gamma_draws(xp, draws, a, b):
    """MXNet's np.random.gamma in float64 (Marsaglia and Tsang's method): each value takes two
    uniforms and two normals, drawn as whole tensors (all uniforms, then all normals); the values
    whose one candidate is rejected are drawn again from fresh whole tensors until none is."""
    n = len(a)
    a, b = a.astype(onp.float64), b.astype(onp.float64)
    d = xp.where(a < 1, a + 2.0 / 3.0, a - 1.0 / 3.0)
    c = 1.0 / xp.sqrt(9.0 * d)
    out = xp.full(n, -1.0)
    todo = xp.ones(n, dtype=bool)
    while todo.any():
        u = xp.asarray(draws.uniform(2 * n, onp.float64)).reshape(n, 2)[todo]
        z = xp.asarray(draws.normal(2 * n, onp.float64)).reshape(n, 2)[todo, 0]
        ocn = 1 + c[todo] * z
        v = ocn * ocn * ocn
        safe = xp.where(v > 0, v, 1.0)
        logs = _rng.log(xp.stack([u[:, 0], safe]).astype(onp.float32)).astype(onp.float64)
        ok = (v > 0) & ((u[:, 0] <= 1 - 0.0331 * (z * z) * (z * z)) |
                        (logs[0] < 0.5 * (z * z) + d[todo] * (1 - v + logs[1])))
        value = xp.where(ok, d[todo] * v * b[todo], -1.0)
        boost = _rng.c_math("power", u[:, 1].astype(onp.float32), (1.0 / a[todo]))
        out[todo] = xp.where((a[todo] < 1) & ok, value * boost, value)
        todo = out < 0
    return out


def beta(a, b, size=None, dtype=None, ctx=None, device=None):
    """Differs from NumPy: float32 by default; no gradient (as MXNet)."""
    a, b = _params("beta", a, b)
    _check("beta", "a", a, lambda v: v <= 0, "> 0")
    _check("beta", "b", b, lambda v: v <= 0, "> 0")
    dt = _float_dtype("beta", dtype)
    dev = _place("beta", ctx, device, (a, b))
    # X / (X + Y) for X ~ Gamma(a), Y ~ Gamma(b), drawn in float64 one after the other (MXNet)
    x = gamma(a, 1.0, size=size, dtype="float64", device=dev)
    y = gamma(b, 1.0, size=size, dtype="float64", device=dev)
    return astype(x / (x + y), dt)


def chisquare(df, size=None, dtype=None, ctx=None, device=None):
    """Chi-square draws, Gamma(df/2, scale 2). Differs from NumPy: float32 by default; no
    gradient (as MXNet). Differs from MXNet 1.9.1, which draws Gamma(df/2, scale 1/2), a quarter
    of the distribution's values (mean df/4): the same gamma draws, times 2 instead of 1/2."""
    (df,) = _params("chisquare", df)
    _check("chisquare", "df", df, lambda v: v <= 0, "> 0")
    dt = _float_dtype("chisquare", dtype)
    dev = _place("chisquare", ctx, device, (df,))
    return gamma(df / 2, 2.0, size=size, dtype=dt, device=dev)


def rand(*size, **kwargs):
    """Uniform draws in [0, 1) of shape ``size``."""
    return uniform(size=size, **kwargs)


def randn(*size, **kwargs):
    """Standard normal draws of shape ``size``."""
    return normal(size=size, **kwargs)


def seed(seed=None, ctx="all") -> None:
    """Reseed the generator of ``ctx``, or of every device (``'all'``).

    Seeds run the same draws on every run; they do not reproduce MXNet's streams. ``None``
    (NumPy's default, not MXNet's) draws a fresh seed from the operating system.
    """
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, (int, onp.integer)):
            raise TypeError(f"seed: seed must be an int, got {type(seed).__name__}")
        seed = operator.index(seed) % 2**64  # MXNet takes negative seeds too
    _backend.reseed(seed, None if isinstance(ctx, str) and ctx == "all"
                    else _backend.as_device(ctx))
