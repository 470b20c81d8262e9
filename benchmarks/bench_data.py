"""DataLoader throughput: images per second through transforms and batching, with 0 and 2
worker processes, in mxnp's gluon.data next to torch.utils.data when PyTorch is installed.

The data set is synthetic, shaped like Fashion-MNIST by default: uint8 HWC images (28, 28, 1)
and int32 labels. Each image goes through ToTensor (CHW float32 / 255) and Normalize, one at a
time, and the loader stacks them in batches of 64 with shuffling, as a training loop reads them.
PyTorch does the same work with the same per-image ops written in torch (torchvision is not
needed); MXNet 1.9.1 runs this same file's gluon code in a child process on the interpreter of
the venv that shared/tools/mxref builds (``$MXREF_VENV``, default ``~/.cache/mxref-venv``),
skipped with a note when that venv is absent. A NumPy loop doing the work in-process is the
floor. One epoch is the unit timed,
each loader is made once and read once per epoch, as a training loop does: mxnp and MXNet keep
their worker processes between epochs, PyTorch starts its workers again at each epoch unless
``persistent_workers=True`` (timed both ways). The fastest of ``--repeat`` epochs is reported: on a shared machine the slower ones measure
the other jobs.

    python benchmarks/bench_data.py [--images N] [--shape H W C] [--repeat N] [--workers 0 2]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS: one thread for all
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as onp

MEAN, STD = 0.5, 0.25
BATCH = 64


def synthetic(count, shape, seed=0):
    """NumPy uint8 images (count, H, W, C) and int32 labels in ten classes."""
    rng = onp.random.default_rng(seed)
    return (rng.integers(0, 256, size=(count, *shape), dtype=onp.uint8),
            rng.integers(0, 10, size=count).astype(onp.int32))


def gluon_loader(mx, images, labels, workers, shuffle=True):
    """The DataLoader of ``mx`` (mxnp, or MXNet 1.9.1 in the child process)."""
    gluon, transforms = mx.gluon, mx.gluon.data.vision.transforms
    dataset = gluon.data.ArrayDataset(mx.np.array(images, dtype="uint8"),
                                      mx.np.array(labels, dtype="int32"))
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    return gluon.data.DataLoader(dataset.transform_first(transform), BATCH, shuffle=shuffle,
                                 num_workers=workers)


def torch_loader(torch, images, labels, workers, persistent=False):
    data, target = torch.from_numpy(images), torch.from_numpy(labels)

    class Images(torch.utils.data.Dataset):
        def __len__(self):
            return len(data)

        def __getitem__(self, i):
            image = data[i].permute(2, 0, 1).float().div_(255)  # ToTensor
            return image.sub_(MEAN).div_(STD), target[i]        # Normalize

    return torch.utils.data.DataLoader(Images(), BATCH, shuffle=True, num_workers=workers,
                                       persistent_workers=persistent and workers > 0)


def numpy_epoch(images, labels, rng):
    """The same work by hand in this process: per-image transform, then stack each batch."""
    order = rng.permutation(len(images))
    for start in range(0, len(order), BATCH):
        rows = order[start:start + BATCH]
        batch = [(images[i].transpose(2, 0, 1).astype(onp.float32) / 255 - MEAN) / STD
                 for i in rows]
        yield onp.stack(batch), labels[rows]


def rates(loaders, count, repeat):
    """{name: images per second} of each loader's fastest full epoch. Every repeat reads one
    epoch of each loader in turn, so a burst of load from other jobs slows all of them alike;
    checks that every image arrived."""
    def epoch(make_iter):
        seen = 0
        t0 = time.perf_counter()
        for X, _ in make_iter():
            seen += X.shape[0]
        elapsed = time.perf_counter() - t0
        assert seen == count, f"{seen} images arrived, expected {count}"
        return elapsed
    for make_iter in loaders.values():
        epoch(make_iter)  # warm up: page faults, the workers' start
    best = dict.fromkeys(loaders, float("inf"))
    for _ in range(repeat):
        for name, make_iter in loaders.items():
            best[name] = min(best[name], epoch(make_iter))
    return {name: count / seconds for name, seconds in best.items()}


def check_values(mx, images, labels):
    """The first batch, unshuffled, equals the NumPy transform's (before anything is timed)."""
    X, y = next(iter(gluon_loader(mx, images[:BATCH], labels[:BATCH], 0, shuffle=False)))
    expected = (images[:BATCH].transpose(0, 3, 1, 2).astype(onp.float32) / 255 - MEAN) / STD
    assert X.dtype == onp.float32 and onp.allclose(X.asnumpy(), expected, atol=1e-6)
    assert (y.asnumpy() == labels[:BATCH]).all()


def gluon_loaders(mx, name, workers, images, labels):
    """{(name, workers): make_iter} for ``mx``'s DataLoader, its values checked first."""
    check_values(mx, images, labels)
    loaders = {(name, w): gluon_loader(mx, images, labels, w) for w in workers}
    return {key: loader.__iter__ for key, loader in loaders.items()}


def mxnet_rates(argv):
    """MXNet 1.9.1's figures from a child process on mxref's venv, or None and a note."""
    python = os.path.join(os.environ.get("MXREF_VENV", os.path.expanduser("~/.cache/mxref-venv")),
                          "bin", "python")
    if not os.access(python, os.X_OK):
        return None, f"MXNet 1.9.1: skipped, no {python} (build it with shared/tools/mxref)"
    out = subprocess.run([python, "-W", "ignore", os.path.abspath(__file__), *argv,
                          "--mxnet-worker"], capture_output=True, text=True, timeout=600,
                         check=False)
    if out.returncode != 0:
        return None, "MXNet 1.9.1: failed\n" + out.stderr[-2000:]
    return {int(k): v for k, v in json.loads(out.stdout.splitlines()[-1]).items()}, None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=4096)
    parser.add_argument("--shape", type=int, nargs=3, default=(28, 28, 1), metavar=("H", "W", "C"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=(0, 2))
    parser.add_argument("--mxnet-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    images, labels = synthetic(args.images, tuple(args.shape))
    if args.mxnet_worker:  # in MXNet's venv: print its figures as one JSON line
        import mxnet
        mxnet.npx.set_np()
        found = rates(gluon_loaders(mxnet, "mxnet", args.workers, images, labels), args.images,
                      args.repeat)
        print(json.dumps({w: found["mxnet", w] for w in args.workers}))
        return
    import mxnp
    rng = onp.random.default_rng(1)
    loaders = {"numpy": lambda: numpy_epoch(images, labels, rng),
               **gluon_loaders(mxnp, "mxnp", args.workers, images, labels)}
    try:
        import torch
        torch.set_num_threads(1)
        for w in args.workers:
            for persistent in (False, True) if w else (False,):
                loader = torch_loader(torch, images, labels, w, persistent)
                loaders["torch", w, persistent] = loader.__iter__
    except ImportError:
        print("PyTorch is not installed: its column is skipped")
    found = rates(loaders, args.images, args.repeat)
    floor, ours = found.pop("numpy"), {w: found.pop(("mxnp", w)) for w in args.workers}
    mxnet, note = mxnet_rates(argv)
    print(f"{args.images} images {tuple(args.shape)} uint8 -> ToTensor+Normalize, batch {BATCH}, "
          f"shuffled; images/s, best of {args.repeat} epochs, read in turn")
    print(f"NumPy by hand, in process: {floor:8.0f}")
    for w in args.workers:
        line = f"num_workers={w}: mxnp {ours[w]:7.0f} ({ours[w] / floor:.2f}x NumPy)"
        for (_, tw, persistent), rate in found.items():
            if tw == w:
                name = "torch, persistent workers" if persistent else "torch"
                line += f" | {name} {rate:7.0f}, mxnp/torch {ours[w] / rate:.2f}x"
        if mxnet:
            line += f" | mxnet 1.9.1 {mxnet[w]:7.0f}, mxnp/mxnet {ours[w] / mxnet[w]:.2f}x"
        print(line)
    if note:
        print(note)


if __name__ == "__main__":
    main(sys.argv[1:])
