"""Elision of temporaries (primitive._elide): in ``p + e`` with ``p`` a large temporary that
only the interpreter's evaluation stack holds, the sum goes into ``p``'s memory, as NumPy does
for its own operators. Only on the compiled core (mxnp/_libm tells who called); never where
anything else can see the operand, or where C code other than Python's and mxnp's passed it."""
from __future__ import annotations

import operator
import weakref

import numpy as onp
import pytest

from mxnp import _native, autograd, np
from mxnp._ops import primitive

N = 1 << 17  # float32 elements: 512 KiB, above primitive.ELIDE_MIN
RNG = onp.random.default_rng(0)
X = RNG.uniform(-1, 1, N).astype("float32")


def _elides() -> bool:
    """Whether this process elides at all (set by the first large operation)."""
    x = np.array(X)
    _ = (x * 2.0) + 1.0
    return primitive._TEMPORARY not in (None, ())


class Made:
    """Makes temporaries and remembers their arrays (weakly: a strong reference would stop the
    elision it watches for)."""

    def __init__(self):
        self.arrays = []

    def __call__(self, value):
        self.arrays.append(weakref.ref(value._data))
        return value

    def written(self, result) -> bool:
        return self.arrays[-1]() is result._data


def test_an_unnamed_temporary_takes_the_result_where_the_core_is_compiled():
    x, e = np.array(X), np.exp(-np.array(X))
    made = Made()
    y = made(np.sin(x) * x) + e
    want = onp.sin(X) * X + onp.exp(-X)
    onp.testing.assert_array_equal(y.asnumpy(), want)
    assert made.written(y) == _elides()
    if _native.libm() is None:  # the pure-Python path never elides
        assert not made.written(y)


def _apply(op, made, x, y):
    """``made(x * 1.0) <op> y`` written out: the elision looks for an operator the interpreter
    evaluates (through ``operator.add`` and the like it may or may not happen)."""
    if op == "+":
        return made(x * 1.0) + y
    if op == "-":
        return made(x * 1.0) - y
    if op == "*":
        return made(x * 1.0) * y
    return made(x * 1.0) / y


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
@pytest.mark.parametrize("other", ["array", "number"])
def test_each_arithmetic_op_gives_the_values_of_a_fresh_array(op, other):
    x = np.array(X)
    y = np.array(RNG.uniform(0.5, 2, N).astype("float32")) if other == "array" else 1.5
    made = Made()
    got = _apply(op, made, x, y)
    plain = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[op]
    want = plain(X * onp.float32(1.0), y.asnumpy() if other == "array" else y)
    assert got.dtype == onp.float32
    onp.testing.assert_array_equal(got.asnumpy(), want)
    assert made.written(got) == _elides()


def test_a_named_operand_is_never_written():
    x = np.array(X)
    p = np.sin(x) * x
    kept = p.asnumpy().copy()
    q = p + 1.0
    onp.testing.assert_array_equal(p.asnumpy(), kept)
    assert q._data is not p._data


def test_an_element_of_an_object_array_is_never_written():
    # NumPy's object loop passes the element with no reference of its own: its count looks
    # like a temporary's, but the array still holds it
    x = np.array(X)
    holder = onp.empty(1, dtype=object)
    holder[0] = np.sin(x) * x
    kept = holder[0].asnumpy().copy()
    out = holder + 1.0
    onp.testing.assert_array_equal(holder[0].asnumpy(), kept)
    onp.testing.assert_array_equal(out[0].asnumpy(), kept + onp.float32(1.0))


def test_operands_held_by_lists_and_maps_are_never_written():
    xs = [np.array(X) * float(k) for k in range(1, 4)]
    kept = [a.asnumpy().copy() for a in xs]
    total = sum(xs)  # builtins.sum owns its running total, not the list's items
    pairs = list(map(operator.add, xs, xs))
    for a, k in zip(xs, kept):
        onp.testing.assert_array_equal(a.asnumpy(), k)
    onp.testing.assert_allclose(total.asnumpy(), kept[0] + kept[1] + kept[2], rtol=1e-6)
    onp.testing.assert_array_equal(pairs[2].asnumpy(), kept[2] + kept[2])


def test_views_small_arrays_and_widening_are_not_elided():
    x = np.array(X)
    made = Made()
    small = made(np.array(X[:100]) * 2.0) + 1.0
    assert not made.written(small)
    wide = made(x * 2.0) + np.array(X.astype("float64"))  # float32 + float64 gives float64
    assert wide.dtype == onp.float64 and not made.written(wide)
    grown = made(x * 2.0) + np.ones((2, N), dtype="float32")  # the result is larger
    assert grown.shape == (2, N) and not made.written(grown)
    view = (x * 2.0)[::2] + 1.0  # a view's memory belongs to its base
    onp.testing.assert_array_equal(view.asnumpy(), X[::2] * 2 + 1)


def _grad(elide: bool, monkeypatch):
    monkeypatch.setattr(primitive, "ELIDE_MIN", primitive.ELIDE_MIN if elide else 1 << 62)
    x = np.array(X)
    x.attach_grad()
    made = Made()
    with autograd.record():
        y = made(np.sin(x) * x) + np.exp(-x)
        written = made.written(y)
        z = (y * 3.0 - x).sum()
    z.backward()
    return x.grad.asnumpy(), written


def test_recorded_sums_elide_and_gradients_do_not_change(monkeypatch):
    elided, written = _grad(True, monkeypatch)
    assert written == _elides()
    plain, written = _grad(False, monkeypatch)
    assert not written
    onp.testing.assert_array_equal(elided, plain)
    want = 3 * (onp.cos(X) * X + onp.sin(X) - onp.exp(-X)) - 1
    onp.testing.assert_allclose(elided, want, rtol=1e-5, atol=1e-5)


def test_a_recorded_product_keeps_its_first_input():
    x = np.array(X)
    x.attach_grad()
    made = Made()
    with autograd.record():
        y = made(np.sin(x) * 1.0) * x  # multiply's rules read the first input
    assert not made.written(y)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), onp.sin(X) + X * onp.cos(X), rtol=1e-5,
                                atol=1e-6)
