"""Every public name of MXNet 1.9.1's np, np.random, np.linalg and ndarray exists in mxnp.

The name lists in tests/data/api were read off MXNet 1.9.1 with dir(). MXNet's internals
(submodules, ctypes handles, import leftovers) are not API and are listed as such. Names not
yet written are listed in NOT_YET: the test fails when one of them appears (so the list stays
true) and when any other name is missing.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import mxnp
from mxnp import autograd, np, npx

DATA = Path(__file__).parent / "data" / "api"

INTERNAL = {
    "np": {"arrayprint", "fallback", "fallback_linalg", "function_base", "io", "multiarray",
           "stride_tricks", "utils"},
    "np.random": set(),
    "np.linalg": {"fallback_linalg"},
    "np.ndarray": {"handle"},
    "npx": {"check_call", "classproperty", "ctypes", "threading", "utils", "warnings",
            "with_metaclass"},
    # import leftovers of MXNet's autograd module (catalogue section 7)
    "autograd": {"CFUNCTYPE", "Lock", "MXCallbackList", "NDArray", "NDArrayHandle", "POINTER",
                 "Symbol", "SymbolHandle", "array", "c_array", "c_array_buf", "c_handle_array",
                 "c_int", "c_void_p", "cast", "check_call", "ctypes", "mx_uint", "string_types",
                 "traceback"},
}
NOT_YET: dict = {"np": set(), "np.random": set(), "np.linalg": set(), "np.ndarray": set(),
                 "autograd": set(), "npx": set()}
OWNER = {"np": lambda: np, "np.random": lambda: np.random, "np.linalg": lambda: np.linalg,
         "np.ndarray": lambda: np.ndarray, "autograd": lambda: autograd, "npx": lambda: npx}


def names(kind: str) -> list:
    listed = (DATA / f"{kind}.txt").read_text().split()
    return sorted(set(listed) - INTERNAL[kind])


@pytest.mark.parametrize("kind", sorted(OWNER))
def test_every_listed_name_exists(kind):
    owner = OWNER[kind]()
    missing = {n for n in names(kind) if not hasattr(owner, n)}
    assert missing == NOT_YET[kind], (
        f"{kind}: missing {sorted(missing - NOT_YET[kind])}; "
        f"now present, remove from NOT_YET: {sorted(NOT_YET[kind] - missing)}")


def test_the_alias_modules_exist():
    assert mxnp.np is np and mxnp.npx is npx and mxnp.autograd is autograd
