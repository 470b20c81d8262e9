"""Every module of the package can be the first one imported, and the seed then runs.

Python always runs a package's ``__init__`` before its submodules, which hides an order that
only works because ``mxnp/__init__.py`` happens to import things in it. So each child
interpreter installs the package object with its ``__init__`` not yet run, imports the module
under test first (it must pull in what it needs by itself), then runs the package's
``__init__`` and the seed computation.
"""
import os
import pathlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import mxnp

ROOT = pathlib.Path(mxnp.__file__).parent

CHILD = r"""
import importlib, importlib.util, sys
spec = importlib.util.find_spec("mxnp")
pkg = importlib.util.module_from_spec(spec)
sys.modules["mxnp"] = pkg  # the package, its __init__ not yet run
importlib.import_module(sys.argv[1])
spec.loader.exec_module(pkg)
from mxnp import autograd, np
x = np.arange(4.0)
x.attach_grad()
with autograd.record():
    y = 2 * np.dot(x, x)
y.backward()
assert x.grad.tolist() == [0.0, 4.0, 8.0, 12.0], x.grad
"""


def _modules() -> list:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # running it is the command line, not an import
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _run(name: str) -> str:
    """The last line of the child's error, or "" when the module imported first and the seed ran."""
    run = subprocess.run([sys.executable, "-c", CHILD, name], capture_output=True, text=True)
    return run.stderr.strip().splitlines()[-1] if run.returncode else ""


def test_every_module_imports_first_and_the_seed_runs():
    # one interpreter per module; they wait on process start-up, so run a few at once
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        errors = dict(zip(_modules(), pool.map(_run, _modules())))
    failures = [f"{name}: {error}" for name, error in errors.items() if error]
    assert not failures, "\n".join(failures)


def test_the_module_list_covers_the_layers():
    names = _modules()
    for name in ("mxnp._ndarray", "mxnp._ops.primitive", "mxnp.autograd", "mxnp._tape"):
        assert name in names
