"""``mx.nd.sparse``: MXNet 1.x's sparse storage, ``CSRNDArray`` and ``RowSparseNDArray``.

A sparse array is an ``NDArray`` whose value (what ``asnumpy`` and every dense operator see) is
its dense array, plus the stored components MXNet exposes: ``data`` and ``indices`` (and for
csr ``indptr``). Components given at construction are kept exactly (a row_sparse array keeps
explicitly stored zero rows, as MXNet does) for as long as the value is unchanged; after any
write, and for arrays converted from dense, they are derived from the non-zeros. Operators
compute on the dense values (MXNet's storage fallback), and ``storage_type`` gives the storage
MXNet's inference gives their result.
"""
from __future__ import annotations

import numpy as onp

from .. import _backend
from .. import numpy as _np
from .._ndarray import ndarray
from ..base import MXNetError
from .ndarray import NDArray, _STORAGE_TYPE_STR_TO_ID, to_nd

__all__ = [
    "BaseSparseNDArray",
    "CSRNDArray",
    "RowSparseNDArray",
    "array",
    "csr_matrix",
    "empty",
    "retain",
    "row_sparse_array",
    "storage_type",
    "zeros",
]

_IDX = onp.int64


# the operators of MXNet's mx.nd.sparse that are its mx.nd ones here (dense compute, the
# storage of the result from storage_type)
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
    from .. import ndarray  # here: mxnp.ndarray imports this module

    if name in _DENSE_OPS:
        return getattr(ndarray, name)
    if name == "adagrad_update":  # sparse-only: mx.nd has it as _sparse_adagrad_update
        return ndarray._update.adagrad_update
    raise AttributeError(f"module 'mxnp.ndarray.sparse' has no attribute {name!r}")


# ---- the components <-> the dense value ------------------------------------------------------
def _csr_parts(dense):
    """(data, indices, indptr) of a 2-D host array's non-zeros, row by row."""
    nz = dense != 0
    indptr = onp.concatenate([[0], onp.cumsum(nz.sum(axis=1))]).astype(_IDX)
    return dense[nz], onp.nonzero(nz)[1].astype(_IDX), indptr


def _rsp_parts(dense):
    """(data, indices) of a host array's rows that hold a non-zero."""
    rows = onp.nonzero((dense.reshape(dense.shape[0], -1) != 0).any(axis=1))[0] \
        if dense.ndim and dense.shape[0] else onp.zeros(0, _IDX)
    return dense[rows], rows.astype(_IDX)


def _csr_dense(parts, shape, dtype):
    data, indices, indptr = parts
    out = onp.zeros(shape, dtype)
    if _csr_problem(parts, shape) is None:
        out[onp.repeat(onp.arange(shape[0]), onp.diff(indptr)), indices] = data
    return out  # an invalid layout reads as zeros; check_format says what is wrong


def _rsp_dense(parts, shape, dtype):
    data, indices = parts
    out = onp.zeros(shape, dtype)
    if _rsp_problem(parts, shape) is None:
        out[indices] = data
    return out


def _csr_problem(parts, shape):
    """What makes (data, indices, indptr) an invalid csr layout of ``shape``, or None."""
    data, indices, indptr = parts
    if len(indptr) != shape[0] + 1 or (len(indptr) and indptr[0] != 0):
        return "indptr must have one more entry than rows and start at 0"
    if onp.any(onp.diff(indptr) < 0) or onp.any(indptr > len(indices)):
        return "indptr must be non-decreasing and at most the number of indices"
    if len(indptr) and indptr[-1] != len(indices):
        return "indptr must end with the number of indices"
    if len(data) != len(indices):
        return "data and indices must have the same length"
    if onp.any(indices < 0) or onp.any(indices >= shape[1]):
        return "indices must lie in [0, number of columns)"
    for r in range(shape[0]):
        if onp.any(onp.diff(indices[indptr[r]:indptr[r + 1]]) <= 0):
            return "indices must be ascending within each row"
    return None


def _rsp_problem(parts, shape):
    """What makes (data, indices) an invalid row_sparse layout of ``shape``, or None."""
    data, indices = parts
    if len(data) != len(indices) or tuple(data.shape[1:]) != tuple(shape[1:]):
        return "data must have one row per index and the array's other dimensions"
    if onp.any(indices < 0) or onp.any(indices >= shape[0]):
        return "indices must lie in [0, number of rows)"
    if onp.any(onp.diff(indices) <= 0):
        return "indices must be ascending"
    return None


# ---- the classes --------------------------------------------------------------------------
class BaseSparseNDArray(NDArray):
    """The base of MXNet's sparse arrays: a dense value plus its stored components."""

    __slots__ = ("_sp",)
    __hash__ = NDArray.__hash__
    _names = ()  # the components' names, data first

    # ---- components ------------------------------------------------------------------------
    def _parts(self) -> tuple:
        """The components as host arrays: those stored while the value is what they give,
        otherwise derived from the non-zeros."""
        host = _backend.to_numpy(self._data)
        sp = getattr(self, "_sp", None)
        if sp is not None and sp[0].shape == host.shape and onp.array_equal(sp[0], host):
            return tuple(p.astype(host.dtype) if i == 0 else p for i, p in enumerate(sp[1]))
        return self._derive(host)

    def _component(self, i) -> NDArray:
        return to_nd(_np.array(self._parts()[i], ctx=self._device))

    @property
    def data(self) -> NDArray:
        """The stored values."""
        return self._component(0)

    @property
    def indices(self) -> NDArray:
        """The column indices (csr) or row indices (row_sparse) of the stored values, int64."""
        return self._component(1)

    @property
    def _num_aux(self) -> int:
        return len(self._names) - 1

    @property
    def _aux_types(self) -> list:
        return [onp.int64] * self._num_aux

    def check_format(self, full_check=True) -> None:
        """Raise MXNetError when the stored components are not a valid layout."""
        problem = self._problem(self._parts(), self.shape)
        if problem is not None:
            raise MXNetError(f"check_format: invalid {self.stype} array: {problem}")

    # ---- printing, conversion --------------------------------------------------------------
    def __repr__(self) -> str:
        """MXNet's layout: no values, ``<CSRNDArray 2x3 @cpu(0)>``."""
        shape = "x".join(str(d) for d in self.shape)
        return f"\n<{type(self).__name__} {shape} @{self.context}>"

    __str__ = __repr__

    def __reduce__(self):
        """Pickled as its components, the same class again."""
        return _rebuild, (self.stype, self._parts(), self.shape, onp.dtype(self.dtype).str)

    def tostype(self, stype):
        """The same values in ``stype`` storage (a new array); not the other sparse one."""
        if stype in _CLASSES and stype != self.stype:
            raise ValueError(f"cast_storage from {self.stype} to {stype} is not supported")
        return cast_storage(self, stype)

    def astype(self, dtype, copy=True):
        """The same storage in ``dtype``; ``copy=False`` gives this array when it has it."""
        if not copy and onp.dtype(dtype) == self.dtype:
            return self
        parts = self._parts()
        return _new(type(self), (parts[0].astype(dtype),) + parts[1:], self.shape, dtype,
                    self._device)

    def copy(self):
        """A copy of the same storage type."""
        return _new(type(self), self._parts(), self.shape, self.dtype, self._device)

    def copyto(self, other):
        """Copy into ``other`` (a dense array or one of this storage, returned) or onto a
        context."""
        if isinstance(other, ndarray):
            if other.stype not in ("default", self.stype):
                raise TypeError(f"copyto does not support destination NDArray stype "
                                f"{other.stype}")
            return NDArray.copyto(self, other)
        return _new(type(self), self._parts(), self.shape, self.dtype,
                    _backend.as_device(other))

    def as_in_context(self, context):
        """This array on ``context``: itself when it is already there."""
        return self if _backend.as_device(context) == self._device else self.copyto(context)

    as_in_ctx = as_in_context

    def __setitem__(self, key, value) -> None:
        """Only ``x[:] = value`` (an array of any storage, a NumPy array or a number)."""
        if not (key is Ellipsis or isinstance(key, slice) and key == slice(None)):
            raise MXNetError(f"{type(self).__name__}.__setitem__: only [:] assignment is "
                             f"supported, got {key!r}")
        if isinstance(value, BaseSparseNDArray):
            NDArray.__setitem__(self, key, value.tostype("default"))
            self._sp = value._sp
            return
        NDArray.__setitem__(self, key, value)

    def detach(self):
        """The same data and storage, outside the graph."""
        out = _wrap_sparse(ndarray.detach(self), self.stype)
        out._sp = getattr(self, "_sp", None)
        return out

    def reshape(self, *args, **kwargs):
        """Not supported for sparse storage, as MXNet."""
        raise MXNetError(f"reshape is not supported for {self.stype} arrays")

    def wait_to_read(self) -> None:
        """A no-op: mxnp computes eagerly."""


class CSRNDArray(BaseSparseNDArray):
    """MXNet's compressed-sparse-row matrix: ``data``, ``indices`` (columns), ``indptr``."""

    __slots__ = ()
    __hash__ = NDArray.__hash__
    stype = "csr"
    _names = ("data", "indices", "indptr")
    _derive = staticmethod(_csr_parts)
    _problem = staticmethod(_csr_problem)

    @property
    def indptr(self) -> NDArray:
        """Row i's values are ``data[indptr[i]:indptr[i+1]]``, int64."""
        return self._component(2)

    def __getitem__(self, key):
        """Rows by an integer (kept 2-D) or a step-1 slice, as a CSRNDArray."""
        if isinstance(key, (int, onp.integer)):
            n = self.shape[0]
            if not -n <= key < n:
                raise IndexError(f"index {key} is out of bounds for axis 0 with size {n}")
            key = slice(key % n, key % n + 1)
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise ValueError(f"CSRNDArray only supports [] with an integer or a step-1 slice "
                             f"of rows, got {key!r}")
        return cast_storage(NDArray.__getitem__(self, key), "csr")

    def asscipy(self):
        """The matrix as a ``scipy.sparse.csr_matrix`` of the same components."""
        try:
            import scipy.sparse as spsp
        except ImportError as e:
            raise ImportError("CSRNDArray.asscipy needs scipy (pip install scipy)") from e
        data, indices, indptr = self._parts()
        return spsp.csr_matrix((data, indices, indptr), shape=self.shape, dtype=self.dtype)


class RowSparseNDArray(BaseSparseNDArray):
    """MXNet's row-sparse array: the stored rows ``data`` at row ``indices``."""

    __slots__ = ()
    __hash__ = NDArray.__hash__
    stype = "row_sparse"
    _names = ("data", "indices")
    _derive = staticmethod(_rsp_parts)
    _problem = staticmethod(_rsp_problem)

    def __getitem__(self, key):
        """Only ``x[:]`` (the array itself), as MXNet."""
        if isinstance(key, slice) and key == slice(None):
            return self
        raise MXNetError(f"RowSparseNDArray only supports [:] indexing, got {key!r}")

    def retain(self, indices):
        """The rows at ``indices`` (those stored), as a new RowSparseNDArray."""
        return retain(self, indices)


_CLASSES = {"csr": CSRNDArray, "row_sparse": RowSparseNDArray}
_DENSIFY = {CSRNDArray: _csr_dense, RowSparseNDArray: _rsp_dense}


def _new(cls, parts, shape, dtype, device, dense=None):
    """A ``cls`` array of ``shape`` from its host components, kept as given; or, given its
    ``dense`` host value, one whose components are derived from it."""
    dtype = onp.dtype(dtype)
    out = object.__new__(cls)
    out._sp = None
    if dense is None:
        parts = (onp.asarray(parts[0], dtype),) + tuple(onp.asarray(p, _IDX) for p in parts[1:])
        dense = _DENSIFY[cls](parts, tuple(int(d) for d in shape), dtype)
        out._sp = (dense.copy(), parts)
    out._data = _np.array(dense, dtype=dtype, ctx=device)._data
    out._device, out._node = device, None
    return out


def _wrap_sparse(x, stype):
    """``x`` (an mxnp array) as a ``stype`` array (a dense NDArray for 'default') over the
    same data and tape node."""
    out = object.__new__(_CLASSES.get(stype, NDArray))
    out._data, out._device, out._node = x._data, x._device, x._node
    if stype in _CLASSES:
        out._sp = None
    return out


def _rebuild(stype, parts, shape, dtype):
    return _new(_CLASSES[stype], parts, shape, dtype, _backend.current_device())


def cast_storage(data, stype="default"):
    """``data``'s values in ``stype`` storage ('default', 'csr' or 'row_sparse'); a new array,
    on the same tape, whose components are derived from the non-zeros."""
    if stype not in _STORAGE_TYPE_STR_TO_ID or stype == "undefined":
        raise MXNetError(f"cast_storage: unknown storage type {stype!r}")
    if stype == "csr" and data.ndim != 2:
        raise MXNetError(f"cast_storage: csr storage needs a 2-D array, got shape {data.shape}")
    if "default" != getattr(data, "stype", "default") != stype != "default":
        raise MXNetError(f"cast_storage: from {data.stype} to {stype} is not supported")
    out = _np.copy(data)
    if stype == "default":
        return to_nd(out)
    out = _wrap_sparse(out, stype)
    if getattr(data, "stype", None) == stype:  # the same storage: the stored components too
        out._sp = data._sp
    return out


def storage_type(op_name, inputs, attrs, result) -> str:
    """The storage MXNet 1.9.1's inference gives ``op_name``'s result for ``inputs``.

    A rule per kind of operator, checked against MXNet: zero-preserving unary operators keep
    their input's storage (clip only when its range holds 0, else MXNet has no kernel); an
    operator with a scalar keeps it when ``op(0, scalar)`` is 0; the same-shape element-wise
    sum and difference keep a storage both inputs share, the product also a sparse storage
    times a dense array; of the broadcasting operators only a csr matrix times (or over) a
    dense array stays csr; dot, slicing and the sparse-only operators have their own;
    everything else (the storage fallback) is dense.
    """
    stypes = [getattr(a, "stype", "default") for a in inputs if isinstance(a, ndarray)]
    first = stypes[0] if stypes else "default"
    same_shape = len({a.shape for a in inputs if isinstance(a, ndarray)}) == 1
    bounds = (*inputs[1:3], None, None)  # clip's a_min and a_max, given by position or name
    if op_name == "clip" and first != "default" and \
            not attrs.get("a_min", bounds[0]) <= 0 <= attrs.get("a_max", bounds[1]):
        raise MXNetError(f"clip: a {first} array can only be clipped to a range that holds 0")
    if op_name in _SAME_AS_INPUT or op_name.startswith("_scatter_"):
        return first  # the scatter operators compute where their first input stores
    if op_name == "_contrib_quadratic":  # a x^2 + b x + c keeps the storage when c is 0
        return first if attrs.get("c", (*inputs[3:4], 0)[0]) == 0 else "default"
    if op_name in _SCALAR_OPS:
        scalar = attrs.get("scalar", 0)
        zero = _SCALAR_OPS[op_name](onp.float64(0), onp.float64(scalar))
        return first if zero == 0 or onp.isnan(zero) else "default"
    if op_name in ("add_n", "ElementWiseSum"):
        return "row_sparse" if set(stypes) == {"row_sparse"} else "default"
    if op_name in _ELEMWISE:
        if len(set(stypes)) == 1 and same_shape:
            return first
        if op_name in ("elemwise_mul", "_mul", "_Mul") and len(stypes) == 2 and same_shape \
                and "default" in stypes:
            return next(s for s in stypes if s != "default")
        return "default"
    if op_name in ("broadcast_mul", "broadcast_div"):
        return "csr" if stypes == ["csr", "default"] else "default"
    if op_name == "dot" and len(stypes) == 2:
        ta, tb = bool(attrs.get("transpose_a")), bool(attrs.get("transpose_b"))
        if stypes in (["csr", "default"], ["csr", "row_sparse"]) and ta and not tb:
            return "row_sparse"
        if stypes == ["default", "csr"] and not ta:
            return "csr"
        return "default"
    if op_name in ("slice", "crop", "_slice", "take") and first == "csr":
        return "csr" if op_name != "take" or int(attrs.get("axis", 0)) == 0 else "default"
    if op_name in ("concat", "Concat") and set(stypes) == {"csr"}:
        return "csr" if int(attrs.get("dim", 1)) == 0 else "default"
    if op_name in ("_sparse_retain", "retain"):
        return "row_sparse"
    if op_name == "cast_storage":
        return attrs.get("stype", "default")
    if op_name == "_square_sum" and attrs.get("keepdims") and attrs.get("axis") in (1, (1,)):
        return "row_sparse"
    return "default"


_SAME_AS_INPUT = frozenset("""
    abs sign round rint ceil floor trunc fix square sqrt cbrt sin tan arcsin arctan sinh tanh
    arcsinh arctanh expm1 log1p relu degrees radians negative _copy copy clip zeros_like Cast
    cast _copyto
""".split())
# mx.nd.elemwise_add is broadcast_add's function here (one registry row): the registry passes
# the name it was called by
_ELEMWISE = frozenset("""
    elemwise_add elemwise_sub elemwise_mul _plus _add _minus _sub _mul _Plus _Minus _Mul
    _grad_add _maximum _minimum _hypot
""".split())
# _rminus_scalar (0 - x) has no sparse kernel; x / 0 keeps the storage (its NaNs unstored)
_SCALAR_OPS = {
    "_plus_scalar": onp.add, "_minus_scalar": onp.subtract, "_mul_scalar": onp.multiply,
    "_div_scalar": lambda x, s: x / s if s else onp.nan,
    "_equal_scalar": onp.equal, "_not_equal_scalar": onp.not_equal,
    "_greater_scalar": onp.greater, "_greater_equal_scalar": onp.greater_equal,
    "_lesser_scalar": onp.less, "_lesser_equal_scalar": onp.less_equal,
}


def as_stype(result, stype, like=()):
    """``result`` (a fresh NDArray) seen with ``stype`` storage (itself when 'default'); with
    ``like`` (the sparse inputs of an element-wise or scalar operator), stored where any of
    those of this storage and shape store, as MXNet's kernels write it."""
    if not isinstance(result, ndarray) or stype == "csr" and result.ndim != 2:
        return result
    out = result if result.stype == stype else _wrap_sparse(result, stype)
    like = [x for x in like if getattr(x, "stype", None) == stype and x.shape == out.shape]
    if like and stype != "default":
        _store_like(out, like)
    return out


def keeps_structure(op_name) -> bool:
    """Whether ``op_name``'s sparse result stores where its sparse inputs do."""
    return op_name in _SAME_AS_INPUT and op_name != "zeros_like" or op_name in _SCALAR_OPS or \
        op_name in _ELEMWISE or op_name in ("broadcast_mul", "_contrib_quadratic") or \
        op_name.startswith("_scatter_")


def _stored(x):
    """A boolean array of ``x``'s shape: where a sparse ``x`` stores."""
    parts = x._parts()
    mask = onp.zeros(x.shape, dtype=bool)
    if x.stype == "csr":
        mask[onp.repeat(onp.arange(x.shape[0]), onp.diff(parts[2])), parts[1]] = True
    else:
        mask[parts[1]] = True
    return mask


def _store_like(out, likes) -> None:
    """Give ``out`` the stored positions of ``likes`` (of its storage and shape), together:
    its values there, zero elsewhere."""
    mask = onp.logical_or.reduce([_stored(x) for x in likes])
    host = _backend.to_numpy(out._data)
    dense = onp.where(mask, host, onp.zeros((), host.dtype))
    if not onp.array_equal(dense, host, equal_nan=True):  # x / 0: NaN only where stored
        out._data = _np.array(dense, ctx=out._device)._data
    if out.stype == "csr":
        parts = (dense[mask], onp.nonzero(mask)[1].astype(_IDX),
                 onp.concatenate([[0], onp.cumsum(mask.sum(axis=1))]).astype(_IDX))
    else:
        rows = onp.nonzero(mask.reshape(mask.shape[0], -1).any(axis=1))[0].astype(_IDX)
        parts = (dense[rows], rows)
    out._sp = (dense, parts)


# ---- constructors -------------------------------------------------------------------------
def _host(x, dtype=None):
    """A host NumPy array of ``x`` (an mxnp array, a NumPy array or a list)."""
    if isinstance(x, ndarray):
        x = x.asnumpy()
    return onp.asarray(x) if dtype is None else onp.asarray(x, dtype=dtype)


def _src_dtype(x, dtype):
    """``dtype``, or the source's own dtype when it has one, float32 otherwise."""
    if dtype is not None:
        return onp.dtype(dtype)
    return onp.dtype(x.dtype) if isinstance(x, (ndarray, onp.ndarray)) or _is_scipy(x) else \
        onp.dtype("float32")


def _is_shape(arg) -> bool:
    return isinstance(arg, tuple) and all(isinstance(d, (int, onp.integer)) for d in arg)


def _check_shape(name, got, shape):
    if shape is not None and tuple(int(d) for d in shape) != tuple(got):
        raise ValueError(f"{name}: shape {tuple(shape)} differs from the source's {tuple(got)}")


def _from_dense(name, cls, source, shape, ctx, dtype):
    dtype = _src_dtype(source, dtype)
    dense = _host(source, dtype)
    _check_shape(name, dense.shape, shape)
    return _new(cls, None, dense.shape, dtype, _device(ctx), dense=dense)


def _device(ctx):
    return _backend.current_device() if ctx is None else _backend.as_device(ctx)


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A CSRNDArray from (data, indices, indptr), (data, (row, col)), a shape, a CSRNDArray,
    a ``scipy.sparse`` matrix or a dense array (any 2-D array-like)."""
    if _is_shape(arg1) and len(arg1) == 2:
        _check_shape("csr_matrix", arg1, shape)
        return zeros("csr", arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, tuple) and len(arg1) == 3:
        data, indices, indptr = (_host(a) for a in arg1)
        dtype = _src_dtype(arg1[0], dtype)
        if shape is None:
            if not len(indices):
                raise ValueError("csr_matrix: cannot infer the shape without any indices")
            shape = (len(indptr) - 1, int(indices.max()) + 1)
        return _new(CSRNDArray, (data.astype(dtype), indices, indptr), shape, dtype,
                    _device(ctx))
    if isinstance(arg1, tuple) and len(arg1) == 2:  # COO: (data, (row, col))
        import scipy.sparse as spsp

        dtype = _src_dtype(arg1[0], dtype)
        return csr_matrix(spsp.coo_matrix((_host(arg1[0]), tuple(_host(i) for i in arg1[1])),
                                          shape=shape).tocsr(), ctx=ctx, dtype=dtype)
    if isinstance(arg1, CSRNDArray):
        _check_shape("csr_matrix", arg1.shape, shape)
        return _new(CSRNDArray, arg1._parts(), arg1.shape, _src_dtype(arg1, dtype),
                    _device(ctx))
    if _is_scipy(arg1):
        sp = arg1.tocsr(copy=True)
        sp.sum_duplicates()
        sp.sort_indices()
        _check_shape("csr_matrix", sp.shape, shape)
        dtype = _src_dtype(sp, dtype)
        return _new(CSRNDArray, (sp.data.astype(dtype), sp.indices, sp.indptr), sp.shape,
                    dtype, _device(ctx))
    if isinstance(arg1, RowSparseNDArray):
        raise ValueError("csr_matrix: a RowSparseNDArray cannot be taken; use tostype('csr')")
    return _from_dense("csr_matrix", CSRNDArray, arg1, shape, ctx, dtype)


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A RowSparseNDArray from (data, indices), a shape, a RowSparseNDArray or a dense
    array."""
    if _is_shape(arg1):
        _check_shape("row_sparse_array", arg1, shape)
        return zeros("row_sparse", arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, tuple) and len(arg1) == 2:
        data, indices = _host(arg1[0]), _host(arg1[1])
        dtype = _src_dtype(arg1[0], dtype)
        if shape is None:
            if not len(indices):
                raise ValueError("row_sparse_array: cannot infer the shape without indices")
            shape = (int(indices.max()) + 1,) + data.shape[1:]
        return _new(RowSparseNDArray, (data.astype(dtype), indices), shape, dtype,
                    _device(ctx))
    if isinstance(arg1, RowSparseNDArray):
        _check_shape("row_sparse_array", arg1.shape, shape)
        return _new(RowSparseNDArray, arg1._parts(), arg1.shape, _src_dtype(arg1, dtype),
                    _device(ctx))
    if isinstance(arg1, CSRNDArray):
        raise ValueError("row_sparse_array: a CSRNDArray cannot be taken; use "
                         "tostype('row_sparse')")
    return _from_dense("row_sparse_array", RowSparseNDArray, arg1, shape, ctx, dtype)


def _is_scipy(x) -> bool:
    return type(x).__module__.startswith("scipy.sparse")


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):
    """An all-zero array of ``stype`` storage ('csr', 'row_sparse' or 'default')."""
    if stype == "default":
        from ._creation import zeros as dense_zeros  # here: _creation imports this module

        return dense_zeros(shape, ctx=ctx, dtype=dtype, **kwargs)
    if stype not in _CLASSES:
        raise ValueError(f"zeros: unknown storage type {stype!r}")
    shape = (int(shape),) if isinstance(shape, (int, onp.integer)) else \
        tuple(int(d) for d in shape)
    dtype = onp.dtype(dtype or "float32")
    cls = _CLASSES[stype]
    return _new(cls, None, shape, dtype, _device(ctx), dense=onp.zeros(shape, dtype))


def empty(stype, shape, ctx=None, dtype=None):
    """An array of ``stype`` storage with nothing stored (all zeros)."""
    return zeros(stype, shape, ctx=ctx, dtype=dtype)


def array(source_array, ctx=None, dtype=None):
    """A sparse array from a sparse NDArray or a ``scipy.sparse`` matrix (as csr)."""
    if isinstance(source_array, RowSparseNDArray):
        return row_sparse_array(source_array, ctx=ctx, dtype=dtype)
    if isinstance(source_array, CSRNDArray) or _is_scipy(source_array):
        return csr_matrix(source_array, ctx=ctx, dtype=dtype)
    raise ValueError(f"sparse.array: expected a sparse NDArray or a scipy.sparse matrix, got "
                     f"{type(source_array).__name__}")


def retain(data, indices=None, **kwargs):
    """A RowSparseNDArray that stores the rows of ``data`` (a RowSparseNDArray) at
    ``indices``, as MXNet: each of them, stored in ``data`` or not; the rest zero. Its
    gradient passes those rows."""
    if kwargs or indices is None:
        raise MXNetError(f"_sparse_retain: unexpected arguments {sorted(kwargs)}")
    if not isinstance(data, RowSparseNDArray):
        raise MXNetError("_sparse_retain: data must be a RowSparseNDArray")
    rows = onp.unique(_host(indices).astype(_IDX))
    if len(rows) and not 0 <= rows[0] <= rows[-1] < data.shape[0]:
        raise MXNetError(f"_sparse_retain: indices must lie in [0, {data.shape[0]})")
    mask = onp.zeros((data.shape[0],) + (1,) * (data.ndim - 1), dtype=data._data.dtype)
    mask[rows] = 1
    out = _wrap_sparse(_np.multiply(data, _np.array(mask, ctx=data._device)), "row_sparse")
    dense = _backend.to_numpy(out._data)
    stored = rows if len(data._parts()[1]) else rows[:0]  # nothing stored: none retained
    out._sp = (dense.copy(), (dense[stored], stored))
    return out


def pull_rows(out, source, row_ids) -> None:
    """Make ``out`` hold the rows ``row_ids`` of the host array ``source`` (stored, even when
    zero, as kvstore's row_sparse_pull gives them) and zeros elsewhere, in place."""
    rows = onp.unique(_host(row_ids).astype(_IDX))
    dense = onp.zeros_like(source)
    dense[rows] = source[rows]
    out._data[...] = _np.array(dense, ctx=out._device)._data
    if isinstance(out, RowSparseNDArray):
        out._sp = (dense, (source[rows], rows))
