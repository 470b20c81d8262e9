"""The fast paths agree with the general ones they stand in for.

``Primitive.__call__`` takes a fast path for its common calls and ``general_call`` for the
rest; ``autograd.backward`` walks one head with ``_tape.walk_to_leaves`` and anything else with
``_tape.walk``. ``primitive.use_fast_paths(False)`` runs the general paths alone (as
MXNP_FAST_PATHS=0 does for a whole run): here each graph runs both ways and must give the same
arrays, nodes, cotangents and gradients, and the gradient table passes on the general path.
"""
import numpy as onp
import pytest

from mxnp import _tape, autograd, np, npx
from mxnp._ops import primitive
from mxnp._ops.primitive import Meta, Primitive
from mxnp.base import MXNetError
from mxnp.testing import check_grads
from tests.test_grad_specs import SPECS, inputs


@pytest.fixture(params=[True, False], ids=["fast", "general"])
def fast(request):
    previous = primitive.use_fast_paths(request.param)
    yield request.param
    primitive.use_fast_paths(previous)


def both_paths(fn):
    """``fn()`` with the fast paths on, then off (restored after)."""
    results = []
    for on in (True, False):
        previous = primitive.use_fast_paths(on)
        try:
            results.append(fn())
        finally:
            primitive.use_fast_paths(previous)
    return results


def test_the_switch_swaps_the_call_and_the_walk():
    previous = primitive.use_fast_paths(False)
    try:
        assert Primitive.__call__ is Primitive.general_call and not _tape.PATHS.fast
        primitive.use_fast_paths(True)
        assert Primitive.__call__ is not Primitive.general_call and _tape.PATHS.fast
    finally:
        primitive.use_fast_paths(previous)


# ---- Primitive.__call__: the fast path and general_call make the same arrays and nodes --------
A = onp.array([[0.5, -1.0, 2.0], [1.5, 0.25, -3.0]], dtype=onp.float32)
CALLS = {  # name -> (op, arguments made from ndarrays a (2, 3) float32, b (3,) float32, i int)
    "two arrays": lambda a, b, i: (np.multiply, a, b),
    "array, float": lambda a, b, i: (np.subtract, a, 2.5),
    "float, array": lambda a, b, i: (np.true_divide, 2.5, a),
    "int array, float": lambda a, b, i: (np.add, i, 1.5),
    "int, int array": lambda a, b, i: (np.power, 2, i),
    "bool array, array": lambda a, b, i: (np.multiply, a > 0, a),
    "one array": lambda a, b, i: (np.sin, a),
    "int array to float math": lambda a, b, i: (np.exp, i),
    "0-d result": lambda a, b, i: (np.dot, b, b),
    "params": lambda a, b, i: (np.sum, a),
    "three arrays": lambda a, b, i: (np.where, a > 0, a, b),
    "multi-output": lambda a, b, i: (np.split, a, 3),
}


def _run_call(make):
    a, b = np.array(A), np.array(A[0])
    i = np.array([[1, 2, 3], [4, 5, 6]])
    for x in (a, b):
        x.attach_grad()
    op, *args = make(a, b, i)
    with autograd.record():
        out = op(*args, axis=1) if op is np.split else op(*args)
    outs = out if isinstance(out, list) else [out]
    return [(o.asnumpy(), o.dtype, type(o._node).__name__, _node_facts(o._node)) for o in outs]


def _node_facts(node):
    node = getattr(node, "node", node)  # a Part's node
    if not isinstance(node, _tape.Node):
        return None
    kept = [type(x).__name__ for x in node.inputs]
    return (node.prim.name, [type(p).__name__ for p in node.parents], kept, node.params,
            node.out is None)


@pytest.mark.parametrize("name", CALLS)
def test_fast_call_makes_what_the_general_call_makes(name):
    fast, general = both_paths(lambda: _run_call(CALLS[name]))
    assert len(fast) == len(general)
    for f, g in zip(fast, general):
        onp.testing.assert_array_equal(f[0], g[0])
        assert f[1:] == g[1:]


@pytest.mark.parametrize("keep_whole_below", [0, primitive.KEEP_WHOLE_BELOW])
def test_fast_call_keeps_what_keep_says(fast, keep_whole_below, monkeypatch):
    monkeypatch.setattr(primitive, "KEEP_WHOLE_BELOW", keep_whole_below)
    a, b = np.array(A), np.array(A)
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        s = a + b  # keep=(): values only below the cut-off
        q = a / b  # keep=(1, "ans")
        p = a * b  # keep=(0, 1)
    small = keep_whole_below > A.nbytes
    assert [type(x) is Meta for x in s._node.inputs] == [not small, not small]
    assert [type(x) is Meta for x in q._node.inputs] == [not small, False]
    assert q._node.out is not None and s._node.out is None
    assert p._node.inputs[0] is a and p._node.inputs[1] is b


def test_fast_call_raises_the_op_error(fast):
    with pytest.raises(MXNetError, match=r"add: .*\(inputs: \(2, 3\) float32, \(2,\) float32\)"):
        np.array(A) + np.array([1.0, 2.0])


# ---- the walks: the same pairs, in the same order, and the same frees -------------------------
def _graph(kind):
    """``(head, [variables])`` of a recorded graph of some kind."""
    x = np.array([0.3, -1.2, 0.7, 2.0])
    w = np.array([1.5, 0.5, -0.5, 1.0])
    x.attach_grad()
    w.attach_grad("add")
    with autograd.record():
        if kind == "chain":
            h = np.exp(-(np.sin(x) * 1.01 + w)) * x
            y = np.sqrt(npx.relu(np.cos(np.square(np.tanh(h) - 0.5) / w) + x) + w) * h
        elif kind == "shared":  # one node feeds two, a leaf feeds four
            h = x * w
            y = (h + h * x) * (x - w) + x
        elif kind == "multi-output":  # Parts inside the graph, only some of them used
            p, q, _, s = np.split(x * w, 4)
            y = np.concatenate([p * 2, s * q])
        elif kind == "part head":
            y = np.split(np.exp(x) * w, 2)[1]
        elif kind == "unreached leaf":  # x is reached, but no cotangent flows into it
            y = FIRST(w, x)
        else:
            raise ValueError(kind)
    return y, [x, w]


# an op whose second input is on the tape but has no rule: the walk reaches it, nothing flows
FIRST = Primitive("first_of_two", lambda xp, a, b: a * 1, (lambda g, ans, a, b: g, None),
                  register=False)
KINDS = ["chain", "shared", "multi-output", "part head"]


@pytest.mark.parametrize("kind", KINDS)
def test_walk_to_leaves_yields_what_walk_yields(kind):
    def pairs(walker):
        y, _ = _graph(kind)
        seed = np.ones(y.shape)
        got = list(walker(y, seed))
        return [(type(n).__name__, n.seq - y._node.seq,
                 None if g is None else g.asnumpy()) for n, g in got], y._node
    fast, head_fast = pairs(lambda y, g: _tape.walk_to_leaves(y._node, g, False))
    general, head_general = pairs(lambda y, g: _tape.walk([y], [g], False, False))
    assert [p[:2] for p in fast] == [p[:2] for p in general]
    for (_, _, f), (_, _, g) in zip(fast, general):
        assert (f is None) == (g is None)
        if f is not None:
            onp.testing.assert_array_equal(f, g)
    # both freed what they walked: a second walk from the head is refused
    for head in (head_fast, head_general):
        assert not _tape.alive(head)


@pytest.mark.parametrize("kind", KINDS + ["unreached leaf"])
def test_backward_writes_the_same_gradients(kind):
    def grads():
        y, xs = _graph(kind)
        for x in xs:
            x.grad[:] = 10  # w adds, x writes
        y.backward()
        return [x.grad.asnumpy() for x in xs] + [x._fresh_grad for x in xs]
    fast, general = both_paths(grads)
    for f, g in zip(fast, general):
        onp.testing.assert_array_equal(f, g)


def test_backward_takes_walk_to_leaves_for_one_head_only(monkeypatch):
    taken = []
    for name in ("walk", "walk_to_leaves"):
        real = getattr(_tape, name)
        monkeypatch.setattr(_tape, name, lambda *a, real=real, name=name, **k: (
            taken.append(name), real(*a, **k))[1])
    _graph("chain")[0].backward()
    autograd.backward([_graph("shared")[0], _graph("chain")[0]])
    previous = primitive.use_fast_paths(False)
    try:
        _graph("chain")[0].backward()
    finally:
        primitive.use_fast_paths(previous)
    autograd.set_detect_anomaly(True)
    try:
        _graph("chain")[0].backward()
    finally:
        autograd.set_detect_anomaly(False)
    assert taken == ["walk_to_leaves", "walk", "walk", "walk"]


def test_walks_record_nothing_inside_record_and_restore_it(fast):
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = np.sin(x) * x
        y.backward()  # inside the scope: the rules still record nothing
        assert autograd.is_recording()
        z = x * 3
        y = np.sin(x) * x
        cotangents = [g for _, g in _tape.walk_to_leaves(y._node, np.ones(2), False)
                      if g is not None]
        assert autograd.is_recording()
    assert z._node is not None
    assert len(cotangents) == 2 and all(g._node is None for g in cotangents)
    want = onp.cos([1.0, 2.0]) * [1, 2] + onp.sin([1.0, 2.0])
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-6)


def test_walks_refuse_a_freed_graph_and_keep_a_retained_one(fast):
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [2.0, 4.0]
    with pytest.raises(MXNetError, match="retain_graph=True"):
        y.backward()


def test_seeds_are_shared_read_only_ones():
    x = np.ones((2, 3))
    one = primitive.unit((2, 3), x.dtype, x._device)
    assert primitive.unit((2, 3), x.dtype, x._device) is one
    assert one._node is None and not one._data.flags.writeable
    assert one.asnumpy().tolist() == [[1.0] * 3] * 2


# ---- the gradient table on the general path (the default run takes the fast one) -------------
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad_table_on_the_general_path(spec):
    previous = primitive.use_fast_paths(False)
    try:
        check_grads(spec.function(), *[np.array(r) for r in inputs(spec)], order=spec.order,
                    eps=spec.eps)
    finally:
        primitive.use_fast_paths(previous)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad_table_backward_agrees_on_both_paths(spec):
    raws = inputs(spec)

    def grads():
        xs = [np.array(r) for r in raws]
        for x in xs:
            x.attach_grad()
        with autograd.record():
            outs = spec.function()(*xs)
        outs = outs[0] if isinstance(outs, (list, tuple)) and len(outs) == 1 else outs
        autograd.backward(outs)
        return [x.grad.asnumpy() for x in xs]
    fast, general = both_paths(grads)
    for f, g in zip(fast, general):
        onp.testing.assert_array_equal(f, g)
