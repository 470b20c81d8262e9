"""The matrices a convolution's products read, on raw ``xp`` arrays: im2col's columns, and
for stride 1 the flat windows (one row per padded sample and channel, read at shifted
offsets), with how many output positions each product takes.
"""
from __future__ import annotations

from ..scratch import scratch
from .windows import out_size, pad_spatial, prod

CHUNK_BYTES = 1 << 20  # im2col columns per matmul: about one core's L2 cache
SMALL_GEMM = 100 ** 3  # OpenBLAS's bound on m*n*k for its small-matrix kernels (SkylakeX)
MIN_PIECE = 64  # positions per product below which splitting them costs more than it saves


def columns(xp, x, kernel, stride, pad, dilate, groups, out):
    """im2col, batch first, a few samples at a time: ``(start, cols)`` pairs, ``cols``
    (n, groups, C/groups * prod(kernel), prod(out)) for ``x[start:start + n]``.

    Each chunk is about ``CHUNK_BYTES``: the matmul that reads it finds it still in cache
    (all columns at once, 20 MB for LeNet's first layer, would make a trip through memory).
    Its layout (n, C, *kernel, *out) lets every product read it as a stack of matrices, so no
    output needs a transpose.
    """
    n, c = x.shape[:2]
    xpad = pad_spatial(xp, x, pad, pad)
    step = max(1, min(n, CHUNK_BYTES // max(1, c * prod(kernel) * prod(out) * x.itemsize)))
    # one copy per spatial axis, the last axis first (see _unfold): each reads the previous
    # one's buffer (the first reads x), each buffer holds one chunk
    copies, src = [], xpad.reshape((n, groups, c // groups) + xpad.shape[2:])
    for axis in reversed(range(len(kernel))):
        view = unfold(xp, src, len(kernel) + 2, kernel[axis], stride[axis], dilate[axis],
                       out[axis])
        src = scratch(xp, (step,) + view.shape[1:], view.dtype, f"im2col{axis}")
        copies.append((view, src))
    for start in range(0, n, step):
        m = min(step, n - start)
        for i, (view, buf) in enumerate(copies):
            buf[:m] = view[start:start + m] if i == 0 else view[:m]
        cols = copies[-1][1][:m]  # (m, g, C/g, *kernel, *out)
        yield start, cols.reshape(m, groups, c // groups * prod(kernel), prod(out))


def unfold(xp, a, at, kernel, stride, dilate, out):
    """A view that unfolds one spatial axis: its input axis ``at`` becomes a kernel axis (after
    the channels) and an output axis (in place), (n, g, C/g, *K[i+1:], *S[:i+1], *O[i+1:]) to
    (n, g, C/g, *K[i:], *S[:i], *O[i:]) for axis i.

    Unfolded (copied) the last axis first, the copies that follow move whole blocks of
    out[i + 1:] (100 entries for a 10x10 output) instead of one row of out[-1] at a time,
    which in NumPy is several times faster.
    """
    st = a.strides
    return xp.lib.stride_tricks.as_strided(
        a, a.shape[:3] + (kernel,) + a.shape[3:at] + (out,) + a.shape[at + 1:],
        st[:3] + (st[at] * dilate,) + st[3:at] + (st[at] * stride,) + st[at + 1:])


def piece(positions, mk):
    """How many of a product's ``positions`` (its third dimension beside ``mk``, the other two
    multiplied) to multiply at a time, so that each piece is a small-matrix product.

    OpenBLAS multiplies products of up to ``SMALL_GEMM`` multiply-adds without packing its
    operands first, 1.2-1.3x faster at a small convolution's shapes (16 channels: 16 x 144 by
    144 x 784 per sample); all at once where that would take pieces under ``MIN_PIECE`` long.
    """
    pieces = -(-mk * positions // SMALL_GEMM)
    size = -(-positions // pieces)
    return size if size >= MIN_PIECE and mk * size <= SMALL_GEMM else positions


def flat_grid(size, kernel, pad, dilate):
    """The flat windows' buffer shape per sample and channel: ``x`` padded on every axis, but
    each axis after the first padded on its left only where it can, as the row that follows
    starts with zeros to read (``p`` more where the pad exceeds the kernel's reach)."""
    return (size[0] + 2 * pad[0],) + tuple(s + p + max(0, p - d * (k - 1)) for s, k, p, d in
                                           zip(size[1:], kernel[1:], pad[1:], dilate[1:]))


def flat_windows(xp, x, kernel, pad, dilate, groups):
    """A stride-1 convolution's windows without im2col's copies of short rows: ``x`` padded
    into a buffer (``flat_grid``), one row per sample and channel, and the view
    (n, g, C/g, *kernel, L) of it whose entry [..., t, l] is the row's entry ``l + offset(t)``.

    Position ``l`` is the output whose window starts at entry ``l`` of the padded row, so the
    outputs lie on the buffer's grid, (out[0], *grid[1:]), of which the trailing entries of
    each axis after the first are not outputs: they are computed and dropped (4% more
    products for a 3x3 kernel on 28x28). L ends at the last output; the last row's windows
    read a few zeros past its end.
    """
    nd, n, c = len(kernel), x.shape[0], x.shape[1]
    grid = flat_grid(x.shape[2:], kernel, pad, dilate)
    steps = [prod(grid[i + 1:]) for i in range(nd)]
    flat = scratch(xp, (n * c * prod(grid) + sum(p * t for p, t in zip(pad, steps)),),
                   x.dtype, "flat")
    flat.fill(0)
    buf = flat[:n * c * prod(grid)].reshape((n, c) + grid)
    buf[(Ellipsis,) + tuple(slice(p, p + s) for p, s in zip(pad, x.shape[2:]))] = x
    rows = buf.reshape((n, groups, c // groups, prod(grid)))
    out = conv_out(x, kernel, (1,) * nd, pad, dilate)
    length = 1 + sum((o - 1) * t for o, t in zip(out, steps))
    return xp.lib.stride_tricks.as_strided(
        rows, rows.shape[:3] + tuple(kernel) + (length,),
        rows.strides[:3] + tuple(d * t * x.itemsize for d, t in zip(dilate, steps))
        + (x.itemsize,)), grid


def flat_fits(x, kernel, stride, pad, dilate):
    """Whether the flat windows can pay: stride 1 and at most 10% of the products dropped.

    Measured (one thread, batch 32): 3x3 kernels on 28x28 (4% dropped) 1.15x faster forward
    and 1.6x for the weight gradient with 16 channels, on 14x14 (7%) 1.1x and 1.2x with 32;
    on 7x7 (14%) 1.0x and 0.95x with 64.
    """
    out = conv_out(x, kernel, stride, pad, dilate)
    wide = out[0] * prod(flat_grid(x.shape[2:], kernel, pad, dilate)[1:])
    return max(stride) == 1 and wide <= 1.1 * prod(out)


def conv_out(x, kernel, stride, pad, dilate):
    return tuple(out_size(s, k, t, p, p, d)
                 for s, k, t, p, d in zip(x.shape[2:], kernel, stride, pad, dilate))
