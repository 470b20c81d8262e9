"""mx.lr_scheduler against MXNet 1.9.1's values (gluon-semantics §8 and mxref)."""
from __future__ import annotations

import pytest

import mxnp
from mxnp import lr_scheduler as lrs
from mxnp import optimizer as opt


def values(sched, steps):
    return [sched(n) for n in steps]


def test_names_match_mxnet():
    with open("/work/shared/reference/api/lr_scheduler.txt") as f:
        assert all(hasattr(lrs, n) for n in f.read().split())
    assert mxnp.lr_scheduler is lrs


def test_factor_scheduler_values():
    sched = lrs.FactorScheduler(step=10, factor=0.5, base_lr=1)
    got = values(sched, [0, 10, 11, 20, 25, 30, 50, 99, 100, 101, 200])
    # MXNet 1.9.1 (gluon-semantics §8): halves once num_update exceeds the last change + step
    expected = [1, 1, 0.5, 0.5, 0.25, 0.25, 0.0625, 0.00195312, 0.00195312, 0.000976562,
                1.90735e-06]
    assert got == pytest.approx(expected, rel=1e-5)


def test_factor_scheduler_floors_at_stop_factor_lr_and_never_goes_back():
    sched = lrs.FactorScheduler(step=10, factor=0.5, base_lr=1, stop_factor_lr=0.2)
    # MXNet 1.9.1 (mxref)
    assert values(sched, [30, 50, 5]) == [0.25, 0.2, 0.2] and sched.count == 40


def test_factor_scheduler_linear_warmup():
    sched = lrs.FactorScheduler(step=10, factor=0.5, base_lr=1, warmup_steps=5)
    assert values(sched, range(7)) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1, 1])


def test_factor_scheduler_constant_warmup():
    sched = lrs.FactorScheduler(step=10, factor=0.5, base_lr=1, warmup_steps=5,
                                warmup_begin_lr=0.5, warmup_mode="constant")
    assert values(sched, range(6)) == [0.5] * 5 + [1]


def test_multi_factor_scheduler_values_and_state():
    sched = lrs.MultiFactorScheduler(step=[10, 20], factor=0.1, base_lr=1)
    # MXNet 1.9.1 (mxref), including the float it prints for 1 * 0.1 * 0.1
    assert values(sched, [0, 10, 11, 20, 21, 25, 5]) == \
        [1, 1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002]
    assert (sched.count, sched.cur_step_ind) == (20, 2)


def test_poly_scheduler_values():
    sched = lrs.PolyScheduler(max_update=100, base_lr=1, pwr=2)
    assert values(sched, [1, 10, 50, 99, 100, 200]) == \
        pytest.approx([0.9801, 0.81, 0.25, 0.0001, 0, 0])


def test_poly_scheduler_keeps_its_last_value_past_max_update():
    sched = lrs.PolyScheduler(100, base_lr=1)
    # MXNet 1.9.1 (mxref): past max_update it returns whatever it computed last
    assert values(sched, [200, 50, 200]) == [1, 0.25, 0.25]


def test_poly_scheduler_with_final_lr_and_warmup():
    sched = lrs.PolyScheduler(100, base_lr=1, pwr=1, final_lr=0.1, warmup_steps=10)
    got = values(sched, [0, 1, 10, 11, 20, 50, 99, 100, 150])
    assert got == pytest.approx([0, 0.1, 1, 0.99, 0.9, 0.6, 0.11, 0.1, 0.1])


def test_cosine_scheduler_values():
    sched = lrs.CosineScheduler(max_update=100, base_lr=1)
    assert values(sched, [1, 10, 50, 99, 100, 130]) == \
        pytest.approx([0.999753, 0.975528, 0.5, 0.00024672, 0, 0], rel=1e-5, abs=1e-9)



def test_cosine_rates_are_mxnets_to_the_last_bit():
    # MXNet 1.9.1 (mxref), compared exactly: the evaluation order decides the last bit
    sched = lrs.CosineScheduler(max_update=1000, base_lr=1, final_lr=0.1, warmup_steps=100,
                                warmup_begin_lr=0.01)
    got = [sched(n) for n in (1, 50, 100, 101, 333, 750, 751, 752, 999, 1000, 1200)]
    assert got == [0.0199, 0.505, 1.0, 0.9999972584460056, 0.8591893798619903,
                   0.26074557564105727, 0.2595440405242223, 0.25834604452159127,
                   0.10000274155399433, 0.1, 0.1]


def test_cosine_scheduler_with_final_lr_and_warmup():
    sched = lrs.CosineScheduler(100, base_lr=1, final_lr=0.1, warmup_steps=10)
    got = values(sched, [0, 1, 9, 10, 11, 20, 50, 99, 100, 120])
    expected = [0, 0.1, 0.9, 1, 0.999726, 0.972862, 0.628142, 0.100274, 0.1, 0.1]
    assert got == pytest.approx(expected, rel=1e-5)


def test_cosine_scheduler_with_warmup_begin_lr():
    sched = lrs.CosineScheduler(max_update=20, base_lr=0.5, final_lr=0.01, warmup_steps=5,
                                warmup_begin_lr=0.2)
    got = values(sched, [0, 1, 2, 3, 4, 5, 9, 10, 11, 15, 20, 25])
    expected = [0.2, 0.26, 0.32, 0.38, 0.44, 0.5, 0.418937, 0.3775, 0.330709, 0.1325, 0.01,
                0.01]
    assert got == pytest.approx(expected, rel=1e-5)


def test_an_optimizer_overriding_base_lr_leaves_warmup_and_decay_targets_alone():
    # MXNet 1.9.1 (mxref): warmup still ends at, and the decay starts from, the given base_lr
    factor = lrs.FactorScheduler(10, 0.5, base_lr=1, warmup_steps=5)
    opt.SGD(learning_rate=0.5, lr_scheduler=factor)
    assert values(factor, [0, 2, 4, 5, 6, 11]) == pytest.approx([0, 0.4, 0.8, 0.5, 0.5, 0.25])
    cosine = lrs.CosineScheduler(20, base_lr=1, warmup_steps=5)
    opt.SGD(learning_rate=0.5, lr_scheduler=cosine)
    assert values(cosine, [0, 2, 5, 10, 20]) == pytest.approx([0, 0.4, 1, 0.75, 0])


@pytest.mark.parametrize("make, error, message", [
    (lambda: lrs.FactorScheduler(step=0), ValueError, "Schedule step must be greater or equal"),
    (lambda: lrs.FactorScheduler(10, factor=1.5), ValueError, "Factor must be no more than 1"),
    (lambda: lrs.MultiFactorScheduler(step=[20, 10]), ValueError,
     "Schedule step must be an increasing integer list"),
    (lambda: lrs.MultiFactorScheduler(step=[0, 10]), ValueError,
     "Schedule step must be greater or equal than 1 round"),
    (lambda: lrs.MultiFactorScheduler(step=[10, 20], factor=1.5), ValueError,
     "Factor must be no more than 1"),
    (lambda: lrs.CosineScheduler(max_update=0), ValueError,
     "maximum number of updates must be strictly positive"),
    (lambda: lrs.PolyScheduler(100, base_lr=0.1, warmup_begin_lr=0.2), ValueError,
     "Base lr has to be higher than warmup_begin_lr"),
    (lambda: lrs.PolyScheduler(100, warmup_mode="foo"), ValueError,
     "Supports only linear and constant modes of warmup"),
    (lambda: lrs.PolyScheduler(100, warmup_steps=-1), ValueError,
     "Warmup steps has to be positive or 0"),
    (lambda: lrs.PolyScheduler(100.0), AssertionError, None),
    (lambda: lrs.LRScheduler(warmup_steps=2.0), AssertionError, None),
    (lambda: lrs.LRScheduler()(3), NotImplementedError, "must override this"),
    (lambda: lrs.LRScheduler(base_lr=1, warmup_steps=4).get_warmup_lr(4), AssertionError, None),
    (lambda: lrs.PolyScheduler(10, base_lr=1, warmup_steps=10)(10), ZeroDivisionError, None),
])
def test_scheduler_errors_match_mxnet(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_warmup_steps_at_or_past_max_update_is_accepted():
    sched = lrs.CosineScheduler(10, base_lr=1, warmup_steps=20)
    assert sched(5) == pytest.approx(0.25)
