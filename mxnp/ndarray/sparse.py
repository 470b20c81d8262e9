"""``mx.nd.sparse``: sparse storage (CSR, row-sparse) is not implemented in mxnp.

The sparse constructors and classes raise ``NotImplementedError`` saying so; dense ``NDArray``
is the only storage. The operators MXNet also lists here (``elemwise_mul``, ``dot``,
``sqrt`` ...) take default-storage arrays in MXNet as anywhere else; they are ``mx.nd``'s.
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


# the operators of MXNet's mx.nd.sparse, which compute on dense arrays too (its mx.nd ones)
_DENSE_OPS = frozenset("""
    ElementWiseSum Embedding FullyConnected LinearRegressionOutput LogisticRegressionOutput
    MAERegressionOutput abs adam_update add add_n arccos arccosh arcsin arcsinh
    arctan arctanh broadcast_add broadcast_div broadcast_minus broadcast_mul broadcast_plus
    broadcast_sub cast_storage cbrt ceil clip concat cos cosh degrees divide dot elemwise_add
    elemwise_div elemwise_mul elemwise_sub exp expm1 fix floor ftrl_update gamma gammaln log
    log10 log1p log2 make_loss mean multiply negative norm radians relu rint round rsqrt
    sgd_mom_update sgd_update sigmoid sign sin sinh slice sqrt square stop_gradient subtract sum
    tan tanh trunc where zeros_like
""".split())


def __getattr__(name: str):
    """``mx.nd.sparse.<op>``: the ``mx.nd`` operator of that name, for the operators above."""
    if name in _DENSE_OPS:
        from .. import ndarray  # here: mxnp.ndarray imports this module

        return getattr(ndarray, name)
    raise AttributeError(f"module 'mxnp.ndarray.sparse' has no attribute {name!r}")


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
