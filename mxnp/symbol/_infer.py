"""Shape and type inference for Symbols, as MXNet's: every node's inputs and outputs are filled
in turn, forwards and backwards, until nothing changes.

Forwards, a node's output shapes come from running its operator on zero arrays of its input
shapes (unknown dims run as size 0 and come out unknown). Backwards, a few rules give inputs from
outputs: the operators whose inputs and output share one shape (``elemwise_add``, activations),
the layers' parameter shapes from their data (FullyConnected's weight is
``(num_hidden, in_units)``), the batch and spatial axes of FullyConnected and Convolution, and
Concat's and SliceChannel's pieces. Internally a shape is None while its rank is unknown and has
-1 for each unknown dim; the user sees MXNet's spelling (0 dims and ``()`` without NumPy shape
semantics, -1 and None with them). Types are filled the same way: an operator's inputs and
outputs share one dtype, but for the operators in ``_TYPE_RULES``.
"""
from __future__ import annotations

import math
import warnings

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._mode import is_np_shape
from ..base import MXNetError
from . import _opdefs
from ._json import FLAG_DTYPES
from ._node import topo_order

_UNK = -1
_MAX_PASSES = 50


# ---- shapes as the user writes them and as kept here ---------------------------------------
def _own(shape):
    """A user's shape as kept here: None for unknown rank, -1 for unknown dims."""
    if shape is None:
        return None
    shape = tuple(int(d) for d in shape)
    if is_np_shape():
        return tuple(_UNK if d < 0 else d for d in shape)
    if not shape:
        return None  # () is MXNet 1.x's "unknown"
    return tuple(_UNK if d <= 0 else d for d in shape)


def _user(shape):
    """A shape kept here as MXNet shows it."""
    if shape is None:
        return None if is_np_shape() else ()
    return shape if is_np_shape() else tuple(max(d, 0) for d in shape)


def _complete(shape) -> bool:
    return shape is not None and all(d >= 0 for d in shape)


def _known(shape) -> bool:
    """A complete shape in the user's spelling: under NumPy shape semantics -1 is unknown (0 a
    real size), in the legacy ones 0 is unknown."""
    if shape is None:
        return False
    if isinstance(shape, int):  # shape=3 means (3,), as MXNet's creation operators read it
        shape = (shape,)
    return all(d >= 0 for d in shape) if is_np_shape() else all(d > 0 for d in shape)


def _merge(a, b, where):
    """One shape from two descriptions of it; MXNetError if they disagree."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    if len(a) == len(b) and all(x == y or _UNK in (x, y) for x, y in zip(a, b)):
        return tuple(y if x == _UNK else x for x, y in zip(a, b))
    raise MXNetError(f"infer_shape: shape inconsistent at {where()}: provided {_user(a)}, "
                     f"inferred {_user(b)}")


# ---- backward rules --------------------------------------------------------------------------
def _dims(shape, size):
    """A shape with its rank known, or one of ``size`` unknown dims."""
    return list(shape) if shape is not None else [_UNK] * size


def _fc(a, ins, outs):
    data, out = ins[0], outs[0]
    num_hidden, flatten = a["num_hidden"], a.get("flatten", True)
    weight = ins[1] if len(ins) > 1 else None
    new_in = [None] * len(ins)
    if data is not None:
        if flatten:
            rest = data[1:]
            units = math.prod(rest) if all(d >= 0 for d in rest) else _UNK
            new_out = (data[0], num_hidden)
        else:
            units, new_out = data[-1], (*data[:-1], num_hidden)
        if len(ins) > 1:
            new_in[1] = (num_hidden, units)
        if len(ins) > 2:
            new_in[2] = (num_hidden,)
        if out is not None:
            lead = out[:1] if flatten else out[:-1]
            new_in[0] = (*lead, *data[len(lead):])
        if flatten and len(data) == 2 and data[1] < 0 and weight is not None:
            new_in[0] = (new_in[0] or data)[:1] + weight[1:2]
        return new_in, [new_out]
    if out is not None and weight is not None and not flatten:
        new_in[0] = (*out[:-1], weight[1])
    return new_in, [None]


def _conv(a, ins, outs):
    kernel = tuple(a["kernel"])
    k = len(kernel)
    data, out = ins[0], outs[0]
    if a.get("layout") not in (None, "NCW", "NCHW", "NCDHW"):
        return [None] * len(ins), [None]
    new_in = [None] * len(ins)
    group, num_filter = a.get("num_group", 1), a["num_filter"]
    stride = tuple(a.get("stride") or (1,) * k)
    pad = tuple(a.get("pad") or (0,) * k)
    dilate = tuple(a.get("dilate") or (1,) * k)
    d = _dims(data, k + 2)
    if len(ins) > 1:
        new_in[1] = (num_filter, d[1] // group if d[1] >= 0 else _UNK, *kernel)
        if ins[1] is not None and d[1] < 0:
            d[1] = ins[1][1] * group
    if len(ins) > 2:
        new_in[2] = (num_filter,)
    if out is not None:
        d[0] = out[0] if d[0] < 0 else d[0]
        for j in range(k):
            if d[2 + j] < 0 and out[2 + j] >= 0 and stride[j] == 1:  # MXNet's: stride 1
                d[2 + j] = (out[2 + j] - 1) * stride[j] + dilate[j] * (kernel[j] - 1) + 1 \
                    - 2 * pad[j]
    new_in[0] = tuple(d)
    return new_in, [None]


def _concat(a, ins, outs):
    ranks = {len(s) for s in (*ins, outs[0]) if s is not None}
    if len(ranks) != 1:
        return [None] * len(ins), [None]
    rank = ranks.pop()
    dim = a.get("dim", 1) % rank
    shapes = [_dims(s, rank) for s in ins]
    out = _dims(outs[0], rank)
    for j in range(rank):  # the other axes are one
        if j != dim:
            known = [s[j] for s in (*shapes, out) if s[j] >= 0]
            for s in (*shapes, out):
                s[j] = known[0] if known else _UNK
    sizes = [s[dim] for s in shapes]
    if all(x >= 0 for x in sizes):  # (MXNet does not infer a piece's size from the whole)
        out[dim] = sum(sizes)
    return [tuple(s) for s in shapes], [tuple(out)]


def _split(a, ins, outs):
    n, squeeze = a.get("num_outputs", 1), a.get("squeeze_axis", False)
    known = [s for s in outs if s is not None]
    piece = known[0] if known else None
    for s in known[1:]:
        piece = _merge(piece, s, lambda: "SliceChannel")
    if piece is None:
        return [None], [None] * len(outs)
    rank = len(piece) + (1 if squeeze else 0)
    axis = a.get("axis", 1) % rank
    dims = list(piece)
    if squeeze:
        dims.insert(axis, n)
    else:
        dims[axis] = dims[axis] * n if dims[axis] >= 0 else _UNK
    return [tuple(dims)], [piece] * len(outs)


def _embedding(a, ins, outs):
    data = outs[0][:-1] if outs[0] is not None else None
    return [data, (a["input_dim"], a["output_dim"])], [None]


def _channels(default_axis):
    def rule(a, ins, outs):
        data = ins[0] if ins[0] is not None else outs[0]
        if data is None:
            return [None] * len(ins), [None] * len(outs)
        c = (data[a.get("axis", default_axis) % len(data)],)
        return [data] + [c] * (len(ins) - 1), [data] + [None] * (len(outs) - 1)
    return rule


def _same(a, ins, outs):
    """Every input and the first output share one shape."""
    return [_ALL] * len(ins), [_ALL] + [None] * (len(outs) - 1)


def _same_first(a, ins, outs):
    """The first input and the first output share one shape."""
    return [_ALL] + [None] * (len(ins) - 1), [_ALL] + [None] * (len(outs) - 1)


def _where(a, ins, outs):
    cond_too = ins[0] is None or ins[1] is None or len(ins[0]) == len(ins[1])
    return [_ALL if cond_too else None, _ALL, _ALL], [_ALL]


_ALL = "all"  # in a rule's answer: the shape every _ALL entry shares

_SAME_OPS = frozenset({
    "elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_grad_add", "add_n",
    "ElementWiseSum", "_identity_with_attr_like_rhs", "_plus", "_minus", "_mul", "_div",
    "_Plus", "_Minus", "_Mul", "_Div"})
_SAME_FIRST_OPS = frozenset({
    "Activation", "relu", "sigmoid", "tanh", "softsign", "_copy", "identity", "negative",
    "Dropout", "BlockGrad", "stop_gradient", "make_loss", "MakeLoss", "Cast", "cast",
    "amp_cast", "abs", "sign", "round", "rint", "fix", "floor", "ceil", "trunc", "sin", "cos",
    "tan", "arcsin", "arccos", "arctan", "degrees", "radians", "sinh", "cosh", "arcsinh",
    "arccosh", "arctanh", "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "rsqrt",
    "cbrt", "rcbrt", "square", "reciprocal", "erf", "erfinv", "gamma", "gammaln", "clip",
    "LeakyReLU", "SoftmaxOutput", "Softmax", "LinearRegressionOutput",
    "LogisticRegressionOutput", "MAERegressionOutput", "softmax", "log_softmax", "softmin",
    "L2Normalization", "LRN", "zeros_like", "ones_like", "hard_sigmoid", "_plus_scalar",
    "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar", "_rdiv_scalar",
    "_power_scalar", "_rpower_scalar", "_mod_scalar", "_rmod_scalar", "_maximum_scalar",
    "_minimum_scalar", "_equal_scalar", "_not_equal_scalar", "_greater_scalar",
    "_greater_equal_scalar", "_lesser_scalar", "_lesser_equal_scalar", "logical_not",
    "_PlusScalar", "_MinusScalar", "_MulScalar", "_DivScalar"})

# operator -> rule(parsed attributes, input shapes, output shapes) -> (inputs, outputs) to
# merge in (None: nothing to say, _ALL: the shape all _ALL entries share)
_SHAPE_RULES = {
    "FullyConnected": _fc, "Convolution": _conv, "Concat": _concat, "concat": _concat,
    "SliceChannel": _split, "split": _split, "Embedding": _embedding,
    "_contrib_SparseEmbedding": _embedding,
    "BatchNorm": _channels(1), "BatchNorm_v1": _channels(1), "InstanceNorm": _channels(1),
    "LayerNorm": _channels(-1),
    "where": _where,
    **{op: _same for op in _SAME_OPS}, **{op: _same_first for op in _SAME_FIRST_OPS},
}
# operators whose forward run on unknown (size 0) dims would give a wrong known dim
_NO_PARTIAL_RUN = frozenset({"Concat", "concat"})


def _deconv_rule(a, ins, outs):
    data = ins[0]
    new_in = [None] * len(ins)
    if data is not None and len(ins) > 1:
        group = a.get("num_group", 1)
        new_in[1] = (data[1], a["num_filter"] // group, *tuple(a["kernel"]))
    if len(ins) > 2:
        new_in[2] = (a["num_filter"],)
    return new_in, [None]


def _reshape(a, ins, outs):
    """One unknown input dim, from the output's size (MXNet's Reshape infers it so)."""
    data, out = ins[0], outs[0]
    if data is None or not _complete(out) or data.count(_UNK) != 1:
        return [None], [None]
    known = math.prod(d for d in data if d >= 0)
    if known == 0 or math.prod(out) % known:
        return [None], [None]
    return [tuple(math.prod(out) // known if d < 0 else d for d in data)], [None]


_SHAPE_RULES["Reshape"] = _SHAPE_RULES["reshape"] = _reshape


def _transpose(a, ins, outs):
    """The input's dims from the output's, through the permutation."""
    out = outs[0]
    if out is None:
        return [None], [None]
    axes = a.get("axes") or tuple(range(len(out)))[::-1]
    data = [_UNK] * len(out)
    for i, ax in enumerate(axes):
        data[ax] = out[i]
    return [tuple(data)], [None]


_SHAPE_RULES["transpose"] = _transpose


def _upsampling(a, ins, outs):
    """Bilinear UpSampling's weight: one (kernel x kernel) filter per channel."""
    if a.get("sample_type") != "bilinear" or len(ins) < 2:
        return [None] * len(ins), [None]
    scale = a.get("scale", 1)
    k = 2 * scale - scale % 2
    return [None, (a.get("num_filter", 0), 1, k, k)], [None]


_SHAPE_RULES["UpSampling"] = _upsampling


def _deformable(a, ins, outs):
    """DeformableConvolution: Convolution's rule, the offset aside."""
    new_in, new_out = _conv(a, [ins[0], *ins[2:]], outs)
    return [new_in[0], None, *new_in[1:]], new_out


def _modulated_deformable(a, ins, outs):
    """ModulatedDeformableConvolution: Convolution's rule, the offset and mask aside."""
    new_in, new_out = _conv(a, [ins[0], *ins[3:]], outs)
    return [new_in[0], None, None, *new_in[1:]], new_out


_SHAPE_RULES["_contrib_DeformableConvolution"] = _deformable
_SHAPE_RULES["_contrib_ModulatedDeformableConvolution"] = _modulated_deformable
_SHAPE_RULES["Deconvolution"] = _deconv_rule
_SHAPE_RULES["GroupNorm"] = lambda a, ins, outs: (
    [_ALL, (a.get("num_groups", 1),), (a.get("num_groups", 1),)][:len(ins)],
    [_ALL] + [None] * (len(outs) - 1))
_SHAPE_RULES["LeakyReLU"] = lambda a, ins, outs: (
    [_ALL] + ([(ins[0][1],) if ins[0] is not None and len(ins[0]) > 1 else None]
              if len(ins) > 1 else []), [_ALL] + [None] * (len(outs) - 1))


def _class_labels(a, data):
    """SoftmaxOutput's label: one class index per row (per position with multi_output)."""
    if a.get("multi_output", False):
        return (data[0], *data[2:]) if len(data) > 2 else (data[0], 1)
    return data[:-1]


def _output_layer(label_of):
    """An output layer: its output has the data's shape, its label ``label_of(attrs, data)``
    (so a Module bound without label shapes still binds, as in MXNet)."""
    def rule(a, ins, outs):
        data = ins[0] if ins[0] is not None else outs[0]
        label = label_of(a, data) if _complete(data) else None
        return [_ALL, label][:len(ins)], [_ALL] + [None] * (len(outs) - 1)
    return rule


_SHAPE_RULES["SoftmaxOutput"] = _SHAPE_RULES["Softmax"] = _output_layer(_class_labels)
_SHAPE_RULES["SVMOutput"] = _output_layer(lambda a, data: data[:-1])


def _regression(a, ins, outs):
    """The regression outputs: the label of a (N, 1) output is (N,), else the output's shape;
    a given label of the same batch size and element count stands (MXNet's rule)."""
    data = ins[0] if ins[0] is not None else outs[0]
    label = ins[1] if len(ins) > 1 else None
    if _complete(data) and not (label is not None and _complete(label) and label
                                and label[0] == data[0] and math.prod(label) == math.prod(data)):
        label = (data[0],) if len(data) == 2 and data[1] == 1 else data
    return [_ALL, label][:len(ins)], [_ALL] + [None] * (len(outs) - 1)


for _op in ("LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"):
    _SHAPE_RULES[_op] = _regression


_GATES = {"lstm": 4, "gru": 3, "rnn_relu": 1, "rnn_tanh": 1}


def _rnn(a, ins, outs):
    """The fused RNN: its parameter vector's size and its states' shapes from the data
    (T, N, C): per layer and direction G·H·(width + H) weights and 2·G·H biases."""
    data, nothing = ins[0], ([None] * len(ins), [None] * len(outs))
    if not _complete(data) or len(data) != 3 or a.get("projection_size"):
        return nothing
    batch, width = data[1], data[2]
    hidden, layers = a["state_size"], a["num_layers"]
    dirs, gates = (2 if a.get("bidirectional") else 1), _GATES[a["mode"]]
    size = 0
    for layer in range(layers):
        size += dirs * gates * hidden * ((width if layer == 0 else hidden * dirs) + hidden + 2)
    state = (layers * dirs, batch, hidden)
    new = [None, (size,)] + [state] * (2 if a["mode"] == "lstm" else 1)
    if a.get("use_sequence_length"):
        new.append((batch,))
    return new[:len(ins)] + [None] * (len(ins) - len(new)), [None] * len(outs)


def _rnn_param_concat(a, ins, outs):
    """The RNN layer's flattened Parameters joined: the unknown pieces (the first layer's
    input weights, one per direction) share what the whole leaves, as in MXNet."""
    nothing = [None] * len(ins), [None] * len(outs)
    unknown = [i for i, s in enumerate(ins) if not _complete(s)]
    if not unknown or not _complete(outs[0]) or any(s is not None and len(s) != 1
                                                   for s in ins):
        return nothing
    rest = outs[0][0] - sum(s[0] for s in ins if _complete(s))
    if rest <= 0 or rest % len(unknown):
        return nothing
    new = [None] * len(ins)
    for i in unknown:
        new[i] = (rest // len(unknown),)
    return new, [None] * len(outs)


_SHAPE_RULES["RNN"] = _rnn
_SHAPE_RULES["_rnn_param_concat"] = _rnn_param_concat
_NO_PARTIAL_RUN = _NO_PARTIAL_RUN | {"_rnn_param_concat"}


# ---- the shape pass ----------------------------------------------------------------------------
def _run_shapes(node, shapes) -> list:
    """The output shapes of one node: its operator run on zeros of the input shapes."""
    zeros = [np.zeros(s) for s in shapes]
    with autograd.pause(), autograd.predict_mode():
        out = _opdefs.call(node, zeros)
    return [tuple(o.shape) for o in (out if isinstance(out, (list, tuple)) else [out])]


class _Shapes:
    """The shape of every node output, filled until nothing changes."""

    def __init__(self, order, given: dict):
        self.order = order
        self.table: dict = {}
        self.runs: dict = {}  # id(node) -> (input shapes, what the run gave)
        for node in order:
            if node.is_variable:
                shape = given.get(node.name)
                if shape is None and "__shape__" in node.attrs:
                    shape = _opdefs.parse("null", {"s": node.attrs["__shape__"]})["s"]
                self.table[(id(node), 0)] = _own(shape)

    def get(self, node, i=0):
        return self.table.get((id(node), i))

    def put(self, key, shape, where) -> bool:
        have = self.table.get(key)
        new = _merge(have, shape, where)
        if new != have:
            self.table[key] = new
            return True
        return False

    def solve(self) -> None:
        for _ in range(_MAX_PASSES):
            changed = False
            for node in self.order:
                if not node.is_variable:
                    changed |= self._node(node)
            if not changed:
                return

    def _node(self, node) -> bool:
        def where():
            return f"node {node.name!r} ({node.op})"
        in_keys = [(id(n), i) for n, i in node.inputs]
        out_keys = [(id(node), i) for i in range(node.num_outputs)]
        changed = False
        for key, shape in zip(out_keys, self._forward(node, where)):
            changed |= self.put(key, shape, where)
        rule = _SHAPE_RULES.get(node.op)
        body_rule = SUBGRAPH_RULES.get(node.op) if node.subgraphs else None
        if rule is not None or body_rule is not None:
            ins = [self.table.get(k) for k in in_keys]
            outs = [self.table.get(k) for k in out_keys]
            try:
                new_ins, new_outs = body_rule(node, ins, outs) if body_rule else \
                    rule(_opdefs.parse(node.op, node.attrs), ins, outs)
            except KeyError as missing:  # a required parameter the node was made without
                raise MXNetError(f"infer_shape: operator {node.op} (node {node.name!r}) needs "
                                 f"the parameter {missing.args[0]!r}, which it was made "
                                 "without") from None
            shared = None
            for have, new in zip(ins + outs, list(new_ins) + list(new_outs)):
                if new is _ALL:
                    shared = _merge(shared, have, where)
            for key, new in zip(in_keys + out_keys, list(new_ins) + list(new_outs)):
                new = shared if new is _ALL else new
                if new is not None:
                    changed |= self.put(key, tuple(new), where)
        return changed

    def _forward(self, node, where) -> list:
        shapes = [self.table.get((id(n), i)) for n, i in node.inputs]
        if any(s is None for s in shapes):
            return []
        key = tuple(shapes)
        if id(node) in self.runs and self.runs[id(node)][0] == key:
            return self.runs[id(node)][1]
        partial = not all(_complete(s) for s in shapes)
        result = []
        if node.op == "_arange" and _range_inferred(_opdefs.parse(node.op, node.attrs)):
            pass  # its shape comes from the nodes that use it
        elif _sized_by_inference(node):  # a created array of unknown (0 or -1) dims
            shape = _opdefs.parse(node.op, node.attrs)["shape"]
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            unknown = (lambda d: d < 0) if is_np_shape() else (lambda d: d <= 0)
            result = [tuple(_UNK if unknown(d) else d for d in shape)]
        elif not (partial and node.op in _NO_PARTIAL_RUN):
            try:
                outs = _run_shapes(node, [tuple(max(d, 0) for d in s) for s in shapes])
            except Exception as e:
                if not partial:
                    raise MXNetError(f"infer_shape: operator {node.op} (node {node.name!r}) "
                                     f"cannot take inputs of shapes "
                                     f"{[_user(s) for s in shapes]}: {e}") from e
            else:
                unknown_zero = partial or not is_np_shape()  # a 0 dim is unknown in 1.x
                result = [tuple(_UNK if d == 0 and unknown_zero else d for d in o)
                          for o in outs]
        self.runs[id(node)] = (key, result)
        return result


# control-flow operators: (node, input shapes, output shapes) -> what their bodies tell
# (symbol/_control_flow.py fills it)
SUBGRAPH_RULES: dict = {}


def solve_body(heads, given: dict) -> tuple:
    """A body's input shapes by name and output shapes, from ``given`` input shapes (as kept
    here: -1 unknown dims, None unknown rank)."""
    shapes = _Shapes(topo_order(heads), {k: v for k, v in given.items() if v is not None})
    shapes.solve()
    return ({n.name: shapes.get(n) for n in shapes.order if n.is_variable},
            [shapes.get(n, i) for n, i in heads])


def _given_shapes(symbol, args, kwargs) -> dict:
    names = symbol.list_arguments()
    if len(args) > len(names):
        raise MXNetError(f"infer_shape: {len(args)} positional shapes for the arguments {names}")
    known = dict(zip(names, (tuple(s) for s in args if s is not None)))
    known.update({k: tuple(v) for k, v in kwargs.items() if v is not None})
    return known


def _solved(heads, given: dict) -> _Shapes:
    order = topo_order(heads)
    shapes = _Shapes(order, given)
    shapes.solve()
    return shapes


def created_shapes(order, values: dict) -> dict:
    """``id(node)`` -> the attributes to run each array-making node of ``order`` (a graph's
    nodes in ``topo_order``) with whose size is left to inference: a ``shape`` attribute with
    unknown dims (0 without NumPy shape semantics; a cell's begin state) gets the shape found,
    an ``arange(infer_range=True)`` its ``stop``, found from the input arrays ``values`` as
    MXNet's inference finds them; empty, without solving, when there is none."""
    if is_np_shape() or not any(_sized_by_inference(n) for n in order):
        return {}
    shapes = _Shapes(order, {k: tuple(v.shape) for k, v in values.items()})
    shapes.solve()
    return {id(n): _sized_attrs(n, shapes.get(n)) for n in order
            if _sized_by_inference(n) and _complete(shapes.get(n))}


# operators that make an array of their ``shape`` attribute (a cell's begin state is one)
_CREATIONS = {"_zeros", "_ones", "_full"}


def _sized_by_inference(node) -> bool:
    """Whether ``node`` makes an array whose size only shape inference can tell."""
    if node.op in _CREATIONS:
        return not _known(_opdefs.parse(node.op, node.attrs).get("shape"))
    return node.op == "_arange" and _range_inferred(_opdefs.parse(node.op, node.attrs))


def _range_inferred(attrs: dict) -> bool:
    return bool(attrs.get("infer_range")) and attrs.get("stop") is None


def _sized_attrs(node, shape) -> dict:
    """``node``'s attributes that make an array of ``shape``."""
    if node.op != "_arange":
        return dict(node.attrs, shape=str(shape))
    a = _opdefs.parse(node.op, node.attrs)
    start, step, repeat = a.get("start", 0), a.get("step", 1.0), int(a.get("repeat", 1))
    return dict(node.attrs, stop=str(start + step * (shape[0] // repeat)), infer_range="False")


def infer_shape(symbol, args, kwargs, partial: bool):
    """(argument shapes, output shapes, auxiliary shapes) as MXNet's infer_shape gives them."""
    shapes = _solved(symbol._outputs, _given_shapes(symbol, args, kwargs))
    nodes = {n.name: n for n in shapes.order if n.is_variable}
    arg = [shapes.get(nodes[n]) for n in symbol.list_arguments()]
    out = [shapes.get(n, i) for n, i in symbol._outputs]
    aux = [shapes.get(nodes[n]) for n in symbol.list_auxiliary_states()]
    if not partial and not all(_complete(s) for s in arg + out + aux):
        warnings.warn("Cannot decide shape for the following arguments (0s in shape means "
                      "unknown dimensions). Consider providing them as input:" +
                      "".join(f"\n\t{n}: {_user(s)}" for n, s in
                              zip(symbol.list_arguments(), arg) if not _complete(s)),
                      stacklevel=3)
        return None, None, None
    return [_user(s) for s in arg], [_user(s) for s in out], [_user(s) for s in aux]


# ---- types -------------------------------------------------------------------------------------
def _attr_dtype(default="float32"):
    def rule(a, n_in, n_out):
        return [None] * n_in, [onp.dtype(a.get("dtype") or default).type] * n_out
    return rule


def _first_with_out(a, n_in, n_out):
    """The first input and the outputs share a dtype; the others (indices) are free."""
    return [_ALL] + [None] * (n_in - 1), [_ALL] * n_out


def _weight_with_out(a, n_in, n_out):
    return [None, _ALL], [_ALL] * n_out


# operator -> rule(parsed attributes, input count, output count) -> (inputs, outputs): a dtype,
# None (free) or _ALL (the dtype all _ALL entries share); unlisted operators share one dtype
_TYPE_RULES = {
    "Cast": _attr_dtype(), "cast": _attr_dtype(), "amp_cast": _attr_dtype(),
    "_zeros": _attr_dtype(), "_ones": _attr_dtype(), "_full": _attr_dtype(),
    "_arange": _attr_dtype(), "_eye": _attr_dtype(), "one_hot": _attr_dtype(),
    "shape_array": _attr_dtype("int64"), "size_array": _attr_dtype("int64"),
    "Embedding": _weight_with_out, "_contrib_SparseEmbedding": _weight_with_out,
    "take": _first_with_out, "batch_take": _first_with_out,
    "pick": _first_with_out, "gather_nd": _first_with_out,
    "_contrib_allclose": lambda a, n_in, n_out: ([_ALL] * n_in, [onp.dtype("uint8").type]),
}


def _given_types(symbol, args, kwargs) -> dict:
    names = symbol.list_arguments()
    given = {n: t for n, t in zip(names, args) if t is not None}
    given.update({k: v for k, v in kwargs.items() if v is not None})
    return {k: onp.dtype(v).type for k, v in given.items()}


def infer_type(symbol, args, kwargs, partial: bool = False):
    """(argument dtypes, output dtypes, auxiliary dtypes) from some known input dtypes (or
    the variables' ``__dtype__``); None triple (partial: None entries) where some stay
    unknown."""
    order = topo_order(symbol._outputs)
    table = _solved_types(order, _given_types(symbol, args, kwargs))
    nodes = {n.name: n for n in order if n.is_variable}
    arg = [table.get((id(nodes[n]), 0)) for n in symbol.list_arguments()]
    out = [table.get((id(n), i)) for n, i in symbol._outputs]
    aux = [table.get((id(nodes[n]), 0)) for n in symbol.list_auxiliary_states()]
    if not partial and any(t is None for t in arg + out + aux):
        return None, None, None
    return arg, out, aux


def _solved_types(order, given: dict) -> dict:
    """``(id(node), output index)`` -> dtype (or None) over the nodes ``order``."""
    table: dict = {}
    for node in order:
        if node.is_variable:
            flag = node.attrs.get("__dtype__")
            t = given.get(node.name)
            if t is None and flag is not None:
                t = onp.dtype(FLAG_DTYPES[int(flag)]).type
            table[(id(node), 0)] = t
    for _ in range(_MAX_PASSES):
        changed = False
        for node in order:
            if not node.is_variable:
                changed |= _type_node(node, table)
        if not changed:
            break
    return table


def solve_body_types(heads, given: dict) -> tuple:
    """A body's input dtypes by name and output dtypes, from ``given`` input dtypes."""
    order = topo_order(heads)
    table = _solved_types(order, {k: v for k, v in given.items() if v is not None})
    return ({n.name: table.get((id(n), 0)) for n in order if n.is_variable},
            [table.get((id(n), i)) for n, i in heads])


# control-flow operators: (node, input dtypes, output dtypes) -> what their bodies tell
SUBGRAPH_TYPE_RULES: dict = {}


def _type_node(node, table) -> bool:
    in_keys = [(id(n), i) for n, i in node.inputs]
    out_keys = [(id(node), i) for i in range(node.num_outputs)]
    rule = _TYPE_RULES.get(node.op)
    body_rule = SUBGRAPH_TYPE_RULES.get(node.op) if node.subgraphs else None
    if body_rule is not None:
        new_ins, new_outs = body_rule(node, [table.get(k) for k in in_keys],
                                      [table.get(k) for k in out_keys])
    elif rule is None:
        new_ins, new_outs = [_ALL] * len(in_keys), [_ALL] * len(out_keys)
    else:
        new_ins, new_outs = rule(_opdefs.parse(node.op, node.attrs), len(in_keys),
                                 len(out_keys))
    keys, news = in_keys + out_keys, list(new_ins) + list(new_outs)
    shared = None
    for key, new in zip(keys, news):
        have = table.get(key)
        if new is _ALL and have is not None:
            if shared is not None and shared != have:
                raise MXNetError(f"infer_type: type inconsistent at node {node.name!r} "
                                 f"({node.op}): {onp.dtype(shared).name} and "
                                 f"{onp.dtype(have).name}")
            shared = have
    changed = False
    for key, new in zip(keys, news):
        new = shared if new is _ALL else new
        have = table.get(key)
        if new is not None and have is None:
            table[key] = new
            changed = True
        elif new is not None and have != new:
            raise MXNetError(f"infer_type: type inconsistent at node {node.name!r} "
                             f"({node.op}): {onp.dtype(have).name} given, "
                             f"{onp.dtype(new).name} inferred")
    return changed
