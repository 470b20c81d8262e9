"""``mx.sym.<operator>``: the Symbol-making function of each registered operator, binding its
arguments as MXNet's generated functions do."""
from __future__ import annotations

import inspect

from .. import attribute
from ..base import MXNetError
from . import _opdefs
from .symbol import Symbol, apply_op

# operators the registry computes through another row but MXNet writes under their own name
_OWN_NAMES = frozenset({"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div",
                        "make_loss", "_rnn_param_concat"})
# MXNet's other names of the elemwise operators (mx.sym._internal._plus writes elemwise_add)
_ELEMWISE = {**dict.fromkeys(("_add", "_plus", "_Plus"), "elemwise_add"),
             **dict.fromkeys(("_sub", "_minus", "_Minus"), "elemwise_sub"),
             **dict.fromkeys(("_mul", "_Mul"), "elemwise_mul"),
             **dict.fromkeys(("_div", "_Div"), "elemwise_div")}


def _bind(op: str, sig: inspect.Signature, args, kwargs) -> dict:
    """Arguments by parameter name, as MXNet's generated functions bind them (inputs first,
    then the attributes, positionally or by keyword); a variadic op's inputs are a tuple."""
    try:
        bound = dict(sig.bind_partial(*args, **kwargs).arguments)
    except TypeError as e:
        raise TypeError(f"mx.sym.{op}: {e}") from None
    for p in sig.parameters.values():
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            bound.update(bound.pop(p.name, {}))
    return bound


def _hidden_keywords(kwargs: dict, attr):
    """``attr`` with the keywords MXNet takes as node attributes (``lr_mult=0``,
    ``ctx_group='dev1'`` ..., and any ``__key__=`` such as ``__layout__``) moved into it from
    ``kwargs``; ``bias_lr_mult=`` raises MXNet's error (a variable's multiplier belongs on the
    variable)."""
    hidden = {}
    for key in list(kwargs):
        if key in attribute.HIDDEN_KEYS or (key.startswith("__") and key.endswith("__")):
            hidden[key] = str(kwargs.pop(key))
            continue
        for k in attribute.HIDDEN_KEYS:
            if key.endswith("_" + k):
                raise MXNetError(f"setting variable attributes with {key} is deprecated. please "
                                 f"instead use\nw = Variable({k}={kwargs[key]})\nsym = "
                                 f"YourSymbolName({key[:-len(k) - 1]}=w)")
    if not hidden:
        return attr
    return {**hidden, **attr} if isinstance(attr, dict) else hidden if attr is None else attr


def op_function(op: str, hint: str | None = None):
    """``mx.sym.<op>``: the node of an operator; its inputs come first (a missing one becomes
    a variable ``<name>_<input>``), then its attributes, as in MXNet's functions. Nodes are
    named after ``hint`` (default: the operator's name), lower-cased."""
    hint = (hint or op).lower()
    row = _opdefs.require(op)
    # split writes SliceChannel, _plus elemwise_add, as MXNet
    canonical = op if op in _OWN_NAMES else _ELEMWISE.get(op, row.name)
    sig = _opdefs.signature(op)
    variadic = next((p.name for p in sig.parameters.values()
                     if p.kind is inspect.Parameter.VAR_POSITIONAL), None)
    # an explicit None is kept ("None" in the JSON) where it is not the default: an attribute
    # without one (MXNet's slice_axis(end=None)) or with another (sort(axis=None) flattens)
    none_kept = {p.name for p in sig.parameters.values() if p.default is not None}
    # an operator without attributes of its own keeps any other keyword as a node attribute
    # (MXNet's broadcast_add(a, b, axis=0) writes "axis": "0"), which computing ignores
    free = variadic is None and all(p.name in _opdefs.input_names(op, {}) + ["name", "attr"]
                                    for p in sig.parameters.values())

    def make(*args, name=None, attr=None, out=None, **kwargs):
        # ``out`` (an NDArray argument) is taken and ignored, as MXNet's Symbol functions do
        attr = _hidden_keywords(kwargs, attr)
        ignored = {k: _opdefs.attr_string(kwargs.pop(k)) for k in list(kwargs)
                   if k not in sig.parameters} if free else {}
        bound = _bind(op, sig, args, kwargs)
        if variadic is not None:
            inputs = bound.pop(variadic, ())
            named = {k: bound.pop(k) for k in list(bound) if isinstance(bound[k], Symbol)}
            if isinstance(inputs, Symbol):  # given by keyword: an input named as the *args
                named, inputs = {variadic: inputs, **named}, ()
            inputs = list(inputs)
            attrs = {k: _opdefs.attr_string(v) for k, v in bound.items() if v is not None}
            if row.variadic:  # the count attribute: num_arrays for the multi_* ops
                count = "num_arrays" if "num_arrays" in sig.parameters else "num_args"
                attrs.setdefault(count, str(len(inputs)))
            else:  # Custom: *data named by its CustomOpProp, positionally or by keyword; a
                # missing one becomes a variable
                names = _opdefs.input_names(op, attrs)
                misplaced = sorted(set(named) - set(names[len(inputs):]))
                if misplaced:
                    raise TypeError(f"mx.sym.{op}: {misplaced} are not inputs of the operator; "
                                    f"its inputs are {names}")
                inputs += [named.get(n) for n in names[len(inputs):]]
            return apply_op(canonical, inputs, attrs, name, hint, attr)
        attrs = {k: _opdefs.attr_string(v) for k, v in bound.items()
                 if (v is not None or k in none_kept) and not isinstance(v, Symbol)}
        names = _opdefs.input_names(op, attrs)
        misplaced = sorted(k for k, v in bound.items() if isinstance(v, Symbol) and
                           k not in names)
        if misplaced:
            raise TypeError(f"mx.sym.{op}: {misplaced} are not inputs of the operator; its "
                            f"inputs are {names}")
        attrs = {**{k: v for k, v in attrs.items() if k not in names}, **ignored}
        inputs = [bound.get(n) for n in names]
        return apply_op(canonical, inputs, attrs, name, hint, attr)

    make.__name__ = make.__qualname__ = op
    make.__doc__ = f"A Symbol node of MXNet's {op} operator (computed as mx.nd.{op} computes)."
    make.__signature__ = sig
    return make


def namespace_getattr(namespace: str, prefix: str):
    """The module ``__getattr__`` of ``mx.sym.<namespace>``: ``<prefix><name>`` as an operator
    function (``mx.sym.linalg.gemm2`` makes ``_linalg_gemm2``), or a registered operator of
    the short name itself (``mx.sym.contrib.ctc_loss``, ``mx.sym.sparse.dot``). As MXNet's
    generated functions, the contrib, linalg and image ones name their nodes after the short
    name (``gemm20``); the random ones are MXNet Python wrappers, whose nodes keep the
    operator's (``_random_...``)."""
    short = namespace in ("contrib", "linalg", "image")

    def getattr_(name: str):
        if not name.startswith("__"):
            for op in (prefix + name, name if namespace in ("contrib", "sparse") else None):
                if op is not None and _opdefs.find(op) is not None:
                    return op_function(op, name if short else None)
        raise AttributeError(f"module 'mxnp.symbol.{namespace}' has no attribute {name!r}")
    return getattr_


def namespace_dir(namespace: str, prefix: str, own: dict):
    """The module ``__dir__`` of ``mx.sym.<namespace>``: its own names (``own``, the module's
    globals) and the short name of every operator ``namespace_getattr`` finds there, those
    of ``<prefix><name>`` and, for contrib and sparse, those ``mx.nd.<namespace>`` lists, so
    that ``dir()`` shows the operators as MXNet's generated modules do."""
    import importlib

    def dir_() -> list:
        found = {op[len(prefix):] for op in _opdefs.names() if op.startswith(prefix)}
        if namespace in ("contrib", "sparse"):
            nd = importlib.import_module(f"...ndarray.{namespace}", __name__)
            found |= {n for n in dir(nd) if not n.startswith("_") and _opdefs.find(n)}
        return sorted(set(own) | found)
    return dir_
