"""Forward values of the mx.nd operators against NumPy references written here (conv, pooling,
RNN and the other layers against the npx ops they share, or loops)."""
from __future__ import annotations

import json

import numpy as onp
import pytest

import mxnp as mx
from mxnp import ndarray as nd
from mxnp import np, npx

RNG = onp.random.default_rng(0)
X = RNG.standard_normal((2, 3, 4)).astype("float32")
M = RNG.standard_normal((3, 4)).astype("float32")
P = RNG.uniform(0.5, 2.0, (3, 4)).astype("float32")


def close(got, want, rtol=1e-5, atol=1e-6):
    assert isinstance(got, nd.NDArray), type(got)
    want = onp.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=rtol, atol=atol)


UNARY = {  # op name -> NumPy reference, on P (positive) so every op is in its domain
    "abs": onp.abs, "sign": onp.sign, "square": onp.square, "sqrt": onp.sqrt,
    "rsqrt": lambda v: 1 / onp.sqrt(v), "cbrt": onp.cbrt, "rcbrt": lambda v: 1 / onp.cbrt(v),
    "reciprocal": lambda v: 1 / v, "exp": onp.exp, "expm1": onp.expm1, "log": onp.log,
    "log10": onp.log10, "log2": onp.log2, "log1p": onp.log1p, "sin": onp.sin, "cos": onp.cos,
    "tan": onp.tan, "arctan": onp.arctan, "sinh": onp.sinh, "cosh": onp.cosh, "tanh": onp.tanh,
    "arcsinh": onp.arcsinh, "arccosh": lambda v: onp.arccosh(v + 1), "degrees": onp.degrees,
    "radians": onp.radians, "floor": onp.floor, "ceil": onp.ceil, "trunc": onp.trunc,
    "fix": onp.fix, "rint": onp.rint, "negative": onp.negative, "relu": lambda v: onp.maximum(v, 0),
    "sigmoid": lambda v: 1 / (1 + onp.exp(-v)), "softsign": lambda v: v / (1 + onp.abs(v)),
    "identity": lambda v: v, "logical_not": lambda v: (v == 0).astype(v.dtype),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    arg = P + 1 if name == "arccosh" else P
    close(getattr(nd, name)(nd.array(arg)), UNARY[name](P), rtol=1e-5)


def test_unary_keeps_integer_dtype_and_rounds_halves_away():
    got = nd.exp(nd.array([1, -2], dtype="int32"))
    assert got.dtype == onp.int32
    onp.testing.assert_array_equal(got.asnumpy(), [2, 0])
    close(nd.round(nd.array([0.5, 1.5, -0.5, 2.5])), [1, 2, -1, 3])
    close(nd.rint(nd.array([0.5, 1.5, -0.5, 2.5])), [0, 1, -1, 2])  # mxref: halves go down


BINARY = {
    "broadcast_add": onp.add, "broadcast_sub": onp.subtract, "broadcast_mul": onp.multiply,
    "broadcast_div": onp.divide, "broadcast_mod": onp.mod, "broadcast_power": onp.power,
    "broadcast_maximum": onp.maximum, "broadcast_minimum": onp.minimum,
    "broadcast_hypot": onp.hypot, "broadcast_equal": onp.equal,
    "broadcast_not_equal": onp.not_equal, "broadcast_greater": onp.greater,
    "broadcast_greater_equal": onp.greater_equal, "broadcast_lesser": onp.less,
    "broadcast_lesser_equal": onp.less_equal, "broadcast_logical_and": onp.logical_and,
    "broadcast_logical_or": onp.logical_or, "broadcast_logical_xor": onp.logical_xor,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_broadcasts_and_keeps_dtype(name):
    a, b = P, P[:1] * 1.5
    close(getattr(nd, name)(nd.array(a), nd.array(b)), BINARY[name](a, b).astype("float32"))


@pytest.mark.parametrize("name, ref", [("_plus_scalar", lambda v: v + 2),
                                       ("_rminus_scalar", lambda v: 2 - v),
                                       ("_rdiv_scalar", lambda v: 2 / v),
                                       ("_power_scalar", lambda v: v ** 2),
                                       ("_greater_scalar", lambda v: (v > 2).astype("f4"))])
def test_scalar_ops_from_symbol_files(name, ref):
    close(nd.OPS[name].fn(nd.array(P), scalar=2.0), ref(P))


def test_shape_ops():
    x = nd.array(X)
    close(nd.transpose(x), X.T)
    close(nd.transpose(x, axes=(1, 0, 2)), X.transpose(1, 0, 2))
    close(nd.expand_dims(x, axis=1), X[:, None])
    close(nd.squeeze(nd.array(X[:, :1])), X[:, 0])
    close(nd.swapaxes(x, 0, 2), X.swapaxes(0, 2))
    close(nd.SwapAxis(x, dim1=1, dim2=2), X.swapaxes(1, 2))
    close(nd.flip(x, axis=1), X[:, ::-1])
    close(nd.reverse(x, axis=(0, 2)), X[::-1, :, ::-1])
    close(nd.tile(x, reps=(1, 2, 1)), onp.tile(X, (1, 2, 1)))
    close(nd.repeat(x, repeats=2, axis=2), onp.repeat(X, 2, axis=2))
    close(nd.stack(x, x, axis=1), onp.stack([X, X], axis=1))
    close(nd.concat(x, x, dim=2), onp.concatenate([X, X], axis=2))
    close(nd.Concat(x, x, dim=0, num_args=2), onp.concatenate([X, X], axis=0))
    close(nd.concatenate([x, x], axis=1), onp.concatenate([X, X], axis=1))
    close(nd.moveaxis(x, 0, -1), onp.moveaxis(X, 0, -1))
    close(nd.flatten(x), X.reshape(2, -1))
    close(nd.reshape_like(x, nd.zeros((4, 6))), X.reshape(4, 6))
    close(nd.broadcast_to(nd.array(X[:, :1]), shape=(2, 3, 4)), onp.broadcast_to(X[:, :1],
                                                                                 (2, 3, 4)))
    close(nd.broadcast_to(nd.array(X[:, :1]), shape=(0, 3, 0)), onp.broadcast_to(X[:, :1],
                                                                                 (2, 3, 4)))
    close(nd.broadcast_axis(nd.array(X[:, :1]), axis=1, size=3), onp.repeat(X[:, :1], 3, 1))
    close(nd.broadcast_like(nd.array(X[:1]), x), onp.broadcast_to(X[:1], X.shape))
    close(nd.diag(nd.array(M)), onp.diag(M))
    close(nd.diag(nd.array(M[0]), k=1), onp.diag(M[0], 1))
    close(nd.depth_to_space(nd.space_to_depth(nd.array(RNG.standard_normal((1, 2, 4, 4))),
                                              2), 2).reshape((-1,)).shape and nd.zeros(1), [0])


def test_split_and_slices():
    x = nd.array(X)
    parts = nd.split(x, num_outputs=3, axis=1)
    assert isinstance(parts, list) and len(parts) == 3
    for k, p in enumerate(parts):
        close(p, X[:, k:k + 1])
    squeezed = nd.SliceChannel(x, num_outputs=2, axis=0, squeeze_axis=True)
    close(squeezed[1], X[1])
    close(nd.split(x, num_outputs=1, axis=0), X)
    close(nd.split_v2(x, (1, 3), axis=2)[1], X[:, :, 1:3])
    close(nd.slice(x, begin=(0, 1, None), end=(1, 3, None)), X[0:1, 1:3])
    close(nd.slice(x, begin=(None, None, 3), end=(None, None, 0), step=(1, 1, -1)),
          X[:, :, 3:0:-1])
    close(nd.slice_axis(x, axis=2, begin=1, end=None), X[:, :, 1:])
    close(nd.slice_like(x, nd.zeros((1, 2, 3))), X[:1, :2, :3])
    close(nd.slice_like(x, nd.zeros((1, 2, 3)), axes=(2,)), X[:, :, :3])
    close(nd.crop(x, begin=(1, 0, 0), end=(2, 2, 2)), X[1:2, :2, :2])


def test_pad_crop_upsampling():
    img = RNG.standard_normal((1, 2, 3, 3)).astype("float32")
    x = nd.array(img)
    width = (0, 0, 0, 0, 1, 2, 2, 1)
    close(nd.Pad(x, mode="constant", pad_width=width, constant_value=5),
          onp.pad(img, ((0, 0), (0, 0), (1, 2), (2, 1)), constant_values=5))
    close(nd.pad(x, mode="edge", pad_width=width),
          onp.pad(img, ((0, 0), (0, 0), (1, 2), (2, 1)), mode="edge"))
    close(nd.Crop(x, h_w=(2, 2), offset=(1, 0)), img[:, :, 1:3, 0:2])
    close(nd.Crop(x, nd.zeros((1, 1, 1, 2)), center_crop=True), img[:, :, 1:2, 0:2])
    close(nd.UpSampling(x, scale=2, sample_type="nearest"),
          img.repeat(2, axis=2).repeat(2, axis=3))


@pytest.mark.parametrize("shape, mode, width, message", [  # MXNet 1.9.1 (mxref)
    ((3,), "constant", (0, 2), "Current implementation only supports 4-D or 5-D input."),
    ((2, 3), "constant", (0, 0, 1, 1), "Current implementation only supports 4-D or 5-D input."),
    ((1, 1, 2, 3), "constant", (1, 0, 0, 0, 1, 1, 1, 1),
     "Current implementation expects padding on the first two axes to be zero."),
    ((1, 1, 2, 3), "constant", (0, 0, 0, 0, 1, 1), "Input shape vs padding spec mismatch."),
    ((1, 1, 1, 2, 3), "reflect", (0, 0, 0, 0, 1, 1, 1, 1, 1, 1),
     "reflection padding only supports padding sizes smaller than the input size."),
    ((1, 1, 3, 3), "wrap", (0, 0, 0, 0, 1, 1, 1, 1),
     "Invalid Input: 'wrap', valid values are: {'constant', 'edge', 'reflect'}"),
])
def test_pad_takes_only_what_mxnet_takes(shape, mode, width, message):
    # the tutorials' "nd.pad can work only with 4 dims" (gotchas_numpy_in_mxnet)
    with pytest.raises(mx.MXNetError) as e:
        nd.pad(nd.ones(shape), mode=mode, pad_width=width)
    assert message in str(e.value)
    assert nd.pad(nd.ones((1, 1, 3, 3)), mode="reflect",
                  pad_width=(0, 0, 0, 0, 2, 2, 2, 2)).shape == (1, 1, 7, 7)


def test_indexing_ops():
    data = nd.array(M)
    close(nd.take(data, nd.array([2, 0])), M[[2, 0]])
    close(nd.take(data, nd.array([5, -1]), mode="wrap"), M[[2, 2]])
    close(nd.take(data, nd.array([5]), mode="clip"), M[[2]])
    close(nd.batch_take(data, nd.array([0, 3, 1])), M[[0, 1, 2], [0, 3, 1]])
    close(nd.pick(data, nd.array([0, 3, 1])), M[[0, 1, 2], [0, 3, 1]])
    close(nd.pick(data, nd.array([0, 2, 1, 1]), axis=0, keepdims=True),
          M[[0, 2, 1, 1], [0, 1, 2, 3]][None])
    close(nd.one_hot(nd.array([1, 0]), 3), onp.eye(3)[[1, 0]])
    close(nd.one_hot(nd.array([2]), 3, on_value=5, off_value=-1), [[-1, -1, 5]])
    idx = nd.array([[0, 2], [1, 3]])
    close(nd.gather_nd(data, idx), M[[0, 2], [1, 3]])
    close(nd.scatter_nd(nd.array([5, 6]), idx, shape=(3, 4)),
          onp.where(onp.isin(onp.arange(12).reshape(3, 4), [1, 11]),
                    onp.array([[0, 5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 6]]), 0))
    cond = nd.array([1, 0, 1])
    close(nd.where(cond, data, data * 0), M * onp.array([[1], [0], [1]]))
    close(nd.where(nd.array(M > 0), data, nd.zeros((3, 4))), onp.where(M > 0, M, 0))


def test_sorting_and_arg_ops():
    data = nd.array(M)
    close(nd.argmax(data, axis=1), M.argmax(1).astype("float32"))
    close(nd.argmin(data, axis=0, keepdims=True), M.argmin(0)[None].astype("float32"))
    close(nd.argmax(data), [M.argmax()])
    close(nd.argmax_channel(data), M.argmax(-1))
    close(nd.sort(data), onp.sort(M))
    close(nd.sort(data, axis=0, is_ascend=False), -onp.sort(-M, axis=0))
    close(nd.sort(data, axis=None), onp.sort(M, axis=None))
    close(nd.argsort(data, axis=1), onp.argsort(M, axis=1, kind="stable"))
    close(nd.argsort(data, is_ascend=False), onp.argsort(-M, kind="stable"))
    order = onp.argsort(-M, axis=-1, kind="stable")[:, :2]
    close(nd.topk(data, k=2), order)
    close(nd.topk(data, k=2, ret_typ="value"), onp.take_along_axis(M, order, -1))
    value, index = nd.topk(data, k=2, ret_typ="both")
    close(index, order)
    close(value, onp.take_along_axis(M, order, -1))
    mask = onp.zeros_like(M)
    onp.put_along_axis(mask, order, 1, -1)
    close(nd.topk(data, k=2, ret_typ="mask"), mask)


def test_sequence_ops():
    seq = onp.arange(12, dtype="float32").reshape(3, 2, 2)  # (time, batch, feature)
    x, lengths = nd.array(seq), nd.array([1, 3])
    masked = seq.copy()
    masked[1:, 0] = -1
    close(nd.SequenceMask(x, lengths, use_sequence_length=True, value=-1), masked)
    close(nd.SequenceMask(x), seq)
    close(nd.SequenceLast(x, lengths, use_sequence_length=True), [seq[0, 0], seq[2, 1]])
    close(nd.SequenceLast(x), seq[-1])
    rev = seq.copy()
    rev[:2, 0] = seq[1::-1, 0]
    rev[:, 1] = seq[::-1, 1]
    close(nd.SequenceReverse(x, nd.array([2, 3]), use_sequence_length=True), rev)
    close(nd.SequenceReverse(x), seq[::-1])
    close(nd.SequenceLast(nd.array(seq.swapaxes(0, 1)), lengths, use_sequence_length=True,
                          axis=1), [seq[0, 0], seq[2, 1]])


def test_products_and_reductions():
    a, b = nd.array(M), nd.array(M.T)
    close(nd.dot(a, b), M @ M.T)
    close(nd.dot(a, a, transpose_b=True), M @ M.T)
    close(nd.dot(a, a, transpose_a=True), M.T @ M)
    close(nd.dot(nd.array([1, 2]), nd.array([3, 4])), [11])
    close(nd.dot(nd.array(X), nd.array(M.T)), X @ M.T)
    close(nd.batch_dot(nd.array(X), nd.array(X), transpose_b=True), X @ X.transpose(0, 2, 1))
    close(nd.khatri_rao(nd.array([[1, 2], [3, 4]]), nd.array([[1, 0], [0, 1], [2, 2]])),
          [[1, 0], [0, 2], [2, 4], [3, 0], [0, 4], [6, 8]])
    close(nd.norm(a), [onp.linalg.norm(M)])
    close(nd.norm(a, ord=1, axis=1), onp.abs(M).sum(1))
    close(nd.norm(a, axis=1, keepdims=True), onp.linalg.norm(M, axis=1, keepdims=True))
    close(nd.add_n(a, a, a), 3 * M)
    close(nd.ElementWiseSum(a, a), 2 * M)
    mean, var = nd.moments(a, axes=(0,))
    close(mean, M.mean(0))
    close(var, M.var(0))
    close(nd.cumsum(a, axis=1), M.cumsum(1))
    close(nd.nansum(nd.array([1, float("nan")])), [1])
    close(nd.clip(a, -0.5, 0.5), onp.clip(M, -0.5, 0.5))
    close(nd.smooth_l1(nd.array([-2, 0.5]), scalar=1), [1.5, 0.125])
    logp = M - onp.log(onp.exp(M).sum(1, keepdims=True))
    close(nd.softmax_cross_entropy(a, nd.array([0, 3, 1])), [-logp[[0, 1, 2], [0, 3, 1]].sum()])
    close(nd.shape_array(a), [3, 4])
    close(nd.size_array(a), [12])


def test_activations_and_softmax():
    x = nd.array(M)
    e = onp.exp(M - M.max(-1, keepdims=True))
    close(nd.softmax(x), e / e.sum(-1, keepdims=True))
    close(nd.log_softmax(x, axis=0), M - onp.log(onp.exp(M).sum(0, keepdims=True)))
    close(nd.softmin(x), onp.exp(-M) / onp.exp(-M).sum(-1, keepdims=True))
    close(nd.SoftmaxActivation(nd.array(X), mode="channel"),
          onp.exp(X) / onp.exp(X).sum(1, keepdims=True))
    close(nd.Activation(x, act_type="tanh"), onp.tanh(M))
    close(nd.Activation(x, act_type="softrelu"), onp.log1p(onp.exp(M)))
    close(nd.LeakyReLU(x, slope=0.1), onp.where(M > 0, M, 0.1 * M))
    close(nd.LeakyReLU(x, act_type="elu", slope=1.0), onp.where(M > 0, M, onp.expm1(M)))
    close(nd.hard_sigmoid(x), onp.clip(0.2 * M + 0.5, 0, 1))


def test_layers_against_npx_and_loops():
    data = RNG.standard_normal((2, 3, 5, 5)).astype("float32")
    w = RNG.standard_normal((4, 3, 3, 3)).astype("float32")
    b = RNG.standard_normal(4).astype("float32")
    x = nd.array(data)
    got = nd.Convolution(x, nd.array(w), nd.array(b), kernel=(3, 3), num_filter=4, pad=(1, 1))
    want = npx.convolution(np.array(data), np.array(w), np.array(b), kernel=(3, 3),
                           num_filter=4, pad=(1, 1))
    close(got, want.asnumpy())
    loop = onp.zeros((2, 4, 3, 3), "float32")
    for i in range(3):
        for j in range(3):
            loop[:, :, i, j] = onp.einsum("nchw,ochw->no", data[:, :, i:i + 3, j:j + 3], w) + b
    close(nd.Convolution(x, nd.array(w), nd.array(b), kernel=(3, 3), num_filter=4), loop,
          rtol=1e-4, atol=1e-4)
    pooled = data.reshape(2, 3, 5, 5)[:, :, :4, :4].reshape(2, 3, 2, 2, 2, 2).max(axis=(3, 5))
    close(nd.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type="max"), pooled)
    close(nd.Pooling(x, kernel=(1, 1), global_pool=True, pool_type="avg"),
          data.mean(axis=(2, 3), keepdims=True))
    fc = RNG.standard_normal((4, 75)).astype("float32")
    close(nd.FullyConnected(x, nd.array(fc), no_bias=True, num_hidden=4),
          data.reshape(2, -1) @ fc.T, rtol=1e-4, atol=1e-4)
    dec = nd.Deconvolution(x, nd.array(w.transpose(1, 0, 2, 3)), kernel=(3, 3), num_filter=4)
    close(dec, npx.deconvolution(np.array(data), np.array(w.transpose(1, 0, 2, 3)),
                                 kernel=(3, 3), num_filter=4).asnumpy())


def test_normalization_layers():
    data = RNG.standard_normal((2, 4, 3)).astype("float32")
    x = nd.array(data)
    g, bt = nd.array([1.0, 2, 3, 4]), nd.array([0.0, 1, 0, 1])

    def norm(v, axes, eps):
        return (v - v.mean(axes, keepdims=True)) / onp.sqrt(v.var(axes, keepdims=True) + eps)
    close(nd.InstanceNorm(x, g, bt, eps=1e-3),
          norm(data, 2, 1e-3) * g.asnumpy()[:, None] + bt.asnumpy()[:, None], rtol=1e-4)
    close(nd.LayerNorm(nd.array(data.transpose(0, 2, 1)), g, bt),
          norm(data.transpose(0, 2, 1), -1, 1e-5) * g.asnumpy() + bt.asnumpy(), rtol=1e-4,
          atol=1e-5)
    grouped = norm(data.reshape(2, 2, -1), 2, 1e-5).reshape(data.shape)
    close(nd.GroupNorm(x, nd.array([2.0, 3.0]), nd.array([0.5, 0.0]), num_groups=2),
          grouped * onp.array([2, 2, 3, 3])[:, None] + onp.array([0.5, 0.5, 0, 0])[:, None],
          rtol=1e-4, atol=1e-5)
    close(nd.L2Normalization(x), data / onp.sqrt((data ** 2).sum((1, 2), keepdims=True) + 1e-10))
    close(nd.L2Normalization(x, mode="channel"),
          data / onp.sqrt((data ** 2).sum(1, keepdims=True) + 1e-10))
    sq = onp.pad(data ** 2, ((0, 0), (1, 1), (0, 0)))
    window = sq[:, :-2] + sq[:, 1:-1] + sq[:, 2:]
    close(nd.LRN(x, nsize=3), data / (2 + 1e-4 / 3 * window) ** 0.75)
    mean, var = onp.zeros(4, "float32"), onp.ones(4, "float32")
    close(nd.BatchNorm(x, g, bt, nd.array(mean), nd.array(var), fix_gamma=False,
                       use_global_stats=True),
          data / onp.sqrt(1 + 1e-3) * g.asnumpy()[:, None] + bt.asnumpy()[:, None], rtol=1e-5)


def test_embedding_dropout_rnn_roipooling():
    weight = RNG.standard_normal((5, 3)).astype("float32")
    close(nd.Embedding(nd.array([[4, 0]]), nd.array(weight), input_dim=5, output_dim=3),
          weight[[[4, 0]]])
    x = nd.ones((100,))
    close(nd.Dropout(x, p=0.5), onp.ones(100))  # outside training: the identity
    seq = RNG.standard_normal((4, 2, 3)).astype("float32")
    params = RNG.standard_normal(4 * 5 * (3 + 5 + 2)).astype("float32") * 0.1
    state, cell = onp.zeros((1, 2, 5), "float32"), onp.zeros((1, 2, 5), "float32")
    out = nd.RNN(nd.array(seq), nd.array(params), nd.array(state), nd.array(cell), state_size=5,
                 num_layers=1, mode="lstm")
    want = npx.rnn(np.array(seq), np.array(params), np.array(state), np.array(cell),
                   state_size=5, num_layers=1, mode="lstm")
    close(out, want.asnumpy())
    gru = RNG.standard_normal(3 * 5 * (3 + 5 + 2)).astype("float32") * 0.1
    lengths = onp.array([2, 4], "float32")
    by_position = nd.RNN(nd.array(seq), nd.array(gru), nd.array(state), nd.array(lengths),
                         state_size=5, num_layers=1, mode="gru", use_sequence_length=True)
    want = npx.rnn(np.array(seq), np.array(gru), np.array(state),
                   sequence_length=np.array(lengths), state_size=5, num_layers=1, mode="gru",
                   use_sequence_length=True)
    close(by_position, want.asnumpy())
    feat = RNG.standard_normal((1, 1, 4, 4)).astype("float32")
    rois = nd.array([[0, 0, 0, 3, 3]])
    close(nd.ROIPooling(nd.array(feat), rois, pooled_size=(2, 2), spatial_scale=1.0),
          feat.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(1, 1, 2, 2, 4).max(-1))


def test_creation():
    close(nd.arange(3, repeat=2), [0, 0, 1, 1, 2, 2])
    close(nd.arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75])
    assert nd.arange(0, 3, dtype="int32").dtype == onp.int32
    close(nd.eye(2, 3, k=1), onp.eye(2, 3, 1))
    close(nd.linspace(0, 1, 5), onp.linspace(0, 1, 5))
    close(nd.full((2,), 7), [7, 7])
    close(nd.zeros_like(nd.array(M)), onp.zeros_like(M))
    close(nd.ones_like(nd.array(M)), onp.ones_like(M))
    close(nd.from_numpy(onp.array([1.0, 2.0])), [1, 2])
    assert nd.from_numpy(onp.array([1.0, 2.0])).dtype == onp.float64


def test_misc_functions():
    close(nd.ravel_multi_index(nd.array([[1, 2], [0, 3]]), shape=(3, 4)), [4, 11])
    close(nd.unravel_index(nd.array([4, 11]), shape=(3, 4)), [[1, 2], [0, 3]])
    close(nd.all_finite(nd.array([1, 2])), [1])
    close(nd.all_finite(nd.array([1, float("inf")])), [0])
    close(nd.multi_all_finite(nd.array([1.0]), nd.array([float("nan")])), [0])
    close(nd.multi_sum_sq(nd.array([1, 2]), nd.array([3.0]), num_arrays=2), [5, 9])
    counts, edges = nd.histogram(nd.array([0, 1, 1, 2]), bins=2, range=(0, 2))
    onp.testing.assert_array_equal(counts.asnumpy(), [1, 3])
    close(edges, [0, 1, 2])
    out = nd.zeros((2, 3))
    nd.onehot_encode(nd.array([2, 0]), out)
    close(out, onp.eye(3)[[2, 0]])
    a = nd.ones(2)
    nd.reset_arrays(a, num_arrays=1)
    close(a, [0, 0])
    assert nd.amp_cast(nd.array([1.0]), dtype="float16").dtype == onp.float16
    got = nd.amp_multicast(nd.array([1.0], dtype="float16"), nd.array([1.0]), num_outputs=2)
    assert [g.dtype for g in got] == [onp.float32, onp.float32]
    close(nd.fill_element_0index(nd.array(M), nd.array([7, 8, 9]), nd.array([0, 3, 1])),
          onp.where(onp.eye(4)[[0, 3, 1]] == 1, onp.array([[7], [8], [9]]), M))
    nd.waitall()


def test_dlpack_round_trip_shares_cpu_memory():
    x = nd.array([[1, 2], [3, 4]], dtype="int32")
    back = nd.from_dlpack(nd.to_dlpack_for_read(x))
    assert type(back) is nd.NDArray and back.dtype == onp.int32
    onp.testing.assert_array_equal(back.asnumpy(), [[1, 2], [3, 4]])
    capsule = nd.to_dlpack_for_write(x)
    x[0, 0] = 9  # the capsule is over x's memory, so the later read sees the write
    assert nd.from_dlpack(capsule).asnumpy()[0, 0] == 9


def test_image_operators_return_ndarrays():
    pixels = onp.array([[[0, 128, 255], [255, 0, 0]]], dtype="uint8")
    img = nd.array(pixels, dtype="uint8")
    tensor = nd.image.to_tensor(img)
    close(tensor, pixels.transpose(2, 0, 1) / 255.0)
    close(nd.image.normalize(tensor, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
          (pixels.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5)
    flipped = nd.image.flip_left_right(img)
    assert type(flipped) is nd.NDArray
    onp.testing.assert_array_equal(flipped.asnumpy(), pixels[:, ::-1])
    onp.testing.assert_array_equal(nd.image.crop(img, 1, 0, 1, 1).asnumpy(), pixels[:, 1:2])
    assert nd.OPS["_image_to_tensor"].fn is nd.image.to_tensor


def test_histogram_without_a_range_is_numpys_answer_as_float32():
    # MXNet 1.9.1 (mxref): mx.nd.array of np.histogram's result, whatever the data's dtype
    for dtype in ("float32", "float64", "int32", "uint8"):
        a = mx.nd.array([[1, 2], [3, 4]], dtype=dtype)
        with pytest.warns(UserWarning, match="range is not specified"):
            counts, edges = mx.nd.histogram(a, bins=2)
        assert counts.dtype is onp.float32 and edges.dtype is onp.float32
        assert counts.asnumpy().tolist() == [2, 2] and edges.asnumpy().tolist() == [1, 2.5, 4]
        counts, edges = mx.nd.histogram(a, bins=2, range=(0, 5))
        assert counts.dtype is onp.int64 and edges.dtype is onp.dtype(dtype).type


def test_histogram_counts_are_int64_and_a_graph_node():
    # MXNet 1.9.1 (mxref): counts int64, edges in the data's (or the given edges') dtype;
    # mx.sym.histogram writes _histogram with bin_cnt, or takes the edges as a second input
    x = mx.nd.array(onp.random.RandomState(0).randn(20), dtype="float64")
    counts, edges = mx.nd.histogram(x, bins=4, range=(-2.5, 2.5))
    assert counts.dtype == onp.int64 and counts.asnumpy().tolist() == [0, 5, 10, 5]
    assert edges.asnumpy().tolist() == [-2.5, -1.25, 0.0, 1.25, 2.5]
    given = mx.nd.array([-1.0, 0.5, 2.0, 4.5, 50.0], dtype="float64")
    assert mx.nd.histogram(x, bins=given)[0].asnumpy().tolist() == [12, 7, 1, 0]
    d = mx.sym.Variable("data")
    s = mx.sym.histogram(a=d, bins=mx.sym.Variable("bins"))
    assert s.list_arguments() == ["data", "bins"]
    assert len(s.list_outputs()) == 2
    assert s.infer_shape(data=(3,), bins=(4,)) == ([(3,), (4,)], [(3,), (4,)], [])
    exe = s.bind(mx.cpu(), {"data": x, "bins": given})
    assert exe.forward()[0].asnumpy().tolist() == [12, 7, 1, 0]
    s1 = mx.sym.histogram(a=d, bins=4, range=(-2.5, 2.5))
    assert json.loads(s1.tojson())["nodes"][1]["attrs"] == {"bin_cnt": "4", "range": "(-2.5, 2.5)"}
    assert s1.bind(mx.cpu(), {"data": x}).forward()[0].asnumpy().tolist() == [0, 5, 10, 5]


def test_quantize_and_dequantize_as_mxnets_kernels():
    # int8 codes as MXNet 1.9.1 gives them (mxref); the ranges and uint8 codes by MXNet's own
    # (non-oneDNN) kernels, which the project follows (docs/differences.md)
    a = mx.nd.array([[0.1392, 0.5928], [0.6027, 0.8579]])
    q, lo, hi = mx.nd.contrib.quantize(a, mx.nd.array([0.0]), mx.nd.array([1.0]), out_type="int8")
    assert q.dtype == onp.int8 and q.asnumpy().tolist() == [[18, 75], [77, 109]]
    assert lo.asnumpy().tolist() == [-1.0] and hi.asnumpy().tolist() == [1.0]
    onp.testing.assert_allclose(mx.nd.contrib.dequantize(q, lo, hi).asnumpy(),
                                onp.array([[18, 75], [77, 109]]) / 127, rtol=1e-6)
    x = mx.nd.array([-3.0, 0.2, 5.0])
    q, lo, hi = mx.nd.contrib.quantize(x, mx.nd.array([-1.0]), mx.nd.array([1.0]))
    assert q.dtype == onp.uint8 and q.asnumpy().tolist() == [0, 153, 255]
    onp.testing.assert_allclose(mx.nd.contrib.dequantize(q, lo, hi).asnumpy(),
                                onp.array([0, 153, 255]) * 2 / 255 - 1, rtol=1e-6)
    node = mx.sym.contrib.quantize(mx.sym.Variable("d"), mx.sym.Variable("lo"),
                                   mx.sym.Variable("hi"), name="q")
    assert node.list_outputs() == ["q_output0", "q_output1", "q_output2"]


def test_roi_align_position_sensitive():
    # values from MXNet 1.9.1 (mxref): output channel k, bin (i, j) reads input channel
    # k * ph * pw + i * pw + j; the gradient goes back there
    r = onp.random.RandomState(0)
    data = mx.nd.array(r.rand(2, 12, 10, 10))
    rois = mx.nd.array([[0, 1.1, 1.1, 6.2, 6.2], [1, 2.1, 0.5, 8.2, 9.2]])
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.ROIAlign(data, rois, pooled_size=(2, 3), spatial_scale=1.0,
                                     sample_ratio=2, position_sensitive=True)
    out.backward(mx.nd.array(r.rand(*out.shape)))
    assert out.shape == (2, 2, 2, 3)
    onp.testing.assert_allclose(out.asnumpy()[1, 1], [[0.60145, 0.34862, 0.5124],
                                                      [0.65216, 0.55797, 0.5141]], atol=1e-5)
    onp.testing.assert_allclose(out.asnumpy().sum(), 12.189425, rtol=1e-6)
    onp.testing.assert_allclose(data.grad.asnumpy().sum(), 10.799137, rtol=1e-6)
    onp.testing.assert_allclose(data.grad.asnumpy()[0, 5].sum(), 0.96157515, rtol=1e-6)


def test_rroi_align_matches_mxnet():
    # values from MXNet 1.9.1 (mxref): rotated boxes (cx, cy, w, h, degrees), one off the image
    data = mx.nd.array(onp.arange(2 * 2 * 8 * 8).reshape(2, 2, 8, 8))
    rois = mx.nd.array([[0, 3.5, 4.0, 4.0, 2.5, 30.0], [1, 5.0, 2.0, 6.0, 3.0, 120.0],
                        [0, -1.0, 9.0, 3.0, 3.0, 45.0]])
    out = mx.nd.contrib.RROIAlign(data, rois, pooled_size=(2, 2), spatial_scale=1.0,
                                  sampling_ratio=2).asnumpy()
    onp.testing.assert_allclose(out[0, 0], [[33.9913, 27.7234], [43.2766, 37.0087]], atol=2e-4)
    onp.testing.assert_allclose(out[1, 1], [[226.4928, 204.2082], [221.767, 200.8014]],
                                atol=2e-4)
    onp.testing.assert_allclose(out[2, 1], [[0.0, 60.0], [0.0, 0.0]], atol=2e-4)
    out = mx.nd.contrib.RROIAlign(data, rois, pooled_size=(1, 3), spatial_scale=0.5).asnumpy()
    onp.testing.assert_allclose(out[:, 0, 0], [[19.8393, 17.75, 15.6607],
                                               [145.9282, 138.5, 131.2859],
                                               [20.4749, 36.0, 33.2309]], atol=2e-4)


def test_deformable_convolution_matches_mxnet_cpu():
    # values and gradients from MXNet 1.9.1's CPU kernel (mxref): taps read bilinearly, zero
    # before the first pixel, the last pixel past it; zero offsets give Convolution's result
    r = onp.random.RandomState(1)
    x = mx.nd.array(r.rand(1, 4, 5, 5))
    off = mx.nd.array(r.rand(1, 2 * 3 * 3 * 2, 5, 5) * 1.6 - 0.8)
    w, b = mx.nd.array(r.normal(0, 0.5, (4, 2, 3, 3))), mx.nd.array(r.rand(4))
    kw = dict(kernel=(3, 3), num_filter=4, pad=(1, 1), num_group=2)
    for a in (x, off, w, b):
        a.attach_grad()
    with mx.autograd.record():
        out = mx.nd.contrib.DeformableConvolution(x, off, w, b, num_deformable_group=2, **kw)
    out.backward(mx.nd.array(r.rand(*out.shape)))
    onp.testing.assert_allclose([a.grad.asnumpy().sum() for a in (x, off, w, b)],
                                [52.5235, 1.5703, 324.3377, 51.0962], rtol=1e-4)
    onp.testing.assert_allclose(x.grad.asnumpy()[0, 3, 2],
                                [-0.2251, -0.4614, -0.6434, -0.1287, 0.4332], atol=1e-4)
    onp.testing.assert_allclose(off.grad.asnumpy()[0, 7, 1],
                                [0.0, -0.0025, -0.0417, -0.1392, 0.1125], atol=1e-4)
    plain = mx.nd.contrib.DeformableConvolution(x, mx.nd.zeros_like(off), w, b,
                                                num_deformable_group=2, **kw)
    onp.testing.assert_allclose(plain.asnumpy(), mx.nd.Convolution(x, w, b, **kw).asnumpy(),
                                rtol=1e-5, atol=1e-6)
    s = mx.sym.contrib.DeformableConvolution(data=mx.sym.Variable("data"),
                                             offset=mx.sym.Variable("offset"), kernel=(3, 3),
                                             num_filter=4, pad=(1, 1), name="dc")
    assert s.list_arguments() == ["data", "offset", "dc_weight", "dc_bias"]
    assert s.infer_shape(data=(1, 4, 5, 5), offset=(1, 18, 5, 5))[0][2:] == [(4, 4, 3, 3), (4,)]
