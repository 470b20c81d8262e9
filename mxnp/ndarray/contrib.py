"""``mx.nd.contrib``: the contrib operators GluonCV and GluonNLP call, as np/npx composites.

The detection helpers that pick boxes by their values (``box_nms``, ``bipartite_matching``)
read the scores on the host and build their result from the chosen rows; they carry no
gradient (MXNet's box_nms passes one back to the kept rows; see docs/differences.md).
"""
from __future__ import annotations

import math

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from .._ops import legacy as _legacy
from . import _unary
from ._control_flow import cond, foreach, while_loop
from ._define import legacy_op

__all__ = [
    "AdaptiveAvgPooling2D",
    "BilinearResize2D",
    "MultiBoxDetection",
    "MultiBoxPrior",
    "MultiBoxTarget",
    "allclose",
    "arange_like",
    "bipartite_matching",
    "boolean_mask",
    "box_iou",
    "box_nms",
    "box_non_maximum_suppression",
    "cond",
    "div_sqrt_dim",
    "foreach",
    "gradientmultiplier",
    "index_array",
    "index_copy",
    "interleaved_matmul_encdec_qk",
    "interleaved_matmul_encdec_valatt",
    "interleaved_matmul_selfatt_qk",
    "interleaved_matmul_selfatt_valatt",
    "isfinite",
    "isinf",
    "isnan",
    "quadratic",
    "round_ste",
    "sign_ste",
    "while_loop",
]


def _corners(box, fmt):
    if fmt == "center":
        x, y, w, h = (box[..., i] for i in range(4))
        return x - w / 2, y - h / 2, x + w / 2, y + h / 2
    return tuple(box[..., i] for i in range(4))


@legacy_op("_contrib_box_iou", ("lhs", "rhs"))
def box_iou(lhs, rhs, format="corner"):
    """Intersection over union of every lhs box (..., 4) with every rhs box (..., 4)."""
    l0, t0, r0, b0 = (np.expand_dims(c, -1) for c in _corners(lhs, format))
    rhs_flat = np.reshape(rhs, (-1, 4))
    l1, t1, r1, b1 = _corners(rhs_flat, format)
    w = np.maximum(np.minimum(r0, r1) - np.maximum(l0, l1), 0)
    h = np.maximum(np.minimum(b0, b1) - np.maximum(t0, t1), 0)
    inter = w * h
    union = (r0 - l0) * (b0 - t0) + (r1 - l1) * (b1 - t1) - inter
    out = inter / np.maximum(union, 1e-12)
    return np.reshape(out, lhs.shape[:-1] + rhs.shape[:-1])


def _iou_host(a, b):
    w = max(min(a[2], b[2]) - max(a[0], b[0]), 0.0)
    h = max(min(a[3], b[3]) - max(a[1], b[1]), 0.0)
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _nms_rows(rows, p):
    """The kept rows of one batch entry, best score first (MXNet's greedy NMS)."""
    s, c, idx = p["score_index"], p["coord_start"], p["id_index"]
    valid = [r for r in rows if r[s] > p["valid_thresh"]
             and (idx < 0 or p["background_id"] < 0 or r[idx] != p["background_id"])]
    valid.sort(key=lambda r: -r[s])
    if p["topk"] > 0:
        valid = valid[:p["topk"]]
    kept = []
    for r in valid:
        box = _host_corners(r[c:c + 4], p["in_format"])
        if all(_iou_host(box, _host_corners(k[c:c + 4], p["in_format"])) <= p["overlap_thresh"]
               for k in kept if p["force_suppress"] or idx < 0 or k[idx] == r[idx]):
            kept.append(r)
    return kept


def _host_corners(b, fmt):
    if fmt == "center":
        return (b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2)
    return tuple(b)


@legacy_op("_contrib_box_nms", aliases=("_contrib_box_non_maximum_suppression",))
def box_nms(data, overlap_thresh=0.5, valid_thresh=0.0, topk=-1, coord_start=2, score_index=1,
            id_index=-1, background_id=-1, force_suppress=False, in_format="corner",
            out_format="corner"):
    """Greedy non-maximum suppression per batch entry: kept rows sorted by score, the rest -1."""
    p = {"overlap_thresh": overlap_thresh, "valid_thresh": valid_thresh, "topk": topk,
         "coord_start": coord_start, "score_index": score_index, "id_index": id_index,
         "background_id": background_id, "force_suppress": force_suppress,
         "in_format": in_format}
    host = data.asnumpy()
    flat = host.reshape((-1,) + host.shape[-2:])
    out = onp.full_like(flat, -1)
    for b, rows in enumerate(flat):
        kept = _nms_rows(list(rows), p)
        if kept:
            out[b, :len(kept)] = kept
    if out_format != in_format:
        out = _convert_format(out, coord_start, out_format)
    return np.array(out.reshape(host.shape), dtype=data.dtype, ctx=data.context)


def _convert_format(rows, c, fmt):
    valid = rows[..., 0] != -1
    a, b, x, y = (rows[..., c + i].copy() for i in range(4))
    if fmt == "center":
        new = ((a + x) / 2, (b + y) / 2, x - a, y - b)
    else:
        new = (a - x / 2, b - y / 2, a + x / 2, b + y / 2)
    for i, v in enumerate(new):
        rows[..., c + i] = onp.where(valid, v, -1)
    return rows


box_non_maximum_suppression = box_nms


@legacy_op("_contrib_bipartite_matching", num_outputs=2)
def bipartite_matching(data, is_ascend=False, threshold=None, topk=-1):
    """Greedy matching on a (..., N, M) score matrix: [row -> column, column -> row], -1 for
    none.
    """
    host = data.asnumpy()
    flat = host.reshape((-1,) + host.shape[-2:])
    rows = onp.full(flat.shape[:2], -1, dtype=host.dtype)
    cols = onp.full((flat.shape[0], flat.shape[2]), -1, dtype=host.dtype)
    for b, scores in enumerate(flat):
        order = onp.argsort(scores, axis=None, kind="stable")
        order = order if is_ascend else order[::-1]
        matched = 0
        for k in order:
            i, j = divmod(int(k), scores.shape[1])
            v = scores[i, j]
            if threshold is not None and (v > threshold if is_ascend else v < threshold):
                break
            if rows[b, i] == -1 and cols[b, j] == -1 and (topk < 0 or matched < topk):
                rows[b, i], cols[b, j] = j, i
                matched += 1
    return [np.array(rows.reshape(host.shape[:-1]), ctx=data.context),
            np.array(cols.reshape(host.shape[:-2] + host.shape[-1:]), ctx=data.context)]


@legacy_op("_contrib_MultiBoxPrior", aliases=("MultiBoxPrior",))
def MultiBoxPrior(data, sizes=(1.0,), ratios=(1.0,), clip=False, steps=(-1.0, -1.0),
                  offsets=(0.5, 0.5)):
    """SSD anchor boxes for each pixel of ``data``'s feature map."""
    return npx.multibox_prior(data, sizes=tuple(sizes), ratios=tuple(ratios), clip=clip,
                              steps=tuple(steps), offsets=tuple(offsets))


@legacy_op("_contrib_MultiBoxTarget", ("anchor", "label", "cls_pred"),
           aliases=("MultiBoxTarget",), num_outputs=3)
def MultiBoxTarget(anchor, label, cls_pred, overlap_threshold=0.5, ignore_label=-1,
                   negative_mining_ratio=-1, negative_mining_thresh=0.5,
                   minimum_negative_samples=0, variances=(0.1, 0.1, 0.2, 0.2)):
    """SSD training targets: [box targets, box masks, class targets]."""
    return list(npx.multibox_target(
        anchor, label, cls_pred, overlap_threshold=overlap_threshold, ignore_label=ignore_label,
        negative_mining_ratio=negative_mining_ratio,
        negative_mining_thresh=negative_mining_thresh,
        minimum_negative_samples=minimum_negative_samples, variances=tuple(variances)))


@legacy_op("_contrib_MultiBoxDetection", ("cls_prob", "loc_pred", "anchor"),
           aliases=("MultiBoxDetection",))
def MultiBoxDetection(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, background_id=0,
                      nms_threshold=0.5, force_suppress=False,
                      variances=(0.1, 0.1, 0.2, 0.2), nms_topk=-1):
    """SSD detections: decoded, thresholded and suppressed boxes."""
    return npx.multibox_detection(cls_prob, loc_pred, anchor, clip=clip, threshold=threshold,
                                  background_id=background_id, nms_threshold=nms_threshold,
                                  force_suppress=force_suppress, variances=tuple(variances),
                                  nms_topk=nms_topk)


@legacy_op("_contrib_arange_like")
def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None):
    """0, 1, 2 ... in ``data``'s shape (or along one ``axis``)."""
    return npx.arange_like(data, start=start, step=step, repeat=repeat, ctx=ctx, axis=axis)


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


@legacy_op("_contrib_BilinearResize2D", aliases=("BilinearResize2D",))
def BilinearResize2D(data, like=None, height=1, width=1, scale_height=None, scale_width=None,
                     mode="size", align_corners=True):
    """NCHW bilinear resize to (height, width) (or by the scales)."""
    h, w = data.shape[2:]
    if scale_height is not None:
        height, width = int(h * scale_height), int(w * scale_width)
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


@legacy_op("_contrib_allclose", ("a", "b"))
def allclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=True):
    """1 (a 0-d int array) when every |a - b| <= atol + rtol |b|, else 0."""
    close = np.abs(a - b) <= atol + rtol * np.abs(b)
    if equal_nan:
        close = np.logical_or(close, np.logical_and(np.isnan(a), np.isnan(b)))
    return np.all(close).astype("int32")


@legacy_op("_contrib_index_array")
def index_array(data, axes=None):
    """Each position's index (over all axes, or ``axes``) along a new last axis, int64."""
    axes = tuple(range(data.ndim)) if axes is None else tuple(axes)
    grids = onp.indices(data.shape)[list(axes)]
    return np.array(onp.moveaxis(grids, 0, -1), dtype="int64", ctx=data.context)


@legacy_op("_contrib_quadratic")
def quadratic(data, a=0.0, b=0.0, c=0.0):
    """a data^2 + b data + c."""
    return a * np.square(data) + b * data + c


@legacy_op("_contrib_gradientmultiplier")
def gradientmultiplier(data, scalar=1.0):
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
