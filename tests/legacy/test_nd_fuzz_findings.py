"""Differences found by differential fuzzing of the 1.x ``mx.nd`` operators against MXNet 1.9.1
(helper h-nd). Expected values are MXNet 1.9.1's, read off with shared/tools/mxref unless a
comment says they come from a NumPy reference computed here."""
import numpy as onp
import pytest

import mxnp
from mxnp import ndarray as nd
from mxnp.base import MXNetError


def vals(x):
    return x.asnumpy().tolist()


# ---- reductions: MXNet accumulates in the input's dtype ------------------------------------
def test_bool_reductions_stay_bool():
    b = nd.array([[True, False, True], [False, False, False]], dtype="bool")
    for op, want in [("sum", [True, False]), ("mean", [True, False]), ("max", [True, False]),
                     ("nansum", [True, False]), ("prod", [False, False]),
                     ("min", [False, False]), ("nanprod", [False, False])]:
        out = getattr(nd, op)(b, axis=1)
        assert out.dtype == onp.bool_ and vals(out) == want, op
    assert vals(nd.norm(b, axis=1)) == [True, False]


def test_integer_mean_wraps_and_truncates():
    assert vals(nd.mean(nd.array([[-3, -4, 2], [5, 1, 1]], dtype="int32"), axis=1)) == [-1, 2]
    assert vals(nd.mean(nd.array([[200, 100, 2], [5, 1, 1]], dtype="uint8"), axis=1)) == [15, 2]
    assert vals(nd.mean(nd.array([[100, 100, 100]], dtype="int8"), axis=1)) == [14]


def test_float16_sums_and_products_in_float16():
    rs = onp.random.RandomState(5)
    h = nd.array(rs.uniform(-3, 3, (4, 7)), dtype="float16")
    assert vals(nd.prod(h, axis=1)) == [-1.2197265625, -0.65576171875, -0.431884765625, 33.0625]
    assert vals(nd.mean(h)) == [-0.303466796875]
    assert vals(nd.sum(h, axis=1)) == [3.505859375, -6.46875, 1.037109375, -6.56640625]


def test_integer_norm_is_mxnet_nrm2_in_integers():
    x = nd.array([[3, -4, 2], [5, 1, 1]], dtype="int32")
    assert nd.norm(x).dtype == onp.int32 and vals(nd.norm(x)) == [5]
    assert vals(nd.norm(x, axis=1)) == [4, 5]
    assert vals(nd.norm(x, ord=1, axis=1)) == [9, 7]


def test_norm_bad_ord_is_mxnet_error():
    with pytest.raises(MXNetError, match="ord=1 and ord=2"):
        nd.norm(nd.ones((2, 2)), ord=3)


# ---- sorting ---------------------------------------------------------------------------------
def test_descending_order_of_unsigned_values():
    x = nd.array([[2, 0, 255, 254, 1]], dtype="uint8")
    assert vals(nd.topk(x, k=-1, ret_typ="value")) == [[255, 254, 2, 1, 0]]
    assert vals(nd.argsort(x, is_ascend=False, dtype="int32")) == [[2, 3, 0, 4, 1]]
    assert vals(nd.topk(nd.array([-128, 5, 0], dtype="int8"), k=3)) == [1, 2, 0]


# ---- scalars and integer power ---------------------------------------------------------------
def test_scalar_cast_to_the_array_dtype_wraps():
    u = nd.array([253, 255, 3], dtype="uint8")
    assert vals(u == -3.7) == [1, 0, 0]
    assert vals(-1 != u) == [1, 0, 1]
    assert vals(nd.array([1, 2, 3], dtype="uint8") / -1) == [0, 0, 0]
    assert vals(nd.array([1, 2, 3], dtype="int32") + 3e9) == [-2147483647, -2147483646,
                                                              -2147483645]


def test_integer_power_goes_through_powf():
    a = nd.array([7, 3, 2, -2, 0], dtype="int32")
    e = nd.array([10, 20, 31, 3, 0], dtype="int32")
    assert vals(a ** e) == [282475264, -2147483648, -2147483648, -8, 1]
    a64 = nd.array([7, 3, 2, -2, 0], dtype="int64")
    assert vals(a64 ** 30) == [-9223372036854775808, 205891135602688, 1073741824, 1073741824, 0]
    assert vals(nd.power(a64, nd.array([10, 30, 62, 3, -1], dtype="int64"))) == \
        [282475264, 205891135602688, 4611686018427387904, -8, -9223372036854775808]
    assert vals(nd.array([7, 3, 2, 255, 0], dtype="uint8") ** 2) == [49, 9, 4, 1, 0]


def test_grad_add_is_elemwise_add():
    out = nd._internal._grad_add(nd.array([1, 2]), nd.array([3, 4]))
    assert vals(out) == [4, 6]


def test_float16_text_is_numpy_1x_layout():
    x = nd.array([628.5, 23.203125, 10.421875, -3992.0], dtype="float16")
    assert str(x) == "\n[  628.5     23.2     10.42 -3992.  ]\n<NDArray 4 @cpu(0)>"


# ---- shape operators -------------------------------------------------------------------------
def test_split_v2_of_one_part_is_the_array():
    out = nd.split_v2(nd.array([[1, 2, 3]]), 1, axis=0)
    assert isinstance(out, nd.NDArray) and out.shape == (1, 3)


def test_split_of_a_vector_with_squeeze_gives_0d_parts():
    parts = nd.split(nd.array([5, 6]), num_outputs=2, axis=0, squeeze_axis=True)
    assert [p.shape for p in parts] == [(), ()]
    assert str(parts[0]) == "\n5.0\n<NDArray  @cpu(0)>"
    parts = nd.split_v2(nd.array([1, 2]), 2, squeeze_axis=True)
    assert [p.shape for p in parts] == [(), ()]


def test_split_errors_are_mxnet_errors():
    with pytest.raises(MXNetError, match="does not split"):
        nd.split(nd.ones((3,)), num_outputs=2, axis=0)
    with pytest.raises(MXNetError, match=r"param_.axis < dshape.ndim\(\) \(1 vs. 1\)"):
        nd.split(nd.ones((2,)), num_outputs=2)  # default axis=1


def test_repeat_zero_times_is_shape_0():
    assert nd.repeat(nd.ones((3, 2, 4)), repeats=0, axis=2).shape == (0,)


def test_reshape_code_errors_are_mxnet_errors():
    x = nd.ones((3, 4, 3))
    with pytest.raises(MXNetError, match="One and only one dim can be inferred"):
        x.reshape((4, -2, -1, -1))
    with pytest.raises(MXNetError, match=r"src_idx < dshape_len \(3 vs. 3\)"):
        x.reshape((-2, 0))
    with pytest.raises(MXNetError, match=r"i \+ 2 < params_len \(3 vs. 3\)"):
        nd.ones((2, 4)).reshape((0, -4, -1))  # the -4 group runs past the end
    with pytest.raises(MXNetError, match="Split dims 1, 2 do not divide original dim 3"):
        nd.ones((3,)).reshape((-4, -1, 2))
    y = nd.ones((2, 4))
    y.attach_grad()
    with mxnp.autograd.record(), pytest.raises(MXNetError, match="when recording"):
        y.reshape((2, 1, -2))
    with pytest.raises(ValueError, match="Cannot reshape array of size 8"):
        y.reshape((2, 1, -2))


# ---- indexing and math -----------------------------------------------------------------------
def test_scatter_nd_repeated_index_keeps_the_last_write():
    out = nd.scatter_nd(nd.array([1, 2, 3, 4, 5]), nd.array([[0, 1, 1, 2, 1]]), shape=(3,))
    assert vals(out) == [1, 5, 4]
    x = nd.array([1, 2, 3, 4, 5])
    x.attach_grad()
    with mxnp.autograd.record():
        y = nd.scatter_nd(x, nd.array([[0, 1, 1, 2, 1]]), shape=(3,))
    y.backward(nd.array([10, 20, 30]))
    assert vals(x.grad) == [10, 20, 20, 30, 20]


def test_smooth_l1_on_integers():
    u = nd.array([3, -3, 1, -1, 0, 2], dtype="uint8")
    assert u.dtype == onp.uint8 and vals(u) == [3, 253, 1, 255, 0, 2]  # wraps, as NumPy 1.x
    out = nd.smooth_l1(u, scalar=2)
    assert out.dtype == onp.uint8 and vals(out) == [2, 252, 0, 254, 0, 1]
    assert vals(nd.smooth_l1(nd.array([3, -3, 1, 2], dtype="int32"), scalar=1)) == [2, 2, 0, 1]
    assert vals(nd.smooth_l1(nd.array([3, -3, 1], dtype="int64"), scalar=0.5)) == [0, 0, 0]


def test_ones_like_and_zeros_like_have_a_zero_gradient():
    x = nd.array([1, 2])
    x.attach_grad()
    with mxnp.autograd.record():
        y = nd.ones_like(x)
    y.backward()
    assert vals(x.grad) == [0, 0]
    with mxnp.autograd.record():
        y = nd.zeros_like(x) * 3 + x
    y.backward()
    assert vals(x.grad) == [1, 1]


def test_integer_batch_dot_is_an_mxnet_error():
    a = nd.array([[[1, 2]]], dtype="int32")
    with pytest.raises(MXNetError):
        nd.batch_dot(a, nd.array([[[1], [2]]], dtype="int32"))
