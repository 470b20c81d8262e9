"""What differential fuzzing of gluon.rnn and gluon.loss against MXNet 1.9.1 turned up.

Expected values marked "mxref" were read off the real MXNet 1.9.1 (legacy mode: `npx.reset_np()`
and mx.nd arrays); the others come from a NumPy reference written here.
"""
from __future__ import annotations

import itertools

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, np, npx
from mxnp.base import MXNetError

nd = mx.nd


@pytest.fixture
def legacy():
    """The 1.x face (MXNet's array switch off; conftest restores the switches)."""
    npx.reset_np()


@pytest.fixture
def numpy_mode():
    npx.set_np()


# ---- losses honour batch_axis in the 1.x face, as MXNet's legacy mode does -------------------
def test_batch_axis_legacy_face(legacy):
    x = nd.arange(6).reshape((2, 3))
    out = gluon.loss.L2Loss(batch_axis=1)(x, nd.zeros((2, 3)))
    assert out.shape == (3,)
    onp.testing.assert_allclose(out.asnumpy(), [2.25, 4.25, 7.25])  # mxref
    pred = nd.array([[1., 2, 3], [0, 1, 1]])
    out = gluon.loss.SoftmaxCELoss(batch_axis=1, axis=0)(pred, nd.array([1, 0, 1]))
    onp.testing.assert_allclose(out.asnumpy(), [1.3132616, 0.31326166, 2.126928], rtol=1e-6)
    out = gluon.loss.KLDivLoss(batch_axis=1)(nd.array([[-1., -2, -3], [-0.5, -1, -2]]),
                                             nd.array([[0.2, 0.5, 0.3], [0.8, 0.5, 0.7]]))
    onp.testing.assert_allclose(out.asnumpy(), [0.0995976, 0.8068528, 1.6891358], rtol=1e-6)
    out = gluon.loss.TripletLoss(batch_axis=1)(pred, nd.array([[0., 2, 1], [0, 0, 1]]),
                                               nd.ones((2, 3)))
    onp.testing.assert_allclose(out.asnumpy(), [1., 1., 1.])  # mxref
    out = gluon.loss.HuberLoss(batch_axis=1)(pred, nd.array([[0., 2, 1], [0, 0, 1.5]]))
    onp.testing.assert_allclose(out.asnumpy(), [0.25, 0.25, 0.8125])  # mxref


def test_batch_axis_numpy_face(numpy_mode):
    """MXNet's numpy mode ignores batch_axis in the losses it runs (a QUIRK kept); the losses
    only its legacy mode runs keep their legacy formula, batch_axis included."""
    x = np.arange(6.).reshape(2, 3)
    out = gluon.loss.L2Loss(batch_axis=1)(x, np.zeros((2, 3)))
    onp.testing.assert_allclose(out.asnumpy(), [5 / 6, 50 / 6], rtol=1e-6)
    label = np.array([[0., 2, 1], [0, 0, 1.5]])
    d = onp.abs(x.asnumpy() - label.asnumpy())
    huber = onp.where(d > 1, d - 0.5, 0.5 * d * d)
    out = gluon.loss.HuberLoss(batch_axis=1)(x, label)
    onp.testing.assert_allclose(out.asnumpy(), huber.mean(axis=0), rtol=1e-6)
    with pytest.raises(MXNetError, match="batch_axis 2 is out of range"):
        gluon.loss.HingeLoss(batch_axis=2)(x, label)


# ---- CTC ------------------------------------------------------------------------------------
def _ctc_brute_force(logits, seq, blank):
    """-log p(seq | logits) by summing over every path (tiny T and C only)."""
    steps, classes = logits.shape
    logp = logits - onp.log(onp.exp(logits).sum(-1, keepdims=True))
    total = -onp.inf
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [k for k, _ in itertools.groupby(path) if k != blank]
        if collapsed == list(seq):
            total = onp.logaddexp(total, sum(logp[t, p] for t, p in enumerate(path)))
    return -total


def test_ctc_lengths_follow_the_flags(legacy):
    """The length arrays after label are the op's inputs in order, named by the flags:
    CTCLoss(x, y, lengths, use_label_lengths=True) passes label lengths (mxref)."""
    d = nd.array(onp.linspace(-1, 1, 12).reshape(2, 2, 3))
    label = nd.array([[1, 1], [0, 0]])
    for out in (nd.CTCLoss(d, label, nd.array([1, 2]), use_label_lengths=True,
                           blank_label="last"),
                nd.CTCLoss(d, label, label_lengths=nd.array([1, 2]), use_label_lengths=True,
                           blank_label="last")):
        onp.testing.assert_allclose(out.asnumpy(), [0.99578255, 0.], rtol=1e-6)
    # padding that holds real classes past a label's length is not read
    rs = onp.random.RandomState(84)
    logits = rs.uniform(-3, 3, (4, 1, 3))
    out = nd.CTCLoss(nd.array(logits), nd.array([[0, 1, 1, 0]]), nd.array([2]),
                     use_label_lengths=True, blank_label="last")
    onp.testing.assert_allclose(out.asnumpy(), [_ctc_brute_force(logits[:, 0], [0, 1], 2)],
                                rtol=1e-5)
    with pytest.raises(MXNetError, match="take 1 length array"):
        nd.CTCLoss(d, label, use_label_lengths=True, blank_label="last")


def test_ctc_zero_frames(legacy):
    """A sample of 0 frames gives 0, with a 0 gradient (mxref: [0.0, 1.2380588])."""
    d = nd.array(onp.linspace(-1, 1, 12).reshape(2, 2, 3))
    d.attach_grad()
    with autograd.record():
        out = nd.CTCLoss(d, nd.array([[1, 1], [1, 0]]), nd.array([0, 2]),
                         use_data_lengths=True, blank_label="first")
    out.backward()
    onp.testing.assert_allclose(out.asnumpy(), [0., 1.2380588], rtol=1e-6)
    assert (d.grad.asnumpy()[:, 0] == 0).all()
    loss = gluon.loss.CTCLoss()
    pred = nd.array(onp.linspace(-1, 1, 12).reshape(2, 2, 3))  # NTC
    out = loss(pred, nd.array([[0, -1], [1, 0]]), nd.array([0, 2]))
    assert out.asnumpy()[0] == 0


# ---- cells: unroll with valid_length ---------------------------------------------------------
def test_unroll_valid_length_edges(legacy):
    """Length 0 ends in the begin state, a length past the end in the last step (MXNet reads
    out of bounds in both: 0s, garbage, or a crash); a wrongly shaped valid_length raises."""
    cell = gluon.rnn.RNNCell(2, input_size=1)
    cell.initialize(mx.init.One())
    x = nd.ones((3, 3, 1)) * 0.1
    begin = [nd.array([[5., 5.], [6., 6.], [7., 7.]])]
    out, states = cell.unroll(3, x, begin_state=begin, valid_length=nd.array([0, 9, 2]),
                              merge_outputs=True)
    assert out.shape == (3, 3, 2)
    assert (out.asnumpy()[0] == 0).all()
    h = states[0].asnumpy()
    onp.testing.assert_allclose(h[0], [5., 5.])
    # One init sets the weights (biases keep their zeros): h = tanh(x + h1 + h2)
    seq = [onp.tanh(0.1 + 12)]
    for _ in range(2):
        seq.append(onp.tanh(0.1 + 2 * seq[-1]))
    onp.testing.assert_allclose(h[1], [seq[2]] * 2, rtol=1e-6)
    with pytest.raises(MXNetError, match=r"valid_length must have shape \(3,\)"):
        cell.unroll(3, x, valid_length=nd.array([1, 2]))
    bi = gluon.rnn.BidirectionalCell(gluon.rnn.GRUCell(2), gluon.rnn.GRUCell(2))
    bi.initialize()
    with pytest.raises(ValueError, match=r"valid_length must have shape \(3,\)"):
        bi.unroll(3, x, valid_length=nd.array([1, 2]), merge_outputs=True)


# ---- layers: state errors are ValueError (MXNet eagerly) and MXNetError (its graphs) ---------
@pytest.mark.parametrize("hybridize", [False, True])
def test_layer_state_errors(numpy_mode, hybridize):
    layer = gluon.rnn.LSTM(4, input_size=3)
    layer.initialize()
    if hybridize:
        layer.hybridize()
    x = np.ones((2, 2, 3))
    for exc in (ValueError, MXNetError):
        with pytest.raises(exc, match=r"LSTM: Invalid recurrent state shape. Expecting "
                                      r"\(1, 2, 4\), got \(1, 3, 4\)"):
            layer(x, [np.zeros((1, 3, 4)), np.zeros((1, 3, 4))])
        with pytest.raises(exc, match="LSTM takes 2 state array"):
            layer(x, [np.zeros((1, 2, 4))])


def test_loss_size_mismatch_names_the_loss(numpy_mode):
    """MXNet: MXNetError 'Cannot reshape array of size 4 into shape [2,3]' (mxref)."""
    for loss in (gluon.loss.L2Loss(), gluon.loss.SoftmaxCELoss(sparse_label=False)):
        with pytest.raises(MXNetError, match=type(loss).__name__ + r": an input of shape "
                                             r"\(2, 2\) \(4 values\) cannot be reshaped"):
            loss(np.ones((2, 3)), np.ones((2, 2)))
