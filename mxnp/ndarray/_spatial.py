"""MXNet 1.x's spatial transformer operators: ``GridGenerator`` (affine or warp sampling grids in
[-1, 1] coordinates), ``BilinearSampler`` (bilinear reads, zero outside the image) and
``SpatialTransformer`` (the two together), as np composites, differentiable in the data and
the grid.
"""
from __future__ import annotations

from .. import numpy as np
from ._define import legacy_op


def _unit_grid(h, w, ctx):
    """(2, h, w): x then y, each in [-1, 1] across the target."""
    ys, xs = np.meshgrid(np.linspace(-1, 1, h, ctx=ctx), np.linspace(-1, 1, w, ctx=ctx),
                         indexing="ij")
    return np.stack([xs, ys])


@legacy_op("GridGenerator")
def GridGenerator(data, transform_type="affine", target_shape=(0, 0)):
    """Sampling grids (N, 2, H, W): ``affine`` maps the target grid by each (N, 6) matrix,
    ``warp`` adds an (N, 2, H, W) pixel flow to each pixel's position.
    """
    if transform_type == "affine":
        h, w = target_shape
        grid = np.reshape(_unit_grid(h, w, data.context).astype(data.dtype), (2, h * w))
        ones = np.ones((1, h * w), dtype=data.dtype, ctx=data.context)
        theta = np.reshape(data, (-1, 2, 3))
        return np.reshape(np.matmul(theta, np.concatenate([grid, ones])), (-1, 2, h, w))
    if transform_type == "warp":
        h, w = data.shape[2:]
        ys, xs = np.meshgrid(np.arange(h, dtype=data.dtype, ctx=data.context),
                             np.arange(w, dtype=data.dtype, ctx=data.context), indexing="ij")
        x = (data[:, 0] + xs) * (2.0 / max(w - 1, 1)) - 1
        y = (data[:, 1] + ys) * (2.0 / max(h - 1, 1)) - 1
        return np.stack([x, y], axis=1)
    raise ValueError(f"GridGenerator: transform_type must be affine or warp, got "
                     f"{transform_type!r}")


@legacy_op("BilinearSampler", ("data", "grid"))
def BilinearSampler(data, grid, cudnn_off=None):
    """Read NCHW ``data`` at the (N, 2, H', W') grid's [-1, 1] positions, bilinearly."""
    n, c, h, w = data.shape
    x = (grid[:, 0] + 1) * ((w - 1) / 2)
    y = (grid[:, 1] + 1) * ((h - 1) / 2)
    x0, y0 = np.floor(x).detach(), np.floor(y).detach()
    flat = np.reshape(data, (n, c, h * w))
    out = None
    for dy in (0, 1):
        for dx in (0, 1):
            xi, yi = x0 + dx, y0 + dy
            inside = (xi >= 0) * (xi <= w - 1) * (yi >= 0) * (yi <= h - 1)
            # the tap weights written per side (no abs), so a position on a pixel row still
            # has both one-sided slopes, as MXNet's backward computes them
            wx = x - x0 if dx else 1 - (x - x0)
            wy = y - y0 if dy else 1 - (y - y0)
            weight = wx * wy * inside
            index = (np.clip(yi, 0, h - 1) * w + np.clip(xi, 0, w - 1)).astype("int64")
            index = np.broadcast_to(np.reshape(index, (n, 1, -1)), (n, c, index[0].size))
            taps = np.reshape(np.take_along_axis(flat, index, axis=2), (n, c) + x.shape[1:])
            term = taps * np.expand_dims(weight, 1)
            out = term if out is None else out + term
    return out


@legacy_op("SpatialTransformer", ("data", "loc"))
def SpatialTransformer(data, loc, target_shape=(0, 0), transform_type="affine",
                       sampler_type="bilinear", cudnn_off=None):
    """BilinearSampler(data, GridGenerator(loc, affine, target_shape))."""
    if transform_type != "affine" or sampler_type != "bilinear":
        raise ValueError(f"SpatialTransformer: only affine / bilinear exist in MXNet, got "
                         f"{transform_type!r} / {sampler_type!r}")
    return BilinearSampler(data, GridGenerator(loc, "affine", target_shape))
