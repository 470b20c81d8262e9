"""Gathers and index builders against NumPy (values, shapes, dtypes) and MXNet 1.9.1: take,
take_along_axis, choose, compress, extract, select, piecewise, argwhere, flatnonzero,
unravel_index, the *_indices_from family, packbits and unpackbits. Index results are int64."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp.base import OpError
from tests.test_sorting_ops import DTYPES, I64, data, grad_of, same

A = onp.array([4, 3, 5, 7, 6, 8], dtype="int32")  # NumPy's take example


# ---- take ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_take_matches_numpy(dtype, mode):
    raw = data(dtype, (3, 4))
    idx = onp.array([[0, 2], [-1, 1]]) if mode == "raise" else onp.array([[0, 7], [-6, 3]])
    for axis in (None, 0, 1, -1):
        same(np.take(np.array(raw), np.array(idx), axis=axis, mode=mode),
             onp.take(raw, idx, axis=axis, mode=mode))


def test_take_examples():
    a = np.array(A)
    same(np.take(a, np.array([0, 1, 4])), [4, 3, 6], onp.int32)  # NumPy's examples
    same(np.take(a, np.array([[0, 1], [2, 3]])), [[4, 3], [5, 7]], onp.int32)
    same(np.take(a, [0, 1, 4]), [4, 3, 6], onp.int32)  # lists are accepted, as in NumPy
    same(np.take(a, 2), 5, onp.int32)  # a 0-d result (MXNet refuses a Python int index)
    x = np.array([1.0, 2.0, 3.0])  # MXNet 1.9.1 below; float indices truncate
    same(np.take(x, np.array([0.9, 1.2])), [1.0, 2.0], onp.float32)
    same(np.take(x, np.array([1.7]), mode="clip"), [2.0], onp.float32)
    same(np.take(x, np.array([-1.7]), mode="wrap"), [3.0], onp.float32)
    same(np.take(x, np.array([0.0, 5.0, -7.0]), mode="wrap"), [1.0, 3.0, 3.0], onp.float32)
    same(np.take(x, np.array([[0.0, -1.0]]), mode="clip"), [[1.0, 1.0]], onp.float32)
    same(np.take(x, np.array([True, False])), [2.0, 1.0], onp.float32)  # bools count as 1, 0
    same(np.take(x, np.array([], dtype="int64")), onp.zeros(0), onp.float32)
    out = np.zeros(2)
    assert np.take(x, np.array([2, 0]), out=out) is out
    same(out, [3.0, 1.0], onp.float32)


def test_take_bad_input():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(IndexError, match="take: index 5 is out of bounds"):
        np.take(x, np.array([0, 5]))  # the default mode is 'raise', as in MXNet
    with pytest.raises(IndexError, match="take: index -4"):
        np.take(x, np.array([-4]))
    with pytest.raises(OpError, match="take: mode"):
        np.take(x, np.array([0]), mode="nearest")
    with pytest.raises(OpError, match="take: axis 1"):
        np.take(x, np.array([0]), axis=1)
    with pytest.raises(IndexError, match="take: cannot do a non-empty take"):
        np.take(np.zeros((0, 2)), np.array([0]), axis=0, mode="wrap")
    with pytest.raises(TypeError, match="take"):
        np.take(x, "0")


def test_take_grad_accumulates_repeats():
    # MXNet 1.9.1: take(x, [0, 0, 2]) gives [2, 0, 1]; take(x, [1, 1], axis=1, mode='wrap')
    same(grad_of(lambda x: np.take(x, np.array([0, 0, 2])), np.array([3.0, 1.0, 2.0])),
         [2.0, 0.0, 1.0], onp.float32)
    g = grad_of(lambda x: np.take(x, np.array([1, 1]), axis=1, mode="wrap"),
                np.array([[3.0, 1.0], [2.0, 5.0]]))
    same(g, [[0.0, 2.0], [0.0, 2.0]], onp.float32)


# ---- take_along_axis -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_take_along_axis_matches_numpy(dtype):
    raw = data(dtype, (3, 4))
    for axis in (0, 1, -1):
        idx = onp.argsort(raw, axis=axis, kind="stable")
        same(np.take_along_axis(np.array(raw), np.array(idx), axis),
             onp.take_along_axis(raw, idx, axis))
    idx = onp.array([[1], [0], [3]])  # broadcast along the other axis
    same(np.take_along_axis(np.array(raw), np.array(idx), 1), onp.take_along_axis(raw, idx, 1))
    same(np.take_along_axis(np.array(raw), np.array(onp.array([5, -1])), None),
         onp.take_along_axis(raw, onp.array(onp.array([5, -1])), None))


def test_take_along_axis_example_grad_and_errors():
    a = np.array([[10, 30, 20], [60, 40, 50]], dtype="int64")  # NumPy's example
    same(np.take_along_axis(a, np.argsort(a, axis=1), axis=1), [[10, 20, 30], [40, 50, 60]])
    # MXNet 1.9.1 cannot record take_along_axis (a NumPy fallback); here it has a gradient
    g = grad_of(lambda x: np.take_along_axis(x, np.array([[1, 1], [0, 1]], dtype="int64"), 1),
                np.array([[3.0, 1.0], [2.0, 4.0]]))
    same(g, [[0.0, 2.0], [1.0, 1.0]], onp.float32)
    x = np.array([[3.0, 1.0], [2.0, 4.0]])
    with pytest.raises(IndexError, match="take_along_axis: `indices` must be an integer"):
        np.take_along_axis(x, np.array([[1.0], [0.0]]), 1)  # MXNet: the same IndexError
    with pytest.raises(OpError, match="take_along_axis"):
        np.take_along_axis(x, np.array([1, 0], dtype="int64"), 1)
    with pytest.raises(OpError, match="take_along_axis: axis 2"):
        np.take_along_axis(x, np.array([[1], [0]], dtype="int64"), 2)


# ---- choose, compress, extract, select, piecewise ---------------------------------------------
CHOICES = onp.array([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]])


def test_choose_matches_numpy_examples():
    choices = [np.array(c) for c in CHOICES]
    same(np.choose(np.array(onp.array([2, 3, 1, 0])), choices), [20, 31, 12, 3])
    same(np.choose(np.array(onp.array([2, 4, 1, 0])), choices, mode="clip"), [20, 31, 12, 3])
    same(np.choose(np.array(onp.array([2, 4, 1, 0])), choices, mode="wrap"), [20, 1, 12, 3])
    same(np.choose(np.array(onp.array([2, 4, 1, 0])), np.array(CHOICES), mode="wrap"),
         [20, 1, 12, 3])
    a = onp.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    same(np.choose(np.array(a), [np.array(-10, dtype="int64"), np.array(10, dtype="int64")]),
         onp.choose(a, [-10, 10]))
    same(np.choose(np.array(a), [-10, 10]), onp.choose(a, [-10, 10]).astype("float32"))
    c1, c2 = onp.array([1, 2, 3]).reshape(3, 1), onp.array([-1, -2, -3, -4, -5]).reshape(1, 5)
    pick = onp.array([[0], [1], [0]])
    same(np.choose(np.array(pick), [np.array(c1), np.array(c2)]), onp.choose(pick, [c1, c2]))
    # MXNet 1.9.1
    got = np.choose(np.array([0, 1, 0], dtype="int64"),
                    [np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])])
    same(got, [1.0, 5.0, 3.0], onp.float32)


def test_choose_bad_input_and_grad():
    choices = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    with pytest.raises(IndexError, match="choose: index 2"):
        np.choose(np.array([0, 2], dtype="int64"), choices)
    with pytest.raises(IndexError, match="choose: index -1"):  # NumPy refuses negatives too
        np.choose(np.array([0, -1], dtype="int64"), choices)
    with pytest.raises(TypeError, match="choose: the index array must be of integer"):
        np.choose(np.array([0.0, 1.0]), choices)
    with pytest.raises(OpError, match="choose"):
        np.choose(np.array([0, 1, 1], dtype="int64"), choices)
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = np.choose(np.array([1, 1], dtype="int64"), [x, x * 3.0])
    y.backward()
    same(x.grad, [3.0, 3.0], onp.float32)


def test_compress_and_extract_match_numpy_examples():
    raw = onp.array([[1, 2], [3, 4], [5, 6]], dtype="int32")
    a = np.array(raw)
    for cond, axis in [([0, 1], 0), ([False, True, True], 0), ([False, True], 1),
                       ([False, True], None), ([True, False, True, True], None)]:
        same(np.compress(np.array(onp.array(cond)), a, axis=axis),
             onp.compress(cond, raw, axis=axis))
    same(np.compress(np.array([1.0, 0.0, 1.0]), np.array([3.0, 1.0, 2.0])), [3.0, 2.0],
         onp.float32)  # MXNet 1.9.1
    with pytest.raises(OpError, match="compress: condition must be a 1-D"):
        np.compress(np.ones((2, 2)), a)
    with pytest.raises(IndexError, match="take: index 3"):
        np.compress(np.array([0.0, 0.0, 0.0, 1.0]), a, axis=0)
    arr = onp.arange(12).reshape(3, 4)
    same(np.extract(np.array(arr % 3 == 0), np.array(arr)), [0, 3, 6, 9])
    same(np.extract(np.array(arr % 3), np.array(arr)), onp.extract(arr % 3, arr))
    g = grad_of(lambda x: np.compress(np.array([True, False]), x, axis=0) * 2.0,
                np.array([[3.0, 1.0], [2.0, 4.0]]))  # MXNet cannot record compress
    same(g, [[2.0, 2.0], [0.0, 0.0]], onp.float32)


def test_select_matches_numpy():
    raw = onp.arange(6.0)
    x = np.array(raw, dtype="float64")
    same(np.select([x < 3, x > 3], [x, x ** 2], 42), [0, 1, 2, 42, 16, 25], onp.float64)
    same(np.select([x < 3, x < 5], [x, -x]), onp.select([raw < 3, raw < 5], [raw, -raw]))
    x = np.array([-1.0, 0.5, 2.0])  # MXNet 1.9.1
    same(np.select([x < 0, x > 1], [x, x * 2]), [-1.0, 0.0, 4.0], onp.float32)
    with pytest.raises(TypeError, match="select: invalid entry 0 in condlist"):
        np.select([np.array([1.0, 0.0, 1.0])], [x])  # MXNet raises the same
    with pytest.raises(OpError, match="select: list of cases"):
        np.select([x < 0], [x, x])
    with pytest.raises(OpError, match="select: select with an empty condition list"):
        np.select([], [])


def test_piecewise_matches_numpy():
    raw = onp.linspace(-2.5, 2.5, 6)
    x = np.array(raw, dtype="float64")
    same(np.piecewise(x, [x < 0, x >= 0], [-1, 1]), onp.piecewise(raw, [raw < 0, raw >= 0],
                                                                  [-1, 1]))
    same(np.piecewise(x, [x < 0, x >= 0], [lambda t: -t, lambda t: t]), onp.abs(raw))
    same(np.piecewise(x, [x < 0], [lambda t: -t, lambda t: t * 2]),
         onp.piecewise(raw, [raw < 0], [lambda t: -t, lambda t: t * 2]))
    same(np.piecewise(x, x > 1, [lambda t, k: t * k], 3.0), onp.where(raw > 1, raw * 3.0, 0))
    same(np.piecewise(np.array(0.5, dtype="float64"), np.array(0.5) > 0, [lambda t: t * 3]),
         onp.array(1.5))
    ints = onp.array([-2, 0, 3], dtype="int32")  # values are cast to x's dtype, as in NumPy
    same(np.piecewise(np.array(ints), [np.array(ints) > 0], [lambda t: t * 0.5, 7.5]),
         onp.piecewise(ints, [ints > 0], [lambda t: t * 0.5, 7.5]))
    v = np.array([-1.0, 0.0, 1.0])  # MXNet 1.9.1
    same(np.piecewise(v, [v < 0, v >= 0], [-1, 1]), [-1.0, 1.0, 1.0], onp.float32)
    with pytest.raises(OpError, match="piecewise: with 1 condition"):
        np.piecewise(v, [v < 0], [1, 2, 3])


# ---- index builders --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_argwhere_and_flatnonzero_match_numpy(dtype):
    raw = data(dtype, (3, 4)) % 3 if dtype != onp.bool_ else data(dtype, (3, 4))
    same(np.argwhere(np.array(raw)), onp.argwhere(raw), I64)
    same(np.flatnonzero(np.array(raw)), onp.flatnonzero(raw), I64)
    same(np.argwhere(np.array(raw[0, 0], dtype=dtype)), onp.argwhere(raw[0, 0]), I64)


def test_unravel_index():
    same(np.unravel_index(np.array([22, 41, 37], dtype="int64"), (7, 6))[1], [4, 5, 1])
    got = np.unravel_index(np.array([31, 41, 13], dtype="int32"), (7, 6), order="F")
    for g, w in zip(got, onp.unravel_index([31, 41, 13], (7, 6), order="F")):
        same(g, w, I64)
    # a number in: official NumPy's tuple of numpy.int64 (MXNet 1.9.1)
    assert np.unravel_index(1621, (6, 7, 8, 9)) == (3, 1, 4, 1)
    assert type(np.unravel_index(1621, (6, 7, 8, 9))[0]) is onp.int64
    assert type(np.unravel_index(5, 7)[0]) is onp.int64
    with pytest.raises(TypeError, match="unravel_index: only int indices"):
        np.unravel_index(np.array([1.0]), (7, 6))  # MXNet fails on float indices too
    with pytest.raises(OpError, match="unravel_index"):
        np.unravel_index(np.array([100], dtype="int64"), (7, 6))


def test_indices_from():
    a = np.ones((3, 3))
    for g, w in zip(np.diag_indices_from(a), onp.diag_indices_from(onp.ones((3, 3)))):
        same(g, w, I64)
    assert len(np.diag_indices_from(np.ones((2, 2, 2)))) == 3
    for k in (-1, 0, 1):
        for got, want in [(np.tril_indices_from(np.ones((3, 4)), k),
                           onp.tril_indices_from(onp.ones((3, 4)), k)),
                          (np.triu_indices_from(np.ones((4, 3)), k=k),
                           onp.triu_indices_from(onp.ones((4, 3)), k=k))]:
            assert len(got) == 2
            for g, w in zip(got, want):
                same(g, w, I64)
    with pytest.raises(OpError, match="diag_indices_from"):
        np.diag_indices_from(np.ones((2, 3)))
    with pytest.raises(OpError, match="tril_indices_from: input array must be 2-d"):
        np.tril_indices_from(np.ones(3))


def test_packbits_and_unpackbits():
    raw = onp.array([[[1, 0, 1], [0, 1, 0]], [[1, 1, 0], [0, 0, 1]]], dtype="uint8")
    same(np.packbits(np.array(raw), axis=-1), onp.packbits(raw, axis=-1))  # NumPy's example
    same(np.packbits(np.array(raw)), onp.packbits(raw))
    same(np.packbits(np.array(raw.astype(bool)), bitorder="little"),
         onp.packbits(raw.astype(bool), bitorder="little"))
    b = onp.array([[2], [7], [23]], dtype="uint8")
    same(np.unpackbits(np.array(b), axis=1), onp.unpackbits(b, axis=1))
    same(np.unpackbits(np.array(b), axis=1, count=-3), onp.unpackbits(b, axis=1, count=-3))
    same(np.unpackbits(np.array(b), bitorder="little"), onp.unpackbits(b, bitorder="little"))
    same(np.packbits(np.array([1, 0, 1], dtype="uint8")), [160], onp.uint8)  # MXNet 1.9.1
    with pytest.raises(TypeError, match="packbits: Expected an input array of integer"):
        np.packbits(np.array([1.0, 0.0]))  # MXNet raises the same
    with pytest.raises(TypeError, match="unpackbits"):
        np.unpackbits(np.array([1, 2], dtype="int32"))
