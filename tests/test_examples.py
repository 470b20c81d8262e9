"""The gluon example trains through `mxnp run` as a user would run it, and learns."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_train_mlp_example_reaches_high_accuracy():
    pytest.importorskip("tqdm")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run(
        [sys.executable, "-m", "mxnp.compat.cli", "run", str(ROOT / "examples" / "train_mlp.py"),
         "--epochs", "2", "--samples", "1000"],
        capture_output=True, text=True, timeout=300, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    accuracies = dict(re.findall(r"^(\w+): test accuracy ([0-9.]+)$", proc.stdout, re.M))
    assert set(accuracies) == {"mlp", "lenet"}, proc.stdout
    assert all(float(a) > 0.9 for a in accuracies.values()), accuracies
    assert "mlp epoch 2" in proc.stderr and "acc=" in proc.stderr  # the tqdm bar, per epoch
