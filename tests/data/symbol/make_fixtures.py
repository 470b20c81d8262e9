"""Writes the fixtures of tests/symbol with the real MXNet 1.9.1 (run with the mxref virtual
environment's python, from this folder): small nets exported by MXNet in numpy mode (npx.set_np)
and legacy mode, their inputs, outputs (predict and train mode) and parameter gradients."""
import sys

import mxnet as mx
from mxnet import autograd, gluon, npx
from mxnet.gluon import nn, rnn


class Residual(nn.HybridBlock):
    """conv-bn-relu-conv, added back to the input (F.npx / F differ by mode)."""

    def __init__(self, legacy, **kw):
        super().__init__(**kw)
        self.legacy = legacy
        with self.name_scope():
            self.c1 = nn.Conv2D(4, 3, padding=1)
            self.b1 = nn.BatchNorm()
            self.c2 = nn.Conv2D(4, 3, padding=1)

    def hybrid_forward(self, F, x):
        relu = F.relu if self.legacy else F.npx.relu
        y = self.c2(relu(self.b1(self.c1(x))))
        return relu(x + y) * 0.5 + 1


def resnet(legacy):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
            Residual(legacy), nn.AvgPool2D(), nn.Flatten(), nn.Dense(3, activation="tanh"),
            nn.Dense(2))
    return net, (2, 3, 6, 6)


def dropnet(legacy):
    net = nn.HybridSequential()
    net.add(nn.Dense(5), nn.BatchNorm(), nn.Activation("sigmoid"), nn.Dropout(0.5),
            nn.Dense(3))
    return net, (4, 6)


class LSTMNet(nn.HybridBlock):
    """an LSTM (TNC) and a Dense on its outputs."""

    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.lstm = rnn.LSTM(5, num_layers=1, input_size=3)
            self.out = nn.Dense(2, flatten=False, in_units=5)

    def hybrid_forward(self, F, x, h, c):
        # states as inputs: 1.9.1's numpy mode cannot make the zero states inside a graph
        return self.out(self.lstm(x, [h, c])[0])


def lstm(legacy):
    return LSTMNet(), (4, 2, 3)


def extra_inputs(make, arrays, legacy):
    """the LSTM's begin states (small random values, not zeros)"""
    if make is not lstm:
        return []
    return [(mx.nd.random.uniform(-1, 1, shape=(1, 2, 5)) if legacy else
             arrays.random.uniform(-1, 1, size=(1, 2, 5))).astype("float32") for _ in range(2)]


def run(make, mode):
    legacy = mode == "legacy"
    if legacy:
        npx.reset_np()
        arrays, save = mx.nd, mx.nd.save
    else:
        npx.set_np()
        arrays, save = mx.np, npx.save
    mx.random.seed(7)
    net, shape = make(legacy)
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = arrays.random.uniform(-1, 1, size=shape) if not legacy else \
        mx.nd.random.uniform(-1, 1, shape=shape)
    x = x.astype("float32")
    more = extra_inputs(make, arrays, legacy)
    y = net(x, *more)
    # a few training steps so that the BatchNorm statistics are not the initial ones
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    for _ in range(2):
        with autograd.record():
            loss = (net(x, *more) ** 2).sum()
        loss.backward()
        trainer.step(1)
    name = f"{make.__name__}_{mode}"
    net.export(name)
    y = net(x, *more)
    head = (arrays.random.uniform(-1, 1, size=y.shape) if not legacy else
            mx.nd.random.uniform(-1, 1, shape=y.shape)).astype("float32")
    out = {"x": x, "y_predict": y, "head": head}
    out.update({f"state{i}": s for i, s in enumerate(more)})
    if make is not dropnet:
        x.attach_grad()
        with autograd.record():
            yt = net(x, *more)
        yt.backward(head)
        out["y_train"] = yt
        out["grad:x"] = x.grad
        for pname, p in net.collect_params().items():
            if p.grad_req != "null":
                out["grad:" + pname] = p.grad()
    save(f"{name}-io.params", out)


class Ops(nn.HybridBlock):
    """many numpy-mode operators (_npi_*, _np_*, _npx_*) in one graph, numpy mode only."""

    def hybrid_forward(self, F, x):
        y = F.np.exp(x) - x / 2.0 + F.np.sqrt(F.np.abs(x)) + 2 - x - F.np.tanh(x) * x
        y = F.np.reshape(y, (-1, 3)).T
        y = F.np.concatenate([y, F.np.mean(y, axis=0, keepdims=True),
                              F.np.sum(y, axis=0, keepdims=True)], axis=0)
        y = (F.npx.sigmoid(y) + F.np.expand_dims(F.np.max(y, axis=0), 0) +
             F.npx.softmax(y, axis=-1) + F.npx.log_softmax(y))
        y = (y + F.np.dot(F.np.dot(y, y.T), y) * 0.01 + F.np.matmul(F.np.matmul(y, y.T), y) * 0.01
             + F.np.maximum(y, 0.1) + (-y) + 1 / (y * y + 2))
        y = F.np.tanh(y * 0.1)
        y = (F.npx.leaky_relu(y, act_type="leaky", slope=0.1) + F.np.log(F.np.square(y) + 1) ** 2
             + F.np.clip(y, -1, 1) + 2 ** y)
        return F.np.stack([y, y], axis=1).transpose((1, 0, 2)).mean(axis=0)


def ops():
    """Ops exported in numpy mode, with its input and output (ops_np-io.params)."""
    npx.set_np()
    mx.random.seed(7)
    net = Ops()
    net.hybridize()
    x = mx.np.random.uniform(0.1, 1, size=(2, 6))
    y = net(x)
    net.export("ops_np")
    npx.save("ops_np-io.params", {"x": x, "y_predict": y})


def checkpoint():
    """mx.model.save_checkpoint of a legacy symbol MLP with BatchNorm (legacy mode, so the
    params file has MXNet's legacy array magic), and an executor's forward on it."""
    npx.reset_np()
    mx.random.seed(7)
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
    bn = mx.sym.BatchNorm(fc, fix_gamma=False, name="bn1")
    out = mx.sym.softmax(mx.sym.FullyConnected(mx.sym.Activation(bn, act_type="relu"),
                                               num_hidden=3, name="fc2"))
    shapes, _, aux_shapes = out.infer_shape(data=(5, 6))
    args = {n: mx.nd.random.uniform(-1, 1, shape=s)
            for n, s in zip(out.list_arguments(), shapes) if n != "data"}
    aux = {n: mx.nd.random.uniform(0.5, 1, shape=s)
           for n, s in zip(out.list_auxiliary_states(), aux_shapes)}
    mx.model.save_checkpoint("mlp", 2, out, args, aux)
    x = mx.nd.random.uniform(-1, 1, shape=(5, 6))
    ex = out.bind(mx.cpu(), dict(args, data=x), aux_states=aux)
    mx.nd.save("mlp-io.params", {"x": x, "y_predict": ex.forward()[0]})


def graph():
    """a legacy symbol graph built by hand: variables with attributes, layers whose weights
    MXNet creates, arithmetic with symbols and scalars, a multi-output op and a group"""
    npx.reset_np()
    data = mx.sym.var("data", shape=(2, 3, 8, 8), lr_mult=2.0, dtype="float32")
    conv = mx.sym.Convolution(data, kernel=(3, 3), num_filter=4, no_bias=True, name="conv")
    bn = mx.sym.BatchNorm(conv, fix_gamma=False, name="bn")
    act = mx.sym.Activation(bn, act_type="relu", name="relu")
    parts = mx.sym.split(act, num_outputs=2, axis=1, name="split")
    mixed = (parts[0] + parts[1]) * 2 - 1 / (parts[0] + 3) + parts[1] ** 2
    fc = mx.sym.FullyConnected(mixed, num_hidden=5, name="fc")
    mx.sym.Group([fc, mx.sym.sigmoid(fc, name="sig"), bn]).save("graph-symbol.json")


if __name__ == "__main__":
    if sys.argv[1:]:  # named fixtures alone (the others stay as they are)
        for fixture in sys.argv[1:]:
            {"graph": graph, "ops": ops, "checkpoint": checkpoint}[fixture]()
        sys.exit()
    graph()
    ops()
    checkpoint()
    for make in (resnet, dropnet, lstm):
        for mode in ("np", "legacy"):
            run(make, mode)
    print("ok", file=sys.stderr)
