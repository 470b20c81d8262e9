"""mx.nd.NDArray: printing, dtype rules, operators, reshape codes, reductions, indexing, autograd.

The repr strings below were recorded from MXNet 1.9.1 with tools/mxref (``repr`` of each
expression, spelled ``mx.nd`` there), so the test compares against MXNet's own output.
"""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, np
from mxnp import ndarray as nd
from mxnp.base import MXNetError

REPRS = [
    (lambda: nd.array([1,2]), "\n[1. 2.]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.array([[1,2]]), "\n[[1. 2.]]\n<NDArray 1x2 @cpu(0)>"),
    (lambda: nd.array(3), "\n3.0\n<NDArray  @cpu(0)>"),
    (lambda: nd.array([1,2], dtype="int32"), "\n[1 2]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.arange(2000), ("\n[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]"
                        "\n<NDArray 2000 @cpu(0)>")),
    (lambda: nd.array([1.123456789, 2e-5]), "\n[1.1234568e+00 1.9999999e-05]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.array([[1e10, 1]]), "\n[[1.e+10 1.e+00]]\n<NDArray 1x2 @cpu(0)>"),
    (lambda: nd.array(onp.zeros((2, 0))), "\n[]\n<NDArray 2x0 @cpu(0)>"),
    (lambda: nd.zeros((2,3,4)), ("\n[[[0. 0. 0. 0.]\n  [0. 0. 0. 0.]\n  [0. 0. 0. 0.]]\n\n"
                                 " [[0. 0. 0. 0.]\n  [0. 0. 0. 0.]\n  [0. 0. 0. 0.]]]"
                                 "\n<NDArray 2x3x4 @cpu(0)>")),
    (lambda: nd.array([True, False], dtype="bool"), "\n[ True False]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.array([1,2], dtype="float64"), "\n[1. 2.]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.array([1,2], dtype="float16"), "\n[1. 2.]\n<NDArray 2 @cpu(0)>"),
    (lambda: nd.array([-1.5, 0, 2.25]), "\n[-1.5   0.    2.25]\n<NDArray 3 @cpu(0)>"),
    (lambda: nd.array([1,2],dtype="int64")[0], "\n[1]\n<NDArray 1 @cpu(0)>"),
    (lambda: nd.arange(12).reshape((3,4)), ("\n[[ 0.  1.  2.  3.]\n [ 4.  5.  6.  7.]"
                                            "\n [ 8.  9. 10. 11.]]\n<NDArray 3x4 @cpu(0)>")),
    (lambda: nd.array([float("nan"), float("inf"), -float("inf")]),
     "\n[ nan  inf -inf]\n<NDArray 3 @cpu(0)>"),
    (lambda: nd.ones((1001,)), "\n[1. 1. 1. ... 1. 1. 1.]\n<NDArray 1001 @cpu(0)>"),
    (lambda: nd.array([0.1, 0.2, 0.3]) * 3,
     "\n[0.3        0.6        0.90000004]\n<NDArray 3 @cpu(0)>"),
    (lambda: nd.array([123456789.0]), "\n[1.2345679e+08]\n<NDArray 1 @cpu(0)>"),
]


@pytest.mark.parametrize("make, text", REPRS, ids=range(len(REPRS)))
def test_repr_matches_mxnet(make, text):
    x = make()
    assert repr(x) == text
    assert str(x) == text


def test_array_defaults_to_float32_and_keeps_an_ndarray_source_dtype():
    assert nd.array([1, 2]).dtype == onp.float32
    assert nd.array(onp.array([1, 2], dtype="int64")).dtype == onp.float32
    assert nd.array(onp.array([1.0, 2.0])).dtype == onp.float32
    assert nd.array(nd.array([1, 2], dtype="int32")).dtype == onp.int32
    assert nd.array([1, 2], dtype="int64").dtype == onp.int64
    for make in (nd.zeros((2,)), nd.ones(2), nd.full((2,), 3), nd.arange(3), nd.empty((1,))):
        assert type(make) is nd.NDArray and make.dtype == onp.float32


def test_dtype_is_numpys_scalar_type_as_in_mxnet_1x():
    # MXNet 1.9.1 (mxref): mx.nd arrays give numpy.float32, printed "<class 'numpy.float32'>";
    # mx.np arrays give dtype('float32')
    x = nd.array([1, 2])
    x.attach_grad()
    assert x.dtype is onp.float32 and str(x.dtype) == "<class 'numpy.float32'>"
    assert (x + 1).dtype is onp.float32 and x.grad.dtype is onp.float32
    assert x.astype("float16").dtype is onp.float16
    assert nd.zeros((2,), dtype="int64").dtype is onp.int64
    assert nd.argmax(nd.ones((2, 2)), axis=0).dtype is onp.float32
    assert x.as_np_ndarray().dtype == onp.dtype("float32")
    assert isinstance(x.as_np_ndarray().dtype, onp.dtype) and isinstance(x.asnumpy().dtype,
                                                                          onp.dtype)
    assert np.ones(2).as_nd_ndarray().dtype is onp.float32
    # what mxnp does with it inside still works: saving, the scalar rule, float16 layers
    assert nd.array([3], dtype="int32").__mul__(2.5).asnumpy().tolist() == [6]
    assert nd.BatchNorm(nd.ones((2, 3), dtype="float16"), *(nd.ones(3) for _ in range(4)),
                        fix_gamma=False).dtype is onp.float16


def test_mx_nd_alias_and_np_namespaces():
    assert mxnp.nd is nd and mxnp.ndarray is nd
    assert nd.np is mxnp.np and nd.npx is mxnp.npx


def test_operators_keep_the_array_dtype():
    b = nd.array([1, 2], dtype="int32")
    for got, want in ((b / 2, [0, 1]), (b + 1.5, [2, 3]), (b == 1, [1, 0]), (3 - b, [2, 1])):
        assert got.dtype == onp.int32 and type(got) is nd.NDArray
        onp.testing.assert_array_equal(got.asnumpy(), want)
    a = nd.array([1, 2])
    for got, want in ((a > 1, [0, 1]), (1 < a, [0, 1]), (a != 1, [0, 1]), (2 ** a, [2, 4]),
                      (a ** 2, [1, 4]), (-a, [-1, -2]), (abs(-a), [1, 2]), (a % 2, [1, 0]),
                      (3 / a, [3, 1.5])):
        assert got.dtype == onp.float32 and type(got) is nd.NDArray
        onp.testing.assert_array_equal(got.asnumpy(), want)


def test_operators_broadcast_and_refuse_mixed_dtypes():
    got = nd.array([1.5]) + nd.array([[1], [2]])
    onp.testing.assert_array_equal(got.asnumpy(), [[2.5], [3.5]])
    with pytest.raises(MXNetError, match="add.*int32"):
        nd.array([1, 2]) + nd.array([1, 2], dtype="int32")
    assert (nd.array([1]) == None) is False


def test_inplace_operators_write_the_same_array():
    a = nd.array([1, 2])
    before = a
    a += 1
    a *= 2
    assert a is before
    onp.testing.assert_array_equal(a.asnumpy(), [4, 6])


@pytest.mark.parametrize("shape, codes, reverse, want", [
    ((3, 4), (0, -1), False, (3, 4)), ((3, 4), (-4, 1, 3, 0), False, (1, 3, 4)),
    ((3, 4), (-3,), False, (12,)), ((3, 4), (-2,), False, (3, 4)),
    ((3, 4), (6, -1), True, (6, 2)), ((2, 3, 4), (-1, 0), True, (6, 4)),
    ((2, 3, 4), (0, -3), False, (2, 12)), ((2, 3, 4), (-4, -1, 2, -2), False, (1, 2, 3, 4)),
    # reverse reads the codes from the right, a -4 after its two values (MXNet 1.9.1)
    ((64,), (16, 4, -4), True, (16, 4)), ((1, 2, 3, 64), (-2, -1, 16, -4), True, (1, 2, 3, 4, 16)),
    ((2, 3, 5, 5), (5, 3, 0, -1), True, (5, 3, 5, 2)),
])
def test_reshape_codes(shape, codes, reverse, want):
    x = nd.arange(int(onp.prod(shape))).reshape(shape)
    assert x.reshape(codes, reverse=reverse).shape == want
    assert nd.Reshape(x, shape=codes, reverse=reverse).shape == want
    onp.testing.assert_array_equal(x.reshape(codes, reverse=reverse).asnumpy().ravel(),
                                   onp.arange(int(onp.prod(shape))))


def test_reshape_forms_and_errors():
    m = nd.arange(12).reshape((3, 4))
    assert m.reshape(2, 6).shape == m.reshape(shape=(2, -1)).shape == (2, 6)
    with pytest.raises(ValueError, match=r"Cannot reshape array of size 12 into shape \(5,\)"):
        m.reshape((5,))  # MXNet 1.9.1's message (mxref)


def test_reductions_give_shape_one_for_all_axes():
    m = nd.array(onp.arange(12).reshape(3, 4))
    ref = onp.arange(12).reshape(3, 4).astype("float32")
    for name in ("sum", "mean", "max", "min", "prod"):
        full = getattr(m, name)()
        assert full.shape == (1,) and type(full) is nd.NDArray
        onp.testing.assert_allclose(full.asnumpy(), [getattr(ref, name)()])
        onp.testing.assert_allclose(getattr(m, name)(axis=1, exclude=True).asnumpy(),
                                    getattr(ref, name)(axis=0))
        onp.testing.assert_allclose(getattr(nd, name)(m, axis=0, keepdims=True).asnumpy(),
                                    getattr(ref, name)(axis=0, keepdims=True))


def test_indexing_and_assignment():
    m = nd.arange(12).reshape((3, 4))
    # MXNet 1.x: one element is shape (1,)
    assert m[1].shape == (4,) and m[1, 2].shape == (1,) and type(m[1]) is nd.NDArray
    m[1] = 5
    m[0, 1:3] = nd.array([7, 8])
    m[2, :] = onp.array([1, 2, 3, 4])
    want = [[0, 7, 8, 3], [5, 5, 5, 5], [1, 2, 3, 4]]
    onp.testing.assert_array_equal(m.asnumpy(), want)
    onp.testing.assert_array_equal(m[nd.array([0, 2])].asnumpy(), [want[0], want[2]])
    assert [r.shape for r in m] == [(4,)] * 3


def test_conversions():
    a = nd.array([1, 2])
    assert nd.array([5]).asscalar() == 5.0 and type(nd.array([5]).asscalar()) is onp.float32
    assert nd.array(3).asscalar() == 3.0
    with pytest.raises(ValueError, match="asscalar"):
        a.asscalar()
    assert a.context == mxnp.cpu() and a.ctx == mxnp.cpu()
    assert type(a.as_in_context(mxnp.cpu())) is nd.NDArray
    assert type(a.copyto(mxnp.cpu())) is nd.NDArray and type(a.copy()) is nd.NDArray
    assert a.astype("int32").dtype == onp.int32 and type(a.astype("int32")) is nd.NDArray
    assert a.astype("float32", copy=False) is a
    assert nd.ones((2, 3, 4)).flatten().shape == (2, 12)
    assert a.stype == "default"


# MXNet 1.9.1 (mxref): NDArray has no bitwise, //, @, unary +/~, round(), float()/int()/
# complex() of its own, so Python's TypeErrors show; `in` iterates the first axis.
@pytest.mark.parametrize("expr, message", [
    ("a | b", "unsupported operand type(s) for |: 'NDArray' and 'NDArray'"),
    ("a & b", "unsupported operand type(s) for &: 'NDArray' and 'NDArray'"),
    ("a ^ 1", "unsupported operand type(s) for ^: 'NDArray' and 'int'"),
    ("1 | a", "unsupported operand type(s) for |: 'int' and 'NDArray'"),
    ("a << 1", "unsupported operand type(s) for <<: 'NDArray' and 'int'"),
    ("a // 2", "unsupported operand type(s) for //: 'NDArray' and 'int'"),
    ("2 // a", "unsupported operand type(s) for //: 'int' and 'NDArray'"),
    ("m @ m", "unsupported operand type(s) for @: 'NDArray' and 'NDArray'"),
    ("~a", "bad operand type for unary ~: 'NDArray'"),
    ("+a", "bad operand type for unary +: 'NDArray'"),
    ("round(a)", "type NDArray doesn't define __round__ method"),
    ("float(a)", "float() argument must be a string or a real number, not 'NDArray'"),
    ("int(a)", "int() argument must be a string, a bytes-like object or a real number, "
               "not 'NDArray'"),
    ("complex(a)", "complex() first argument must be a string or a number, not 'NDArray'"),
    ("'{:.2f}'.format(a)", "unsupported format string passed to NDArray.__format__"),
])
def test_operators_mxnet_1x_ndarray_lacks(expr, message):
    env = {"a": nd.array([1], dtype="int32"), "b": nd.array([3], dtype="int32"),
           "m": nd.ones((2, 2))}
    with pytest.raises(TypeError) as err:
        eval(expr, env)
    assert str(err.value) == message


def test_inplace_floor_division_and_contains_as_mxnet_1x():
    a = nd.array([3.0])
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for //=: 'NDArray'"):
        a //= 2
    assert 3.0 in a and 4.0 not in nd.array([1.0, 2.0])
    with pytest.raises(ValueError, match="truth value of an NDArray with multiple elements"):
        3 in nd.ones((2, 2))


def test_np_and_nd_share_data_and_graph():
    a = nd.array([1, 2])
    n = a.as_np_ndarray()
    assert type(n) is np.ndarray and n.shape == (2,)
    n[0] = 9
    assert a.asnumpy()[0] == 9  # the same storage
    x = nd.array([1, 2, 3])
    x.attach_grad()
    with autograd.record():
        y = (x.as_np_ndarray() * 2).sum()
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [2, 2, 2])


def test_grad_through_fully_connected_is_an_ndarray():
    xv = onp.array([[1.0, 2, 3], [4, 5, 6]], dtype="float32")
    wv = onp.arange(12, dtype="float32").reshape(4, 3) / 10
    x, w, b = nd.array(xv), nd.array(wv), nd.zeros(4)
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        y = nd.FullyConnected(x, w, b, num_hidden=4)
        z = (y * y).sum()
    z.backward()
    assert type(y) is nd.NDArray and type(x.grad) is nd.NDArray
    y_ref = xv @ wv.T
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * y_ref @ wv, rtol=1e-5)
    onp.testing.assert_allclose(w.grad.asnumpy(), 2 * y_ref.T @ xv, rtol=1e-5)


def test_detach_and_block_grad_stop_the_gradient():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x.detach() + nd.BlockGrad(x) * 3
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [1, 2])


def test_out_argument_and_name_are_accepted():
    a = nd.array([1, 2])
    out = nd.zeros(2)
    got = nd.relu(a - 1.5, out=out, name="r")
    assert got is out
    onp.testing.assert_array_equal(out.asnumpy(), [0, 0.5])


def test_fluent_methods_match_the_operators():
    x = nd.array([[1.0, -2.0, 3.0]])
    onp.testing.assert_array_equal(x.relu().asnumpy(), nd.relu(x).asnumpy())
    onp.testing.assert_array_equal(x.slice_axis(axis=1, begin=0, end=2).asnumpy(), [[1, -2]])
    onp.testing.assert_array_equal(x.argmax(axis=1).asnumpy(), [2])
    assert x.argmax(axis=1).dtype == onp.float32
    assert x.expand_dims(0).shape == (1, 1, 3) and x.exp().dtype == onp.float32


def test_pickle_round_trip_keeps_class_and_dtype():
    import pickle

    a = nd.array([[1, 2]], dtype="int32")
    b = pickle.loads(pickle.dumps(a))
    assert type(b) is nd.NDArray and b.dtype == onp.int32
    onp.testing.assert_array_equal(b.asnumpy(), [[1, 2]])


def test_split_v2_method():
    parts = nd.arange(4).reshape((2, 2)).split_v2(2, axis=1)
    assert [type(p) for p in parts] == [nd.NDArray] * 2
    assert [p.asnumpy().tolist() for p in parts] == [[[0.0], [2.0]], [[1.0], [3.0]]]


def test_unravel_index_leaves_the_first_coordinate_unbounded():
    # MXNet 1.9.1 (mxref): its kernel takes no modulo for the first axis (whose size may be -1)
    got = nd.unravel_index(nd.array([7, 13, 27]), shape=(2, 5))
    assert got.asnumpy().tolist() == [[1, 2, 5], [2, 3, 2]]
    got = nd.unravel_index(nd.array([7, 13]), shape=(-1, 5))
    assert got.asnumpy().tolist() == [[1, 2], [2, 3]]


def test_potrf_and_potri_with_the_upper_factor():
    # MXNet 1.9.1 (mxref): lower=False gives U with A = U^T U; potri inverts from it
    a = nd.array([[4., 2.], [2., 5.]])
    upper = nd.linalg.potrf(a, lower=False)
    assert upper.asnumpy().tolist() == [[2.0, 1.0], [0.0, 2.0]]
    want = [[0.3125, -0.125], [-0.125, 0.25]]
    assert onp.allclose(nd.linalg.potri(upper, lower=False).asnumpy(), want)
    assert onp.allclose(nd.linalg.potri(nd.linalg.potrf(a)).asnumpy(), want)


def test_col2im_leaves_the_positions_no_block_covers_at_zero():
    # MXNet 1.9.1 (mxref): a 3x3 kernel at stride 2 over 6x6 covers 5x5; the rest is 0
    x = nd.arange(36).reshape((1, 1, 6, 6))
    col = nd.im2col(x, kernel=(3, 3), stride=(2, 2))
    back = nd.col2im(col, (6, 6), kernel=(3, 3), stride=(2, 2)).asnumpy()[0, 0]
    assert back.shape == (6, 6) and back[5].tolist() == [0.0] * 6 and back[:, 5].tolist() == [0.0] * 6
    assert back[:5, :5].tolist() == [[0, 1, 4, 3, 4], [6, 7, 16, 9, 10], [24, 26, 56, 30, 32],
                                     [18, 19, 40, 21, 22], [24, 25, 52, 27, 28]]


def test_col2im_with_pad_stride_and_dilation():
    # MXNet 1.9.1 (mxref): only the positions the dilated blocks cover hold sums
    x = nd.arange(49).reshape((1, 1, 7, 7))
    kw = dict(kernel=(3, 3), stride=(2, 2), dilate=(2, 2), pad=(1, 1))
    back = nd.col2im(nd.im2col(x, **kw), (7, 7), **kw).asnumpy()[0, 0]
    want = onp.zeros((7, 7))
    want[1::2, 1::2] = [[32, 60, 48], [132, 216, 156], [144, 228, 160]]
    assert back.tolist() == want.tolist()


def test_block_rearrangements_and_diag_check_their_arguments_as_mxnet():
    # MXNet 1.9.1 (mxref): each of these is an MXNetError
    x = nd.ones((1, 4, 2, 2))
    for call in (lambda: nd.depth_to_space(x, 0), lambda: nd.space_to_depth(x, 0),
                 lambda: nd.depth_to_space(nd.ones((1, 3, 2, 2)), 2),
                 lambda: nd.space_to_depth(nd.ones((1, 1, 3, 2)), 2),
                 lambda: nd.depth_to_space(nd.array(onp.ones((1, 4, 0, 3))), 2),
                 lambda: nd.diag(nd.ones((3, 4)), k=5)):
        with pytest.raises(MXNetError):
            call()
    assert nd.depth_to_space(x, 2).shape == (1, 1, 4, 4)
    assert nd.diag(nd.ones((3, 4)), k=-3).shape == (0,) and nd.diag(nd.ones((3, 4)), k=3).shape == (1,)


def test_zeros_and_ones_need_np_shape_for_unknown_looking_shapes():
    # MXNet 1.9.1 (mxref): outside np_shape, () and 0 sizes mean "unknown" and nd.zeros/ones
    # fail to infer them; graphs keep such nodes until shape inference fills them
    import mxnp

    for make in (nd.zeros, nd.ones):
        for shape in ((), (0, 1, 3, 0), (2, 0)):
            with pytest.raises(MXNetError, match="inferring shapes failed"):
                make(shape)
    with mxnp.np_shape():
        assert nd.ones(()).shape == () and nd.zeros((0, 1, 0, 4)).shape == (0, 1, 0, 4)


def test_binary_functions_on_two_numbers_give_python_numbers():
    # MXNet 1.9.1 (mxref): the Python-level functions compute numbers themselves
    assert repr(nd.power(0.9, 3)) == "0.7290000000000001"
    assert [nd.maximum(5, 2.5), nd.minimum(2.5, 2), nd.modulo(5, 2), nd.divide(5, 2)] == \
        [5, 2, 1, 2.5]
    results = [nd.equal(2, 2), nd.greater(1, 2), nd.logical_xor(1, 0), nd.logical_and(3, 0.5)]
    assert results == [1, 0, 1, 1] and all(type(r) is int for r in results)
    assert nd.power(nd.array([2.0]), 2).asnumpy().tolist() == [4.0]


def test_reshape_is_a_view_of_a_contiguous_array():
    # MXNet 1.9.1: NDArray.reshape shares memory (nd.zeros((6,)).reshape((2, 3))[:] = 1
    # fills the source), also of a first-axis slice; the gradient still flows through it
    a = nd.zeros((6,))
    a.reshape((2, 3))[:] = 1
    assert a.asnumpy().tolist() == [1.0] * 6
    b = nd.zeros((6,))
    b[1:5].reshape((2, 2))[:] = 1
    assert b.asnumpy().tolist() == [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    b.attach_grad()
    with autograd.record():
        y = b.reshape((2, 3)) * 2
    y.backward()
    assert b.grad.asnumpy().tolist() == [2.0] * 6


def test_gradients_of_legacy_arrays_read_their_dtype_kind():
    # the VJP rules see the NDArray inputs themselves, whose dtype is a scalar type
    x, y = nd.array([5.0, 7.0]), nd.array([2.0, 3.0])
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        z = (x % y).sum() + nd.mean(x.astype("float16")).astype("float32")
    z.backward()
    assert x.grad.asnumpy().tolist() == [1.5, 1.5] and y.grad.asnumpy().tolist() == [-2, -2]
    with autograd.record():
        w = x * 3
    w.backward(nd.array([1.0, 2.0]))  # a head gradient given as an NDArray
    assert x.grad.asnumpy().tolist() == [3, 6]
