"""``mxnet.autograd``: recording scopes, backward, grad, and custom Functions.

Recording and training flags are thread-local. Inside ``record()`` both are on; ``pause()``
turns recording off (and training off unless asked), as in MXNet 1.9.1.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence, Union

import numpy as onp

from . import _lazy, _native, _tape
from ._ndarray import _wrap, ndarray
from ._ops.creation import copy
from ._ops.primitive import LAZY_MIN, Negated, Primitive, unit
from ._tape import STATE, Leaf, scope
from .base import MXNetError

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "backward", "grad", "mark_variables", "Function",
           "set_detect_anomaly", "is_anomaly_enabled", "detect_anomaly"]
# MXNet's module also hands NDArray and Symbol to ``from mxnet.autograd import *`` (its tests
# rely on it); they live above this layer, so they load on first use
__getattr__, __dir__ = _lazy.names(globals(), {"NDArray": ("mxnp.ndarray", "NDArray"),
                                               "Symbol": ("mxnp.symbol", "Symbol"),
                                               "get_symbol": ("mxnp.symbol._recorded",
                                                              "get_symbol")})
__all__.extend(["NDArray", "Symbol", "get_symbol"])  # from __getattr__


def record(train_mode: bool = True) -> scope:
    """Record ops in this block for ``backward`` (and set training mode unless told not to)."""
    return scope(True, train_mode)


def pause(train_mode: bool = False) -> scope:
    """Stop recording in this block."""
    return scope(False, train_mode)


def train_mode() -> scope:
    return scope(None, True)


def predict_mode() -> scope:
    return scope(None, False)


def is_recording() -> bool:
    return STATE.recording


def is_training() -> bool:
    return STATE.training


def set_recording(is_recording: bool) -> bool:  # noqa: A002 - MXNet's name
    """Set the recording flag; return the previous one."""
    previous, STATE.recording = STATE.recording, bool(is_recording)
    return previous


def set_training(train_mode: bool) -> bool:
    previous, STATE.training = STATE.training, bool(train_mode)
    return previous


def set_detect_anomaly(mode: bool) -> bool:
    """Turn anomaly detection on or off; return the previous setting.

    While on, each recorded op remembers where in your code it was recorded, and backward
    raises at the first VJP that produces a NaN or an Inf, naming the op and that place. It
    costs a stack walk per recorded op and a check per gradient: use it to debug.
    """
    previous, _tape.ANOMALY.on = _tape.ANOMALY.on, bool(mode)
    return previous


def is_anomaly_enabled() -> bool:
    return _tape.ANOMALY.on


class detect_anomaly:
    """``with autograd.detect_anomaly():`` turns anomaly detection on for a block."""

    def __enter__(self):
        self._previous = set_detect_anomaly(True)
        return self

    def __exit__(self, *exc):
        set_detect_anomaly(self._previous)


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _head_grads(heads, head_grads) -> list:
    """One cotangent per head: ones where none is given (MXNet does this for any shape)."""
    if head_grads is None:  # the usual call: a seed of ones for each head
        return [unit(h._data.shape, h._data.dtype, h._device) for h in heads]
    head_grads = _as_list(head_grads)
    if len(head_grads) != len(heads):
        raise ValueError(f"backward: {len(heads)} heads but {len(head_grads)} head gradients")
    out = []
    for h, g in zip(heads, head_grads):
        if g is None:
            out.append(unit(h.shape, h.dtype, h._device))
            continue
        if not isinstance(g, ndarray):
            raise TypeError(f"backward: a head gradient must be an ndarray, got {type(g)}")
        if g.shape != h.shape:  # MXNet reads past the buffer here; we refuse
            raise MXNetError(f"backward: head gradient of shape {g.shape} does not match the "
                             f"head's shape {h.shape}")
        out.append(g)
    return out


def backward(heads, head_grads=None, retain_graph: bool = False, train_mode: bool = True):
    """Write the gradients of ``heads`` into the ``.grad`` of the variables they reach."""
    heads = heads if type(heads) is list else _as_list(heads)
    seeds = _head_grads(heads, head_grads)
    node = heads[0]._node if len(heads) == 1 else None
    if type(node) in _WALKS_TO_LEAVES and _tape.PATHS.fast and not _tape.ANOMALY.on \
            and _tape.alive(node):
        pairs = _tape.walk_to_leaves(node, seeds[0], retain_graph)
    else:
        pairs = _tape.walk(heads, seeds, retain_graph, False)
    training, STATE.training = STATE.training, train_mode
    try:
        held = _write_leaves(pairs)
    finally:
        STATE.training = training
    for leaf in held:
        if leaf.grad_req != "null":
            break
    else:
        raise MXNetError(_tape.NO_INPUTS)
    for leaf, held_back in held.items():
        leaf.fresh = True  # gluon's Trainer tells written gradients from stale ones by this
        if leaf.grad_req == "null":
            leaf.grad = None  # MXNet: a 'null' variable the backward reached has no gradient
            continue
        if held_back is None:
            if leaf.grad_req == "write":
                leaf.grad[...] = 0  # reached, but nothing flowed in: the gradient is zero
        elif held_back is not True:
            # a 'write' leaf's cotangents: summed into one of their own arrays that becomes
            # the buffer where nothing else can see either, else into the buffer
            if not (leaf.grad_req == "write" and _adopt_sum(leaf, held_back)):
                _absorb(leaf, held_back, True)


_WALKS_TO_LEAVES = (_tape.Node, _tape.Part)  # the heads walk_to_leaves takes


def _write_leaves(pairs) -> dict:
    """Absorb the walk's cotangents into the leaves' buffers as they come.

    Returns ``{leaf: state}`` for every leaf reached: a list of its cotangents still held back,
    in order (up to ``_HELD_BACK``: a 'write' leaf takes them in one go when the walk is done,
    its nodes freed, so that their sum can be made in one of their own arrays), True once the
    buffer has taken them, None when none came.
    """
    held = {}
    for leaf, g in pairs:
        state = held.get(leaf)
        if g is None or leaf.grad_req == "null":
            held.setdefault(leaf, None)
        elif state is None:
            held[leaf] = [g]
        elif state is True:
            _absorb(leaf, (g,), False)
        else:
            state.append(g)
            if len(state) == _HELD_BACK:  # a bound on the memory held: the buffer takes them
                _absorb(leaf, state, True)
                held[leaf] = True
    return held


_HELD_BACK = 8  # the most cotangents of one leaf held back (memory: one array each)


def _own(gs: list, i: int, count: bool = False):
    """The array of ``gs[i]`` (of a ``Negated``, the one it negates) where only the list holds
    ``gs[i]`` and only ``gs[i]`` holds the array, a NumPy array that owns its memory whole:
    free to be written in place. Else None. ``count``: the two reference counts instead
    (``_OWN_REFS``, read by this same code, so right whether it runs compiled or as source)."""
    g = gs[i]
    kind = type(g)
    if kind is ndarray:
        array = g._data
    elif kind is Negated and g._neg is None:
        array = g._pos
    else:
        return None
    if count:
        return _refs(g), _refs(array)
    if (_refs(g), _refs(array)) != _OWN_REFS or type(array) is not onp.ndarray or \
            not _owns_whole(array):
        return None
    return array


def _adopt_sum(leaf: Leaf, gs: list) -> bool:
    """Make the sum of a 'write' leaf's cotangents ``gs`` (in order) its buffer without a copy:
    one cotangent's own array (``_own``) is adopted as it is; of two or more, the sum is made in
    place in the first's or the second's, with the same roundings, in the same order, as
    ``_absorb`` makes it in the buffer (a ``Negated`` is subtracted: negation is exact).
    Returns whether the leaf took it. Small ones are left to ``_absorb``: below ``LAZY_MIN``
    elements the Python here costs more than the copy or the pass it saves."""
    if leaf.grad.size < LAZY_MIN:
        return False
    into = _own(gs, 0)  # before any local name holds a cotangent
    if into is None and len(gs) > 1:
        into = _own(gs, 1)
    if into is None or not _adoptable(leaf, into):
        return False
    signed = [(g._pos, True) if type(g) is Negated else (g._data, False) for g in gs]
    for array, _ in signed:
        if type(array) is not onp.ndarray or array.shape != into.shape or \
                array.dtype != into.dtype:
            return False
    if len(gs) == 1:
        if signed[0][1]:
            onp.negative(into, out=into)
        _swap(leaf, into)
        return True
    if len(gs) > 2 and _LIBM is not None and \
            _LIBM.signed_sum(into, [a for a, _ in signed], [n for _, n in signed]):
        _swap(leaf, into)  # the passes below in one: each array read once
        return True
    (a, a_neg), (b, b_neg) = signed[0], signed[1]
    if a_neg == b_neg:  # (-a) + (-b) == -(a + b): kept negated until the end
        onp.add(a, b, out=into)
    else:
        onp.subtract(b, a, out=into) if a_neg else onp.subtract(a, b, out=into)
    negative = a_neg and b_neg  # whether ``into`` holds the running sum negated
    for array, neg in signed[2:]:
        if neg == negative:  # s + g, or (-s) - g == -(s + g)
            onp.add(into, array, out=into)
        elif negative:  # (-s) + g == g - s
            onp.subtract(array, into, out=into)
            negative = False
        else:
            onp.subtract(into, array, out=into)
    if negative:
        onp.negative(into, out=into)
    _swap(leaf, into)
    return True


def _adoptable(leaf: Leaf, new) -> bool:
    """Whether array ``new`` can become the buffer of a 'write' leaf where no one can tell: of
    the buffer's type, shape and dtype, and the old buffer no view and held only by the leaf,
    its owner (the ``mark_variables`` buffer) and its ``faces``, which all take the new array.
    Anyone else holding the buffer (a view, an ``x.grad`` kept) adds to its reference count."""
    buf, owner = leaf.grad, leaf.owner
    if type(new) is not type(buf) or new.shape != buf.shape or new.dtype != buf.dtype \
            or buf.base is not None:
        return False
    faces = leaf.faces
    if _refs(buf) != _ARRAY_REFS + (owner is not None) + len(faces):
        return False
    if owner is not None:
        if owner._data is not buf:  # the owner was given another array since: leave both
            return False
        for face in faces:
            if face._data is not buf:
                return False
    return True


def _swap(leaf: Leaf, new) -> None:
    """``new`` becomes the buffer of ``leaf`` (checked ``_adoptable``), its owner's and faces',
    instead of a copy into the old buffer."""
    owner = leaf.owner
    if owner is not None:
        owner._data = new
        for face in leaf.faces:
            face._data = new
    leaf.grad = new


def _owns_whole(array) -> bool:
    """Whether ``array`` owns its memory, C-contiguous, writeable and aligned (its flags
    object holds the array, so it lives only in here)."""
    flags = array.flags
    return flags.owndata and flags.c_contiguous and flags.writeable and flags.aligned


def _array_refs():
    """The count ``_adoptable`` reads of an array only an ndarray and a local name hold."""
    first = _wrap(onp.empty(1), None)
    array = first._data
    return _refs(array)


_refs = sys.getrefcount
_LIBM = _native.libm()  # its signed_sum: ``_adopt_sum`` in one pass; None on the pure path
_ARRAY_REFS = _array_refs()
_OWN_REFS = _own([_wrap(onp.empty(1), None)], 0, True)


def _absorb(leaf: Leaf, cotangents, first: bool) -> None:
    """Add cotangents (in order) into a leaf's buffer in place; 'write' overwrites with the
    first ones. A ``Negated`` cotangent (``-g`` not yet made) is subtracted, or negated into
    the buffer."""
    buf = leaf.grad
    xp = cotangents[0]._device.xp
    rest = cotangents
    if first and leaf.grad_req == "write":
        if len(cotangents) >= 2:  # two cotangents summed straight into the buffer: one pass
            a, b = cotangents[0], cotangents[1]
            if type(a) is Negated:
                a, b = b, a
            if type(b) is Negated and type(a) is not Negated:  # a + (-g) == a - g exactly
                xp.subtract(a._data, b._pos, out=buf, casting="unsafe")
            else:
                xp.add(a._data, b._data, out=buf, casting="unsafe")
            rest = cotangents[2:]
        else:
            g = cotangents[0]
            if type(g) is Negated:
                xp.negative(g._pos, out=buf, casting="unsafe")
            else:
                buf[...] = g._data
            return
    for g in rest:
        if type(g) is Negated:
            xp.subtract(buf, g._pos, out=buf, casting="unsafe")
        else:
            xp.add(buf, g._data, out=buf, casting="unsafe")


def grad(heads, variables, head_grads=None, retain_graph: Optional[bool] = None,
         create_graph: bool = False, train_mode: bool = True) -> list:
    """Gradients of ``heads`` with respect to ``variables``, returned (``.grad`` untouched).

    With ``create_graph=True`` the result is itself recorded, for higher-order gradients.
    """
    heads, variables = _as_list(heads), _as_list(variables)
    if retain_graph is None:
        retain_graph = create_graph
    targets = []
    for i, v in enumerate(variables):
        if type(v._node) is not Leaf:
            raise MXNetError(f"grad: variable {i} is not in a computational graph; call "
                             "attach_grad() on it before recording")
        targets.append(v._node)
    with scope(None, train_mode):
        leaves = _tape.gather(_tape.walk(heads, _head_grads(heads, head_grads), retain_graph,
                                         create_graph, targets=set(targets)))
    out = []
    with scope(create_graph, None):
        for i, (v, leaf) in enumerate(zip(variables, targets)):
            if leaf not in leaves:
                raise MXNetError(f"grad: cannot differentiate with respect to variable {i}: it "
                                 "is unreachable from the outputs")
            g = leaves[leaf]
            # a cotangent may share memory with a primal value (1 * y is y) or be the seed
            # itself: hand out a fresh array (recorded under create_graph)
            g = v * 0 if g is None else copy(g)
            if type(g) is not type(v):  # an mx.nd.NDArray variable gets an NDArray gradient
                g.__class__ = type(v)  # a fresh array: the class swap keeps its tape node
            out.append(g)
    return out


def mark_variables(variables, gradients, grad_reqs: Union[str, Sequence[str]] = "write"):
    """Make each variable a leaf whose gradient is written into the given buffer."""
    variables, gradients = _as_list(variables), _as_list(gradients)
    reqs = [grad_reqs] * len(variables) if isinstance(grad_reqs, str) else list(grad_reqs)
    for v, g, req in zip(variables, gradients, reqs):
        v.attach_grad(req)
        v._node.grad, v._node.owner = g._data, g


class Function:
    """A custom differentiable function: subclass it with ``forward`` and ``backward``.

    ``forward`` runs with recording paused; ``backward`` receives one gradient per output and
    returns one per input. Differs from MXNet: an instance can be called any number of times
    (each call keeps its own saved tensors on its node), and ``backward`` written with np ops
    is itself differentiated under ``create_graph=True``.
    """

    def __init__(self):
        self.saved_tensors = ()

    def save_for_backward(self, *args) -> None:
        self.saved_tensors = args

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError

    def __call__(self, *inputs):
        if STATE.tracer is not None:  # its tape node is made by hand, which a replay cannot do
            STATE.tracer.untraceable("an autograd.Function")
        with pause(train_mode=STATE.training):
            outputs = self.forward(*inputs)
        single = isinstance(outputs, ndarray)
        outs = (outputs,) if single else tuple(outputs)
        tracked = [x._node if isinstance(x, ndarray) else None for x in inputs]
        if not (STATE.recording and any(n is not None for n in tracked)):
            return outputs
        if any(o._node is not None for o in outs):
            # an output already on the tape (an input returned as is, e.g. a gradient reversal)
            # gets a new array over the same data, so the input keeps its own place in the
            # graph (MXNet raises here; overwriting the input's node would lose x.grad)
            outs = tuple(o if o._node is None else _wrap(o._data, o._device) for o in outs)
            outputs = outs[0] if single else outs
        saved = self.saved_tensors  # this call's, even if the instance is called again

        def rule(g, ans, *xs):
            return self._vjp(saved, g)

        prim = Primitive(f"Function.{type(self).__name__}", None, vjp_all=rule, register=False)
        raws = outs[0]._data if single else tuple(o._data for o in outs)
        node = _tape.Node(prim, inputs, {}, tuple(tracked), raws)
        for i, o in enumerate(outs):
            o._node = node if single else _tape.Part(node, i)
        return outputs

    def _vjp(self, saved, g):
        # backward is user code that may write into its gradients (dy *= 2), as MXNet allows:
        # hand it copies, never the tape's arrays (a read-only seed of ones, a broadcast view,
        # or a cotangent that another input also receives). It runs with recording as the tape
        # set it: off for a plain backward (as in MXNet), on under create_graph.
        output_grads = [copy(gi) for gi in (g if isinstance(g, list) else [g])]
        current, self.saved_tensors = self.saved_tensors, saved
        try:
            grads = self.backward(*output_grads)
        finally:
            self.saved_tensors = current
        return (grads,) if isinstance(grads, ndarray) else tuple(grads)

