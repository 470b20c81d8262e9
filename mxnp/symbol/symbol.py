"""``Symbol``: a graph of operators on named variables (MXNet's legacy ``mx.sym``).

A Symbol is a list of outputs, each ``(node, output index)``; the nodes (``_node.Node``) hold
the operator name and its attributes as strings, as MXNet's JSON does. Evaluating, binding and
shape inference run the graph on mxnp's arrays (``executor.py``, ``_infer.py``).
"""
from __future__ import annotations

import functools
import math

import numpy as onp

from .. import attribute
from .._io import missing_file_message
from ..base import MXNetError, NotImplementedForSymbol
from . import _json, _opdefs
from ._infer import infer_shape, infer_type
from ._node import Node, substitute, topo_order
from .executor import Executor, run_graph, simple_bind

# Python operator -> (op on two symbols, its name hint, op with a scalar, its name hint,
# op with the scalar on the left, its hint): MXNet's names, as tojson() shows them
_ARITH = {
    "add": ("elemwise_add", "_plus", "_plus_scalar", "_plusscalar", "_plus_scalar",
            "_plusscalar"),
    "sub": ("elemwise_sub", "_minus", "_minus_scalar", "_minusscalar", "_rminus_scalar",
            "_rminusscalar"),
    "mul": ("elemwise_mul", "_mul", "_mul_scalar", "_mulscalar", "_mul_scalar", "_mulscalar"),
    "div": ("elemwise_div", "_div", "_div_scalar", "_divscalar", "_rdiv_scalar", "_rdivscalar"),
    "pow": ("_power", "_power", "_power_scalar", "_powerscalar", "_rpower_scalar",
            "_rpower_scalar"),
    "mod": ("_mod", "_mod", "_mod_scalar", "_modscalar", "_rmod_scalar", "_rmodscalar"),
    "maximum": ("_maximum", "_maximum", "_maximum_scalar", "_maximumscalar", "_maximum_scalar",
                "_maximumscalar"),
    "minimum": ("_minimum", "_minimum", "_minimum_scalar", "_minimumscalar", "_minimum_scalar",
                "_minimumscalar"),
    "hypot": ("_hypot", "_hypot", "_hypot_scalar", "_hypotscalar", "_hypot_scalar",
              "_hypotscalar"),
    # comparisons: Python turns ``1 < x`` into ``x > 1`` itself, so they are never reversed
    **{key: (f"_{op}", f"_{op}", f"_{op}_scalar", f"_{op}_scalar", None, None)
       for key, op in (("eq", "equal"), ("ne", "not_equal"), ("gt", "greater"),
                       ("ge", "greater_equal"), ("lt", "lesser"), ("le", "lesser_equal"))},
}


# MXNet's Symbol methods that apply the operator of the same name to the symbol
_FLUENT = frozenset({
    "reshape", "reshape_like", "zeros_like", "ones_like", "broadcast_axes", "repeat", "pad",
    "swapaxes", "split", "split_v2", "slice", "slice_axis", "slice_like", "take", "one_hot",
    "pick", "sort", "topk", "argsort", "argmax", "argmax_channel", "argmin", "clip", "abs",
    "sign", "flatten", "shape_array", "size_array", "expand_dims", "broadcast_to",
    "broadcast_like", "tile", "transpose", "flip", "depth_to_space", "space_to_depth", "diag",
    "sum", "nansum", "prod", "nanprod", "mean", "max", "min", "norm", "round", "rint", "fix",
    "floor", "ceil", "trunc", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "degrees",
    "radians", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "exp", "expm1", "log",
    "log10", "log2", "log1p", "sqrt", "rsqrt", "cbrt", "rcbrt", "square", "reciprocal", "relu",
    "sigmoid", "softmax", "log_softmax", "softmin", "squeeze"})


class Symbol:
    """A symbolic graph's outputs (one for an operator or a variable, several for a Group)."""

    __slots__ = ("_outputs",)
    __array_priority__ = 1000.0  # so that 1 + sym comes here, not to NumPy

    def __init__(self, outputs):
        self._outputs = list(outputs)

    # ---- structure ------------------------------------------------------------------------
    @property
    def name(self):
        """The node's name; None for a group of several outputs."""
        return self._outputs[0][0].name if len(self._outputs) == 1 else None

    def __repr__(self) -> str:
        kind = type(self).__name__  # _Symbol for the numpy face, as MXNet shows it
        if len(self._outputs) == 1:
            return f"<{kind} {self.name}>"
        return f"<{kind} group [" + ", ".join(n.name for n, _ in self._outputs) + "]>"

    def __len__(self) -> int:
        return len(self._outputs)

    def __iter__(self):
        return (Symbol([o]) for o in self._outputs)

    def __getitem__(self, index):
        """One output, by position or by its name (``'fc1_output'``)."""
        if isinstance(index, str):
            names = self.list_outputs()
            if index not in names:
                raise ValueError(f"Symbol.__getitem__: no output named {index!r}; the outputs "
                                 f"are {names}")
            index = names.index(index)
        if not isinstance(index, int):
            raise TypeError(f"Symbol.__getitem__: expected an int or a str, got "
                            f"{type(index).__name__}")
        if not -len(self._outputs) <= index < len(self._outputs):
            raise IndexError(f"Symbol.__getitem__: index {index} out of range for "
                             f"{len(self._outputs)} outputs")
        return Symbol([self._outputs[index]])

    def _nodes(self) -> list:
        return topo_order(self._outputs)

    def _aux_ids(self) -> set:
        """ids of the variables that feed an operator's auxiliary (mutable) inputs."""
        aux = set()
        for node in self._nodes():
            if not node.is_variable:
                for i in _opdefs.aux_positions(node):
                    if i < len(node.inputs):
                        aux.add(id(node.inputs[i][0]))
        return aux

    def list_outputs(self) -> list:
        """The outputs' names (``fc1_output``; a variable's own name)."""
        return [_opdefs.output_label(n, i) for n, i in self._outputs]

    def list_inputs(self) -> list:
        """Every variable, arguments and auxiliary states, in graph order."""
        return [n.name for n in self._nodes() if n.is_variable]

    def list_arguments(self) -> list:
        """The variables that are not auxiliary states, in graph order."""
        aux = self._aux_ids()
        return [n.name for n in self._nodes() if n.is_variable and id(n) not in aux]

    def list_auxiliary_states(self) -> list:
        """The variables an operator updates itself (BatchNorm's moving statistics)."""
        aux = self._aux_ids()
        return [n.name for n in self._nodes() if n.is_variable and id(n) in aux]

    def get_internals(self) -> Symbol:
        """A group of every output of every node, in graph order."""
        return Symbol([(n, i) for n in self._nodes() for i in range(n.num_outputs)])

    def get_children(self):
        """A group of the inputs of this symbol's node(s); None for a variable."""
        nodes = list({id(n): n for n, _ in self._outputs}.values())  # a split's outputs: once
        inputs = [x for n in nodes for x in n.inputs]
        return Symbol(inputs) if inputs else None

    def __bool__(self):
        raise NotImplementedForSymbol("Symbol.__bool__: a Symbol has no truth value (it holds "
                                      "no data); evaluate it first")

    # ---- attributes -----------------------------------------------------------------------
    def attr(self, key: str):
        """The attribute ``key`` of this node as a string, or None (``lr_mult`` finds the
        stored ``__lr_mult__``, as in MXNet)."""
        self._single("attr")
        return self._outputs[0][0].attrs.get(attribute.hidden_key(key))

    def list_attr(self, recursive: bool = False) -> dict:
        """This node's attributes (``recursive`` is refused, as in MXNet 1.9.1)."""
        if recursive:
            raise DeprecationWarning("Symbol.list_attr with recursive=True has been deprecated. "
                                     "Please use attr_dict instead.")
        self._single("list_attr")
        return attribute.shown(self._outputs[0][0].attrs)

    def attr_dict(self) -> dict:
        """``{node name: its attributes}`` for every node that has any, as list_attr shows
        them."""
        return {n.name: attribute.shown(n.attrs) for n in self._nodes() if n.attrs}

    def _set_attr(self, **kwargs) -> None:
        """Set string attributes on this node (``lr_mult`` is stored as ``__lr_mult__``)."""
        for key, value in kwargs.items():
            if not isinstance(value, str):  # MXNet raises ValueError here
                raise ValueError(f"Symbol._set_attr: the value of {key!r} must be a "  # noqa: TRY004
                                 f"string, got {type(value).__name__}")
            for node, _ in self._outputs:
                node.attrs[attribute.hidden_key(key)] = value

    def _single(self, what: str) -> None:
        if len(self._outputs) != 1:
            raise MXNetError(f"Symbol.{what}: only a single-output symbol has attributes; "
                             f"this is a group of {len(self._outputs)}")

    # ---- files ----------------------------------------------------------------------------
    def tojson(self, remove_amp_cast: bool = True) -> str:
        """The graph in MXNet's JSON format."""
        return _json.dumps(self._outputs)

    def save(self, fname: str, remove_amp_cast: bool = True) -> None:
        """Write ``tojson()`` to ``fname``."""
        with open(fname, "w") as f:
            f.write(self.tojson())

    # ---- shapes, types, evaluation ---------------------------------------------------------
    def infer_shape(self, *args, **kwargs):
        """(argument shapes, output shapes, auxiliary shapes) from some known input shapes;
        (None, None, None) when they cannot all be found."""
        return infer_shape(self, args, kwargs, partial=False)

    def infer_shape_partial(self, *args, **kwargs):
        """As infer_shape, with ``()`` for the shapes that stay unknown."""
        return infer_shape(self, args, kwargs, partial=True)

    def infer_type(self, *args, **kwargs):
        """(argument dtypes, output dtypes, auxiliary dtypes) from some known input dtypes;
        (None, None, None) when they cannot all be found."""
        return infer_type(self, args, kwargs)

    def infer_type_partial(self, *args, **kwargs):
        """As infer_type, with None for the dtypes that stay unknown."""
        return infer_type(self, args, kwargs, partial=True)

    def eval(self, ctx=None, **kwargs) -> list:
        """The outputs computed from the arrays ``kwargs`` (one per input), as a list."""
        return run_graph(self, kwargs, ctx=ctx, is_train=False)

    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None,
             group2ctx=None, shared_exec=None):
        """An Executor over given argument arrays (a list in list_arguments order or a dict);
        ``group2ctx`` (``{ctx_group: Context}``) places its outputs as MXNet's does."""
        return Executor(self, ctx, args, args_grad, grad_req, aux_states, group2ctx)

    def simple_bind(self, ctx, grad_req="write", type_dict=None, stype_dict=None,
                    group2ctx=None, shared_arg_names=None, shared_exec=None,
                    shared_buffer=None, **kwargs):
        """An Executor with zero arrays shaped by ``infer_shape(**kwargs)``; keyword arguments
        that are not shapes (tuples or lists) are ignored, as MXNet ignores them. With
        ``group2ctx`` (``{ctx_group: Context}``) an argument made under
        ``AttrScope(ctx_group=g)`` and its gradient and auxiliary arrays lie on
        ``group2ctx[g]``."""
        shapes = {k: v for k, v in kwargs.items() if isinstance(v, (tuple, list))}
        return simple_bind(self, ctx, grad_req, type_dict or {}, shapes, stype_dict,
                           group2ctx)

    def __copy__(self) -> Symbol:
        return type(self)(self._outputs)

    def __deepcopy__(self, memo) -> Symbol:
        return type(self)(load_json(self.tojson())._outputs)

    # ---- the numpy face -------------------------------------------------------------------
    def as_np_ndarray(self):
        """A Symbol of numpy semantics (``mx.sym.np._Symbol``) over the same graph."""
        from ._npsymbol import _Symbol  # _npsymbol subclasses Symbol: a cycle
        return _Symbol(self._outputs)

    def as_nd_ndarray(self) -> Symbol:
        """This symbol itself (it already has the legacy semantics)."""
        return self

    # ---- fluent methods: x.reshape(...), x.sum(axis=1), ... call mx.sym.<op>(x, ...) -------
    def __getattr__(self, name: str):
        if name in _FLUENT and _opdefs.find(name) is not None:
            from ._functions import op_function  # _functions builds Symbols: a cycle
            return functools.partial(op_function(name), self)
        raise AttributeError(f"'Symbol' object has no attribute {name!r}")

    def astype(self, dtype) -> Symbol:
        """This symbol cast to ``dtype`` (MXNet's Cast)."""
        from ._functions import op_function  # _functions builds Symbols: a cycle
        return op_function("Cast")(self, dtype=dtype)

    def __call__(self, *args, **kwargs) -> Symbol:
        """A copy of this graph with variables replaced by other Symbols (MXNet's compose),
        given by variable name."""
        name = kwargs.pop("name", None)
        if args:
            raise MXNetError("Symbol.__call__: general composition only supports keyword "
                             "arguments (variable=symbol), as in MXNet")
        if not all(isinstance(v, Symbol) and len(v) == 1 for v in kwargs.values()):
            raise TypeError("Symbol.__call__: each replacement must be a single-output Symbol")
        outputs = substitute(self._outputs, {k: v._outputs[0] for k, v in kwargs.items()})
        if name is not None:  # MXNet names the composed head node
            if len({id(n) for n, _ in outputs}) != 1 or outputs[0][0].is_variable:
                raise MXNetError("Symbol.__call__: name= needs a symbol of one operator node")
            outputs[0][0].name = name
        return Symbol(outputs)

    # ---- arithmetic -----------------------------------------------------------------------
    def _arith(self, key: str, other, reverse: bool = False) -> Symbol:
        both, both_hint, scalar, hint, rscalar, rhint = _ARITH[key]
        if isinstance(other, Symbol):
            lhs, rhs = (other, self) if reverse else (self, other)
            return apply_op(both, [lhs, rhs], {}, hint=both_hint)
        if isinstance(other, (int, float, onp.number)) and not isinstance(other, bool):
            op, h = (rscalar, rhint) if reverse else (scalar, hint)
            return apply_op(op, [self], {"scalar": str(other)}, hint=h)
        return NotImplemented

    def __add__(self, other):
        return self._arith("add", other)

    def __radd__(self, other):
        return self._arith("add", other, True)

    def __sub__(self, other):
        return self._arith("sub", other)

    def __rsub__(self, other):
        return self._arith("sub", other, True)

    def __mul__(self, other):
        return self._arith("mul", other)

    def __rmul__(self, other):
        return self._arith("mul", other, True)

    def __truediv__(self, other):
        return self._arith("div", other)

    def __rtruediv__(self, other):
        return self._arith("div", other, True)

    def __pow__(self, other):
        return self._arith("pow", other)

    def __rpow__(self, other):
        return self._arith("pow", other, True)

    def __mod__(self, other):
        return self._arith("mod", other)

    def __rmod__(self, other):
        return self._arith("mod", other, True)

    def __neg__(self):
        return self._arith("mul", -1.0)

    # comparisons give Symbols of 1/0, as MXNet's (so ``sym == sym`` is not a truth value)
    def __eq__(self, other):
        return self._arith("eq", other)

    def __ne__(self, other):
        return self._arith("ne", other)

    def __gt__(self, other):
        return self._arith("gt", other)

    def __ge__(self, other):
        return self._arith("ge", other)

    def __lt__(self, other):
        return self._arith("lt", other)

    def __le__(self, other):
        return self._arith("le", other)

    __hash__ = object.__hash__  # (MXNet's Symbol is unhashable; mxnp keeps them usable as keys)


# ---- making symbols -------------------------------------------------------------------------
def _name_for(name, hint: str) -> str:
    from ..name import current  # mx.name sits in layer 6; its manager only counts names
    return current().get(name, hint)


def var(name: str, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
        stype=None, **kwargs) -> Symbol:
    """A variable: a named input of the graph, with optional shape, dtype and hints, and the
    attributes of the current ``mx.AttrScope`` (``attr`` overrides them)."""
    if not isinstance(name, str):
        raise TypeError(f"mx.sym.var: expected a str name, got {type(name).__name__}")
    attrs = _user_attrs("var", attr)
    if shape is not None:
        attrs["__shape__"] = str(tuple(shape))
    if lr_mult is not None:
        attrs["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        attrs["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        attrs["__dtype__"] = str(_json.dtype_flag(dtype))
    if init is not None:
        attrs["__init__"] = init if isinstance(init, str) else init.dumps()
    if stype is not None:
        if stype not in ("default", "row_sparse", "csr"):
            raise ValueError(f"mx.sym.var: stype must be 'default', 'row_sparse' or 'csr', got "
                             f"{stype!r}")
        attrs["__storage_type__"] = str(("default", "row_sparse", "csr").index(stype))
    for key, value in kwargs.items():
        if not (key.startswith("__") and key.endswith("__")):
            raise ValueError(f"mx.sym.var: attribute {key!r} must look like __key__")
        attrs[key] = str(value)
    return Symbol([(Node(None, name, attrs), 0)])


Variable = var


def _binary(key: str, what: str, lhs, rhs):
    """``mx.sym.pow``/``maximum``/...: either side a Symbol or a number."""
    out = NotImplemented
    if isinstance(lhs, Symbol):
        out = lhs._arith(key, rhs)
    elif isinstance(rhs, Symbol):
        if key == "pow" and isinstance(lhs, (int, float)):  # MXNet's function names it so
            return apply_op("_rpower_scalar", [rhs], {"scalar": str(lhs)}, hint="_rpowerscalar")
        out = rhs._arith(key, lhs, reverse=True)
    elif isinstance(lhs, (int, float)) and isinstance(rhs, (int, float)):
        return _NUMBERS[key](lhs, rhs)
    if out is not NotImplemented:
        return out
    raise TypeError(f"mx.sym.{what}: expected Symbols or numbers, got {type(lhs).__name__} and "
                    f"{type(rhs).__name__}")


_NUMBERS = {"pow": pow, "maximum": max, "minimum": min, "hypot": lambda a, b: math.hypot(a, b)}


def power(base, exp):
    """``base ** exp``, either of them a Symbol or a number (two numbers give a number)."""
    return _binary("pow", "power", base, exp)


pow = power


def maximum(left, right):
    """The larger of the two, elementwise; either a Symbol or a number."""
    return _binary("maximum", "maximum", left, right)


def minimum(left, right):
    """The smaller of the two, elementwise; either a Symbol or a number."""
    return _binary("minimum", "minimum", left, right)


def hypot(left, right):
    """``sqrt(left**2 + right**2)``, elementwise; either a Symbol or a number."""
    return _binary("hypot", "hypot", left, right)


def Group(symbols) -> Symbol:
    """One symbol with the outputs of all ``symbols``."""
    symbols = list(symbols)
    if not symbols or not all(isinstance(s, Symbol) for s in symbols):
        raise TypeError("mx.sym.Group: expected a non-empty list of Symbols")
    return Symbol([o for s in symbols for o in s._outputs])


def apply_op(op: str, inputs, attrs: dict, name=None, hint=None, attr=None) -> Symbol:
    """A node of ``op`` on ``inputs`` (Symbols, or None for an input to make as a variable
    ``<name>_<input>``, as MXNet does for a weight not passed); ``attrs`` are strings."""
    name = _name_for(name, hint or op.lower())
    input_names = _opdefs.input_names(op, attrs, len(inputs))
    node_attrs = dict(attrs)
    node_attrs.update(_user_attrs(op, attr))
    _opdefs.check_required(op, node_attrs)
    edges = []
    for i, s in enumerate(inputs):
        if s is None:
            # MXNet gives a variable it makes the node's attributes (fc1_weight: num_hidden,
            # and the scope's __ctx_group__ ...)
            extra = dict(node_attrs)
            extra.update(_opdefs.variable_attrs(op, input_names[i]))
            s = Symbol([(Node(None, f"{name}_{input_names[i]}", extra), 0)])
        elif isinstance(s, Symbol) and len(s._outputs) == 1 and s._outputs[0][0].is_variable \
                and "__init__" not in s._outputs[0][0].attrs:
            # as MXNet, the operator writes its initializer on the variable passed to it
            s._outputs[0][0].attrs.update(_opdefs.variable_attrs(op, input_names[i]))
        if not isinstance(s, Symbol):
            raise TypeError(f"mx.sym.{op}: input {input_names[i]!r} must be a Symbol, got "
                            f"{type(s).__name__}")
        if len(s._outputs) != 1:
            raise MXNetError(f"mx.sym.{op}: input {input_names[i]!r} is a group of {len(s)} "
                             "outputs; pass one output")
        edges.append(s._outputs[0])
    node = Node(op, name, node_attrs, edges, _opdefs.num_outputs(op, attrs) or 1)
    return Symbol([(node, i) for i in range(node.num_outputs)])


def _user_attrs(what: str, attr) -> dict:
    """The current AttrScope's attributes updated with ``attr``, keys as the graph stores
    them."""
    if attr is not None and not isinstance(attr, dict):
        raise TypeError(f"mx.sym.{what}: attr must be a dict of strings, got "
                        f"{type(attr).__name__}")
    merged = attribute.current().get(attr)
    for key, value in merged.items():
        if not isinstance(value, str):  # MXNet raises ValueError here
            raise ValueError(f"mx.sym.{what}: the value of attribute {key!r} must be a string, "  # noqa: TRY004
                             f"got {type(value).__name__}")
    return attribute.stored(merged)


def load_json(json_str: str) -> Symbol:
    """The Symbol a ``tojson()`` string describes."""
    return Symbol(_json.loads(json_str))


def load(fname: str) -> Symbol:
    """The Symbol saved in the JSON file ``fname``."""
    try:
        with open(fname) as f:
            text = f.read()
    except FileNotFoundError as e:
        raise MXNetError(missing_file_message(fname)) from e
    except OSError as e:
        raise MXNetError(f"mx.sym.load: cannot read {fname!r}: {e.strerror or e}") from e
    return load_json(text)
