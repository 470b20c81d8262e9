"""The Optimizer base class and the registry behind ``create`` / ``register``.

Updates work directly on mxnp arrays, in place, under ``autograd.pause()`` (MXNet 1.9.1's
``opt.update`` fails on numpy-mode arrays; here it is the normal path).
"""
from __future__ import annotations

import warnings

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._dtypes import one_minus
from .._mode import is_np_array

__all__ = ["Optimizer", "register", "create", "one_minus"]

_REGISTRY: dict = {}


def register(klass):
    """Register an Optimizer subclass under its lower-cased class name; returns the class."""
    if not isinstance(klass, type):
        raise AssertionError("register expects an Optimizer class")
    name = klass.__name__.lower()
    if name in _REGISTRY:
        old = _REGISTRY[name]
        warnings.warn(f"WARNING: New optimizer {klass.__module__}.{klass.__name__} is overriding "
                      f"existing optimizer {old.__module__}.{old.__name__}", stacklevel=2)
    _REGISTRY[name] = klass
    return klass


def create(name, **kwargs):
    """An optimizer from its registered name (case-insensitive) and constructor arguments."""
    klass = _REGISTRY.get(name.lower()) if isinstance(name, str) else None
    if klass is None:
        raise ValueError(f"Cannot find optimizer {name}")
    return klass(**kwargs)


def _is_float16(arr) -> bool:
    return onp.dtype(arr.dtype) == onp.float16


def _fp16_warning(name) -> str:
    who = f"the {name} optimizer" if name else "the optimizer"
    return ("Accumulating with float16 in optimizer can lead to poor accuracy or slow "
            f"convergence. Consider using multi_precision=True option of {who}")


class Optimizer:
    """Base class: learning rate, weight decay, gradient rescaling/clipping, update counts."""

    opt_registry = _REGISTRY
    # SGD-like optimizers keep (state, float32 master) under multi_precision; others the reverse
    _master_last = False
    # the optimizer name in the float16 warning ('' for the generic one)
    _fp16_name = ""

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0., clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None:
            if lr_scheduler.base_lr != learning_rate:
                # MXNet prints (does not warn) and lets the optimizer's rate win
                print(UserWarning("learning rate from ``lr_scheduler`` has been overwritten "
                                  "by ``learning_rate`` in optimizer."))
                lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise AssertionError("param_idx2name should be a dict of param indexes to names.")
        self.idx2name = param_idx2name.copy()
        # a Symbol's variables may carry __lr_mult__ / __wd_mult__ attributes (mx.sym.var)
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        # MXNet records whether NumPy semantics were on when the optimizer was made; its
        # Updater reads the flag when present (mxnp's arrays are the same either way)
        self.allow_np_array = is_np_array()
        self.set_lr_mult({})
        self.set_wd_mult({})

    register = staticmethod(register)
    create_optimizer = staticmethod(create)

    # ---- learning rate --------------------------------------------------------------------
    @property
    def learning_rate(self):
        """The current learning rate (the scheduler's value at ``num_update`` if there is one)."""
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr):
        """Set the learning rate; an error (MXNet's UserWarning) when a scheduler owns it."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note that "
                              "set_learning_rate can mutate the value of the learning rate of "
                              "the optimizer only when the LRScheduler of the optimizer is "
                              "undefined.")
        self.lr = lr

    def set_lr_scale(self, args_lrscale):
        """Removed in MXNet: raises DeprecationWarning; use set_lr_mult."""
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult):
        """Per-parameter learning-rate multipliers, keyed by index or by name (idx2name)."""
        self.lr_mult = self._symbol_mults("__lr_mult__")
        self.lr_mult.update(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Per-parameter weight-decay multipliers; named non-weights default to 0 (MXNet)."""
        self.wd_mult = {}
        for name in self.idx2name.values():
            if not self._decays_by_name(name):
                self.wd_mult[name] = 0.0
        self.wd_mult.update(self._symbol_mults("__wd_mult__"))
        self.wd_mult.update(args_wd_mult)

    def _symbol_mults(self, key: str) -> dict:
        """``{argument name: multiplier}`` from the ``key`` attributes of ``sym``'s variables."""
        if not self.sym_info:
            return {}
        attrs, names = self.sym_info
        return {n: float(attrs[n][key]) for n in names if key in attrs.get(n, {})}

    @staticmethod
    def _decays_by_name(name):
        return name.endswith("_weight") or name.endswith("_gamma")

    # ---- counts and per-index hyper-parameters --------------------------------------------
    def _set_current_context(self, device_id):
        """Keep separate update counts per device, as each device's copy is updated."""
        counts = self._all_index_update_counts.setdefault(device_id, {})
        self._index_update_count = counts

    def _update_count(self, index):
        """Count one more update of ``index`` (an int or a list); num_update is the maximum."""
        counts, begin, num = self._index_update_count, self.begin_num_update, self.num_update
        for idx in index if isinstance(index, (list, tuple)) else (index,):
            count = counts[idx] = counts.get(idx, begin) + 1
            if count >= num:  # noqa: PLR1730 (max(count, num), without a builtin call per index)
                num = count
        self.num_update = num

    def _scaled(self, base, indices, mults, attr) -> list:
        """``base`` times each index's multiplier: a gluon Parameter's own wins, then one set
        by index, then by name."""
        params, names = self.param_dict, self.idx2name
        out = []
        for i in indices:
            if i in params:
                out.append(base * getattr(params[i], attr))
            elif i in mults:
                out.append(base * mults[i])
            elif i in names:
                out.append(base * mults.get(names[i], 1.0))
            else:
                out.append(base)
        return out

    def _get_lrs(self, indices):
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        return self._scaled(lr, indices, self.lr_mult, "lr_mult")

    def _get_lr(self, index):
        return self._get_lrs([index])[0]  # LARS overrides _get_lrs

    def _get_wds(self, indices):
        return self._scaled(self.wd, indices, self.wd_mult, "wd_mult")

    def _get_wd(self, index):
        return self._scaled(self.wd, (index,), self.wd_mult, "wd_mult")[0]

    # ---- gradient preparation -------------------------------------------------------------
    def _clip(self, g):
        """``g`` clipped to +-clip_gradient when that is set (None or 0 mean no clipping)."""
        c = self.clip_gradient
        return np.clip(g, -c, c) if c is not None and c > 0 else g

    def _kernel_clip(self):
        """clip_gradient as MXNet's optimizers hand it to an update kernel: when set (not None
        or 0), else -1 (the kernels clip only for a value >= 0)."""
        return self.clip_gradient if self.clip_gradient else -1.0

    def _rescaled(self, grad):
        """rescale_grad * grad, then clipped: the gradient before any weight decay."""
        return self._clip(grad * self.rescale_grad)

    def _rescaled_l2(self, grad, weight, wd):
        """rescale_grad * grad + wd * weight, then clipped (wd enters before the clip)."""
        return self._clip(grad * self.rescale_grad + wd * weight)

    # ---- states and updates ---------------------------------------------------------------
    def create_state(self, index, weight):
        """The auxiliary state for one weight (None for a stateless optimizer)."""
        return None

    def create_state_multi_precision(self, index, weight):
        """As create_state, with a float32 master copy for float16 weights if multi_precision."""
        if self.multi_precision and _is_float16(weight):
            master = weight.astype(onp.float32)
            inner = self.create_state(index, master)
            return (inner, master) if self._master_last else (master, inner)
        if _is_float16(weight):
            warnings.warn(_fp16_warning(self._fp16_name), stacklevel=2)
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Update ``weight`` in place from ``grad``; lists of indices update each in turn.
        A row_sparse gradient updates only its stored rows when the optimizer is lazy."""
        with autograd.pause():
            if isinstance(index, (list, tuple)):
                # a sparse gradient is never aggregated (MXNet's single-weight kernels take it)
                if _all_dense(grad):
                    self._steps(index, weight, grad, state)
                else:
                    for i, w, g, s in zip(index, weight, grad, state):
                        self.update(i, w, g, s)
            elif self._lazy(grad, weight):
                self._lazy_step(index, weight, grad, state)
            else:
                self._step(index, weight, grad, state)

    def _lazy(self, grad, weight=None) -> bool:
        """Whether a ``grad`` updates only its stored rows (MXNet's lazy sparse update): for a
        row_sparse gradient, when ``lazy_update`` is set (SGD, Adam) or always (the optimizers
        whose sparse kernels are lazy say so with ``_always_lazy``)."""
        return getattr(grad, "stype", "default") == "row_sparse" and \
            (self._always_lazy or getattr(self, "lazy_update", False))

    _always_lazy = False

    def _lazy_step(self, index, weight, grad, state):
        """``_step`` on the rows ``grad`` stores, of the weight and of every state array;
        the other rows keep their values (no decay, no momentum), as MXNet's lazy kernels."""
        rows = grad.indices.asnumpy()
        parts = _arrays(state)

        def take(a):
            return _fresh(a, a._data[rows])

        sub_w, sub_g = take(weight), take(grad)
        sub_state = _restate(state, {id(a): take(a) for a in parts})
        self._step(index, sub_w, sub_g, sub_state)
        weight._data[rows] = sub_w._data
        for a, b in zip(parts, _arrays(sub_state)):
            a._data[rows] = b._data

    def _step(self, index, weight, grad, state):
        raise NotImplementedError()

    def _steps(self, indices, weights, grads, states):
        """Several updates at once (an optimizer with ``aggregate_num`` gets lists)."""
        for i, w, g, s in zip(indices, weights, grads, states):
            self._step(i, w, g, s)

    def update_multi_precision(self, index, weight, grad, state):
        """As update, but through the float32 master copy for float16 weights."""
        if isinstance(index, (list, tuple)):
            if not (self.multi_precision and any(_is_float16(w) for w in weight)):
                self.update(index, weight, grad, state)
                return
            for i, w, g, s in zip(index, weight, grad, state):
                self.update_multi_precision(i, w, g, s)
            return
        if not (self.multi_precision and _is_float16(weight)):
            self.update(index, weight, grad, state)
            return
        inner, master = state if self._master_last else state[::-1]
        with autograd.pause():
            self.update(index, master, grad.astype(onp.float32), inner)
            weight[:] = master.astype(weight.dtype)

    def __getstate__(self):
        """Everything but param_dict (the Trainer sets that again)."""
        state = self.__dict__.copy()
        state.pop("param_dict", None)
        return state

    def __setstate__(self, state):
        self.__dict__ = dict(state)
        self.param_dict = {}
        # a loaded copy loses the aliasing of the current device's counts; Updater selects the
        # device again before every update
        self._index_update_count = self._all_index_update_counts.setdefault(0, {})


def _all_dense(grads) -> bool:
    for g in grads:  # (a loop: any() over a generator costs more for the usual 4)
        if getattr(g, "stype", "default") != "default":
            return False
    return True


def _arrays(state) -> list:
    """The arrays in an optimizer state (None, an array, or nested tuples/lists of them)."""
    if isinstance(state, (list, tuple)):
        return [a for part in state for a in _arrays(part)]
    return [] if state is None else [state]


def _restate(state, new: dict):
    """``state`` with each array replaced by ``new[id(array)]``."""
    if isinstance(state, (list, tuple)):
        return type(state)(_restate(part, new) for part in state)
    return None if state is None else new[id(state)]


def _fresh(like, raw):
    """A new array of ``like``'s face (mx.nd or mx.np) over ``raw``, outside any graph."""
    out = object.__new__(np.ndarray)
    out._data, out._device, out._node = raw, like._device, None
    return out.as_nd_ndarray() if type(like) is not np.ndarray else out
