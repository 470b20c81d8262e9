"""gluon.loss forward values: NumPy formulas written here, and numbers recorded from MXNet 1.9.1."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import numpy as np
from mxnp.gluon import loss as gloss
from mxnp.testing import assert_allclose

P = [[0.5, -2.0, 3.0], [1.5, 0.2, -0.7]]
Y = [[1.0, -1, 1], [-1, 1, 1]]
Y01 = [[1.0, 0, 1], [0, 1, 1]]
Q = [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]
SW = [[1.0], [0.5]]


def arr(x, dtype="float32"):
    return np.array(x, dtype=dtype)


def host(x):
    return onp.asarray(x, dtype=onp.float64)


def log_softmax(x, axis=-1):
    x = host(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - onp.log(onp.exp(shifted).sum(axis=axis, keepdims=True))


def softplus(x):
    return onp.log1p(onp.exp(x))


# ---- the losses MXNet runs in numpy mode ------------------------------------------------------
def test_l2_loss_values():
    d = host(Y) - host(P)
    assert_allclose(gloss.L2Loss()(arr(P), arr(Y)), (d ** 2 / 2).mean(axis=1), rtol=1e-6)
    # MXNet 1.9.1 (mxref)
    assert_allclose(gloss.L2Loss()(arr(P), arr(Y)), [0.875, 1.630000114440918], rtol=1e-6)
    assert_allclose(gloss.L2Loss(weight=3.0)(arr(P), arr(Y), arr(SW)),
                    [2.625, 2.444999933242798], rtol=1e-6)


def test_l2_loss_reference_examples():
    # MXNet 1.9.1 (mxref): the examples of the reference, §5
    pred, label = arr([[1, 2], [3, 5]]), arr([[0, 2], [1, 1]])
    assert_allclose(gloss.L2Loss()(pred, label), [0.25, 5.0])
    assert_allclose(gloss.L2Loss(weight=2)(pred, label), [0.5, 10.0])
    assert_allclose(gloss.L2Loss()(pred, label, arr([[1], [0]])), [0.25, 0.0])
    assert_allclose(gloss.L2Loss()(pred, label, arr([[1, 0], [0, 1]])), [0.25, 4.0])
    assert_allclose(gloss.L2Loss()(arr([1, 2, 3]), arr([0, 0, 0])), [0.5, 2.0, 4.5])


def test_l2_loss_label_reshaped_to_pred():
    assert_allclose(gloss.L2Loss()(arr([[1], [2]]), arr([0, 0])), [0.5, 2.0])
    assert_allclose(gloss.L2Loss()(arr([1, 2]), arr([[0], [0]])), [0.5, 2.0])
    with pytest.raises(Exception):
        gloss.L2Loss()(arr(P), arr([1, 2, 3, 4]))


def test_batch_axis_is_ignored_as_in_numpy_mode():
    # MXNet 1.9.1 (mxref): batch_axis=1 still averages axes 1..n-1
    x = np.arange(6, dtype="float32").reshape((2, 3))
    assert_allclose(gloss.L2Loss(batch_axis=1)(x, np.zeros((2, 3))), [0.8333333, 8.333333],
                    rtol=1e-6)


def test_l1_loss_values():
    assert_allclose(gloss.L1Loss()(arr(P), arr(Y)), onp.abs(host(Y) - host(P)).mean(axis=1),
                    rtol=1e-6)
    # MXNet 1.9.1 (mxref)
    assert_allclose(gloss.L1Loss(weight=2.0)(arr(P), arr(Y), arr(SW)),
                    [2.3333332538604736, 1.6666666269302368], rtol=1e-6)
    x = np.arange(24, dtype="float32").reshape((2, 3, 4))
    assert_allclose(gloss.L1Loss()(x, np.ones((2, 3, 4))), [4.666666507720947, 16.5], rtol=1e-6)


def test_sigmoid_bce_from_logits():
    z, y = host(P), host(Y01)
    expected = (onp.maximum(z, 0) - z * y + softplus(-onp.abs(z))).mean(axis=1)
    assert_allclose(gloss.SigmoidBCELoss()(arr(P), arr(Y01)), expected, rtol=1e-6)
    # MXNet 1.9.1 (mxref)
    assert_allclose(gloss.SigmoidBCELoss()(arr(P), arr(Y01)),
                    [0.21653079986572266, 1.1342461109161377], rtol=1e-5)
    assert_allclose(gloss.SigmoidBCELoss()(arr([[-1, 0, 2]]), arr([[0, 1, 1]])), [0.377779],
                    rtol=1e-5)


def test_sigmoid_bce_pos_weight():
    z, y, pw = host(P), host(Y01), onp.array([[2.0, 1, 3]])
    expected = 2 * (-(pw * y * onp.log(1 / (1 + onp.exp(-z))) +
                      (1 - y) * onp.log(1 - 1 / (1 + onp.exp(-z)))) * host(SW)).mean(axis=1)
    out = gloss.SigmoidBCELoss(weight=2.0)(arr(P), arr(Y01), arr(SW), arr(pw))
    assert_allclose(out, expected, rtol=1e-5)
    # MXNet 1.9.1 (mxref)
    assert_allclose(out, [0.8138960003852844, 1.8697036504745483], rtol=1e-5)
    assert_allclose(gloss.SigmoidBCELoss()(arr([[-1, 0, 2]]), arr([[0, 1, 1]]), None, 2.0),
                    [0.6511375], rtol=1e-5)


def test_sigmoid_bce_from_sigmoid():
    p, y = host(Q), host(Y01)
    expected = -(onp.log(p + 1e-12) * y + onp.log(1 - p + 1e-12) * (1 - y)).mean(axis=1)
    out = gloss.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True)(arr(Q), arr(Y01))
    assert_allclose(out, expected, rtol=1e-6)
    # MXNet 1.9.1 (mxref)
    assert_allclose(out, [0.8864200115203857, 1.4742828607559204], rtol=1e-6)
    assert_allclose(gloss.SigmoidBCELoss(from_sigmoid=True)(arr(Q), arr(Y01), None, 3.0),
                    [2.4214766025543213, 3.811988115310669], rtol=1e-6)
    assert_allclose(gloss.SigmoidBCELoss(from_sigmoid=True)(arr([[0.0]]), arr([[1.0]])),
                    [27.631021], rtol=1e-6)


def test_softmax_ce_sparse_labels_clipped():
    expected = -log_softmax(P)[[0, 1], [2, 2]]  # label 7 acts as the last class
    out = gloss.SoftmaxCrossEntropyLoss()(arr(P), arr([2, 7]))
    assert_allclose(out, expected, rtol=1e-5)
    # MXNet 1.9.1 (mxref)
    assert_allclose(out, [0.08509435504674911, 2.5245001316070557], rtol=1e-4)
    assert_allclose(gloss.SoftmaxCELoss()(arr([[1, 2, 3], [1, 1, 1]]), arr([5, -1])),
                    [0.40760383, 1.09861], rtol=1e-5)
    assert_allclose(gloss.SoftmaxCELoss()(arr([[1, 2, 3], [1, 1, 1]]), arr([[1.7], [0]])),
                    -log_softmax([[1, 2, 3], [1, 1, 1]])[[0, 1], [1, 0]], rtol=1e-5)


def test_softmax_ce_dense_labels_and_options():
    out = gloss.SoftmaxCELoss(sparse_label=False)(arr(P), arr(Q))
    assert_allclose(out, -(host(Q) * log_softmax(P)).sum(axis=1), rtol=1e-5)
    # MXNet 1.9.1 (mxref)
    assert_allclose(out, [2.085094451904297, 1.1145000457763672], rtol=1e-4)
    assert_allclose(gloss.SoftmaxCELoss(axis=0, weight=2.0)(arr(P), arr([1, 0, -3])),
                    [1.7618452310562134], rtol=1e-5)
    assert_allclose(gloss.SoftmaxCELoss(from_logits=True)(np.log(arr(Q)), arr([[0], [1]]),
                                                          arr(SW)),
                    [1.6094379425048828, 1.1512925624847412], rtol=1e-6)
    assert_allclose(gloss.SoftmaxCELoss()(arr([1, 2, 3]), arr([2])), [0.40760383], rtol=1e-5)


def test_softmax_ce_sequences_and_masks():
    p3 = np.zeros((2, 4, 3))
    assert_allclose(gloss.SoftmaxCELoss()(p3, np.zeros((2, 4))), [1.0986123] * 2, rtol=1e-6)
    mask = arr([[1, 1, 0, 0], [1, 0, 0, 0]]).reshape((2, 4, 1))
    # MXNet 1.9.1 (mxref): masked positions count as zeros in the mean over time
    assert_allclose(gloss.SoftmaxCELoss()(p3, np.zeros((2, 4)), mask), [0.549305, 0.2746525],
                    rtol=1e-5)
    assert_allclose(gloss.SoftmaxCELoss(axis=1)(arr(P).reshape((1, 2, 3)), arr([[1, 0, 1]])),
                    [2.114255905151367], rtol=1e-5)


def test_softmax_ce_dtype_follows_pred():
    assert gloss.SoftmaxCELoss()(np.ones((2, 3), dtype="float64"), arr([1, 2])).dtype == \
        onp.float64
    assert gloss.L2Loss()(np.ones((2, 2)), np.zeros((2, 2))).dtype == onp.float32
