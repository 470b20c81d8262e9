"""The backward's pass savers: ``Negated`` (the cotangent ``-g`` made only when read) and
``scaled`` (``g * fresh`` multiplied into a rule's own fresh array). Each must give exactly the
gradients of the plain rules (checked bit for bit against the same rules recorded under
``create_graph``, where both fall back to ordinary ops), never hand a lazy array to user code,
and never write into a value the graph still holds."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp._ops import primitive
from mxnp._ops.primitive import Negated, negated, scaled

RNG = onp.random.default_rng(7)
X = RNG.uniform(-2, 2, (3, 4))
BIG = RNG.uniform(-2, 2, (128, 160))  # above primitive.LAZY_MIN elements


@pytest.fixture(autouse=True)
def lazy_everywhere(monkeypatch):
    """The savers on arrays of any size (by default they step aside below LAZY_MIN)."""
    monkeypatch.setattr(primitive, "LAZY_MIN", 0)


def _grads(f, values, dtype="float32", req="write"):
    """f's gradient w.r.t. its inputs: by a plain backward (the savers on), and by
    autograd.grad with create_graph (the savers off, every rule an ordinary op)."""
    xs = [np.array(v, dtype=dtype) for v in values]
    for x in xs:
        x.attach_grad(req)
    with autograd.record():
        y = f(*xs)
    y.backward()
    plain = [x.grad.asnumpy() for x in xs]
    ys = [np.array(v, dtype=dtype) for v in values]
    for x in ys:
        x.attach_grad()
    with autograd.record():
        z = f(*ys)
        recorded = autograd.grad(z, ys, create_graph=True)
    return plain, [r.asnumpy() for r in recorded]


CASES = {
    "exp(-x)": (lambda x: np.exp(-x).sum(), 1),
    "sin(x)*x+exp(-x)": (lambda x: (np.sin(x) * x + np.exp(-x)).sum(), 1),
    "x-y": (lambda x, y: (x - y).sum(), 2),
    "y-x, x twice": (lambda x, y: (y - x - x * 2).sum(), 2),
    "-x only": (lambda x: (-x).sum(), 1),
    "-(-x)": (lambda x: (np.negative(-x) * 3).sum(), 1),
    "(x-y)**2": (lambda x, y: ((x - y) ** 2).sum(), 2),
    "cos, tanh": (lambda x: (np.cos(x) * np.tanh(x) - np.cos(x * 2)).sum(), 1),
    "negated through products": (lambda x, y: ((-x) * y / 3 - (-y) / 2).sum(), 2),
    "negated into a broadcast": (lambda x, y: (x - y[:1]).sum(), 2),
    "unit head, no sum": (lambda x: -np.sin(x), 1),
    "non-leaf sums": (lambda x: (np.exp(-(x * 2)) - np.cos(-x) + np.tanh(x - 1)).sum(), 1),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_equal_the_plain_rules_bit_for_bit(name, dtype):
    f, n = CASES[name]
    values = [X, X[::-1] * 0.5][:n]
    plain, recorded = _grads(f, values, dtype)
    for a, b in zip(plain, recorded):
        assert a.dtype == b.dtype == onp.dtype(dtype)
        assert onp.array_equal(a, b), name
        assert not onp.signbit(a[a == 0]).any() or onp.array_equal(onp.signbit(a), onp.signbit(b))


@pytest.mark.parametrize("name", ["sin(x)*x+exp(-x)", "(x-y)**2", "non-leaf sums"])
def test_large_arrays_take_the_savers_at_the_default_threshold(name, monkeypatch):
    monkeypatch.undo()
    assert BIG.size >= primitive.LAZY_MIN
    f, n = CASES[name]
    plain, recorded = _grads(f, [BIG, BIG[::-1] * 0.5][:n])
    for a, b in zip(plain, recorded):
        assert onp.array_equal(a, b)
    with autograd.pause():
        g = np.array(BIG, dtype="float32")
        assert type(negated(g)) is Negated
        assert type(negated(np.array(X, dtype="float32"))) is np.ndarray  # small: the op


def test_add_req_subtracts_a_negated_cotangent_into_the_buffer():
    x = np.array(X, dtype="float32")
    x.attach_grad("add")
    for _ in range(2):
        with autograd.record():
            y = (np.exp(-x) - x).sum()
        y.backward()
    want = 2 * (-onp.exp(-X.astype("float32")) - 1)
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-6)


def test_no_lazy_array_reaches_user_code():
    x = np.array(X)
    x.attach_grad()
    with autograd.record():
        y = (-x).sum()
    g = autograd.grad(y, [x])[0]
    assert type(g) is np.ndarray and (g.asnumpy() == -1).all()
    seen = []

    class Probe(autograd.Function):
        def forward(self, a):
            return a * 1

        def backward(self, dy):
            seen.append(type(dy))
            dy *= 2  # user code may write into its gradients
            return dy

    x.attach_grad()
    with autograd.record():
        z = (-Probe()(x)).sum()
    z.backward()
    assert seen == [np.ndarray] and (x.grad.asnumpy() == -2).all()


def test_scaled_never_writes_into_a_value_the_graph_holds():
    x = np.array(X, dtype="float32")
    x.attach_grad()
    before = x.asnumpy().copy()
    with autograd.record():
        s = np.sin(x)
        y = (s * np.tanh(x)).sum()
    s_before = s.asnumpy().copy()
    y.backward(retain_graph=True)
    first = x.grad.asnumpy().copy()
    y.backward()
    assert onp.array_equal(x.grad.asnumpy(), first)  # the second walk reads the same values
    assert onp.array_equal(x.asnumpy(), before) and onp.array_equal(s.asnumpy(), s_before)


def test_negated_reads_as_minus_g_and_keeps_its_sign_through_products():
    g = np.array([1.5, -2.0, 0.0])
    with autograd.pause():
        n = negated(g)
        assert type(n) is Negated and n.shape == (3,) and n.dtype == onp.float32
        assert n.asnumpy().tolist() == [-1.5, 2.0, -0.0]
        assert type(n * 2) is Negated and (n * 2).asnumpy().tolist() == [-3.0, 4.0, -0.0]
        assert type(-n) is np.ndarray and (-n).asnumpy().tolist() == [1.5, -2.0, 0.0]
        assert (np.ones(3) + n).asnumpy().tolist() == [-0.5, 3.0, 1.0]
        assert (n - 1).asnumpy().tolist() == [-2.5, 1.0, -1.0]
        assert (1 - n).asnumpy().tolist() == [2.5, -1.0, 1.0]
        assert negated(n) is not n and type(negated(n)) is np.ndarray
        acc = n
        acc += np.ones(3)  # never in place: a new array, n unchanged
        assert acc.asnumpy().tolist() == [-0.5, 3.0, 1.0] and acc is not n
        assert n.asnumpy().tolist() == [-1.5, 2.0, -0.0] and n.positive().asnumpy()[0] == 1.5
        ints = np.array([1, 2], dtype='int32')
        assert type(negated(ints)) is np.ndarray  # only float data is made lazy
    with autograd.record():
        assert type(negated(g)) is np.ndarray  # a recorded graph gets the op


def test_scaled_falls_back_where_in_place_would_change_the_result():
    with autograd.pause():
        fresh = np.array([1.0, 2.0], dtype="float32")
        g64 = np.array([3.0, 4.0], dtype='float64')
        out = scaled(g64, fresh)
        assert out.dtype == onp.float64 and fresh.asnumpy().tolist() == [1.0, 2.0]
        g = np.array([[2.0], [3.0]], dtype="float32")
        out = scaled(g, fresh)  # broadcasting to a larger shape: a new array
        assert out.shape == (2, 2) and fresh.asnumpy().tolist() == [1.0, 2.0]
        same = np.array([5.0, 6.0], dtype="float32")
        assert scaled(same, fresh) is fresh and fresh.asnumpy().tolist() == [5.0, 12.0]


def test_relu_and_npx_ops_after_a_negated_cotangent():
    # a Negated cotangent read by ops that do not keep it lazy gets -g
    x = np.array(X, dtype="float32")
    x.attach_grad()
    with autograd.record():
        y = npx.relu(-x).sum() + npx.softmax(-x).max()
    y.backward()
    xs = np.array(X, dtype="float32")
    xs.attach_grad()
    with autograd.record():
        z = npx.relu(-xs).sum() + npx.softmax(-xs).max()
        (gz,) = autograd.grad(z, [xs], create_graph=True)
    assert onp.array_equal(x.grad.asnumpy(), gz.asnumpy())
