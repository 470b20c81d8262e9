"""Small stand-ins for the D2L book's data sets, written in their genuine on-disk formats (gzip'ed
IDX files, plain text, zip archives, image folders), so that the book's loaders read them as they
read the real downloads. Nothing here reaches the network; ``no_network`` makes any attempt to
download fail loudly instead.

The data are built to be learnable: Fashion-MNIST-style images carry a bright bar whose row is
the class, the text repeats a few sentences, the translation pairs map word for word.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import struct
import zipfile

import numpy as onp

FASHION_NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

TIME_MACHINE = (
    "The Time Traveller (for so it will be convenient to speak of him) was expounding a "
    "recondite matter to us. His grey eyes shone and twinkled, and his usually pale face was "
    "flushed and animated. The fire burned brightly, and the soft radiance of the incandescent "
    "lights in the lilies of silver caught the bubbles that flashed and passed in our glasses.\n")

FRA_ENG = [("go .", "va !"), ("hi .", "salut !"), ("run !", "cours !"), ("who ?", "qui ?"),
           ("wow !", "ça alors !"), ("fire !", "au feu !"), ("help !", "à l'aide !"),
           ("stop !", "arrête !"), ("wait !", "attends !"), ("i see .", "je comprends .")]


def sha1(path):
    """The SHA-1 of a file, as d2l.download and gluon's data sets compare it."""
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def no_network(*args, **kwargs):
    """Stands in for ``requests.get`` and ``urlopen``: a test that tries to download fails."""
    raise AssertionError(f"the D2L tests never download; tried {args[:1]}")


def _idx(array, magic):
    head = struct.pack(f">{1 + array.ndim}I", magic, *array.shape)
    return gzip.compress(head + array.astype(onp.uint8).tobytes(), mtime=0)


def fashion_images(n, seed):
    """n 28x28 uint8 images and their labels: class k has a bright bar on rows 2k+4..2k+5."""
    rng = onp.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(onp.uint8)
    images = rng.integers(0, 60, (n, 28, 28)).astype(onp.uint8)
    for i, k in enumerate(labels):
        images[i, 2 * k + 4: 2 * k + 6, 4:24] = 250
    return images, labels


def write_fashion_mnist(root, num_train=600, num_test=200):
    """The four Fashion-MNIST IDX files under ``root``; returns {file name: SHA-1}."""
    os.makedirs(root, exist_ok=True)
    parts = (fashion_images(num_train, 0), fashion_images(num_test, 1))
    payloads = [_idx(parts[0][0], 2051), _idx(parts[0][1], 2049),
                _idx(parts[1][0], 2051), _idx(parts[1][1], 2049)]
    hashes = {}
    for name, data in zip(FASHION_NAMES, payloads):
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
        hashes[name] = hashlib.sha1(data).hexdigest()
    return hashes


def use_fashion_files(monkeypatch, fashion_cls, hashes):
    """Make gluon's FashionMNIST accept the written files (their SHA-1s are not Zalando's)."""
    for attr in ("_train_data", "_train_label", "_test_data", "_test_label"):
        name, _ = getattr(fashion_cls, attr)
        monkeypatch.setattr(fashion_cls, attr, (name, hashes[name]))


def write_text(folder, name, text):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def write_zip(path, members):
    """A zip archive at ``path`` holding {member name: bytes or str}; returns its SHA-1."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)),
                       data.encode() if isinstance(data, str) else data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    return sha1(path)


def fra_eng_text(repeat=20):
    """Tab-separated English-French pairs as fra.txt holds them (with its attribution column
    dropped, as d2l's copy has it)."""
    return "".join(f"{en}\t{fr}\n" for _ in range(repeat) for en, fr in FRA_ENG)


def png_bytes(image, ext=".png"):
    """An (H, W, 3) uint8 image encoded as PNG (or ``ext``: ".jpg"), through OpenCV (BGR on
    disk)."""
    import cv2
    ok, buf = cv2.imencode(ext, onp.ascontiguousarray(image[..., ::-1]))
    assert ok
    return buf.tobytes()


def hotdog_members(per_class=4, size=40):
    """The hotdog.zip layout: hotdog/{train,test}/{hotdog,not-hotdog}/*.png, classes told apart
    by colour (red-ish against blue-ish)."""
    rng = onp.random.default_rng(3)
    members = {}
    for split in ("train", "test"):
        for c, cls in enumerate(("hotdog", "not-hotdog")):
            for i in range(per_class):
                img = rng.integers(0, 80, (size, size + 8, 3)).astype(onp.uint8)
                img[..., 0 if c == 0 else 2] += 150
                members[f"hotdog/{split}/{cls}/{i}.png"] = png_bytes(img)
    return members


def quiet(model):
    """The model's progress board records its points without drawing them (drawing is
    matplotlib's work, and slow)."""
    model.board.display = False
    return model


def points(model, key):
    """The values a d2l Module plotted under ``key`` ('train_loss', 'val_acc' ...)."""
    return [float(p.y) for p in model.board.data[key]]
