"""mx.nd's fused optimizer updates, samplers, linalg and contrib detection helpers.

Expected values marked "MXNet 1.9.1" were printed by tools/mxref running the same calls."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp
from mxnp import autograd
from mxnp import ndarray as nd
from mxnp.testing import check_grads


def vals(a):
    return onp.round(a.asnumpy().ravel().astype("float64"), 5).tolist()


def w_g():
    return nd.ones(2), nd.array([1, -1])


def test_sgd_family():  # MXNet 1.9.1
    w, g = w_g()
    assert vals(nd.sgd_update(w, g, lr=0.1, wd=0.1, rescale_grad=2, clip_gradient=1.5)) == \
        [0.84, 1.14]
    m = nd.ones(2)
    assert vals(nd.sgd_mom_update(w, g, m, lr=0.1, momentum=0.9, wd=0.01)) == [1.799, 1.999]
    assert vals(m) == [0.799, 0.999]
    m = nd.ones(2)
    assert vals(nd.nag_mom_update(w, g, m, lr=0.1, momentum=0.9, wd=0.01)) == [1.6181, 1.9981]
    assert vals(m) == [0.799, 0.999]
    assert vals(nd.signsgd_update(w, g, lr=0.1, wd=0.01)) == [0.899, 1.099]
    m = nd.ones(2)
    assert vals(nd.signum_update(w, g, m, lr=0.1, momentum=0.9, wd=0.01, wd_lh=0.1)) == \
        [1.09, 1.09]
    assert vals(m) == [0.799, 0.999]


def test_adaptive_updates():  # MXNet 1.9.1
    w, g = w_g()
    mean, var = nd.zeros(2) + 0.1, nd.zeros(2) + 0.2
    assert vals(nd.adam_update(w, g, mean, var, lr=0.1, wd=0.1)) == pytest.approx(
        [0.95539, 1.0], abs=2e-5)
    assert vals(mean) == pytest.approx([0.2, 0.0]) and vals(var) == [0.20101, 0.20061]
    n = nd.ones(2)
    assert vals(nd.rmsprop_update(w, g, n, lr=0.1, clip_weights=0.95)) == [0.9, 0.95]
    n, gbar, delta = nd.ones(2), nd.zeros(2) + 0.1, nd.zeros(2)
    assert vals(nd.rmspropalex_update(w, g, n, gbar, delta, lr=0.1)) == pytest.approx(
        [0.89893, 1.1001], abs=2e-5)
    d, v, z = nd.zeros(2) + 0.5, nd.zeros(2) + 0.5, nd.zeros(2) + 0.5
    assert vals(nd.ftml_update(w, g, d, v, z, lr=0.1, t=2)) == pytest.approx(
        [0.990125, 0.998025], abs=2e-5)
    assert vals(z) == pytest.approx([-100.269768, -101.069763], abs=1e-3)
    z, n = nd.zeros(2) + 0.5, nd.ones(2)
    assert vals(nd.ftrl_update(w, g, z, n, lr=0.1)) == pytest.approx([0.109027, 0.191869],
                                                                      abs=2e-5)
    assert vals(z) == pytest.approx([-2.642135, -4.642135], abs=1e-4)


@pytest.mark.parametrize("op, given, missing", [
    ("ftml_update", {"lr": 0.1}, "t of int"),
    ("lamb_update_phase1", {"t": 1}, "wd of float"),
    ("lamb_update_phase1", {"wd": 0.0}, "t of int"),
    ("mp_lamb_update_phase1", {"t": 1}, "wd of float"),
])
def test_update_operators_require_their_step_and_decay(op, given, missing):  # MXNet 1.9.1
    arrays = {"ftml_update": 5, "lamb_update_phase1": 4, "mp_lamb_update_phase1": 5}[op]
    inputs = [nd.ones(2, dtype="float16" if op.startswith("mp") and k < 2 else "float32")
              for k in range(arrays)]
    with pytest.raises(mxnp.base.MXNetError, match=f"Required parameter {missing} is not"):
        getattr(nd, op)(*inputs, **given)


def test_lamb_lars_and_mixed_precision():  # MXNet 1.9.1
    w, g = w_g()
    assert vals(nd.lamb_update_phase1(w, g, nd.zeros(2), nd.zeros(2), t=1, wd=0.1)) == \
        pytest.approx([1.1, -0.9], abs=1e-5)
    assert vals(nd.lamb_update_phase2(w, g, nd.array([2.0]), nd.array([4.0]), lr=0.1,
                                      lower_bound=3.0)) == [0.925, 1.075]
    w16, w32 = nd.ones(2, dtype="float16"), nd.ones(2)
    got = nd.mp_sgd_update(w16, g.astype("float16"), w32, lr=0.5, out=w16)
    assert got is w16 and got.dtype == onp.float16
    assert vals(w16) == [0.5, 1.5] and vals(w32) == [0.5, 1.5]
    lrs = nd.multi_lars(nd.array([0.1, 0.1]), nd.array([4.0, 0.0]), nd.array([1.0, 1.0]),
                        nd.array([0.1, 0.0]), eta=0.01, eps=0.0, rescale_grad=2)
    assert vals(lrs) == pytest.approx([0.000909, 0.1], abs=2e-6)


def test_multi_updates_match_the_single_ones():
    ws = [nd.ones(2), nd.ones(3)]
    gs = [nd.array([1, 2]), nd.array([3, 4, 5])]
    outs = nd.multi_sgd_update(ws[0], gs[0], ws[1], gs[1], lrs=(0.1, 0.2), wds=(0.0, 0.1),
                               num_weights=2, out=ws)
    assert outs[0] is ws[0]
    assert vals(ws[0]) == [0.9, 0.8] and vals(ws[1]) == pytest.approx([0.38, 0.18, -0.02])
    moms = [nd.zeros(2)]
    got = nd.preloaded_multi_sgd_mom_update(nd.ones(2), nd.array([1, 2]), moms[0],
                                            nd.array([0.5]), nd.array([0.0]), momentum=0.9)
    assert vals(got[0]) == [0.5, 0.0] and vals(moms[0]) == [-0.5, -1.0]


def test_updates_are_not_recorded():
    w = nd.ones(2)
    w.attach_grad()
    with autograd.record():
        new = nd.sgd_update(w, nd.ones(2), lr=0.1)
    assert vals(new) == [0.9, 0.9]
    with pytest.raises(Exception, match="not in a computational graph"):
        new.backward()


def test_random_shapes_dtypes_and_parameters():
    mxnp.random.seed(3)
    assert nd.random.uniform(shape=(2, 3)).shape == (2, 3)
    assert nd.random.uniform(0, 1).shape == (1,)
    draws = nd.random.normal(nd.array([0, 100]), nd.array([1, 1]), shape=500)
    assert draws.shape == (2, 500) and type(draws) is nd.NDArray
    assert abs(draws[0].mean().asscalar()) < 0.3 and abs(draws[1].mean().asscalar() - 100) < 0.3
    assert nd.random.randint(0, 10, shape=(2,)).dtype == onp.int32
    assert nd.random.randn(2, 3).shape == (2, 3)
    assert nd.random.exponential(shape=(2,)).dtype == onp.float32
    lam = nd.random.poisson(nd.array([1, 20]), shape=400)
    assert lam.shape == (2, 400) and abs(lam[1].mean().asscalar() - 20) < 1.5
    assert nd.random.gamma(2.0, 3.0, shape=1000).mean().asscalar() == pytest.approx(6, rel=0.15)
    nb = nd.random.negative_binomial(k=3, p=0.5, shape=2000).mean().asscalar()
    assert nb == pytest.approx(3, rel=0.15)
    gnb = nd.random.generalized_negative_binomial(mu=2.0, alpha=0.5, shape=2000)
    assert gnb.mean().asscalar() == pytest.approx(2, rel=0.15)
    assert nd.random.uniform_like(nd.ones((2, 2))).shape == (2, 2)
    assert nd.random_uniform(shape=(2,)).shape == (2,)
    # the operator forms: rates for the exponential, arrays of parameters for sample_*
    assert nd.random_exponential(lam=4, shape=(4000,)).mean().asscalar() == pytest.approx(
        0.25, rel=0.1)
    assert nd.sample_exponential(nd.array([4.0]), shape=4000).mean().asscalar() == \
        pytest.approx(0.25, rel=0.1)
    assert nd.random.exponential(scale=4, shape=(4000,)).mean().asscalar() == pytest.approx(
        4, rel=0.1)
    assert nd.sample_normal(mu=nd.array([0, 10]), sigma=nd.array([1, 1]), shape=2).shape == \
        (2, 2)
    assert nd.sample_gamma(nd.array([2.0]), nd.array([3.0]), shape=4000).mean().asscalar() == \
        pytest.approx(6, rel=0.1)
    assert nd.random.normal_like(nd.ones((2,)), 0, 1).shape == (2,)
    assert nd.random_uniform(0, 1, (2,), None, "float64").dtype == onp.float64
    shuffled = nd.random.shuffle(nd.arange(10))
    assert sorted(shuffled.asnumpy().tolist()) == list(range(10))


def test_multinomial():
    mxnp.random.seed(0)
    onp.testing.assert_array_equal(nd.random.multinomial(nd.array([[0.0, 1.0]]), shape=2)
                                   .asnumpy(), [[1, 1]])
    assert nd.random.multinomial(nd.array([0.0, 1.0])).asnumpy().tolist() == [1]
    probs = nd.array([[0.2, 0.8]])
    probs.attach_grad()
    with autograd.record():
        samples, logp = nd.random.multinomial(probs, shape=3, get_prob=True)
    logp.backward()
    s = samples.asnumpy()[0]
    onp.testing.assert_allclose(logp.asnumpy()[0], onp.log([0.2, 0.8])[s], rtol=1e-6)
    onp.testing.assert_allclose(probs.grad.asnumpy()[0],
                                [(s == 0).sum() / 0.2, (s == 1).sum() / 0.8], rtol=1e-6)
    counts = onp.bincount(nd.random.multinomial(nd.array([0.25, 0.75]), shape=4000)
                          .asnumpy(), minlength=2)
    assert counts[1] / 4000 == pytest.approx(0.75, abs=0.03)


def test_pdfs_against_scipy_free_formulas():  # values: MXNet 1.9.1
    s = nd.array([[1.0, 2.0]])
    assert vals(nd.random_pdf_gamma(s, nd.array([2.0]), nd.array([3.0]))) == pytest.approx(
        [0.44808, 0.04462], abs=1e-5)
    assert vals(nd.random_pdf_normal(s, nd.array([0.5]), nd.array([2.0]), is_log=True)) == \
        pytest.approx([-1.64334, -1.89334], abs=1e-5)
    assert vals(nd.random_pdf_poisson(s, nd.array([2.0]))) == pytest.approx([0.27067] * 2,
                                                                             abs=1e-5)
    assert vals(nd.random_pdf_negative_binomial(s, nd.array([2.0]), nd.array([0.3]))) == \
        pytest.approx([0.126, 0.1323], abs=1e-5)
    assert vals(nd.random_pdf_generalized_negative_binomial(s, nd.array([2.0]),
                                                            nd.array([0.3]))) == \
        pytest.approx([0.26092, 0.212], abs=1e-5)
    assert vals(nd.random_pdf_dirichlet(nd.array([[[0.2, 0.8], [0.5, 0.5]]]),
                                        nd.array([[1.0, 2.0]]))) == pytest.approx([1.6, 1.0])
    assert vals(nd.random_pdf_exponential(s, nd.array([2.0]))) == pytest.approx(
        [0.27067, 0.03663], abs=1e-5)


def test_linalg_matches_mxnet():  # MXNet 1.9.1
    a = nd.array([[4, 1], [1, 3]])
    assert vals(nd.linalg.potrf(a)) == pytest.approx([2, 0, 0.5, 1.65831], abs=1e-5)
    assert vals(nd.linalg.potri(nd.linalg.potrf(a))) == pytest.approx(
        [0.27273, -0.09091, -0.09091, 0.36364], abs=1e-5)
    q, lq = nd.linalg.gelqf(nd.array([[1, 2, 3], [4, 5, 6]]))
    assert vals(lq) == pytest.approx([-3.74166, 0, -8.55236, 1.96396], abs=1e-4)
    onp.testing.assert_allclose((lq.asnumpy() @ q.asnumpy()), [[1, 2, 3], [4, 5, 6]], atol=1e-5)
    vecs, lam = nd.linalg.syevd(a)
    assert vals(lam) == pytest.approx([2.38197, 4.61803], abs=1e-5)
    onp.testing.assert_allclose(onp.abs(vecs.asnumpy()), [[0.52573, 0.85065], [0.85065, 0.52573]],
                                atol=1e-5)
    m = nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert vals(nd.linalg.extracttrian(m)) == [1, 4, 5, 7, 8, 9]
    assert vals(nd.linalg.extracttrian(m, offset=1)) == [2, 3, 6]
    assert vals(nd.linalg.extracttrian(m, lower=False)) == [1, 2, 5, 3, 6, 9]
    assert vals(nd.linalg.maketrian(nd.array([1, 2, 3]), offset=1)) == [0, 1, 2, 0, 0, 3, 0, 0, 0]
    assert vals(nd.linalg.maketrian(nd.array([1, 2, 3]))) == [1, 0, 2, 3]
    sign, logdet = nd.linalg.slogdet(a)
    assert sign.shape == (1,) and vals(logdet) == pytest.approx([2.3979], abs=1e-4)
    assert vals(nd.linalg.det(a)) == pytest.approx([11])
    assert nd.linalg.sumlogdiag(a).shape == (1,)
    assert vals(nd.linalg.trsm(nd.array([[2, 0], [1, 1]]), nd.array([[2, 4], [3, 5]]),
                               alpha=2)) == [2, 4, 4, 6]
    assert vals(nd.linalg.trmm(nd.array([[2, 0], [1, 1]]), nd.array([[2, 4], [3, 5]]),
                               rightside=True, transpose=True)) == [4, 6, 6, 8]
    assert vals(nd.linalg.makediag(nd.array([1, 2]), offset=1)) == [0, 1, 0, 0, 0, 2, 0, 0, 0]
    assert vals(nd.linalg.gemm(nd.ones((2, 3)), nd.ones((3, 2)), nd.ones((2, 2)), alpha=2,
                               beta=-1)) == [5] * 4
    assert nd.linalg_syrk is nd.linalg.syrk


@pytest.mark.parametrize("shapes, message", [  # messages: MXNet 1.9.1 (mxref)
    (((2, 2), (2, 3), (3, 2)), "Shape inconsistent, Provided = [3,2], inferred shape=[2,3]"),
    (((2, 2), (2, 2, 3), (2, 3, 2)), "Operator _linalg_gemm inferring shapes failed."),
    (((3,), (3,), (3,)), "Operator _linalg_gemm inferring shapes failed."),
    (((2, 3), (4, 4), (2, 4)), "(3 vs. 4) : Incompatible matrix dimensions for multiplication"),
    (((1, 2, 3), (2, 3, 4), (2, 2, 4)),
     "(1 vs. 2) : Shapes of inputs 0, 1 must be the same, except on row/col axis"),
    (((2, 3), (2, 3, 4)), "Operator _linalg_gemm2 inferring shapes failed."),
    (((2, 3), (4, 5)), "(3 vs. 4) : Incompatible matrix dimensions for multiplication"),
])
def test_gemm_checks_shapes_as_mxnet(shapes, message):
    # MXNet neither broadcasts the batch axes nor C: all of one rank, C the product's shape
    op = nd.linalg.gemm if len(shapes) == 3 else nd.linalg.gemm2
    with pytest.raises(mxnp.MXNetError) as e:
        op(*(nd.ones(s) for s in shapes))
    assert message in str(e.value)


def test_gemm_transposes_and_batches_check_the_inner_dims():  # MXNet 1.9.1
    assert nd.linalg.gemm(nd.ones((2, 3)), nd.ones((2, 3)), nd.ones((3, 3)),
                          transpose_a=True).shape == (3, 3)
    with pytest.raises(mxnp.MXNetError, match=r"Provided = \[2,2\], inferred shape=\[3,3\]"):
        nd.linalg.gemm(nd.ones((2, 3)), nd.ones((2, 3)), nd.ones((2, 2)), transpose_a=True)
    assert nd.linalg.gemm2(nd.ones((2, 2, 3)), nd.ones((2, 3, 4))).shape == (2, 2, 4)


def test_box_nms_drops_the_background_class_and_passes_gradients_to_kept_rows():
    # MXNet 1.9.1 (mxref): id -1 is the default background_id, so its row goes; each kept
    # row's gradient reaches the row it came from, whatever out_format
    boxes = nd.array([[0, 0.5, 0.1, 0.1, 0.2, 0.2], [1, 0.4, 0.1, 0.1, 0.2, 0.2],
                      [0, 0.3, 0.1, 0.1, 0.14, 0.14], [-1, 0.6, 0.5, 0.5, 0.7, 0.8]])
    boxes.attach_grad()
    with autograd.record():
        out = nd.contrib.box_nms(boxes, overlap_thresh=0.5, force_suppress=True, id_index=0,
                                 out_format="center")
    out.backward(nd.arange(24).reshape((4, 6)))
    onp.testing.assert_allclose(out.asnumpy()[:2], [[0, 0.5, 0.15, 0.15, 0.1, 0.1],
                                                    [0, 0.3, 0.12, 0.12, 0.04, 0.04]], rtol=1e-6)
    assert (out.asnumpy()[2:] == -1).all()
    assert boxes.grad.asnumpy().tolist() == [[0, 1, 2, 3, 4, 5], [0] * 6, [6, 7, 8, 9, 10, 11],
                                             [0] * 6]


def test_box_helpers_match_mxnet():  # MXNet 1.9.1
    boxes = nd.array([[[0, 0.9, 0, 0, 1, 1], [1, 0.8, 0.1, 0.1, 1, 1], [0, 0.7, 2, 2, 3, 3],
                       [0, 0.1, 0, 0, 0.5, 0.5]]])
    kept = nd.contrib.box_nms(boxes, overlap_thresh=0.5, valid_thresh=0.2, coord_start=2,
                              score_index=1, id_index=0)
    want = boxes.asnumpy().copy()
    want[0, 3] = -1
    onp.testing.assert_allclose(kept.asnumpy(), want)
    forced = nd.contrib.box_nms(boxes, overlap_thresh=0.5, force_suppress=True, id_index=0)
    onp.testing.assert_allclose(forced.asnumpy()[0], [boxes.asnumpy()[0, i] for i in (0, 2, 3)]
                                + [[-1] * 6])
    iou = nd.contrib.box_iou(nd.array([[0, 0, 1, 1], [0, 0, 2, 2]]),
                             nd.array([[0.5, 0.5, 1.5, 1.5]]))
    assert vals(iou) == pytest.approx([0.142857, 0.25], abs=1e-5)
    rows, cols = nd.contrib.bipartite_matching(nd.array([[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]]),
                                               threshold=1e-12)
    assert vals(rows) == [1, -1, 0] and vals(cols) == [2, 0]


def test_box_coding_and_roi_align_match_mxnet():  # MXNet 1.9.1
    anchors = nd.array([[[0, 0, 2, 2], [1, 1, 3, 4], [0, 0, 1, 1]]])
    refs = nd.array([[[0.5, 0.5, 2.5, 2.0], [1, 1, 2, 2]]])
    targets, masks = nd.contrib.box_encode(nd.array([[1, -1, 0]]), nd.array([[0, 1, 0]]),
                                           anchors, refs, nd.zeros(4),
                                           nd.array([0.1, 0.1, 0.2, 0.2]))
    assert vals(targets) == pytest.approx([2.5, 1.25, 0, -1.43841] + [0] * 8, abs=1e-5)
    assert vals(masks) == [1] * 4 + [0] * 8
    corner = nd.contrib.box_decode(nd.array([[[0.1, 0.2, 0.3, -0.1]]]),
                                   nd.array([[[0, 0, 2, 2]]]), std0=0.1, std1=0.1, std2=0.2,
                                   std3=0.2, format="corner")
    assert vals(corner) == pytest.approx([-0.04184, 0.0598, 2.08184, 2.0202], abs=1e-5)
    center = nd.contrib.box_decode(nd.array([[[0.1, 0.2, 0.3, -0.1]]]),
                                   nd.array([[[1, 1, 2, 2]]]), format="center")
    assert vals(center) == pytest.approx([-0.14986, 0.49516, 2.54986, 2.30484], abs=1e-5)
    feat = nd.arange(16).reshape((1, 1, 4, 4))
    for roi, ratio, aligned, want in (([0, 0.5, 0.5, 2.5, 2.5], 2, False, [5, 6, 9, 10]),
                                      ([0, 0, 0, 3, 3], -1, False, [3.75, 5.25, 9.75, 11.25]),
                                      ([0, 0, 0, 3, 3], 1, True, [1.25, 2.75, 7.25, 8.75])):
        got = nd.contrib.ROIAlign(feat, nd.array([roi]), pooled_size=(2, 2), spatial_scale=1.0,
                                  sample_ratio=ratio, aligned=aligned)
        assert got.shape == (1, 1, 2, 2) and vals(got) == want


def test_roi_align_gradient_reaches_the_features():
    data = nd.array(onp.random.default_rng(4).standard_normal((1, 2, 4, 5)), dtype="float64")
    rois = nd.array([[0, 0.3, 0.6, 3.2, 2.9], [0, 1.1, 0.2, 2.0, 3.5]], dtype="float64")
    check_grads(lambda d: nd.contrib.ROIAlign(d, rois, pooled_size=(2, 3), spatial_scale=1.0,
                                              sample_ratio=2), data, order=1)


def _psroi_loop(data, rois, scale, out_dim, size, group):
    """PSROIPooling written out bin by bin as MXNet's CPU kernel computes it (float64)."""
    _, _, h, w = data.shape
    out = onp.zeros((len(rois), out_dim, size, size))
    for r, roi in enumerate(rois):
        x0, y0 = round(roi[1]) * scale, round(roi[2]) * scale
        x1, y1 = (round(roi[3]) + 1) * scale, (round(roi[4]) + 1) * scale
        bh, bw = max(y1 - y0, 0.1) / size, max(x1 - x0, 0.1) / size
        for k in range(out_dim):
            for i in range(size):
                for j in range(size):
                    hs = min(max(int(onp.floor(i * bh + y0)), 0), h)
                    he = min(max(int(onp.ceil((i + 1) * bh + y0)), 0), h)
                    ws = min(max(int(onp.floor(j * bw + x0)), 0), w)
                    we = min(max(int(onp.ceil((j + 1) * bw + x0)), 0), w)
                    gi, gj = min(i * group // size, group - 1), min(j * group // size, group - 1)
                    c = (k * group + gi) * group + gj
                    if he > hs and we > ws:
                        out[r, k, i, j] = data[int(roi[0]), c, hs:he, ws:we].mean()
    return out


@pytest.mark.parametrize("seed", range(6))
def test_psroi_pooling_matches_a_loop_and_its_gradient_differences(seed):
    rng = onp.random.default_rng(seed)
    out_dim, size = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    group = size if seed % 2 else int(rng.integers(1, 4))
    h, w = (int(v) for v in rng.integers(3, 9, size=2))
    scale = [1.0, 0.5, 0.25][seed % 3]
    data = rng.standard_normal((2, out_dim * group * group, h, w))
    xs = onp.sort(rng.uniform(-3, w / scale + 3, (3, 2)), 1)
    ys = onp.sort(rng.uniform(-3, h / scale + 3, (3, 2)), 1)
    rois = onp.stack([[0, 1, 1], xs[:, 0], ys[:, 0], xs[:, 1], ys[:, 1]], 1)
    kw = {"spatial_scale": scale, "output_dim": out_dim, "pooled_size": size,
          "group_size": 0 if group == size else group}
    got = nd.contrib.PSROIPooling(nd.array(data, dtype="float64"),
                                  nd.array(rois, dtype="float64"), **kw)
    assert got.shape == (3, out_dim, size, size) and got.dtype is onp.float64
    assert onp.allclose(got.asnumpy(), _psroi_loop(data, rois, scale, out_dim, size, group))
    check_grads(lambda d: nd.contrib.PSROIPooling(d, nd.array(rois, dtype="float64"), **kw),
                nd.array(data, dtype="float64"), order=1)


def test_psroi_pooling_values_and_errors_as_mxnet():
    # MXNet 1.9.1 (mxref): data arange(8*3*3)/10 as (1, 8, 3, 3), output_dim=2, pooled_size=2
    data = nd.arange(72).reshape((1, 8, 3, 3)) / 10
    got = nd.contrib.PSROIPooling(data, nd.array([[0, 0, 0, 2, 2], [0, 1, 0, 5, 1]]),
                                  spatial_scale=1.0, output_dim=2, pooled_size=2)
    assert got.dtype is onp.float32 and onp.allclose(got.asnumpy().ravel(), [
        0.2, 1.2, 2.3, 3.3, 3.8, 4.8, 5.9, 6.9, 0.15, 0, 2.25, 0, 3.75, 0, 5.85, 0], atol=1e-6)
    # MXNet reads past the input when the channels do not fit; mxnp refuses
    with pytest.raises(ValueError, match=r"PSROIPooling: data must be .*\(1, 8, 3, 3\)"):
        nd.contrib.PSROIPooling(data, nd.array([[0, 0, 0, 2, 2]]), spatial_scale=1.0,
                                output_dim=3, pooled_size=2)


def _rpn_inputs(batch):
    cls = nd.array(onp.linspace(0.1, 0.9, 48 * batch).reshape(batch, 12, 2, 2))
    bbox = nd.array(onp.linspace(-0.2, 0.2, 96 * batch).reshape(batch, 24, 2, 2))
    info = nd.array([[30, 28, 1.0], [20, 31, 0.5]][:batch])
    return cls, bbox, info


_RPN = {"scales": (1, 2), "ratios": (0.5, 1, 2), "feature_stride": 16, "rpn_min_size": 4,
        "threshold": 0.5}


def test_proposal_values_and_zero_gradients_as_mxnet():
    cls, bbox, info = _rpn_inputs(1)
    for a in (cls, bbox, info):
        a.attach_grad()
    with autograd.record():
        rois = nd.contrib.Proposal(cls, bbox, info, rpn_post_nms_top_n=4, **_RPN)
        ((rois * 2).sum() + (cls * 1).sum()).backward()
    # MXNet 1.9.1 (mxref), the same inputs
    assert rois.dtype is onp.float32 and onp.allclose(rois.asnumpy(), [
        [0, 0, 0, 23.055744, 29], [0, 2.6665454, 0, 13.861876, 21.301413],
        [0, 0, 0.635139, 12.137957, 9.969072], [0, 9.717797, 0.66386366, 27, 10.041399]])
    assert (cls.grad.asnumpy() == 1).all() and not bbox.grad.asnumpy().any()
    assert not info.grad.asnumpy().any()
    with pytest.raises(mxnp.base.MXNetError, match="Proposal: one image at a time"):
        nd.contrib.Proposal(*_rpn_inputs(2), **_RPN)
    with pytest.raises(mxnp.base.MXNetError, match="3 anchors per position"):
        nd.contrib.Proposal(cls[:, :6], bbox[:, :12], info, **_RPN)


def test_multi_proposal_is_proposal_per_image_with_its_batch_index():
    cls, bbox, info = _rpn_inputs(2)
    rois, scores = nd.contrib.MultiProposal(cls, bbox, info, rpn_post_nms_top_n=7,
                                            output_score=True, **_RPN)
    assert rois.shape == (14, 5) and scores.shape == (14, 1)
    for b in range(2):
        one, one_score = nd.contrib.Proposal(cls[b:b + 1], bbox[b:b + 1], info[b:b + 1],
                                             rpn_post_nms_top_n=7, output_score=True, **_RPN)
        got = rois.asnumpy()[7 * b:7 * b + 7]
        assert (got[:, 0] == b).all() and (got[:, 1:] == one.asnumpy()[:, 1:]).all()
        assert (scores.asnumpy()[7 * b:7 * b + 7] == one_score.asnumpy()).all()
        # the kept boxes come best first, and repeat from the top when too few survive NMS
        kept = one_score.asnumpy().ravel()
        n = next((i for i in range(1, 7) if kept[i] > kept[i - 1]), 7)
        assert (onp.diff(kept[:n]) <= 0).all() and (kept[n:] == kept[:7 - n]).all()
    sym = mxnp.sym.contrib.MultiProposal(name="p", output_score=True, **_RPN)
    assert sym.list_outputs() == ["p_output", "p_score"]
    assert mxnp.sym.contrib.Proposal(name="p").list_outputs() == ["p_output"]


def test_contrib_resize_pool_copy_mask():  # MXNet 1.9.1
    up = nd.contrib.BilinearResize2D(nd.arange(16).reshape((1, 1, 4, 4)), height=3, width=3)
    assert vals(up) == [0, 1.5, 3, 6, 7.5, 9, 12, 13.5, 15]
    up = nd.contrib.BilinearResize2D(nd.arange(4).reshape((1, 1, 2, 2)), height=3, width=5,
                                     align_corners=False)
    assert vals(up)[:5] == pytest.approx([0, 0.1, 0.5, 0.9, 1], abs=1e-6)
    pooled = nd.contrib.AdaptiveAvgPooling2D(nd.arange(25).reshape((1, 1, 5, 5)), output_size=3)
    assert vals(pooled) == [3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21]
    copied = nd.contrib.index_copy(nd.zeros((3, 2)), nd.array([2, 0]), nd.array([[1, 2], [3, 4]]))
    assert vals(copied) == [3, 4, 0, 0, 1, 2]
    assert vals(nd.contrib.boolean_mask(nd.array([[1, 2], [3, 4], [5, 6]]),
                                        nd.array([0, 1, 1]))) == [3, 4, 5, 6]
    assert vals(nd.contrib.isnan(nd.array([1, float("nan")]))) == [0, 1]
    assert nd.contrib.allclose(nd.ones(2), nd.ones(2)).asscalar() == 1
    assert nd.contrib.index_array(nd.ones((2, 2))).asnumpy().tolist() == \
        [[[0, 0], [0, 1]], [[1, 0], [1, 1]]]


def test_allclose_is_a_0d_uint8_as_mxnet():
    r = nd.contrib.allclose(nd.ones((2, 2)), nd.ones((2, 2)) + 1)
    assert r.shape == () and r.dtype == onp.uint8 and r.asscalar() == 0  # MXNet 1.9.1
    s = mxnp.sym.contrib.allclose(mxnp.sym.var("a"), mxnp.sym.var("b"))
    assert s.infer_type(a="float32", b="float32")[1] == [onp.uint8]


@pytest.mark.parametrize("mode, kw, shape, head", [  # MXNet 1.9.1 (mxref), a (1, 1, 5, 4) input
    ("size", dict(scale_height=1.5, scale_width=0.5), (7, 2), [0, 3, 2.6666667, 5.6666667]),
    ("odd_scale", dict(scale_height=1.5, scale_width=0.5), (7, 2), [0, 3, 2.6666667, 5.6666667]),
    ("to_even_down", dict(height=3, width=6), (4, 4), [0, 1, 2, 3, 5.3333333]),
    ("to_even_up", dict(), (6, 4), [0, 1, 2, 3, 3.2]),
    ("to_odd_down", dict(), (5, 3), [0, 1.5, 3, 4, 5.5]),
    ("to_odd_up", dict(), (5, 5), [0, 0.75, 1.5, 2.25, 3]),
])
def test_bilinear_resize_modes_as_mxnet(mode, kw, shape, head):
    out = nd.contrib.BilinearResize2D(nd.arange(20).reshape((1, 1, 5, 4)), mode=mode, **kw)
    assert out.shape == (1, 1) + shape
    onp.testing.assert_allclose(out.asnumpy().ravel()[:len(head)], head, rtol=1e-6)


def test_bilinear_resize_like_takes_the_second_arrays_size():
    out = nd.contrib.BilinearResize2D(nd.arange(16).reshape((1, 1, 4, 4)), nd.zeros((1, 1, 2, 7)),
                                      mode="like")
    assert out.asnumpy().tolist() == [[[[0, 0.5, 1, 1.5, 2, 2.5, 3],
                                        [12, 12.5, 13, 13.5, 14, 14.5, 15]]]]  # MXNet 1.9.1
    s = mxnp.sym.contrib.BilinearResize2D(mxnp.sym.var("d"), mxnp.sym.var("l"), mode="like")
    assert s.list_arguments() == ["d", "l"]
    assert s.infer_shape(d=(1, 1, 5, 4), l=(2, 3, 7, 9))[1] == [(1, 1, 7, 9)]


def test_hawkesll_matches_mxnet():
    # MXNet 1.9.1 (mxref): two marked processes with a starting memory, events cut by
    # valid_length; the log likelihood, the memory at max_time and d(loglik)
    lda = nd.array([[1.5, 2.0, 3.0], [1.0, 1.0, 1.0]])
    alpha, beta = nd.array([0.2, 0.3, 0.4]), nd.array([2.0, 1.0, 2.0])
    state = nd.array([[0.5, 0.2, 0.1], [0.3, 0.0, 1.0]])
    lags = nd.array([[6, 7, 8, 9, 3], [1, 2, 3, 4, 2]])
    marks = nd.array([[0, 1, 2, 1, 0], [1, 2, 0, 0, 0]]).astype("int32")
    for a in (lda, alpha, beta):
        a.attach_grad()
    with autograd.record():
        ll, memory = nd.contrib.hawkesll(lda, alpha, beta, state, lags, marks,
                                         nd.array([4, 5]), nd.array([40.0, 20.0]))
    ll.backward()
    onp.testing.assert_allclose(ll.asnumpy(), [-258.50964, -61.75058], rtol=1e-6)
    onp.testing.assert_allclose(memory.asnumpy(), [[2.9374912e-30, 4.539993e-05, 3.1391329e-17],
                                                   [1.1459701e-07, 5.602796e-09, 1.7181567e-15]],
                                rtol=1e-5)
    onp.testing.assert_allclose(lda.grad.asnumpy(), [[-39.33334, -39.0, -39.66666],
                                                     [-17.00741, -19.0, -19.00198]], rtol=1e-5)
    onp.testing.assert_allclose(alpha.grad.asnumpy(), [-4.76294, -3.19995, -3.09505], rtol=1e-5)
    onp.testing.assert_allclose(beta.grad.asnumpy(), [-0.0114, -0.00014, -0.00495], atol=1e-5)
    s = mxnp.sym.contrib.hawkesll(*[mxnp.sym.var(n) for n in "abcdefgh"])
    assert s.list_outputs() == ["hawkesll0_output", "hawkesll0_out_state"]


def test_symbol_contrib_linalg_image_nodes_take_the_short_name():
    a = mxnp.sym.var("a")
    with mxnp.name.NameManager():  # MXNet 1.9.1's names
        assert mxnp.sym.contrib.box_nms(a).name == "box_nms0"
        assert mxnp.sym.linalg.gemm2(a, a).name == "gemm20"
        assert mxnp.sym.image.to_tensor(a).name == "to_tensor0"
        assert mxnp.sym.random.uniform().name == "_random_uniform0"
        assert mxnp.sym.contrib.MultiBoxTarget(a, a, a).list_outputs() == [
            "multiboxtarget0_loc_target", "multiboxtarget0_loc_mask", "multiboxtarget0_cls_target"]


def test_attention_matmuls_against_a_loop():
    rng = onp.random.default_rng(0)
    seq, batch, heads, d = 3, 2, 2, 4
    qkv = rng.standard_normal((seq, batch, heads * 3 * d)).astype("float32")
    scores = nd.contrib.interleaved_matmul_selfatt_qk(nd.array(qkv), heads=heads)
    parts = qkv.reshape(seq, batch, heads, 3, d)
    q, k, v = parts[..., 0, :], parts[..., 1, :], parts[..., 2, :]
    want = onp.einsum("sbhd,tbhd->bhst", q / onp.sqrt(d), k).reshape(batch * heads, seq, seq)
    onp.testing.assert_allclose(scores.asnumpy(), want, rtol=1e-5, atol=1e-6)
    att = nd.softmax(scores)
    out = nd.contrib.interleaved_matmul_selfatt_valatt(nd.array(qkv), att, heads=heads)
    want = onp.einsum("bhst,tbhd->sbhd", att.asnumpy().reshape(batch, heads, seq, seq), v)
    onp.testing.assert_allclose(out.asnumpy(), want.reshape(seq, batch, heads * d), rtol=1e-5,
                                atol=1e-6)
    kv = rng.standard_normal((seq + 1, batch, heads * 2 * d)).astype("float32")
    enc = nd.contrib.interleaved_matmul_encdec_qk(nd.array(q.reshape(seq, batch, -1)),
                                                  nd.array(kv), heads=heads)
    kk = kv.reshape(seq + 1, batch, heads, 2, d)[..., 0, :]
    want = onp.einsum("sbhd,tbhd->bhst", q / onp.sqrt(d), kk).reshape(batch * heads, seq, -1)
    onp.testing.assert_allclose(enc.asnumpy(), want, rtol=1e-5, atol=1e-6)
    val = nd.contrib.interleaved_matmul_encdec_valatt(nd.array(kv), nd.softmax(enc), heads=heads)
    assert val.shape == (seq, batch, heads * d)


def test_control_flow_runs_eagerly():
    outs, states = nd.contrib.foreach(lambda x, s: (x * 2, [s[0] + x]), nd.arange(3),
                                      [nd.zeros(1)])
    assert vals(outs) == [0, 2, 4] and vals(states[0]) == [3]
    outs, final = nd.contrib.while_loop(lambda i: i < 3, lambda i: (i * 10, i + 1),
                                        nd.array([0]), max_iterations=10)
    # MXNet 1.9.1 pads the outputs to max_iterations rows (mxnp with zeros)
    assert outs.shape == (10, 1) and vals(outs[:3]) == [0, 10, 20] and vals(final) == [3]
    assert vals(nd.contrib.cond(nd.array([0]), lambda: nd.ones(1), lambda: nd.zeros(1))) == [0]


def test_contrib_adamw_zipfian_and_batchnorm_variants():  # values: MXNet 1.9.1
    w, g = w_g()
    mean, var = nd.zeros(2) + 0.1, nd.zeros(2) + 0.2
    new = nd.contrib.adamw_update(w, g, mean, var, nd.array([2.0]), lr=0.1, eta=0.5, wd=0.1,
                                  clip_gradient=1.5)
    assert vals(new) == pytest.approx([0.923304, 0.956674], abs=1e-5)
    assert vals(mean) == pytest.approx([0.24, -0.06]) and vals(var) == [0.20205, 0.20205]
    mxnp.random.seed(0)
    sampled, expected_true, expected_sampled = nd.contrib.rand_zipfian(nd.array([1, 5]), 4, 10)
    assert sampled.dtype == onp.int64 and sampled.shape == (4,)
    assert all(0 <= s < 10 for s in sampled.asnumpy().tolist())
    assert vals(expected_true) == pytest.approx([0.676368, 0.257143], abs=1e-5)
    probs = (onp.log(sampled.asnumpy() + 2.0) - onp.log(sampled.asnumpy() + 1.0)) / onp.log(11)
    assert vals(expected_sampled) == pytest.approx((4 * probs).tolist(), abs=1e-5)
    x = nd.array([[1.0, -2.0], [3.0, -6.0]])
    stats = (nd.ones(2), nd.zeros(2), nd.zeros(2), nd.ones(2))
    plain = nd.BatchNorm(x, *stats)
    assert vals(nd.contrib.SyncBatchNorm(x, *stats)) == vals(plain)
    assert vals(nd.contrib.BatchNormWithReLU(x, *stats)) == vals(nd.relu(plain))


def test_updates_add_weight_decay_where_mxnets_kernels_do():  # MXNet 1.9.1
    # Adam, RMSProp and FTML decay before the clip: clip(0.5 + 0.5 * 2) = 1
    w, g = nd.array([2.0, -1.0]), nd.array([0.5, -0.5])
    m, v = nd.zeros(2), nd.zeros(2)
    assert vals(nd.adam_update(w, g, m, v, lr=0.1, wd=0.5, clip_gradient=1.0)) == \
        [1.68377, -0.68377]
    assert vals(m) == [0.1, -0.1] and vals(v) == [0.001, 0.001]
    n = nd.zeros(2)
    assert vals(nd.rmsprop_update(w, g, n, lr=0.1, wd=0.5, clip_gradient=1.0)) == \
        [1.55279, -0.55279]
    assert vals(n) == [0.05, 0.05]
    d, v, z = nd.zeros(2), nd.zeros(2), nd.zeros(2)
    assert vals(nd.ftml_update(w, g, d, v, z, lr=0.1, wd=0.5, clip_grad=1.0, t=1)) == [1.9, -0.9]
    assert vals(z) == [-7.6, 3.6]
    # NAG in place: the momentum's decay term reads the weight just written
    m = nd.ones(2)
    nd.nag_mom_update(w, g, m, lr=0.1, momentum=0.9, wd=0.5, out=w)
    assert vals(w) == [2.525, 0.0] and vals(m) == [0.72375, 0.95]
    w16, w32, m = nd.array([2.0, -1.0], dtype="float16"), nd.array([2.0, -1.0]), nd.ones(2)
    nd.mp_nag_mom_update(w16, g.astype("float16"), m, w32, lr=0.1, momentum=0.9, wd=0.5,
                         out=w16)
    assert vals(w16) == [2.52539, 0.0] and vals(w32) == [2.525, 0.0]
    assert vals(m) == [0.72375, 0.95]
    # mixed-precision LAMB rounds the rescaled float16 gradient to float16
    m, v = nd.zeros(1), nd.zeros(1)
    nd.mp_lamb_update_phase1(nd.array([1.0], dtype="float16"), nd.array([0.3], dtype="float16"),
                             m, v, nd.array([1.0]), rescale_grad=0.7, bias_correction=False,
                             epsilon=0.0, t=1, wd=0.0)
    assert m.asnumpy()[0] == pytest.approx(0.021008305, rel=1e-6)


def test_contrib_multi_tensor_updates():  # MXNet 1.9.1
    def arrays():
        return ([nd.array([[0.5, -1.0], [2.0, 0.25]]), nd.array([1.0, -3.0, 0.5])],
                [nd.array([[0.1, 0.2], [-0.3, 0.4]]), nd.array([2.0, -1.0, 0.5])],
                [nd.array([[0.01, 0.0], [0.0, 0.02]]), nd.zeros((3,))],
                [nd.array([[0.001, 0.0], [0.002, 0.0]]), nd.zeros((3,))])

    ws, gs, ms, vs = arrays()
    out = nd.contrib.multi_adamw_update(ws, gs, ms, vs, 2.0, lrs=[0.1, 0.2], wds=[0.1, 0.0],
                                        etas=[1.0, 0.5], out=ws, clip_gradient=0.5, beta1=0.8)
    assert out[1] is ws[1]
    assert onp.allclose(ws[0].asnumpy(), [[0.3010866, -1.5324671], [2.0109119, -0.5086527]],
                        rtol=2e-5)
    assert onp.allclose(ws[1].asnumpy(), [0.3675408, -2.3675408, -0.1324592], rtol=2e-5)
    # a loss scaler's nan, inf or 0 skips the step
    ws, gs, ms, vs = arrays()
    for bad in (float("nan"), 0.0, nd.array([float("inf")])):
        nd.contrib.multi_adamw_update(ws, gs, ms, vs, bad, lrs=[0.1, 0.2], wds=[0.1, 0.0],
                                      etas=[1.0, 0.5], out=ws)
        nd.contrib.adamw_update(ws[0], gs[0], ms[0], vs[0], bad, lr=0.1, eta=1.0, out=ws[0])
    assert vals(ws[0]) == [0.5, -1.0, 2.0, 0.25] and vals(ms[0]) == [0.01, 0.0, 0.0, 0.02]
    ws, gs, ms, vs = arrays()
    nd.contrib.multi_lamb_update(ws, gs, ms, vs, step_count=[1, 3], lrs=[0.1, 0.2],
                                 wds=[0.1, 0.0], out=ws, clip_gradient=0.5, rescale_grad=2.0,
                                 lower_bound=0.1, upper_bound=2.0)
    assert onp.allclose(ws[0].asnumpy(), [[0.4604264, -1.1064746], [2.0157914, 0.0861473]],
                        rtol=1e-5)
    assert onp.allclose(ws[1].asnumpy(), [0.7690599, -2.7690599, 0.2690599], rtol=1e-6)
    ws, gs, ms, vs = arrays()
    w16, g16 = [w.astype("float16") for w in ws], [g.astype("float16") for g in gs]
    nd.contrib.multi_mp_lamb_update(w16, g16, ms, vs, ws, step_count=[2, 1], lrs=[0.1, 0.2],
                                    wds=[0.0, 0.1], out=w16, bias_correction=False)
    assert w16[1].asnumpy().tolist() == [0.63623046875, -2.61328125, 0.1417236328125]
    assert onp.allclose(ws[0].asnumpy(), [[0.47556, -1.1292098], [2.0268333, 0.0626168]],
                        rtol=1e-5)
    # MXNet 1.9.1 has no CPU kernel for group_adagrad_update; its docstring's formula
    w, g, h = nd.array([[1.0, 2.0], [3.0, -1.0]]), nd.array([[0.5, -0.5], [2.0, 1.0]]), \
        nd.array([[0.1], [0.0]])
    new = nd.contrib.group_adagrad_update(w, g, h, lr=0.1, rescale_grad=0.5, clip_gradient=0.6)
    g = onp.clip(onp.array([[0.5, -0.5], [2.0, 1.0]]) * 0.5, -0.6, 0.6)
    hist = onp.array([[0.1], [0.0]]) + (g ** 2).mean(axis=1, keepdims=True)
    assert onp.allclose(h.asnumpy(), hist)
    assert onp.allclose(new.asnumpy(), [[1.0, 2.0], [3.0, -1.0]] - 0.1 * g / onp.sqrt(hist + 1e-5))


def test_gemm_rows_along_another_axis():
    # MXNet 1.9.1: axis= names the rows' axis, the columns are the last (sums from mxref)
    r = onp.random.RandomState(0)
    A, B, C = r.rand(2, 3, 4, 5), r.rand(2, 5, 4, 3), r.rand(2, 3, 4, 3)
    a, b, c = (nd.array(x, dtype="float64") for x in (A, B, C))
    out = nd.linalg.gemm(a, b, c, alpha=2.0, beta=0.5, axis=1)
    assert out.shape == (2, 3, 4, 3)
    onp.testing.assert_allclose(out.asnumpy().sum(), 195.95936462521456, rtol=1e-12)
    out2 = nd.linalg.gemm2(a, b, axis=1)
    onp.testing.assert_allclose(out2.asnumpy().sum(), 88.81958016959724, rtol=1e-12)
    a2 = nd.array(r.rand(2, 5, 4, 3), dtype="float64")
    out3 = nd.linalg.gemm2(a2, b, transpose_a=True, axis=-3)
    onp.testing.assert_allclose(out3.asnumpy().sum(), 84.05016630460581, rtol=1e-12)
    a.attach_grad()
    with autograd.record():
        y = nd.linalg.gemm2(a, b, axis=1)
    y.backward()
    want = onp.moveaxis(onp.ones((2, 4, 3, 3)) @ onp.swapaxes(onp.moveaxis(B, 1, -2), -1, -2),
                        -2, 1)
    onp.testing.assert_allclose(a.grad.asnumpy(), want, rtol=1e-12)


def test_proposal_keeps_tied_scores_in_position_order_as_mxnet():
    # 64 anchors tie at each of the scores 0, 0.25 and 0.5; MXNet 1.9.1 (mxref) keeps these
    # first six boxes, in this order (its sort leaves ties by position here)
    cls = nd.array((onp.arange(384) % 3 / 4.0).reshape(1, 24, 4, 4))
    bbox = nd.array(onp.linspace(-0.2, 0.2, 768).reshape(1, 48, 4, 4))
    rois = nd.contrib.Proposal(cls, bbox, nd.array([[64, 64, 1.0]]), scales=(1, 2, 4, 8),
                               ratios=(0.5, 1, 2), feature_stride=16, rpn_min_size=1,
                               threshold=0.7, rpn_pre_nms_top_n=100, rpn_post_nms_top_n=30)
    assert rois.shape == (30, 5)
    assert onp.allclose(rois.asnumpy()[:6, 1:], [
        [0, 0, 35.6803, 22.5431], [0, 0, 21.6796, 22.0785], [2.757, 0, 13.7173, 20.7185],
        [0, 0, 63, 63], [0, 0, 35.1672, 13.635], [15.3292, 0, 29.5598, 13.7571]], atol=1e-3)


def test_proposal_refuses_an_image_larger_than_its_feature_map_covers():
    cls, bbox, _ = _rpn_inputs(1)  # a 2 x 2 map at stride 16 covers 32 x 32 pixels
    with pytest.raises(mxnp.base.MXNetError,
                       match=r"Check failed: height >= real_height \(2 vs. 3\) : 2 3"):
        nd.contrib.Proposal(cls, bbox, nd.array([[60, 28, 1.0]]), **_RPN)
    with pytest.raises(mxnp.base.MXNetError, match=r"width >= real_width \(2 vs. 3\)"):
        nd.contrib.MultiProposal(cls, bbox, nd.array([[30, 50, 1.0]]), **_RPN)
