"""D2L chapters 3-8 through the real d2l library: linear and softmax regression, MLPs, weight
decay, Fashion-MNIST read from IDX files by DataLoader workers, the builders' guide, LeNet and a
small ResNet (see conftest.py for the data and the skip)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn

from .book_data import points, quiet


def test_linear_regression_scratch_and_concise(d2l):
    data = d2l.SyntheticRegressionData(w=np.array([2, -3.4]), b=4.2)
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (32, 2) and y.shape == (32, 1) and len(data.train_dataloader()) == 32
    for model in (d2l.LinearRegressionScratch(2, lr=0.03), d2l.LinearRegression(lr=0.03)):
        d2l.Trainer(max_epochs=3).fit(quiet(model), data)
        w, b = (model.w, model.b) if hasattr(model, "w") else model.get_w_b()
        # 96 steps of lr 0.03 on a loss of (y_hat - y)^2 / 2 leave (1 - 0.03)^96 ~ 5% of the
        # initial error (2, -3.4, 4.2): about 0.1 to 0.2, as the book prints
        err = onp.abs((data.w - w.reshape(data.w.shape)).asnumpy())
        assert err.max() < 0.4 and abs(float(data.b - b.reshape(()))) < 0.4
        loss = points(model, "train_loss")
        assert onp.isfinite(loss).all() and loss[-1] < loss[0] / 10


def test_weight_decay_shrinks_the_weights(d2l):
    class Data(d2l.DataModule):
        def __init__(self, num_train, num_val, num_inputs, batch_size):
            self.save_hyperparameters()
            self.X = np.random.randn(num_train + num_val, num_inputs)
            self.y = np.dot(self.X, np.ones((num_inputs, 1)) * 0.01) + 0.05

        def get_dataloader(self, train):
            i = slice(0, self.num_train) if train else slice(self.num_train, None)
            return self.get_tensorloader([self.X, self.y], train, i)

    class WeightDecay(d2l.LinearRegression):
        def __init__(self, wd, lr):
            super().__init__(lr)
            self.save_hyperparameters()

        def configure_optimizers(self):
            self.collect_params('.*bias').setattr('wd_mult', 0)
            return gluon.Trainer(self.collect_params(), 'sgd',
                                 {'learning_rate': self.lr, 'wd': self.wd})

    data = Data(num_train=20, num_val=100, num_inputs=200, batch_size=5)
    norms = []
    for wd in (0, 3):
        model = quiet(WeightDecay(wd=wd, lr=0.01))
        d2l.Trainer(max_epochs=10).fit(model, data)
        norms.append(float((model.get_w_b()[0] ** 2).sum()))
        assert model.get_w_b()[1].shape == (1,)
    assert norms[1] < norms[0] / 2


def test_fashion_mnist_through_data_loader_workers(d2l):
    data = d2l.FashionMNIST(resize=(32, 32))
    assert (len(data.train), len(data.val)) == (600, 200)
    assert data.num_workers == 4  # the book's loaders run in worker processes
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (64, 1, 32, 32) and X.dtype == onp.float32
    assert y.shape == (64,) and y.dtype == onp.int32
    assert 0 <= float(X.min()) and float(X.max()) <= 1
    assert data.text_labels([0, 9]) == ['t-shirt', 'ankle boot']
    data.visualize((X[:8], y[:8]))
    # the old API of the book's first edition reads the same files
    train_iter, _ = d2l.load_data_fashion_mnist(32, resize=28)
    X, y = next(iter(train_iter))
    assert X.shape == (32, 1, 28, 28) and y.dtype == onp.int32


@pytest.mark.parametrize("kind", ["scratch", "concise", "mlp", "dropout"])
def test_classifiers_learn_the_separable_fashion_files(d2l, kind):
    def softmax(X):
        X_exp = np.exp(X)
        return X_exp / X_exp.sum(1, keepdims=True)

    class SoftmaxRegressionScratch(d2l.Classifier):
        def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
            super().__init__()
            self.save_hyperparameters()
            self.W = np.random.normal(0, sigma, (num_inputs, num_outputs))
            self.b = np.zeros(num_outputs)
            self.W.attach_grad()
            self.b.attach_grad()

        def collect_params(self):
            return [self.W, self.b]

        def forward(self, X):
            return softmax(np.dot(X.reshape((-1, self.W.shape[0])), self.W) + self.b)

        def loss(self, y_hat, y):
            return -np.log(y_hat[list(range(len(y_hat))), y]).mean()

    class MLP(d2l.Classifier):
        def __init__(self, num_outputs, num_hiddens, lr, dropout=0):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential()
            self.net.add(nn.Dense(num_hiddens, activation='relu'), nn.Dropout(dropout),
                         nn.Dense(num_outputs))
            self.net.initialize(init.Xavier())

    model = {"scratch": lambda: SoftmaxRegressionScratch(784, 10, lr=0.1),
             "concise": lambda: d2l.SoftmaxRegression(num_outputs=10, lr=0.5),
             "mlp": lambda: MLP(10, 64, lr=0.5),
             "dropout": lambda: MLP(10, 64, lr=0.5, dropout=0.3)}[kind]()
    data = d2l.FashionMNIST(batch_size=128)
    data.num_workers = 0
    d2l.Trainer(max_epochs=4).fit(quiet(model), data)
    X, y = next(iter(data.val_dataloader()))
    assert float(model.accuracy(model(X), y)) > 0.9
    assert model.accuracy(model(X), y, averaged=False).shape == (128,)
    loss = points(model, "train_loss")
    assert onp.isfinite(loss).all() and loss[-1] < loss[0]
    assert points(model, "val_acc")[-1] > 0.9


def test_builders_guide_modules_parameters_and_files(d2l):
    net = nn.Sequential()
    net.add(nn.Dense(8, activation='relu'), nn.Dense(1))
    assert net[0].weight.shape == (8, -1)  # lazy until the first call
    net.initialize()
    X = np.random.uniform(size=(2, 4))
    net(X)
    assert [p.shape for p in net.collect_params().values()] == [(8, 4), (8,), (1, 8), (1,)]
    net.initialize(init=init.Constant(1), force_reinit=True)
    assert net[0].weight.data()[0].tolist() == [1.0] * 4
    net[1].initialize(init=init.Constant(42), force_reinit=True)
    assert net[1].weight.data().tolist() == [[42.0] * 8]
    net.save_parameters('mlp.params')
    clone = nn.Sequential()
    clone.add(nn.Dense(8, activation='relu'), nn.Dense(1))
    clone.load_parameters('mlp.params')
    assert (clone(X) == net(X)).all()
    npx.save('x-files', [np.arange(4), np.zeros(4)])
    x2, y2 = npx.load('x-files')
    assert x2.tolist() == [0.0, 1.0, 2.0, 3.0] and y2.tolist() == [0.0] * 4
    # the book's GPU calls on a machine without one
    assert d2l.num_gpus() == npx.num_gpus()
    if d2l.num_gpus() == 0:
        assert d2l.try_gpu() == npx.cpu() and d2l.try_all_gpus() == []
    assert str(d2l.gpu(1)) == 'gpu(1)'
    # d2l.Module collects gluon parameters, or its own arrays where it has none
    scratch = d2l.LinearRegressionScratch(3, lr=0.1)
    assert isinstance(scratch.parameters(), list) and len(scratch.parameters()) == 2
    concise = d2l.LinearRegression(lr=0.1)
    assert isinstance(concise.parameters(), gluon.ParameterDict)


def test_corr2d_and_a_learned_edge_kernel(d2l):
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    Y = d2l.corr2d(X, np.array([[1.0, -1.0]]))
    assert Y[0].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]
    conv2d = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
    conv2d.initialize()
    X, Y = X.reshape(1, 1, 6, 8), Y.reshape(1, 1, 6, 7)
    for _ in range(10):
        with autograd.record():
            l = (conv2d(X) - Y) ** 2
        l.backward()
        conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
    onp.testing.assert_allclose(conv2d.weight.data().reshape(2).asnumpy(), [1, -1], atol=0.05)


def test_lenet_and_resnet_through_the_trainer(d2l, capsys):
    model = d2l.LeNet()
    model.layer_summary((1, 1, 28, 28))
    shapes = capsys.readouterr().out.splitlines()
    assert shapes[0] == 'Conv2D output shape:\t (1, 6, 28, 28)'
    assert shapes[-1] == 'Dense output shape:\t (1, 10)'
    data = d2l.FashionMNIST(batch_size=128, resize=(28, 28))
    data.num_workers = 0
    model = quiet(d2l.LeNet(lr=0.9))
    d2l.Trainer(max_epochs=2, num_gpus=1).fit(model, data)
    assert onp.isfinite(points(model, "train_loss")).all()

    class ResNet(d2l.Classifier):
        def __init__(self, lr=0.05, num_classes=10):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential()
            self.net.add(nn.Conv2D(8, kernel_size=3, padding=1), nn.BatchNorm(),
                         nn.Activation('relu'), d2l.Residual(8),
                         d2l.Residual(16, use_1x1conv=True, strides=2),
                         d2l.ResNeXtBlock(16, 8, 1), nn.GlobalAvgPool2D(), nn.Dense(num_classes))
            self.net.initialize(init.Xavier())

    model = quiet(ResNet())
    d2l.Trainer(max_epochs=2).fit(model, data)
    # global pooling hides the row of the bar that tells the classes apart, so the net learns
    # slowly here: the loss only has to fall
    loss = points(model, "train_loss")
    assert onp.isfinite(loss).all() and min(loss[1:]) < loss[0]
    X, _ = next(iter(data.val_dataloader()))
    assert model(X).shape == (128, 10)
    assert model.net[1].running_var.data().shape == (8,)
