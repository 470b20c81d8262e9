"""``autograd.get_symbol``: the graph autograd recorded up to an array, as a Symbol.

Each variable (an array with ``attach_grad``) is a Symbol variable named ``var<N>``, N fixed when
it was marked, so the same variable has the same name in every graph; each recorded op is a node
named after mxnp's primitive. Arrays that were never recorded (constants) are not arguments.
The graph is for inspection (arguments, outputs, structure): its operators are mxnp's
primitives, not MXNet's, so it cannot be evaluated or loaded by MXNet.
"""
from __future__ import annotations

from .._ndarray import ndarray
from .._tape import Leaf, Part
from ..base import MXNetError
from ._node import Node
from .symbol import Symbol


def get_symbol(x) -> Symbol:
    """The recorded computation of ``x`` as a Symbol (see the module docstring)."""
    if not isinstance(x, ndarray):
        raise TypeError(f"autograd.get_symbol: expected an array, got {type(x).__name__}")
    if x._node is None:
        raise MXNetError("autograd.get_symbol: the array is not in a computational graph; "
                         "record it under autograd.record() or call attach_grad() first")
    made: dict = {}  # id(tape node) -> symbol Node
    return Symbol([_edge(x._node, made)])


def _edge(tape_node, made: dict):
    """``(symbol node, output index)`` for a tape node, an output of a multi-output op, or a
    variable; each tape node becomes one symbol node, however often it is reached."""
    if isinstance(tape_node, Part):
        return _symbol_node(tape_node.node, made), tape_node.index
    return _symbol_node(tape_node, made), 0


def _symbol_node(tape_node, made: dict) -> Node:
    found = made.get(id(tape_node))
    if found is not None:
        return found
    if isinstance(tape_node, Leaf):
        node = Node(None, f"var{tape_node.seq}")
    else:
        if tape_node.prim is None:
            raise MXNetError("autograd.get_symbol: the graph was freed by a backward pass; "
                             "pass retain_graph=True to keep it")
        inputs = [_edge(p, made) for p in tape_node.parents if p is not None]
        outs = tape_node.out
        node = Node(tape_node.prim.name, f"{tape_node.prim.name}{tape_node.seq}", {}, inputs,
                    len(outs) if isinstance(outs, tuple) else 1)
    made[id(tape_node)] = node
    return node
