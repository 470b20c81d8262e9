"""mx.optimizer's API around the update formulas: registry, learning rate, multipliers,
update counts, direct ``update`` on mxnp arrays, multi-precision, AdamW, SGLD."""
from __future__ import annotations

import warnings

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, lr_scheduler, np, npx, util
from mxnp import optimizer as opt

W0, G1, G2, G3 = [1.0, -2.0, 0.5], [0.5, 0.1, -3.0], [-0.3, 0.4, 2.0], [0.2, -0.2, 1.5]


def test_optimizer_names_match_mxnet():
    with open("/work/shared/reference/api/optimizer.txt") as f:
        names = f.read().split()
    missing = [n for n in names if not hasattr(opt, n)]
    assert missing == []
    assert opt.contrib.GroupAdaGrad is not None
    assert opt.optimizer.SGD is opt.SGD and mxnp.optimizer is opt


def test_create_is_case_insensitive_and_knows_every_registered_name():
    # MXNet 1.9.1 (mxref)
    assert [type(opt.create(n)).__name__ for n in ["SGD", "AdaM", "ccsgd", "test"]] == \
        ["SGD", "Adam", "ccSGD", "Test"]
    expected = ("adadelta adagrad adam adamax ccsgd dcasgd ftml ftrl groupadagrad lamb lars "
                "lbsgd nadam nag rmsprop sgd sgld signum test").split()
    assert set(expected) <= set(opt.Optimizer.opt_registry)
    assert "adamw" in opt.Optimizer.opt_registry        # mxnp's addition


def test_create_unknown_name_raises_value_error():
    with pytest.raises(ValueError, match="Cannot find optimizer foo"):
        opt.create("foo")


def test_create_bad_keyword_raises_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument 'lr'"):
        opt.create("sgd", lr=0.1)


def test_register_warns_when_overriding_a_name():
    class Sgd(opt.SGD):
        pass

    try:
        with pytest.warns(UserWarning, match="is overriding existing optimizer"):
            assert opt.register(Sgd) is Sgd
        assert type(opt.create("sgd")) is Sgd
    finally:
        opt.Optimizer.opt_registry["sgd"] = opt.SGD


@pytest.mark.parametrize("name, lr", [("sgd", 0.01), ("nag", 0.01), ("adagrad", 0.01),
                                      ("adadelta", 0.01), ("signum", 0.01), ("lars", 0.01),
                                      ("ftml", 0.01), ("dcasgd", 0.01), ("sgld", 0.01),
                                      ("lbsgd", 0.01), ("adam", 0.001), ("rmsprop", 0.001),
                                      ("nadam", 0.001), ("lamb", 0.001), ("adamax", 0.002),
                                      ("ftrl", 0.1)])
def test_default_learning_rates(name, lr):
    assert opt.create(name).learning_rate == lr


def test_learning_rate_is_read_only_and_set_learning_rate_changes_it():
    adam = opt.Adam()
    with pytest.raises(AttributeError):
        adam.learning_rate = 3
    adam.set_learning_rate(0.5)
    assert adam.learning_rate == 0.5 and adam.lr == 0.5


def test_set_learning_rate_with_a_scheduler_raises_user_warning():
    sgd = opt.SGD(lr_scheduler=lr_scheduler.FactorScheduler(2))
    with pytest.raises(UserWarning, match="LRScheduler of the optimizer has already been"):
        sgd.set_learning_rate(3)


def test_learning_rate_overrides_scheduler_base_lr_with_a_printed_line(capsys):
    sched = lr_scheduler.FactorScheduler(2, base_lr=0.7)
    sgd = opt.SGD(learning_rate=0.5, lr_scheduler=sched)
    # MXNet 1.9.1 (mxref): printed, not warned
    assert "has been overwritten by ``learning_rate`` in optimizer." in capsys.readouterr().out
    assert sched.base_lr == 0.5 and sgd.lr == 0.5


def test_scheduler_is_asked_with_the_count_including_the_current_update():
    sched = lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=0.1)
    updater = opt.get_updater(opt.SGD(lr_scheduler=sched))
    weight, seen = np.array([1.0, -2.0]), []
    for g in ([0.5, 0.1], [-0.3, 0.4], [0.2, -0.2]):
        updater(0, np.array(g), weight)
        seen.append((weight.asnumpy().tolist(), updater.optimizer.learning_rate))
    # MXNet 1.9.1 (mxref)
    expected = [([0.95, -2.01], 0.1), ([0.965, -2.03], 0.05), ([0.96, -2.025], 0.025)]
    for (w, lr), (w_ref, lr_ref) in zip(seen, expected):
        onp.testing.assert_allclose(w, w_ref, rtol=1e-6)
        assert lr == lr_ref


def test_lars_momentum_correction_follows_the_schedule():
    sched = lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=0.7)
    updater = opt.get_updater(opt.LARS(learning_rate=.1, momentum=.9, lr_scheduler=sched))
    weight = np.array([1.0, -2.0])
    for g in ([0.5, 0.1], [-0.3, 0.4], [0.2, -0.2]):
        updater(0, np.array(g), weight)
    # MXNet 1.9.1 (mxref)
    onp.testing.assert_allclose(weight.asnumpy(), [0.999695360660553, -2.0001626014709473],
                                rtol=1e-6)


def test_idx2name_gives_non_weights_zero_wd_mult_and_names_key_lr_mult():
    sgd = opt.SGD(learning_rate=.1, wd=.1,
                  param_idx2name={0: "fc_weight", 1: "fc_bias", 2: "bn_gamma"})
    # MXNet 1.9.1 (mxref)
    assert sgd.wd_mult == {"fc_bias": 0.0}
    assert [sgd._get_wd(i) for i in (0, 1, 2, 5)] == [0.1, 0.0, 0.1, 0.1]
    sgd.set_lr_mult({"fc_bias": 3.0})
    assert sgd._get_lr(1) == pytest.approx(0.3) and sgd._get_lr(0) == 0.1
    lars = opt.LARS(param_idx2name={0: "fc_weight", 1: "fc_bias", 2: "bn_gamma"})
    assert lars.wd_mult == {"fc_bias": 0.0, "bn_gamma": 0.0}


def test_param_dict_multipliers_win_and_are_read_live():
    class P:
        lr_mult, wd_mult = 2.0, 0.0

    param = P()
    sgd = opt.SGD(learning_rate=.1, wd=.5, param_dict={0: param})
    sgd.set_lr_mult({0: 10.0})
    assert sgd._get_lr(0) == pytest.approx(0.2) and sgd._get_wd(0) == 0.0
    param.lr_mult = 3.0
    assert sgd._get_lr(0) == pytest.approx(0.3)


def test_num_update_counts_per_index_and_begin_num_update():
    adam = opt.Adam(learning_rate=.1, begin_num_update=10)
    updater = opt.get_updater(adam)
    weight = np.array(W0)
    for g in (G1, G2, G3):
        updater(0, np.array(g), weight)
    # MXNet 1.9.1 (mxref): the bias correction uses t = 11, 12, 13
    onp.testing.assert_allclose(weight.asnumpy(),
                                [0.9131831526756287, -2.130788803100586, 0.5468178391456604],
                                rtol=3e-6)
    assert adam.num_update == 13 and adam._index_update_count == {0: 13}
    updater(1, np.array(G1), np.array(W0))
    assert adam._index_update_count == {0: 13, 1: 11} and adam.num_update == 13


def test_nadam_schedule_is_shared_by_all_parameters():
    nadam = opt.Nadam(learning_rate=.1)
    updater = opt.get_updater(nadam)
    w0, w1 = np.array([1.0, -2.0]), np.array([0.5, 0.3])
    for g in ([0.5, 0.1], [-0.3, 0.4]):
        updater(0, np.array(g), w0)
        updater(1, np.array(g), w1)
    # MXNet 1.9.1 (mxref)
    onp.testing.assert_allclose(w0.asnumpy(), [0.9366735816001892, -2.196524143218994], 3e-6)
    onp.testing.assert_allclose(w1.asnumpy(), [0.4661409854888916, 0.1397264003753662], 3e-6)
    assert nadam.m_schedule == pytest.approx(0.04104643371162104)


def test_update_works_directly_on_mxnp_arrays_in_place():
    adam = opt.Adam(learning_rate=.1)
    weight, grad = np.array([1.0, -2.0]), np.array([0.5, 0.1])
    state = adam.create_state(0, weight)
    before = weight
    adam.update(0, weight, grad, state)
    assert weight is before and isinstance(state[0], type(weight))
    onp.testing.assert_allclose(weight.asnumpy(), [0.8999994, -2.1000004], rtol=1e-6)


def test_update_of_a_recorded_variable_inside_record_is_allowed():
    weight = np.array([1.0, -2.0])
    weight.attach_grad()
    with autograd.record():
        (weight * weight).sum().backward()
        opt.SGD(learning_rate=.1).update(0, weight, weight.grad, None)
    onp.testing.assert_allclose(weight.asnumpy(), [0.8, -1.6], rtol=1e-6)


def test_update_with_lists_updates_each_index():
    sgd = opt.SGD(learning_rate=.1)
    ws = [np.array([1.0]), np.array([2.0])]
    sgd.update([0, 1], ws, [np.array([1.0]), np.array([2.0])], [None, None])
    assert [w.item() for w in ws] == [pytest.approx(0.9), pytest.approx(1.8)]
    assert sgd._index_update_count == {0: 1, 1: 1}


def test_clip_gradient_zero_or_none_means_no_clipping():
    for clip in (None, 0):
        weight = np.array([1.0])
        opt.SGD(learning_rate=.1, clip_gradient=clip).update(0, weight, np.array([5.0]), None)
        assert weight.item() == pytest.approx(0.5)


def test_base_optimizer_update_is_not_implemented():
    with pytest.raises(NotImplementedError):
        opt.Optimizer().update(0, np.array([1.0]), np.array([1.0]), None)


def test_set_lr_scale_is_deprecated():
    with pytest.raises(DeprecationWarning):
        opt.SGD().set_lr_scale({})


def test_adamw_decouples_weight_decay():
    lr, wd, b1, b2, eps = 0.1, 0.2, 0.9, 0.999, 1e-8
    updater = opt.get_updater(opt.create("adamw", learning_rate=lr, wd=wd))
    weight = np.array(W0)
    w, m, v = onp.array(W0), onp.zeros(3), onp.zeros(3)
    for t, g in enumerate((G1, G2, G3), start=1):
        updater(0, np.array(g), weight)
        g = onp.array(g)
        w = w - lr * wd * w
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        w = w - lr * onp.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (onp.sqrt(v) + eps)
    onp.testing.assert_allclose(weight.asnumpy(), w, rtol=1e-5)


def test_sgld_step_has_the_right_mean_and_noise():
    mxnp.random.seed(0)
    weight = np.ones((200000,))
    opt.SGLD(learning_rate=0.1, wd=0.1).update(0, weight, np.full((200000,), 0.5), None)
    change = weight.asnumpy() - 1
    # mean -lr/2 * (g + wd*w) = -0.03; noise std sqrt(lr)
    assert abs(change.mean() + 0.03) < 0.005
    assert abs(change.std() - onp.sqrt(0.1)) < 0.005


def test_dcasgd_with_momentum_works_in_mxnp():
    # MXNet 1.9.1 raises "truth value of an NDArray is ambiguous" here
    updater = opt.get_updater(opt.DCASGD(learning_rate=.1, momentum=.9))
    weight = np.array([1.0, -2.0])
    updater(0, np.array([0.5, 0.1]), weight)
    updater(0, np.array([-0.3, 0.4]), weight)
    # step 1: m = -0.1*g1; step 2: m = 0.9*m - 0.1*(g2 + 0.04*g2^2*(w1 - w0))
    w1 = onp.array([0.95, -2.01])
    m = 0.9 * (w1 - [1.0, -2.0]) - 0.1 * (onp.array([-0.3, 0.4])
                                          + 0.04 * onp.array([0.09, 0.16]) * (w1 - [1, -2]))
    onp.testing.assert_allclose(weight.asnumpy(), w1 + m, rtol=1e-6)


def test_signsgd_applies_wd_lh_that_mxnet_rejects():
    weight = np.array([1.0, -2.0])
    opt.Signum(learning_rate=.1, momentum=0, wd_lh=.1).update(0, weight, np.array([.5, .1]), None)
    onp.testing.assert_allclose(weight.asnumpy(), [0.89, -2.08], rtol=1e-6)


def test_test_optimizer_adds_the_gradient_and_copies_the_weight_into_its_state():
    test = opt.Test(rescale_grad=0.5)
    weight = np.array([1.0, 2.0])
    state = test.create_state(0, weight)
    test.update(0, weight, np.array([2.0, 2.0]), state)
    assert weight.tolist() == [2.0, 3.0] and state.tolist() == [2.0, 3.0]


def test_no_warning_for_float32_weights():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.SGD(momentum=.9).create_state_multi_precision(0, np.zeros(2))


def test_a_registered_custom_optimizer_works_in_a_trainer_and_saves(tmp_path):
    from mxnp import gluon, init

    @opt.register
    class HalfStep(opt.Optimizer):
        """w -= lr/2 * g, written the way MXNet users write optimizers."""

        def create_state(self, index, weight):
            return None

        def update(self, index, weight, grad, state):
            self._update_count(index)
            weight[:] -= self._get_lr(index) / 2 * grad * self.rescale_grad

    try:
        param = gluon.Parameter("w", shape=(2,), init=init.One())
        param.initialize()
        tr = gluon.Trainer([param], "halfstep", {"learning_rate": 0.2})
        with autograd.record():
            (param.data() * np.array([1.0, 3.0])).sum().backward()
        tr.step(1)
        onp.testing.assert_allclose(param.data().asnumpy(), [0.9, 0.7], rtol=1e-6)
        tr.save_states(str(tmp_path / "s"))
        tr.load_states(str(tmp_path / "s"))
        assert type(tr.optimizer).__name__ == "HalfStep" and tr.optimizer.num_update == 1
    finally:
        del opt.Optimizer.opt_registry["halfstep"]


def test_allow_np_array_records_the_numpy_switch_and_updater_runs_without_it():
    # MXNet 1.9.1 (mxref): True under npx.set_np(), False after npx.reset_np(); its Updater
    # falls back when an old optimizer lacks the attribute
    saved = util.is_np_array()
    try:
        npx.set_np()
        assert opt.SGD().allow_np_array is True
        npx.reset_np()
        assert opt.SGD().allow_np_array is False
    finally:
        npx.set_np() if saved else npx.reset_np()
    sgd = opt.SGD(learning_rate=0.5)
    delattr(sgd, "allow_np_array")
    w = np.ones(3)
    opt.Updater(sgd)(0, np.ones(3), w)
    assert w.asnumpy().tolist() == [0.5, 0.5, 0.5]
    opt.Updater(opt.SGD())(0, np.ones((0, 0)), np.zeros((0, 0)))  # empty weights are fine
