"""gluon's 1.x face: MXNet's array switch off (its default; ``conftest`` leaves it off here).

Blocks take and give ``mx.nd.NDArray``s, a user's ``hybrid_forward`` gets ``F = mx.nd`` and
its Parameters as NDArray views, losses, metrics, Trainer and DataLoader work on NDArrays, as
MXNet 1.9.1 shows them (mxref with ``npx.reset_np()``); ``npx.set_np()`` or ``use_np`` switch
to the numpy face. Where MXNet refuses to mix the two kinds of array, mxnp shows the arrays in
the current face (docs/differences.md).
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import _mode, autograd, gluon, metric, npx, util
from mxnp import random as mx_random
from mxnp import ndarray as nd
from mxnp import numpy as np
from mxnp.gluon import nn
from mxnp.ndarray import NDArray
from mxnp.testing import assert_allclose

RS = onp.random.RandomState(7)
X = RS.normal(size=(5, 4)).astype("float32")
W = RS.normal(size=(3, 4)).astype("float32")
B = RS.normal(size=(3,)).astype("float32")
S = RS.normal(size=(1, 3)).astype("float32")


@pytest.fixture(autouse=True)
def _face_off():
    assert not _mode.is_np_array()  # the 1.x face is MXNet's default


class LegacyNet(gluon.HybridBlock):
    """1.x operators on Parameters of its own: relu(FullyConnected(x)) + scale."""

    def __init__(self, dtype="float32", **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(3, 4), dtype=dtype)
            self.bias = self.params.get("bias", shape=(3,), dtype=dtype)
            self.scale = self.params.get("scale", shape=(1, 3), dtype=dtype)

    def hybrid_forward(self, F, x, weight, bias, scale):
        self.seen = (F, type(x), type(weight))
        return F.broadcast_add(F.relu(F.FullyConnected(x, weight, bias, num_hidden=3)), scale)


class NumpyNet(LegacyNet):
    """The same computation in the numpy face's operators."""

    def hybrid_forward(self, F, x, weight, bias, scale):
        return F.npx.relu(F.npx.fully_connected(x, weight, bias, num_hidden=3)) + scale


def _reference(x=X):
    return onp.maximum(x @ W.T + B, 0) + S


def _set(net, dtype="float32"):
    for value, p in zip((W, B, S), (net.weight, net.bias, net.scale)):
        p.set_data(nd.array(value, dtype=dtype))
    return net


def _made(cls, **kwargs):
    net = cls(**kwargs)
    net.initialize()
    return _set(net, kwargs.get("dtype", "float32"))


def _grads(net, x):
    with autograd.record():
        y = net(x)
        loss = (y * y).sum()
    loss.backward()
    return y, [p.grad().asnumpy() for p in (net.weight, net.bias, net.scale)]


def test_hybrid_forward_gets_mx_nd_and_ndarray_parameters_and_gives_an_ndarray():
    net = _made(LegacyNet)
    y = net(nd.array(X))
    # MXNet 1.9.1 (mxref): F is the module mxnet.ndarray, which has .np and .npx too
    assert net.seen == (nd, NDArray, NDArray)
    assert nd.np is np and nd.npx is npx
    assert type(y) is NDArray
    assert_allclose(y.asnumpy(), _reference(), rtol=1e-6)


def test_parameter_accessors_give_ndarray_views_of_the_one_array():
    net = _made(LegacyNet)
    p = net.weight
    data = p.data()
    # MXNet 1.9.1 (mxref): data(), grad(), list_data() are NDArrays in the 1.x face
    assert type(data) is NDArray and type(p.grad()) is NDArray
    assert type(p.list_data()[0]) is NDArray and type(p.list_grad()[0]) is NDArray
    assert p.data() is data and p.list_data()[0] is data  # one view, reused
    data[0, 0] = 42.0  # a write through the view is a write into the parameter
    moved = W.copy()
    moved[0, 0] = 42.0
    expected = onp.maximum(X @ moved.T + B, 0) + S
    assert_allclose(net(nd.array(X)).asnumpy(), expected, rtol=1e-6)


def test_parameters_keep_the_face_they_were_made_in():
    # as MXNet 1.9.1's test_numpy_gluon.test_create_np_param: a Parameter made while the switch
    # is off reads back as NDArray, one made inside a use_np block as np.ndarray, wherever read
    class Plain(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.w = self.params.get("w", shape=(4, 3), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w):
            return F.dot(x, w)

    @util.use_np
    class Numpy(Plain):
        def hybrid_forward(self, F, x, w):
            return F.np.dot(x, w)

    x = nd.array(X)
    for hybridize in (False, True):
        for cls, data, kind in ((Plain, x, NDArray), (Numpy, x.as_np_ndarray(), np.ndarray)):
            net = cls()
            net.initialize()
            if hybridize:
                net.hybridize()
            assert type(net(data)) is kind
            assert [type(p.data()) for p in net.collect_params().values()] == [kind]
            with util.np_array(kind is NDArray):  # the other face: the same kind
                assert type(net.w.data()) is kind and type(net.w.grad()) is kind


def test_gradients_reach_the_parameters_and_equal_the_numpy_face():
    legacy = _made(LegacyNet)
    y, grads = _grads(legacy, nd.array(X))
    with util.np_array(True):
        numpy = _made(NumpyNet)
        y_np, grads_np = _grads(numpy, np.array(X))
    assert type(y) is NDArray and type(y_np) is np.ndarray
    assert_allclose(y.asnumpy(), y_np.asnumpy(), rtol=1e-6)
    for g, g_np in zip(grads, grads_np):
        assert_allclose(g, g_np, rtol=1e-6)
    # and against the NumPy reference: d sum(y^2) / d scale = 2 * sum over the batch of y
    assert_allclose(grads[2], 2 * _reference().sum(axis=0, keepdims=True), rtol=1e-5)


def test_weight_gradient_by_central_differences():
    net = _made(LegacyNet, dtype="float64")
    x = nd.array(X, dtype="float64")
    _, (g_weight, _, _) = _grads(net, x)
    w = W.astype("float64")
    eps = 1e-6
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        values = []
        for step in (eps, -eps):
            moved = w.copy()
            moved[i, j] += step
            net.weight.set_data(nd.array(moved, dtype="float64"))
            values.append(float((net(x) ** 2).sum().asscalar()))
        assert_allclose(g_weight[i, j], (values[0] - values[1]) / (2 * eps), rtol=1e-5)


def test_hybridized_gives_the_same_values_and_gradients():
    eager = _made(LegacyNet)
    y, grads = _grads(eager, nd.array(X))
    net = _made(LegacyNet)
    net.hybridize()
    for _ in range(2):  # the first call traces, the second replays
        y_h, grads_h = _grads(net, nd.array(X))
        assert type(y_h) is NDArray
        assert_allclose(y_h.asnumpy(), y.asnumpy(), rtol=1e-6)
        for g, g_h in zip(grads, grads_h):
            assert_allclose(g_h, g, rtol=1e-6)
    assert net.seen[0] is nd  # mxnp traces eagerly: F is mx.nd here too (MXNet gives mx.sym)


def test_hybridized_user_block_around_builtin_layers_gives_the_eager_gradients():
    class Mixed(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.dense = nn.Dense(3, in_units=4)
                self.out = nn.Dense(2, in_units=3)

        def hybrid_forward(self, F, x):
            return self.out(F.relu(self.dense(x)) + 0.5)

    def grads(hybridize):
        net = Mixed()
        net.initialize(init="ones")
        net.dense.weight.set_data(nd.array(W))
        if hybridize:
            net.hybridize()
        for _ in range(2):  # hybridized: the first call traces, the second replays
            with autograd.record():
                loss = (net(nd.array(X)) ** 2).sum()
            loss.backward()
        return [p.grad().asnumpy() for p in net.collect_params().values()]

    for eager, hybrid in zip(grads(False), grads(True)):
        assert onp.abs(eager).sum() > 0
        assert_allclose(hybrid, eager, rtol=1e-6)


def test_builtin_layers_work_in_both_faces_with_the_same_values():
    def build():
        net = nn.HybridSequential()
        net.add(nn.Conv2D(4, 3, in_channels=2), nn.BatchNorm(in_channels=4),
                nn.Activation("relu"), nn.MaxPool2D(), nn.Flatten(),
                nn.Dense(3, in_units=4 * 3 * 3), nn.Dropout(0.5))
        net.initialize(init="xavier")
        for p in net.collect_params().values():
            p.set_data(nd.array(onp.random.RandomState(1).uniform(-1, 1, p.shape)))
        return net

    x = onp.random.RandomState(2).normal(size=(2, 2, 8, 8)).astype("float32")
    legacy = build()
    legacy.hybridize()
    mx_random.seed(1)
    with autograd.record():
        y = legacy(nd.array(x))
    y.backward()
    with util.np_array(True):
        numpy = build()
        mx_random.seed(1)
        with autograd.record():
            y_np = numpy(np.array(x))
        y_np.backward()
    assert type(y) is NDArray and type(y_np) is np.ndarray
    # the same seed draws the same Dropout masks (seed 0's first six uniforms all exceed 0.5,
    # so MXNet's mask would drop every value); compare where both kept a value
    kept = (y.asnumpy() != 0) & (y_np.asnumpy() != 0)
    assert kept.any()
    assert_allclose(y.asnumpy()[kept], y_np.asnumpy()[kept], rtol=1e-5)
    assert_allclose(legacy[1].running_mean.data().asnumpy(),
                    numpy[1].running_mean.data().asnumpy(), rtol=1e-6)


def test_trainer_updates_ndarray_parameters_as_sgd_with_momentum():
    net = _made(LegacyNet)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    w, mom = W.copy(), onp.zeros_like(W)
    for _ in range(2):
        _, (g, _, _) = _grads(net, nd.array(X))
        trainer.step(5)
        mom = 0.9 * mom - 0.1 * g / 5
        w = w + mom
        assert type(net.weight.data()) is NDArray
        assert_allclose(net.weight.data().asnumpy(), w, rtol=1e-5)


def test_loss_and_metric_take_and_give_ndarrays():
    out = nd.array([[1., 2.], [3., 1.]])
    label = nd.array([0, 1])
    loss = gluon.loss.SoftmaxCrossEntropyLoss()(out, label)
    assert type(loss) is NDArray
    # MXNet 1.9.1 (mxref) prints [1.3132598 2.126925], within its float32 error of the exact
    # values, log(1 + e) and 2 + log(1 + e^-2), which mxnp gives to float32 rounding
    assert_allclose(loss.asnumpy(), [1.3132598, 2.126925], rtol=2e-6)
    assert_allclose(loss.asnumpy(), [onp.log1p(onp.e), 2 + onp.log1p(onp.exp(-2.))], rtol=1e-6)
    acc = metric.Accuracy()
    acc.update([label], [out])
    assert acc.get() == ("accuracy", 0.0)
    acc.update([nd.array([1, 0])], [out])
    assert acc.get() == ("accuracy", 0.5)


def test_save_and_load_parameters_in_the_1x_face(tmp_path):
    net = _made(LegacyNet)
    path = str(tmp_path / "net.params")
    net.save_parameters(path)
    other = LegacyNet()
    other.initialize()
    other.load_parameters(path)
    assert type(other.weight.data()) is NDArray
    assert_allclose(other(nd.array(X)).asnumpy(), _reference(), rtol=1e-6)
    with util.np_array(True):  # the same file in the numpy face
        numpy = NumpyNet()
        numpy.load_parameters(path)
        assert_allclose(numpy(np.array(X)).asnumpy(), _reference(), rtol=1e-6)


def _loader_types(loader):
    return [(type(t), t.dtype, str(t.context)) for t in next(iter(loader))]


@pytest.mark.parametrize("workers", [0, 2])
def test_dataloader_batches_are_ndarrays(workers):
    samples = onp.arange(12).reshape(6, 2).astype("float32")
    host = gluon.data.ArrayDataset(samples, onp.arange(6))
    ctx = "cpu_shared(0)" if workers else "cpu(0)"
    # MXNet 1.9.1 (mxref): NDArray batches; NumPy's int64 kept; workers give shared memory
    assert _loader_types(gluon.data.DataLoader(host, batch_size=3, num_workers=workers)) == \
        [(NDArray, onp.float32, ctx), (NDArray, onp.int64, ctx)]
    arrays = gluon.data.ArrayDataset(nd.array(samples), nd.arange(6))
    loader = gluon.data.DataLoader(arrays, batch_size=3, num_workers=workers)
    assert _loader_types(loader) == [(NDArray, onp.float32, ctx)] * 2
    first = next(iter(loader))[0]
    assert_allclose(first.asnumpy(), samples[:3])
    with util.np_array(True):  # a loader's workers take the switches when they start
        loader = gluon.data.DataLoader(arrays, batch_size=3, num_workers=workers)
        assert {t for t, _, _ in _loader_types(loader)} == {np.ndarray}


@pytest.mark.parametrize("face", [False, True])
def test_spawned_workers_take_the_main_process_switches(monkeypatch, face):
    from mxnp.gluon.data import _worker_pool

    monkeypatch.setattr(_worker_pool, "start_method", lambda: "spawn")  # starts with both off
    samples = gluon.data.ArrayDataset(onp.arange(12).reshape(6, 2).astype("float32"))
    with util.np_array(face), util.np_shape(face):
        loader = gluon.data.DataLoader(samples, batch_size=3, num_workers=1)
        batch = next(iter(loader))
    assert type(batch) is (np.ndarray if face else NDArray)
    assert_allclose(batch.asnumpy(), onp.arange(6).reshape(3, 2))


def test_printing_an_output_shows_the_ndarray():
    net = nn.Dense(3, in_units=2)
    net.initialize(init="ones")
    # MXNet 1.9.1 (mxref) prints an NDArray this way
    assert str(net(nd.ones((2, 2)))) == "\n[[2. 2. 2.]\n [2. 2. 2.]]\n<NDArray 2x3 @cpu(0)>"
    assert repr(net) == "Dense(2 -> 3, linear)"


def test_mixing_shows_the_arrays_in_the_current_face():
    # MXNet 1.9.1 refuses both (a legacy operator given an np array and the other way round);
    # mxnp shows the inputs in the current face, with gradients reaching the caller's array
    net = _made(LegacyNet)
    x = np.array(X)
    x.attach_grad()
    with autograd.record():
        y = net(x)
    y.backward()
    assert type(y) is NDArray and net.seen[1] is NDArray and type(x) is np.ndarray
    assert onp.abs(x.grad.asnumpy()).sum() > 0
    with util.np_array(True):
        numpy = _made(NumpyNet)
        y_np = numpy(nd.array(X))
    assert type(y_np) is np.ndarray
    assert_allclose(y_np.asnumpy(), y.asnumpy(), rtol=1e-6)


def test_use_np_gives_the_numpy_face_even_with_the_switch_off():
    @util.use_np
    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.fc = nn.Dense(3, in_units=4)

        def hybrid_forward(self, F, x):
            return F.npx.relu(self.fc(x))

    net = Net()
    net.initialize()
    # MXNet 1.9.1 (mxref): an np.ndarray out, the switch off again after the call
    assert type(net(np.ones((2, 4)))) is np.ndarray and not util.is_np_array()
    net.hybridize()
    assert type(net(np.ones((2, 4)))) is np.ndarray


def test_lambdas_around_user_functions_see_the_1x_face():
    seen = []

    def body(F, x):
        seen.append((F, type(x)))
        return F.relu(x)

    # MXNet 1.9.1 (mxref): [0. 2.], [-0.7615942 0.9640276], [-2. 4.]
    y = nn.HybridLambda(body)(nd.array([-1., 2.]))
    assert seen == [(nd, NDArray)] and type(y) is NDArray and y.asnumpy().tolist() == [0., 2.]
    assert_allclose(nn.HybridLambda("tanh")(nd.array([-1., 2.])).asnumpy(),
                    [-0.7615942, 0.9640276], rtol=1e-6)
    y = nn.Lambda(lambda x: x * 2)(nd.array([-1., 2.]))
    assert type(y) is NDArray and y.asnumpy().tolist() == [-2., 4.]


def test_autograd_grad_of_ndarray_variables_gives_ndarrays():
    x = nd.array([1., 2.])
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    (g,) = autograd.grad(y, [x])
    assert type(g) is NDArray and g.asnumpy().tolist() == [2., 4.]  # MXNet 1.9.1 (mxref)


def test_export_of_a_1x_net_imports_with_the_same_outputs(tmp_path):
    net = _made(LegacyNet)
    net.hybridize()
    y = net(nd.array(X))
    path = str(tmp_path / "legacy")
    net.export(path)
    back = gluon.SymbolBlock.imports(path + "-symbol.json", ["data"], path + "-0000.params")
    out = back(nd.array(X))
    assert type(out) is NDArray
    assert_allclose(out.asnumpy(), y.asnumpy(), rtol=1e-6)


def test_constant_from_host_values_is_float32_in_the_1x_face():
    # MXNet 1.9.1 (mxref): nd.array makes it float32 (int64 under npx.set_np())
    params = gluon.ParameterDict("t_")
    const = params.get_constant("c", onp.asarray([[1, 2], [3, 4]]))
    const.initialize()
    assert const.dtype == onp.float32 and const.data().dtype == onp.float32
    with util.np_array(True), util.np_shape(True):
        const = gluon.ParameterDict("t2_").get_constant("c", onp.asarray([[1, 2], [3, 4]]))
        const.initialize()
        assert const.data().dtype == onp.int64


def test_split_and_load_gives_ndarray_slices():
    x = nd.array(onp.arange(12).reshape(4, 3))
    parts = gluon.utils.split_and_load(x, [npx.cpu(0), npx.cpu(1)])
    assert [type(p) for p in parts] == [NDArray, NDArray]
    assert parts[1].context == npx.cpu(1) and parts[1].asnumpy().tolist() == [[6, 7, 8],
                                                                              [9, 10, 11]]
    assert [type(p) for p in gluon.utils.split_data(np.array(X), 5)] == [np.ndarray] * 5


def test_rnn_states_and_unrolled_outputs_are_ndarrays_with_the_numpy_face_values():
    from mxnp.gluon import rnn

    x = onp.random.RandomState(4).normal(size=(2, 3, 5)).astype("float32")
    valid = onp.array([3, 2], dtype="float32")

    def run(face):
        with util.np_array(face), util.np_shape(face):
            cell = rnn.BidirectionalCell(rnn.LSTMCell(4, input_size=5),
                                         rnn.LSTMCell(4, input_size=5))
            cell.initialize(init="ones")
            array = np.array if face else nd.array
            outs, states = cell.unroll(3, array(x), merge_outputs=True,
                                       valid_length=array(valid))
            layer = rnn.GRU(4, input_size=5)
            layer.initialize(init="ones")
            begin = layer.begin_state(3)
            out, last = layer(array(x), begin)
        return outs, states, begin, out, last

    legacy, numpy = run(False), run(True)
    # MXNet 1.9.1 (mxref): begin_state and unroll give NDArrays while the switch is off
    kinds = [type(legacy[0]), {type(s) for s in legacy[1]}, {type(s) for s in legacy[2]},
             type(legacy[3]), {type(s) for s in legacy[4]}]
    assert kinds == [NDArray, {NDArray}, {NDArray}, NDArray, {NDArray}]
    assert type(numpy[0]) is np.ndarray and {type(s) for s in numpy[2]} == {np.ndarray}
    for a, b in zip((legacy[0], *legacy[1], legacy[3]), (numpy[0], *numpy[1], numpy[3])):
        assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6)


def test_deferred_weight_of_a_1x_body_is_inferred_from_fully_connected():
    class FC(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.w = self.params.get("w", shape=(3, 0), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w):
            return F.FullyConnected(x, w, no_bias=True, num_hidden=3)

    net = FC()
    net.initialize()
    out = net(nd.ones((4, 7)))
    # MXNet 1.9.1 (mxref): (4, 3) out, w (3, 7)
    assert type(out) is NDArray and out.shape == (4, 3) and net.w.shape == (3, 7)


def test_unknown_dims_print_as_mxnet_prints_them_without_numpy_shapes():
    # MXNet 1.9.1 with its switches off (mxref): 0 for an unknown dim, None in some reprs
    dense, norm = nn.Dense(3), nn.BatchNorm()
    assert dense.weight.shape == (3, 0)
    assert str(dense.weight).endswith("_weight (shape=(3, 0), dtype=float32)")
    assert repr(dense).startswith("Dense(None -> 3")
    assert repr(norm).endswith("use_global_stats=False, in_channels=None)")
    assert repr(nn.LayerNorm()).endswith("in_channels=0)")
    with util.np_shape(True):
        assert dense.weight.shape == (3, -1)
        assert repr(dense).startswith("Dense(-1 -> 3")
        assert repr(norm).endswith("in_channels=-1)")


def test_a_block_defined_by_exec_without_a_module_name_runs():
    # code run by exec() in a bare namespace (as notebook runners and mxref do) defines
    # functions whose __module__ is None
    namespace = {}
    exec(
        "import mxnp as mx\n"
        "class Twice(mx.gluon.HybridBlock):\n"
        "    def hybrid_forward(self, F, x):\n"
        "        return x * 2\n"
        "out = Twice()(mx.nd.ones((2,)))\n", namespace)
    assert namespace["Twice"].hybrid_forward.__module__ is None
    assert namespace["out"].asnumpy().tolist() == [2, 2]


def test_parameter_files_carry_the_magic_of_the_shape_mode(tmp_path):
    # MXNet 1.9.1 (mxref): save_parameters, ParameterDict.save, export and Block.save write
    # through mx.nd.save outside numpy mode: the legacy array magic 0xF993FAC9, which MXNet's
    # legacy mode requires to load them (it refuses the numpy-shape 0xF993FACA); numpy mode
    # writes 0xF993FACA
    import struct

    def magic(path):
        with open(path, "rb") as f:
            return struct.unpack("<I", f.read(28)[24:28])[0]

    for face, want in ((False, 0xF993FAC9), (True, 0xF993FACA)):
        if face:
            npx.set_np()
        try:
            net = nn.HybridSequential()
            net.add(nn.Dense(2, in_units=3))
            net.initialize()
            net.hybridize()
            net(np.ones((1, 3)) if face else nd.ones((1, 3)))
            base = tmp_path / str(face)
            net.save_parameters(f"{base}-p.params")
            net.export(str(base))
            net.save(str(base))
            files = [f"{base}-p.params", f"{base}-0000.params", f"{base}-model.params"]
            if not face:
                net.collect_params().save(f"{base}-d.params")
                files.append(f"{base}-d.params")
        finally:
            npx.reset_np()
        assert [hex(magic(f)) for f in files] == [hex(want)] * len(files)
