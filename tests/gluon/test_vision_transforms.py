"""Deterministic vision transforms: values against MXNet 1.9.1's on arrays built here, dtypes,
shapes and reprs. The random crop and RandomApply draw from Python's ``random`` as MXNet does, so
a seed reproduces MXNet's pick exactly."""
from __future__ import annotations

import random

import numpy as onp
import pytest

import mxnp
from mxnp import numpy as np
from mxnp import npx
from mxnp.gluon.data.vision import transforms as T

# the test image: uint8 (H=4, W=6, C=3)
X = np.array(onp.arange(72).reshape(4, 6, 3) * 37 % 256, dtype="uint8")

# MXNet 1.9.1 (mxref), rounded to 4 decimals, on X (float inputs: X / 3 as float32)
REF = {
    'totensor': [[0.6039, 0.0353, 0.4706, 0.9059, 0.3373, 0.7725],
     [0.749, 0.1804, 0.6157, 0.0471, 0.4824, 0.9176],
     [0.8941, 0.3255, 0.7608, 0.1922, 0.6275, 0.0588]],
    'totensor_i32': [[0.2902, 0.7255], [0.8941, 0.3255], [0.4941, 0.9294], [0.0941, 0.5294]],
    'norm': [[-0.1, 0.3353, 0.7706, 0.202, 0.6373, 0.0686],
     [-0.0275, 0.1902, -0.0941, 0.1235, 0.3412, 0.0569],
     [-0.0025, 0.1064, -0.0358, 0.073, -0.0691, 0.0397]],
    'resize3': [[[60, 97, 134], [154, 63, 100], [120, 157, 66]],
     [[95, 132, 169], [125, 98, 135], [155, 128, 101]],
     [[129, 166, 96], [95, 132, 169], [189, 98, 135]]],
    'resize53f': [[[10.8333, 23.1667, 35.5], [42.4333, 33.4333, 45.7667],
      [51.2778, 20.9444, 33.2778],
      [50.1667, 58.2333, 20.7889], [26.3, 38.6333, 31.0556]],
     [[33.7667, 46.1, 58.4333], [26.9667, 39.3, 51.6333], [41.5, 32.5, 44.8333],
      [56.0333, 25.7, 38.0333], [49.2333, 57.3, 31.2333]],
     [[56.7, 69.0333, 17.3667], [32.8333, 45.1667, 57.5], [31.7222, 44.0556, 56.3889],
      [40.5667, 42.9444, 55.2778], [72.1667, 19.0778, 31.4111]]],
    'resize_keep': [[[43, 80, 117], [177, 54, 91], [120, 125, 108], [94, 131, 83]],
     [[99, 136, 173], [73, 110, 147], [176, 85, 122], [150, 155, 96]],
     [[155, 192, 69], [129, 166, 203], [72, 98, 135], [206, 72, 110]]],
    'resize_near': [[[0, 37, 74], [111, 148, 185], [77, 114, 151], [188, 225, 6]],
     [[154, 191, 228], [9, 46, 83], [231, 12, 49], [86, 123, 160]],
     [[52, 89, 126], [163, 200, 237], [129, 166, 203], [240, 21, 58]]],
    'cc2': [[[120, 157, 194], [231, 12, 49]], [[18, 55, 92], [129, 166, 203]]],
    'cc10': [[[0, 37, 74], [63, 100, 137], [143, 106, 143], [222, 3, 40], [118, 82, 119],
      [124, 161, 89], [188, 225, 6]],
     [[108, 145, 182], [69, 106, 143], [71, 86, 123], [151, 111, 148], [175, 62, 99],
      [155, 90, 94], [116, 153, 114]],
     [[103, 140, 177], [93, 130, 167], [81, 118, 155], [69, 106, 143], [148, 94, 131],
      [173, 82, 119], [163, 72, 109]],
     [[98, 135, 95], [118, 155, 159], [113, 150, 187], [64, 101, 138], [89, 126, 162],
      [146, 106, 143], [209, 67, 104]],
     [[206, 243, 24], [123, 160, 87], [93, 129, 167], [172, 209, 246], [68, 105, 142],
      [74, 111, 148], [138, 175, 212]]],
    'compose': [[-0.5294, 0.2078, -0.0588], [-0.2549, -0.0196, 0.2157], [0.0118, -0.2549, 0.4824]],
    'rrc': [[[120, 157, 194], [231, 12, 49], [86, 123, 160]],
     [[18, 55, 92], [129, 166, 203], [240, 21, 58]],
     [[172, 209, 246], [27, 64, 101], [138, 175, 212]]],
    'rrc2': [[[197, 42, 79], [116, 89, 126], [163, 200, 45], [82, 119, 92]],
     [[44, 81, 118], [155, 128, 165], [202, 47, 84], [121, 158, 131]]],
    'crop': [[[9, 46, 83], [120, 157, 194], [231, 12, 49]],
     [[163, 200, 237], [18, 55, 92], [129, 166, 203]]],
    'cropresize': [[[111, 148, 185], [180, 57, 94], [167, 44, 82], [77, 114, 151]],
     [[60, 97, 134], [129, 86, 123], [165, 74, 111], [154, 63, 100]],
     [[9, 46, 83], [78, 115, 152], [161, 103, 139], [231, 12, 49]]],
}


def check(got, key, dtype, shape):
    assert isinstance(got, np.ndarray)
    assert got.dtype == onp.dtype(dtype) and got.shape == shape
    want = onp.array(REF[key])
    if onp.dtype(dtype).kind == "u":
        onp.testing.assert_array_equal(got.asnumpy(), want)
    else:
        onp.testing.assert_allclose(got.asnumpy(), want, atol=1e-4)


def test_to_tensor_divides_by_255_for_any_dtype():
    check(T.ToTensor()(X)[:, 1], "totensor", "float32", (3, 6))
    check(T.ToTensor()(X.astype("int32"))[2, :, :2], "totensor_i32", "float32", (4, 2))
    assert T.ToTensor()(X).shape == (3, 4, 6)
    assert T.ToTensor()(np.stack([X, X])).shape == (2, 3, 4, 6)
    with pytest.raises(ValueError):
        T.ToTensor()(X[:, :, 0])


def test_normalize_per_channel():
    out = T.Normalize((0.1, 0.2, 0.3), (1, 2, 4))(T.ToTensor()(X))
    check(out[:, 0], "norm", "float32", (3, 6))
    with pytest.raises(ValueError):
        T.Normalize(0.5, 0.5)(X)  # HWC: the first axis is not the channels
    with pytest.raises(ValueError):
        T.Normalize((0.1, 0.2), 1.0)(T.ToTensor()(X))


def test_normalize_keeps_integer_dtypes_as_mxnet():
    # MXNet 1.9.1 (mxref): computed in float32, cast back truncating toward zero; uint8 wraps
    x = np.array([10, 200, 255], dtype="uint8").reshape(1, 1, 3)
    out = npx.image.normalize(x, mean=0.5, std=0.3)
    assert out.dtype == onp.uint8 and out.asnumpy().ravel().tolist() == [31, 153, 80]
    out = npx.image.normalize(x, mean=100, std=1)
    assert out.asnumpy().ravel().tolist() == [166, 100, 155]
    out = npx.image.normalize(x.astype("int32"), mean=100.5, std=2)
    assert out.dtype == onp.int32 and out.asnumpy().ravel().tolist() == [-45, 49, 77]
    out = npx.image.normalize(x.astype("float16"), mean=100.5, std=2)
    assert out.dtype == onp.float16 and out.asnumpy().ravel().tolist() == [-45.25, 49.75, 77.25]


def test_resize_sizes_interpolation_and_dtype():
    check(T.Resize(3)(X), "resize3", "uint8", (3, 3, 3))
    check(T.Resize((5, 3))(X.astype("float32") / 3), "resize53f", "float32", (3, 5, 3))
    check(T.Resize(3, keep_ratio=True)(X), "resize_keep", "uint8", (3, 4, 3))
    check(T.Resize((4, 3), interpolation=0)(X), "resize_near", "uint8", (3, 4, 3))
    assert T.Resize(8, keep_ratio=True)(X).shape == (8, 12, 3)


def test_center_crop():
    check(T.CenterCrop(2)(X), "cc2", "uint8", (2, 2, 3))


def test_center_crop_larger_than_image_resizes_up():
    pytest.importorskip("cv2")  # MXNet's pixels need OpenCV's resize (the vision extra)
    check(T.CenterCrop((7, 5))(X), "cc10", "uint8", (5, 7, 3))


def test_crop_resize():
    check(T.CropResize(1, 1, 3, 2)(X), "crop", "uint8", (2, 3, 3))
    assert T.CropResize(1, 1, 3, 2)(np.stack([X, X])).shape == (2, 2, 3, 3)
    assert T.CropResize(0, 0, 3, 2, size=(4, 3))(X).shape == (3, 4, 3)
    with pytest.raises(ValueError):
        T.CropResize(5, 0, 3, 2)(X)


def test_crop_resize_values():
    pytest.importorskip("cv2")  # MXNet's pixels need OpenCV's resize (the vision extra)
    check(T.CropResize(1, 0, 3, 2, size=(4, 3), interpolation=1)(X), "cropresize", "uint8",
          (3, 4, 3))


def test_compose_groups_hybrid_blocks_and_applies_in_order():
    steps = [T.Resize(3), T.ToTensor(), T.Normalize(.5, .5)]
    composed = T.Compose(steps)
    check(composed(X)[0], "compose", "float32", (3, 3))
    assert len(steps) == 3  # the caller's list is left alone
    # MXNet 1.9.1 (mxref)
    assert repr(composed) == (
        "Compose(\n  (0): HybridSequential(\n    (0): Resize(\n    \n    )\n    (1): ToTensor(\n"
        "    \n    )\n    (2): Normalize(\n    \n    )\n  )\n)")
    mixed = T.Compose([T.ToTensor(), T.RandomRotation((-1, 1))])
    assert repr(mixed) == ("Compose(\n  (0): ToTensor(\n  \n  )\n  (1): RandomRotation(\n  \n"
                           "  )\n)")


def test_cast():
    out = T.Cast("float16")(X)
    assert out.dtype == onp.float16 and out[0, 0].asnumpy().tolist() == [0.0, 37.0, 74.0]
    assert T.Cast()(X).dtype == onp.float32


def test_random_resized_crop_follows_python_random_as_mxnet():
    random.seed(3)
    check(T.RandomResizedCrop(3)(X), "rrc", "uint8", (3, 3, 3))
    random.seed(5)
    check(T.RandomResizedCrop((4, 2), scale=(0.3, 0.6))(X), "rrc2", "uint8", (2, 4, 3))
    assert T.RandomResizedCrop(5)(X.astype("float32")).dtype == onp.float32


def test_random_apply_follows_python_random_as_mxnet():
    random.seed(1)
    got = [T.RandomApply(T.Cast("float16"), 0.5)(X).dtype.name for _ in range(8)]
    # MXNet 1.9.1 (mxref)
    assert got == ["float16", "uint8", "uint8", "float16", "float16", "float16", "uint8", "uint8"]
    assert repr(T.RandomApply(T.ToTensor(), 0.3)) == \
        "RandomApply(\n  (transforms): ToTensor(\n  \n  )\n)"


NAMES = ["ToTensor", "Normalize", "Resize", "CenterCrop", "RandomResizedCrop", "CropResize",
         "RandomFlipLeftRight", "RandomFlipTopBottom", "RandomBrightness", "RandomContrast",
         "RandomSaturation", "RandomHue", "RandomColorJitter", "RandomLighting", "Cast", "Rotate",
         "RandomRotation"]
ARGS = {"Resize": (3,), "CenterCrop": (2,), "RandomResizedCrop": (2,), "CropResize": (0, 0, 1, 1),
        "RandomBrightness": (.1,), "RandomContrast": (.1,), "RandomSaturation": (.1,),
        "RandomHue": (.1,), "RandomLighting": (.1,), "Rotate": (10,), "RandomRotation": ((0, 1),)}


@pytest.mark.parametrize("name", NAMES)
def test_reprs_as_mxnet(name):
    # MXNet 1.9.1 (mxref): a transform without children prints its class name and a blank body
    assert repr(getattr(T, name)(*ARGS.get(name, ()))) == f"{name}(\n\n)"


def test_official_numpy_input_is_refused():
    with pytest.raises(ValueError, match="there must be one NDArray"):
        T.ToTensor()(X.asnumpy())


# every public name of MXNet 1.9.1's gluon.data.vision and its transforms (api lists)
VISION_NAMES = ["CIFAR10", "CIFAR100", "FashionMNIST", "ImageFolderDataset", "ImageRecordDataset",
                "MNIST", "datasets", "transforms"]
TRANSFORM_NAMES = ["Cast", "CenterCrop", "Compose", "CropResize", "Normalize", "RandomApply",
                   "RandomBrightness", "RandomColorJitter", "RandomContrast",
                   "RandomFlipLeftRight", "RandomFlipTopBottom", "RandomHue", "RandomLighting",
                   "RandomResizedCrop", "RandomRotation", "RandomSaturation", "Resize", "Rotate",
                   "ToTensor"]


def test_every_public_name_is_there_and_under_the_mxnet_alias():
    from mxnp.gluon.data import vision

    assert [n for n in VISION_NAMES if not hasattr(vision, n)] == []
    assert [n for n in TRANSFORM_NAMES if not hasattr(vision.transforms, n)] == []
    assert sorted(vision.transforms.__all__) == TRANSFORM_NAMES
    mxnp.enable_mxnet_alias()
    try:
        from mxnet.gluon.data import vision as aliased
    finally:
        mxnp.disable_mxnet_alias()
    assert aliased.transforms.ToTensor is T.ToTensor
