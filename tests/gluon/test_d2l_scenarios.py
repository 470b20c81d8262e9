"""Whole programs from the MXNet edition of *Dive into Deep Learning*, checked against MXNet 1.9.1.

Each test is one notebook run in a fresh process (the name counters restart), written as D2L
writes it, and asserts what the real MXNet displayed for the same cells (recorded with
/work/shared/tools/mxref; reprs literally, float values to float32 rounding). Random draws
differ between the frameworks, so weights are made deterministic with Constant/One/set_data.
Parameters, deferred initialisation, custom layers and file I/O are in
test_d2l_scenarios_params.py; convolutional nets in _convnets.py; the rest in _training.py.
"""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, init
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import close, fresh_process, mlp_classes, text  # noqa: F401 (autouse fixture)


def test_preliminaries_type_names_under_the_alias():
    A = np.arange(3).asnumpy()
    B = np.array(A)
    alias = getattr(mx, 'enable_mxnet_alias', None)  # mxnp's switch; absent in the real MXNet
    if alias is not None:
        alias()
    try:
        # MXNet 1.9.1 (mxref), D2L's preliminaries: (numpy.ndarray, mxnet.numpy.ndarray)
        assert (repr(type(A)), repr(type(B))) == \
            ("<class 'numpy.ndarray'>", "<class 'mxnet.numpy.ndarray'>")
    finally:
        if alias is not None:
            mx.disable_mxnet_alias()


def test_linear_regression_concise():
    true_w = np.array([2, -3.4])
    true_b = 4.2
    features = np.arange(40, dtype='float32').reshape(20, 2) / 20 - 1
    labels = (np.dot(features, true_w) + true_b).reshape((-1, 1))
    # MXNet 1.9.1 (mxref)
    assert (features.dtype, labels.dtype, labels.shape) == (onp.float32, onp.float32, (20, 1))
    data_iter = [(features[i:i + 5], labels[i:i + 5]) for i in range(0, 20, 5)]
    net = nn.Sequential()
    net.add(nn.Dense(1))
    assert repr(net) == "Sequential(\n  (0): Dense(-1 -> 1, linear)\n)"  # MXNet 1.9.1 (mxref)
    net.initialize(init.Constant(0.5))
    # MXNet 1.9.1 (mxref)
    assert repr(net[0].weight) == "Parameter dense0_weight (shape=(1, -1), dtype=float32)"
    with pytest.raises(gluon.DeferredInitializationError,
                       match="Parameter 'dense0_weight' has not been initialized yet because"):
        net[0].weight.data()
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})
    epoch_losses = []
    for _ in range(3):
        for X, y in data_iter:
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(5)
        l = loss(net(features), labels)
        epoch_losses.append(float(l.mean()))
    close(epoch_losses, [7.427922, 5.830992, 4.579044])  # MXNet 1.9.1 (mxref)
    w, b = net[0].weight.data(), net[0].bias.data()
    close(true_w - w.reshape(true_w.shape), [1.8338127, -3.6294231])  # MXNet 1.9.1 (mxref)
    close(true_b - b, [2.9352863])  # MXNet 1.9.1 (mxref)
    close(net[0].weight.grad(), [[-5.404427, -5.8028035]])  # MXNet 1.9.1 (mxref)
    assert (l.shape, l.dtype) == ((20,), onp.float32)  # MXNet 1.9.1 (mxref)
    assert trainer.learning_rate == 0.03
    trainer.set_learning_rate(0.1)
    assert trainer.learning_rate == 0.1
    # MXNet 1.9.1 (mxref)
    assert repr(net[0].bias) == "Parameter dense0_bias (shape=(1,), dtype=float32)"


def test_linear_regression_with_data_loader():
    features = np.arange(40, dtype='float32').reshape(20, 2) / 20 - 1
    labels = (np.dot(features, np.array([2, -3.4])) + 4.2).reshape((-1, 1))

    def load_array(data_arrays, batch_size, is_train=True):
        dataset = gluon.data.ArrayDataset(*data_arrays)
        return gluon.data.DataLoader(dataset, batch_size, shuffle=is_train)

    data_iter = load_array((features, labels), 5, is_train=False)
    X, y = next(iter(data_iter))
    # MXNet 1.9.1 (mxref): ((5, 2), (5, 1), 'ndarray', dtype('float32'), 4)
    assert (X.shape, y.shape, type(X).__name__, X.dtype, len(data_iter)) == \
        ((5, 2), (5, 1), 'ndarray', onp.float32, 4)
    close(X[:, 0], [-1., -0.9, -0.8, -0.7, -0.6])  # MXNet 1.9.1 (mxref)
    d = gluon.data.ArrayDataset(features, labels)
    assert len(d) == 20
    close(d[0][1], [5.43])  # MXNet 1.9.1 (mxref)
    batch = next(iter(load_array((features, labels), 5)))
    assert (type(batch).__name__, len(batch), batch[0].shape) == ('list', 2, (5, 2))
    lens = [len(gluon.data.DataLoader(d, 7, last_batch=k)) for k in ('discard', 'keep', 'rollover')]
    assert lens == [2, 3, 2]  # MXNet 1.9.1 (mxref)
    assert [x.shape for x, _ in gluon.data.DataLoader(d, 7)] == [(7, 2), (7, 2), (6, 2)]


def test_softmax_regression_concise_and_accuracy():
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.initialize(init.Constant(0.01))
    X = np.arange(2 * 784, dtype='float32').reshape(2, 1, 28, 28) / 784
    y = np.array([3, 7])
    assert net(X).shape == (2, 10)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    assert repr(loss) == "SoftmaxCrossEntropyLoss(batch_axis=0, w=None)"  # MXNet 1.9.1 (mxref)
    close(loss(net(X), y), [2.302588, 2.302588])  # MXNet 1.9.1 (mxref)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    with autograd.record():
        l = loss(net(X), y)
    l.backward()
    trainer.step(X.shape[0])
    close(net[0].bias.data(), [-0.00999997] * 3 + [0.04000003] + [-0.00999997] * 3
          + [0.04000003] + [-0.00999997] * 2)  # MXNet 1.9.1 (mxref)

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        cmp = y_hat.astype(y.dtype) == y
        return float(cmp.astype(y.dtype).sum())

    assert accuracy(net(X), y) == 1.0  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref): array([7, 7], dtype=int64)
    assert repr(net(X).argmax(axis=1)) == "array([7, 7], dtype=int64)"
    metric = mx.metric.Accuracy()
    metric.update([y], [net(X).argmax(axis=1)])
    assert metric.get() == ('accuracy', 0.5)  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref): <mxnet.metric.Accuracy at 0x...>, whatever module defines the class
    assert type(metric).__module__ == f"{mx.__name__}.metric"
    assert mx.metric.EvalMetric.__module__ == f"{mx.__name__}.metric"
    close(float(loss(net(X), y).sum()), 19.574993133544922)  # MXNet 1.9.1 (mxref)
    assert (y.size, type(y.size)) == (2, int)
    close(loss(np.ones((2, 3)), np.array([[0.], [1.]])), [1.09861, 1.09861], rtol=1e-4)
    close(gluon.loss.L2Loss()(np.ones((2, 3)), np.zeros((2, 3))), [0.5, 0.5])
    assert repr(gluon.loss.L1Loss()) == "L1Loss(batch_axis=0, w=None)"  # MXNet 1.9.1 (mxref)


def test_model_construction():
    MLP, FixedHiddenMLP = mlp_classes()
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'))
    net.add(nn.Dense(10))
    net.initialize()
    X = np.random.uniform(size=(2, 20))
    assert net(X).shape == (2, 10)
    # MXNet 1.9.1 (mxref)
    assert repr(net) == text("""
        Sequential(
          (0): Dense(20 -> 256, Activation(relu))
          (1): Dense(256 -> 10, linear)
        )""")
    net = MLP()
    net.initialize()
    assert net(X).shape == (2, 10)
    # MXNet 1.9.1 (mxref)
    assert repr(net) == text("""
        MLP(
          (hidden): Dense(20 -> 256, Activation(relu))
          (output): Dense(256 -> 10, linear)
        )""")
    assert (net.name, net.hidden.name, net.output.prefix) == ('mlp0', 'dense2', 'dense3_')
    assert list(net.collect_params().keys()) == \
        ['dense2_weight', 'dense2_bias', 'dense3_weight', 'dense3_bias']  # MXNet 1.9.1 (mxref)

    class MySequential(nn.Block):
        def add(self, block):
            self._children[block.name] = block

        def forward(self, X):
            for block in self._children.values():
                X = block(X)
            return X

    net = MySequential()
    net.add(nn.Dense(256, activation='relu'))
    net.add(nn.Dense(10))
    net.initialize()
    assert net(X).shape == (2, 10)
    assert repr(net) == "MySequential(\n\n)"  # MXNet 1.9.1 (mxref)
    net = FixedHiddenMLP()
    net.initialize()
    r = net(X)
    assert (r.shape, type(r).__name__) == ((), 'ndarray')  # MXNet 1.9.1 (mxref)
    assert repr(net) == "FixedHiddenMLP(\n  (dense): Dense(20 -> 20, Activation(relu))\n)"
    # MXNet 1.9.1 (mxref)
    assert list(net.collect_params().keys()) == \
        ['fixedhiddenmlp0_rand_weight', 'dense6_weight', 'dense6_bias']
    assert repr(net.rand_weight) == \
        "Constant fixedhiddenmlp0_rand_weight (shape=(20, 20), dtype=float32)"
    # MXNet 1.9.1 (mxref)
    assert repr(net.collect_params()) == text("""
        fixedhiddenmlp0_ (
          Constant fixedhiddenmlp0_rand_weight (shape=(20, 20), dtype=float32)
          Parameter dense6_weight (shape=(20, 20), dtype=float32)
          Parameter dense6_bias (shape=(20,), dtype=float32)
        )""")

    class NestMLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.net = nn.Sequential()
            self.net.add(nn.Dense(64, activation='relu'), nn.Dense(32, activation='relu'))
            self.dense = nn.Dense(16, activation='relu')

        def forward(self, X):
            return self.dense(self.net(X))

    chimera = nn.Sequential()
    chimera.add(NestMLP(), nn.Dense(20), FixedHiddenMLP())
    chimera.initialize()
    assert chimera(X).shape == ()
    # MXNet 1.9.1 (mxref)
    assert repr(chimera) == text("""
        Sequential(
          (0): NestMLP(
            (net): Sequential(
              (0): Dense(20 -> 64, Activation(relu))
              (1): Dense(64 -> 32, Activation(relu))
            )
            (dense): Dense(32 -> 16, Activation(relu))
          )
          (1): Dense(16 -> 20, linear)
          (2): FixedHiddenMLP(
            (dense): Dense(20 -> 20, Activation(relu))
          )
        )""")
    assert list(chimera.collect_params().keys()) == [
        'dense7_weight', 'dense7_bias', 'dense8_weight', 'dense8_bias', 'dense9_weight',
        'dense9_bias', 'dense10_weight', 'dense10_bias', 'fixedhiddenmlp1_rand_weight',
        'dense11_weight', 'dense11_bias']  # MXNet 1.9.1 (mxref)
    assert repr(chimera[0].net[1]) == "Dense(64 -> 32, Activation(relu))"
    assert len(chimera) == 3
    assert repr(chimera[1:]) == text("""
        Sequential(
          (0): Dense(16 -> 20, linear)
          (1): FixedHiddenMLP(
            (dense): Dense(20 -> 20, Activation(relu))
          )
        )""")  # MXNet 1.9.1 (mxref)
    assert repr(nn.Dense(3, in_units=4)) == "Dense(4 -> 3, linear)"
    assert repr(nn.Dense(3, activation='sigmoid', use_bias=False, flatten=False)) == \
        "Dense(-1 -> 3, Activation(sigmoid))"  # MXNet 1.9.1 (mxref)
