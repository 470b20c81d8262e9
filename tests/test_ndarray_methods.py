"""ndarray methods that forward to np/npx functions, and the MXNet-only operators behind them
(values from MXNet 1.9.1's operators of the same names, read with tools/mxref)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx

X = [[1., -2., 3.], [-4., 5., -6.]]


def x():
    return np.array(X)


@pytest.mark.parametrize("name", ["abs", "arccos", "arcsin", "arctan", "cbrt", "ceil", "cos",
                                  "cosh", "degrees", "exp", "expm1", "fix", "floor", "log1p",
                                  "radians", "reciprocal", "rint", "sign", "sin", "sinh",
                                  "square", "tan", "tanh", "trunc"])
def test_unary_math_methods_match_the_np_functions(name):
    a = np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]])
    onp.testing.assert_allclose(getattr(a, name)().asnumpy(), getattr(np, name)(a).asnumpy())


def test_log_and_sqrt_methods_on_positive_data():
    a = np.array([0.5, 2., 8.])
    assert a.log2().tolist() == [-1., 1., 3.]
    onp.testing.assert_allclose(a.sqrt().asnumpy(), onp.sqrt([0.5, 2., 8.]), rtol=1e-6)
    onp.testing.assert_allclose(a.rsqrt().asnumpy(), 1 / onp.sqrt([0.5, 2., 8.]), rtol=1e-6)
    onp.testing.assert_allclose(np.array([8.]).rcbrt().asnumpy(), [0.5], rtol=1e-6)


def test_reductions_and_scans_as_methods():
    a = x()
    assert a.cumsum().tolist() == onp.cumsum(X).tolist()
    onp.testing.assert_allclose(a.std(axis=1).asnumpy(), onp.std(X, axis=1), rtol=1e-6)
    onp.testing.assert_allclose(a.var(ddof=1).asnumpy(), onp.var(X, ddof=1), rtol=1e-6)
    onp.testing.assert_allclose(a.norm().asnumpy(), 9.5393915, rtol=1e-6)  # MXNet's norm


def test_nansum_and_nanprod_skip_nan():
    a = np.array([1., onp.nan, 3.])
    assert a.nansum().item() == 4. and a.nanprod().item() == 3.


def test_sort_sorts_in_place_and_argsort_gives_int64():
    a = np.array([3., 1., 2.])
    assert a.argsort().tolist() == [1, 2, 0] and a.argsort().dtype == onp.int64
    assert a.sort() is None and a.tolist() == [1., 2., 3.]


def test_gathers_and_shape_methods():
    a = x()
    assert a.take(np.array([0, 2])).tolist() == [1., 3.]
    assert a.repeat(2, axis=0).shape == (4, 3) and a.tile(2).shape == (2, 6)
    assert a.flip(1).tolist() == [[3., -2., 1.], [-6., 5., -4.]]
    assert a.pad(((0, 0), (1, 0))).tolist()[0] == [0., 1., -2., 3.]
    assert a.diag().tolist() == [1., 5.]
    assert [i.tolist() for i in a.nonzero()] == [[0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2]]
    assert a.zeros_like().tolist() == [[0.] * 3] * 2 and a.ones_like().sum().item() == 6.


def test_mxnet_operators_as_methods():
    a = x()
    assert a.slice_axis(1, 0, 2).tolist() == [[1., -2.], [-4., 5.]]
    assert a.slice((0, 1), (2, 3)).tolist() == [[-2., 3.], [5., -6.]]
    assert a.slice_like(np.ones((1, 2))).tolist() == [[1., -2.]]
    assert np.ones((1, 3)).broadcast_axes(0, 2).shape == (2, 3)
    assert np.ones((1, 3)).broadcast_like(np.ones((2, 3))).shape == (2, 3)
    assert a.reshape_like(np.ones((3, 2))).shape == (3, 2)
    assert a.argmax_channel().tolist() == [2., 1.] and a.argmax_channel().dtype == onp.float32
    assert a.shape_array().tolist() == [2, 3] and a.size_array().tolist() == [6]
    assert [p.shape for p in a.split_v2(3, axis=1)] == [(2, 1)] * 3


def test_depth_to_space_matches_mxnet_and_space_to_depth_inverts_it():
    a = np.arange(8).reshape((1, 4, 1, 2))
    assert a.depth_to_space(2).tolist() == [[[[0., 2., 1., 3.], [4., 6., 5., 7.]]]]
    assert (a.depth_to_space(2).space_to_depth(2) == a).all()


def test_slice_assign_writes_in_place_and_returns_the_array():
    a = np.zeros((2, 3))
    assert a.slice_assign(np.ones((2, 2)), (0, 1), (2, 3)) is a
    assert a.tolist() == [[0., 1., 1.], [0., 1., 1.]]
    assert a.slice_assign_scalar(5., (0, 0), (1, 1)).tolist()[0][0] == 5.


def test_activation_methods_and_npx():
    a = x()
    assert a.relu().tolist() == [[1., 0., 3.], [0., 5., 0.]]
    onp.testing.assert_allclose(a.sigmoid().asnumpy(), 1 / (1 + onp.exp(-onp.array(X))),
                                rtol=1e-6)
    e = onp.exp(X)
    onp.testing.assert_allclose(a.softmax().asnumpy(), e / e.sum(1, keepdims=True), rtol=1e-6)
    onp.testing.assert_allclose(a.log_softmax().asnumpy(),
                                onp.log(e / e.sum(1, keepdims=True)), rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(a.softmin()[0].asnumpy(), [4.7123417e-02, 9.4649917e-01,
                                                          6.3774609e-03], rtol=1e-5)


def test_softmax_with_lengths_masks_the_tail():
    out = npx.softmax(x(), length=np.array([2, 1], dtype="int32"), use_length=True)
    onp.testing.assert_allclose(out.asnumpy(), [[0.95257413, 0.04742587, 0.], [1., 0., 0.]],
                                rtol=1e-6)


def test_relu_gradient_is_zero_at_zero():
    a = np.array([-1., 0., 1.])
    a.attach_grad()
    with autograd.record():
        y = a.relu()
    y.backward()
    assert a.grad.tolist() == [0., 0., 1.]


def test_pick_clips_by_default_and_keeps_dims_on_request():
    a = x()
    assert a.pick(np.array([0, 2])).tolist() == [1., -6.]
    assert a.pick(np.array([0, 5])).tolist() == [1., -6.]
    assert a.pick(np.array([0., 1., 2.]), axis=0).tolist() == [1., 5., -6.]
    assert a.pick(np.array([0, 2]), keepdims=True).shape == (2, 1)
    with pytest.raises(ValueError, match="pick"):
        a.pick(np.array([0, 1, 2]))


def test_one_hot_leaves_out_of_range_rows_empty():
    assert np.array([0, 5, -1]).one_hot(3).tolist() == [[1., 0., 0.], [0.] * 3, [0.] * 3]
    out = npx.one_hot(np.array([0., 1.]), 3, on_value=5, off_value=-1, dtype="int32")
    assert out.tolist() == [[5, -1, -1], [-1, 5, -1]] and out.dtype == onp.int32


def test_topk_returns_float_indices_by_default():
    v = np.array([3., 1., 4., 1., 5.])
    assert v.topk(k=2).tolist() == [4., 2.] and v.topk(k=2).dtype == onp.float32
    values, indices = v.topk(k=2, ret_typ="both")
    assert values.tolist() == [5., 4.] and indices.tolist() == [4., 2.]
    assert v.topk(k=2, is_ascend=True, ret_typ="value").tolist() == [1., 1.]
    assert np.array([3., 1., 4.]).topk(k=2, ret_typ="mask").tolist() == [1., 0., 1.]
    assert x().topk(k=1, axis=0).tolist() == [[0., 1., 0.]]
    with pytest.raises(ValueError, match="ret_typ"):
        v.topk(ret_typ="bogus")


def test_as_nd_ndarray_is_an_ndarray_view_and_as_np_ndarray_the_array_itself():
    # MXNet 1.9.1 (mxref): an mx.nd.NDArray over the same memory; gradients reach the np array
    a = x()
    a.attach_grad()
    with autograd.record():
        v = a.as_nd_ndarray()
        y = (v * 2).sum()
    y.backward()
    assert type(v).__name__ == "NDArray" and v is not a and a.as_np_ndarray() is a
    assert a.grad.tolist() == [[2.0] * 3] * 2
    v[0, 0] = 7
    assert a[0, 0] == 7


def test_log_softmax_with_lengths_gives_log_zero_on_the_tail_and_finite_gradients():
    data = x()
    data.attach_grad()
    lengths = np.array([2, 1], dtype="int32")
    with autograd.record():
        out = npx.log_softmax(data, length=lengths, use_length=True)
        y = npx.softmax(data, length=lengths, use_length=True) * np.array([1., 2., 3.])
    got = out.asnumpy()
    assert onp.isneginf(got[0, 2]) and onp.isneginf(got[1, 1:]).all() and got[1, 0] == 0.
    onp.testing.assert_allclose(onp.exp(got[0, :2]), [0.95257413, 0.04742587], rtol=1e-6)
    y.backward()
    assert onp.isfinite(data.grad.asnumpy()).all() and data.grad[1].tolist() == [0., 0., 0.]


def test_clip_method_takes_mxnets_min_and_max_keywords():
    # MXNet 1.9.1: ndarray.clip(self, min=None, max=None, out=None) (D2L's box_iou calls
    # .clip(min=0)); NumPy's a_min/a_max names are refused there (mxref)
    a = np.array([-1., 2., 5.])
    assert a.clip(min=0).tolist() == [0., 2., 5.]
    assert a.clip(max=1).tolist() == [-1., 1., 1.]
    assert a.clip(0, 3).tolist() == [0., 2., 3.]
    with pytest.raises(TypeError):
        a.clip(a_min=0)
    with pytest.raises(ValueError, match="min"):
        a.clip()
