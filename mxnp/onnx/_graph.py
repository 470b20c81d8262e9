"""What the converters share: the table of converters, the ONNX graph being built, and the
parsing of MXNet's string attributes.

A converter is ``fn(g, n)``: ``g`` the :class:`Graph` it adds ONNX nodes to, ``n`` the
:class:`Op` it converts (its MXNet attributes, the ONNX names of its inputs, their shapes and
dtypes). It writes the op's outputs to the names ``n.out`` lists.
"""
from __future__ import annotations

import ast

import numpy as onp

# MXNet operator name -> converter; filled by the @converts decorators of _nn.py and _tensor.py
CONVERTERS: dict = {}


def converts(*names):
    """Register the decorated function as the converter of the MXNet operators ``names``."""
    def register(fn):
        for name in names:
            CONVERTERS[name] = fn
        return fn
    return register


class ExportError(ValueError):
    """A graph that ``export_model`` cannot write as ONNX (the message names the node)."""


# ---- MXNet's string attributes ---------------------------------------------------------------
def _value(text):
    text = text.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


class Op:
    """One MXNet node as a converter sees it."""

    __slots__ = ("attrs", "dtypes", "inputs", "name", "op", "out", "out_shapes", "shapes")

    def __init__(self, op, name, attrs, inputs, shapes, dtypes, out, out_shapes):
        self.op, self.name, self.attrs = op, name, attrs
        self.inputs, self.shapes, self.dtypes = inputs, shapes, dtypes
        self.out, self.out_shapes = out, out_shapes

    def get(self, key, default=None):
        """The attribute ``key`` as a Python value (``'(3, 3)'`` -> ``(3, 3)``), or ``default``."""
        text = self.attrs.get(key)
        if text is None:
            return default
        value = _value(text)
        return default if value is None else value

    def ints(self, key, default=()):
        """A tuple attribute (a single number becomes a 1-tuple); ``None`` entries stay."""
        value = self.get(key, default)
        return tuple(value) if isinstance(value, (tuple, list)) else (value,)

    def flag(self, key, default=False) -> bool:
        """A boolean attribute (MXNet writes ``True``, ``true``, ``1``)."""
        return bool(self.get(key, default))

    @property
    def rank(self) -> int:
        """The rank of the first input."""
        return len(self.shapes[0])

    def fail(self, why: str):
        """An :class:`ExportError` naming this node and its operator."""
        return ExportError(f"export_model: node '{self.name}' (operator {self.op}): {why}")


# ---- the ONNX graph being built ----------------------------------------------------------------
class Graph:
    """The ONNX nodes and constants made so far; ``opset`` the opset they target."""

    def __init__(self, onnx, opset: int):
        self.onnx, self.opset = onnx, opset
        self.nodes, self.initializers = [], []
        self._used = set()

    def fresh(self, hint: str) -> str:
        """A tensor name not used yet, made from ``hint``."""
        name, i = hint, 0
        while name in self._used:
            i += 1
            name = f"{hint}{i}"
        self._used.add(name)
        return name

    def reserve(self, name: str) -> None:
        """Mark ``name`` as taken (graph inputs, MXNet's node names)."""
        self._used.add(name)

    def add(self, op_type: str, inputs, out=None, **attrs) -> str:
        """Append the node ``op_type(inputs)``; return its (first) output name. ``out`` is a name
        or a list of names; by default a fresh name made from the op type."""
        outs = [out] if isinstance(out, str) else list(out or [self.fresh(op_type.lower())])
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), outs,
                                                     name=outs[0], **attrs))
        return outs[0]

    def const(self, value, dtype=None, hint: str = "const") -> str:
        """An initializer holding ``value`` (as ``dtype``); return its name."""
        array = onp.asarray(value, dtype=dtype)
        name = self.fresh(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def ints(self, values, hint: str = "ints") -> str:
        """An int64 initializer (axes, shapes, pads as the opsets want them as inputs)."""
        return self.const(onp.asarray(values, dtype=onp.int64).reshape(-1), hint=hint)

    def axes_op(self, op_type: str, x: str, axes, out=None, since: int = 13, **attrs) -> str:
        """``op_type`` whose axes are an input from opset ``since`` on and an attribute before
        (Squeeze, Unsqueeze, ReduceSum); ``axes`` None: the op's default (all)."""
        if axes is None:
            return self.add(op_type, [x], out, **attrs)
        if self.opset >= since:
            return self.add(op_type, [x, self.ints(axes, "axes")], out, **attrs)
        return self.add(op_type, [x], out, axes=list(axes), **attrs)

    def cast(self, x: str, dtype, out=None) -> str:
        """``Cast`` to the NumPy ``dtype``."""
        return self.add("Cast", [x], out, to=tensor_type(self.onnx, dtype))


def tensor_type(onnx, dtype) -> int:
    """ONNX's element type for a NumPy dtype."""
    return onnx.helper.np_dtype_to_tensor_dtype(onp.dtype(dtype))
