"""autograd as MXNet 1.9.1 behaves (reference 4.2-4.4): backward, head gradients, graph
lifetime, detach and pause."""
from __future__ import annotations

import pytest

from mxnp import autograd, np
from mxnp.base import MXNetError
from tests.helpers import NO_INPUTS, NOT_IN_GRAPH, square_sum, variable


# ---- backward (reference 4.2) --------------------------------------------------------------------
def test_backward_non_scalar_head_is_seeded_with_ones():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    y.backward()
    assert x.grad.tolist() == [2., 4., 6.]


def test_backward_explicit_out_grad():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    y.backward(out_grad=np.ones(3) * 3, retain_graph=False, train_mode=True)
    assert x.grad.tolist() == [6., 12., 18.]
    x2 = variable(1., 2., 3., 4.)
    with autograd.record():
        y2 = x2.reshape(2, 2) * x2.reshape(2, 2)
    y2.backward(np.array([[1., 0.], [0., 10.]]))
    assert x2.grad.tolist() == [2., 0., 0., 80.]


def test_backward_head_grad_of_wrong_shape_raises():
    # MXNet reads past the buffer here ([2., 4., 0.]); we refuse
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    with pytest.raises(MXNetError, match="shape"):
        y.backward(np.array([1., 1.]))
    with pytest.raises(MXNetError, match="shape"):
        y.backward(np.array(2.))


def test_backward_train_mode_false_works():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
    y.backward(train_mode=False)
    assert x.grad.tolist() == [2., 4., 6.]


def test_backward_inside_record_works():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
        y.backward()
    assert x.grad.tolist() == [2., 4., 6.]


def test_backward_of_a_0d_head():
    x = np.array(2.)
    x.attach_grad()
    with autograd.record():
        y = x ** 2
    y.backward()
    assert x.grad.shape == () and x.grad.item() == 4.0


def test_backward_of_a_variable_itself_gives_ones():
    x = variable(2., 3.)
    x.backward()
    assert x.grad.tolist() == [1., 1.]
    z = variable(1., 2.)
    with autograd.record():
        y = z  # no op recorded: y is the variable
    y.backward()
    assert z.grad.tolist() == [1., 1.]


def test_backward_outside_record_raises():
    x = variable(1., 2., 3.)
    y = (x * x).sum()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        y.backward()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        np.ones(2).backward()


def test_backward_of_a_graph_of_constants_raises():
    x = np.array([1., 2.])  # no attach_grad
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        y.backward()


def test_backward_after_record_of_values_computed_outside_raises():
    x = variable(1., 2.)
    with autograd.record():
        y = x * 3
    z = y * 2  # outside record: not part of the graph
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        z.backward()


def test_autograd_backward_list_of_heads_with_none_head_grad():
    a, b = variable(1., 2.), variable(3., 4.)
    with autograd.record():
        y1 = a * b
        y2 = (a + b).sum()
    autograd.backward([y1, y2], [np.array([1., 10.]), None])
    assert a.grad.tolist() == [4., 41.]
    assert b.grad.tolist() == [2., 21.]


def test_autograd_backward_sums_over_heads():
    a = variable(1., 2.)
    with autograd.record():
        y1 = a * 2
        y2 = a * 3
    autograd.backward([y1, y2])
    assert a.grad.tolist() == [5., 5.]


def test_autograd_backward_single_head_and_head_grad():
    a = variable(1., 2.)
    with autograd.record():
        y = a * 2
    autograd.backward(y, np.array([5., 5.]), retain_graph=False, train_mode=False)
    assert a.grad.tolist() == [10., 10.]


# ---- graph lifetime (reference 4.3) --------------------------------------------------------------
def test_second_backward_through_a_freed_graph_raises():
    x = variable(1., 2., 3.)
    y = square_sum(x)
    y.backward()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = variable(1., 2., 3.)
    y = square_sum(x)
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [2., 4., 6.]
    a = variable(1., 2., 3., grad_req="add")
    z = square_sum(a)
    z.backward(retain_graph=True)
    z.backward()
    assert a.grad.tolist() == [4., 8., 12.]


def test_shared_intermediate_freed_by_the_first_backward():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
        z = y.sum()
        w = (y * 2).sum()
    z.backward()
    with pytest.raises(MXNetError, match=NO_INPUTS):
        w.backward()


def test_shared_intermediate_with_retain_graph():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
        z = y.sum()
        w = (y * 2).sum()
    z.backward(retain_graph=True)
    assert x.grad.tolist() == [2., 4., 6.]
    w.backward()
    assert x.grad.tolist() == [4., 8., 12.]


def test_branch_not_walked_stays_intact():
    # the seed notebook's pattern: y's graph is not inside z's (u is detached), so it survives
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    assert x.grad.tolist() == [1., 4., 9.]
    y.backward()
    assert x.grad.tolist() == [2., 4., 6.]


def test_walked_intermediate_is_freed():
    x = variable(1., 2.)
    with autograd.record():
        y = 2 * x
        z = y * x
    z.backward()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        y.backward()


def test_graph_survives_across_record_blocks():
    x = variable(1., 2.)
    with autograd.record():
        y = x * 3
    with autograd.record():
        z = (y * 2).sum()
    z.backward()
    assert x.grad.tolist() == [6., 6.]


# ---- detach and pause (reference 4.4) ------------------------------------------------------------
def test_detach_cuts_the_graph():
    x = variable(1., 2., 3.)
    with autograd.record():
        z = ((x * x).detach() * x).sum()
    z.backward()
    assert x.grad.tolist() == [1., 4., 9.]


def test_detach_shares_memory_and_has_no_grad():
    x = variable(1., 2., 3.)
    d = x.detach()
    assert d is not x and d.grad is None
    d[0] = 100
    assert x.tolist() == [100., 2., 3.]


def test_pause_makes_a_constant():
    x = variable(1., 2., 3.)
    with autograd.record():
        y = x * x
        with autograd.pause():
            c = x * 10
        z = (y * c).sum()
    z.backward()
    assert x.grad.tolist() == [20., 80., 180.]


def test_value_computed_under_pause_is_not_in_the_graph():
    x = variable(1., 2., 3.)
    with autograd.record():
        with autograd.pause():
            c = x * 10
        z = (c * 2).sum()
    with pytest.raises(MXNetError, match=NOT_IN_GRAPH):
        z.backward()
