"""`mxnp run`: --timeout must be positive; SIGINT/SIGTERM stop a notebook in one line."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def working_tree_env() -> dict:
    """This checkout first on the path, for the CLI and for the kernel it starts."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


@pytest.mark.parametrize("value", ["0", "-1", "1.5"])
def test_timeout_must_be_a_positive_whole_number(notebook, run_mxnp, tmp_path, value):
    nb = notebook(tmp_path / "nb.ipynb", "1")
    proc = run_mxnp("run", nb, f"--timeout={value}")
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr and value in proc.stderr


def _first_line(stream, timeout: float) -> str:
    """The first line of ``stream``, read in a thread so that a hang cannot block the test."""
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return got[0] if got else ""


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.notebook
@pytest.mark.parametrize("signum,status,word", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "terminated")])
def test_signal_stops_the_notebook_in_one_line(notebook, tmp_path, signum, status, word):
    nb = notebook(tmp_path / "nb.ipynb",
                  "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(120)",
                  "print('never')")
    proc = subprocess.Popen([sys.executable, "-m", "mxnp.compat.cli", "run", str(nb)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=working_tree_env(), stdin=subprocess.DEVNULL)
    try:
        kernel_pid = int(_first_line(proc.stdout, 120).strip() or 0)
        assert kernel_pid, "the notebook did not start"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == status, err
    assert err.strip().splitlines() == [f"mxnp run: {nb}: {word}; the kernel was shut down"]
    assert "never" not in out
    assert _gone(kernel_pid, 10), "the kernel outlived mxnp run"
