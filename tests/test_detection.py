"""npx.multibox_prior / multibox_target / multibox_detection / roi_pooling.

Expected numbers were printed by the real MXNet 1.9.1 (``/work/shared/tools/mxref``) on the same
inputs, and are embedded here; roi_pooling is also checked against a NumPy transcription of
MXNet's kernel (tests/grad_rows/detection.py), whose gradient the GradSpec table checks.
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.testing import assert_allclose
from tests.grad_rows.detection import roi_pooling_reference

ANCHOR = [[[0., 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
           [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]]]
LABEL = [[[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]]]
CLS_PRED = [[[2., 0.1, 0.3, 1.0, 0.2], [0.5, 0.2, 0.1, 0.3, 0.9], [0.1, 0.4, 2.0, 0.2, 0.1]]]
BOXES = [[[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95], [0.15, 0.3, 0.62, 0.91],
          [0.55, 0.2, 0.9, 0.88]]]
PROBS = [[[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]]]
LOC = [[0.1, -0.2, 0.3, 0.1, 0.5, 0.5, -0.3, 0.2, 0, 0, 0, 0, 1, 1, 1, 1]]


def test_multibox_prior_matches_mxnet():
    # mxref: npx.multibox_prior(np.zeros((1, 3, 2, 3)), sizes=(0.5, 0.25), ratios=(1, 2, 0.5))
    a = npx.multibox_prior(np.zeros((1, 3, 2, 3)), sizes=(0.5, 0.25), ratios=(1, 2, 0.5))
    assert a.shape == (1, 24, 4) and a.dtype == onp.float32
    assert_allclose(a[0, :5], [[0., 0., 0.33333334, 0.5], [0.08333334, 0.125, 0.25, 0.375],
                               [-0.06903559, 0.07322331, 0.40236893, 0.4267767],
                               [0.04881554, -0.10355338, 0.2845178, 0.6035534],
                               [0.3333333, 0., 0.6666667, 0.5]], rtol=1e-6, atol=1e-7)


def test_multibox_prior_matches_numpy_with_steps_offsets_and_clip():
    got = npx.multibox_prior(np.zeros((2, 1, 3, 2)), sizes=(0.75, 0.3), ratios=(2.0,),
                             clip=True, steps=(0.3, 0.4), offsets=(0.2, 0.7)).asnumpy()
    want = []
    for y in range(3):
        for x in range(2):
            cy, cx = (y + 0.2) * 0.3, (x + 0.7) * 0.4
            for s in (0.75, 0.3):
                w, h = s * 3 / 2 * onp.sqrt(2) / 2, s / onp.sqrt(2) / 2
                want.append([cx - w, cy - h, cx + w, cy + h])
    assert got.shape == (1, 12, 4)
    assert_allclose(got[0], onp.clip(want, 0, 1), rtol=1e-6, atol=1e-7)


def test_multibox_prior_bad_input():
    with pytest.raises(ValueError, match="multibox_prior: data must be 4-D"):
        npx.multibox_prior(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="multibox_prior: .*float32"):
        npx.multibox_prior(np.zeros((1, 1, 2, 2), dtype="float64"))
    with pytest.raises(ValueError, match="multibox_prior: steps must hold 2 numbers"):
        npx.multibox_prior(np.zeros((1, 1, 2, 2)), steps=(0.1,))


def test_multibox_target_matches_mxnet():
    # mxref: npx.multibox_target(anchor, label, np.zeros((1, 3, 5))) (the D2L example)
    loc, mask, cls = npx.multibox_target(np.array(ANCHOR), np.array(LABEL), np.zeros((1, 3, 5)))
    assert_allclose(loc, [[0, 0, 0, 0, 1.3999999, 9.999999, 2.5939689, 7.1754227,
                           -1.1999989, 0.26881757, 1.6823606, -1.5654588, 0, 0, 0, 0,
                           -0.57142794, -1.0000001, -8.9406973e-07, 0.62581623]],
                    rtol=1e-5, atol=1e-6)
    assert_allclose(mask, [[0] * 4 + [1] * 8 + [0] * 4 + [1] * 4], rtol=0)
    assert_allclose(cls, [[0., 1., 2., 0., 2.]], rtol=0)
    assert loc.dtype == mask.dtype == cls.dtype == onp.float32


@pytest.mark.parametrize("params, want", [
    # mxref, with cls_pred=CLS_PRED and only the first label row
    (dict(negative_mining_ratio=1, overlap_threshold=0.6), [-1, 1, 0, -1, -1]),
    (dict(negative_mining_ratio=2, negative_mining_thresh=0.3, ignore_label=-5),
     [-5, 1, 0, -5, 0]),
    (dict(negative_mining_ratio=1.9, overlap_threshold=0.6), [-1, 1, 0, -1, -1]),
    (dict(negative_mining_ratio=10, overlap_threshold=0.6), [0, 1, 0, 0, 0]),
    # MXNet 1.9.1 ignores minimum_negative_samples
    (dict(negative_mining_ratio=0.4, minimum_negative_samples=2), [-1, 1, -1, -1, -1]),
])
def test_multibox_target_negative_mining_matches_mxnet(params, want):
    out = npx.multibox_target(np.array(ANCHOR), np.array(LABEL)[:, :1], np.array(CLS_PRED),
                              **params)
    assert_allclose(out[2], [want], rtol=0)


def test_multibox_target_bipartite_and_padding_match_mxnet():
    label = np.array([[[0, 0.1, 0.08, 0.52, 0.92], [0, 0.1, 0.08, 0.52, 0.92],
                       [0, 0.9, 0.9, 0.95, 0.95]]])
    loc, mask, cls = npx.multibox_target(np.array(ANCHOR), label, np.array(CLS_PRED))
    assert_allclose(loc[0, :8], [10.500001, 14.999999, 3.7096863, 7.175422, 1.3999999,
                                 9.999999, 2.5939689, 7.1754227], rtol=1e-5)
    assert_allclose(cls, [[1., 1., 0., 0., 0.]], rtol=0)
    loc, mask, cls = npx.multibox_target(np.array(ANCHOR), np.full((1, 2, 5), -1.0),
                                         np.array(CLS_PRED), ignore_label=-7)
    assert_allclose(cls, [[-7.0] * 5], rtol=0)
    assert not loc.asnumpy().any() and not mask.asnumpy().any()


def test_multibox_target_bad_input():
    anchor, cls = np.array(ANCHOR), np.zeros((1, 3, 5))
    with pytest.raises(ValueError, match="multibox_target: padding label rows"):
        npx.multibox_target(anchor, np.array([[LABEL[0][0], [-1, 0, 0, 0, 0]]]), cls)
    with pytest.raises(ValueError, match="multibox_target: label must have shape"):
        npx.multibox_target(anchor, np.array(LABEL)[:, :, :4], cls)
    with pytest.raises(ValueError, match="multibox_target: cls_pred must have shape"):
        npx.multibox_target(anchor, np.array(LABEL), np.zeros((1, 3, 4)))


def _detect(**kw):
    return npx.multibox_detection(np.array(PROBS), np.array(LOC), np.array(BOXES), **kw)


def test_multibox_detection_matches_mxnet_d2l_example():
    out = npx.multibox_detection(np.array(PROBS), np.zeros((1, 16)), np.array(BOXES))
    assert out.shape == (1, 4, 6) and out.dtype == onp.float32
    assert_allclose(out, [[[0., 0.9, 0.1, 0.08, 0.52, 0.92], [1., 0.9, 0.55, 0.2, 0.9, 0.88],
                           [-1., 0.8, 0.08, 0.2, 0.56, 0.95],
                           [-1., 0.7, 0.15, 0.3, 0.62, 0.91]]], rtol=1e-6)


BOX = {0: [0.09121433, 0.05471545, 0.53718567, 0.9116846],
       1: [0.11797649, 0.22219595, 0.5700235, 1.],
       2: [0.14999999, 0.3, 0.62, 0.91],
       3: [0.5462545, 0.1927231, 0.97374547, 1.]}


@pytest.mark.parametrize("params, want", [
    (dict(), [[0, .9, *BOX[0]], [1, .9, *BOX[3]], [-1, .8, *BOX[1]], [-1, .7, *BOX[2]]]),
    (dict(background_id=1), [[0, .9, *BOX[0]], [1, .9, *BOX[3]], [-1, .8, *BOX[1]],
                             [-1, .7, *BOX[2]]]),
    (dict(nms_threshold=0), [[0, .9, *BOX[0]], [0, .8, *BOX[1]], [0, .7, *BOX[2]],
                             [1, .9, *BOX[3]]]),
    (dict(threshold=0.95), [[-1] * 6] * 4),
    # the top-k cut leaves the rows past k unsorted, with class -1
    (dict(clip=False, nms_topk=2), [[0, .9, *BOX[0]], [1, .9, *BOX[3][:3], 1.023277],
                                    [-1, .7, *BOX[2]], [-1, .9, *BOX[3][:3], 1.023277]]),
])
def test_multibox_detection_matches_mxnet(params, want):
    assert_allclose(_detect(**params), [want], rtol=2e-6, atol=1e-7)


def test_multibox_detection_force_suppress_across_classes():
    probs = np.array([[[0.5] * 4, [0.3] * 4, [0.3, 0.35, 0.3, 0.2]]])
    out = npx.multibox_detection(probs, np.array(LOC), np.array(BOXES), nms_topk=1)
    # mxref: the same call
    assert_allclose(out[0, :, :2], [[1, .35], [-1, .35], [-1, .3], [-1, .3]], rtol=1e-6)
    boxes = np.array([BOXES[0][:3] + [[0.1, 0.1, 0.5, 0.9]]])  # class 1's box overlaps box 0
    kept = [(npx.multibox_detection(np.array(PROBS), np.zeros((1, 16)), boxes,
                                    force_suppress=f)[0, :, 0].asnumpy() >= 0).sum()
            for f in (False, True)]
    assert kept == [2, 1]  # across classes, only force_suppress suppresses


def test_multibox_detection_bad_input():
    with pytest.raises(ValueError, match="multibox_detection: 4 anchors in cls_prob"):
        npx.multibox_detection(np.array(PROBS), np.array(LOC)[:, :12], np.array(BOXES))
    with pytest.raises(ValueError, match="multibox_detection: variances"):
        _detect(variances=(0.1, 0.2))


def test_roi_pooling_matches_mxnet_forward_and_gradient():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x.attach_grad()
    with autograd.record():
        y = npx.roi_pooling(x, np.array([[0, 0, 0, 3, 3], [0, 0.4, 0.6, 2.5, 1.4]]),
                            pooled_size=(2, 2), spatial_scale=1.0)
    y.backward()
    # mxref: the same calls
    assert_allclose(y, [[[[5., 7.], [13., 15.]]], [[[5., 7.], [5., 7.]]]], rtol=0)
    assert_allclose(x.grad, [[[[0, 0, 0, 0], [0, 3, 0, 3], [0, 0, 0, 0], [0, 1, 0, 1]]]], rtol=0)


def test_roi_pooling_empty_bins_and_malformed_rois_match_mxnet():
    x = -np.arange(16.0).reshape(1, 1, 4, 4)
    rois = np.array([[0, 1, 1, 7, 7], [0, -3, -3, 1, 0], [0, 3, 3, 1, 1], [3, 0, 0, 1, 1]])
    out = npx.roi_pooling(x, rois, pooled_size=(3, 2), spatial_scale=0.5)
    assert_allclose(out[:3, 0], [[[-5, -7], [-9, -11], [-13, -15]], [[0, 0], [0, 0], [0, 0]],
                                 [[-10, -10]] * 3], rtol=0)
    assert_allclose(out[3], onp.zeros((1, 3, 2)), rtol=0)  # batch index out of range: zeros


def test_roi_pooling_matches_numpy_reference():
    data = onp.random.default_rng(0).standard_normal((2, 3, 7, 9)).astype("float32")
    rois = [[1, 0.5, 1.2, 6.7, 5.5], [0, 2, 2, 2, 2], [1, -2, 3, 30, 4], [0, 8, 6, 3, 1]]
    got = npx.roi_pooling(np.array(data), np.array(rois), (4, 3), 0.8)
    assert_allclose(got, roi_pooling_reference(data, rois, (4, 3), 0.8), rtol=0)


def test_roi_pooling_bad_input():
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="roi_pooling: pooled_size"):
        npx.roi_pooling(x, np.array([[0, 0, 0, 1, 1]]), 1, 1.0)
    with pytest.raises(ValueError, match="roi_pooling: expected data"):
        npx.roi_pooling(x, np.array([[0, 0, 1, 1]]), (1, 1), 1.0)
    with pytest.raises(TypeError, match="roi_pooling: rois"):
        npx.roi_pooling(x, np.array([[0, 0, 0, 1, 1]], dtype="float64"), (1, 1), 1.0)
