"""The fused optimizer updates (``_ops/update.py``) give bit for bit what the optimizers'
composites of ``np`` ops give, for every option they fold in."""
import numpy as onp
import pytest

from mxnp import lr_scheduler, nd, np, optimizer
from mxnp._ops import update as fused


def _run(monkeypatch, use_fused, name, kwargs, dtype, steps=3):
    if not use_fused:
        monkeypatch.setattr(fused, "fusable", lambda *a: False)
    rng = onp.random.default_rng(3)
    w = np.array(rng.standard_normal((5, 4)).astype(dtype))
    opt = optimizer.create(name, **kwargs)
    upd = optimizer.get_updater(opt)
    for _ in range(steps):
        upd(0, np.array(rng.standard_normal((5, 4)).astype(dtype) * 3), w)
    monkeypatch.undo()
    return w.asnumpy(), [s.asnumpy() for s in _states(upd.states.get(0))]


def _states(state):
    if state is None:
        return []
    return list(state) if isinstance(state, (tuple, list)) else [state]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name, kwargs", [
    ("sgd", {"learning_rate": 0.1}),
    ("sgd", {"learning_rate": 0.1, "wd": 0.01, "rescale_grad": 0.25}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01, "clip_gradient": 0.5}),
    ("sgd", {"learning_rate": 0.05, "momentum": 0.5, "rescale_grad": 1 / 16}),
    ("nag", {"learning_rate": 0.1}),
    ("adam", {"learning_rate": 0.01}),
    ("adam", {"learning_rate": 0.01, "wd": 0.1, "clip_gradient": 1.0, "rescale_grad": 0.5,
              "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-6}),
])
def test_fused_update_equals_composite(monkeypatch, name, kwargs, dtype):
    want = _run(monkeypatch, False, name, kwargs, dtype)
    got = _run(monkeypatch, True, name, kwargs, dtype)
    onp.testing.assert_array_equal(got[0], want[0])
    assert len(got[1]) == len(want[1])
    for a, b in zip(got[1], want[1]):
        onp.testing.assert_array_equal(a, b)
    assert not onp.array_equal(got[0], _run(monkeypatch, True, name, kwargs, dtype, 0)[0])


def test_fused_only_for_matching_float32_or_float64():
    w32 = np.ones((2,))
    assert fused.fusable(w32, np.ones((2,)), None)
    assert not fused.fusable(w32, np.ones((2,), dtype="float64"))
    assert not fused.fusable(w32.astype("float16"), np.ones((2,), dtype="float16"))
    assert not fused.fusable(np.ones((2,), dtype="int32"), np.ones((2,), dtype="int32"))
    assert not fused.fusable(w32, onp.ones((2,), "float32"))
    assert fused.fusable(nd.ones((2,)), nd.ones((2,)))  # the 1.x face's NDArray views


def test_sgd_updates_four_weights_per_call_as_mxnet():
    """MXNet's SGD has aggregate_num 4 (MXNET_OPTIMIZER_AGGREGATION_SIZE): its Updater hands
    it weights of one dtype four at a time; the result is that of one update per weight."""
    assert optimizer.SGD().aggregate_num == 4 and optimizer.Adam().aggregate_num == 0
    rng = onp.random.default_rng(7)
    shapes = [(3,), (2, 2), (5,), (1,), (4, 2), (2,)]
    dtypes = ["float32", "float64", "float32", "float32", "float32", "float64"]
    raws = [rng.standard_normal(s).astype(d) for s, d in zip(shapes, dtypes)]
    grads = [[rng.standard_normal(s).astype(d) for s, d in zip(shapes, dtypes)]
             for _ in range(3)]
    results, calls = [], []
    for aggregate in (4, 0):
        sched = lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.1)
        opt = optimizer.SGD(momentum=0.9, wd=0.01, lr_scheduler=sched)
        opt.aggregate_num = aggregate
        seen = []
        step = opt._steps
        opt._steps = lambda i, w, g, s, step=step, seen=seen: (seen.append(len(i)), step(i, w, g, s))
        upd = optimizer.get_updater(opt)
        ws = [np.array(r) for r in raws]
        for gs in grads:
            upd(list(range(6)), [np.array(g) for g in gs], ws)
        results.append([w.asnumpy() for w in ws])
        calls.append(seen)
    assert calls == [[4, 2] * 3, [1] * 18]  # the 4 float32 weights, then the 2 float64 ones
    for a, b in zip(*results):
        onp.testing.assert_array_equal(a, b)
