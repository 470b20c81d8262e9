"""The manipulation family against NumPy (values, shape, dtype) across dtypes, MXNet's rules
where they differ, new memory, bad input, and exact adjoints of the linear ops."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp.base import OpError
from mxnp.testing import assert_allclose
from tests import helpers

DTYPES = [onp.dtype(t) for t in ("float32", "float64", "int32", "int64", "bool")]


def data(dtype, shape, seed=0):
    rng = onp.random.default_rng(seed)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    return (rng.integers(-5, 6, shape) + (0.5 if dtype.kind == "f" else 0)).astype(dtype)


def same(got, want):
    """``got`` (mxnp, or a list/tuple of them) equals NumPy's ``want``: values, shape, dtype."""
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple))
    helpers.same(got, want, equal_nan=False)


# (id, input shape, f(ns, x)): each runs on NumPy and on mxnp, on every dtype
CASES = [
    ("flip", (2, 3, 4), lambda m, x: m.flip(x)),
    ("flip-axis", (2, 3, 4), lambda m, x: m.flip(x, axis=(0, -1))),
    ("fliplr", (2, 3), lambda m, x: m.fliplr(x)),
    ("flipud", (3,), lambda m, x: m.flipud(x)),
    ("roll", (2, 3), lambda m, x: m.roll(x, 2)),
    ("roll-axis", (2, 3), lambda m, x: m.roll(x, -4, axis=1)),
    ("roll-axes", (2, 3, 4), lambda m, x: m.roll(x, (1, -2), axis=(2, 0))),
    ("roll-broadcast", (2, 3), lambda m, x: m.roll(x, (1, 2), axis=0)),
    ("rot90", (2, 3), lambda m, x: m.rot90(x)),
    ("rot90-k", (2, 3, 4), lambda m, x: m.rot90(x, -1, axes=(2, 0))),
    ("rot90-k0", (2, 3), lambda m, x: m.rot90(x, 4)),
    ("tile", (2, 3), lambda m, x: m.tile(x, (2, 1, 2))),
    ("tile-0", (2, 3), lambda m, x: m.tile(x, 0)),
    ("tile-1d-reps", (2, 3), lambda m, x: m.tile(x, 2)),
    ("repeat", (2, 3), lambda m, x: m.repeat(x, 2)),
    ("repeat-axis", (2, 3), lambda m, x: m.repeat(x, 3, axis=0)),
    ("repeat-counts", (2, 3), lambda m, x: m.repeat(x, [1, 0, 2], axis=1)),
    ("repeat-0d", (), lambda m, x: m.repeat(x, 3)),
    ("resize", (2, 3), lambda m, x: m.resize(x, (4, 5))),
    ("resize-shrink", (2, 3), lambda m, x: m.resize(x, 4)),
    ("resize-empty", (2, 3), lambda m, x: m.resize(x, (2, 0))),
    ("moveaxis", (2, 3, 4), lambda m, x: m.moveaxis(x, [0, 1], [-1, -2])),
    ("rollaxis", (2, 3, 4), lambda m, x: m.rollaxis(x, 2)),
    ("rollaxis-start", (2, 3, 4), lambda m, x: m.rollaxis(x, 0, 3)),
    ("ravel", (2, 3), lambda m, x: m.ravel(x)),
    ("copy", (2, 3), lambda m, x: m.copy(x)),
    ("atleast_1d", (), lambda m, x: m.atleast_1d(x)),
    ("atleast_2d", (3,), lambda m, x: m.atleast_2d(x)),
    ("atleast_3d", (3,), lambda m, x: m.atleast_3d(x)),
    ("atleast_3d-2d", (2, 3), lambda m, x: m.atleast_3d(x)),
    ("atleast_3d-4d", (1, 2, 3, 1), lambda m, x: m.atleast_3d(x)),
    ("broadcast_arrays", (3,), lambda m, x: list(m.broadcast_arrays(x, x.reshape(3, 1)))),
    ("diag", (3,), lambda m, x: m.diag(x, -1)),
    ("diag-2d", (3, 4), lambda m, x: m.diag(x, 1)),
    ("diag-far", (3, 4), lambda m, x: m.diag(x, -5)),
    ("diagflat", (2, 2), lambda m, x: m.diagflat(x, 1)),
    ("diagonal", (2, 3, 4), lambda m, x: m.diagonal(x, 1, 2, 0)),
    ("diagonal-neg", (2, 3, 4), lambda m, x: m.diagonal(x, -1, -1, 1)),
    ("tril", (3, 4), lambda m, x: m.tril(x)),
    ("tril-1d", (3,), lambda m, x: m.tril(x, 1)),
    ("triu", (2, 3, 4), lambda m, x: m.triu(x, -1)),
    ("hstack", (2, 3), lambda m, x: m.hstack((x, x[:, :1]))),
    ("vstack", (3,), lambda m, x: m.vstack([x, x])),
    ("dstack", (2, 3), lambda m, x: m.dstack([x, x])),
    ("column_stack", (3,), lambda m, x: m.column_stack([x, x.reshape(3, 1)])),
    ("array_split", (7,), lambda m, x: m.array_split(x, 3)),
    ("array_split-indices", (2, 7), lambda m, x: m.array_split(x, [2, 5], axis=1)),
    ("hsplit", (6,), lambda m, x: m.hsplit(x, 3)),
    ("vsplit", (4, 3), lambda m, x: m.vsplit(x, [1, 3])),
    ("dsplit", (2, 2, 4), lambda m, x: m.dsplit(x, 2)),
    ("insert", (4,), lambda m, x: m.insert(x, 1, 9)),
    ("insert-neg", (4,), lambda m, x: m.insert(x, -1, 1)),
    ("insert-positions", (4,), lambda m, x: m.insert(x, [3, 1, 1], x[:3])),
    ("insert-slice", (4,), lambda m, x: m.insert(x, slice(0, 4, 2), x[:2])),
    ("insert-row", (2, 3), lambda m, x: m.insert(x, 1, x[0], axis=0)),
    ("insert-scalar-column", (2, 3), lambda m, x: m.insert(x, 1, x[:, 0], axis=1)),
    ("insert-list-column", (2, 3), lambda m, x: m.insert(x, [1], x[:, :1], axis=1)),
    ("insert-mask", (3,), lambda m, x: m.insert(x, m.array(onp.array([True, False, True])), 0)),
    ("delete", (4,), lambda m, x: m.delete(x, 1)),
    ("delete-many", (4,), lambda m, x: m.delete(x, [1, 1, -1])),
    ("delete-slice", (2, 5), lambda m, x: m.delete(x, slice(None, None, -2), axis=1)),
    ("delete-mask", (4,), lambda m, x: m.delete(x, m.array(onp.array([True, False, True, False])))),
    ("delete-flat", (2, 3), lambda m, x: m.delete(x, [0, 5])),
    ("append", (2, 3), lambda m, x: m.append(x, x)),
    ("append-axis", (2, 3), lambda m, x: m.append(x, x[:1], axis=0)),
    ("pad", (2, 3), lambda m, x: m.pad(x, ((1, 2), (0, 1)))),
    ("pad-int", (2, 3), lambda m, x: m.pad(x, 2)),
    ("pad-pair", (2, 3), lambda m, x: m.pad(x, (1, 2))),
    ("pad-value", (2, 3), lambda m, x: m.pad(x, 1, constant_values=1)),
    ("pad-values", (2, 3), lambda m, x: m.pad(x, 1, constant_values=((1, 0), (0, 1)))),
    ("pad-edge", (2, 3), lambda m, x: m.pad(x, ((1, 2), (3, 0)), mode="edge")),
    ("pad-reflect", (2, 3), lambda m, x: m.pad(x, ((4, 1), (5, 7)), mode="reflect")),
    ("pad-reflect-1", (1, 3), lambda m, x: m.pad(x, ((2, 2), (0, 0)), mode="reflect")),
    ("pad-symmetric", (2, 3), lambda m, x: m.pad(x, ((3, 0), (7, 4)), mode="symmetric")),
    ("pad-zero", (2, 3), lambda m, x: m.pad(x, 0)),
    ("pad-0d", (), lambda m, x: m.pad(x, 1)),
    ("pad-empty-axis", (2, 0), lambda m, x: m.pad(x, 1)),
]
STATS = [
    ("pad-maximum", (2, 3), lambda m, x: m.pad(x, ((1, 2), (2, 1)), mode="maximum")),
    ("pad-minimum", (3,), lambda m, x: m.pad(x, (3, 1), mode="minimum")),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", CASES + STATS, ids=lambda c: c[0])
def test_forward_matches_numpy(case, dtype):
    _, shape, f = case
    raw = data(dtype, shape)
    same(f(np, np.array(raw)), f(onp, raw))


def test_numpy_documented_examples():
    a = np.array([[1, 2], [3, 4], [5, 6]], dtype="int64")
    same(np.insert(a, 1, 5), onp.array([1, 5, 2, 3, 4, 5, 6]))
    same(np.insert(a, 1, 5, axis=1), onp.array([[1, 5, 2], [3, 5, 4], [5, 5, 6]]))
    same(np.insert(a, [1], [[1], [2], [3]], axis=1), onp.array([[1, 1, 2], [3, 2, 4], [5, 3, 6]]))
    same(np.delete(np.arange(1, 13, dtype="int64").reshape(3, 4), 1, 0),
         onp.array([[1, 2, 3, 4], [9, 10, 11, 12]]))
    same(np.pad(np.array([1, 2, 3, 4, 5], dtype="int64"), (2, 3), "constant",
                constant_values=(4, 6)), onp.array([4, 4, 1, 2, 3, 4, 5, 6, 6, 6]))
    same(np.pad(np.array([1., 2., 3., 4., 5.], dtype="float64"), (2, 3), "reflect"),
         onp.array([3., 2., 1., 2., 3., 4., 5., 4., 3., 2.]))
    same(np.pad(np.array([1., 2., 3., 4., 5.], dtype="float64"), (2, 3), "symmetric"),
         onp.array([2., 1., 1., 2., 3., 4., 5., 5., 4., 3.]))
    same(np.trim_zeros(np.array([0., 0., 0., 1., 2., 3., 0., 2., 1., 0.], dtype="float64")),
         onp.array([1., 2., 3., 0., 2., 1.]))
    same(np.trim_zeros(np.array([0., 0., 1., 2., 0.], dtype="float64"), "b"),
         onp.array([0., 0., 1., 2.]))
    same(np.rot90(np.array([[1, 2], [3, 4]], dtype="int64")), onp.array([[2, 4], [1, 3]]))


def test_grids_match_numpy():
    x, y = onp.arange(3.0), onp.array([1.5, 2.5])
    same(np.meshgrid(np.array(x), np.array(y)), list(onp.meshgrid(x, y)))
    same(np.meshgrid(np.array(x), np.array(y), indexing="ij", sparse=True),
         list(onp.meshgrid(x, y, indexing="ij", sparse=True)))
    same(np.meshgrid(np.array(x)), list(onp.meshgrid(x)))
    assert np.meshgrid() == []
    same(np.ix_(np.array(onp.array([0, 1])), np.array(onp.array([True, False, True]))),
         onp.ix_(onp.array([0, 1]), onp.array([True, False, True])))
    # lists only: ix_ is one of MXNet's NumPy fallbacks, so official NumPy answers (MXNet 1.9.1)
    got = np.ix_([0, 1], [])
    assert all(type(g) is onp.ndarray for g in got)
    for g, w in zip(got, onp.ix_([0, 1], [])):
        onp.testing.assert_array_equal(g, w, strict=True)
    same(np.indices((2, 3), dtype="int64"), onp.indices((2, 3)))
    same(np.indices((2, 3), dtype="int64", sparse=True), onp.indices((2, 3), sparse=True))
    same(np.logspace(0, 2, 4, dtype="float64"), onp.logspace(0, 2, 4))
    same(np.logspace(0, 2, 3, base=2.0, endpoint=False, dtype="float64"),
         onp.logspace(0, 2, 3, base=2.0, endpoint=False))


def test_mxnet_dtype_rules():
    # MXNet 1.9.1: indices are int32 and logspace float32 by default; meshgrid keeps each dtype
    assert np.indices((2, 3)).dtype == onp.int32 and np.indices(()).shape == (0,)
    same(np.logspace(0, 2, 3), onp.array([1.0, 10.0, 100.0], dtype="float32"))
    same(np.logspace(0, 2, 3, dtype="int32"), onp.array([1, 10, 100], dtype="int32"))
    grids = np.meshgrid(np.arange(3), np.arange(2, dtype="int32"))
    assert [g.dtype for g in grids] == [onp.float32, onp.int32]
    # joining promotes as concatenate does: int32 with float32 is float32 (NumPy: float64)
    assert np.hstack([np.arange(2), np.arange(2, dtype="int32")]).dtype == onp.float32
    # values inserted take the array's dtype (truncated), as in MXNet and NumPy
    same(np.insert(np.arange(4, dtype="int32"), 1, 9.5), onp.array([0, 9, 1, 2, 3], "int32"))
    assert np.pad(np.arange(3, dtype="int32"), (1, 1)).dtype == onp.int32


def test_mxnet_bugs_not_copied():
    # MXNet 1.9.1 gives float32 here, pads with 0 whatever constant it is given, deletes
    # positions 0 and 1 for this mask, and raises for a list of repeats
    assert np.tile(np.array(onp.array([True])), 2).dtype == onp.bool_
    same(np.pad(np.arange(3.0), (1, 1), constant_values=5.0),
         onp.array([5., 0., 1., 2., 5.], "float32"))
    mask = np.array(onp.array([True, False, True, False]))
    same(np.delete(np.arange(4.0), mask), onp.array([1., 3.], "float32"))
    same(np.repeat(np.arange(3.0), [1, 2, 0]), onp.array([0., 1., 1.], "float32"))


def test_questions_about_arrays():
    x = np.ones((2, 3))
    assert (np.shape(x), np.size(x), np.size(x, 1), np.ndim(x)) == ((2, 3), 6, 3, 2)
    assert type(np.size(x)) is int and np.shape(3.0) == () and np.ndim([1, 2]) == 1
    assert np.shares_memory(x, x[1]) and np.may_share_memory(x, x[0])
    assert not np.shares_memory(x, x.copy()) and not np.may_share_memory(x, x[:, 1])


NEW_MEMORY = [
    lambda x: np.flip(x, 0), lambda x: np.roll(x, 0), lambda x: np.rot90(x, 0),
    lambda x: np.tile(x, 1), lambda x: np.repeat(x, 1, axis=0), lambda x: np.resize(x, (1, 3)),
    lambda x: np.moveaxis(x, 0, 0), lambda x: np.rollaxis(x, 0), lambda x: np.ravel(x),
    lambda x: np.copy(x), lambda x: np.atleast_2d(x), lambda x: np.atleast_1d(x),
    lambda x: np.pad(x, 0), lambda x: np.diagonal(x), lambda x: np.tril(x, 5),
    lambda x: np.hstack([x]), lambda x: np.array_split(x, 1)[0], lambda x: np.delete(x, []),
    lambda x: np.insert(x, 0, 1.0, axis=0)[1:], lambda x: np.append(x, x[:0], axis=0),
    lambda x: np.meshgrid(x.reshape(-1))[0],
]


@pytest.mark.parametrize("f", NEW_MEMORY)
def test_results_are_new_memory(f):  # as in MXNet, even where NumPy returns a view
    x = np.ones((1, 3))
    assert not np.shares_memory(f(x), x)


def test_trim_zeros_is_a_view_as_mxnet_slicing():
    x = np.array([0.0, 1.0, 0.0])
    assert np.shares_memory(np.trim_zeros(x), x)


X = np.arange(6.0).reshape(2, 3)
BAD = [
    (lambda: np.pad(X, 1, mode="wrap"), OpError, "pad: mode 'wrap'"),
    (lambda: np.pad(X, -1), OpError, "pad: pad widths must be non-negative"),
    (lambda: np.pad(X, 1.5), TypeError, "pad: `pad_width` must be of integral type"),
    (lambda: np.pad(X, ((1, 2, 3),)), OpError, "pad: cannot broadcast"),
    (lambda: np.pad(X, 1, mode="reflect", reflect_type="odd"), OpError, "pad: reflect_type"),
    (lambda: np.pad(X, 1, mode="edge", constant_values=1), OpError, "pad: unsupported keyword"),
    (lambda: np.pad(np.ones((0, 2)), 1, mode="edge"), OpError, "pad: can't extend empty axis"),
    (lambda: np.pad([1, 2], 1), TypeError, "pad: expected an mxnp ndarray"),
    (lambda: np.flip(X, 2), OpError, "flip"),
    (lambda: np.fliplr(np.ones(3)), OpError, "fliplr: input must be >= 2-d"),
    (lambda: np.flipud(np.ones(())), OpError, "flipud"),
    (lambda: np.roll(X, 1.5), TypeError, "roll: shift must be an int"),
    (lambda: np.roll(X, (1, 2), axis=(0, 1, 0)), OpError, "roll"),
    (lambda: np.rot90(X, 1, (0, 0)), OpError, "rot90: axes must be different"),
    (lambda: np.rot90(np.ones(3)), OpError, "rot90: array must be at least 2-d"),
    (lambda: np.rot90(X, 1, (0, 1, 2)), OpError, "rot90: len"),
    (lambda: np.tile(X, -1), OpError, "tile: reps must be non-negative"),
    (lambda: np.repeat(X, -1), OpError, "repeat: repeats cannot be negative"),
    (lambda: np.repeat(X, [1, 2], axis=1), OpError, "repeat: repeats of shape"),
    (lambda: np.repeat(X, 1.5), TypeError, "repeat: repeats must be integers"),
    (lambda: np.repeat(X, 2, axis=2), OpError, "repeat: axis 2 is out of bounds"),
    (lambda: np.resize(X, (-1, 2)), OpError, "resize: all elements"),
    (lambda: np.moveaxis(X, (0, 1), 0), OpError, "moveaxis: `source` and `destination`"),
    (lambda: np.moveaxis(X, (0, 0), (0, 1)), OpError, "moveaxis: repeated axis in `source`"),
    (lambda: np.moveaxis(X, 3, 0), OpError, "moveaxis: axis 3 is out of bounds"),
    (lambda: np.rollaxis(X, 0, 4), OpError, "rollaxis: start 4"),
    (lambda: np.ravel(X, order="F"), NotImplementedError, "ravel"),
    (lambda: np.atleast_2d(1.0), TypeError, "atleast_2d"),
    (lambda: np.broadcast_arrays(X, np.ones(2)), OpError, "broadcast_arrays"),
    (lambda: np.diag(np.ones((2, 2, 2))), OpError, "diag: input must be 1- or 2-d"),
    (lambda: np.diagonal(np.ones(3)), OpError, "diagonal: array must be at least 2-d"),
    (lambda: np.diagonal(X, 0, 1, -1), OpError, "diagonal: axis1 and axis2"),
    (lambda: np.tril(np.array(2.0)), OpError, "tril: input must be at least 1-d"),
    (lambda: np.triu(np.array(2.0)), OpError, "triu"),
    (lambda: np.hstack([X, np.ones((3, 1))]), OpError, "hstack: "),
    (lambda: np.vstack([]), TypeError, "vstack: expected a non-empty list"),  # an array is its rows
    (lambda: np.column_stack([np.ones(3), X]), OpError, "column_stack: "),
    (lambda: np.array_split(X, 0), OpError, "array_split: number sections"),
    (lambda: np.hsplit(np.ones(5), 2), OpError, "hsplit: "),
    (lambda: np.vsplit(np.ones(4), 2), OpError, "vsplit only works on arrays of 2"),
    (lambda: np.dsplit(X, 2), OpError, "dsplit only works on arrays of 3"),
    (lambda: np.insert(X, 7, 1.0), IndexError, "insert: index 7 is out of bounds"),
    (lambda: np.insert(X, [0, 9], 1.0), IndexError, "insert: index"),
    (lambda: np.insert(X, 0, np.ones(4), axis=1), OpError, "insert: "),
    (lambda: np.insert(X, [[0]], 1.0), OpError, "insert: index array must be one dimensional"),
    (lambda: np.insert(X, 1.5, 1.0), TypeError, "insert: positions must be integers"),
    (lambda: np.delete(X, 6), IndexError, "delete: index"),
    (lambda: np.delete(X, np.array(onp.array([True, False]))), OpError, "delete: boolean mask"),
    (lambda: np.append(X, np.ones(2), axis=0), OpError, "append: "),
    (lambda: np.meshgrid(np.ones(2), indexing="yx"), OpError, "meshgrid: valid values"),
    (lambda: np.meshgrid([1, 2]), TypeError, "meshgrid"),
    (lambda: np.ix_(X), OpError, "ix_: cross index must be 1 dimensional"),
    (lambda: np.logspace(0, 1, -1), OpError, "logspace: number of samples"),
    (lambda: np.trim_zeros(X), OpError, "trim_zeros: expected a 1-D array"),
    (lambda: np.trim_zeros(np.ones(2), "x"), OpError, "trim_zeros: unexpected trim"),
    (lambda: np.shares_memory(X, 3), TypeError, "shares_memory: arguments must be"),
]


@pytest.mark.parametrize("call, error, message", BAD, ids=lambda v: getattr(v, "__name__", ""))
def test_bad_input_raises_naming_the_function(call, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace("[", r"\[")):
        call()


# ---- linear ops: <op(x), y> == <x, op^T(y)> exactly, no finite differences ------------------
LINEAR = [
    ((2, 3, 4), lambda x: np.flip(x, (0, 2))), ((2, 3, 4), lambda x: np.roll(x, (1, -5), (2, 1))),
    ((2, 3, 4), lambda x: np.rot90(x, 3, (2, 0))), ((2, 3), lambda x: np.tile(x, (2, 1, 3))),
    ((2, 3), lambda x: np.repeat(x, 3, axis=0)), ((2, 3), lambda x: np.repeat(x, [0, 3, 1], 1)),
    ((2, 3), lambda x: np.resize(x, (4, 5))), ((2, 3, 4), lambda x: np.moveaxis(x, 0, 2)),
    ((2, 3, 4), lambda x: np.rollaxis(x, 2)), ((2, 3), lambda x: np.ravel(x)),
    ((3,), lambda x: np.atleast_3d(x)),
    ((3,), lambda x: np.broadcast_arrays(x, x[:1].reshape(1, 1) * np.ones((2, 1)))),
    ((3,), lambda x: np.meshgrid(x, x[:2], indexing="ij")),
    ((3, 4), lambda x: np.diagonal(x, -1)), ((2, 3, 4), lambda x: np.diagonal(x, 1, 2, 1)),
    ((3,), lambda x: np.diag(x, 2)), ((2, 2), lambda x: np.diagflat(x, -1)),
    ((3, 4), lambda x: np.tril(x, 1)), ((3,), lambda x: np.triu(x)),
    ((2, 3), lambda x: np.hstack([x, x])), ((3,), lambda x: np.vstack([x, x])),
    ((2, 3), lambda x: np.dstack([x, x])), ((3,), lambda x: np.column_stack([x, x])),
    ((7,), lambda x: np.array_split(x, 3)), ((2, 4), lambda x: np.hsplit(x, [1, 3])),
    ((4, 2), lambda x: np.vsplit(x, 2)), ((2, 2, 2), lambda x: np.dsplit(x, 2)),
    ((2, 3), lambda x: np.insert(x, [0, 2, 2], x[0], axis=1)),
    ((2, 3), lambda x: np.delete(x, [0, 2], axis=1)), ((2, 3), lambda x: np.append(x, x)),
    ((2, 3), lambda x: np.pad(x, ((1, 2), (3, 0)))),
    ((2, 3), lambda x: np.pad(x, ((1, 2), (3, 4)), mode="edge")),
    ((2, 3), lambda x: np.pad(x, ((3, 2), (5, 4)), mode="reflect")),
    ((2, 3), lambda x: np.pad(x, ((3, 2), (5, 4)), mode="symmetric")),
]


@pytest.mark.parametrize("shape, f", LINEAR)
def test_linear_op_is_exactly_adjoint_to_its_gradient(shape, f):
    rng = onp.random.default_rng(1)
    x = np.array(rng.integers(-4, 5, shape).astype("float64"))
    x.attach_grad()
    with autograd.record():
        outs = f(x)
        outs = outs if isinstance(outs, list) else [outs]
    ys = [rng.integers(-4, 5, o.shape).astype("float64") for o in outs]
    autograd.backward(outs, [np.array(y) for y in ys])
    lhs = sum(float((o.asnumpy() * y).sum()) for o, y in zip(outs, ys))
    assert lhs == float((x.asnumpy() * x.grad.asnumpy()).sum())  # integers: exact


def test_gradients_mxnet_documents():
    # mxnet-semantics.md 4.5: repeat and tile send back the sum over the copies
    x = np.array([1.0, 2.0, 3.0])
    for f in (lambda x: np.repeat(x, 2), lambda x: np.tile(x, 2)):
        x.attach_grad()
        with autograd.record():
            y = f(x)
        y.backward()
        assert_allclose(x.grad, [2.0, 2.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = np.pad(np.array([1.0, 2.0, 3.0, 4.0]) * x.reshape(3, 1)[0], (2, 3))
    y.backward(np.arange(9.0))
    assert_allclose(x.grad, [1.0 * 2 + 2 * 3 + 3 * 4 + 4 * 5, 0.0, 0.0])


def test_insert_values_get_their_gradient():
    x, v = np.zeros(3), np.array([1.0, 2.0])
    v.attach_grad()
    with autograd.record():
        y = np.insert(x, [2, 0], v) * np.array([1.0, 10.0, 100.0, 1000.0, 10000.0])
    y.backward()
    assert_allclose(v.grad, [1000.0, 1.0])  # v[0] lands at 3, v[1] at 0


@pytest.mark.parametrize("shape, message", [  # MXNet 1.9.1 (mxref), a (2, 3) array
    ((3, -2), "Check failed: param.newshape[i] == -1 (-2 vs. -1) : The shape dimension size to "
              "inferred must be -1"),
    ((-1, -1), "Check failed: !has_unknown_dim_size: Can only specify one unknown dimension"),
    ((7,), "Check failed: src.Size() == dst->Size() (6 vs. 7) : Cannot reshape array of size 6 "
           "into shape [7]"),
    ((2, -1, 5), "Check failed: src.Size() % known_dim_size_prod == 0 (6 vs. 0) : Cannot "
                 "reshape array of size 6 into shape [2,-1,5]"),
])
def test_reshape_errors_are_mxnets(shape, message):
    # the np cheat sheet's c.reshape(3, -2): MXNet's codes below -1 are npx.reshape's only
    with pytest.raises(OpError) as e:
        np.ones((2, 3)).reshape(shape)
    assert str(e.value) == "reshape: " + message  # MXNet's text after the op's name
    assert np.ones((2, 3)).reshape(3, -1).shape == (3, 2)
