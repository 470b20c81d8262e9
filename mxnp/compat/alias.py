"""``import mxnet`` resolving to mxnp, through a finder on ``sys.meta_path``.

Nothing named ``mxnet`` is ever written to disk: while the alias is on, ``mxnet`` *is* the
``mxnp`` package and ``mxnet.X.Y`` *is* ``mxnp.X.Y`` (the same module objects, also entered in
``sys.modules`` under their ``mxnet`` names), so ``mxnet.numpy is mxnp.numpy``.
"""
from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types

import numpy

ALIAS = "mxnet"
TARGET = "mxnp"


def _target_name(alias_name: str) -> str:
    return TARGET + alias_name[len(ALIAS):]


def _is_alias_name(name: str) -> bool:
    return name == ALIAS or name.startswith(ALIAS + ".")


class _AliasLoader:  # the loader protocol; importlib.abc would cost ~10 ms of import time
    """Hands the import system an mxnp module that is already loaded, and runs nothing."""

    def __init__(self, module: types.ModuleType):
        self._module = module
        self._spec = module.__spec__

    def create_module(self, spec):
        return self._module

    def exec_module(self, module):
        # The import system stamped our alias spec on the module; give back its own, so that
        # mxnp.X keeps its real name for reload(), pickle and ``python -m``.
        module.__spec__ = self._spec


class _AliasFinder:  # the meta path finder protocol (find_spec), as for the loader
    """Answers for ``mxnet`` and ``mxnet.*`` only; every other name goes on to the next finder."""

    def find_spec(self, fullname, path=None, target=None):
        if not _is_alias_name(fullname):
            return None
        name = _target_name(fullname)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            # Only our own module being absent is reported as such; a missing dependency deeper
            # down keeps its own error.
            if err.name is not None and name != err.name and not name.startswith(err.name + "."):
                raise
            module = _module_attribute(name)
            if module is None:
                raise ModuleNotFoundError(
                    f"No module named {fullname!r}: mxnet is an alias for mxnp, and mxnp has no "
                    f"module {name!r}", name=fullname) from None
        _show_classes()  # of the modules this import loaded
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__"))


def _module_attribute(name: str):
    """The mxnp module that ``name``'s parent holds under its last part, where MXNet has a
    module file and mxnp keeps the module elsewhere (``mxnet.contrib.ndarray`` is
    ``mxnp.ndarray.contrib``); else None."""
    parent, _, attr = name.rpartition(".")
    try:
        value = getattr(importlib.import_module(parent), attr, None)
    except ImportError:
        return None
    return value if isinstance(value, types.ModuleType) and _is_ours(name, value) else None


_FINDER = _AliasFinder()
# Modules that were under mxnet* names before the alias took them over (a real MXNet, say).
_displaced: dict[str, types.ModuleType] = {}


def _is_ours(name: str, module: object) -> bool:
    """Whether ``module`` (entered under ``name``) is one of mxnp's, not a real MXNet's: the
    module of that name, or the one it stands for (``_module_attribute``)."""
    own = getattr(module, "__name__", None)
    return isinstance(own, str) and (own == TARGET or own.startswith(TARGET + "."))


def enable_mxnet_alias() -> None:
    """Make ``import mxnet`` (and ``mxnet.*``) give mxnp's modules. Idempotent.

    If a real ``mxnet`` is already imported, its ``sys.modules`` entries (``mxnet`` and
    ``mxnet.*``) are taken out so that later imports resolve to mxnp; objects that already hold
    the real modules keep them. ``disable_mxnet_alias()`` puts those entries back.
    """
    # Insert first: PathFinder would otherwise load mxnp/numpy/linalg.py a second time as a new
    # module named mxnet.numpy.linalg, found through mxnet.numpy.__path__.
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name, module in list(sys.modules.items()):
        if _is_alias_name(name) and not _is_ours(name, module):
            _displaced[name] = sys.modules.pop(name)
    _show_classes()


def mxnet_environment() -> None:
    """What ``mxnp run`` sets up around a program written for MXNet: the alias, and NumPy's
    printing as NumPy 1.x (which MXNet 1.9.1 needs) shows it, so that NumPy scalars a program
    displays read ``0.5``, not NumPy 2's ``np.float64(0.5)``. Process-wide, so only the runner
    calls it; a plain ``import mxnp`` or the alias alone leaves NumPy's options alone."""
    enable_mxnet_alias()
    if int(numpy.__version__.split(".")[0]) >= 2:
        numpy.set_printoptions(legacy="1.25")


def disable_mxnet_alias() -> None:
    """Undo ``enable_mxnet_alias()``: remove the finder and the ``mxnet*`` entries it made."""
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name, module in list(sys.modules.items()):
        if _is_alias_name(name) and _is_ours(name, module):
            del sys.modules[name]
    sys.modules.update(_displaced)
    _displaced.clear()
    _own_names()


# Under the alias, classes show the names an MXNet user reads: type(x) is <class
# 'mxnet.numpy.ndarray'> as tutorials print it, type(net.weight) <class
# 'mxnet.gluon.parameter.Parameter'> as the D2L book does. A class defined in an mxnp.X module
# names mxnet.X while the alias is on (the same module under that name, so pickle finds it),
# or MXNet's own module where mxnp keeps its classes elsewhere and that module gives them too.
_HOMES = {"_ndarray": "numpy", "_backend": "context", "gluon._parameter_dict": "gluon.parameter",
          "gluon.nn._pooling": "gluon.nn.conv_layers", "gluon.nn._norm_layers":
          "gluon.nn.basic_layers", "gluon.rnn._modifier_cells": "gluon.rnn.rnn_cell",
          "gluon._naming": "gluon.utils", "image._det_augmenters": "image.detection",
          "_initializer_base": "initializer", "_initializer_composite": "initializer",
          "_profiler_objects": "profiler", "module.feedforward": "model", "_mode": "util",
          "io.ndarray_iter": "io.io", "io.file_iters": "io.io", "io.image_record_iter": "io.io",
          "kvstore.local": "kvstore.kvstore",
          "image.augmenters": "image.image", "image.iterator": "image.image",
          "symbol.executor": "executor",
          **{f"optimizer.{m}": "optimizer.optimizer"
             for m in ("_base", "sgd", "adam", "adaptive", "lars", "updater")}}
_NAMES = {("mxnp._backend", "Device"): "Context"}  # mxnet.context.Context: the same class
_RENAMED: dict = {}  # class -> (module, qualname) of its own, while it shows MXNet's
_IMMUTABLE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: a compiled class (mxnp/_libm's Bank)
_SCANNED: set = set()  # mxnp modules whose classes were looked at


def _show_classes() -> None:
    """Give the classes of the mxnp modules loaded since the last call their MXNet names
    (called when the alias comes on, and after imports while it is on)."""
    if _FINDER not in sys.meta_path:
        return
    for name, module in list(sys.modules.items()):
        if name in _SCANNED or not (name == TARGET or name.startswith(TARGET + ".")) or \
                module is None or getattr(module.__spec__, "_initializing", False):
            continue  # (a module still running its body: looked at on a later call)
        _SCANNED.add(name)
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == name and value not in _RENAMED \
                    and "." not in value.__qualname__ and \
                    not value.__flags__ & _IMMUTABLE:  # nested and compiled classes keep theirs
                _RENAMED[value] = (name, value.__qualname__)
                value.__module__, value.__qualname__ = _mxnet_names(name, value)
                value.__name__ = value.__qualname__


def _mxnet_names(name: str, cls) -> tuple:
    """(module, qualname) under which MXNet shows ``cls`` of mxnp module ``name``, by which
    the alias also finds it."""
    qualname = _NAMES.get((name, cls.__qualname__), cls.__qualname__)
    home = _HOMES.get(name[len(TARGET) + 1:])
    if home is not None:
        try:
            module = importlib.import_module(f"{TARGET}.{home}")
        except ImportError:  # (mxnp.executor: the module mxnp keeps as symbol.executor)
            module = _module_attribute(f"{TARGET}.{home}")
        if getattr(module, qualname, None) is cls:
            return f"{ALIAS}.{home}", qualname
    return ALIAS + name[len(TARGET):], cls.__qualname__


def _own_names() -> None:
    """Undo ``_show_classes``: every class shows its own module and name again."""
    for cls, (module, qualname) in _RENAMED.items():
        cls.__module__, cls.__qualname__, cls.__name__ = module, qualname, qualname
    _RENAMED.clear()
    _SCANNED.clear()


def own_names(cls) -> tuple:
    """``(module, qualname)`` of a class as defined, whatever names the alias shows for it."""
    return _RENAMED.get(cls) or (cls.__module__, cls.__qualname__)
