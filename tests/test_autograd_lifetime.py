"""autograd past MXNet: custom Functions checked by check_grads and differentiated twice,
anomaly detection, graph lifetime (no cycles, flat memory), and threads."""
from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp.base import MXNetError
from mxnp.testing import check_grads


class Cube(autograd.Function):
    """x ** 3 with a hand-written backward made of np ops (so it differentiates again)."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x * x

    def backward(self, dy):
        (x,) = self.saved_tensors
        return dy * 3 * x * x


def test_function_passes_check_grads_to_second_order():
    check_grads(lambda x: Cube()(x), np.array([0.3, -0.7, 1.1]), order=2)


def test_function_composes_with_recorded_ops_on_both_sides():
    x = np.array([1., 2.], dtype="float64")
    x.attach_grad()
    f = Cube()
    with autograd.record():
        y = (f(np.sin(x)) * 2).sum()
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), 6 * onp.sin([1., 2.]) ** 2 * onp.cos([1., 2.]))


def test_detect_anomaly_names_the_op_and_where_it_was_recorded():
    x = np.array([0., 1.])
    x.attach_grad()
    with autograd.detect_anomaly():
        assert autograd.is_anomaly_enabled()
        with autograd.record():
            y = np.sqrt(x).sum()  # the gradient of sqrt at 0 is inf
        with pytest.raises(MXNetError, match=r"sqrt .*test_autograd_lifetime.py:\d+"), \
                onp.errstate(divide="ignore"):
            y.backward()
    assert not autograd.is_anomaly_enabled()


def test_set_detect_anomaly_returns_the_previous_setting():
    assert autograd.set_detect_anomaly(True) is False
    assert autograd.set_detect_anomaly(False) is True


def test_without_anomaly_mode_a_nan_gradient_is_simply_returned():
    x = np.array([0., 1.])
    x.attach_grad()
    with autograd.record():
        y = np.sqrt(x).sum()
    with onp.errstate(divide="ignore"):
        y.backward()
    assert onp.isinf(x.grad.asnumpy()[0])


def test_no_reference_cycles_keep_intermediates_alive():
    gc.disable()  # what is freed here is freed by reference counting alone
    try:
        x = np.ones(3)
        x.attach_grad()
        with autograd.record():
            h = np.sin(x) * x
            y = (h * h).sum()
        gone = weakref.ref(h)
        del h
        assert gone() is not None  # y's graph keeps it (multiply saved it)
        del y
        assert gone() is None
    finally:
        gc.enable()


def test_backward_frees_the_saved_values_it_walked():
    x = np.ones(3)
    x.attach_grad()
    with autograd.record():
        h = np.exp(x)
        y = (h * h).sum()
    gone = weakref.ref(h)
    del h
    y.backward()
    assert gone() is None  # y is still alive, its freed graph no longer holds h
    with pytest.raises(MXNetError, match="retain_graph=True"):
        y.backward()


def _live_arrays() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, np.ndarray))


def test_ten_thousand_record_backward_iterations_keep_memory_flat():
    w = np.array(onp.random.default_rng(0).normal(size=(4, 4)))
    w.attach_grad()
    data = np.ones((2, 4))

    def step():
        with autograd.record():
            loss = (np.tanh(np.dot(data, w)) ** 2).mean()
        loss.backward()

    for _ in range(200):  # warm caches before measuring
        step()
    gc.collect()
    arrays_before = _live_arrays()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for _ in range(10_000):
        step()
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert after - before < 256 * 1024  # generous: a leak of one small node per step is 1 MB+
    assert _live_arrays() <= arrays_before


def test_two_threads_differentiate_their_own_graphs_at_once():
    results, errors = {}, []
    start = threading.Barrier(2)

    def work(name, scale):
        try:
            x = np.array([1., 2., 3.]) * scale
            x.attach_grad()
            start.wait()
            for _ in range(300):
                with autograd.record():
                    y = (x * x * scale).sum()
                y.backward()
            results[name] = x.grad.asnumpy()
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n, s)) for n, s in (("a", 1.), ("b", 2.))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    onp.testing.assert_allclose(results["a"], [2., 4., 6.])
    onp.testing.assert_allclose(results["b"], [8., 16., 24.])  # d(2 x^2)/dx at x = 2, 4, 6


@pytest.mark.parametrize("shapes", [((2, 3), (3, 4)), ((2, 3), (3,)), ((3,), (3, 2)),
                                    ((3,), (3,))])
def test_dot_gradients_to_third_order(shapes):
    # dot's rules for matrices are dots of transposed operands; the third order exercises
    # every combination of the transpose flags
    rng = onp.random.default_rng(1)
    a, b = (np.array(rng.normal(size=s)) for s in shapes)
    check_grads(np.dot, a, b, order=3)
