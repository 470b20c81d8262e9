"""npx.fully_connected, npx.embedding and npx.dropout.

fully_connected with a bias is one op (``x @ w.T + b``, its rules dot's and a row sum);
without one it is dot. embedding and dropout are composites: their gradients come from
getitem (whose adjoint is a scatter-add, so repeated embedding indices accumulate) and
multiply by a constant mask.
"""
from __future__ import annotations

import math
import operator

from ... import _dtypes
from ..._ndarray import ndarray
from ..._tape import STATE
from ...base import OpError, OpTypeError
from .. import elementwise as ew
from ..checks import check_input_dtypes, input_count_error
from ..indexing import getitem_prim
from ..linalg.products import _dot
from ..primitive import Primitive, sum_to, write_out
from ..random import parallel
from ..reduction import _sum
from ..shape import _reshape
from .basic import float_input


def _required(name: str, what: str, value):
    if value is None:
        raise TypeError(f"{name}: the required parameter {what} is missing")
    return operator.index(value)


# ---- fully_connected ------------------------------------------------------------------------
def _check_fc(data, weight, bias, num_hidden, no_bias, flatten):
    """The input width the weight must have; raises on any mismatch."""
    x = float_input("fully_connected", data)
    check_input_dtypes("fully_connected", x, [weight, bias])
    if no_bias and bias is not None:
        raise input_count_error("FullyConnected", 3, 2)
    if not no_bias and bias is None:
        raise input_count_error("FullyConnected", 2, 3, OpTypeError)
    shape = x.shape
    if not shape:
        raise OpError("fully_connected: data must have at least one dimension, got shape ()")
    width = (shape[1] if len(shape) == 2 else math.prod(shape[1:])) if flatten else shape[-1]
    if weight.shape != (num_hidden, width):
        raise OpError(f"fully_connected: weight of shape {weight.shape} does not fit data of "
                      f"shape {shape} (flatten={flatten}); expected {(num_hidden, width)}")
    if bias is not None and bias.shape != (num_hidden,):
        raise OpError(f"fully_connected: bias must have shape {(num_hidden,)}, got "
                      f"{bias.shape}")
    return width


def fully_connected(data, weight, bias=None, num_hidden=None, no_bias=False, flatten=True,
                    out=None, name=None):
    """``data @ weight.T + bias`` with weight (num_hidden, in); ``flatten`` folds all axes
    after the first into one (a 1-D input of n becomes n rows of width 1, as in MXNet).

    Differs from MXNet: an empty batch gives an empty result (MXNet fails).
    """
    num_hidden = _required("fully_connected", "num_hidden", num_hidden)
    width = _check_fc(data, weight, bias, num_hidden, no_bias, flatten)
    # dot's transpose flag and reshape views: no copy of the weight or the data per call, and
    # the weight enters the graph directly (a recorded weight.T would be one node shared by
    # the forward graph and every gradient graph, so freeing one gradient's graph, as
    # autograd.grad without retain_graph does, would cut the weight off the others)
    shape = data.shape
    if len(shape) == 2:
        x2 = data
    else:
        rows = shape[0] if flatten else math.prod(shape[:-1])
        x2 = _reshape(data, shape=(rows, width), copy=False)
    y = _dot(x2, weight, tb=True) if bias is None else _fc(x2, weight, bias)
    if not flatten and len(shape) != 2:
        y = _reshape(y, shape=data.shape[:-1] + (num_hidden,), copy=False)
    return write_out(y, out)


def _fc_forward(xp, x, w, b):
    y = xp.dot(x, w.T)
    y += b  # the product is a fresh array: the bias goes in without another one
    return y


def _fc_bias_vjp(g, ans, x, w, b):
    # float32 rows summed one after another in float32, as MXNet's (MKLDNN) FullyConnected
    # does, to the last bit; other dtypes as any broadcast's adjoint (float16 in float64)
    if g._data.dtype == "float32":
        return _sum(g, axis=(0,), in_rows=True)
    return sum_to(g, b.shape, "fully_connected")


# x (rows, width) @ w.T + b as one op: one node, the bias added in place
_fc = Primitive("fully_connected", _fc_forward,
                (lambda g, ans, x, w, b: _dot(g, w),
                 lambda g, ans, x, w, b: _dot(g, x, ta=True), _fc_bias_vjp), keep=(0, 1))


# ---- embedding ------------------------------------------------------------------------------
def embedding(data, weight, input_dim=None, output_dim=None, dtype="float32",
              sparse_grad=False, out=None, name=None):
    """Rows of ``weight`` (input_dim, output_dim) at the indices ``data``.

    Indices are truncated to integers and clipped into [0, input_dim) (no error). The output
    has the weight's dtype (MXNet ignores ``dtype`` once a weight is given). Differs from
    MXNet: ``sparse_grad`` gives a dense gradient (MXNet refuses a dense gradient buffer) and
    ``data`` takes no gradient (MXNet raises if asked for one).
    """
    input_dim = _required("embedding", "input_dim", input_dim)
    output_dim = _required("embedding", "output_dim", output_dim)
    _dtypes.as_dtype(dtype, "embedding")
    if not isinstance(data, ndarray) or not isinstance(weight, ndarray):
        raise TypeError("embedding: data and weight must be mxnp ndarrays")
    if weight.shape != (input_dim, output_dim):
        raise OpError(f"embedding: weight must have shape {(input_dim, output_dim)} "
                      f"(input_dim, output_dim), got {weight.shape}")
    if data._device is not weight._device:
        raise OpError(f"embedding: data on {data._device} and weight on {weight._device}; "
                      "move one with .as_in_ctx()")
    xp = data._device.xp
    index = data._data.astype(_dtypes.INDEX)  # float indices truncate, as MXNet's cast does
    index = xp.clip(index, 0, input_dim - 1)
    return write_out(getitem_prim(weight, key=(index,)), out)


# ---- dropout --------------------------------------------------------------------------------
def _mask_shape(name, shape, axes):
    """``shape`` with the shared ``axes`` set to 1 (negative axes count from the end)."""
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    out = list(shape)
    for a in axes:
        if not -len(shape) <= a < len(shape):
            raise OpError(f"{name}: axis {a} in axes is out of range for data of shape "
                          f"{shape}")
        out[a] = 1
    return tuple(out)


def dropout(data, p=0.5, mode="training", axes=(), cudnn_off=False, out=None, name=None):
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p), in training
    mode (``autograd.is_training()``) or always with ``mode='always'``; else the identity.

    ``axes`` share one draw along those axes. The mask is drawn from the device's parallel
    engines as MXNet's CPU kernel draws it, so after ``mx.random.seed`` it is MXNet's. Differs
    from MXNet: p = 1 gives zeros (MXNet: nan) and negative axes are accepted.
    """
    x = float_input("dropout", data)
    if mode not in ("training", "always"):
        raise OpError(f"dropout: invalid mode {mode!r}; valid values are ['always', "
                      "'training']")
    if not 0 <= p <= 1:
        raise OpError(f"dropout: p must be in [0, 1], got {p}")
    shape = _mask_shape("dropout", x.shape, axes)
    if not (mode == "always" or STATE.training):
        return write_out(ew.positive(x), out)  # a copy, as MXNet's identity pass returns
    return write_out(x * parallel.keep_mask(p, shape, x._data.dtype, x._device), out)
