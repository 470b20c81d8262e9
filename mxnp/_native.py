"""The compiled core: the hot-path modules, compiled by Cython from their own source.

``setup.py`` compiles the modules in ``COMPILED`` (the same ``.py`` files, no other source;
besides them ``_libm.pyx``, see ``libm``) where Cython and a C compiler are there, and records
a checksum of each source it compiled in ``_native_hashes.py``. Python then loads a compiled
module in place of its ``.py``. Without a build, the ``.py`` files are all there is, and
everything runs the same, slower.

``guard()``, run first by the package, keeps a stale build from shadowing newer source: when a
source no longer matches the hash it was compiled from (an edit, a checkout) or when
``MXNP_PURE_PYTHON=1`` asks for it, the compiled modules are passed over and their sources
load instead. The tests run the suite both ways (``.ci/run``).
"""
from __future__ import annotations

import binascii
import importlib.machinery
import importlib.util
import os
import sys

COMPILED = ("mxnp._tape", "mxnp._ops.primitive", "mxnp._ops.elementwise", "mxnp._ndarray",
            "mxnp.autograd")
_ROOT = os.path.dirname(os.path.abspath(__file__))


def source(name: str) -> str:
    """The ``.py`` file of a module in ``COMPILED``."""
    return os.path.join(_ROOT, *name.split(".")[1:]) + ".py"


def source_hash(name: str) -> str:
    """A checksum of the source (CRC-32: it tells an edited file, and costs no import)."""
    with open(source(name), "rb") as f:
        return format(binascii.crc32(f.read()), "08x")


class _Sources:
    """A finder that loads the listed modules from their ``.py`` files."""

    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        loader = importlib.machinery.SourceFileLoader(name, source(name))
        return importlib.util.spec_from_file_location(name, source(name), loader=loader)


def _built() -> dict:
    """``{module: source hash}`` of the last build; empty where there was none."""
    try:
        from ._native_hashes import HASHES  # written by setup.py's build, never committed
    except ImportError:
        return {}
    return HASHES


def guard() -> None:
    """Load the sources of compiled modules that are stale, or of all with MXNP_PURE_PYTHON."""
    built = _built()
    if not built:
        return
    if os.environ.get("MXNP_PURE_PYTHON", "0") not in ("", "0"):
        stale = set(built)
    else:
        stale = {name for name, h in built.items() if source_hash(name) != h}
        if stale:
            import warnings

            warnings.warn(f"mxnp: the compiled {', '.join(sorted(stale))} predate their source; "
                          "running the source (rebuild: python setup.py build_ext --inplace)",
                          RuntimeWarning, stacklevel=3)
    if stale and not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources(stale))


def libm():
    """``mxnp._libm`` (the C library's float functions over arrays, ``mxnp/_libm.pyx``) where it
    was built, else None; None under MXNP_PURE_PYTHON too, which runs everything as Python."""
    if os.environ.get("MXNP_PURE_PYTHON", "0") not in ("", "0"):
        return None
    try:
        from . import _libm
    except ImportError:
        return None
    return _libm


def compiled() -> list:
    """The modules of ``COMPILED`` that run compiled in this process (imported or not yet)."""
    out = []
    for name in COMPILED:
        module = sys.modules.get(name)
        spec = module.__spec__ if module is not None else importlib.util.find_spec(name)
        if isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            out.append(name)
    return out


guard()  # on import: the package imports this module before any module of COMPILED
