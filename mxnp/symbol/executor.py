"""Running a Symbol: ``evaluate`` walks the graph calling each operator's mxnp function, and
``Executor`` (what ``bind``/``simple_bind`` return) keeps the argument, gradient and auxiliary
arrays, recording the forward on mxnp's tape when gradients are asked for."""
from __future__ import annotations

import math

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._ndarray import _wrap
from ..base import MXNetError
from ..ndarray.ndarray import nd_handle, nd_view, to_nd
from . import _infer, _opdefs
from ._node import Node, topo_order

_REQS = ("write", "add", "null")


def evaluate(heads, values: dict, monitor=None) -> list:
    """The arrays of ``heads`` (``(node, index)`` pairs) given an array for every variable.
    ``monitor`` (``(callback, monitor_all)``) is called as MXNet's executor monitor calls it:
    with each operator's outputs by name, and before them, when ``monitor_all``, its inputs
    (a variable input also under its own name)."""
    order = topo_order(heads)
    # a begin state of batch size 0 (an arange(infer_range=True)) takes the shape found from
    # the inputs', as MXNet infers it
    created = _infer.created_shapes(order, values)
    # each node's results are dropped after its last user: a long graph keeps few alive
    last_use = {id(n): k for k, node in enumerate(order) for n, _ in node.inputs}
    keep = {id(n) for n, _ in heads}
    env = {}
    for k, node in enumerate(order):
        if node.is_variable:
            if node.name not in values:
                raise MXNetError(f"mx.sym: no array given for the input {node.name!r}; the "
                                 f"given ones are {sorted(values)}")
            env[id(node)] = [values[node.name]]
            continue
        run = node if id(node) not in created else Node(node.op, node.name, created[id(node)])
        args = [env[id(n)][i] for n, i in node.inputs]
        if monitor is not None and monitor[1]:
            _report_inputs(monitor[0], node, args)
        out = _opdefs.call(run, args)
        env[id(node)] = list(out) if isinstance(out, (list, tuple)) else [out]
        if monitor is not None:
            for i, a in enumerate(env[id(node)]):
                _report(monitor[0], _opdefs.output_label(node, i), a)
        for n, _ in node.inputs:
            if last_use[id(n)] == k and id(n) not in keep:
                env.pop(id(n), None)
    return [env[id(n)][i] for n, i in heads]


def _report(callback, name: str, array) -> None:
    """One monitor call: the name as bytes and the array as a handle, as MXNet's C callback
    passes them (``mx.nd.NDArray(handle)`` gives the array back)."""
    callback(name.encode(), nd_handle(to_nd(array)))


def _report_inputs(callback, node, args) -> None:
    for (src, _), label, a in zip(node.inputs, _opdefs.monitor_input_names(node, len(args)),
                                  args):
        if src.is_variable:
            _report(callback, src.name, a)
        _report(callback, f"{node.name}_{label}", a)


def run_graph(symbol, values: dict, ctx=None, is_train: bool = False) -> list:
    """``symbol.eval``: its outputs, computed without recording."""
    values = {k: _as_array(v, k, ctx) for k, v in values.items()}
    mode = autograd.train_mode() if is_train else autograd.predict_mode()
    with autograd.pause(), mode:
        return to_nd(evaluate(symbol._outputs, values), tuple(values.values()))


def _as_array(value, name, ctx=None):
    if isinstance(value, np.ndarray):
        return value if ctx is None else value.as_in_ctx(ctx)
    raise TypeError(f"mx.sym: the input {name!r} must be an mxnp array, got "
                    f"{type(value).__name__}")


def _by_name(values, names, what: str, allow_none: bool = False) -> list:
    """``values`` (a list in ``names`` order, or a dict) as a list in ``names`` order."""
    if values is None:
        return [None] * len(names)
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing and not allow_none:
            raise MXNetError(f"Executor: {what} has no array for {missing}")
        return [values.get(n) for n in names]
    values = list(values)
    if len(values) != len(names):
        raise MXNetError(f"Executor: {what} has {len(values)} arrays for the {len(names)} "
                         f"names {names}")
    return values


class Executor:
    """A bound Symbol: ``forward`` computes ``outputs``, ``backward`` fills ``grad_dict``.

    As in MXNet, the output arrays exist from the bind on and every forward writes into them,
    so a reference to ``outputs[0]`` stays current."""

    def __init__(self, symbol, ctx, args, args_grad=None, grad_req="write", aux_states=None,
                 group2ctx=None):
        self._symbol, self._ctx = symbol, ctx
        self._group2ctx = group2ctx
        self._output_ctxs = output_contexts(symbol, ctx, group2ctx)
        self._arg_names = symbol.list_arguments()
        self._aux_names = symbol.list_auxiliary_states()
        self.arg_arrays = _by_name(args, self._arg_names, "args")
        self.aux_arrays = _by_name(aux_states or {}, self._aux_names, "aux_states")
        for name, a in zip(self._arg_names + self._aux_names, self.arg_arrays + self.aux_arrays):
            _as_array(a, name)
        self._grad_req = grad_req
        reqs = grad_req if isinstance(grad_req, (list, dict)) else \
            [grad_req] * len(self._arg_names)
        self._reqs = [r or "null" for r in _by_name(reqs, self._arg_names, "grad_req", True)]
        if any(r not in _REQS for r in self._reqs):
            raise ValueError(f"Executor: grad_req must be one of {_REQS}, got {grad_req!r}")
        grads = _by_name(args_grad, self._arg_names, "args_grad", True)
        # as MXNet, an argument without a gradient array gets no gradient
        self._reqs = [r if g is not None else "null" for g, r in zip(grads, self._reqs)]
        self.grad_arrays = [g if r != "null" else None for g, r in zip(grads, self._reqs)]
        self._check_differentiable()
        self.outputs = self._output_arrays()
        self._recorded = False
        self._monitor = None

    def set_monitor_callback(self, callback, monitor_all: bool = False) -> None:
        """Call ``callback(name, handle)`` at each forward for every operator output
        (``conv_output``), and with ``monitor_all`` also for its inputs (``conv_data``,
        ``conv_weight`` ...); ``mx.nd.NDArray(handle)`` is the array."""
        self._monitor = (callback, bool(monitor_all))

    def _check_differentiable(self) -> None:
        """MXNet refuses at bind a graph whose gradient must pass an operator that has none."""
        flows = self._gradient_paths()
        for node in topo_order(self._symbol._outputs):
            if node.op in _NO_GRADIENT_OPS and flows.get(id(node)):
                raise MXNetError(f"bind: operator {node.op} (node {node.name!r}) is "
                                 "non-differentiable (it has no gradient), yet a gradient is "
                                 "asked for through it; use grad_req='null' for its inputs or "
                                 "stop_gradient after it")

    def _output_arrays(self) -> list:
        """Zero arrays of the outputs' shapes and dtypes (empty if inference cannot tell)."""
        try:
            shapes = self._symbol.infer_shape_partial(
                **{n: a.shape for n, a in zip(self._arg_names + self._aux_names,
                                              self.arg_arrays + self.aux_arrays)})[1]
            types = self._symbol.infer_type_partial(
                **{n: a.dtype for n, a in zip(self._arg_names + self._aux_names,
                                              self.arg_arrays + self.aux_arrays)})[1]
        except Exception:  # noqa: BLE001 - forward then makes them
            return []
        if not all(_infer._known(s) for s in shapes):
            return []
        return to_nd([np.zeros(s, dtype=t or "float32", ctx=c)
                      for s, t, c in zip(shapes, types, self._output_ctxs)])

    @property
    def arg_dict(self) -> dict:
        """``{argument name: its array}``."""
        return dict(zip(self._arg_names, self.arg_arrays))

    @property
    def grad_dict(self) -> dict:
        """``{argument name: its gradient array}`` (None where grad_req is 'null')."""
        return dict(zip(self._arg_names, self.grad_arrays))

    @property
    def aux_dict(self) -> dict:
        """``{auxiliary state name: its array}``."""
        return dict(zip(self._aux_names, self.aux_arrays))

    @property
    def output_dict(self) -> dict:
        """``{output name: its array}`` after a forward."""
        return dict(zip(self._symbol.list_outputs(), self.outputs))

    def forward(self, is_train: bool = False, **kwargs) -> list:
        """Compute the outputs; ``kwargs`` first overwrite named argument arrays."""
        for name, value in kwargs.items():
            if name not in self._arg_names:
                raise MXNetError(f"Executor.forward: unknown argument {name!r}; the arguments "
                                 f"are {self._arg_names}")
            self.arg_dict[name][...] = value
        self._run(is_train, record=is_train and any(r != "null" for r in self._reqs))
        return self.outputs

    def _run(self, is_train: bool, record: bool) -> None:
        values = dict(zip(self._arg_names, self.arg_arrays))
        values.update(zip(self._aux_names, self.aux_arrays))
        if record:
            self._leaves = []
            for name, a, req in zip(self._arg_names, self.arg_arrays, self._reqs):
                # a fresh leaf per forward: the user's array keeps no tape state of ours
                leaf = a.detach() if req != "null" else a
                if req != "null":
                    leaf.attach_grad("write")
                    self._leaves.append(leaf)
                values[name] = leaf
            with autograd.record(train_mode=is_train):
                outs = evaluate(self._symbol._outputs, values, self._monitor)
        else:
            mode = autograd.train_mode() if is_train else autograd.predict_mode()
            with autograd.pause(), mode:
                outs = evaluate(self._symbol._outputs, values, self._monitor)
        outs = to_nd(outs, tuple(values.values()))  # MXNet's executors give mx.nd
        self._heads = outs
        same = len(self.outputs) == len(outs) and all(
            o.shape == r.shape and o.dtype == r.dtype and o.stype == r.stype
            for o, r in zip(self.outputs, outs))
        if same:
            with autograd.pause():
                for o, r in zip(self.outputs, outs):
                    o[...] = r.detach()
        else:
            self.outputs = [o if o.context == c else o.as_in_context(c)
                            for o, c in zip(outs, self._output_ctxs)]
        self._recorded = record

    def backward(self, out_grads=None, is_train: bool = True) -> None:
        """Gradients of the outputs (seeded with ``out_grads``, or ones) into ``grad_arrays``
        by each argument's grad_req. After a forward that did not record (``is_train=False``),
        the forward runs again recording, as MXNet's backward then works from it."""
        if all(r == "null" for r in self._reqs):
            return
        if not self._recorded:
            self._run(False, record=True)
        if out_grads is not None and not isinstance(out_grads, (list, tuple)):
            out_grads = [out_grads]
        linked = [k for k, h in enumerate(self._heads) if h._node is not None]
        if linked:  # outputs cut off the tape (stop_gradient) give no gradient
            autograd.backward([self._heads[k] for k in linked],
                              head_grads=None if out_grads is None else
                              [out_grads[k] for k in linked], train_mode=is_train)
        leaves = iter(self._leaves)
        for i, req in enumerate(self._reqs):
            if req == "null":
                continue
            leaf = next(leaves)
            g = leaf.grad if linked else np.zeros_like(leaf)
            if self.grad_arrays[i] is None:
                self.grad_arrays[i] = to_nd(np.zeros_like(g))
            if req == "add":
                self.grad_arrays[i][...] += g
            else:
                self.grad_arrays[i][...] = g
        self._recorded = False

    def copy_params_from(self, arg_params, aux_params=None,
                         allow_extra_params: bool = False) -> None:
        """Copy the arrays of ``arg_params``/``aux_params`` into this executor's own."""
        for params, own in ((arg_params, self.arg_dict), (aux_params or {}, self.aux_dict)):
            for name, value in params.items():
                if name in own:
                    own[name][...] = value
                elif not allow_extra_params:
                    raise ValueError(f"Executor.copy_params_from: {name!r} is not an argument "
                                     f"or auxiliary state of this executor")

    def reshape(self, partial_shaping: bool = False, allow_up_sizing: bool = False,
                **kwargs) -> Executor:
        """An Executor of the same symbol for new input shapes (``kwargs``), sharing this one's
        arrays: an array whose shape stays is the same array, a smaller one a view of the start
        of this one's memory; a bigger one is new, and needs ``allow_up_sizing``."""
        arg_shapes, _, aux_shapes = self._symbol.infer_shape(**kwargs)
        if arg_shapes is None:
            raise MXNetError(f"Executor.reshape: the shapes {kwargs} do not determine every "
                             f"argument's shape ({self._arg_names})")
        for name in self._arg_names:
            shape = arg_shapes[self._arg_names.index(name)]
            if name not in kwargs and shape != self.arg_dict[name].shape and \
                    not partial_shaping:
                raise MXNetError(f"Executor.reshape: the shape of {name!r} changes from "
                                 f"{self.arg_dict[name].shape} to {shape}, and it was not "
                                 f"given; pass partial_shaping=True to allow it")

        def share(old, shape, name):
            if old is None:
                return None
            if old.shape == tuple(shape):
                return old
            return _resized(old, shape, allow_up_sizing, name)

        args = [share(a, s, n) for a, s, n in zip(self.arg_arrays, arg_shapes, self._arg_names)]
        grads = [share(g, s, n) for g, s, n in zip(self.grad_arrays, arg_shapes,
                                                    self._arg_names)]
        aux = [share(a, s, n) for a, s, n in zip(self.aux_arrays, aux_shapes, self._aux_names)]
        new = Executor(self._symbol, self._ctx, args, grads, self._grad_req, aux,
                       self._group2ctx)
        new._monitor = self._monitor
        if len(new.outputs) == len(self.outputs):
            new.outputs = [share(o, n.shape, "output") for o, n in zip(self.outputs,
                                                                         new.outputs)]
        return new

    def debug_str(self) -> str:
        """The graph's nodes in running order and the memory its arrays take, in the manner of
        MXNet's ``Executor.debug_str`` (whose exact numbers come from its memory planner)."""
        lines = ["Symbol Outputs:"]
        lines += [f"\toutput[{i}]={name}" for i, name in enumerate(self._symbol.list_outputs())]
        shapes = dict(zip(self._arg_names + self._aux_names,
                          (a.shape for a in self.arg_arrays + self.aux_arrays)))
        types = {n: a.dtype for n, a in zip(self._arg_names + self._aux_names,
                                           self.arg_arrays + self.aux_arrays)}
        internals = self._symbol.get_internals()
        out_shapes = internals.infer_shape_partial(**shapes)[1]
        out_types = internals.infer_type_partial(**types)[1] or []
        size = {}
        for (node, i), shape, t in zip(internals._outputs, out_shapes, out_types):
            if not node.is_variable and node.op not in _IN_PLACE:
                n = math.prod(shape) if shape else 0
                size[id(node)] = size.get(id(node), 0) + n * onp.dtype(t or "float32").itemsize
        total = sum(size.values())
        if self._gradient_flows():
            total *= 2  # the backward pass keeps a gradient of each
        for node in topo_order(self._symbol._outputs):
            if node.is_variable:
                lines.append(f"Variable:{node.name}")
                continue
            lines.append("--------------------")
            lines.append(f"Op:{node.op}, Name={node.name}")
            lines.append("Inputs:")
            lines += [f"\targ[{k}]={n.name}({i})" for k, (n, i) in enumerate(node.inputs)]
        lines.append(f"Total {int(total // (1 << 20))} MB allocated")
        return "\n".join(lines) + "\n"

    def _gradient_paths(self) -> dict:
        """``id(node)`` -> whether a gradient passes it: it depends on an argument asked for
        a gradient and reaches an output without a BlockGrad/stop_gradient in between."""
        order = topo_order(self._symbol._outputs)
        wanted = {n for n, r in zip(self._arg_names, self._reqs) if r != "null"}
        fed = {}
        for node in order:
            fed[id(node)] = node.name in wanted if node.is_variable else any(
                fed[id(n)] for n, _ in node.inputs)
        reached = {id(n) for n, _ in self._symbol._outputs}
        for node in reversed(order):
            if id(node) in reached and node.op not in _CUTS_GRADIENT:
                reached.update(id(n) for n, _ in node.inputs)
        return {k: fed[k] and k in reached for k in fed}

    def _gradient_flows(self) -> bool:
        """Whether any gradient reaches an argument."""
        flows = self._gradient_paths()
        return any(flows[id(n)] for n in topo_order(self._symbol._outputs) if n.is_variable)


_CUTS_GRADIENT = frozenset({"BlockGrad", "stop_gradient"})
# operators MXNet registers without a gradient
_NO_GRADIENT_OPS = frozenset({"batch_take"})
# operators whose output MXNet's memory planner keeps in their input's memory
_IN_PLACE = frozenset({"BlockGrad", "stop_gradient", "Reshape", "reshape", "Flatten",
                       "flatten", "expand_dims", "make_loss", "MakeLoss"})


def _resized(old, shape, allow_up_sizing: bool, name: str):
    """An array of ``shape``: a view of the start of ``old``'s memory when it fits."""
    size = math.prod(shape)
    if size <= old.size and old._data.flags.c_contiguous:
        return nd_view(_wrap(old._data.reshape(-1)[:size].reshape(shape), old._device))
    if not allow_up_sizing:
        raise MXNetError(f"Executor.reshape: {name!r} would grow from {old.shape} to "
                         f"{tuple(shape)}; pass allow_up_sizing=True to allow new memory")
    return to_nd(np.zeros(shape, dtype=old.dtype, ctx=old.ctx))


def _group_of(node) -> str | None:
    return node.attrs.get("__ctx_group__")


def variable_contexts(symbol, ctx, group2ctx) -> dict:
    """``{variable name: context}`` for the arrays ``simple_bind`` makes: as MXNet 1.9.1's
    simple_bind, a variable made under ``AttrScope(ctx_group=g)`` with ``g`` in ``group2ctx``
    goes to ``group2ctx[g]``, every other one to ``ctx``."""
    group2ctx = group2ctx or {}
    return {n.name: group2ctx.get(_group_of(n), ctx)
            for n in topo_order(symbol._outputs) if n.is_variable}


def output_contexts(symbol, ctx, group2ctx) -> list:
    """The context of each output under ``group2ctx``, placed as MXNet's PlaceDevice pass
    places nodes: a node of a ``ctx_group`` on its group's context, another on that of its
    first placed input, then, going back from the outputs, an unplaced input on its user's;
    what is left on ``ctx``. A group missing from a non-empty ``group2ctx`` is an error."""
    if not group2ctx:
        return [ctx] * len(symbol._outputs)
    order = topo_order(symbol._outputs)
    placed = {}
    for node in order:
        group = _group_of(node)
        if group is not None:
            if group not in group2ctx:
                raise MXNetError(f"bind: node {node.name!r} is in ctx_group {group!r}, which "
                                 f"group2ctx does not assign (it has {sorted(group2ctx)})")
            placed[id(node)] = group2ctx[group]
            continue
        for src, _ in node.inputs:
            if id(src) in placed:
                placed[id(node)] = placed[id(src)]
                break
    for node in reversed(order):
        if id(node) in placed:
            for src, _ in node.inputs:
                placed.setdefault(id(src), placed[id(node)])
    return [placed.get(id(n), ctx) for n, _ in symbol._outputs]


def simple_bind(symbol, ctx, grad_req, type_dict: dict, shapes: dict,
                stype_dict=None, group2ctx=None) -> Executor:
    """An Executor over zero arrays shaped from ``shapes`` by shape inference, an argument and
    its gradient in the storage ``stype_dict`` or its variable's ``stype`` gives, each on the
    context ``variable_contexts`` gives it."""
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        raise MXNetError(f"simple_bind: the shapes {shapes} do not determine every argument's "
                         f"shape ({symbol.list_arguments()})")
    arg_types, _, aux_types = symbol.infer_type_partial(**type_dict)
    arg_types = arg_types or [None] * len(arg_shapes)
    aux_types = aux_types or [None] * len(aux_shapes)
    where = variable_contexts(symbol, ctx, group2ctx)
    args = to_nd([np.zeros(s, dtype=t or "float32", ctx=where[n])
                  for s, t, n in zip(arg_shapes, arg_types, symbol.list_arguments())])
    aux = to_nd([np.zeros(s, dtype=t or "float32", ctx=where[n])
                 for s, t, n in zip(aux_shapes, aux_types, symbol.list_auxiliary_states())])
    grads = to_nd([np.zeros_like(a) for a in args])
    attrs = symbol.attr_dict()
    grad_stypes = _grad_stypes(symbol)
    for i, name in enumerate(symbol.list_arguments()):
        stype = (stype_dict or {}).get(name) or _STYPES[
            int(attrs.get(name, {}).get("__storage_type__", 0))]
        args[i] = args[i].tostype(stype)
        grads[i] = grads[i].tostype(grad_stypes.get(name, stype))
    return Executor(symbol, ctx, args, grads, grad_req, aux, group2ctx)


_STYPES = ("default", "row_sparse", "csr")  # MXNet's __storage_type__ codes


def _grad_stypes(symbol) -> dict:
    """The gradient storage MXNet's backward inference gives the variables that feed an
    Embedding's weight (row_sparse with sparse_grad, else dense) or the right side of a dot
    of a csr variable (row_sparse), by name."""
    out = {}
    for node in topo_order(symbol._outputs):
        (src, _), *rest = node.inputs or [(None, 0)]
        if node.op in ("Embedding", "_contrib_SparseEmbedding") and rest and \
                rest[0][0].is_variable:
            sparse = node.op != "Embedding" or \
                str(node.attrs.get("sparse_grad", "False")).lower() in ("true", "1")
            out[rest[0][0].name] = "row_sparse" if sparse else "default"
        elif node.op == "dot" and src.is_variable and rest and rest[0][0].is_variable and \
                src.attrs.get("__storage_type__") == "2" and \
                str(node.attrs.get("transpose_b", "False")).lower() not in ("true", "1"):
            out[rest[0][0].name] = "row_sparse"
    return out
