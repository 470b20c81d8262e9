"""Gradients of every loss w.r.t. its prediction(s), by mxnp.testing.check_grads in float64.

The inputs keep away from the kinks (hinge's margin, Huber's rho, abs at 0) so that central
differences are valid.
"""
from __future__ import annotations

import pytest

from mxnp import autograd
from mxnp import numpy as np
from mxnp.gluon import loss as gloss
from mxnp.testing import assert_allclose, check_grads

from .test_loss import P, Q, SW, Y, Y01


def f64(x):
    return np.array(x, dtype="float64")


def _grad_cases():
    y, y01, q, sw = f64(Y), f64(Y01), f64(Q), f64(SW)
    return {
        "l2": (gloss.L2Loss(weight=3.0), lambda loss, p: loss(p, y, sw)),
        "l1": (gloss.L1Loss(), lambda loss, p: loss(p, y)),
        "sigmoid_bce": (gloss.SigmoidBCELoss(), lambda loss, p: loss(p, y01, sw)),
        "sigmoid_bce_pos_weight": (gloss.SigmoidBCELoss(weight=2.0),
                                   lambda loss, p: loss(p, y01, None, f64([[2.0, 1, 3]]))),
        "sigmoid_bce_from_sigmoid": (gloss.SigmoidBCELoss(from_sigmoid=True),
                                     lambda loss, p: loss(np.abs(p) / 4, y01, None, 3.0)),
        "softmax_ce": (gloss.SoftmaxCELoss(), lambda loss, p: loss(p, f64([2, 0]), sw)),
        "softmax_ce_dense": (gloss.SoftmaxCELoss(sparse_label=False, axis=0),
                             lambda loss, p: loss(p, q)),
        "kldiv": (gloss.KLDivLoss(from_logits=False), lambda loss, p: loss(p, q, sw)),
        "huber": (gloss.HuberLoss(rho=1.3), lambda loss, p: loss(p, y, sw)),
        "hinge": (gloss.HingeLoss(), lambda loss, p: loss(p, y)),
        "squared_hinge": (gloss.SquaredHingeLoss(), lambda loss, p: loss(p, y, sw)),
        "logistic": (gloss.LogisticLoss(label_format="binary"), lambda loss, p: loss(p, y01)),
        "triplet": (gloss.TripletLoss(margin=20), lambda loss, p: loss(p, y, q)),
        "poisson_nll": (gloss.PoissonNLLLoss(weight=2.0), lambda loss, p: loss(p, 4 * q, sw)),
        "poisson_nll_rates": (gloss.PoissonNLLLoss(from_logits=False, compute_full=True),
                              lambda loss, p: loss(np.abs(p), 3 * y01 + 1)),
        "cosine_embedding": (gloss.CosineEmbeddingLoss(margin=-0.9),
                             lambda loss, p: loss(p, q, f64([1, -1]), sw)),
    }


@pytest.mark.parametrize("name", sorted(_grad_cases()))
def test_loss_grad_wrt_pred(name):
    loss, call = _grad_cases()[name]
    check_grads(lambda p: call(loss, p), f64(P), order=2)


def test_triplet_loss_grad_wrt_all_three_inputs():
    check_grads(gloss.TripletLoss(margin=20), f64(P), f64(Y), f64(Q), order=2)


def test_cosine_embedding_grad_wrt_both_inputs():
    loss = gloss.CosineEmbeddingLoss()
    check_grads(lambda a, b: loss(a, b, f64([1, -1])), f64(P), f64(Q), order=2)


def test_sdml_loss_grad_wrt_both_batches():
    check_grads(gloss.SDMLLoss(), f64([[1.0, 2], [3, 4], [0, 1]]),
                f64([[1.0, 2.5], [2, 4], [1, 1]]), order=2)


def test_kldiv_grad_wrt_label():
    check_grads(lambda t: gloss.KLDivLoss()(f64(P), t), f64(Q), order=2)


def test_softmax_ce_grad_is_softmax_minus_onehot():
    pred = np.array([[1.0, 2, 3], [1, 1, 1]])
    pred.attach_grad()
    with autograd.record():
        loss = gloss.SoftmaxCELoss()(pred, np.array([2, 0]))
    loss.backward()
    e = np.exp(pred - pred.max(axis=1, keepdims=True))
    soft = e / e.sum(axis=1, keepdims=True)
    assert_allclose(pred.grad, soft - np.array([[0.0, 0, 1], [1, 0, 0]]), rtol=1e-6)
