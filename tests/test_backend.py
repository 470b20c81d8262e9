"""The backend's process-level settings."""
from __future__ import annotations

import subprocess
import sys


def _tuned(env_value):
    code = "import mxnp._backend as b; print(b.tune_host_allocator())"
    env = {"PATH": "/usr/bin:/bin"} if env_value is None else {"PATH": "/usr/bin:/bin",
                                                              "MXNP_MALLOC_TUNING": env_value}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return out.stdout.strip()


def test_allocator_tuning_can_be_turned_off():
    assert _tuned("0") == "False"


def test_allocator_tuning_applies_on_glibc_and_is_harmless_elsewhere():
    assert _tuned(None) in {"True", "False"}  # False only where libc is not glibc
    if sys.platform.startswith("linux"):
        import platform

        if platform.libc_ver()[0] == "glibc":
            assert _tuned(None) == "True"
