"""mx.contrib.amp's loss scaling with a gluon Trainer (MXNet 1.9.1's rules, tests/.. own)."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, np
from mxnp.contrib import amp


def _net_and_trainer(use_amp):
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize(mx.init.Constant(0.5))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})
    if use_amp:
        amp.init_trainer(trainer)
    return net, trainer


def _step(net, trainer, factor=1.0, use_amp=True):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    with autograd.record():
        loss = (net(x) ** 2).sum() * factor
        if use_amp:
            with amp.scale_loss(loss, trainer) as loss:
                pass
    loss.backward()
    trainer.step(2)


def test_scaled_steps_equal_plain_steps_and_the_scaler_starts_at_2_to_16():
    amp.init()
    plain, plain_tr = _net_and_trainer(False)
    scaled, scaled_tr = _net_and_trainer(True)
    scaler = scaled_tr._amp_loss_scaler
    assert isinstance(scaler, amp.LossScaler) and scaler.loss_scale == 2.0 ** 16
    for _ in range(3):
        _step(plain, plain_tr, use_amp=False)
        _step(scaled, scaled_tr)
        assert onp.allclose(scaled.weight.data().asnumpy(), plain.weight.data().asnumpy(),
                            rtol=1e-6)
    assert scaled_tr._scale == 2.0 ** -16 and scaled_tr._amp_original_scale == 1.0


def test_an_overflowing_step_is_skipped_and_halves_the_scale():
    net, trainer = _net_and_trainer(True)
    before = net.weight.data().asnumpy().copy()
    with onp.errstate(over="ignore", invalid="ignore"):
        _step(net, trainer, factor=1e35)  # the scaled loss is inf
    assert (net.weight.data().asnumpy() == before).all()
    scaler = trainer._amp_loss_scaler
    assert scaler.loss_scale == 2.0 ** 16 and scaler._next_loss_scale == 2.0 ** 15
    _step(net, trainer)  # scaled by 2**16 still: the scale moves at the step (MXNet's lag)
    assert scaler.loss_scale == 2.0 ** 15 and trainer._scale == 2.0 ** -16
    assert not (net.weight.data().asnumpy() == before).all()


def test_the_scale_doubles_after_2000_clean_steps_up_to_2_to_24():
    scaler = amp.LossScaler()
    scaler._scale_seq_len = 3
    net, _ = _net_and_trainer(False)
    net.weight.grad()[:] = 1
    for _ in range(3):
        assert not scaler.has_overflow(net.collect_params().values())
    assert scaler.loss_scale == 2.0 ** 16 and scaler._next_loss_scale == 2.0 ** 17
    scaler._next_loss_scale = 2.0 ** 24
    for _ in range(4):
        scaler.has_overflow(net.collect_params().values())
    assert scaler._next_loss_scale == 2.0 ** 24


def test_unscale_divides_the_scale_out_of_the_gradients_now():
    net, trainer = _net_and_trainer(True)
    plain, _ = _net_and_trainer(False)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    with autograd.record():
        (plain(x) ** 2).sum().backward()
    with autograd.record():
        loss = (net(x) ** 2).sum()
        with amp.scale_loss([loss], trainer) as scaled:
            assert isinstance(scaled, list) and float(scaled[0]) == float(loss) * 2 ** 16
    scaled[0].backward()
    amp.unscale(trainer)
    assert trainer._scale == 1.0
    assert onp.allclose(net.weight.grad().asnumpy(), plain.weight.grad().asnumpy())


def test_errors_and_the_operator_list_as_mxnet():
    with pytest.raises(TypeError, match="only compatible with Gluon Trainer"):
        amp.init_trainer(mx.optimizer.SGD())
    _, trainer = _net_and_trainer(False)
    with pytest.raises(AttributeError, match="_amp_loss_scaler"):
        with amp.scale_loss(np.ones(2), trainer):
            pass
    assert amp.list_lp16_ops("float16") == ["Convolution", "Deconvolution", "FullyConnected",
                                            "RNN"]
    with pytest.raises(AssertionError, match="target_dtype"):
        amp.init("int8")
