"""Write zoo_mobilenet0.25_c10*.params with MXNet 1.9.1 (run with the mxref venv's Python).

MXNet's mobilenet0.25(classes=10), every parameter set to a fixed pattern (no random values),
saved with save_parameters, and again as the published model-store files are laid out
(``_legacy``: legacy NDArray format, keys the full names less the model's prefix); prints the network's predict-mode output on a fixed input, which
tests/gluon/test_model_zoo_store.py holds as a literal.
"""
import sys

import mxnet as mx

import numpy as onp
from mxnet import np, npx
from mxnet.gluon.model_zoo import vision

npx.set_np()


def pattern(i, shape, name):
    """A deterministic array for parameter number ``i``, scaled so activations stay lively."""
    wave = onp.sin(onp.arange(int(onp.prod(shape))) * 0.37 + i).reshape(shape)
    if name.endswith("running_var"):
        return 1.0 + 0.5 * onp.abs(wave)
    if name.endswith("gamma"):
        return 1.0 + 0.2 * wave
    if len(shape) >= 2:  # weights: uniform-like with variance 1 / fan_in
        return wave * onp.sqrt(3.0 / onp.prod(shape[1:]))
    return 0.1 * wave


def fixed_input():
    """The (2, 3, 32, 32) input the test feeds."""
    return onp.cos(onp.arange(2 * 3 * 32 * 32) * 0.011).reshape(2, 3, 32, 32).astype("float32")


net = vision.mobilenet0_25(classes=10)
net.initialize()
net(np.zeros((1, 3, 32, 32)))
for i, (name, p) in enumerate(net.collect_params().items()):
    p.set_data(np.array(pattern(i, p.shape, name).astype("float32")))
net.save_parameters(sys.argv[1] + "/zoo_mobilenet0.25_c10.params")
legacy = {k[len(net.prefix):]: p.data().as_nd_ndarray() for k, p in net.collect_params().items()}
npx.reset_np()  # under numpy semantics mx.nd.save writes the newer format
mx.nd.save(sys.argv[1] + "/zoo_mobilenet0.25_c10_legacy.params", legacy)
npx.set_np()
print(net(np.array(fixed_input())).asnumpy().tolist())
