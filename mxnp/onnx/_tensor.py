"""Converters of MXNet's tensor operators: elementwise math (and its ``_scalar`` forms), shape
changes, slicing, joining, reductions, products and constants, under both MXNet's 1.x names and
the numpy-mode names (``_npi_*``, ``_np_*``, ``_npx_*``) that ``HybridBlock.export`` writes."""
from __future__ import annotations

import math

import numpy as onp

from ._graph import converts


def _numpy_mode(n) -> bool:
    return n.op.startswith(("_np", "_npi", "_npx"))


# ---- elementwise ---------------------------------------------------------------------------
_BINARY = {
    "Add": ("elemwise_add", "broadcast_add", "broadcast_plus", "_plus", "_Plus", "_add",
            "_grad_add", "_npi_add"),
    "Sub": ("elemwise_sub", "broadcast_sub", "broadcast_minus", "_minus", "_Minus", "_sub",
            "_npi_subtract"),
    "Mul": ("elemwise_mul", "broadcast_mul", "_mul", "_Mul", "_npi_multiply"),
    "Div": ("elemwise_div", "broadcast_div", "_div", "_Div", "_npi_true_divide"),
    "Pow": ("broadcast_power", "_power", "_Power", "_npi_power"),
    "Max": ("broadcast_maximum", "_maximum", "_Maximum", "_npi_maximum"),
    "Min": ("broadcast_minimum", "_minimum", "_Minimum", "_npi_minimum"),
    "Equal": ("broadcast_equal", "_equal", "_npi_equal"),
    "Greater": ("broadcast_greater", "_greater", "_npi_greater"),
    "Less": ("broadcast_lesser", "_lesser", "_npi_less"),
    "GreaterOrEqual": ("broadcast_greater_equal", "_greater_equal", "_npi_greater_equal"),
    "LessOrEqual": ("broadcast_lesser_equal", "_lesser_equal", "_npi_less_equal"),
    "NotEqual": ("broadcast_not_equal", "_not_equal", "_npi_not_equal"),
}
_BINARY_OF = {name: op for op, names in _BINARY.items() for name in names}

# op -> (ONNX op, scalar on the left)
_SCALAR = {
    **dict.fromkeys(("_plus_scalar", "_PlusScalar", "_npi_add_scalar"), ("Add", False)),
    **dict.fromkeys(("_minus_scalar", "_MinusScalar", "_npi_subtract_scalar"), ("Sub", False)),
    **dict.fromkeys(("_rminus_scalar", "_RMinusScalar", "_npi_rsubtract_scalar"), ("Sub", True)),
    **dict.fromkeys(("_mul_scalar", "_MulScalar", "_npi_multiply_scalar"), ("Mul", False)),
    **dict.fromkeys(("_div_scalar", "_DivScalar", "_npi_true_divide_scalar"), ("Div", False)),
    **dict.fromkeys(("_rdiv_scalar", "_RDivScalar", "_npi_rtrue_divide_scalar"), ("Div", True)),
    **dict.fromkeys(("_power_scalar", "_PowerScalar", "_npi_power_scalar"), ("Pow", False)),
    **dict.fromkeys(("_rpower_scalar", "_RPowerScalar", "_npi_rpower_scalar"), ("Pow", True)),
    **dict.fromkeys(("_maximum_scalar", "_MaximumScalar", "_npi_maximum_scalar"), ("Max", False)),
    **dict.fromkeys(("_minimum_scalar", "_MinimumScalar", "_npi_minimum_scalar"), ("Min", False)),
    **dict.fromkeys(("_equal_scalar", "_npi_equal_scalar"), ("Equal", False)),
    **dict.fromkeys(("_not_equal_scalar", "_npi_not_equal_scalar"), ("NotEqual", False)),
    **dict.fromkeys(("_greater_scalar", "_npi_greater_scalar"), ("Greater", False)),
    **dict.fromkeys(("_lesser_scalar", "_npi_less_scalar"), ("Less", False)),
    **dict.fromkeys(("_greater_equal_scalar", "_npi_greater_equal_scalar"),
                    ("GreaterOrEqual", False)),
    **dict.fromkeys(("_lesser_equal_scalar", "_npi_less_equal_scalar"), ("LessOrEqual", False)),
}
_COMPARISONS = frozenset({"Equal", "NotEqual", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"})


def _emit_binary(g, n, op_type, a, b):
    """``op_type(a, b)``; a comparison gives bool in numpy mode and the input's dtype in 1.x."""
    if op_type not in _COMPARISONS:
        return g.add(op_type, [a, b], n.out[0])
    numpy_mode = _numpy_mode(n)
    out = n.out[0] if numpy_mode else None
    if op_type == "NotEqual":
        result = g.add("Not", [g.add("Equal", [a, b])], out)
    else:
        result = g.add(op_type, [a, b], out)
    return result if numpy_mode else g.cast(result, n.dtypes[0], n.out[0])


@converts(*_BINARY_OF)
def binary(g, n):
    """Elementwise and broadcasting arithmetic, maximum/minimum and comparisons."""
    _emit_binary(g, n, _BINARY_OF[n.op], n.inputs[0], n.inputs[1])


@converts(*_SCALAR)
def scalar(g, n):
    """An operator with a Python scalar (attribute ``scalar``), kept as a constant of the
    input's dtype."""
    op_type, left = _SCALAR[n.op]
    value = g.const(float(n.get("scalar")), n.dtypes[0], hint=n.name + "_scalar")
    a, b = (value, n.inputs[0]) if left else (n.inputs[0], value)
    _emit_binary(g, n, op_type, a, b)


_UNARY = {
    "Exp": ("exp", "_npi_exp"), "Log": ("log", "_npi_log"), "Sqrt": ("sqrt", "_npi_sqrt"),
    "Abs": ("abs", "_npi_absolute", "_npi_abs"), "Neg": ("negative", "_npi_negative"),
    "Reciprocal": ("reciprocal", "_npi_reciprocal"), "Floor": ("floor", "_npi_floor"),
    "Ceil": ("ceil", "_npi_ceil"), "Sin": ("sin", "_npi_sin"), "Cos": ("cos", "_npi_cos"),
    "Tan": ("tan", "_npi_tan"), "Asin": ("arcsin", "_npi_arcsin"),
    "Acos": ("arccos", "_npi_arccos"), "Atan": ("arctan", "_npi_arctan"),
    "Sinh": ("sinh", "_npi_sinh"), "Cosh": ("cosh", "_npi_cosh"),
    "Tanh": ("tanh", "_npi_tanh"), "Sigmoid": ("sigmoid", "_npx_sigmoid"),
    "Relu": ("relu", "_npx_relu"), "Erf": ("erf", "_npi_erf"), "Sign": ("sign", "_npi_sign"),
    "Softsign": ("softsign",),
    "Identity": ("identity", "_copy", "BlockGrad", "stop_gradient", "_npi_copy", "_np_copy",
                 "MakeLoss", "make_loss"),
}
_UNARY_OF = {name: op for op, names in _UNARY.items() for name in names}


@converts(*_UNARY_OF)
def unary(g, n):
    """An elementwise function ONNX has under another name."""
    g.add(_UNARY_OF[n.op], [n.inputs[0]], n.out[0])


@converts("square", "_npi_square", "rsqrt", "expm1", "_npi_expm1", "log1p", "_npi_log1p",
          "log2", "_npi_log2", "log10", "_npi_log10")
def unary_composite(g, n):
    """Elementwise functions written with two ONNX ops."""
    x, name = n.inputs[0], n.op.replace("_npi_", "")
    one = g.const(1, n.dtypes[0], hint="one")
    if name == "square":
        g.add("Mul", [x, x], n.out[0])
    elif name == "rsqrt":
        g.add("Reciprocal", [g.add("Sqrt", [x])], n.out[0])
    elif name == "expm1":
        g.add("Sub", [g.add("Exp", [x]), one], n.out[0])
    elif name == "log1p":
        g.add("Log", [g.add("Add", [x, one])], n.out[0])
    else:
        base = g.const(math.log(2 if name == "log2" else 10), n.dtypes[0], hint="ln_base")
        g.add("Div", [g.add("Log", [x]), base], n.out[0])


@converts("hard_sigmoid")
def hard_sigmoid(g, n):
    """hard_sigmoid -> HardSigmoid (same alpha and beta)."""
    g.add("HardSigmoid", [n.inputs[0]], n.out[0], alpha=float(n.get("alpha", 0.2)),
          beta=float(n.get("beta", 0.5)))


@converts("logical_not", "_npi_logical_not")
def logical_not(g, n):
    """logical_not: Not of the input as bool (cast back in 1.x mode)."""
    result = g.add("Not", [g.cast(n.inputs[0], bool)], n.out[0] if _numpy_mode(n) else None)
    if not _numpy_mode(n):
        g.cast(result, n.dtypes[0], n.out[0])


@converts("add_n", "ElementWiseSum", "_npi_add_n")
def add_n(g, n):
    """add_n -> Sum."""
    g.add("Sum", n.inputs, n.out[0])


@converts("clip", "_npi_clip")
def clip(g, n):
    """clip -> Clip with the bounds as constants of the input's dtype ('' for no bound)."""
    names = ["" if n.get(f"a_{end}") is None
             else g.const(float(n.get(f"a_{end}")), n.dtypes[0], hint=f"{n.name}_{end}")
             for end in ("min", "max")]
    g.add("Clip", [n.inputs[0]] + names, n.out[0])


@converts("where", "_npi_where", "_npi_where_lscalar", "_npi_where_rscalar",
          "_npi_where_scalar2")
def where(g, n):
    """where(cond, x, y) -> Where (cond cast to bool); a scalar operand (``scalar``, or ``x``
    and ``y``) as a constant."""
    cond = n.inputs[0] if n.dtypes[0] == onp.bool_ else g.cast(n.inputs[0], bool)
    if n.op == "_npi_where":  # (where: the legacy operator's three arrays)
        g.add("Where", [cond] + n.inputs[1:3], n.out[0])
        return
    if n.op == "_npi_where_scalar2":  # (its result is float32, as MXNet's)
        x, y = (g.const(float(n.get(k)), onp.float32, hint=f"{n.name}_{k}") for k in "xy")
    else:  # the other operand's dtype
        value = g.const(float(n.get("scalar")), n.dtypes[1], hint=f"{n.name}_scalar")
        x, y = (value, n.inputs[1]) if n.op == "_npi_where_lscalar" else (n.inputs[1], value)
    g.add("Where", [cond, x, y], n.out[0])


@converts("Cast", "cast", "amp_cast", "_npi_cast")
def cast(g, n):
    """Cast to the attribute ``dtype``."""
    g.cast(n.inputs[0], onp.dtype(str(n.get("dtype"))), n.out[0])


_FILLS = {**dict.fromkeys(("_zeros", "_npi_zeros", "zeros_like", "_npi_zeros_like"), 0.0),
          **dict.fromkeys(("_ones", "_npi_ones", "ones_like", "_npi_ones_like"), 1.0),
          **dict.fromkeys(("_full", "_npi_full", "_npi_full_like"), None)}


@converts(*_FILLS)
def constant(g, n):
    """A creation op: a constant of the inferred shape; its dtype that of its input (the
    ``*_like`` ops) or its ``dtype`` attribute."""
    value = _FILLS[n.op]
    if value is None:
        value = float(n.get("value", n.get("fill_value", 0)))
    dtype = n.dtypes[0] if n.inputs else onp.dtype(str(n.get("dtype", "float32")))
    array = onp.full(n.out_shapes[0], value, dtype=dtype)
    g.add("Constant", [], n.out[0], value=g.onnx.numpy_helper.from_array(array, n.out[0]))
