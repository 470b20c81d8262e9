"""Subprocess helpers: the alias and the CLI change interpreter-wide state (sys.meta_path,
sys.modules, sys.argv), so each check runs in a fresh Python on this checkout's mxnp."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def working_tree_env() -> dict[str, str]:
    # The checkout goes first on the path, for the child and for any kernel it starts, so that a
    # stale installed copy of mxnp is never what gets tested.
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _run(cmd: list[str], cwd: Path | None = None, timeout: float = 300):
    return subprocess.run(cmd, check=False, cwd=cwd, env=working_tree_env(), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def run():
    """run(cmd, cwd=None) runs a command on this checkout's mxnp; returns the CompletedProcess."""
    return _run


@pytest.fixture
def run_python():
    """run_python(code) runs dedented code in a fresh interpreter; returns the CompletedProcess."""
    return lambda code: _run([sys.executable, "-c", textwrap.dedent(code)])


@pytest.fixture
def run_mxnp():
    """run_mxnp(*args, cwd=None) runs ``python -m mxnp.compat.cli args...``."""
    return lambda *args, cwd=None: _run([sys.executable, "-m", "mxnp.compat.cli", *map(str, args)],
                                        cwd=cwd)


def write_notebook(path: Path, *sources: str) -> Path:
    """Write a notebook of the given code cells to path; skips the test without the notebook
    extra (nbformat, nbclient, ipykernel)."""
    nbformat = pytest.importorskip("nbformat")
    for module in ("nbclient", "ipykernel"):
        pytest.importorskip(module)
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


@pytest.fixture
def notebook():
    """notebook(path, *cell_sources) writes a notebook (the test skips without the extra)."""
    return write_notebook
