"""Train an MLP and a LeNet with gluon on synthetic data shaped like Fashion-MNIST.

Written for MXNet (``from mxnet import ...``); run it with ``mxnp run examples/train_mlp.py``.
Each class is a fixed random 28x28 template plus noise, so both nets can separate the classes
within a few epochs. A tqdm bar shows the loss and the training accuracy as each epoch runs.

    mxnp run examples/train_mlp.py [--epochs N] [--samples N]
"""
import argparse

from tqdm import tqdm

import mxnet as mx
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn

npx.set_np()


def synthetic_fashion(samples, seed):
    """Images (N, 1, 28, 28) float32 in [0, 1] and labels (N,) int32, ten classes."""
    mx.random.seed(42)  # the same ten class templates for the training and the test set
    coarse = np.random.uniform(size=(10, 1, 7, 7))  # blocky shapes, as clothes are
    templates = coarse.repeat(4, axis=2).repeat(4, axis=3)
    mx.random.seed(seed)
    labels = np.random.randint(0, 10, size=(samples,)).astype('int32')
    noise = np.random.normal(scale=0.35, size=(samples, 1, 28, 28))
    images = np.clip(templates[labels] + noise, 0, 1).astype('float32')
    return images, labels


def batches(images, labels, batch_size):
    for start in range(0, images.shape[0], batch_size):
        yield images[start:start + batch_size], labels[start:start + batch_size]


def mlp():
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'), nn.Dense(10))
    return net


def lenet():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, padding=2, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation='relu'), nn.Dense(84, activation='relu'),
            nn.Dense(10))
    return net


def accuracy(net, images, labels):
    correct = 0
    for X, y in batches(images, labels, 256):
        correct += float((net(X).argmax(axis=1) == y.astype('float32')).sum())
    return correct / images.shape[0]


def train(name, net, data, epochs, trainer_args):
    train_x, train_y, test_x, test_y = data
    net.initialize(init.Xavier())
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), *trainer_args)
    for epoch in range(epochs):
        total_loss, correct, seen = 0.0, 0.0, 0
        bar = tqdm(list(batches(train_x, train_y, 128)), desc=f'{name} epoch {epoch + 1}',
                   ascii=True, leave=True)
        for X, y in bar:
            with autograd.record():
                out = net(X)
                loss = loss_fn(out, y)
            loss.backward()
            trainer.step(X.shape[0])
            total_loss += float(loss.sum())
            correct += float((out.argmax(axis=1) == y.astype('float32')).sum())
            seen += X.shape[0]
            bar.set_postfix(loss=f'{total_loss / seen:.3f}', acc=f'{correct / seen:.3f}')
    test_acc = accuracy(net, test_x, test_y)
    print(f'{name}: test accuracy {test_acc:.3f}')
    return test_acc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--samples', type=int, default=2000)
    args = parser.parse_args()
    train_x, train_y = synthetic_fashion(args.samples, seed=0)
    test_x, test_y = synthetic_fashion(args.samples // 4, seed=1)
    data = (train_x, train_y, test_x, test_y)
    train('mlp', mlp(), data, args.epochs, ('sgd', {'learning_rate': 0.1}))
    lenet_net = lenet()
    lenet_net.hybridize()
    train('lenet', lenet_net, data, args.epochs, ('adam', {'learning_rate': 0.003}))


if __name__ == '__main__':
    main()
