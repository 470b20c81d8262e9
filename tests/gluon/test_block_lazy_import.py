"""``import mxnp`` leaves gluon and its companions unloaded until first use; the mxnet alias
reaches them (each check runs in a fresh interpreter: imports are process-wide state)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("gluon", "initializer", "optimizer", "lr_scheduler", "metric")


def _run(code: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stdout + proc.stderr


def test_import_mxnp_does_not_load_gluon():
    _run(f"""
        import sys
        import mxnp
        loaded = [m for m in sys.modules if m.split('.')[1:2] and m.split('.')[1] in {LAZY!r}]
        assert loaded == [], loaded
        print("ok")
    """)


def test_lazy_names_resolve_once_and_are_listed():
    _run(f"""
        import importlib, sys
        import mxnp
        for name in {LAZY!r}:
            assert name in dir(mxnp) and name in mxnp.__all__, name
            assert getattr(mxnp, name) is importlib.import_module("mxnp." + name)
        assert mxnp.init is mxnp.initializer and "init" in dir(mxnp)
        assert mxnp.gluon.Block is mxnp.gluon.block.Block
        try:
            mxnp.no_such_name
        except AttributeError as e:
            assert "no_such_name" in str(e)
        else:
            raise AssertionError("no AttributeError")
        print("ok")
    """)


def test_alias_reaches_gluon_and_init():
    _run("""
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet as mx
        assert mx.gluon.nn.Dense is mxnp.gluon.nn.Dense
        from mxnet import gluon, init
        assert gluon is mxnp.gluon and init is mxnp.initializer
        import mxnet.gluon.nn
        assert mxnet.gluon.nn is mxnp.gluon.nn
        from mxnet.gluon import nn, Block, Parameter
        assert Block is mxnp.gluon.Block and nn.Block is Block
        print("ok")
    """)
