"""``gluon.utils``: batch splitting across devices, global-norm clipping, and file download."""
from __future__ import annotations

import hashlib
import os
import ssl
import sys
import urllib.error
import urllib.request
import uuid
import warnings

import numpy as onp

from .. import autograd
from .. import ndarray as nd
from .. import numpy as np
from .._mode import is_np_array, is_np_shape
from .._ndarray import ndarray
from ..ndarray.ndarray import NDArray, to_nd
from ._naming import HookHandle  # one class for the hooks of every Block
from ._parameter_dict import _brief_print_list, _indent  # noqa: F401 - MXNet's names here

_APACHE_REPO_URL = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"

__all__ = ["HookHandle", "check_sha1", "clip_global_norm", "download", "replace_file",
           "shape_is_known", "split_and_load", "split_data"]


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Split ``data`` into ``num_slice`` parts along ``batch_axis``; earlier parts take extras."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            f"data with shape {data.shape} cannot be evenly split into {num_slice} slices along "
            f"axis {batch_axis}. Use a batch size that's multiple of {num_slice} or set "
            "even_split=False to allow uneven partitioning of data.")
    step, extras = divmod(size, num_slice)
    bounds = onp.cumsum([0] + [step + 1] * extras + [step] * (num_slice - extras))
    parts = np.split(data, [int(b) for b in bounds[1:-1]], axis=batch_axis)
    return to_nd(parts) if type(data) is NDArray else parts  # MXNet 1.x: NDArray slices


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Split ``data`` (any array-like) along ``batch_axis`` and put part i on ``ctx_list[i]``.

    Data that is not an array yet becomes an ``mx.np`` array in numpy mode, else an ``mx.nd``
    NDArray (float32 by default), as in MXNet."""
    if not isinstance(data, ndarray):
        data = (np.array if is_np_array() else nd.array)(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_ctx(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [part.as_in_ctx(ctx) for part, ctx in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Scale ``arrays`` in place so their joint 2-norm is at most ``max_norm``; return that norm.

    Returns a NumPy scalar (``check_isfinite=True``) or a shape-(1,) array, an NDArray for
    NDArrays, as MXNet's legacy mode does; MXNet 1.9.1 fails on numpy-mode arrays here.
    """
    assert len(arrays) > 0
    ctx = arrays[0].ctx
    with autograd.pause():  # clipping gradients is bookkeeping, never part of the model
        squares = [np.dot(a.reshape(-1), a.reshape(-1)).as_in_ctx(ctx) for a in arrays]
        total_norm = np.sqrt(sum(squares[1:], squares[0]))
        if check_isfinite and not onp.isfinite(total_norm.item()):
            warnings.warn(UserWarning("nan or inf is detected. Clipping results will be "
                                      "undefined."), stacklevel=2)
        # never scale up; a nan norm propagates into the arrays, as in MXNet
        scale = np.minimum(max_norm / (total_norm + 1e-8), 1.0)
        with onp.errstate(invalid="ignore"):  # inf * 0 gives nan quietly, as in MXNet
            for arr in arrays:
                arr *= scale.as_in_ctx(arr.ctx)
    if check_isfinite:
        return onp.dtype(total_norm.dtype).type(total_norm.item())
    total_norm = total_norm.reshape((1,))
    return total_norm.as_nd_ndarray() if isinstance(arrays[0], NDArray) else total_norm


def check_sha1(filename, sha1_hash):
    """Whether the SHA-1 hex digest of the file equals ``sha1_hash``."""
    sha1 = hashlib.sha1()
    with open(filename, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha1.update(chunk)
    return sha1.hexdigest() == sha1_hash


def replace_file(src, dst):
    """Move ``src`` onto ``dst`` atomically (both on one file system), replacing ``dst``."""
    os.replace(src, dst)


def shape_is_known(shape):
    """Whether every dimension of ``shape`` is known: with numpy shape semantics -1 marks an
    unknown dimension (and ``()`` is a known scalar shape), without them 0 does (and ``()`` is
    unknown), as in MXNet. A dimension below the marker fails an assertion."""
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for dim in shape:
        if dim == unknown:
            return False
        assert dim > unknown, \
            f"shape dimension size cannot be less than {unknown}, while received {dim}"
    return True


def _get_repo_url():
    """The repository hosted files come from: ``$MXNET_GLUON_REPO`` (or Apache MXNet's), ending
    in ``/``."""
    repo = os.environ.get("MXNET_GLUON_REPO", _APACHE_REPO_URL)
    return repo if repo.endswith("/") else repo + "/"


def _get_repo_file_url(namespace, filename):
    """The URL of the hosted file ``namespace/filename``."""
    return f"{_get_repo_url()}{namespace}/{filename}"


# ---- download ---------------------------------------------------------------------------------
def _target_name(url, path):
    """The file a download of ``url`` writes: ``path``, or the URL's last part inside a dir."""
    if path is None:
        fname = url.split("/")[-1]
        assert fname, "Can't construct file-name from this URL. Please set the `path` option " \
            "manually."
        return fname
    path = os.path.expanduser(path)
    # a path ending in a separator names a directory even before it exists (MXNet: a file)
    if os.path.isdir(path) or path.endswith(os.sep):
        return os.path.join(path, url.split("/")[-1])
    return path


class _TextBar:
    """A minimal progress bar on stderr for when tqdm is not installed."""

    def __init__(self, total, desc):
        self.total, self.desc, self.done = total, desc, 0

    def update(self, n):
        self.done += n
        if self.total:
            filled = 30 * self.done // self.total
            shown = f"[{'#' * filled}{' ' * (30 - filled)}] {100 * self.done // self.total}%"
        else:
            shown = f"{self.done} bytes"
        sys.stderr.write(f"\r{self.desc}: {shown}")
        sys.stderr.flush()

    def close(self):
        sys.stderr.write("\n")
        sys.stderr.flush()


def _progress_bar(total, desc):
    try:
        from tqdm import tqdm  # optional: only a nicer bar
    except ImportError:
        return _TextBar(total, desc)
    return tqdm(total=total, unit="B", unit_scale=True, desc=desc, file=sys.stderr)


def _chunks(url, verify_ssl):
    """(the announced length or None, an iterator of the body's chunks) of a GET of ``url``:
    through ``requests`` when it is installed, as MXNet downloads (so code that patches
    ``requests.get`` sees its patch), else through urllib."""
    try:
        import requests  # optional, as in MXNet
    except ImportError:
        requests = None
    if requests is not None:
        response = requests.get(url, stream=True, verify=verify_ssl)
        if response.status_code != 200:
            raise RuntimeError(f"Failed downloading url {url}")
        length = response.headers.get("content-length")
        return (int(length) if length else None), response.iter_content(chunk_size=1 << 16)
    context = None if verify_ssl else ssl._create_unverified_context()
    try:
        response = urllib.request.urlopen(url, context=context)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"Failed downloading url {url}") from e
    if response.status != 200:
        response.close()
        raise RuntimeError(f"Failed downloading url {url}")
    length = response.headers.get("Content-Length")

    def body():
        with response:
            yield from iter(lambda: response.read(1 << 16), b"")
    return (int(length) if length else None), body()


def _fetch(url, fname, sha1_hash, overwrite, verify_ssl):
    """Download into a temporary file, check it, then move it onto ``fname`` in one step."""
    tmp = f"{fname}.{uuid.uuid4()}"
    try:
        length, chunks = _chunks(url, verify_ssl)
        with open(tmp, "wb") as f:
            bar = _progress_bar(length, os.path.basename(fname))
            for chunk in chunks:
                if chunk:  # requests yields empty keep-alive chunks
                    f.write(chunk)
                    bar.update(len(chunk))
            bar.close()
        # checked before the move, so a bad download never replaces a file already there
        if sha1_hash and not check_sha1(tmp, sha1_hash):
            raise UserWarning(
                f"File {fname} is downloaded but the content hash does not match. The repo may "
                "be outdated or download may be incomplete. If the \"repo_url\" is overridden, "
                "consider switching to the default repo.")
        if not overwrite and os.path.exists(fname) and (
                not sha1_hash or check_sha1(fname, sha1_hash)):  # another process was quicker
            warnings.warn(f"File {fname} exists in file system so the downloaded file is deleted")
        else:
            replace_file(tmp, fname)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Download ``url`` to ``path`` (a file or directory) unless a good copy is there; return it.

    Fetched with ``requests`` where it is installed (as MXNet does), else with urllib (a
    refused connection then raises ``urllib.error.URLError``); shows a progress bar on stderr.
    """
    fname = _target_name(url, path)
    assert retries >= 0, f"Number of retries should be at least 0, currently it's {retries}"
    if not verify_ssl:
        warnings.warn("Unverified HTTPS request is being made (verify_ssl=False). Adding "
                      "certificate verification is strongly advised.")
    if not overwrite and os.path.exists(fname) and (not sha1_hash or check_sha1(fname, sha1_hash)):
        return fname
    os.makedirs(os.path.dirname(os.path.abspath(fname)), exist_ok=True)
    while True:
        try:
            print(f"Downloading {fname} from {url}...")
            _fetch(url, fname, sha1_hash, overwrite, verify_ssl)
            return fname
        except Exception as e:  # noqa: BLE001 - any failure is retried, as in MXNet
            retries -= 1
            if retries <= 0:
                raise
            print(f"download failed due to {e!r}, retrying, {retries} attempt"
                  f"{'s' if retries > 1 else ''} left")
