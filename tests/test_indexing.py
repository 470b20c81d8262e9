"""x[key] and x[key] = v with MXNet's view/copy rule (reference 3.7-3.9).

MXNet returns a view exactly when a basic index (ints, slices, None, ...) gives a contiguous
block of memory (x[1], x[1:3], x[None], x[...], x[1, 1:3], a full integer index); everything
else copies, even basic indexing (x[:, 1], x[::2]).
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import np
from mxnp.base import MXNetError

REF = onp.arange(12.).reshape(3, 4)


@pytest.fixture
def x():
    return np.arange(12).reshape(3, 4)


def writes_through(view, base) -> bool:
    """True when writing into ``view`` changes ``base`` (they share memory)."""
    before = base.asnumpy()
    view[...] = -7
    return not onp.array_equal(base.asnumpy(), before)


# ---- views and copies ---------------------------------------------------------------------------
@pytest.mark.parametrize("key", [1, -1, slice(1, 3), slice(0, 3, 1), None, Ellipsis,
                                 (1, 2), (slice(None), slice(None)), (slice(1, 2), slice(1, 3)),
                                 (1, slice(1, 3)), (slice(2, 3), 1)],
                         ids=["int", "negative-int", "slice", "unit-step-slice", "None",
                              "ellipsis", "full-int", "full-slices", "one-row-block",
                              "part-of-a-row", "one-element"])
def test_getitem_contiguous_basic_index_is_a_view(x, key):
    assert writes_through(x[key], x)


@pytest.mark.parametrize("key", [(slice(None), 1), (slice(None), slice(1, 3)), slice(None, None, 2),
                                 (1, slice(None, None, 2)), (Ellipsis, slice(0, 2)), [0, 1],
                                 onp.array([0, 2]), onp.array([True, False, True])],
                         ids=["column", "column-slice", "step-2", "row-step-2", "ellipsis-slice",
                              "list", "int-array", "bool-mask"])
def test_getitem_other_index_is_a_copy(x, key):
    assert not writes_through(x[key], x)


def test_getitem_bool_mask_from_comparison_is_a_copy(x):
    assert not writes_through(x[x > 5], x)


def test_getitem_full_integer_index_on_1d_is_a_0d_view():
    v = np.arange(4)
    y = v[2]
    y += 100
    assert v.tolist() == [0., 1., 102., 3.]


# ---- values --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [0, -1, slice(0, 2), (slice(None), 1),
                                 (slice(None, None, 2), slice(None, None, -1)), (Ellipsis, 1),
                                 (slice(None), [0, -1]), (slice(1, None), [0, 1]),
                                 ([0, 2], [1, 3]), [[0, 1], [1, 2]]],
                         ids=["int", "neg", "slice", "column", "steps", "ellipsis", "mixed",
                              "mixed-slice", "pairs", "nested-list"])
def test_getitem_matches_numpy(x, key):
    result = x[key]
    assert type(result) is np.ndarray
    assert result.shape == REF[key].shape
    assert result.tolist() == REF[key].tolist()


def test_getitem_full_integer_index_gives_a_0d_array(x):
    y = x[1, 2]
    assert type(y) is np.ndarray and y.shape == () and y.item() == 6.0
    assert x[(0, 2)].item() == 2.0  # a tuple key is a multi-dimensional index


def test_getitem_new_axes(x):
    assert x[None].shape == (1, 3, 4)
    assert x[:, None].shape == (3, 1, 4)
    assert x[np.newaxis, 0].shape == (1, 4)
    assert np.newaxis is None


def test_getitem_empty_slice_keeps_the_other_axes(x):
    assert x[1:1].shape == (0, 4)
    assert repr(x[5:]) == "array([], shape=(0, 4))"


@pytest.mark.parametrize("key", [[0, 2], onp.array([0, 2]), ((0, 2),)],
                         ids=["list", "numpy-ints", "tuple-in-tuple"])
def test_getitem_integer_array_picks_rows(x, key):
    assert x[key].tolist() == [REF[0].tolist(), REF[2].tolist()]


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64"])
def test_getitem_mxnp_index_array_of_any_number_dtype_picks_rows(x, dtype):
    # MXNet accepts float index arrays (np.array([0, 2]) is float32)
    assert x[np.array([0, 2], dtype=dtype)].tolist() == [REF[0].tolist(), REF[2].tolist()]
    assert np.ones(3)[np.ones(3)].tolist() == [1., 1., 1.]


def test_getitem_0d_index_array_picks_a_row(x):
    assert x[np.array(1)].tolist() == REF[1].tolist()
    assert x[np.array(1, dtype="int32")].tolist() == REF[1].tolist()
    assert np.arange(4)[np.array(2, dtype="int64")].shape == ()


def test_getitem_0d_index_array_is_an_integer_index_so_a_view(x):
    assert writes_through(x[np.array(1)], x)


@pytest.mark.parametrize("mask", [np.array([True, False, True], dtype=bool), [True, False, True],
                                  np.array([1., 0., 1.]) > 0],
                         ids=["bool-array", "bool-list", "comparison"])
def test_getitem_bool_mask_picks_rows(x, mask):
    assert x[mask].tolist() == [REF[0].tolist(), REF[2].tolist()]


def test_getitem_bool_mask_of_same_shape_flattens(x):
    assert x[x > 5].tolist() == [6., 7., 8., 9., 10., 11.]


# ---- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key, shown", [(1.0, "1.0 of type <class 'float'>"),
                                        ("a", "a of type <class 'str'>")])
def test_getitem_non_integer_key_raises_value_error(x, key, shown):
    with pytest.raises(ValueError) as info:
        x[key]
    assert str(info.value) == f"NDArray does not support slicing with key {shown}."


@pytest.mark.parametrize("key, message", [
    (3, "index 3 is out of bounds for axis 0 with size 3"),
    (-4, "index -4 is out of bounds for axis 0 with size 3"),
    ((0, 4), "index 4 is out of bounds for axis 1 with size 4"),
])
def test_getitem_out_of_bounds_raises_index_error(x, key, message):
    # MXNet names axis 0 for x[0, 4]; the real axis is 1
    with pytest.raises(IndexError, match=message):
        x[key]


def test_getitem_too_many_indices_raises_index_error():
    with pytest.raises(IndexError, match="too many indices"):
        np.ones((2, 2))[0, 0, 0]


# ---- __setitem__ ---------------------------------------------------------------------------------
def test_setitem_scalars():
    x = np.zeros((3, 4))
    x[0] = 1
    x[1, 2] = 5
    x[2, -1] = True
    assert x.tolist() == [[1.] * 4, [0., 0., 5., 0.], [0., 0., 0., 1.]]


@pytest.mark.parametrize("key", [slice(None), Ellipsis, None])
def test_setitem_whole_array(key):
    x = np.zeros((3, 4))
    x[key] = 2
    assert x.tolist() == [[2.] * 4] * 3


def test_setitem_broadcasts_the_value():
    x = np.zeros((3, 4))
    x[:, 1] = np.array([1., 2., 3.])
    x[:, 2:] = np.ones((3, 1)) * 7
    assert x.tolist() == [[0., 1., 7., 7.], [0., 2., 7., 7.], [0., 3., 7., 7.]]


@pytest.mark.parametrize("value", [np.array([1, 2, 3, 4], dtype="int32"), onp.array([1, 2, 3, 4]),
                                   [1, 2, 3, 4], (1, 2, 3, 4)],
                         ids=["int32", "numpy", "list", "tuple"])
def test_setitem_casts_the_value_to_the_arrays_dtype(value):
    x = np.zeros((2, 4))
    x[0] = value
    assert x.dtype == onp.float32
    assert x.tolist() == [[1., 2., 3., 4.], [0.] * 4]


def test_setitem_float_into_int_truncates():
    x = np.zeros((2, 2), dtype="int32")
    x[0] = 2.7
    assert x.dtype == onp.int32 and x.tolist() == [[2, 2], [0, 0]]


def test_setitem_bool_mask():
    x = np.zeros((3, 4))
    x[x == 0] = 4
    x[np.array([True, False, True], dtype=bool)] = 1
    assert x.tolist() == [[1.] * 4, [4.] * 4, [1.] * 4]


def test_setitem_python_bool_list_is_a_mask():
    # MXNet 1.9.1 reads [True, False, True] as the row numbers [1, 0, 1] here (while x[mask]
    # reads it as a mask); we read it as a mask both ways, as NumPy does
    x = np.zeros((3, 2))
    x[[True, False, True]] = 2
    assert x.tolist() == [[2., 2.], [0., 0.], [2., 2.]]


def test_setitem_integer_arrays():
    x = np.zeros((3, 4))
    x[np.array([0, 2])] = 1
    x[[0, 2], [1, 3]] = 9
    assert x.tolist() == [[1., 9., 1., 1.], [0.] * 4, [1., 1., 1., 9.]]


def test_setitem_repeated_index_last_write_wins():
    x = np.zeros(3)
    x[np.array([0, 0])] = np.array([1., 2.])
    assert x.tolist() == [2., 0., 0.]


def test_setitem_through_a_view_changes_the_base(x):
    x[1:3][0] = 100
    assert x[1].tolist() == [100.] * 4


def test_setitem_shape_mismatch_raises():
    x = np.zeros((3, 4))
    with pytest.raises(MXNetError):
        x[0] = np.ones(3)
    assert x.tolist() == [[0.] * 4] * 3


def test_setitem_trims_the_values_extra_leading_unit_axes():
    # MXNet 1.9.1 drops a value's leading size-1 axes beyond the target's rank before it
    # broadcasts (mxref), so one element takes a (1, 1) array: D2L's multistep predictions
    # write a model's (1, 1) output into a[i]; NumPy 2 alone refuses that
    a = np.zeros(6)
    a[2] = np.ones((1, 1)) * 3
    assert a.tolist() == [0., 0., 3., 0., 0., 0.]
    h = np.zeros((2, 3))
    h[0, 1] = onp.full((1, 1, 1), 7.)
    assert h.tolist() == [[0., 7., 0.], [0., 0., 0.]]
    b = np.zeros((3, 3))
    b[0] = np.ones((1, 1, 1, 1, 3))
    assert b.tolist() == [[1.] * 3, [0.] * 3, [0.] * 3]
    with pytest.raises(MXNetError, match="could not broadcast"):
        b[0] = np.ones((2, 3))  # only unit axes go: MXNet refuses this one too
    with pytest.raises(MXNetError):
        a[1] = np.ones((1, 2))


def test_setitem_out_of_bounds_raises_index_error():
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 3"):
        np.zeros(3)[5] = 1


def test_setitem_float_key_raises_value_error():
    with pytest.raises(ValueError, match="does not support slicing"):
        np.zeros(3)[1.0] = 1
