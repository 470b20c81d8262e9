"""D2L v1.0's own framework (HyperParameters, Module as an nn.Block, DataModule, Trainer,
Classifier) on mxnp, trained end to end and checked against MXNet 1.9.1.

27 sections of the book train through d2l.Trainer/d2l.Module, so this is the path most notebooks
take: attributes set by save_hyperparameters on a Block, a child net, gluon.Trainer over
collect_params(), DataLoaders over ArrayDataset. Plotting is replaced by a list of points.
Same method as test_d2l_scenarios.py (recorded with /work/shared/tools/mxref).
"""
from __future__ import annotations

import inspect

from mxnp import autograd, gluon, init
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import close, fresh_process  # noqa: F401 (autouse fixture)


class HyperParameters:
    def save_hyperparameters(self, ignore=()):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items()
                        if k not in set(ignore) | {'self'} and not k.startswith('_')}
        for k, v in self.hparams.items():
            setattr(self, k, v)


class ProgressBoard(HyperParameters):
    def __init__(self, xlabel=None):
        self.save_hyperparameters()
        self.points = []

    def draw(self, x, y, label, every_n=1):
        self.points.append((label, round(x, 3), round(float(y), 4)))


class Module(nn.Block, HyperParameters):
    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()
        self.training = None

    def loss(self, y_hat, y):
        raise NotImplementedError

    def forward(self, X):
        assert hasattr(self, 'net'), 'Neural network is defined'
        return self.net(X)

    def plot(self, key, value, train):
        assert hasattr(self, 'trainer'), 'Trainer is not inited'
        self.board.xlabel = 'epoch'
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(x, value.asnumpy(), ('train_' if train else 'val_') + key, every_n=int(n))

    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot('loss', l, train=True)
        return l

    def validation_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot('loss', l, train=False)

    def configure_optimizers(self):
        raise NotImplementedError


class DataModule(HyperParameters):
    def __init__(self, root='../data', num_workers=4):
        self.save_hyperparameters()

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        tensors = tuple(a[indices] for a in tensors)
        dataset = gluon.data.ArrayDataset(*tensors)
        return gluon.data.DataLoader(dataset, self.batch_size, shuffle=False)


class Trainer(HyperParameters):
    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
        self.save_hyperparameters()

    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (len(self.val_dataloader) if self.val_dataloader is not None else 0)

    def prepare_model(self, model):
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        self.model = model

    def fit(self, model, data):
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):  # noqa: B020 (D2L writes it so)
            self.fit_epoch()

    def prepare_batch(self, batch):
        return batch

    def fit_epoch(self):
        for batch in self.train_dataloader:
            with autograd.record():
                loss = self.model.training_step(self.prepare_batch(batch))
            loss.backward()
            self.optim.step(1)
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        for batch in self.val_dataloader:
            self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1


class SyntheticRegressionData(DataModule):
    # D2L draws X with d2l.randn and adds noise; a fixed grid keeps the run deterministic
    def __init__(self, w, b, noise=0.01, num_train=20, num_val=8, batch_size=4):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = np.arange(n * len(w), dtype='float32').reshape(n, len(w)) / (n * len(w)) - 0.5
        self.y = np.dot(self.X, w.reshape((-1, 1))) + b

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class LinearRegression(Module):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Dense(1)
        self.net.initialize(init.Constant(0.1))

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        fn = gluon.loss.L2Loss()
        return fn(y_hat, y).mean()

    def configure_optimizers(self):
        return gluon.Trainer(self.collect_params(), 'sgd', {'learning_rate': self.lr})

    def get_w_b(self):
        return (self.net.weight.data(), self.net.bias.data())


class Classifier(Module):
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.plot('loss', self.loss(Y_hat, batch[-1]), train=False)
        self.plot('acc', self.accuracy(Y_hat, batch[-1]), train=False)

    def accuracy(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        preds = Y_hat.argmax(axis=1).astype(Y.dtype)
        compare = (preds == Y.reshape(-1)).astype(np.float32)
        return compare.mean() if averaged else compare

    def configure_optimizers(self):
        return gluon.Trainer(self.collect_params(), 'sgd', {'learning_rate': self.lr})

    def loss(self, Y_hat, Y, averaged=True):
        fn = gluon.loss.SoftmaxCrossEntropyLoss()
        l = fn(Y_hat, Y)
        return l.mean() if averaged else l

    def layer_summary(self, X_shape):
        X = np.ones(X_shape)
        for layer in self.net:
            X = layer(X)
            print(layer.__class__.__name__, 'output shape:\t', X.shape)


class LeNet(Classifier):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential()
        self.net.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation='sigmoid'),
                     nn.AvgPool2D(pool_size=2, strides=2),
                     nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
                     nn.AvgPool2D(pool_size=2, strides=2),
                     nn.Dense(120, activation='sigmoid'),
                     nn.Dense(84, activation='sigmoid'),
                     nn.Dense(num_classes))


class ImgData(DataModule):
    # stands in for d2l.FashionMNIST (no download): 12 fixed 28x28 images, 10 classes
    def __init__(self, batch_size=4):
        super().__init__()
        self.save_hyperparameters()
        self.X = (np.arange(12 * 784) % 17).reshape(12, 1, 28, 28).astype('float32') / 17
        self.y = np.arange(12) % 10

    def get_dataloader(self, train):
        i = slice(0, 8) if train else slice(8, None)
        return self.get_tensorloader((self.X, self.y), train, i)


def test_linear_regression_through_the_d2l_trainer():
    model = LinearRegression(lr=0.3)
    data = SyntheticRegressionData(w=np.array([2, -3.4]), b=4.2)
    trainer = Trainer(max_epochs=3)
    trainer.fit(model, data)
    w, b = model.get_w_b()
    close(w, [[-0.9569448, -0.8835418]])  # MXNet 1.9.1 (mxref)
    close(b, [4.11056])
    # MXNet 1.9.1 (mxref): the first and last points the progress board was given
    assert model.board.points[:3] == [('train_loss', 0.0, 11.772), ('train_loss', 0.2, 3.897),
                                      ('train_loss', 0.4, 1.6794)]
    assert model.board.points[-2:] == [('val_loss', 3, 0.0134), ('val_loss', 3, 0.0256)]
    assert repr(model) == "LinearRegression(\n  (net): Dense(2 -> 1, linear)\n)"
    assert (model.name, list(model.collect_params().keys()), model.hparams, model.lr) == \
        ('linearregression0', ['dense0_weight', 'dense0_bias'], {'lr': 0.3}, 0.3)
    # MXNet 1.9.1 (mxref): what save_hyperparameters and the Trainer left on the Block
    assert sorted(k for k in vars(model) if not k.startswith('_')) == [
        'board', 'hparams', 'lr', 'net', 'plot_train_per_epoch', 'plot_valid_per_epoch',
        'trainer', 'training']


def test_lenet_classifier_through_the_d2l_trainer(capsys):
    model = LeNet()
    model.net.initialize(init.Xavier())
    model.layer_summary((1, 1, 28, 28))
    # MXNet 1.9.1 (mxref)
    assert capsys.readouterr().out == (
        "Conv2D output shape:\t (1, 6, 28, 28)\nAvgPool2D output shape:\t (1, 6, 14, 14)\n"
        "Conv2D output shape:\t (1, 16, 10, 10)\nAvgPool2D output shape:\t (1, 16, 5, 5)\n"
        "Dense output shape:\t (1, 120)\nDense output shape:\t (1, 84)\n"
        "Dense output shape:\t (1, 10)\n")
    model = LeNet(lr=0.5)
    model.net.initialize(init.Constant(0.05))
    trainer = Trainer(max_epochs=2)
    trainer.fit(model, ImgData())
    # MXNet 1.9.1 (mxref)
    assert [p for p in model.board.points if p[0] == 'val_acc'] == \
        [('val_acc', 1, 0.0), ('val_acc', 2, 0.0)]
    acc = model.accuracy(model(ImgData().X[:4]), ImgData().y[:4], averaged=False)
    assert repr(acc) == "array([0., 0., 0., 0.])"
