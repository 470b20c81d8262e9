"""mx.image's functions and augmenters: the names MXNet has, loop references, distributions of
the random ones, repeatability under a seed, gradients, and errors. Pixel parity with MXNet
itself is in test_image_mxnet.py."""
from __future__ import annotations

import importlib.util
import inspect
import json
import random
import sys

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np
from mxnp.testing import assert_allclose, check_grads

# dir(mx.image) in MXNet 1.9.1 (mxref), less the modules and helpers its files import, which
# are not API (cv2, json, logging, os, random, sys, warnings, np, nd, io, recordio, numeric_types,
# Number, is_np_array); dir(mx.image.detection) adds none of its own.
MXNET_NAMES = [
    "Augmenter", "BrightnessJitterAug", "CastAug", "CenterCropAug", "ColorJitterAug",
    "ColorNormalizeAug", "ContrastJitterAug", "CreateAugmenter", "CreateDetAugmenter",
    "CreateMultiRandCropAugmenter", "DetAugmenter", "DetBorrowAug", "DetHorizontalFlipAug",
    "DetRandomCropAug", "DetRandomPadAug", "DetRandomSelectAug", "ForceResizeAug",
    "HorizontalFlipAug", "HueJitterAug", "ImageDetIter", "ImageIter", "LightingAug",
    "RandomCropAug", "RandomGrayAug", "RandomOrderAug", "RandomSizedCropAug", "ResizeAug",
    "SaturationJitterAug", "SequentialAug", "center_crop", "color_normalize", "copyMakeBorder",
    "det", "detection", "fixed_crop", "image", "imdecode", "imread", "imresize", "imrotate",
    "random_crop", "random_rotate", "random_size_crop", "resize_short", "scale_down"]
MODULES = ("det", "detection", "image")

# MXNet's default interpolation (bicubic) needs OpenCV, which the vision extra installs
needs_opencv = pytest.mark.skipif(importlib.util.find_spec("cv2") is None,
                                  reason="bicubic resizing needs OpenCV (mxnp[vision])")
IMG = np.array(onp.random.RandomState(3).randint(0, 256, (6, 8, 3)), dtype="uint8")
F = IMG.astype("float32")
LUMA = onp.array([0.299, 0.587, 0.114])


def test_every_mxnet_name_is_there_with_a_docstring():
    missing = [n for n in MXNET_NAMES if not hasattr(mx.image, n)]
    assert not missing
    assert sorted(mx.image.__all__) == sorted(MXNET_NAMES)
    assert mx.image.det is mx.image.detection
    undocumented = [n for n in MXNET_NAMES if not (getattr(mx.image, n).__doc__ or "").strip()]
    assert not undocumented
    for name in set(MXNET_NAMES) - set(MODULES):  # real signatures
        inspect.signature(getattr(mx.image, name))


def draws(seed, *spans):
    """The ``random.uniform`` draws an augmenter makes after ``random.seed(seed)``."""
    random.seed(seed)
    return [random.uniform(-s, s) for s in spans]


@pytest.mark.parametrize("seed", [0, 1])
def test_colour_jitters_against_numpy_loops(seed):
    x = F.asnumpy().astype(onp.float64)
    (a,) = draws(seed, 0.4)
    random.seed(seed)
    assert_allclose(mx.image.BrightnessJitterAug(0.4)(F.copy()), x * (1 + a), rtol=1e-5)
    random.seed(seed)
    gray_mean = sum((x[..., c] * LUMA[c]).sum() for c in range(3)) * 3 / x.size
    assert_allclose(mx.image.ContrastJitterAug(0.4)(F.copy()),
                    x * (1 + a) + gray_mean * (-a), rtol=1e-5)
    random.seed(seed)
    gray = x @ LUMA
    assert_allclose(mx.image.SaturationJitterAug(0.4)(F.copy()),
                    x * (1 + a) + (gray * (-a))[..., None], rtol=1e-5, atol=1e-3)


def test_hue_jitter_is_a_turn_in_yiq_space():
    to_yiq = onp.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.321],
                        [0.211, -0.523, 0.311]])
    (a,) = draws(4, 0.3)
    random.seed(4)
    out = mx.image.HueJitterAug(0.3)(F).asnumpy().astype(onp.float64)
    yiq_in, yiq_out = F.asnumpy() @ to_yiq.T, out @ to_yiq.T
    assert_allclose(yiq_out[..., 0], yiq_in[..., 0], rtol=1e-2, atol=0.5)  # luma kept
    turned = onp.arctan2(yiq_out[..., 2], yiq_out[..., 1]) - onp.arctan2(yiq_in[..., 2],
                                                                         yiq_in[..., 1])
    assert_allclose((turned - a * onp.pi + onp.pi) % (2 * onp.pi) - onp.pi, 0 * turned,
                    atol=0.05)


def test_lighting_gray_flip_cast_and_normalize_against_numpy():
    eigval, eigvec = onp.array([55.46, 4.794, 1.148]), onp.eye(3)[::-1]
    onp.random.seed(2)
    alpha = onp.random.normal(0, 0.1, size=3)
    onp.random.seed(2)
    assert_allclose(mx.image.LightingAug(0.1, eigval, eigvec)(F.copy()),
                    F.asnumpy() + (eigvec * alpha) @ eigval, rtol=1e-5)
    mat = onp.array([[0.21] * 3, [0.72] * 3, [0.07] * 3])
    assert_allclose(mx.image.RandomGrayAug(1.0)(F), F.asnumpy() @ mat, rtol=1e-5)
    assert mx.image.RandomGrayAug(0.0)(F) is F
    assert_allclose(mx.image.HorizontalFlipAug(1.0)(IMG), IMG.asnumpy()[:, ::-1], rtol=0)
    assert mx.image.CastAug()(IMG).dtype == onp.float32
    assert mx.image.CastAug("float64")(IMG).dtype == onp.float64
    out = mx.image.ColorNormalizeAug([1., 2., 3.], [2., 2., 4.])(F.copy())
    assert_allclose(out, (F.asnumpy() - [1, 2, 3]) / [2, 2, 4], rtol=1e-6)


def test_random_augmenters_draw_both_outcomes_at_their_rate():
    random.seed(0)
    flips = [bool((mx.image.HorizontalFlipAug(0.3)(IMG).asnumpy() != IMG.asnumpy()).any())
             for _ in range(400)]
    assert 0.22 < sum(flips) / 400 < 0.38
    grays = [mx.image.RandomGrayAug(0.7)(F) is not F for _ in range(400)]
    assert 0.62 < sum(grays) / 400 < 0.78


def test_brightness_factors_cover_their_range():
    one = np.ones((1, 1, 3))
    random.seed(1)
    factors = onp.array([float(mx.image.BrightnessJitterAug(0.25)(one.copy())[0, 0, 0])
                         for _ in range(500)])
    assert factors.min() >= 0.75 and factors.max() <= 1.25
    assert factors.min() < 0.77 and factors.max() > 1.23 and abs(factors.mean() - 1) < 0.03


@needs_opencv
def test_random_size_crop_keeps_area_and_ratio_in_range():
    src = np.zeros((40, 50, 3), dtype="uint8")
    random.seed(3)
    for _ in range(100):
        out, (x0, y0, w, h) = mx.image.random_size_crop(src, (8, 6), (0.3, 0.6), (0.5, 2.0))
        assert out.shape == (6, 8, 3)
        assert 0 <= x0 <= 50 - w and 0 <= y0 <= 40 - h
        assert 0.3 * 2000 * 0.9 <= w * h <= 0.6 * 2000 * 1.1
        assert 0.5 * 0.8 <= w / h <= 2.0 * 1.25


@needs_opencv
def test_random_size_crop_falls_back_to_a_centre_crop():
    random.seed(0)  # an aspect ratio of at least 50 never fits: a centre crop
    out, rect = mx.image.random_size_crop(IMG, (4, 2), 0.5, (50.0, 60.0))
    assert rect == mx.image.center_crop(IMG, (4, 2))[1]
    assert out.shape == (2, 4, 3)
    with pytest.warns(DeprecationWarning, match="min_area"):
        out, rect = mx.image.random_size_crop(IMG, (4, 2), None, (1.3, 1.4), min_area=0.9)
    assert rect[2:] == (8, 6) and out.shape == (2, 4, 3)
    with pytest.warns(DeprecationWarning, match="min_area"):
        assert mx.image.RandomSizedCropAug((4, 2), None, (1.0, 1.0), min_area=0.9).area == 0.9


@needs_opencv
def test_a_seed_repeats_every_random_choice():
    def run(seed):
        random.seed(seed)
        onp.random.seed(seed)
        augs = mx.image.CreateAugmenter((3, 4, 4), resize=5, rand_crop=True, rand_resize=True,
                                        rand_mirror=True, brightness=0.3, contrast=0.3,
                                        saturation=0.3, hue=0.3, pca_noise=0.1, rand_gray=0.5,
                                        inter_method=10)
        out = IMG
        for aug in augs:
            out = aug(out)
        return out.asnumpy()
    assert onp.array_equal(run(11), run(11))
    assert not onp.array_equal(run(11), run(12))


@needs_opencv
def test_resize_short_and_force_resize_shapes():
    assert mx.image.resize_short(IMG, 3).shape == (3, 4, 3)
    assert mx.image.resize_short(IMG.transpose(1, 0, 2), 3).shape == (4, 3, 3)
    assert mx.image.ResizeAug(12, interp=1)(IMG).shape == (12, 16, 3)
    assert mx.image.ForceResizeAug((5, 9), interp=9)(IMG).shape == (9, 5, 3)
    assert mx.image.CenterCropAug((3, 3))(IMG).shape == (3, 3, 3)
    assert mx.image.RandomCropAug((10, 10), interp=0)(IMG).shape == (10, 10, 3)


def test_copy_make_border_against_numpy_pad():
    x = IMG.asnumpy()
    for kind, mode in ((1, "edge"), (2, "symmetric"), (3, "wrap"), (4, "reflect")):
        assert_allclose(mx.image.copyMakeBorder(IMG, 2, 1, 0, 3, type=kind),
                        onp.pad(x, ((2, 1), (0, 3), (0, 0)), mode=mode), rtol=0)
    out = mx.image.copyMakeBorder(IMG, 1, 1, 1, 1, values=(9, 8, 7)).asnumpy()
    assert out[0, 0].tolist() == [9, 8, 7] and onp.array_equal(out[1:-1, 1:-1], x)
    assert mx.image.copyMakeBorder(IMG, 0, 1, 0, 0, value=4).asnumpy()[-1].tolist() == \
        [[4, 4, 4]] * 8


@pytest.mark.parametrize("kind", range(5))
def test_copy_make_border_gradients(kind):
    x = np.array(onp.random.RandomState(kind).rand(3, 4, 2))
    check_grads(lambda v: mx.image.copyMakeBorder(v, 2, 1, 3, 2, type=kind, value=0.5), x)


def test_colour_augmenter_gradients():
    # hue and gray are np.dot; the other jitters work in place, as MXNet's, so not under record
    x = np.array(onp.random.RandomState(0).rand(3, 4, 3) * 50)

    def seeded(aug):
        def f(v):
            random.seed(5)
            return aug(v)
        return f
    for aug in (mx.image.HueJitterAug(0.3), mx.image.RandomGrayAug(1.0)):
        check_grads(seeded(aug), x, order=1)


def test_imrotate_quarter_turn_and_random_rotate_draws():
    sq = np.array(onp.random.RandomState(1).rand(2, 5, 5), dtype="float32")
    assert_allclose(mx.image.imrotate(sq, 0), sq, rtol=1e-6)
    # a quarter turn counter-clockwise, as the image is displayed
    assert_allclose(mx.image.imrotate(sq, 90), onp.rot90(sq.asnumpy(), k=1, axes=(1, 2)),
                    atol=1e-5)
    onp.random.seed(4)
    angle = onp.random.uniform(-30, 30)
    onp.random.seed(4)
    assert_allclose(mx.image.random_rotate(sq, (-30, 30)), mx.image.imrotate(sq, angle),
                    rtol=1e-6)
    assert mx.image.random_rotate(np.stack([sq, sq]), (-30, 30), zoom_in=True).shape == \
        (2, 2, 5, 5)


@needs_opencv
def test_dumps_and_the_abstract_augmenter():
    seq = mx.image.SequentialAug([mx.image.CastAug(), mx.image.ResizeAug(3)])
    assert seq.dumps() == ["sequentialaug", ['["castaug", {"type": "float32"}]',
                                             '["resizeaug", {"size": 3, "interp": 2}]']]
    assert json.loads(mx.image.ColorNormalizeAug(np.array([1., 2.]), None).dumps()) == \
        ["colornormalizeaug", {"mean": [1.0, 2.0], "std": None}]
    assert not isinstance(mx.image.ColorJitterAug(0.1, 0, 0), mx.image.SequentialAug)
    with pytest.raises(NotImplementedError, match="Must override"):
        mx.image.Augmenter(a=1)(IMG)
    assert seq(IMG).shape == (3, 4, 3)


@needs_opencv
def test_random_order_shuffles_its_list():
    steps = [mx.image.CastAug(), mx.image.HorizontalFlipAug(1.0), mx.image.ResizeAug(3)]
    aug = mx.image.RandomOrderAug(list(steps))
    random.seed(0)
    orders = set()
    for _ in range(20):
        aug(IMG)
        orders.add(tuple(steps.index(t) for t in aug.ts))
    assert len(orders) > 2


def test_without_opencv_bicubic_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(NotImplementedError, match=r"interp=2 needs OpenCV .*mxnp\[vision\]"):
        mx.image.resize_short(IMG, 3)
    assert mx.image.resize_short(IMG, 3, interp=1).shape == (3, 4, 3)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="copyMakeBorder: type must be 0-4"):
        mx.image.copyMakeBorder(IMG, 1, 1, 1, 1, type=5)
    with pytest.raises(ValueError, match="copyMakeBorder: border widths"):
        mx.image.copyMakeBorder(IMG, -1, 1, 1, 1)
    with pytest.raises(ValueError, match=r"resize_short: expected an \(H, W, C\) image"):
        mx.image.resize_short(IMG[:, :, 0], 3)
    with pytest.raises(ValueError, match="Unknown interp method 7"):
        mx.image.fixed_crop(IMG, 0, 0, 2, 2, size=(3, 3), interp=7)
    with pytest.raises(ValueError, match="CreateAugmenter: data_shape"):
        mx.image.CreateAugmenter((4, 4))
    with pytest.raises(ValueError, match="rand_resize needs rand_crop"):
        mx.image.CreateAugmenter((3, 4, 4), rand_resize=True)
    with pytest.raises(ValueError, match="CreateAugmenter: mean must be"):
        mx.image.CreateAugmenter((3, 4, 4), mean=(1, 2))
    with pytest.raises(TypeError, match="RandomSizedCropAug: unexpected keyword"):
        mx.image.RandomSizedCropAug((3, 3), 0.5, (1, 1), bad=1)
    with pytest.raises(TypeError, match="random_size_crop: unexpected keyword"):
        mx.image.random_size_crop(IMG, (3, 3), 0.5, (1, 1), bad=1)
    with pytest.raises(TypeError, match="float32"):
        mx.image.imrotate(IMG.transpose(2, 0, 1), 10)
    for aug in (mx.image.BrightnessJitterAug(0.1), mx.image.ContrastJitterAug(0.1),
                mx.image.SaturationJitterAug(0.1), mx.image.LightingAug(0.1, [1, 1, 1],
                                                                         onp.eye(3))):
        with pytest.raises(TypeError, match=f"{type(aug).__name__}: expected a float image"):
            aug(IMG.copy())
    with pytest.raises(ValueError, match="cannot both be True"):
        mx.image.imrotate(F.transpose(2, 0, 1), 10, zoom_in=True, zoom_out=True)
