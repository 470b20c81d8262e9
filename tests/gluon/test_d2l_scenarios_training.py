"""D2L's batch normalisation, hybridisation, optimisation and device code, against MXNet 1.9.1.

Same method as test_d2l_scenarios.py: one fresh process per test, displays recorded from
MXNet 1.9.1 with /work/shared/tools/mxref, tiny inputs, deterministic weights.
"""
# ruff: noqa: UP008 (D2L writes super(Class, self))
from __future__ import annotations

import pytest

import mxnp as mx
from mxnp import autograd, gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import close, fresh_process, text  # noqa: F401 (autouse fixture)


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not autograd.is_training():
        X_hat = (X - moving_mean) / np.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(axis=0)
            var = ((X - mean) ** 2).mean(axis=0)
        else:
            mean = X.mean(axis=(0, 2, 3), keepdims=True)
            var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        X_hat = (X - mean) / np.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var


class BatchNorm(nn.Block):
    def __init__(self, num_features, num_dims, **kwargs):
        super().__init__(**kwargs)
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = self.params.get('gamma', shape=shape, init=init.One())
        self.beta = self.params.get('beta', shape=shape, init=init.Zero())
        self.moving_mean = np.zeros(shape)
        self.moving_var = np.ones(shape)

    def forward(self, X):
        if self.moving_mean.ctx != X.ctx:
            self.moving_mean = self.moving_mean.copyto(X.ctx)
            self.moving_var = self.moving_var.copyto(X.ctx)
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma.data(), self.beta.data(), self.moving_mean,
            self.moving_var, eps=1e-12, momentum=0.9)
        return Y


def bn_lenet(bn2d, bn1d):
    net = nn.Sequential()
    net.add(nn.Conv2D(3, kernel_size=3), bn2d, nn.Activation('sigmoid'),
            nn.MaxPool2D(pool_size=2, strides=2), nn.Dense(5), bn1d,
            nn.Activation('sigmoid'), nn.Dense(2))
    net.initialize(init.Constant(0.1))
    return net


def one_sgd_step(net, X, y):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    with autograd.record():
        l = loss(net(X), y)
    l.backward()
    trainer.step(2)


def test_batch_norm_from_scratch_and_concise():
    X = np.arange(2 * 1 * 8 * 8, dtype='float32').reshape(2, 1, 8, 8) / 64
    y = np.array([0, 1])
    net = bn_lenet(BatchNorm(3, num_dims=4), BatchNorm(5, num_dims=2))
    assert repr(net[1]) == "BatchNorm(\n\n)"  # MXNet 1.9.1 (mxref)
    one_sgd_step(net, X, y)
    close(net[1].gamma.data().reshape(-1), [1., 1., 1.])  # MXNet 1.9.1 (mxref)
    close(net[1].moving_mean.reshape(-1), [0.08929687] * 3)
    close(net(X), [[0.17413066, 0.65044534], [0.18769342, 0.7011074]], rtol=1e-5)
    assert list(net.collect_params().keys()) == [
        'conv0_weight', 'conv0_bias', 'batchnorm0_gamma', 'batchnorm0_beta', 'dense0_weight',
        'dense0_bias', 'batchnorm1_gamma', 'batchnorm1_beta', 'dense1_weight', 'dense1_bias']
    net2 = bn_lenet(nn.BatchNorm(), nn.BatchNorm())
    one_sgd_step(net2, X, y)
    # MXNet 1.9.1 (mxref)
    close(net2[1].gamma.data(), [1., 1., 1.])
    close(net2[1].running_mean.data(), [0.08929691] * 3)
    close(net2[1].running_var.data(), [0.9239991] * 3)
    close(net2[5].beta.data(), [-1.39896414e-08] * 5, atol=1e-7)
    close(net2[5].running_mean.data(), [0.1419918] * 5)
    close(net2(X), [[0.17413364, 0.650441], [0.18769667, 0.70110285]], rtol=1e-5)
    assert repr(net2[4]) == "Dense(27 -> 5, linear)"
    assert (net2[1].running_mean.grad_req, net2[1].gamma.grad_req) == ('null', 'write')


def test_batch_norm_layer_statistics():
    bn = nn.BatchNorm()
    bn.initialize()
    x = np.array([[1., 2.], [3., 6.]])
    with autograd.record():
        o = bn(x)
    # MXNet 1.9.1 (mxref): no backward yet, so the running statistics stay put
    close(o, [[-0.999995, -0.9999988], [0.999995, 0.9999988]])
    close(bn.running_mean.data(), [0., 0.])
    close(bn.running_var.data(), [1., 1.])
    with autograd.record():
        o = bn(x)
    o.backward()
    close(bn.running_mean.data(), [0.2, 0.4])  # MXNet 1.9.1 (mxref): 0.20000005, 0.4000001
    close(bn.running_var.data(), [1., 1.3])
    close(bn.gamma.grad(), [0., 0.])
    close(bn(x), [[0.79999596, 1.4032874], [2.799986, 4.911506]])  # MXNet 1.9.1 (mxref)
    with autograd.train_mode():
        o = bn(x)
    close(o, [[-0.999995, -0.9999988], [0.999995, 0.9999988]])
    # MXNet 1.9.1 (mxref)
    assert repr(nn.BatchNorm(momentum=0.5, epsilon=1e-3, center=False, in_channels=4)) == \
        "BatchNorm(axis=1, eps=0.001, momentum=0.5, fix_gamma=False, use_global_stats=False, " \
        "in_channels=4)"
    assert repr((nn.LayerNorm(), nn.Dropout(0.2), nn.Flatten(), nn.Activation('relu'),
                 nn.Embedding(10, 4))) == \
        "(LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=-1), " \
        "Dropout(p = 0.2, axes=()), Flatten, Activation(relu), Embedding(10 -> 4, float32))"


def test_hybridize_mlp_and_hybrid_forward(capsys):
    net = nn.HybridSequential()
    net.add(nn.Dense(256, activation='relu'), nn.Dense(128, activation='relu'), nn.Dense(2))
    net.initialize(init.Constant(0.01))
    x = np.ones((1, 512))
    a = net(x)
    close(a, [[16.77721, 16.77721]])  # MXNet 1.9.1 (mxref)
    net.hybridize()
    b = net(x)
    assert bool((a == b).all())
    assert (type(net).__name__, net.name) == ('HybridSequential', 'hybridsequential0')

    class HybridNet(nn.HybridBlock):
        def __init__(self, **kwargs):
            super(HybridNet, self).__init__(**kwargs)
            self.hidden = nn.Dense(4)
            self.output = nn.Dense(2)

        def hybrid_forward(self, F, x):
            x = F.npx.relu(self.hidden(x))
            return self.output(x)

    net = HybridNet()
    net.initialize(init.Constant(0.1))
    x = np.ones((1, 3))
    assert repr(net(x)) == "array([[0.12, 0.12]])"  # MXNet 1.9.1 (mxref)
    net.hybridize()
    assert repr(net(x)) == "array([[0.12, 0.12]])"  # MXNet 1.9.1 (mxref)
    assert repr(net) == text("""
        HybridNet(
          (hidden): Dense(3 -> 4, linear)
          (output): Dense(4 -> 2, linear)
        )""")  # MXNet 1.9.1 (mxref)

    class MyHDense(nn.HybridBlock):
        def __init__(self, units, in_units, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.weight = self.params.get('weight', shape=(in_units, units))

        def hybrid_forward(self, F, x, weight):
            return F.np.dot(x, weight)

    h = MyHDense(3, 2)
    h.initialize(init.One())
    assert repr(h(np.ones((1, 2)))) == "array([[2., 2., 2.]])"
    h.hybridize()
    assert repr(h(np.ones((1, 2)))) == "array([[2., 2., 2.]])"  # MXNet 1.9.1 (mxref)
    assert repr(h.collect_params()) == \
        "myhdense0_ (\n  Parameter myhdense0_weight (shape=(2, 3), " \
        "dtype=<class 'numpy.float32'>)\n)"  # MXNet 1.9.1 (mxref)


def test_hybridize_lenet_and_batchnorm():
    lenet = nn.HybridSequential()
    lenet.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation='sigmoid'),
              nn.AvgPool2D(pool_size=2, strides=2),
              nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
              nn.AvgPool2D(pool_size=2, strides=2),
              nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'),
              nn.Dense(10))
    lenet.initialize(init.Constant(0.02))
    xx = np.arange(2 * 28 * 28, dtype='float32').reshape(2, 1, 28, 28) / 1000
    o1 = lenet(xx)
    lenet.hybridize()
    o2 = lenet(xx)
    assert o2.shape == (2, 10) and float(np.abs(o1 - o2).max()) < 1e-6
    close(o2[0, :3], [1.5398922] * 3, rtol=2e-6)  # MXNet 1.9.1 (mxref); float64: 1.53989215
    with autograd.record():
        l = (lenet(xx) ** 2).sum()
    l.backward()
    # MXNet 1.9.1 (mxref); float64 gives 0.00147375 0.00149144 0.00150943 0.00149564 0.00148212
    close(lenet[0].weight.grad()[0, 0, 0],
          [0.00147373, 0.00149141, 0.0015094, 0.00149561, 0.00148209], rtol=1e-4)
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError,
                       match='^"conv0_sigmoid" must not be hybridized to print summary.$'):
        lenet.summary(xx)
    bnet = nn.HybridSequential()
    bnet.add(nn.Dense(4), nn.BatchNorm(), nn.Activation('relu'), nn.Dropout(0.5), nn.Dense(2))
    bnet.initialize(init.Constant(0.1))
    xb = np.arange(8, dtype='float32').reshape(2, 4)
    r1 = bnet(xb)
    bnet.hybridize()
    r2 = bnet(xb)
    close(r1, [[0.23999882, 0.23999882], [0.87999564, 0.87999564]])  # MXNet 1.9.1 (mxref)
    close(r2, r1.asnumpy())


def test_trainer_parameter_dict_utilities(capsys):
    net = nn.Sequential()
    net.add(nn.Dense(3, in_units=2), nn.Dense(1, in_units=3))
    net.initialize(init.One())
    x = np.array([[1., 2.], [3., 4.]])
    net.collect_params().setattr('grad_req', 'add')
    for _ in range(2):
        with autograd.record():
            l = net(x).sum()
        l.backward()
    assert repr(net[0].weight.grad()) == \
        "array([[ 8., 12.],\n       [ 8., 12.],\n       [ 8., 12.]])"  # MXNet 1.9.1 (mxref)
    net.collect_params().zero_grad()
    assert float(np.abs(net[0].weight.grad()).sum()) == 0
    net.collect_params().setattr('lr_mult', 0.5)
    assert net[1].bias.lr_mult == 0.5
    net[0].weight.set_data(np.full((3, 2), 0.5))
    assert repr(net(x)) == "array([[ 4.5],\n       [10.5]])"  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError, match=r"^Expected shape \(2, 2\) is incompatible with "
                       r"given shape \(3, 2\)\.$"):
        net[0].weight.set_data(np.ones((2, 2)))
    net.apply(lambda m: print('apply', m.name) if type(m) == nn.Dense else None)
    assert capsys.readouterr().out == "apply dense0\napply dense1\n"  # MXNet 1.9.1 (mxref)
    net.collect_params().reset_ctx(mx.cpu())
    assert repr((net[0].weight.list_ctx(), net[0].weight.data().ctx)) == "([cpu(0)], cpu(0))"
    net.collect_params().setattr('grad_req', 'write')
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    with autograd.record():
        l = net(x).sum()
    l.backward()
    trainer.update(2)
    assert repr(net[1].weight.data()) == "array([[0.875, 0.875, 0.875]])"  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref): raised, not warned
    with pytest.raises(UserWarning, match=r"^Gradient of Parameter `dense0_bias` on context "
                       r"cpu\(0\) has not been updated by backward since last `step`\."):
        trainer.step(1)
    trainer.step(1, ignore_stale_grad=True)
    assert repr(net[1].weight.data()) == "array([[0.875, 0.875, 0.875]])"
    assert (type(trainer.optimizer).__name__, trainer.optimizer.lr) == ('SGD', 0.1)
    t2 = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01, 'wd': 1e-4})
    with autograd.record():
        l = net(x).sum()
    l.backward()
    t2.step(2)
    close(net[1].weight.data(), [[0.86999995] * 3])  # MXNet 1.9.1 (mxref)
    close(net[1].bias.data(), [-0.05500003])
    t3 = gluon.Trainer(net.collect_params(), mx.optimizer.SGD(learning_rate=0.2, momentum=0.9))
    assert t3.learning_rate == 0.2
    # MXNet 1.9.1 (mxref)
    with pytest.raises(TypeError, match=r"__init__\(\) got an unexpected keyword argument 'lr'"):
        gluon.Trainer(net.collect_params(), 'sgd', {'lr': 0.1})
    with pytest.raises(ValueError, match="^Cannot find optimizer nosuchopt$"):
        gluon.Trainer(net.collect_params(), 'nosuchopt')


def test_weight_decay_concise():
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=1))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'wd': 3})
    net.collect_params('.*bias').setattr('wd_mult', 0)
    X, y = np.ones((4, 3)), np.zeros((4, 1))
    net(X)
    net[0].weight.set_data(np.array([[1., 2., 3.]]))
    net[0].bias.set_data(np.array([0.5]))
    with autograd.record():
        l = loss(net(X), y)
    l.backward()
    trainer.step(4)
    close(net[0].weight.data(), [[0.04999995, 0.75, 1.4499999]], rtol=1e-5, atol=1e-6)
    close(net[0].bias.data(), [-0.15000004])  # MXNet 1.9.1 (mxref)
    close(np.linalg.norm(net[0].weight.data()), 1.6332483)
    # MXNet 1.9.1 (mxref)
    assert repr(net.collect_params('.*bias')) == \
        "sequential0_ (\n  Parameter dense0_bias (shape=(1,), dtype=float32)\n)"


def test_metrics_losses_and_schedulers():
    m = mx.metric.RMSE()
    m.update(labels=np.array([1., 2., 3.]), preds=np.array([1., 2., 5.]))
    assert m.get()[0] == 'rmse'
    close(m.get()[1], 1.154700517654419)  # MXNet 1.9.1 (mxref)
    m = mx.metric.NegativeLogLikelihood()
    m.update(labels=np.array([0, 1]), preds=np.array([[0.5, 0.5], [0.2, 0.8]]))
    close(m.get()[1], 0.4581453502178192)  # MXNet 1.9.1 (mxref)
    m.reset()
    assert m.get()[0] == 'nll-loss' and m.get()[1] != m.get()[1]  # ('nll-loss', nan)
    m = mx.metric.Accuracy()
    m.update(labels=[np.array([0, 1, 1])], preds=[np.array([0, 1, 0])])
    # MXNet 1.9.1 (mxref): (('accuracy', 0.6666666666666666), 3, 2.0)
    assert (m.get(), m.num_inst, m.sum_metric) == (('accuracy', 0.6666666666666666), 3, 2.0)
    assert mx.metric.MAE().name == 'mae'
    assert repr(mx.metric.create(['acc', 'mse']).get()) == "(['accuracy', 'mse'], [nan, nan])"
    sched = mx.lr_scheduler.MultiFactorScheduler(step=[2, 4], factor=0.5, base_lr=1.0)
    assert [sched(i) for i in range(6)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]  # MXNet 1.9.1 (mxref)
    cs = mx.lr_scheduler.CosineScheduler(max_update=10, base_lr=0.5, final_lr=0.01)
    assert [round(cs(i), 6) for i in range(0, 12, 2)] == \
        [0.5, 0.453209, 0.330709, 0.179291, 0.056791, 0.01]  # MXNet 1.9.1 (mxref)
    fs = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=1.0)
    assert [fs(i) for i in range(1, 8)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    # MXNet 1.9.1 (mxref): log-softmax in MXNet is less exact (0.40760383); exact: 0.40760596
    close(gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False)(
        np.array([[1., 2., 3.]]), np.array([[0., 0., 1.]])), [0.40760383], rtol=1e-5)
    close(gluon.loss.SigmoidBCELoss()(np.array([[0.5, -1.]]), np.array([[1., 0.]])),
          [0.39366937])
    close(gluon.loss.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True)(
        np.array([[0.5, 0.2]]), np.array([[1., 0.]])), [0.45814535])


def test_devices_and_uninitialised_errors():
    assert repr((npx.cpu(), npx.gpu(), npx.gpu(1))) == "(cpu(0), gpu(0), gpu(1))"

    def try_gpu(i=0):
        return npx.gpu(i) if npx.num_gpus() >= i + 1 else npx.cpu()

    def try_all_gpus():
        devices = [npx.gpu(i) for i in range(npx.num_gpus())]
        return devices if devices else [npx.cpu()]

    if npx.num_gpus() == 0:
        assert repr((try_gpu(), try_gpu(10), try_all_gpus())) == "(cpu(0), cpu(0), [cpu(0)])"
    X = np.ones((2, 3), ctx=try_gpu())
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(ctx=try_gpu())
    assert net(X).shape == (2, 1) and net[0].weight.data().ctx == try_gpu()
    net2 = nn.Sequential()
    net2.add(nn.Dense(2))
    uninit = r"^Parameter 'dense1_weight' has not been initialized\. Note that you should"
    with pytest.raises(RuntimeError, match=uninit):  # MXNet 1.9.1 (mxref)
        net2(X)
    with pytest.raises(RuntimeError, match=uninit):
        net2[0].weight.data()
    # MXNet 1.9.1 (mxref): the Trainer checks the parameters in sorted order
    with pytest.raises(RuntimeError, match=r"^Parameter 'dense1_bias' has not been initialized$"):
        gluon.Trainer(net2.collect_params(), 'sgd', {'learning_rate': 0.1})
    net2.initialize()
    with pytest.raises(gluon.DeferredInitializationError):
        net2[0].weight.data()
    with pytest.raises(KeyError, match="nope"):
        net2.collect_params()['nope']
    with pytest.raises(IndexError, match="^list index out of range$"):
        net2[5]
    # MXNet 1.9.1 (mxref)
    assert init.Xavier(rnd_type='gaussian', factor_type='in', magnitude=2).dumps() == \
        '["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]'
    x = np.array([1, 2, 3])
    assert (x.as_in_ctx(npx.cpu()) is x, x.copyto(npx.cpu()) is x) == (True, False)


def test_split_and_load_and_multi_device_parameters(capsys):
    parts = gluon.utils.split_and_load(np.arange(8).reshape(4, 2), [mx.cpu(0), mx.cpu(1)])
    assert repr(parts) == "[array([[0., 1.],\n       [2., 3.]]), array([[4., 5.],\n" \
        "       [6., 7.]])]"  # MXNet 1.9.1 (mxref)
    # MXNet 1.9.1 (mxref)
    with pytest.raises(ValueError, match=r"^data with shape \(3, 2\) cannot be evenly split "
                       r"into 2 slices along axis 0\. Use a batch size that's multiple of 2 or "
                       r"set even_split=False to allow uneven partitioning of data\.$"):
        gluon.utils.split_and_load(np.arange(6).reshape(3, 2), [mx.cpu(0), mx.cpu(1)])
    parts = gluon.utils.split_and_load(np.arange(6).reshape(3, 2), [mx.cpu(0), mx.cpu(1)],
                                       even_split=False)
    assert [p.shape for p in parts] == [(2, 2), (1, 2)]
    net = nn.Sequential()
    net.add(nn.Dense(2, in_units=3))
    net.initialize(init.One(), ctx=[mx.cpu(0), mx.cpu(1)])
    # MXNet 1.9.1 (mxref)
    assert repr((net[0].weight.list_ctx(), len(net[0].weight.list_data()))) == \
        "([cpu(0), cpu(1)], 2)"
    assert net[0].weight.data(mx.cpu(1)).ctx == mx.cpu(1)
    assert net(np.ones((1, 3), ctx=mx.cpu(1))).ctx == mx.cpu(1)

    def hook(block, inputs, outputs):
        print('hook', block.name, type(inputs).__name__, len(inputs), outputs.shape)

    h = net[0].register_forward_hook(hook)
    net(np.ones((1, 3)))
    h.detach()
    assert repr(net(np.ones((1, 3)))) == "array([[3., 3.]])"
    assert capsys.readouterr().out == "hook dense0 tuple 1 (1, 2)\n"  # MXNet 1.9.1 (mxref)
