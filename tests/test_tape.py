"""The tape's walk hands cotangents back and writes nothing; autograd writes the leaves."""
from mxnp import _native, _tape, autograd, np


def test_tape_walk_yields_cotangents_and_leaves_grad_untouched():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    x.grad[:] = 7
    with autograd.record():
        y = (x * x).sum()
    pairs = list(_tape.walk([y], [np.ones(())], False, False))
    leaf = x._node
    assert [node for node, _ in pairs] == [leaf, leaf, leaf]  # x * x: two cotangents, then reached
    assert pairs[-1][1] is None
    assert sum(g for _, g in pairs[:2]).tolist() == [2.0, 4.0, 6.0]
    assert x.grad.tolist() == [7.0, 7.0, 7.0]
    assert not leaf.fresh


def test_tape_gather_sums_per_target():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 3 + x
    found = _tape.gather(_tape.walk([y], [np.ones((2,))], True, False, targets={x._node}))
    assert found[x._node].tolist() == [4.0, 4.0]


def test_tape_does_not_import_autograd():
    source = open(_native.source("mxnp._tape")).read()  # the source, even where compiled
    assert "autograd" not in "".join(line for line in source.splitlines()
                                     if line.startswith(("import", "from")))
