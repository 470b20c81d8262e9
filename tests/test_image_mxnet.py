"""mx.image against the real MXNet 1.9.1, pixel for pixel.

The expected outputs are tests/data/image/mxnet_outputs.json, written by
tests/data/image/mxnet_fixtures.py under the MXNet oracle (see its docstring) on the same
seeded images. Random augmenters run after seeding Python's ``random`` and NumPy's global
generator with the same seeds as there. Needs OpenCV (the vision extra): MXNet resizes and
decodes with it.
"""
from __future__ import annotations

import importlib.util
import json
import pathlib
import random

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np

cv2 = pytest.importorskip("cv2")

DATA = pathlib.Path(__file__).parent / "data" / "image"
REF = json.loads((DATA / "mxnet_outputs.json").read_text())
_SPEC = importlib.util.spec_from_file_location("image_recipes", DATA / "recipes.py")
recipes = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(recipes)  # the fixture script's images and augmenters, shared

IMG = recipes.images()
A, B = np.array(IMG["a"], dtype="uint8"), np.array(IMG["b"], dtype="uint8")


def same(out, key, rtol=0.0, ref=None):
    """``out`` has MXNet's dtype and values (exactly for integers, to ``rtol`` for floats);
    ``ref`` is the recorded array when it is not ``REF[key]`` itself."""
    ref = REF[key] if ref is None else ref
    want = onp.array(ref["value"], dtype=ref["dtype"])
    got = out.asnumpy() if hasattr(out, "asnumpy") else onp.asarray(out)
    assert got.dtype == want.dtype, (key, got.dtype, want.dtype)
    assert got.shape == want.shape, (key, got.shape, want.shape)
    if want.dtype.kind in "iu":
        bad = onp.abs(got.astype(int) - want.astype(int))
        assert bad.max(initial=0) == 0, f"{key}: {int((bad > 0).sum())} pixels differ"
    else:
        onp.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 255, err_msg=key)


def seeded(seed, fn):
    random.seed(seed)
    onp.random.seed(seed)
    return fn()


@pytest.mark.parametrize("interp", range(5))
@pytest.mark.parametrize("key", ["a", "b"])
@pytest.mark.parametrize("size", [(5, 4), (13, 11), (3, 5)])
def test_imresize_every_interpolation_matches_mxnet(key, size, interp):
    src = {"a": A, "b": B}[key]
    w, h = size
    same(mx.image.imresize(src, w, h, interp=interp), f"imresize/{key}/{w}x{h}/{interp}")
    same(mx.image.imresize(src.astype("float32") * 1.37, w, h, interp=interp),
         f"imresize_f32/{key}/{w}x{h}/{interp}", rtol=1e-5)


@pytest.mark.parametrize("size, interp", [(4, 1), (4, 2), (4, 3), (10, 9), (30, 9), (5, 0)])
def test_resize_short_matches_mxnet(size, interp):
    same(mx.image.resize_short(A, size, interp), f"resize_short/a/{size}/{interp}")


def test_crops_match_mxnet():
    same(mx.image.fixed_crop(B, 2, 3, 5, 6, size=(4, 4)), "fixed_crop/b")
    same(mx.image.center_crop(A, (5, 5))[0], "center_crop/a/5x5")
    same(mx.image.center_crop(A, (12, 10))[0], "center_crop/a/12x10")


@pytest.mark.parametrize("border", range(5))
def test_copy_make_border_matches_mxnet(border):
    same(mx.image.copyMakeBorder(A, 1, 2, 3, 0, type=border, value=7), f"copyMakeBorder/{border}")


def test_copy_make_border_values_per_channel_match_mxnet():
    same(mx.image.copyMakeBorder(A, 2, 0, 1, 1, values=(5, 6)), "copyMakeBorder/values")


AUGS = recipes.augmenters(mx)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", sorted(AUGS))
def test_seeded_augmenters_match_mxnet(name, seed):
    aug = AUGS[name]()
    out = seeded(seed, lambda: aug(A.astype("float32")))
    same(out, f"aug/{name}/{seed}", rtol=1e-5)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_seeded_random_crop_rectangles_match_mxnet(seed):
    rect = seeded(seed, lambda: mx.image.random_size_crop(A, (4, 4), (0.2, 0.9), (0.5, 2.0))[1])
    assert list(rect) == REF[f"random_size_crop/{seed}"]
    rect = seeded(seed, lambda: mx.image.random_crop(B, (5, 7))[1])
    assert list(rect) == REF[f"random_crop/{seed}"]


FULL = recipes.FULL


def run_all(augs, src):
    for aug in augs:
        src = aug(src)
    return src


@pytest.mark.parametrize("seed", [5, 6])
def test_create_augmenter_pipeline_matches_mxnet(seed):
    out = seeded(seed, lambda: run_all(mx.image.CreateAugmenter((3, 6, 6), **FULL), B))
    same(out, f"create_augmenter/{seed}", rtol=1e-5)


def test_create_augmenter_dumps_match_mxnet():
    assert [a.dumps() for a in mx.image.CreateAugmenter((3, 6, 6), **FULL)] == \
        REF["create_augmenter/dumps"]


def write_pngs(folder, pics):
    for i, p in enumerate(pics):
        (folder / f"{i}.png").write_bytes(cv2.imencode(".png", p[:, :, ::-1])[1].tobytes())


@pytest.fixture
def png_folder(tmp_path):
    """The fixture script's six PNG files, and the image list that names them."""
    pics = recipes.pictures()
    write_pngs(tmp_path, pics)
    return tmp_path, [[float(i), f"{i}.png"] for i in range(len(pics))]


def batches_like_mxnet(got, key):
    want = REF[key]
    assert len(got) == len(want), key
    for i, (batch, ref) in enumerate(zip(got, want)):
        assert batch.pad == ref["pad"], (key, i)
        same(batch.label[0], f"{key}[{i}].label", ref=ref["label"])
        same(batch.data[0], f"{key}[{i}].data", rtol=1e-5, ref=ref["data"])


@pytest.mark.parametrize("handle", ["pad", "discard", "roll_over"])
def test_image_iter_batches_match_mxnet(png_folder, handle):
    root, imglist = png_folder
    it = mx.image.ImageIter(4, (3, 5, 5), imglist=imglist, path_root=str(root),
                            last_batch_handle=handle, resize=6)
    got = []
    for _ in range(2):
        got.extend(it)
        it.reset()
    batches_like_mxnet(got, f"imageiter/{handle}")


def test_shuffled_augmented_image_iter_matches_mxnet(png_folder):
    root, imglist = png_folder
    it = seeded(7, lambda: mx.image.ImageIter(
        3, (3, 4, 4), imglist=imglist, path_root=str(root), shuffle=True, rand_crop=True,
        rand_mirror=True, brightness=0.3, label_width=1))
    batches_like_mxnet(seeded(8, lambda: list(it)), "imageiter/shuffled")


@pytest.mark.parametrize("deg, zoom_in, zoom_out", [(30, False, False), (-75, True, False),
                                                    (120, False, True)])
def test_imrotate_matches_mxnet(deg, zoom_in, zoom_out):
    chw = A.astype("float32").transpose(2, 0, 1)
    same(mx.image.imrotate(chw, deg, zoom_in, zoom_out),
         f"imrotate/{deg}/{int(zoom_in)}{int(zoom_out)}", rtol=1e-4)


def test_seeded_random_rotate_of_a_batch_matches_mxnet():
    chw = A.astype("float32").transpose(2, 0, 1)
    out = seeded(9, lambda: mx.image.random_rotate(np.stack([chw, chw * 0.5]), (-40, 40)))
    same(out, "random_rotate/batch", rtol=1e-4)


LABEL = onp.array(recipes.LABEL)
DET_AUGS = recipes.det_augmenters(mx)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("name", sorted(DET_AUGS))
def test_seeded_detection_augmenters_match_mxnet(name, seed):
    aug = DET_AUGS[name]()
    img, label = seeded(seed, lambda: aug(A, LABEL.copy()))
    ref = REF[f"det/{name}/{seed}"]
    same(img, f"det/{name}/{seed}.image", ref=ref["image"])
    same(label, f"det/{name}/{seed}.label", rtol=1e-12, ref=ref["label"])


DET_FULL = recipes.DET_FULL


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_create_det_augmenter_pipeline_matches_mxnet(seed):
    augs = mx.image.CreateDetAugmenter((3, 8, 8), **DET_FULL)
    src, label = B, LABEL.copy()
    random.seed(seed)
    onp.random.seed(seed)
    for aug in augs:
        src, label = aug(src, label)
    ref = REF[f"det/create/{seed}"]
    same(src, f"det/create/{seed}.image", rtol=1e-5, ref=ref["image"])
    same(label, f"det/create/{seed}.label", rtol=1e-12, ref=ref["label"])
    assert [a.dumps() for a in augs] == REF["det/create/dumps"]


def test_image_det_iter_matches_mxnet(tmp_path):
    write_pngs(tmp_path, [IMG["a"], IMG["b"]])
    it = seeded(10, lambda: mx.image.ImageDetIter(
        3, (3, 6, 6), imglist=recipes.DETLIST, path_root=str(tmp_path), rand_crop=0.5,
        rand_mirror=True))
    assert list(it.label_shape) == REF["det/iter/label_shape"]
    assert it.provide_label == [("label", (3, 2, 5))]
    batches_like_mxnet(seeded(11, lambda: list(it)), "det/iter/batches")


@pytest.mark.parametrize("name", ["sample.jpg", "sample.png"])
def test_decoding_matches_mxnet(name):
    data = (DATA / name).read_bytes()
    for flag in (0, 1):
        same(mx.image.imdecode(data, flag=flag), f"imdecode/{name}/{flag}")
    same(mx.image.imdecode(data, to_rgb=False), f"imdecode/{name}/bgr")
    same(mx.image.imread(str(DATA / name), flag=0), f"imread/{name}/0")


@pytest.mark.parametrize("part, parts", [(0, 1), (1, 2)])
def test_image_iter_reads_mxnet_written_records_as_mxnet(part, parts):
    """mxnet.rec/.idx were written by MXNet itself (mx.recordio, PNG images, two labels each)."""
    it = seeded(12, lambda: mx.image.ImageIter(
        2, (3, 4, 4), label_width=2, path_imgrec=str(DATA / "mxnet.rec"),
        path_imgidx=str(DATA / "mxnet.idx"), shuffle=True, part_index=part, num_parts=parts,
        rand_crop=True, last_batch_handle="roll_over"))
    batches_like_mxnet(seeded(13, lambda: list(it)), f"imageiter/rec/{part}of{parts}")


def test_out_arguments_and_the_empty_buffer_error():
    # values recorded from MXNet 1.9.1 (legacy face)
    src = mx.nd.arange(2 * 3 * 3).reshape(2, 3, 3).astype("uint8")
    out = mx.nd.zeros((4, 5, 3), dtype="uint8")
    assert mx.image.imresize(src, 5, 4, interp=0, out=out) is out
    assert out[:, :, 0].asnumpy().tolist() == [[0, 0, 3, 3, 6], [0, 0, 3, 3, 6],
                                               [9, 9, 12, 12, 15], [9, 9, 12, 12, 15]]
    out = mx.nd.zeros((4, 5, 3), dtype="uint8")
    assert mx.image.copyMakeBorder(src, 1, 1, 1, 1, type=0, values=[9, 9, 9], out=out) is out
    assert out[:, :, 0].asnumpy().tolist() == [[9, 9, 9, 9, 9], [9, 0, 3, 6, 9],
                                               [9, 9, 12, 15, 9], [9, 9, 9, 9, 9]]
    with pytest.raises(mx.base.MXNetError):  # MXNet: "Incompatible attr ... expected uint8"
        mx.image.imresize(src, 5, 4, interp=0, out=mx.nd.zeros((4, 5, 3)))
    with pytest.raises(mx.base.MXNetError, match="Input cannot be an empty buffer"):
        mx.image.imdecode(b"", to_rgb=0)
