"""gluon.Trainer: applies an optimizer to a set of Parameters, one process, any contexts.

MXNet 1.9.1's observable rules (gluon-semantics §6): parameters of a dict are taken in sorted
key order (that order is the optimizer's index); ``step(batch_size)`` rescales gradients by
``rescale_grad / batch_size``; a gradient no backward has written since the last step is an
error unless ``ignore_stale_grad``; with several contexts and a kvstore ('device', 'local')
the gradients are summed over the contexts before the update.
"""
from __future__ import annotations

from .. import autograd
from .. import optimizer as opt
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer"]

_STALE = ("Gradient of Parameter `{}` on context {} has not been updated by backward since last "
          "`step`. This could mean a bug in your model that made it only use a subset of the "
          "Parameters (Blocks) for this iteration. If you are intentionally only using a "
          "subset, call step with ignore_stale_grad=True to suppress this warning and skip "
          "updating of Parameters with stale gradient")


def _as_param_list(params):
    if isinstance(params, (dict, ParameterDict)):
        params = [params[key] for key in sorted(params.keys())]
    if not isinstance(params, (list, tuple)):
        raise ValueError(f"First argument must be a list or dict of Parameters, "
                         f"got {type(params)}.")
    for param in params:
        if not isinstance(param, Parameter):
            raise ValueError(f"First argument must be a list or dict of Parameters, "
                             f"got list of {type(param)}.")
    return list(params)


def _check_kvstore(kvstore):
    if kvstore is None:
        return
    if not isinstance(kvstore, str):
        raise NotImplementedError("Trainer(kvstore=<KVStore object>): mxnp has no KVStore "
                                  "objects; pass 'device', 'local' or None")
    if kvstore.startswith("dist"):
        raise NotImplementedError(f"Trainer(kvstore={kvstore!r}): distributed training is not "
                                  f"supported by mxnp yet (mxnp issue #12); use 'device', "
                                  f"'local' or None on one machine")


class Trainer:
    """Applies an Optimizer to a set of Parameters: call ``step`` after ``backward``."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        self._params = _as_param_list(params)
        self._param2idx = {}
        for i, param in enumerate(self._params):
            self._param2idx[param.name] = i
            param._set_trainer(self)
        _check_kvstore(kvstore)
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {"kvstore": kvstore, "update_on_kvstore": update_on_kvstore}
        self._reduced = {}
        self._reset_kvstore()

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise AssertionError(
                    f"All Parameters must be initialized on the same set of contexts, but "
                    f"Parameter {param.name} is initialized on {ctx} while previous Parameters "
                    f"are initialized on {contexts}.")
            contexts = ctx
        if contexts is None:
            # MXNet fails the same way on an empty parameter list
            raise TypeError("'NoneType' object is not iterable")
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        # the Parameters themselves (not copies), so later lr_mult/wd_mult changes apply
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise AssertionError("optimizer_params must be None if optimizer is an instance "
                                     "of Optimizer instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer) for _ in self._contexts]

    # ---- the "kvstore": only gradient summation over contexts in one process ---------------
    def _reset_kvstore(self):
        """Forget the kvstore decision; it is made again at the next step."""
        self._kv_initialized = False
        self._kvstore = None
        self._distributed = None
        self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _init_kvstore(self):
        kvstore = self._kvstore_params["kvstore"]
        self._distributed = False
        if kvstore is not None and len(self._contexts) > 1:
            # gradients are summed over contexts; by default one update (one optimizer
            # state) is shared by all copies, as MXNet's update_on_kvstore does
            self._kvstore = kvstore
            wanted = self._kvstore_params["update_on_kvstore"]
            self._update_on_kvstore = True if wanted is None else bool(wanted)
        self._kv_initialized = True
        self._params_to_init = []

    def _ensure_kvstore(self):
        if not self._kv_initialized:
            self._init_kvstore()

    # ---- public ---------------------------------------------------------------------------
    @property
    def learning_rate(self):
        """The optimizer's current learning rate."""
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        """The Optimizer this trainer applies."""
        return self._optimizer

    def set_learning_rate(self, lr):
        """Set the optimizer's learning rate (an error when it has an lr_scheduler)."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """Sum gradients over contexts, then update every parameter scaled by 1/batch_size."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._ensure_kvstore()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum each parameter's gradients over its contexts (for a separate ``update``)."""
        self._ensure_kvstore()
        self._check_not_on_kvstore("allreduce_grads")
        self._allreduce_grads()

    def update(self, batch_size, ignore_stale_grad=False):
        """Update the parameters from their (already reduced) gradients, scaled 1/batch_size."""
        self._ensure_kvstore()
        self._check_not_on_kvstore("update")
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _check_not_on_kvstore(self, what):
        if self._kvstore and self._update_on_kvstore:
            raise AssertionError(f"{what}() when parameters are updated on kvstore is not "
                                 f"supported. Try setting `update_on_kvstore` to False when "
                                 f"creating trainer.")

    # ---- the work -------------------------------------------------------------------------
    def _summed_grad(self, param):
        grads = param.list_grad()
        with autograd.pause():
            total = grads[0].copy()
            for g in grads[1:]:
                total = total + g.as_in_ctx(total.ctx)
        return total

    def _allreduce_grads(self):
        self._reduced = {}
        if not self._kvstore:
            return
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            total = self._summed_grad(param)
            if self._update_on_kvstore:
                self._reduced[i] = total        # one shared update in _update
                continue
            with autograd.pause():
                for g in param.list_grad():
                    g[:] = total.as_in_ctx(g.ctx)

    def _check_fresh(self, param):
        for arr in param.list_data():
            if not arr._fresh_grad:
                raise UserWarning(_STALE.format(param.name, arr.ctx))

    def _update(self, ignore_stale_grad=False):
        active = [(i, p) for i, p in enumerate(self._params) if p.grad_req != "null"]
        if not ignore_stale_grad:
            # all checks first, so a stale gradient leaves every parameter untouched
            for _, param in active:
                self._check_fresh(param)
        if self._kvstore and self._update_on_kvstore:
            self._update_shared(active)
            return
        updates = [[] for _ in self._updaters]
        for i, param in active:
            for upd, arr, grad in zip(updates, param.list_data(), param.list_grad()):
                if not ignore_stale_grad or arr._fresh_grad:
                    upd.append((i, grad, arr))
                    arr._fresh_grad = False
        for updater, upd in zip(self._updaters, updates):
            if upd:
                indices, grads, weights = zip(*upd)
                updater(list(indices), list(grads), list(weights))

    def _update_shared(self, active):
        """One update of the first context's copy with the summed gradient, copied to all."""
        reduced = self._reduced
        for i, param in active:
            arrays = param.list_data()
            if _all_stale(arrays):
                continue
            grad = reduced[i] if i in reduced else self._summed_grad(param)
            self._updaters[0](i, grad, arrays[0])
            with autograd.pause():
                for arr in arrays[1:]:
                    arr[:] = arrays[0].as_in_ctx(arr.ctx)
            for arr in arrays:
                arr._fresh_grad = False

    # ---- states ---------------------------------------------------------------------------
    def save_states(self, fname):
        """Write the optimizer and its states to ``fname`` (JSON with .npy arrays, no pickle)."""
        self._ensure_kvstore()
        with open(fname, "wb") as out:
            out.write(self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Read states saved by ``save_states``; the saved optimizer replaces this one (MXNet)."""
        self._ensure_kvstore()
        with open(fname, "rb") as src:
            blob = src.read()
        for updater in self._updaters:
            updater.set_states(blob)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))


def _all_stale(arrays):
    # only reached with ignore_stale_grad=True (otherwise _check_fresh raised): skip it
    return not any(arr._fresh_grad for arr in arrays)
