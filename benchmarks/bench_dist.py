"""Allreduce throughput of mxnp's sums over workers (hvd.allreduce_, the 'horovod' and
'dist_sync' kvstores' pushpull, the Trainer's gradient allreduce) next to raw mpi4py on the same
buffers, and a data-parallel MLP epoch; run it under MPI:

    mxnp launch -n 4 benchmarks/bench_dist.py              # throughput, 4 processes
    mxnp launch -n 2 benchmarks/bench_dist.py --mlp        # MLP epoch, 1 and 2 processes
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
    return sorted(one_run(fn) for _ in range(repeats))[repeats // 2]


def one_run(fn):
    """Seconds of one ``fn()`` on the slowest process, all processes starting together."""
    COMM.Barrier()
    start = time.perf_counter()
    fn()
    return COMM.allreduce(time.perf_counter() - start, op=MPI.MAX)


def throughput(repeats):
    """Each variant once per round, in turns (so a busy moment hits them all); per variant the
    median over the rounds, and the spread of its ratio to raw mpi4py across the rounds."""
    import mxnp.horovod as hvd

    hvd.init()
    kv = mx.kv.create('dist_sync')
    kv_hvd = mx.kv.create('horovod')
    for mb in (1, 16, 64):
        n = mb * (1 << 20) // 4
        arr = np.ones(n, dtype='float32')
        raw = onp.asarray(arr)               # the same memory, as NumPy sees it
        kv.init(mb, arr)
        param = gluon.Parameter(f'w{mb}', shape=(n,))
        param.initialize()
        trainer = gluon.Trainer([param], 'sgd', kvstore='dist_sync', update_on_kvstore=False)
        variants = {
            'mpi4py Allreduce': lambda raw=raw: COMM.Allreduce(MPI.IN_PLACE, raw),
            'hvd.allreduce_': lambda arr=arr: hvd.allreduce_(arr, average=False),
            "kv('horovod').pushpull": lambda mb=mb, arr=arr: kv_hvd.pushpull(mb, arr),
            'Trainer.allreduce_grads': trainer.allreduce_grads,
            "kv('dist_sync').pushpull": lambda mb=mb, arr=arr: kv.pushpull(mb, arr),
            # the first line again, last: how far the machine alone moves a ratio
            'mpi4py Allreduce, again': lambda raw=raw: COMM.Allreduce(MPI.IN_PLACE, raw),
        }
        calls = 64 // mb                     # about the same time per round for each size
        times = {name: [] for name in variants}
        for _ in range(repeats):
            for name, fn in variants.items():
                times[name].append(one_run(lambda fn=fn, calls=calls: [fn() for _ in range(calls)]) / calls)
        if kv.rank == 0:
            base = times['mpi4py Allreduce']
            print(f'{mb} MB, {kv.num_workers} processes, {repeats} rounds:')
            for name, ts in times.items():
                ratios = sorted(b / t for b, t in zip(base, ts))
                med = sorted(ts)[repeats // 2]
                print(f'  {name:26s} {mb / med:6.0f} MB/s  {sorted(base)[repeats // 2] / med:.2f}x '
                      f'raw (rounds {ratios[0]:.2f}-{ratios[-1]:.2f})', flush=True)


def numpy_mlp(x, y, batch, seed=0):
    """(params, step): the same MLP and SGD step written by hand in NumPy, its gradients summed
    over the processes with mpi4py when a communicator is given."""
    rng = onp.random.RandomState(seed)
    w1 = rng.uniform(-0.09, 0.09, (256, 512)).astype('float32')
    w2 = rng.uniform(-0.1, 0.1, (512, 10)).astype('float32')
    b1, b2 = onp.zeros(512, 'float32'), onp.zeros(10, 'float32')
    params = [w1, b1, w2, b2]

    def step(i, comm, scale):
        xb, yb = x[i:i + batch], y[i:i + batch].astype('int64')
        h = xb @ w1 + b1
        a = onp.maximum(h, 0)
        o = a @ w2 + b2
        e = onp.exp(o - o.max(axis=1, keepdims=True))
        g = e / e.sum(axis=1, keepdims=True)
        g[onp.arange(len(yb)), yb] -= 1
        ga = (g @ w2.T) * (h > 0)
        grads = [xb.T @ ga, ga.sum(0), a.T @ g, g.sum(0)]
        if comm is not None:
            for grad in grads:
                comm.Allreduce(MPI.IN_PLACE, grad)
        for param, grad in zip(params, grads):
            param -= (0.01 / scale) * grad

    return step


def mlp_scaling(repeats, samples=16384, batch=64):
    """One MLP epoch (256-512-10, 64 rows per process and step) by rank 0 alone while the
    others sleep, and by all processes sharing the data (mxnp: a 'dist_sync' Trainer), in
    turns, for mxnp and for the same MLP by hand in NumPy + mpi4py; medians over the rounds."""
    rng = onp.random.RandomState(0)
    x_host = rng.normal(size=(samples, 256)).astype('float32')
    y_host = rng.randint(0, 10, samples).astype('float32')
    x, y = np.array(x_host), np.array(y_host)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()

    def setup(kvstore):
        net = gluon.nn.Sequential()
        net.add(gluon.nn.Dense(512, activation='relu', in_units=256), gluon.nn.Dense(10))
        net.initialize(mx.init.Xavier())
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.01},
                                kvstore=kvstore)
        return net, trainer

    def mxnp_epoch(net, trainer, rows, workers):
        for i in rows:
            with autograd.record():
                loss = loss_fn(net(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            trainer.step(batch * workers)

    def numpy_epoch(step, rows, comm, workers):
        for i in rows:
            step(i, comm, batch * workers)

    rank, workers = COMM.Get_rank(), COMM.Get_size()
    share = samples // workers
    all_rows = range(0, samples - batch + 1, batch)
    my_rows = range(rank * share, (rank + 1) * share - batch + 1, batch)
    solo, shared = setup('device') if rank == 0 else None, setup('dist_sync')
    np_solo, np_shared = numpy_mlp(x_host, y_host, batch), numpy_mlp(x_host, y_host, batch)
    runs = {'mxnp': ([], []), 'NumPy + mpi4py': ([], [])}
    for _ in range(repeats):
        for name, alone_fn, together_fn in (
                ('mxnp', lambda: mxnp_epoch(*solo, all_rows, 1),
                 lambda: mxnp_epoch(*shared, my_rows, workers)),
                ('NumPy + mpi4py', lambda: numpy_epoch(np_solo, all_rows, None, 1),
                 lambda: numpy_epoch(np_shared, my_rows, COMM, workers))):
            alone, together = runs[name]
            if rank == 0:
                start = time.perf_counter()
                alone_fn()
                alone.append(time.perf_counter() - start)
            request = COMM.Ibarrier()        # the others wait asleep, leaving the cores free
            while not request.Test():
                time.sleep(0.001)
            together.append(one_run(together_fn))
    if rank == 0:
        print(f'MLP epoch ({samples} samples, {batch} rows per process and step, {repeats} '
              f'rounds):')
        for name, (alone, together) in runs.items():
            a, t = sorted(alone)[repeats // 2], sorted(together)[repeats // 2]
            print(f'  {name:15s} {a:.3f} s on 1 process, {t:.3f} s on {workers}: '
                  f'{a / t:.2f}x faster', flush=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--mlp', action='store_true')
    parser.add_argument('--repeats', type=int, default=15)
    args = parser.parse_args()
    mlp_scaling(args.repeats) if args.mlp else throughput(args.repeats)
