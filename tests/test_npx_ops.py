"""npx's shape, mask and gather ops: values from MXNet 1.9.1 (catalogue
sections 3.3 and 5, and mxref), NumPy/math references, and the errors."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import OpError
from mxnp.testing import assert_allclose

X = np.arange(24.).reshape(2, 3, 4)


# ---- npx.reshape: MXNet 1.9.1's shapes for (2, 3, 4) --------------------------------------
@pytest.mark.parametrize("codes, reverse, shape", [
    ((-2, -1), False, (2, 12)), ((-1, -2), False, (8, 3)), ((-2, -2, -2), False, (2, 3, 4)),
    ((-4,), False, (2, 3, 4)), ((-5, -2), False, (6, 4)), ((-2, -5), False, (2, 12)),
    ((-6, 1, 2, -2, -2), False, (1, 2, 3, 4)), ((-6, 2, -1, -4), False, (2, 1, 3, 4)),
    ((2, -6, 1, 3, 4), False, (2, 1, 3, 4)), ((-1, 12), False, (2, 12)),
    ((-6, -1, 2, -4), False, (1, 2, 3, 4)), ((-5, -4), False, (6, 4)),
    ((-4, -1), False, (2, 3, 4, 1)), ((-2, -2, -2, 1), False, (2, 3, 4, 1)),
    ((-4, -4), False, (2, 3, 4)), (24, False, (24,)), ([4, -1], False, (4, 6)),
    ((6, -1), True, (6, 4)), ((-1, 6), True, (4, 6)), ((-2, -1), True, (3, 8)),
    ((-1, -2), True, (6, 4)), ((1, -4), True, (1, 2, 3, 4)), ((-1, 3, -2), True, (2, 3, 4)),
])
def test_reshape_codes_match_mxnet(codes, reverse, shape):
    out = npx.reshape(X, codes, reverse=reverse)
    assert out.shape == shape
    assert_allclose(out, onp.arange(24.).reshape(shape))  # always C order


def test_reshape_skips_size_one_dims_and_copies():
    assert npx.reshape(np.ones((1, 3, 4)), (-3, -2, -2)).shape == (3, 4)
    assert npx.reshape(np.ones(()), (-1,)).shape == (1,)
    assert npx.reshape(np.ones((2, 0, 4)), (-1, 4)).shape == (0, 4)
    out = npx.reshape(X, (-2, -1))
    out[0, 0] = 100.0
    assert X[0, 0, 0] == 0.0  # a copy, as MXNet's


@pytest.mark.parametrize("codes, reverse, match", [
    ((-1, -1), False, "one unknown"), ((-4, -2), False, "Unmatching dimension"),
    ((-6, 1, 2, -2, -2, -2), False, "Unmatching dimension"), ((-5,), False, "Cannot reshape"),
    ((-6, 4, -1, -2), False, "do not divide"), ((-6, -1, -1, -2), False, "one unknown"),
    ((-7,), False, ">= -6"), ((5, -1), False, "Cannot reshape"), ((-3, -2, -2), False, "-3"),
    ((-2, -3, -2), False, "-3"), ((0, -1), False, "Cannot reshape"),
    ((-2, 0, 4), False, "Cannot reshape"), ((-5, -5), False, "Not enough dimensions left"),
    ((-6, 2, -1), False, "Cannot reshape"), ((-6, 2, -1, -4), True, "followed by two"),
    ((-2, -2, -6, 2, 2), True, "do not divide"), ((1, -4), False, "Cannot reshape"),
])
def test_reshape_errors_match_mxnet(codes, reverse, match):
    with pytest.raises(OpError, match=match):
        npx.reshape(X, codes, reverse=reverse)


@pytest.mark.parametrize("codes, reverse, text", [  # MXNet 1.9.1's words (mxref), whole
    ((-3, 0), False, ("Check failed: src[src_inx] == 1 (2 vs. 1) : -3 index should only be used "
                      "to skip dimension size 1")),
    ((-7,), False, ("Check failed: param.newshape[i] >= -6 (-7 vs. -6) : Dimension size must be "
                    "greater than or equal to -6")),
    ((-2, -2, -5), False, ("Check failed: src_inx < src.ndim()-1 (2 vs. 2) : Not enough "
                           "dimensions left for the product")),
    ((-6, 5, -1, -2, -2), False, ("Check failed: d1 * d2 == static_cast<dim_t>(d0) || "
                                  "static_cast<dim_t>(d0) == dim_t(-1): Split dims 5, 0 do not "
                                  "divide original dim 2")),
    ((5, -1), True, ("Check failed: src.Size() % known_dim_size_prod == 0: Cannot reshape array "
                     "of shape [2,3,4] into shape [5,-1] , reverse = 1")),
    ((5, 7), False, ("Check failed: src.Size() == target_size (24 vs. 35) : Cannot reshape array "
                     "of shape [2,3,4] into shape [5,7] , reverse = 0")),
])
def test_reshape_error_text_is_mxnets(codes, reverse, text):
    with pytest.raises(OpError) as info:
        npx.reshape(X, codes, reverse=reverse)
    assert str(info.value) == "npx.reshape: " + text


def test_reshape_refuses_f_order_and_non_arrays():
    with pytest.raises(NotImplementedError, match="C-order"):
        npx.reshape(X, (24,), order="F")
    with pytest.raises(TypeError, match="npx.reshape"):
        npx.reshape(onp.ones(3), (3,))


def test_reshape_grad_is_the_reshaped_head():
    x = np.array(onp.arange(6.).reshape(2, 3))
    x.attach_grad()
    with autograd.record():
        y = npx.reshape(x, (-5,)) * np.arange(6.)
    y.backward()
    assert_allclose(x.grad, onp.arange(6.).reshape(2, 3))


# ---- batch_flatten, batch_dot --------------------------------------------------------------
def test_batch_flatten():
    assert npx.batch_flatten(X).shape == (2, 12)
    assert npx.batch_flatten(np.ones(2)).shape == (2, 1)
    assert npx.batch_flatten(np.ones((2, 0, 3))).shape == (2, 0)  # MXNet fails here (a bug)
    out = npx.batch_flatten(np.ones((2, 3), dtype="int32"))
    assert out.dtype == onp.int32 and out.shape == (2, 3)
    with pytest.raises(OpError, match="batch_flatten"):
        npx.batch_flatten(np.ones(()))


def test_batch_dot_values_and_transposes():
    a, b = onp.arange(24.).reshape(2, 3, 4), onp.arange(40.).reshape(2, 4, 5)
    assert_allclose(npx.batch_dot(np.array(a), np.array(b)), a @ b, rtol=1e-6)
    bt = np.array(b.swapaxes(1, 2))
    assert_allclose(npx.batch_dot(np.array(a), bt, transpose_b=True), a @ b, rtol=1e-6)
    at = np.array(a.swapaxes(1, 2))
    out = npx.batch_dot(at, bt, transpose_a=True, transpose_b=True, forward_stype="default")
    assert_allclose(out, a @ b, rtol=1e-6)
    assert npx.batch_dot(np.ones((2, 2, 3, 4)), np.ones((2, 2, 4, 5))).shape == (2, 2, 3, 5)
    assert npx.batch_dot(np.ones((2, 3, 4)), np.ones((2, 3, 5)), transpose_a=True).shape \
        == (2, 4, 5)


@pytest.mark.parametrize("shapes, kw, error, match", [
    (((2, 3, 4), (3, 4, 5)), {}, OpError, "batch dimensions"),
    (((2, 2, 3, 4), (2, 1, 4, 5)), {}, OpError, "batch dimensions"),
    (((3, 4), (4, 5)), {}, OpError, "N >= 3"),
    (((2, 3, 4), (2, 2, 4, 5)), {}, OpError, "N >= 3"),
    (((2, 3, 4), (2, 5, 5)), {}, OpError, "shape mismatch"),
    (((2, 3, 4), (2, 5, 4)), {"transpose_a": True, "transpose_b": True}, OpError, "mismatch"),
    (((2, 3, 4), (2, 4, 5)), {"forward_stype": "dense"}, OpError, "forward_stype"),
])
def test_batch_dot_errors(shapes, kw, error, match):
    with pytest.raises(error, match=match):
        npx.batch_dot(np.ones(shapes[0]), np.ones(shapes[1]), **kw)


def test_batch_dot_dtype_errors():
    with pytest.raises(TypeError, match="float"):
        npx.batch_dot(np.ones((2, 3, 4), dtype="int32"), np.ones((2, 4, 5), dtype="int32"))
    with pytest.raises(TypeError, match="one dtype"):
        npx.batch_dot(np.ones((2, 3, 4)), np.ones((2, 4, 5), dtype="float64"))


# ---- sequence_mask -------------------------------------------------------------------------
def test_sequence_mask_values_match_mxnet():
    x = onp.arange(12.).reshape(3, 2, 2)
    out = npx.sequence_mask(np.array(x), np.array([1., 2.]), use_sequence_length=True, value=-1)
    want = x.copy()
    want[1:, 0] = -1
    want[2:, 1] = -1
    assert_allclose(out, want)
    out = npx.sequence_mask(np.array(x), np.array([1, 2, 5]), use_sequence_length=True, axis=1)
    want = x.copy()
    want[0, 1] = 0
    assert_allclose(out, want)
    # fractional lengths truncate; negative ones mask everything (as MXNet's kernel)
    out = npx.sequence_mask(np.array(x), np.array([1.5, -1.]), use_sequence_length=True)
    assert_allclose(out, onp.where([[[1], [0]], [[0], [0]], [[0], [0]]], x, 0))


def test_sequence_mask_keeps_dtype_and_is_identity_without_lengths():
    x = np.ones((3, 2), dtype="int32")
    assert npx.sequence_mask(x, np.array([1, 2]), True, 2.5).dtype == onp.int32
    assert_allclose(npx.sequence_mask(X), X)
    y = np.array(onp.arange(6.).reshape(3, 2))
    assert_allclose(npx.sequence_mask(y, np.array([1, 2]), True, 2.0, 0),
                    [[0, 1], [2, 3], [2, 2]])


def test_sequence_mask_grad_passes_only_kept_steps():
    a = np.array(onp.arange(6.).reshape(3, 2))
    a.attach_grad()
    with autograd.record():
        y = npx.sequence_mask(a, np.array([1., 2.]), use_sequence_length=True, value=5.)
    y.backward()
    assert_allclose(a.grad, [[1, 1], [0, 1], [0, 0]])


@pytest.mark.parametrize("args, kw, match", [
    ((np.ones(3), np.array([1])), {"use_sequence_length": True}, "rank 2"),
    ((np.ones((3, 2, 2)), np.array([1, 2])), {"use_sequence_length": True, "axis": 2},
     "axis must be 0 or 1"),
    ((np.ones((3, 2)), np.array([1, 2])), {"use_sequence_length": True, "axis": -1}, "axis"),
    ((np.ones((3, 2, 2)), np.array([1, 2, 3])), {"use_sequence_length": True}, r"\(2,\)"),
    ((np.ones((3, 2)), np.array([[1, 2]])), {"use_sequence_length": True}, "shape"),
    ((np.ones((3, 2)),), {"use_sequence_length": True}, "needs sequence_length"),
])
def test_sequence_mask_errors(args, kw, match):
    with pytest.raises(OpError, match=match):
        npx.sequence_mask(*args, **kw)


# ---- arange_like ---------------------------------------------------------------------------
def test_arange_like_values_match_mxnet():
    x = np.ones((2, 3))
    assert_allclose(npx.arange_like(x), [[0, 1, 2], [3, 4, 5]])
    assert_allclose(npx.arange_like(x, start=1, step=2), [[1, 3, 5], [7, 9, 11]])
    assert_allclose(npx.arange_like(x, axis=1, start=1., step=0.5), [1, 1.5, 2])
    assert_allclose(npx.arange_like(x, repeat=2), [[0, 0, 1], [1, 2, 2]])
    assert_allclose(npx.arange_like(x, axis=-1), [0, 1, 2])
    assert_allclose(npx.arange_like(x, axis=0, repeat=3), [0, 0])
    assert_allclose(npx.arange_like(x, start=0.1, step=0.1),
                    onp.float32([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]))
    assert npx.arange_like(np.ones((2, 3), dtype="int32")).dtype == onp.int32
    assert npx.arange_like(np.ones(2, dtype="float64")).dtype == onp.float64
    assert npx.arange_like(np.ones(())).shape == ()
    assert npx.arange_like(x, ctx=npx.cpu(0)).ctx == npx.cpu(0)


def test_arange_like_errors():
    with pytest.raises(OpError, match="axis 2"):
        npx.arange_like(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="bool"):
        npx.arange_like(np.ones(2) > 0)
    with pytest.raises(OpError, match="repeat"):
        npx.arange_like(np.ones(2), repeat=0)


# ---- gather_nd, nonzero --------------------------------------------------------------------
def test_gather_nd_values_match_mxnet():
    d = onp.arange(24.).reshape(2, 3, 4)
    out = npx.gather_nd(np.array(d), np.array([[0, 1], [2, 0]]))
    assert_allclose(out, d[[0, 1], [2, 0]])
    assert_allclose(npx.gather_nd(np.array(d), np.array([[0], [1], [2]])), [6.])
    assert npx.gather_nd(np.array(d), np.array([[1, 0]])).shape == (2, 3, 4)
    assert npx.gather_nd(np.array(d), np.array([[[0, 1], [1, 0]], [[2, 0], [1, 1]]])).shape \
        == (2, 2, 4)
    assert_allclose(npx.gather_nd(np.array(d), np.array([[0, -1], [-1, 0]])), d[[0, 1], [2, 0]])
    # float indices truncate, as MXNet's kernel reads them
    assert_allclose(npx.gather_nd(np.array(d), np.array([[0., 1.], [0.7, 0.]])),
                    d[[0, 1], [0, 0]])
    assert npx.gather_nd(np.array(d), np.zeros((2, 0), dtype="int32")).shape == (0, 4)


def test_gather_nd_grad_adds_at_repeated_indices():
    x = np.array(onp.arange(6.).reshape(2, 3))
    x.attach_grad()
    with autograd.record():
        y = npx.gather_nd(x, np.array([[0, 0, 1], [1, 1, 2]]))
    y.backward()
    assert_allclose(x.grad, [[0, 2, 0], [0, 0, 1]])  # MXNet's numbers


@pytest.mark.parametrize("indices, error, match", [
    (np.array([[0, 5], [2, 0]]), IndexError, "gather_nd: index 5 is out of bounds"),
    (np.array([[0, -3], [1, 0]], dtype="int32"), IndexError, "index -3 is out of bounds"),
    (np.array([[0, 1], [2, 0], [1, 1], [0, 0]]), OpError, "exceed"),
    (np.array([0, 1]), OpError, "at least 2 dimensions"),
    (np.array(1), OpError, "at least 2 dimensions"),
    (np.array([[0, 1], [1, 2]], dtype="bool"), TypeError, "integers"),
])
def test_gather_nd_errors(indices, error, match):
    with pytest.raises(error, match=match):
        npx.gather_nd(X, indices)


def test_nonzero_is_n_by_ndim_int64():
    cases = [(onp.array([[0., 1.], [2., 0.]]), [[0, 1], [1, 0]]),
             (onp.array([0., 1., 2.]), [[1], [2]]),
             (onp.array([0., 0.]), onp.zeros((0, 1))),
             (onp.array(3.), [[0]]), (onp.array(0.), onp.zeros((0, 1))),
             (onp.array([True, False]), [[0]]), (onp.zeros((2, 0, 3)), onp.zeros((0, 3)))]
    for a, want in cases:
        out = npx.nonzero(np.array(a))
        assert out.dtype == onp.int64 and out.shape == onp.shape(want)
        assert_allclose(out, want)
        if a.ndim:
            assert_allclose(out, onp.argwhere(a))


# ---- cast, constraint_check, smooth_l1 -----------------------------------------------------
def test_cast_values_and_grad_match_mxnet():
    x = np.array([1.7, -2.7, 300.])
    assert_allclose(npx.cast(x, "int32"), [1, -2, 300])
    assert npx.cast(x, dtype="uint8").dtype == onp.uint8
    assert_allclose(npx.cast(np.array([1., 0., 2.]), "bool"), [True, False, True])
    assert npx.cast(x, onp.float64).dtype == onp.float64
    for dtype in ("float64", "int32"):  # the gradient comes back through an int cast too
        v = np.array([1., 2.])
        v.attach_grad()
        with autograd.record():
            y = npx.cast(v, dtype) * 3
        y.backward()
        assert v.grad.dtype == onp.float32
        assert_allclose(v.grad, [3., 3.])


def test_cast_errors():
    with pytest.raises(OpError, match="dtype"):
        npx.cast(np.ones(2))
    with pytest.raises(TypeError, match="not understood"):
        npx.cast(np.ones(2), "foo")


def test_constraint_check():
    out = npx.constraint_check(np.ones((2, 2)) > 0)
    assert out.shape == () and out.dtype == onp.bool_ and bool(out)
    with pytest.raises(ValueError, match="my message"):
        npx.constraint_check(np.ones(2) > 1, "my message")
    with pytest.raises(ValueError, match="Constraint violated."):
        npx.constraint_check(np.array([1., 0.]) > 0)
    with pytest.raises(TypeError, match="bool"):
        npx.constraint_check(np.array([1., 2.]))
    x = np.ones(2)
    x.attach_grad()
    with autograd.record():
        y = x * npx.constraint_check(x > 0)
    y.backward()
    assert y.dtype == onp.float32 and bool((x.grad == 1).all())


def test_smooth_l1_values_and_grad_match_mxnet():
    x = np.array([-2., 0.5, 0., 1., -1., 3.])
    assert_allclose(npx.smooth_l1(x), [1.5, 0.125, 0., 0.5, 0.5, 2.5])
    assert_allclose(npx.smooth_l1(np.array([-2., 0.5, 0.1, 0.3]), scalar=2.0),
                    onp.float32([1.875, 0.375, 0.02, 0.175]), rtol=1e-6)
    assert_allclose(npx.smooth_l1(np.array([-2., 0.5]), scalar=0.0), [0., 0.])
    assert_allclose(npx.smooth_l1(np.array([-2., 0.5]), scalar=-1.0), [1.5, 0.125])
    assert npx.smooth_l1(np.array([-2., 0.5], dtype="float64")).dtype == onp.float64
    v = np.array([-2., 0.5, 0., 0.25, 1.0, -0.25])
    v.attach_grad()
    with autograd.record():
        y = npx.smooth_l1(v, scalar=2.0)
    y.backward()
    assert_allclose(v.grad, [-1., 1., 0., 1., 1., -1.])  # the boundary takes the linear branch


@pytest.mark.parametrize("shape, axis", [((2, 0), -1), ((0, 3), 0), ((2, 0), 0)])
def test_softmax_of_an_empty_array_is_empty_as_mxnet(shape, axis):
    for f in (npx.softmax, npx.log_softmax):
        y = f(np.zeros(shape), axis=axis)
        assert y.shape == shape and y.dtype == onp.float32


def test_pick_and_topk_argument_errors_are_mxnet_errors():
    # MXNet raises MXNetError for both; OpError is also a ValueError, as NumPy code expects
    from mxnp.base import MXNetError

    data = np.ones((3, 4, 2))
    with pytest.raises(MXNetError, match=r"pick: index of shape \(3,\) does not match"):
        npx.pick(data, np.array([0, 1, 2], dtype="int64"), axis=1)
    with pytest.raises(ValueError, match="topk: ret_typ must be"):
        npx.topk(data, ret_typ="top")
    assert issubclass(OpError, MXNetError) and issubclass(OpError, ValueError)
