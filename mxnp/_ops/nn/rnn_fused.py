"""The fused RNN's raw kernels: a whole sequence forward, and its backward (BPTT) by hand.

These run on the backend's arrays (``xp``), not on ops: ``rnn.py`` wraps them in one primitive.
Per layer and direction the forward makes one GEMM for the input projection of every timestep
(``X @ W_ih^T`` over all T·N rows), then one small GEMM per step (``W_hh @ h^T``) and the gate
nonlinearities in place. The backward walks the steps in reverse with one small GEMM per step
(``dgates @ W_hh``), then makes every weight gradient and the input gradient with one GEMM each
over all timesteps.

The forward keeps, in one workspace array, what the backward reads: the gates after their
nonlinearities (T, N, gates·H) per layer and direction, the cell states and their tanh (LSTM)
or the h2h part of the candidate gate (GRU) (T, N, H), and each layer's output but the last's.
Where the compiled core is built, the LSTM's step arithmetic runs in C loops (``_libm``'s
``lstm_step_in``/``lstm_step_cell`` around NumPy's exp and tanh, and ``lstm_backward_step``):
the same operations as its NumPy passes here, in the same order, so the same bits.
Parameters follow cuDNN's flat layout (see ``rnn.py``); gate order LSTM i, f, g, o; GRU r, z, n.
"""
from __future__ import annotations

import math

import numpy as onp

from ... import _native

_LIBM = _native.libm()
GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}


def layer_shapes(mode, inputs, size, layers, dirs, projection=None):
    """``(layer, direction, name, shape)`` for every tensor of the flat vector, in its order."""
    g, rec = GATES[mode] * size, projection or size
    weights, biases = [], []
    for layer in range(layers):
        fan_in = inputs if layer == 0 else dirs * rec
        for d in range(dirs):
            weights += [(layer, d, "i2h", (g, fan_in)), (layer, d, "h2h", (g, rec))]
            if projection:
                weights.append((layer, d, "h2r", (projection, size)))
            biases += [(layer, d, "i2h_bias", (g,)), (layer, d, "h2h_bias", (g,))]
    return weights + biases


def param_slices(mode, inputs, size, layers, dirs):
    """``{(layer, direction): (w_ih, w_hh, b_ih, b_hh)}`` as (start, shape) in the flat vector,
    and the vector's length."""
    slices, pos = {}, 0
    for layer, d, _, shape in layer_shapes(mode, inputs, size, layers, dirs):
        slices.setdefault((layer, d), []).append((pos, shape))
        pos += math.prod(shape)
    return slices, pos


def _take(flat, where):
    start, shape = where
    return flat[start:start + math.prod(shape)].reshape(shape)


def _workspace_views(ws, mode, steps, batch, size, layers, dirs):
    """Cut the workspace: ``(outputs of each layer but the last, {(l, d): (acts, extra,
    tanh_c)})``, ``tanh_c`` the LSTM's tanh of its cells (else None)."""
    g, rows = GATES[mode] * size, steps * batch
    outs, cells, pos = [], {}, 0
    for layer in range(layers):
        for d in range(dirs):
            acts = ws[pos:pos + rows * g].reshape(steps, batch, g)
            pos += rows * g
            extra = tanh_c = None
            if mode in ("lstm", "gru"):
                extra = ws[pos:pos + rows * size].reshape(steps, batch, size)
                pos += rows * size
            if mode == "lstm":
                tanh_c = ws[pos:pos + rows * size].reshape(steps, batch, size)
                pos += rows * size
            cells[layer, d] = (acts, extra, tanh_c)
        if layer < layers - 1:
            outs.append(ws[pos:pos + rows * dirs * size].reshape(steps, batch, dirs * size))
            pos += rows * dirs * size
    return outs, cells


def _ws_count(mode, steps, batch, size, layers, dirs):
    per_cell = GATES[mode] * size + {"lstm": 2 * size, "gru": size}.get(mode, 0)
    return steps * batch * (layers * dirs * per_cell + (layers - 1) * dirs * size)


def _kernel(xp, *arrays):
    """Whether an LSTM step can run in ``_libm``'s one-pass loop: host arrays of one float
    dtype (float32 or float64), each row's entries adjacent."""
    if _LIBM is None or xp is not onp:
        return False
    dtype = arrays[0].dtype
    return dtype in (onp.float32, onp.float64) and all(
        a.dtype == dtype and a.strides[-1] == a.itemsize for a in arrays)


def _sigmoid_(xp, a):
    """a = 1 / (1 + exp(-a)) in place (exp overflows to inf for large -a: the result is 0).
    ``multiply(a, -1)``, not ``negative``: NumPy 2.4's float32/int32 negative misreads an
    output and input with an inner stride (a gate column when the hidden size is 1)."""
    xp.multiply(a, -1, out=a)
    xp.exp(a, out=a)
    a += 1
    xp.reciprocal(a, out=a)


def _forward_direction(xp, mode, x, w, h, c, acts, extra, tanh_c, out, reverse):
    """One layer and direction over the sequence; writes ``out`` (T, N, H), returns h_T, c_T."""
    w_ih, w_hh, b_ih, b_hh = w
    steps, batch = x.shape[:2]
    size = w_hh.shape[1]
    rows = steps * batch  # explicit widths below: -1 cannot be inferred when rows is 0
    xp.matmul(x.reshape(rows, x.shape[2]), w_ih.T, out=acts.reshape(rows, acts.shape[2]))
    acts += b_ih if mode == "gru" else b_ih + b_hh
    # each step's h2h term as W_hh h^T, (gates, N): with N small, BLAS runs this shape ~10-25%
    # faster than h W_hh^T (and twice as fast as on a transposed view of W_hh)
    hg_t = xp.empty((w_hh.shape[0], batch), acts.dtype)
    hg = hg_t.T
    tmp = xp.empty((batch, size), acts.dtype)
    h2 = 2 * size
    kernel = mode == "lstm" and _kernel(xp, acts, c, extra)
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        a = acts[t]
        xp.matmul(w_hh, h.T, out=hg_t)
        if kernel:  # the passes below in four calls
            _LIBM.lstm_step_in(a, hg_t)
            xp.exp(a[:, :h2], out=a[:, :h2])
            xp.tanh(a[:, h2:3 * size], out=a[:, h2:3 * size])
            xp.exp(a[:, 3 * size:], out=a[:, 3 * size:])
            _LIBM.lstm_step_cell(a, c, extra[t])
            c = extra[t]
            xp.tanh(c, out=tanh_c[t])  # kept for the backward
            xp.multiply(a[:, 3 * size:], tanh_c[t], out=out[t])  # o tanh(c)
        elif mode == "lstm":
            a += hg
            _sigmoid_(xp, a[:, :h2])
            xp.tanh(a[:, h2:3 * size], out=a[:, h2:3 * size])
            _sigmoid_(xp, a[:, 3 * size:])
            ct = extra[t]
            xp.multiply(a[:, size:h2], c, out=ct)  # f c
            xp.multiply(a[:, :size], a[:, h2:3 * size], out=tmp)  # i g
            ct += tmp
            xp.tanh(ct, out=tanh_c[t])  # kept for the backward
            xp.multiply(a[:, 3 * size:], tanh_c[t], out=out[t])  # o tanh(c)
            c = ct
        elif mode == "gru":
            # cuDNN's GRU: the reset gate scales the h2h term with its bias
            hg += b_hh
            extra[t] = hg[:, h2:]
            a[:, :h2] += hg[:, :h2]
            _sigmoid_(xp, a[:, :h2])
            n = a[:, h2:]
            xp.multiply(a[:, :size], extra[t], out=tmp)
            n += tmp
            xp.tanh(n, out=n)
            ht = out[t]
            xp.subtract(h, n, out=ht)  # (1 - z) n + z h = n + z (h - n)
            ht *= a[:, size:h2]
            ht += n
        else:
            a += hg
            if mode == "rnn_tanh":
                xp.tanh(a, out=a)
            else:
                xp.maximum(a, 0, out=a)
            out[t] = a
        h = out[t]
    return h, c


def forward(xp, mode, data, flat, h0, c0, masks, size, layers, dirs):
    """``(y, h_n, c_n or None, workspace)``; ``masks`` scale the input of each layer but the
    first (dropout), or is empty."""
    steps, batch = data.shape[:2]
    slices, _ = param_slices(mode, data.shape[2], size, layers, dirs)
    ws = xp.empty(_ws_count(mode, steps, batch, size, layers, dirs), data.dtype)
    outs, cells = _workspace_views(ws, mode, steps, batch, size, layers, dirs)
    y = xp.empty((steps, batch, dirs * size), data.dtype)
    h_n = xp.empty(h0.shape, data.dtype)
    c_n = xp.empty(c0.shape, data.dtype) if c0 is not None else None
    x = data
    for layer in range(layers):
        if layer and masks:
            x = x * masks[layer - 1]
        out = y if layer == layers - 1 else outs[layer]
        for d in range(dirs):
            k = layer * dirs + d
            w = tuple(_take(flat, s) for s in slices[layer, d])
            acts, extra, tanh_c = cells[layer, d]
            h, c = _forward_direction(xp, mode, x, w, h0[k], None if c0 is None else c0[k],
                                      acts, extra, tanh_c, out[:, :, d * size:(d + 1) * size],
                                      d == 1)
            h_n[k] = h
            if c_n is not None:
                c_n[k] = c
        x = out
    return y, h_n, c_n, ws


def _backward_direction(xp, mode, x, w, h0, c0, acts, extra, tanh_c, out, reverse, gout, dh,
                        dc, dw, dx, add_dx):
    """BPTT of one layer and direction: writes the four parameter gradients ``dw`` and
    ``dx`` (or adds to it), and leaves the gradients of h0 and c0 in ``dh`` and ``dc``."""
    w_ih, w_hh = w[:2]
    steps, batch = x.shape[:2]
    size, g = w_hh.shape[1], w_hh.shape[0]
    h2 = 2 * size
    dacts = xp.empty_like(acts)  # cotangents of the gates before their nonlinearities
    dhg_all = xp.empty_like(acts) if mode == "gru" else dacts  # ... of the h2h terms
    tmp = xp.empty((batch, size), acts.dtype)
    tmp2 = xp.empty((batch, h2), acts.dtype)
    first = steps - 1 if reverse else 0
    kernel = mode == "lstm" and gout.dtype == acts.dtype and _kernel(xp, acts, c0, dh, dc)
    if kernel and gout.strides[-1] != gout.itemsize:  # (a broadcast head gradient)
        gout = xp.ascontiguousarray(gout)
    for t in (range(steps) if reverse else range(steps - 1, -1, -1)):
        a, da = acts[t], dacts[t]
        if kernel:  # the passes below in one
            c_prev = c0 if t == first else extra[t + 1 if reverse else t - 1]
            _LIBM.lstm_backward_step(a, tanh_c[t], c_prev, dh, gout[t], dc, da)
            xp.matmul(da, w_hh, out=dh)
            continue
        h_prev = h0 if t == first else out[t + 1 if reverse else t - 1]
        dh += gout[t]
        if mode == "lstm":
            c_prev = c0 if t == first else extra[t + 1 if reverse else t - 1]
            i, f, gg, o = a[:, :size], a[:, size:h2], a[:, h2:3 * size], a[:, 3 * size:]
            di, df, dg, do = da[:, :size], da[:, size:h2], da[:, h2:3 * size], da[:, 3 * size:]
            xp.multiply(dh, tanh_c[t], out=do)
            xp.multiply(tanh_c[t], tanh_c[t], out=tmp)
            xp.subtract(1, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp  # dc_t = dc_{t+1} f_{t+1} + dh o (1 - tanh(c)^2)
            xp.multiply(dc, gg, out=di)
            xp.multiply(dc, i, out=dg)
            xp.multiply(dc, c_prev, out=df)
            dc *= f
            xp.subtract(1, a[:, :h2], out=tmp2)  # sigmoid' = s (1 - s), for i and f at once
            tmp2 *= a[:, :h2]
            da[:, :h2] *= tmp2
            xp.subtract(1, o, out=tmp)
            tmp *= o
            do *= tmp
            xp.multiply(gg, gg, out=tmp)
            xp.subtract(1, tmp, out=tmp)
            dg *= tmp
            xp.matmul(da, w_hh, out=dh)
        elif mode == "gru":
            r, z, n = a[:, :size], a[:, size:h2], a[:, h2:]
            dr, dz, dn = da[:, :size], da[:, size:h2], da[:, h2:]
            dhg = dhg_all[t]
            xp.subtract(h_prev, n, out=dz)
            dz *= dh
            xp.subtract(1, z, out=dn)
            dn *= dh
            xp.multiply(n, n, out=tmp)
            xp.subtract(1, tmp, out=tmp)
            dn *= tmp
            xp.multiply(dn, r, out=dhg[:, h2:])
            xp.multiply(dn, extra[t], out=dr)
            xp.subtract(1, a[:, :h2], out=tmp2)
            tmp2 *= a[:, :h2]
            da[:, :h2] *= tmp2
            dhg[:, :h2] = da[:, :h2]
            dh *= z
            xp.matmul(dhg, w_hh, out=tmp)
            dh += tmp
        else:
            if mode == "rnn_tanh":
                xp.multiply(a, a, out=tmp)
                xp.subtract(1, tmp, out=tmp)
                xp.multiply(dh, tmp, out=da)
            else:  # relu passes no gradient at 0, as MXNet's
                xp.multiply(dh, a > 0, out=da)
            xp.matmul(da, w_hh, out=dh)
    rows = steps * batch
    hp = xp.empty((steps, batch, size), acts.dtype)  # the h each step multiplied by W_hh
    if steps == 0:
        hp = out
    elif reverse:
        hp[:-1], hp[-1] = out[1:], h0
    else:
        hp[1:], hp[0] = out[:-1], h0
    dw_ih, dw_hh, db_ih, db_hh = dw
    da2, dhg2 = dacts.reshape(rows, g), dhg_all.reshape(rows, g)
    xp.matmul(dhg2.T, hp.reshape(rows, size), out=dw_hh)
    xp.matmul(da2.T, x.reshape(rows, x.shape[2]), out=dw_ih)
    da2.sum(axis=0, out=db_ih)
    if mode == "gru":
        dhg2.sum(axis=0, out=db_hh)
    else:
        db_hh[...] = db_ih
    if add_dx:
        dx += xp.matmul(da2, w_ih).reshape(dx.shape)
    else:
        xp.matmul(da2, w_ih, out=dx.reshape(rows, x.shape[2]))


def backward(xp, mode, data, flat, h0, c0, masks, y, ws, gy, ghn, gcn, size, layers, dirs):
    """Cotangents ``(data, flat parameters, h0, c0 or None)`` from those of y, h_n, c_n;
    ``y`` and ``ws`` are what the forward returned."""
    steps, batch = data.shape[:2]
    slices, _ = param_slices(mode, data.shape[2], size, layers, dirs)
    outs, cells = _workspace_views(ws, mode, steps, batch, size, layers, dirs)
    dflat = xp.empty_like(flat)  # every part is written below
    dh0 = xp.empty_like(h0)
    dc0 = None if c0 is None else xp.empty_like(c0)
    gout = gy
    for layer in range(layers - 1, -1, -1):
        x = data if layer == 0 else outs[layer - 1]
        if layer and masks:
            x = x * masks[layer - 1]
        out = y if layer == layers - 1 else outs[layer]
        dx = xp.empty(x.shape, x.dtype)
        for d in range(dirs):
            k = layer * dirs + d
            part = slice(d * size, (d + 1) * size)
            w = tuple(_take(flat, s) for s in slices[layer, d])
            dw = tuple(_take(dflat, s) for s in slices[layer, d])
            acts, extra, tanh_c = cells[layer, d]
            dh = ghn[k].copy()
            dc = None if c0 is None else gcn[k].copy()
            _backward_direction(xp, mode, x, w, h0[k], None if c0 is None else c0[k], acts,
                                extra, tanh_c, out[:, :, part], d == 1, gout[:, :, part], dh,
                                dc, dw, dx, d > 0)
            dh0[k] = dh
            if dc0 is not None:
                dc0[k] = dc
        if layer and masks:
            dx *= masks[layer - 1]
        gout = dx
    return gout, dflat, dh0, dc0
