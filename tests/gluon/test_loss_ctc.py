"""CTCLoss: brute force over all alignments, numbers and gradients recorded from MXNet 1.9.1
(legacy mode: MXNet's CTCLoss rejects numpy-mode arrays), layouts, lengths."""
from __future__ import annotations

import itertools

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import numpy as np
from mxnp.gluon import loss as gloss
from mxnp.testing import assert_allclose, check_grads

# (2, 5, 4) activations, layout NTC; class 3 is the blank
X = [[[1.76, 0.4, 0.98, 2.24], [1.87, -0.98, 0.95, -0.15], [-0.1, 0.41, 0.14, 1.45],
      [0.76, 0.12, 0.44, 0.33], [1.49, -0.21, 0.31, -0.85]],
     [[-2.55, 0.65, 0.86, -0.74], [2.27, -1.45, 0.05, -0.19], [1.53, 1.47, 0.15, 0.38],
      [-0.89, -1.98, -0.35, 0.16], [1.23, 1.2, -0.39, -0.3]]]
LABEL = [[1, 0, 2], [0, 0, -1]]


def arr(x, dtype="float32"):
    return np.array(x, dtype=dtype)


def brute_force_nll(x, label):
    """-log of the summed probability of every frame path that collapses to ``label``."""
    x = onp.asarray(x, dtype=onp.float64)
    steps, classes = x.shape
    probs = onp.exp(x) / onp.exp(x).sum(axis=1, keepdims=True)
    blank, total = classes - 1, 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
        if [k for k in collapsed if k != blank] == list(label):
            total += onp.prod(probs[onp.arange(steps), path])
    return -onp.log(total)


def test_ctc_matches_brute_force():
    out = gloss.CTCLoss()(arr(X, "float64"), arr(LABEL))
    expected = [brute_force_nll(X[0], [1, 0, 2]), brute_force_nll(X[1], [0, 0])]
    assert_allclose(out, expected, rtol=1e-10)


def test_ctc_matches_brute_force_with_lengths():
    out = gloss.CTCLoss()(arr(X, "float64"), arr(LABEL), arr([4, 5]), arr([2, 1]))
    expected = [brute_force_nll(X[0][:4], [1, 0]), brute_force_nll(X[1], [0])]
    assert_allclose(out, expected, rtol=1e-10)


def test_ctc_recorded_values():
    # MXNet 1.9.1 (mxref, legacy mode)
    x, label = arr(X), arr(LABEL)
    assert_allclose(gloss.CTCLoss()(x, label), [5.012782573699951, 4.4470953941345215],
                    rtol=1e-6)
    assert_allclose(gloss.CTCLoss()(x, label, arr([5, 3])),
                    [5.012782573699951, 7.703365802764893], rtol=1e-6)
    assert_allclose(gloss.CTCLoss()(x, label, None, arr([2, 1])),
                    [4.10859489440918, 5.110854148864746], rtol=1e-6)
    assert_allclose(gloss.CTCLoss(weight=2.0)(x, label, arr([4, 5]), arr([3, 2]), arr([1, 0.5])),
                    [8.818483352661133, 4.4470953941345215], rtol=1e-6)
    assert_allclose(gloss.CTCLoss()(x, arr([[1, 1, 1], [2, -1, -1]])),
                    [10.35123062133789, 6.7944488525390625], rtol=1e-6)
    # 0 is a real symbol, not padding
    assert_allclose(gloss.CTCLoss()(x, arr([[1, 0, 2], [0, 0, 0]])),
                    [5.012782573699951, 9.299139022827148], rtol=1e-6)


def test_ctc_infeasible_alignment_gives_zero():
    # MXNet 1.9.1 (mxref, legacy mode): 2,2,2 needs 5 frames, the second sample has 4
    out = gloss.CTCLoss()(arr(X), arr([[1, 1, 1], [2, 2, 2]]), arr([5, 4]))
    assert_allclose(out, [10.35123062133789, 0.0], rtol=1e-6)


def test_ctc_layouts():
    x, label = arr(X), arr(LABEL)
    expected = gloss.CTCLoss()(x, label)
    assert_allclose(gloss.CTCLoss(layout="TNC")(np.swapaxes(x, 0, 1), label), expected)
    assert_allclose(gloss.CTCLoss(label_layout="TN")(x, label.T), expected)
    assert gloss.CTCLoss(label_layout="TN")._batch_axis == 1
    with pytest.raises(AssertionError, match="Only 'NTC' and 'TNC' layouts"):
        gloss.CTCLoss(layout="NCT")
    with pytest.raises(AssertionError, match="Only 'NT' and 'TN' layouts"):
        gloss.CTCLoss(label_layout="TT")


def test_ctc_gradient_recorded():
    x = arr(X)
    x.attach_grad()
    with autograd.record():
        loss = gloss.CTCLoss()(x, arr(LABEL))
    loss.backward()
    # MXNet 1.9.1 (mxref, legacy mode), first sample, rounded to 5 decimals
    expected = [[0.3002, -0.66084, 0.13761, 0.22303], [-0.0248, -0.17671, 0.2508, -0.04928],
                [-0.11201, 0.07484, 0.06425, -0.02709], [-0.00771, 0.18158, -0.15413, -0.01974],
                [0.6304, 0.11516, -0.69525, -0.05032]]
    assert_allclose(x.grad[0], expected, atol=2e-5)


def test_ctc_check_grads():
    x = onp.random.default_rng(1).standard_normal((2, 4, 3))
    lengths = arr([4, 3], "float64")
    check_grads(lambda p: gloss.CTCLoss()(p, arr([[0, 1], [1, -1]]), lengths), arr(x, "float64"),
                order=2)


def test_ctc_frames_past_the_lengths_are_never_read():
    # MXNet 1.9.1 (mxref): nan in the unused frames changes neither the loss nor the other
    # frames' gradient, and their own gradient is exactly 0
    clean = arr(X)
    dirty = arr(onp.concatenate([onp.asarray(X, "float32"),
                                 onp.full((2, 2, 4), onp.nan, "float32")], axis=1))
    lengths = arr([5, 3])
    grads = []
    for x in (clean, dirty):
        x.attach_grad()
        with autograd.record():
            loss = gloss.CTCLoss()(x, arr(LABEL), lengths)
        loss.backward()
        assert_allclose(loss, [5.012782573699951, 7.703365802764893], rtol=1e-6)
        grads.append(x.grad.asnumpy())
    assert_allclose(grads[1][:, :5], grads[0], rtol=1e-6)
    assert (grads[1][:, 5:] == 0).all() and (grads[1][1, 3:] == 0).all()
