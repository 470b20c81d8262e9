"""Array methods where differential fuzzing against MXNet 1.9.1 found mxnp differing.

Every expected value here was read off MXNet 1.9.1 (shared/tools/mxref).
"""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import numpy as np
from mxnp.base import MXNetError


# ---- mean / prod with an integer dtype ----------------------------------------------------------

@pytest.mark.parametrize("values, src, dtype, kw, want", [
    # mxref: truncated toward zero, as a C cast
    ([-5, 2], "int32", "int32", {}, -1),
    # the sum wraps in int8 (300 -> 44), then 44 / 3: MXNet's 14
    ([100, 100, 100], "int8", "int8", {}, 14),
    ([-5, 2, 1, 3], "int8", "int64", {"axis": 0}, 0),
    # float data: summed in float (4.6 / 2 = 2.3), then truncated
    ([[1.7, 2.9], [0.2, 0.3]], "float32", "int32", {"axis": 1}, [2, 0]),
    ([True, False, True], "bool", "bool", {}, True),
])
def test_mean_with_integer_dtype(values, src, dtype, kw, want):
    got = np.array(values, dtype=src).mean(dtype=dtype, **kw)
    assert got.dtype == onp.dtype(dtype)
    assert got.tolist() == want


def test_empty_mean_with_integer_dtype_is_zero():
    # mxref: array([0, 0, 0], dtype=int32); nan has no integer value
    got = np.zeros((0, 3), dtype="int32").mean(axis=0, dtype="int32")
    assert got.dtype == onp.int32 and got.tolist() == [0, 0, 0]
    assert np.zeros((0,), dtype="int8").mean(dtype="int64").item() == 0


def test_prod_of_floats_with_integer_dtype_truncates_the_product():
    # mxref: 89 (the float product 89.9..., truncated), not the product of truncated factors
    x = np.array([[[-0.25, 5.67, -4.18]], [[1.27, -2.85, -4.19]]], dtype="float32")
    assert x.prod(dtype="int32").item() == 89
    # mxref: array(6, dtype=int8) (2.5 * 2.7 = 6.75)
    assert np.array([2.5, 2.7], dtype="float16").prod(dtype="int8").item() == 6


def test_mean_of_0d_along_axis_0():
    # mxref: array(1.5) and array(0.)
    x = np.array(1.5)
    assert x.mean(axis=0).item() == 1.5 and x.std(axis=0).item() == 0.0


# ---- astype's NumPy options ---------------------------------------------------------------------

@pytest.mark.parametrize("kw, text", [
    ({"casting": "safe"}, "casting must be equal to 'unsafe'"),
    ({"casting": "same_kind"}, "casting must be equal to 'unsafe'"),
    ({"order": "F"}, "order must be either 'K' or 'C'"),
    ({"subok": False}, "subok must be equal to True"),
])
def test_astype_refuses_what_mxnet_refuses(kw, text):
    # mxref: ValueError with these texts; mxnp used to ignore the options
    with pytest.raises(ValueError, match=text):
        np.array([1.5, 2.0], dtype="float32").astype("int32", **kw)


def test_astype_accepts_mxnets_options():
    x = np.array([1.5, 2.0], dtype="float32")
    for kw in ({"casting": "unsafe"}, {"order": "C"}, {"order": "K"}, {"subok": True}):
        assert x.astype("int32", **kw).tolist() == [1, 2]


# ---- in-place sort --------------------------------------------------------------------------------

def test_inplace_sort_axis_none_of_a_matrix_is_a_type_error():
    x = np.array([[3.0, 1.0], [2.0, 0.0]])
    with pytest.raises(TypeError, match="sort"):
        x.sort(axis=None)
    y = np.array([3.0, 1.0, 2.0])
    y.sort(axis=None)  # a 1-D array keeps its shape: allowed, as NumPy
    assert y.tolist() == [1.0, 2.0, 3.0]


# ---- the 1.x face -------------------------------------------------------------------------------

def test_nd_argmax_channel_reduces_axis_1():
    # mxref: a (2, 3, 4) array gives shape (2, 4): [[0, 1, 2, 1], [0, 0, 2, 2]]
    x = mx.nd.array([[[1.55, -2.28, -1.7, -2.04], [0.68, 2.77, -4.63, 1.44],
                      [-2.62, -1.59, -0.48, -4.08]],
                     [[8.53, 7.27, 2.26, 1.97], [-3.13, 7.13, 0.05, 1.0], [1, 2, 3, 4]]])
    got = x.argmax_channel()
    assert got.shape == (2, 4) and got.asnumpy().tolist() == [[0, 1, 2, 1], [0, 0, 2, 2]]
    assert mx.nd.argmax_channel(mx.nd.array([[1, 2, 3], [4, 6, 5]])).asnumpy().tolist() == [2, 1]
    with pytest.raises(MXNetError):  # mxref: axis 1 exceeds the input dimension of 1
        mx.nd.array([1, 2, 5, 3]).argmax_channel()


@pytest.mark.parametrize("indices", [-1, 0, [0, 1], [[0], [1]]])
def test_nd_take_needs_an_ndarray_of_indices(indices):
    # mxref: AssertionError: Argument indices must have NDArray type, but got ...
    with pytest.raises(AssertionError, match="take: Argument indices must have NDArray type"):
        mx.nd.array([4, -2, -5]).take(indices)


@pytest.mark.parametrize("shape", [(2, 0), (3,), (2, 6)])
def test_nd_broadcast_to_method_is_strict(shape):
    # mxref: ValueError: operands could not be broadcast together with remapped shapes...
    # (the method, not the operator: 0 does not mean "keep this axis")
    with pytest.raises(ValueError, match="remapped shapes"):
        mx.nd.array([[1, 2, 3]]).broadcast_to(shape)


def test_nd_broadcast_to_method_adds_leading_axes():
    x = mx.nd.array([1, 2, 3])
    got = x.broadcast_to((2, 3))
    assert isinstance(got, mx.nd.NDArray) and got.asnumpy().tolist() == [[1, 2, 3]] * 2
    assert mx.nd.array([[1, 2, 3]]).broadcast_to([2, 3]).shape == (2, 3)


@pytest.mark.parametrize("begin, end", [(1, 2), (1, 5), (-5, 2), (2, 1), (-1, 0), (3, 3), (1, 1)])
def test_slice_axis_refuses_windows_outside_or_empty(begin, end):
    # mxref: Check failed: *end <= axis_size / *begin >= 0 / (*begin < *end)
    x = mx.nd.array([[1.5, 2, 3]])
    axis = 0 if (begin, end) == (1, 2) else 1
    with pytest.raises(MXNetError, match="slice_axis"):
        x.slice_axis(axis=axis, begin=begin, end=end)
    with pytest.raises(ValueError, match="slice_axis"):
        np.array([[1.5, 2, 3]]).slice_axis(axis=axis, begin=begin, end=end)


def test_slice_axis_valid_windows():
    x = mx.nd.array([[1.5, 2, 3]])
    assert x.slice_axis(axis=1, begin=1, end=None).asnumpy().tolist() == [[2, 3]]
    assert x.slice_axis(axis=1, begin=-2, end=-1).asnumpy().tolist() == [[2]]


def test_nd_split_with_a_list_names_num_outputs():
    # mxref: MXNetError: Invalid Parameter format for num_outputs expect int but value='[1]'
    with pytest.raises(MXNetError, match="num_outputs"):
        mx.nd.array([[1.5, 2, 3]]).split([1], axis=-1)


# ---- 0-d arrays: a one-axis tuple (0,) or (-1,) ---------------------------------------------------

def test_reductions_of_0d_take_a_one_axis_tuple():
    # mxref: array(-1.25, dtype=float64), array(False), array(8, dtype=int64), array(0, dtype=int8),
    # array(3.)
    assert np.array(-1.25, dtype="float64").sum(axis=(0,), dtype="float64").item() == -1.25
    got = np.array(0, dtype="int8").any(axis=(0,), keepdims=True)
    assert got.shape == () and got.item() is False
    assert np.array(8, dtype="int64").prod(axis=(0,)).item() == 8
    assert np.array(0, dtype="int8").squeeze((0,)).shape == ()
    assert np.array(3.0).mean(axis=(-1,)).item() == 3.0


@pytest.mark.parametrize("call", [lambda x: x.max(axis=(0, -1)), lambda x: x.sum(axis=(1,)),
                                  lambda x: x.squeeze((1,))])
def test_reductions_of_0d_refuse_other_axes(call):
    with pytest.raises(MXNetError):  # mxref: Check failed ... out of bounds
        call(np.array(3.0))


# ---- in-place operators keep the array's shape ----------------------------------------------------

@pytest.mark.parametrize("make, other", [
    (lambda: np.array(2.0), lambda: np.array([3.0])),
    (lambda: np.array([1.0, 2.0, 3.0]), lambda: np.ones((2, 3))),
    (lambda: np.array([[1.0], [2.0]]), lambda: np.ones((2, 3))),
    (lambda: np.array([1.0, 2.0, 3.0]), lambda: np.ones((1, 3))),
    (lambda: np.array(2.0), lambda: np.array([[3.0]])),
    (lambda: mx.nd.array([1.0, 2.0, 3.0]), lambda: mx.nd.ones((2, 3))),
    (lambda: mx.nd.array([1.0, 2.0, 3.0]), lambda: mx.nd.ones((1, 3))),
])
def test_inplace_op_refuses_a_result_of_another_shape(make, other):
    # mxref: MXNetError: Shape inconsistent, Provided = [3], inferred shape=[1,3] (and the like)
    y = make()
    before = y.asnumpy().copy()
    with pytest.raises(MXNetError, match="shape"):
        y += other()
    assert onp.array_equal(y.asnumpy(), before)


def test_inplace_op_broadcasting_into_the_array_still_works():
    # mxref: array([[2., 3., 4.]]) / <NDArray 1x3>
    y = np.array([[1.0, 2.0, 3.0]])
    y += np.ones((3,))
    assert y.tolist() == [[2.0, 3.0, 4.0]]
    z = mx.nd.array([[1.0, 2.0, 3.0]])
    z += mx.nd.ones((3,))
    assert z.asnumpy().tolist() == [[2.0, 3.0, 4.0]]


# ---- astype(None) ----------------------------------------------------------------------------------

def test_astype_none_is_the_default_float32():
    # mxref: array([1., 2.]) (float32: MXNet's repr omits it) and <NDArray 3> float32
    assert np.array([1, 2], dtype="int32").astype(None).dtype == onp.float32
    assert mx.nd.array([7, 5, -1], dtype="int64").astype(None).dtype == onp.float32


# ---- a NumPy scalar on the left of an NDArray -------------------------------------------------------

@pytest.mark.parametrize("expr, dtype, want", [
    # mxref: NDArray results with the array's dtype (the scalar truncated for int32)
    (lambda x: onp.float32(2.5) + x, "int32", [3, 4, 5]),
    (lambda x: onp.float64(2.5) - x, "float32", [1.5, 0.5, -0.5]),
    (lambda x: onp.int64(2) ** x, "float32", [2.0, 4.0, 8.0]),
    (lambda x: onp.float32(2) < x, "float32", [0.0, 0.0, 1.0]),
    (lambda x: onp.float32(6) / x, "float32", [6.0, 3.0, 2.0]),
    (lambda x: onp.float32(6) % x, "float32", [0.0, 0.0, 0.0]),
    (lambda x: onp.float32(6) == x, "float32", [0.0, 0.0, 0.0]),
])
def test_numpy_scalar_with_ndarray_gives_ndarray(expr, dtype, want):
    got = expr(mx.nd.array([1, 2, 3], dtype=dtype))
    assert isinstance(got, mx.nd.NDArray) and got.dtype == onp.dtype(dtype).type
    assert got.asnumpy().tolist() == want


def test_numpy_array_with_ndarray_is_refused():
    with pytest.raises(TypeError):  # mxref: TypeError: type <class 'numpy.ndarray'> not supported
        onp.ones(3) + mx.nd.array([1, 2, 3])


def test_nd_broadcast_axes_needs_axes_of_size_1():
    # mxref: Check failed: oshape[param.axis[i]] == 1U (3 vs. 1) : Broadcasting axis must have
    # size 1 -- also when size equals the axis's length
    x = mx.nd.array([[1, 2, 3]])
    assert x.broadcast_axes(axis=0, size=2).asnumpy().tolist() == [[1, 2, 3]] * 2
    with pytest.raises(MXNetError, match="size 1"):
        x.broadcast_axes(axis=1, size=3)
    with pytest.raises(MXNetError, match="size 1"):
        mx.nd.broadcast_axis(mx.nd.array([[1], [2]]), axis=(0, 1), size=(2, 3))


def test_nd_transpose_of_fewer_than_two_axes_is_the_array():
    # mxref: x.T is x for shapes (2,) and (), not for (1, 2); writes through it show in x
    x = mx.nd.array([5, 3, -1], dtype="int8")
    y = x.T
    y[...] = 7
    assert y is x and x.asnumpy().tolist() == [7, 7, 7]
    assert mx.nd.array(5).T.shape == ()
    z = mx.nd.array([[1, 2]])
    assert z.T is not z and z.T.shape == (2, 1)


# ---- argument checks of nd take / pick / slice_like ---------------------------------------------

@pytest.mark.parametrize("data, indices, axis", [
    ([-3.72, 2.08, -4.45], [1.7, -1], 0), ([-3.72, 2.08, -4.45], [3], 0),
    ([[1, 2], [3, 4]], [1, 2], -1)])
def test_nd_take_mode_raise_refuses_out_of_range(data, indices, axis):
    # mxref: Check failed: is_valid: take operator contains indices out of bound
    with pytest.raises(MXNetError, match="out of bounds"):
        mx.nd.array(data).take(mx.nd.array(indices), axis=axis, mode="raise")


def test_nd_take_mode_raise_in_range():
    # mxref: [2.08, -4.45] (1.7 truncated to 1) and [[2, 1], [4, 3]]
    x = mx.nd.array([-3.72, 2.08, -4.45], dtype="float64")
    assert x.take(mx.nd.array([1.7, 2]), mode="raise").asnumpy().tolist() == [2.08, -4.45]
    y = mx.nd.array([[1, 2], [3, 4]]).take(mx.nd.array([1, 0]), axis=1, mode="raise")
    assert y.asnumpy().tolist() == [[2, 1], [4, 3]]


def test_nd_pick_axis_out_of_range():
    # mxref: Check failed: axis < ndim && axis >= -ndim: axis 2 exceeds the input dimension of 2
    with pytest.raises(MXNetError, match="axis 2 exceeds the input dimension of 2"):
        mx.nd.array([[1.15, 1.07, -1.85]]).pick(mx.nd.array([[0], [1]]), axis=2)
    with pytest.raises(MXNetError):
        mx.nd.array([-3.92, -4.61, 4.4]).pick(mx.nd.array([0, 5]), axis=1, keepdims=True)


def test_nd_slice_like_checks_axes():
    # mxref: ndim mismatch for inputs: 1 vs. 3 / Slice axis: 1 exceeds second input: 1
    with pytest.raises(MXNetError, match="same number of axes"):
        mx.nd.array([2]).slice_like(mx.nd.ones((2, 2, 2)))
    with pytest.raises(MXNetError, match="exceeds"):
        mx.nd.ones((4, 2)).slice_like(mx.nd.ones((1,)), axes=(-1,))
    # mxref: shapes (4, 1) and (2, 1, 3)
    assert mx.nd.ones((4, 2)).slice_like(mx.nd.ones((1, 1)), axes=(-1,)).shape == (4, 1)
    assert mx.nd.ones((4, 2, 3)).slice_like(mx.nd.ones((2, 1)), axes=(0, 1)).shape == (2, 1, 3)


def test_flatten_refuses_other_orders():
    # mxref: NotImplementedError: only supports C-order, while received F
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(NotImplementedError, match="C-order"):
        x.flatten(order="F")
    assert x.flatten().tolist() == [1.0, 2.0, 3.0, 4.0]
    assert x.ravel(order="K").tolist() == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(NotImplementedError):
        x.ravel(order="F")


@pytest.mark.parametrize("axis, mode", [(1, "raise"), (1, "clip"), (-2, "clip")])
def test_nd_take_axis_out_of_range(axis, mode):
    # mxref: Check failed: param.axis >= -1 * arrshape.ndim() && ...: Axis should be in the
    # range of [-r, r-1] where r is the rank of input tensor
    with pytest.raises(MXNetError, match="range"):
        mx.nd.array([7, 8], dtype="uint8").take(mx.nd.array([0]), axis=axis, mode=mode)


def test_var_std_with_integer_dtype_truncate():
    # mxref: (array(1, dtype=int32), array(1, dtype=int32)) and (array(2, ...), array(1, ...))
    x = np.array([1, 2, 4], dtype="int8")
    assert x.var(dtype="int32").dtype == onp.int32 and x.var(dtype="int32").item() == 1
    assert x.std(dtype="int32").item() == 1
    y = np.array([1.0, 2.0, 4.5], dtype="float32")
    assert y.var(dtype="int32").item() == 2 and y.std(dtype="int32").item() == 1
    assert np.var(y, dtype="int64").dtype == onp.int64
