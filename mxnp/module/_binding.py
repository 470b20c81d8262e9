"""What ``Module.bind`` needs beside the Module: checking input names against the Symbol,
reading data descriptions, the devices' batch slices and kvstore, and making the Executor."""
from __future__ import annotations

import os
import warnings

import numpy as onp

from .. import ndarray as nd
from ..base import MXNetError
from ..context import Context, cpu
from ..io import DataDesc
from ..symbol import Executor
from ..symbol.executor import variable_contexts


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


def contexts_list(context) -> list:
    """``context`` as MXNet's Module keeps it: a list of Contexts (None is ``[cpu()]``)."""
    if context is None:
        return [cpu()]
    contexts = [context] if isinstance(context, Context) else list(context)
    if not contexts or any(c.device_type != contexts[0].device_type for c in contexts):
        raise NotImplementedError(f"Module: mxnp runs a module's devices as one executor on "
                                  f"the first, so they must be of one kind; got context="
                                  f"{contexts}")
    return contexts


def split_slices(batch_size: int, work_load_list) -> list:
    """The batch's slice for each device, in proportion to ``work_load_list`` (MXNet's
    ``_split_input_slice``: rounded shares, the remainder to the last device)."""
    total = sum(work_load_list)
    counts = [round(w * batch_size / total) for w in work_load_list]
    if sum(counts) < batch_size:
        counts[-1] += batch_size - sum(counts)
    slices, end = [], 0
    for n in counts:
        begin = min(end, batch_size)
        end = min(begin + n, batch_size)
        if begin >= end:
            raise ValueError("Too many slices. Some splits are empty.")
        slices.append(slice(begin, end))
    return slices


def device_parts(array, axis: int, slices) -> list:
    """``array``'s part on each device: its slices along the batch ``axis`` (an array without
    that batch axis, or of one device, is the same on every device)."""
    batch = slices[-1].stop
    if len(slices) == 1 or axis >= array.ndim or array.shape[axis] != batch:
        return [array] * len(slices)
    return [nd.slice_axis(array, axis=axis, begin=s.start, end=s.stop) for s in slices]


def joined(parts, axis: int):
    """One array from per-device ``parts`` (a list) joined along ``axis``; not a list: as is."""
    if not isinstance(parts, (list, tuple)):
        return parts
    return parts[0] if len(parts) == 1 else nd.concat(*parts, dim=axis)


def create_kvstore(kvstore, num_device: int, arg_params: dict):
    """``(kvstore or None, update_on_kvstore)`` as MXNet's ``model._create_kvstore``: a
    named store only for several devices (or dist), a KVStore object as given; updates run
    in the store unless MXNET_UPDATE_ON_KVSTORE=0 or a parameter passes 16M elements."""
    from .. import kvstore as kvs
    update_on_kvstore = bool(int(os.getenv("MXNET_UPDATE_ON_KVSTORE", "1")))
    kv = None
    if isinstance(kvstore, kvs.KVStoreBase):
        kv = kvstore
    elif isinstance(kvstore, str) and (num_device > 1 or "dist" in kvstore):
        kv = kvs.create(kvstore)
        if kvstore == "local" and arg_params:
            largest = max(int(onp.prod(p.shape)) for p in arg_params.values())
            update_on_kvstore &= largest <= 1024 * 1024 * 16
    if kv is None:
        return None, False
    return kv, update_on_kvstore and kv.is_capable(kvs.KVStoreBase.OPTIMIZER)


def check_kvstore(kvstore) -> None:
    """Updates happen on the one device: only a local store (or none) makes sense."""
    name = kvstore if isinstance(kvstore, str) or kvstore is None else \
        getattr(kvstore, "type", "")
    if name and "dist" in name:
        raise NotImplementedError(f"Module.init_optimizer: distributed kvstore {name!r} is not "
                                  "supported by mxnp's Module")


def make_executor(symbol, ctx, descs, reqs: dict, param_names, old=None,
                  group2ctx=None) -> Executor:
    """An Executor of ``symbol`` for the input ``descs``, with gradient arrays where ``reqs``
    asks; the parameter (and gradient, auxiliary) arrays of ``old`` that keep their shape are
    shared, so a reshape goes on training the same weights. ``group2ctx`` places arrays as
    ``simple_bind`` does."""
    shapes = {d.name: tuple(d.shape) for d in descs}
    arg_shapes, _, aux_shapes = symbol.infer_shape(**shapes)
    if arg_shapes is None:
        raise MXNetError(f"Module.bind: the shapes {shapes} do not determine the shapes of "
                         f"all the symbol's arguments {symbol.list_arguments()}")
    arg_types, _, aux_types = symbol.infer_type(**{d.name: d.dtype for d in descs})
    names, aux_names = symbol.list_arguments(), symbol.list_auxiliary_states()
    where = variable_contexts(symbol, ctx, group2ctx)

    def array(name, shape, dtype, pool):
        if name in pool and tuple(pool[name].shape) == tuple(shape):
            return pool[name]
        return nd.zeros(shape, ctx=where[name], dtype=dtype or "float32")

    old_args = {n: a for n, a in old.arg_dict.items() if n in param_names} if old else {}
    args = [array(n, s, t, old_args)
            for n, s, t in zip(names, arg_shapes, arg_types or [None] * len(names))]
    aux = [array(n, s, t, old.aux_dict if old else {})
           for n, s, t in zip(aux_names, aux_shapes, aux_types or [None] * len(aux_names))]
    old_grads = {n: g for n, g in old.grad_dict.items() if g is not None} if old else {}
    grads = {n: array(n, a.shape, a.dtype, old_grads) for n, a in zip(names, args)
             if reqs.get(n, "null") != "null"}
    new = Executor(symbol, ctx, args, grads, reqs or "null", aux, group2ctx)
    if old is not None and old._monitor is not None:  # a reshape keeps the monitor, as MXNet's
        new.set_monitor_callback(*old._monitor)
    return new
