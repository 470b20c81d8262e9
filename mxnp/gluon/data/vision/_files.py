"""Where the vision data sets live, how they are fetched, and how their files are parsed.

Fetching goes through ``gluon.utils.download``, which writes to a temporary name and moves the
file in only once its SHA-1 matches; archives are unpacked the same way (into a temporary
folder, then moved), so an interrupted or damaged fetch never leaves a half-written file.
"""
from __future__ import annotations

import gzip
import os
import shutil
import struct
import tarfile
import tempfile
import zlib

import numpy as onp

from ....base import data_dir
from ...utils import _get_repo_file_url, check_sha1, download

_IDX_MAGIC = {1: 2049, 3: 2051}  # IDX magic numbers of label (1-d) and image (3-d) files


class DatasetFileError(ValueError):
    """A data set file that is present but cannot be read (damaged, truncated, wrong kind)."""


def default_root(name):
    """``<data_dir>/datasets/<name>``, read when the data set is made (so MXNET_HOME counts)."""
    return os.path.join(data_dir(), "datasets", name)


def repo_file_url(namespace, filename):
    """The URL of a hosted file: ``$MXNET_GLUON_REPO`` (or Apache MXNet's) + namespace/file."""
    return _get_repo_file_url(namespace, filename)


def is_good(path, sha1):
    """Whether ``path`` exists with the SHA-1 ``sha1``."""
    return os.path.exists(path) and check_sha1(path, sha1)


def fetch(root, namespace, filename, sha1):
    """``root/filename``, downloaded from the repository first unless present and intact."""
    path = os.path.join(root, filename)
    if is_good(path, sha1):
        return path
    return download(repo_file_url(namespace, filename), path=path, sha1_hash=sha1)


def _damaged(path, why):
    return DatasetFileError(f"cannot read {path}: {why}. The file is damaged or truncated; "
                            "delete it and the data set will be downloaded again")


def read_idx(path, ndim):
    """The uint8 payload of a gzip'ed IDX file (``ndim`` 1: labels, 3: images) and its shape."""
    try:
        with gzip.open(path, "rb") as f:
            head = f.read(4 + 4 * ndim)
            payload = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise _damaged(path, e) from e
    if len(head) < 4 + 4 * ndim:
        raise _damaged(path, "the IDX header is incomplete")
    magic, *shape = struct.unpack(f">{1 + ndim}I", head)
    if magic != _IDX_MAGIC[ndim]:
        raise _damaged(path, f"IDX magic number {magic}, expected {_IDX_MAGIC[ndim]}")
    if len(payload) != int(onp.prod(shape)):
        raise _damaged(path, f"{len(payload)} bytes of data for shape {tuple(shape)}")
    return onp.frombuffer(payload, dtype=onp.uint8).reshape(shape)


def read_records(path, label_bytes, image_bytes):
    """CIFAR's binary records in ``path``: (labels, images) as uint8 arrays."""
    with open(path, "rb") as f:
        raw = f.read()
    size = label_bytes + image_bytes
    if not raw or len(raw) % size:
        raise _damaged(path, f"{len(raw)} bytes is not a whole number of {size}-byte records")
    rows = onp.frombuffer(raw, dtype=onp.uint8).reshape(-1, size)
    return rows[:, :label_bytes], rows[:, label_bytes:]


def extract_members(archive, root, names):
    """Unpack the members of tar ``archive`` whose base names are ``names`` into ``root``.

    Members are looked up by base name wherever they sit in the archive; nothing else in it is
    written, so paths inside the archive can never point outside ``root``.
    """
    tmp = tempfile.mkdtemp(prefix=".extract-", dir=root)
    try:
        try:
            with tarfile.open(archive) as tar:
                found = {os.path.basename(m.name): m for m in tar.getmembers() if m.isfile()}
                missing = sorted(set(names) - set(found))
                if missing:
                    raise _damaged(archive, f"the archive lacks {', '.join(missing)}")
                for name in names:
                    with tar.extractfile(found[name]) as src, \
                            open(os.path.join(tmp, name), "wb") as dst:
                        shutil.copyfileobj(src, dst)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
            raise _damaged(archive, e) from e
        for name in names:  # every member is complete before any reaches root
            os.replace(os.path.join(tmp, name), os.path.join(root, name))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
