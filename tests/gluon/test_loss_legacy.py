"""gluon losses that MXNet 1.9.1 runs only on legacy arrays: mxnp runs them in numpy mode.

Recorded numbers come from MXNet's legacy mode (``mx.nd`` arrays, ``npx.reset_np()``).
"""
from __future__ import annotations

import math

import numpy as onp
import pytest

import mxnp as mx
from mxnp import numpy as np
from mxnp.gluon import loss as gloss
from mxnp.testing import assert_allclose

from .test_loss import P, Q, SW, Y, Y01, arr, host, log_softmax


def test_huber_loss():
    d = onp.abs(host(Y) - host(P))
    for rho in (1, 2):
        expected = onp.where(d > rho, d - rho / 2, d ** 2 / (2 * rho)).mean(axis=1)
        assert_allclose(gloss.HuberLoss(rho=rho)(arr(P), arr(Y)), expected, rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(gloss.HuberLoss()(arr(P), arr(Y)), [0.7083333134651184, 1.1733332872390747],
                    rtol=1e-6)
    assert_allclose(gloss.HuberLoss(rho=2)(arr(P), arr(Y)), [0.4375, 0.7941667437553406],
                    rtol=1e-6)
    assert_allclose(gloss.HuberLoss(weight=3.0)(arr(P), arr(Y), arr(SW)),
                    [2.125, 1.7600001096725464], rtol=1e-6)
    assert_allclose(gloss.HuberLoss()(arr([[0.5, 3]]), arr([[0, 0]])), [1.3125])


def test_hinge_losses():
    margin = onp.maximum(0, 1 - host(P) * host(Y))
    assert_allclose(gloss.HingeLoss()(arr(P), arr(Y)), margin.mean(axis=1), rtol=1e-6)
    assert_allclose(gloss.SquaredHingeLoss()(arr(P), arr(Y)), (margin ** 2).mean(axis=1),
                    rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(gloss.HingeLoss()(arr(P), arr(Y)), [0.1666666716337204, 1.6666666269302368],
                    rtol=1e-6)
    assert_allclose(gloss.HingeLoss(margin=2)(arr(P), arr(Y)), [0.5, 2.6666667461395264],
                    rtol=1e-6)
    assert_allclose(gloss.HingeLoss(weight=3.0)(arr(P), arr(Y), arr(SW)), [0.5, 2.5], rtol=1e-6)
    assert_allclose(gloss.SquaredHingeLoss()(arr(P), arr(Y)),
                    [0.0833333358168602, 3.260000228881836], rtol=1e-6)
    assert_allclose(gloss.SquaredHingeLoss(margin=2)(arr(P), arr(Y), arr(SW)),
                    [0.75, 3.7966668605804443], rtol=1e-6)


def test_logistic_loss_label_formats():
    expected = onp.log1p(onp.exp(-host(P) * host(Y))).mean(axis=1)
    assert_allclose(gloss.LogisticLoss()(arr(P), arr(Y)), expected, rtol=1e-6)
    assert_allclose(gloss.LogisticLoss(label_format="binary")(arr(P), arr(Y01)), expected,
                    rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(gloss.LogisticLoss(weight=2.0)(arr(P), arr(Y), arr(SW)),
                    [0.4330615997314453, 1.1342461109161377], rtol=1e-6)
    with pytest.raises(ValueError, match="label_format can only be signed or binary"):
        gloss.LogisticLoss(label_format="x")


def test_kldiv_loss_sums_over_non_batch_axes():
    q, r = host(Q), host(Q)[::-1]
    expected = (r * (onp.log(r + 1e-12) - onp.log(q))).sum(axis=1)
    out = gloss.KLDivLoss()(np.log(arr(Q)), arr(Q)[::-1])
    assert_allclose(out, expected, rtol=1e-5)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(out, [0.39605847001075745, 0.3652740716934204], rtol=1e-5)
    assert_allclose(gloss.KLDivLoss(from_logits=False)(arr(P), arr(Q)),
                    [1.0554413795471191, 0.21655437350273132], rtol=1e-4)
    out = gloss.KLDivLoss(from_logits=False, axis=0)(arr(P), arr(Q), arr(SW))
    expected = (host(Q) * (onp.log(host(Q)) - log_softmax(P, axis=0)) * host(SW)).sum(axis=1)
    assert_allclose(out, expected, rtol=1e-5)
    assert_allclose(out, [-0.06326431035995483, 0.20892325043678284], rtol=1e-4)
    assert_allclose(gloss.KLDivLoss()(np.log(arr([[0.2, 0.8]])), arr([[0.5, 0.5]])),
                    [0.22314355], rtol=1e-6)


def test_triplet_loss():
    gap = ((host(Y) - host(P)) ** 2 - (host(Q) - host(P)) ** 2).sum(axis=1)
    assert_allclose(gloss.TripletLoss()(arr(P), arr(Y), arr(Q)), onp.maximum(gap + 1, 0),
                    rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(gloss.TripletLoss()(arr(P), arr(Y), arr(Q)), [0.0, 8.960000038146973],
                    rtol=1e-6)
    assert_allclose(gloss.TripletLoss(margin=3, weight=2.0)(arr(P), arr(Y), arr(Q)),
                    [0.0, 21.920000076293945], rtol=1e-6)


def test_poisson_nll_loss_is_one_global_mean():
    out = gloss.PoissonNLLLoss()(arr(P), arr(Q) * 4)
    assert out.shape == (1,)
    assert_allclose(out, [(onp.exp(host(P)) - 4 * host(Q) * host(P)).mean()], rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(out, [3.5382118225097656], rtol=1e-6)
    assert_allclose(gloss.PoissonNLLLoss(from_logits=False)(arr(Q), arr(Y01) * 3),
                    [3.2379045486450195], rtol=1e-6)
    assert_allclose(gloss.PoissonNLLLoss(weight=2.0)(arr(P), arr(Q) * 4, arr(SW)),
                    [6.516477584838867], rtol=1e-6)
    assert_allclose(gloss.PoissonNLLLoss()(arr([[0, 1]]), arr([[1, 2]])), [0.8591409], rtol=1e-6)
    assert_allclose(gloss.PoissonNLLLoss(compute_full=True)(arr([[0, 1]]), arr([[1, 2]])),
                    [1.185044], rtol=1e-6)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log(0) in the nan case, as in MXNet
def test_poisson_nll_compute_full_stirling_term():
    t = onp.array([[1.0, 2.0, 3.5]])
    p = onp.array([[0.3, -0.2, 1.1]])
    stirling = onp.where(t > 1, t * onp.log(t) - t + 0.5 * onp.log(2 * math.pi * t), 0)
    expected = (onp.exp(p) - t * p + stirling).mean()
    assert_allclose(gloss.PoissonNLLLoss(compute_full=True)(arr(p), arr(t)), [expected],
                    rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode): a zero target makes the Stirling term 0 * nan
    assert onp.isnan(gloss.PoissonNLLLoss(compute_full=True)(arr(P), arr(Y01) * 3).item())


def test_cosine_embedding_loss():
    a, b = host(P), host(Q)
    cos = (a * b).sum(1) / (onp.linalg.norm(a, axis=1) * onp.linalg.norm(b, axis=1))
    out = gloss.CosineEmbeddingLoss()(arr(P), arr(Q), arr([1, -1]))
    assert out.shape == (2, 1)
    assert_allclose(out, [[1 - cos[0]], [max(0, cos[1])]], rtol=1e-6)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(out, [[0.5543434619903564], [0.627851665019989]], rtol=1e-6)
    assert_allclose(gloss.CosineEmbeddingLoss(margin=0.5)(arr(P), -arr(Q), arr([-1, -1])),
                    [[0.0], [0.0]])
    assert_allclose(gloss.CosineEmbeddingLoss(weight=2.0)(arr(P), arr(Q), arr([1, -1]), arr(SW)),
                    [[1.108686923980713], [0.627851665019989]], rtol=1e-6)


def sdml_reference(x1, x2, smoothing):
    n = len(x1)
    dist = ((x1[:, None, :] - x2[None, :, :]) ** 2).sum(axis=2)
    logp = log_softmax(-dist, axis=1)
    labels = onp.where(onp.eye(n) > 0, 1 - smoothing, smoothing / (n - 1))
    return (labels * (onp.log(labels + 1e-12) - logp)).sum(axis=1)


def test_sdml_loss():
    x1, x2 = [[1.0, 2], [3, 4], [0, 1]], [[1.0, 2.5], [2, 4], [1, 1]]
    out = gloss.SDMLLoss(smoothing_parameter=0.1)(arr(x1), arr(x2))
    assert_allclose(out, sdml_reference(host(x1), host(x2), 0.1), rtol=1e-4)
    # MXNet 1.9.1 (mxref, legacy mode)
    assert_allclose(out, [0.2733321189880371, 0.473340779542923, 0.418315052986145], rtol=1e-4)
    out = gloss.SDMLLoss()(arr(P, "float64"), arr(Q, "float64"))
    assert_allclose(out, sdml_reference(host(P), host(Q), 0.3), rtol=1e-10)
    assert_allclose(out, [0.06708270311355591, 0.021897219121456146], rtol=2e-4)


def test_losses_called_on_symbols_build_mxnets_legacy_graph():
    from mxnp import ndarray as nd
    from mxnp import symbol as sym

    p, label = sym.var("p"), sym.var("l")
    pred = nd.array([[1, 2, 3], [4, 5, 7]])
    target = nd.array([[1, 0, 2], [4, 4, 4]])
    # MXNet 1.9.1 (mxref, legacy mode): the mean runs over every axis but batch_axis
    cases = [(gloss.L1Loss(), target, [1.0, 1.3333334]),
             (gloss.L2Loss(batch_axis=1), target, [0.0, 1.25, 2.5]),
             (gloss.HuberLoss(), target, [0.6666667, 1.0]),
             (gloss.SoftmaxCrossEntropyLoss(), nd.array([0, 2]), [2.4076037, 0.16984455])]
    for block, lab, expected in cases:
        out = block(p, label)
        assert sorted(out.list_arguments()) == ["l", "p"]
        got = out.bind(mx.cpu(), {"p": pred, "l": lab}).forward()[0]
        assert_allclose(got.asnumpy(), expected, rtol=1e-5)
