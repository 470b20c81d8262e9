"""Optimizer states: float16 weights with and without multi_precision, and the Updater's
get_states / set_states (a JSON document, never a pickle)."""
from __future__ import annotations

import json
import pickle
import warnings

import numpy as onp
import pytest

from mxnp import lr_scheduler, np
from mxnp import optimizer as opt

W0 = [1.0, -2.0, 0.5]
GRADS = ([0.5, 0.1, -3.0], [-0.3, 0.4, 2.0], [0.2, -0.2, 1.5])

# MXNet 1.9.1 (mxref): float16 weights through get_updater; weights after each step
FP16 = [
    ("sgd", {"momentum": .9, "wd": .1}, False,
     [[0.93994140625, -1.990234375, 0.794921875], [0.90673828125, -2.001953125, 0.8525390625],
      [0.84765625, -1.9716796875, 0.74560546875]]),
    ("sgd", {"momentum": .9, "wd": .1}, True,
     [[0.93994140625, -1.990234375, 0.794921875], [0.90673828125, -2.001953125, 0.8525390625],
      [0.84765625, -1.970703125, 0.74560546875]]),
    ("sgd", {}, True,
     [[0.9501953125, -2.009765625, 0.7998046875], [0.97998046875, -2.05078125, 0.60009765625],
      [0.9599609375, -2.029296875, 0.449951171875]]),
    ("adam", {}, True,
     [[0.89990234375, -2.099609375, 0.60009765625], [0.880859375, -2.1875, 0.6142578125],
      [0.84619140625, -2.22265625, 0.60009765625]]),
    ("nag", {"momentum": .9}, True,
     [[0.90478515625, -2.01953125, 1.0703125], [0.92138671875, -2.103515625, 0.93310546875],
      [0.87158203125, -2.10546875, 0.70458984375]]),
    ("lamb", {}, True,
     [[0.86767578125, -2.1328125, 0.63232421875], [0.81787109375, -2.36328125, 0.669921875],
      [0.63916015625, -2.53515625, 0.5966796875]]),
    ("lamb", {}, False,
     [[0.86767578125, -2.1328125, 0.63232421875], [0.81787109375, -2.36328125, 0.669921875],
      [0.6396484375, -2.53515625, 0.5966796875]]),
]


def run(name, kwargs, multi_precision, dtype="float16"):
    optimizer = opt.create(name, learning_rate=.1, multi_precision=multi_precision, **kwargs)
    updater = opt.get_updater(optimizer)
    weight = np.array(W0, dtype=dtype)
    history = []
    for g in GRADS:
        updater(0, np.array(g, dtype=dtype), weight)
        history.append(weight.asnumpy().astype("float64"))
    return weight, updater, history


@pytest.mark.parametrize("name, kwargs, mp, expected", FP16,
                         ids=[f"{n}-mp{m}-{i}" for i, (n, _, m, _) in enumerate(FP16)])
def test_float16_weights_match_mxnet(name, kwargs, mp, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weight, _, history = run(name, kwargs, mp)
    assert weight.dtype == onp.float16
    # one float16 ulp at 2.0 is 2e-3: the intermediate roundings differ slightly from MXNet's
    onp.testing.assert_allclose(history, expected, atol=1e-3)


@pytest.mark.parametrize("name, text", [("sgd", "of the SGD optimizer"),
                                        ("nag", "of the NAG optimizer"),
                                        ("lars", "of the SGD optimizer"),
                                        ("adam", "of the optimizer")])
def test_float16_without_multi_precision_warns_like_mxnet(name, text):
    optimizer = opt.create(name, momentum=.9) if name != "adam" else opt.create(name)
    with pytest.warns(UserWarning, match="Accumulating with float16 in optimizer") as rec:
        optimizer.create_state_multi_precision(0, np.zeros(2, dtype="float16"))
    # MXNet 1.9.1 (mxref): "... Consider using multi_precision=True option of the SGD optimizer"
    assert str(rec[0].message).endswith("Consider using multi_precision=True option " + text)


def test_multi_precision_state_layout_matches_mxnet():
    w16 = np.array(W0, dtype="float16")
    mom, master = opt.SGD(momentum=.9, multi_precision=True).create_state_multi_precision(0, w16)
    assert mom.dtype == onp.float32 and master.dtype == onp.float32
    none, master = opt.SGD(multi_precision=True).create_state_multi_precision(0, w16)
    assert none is None and master.tolist() == W0
    master, (mean, var) = opt.Adam(multi_precision=True).create_state_multi_precision(0, w16)
    assert master.dtype == onp.float32 and mean.dtype == onp.float32


def test_multi_precision_is_a_no_op_for_float32():
    state = opt.SGD(momentum=.9, multi_precision=True).create_state_multi_precision(
        0, np.zeros(2))
    assert not isinstance(state, tuple)


def test_multi_precision_keeps_small_updates_that_float16_loses():
    updater = opt.get_updater(opt.SGD(learning_rate=1e-4, multi_precision=True))
    weight = np.array([1.0], dtype="float16")
    for _ in range(10):
        updater(0, np.array([1.0], dtype="float16"), weight)
    # each step (1e-4) is below float16's half-ulp at 1.0 (4.9e-4); the master copy adds up
    assert updater.states[0][1].item() == pytest.approx(0.999, abs=1e-6)
    assert weight.item() == pytest.approx(0.999, abs=5e-4)


# ---- Updater states ---------------------------------------------------------------------
def drive(updater, weights, grads):
    for i, (w, g) in enumerate(zip(weights, grads)):
        updater(i, np.array(g), w)


@pytest.mark.parametrize("name, kwargs", [("adam", {}), ("sgd", {"momentum": .9}),
                                          ("nadam", {}), ("rmsprop", {"centered": True}),
                                          ("dcasgd", {}), ("lbsgd", {"batch_scale": 2}),
                                          ("sgd", {"multi_precision": True})])
def test_states_round_trip_continues_exactly(name, kwargs):
    dtype = "float16" if kwargs.get("multi_precision") else "float32"
    first = opt.get_updater(opt.create(name, learning_rate=.1, **kwargs))
    ws = [np.array(W0, dtype=dtype), np.array([0.3, 0.2, 0.1], dtype=dtype)]
    drive(first, ws, GRADS[:2])
    blob = first.get_states(dump_optimizer=True)
    assert isinstance(blob, bytes) and json.loads(blob)["format"] == "mxnp-optimizer-states"
    second = opt.get_updater(opt.create("sgd"))
    second.set_states(blob)
    assert type(second.optimizer) is type(first.optimizer)
    assert second.optimizer.num_update == first.optimizer.num_update
    copies = [w.copy() for w in ws]
    drive(first, ws, GRADS[1:])
    drive(second, copies, GRADS[1:])
    for a, b in zip(ws, copies):
        onp.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


def test_states_without_optimizer_keep_the_current_optimizer():
    updater = opt.get_updater(opt.Adam(learning_rate=.1))
    drive(updater, [np.array(W0)], GRADS[:1])
    other = opt.get_updater(opt.Adam(learning_rate=.5))
    other.set_states(updater.get_states())
    assert other.optimizer.lr == 0.5 and set(other.states) == {0}
    mean, var = other.states[0]
    onp.testing.assert_allclose(mean.asnumpy(), [0.05, 0.01, -0.3], rtol=1e-6)
    assert other.states_synced == {0: False}


def test_states_keep_the_lr_scheduler():
    sched = lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=0.1)
    updater = opt.get_updater(opt.SGD(lr_scheduler=sched))
    drive(updater, [np.array(W0)], GRADS[:1])
    other = opt.get_updater(opt.SGD())
    other.set_states(updater.get_states(dump_optimizer=True))
    restored = other.optimizer.lr_scheduler
    assert type(restored) is lr_scheduler.FactorScheduler and restored is not sched
    assert other.optimizer.learning_rate == 0.1 and restored(3) == 0.025


def test_set_states_refuses_a_pickle():
    updater = opt.get_updater(opt.SGD())
    with pytest.raises(ValueError, match="pickle"):
        updater.set_states(pickle.dumps(({}, None), protocol=4))


def test_set_states_refuses_other_documents():
    updater = opt.get_updater(opt.SGD())
    with pytest.raises(ValueError, match="not an mxnp optimizer-states document"):
        updater.set_states(b'{"states": {}}')
    with pytest.raises(ValueError, match="Cannot find optimizer nosuch"):
        updater.set_states(json.dumps({"format": "mxnp-optimizer-states", "states": None,
                                       "optimizer": {"optimizer": "nosuch", "attrs": {}}}))


def test_unregistered_optimizer_cannot_be_saved():
    class Mine(opt.SGD):
        pass

    updater = opt.get_updater(Mine())
    with pytest.raises(TypeError, match="register it"):
        updater.get_states(dump_optimizer=True)
    assert isinstance(updater.get_states(), bytes)


def test_loaded_states_move_to_the_weight_context():
    import mxnp as mx

    updater = opt.get_updater(opt.SGD(learning_rate=.1, momentum=.9))
    drive(updater, [np.array(W0)], GRADS[:1])
    other = opt.get_updater(opt.SGD())
    other.set_states(updater.get_states(dump_optimizer=True))
    weight = np.array(W0, ctx=mx.cpu(1))
    other(0, np.array(GRADS[1], ctx=mx.cpu(1)), weight)
    assert other.states[0].ctx == mx.cpu(1) and other.states_synced == {0: True}


def test_updater_accepts_lists_of_indices():
    updater = opt.get_updater(opt.SGD(learning_rate=.1))
    ws = [np.array([1.0]), np.array([2.0])]
    updater([0, 1], [np.array([1.0]), np.array([1.0])], ws)
    assert [w.item() for w in ws] == [pytest.approx(0.9), pytest.approx(1.9)]
    assert set(updater.states) == {0, 1}
