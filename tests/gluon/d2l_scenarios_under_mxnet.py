"""Run the D2L scenario tests (test_d2l_scenarios*.py) under the real MXNet 1.9.1.

Every recorded literal in those tests is MXNet's; this proves it by running each test function,
as written, in a fresh MXNet process: the imports are rewritten from mxnp to mxnet, and a small
stand-in supplies pytest.raises/warns/fixture/mark and the capsys/tmp_path/monkeypatch fixtures.
A strict xfail there encodes MXNet's behaviour, so it must PASS here too. Not a pytest module.

    python tests/gluon/d2l_scenarios_under_mxnet.py tests/gluon/test_d2l_scenarios*.py

It uses the virtual environment that /work/shared/tools/mxref builds (MXREF_VENV).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

PYTEST_STANDIN = '''
import contextlib, re, warnings
class _Info:
    value = None
@contextlib.contextmanager
def raises(exc, match=None):
    info = _Info()
    try:
        yield info
    except exc as e:
        info.value = e
        if match is not None and not re.search(match, str(e)):
            raise AssertionError(f"message {str(e)!r} does not match {match!r}")
    else:
        raise AssertionError(f"DID NOT RAISE {exc}")
@contextlib.contextmanager
def warns(cat):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield seen
    assert any(issubclass(w.category, cat) for w in seen), "no warning"
def fixture(*args, **kwargs):
    return args[0] if args and callable(args[0]) else (lambda f: f)
class _Mark:
    def __getattr__(self, name):
        return lambda *a, **k: a[0] if a and callable(a[0]) and not k else (lambda f: f)
mark = _Mark()
'''

RUN_ONE = '''
import io, os, sys, tempfile, inspect, importlib, traceback, warnings
sys.path[:0] = [sys.argv[1]]
fn = getattr(importlib.import_module(sys.argv[2]), sys.argv[3])
class CapSys:
    def __init__(self):
        self.buf = io.StringIO(); sys.stdout = self.buf
    def readouterr(self):
        out = self.buf.getvalue(); self.buf.seek(0); self.buf.truncate()
        return type("R", (), {"out": out, "err": ""})()
class MonkeyPatch:
    def chdir(self, path): os.chdir(path)
made = {"capsys": CapSys, "tmp_path": tempfile.mkdtemp, "monkeypatch": MonkeyPatch}
warnings.simplefilter("ignore")
try:
    fn(**{p: made[p]() for p in inspect.signature(fn).parameters})
    sys.__stdout__.write("PASS\\n")
except Exception as e:
    sys.__stdout__.write("FAIL " + "".join(traceback.format_exception(e)[-3:]))
'''


def to_mxnet(src: str) -> str:
    """The module's source with mxnp's imports turned into MXNet's."""
    src = src.replace("import mxnp as mx", "import mxnet as mx")
    src = src.replace("from mxnp import numpy as np", "from mxnet import np")
    src = re.sub(r"\bfrom mxnp\b", "from mxnet", src)
    src = src.replace("from .d2l_scenario_support import", "from d2l_scenario_support import")
    return src.replace("from __future__ import annotations\n",
                       "from __future__ import annotations\nfrom mxnet import npx as _npx\n"
                       "_npx.set_np()\n", 1)


def main(paths) -> int:
    python = os.path.join(os.environ.get("MXREF_VENV", os.path.expanduser("~/.cache/mxref-venv")),
                          "bin", "python")
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "pytest.py"), "w") as f:
        f.write(PYTEST_STANDIN)
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ["d2l_scenario_support.py"] + [os.path.basename(p) for p in paths]:
        with open(os.path.join(here, name)) as src, open(os.path.join(work, name), "w") as dst:
            dst.write(to_mxnet(src.read()))
    failed = 0
    for path in paths:
        module = os.path.basename(path)[:-3]
        with open(os.path.join(work, module + ".py")) as f:
            tests = re.findall(r"^def (test_\w+)\(", f.read(), flags=re.MULTILINE)
        for test in tests:
            run = subprocess.run([python, "-W", "ignore", "-c", RUN_ONE, work, module, test],
                                 check=False, capture_output=True, text=True)
            result = run.stdout.strip() or run.stderr.strip()[-700:]
            failed += not result.startswith("PASS")
            print(f"{module}::{test} {result}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
