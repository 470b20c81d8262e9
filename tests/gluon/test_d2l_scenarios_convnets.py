"""D2L's convolutional chapters (LeNet to DenseNet), run as the MXNet edition writes them.

Same method as test_d2l_scenarios.py: one fresh process per test, displays recorded from
MXNet 1.9.1 with /work/shared/tools/mxref, tiny inputs, deterministic weights.
"""
# ruff: noqa: UP008 (D2L writes super(Class, self))
from __future__ import annotations

from mxnp import autograd, gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import close, fresh_process, text  # noqa: F401 (autouse fixture)

MAXPOOL = "pool_type=max, layout=NCHW)"
AVGPOOL = "pool_type=avg, layout=NCHW)"


def lenet():
    net = nn.Sequential()
    net.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation='sigmoid'),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation='sigmoid'),
            nn.Dense(84, activation='sigmoid'),
            nn.Dense(10))
    return net


def layer_shapes(net, X):
    """What D2L prints: each top-level layer's name and output shape."""
    shapes = []
    for layer in net:
        X = layer(X)
        shapes.append((layer.name, X.shape))
    return shapes


LENET_SUMMARY = """
    --------------------------------------------------------------------------------
            Layer (type)                                Output Shape         Param #
    ================================================================================
                   Input                              (1, 1, 28, 28)               0
            Activation-1                              (1, 6, 28, 28)               0
                Conv2D-2                              (1, 6, 28, 28)             156
             AvgPool2D-3                              (1, 6, 14, 14)               0
            Activation-4                             (1, 16, 10, 10)               0
                Conv2D-5                             (1, 16, 10, 10)            2416
             AvgPool2D-6                               (1, 16, 5, 5)               0
            Activation-7                                    (1, 120)               0
                 Dense-8                                    (1, 120)           48120
            Activation-9                                     (1, 84)               0
                Dense-10                                     (1, 84)           10164
                Dense-11                                     (1, 10)             850
    ================================================================================
    Parameters in forward computation graph, duplicate included
       Total params: 61706
       Trainable params: 61706
       Non-trainable params: 0
    Shared params in forward computation graph: 0
    Unique parameters in model: 61706
    --------------------------------------------------------------------------------"""


def test_lenet(capsys):
    net = lenet()
    net.initialize()
    # MXNet 1.9.1 (mxref)
    assert layer_shapes(net, np.random.uniform(size=(1, 1, 28, 28))) == [
        ('conv0', (1, 6, 28, 28)), ('pool0', (1, 6, 14, 14)), ('conv1', (1, 16, 10, 10)),
        ('pool1', (1, 16, 5, 5)), ('dense0', (1, 120)), ('dense1', (1, 84)), ('dense2', (1, 10))]
    # MXNet 1.9.1 (mxref)
    assert repr(net) == text(f"""
        Sequential(
          (0): Conv2D(1 -> 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), Activation(sigmoid))
          (1): AvgPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, {AVGPOOL}
          (2): Conv2D(6 -> 16, kernel_size=(5, 5), stride=(1, 1), Activation(sigmoid))
          (3): AvgPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, {AVGPOOL}
          (4): Dense(400 -> 120, Activation(sigmoid))
          (5): Dense(120 -> 84, Activation(sigmoid))
          (6): Dense(84 -> 10, linear)
        )""")
    net.initialize(init.Constant(0.01), force_reinit=True)
    close(net(np.ones((1, 1, 28, 28))), [[0.63503945] * 10], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    capsys.readouterr()
    net.summary(np.ones((1, 1, 28, 28)))
    assert capsys.readouterr().out == text(LENET_SUMMARY) + "\n"  # MXNet 1.9.1 (mxref)


def test_vgg_and_nin_and_alexnet():
    def vgg_block(num_convs, num_channels):
        blk = nn.Sequential()
        for _ in range(num_convs):
            blk.add(nn.Conv2D(num_channels, kernel_size=3, padding=1, activation='relu'))
        blk.add(nn.MaxPool2D(pool_size=2, strides=2))
        return blk

    net = nn.Sequential()
    for (num_convs, num_channels) in ((1, 4), (1, 8), (2, 8)):
        net.add(vgg_block(num_convs, num_channels))
    net.add(nn.Dense(16, activation='relu'), nn.Dropout(0.5),
            nn.Dense(16, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
    net.initialize()
    # MXNet 1.9.1 (mxref)
    assert layer_shapes(net, np.random.uniform(size=(1, 1, 16, 16))) == [
        ('sequential1', (1, 4, 8, 8)), ('sequential2', (1, 8, 4, 4)),
        ('sequential3', (1, 8, 2, 2)), ('dense0', (1, 16)), ('dropout0', (1, 16)),
        ('dense1', (1, 16)), ('dropout1', (1, 16)), ('dense2', (1, 10))]
    conv = "kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), Activation(relu))"
    pool = "MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, " \
        f"global_pool=False, {MAXPOOL}"
    # MXNet 1.9.1 (mxref)
    assert repr(net[2]) == f"Sequential(\n  (0): Conv2D(8 -> 8, {conv}\n" \
        f"  (1): Conv2D(8 -> 8, {conv}\n  (2): {pool}\n)"
    assert repr(net[4]) == "Dropout(p = 0.5, axes=())"

    def nin_block(num_channels, kernel_size, strides, padding):
        blk = nn.Sequential()
        blk.add(nn.Conv2D(num_channels, kernel_size, strides, padding, activation='relu'),
                nn.Conv2D(num_channels, kernel_size=1, activation='relu'),
                nn.Conv2D(num_channels, kernel_size=1, activation='relu'))
        return blk

    net = nn.Sequential()
    net.add(nin_block(8, kernel_size=5, strides=2, padding=0),
            nn.MaxPool2D(pool_size=3, strides=2),
            nin_block(10, kernel_size=3, strides=1, padding=1),
            nn.Dropout(0.5), nn.GlobalAvgPool2D(), nn.Flatten())
    net.initialize()
    # MXNet 1.9.1 (mxref)
    assert layer_shapes(net, np.random.uniform(size=(1, 1, 24, 24))) == [
        ('sequential5', (1, 8, 10, 10)), ('pool3', (1, 8, 4, 4)),
        ('sequential6', (1, 10, 4, 4)), ('dropout2', (1, 10, 4, 4)), ('pool4', (1, 10, 1, 1)),
        ('flatten0', (1, 10))]
    # MXNet 1.9.1 (mxref)
    assert repr(net[0][0]) == \
        "Conv2D(1 -> 8, kernel_size=(5, 5), stride=(2, 2), Activation(relu))"
    assert repr(net[4]) == "GlobalAvgPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), " \
        f"ceil_mode=True, global_pool=True, {AVGPOOL}"
    assert repr(net[5]) == "Flatten"
    net.initialize(init.Constant(0.05), force_reinit=True)
    close(net(np.ones((1, 1, 24, 24))), [[0.12499997] * 10], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    alex = nn.Sequential()
    alex.add(nn.Conv2D(4, kernel_size=11, strides=4, activation='relu'),
             nn.MaxPool2D(pool_size=3, strides=2),
             nn.Conv2D(8, kernel_size=5, padding=2, activation='relu'),
             nn.MaxPool2D(pool_size=3, strides=2),
             nn.Conv2D(8, kernel_size=3, padding=1, activation='relu'),
             nn.MaxPool2D(pool_size=3, strides=2),
             nn.Dense(32, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
    alex.initialize(init.Xavier())
    shapes = [s for _, s in layer_shapes(alex, np.random.uniform(size=(1, 1, 99, 99)))]
    # MXNet 1.9.1 (mxref)
    assert shapes == [(1, 4, 23, 23), (1, 4, 11, 11), (1, 8, 11, 11), (1, 8, 5, 5),
                      (1, 8, 5, 5), (1, 8, 2, 2), (1, 32), (1, 32), (1, 10)]
    assert repr(alex[6]) == "Dense(32 -> 32, Activation(relu))"


class Inception(nn.Block):
    def __init__(self, c1, c2, c3, c4, **kwargs):
        super(Inception, self).__init__(**kwargs)
        self.p1_1 = nn.Conv2D(c1, kernel_size=1, activation='relu')
        self.p2_1 = nn.Conv2D(c2[0], kernel_size=1, activation='relu')
        self.p2_2 = nn.Conv2D(c2[1], kernel_size=3, padding=1, activation='relu')
        self.p3_1 = nn.Conv2D(c3[0], kernel_size=1, activation='relu')
        self.p3_2 = nn.Conv2D(c3[1], kernel_size=5, padding=2, activation='relu')
        self.p4_1 = nn.MaxPool2D(pool_size=3, strides=1, padding=1)
        self.p4_2 = nn.Conv2D(c4, kernel_size=1, activation='relu')

    def forward(self, x):
        p1 = self.p1_1(x)
        p2 = self.p2_2(self.p2_1(x))
        p3 = self.p3_2(self.p3_1(x))
        p4 = self.p4_2(self.p4_1(x))
        return np.concatenate((p1, p2, p3, p4), axis=1)


class Residual(nn.Block):
    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm()
        self.bn2 = nn.BatchNorm()

    def forward(self, X):
        Y = npx.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return npx.relu(Y + X)


def test_googlenet_inception_and_resnet_residual():
    inc = Inception(2, (2, 4), (1, 2), 2)
    inc.initialize(init.Constant(0.1))
    y = inc(np.ones((1, 3, 6, 6)))
    assert y.shape == (1, 10, 6, 6)
    close(float(y.sum()), 139.20001220703125)  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref)
    assert repr(inc).splitlines()[3] == \
        "  (p2_2): Conv2D(2 -> 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), " \
        "Activation(relu))"
    blk = Residual(3)
    blk.initialize()
    X = np.random.uniform(size=(4, 3, 6, 6))
    assert blk(X).shape == (4, 3, 6, 6)
    blk = Residual(6, use_1x1conv=True, strides=2)
    blk.initialize()
    assert blk(X).shape == (4, 6, 3, 3)
    bn = "BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, " \
        "in_channels=6)"
    # MXNet 1.9.1 (mxref)
    assert repr(blk) == text(f"""
        Residual(
          (conv1): Conv2D(3 -> 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
          (conv2): Conv2D(6 -> 6, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
          (conv3): Conv2D(3 -> 6, kernel_size=(1, 1), stride=(2, 2))
          (bn1): {bn}
          (bn2): {bn}
        )""")
    f32 = "dtype=<class 'numpy.float32'>)"
    # MXNet 1.9.1 (mxref)
    assert repr(blk.collect_params()).splitlines()[:2] + repr(blk.collect_params()).splitlines()[9:11] == [
        "residual1_ (", f"  Parameter conv8_weight (shape=(6, 3, 3, 3), {f32}",
        f"  Parameter batchnorm2_running_mean (shape=(6,), {f32}",
        f"  Parameter batchnorm2_running_var (shape=(6,), {f32}"]
    blk.initialize(init.Constant(0.05), force_reinit=True)
    Xd = np.arange(4 * 3 * 6 * 6, dtype='float32').reshape(4, 3, 6, 6) / 400
    out = blk(Xd)
    close(out[0, :, 0, 0], [0.14231122] * 6)  # MXNet 1.9.1 (mxref)
    close(out.mean(), 1.0461154)  # MXNet 1.9.1 (mxref)
    with autograd.record():
        out = blk(Xd)
    # MXNet 1.9.1 (mxref): training mode; statistics move only when backward runs
    close(out[0, :, 0, 0], [0.] * 6)
    close(blk.bn1.running_mean.data(), [0.] * 6)


def test_resnet_and_densenet_shapes():
    def resnet_block(num_channels, num_residuals, first_block=False):
        blk = nn.Sequential()
        for i in range(num_residuals):
            if i == 0 and not first_block:
                blk.add(Residual(num_channels, use_1x1conv=True, strides=2))
            else:
                blk.add(Residual(num_channels))
        return blk

    net = nn.Sequential()
    net.add(nn.Conv2D(4, kernel_size=7, strides=2, padding=3),
            nn.BatchNorm(), nn.Activation('relu'),
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    net.add(resnet_block(4, 2, first_block=True), resnet_block(8, 2))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(10))
    net.initialize()
    # MXNet 1.9.1 (mxref)
    assert layer_shapes(net, np.random.uniform(size=(1, 1, 32, 32))) == [
        ('conv0', (1, 4, 16, 16)), ('batchnorm0', (1, 4, 16, 16)), ('relu0', (1, 4, 16, 16)),
        ('pool0', (1, 4, 8, 8)), ('sequential1', (1, 4, 8, 8)), ('sequential2', (1, 8, 4, 4)),
        ('pool1', (1, 8, 1, 1)), ('dense0', (1, 10))]

    def conv_block(num_channels):
        blk = nn.Sequential()
        blk.add(nn.BatchNorm(), nn.Activation('relu'),
                nn.Conv2D(num_channels, kernel_size=3, padding=1))
        return blk

    class DenseBlock(nn.Block):
        def __init__(self, num_convs, num_channels, **kwargs):
            super().__init__(**kwargs)
            self.net = nn.Sequential()
            for _ in range(num_convs):
                self.net.add(conv_block(num_channels))

        def forward(self, X):
            for blk in self.net:
                Y = blk(X)
                X = np.concatenate((X, Y), axis=1)
            return X

    blk = DenseBlock(2, 10)
    blk.initialize()
    Y = blk(np.random.uniform(size=(4, 3, 8, 8)))
    assert Y.shape == (4, 23, 8, 8)  # MXNet 1.9.1 (mxref)
    blk = nn.Sequential()
    blk.add(nn.BatchNorm(), nn.Activation('relu'), nn.Conv2D(10, kernel_size=1),
            nn.AvgPool2D(pool_size=2, strides=2))
    blk.initialize()
    assert blk(Y).shape == (4, 10, 4, 4)
    # MXNet 1.9.1 (mxref)
    assert repr(blk[0]) == "BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, " \
        "use_global_stats=False, in_channels=23)"
    assert [p.name for p in blk[0].params.values()] == [
        'batchnorm11_gamma', 'batchnorm11_beta', 'batchnorm11_running_mean',
        'batchnorm11_running_var']


class HybridResidual(nn.HybridBlock):
    """The Residual block as D2L's earlier MXNet edition writes it: hybrid_forward with F."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides) \
            if use_1x1conv else None
        self.bn1 = nn.BatchNorm()
        self.bn2 = nn.BatchNorm()

    def hybrid_forward(self, F, X):
        Y = F.npx.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return F.npx.relu(Y + X)


def test_hybridized_resnets_equal_their_imperative_runs():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, kernel_size=3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
            HybridResidual(4), HybridResidual(8, use_1x1conv=True, strides=2),
            nn.GlobalAvgPool2D(), nn.Dense(3))
    net.initialize(init.Constant(0.05))
    X = np.arange(2 * 1 * 8 * 8, dtype='float32').reshape(2, 1, 8, 8) / 128
    a = net(X)
    net.hybridize()
    b = net(X)
    close(a, [[0.57879704] * 3, [1.8159128] * 3], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    assert float(np.abs(a - b).max()) == 0.0  # MXNet 1.9.1 (mxref): 0.0
    with autograd.record():
        c = net(X)
    close(c, [[0.] * 3, [0.47794804] * 3], rtol=1e-6)  # MXNet 1.9.1 (mxref): batch statistics
    z = gluon.model_zoo.vision.resnet18_v1(classes=4)
    z.initialize(init.Constant(0.01))
    Xz = np.arange(2 * 3 * 16 * 16, dtype='float32').reshape(2, 3, 16, 16) / 1536
    p = z(Xz)
    z.hybridize()
    q = z(Xz)
    # MXNet 1.9.1 (mxref): constant weights and unit running variance blow the values up
    close(p, [[1.9226194e+10] * 4, [5.7273098e+10] * 4], rtol=2e-5)
    assert float(np.abs(p - q).max()) == 0.0
