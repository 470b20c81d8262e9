r"""Record MXNet 1.9.1's ``random_color_jitter`` after ``mx.random.seed(s)``, and the draws after it.

Run with the oracle's Python (the environment /work/shared/tools/mxref builds) to refresh
``color_jitter_stream.json``; tests/test_color_jitter_stream.py replays the cases on mxnp:

    ~/.cache/mxref-venv/bin/python tests/data/record_color_jitter.py mxnet \
        > tests/data/color_jitter_stream.json

With ``mxnp`` as the argument it prints mxnp's answers in the same form (for a diff). Each case
seeds, jitters one small (H=2, W=3, RGB) image through ``npx.image.random_color_jitter``, then
draws ``np.random.uniform(size=2)`` (the sequential engine the jitter draws from) and
``mx.nd.random.uniform(shape=2)`` (the parallel engines). The recorder also checks that
``mx.nd.image.random_color_jitter`` and gluon's ``RandomColorJitter`` give the same pixels.
"""
import json
import sys

import numpy as onp

if sys.argv[-1] == "mxnp":
    import mxnp
    mxnp.enable_mxnet_alias()
import mxnet as mx
from mxnet import np, npx
from mxnet.gluon.data.vision import transforms

npx.set_np()

# (brightness, contrast, saturation, hue): each alone, pairs, all four, and none
SETTINGS = [(0.5, 0, 0, 0), (0, 0.5, 0, 0), (0, 0, 0.5, 0), (0, 0, 0, 0.3), (0.5, 0.5, 0, 0),
            (0.4, 0, 0, 0.2), (0, 0.4, 0.4, 0), (0.4, 0.4, 0.4, 0.1), (0.5, 0.5, 0.5, 0.5),
            (0.1, 0.2, 0.3, 0.4), (0, 0, 0, 0)]
SEEDS = range(6)
IMAGES = {"float32": onp.random.RandomState(0).uniform(0, 255, (2, 3, 3)).astype("float32"),
          "uint8": onp.random.RandomState(1).randint(0, 256, (2, 3, 3)).astype("uint8")}


def jitter_three_ways(image, setting, seed):
    """The npx op's pixels, after checking that mx.nd's and gluon's equal them."""
    outs = []
    for face in ("npx", "nd", "gluon"):
        mx.random.seed(seed)
        if face == "npx":
            out = npx.image.random_color_jitter(np.array(image), *setting)
        elif face == "nd":
            out = mx.nd.image.random_color_jitter(mx.nd.array(image, dtype=image.dtype), *setting)
        else:
            out = transforms.RandomColorJitter(*setting)(np.array(image))
        outs.append(out.asnumpy())
    assert all(onp.array_equal(outs[0], o) for o in outs[1:]), (setting, seed)
    mx.random.seed(seed)
    return npx.image.random_color_jitter(np.array(image), *setting).asnumpy()


def main():
    cases = []
    for setting in SETTINGS:
        for seed in SEEDS:
            for dtype, image in IMAGES.items():
                out = jitter_three_ways(image, setting, seed)
                cases.append({
                    "setting": list(setting), "seed": seed, "dtype": dtype,
                    "out": out.ravel().tolist(),
                    "np_uniform": np.random.uniform(size=2).asnumpy().tolist(),
                    "nd_uniform": mx.nd.random.uniform(shape=2).asnumpy().tolist()})
    about = ("MXNet 1.9.1 (pip wheel, CPU): tests/data/record_color_jitter.py under the mxref "
             "environment; images: uint8 and float32 (2, 3, 3), values in 'images'")
    json.dump({"about": about, "images": {k: v.ravel().tolist() for k, v in IMAGES.items()},
               "cases": cases}, sys.stdout, indent=None)
    print()


main()
