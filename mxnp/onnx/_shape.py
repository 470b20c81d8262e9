"""Converters of MXNet's shape operators (reshape, transpose, slicing, joining, splitting,
padding), reductions and matrix products."""
from __future__ import annotations

import itertools

from ._graph import converts

_INT64_MAX, _INT64_MIN = 2 ** 63 - 1, -(2 ** 63)


def _known(shape) -> bool:
    return shape is not None and all(d > 0 for d in shape)


# ---- reshaping -----------------------------------------------------------------------------
@converts("Reshape", "reshape", "_npx_reshape", "_np_reshape")
def reshape(g, n):
    """Reshape: codes ONNX shares (positive sizes, -1, and 1.x's 0 'copy') are written as they
    are; MXNet's other codes (-2, -3, -4 ...) and ``reverse`` become the inferred shape."""
    codes = n.ints("shape" if n.op in ("Reshape", "reshape") else "newshape")
    shared = {-1, 0} if n.op in ("Reshape", "reshape") else {-1}
    if not n.flag("reverse") and all(c > 0 or c in shared for c in codes):
        target = list(codes)
    elif _known(n.out_shapes[0]):
        target = list(n.out_shapes[0])
    else:
        raise n.fail(f"the shape codes {codes} need the output shape, which is unknown")
    g.add("Reshape", [n.inputs[0], g.ints(target, n.name + "_shape")], n.out[0])


@converts("Flatten", "flatten", "_npx_batch_flatten")
def flatten(g, n):
    """Flatten to (batch, -1)."""
    g.add("Flatten", [n.inputs[0]], n.out[0])  # ONNX's default axis is 1


@converts("transpose", "_np_transpose", "_npi_transpose")
def transpose(g, n):
    """transpose; no axes reverses them."""
    axes = n.ints("axes", ())
    perm = [a % n.rank for a in axes] if axes else list(reversed(range(n.rank)))
    g.add("Transpose", [n.inputs[0]], n.out[0], perm=perm)


@converts("SwapAxis", "swapaxes", "_npi_swapaxes")
def swapaxes(g, n):
    """SwapAxis -> Transpose."""
    perm = list(range(n.rank))
    i, j = (int(n.get(k, 0)) % n.rank for k in ("dim1", "dim2"))
    perm[i], perm[j] = perm[j], perm[i]
    g.add("Transpose", [n.inputs[0]], n.out[0], perm=perm)


@converts("expand_dims", "_npi_expand_dims")
def expand_dims(g, n):
    """expand_dims -> Unsqueeze."""
    g.axes_op("Unsqueeze", n.inputs[0], [int(n.get("axis")) % (n.rank + 1)], n.out[0])


@converts("squeeze", "_np_squeeze", "_npi_squeeze")
def squeeze(g, n):
    """squeeze; no axis squeezes the size-1 axes of the (known) input shape."""
    axes = n.ints("axis", ())
    axes = [a % n.rank for a in axes] if axes else [i for i, d in enumerate(n.shapes[0]) if d == 1]
    g.axes_op("Squeeze", n.inputs[0], axes, n.out[0])


# ---- slicing, joining, splitting -----------------------------------------------------------
def _slice(g, n, begins, ends, steps, axes):
    """Slice, with MXNet's None bounds made explicit for the step's direction."""
    starts = [(0 if s > 0 else _INT64_MAX) if b is None else b for b, s in zip(begins, steps)]
    stops = [(_INT64_MAX if s > 0 else _INT64_MIN) if e is None else e for e, s in zip(ends, steps)]
    g.add("Slice", [n.inputs[0], g.ints(starts, "starts"), g.ints(stops, "ends"),
                    g.ints(axes, "axes"), g.ints(steps, "steps")], n.out[0])


@converts("slice", "crop", "_npi_slice")
def slice_(g, n):
    """slice(begin, end, step) on the leading axes."""
    begins, ends = n.ints("begin"), n.ints("end")
    steps = [1 if s is None else s for s in n.ints("step", ())] or [1] * len(begins)
    _slice(g, n, begins, ends, steps, list(range(len(begins))))


@converts("slice_axis")
def slice_axis(g, n):
    """slice_axis(axis, begin, end)."""
    _slice(g, n, [n.get("begin")], [n.get("end")], [1], [int(n.get("axis")) % n.rank])


@converts("Concat", "concat", "_npi_concatenate")
def concat(g, n):
    """Concat along ``dim`` (1.x, default 1) or ``axis`` (numpy mode, default 0)."""
    axis = int(n.get("dim", 1)) if "dim" in n.attrs or n.op != "_npi_concatenate" \
        else int(n.get("axis", 0))
    g.add("Concat", n.inputs, n.out[0], axis=axis % n.rank)


@converts("stack", "_npi_stack")
def stack(g, n):
    """stack: Unsqueeze each input, then Concat."""
    axis = int(n.get("axis", 0)) % (n.rank + 1)
    parts = [g.axes_op("Unsqueeze", x, [axis], g.fresh(f"{n.name}_part")) for x in n.inputs]
    g.add("Concat", parts, n.out[0], axis=axis)


@converts("SliceChannel", "split", "_split_v2", "_npi_split")
def split(g, n):
    """SliceChannel (num_outputs equal parts) and split_v2 (indices or sections), squeezing
    the axis if asked."""
    axis = int(n.get("axis", 1 if n.op in ("SliceChannel", "split") else 0)) % n.rank
    size = n.shapes[0][axis]
    indices = n.ints("indices", ())
    if indices and indices != (0,):
        bounds = list(indices) + [size]
        if bounds[0] != 0:
            bounds = [0] + bounds
        sizes = [b - a for a, b in itertools.pairwise(bounds)]
    else:
        parts = int(n.get("num_outputs", n.get("sections", 1)))
        sizes = [size // parts] * parts
    squeeze_axis = n.flag("squeeze_axis")
    outs = [g.fresh(f"{o}_unsqueezed") for o in n.out] if squeeze_axis else n.out
    if g.opset >= 13:
        g.add("Split", [n.inputs[0], g.ints(sizes, "split")], outs, axis=axis)
    else:
        g.add("Split", [n.inputs[0]], outs, axis=axis, split=sizes)
    if squeeze_axis:
        for part, out in zip(outs, n.out):
            g.axes_op("Squeeze", part, [axis], out)


@converts("Pad", "pad")
def pad(g, n):
    """Pad (constant, edge, reflect): MXNet's (before, after) per axis -> ONNX's begins, ends."""
    widths = n.ints("pad_width")
    pads = list(widths[0::2]) + list(widths[1::2])
    value = g.const(float(n.get("constant_value", 0)), n.dtypes[0], hint=n.name + "_value")
    g.add("Pad", [n.inputs[0], g.ints(pads, "pads"), value], n.out[0],
          mode=n.get("mode", "constant"))


# ---- reductions ----------------------------------------------------------------------------
_REDUCE = {**dict.fromkeys(("sum", "sum_axis", "_np_sum", "_npi_sum"), "ReduceSum"),
           **dict.fromkeys(("mean", "_npi_mean", "_np_mean"), "ReduceMean"),
           **dict.fromkeys(("max", "max_axis", "_np_max", "_npi_max"), "ReduceMax"),
           **dict.fromkeys(("min", "min_axis", "_np_min", "_npi_min"), "ReduceMin"),
           **dict.fromkeys(("prod", "_np_prod", "_npi_prod"), "ReduceProd")}


@converts(*_REDUCE)
def reduce(g, n):
    """sum/mean/max/min/prod over ``axis`` (all if None or empty; the others with 1.x's
    ``exclude``), keeping 1.x's shape (1,) for a full reduction."""
    axes = [a % n.rank for a in n.ints("axis", ()) if a is not None]
    if n.flag("exclude"):
        axes = [i for i in range(n.rank) if i not in axes]
    axes = axes or list(range(n.rank))
    keep = int(n.flag("keepdims"))
    op_type = _REDUCE[n.op]
    wants_vector = not keep and tuple(n.out_shapes[0] or ()) == (1,) and len(axes) == n.rank
    out = g.fresh(n.name + "_scalar") if wants_vector else n.out[0]
    if op_type == "ReduceSum":
        g.axes_op("ReduceSum", n.inputs[0], axes, out, keepdims=keep)
    else:
        g.add(op_type, [n.inputs[0]], out, axes=axes, keepdims=keep)
    if wants_vector:
        g.add("Reshape", [out, g.ints([1], "shape")], n.out[0])


# ---- products ------------------------------------------------------------------------------
def _swap_last(g, x, rank):
    return g.add("Transpose", [x], perm=list(range(rank - 2)) + [rank - 1, rank - 2])


@converts("dot", "_np_dot")
def dot(g, n):
    """dot of matrices (optionally transposed), or of an N-d array and a matrix/vector over
    the last axis; other shapes are not supported."""
    a, b = n.inputs[:2]
    ranks = [len(s) for s in n.shapes[:2]]
    if n.flag("transpose_a"):
        if ranks[0] != 2:
            raise n.fail("transpose_a is supported for 2-d inputs only")
        a = _swap_last(g, a, 2)
    if n.flag("transpose_b"):
        if ranks[1] != 2:
            raise n.fail("transpose_b is supported for 2-d inputs only")
        b = _swap_last(g, b, 2)
    if 0 in ranks:
        g.add("Mul", [a, b], n.out[0])
    elif ranks[1] <= 2:
        g.add("MatMul", [a, b], n.out[0])
    else:
        raise n.fail(f"dot of shapes {n.shapes[0]} and {n.shapes[1]} is not supported")


@converts("batch_dot", "_npx_batch_dot", "_npi_matmul", "matmul")
def batch_dot(g, n):
    """batch_dot (with its transposes) and matmul -> MatMul."""
    a, b = n.inputs[:2]
    if n.flag("transpose_a"):
        a = _swap_last(g, a, len(n.shapes[0]))
    if n.flag("transpose_b"):
        b = _swap_last(g, b, len(n.shapes[1]))
    g.add("MatMul", [a, b], n.out[0])
