"""The examples run through `mxnp run` as a user would run them, and learn."""
from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _mxnp_run(*args, timeout=300, cwd=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    # One BLAS thread, as the benchmarks run: on a busy 2-core machine OpenBLAS's threads wait
    # on each other and the LSTM's small products slow down 10-40x, which makes the time
    # these tests take a matter of luck.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return subprocess.run([sys.executable, "-m", "mxnp.compat.cli", "run", *map(str, args)],
                          check=False, capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=cwd, stdin=subprocess.DEVNULL)


def test_train_mlp_example_reaches_high_accuracy():
    pytest.importorskip("tqdm")
    proc = _mxnp_run(EXAMPLES / "train_mlp.py", "--epochs", "2", "--samples", "1000")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    accuracies = dict(re.findall(r"^(\w+): test accuracy ([0-9.]+)$", proc.stdout, re.MULTILINE))
    assert set(accuracies) == {"mlp", "lenet"}, proc.stdout
    assert all(float(a) > 0.9 for a in accuracies.values()), accuracies
    assert "mlp epoch 2" in proc.stderr and "acc=" in proc.stderr  # the tqdm bar, per epoch


@pytest.mark.notebook
def test_fashion_mnist_notebook_trains_with_worker_processes(tmp_path):
    for module in ("nbclient", "nbformat", "ipykernel"):
        pytest.importorskip(module)
    import nbformat

    out = tmp_path / "fashion_mnist.ipynb"
    proc = _mxnp_run(EXAMPLES / "fashion_mnist.ipynb", "--output", out, "--timeout", "240")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # ToTensor made CHW float32 images of the (28, 28, 1) uint8 ones, batched by the workers
    assert "each (28, 28, 1) uint8" in proc.stdout
    assert "a batch: (64, 1, 28, 28) float32 (64,) int32" in proc.stdout
    epochs = re.findall(r"^epoch (\d+): loss ([0-9.]+), train acc ([0-9.]+), test acc ([0-9.]+)",
                        proc.stdout, re.MULTILINE)
    assert [int(e[0]) for e in epochs] == [1, 2, 3], proc.stdout
    losses = [float(e[1]) for e in epochs]
    assert losses[-1] < 0.7 * losses[0], losses
    assert float(epochs[-1][2]) > 0.5 and float(epochs[-1][3]) > 0.5, epochs  # chance is 0.1
    executed = nbformat.read(out, as_version=4)
    assert not [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error"]
    figures = re.findall(r"^\[figure\] (.+)$", proc.stdout, re.MULTILINE)
    try:
        import matplotlib  # noqa: F401 - the notebook draws only where it is installed
    except ImportError:
        assert figures == [] and not (tmp_path / "fashion_mnist_images").exists()
    else:
        assert [Path(f).name for f in figures] == ["cell5_1.png", "cell12_1.png"], proc.stdout
        assert all(Path(f).read_bytes().startswith(b"\x89PNG") for f in figures)


def test_char_lstm_perplexity_falls_and_it_samples_a_line():
    proc = _mxnp_run(EXAMPLES / "char_lstm.py", "--epochs", "8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (EXAMPLES / "data" / "lighthouse.txt").read_text()
    vocab = len(set(text))
    assert f"{len(text)} characters, {vocab} distinct" in proc.stdout
    perplexities = [float(p) for p in re.findall(r"^epoch \d+: perplexity ([0-9.]+)", proc.stdout,
                                                 re.MULTILINE)]
    assert len(perplexities) == 8, proc.stdout
    # a uniform guess over the vocabulary has perplexity `vocab`; the model does far better
    assert perplexities[0] < vocab and perplexities[-1] < 0.5 * perplexities[0], perplexities
    assert all(b < a for a, b in itertools.pairwise(perplexities)), perplexities
    sample = re.search(r"^sample: (.*)$", proc.stdout, re.MULTILINE).group(1)
    assert sample.startswith("The ") and len(sample) > 10 and set(sample) <= set(text), sample


# MXNet 1.9.1's output for `examples/legacy_mlp.py --epochs 8`, made with mxref from three
# cells: `npx.reset_np()` (mxref's preamble turns numpy mode on), the script without its
# `if __name__ == '__main__':` block, and `main(8)`.
LEGACY_MLP_UNDER_MXNET = [
    (1.0717279, 0.4250), (0.8818375, 0.6875), (0.5605635, 0.8417), (0.3125638, 0.8750),
    (0.2113620, 0.9167), (0.1904385, 0.9208), (0.1677224, 0.9208), (0.1523668, 0.9250),
]


def test_legacy_mlp_example_prints_mxnets_per_epoch_loss_and_accuracy():
    proc = _mxnp_run(EXAMPLES / "legacy_mlp.py", "--epochs", "8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    epochs = re.findall(r"^epoch (\d+): loss ([0-9.]+) accuracy ([0-9.]+)$", proc.stdout,
                        re.MULTILINE)
    assert [int(e[0]) for e in epochs] == list(range(1, 9)), proc.stdout
    for (_, loss, accuracy), (mx_loss, mx_accuracy) in zip(epochs, LEGACY_MLP_UNDER_MXNET):
        assert float(loss) == pytest.approx(mx_loss, rel=1e-4)
        assert float(accuracy) == mx_accuracy
