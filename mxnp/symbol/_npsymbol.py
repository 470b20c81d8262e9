"""The numpy face of Symbols: ``_Symbol`` (what ``Symbol.as_np_ndarray()`` gives) and the
functions of ``mx.sym.np``/``mx.sym.npx``.

``mx.sym.np.<name>(...)`` binds its arguments to mxnp's ``np.<name>``: the Symbols become the
node's inputs and the other arguments its attributes. The node's operator is MXNet's numpy-mode
name where ``_npops.MXNET_NAMES`` has one that takes those attributes (``_np_sum``), and
otherwise the function's own name (``np.tensordot``); either way the executor computes it by
calling the np function, and gradients come from mxnp's autograd.
"""
from __future__ import annotations

import functools
import importlib
import inspect

import numpy as onp

from . import _npops, _opdefs
from .symbol import Symbol, apply_op

_SOURCES = {"np": "mxnp.numpy", "npx": "mxnp.numpy_extension"}
# Python's operators on a _Symbol -> the np function they compute
_OPERATORS = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "true_divide",
              "pow": "power", "mod": "mod", "maximum": "maximum", "minimum": "minimum",
              "eq": "equal", "ne": "not_equal", "gt": "greater", "ge": "greater_equal",
              "lt": "less", "le": "less_equal"}
_REVERSIBLE = {"subtract", "true_divide", "power", "mod"}  # MXNet has _npi_r<name>_scalar
_MIRRORED = {"greater": "less", "less": "greater", "greater_equal": "less_equal",
             "less_equal": "greater_equal"}
# ndarray methods a _Symbol has, computed by the np function of the same name
_METHODS = frozenset({"sum", "mean", "prod", "max", "min", "std", "var", "argmax", "argmin",
                      "cumsum", "clip", "round", "repeat", "swapaxes", "take", "squeeze", "dot"})


class _Symbol(Symbol):
    """A Symbol of numpy semantics: its operators and methods make ``mx.sym.np`` nodes."""

    __slots__ = ()

    def as_np_ndarray(self) -> _Symbol:
        """This symbol itself (it already has numpy semantics)."""
        return self

    def as_nd_ndarray(self) -> Symbol:
        """A legacy Symbol over the same graph."""
        return Symbol(self._outputs)

    def __iter__(self):
        return (_Symbol([o]) for o in self._outputs)

    def __getitem__(self, index):
        """One output of a group, by position or name. Differs from MXNet: indexing the
        values of a single output (``x[0]``, a slice node there) is not implemented."""
        if len(self._outputs) == 1 and not isinstance(index, str):
            raise NotImplementedError("_Symbol.__getitem__: indexing the values of a numpy "
                                      "Symbol is not implemented in mxnp; use "
                                      "mx.sym.np.take or mx.sym.np.split")
        return _Symbol(super().__getitem__(index)._outputs)

    def __getattr__(self, name: str):
        if name in _METHODS:
            return functools.partial(function("np", name), self)
        raise AttributeError(f"'_Symbol' object has no attribute {name!r}")

    def astype(self, dtype) -> _Symbol:
        """This symbol cast to ``dtype`` (a ``Cast`` node, as the legacy Symbol's)."""
        return _Symbol(super().astype(dtype)._outputs)

    def reshape(self, *shape, order: str = "C") -> _Symbol:
        """``np.reshape(self, shape)``; the shape as one tuple or as several ints."""
        newshape = shape[0] if len(shape) == 1 else shape
        return function("np", "reshape")(self, newshape, order=order)

    def transpose(self, *axes) -> _Symbol:
        """``np.transpose(self, axes)``; the axes as one tuple or as several ints."""
        axes = axes[0] if len(axes) == 1 else (axes or None)
        return function("np", "transpose")(self, axes)

    @property
    def T(self) -> _Symbol:
        """The transpose."""
        return self.transpose()

    def _arith(self, key: str, other, reverse: bool = False):
        if key not in _OPERATORS:  # hypot: MXNet's legacy operator
            return super()._arith(key, other, reverse)
        lhs, rhs = (other, self) if reverse else (self, other)
        return binary(_OPERATORS[key], lhs, rhs)


def _is_number(x) -> bool:
    return isinstance(x, (int, float, onp.number)) and not isinstance(x, (bool, onp.bool_))


def _require_np(symbols, what: str) -> None:
    for s in symbols:
        if not isinstance(s, _Symbol):
            raise TypeError(f"{what}: expected numpy Symbols, got a legacy Symbol {s.name!r}; "
                            "convert it with .as_np_ndarray() first (MXNet refuses it too)")


def _node(op: str, inputs: list, attrs: dict, hint: str) -> _Symbol:
    strings = {k: _opdefs.attr_string(v) for k, v in attrs.items()}
    return _Symbol(apply_op(op, inputs, strings, hint=hint)._outputs)


def binary(name: str, lhs, rhs):
    """``np.<name>(lhs, rhs)`` of two Symbols or a Symbol and a number, as MXNet writes it:
    ``_npi_add``, ``_npi_add_scalar`` or ``_npi_rsubtract_scalar``; NotImplemented for other
    operands."""
    if isinstance(lhs, Symbol) and isinstance(rhs, Symbol):
        _require_np([lhs, rhs], f"mx.sym.np.{name}")
        return _node(f"_npi_{name}", [lhs, rhs], {}, name)
    if isinstance(lhs, Symbol) and _is_number(rhs):
        sym, number, op = lhs, rhs, f"_npi_{name}_scalar"
    elif isinstance(rhs, Symbol) and _is_number(lhs):
        sym, number = rhs, lhs
        name = _MIRRORED.get(name, name)
        op = f"_npi_r{name}_scalar" if name in _REVERSIBLE else f"_npi_{name}_scalar"
    else:
        return NotImplemented
    _require_np([sym], f"mx.sym.np.{name}")
    # MXNet sends the scalar as a float and marks an int one, so an int array stays int
    attrs = {"scalar": float(number), "is_int": isinstance(number, (int, onp.integer))}
    return _node(op, [sym], attrs, op[len("_npi_"):])


def _holds_symbols(value) -> bool:
    return isinstance(value, Symbol) or (
        isinstance(value, (list, tuple)) and any(isinstance(v, Symbol) for v in value))


def _split(what: str, sig: inspect.Signature, arguments: dict):
    """The call's Symbols (the node's inputs), its other arguments (attributes) and the count
    of the list of Symbols among them (None when there is none)."""
    params = list(sig.parameters.values())
    last = max((i for i, p in enumerate(params) if _holds_symbols(arguments.get(p.name))),
               default=-1)
    inputs, attrs, count = [], {}, None
    for i, p in enumerate(params):
        value = arguments.get(p.name, p.default)
        if p.name == "out" and value is not None:
            raise TypeError(f"{what}: out= has no meaning for a Symbol")
        if isinstance(value, Symbol):
            inputs.append(value)
        elif _holds_symbols(value):
            if count is not None or i != last or not all(isinstance(v, Symbol) for v in value):
                raise NotImplementedError(f"{what}: mxnp builds a node from one list of "
                                          "Symbols, the last array argument, with nothing "
                                          "but Symbols in it")
            inputs.extend(value)
            count = len(value)
        elif p.kind is p.VAR_KEYWORD:
            attrs.update(value if isinstance(value, dict) else {})
        elif p.kind is p.VAR_POSITIONAL:
            if value:
                raise NotImplementedError(f"{what}: mxnp builds a node only when every "
                                          "positional argument is a Symbol")
        elif i < last or (p.name in arguments and not (value is None and p.default is None)):
            # a parameter before the last input is always written, so that the inputs
            # fill the parameters the attributes leave (function_op)
            attrs[p.name] = value
    _require_np(inputs, what)
    return inputs, attrs, count


def _mxnet_name(path: str, inputs: list, attrs: dict, count):
    """MXNet's operator for this call, where it takes the same inputs and attributes."""
    row = _opdefs.find(_npops.MXNET_NAMES.get(path, ""))
    if row is None or (row.variadic and count is None):
        return None
    try:
        sig = inspect.signature(row.fn)
        sig.bind(*inputs, **attrs)
    except (TypeError, ValueError):
        return None
    params = sig.parameters
    # every attribute must be a parameter of its own, and every input named by the row
    named = all(k in params and params[k].kind is not params[k].VAR_KEYWORD for k in attrs)
    return row.name if named and (row.variadic or len(inputs) == len(row.inputs)) else None


def function(space: str, path: str):
    """``mx.sym.<space>.<path>``: a function making the node of mxnp's ``<space>.<path>``
    (``function("np", "linalg.det")``)."""
    op = f"{space}.{path}"
    fn = _npops.function_named(op)
    if fn is None:
        raise AttributeError(f"mx.sym.{op}: mxnp's {space} has no function {path!r}")
    sig = inspect.signature(fn)
    short = path.rsplit(".", 1)[-1]

    @functools.wraps(fn)
    def make(*args, **kwargs):
        try:
            arguments = sig.bind(*args, **kwargs).arguments
        except TypeError as e:
            raise TypeError(f"mx.sym.{op}: {e}") from None
        if short in _npops.BINARY and len(args) == 2 and not kwargs:
            out = binary(short, *args)  # with a number, MXNet's _scalar operators
            if out is not NotImplemented:
                return out
        inputs, attrs, count = _split(f"mx.sym.{op}", sig, arguments)
        name = _mxnet_name(op, inputs, attrs, count) or op
        if count is not None and _opdefs.find(name).variadic:  # MXNet's num_args
            attrs["num_args"] = count
        return _node(name, inputs, attrs, short)

    make.__doc__ = f"A Symbol node computing mxnp's {op} (the Symbols as its inputs)."
    return make


def namespace(module_globals: dict, space: str, sub: str = ""):
    """``__getattr__`` and ``__dir__`` of ``mx.sym.<space>[.<sub>]``: each function of mxnp's
    namespace as a node-making ``function``, made on first use and kept in the module."""
    prefix = f"{sub}." if sub else ""
    source = importlib.import_module(_SOURCES[space] + (f".{sub}" if sub else ""))

    def getattr_(name: str):
        if not name.startswith("_") and _npops.function_named(f"{space}.{prefix}{name}"):
            fn = module_globals[name] = function(space, prefix + name)
            return fn
        raise AttributeError(f"module {module_globals['__name__']!r} has no attribute {name!r}")

    def dir_() -> list:
        names = (n for n in source.__all__ if _npops.function_named(f"{space}.{prefix}{n}"))
        return sorted(set(module_globals) | set(names))

    return getattr_, dir_
