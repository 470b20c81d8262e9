"""Distributed kvstore, Trainer and mxnp.horovod across real processes: ``mxnp launch -n N``
runs tests/dist_workers.py under mpiexec on this machine (each case checks itself in every
worker against NumPy references or a one-process run on the whole batch)."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mxnp.kvstore import launch

WORKERS = Path(__file__).with_name("dist_workers.py")


def _mpiexec():
    try:
        return launch.find_mpiexec()
    except FileNotFoundError:
        return None


pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or _mpiexec() is None,
    reason="needs mpi4py and an MPI runtime: pip install 'mxnp[distributed]'")


def run_job(n, case, timeout=120, env=None):
    """``mxnp launch -n n dist_workers.py case``, bounded in time; (status, output)."""
    cmd = [sys.executable, "-m", "mxnp.compat.cli", "launch", "-n", str(n),
           "--timeout", str(timeout), str(WORKERS), case]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30, check=False,
                          stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout + proc.stderr


def assert_ok(n, case, **kwargs):
    status, out = run_job(n, case, **kwargs)
    assert status == 0, out[-3000:]
    assert sorted(line for line in out.splitlines() if line.startswith(case + " ok")) == \
        [f"{case} ok {r}/{n}" for r in range(n)], out[-3000:]


@pytest.mark.parametrize("n", [2, 4])
def test_dist_kvstore_calls_match_numpy(n):
    assert_ok(n, "kvstore")


def test_dist_kvstore_small_buckets_split_messages():
    # a 10-byte cap puts each array in a bucket of its own
    assert_ok(3, "kvstore", env={"MXNP_KVSTORE_BUCKET_MB": "0.00001"})


def test_dist_trainer_4_workers_match_one_process_on_4x_batch():
    # SGD with momentum and Adam, 20 steps, update_on_kvstore True and False
    assert_ok(4, "train")


def test_dist_horovod_port_4_workers_match_one_process():
    # DistributedTrainer and DistributedOptimizer, deferred parameters broadcast at forward
    assert_ok(4, "horovod")


def test_dist_killed_worker_fails_the_job_quickly():
    start = time.monotonic()
    status, out = run_job(2, "die", timeout=60)
    assert status != 0 and "AssertionError" not in out
    assert time.monotonic() - start < 30


def test_dist_launch_timeout_stops_every_worker(tmp_path):
    script = tmp_path / "hang_job.py"
    script.write_text(WORKERS.read_text())
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mxnp.compat.cli", "launch", "-n", "2",
                           "--timeout", "8", str(script), "hang"],
                          capture_output=True, text=True, timeout=60, check=False,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 124, proc.stderr[-2000:]
    assert "--timeout" in proc.stderr and time.monotonic() - start < 40
    time.sleep(1)
    if shutil.which("pgrep") is None:
        return
    left = subprocess.run(["pgrep", "-f", str(script)], capture_output=True, text=True,
                          check=False)
    assert left.stdout == "", f"processes left behind: {left.stdout}"


def test_dist_example_trains_on_two_workers():
    example = Path(__file__).resolve().parents[1] / "examples" / "distributed_mlp.py"
    proc = subprocess.run([sys.executable, "-m", "mxnp.compat.cli", "launch", "-n", "2", "-s", "1",
                           "--timeout", "120", str(example), "--epochs", "1",
                           "--samples", "2048"],
                          capture_output=True, text=True, timeout=150, check=False,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-2000:]
    accuracy = float(proc.stdout.split("accuracy ")[1].split(",")[0])
    assert accuracy > 0.9 and "(2 workers)" in proc.stdout, proc.stdout
    assert "-s 1 ignored" in proc.stderr
