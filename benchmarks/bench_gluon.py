"""gluon training steps next to hand-written NumPy and PyTorch (torch.nn) on the CPU, one thread.

One step = forward, softmax cross-entropy, backward, SGD update (lr 0.1), for:
  mlp    Dense 784-256(relu)-10, batch 256
  small  3 Dense layers of 32 (relu) and a 10-way output, batch 16
  lenet  D2L's LeNet (conv 6@5x5 pad 2, sigmoid, avg-pool, conv 16@5x5, sigmoid, avg-pool,
         dense 120, 84, 10), batch 256 of 1x28x28
  resnet a small ResNet as D2L writes its blocks (conv 16@3x3, BatchNorm, relu; a residual
         block of 16 channels; one of 32 with a strided 1x1 shortcut; global average pool,
         dense 10), batch 32 of 1x28x28
mxnp runs each net un-hybridized and hybridized (the net and the loss, both HybridBlocks, as a
hybridized training script does). The NumPy floor (mlp, small) is the same step written by hand
with NumPy arrays. The variants take turns step by step (so a load change on the machine hits
them alike); medians over --repeat steps each, in ms, and ratios.

    python benchmarks/bench_gluon.py [--repeat N] [--nets mlp,small,lenet,resnet]
                                     [--no-malloc-tuning] [--cpu-time]
"""
from __future__ import annotations

import argparse
import os
import time
from functools import partial

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS: one thread for all
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as onp  # noqa: E402

import mxnp  # noqa: E402
from mxnp import autograd, gluon, init, np, npx  # noqa: E402
from mxnp.gluon import nn  # noqa: E402

SHAPES = {"mlp": ((256, 784), [256]), "small": ((16, 32), [32, 32, 32]),
          "lenet": ((256, 1, 28, 28), None), "resnet": ((32, 1, 28, 28), None)}


class Residual(nn.HybridBlock):
    """D2L's residual block: two 3x3 convolutions with BatchNorm, an optional 1x1 shortcut."""

    def __init__(self, channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2D(channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(channels, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2D(channels, kernel_size=1, strides=strides) if use_1x1conv \
            else None
        self.bn1, self.bn2 = nn.BatchNorm(), nn.BatchNorm()

    def forward(self, x):
        y = self.bn2(self.conv2(npx.relu(self.bn1(self.conv1(x)))))
        return npx.relu(y + (self.conv3(x) if self.conv3 else x))


def gluon_net(name):
    net = nn.HybridSequential()
    if name == "lenet":
        net.add(nn.Conv2D(6, kernel_size=5, padding=2, activation="sigmoid"),
                nn.AvgPool2D(pool_size=2, strides=2),
                nn.Conv2D(16, kernel_size=5, activation="sigmoid"),
                nn.AvgPool2D(pool_size=2, strides=2),
                nn.Dense(120, activation="sigmoid"), nn.Dense(84, activation="sigmoid"),
                nn.Dense(10))
    elif name == "resnet":
        net.add(nn.Conv2D(16, kernel_size=3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                Residual(16), Residual(32, use_1x1conv=True, strides=2), nn.GlobalAvgPool2D(),
                nn.Dense(10))
    else:
        net.add(*[nn.Dense(u, activation="relu") for u in SHAPES[name][1]], nn.Dense(10))
    net.initialize(init.Xavier())
    return net


def gluon_step(net, trainer, loss_fn, x, y):
    with autograd.record():
        loss = loss_fn(net(x), y)
    loss.backward()
    trainer.step(x.shape[0])


def numpy_floor(widths, rng, batch):
    """The MLP step by hand: the cost floor mxnp is measured against."""
    ws = [(rng.standard_normal((o, i)).astype("float32") * 0.05, onp.zeros(o, "float32"))
          for i, o in zip(widths[:-1], widths[1:])]

    def step(x, y):
        hs = [x]
        for k, (w, b) in enumerate(ws):
            h = hs[-1] @ w.T + b
            hs.append(onp.maximum(h, 0) if k < len(ws) - 1 else h)
        z = hs[-1] - hs[-1].max(axis=1, keepdims=True)
        p = onp.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = p
        g[onp.arange(len(y)), y] -= 1
        for k in range(len(ws) - 1, -1, -1):
            w, b = ws[k]
            gw, gb = g.T @ hs[k], g.sum(axis=0)
            if k:
                g = (g @ w) * (hs[k] > 0)
            w -= (0.1 / len(y)) * gw
            b -= (0.1 / len(y)) * gb
    return step


def torch_net(torch, name):
    tnn = torch.nn
    if name == "resnet":
        class TorchResidual(tnn.Module):
            def __init__(self, cin, c, use_1x1conv=False, stride=1):
                super().__init__()
                self.conv1 = tnn.Conv2d(cin, c, 3, padding=1, stride=stride)
                self.conv2 = tnn.Conv2d(c, c, 3, padding=1)
                self.conv3 = tnn.Conv2d(cin, c, 1, stride=stride) if use_1x1conv else None
                self.bn1, self.bn2 = tnn.BatchNorm2d(c), tnn.BatchNorm2d(c)

            def forward(self, x):
                y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
                return torch.relu(y + (self.conv3(x) if self.conv3 is not None else x))
        return tnn.Sequential(tnn.Conv2d(1, 16, 3, padding=1), tnn.BatchNorm2d(16), tnn.ReLU(),
                              TorchResidual(16, 16), TorchResidual(16, 32, True, 2),
                              tnn.AdaptiveAvgPool2d(1), tnn.Flatten(), tnn.Linear(32, 10))
    if name == "lenet":
        return tnn.Sequential(tnn.Conv2d(1, 6, 5, padding=2), tnn.Sigmoid(), tnn.AvgPool2d(2, 2),
                              tnn.Conv2d(6, 16, 5), tnn.Sigmoid(), tnn.AvgPool2d(2, 2),
                              tnn.Flatten(), tnn.Linear(400, 120), tnn.Sigmoid(),
                              tnn.Linear(120, 84), tnn.Sigmoid(), tnn.Linear(84, 10))
    widths = [SHAPES[name][0][1]] + SHAPES[name][1]
    layers = []
    for i, o in zip(widths[:-1], widths[1:]):
        layers += [tnn.Linear(i, o), tnn.ReLU()]
    return tnn.Sequential(*layers, tnn.Linear(widths[-1], 10))


def torch_step_fn(torch, name):
    net = torch_net(torch, name)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    return step


def timed(steps, repeat, clock=time.perf_counter):
    """{label: median ms of one step}, the steps run in turns."""
    for step in steps.values():
        step()
        step()  # warm up (deferred initialisation, hybridize's first call)
    times = {label: [] for label in steps}
    for _ in range(repeat):
        for label, step in steps.items():
            t0 = clock()
            step()
            times[label].append(clock() - t0)
    return {label: float(onp.median(t)) * 1e3 for label, t in times.items()}


def bench(name, repeat, clock):
    rng = onp.random.default_rng(0)
    xshape = SHAPES[name][0]
    raw_x = rng.standard_normal(xshape).astype("float32")
    raw_y = rng.integers(0, 10, xshape[0])
    # each framework reads its own copy of the batch, as each would hold the batch a loader
    # gives it: a buffer shared by two of them is warm in the cache for the second
    x, y = np.array(raw_x), np.array(raw_y)
    steps = {}
    for hybrid in (False, True):
        net = gluon_net(name)
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        if hybrid:
            net.hybridize()
            loss_fn.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
        label = "mxnp hybridized" if hybrid else "mxnp"
        steps[label] = partial(gluon_step, net, trainer, loss_fn, x, y)
    if SHAPES[name][1] is not None:
        floor = numpy_floor([xshape[1]] + SHAPES[name][1] + [10], rng, xshape[0])
        steps["numpy by hand"] = partial(floor, raw_x, raw_y)
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(1)
        steps["pytorch"] = partial(torch_step_fn(torch, name), torch.from_numpy(raw_x.copy()),
                                   torch.from_numpy(raw_y.copy()))
    return timed(steps, repeat, clock)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--nets", default="mlp,small,lenet,resnet")
    parser.add_argument("--no-malloc-tuning", action="store_true",
                        help="leave the C allocator alone (default: mxnp.tune_host_allocator())")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time CPU time of the process (time.process_time), not wall time: "
                             "what other jobs take from a shared machine is not counted")
    args = parser.parse_args()
    if not args.no_malloc_tuning:  # opt in, as a training program would (see README)
        mxnp.tune_host_allocator()
    for name in args.nets.split(","):
        rows = bench(name, args.repeat,
                     time.process_time if args.cpu_time else time.perf_counter)
        print(f"{name}: one training step, median of {args.repeat}")
        base = rows.get("numpy by hand") or rows.get("pytorch")
        for label, ms in rows.items():
            print(f"  {label:16s} {ms:9.3f} ms   {ms / base:5.2f}x "
                  f"{'numpy' if 'numpy by hand' in rows else 'pytorch'}"
                  + (f"   {ms / rows['pytorch']:5.2f}x pytorch" if "pytorch" in rows else ""))


if __name__ == "__main__":
    npx.set_np()
    main()
