"""The table of MXNet 1.x operators that ``mx.nd`` and ``mx.sym`` share.

Interface (agreed with ``mxnp/symbol/``):

- ``OPS: dict[str, LegacyOp]``, keyed by MXNet's operator name; aliases are extra keys to the
  same ``LegacyOp`` (``"_plus"``, ``"elemwise_add"``, ``"_Plus"`` ...), including the names that
  MXNet's ``-symbol.json`` files use (``_plus_scalar``, ``_mul_scalar``, ``_copy`` ...).
- ``LegacyOp(name, fn, inputs, aux=(), variadic=False, optional_inputs=None, num_outputs=1)``:
  ``fn(*inputs, **attrs)`` returns an ``NDArray`` or a list of them, and is exactly the public
  ``mx.nd.<name>``. ``inputs`` names the array inputs in order; ``aux`` those of them that are
  auxiliary states (updated in place, as BatchNorm's moving statistics); a ``variadic`` op takes
  ``*data`` (its ``num_args`` attribute is accepted and ignored); ``optional_inputs(attrs)``
  says which inputs a node with these (parsed) attributes actually has (FullyConnected with
  ``no_bias=True`` has no bias), None: all of them; ``num_outputs`` is an int or a function of
  the parsed attributes.
- ``parse_attrs(op_name, attrs)``: the string attributes of a JSON node as the Python values
  ``fn`` takes. ``fn`` takes Python values only, so a caller holding strings (a ``-symbol.json``
  node) always applies ``parse_attrs`` first. Keys spelled ``__x__`` (``__shape__``,
  ``__lr_mult__``, ``__profiler_scope__`` ...) describe the node, not the operator, and are
  dropped.

This module holds data only; ``_define.legacy_op`` fills the table.
"""
from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable

__all__ = ["OPS", "LegacyOp", "parse_attrs", "parse_value"]


@dataclasses.dataclass(frozen=True)
class LegacyOp:
    """One MXNet operator: its function and what a graph node of it holds."""

    name: str
    fn: Callable
    inputs: tuple = ("data",)
    aux: tuple | Callable = ()  # or attrs -> the names (Custom asks its CustomOpProp)
    variadic: bool = False
    optional_inputs: Callable | None = None
    num_outputs: int | Callable = 1
    output_names: Callable | None = None  # attrs -> the outputs' names (Custom's own)

    def present_inputs(self, attrs: dict) -> tuple:
        """The input names a node with these parsed attributes has."""
        return self.inputs if self.optional_inputs is None else self.optional_inputs(attrs)

    def aux_names(self, attrs: dict) -> tuple:
        """The names of the inputs that are auxiliary states (``aux``, or ``aux(attrs)``)."""
        return self.aux if isinstance(self.aux, tuple) else tuple(self.aux(attrs))

    def outputs(self, attrs: dict) -> int:
        """How many outputs a node with these parsed attributes has."""
        n = self.num_outputs
        return n if isinstance(n, int) else n(attrs)


OPS: dict = {}

_WORDS = {"true": True, "false": False, "none": None}


def parse_value(text):
    """One attribute string as a Python value: a literal (``"(3, 3)"``, ``"64"``, ``"None"``,
    ``"1e-05"``), ``"true"``/``"false"`` in any case, ``"inf"``/``"nan"`` as floats, and any
    other text (``"relu"``, ``"float32"``) as itself. Nothing is ever evaluated as code.
    """
    if not isinstance(text, str):
        return text
    s = text.strip()
    if s.lower() in _WORDS:
        return _WORDS[s.lower()]
    try:
        return ast.literal_eval(s)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    try:
        return float(s)  # "inf", "-inf", "nan"
    except ValueError:
        return text


def parse_attrs(op_name: str, attrs: dict) -> dict:
    """The attributes of one ``op_name`` node, from JSON strings to Python values."""
    if not isinstance(attrs, dict):
        raise TypeError(f"parse_attrs({op_name!r}): attrs must be a dict of strings, got "
                        f"{type(attrs).__name__}")
    out = {}
    for key, value in attrs.items():
        if key.startswith("__") and key.endswith("__"):
            continue
        out[key] = parse_value(value)
    return out
