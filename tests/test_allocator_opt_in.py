"""Importing mxnp leaves the C allocator alone; tuning it is opt-in (function or env var)."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from mxnp import _backend

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
# allocate and free 8 x 8 MiB of plain NumPy arrays; print how much of it the process still holds
KEPT = """
import os, numpy
{setup}
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before = rss()
arrays = [numpy.ones(1 << 20) for _ in range(8)]
del arrays
print((rss() - before) >> 20)
"""


def _kept_mib(setup: str, env_value: str | None = None) -> int:
    env = {"PATH": "/usr/bin:/bin"}
    if env_value is not None:
        env["MXNP_MALLOC_TUNING"] = env_value
    out = subprocess.run([sys.executable, "-c", KEPT.format(setup=setup)], capture_output=True,
                         text=True, env=env, check=True, timeout=120)
    return int(out.stdout)


@pytest.mark.skipif(not GLIBC, reason="the tuning applies to glibc only")
def test_import_keeps_no_freed_memory_unless_asked():
    assert _kept_mib("import mxnp") < 32  # freed memory goes back to the OS, as without mxnp
    assert _kept_mib("import mxnp; mxnp.tune_host_allocator()") >= 48
    assert _kept_mib("import mxnp", env_value="yes") >= 48


@pytest.mark.parametrize("value,want", [("1", True), ("true", True), ("Yes", True), (" ON ", True),
                                        ("0", False), ("false", False), ("No", False),
                                        ("off", False), ("", False)])
def test_env_var_takes_the_usual_spellings(monkeypatch, value, want):
    monkeypatch.setenv("MXNP_MALLOC_TUNING", value)
    assert _backend.malloc_tuning_requested() is want


def test_env_var_unset_or_unclear(monkeypatch):
    monkeypatch.delenv("MXNP_MALLOC_TUNING", raising=False)
    assert _backend.malloc_tuning_requested() is None
    monkeypatch.setenv("MXNP_MALLOC_TUNING", "maybe")
    with pytest.warns(RuntimeWarning, match="MXNP_MALLOC_TUNING='maybe'"):
        assert _backend.malloc_tuning_requested() is False
    with pytest.warns(RuntimeWarning):
        assert _backend.tune_host_allocator() is False  # what the variable refuses, the call too
