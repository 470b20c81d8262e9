"""Train a small MLP the MXNet 1.x way: ``mx.nd`` arrays, ``hybrid_forward(self, F, ...)``.

Written for MXNet 1.x without ``npx.set_np()`` (``F`` is ``mx.nd``, the arrays are NDArrays);
run it with ``mxnp run examples/legacy_mlp.py``. The data and the initial weights come from a
seeded NumPy RandomState, and the batches are taken in order, so every run prints the same
per-epoch loss and accuracy, and real MXNet 1.9.1 prints the same numbers as mxnp.

    mxnp run examples/legacy_mlp.py [--epochs N]
"""
import argparse

import mxnet as mx
import numpy as onp
from mxnet import autograd, gluon


class MLP(gluon.HybridBlock):
    """A hidden layer of its own (FullyConnected, then tanh and relu) and a Dense output."""

    def __init__(self, in_units, hidden, classes, **kwargs):
        super().__init__(**kwargs)
        self._hidden = hidden
        with self.name_scope():
            self.weight = self.params.get('weight', shape=(hidden, in_units))
            self.bias = self.params.get('bias', shape=(hidden,))
            self.scale = self.params.get('scale', shape=(1, hidden))
            self.output = gluon.nn.Dense(classes, in_units=hidden)

    def hybrid_forward(self, F, x, weight, bias, scale):
        h = F.FullyConnected(x, weight, bias, num_hidden=self._hidden)
        h = F.broadcast_mul(F.Activation(h, act_type='tanh'), scale)
        return self.output(F.relu(h) + 0.1 * h)


def make_data(rs, samples=240, features=8, classes=3):
    """Features (N, features) and labels (N,) from a noisy linear teacher, as float32."""
    x = rs.normal(size=(samples, features)).astype('float32')
    teacher = rs.normal(size=(features, classes))
    y = (x @ teacher + 0.5 * rs.normal(size=(samples, classes))).argmax(axis=1)
    return x, y.astype('float32')


def main(epochs=5):
    rs = onp.random.RandomState(0)
    x, y = make_data(rs)
    data = gluon.data.DataLoader(gluon.data.ArrayDataset(mx.nd.array(x), mx.nd.array(y)),
                                 batch_size=24, shuffle=False)
    net = MLP(in_units=8, hidden=16, classes=3)
    net.initialize()
    for param in net.collect_params().values():  # the same start in every framework
        param.set_data(mx.nd.array(rs.uniform(-0.5, 0.5, size=param.shape)))
    net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 1e-4})
    metric = mx.metric.Accuracy()
    for epoch in range(1, epochs + 1):
        metric.reset()
        total = 0.0
        for features, labels in data:
            with autograd.record():
                out = net(features)
                loss = loss_fn(out, labels)
            loss.backward()
            trainer.step(features.shape[0])
            total += loss.sum().asscalar()
            metric.update([labels], [out])
        print(f'epoch {epoch}: loss {total / len(x):.7f} accuracy {metric.get()[1]:.4f}')
    return net


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=5)
    main(parser.parse_args().epochs)
