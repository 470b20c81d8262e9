"""npx operators without a NumPy name: reshape with MXNet's special codes, batch_dot,
batch_flatten, sequence_mask, arange_like, gather_nd, nonzero, cast, constraint_check,
smooth_l1, and the GPU queries. Composites of differentiable ops unless noted.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import _backend, _dtypes
from ..base import OpError
from .checks import require_array
from .creation import astype
from .elementwise import absolute, less, where
from .indexing import _scatter
from .linalg.products import matmul
from .primitive import Primitive, _wrap
from .shape import reshape as _plain_reshape
from .shape import swapaxes
from .special import erf, erfinv, gamma, gammaln  # noqa: F401 - npx names, re-exported


# ---- reshape with MXNet's codes ---------------------------------------------------------------
def _split_dims(src, j, target, i, out):
    """-6: split input dim j into target[i+1] x target[i+2] (one may be -1)."""
    if i + 2 >= len(target):
        raise OpError(f"npx.reshape: Check failed: i + 2 < target.ndim() ({i + 2} vs. "
                      f"{len(target)}) : -6 must be followed by two sizes, got {tuple(target)}")
    if j >= len(src):
        raise OpError(_more_dims(j, src, target))
    d0, d1, d2 = src[j], target[i + 1], target[i + 2]
    if d1 == -1 and d2 == -1:
        raise OpError(_NO_SECOND_UNKNOWN)
    if 0 in (d1, d2) and -1 in (d1, d2):
        raise OpError(_split_error(d1, d2, d0))
    d1 = d0 // d2 if d1 == -1 else d1
    d2 = d0 // d1 if d2 == -1 else d2
    if d1 * d2 != d0 or d1 < 0 or d2 < 0:
        raise OpError(_split_error(d1, d2, d0))
    out += [d1, d2]


_NO_SECOND_UNKNOWN = ("npx.reshape: Check failed: !has_unknown_dim_size: Can only specify one "
                      "unknown dimension")  # (MXNet 1.9.1's words, as the ones below)


def _more_dims(j, src, target) -> str:
    return (f"npx.reshape: Check failed: src_inx < src.ndim() ({j} vs. {len(src)}) : "
            f"Unmatching dimension of proposed new shape {tuple(target)} for {tuple(src)}")


def _split_error(d1, d2, d0) -> str:
    return (f"npx.reshape: Check failed: d1 * d2 == static_cast<dim_t>(d0) || "
            f"static_cast<dim_t>(d0) == dim_t(-1): Split dims {d1}, {d2} do not divide "
            f"original dim {d0}")


def _infer_shape(src, target):
    """MXNet's rules for -1..-6 (catalogue 3.3), walking the input dims alongside the codes."""
    out, j, unknown, i = [], 0, None, 0
    while i < len(target):
        t = target[i]
        if t < -6:
            raise OpError(f"npx.reshape: Check failed: param.newshape[i] >= -6 ({t} vs. -6) : "
                          "Dimension size must be greater than or equal to -6")
        if t in (-2, -3) and j >= len(src):
            raise OpError(_more_dims(j, src, target))
        if t == -1:
            if unknown is not None:
                raise OpError(_NO_SECOND_UNKNOWN)
            unknown, j = len(out), j + 1
            out.append(-1)
        elif t == -2:
            out.append(src[j])
            j += 1
        elif t == -3:
            if src[j] != 1:
                raise OpError(f"npx.reshape: Check failed: src[src_inx] == 1 ({src[j]} vs. 1) "
                              ": -3 index should only be used to skip dimension size 1")
            j += 1
        elif t == -4:
            out += src[j:]
            j = len(src)
        elif t == -5:
            if j + 1 >= len(src):
                raise OpError(f"npx.reshape: Check failed: src_inx < src.ndim()-1 ({j} vs. "
                              f"{len(src) - 1}) : Not enough dimensions left for the product")
            out.append(src[j] * src[j + 1])
            j += 2
        elif t == -6:
            _split_dims(src, j, target, i, out)
            j, i = j + 1, i + 2
        else:
            out.append(t)
            j += 1
        i += 1
    return out, unknown


def _cannot(src, target, reverse) -> str:
    """MXNet's words for a size that does not fit (``src``, ``target`` as given)."""
    if reverse:
        src, target = src[::-1], target[::-1]
    dims = ",".join(str(d) for d in src)
    codes = ",".join(str(t) for t in target)
    return f"Cannot reshape array of shape [{dims}] into shape [{codes}] , reverse = {int(reverse)}"


def _target_shape(src, newshape, reverse):
    target = [newshape] if isinstance(newshape, (int, onp.integer)) else list(newshape)
    target = [int(t) for t in target]
    if reverse:
        src, target = src[::-1], target[::-1]
    out, unknown = _infer_shape(tuple(src), target)
    size = math.prod(src)
    if unknown is not None:
        known = math.prod(d for k, d in enumerate(out) if k != unknown)
        if known == 0 or size % known:
            raise OpError(f"npx.reshape: Check failed: src.Size() % known_dim_size_prod == 0: "
                          f"{_cannot(src, target, reverse)}")
        out[unknown] = size // known
    if math.prod(out) != size:
        raise OpError(f"npx.reshape: Check failed: src.Size() == target_size ({size} vs. "
                      f"{math.prod(out)}) : {_cannot(src, target, reverse)}")
    return tuple(out[::-1] if reverse else out)


def reshape(a, newshape, reverse=False, order="C"):
    """A reshaped copy; MXNet's codes -1..-6 are read right to left when ``reverse``."""
    require_array("npx.reshape", a, "a")
    if order != "C":  # MXNet 1.9.1 silently ignores order='F' here; ndarray.reshape refuses it
        raise NotImplementedError(f"npx.reshape: only supports C-order, while received {order}")
    return _plain_reshape(a, _target_shape(a.shape, newshape, reverse))


def batch_flatten(data):
    """``data`` as (first dim, product of the others)."""
    require_array("batch_flatten", data)
    if data.ndim == 0:
        raise OpError("batch_flatten: expected an array with at least one dimension")
    return _plain_reshape(data, (data.shape[0], math.prod(data.shape[1:])))


# ---- batch_dot --------------------------------------------------------------------------------
def batch_dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Matrix products over matching leading batch dims; both inputs N-D with N >= 3."""
    require_array("batch_dot", lhs, "lhs")
    require_array("batch_dot", rhs, "rhs")
    if lhs.ndim < 3 or lhs.ndim != rhs.ndim:
        raise OpError(f"batch_dot: only supports N-D x N-D arrays (N >= 3), got {lhs.shape} "
                      f"and {rhs.shape}")
    if lhs.shape[:-2] != rhs.shape[:-2]:
        raise OpError(f"batch_dot: the leading batch dimensions must be equal, got {lhs.shape} "
                      f"and {rhs.shape}")
    if lhs.dtype != rhs.dtype or not _dtypes.is_real_float(lhs.dtype):
        raise TypeError(f"batch_dot: expected two float arrays of one dtype, got {lhs.dtype} "
                        f"and {rhs.dtype}")
    if forward_stype not in (None, "default", "csr", "row_sparse"):
        raise OpError(f"batch_dot: forward_stype must be None, 'default', 'csr' or "
                      f"'row_sparse', got {forward_stype!r}")
    a = swapaxes(lhs, -1, -2) if transpose_a else lhs
    b = swapaxes(rhs, -1, -2) if transpose_b else rhs
    if a.shape[-1] != b.shape[-2]:
        raise OpError(f"batch_dot: shape mismatch {lhs.shape} x {rhs.shape} with "
                      f"transpose_a={transpose_a}, transpose_b={transpose_b}")
    return matmul(a, b)


# ---- masks and ranges -------------------------------------------------------------------------
def sequence_mask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0):
    """``value`` at steps ``t >= length[b]`` along ``axis`` (0: time-major, 1: batch-major)."""
    require_array("sequence_mask", data)
    if data.ndim < 2:
        raise OpError(f"sequence_mask: the data must be of rank 2 or greater, got {data.shape}")
    if axis not in (0, 1):
        raise OpError(f"sequence_mask: axis must be 0 or 1, got {axis}")
    if not use_sequence_length:
        return data.copy()
    if sequence_length is None:
        raise OpError("sequence_mask: use_sequence_length=True needs sequence_length")
    require_array("sequence_mask", sequence_length, "sequence_length")
    batch = data.shape[1 - axis]
    if sequence_length.shape != (batch,):
        raise OpError(f"sequence_mask: sequence_length must have shape ({batch},), got "
                      f"{sequence_length.shape}")
    xp = data._device.xp
    steps = [1, 1]
    steps[axis] = data.shape[axis]
    lengths = [1, 1]
    lengths[1 - axis] = batch
    tail = (1,) * (data.ndim - 2)
    # fractional lengths are truncated, as MXNet's kernel reads them as ints
    limit = _plain_reshape(astype(sequence_length, _dtypes.INDEX), tuple(lengths) + tail)
    with data._device.use():
        t = xp.arange(data.shape[axis], dtype=_dtypes.INDEX).reshape(tuple(steps) + tail)
    keep = less(_wrap(t, data._device), limit)
    return astype(where(keep, data, value), data.dtype, copy=False)


def _arange_like_forward(xp, x, start, step, repeat, axis):
    n = x.size if axis is None else x.shape[axis]
    values = start + (xp.arange(n) // repeat) * step  # float64 here, cast once at the end
    shape = x.shape if axis is None else (n,)
    return values.reshape(shape).astype(x.dtype)


_arange_like = Primitive("arange_like", _arange_like_forward)  # no gradient: a creation op


def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None):
    """``start + (i // repeat) * step`` shaped like ``data`` (or along one ``axis``)."""
    require_array("arange_like", data)
    if data._data.dtype.kind == "b":
        raise TypeError("arange_like: bool data is not supported; expected a number dtype")
    if not isinstance(repeat, (int, onp.integer)) or repeat < 1:
        raise OpError(f"arange_like: repeat must be a positive int, got {repeat!r}")
    if axis is not None:
        if not -data.ndim <= axis < data.ndim:
            raise OpError(f"arange_like: axis {axis} is out of range for {data.ndim} dims")
        axis %= data.ndim
    out = _arange_like(data, start=float(start), step=float(step), repeat=int(repeat),
                       axis=axis)
    return out if ctx is None else out.as_in_ctx(ctx)


# ---- gathers ----------------------------------------------------------------------------------
# the gradient scatters back, adding at repeated indices (getitem's own adjoint)
_gather_nd = Primitive("gather_nd", lambda xp, x, key: x[key],
                       (lambda g, ans, x, key: _scatter(g, key=key, shape=x.shape),), keep=())


def gather_nd(data, indices):
    """``data[indices[0], ..., indices[M-1]]``: indices has shape (M, ...), M <= data.ndim."""
    require_array("gather_nd", data)
    require_array("gather_nd", indices, "indices")
    if indices.ndim < 2:
        raise OpError(f"gather_nd: indices must have at least 2 dimensions, got {indices.shape}")
    if indices.shape[0] > data.ndim:
        raise OpError(f"gather_nd: {indices.shape[0]} indices per entry exceed the data's "
                      f"{data.ndim} dimensions")
    if not _dtypes.is_truncated_index(indices.dtype):
        raise TypeError(f"gather_nd: indices must be integers (or floats, truncated), got "
                        f"{indices.dtype}")
    raw = indices._data.astype(_dtypes.INDEX, copy=False)  # floats truncate, as in MXNet
    # one index array per leading data axis; the loop is over M (<= ndim), not over data
    return _gather_nd(data, key=tuple(raw[k] for k in range(raw.shape[0])))


def _nonzero_forward(xp, x):
    return xp.argwhere(x.reshape(1) if x.ndim == 0 else x).astype(_dtypes.INDEX, copy=False)


_nonzero = Primitive("npx_nonzero", _nonzero_forward)


def nonzero(a):
    """Indices of the non-zero elements as one (N, ndim) int64 array (a 0-d input counts as 1-d,
    as in MXNet)."""
    require_array("nonzero", a, "a")
    return _nonzero(a)


def cast(data, dtype=None):
    """``data`` as ``dtype`` (a copy); the gradient is cast back to ``data``'s dtype."""
    require_array("cast", data)
    if dtype is None:
        raise OpError("cast: required parameter dtype is missing")
    return astype(data, _dtypes.as_dtype(dtype, "cast"))


def constraint_check(x, msg="Constraint violated."):
    """``array(True)`` if every element of the bool array ``x`` is True; else ValueError(msg).

    Reading the answer waits for the data (on a GPU too): the check has to raise here.
    """
    require_array("constraint_check", x, "x")
    if x.dtype != _dtypes.bool_:
        raise TypeError(f"constraint_check: expected a bool array, got {x.dtype}")
    xp = x._device.xp
    if not bool(xp.all(x._data)):
        raise ValueError(msg)
    with x._device.use():
        return _wrap(xp.asarray(True), x._device)


def smooth_l1(data, scalar=1.0):
    """0.5 (s x)^2 where |x| < 1/s^2, else |x| - 0.5/s^2 (s = ``scalar``)."""
    require_array("smooth_l1", data)
    data = _dtypes.real_float_math(data)
    s2 = float(scalar) ** 2
    # s = 0 leaves only the quadratic branch (1/s^2 is infinite), all zeros, as in MXNet
    threshold, offset = (1 / s2, 0.5 / s2) if s2 else (math.inf, 0.0)
    ax = absolute(data)
    return where(less(ax, threshold), (0.5 * s2) * data * data, ax - offset)


# ---- GPU queries ------------------------------------------------------------------------------
def get_cuda_compute_capability(ctx):
    """The compute capability of a GPU context as an int (70 for sm_70)."""
    device = _backend.as_device(ctx)
    if device.device_type != "gpu":
        raise ValueError("Expecting a gpu context to get cuda compute capability, while "
                         f"received ctx {device}")
    return _backend.compute_capability(device.device_id)


def gpu_memory_info(device_id=0):
    """(free, total) bytes of GPU ``device_id``'s memory."""
    return _backend.gpu_memory_info(int(device_id))

