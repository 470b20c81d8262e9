"""Sorting, searching and set ops against NumPy (values, shapes, dtypes) and MXNet 1.9.1.

Index results are int64 on every input dtype (MXNet). Where MXNet's answer is recorded here
rather than NumPy's, the test says so (the values come from the real MXNet 1.9.1).
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import OpError
from mxnp.testing import assert_allclose
from tests import helpers
from tests.helpers import grad_of

DTYPES = [onp.dtype(t) for t in ("float16", "float32", "float64", "int8", "int32", "int64",
                                 "uint8", "bool")]
I64 = onp.dtype("int64")


def data(dtype, shape=(3, 5), seed=0):
    """Distinct-enough values of ``dtype`` (ties allowed: every sort here is stable)."""
    rng = onp.random.default_rng(seed)
    if dtype == onp.bool_:
        return rng.random(shape) < 0.5
    return rng.integers(0, 50, shape).astype(dtype)


def same(got, want, dtype=None):
    """Equal values, shape and dtype (dtype: the one expected when it differs from NumPy's)."""
    assert isinstance(got, np.ndarray)
    helpers.same(got, want, dtype=dtype)




# ---- sort, argsort, msort --------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("axis", [-1, 0, None])
def test_sort_and_argsort_match_numpy(dtype, axis):
    raw = data(dtype)
    same(np.sort(np.array(raw), axis=axis), onp.sort(raw, axis=axis, kind="stable"))
    same(np.argsort(np.array(raw), axis=axis), onp.argsort(raw, axis=axis, kind="stable"), I64)


def test_sort_examples():
    a = np.array([[1, 4], [3, 1]], dtype="int32")  # NumPy's documented example
    same(np.sort(a), [[1, 4], [1, 3]], onp.int32)
    same(np.sort(a, axis=None), [1, 1, 3, 4], onp.int32)
    same(np.sort(a, axis=0), [[1, 1], [3, 4]], onp.int32)
    same(np.msort(np.array([[3.0, 1.0], [0.0, 2.0]])), [[0.0, 1.0], [3.0, 2.0]], onp.float32)
    # MXNet 1.9.1: NaN compares false, so an insertion sort leaves it first
    same(np.sort(np.array([onp.nan, 1.0, -onp.inf])), [onp.nan, -onp.inf, 1.0], onp.float32)
    same(np.argsort(np.array([3.0, 1.0, 2.0])), [1, 2, 0])  # MXNet: int64
    # ties beyond 16 elements in libstdc++'s std::sort order (MXNet 1.9.1's printed answer)
    same(np.argsort(np.zeros(40)), [30, *range(21, 30), 20, *range(31, 40), 10, *range(1, 10),
                                    0, *range(11, 20)])
    same(np.argsort(np.zeros(40), stable=True), onp.arange(40))  # NumPy 2's keyword
    same(np.sort(np.array([3.0, 1.0]), kind="quicksort"), [1.0, 3.0], onp.float32)


def test_sort_grad_scatters_through_the_permutation():
    # MXNet 1.9.1: np.sort(x) * [1, 10, 100] with x = [3, 1, 2] gives [100, 1, 10]
    g = grad_of(lambda x: np.sort(x) * np.array([1.0, 10.0, 100.0]), np.array([3.0, 1.0, 2.0]))
    same(g, [100.0, 1.0, 10.0], onp.float32)
    x = np.array([[3.0, 1.0], [2.0, 5.0]])  # MXNet: [[10, 1], [1, 10]]
    g = grad_of(lambda x: np.sort(x, axis=0) * np.array([[1.0], [10.0]]), x)
    same(g, [[10.0, 1.0], [1.0, 10.0]], onp.float32)


def test_sort_bad_input():
    with pytest.raises(OpError, match="sort: axis"):
        np.sort(np.array([3.0, 1.0]), axis=1)
    with pytest.raises(OpError, match="sort"):
        np.sort(np.array(1.0))
    with pytest.raises(NotImplementedError, match="argsort: order"):
        np.argsort(np.array([3.0, 1.0]), order="x")
    with pytest.raises(OpError, match="sort: kind"):
        np.sort(np.array([3.0, 1.0]), kind="bogus")
    with pytest.raises(TypeError, match="argsort"):
        np.argsort([3.0, 1.0])


# ---- partition, argpartition, lexsort ---------------------------------------------------------
def assert_partitioned(got, raw, kth, axis):
    """NumPy's promise: the kth entries are in sorted place, smaller ones before, larger after
    (the order inside each side is unspecified, and differs between NumPy's own kernels)."""
    got = got.asnumpy()
    raw, axis = (raw.ravel(), -1) if axis is None else (raw, axis)
    want = onp.sort(raw, axis=axis)
    onp.testing.assert_array_equal(onp.sort(got, axis=axis), want)
    got, want = onp.moveaxis(got, axis, -1), onp.moveaxis(want, axis, -1)
    for k in onp.atleast_1d(kth):
        onp.testing.assert_array_equal(got[..., k], want[..., k])
        pivot = got[..., k:k + 1]
        assert (got[..., :k] <= pivot).all() and (got[..., k:] >= pivot).all()


@pytest.mark.parametrize("dtype", DTYPES[:7], ids=str)
def test_partition_and_argpartition_partition(dtype):
    raw = data(dtype, (4, 6), seed=1)
    for kth, axis in [(2, -1), ((0, 3), -1), (1, 0), (5, None)]:
        got = np.partition(np.array(raw), kth, axis=axis)
        assert (got.shape, got.dtype) == (onp.partition(raw, kth, axis=axis).shape, raw.dtype)
        assert_partitioned(got, raw, kth, axis)
        idx = np.argpartition(np.array(raw), kth, axis=axis)
        assert idx.dtype == I64
        flat = raw.ravel() if axis is None else raw
        picked = onp.take_along_axis(flat, idx.asnumpy(), -1 if axis is None else axis)
        assert_partitioned(np.array(picked), raw, kth, axis)


def test_partition_example_and_errors():
    assert_partitioned(np.partition(np.array([3.0, 4.0, 2.0, 1.0]), 3), onp.array([3, 4, 2, 1]),
                       3, -1)
    with pytest.raises(OpError, match="partition"):
        np.partition(np.array([3.0, 4.0]), 5)
    with pytest.raises(OpError, match="argpartition: kind"):
        np.argpartition(np.array([3.0, 4.0]), 0, kind="stable")


def test_lexsort_matches_numpy():
    surnames = onp.array([3, 1, 2, 1, 3])
    first = onp.array([0, 4, 1, 2, 0])
    same(np.lexsort((np.array(first), np.array(surnames))), onp.lexsort((first, surnames)))
    keys = data(onp.dtype("float64"), (3, 6), seed=2) % 3
    same(np.lexsort(np.array(keys)), onp.lexsort(keys))
    same(np.lexsort(np.array(keys), axis=0), onp.lexsort(keys, axis=0))
    same(np.lexsort((np.array([1.0, 2.0, 1.0]), np.array([0.0, 0.0, 1.0]))), [0, 1, 2])
    with pytest.raises(TypeError, match="lexsort"):  # official NumPy's kind, as MXNet 1.9.1
        np.lexsort([])


# ---- searchsorted ----------------------------------------------------------------------------
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted_matches_numpy(side):
    a, v = onp.array([1, 2, 2, 3, 5], "float32"), onp.array([[2.0, 0.0], [5.5, 3.0]], "float32")
    same(np.searchsorted(np.array(a), np.array(v), side=side), onp.searchsorted(a, v, side))
    order = onp.array([4, 0, 2, 1, 3])
    shuffled = a[onp.argsort(order)]
    sorter = onp.argsort(shuffled)
    same(np.searchsorted(np.array(shuffled), np.array(v), side, np.array(sorter)),
         onp.searchsorted(shuffled, v, side, sorter))


def test_searchsorted_scalar_and_errors():
    got = np.searchsorted(np.array([1.0, 2.0, 3.0]), 2.0)
    assert type(got) is onp.int64 and got == 1  # a NumPy scalar, as MXNet's fallback gives
    same(np.searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.5, 0.0])), [2, 0])  # MXNet
    with pytest.raises(OpError, match="searchsorted"):
        np.searchsorted(np.ones((2, 2)), 1.0)
    with pytest.raises(OpError, match="searchsorted: side"):
        np.searchsorted(np.array([1.0]), 1.0, side="middle")
    with pytest.raises(TypeError, match="searchsorted: sorter must only contain integers"):
        np.searchsorted(np.array([1.0, 2.0]), 1.0, sorter=np.array([0.0, 1.0]))


# ---- unique ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_unique_matches_numpy(dtype):
    raw = data(dtype, (12,), seed=3) % 5 if dtype != onp.bool_ else data(dtype, (12,))
    got = np.unique(np.array(raw), True, True, True)
    want = onp.unique(raw, True, True, True)
    same(got[0], want[0])
    for g, w in zip(got[1:], want[1:]):
        same(g, w, I64)
    same(np.unique(np.array(raw)), onp.unique(raw))


def test_unique_examples():
    # MXNet 1.9.1
    values, index, inverse, counts = np.unique(np.array([3.0, 1.0, 1.0, 2.0]), return_index=True,
                                               return_inverse=True, return_counts=True)
    same(values, [1.0, 2.0, 3.0], onp.float32)
    same(index, [1, 3, 0])
    same(inverse, [2, 0, 0, 1])
    same(counts, [2, 1, 1])
    rows, counts = np.unique(np.array([[1.0, 1.0], [0.0, 2.0], [1.0, 1.0]]), axis=0,
                             return_counts=True)
    same(rows, [[0.0, 2.0], [1.0, 1.0]], onp.float32)
    same(counts, [1, 2])
    # MXNet gives a flat inverse for a 2-D input (NumPy 2 gives the input's shape)
    same(np.unique(np.array([[1.0, 2.0], [2.0, 3.0]]), return_inverse=True)[1], [0, 1, 1, 2])


def test_unique_of_nan_and_errors():
    same(np.unique(np.array([onp.nan, 1.0, onp.nan])), [1.0, onp.nan], onp.float32)
    with pytest.raises(OpError, match="unique"):
        np.unique(np.ones((2, 2)), axis=2)


# ---- isin, in1d and the set functions --------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_set_functions_match_numpy(dtype):
    a, b = data(dtype, (3, 4), seed=4) % 7, data(dtype, (5,), seed=5) % 7
    if dtype == onp.bool_:
        a, b = data(dtype, (3, 4)), onp.array([True])
    x, y = np.array(a), np.array(b)
    same(np.isin(x, y), onp.isin(a, b))
    same(np.isin(x, y, invert=True), onp.isin(a, b, invert=True))
    same(np.in1d(x, y), onp.isin(a, b).ravel())
    same(np.union1d(x, y), onp.union1d(a, b))
    same(np.setdiff1d(x, y), onp.setdiff1d(a, b))
    same(np.setxor1d(x, y), onp.setxor1d(a, b))
    got = np.intersect1d(x, y, return_indices=True)
    want = onp.intersect1d(a, b, return_indices=True)
    same(got[0], want[0])
    same(got[1], want[1], I64)
    same(got[2], want[2], I64)
    same(np.intersect1d(x, y), want[0])


def test_set_function_examples():
    # NumPy's documented examples
    test = np.array([0, 1, 2, 5, 0], dtype="int64")
    same(np.in1d(test, np.array([0, 2], dtype="int64")), [True, False, True, False, True])
    element = np.array([[0, 2], [4, 6]], dtype="int64")
    same(np.isin(element, np.array([1, 2, 4, 8], dtype="int64")), [[False, True], [True, False]])
    same(np.isin(element, 2), [[False, True], [False, False]])
    same(np.union1d(np.array([-1, 0, 1], dtype="int64"), np.array([-2, 0, 2], dtype="int64")),
         [-2, -1, 0, 1, 2])
    # MXNet 1.9.1
    same(np.setxor1d(np.array([1.0, 2.0]), np.array([2.0, 5.0])), [1.0, 5.0], onp.float32)
    same(np.intersect1d(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])), [2.0, 3.0],
         onp.float32)
    with pytest.raises(TypeError, match="union1d"):
        np.union1d([1.0], np.array([2.0]))


# ---- gradients stay out of the way of index results ------------------------------------------
def test_index_results_are_not_recorded():
    x = np.array([3.0, 1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        outs = [np.argsort(x), np.argpartition(x, 1), np.searchsorted(x, 2.0),
                np.isin(x, 1.0), np.unique(x, return_counts=True)[1]]
    assert all(not isinstance(o, np.ndarray) or o._node is None for o in outs)
    assert_allclose(grad_of(lambda x: np.partition(x, 1) * np.array([1.0, 10.0, 100.0]),
                            np.array([3.0, 1.0, 2.0])), [100.0, 1.0, 10.0])


def test_topk_axis_none_ranks_the_flattened_array():
    x = np.array([[3.0, 1, 2], [0, 5, 4]])
    assert npx.topk(x, axis=None, k=3).tolist() == [4.0, 5.0, 0.0]  # MXNet's values
    values, indices = npx.topk(x, axis=None, k=3, ret_typ="both")
    assert values.tolist() == [5.0, 4.0, 3.0] and indices.dtype == onp.float32
    mask = npx.topk(x, axis=None, k=3, ret_typ="mask")
    assert mask.shape == (2, 3) and mask.tolist() == [[1, 0, 0], [0, 1, 1]]
    assert grad_of(lambda a: npx.topk(a, axis=None, k=2, ret_typ="value"), x).tolist() == \
        [[0, 0, 0], [0, 1, 1]]


def test_topk_k_below_one_ranks_the_whole_axis_and_too_large_k_raises():
    x = np.array([[3.0, 1, 2], [0, 5, 4]])
    assert npx.topk(x, k=0).tolist() == [[0, 2, 1], [1, 2, 0]]
    assert npx.topk(x, k=-1, ret_typ="value").tolist() == [[3, 2, 1], [5, 4, 0]]
    with pytest.raises(OpError, match="k = 4"):
        npx.topk(x, k=4)
