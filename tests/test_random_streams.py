"""mxnp's random draws are MXNet 1.9.1's, bit for bit, on the CPU.

Each case is an oracle cell: the same code ran under the real MXNet 1.9.1
(``/work/shared/tools/mxref``'s environment) after ``mx.random.seed(0)`` with ``npx.set_np()``,
and the arrays of its list ``r`` are recorded in tests/data/random_streams.json (large ones as
slices). Here the cell runs on mxnp and each array must have MXNet's dtype, shape and bits.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import numpy as onp
import pytest
from numpy.testing import assert_array_equal

import mxnp as mx
from mxnp import _native, _rng, autograd, gluon, np, npx

_DATA = json.loads((pathlib.Path(__file__).parent / "data" / "random_streams.json").read_text())

# name -> the oracle cell (it leaves a list of arrays in r)
CASES = {
    'np_uniform_then_normal':
        'r = [np.random.uniform(size=3), np.random.normal(size=3)]',
    'np_normal_sizes':
        'r = [np.random.normal(size=n) for n in (1, 2, 3, 63, 64, 65)]',
    'np_uniform_normal_large':
        'r = [np.random.uniform(size=70000), np.random.normal(size=70001)]',
    'np_float64_float16':
        "r = [np.random.uniform(size=6, dtype='float64'), np.random.normal(size=5, dtype='float64'), np.random.uniform(-3, 5, size=4, dtype='float64'), np.random.uniform(size=5, dtype='float16'), np.random.normal(size=5, dtype='float16')]",
    'np_parameters':
        "r = [np.random.uniform(-0.07, 0.07, size=(2, 3)), np.random.normal(1.5, 0.01, size=4), np.random.uniform(np.zeros(3), np.array([1., 2., 3.])), np.random.normal(np.arange(4.).reshape(2, 2), np.ones(2)), np.random.normal(1.0, np.array([1., 2.], dtype='float64'), size=(2, 2)), np.random.rand(2, 2), np.random.randn(3)]",
    'np_seeds':
        'r = []\nfor s in (1, 7, 2**31, -1, -5, 2**32 - 1):\n    mx.random.seed(s)\n    r += [np.random.uniform(size=3), mx.nd.random.uniform(shape=70).as_np_ndarray()]',
    'ctx_seeds':
        'r = []\nfor s in (3, 2**31):\n    mx.random.seed(s, ctx=mx.cpu())\n    r += [np.random.uniform(size=3), mx.nd.random.uniform(shape=70).as_np_ndarray(), np.random.normal(size=3)]',
    'streams_persist':
        'r = [np.random.uniform(size=4), np.random.uniform(size=4), mx.nd.random.uniform(shape=4).as_np_ndarray(), mx.nd.random.uniform(shape=100).as_np_ndarray(), mx.nd.random.uniform(shape=4).as_np_ndarray()]',
    'nd_uniform_normal':
        'npx.reset_np()\nr = [mx.nd.random.uniform(shape=n).as_np_ndarray() for n in (1, 3, 65)] + [mx.nd.random.normal(shape=n).as_np_ndarray() for n in (1, 3, 65)] + [mx.nd.random.uniform(-2, 3, shape=(2, 3)).as_np_ndarray(), mx.nd.random.normal(1.5, 2, shape=(3, 2)).as_np_ndarray(), mx.random.uniform(0, 1, shape=(2,)).as_np_ndarray(), mx.nd.random_normal(shape=(3,)).as_np_ndarray(), mx.nd.random.randn(2, 2).as_np_ndarray()]',
    'nd_large_and_dtypes':
        "npx.reset_np()\nr = [mx.nd.random.uniform(shape=70000).as_np_ndarray(), mx.nd.random.normal(shape=70000).as_np_ndarray(), mx.nd.random.uniform(shape=6, dtype='float64').as_np_ndarray(), mx.nd.random.normal(shape=5, dtype='float64').as_np_ndarray(), mx.nd.random.uniform(shape=5, dtype='float16').as_np_ndarray(), mx.nd.random.normal(shape=5, dtype='float16').as_np_ndarray()]",
    'nd_array_parameters':
        'npx.reset_np()\nr = [mx.nd.random.uniform(mx.nd.array([0., 1.]), mx.nd.array([1., 3.]), shape=3).as_np_ndarray(), mx.nd.random.normal(mx.nd.array([0., 10.]), mx.nd.array([1., 0.1]), shape=(2, 2)).as_np_ndarray(), mx.nd.sample_uniform(mx.nd.array([0., 1., 2.]), mx.nd.array([1., 2., 4.])).as_np_ndarray()]',
    'randint':
        "r = [np.random.randint(0, 10, size=8), np.random.randint(-5, 1000000, size=4), np.random.randint(-2**40, 2**40, size=3), np.random.randint(0, 10, size=6, dtype='int32'), mx.nd.random.randint(0, 10, shape=6).as_np_ndarray(), mx.nd.random.randint(-2**40, 2**40, shape=3, dtype='int64').as_np_ndarray()]",
    'dropout':
        "with autograd.record():\n    a = npx.dropout(np.ones((2, 6)), p=0.5)\n    b = npx.dropout(np.ones(8, dtype='float64'), p=0.4)\n    c = npx.dropout(np.ones((3, 4)), p=0.5, axes=(1,))\n    d = gluon.nn.Dropout(0.4)(np.ones((2, 5)))\n    e = mx.nd.Dropout(mx.nd.ones((2, 4)), p=0.3).as_np_ndarray()\n    f = npx.dropout(np.ones(8, dtype='float16'), p=0.4)\nr = [a, b, c, d, e, f]",
    'init_np_default':
        "net = gluon.nn.Sequential()\nnet.add(gluon.nn.Dense(4, activation='relu'), gluon.nn.Dense(2))\nnet.initialize()\nX = np.random.uniform(size=(2, 3))\nnet(X)\nr = [X] + [p.data() for p in net.collect_params().values()]",
    'init_kinds':
        "r = []\nfor i in (mx.init.Uniform(0.5), mx.init.Normal(0.2), mx.init.Xavier(), mx.init.Xavier(rnd_type='gaussian', factor_type='in', magnitude=2), mx.init.MSRAPrelu()):\n    net = gluon.nn.Dense(3, in_units=4)\n    net.initialize(i)\n    r.append(net.weight.data())",
    'init_conv_deferred':
        'net = gluon.nn.Sequential()\nnet.add(gluon.nn.Conv2D(2, 3), gluon.nn.BatchNorm(), gluon.nn.Dense(2))\nnet.initialize(mx.init.Xavier())\nX = np.random.uniform(size=(1, 1, 4, 4))\nnet(X)\nr = [p.data() for p in net.collect_params().values()]',
    'init_legacy_face':
        "npx.reset_np()\nnet = gluon.nn.Sequential()\nnet.add(gluon.nn.Dense(4, activation='relu'), gluon.nn.Dense(2))\nnet.initialize()\nX = mx.nd.random.uniform(shape=(2, 3))\nnet(X)\nr = [X.as_np_ndarray()] + [p.data().as_np_ndarray() for p in net.collect_params().values()]",
    'choice_shuffle':
        'a = np.arange(10.)\nnp.random.shuffle(a)\nb = np.arange(12.).reshape(4, 3)\nnp.random.shuffle(b)\nr = [np.random.choice(10, 5), np.random.choice(10, 5, replace=False), np.random.choice(7, 6, replace=False), np.random.choice(5, (2, 3), p=np.array([.1, .2, .3, .2, .2])), np.random.choice(6, 4, replace=False, p=np.array([.1, .2, .3, .2, .1, .1])), np.random.choice(np.arange(10.) * 2, 3), a, b, mx.nd.random.shuffle(mx.nd.arange(6)).as_np_ndarray()]',
    'np_continuous':
        'r = [np.random.exponential(size=3), np.random.exponential(3.0, size=3), np.random.gumbel(1.0, 2.0, size=3), np.random.logistic(-1.0, 0.5, size=3), np.random.rayleigh(2.5, size=3), np.random.weibull(0.7, size=3), np.random.pareto(3.5, size=3), np.random.power(0.3, size=3), np.random.lognormal(0.5, 0.3, size=3), npx.random.bernoulli(0.3, size=8), npx.random.bernoulli(logit=0.4, size=6), np.random.exponential(np.array([1.0, 2.0])), np.random.pareto(np.array([1.0, 2.0]))]',
    'np_gamma':
        "r = [np.random.gamma(2.0, size=4), np.random.gamma(0.5, size=4), np.random.gamma(np.array([0.5, 3.0]), np.array([1.0, 2.0])), np.random.gamma(0.2, size=3, dtype='float64')]",
    'np_beta':
        'r = [np.random.beta(2.0, 3.0, size=3)]',
    'np_chisquare':
        'r = [np.random.chisquare(2.0, size=3)]',
    'np_multinomial':
        'r = [np.random.multinomial(10, [0.2, 0.3, 0.5], size=2), np.random.multinomial(1, [0.2, 0.3, 0.5]), np.random.multinomial(50, [0.1, 0.1, 0.1, 0.7], size=(2,))]',
    'nd_other_samplers':
        "npx.reset_np()\nr = [x.as_np_ndarray() for x in (mx.nd.random.exponential(shape=3), mx.nd.random.exponential(2.5, shape=3), mx.nd.random.gamma(2.0, 1.0, shape=4), mx.nd.random.gamma(0.5, 2.0, shape=6), mx.nd.random.gamma(1.5, shape=4, dtype='float64'), mx.nd.random.gamma(mx.nd.array([0.3, 5.0]), mx.nd.array([1.0, 0.5]), shape=2), mx.nd.random.poisson(3.0, shape=6), mx.nd.random.poisson(30.0, shape=4), mx.nd.random.negative_binomial(2, 0.5, shape=4), mx.nd.random.generalized_negative_binomial(mx.nd.array([3.0, 4.0]), mx.nd.array([0.0, 0.5]), shape=3), mx.nd.random.multinomial(mx.nd.array([[.1, .9], [.5, .5]]), shape=3), mx.nd.random.multinomial(mx.nd.array([2., 1., 3.]), shape=4))]",
}


# MXNet 1.9.1's chisquare draws Gamma(df/2, scale 1/2), a quarter of the distribution's values;
# mxnp's is Gamma(df/2, scale 2) from the same gamma draws (docs/differences.md)
_SCALED = {"np_chisquare": 0.25}


def _run(cell: str) -> list:
    npx.set_np()
    mx.random.seed(0)
    namespace = {"mx": mx, "np": np, "npx": npx, "autograd": autograd, "gluon": gluon,
                 "onp": onp}
    try:
        exec(cell, namespace)  # noqa: S102 - the cell is this file's own text
    finally:
        npx.set_np()
    return [a.asnumpy() for a in namespace["r"]]


def _check(got: onp.ndarray, want: dict) -> None:
    assert str(got.dtype) == want["dtype"]
    if "slices" in want:
        assert got.size == want["size"]
        for start, stop, values in want["slices"]:
            assert_array_equal(got.ravel()[start:stop], onp.array(values, dtype=want["dtype"]))
    else:
        assert list(got.shape) == want["shape"]
        assert_array_equal(got.ravel(), onp.array(values := want["values"], dtype=want["dtype"]))
        assert len(values) == got.size


@pytest.mark.parametrize("name", list(CASES))
def test_draws_match_mxnet(name):
    recorded = _DATA["cases"][name]
    assert recorded["cell"] == CASES[name]  # the cell the oracle ran is the one run here
    got = _run(CASES[name])
    if name in _SCALED:  # the same draws, scaled exactly (a power of two)
        got = [a * _SCALED[name] for a in got]
    assert len(got) == len(recorded["r"])
    for i, (array, want) in enumerate(zip(got, recorded["r"])):
        try:
            _check(array, want)
        except AssertionError as e:
            raise AssertionError(f"{name}: array {i} of r differs from MXNet's") from e


def test_a_fresh_process_draws_what_seed_0_draws():
    # mxref, a fresh process: np.random.uniform(size=3) -> [0.5488135 0.5928446 0.71518934], then
    # np.random.normal(size=3) -> [0.32887977 1.1017746 0.142168]
    code = ("from mxnp import np; print(np.random.uniform(size=3).asnumpy().tolist(), "
            "np.random.normal(size=3).asnumpy().tolist())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ), check=True).stdout.split("] [")
    uniform = onp.array(out[0].strip(" [\n").split(", "), dtype=onp.float32)
    normal = onp.array(out[1].strip(" ]\n").split(", "), dtype=onp.float32)
    assert_array_equal(uniform, onp.array([0.5488135, 0.5928446, 0.71518934], onp.float32))
    assert_array_equal(normal, onp.array([0.32887977, 1.1017746, 0.142168], onp.float32))


def test_a_reseed_restarts_both_streams():
    first = _run("r = [np.random.normal(size=5), mx.nd.random.normal(shape=5).as_np_ndarray()]")
    again = _run("r = [np.random.normal(size=5), mx.nd.random.normal(shape=5).as_np_ndarray()]")
    for a, b in zip(first, again):
        assert_array_equal(a, b)


@pytest.mark.skipif(_native.libm() is None, reason="the engines in C come with mxnp/_libm")
@pytest.mark.parametrize("dtype", [onp.float32, onp.float64])
def test_the_engines_in_c_draw_what_numpys_mt19937_draws(dtype):
    # _libm.Bank (the compiled engines) against the NumPy implementation of the same draws
    # (the pure-Python path, which the cells above pin to MXNet's values)
    bank, wide = _native.libm().Bank, dtype == onp.float64
    for seed in (0, 7, 2**32 - 3):
        ref = _rng.mt19937(seed + 5)
        assert_array_equal(bank(8, seed).raw(5, 1500), ref.random_raw(1500))  # seed + i wraps
    counts = _rng._counts(3001)
    want = onp.concatenate([_rng.mt19937(11 + i).random_raw(c) for i, c in enumerate(counts)])
    assert_array_equal(bank(1024, 11).raw_many(counts), want)
    assert_array_equal(bank(1024, 11).uniform_many(counts, wide),
                       _rng.canonical(bank(1024, 11).raw_many([c * (1 + wide) for c in counts]),
                                      dtype))
    for n in (1, 2, 3, 1001):  # one distribution per call: pairs (the sequential engine)
        numpy_engine = _rng.Sequential.__new__(_rng.Sequential)
        numpy_engine.engine = _rng.mt19937(77)
        assert_array_equal(bank(1, 77).normal(0, n, wide), numpy_engine.normal(n, dtype))
    for n in (5, 65, 3000):  # a fresh distribution per value (the parallel engines)
        numpy_engines = _rng.Parallel.__new__(_rng.Parallel)
        numpy_engines.seed, numpy_engines._bank = 1234, None
        numpy_engines._engines, numpy_engines._ahead = {}, {}
        assert_array_equal(bank(1024, 1234).normal_many(_rng._counts(n), wide),
                           numpy_engines.normal(n, dtype))
    engines = bank(4, 3)
    engines.seed(2, 99)
    assert_array_equal(engines.raw(2, 3), _rng.mt19937(99).random_raw(3))
    engines.reseed(40)  # every engine restarts from the new base
    assert_array_equal(engines.raw(2, 3), _rng.mt19937(42).random_raw(3))
    with pytest.raises(IndexError, match="no engine 4"):
        engines.raw(4, 1)
    with pytest.raises(ValueError, match="5 counts for 4 engines"):
        engines.raw_many([1] * 5)
    with pytest.raises(ValueError, match="negative count"):
        engines.uniform_many([1, -1])


@pytest.mark.parametrize("hybridize", [False, True])
def test_random_flips_are_mxnets_bernoulli_draws(hybridize):
    # mxref: mx.random.seed(3); t = gluon.data.vision.transforms.RandomFlipLeftRight();
    # img = np.arange(6, dtype='uint8').reshape(1, 2, 3); [int(t(img)[0, 0, 0]) for _ in
    # range(16)] -> a flip shows 3 (std::bernoulli_distribution on the sequential engine: a
    # double from two outputs; true keeps the image); npx.image.random_flip_left_right alike
    want = [0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 0, 0, 3, 0, 3, 0]
    npx.set_np()
    flip = gluon.data.vision.transforms.RandomFlipLeftRight()
    if hybridize:
        flip.hybridize()
    img = np.arange(6, dtype="uint8").reshape(1, 2, 3)
    mx.random.seed(3)
    assert [int(flip(img)[0, 0, 0]) for _ in range(16)] == want
    mx.random.seed(3)
    assert [int(npx.image.random_flip_left_right(img)[0, 0, 0]) for _ in range(16)] == want
