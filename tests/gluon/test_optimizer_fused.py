"""The fused optimizer updates (``_ops/update.py``) give bit for bit what the optimizers'
composites of ``np`` ops give, for every option they fold in."""
import numpy as onp
import pytest

import mxnp
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


# MXNet 1.9.1 (mxref): the float32 bits of W after three SGD.update calls ("opt_*", its
# aggregated multi_sgd kernels) and after one mx.nd.sgd_update/sgd_mom_update ("op_*"),
# W, G = RandomState(5).randn(6) twice, lr=0.3
_SGD_BITS = {
    "opt_wd": [1060260969, -1109200456, 1074404032, -1107498467, 1056475788, 1069635478],
    "op_wd": [1057449729, -1098730736, 1075155406, -1101732005, 1047818908, 1070031946],
    "opt_clip": [1060814625, -1107177500, 1075016128, -1106525466, 1056969702, 1070451386],
    "op_clip": [1057605183, -1098497591, 1075369508, -1101376736, 1047973378, 1070310717],
    "opt_mom": [1064021254, 1034471776, 1073056182, -1137885984, 1062256706, 1069105168],
    "op_mom": [1057449729, -1098730736, 1075155405, -1101732006, 1047818907, 1070031945],
}
_SGD_CASES = {"wd": {"wd": 0.1, "rescale_grad": 0.37},
              "clip": {"wd": 0.03, "rescale_grad": 0.37, "clip_gradient": 0.5},
              "mom": {"wd": 0.1, "rescale_grad": 0.37, "momentum": 0.9}}


@pytest.mark.parametrize("face", ["np", "nd"])
@pytest.mark.parametrize("case", sorted(_SGD_CASES))
def test_sgd_rounds_as_mxnet_bit_for_bit(case, face):
    rs = onp.random.RandomState(5)
    w0, g0 = rs.randn(6).astype("float32"), rs.randn(6).astype("float32")
    kw = _SGD_CASES[case]
    arrays = mxnp.np if face == "np" else mxnp.nd
    w = arrays.array(w0)
    opt = mxnp.optimizer.SGD(learning_rate=0.3, **kw)
    state = opt.create_state(0, w)
    for _ in range(3):
        opt.update(0, w, arrays.array(g0), state)
    assert w.asnumpy().view("int32").tolist() == _SGD_BITS["opt_" + case]
    w = mxnp.nd.array(w0)
    if "momentum" in kw:
        mxnp.nd.sgd_mom_update(w, mxnp.nd.array(g0), mxnp.nd.zeros(6), lr=0.3, out=w, **kw)
    else:
        mxnp.nd.sgd_update(w, mxnp.nd.array(g0), lr=0.3, out=w, **kw)
    assert w.asnumpy().view("int32").tolist() == _SGD_BITS["op_" + case]


def test_rmsprop_and_the_adam_and_rmsprop_operators_round_as_mxnet():
    # MXNet 1.9.1 (mxref), float32 bits: three RMSProp.update calls, one mx.nd.adam_update and
    # one mx.nd.rmsprop_update; W, G = RandomState(5).randn(6) twice, lr=0.01, wd=0.1,
    # rescale_grad=0.37
    rs = onp.random.RandomState(5)
    w0, g0 = rs.randn(6).astype("float32"), rs.randn(6).astype("float32")
    kw = {"wd": 0.1, "rescale_grad": 0.37}
    for arrays in (mxnp.np, mxnp.nd):
        w = arrays.array(w0)
        opt = mxnp.optimizer.create("rmsprop", learning_rate=0.01, **kw)
        state = opt.create_state(0, w)
        for _ in range(3):
            opt.update(0, w, arrays.array(g0), state)
        assert w.asnumpy().view("int32").tolist() == [
            1057211631, -1098658712, 1075240268, -1103680782, 1044092842, 1069629032]
    w = mxnp.nd.array(w0)
    mxnp.nd.adam_update(w, mxnp.nd.array(g0), mxnp.nd.zeros(6), mxnp.nd.zeros(6), lr=0.01,
                        out=w, **kw)
    assert w.asnumpy().view("int32").tolist() == [
        1056053620, -1097255186, 1075415973, -1100889426, 1041276757, 1069974150]
    w = mxnp.nd.array(w0)
    mxnp.nd.rmsprop_update(w, mxnp.nd.array(g0), mxnp.nd.zeros(6), lr=0.01, gamma1=0.9,
                           out=w, **kw)
    assert w.asnumpy().view("int32").tolist() == [
        1056053614, -1097255179, 1075415974, -1100889411, 1041276744, 1069974153]


def test_sparse_gradients_in_a_list_take_the_single_weight_kernel():
    # MXNet 1.9.1 (mxref): SGD(lr=1, wd=0.1, lazy_update=False) over [w, w'] with a row_sparse
    # gradient is sgd_update's (1 - lr*wd)*w - lr*g, not the aggregated kernel's rounding
    g = nd.sparse.row_sparse_array((nd.array([[2, 2, 2], [1, 1, 1]]), nd.array([1, 3])),
                                   shape=(4, 3))
    ws = [nd.ones((4, 3)), nd.ones((4, 3))]
    opt = optimizer.SGD(learning_rate=1.0, wd=0.1, lazy_update=False)
    opt.update([0, 1], ws, [g, g], [None, None])
    want = onp.array([0.8999999761581421, -1.100000023841858, 0.8999999761581421,
                      -0.10000002384185791], dtype="float32")[:, None].repeat(3, 1)
    for w in ws:
        assert (w.asnumpy() == want).all()


def _recorder():
    """tests/data/optimizer_bits/record.py: the FTML/Ftrl/LAMB cases and their runner."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parents[1] / "data" / "optimizer_bits" / "record.py"
    spec = importlib.util.spec_from_file_location("optimizer_bits_record", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_BITS = {}


def _ftml_ftrl_lamb_bits():
    if not _BITS:
        rec = _recorder()
        _BITS["mxnet"] = dict(onp.load(rec.FIXTURE))
        _BITS["mxnp"] = rec.record(mxnp)
    return _BITS["mxnet"], _BITS["mxnp"]


@pytest.mark.parametrize("case", [
    "ftml_upd", "ftml_plain", "ftml_f64", "ftml_trainer", "ftrl_upd", "ftrl_plain",
    "ftrl_trainer", "lamb_upd", "lamb_nobc_lower", "lamb_upper", "lamb_single",
    "lamb_single_bounds", "lamb_f64", "lamb_trainer", "lamb_mp16", "op_ftml_float32",
    "op_ftml_float64", "op_ftrl_float32", "op_ftrl_float64", "op_lamb_True", "op_lamb_False",
    "op_multi_lamb_True", "op_multi_lamb_False", "op_norm", "op_multi_sum_sq"])
def test_ftml_ftrl_lamb_round_as_mxnet_bit_for_bit(case):
    """FTML, Ftrl and LAMB over four steps (float32, and float64/float16 where MXNet takes
    them), through an Updater (MXNet's LAMB then runs multi_lamb_update), a single update,
    gluon.Trainer and the 1.x operators (with nd.norm, nd.multi_sum_sq): every result has
    MXNet 1.9.1's bits (recorded by tests/data/optimizer_bits/record.py)."""
    want, got = _ftml_ftrl_lamb_bits()
    keys = sorted(k for k in want if k.split("/")[0] == case)
    assert keys and keys == sorted(k for k in got if k.split("/")[0] == case)
    for key in keys:
        assert got[key].dtype == want[key].dtype and got[key].shape == want[key].shape, key
        bits = f"u{want[key].dtype.itemsize}"
        assert (got[key].view(bits) == want[key].view(bits)).all(), key


def _same_bits(got, want):
    """Two lists of arrays equal to the bit (nan payloads and signed zeros included)."""
    assert len(got) == len(want)
    for a, b in zip(got, want):
        onp.testing.assert_array_equal(a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "wd": 0.01, "rescale_grad": 0.25},
    {"learning_rate": 0.05, "momentum": 0.9, "wd": 0.001, "rescale_grad": 1 / 16},
    {"learning_rate": 0.3, "momentum": 0.5},
])
def test_sgd_in_one_c_call_equals_the_per_weight_updates(monkeypatch, dtype, kwargs):
    """SGD over a list of weights runs in one call of _libm.sgd_update where it is built; the
    per-weight fused updates (no _libm) must give the same bits: weights with their own lr
    and wd multipliers, infinities and nans, sizes 0 to 1000, four steps."""
    if fused._LIBM is None:
        pytest.skip("the pure-Python path has no C loop; it runs the per-weight updates")

    def run(libm):
        monkeypatch.setattr(fused, "_LIBM", libm)
        rng = onp.random.default_rng(11)
        shapes = [(5, 4), (0,), (1000,), (3,), (2, 2, 2)]
        ws = [np.array(rng.standard_normal(s).astype(dtype)) for s in shapes]
        ws[3][:] = np.array([onp.inf, onp.nan, -0.0], dtype=dtype)
        opt = optimizer.create("sgd", **kwargs)
        opt.set_lr_mult({1: 0.5, 2: 2.0})
        opt.set_wd_mult({2: 0.0, 4: 3.0})
        upd = optimizer.get_updater(opt)
        for _ in range(4):
            grads = [np.array(rng.standard_normal(w.shape).astype(dtype) * 3) for w in ws]
            upd(list(range(len(ws))), grads, ws)
        return [w.asnumpy() for w in ws] + [s.asnumpy() for i in range(len(ws))
                                             for s in _states(upd.states[i])]

    libm = fused._LIBM
    got, want = run(libm), run(None)
    monkeypatch.undo()
    _same_bits(got, want)
    # and the C call did run: the same updates through it, counted
    counted = []

    class Counting:
        def sgd_update(self, *args):
            counted.append(len(args[0]))
            return libm.sgd_update(*args)

    run(Counting())
    monkeypatch.undo()
    assert sum(counted) == 5 * 4  # every weight, every step (aggregated four at a time)


def test_the_c_sgd_refuses_arrays_that_do_not_fit_and_touches_nothing():
    libm = fused._LIBM
    if libm is None:
        pytest.skip("the pure-Python path has no C loop")
    w, g = onp.ones(4, "float32"), onp.ones(4, "float32")
    for weights, grads, moms in [
        ([w, w.copy()], [g, onp.ones(3, "float32")], [None, None]),  # a size differs (2nd)
        ([w], [onp.ones(4, "float64")], [None]),  # a dtype differs
        ([w], [g], [onp.ones(8, "float32")[::2]]),  # not contiguous
        ([w], [g.astype("float16")], [None]),  # not float32/64
    ]:
        assert libm.sgd_update(weights, grads, moms, [0.5] * len(weights),
                               [0.0] * len(weights), [False] * len(weights), 0.0) is False
        assert w.tolist() == [1.0] * 4
    assert libm.sgd_update([w], [g], [None], [0.5], [0.0], [False], 0.0) is True
    assert w.tolist() == [0.5] * 4


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [
    {"learning_rate": 0.01},
    {"learning_rate": 0.01, "wd": 0.1, "clip_gradient": 1.0, "rescale_grad": 0.5,
     "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-6},
    {"learning_rate": 0.1, "wd": 0.001, "rescale_grad": 1 / 16, "clip_gradient": 1e-3},
])
def test_adam_in_c_equals_the_numpy_passes(monkeypatch, dtype, kwargs):
    """Adam's fused update runs one C loop (_libm.adam_update) where it is built; its NumPy
    passes (no _libm) must give the same bits: weights with their own lr and wd multipliers,
    infinities, nans and signed zeros, sizes 0 to 1000, four steps through an Updater."""
    if fused._LIBM is None:
        pytest.skip("the pure-Python path has no C loop; it runs the NumPy passes")

    def run(libm):
        monkeypatch.setattr(fused, "_LIBM", libm)
        rng = onp.random.default_rng(13)
        shapes = [(5, 4), (0,), (1000,), (4,), (2, 2, 2)]
        ws = [np.array(rng.standard_normal(s).astype(dtype)) for s in shapes]
        ws[3][:] = np.array([onp.inf, onp.nan, -0.0, 1e30], dtype=dtype)
        opt = optimizer.create("adam", **kwargs)
        opt.set_lr_mult({1: 0.5, 2: 2.0})
        opt.set_wd_mult({2: 0.0, 4: 3.0})
        upd = optimizer.get_updater(opt)
        for step in range(4):
            grads = [np.array(rng.standard_normal(w.shape).astype(dtype) * 3) for w in ws]
            if step == 1:
                grads[3][:] = np.array([-onp.inf, 0.0, onp.nan, 1e20], dtype=dtype)
            upd(list(range(len(ws))), grads, ws)
        return [w.asnumpy() for w in ws] + [s.asnumpy() for i in range(len(ws))
                                             for s in _states(upd.states[i])]

    libm = fused._LIBM
    with onp.errstate(all="ignore"):
        got, want = run(libm), run(None)
    monkeypatch.undo()
    _same_bits(got, want)
    counted = []

    class Counting:
        def adam_update(self, *args):
            counted.append(1)
            return libm.adam_update(*args)

    with onp.errstate(all="ignore"):
        run(Counting())
    monkeypatch.undo()
    assert len(counted) == 5 * 4  # every weight, every step


def test_the_c_adam_refuses_arrays_that_do_not_fit_and_touches_nothing():
    libm = fused._LIBM
    if libm is None:
        pytest.skip("the pure-Python path has no C loop")
    hyper = (0.1, 0.9, 0.999, 0.1, 0.001, 1e-8, 0.0, 1.0, 0.0)
    w, g = onp.ones(4, "float32"), onp.ones(4, "float32")
    m, v = onp.zeros(4, "float32"), onp.zeros(4, "float32")
    for arrays in [(w, onp.ones(3, "float32"), m, v), (w, g, m, onp.zeros(4, "float64")),
                   (w, g, onp.zeros(8, "float32")[::2], v), (w, g.astype("float16"), m, v)]:
        assert libm.adam_update(*arrays, *hyper) is False
        assert w.tolist() == [1.0] * 4 and m.tolist() == [0.0] * 4
    assert libm.adam_update(w, g, m, v, *hyper) is True
    assert (w < 1).all() and (m > 0).all()


def test_sgd_update_all_refuses_what_fusable_refuses_and_touches_nothing():
    """sgd_update_all leaves the dtype and size checks to the C loop and makes the rest of
    fusable's itself: every case fusable refuses is refused, with nothing written."""
    if fused._LIBM is None:
        pytest.skip("the pure-Python path has no C loop")
    w = np.ones((4,))
    cases = [
        (w, np.ones((4,), dtype="float64"), None),  # a dtype differs
        (w.astype("float16"), np.ones((4,), dtype="float16"), None),  # float16
        (np.ones((4,), dtype="int32"), np.ones((4,), dtype="int32"), None),
        (w, onp.ones(4, "float32"), None),  # not an mxnp array
        (w, np.ones((4,)), np.ones((4,), ctx=mxnp.cpu(1))),  # another device
        (w, np.ones((4,), ctx=mxnp.cpu(1)), None),
        (w, np.ones((4,)), onp.zeros(4, "float32")),
    ]
    for weight, grad, mom in cases:
        first, before = np.ones((2,)), weight.asnumpy().copy()
        assert not fused.fusable(weight, grad, mom)
        assert fused.sgd_update_all([first, weight], [np.ones((2,)), grad], [None, mom],
                                    [0.5, 0.5], [0.0, 0.0], 0.9, 1.0, None) is False
        assert (weight.asnumpy() == before).all() and (first.asnumpy() == 1).all()
