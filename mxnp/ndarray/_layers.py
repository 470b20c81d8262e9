"""More of MXNet 1.x's layer operators: the other normalisations, LeakyReLU, Embedding, RNN,
ROIPooling, LRN, and the products and losses 1.x models call (``dot``, ``batch_dot``,
``softmax_cross_entropy`` ...), composites of np/npx ops.
"""
from __future__ import annotations

import builtins

import numpy as onp

from .. import autograd
from .. import numpy as np
from .. import numpy_extension as npx
from .._ops.nn.basic import float_input
from .._tape import STATE
from ..base import OpError, OpTypeError
from ._define import legacy_op
from ._tensor import _axes, _exact_host, _reduce
from ._update import l2_norm
from .ndarray import at_least_1d, c_cast, legacy_scalar


def _norm_outputs(attrs):
    return 3 if attrs.get("output_mean_var") else 1


def _normalize(x, axes, eps):
    mean = np.mean(x, axis=axes, keepdims=True)
    var = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps), mean, var


def _per_axis(p, ndim, axis=1):
    return np.reshape(p, (1,) * axis + (-1,) + (1,) * (ndim - axis - 1))


@legacy_op("LayerNorm", ("data", "gamma", "beta"), num_outputs=_norm_outputs)
def LayerNorm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False):
    """Normalise over ``axis``, then scale by gamma and shift by beta."""
    return npx.layer_norm(data, gamma, beta, axis=axis, eps=eps,
                          output_mean_var=output_mean_var)


@legacy_op("InstanceNorm", ("data", "gamma", "beta"))
def InstanceNorm(data, gamma, beta, eps=1e-3):
    """Normalise each (sample, channel) over its spatial axes; per-channel gamma and beta."""
    float_input("InstanceNorm", data)
    if data.ndim < 3:
        raise OpError(f"InstanceNorm: data must have at least 3 axes (batch, channel, "
                      f"spatial...), got shape {data.shape}")
    for what, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (data.shape[1],):
            raise OpError(f"InstanceNorm: {what} must have shape ({data.shape[1]},) (one value "
                          f"per channel of data of shape {data.shape}), got {p.shape}")
    y, _, _ = _normalize(data, tuple(range(2, data.ndim)), eps)
    return y * _per_axis(gamma, data.ndim) + _per_axis(beta, data.ndim)


@legacy_op("GroupNorm", ("data", "gamma", "beta"), num_outputs=_norm_outputs)
def GroupNorm(data, gamma, beta, num_groups=1, eps=1e-5, output_mean_var=False):
    """Normalise channel groups; gamma and beta have one value per group (MXNet 1.9.1)."""
    float_input("GroupNorm", data)
    if data.ndim < 2 or num_groups < 1 or data.shape[1] % num_groups:
        raise OpError(f"GroupNorm: the channels (axis 1) of data of shape {data.shape} must "
                      f"split evenly into num_groups={num_groups}")
    n = data.shape[0]
    for what, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (num_groups,):
            raise OpError(f"GroupNorm: {what} must have shape ({num_groups},) (one value per "
                          f"group), got {p.shape}")
    grouped = np.reshape(data, (n, num_groups, -1))
    y, mean, var = _normalize(grouped, 2, eps)
    y = y * _per_axis(gamma, 3) + _per_axis(beta, 3)
    out = np.reshape(y, data.shape)
    if output_mean_var:
        return [out, np.reshape(mean, (n, num_groups)), np.reshape(np.sqrt(var + eps),
                                                                    (n, num_groups))]
    return out


@legacy_op("LeakyReLU", ("data", "gamma"),
           optional_inputs=lambda a: ("data", "gamma") if a.get("act_type") == "prelu"
           else ("data",))
def LeakyReLU(data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125,
              upper_bound=0.334):
    """leaky, prelu (learned gamma), rrelu, elu, selu or gelu."""
    return npx.leaky_relu(data, gamma, act_type=act_type, slope=slope, lower_bound=lower_bound,
                          upper_bound=upper_bound)


@legacy_op("Embedding", ("data", "weight"))
def Embedding(data, weight, input_dim=None, output_dim=None, dtype="float32",
              sparse_grad=False):
    """Rows of ``weight`` at the (integer-valued) indices in ``data``."""
    return npx.embedding(data, weight, input_dim=input_dim, output_dim=output_dim, dtype=dtype)


@legacy_op("L2Normalization")
def L2Normalization(data, eps=1e-10, mode="instance"):
    """``data / sqrt(sum(data**2) + eps)`` per instance, per channel position, or spatially.
    float16 data computes in float32 (its squares underflow and its gradient overflows)."""
    float_input("L2Normalization", data)
    axes = {"instance": tuple(range(1, data.ndim)), "channel": (1,),
            "spatial": tuple(range(2, data.ndim))}.get(mode)
    if axes is None:
        raise ValueError(f"L2Normalization: mode must be instance, channel or spatial, got "
                         f"{mode!r}")
    x = data.astype("float32") if data.dtype == onp.float16 else data
    y = x / np.sqrt(np.sum(np.square(x), axis=axes, keepdims=True) + eps)
    return y.astype(data.dtype) if y.dtype != data.dtype else y


@legacy_op("LRN")
def LRN(data, alpha=1e-4, beta=0.75, knorm=2.0, nsize=5):
    """Local response normalisation across ``nsize`` neighbouring channels."""
    float_input("LRN", data)
    half = nsize // 2
    sq = np.pad(np.square(data), ((0, 0), (half, half)) + ((0, 0),) * (data.ndim - 2))
    c = data.shape[1]
    window = builtins.sum(sq[:, k:k + c] for k in range(1, nsize))
    window = window + sq[:, 0:c]
    return data / np.power(knorm + (alpha / nsize) * window, beta)


def _rnn_outputs(attrs):
    if not attrs.get("state_outputs"):
        return 1
    return 3 if attrs.get("mode") == "lstm" else 2


def _rnn_inputs(attrs):
    names = ("data", "parameters", "state")
    if attrs.get("mode") == "lstm":
        names += ("state_cell",)
    return names + (("sequence_length",) if attrs.get("use_sequence_length") else ())


@legacy_op("RNN", ("data", "parameters", "state", "state_cell", "sequence_length"),
           optional_inputs=_rnn_inputs, num_outputs=_rnn_outputs)
def RNN(data, parameters, state, state_cell=None, sequence_length=None, state_size=None,
        num_layers=None, bidirectional=False, mode=None, p=0.0, state_outputs=False,
        projection_size=None, lstm_state_clip_min=None, lstm_state_clip_max=None,
        lstm_state_clip_nan=False, use_sequence_length=False):
    """The fused RNN (rnn_relu, rnn_tanh, lstm, gru) over packed ``parameters``."""
    if mode != "lstm" and state_cell is not None and sequence_length is None:
        # only an LSTM has a cell state: MXNet's fourth input is then sequence_length
        state_cell, sequence_length = None, state_cell
    out = npx.rnn(data, parameters, state, state_cell, sequence_length, state_size=state_size,
                  num_layers=num_layers, bidirectional=bidirectional, mode=mode, p=p,
                  state_outputs=state_outputs, projection_size=projection_size,
                  lstm_state_clip_min=lstm_state_clip_min,
                  lstm_state_clip_max=lstm_state_clip_max,
                  lstm_state_clip_nan=lstm_state_clip_nan,
                  use_sequence_length=use_sequence_length)
    return list(out) if isinstance(out, (list, tuple)) else out


@legacy_op("ROIPooling", ("data", "rois"))
def ROIPooling(data, rois, pooled_size, spatial_scale):
    """Max pooling of each region of interest to ``pooled_size``."""
    return npx.roi_pooling(data, rois, pooled_size=tuple(pooled_size),
                           spatial_scale=spatial_scale)


@legacy_op("dot", ("lhs", "rhs"))
def dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """lhs's last axis against rhs's first (after the optional transposes); two vectors: (1,)."""
    a = np.transpose(lhs) if transpose_a else lhs
    b = np.transpose(rhs) if transpose_b else rhs
    out = np.tensordot(a, b, axes=1)
    return at_least_1d(out)


@legacy_op("batch_dot", ("lhs", "rhs"))
def batch_dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Matrix products batch by batch."""
    try:
        return npx.batch_dot(lhs, rhs, transpose_a=transpose_a, transpose_b=transpose_b)
    except OpTypeError:
        raise
    except TypeError as e:  # MXNet's check is an MXNetError: OpTypeError is both
        raise OpTypeError(str(e)) from e


@legacy_op("khatri_rao", ("args",), variadic=True)
def khatri_rao(*args):
    """The column-wise Kronecker product of matrices with the same number of columns."""
    out = args[0]
    for m in args[1:]:
        out = np.reshape(np.expand_dims(out, 1) * np.expand_dims(m, 0), (-1, m.shape[-1]))
    return out


@legacy_op("smooth_l1")
def smooth_l1(data, scalar=1.0):
    """0.5 (scalar x)^2 for |x| < 1/scalar^2, else |x| - 0.5/scalar^2; integers as MXNet's
    kernel computes them: the scalar cast to the dtype, the float result truncated."""
    if onp.dtype(data.dtype).kind in "iu" and type(data._data) is onp.ndarray:
        b = onp.float32(legacy_scalar(data, scalar))
        a = data._data.astype(onp.float32)
        with onp.errstate(all="ignore"):
            ibsq = onp.float32(1) / (b * b)
            out = onp.where(a > ibsq, a - onp.float32(0.5) * ibsq,
                            onp.where(a < -ibsq, -a - onp.float32(0.5) * ibsq,
                                      onp.float32(0.5) * a * a * (b * b)))
        return np.array(c_cast(out, data.dtype), dtype=data.dtype, ctx=data.context)
    return npx.smooth_l1(data, scalar)


@legacy_op("softmax_cross_entropy", ("data", "label"))
def softmax_cross_entropy(data, label):
    """The summed cross-entropy of softmax(data) against integer labels, shape (1,)."""
    picked = npx.pick(npx.log_softmax(data, axis=-1), label, axis=-1)
    return np.reshape(-np.sum(picked), (1,))


def _exact_l2(data) -> bool:
    """Whether ``norm`` takes MXNet's own pass (``l2_norm``, which reads the values): a dense
    float32/float64 array, outside ``autograd.record`` (the composite below is the one with a
    gradient) and outside a hybridized block's trace (which has no values to read)."""
    return getattr(data, "stype", "default") == "default" and not autograd.is_recording() \
        and STATE.tracer is None and onp.dtype(data.dtype) in (onp.float32, onp.float64)


@legacy_op("norm")
def norm(data, ord=2, axis=None, out_dtype=None, keepdims=False):
    """The L1 or L2 norm over ``axis`` (all axes: shape (1,))."""
    if ord not in (1, 2):
        raise OpError(f"norm: norm only supports ord=1 and ord=2, got ord={ord}")
    if ord == 2 and axis is None and _exact_l2(data):
        out = l2_norm(data)  # MXNet's nrm2 pass: bit for bit on the CPU
        out = out.reshape((1,) * data.ndim) if keepdims and data.ndim > 1 else out
        return out if out_dtype is None else out.astype(out_dtype)
    if ord == 2 and onp.dtype(data.dtype).kind in "biu":  # MXNet's nrm2 in integers (or bools)
        exact = _exact_host("norm2", data, _axes(data, axis, False, "norm"), keepdims)
        if exact is not None:
            return exact if out_dtype is None else exact.astype(out_dtype)
    mag = np.abs(data) if ord == 1 else np.square(data)
    out = _reduce(np.sum, "norm", mag, axis, keepdims, False)
    out = out if ord == 1 else np.sqrt(out)
    return out if out_dtype is None else out.astype(out_dtype)


@legacy_op("add_n", ("args",), aliases=("ElementWiseSum",), variadic=True)
def add_n(*args):
    """The elementwise sum of all inputs."""
    return builtins.sum(args[1:], args[0])


@legacy_op("moments", num_outputs=2)
def moments(data, axes=None, keepdims=False):
    """[mean, variance] over ``axes``."""
    axes = None if axes is None else tuple(axes)
    mean = np.mean(data, axis=axes, keepdims=True)
    var = np.mean(np.square(data - mean), axis=axes, keepdims=keepdims)
    return [mean if keepdims else np.squeeze(mean, axes), var]


@legacy_op("cumsum", ("a",))
def cumsum(a, axis=None, dtype=None):
    """Running sums along ``axis`` (of the flattened array for None)."""
    return np.cumsum(a, axis=axis, dtype=dtype)


@legacy_op("Correlation", ("data1", "data2"))
def Correlation(data1, data2, kernel_size=1, max_displacement=1, stride1=1, stride2=1,
                pad_size=0, is_multiply=True):
    """FlowNet's correlation: for each displacement (row-major over the grid of
    ``max_displacement // stride2``), the mean over channels and a ``kernel_size`` window of
    data1 * shifted data2 (or |data1 - shifted data2|), at every ``stride1``-th position.
    """
    pad = ((0, 0), (0, 0), (pad_size, pad_size), (pad_size, pad_size))
    a, b = np.pad(data1, pad), np.pad(data2, pad)
    hp, wp = a.shape[2:]
    md, radius = max_displacement, max_displacement // stride2
    center = a[:, :, md:hp - md, md:wp - md]
    maps = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            oy, ox = md + dy * stride2, md + dx * stride2
            moved = b[:, :, oy:oy + center.shape[2], ox:ox + center.shape[3]]
            diff = center - moved  # |diff|, whose gradient is +1 at a tie as MXNet's
            pair = center * moved if is_multiply else np.where(diff >= 0, diff, -diff)
            maps.append(np.mean(pair, axis=1))
    stacked = np.stack(maps, axis=1)
    return npx.pooling(stacked, kernel=(kernel_size, kernel_size), stride=(stride1, stride1),
                       pool_type="avg")
