"""``mx.nd.sparse``: sparse storage (CSR, row-sparse) is not implemented in mxnp.

Every name raises ``NotImplementedError`` saying so; dense ``NDArray`` is the only storage.
"""
from __future__ import annotations

__all__ = [
    "CSRNDArray",
    "RowSparseNDArray",
    "array",
    "csr_matrix",
    "empty",
    "row_sparse_array",
    "zeros",
]

_MESSAGE = ("mx.nd.sparse.{name}: sparse storage (csr, row_sparse) is not implemented in mxnp; "
            "use dense NDArrays (mx.nd.array, mx.nd.zeros)")


def _refuse(name):
    raise NotImplementedError(_MESSAGE.format(name=name))


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """Not implemented: sparse storage does not exist in mxnp."""
    _refuse("csr_matrix")


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """Not implemented: sparse storage does not exist in mxnp."""
    _refuse("row_sparse_array")


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """Not implemented: sparse storage does not exist in mxnp."""
    _refuse("zeros")


def array(source_array, ctx=None, dtype=None):
    """Not implemented: sparse storage does not exist in mxnp."""
    _refuse("array")


def empty(stype, shape, ctx=None, dtype=None):
    """Not implemented: sparse storage does not exist in mxnp."""
    _refuse("empty")


class CSRNDArray:
    """Not implemented: sparse storage does not exist in mxnp."""

    def __init__(self, *args, **kwargs):
        _refuse("CSRNDArray")


class RowSparseNDArray:
    """Not implemented: sparse storage does not exist in mxnp."""

    def __init__(self, *args, **kwargs):
        _refuse("RowSparseNDArray")
