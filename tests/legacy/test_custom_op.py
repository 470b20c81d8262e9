"""Custom operators in Python (mx.operator.CustomOp / CustomOpProp / register, run by
mx.nd.Custom and mx.sym.Custom) as MXNet 1.9.1 runs them: what the operator's methods receive,
values and gradients (against central differences), several inputs and outputs, auxiliary
states, and the Custom node of a graph (its JSON as MXNet 1.9.1 writes it, from mxref)."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd
from mxnp import ndarray as nd
from mxnp import symbol as sym
from mxnp.testing import check_grads

CALLS = []


class _Sigmoid(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        CALLS.append(("forward", is_train, list(req), type(in_data[0]), type(out_data[0])))
        x = in_data[0].asnumpy()
        self.assign(out_data[0], req[0], nd.array(1 / (1 + onp.exp(-x)), dtype=x.dtype))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        CALLS.append(("backward", list(req)))
        y, dy = out_data[0].asnumpy(), out_grad[0].asnumpy()
        self.assign(in_grad[0], req[0], nd.array(dy * (1 - y) * y, dtype=y.dtype))


@mx.operator.register("test_sigmoid")
class _SigmoidProp(mx.operator.CustomOpProp):
    def __init__(self, scale="1"):
        super().__init__(True)
        self.scale = scale

    def list_arguments(self):
        return ["data"]

    def list_outputs(self):
        return ["output"]

    def infer_shape(self, in_shapes):
        return (in_shapes[0],), (in_shapes[0],), ()

    def create_operator(self, ctx, in_shapes, in_dtypes):
        CALLS.append(("create", ctx, in_shapes, in_dtypes, self.scale))
        return _Sigmoid()


class _SumProduct(mx.operator.CustomOp):
    """Two inputs, two outputs (a + b, a * b) and a counter kept as an auxiliary state."""

    def forward(self, is_train, req, in_data, out_data, aux):
        a, b = in_data
        self.assign(out_data[0], req[0], a + b)
        self.assign(out_data[1], req[1], a * b)
        self.assign(aux[0], "add", nd.ones(aux[0].shape))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        (a, b), (g_sum, g_prod) = in_data, out_grad
        self.assign(in_grad[0], req[0], g_sum + g_prod * b)
        self.assign(in_grad[1], req[1], g_sum + g_prod * a)


@mx.operator.register("test_sum_product")
class _SumProductProp(mx.operator.CustomOpProp):
    def list_arguments(self):
        return ["a", "b"]

    def list_outputs(self):
        return ["sum", "product"]

    def list_auxiliary_states(self):
        return ["calls"]

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return _SumProduct()


def test_the_operator_gets_what_mxnet_gives_it_and_its_backward_is_the_gradient():
    CALLS.clear()
    x = nd.array([0, 1, 2, 3])
    x.attach_grad()
    with autograd.record():
        y = nd.Custom(x, op_type="test_sigmoid", scale=2)
    y.backward()
    # MXNet 1.9.1 (mxref): the prop gets '2', create_operator the shapes as lists and dtype
    # flags, forward is_train 1 and req ['write'], NDArrays everywhere
    assert CALLS == [("create", mx.cpu(), [[4]], [0], "2"),
                     ("forward", 1, ["write"], nd.NDArray, nd.NDArray),
                     ("backward", ["write"])]
    sig = 1 / (1 + onp.exp(-onp.arange(4.0)))
    assert type(y) is nd.NDArray
    onp.testing.assert_allclose(y.asnumpy(), sig, rtol=1e-6)
    onp.testing.assert_allclose(x.grad.asnumpy(), sig * (1 - sig), rtol=1e-6)


def test_the_gradient_agrees_with_central_differences():
    x = nd.array(onp.random.RandomState(0).normal(size=(3, 4)), dtype="float64")
    check_grads(lambda v: nd.Custom(v, op_type="test_sigmoid"), x, order=1)


def test_several_inputs_outputs_and_an_auxiliary_state():
    a, b = nd.array([1.0, 2.0]), nd.array([3.0, -1.0])
    calls = nd.zeros((1,))
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        total, product = nd.Custom(a, b, calls, op_type="test_sum_product")
        loss = (total * 2 + product).sum()
    loss.backward()
    onp.testing.assert_allclose(total.asnumpy(), [4, 1])
    onp.testing.assert_allclose(product.asnumpy(), [3, -2])
    onp.testing.assert_allclose(a.grad.asnumpy(), 2 + b.asnumpy())
    onp.testing.assert_allclose(b.grad.asnumpy(), 2 + a.asnumpy())
    assert calls.asnumpy().tolist() == [1.0]


def test_outside_recording_it_runs_forward_only_and_in_predict_mode():
    CALLS.clear()
    y = nd.Custom(nd.zeros((2,)), op_type="test_sigmoid")
    assert [c[:3] for c in CALLS[1:]] == [("forward", 0, ["write"])]
    onp.testing.assert_allclose(y.asnumpy(), [0.5, 0.5])


def test_a_custom_node_in_a_graph_is_mxnets():
    s = sym.Custom(sym.var("data"), op_type="test_sigmoid", name="sig")
    assert s.list_arguments() == ["data"] and s.list_outputs() == ["sig_output"]
    # MXNet 1.9.1's JSON for the same graph (op_type renamed)
    assert '"op": "Custom", \n      "name": "sig", \n      "attrs": {"op_type": "test_sigmoid"}' \
        in s.tojson()
    assert s.infer_shape(data=(2, 3)) == ([(2, 3)], [(2, 3)], [])
    onp.testing.assert_allclose(s.eval(data=nd.ones((2,)))[0].asnumpy(),
                                [1 / (1 + onp.exp(-1))] * 2, rtol=1e-6)
    two = sym.Custom(sym.var("x"), sym.var("y"), sym.var("n"), op_type="test_sum_product",
                     name="sp")
    # MXNet 1.9.1: outputs named by the prop, the third input an auxiliary state, missing
    # inputs made as variables named after the prop's arguments
    assert two.list_outputs() == ["sp_sum", "sp_product"]
    assert two.list_arguments() == ["x", "y"] and two.list_auxiliary_states() == ["n"]
    made = sym.Custom(op_type="test_sum_product", name="q")
    assert made.list_arguments() == ["q_a", "q_b"]


def test_assign_writes_adds_or_skips():
    op, dst = mx.operator.CustomOp(), nd.ones((2,))
    op.assign(dst, "add", nd.ones((2,)))
    op.assign(dst, "null", nd.zeros((2,)))
    assert dst.asnumpy().tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match="req must be"):
        op.assign(dst, "append", dst)


def test_an_unregistered_operator_names_itself():
    # MXNet 1.9.1 (mxref) raises MXNetError ("Cannot find custom operator nope")
    with pytest.raises(mx.base.MXNetError, match="no custom operator 'nope' is registered"):
        nd.Custom(nd.ones((1,)), op_type="nope")
    with pytest.raises(TypeError, match="CustomOpProp subclass"):
        mx.operator.register("bad")(object)


class _Dot(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        if in_data[0].shape[1] == 3:
            assert False, "user code failed"
        self.assign(out_data[0], req[0], nd.dot(in_data[0], in_data[1]))
        if aux:
            aux[0][:] = 7


@mx.operator.register("test_two_list_dot")
class _DotProp(mx.operator.CustomOpProp):
    def list_arguments(self):
        return ["a", "b"]

    def infer_shape(self, in_shape):  # two lists: MXNet allows leaving out the aux shapes
        return in_shape, [(in_shape[0][0], in_shape[1][1])]

    def create_operator(self, ctx, shapes, dtypes):
        return _Dot()


@mx.operator.register("test_dot_with_aux")
class _DotAuxProp(_DotProp):
    def list_auxiliary_states(self):
        return ["count"]

    def infer_shape(self, in_shape):
        return in_shape, [(in_shape[0][0], in_shape[1][1])], [(1,)]


def test_infer_shape_with_two_lists_and_errors_as_mxnet_error():
    out = nd.Custom(nd.ones((2, 1)), nd.ones((1, 2)), op_type="test_two_list_dot")
    assert out.asnumpy().tolist() == [[1, 1], [1, 1]]
    # MXNet 1.9.1 reports an error of the operator's Python code, or of an mx.nd call in
    # it, as MXNetError (when the result is read; mxnp's already at the call)
    with pytest.raises(mx.MXNetError):  # mxnp names the error; MXNet prints it to stderr
        nd.Custom(nd.ones((2, 3)), nd.ones((3, 2)), op_type="test_two_list_dot").wait_to_read()
    with pytest.raises(mx.MXNetError):
        nd.Custom(nd.ones((4, 2)), nd.ones((1, 4)), op_type="test_two_list_dot").wait_to_read()


def test_auxiliary_states_passed_by_keyword_to_the_symbol():
    node = sym.Custom(a=sym.Variable("a"), b=sym.Variable("b"), count=sym.Variable("n"),
                      op_type="test_dot_with_aux", name="d")
    assert node.list_arguments() == ["a", "b"] and node.list_auxiliary_states() == ["n"]
    exe = node.bind(mx.cpu(), {"a": nd.ones((2, 1)), "b": nd.ones((1, 2))},
                    aux_states={"n": nd.zeros((1,))})
    exe.forward()
    assert exe.aux_dict["n"].asnumpy().tolist() == [7.0]
    with pytest.raises((TypeError, mx.MXNetError)):  # MXNet: "argument name data not found"
        sym.Custom(data=sym.Variable("a"), b=sym.Variable("b"), op_type="test_dot_with_aux")


def test_the_sparse_namespace_operators_take_dense_arrays():
    # MXNet's mx.nd.sparse.elemwise_mul (as its custom-op tests use it) on default storage
    out = nd.sparse.elemwise_mul(nd.array([2.0, 3.0]), nd.array([4.0, 5.0]))
    assert out.asnumpy().tolist() == [8.0, 15.0]


def test_numpy_and_ndarray_ops_of_mxnet_1x():
    # the deprecated PythonOp family; values as MXNet 1.9.1 gives them (mxref)
    with pytest.warns(UserWarning, match="NumpyOp has been deprecated"):
        identity = mx.operator.NumpyOp()
    s = identity.get_symbol(sym.Variable("X"), name="numpy_op")
    assert s.list_arguments() == ["X"] and s.list_outputs() == ["numpy_op_output"]
    dx = nd.zeros((4,))
    exe = s.bind(mx.cpu(), args=[nd.ones((4,)) * 10], args_grad={"X": dx})
    assert exe.forward(is_train=True)[0].asnumpy().tolist() == [10.0] * 4
    exe.backward(nd.ones((4,)) * 3)
    assert dx.asnumpy().tolist() == [1.0] * 4  # the default backward writes ones

    class Product(mx.operator.NumpyOp):
        def list_arguments(self):
            return ["a", "b"]

        def forward(self, in_data, out_data):
            assert isinstance(in_data[0], onp.ndarray)
            out_data[0][:] = in_data[0] * in_data[1]

        def backward(self, out_grad, in_data, out_data, in_grad):
            in_grad[0][:] = out_grad[0] * in_data[1]
            in_grad[1][:] = out_grad[0] * in_data[0]

    with pytest.warns(UserWarning):
        s = Product()(sym.Variable("p"), sym.Variable("q"), name="sq")
    assert s.infer_shape(p=(2,), q=(2,)) == ([(2,), (2,)], [(2,)], [])
    ga, gb = nd.zeros(2), nd.zeros(2)
    exe = s.bind(mx.cpu(), {"p": nd.array([1, 2]), "q": nd.array([3, 4])},
                 args_grad={"p": ga, "q": gb})
    assert exe.forward(is_train=True)[0].asnumpy().tolist() == [3.0, 8.0]
    exe.backward(nd.ones(2))
    assert ga.asnumpy().tolist() == [3.0, 4.0] and gb.asnumpy().tolist() == [1.0, 2.0]

    class Double(mx.operator.NDArrayOp):
        def forward(self, in_data, out_data):
            out_data[0][:] = in_data[0] * 2

        def backward(self, out_grad, in_data, out_data, in_grad):
            in_grad[0][:] = out_grad[0] * 2

    with pytest.warns(UserWarning, match="NDArrayOp has been deprecated"):
        s = Double()(sym.Variable("z"))
    g = nd.zeros(3)
    exe = s.bind(mx.cpu(), {"z": nd.array([1, 2, 3])}, args_grad={"z": g})
    assert exe.forward(is_train=True)[0].asnumpy().tolist() == [2.0, 4.0, 6.0]
    exe.backward(nd.ones(3))
    assert g.asnumpy().tolist() == [2.0, 2.0, 2.0]
