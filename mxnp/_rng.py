"""MXNet 1.9.1's CPU random engines, reproduced draw for draw with NumPy.

MXNet keeps two kinds of engine per device, both ``std::mt19937`` (whose raw stream NumPy's
``MT19937`` with its legacy seeding repeats):

- ``Sequential``: mshadow's ``Random<cpu>`` (the ``kRandom`` resource), one engine. ``np.random``'s
  uniform, normal ... draw from it; one call uses one libstdc++ distribution object, so the polar
  method's second value serves the next element.
- ``Parallel``: ``RandGenerator<cpu>`` (``kParallelRandom``), 1024 engines, engine ``i`` seeded
  ``seed + i``. A draw of ``n`` values runs ``min(ceil(n / 64), 1024)`` of them, each over its own
  ``ceil(n / threads)`` consecutive outputs, with a fresh distribution object per value.
  ``mx.nd.random``'s samplers draw from it.

The transforms are libstdc++'s, computed in the same float type: ``generate_canonical`` (one
32-bit output per float, two per double, clamped below 1), the Marsaglia polar method with the
C library's log, and ``uniform_int_distribution``'s rejection. Rejection loops either draw in
rounds that never take more outputs than the engine would (the sequential engine), or read
ahead and give back what they did not use (the parallel ones), so the state after a call is
MXNet's. Where mxnp/_libm is built, the engines live in C (``_libm.Bank``), which also runs the
uniform and normal loops, one call for all the engines of a draw; the NumPy code here is then
the path for what it does not cover, and the whole of the pure-Python path (its tests compare
the two). A GPU's engines are CuPy's generator behind the same calls (``Stream``).
"""
from __future__ import annotations

import functools

import numpy as onp

from . import _native

_LIBM = _native.libm()  # the C library's logf/log over arrays (mxnp/_libm.pyx), or None
_TWO32 = 2.0 ** 32
_BELOW_ONE = {onp.dtype(onp.float32): onp.nextafter(onp.float32(1), onp.float32(0)),
              onp.dtype(onp.float64): onp.nextafter(1.0, 0.0)}
RAND_MAGIC = 127  # MXNet multiplies a global seed by this before adding device and engine ids
PER_THREAD = 64   # the fewest values one parallel engine draws
STATES = 1024     # parallel engines per device


def mt19937(seed: int) -> onp.random.MT19937:
    """A NumPy ``MT19937`` in the state of ``std::mt19937(seed)`` (seed taken modulo 2**32)."""
    engine = onp.random.MT19937(0)
    engine._legacy_seeding(seed % 2**32)  # init_genrand, as std::mt19937's constructor
    return engine


def raw(engine, n: int) -> onp.ndarray:
    """The next ``n`` 32-bit outputs of ``engine`` (uint64)."""
    return engine.random_raw(n)


def _units(dtype) -> int:
    return 1 if onp.dtype(dtype) == onp.float32 else 2


def canonical(bits: onp.ndarray, dtype) -> onp.ndarray:
    """libstdc++'s ``generate_canonical`` over raw outputs: one per float32 value, two (low word
    first) per float64 value, in [0, 1)."""
    dt = onp.dtype(dtype)
    if dt == onp.float32:
        u = bits.astype(onp.float32) / onp.float32(_TWO32)
    else:
        u = (bits[0::2].astype(onp.float64) + bits[1::2].astype(onp.float64) * _TWO32) / _TWO32**2
    return onp.minimum(u, _BELOW_ONE[dt])  # a float32 rounding of 2**32 - 1 would give 1


def c_math(name: str, x, y=None):
    """The C library's ``name`` (``log``, ``exp``, ``power``, ``tan``, ``gammaln`` of
    ``_libm.NAMES``) over the float array ``x`` (and ``y``, broadcast to it) in ``x``'s type, as
    libstdc++ and MXNet's kernels call it: NumPy's own float32 log differs from glibc's logf in
    the last bit for about half of all inputs. Where mxnp/_libm is not built, one ctypes call per
    element; off the host, NumPy's function in float64, rounded."""
    if type(x) is not onp.ndarray:
        wide = getattr(onp, name)(x.astype(onp.float64), *(() if y is None else (y,)))
        return wide.astype(x.dtype)
    args = (x,) if y is None else (x, onp.broadcast_to(onp.asarray(y, x.dtype), x.shape))
    if _LIBM is None:
        function = _c_function(name, x.dtype)
        return onp.frompyfunc(function, len(args), 1)(*args).astype(x.dtype).reshape(x.shape)
    out = onp.empty(x.shape, x.dtype)
    _LIBM.apply(name, out, *(onp.ascontiguousarray(a) for a in args))
    return out


_C_NAMES = {"log": "log", "exp": "exp", "power": "pow", "tan": "tan", "gammaln": "lgamma"}


@functools.cache
def _c_function(name: str, dtype):
    """The C library's function for ``name`` in ``dtype`` (float32: ``logf`` ...), via ctypes."""
    import ctypes.util  # only the pure-Python path gets here: ctypes.util costs ~10 ms to import
    c_type = ctypes.c_float if dtype == onp.float32 else ctypes.c_double
    library = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    function = getattr(library, _C_NAMES[name] + ("f" if dtype == onp.float32 else ""))
    function.restype = c_type
    function.argtypes = [c_type] * (2 if name == "power" else 1)
    return function


def log(x):
    """The C library's ``logf`` (float32) or ``log`` (float64) over ``x`` (see ``c_math``)."""
    return c_math("log", x)


def polar(bits: onp.ndarray, dtype):
    """The polar method over pairs of uniforms made from ``bits``: (accepted mask per pair,
    y * mult, x * mult) for the accepted pairs, in ``dtype``."""
    u = canonical(bits, dtype)
    two, one = u.dtype.type(2), u.dtype.type(1)
    x, y = two * u[0::2] - one, two * u[1::2] - one
    r2 = x * x + y * y
    ok = (r2 <= one) & (r2 != 0)
    r2, x, y = r2[ok], x[ok], y[ok]
    mult = onp.sqrt(-two * log(r2) / r2)
    return ok, y * mult, x * mult


def below(engine, bounds: onp.ndarray) -> onp.ndarray:
    """One draw of libstdc++'s ``uniform_int_distribution(0, bound - 1)`` per entry of
    ``bounds`` (each at most 2**32), in order: an output ``r`` is rejected when
    ``r >= bound * s`` and else gives ``r // s``, with ``s = (2**32 - 1) // bound``."""
    bounds = onp.asarray(bounds, onp.uint64)
    scaling = onp.uint64(2**32 - 1) // bounds
    past = bounds * scaling
    out = onp.empty(len(bounds), onp.uint64)
    done, pending = 0, onp.zeros(0, onp.uint64)
    while done < len(bounds):  # a rejection is rare: every output drawn is still needed
        bits = onp.concatenate([pending, raw(engine, len(bounds) - done - len(pending))])
        bad = bits >= past[done:]
        k = int(onp.argmax(bad)) if bad.any() else len(bits)
        out[done:done + k] = bits[:k] // scaling[done:done + k]
        done, pending = done + k, bits[k + 1:]
    return out


class _BankEngine:
    """Engine 0 of a one-engine ``_libm.Bank``, answering what ``raw`` and ``below`` ask of
    NumPy's ``MT19937``."""

    __slots__ = ("bank",)

    def __init__(self, seed: int):
        self.bank = _LIBM.Bank(1, seed % 2**32)

    def random_raw(self, n: int) -> onp.ndarray:
        """The next ``n`` outputs (uint64)."""
        return self.bank.raw(0, n)

    def _legacy_seeding(self, seed: int) -> None:
        self.bank.seed(0, seed)


class Sequential:
    """``std::mt19937`` as mshadow's ``Random<cpu>`` uses it (one distribution per call); in C
    where mxnp/_libm is built (``_libm.Bank``), else NumPy's ``MT19937``."""

    def __init__(self, seed: int):
        self.engine = mt19937(seed) if _LIBM is None else _BankEngine(seed)

    def reseed(self, seed: int) -> None:
        """Seed the engine as ``std::mt19937(seed)`` is."""
        self.engine._legacy_seeding(seed % 2**32)

    def bits(self, n: int, per_value: int = 1) -> onp.ndarray:
        """The next ``n * per_value`` raw outputs."""
        return raw(self.engine, n * per_value)

    def uniform(self, n: int, dtype=onp.float32) -> onp.ndarray:
        """``n`` draws of ``uniform_real_distribution<dtype>(0, 1)``."""
        if type(self.engine) is _BankEngine:
            return self.engine.bank.uniform(0, n, _units(dtype) == 2)  # canonical, in C
        return canonical(self.bits(n, _units(dtype)), dtype)

    def below(self, bounds) -> onp.ndarray:
        """One ``uniform_int_distribution(0, bound - 1)`` draw per bound (see ``below``)."""
        return below(self.engine, bounds)

    def normal(self, n: int, dtype=onp.float32) -> onp.ndarray:
        """``n`` draws of one ``normal_distribution<dtype>``: each accepted pair gives y * mult,
        then the saved x * mult."""
        if type(self.engine) is _BankEngine:
            return self.engine.bank.normal(0, n, _units(dtype) == 2)  # the loop below, in C
        pairs, found = (n + 1) // 2, []
        while pairs:  # a round of k pairs never overdraws: it holds at most the k still needed
            _, first, second = polar(raw(self.engine, 2 * pairs * _units(dtype)), dtype)
            found.append(onp.stack([first, second], axis=1).ravel())
            pairs -= len(first)
        return onp.concatenate(found)[:n] if found else onp.zeros(0, dtype)


def _counts(n: int) -> list:
    """How many values each engine of a parallel draw of ``n`` gives, engines 0, 1, ... in
    output order: ``min(ceil(n / 64), 1024)`` threads of ``ceil(n / threads)`` each, the last
    with what is left (the last threads may find nothing: ceil(n / threads) * threads can pass
    n)."""
    if n <= 0:
        return []
    threads = min(-(-n // PER_THREAD), STATES)
    step = -(-n // threads)
    full, rest = divmod(n, step)
    return [step] * full + ([rest] if rest else [])


class Parallel:
    """MXNet's 1024 parallel ``std::mt19937`` engines, made on first use. Outputs that a draw
    read ahead but did not use (``normal``, ``Lanes``) wait in ``_ahead`` for the engine's next
    draw."""

    def __init__(self, seed: int):
        self.seed = seed % 2**32
        # the engines in C (mxnp/_libm.pyx's Bank: one call per draw), else NumPy's MT19937s
        # made on first use (one Python call per engine and draw)
        self._bank = None if _LIBM is None else _LIBM.Bank(STATES, self.seed)
        self._engines: dict = {}
        self._ahead: dict = {}

    def reseed(self, seed: int) -> None:
        """Seed engine ``i`` with ``seed + i``, reusing the engines made so far (making one costs
        about 90 us, seeding it about 1 us)."""
        self.seed = seed % 2**32
        self._ahead.clear()
        if self._bank is not None:
            self._bank.reseed(self.seed)
        for i, engine in self._engines.items():
            engine._legacy_seeding((self.seed + i) % 2**32)

    def _raw(self, i: int, n: int) -> onp.ndarray:
        if self._bank is not None:
            return self._bank.raw(i, n)
        if i not in self._engines:
            self._engines[i] = mt19937((self.seed + i) % 2**32)
        return raw(self._engines[i], n)

    def take(self, i: int, n: int) -> onp.ndarray:
        """The next ``n`` raw outputs of engine ``i``."""
        ahead = self._ahead.pop(i, None)
        if ahead is None:
            return self._raw(i, n)
        if len(ahead) > n:
            self._ahead[i] = ahead[n:]
        return onp.concatenate([ahead[:n], self._raw(i, max(n - len(ahead), 0))])

    def _clear_bank(self, engines: int):
        """The engines in C when none of the first ``engines`` has outputs read ahead waiting
        (``_ahead``): a draw over them is then one call. Else None."""
        if self._bank is not None and (not self._ahead or min(self._ahead) >= engines):
            return self._bank
        return None

    def take_many(self, counts: list) -> onp.ndarray:
        """The next ``counts[i]`` raw outputs of engines ``0, 1, ...``, one after another."""
        bank = self._clear_bank(len(counts))
        if bank is not None:
            return bank.raw_many(counts)  # the common draw: one call for every engine
        parts = [self.take(i, c) for i, c in enumerate(counts)]
        return onp.concatenate(parts) if parts else onp.zeros(0, onp.uint64)

    def give_back(self, i: int, bits: onp.ndarray) -> None:
        """Return outputs of engine ``i`` read ahead: its next ``take`` starts with them."""
        if len(bits):
            self._ahead[i] = onp.concatenate([bits, self._ahead.get(i, bits[:0])])

    def split(self, n: int) -> list:
        """(engine, count) for each engine a draw of ``n`` values runs, in output order."""
        return list(enumerate(_counts(n)))

    def bits(self, n: int, per_value: int) -> onp.ndarray:
        """The raw outputs behind ``n`` values of ``per_value`` outputs each, in output order."""
        return self.take_many([c * per_value for c in _counts(n)])

    def uniform(self, n: int, dtype=onp.float32) -> onp.ndarray:
        """``n`` draws, a fresh ``uniform_real_distribution<dtype>`` each."""
        counts = _counts(n)
        bank = self._clear_bank(len(counts))
        if bank is not None:
            return bank.uniform_many(counts, _units(dtype) == 2)  # canonical, in C
        return canonical(self.bits(n, _units(dtype)), dtype)

    def normal(self, n: int, dtype=onp.float32) -> onp.ndarray:
        """``n`` draws, a fresh ``normal_distribution<dtype>`` each (so only y * mult is kept)."""
        counts = _counts(n)
        bank = self._clear_bank(len(counts))
        if bank is not None:
            return bank.normal_many(counts, _units(dtype) == 2)  # value by value, in C
        split, units = self.split(n), 2 * _units(dtype)  # outputs per pair
        need = onp.array([c for _, c in split], dtype=onp.int64)
        found: list = [[] for _ in split]
        live = onp.arange(len(split))
        while len(live):  # engines read a few pairs more than they need and give back the rest
            pairs = need[live] + need[live] // 3 + 4  # about 1 pair in 4.7 is rejected
            bits = [self.take(split[lane][0], units * p) for lane, p in zip(live, pairs)]
            ok, first, _ = polar(onp.concatenate(bits), dtype)
            starts = onp.concatenate([[0], onp.cumsum(pairs)[:-1]])
            counted = onp.cumsum(ok)
            rank = counted - onp.concatenate([[0], counted])[starts].repeat(pairs)
            wanted = need[live].repeat(pairs)
            got = onp.add.reduceat((ok & (rank <= wanted)).astype(onp.int64), starts)
            used = pairs.copy()  # an engine that got all it needs used pairs up to its last one
            last = onp.flatnonzero(ok & (rank == wanted))
            seg = onp.searchsorted(starts, last, side="right") - 1
            used[seg] = last - starts[seg] + 1
            values = onp.split(first[(rank <= wanted)[ok]], onp.cumsum(got)[:-1])
            for lane, part, chunk, u in zip(live, values, bits, used):
                found[lane].append(part)
                self.give_back(split[lane][0], chunk[units * u:])
            need[live] -= got
            live = live[need[live] > 0]
        out = [part for parts in found for part in parts]
        return onp.concatenate(out) if out else onp.zeros(0, dtype)

    def lanes(self, n: int) -> Lanes:
        """The engines of a draw of ``n`` values side by side, for per-value rejection loops."""
        return Lanes(self, self.split(n))


class Lanes:
    """The engines of one parallel draw side by side, for kernels whose values take a varying
    number of outputs: value ``j`` of every engine is drawn together, each engine reading its
    own outputs in order from blocks read ahead; ``close`` gives back what none read."""

    def __init__(self, parallel: Parallel, split: list):
        self.parallel = parallel
        self.ids = [i for i, _ in split]
        self.counts = onp.array([c for _, c in split], dtype=onp.int64)
        self.block = onp.zeros((len(split), 0), onp.uint64)
        self.pos = onp.zeros(len(split), onp.int64)

    def bits(self, lanes: onp.ndarray, k: int) -> onp.ndarray:
        """The next ``k`` outputs of each lane in ``lanes`` (lane numbers), one row each."""
        if not len(lanes):
            return onp.zeros((0, k), onp.uint64)
        need = int(self.pos[lanes].max()) + k - self.block.shape[1]
        if need > 0:  # read every lane further ahead, at least doubling the block
            width = max(need, self.block.shape[1], 64)
            more = self.parallel.take_many([width] * len(self.ids)).reshape(-1, width)
            self.block = onp.concatenate([self.block, more], axis=1)
        out = self.block[lanes[:, None], self.pos[lanes, None] + onp.arange(k)]
        self.pos[lanes] += k
        return out

    def uniform(self, lanes: onp.ndarray, dtype=onp.float32) -> onp.ndarray:
        """One fresh ``uniform_real_distribution<dtype>`` draw per lane in ``lanes``."""
        return canonical(self.bits(lanes, _units(dtype)).ravel(), dtype)

    def normal(self, lanes: onp.ndarray, dtype=onp.float32) -> onp.ndarray:
        """One fresh ``normal_distribution<dtype>`` draw (y * mult) per lane in ``lanes``."""
        out = onp.empty(len(lanes), dtype)
        todo = onp.arange(len(lanes))
        while len(todo):  # a lane whose pair is rejected draws another pair
            ok, first, _ = polar(self.bits(lanes[todo], 2 * _units(dtype)).ravel(), dtype)
            out[todo[ok]] = first
            todo = todo[~ok]
        return out

    def close(self) -> None:
        """Give each engine back the outputs its lane read ahead and did not use."""
        for lane, i in enumerate(self.ids):
            self.parallel.give_back(i, self.block[lane, self.pos[lane]:])


class Stream:
    """A NumPy-style generator (CuPy's on a GPU) behind the calls ``Sequential`` and ``Parallel``
    answer, for devices whose draws are not MXNet's; per-value rejection loops (``lanes``) run
    on host engines seeded with ``seed``."""

    def __init__(self, generator, seed: int):
        self.generator = generator
        self._host = Parallel(seed)

    def lanes(self, n: int) -> Lanes:
        """Host engines side by side (see ``Parallel.lanes``)."""
        return self._host.lanes(n)

    def uniform(self, n: int, dtype=onp.float32):
        """``n`` uniform draws in [0, 1)."""
        return self.generator.random(n, dtype=dtype)

    def normal(self, n: int, dtype=onp.float32):
        """``n`` standard normal draws."""
        return self.generator.standard_normal(n, dtype=dtype)

    def bits(self, n: int, per_value: int = 1):
        """``n * per_value`` uniform 32-bit integers (uint64)."""
        return self.generator.integers(0, 2**32, n * per_value, dtype=onp.uint64)

    def below(self, bounds):
        """One integer in [0, bound) per bound."""
        return self.generator.integers(0, bounds)


def _seeds(seed: int, device_id: int, per_device: bool) -> tuple:
    """The sequential engine's seed and the first parallel engine's, as MXNet derives them."""
    base = seed * RAND_MAGIC
    return (seed if per_device else device_id + base), (base if per_device else device_id + base)


class Engines:
    """One device's engines: ``sequential`` (``kRandom``), ``parallel`` (``kParallelRandom``)
    and ``generator``, a NumPy-style generator for draws not reproduced (on a CPU over an
    engine of its own, seeded as the sequential one: those draws leave MXNet's streams alone)."""

    __slots__ = ("generator", "parallel", "sequential")

    def __init__(self, sequential, parallel, generator):
        self.sequential, self.parallel, self.generator = sequential, parallel, generator

    @classmethod
    def mxnet(cls, seed: int, device_id: int = 0, per_device: bool = False) -> Engines:
        """The engines as MXNet seeds them from a global seed (``mx.random.seed(s)``:
        ``device_id + 127 s`` for both) or from a device seed (``mx.random.seed(s, ctx=...)``:
        ``s`` for the sequential engine, ``127 s`` for the parallel ones)."""
        sequential, parallel = _seeds(seed, device_id, per_device)
        generator = onp.random.Generator(mt19937(sequential))
        return cls(Sequential(sequential), Parallel(parallel), generator)

    def reseed(self, seed: int, device_id: int = 0, per_device: bool = False) -> None:
        """Seed these engines as ``mxnet`` would make them, in place."""
        sequential, parallel = _seeds(seed, device_id, per_device)
        self.sequential.reseed(sequential)
        self.parallel.reseed(parallel)
        self.generator.bit_generator._legacy_seeding(sequential % 2**32)

    @classmethod
    def foreign(cls, generator, seed: int) -> Engines:
        """Engines that all draw from ``generator`` (CuPy's, on a GPU)."""
        stream = Stream(generator, seed)
        return cls(stream, stream, generator)
