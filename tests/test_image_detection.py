"""mx.image.detection: box arithmetic against NumPy loops, ImageDetIter's labels, shapes and
errors (pixels and boxes against MXNet itself are in test_image_mxnet.py)."""
from __future__ import annotations

import json
import random

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np
from mxnp.testing import assert_allclose

cv2 = pytest.importorskip("cv2")

IMG = np.array(onp.random.RandomState(5).randint(0, 256, (30, 40, 3)), dtype="uint8")
LABEL = onp.array([[0, .1, .2, .5, .6], [1, .4, .3, .9, .95]])


def test_flip_mirrors_boxes_in_place():
    label = LABEL.copy()
    img, out = mx.image.DetHorizontalFlipAug(1.0)(IMG, label)
    assert out is label
    assert_allclose(out, [[0, .5, .2, .9, .6], [1, .1, .3, .6, .95]], rtol=1e-12)
    assert_allclose(img, IMG.asnumpy()[:, ::-1], rtol=0)


def test_crop_boxes_follow_the_pixels():
    """Each kept box, mapped back through the crop, is the original box cut to the crop."""
    random.seed(3)
    aug = mx.image.DetRandomCropAug(0.1, (0.5, 2.0), (0.2, 0.8), min_eject_coverage=0.0)
    seen = 0
    for _ in range(30):
        rect = aug._random_crop_proposal(LABEL, 30, 40)
        if not rect:
            continue
        x, y, w, h, out = rect
        seen += 1
        assert 0.2 * 1200 <= w * h <= 0.8 * 1200
        for row in out:
            orig = LABEL[LABEL[:, 0] == row[0]][0]
            back = [row[1] * w + x, row[2] * h + y, row[3] * w + x, row[4] * h + y]
            cut = [max(orig[1] * 40, x), max(orig[2] * 30, y), min(orig[3] * 40, x + w),
                   min(orig[4] * 30, y + h)]
            assert_allclose(back, cut, rtol=1e-9, atol=1e-9)
    assert seen > 10


def test_pad_keeps_the_image_and_moves_the_boxes():
    random.seed(2)
    img, out = mx.image.DetRandomPadAug((1.0, 1.0), (2.0, 2.5), pad_val=(9, 8, 7))(IMG, LABEL)
    h, w = img.shape[:2]
    assert h > 30 and w > 40
    pixels = img.asnumpy()
    ys, xs = onp.nonzero((pixels != [9, 8, 7]).any(axis=2))
    y, x = ys.min(), xs.min()
    onp.testing.assert_array_equal(pixels[y:y + 30, x:x + 40], IMG.asnumpy())
    assert_allclose(out[:, 1], (LABEL[:, 1] * 40 + x) / w, rtol=1e-12)
    assert_allclose(out[:, 4], (LABEL[:, 4] * 30 + y) / h, rtol=1e-12)


def test_select_skips_at_its_rate_and_borrow_wraps_image_augmenters():
    aug = mx.image.DetRandomSelectAug([mx.image.DetHorizontalFlipAug(1.0)], skip_prob=0.25)
    random.seed(0)
    flipped = sum(aug(IMG, LABEL.copy())[1][0, 1] != LABEL[0, 1] for _ in range(400))
    assert 0.68 < flipped / 400 < 0.82
    assert mx.image.DetRandomSelectAug([]).skip_prob == 1
    borrow = mx.image.DetBorrowAug(mx.image.CastAug())
    img, label = borrow(IMG, LABEL)
    assert img.dtype == onp.float32 and label is LABEL
    assert borrow.dumps() == ["detborrowaug", '["castaug", {"type": "float32"}]']
    assert json.loads(mx.image.DetHorizontalFlipAug(0.5).dumps()) == \
        ["dethorizontalflipaug", {"p": 0.5}]


def test_bad_detection_arguments_are_named():
    with pytest.raises(TypeError, match="DetBorrowAug: expected an mx.image.Augmenter"):
        mx.image.DetBorrowAug(mx.image.DetHorizontalFlipAug(0.5))
    with pytest.raises(ValueError, match="DetAugmenters only"):
        mx.image.DetRandomSelectAug([mx.image.CastAug()])
    with pytest.warns(UserWarning, match="Skip DetRandomCropAug due to invalid area_range"):
        assert not mx.image.DetRandomCropAug(area_range=(0.5, 0.2)).enabled
    with pytest.warns(UserWarning, match="Skip DetRandomPadAug due to invalid aspect_ratio"):
        assert not mx.image.DetRandomPadAug(aspect_ratio_range=(2.0, 1.0)).enabled
    with pytest.raises(ValueError, match="parameter lists must have 1 or 3 entries"):
        mx.image.CreateMultiRandCropAugmenter([0.1, 0.2], max_attempts=[1, 2, 3])
    with pytest.raises(NotImplementedError, match="Must override"):
        mx.image.DetAugmenter()(IMG, LABEL)
    assert mx.image.DetRandomCropAug(aspect_ratio_range=1.0).aspect_ratio_range == (1.0, 1.0)


@pytest.fixture
def det_files(tmp_path):
    for i in range(3):
        buf = cv2.imencode(".png", onp.full((10 + i, 12, 3), 40 * i, dtype=onp.uint8))[1]
        (tmp_path / f"{i}.png").write_bytes(buf.tobytes())
    return tmp_path


def test_det_iter_labels_are_padded_with_minus_one(det_files):
    imglist = [[2, 5, 0, .1, .1, .5, .5, 1, .2, .2, .6, .6, 4, .3, .3, .9, .9, "0.png"],
               [2, 5, 2, .1, .2, .3, .4, "1.png"],
               [3, 5, 7, 1, .0, .0, .5, .5, "2.png"]]  # a 3-wide header
    it = mx.image.ImageDetIter(2, (3, 8, 8), imglist=imglist, path_root=str(det_files))
    assert it.label_shape == (3, 5) and it.provide_data == [("data", (2, 3, 8, 8))]
    first, second = list(it)
    assert first.label[0].shape == (2, 3, 5)
    assert_allclose(first.label[0][1], [[2, .1, .2, .3, .4]] + [[-1] * 5] * 2, rtol=1e-6)
    assert_allclose(second.label[0][0], [[1, 0, 0, .5, .5]] + [[-1] * 5] * 2, rtol=1e-6)
    assert second.pad == 1 and first.data[0].shape == (2, 3, 8, 8)


def test_det_iter_reshape_and_sync(det_files):
    one = mx.image.ImageDetIter(1, (3, 8, 8), imglist=[[2, 5, 0, .1, .1, .5, .5, "0.png"]],
                                path_root=str(det_files))
    two = mx.image.ImageDetIter(1, (3, 8, 8), path_root=str(det_files), imglist=[
        [2, 5, 0, .1, .1, .5, .5, 1, .2, .2, .6, .6, "1.png"]])
    one.sync_label_shape(two)
    assert one.label_shape == two.label_shape == (2, 5)
    assert one.provide_label == [("label", (1, 2, 5))]
    with pytest.raises(ValueError, match="reduce label count from 2 to 1"):
        one.reshape(label_shape=(1, 5))
    with pytest.raises(ValueError, match="object width inconsistent"):
        one.reshape(label_shape=(4, 6))
    one.reshape(data_shape=(3, 4, 4))  # the augmenters still make 8x8 images, as in MXNet
    assert one.provide_data == [("data", (1, 3, 4, 4))] and one.data_shape == (3, 4, 4)


def test_det_iter_label_errors(det_files):
    with pytest.raises(RuntimeError, match="Label shape is invalid"):
        mx.image.ImageDetIter(1, (3, 8, 8), imglist=[[2, 5, 0, .1, "0.png"]],
                              path_root=str(det_files))
    with pytest.raises(RuntimeError, match="inconsistent with annotation width 5"):
        mx.image.ImageDetIter(1, (3, 8, 8), imglist=[[2, 5, 0, .1, .1, .5, .5, 1, "0.png"]],
                              path_root=str(det_files))
    with pytest.raises(RuntimeError, match="no valid label"):
        mx.image.ImageDetIter(1, (3, 8, 8), imglist=[[2, 5, 0, .5, .1, .1, .5, "0.png"]],
                              path_root=str(det_files))


def test_draw_next_draws_the_boxes(det_files):
    it = mx.image.ImageDetIter(1, (3, 8, 8), imglist=[[2, 5, 0, .25, .25, .75, .75, "2.png"]],
                               path_root=str(det_files), aug_list=[])
    (image,) = list(it.draw_next(color=(255, 0, 0), thickness=1))
    assert image.dtype == onp.uint8 and image.shape == (12, 12, 3)
    assert image[3, 3].tolist() == [0, 0, 255]  # red, in OpenCV's BGR order
    assert image[6, 6].tolist() == [80, 80, 80]
