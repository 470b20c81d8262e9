"""npx.image and mx.image: expected numbers were printed by the real MXNet 1.9.1
(``/work/shared/tools/mxref``) on the same inputs and are embedded here."""
from __future__ import annotations

import importlib.util
import io
import sys

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, np, npx
from mxnp.testing import assert_allclose

X = np.arange(24).reshape(2, 4, 3).astype("uint8")
XF = (np.arange(24).reshape(2, 4, 3) ** 1.5).astype("float32")
XX = (np.arange(30) * 7 % 11).reshape(5, 6, 1).astype("uint8")
HAS_PIL = importlib.util.find_spec("PIL") is not None


def test_to_tensor_matches_mxnet():
    t = npx.image.to_tensor(X)
    assert t.shape == (3, 2, 4) and t.dtype == onp.float32
    assert_allclose(t[0], [[0., 0.01176471, 0.02352941, 0.03529412],
                           [0.04705882, 0.05882353, 0.07058824, 0.08235294]], rtol=1e-6)
    assert npx.image.to_tensor(np.stack([X, X])).shape == (2, 3, 2, 4)
    assert npx.image.to_tensor(X.astype("float64")).dtype == onp.float32


@pytest.mark.parametrize("dtype", ["uint8", "float16", "float64"])
def test_to_tensor_casts_to_float32_then_divides_and_has_a_gradient(dtype):
    rng = onp.random.default_rng(5)
    raw = (rng.uniform(0, 255, (2, 3, 4, 3))).astype(dtype)
    got = npx.image.to_tensor(np.array(raw))
    want = raw.astype("float32").transpose(0, 3, 1, 2) / onp.float32(255)
    assert got.dtype == onp.float32 and got.asnumpy().flags.c_contiguous
    onp.testing.assert_array_equal(got.asnumpy(), want)  # the same bits as cast, then divide
    if dtype == "uint8":
        return
    x = np.array(raw)
    x.attach_grad()
    head = onp.arange(got.size, dtype="float32").reshape(got.shape)
    with autograd.record():
        y = npx.image.to_tensor(x)
    y.backward(np.array(head))
    assert x.grad.dtype == onp.dtype(dtype)
    assert_allclose(x.grad, (head.transpose(0, 2, 3, 1) / 255).astype(dtype), rtol=1e-3)


def test_normalize_matches_mxnet_and_its_gradient_is_one_over_std():
    t = npx.image.to_tensor(X)
    t.attach_grad()
    with autograd.record():
        y = npx.image.normalize(t, mean=(0.1, 0.2, 0.3), std=(1., 2., 4.))
    y.backward()
    assert_allclose(y[2, 0], [-0.07303922, -0.07009804, -0.06715687, -0.06421569], rtol=1e-6)
    assert_allclose(t.grad[:, 0, 0], [1., 0.5, 0.25], rtol=0)
    assert_allclose(npx.image.normalize(t, mean=0.5, std=2.)[0, 0],
                    [-0.25, -0.24411765, -0.2382353, -0.23235294], rtol=1e-6)
    assert npx.image.normalize(t.astype("float64"), 0.5, 2.0).dtype == onp.float64


def test_normalize_bad_input():
    with pytest.raises(ValueError, match="normalize: mean must have 1 or 3"):
        npx.image.normalize(npx.image.to_tensor(X), mean=(0.1, 0.2), std=(1., 2.))
    with pytest.raises(ValueError, match="normalize: the channel axis"):
        npx.image.normalize(X, mean=(0.1, 0.2, 0.3))


def test_flips_and_crop_match_numpy():
    x = X.asnumpy()
    assert_allclose(npx.image.flip_left_right(X), x[:, ::-1], rtol=0)
    assert_allclose(npx.image.flip_top_bottom(X), x[::-1], rtol=0)
    flipped = npx.image.random_flip_left_right(X).asnumpy()
    assert (flipped == x).all() or (flipped == x[:, ::-1]).all()
    # mxref: npx.image.crop(x, 1, 0, 2, 1)
    assert_allclose(npx.image.crop(X, 1, 0, 2, 1), [[[3, 4, 5], [6, 7, 8]]], rtol=0)
    assert npx.image.crop(np.stack([X, X]), 1, 0, 2, 1).shape == (2, 1, 2, 3)


def test_random_flip_draws_both_outcomes():
    seen = {bool((npx.image.random_flip_top_bottom(X).asnumpy() == X.asnumpy()).all())
            for _ in range(40)}
    assert seen == {True, False}


def test_flip_and_crop_bad_input():
    with pytest.raises(ValueError, match="flip_left_right: expected an image of shape"):
        npx.image.flip_left_right(np.stack([X, X]))
    with pytest.raises(ValueError, match="crop: window"):
        npx.image.crop(X, 3, 0, 2, 1)


def test_resize_float_matches_mxnet():
    assert_allclose(npx.image.resize(XF, (6, 3))[:, :, 0],
                    [[0., 2.598076, 6.7796164, 13.113474, 20.848469, 27.],
                     [20.784609, 26.21503, 33.959915, 43.21777, 53.57464, 61.617046],
                     [41.569218, 49.831985, 61.140213, 73.32207, 86.30081, 96.23409]],
                    rtol=1e-6)
    assert_allclose(npx.image.resize(XF, (3, 1))[:, :, 0], [[22.594748, 38.588844, 58.93624]],
                    rtol=1e-6)
    assert_allclose(npx.image.resize(XX.astype("float32"), (4, 3))[:, :, 0],
                    [[3.8333335, 3.3333333, 8.333333, 2.3333333], [6., 8.25, 5., 7.25],
                     [4.5, 6.75, 3.5, 5.75]], rtol=1e-6)
    assert_allclose(npx.image.resize(XF, (6, 3), interp=0)[:, :, 0],
                    [[0., 0., 5.196152, 14.6969385, 14.6969385, 27.]] * 2
                    + [[41.569218, 41.569218, 58.09475, 76.36753, 76.36753, 96.23409]],
                    rtol=1e-6)
    assert npx.image.resize(XF, 3, keep_ratio=True).shape == (3, 6, 3)
    assert npx.image.resize(XF, 5).shape == (5, 5, 3)
    assert npx.image.resize(np.stack([XF, XF]), (3, 2)).shape == (2, 2, 3, 3)


def test_resize_uint8_matches_mxnet_where_no_half_rounding():
    # mxref: npx.image.resize(xx, (4, 3)); values here are not at a rounding tie (see report)
    out = npx.image.resize(XX, (4, 3))
    assert out.dtype == onp.uint8
    assert_allclose(out[:, :, 0], [[4, 3, 8, 2], [6, 8, 5, 7], [4, 7, 3, 6]], rtol=0)
    assert_allclose(mxnp.image.imresize(XX, 4, 3, interp=0)[:, :, 0],
                    [[0, 7, 10, 6], [9, 5, 8, 4], [5, 1, 4, 0]], rtol=0)


def test_resize_uint8_rounding_ties_match_mxnet():
    pytest.importorskip("cv2")  # the fallback without OpenCV can be one level off on ties
    # mxref: npx.image.resize(x, (3, 5))[:, :, 0]
    assert_allclose(npx.image.resize(X, (3, 5))[:, :, 0],
                    [[0, 4, 8], [2, 6, 10], [6, 11, 15], [11, 15, 19], [12, 16, 20]], rtol=0)


def test_resize_bad_input(monkeypatch):
    with pytest.raises(ValueError, match="interp=5 is not an interpolation method"):
        npx.image.resize(XF, (3, 1), interp=5)
    monkeypatch.setitem(sys.modules, "cv2", None)  # without OpenCV: nearest and bilinear only
    with pytest.raises(NotImplementedError, match="interp=2 needs OpenCV"):
        npx.image.resize(XF, (3, 1), interp=2)
    assert npx.image.resize(XF, (3, 1), interp=1).shape == (1, 3, 3)
    with pytest.raises(ValueError, match="resize: size"):
        npx.image.resize(XF, (3, 0))
    with pytest.raises(TypeError, match="uint8 or floating"):
        npx.image.resize(X.astype("int32"), (3, 1))


def test_mx_image_crops_match_mxnet():
    assert_allclose(mxnp.image.fixed_crop(XX, 1, 1, 3, 2)[:, :, 0], [[5, 1, 8], [3, 10, 6]],
                    rtol=0)
    out, rect = mxnp.image.center_crop(XX, (4, 3))
    assert rect == (1, 1, 4, 3)
    assert_allclose(out[:, :, 0], [[5, 1, 8, 4], [3, 10, 6, 2], [1, 8, 4, 0]], rtol=0)
    assert mxnp.image.scale_down((5, 5), (8, 8)) == (5, 5)
    out, (x0, y0, w, h) = mxnp.image.random_crop(XX, (3, 2))
    assert (w, h) == (3, 2) and 0 <= x0 <= 3 and 0 <= y0 <= 3
    assert_allclose(out, XX.asnumpy()[y0:y0 + 2, x0:x0 + 3], rtol=0)
    # npx.image's center_crop is the same function, answering in the numpy face
    assert onp.array_equal(npx.image.center_crop(XX, (4, 3))[0].asnumpy(),
                           mxnp.image.center_crop(XX, (4, 3))[0].asnumpy())


def test_color_normalize_matches_numpy_in_place_as_mxnet():
    x = XF.asnumpy()
    mean, std = np.array([1., 2., 3.]), np.array([2., 4., 8.])
    src = XF.copy()
    out = mxnp.image.color_normalize(src, mean, std)
    assert out is src  # MXNet normalizes in place
    assert_allclose(out, (x - [1, 2, 3]) / [2, 4, 8], rtol=1e-6)
    assert_allclose(mxnp.image.color_normalize(XF.copy(), mean), x - [1, 2, 3], rtol=1e-6)
    assert_allclose(mxnp.image.color_normalize(XF.copy(), None, std), x / [2, 4, 8], rtol=1e-6)
    with pytest.raises(TypeError, match="uint8"):  # MXNet: 'Type inconsistent' likewise
        mxnp.image.color_normalize(X.copy(), mean)


def test_imread_without_a_decoder_says_how_to_install_one(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        mxnp.image.imread("any.png")
    with pytest.raises(ImportError, match="imdecode: .*pip install pillow"):
        mxnp.image.imdecode(b"\x89PNG")


@pytest.mark.skipif(not HAS_PIL, reason="Pillow is not installed (it is optional)")
@pytest.mark.parametrize("decoder", ["opencv", "pillow"])
def test_imdecode_and_imread_round_trip_a_png(tmp_path, monkeypatch, decoder):
    from PIL import Image

    if decoder == "opencv":
        pytest.importorskip("cv2")
    else:
        monkeypatch.setitem(sys.modules, "cv2", None)
    pixels = (onp.arange(4 * 5 * 3) * 17 % 256).astype(onp.uint8).reshape(4, 5, 3)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    (tmp_path / "a.png").write_bytes(buf.getvalue())
    for img in (mxnp.image.imdecode(buf.getvalue()), mxnp.image.imread(str(tmp_path / "a.png"))):
        assert img.dtype == onp.uint8
        assert_allclose(img, pixels, rtol=0)
    assert_allclose(mxnp.image.imdecode(buf.getvalue(), to_rgb=False), pixels[:, :, ::-1], rtol=0)
    assert mxnp.image.imread(str(tmp_path / "a.png"), flag=0).shape == (4, 5, 1)
    with pytest.raises(ValueError, match="imdecode: cannot decode"):
        mxnp.image.imdecode(b"not an image")
    with pytest.raises(ValueError, match="imread: .*a.txt.*cannot decode"):
        (tmp_path / "a.txt").write_text("text")
        mxnp.image.imread(str(tmp_path / "a.txt"))


def test_mx_image_answers_in_the_array_face_as_mxnet(tmp_path):
    # MXNet 1.9.1 (mxref): NDArrays before npx.set_np(), mx.np arrays after; augmenters too
    cv2 = pytest.importorskip("cv2")  # optional (the vision extra)
    from mxnp.ndarray import NDArray

    path = str(tmp_path / "t.png")
    cv2.imwrite(path, (onp.arange(48).reshape(4, 4, 3) * 5).astype("uint8"))
    for numpy_face in (False, True):
        if numpy_face:
            npx.set_np()
        kind = np.ndarray if numpy_face else NDArray
        img = mxnp.image.imread(path)
        with open(path, "rb") as f:
            decoded = mxnp.image.imdecode(f.read())
        outs = [img, decoded, mxnp.image.resize_short(img, 2),
                mxnp.image.center_crop(img, (2, 2))[0], mxnp.image.imresize(img, 3, 3),
                mxnp.image.HorizontalFlipAug(1.0)(img)]
        assert [type(o) for o in outs] == [kind] * len(outs)
        assert img[1, 1].asnumpy().tolist() == [85, 80, 75]


def test_npx_image_also_gives_mx_images_helpers():
    # MXNet 1.9.1's npx.image star-imports mx.image: the iterators, augmenters and helpers
    import mxnp.image as mx_image

    for name in ("ImageIter", "CreateAugmenter", "HorizontalFlipAug", "resize_short",
                 "imrotate", "random_size_crop", "copyMakeBorder", "ImageDetIter"):
        assert getattr(npx.image, name) is getattr(mx_image, name)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        npx.image.nope  # noqa: B018
