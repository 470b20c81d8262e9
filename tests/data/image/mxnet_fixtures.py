"""Writes mxnet_outputs.json beside this file: what the real MXNet 1.9.1 gives for mx.image's
functions, augmenters and ImageIter on images made from NumPy's seeded RandomState.

sample.jpg and sample.png are a 24x32 noisy gradient (and its 9x11 corner) that OpenCV encoded
once; the script records how MXNet decodes them.
The images, option sets and augmenters come from recipes.py, which the test file loads too.
Run from the repository root with the MXNet oracle (not a test; tests only read the JSON):
    ../shared/tools/mxref -f tests/data/image/mxnet_fixtures.py
Random augmenters are run after ``random.seed(s)`` and ``numpy.random.seed(s)``: MXNet draws
from Python's ``random`` (LightingAug and random_rotate from NumPy's), so mxnp, seeded the same
way, must give the same pixels. Legacy ``mx.nd`` arrays are used because several of MXNet's
augmenters fail on ``mx.np`` arrays.
"""
import json
import os
import random
import struct
import sys
import tempfile
import zlib

import mxnet as mx
import numpy as onp

HERE = os.path.join(os.getcwd(), "tests", "data", "image")
sys.path.insert(0, HERE)
import recipes  # beside this file, shared with tests/test_image_mxnet.py

mx.npx.reset_np()
nd = mx.nd


def png(pixels):
    """A minimal RGB PNG (no filter, zlib): MXNet's venv has no image encoder."""
    h, w, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[i].tobytes() for i in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def seeded(seed, fn):
    random.seed(seed)
    onp.random.seed(seed)
    return fn()


IMG = recipes.images()
A, B = (nd.array(IMG[k], dtype="uint8") for k in "ab")
OUT = {}
for key, src in (("a", A), ("b", B)):
    for w, h in ((5, 4), (13, 11), (3, 5)):
        for interp in range(5):
            OUT[f"imresize/{key}/{w}x{h}/{interp}"] = mx.image.imresize(src, w, h, interp=interp)
            OUT[f"imresize_f32/{key}/{w}x{h}/{interp}"] = mx.image.imresize(
                src.astype("float32") * 1.37, w, h, interp=interp)
for size, interp in ((4, 1), (4, 2), (4, 3), (10, 9), (30, 9), (5, 0)):
    OUT[f"resize_short/a/{size}/{interp}"] = mx.image.resize_short(A, size, interp)
OUT["fixed_crop/b"] = mx.image.fixed_crop(B, 2, 3, 5, 6, size=(4, 4))
OUT["center_crop/a/5x5"] = mx.image.center_crop(A, (5, 5))[0]
OUT["center_crop/a/12x10"] = mx.image.center_crop(A, (12, 10))[0]
for t in range(5):
    OUT[f"copyMakeBorder/{t}"] = mx.image.copyMakeBorder(A, 1, 2, 3, 0, type=t, value=7)
OUT["copyMakeBorder/values"] = mx.image.copyMakeBorder(A, 2, 0, 1, 1, values=(5, 6))

for name, make in recipes.augmenters(mx).items():
    for seed in (1, 2, 3):
        aug = make()
        OUT[f"aug/{name}/{seed}"] = seeded(seed, lambda aug=aug: aug(A.astype("float32")))
for seed in (1, 2, 3, 4):
    OUT[f"random_size_crop/{seed}"] = list(seeded(seed, lambda: mx.image.random_size_crop(
        A, (4, 4), (0.2, 0.9), (0.5, 2.0))[1]))
    OUT[f"random_crop/{seed}"] = list(seeded(seed, lambda: mx.image.random_crop(B, (5, 7))[1]))

CHW = A.astype("float32").transpose((2, 0, 1))
for deg, zin, zout in ((30, False, False), (-75, True, False), (120, False, True)):
    OUT[f"imrotate/{deg}/{int(zin)}{int(zout)}"] = mx.image.imrotate(CHW, deg, zin, zout)
OUT["random_rotate/batch"] = seeded(9, lambda: mx.image.random_rotate(
    nd.stack(CHW, CHW * 0.5), (-40, 40)))



def run_all(augs, src):
    for aug in augs:
        src = aug(src)
    return src


for seed in (5, 6):
    OUT[f"create_augmenter/{seed}"] = seeded(
        seed, lambda: run_all(mx.image.CreateAugmenter((3, 6, 6), **recipes.FULL), B))
OUT["create_augmenter/dumps"] = [
    a.dumps() for a in mx.image.CreateAugmenter((3, 6, 6), **recipes.FULL)]

# ImageIter over PNG files of 6 images (A and B and their flips, crops)
with tempfile.TemporaryDirectory() as root:
    pics = recipes.pictures()
    for i, p in enumerate(pics):
        with open(os.path.join(root, f"{i}.png"), "wb") as f:
            f.write(png(p))
    imglist = [[float(i), f"{i}.png"] for i in range(len(pics))]
    for handle in ("pad", "discard", "roll_over"):
        it = mx.image.ImageIter(4, (3, 5, 5), imglist=imglist, path_root=root,
                                last_batch_handle=handle, resize=6)
        batches = []
        for epoch in range(2):
            for batch in it:
                batches.append({"data": batch.data[0], "label": batch.label[0], "pad": batch.pad})
            it.reset()
        OUT[f"imageiter/{handle}"] = batches
    it = seeded(7, lambda: mx.image.ImageIter(
        3, (3, 4, 4), imglist=imglist, path_root=root, shuffle=True, rand_crop=True,
        rand_mirror=True, brightness=0.3, label_width=1))
    OUT["imageiter/shuffled"] = seeded(8, lambda: [
        {"data": b.data[0], "label": b.label[0], "pad": b.pad} for b in it])

# RecordIO: MXNet writes mxnet.rec/.idx (the pictures as PNG, labels i and 10 i), then reads them
rec = mx.recordio.MXIndexedRecordIO(os.path.join(HERE, "mxnet.idx"),
                                    os.path.join(HERE, "mxnet.rec"), "w")
for i, p in enumerate(recipes.pictures()):
    rec.write_idx(i, mx.recordio.pack(mx.recordio.IRHeader(0, [i, 10 * i], i, 0), png(p)))
rec.close()
for part, parts in ((0, 1), (1, 2)):
    random.seed(12)
    it = mx.image.ImageIter(
        2, (3, 4, 4), label_width=2, path_imgrec=os.path.join(HERE, "mxnet.rec"),
        path_imgidx=os.path.join(HERE, "mxnet.idx"), shuffle=True, part_index=part,
        num_parts=parts, rand_crop=True, last_batch_handle="roll_over")
    random.seed(13)
    OUT[f"imageiter/rec/{part}of{parts}"] = [
        {"data": b.data[0], "label": b.label[0], "pad": b.pad} for b in it]

# detection: seeded augmenters on A with two boxes, the standard list, and ImageDetIter
LABEL = onp.array(recipes.LABEL)
for name, make in recipes.det_augmenters(mx).items():
    for seed in (1, 2, 3, 4):
        aug = make()
        img, lab = seeded(seed, lambda aug=aug: aug(A, LABEL.copy()))
        OUT[f"det/{name}/{seed}"] = {"image": img, "label": nd.array(lab, dtype="float64")}
for seed in (5, 6, 7):
    augs = mx.image.CreateDetAugmenter((3, 8, 8), **recipes.DET_FULL)
    src, lab = B, LABEL.copy()
    random.seed(seed)
    onp.random.seed(seed)
    for aug in augs:
        src, lab = aug(src, lab)
    OUT[f"det/create/{seed}"] = {"image": src, "label": nd.array(lab, dtype="float64")}
OUT["det/create/dumps"] = [
    a.dumps() for a in mx.image.CreateDetAugmenter((3, 8, 8), **recipes.DET_FULL)]
with tempfile.TemporaryDirectory() as root:
    for i, p in enumerate([IMG["a"], IMG["b"]]):
        with open(os.path.join(root, f"{i}.png"), "wb") as f:
            f.write(png(p))
    it = seeded(10, lambda: mx.image.ImageDetIter(
        3, (3, 6, 6), imglist=recipes.DETLIST, path_root=root, rand_crop=0.5, rand_mirror=True))
    OUT["det/iter/label_shape"] = list(it.label_shape)
    OUT["det/iter/batches"] = seeded(11, lambda: [
        {"data": b.data[0], "label": b.label[0], "pad": b.pad} for b in it])

# decoding: a JPEG and a PNG that mxnp's tests wrote once with OpenCV (sample.jpg, sample.png)
for name in ("sample.jpg", "sample.png"):
    with open(os.path.join(HERE, name), "rb") as f:
        data = f.read()
    for flag in (0, 1):
        OUT[f"imdecode/{name}/{flag}"] = mx.image.imdecode(data, flag=flag)
    OUT[f"imdecode/{name}/bgr"] = mx.image.imdecode(data, to_rgb=False)
    OUT[f"imread/{name}/0"] = mx.image.imread(os.path.join(HERE, name), flag=0)


def plain(value):
    """JSON-ready: arrays as {dtype, value}; float32 values by their shortest decimal form."""
    if isinstance(value, nd.NDArray):
        data = value.asnumpy()
        values = data.astype(str).astype(float) if data.dtype == onp.float32 else data
        return {"dtype": data.dtype.name, "value": values.tolist()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


with open(os.path.join(HERE, "mxnet_outputs.json"), "w") as f:
    json.dump({k: plain(v) for k, v in OUT.items()}, f, separators=(",", ":"))
print(len(OUT), "outputs written")
