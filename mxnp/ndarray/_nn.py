"""MXNet 1.x's layer operators (``FullyConnected``, ``Convolution``, ``BatchNorm`` ...) and loss
layers, each a call into the ``npx`` op it shares with the NumPy face.
"""
from __future__ import annotations

import types

from .. import numpy as np
from .. import numpy_extension as npx
from .._ops import legacy as _legacy
from .._ops.nn.basic import softmin as _softmin
from ..base import OpError
from ._ctc import ctc_negative_log_likelihood
from ._define import legacy_op, no_bias_by_default, no_bias_inputs

_CONV_INPUTS = ("data", "weight", "bias")


@legacy_op("FullyConnected", _CONV_INPUTS, optional_inputs=no_bias_inputs)
def FullyConnected(data, weight, bias=None, num_hidden=None, no_bias=False, flatten=True):
    """``data @ weight.T + bias`` (data flattened to 2-D unless ``flatten=False``); a bias
    of shape (num_hidden, 1) is taken as (num_hidden,), as MXNet 1.9.1's shape check does."""
    if bias is not None and bias.ndim == 2 and bias.shape[1] == 1:
        bias = np.reshape(bias.as_np_ndarray(), (-1,))
    return npx.fully_connected(data, weight, bias, num_hidden=num_hidden, no_bias=no_bias,
                               flatten=flatten)


@legacy_op("Convolution", _CONV_INPUTS, aliases=("Convolution_v1",),
           optional_inputs=no_bias_inputs)
def Convolution(data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None,
                num_filter=None, num_group=1, workspace=1024, no_bias=False, cudnn_tune=None,
                cudnn_off=False, layout=None):
    """N-d convolution (1-D to 3-D), as ``npx.convolution``."""
    return npx.convolution(data, weight, bias, kernel=kernel, stride=stride or None,
                           dilate=dilate or None, pad=pad or None, num_filter=num_filter,
                           num_group=num_group, no_bias=no_bias, layout=layout)


@legacy_op("Deconvolution", _CONV_INPUTS, optional_inputs=no_bias_by_default)
def Deconvolution(data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None,
                  adj=None, target_shape=None, num_filter=None, num_group=1, workspace=512,
                  no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None):
    """Transposed convolution, as ``npx.deconvolution``."""
    return npx.deconvolution(data, weight, bias, kernel=kernel, stride=stride or None,
                             dilate=dilate or None, pad=pad or None, adj=adj or None,
                             target_shape=target_shape or None, num_filter=num_filter,
                             num_group=num_group, no_bias=no_bias, layout=layout)


@legacy_op("Activation")
def Activation(data, act_type=None):
    """relu, sigmoid, tanh, softrelu, softsign, log_sigmoid or mish."""
    return npx.activation(data, act_type=act_type)


@legacy_op("Pooling")
def Pooling(data, kernel=None, pool_type="max", global_pool=False, cudnn_off=False,
            pooling_convention="valid", stride=None, pad=None, p_value=None,
            count_include_pad=None, layout=None):
    """Max, average, sum or Lp pooling, as ``npx.pooling``."""
    return npx.pooling(data, kernel=kernel or None, pool_type=pool_type, global_pool=global_pool,
                       pooling_convention=pooling_convention, stride=stride or None,
                       pad=pad or None, p_value=p_value, count_include_pad=count_include_pad,
                       layout=layout)


def _bn_outputs(attrs):
    return 3 if attrs.get("output_mean_var") else 1


@legacy_op("BatchNorm", ("data", "gamma", "beta", "moving_mean", "moving_var"),
           aux=("moving_mean", "moving_var"), num_outputs=_bn_outputs)
def BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
              fix_gamma=True, use_global_stats=False, output_mean_var=False, axis=1,
              cudnn_off=False, min_calib_range=None, max_calib_range=None):
    """Batch normalisation; in training the moving statistics are updated in place."""
    return npx.batch_norm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                          fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                          output_mean_var=output_mean_var, axis=axis)


@legacy_op("BatchNorm_v1", ("data", "gamma", "beta", "moving_mean", "moving_var"),
           aux=("moving_mean", "moving_var"), num_outputs=_bn_outputs)
def BatchNorm_v1(data, gamma, beta, eps=1e-3, momentum=0.9, fix_gamma=True,
                 use_global_stats=False, output_mean_var=False, moving_mean=None,
                 moving_var=None):
    """The first BatchNorm (channels on axis 1); its graph node has the moving statistics as
    auxiliary states, as MXNet's (they come by name, after MXNet's positional arguments).
    Called on arrays without them, it starts from fresh ones (MXNet's array function cannot
    be given them: it refuses the call)."""
    channels = data.shape[1:2]
    if moving_mean is None:
        moving_mean = np.zeros(channels, dtype=data.dtype, ctx=data.context)
    if moving_var is None:
        moving_var = np.ones(channels, dtype=data.dtype, ctx=data.context)
    return BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
                     fix_gamma=fix_gamma, use_global_stats=use_global_stats,
                     output_mean_var=output_mean_var)


@legacy_op("Pooling_v1")
def Pooling_v1(data, kernel=None, pool_type="max", global_pool=False,
               pooling_convention="valid", stride=None, pad=None):
    """The first Pooling: max, avg or sum pooling (as Pooling, with fewer options)."""
    return Pooling(data, kernel=kernel, pool_type=pool_type, global_pool=global_pool,
                   pooling_convention=pooling_convention, stride=stride, pad=pad)


@legacy_op("Flatten", aliases=("flatten",))
def Flatten(data):
    """The array as 2-D: ``(d0, d1 * ... * dn)``."""
    return npx.batch_flatten(data)


@legacy_op("Dropout")
def Dropout(data, p=0.5, mode="training", axes=(), cudnn_off=False):
    """Zero a fraction ``p`` in training (scaled by ``1/(1-p)``); identity otherwise."""
    return npx.dropout(data, p=p, mode=mode, axes=axes or ())


def _softmax_inputs(attrs):
    """data, and length when ``use_length`` is set."""
    return ("data", "length") if attrs.get("use_length") in (True, "True", "1", "true") \
        else ("data",)


@legacy_op("softmax", ("data", "length"), optional_inputs=_softmax_inputs)
def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False):
    """Softmax along ``axis``."""
    return npx.softmax(data, axis=axis, length=length, temperature=temperature,
                       use_length=use_length, dtype=dtype)


@legacy_op("log_softmax")
def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False, length=None):
    """Log of the softmax along ``axis``."""
    return npx.log_softmax(data, axis=axis, length=length, temperature=temperature,
                           use_length=use_length, dtype=dtype)


@legacy_op("softmin")
def softmin(data, axis=-1, temperature=None, dtype=None, use_length=False):
    """Softmax of ``-data``."""
    if use_length:  # MXNet then wants a second input, which softmin has no way to take
        raise OpError("softmin: use_length=True needs a length input, which softmin does not "
                      "take")
    return _softmin(data, axis=axis, temperature=temperature, dtype=dtype)


@legacy_op("SoftmaxActivation")
def SoftmaxActivation(data, mode="instance"):
    """Softmax over the last axis (``instance``) or over axis 1 (``channel``)."""
    return npx.softmax(data, axis=1 if mode == "channel" else -1)


@legacy_op("SoftmaxOutput", ("data", "label"), aliases=("Softmax",))
def SoftmaxOutput(data, label, grad_scale=1.0, ignore_label=-1.0, multi_output=False,
                  use_ignore=False, preserve_shape=False, normalization="null", out_grad=False,
                  smooth_alpha=0.0):
    """Forward: softmax (axis 1 with ``multi_output``). Backward: ``(p - onehot(label)) *
    grad_scale`` divided per ``normalization``, whatever the head gradient (a loss layer).
    Without ``multi_output``, data of more than two axes is one softmax per sample over all
    its values, and the label is the first batch-size values of the label array, as in MXNet.
    """
    if not multi_output and data.ndim > 2 and label.shape != data.shape:
        n = data.shape[0]
        flat_label = label.reshape(-1)
        if flat_label.shape[0] < n:
            raise OpError(f"SoftmaxOutput: label of shape {label.shape} has fewer than the "
                          f"{n} values a batch of {n} needs")
        out = _legacy.softmax_output_prim(
            data.reshape(n, -1), flat_label[:n], grad_scale=grad_scale,
            ignore_label=ignore_label, multi_output=False, use_ignore=use_ignore,
            normalization=normalization, smooth_alpha=smooth_alpha)
        return out.reshape(data.shape)
    return _legacy.softmax_output_prim(
        data, label, grad_scale=grad_scale, ignore_label=ignore_label,
        multi_output=multi_output, use_ignore=use_ignore, normalization=normalization,
        smooth_alpha=smooth_alpha)



@legacy_op("LinearRegressionOutput", ("data", "label"))
def LinearRegressionOutput(data, label, grad_scale=1.0):
    """Forward: identity. Backward: ``(out - label) * grad_scale / outputs per sample``."""
    return _legacy.regression_output_prim(data, label, kind="linear", grad_scale=grad_scale)


@legacy_op("LogisticRegressionOutput", ("data", "label"))
def LogisticRegressionOutput(data, label, grad_scale=1.0):
    """Forward: sigmoid. Backward: ``(out - label) * grad_scale / outputs per sample``."""
    return _legacy.regression_output_prim(data, label, kind="logistic", grad_scale=grad_scale)


@legacy_op("MAERegressionOutput", ("data", "label"))
def MAERegressionOutput(data, label, grad_scale=1.0):
    """Forward: identity. Backward: ``sign(out - label) * grad_scale / outputs per sample``."""
    return _legacy.regression_output_prim(data, label, kind="mae", grad_scale=grad_scale)


@legacy_op("SVMOutput", ("data", "label"))
def SVMOutput(data, label, margin=1.0, regularization_coefficient=1.0, use_linear=False):
    """Forward: identity. Backward: the (L1 or squared) multi-class hinge loss's gradient."""
    return _legacy.svm_output_prim(data, label, margin=margin,
                                   regularization_coefficient=regularization_coefficient,
                                   use_linear=use_linear)


@legacy_op("MakeLoss", aliases=("make_loss",))
def MakeLoss(data, grad_scale=1.0, valid_thresh=0.0, normalization="null"):
    """Forward: identity. Backward: ``grad_scale`` (per batch or valid count), a loss head."""
    return _legacy.make_loss_prim(data, grad_scale=grad_scale, valid_thresh=valid_thresh,
                                  normalization=normalization)


@legacy_op("BlockGrad", aliases=("stop_gradient",))
def BlockGrad(data):
    """The same values with no gradient flowing back."""
    return data.detach()


@legacy_op("Concat", aliases=("concat", "_rnn_param_concat"), variadic=True)
def Concat(*data, dim=1):
    """Join arrays along ``dim``."""
    return np.concatenate(data, axis=dim)


@legacy_op("relu")
def relu(data):
    """max(data, 0)."""
    return npx.relu(data)


@legacy_op("sigmoid")
def sigmoid(data):
    """1 / (1 + exp(-data))."""
    return npx.sigmoid(data)


def _ctc_inputs(attrs) -> tuple:
    """data and label, and the length arrays the flags ask for."""
    return ("data", "label") + (("data_lengths",) if attrs.get("use_data_lengths") else ()) + \
        (("label_lengths",) if attrs.get("use_label_lengths") else ())


@legacy_op("CTCLoss", ("data", "label", "data_lengths", "label_lengths"),
           aliases=("ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"),
           optional_inputs=_ctc_inputs)
def CTCLoss(data, label, data_lengths=None, label_lengths=None, use_data_lengths=False,
            use_label_lengths=False, blank_label="first"):
    """Connectionist temporal classification loss per sample, ``data`` (T, N, C) activations
    and ``label`` (N, L). With ``blank_label='first'`` class 0 is the blank and 0 pads the
    labels; with ``'last'`` class C-1 is the blank and -1 pads them."""
    if blank_label not in ("first", "last"):
        raise ValueError(f"blank_label must be 'first' or 'last', got {blank_label!r}")
    # as MXNet's, the length arrays given are the op's inputs after label, in order, and the
    # flags say what they are: CTCLoss(x, y, lengths, use_label_lengths=True) passes label
    # lengths
    given = [a for a in (data_lengths, label_lengths) if a is not None]
    wanted = int(bool(use_data_lengths)) + int(bool(use_label_lengths))
    if len(given) != wanted:
        raise OpError(f"CTCLoss: use_data_lengths={bool(use_data_lengths)} and "
                      f"use_label_lengths={bool(use_label_lengths)} take {wanted} length "
                      f"array(s) after data and label, got {len(given)}")
    data_lengths = given.pop(0) if use_data_lengths else None
    label_lengths = given.pop(0) if use_label_lengths else None
    if blank_label == "first":  # the recursion wants the blank last and -1 padding
        data = np.concatenate([data[..., 1:], data[..., :1]], axis=-1)
        label = label.astype("int64") - 1
    return ctc_negative_log_likelihood(_F, data, label, data_lengths, label_lengths)


_F = types.SimpleNamespace(np=np, npx=npx)  # the F the CTC recursion computes with
