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
from block_nets import cells, layers  # beside this script, shared with the test
from mxnet.gluon import nn, rnn
from mxnet.gluon.model_zoo import vision

mx.npx.reset_np()  # mxref's preamble turns numpy mode on; 1.x code runs without it

layers(nn)(mx.sym.var("data")).save("blocks-symbol.json")
record = {}
for name, cell in cells(rnn).items():
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
