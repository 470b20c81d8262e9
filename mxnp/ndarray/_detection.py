"""``mx.nd.contrib``'s detection operators: box IoU, NMS, matching, SSD's MultiBox family,
box encoding/decoding and ROIAlign.

The helpers that pick boxes by their values (``box_nms``, ``bipartite_matching``) read the
scores on the host and build their result from the chosen rows; box_nms passes the gradient
of each kept row back to its input row as MXNet does, bipartite_matching carries none. ROIAlign reads the boxes on the host too;
its gradient reaches the features (MXNet gives none to the boxes either).
"""
from __future__ import annotations

import math

import numpy as onp

from .. import autograd
from .. import numpy as np
from .. import numpy_extension as npx
from ..base import MXNetError
from ._define import legacy_op


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
             and (idx < 0 or r[idx] != p["background_id"])]  # -1: MXNet's default too
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
    source = onp.full(flat.shape[:2], -1)  # the input row each output row comes from
    for b, rows in enumerate(flat):
        rows = list(rows)
        at = {id(r): i for i, r in enumerate(rows)}
        kept = _nms_rows(rows, p)
        if kept:
            out[b, :len(kept)] = kept
            source[b, :len(kept)] = [at[id(r)] for r in kept]
    if out_format != in_format:
        out = _convert_format(out, coord_start, out_format)
    result = np.array(out.reshape(host.shape), dtype=data.dtype, ctx=data.context)
    if not autograd.is_recording():
        return result
    # MXNet's backward hands each output row's gradient to the row it came from (whatever the
    # formats), the suppressed rows get none: the kept rows gathered, their values replaced
    taken = np.take_along_axis(np.reshape(data, flat.shape),
                               np.array(onp.maximum(source, 0)[..., None], dtype="int64",
                                        ctx=data.context), axis=1)
    taken = taken * np.array((source >= 0)[..., None], dtype=data.dtype, ctx=data.context)
    taken = np.reshape(taken, host.shape)
    return taken + (result - taken).detach()


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


def _centers_of(box, fmt):
    """(cx, cy, w, h) of (..., 4) boxes in corner or center format."""
    if fmt == "center":
        return tuple(box[..., i] for i in range(4))
    x1, y1, x2, y2 = (box[..., i] for i in range(4))
    return (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1


@legacy_op("_contrib_box_encode", ("samples", "matches", "anchors", "refs", "means", "stds"),
           num_outputs=2)
def box_encode(samples, matches, anchors, refs, means, stds):
    """[targets, masks]: each positive sample's matched reference box relative to its anchor
    (center offsets over the anchor size, log size ratios), normalised by means and stds.
    """
    index = np.expand_dims(matches.astype("int64"), -1)
    ref = np.take_along_axis(refs, np.broadcast_to(index, matches.shape + (4,)), axis=1)
    gx, gy, gw, gh = _centers_of(ref, "corner")
    ax, ay, aw, ah = _centers_of(anchors, "corner")
    raw = np.stack([(gx - ax) / aw, (gy - ay) / ah, np.log(gw / aw), np.log(gh / ah)], axis=-1)
    mask = np.broadcast_to(np.expand_dims((samples > 0.5).astype(anchors.dtype), -1), raw.shape)
    return [np.where(mask > 0, (raw - means) / stds, 0), mask]


@legacy_op("_contrib_box_decode", ("data", "anchors"))
def box_decode(data, anchors, std0=1.0, std1=1.0, std2=1.0, std3=1.0, clip=-1.0,
               format="center"):
    """Corner boxes from encoded offsets ``data`` against ``anchors`` (in ``format``)."""
    ax, ay, aw, ah = _centers_of(anchors, format)
    dw, dh = data[..., 2] * std2, data[..., 3] * std3
    if clip > 0:
        dw, dh = np.minimum(dw, clip), np.minimum(dh, clip)
    cx, cy = data[..., 0] * std0 * aw + ax, data[..., 1] * std1 * ah + ay
    w, h = np.exp(dw) * aw / 2, np.exp(dh) * ah / 2
    return np.stack([cx - w, cy - h, cx + w, cy + h], axis=-1)


def _roi_taps(box, pooled, size, ratio, aligned):
    """Per axis: the sample positions of every bin (pooled, ratio), clamped as MXNet does,
    their lower/upper pixel indices, the upper weight, and which samples lie on the image.
    """
    start, end = box
    if not aligned:
        end = max(end, start + 1.0)  # MXNet's legacy mode: at least one pixel
    step = (end - start) / pooled
    count = ratio if ratio > 0 else max(math.ceil(step), 1)
    pos = start + step * (onp.arange(pooled)[:, None] + (onp.arange(count)[None, :] + 0.5) / count)
    return _bilinear_taps(pos, size)


def _bilinear_sum(image, ytaps, xtaps):
    """(channels, *positions) bilinear samples of ``image`` (channels, h, w) at the positions
    whose per-axis taps (``_bilinear_taps``) broadcast together; 0 off the image."""
    c, h, w = image.shape
    flat = np.reshape(image, (c, h * w))
    (ylo, yhi, yf, yok), (xlo, xhi, xf, xok) = ytaps, xtaps
    acc = None
    for rows, wy in ((ylo, 1 - yf), (yhi, yf)):
        for cols, wx in ((xlo, 1 - xf), (xhi, xf)):
            index = rows * w + cols
            taps = np.take(flat, np.array(index.ravel(), ctx=image.context), axis=1)
            weight = np.array(wy * wx * (yok & xok), dtype=image.dtype, ctx=image.context)
            term = np.reshape(taps, (c,) + index.shape) * weight
            acc = term if acc is None else acc + term
    return acc


def _bilinear_taps(pos, size):
    """Bilinear taps along one axis as MXNet's ROI kernels take them: positions past -1 or
    ``size`` are off the image, the rest clamped at 0; the lower/upper pixels and the upper
    weight (0 at the last pixel)."""
    valid = (pos >= -1.0) & (pos <= size)
    pos = onp.clip(pos, 0, None)
    low = onp.minimum(onp.floor(pos).astype(onp.int64), size - 1)
    high = onp.minimum(low + 1, size - 1)
    return low, high, onp.where(low >= size - 1, 0.0, pos - low), valid


@legacy_op("_contrib_RROIAlign", ("data", "rois"))
def RROIAlign(data, rois, pooled_size, spatial_scale, sampling_ratio=-1):
    """ROIAlign over rotated regions (batch, centre x, centre y, width, height, angle in
    degrees, counter-clockwise): the average of bilinear samples on each bin's grid."""
    ph, pw = (pooled_size, pooled_size) if isinstance(pooled_size, int) else pooled_size
    _, c, h, w = data.shape
    outs = []
    for roi in rois.asnumpy().astype("float64"):
        cx, cy, rw, rh = roi[1:5] * spatial_scale
        theta = roi[5] * math.pi / 180.0
        rw, rh = max(rw, 1.0), max(rh, 1.0)
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(rh / ph)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(rw / pw)
        yy = -rh / 2 + rh / ph * (onp.arange(ph)[:, None] + (onp.arange(gh)[None, :] + 0.5) / gh)
        xx = -rw / 2 + rw / pw * (onp.arange(pw)[:, None] + (onp.arange(gw)[None, :] + 0.5) / gw)
        yy, xx = yy[:, :, None, None], xx[None, None, :, :]
        ys = yy * math.cos(theta) - xx * math.sin(theta) + cy  # (ph, gh, pw, gw)
        xs = xx * math.cos(theta) + yy * math.sin(theta) + cx
        acc = _bilinear_sum(data[int(roi[0])], _bilinear_taps(ys, h), _bilinear_taps(xs, w))
        outs.append(np.mean(acc, axis=(2, 4)))
    return np.stack(outs) if outs else np.zeros((0, c, ph, pw), dtype=data.dtype,
                                                ctx=data.context)


def _psroi_bins(lo, hi, size, dtype):
    """Along one axis of MXNet's PSROIPooling bins: which positions each bin covers,
    floor(lo)..ceil(hi)-1 clipped to the image, as a (bins, size) 0/1 matrix, and how many."""
    start = onp.clip(onp.floor(lo), 0, size).astype(onp.int64)
    end = onp.clip(onp.ceil(hi), 0, size).astype(onp.int64)
    pos = onp.arange(size)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return inside.astype(dtype), onp.maximum(end - start, 0)


@legacy_op("_contrib_PSROIPooling", ("data", "rois"), aliases=("PSROIPooling",))
def PSROIPooling(data, rois, spatial_scale, output_dim, pooled_size, group_size=0):
    """Position-sensitive ROI pooling (R-FCN): bin (i, j) of output channel ``k`` averages its
    region of input channel ``(k * group_size + gi) * group_size + gj``; (R, output_dim,
    pooled_size, pooled_size). The region corners are rounded, as MXNet does."""
    group = group_size if group_size > 0 else pooled_size
    if data.ndim != 4 or data.shape[1] != output_dim * group * group:
        raise ValueError(f"PSROIPooling: data must be (batch, output_dim * group_size**2 = "
                         f"{output_dim * group * group}, height, width), got {data.shape}")
    _, _, h, w = data.shape
    dt = onp.dtype(data.dtype).type  # the bins computed in data's precision, as MXNet's kernel
    bins = onp.arange(pooled_size, dtype=dt)
    gidx = onp.clip(onp.floor(onp.arange(pooled_size) * group / pooled_size), 0, group - 1)
    chan = ((onp.arange(output_dim)[:, None, None] * group + gidx[None, :, None]) * group
            + gidx[None, None, :]).astype(onp.int64)  # (output_dim, ph, pw)
    outs = []
    for roi in rois.asnumpy().astype(dt):
        x0, y0 = dt(onp.round(roi[1])) * dt(spatial_scale), dt(onp.round(roi[2])) * dt(spatial_scale)
        x1 = (dt(onp.round(roi[3])) + dt(1)) * dt(spatial_scale)
        y1 = (dt(onp.round(roi[4])) + dt(1)) * dt(spatial_scale)
        bh, bw = max(y1 - y0, dt(0.1)) / dt(pooled_size), max(x1 - x0, dt(0.1)) / dt(pooled_size)
        wy, ny = _psroi_bins(bins * bh + y0, (bins + 1) * bh + y0, h, data.dtype)
        wx, nx = _psroi_bins(bins * bw + x0, (bins + 1) * bw + x0, w, data.dtype)
        picked = data[int(roi[0])][chan]  # (output_dim, ph, pw, H, W)
        total = np.einsum("kijyx,iy,jx->kij", picked, np.array(wy), np.array(wx))
        area = (ny[:, None] * nx[None, :]).astype(data.dtype)  # an empty bin's sum is 0
        outs.append(total / np.array(onp.maximum(area, 1)))
    return np.stack(outs) if outs else np.zeros((0, output_dim, pooled_size, pooled_size),
                                                dtype=data.dtype, ctx=data.context)


_F32 = onp.float32


def _rpn_anchors(stride, ratios, scales):
    """Faster R-CNN's base anchors (A, 4) for one ``stride`` cell, ratios outer and scales
    inner, in float32 as MXNet's Proposal computes them."""
    w = h = _F32(stride)  # the base box (0, 0, stride - 1, stride - 1)
    ctr = _F32(0.5) * (w - _F32(1))
    out = []
    for ratio in ratios:
        for scale in scales:
            ratio, scale = _F32(ratio), _F32(scale)
            new_w = onp.floor(onp.sqrt(onp.floor(w * h / ratio)) + _F32(0.5)) * scale
            new_h = onp.floor(new_w / scale * ratio + _F32(0.5)) * scale
            out.append([ctr - _F32(0.5) * (new_w - _F32(1)), ctr - _F32(0.5) * (new_h - _F32(1)),
                        ctr + _F32(0.5) * (new_w - _F32(1)), ctr + _F32(0.5) * (new_h - _F32(1))])
    return onp.array(out, dtype=_F32)


def _rpn_image(scores, deltas, info, p):
    """One image's proposals: (rpn_post_nms_top_n, 5) boxes with their scores last."""
    stride = p["feature_stride"]
    n_anchor, height, width = scores.shape
    base = _rpn_anchors(stride, p["ratios"], p["scales"])
    ys, xs = onp.meshgrid(onp.arange(height), onp.arange(width), indexing="ij")
    shift = (onp.stack([xs, ys, xs, ys], -1) * stride).astype(_F32)  # (H, W, 4)
    boxes = (base[None, None] + shift[:, :, None]).reshape(-1, 4)  # row (h * W + w) * A + a
    d = deltas.reshape(n_anchor, 4, height, width).transpose(2, 3, 0, 1).reshape(-1, 4)
    score = scores.transpose(1, 2, 0).reshape(-1).copy()
    im_h, im_w, im_scale = (_F32(v) for v in info)
    one, half = _F32(1), _F32(0.5)
    if p["iou_loss"]:
        pred = boxes + d
    else:
        bw, bh = boxes[:, 2] - boxes[:, 0] + one, boxes[:, 3] - boxes[:, 1] + one
        cx, cy = boxes[:, 0] + half * (bw - one), boxes[:, 1] + half * (bh - one)
        px, py = d[:, 0] * bw + cx, d[:, 1] * bh + cy
        pw = onp.exp(d[:, 2].astype(onp.float64)).astype(_F32) * bw
        ph = onp.exp(d[:, 3].astype(onp.float64)).astype(_F32) * bh
        pred = onp.stack([px - half * (pw - one), py - half * (ph - one),
                          px + half * (pw - one), py + half * (ph - one)], 1)
    pred = onp.clip(pred, _F32(0), onp.array([im_w, im_h, im_w, im_h]) - one).astype(_F32)
    real_h, real_w = int(im_h / _F32(stride)), int(im_w / _F32(stride))
    for name, size, real in (("height", height, real_h), ("width", width, real_w)):
        if size < real:  # MXNet's check: im_info larger than the feature map covers
            raise MXNetError(f"Check failed: {name} >= real_{name} ({size} vs. {real}) : "
                             f"{size} {real}")
    padded = ((ys >= real_h) | (xs >= real_w))[:, :, None].repeat(n_anchor, 2).reshape(-1)
    score[padded] = -1
    min_size = _F32(p["rpn_min_size"]) * im_scale
    small = (pred[:, 2] - pred[:, 0] + one < min_size) | (pred[:, 3] - pred[:, 1] + one < min_size)
    pred[small] += onp.array([-1, -1, 1, 1], dtype=_F32) * (min_size / _F32(2))
    score[small] = -1
    count = len(score)
    pre = min(p["rpn_pre_nms_top_n"] if p["rpn_pre_nms_top_n"] > 0 else count, count)
    post = min(p["rpn_post_nms_top_n"], pre)
    order = onp.argsort(-score, kind="stable")[:pre]  # MXNet's std::sort leaves ties unordered
    dets = onp.concatenate([pred[order], score[order, None]], 1)
    area = (dets[:, 2] - dets[:, 0] + one) * (dets[:, 3] - dets[:, 1] + one)
    suppressed = onp.zeros(pre, dtype=bool)
    keep = []
    for i in range(pre):
        if len(keep) >= post:
            break
        if suppressed[i]:
            continue
        keep.append(i)
        w = onp.maximum(_F32(0), onp.minimum(dets[i, 2], dets[i + 1:, 2])
                        - onp.maximum(dets[i, 0], dets[i + 1:, 0]) + one)
        h = onp.maximum(_F32(0), onp.minimum(dets[i, 3], dets[i + 1:, 3])
                        - onp.maximum(dets[i, 1], dets[i + 1:, 1]) + one)
        inter = w * h
        suppressed[i + 1:] |= inter / (area[i] + area[i + 1:] - inter) > _F32(p["threshold"])
    rows = onp.array(keep)[onp.arange(p["rpn_post_nms_top_n"]) % len(keep)]
    return dets[rows]


def _proposal(op, cls_prob, bbox_pred, im_info, params):
    if cls_prob.ndim != 4 or cls_prob.shape[1] % 2 or bbox_pred.shape != (
            cls_prob.shape[0], cls_prob.shape[1] * 2) + cls_prob.shape[2:] or \
            im_info.shape != (cls_prob.shape[0], 3):
        raise MXNetError(f"{op}: expected cls_prob (N, 2A, H, W), bbox_pred (N, 4A, H, W) and "
                         f"im_info (N, 3), got {cls_prob.shape}, {bbox_pred.shape} and "
                         f"{im_info.shape}")
    n_anchor = cls_prob.shape[1] // 2
    if n_anchor != len(params["ratios"]) * len(params["scales"]):
        raise MXNetError(f"{op}: cls_prob has {n_anchor} anchors per position, but ratios "
                         f"{tuple(params['ratios'])} and scales {tuple(params['scales'])} make "
                         f"{len(params['ratios']) * len(params['scales'])}")
    scores, deltas, info = (a.asnumpy().astype(_F32) for a in (cls_prob, bbox_pred, im_info))
    out = []
    for b in range(len(scores)):
        dets = _rpn_image(scores[b, n_anchor:], deltas[b], info[b], params)
        out.append(onp.concatenate([onp.full((len(dets), 1), b, dtype=_F32), dets], 1))
    out = onp.concatenate(out)
    ctx = cls_prob.context
    rois = np.array(out[:, :5], dtype="float32", ctx=ctx)
    if params["output_score"]:
        return [rois, np.array(out[:, 5:], dtype="float32", ctx=ctx)]
    return rois


def _proposal_outputs(attrs):
    return 2 if attrs.get("output_score") else 1


def _proposal_names(attrs):
    return ["output", "score"][:_proposal_outputs(attrs)]


@legacy_op("_contrib_MultiProposal", ("cls_prob", "bbox_pred", "im_info"),
           aliases=("MultiProposal",), num_outputs=_proposal_outputs,
           output_names=_proposal_names)
def MultiProposal(cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n=6000,
                  rpn_post_nms_top_n=300, threshold=0.7, rpn_min_size=16,
                  scales=(4.0, 8.0, 16.0, 32.0), ratios=(0.5, 1.0, 2.0), feature_stride=16,
                  output_score=False, iou_loss=False):
    """Faster R-CNN's region proposals for a batch: anchors moved by ``bbox_pred``, clipped,
    small ones dropped, the best ``rpn_pre_nms_top_n`` by foreground score through NMS; rows
    [batch index, x1, y1, x2, y2], ``rpn_post_nms_top_n`` per image (repeating the kept
    boxes when fewer survive), and the scores with ``output_score``. No gradient (MXNet's is
    zero)."""
    return _proposal("MultiProposal", cls_prob, bbox_pred, im_info, locals())


@legacy_op("_contrib_Proposal", ("cls_prob", "bbox_pred", "im_info"), aliases=("Proposal",),
           num_outputs=_proposal_outputs,
           output_names=_proposal_names)
def Proposal(cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n=6000, rpn_post_nms_top_n=300,
             threshold=0.7, rpn_min_size=16, scales=(4.0, 8.0, 16.0, 32.0),
             ratios=(0.5, 1.0, 2.0), feature_stride=16, output_score=False, iou_loss=False):
    """MultiProposal for one image (MXNet's Proposal refuses a batch of several)."""
    if cls_prob.shape[0] != 1:
        raise MXNetError(f"Proposal: one image at a time (MultiProposal takes a batch), got "
                         f"cls_prob of shape {cls_prob.shape}")
    return _proposal("Proposal", cls_prob, bbox_pred, im_info, locals())


@legacy_op("_contrib_ROIAlign", ("data", "rois"), aliases=("ROIAlign",))
def ROIAlign(data, rois, pooled_size, spatial_scale, sample_ratio=-1, position_sensitive=False,
             aligned=False):
    """Average of bilinear samples in each bin of each (batch, x1, y1, x2, y2) region; with
    ``position_sensitive`` output channel ``k`` takes bin (i, j) from input channel
    ``k * ph * pw + i * pw + j``."""
    ph, pw = pooled_size
    _, c, h, w = data.shape
    offset = 0.5 if aligned else 0.0
    outs = []
    for roi in rois.asnumpy().astype("float64"):
        box = roi[1:] * spatial_scale - offset
        ytaps = _roi_taps((box[1], box[3]), ph, h, sample_ratio, aligned)
        xtaps = _roi_taps((box[0], box[2]), pw, w, sample_ratio, aligned)
        acc = _bilinear_sum(data[int(roi[0])], [t[:, :, None, None] for t in ytaps],
                            [t[None, None, :, :] for t in xtaps])
        out = np.mean(acc, axis=(2, 4))
        if position_sensitive:  # each bin from its own channel group: a diagonal
            out = np.diagonal(np.reshape(out, (c // (ph * pw), ph * pw, ph * pw)), axis1=1,
                              axis2=2)
            out = np.reshape(out, (-1, ph, pw))
        outs.append(out)
    c_out = c // (ph * pw) if position_sensitive else c
    return np.stack(outs) if outs else np.zeros((0, c_out, ph, pw), dtype=data.dtype,
                                                ctx=data.context)
