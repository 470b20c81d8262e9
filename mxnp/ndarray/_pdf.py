"""MXNet 1.x's ``random_pdf_*`` operators: the density (or its log, ``is_log``) of samples
under per-entry distribution parameters. A sample array has the parameters' shape plus trailing
sample axes; every density is a composite, so gradients reach samples and parameters.
``im2col``/``col2im`` live here too: a convolution and a deconvolution with one-hot filters.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from ._define import legacy_op


def _expand(p, sample, event=0):
    """Parameter ``p`` with size-1 axes for the sample axes (before the last ``event`` axes)."""
    extra = sample.ndim - p.ndim
    head, tail = p.shape[:p.ndim - event], p.shape[p.ndim - event:]
    return np.reshape(p, head + (1,) * extra + tail)


def _density(log_pdf, is_log):
    return log_pdf if is_log else np.exp(log_pdf)


@legacy_op("_random_pdf_normal", ("sample", "mu", "sigma"), aliases=("random_pdf_normal",))
def random_pdf_normal(sample, mu, sigma, is_log=False):
    """Normal density of mean mu and standard deviation sigma."""
    mu, sigma = _expand(mu, sample), _expand(sigma, sample)
    z = (sample - mu) / sigma
    return _density(-0.5 * np.square(z) - np.log(sigma) - 0.5 * math.log(2 * math.pi), is_log)


@legacy_op("_random_pdf_uniform", ("sample", "low", "high"), aliases=("random_pdf_uniform",))
def random_pdf_uniform(sample, low, high, is_log=False):
    """Uniform density on [low, high]."""
    low, high = _expand(low, sample), _expand(high, sample)
    inside = np.logical_and(sample >= low, sample <= high)
    pdf = np.where(inside, 1 / (high - low), np.zeros_like(sample))
    return np.log(pdf) if is_log else pdf


@legacy_op("_random_pdf_gamma", ("sample", "alpha", "beta"), aliases=("random_pdf_gamma",))
def random_pdf_gamma(sample, alpha, beta, is_log=False):
    """Gamma density of shape alpha and rate beta."""
    alpha, beta = _expand(alpha, sample), _expand(beta, sample)
    log_pdf = alpha * np.log(beta) + (alpha - 1) * np.log(sample) - beta * sample \
        - npx.gammaln(alpha)
    return _density(log_pdf, is_log)


@legacy_op("_random_pdf_exponential", ("sample", "lam"), aliases=("random_pdf_exponential",))
def random_pdf_exponential(sample, lam, is_log=False):
    """Exponential density of rate lam."""
    lam = _expand(lam, sample)
    return _density(np.log(lam) - lam * sample, is_log)


@legacy_op("_random_pdf_poisson", ("sample", "lam"), aliases=("random_pdf_poisson",))
def random_pdf_poisson(sample, lam, is_log=False):
    """Poisson probability of rate lam."""
    lam = _expand(lam, sample)
    return _density(sample * np.log(lam) - lam - npx.gammaln(sample + 1), is_log)


def _nb_log(sample, k, p):
    return npx.gammaln(sample + k) - npx.gammaln(sample + 1) - npx.gammaln(k) \
        + k * np.log(p) + sample * np.log(1 - p)


@legacy_op("_random_pdf_negative_binomial", ("sample", "k", "p"),
           aliases=("random_pdf_negative_binomial",))
def random_pdf_negative_binomial(sample, k, p, is_log=False):
    """Probability of ``sample`` failures before the k-th success (success probability p)."""
    return _density(_nb_log(sample, _expand(k, sample), _expand(p, sample)), is_log)


@legacy_op("_random_pdf_generalized_negative_binomial", ("sample", "mu", "alpha"),
           aliases=("random_pdf_generalized_negative_binomial",))
def random_pdf_generalized_negative_binomial(sample, mu, alpha, is_log=False):
    """Negative binomial probability by mean mu and dispersion alpha."""
    mu, alpha = _expand(mu, sample), _expand(alpha, sample)
    return _density(_nb_log(sample, 1 / alpha, 1 / (1 + alpha * mu)), is_log)


@legacy_op("_random_pdf_dirichlet", ("sample", "alpha"), aliases=("random_pdf_dirichlet",))
def random_pdf_dirichlet(sample, alpha, is_log=False):
    """Dirichlet density of concentration alpha (the last axis is the simplex)."""
    a = _expand(alpha, sample, event=1)
    log_pdf = npx.gammaln(np.sum(a, axis=-1)) - np.sum(npx.gammaln(a), axis=-1) \
        + np.sum((a - 1) * np.log(sample), axis=-1)
    return _density(log_pdf, is_log)


def _one_hot_filters(channels, kernel, dtype, ctx):
    """(C * K, C, *kernel) with filter c * K + k picking channel c at kernel offset k."""
    k = int(onp.prod(kernel))
    w = onp.zeros((channels * k, channels) + tuple(kernel), dtype=dtype)
    for c in range(channels):
        w[c * k:(c + 1) * k, c] = onp.eye(k, dtype=dtype).reshape((k,) + tuple(kernel))
    return np.array(w, ctx=ctx)


@legacy_op("im2col")
def im2col(data, kernel, stride=(), dilate=(), pad=()):
    """Sliding windows as columns: (N, C * prod(kernel), number of windows)."""
    w = _one_hot_filters(data.shape[1], kernel, data.dtype, data.context)
    cols = npx.convolution(data, w, None, kernel=tuple(kernel), stride=stride or None,
                           dilate=dilate or None, pad=pad or None, num_filter=w.shape[0],
                           no_bias=True)
    return np.reshape(cols, cols.shape[:2] + (-1,))


@legacy_op("col2im")
def col2im(data, output_size, kernel, stride=(), dilate=(), pad=()):
    """im2col's transpose: columns summed back into an (N, C, *output_size) image."""
    k = int(onp.prod(kernel))
    channels = data.shape[1] // k
    w = _one_hot_filters(channels, kernel, data.dtype, data.context)
    nd = len(kernel)
    st, dl, pd = (tuple(v) or (d,) * nd for v, d in ((stride, 1), (dilate, 1), (pad, 0)))
    grid = tuple((o + 2 * p - dd * (kk - 1) - 1) // s + 1
                 for o, p, dd, kk, s in zip(output_size, pd, dl, kernel, st))
    cols = np.reshape(data, data.shape[:2] + grid)
    # the padded image the blocks cover, then its unpadded part; positions no block covers (a
    # stride that does not divide the size) stay 0, as MXNet
    image = npx.deconvolution(cols, w, None, kernel=tuple(kernel), stride=st, dilate=dl,
                              num_filter=channels, no_bias=True)
    short = [(0, max(0, p + o - n)) for o, p, n in zip(output_size, pd, image.shape[2:])]
    if any(b for _, b in short):
        image = np.pad(image, [(0, 0), (0, 0)] + short)
    return image[(slice(None), slice(None)) + tuple(slice(p, p + o)
                                                    for p, o in zip(pd, output_size))]
