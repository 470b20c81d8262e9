"""MNIST / Fashion-MNIST / CIFAR on small files written here in the genuine formats, read from a
root folder and downloaded from a local HTTP server (127.0.0.1, port 0): never the network."""
from __future__ import annotations

import collections
import gzip
import hashlib
import http.server
import io
import os
import struct
import sys
import tarfile
import threading
import typing

import numpy as onp
import pytest

from mxnp import numpy as np
from mxnp.gluon.data.vision import CIFAR10, CIFAR100, MNIST, FashionMNIST, transforms
from mxnp.gluon.data.vision._files import DatasetFileError

RNG = onp.random.default_rng(0)
IMAGES = RNG.integers(0, 256, size=(5, 28, 28), dtype=onp.uint8)
LABELS = onp.array([3, 0, 9, 1, 7], dtype=onp.uint8)


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def idx_gz(array, magic):
    """A gzip'ed IDX file: magic, big-endian dims, then the raw uint8 payload."""
    head = struct.pack(f">{1 + array.ndim}I", magic, *array.shape)
    return gzip.compress(head + array.tobytes(), mtime=0)


MNIST_FILES = {"train-images-idx3-ubyte.gz": idx_gz(IMAGES, 2051),
               "train-labels-idx1-ubyte.gz": idx_gz(LABELS, 2049),
               "t10k-images-idx3-ubyte.gz": idx_gz(IMAGES[:2], 2051),
               "t10k-labels-idx1-ubyte.gz": idx_gz(LABELS[:2], 2049)}


def use_hashes(monkeypatch, cls, files):
    """Point ``cls``'s file table at the SHA-1s of the test's own files."""
    for attr in ("_train_data", "_train_label", "_test_data", "_test_label"):
        name = getattr(cls, attr)[0]
        monkeypatch.setattr(cls, attr, (name, sha1(files[name])))


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``files`` (URL path -> bytes); ``short`` paths send half of theirs, then hang up."""

    files: typing.ClassVar[dict] = {}
    short: typing.ClassVar[set] = set()
    hits: typing.ClassVar[collections.Counter] = collections.Counter()

    def do_GET(self):  # the name http.server calls
        self.hits[self.path] += 1
        body = self.files.get(self.path)
        if body is None:
            return self.send_error(404)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if self.path in self.short else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    Handler.files, Handler.short, Handler.hits = {}, set(), collections.Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    monkeypatch.setenv("MXNET_GLUON_REPO", f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    yield Handler
    httpd.shutdown()
    httpd.server_close()


def write(root, files):
    os.makedirs(root, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)


# ---- MNIST ------------------------------------------------------------------------------------
def test_mnist_reads_root_as_mxnet_types(monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    write(tmp_path, MNIST_FILES)
    ds = MNIST(root=str(tmp_path))
    assert len(ds) == 5
    img, label = ds[2]
    assert isinstance(img, np.ndarray) and img.dtype == onp.uint8 and img.shape == (28, 28, 1)
    assert isinstance(label, np.ndarray) and label.dtype == onp.int32 and label.shape == ()
    assert int(label) == 9
    onp.testing.assert_array_equal(img.asnumpy()[:, :, 0], IMAGES[2])
    test = MNIST(root=str(tmp_path), train=False)
    assert len(test) == 2 and int(test[1][1]) == 0


def test_mnist_transform_and_transform_first(monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    write(tmp_path, MNIST_FILES)
    ds = MNIST(root=str(tmp_path), transform=lambda d, l: (d.astype("float32") / 255, l + 1))
    img, label = ds[0]
    assert img.dtype == onp.float32 and int(label) == 4
    tensor, label = MNIST(root=str(tmp_path)).transform_first(transforms.ToTensor())[0]
    assert tensor.shape == (1, 28, 28) and tensor.dtype == onp.float32
    onp.testing.assert_allclose(tensor.asnumpy()[0], IMAGES[0] / 255, rtol=1e-6)
    assert label.dtype == onp.int32


def test_mnist_default_root_honours_mxnet_home(monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    write(tmp_path / "datasets" / "mnist", MNIST_FILES)
    assert len(MNIST()) == 5


def test_mnist_downloads_missing_files_once(server, monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    server.files = {f"/gluon/dataset/mnist/{n}": d for n, d in MNIST_FILES.items()}
    root = tmp_path / "new" / "mnist"
    ds = MNIST(root=str(root))
    assert len(ds) == 5 and int(ds[4][1]) == 7
    assert sorted(os.listdir(root)) == ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    MNIST(root=str(root))  # intact files are not fetched again
    assert server.hits["/gluon/dataset/mnist/train-images-idx3-ubyte.gz"] == 1


def test_fashion_mnist_uses_its_own_namespace(server, monkeypatch, tmp_path):
    use_hashes(monkeypatch, FashionMNIST, MNIST_FILES)
    server.files = {f"/gluon/dataset/fashion-mnist/{n}": d for n, d in MNIST_FILES.items()}
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    ds = FashionMNIST(train=False)
    assert len(ds) == 2
    assert os.path.exists(tmp_path / "datasets" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz")


def test_file_with_wrong_hash_is_downloaded_again(server, monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    server.files = {f"/gluon/dataset/mnist/{n}": d for n, d in MNIST_FILES.items()}
    write(tmp_path, {"train-labels-idx1-ubyte.gz": b"stale"})
    assert len(MNIST(root=str(tmp_path))) == 5
    with open(tmp_path / "train-labels-idx1-ubyte.gz", "rb") as f:
        assert f.read() == MNIST_FILES["train-labels-idx1-ubyte.gz"]


def test_checksum_mismatch_raises_and_leaves_nothing(server, monkeypatch, tmp_path):
    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    server.files = {f"/gluon/dataset/mnist/{n}": d + b"x" for n, d in MNIST_FILES.items()}
    with pytest.raises(UserWarning, match="hash does not match"):
        MNIST(root=str(tmp_path))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("transport", ["requests", "urllib"])
def test_truncated_download_raises_and_leaves_nothing(server, monkeypatch, tmp_path, transport):
    import requests

    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    server.files = {f"/gluon/dataset/mnist/{n}": d for n, d in MNIST_FILES.items()}
    server.short = {"/gluon/dataset/mnist/train-images-idx3-ubyte.gz"}
    if transport == "urllib":  # urllib hands back the short body: the checksum catches it
        monkeypatch.setitem(sys.modules, "requests", None)
        error, words = UserWarning, "download may be incomplete"
    else:  # requests notices the missing bytes itself
        error, words = requests.exceptions.ChunkedEncodingError, "Connection broken"
    with pytest.raises(error, match=words):
        MNIST(root=str(tmp_path))
    assert server.hits["/gluon/dataset/mnist/train-images-idx3-ubyte.gz"] == 5  # retried
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("cut", [10, 30, -5])
def test_damaged_file_in_root_is_a_clear_error(monkeypatch, tmp_path, cut):
    files = dict(MNIST_FILES)
    files["train-images-idx3-ubyte.gz"] = files["train-images-idx3-ubyte.gz"][:cut]
    use_hashes(monkeypatch, MNIST, files)
    write(tmp_path, files)
    with pytest.raises(DatasetFileError, match="damaged or truncated"):
        MNIST(root=str(tmp_path))


def test_images_and_labels_must_agree(monkeypatch, tmp_path):
    files = dict(MNIST_FILES, **{"train-labels-idx1-ubyte.gz": idx_gz(LABELS[:4], 2049)})
    use_hashes(monkeypatch, MNIST, files)
    write(tmp_path, files)
    with pytest.raises(ValueError, match="5 images but .* 4 labels"):
        MNIST(root=str(tmp_path))


# ---- CIFAR ------------------------------------------------------------------------------------
def cifar_records(n, label_bytes, seed):
    """``n`` records: label byte(s), then the image as three 32x32 planes (R, G, B)."""
    rng = onp.random.default_rng(seed)
    labels = rng.integers(0, 100, size=(n, label_bytes), dtype=onp.uint8)
    planes = rng.integers(0, 256, size=(n, 3, 32, 32), dtype=onp.uint8)
    raw = onp.concatenate([labels, planes.reshape(n, -1)], axis=1).tobytes()
    return raw, labels, planes


def tar_gz(files, folder):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.fixture
def cifar10(monkeypatch):
    """CIFAR10 pointed at test batches of 2 records each (batch i seeded with i)."""
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    files = {n: cifar_records(2, 1, i)[0] for i, n in enumerate(names)}
    archive = tar_gz(files, "cifar-10-batches-bin")
    monkeypatch.setattr(CIFAR10, "_train_data", tuple((n, sha1(files[n])) for n in names[:5]))
    monkeypatch.setattr(CIFAR10, "_test_data", ((names[5], sha1(files[names[5]])),))
    monkeypatch.setattr(CIFAR10, "_archive_file", ("cifar-10-binary.tar.gz", sha1(archive)))
    return files, archive


def test_cifar10_reads_batches_in_root(cifar10, tmp_path):
    files, _ = cifar10
    write(tmp_path, files)
    ds = CIFAR10(root=str(tmp_path))
    assert len(ds) == 10
    img, label = ds[3]  # second record of data_batch_2
    _, labels, planes = cifar_records(2, 1, 1)
    assert img.shape == (32, 32, 3) and img.dtype == onp.uint8
    onp.testing.assert_array_equal(img.asnumpy(), planes[1].transpose(1, 2, 0))  # CHW -> HWC
    assert label.dtype == onp.int32 and label.shape == () and int(label) == labels[1, 0]
    assert len(CIFAR10(root=str(tmp_path), train=False)) == 2


def test_cifar10_downloads_and_extracts_archive(cifar10, server, tmp_path):
    files, archive = cifar10
    server.files = {"/gluon/dataset/cifar10/cifar-10-binary.tar.gz": archive}
    ds = CIFAR10(root=str(tmp_path / "c10"), train=False)
    planes = cifar_records(2, 1, 5)[2]
    onp.testing.assert_array_equal(ds[0][0].asnumpy(), planes[0].transpose(1, 2, 0))
    assert sorted(os.listdir(tmp_path / "c10")) == sorted(list(files) + ["cifar-10-binary.tar.gz"])
    CIFAR10(root=str(tmp_path / "c10"))
    assert sum(server.hits.values()) == 1


def test_cifar10_truncated_archive_leaves_no_batch(cifar10, monkeypatch, tmp_path):
    _, archive = cifar10
    cut = archive[: len(archive) // 2]
    monkeypatch.setattr(CIFAR10, "_archive_file", ("cifar-10-binary.tar.gz", sha1(cut)))
    write(tmp_path, {"cifar-10-binary.tar.gz": cut})
    with pytest.raises(DatasetFileError, match="damaged or truncated"):
        CIFAR10(root=str(tmp_path))
    assert os.listdir(tmp_path) == ["cifar-10-binary.tar.gz"]


def test_cifar10_partial_record_is_a_clear_error(cifar10, monkeypatch, tmp_path):
    files, _ = cifar10
    files = dict(files, **{"test_batch.bin": files["test_batch.bin"] + b"\0" * 7})
    monkeypatch.setattr(CIFAR10, "_test_data", (("test_batch.bin", sha1(files["test_batch.bin"])),))
    write(tmp_path, files)
    with pytest.raises(DatasetFileError, match="not a whole number of 3073-byte records"):
        CIFAR10(root=str(tmp_path), train=False)


def test_cifar100_coarse_and_fine_labels(monkeypatch, tmp_path):
    train, labels, planes = cifar_records(3, 2, 7)
    test = cifar_records(1, 2, 8)[0]
    monkeypatch.setattr(CIFAR100, "_train_data", (("train.bin", sha1(train)),))
    monkeypatch.setattr(CIFAR100, "_test_data", (("test.bin", sha1(test)),))
    write(tmp_path, {"train.bin": train, "test.bin": test})
    coarse, fine = CIFAR100(root=str(tmp_path)), CIFAR100(root=str(tmp_path), fine_label=True)
    assert [int(coarse[i][1]) for i in range(3)] == labels[:, 0].tolist()
    assert [int(fine[i][1]) for i in range(3)] == labels[:, 1].tolist()
    onp.testing.assert_array_equal(fine[2][0].asnumpy(), planes[2].transpose(1, 2, 0))
    assert len(CIFAR100(root=str(tmp_path), train=False)) == 1


def test_mnist_through_a_data_loader(monkeypatch, tmp_path):
    from mxnp.gluon.data import DataLoader

    use_hashes(monkeypatch, MNIST, MNIST_FILES)
    write(tmp_path, MNIST_FILES)
    loader = DataLoader(MNIST(root=str(tmp_path)).transform_first(transforms.ToTensor()),
                        batch_size=4)
    data, label = next(iter(loader))
    # MXNet 1.9.1 (reference §10.4): [(4, 1, 28, 28) float32, (4,) int32]
    assert data.shape == (4, 1, 28, 28) and data.dtype == onp.float32
    assert label.shape == (4,) and label.dtype == onp.int32
    assert label.asnumpy().tolist() == [3, 0, 9, 1]
