"""Updater: applies an optimizer to indexed weights and keeps one state per index.

``get_states`` / ``set_states`` use a JSON document instead of MXNet's pickle, so loading a
file can never run code: arrays are stored as ``.npy`` bytes (no object arrays), and the
optimizer / lr scheduler are rebuilt only from classes already registered in this process.
"""
from __future__ import annotations

import base64
import io
import json
import sys

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._ndarray import ndarray
from ._base import _REGISTRY, Optimizer

__all__ = ["Updater", "get_updater"]

_FORMAT = "mxnp-optimizer-states"


class Updater:
    """Holds the optimizer states; ``updater(index, grad, weight)`` updates in place."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight):
        """Update ``weight`` (or lists of indices / grads / weights) with the optimizer."""
        if isinstance(index, (list, tuple)):
            indices, grads, weights = index, grad, weight
        else:
            indices, grads, weights = [index], [grad], [weight]
        opt, states, synced = self.optimizer, self.states, self.states_synced
        if weights:
            opt._set_current_context(weights[0].ctx.device_id)
        for idx, w in zip(indices, weights):
            if idx not in states:
                states[idx] = opt.create_state_multi_precision(idx, w)
                synced[idx] = True
            elif not synced[idx]:
                states[idx] = self.sync_state_context(states[idx], w.ctx)
                synced[idx] = True
        with autograd.pause():
            if opt.aggregate_num <= 0:  # an optimizer loaded by set_states may differ
                for idx, w, g in zip(indices, weights, grads):
                    opt.update_multi_precision(idx, w, g, states[idx])
                return
            # as MXNet: weights of one dtype together, aggregate_num of them per call
            if _one_dtype(weights):  # the usual case: one group, in order
                groups = [(indices, weights, grads)]
            else:
                by_dtype = {}
                for item in zip(indices, weights, grads):
                    by_dtype.setdefault(item[1].dtype, []).append(item)
                groups = [tuple(zip(*group)) for group in by_dtype.values()]
            n = opt.aggregate_num
            for idxs, ws, gs in groups:
                for start in range(0, len(ws), n):
                    idx = idxs[start:start + n]
                    opt.update_multi_precision(idx, ws[start:start + n], gs[start:start + n],
                                               [states[i] for i in idx])

    def sync_state_context(self, state, context):
        """The state (arrays, nested tuples/lists) moved to ``context``."""
        if isinstance(state, ndarray):
            return state.as_in_ctx(context)
        if isinstance(state, (tuple, list)):
            return type(state)(self.sync_state_context(s, context) for s in state)
        return state

    def set_states(self, states):
        """Restore states (and the optimizer, if saved with it) from ``get_states`` bytes."""
        doc = _parse(states)
        self.states = _decode(doc["states"])
        if "optimizer" in doc:
            self.optimizer = _decode(doc["optimizer"])
        self.states_synced = dict.fromkeys(self.states.keys(), False)

    def get_states(self, dump_optimizer=False):
        """The states as bytes (a JSON document), with the optimizer if ``dump_optimizer``."""
        doc = {"format": _FORMAT, "version": 1, "states": _encode(self.states)}
        if dump_optimizer:
            doc["optimizer"] = _encode(self.optimizer)
        return json.dumps(doc).encode("utf-8")


def _one_dtype(weights) -> bool:
    dtype = weights[0].dtype
    for w in weights:  # (a loop: all() over a generator costs more)
        if w.dtype != dtype:
            return False
    return True


def get_updater(optimizer):
    """An Updater for ``optimizer`` (MXNet's closure for kvstore updates)."""
    return Updater(optimizer)


def _parse(blob):
    if isinstance(blob, str):
        blob = blob.encode("utf-8")
    if blob[:1] == b"\x80":
        raise ValueError("these optimizer states are a Python pickle (MXNet's format); mxnp "
                         "does not unpickle files, since that can run arbitrary code. Save the "
                         "states again with mxnp")
    try:
        doc = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"not an mxnp optimizer-states document: {err}") from None
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise ValueError("not an mxnp optimizer-states document")
    return doc


# ---- a small tagged JSON encoding of states and optimizers --------------------------------
def _npy_bytes(raw) -> str:
    buf = io.BytesIO()
    onp.save(buf, raw, allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _npy_array(text):
    return onp.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def _encode(obj):
    """A JSON-ready form of ``obj``; containers and types are tagged so decoding is exact."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, ndarray):
        return {"ndarray": _npy_bytes(obj.asnumpy())}
    if isinstance(obj, onp.ndarray):
        return {"numpy": _npy_bytes(obj)}
    if isinstance(obj, onp.generic):
        return obj.item()
    if isinstance(obj, (tuple, list)):
        return {type(obj).__name__: [_encode(x) for x in obj]}
    if isinstance(obj, dict):
        return {"dict": [[_encode(k), _encode(v)] for k, v in obj.items()]}
    if isinstance(obj, Optimizer):
        return _encode_optimizer(obj)
    from .. import lr_scheduler

    if isinstance(obj, lr_scheduler.LRScheduler):
        return {"lr_scheduler": _class_key(type(obj)), "attrs": _encode(vars(obj))}
    raise TypeError(f"cannot save optimizer state of type {type(obj).__name__}; states may "
                    f"hold arrays, numbers, strings, None, tuples, lists and dicts")


def _encode_optimizer(opt):
    name = type(opt).__name__.lower()
    if _REGISTRY.get(name) is not type(opt):
        raise TypeError(f"cannot save optimizer {type(opt).__name__}: register it with "
                        f"mx.optimizer.register so it can be rebuilt on load")
    return {"optimizer": name, "attrs": _encode(opt.__getstate__())}


def _class_key(klass):
    alias = sys.modules.get("mxnp.compat.alias")  # the class's own names, not the alias's
    own = (klass.__module__, klass.__qualname__) if alias is None else alias.own_names(klass)
    return "{}:{}".format(*own)


def _scheduler_class(key):
    from .. import lr_scheduler

    # only classes already defined in this process, never an import by name from the file
    todo = [lr_scheduler.LRScheduler]
    while todo:
        klass = todo.pop()
        if _class_key(klass) == key:
            return klass
        todo.extend(klass.__subclasses__())
    raise ValueError(f"unknown lr scheduler class {key!r} in the saved states")


def _decode(obj):
    """Inverse of ``_encode``."""
    if not isinstance(obj, dict):
        return obj
    if "ndarray" in obj:
        return np.array(_npy_array(obj["ndarray"]))
    if "numpy" in obj:
        return _npy_array(obj["numpy"])
    if "tuple" in obj:
        return tuple(_decode(x) for x in obj["tuple"])
    if "list" in obj:
        return [_decode(x) for x in obj["list"]]
    if "dict" in obj:
        return {_decode(k): _decode(v) for k, v in obj["dict"]}
    if "optimizer" in obj:
        klass = _REGISTRY.get(obj["optimizer"])
        if klass is None:
            raise ValueError(f"Cannot find optimizer {obj['optimizer']}")
        opt = klass.__new__(klass)
        opt.__setstate__(_decode(obj["attrs"]))
        return opt
    if "lr_scheduler" in obj:
        klass = _scheduler_class(obj["lr_scheduler"])
        sched = klass.__new__(klass)
        sched.__dict__.update(_decode(obj["attrs"]))
        return sched
    raise ValueError(f"unknown entry in optimizer states: {sorted(obj)}")
