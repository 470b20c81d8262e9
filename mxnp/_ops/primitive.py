"""The primitive machinery: one forward on raw backend arrays, one VJP rule per array input.

``Primitive.__call__`` is the whole forward data path; ``Primitive.input_grads`` is what the
tape calls for a node, and the one place where a rule's result is summed back to its input's
shape (undoing broadcasting) and cast to its input's dtype.
"""
from __future__ import annotations

import math
import re
import sys
from typing import Callable

import numpy as onp

from .. import _backend, _native, _ndarray
from .._ndarray import ndarray
from .._tape import PATHS, STATE, Node, Part
from ..base import OpError

OPS: dict = {}
KEEP_WHOLE_BELOW = 65536  # bytes; see Primitive._saved
_new = object.__new__
_PLAIN = frozenset((int, float, bool, complex, type(None)))


class Primitive:
    """An op: ``forward(xp, *raw_inputs, **params) -> raw`` and its VJP rules.

    ``vjps`` holds one rule ``(g, ans, *inputs, **params) -> cotangent`` per positional input
    (None: not differentiable there); a one-input op may give its rule alone. ``vjp_all`` is
    the alternative for variadic ops: one rule returning a tuple with a cotangent (or None) for
    every input. An op with neither is never recorded.

    ``keep`` says what the rules read: input positions and/or ``"ans"``. A node keeps only those
    values alive; for the other inputs it keeps their shape, dtype and device (``Meta``), which
    is all the tape needs. None (the default) keeps everything.

    ``inplace``, for the arithmetic ops: the forward written into the first operand's array,
    which ``binary`` uses when that operand is a large temporary (see ``_elide``).
    """

    __slots__ = ("name", "forward", "vjps", "vjp_all", "differentiable", "keep", "keep_ans",
                 "kept_prefix", "inplace")

    def __init__(self, name: str, forward: Callable, vjps=None, vjp_all=None, register=True,
                 keep=None, inplace=None):
        self.name = name
        self.forward = forward
        self.vjps = None if vjps is None else (vjps,) if callable(vjps) else tuple(vjps)
        self.vjp_all = vjp_all
        self.differentiable = vjps is not None or vjp_all is not None
        self.keep = None if keep is None else frozenset(k for k in keep if k != "ans")
        self.keep_ans = keep is None or "ans" in keep
        # how many leading inputs the node keeps whatever their size: calls with no more
        # inputs than this skip the per-input look in _saved (decided here, once per op)
        self.kept_prefix = _kept_prefix(self.keep)
        # ``inplace(xp, x, y)``: the forward written into ``x`` (None where it cannot be), for
        # a two-operand op whose first operand is a temporary (``binary``'s elision)
        self.inplace = inplace
        if register:  # custom autograd.Functions make one per call and stay out of the registry
            OPS[name] = self

    def __call__(self, *args, **params):
        """The op on ``args``: the fast path for the common calls, else ``general_call``.

        The common calls of a small-array program are one array, two arrays on one device, or
        an array and a Python number, with the result one NumPy array. They skip the general
        unpacking and build the node directly; anything else (more arguments, other types,
        mixed devices, a multi-output op, a CuPy result) takes ``general_call``, the reference
        that the tests also run alone (``use_fast_paths(False)``). NumPy's ``out=`` is not
        looked for here: the functions that accept it call ``call_out``.
        """
        if len(args) == 2:
            return binary(self, args[0], args[1], params)
        if len(args) == 1 and type(args[0]) is ndarray:
            a = args[0]
            device, pa = a._device.result, a._node
            try:
                raw = self.forward(device.xp, a._data, **params) if params else \
                    self.forward(device.xp, a._data)
            except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
                raise _op_error(self.name, e, args) from e
            parents = (pa,)
            tracked = pa is not None
        elif len(args) == 3:  # three arrays on one device (fully_connected's data, weight, bias)
            a, b, c = args
            if type(a) is not ndarray or type(b) is not ndarray or type(c) is not ndarray or \
                    b._device is not a._device or c._device is not a._device:
                return self.general_call(*args, **params)
            device = a._device.result
            try:
                raw = self.forward(device.xp, a._data, b._data, c._data, **params) if params \
                    else self.forward(device.xp, a._data, b._data, c._data)
            except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
                raise _op_error(self.name, e, args) from e
            parents = (a._node, b._node, c._node)
            tracked = parents[0] is not None or parents[1] is not None or parents[2] is not None
        else:
            return self.general_call(*args, **params)
        if type(raw) is not onp.ndarray:
            if not isinstance(raw, onp.generic):  # a tuple, or a CuPy array
                return self._finish(raw, device, args, params, parents)
            raw = onp.asarray(raw)  # NumPy returns scalars from 0-d work
        out = _new(ndarray)
        out._data, out._device = raw, device
        if tracked and STATE.recording and self.differentiable:
            saved = args if len(args) <= self.kept_prefix else self._saved(args)
            out._node = Node(self, saved, params, parents, raw if self.keep_ans else None)
        else:
            out._node = None
        if STATE.tracer is not None:  # hybridize's first call: the one test on the hot path
            STATE.tracer.record(self, args, params, out)
        return out

    def general_call(self, *args, **params):
        """The op on any arguments: the reference path (see ``__call__``)."""
        device, raws, parents = self._unpack(args)
        device = _backend.current_device() if device is None else device.result
        try:
            raw = self.forward(device.xp, *raws, **params)
        except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
            raise _op_error(self.name, e, args) from e
        return self._finish(raw, device, args, params, tuple(parents))

    def _finish(self, raw, device, args, params, parents):
        """The output ndarray(s) of a forward's result, with their node when recording."""
        record = STATE.recording and self.differentiable and parents.count(None) < len(parents)
        if type(raw) is tuple:
            out = self._outputs(raw, device, args, params, parents if record else None)
        else:
            xp = device.xp
            if not isinstance(raw, xp.ndarray):
                raw = xp.asarray(raw)  # NumPy returns scalars from 0-d work
            out = _wrap(raw, device, Node(self, self._saved(args), params, parents,
                                          raw if self.keep_ans else None) if record else None)
        if STATE.tracer is not None:
            STATE.tracer.record(self, args, params, out)
        return out

    def call_out(self, *args, out=None, **params):
        """The op with NumPy's ``out=``: compute, then write into ``out`` (None: a plain call).

        The functions that accept ``out`` (the ``np`` ufunc wrappers, ``__array_ufunc__``,
        ``flip``, ``copy`` ...) call this, so that ``__call__`` never checks for it.
        """
        return write_out(self(*args, **params), out)

    def _unpack(self, args):
        """The device, raw data and tape nodes of the inputs (the general case)."""
        device = None
        raws = []
        parents = []
        for a in args:
            if isinstance(a, ndarray):
                raws.append(a._data)
                parents.append(a._node)
                if a._device is not device:
                    device = a._device if device is None else _common_device(self, device, a)
            elif type(a) in _PLAIN or isinstance(a, onp.generic):
                raws.append(a)
                parents.append(None)
            else:  # MXNet refuses NumPy arrays, lists and the like as operands
                raise TypeError(f"{self.name}: type {type(a)} not supported; expected an mxnp "
                                "ndarray or a Python number")
        return device, raws, parents

    def _saved(self, args):
        """The inputs as the node keeps them: values the rules read, metadata for the rest.

        Arrays under ``KEEP_WHOLE_BELOW`` bytes are kept whole: describing them costs more than
        keeping them. (The gradient table sets it to 0, so that every row checks its ``keep``.)
        """
        keep = self.keep
        if keep is None:
            return args
        saved = args
        for i, a in enumerate(args):
            if i not in keep and isinstance(a, ndarray) and a._data.nbytes >= KEEP_WHOLE_BELOW:
                if saved is args:
                    saved = list(args)
                saved[i] = Meta(a)
        return saved

    def _outputs(self, raws, device, args, params, parents):
        raws = tuple(r if isinstance(r, device.xp.ndarray) else device.xp.asarray(r) for r in raws)
        node = None if parents is None else Node(self, self._saved(args), params, parents, raws)
        outs = []
        for i, raw in enumerate(raws):
            out = _new(ndarray)
            out._data, out._device = raw, device
            out._node = None if node is None else Part(node, i)
            outs.append(out)
        return outs

    def input_grads(self, node, g) -> list:
        """``(parent, cotangent)`` for each input of ``node`` that is on the tape.

        What the walk calls for a node (see ``_tape``). It reads only ``node.inputs``,
        ``params``, ``parents`` (anything but None: on the tape) and ``out`` (the raw output,
        a tuple of them for a multi-output op, None when the rules do not read it); ``g`` is
        the output's cotangent, or for a multi-output op a list with None for the outputs no
        cotangent reached.
        """
        inputs, params, raw = node.inputs, node.params, node.out
        if raw is None:
            ans = None
        elif type(raw) is tuple:
            g, ans = _multi_output_cotangents(node, g)
        else:  # under create_graph the output keeps its node, so rules using `ans` stay traced
            ans = _new(ndarray)
            ans._data, ans._device, ans._node = raw, g._device, node if STATE.recording else None
        every = self.vjp_all(g, ans, *inputs, **params) if self.vjp_all is not None else None
        rules = self.vjps
        pairs = []
        for i, parent in enumerate(node.parents):
            if parent is None:
                continue
            if every is not None:
                gx = every[i]
            elif i < len(rules) and rules[i] is not None:
                gx = rules[i](g, ans, *inputs, **params) if params else rules[i](g, ans, *inputs)
            else:
                continue
            if gx is None:
                continue
            x = inputs[i]
            have = gx._pos if type(gx) is Negated else gx._data  # a Negated stays lazy
            want = x._data if type(x) is ndarray else x  # x may be a Meta
            if have.shape != want.shape or (have.dtype is not want.dtype
                                            and have.dtype != want.dtype):
                gx = _fit(gx, want.shape, want.dtype, self.name)
            pairs.append((parent, gx))
        return pairs


def binary(prim, a, b, params):
    """``prim(a, b, **params)`` (``params`` a dict, None for none): ``Primitive.__call__``'s fast
    path for two operands, which ndarray's operators call directly (no tuple of arguments
    or dict of parameters to build for them). Its last steps (the output, its node, the
    tracer) are ``__call__``'s for one or three arrays, written out in each rather than
    shared: a call more per op is what this path exists to save."""
    if type(a) is ndarray:
        device = a._device
        if type(b) is ndarray and b._device is device:
            device = device.result
            rb, pb = b._data, b._node
        elif type(b) in _PLAIN:
            device = device.result
            rb, pb = b, None
        else:
            return prim.general_call(a, b, **params) if params else prim.general_call(a, b)
        ra, pa = a._data, a._node
    elif type(b) is ndarray and type(a) in _PLAIN:
        device, ra, pa, rb, pb = b._device.result, a, None, b._data, b._node
    else:
        return prim.general_call(a, b, **params) if params else prim.general_call(a, b)
    raw = None
    if prim.inplace is not None and type(ra) is onp.ndarray and ra.nbytes >= ELIDE_MIN and \
            STATE.tracer is None and (pa is None and pb is None or not STATE.recording or
                                      prim.keep is not None and 0 not in prim.keep):
        raw = _elide(prim, a, ra, rb, device)
    if raw is None:
        try:
            raw = prim.forward(device.xp, ra, rb, **params) if params else \
                prim.forward(device.xp, ra, rb)
        except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
            raise _op_error(prim.name, e, (a, b)) from e
    if type(raw) is not onp.ndarray:
        if not isinstance(raw, onp.generic):  # a tuple, or a CuPy array
            return prim._finish(raw, device, (a, b), params or {}, (pa, pb))
        raw = onp.asarray(raw)  # NumPy returns scalars from 0-d work
    out = _new(ndarray)
    out._data, out._device = raw, device
    if (pa is not None or pb is not None) and STATE.recording and prim.differentiable:
        args = (a, b)
        saved = args if 2 <= prim.kept_prefix else prim._saved(args)
        out._node = Node(prim, saved, params or {}, (pa, pb), raw if prim.keep_ans else None)
    else:
        out._node = None
    if STATE.tracer is not None:  # hybridize's first call: the one test on the hot path
        STATE.tracer.record(prim, (a, b), params or {}, out)
    return out


def _multi_output_cotangents(node, g):
    """The cotangents (zeros where the tape has none) and outputs of a multi-output node."""
    device = next(gi._device for gi in g if gi is not None)
    xp = device.xp
    g = [_wrap(xp.zeros_like(o), device) if gi is None else gi for gi, o in zip(g, node.out)]
    # under create_graph each output keeps its link to the node, as a single one does
    ans = tuple(_wrap(o, device, Part(node, i) if STATE.recording else None)
                for i, o in enumerate(node.out))
    return g, ans


def _fit(gx, shape, dtype, name):
    """A rule's result summed down to its input's shape (undoing broadcasting) and cast to its
    input's dtype."""
    if gx.shape != shape:
        gx = sum_to(gx, shape, name)
    return gx if gx.dtype == dtype else gx.astype(dtype)


_FAST_CALL = Primitive.__call__


def use_fast_paths(on: bool) -> bool:
    """Run the fast paths (``Primitive.__call__``'s and the tape's ``walk_to_leaves``), or only
    the general ones, which they must agree with; returns the previous setting. The choice
    is made once, here, never per call."""
    previous = PATHS.fast
    PATHS.fast = bool(on)
    Primitive.__call__ = _FAST_CALL if on else Primitive.general_call
    route_operators(False)
    return previous


def route_operators(through_call: bool) -> None:
    """What ndarray's arithmetic operators call: ``binary`` directly when the fast paths are
    on, else (``through_call``, or the fast paths off) ``Primitive.__call__``, whatever it is
    then (the general path, or the profiler's timing around it)."""
    _ndarray.set_binary(_via_call if through_call or not PATHS.fast else binary)


def _via_call(prim, a, b, params):
    return prim(a, b, **params) if params else prim(a, b)


# ---- elision of temporaries ------------------------------------------------------------------
# As NumPy does for its operators: in ``p + e`` where ``p`` is a large temporary (made by the
# expression, held by nothing else), the sum can go into ``p``'s memory instead of a new array,
# one pass over memory fewer. ``binary`` asks ``_elide`` for ops that have an ``inplace`` form.
ELIDE_MIN = 1 << 18  # bytes: below this the checks cost more than the pass saves (NumPy's too)
_TEMPORARY = None  # what ``_elide`` counts for a temporary (``_calibrate``); () where it cannot
_PROBE = None  # during ``_calibrate``: the counts ``_elide`` saw
_refs = sys.getrefcount


def _elide(prim, a, ra, rb, device):
    """``prim.inplace`` into ``a``'s array ``ra`` where ``a`` is a temporary the interpreter
    drops after this op: nothing but the evaluation stack holds ``a``, nothing but ``a`` holds
    ``ra`` (a whole, writeable NumPy array), and the C frames between the interpreter and
    here are those of an operator the interpreter evaluates, as the probe's were
    (``_libm.interpreter_caller``): any other C code could hold the operand by a borrowed
    reference (NumPy's object loops, a compiled function's argument) and read it again.
    The result equals the forward's. None where this does not apply."""
    if _TEMPORARY is None:
        if _ndarray._binary is not binary:  # calibrated on the operators' direct path only:
            return None  # any other path holds the operand more (a temporary never matches)
        _calibrate()
    counts = (_refs(a), _refs(ra))
    if _PROBE is not None:  # the probe's C frames become the only ones accepted
        _PROBE.append((counts, _LIBM.interpreter_caller(None, True)))
        return None
    if counts != _TEMPORARY or ra.base is not None or not ra.flags.writeable or \
            not ra.flags.c_contiguous or not _LIBM.interpreter_caller():
        return None
    return prim.inplace(device.xp, ra, rb)


def _calibrate() -> None:
    """Sets ``_TEMPORARY`` from an expression the interpreter evaluates on a fresh array: the
    counts that mean "a temporary" here, compiled or not. Elision needs ``mxnp/_libm`` and
    ndarray's operators and this module compiled (interpreted mxnp frames would hold the
    operand too, and ``interpreter_caller`` would stop at them)."""
    global _TEMPORARY, _PROBE, ELIDE_MIN
    _TEMPORARY = ()  # nothing matches it: no elision, also while probing
    own = [getattr(m, "__file__", "") or "" for m in (_LIBM, _ndarray)] + [__file__]
    if _LIBM is None or any(f.endswith(".py") for f in own):
        return
    _LIBM.interpreter_caller(own)
    _PROBE, saved = [], ELIDE_MIN
    ELIDE_MIN = 0
    try:
        eval(compile("fresh() + 0.0", "<mxnp elision probe>", "eval"),
             {"fresh": lambda: _wrap(onp.zeros(4), _backend.cpu())})
        seen = _PROBE
    finally:
        _PROBE, ELIDE_MIN = None, saved
    if len(seen) == 1 and seen[0][1]:
        _TEMPORARY = seen[0][0]


use_fast_paths(PATHS.fast)


def _kept_prefix(keep) -> float:
    if keep is None:
        return float("inf")
    n = 0
    while n in keep:
        n += 1
    return n


class Unit(ndarray):
    """The cotangent a head is seeded with: all ones, known to be ones without reading data.

    It is an ordinary read-only array of ones to every op, except that multiplying by it is
    the identity (1 * y = y). Rules are written ``g * y``; under a ``sum(...)`` head that saves
    a full pass per product, which is most of the gap to a hand-written NumPy backward.
    """

    __slots__ = ()

    def __mul__(self, other):
        if isinstance(other, ndarray) and other.dtype == self.dtype:
            if other.shape == self.shape:
                return other
            shape = onp.broadcast_shapes(self.shape, other.shape)
            return other if shape == other.shape else _broadcast(other, shape)
        # a number or another dtype: the product of plain ones (a plain array takes the fast
        # path of Primitive.__call__, which tests types exactly)
        return _wrap(self._data, self._device) * other

    __rmul__ = __mul__

    def expand(self, shape) -> "Unit":
        """Ones of a broadcast shape: what sum's rule makes of a unit cotangent."""
        return unit(shape, self.dtype, self._device)


def unit(shape, dtype, device) -> Unit:
    """The seed of ones for a head of ``shape``: made once per shape, dtype and device (a
    training loop seeds the same loss every step), a read-only view of one 0-d one."""
    key = (shape, dtype, device)
    out = _UNITS.get(key)
    if out is None:
        one = _ONES.get((dtype, device))
        if one is None:  # one 0-d one per dtype and device, shared by every seed
            with device.use():
                one = _ONES[dtype, device] = device.xp.ones((), dtype)
        if len(_UNITS) >= 64:  # a bounded cache: programs seed a few shapes
            _UNITS.clear()
        out = _UNITS[key] = _new(Unit)
        out._data = one if shape == () else device.xp.broadcast_to(one, shape)
        out._device, out._node = device, None
    return out


_ONES: dict = {}
_UNITS: dict = {}


# elements below which the savers step aside: a pass over a small array costs less than the
# Python that avoids it (the 20-op chain of 16 floats ran ~3% slower with them)
LAZY_MIN = 1 << 14


class Negated(ndarray):
    """``-g`` for a cotangent ``g``, computed only if something reads it.

    The rules of ``negative`` and of ``subtract``'s second input give it (``negated``) in a
    backward that records nothing. Where the sign can be carried it is: a product or quotient
    stays lazy (``(-g) * y == -(g * y)`` exactly), adding it to another cotangent subtracts, and
    a leaf's buffer takes it by subtracting or negating in place (``autograd._absorb``): one
    full pass fewer than making ``-g`` first. Any other read of the data gets ``-g``, made once.
    """

    __slots__ = ("_neg", "_pos")

    @property
    def _data(self):
        neg = self._neg
        if neg is None:
            neg = self._neg = self._device.xp.negative(self._pos)
        return neg

    shape = property(lambda self: self._pos.shape)
    dtype = property(lambda self: self._pos.dtype)
    size = property(lambda self: self._pos.size)
    ndim = property(lambda self: self._pos.ndim)

    def positive(self) -> ndarray:
        """``g`` itself: what this is the negation of."""
        return _wrap(self._pos, self._device)

    def __neg__(self):
        return self.positive()

    def __mul__(self, other):
        return negated(self.positive() * other)

    def __rmul__(self, other):
        return negated(other * self.positive())

    def __truediv__(self, other):
        return negated(self.positive() / other)

    def __add__(self, other):  # (-g) + y == y - g exactly
        return other - self.positive()

    __radd__ = __add__

    def __sub__(self, other):  # (-g) - y == -(g + y)
        return negated(self.positive() + other)

    def __rsub__(self, other):  # y - (-g) == y + g
        return other + self.positive()

    # never in place: ``a += b`` on one rebinds ``a`` to a new array (ndarray's in-place forms
    # would write into the made-once negation and leave ``_pos`` stale)
    __iadd__, __isub__, __imul__, __itruediv__ = __add__, __sub__, __mul__, __truediv__


def negated(g):
    """``-g`` for a cotangent: a ``Negated`` in a backward that records nothing (float data),
    else the op itself (a recorded graph needs it)."""
    if type(g) is Negated:
        return g.positive()
    if STATE.recording or STATE.tracer is not None or g._data.dtype.kind != "f" or \
            g.size < LAZY_MIN:
        return -g
    out = _new(Negated)
    out._pos, out._neg, out._device, out._node = g._data, None, g._device, None
    return out


def scaled(g, fresh):
    """``g * fresh`` for an array ``fresh`` that a rule has just made and holds alone: in a
    backward that records nothing, multiplied into ``fresh`` in place (the same values, one
    allocation and one pass fewer)."""
    if type(g) is Negated:
        return negated(scaled(g.positive(), fresh))
    if type(g) is not ndarray or type(fresh) is not ndarray or STATE.recording or \
            STATE.tracer is not None or fresh.size < LAZY_MIN:
        return g * fresh
    a, b = g._data, fresh._data
    if a.dtype != b.dtype or a.shape != b.shape or type(b) is not onp.ndarray or \
            not b.flags.writeable:
        return g * fresh
    onp.multiply(b, a, out=b)
    return fresh


def _broadcast(x, shape):
    # shape.py defines its ops with Primitive from this module: importing it at the top
    # would close the cycle primitive -> shape -> primitive
    from .shape import broadcast_to

    return broadcast_to(x, shape)


class Meta:
    """What a node remembers of an input whose value its rules never read."""

    __slots__ = ("shape", "dtype", "_device")

    def __init__(self, a: ndarray):
        self.shape, self.dtype, self._device = a._data.shape, a._data.dtype, a._device

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(onp.prod(self.shape)))


def write_out(result: ndarray, out) -> ndarray:
    """Write ``result`` into ``out`` when given (it then takes the result's place on the tape)."""
    if out is None:
        return result
    if not isinstance(out, ndarray):
        raise TypeError(f"out must be an mxnp ndarray, got {type(out).__name__}")
    if out.shape != result.shape:
        raise OpError(f"out: expected an array of shape {result.shape}, got {out.shape}")
    out._data[...] = result._data
    out._node = result._node
    if STATE.tracer is not None:  # later reads of `out` are reads of the result
        STATE.tracer.alias(out, result)
    return out


def _wrap(raw, device, node=None) -> ndarray:
    out = _new(ndarray)
    out._data, out._device, out._node = raw, device, node
    return out


def _common_device(prim, device, a):
    other = a._device
    if device.xp is not other.xp:
        raise OpError(f"{prim.name}: inputs on {device} and {other}; move one with "
                      ".as_in_ctx() so that all inputs share a device")
    return device


_NOT_BROADCAST = re.compile(r"operands could not be broadcast together with shapes "
                            r"\(([\d,]*?),?\) \(([\d,]*?),?\) ?")


def _op_error(name: str, e: Exception, args) -> Exception:
    """The backend's error, restated with the op's name and its inputs' shapes and dtypes."""
    shapes = ", ".join(f"{a.shape} {a.dtype}" for a in args if isinstance(a, ndarray))
    text = str(e)
    if text.startswith(f"{name}: "):  # a check inside the forward named the op already
        text = text[len(name) + 2:]
    found = _NOT_BROADCAST.fullmatch(text)
    if found:  # MXNet's words for two shapes that do not broadcast
        text = "Check failed: l == 1 || r == 1: operands could not be broadcast together " \
               f"with shapes [{found[1]}] [{found[2]}]"
    msg = f"{name}: {text}" + (f" (inputs: {shapes})" if shapes else "")
    if isinstance(e, ValueError):  # NumPy's AxisError too, which MXNet raises as MXNetError
        return OpError(msg)
    # the builtin kind, not the backend's subclass (whose constructor may want more arguments)
    for kind in (IndexError, ZeroDivisionError):
        if isinstance(e, kind):
            return kind(msg)
    return TypeError(msg)


WIDE_SUM_TERMS = 256  # sum_to's float32 sums of this many terms or more run in float64
# sums of up to KAHAN_MAX elements, none longer than KAHAN_CHAIN terms, add as MXNet's kernel
# does (reduction.kahan_sum)
KAHAN_MAX, KAHAN_CHAIN = 1 << 18, 1 << 14
_LIBM = _native.libm()  # mxnp/_libm (compiled): sums, and _elide; None on the pure-Python path


def compensated(size: int, terms: int) -> bool:
    """Whether ``size`` elements summed ``terms`` at a time add as MXNet's kernel does
    (``reduction.kahan_sum``): mxnp/_libm is built, and neither is too long for it."""
    return _LIBM is not None and 0 < size <= KAHAN_MAX and terms <= KAHAN_CHAIN


def sum_to(g: ndarray, shape: tuple, name: str = "backward") -> ndarray:
    """Sum ``g`` down to ``shape``: the adjoint of broadcasting ``shape`` to ``g.shape``."""
    lead = g.ndim - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, g.shape[lead:])):
        raise OpError(f"{name}: gradient of shape {g.shape} does not broadcast from the input "
                      f"shape {shape}")
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i + lead] != 1)
    if not lead and not axes:
        return g
    # MXNet's sum compensates (Kahan): the sum op does the same up to KAHAN_MAX elements where
    # mxnp/_libm is built; else long float16/float32 sums accumulate in float64, since NumPy
    # adds along a strided axis one row at a time, whose rounding error grows with the rows
    terms = g.size // math.prod(shape) if math.prod(shape) else 0
    wide = "float64" if g._data.dtype.kind == "f" and g._data.dtype.itemsize < 8 and \
        terms >= WIDE_SUM_TERMS and not compensated(g.size, terms) else None
    # the np methods, also for a legacy NDArray cotangent (whose sum takes no dtype)
    out = ndarray.sum(g, axis=tuple(range(lead)) + tuple(a + lead for a in axes), dtype=wide)
    out = ndarray.reshape(out, shape) if out.shape != shape else out
    return ndarray.astype(out, g.dtype) if wide else out
