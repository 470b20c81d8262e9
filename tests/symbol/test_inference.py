"""Shape and type inference as MXNet 1.9.1's: partial shapes (0 dims unknown, -1 under NumPy
shapes), shapes found backwards from a later operator, dtypes through Cast and creation
operators. Expected values recorded from MXNet 1.9.1 (mxref)."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import symbol as sym


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def _by_name(s, shapes):
    return dict(zip(s.list_arguments(), shapes))


def test_unknown_batch_found_through_fully_connected():
    a = sym.var("a", shape=(0, 10))
    d = sym.FullyConnected(a, num_hidden=21, name="fc") + sym.var("c", shape=(5, 0))
    assert d.infer_shape() == ([(5, 10), (21, 10), (21,), (5, 21)], [(5, 21)], [])


def test_convolution_spatial_dims_found_backwards_only_at_stride_one():
    x = sym.var("x", shape=(0, 4, 0, 0))
    y = sym.var("y", shape=(2, 6, 8, 5))
    cv = sym.Convolution(x, num_filter=6, kernel=(3, 3), pad=(1, 1), name="cv")
    assert (cv + y).infer_shape() == ([(2, 4, 8, 5), (6, 4, 3, 3), (6,), (2, 6, 8, 5)],
                                      [(2, 6, 8, 5)], [])
    strided = sym.Convolution(x, num_filter=6, kernel=(3, 3), stride=(2, 2), pad=(1, 1))
    with pytest.warns(UserWarning, match="Cannot decide shape"):
        assert (strided + y).infer_shape() == (None, None, None)


def test_concat_and_split_pieces():
    p, q = sym.var("p", shape=(0, 6)), sym.var("q", shape=(4, 0))
    total = sym.Concat(p, q, dim=0, num_args=2) + sym.var("z", shape=(7, 0))
    # the other axis is shared; MXNet does not take p's rows from the total
    assert total.infer_shape_partial() == ([(0, 6), (4, 6), (7, 6)], [(7, 6)], [])
    pieces = sym.split(sym.var("s", shape=(0, 12)), num_outputs=4, axis=1)
    assert (pieces[2] + sym.var("t", shape=(3, 0))).infer_shape() == \
        ([(3, 12), (3, 3)], [(3, 3)], [])


def test_same_shape_operators_fill_every_input():
    c = sym.elemwise_add(sym.var("a", shape=(0, 10)), sym.var("b", shape=(12, 0)))
    assert c.infer_shape()[0] == [(12, 10), (12, 10)]
    c = sym.elemwise_add(sym.var("a", shape=(2, 3)), sym.var("b"))
    assert c.infer_shape() == ([(2, 3), (2, 3)], [(2, 3)], [])
    assert c.infer_shape(a=(5, 6))[0] == [(5, 6), (5, 6)]  # a given shape beats __shape__


def test_identity_with_attr_like_rhs_gives_a_weight_its_shape():
    w = sym.var("w")
    wt = sym._internal._identity_with_attr_like_rhs(
        sym.broadcast_add(w, sym.var("ws", shape=(1,))), w)
    net = sym.FullyConnected(sym.var("d"), weight=wt, num_hidden=3, no_bias=True)
    assert net.infer_shape(d=(2, 5)) == ([(2, 5), (3, 5), (1,)], [(2, 3)], [])
    x = mx.nd.array([[1.0, 2.0]])
    assert mx.nd._internal._identity_with_attr_like_rhs(x, mx.nd.zeros((1, 2))).asnumpy() \
        .tolist() == [[1.0, 2.0]]


def test_partial_shapes_of_operators():
    u, v = sym.var("u"), sym.var("v")
    assert sym.batch_dot(u, v).infer_shape_partial(u=(0, 3, 4), v=(0, 4, 5))[1] == [(0, 3, 5)]
    assert sym.batch_dot(u, v).infer_shape_partial(u=(0, 3, 4), v=(0, 0, 5))[1] == [()]
    assert sym.transpose(u, axes=(0, 3, 2, 1)).infer_shape_partial(u=(0, 3, 4, 5))[1] == \
        [(0, 5, 4, 3)]
    assert sym.sum(u).infer_shape_partial(u=(0, 3))[1] == [(1,)]
    assert sym.sin(u).infer_shape_partial() == ([()], [()], [])
    with mx.np_shape(True):
        assert sym.dot(u, v).infer_shape_partial(u=(-1, 3, 4), v=(4, 5)) == \
            ([(-1, 3, 4), (4, 5)], [(-1, 3, 5)], [])
        assert sym.sin(u).infer_shape_partial() == ([None], [None], [])


def test_weight_with_unknown_in_channels():
    data = sym.cast(sym.var("data", shape=(1, 0, 0, 0)), dtype="float16")
    weight = sym.cast(sym.var("weight"), dtype="float16")
    conv = sym.Convolution(data=data, weight=weight, pad=(3, 3), num_filter=64, stride=(2, 2),
                           no_bias=True, kernel=(7, 7))
    args = _by_name(conv, conv.infer_shape_partial()[0])
    assert args == {"data": (1, 0, 0, 0), "weight": (64, 0, 7, 7)}


def test_inconsistent_shapes_raise_naming_the_node():
    net = sym.FullyConnected(sym.var("d"), num_hidden=3, name="f")
    with pytest.raises(mx.MXNetError, match=r"node 'f'.*provided \(3, 4\), inferred \(3, 5\)"):
        net.infer_shape(d=(2, 5), f_weight=(3, 4))


def test_infer_type_through_cast_and_creation_operators():
    fc = sym.FullyConnected(sym.Cast(sym.var("data"), dtype="float32"), num_hidden=3, name="fc")
    assert fc.infer_type() == (None, None, None)
    assert fc.infer_type_partial() == ([None, onp.float32, onp.float32], [onp.float32], [])
    assert fc.infer_type(data="float16") == ([onp.float16, onp.float32, onp.float32],
                                             [onp.float32], [])
    i = sym.var("i")
    assert sym.one_hot(i, depth=3).infer_type(i="int32") == ([onp.int32], [onp.float32], [])
    assert sym.shape_array(i).infer_type(i="float16") == ([onp.float16], [onp.int64], [])
    a = sym.var("a")
    assert (a + sym.zeros((2, 3), dtype="float16")).infer_type() == \
        ([onp.float16], [onp.float16], [])
    with pytest.raises(mx.MXNetError, match="type inconsistent"):
        (a + sym.var("b")).infer_type(a="float16", b="float32")


def test_small_names_mxnet_code_uses():
    assert mx.base.mx_real_t is onp.float32
    c = sym.Concat(sym.var("a"), sym.var("b"), num_args=2, dim=1)
    assert c.infer_shape(a=(2, 3), b=(2, 4))[1] == [(2, 7)]
    assert mx.nd.Concat(mx.nd.ones((1, 2)), mx.nd.ones((1, 1)), num_args=2).shape == (1, 3)


@pytest.mark.parametrize("src, codes, reverse, dst", [
    ((2, 3, 5, 5), (0, -1), False, (2, 75)), ((64,), (-4, 16, -1), False, (16, 4)),
    ((2, 3, 5, 4), (-1, 0, 0), True, (6, 5, 4)), ((1, 2, 3, 64), (-2, -1, 16, -4), True,
                                                  (1, 2, 3, 4, 16)),
])
def test_reshape_input_dim_found_from_its_output(src, codes, reverse, dst):
    for held in range(len(src)):
        partial = tuple(0 if k == held else d for k, d in enumerate(src))
        net = sym.elemwise_add(sym.var("data").reshape(codes, reverse=reverse), sym.ones(dst))
        args, outs, _ = net.infer_shape(data=partial)
        assert (args[0], outs[0]) == (src, dst)


def test_arange_with_an_inferred_range():
    # MXNet 1.9.1: arange(infer_range=True) without stop takes its length from its users
    s = mx.sym.elemwise_add(mx.sym.arange(start=0, stop=None, infer_range=True),
                            mx.sym.zeros(shape=[5]))
    assert s.bind(mx.cpu(), args={}).forward()[0].asnumpy().tolist() == [0, 1, 2, 3, 4]
    s2 = mx.sym.arange(start=2, step=3, infer_range=True) + mx.sym.Variable("x")
    assert s2.infer_shape(x=(4,)) == ([(4,)], [(4,)], [])
    out = s2.bind(mx.cpu(), {"x": mx.nd.zeros((4,))}).forward()[0]
    assert out.asnumpy().tolist() == [2, 5, 8, 11]
    s3 = mx.sym.arange(start=1, repeat=2, infer_range=True) + mx.sym.Variable("x")
    out = s3.bind(mx.cpu(), {"x": mx.nd.zeros((6,))}).forward()[0]
    assert out.asnumpy().tolist() == [1, 1, 2, 2, 3, 3]
    assert mx.sym.arange(start=0, infer_range=True).infer_shape_partial() == ([], [()], [])
    assert mx.sym.arange(start=0, infer_range=True).list_attr()["infer_range"] == "True"


def test_unknown_created_dims_filled_through_transpose():
    # MXNet 1.9.1: ones(shape=[-1, -1]) takes its dims from its users, backwards through
    # transpose; bilinear UpSampling's weight is (num_filter, 1, k, k), k = 2*scale - scale%2
    o1, o2 = mx.sym.ones(shape=[2, 3]), mx.sym.ones(shape=[-1, -1])
    assert (o1 + mx.sym.transpose(o2)).bind(mx.cpu(), args={}).forward()[0].shape == (2, 3)
    o1, o2 = mx.sym.ones(shape=[2, -1]), mx.sym.ones(shape=[3, -1])
    out = (o1 + mx.sym.transpose(o2)).bind(mx.cpu(), args={}).forward()[0]
    assert out.shape == (2, 3) and out.asnumpy().tolist() == [[2.0] * 3] * 2
    t = mx.sym.transpose(mx.sym.Variable("x"), axes=(1, 2, 0)) + mx.sym.Variable("y")
    assert t.infer_shape(y=(3, 4, 2))[0] == [(2, 3, 4), (3, 4, 2)]
    up = mx.sym.UpSampling(mx.sym.Variable("data"), mx.sym.Variable("weight"),
                           sample_type="bilinear", scale=3, num_filter=2, num_args=2)
    assert up.infer_shape(data=(1, 2, 4, 4)) == (
        [(1, 2, 4, 4), (2, 1, 5, 5)], [(1, 2, 12, 12)], [])


def test_batchnorm_v1_has_moving_statistics_as_auxiliary_states():
    # MXNet 1.9.1 (mxref): the same graph inputs as BatchNorm's, values as MXNet's
    s = mx.sym.BatchNorm_v1(mx.sym.Variable("data"), fix_gamma=False, momentum=0.5, name="bn")
    assert s.list_arguments() == ["data", "bn_gamma", "bn_beta"]
    assert s.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert s.infer_shape(data=(2, 3)) == ([(2, 3), (3,), (3,)], [(2, 3)], [(3,), (3,)])
    exe = s.bind(mx.cpu(), {"data": mx.nd.array(onp.arange(6).reshape(2, 3)),
                            "bn_gamma": mx.nd.ones(3), "bn_beta": mx.nd.zeros(3)},
                 aux_states={"bn_moving_mean": mx.nd.zeros(3), "bn_moving_var": mx.nd.ones(3)})
    onp.testing.assert_allclose(exe.forward(is_train=True)[0].asnumpy(),
                                [[-0.9998] * 3, [0.9998] * 3], rtol=1e-4)
    onp.testing.assert_allclose(exe.forward(is_train=False)[0].asnumpy(),
                                [[0.0, 0.9995, 1.999], [2.9985, 3.998, 4.9975]], rtol=1e-4)


def test_regression_outputs_take_a_flat_label_for_one_output_per_row():
    # MXNet 1.9.1 (mxref): a (N, 1) output infers a (N,) label; a given label of the same batch
    # size and element count stands; another one is an error
    s = mx.sym.LinearRegressionOutput(mx.sym.var("d"), mx.sym.var("l"), name="lro")
    assert s.infer_shape(d=(4, 1))[0] == [(4, 1), (4,)]
    assert s.infer_shape(d=(4, 3))[0] == [(4, 3), (4, 3)]
    for label in ((4,), (4, 1)):
        assert s.infer_shape(d=(4, 1), l=label)[0] == [(4, 1), label]
    with pytest.raises(mx.base.MXNetError, match="provided \\(12,\\), inferred \\(4, 3\\)"):
        s.infer_shape(d=(4, 3), l=(12,))
    ex = s.simple_bind(mx.cpu(), d=(4, 1), l=(4,))
    ex.forward(is_train=True, d=mx.nd.ones((4, 1)), l=mx.nd.zeros((4,)))
    ex.backward()
    assert ex.grad_dict["d"].asnumpy().tolist() == [[1], [1], [1], [1]]
