"""gluon.model_zoo.model_store and pretrained=True: MXNet's file names and SHA-1 table, the
download from a local HTTP server (never the network), checksum errors, purge, and a parameter
file written by MXNet 1.9.1 reproducing MXNet's outputs."""
from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import zipfile
from pathlib import Path

import numpy as onp
import pytest

from mxnp import np
from mxnp.gluon.model_zoo import model_store, vision
from mxnp.testing import assert_allclose
from tests.helpers import LocalServer

FILES = Path(__file__).parent.parent / "data" / "mxnet_files"
MXNET_FILE = FILES / "zoo_mobilenet0.25_c10.params"  # save_parameters: structural keys
# the same values as the published store files hold them: legacy NDArray format, keys the full
# parameter names less the model's prefix ('conv0_weight', ...)
LEGACY_FILE = FILES / "zoo_mobilenet0.25_c10_legacy.params"

# MXNet 1.9.1 (mxref, tests/data/mxnet_files/make_zoo_fixture.py): mobilenet0.25(classes=10)
# holding that file's parameters, predict mode, on _fixed_input()
MXNET_OUT = [[-1.0872623920440674, -0.5009149312973022, 0.18706607818603516, 0.8257761001586914,
              1.2762218713760376, 1.4416351318359375, 1.2884056568145752, 0.8530871272087097,
              0.23398777842521667, -0.43075641989707947],
             [-1.0103036165237427, -0.477414608001709, 0.1519641876220703, 0.7397550344467163,
              1.1581100225448608, 1.3172844648361206, 1.185033917427063, 0.7933204174041748,
              0.2309076189994812, -0.3764757812023163]]


def _fixed_input():
    return np.array(onp.cos(onp.arange(2 * 3 * 32 * 32) * 0.011).reshape(2, 3, 32, 32)
                    .astype("float32"))


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _zip(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


@pytest.fixture
def repo(monkeypatch):
    """The local server as MXNET_GLUON_REPO (no trailing slash: the store adds it)."""
    server = LocalServer()
    monkeypatch.setenv("MXNET_GLUON_REPO", server.url)
    yield server
    server.close()


def _publish(repo, monkeypatch, name, data, served=None):
    """Register ``data`` as model ``name``'s file (hash table patched) and serve its zip."""
    sha1 = _sha1(data)
    monkeypatch.setitem(model_store._model_sha1, name, sha1)
    file_name = f"{name}-{sha1[:8]}"
    repo.files[f"/gluon/models/{file_name}.zip"] = _zip(f"{file_name}.params",
                                                        data if served is None else served)
    return file_name


def test_mxnet_file_names_and_hashes():
    # MXNet 1.9.1 (mxref: model_store._model_sha1)
    assert len(model_store._model_sha1) == 34
    assert model_store.short_hash("resnet18_v1") == "a0666292"
    assert model_store._model_sha1["mobilenetv2_0.25"] == "ae8f9392789b04822cbb1d98c27283fc5f8aa0a7"
    assert set(model_store._model_sha1) == set(vision._models)
    assert model_store._url_format.format(repo_url=model_store.apache_repo_url,
                                          file_name="vgg16-e660d456") == (
        "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"
        "gluon/models/vgg16-e660d456.zip")
    with pytest.raises(ValueError, match=r"^Pretrained model for foo is not available\.$"):
        model_store.short_hash("foo")


@pytest.mark.parametrize("path", [MXNET_FILE, LEGACY_FILE], ids=["structural", "legacy"])
def test_mxnet_written_file_gives_mxnet_outputs(path):
    vision.mobilenet0_25()  # a later net gets another prefix (mobilenetN_): loading must not care
    net = vision.mobilenet0_25(classes=10)
    net.load_parameters(str(path))
    assert_allclose(net(_fixed_input()), onp.array(MXNET_OUT, dtype="float32"),
                    rtol=1e-5, atol=1e-6)


def test_pretrained_downloads_once_then_uses_the_store(tmp_path, repo, monkeypatch):
    data = LEGACY_FILE.read_bytes()
    file_name = _publish(repo, monkeypatch, "mobilenet0.25", data)
    root = tmp_path / "models"
    net = vision.get_model("mobilenet0.25", pretrained=True, classes=10, root=str(root))
    assert repo.requests == [f"/gluon/models/{file_name}.zip"]
    assert sorted(os.listdir(root)) == [f"{file_name}.params"]  # no zip or temp folder left
    assert (root / f"{file_name}.params").read_bytes() == data
    assert_allclose(net(_fixed_input()), onp.array(MXNET_OUT, dtype="float32"),
                    rtol=1e-5, atol=1e-6)
    again = vision.mobilenet0_25(pretrained=True, classes=10, root=str(root))
    assert len(repo.requests) == 1  # a good file already in the store is used as is
    assert_allclose(again(_fixed_input()), net(_fixed_input()))


def test_file_already_in_store_needs_no_server(tmp_path, monkeypatch):
    data = MXNET_FILE.read_bytes()
    monkeypatch.setitem(model_store._model_sha1, "mobilenet0.25", _sha1(data))
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    path = tmp_path / "models" / f"mobilenet0.25-{_sha1(data)[:8]}.params"
    path.parent.mkdir()
    shutil.copyfile(MXNET_FILE, path)
    assert model_store.get_model_file("mobilenet0.25") == str(path)  # MXNET_HOME honoured
    net = vision.get_mobilenet(0.25, pretrained=True, classes=10)
    assert_allclose(net(_fixed_input()), onp.array(MXNET_OUT, dtype="float32"),
                    rtol=1e-5, atol=1e-6)


def test_downloaded_file_with_wrong_checksum(tmp_path, repo, monkeypatch):
    _publish(repo, monkeypatch, "squeezenet1.1", b"the published file", served=b"something else")
    with pytest.raises(ValueError,
                       match=r"^Downloaded file has different hash\. Please try again\.$"):
        vision.squeezenet1_1(pretrained=True, root=str(tmp_path))
    assert len(repo.requests) == 1


def test_damaged_file_in_store_is_downloaded_again(tmp_path, repo, monkeypatch, caplog):
    data = b"good parameter bytes"
    file_name = _publish(repo, monkeypatch, "alexnet", data)
    (tmp_path / f"{file_name}.params").write_bytes(b"damaged")
    with caplog.at_level(logging.WARNING):
        path = model_store.get_model_file("alexnet", root=str(tmp_path))
    assert "Mismatch in the content of model file detected. Downloading again." in caplog.text
    assert Path(path).read_bytes() == data and len(repo.requests) == 1


def test_zip_without_the_parameter_file_leaves_nothing_behind(tmp_path, repo, monkeypatch):
    monkeypatch.setitem(model_store._model_sha1, "vgg11", _sha1(b"x"))
    repo.files[f"/gluon/models/vgg11-{_sha1(b'x')[:8]}.zip"] = _zip("other.params", b"x")
    with pytest.raises(FileNotFoundError):
        model_store.get_model_file("vgg11", root=str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_mxnet_names_are_requested(tmp_path, repo):
    # the server has no such file: HTTP 404, retried, then MXNet's error
    with pytest.raises(RuntimeError, match="^Failed downloading url http://127.0.0.1:"):
        vision.get_model("resnet18_v1", pretrained=True, root=str(tmp_path))
    assert set(repo.requests) == {"/gluon/models/resnet18_v1-a0666292.zip"}
    assert not (tmp_path / "resnet18_v1-a0666292.params").exists()
    assert [p for p in os.listdir(tmp_path) if ".zip" in p] == []


def test_purge_removes_only_parameter_files(tmp_path, monkeypatch):
    for name in ("a.params", "b.params", "notes.txt"):
        (tmp_path / name).write_text("x")
    model_store.purge(root=str(tmp_path))
    assert os.listdir(tmp_path) == ["notes.txt"]
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "c.params").write_text("x")
    model_store.purge()
    assert os.listdir(tmp_path / "models") == []
