"""gluon.model_zoo.vision: every architecture's parameter names, shapes, counts and repr against
MXNet 1.9.1's, a forward pass of each, get_model and the factories' errors."""
from __future__ import annotations

import hashlib
import math
import re

import pytest

from mxnp import np
from mxnp.gluon.model_zoo import vision

# MXNet 1.9.1 (mxref): for each get_model name, after initialize() and one forward on
# (1, 3, 224, 224) ((1, 3, 299, 299) for inceptionv3): class name, number of parameter arrays,
# all parameter values, those with grad_req != 'null', then the first 16 hex digits of the SHA-1 of
# (1) the lines "<name without the model's own prefix> <shape tuple> <grad_req>" joined by "\n",
# in collect_params order, and (2) repr(net).
MXNET = {
    "alexnet": ("AlexNet", 16, 61_100_840, 61_100_840, "f48597bc2d3fe0fb", "ada056586439f98c"),
    "densenet121": ("DenseNet", 606, 8_062_504, 7_978_856, "ee9dbf156c1d2dad", "b115258f014d0ff4"),
    "densenet161": ("DenseNet", 806, 28_900_936, 28_681_000,
                    "df1024a3553c5f66", "e9c955596f2215f3"),
    "densenet169": ("DenseNet", 846, 14_307_880, 14_149_480,
                    "beb60fb39d94c237", "7f44dc74f2d83a4f"),
    "densenet201": ("DenseNet", 1006, 20_242_984, 20_013_928,
                    "f7f67f91b876671d", "a360ec52367e3971"),
    "inceptionv3": ("Inception3", 472, 23_869_000, 23_834_568,
                    "b07116e67f00d87e", "81c363c65481993f"),
    "mobilenet0.25": ("MobileNet", 137, 475_544, 470_072, "47f44ade57e5c5f1", "b5a4340747719822"),
    "mobilenet0.5": ("MobileNet", 137, 1_342_536, 1_331_592,
                     "f312b8e989d28f0c", "f74b8eb5912c812f"),
    "mobilenet0.75": ("MobileNet", 137, 2_601_976, 2_585_560,
                      "d9d725c209fad0f5", "9390361e31c29622"),
    "mobilenet1.0": ("MobileNet", 137, 4_253_864, 4_231_976,
                     "f289f98be834f9b0", "d9afba674d41f3e0"),
    "mobilenetv2_0.25": ("MobileNetV2", 266, 1_526_856, 1_516_392,
                         "66f92fe44a7e223b", "3b773fabaa0469f6"),
    "mobilenetv2_0.5": ("MobileNetV2", 266, 1_983_104, 1_964_736,
                        "b951d9bd7b3a5222", "cdfe9316386c7b8e"),
    "mobilenetv2_0.75": ("MobileNetV2", 266, 2_653_864, 2_627_592,
                         "97a86d2165ba81f2", "79c149255feaf463"),
    "mobilenetv2_1.0": ("MobileNetV2", 266, 3_539_136, 3_504_960,
                        "a22b1abfae82c23c", "4c2819d7632d333f"),
    "resnet18_v1": ("ResNetV1", 102, 11_699_112, 11_689_512,
                    "7ccc432b586e6f98", "09eadd0bc3c444f4"),
    "resnet34_v1": ("ResNetV1", 182, 21_814_696, 21_797_672,
                    "b8f9725c41ee3117", "b719ed242cb7f406"),
    "resnet50_v1": ("ResNetV1", 299, 25_629_032, 25_575_912,
                    "1defc40e3ef2af87", "8beb943bd73c6979"),
    "resnet101_v1": ("ResNetV1", 588, 44_695_144, 44_589_800,
                     "72344d4176741063", "fb2ad1b194a3ba68"),
    "resnet152_v1": ("ResNetV1", 877, 60_404_072, 60_252_648,
                     "95c9e7002a1e7648", "33866a8e926d32e3"),
    "resnet18_v2": ("ResNetV2", 98, 11_695_796, 11_687_848, "ae59bb522fa72e7b", "46583cc82918aa49"),
    "resnet34_v2": ("ResNetV2", 178, 21_811_380, 21_796_008,
                    "b28bf502f86895bb", "e9a4f935ffe88760"),
    "resnet50_v2": ("ResNetV2", 259, 25_595_060, 25_549_480,
                    "4008dd8752e0a5bf", "76503945b8fae8d9"),
    "resnet101_v2": ("ResNetV2", 514, 44_639_412, 44_541_608,
                     "160c6715686564c5", "d6756ed2a3e82a31"),
    "resnet152_v2": ("ResNetV2", 769, 60_329_140, 60_185_256,
                     "7bd3cad62888c17f", "36f38927e835f7e8"),
    "squeezenet1.0": ("SqueezeNet", 52, 1_248_424, 1_248_424,
                      "69a8a1bf3c64da9f", "cd8487660c72697c"),
    "squeezenet1.1": ("SqueezeNet", 52, 1_235_496, 1_235_496,
                      "cc51ec235b785287", "dd84f9d192606642"),
    "vgg11": ("VGG", 22, 132_863_336, 132_863_336, "742f60d43f0a7973", "5533ffa43ab1bd8a"),
    "vgg11_bn": ("VGG", 54, 132_874_344, 132_868_840, "0afd03b7f2e9fcf5", "0cad33e2ad819cef"),
    "vgg13": ("VGG", 26, 133_047_848, 133_047_848, "cefac581bf4e933f", "185b5be44b57c653"),
    "vgg13_bn": ("VGG", 66, 133_059_624, 133_053_736, "6b649f6bff1e920b", "2f0f1df2ea0bf0e8"),
    "vgg16": ("VGG", 32, 138_357_544, 138_357_544, "a81fd81b4ecc5bd0", "be289b72c058bde7"),
    "vgg16_bn": ("VGG", 84, 138_374_440, 138_365_992, "d133c9a724468c4a", "47f3513d9dc88ff9"),
    "vgg19": ("VGG", 38, 143_667_240, 143_667_240, "4e538b066763c7b9", "ff5a5a8ba6937ba7"),
    "vgg19_bn": ("VGG", 102, 143_689_256, 143_678_248, "7d13602b09e8390c", "341810fc8474be34"),
}

# MXNet 1.9.1's public names in gluon.model_zoo.vision (mxref: dir(vision))
VISION_NAMES = [
    "AlexNet", "BasicBlockV1", "BasicBlockV2", "BottleneckV1", "BottleneckV2", "DenseNet",
    "Inception3", "MobileNet", "MobileNetV2", "ResNetV1", "ResNetV2", "SqueezeNet", "VGG",
    "alexnet", "densenet", "densenet121", "densenet161", "densenet169", "densenet201",
    "get_mobilenet", "get_mobilenet_v2", "get_model", "get_resnet", "get_vgg", "inception",
    "inception_v3", "mobilenet", "mobilenet0_25", "mobilenet0_5", "mobilenet0_75",
    "mobilenet1_0", "mobilenet_v2_0_25", "mobilenet_v2_0_5", "mobilenet_v2_0_75",
    "mobilenet_v2_1_0", "resnet", "resnet101_v1", "resnet101_v2", "resnet152_v1",
    "resnet152_v2", "resnet18_v1", "resnet18_v2", "resnet34_v1", "resnet34_v2", "resnet50_v1",
    "resnet50_v2", "squeezenet", "squeezenet1_0", "squeezenet1_1", "vgg", "vgg11", "vgg11_bn",
    "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"
]

# The input each test feeds: the smallest side the architecture allows where its parameter shapes
# do not depend on it (global pooling), else the side MXNet's fixed pooling needs.
SIDE = {"alexnet": 224, "inceptionv3": 299, "densenet": 224, "squeezenet": 224, "vgg": 32}


def _side(name):
    return next((side for stem, side in SIDE.items() if name.startswith(stem)), 32)


def _digest(text):
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _vgg_at_224(rows, text):
    """A VGG run on 32x32 sees 512 features at its first Dense; on 224x224 MXNet saw 25088."""
    rows[rows.index("dense0_weight (4096, 512) write")] = "dense0_weight (4096, 25088) write"
    return rows, text.replace("Dense(512 -> 4096", "Dense(25088 -> 4096", 1)


@pytest.mark.parametrize("name", sorted(MXNET))
def test_architecture_matches_mxnet(name):
    cls, count, total, trainable, params_sha, repr_sha = MXNET[name]
    net = vision.get_model(name)
    assert type(net).__name__ == cls and re.fullmatch(cls.lower() + r"\d+_", net.prefix)
    net.initialize()
    side = _side(name)
    out = net(np.ones((1, 3, side, side)) * 0.1)
    assert out.shape == (1, 1000)
    assert bool(np.isfinite(out).all())
    params = net.collect_params()
    rows = [f"{k[len(net.prefix):]} {p.shape} {p.grad_req}" for k, p in params.items()]
    text = repr(net)
    if name.startswith("vgg"):
        rows, text = _vgg_at_224(rows, text)
    assert len(rows) == count
    assert _digest("\n".join(rows)) == params_sha
    assert _digest(text) == repr_sha
    if not name.startswith("vgg"):
        sizes = [(math.prod(p.shape), p.grad_req) for p in params.values()]
        assert sum(s for s, _ in sizes) == total
        assert sum(s for s, g in sizes if g != "null") == trainable


def test_counts_of_the_reference_table():
    # MXNet 1.9.1 (reference §14): all / trainable / arrays
    assert MXNET["resnet18_v1"][1:4] == (102, 11_699_112, 11_689_512)
    assert MXNET["alexnet"][1:4] == (16, 61_100_840, 61_100_840)
    assert MXNET["mobilenet1.0"][1:4] == (137, 4_253_864, 4_231_976)
    assert MXNET["vgg11"][1:4] == (22, 132_863_336, 132_863_336)


def test_resnet_thumbnail_on_cifar_sized_input():
    net = vision.resnet18_v1(classes=10, thumbnail=True)
    net.initialize()
    assert net(np.zeros((2, 3, 32, 32))).shape == (2, 10)
    params = list(net.collect_params().values())
    assert len(params) == 98  # MXNet 1.9.1 (reference §14)
    assert sum(math.prod(p.shape) for p in params) == 11_183_306
    assert sum(math.prod(p.shape) for p in params if p.grad_req != "null") == 11_173_834
    assert repr(net.features[0]) == "Conv2D(3 -> 64, kernel_size=(3, 3), stride=(1, 1), " \
                                    "padding=(1, 1), bias=False)"


def test_classes_and_structure():
    net = vision.resnet18_v2(classes=10)
    assert repr(net.output) == "Dense(512 -> 10, linear)"  # MXNet 1.9.1 (reference §14)
    assert len(vision.resnet18_v1().features) == 9
    assert repr(vision.resnet18_v1()).startswith(
        "ResNetV1(\n  (features): HybridSequential(\n    (0): Conv2D(-1 -> 64, kernel_size=(7, 7),"
        " stride=(2, 2), padding=(3, 3), bias=False)\n")
    sq = vision.squeezenet1_1(classes=7)
    sq.initialize()
    assert sq(np.zeros((1, 3, 224, 224))).shape == (1, 7)


def test_get_model_names_and_unknown_name():
    assert type(vision.get_model("ResNet18_V1")).__name__ == "ResNetV1"  # name is lower-cased
    with pytest.raises(ValueError) as e:
        vision.get_model("Foo")
    # MXNet 1.9.1 (mxref)
    assert str(e.value) == ("Model foo is not supported. Available options are\n\t"
                            + "\n\t".join(sorted(MXNET)))
    assert str(e.value).split("\n\t")[15:17] == ["resnet101_v1", "resnet101_v2"]  # str order


def test_factory_errors():
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError,
                       match=r"^Invalid resnet version: 3\. Options are 1 and 2\.$"):
        vision.get_resnet(3, 18)
    with pytest.raises(AssertionError, match=re.escape(
            "Invalid number of layers: 20. Options are dict_keys([18, 34, 50, 101, 152])")):
        vision.get_resnet(1, 20)
    with pytest.raises(AssertionError, match=re.escape(
            "Unsupported SqueezeNet version 1.2:1.0 or 1.1 expected")):
        vision.SqueezeNet("1.2")
    with pytest.raises(KeyError):
        vision.get_vgg(12)


def test_training_step_reaches_every_parameter():
    from mxnp import autograd

    net = vision.mobilenet_v2_0_25(classes=4)
    net.initialize()
    x = np.random.uniform(size=(2, 3, 32, 32))
    with autograd.record():
        loss = (net(x) ** 2).sum()  # not a plain sum: BatchNorm makes its gradient zero
    loss.backward()
    grads = [p.grad() for p in net.collect_params().values() if p.grad_req != "null"]
    assert len(grads) == 266 - 2 * 53 and all(bool(np.isfinite(g).all()) for g in grads)
    assert float(np.abs(net.features[0].weight.grad()).sum()) > 0


def test_every_public_name_exists_and_is_documented():
    from mxnp import gluon

    assert gluon.model_zoo.vision is vision and gluon.model_zoo.model_store.get_model_file
    assert sorted(n for n in vision.__all__) == sorted(VISION_NAMES)
    for name in VISION_NAMES:
        obj = getattr(vision, name)
        assert (obj.__doc__ or "").strip(), name


@pytest.mark.parametrize("name", ["resnet18_v1", "mobilenetv2_0.25", "squeezenet1.1"])
def test_hybridized_net_gives_the_eager_outputs(name):
    net = vision.get_model(name, classes=5)
    net.initialize()
    side = _side(name)
    x = np.random.uniform(size=(2, 3, side, side))
    eager = net(x)
    net.hybridize()
    assert float(np.abs(net(x) - eager).max()) == 0.0


@pytest.mark.parametrize("name, widths", [
    # MXNet 1.9.1 (mxref: resnet18_v1(classes=10).summary(np.ones((1, 3, 32, 32))), rows 17-23;
    # resnet50_v1's rows 5-14): the parameters of each layer in the order the layers ran, the
    # body's before the downsample's
    ("resnet18_v1", [73728, 512, 0, 147456, 512, 8192, 512]),
    ("resnet50_v1", [4160, 256, 0, 36864, 256, 0, 16640, 1024, 16384, 1024]),
])
def test_v1_blocks_run_the_body_before_the_downsample(name, widths):
    net = getattr(vision, name)(classes=10)
    net.initialize()
    seen = []
    for block in _all_blocks(net):
        if not block._children:
            block.register_forward_hook(
                lambda b, args, out: seen.append(sum(p.data().size for p in b.params.values())))
    net(np.ones((1, 3, 32, 32)))
    start = next(i for i, n in enumerate(seen) if n == widths[0])
    assert seen[start:start + len(widths)] == widths


def _all_blocks(block):
    yield block
    for child in block._children.values():
        yield from _all_blocks(child)
