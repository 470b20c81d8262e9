"""Property tests: adjoint identities that must hold exactly, on shapes hypothesis picks.

A linear op's VJP is its adjoint: <op(x), y> == <x, vjp(y)>. With small integers as data every
sum is exact in float64, so the two sides are compared with ==, not with a tolerance, and no
finite differences are involved.
"""
from __future__ import annotations

import numpy as onp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mxnp import autograd, np
from mxnp._ops.primitive import sum_to

# derandomized (the same examples on every run) and small, so the file runs in seconds
PROPERTY = settings(max_examples=30, derandomize=True, deadline=None, database=None)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
SEEDS = st.integers(0, 2**32 - 1)


def integers(seed: int, shape) -> onp.ndarray:
    """Small integers stored as float64: every sum of products of them is exact."""
    return onp.random.default_rng(seed).integers(-8, 9, shape).astype(onp.float64)


def inner(a, b) -> float:
    a = a.asnumpy() if isinstance(a, np.ndarray) else a
    b = b.asnumpy() if isinstance(b, np.ndarray) else b
    return float(onp.sum(a * b))


def assert_adjoint(f, raws, y_seed: int) -> None:
    """<f(x), y> == <x, vjp(y)> for a random cotangent y (one per output of a list)."""
    xs = [np.array(r) for r in raws]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = f(*xs)
    outs = outs if isinstance(outs, list) else [outs]
    ys = [integers(y_seed + k, o.shape) for k, o in enumerate(outs)]
    grads = autograd.grad(outs, xs, head_grads=[np.array(y) for y in ys])
    for x, g in zip(xs, grads):
        assert (g.shape, g.dtype) == (x.shape, x.dtype)
    assert sum(inner(o, y) for o, y in zip(outs, ys)) == sum(
        inner(r, g) for r, g in zip(raws, grads))


# ---- sum_to is the adjoint of broadcast_to ----------------------------------------------------
@PROPERTY
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, min_side=0, max_side=4),
       SEEDS)
def test_sum_to_is_the_adjoint_of_broadcast_to(shapes, seed):
    small, big = shapes.input_shapes[0], shapes.result_shape
    x, y = integers(seed, small), integers(seed + 1, big)
    g = sum_to(np.array(y), small)
    assert g.shape == small
    assert inner(onp.broadcast_to(x, big), y) == inner(x, g)
    assert inner(np.broadcast_to(np.array(x), big), y) == inner(x, g)


@PROPERTY
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, min_side=0, max_side=4),
       SEEDS)
def test_broadcast_to_vjp_is_its_adjoint(shapes, seed):
    small, big = shapes.input_shapes[0], shapes.result_shape
    assert_adjoint(lambda x: np.broadcast_to(x, big), [integers(seed, small)], seed + 1)


# ---- linear ops -------------------------------------------------------------------------------
@st.composite
def reshapes(draw):
    """A shape and another with the same size: its dims permuted, two of them maybe merged."""
    shape = draw(SHAPES)
    new = list(draw(st.permutations(shape)))
    if len(new) >= 2 and draw(st.booleans()):
        new[:2] = [new[0] * new[1]]
    return shape, tuple(new)


@PROPERTY
@given(reshapes(), SEEDS)
def test_reshape_vjp_is_its_adjoint(shapes, seed):
    shape, new = shapes
    assert_adjoint(lambda x: np.reshape(x, new), [integers(seed, shape)], seed + 1)


@st.composite
def permutations(draw):
    """A shape and a permutation of its axes, some written as negative numbers."""
    shape = draw(SHAPES)
    axes = draw(st.permutations(range(len(shape))))
    signs = draw(st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)))
    return shape, tuple(a - len(shape) if neg else a for a, neg in zip(axes, signs))


@PROPERTY
@given(permutations(), SEEDS)
def test_transpose_vjp_is_its_adjoint(case, seed):
    shape, axes = case
    assert_adjoint(lambda x: np.transpose(x, axes), [integers(seed, shape)], seed + 1)


@PROPERTY
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), st.data(), SEEDS)
def test_swapaxes_vjp_is_its_adjoint(shape, data, seed):
    axis = st.integers(-len(shape), len(shape) - 1)
    a1, a2 = data.draw(axis), data.draw(axis)
    assert_adjoint(lambda x: np.swapaxes(x, a1, a2), [integers(seed, shape)], seed + 1)


@PROPERTY
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data(), SEEDS)
def test_getitem_basic_vjp_is_its_adjoint(shape, data, seed):
    key = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    assert_adjoint(lambda x: x[key], [integers(seed, shape)], seed + 1)


@PROPERTY
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data(), SEEDS)
def test_getitem_integer_arrays_vjp_is_its_adjoint(shape, data, seed):
    # repeated indices are likely here: their cotangents must add up, not overwrite
    key = data.draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(max_dims=2)))
    assert_adjoint(lambda x: x[key], [integers(seed, shape)], seed + 1)


@PROPERTY
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), SEEDS)
def test_getitem_mask_vjp_is_its_adjoint(shape, seed):
    mask = onp.random.default_rng(seed).random(shape) < 0.5
    assert_adjoint(lambda x: x[mask], [integers(seed, shape)], seed + 1)


@st.composite
def concatenations(draw):
    """Shapes that differ only along ``axis`` (None: any shapes, flattened first)."""
    base = list(draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    axis = draw(st.none() | st.integers(-len(base), len(base) - 1))
    shapes = []
    for _ in range(draw(st.integers(1, 3))):
        shape = list(base)
        if axis is not None:
            shape[axis] = draw(st.integers(0, 3))
        else:
            shape = list(draw(SHAPES))
        shapes.append(tuple(shape))
    return shapes, axis


@PROPERTY
@given(concatenations(), SEEDS)
def test_concatenate_vjp_is_its_adjoint(case, seed):
    shapes, axis = case
    raws = [integers(seed + i, s) for i, s in enumerate(shapes)]
    assert_adjoint(lambda *xs: np.concatenate(xs, axis=axis), raws, seed + len(raws))


@PROPERTY
@given(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), st.data(), SEEDS)
def test_stack_vjp_is_its_adjoint(shape, data, seed):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    raws = [integers(seed + i, shape) for i in range(data.draw(st.integers(1, 3)))]
    assert_adjoint(lambda *xs: np.stack(xs, axis=axis), raws, seed + len(raws))


@PROPERTY
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5), st.data(), SEEDS)
def test_split_vjp_is_its_adjoint(shape, data, seed):
    # sorted cut points, possibly repeated or past the end: some pieces are empty
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    cuts = sorted(data.draw(st.lists(st.integers(0, shape[axis] + 1), max_size=3)))
    assert_adjoint(lambda x: np.split(x, cuts, axis=axis), [integers(seed, shape)], seed + 1)
