"""gluon.Trainer: applies an optimizer to a set of Parameters, one process, any contexts.

MXNet 1.9.1's observable rules (gluon-semantics §6): parameters of a dict are taken in sorted
key order (that order is the optimizer's index); ``step(batch_size)`` rescales gradients by
``rescale_grad / batch_size``; a gradient no backward has written since the last step is an
error unless ``ignore_stale_grad``; with several contexts and a kvstore ('device', 'local')
the gradients are summed over the contexts before the update. A distributed kvstore
('dist_sync', 'horovod': mxnp.kvstore over MPI) also sums them over the workers, after
broadcasting rank 0's parameters, so that every worker holds the same parameters.
"""
from __future__ import annotations

from .. import kvstore as kvs
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


def _create_kvstore(kvstore, num_device):
    """(store or None, default update_on_kvstore), as MXNet's gluon chooses them."""
    if kvstore is None:
        return None, False
    if isinstance(kvstore, kvs.KVStoreBase):
        store = kvstore
    elif isinstance(kvstore, str):
        # one device on one machine needs no store; a distributed one is always created
        if num_device == 1 and "dist" not in kvstore and kvstore != "horovod":
            return None, False
        store = kvs.create(kvstore)
    else:
        raise TypeError("kvstore must be KVStore, str or None")
    return store, store.is_capable(kvs.KVStoreBase.OPTIMIZER)


def _is_distributed(kvstore):
    """Whether ``kvstore`` (a name or a store) connects several processes."""
    if isinstance(kvstore, str):
        return "dist" in kvstore or kvstore == "horovod"
    return isinstance(kvstore, (kvs.DistKVStore, kvs.Horovod)) and kvstore.num_workers > 1


class Trainer:
    """Applies an Optimizer to a set of Parameters: call ``step`` after ``backward``."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        self._params = _as_param_list(params)
        self._param2idx = {}
        for i, param in enumerate(self._params):
            self._param2idx[param.name] = i
            param._set_trainer(self)
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {"kvstore": kvstore, "update_on_kvstore": update_on_kvstore}
        self._reset_kvstore()
        if _is_distributed(kvstore) and not any(p._deferred_init for p in self._params):
            # every worker starts from rank 0's parameters, before the first forward
            self._init_kvstore()
            self._init_params()

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

    # ---- the kvstore: sums over contexts, and over workers when it is distributed --------
    def _reset_kvstore(self):
        """Forget the kvstore decision; it is made again at the next step."""
        self._kv_initialized = False
        self._kvstore = None
        self._distributed = None
        self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _init_kvstore(self):
        config = self._kvstore_params
        wanted = config["update_on_kvstore"]
        if any(p._stype != "default" for p in self._params):
            # sparse weights live in the store, which updates them; a Parameter pulls the
            # rows it needs (row_sparse_data), as MXNet's gluon does
            if wanted is False:
                raise ValueError("Cannot set update_on_kvstore=False when sparse weights are "
                                 "present.")
            store = config["kvstore"]
            store = kvs.create(store or "local") if not isinstance(store, kvs.KVStoreBase) \
                else store
            store.set_optimizer(self._optimizer)
            self._kvstore, self._update_on_kvstore = store, True
            self._distributed = "dist" in store.type
            self._kv_initialized = True
            return
        store, on_store = _create_kvstore(config["kvstore"], len(self._contexts))
        self._distributed = store is not None and "dist" in store.type
        if any(p._grad_stype != "default" for p in self._params):
            # dense weights with sparse gradients: updated here unless distributed (MXNet)
            on_store = self._distributed
        if wanted is not None:
            on_store = wanted
        # MXNet fails here on one device with update_on_kvstore=True (no store to ask)
        if on_store and not store.is_capable(kvs.KVStoreBase.OPTIMIZER):
            if wanted:
                raise ValueError(f"Please set update_on_kvstore=False when training with "
                                 f"{type(store)}")
            on_store = False
        if store is not None:
            if self._compression_params:
                store.set_gradient_compression(self._compression_params)
            if on_store:
                store.set_optimizer(self._optimizer)
            self._kvstore, self._update_on_kvstore = store, on_store
        self._kv_initialized = True

    def _init_params(self):
        """Put each initialised parameter in the store: rank 0's values reach every copy."""
        waiting = []
        for param in self._params_to_init:
            if param._deferred_init:
                waiting.append(param)
            elif self._kvstore and param._stype != "default":
                # the store keeps the weight; copies pull their rows (row_sparse_data)
                arrays = param._check_and_get(param._data, list)
                self._kvstore.init(self._param2idx[param.name], arrays[0])
            elif self._kvstore:
                arrays = param.list_data()
                self._kvstore.broadcast(self._param2idx[param.name], arrays[0], arrays)
        self._params_to_init = waiting

    def _row_sparse_pull(self, parameter, out, row_id):
        """Fill ``out`` (a sparse Parameter's copies) with the rows ``row_id`` of the
        weight in the store."""
        self._ensure_kvstore()
        self._kvstore.row_sparse_pull(self._param2idx[parameter.name], out=out,
                                      row_ids=[row_id] * len(out))

    def _ensure_kvstore(self):
        if not self._kv_initialized:
            self._init_kvstore()
        if self._params_to_init:
            self._init_params()

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
    def _allreduce_grads(self):
        if not self._kvstore or self._update_on_kvstore:
            return
        active = [(i, p) for i, p in enumerate(self._params) if p.grad_req != "null"]
        if active:
            # one call for all keys: a distributed store packs them into few messages (and
            # skips the stored copy of each sum, which nothing here reads back)
            self._kvstore._sum_gradients([i for i, _ in active],
                                         [p.list_grad() for _, p in active])

    def _update(self, ignore_stale_grad=False):
        scaler = getattr(self, "_amp_loss_scaler", None)  # mx.contrib.amp.init_trainer's
        if scaler is not None and scaler.has_overflow(self._params):
            return  # skipped: the gradients overflowed at this loss scale
        params = self._params
        active = [(i, *p._update_arrays()) for i, p in enumerate(params)
                  if p.grad_req != "null"]
        if not ignore_stale_grad:
            # all checks first, so a stale gradient leaves every parameter untouched
            for i, datas, _ in active:
                for arr in datas:
                    if not arr._fresh_grad:
                        raise UserWarning(_STALE.format(params[i].name, arr.ctx))
        if self._kvstore and self._update_on_kvstore:
            self._update_on_store([(i, params[i]) for i, _, _ in active])
            return
        for k, updater in enumerate(self._updaters):
            indices, grads, weights = [], [], []
            for i, datas, grad_list in active:
                arr = datas[k]
                if not ignore_stale_grad or arr._fresh_grad:
                    indices.append(i)
                    grads.append(grad_list[k])
                    weights.append(arr)
                    arr._fresh_grad = False
            if indices:
                updater(indices, grads, weights)

    def _update_on_store(self, active):
        """Push the gradients; the store sums them, updates its weights; pull those back."""
        if not _is_distributed(self._kvstore):
            # alone, a parameter no backward reached can be left out; with other workers it
            # cannot, since every worker must push the same keys
            active = [(i, p) for i, p in active if not _all_stale(p._all_arrays())]
        dense = [(i, p) for i, p in active if p._stype == "default"]
        if dense:
            self._kvstore.pushpull([i for i, _ in dense], [p.list_grad() for _, p in dense],
                                   out=[p.list_data() for _, p in dense])
        for i, param in active:
            if param._stype != "default":  # updated in the store; pulled by row_sparse_data
                self._kvstore.push(i, param.list_grad())
        for _, param in active:
            for arr in param._all_arrays():
                arr._fresh_grad = False

    # ---- states ---------------------------------------------------------------------------
    def save_states(self, fname):
        """Write the optimizer and its states to ``fname`` (JSON with .npy arrays, no pickle)."""
        self._ensure_kvstore()
        if self._kvstore and self._update_on_kvstore:
            self._kvstore.save_optimizer_states(fname, dump_optimizer=True)
            return
        with open(fname, "wb") as out:
            out.write(self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Read states saved by ``save_states``; the saved optimizer replaces this one (MXNet)."""
        self._ensure_kvstore()
        with open(fname, "rb") as src:
            blob = src.read()
        if self._kvstore and self._update_on_kvstore:
            self._kvstore._updater.set_states(blob)
            self._optimizer = self._kvstore._updater.optimizer
        for updater in self._updaters:
            updater.set_states(blob)
            updater.optimizer = self._updaters[0].optimizer
        if not (self._kvstore and self._update_on_kvstore):
            self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))


def _all_stale(arrays):
    # only reached with ignore_stale_grad=True (otherwise _update raised): skip it
    return not any(arr._fresh_grad for arr in arrays)
