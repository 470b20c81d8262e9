"""Colour jitters and rotations: MXNet 1.9.1's arithmetic at fixed factors, and the random
transforms' shapes, dtypes, ranges and seeding."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp
from mxnp import autograd
from mxnp import numpy as np
from mxnp.numpy_extension import _color
from mxnp.gluon.data.vision import transforms as T

X = np.array(onp.arange(18).reshape(2, 3, 3) * 29 % 256, dtype="uint8")  # (H=2, W=3, RGB)
XF = X.astype("float32")

# MXNet 1.9.1 (mxref): npx.image.random_<op>(X, f, f) with one fixed factor f, and
# npx.image.adjust_lighting(X, alpha=(0.1, -0.2, 0.3)); float results rounded to 3 decimals
COLOR = {
    "brightness": (1.3, [0, 37, 75, 113, 150, 188, 226, 255, 255, 6, 44, 81, 119, 157, 195, 232,
                         255, 255],
                   [0.0, 37.7, 75.4, 113.1, 150.8, 188.5, 226.2, 263.9, 301.6, 6.5, 44.2, 81.9,
                    119.6, 157.3, 195.0, 232.7, 270.4, 308.1]),
    "contrast": (0.6, [45, 62, 80, 97, 114, 132, 149, 167, 184, 48, 65, 83, 100, 117, 135, 152,
                       170, 187],
                 [45.254, 62.654, 80.054, 97.454, 114.854, 132.254, 149.654, 167.054, 184.454,
                  48.254, 65.654, 83.054, 100.454, 117.854, 135.254, 152.654, 170.054, 187.454]),
    "hue": (0.15, [23, 0, 58, 110, 87, 145, 197, 173, 232, 28, 4, 63, 115, 92, 150, 202, 179, 237],
            [23.2, 0.0, 58.0, 110.2, 87.0, 145.0, 197.2, 174.0, 232.0, 28.2, 5.0, 63.0, 115.2, 92.0,
             150.0, 202.2, 179.0, 237.0]),
    "lighting": ((0.1, -0.2, 0.3),
                 [0, 25, 55, 83, 112, 142, 170, 199, 229, 1, 30, 60, 88, 117, 147, 175, 204, 234],
                 [-3.699, 25.503, 55.574, 83.301, 112.503, 142.574, 170.301, 199.503, 229.574,
                  1.301, 30.503, 60.574, 88.301, 117.503, 147.574, 175.301, 204.503, 234.574]),
}


@pytest.mark.parametrize("op", sorted(COLOR))
def test_adjust_matches_mxnet(op):
    factor, want_u8, want_f = COLOR[op]
    adjust = getattr(_color, "adjust_" + op)
    got = adjust(X, factor)
    assert got.dtype == onp.uint8 and got.shape == X.shape  # clipped, truncated toward zero
    assert got.asnumpy().ravel().tolist() == want_u8
    got = adjust(XF, factor)
    assert got.dtype == onp.float32  # floats are neither clipped nor rounded
    onp.testing.assert_allclose(got.asnumpy().ravel(), want_f, atol=2e-3)


def test_contrast_of_one_channel_uses_its_mean():
    # MXNet 1.9.1 (mxref)
    assert _color.adjust_contrast(X[:, :, :1], 0.6).asnumpy().ravel().tolist() == \
        [35, 88, 140, 38, 91, 143]


def test_saturation_blends_with_luma():
    x = X.asnumpy().astype(onp.float32)
    gray = (x * onp.array([0.299, 0.587, 0.114], onp.float32)).sum(axis=2, keepdims=True)
    want = gray * onp.float32(0.7) + x * onp.float32(0.3)
    onp.testing.assert_allclose(_color.adjust_saturation(XF, 0.3).asnumpy(), want, rtol=1e-6)
    onp.testing.assert_array_equal(_color.adjust_saturation(X, 0.3).asnumpy(),
                                   onp.clip(want, 0, 255).astype(onp.uint8))
    onp.testing.assert_array_equal(_color.adjust_saturation(X, 1.0).asnumpy(), X.asnumpy())


def test_hue_full_turn_and_gray_pixels_are_unchanged():
    onp.testing.assert_allclose(_color.adjust_hue(XF, 1.0).asnumpy(), XF.asnumpy(), atol=1e-3)
    gray = np.array([[[50, 50, 50], [200, 200, 200]]], dtype="uint8")
    assert _color.adjust_hue(gray, 0.3).asnumpy().tolist() == gray.asnumpy().tolist()


@pytest.mark.parametrize("make", [lambda: T.RandomBrightness(0.5), lambda: T.RandomContrast(0.5),
                                  lambda: T.RandomSaturation(0.5), lambda: T.RandomHue(0.5),
                                  lambda: T.RandomColorJitter(0.5, 0.5, 0.5, 0.5),
                                  lambda: T.RandomLighting(0.5)])
def test_random_color_transforms_keep_shape_dtype_and_follow_the_seed(make):
    t = make()
    for x in (X, XF):
        out = t(x)
        assert out.shape == x.shape and out.dtype == x.dtype
    mxnp.random.seed(7)
    first = t(XF).asnumpy()
    mxnp.random.seed(7)
    onp.testing.assert_array_equal(t(XF).asnumpy(), first)
    with pytest.raises(ValueError, match=r"expected an image of shape \(H, W, C\)"):
        t(np.stack([X, X]))


def test_random_brightness_factor_range():
    ratios = {T.RandomBrightness(0.5)(XF)[0, 1, 0].item() / 87.0 for _ in range(20)}
    assert len(ratios) > 1 and all(0.5 <= r < 1.5 for r in ratios)
    assert T.RandomBrightness(0)(X).asnumpy().tolist() == X.asnumpy().tolist()
    assert T.RandomColorJitter()(X).asnumpy().tolist() == X.asnumpy().tolist()


def test_random_flips():
    seen = {tuple(T.RandomFlipLeftRight()(X)[0, 0].asnumpy().tolist()) for _ in range(30)}
    assert seen == {(0, 29, 58), (174, 203, 232)}
    seen = {tuple(T.RandomFlipTopBottom()(X)[0, 0].asnumpy().tolist()) for _ in range(30)}
    assert seen == {(0, 29, 58), (5, 34, 63)}


# ---- rotation ---------------------------------------------------------------------------------
# a (C=3, H=4, W=6) float32 tensor: the transforms test image X4 / 3, channels first
T4 = (np.array(onp.arange(72).reshape(4, 6, 3) * 37 % 256, dtype="uint8").astype("float32")
      / 3).transpose(2, 0, 1)

# MXNet 1.9.1 (mxref, legacy mode: numpy mode rejects every input there), 4 decimals
ROTATED = {
    'rot30': [[0.0, 32.553, 32.8199, 47.8038, 48.3509, 29.4422],
     [17.6818, 42.908, 53.0005, 62.3272, 69.001, 49.7464],
     [33.2535, 13.999, 20.6728, 29.9995, 40.092, 50.1282],
     [19.1076, 34.6491, 35.1962, 46.11, 4.8769, 0.0]],
    'rot_in': [[58.6867, 39.3, 40.3933, 34.66, 22.1, 30.87],
     [49.6467, 33.6733, 34.7667, 29.0333, 16.4733, 38.9],
     [50.8467, 34.8733, 35.9667, 30.2333, 17.6733, 40.1],
     [58.35, 42.9, 43.9933, 38.26, 25.7, 41.3]],
    'rot_out': [[0.0, 7.4375, 20.25, 43.9167, 8.6041, 0.0],
     [0.0, 9.5625, 28.75, 52.4167, 10.7292, 0.0],
     [0.0, 6.3542, 47.9167, 50.25, 18.1875, 0.0], [0.0, 8.4792, 56.4167, 42.75, 4.3125, 0.0]],
    'rot_b': [[14.1554, 70.6044, 100.3035, 85.899, 88.1475, 69.9356],
     [40.315, 44.5996, 95.6698, 135.9875, 99.3191, 82.3645],
     [76.2943, 66.6809, 30.0124, 70.3302, 121.4005, 125.685],
     [45.7592, 77.8525, 80.101, 52.6989, 39.4341, 52.9192]],
}


def test_rotate_matches_mxnet():
    onp.testing.assert_allclose(T.Rotate(30)(T4)[0].asnumpy(), ROTATED["rot30"], atol=1e-4)
    onp.testing.assert_allclose(T.Rotate(-45, zoom_in=True)(T4)[1].asnumpy(), ROTATED["rot_in"],
                                atol=1e-4)
    onp.testing.assert_allclose(T.Rotate(90, zoom_out=True)(T4)[2].asnumpy(),
                                ROTATED["rot_out"], atol=1e-4)
    batch = T.Rotate(15)(np.stack([T4, T4 * 2]))
    assert batch.shape == (2, 3, 4, 6) and batch.dtype == onp.float32
    onp.testing.assert_allclose(batch[1, 0].asnumpy(), ROTATED["rot_b"], atol=1e-4)


def test_rotate_zero_is_identity_and_is_differentiable():
    onp.testing.assert_allclose(T.Rotate(0)(T4).asnumpy(), T4.asnumpy(), atol=1e-4)
    x = T4.copy()
    x.attach_grad()
    with autograd.record():
        y = T.Rotate(0)(x).sum()
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), onp.ones((3, 4, 6)), rtol=1e-6)


def test_rotate_errors():
    with pytest.raises(TypeError, match="only supports float32"):
        T.Rotate(10)(X)
    with pytest.raises(ValueError, match="cannot both"):
        T.Rotate(10, zoom_in=True, zoom_out=True)(T4)
    with pytest.raises(ValueError, match="ordered"):
        T.RandomRotation((5, 1))
    with pytest.raises(ValueError, match="between 0 and 1"):
        T.RandomRotation((0, 1), rotate_with_proba=2)


def test_random_rotation():
    assert T.RandomRotation((-10, 10), rotate_with_proba=0.0)(T4) is T4
    out = T.RandomRotation((-10, 10))(np.stack([T4, T4]))
    assert out.shape == (2, 3, 4, 6)
    assert not onp.allclose(out[0].asnumpy(), out[1].asnumpy())  # one angle per image
    mxnp.random.seed(3)
    first = T.RandomRotation((-30, 30), zoom_in=True)(T4).asnumpy()
    mxnp.random.seed(3)
    again = T.RandomRotation((-30, 30), zoom_in=True)(T4).asnumpy()
    onp.testing.assert_array_equal(again, first)
