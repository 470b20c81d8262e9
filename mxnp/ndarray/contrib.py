"""``mx.nd.contrib``: the contrib operators GluonCV and GluonNLP call, as np/npx composites
(the detection family in ``_detection.py``, control flow in ``_control_flow.py``).
"""
from __future__ import annotations

import math

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from .._ops import legacy as _legacy
from . import _nn, _unary
from ._control_flow import cond, foreach, while_loop
from ._define import legacy_op
from ._deformable import DeformableConvolution, ModulatedDeformableConvolution
from ._detection import (
    MultiBoxDetection,
    MultiBoxPrior,
    MultiBoxTarget,
    MultiProposal,
    Proposal,
    PSROIPooling,
    ROIAlign,
    RROIAlign,
    bipartite_matching,
    box_decode,
    box_encode,
    box_iou,
    box_nms,
    box_non_maximum_suppression,
)
from ._update import (
    adamw_update,
    group_adagrad_update,
    mp_adamw_update,
    multi_adamw_update,
    multi_lamb_update,
    multi_mp_adamw_update,
    multi_mp_lamb_update,
)
from .ndarray import to_nd

__all__ = [
    "AdaptiveAvgPooling2D",
    "BatchNormWithReLU",
    "BilinearResize2D",
    "CTCLoss",
    "DeformableConvolution",
    "ModulatedDeformableConvolution",
    "MultiBoxDetection",
    "MultiBoxPrior",
    "MultiBoxTarget",
    "MultiProposal",
    "PSROIPooling",
    "Proposal",
    "ROIAlign",
    "RROIAlign",
    "SparseEmbedding",
    "SyncBatchNorm",
    "adamw_update",
    "allclose",
    "arange_like",
    "bipartite_matching",
    "boolean_mask",
    "box_decode",
    "box_encode",
    "box_iou",
    "box_nms",
    "box_non_maximum_suppression",
    "cond",
    "ctc_loss",
    "dequantize",
    "div_sqrt_dim",
    "foreach",
    "getnnz",
    "gradientmultiplier",
    "group_adagrad_update",
    "hawkesll",
    "index_array",
    "index_copy",
    "interleaved_matmul_encdec_qk",
    "interleaved_matmul_encdec_valatt",
    "interleaved_matmul_selfatt_qk",
    "interleaved_matmul_selfatt_valatt",
    "isfinite",
    "isinf",
    "isnan",
    "mp_adamw_update",
    "multi_adamw_update",
    "multi_lamb_update",
    "multi_mp_adamw_update",
    "multi_mp_lamb_update",
    "quadratic",
    "quantize",
    "rand_zipfian",
    "round_ste",
    "sign_ste",
    "while_loop",
]


@legacy_op("_contrib_arange_like")
def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None):
    """0, 1, 2 ... in ``data``'s shape (or along one ``axis``)."""
    return npx.arange_like(data, start=start, step=step, repeat=repeat, ctx=ctx, axis=axis)


@legacy_op("_contrib_quantize", ("data", "min_range", "max_range"), num_outputs=3)
def quantize(data, min_range, max_range, out_type="uint8"):
    """float32 to uint8 (the range [min_range, max_range] over 0..255) or int8 (symmetric, the
    larger bound's magnitude to 127), rounding half away from zero; with the range the result
    stands for (MXNet's own kernel; its oneDNN build rounds to even and reaches -128)."""
    lo, hi = min_range.reshape(()), max_range.reshape(())
    if out_type == "int8":
        real = np.maximum(np.abs(lo), np.abs(hi))
        q = np.sign(data) * np.minimum(np.abs(data) * (127.0 / real) + 0.5, 127.0)
        return np.trunc(q).astype("int8"), -real.reshape((1,)), real.reshape((1,))
    if out_type != "uint8":
        raise ValueError(f"quantize: out_type must be 'uint8' or 'int8', got {out_type!r}")
    q = np.clip(np.floor((data - lo) * (255.0 / (hi - lo)) + 0.5), 0, 255)
    return q.astype("uint8"), lo.reshape((1,)).copy(), hi.reshape((1,)).copy()


@legacy_op("_contrib_dequantize", ("data", "min_range", "max_range"))
def dequantize(data, min_range, max_range, out_type="float32"):
    """The float32 values quantized uint8/int8 data stands for, given its range."""
    lo, hi = min_range.reshape(()), max_range.reshape(())
    if data.dtype == onp.int8:
        real = np.maximum(np.abs(lo), np.abs(hi))
        return data.astype("float32") * (real / 127.0)
    return data.astype("float32") * ((hi - lo) / 255.0) + lo


@legacy_op("_contrib_div_sqrt_dim")
def div_sqrt_dim(data):
    """data / sqrt(data.shape[-1])."""
    return data / math.sqrt(data.shape[-1])


def _heads(x, heads, parts):
    """(seq, batch, heads * parts * d) -> per part, (batch * heads, seq, d)."""
    seq, batch, width = x.shape
    d = width // (heads * parts)
    x = np.reshape(x, (seq, batch, heads, parts, d))
    return [np.reshape(np.transpose(x[:, :, :, k], (1, 2, 0, 3)), (batch * heads, seq, d))
            for k in range(parts)]


def _merge_heads(x, heads):
    """(batch * heads, seq, d) -> (seq, batch, heads * d)."""
    bh, seq, d = x.shape
    x = np.reshape(x, (bh // heads, heads, seq, d))
    return np.reshape(np.transpose(x, (2, 0, 1, 3)), (seq, bh // heads, heads * d))


@legacy_op("_contrib_interleaved_matmul_selfatt_qk", ("queries_keys_values",))
def interleaved_matmul_selfatt_qk(queries_keys_values, heads):
    """Attention scores q k^T / sqrt(d) from interleaved (seq, batch, heads*3*d) projections."""
    q, k, _ = _heads(queries_keys_values, heads, 3)
    return np.matmul(q / math.sqrt(q.shape[-1]), np.swapaxes(k, 1, 2))


@legacy_op("_contrib_interleaved_matmul_selfatt_valatt", ("queries_keys_values", "attention"))
def interleaved_matmul_selfatt_valatt(queries_keys_values, attention, heads):
    """attention @ v, back in (seq, batch, heads*d)."""
    _, _, v = _heads(queries_keys_values, heads, 3)
    return _merge_heads(np.matmul(attention, v), heads)


@legacy_op("_contrib_interleaved_matmul_encdec_qk", ("queries", "keys_values"))
def interleaved_matmul_encdec_qk(queries, keys_values, heads):
    """Encoder-decoder attention scores q k^T / sqrt(d)."""
    (q,) = _heads(queries, heads, 1)
    k, _ = _heads(keys_values, heads, 2)
    return np.matmul(q / math.sqrt(q.shape[-1]), np.swapaxes(k, 1, 2))


@legacy_op("_contrib_interleaved_matmul_encdec_valatt", ("keys_values", "attention"))
def interleaved_matmul_encdec_valatt(keys_values, attention, heads):
    """attention @ v for encoder-decoder attention, in (seq, batch, heads*d)."""
    _, v = _heads(keys_values, heads, 2)
    return _merge_heads(np.matmul(attention, v), heads)


def _linear_taps(n_in, n_out, align_corners):
    """Source indices below/above and the upper weight for each output position."""
    if align_corners:
        pos = onp.arange(n_out) * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        pos = onp.clip((onp.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
    lo = onp.floor(pos).astype(onp.int64)
    hi = onp.minimum(lo + 1, n_in - 1)
    return lo, hi, pos - lo


def _resize_to(n: int, size, scale, mode: str) -> int:
    """One output side of BilinearResize2D's ``mode`` for an input side ``n`` (MXNet's)."""
    if mode in ("size", "odd_scale") and scale is not None:
        return int((n - 1) * scale) + 1 if mode == "odd_scale" and n % 2 else int(n * scale)
    if mode == "size":
        return size
    if mode == "odd_scale":
        raise ValueError("BilinearResize2D: mode 'odd_scale' needs scale_height and scale_width")
    want_even = mode.startswith("to_even")
    if (n % 2 == 0) == want_even:
        return n
    return n + 1 if mode.endswith("_up") else n - 1


_RESIZE_MODES = ("size", "like", "odd_scale", "to_even_down", "to_even_up", "to_odd_down",
                 "to_odd_up")


@legacy_op("_contrib_BilinearResize2D", aliases=("BilinearResize2D",),
           optional_inputs=lambda a: ("data", "like") if a.get("mode") == "like" else ("data",))
def BilinearResize2D(data, like=None, height=1, width=1, scale_height=None, scale_width=None,
                     mode="size", align_corners=True):
    """NCHW bilinear resize to (height, width), by the scales, to ``like``'s size (mode
    ``like``) or to the nearest even/odd size (the ``to_*`` modes), as MXNet's modes."""
    if mode not in _RESIZE_MODES:
        raise ValueError(f"BilinearResize2D: mode must be one of {_RESIZE_MODES}, got {mode!r}")
    h, w = data.shape[2:]
    if mode == "like":
        if like is None:
            raise ValueError("BilinearResize2D: mode 'like' needs the array `like`")
        height, width = like.shape[2:]
    else:
        height = _resize_to(h, height, scale_height, mode)
        width = _resize_to(w, width, scale_width, mode)
    out = data
    for axis, (n_in, n_out) in ((2, (h, height)), (3, (w, width))):
        lo, hi, frac = _linear_taps(n_in, n_out, align_corners)
        shape = (1,) * axis + (n_out,) + (1,) * (3 - axis)
        frac = np.array(frac.reshape(shape), dtype=data.dtype, ctx=data.context)
        a = np.take(out, np.array(lo, ctx=data.context), axis=axis)
        b = np.take(out, np.array(hi, ctx=data.context), axis=axis)
        out = a + (b - a) * frac
    return out


@legacy_op("_contrib_AdaptiveAvgPooling2D", aliases=("AdaptiveAvgPooling2D",))
def AdaptiveAvgPooling2D(data, output_size=()):
    """NCHW average pooling onto an ``output_size`` grid of (overlapping) bins."""
    size = (output_size,) * 2 if isinstance(output_size, int) else tuple(output_size) or (1, 1)
    size = size * 2 if len(size) == 1 else size
    h, w = data.shape[2:]
    rows = []
    for i in range(size[0]):
        r0, r1 = (i * h) // size[0], -(-((i + 1) * h) // size[0])
        cells = [np.mean(data[:, :, r0:r1, (j * w) // size[1]:-(-((j + 1) * w) // size[1])],
                         axis=(2, 3)) for j in range(size[1])]
        rows.append(np.stack(cells, axis=-1))
    return np.stack(rows, axis=-2)


@legacy_op("_contrib_index_copy", ("old_tensor", "index_vector", "new_tensor"))
def index_copy(old_tensor, index_vector, new_tensor):
    """``old_tensor`` with the rows at ``index_vector`` replaced by ``new_tensor``'s rows."""
    index = np.reshape(index_vector, (1, -1))
    placed = _legacy.scatter_nd(new_tensor, index, old_tensor.shape)
    hit = _legacy.scatter_nd(np.ones((index.shape[1],), dtype=old_tensor.dtype,
                                     ctx=old_tensor.context), index, old_tensor.shape[:1])
    keep = np.reshape(1 - hit, (-1,) + (1,) * (old_tensor.ndim - 1))
    return old_tensor * keep + placed


@legacy_op("_contrib_boolean_mask", ("data", "index"))
def boolean_mask(data, index, axis=0):
    """The entries along ``axis`` where ``index`` is non-zero."""
    (keep,) = np.nonzero(index != 0)
    return np.take(data, keep, axis=axis)


@legacy_op("_contrib_getnnz")
def getnnz(data, axis=None):
    """The number of stored values of a CSRNDArray (int64): in all (shape (1,)) or, with
    ``axis=1``, per row."""
    if getattr(data, "stype", None) != "csr" or axis not in (None, 1):
        raise ValueError("getnnz: data must be a CSRNDArray and axis None or 1")
    indptr = onp.asarray(data.indptr.asnumpy())
    count = onp.diff(indptr) if axis == 1 else onp.array([indptr[-1]])
    return np.array(count.astype(onp.int64), ctx=data.context)


def _flag(fn, data):
    return fn(data).astype(data.dtype)


@legacy_op("_contrib_isnan")
def isnan(data):
    """1 where NaN, else 0."""
    return _flag(np.isnan, data)


@legacy_op("_contrib_isinf")
def isinf(data):
    """1 where infinite, else 0."""
    return _flag(np.isinf, data)


@legacy_op("_contrib_isfinite")
def isfinite(data):
    """1 where finite, else 0."""
    return _flag(np.isfinite, data)


@legacy_op("_contrib_allclose", ("a", "b"), keeps_0d=True)
def allclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=True):
    """1 (a 0-d uint8 array, as MXNet's) when every |a - b| <= atol + rtol |b|, else 0."""
    close = np.abs(a - b) <= atol + rtol * np.abs(b)
    if equal_nan:
        close = np.logical_or(close, np.logical_and(np.isnan(a), np.isnan(b)))
    return np.all(close).astype("uint8")


@legacy_op("_contrib_index_array")
def index_array(data, axes=None):
    """Each position's index (over all axes, or ``axes``) along a new last axis, int64."""
    axes = tuple(range(data.ndim)) if axes is None else tuple(axes)
    grids = onp.indices(data.shape)[list(axes)]
    return np.array(onp.moveaxis(grids, 0, -1), dtype="int64", ctx=data.context)


@legacy_op("_contrib_SparseEmbedding", ("data", "weight"))
def SparseEmbedding(data, weight, input_dim=None, output_dim=None, dtype="float32",
                    sparse_grad=True, deterministic=False):
    """Embedding whose weight gradient is row_sparse (MXNet's deprecated contrib operator)."""
    from ._layers import Embedding  # here: _layers and contrib both sit under mx.nd

    return Embedding(data, weight, input_dim=input_dim, output_dim=output_dim, dtype=dtype,
                     sparse_grad=True)


@legacy_op("_contrib_quadratic")
def quadratic(data, a=0.0, b=0.0, c=0.0):
    """a data^2 + b data + c."""
    return a * np.square(data) + b * data + c


@legacy_op("_contrib_gradientmultiplier")
def gradientmultiplier(data, scalar=1.0, is_int=None):
    """Identity forward; the gradient multiplied by ``scalar``."""
    return data * scalar + (data - data * scalar).detach()


@legacy_op("_contrib_round_ste")
def round_ste(data):
    """round forward, identity gradient (straight-through)."""
    return data + (_unary.round(data) - data).detach()


@legacy_op("_contrib_sign_ste")
def sign_ste(data):
    """sign forward, identity gradient (straight-through)."""
    return data + (np.sign(data) - data).detach()


@legacy_op("_contrib_SyncBatchNorm", ("data", "gamma", "beta", "moving_mean", "moving_var"),
           aux=("moving_mean", "moving_var"), num_outputs=_nn._bn_outputs)
def SyncBatchNorm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
                  fix_gamma=True, use_global_stats=False, output_mean_var=False, ndev=1,
                  key=None):
    """BatchNorm whose statistics span the devices; with one process and device, BatchNorm.
    With ``output_mean_var`` its third output is the variance (BatchNorm's is 1/std)."""
    out = _nn.BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=eps,
                        momentum=momentum, fix_gamma=fix_gamma,
                        use_global_stats=use_global_stats, output_mean_var=output_mean_var)
    if not output_mean_var:
        return out
    y, mean, inv_std = out
    return [y, mean, 1.0 / np.square(inv_std) - eps]


@legacy_op("_contrib_BatchNormWithReLU", ("data", "gamma", "beta", "moving_mean",
                                          "moving_var"), aux=("moving_mean", "moving_var"))
def BatchNormWithReLU(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
                      fix_gamma=True, use_global_stats=False, output_mean_var=False, axis=1,
                      cudnn_off=False, min_calib_range=None, max_calib_range=None):
    """relu(BatchNorm(...)) (MXNet 1.9.1 has it on MKL-DNN builds only)."""
    return npx.relu(_nn.BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=eps,
                                  momentum=momentum, fix_gamma=fix_gamma,
                                  use_global_stats=use_global_stats, axis=axis))


def _log_uniform_prob(classes, range_max):
    return (np.log(classes + 2.0) - np.log(classes + 1.0)) / math.log(range_max + 1)


def rand_zipfian(true_classes, num_sampled, range_max, ctx=None):
    """[sampled classes (int64), expected counts of the true classes, of the sampled ones]:
    ``num_sampled`` draws from the log-uniform (Zipfian) distribution over [0, range_max).
    """
    ctx = true_classes.context if ctx is None else ctx
    u = np.random.uniform(0, math.log(range_max + 1), size=(num_sampled,), dtype="float64",
                          ctx=ctx)
    sampled = np.minimum(np.floor(np.exp(u)).astype("int64") - 1, range_max - 1)
    true = true_classes.astype("float64")
    expected_true = _log_uniform_prob(true, range_max) * num_sampled
    expected_sampled = _log_uniform_prob(sampled.astype("float64"), range_max) * num_sampled
    return to_nd([sampled, expected_true.astype(true_classes.dtype),
                  expected_sampled.astype(true_classes.dtype)])


CTCLoss = ctc_loss = _nn.CTCLoss  # MXNet keeps the contrib names of the CTC loss


@legacy_op("_contrib_hawkesll", ("lda", "alpha", "beta", "state", "lags", "marks",
                                 "valid_length", "max_time"), num_outputs=2)
def hawkesll(lda, alpha, beta, state, lags, marks, valid_length, max_time):
    """Log likelihood (N,) of N marked Hawkes processes with exponential kernels on (0,
    max_time], and their memory (N, K) at max_time, as MXNet's hawkesll (the events are the
    first ``valid_length`` of the ``lags``/``marks`` rows; ``state`` is the memory at 0)."""
    n, k = lda.shape
    alpha, beta = np.reshape(alpha, (1, k)), np.reshape(beta, (1, k))
    t = np.zeros((n, 1), dtype=lda.dtype, ctx=lda.context)
    last = np.zeros((n, k), dtype=lda.dtype, ctx=lda.context)
    loglik = np.zeros((n,), dtype=lda.dtype, ctx=lda.context)
    length = np.reshape(valid_length, (n, 1))
    for j in range(lags.shape[1]):
        valid = (length > j).astype(lda.dtype)
        hit = npx.one_hot(marks[:, j].astype("int32"), k, dtype=lda.dtype) * valid
        t = t + np.reshape(lags[:, j], (n, 1)) * valid
        decay = np.exp(-beta * (t - last))
        intensity = lda + alpha * beta * state * decay
        compensator = lda * (t - last) + alpha * state * (1 - decay)
        loglik = loglik + np.sum(hit * (np.log(np.where(hit > 0, intensity, 1)) - compensator),
                                 axis=1)
        state = np.where(hit > 0, 1 + state * decay, state)
        last = np.where(hit > 0, t, last)
    span = np.reshape(max_time, (n, 1)) - last
    decay = np.exp(-beta * span)
    loglik = loglik - np.sum(lda * span + alpha * state * (1 - decay), axis=1)
    return loglik, decay * state
