"""autograd as MXNet 1.9.1 behaves (reference 4.1 and 4.4): gradient buffers and grad_req,
recording and training modes."""
from __future__ import annotations

import threading

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp.base import MXNetError
from tests.helpers import NO_INPUTS, square_sum, variable


# ---- gradient buffers and grad_req (reference 4.1) ---------------------------------------------
def test_grad_is_none_without_attach_grad():
    assert np.ones(3).grad is None


def test_attach_grad_gives_zeros_of_the_same_shape_and_dtype():
    x = np.array([[1, 2, 3]], dtype="int32")
    x.attach_grad()
    assert x.grad.shape == (1, 3) and x.grad.dtype == onp.int32
    assert x.grad.tolist() == [[0, 0, 0]]


def test_attach_grad_write_overwrites():
    x = variable(1., 2., 3.)
    square_sum(x).backward()
    with autograd.record():
        y = (x * x * x).sum()
    y.backward()
    assert x.grad.tolist() == [3., 12., 27.]


def test_attach_grad_add_accumulates():
    x = variable(1., 2., 3., grad_req="add")
    for _ in range(3):
        square_sum(x).backward()
    assert x.grad.tolist() == [6., 12., 18.]


def test_attach_grad_null_has_zero_grad_and_backward_raises():
    x = variable(1., 2., 3., grad_req="null")
    assert x.grad.tolist() == [0., 0., 0.]
    y = square_sum(x)
    with pytest.raises(MXNetError, match=NO_INPUTS):
        y.backward()


def test_attach_grad_bogus_req_raises_key_error():
    with pytest.raises(KeyError, match="bogus"):
        np.ones(3).attach_grad(grad_req="bogus")


def test_grad_wrapper_taken_before_backward_sees_new_values():
    x = variable(1., 2., 3.)
    g = x.grad
    square_sum(x).backward()
    assert g.tolist() == [2., 4., 6.]
    assert x.grad is not x.grad  # a new wrapper each time, over the same buffer


def test_grad_buffer_can_be_written_in_place():
    x = variable(1., 2.)
    x.grad[:] = 5
    assert x.grad.tolist() == [5., 5.]


def test_grad_has_no_setter():
    x = variable(1., 2.)
    with pytest.raises(AttributeError):
        x.grad = np.ones(2)


def test_reattach_grad_cuts_an_earlier_graph():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * 2
    x.attach_grad()
    y.backward()  # no error, as MXNet: the old leaf is not x's buffer any more
    assert x.grad.tolist() == [0., 0., 0.]


def test_attach_grad_on_an_intermediate_makes_it_a_leaf():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * 2
        y.attach_grad()
        z = (y * y).sum()
    z.backward()
    assert y.grad.tolist() == [4., 8., 12.]
    assert x.grad.tolist() == [0., 0., 0.]  # the chain is cut at y


def test_grad_of_an_intermediate_is_none():
    x = variable(1., 2.)
    with autograd.record():
        y = x * 2
        z = y.sum()
    z.backward()
    assert y.grad is None


def test_int32_variable_gets_int32_gradient():
    x = variable(1, 2, 3, dtype="int32")
    square_sum(x).backward()
    assert x.grad.dtype == onp.int32 and x.grad.tolist() == [2, 4, 6]


def test_gradient_is_cast_back_to_the_variables_dtype():
    x = variable(1, 2, 3, dtype="int32")
    with autograd.record():
        y = (x.astype("float32") ** 2).sum()
    y.backward()
    assert x.grad.dtype == onp.int32 and x.grad.tolist() == [2, 4, 6]
    w = variable(1., 2., 3., dtype="float64")
    square_sum(w).backward()
    assert w.grad.dtype == onp.float64


def test_variable_not_reached_keeps_its_grad():
    x = variable(1., 2., 3.)
    w = variable(1., 1.)
    w.grad[:] = 7  # set by hand: still there after a backward that does not reach w
    with autograd.record():
        y = (x * x).sum()
        unused = w * 2  # noqa: F841 - recorded but not part of y's graph
    y.backward()
    assert x.grad.tolist() == [2., 4., 6.]
    assert w.grad.tolist() == [7., 7.]


def test_backward_through_only_a_comparison_gives_zero_gradients():
    # as MXNet: comparisons are recorded with a zero gradient
    x = variable(1., 2., 3.)
    x.grad[:] = 5
    with autograd.record():
        y = (x > 1) * 1.0
    y.backward()
    assert x.grad.tolist() == [0., 0., 0.]


def test_backward_through_only_an_argmax_raises():
    # Differs from MXNet (docs/differences.md): argmax is never recorded
    x = variable(1., 2., 3.)
    with autograd.record():
        y = np.argmax(x) * 1.0
    with pytest.raises(MXNetError, match="not in a computational graph"):
        y.backward()


# ---- recording and training state (reference 4.4) ----------------------------------------------
def state():
    return autograd.is_recording(), autograd.is_training()


def test_state_at_top_level_is_off():
    assert state() == (False, False)


def test_record_turns_recording_and_training_on():
    with autograd.record():
        assert state() == (True, True)
    assert state() == (False, False)


def test_record_train_mode_false():
    with autograd.record(train_mode=False):
        assert state() == (True, False)


def test_pause_turns_recording_and_training_off():
    with autograd.record():
        with autograd.pause():
            assert state() == (False, False)
        with autograd.pause(train_mode=True):
            assert state() == (False, True)
        assert state() == (True, True)


def test_train_mode_sets_training_only():
    with autograd.train_mode():
        assert state() == (False, True)


def test_predict_mode_sets_prediction_only():
    with autograd.record():
        with autograd.predict_mode():
            assert state() == (True, False)


def test_set_recording_returns_the_previous_state():
    try:
        assert autograd.set_recording(True) is False
        assert autograd.is_recording()
        assert autograd.set_recording(False) is True
    finally:
        autograd.set_recording(False)


def test_set_training_returns_the_previous_state():
    try:
        assert autograd.set_training(True) is False
        assert autograd.is_training()
        assert autograd.set_training(False) is True
    finally:
        autograd.set_training(False)


def test_state_is_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with autograd.record():
            raise RuntimeError("boom")
    assert state() == (False, False)


def test_state_is_thread_local():
    seen = []
    with autograd.record():
        thread = threading.Thread(target=lambda: seen.append(state()))
        thread.start()
        thread.join()
    assert seen == [(False, False)]


def test_star_import_gives_ndarray_and_symbol_types_as_mxnet():
    # MXNet 1.9.1's autograd module hands NDArray and Symbol to ``import *`` (mxref)
    from mxnp import ndarray, symbol
    assert {"NDArray", "Symbol"} <= set(autograd.__all__)
    assert autograd.NDArray is ndarray.NDArray and autograd.Symbol is symbol.Symbol
    assert {"NDArray", "Symbol"} <= set(dir(autograd))


def test_get_symbol_lists_the_recorded_variables():
    # MXNet 1.9.1 (mxref): one argument per marked variable the result depends on; an array
    # outside any graph is an error
    x, z = np.ones((1,)), np.ones((1,))
    x.attach_grad()
    z.attach_grad()
    with autograd.record():
        only_x = x * x + 2 * x - 1
        both = x * x + 2 * z - 1
    name = autograd.get_symbol(x).list_outputs()[0]
    assert autograd.get_symbol(only_x).list_arguments() == [name]
    args = autograd.get_symbol(both).list_arguments()
    assert len(args) == 2 and name in args and autograd.get_symbol(z).list_outputs()[0] in args
    assert len(autograd.get_symbol(both).list_outputs()) == 1
    with pytest.raises(MXNetError, match="not in a computational graph"):
        autograd.get_symbol(np.ones((2,)))
