"""Allreduce throughput of mx.kv ('dist_sync' pushpull) next to raw mpi4py on the same
buffers, and a data-parallel MLP epoch; run it under MPI:

    mxnp launch -n 4 benchmarks/bench_dist.py              # throughput, 4 processes
    mxnp launch -n 1 benchmarks/bench_dist.py --mlp        # MLP epoch, 1 process
    mxnp launch -n 2 benchmarks/bench_dist.py --mlp        # MLP epoch, 2 processes
"""
import argparse
import time

import mxnet as mx
import numpy as onp
from mpi4py import MPI
from mxnet import autograd, gluon, np

COMM = MPI.COMM_WORLD


def timed(fn, repeats):
    """Median seconds of ``fn()`` over ``repeats`` runs, all processes starting together."""
    times = []
    for _ in range(repeats):
        COMM.Barrier()
        start = time.perf_counter()
        fn()
        times.append(COMM.allreduce(time.perf_counter() - start, op=MPI.MAX))
    return sorted(times)[len(times) // 2]


def throughput(repeats):
    import mxnp.horovod as hvd

    hvd.init()
    kv = mx.kv.create('dist_sync')
    for mb in (1, 16, 64):
        n = mb * (1 << 20) // 4
        raw = onp.ones(n, dtype='float32')
        arr = np.ones(n, dtype='float32')
        kv.init(mb, arr)
        t_raw = timed(lambda raw=raw: COMM.Allreduce(MPI.IN_PLACE, raw), repeats)
        t_kv = timed(lambda mb=mb, arr=arr: kv.pushpull(mb, arr), repeats)
        t_hvd = timed(lambda arr=arr: hvd.allreduce_(arr, average=False), repeats)
        if kv.rank == 0:
            print(f'{mb:3d} MB, {kv.num_workers} processes: mpi4py {mb / t_raw:6.0f} MB/s | '
                  f'mx.kv pushpull {mb / t_kv:6.0f} MB/s ({t_raw / t_kv:.2f}x) | '
                  f'hvd.allreduce_ {mb / t_hvd:6.0f} MB/s ({t_raw / t_hvd:.2f}x)', flush=True)


def mlp_epoch(samples=16384, batch=64):
    kv = mx.kv.create('dist_sync')
    rng = onp.random.RandomState(0)
    x = np.array(rng.normal(size=(samples, 256)).astype('float32'))
    y = np.array(rng.randint(0, 10, samples).astype('float32'))
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(512, activation='relu', in_units=256), gluon.nn.Dense(10))
    net.initialize(mx.init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.01}, kvstore=kv)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    share = samples // kv.num_workers
    rows = range(kv.rank * share, (kv.rank + 1) * share - batch + 1, batch)

    def epoch():
        for i in rows:
            with autograd.record():
                loss = loss_fn(net(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            trainer.step(batch * kv.num_workers)

    seconds = timed(epoch, 3)
    if kv.rank == 0:
        print(f'MLP epoch ({samples} samples, global batch {batch * kv.num_workers}): '
              f'{seconds:.2f} s on {kv.num_workers} process(es)', flush=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--mlp', action='store_true')
    parser.add_argument('--repeats', type=int, default=7)
    args = parser.parse_args()
    mlp_epoch() if args.mlp else throughput(args.repeats)
