"""The rest of ``mx.nd``'s functions: host conversion, ``waitall``, index arithmetic,
``histogram``, mixed-precision casts and the finite checks optimizers call.
"""
from __future__ import annotations

import warnings

import numpy as onp

from .. import _backend
from .. import numpy as np
from .._ops.primitive import _wrap
from ._creation import array
from . import sparse
from ..base import MXNetError
from ._define import legacy_op
from ._update import sum_sq
from .ndarray import NDArray, to_nd

__all__ = [
    "CachedOp",
    "Custom",
    "all_finite",
    "amp_cast",
    "amp_multicast",
    "concatenate",
    "fill_element_0index",
    "from_numpy",
    "histogram",
    "multi_all_finite",
    "multi_sum_sq",
    "onehot_encode",
    "ravel_multi_index",
    "reset_arrays",
    "unravel_index",
    "waitall",
]


@legacy_op("_identity_with_attr_like_rhs", inputs=("lhs", "rhs"))
def _identity_with_attr_like_rhs(lhs, rhs):
    """``lhs`` itself; ``rhs`` only tells shape inference that both share one shape (MXNet's
    internal operator). Its gradient goes to ``lhs`` alone."""
    if lhs.shape != rhs.shape:
        raise ValueError(f"lhs and rhs must have one shape, got {lhs.shape} and {rhs.shape}")
    return lhs.copy()


class CachedOp:
    """A Symbol made callable on arrays (MXNet's ``mx.nd.CachedOp``): ``op(*inputs)`` takes
    one array per ``sym.list_inputs()`` entry, in that order, and records on the autograd tape
    like any operator; one output comes back as an array, several as a list."""

    def __init__(self, sym, flags=()):
        self._sym = sym
        self._names = sym.list_inputs()

    def __call__(self, *args, out=None, default_ctx=None):
        from ..symbol.executor import evaluate  # mx.sym sits above mx.nd

        if len(args) != len(self._names):
            raise ValueError(f"CachedOp: {len(args)} arrays given for the inputs "
                             f"{self._names}")
        outs = to_nd(evaluate(self._sym._outputs, dict(zip(self._names, args))), args)
        if out is not None:
            targets = out if isinstance(out, (list, tuple)) else [out]
            for t, o in zip(targets, outs):
                t[...] = o
            return out
        return outs[0] if len(outs) == 1 else list(outs)


def waitall() -> None:
    """A no-op: mxnp computes eagerly."""


def concatenate(arrays, axis=0, always_copy=True) -> NDArray:
    """Join a list of arrays along ``axis`` (a copy even for one array)."""
    if not arrays:
        raise ValueError("concatenate: no arrays given")
    return to_nd(np.concatenate(list(arrays), axis=axis))


def onehot_encode(indices, out) -> NDArray:
    """Write the one-hot rows of ``indices`` into ``out`` (n, depth) and return it."""
    eye = np.eye(out.shape[1], dtype=out.dtype, ctx=out.context)
    out[...] = np.take(eye, indices.astype("int64"), axis=0)
    return out


def from_numpy(ndarray, zero_copy=True, array_cls=NDArray) -> NDArray:
    """An NDArray holding a NumPy array's values (its dtype kept). ``zero_copy`` (MXNet's
    DLPack path): the NDArray shares the memory of ``ndarray``, which must be C-contiguous
    and is made read-only, as MXNet does, so that only the NDArray writes to it."""
    if not zero_copy:
        out = array(ndarray, dtype=ndarray.dtype)
        return out if array_cls is NDArray else out.as_np_ndarray()
    if not ndarray.flags["C_CONTIGUOUS"]:
        raise ValueError("Only c-contiguous arrays are supported for zero-copy")
    try:  # again after an earlier call made it read-only (NumPy allows it for owned memory)
        ndarray.flags["WRITEABLE"] = True
    except ValueError:  # memory NumPy will not write (a read-only buffer): a copy then
        return from_numpy(ndarray, False, array_cls)
    shared = ndarray.view()  # stays writeable: the flag below is the caller's array's only
    ndarray.flags["WRITEABLE"] = False
    out = _wrap(shared, _backend.CPU0)
    return to_nd(out) if array_cls is NDArray else out


def histogram(a, bins=10, range=None):
    """(counts as int64, bin edges) of ``a``'s values: ``bins`` equal bins over ``range``, or
    the bins whose edges the array ``bins`` holds. Without ``range`` both come back float32
    (MXNet hands NumPy's answer to ``mx.nd.array``, with a warning)."""
    if isinstance(bins, NDArray):
        return _histogram(a, bins)
    if range is None:
        warnings.warn("range is not specified, using numpy's result to ensure consistency "
                      "with numpy", stacklevel=2)
        return [to_nd(x.astype("float32")) for x in np.histogram(a, bins=int(bins))]
    return _histogram(a, bin_cnt=bins, range=range)


def _histogram_inputs(attrs) -> tuple:
    return ("data",) if attrs.get("bin_cnt") is not None else ("data", "bins")


@legacy_op("_histogram", ("data", "bins"), optional_inputs=_histogram_inputs, num_outputs=2)
def _histogram(data, bins=None, bin_cnt=None, range=None):
    """MXNet's histogram operator: the counts (int64) and the edges, of ``bin_cnt`` equal bins
    or of the edges ``bins``."""
    if bin_cnt is not None:
        counts, edges = np.histogram(data, bins=int(bin_cnt), range=range)
        return counts.astype("int64"), edges.astype(data.dtype)
    counts, edges = np.histogram(data, bins=bins)
    return counts.astype("int64"), edges.astype(bins.dtype)


@legacy_op("_ravel_multi_index", aliases=("ravel_multi_index",))
def ravel_multi_index(data, shape):
    """Flat indices from the (ndim, n) coordinates in ``data``, for an array of ``shape``."""
    strides = onp.cumprod((1,) + tuple(shape)[::-1])[:-1][::-1]
    weights = np.array(strides.reshape(-1, 1), dtype=data.dtype, ctx=data.context)
    return np.sum(data * weights, axis=0)


@legacy_op("_unravel_index", aliases=("unravel_index",))
def unravel_index(data, shape):
    """The (ndim, n) coordinates of flat indices ``data`` in an array of ``shape``. As MXNet's
    kernel, the first coordinate is what is left (no bound: its size may be -1)."""
    coords, rest = [], data.astype("int64")
    for size in tuple(shape)[:0:-1]:
        coords.append(rest % size)
        rest = np.floor_divide(rest, size)
    coords.append(rest)
    return np.stack(coords[::-1]).astype(data.dtype)


@legacy_op("all_finite")
def all_finite(data, init_output=True):
    """[1.] when every value is finite, else [0.] (float32)."""
    return np.reshape(np.all(np.isfinite(data)), (1,)).astype("float32")


@legacy_op("multi_all_finite", ("data",), variadic=True)
def multi_all_finite(*data, num_arrays=None, init_output=True):
    """[1.] when every value of every array is finite, else [0.]."""
    flags = [np.all(np.isfinite(d)) for d in data]
    return np.reshape(np.all(np.stack(flags)), (1,)).astype("float32")


@legacy_op("amp_cast")
def amp_cast(data, dtype):
    """``data`` in ``dtype`` (mixed precision's cast; floats only are cast)."""
    return data.astype(dtype) if onp.dtype(data.dtype).kind == "f" else data


@legacy_op("amp_multicast", ("data",), variadic=True,
           num_outputs=lambda attrs: int(attrs.get("num_outputs", 1)))
def amp_multicast(*data, num_outputs=None, cast_narrow=False):
    """All inputs in their widest (or with ``cast_narrow``, narrowest) float dtype."""
    floats = [onp.dtype(d.dtype) for d in data if onp.dtype(d.dtype).kind == "f"]
    pick = min if cast_narrow else max
    target = pick(floats, key=lambda t: t.itemsize) if floats else None
    return [d.astype(target) if target is not None and onp.dtype(d.dtype).kind == "f" else d for d in data]


def reset_arrays(*data, num_arrays=None) -> None:
    """Set every given array to zero in place."""
    for d in data:
        d[...] = 0


@legacy_op("multi_sum_sq", ("data",), variadic=True,
           num_outputs=lambda attrs: int(attrs.get("num_arrays", 1)))
def multi_sum_sq(*data, num_arrays=None):
    """The sum of squares of each array, as one float32 array (one entry per input), summed as
    MXNet's CPU kernel sums (``_update.sum_sq``)."""
    return np.stack([sum_sq(d) for d in data])


@legacy_op("fill_element_0index", ("lhs", "mhs", "rhs"))
def fill_element_0index(lhs, mhs, rhs):
    """``lhs`` with row i's entry at column ``rhs[i]`` replaced by ``mhs[i]``."""
    cols = np.arange(lhs.shape[1], ctx=lhs.context).reshape(1, -1)
    hit = np.equal(cols, rhs.astype("int64").reshape(-1, 1)).astype(lhs.dtype)
    return lhs * (1 - hit) + np.reshape(mhs, (-1, 1)) * hit


@legacy_op("cast_storage")
def cast_storage(data, stype="default"):
    """``data``'s values in ``stype`` storage ('default', 'csr', 'row_sparse'), a new array."""
    return sparse.cast_storage(data, stype)


@legacy_op("_square_sum")
def _square_sum(data, axis=None, keepdims=False, exclude=False):
    """The sum of squares of a row_sparse array over axis 0 or 1 (MXNet's sparse-only
    reduction; a row_sparse result for the rows' sums kept 2-D)."""
    axes = (axis,) if isinstance(axis, int) else tuple(axis or ())
    if getattr(data, "stype", None) != "row_sparse" or exclude or axes not in ((0,), (1,)):
        raise MXNetError("_square_sum: implemented for a row_sparse array over axis 0 or 1 "
                         f"only, got a {getattr(data, 'stype', 'default')} array, axis={axis}")
    return np.sum(np.square(data), axis=axes[0], keepdims=keepdims)


@legacy_op("_sparse_retain", ("data", "indices"))
def _sparse_retain(data, indices):
    """The rows of a row_sparse ``data`` at ``indices`` (``mx.nd.sparse.retain``)."""
    return sparse.retain(data, indices)


@legacy_op("_scatter_elemwise_div", ("lhs", "rhs"))
def _scatter_elemwise_div(lhs, rhs):
    """lhs / rhs where a sparse ``lhs`` stores (zero elsewhere)."""
    return lhs.tostype("default") / rhs.tostype("default")


@legacy_op("_scatter_plus_scalar")
def _scatter_plus_scalar(data, scalar=0.0):
    """data + scalar where a sparse ``data`` stores (zero elsewhere)."""
    return data.tostype("default") + scalar


@legacy_op("_scatter_minus_scalar")
def _scatter_minus_scalar(data, scalar=0.0):
    """data - scalar where a sparse ``data`` stores (zero elsewhere)."""
    return data.tostype("default") - scalar


class _Capsule:
    """A DLPack capsule dressed as an object with ``__dlpack__``, as ``numpy.from_dlpack``
    expects (MXNet hands bare capsules around). CPU only."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, stream=None, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0


def to_dlpack_for_read(data):
    """A DLPack capsule over ``data``'s values on the host (a CPU array shares its memory)."""
    return onp.asarray(data).__dlpack__()


def to_dlpack_for_write(data):
    """As to_dlpack_for_read: a CPU array's capsule shares its memory, so writes show."""
    return to_dlpack_for_read(data)


def from_dlpack(dlpack) -> NDArray:
    """An NDArray with the values of a DLPack capsule (or of any object with ``__dlpack__``).

    Differs from MXNet: the values are copied, not shared.
    """
    source = dlpack if hasattr(dlpack, "__dlpack__") else _Capsule(dlpack)
    host = onp.from_dlpack(source)
    return array(host, dtype=host.dtype)


def _prop(attrs):
    """A Custom node's CustomOpProp (``mx.operator`` is loaded by whoever registered one)."""
    from ..operator import custom_prop

    return custom_prop(attrs["op_type"], {k: v for k, v in attrs.items() if k != "op_type"})


def _custom_inputs(attrs) -> tuple:
    prop = _prop(attrs)
    return tuple(prop.list_arguments()) + tuple(prop.list_auxiliary_states())


@legacy_op("Custom", ("data",), optional_inputs=_custom_inputs,
           num_outputs=lambda attrs: len(_prop(attrs).list_outputs()),
           aux=lambda attrs: _prop(attrs).list_auxiliary_states(),
           output_names=lambda attrs: _prop(attrs).list_outputs())
def Custom(*data, op_type=None, **kwargs):
    """A custom operator registered with ``mx.operator.register(op_type)``, on ``data`` (its
    arguments, then its auxiliary states); the keyword arguments go to its CustomOpProp."""
    from ..operator import run_custom

    return run_custom(op_type, data, kwargs)
