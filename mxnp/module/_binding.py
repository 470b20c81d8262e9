"""What ``Module.bind`` needs beside the Module: checking input names against the Symbol,
reading data descriptions, choosing the one device, and making the Executor."""
from __future__ import annotations

import warnings

from .. import ndarray as nd
from ..base import MXNetError
from ..context import Context, cpu
from ..io import DataDesc
from ..symbol import Executor


def names_list(names) -> list:
    """``names`` as a list (None is no names)."""
    return list(names) if names is not None else []


def check_names_in(symbol, names, kind: str, throw: bool) -> None:
    """Each of ``names`` must be an argument of ``symbol`` (labels only warn, as MXNet)."""
    args = symbol.list_arguments()
    for name in names:
        if name not in args:
            inputs = [a for a in args if not a.endswith(("_weight", "_bias", "_gamma", "_beta"))]
            msg = (f"Module: {kind}_names={names} names {name!r}, which is not an argument of "
                   f"the symbol; its inputs (arguments that are not weights) are {inputs}")
            if throw:
                raise ValueError(msg)
            warnings.warn(msg, stacklevel=3)


def as_descs(shapes, names, kind: str, throw: bool):
    """``shapes`` (DataDescs or (name, shape) pairs) as DataDescs, checked against ``names``
    (a mismatch raises for data and warns for labels, as MXNet)."""
    descs = None if shapes is None else [
        s if isinstance(s, DataDesc) else DataDesc(*s) for s in shapes]
    given = [d.name for d in descs or []]
    if sorted(given) != sorted(names):
        msg = (f"Module.bind: the {kind} shapes name {given} but the module's {kind}_names are "
               f"{list(names)}")
        if throw:
            raise ValueError(msg)
        warnings.warn(msg, stacklevel=3)
    return descs


def with_batch(desc: DataDesc, size: int) -> tuple:
    """``desc``'s shape with ``size`` on its batch axis."""
    shape = list(desc.shape)
    if shape:
        shape[DataDesc.get_batch_axis(desc.layout)] = size
    return tuple(shape)


def one_context(context) -> Context:
    """The one device mxnp's Module runs on (a list must name one device)."""
    if context is None:
        return cpu()
    if isinstance(context, Context):
        return context
    contexts = list(context)
    if not contexts or any(c != contexts[0] for c in contexts):
        raise NotImplementedError(f"Module: mxnp runs a module on one device; got context="
                                  f"{contexts} (data parallelism over several is not supported)")
    return contexts[0]


def check_kvstore(kvstore) -> None:
    """Updates happen on the one device: only a local store (or none) makes sense."""
    name = kvstore if isinstance(kvstore, str) or kvstore is None else \
        getattr(kvstore, "type", "")
    if name and "dist" in name:
        raise NotImplementedError(f"Module.init_optimizer: distributed kvstore {name!r} is not "
                                  "supported by mxnp's Module")


def make_executor(symbol, ctx, descs, reqs: dict, param_names, old=None) -> Executor:
    """An Executor of ``symbol`` for the input ``descs``, with gradient arrays where ``reqs``
    asks; the parameter (and gradient, auxiliary) arrays of ``old`` that keep their shape are
    shared, so a reshape goes on training the same weights."""
    shapes = {d.name: tuple(d.shape) for d in descs}
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        raise MXNetError(f"Module.bind: the shapes {shapes} do not determine the shapes of "
                         f"all the symbol's arguments {symbol.list_arguments()}")
    arg_types, _, aux_types = symbol.infer_type(**{d.name: d.dtype for d in descs})
    names, aux_names = symbol.list_arguments(), symbol.list_auxiliary_states()

    def array(name, shape, dtype, pool):
        if name in pool and tuple(pool[name].shape) == tuple(shape):
            return pool[name]
        return nd.zeros(shape, ctx=ctx, dtype=dtype or "float32")

    old_args = {n: a for n, a in old.arg_dict.items() if n in param_names} if old else {}
    args = [array(n, s, t, old_args)
            for n, s, t in zip(names, arg_shapes, arg_types or [None] * len(names))]
    aux = [array(n, s, t, old.aux_dict if old else {})
           for n, s, t in zip(aux_names, aux_shapes, aux_types or [None] * len(aux_names))]
    old_grads = {n: g for n, g in old.grad_dict.items() if g is not None} if old else {}
    grads = {n: array(n, a.shape, a.dtype, old_grads) for n, a in zip(names, args)
             if reqs.get(n, "null") != "null"}
    new = Executor(symbol, ctx, args, grads, reqs or "null", aux)
    if old is not None and old._monitor is not None:  # a reshape keeps the monitor, as MXNet's
        new.set_monitor_callback(*old._monitor)
    return new
