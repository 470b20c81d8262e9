"""SSD box ops of npx: multibox_prior, multibox_target, multibox_detection (no gradients).

Boxes are corners ``(xmin, ymin, xmax, ymax)`` in [0, 1] image units. MXNet 1.9.1 runs these
only on float32; so do we. Loops run over images in a batch, ground-truth objects (bipartite
matching) and kept boxes (NMS): counts that are small next to the anchors, which stay
vectorised.
"""
from __future__ import annotations

import numpy as onp

from ..._ndarray import ndarray
from ...base import OpError
from ..elementwise import where
from ..indexing import getitem_prim
from ..primitive import Primitive


def _require_float32(*arrays):
    for a in arrays:
        if a.dtype != onp.float32:
            raise TypeError(f"MXNet supports only float32 data here, got {a.dtype}; "
                            "cast with .astype('float32')")


def _iou(xp, a, b):
    """Intersection over union of every box in ``a`` (N, 4) with every box in ``b`` (M, 4)."""
    a, b = a[:, None, :], b[None, :, :]
    w = xp.maximum(xp.minimum(a[..., 2], b[..., 2]) - xp.maximum(a[..., 0], b[..., 0]), 0)
    h = xp.maximum(xp.minimum(a[..., 3], b[..., 3]) - xp.maximum(a[..., 1], b[..., 1]), 0)
    inter = w * h
    union = ((a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
             + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter)
    safe = xp.where(union <= 0, 1, union)
    return xp.where(union <= 0, 0, inter / safe).astype(a.dtype, copy=False)


def _centers(box):
    """Width, height and centre of corner boxes (last axis 4), in MXNet's order of operations."""
    w, h = box[..., 2] - box[..., 0], box[..., 3] - box[..., 1]
    return w, h, (box[..., 0] + box[..., 2]) / 2, (box[..., 1] + box[..., 3]) / 2


# ---- multibox_prior -------------------------------------------------------------------------
def _multibox_prior_forward(xp, data, sizes, ratios, clip, steps, offsets):
    _require_float32(data)
    if data.ndim < 4:
        raise OpError(f"data must be 4-D (batch, channel, y, x), got shape "
                         f"{data.shape}")
    f32 = onp.float32
    h, w = data.shape[2], data.shape[3]
    step_y = f32(steps[0]) if steps[0] > 0 else f32(1) / f32(h)
    step_x = f32(steps[1]) if steps[1] > 0 else f32(1) / f32(w)
    cy = (xp.arange(h, dtype=f32) + f32(offsets[0])) * step_y
    cx = (xp.arange(w, dtype=f32) + f32(offsets[1])) * step_x
    # anchors per pixel: every size with the first ratio, then the first size with each other
    # ratio (MXNet's layout: len(sizes) + len(ratios) - 1 of them)
    pairs = [(s, ratios[0]) for s in sizes] + [(sizes[0], r) for r in ratios[1:]]
    size = xp.asarray([p[0] for p in pairs], dtype=f32)
    root = xp.sqrt(xp.asarray([p[1] for p in pairs], dtype=f32))
    half_w = size * f32(h) / f32(w) * root / 2
    half_h = size / root / 2
    cx, cy = cx[None, :, None], cy[:, None, None]
    out = xp.stack(xp.broadcast_arrays(cx - half_w, cy - half_h, cx + half_w, cy + half_h), -1)
    if clip:
        out = xp.clip(out, 0, 1)
    return out.reshape(1, -1, 4)


_multibox_prior = Primitive("multibox_prior", _multibox_prior_forward)


def multibox_prior(data, sizes=(1.0,), ratios=(1.0,), clip=False, steps=(-1.0, -1.0),
                   offsets=(0.5, 0.5)):
    """Anchor boxes centred on each pixel of ``data``'s (y, x) grid: shape (1, y*x*A, 4)."""
    sizes, ratios = _floats(sizes, "sizes"), _floats(ratios, "ratios")
    steps, offsets = _floats(steps, "steps", 2), _floats(offsets, "offsets", 2)
    return _multibox_prior(data, sizes=sizes, ratios=ratios, clip=bool(clip), steps=steps,
                           offsets=offsets)


def _floats(value, what, length=None, name="multibox_prior"):
    values = (value,) if isinstance(value, (int, float)) else tuple(value)
    if not values or (length is not None and len(values) != length):
        need = f"{length} numbers" if length else "at least one number"
        raise OpError(f"{name}: {what} must hold {need}, got {value!r}")
    return tuple(float(v) for v in values)


# ---- multibox_target ------------------------------------------------------------------------
def _valid_labels(xp, label, b):
    """The ground truths of image ``b``: rows before the first padding row (class -1)."""
    rows = label[b]
    pad = onp.flatnonzero(onp.asarray(_host(xp, rows[:, 0] == -1)))
    if pad.size == 0:
        return rows
    first = int(pad[0])
    if float(rows[first, 1]) != -1:  # MXNet checks a padding row's xmin is -1 too
        raise OpError(f"padding label rows must start with -1, -1; row "
                         f"{first} of image {b} is {_host(xp, rows[first]).tolist()}")
    return rows[:first]


def _host(xp, a):
    return a.get() if xp is not onp and hasattr(a, "get") else a


def _bipartite(xp, iou, flags, best, match):
    """MXNet's greedy matching: the best remaining (anchor, object) pair, until none overlap."""
    work = iou.copy()
    for _ in range(min(iou.shape)):
        k = int(work.argmax())  # first in (anchor, object) order: MXNet's strict > scan
        j, g = divmod(k, iou.shape[1])
        if not float(work[j, g]) > 1e-6:
            break
        flags[j], best[j], match[j] = 1, work[j, g], g
        work[j, :] = -1
        work[:, g] = -1


def _mine_negatives(xp, flags, best, scores, ratio, thresh):
    """Mark the hardest negatives (highest non-background probability) as background."""
    n_pos = int((flags == 1).sum())
    n_neg = min(int(n_pos * ratio), flags.shape[0] - n_pos)
    if n_neg <= 0:
        return flags  # MXNet 1.9.1 leaves the rest ignored; minimum_negative_samples is unused
    candidate = (flags != 1) & (best < thresh)
    order = xp.argsort(xp.where(candidate, -scores, xp.inf), kind="stable")[:n_neg]
    chosen = xp.zeros_like(candidate)
    chosen[order] = True
    return xp.where(chosen & candidate, 0, flags)


def _positive_prob(xp, cls_pred):
    """Per anchor, the largest softmax probability of a non-background class."""
    top = cls_pred.max(axis=0)
    e = xp.exp(cls_pred - top)
    return e[1:].max(axis=0) / e.sum(axis=0)


def _encode(xp, anchors, gts, variances):
    aw, ah, ax, ay = _centers(anchors)
    gw, gh, gx, gy = _centers(gts)
    v = [onp.float32(x) for x in variances]
    return xp.stack([(gx - ax) / aw / v[0], (gy - ay) / ah / v[1],
                     xp.log(gw / aw) / v[2], xp.log(gh / ah) / v[3]], -1)


def _target_one(xp, anchors, gts, cls_pred, p):
    """(loc_target, loc_mask, cls_target) of one image, per anchor."""
    n = anchors.shape[0]
    flags = xp.full(n, -1, xp.int32)
    best = xp.full(n, -1, anchors.dtype)
    match = xp.zeros(n, xp.int64)
    iou = _iou(xp, anchors, gts[:, 1:5])
    _bipartite(xp, iou, flags, best, match)
    if p["overlap_threshold"] > 0:
        rest = flags != 1
        best = xp.where(rest, iou.max(axis=1), best)
        match = xp.where(rest, iou.argmax(axis=1), match)
        flags = xp.where(rest & (best > p["overlap_threshold"]), 1, flags)
    if p["negative_mining_ratio"] > 0:
        flags = _mine_negatives(xp, flags, best, _positive_prob(xp, cls_pred),
                                p["negative_mining_ratio"], p["negative_mining_thresh"])
    else:
        flags = xp.where(flags == 1, 1, 0)
    pos = flags == 1
    cls = xp.where(pos, gts[match, 0] + 1, xp.where(flags == 0, 0, p["ignore_label"]))
    loc = xp.where(pos[:, None], _encode(xp, anchors, gts[match, 1:5], p["variances"]), 0)
    return loc.reshape(-1), xp.repeat(pos, 4).astype(anchors.dtype), cls.astype(anchors.dtype)


def _multibox_target_forward(xp, anchor, label, cls_pred, **p):
    _require_float32(anchor, label, cls_pred)
    if anchor.ndim != 3 or anchor.shape[2] != 4:
        raise OpError(f"anchor must have shape (1, N, 4), got {anchor.shape}")
    if label.ndim != 3 or label.shape[2] < 5:
        raise OpError(f"label must have shape (batch, objects, >=5) with "
                         f"rows [class, xmin, ymin, xmax, ymax], got {label.shape}")
    anchors = anchor.reshape(-1, 4)
    if cls_pred.ndim != 3 or cls_pred.shape[2] != anchors.shape[0]:
        raise OpError(f"cls_pred must have shape (batch, classes, "
                         f"{anchors.shape[0]}), got {cls_pred.shape}")
    batch, n = label.shape[0], anchors.shape[0]
    loc = xp.zeros((batch, n * 4), anchor.dtype)
    mask = xp.zeros((batch, n * 4), anchor.dtype)
    cls = xp.full((batch, n), p["ignore_label"], anchor.dtype)
    for b in range(batch):
        gts = _valid_labels(xp, label, b)
        if gts.shape[0]:
            loc[b], mask[b], cls[b] = _target_one(xp, anchors, gts, cls_pred[b], p)
    return loc, mask, cls


_multibox_target = Primitive("multibox_target", _multibox_target_forward)


def multibox_target(anchor, label, cls_pred, overlap_threshold=0.5, ignore_label=-1,
                    negative_mining_ratio=-1, negative_mining_thresh=0.5,
                    minimum_negative_samples=0, variances=(0.1, 0.1, 0.2, 0.2)):
    """Training targets for anchors: [box offsets (B, 4N), box mask (B, 4N), classes (B, N)].

    As in MXNet 1.9.1, ``minimum_negative_samples`` is accepted and has no effect.
    """
    return _multibox_target(
        anchor, label, cls_pred, overlap_threshold=float(overlap_threshold),
        ignore_label=float(ignore_label), negative_mining_ratio=float(negative_mining_ratio),
        negative_mining_thresh=float(negative_mining_thresh),
        variances=_floats(variances, "variances", 4, "multibox_target"))


# ---- multibox_detection ---------------------------------------------------------------------
def _decode(xp, anchors, loc, variances, clip):
    aw, ah, ax, ay = _centers(anchors)
    v = [onp.float32(x) for x in variances]
    ox, oy = loc[..., 0] * v[0] * aw + ax, loc[..., 1] * v[1] * ah + ay
    ow, oh = xp.exp(loc[..., 2] * v[2]) * aw / 2, xp.exp(loc[..., 3] * v[3]) * ah / 2
    out = xp.stack([ox - ow, oy - oh, ox + ow, oy + oh], -1)
    return xp.clip(out, 0, 1) if clip else out


def _nms(xp, rows, threshold, force):
    """Greedy NMS in place on sorted rows [class, score, box]: a suppressed row gets class -1."""
    for i in range(rows.shape[0]):
        if float(rows[i, 0]) < 0:
            continue
        later = rows[i + 1:]
        same = (later[:, 0] >= 0) & ((later[:, 0] == rows[i, 0]) | force)
        hit = same & (_iou(xp, rows[i:i + 1, 2:], later[:, 2:])[0] >= threshold)
        later[:, 0] = xp.where(hit, -1, later[:, 0])


def _detect_one(xp, rows, p):
    """Sorted, top-k-cut and suppressed detections of one image (MXNet's quirks included)."""
    order = xp.argsort(-rows[:, 1], kind="stable")
    keep = rows.shape[0] if p["nms_topk"] <= 0 else min(p["nms_topk"], rows.shape[0])
    out = rows.copy()  # rows past the top k keep their unsorted values, marked class -1
    out[:keep] = rows[order[:keep]]
    out[keep:, 0] = -1
    _nms(xp, out, p["nms_threshold"], p["force_suppress"])
    return out


def _multibox_detection_forward(xp, cls_prob, loc_pred, anchor, **p):
    _require_float32(cls_prob, loc_pred, anchor)
    if cls_prob.ndim != 3 or anchor.ndim != 3 or anchor.shape[2] != 4:
        raise OpError(f"expected cls_prob (batch, classes, N) and anchor "
                         f"(1, N, 4), got {cls_prob.shape} and {anchor.shape}")
    batch, _, n = cls_prob.shape
    if loc_pred.shape != (batch, n * 4) or anchor.shape[1] != n:
        raise OpError(f"{n} anchors in cls_prob need loc_pred of shape "
                         f"{(batch, n * 4)} and anchor (1, {n}, 4), got {loc_pred.shape} and "
                         f"{anchor.shape}")
    boxes = _decode(xp, anchor[0], loc_pred.reshape(batch, n, 4), p["variances"], p["clip"])
    # class 0 is background, whatever background_id says (MXNet 1.9.1 ignores it)
    score, cid = cls_prob[:, 1:].max(axis=1), cls_prob[:, 1:].argmax(axis=1)
    valid = (score > -1) & ~(score < p["threshold"])
    rows = xp.concatenate([cid[..., None].astype(boxes.dtype), score[..., None], boxes], -1)
    out = xp.full((batch, n, 6), -1, boxes.dtype)
    for b in range(batch):
        found = rows[b][valid[b]]
        if found.shape[0] and 0 < p["nms_threshold"] <= 1:
            found = _detect_one(xp, found, p)
        out[b, :found.shape[0]] = found
    return out


_multibox_detection = Primitive("multibox_detection", _multibox_detection_forward)


def multibox_detection(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, background_id=0,
                       nms_threshold=0.5, force_suppress=False, variances=(0.1, 0.1, 0.2, 0.2),
                       nms_topk=-1):
    """Decoded, non-maximum-suppressed detections: (B, N, 6) rows [class, score, box].

    Rows past the detections are -1; suppressed rows keep their values with class -1. As in
    MXNet 1.9.1, ``background_id`` is accepted and class 0 is the background.
    """
    return _multibox_detection(
        cls_prob, loc_pred, anchor, clip=bool(clip), threshold=float(threshold),
        nms_threshold=float(nms_threshold), force_suppress=bool(force_suppress),
        variances=_floats(variances, "variances", 4, "multibox_detection"),
        nms_topk=int(nms_topk))


__all__ = ["multibox_detection", "multibox_prior", "multibox_target"]


# ---- roi_pooling ----------------------------------------------------------------------------
def _c_round(xp, v):
    """C's round(): halves go away from zero (NumPy's rint would go to even)."""
    return (xp.sign(v) * xp.floor(xp.abs(v) + 0.5)).astype(xp.int64)


def _bins(xp, start, end, pooled, limit, dtype):
    """Each ROI's bin edges [lo, hi) along one axis, as MXNet cuts them (R, pooled)."""
    span = xp.maximum(end - start + 1, 1).astype(dtype)  # a malformed ROI becomes 1 pixel
    size = span / dtype.type(pooled)
    k = xp.arange(pooled, dtype=dtype)
    lo = xp.floor(k * size[:, None]).astype(xp.int64) + start[:, None]
    hi = xp.ceil((k + 1) * size[:, None]).astype(xp.int64) + start[:, None]
    return xp.clip(lo, 0, limit), xp.clip(hi, 0, limit)


def _roi_argmax(xp, data, rois, pooled_size, spatial_scale):
    """The index key of each bin's maximum in ``data``, and which bins are empty."""
    n, c, h, w = data.shape
    scaled = rois[:, 1:5] * data.dtype.type(spatial_scale)
    sw, sh, ew, eh = (_c_round(xp, scaled[:, i]) for i in range(4))
    batch = rois[:, 0].astype(xp.int64)  # C's cast: truncated toward zero
    hlo, hhi = _bins(xp, sh, eh, pooled_size[0], h, data.dtype)
    wlo, whi = _bins(xp, sw, ew, pooled_size[1], w, data.dtype)
    inside = (batch >= 0) & (batch < n)
    empty = ((hhi <= hlo)[:, :, None] | (whi <= wlo)[:, None, :]) | ~inside[:, None, None]
    crops = data[xp.clip(batch, 0, n - 1)]  # (R, C, H, W)
    # the max over a rectangle is the max over rows of the max within each row; the first
    # row holding it, then its first column, is the first maximum in row-major order (MXNet's)
    wpos, hpos = xp.arange(w), xp.arange(h)
    in_w = (wpos >= wlo[..., None]) & (wpos < whi[..., None])  # (R, pw, W)
    vals = xp.where(in_w[:, None, None], crops[:, :, :, None, :], -xp.inf)  # (R,C,H,pw,W)
    row_max, row_arg = vals.max(-1), vals.argmax(-1)  # (R, C, H, pw)
    in_h = (hpos >= hlo[..., None]) & (hpos < hhi[..., None])  # (R, ph, H)
    cols = xp.moveaxis(row_max, 2, 3)[:, :, None]  # (R, C, 1, pw, H)
    best_h = xp.where(in_h[:, None, :, None, :], cols, -xp.inf).argmax(-1)  # (R, C, ph, pw)
    best_w = xp.take_along_axis(xp.moveaxis(row_arg, 2, 3), xp.moveaxis(best_h, 2, 3), -1)
    best_w = xp.moveaxis(best_w, 3, 2)
    key = (xp.clip(batch, 0, n - 1)[:, None, None, None], xp.arange(c)[None, :, None, None],
           best_h, best_w)
    return key, empty[:, None]


def _roi_index_forward(xp, data, rois, pooled_size, spatial_scale):
    if data.ndim != 4 or rois.ndim != 2 or rois.shape[1] != 5:
        raise OpError(f"expected data (batch, channel, y, x) and rois (R, 5) "
                         f"rows [batch, x1, y1, x2, y2], got {data.shape} and {rois.shape}")
    if rois.dtype != data.dtype:
        raise TypeError(f"rois ({rois.dtype}) must have data's dtype "
                        f"({data.dtype})")
    key, empty = _roi_argmax(xp, data, rois, pooled_size, spatial_scale)
    return xp.stack(list(xp.broadcast_arrays(*key)) + [xp.broadcast_to(empty, key[2].shape)])


_roi_index = Primitive("roi_pooling", _roi_index_forward)


def roi_pooling(data, rois, pooled_size, spatial_scale):
    """Max pooling of each region of interest into a ``pooled_size`` grid: (R, C, ph, pw).

    Written as a gather of each bin's maximum, so its gradient (to ``data``) is the gather's.
    """
    pooled = (pooled_size,) if isinstance(pooled_size, int) else tuple(pooled_size)
    if len(pooled) != 2 or any(int(p) < 1 for p in pooled):
        raise OpError(f"roi_pooling: pooled_size must be two positive ints (height, width), "
                         f"got {pooled_size!r}")
    index = _roi_index(data, rois, pooled_size=tuple(int(p) for p in pooled),
                       spatial_scale=float(spatial_scale))._data
    out = getitem_prim(data, key=tuple(index[:4]))
    return where(_wrap_bool(index[4], data), 0.0, out).astype(data.dtype, copy=False)


def _wrap_bool(raw, like):
    out = object.__new__(ndarray)
    out._data, out._device, out._node = raw.astype(bool), like._device, None
    return out
