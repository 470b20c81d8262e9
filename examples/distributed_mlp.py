"""Data-parallel training of an MLP with ``kvstore='dist_sync'``, written for MXNet.

Every worker reads its own share of the data (SplitSampler) and the Trainer sums the gradients
over the workers, so N workers on batches of B rows step exactly like one process on N*B rows.

    mxnp launch -n 2 examples/distributed_mlp.py            # 2 processes on this machine
    mxnp run examples/distributed_mlp.py --kvstore local    # one process, for comparison
"""
import argparse
import time

import mxnet as mx
from mxnet import autograd, gluon, np
from mxnet.gluon import nn


def synthetic(samples, seed=0):
    """Points (N, 20) in ten Gaussian clusters and their labels (N,); the same on all workers."""
    mx.random.seed(seed)
    centers = np.random.normal(scale=2.0, size=(10, 20))
    labels = np.random.randint(0, 10, size=(samples,))
    points = centers[labels] + np.random.normal(size=(samples, 20))
    return points.astype('float32'), labels.astype('float32')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--kvstore', default='dist_sync')
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=64, help='rows per worker and step')
    parser.add_argument('--samples', type=int, default=8192)
    args = parser.parse_args()

    kv = mx.kv.create(args.kvstore)
    points, labels = synthetic(args.samples)
    sampler = mx.kv.SplitSampler(args.samples, kv.num_workers, kv.rank, shuffle=True)

    mx.random.seed(kv.rank)  # different on each worker: the Trainer broadcasts rank 0's
    net = nn.Sequential()
    net.add(nn.Dense(128, activation='relu', in_units=20), nn.Dense(10, in_units=128))
    net.initialize(mx.init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': 0.1, 'momentum': 0.9}, kvstore=kv)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for epoch in range(args.epochs):
        start = time.perf_counter()
        order = np.array(list(sampler), dtype='int64')
        for i in range(0, len(order) - args.batch_size + 1, args.batch_size):
            rows = order[i:i + args.batch_size]
            with autograd.record():
                loss = loss_fn(net(points[rows]), labels[rows])
            loss.backward()
            trainer.step(args.batch_size * kv.num_workers)  # the global batch: sums over workers
        seconds = time.perf_counter() - start
        accuracy = float((net(points).argmax(axis=1) == labels).mean())
        if kv.rank == 0:
            print(f'epoch {epoch + 1}: accuracy {accuracy:.3f}, {seconds:.2f} s '
                  f'({kv.num_workers} workers)', flush=True)


if __name__ == '__main__':
    main()
