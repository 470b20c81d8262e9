"""npx.rnn: MXNet's fused RNN operator (rnn_relu, rnn_tanh, lstm, gru).

The common configurations run as one primitive, ``_fused``, on the raw kernels of
``rnn_fused.py`` (the whole sequence forward, a hand-written backward through time). State
clipping, projection and sequence lengths run as a composite of differentiable ops instead:
the time loop in Python over timesteps, each step one matmul for all gates of the batch. The
composite is also how ``_fused`` differentiates under ``create_graph``, so gradients of any
order stay available.

The flat parameter vector follows cuDNN's layout, as MXNet's does: first every weight, for each
layer, then each direction: i2h ``(gates*H, input)``, h2h ``(gates*H, R)`` and, with a
projection, h2r ``(P, H)``; then every bias in the same order: i2h ``(gates*H,)``, h2h
``(gates*H,)``. Gate order: LSTM i, f, g, o; GRU r, z, n. R is P with a projection, else H.
"""
from __future__ import annotations

import math

import numpy as onp

from ..._ndarray import _wrap, ndarray
from ..._tape import STATE, gather, scope, walk
from ...base import OpError
from ..creation import arange, ones
from ..elementwise import add, clip, less, multiply, positive, subtract, tanh, where
from ..indexing import getitem
from .layers import dropout
from ..linalg.products import matmul
from ..math import isnan
from .basic import relu, sigmoid
from ..primitive import Primitive, write_out
from ..shape import concatenate, reshape, split, stack, transpose
from . import rnn_fused
from .rnn_fused import GATES as _GATES, layer_shapes as _layer_shapes


def _fail(msg: str):
    raise OpError(f"npx.rnn: {msg}")


def _check_size(parameters, shapes) -> None:
    expected = sum(math.prod(s) for *_, s in shapes)
    if parameters.ndim != 1 or parameters.shape[0] != expected:
        _fail(f"parameters must be a vector of {expected} values for this configuration, got "
              f"shape {parameters.shape}")


def _unpack(parameters, shapes) -> dict:
    """The flat vector cut into its tensors: ``{(layer, direction): {name: array}}``."""
    out, start = {}, 0
    for layer, d, name, shape in shapes:
        n = math.prod(shape)
        w = reshape(getitem(parameters, slice(start, start + n)), shape)
        # weights are stored (out, in); a step multiplies rows of inputs: keep them transposed
        out.setdefault((layer, d), {})[name] = transpose(w) if w.ndim == 2 else w
        start += n
    return out


def _check_options(mode, state_size, num_layers, p, projection_size, clip_min, clip_max):
    if mode not in _GATES:
        _fail(f"mode must be one of {sorted(_GATES)}, got {mode!r}")
    for name, v in (("state_size", state_size), ("num_layers", num_layers)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            _fail(f"{name} must be a positive int (it is required), got {v!r}")
    if not 0 <= p <= 1:
        _fail(f"p (the dropout rate) must lie in [0, 1], got {p}")
    if projection_size is not None and (mode != "lstm" or projection_size < 1):
        _fail(f"projection_size needs mode='lstm' and a positive size, got {projection_size!r} "
              f"with mode={mode!r}")
    if (clip_min is None) != (clip_max is None):
        _fail("lstm_state_clip_min and lstm_state_clip_max must be given together")


def _check_state(name, a, expected, dtype):
    if not isinstance(a, ndarray):
        _fail(f"{name} must be an ndarray of shape {expected}, got {type(a).__name__}")
    if a.shape != expected:
        _fail(f"{name} must have shape {expected} (layers*directions, batch, size), got "
              f"{a.shape}")
    if a.dtype != dtype:
        _fail(f"all inputs must share the data's dtype {dtype}; {name} is {a.dtype}")


def _check_inputs(data, parameters, state, state_cell, mode, num_states, rec, state_size):
    if not isinstance(data, ndarray) or data.ndim != 3:
        _fail("data must be an ndarray of shape (sequence length, batch, input size), got "
              f"{getattr(data, 'shape', type(data).__name__)}")
    if data._data.dtype.kind != "f":
        _fail(f"data must be a floating-point array, got {data.dtype}")
    if not isinstance(parameters, ndarray):
        _fail(f"parameters must be an ndarray, got {type(parameters).__name__}")
    if parameters.dtype != data.dtype:
        _fail(f"all inputs must share the data's dtype {data.dtype}; parameters is "
              f"{parameters.dtype}")
    batch = data.shape[1]
    _check_state("state", state, (num_states, batch, rec), data.dtype)
    if mode == "lstm":
        _check_state("state_cell", state_cell, (num_states, batch, state_size), data.dtype)
    elif state_cell is not None:
        _fail(f"state_cell is for mode='lstm' only; mode is {mode!r}")


def _valid_steps(data, sequence_length, use_sequence_length):
    """A (T, N, 1) bool mask of the steps inside each sequence, or None for full sequences."""
    if not use_sequence_length:
        if sequence_length is not None:
            _fail("sequence_length is given but use_sequence_length is False")
        return None
    steps, batch = data.shape[:2]
    if not isinstance(sequence_length, ndarray) or sequence_length.shape != (batch,):
        _fail(f"use_sequence_length needs sequence_length of shape ({batch},), got "
              f"{getattr(sequence_length, 'shape', sequence_length)!r}")
    positions = arange(steps, ctx=data.ctx).reshape(steps, 1, 1)
    return less(positions, reshape(sequence_length, (1, batch, 1)).astype(positions.dtype))


def _lstm_step(gates, h, c, w, clip_range):
    i, f, g, o = split(gates, 4, axis=-1)
    c = add(multiply(sigmoid(f), c), multiply(sigmoid(i), tanh(g)))
    if clip_range is not None:
        low, high, stop_nan = clip_range
        c = clip(c, low, high)
        if stop_nan:  # cuDNN's NOT_PROPAGATE_NAN: a NaN state is clipped too (to the minimum)
            c = where(isnan(c), low, c)
    h = multiply(sigmoid(o), tanh(c))
    return (h if "h2r" not in w else matmul(h, w["h2r"])), c


def _gru_step(x_gates, h, w, size):
    # cuDNN's GRU: the reset gate scales the h2h term including its bias (not h before it)
    h_gates = add(matmul(h, w["h2h"]), w["h2h_bias"])
    xr, xn = split(x_gates, [2 * size], axis=-1)
    hr, hn = split(h_gates, [2 * size], axis=-1)
    r, z = split(sigmoid(add(xr, hr)), 2, axis=-1)
    n = tanh(add(xn, multiply(r, hn)))
    return add(n, multiply(z, subtract(h, n)))  # (1 - z) n + z h


def _step(mode, x_gates, h, c, w, size, clip_range):
    """One timestep of one direction: the new recurrent state and (LSTM) cell state."""
    if mode == "gru":
        return _gru_step(x_gates, h, w, size), None
    gates = add(add(x_gates, matmul(h, w["h2h"])), w["h2h_bias"])
    if mode == "lstm":
        return _lstm_step(gates, h, c, w, clip_range)
    return (relu(gates) if mode == "rnn_relu" else tanh(gates)), None


def _direction(mode, x, h, c, w, reverse, valid, size, clip_range):
    """One direction of one layer over the whole sequence: outputs (T, N, R), final h and c."""
    steps = x.shape[0]
    x_gates = add(matmul(x, w["i2h"]), w["i2h_bias"])  # all timesteps in one matmul
    outs = [None] * steps
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        h_new, c_new = _step(mode, getitem(x_gates, t), h, c, w, size, clip_range)
        if valid is None:
            h, c, outs[t] = h_new, c_new, h_new
            continue
        # past a sequence's end the state stays put and the output is 0 (cuDNN's padding)
        ok = getitem(valid, t)
        h = where(ok, h_new, h)
        c = None if c is None else where(ok, c_new, c)
        outs[t] = where(ok, h_new, 0.0)
    return stack(outs), h, c


def _layers(mode, data, weights, state, state_cell, valid, masks, cfg):
    """The stacked layers: the last layer's output and the final state of every direction.
    ``masks`` scale each layer's input but the first's (dropout), or are empty."""
    num_layers, dirs, size, clip_range = cfg
    x, hs, cs = data, [], []
    for layer in range(num_layers):
        if layer and masks:
            x = multiply(x, masks[layer - 1])
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            c0 = None if state_cell is None else getitem(state_cell, k)
            out, h, c = _direction(mode, x, getitem(state, k), c0, weights[layer, d],
                                   d == 1, valid, size, clip_range)
            outs.append(out)
            hs.append(h)
            cs.append(c)
        x = outs[0] if dirs == 1 else concatenate(outs, axis=-1)
    return x, stack(hs), (None if state_cell is None else stack(cs))


def _dropout_masks(data, p, num_layers, width):
    """Dropout between layers, in training only: one scaled mask per layer input but the
    first (npx.dropout of ones, so the draws come from the device's generator)."""
    if not (p and STATE.training and num_layers > 1):
        return ()
    shape = data.shape[:2] + (width,)
    return tuple(dropout(ones(shape, dtype=data.dtype, ctx=data.ctx), p=p)
                 for _ in range(num_layers - 1))


def _fused_forward(xp, data, parameters, state, state_cell, *masks, mode, size, layers,
                   dirs):
    with onp.errstate(over="ignore"):  # exp(-x) overflows to inf inside sigmoid: exact 0
        y, h_n, c_n, ws = rnn_fused.forward(xp, mode, data, parameters, state, state_cell,
                                            masks, size, layers, dirs)
    return (y, h_n, ws) if c_n is None else (y, h_n, c_n, ws)


def _fused_vjp(g, ans, data, parameters, state, state_cell, *masks, mode, size, layers, dirs):
    """The hand-written backward through time; under create_graph, the composite's."""
    cfg = (layers, dirs, size, None)
    if STATE.recording:
        return _traced_vjp(g, (data, parameters, state, state_cell), masks, mode, cfg)
    dev = data._device
    cell = None if state_cell is None else state_cell._data
    dx, dflat, dh0, dc0 = rnn_fused.backward(
        dev.xp, mode, data._data, parameters._data, state._data, cell,
        [m._data for m in masks], ans[0]._data, ans[-1]._data, g[0]._data, g[1]._data,
        None if cell is None else g[2]._data, size, layers, dirs)
    return ((_wrap(dx, dev), _wrap(dflat, dev), _wrap(dh0, dev),
             None if dc0 is None else _wrap(dc0, dev)) + (None,) * len(masks))


def _traced_vjp(g, inputs, masks, mode, cfg):
    """The same cotangents from the composite's tape, recorded, so that they can be
    differentiated again: each input enters through an identity op, where the walk stops."""
    with scope(True, None):
        xs = [None if a is None else positive(a) for a in inputs]
        data, parameters, state, state_cell = xs
        shapes = _layer_shapes(mode, data.shape[2], cfg[2], cfg[0], cfg[1], None)
        heads = _layers(mode, data, _unpack(parameters, shapes), state, state_cell, None,
                        masks, cfg)
    pairs = [(h, gi) for h, gi in zip(heads, g) if h is not None and h._node is not None]
    targets = {x._node for x in xs if x is not None and x._node is not None}
    found = gather(walk([h for h, _ in pairs], [gi for _, gi in pairs], True, True, targets))
    grads = [None if x is None or x._node is None else found.get(x._node) for x in xs]
    return tuple(grads) + (None,) * len(masks)


_fused = Primitive("rnn", _fused_forward, vjp_all=_fused_vjp)


def rnn(data=None, parameters=None, state=None, state_cell=None, sequence_length=None,
        state_size=None, num_layers=None, bidirectional=False, mode=None, p=0.0,
        state_outputs=False, projection_size=None, lstm_state_clip_min=None,
        lstm_state_clip_max=None, lstm_state_clip_nan=False, use_sequence_length=False,
        out=None, name=None, **kwargs):
    """MXNet's fused RNN over TNC data; returns the output, or [output, h_n(, c_n)].

    Differs from MXNet 1.9.1 on CPU, which silently ignores them: ``p`` (dropout between layers
    in training), ``lstm_state_clip_*`` and ``use_sequence_length`` act as documented, as cuDNN
    does on GPU. ``projection_size`` is refused outside LSTM.
    """
    if kwargs:
        raise TypeError(f"npx.rnn: unexpected arguments {sorted(kwargs)}")
    _check_options(mode, state_size, num_layers, p, projection_size, lstm_state_clip_min,
                   lstm_state_clip_max)
    dirs = 2 if bidirectional else 1
    rec = projection_size or state_size
    _check_inputs(data, parameters, state, state_cell, mode, num_layers * dirs, rec, state_size)
    shapes = _layer_shapes(mode, data.shape[2], state_size, num_layers, dirs, projection_size)
    _check_size(parameters, shapes)
    valid = _valid_steps(data, sequence_length, use_sequence_length)
    clip_range = None if lstm_state_clip_min is None else (
        lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan)
    masks = _dropout_masks(data, p, num_layers, dirs * rec)
    if projection_size or clip_range or valid is not None:
        cfg = (num_layers, dirs, state_size, clip_range)
        y, h_n, c_n = _layers(mode, data, _unpack(parameters, shapes), state, state_cell,
                              valid, masks, cfg)
    else:
        outs = _fused(data, parameters, state, state_cell, *masks, mode=mode,
                      size=state_size, layers=num_layers, dirs=dirs)
        y, h_n, c_n = outs[0], outs[1], (outs[2] if mode == "lstm" else None)
    if not state_outputs:
        return write_out(y, out)
    results = [y, h_n] + ([c_n] if mode == "lstm" else [])
    if out is not None:
        outs = out if isinstance(out, (list, tuple)) else [out]
        results = [write_out(r, o) for r, o in zip(results, outs)] + results[len(outs):]
    return results
