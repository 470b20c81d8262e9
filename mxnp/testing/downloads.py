"""``mxnet.test_utils``' data helpers: files fetched into the current directory as MXNet's
tests and tutorials expect them (``data/``), read from disk when already there."""
from __future__ import annotations

import bz2
import gzip
import logging
import os
import shutil
import struct
import zipfile

import numpy as onp

_MXNET_DATA = "http://data.mxnet.io/"


def download(url, fname=None, dirname=None, overwrite=False, retries=5):
    """Download ``url`` to ``fname`` (default: the URL's last part) in ``dirname``; an existing
    file is kept unless ``overwrite``. Returns the file's path."""
    from ..gluon.utils import download as fetch

    assert retries >= 0, "Number of retries should be at least 0"
    fname = url.split("/")[-1] if fname is None else fname
    if dirname is None:
        dirname = os.path.dirname(fname)
    else:
        fname = os.path.join(dirname, fname)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    if not overwrite and os.path.exists(fname):
        logging.info("%s exists, skipping download", fname)  # noqa: LOG015 - MXNet's logger
        return fname
    fetch(url, path=fname, overwrite=True, retries=max(retries, 1))
    logging.info("downloaded %s into %s successfully", url, fname)  # noqa: LOG015
    return fname


def get_zip_data(data_dir, url, data_origin_name):
    """Download the zip file ``data_origin_name`` into ``data_dir`` and extract it there,
    unless it is already there."""
    path = os.path.join(data_dir, data_origin_name)
    if not os.path.exists(path):
        download(url, dirname=data_dir)
        with zipfile.ZipFile(path) as zf:
            zf.extractall(data_dir)


def get_bz2_data(data_dir, data_name, url, data_origin_name):
    """Download ``data_origin_name`` (bz2) into ``data_dir`` and decompress it to
    ``data_name`` (the archive is removed), unless ``data_name`` is already there."""
    target = os.path.join(data_dir, data_name)
    if os.path.exists(target):
        return
    archive = download(url, fname=os.path.join(data_dir, data_origin_name), dirname=data_dir)
    with bz2.open(archive, "rb") as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out)
    os.remove(archive)


def _read_mnist(label_file, image_file):
    with gzip.open(label_file) as f:
        struct.unpack(">II", f.read(8))
        label = onp.frombuffer(f.read(), dtype=onp.int8)
    with gzip.open(image_file) as f:
        _, _, rows, cols = struct.unpack(">IIII", f.read(16))
        image = onp.frombuffer(f.read(), dtype=onp.uint8).reshape(len(label), 1, rows, cols)
    return label, image.astype(onp.float32) / 255


def get_mnist():
    """MNIST as NumPy arrays: {'train_data': (60000, 1, 28, 28) float32 in [0, 1],
    'train_label': int8, 'test_data', 'test_label'}; the four .gz files are downloaded into
    the current directory unless already there."""
    base = _MXNET_DATA + "data/mnist/"
    out = {}
    for part, prefix in (("train", "train"), ("test", "t10k")):
        label, image = _read_mnist(download(f"{base}{prefix}-labels-idx1-ubyte.gz"),
                                   download(f"{base}{prefix}-images-idx3-ubyte.gz"))
        out[f"{part}_data"], out[f"{part}_label"] = image, label
    return out


_UBYTE = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte")


def get_mnist_ubyte():
    """The four uncompressed MNIST files in ``data/`` (downloaded as mnist.zip if missing)."""
    os.makedirs("data", exist_ok=True)
    if not all(os.path.exists(os.path.join("data", f)) for f in _UBYTE):
        with zipfile.ZipFile(download(_MXNET_DATA + "mxnet/data/mnist.zip", dirname="data")) as zf:
            zf.extractall("data")


def get_mnist_pkl():
    """``data/mnist.pkl.gz``, downloaded if missing (mxnp never unpickles it)."""
    os.makedirs("data", exist_ok=True)
    if not os.path.exists("data/mnist.pkl.gz"):
        download("http://deeplearning.net/data/mnist/mnist.pkl.gz", dirname="data")


def get_mnist_iterator(batch_size, input_shape, num_parts=1, part_index=0):
    """(train, validation) ``mx.io.MNISTIter``s over the files of ``get_mnist_ubyte``; flat
    images unless ``input_shape`` has three dimensions."""
    from ..io import MNISTIter

    get_mnist_ubyte()
    flat = len(input_shape) != 3
    common = {"input_shape": input_shape, "batch_size": batch_size, "flat": flat,
              "num_parts": num_parts, "part_index": part_index}
    train = MNISTIter(image="data/train-images-idx3-ubyte", label="data/train-labels-idx1-ubyte",
                      shuffle=True, **common)
    val = MNISTIter(image="data/t10k-images-idx3-ubyte", label="data/t10k-labels-idx1-ubyte",
                    **common)
    return train, val


def get_cifar10():
    """CIFAR-10's .rec/.lst files in ``data/cifar/`` (downloaded as cifar10.zip if missing)."""
    os.makedirs("data", exist_ok=True)
    wanted = ("train.rec", "test.rec", "train.lst", "test.lst")
    if not all(os.path.exists(os.path.join("data", "cifar", f)) for f in wanted):
        with zipfile.ZipFile(download(_MXNET_DATA + "mxnet/data/cifar10.zip",
                                      dirname="data")) as zf:
            zf.extractall("data")
