"""``random_color_jitter`` draws its order and factors as MXNet 1.9.1's kernel does.

tests/data/color_jitter_stream.json holds MXNet 1.9.1's pixels for a float32 and a uint8
(2, 3, 3) image after ``mx.random.seed(s)``, seeds 0-5, for several (brightness, contrast,
saturation, hue) settings, and the ``np.random.uniform`` / ``mx.nd.random.uniform`` draws that
follow (tests/data/record_color_jitter.py made it under the mxref environment). Each case is
replayed through ``npx.image``, ``mx.nd.image`` and gluon's ``RandomColorJitter``.

Two documented differences are kept apart: MXNet's saturation kernel keeps only ``0.114 B`` of
the gray level, so cases with saturation run with that kernel put in place of mxnp's (the draws
and the order are what is checked there); with every amount 0 MXNet returns zeros and mxnp the
image. Everything else is compared bit for bit.
"""
from __future__ import annotations

import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np, npx
from mxnp.gluon.data.vision import transforms
from mxnp.numpy_extension import _color

_DATA = json.loads((pathlib.Path(__file__).parent / "data" / "color_jitter_stream.json")
                   .read_text())
IMAGES = {k: onp.array(v, dtype=k).reshape(2, 3, 3) for k, v in _DATA["images"].items()}


def _mxnet_saturation(img, alpha):
    """MXNet 1.9.1's saturation kernel: its gray level is ``0.114 B`` alone (it assigns each
    luma term instead of adding it), blended as mxnp's."""
    x = img.astype("float32")
    gray = x[:, :, 2:3] * onp.float32(0.114)
    return _color._saturate(gray * (1 - onp.float32(alpha)) + x * onp.float32(alpha), img.dtype)


FACES = {
    "npx": lambda img, setting: npx.image.random_color_jitter(np.array(img), *setting),
    "nd": lambda img, setting: mx.nd.image.random_color_jitter(
        mx.nd.array(img, dtype=img.dtype), *setting),
    "gluon": lambda img, setting: transforms.RandomColorJitter(*setting)(np.array(img)),
}


@pytest.mark.parametrize("face", sorted(FACES))
def test_jitter_pixels_and_the_draws_after_it_are_mxnets(face, monkeypatch):
    monkeypatch.setattr(_color, "adjust_saturation", _mxnet_saturation)
    for case in _DATA["cases"]:
        setting, image = tuple(case["setting"]), IMAGES[case["dtype"]]
        mx.random.seed(case["seed"])
        out = FACES[face](image, setting).asnumpy()
        np_next = np.random.uniform(size=2).asnumpy()
        nd_next = mx.nd.random.uniform(shape=2).asnumpy()
        where = f"{face} {setting} seed {case['seed']} {case['dtype']}"
        assert out.dtype == image.dtype and out.shape == image.shape, where
        want = onp.array(case["out"], dtype=image.dtype).reshape(image.shape)
        if not any(setting):
            onp.testing.assert_array_equal(out, image, err_msg=where)  # MXNet: zeros
        else:
            onp.testing.assert_array_equal(out, want, err_msg=where)
        onp.testing.assert_array_equal(np_next, onp.float32(case["np_uniform"]), err_msg=where)
        onp.testing.assert_array_equal(nd_next, onp.float32(case["nd_uniform"]), err_msg=where)


def test_the_order_is_libstdcxx_shuffle_of_three_draws():
    # entry i (1, 2, 3) swaps with uniform_int(0, i), one output each; engine 0's first three
    # outputs give 1, 1, 2: [0, 1, 2, 3] -> [0, 1, 2, 3] -> [0, 2, 1, 3] -> [0, 2, 3, 1]
    from mxnp import _rng
    engine = _rng.Sequential(0)
    assert _color._jitter_order(engine) == [0, 2, 3, 1]
    assert _rng.raw(engine.engine, 1)[0] == _rng.raw(_rng.mt19937(0), 4)[3]  # three used
