"""gluon.utils: split_data, split_and_load, clip_global_norm, check_sha1, shape_is_known."""
from __future__ import annotations

import hashlib
import re

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, np, npx
from mxnp.gluon import utils

UNEVEN = ("data with shape (5, 2) cannot be evenly split into 2 slices along axis 0. Use a batch "
          "size that's multiple of 2 or set even_split=False to allow uneven partitioning of data.")


def shapes(parts):
    return [p.shape for p in parts]


def test_split_data_uneven_raises_mxnets_message():
    with pytest.raises(ValueError, match=re.escape(UNEVEN)):
        utils.split_data(np.arange(10).reshape(5, 2), 2)


@pytest.mark.parametrize("shape, num, axis, expected", [  # MXNet 1.9.1 (mxref)
    ((5, 2), 2, 0, [(3, 2), (2, 2)]),
    ((5, 2), 7, 0, [(1, 2)] * 5 + [(0, 2)] * 2),
    ((2, 4), 3, 1, [(2, 2), (2, 1), (2, 1)]),
    ((2, 2), 3, 0, [(1, 2), (1, 2), (0, 2)]),
])
def test_split_data_uneven_shapes(shape, num, axis, expected):
    data = np.arange(onp.prod(shape)).reshape(shape)
    assert shapes(utils.split_data(data, num, batch_axis=axis, even_split=False)) == expected


def test_split_data_values_and_axis():
    # MXNet 1.9.1 (mxref): arange(8).reshape(2, 4), 3 slices on axis 1, uneven
    parts = utils.split_data(np.arange(8.0).reshape(2, 4), 3, batch_axis=1, even_split=False)
    assert [p.asnumpy().tolist() for p in parts] == [[[0, 1], [4, 5]], [[2], [6]], [[3], [7]]]
    even = utils.split_data(np.arange(8).reshape(2, 4), 2, batch_axis=1)
    assert shapes(even) == [(2, 2), (2, 2)]


def test_split_data_one_slice_is_a_list_of_the_data():
    data = np.arange(6.0).reshape(3, 2)
    parts = utils.split_data(data, 1)
    assert isinstance(parts, list) and len(parts) == 1
    assert parts[0].asnumpy().tolist() == data.asnumpy().tolist()


def test_split_data_keeps_gradients():
    x = np.arange(4.0).reshape(4, 1)
    x.attach_grad()
    with autograd.record():
        a, b = utils.split_data(x, 2)
        y = (a * 2).sum() + (b * 3).sum()
    y.backward()
    assert x.grad.asnumpy().ravel().tolist() == [2.0, 2.0, 3.0, 3.0]


def test_split_and_load_one_device_is_a_list():
    data = np.arange(4.0).reshape(2, 2)
    parts = utils.split_and_load(data, [mx.cpu()])
    assert isinstance(parts, list) and len(parts) == 1 and parts[0].ctx == mx.cpu(0)


def test_split_and_load_devices():
    parts = utils.split_and_load(np.arange(8).reshape(4, 2), [mx.cpu(0), mx.cpu(1)])
    assert shapes(parts) == [(2, 2), (2, 2)]
    assert [p.ctx for p in parts] == [mx.cpu(0), mx.cpu(1)]
    with pytest.raises(ValueError, match="cannot be evenly split into 2 slices"):
        utils.split_and_load(np.arange(10).reshape(5, 2), [mx.cpu(0), mx.cpu(1)])
    uneven = utils.split_and_load(np.arange(10).reshape(5, 2), [mx.cpu(0), mx.cpu(1)],
                                  even_split=False)
    assert shapes(uneven) == [(3, 2), (2, 2)]


def test_split_and_load_converts_other_arrays():
    # MXNet 1.9.1 (mxref): a list -> float32 mx.np arrays; official float64 stays float64
    parts = utils.split_and_load([[1, 2], [3, 4]], [mx.cpu(0), mx.cpu(1)])
    assert [p.asnumpy().tolist() for p in parts] == [[[1.0, 2.0]], [[3.0, 4.0]]]
    assert isinstance(parts[0], np.ndarray) and parts[0].dtype == onp.float32
    (one,) = utils.split_and_load(onp.arange(4.0), [mx.cpu(0)])
    assert isinstance(one, np.ndarray) and one.dtype == onp.float64


def test_split_and_load_needs_a_list_of_devices():
    # MXNet 1.9.1 (mxref): TypeError: object of type 'Context' has no len()
    with pytest.raises(TypeError, match="has no len()"):
        utils.split_and_load(np.arange(4).reshape(2, 2), mx.cpu())


def test_clip_global_norm_scales_in_place_and_returns_the_norm():
    # MXNet 1.9.1 (mxref, legacy mode): 13.0 as numpy.float32, [0.23076925, 0.30769232],
    # [[0.923077]]
    arrays = [np.array([3.0, 4.0]), np.array([[12.0]])]
    first = arrays[0]
    norm = utils.clip_global_norm(arrays, 1.0)
    assert type(norm) is onp.float32 and norm == 13.0
    assert arrays[0] is first
    onp.testing.assert_allclose(arrays[0].asnumpy(), [0.23076925, 0.30769232], rtol=1e-6)
    onp.testing.assert_allclose(arrays[1].asnumpy(), [[0.923077]], rtol=1e-6)


def test_clip_global_norm_leaves_small_arrays():
    arrays = [np.array([3.0, 4.0]), np.array([[12.0]])]
    assert utils.clip_global_norm(arrays, 100.0) == 13.0
    assert arrays[0].asnumpy().tolist() == [3.0, 4.0] and arrays[1].asnumpy().tolist() == [[12.0]]
    # MXNet 1.9.1 (mxref): max_norm 4 on [3, 4] -> 5.0, [2.4, 3.2]
    arr = [np.array([3.0, 4.0])]
    assert utils.clip_global_norm(arr, 4.0) == 5.0
    onp.testing.assert_allclose(arr[0].asnumpy(), [2.4, 3.2], rtol=1e-6)


def test_clip_global_norm_without_finiteness_check_returns_an_array():
    # MXNet 1.9.1 (mxref, legacy mode): a 1-element array [13.]
    norm = utils.clip_global_norm([np.array([3.0, 4.0]), np.array([[12.0]])], 1.0,
                                  check_isfinite=False)
    assert isinstance(norm, np.ndarray) and norm.shape == (1,) and norm.item() == 13.0


def test_clip_global_norm_float64():
    # MXNet 1.9.1 fails (Non-uniform data type in Concat); mxnp keeps float64
    arr = [np.array([3.0, 4.0], dtype="float64")]
    norm = utils.clip_global_norm(arr, 1.0)
    assert type(norm) is onp.float64 and norm == 5.0
    assert arr[0].dtype == onp.float64
    scale = 1.0 / (5.0 + 1e-8)  # the 1e-8 guard shows in float64
    onp.testing.assert_allclose(arr[0].asnumpy(), [3 * scale, 4 * scale], rtol=1e-14)


def test_clip_global_norm_non_finite():
    # MXNet 1.9.1 (mxref, legacy mode): nan norm, a UserWarning, arrays nan
    arr = [np.array([float("nan"), 1.0])]
    with pytest.warns(UserWarning, match="nan or inf is detected. Clipping results will be "
                                         "undefined.") as record:
        norm = utils.clip_global_norm(arr, 1.0)
    assert record[0].filename == __file__  # stacklevel points at the caller
    assert onp.isnan(norm) and onp.isnan(arr[0].asnumpy()).all()
    # MXNet 1.9.1 (mxref): inf, check_isfinite=False -> [inf], no warning, arrays [nan, 0]
    arr = [np.array([float("inf"), 1.0])]
    norm = utils.clip_global_norm(arr, 1.0, check_isfinite=False)
    assert norm.asnumpy().tolist() == [float("inf")]
    assert onp.isnan(arr[0].asnumpy()[0]) and arr[0].asnumpy()[1] == 0


def test_clip_global_norm_zero_and_empty():
    arr = [np.zeros((2,))]
    assert utils.clip_global_norm(arr, 1.0) == 0.0 and arr[0].asnumpy().tolist() == [0.0, 0.0]
    with pytest.raises(AssertionError):
        utils.clip_global_norm([], 1.0)


def test_clip_global_norm_on_gradients():
    w = np.array([3.0, 4.0])
    w.attach_grad()
    with autograd.record():
        y = (w * w).sum() / 2  # grad = w, norm 5
    y.backward()
    assert utils.clip_global_norm([w.grad], 2.5) == 5.0
    onp.testing.assert_allclose(w.grad.asnumpy(), [1.5, 2.0], rtol=1e-6)


def test_check_sha1(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"hello")
    digest = hashlib.sha1(b"hello").hexdigest()
    # MXNet 1.9.1 (mxref): the digest of b'hello'; prefixes and extensions do not match
    assert digest == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    assert utils.check_sha1(str(path), digest) is True
    assert [utils.check_sha1(str(path), h) for h in (digest[:8], "", "abc", digest + "ff")] == \
        [False] * 4


def test_replace_file(tmp_path):
    src, dst = tmp_path / "a", tmp_path / "b"
    src.write_text("new")
    dst.write_text("old")
    utils.replace_file(str(src), str(dst))
    assert dst.read_text() == "new" and not src.exists()


def test_shape_is_known():
    npx.set_np()
    # MXNet 1.9.1 (mxref, numpy mode): [False, True, True, True, False, False]
    cases = [None, (), (2, 3), (0, 3), (-1, 3), (2, -1)]
    assert [utils.shape_is_known(s) for s in cases] == [False, True, True, True, False, False]
    assert utils.shape_is_known([2, 3]) is True
    with pytest.raises(AssertionError, match="shape dimension size cannot be less than -1, "
                                             "while received -2"):
        utils.shape_is_known((-2, 3))


def test_shape_is_known_without_numpy_shapes_reads_0_as_unknown():
    npx.reset_np()
    # MXNet 1.9.1 (mxref, after npx.reset_np()): 0 marks an unknown dimension and () is unknown
    cases = [None, (), (2, 3), (0, 3), (2, 0)]
    assert [utils.shape_is_known(s) for s in cases] == [False, False, True, False, False]
    with pytest.raises(AssertionError, match="shape dimension size cannot be less than 0, "
                                             "while received -1"):
        utils.shape_is_known((2, -1))


def test_legacy_face_keeps_ndarrays():
    npx.reset_np()
    # MXNet 1.9.1 (mxref, after npx.reset_np()): a list or NumPy array is loaded as float32
    # NDArrays; clip_global_norm(check_isfinite=False) returns an NDArray of shape (1,)
    parts = utils.split_and_load(onp.arange(6).reshape(3, 2), [mx.cpu()])
    assert type(parts[0]) is mx.nd.NDArray and parts[0].dtype == onp.float32
    parts = utils.split_and_load([[1, 2], [3, 4]], [mx.cpu(0), mx.cpu(1)])
    assert [type(p) for p in parts] == [mx.nd.NDArray] * 2
    norm = utils.clip_global_norm([mx.nd.ones((2,)) * 3], 10.0, check_isfinite=False)
    assert type(norm) is mx.nd.NDArray and norm.shape == (1,)
    assert norm.asnumpy().tolist() == [onp.float32(onp.sqrt(18))]


def test_repo_urls_and_brief_lists():
    # MXNet 1.9.1 (mxref): the helpers GluonNLP/GluonCV import from mxnet.gluon.utils
    assert utils._get_repo_file_url("ns", "f.txt") == \
        "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/ns/f.txt"
    assert utils._brief_print_list(list(range(20))) == "'0', '1', '2', ..., '16', '17', '18', '19'"
    assert utils._indent("a\nb", 2) == "a\n  b"


def test_repo_url_follows_mxnet_gluon_repo(monkeypatch):
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://127.0.0.1:9")
    assert utils._get_repo_url() == "http://127.0.0.1:9/"
    assert utils._get_repo_file_url("gluon/models", "a.zip") == \
        "http://127.0.0.1:9/gluon/models/a.zip"


def test_hook_handle_attach_detach():
    import collections

    hooks = collections.OrderedDict()
    handle = utils.HookHandle()

    def hook():
        return 1

    handle.attach(hooks, hook)
    assert list(hooks.values()) == [hook]
    with pytest.raises(AssertionError, match="The same handle cannot be attached twice."):
        handle.attach(hooks, hook)
    with handle:
        pass
    assert hooks == {}
