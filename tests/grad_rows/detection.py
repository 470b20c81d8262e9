"""Rows for npx's detection ops: roi_pooling's gradient is that of the gather of each bin's
maximum (its Primitive is ``getitem``). ``fn`` runs npx.roi_pooling on mxnp arrays and a
loop-by-loop NumPy reference (MXNet's CPU kernel, transcribed) on NumPy arrays."""
from __future__ import annotations

import math

import numpy as onp

from mxnp import np, npx
from tests.grad_rows.common import S, ties

ROIS = [[0, 0, 0, 3, 3], [0, 0.4, 0.6, 2.5, 1.4], [1, -3, -3, 1, 0], [1, 1, 0, 2, 7]]


def _c_round(v):
    return int(math.copysign(math.floor(abs(v) + 0.5), v))


def roi_pooling_reference(data, rois, pooled_size, spatial_scale):
    """MXNet's ROIPooling forward, one bin at a time."""
    ph, pw = pooled_size
    out = onp.zeros((len(rois), data.shape[1], ph, pw), data.dtype)
    for r, (b, x1, y1, x2, y2) in enumerate(rois):
        sw, sh, ew, eh = (_c_round(v * spatial_scale) for v in (x1, y1, x2, y2))
        bh, bw = max(eh - sh + 1, 1) / ph, max(ew - sw + 1, 1) / pw
        for i in range(ph):
            h0, h1 = (min(max(v + sh, 0), data.shape[2])
                      for v in (math.floor(i * bh), math.ceil((i + 1) * bh)))
            for j in range(pw):
                w0, w1 = (min(max(v + sw, 0), data.shape[3])
                          for v in (math.floor(j * bw), math.ceil((j + 1) * bw)))
                if h1 > h0 and w1 > w0 and 0 <= int(b) < data.shape[0]:
                    out[r, :, i, j] = data[int(b), :, h0:h1, w0:w1].max(axis=(1, 2))
    return out


def roi_pooling(pooled_size=(2, 2), spatial_scale=1.0):
    def fn(x):
        if isinstance(x, np.ndarray):
            rois = np.array(ROIS, dtype=x.dtype)
            return npx.roi_pooling(x, rois, pooled_size=pooled_size, spatial_scale=spatial_scale)
        return roi_pooling_reference(x, ROIS, pooled_size, spatial_scale)
    return fn


ROWS = [
    S("getitem", [(2, 2, 4, 4)], kink=ties, fn=roi_pooling(), name="roi_pooling"),
    S("getitem", [(2, 1, 5, 6)], kink=ties, fn=roi_pooling((3, 2), 0.5),
      name="roi_pooling-scaled"),
]
