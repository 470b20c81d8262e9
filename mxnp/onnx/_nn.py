"""Converters of MXNet's neural-network layers: convolutions, dense layers, normalizations,
activations, pooling, softmax, embedding, upsampling."""
from __future__ import annotations

import math

import numpy as onp

from ._graph import converts

_CHANNELS_FIRST = (None, "None", "NCW", "NCHW", "NCDHW")


def _spatial(n, key, default):
    """A per-spatial-axis attribute (kernel, stride ...), ``default`` for each axis if absent."""
    kernel = n.ints("kernel")
    value = n.ints(key, ())
    return list(value) if value else [default] * len(kernel)


def _check_layout(n):
    if n.get("layout") not in _CHANNELS_FIRST:
        raise n.fail(f"layout {n.get('layout')} is not supported (channels-first layouts only)")


@converts("Convolution", "_npx_convolution")
def convolution(g, n):
    """Convolution -> Conv (MXNet's pad is the same on both sides)."""
    _check_layout(n)
    pad = _spatial(n, "pad", 0)
    g.add("Conv", n.inputs[:2] + n.inputs[2:3], n.out[0], kernel_shape=list(n.ints("kernel")),
          strides=_spatial(n, "stride", 1), dilations=_spatial(n, "dilate", 1), pads=pad + pad,
          group=int(n.get("num_group", 1)))


@converts("Deconvolution", "_npx_deconvolution")
def deconvolution(g, n):
    """Deconvolution -> ConvTranspose; ``adj`` is ONNX's output_padding."""
    _check_layout(n)
    if any(n.ints("target_shape", ())):
        raise n.fail("target_shape is not supported; give pad and adj instead")
    pad = _spatial(n, "pad", 0)
    g.add("ConvTranspose", n.inputs[:3], n.out[0], kernel_shape=list(n.ints("kernel")),
          strides=_spatial(n, "stride", 1), dilations=_spatial(n, "dilate", 1), pads=pad + pad,
          output_padding=_spatial(n, "adj", 0), group=int(n.get("num_group", 1)))


@converts("FullyConnected", "_npx_fully_connected")
def fully_connected(g, n):
    """flatten=True: Flatten then Gemm (weight transposed); flatten=False: MatMul over the last
    axis, plus the bias."""
    x, weight, bias = n.inputs[0], n.inputs[1], n.inputs[2:3]
    if n.flag("flatten", True):
        x = g.add("Flatten", [x], g.fresh(n.name + "_data_flattened"))  # as MXNet writes it
        g.add("Gemm", [x, weight] + bias, n.out[0], alpha=1.0, beta=1.0, transA=0, transB=1)
        return
    wt = g.add("Transpose", [weight], g.fresh(n.name + "_weight_t"), perm=[1, 0])
    if not bias:
        g.add("MatMul", [x, wt], n.out[0])
        return
    g.add("Add", [g.add("MatMul", [x, wt], g.fresh(n.name + "_matmul")), bias[0]], n.out[0])


def _ones_like_param(g, n, index):
    return g.const(onp.ones(n.shapes[index], dtype=n.dtypes[index]), hint=n.name + "_ones")


@converts("BatchNorm", "_npx_batch_norm")
def batch_norm(g, n):
    """BatchNorm -> BatchNormalization with the moving statistics (inference); fix_gamma (MXNet's
    default) replaces gamma by ones."""
    if int(n.get("axis", 1)) not in (1, 1 - n.rank):
        raise n.fail("only axis=1 (channels first) is supported")
    gamma = _ones_like_param(g, n, 1) if n.flag("fix_gamma", True) else n.inputs[1]
    g.add("BatchNormalization", [n.inputs[0], gamma] + n.inputs[2:5], n.out[0],
          epsilon=float(n.get("eps", 1e-3)), momentum=float(n.get("momentum", 0.9)))


@converts("InstanceNorm")
def instance_norm(g, n):
    """InstanceNorm -> InstanceNormalization."""
    g.add("InstanceNormalization", n.inputs[:3], n.out[0], epsilon=float(n.get("eps", 1e-3)))


@converts("LayerNorm", "_npx_layer_norm")
def layer_norm(g, n):
    """LayerNorm over one axis, from reductions (LayerNormalization needs opset 17)."""
    axis = int(n.get("axis", -1)) % n.rank
    x, gamma, beta = n.inputs[:3]
    eps = g.const(float(n.get("eps", 1e-5)), n.dtypes[0], hint=n.name + "_eps")
    mean = g.add("ReduceMean", [x], g.fresh(n.name + "_mean"), axes=[axis], keepdims=1)
    centred = g.add("Sub", [x, mean], g.fresh(n.name + "_centred"))
    var = g.add("ReduceMean", [g.add("Mul", [centred, centred], g.fresh(n.name + "_sq"))],
                g.fresh(n.name + "_var"), axes=[axis], keepdims=1)
    std = g.add("Sqrt", [g.add("Add", [var, eps], g.fresh(n.name + "_var_eps"))])
    normed = g.add("Div", [centred, std], g.fresh(n.name + "_normed"))
    if axis != n.rank - 1:  # gamma and beta (C,) must line up with ``axis``
        tail = list(range(1, n.rank - axis))
        gamma = g.axes_op("Unsqueeze", gamma, tail, g.fresh(n.name + "_gamma"))
        beta = g.axes_op("Unsqueeze", beta, tail, g.fresh(n.name + "_beta"))
    g.add("Add", [g.add("Mul", [normed, gamma], g.fresh(n.name + "_scaled")), beta], n.out[0])


# ---- activations ---------------------------------------------------------------------------
def _activation(g, n, act, x, out):
    simple = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus",
              "softsign": "Softsign"}
    if act in simple:
        return g.add(simple[act], [x], out)
    if act == "log_sigmoid":
        return g.add("Log", [g.add("Sigmoid", [x])], out)
    if act == "mish":
        return g.add("Mul", [x, g.add("Tanh", [g.add("Softplus", [x])])], out)
    raise n.fail(f"act_type {act!r} is not supported")


@converts("Activation", "_npx_activation")
def activation(g, n):
    """Activation: relu, sigmoid, tanh, softrelu, softsign, log_sigmoid, mish."""
    _activation(g, n, n.get("act_type"), n.inputs[0], n.out[0])


@converts("LeakyReLU", "_npx_leaky_relu")
def leaky_relu(g, n):
    """LeakyReLU: leaky, prelu (gamma per channel), elu, selu, gelu (erf form), rrelu (its
    inference slope, the mean of the bounds)."""
    act, x = n.get("act_type", "leaky"), n.inputs[0]
    slope = float(n.get("slope", 0.25))
    if act == "leaky":
        g.add("LeakyRelu", [x], n.out[0], alpha=slope)
    elif act == "rrelu":
        mean = (float(n.get("lower_bound", 0.125)) + float(n.get("upper_bound", 0.334))) / 2
        g.add("LeakyRelu", [x], n.out[0], alpha=mean)
    elif act == "elu":
        g.add("Elu", [x], n.out[0], alpha=slope)
    elif act == "selu":
        g.add("Selu", [x], n.out[0])
    elif act == "prelu":
        gamma = n.inputs[1]
        if len(n.shapes[1]) == 1 and n.shapes[1][0] != 1 and n.rank > 2:  # (C,) on axis 1
            gamma = g.axes_op("Unsqueeze", gamma, list(range(1, n.rank - 1)),
                              g.fresh(n.name + "_gamma"))
        g.add("PRelu", [x, gamma], n.out[0])
    elif act == "gelu":
        _gelu(g, n, x, n.out[0])
    else:
        raise n.fail(f"act_type {act!r} is not supported")


def _gelu(g, n, x, out):
    dtype = n.dtypes[0]
    scaled = g.add("Mul", [x, g.const(1 / math.sqrt(2), dtype, hint="rsqrt2")])
    one_plus = g.add("Add", [g.add("Erf", [scaled]), g.const(1, dtype, hint="one")])
    half_x = g.add("Mul", [x, g.const(0.5, dtype, hint="half")])
    return g.add("Mul", [half_x, one_plus], out)


# ---- pooling -------------------------------------------------------------------------------
@converts("Pooling", "_npx_pooling")
def pooling(g, n):
    """Pooling: max/avg/sum/lp, global or windowed; pooling_convention 'full' is ceil_mode."""
    _check_layout(n)
    kind, x = n.get("pool_type", "max"), n.inputs[0]
    if n.flag("global_pool"):
        names = {"max": "GlobalMaxPool", "avg": "GlobalAveragePool", "lp": "GlobalLpPool"}
        if kind == "sum":
            g.axes_op("ReduceSum", x, list(range(2, n.rank)), n.out[0], keepdims=1)
            return
        extra = {"p": int(n.get("p_value", 2))} if kind == "lp" else {}
        g.add(names[kind], [x], n.out[0], **extra)
        return
    convention = n.get("pooling_convention", "valid")
    if convention not in ("valid", "full"):
        raise n.fail(f"pooling_convention {convention!r} is not supported")
    kernel, pad = list(n.ints("kernel")), _spatial(n, "pad", 0)
    common = {"kernel_shape": kernel, "strides": _spatial(n, "stride", 1), "pads": pad + pad,
              "ceil_mode": int(convention == "full")}
    if kind == "max":
        g.add("MaxPool", [x], n.out[0], **common)
    elif kind == "lp":
        g.add("LpPool", [x], n.out[0], p=int(n.get("p_value", 2)),
              **{k: v for k, v in common.items() if k != "ceil_mode"})
    elif kind == "avg":
        include = int(n.flag("count_include_pad", True))  # MXNet counts the padding by default
        g.add("AveragePool", [x], n.out[0], count_include_pad=include, **common)
    elif kind == "sum":
        avg = g.add("AveragePool", [x], g.fresh(n.name + "_avg"), count_include_pad=1, **common)
        g.add("Mul", [avg, g.const(float(onp.prod(kernel)), n.dtypes[0])], n.out[0])
    else:
        raise n.fail(f"pool_type {kind!r} is not supported")


# ---- softmax and the output layers ---------------------------------------------------------
def _softmax(g, n, op_type, x, axis, out):
    """Softmax over ``axis``; before opset 13 Softmax works on the flattened trailing axes, so an
    inner axis is moved last first."""
    axis %= n.rank
    if g.opset >= 13 or axis == n.rank - 1:
        return g.add(op_type, [x], out, axis=axis)
    perm = [i for i in range(n.rank) if i != axis] + [axis]
    moved = g.add("Transpose", [x], perm=perm)
    result = g.add(op_type, [moved], axis=n.rank - 1)
    return g.add("Transpose", [result], out, perm=list(onp.argsort(perm)))


@converts("softmax", "log_softmax", "_npx_softmax", "_npx_log_softmax")
def softmax(g, n):
    """softmax/log_softmax over ``axis``, divided by ``temperature`` first if given."""
    if n.flag("use_length"):
        raise n.fail("use_length=True is not supported")
    x, temperature = n.inputs[0], n.get("temperature")
    if temperature not in (None, 1, 1.0):
        x = g.add("Div", [x, g.const(float(temperature), n.dtypes[0], hint="temperature")])
    op_type = "LogSoftmax" if "log_" in n.op else "Softmax"
    _softmax(g, n, op_type, x, int(n.get("axis", -1)), n.out[0])


@converts("SoftmaxOutput", "Softmax", "SoftmaxActivation")
def softmax_output(g, n):
    """SoftmaxOutput (the label is dropped): over axis 1 with multi_output, the last axis with
    preserve_shape, else over each instance's values flattened. SoftmaxActivation: axis 1 in
    mode 'channel', else the last axis (as MXNet 1.9.1 computes them)."""
    x = n.inputs[0]
    per_channel = n.flag("multi_output") or n.get("mode") == "channel"
    if n.flag("preserve_shape") or (n.op == "SoftmaxActivation" and not per_channel):
        _softmax(g, n, "Softmax", x, -1, n.out[0])
    elif per_channel or n.rank == 2:
        _softmax(g, n, "Softmax", x, 1, n.out[0])
    else:
        flat = g.add("Flatten", [x], axis=1)
        g.add("Reshape", [g.add("Softmax", [flat], axis=1), g.add("Shape", [x])], n.out[0])


@converts("LinearRegressionOutput", "MAERegressionOutput", "LogisticRegressionOutput")
def regression_output(g, n):
    """The regression output layers at inference: the identity, or the logistic function."""
    logistic = n.op == "LogisticRegressionOutput"
    g.add("Sigmoid" if logistic else "Identity", [n.inputs[0]], n.out[0])


# ---- the rest ------------------------------------------------------------------------------
@converts("Dropout", "_npx_dropout")
def dropout(g, n):
    """Dropout is the identity at inference."""
    g.add("Identity", [n.inputs[0]], n.out[0])


@converts("Embedding", "_npx_embedding")
def embedding(g, n):
    """Embedding -> Gather of the weight's rows (indices cast to int64)."""
    g.add("Gather", [n.inputs[1], g.cast(n.inputs[0], onp.int64)], n.out[0], axis=0)


@converts("LRN")
def lrn(g, n):
    """LRN across channels (ONNX's formula is MXNet's)."""
    g.add("LRN", [n.inputs[0]], n.out[0], alpha=float(n.get("alpha", 1e-4)),
          beta=float(n.get("beta", 0.75)), bias=float(n.get("knorm", 2.0)),
          size=int(n.get("nsize")))


@converts("L2Normalization")
def l2_normalization(g, n):
    """x / sqrt(sum(x^2) + eps) over the instance, the channel or the spatial axes."""
    mode = n.get("mode", "instance")
    axes = {"instance": range(1, n.rank), "channel": [1], "spatial": range(2, n.rank)}[mode]
    x = n.inputs[0]
    squares = g.add("ReduceSumSquare", [x], g.fresh(n.name + "_sumsq"), axes=list(axes),
                    keepdims=1)
    eps = g.const(float(n.get("eps", 1e-10)), n.dtypes[0], hint=n.name + "_eps")
    norm = g.add("Sqrt", [g.add("Add", [squares, eps])], g.fresh(n.name + "_norm"))
    g.add("Div", [x, norm], n.out[0])


@converts("UpSampling")
def upsampling(g, n):
    """UpSampling (nearest) -> Resize by the integer scale on the spatial axes."""
    if n.get("sample_type", "nearest") != "nearest" or len(n.inputs) != 1:
        raise n.fail("only nearest upsampling of one input is supported")
    scale = float(n.get("scale"))
    scales = g.const([1.0, 1.0] + [scale] * (n.rank - 2), onp.float32, hint="scales")
    roi = g.const([], onp.float32, hint="roi")
    g.add("Resize", [n.inputs[0], roi, scales], n.out[0], mode="nearest",
          coordinate_transformation_mode="asymmetric", nearest_mode="floor")
