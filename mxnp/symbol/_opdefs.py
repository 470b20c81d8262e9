"""What the symbol code needs to know about an operator name: its input names, which of them
are auxiliary states, how many outputs it has and the function that computes it. Legacy names
come from ``mxnp/ndarray/_registry.py``, the numpy-mode ones (and those named after an mxnp
function, ``np.vdot``) from ``_npops.py``."""
from __future__ import annotations

import inspect

import numpy as onp

from ..base import MXNetError
from ..ndarray import _registry
from ._npops import NP_OPS, function_op

# the initializer an operator gives the variable at one of its inputs, made or passed, when
# the variable has none (MXNet's FSetInputVarAttrOnCompose): BatchNorm's moving statistics
_VARIABLE_INIT = {"moving_mean": '["zero", {}]', "moving_var": '["one", {}]'}
_PRELU_GAMMA_INIT = '["Constant", {"value": 0.25}]'  # LeakyReLU's gamma (act_type prelu)


def find(op: str):
    """The registry row of ``op`` (a LegacyOp or an NpOp), or None. An operator named after
    an mxnp function (``np.vdot``) is that function's row."""
    return _registry.OPS.get(op) or NP_OPS.get(op) or function_op(op)


def names() -> set:
    """Every operator name (legacy and numpy-mode)."""
    return set(_registry.OPS) | set(NP_OPS)


def require(op: str, node_name: str = ""):
    """``find(op)``, or a clear error naming the node."""
    row = find(op)
    if row is None:
        where = f" (node {node_name!r})" if node_name else ""
        raise MXNetError(f"mx.sym: operator {op!r}{where} is not implemented in mxnp; it has "
                         f"neither a mx.nd operator nor a numpy-mode entry in symbol/_npops.py")
    return row


def parse(op: str, attrs: dict) -> dict:
    """A node's string attributes as the Python values its function takes."""
    return _registry.parse_attrs(op, attrs)


def _present(row, op: str, attrs: dict) -> tuple:
    if isinstance(row, _registry.LegacyOp):
        return tuple(row.present_inputs(parse(op, attrs)))
    return tuple(row.inputs)


def input_names(op: str, attrs: dict, count: int | None = None) -> list:
    """The names of a node's inputs (``data``, ``weight`` ...); ``arg<i>`` for a variadic op."""
    row = find(op)
    if row is None or row.variadic:
        return [f"arg{i}" for i in range(count or 0)]
    return list(_present(row, op, attrs))


def aux_positions(node) -> list:
    """The positions of a node's inputs that are auxiliary states."""
    row = find(node.op)
    if not isinstance(row, _registry.LegacyOp) or not row.aux:
        return []
    aux = row.aux_names(parse(node.op, node.attrs))
    return [i for i, n in enumerate(_present(row, node.op, node.attrs)) if n in aux]


def output_names(node):
    """The names an operator gives its outputs (``Custom``'s CustomOpProp), or None."""
    row = find(node.op)
    if isinstance(row, _registry.LegacyOp) and row.output_names is not None:
        return list(row.output_names(parse(node.op, node.attrs)))
    return None


def output_label(node, index: int) -> str:
    """The name of a node's output ``index`` (``fc1_output``, ``bn_mean``, a variable's own)."""
    own = None if node.is_variable else output_names(node)
    return f"{node.name}_{own[index]}" if own else node.output_name(index)


# operators MXNet registers without input names (no FListInputNames): its executor monitor
# calls their inputs input0, input1 ... (the others by their argument names, data, lhs ...)
_UNNAMED_INPUTS = frozenset("""
    Activation BlockGrad Cast Flatten Reshape SoftmaxActivation _copy amp_cast argmax
    argmax_channel argmin argsort broadcast_axes broadcast_axis broadcast_to cast clip crop
    expand_dims flatten hard_sigmoid identity logical_not make_loss max max_axis mean min
    min_axis nanprod nansum negative norm ones_like prod reshape shape_array size_array
    slice slice_axis smooth_l1 softmin softsign sort stop_gradient sum sum_axis topk transpose
    zeros_like _sample_multinomial sample_multinomial _shuffle shuffle
    abs arccos arccosh arcsin arcsinh arctan arctanh cbrt ceil cos cosh degrees erf erfinv exp
    expm1 fix floor gamma gammaln log log10 log1p log2 radians rcbrt reciprocal relu rint round
    rsqrt sigmoid sign sin sinh sqrt square tan tanh trunc
    _contrib_AdaptiveAvgPooling2D _contrib_arange_like _contrib_div_sqrt_dim
    _contrib_gradientmultiplier _contrib_round_ste _contrib_sign_ste
""".split()) | frozenset(f"_{op}_scalar" for op in (
    "plus", "minus", "rminus", "mul", "div", "rdiv", "mod", "rmod", "power", "rpower",
    "maximum", "minimum", "hypot", "equal", "not_equal", "greater", "greater_equal", "lesser",
    "lesser_equal", "logical_and", "logical_or", "logical_xor"))


def monitor_input_names(node, count: int) -> list:
    """The names MXNet's executor monitor gives a node's inputs (``data``, ``weight``,
    ``lhs``, ``arg0`` ...; ``input0`` ... for operators without input names)."""
    if node.op in _UNNAMED_INPUTS or node.op.startswith("_random_") and \
            node.op.endswith("_like"):
        return [f"input{i}" for i in range(count)]
    names = input_names(node.op, node.attrs, count)
    return names if len(names) == count else [f"input{i}" for i in range(count)]


def num_outputs(op: str, attrs: dict):
    """How many outputs a node of ``op`` shows (None when the op is unknown)."""
    row = find(op)
    if row is None:
        return None
    if isinstance(row, _registry.LegacyOp):
        return row.outputs(parse(op, attrs))
    return 1


def variable_attrs(op: str, input_name: str) -> dict:
    """The attributes ``op`` gives a variable at its input ``input_name`` (``moving_var``
    starts at one, PReLU's ``gamma`` at 0.25)."""
    if op == "LeakyReLU" and input_name == "gamma":
        return {"__init__": _PRELU_GAMMA_INIT}
    init = _VARIABLE_INIT.get(input_name)
    return {"__init__": init} if init else {}


def call(node, inputs: list):
    """Run one node on its input arrays: a single array or a list of them."""
    row = require(node.op, node.name)
    key = tuple(node.attrs.items())
    if node._parsed is None or node._parsed[0] != key:  # parsing costs more than most ops
        node._parsed = (key, parse(node.op, node.attrs))
    kwargs = node._parsed[1]
    if node.subgraphs:  # a control-flow node runs its bodies (symbol/_control_flow.py)
        kwargs = {**kwargs, "subgraphs": node.subgraphs}
    if isinstance(row, _registry.LegacyOp) and not row.variadic:
        names = _present(row, node.op, node.attrs)
        if not _takes_positionally(row.fn, names):  # BatchNorm_v1's auxiliary states
            kwargs = {**dict(zip(names, inputs)), **kwargs}
            inputs = []
    try:
        return row.fn(*inputs, **kwargs)
    except (TypeError, ValueError, MXNetError) as e:
        shapes = [tuple(x.shape) for x in inputs]
        raise MXNetError(f"mx.sym: operator {node.op} (node {node.name!r}) failed on inputs "
                         f"of shapes {shapes}: {e}") from e


_POSITIONAL: dict = {}


def _takes_positionally(fn, names: tuple) -> bool:
    """Whether ``fn`` takes the inputs ``names`` positionally: its first parameters are they,
    in order, or a ``*args`` (Custom's) takes them."""
    key = (fn, names)
    if key not in _POSITIONAL:
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        ok = True
        for name, p in zip(names, params):
            if p.kind is inspect.Parameter.VAR_POSITIONAL:
                break
            if p.name != name:
                ok = False
                break
        _POSITIONAL[key] = ok
    return _POSITIONAL[key]


def attr_string(value) -> str:
    """An attribute as MXNet's JSON holds it: ``(3, 3)``, ``True``, ``float32``, ``0.5``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (type, onp.dtype)):
        return onp.dtype(value).name
    return str(_plain(value))


def _plain(value):
    """NumPy scalars as Python numbers (their repr is ``np.int64(3)``), lists as tuples."""
    if isinstance(value, onp.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


# the parameters MXNet 1.9.1 requires (no default), by operator, with the type its error names;
# MXNet checks them as a Symbol is made and names the alphabetically first one missing
_REQUIRED = {
    "Activation": (("act_type", "int"),), "Cast": (("dtype", "int"),),
    "amp_cast": (("dtype", "int"),), "cast_storage": (("stype", "int"),),
    "Convolution": (("kernel", "Shape(tuple)"), ("num_filter", "int (non-negative)")),
    "Deconvolution": (("kernel", "Shape(tuple)"), ("num_filter", "int (non-negative)")),
    "Embedding": (("input_dim", "int"), ("output_dim", "int")),
    "FullyConnected": (("num_hidden", "int"),), "GridGenerator": (("transform_type", "int"),),
    "LRN": (("nsize", "int (non-negative)"),),
    "Pad": (("mode", "int"), ("pad_width", "Shape(tuple)")),
    "RNN": (("mode", "int"), ("num_layers", "int (non-negative)"),
            ("state_size", "int (non-negative)")),
    "ROIPooling": (("pooled_size", "Shape(tuple)"), ("spatial_scale", "float")),
    "SliceChannel": (("num_outputs", "int"),),
    "SpatialTransformer": (("sampler_type", "int"), ("transform_type", "int")),
    "UpSampling": (("sample_type", "int"), ("scale", "int")),
    "clip": (("a_max", "float"), ("a_min", "float")), "depth_to_space": (("block_size", "int"),),
    "space_to_depth": (("block_size", "int"),), "expand_dims": (("axis", "int"),),
    "reverse": (("axis", "Shape(tuple)"),), "im2col": (("kernel", "Shape(tuple)"),),
    "col2im": (("kernel", "Shape(tuple)"), ("output_size", "Shape(tuple)")),
    "one_hot": (("depth", "int"),), "repeat": (("repeats", "int"),),
    "slice": (("begin", "Shape(tuple)"), ("end", "Shape(tuple)")),
    "slice_axis": (("axis", "int"), ("begin", "int"), ("end", "int or None")),
    "tile": (("reps", "Shape(tuple)"),), "scatter_nd": (("shape", "Shape(tuple)"),),
}


def check_required(op: str, attrs: dict) -> None:
    """Refuse a node made without a parameter MXNet requires, with MXNet's message."""
    missing = [(p, t) for p, t in _REQUIRED.get(op, ()) if p not in attrs]
    if missing:
        param, kind = min(missing)
        shown = "".join(f', {k}="{v}"' for k, v in sorted(attrs.items()))
        raise MXNetError(f"Required parameter {param} of {kind} is not presented, in operator "
                         f'{op}(name=""{shown})')


def signature(op: str) -> inspect.Signature:
    """The signature of ``mx.sym.<op>``: the operator's, with ``name`` and ``attr``."""
    row = require(op)
    try:
        params = [p for p in inspect.signature(row.fn).parameters.values()
                  if p.name not in ("out", "name", "attr")]
    except (TypeError, ValueError):
        params = [inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL)]
    kw = inspect.Parameter.KEYWORD_ONLY
    tail = [p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD]
    head = [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]
    names = ("num_args", "name", "attr") if row.variadic else ("name", "attr")
    taken = {p.name for p in head}  # a function may take num_args itself (_npi_stack)
    extra = [inspect.Parameter(n, kw, default=None) for n in names if n not in taken]
    return inspect.Signature(head + extra + tail)
