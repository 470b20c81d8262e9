"""D2L's parameter management, deferred initialisation, custom layers and file I/O chapters.

Same method as test_d2l_scenarios.py: one fresh process per test, displays recorded from
MXNet 1.9.1 with /work/shared/tools/mxref, deterministic weights.
"""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp import gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import close, fresh_process, mlp_classes, text  # noqa: F401


def test_parameter_management(capsys):
    net = nn.Sequential()
    net.add(nn.Dense(8, activation='relu'))
    net.add(nn.Dense(1))
    net.initialize()
    X = np.random.uniform(size=(2, 4))
    assert net(X).shape == (2, 1)
    # MXNet 1.9.1 (mxref)
    assert repr(net[0].params) == text("""
        dense0_ (
          Parameter dense0_weight (shape=(8, 4), dtype=float32)
          Parameter dense0_bias (shape=(8,), dtype=float32)
        )""")
    assert repr(net[1].bias) == "Parameter dense1_bias (shape=(1,), dtype=float32)"
    assert type(net[1].bias) is gluon.Parameter
    assert repr(net[1].bias.data()) == "array([0.])"  # MXNet 1.9.1 (mxref)
    assert repr(net[1].weight.grad()) == "array([[0., 0., 0., 0., 0., 0., 0., 0.]])"
    # MXNet 1.9.1 (mxref)
    assert repr(net.collect_params()) == text("""
        sequential0_ (
          Parameter dense0_weight (shape=(8, 4), dtype=float32)
          Parameter dense0_bias (shape=(8,), dtype=float32)
          Parameter dense1_weight (shape=(1, 8), dtype=float32)
          Parameter dense1_bias (shape=(1,), dtype=float32)
        )""")
    assert repr(net.collect_params()['dense1_bias'].data()) == "array([0.])"
    assert repr(net.collect_params('.*weight')) == text("""
        sequential0_ (
          Parameter dense0_weight (shape=(8, 4), dtype=float32)
          Parameter dense1_weight (shape=(1, 8), dtype=float32)
        )""")  # MXNet 1.9.1 (mxref)

    def block1():
        net = nn.Sequential()
        net.add(nn.Dense(32, activation='relu'))
        net.add(nn.Dense(16, activation='relu'))
        return net

    def block2():
        net = nn.Sequential()
        for _ in range(4):
            net.add(block1())
        return net

    rgnet = nn.Sequential()
    rgnet.add(block2())
    rgnet.add(nn.Dense(10))
    rgnet.initialize()
    assert rgnet(X).shape == (2, 10)
    inner = "\n".join(f"    ({i}): Sequential(\n      (0): Dense({4 if i == 0 else 16} -> 32, "
                      "Activation(relu))\n      (1): Dense(32 -> 16, Activation(relu))\n    )"
                      for i in range(4))
    # MXNet 1.9.1 (mxref)
    assert repr(rgnet) == f"Sequential(\n  (0): Sequential(\n{inner}\n  )\n" \
        "  (1): Dense(16 -> 10, linear)\n)"
    assert repr(rgnet[0][1][0].bias.data()) == repr(np.zeros(32))
    net.initialize(init=init.Normal(sigma=0.01), force_reinit=True)
    assert net[0].weight.data().shape == (8, 4)
    net.initialize(init=init.Constant(1), force_reinit=True)
    assert repr(net[0].weight.data()[0]) == "array([1., 1., 1., 1.])"  # MXNet 1.9.1 (mxref)
    net[0].weight.initialize(init=init.Xavier(), force_reinit=True)
    net[1].initialize(init=init.Constant(42), force_reinit=True)
    assert repr(net[1].weight.data()) == "array([[42., 42., 42., 42., 42., 42., 42., 42.]])"
    capsys.readouterr()

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            print('Init', name, data.shape)
            data[:] = np.arange(data.size).reshape(data.shape) - 3
            data *= np.abs(data) >= 5

    net.initialize(MyInit(), force_reinit=True)
    # MXNet 1.9.1 (mxref)
    assert capsys.readouterr().out == "Init dense0_weight (8, 4)\nInit dense1_weight (1, 8)\n"
    assert repr(net[0].weight.data()[:2]) == \
        "array([[-0., -0., -0.,  0.],\n       [ 0.,  0.,  0.,  0.]])"  # MXNet 1.9.1 (mxref)
    net[0].weight.data()[:] += 1
    net[0].weight.data()[0, 0] = 42
    assert repr(net[0].weight.data()[0]) == "array([42.,  1.,  1.,  1.])"  # MXNet 1.9.1 (mxref)


def test_tied_parameters():
    net = nn.Sequential()
    shared = nn.Dense(8, activation='relu')
    net.add(nn.Dense(8, activation='relu'), shared,
            nn.Dense(8, activation='relu', params=shared.params), nn.Dense(10))
    net.initialize()
    X = np.random.uniform(size=(2, 20))
    assert net(X).shape == (2, 10)
    assert bool((net[1].weight.data()[0] == net[2].weight.data()[0]).all())
    net[1].weight.data()[0, 0] = 100
    assert bool((net[1].weight.data()[0] == net[2].weight.data()[0]).all())
    # MXNet 1.9.1 (mxref): the shared block is dense0, made before the list's first Dense
    assert (net[1].weight is net[2].weight, net[2].weight.name) == (True, 'dense0_weight')
    # MXNet 1.9.1 (mxref)
    assert repr(net.collect_params()) == text("""
        sequential0_ (
          Parameter dense1_weight (shape=(8, 20), dtype=float32)
          Parameter dense1_bias (shape=(8,), dtype=float32)
          Parameter dense0_weight (shape=(8, 8), dtype=float32)
          Parameter dense0_bias (shape=(8,), dtype=float32)
          Parameter dense3_weight (shape=(10, 8), dtype=float32)
          Parameter dense3_bias (shape=(10,), dtype=float32)
        )""")
    assert repr(net) == text("""
        Sequential(
          (0): Dense(20 -> 8, Activation(relu))
          (1): Dense(8 -> 8, Activation(relu))
          (2): Dense(8 -> 8, Activation(relu))
          (3): Dense(8 -> 10, linear)
        )""")  # MXNet 1.9.1 (mxref)


def _get_net():
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'))
    net.add(nn.Dense(10))
    return net


def test_deferred_initialization(capsys):
    net = _get_net()
    deferred = text("""
        sequential0_ (
          Parameter dense0_weight (shape=(256, -1), dtype=float32)
          Parameter dense0_bias (shape=(256,), dtype=float32)
          Parameter dense1_weight (shape=(10, -1), dtype=float32)
          Parameter dense1_bias (shape=(10,), dtype=float32)
        )""")
    assert repr(net.collect_params()) == deferred  # MXNet 1.9.1 (mxref)
    net.initialize()
    assert repr(net.collect_params()) == deferred  # MXNet 1.9.1 (mxref)
    with pytest.raises(gluon.DeferredInitializationError) as err:
        net[0].weight.data()
    # MXNet 1.9.1 (mxref), first 250 characters
    assert str(err.value).startswith(
        "Parameter 'dense0_weight' has not been initialized yet because initialization was "
        "deferred. Actual initialization happens during the first forward pass. Please pass one"
        " batch of data through the network before accessing Parameters. You can also avoid "
        "deferred initialization by specifying in_units, n")
    X = np.random.uniform(size=(2, 20))
    net(X)
    assert repr(net.collect_params()) == deferred.replace("(256, -1)", "(256, 20)").replace(
        "(10, -1)", "(10, 256)")  # MXNet 1.9.1 (mxref)

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            print('Init', name, data.shape)

    net = _get_net()
    net.initialize(init=MyInit())
    assert capsys.readouterr().out == ""  # MXNet 1.9.1 (mxref): nothing until the first forward
    net(X)
    # MXNet 1.9.1 (mxref)
    assert capsys.readouterr().out == "Init dense2_weight (256, 20)\nInit dense3_weight (10, 256)\n"
    net(X)
    assert capsys.readouterr().out == ""
    net.initialize(init=MyInit(), force_reinit=True)
    assert capsys.readouterr().out == "Init dense2_weight (256, 20)\nInit dense3_weight (10, 256)\n"
    net = nn.Sequential()
    net.add(nn.Dense(256, in_units=20, activation='relu'))
    net.add(nn.Dense(10, in_units=256))
    net.initialize(init=MyInit())
    # MXNet 1.9.1 (mxref): known shapes initialise at once
    assert capsys.readouterr().out == "Init dense4_weight (256, 20)\nInit dense5_weight (10, 256)\n"
    net = _get_net()
    # MXNet 1.9.1 (mxref)
    with pytest.raises(RuntimeError, match=r"^Parameter 'dense6_weight' has not been initialized\. "
                       r"Note that you should initialize parameters and create Trainer with "
                       r"Block\.collect_params\(\) instead of Block\.params because the later "
                       r"does not include Parameters of nested child Blocks$"):
        net(X)
    net = _get_net()
    net.initialize()
    net(np.ones((2, 3)))
    with pytest.raises(mx.base.MXNetError):  # MXNet 1.9.1 (mxref): "Shape inconsistent ..."
        net(np.ones((2, 4)))
    assert net[0].weight.shape == (256, 3)


def test_parameter_objects():
    p = gluon.Parameter('w', shape=(0, 3))
    # MXNet 1.9.1 (mxref)
    assert repr(p) == "Parameter w (shape=(-1, 3), dtype=<class 'numpy.float32'>)"
    with pytest.raises(RuntimeError, match="^Parameter 'w' has not been initialized. Note"):
        p.data()
    # MXNet 1.9.1 (mxref)
    with pytest.raises(ValueError, match=r"^Cannot initialize Parameter 'w' because it has "
                       r"invalid shape: \(-1, 3\)\.$"):
        p.initialize()
    p = gluon.Parameter('w2', shape=(2, 3))
    p.initialize(init=init.One())
    assert repr(p.data()) == "array([[1., 1., 1.],\n       [1., 1., 1.]])"
    assert repr(p.grad()) == "array([[0., 0., 0.],\n       [0., 0., 0.]])"
    # MXNet 1.9.1 (mxref): ('write', 1.0, 1.0, numpy.float32)
    assert (p.grad_req, p.lr_mult, p.wd_mult, p.dtype) == ('write', 1.0, 1.0, onp.float32)
    assert repr(p.list_ctx()) == "[cpu(0)]"


def test_custom_layers():
    class CenteredLayer(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def forward(self, X):
            return X - X.mean()

    layer = CenteredLayer()
    assert repr(layer(np.array([1, 2, 3, 4, 5]))) == "array([-2., -1.,  0.,  1.,  2.])"
    net = nn.Sequential()
    net.add(nn.Dense(128), CenteredLayer())
    net.initialize()
    Y = net(np.random.uniform(size=(4, 8)))
    assert Y.mean().shape == () and abs(float(Y.mean())) < 1e-6
    # MXNet 1.9.1 (mxref): an empty block prints an indented blank line
    assert repr(net) == "Sequential(\n  (0): Dense(8 -> 128, linear)\n  (1): CenteredLayer(\n  \n  )\n)"
    params = gluon.ParameterDict()
    params.get('param2', shape=(2, 3))
    # MXNet 1.9.1 (mxref)
    assert repr(params) == "(\n  Parameter param2 (shape=(2, 3), dtype=<class 'numpy.float32'>)\n)"

    class MyDense(nn.Block):
        def __init__(self, units, in_units, **kwargs):
            super().__init__(**kwargs)
            self.weight = self.params.get('weight', shape=(in_units, units))
            self.bias = self.params.get('bias', shape=(units,))

        def forward(self, x):
            linear = np.dot(x, self.weight.data()) + self.bias.data(ctx=x.ctx)
            return npx.relu(linear)

    dense = MyDense(units=3, in_units=5)
    # MXNet 1.9.1 (mxref)
    assert repr(dense.params) == text("""
        mydense0_ (
          Parameter mydense0_weight (shape=(5, 3), dtype=<class 'numpy.float32'>)
          Parameter mydense0_bias (shape=(3,), dtype=<class 'numpy.float32'>)
        )""")
    dense.initialize(init.Constant(0.1))
    assert repr(dense(np.ones((2, 5)))) == "array([[0.6, 0.6, 0.6],\n       [0.6, 0.6, 0.6]])"
    # MXNet 1.9.1 (mxref): the global init reaches a params.get bias too
    assert repr(dense.bias.data()) == "array([0.1, 0.1, 0.1])"
    net = nn.Sequential()
    net.add(MyDense(8, in_units=64), MyDense(1, in_units=8))
    net.initialize(init.One())
    assert repr(net(np.ones((2, 64)))) == "array([[521.],\n       [521.]])"  # MXNet 1.9.1 (mxref)
    empty = "MyDense(\n  \n  )"
    assert repr(net) == f"Sequential(\n  (0): {empty}\n  (1): {empty}\n)"


def test_file_io(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = np.arange(4)
    npx.save('x-file', x)
    assert repr(npx.load('x-file')) == "[array([0., 1., 2., 3.])]"  # MXNet 1.9.1 (mxref)
    y = np.zeros(4)
    npx.save('x-files', [x, y])
    x2, y2 = npx.load('x-files')
    assert repr((x2, y2)) == "(array([0., 1., 2., 3.]), array([0., 0., 0., 0.]))"
    npx.save('mydict', {'x': x, 'y': y})
    # MXNet 1.9.1 (mxref)
    assert repr(npx.load('mydict')) == \
        "{'x': array([0., 1., 2., 3.]), 'y': array([0., 0., 0., 0.])}"
    MLP, _ = mlp_classes()
    net = MLP()
    net.initialize(init.Constant(0.01))
    X = np.ones((2, 20)) / 4
    Y = net(X)
    net.save_parameters('mlp.params')
    clone = MLP()
    clone.load_parameters('mlp.params')
    assert bool((clone(X) == Y).all())
    close(Y, onp.full((2, 10), 0.12799999))  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref): structural names in the file
    assert sorted(npx.load('mlp.params')) == \
        ['hidden.bias', 'hidden.weight', 'output.bias', 'output.weight']
    assert repr(clone.hidden.weight.data()[0, :3]) == "array([0.01, 0.01, 0.01])"
    loaded = npx.load('mlp.params')['hidden.weight']
    # MXNet 1.9.1 (mxref): (dtype('float32'), (256, 20), 'ndarray'); mxnp showed dtype('<f4')
    assert (repr(loaded.dtype), loaded.shape, type(loaded).__name__) == \
        ("dtype('float32')", (256, 20), 'ndarray')
    n2 = nn.Sequential()
    n2.add(nn.Dense(3))
    n2.initialize()
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError, match=r"^Parameter '0\.weight' is missing in file "
                       r"'mlp\.params', which contains parameters: 'hidden\.weight', "
                       r"'hidden\.bias', 'output\.weight', 'output\.bias'\. Set "
                       r"allow_missing=True to ignore missing parameters\.$"):
        n2.load_parameters('mlp.params')


def test_warnings_seen_in_notebooks():
    net = nn.Sequential()
    net.add(nn.Dense(2, in_units=3))
    net.initialize()
    # MXNet 1.9.1 (mxref): one UserWarning per parameter on a second initialize()
    with pytest.warns(UserWarning) as seen:
        net.initialize()
    assert [str(w.message) for w in seen] == [
        f"Parameter '{p}' is already initialized, ignoring. Set force_reinit=True to "
        "re-initialize." for p in ('dense0_weight', 'dense0_bias')]

    class B(nn.Block):
        def __init__(self):
            super().__init__()
            self.l = [nn.Dense(2)]

    with pytest.warns(UserWarning) as seen:
        B().collect_params()
    # MXNet 1.9.1 (mxref), trailing space included
    assert [str(w.message) for w in seen] == [
        ('"B.l" is an unregistered container with Blocks. Note that Blocks inside the list, '
         'tuple or dict will not be registered automatically. Make sure to register them using '
         'register_child() or switching to nn.Sequential/nn.HybridSequential instead. ')]


def test_kaggle_house_price_helpers():
    obj = onp.array([[1.5, True, False], [2.0, False, True]], dtype=object)  # pandas .values
    a = np.array(obj, dtype=np.float32)
    assert repr(a) == "array([[1.5, 1. , 0. ],\n       [2. , 0. , 1. ]])"  # MXNet 1.9.1 (mxref)
    loss = gluon.loss.L2Loss()

    def log_rmse(net, features, labels):
        clipped_preds = np.clip(net(features), 1, float('inf'))
        return np.sqrt(2 * loss(np.log(clipped_preds), np.log(labels)).mean())

    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Constant(1.0))
    r = log_rmse(net, np.array([[1., 2.], [0.5, 0.2]]), np.array([[4.], [1.5]]))
    close(float(r), 0.35154154896736145)  # MXNet 1.9.1 (mxref)
    preds = net(np.array([[1., 2.], [0.5, 0.2]])).asnumpy()
    assert repr(preds.reshape(1, -1)[0]) == "array([3. , 0.7], dtype=float32)"
