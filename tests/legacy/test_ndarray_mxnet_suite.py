"""mx.nd behaviour MXNet 1.9.1's own test_ndarray.py relies on; expected values recorded from
MXNet 1.9.1 (mxref) or computed with NumPy."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd
from mxnp.testing import check_grads


def test_slice_assign_and_its_crop_names():
    x, z = mx.nd.ones((2, 3, 4)), mx.nd.zeros((2, 1, 3))
    got = mx.nd._internal._crop_assign(x, z, begin=(0, 0, 0), end=(2, 1, 3))
    want = onp.ones((2, 3, 4), "float32")
    want[:, :1, :3] = 0
    assert (got.asnumpy() == want).all()
    assert (x.asnumpy() == 1).all()  # a new array, unless out= is x
    mx.nd._internal._slice_assign(x, z, begin=(0, 0, 0), end=(2, 1, 3), out=x)
    assert (x.asnumpy() == want).all()
    five = mx.nd._internal._slice_assign_scalar(mx.nd.ones((2, 3, 4)), scalar=5,
                                                begin=(0, None, 1), end=(None, None, None),
                                                step=(1, 2, 2))
    want = onp.ones((2, 3, 4), "float32")
    want[0:, ::2, 1::2] = 5
    assert (five.asnumpy() == want).all()
    assert (mx.nd._internal._crop_assign_scalar(mx.nd.ones((2,)), scalar=2, begin=(1,),
                                                end=(2,)).asnumpy() == [1, 2]).all()


def test_broadcast_like_refuses_empty_or_unpaired_axes():
    lhs, rhs = mx.nd.ones((1, 2)), mx.nd.ones((3, 2))
    with pytest.raises(mx.MXNetError, match="empty tuple of axes"):
        mx.nd.broadcast_like(lhs, rhs, lhs_axes=(), rhs_axes=())
    with pytest.raises(mx.MXNetError, match="differ in length"):
        mx.nd.broadcast_like(lhs, rhs, lhs_axes=(0,), rhs_axes=())
    assert mx.nd.broadcast_like(lhs, rhs, lhs_axes=(0,), rhs_axes=(0,)).shape == (3, 2)


def _conv_plus_two():
    with mx.name.NameManager():
        return mx.sym.Convolution(kernel=(3, 3), num_filter=2, name="c") + 2


def test_cached_op_runs_a_symbol_on_arrays():
    op = mx.nd.CachedOp(_conv_plus_two())
    data, weight, bias = mx.nd.ones((1, 1, 4, 4)), mx.nd.ones((2, 1, 3, 3)), mx.nd.ones((2,))
    out = op(data, weight, bias)
    assert isinstance(out, mx.nd.NDArray) and out.shape == (1, 2, 2, 2)
    assert (out.asnumpy() == 12).all()  # 9 ones + bias 1 + 2
    target = mx.nd.zeros((1, 2, 2, 2))
    assert op(data, weight, bias * 2, out=target) is target
    assert (target.asnumpy() == 13).all()
    with pytest.raises(ValueError, match="CachedOp: 2 arrays"):
        op(data, weight)


def test_cached_op_gradient_against_central_differences():
    op = mx.nd.CachedOp(_conv_plus_two())
    rng = onp.random.default_rng(0)
    args = [mx.nd.array(rng.normal(size=s)) for s in ((1, 1, 4, 4), (2, 1, 3, 3), (2,))]
    check_grads(lambda d, w, b: op(d, w, b) ** 2, *args, order=1)
    w = args[1]
    w.attach_grad()
    with autograd.record():
        y = op(args[0], w, args[2])
    y.backward()
    assert w.grad.shape == (2, 1, 3, 3)


def test_reshape_by_the_deprecated_target_shape():
    x = mx.nd.zeros((2, 3, 5, 5))
    # recorded from MXNet 1.9.1
    assert mx.nd.Reshape(x, target_shape=(2, 0)).shape == (2, 75)
    assert mx.nd.Reshape(x, target_shape=(7, 0, 5), keep_highest=True).shape == (2, 15, 5)


def test_tile_refuses_reps_below_one():
    data = mx.nd.arange(4).reshape((2, 2))
    for reps in ((1, 2, -3), (1, 0, 3), (0,)):  # MXNetError in MXNet 1.9.1 for each
        with pytest.raises(mx.MXNetError, match="tile: reps must be positive"):
            mx.nd.tile(data, reps)
    assert mx.nd.tile(data, 2).shape == (2, 4)
    assert mx.nd.tile(data, ()).shape == (2, 2)


def test_multi_all_finite_takes_num_arrays():
    finite, inf = mx.nd.array([[0, 0]]), mx.nd.array([[onp.inf, 1]])
    assert mx.nd.multi_all_finite(finite, inf, num_arrays=2).asnumpy().tolist() == [0.0]
    s = mx.sym.multi_all_finite(mx.sym.var("a"), mx.sym.var("b"), num_arrays=2)
    assert s.list_attr() == {"num_arrays": "2"}
    assert s.eval(a=finite, b=finite)[0].asnumpy().tolist() == [1.0]


def test_check_numeric_gradient_casts_integer_inputs_to_its_dtype():
    # MXNet 1.9.1 makes every input an array of the check's dtype, integers included
    data = mx.sym.var("data")
    ints = onp.arange(12).reshape((3, 4))
    mx.test_utils.check_numeric_gradient(mx.sym.repeat(data, repeats=2, axis=0), [ints],
                                         numeric_eps=1e-3, rtol=1e-2)
    out = mx.test_utils.check_symbolic_forward(data * 0.5, [ints], [ints * 0.5])
    assert out[0].dtype == onp.float32


def _ctc_inputs():
    acts = mx.nd.array(onp.random.RandomState(0).normal(size=(4, 2, 5)))
    return acts, mx.nd.array([[2, 3, 0], [1, 0, 0]])


@pytest.mark.parametrize("kwargs, labels, want", [  # losses recorded from MXNet 1.9.1
    ({}, None, [6.446659, 4.3424416]),
    ({"blank_label": "last"}, None, [5.7174497, 5.6952066]),
    ({"blank_label": "last"}, [[2, 3, -1], [1, -1, -1]], [5.3290105, 3.5682592]),
    ({"data_lengths": [3, 2], "use_data_lengths": True}, None, [5.7905793, 1.1430126]),
    ({"label_lengths": [1, 1], "use_label_lengths": True}, None, [5.0540853, 4.3424416]),
])
def test_ctc_loss_as_mxnet(kwargs, labels, want):
    acts, label = _ctc_inputs()
    label = label if labels is None else mx.nd.array(labels)
    kwargs = {k: mx.nd.array(v) if k.endswith("lengths") else v for k, v in kwargs.items()}
    got = mx.nd.ctc_loss(acts, label, **kwargs)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-5)
    assert mx.nd.contrib.ctc_loss is mx.nd.CTCLoss is mx.nd.contrib.CTCLoss


def test_ctc_loss_gradient_against_central_differences():
    acts, label = _ctc_inputs()
    check_grads(lambda a: mx.nd.ctc_loss(a, label), acts, order=1, rtol=1e-4, atol=1e-6)


def test_pick_takes_an_index_with_the_axis_kept():
    data = mx.nd.array(onp.arange(6.0).reshape((2, 3)))
    kept = mx.nd.array([[2], [0]])
    assert mx.nd.pick(data, kept, axis=1).asnumpy().tolist() == [2.0, 3.0]
    assert mx.nd.pick(data, kept, axis=1, keepdims=True).asnumpy().tolist() == [[2.0], [3.0]]


def test_correlation_absolute_difference_gradient_at_ties():
    # MXNet takes |d|'s gradient as +1 where d = 0 (padding meets padding, equal values)
    a = mx.nd.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    b = mx.nd.array([[[[1.0, 0.0], [3.0, 5.0]]]])
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        y = mx.nd.Correlation(a, b, kernel_size=1, max_displacement=1, pad_size=1,
                              is_multiply=False)
    y.backward()
    assert y.shape == (1, 9, 2, 2)
    # recorded from MXNet 1.9.1
    assert a.grad.asnumpy().tolist() == [[[[5.0, 5.0], [7.0, 7.0]]]]
    assert b.grad.asnumpy().tolist() == [[[[-4.0, -4.0], [0.0, 4.0]]]]
    # away from ties the gradient is |d|'s: checked against central differences
    u0 = mx.nd.array(onp.random.RandomState(1).normal(size=(1, 2, 4, 4)))
    v0 = mx.nd.array(onp.random.RandomState(2).normal(size=(1, 2, 4, 4)))
    check_grads(lambda u, v: mx.nd.Correlation(u, v, max_displacement=1, is_multiply=False),
                u0, v0, order=1)


def test_sync_batch_norm_gives_the_variance_as_its_third_output():
    x = mx.nd.array(onp.arange(8.0).reshape((4, 2)))
    with autograd.record():
        out = mx.nd.contrib.SyncBatchNorm(x, mx.nd.ones(2), mx.nd.zeros(2), mx.nd.zeros(2),
                                          mx.nd.ones(2), output_mean_var=True, key="k",
                                          fix_gamma=False)
    # recorded from MXNet 1.9.1: the batch mean and variance (BatchNorm gives 1/std there)
    onp.testing.assert_allclose(out[1].asnumpy(), [3.0, 4.0])
    onp.testing.assert_allclose(out[2].asnumpy(), [5.0, 5.0], rtol=1e-5)
    bn = mx.sym.BatchNorm_v1(mx.sym.var("d"), name="bn")
    assert bn.infer_shape(d=(2, 3))[0] == [(2, 3), (3,), (3,)]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "uint8",
                                   "int8"])
def test_legacy_arg_reductions_answer_in_the_data_dtype(dtype):
    # MXNet 1.9.1 (mxref): argmax, argmin, argmax_channel and NDArray.argmax give the index in
    # the data's own dtype
    a = mx.nd.array([[1, 3, 2], [4, 0, 5]], dtype=dtype)
    for r, want in ((mx.nd.argmax(a, axis=1), [1, 2]), (mx.nd.argmin(a, axis=0), [0, 1, 0]),
                    (mx.nd.argmax(a), [5]), (mx.nd.argmax_channel(a), [1, 2]),
                    (a.argmax(axis=1), [1, 2])):
        assert r.dtype == onp.dtype(dtype) and r.asnumpy().tolist() == want


def test_legacy_reshape_code_mismatch_is_a_value_error():
    # MXNet 1.9.1 (mxref): its Python method's ValueError, naming the shape as it was passed
    with pytest.raises(ValueError, match=r"^Cannot reshape array of size 12 into shape \(-3,\)$"):
        mx.nd.ones((2, 3, 2)).reshape((-3,))


@pytest.mark.parametrize("shape, error, message", [  # MXNet 1.9.1 (mxref), x = arange(6)
    ((3, 1), ValueError, "Cannot reshape array of size 6 into shape (3, 1)"),
    ([3, 1], ValueError, "Cannot reshape array of size 6 into shape [3, 1]"),
    ((4, -1), ValueError, "Cannot reshape array of size 6 into shape (4, -1)"),
    ((7,), mx.MXNetError, "NDArray.Reshape: Check failed: shape_.Size() >= shape.Size() "
                          "(6 vs. 7) : target shape size is larger than the current shape"),
    ((0, 2), mx.MXNetError, "(6 vs. 12) : target shape size is larger than the current shape"),
    ((-3,), mx.MXNetError, "Check failed: src_idx < dshape_len-1 (0 vs. 0) :"),
    ((-4, 2, 2), mx.MXNetError, "Split dims 2, 2 do not divide original dim 6"),
])
def test_legacy_reshape_method_errors_as_mxnet(shape, error, message):
    with pytest.raises(error) as e:
        mx.nd.arange(6).reshape(shape)
    assert message in str(e.value)
