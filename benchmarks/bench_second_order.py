"""Second-order gradient of a 3-layer MLP: mxnp next to PyTorch eager (when importable).

Run:  python benchmarks/bench_second_order.py [--quick]

Per iteration, both frameworks: loss = mean((tanh(tanh(x W1) W2) W3)^2) on a batch of 32
(64 -> 64 -> 64 -> 1, float32, one thread); g = d loss / d (W1, W2, W3) with the graph kept
(mxnp: autograd.grad(create_graph=True); torch: torch.autograd.grad(create_graph=True)); then
the backward of sum(g * g), a Hessian-vector product. Both results are checked against each
other before timing. Times: median of repeats, microseconds per iteration.
"""
import os
import sys
import timeit
from statistics import median

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"  # before NumPy and torch start their thread pools

import numpy as onp  # noqa: E402 - after the thread settings above

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from mxnp import autograd, np  # noqa: E402

SHAPES = [(64, 64), (64, 64), (64, 1)]


def data():
    rng = onp.random.default_rng(0)
    ws = [(rng.normal(size=s) / onp.sqrt(s[0])).astype(onp.float32) for s in SHAPES]
    return ws, rng.normal(size=(32, 64)).astype(onp.float32)


def mxnp_step(ws, x):
    with autograd.record():
        h = np.tanh(np.dot(x, ws[0]))
        h = np.tanh(np.dot(h, ws[1]))
        loss = (np.dot(h, ws[2]) ** 2).mean()
        grads = autograd.grad(loss, ws, create_graph=True)
        total = sum((g * g).sum() for g in grads)
    total.backward()
    return [w.grad for w in ws]


def torch_step(torch, ws, x):
    h = torch.tanh(x @ ws[0])
    h = torch.tanh(h @ ws[1])
    loss = ((h @ ws[2]) ** 2).mean()
    grads = torch.autograd.grad(loss, ws, create_graph=True)
    total = sum((g * g).sum() for g in grads)
    for w in ws:
        w.grad = None
    total.backward()
    return [w.grad for w in ws]


def timed(fn, number, repeat):
    fn()
    return median(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main(quick):
    raw_ws, raw_x = data()
    ws = [np.array(w) for w in raw_ws]
    for w in ws:
        w.attach_grad()
    x = np.array(raw_x)
    number, repeat = (20, 5) if quick else (100, 9)
    mx_us = timed(lambda: mxnp_step(ws, x), number, repeat)
    print(f"second-order MLP (batch 32, 64-64-64-1), µs per iteration: mxnp {mx_us:,.0f}")
    try:
        import torch
    except ImportError:
        print("torch not importable: no comparison (pip install torch==2.13.0 in another venv)")
        return
    torch.set_num_threads(1)
    tws = [torch.tensor(w, requires_grad=True) for w in raw_ws]
    tx = torch.tensor(raw_x)
    for ours, theirs in zip(mxnp_step(ws, x), torch_step(torch, tws, tx)):
        onp.testing.assert_allclose(ours.asnumpy(), theirs.numpy(), rtol=2e-3, atol=1e-5)
    torch_us = timed(lambda: torch_step(torch, tws, tx), number, repeat)
    print(f"torch {torch.__version__} {torch_us:,.0f}; mxnp/torch {mx_us / torch_us:.2f}")


if __name__ == "__main__":
    main("--quick" in sys.argv)
