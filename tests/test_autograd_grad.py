"""autograd as MXNet 1.9.1 behaves (reference 4.5-4.9): in-place writes under record, grad and
higher order, mark_variables, Function, thread-local state."""
from __future__ import annotations

import operator

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import MXNetError
from tests.helpers import IN_GRAPH_WRITE, NOT_IN_GRAPH, square_sum, variable


# ---- in-place writes (reference 4.5) -------------------------------------------------------------
def test_inplace_setitem_on_a_graph_array_under_record_raises():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * 2
        with pytest.raises(MXNetError, match=IN_GRAPH_WRITE):
            y[0] = 100
        with pytest.raises(MXNetError, match=IN_GRAPH_WRITE):
            y[:] = 0
    assert y.tolist() == [2., 4., 6.]


def test_inplace_setitem_on_a_variable_under_record_raises():
    x = variable(1., 2., 3.)
    with autograd.record():
        with pytest.raises(MXNetError, match=IN_GRAPH_WRITE):
            x[0] = 10
    assert x.tolist() == [1., 2., 3.]


@pytest.mark.parametrize("write", [operator.iadd, operator.imul, operator.isub,
                                   operator.itruediv])
def test_inplace_operator_on_a_variable_under_record_raises(write):
    x = variable(1., 2., 3.)
    with autograd.record():
        with pytest.raises(MXNetError, match=IN_GRAPH_WRITE):
            write(x, 2)
    assert x.tolist() == [1., 2., 3.]


def test_inplace_operator_on_an_intermediate_under_record_raises():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * 2
        with pytest.raises(MXNetError, match=IN_GRAPH_WRITE):
            y *= 2


def test_inplace_write_of_a_graph_value_into_a_constant_under_record_raises():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = np.zeros(3)
        with pytest.raises(MXNetError):
            y[1:] = x[:2] * 3
        with pytest.raises(MXNetError):
            y += x


def test_inplace_write_between_constants_under_record_is_allowed():
    with autograd.record():
        c = np.zeros(3)
        c[0] = 5
        c += 1
    assert c.tolist() == [6., 1., 1.]


def test_inplace_write_after_record_is_allowed_and_backward_sees_it():
    # MXNet allows this too; the saved inputs are read when backward runs
    x = variable(1., 2., 3.)
    with autograd.record():
        y = (x * x).sum()
    x += 5
    y.backward()
    assert x.grad.tolist() == [12., 14., 16.]


def test_inplace_write_before_record_keeps_the_variable():
    x = variable(1., 2., 3.)
    x += 1
    square_sum(x).backward()
    assert x.grad.tolist() == [4., 6., 8.]


def test_out_argument_under_record_is_differentiable():
    x = variable(1., 2.)
    y = np.zeros(2)
    with autograd.record():
        np.add(x, x, out=y)
    y.backward()
    assert x.grad.tolist() == [2., 2.]  # d(x + x)/dx; the real MXNet 1.9.1 gives this too


# ---- autograd.grad and higher order (reference 4.7) ----------------------------------------------
def test_grad_returns_a_list_and_leaves_dot_grad_alone():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    g = autograd.grad(y, x)  # a single variable still gives a list
    assert type(g) is list and len(g) == 1
    assert type(g[0]) is np.ndarray and g[0].tolist() == [2., 4., 6.]
    assert x.grad.tolist() == [0., 0., 0.]


def test_grad_with_head_grads():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    assert autograd.grad([y], [x], head_grads=[np.array([1., 0., 2.])])[0].tolist() == [2., 0., 12.]


def test_grad_unreachable_variable_raises():
    x, w = variable(1., 2., 3.), variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    with pytest.raises(MXNetError, match="unreachable"):
        autograd.grad(y, [x, w])


def test_grad_of_a_variable_without_attach_grad_raises():
    x = np.array([1., 2., 3.])
    with autograd.record():
        y = (x * x).sum()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        autograd.grad(y, [x])


def test_grad_frees_the_graph_unless_retained():
    x = variable(1., 2., 3.)
    y = square_sum(x)
    autograd.grad(y, [x], retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [2., 4., 6.]
    z = square_sum(x)
    autograd.grad(z, [x])
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        autograd.grad(z, [x])


def test_grad_without_create_graph_is_a_constant():
    x = variable(1., 2., 3.)
    g = autograd.grad(square_sum(x), [x])[0]
    with autograd.record():
        h = (g * 2).sum()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        h.backward()


SECOND_ORDER = [  # (name, f, f'' as a NumPy function); MXNet 1.9.1 fails the last two
    ("sin", np.sin, lambda v: -onp.sin(v)),
    ("exp", np.exp, onp.exp),
    ("tanh", np.tanh, lambda v: -2 * onp.tanh(v) * (1 - onp.tanh(v) ** 2)),
    ("log", np.log, lambda v: -1 / v ** 2),
    ("cube", lambda v: v ** 3, lambda v: 6 * v),
    ("mul3", lambda v: v * v * v, lambda v: 6 * v),
]


@pytest.mark.parametrize("f, second", [c[1:] for c in SECOND_ORDER],
                         ids=[c[0] for c in SECOND_ORDER])
def test_grad_create_graph_gives_second_order(f, second):
    values = onp.array([0.5, 1.0, 2.0], dtype="float32")
    x = np.array(values)
    x.attach_grad()
    with autograd.record():
        y = f(x)
        g = autograd.grad(y, [x], create_graph=True)[0]
    g.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), second(values), rtol=1e-5)


@pytest.mark.parametrize("f", [lambda v: npx.relu(v), lambda v: np.clip(v, 0, 1)],
                         ids=["relu", "clip"])
def test_second_derivative_through_a_kink_is_zero_not_an_error(f):
    # MXNet 1.9.1 (mxref): the gradient of relu / clip stays in the graph with a zero
    # derivative, so a second autograd.grad gives zeros (a comparison alone would cut x off)
    x = np.array([-1.0, 0.5, 2.0])
    x.attach_grad()
    with autograd.record():
        g = autograd.grad(f(x), [x], create_graph=True, retain_graph=True)[0]
        g2 = autograd.grad(g, [x], create_graph=True, retain_graph=True)[0]
    assert g2.asnumpy().tolist() == [0.0, 0.0, 0.0]


def test_relu_gradient_is_nan_at_nan():
    # MXNet 1.9.1 (mxref): relu's gradient is 0 below and at 0, 1 above, nan at nan
    x = np.array([float("nan"), -1.0, 0.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = npx.relu(x)
    y.backward()
    assert onp.array_equal(x.grad.asnumpy(), [onp.nan, 0, 0, 1], equal_nan=True)
    # -0.0 passes a +0 gradient, inf a full one; float32 keeps its dtype
    x = np.array([-0.0, float("inf"), float("nan"), 3.0], dtype="float32")
    x.attach_grad()
    with autograd.record():
        y = npx.relu(x)
    y.backward()
    got = x.grad.asnumpy()
    assert onp.array_equal(got, [0, 1, onp.nan, 1], equal_nan=True) and got.dtype == onp.float32
    assert not onp.signbit(got[0])


def test_grad_create_graph_of_a_function_of_the_gradient():
    values = onp.array([0.5, 1.0, 2.0], dtype="float32")
    x = np.array(values)
    x.attach_grad()
    with autograd.record():
        g = autograd.grad(np.sin(x), [x], create_graph=True)[0]
        z = (g * g).sum()
    z.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), -2 * onp.sin(values) * onp.cos(values),
                                rtol=1e-5)


# ---- mark_variables (reference 4.8) --------------------------------------------------------------
def test_mark_variables_writes_into_the_given_buffer():
    x = np.array([1., 2., 3.])
    g = np.zeros(3)
    autograd.mark_variables([x], [g])
    with autograd.record():
        y = (x * 5).sum()
    y.backward()
    assert g.tolist() == [5., 5., 5.]
    assert x.grad.tolist() == [5., 5., 5.]


def test_mark_variables_add_with_single_arguments():
    x = np.array([1., 2., 3.])
    g = np.ones(3)
    autograd.mark_variables(x, g, grad_reqs="add")
    with autograd.record():
        y = (x * 5).sum()
    y.backward()
    assert g.tolist() == [6., 6., 6.]


# ---- Function (reference 4.9) --------------------------------------------------------------------
class Double(autograd.Function):
    def forward(self, x):
        self.state_in_forward = (autograd.is_recording(), autograd.is_training())
        self.save_for_backward(x)
        return x * 2

    def backward(self, dy):
        self.recording_in_backward = autograd.is_recording()
        return dy * 2


class SumAndProduct(autograd.Function):
    def forward(self, a, b):
        return a * b, a + b

    def backward(self, d_product, d_sum):
        self.grads_received = (d_product.tolist(), d_sum.tolist())
        return d_product + d_sum, d_product * 0 + 7


def test_function_forward_runs_unrecorded_and_backward_gives_the_gradient():
    x = variable(1., 2.)
    f = Double()
    with autograd.record():
        y = f(x)
    assert type(y) is np.ndarray and y.tolist() == [2., 4.]
    assert f.state_in_forward == (False, True)
    assert f.saved_tensors[0] is x
    y.backward()
    assert f.recording_in_backward is False
    assert x.grad.tolist() == [2., 2.]


def test_function_backward_gets_one_gradient_per_output():
    a, b = variable(1., 2.), variable(3., 4.)
    f = SumAndProduct()
    with autograd.record():
        p, q = f(a, b)
        s = p * 10 + q
    s.backward()
    assert f.grads_received == ([10., 10.], [1., 1.])
    assert a.grad.tolist() == [11., 11.]
    assert b.grad.tolist() == [7., 7.]


def test_function_outside_record_returns_the_forward_output():
    y = Double()(np.array([1., 2.]))
    assert type(y) is np.ndarray and y.tolist() == [2., 4.]


class ScaleBySaved(autograd.Function):
    """y = x * x, with backward reading the saved input of its own call."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):
        (x,) = self.saved_tensors
        return dy * 2 * x


def test_function_can_be_called_many_times_each_call_keeping_its_saved_tensors():
    # Differs from MXNet (one call per instance): each call's node keeps its own saved tensors
    f = ScaleBySaved()
    a, b = np.array([1., 2.]), np.array([3., 4.])
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        y = (f(a) + f(b)).sum()
    y.backward()
    assert a.grad.tolist() == [2., 4.] and b.grad.tolist() == [6., 8.]


def test_function_without_forward_raises_not_implemented():
    with pytest.raises(NotImplementedError):
        autograd.Function()(np.array([1., 2.]))


class Reverse(autograd.Function):
    """Gradient reversal: forward returns its input as is."""

    def forward(self, x):
        return x

    def backward(self, dy):
        return -dy


def test_function_returning_its_input_keeps_the_input_a_variable():
    # MXNet raises here (the output is already in the graph); we give a new array over the
    # same data, so x keeps its gradient buffer
    x = variable(1., 2.)
    with autograd.record():
        y = Reverse()(x)
        z = (y * 3).sum()
    z.backward()
    assert y is not x and y.tolist() == [1., 2.]
    assert x.grad.tolist() == [-3., -3.]


class Scale(autograd.Function):
    def forward(self, x, k):
        return x * k

    def backward(self, dy):
        return dy * 2, None  # no gradient for the Python number k


def test_function_with_a_non_array_input_takes_none_for_it():
    x = variable(1., 2.)
    with autograd.record():
        y = Scale()(x, 2.0)
    y.backward()
    assert x.grad.tolist() == [2., 2.]


class WrongShape(autograd.Function):
    def forward(self, x):
        return x * 2

    def backward(self, dy):
        return np.ones(5)


def test_function_backward_of_the_wrong_shape_raises():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = WrongShape()(x)
    with pytest.raises(MXNetError, match="shape"):
        y.backward()


class DoubleInPlace(autograd.Function):
    def forward(self, x):
        return x * 2

    def backward(self, dy):
        dy *= 2  # MXNet hands backward its own buffer, so writing into it is fine
        return dy


class Triple(autograd.Function):
    def forward(self, x):
        return x * 3

    def backward(self, dy):
        return dy * 3


def test_function_backward_may_write_into_its_gradient():
    x = variable(1., 2.)
    with autograd.record():
        y = DoubleInPlace()(x)
    y.backward()  # dy is the head's seed of ones
    assert x.grad.tolist() == [2., 2.]


def test_function_backward_writing_into_its_gradient_leaves_other_branches_alone():
    # the add's two inputs receive the same cotangent; DoubleInPlace (walked first) must not
    # change what Triple receives
    x = variable(1., 2.)
    with autograd.record():
        z = (Triple()(x) + DoubleInPlace()(x)) * np.array([1., 1.])
    z.backward()
    assert x.grad.tolist() == [5., 5.]


def test_second_order_through_fully_connected_without_flatten():
    # the weight's gradient graph stays whole after a grad of x's gradient freed its own
    # graph (create_graph=False); values recorded from MXNet 1.9.1 (legacy Dense, flatten=False)
    x = np.arange(24.).reshape(2, 3, 4)
    w, b = np.full((2, 4), 0.5), np.zeros(2)
    for a in (x, w):
        a.attach_grad()
    with autograd.record():
        y = npx.fully_connected(x, w, b, num_hidden=2, flatten=False)
        o_y = np.arange(12.).reshape(y.shape)
        x_grad = autograd.grad(y, x, head_grads=o_y, create_graph=True, retain_graph=True)[0]
        w_gg = autograd.grad(x_grad, w, head_grads=np.arange(24.).reshape(x.shape),
                             create_graph=False)[0]
        w_grad = autograd.grad(y, w, head_grads=o_y, create_graph=True, retain_graph=True)[0]
        x_gg = autograd.grad(w_grad, x, head_grads=np.arange(8.).reshape(w.shape),
                             create_graph=False)[0]
    assert x_grad[:, :, 0].tolist() == [[0.5, 2.5, 4.5], [6.5, 8.5, 10.5]]
    want_w = [[440, 470, 500, 530], [500, 536, 572, 608]]
    assert w_gg.tolist() == want_w and w_grad.tolist() == want_w
    assert x_gg[1].tolist() == [[28, 41, 54, 67], [36, 53, 70, 87], [44, 65, 86, 107]]
