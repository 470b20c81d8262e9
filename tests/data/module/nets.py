"""The symbols and modules make_module_fixtures.py and make_sequential_fixtures.py run in the
real MXNet 1.9.1 and tests/module runs in mxnp: defined once here, on the ``mx`` each side
passes in (this module imports neither library)."""


def module_net(mx):
    """fc1 -> BatchNorm -> relu -> fc2 -> SoftmaxOutput."""
    data = mx.sym.var("data")
    fc1 = mx.sym.FullyConnected(data, num_hidden=5, name="fc1")
    bn = mx.sym.BatchNorm(fc1, fix_gamma=False, name="bn1")
    act = mx.sym.Activation(bn, act_type="relu", name="relu1")
    fc2 = mx.sym.FullyConnected(act, num_hidden=3, name="fc2")
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def sequential_modules(mx):
    """The two modules chained: fc1 -> relu (no labels), fc2 -> SoftmaxOutput."""
    body = mx.sym.Activation(mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=5,
                                                   name="fc1"), act_type="relu", name="relu1")
    head = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var("feat"), num_hidden=3,
                                                      name="fc2"), name="softmax")
    return (mx.mod.Module(body, label_names=None),
            mx.mod.Module(head, data_names=("feat",)))
