"""gluon.Trainer on one context against MXNet 1.9.1 (gluon-semantics §6 and mxref).

The network is a small Dense-like Block (weight (1, 2), bias (1,), One/Zero init) built here,
so these tests do not depend on gluon.nn.
"""
from __future__ import annotations

import json

import numpy as onp
import pytest

from mxnp import autograd, gluon, init, lr_scheduler, np
from mxnp import optimizer as opt

X = np.array([[1.0, 2.0], [3.0, 4.0]])


class Affine(gluon.Block):
    """y = x @ weight.T + bias, parameters named like Dense's."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(1, 2), init=init.One())
            self.bias = self.params.get("bias", shape=(1,), init=init.Zero())

    def forward(self, x):
        return np.dot(x, self.weight.data(x.ctx).T) + self.bias.data(x.ctx)


def make_net():
    net = Affine()
    net.initialize()
    return net


def backward(net, fn=lambda out: out.sum()):
    with autograd.record():
        loss = fn(net(X))
    loss.backward()


def test_trainer_is_exported_by_gluon():
    assert gluon.Trainer is gluon.trainer.Trainer


def test_step_rescales_by_batch_size():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward(net)
    assert net.weight.grad().tolist() == [[4.0, 6.0]]
    tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.2)
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.1], rtol=1e-6)
    assert tr.optimizer.rescale_grad == 0.5


def test_given_rescale_grad_multiplies_the_batch_scaling():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "rescale_grad": 0.5})
    backward(net)
    tr.step(2)
    assert tr.optimizer.rescale_grad == 0.25
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.9, 0.85]], rtol=1e-6)


def test_clip_gradient_applies_after_rescaling():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0,
                                                     "clip_gradient": 0.1})
    backward(net, lambda out: out[:1].sum())      # grad [1, 2]
    tr.step(100)
    # MXNet 1.9.1 (gluon-semantics §6.2): clipped first, it would be [[0.999, 0.999]]
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.99, 0.98]], rtol=1e-6)


def test_allreduce_grads_then_update_equals_step():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward(net)
    tr.allreduce_grads()
    tr.update(2)
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)


def test_parameters_are_taken_in_sorted_name_order():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd")
    # MXNet 1.9.1 (gluon-semantics §6.1): index 0 is the bias, 1 the weight
    assert [p.name for p in tr._params] == sorted(net.collect_params().keys())
    assert tr._params[0] is net.bias and tr.optimizer.param_dict[1] is net.weight


def test_a_list_of_parameters_keeps_its_order():
    net = make_net()
    tr = gluon.Trainer([net.weight, net.bias], "sgd")
    assert tr._params == [net.weight, net.bias]


def test_second_step_without_backward_raises_stale_gradient_user_warning():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward(net)
    tr.step(2)
    with pytest.raises(UserWarning) as err:
        tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.2): the first parameter in sorted order is named
    assert str(err.value).startswith(f"Gradient of Parameter `{net.bias.name}` on context "
                                     f"cpu(0) has not been updated by backward since last "
                                     f"`step`. This could mean a bug in your model")
    assert str(err.value).endswith("skip updating of Parameters with stale gradient")
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)


def test_unused_parameter_raises_and_ignore_stale_grad_skips_it():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward(net, lambda out: (out * 0).sum() + net.bias.data().sum() * 2)
    net.weight.data()._fresh_grad = False         # as if forward had not used the weight
    with pytest.raises(UserWarning, match=f"`{net.weight.name}`"):
        tr.step(2)
    assert net.bias.data().tolist() == [0.0]      # nothing was updated
    tr.step(2, ignore_stale_grad=True)
    # MXNet 1.9.1 (mxref): weight kept, bias moved by lr * 2/2
    assert net.weight.data().tolist() == [[1.0, 1.0]]
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.1], rtol=1e-6)
    assert not net.bias.data()._fresh_grad


def test_parameters_with_grad_req_null_are_skipped():
    net = make_net()
    net.weight.grad_req = "null"
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward(net)
    tr.step(2)
    assert net.weight.data().tolist() == [[1.0, 1.0]]
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.1], rtol=1e-6)


def test_grad_req_add_accumulates_until_zero_grad():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    net.collect_params().setattr("grad_req", "add")
    backward(net)
    backward(net)
    tr.step(2)
    # MXNet 1.9.1 (mxref)
    assert net.weight.grad().tolist() == [[8.0, 12.0]]
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.6, 0.4]], rtol=1e-6)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.2], rtol=1e-6)
    backward(net)
    tr.step(2)
    assert net.weight.grad().tolist() == [[12.0, 18.0]]
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[-0.36, -1.04]], rtol=1e-6)


def test_adam_two_steps_match_mxnet():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.1, "wd": 0.1})
    for _ in range(2):
        backward(net, lambda out: (out ** 2).sum())
        tr.step(2)
    # MXNet 1.9.1 (mxref)
    onp.testing.assert_allclose(net.weight.data().asnumpy(),
                                [[0.80051189661026, 0.800518274307251]], rtol=2e-6)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.19945958256721497], rtol=2e-6)
    assert tr.optimizer.num_update == 2 and sorted(tr._updaters[0].states) == [0, 1]


def test_weight_decay_applies_to_biases_and_wd_mult_turns_it_off():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 0.5})
    net.bias.set_data(np.array([1.0]))
    backward(net, lambda out: out[:1].sum())      # bias grad 1
    tr.step(1)
    # w <- w - lr * (g + wd * w) = 1 - 0.1 * (1 + 0.5)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [0.85], rtol=1e-6)
    net.collect_params(".*bias").setattr("wd_mult", 0.0)
    backward(net, lambda out: out[:1].sum())
    tr.step(1)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [0.75], rtol=1e-6)


def test_lr_mult_doubles_the_step():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    net.collect_params(".*weight").setattr("lr_mult", 2.0)
    backward(net)
    tr.step(2)
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.6, 0.4]], rtol=1e-6)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [-0.1], rtol=1e-6)


def test_learning_rate_and_set_learning_rate():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    assert tr.learning_rate == 0.1 and isinstance(tr.optimizer, opt.SGD)
    tr.set_learning_rate(0.5)
    assert tr.learning_rate == 0.5 and tr.optimizer.lr == 0.5


def test_scheduler_is_asked_once_per_step():
    net = make_net()
    sched = lr_scheduler.FactorScheduler(1, 0.5)
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1,
                                                     "lr_scheduler": sched})
    seen = [tr.learning_rate]
    for _ in range(3):
        backward(net)
        tr.step(2)
        seen.append(tr.learning_rate)
    # MXNet 1.9.1 (gluon-semantics §8)
    assert seen == pytest.approx([0.1, 0.1, 0.05, 0.025])
    with pytest.raises(UserWarning, match="LRScheduler of the optimizer has already been"):
        tr.set_learning_rate(0.5)


def test_optimizer_instance_is_used_as_is():
    net = make_net()
    adam = opt.Adam(learning_rate=0.3)
    tr = gluon.Trainer(net.collect_params(), adam)
    assert tr.optimizer is adam and adam.param_dict[0] is net.bias
    with pytest.raises(AssertionError, match="optimizer_params must be None"):
        gluon.Trainer(net.collect_params(), adam, {"learning_rate": 0.1})


@pytest.mark.parametrize("args, error, message", [
    (("foo",), ValueError, "Cannot find optimizer foo"),
    (("sgd", {"lr": 0.1}), TypeError, "unexpected keyword argument 'lr'"),
])
def test_optimizer_errors(args, error, message):
    with pytest.raises(error, match=message):
        gluon.Trainer(make_net().collect_params(), *args)


def test_optimizer_name_is_case_insensitive():
    assert isinstance(gluon.Trainer(make_net().collect_params(), "Adam").optimizer, opt.Adam)


def test_params_must_be_parameters():
    with pytest.raises(ValueError, match="First argument must be a list or dict of Parameters, "
                                         "got list of <class '"):
        gluon.Trainer([np.zeros(2)], "sgd")
    with pytest.raises(ValueError, match="got <class 'str'>"):
        gluon.Trainer("weights", "sgd")


def test_uninitialized_parameters_raise_runtime_error():
    net = Affine()
    with pytest.raises(RuntimeError, match=f"Parameter '{net.bias.name}' has not been "
                                           "initialized"):
        gluon.Trainer(net.collect_params(), "sgd")


def test_no_parameters_raises_type_error():
    with pytest.raises(TypeError, match="'NoneType' object is not iterable"):
        gluon.Trainer([], "sgd")


@pytest.mark.parametrize("kvstore", ["device", "local", None, "nccl"])
def test_one_context_needs_no_kvstore(kvstore):
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1}, kvstore=kvstore)
    backward(net)
    tr.step(2)
    assert tr._kvstore is None and tr._update_on_kvstore is None
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)


def test_dist_async_kvstore_is_not_implemented():
    # the synchronous ones run over MPI (tests/test_dist.py); async has no allreduce form
    with pytest.raises(NotImplementedError, match="'dist_async' is not supported"):
        gluon.Trainer(make_net().collect_params(), "sgd", kvstore="dist_async")


def test_save_and_load_states_round_trip(tmp_path):
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.1})
    fname = str(tmp_path / "trainer.states")
    tr.save_states(fname)                         # works before any step (empty states)
    backward(net)
    tr.step(2)
    tr.save_states(fname)
    with open(fname, "rb") as f:
        assert json.loads(f.read())["format"] == "mxnp-optimizer-states"
    # MXNet 1.9.1 (gluon-semantics §6.5): the bias state after one step (grad 1)
    mean, var = tr._updaters[0].states[0]
    onp.testing.assert_allclose([mean.item(), var.item()], [0.1, 0.001], rtol=1e-4)

    other_net = make_net()
    other = gluon.Trainer(other_net.collect_params(), "adam", {"learning_rate": 0.5})
    other.load_states(fname)
    # the saved optimizer replaces the trainer's (MXNet does this)
    assert other.learning_rate == 0.1 and other.optimizer.num_update == 1
    assert other.optimizer.param_dict[1] is other_net.weight
    other_net.weight.set_data(net.weight.data())
    other_net.bias.set_data(net.bias.data())
    for n, t in ((net, tr), (other_net, other)):
        backward(n)
        t.step(2)
    onp.testing.assert_array_equal(other_net.weight.data().asnumpy(),
                                   net.weight.data().asnumpy())


def test_load_states_can_change_the_optimizer_kind(tmp_path):
    net = make_net()
    fname = str(tmp_path / "sgd.states")
    gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.2}).save_states(fname)
    tr = gluon.Trainer(net.collect_params(), "adam")
    tr.load_states(fname)
    assert isinstance(tr.optimizer, opt.SGD) and tr.learning_rate == 0.2
