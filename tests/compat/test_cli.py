"""The `mxnp` command line: scripts and notebooks run with `import mxnet` giving mxnp."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

SCRIPT = """\
import sys
from mxnet import np
print(np.__name__, sys.argv[1:], __name__)
"""


def _write_notebook(path: Path, *sources: str) -> Path:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return path


def _needs_notebook_extra() -> None:
    for module in ("nbclient", "nbformat", "ipykernel"):
        pytest.importorskip(module)


def test_cli_help(run_mxnp):
    top, run = run_mxnp("--help"), run_mxnp("run", "--help")
    assert top.returncode == 0 and "run" in top.stdout
    assert run.returncode == 0 and "--output" in run.stdout and "--timeout" in run.stdout


def test_cli_without_command_is_usage_error(run_mxnp):
    assert run_mxnp().returncode == 2


def test_cli_runs_script_with_alias_and_arguments(run_mxnp, tmp_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    proc = run_mxnp("run", script, "a", "--output", "b")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "mxnp.numpy ['a', '--output', 'b'] __main__\n"


def test_cli_script_prints_numpy_as_under_mxnet(run_mxnp, tmp_path, run_python):
    # MXNet 1.9.1 runs on NumPy 1.x: a NumPy scalar shows as 0.5 (NumPy 2: np.float64(0.5))
    script = tmp_path / "scalars.py"
    script.write_text("import numpy\nfrom mxnet import np\n"
                      "print(repr(numpy.float64(0.5)), repr(np.sin(0.5)), [numpy.float32(2)])\n")
    proc = run_mxnp("run", script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "0.5 0.479425538604203 [2.0]\n"
    # the runner's setting only: importing mxnp (and the alias) leaves NumPy's options alone
    out = run_python("import numpy, mxnp; mxnp.enable_mxnet_alias(); "
                     "print(numpy.get_printoptions()['legacy'])")
    assert out.stdout.strip() == "False", out.stderr


def test_cli_script_sees_its_own_folder_on_the_path(run_mxnp, tmp_path):
    (tmp_path / "helper_mod.py").write_text("VALUE = 7\n")
    (tmp_path / "main.py").write_text("import helper_mod\nprint(helper_mod.VALUE)\n")
    proc = run_mxnp("run", tmp_path / "main.py")
    assert (proc.returncode, proc.stdout) == (0, "7\n"), proc.stderr


@pytest.mark.parametrize("body, status", [("raise SystemExit(3)", 3), ("import sys; sys.exit()", 0),
                                          ("import sys; sys.exit('bye')", 1)])
def test_cli_script_exit_status_propagates(run_mxnp, tmp_path, body, status):
    script = tmp_path / "exits.py"
    script.write_text(body + "\n")
    assert run_mxnp("run", script).returncode == status


def test_cli_script_error_shows_traceback(run_mxnp, tmp_path):
    script = tmp_path / "fails.py"
    script.write_text("def f():\n    raise ValueError('boom')\n\nf()\n")
    proc = run_mxnp("run", script)
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "ValueError: boom" in proc.stderr and str(script) in proc.stderr
    assert "runpy" not in proc.stderr


@pytest.mark.parametrize("name", ["missing.py", "missing.ipynb"])
def test_cli_missing_file(run_mxnp, tmp_path, name):
    proc = run_mxnp("run", tmp_path / name)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and name in proc.stderr


def test_cli_unknown_extension(run_mxnp, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    proc = run_mxnp("run", other)
    assert proc.returncode == 2 and "notes.txt" in proc.stderr and ".ipynb" in proc.stderr


def test_cli_notebook_options_rejected_for_scripts(run_mxnp, tmp_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    assert run_mxnp("run", "--timeout", "5", script).returncode == 2


@pytest.mark.parametrize("text", ["not json", "{}", "[1]", '{"nbformat": 4, "cells": 3}'])
def test_cli_invalid_notebook(run_mxnp, tmp_path, text):
    _needs_notebook_extra()
    bad = tmp_path / "bad.ipynb"
    bad.write_text(text)
    proc = run_mxnp("run", bad)
    assert proc.returncode == 2
    assert "bad.ipynb is not a valid Jupyter notebook" in proc.stderr


def test_cli_notebook_output_folder_must_exist(run_mxnp, tmp_path):
    _needs_notebook_extra()
    nb = _write_notebook(tmp_path / "nb.ipynb", "1")
    proc = run_mxnp("run", nb, "--output", tmp_path / "missing" / "out.ipynb")
    assert proc.returncode == 2 and "no such folder" in proc.stderr


@pytest.mark.notebook
def test_cli_notebook_prints_outputs_from_a_kernel_on_this_python(run_mxnp, tmp_path):
    _needs_notebook_extra()
    nb = _write_notebook(tmp_path / "nb.ipynb", "import sys\nprint(sys.executable)",
                         "1 + 1", "from mxnet import np\nnp.__name__",
                         "print('no newline', end='')", "'x'",
                         "import numpy\nnumpy.float32(1.5)")
    proc = run_mxnp("run", nb)
    assert proc.returncode == 0, proc.stderr
    # The kernel runs on the interpreter that ran `mxnp`, not whatever "python3" kernelspec says;
    # NumPy scalars display as under MXNet's NumPy 1.x
    assert proc.stdout == f"{sys.executable}\n2\n'mxnp.numpy'\nno newline\n'x'\n1.5\n"


@pytest.mark.notebook
def test_cli_notebook_error_stops_the_run(run_mxnp, tmp_path):
    _needs_notebook_extra()
    import nbformat

    nb = _write_notebook(tmp_path / "nb.ipynb", "print('before')", "def f():\n    1 / 0\nf()",
                         "print('after')")
    out = tmp_path / "out.ipynb"
    proc = run_mxnp("run", nb, "--output", out)
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert "ZeroDivisionError" in proc.stderr and "1 / 0" in proc.stderr
    assert "stopped at the error in cell 2" in proc.stderr
    assert "\x1b[" not in proc.stderr
    cells = nbformat.read(out, as_version=4).cells
    assert cells[1].outputs[0].output_type == "error" and cells[2].outputs == []


@pytest.mark.notebook
def test_cli_notebook_output_file(run_mxnp, tmp_path):
    _needs_notebook_extra()
    import nbformat

    nb = _write_notebook(tmp_path / "nb.ipynb", "x = 20", "x + 22")
    out = tmp_path / "sub" / "executed.ipynb"
    out.parent.mkdir()
    proc = run_mxnp("run", nb, "--output", out, "--timeout", "60")
    assert proc.returncode == 0, proc.stderr
    cells = nbformat.read(out, as_version=4).cells
    assert [c.execution_count for c in cells] == [1, 2]
    assert cells[1].outputs[0].data["text/plain"] == "42"
    assert nbformat.read(nb, as_version=4).cells[1].outputs == []  # the input is left as it was


def test_cli_console_script(run, tmp_path):
    # The `mxnp` that pip installs beside this interpreter, else one on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    exe = shutil.which("mxnp", path=search)
    if exe is None:
        pytest.skip("the mxnp console script is not installed")
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    proc = run([exe, "run", str(script), "z"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "mxnp.numpy ['z'] __main__\n"
