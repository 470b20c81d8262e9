"""The colour-jitter operators of ``npx.image`` and ``mx.nd.image`` (MXNet's image_random ops).

adjust_lighting's values were printed by MXNet 1.9.1 (shared/tools/mxref) for the same image
and weights; the random ops are checked against the factor range they draw from.
"""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np, npx

PIXELS = [[[10, 20, 30], [200, 100, 50]]]


def test_adjust_lighting_matches_mxnet():
    img = mx.nd.array(PIXELS, dtype="float32")
    out = mx.nd.image.adjust_lighting(img, alpha=(0.1, 0.2, 0.3))
    assert isinstance(out, mx.nd.NDArray)
    want = [[[7.6802835, 16.494226, 26.241932], [197.68028, 96.494225, 46.241932]]]
    onp.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)


@pytest.mark.parametrize("name", ["random_brightness", "random_contrast",
                                  "random_saturation", "random_hue"])
def test_random_jitters_in_both_faces_repeat_under_a_seed(name):
    img = onp.array(PIXELS, dtype="float32")
    mx.random.seed(3)
    a = getattr(npx.image, name)(np.array(img), 0.5, 1.5)
    mx.random.seed(3)
    b = getattr(mx.nd.image, name)(mx.nd.array(img), 0.5, 1.5)
    assert type(a) is np.ndarray and isinstance(b, mx.nd.NDArray)
    onp.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    assert not onp.array_equal(a.asnumpy(), img)  # a factor of exactly 1 has probability 0


# MXNet 1.9.1 (mxref): npx.image.random_hue(x, f, f) for this float32 image and its uint8 copy
HUE_IMAGE = [[[128.0, 128.0, 0.0], [10.0, 10.0, 10.0],
              [106.71958923339844, 63.26579666137695, 21.435211181640625],
              [88.1021499633789, 42.52796936035156, 224.03256225585938]],
             [[242.49583435058594, 9.88083553314209, 178.2723846435547],
              [146.0537567138672, 228.9918212890625, 170.05923461914062],
              [139.69863891601562, 179.11898803710938, 98.55168151855469],
              [177.0818634033203, 210.3419647216797, 118.7454605102539]]]
HUE_TURNED = {
    0.3: ([0.0, 128.0, 102.40003204345703, 10.0, 10.0, 10.0, 21.435205459594727,
           106.71958923339844, 46.208927154541016, 224.03257751464844, 51.801246643066406,
           42.527957916259766, 224.79518127441406, 242.49581909179688, 9.880852699279785,
           153.47164916992188, 146.05377197265625, 228.9918212890625, 98.55169677734375,
           155.8120880126953, 179.11898803710938, 118.7454833984375, 195.40113830566406,
           210.34193420410156],
          [0, 128, 102, 10, 10, 10, 20, 106, 46, 223, 51, 42, 224, 241, 9, 153, 146, 227, 97, 155,
           179, 118, 195, 210]),
    1.7: ([128.0, 0.0, 102.39990997314453, 10.0, 10.0, 10.0, 80.32270812988281,
           21.435205459594727, 106.71958923339844, 42.527957916259766, 224.03257751464844,
           124.40302276611328, 9.880852699279785, 131.74917602539062, 242.49581909179688,
           228.9918212890625, 186.64695739746094, 146.05377197265625, 179.11898803710938,
           98.55169677734375, 123.58513641357422, 210.34193420410156, 118.7454833984375,
           158.7624969482422],
          [128, 0, 102, 10, 10, 10, 79, 20, 106, 42, 223, 124, 9, 131, 241, 227, 186, 146, 179, 97,
           122, 210, 118, 158]),
}


@pytest.mark.parametrize("factor", sorted(HUE_TURNED))
def test_random_hue_gives_mxnets_bits(factor):
    # the HLS round trip in MXNet's float32 steps (60 / diff once, times 1/60 rounded)
    img = onp.array(HUE_IMAGE, dtype="float32")
    want_f, want_u8 = HUE_TURNED[factor]
    got = npx.image.random_hue(np.array(img), factor, factor).asnumpy()
    onp.testing.assert_array_equal(got.ravel(), onp.array(want_f, dtype="float32"))
    got = npx.image.random_hue(np.array(img.astype("uint8")), factor, factor).asnumpy()
    assert got.ravel().tolist() == want_u8


def test_random_brightness_scales_by_a_factor_in_range():
    img = np.array(onp.array(PIXELS, dtype="float32"))
    for seed in range(5):
        mx.random.seed(seed)
        factor = (npx.image.random_brightness(img, 0.5, 1.5) / img).asnumpy()
        assert onp.allclose(factor, factor.flat[0]) and 0.5 <= factor.flat[0] < 1.5


def test_random_lighting_and_color_jitter_keep_uint8_in_range():
    img = mx.nd.array(PIXELS, dtype="uint8")
    for out in (mx.nd.image.random_lighting(img, 0.1),
                mx.nd.image.random_color_jitter(img, 0.4, 0.4, 0.4, 0.1)):
        assert out.dtype == onp.uint8 and out.shape == (1, 2, 3)


def test_jitter_refuses_a_batch_with_a_clear_error():
    with pytest.raises(ValueError, match=r"brightness: expected an image of shape \(H, W, C\)"):
        npx.image.random_brightness(np.zeros((2, 2, 2, 3)), 0.5, 1.5)


@pytest.mark.parametrize("name", ["random_brightness", "random_contrast", "random_saturation",
                                  "random_hue"])
def test_jitter_refuses_a_channels_first_tensor_as_mxnet(name):
    # MXNet 1.9.1: "The last dimension of input image must be the channel dimension with either
    # 1 or 3 elements" (MXNetError) for (3, 6, 8) and for 2 channels; 1 channel passes
    from mxnp.base import MXNetError
    for shape in [(3, 6, 8), (6, 8, 2)]:
        with pytest.raises(MXNetError, match="1 or 3 channels"):
            getattr(npx.image, name)(np.ones(shape), 0.5, 1.5)
    assert getattr(npx.image, name)(np.ones((6, 8, 1)), 0.5, 1.5).shape == (6, 8, 1)
    with pytest.raises(MXNetError, match="1 or 3 channels"):
        npx.image.random_lighting(np.ones((3, 6, 8)), 0.1)
    with pytest.raises(MXNetError, match="1 or 3 channels"):
        npx.image.flip_left_right(np.ones((3, 6, 8)))
    with pytest.raises(MXNetError, match="1 or 3 channels"):
        npx.image.crop(np.ones((3, 6, 8)), 0, 0, 2, 2)
