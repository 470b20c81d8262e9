"""backward hands a 'write' variable its one cotangent's own array instead of copying it in
(autograd._adopt_sum), only where nothing else can see either array. These tests pin both sides:
that it happens in the common cases (a gluon Parameter, an attached variable) and that every
holder of either array still sees MXNet's semantics. CI runs them compiled and as source."""
from __future__ import annotations

import weakref

import numpy as onp
import pytest

from mxnp import autograd, gluon, np, npx
from mxnp import autograd as _autograd
from mxnp._ops.primitive import LAZY_MIN


@pytest.fixture
def adoptions(monkeypatch):
    """Counts of cotangents adopted and copied; arrays of any size may be adopted (by default
    those under ``LAZY_MIN`` elements are copied: the checks cost more than the copy)."""
    monkeypatch.setattr(_autograd, "LAZY_MIN", 0)
    seen = {True: 0, False: 0}
    original = _autograd._adopt_sum

    def counting(leaf, gs):
        took = original(leaf, gs)
        seen[took] += 1
        return took

    monkeypatch.setattr(_autograd, "_adopt_sum", counting)
    return seen


def _grad_of_scaled(x, k=3.0):
    with autograd.record():
        y = (x * k).sum()
    y.backward()


def test_an_attached_variable_takes_its_cotangent_array(adoptions):
    x = np.arange(6.0).reshape(2, 3)
    x.attach_grad()
    before = id(x._node.grad)
    _grad_of_scaled(x)
    assert adoptions[True] == 1 and id(x._node.grad) != before
    assert x.grad.asnumpy().tolist() == [[3.0] * 3] * 2


def test_a_kept_grad_wrapper_sees_the_new_gradient(adoptions):
    x = np.ones((2, 3))
    x.attach_grad()
    kept = x.grad
    _grad_of_scaled(x, 5.0)
    assert adoptions[True] == 0  # `kept` holds the buffer: copied into it
    assert kept.asnumpy().tolist() == [[5.0] * 3] * 2


def test_a_view_of_the_gradient_taken_before_sees_the_new_gradient():
    x = np.ones((2, 3))
    x.attach_grad()
    row = x.grad[0]
    _grad_of_scaled(x, 4.0)
    assert row.asnumpy().tolist() == [4.0] * 3


def test_a_head_gradient_passed_straight_through_is_not_taken(adoptions):
    x = np.ones((2, 3))
    x.attach_grad()
    with autograd.record():
        y = x + 1  # add's rule hands the head gradient itself to x
    dy = np.full((2, 3), 7.0)
    y.backward(dy)
    dy[...] = 0
    assert adoptions[True] == 0
    assert x.grad.asnumpy().tolist() == [[7.0] * 3] * 2


def test_one_cotangent_for_two_variables_is_taken_by_neither(adoptions):
    a, b = np.ones(3), np.ones(3)
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        y = (a + b) * 2  # add hands the same cotangent to both
    y.backward()
    a.grad[...] = 9
    assert adoptions[True] == 0
    assert b.grad.asnumpy().tolist() == [2.0] * 3


def test_mark_variables_buffer_gets_the_new_array(adoptions):
    z = np.ones((2, 2))
    buf = np.zeros((2, 2))
    autograd.mark_variables(z, buf)
    with autograd.record():
        y = (z * 5).sum()
    y.backward()
    assert adoptions[True] == 1
    assert z._node.grad is buf._data
    assert buf.asnumpy().tolist() == [[5.0] * 2] * 2


def test_mark_variables_buffer_that_is_a_view_keeps_writing_its_base(adoptions):
    big = np.zeros((4, 2))
    w = np.ones((2, 2))
    autograd.mark_variables(w, big[0:2])
    with autograd.record():
        y = (w * 4).sum()
    y.backward()
    assert adoptions[True] == 0
    assert big.asnumpy().tolist() == [[4.0] * 2] * 2 + [[0.0] * 2] * 2


@pytest.mark.parametrize("req, want", [("add", 6.0), ("write", 3.0)])
def test_only_write_requests_adopt(adoptions, req, want):
    x = np.ones(3)
    x.attach_grad(req)
    _grad_of_scaled(x)
    _grad_of_scaled(x)
    assert adoptions[True] == (2 if req == "write" else 0)
    assert x.grad.asnumpy().tolist() == [want] * 3


def test_a_cotangent_of_another_dtype_or_layout_is_copied(adoptions):
    x = np.ones((3, 2), dtype="float32")
    x.attach_grad()
    with autograd.record():
        y = np.transpose(x) * 2  # the cotangent is a transposed view
    y.backward()
    assert adoptions[True] == 0
    assert x.grad.dtype == onp.float32 and x.grad.asnumpy().tolist() == [[2.0] * 2] * 3


@pytest.mark.parametrize("hybridize", [False, True])
def test_a_trained_dense_net_adopts_and_matches_the_copying_path(hybridize, adoptions,
                                                                 monkeypatch):
    npx.set_np()  # the numpy face (the 1.x face's gradient views: the tests below)

    def train(adopt):
        if not adopt:
            monkeypatch.setattr(_autograd, "_adopt_sum", lambda leaf, gs: False)
        net = gluon.nn.HybridSequential()
        net.add(gluon.nn.Dense(8, activation="relu", in_units=4),
                gluon.nn.Dense(3, in_units=8))
        net.initialize()
        for p in net.collect_params().values():  # the same start for both runs
            p.set_data(np.array(onp.random.default_rng(1).standard_normal(p.shape) * 0.3,
                                dtype="float32"))
        if hybridize:
            net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
        x = np.array(onp.random.default_rng(2).standard_normal((5, 4)), dtype="float32")
        label = np.array([0, 1, 2, 1, 0])
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        for _ in range(3):
            with autograd.record():
                loss = loss_fn(net(x), label)
            loss.backward()
            trainer.step(5)
        grads = [p.grad().asnumpy() for p in net.collect_params().values()]
        return [p.data().asnumpy() for p in net.collect_params().values()], grads

    adopted = train(True)
    assert adoptions[True] == 12  # 4 Parameters, 3 steps
    copied = train(False)
    for got, want in zip(adopted[0] + adopted[1], copied[0] + copied[1]):
        assert onp.array_equal(got, want)


def test_the_1x_face_gradient_view_moves_with_the_adopted_buffer(adoptions):
    npx.reset_np()  # MXNet 1.x's face: the Parameter hands out an NDArray view of its gradient
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize()
    kept = net.weight.grad()  # held across the steps, as a 1.x script may
    x = np.array(onp.arange(8.0).reshape(2, 4), dtype="float32")
    for k in (1.0, 2.0):
        with autograd.record():
            y = (net(x) * k).sum()
        y.backward()
        want = k * onp.tile(onp.arange(8.0).reshape(2, 4).sum(axis=0), (3, 1))
        assert net.weight.grad() is kept
        assert onp.array_equal(kept.asnumpy(), want)
        assert onp.array_equal(net.weight.list_grad()[0].asnumpy(), want)
    assert adoptions[True] == 4  # weight and bias, two steps: the view did not block them


def test_a_slice_of_the_1x_face_gradient_view_blocks_adoption(adoptions):
    npx.reset_np()
    net = gluon.nn.Dense(2, in_units=2, use_bias=False)
    net.initialize()
    row = net.weight.grad()[0]  # shares the buffer's memory: it must keep seeing it
    with autograd.record():
        y = (net(np.array([[1.0, 2.0]], dtype="float32")) * 3).sum()
    y.backward()
    assert adoptions[True] == 0
    assert row.asnumpy().tolist() == [3.0, 6.0]


def _several_uses(x, w, v):
    """x reaches the sum through three products: three cotangents, one of them negated."""
    with autograd.record():
        y = (np.sin(x) * x + np.exp(-x) * w - x * v).sum()
    y.backward()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [7, 1 << 15])  # under and over the lazy savers' size
def test_several_cotangents_are_summed_in_place_as_into_the_buffer(adoptions, monkeypatch,
                                                                     dtype, n):
    monkeypatch.setattr(_autograd, "LAZY_MIN", LAZY_MIN)  # the threshold as it ships
    rng = onp.random.default_rng(3)
    values = [rng.uniform(-2, 2, n).astype(dtype) for _ in range(3)]

    def grad(adopt):
        if not adopt:
            monkeypatch.setattr(_autograd, "_adopt_sum", lambda leaf, gs: False)
        x, w, v = (np.array(a) for a in values)
        x.attach_grad()
        _several_uses(x, w, v)
        return x.grad.asnumpy(), w.asnumpy(), v.asnumpy()

    summed = grad(True)
    # small arrays are summed into the buffer: the Python of adopting costs more there
    assert adoptions[True] == (1 if n >= LAZY_MIN else 0)
    copied = grad(False)
    for got, want in zip(summed, copied):
        assert got.dtype == onp.dtype(dtype) and onp.array_equal(got, want)
    x = values[0]
    # each product's terms (the exact float rounding is what the two paths share)
    want = onp.cos(x) * x + onp.sin(x) - onp.exp(-x) * values[1] - values[2]
    onp.testing.assert_allclose(summed[0], want, rtol=1e-5, atol=1e-6)


def test_arrays_the_caller_holds_are_never_the_sum(adoptions):
    # under sum(), x * w hands x the cotangent w itself: the caller's w must stay as it was
    x, w, v = np.ones(5), np.arange(5.0), np.full(5, 2.0)
    x.attach_grad()
    with autograd.record():
        y = (x * w).sum() + (x * v).sum() + (x * 3).sum()
    y.backward()
    assert w.asnumpy().tolist() == [0, 1, 2, 3, 4] and v.asnumpy().tolist() == [2] * 5
    assert x.grad.asnumpy().tolist() == [5, 6, 7, 8, 9]


def test_a_kept_graph_keeps_its_saved_values(adoptions):
    x = np.array([0.5, 1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (np.sin(x) * x + np.exp(-x)).sum()
    y.backward(retain_graph=True)
    first = x.grad.asnumpy()
    y.backward()  # the saved sin(x) and exp(-x) were not written over by the first sum
    assert onp.array_equal(x.grad.asnumpy(), first)


@pytest.mark.parametrize("n", [7, 1 << 15])
def test_one_small_cotangent_is_copied_by_default(adoptions, monkeypatch, n):
    monkeypatch.setattr(_autograd, "LAZY_MIN", LAZY_MIN)  # the threshold as it ships
    x = np.array(onp.arange(n, dtype="float32"))
    x.attach_grad()
    buffer = weakref.ref(x.grad._data)  # a strong reference would keep it from being replaced
    _grad_of_scaled(x)
    assert adoptions[True] == (1 if n >= LAZY_MIN else 0)
    assert (x.grad._data is buffer()) == (n < LAZY_MIN)
    onp.testing.assert_array_equal(x.grad.asnumpy(), onp.full(n, 3.0, "float32"))


_LIBM = _autograd._LIBM


@pytest.mark.skipif(_LIBM is None, reason="the pure-Python path sums in NumPy passes only")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("signs", ["++", "+-", "-+", "--", "+-+", "--+", "---", "-+-+", "+--+-"])
def test_three_or_more_cotangents_summed_in_one_pass_equal_the_passes(adoptions, monkeypatch,
                                                                      dtype, signs):
    # sin(x) first (its cotangent cos(x) is the rule's own array, adoptable), then one term
    # x * w_j per sign, negated where '-' (a Negated cotangent w_j, subtracted)
    monkeypatch.setattr(_autograd, "LAZY_MIN", LAZY_MIN)
    rng = onp.random.default_rng(len(signs))
    n = LAZY_MIN + 1001  # over the lazy savers' size, not a whole number of the kernel's blocks
    xs = rng.uniform(-2, 2, n).astype(dtype)
    ws = [rng.uniform(-2, 2, n).astype(dtype) for _ in signs]
    first_negated = signs[0] == "-"

    def grad():
        x = np.array(xs)
        x.attach_grad()
        with autograd.record():
            y = -np.sin(x) if first_negated else np.sin(x)
            for sign, w in zip(signs[1:], ws):
                term = x * np.array(w)
                y = y - term if sign == "-" else y + term
            y = y.sum()
        y.backward()
        return x.grad.asnumpy()

    calls = []

    class Counting:  # the kernel, counting its sums
        def signed_sum(self, out, arrays, negs):
            calls.append(len(arrays))
            return _LIBM.signed_sum(out, arrays, negs)

    with monkeypatch.context() as m:
        m.setattr(_autograd, "_LIBM", Counting())
        fused = grad()
    assert calls == ([len(signs)] if len(signs) > 2 else [])  # two: one NumPy pass already
    with monkeypatch.context() as m:
        m.setattr(_autograd, "_LIBM", None)
        passes = grad()
    assert adoptions[True] == 2
    assert fused.dtype == onp.dtype(dtype)
    onp.testing.assert_array_equal(fused.view(f"u{fused.itemsize}"),
                                   passes.view(f"u{passes.itemsize}"))
    want = onp.cos(xs) * (-1 if first_negated else 1)
    for sign, w in zip(signs[1:], ws):
        want = want - w if sign == "-" else want + w
    onp.testing.assert_allclose(fused, want, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(_LIBM is None, reason="the kernel is compiled only")
def test_signed_sum_refuses_what_it_cannot_sum_and_touches_nothing():
    a, b = onp.arange(6.0), onp.ones(6)
    for out, arrays, negs in [
            (a, [a], [False]),  # one array
            (a, [a, b], [False]),  # a sign missing
            (a, [a, b.astype("float32")], [False, False]),  # dtypes differ
            (a, [a, onp.ones(5)], [False, False]),  # sizes differ
            (a, [a, onp.ones(12)[::2]], [False, False]),  # not contiguous
            (a, [a, onp.ones(6, "int64")], [False, False]),  # not float
            (a, [a] + [b] * 64, [False] * 65)]:  # more than 64
        assert _LIBM.signed_sum(out, arrays, negs) is False
        assert a.tolist() == [0, 1, 2, 3, 4, 5] and b.tolist() == [1] * 6
    read_only = onp.arange(6.0)
    read_only.flags.writeable = False
    assert _LIBM.signed_sum(read_only, [read_only, b], [False, False]) is False
    assert _LIBM.signed_sum(a, [a, b, b], [True, False, True]) is True
    assert a.tolist() == [1 - 0 - 1, 1 - 1 - 1, 1 - 2 - 1, 1 - 3 - 1, 1 - 4 - 1, 1 - 5 - 1]
