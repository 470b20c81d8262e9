"""LeNet-style forward + backward, batch 64 of 1x28x28: mxnp next to PyTorch CPU (one thread).

conv 6@5x5 + relu, max-pool 2x2/2, conv 16@5x5 + relu, max-pool 2x2/2, dense 256->10, sum.
Gradients of all weights; each framework's are checked against mxnp's before timing.

    python benchmarks/bench_lenet.py [--repeat N] [--no-malloc-tuning]
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS: one thread for all
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as onp  # noqa: E402

import mxnp  # noqa: E402
from mxnp import autograd, np, npx  # noqa: E402


def weights(rng):
    return [rng.standard_normal(s).astype("float32") * 0.1
            for s in [(6, 1, 5, 5), (6,), (16, 6, 5, 5), (16,), (10, 256), (10,)]]


def mxnp_step(x, ws):
    with autograd.record():
        h = npx.relu(npx.convolution(x, ws[0], ws[1], kernel=(5, 5), num_filter=6))
        h = npx.pooling(h, kernel=(2, 2), stride=(2, 2))
        h = npx.relu(npx.convolution(h, ws[2], ws[3], kernel=(5, 5), num_filter=16))
        h = npx.pooling(h, kernel=(2, 2), stride=(2, 2))
        loss = (np.dot(h.reshape(h.shape[0], -1), ws[4].T) + ws[5]).sum()
    loss.backward()
    return [w.grad for w in ws]


def torch_step(torch, x, ws):
    F = torch.nn.functional
    for w in ws:
        w.grad = None
    h = F.relu(F.conv2d(x, ws[0], ws[1]))
    h = F.max_pool2d(h, 2, 2)
    h = F.relu(F.conv2d(h, ws[2], ws[3]))
    h = F.max_pool2d(h, 2, 2)
    loss = F.linear(h.flatten(1), ws[4], ws[5]).sum()
    loss.backward()
    return [w.grad for w in ws]


def timed(step, repeat):
    step()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return float(onp.median(times)) * 1e3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-malloc-tuning", action="store_true",
                        help="leave the C allocator alone (default: mxnp.tune_host_allocator())")
    args = parser.parse_args()
    repeat = args.repeat
    if not args.no_malloc_tuning:  # opt in, as a training program would (see README)
        mxnp.tune_host_allocator()
    rng = onp.random.default_rng(0)
    raw_x, raw_ws = rng.standard_normal((64, 1, 28, 28)).astype("float32"), weights(rng)
    x, ws = np.array(raw_x), [np.array(w) for w in raw_ws]
    for w in ws:
        w.attach_grad()
    ours = [g.asnumpy() for g in mxnp_step(x, ws)]
    ms = timed(lambda: mxnp_step(x, ws), repeat)
    print(f"mxnp    {ms:8.2f} ms per forward+backward")
    try:
        import torch
    except ImportError:
        print("torch   not installed: no comparison (see benchmarks/README.md)")
        return
    torch.set_num_threads(1)
    tx = torch.from_numpy(raw_x)
    tws = [torch.from_numpy(w.copy()).requires_grad_() for w in raw_ws]
    for g, t in zip(ours, torch_step(torch, tx, tws)):
        onp.testing.assert_allclose(g, t.numpy(), rtol=1e-3, atol=1e-3)
    tms = timed(lambda: torch_step(torch, tx, tws), repeat)
    print(f"torch   {tms:8.2f} ms per forward+backward")
    print(f"ratio   mxnp/torch = {ms / tms:.2f}")


if __name__ == "__main__":
    main()
