"""Regression tests for the defects found by probing with bad input and damaged files."""
from __future__ import annotations

import errno
import io
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as onp
import pytest

from mxnp import _io, np, npx
from mxnp.base import MXNetError, OpError

DATA = pathlib.Path(__file__).parent / "data" / "mxnet_files"
ROOT = pathlib.Path(__file__).resolve().parents[1]


# ---- npx.save replaces a file only once the new one is whole ---------------------------------
def test_failed_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "w.nd"
    npx.save(path, np.arange(4.0))
    good = path.read_bytes()

    def full_disk(f, a, flag, magic):
        f.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(_io, "_write_array", full_disk)
    with pytest.raises(MXNetError, match=r"npx.save: cannot write '.*w\.nd': No space left"):
        npx.save(path, np.arange(8.0))
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["w.nd"]  # no temporary file left behind


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux", reason="RLIMIT_FSIZE")
def test_save_over_the_file_size_limit_keeps_the_old_file(tmp_path):
    code = textwrap.dedent(f"""
        import resource, signal
        from mxnp import np, npx
        npx.save({str(tmp_path / 'w.nd')!r}, np.arange(4.0))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            npx.save({str(tmp_path / 'w.nd')!r}, np.zeros(100000))
        except Exception as e:
            print(type(e).__name__, e)
        print(npx.load({str(tmp_path / 'w.nd')!r})[0].tolist())
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "MXNetError npx.save: cannot write" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "[0.0, 1.0, 2.0, 3.0]"
    assert os.listdir(tmp_path) == ["w.nd"]


def test_save_gives_a_new_file_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        npx.save(tmp_path / "p.nd", np.ones(2))
    finally:
        os.umask(umask)
    assert (tmp_path / "p.nd").stat().st_mode & 0o777 == 0o644


# ---- npx.load never imports a module because a file says so ---------------------------------
def _tagged(dev_type: int, dev_id: int) -> bytes:
    raw = bytearray((DATA / "single.nd").read_bytes())
    raw[0x2C:0x34] = dev_type.to_bytes(4, "little", signed=True) + \
        dev_id.to_bytes(4, "little", signed=True)
    return bytes(raw)


def test_gpu_tagged_file_does_not_import_a_planted_cupy(tmp_path):
    (tmp_path / "cupy.py").write_text("open('imported', 'w').write('yes')\n")
    (tmp_path / "g.nd").write_bytes(_tagged(2, 0))
    code = "from mxnp import npx; (a,) = npx.load('g.nd'); print(a.device, a.tolist())"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "cpu(0) [1.0, 2.0, 3.5]"
    assert not (tmp_path / "imported").exists()


@pytest.mark.parametrize("dev_type", [1, 2])
def test_negative_device_id_loads_on_the_cpu(dev_type):
    (a,) = npx.load(io.BytesIO(_tagged(dev_type, -1)))
    assert a.device == npx.cpu(0) and a.tolist() == [1.0, 2.0, 3.5]


def test_load_errors_name_the_function_and_the_path():
    with pytest.raises(OpError, match=r"npx.load: cannot open 'a\\x00b'"):
        npx.load("a\0b")
    with open(DATA / "single.nd") as text:
        with pytest.raises(TypeError, match="npx.load: .*binary mode"):
            npx.load(text)


# ---- ops ---------------------------------------------------------------------------------------
def test_pinv_of_an_empty_matrix_is_its_empty_transpose():
    assert np.linalg.pinv(np.zeros((0, 3))).shape == (3, 0)
    assert np.linalg.pinv(np.zeros((2, 4, 0))).shape == (2, 0, 4)
    assert onp.linalg.pinv(onp.zeros((0, 3))).shape == (3, 0)


def test_one_hot_refuses_a_negative_depth():
    with pytest.raises(OpError, match="one_hot: depth must be a non-negative integer, got -1"):
        npx.one_hot(np.array([0, 1]), -1)
    assert npx.one_hot(np.array([0, 1]), 0).shape == (2, 0)


def test_transpose_reports_an_axis_out_of_range():
    a = np.ones((2, 3))
    with pytest.raises(OpError, match="transpose: axis 2 is out of range"):
        np.transpose(a, (0, 2))
    with pytest.raises(OpError, match="transpose: repeated axis"):
        np.transpose(a, (1, 1))


@pytest.mark.parametrize("call,kind,message", [
    (lambda a: np.concatenate([a, None]), TypeError, "concatenate: item 1 is NoneType"),
    (lambda a: np.ones(2.5), TypeError, "ones: shape must be"),
    (lambda a: np.zeros(2.5), TypeError, "zeros: shape must be"),
    (lambda a: np.split(a, 0), ZeroDivisionError, "split: the number of sections"),
    (lambda a: np.split(a, 2, axis=3), IndexError, "split: axis 3 is out of bounds"),
    (lambda a: np.sort(a, axis=2), OpError, "^sort: axis 2"),
    (lambda a: np.bincount(np.array([1, -1], dtype="int32")), OpError,
     "bincount: x must have no negative elements"),
    (lambda a: np.bincount(np.array([1], dtype="int32"), weights=np.ones(2)), OpError,
     "bincount: weights of shape"),
])
def test_messages_name_the_function(call, kind, message):
    with pytest.raises(kind, match=message):
        call(np.arange(6.0).reshape(2, 3))
