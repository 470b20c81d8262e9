"""Gradients of the mx.nd operators against central differences (mxnp.testing.check_grads),
and the loss layers' backward (which is not the derivative of their forward, by MXNet's
definition) against values recorded from MXNet 1.9.1 with tools/mxref."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import ndarray as nd
from mxnp.testing import check_grads

RNG = onp.random.default_rng(1)


def arr(*shape, low=-1.0, high=1.0):
    return nd.array(RNG.uniform(low, high, shape), dtype="float64")


def pos(*shape):
    return arr(*shape, low=0.5, high=1.5)


# (name, function of the array arguments, arguments): every differentiable legacy op family
CASES = [
    ("FullyConnected", lambda x, w, b: nd.FullyConnected(x, w, b, num_hidden=3),
     (arr(2, 4), arr(3, 4), arr(3))),
    ("FullyConnected_noflatten", lambda x, w: nd.FullyConnected(x, w, no_bias=True, num_hidden=3,
                                                                flatten=False),
     (arr(2, 2, 4), arr(3, 4))),
    ("Convolution", lambda x, w, b: nd.Convolution(x, w, b, kernel=(2, 2), num_filter=2,
                                                   stride=(1, 1), pad=(1, 0)),
     (arr(1, 2, 3, 3), arr(2, 2, 2, 2), arr(2))),
    ("Deconvolution", lambda x, w: nd.Deconvolution(x, w, kernel=(2, 2), num_filter=2,
                                                    stride=(2, 2)),
     (arr(1, 2, 2, 2), arr(2, 2, 2, 2))),
    ("Pooling_avg", lambda x: nd.Pooling(x, kernel=(2, 2), pool_type="avg"), (arr(1, 1, 3, 3),)),
    ("Pooling_max", lambda x: nd.Pooling(x, kernel=(2, 2), stride=(2, 2)),
     (nd.array(RNG.permutation(16).reshape(1, 1, 4, 4), dtype="float64"),)),
    ("Activation", lambda x: nd.Activation(x, act_type="softrelu"), (arr(2, 3),)),
    ("LeakyReLU", lambda x: nd.LeakyReLU(x, act_type="elu"), (arr(2, 3),)),
    ("LayerNorm", lambda x, g, b: nd.LayerNorm(x, g, b), (arr(2, 3), arr(3), arr(3))),
    ("InstanceNorm", lambda x, g, b: nd.InstanceNorm(x, g, b), (arr(2, 2, 3), arr(2), arr(2))),
    ("GroupNorm", lambda x, g, b: nd.GroupNorm(x, g, b, num_groups=2),
     (arr(2, 4, 2), arr(2), arr(2))),
    ("L2Normalization", lambda x: nd.L2Normalization(x, mode="channel"), (arr(2, 3, 2),)),
    ("LRN", lambda x: nd.LRN(x, nsize=3, alpha=0.1), (arr(1, 4, 2),)),
    ("Embedding", lambda w: nd.Embedding(nd.array([[1, 0, 1]]), w, input_dim=2, output_dim=3),
     (arr(2, 3),)),
    ("softmax", lambda x: nd.softmax(x, axis=0), (arr(3, 2),)),
    ("log_softmax", lambda x: nd.log_softmax(x), (arr(3, 2),)),
    ("softmin", lambda x: nd.softmin(x), (arr(3, 2),)),
    ("SoftmaxActivation", lambda x: nd.SoftmaxActivation(x, mode="channel"), (arr(2, 3, 2),)),
    ("softmax_cross_entropy", lambda x: nd.softmax_cross_entropy(x, nd.array([0, 2])),
     (arr(2, 3),)),
    ("dot", lambda a, b: nd.dot(a, b, transpose_b=True), (arr(2, 3), arr(4, 3))),
    ("batch_dot", lambda a, b: nd.batch_dot(a, b, transpose_a=True), (arr(2, 3, 2), arr(2, 3, 4))),
    ("khatri_rao", lambda a, b: nd.khatri_rao(a, b), (arr(2, 3), arr(3, 3))),
    ("norm", lambda x: nd.norm(x, axis=1), (pos(2, 3),)),
    ("moments", lambda x: nd.moments(x, axes=(1,)), (arr(2, 3),)),
    ("smooth_l1", lambda x: nd.smooth_l1(x, scalar=2.0),
     (nd.array([-1.0, -0.3, 0.1, 0.4, 2.0], dtype="float64"),)),
    ("broadcast_ops", lambda a, b: nd.broadcast_mul(a, b) + nd.broadcast_div(a, b)
     - nd.broadcast_power(b, a), (pos(2, 3), pos(1, 3))),
    ("broadcast_minmax", lambda a, b: nd.broadcast_maximum(a, b) * nd.broadcast_minimum(a, b)
     + nd.broadcast_hypot(a, b), (arr(2, 3), arr(2, 3))),
    ("unary", lambda x: nd.sqrt(x) + nd.rsqrt(x) + nd.cbrt(x) + nd.exp(x) + nd.log1p(x)
     + nd.tanh(x) + nd.arcsinh(x) + nd.reciprocal(x) + nd.square(x) + nd.softsign(x), (pos(3),)),
    ("reductions", lambda x: nd.sum(x, axis=0, exclude=True) + nd.mean(x) + nd.prod(x, axis=1)
     + nd.nansum(x), (pos(2, 3),)),
    ("max_min", lambda x: nd.max(x, axis=1) - nd.min(x, axis=1),
     (nd.array(RNG.permutation(6).reshape(2, 3), dtype="float64"),)),
    ("shape_ops", lambda x: nd.concat(nd.transpose(x), nd.flip(nd.transpose(x), axis=0), dim=1)
     * nd.tile(nd.slice_axis(nd.transpose(x), axis=1, begin=0, end=1), reps=(1, 4)),
     (arr(2, 3),)),
    ("split_stack", lambda x: nd.stack(*nd.split(x, num_outputs=2, axis=1), axis=0)
     * nd.repeat(nd.expand_dims(nd.sum(x, axis=1), 1), repeats=1, axis=1), (arr(3, 4),)),
    ("slice_pad", lambda x: nd.Pad(nd.slice(x, begin=(0, 0, 1, 0), end=(1, 2, 3, 2)),
                                   mode="edge", pad_width=(0, 0, 0, 0, 1, 1, 0, 2)),
     (arr(1, 2, 3, 2),)),
    ("Reshape", lambda x: nd.Reshape(x, shape=(-3, 0)) * 2, (arr(2, 3, 4),)),
    ("indexing", lambda x: nd.take(x, nd.array([2, 0])) + nd.pick(x, nd.array([1, 0, 2]))
     .reshape((-1, 1))[:2] + nd.gather_nd(x, nd.array([[0, 1], [2, 2]])).reshape((2, 1)),
     (arr(3, 3),)),
    ("scatter_nd", lambda d: nd.scatter_nd(d, nd.array([[0, 1], [2, 0]]), shape=(2, 3)),
     (arr(2),)),
    ("where", lambda x, y: nd.where(nd.array([1, 0, 1]), x, y), (arr(3, 2), arr(3, 2))),
    ("sequence", lambda x: nd.SequenceReverse(x, nd.array([2, 3]), use_sequence_length=True)
     + nd.SequenceMask(x, nd.array([1, 2]), use_sequence_length=True)
     + nd.SequenceLast(x, nd.array([3, 1]), use_sequence_length=True), (arr(3, 2),)),
    ("UpSampling", lambda x: nd.UpSampling(x, scale=2, sample_type="nearest"), (arr(1, 1, 2, 2),)),
    ("Crop", lambda x: nd.Crop(x, h_w=(2, 1), offset=(1, 1)), (arr(1, 1, 3, 3),)),
    ("add_n", lambda a, b: nd.add_n(a, b, a), (arr(2), arr(2))),
    ("RNN", lambda x, p: nd.RNN(x, p, nd.zeros((1, 1, 2), dtype="float64"), state_size=2,
                                num_layers=1, mode="gru"),
     (arr(2, 1, 2), arr(3 * 2 * (2 + 2 + 2)))),
    ("BatchNorm", lambda x, g, b: nd.BatchNorm(x, g, b, nd.zeros(2, dtype="float64"),
                                               nd.ones(2, dtype="float64"), fix_gamma=False,
                                               use_global_stats=True),
     (arr(2, 2, 2), arr(2), arr(2))),
]


@pytest.mark.parametrize("name, f, args", CASES, ids=[c[0] for c in CASES])
def test_gradient_matches_central_differences(name, f, args):
    check_grads(f, *args, order=1)


LINALG = [
    ("gemm", lambda a, b, c: nd.linalg.gemm(a, b, c, transpose_b=True, alpha=2.0, beta=0.5),
     (arr(2, 3), arr(2, 3), arr(2, 2))),
    ("potrf_potri", lambda a: nd.linalg.potri(nd.linalg.potrf(nd.linalg.syrk(a) + 3 * nd.eye(
        2, dtype="float64"))), (arr(2, 2),)),
    ("trsm_trmm", lambda a, b: nd.linalg.trsm(a + 3 * nd.eye(2, dtype="float64"), b,
                                              rightside=True, alpha=2.0)
     + nd.linalg.trmm(a, b, transpose=True), (arr(2, 2), arr(2, 2))),
    ("gelqf", lambda a: nd.linalg.gelqf(a)[1], (arr(2, 3),)),
    ("det_inverse_slogdet", lambda a: nd.linalg.det(a) + nd.linalg.inverse(a).sum()
     + nd.linalg.slogdet(a)[1], (arr(2, 2) + 2 * nd.eye(2, dtype="float64"),)),
    ("diag_trian", lambda a: nd.linalg.maketrian(nd.linalg.extracttrian(a, offset=-1), offset=-1)
     + nd.linalg.makediag(nd.linalg.extractdiag(a)) + nd.linalg.sumlogdiag(a * a + 1),
     (arr(3, 3),)),
    ("pdf", lambda s, mu, sig: nd.random_pdf_normal(s, mu, sig)
     + nd.random_pdf_gamma(s * s + 0.5, sig, sig) + nd.random_pdf_exponential(s * s, sig),
     (arr(2, 3), arr(2), pos(2))),
    ("contrib", lambda a, b: nd.contrib.box_iou(a * 0.1 + nd.array([[0, 0, 1, 1]], dtype="f8"),
                                                b * 0.1 + nd.array([[.5, .5, 1.5, 1.5]], dtype="f8"))
     + nd.contrib.div_sqrt_dim(a)[:, :1], (arr(1, 4), arr(1, 4))),
    ("interleaved", lambda qkv: nd.contrib.interleaved_matmul_selfatt_valatt(
        qkv, nd.contrib.interleaved_matmul_selfatt_qk(qkv, heads=2), heads=2), (arr(3, 1, 12),)),
    ("bilinear", lambda x: nd.contrib.BilinearResize2D(x, height=3, width=4)
     .sum(axis=(2, 3)) + nd.contrib.AdaptiveAvgPooling2D(x, output_size=2).sum(axis=(2, 3)),
     (arr(1, 1, 3, 3),)),
    ("index_copy", lambda old, new: nd.contrib.index_copy(old, nd.array([2, 0]), new),
     (arr(3, 2), arr(2, 2))),
    ("im2col", lambda x: nd.col2im(nd.im2col(x, kernel=(2, 2)), output_size=(3, 3),
                                   kernel=(2, 2)), (arr(1, 2, 3, 3),)),
]


@pytest.mark.parametrize("name, f, args", LINALG, ids=[c[0] for c in LINALG])
def test_linalg_contrib_gradients(name, f, args):
    check_grads(f, *args, order=1)


def _backward(op, x, *args, head=None, **kw):
    x.attach_grad()
    with autograd.record():
        y = op(x, *args, **kw)
    y.backward(head)
    return y, x.grad


def test_softmax_output_backward_is_p_minus_onehot():
    # recorded from MXNet 1.9.1: grad_scale=2 with a head gradient of 5 (ignored)
    x = nd.array([[1, 2, 3], [1, 0, -1]])
    y, g = _backward(nd.SoftmaxOutput, x, nd.array([2, 0]), grad_scale=2,
                     head=nd.ones((2, 3)) * 5)
    onp.testing.assert_allclose(y.asnumpy(), [[0.09003057, 0.24472848, 0.66524094],
                                              [0.66524094, 0.24472848, 0.09003057]], rtol=1e-6)
    onp.testing.assert_allclose(g.asnumpy(), [[0.18006115, 0.48945695, -0.6695181],
                                              [-0.6695181, 0.48945695, 0.18006115]], rtol=1e-6)
    _, g = _backward(nd.SoftmaxOutput, x, nd.array([2, -1]), use_ignore=True,
                     normalization="valid")
    onp.testing.assert_allclose(g.asnumpy(), [[0.09003057, 0.24472848, -0.33475906], [0, 0, 0]],
                                rtol=1e-6)
    _, g = _backward(nd.SoftmaxOutput, x, nd.array([2, 0]), normalization="batch")
    onp.testing.assert_allclose(g.asnumpy()[0], [0.04501529, 0.12236424, -0.16737953], rtol=1e-6)


def test_softmax_output_multi_output_divides_by_positions():
    # recorded from MXNet 1.9.1: data arange(24)/10 as (2, 3, 4), labels per position
    x = nd.arange(24).reshape((2, 3, 4)) / 10
    label = nd.array([[0, 1, 2, 0], [2, 2, 1, 1]])
    _, g = _backward(nd.SoftmaxOutput, x, label, multi_output=True)
    onp.testing.assert_allclose(g.asnumpy()[0, :, 0], [-0.19700432, 0.07906026, 0.11794406],
                                rtol=1e-6)



def test_softmax_output_of_more_axes_is_one_softmax_per_sample():
    # recorded from MXNet 1.9.1 (mxref): without multi_output, (2, 2, 3) data is softmaxed over
    # each sample's 6 values, and the label's first 2 values (not its first column) are read
    x = nd.arange(12).reshape((2, 2, 3)) / 4
    y, g = _backward(nd.SoftmaxOutput, x, nd.array([[2, 0], [5, 1]]))
    row = [[0.08158, 0.10475, 0.1345], [0.1727, 0.22175, 0.28473]]
    onp.testing.assert_allclose(y.asnumpy(), [row, row], atol=1e-5)
    onp.testing.assert_allclose(g.asnumpy(), [[[0.08158, 0.10475, -0.8655], row[1]],
                                              [[-0.91842, 0.10475, 0.1345], row[1]]], atol=1e-5)
    with pytest.raises(Exception, match="fewer than the 2 values"):
        nd.SoftmaxOutput(x, nd.array([1]))

def test_regression_outputs_and_make_loss():
    # recorded from MXNet 1.9.1
    x = nd.array([[1, 2, 3], [1, 0, -1]])
    zero = nd.zeros((2, 3))
    y, g = _backward(nd.LinearRegressionOutput, x, zero, grad_scale=3)
    onp.testing.assert_allclose(g.asnumpy(), x.asnumpy())
    y, g = _backward(nd.LogisticRegressionOutput, x, zero)
    onp.testing.assert_allclose(g.asnumpy(), [[0.2436862, 0.293599, 0.31752473],
                                              [0.2436862, 0.16666667, 0.08964714]], rtol=1e-6)
    _, g = _backward(nd.MAERegressionOutput, x, zero)
    onp.testing.assert_allclose(g.asnumpy(), onp.array([[1, 1, 1], [1, -1, -1]]) / 3, rtol=1e-6)
    y, g = _backward(lambda v: nd.MakeLoss(v * 2, grad_scale=3), x)
    onp.testing.assert_allclose(y.asnumpy(), 2 * x.asnumpy())
    onp.testing.assert_allclose(g.asnumpy(), onp.full((2, 3), 6.0))
    _, g = _backward(lambda v: nd.MakeLoss(v * 2, normalization="batch"), x)
    onp.testing.assert_allclose(g.asnumpy(), onp.ones((2, 3)))
    y = nd.LinearRegressionOutput(nd.array([[1], [2]]), nd.zeros((2,)))
    assert y.shape == (2, 1)


def test_straight_through_and_gradient_multiplier():
    x = nd.array([0.4, 1.6])
    y, g = _backward(nd.contrib.round_ste, x)
    onp.testing.assert_array_equal(y.asnumpy(), [0, 2])
    onp.testing.assert_array_equal(g.asnumpy(), [1, 1])
    y, g = _backward(lambda v: nd.contrib.gradientmultiplier(v, scalar=-2.0), x)
    onp.testing.assert_allclose(y.asnumpy(), x.asnumpy())
    onp.testing.assert_array_equal(g.asnumpy(), [-2, -2])


def test_batch_norm_training_updates_the_moving_statistics():  # MXNet 1.9.1
    x, g, b = nd.array([[1.0, 2.0], [3.0, 6.0]]), nd.array([1.0, 2.0]), nd.zeros(2)
    mm, mv = nd.zeros(2), nd.ones(2)
    x.attach_grad()
    g.attach_grad()
    with autograd.record():
        y = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False, momentum=0.9)
        z = (y * nd.array([[1, 2], [3, 4]])).sum()
    z.backward()
    onp.testing.assert_allclose(y.asnumpy(), [[-0.9995004, -1.9997501], [0.9995004, 1.9997501]],
                                rtol=1e-6)
    onp.testing.assert_allclose(mm.asnumpy(), [0.2, 0.4], rtol=1e-6)
    onp.testing.assert_allclose(mv.asnumpy(), [1.0, 1.3], rtol=1e-6)
    onp.testing.assert_allclose(x.grad.asnumpy(), [[-0.00099847, -0.00024983],
                                                   [0.00099847, 0.00024983]], rtol=1e-3)
    onp.testing.assert_allclose(g.grad.asnumpy(), [1.9990008, 1.9997501], rtol=1e-6)
    out, mean, std = nd.BatchNorm(x, g, b, mm, mv, output_mean_var=True)
    assert out.shape == x.shape
    onp.testing.assert_allclose(mean.asnumpy(), [0.2, 0.4], rtol=1e-6)
    onp.testing.assert_allclose(std.asnumpy(), [0.9995004, 0.87672085], rtol=1e-6)


def test_dropout_in_training_scales_the_kept_entries():
    x = nd.ones((2000,))
    with autograd.record():
        y = nd.Dropout(x, p=0.25)
    kept = y.asnumpy()
    assert set(onp.unique(kept).tolist()) <= {0.0, float(onp.float32(1 / 0.75))}
    assert abs((kept == 0).mean() - 0.25) < 0.05
