"""Running a Symbol: ``evaluate`` walks the graph calling each operator's mxnp function, and
``Executor`` (what ``bind``/``simple_bind`` return) keeps the argument, gradient and auxiliary
arrays, recording the forward on mxnp's tape when gradients are asked for."""
from __future__ import annotations

from .. import autograd
from .. import numpy as np
from ..base import MXNetError
from ..ndarray.ndarray import to_nd
from . import _infer, _opdefs
from ._node import Node, topo_order

_REQS = ("write", "add", "null")


def evaluate(heads, values: dict) -> list:
    """The arrays of ``heads`` (``(node, index)`` pairs) given an array for every variable."""
    order = topo_order(heads)
    created = {}
    if any(n.op in _infer._CREATIONS and not _infer._known(
            _opdefs.parse(n.op, n.attrs).get("shape")) for n in order):
        # a begin state of batch size 0: its shape comes from the inputs', as MXNet infers it
        created = _infer.created_shapes(heads, {k: tuple(v.shape) for k, v in values.items()})
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
        run = node if id(node) not in created else \
            Node(node.op, node.name, dict(node.attrs, shape=str(created[id(node)])))
        out = _opdefs.call(run, [env[id(n)][i] for n, i in node.inputs])
        env[id(node)] = list(out) if isinstance(out, (list, tuple)) else [out]
        for n, _ in node.inputs:
            if last_use[id(n)] == k and id(n) not in keep:
                env.pop(id(n), None)
    return [env[id(n)][i] for n, i in heads]


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
    """A bound Symbol: ``forward`` computes ``outputs``, ``backward`` fills ``grad_dict``."""

    def __init__(self, symbol, ctx, args, args_grad=None, grad_req="write", aux_states=None):
        self._symbol, self._ctx = symbol, ctx
        self._arg_names = symbol.list_arguments()
        self._aux_names = symbol.list_auxiliary_states()
        self.arg_arrays = _by_name(args, self._arg_names, "args")
        self.aux_arrays = _by_name(aux_states or {}, self._aux_names, "aux_states")
        for name, a in zip(self._arg_names + self._aux_names, self.arg_arrays + self.aux_arrays):
            _as_array(a, name)
        reqs = grad_req if isinstance(grad_req, (list, dict)) else \
            [grad_req] * len(self._arg_names)
        self._reqs = [r or "null" for r in _by_name(reqs, self._arg_names, "grad_req", True)]
        if any(r not in _REQS for r in self._reqs):
            raise ValueError(f"Executor: grad_req must be one of {_REQS}, got {grad_req!r}")
        grads = _by_name(args_grad, self._arg_names, "args_grad", True)
        self.grad_arrays = [g if r != "null" else None for g, r in zip(grads, self._reqs)]
        self.outputs = []

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
        values = dict(zip(self._arg_names, self.arg_arrays))
        values.update(zip(self._aux_names, self.aux_arrays))
        record = is_train and any(r != "null" for r in self._reqs)
        if record:
            self._leaves = []
            for name, a, req in zip(self._arg_names, self.arg_arrays, self._reqs):
                # a fresh leaf per forward: the user's array keeps no tape state of ours
                leaf = a.detach() if req != "null" else a
                if req != "null":
                    leaf.attach_grad("write")
                    self._leaves.append(leaf)
                values[name] = leaf
            with autograd.record(train_mode=True):
                outs = evaluate(self._symbol._outputs, values)
        else:
            mode = autograd.train_mode() if is_train else autograd.predict_mode()
            with autograd.pause(), mode:
                outs = evaluate(self._symbol._outputs, values)
        self.outputs = to_nd(outs, tuple(values.values()))  # MXNet's executors give mx.nd
        self._recorded = record
        return self.outputs

    def backward(self, out_grads=None, is_train: bool = True) -> None:
        """Gradients of the outputs (seeded with ``out_grads``, or ones) into ``grad_arrays``
        by each argument's grad_req."""
        if not getattr(self, "_recorded", False):
            raise MXNetError("Executor.backward: call forward(is_train=True) first, with some "
                             "grad_req other than 'null'")
        if out_grads is not None and not isinstance(out_grads, (list, tuple)):
            out_grads = [out_grads]
        autograd.backward(self.outputs, head_grads=out_grads, train_mode=is_train)
        leaves = iter(self._leaves)
        for i, req in enumerate(self._reqs):
            if req == "null":
                continue
            g = next(leaves).grad
            if self.grad_arrays[i] is None:
                self.grad_arrays[i] = to_nd(np.zeros_like(g))
            if req == "add":
                self.grad_arrays[i][...] += g
            else:
                self.grad_arrays[i][...] = g

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


def simple_bind(symbol, ctx, grad_req, type_dict: dict, shapes: dict) -> Executor:
    """An Executor over zero arrays shaped from ``shapes`` by shape inference."""
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        raise MXNetError(f"simple_bind: the shapes {shapes} do not determine every argument's "
                         f"shape ({symbol.list_arguments()})")
    names = symbol.list_arguments()
    args = to_nd([np.zeros(s, dtype=type_dict.get(n, "float32"), ctx=ctx)
                  for n, s in zip(names, arg_shapes)])
    aux = to_nd([np.zeros(s, dtype="float32", ctx=ctx) for s in aux_shapes])
    grads = to_nd([np.zeros_like(a) for a in args])
    return Executor(symbol, ctx, args, grads, grad_req, aux)
