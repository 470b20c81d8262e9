"""MXNet 1.9.1's sort order (mxnp/_ops/ordering.py): ``np.sort``/``argsort``, ``npx.topk`` and
``mx.nd.sort``/``argsort``/``topk`` put ties and NaN where libstdc++'s ``std::sort`` (or
``std::partial_sort``, where k * 8 <= n) leaves them, as MXNet's TopKSort does. The literal
answers below were printed by MXNet 1.9.1 (``/work/shared/tools/mxref``); the C loops
(``_libm.sort_order``) and the Python steps (the pure path) are checked against each other."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import _native, np, npx
from mxnp import ndarray as nd
from mxnp._ops import ordering

NAN = onp.nan
REPEATED = [3.0, 1.0, 2.0, 1.0] * 6
WITH_NAN = [1.0, NAN, 0.0, 2.0, NAN, -1.0]


def _list(x):
    return x.asnumpy().astype("int64").tolist()


@pytest.mark.parametrize("call, want", [
    (lambda: np.argsort(np.array([1.0] * 20)),
     [10, 19, 18, 17, 16, 15, 14, 13, 12, 11, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1]),
    (lambda: np.argsort(np.array(REPEATED)),
     [1, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 10, 6, 14, 18, 2, 22, 8, 12, 16, 4, 20, 0]),
    (lambda: np.argsort(np.array(REPEATED), kind="stable"),  # kind changes nothing in MXNet
     [1, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 10, 6, 14, 18, 2, 22, 8, 12, 16, 4, 20, 0]),
    (lambda: nd.argsort(nd.array(REPEATED)),
     [1, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 10, 6, 14, 18, 2, 22, 8, 12, 16, 4, 20, 0]),
    (lambda: npx.topk(np.array(REPEATED), k=3, ret_typ="indices"), [8, 0, 4]),
    (lambda: npx.topk(np.array(REPEATED), k=3, ret_typ="indices", is_ascend=True), [5, 1, 3]),
    (lambda: np.argsort(np.array([1, 0, 1, 0, 2, 1, 0, 2, 1, 1, 0, 0, 2, 1, 0, 1, 2, 0, 1, 1])),
     [1, 17, 14, 11, 10, 6, 3, 5, 8, 9, 13, 2, 15, 0, 18, 19, 7, 4, 12, 16]),
    (lambda: np.argsort(np.array(WITH_NAN)), [5, 2, 0, 1, 3, 4]),
    (lambda: np.argsort(np.array(WITH_NAN * 5)),
     [29, 17, 20, 22, 5, 23, 11, 14, 25, 8, 26, 24, 12, 6, 0, 27, 28, 2, 18, 21, 15, 19, 16,
      13, 10, 9, 7, 4, 3, 1]),
    (lambda: npx.topk(np.array(WITH_NAN * 5), k=4), [21, 3, 0, 18]),
])
def test_orders_are_mxnets(call, want):
    assert _list(call()) == want


def test_each_row_along_any_axis_is_ordered_alone():
    got = np.argsort(np.array([[1, 0, 1], [0, 1, 0]] * 10), axis=0)  # MXNet 1.9.1's columns
    first = [1, 19, 17, 15, 13, 11, 9, 7, 5, 3, 8, 6, 10, 12, 4, 14, 16, 2, 18, 0]
    second = [0, 2, 18, 4, 6, 16, 8, 10, 14, 12, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]
    assert got.asnumpy().T.tolist() == [first, second, first]


def test_signed_zeros_and_the_mask_follow_the_order():
    zeros = [0.0, -0.0, 1.0] * 7
    got = [str(v) for v in np.sort(np.array(zeros)).tolist()]
    assert got == ["-0.0", "-0.0", "0.0", "-0.0", "0.0", "-0.0", "0.0", "-0.0", "0.0", "-0.0",
                   "0.0", "-0.0", "0.0", "0.0"] + ["1.0"] * 7
    down = [str(v) for v in nd.sort(nd.array(zeros), is_ascend=False).asnumpy().tolist()]
    assert down == ["1.0"] * 7 + ["-0.0", "-0.0", "0.0", "-0.0", "0.0", "-0.0", "0.0", "0.0",
                                  "0.0", "-0.0", "0.0", "-0.0", "0.0", "-0.0"]
    v = [1, 0, 1, 0, 2, 1, 0, 2, 1, 1, 0, 0, 2, 1, 0, 1, 2, 0, 1, 1]
    mask = npx.topk(np.array(v, dtype="float32"), k=3, ret_typ="mask")
    assert onp.flatnonzero(mask.asnumpy()).tolist() == [4, 7, 16]
    values, indices = npx.topk(np.array(v, dtype="float32"), k=3, ret_typ="both")
    assert values.tolist() == [2.0] * 3 and indices.tolist() == [4.0, 7.0, 16.0]


def test_stable_true_keeps_ties_in_order_and_sort_keeps_its_gradient():
    assert _list(np.argsort(np.array(REPEATED), stable=True)) == \
        onp.argsort(REPEATED, kind="stable").tolist()
    x = np.array([2.0, 1.0] * 10)
    x.attach_grad()
    from mxnp import autograd
    with autograd.record():
        y = (np.sort(x) * np.arange(20.0)).sum()
    y.backward()
    order = _list(np.argsort(np.array([2.0, 1.0] * 10)))
    want = onp.empty(20)
    want[order] = onp.arange(20.0)
    assert x.grad.asnumpy().tolist() == want.tolist()


def _rows(seed, count=400):
    """Rows of ties, NaN, distinct values and extremes, of lengths about the 16-element
    threshold and beyond, with a k each."""
    rng = onp.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.choice([1, 2, 5, 16, 17, 18, 33, 64, 129]))
        kind = rng.integers(0, 5)
        if kind == 0:
            x = rng.integers(0, 3, n).astype("float32")
        elif kind == 1:
            x = rng.standard_normal(n)
        elif kind == 2:
            x = rng.integers(0, 4, n).astype("float64")
            x[rng.random(n) < 0.2] = NAN
        elif kind == 3:
            x = rng.choice(onp.array([-2 ** 63, -1, 0, 2 ** 63 - 1], "int64"), n)
        else:
            x = rng.choice(onp.array([0, 1, 2 ** 63, 2 ** 64 - 1], "uint64"), n)
        yield x, int(rng.integers(0, n + 1)), bool(rng.integers(0, 2))


def _python_steps(x, k, ascend):
    """libstdc++'s steps in Python on every row (no stable-order shortcut)."""
    values = ordering._comparable(x.reshape(1, -1))[0].tolist()
    before = ordering.comparison(values, ascend)
    order = list(range(len(values)))
    if k * 8 > len(values):
        ordering._std_sort(order, before)
    else:
        order = ordering._heap_sorted(order, k, before)
    return order[:k]


def test_the_pure_path_shortcut_equals_the_steps_on_every_row():
    for x, k, ascend in _rows(1):
        out = onp.empty((1, k), "int64")
        ordering._order_rows(ordering._comparable(x.reshape(1, -1)), out, k, ascend)
        assert out[0].tolist() == _python_steps(x, k, ascend), (x.tolist(), k, ascend)


@pytest.mark.skipif(_native.libm() is None, reason="the C loops are compiled only")
def test_the_c_loops_equal_the_python_steps():
    libm = _native.libm()
    for x, k, ascend in _rows(2):
        out = onp.empty((2, k), "int64")
        keys = onp.ascontiguousarray(ordering._comparable(onp.stack([x, x[::-1]])))
        libm.sort_order(keys, out, k, ascend)
        assert out[0].tolist() == _python_steps(x, k, ascend), (x.tolist(), k, ascend)
        assert out[1].tolist() == _python_steps(x[::-1].copy(), k, ascend)


@pytest.mark.skipif(_native.libm() is None, reason="the C loops are compiled only")
def test_sort_order_refuses_what_it_cannot_order():
    libm = _native.libm()
    keys = onp.zeros((2, 5), "float32")
    for bad_keys, out, k in [(keys, onp.empty((2, 6), "int64"), 6),  # k past the row
                             (keys, onp.empty((2, 3), "int32"), 3),  # out not int64
                             (keys, onp.empty((3, 3), "int64"), 3),  # rows differ
                             (keys.astype("float16"), onp.empty((2, 3), "int64"), 3),
                             (keys[0], onp.empty((2, 3), "int64"), 3)]:
        with pytest.raises(ValueError, match="sort_order"):
            libm.sort_order(bad_keys, out, k, True)


@pytest.mark.parametrize("dtype", ["float16", "bool", "int8", "uint8", "int32", "uint64"])
def test_every_dtype_orders_by_its_values(dtype):
    raw = (onp.arange(40) % 3).astype(dtype)
    got = np.argsort(np.array(raw)).asnumpy()
    want = _python_steps(raw.astype("float64"), 40, True)
    assert got.tolist() == want
    assert (onp.diff(raw[got].astype("float64")) >= 0).all()


def test_empty_and_one_element_axes():
    assert np.argsort(np.zeros((3, 0))).shape == (3, 0)
    assert np.argsort(np.zeros((0, 4))).shape == (0, 4)
    assert npx.topk(np.zeros((2, 1)), k=1).tolist() == [[0.0], [0.0]]
