"""Behaviours MXNet 1.9.1's own NumPy-interface unit tests check, found by running those tests
against mxnp; each expected value was read off the real MXNet 1.9.1 (``/work/shared/tools/mxref``).
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import MXNetError


@pytest.mark.parametrize("call", [
    lambda x: np.sqrt(x, where=True, casting="same_kind", order="K", dtype=None, subok=True),
    lambda x: np.add(x, x, where=True),
    lambda x: np.maximum(x, 1.0, order="K"),
])
def test_ufunc_keywords_at_their_defaults_are_accepted(call):
    x = np.array([1.0, 4.0])
    assert call(x).shape == (2,)


@pytest.mark.parametrize("kwargs, error", [
    ({"where": False}, NotImplementedError), ({"subok": False}, NotImplementedError),
    ({"dtype": onp.int8}, NotImplementedError), ({"dtype": "abcdefg"}, TypeError),
    ({"casting": "safe"}, NotImplementedError), ({"casting": "mxnet"}, TypeError),
    ({"order": "C"}, NotImplementedError), ({"order": "mxnet"}, NotImplementedError),
    ({"axis": 0}, TypeError),
])
def test_ufunc_keywords_mxnet_does_not_implement(kwargs, error):
    x = np.array([1.0, 4.0])
    for f, args in ((np.sqrt, (x,)), (np.add, (x, x)), (np.invert, (np.array([1, 2]),))):
        with pytest.raises(error, match=f.__name__):
            f(*args, **kwargs)


def test_mod_has_zero_gradient_for_integer_inputs():
    # MXNet: int32 mod and remainder give zero gradients to both inputs; floats do not
    for dtype, want_x, want_y in (("int32", [0, 0, 0], [0, 0, 0]),
                                  ("float64", [1, 1, 1], [-2, -2, -2])):
        x = np.array([5, 7, 9], dtype=dtype)
        y = np.array([2, 3, 4], dtype=dtype)
        x.attach_grad()
        y.attach_grad()
        with autograd.record():
            out = np.remainder(x, y)
        out.backward()
        assert x.grad.dtype == onp.dtype(dtype)
        assert x.grad.asnumpy().tolist() == want_x and y.grad.asnumpy().tolist() == want_y


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sigmoid_of_a_zero_dim_array(dtype):
    x = np.array(0.5, dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = npx.sigmoid(x)
    y.backward()
    want = 1 / (1 + onp.exp(-0.5))
    assert y.shape == () and y.dtype == onp.dtype(dtype)
    assert onp.allclose(y.asnumpy(), want, rtol=1e-3)
    assert onp.allclose(x.grad.asnumpy(), want * (1 - want), rtol=1e-3)


@pytest.mark.parametrize("itype, dtype", [("float32", "float16"), ("float16", "float16"),
                                          ("float16", "float32"), ("int8", "int8")])
def test_sum_to_a_dtype_adds_in_a_wider_type(itype, dtype):
    # MXNet adds float16 in float32 and float32 in float64, then casts to dtype; NumPy would
    # add in dtype (here the float16 results differ in the last digits)
    rng = onp.random.RandomState(0)
    x = (rng.uniform(-1, 1, (3, 2000)) * (100 if itype == "int8" else 1)).astype(itype)
    wide = {"float16": "float32", "float32": "float64", "int8": "int64"}[itype]
    want = x.astype(wide).sum(axis=1).astype(dtype)
    got = np.sum(np.array(x), axis=1, dtype=dtype)
    assert got.dtype == onp.dtype(dtype)
    assert got.asnumpy().tolist() == want.tolist()


def test_array_from_python_ints_out_of_range_wraps_as_mxnet():
    # MXNet 1.9.1 (NumPy 1.23 below it) wraps; NumPy 2 alone raises OverflowError
    assert np.array([20, 200], dtype=onp.int8).asnumpy().tolist() == [20, -56]
    assert np.array([-1, 300], dtype=onp.uint8).asnumpy().tolist() == [255, 44]
    assert np.array(-3, dtype="uint8").asnumpy().tolist() == 253
    assert np.array([1, 2], dtype="int8").dtype == onp.int8


@pytest.mark.parametrize("f, want", [(np.stack, (4, 2, 3)), (np.vstack, (4, 1)),
                                     (np.hstack, (4,)), (np.dstack, (1, 1, 4)),
                                     (np.column_stack, (1, 4)), (np.concatenate, (4,))])
def test_joining_takes_an_array_as_the_sequence_of_its_rows(f, want):
    # MXNet 1.9.1 and NumPy: an array is iterated along its first axis
    x = np.array(onp.random.rand(4, 1) if want != (4, 2, 3) else onp.random.rand(2, 4, 3))
    if want == (4, 2, 3):
        got = f(x, 1)
        assert onp.allclose(got.asnumpy(), onp.stack(list(x.asnumpy()), 1))
    else:
        got = f(x)
        assert onp.allclose(got.asnumpy(), getattr(onp, f.__name__)(list(x.asnumpy())))
    assert got.shape == want


def test_stack_of_an_array_passes_gradients_to_its_rows():
    x = np.ones((2, 3))
    x.attach_grad()
    with autograd.record():
        y = (np.stack(x, 1) * np.arange(2)).sum()
    y.backward()
    assert x.grad.asnumpy().tolist() == [[0, 0, 0], [1, 1, 1]]


def test_nonzero_of_a_zero_dim_array():
    # MXNet 1.9.1: (array([0]),) for a true scalar, (array([]),) for a false one
    assert [i.asnumpy().tolist() for i in np.nonzero(np.array(1))] == [[0]]
    assert [i.asnumpy().tolist() for i in np.array(0.0).nonzero()] == [[]]


def test_numpy_broadcast_arrays_and_meshgrid_answer_in_numpys_container():
    a, b = np.ones((2, 1)), np.ones((1, 3))
    numpy_type = type(onp.broadcast_arrays(onp.ones((2, 1)), onp.ones((1, 3))))
    assert type(onp.broadcast_arrays(a, b)) is numpy_type
    assert type(onp.meshgrid(np.ones(2), np.ones(3))) is type(onp.meshgrid(onp.ones(2)))
    assert type(np.broadcast_arrays(a, b)) is list  # mx.np's own, as MXNet's
    assert all(isinstance(x, np.ndarray) for x in onp.broadcast_arrays(a, b))


def test_float16_mean_adds_in_float32_and_its_gradient_keeps_the_input_precision():
    # MXNet adds float16 in float32, rounds the sum to float16 and divides in float16; NumPy
    # given dtype=float16 would add in float16 (mxref: [0.075927734375, -0.1846923828125,
    # 0.17041015625], where the float32 mean rounded would end in -0.18481, 0.17053)
    x = onp.random.RandomState(0).uniform(-1, 1, (3, 50)).astype("float16")
    want = x.astype("float32").sum(axis=1).astype("float16") / onp.float16(50)
    assert want.tolist() == [0.075927734375, -0.1846923828125, 0.17041015625]
    assert np.mean(np.array(x), axis=1).asnumpy().tolist() == want.tolist()
    x32 = np.array(x.astype("float32"))
    assert np.mean(x32, axis=1, dtype="float16").asnumpy().tolist() == want.tolist()
    # a float16 mean of float32 data: the gradient is 1/N in float32, not a float16 1/N
    x32.attach_grad()
    with autograd.record():
        y = x32[:, :3].mean(axis=1, dtype="float16")
    y.backward()
    assert (x32.grad.asnumpy()[:, :3] == onp.float32(1) / 3).all()


def test_float16_sum_and_prod_compute_in_float32_as_mxnet():
    # MXNet 1.9.1 (mxref): float16 sums and products run in float32, rounded once at the end
    v = (onp.random.RandomState(0).randn(50, 3) * 3).astype("float16")
    a = np.array(v)
    assert np.sum(a, axis=0).asnumpy().tolist() == [41.90625, 31.8125, -17.296875]
    assert np.sum(a).asnumpy().tolist() == 56.40625
    assert np.prod(a[:6], axis=0).asnumpy().tolist() == [285.25, -2.158203125, -9.5234375]
    assert np.mean(a, axis=0).asnumpy().tolist() == [0.837890625, 0.63623046875, -0.345947265625]
    assert np.var(a, axis=0).asnumpy().tolist() == [10.0703125, 9.03125, 8.203125]
    assert np.std(a, axis=0).asnumpy().tolist() == [3.173828125, 3.005859375, 2.86328125]
    assert np.sum(a, axis=0).dtype == np.prod(a[:6], axis=0).dtype == onp.float16
    # a wider dtype asked for: computed in it (mxref)
    assert np.sum(a, axis=0, dtype="float32").asnumpy().tolist() == \
        onp.float32([41.90826416015625, 31.80474853515625, -17.29345703125]).tolist()


@pytest.mark.parametrize("src, target, want", [((5,), (3, 4, -2), (3, 4, 5)),
                                               ((1, 0), (2, -2, -2), (2, 1, 0)),
                                               ((3, 4), (1, 0, -2, 4), (1, 0, 3, 4))])
def test_broadcast_to_keeps_the_input_size_where_the_shape_says_minus_two(src, target, want):
    # MXNet 1.9.1 (mxref): -2 copies the input's size on that (right-aligned) axis
    x = np.array(onp.random.rand(*src))
    x.attach_grad()
    with autograd.record():
        y = np.broadcast_to(x, target)
    y.backward()
    assert y.shape == want
    assert onp.array_equal(y.asnumpy(), onp.broadcast_to(x.asnumpy(), want))
    assert onp.array_equal(x.grad.asnumpy(), onp.ones(want).sum(
        axis=tuple(range(len(want) - len(src)))).reshape(src) if x.size else x.grad.asnumpy())
    with pytest.raises(ValueError, match="broadcast_to: -2"):
        np.broadcast_to(np.ones(4), (-2, 3, 4))


# ---- found by MXNet 1.9.1's test_numpy_ndarray.py / test_numpy_interoperability.py -----------
@pytest.mark.parametrize("make", [lambda a: a > 1.5, lambda a: a == 1, lambda a: a != 1,
                                  lambda a: a <= 2, np.logical_not, np.isnan, np.isfinite,
                                  lambda a: np.equal(a, a)])
def test_a_backward_from_a_comparison_gives_zero_gradients(make):
    # MXNet records comparisons and predicates; their gradient is zero (mxref: [0., 0.])
    a = np.array([1.0, 2.0])
    a.attach_grad()
    a.grad[...] = 7
    with autograd.record():
        out = make(a)
    out.backward()
    assert out.dtype == onp.bool_ and a.grad.asnumpy().tolist() == [0.0, 0.0]


def test_a_comparison_mask_times_a_variable_passes_the_mask():
    b = np.array([1.0, 2.0])
    b.attach_grad()
    with autograd.record():
        y = (b > 1.5) * b
    y.backward()
    assert b.grad.asnumpy().tolist() == [0.0, 1.0]


def test_every_mxnp_array_is_an_instance_of_the_1x_ndarray_class():
    import mxnp.ndarray as nd

    assert isinstance(np.ones(2), nd.NDArray) and issubclass(np.ndarray, nd.NDArray)
    assert isinstance(nd.ones(2), nd.NDArray) and not isinstance(1.0, nd.NDArray)
    assert not isinstance(onp.ones(2), nd.NDArray)
    # the faces stay apart where mxnp tells them by type: np + nd still answers as np
    assert type(np.ones(2) + nd.ones(2)) is np.ndarray


def test_a_block_giving_a_1x_ndarray_in_numpy_mode_raises_as_mxnet():
    from mxnp.gluon import Block, HybridBlock

    class Mixed(HybridBlock):
        def hybrid_forward(self, F, x):
            return x.as_nd_ndarray() + 1, F.np.multiply(x, x)

    class Plain(Block):
        def forward(self, x):
            return [x, (x, x.as_nd_ndarray())]

    npx.set_np()
    for net, hybridize in ((Mixed(), False), (Mixed(), True), (Plain(), False)):
        if hybridize:
            net.hybridize()
        with pytest.raises(TypeError, match="must be of type `mxnet.numpy.ndarray`"):
            net(np.ones((2, 3)))


def test_copy_takes_only_order_c():
    a = np.array([2, 3, 4, 5], dtype="int32")
    assert a.copy(order="C").tolist() == [2, 3, 4, 5]
    with pytest.raises(NotImplementedError, match="order='C', while received F"):
        a.copy(order="F")


@pytest.mark.parametrize("key", [slice(None), Ellipsis, (), (slice(None), slice(None)),
                                 slice(0, 2), (Ellipsis, slice(0, 3))])
def test_assigning_a_recorded_value_to_all_of_a_fresh_array_records_a_copy(key):
    # MXNet 1.9.1 (mxref): x joins the graph as a copy of y; y's gradient comes back through it
    x = np.zeros((2, 3), dtype="int32")
    y = np.ones((3,))
    y.attach_grad()
    with autograd.record():
        x[key] = y * 3
        z = x * 2
    z.backward()
    assert x.dtype == onp.int32 and x.asnumpy().tolist() == [[3] * 3] * 2
    assert y.grad.asnumpy().tolist() == [12.0] * 3


@pytest.mark.parametrize("key", [0, (slice(None), 1), slice(0, 1), slice(None, None, -1),
                                 np.array([0, 1])])
def test_assigning_a_recorded_value_to_part_of_an_array_raises_as_mxnet(key):
    x, y = np.zeros((2, 3)), np.ones((3,))
    y.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match=r"Inplace operations \(\+=, -=, x\[:\]=, etc\) "
                                             "are not supported when recording with autograd"):
            x[key] = y
        with pytest.raises(MXNetError, match="Inplace operations"):
            x += y
        x[key] = 5.0  # a value outside the graph is an ordinary write
        w = y * 2
        with pytest.raises(MXNetError, match="already in a computational graph"):
            w[:] = 7


def test_tensorsolve_keeps_all_of_a_s_axes_when_b_has_as_many():
    got = np.linalg.tensorsolve(np.ones((1, 1)) * 2, np.ones((1, 1)))
    assert got.shape == (1, 1) and got.asnumpy().tolist() == [[0.5]]
    a = onp.random.default_rng(0).standard_normal((6, 2, 3))
    b = onp.random.default_rng(1).standard_normal(6)
    assert onp.allclose(np.linalg.tensorsolve(np.array(a), np.array(b)).asnumpy(),
                        onp.linalg.tensorsolve(a, b))


def test_fallback_namespaces_name_the_np_functions():
    assert np.fallback.allclose is np.allclose and len(np.fallback.__all__) == 84
    assert all(getattr(np.fallback, n) is getattr(np, n) for n in np.fallback.__all__)
    assert np.fallback_linalg.qr is np.linalg.qr and len(np.fallback_linalg.__all__) == 6


def test_py_slice_is_the_builtin_in_the_ndarray_module():
    from mxnp.ndarray.ndarray import py_slice

    assert py_slice is slice


# ---- found by MXNet 1.9.1's test_numpy_op.py ------------------------------------------------
def test_a_null_variable_reached_by_backward_has_no_gradient():
    # mxref: (None, [1, 1, 1]); a null variable the backward did not reach keeps its zeros
    a, b, c = np.ones(3), np.ones(3), np.ones(3)
    a.attach_grad(grad_req="null")
    b.attach_grad()
    c.attach_grad(grad_req="null")
    assert a.grad.tolist() == [0.0, 0.0, 0.0]
    with autograd.record():
        y = a * b
    y.backward()
    assert a.grad is None and b.grad.tolist() == [1.0] * 3 and c.grad.tolist() == [0.0] * 3


def test_eigh_eigvalsh_and_svd_of_empty_matrices():
    w, v = np.linalg.eigh(np.ones((0, 0)))
    assert w.shape == (0,) and v.shape == (0, 0) and np.linalg.eigvalsh(np.ones((0, 0))).shape == (0,)
    assert [x.shape for x in np.linalg.svd(np.ones((3, 3, 0, 0)))] == [(3, 3, 0, 0), (3, 3, 0),
                                                                       (3, 3, 0, 0)]


def test_norm_takes_the_infinities_as_strings():
    x = np.arange(24.).reshape(2, 3, 4)
    assert np.linalg.norm(x, ord="inf", axis=1).tolist() == [[8., 9., 10., 11.],
                                                              [20., 21., 22., 23.]]
    assert np.linalg.norm(x, ord="-inf", axis=(1, 0)).tolist() == [12., 14., 16., 18.]


def test_multivariate_normal_with_a_batch_of_covariances():
    cov = np.broadcast_to(np.eye(2), (3, 2, 2))
    assert np.random.multivariate_normal(np.zeros(2), cov, 1).shape == (1, 3, 2)
    assert np.random.multivariate_normal(np.zeros(2), cov, (2, 3)).shape == (2, 3, 3, 2)
    cov4 = np.broadcast_to(np.eye(2), (4, 3, 2, 2))
    assert np.random.multivariate_normal(np.zeros((3, 2)), cov4, (2, 0)).shape == (2, 0, 4, 3, 2)
    scales = np.array([[[1., 0], [0, 1]], [[4., 0], [0, .01]]])
    draws = np.random.multivariate_normal(np.array([0., 10.]), scales, 20000).asnumpy()
    assert onp.allclose(draws.std(axis=0), [[1, 1], [2, 0.1]], rtol=0.05)
    assert onp.allclose(draws.mean(axis=0), [[0, 10], [0, 10]], atol=0.05)


def test_delete_skips_array_positions_outside_the_axis():
    a = np.arange(4.)
    assert np.delete(a, np.array([1, 9], dtype="int64")).tolist() == [0., 2., 3.]
    assert np.delete(a, np.array([-1], dtype="int64")).tolist() == [0., 1., 2., 3.]
    assert np.delete(a, np.array([-1, 1])).tolist() == [0., 2., 3.]  # float positions read
    assert np.delete(a, -1).tolist() == [0., 1., 2.]  # an int counts from the end
    with pytest.raises(IndexError, match="out of bounds"):
        np.delete(a, 7)


def test_clip_and_broadcast_to_of_numbers():
    assert np.clip(0.7, None, 0.5) == 0.5 and type(np.clip(0.7, None, 0.5)) is onp.float64
    assert np.clip(0.3, -1, None) == 0.3
    assert np.broadcast_to(1.0, (2, 3)).tolist() == [[1.0] * 3] * 2
    assert np.broadcast_to(2, (2,)).dtype == onp.float32
    assert np.broadcast_to(True, (2,)).dtype == onp.bool_


@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite", "isposinf", "isneginf",
                                  "logical_not"])
def test_bool_functions_want_a_bool_out(name):
    f = getattr(np, name)
    with pytest.raises(TypeError, match="should be a boolean array"):
        f(np.ones(3), out=np.empty(3))
    with pytest.raises(TypeError, match="should be a boolean array"):
        f(np.ones(3), np.empty(3, dtype="int32"))
    out = np.empty(3, dtype="bool")
    assert f(np.array([1., -onp.inf, onp.nan]), out=out) is out


def test_nan_to_num_without_copy_in_a_hybridized_block_passes_gradients():
    from mxnp.gluon import HybridBlock

    class NanToNum(HybridBlock):
        def hybrid_forward(self, F, a):
            return F.np.nan_to_num(a, False, 0.0, None, None)

    x = np.array([1., onp.nan, onp.inf])
    x.attach_grad()
    net = NanToNum()
    net.hybridize()
    for _ in range(2):  # the traced call and a replay
        with autograd.record():
            out = net(x)
        out.backward()
        assert out.asnumpy()[:2].tolist() == [1.0, 0.0] and x.grad.tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize("start_axis, mshape", [(0, (2, 3)), (1, (3, 4)), (2, (4, 5))])
def test_boolean_mask_assign_internal_ops(start_axis, mshape):
    data = np.array(onp.random.default_rng(0).uniform(size=(2, 3, 4, 5)))
    mask = np.array(onp.random.default_rng(1).uniform(size=mshape) > 0.5)
    want = data.asnumpy()
    key = (slice(None),) * start_axis + (mask.asnumpy(),)
    want[key] = 42.0
    out = np._internal.boolean_mask_assign_scalar(data, mask, 42.0, start_axis=start_axis,
                                                  out=data)
    assert out is data and onp.array_equal(data.asnumpy(), want)
    value = onp.random.default_rng(2).uniform(size=want[key].shape)
    want[key] = value
    np._internal.boolean_mask_assign_tensor(data, mask, np.array(value), start_axis=start_axis,
                                            out=data)
    assert onp.allclose(data.asnumpy(), want)
