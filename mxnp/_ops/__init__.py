"""Op definitions by family: each op's forward and its VJP side by side.

An op goes in the module of its family (the section of NumPy's reference that lists it, or for
an npx-only op the subpackage of its kind: nn/, image/); docs/architecture.md has the map.

This package is the seam between the ``ndarray`` type and the ops, and the only tie between
them. Op modules import ``ndarray`` (they make arrays), so ``_ndarray.py`` imports no op module.
Importing any op module runs this file first: it imports ``_ndarray``, then the op modules that
ndarray's operators and methods call, and hands those modules over (``bind_ops``) before any op
can run.
"""
from .. import _ndarray, _ndarray_methods
from . import (
    creation,
    elementwise,
    gather,
    indexing,
    interop,
    legacy,
    manipulation,
    math,
    matrices,
    padding,
    reduction,
    shape,
    sorting,
    statistics,
)
from .linalg import norm as linalg_norm
from .linalg import products as linalg
from .nn import basic as nn

_ndarray.bind_ops(creation, elementwise, indexing, interop, linalg, reduction, shape)
_ndarray_methods.bind_ops(creation, elementwise, gather, indexing, legacy, linalg_norm,
                          manipulation, math, matrices, nn, padding, reduction, sorting,
                          statistics)
