"""test_utils' data helpers (download, get_mnist ...) and check_speed/same_symbol_structure;
files come from tmp folders and a local HTTP server, never the network."""
from __future__ import annotations

import bz2
import gzip
import io
import os
import struct
import zipfile

import numpy as onp
import pytest

import mxnp as mx
from mxnp import test_utils
from tests.helpers import LocalServer


def _idx(images):
    n, rows, cols = images.shape
    return struct.pack(">IIII", 2051, n, rows, cols) + images.tobytes()


def _labels(labels):
    return struct.pack(">II", 2049, len(labels)) + labels.tobytes()


def _mnist_files(folder, n=5, gz=True):
    rng = onp.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=onp.uint8)
    labels = rng.integers(0, 10, n, dtype=onp.uint8)
    for prefix in ("train", "t10k"):
        for kind, body in (("images-idx3", _idx(images)), ("labels-idx1", _labels(labels))):
            name = os.path.join(folder, f"{prefix}-{kind}-ubyte")
            if gz:
                with gzip.open(name + ".gz", "wb") as f:
                    f.write(body)
            else:
                with open(name, "wb") as f:
                    f.write(body)
    return images, labels


def test_download_keeps_existing_files_and_fetches_missing_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server = LocalServer()
    try:
        server.files["/d/a.bin"] = b"abc"
        assert test_utils.download(server.url + "/d/a.bin") == "a.bin"
        assert (tmp_path / "a.bin").read_bytes() == b"abc"
        got = test_utils.download(server.url + "/d/a.bin", fname="b.bin", dirname="sub")
        assert got == os.path.join("sub", "b.bin") and (tmp_path / "sub" / "b.bin").exists()
        server.files["/d/a.bin"] = b"new"
        test_utils.download(server.url + "/d/a.bin")  # kept: it exists
        assert (tmp_path / "a.bin").read_bytes() == b"abc" and len(server.requests) == 2
        test_utils.download(server.url + "/d/a.bin", overwrite=True)
        assert (tmp_path / "a.bin").read_bytes() == b"new"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("inner.txt", "zipped")
        server.files["/z.zip"] = buf.getvalue()
        test_utils.get_zip_data("zd", server.url + "/z.zip", "z.zip")
        assert (tmp_path / "zd" / "inner.txt").read_text() == "zipped"
        server.files["/x.bz2"] = bz2.compress(b"line1\nline2\n")
        test_utils.get_bz2_data("bd", "x.txt", server.url + "/x.bz2", "x.bz2")
        assert (tmp_path / "bd" / "x.txt").read_bytes() == b"line1\nline2\n"
        assert not (tmp_path / "bd" / "x.bz2").exists()
    finally:
        server.close()


def test_get_mnist_reads_the_files_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    images, labels = _mnist_files(str(tmp_path))
    got = test_utils.get_mnist()  # present: nothing is downloaded
    assert got["train_data"].shape == (5, 1, 28, 28) and got["train_data"].dtype == onp.float32
    assert onp.allclose(got["test_data"][:, 0] * 255, images)
    assert got["train_label"].dtype == onp.int8 and (got["test_label"] == labels).all()


def test_get_mnist_iterator_over_the_ubyte_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.makedirs("data")
    _mnist_files("data", n=4, gz=False)
    train, val = test_utils.get_mnist_iterator(batch_size=2, input_shape=(784,))
    assert val.provide_data[0].shape == (2, 784)
    assert sum(1 for _ in val) == 2 and next(iter(train)).data[0].shape == (2, 784)
    _, val3 = test_utils.get_mnist_iterator(batch_size=2, input_shape=(1, 28, 28))
    assert next(iter(val3)).data[0].shape == (2, 1, 28, 28)


def test_check_speed_and_same_symbol_structure():
    fc = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=4, name="fc")
    assert test_utils.check_speed(fc, data=(8, 5), N=2) > 0
    location = {"data": onp.ones((2, 3)), "fc_weight": onp.ones((4, 3)),
                "fc_bias": onp.ones(4)}
    assert test_utils.check_speed(fc, location=location, typ="forward", N=2) > 0
    with pytest.raises(ValueError, match="typ can only be"):
        test_utils.check_speed(fc, data=(8, 5), typ="backward")
    other = mx.sym.FullyConnected(mx.sym.Variable("x"), num_hidden=2)
    assert test_utils.same_symbol_structure(fc, other)
    assert not test_utils.same_symbol_structure(fc, mx.sym.relu(mx.sym.Variable("x")))
