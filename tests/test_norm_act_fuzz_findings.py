"""What differential fuzzing of the normalisation, activation and softmax ops against MXNet
1.9.1 found. Expected values come from MXNet (read off with shared/tools/mxref, as noted) or
from a NumPy reference computed here."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, np, npx
from mxnp.base import MXNetError, OpError, OpTypeError


def test_batch_norm_with_no_channels_runs_its_backward():
    # MXNet 1.9.1 dies of SIGFPE here; mxnp raised ZeroDivisionError (0 channels)
    npx.set_np()
    x = np.zeros((4, 0, 1, 4))
    params = [np.zeros(0) for _ in range(4)]
    x.attach_grad()
    with autograd.record():
        y, mean, inv = npx.batch_norm(x, *params, output_mean_var=True)
    y.backward()
    assert y.shape == x.grad.shape == (4, 0, 1, 4) and mean.shape == inv.shape == (0,)


@pytest.mark.parametrize("raw_path", [True, False])
def test_float64_moving_stats_take_the_batch_share_in_float64(raw_path):
    # mxref: momentum=0.1 on float64 stats gives 2.1499999972681207 for the moving mean (1 -
    # float32(0.1) taken in float64; float32's 0.9 gave 2.1499999451140566) and
    # 1.6000000006622739 for the moving variance
    npx.set_np()
    x = np.array([[1.0], [2.0], [4.0]], dtype="float64")
    gamma, beta = np.ones(1, dtype="float64"), np.zeros(1, dtype="float64")
    mm, mv = np.array([0.5], dtype="float64"), np.array([2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = npx.batch_norm(x, gamma, beta, mm, mv, momentum=0.1, eps=1e-3).sum()
    if raw_path:
        y.backward()
    else:  # the op path, taken under create_graph
        autograd.grad(y, [x], create_graph=True)
    assert mm.item() == 2.1499999972681207
    onp.testing.assert_allclose(mv.item(), 1.6000000006622739, rtol=1e-15)


@pytest.mark.parametrize("call", [
    lambda x: npx.activation(x, act_type="relu"),
    lambda x: npx.leaky_relu(x, act_type="elu"),
    lambda x: npx.batch_norm(x, *[np.ones(3)] * 4),
    lambda x: npx.layer_norm(x, np.ones(3), np.zeros(3)),
    lambda x: npx.softmax(x),
    lambda x: npx.log_softmax(x),
])
def test_integer_data_raises_mxnets_error_type(call):
    # mxref: MXNetError "This operation only support floating point types, not int32"
    npx.set_np()
    with pytest.raises(OpTypeError, match="floating point") as info:
        call(np.ones((2, 3), dtype="int32"))
    assert isinstance(info.value, MXNetError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("name", ["L2Normalization", "InstanceNorm", "GroupNorm", "LRN"])
def test_legacy_norms_refuse_integer_data(name):
    # mxref: each raises MXNetError on int32 data; mxnp computed a result
    x = mxnp.nd.ones((1, 2, 3, 3), dtype="int32")
    extra = [mxnp.nd.ones((2,)), mxnp.nd.zeros((2,))] if "Norm" in name and name[0] != "L" \
        else []
    with pytest.raises(OpTypeError, match=name):
        getattr(mxnp.nd, name)(x, *extra)


@pytest.mark.parametrize("fn", [npx.softmax, npx.log_softmax])
@pytest.mark.parametrize("shape, axis", [((3,), 1), ((3,), -2), ((1, 2), 2), ((), 1)])
def test_softmax_axis_out_of_range_raises(fn, shape, axis):
    # mxref: "Check failed: axis < ndim && axis >= -ndim: axis 1 exceeds the input dimension
    # of 1"; mxnp wrapped the axis round (or raised IndexError with use_length)
    npx.set_np()
    with pytest.raises(OpError, match="out of range"):
        fn(np.ones(shape), axis=axis)


def test_softmax_use_length_axis_out_of_range_names_the_axis():
    npx.set_np()
    with pytest.raises(OpError, match="axis 4 is out of range"):
        npx.softmax(np.ones((1, 2, 4, 2)), np.ones((1, 2, 4), dtype="int32"), axis=4,
                    use_length=True)


def test_softmax_use_length_with_a_negative_temperature():
    # the masked tail was -inf, which the temperature turned into +inf: all nan
    npx.set_np()
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    length = np.array([2, 3], dtype="int32")
    out = npx.softmax(x, length, use_length=True, temperature=-2.0).asnumpy()
    z = x.asnumpy() / -2.0
    want = onp.exp(z) * (onp.arange(3) < length.asnumpy()[:, None])
    onp.testing.assert_allclose(out, want / want.sum(1, keepdims=True), rtol=1e-6)


def test_group_norm_with_groups_not_dividing_the_channels_is_an_mxnet_error():
    # mxref: MXNetError "# of channels must be divisible by # of groups"
    with pytest.raises(OpError, match="num_groups=3"):
        mxnp.nd.GroupNorm(mxnp.nd.ones((2, 5, 4)), mxnp.nd.ones((3,)), mxnp.nd.zeros((3,)),
                          num_groups=3)


def test_instance_norm_needs_a_spatial_axis():
    # mxref: "InstanceNorm only supports input tensors of rank >= 3"
    with pytest.raises(OpError, match="at least 3 axes"):
        mxnp.nd.InstanceNorm(mxnp.nd.ones((2, 3)), mxnp.nd.ones((3,)), mxnp.nd.zeros((3,)))


def test_l2_normalization_of_float16_computes_in_float32():
    # float16 squares overflowed (|x| ~ 300 gave zeros) and the gradient of tiny inputs -inf
    rng = onp.random.default_rng(0)
    for scale in (300.0, 1e-3):
        raw = (rng.standard_normal((2, 3, 4)) * scale).astype("float16")
        x = mxnp.nd.array(raw, dtype="float16")
        x.attach_grad()
        with autograd.record():
            y = mxnp.nd.L2Normalization(x, mode="channel")
        y.backward()
        r = raw.astype("float64")
        want = r / onp.sqrt((r * r).sum(1, keepdims=True) + 1e-10)
        assert y.dtype == onp.float16
        onp.testing.assert_allclose(y.asnumpy().astype("f8"), want, rtol=2e-3, atol=1e-3)
        assert onp.isfinite(x.grad.asnumpy()).all()


def test_prelu_gamma_gradient_leaves_positive_infinities_out():
    # mxref: x = [inf, -2, 0, 3], gamma = [0.5] gives gamma's gradient [-2.0] (mxnp gave nan:
    # inf * 0 through the unselected branch); a nan input still gives nan, as in MXNet
    npx.set_np()
    for raw, want in (([onp.inf, -2.0, 0.0, 3.0], -2.0), ([onp.nan, -2.0], onp.nan)):
        x, gamma = np.array(raw), np.array([0.5])
        x.attach_grad()
        gamma.attach_grad()
        with autograd.record():
            y = npx.leaky_relu(x, gamma, act_type="prelu")
        y.backward()
        onp.testing.assert_array_equal(gamma.grad.asnumpy(), [want])
        onp.testing.assert_array_equal(x.grad.asnumpy(), onp.where(onp.array(raw) > 0, 1, 0.5))


def test_instance_norm_checks_gamma_and_beta_shapes():
    # mxref: gamma of shape (2,) for 1 channel raises ("reshape size must match"); mxnp
    # broadcast it and returned a (4, 2, 5) result for (4, 1, 5) data
    with pytest.raises(OpError, match=r"gamma must have shape \(1,\)"):
        mxnp.nd.InstanceNorm(mxnp.nd.ones((4, 1, 5)), mxnp.nd.ones((2,)), mxnp.nd.zeros((2,)))


def test_use_length_without_a_length_and_a_non_integer_axis_raise_clearly():
    # mxref: MXNetError for each (log_softmax's was AttributeError 'NoneType', softmin
    # silently ignored use_length, an array as softmin's axis gave "truth value ... ambiguous")
    npx.set_np()
    with pytest.raises(OpError, match="log_softmax: use_length=True needs the length"):
        npx.log_softmax(np.ones((2, 3)), use_length=True)
    with pytest.raises(OpError, match="softmin: use_length=True"):
        mxnp.nd.softmin(mxnp.nd.ones((2, 3)), use_length=True)
    with pytest.raises(OpTypeError, match="axis must be an integer"):
        npx.softmax(np.ones((2, 3)), axis=np.array([1]))


def test_zero_temperature_gives_nan_not_uninitialised_memory():
    # mxref: softmax/log_softmax with temperature=0.0 are nan everywhere; the compiled kernel
    # raised ZeroDivisionError inside a nogil loop, which was ignored, returning garbage
    npx.set_np()
    for dtype in ("float32", "float64"):
        x = np.array([[1.0, 2.0, 2.0], [0.0, -1.0, 3.0]], dtype=dtype)
        for fn in (npx.softmax, npx.log_softmax):
            assert onp.isnan(fn(x, temperature=0.0).asnumpy()).all()


def test_softmax_refuses_a_non_float_dtype_and_activation_errors_are_mxnet_errors():
    # mxref: MXNetError "Invalid Input: 'int32', valid values are: {None, 'float16', ...}";
    # a missing act_type, and gamma given or missing against act_type, raise MXNetError too
    npx.set_np()
    x = np.ones((2, 3))
    with pytest.raises(OpError, match="dtype must be"):
        npx.softmax(x, dtype="int32")
    for call in (lambda: npx.activation(x), lambda: npx.leaky_relu(x, act_type="prelu"),
                 lambda: npx.leaky_relu(x, np.ones(2), act_type="leaky")):
        with pytest.raises(OpTypeError):
            call()
