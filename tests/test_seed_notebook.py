"""The seed (MXNet's autograd notebook, examples/autograd.ipynb) shows exactly MXNet's outputs.

tests/data/seed_expected.txt holds the outputs the seed displays under MXNet 1.9.1, in order,
one block per output, blocks separated by a blank line (no block contains one).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "autograd.ipynb"
EXPECTED = (ROOT / "tests" / "data" / "seed_expected.txt").read_text().rstrip("\n").split("\n\n")

pytestmark = pytest.mark.notebook


@pytest.fixture
def nbformat():
    for module in ("nbclient", "ipykernel"):
        pytest.importorskip(module)
    return pytest.importorskip("nbformat")


@pytest.fixture
def working_tree_env(monkeypatch):
    # The kernel inherits this: it must import this checkout's mxnp, not an installed copy.
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    return dict(os.environ)


def _displayed(nb) -> list[str]:
    return [out["data"]["text/plain"] for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if out["output_type"] in ("execute_result", "display_data")]


def test_seed_notebook_with_mxnp_run(nbformat, working_tree_env, tmp_path):
    out = tmp_path / "executed.ipynb"
    proc = subprocess.run([sys.executable, "-m", "mxnp.compat.cli", "run", str(NOTEBOOK),
                           "--output", str(out)], check=False, env=working_tree_env,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _displayed(nbformat.read(out, as_version=4)) == EXPECTED
    # The terminal shows the same blocks, in order, and nothing else.
    assert proc.stdout == "".join(block + "\n" for block in EXPECTED)


def test_seed_notebook_with_load_ext(nbformat, working_tree_env, tmp_path):
    from nbclient import NotebookClient

    from mxnp.compat.notebook import ThisPythonKernelManager

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%load_ext mxnp"))
    client = NotebookClient(nb, kernel_manager_class=ThisPythonKernelManager, timeout=300,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    assert nb.cells[0].outputs == []
    assert _displayed(nb) == EXPECTED
