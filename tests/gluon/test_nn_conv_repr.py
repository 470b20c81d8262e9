"""gluon.nn convolution and pooling layers: repr texts (MXNet's, quirks included) and LeNet."""
from __future__ import annotations

import pytest

from mxnp import numpy as np
from mxnp.gluon import nn

CONV_REPRS = [  # MXNet 1.9.1 (mxref): layer, input, repr before and after the first forward
    (lambda: nn.Conv2D(6, kernel_size=5, padding=2, activation="sigmoid"), (2, 3, 8, 8),
     "Conv2D(-1 -> 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), Activation(sigmoid))",
     "Conv2D(3 -> 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), Activation(sigmoid))"),
    (lambda: nn.Conv2D(6, (3, 5), strides=(1, 2), padding=(1, 0), dilation=2, groups=2,
                       use_bias=False, in_channels=4), (2, 4, 9, 9),
     ("Conv2D(2 -> 6, kernel_size=(3, 5), stride=(1, 2), padding=(1, 0), dilation=(2, 2), "
     "groups=2, bias=False)"), None),
    (lambda: nn.Conv2D(16, 3, strides=2, padding=1, in_channels=3), (1, 3, 6, 6),
     "Conv2D(3 -> 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))", None),
    (lambda: nn.Conv2D(4, 3, activation="relu", use_bias=False), (2, 3, 6, 6),
     "Conv2D(-1 -> 4, kernel_size=(3, 3), stride=(1, 1), bias=False, Activation(relu))",
     "Conv2D(3 -> 4, kernel_size=(3, 3), stride=(1, 1), bias=False, Activation(relu))"),
    (lambda: nn.Conv2D(4, [3, 3], strides=[1, 2], padding=[1, 1], dilation=[1, 1]),
     (2, 3, 6, 6),  # lists are kept, and a list never equals the tuple of defaults
     "Conv2D(-1 -> 4, kernel_size=[3, 3], stride=[1, 2], padding=[1, 1], dilation=[1, 1])",
     "Conv2D(3 -> 4, kernel_size=[3, 3], stride=[1, 2], padding=[1, 1], dilation=[1, 1])"),
    (lambda: nn.Conv1D(4, 3), (2, 3, 10), "Conv1D(-1 -> 4, kernel_size=(3,), stride=(1,))",
     "Conv1D(3 -> 4, kernel_size=(3,), stride=(1,))"),
    (lambda: nn.Conv3D(4, 3), (2, 3, 5, 6, 7),
     "Conv3D(-1 -> 4, kernel_size=(3, 3, 3), stride=(1, 1, 1))",
     "Conv3D(3 -> 4, kernel_size=(3, 3, 3), stride=(1, 1, 1))"),
    # QUIRK: transposed layers print weight.shape[1] -> shape[0], i.e. channels -> in_channels
    (lambda: nn.Conv2DTranspose(3, 4), (2, 5, 4, 4),
     "Conv2DTranspose(3 -> -1, kernel_size=(4, 4), stride=(1, 1))",
     "Conv2DTranspose(3 -> 5, kernel_size=(4, 4), stride=(1, 1))"),
    (lambda: nn.Conv2DTranspose(6, 3, groups=3), (2, 3, 5, 5),
     "Conv2DTranspose(2 -> -1, kernel_size=(3, 3), stride=(1, 1), groups=3)",
     "Conv2DTranspose(2 -> 3, kernel_size=(3, 3), stride=(1, 1), groups=3)"),
    # QUIRK: output_padding is never printed
    (lambda: nn.Conv2DTranspose(4, 3, strides=2, padding=1, output_padding=1), (2, 3, 5, 5),
     "Conv2DTranspose(4 -> -1, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))",
     "Conv2DTranspose(4 -> 3, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))"),
    (lambda: nn.Conv1DTranspose(4, 3, dilation=2), (2, 3, 10),
     "Conv1DTranspose(4 -> -1, kernel_size=(3,), stride=(1,), dilation=(2,))",
     "Conv1DTranspose(4 -> 3, kernel_size=(3,), stride=(1,), dilation=(2,))"),
    (lambda: nn.Conv3DTranspose(4, 3, strides=2, output_padding=1), (2, 3, 4, 4, 4),
     "Conv3DTranspose(4 -> -1, kernel_size=(3, 3, 3), stride=(2, 2, 2))",
     "Conv3DTranspose(4 -> 3, kernel_size=(3, 3, 3), stride=(2, 2, 2))"),
    # QUIRK: channel-last layers print a kernel size as the input side; layout is not shown
    (lambda: nn.Conv2D(4, 3, layout="NHWC"), (2, 10, 12, 3),
     "Conv2D(3 -> 4, kernel_size=(3, 3), stride=(1, 1))", None),
    (lambda: nn.Conv3D(4, 3, layout="NDHWC"), (2, 5, 6, 7, 3),
     "Conv3D(3 -> 4, kernel_size=(3, 3, 3), stride=(1, 1, 1))", None),
    (lambda: nn.Conv2DTranspose(4, 3, layout="NHWC"), (2, 5, 6, 3),
     "Conv2DTranspose(3 -> -1, kernel_size=(3, 3), stride=(1, 1))",
     "Conv2DTranspose(3 -> 3, kernel_size=(3, 3), stride=(1, 1))"),
    (lambda: nn.Conv3DTranspose(4, 3, layout="NDHWC"), (2, 5, 6, 7, 3),
     "Conv3DTranspose(3 -> -1, kernel_size=(3, 3, 3), stride=(1, 1, 1))",
     "Conv3DTranspose(3 -> 3, kernel_size=(3, 3, 3), stride=(1, 1, 1))"),
]


@pytest.mark.parametrize("make, xshape, before, after", CONV_REPRS)
def test_conv_repr_before_and_after_forward(make, xshape, before, after):
    layer = make()
    assert repr(layer) == before
    layer.initialize()
    layer(np.ones(xshape))
    assert repr(layer) == (after or before)


POOL = "size={}, stride={}, padding={}, ceil_mode={}, global_pool={}, pool_type={}, layout={})"
POOL_REPRS = [  # MXNet 1.9.1 (mxref)
    (lambda: nn.MaxPool2D(pool_size=3, strides=2),
     "MaxPool2D(" + POOL.format("(3, 3)", "(2, 2)", "(0, 0)", False, False, "max", "NCHW")),
    (lambda: nn.MaxPool2D(),
     "MaxPool2D(" + POOL.format("(2, 2)", "(2, 2)", "(0, 0)", False, False, "max", "NCHW")),
    (lambda: nn.MaxPool2D((2, 3), [1, 2], (0, 1)),
     "MaxPool2D(" + POOL.format("(2, 3)", "[1, 2]", "(0, 1)", False, False, "max", "NCHW")),
    (lambda: nn.AvgPool2D(2, 2, 1, ceil_mode=True, count_include_pad=False),
     "AvgPool2D(" + POOL.format("(2, 2)", "(2, 2)", "(1, 1)", True, False, "avg", "NCHW")),
    (lambda: nn.MaxPool1D(2),
     "MaxPool1D(" + POOL.format("(2,)", "(2,)", "(0,)", False, False, "max", "NCW")),
    (lambda: nn.AvgPool1D(3, 2, 1, ceil_mode=True, count_include_pad=False),
     "AvgPool1D(" + POOL.format("(3,)", "(2,)", "(1,)", True, False, "avg", "NCW")),
    (lambda: nn.MaxPool3D(),
     "MaxPool3D(" + POOL.format("(2, 2, 2)", "(2, 2, 2)", "(0, 0, 0)", False, False, "max",
                                "NCDHW")),
    (lambda: nn.AvgPool3D(layout="NDHWC"),
     "AvgPool3D(" + POOL.format("(2, 2, 2)", "(2, 2, 2)", "(0, 0, 0)", False, False, "avg",
                                "NDHWC")),
    (lambda: nn.GlobalMaxPool1D(),
     "GlobalMaxPool1D(" + POOL.format("(1,)", "(1,)", "(0,)", True, True, "max", "NCW")),
    (lambda: nn.GlobalMaxPool2D(),
     "GlobalMaxPool2D(" + POOL.format("(1, 1)", "(1, 1)", "(0, 0)", True, True, "max", "NCHW")),
    (lambda: nn.GlobalMaxPool3D(),
     "GlobalMaxPool3D(" + POOL.format("(1, 1, 1)", "(1, 1, 1)", "(0, 0, 0)", True, True, "max",
                                      "NCDHW")),
    (lambda: nn.GlobalAvgPool1D(),
     "GlobalAvgPool1D(" + POOL.format("(1,)", "(1,)", "(0,)", True, True, "avg", "NCW")),
    (lambda: nn.GlobalAvgPool2D(layout="NHWC"),
     "GlobalAvgPool2D(" + POOL.format("(1, 1)", "(1, 1)", "(0, 0)", True, True, "avg", "NHWC")),
    (lambda: nn.GlobalAvgPool3D(),
     "GlobalAvgPool3D(" + POOL.format("(1, 1, 1)", "(1, 1, 1)", "(0, 0, 0)", True, True, "avg",
                                      "NCDHW")),
]


@pytest.mark.parametrize("make, text", POOL_REPRS)
def test_pool_repr(make, text):
    layer = make()
    assert repr(layer) == text
    layout = layer._kwargs["layout"]
    layer(np.ones(tuple({"N": 1, "C": 2}.get(axis, 4) for axis in layout)))
    assert repr(layer) == text  # a forward changes nothing


def test_reflection_pad2d_repr_is_the_empty_container_text():
    # MXNet 1.9.1 (mxref)
    assert repr(nn.ReflectionPad2D(2)) == "ReflectionPad2D(\n\n)"


def test_lenet_forward_shapes_params_and_repr():
    net = nn.Sequential()
    net.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation="sigmoid"),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation="sigmoid"),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"), nn.Dense(84, activation="sigmoid"),
            nn.Dense(10))
    net.initialize()
    x = np.random.uniform(size=(1, 1, 28, 28))
    shapes = []
    for layer in net:
        x = layer(x)
        shapes.append(x.shape)
    # MXNet 1.9.1 (mxref)
    assert shapes == [(1, 6, 28, 28), (1, 6, 14, 14), (1, 16, 10, 10), (1, 16, 5, 5), (1, 120),
                      (1, 84), (1, 10)]
    assert [p.shape for p in net.collect_params().values()] == [
        (6, 1, 5, 5), (6,), (16, 6, 5, 5), (16,), (120, 400), (120,), (84, 120), (84,),
        (10, 84), (10,)]
    text = repr(net).splitlines()
    assert text[1] == ("  (0): Conv2D(1 -> 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), "
                       "Activation(sigmoid))")
    assert text[3] == ("  (2): Conv2D(6 -> 16, kernel_size=(5, 5), stride=(1, 1), "
                       "Activation(sigmoid))")
    assert net(np.ones((4, 1, 28, 28))).shape == (4, 10)


def _small_cnn():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1, activation="relu"), nn.MaxPool2D(),
            nn.Conv2DTranspose(2, 2, strides=2, groups=2), nn.GlobalAvgPool2D(), nn.Dense(3))
    return net


def test_conv_net_save_and_load_parameters_round_trip(tmp_path):
    x = np.random.uniform(size=(2, 3, 6, 6))
    net = _small_cnn()
    net.initialize()
    want = net(x)
    net.save_parameters(str(tmp_path / "cnn.params"))
    other = _small_cnn()  # deferred shapes, filled from the file (as in MXNet 1.9.1, mxref)
    other.load_parameters(str(tmp_path / "cnn.params"))
    assert other[2].weight.shape == (4, 1, 2, 2)
    assert (other(x) == want).all()
