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
