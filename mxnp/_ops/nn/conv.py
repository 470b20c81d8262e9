"""npx.convolution and npx.deconvolution (1-, 2- and 3-D), as products of matrices that
``columns.py`` lays out (im2col's columns, or the flat windows for stride 1).

Three bilinear primitives share one geometry (stride, pad, dilate, groups) and are each
other's VJPs, so gradients of any order stay inside the family. With
``T(x, w, y) = <conv(x, w), y>``:

- ``conv(x, w)``          = dT/dy (the forward convolution)
- ``deconv(y, w, size)``  = dT/dx (convolution's data gradient, MXNet's Deconvolution)
- ``conv_wgrad(x, y, kernel)`` = dT/dw (convolution's weight gradient)

The primitives see channel-first arrays; the public functions check arguments, move a
channel-last layout's axes, and add the bias with ordinary ops (so its gradient comes free).
"""
from __future__ import annotations

import itertools
import math

import numpy as onp

from ... import _dtypes
from ..._ndarray import ndarray
from ...base import OpError, OpTypeError
from ..checks import check_uniform_dtype, input_count_error, is_array, require_array
from ..manipulation import moveaxis
from ..primitive import Primitive, write_out
from ..scratch import scratch
from ..shape import reshape
from . import columns
from .windows import fold, pad_spatial, prod


def _conv_forward(xp, x, w, stride, pad, dilate, groups):
    # with more filters than window entries (one input channel), cutting the outputs out of
    # the padded grid costs more than the columns' copies save (0.9x)
    if x.shape[1] * prod(w.shape[2:]) > w.shape[0] and \
            columns.flat_fits(x, w.shape[2:], stride, pad, dilate):
        return _conv_forward_flat(xp, x, w, pad, dilate, groups)
    kernel, out = w.shape[2:], columns.conv_out(x, w.shape[2:], stride, pad, dilate)
    wg = w.reshape(groups, w.shape[0] // groups, -1)
    positions = prod(out)
    piece = columns.piece(positions, wg.shape[1] * wg.shape[2])
    y = xp.empty((x.shape[0], groups, wg.shape[1], positions), xp.result_type(x, w))
    for start, cols in columns.columns(xp, x, kernel, stride, pad, dilate, groups, out):
        ys = y[start:start + cols.shape[0]]
        for a in range(0, positions, piece):  # (n, g, O/g, P)
            xp.matmul(wg, cols[..., a:a + piece], out=ys[..., a:a + piece])
    return y.reshape((x.shape[0], w.shape[0]) + out)


def _conv_forward_flat(xp, x, w, pad, dilate, groups):
    """``_conv_forward`` on the flat windows: one contiguous copy per window row and offset
    into the columns, then the outputs of the padded grid cut out of the product."""
    kernel, n, o = w.shape[2:], x.shape[0], w.shape[0]
    wins, grid = columns.flat_windows(xp, x, kernel, pad, dilate, groups)
    out = columns.conv_out(x, kernel, (1,) * len(kernel), pad, dilate)
    length, dtype = wins.shape[-1], xp.result_type(x, w)
    wg = w.reshape(groups, o // groups, -1)
    piece = columns.piece(length, wg.shape[1] * wg.shape[2])
    step = max(1, min(n, columns.CHUNK_BYTES // max(1, wins[0].size * x.itemsize)))
    cols = scratch(xp, (step,) + wins.shape[1:], x.dtype, "flat_cols")
    wide = scratch(xp, (step, groups, o // groups, out[0] * prod(grid[1:])), dtype, "flat_out")
    y = xp.empty((n, o) + out, dtype)
    keep = (slice(None),) * 3 + tuple(slice(0, s) for s in out[1:])
    for start in range(0, n, step):
        m = min(step, n - start)
        cols[:m] = wins[start:start + m]
        rows = cols[:m].reshape(m, groups, -1, length)
        for a in range(0, length, piece):
            xp.matmul(wg, rows[..., a:a + piece], out=wide[:m, ..., a:min(a + piece, length)])
        y[start:start + m] = wide[:m].reshape((m, o, out[0]) + grid[1:])[keep]
    return y


def _flipped(w, groups):
    """The kernel of deconvolution's equivalent convolution: (O, C/g, *K) as (C, O/g, *K), each
    group's two channel axes swapped and every spatial axis reversed (a view)."""
    o, cg, kernel = w.shape[0], w.shape[1], w.shape[2:]
    wt = w.reshape((groups, o // groups, cg) + kernel).swapaxes(1, 2)
    return wt[(Ellipsis,) + (slice(None, None, -1),) * len(kernel)].reshape(
        (groups * cg, o // groups) + kernel)


def _phase_axis(r, size, out, k, s, p, d):
    """Along one axis of a stride-``s`` deconvolution, what reaches its outputs r, r + s, ...:
    the kernel taps ``t`` with ``r + p - d t`` a multiple of ``s`` (a slice), the rows of ``y``
    that output ``r + s a`` reads, from ``(r + p - d t) / s + a`` for the last tap (the
    lowest row; may be outside ``y``, which is zeros there) to one past the first tap's, the
    taps' dilation along ``y``, and the number of outputs. None where nothing reaches them."""
    taps = [t for t in range(k) if (r + p - d * t) % s == 0]
    count = -(-(size - r) // s)
    if not taps or count <= 0:
        return None
    first, last = (r + p - d * taps[-1]) // s, (r + p - d * taps[0]) // s + count
    if last <= 0 or first >= out:
        return None
    return slice(taps[0], None, s // math.gcd(s, d)), first, last, d // math.gcd(s, d)


def _deconv_phases(xp, y, w, size, stride, pad, dilate, groups):
    """A strided deconvolution as one stride-1 convolution per phase (the outputs whose
    coordinates are r mod s, r < s, on each axis), by the taps that reach the phase, flipped,
    over ``y`` padded once for all phases; each phase's result is written to its outputs.

    The products do only the work that is needed, where col2im's fold adds every tap's
    columns into a strided view: 1.0-2.6x faster for ResNet's strided 16 <- 32 channels."""
    nd = y.ndim - 2
    x = xp.zeros((y.shape[0], groups * w.shape[1]) + tuple(size), xp.result_type(y, w))
    phases = []
    for r in itertools.product(*(range(s) for s in stride)):
        axes = [_phase_axis(*a) for a in zip(r, size, y.shape[2:], w.shape[2:], stride, pad,
                                               dilate)]
        if None not in axes:
            phases.append((r, axes))
    lo = [max([0] + [-axes[i][1] for _, axes in phases]) for i in range(nd)]
    hi = [max([0] + [axes[i][2] - n for _, axes in phases]) for i, n in enumerate(y.shape[2:])]
    ypad = pad_spatial(xp, y, lo, hi)
    for r, axes in phases:
        taps, first, last, dil = zip(*axes)
        rows = ypad[(Ellipsis,) + tuple(slice(a + b, c + b) for a, c, b in zip(first, last, lo))]
        part = _conv_forward(xp, rows, _flipped(w[(Ellipsis,) + taps], groups), (1,) * nd,
                             (0,) * nd, dil, groups)
        x[(Ellipsis,) + tuple(slice(a, None, s) for a, s in zip(r, stride))] = part
    return x


def _deconv_forward(xp, y, w, size, stride, pad, dilate, groups):
    """col2im with the batch innermost: columns (C, *kernel, *out, n) for a chunk of n
    samples (about ``4 * columns.CHUNK_BYTES``) come from one matmul per output position, and
    every strided add of the fold then runs over whole blocks of n-long rows (where
    batch-first columns would give rows of out[-1] entries).

    With stride 1 (a convolution's data gradient, mostly) and at least half as many channels
    out as in, it is the convolution of ``y`` by the flipped kernel padded ``d(k - 1) - p``:
    im2col's gathers in place of the fold's strided adds, 1.5-3x faster there (with fewer
    channels out, the columns of ``y`` cost more than the fold they save). With a stride, it
    is a convolution per phase (``_deconv_phases``)."""
    n, nd = y.shape[0], y.ndim - 2
    kernel, out = w.shape[2:], y.shape[2:]
    full = tuple(d * (k - 1) - p for k, p, d in zip(kernel, pad, dilate))
    if max(stride) == 1 and min(full) >= 0 and 2 * w.shape[1] >= w.shape[0] // groups and \
            all(o + f - p == s for o, f, p, s in zip(out, full, pad, size)):
        return _conv_forward(xp, y, _flipped(w, groups), stride, full, dilate, groups)
    if max(stride) > 1:
        return _deconv_phases(xp, y, w, size, stride, pad, dilate, groups)
    c = groups * w.shape[1]
    wt = w.reshape(groups, 1, w.shape[0] // groups, -1).transpose(0, 1, 3, 2)  # (g,1,C/g*K,O/g)
    yt = xp.ascontiguousarray(y.reshape(n, groups, y.shape[1] // groups, prod(out))
                              .transpose(1, 2, 3, 0))  # (g, O/g, P, N)
    dtype = xp.result_type(wt, yt)
    x = xp.empty((n, c) + tuple(size), dtype)
    padded = tuple(s + 2 * p for s, p in zip(size, pad))
    inner = (slice(None),) + tuple(slice(p, p + s) for p, s in zip(pad, size))
    chunk = 4 * columns.CHUNK_BYTES
    step = max(1, min(n, chunk // max(1, c * prod(kernel) * prod(out) * x.itemsize)))
    for start in range(0, n, step):
        m = min(step, n - start)
        cols = scratch(xp, (groups, wt.shape[2], prod(out), m), dtype, "col2im")  # folded below
        xp.matmul(wt, yt[..., start:start + m].transpose(0, 2, 1, 3),
                  out=cols.transpose(0, 2, 1, 3))
        full = fold(xp, cols.reshape((c,) + kernel + out + (m,)), padded, stride, dilate, lead=1)
        x[start:start + m] = full[inner].transpose((nd + 1, 0) + tuple(range(1, nd + 1)))
    return x


def _conv_wgrad_forward(xp, x, y, kernel, stride, pad, dilate, groups):
    """Per chunk of samples, columns times the transposed output gradient, summed."""
    # one product per kernel offset and sample pays with few channels, where the columns would
    # be many times the input and their product thin (1.2-2.3x); with 64 the columns' is
    # faster (0.9x), and so it is where each product is a few entries (LeNet's 6 x 1: 0.7x)
    cg = x.shape[1] // groups
    if cg <= 32 and cg * y.shape[1] // groups >= 32 and \
            columns.flat_fits(x, kernel, stride, pad, dilate):
        return _conv_wgrad_flat(xp, x, y, kernel, pad, dilate, groups)
    n = x.shape[0]
    positions, ck = prod(y.shape[2:]), x.shape[1] // groups * prod(kernel)
    yt = y.reshape(n, groups, y.shape[1] // groups, positions)
    yt = yt.transpose(0, 1, 3, 2)  # (N, g, P, O/g)
    if yt.shape[3] >= 8:  # BLAS reads the transposed operand slowly; a copy is cheaper, but
        yt = xp.ascontiguousarray(yt)  # not one whose rows are a few entries long
    piece = columns.piece(positions, ck * yt.shape[3])
    w = xp.zeros((groups, ck, yt.shape[3]), xp.result_type(x, y))
    for start, cols in columns.columns(xp, x, kernel, stride, pad, dilate, groups, y.shape[2:]):
        ys = yt[start:start + cols.shape[0]]
        for a in range(0, positions, piece):  # (g, C/g*K, O/g)
            w += xp.matmul(cols[..., a:a + piece], ys[:, :, a:a + piece]).sum(axis=0)
    return xp.ascontiguousarray(w.transpose(0, 2, 1)).reshape(
        (y.shape[1], x.shape[1] // groups) + tuple(kernel))


def _conv_wgrad_flat(xp, x, y, kernel, pad, dilate, groups):
    """``_conv_wgrad_forward`` on the flat windows: per kernel offset and sample, the output
    gradient on the padded grid (zeros off the outputs) times the shifted rows, summed over
    samples; no columns at all."""
    n, o, nd = y.shape[0], y.shape[1], len(kernel)
    wins, grid = columns.flat_windows(xp, x, kernel, pad, dilate, groups)
    wide = scratch(xp, (n, o, y.shape[2]) + grid[1:], y.dtype, "flat_grad")
    wide.fill(0)
    wide[(slice(None),) * 3 + tuple(slice(0, s) for s in y.shape[3:])] = y
    rows = wide.reshape((n, groups) + (1,) * nd + (o // groups, -1))[..., :wins.shape[-1]]
    taps = wins.transpose((0, 1) + tuple(range(3, 3 + nd)) + (3 + nd, 2))  # (n,g,*K,L,C/g)
    w = xp.matmul(rows, taps).sum(axis=0)  # (g, *K, O/g, C/g)
    return xp.ascontiguousarray(w.transpose((0, nd + 1, nd + 2) + tuple(range(1, nd + 1)))
                                ).reshape((o, x.shape[1] // groups) + tuple(kernel))


def _conv_vjp_x(g, ans, x, w, **geom):
    return deconv(g, w, size=x.shape[2:], **geom)


def _conv_vjp_w(g, ans, x, w, **geom):
    return conv_wgrad(x, g, kernel=w.shape[2:], **geom)


def _deconv_vjp_y(g, ans, y, w, size, **geom):
    return conv(g, w, **geom)


def _deconv_vjp_w(g, ans, y, w, size, **geom):
    return conv_wgrad(g, y, kernel=w.shape[2:], **geom)


def _wgrad_vjp_x(g, ans, x, y, kernel, **geom):
    return deconv(y, g, size=x.shape[2:], **geom)


def _wgrad_vjp_y(g, ans, x, y, kernel, **geom):
    return conv(x, g, **geom)


conv = Primitive("convolution", _conv_forward, (_conv_vjp_x, _conv_vjp_w), keep=(0, 1))
deconv = Primitive("deconvolution", _deconv_forward, (_deconv_vjp_y, _deconv_vjp_w),
                   keep=(0, 1))
conv_wgrad = Primitive("convolution_weight_grad", _conv_wgrad_forward,
                       (_wgrad_vjp_x, _wgrad_vjp_y), keep=(0, 1))


# ---- arguments shared with pooling ----------------------------------------------------------
_LAYOUTS = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}


def shape_arg(name: str, param: str, value, nd: int, default: int) -> tuple:
    """A per-axis parameter as a tuple of ``nd`` ints (MXNet reads an int as a 1-tuple)."""
    if value is None:
        return (default,) * nd
    value = (value,) if isinstance(value, int) else tuple(value)
    if len(value) != nd:
        raise OpError(f"{name}: {param} must have {nd} entries, one per axis of kernel, got "
                      f"{value}")
    return value


def check_data(name: str, data, nd: int, layout) -> bool:
    """Check ``data`` for an ``nd``-D op; True when ``layout`` puts channels last."""
    require_array(name, data, "data")
    if nd not in _LAYOUTS:
        raise OpError(f"{name}: kernel must have 1, 2 or 3 entries, got {nd}")
    if data.ndim != nd + 2:
        raise OpError(f"{name}: a {nd}-D kernel needs data of {nd + 2} axes "
                      f"({_LAYOUTS[nd][0]}), got shape {data.shape}")
    if layout is not None and layout not in _LAYOUTS[nd]:
        raise OpError(f"{name}: layout must be one of {_LAYOUTS[nd]} for {nd}-D data, got "
                      f"{layout!r}")
    if not _dtypes.is_real_float(data.dtype):
        # MXNet: MXNetError ("This operation only support floating point types"); a TypeError too
        raise OpTypeError(f"{name}: expected floating point data, got "
                          f"{onp.dtype(data.dtype).name}")
    return layout is not None and layout.endswith("C")


def channels_first(a, last: bool):
    """``a`` with its last axis moved to 1 (for a channel-last layout)."""
    return moveaxis(a, -1, 1) if last else a


def channels_last(a, last: bool):
    return moveaxis(a, 1, -1) if last else a


def _conv_args(name, data, weight, kernel, stride, dilate, pad, num_filter, num_group, layout):
    """kernel, the primitives' geometry, and whether channels come last; checks the rest."""
    if kernel is None or num_filter is None:
        raise OpError(f"{name}: kernel= and num_filter= are required, e.g. kernel=(3, 3), "
                      "num_filter=8")
    kernel = (kernel,) if isinstance(kernel, int) else tuple(kernel)
    nd = len(kernel)
    require_array(name, weight, "weight")
    if is_array(data):  # MXNet checks the dtypes first (int data: this message too)
        check_uniform_dtype(name, data, [("weight", weight)])
    last = check_data(name, data, nd, layout)
    geom = {"stride": shape_arg(name, "stride", stride, nd, 1),
            "pad": shape_arg(name, "pad", pad, nd, 0),
            "dilate": shape_arg(name, "dilate", dilate, nd, 1), "groups": num_group}
    if (min(kernel + geom["stride"] + geom["dilate"]) < 1 or min(geom["pad"]) < 0
            or num_filter < 1 or num_group < 1):
        raise OpError(f"{name}: kernel, stride, dilate, num_filter and num_group must be "
                      f"positive and pad non-negative, got kernel={kernel}, {geom}, "
                      f"num_filter={num_filter}")
    channels = data.shape[-1 if last else 1]
    if channels % num_group or num_filter % num_group:
        raise OpError(f"{name}: num_group={num_group} must divide the {channels} input "
                      f"channels and num_filter={num_filter}")
    return kernel, geom, last


def _check_weight(name, weight, first, per_group, kernel, last):
    want = (first,) + ((kernel + (per_group,)) if last else ((per_group,) + kernel))
    if weight.shape != want:
        raise OpError(f"{name}: weight of shape {weight.shape} does not fit the data and "
                      f"parameters; expected {want}")


def _with_bias(name, y, bias, no_bias, num_filter):
    if no_bias:
        if bias is not None:  # MXNet's message, then how to mend it
            raise input_count_error(name.capitalize(), 3, 2)
        return y
    if bias is None:
        raise input_count_error(name.capitalize(), 2, 3)
    if not isinstance(bias, ndarray):
        raise OpError(f"{name}: no_bias=False needs a bias array of shape ({num_filter},), got "
                      f"{type(bias).__name__}; pass one or set no_bias=True")
    if bias.shape != (num_filter,):
        raise OpError(f"{name}: bias must have shape ({num_filter},), got {bias.shape}")
    check_uniform_dtype(name, y, [("bias", bias)])
    return y + reshape(bias, (num_filter,) + (1,) * (y.ndim - 2))


def convolution(data=None, weight=None, bias=None, kernel=None, stride=None, dilate=None,
                pad=None, num_filter=None, num_group=1, workspace=1024, no_bias=False,
                cudnn_tune=None, cudnn_off=False, layout=None, out=None, name=None):
    """N-D convolution (N = 1, 2, 3): weight (num_filter, C/num_group, *kernel).

    Differs from MXNet on the CPU: channel-last layouts (NWC, NHWC, NDHWC, with weight
    (num_filter, *kernel, C/num_group)) work instead of failing in MKL-DNN.
    """
    kernel, geom, last = _conv_args("convolution", data, weight, kernel, stride, dilate, pad,
                                    num_filter, num_group, layout)
    x = channels_first(data, last)
    _check_weight("convolution", weight, num_filter, x.shape[1] // num_group, kernel, last)
    for s, k, p, d in zip(x.shape[2:], kernel, geom["pad"], geom["dilate"]):
        if d * (k - 1) + 1 > s + 2 * p:
            raise OpError(f"convolution: kernel {kernel} (dilate {geom['dilate']}) exceeds the "
                          f"input {x.shape[2:]} padded by {geom['pad']}")
    y = conv(x, channels_first(weight, last), **geom)
    y = _with_bias("convolution", y, bias, no_bias, num_filter)
    return write_out(channels_last(y, last), out)


def _deconv_size(x, kernel, geom, adj, target_shape):
    """The output's spatial shape, and the pad that gives it (target_shape overrides pad)."""
    stride, pad, dilate = geom["stride"], geom["pad"], geom["dilate"]
    if target_shape is not None and any(target_shape):
        full = [s * (n - 1) + d * (k - 1) + 1
                for s, n, d, k in zip(stride, x.shape[2:], dilate, kernel)]
        if any(f < t for f, t in zip(full, target_shape)):
            raise OpError(f"deconvolution: target_shape {tuple(target_shape)} exceeds the "
                          f"largest output {tuple(full)}")
        adj = tuple((f - t) % 2 for f, t in zip(full, target_shape))  # MXNet's split of f - t
        pad = tuple((f - t + 1) // 2 for f, t in zip(full, target_shape))
    if any(a >= s for a, s in zip(adj, stride)):
        raise OpError(f"deconvolution: adj {adj} must be smaller than stride {stride}")
    size = tuple(s * (n - 1) - 2 * p + d * (k - 1) + 1 + a
                 for s, n, p, d, k, a in zip(stride, x.shape[2:], pad, dilate, kernel, adj))
    if min(size) < 1:
        raise OpError(f"deconvolution: pad {pad} leaves no output for input {x.shape[2:]}")
    return size, pad


def deconvolution(data=None, weight=None, bias=None, kernel=None, stride=None, dilate=None,
                  pad=None, adj=None, target_shape=None, num_filter=None, num_group=1,
                  workspace=512, no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None,
                  out=None, name=None):
    """Transposed convolution: weight (C, num_filter/num_group, *kernel); no bias by default.

    ``target_shape`` sets pad and adj as MXNet computes them (where MKL-DNN fails on it).
    """
    kernel, geom, last = _conv_args("deconvolution", data, weight, kernel, stride, dilate, pad,
                                    num_filter, num_group, layout)
    x = channels_first(data, last)
    _check_weight("deconvolution", weight, x.shape[1], num_filter // num_group, kernel, last)
    adj = shape_arg("deconvolution", "adj", adj, len(kernel), 0)
    size, geom["pad"] = _deconv_size(x, kernel, geom, adj, target_shape)
    y = deconv(x, channels_first(weight, last), size=size, **geom)
    y = _with_bias("deconvolution", y, bias, no_bias, num_filter)
    return write_out(channels_last(y, last), out)
