"""gluon.loss as blocks: names, name hints, reprs, aliases, shapes, hybridize, weight checks."""
from __future__ import annotations

import re

import pytest

from mxnp import autograd, gluon
from mxnp import numpy as np
from mxnp.gluon import loss as gloss
from mxnp.testing import assert_allclose

# api/gluon.loss.txt
NAMES = ["CTCLoss", "CosineEmbeddingLoss", "HingeLoss", "HuberLoss", "KLDivLoss", "L1Loss",
         "L2Loss", "LogisticLoss", "Loss", "PoissonNLLLoss", "SDMLLoss", "SigmoidBCELoss",
         "SigmoidBinaryCrossEntropyLoss", "SoftmaxCELoss", "SoftmaxCrossEntropyLoss",
         "SquaredHingeLoss", "TripletLoss"]


def test_every_name_is_exported_with_a_docstring():
    for name in NAMES:
        cls = getattr(gloss, name)
        assert issubclass(cls, gluon.HybridBlock)
        assert cls.__doc__ and "\n" not in cls.__doc__.strip(), name
    assert gluon.loss is gloss
    assert gloss.SoftmaxCELoss is gloss.SoftmaxCrossEntropyLoss
    assert gloss.SigmoidBCELoss is gloss.SigmoidBinaryCrossEntropyLoss


@pytest.mark.parametrize("cls, hint", [
    (gloss.L2Loss, "l2loss"), (gloss.SoftmaxCELoss, "softmaxcrossentropyloss"),
    (gloss.SigmoidBCELoss, "sigmoidbinarycrossentropyloss"), (gloss.CTCLoss, "ctcloss"),
    (gloss.PoissonNLLLoss, "poissonnllloss"), (gloss.SDMLLoss, "sdmlloss")])
def test_name_hints(cls, hint):
    # MXNet 1.9.1 (mxref): hint = lower-cased class name, plus the global counter
    block = cls()
    assert re.fullmatch(hint + r"\d+", block.name)
    assert block.prefix == block.name + "_"
    assert cls(prefix="foo_").name == "foo"


def test_reprs():
    # MXNet 1.9.1 (mxref)
    assert repr(gloss.L2Loss()) == "L2Loss(batch_axis=0, w=1.0)"
    assert repr(gloss.L1Loss()) == "L1Loss(batch_axis=0, w=None)"
    assert repr(gloss.SigmoidBCELoss()) == "SigmoidBinaryCrossEntropyLoss(batch_axis=0, w=None)"
    assert repr(gloss.SoftmaxCELoss(weight=2.0)) == \
        "SoftmaxCrossEntropyLoss(batch_axis=0, w=2.0)"
    assert repr(gloss.CTCLoss(label_layout="TN")) == "CTCLoss(batch_axis=1, w=None)"
    assert repr(gloss.SDMLLoss()) == "SDMLLoss(batch_axis=0, w=1.0)"
    assert repr(gloss.Loss(1.0, 0)) == "Loss(batch_axis=0, w=1.0)"


def test_sdml_owns_its_kl_loss_child():
    sdml = gloss.SDMLLoss()
    assert isinstance(sdml.kl_loss, gloss.KLDivLoss)
    assert list(sdml._children) == ["kl_loss"]
    assert re.fullmatch(r"kldivloss\d+", sdml.kl_loss.name)


def test_base_loss_has_no_forward():
    with pytest.raises(NotImplementedError):
        gloss.Loss(None, 0)(np.ones(2))


def test_weight_must_be_a_number():
    with pytest.raises(AssertionError, match="weight must be a number"):
        gloss.L1Loss(weight="2")(np.ones((2, 2)), np.zeros((2, 2)))


THREE_D = [gloss.L2Loss(), gloss.L1Loss(), gloss.SigmoidBCELoss(), gloss.HuberLoss(),
           gloss.HingeLoss(), gloss.SquaredHingeLoss(), gloss.LogisticLoss(), gloss.KLDivLoss()]


@pytest.mark.parametrize("loss", THREE_D, ids=lambda x: type(x).__name__)
def test_one_value_per_sample(loss):
    pred = np.linspace(-1, 1, 24).reshape((2, 3, 4))
    out = loss(pred, np.ones((2, 3, 4)))
    assert out.shape == (2,)
    assert out.dtype == pred.dtype
    # the per-sample value is a mean (sum for KLDiv) over that sample's entries alone
    first = loss(pred[:1], np.ones((1, 3, 4)))
    assert_allclose(out[:1], first, rtol=1e-6)


def test_other_output_shapes():
    x = np.ones((4, 3))
    assert gloss.SoftmaxCELoss()(x, np.zeros(4)).shape == (4,)
    assert gloss.TripletLoss()(x, x, x).shape == (4,)
    assert gloss.PoissonNLLLoss()(x, x).shape == (1,)
    assert gloss.CosineEmbeddingLoss()(x, x, np.ones(4)).shape == (4, 1)
    assert gloss.SDMLLoss()(x, x).shape == (4,)
    assert gloss.CTCLoss()(np.ones((4, 5, 3)), np.zeros((4, 2))).shape == (4,)


def test_hybridized_losses_give_the_same_values():
    pred, label = np.array([[1.0, 2, 3], [1, 1, 1]]), np.array([2, 0])
    for loss in (gloss.SoftmaxCELoss(), gloss.L2Loss(), gloss.HuberLoss()):
        eager = loss(pred, label if isinstance(loss, gloss.SoftmaxCELoss) else pred * 0)
        loss.hybridize()
        again = loss(pred, label if isinstance(loss, gloss.SoftmaxCELoss) else pred * 0)
        assert_allclose(again, eager)


def test_losses_backward_inside_record():
    pred = np.array([[0.5, -2.0, 3.0], [1.5, 0.2, -0.7]])
    pred.attach_grad()
    with autograd.record():
        loss = gloss.L2Loss()(pred, np.zeros((2, 3)))
    loss.backward()
    # d/dp of mean(p^2 / 2) over 3 entries is p / 3
    assert_allclose(pred.grad, pred / 3, rtol=1e-6)
