"""Programs that tests/test_dist.py runs under ``mxnp launch -n N``: one case per argument.

Each case checks its results in every worker and raises on a mismatch, which makes the
launcher abort the job and exit non-zero; a worker prints ``CASE ok rank/size`` when done.
"""
from __future__ import annotations

import sys

import mxnet as mx
import numpy as onp
from mxnet import autograd, gluon, np

STEPS = 20
ROWS = 8  # rows of the global batch per worker


def close(got, want, rtol=1e-5, atol=1e-6):
    onp.testing.assert_allclose(onp.asarray(got), onp.asarray(want), rtol=rtol, atol=atol)


def case_kvstore():
    kv = mx.kv.create("dist_sync")
    r, n = kv.rank, kv.num_workers
    assert (kv.type, kv.is_capable("optimizer")) == ("dist_sync", True)
    kv.init(0, np.full((2, 3), float(r + 1)))                  # rank 0's value wins
    out = np.zeros((2, 3))
    kv.pull(0, out=out)
    close(out, onp.ones((2, 3)))
    kv.push(0, [np.ones((2, 3)) * (r + 1), np.ones((2, 3), ctx=mx.cpu(1))])
    kv.pull(0, out=out)
    close(out, onp.full((2, 3), sum(k + 2.0 for k in range(n))))
    # several keys and dtypes in one call: one bucket per dtype
    vals = [np.full((5,), r + 1.0, dtype="float64"), np.full((4,), r + 1, dtype="int32"),
            np.full((3, 2), r + 0.5, dtype="float32")]
    kv.init([1, 2, 3], [v.copy() for v in vals])
    kv.pushpull([1, 2, 3], vals)
    total = n * (n + 1) / 2
    close(vals[0], onp.full(5, total))
    assert vals[1].dtype == onp.int32 and vals[1].tolist() == [int(total)] * 4
    close(vals[2], onp.full((3, 2), total - n / 2))
    outs = [np.zeros(4, dtype="int32"), np.zeros(4, dtype="int32")]
    kv.pushpull(2, np.ones(4, dtype="int32"), out=outs)
    assert outs[1].tolist() == [n] * 4
    dst = [np.zeros(2), np.zeros(2, ctx=mx.cpu(1))]
    kv.broadcast(4, np.array([r, -r], dtype="float32"), out=dst)
    close(dst[1], [0.0, 0.0])
    half, flags = np.full((3,), 0.5, dtype="float16"), np.array([r == 0, False])
    kv.init([7, 8], [half.copy(), flags.copy()])
    kv.pushpull([7, 8], [half, flags])                          # bool: a logical or
    assert half.dtype == onp.float16 and flags.tolist() == [True, False]
    close(half, onp.full(3, 0.5 * n))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1))
    kv.pushpull(4, np.ones(2) * (r + 1), out=dst)                # w - 0.1 * sum of grads
    close(dst[0], onp.full(2, -0.1 * total))
    kv._barrier()


def make_net(seed, in_units=6):
    mx.random.seed(seed)
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(8, activation="tanh", in_units=in_units),
            gluon.nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier())
    return net


def data(num_rows):
    rng = onp.random.RandomState(7)
    xs = rng.uniform(-1, 1, (STEPS, num_rows, 6)).astype("float32")
    ys = rng.randint(0, 3, (STEPS, num_rows)).astype("float32")
    return xs, ys


def train(net, trainer, xs, ys, batch_size, average=False):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for x, y in zip(xs, ys):
        with autograd.record():
            loss = loss_fn(net(np.array(x)), np.array(y))
            loss = loss.mean() if average else loss.sum()
        loss.backward()
        trainer.step(batch_size)
    return [p.data().asnumpy() for p in net.collect_params().values()]


def reference(opt, opt_params, n, average=False, in_units=6):
    """One process on the concatenated batch of all n workers."""
    net = make_net(seed=0, in_units=in_units)
    trainer = gluon.Trainer(net.collect_params(), opt, dict(opt_params), kvstore=None)
    xs, ys = data(ROWS * n)
    return train(net, trainer, xs, ys, 1 if average else ROWS * n, average)


OPTIMIZERS = [("sgd", {"learning_rate": 0.1, "momentum": 0.9}), ("adam", {"learning_rate": 0.01})]


def case_train():
    from mpi4py import MPI

    r, n = MPI.COMM_WORLD.Get_rank(), MPI.COMM_WORLD.Get_size()
    for opt, params in OPTIMIZERS:
        want = reference(opt, params, n)
        for kvstore, on_kvstore in (("dist_sync", None), ("dist_sync", False), ("horovod", None)):
            net = make_net(seed=100 * r)                     # differs per rank: broadcast fixes
            trainer = gluon.Trainer(net.collect_params(), opt, dict(params),
                                    kvstore=kvstore, update_on_kvstore=on_kvstore)
            assert trainer._update_on_kvstore is (on_kvstore is None and kvstore != "horovod")
            xs, ys = data(ROWS * n)
            shard = slice(r * ROWS, (r + 1) * ROWS)
            # MXNet's dist_sync sums over workers: step with the global batch size
            got = train(net, trainer, xs[:, shard], ys[:, shard], ROWS * n)
            for g, w in zip(got, want):
                close(g, w, rtol=1e-4, atol=1e-5)


def case_horovod():
    import mxnp.horovod as hvd

    hvd.init()
    r, n = hvd.rank(), hvd.size()
    assert (hvd.local_rank(), hvd.local_size()) == (r, n)
    x = np.array([r + 1.0, 2.0])
    close(hvd.allreduce(x), [(n + 1) / 2, 2.0])
    close(hvd.allreduce(x, average=False), [n * (n + 1) / 2, 2 * n])
    close(hvd.allgather(np.full((1, 2), float(r))), onp.repeat(onp.arange(n), 2).reshape(n, 2))
    close(hvd.broadcast(x, root_rank=n - 1), [float(n), 2.0])
    for opt, params in OPTIMIZERS:
        want = reference(opt, params, n, average=True, in_units=0)
        for wrap in ("trainer", "optimizer", "fp16"):
            net = make_net(seed=100 * r, in_units=0)           # deferred: broadcast at forward
            hvd.broadcast_parameters(net.collect_params(), root_rank=0)
            if wrap != "optimizer":
                compression = hvd.Compression.fp16 if wrap == "fp16" else hvd.Compression.none
                trainer = hvd.DistributedTrainer(net.collect_params(), opt, dict(params),
                                                 compression=compression)
            else:
                optimizer = hvd.DistributedOptimizer(mx.optimizer.create(opt, **params))
                trainer = gluon.Trainer(net.collect_params(), optimizer)
            xs, ys = data(ROWS * n)
            shard = slice(r * ROWS, (r + 1) * ROWS)
            got = train(net, trainer, xs[:, shard], ys[:, shard], 1, average=True)
            rtol, atol = (5e-2, 2e-2) if wrap == "fp16" else (1e-4, 1e-5)  # float16 grads
            for g, w in zip(got, want):
                close(g, w, rtol=rtol, atol=atol)


def case_die():
    import os
    import signal

    kv = mx.kv.create("dist_sync")
    kv.init(0, np.ones(3))
    if kv.rank == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    kv.pushpull(0, np.ones(3))                                  # rank 0 waits for a dead peer
    raise AssertionError("rank 0 went past a collective whose peer was killed")


def case_hang():
    import time

    kv = mx.kv.create("dist_sync")
    kv.init(0, np.ones(3))
    if kv.rank == 1:
        time.sleep(300)                                         # the launcher's timeout ends it
    kv.pushpull(0, np.ones(3))


def main(case):
    {"kvstore": case_kvstore, "train": case_train, "horovod": case_horovod,
     "die": case_die, "hang": case_hang}[case]()
    from mpi4py import MPI

    print(f"{case} ok {MPI.COMM_WORLD.Get_rank()}/{MPI.COMM_WORLD.Get_size()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
