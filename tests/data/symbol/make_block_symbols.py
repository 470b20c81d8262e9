"""Writes blocks-symbol.json and block_cells.json with the real MXNet 1.9.1 (see README.md).

Gluon blocks called on ``mx.sym.var('data')`` in MXNet 1.x's legacy mode build graphs:
``blocks-symbol.json`` is the graph of one HybridSequential holding most built-in layers, and
``block_cells.json`` records, for cells unrolled over per-step variables, the parameter names,
the outputs' names, their inferred shapes and the states' names; ``zoo_symbols.json`` the MD5
of the JSON graph of each model-zoo network called on ``mx.sym.var('data')``; ``rnn_layers.json``
the same for three fused rnn layers, with their arguments and inferred output shape.
"""
import hashlib
import json

import mxnet as mx
from mxnet.gluon import nn, rnn
from mxnet.gluon.model_zoo import vision

mx.npx.reset_np()  # mxref's preamble turns numpy mode on; 1.x code runs without it


def layers():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, activation="relu"), nn.BatchNorm(), nn.MaxPool2D(), nn.AvgPool2D(),
            nn.GlobalAvgPool2D(), nn.Conv2DTranspose(2, 3), nn.ReflectionPad2D(1),
            nn.InstanceNorm(), nn.InstanceNorm(axis=2), nn.GroupNorm(num_groups=1),
            nn.LayerNorm(), nn.Flatten(), nn.Dense(8, activation="tanh"), nn.Dropout(0.5),
            nn.Dropout(0.0), nn.LeakyReLU(0.1), nn.PReLU(), nn.ELU(), nn.SELU(), nn.Swish(),
            nn.GELU(), nn.Activation("sigmoid"), nn.HybridLambda("tanh"),
            nn.HybridLambda(lambda F, x: F.relu(x)), nn.Embedding(10, 3),
            nn.Dense(3, flatten=False, use_bias=False))
    return net


def cells():
    stack = rnn.SequentialRNNCell()
    for i in range(3):
        cell = rnn.LSTMCell(100, prefix="rnn_stack%d_" % i)
        stack.add(rnn.ResidualCell(cell) if i == 1 else cell)
    return {
        "rnn": rnn.RNNCell(100, prefix="rnn_"),
        "lstm": rnn.LSTMCell(100, prefix="rnn_"),
        "gru": rnn.GRUCell(100, prefix="rnn_"),
        "residual": rnn.ResidualCell(rnn.GRUCell(50, prefix="rnn_")),
        "stack": stack,
        "bidirectional": rnn.BidirectionalCell(rnn.LSTMCell(100, prefix="rnn_l0_"),
                                               rnn.LSTMCell(100, prefix="rnn_r0_"),
                                               output_prefix="rnn_bi_"),
        "zoneout": rnn.ZoneoutCell(rnn.RNNCell(100, prefix="rnn_"), zoneout_outputs=0.5,
                                   zoneout_states=0.5),
        "dropout": rnn.DropoutCell(0.5, prefix="rnn_"),
    }


layers()(mx.sym.var("data")).save("blocks-symbol.json")
record = {}
for name, cell in cells().items():
    steps = 2 if name == "residual" else 3
    outputs, states = cell.unroll(steps, [mx.sym.var("rnn_t%d_data" % i) for i in range(steps)])
    group = mx.sym.Group(outputs)
    shapes = group.infer_shape(**{"rnn_t%d_data" % i: (10, 50) for i in range(steps)})[1]
    record[name] = {"params": sorted(cell.collect_params().keys()),
                    "outputs": group.list_outputs(), "shapes": shapes,
                    "states": [s.list_outputs() for s in states]}
with open("block_cells.json", "w") as f:
    json.dump(record, f, indent=1)

ZOO = ["alexnet", "vgg11", "vgg11_bn", "resnet18_v1", "resnet50_v1", "resnet18_v2", "resnet50_v2",
       "squeezenet1.0", "squeezenet1.1", "mobilenet0.25", "mobilenetv2_0.25", "densenet121",
       "inceptionv3"]
digests = {}
for name in ZOO:
    with mx.name.NameManager():
        graph = vision.get_model(name)(mx.sym.var("data"))
    digests[name] = hashlib.md5(graph.tojson().encode()).hexdigest()
with open("zoo_symbols.json", "w") as f:
    json.dump(digests, f, indent=1)

LAYERS = {"lstm": lambda: rnn.LSTM(8, input_size=4),
          "gru": lambda: rnn.GRU(6, num_layers=2, bidirectional=True, layout="NTC"),
          "rnn": lambda: rnn.RNN(5)}
layers_record = {}
for name, make in LAYERS.items():
    with mx.name.NameManager():
        graph = make()(mx.sym.var("data"))
    layers_record[name] = {"md5": hashlib.md5(graph.tojson().encode()).hexdigest(),
                           "arguments": graph.list_arguments(),
                           "shape": graph.infer_shape(data=(5, 2, 4))[1][0]}
with open("rnn_layers.json", "w") as f:
    json.dump(layers_record, f, indent=1)
