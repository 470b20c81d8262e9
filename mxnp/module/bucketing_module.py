"""``BucketingModule``: one Module per bucket key (a sequence length ...), made on first use
from ``sym_gen(key)`` and bound sharing the default bucket's parameters and optimizer."""
from __future__ import annotations

import logging

from ..base import MXNetError
from ..initializer import Uniform
from .base_module import BaseModule
from .module import Module

__all__ = ["BucketingModule"]


class BucketingModule(BaseModule):
    """Modules for several bucket keys over one set of parameters; ``sym_gen(key)`` returns
    ``(symbol, data_names, label_names)``. A batch's ``bucket_key`` picks the module."""

    def __init__(self, sym_gen, default_bucket_key=None, logger=logging, context=None,
                 work_load_list=None, fixed_param_names=None, state_names=None,
                 group2ctxs=None, compression_params=None):
        super().__init__(logger=logger)
        if default_bucket_key is None:
            raise ValueError("BucketingModule: default_bucket_key is required")
        self._sym_gen = sym_gen
        self._default_bucket_key = default_bucket_key
        self._module_args = {"logger": logger, "context": context,
                             "fixed_param_names": fixed_param_names, "state_names": state_names,
                             "group2ctxs": group2ctxs}
        symbol, data_names, label_names = self._generate(default_bucket_key)
        self._default = Module(symbol, data_names, label_names, **self._module_args)
        self._buckets = {}
        self._curr_module = self._default
        self._curr_bucket_key = None
        self._params_dirty = False
        self._grad_req = "write"

    def _generate(self, key):
        symbol, data_names, label_names = self._sym_gen(key)
        return symbol, list(data_names or []), list(label_names or [])

    def _reset_bind(self) -> None:
        self.binded = False
        self._buckets = {}
        self._curr_module = self._default
        self._curr_bucket_key = None

    # ---- what the current bucket's module says ------------------------------------------
    @property
    def default_bucket_key(self):
        """The key of the bucket bound first, whose module owns the parameters."""
        return self._default_bucket_key

    @property
    def data_names(self) -> list:
        """The current module's data names."""
        return self._curr_module.data_names

    @property
    def output_names(self) -> list:
        """The current module's output names."""
        return self._curr_module.output_names

    @property
    def data_shapes(self) -> list:
        """The current module's data shapes."""
        return self._curr_module.data_shapes

    @property
    def label_shapes(self):
        """The current module's label shapes."""
        return self._curr_module.label_shapes

    @property
    def output_shapes(self) -> list:
        """The current module's output shapes."""
        return self._curr_module.output_shapes

    @property
    def symbol(self):
        """The current module's Symbol."""
        return self._curr_module.symbol

    # ---- parameters ----------------------------------------------------------------------
    def get_params(self):
        """``(arg_params, aux_params)``, shared by all buckets."""
        self._check_ready("get_params")
        self._curr_module._params_dirty = self._params_dirty
        params = self._curr_module.get_params()
        self._params_dirty = False
        return params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Initialize the parameters (through the current module)."""
        if self.params_initialized and not force_init:
            return
        self._check_bound("init_params")
        self._curr_module.init_params(initializer, arg_params, aux_params, allow_missing,
                                      force_init, allow_extra)
        self._params_dirty = False
        self.params_initialized = True

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False) -> None:
        """Set the parameters (through the current module)."""
        if not allow_missing:
            self.init_params(None, arg_params, aux_params, allow_missing, force_init,
                             allow_extra)
            return
        self._check_bound("set_params")
        self._curr_module.set_params(arg_params, aux_params, allow_missing=allow_missing,
                                     force_init=force_init, allow_extra=allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def get_states(self, merge_multi_context=True) -> list:
        """The current module's state arrays."""
        return self._curr_module.get_states(merge_multi_context)

    def set_states(self, states=None, value=None) -> None:
        """Set the current module's states."""
        self._curr_module.set_states(states, value)

    def _check_bound(self, what: str) -> None:
        if not self.binded:
            raise MXNetError(f"BucketingModule.{what}: call bind() first")

    # ---- binding -------------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write") -> None:
        """Bind the default bucket's module for these shapes."""
        if self.params_initialized:
            arg_params, aux_params = self.get_params()
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if shared_module is not None:
            raise NotImplementedError("BucketingModule.bind: shared_module is not supported")
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        self._grad_req = grad_req
        self._default.bind(data_shapes, label_shapes, for_training, inputs_need_grad,
                           force_rebind=force_rebind, grad_req=grad_req)
        self._curr_module = self._default
        self._curr_bucket_key = self._default_bucket_key
        self._buckets = {self._default_bucket_key: self._default}
        self.binded = True
        if self.params_initialized:
            self.set_params(arg_params, aux_params)

    def switch_bucket(self, bucket_key, data_shapes, label_shapes=None) -> None:
        """Make ``bucket_key``'s module current, binding it (sharing the default bucket's
        parameters) the first time."""
        self._check_bound("switch_bucket")
        if bucket_key not in self._buckets:
            symbol, data_names, label_names = self._generate(bucket_key)
            module = Module(symbol, data_names, label_names, **self._module_args)
            module.bind(data_shapes, label_shapes, self.for_training, self.inputs_need_grad,
                        shared_module=self._default, grad_req=self._grad_req)
            if self.optimizer_initialized:
                module.borrow_optimizer(self._default)
            self._buckets[bucket_key] = module
        self._curr_module = self._buckets[bucket_key]
        self._curr_bucket_key = bucket_key

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False) -> None:
        """Make the optimizer once; every bucket's module uses it."""
        if not self._optimizer_wanted(force_init):
            return
        self._default.init_optimizer(kvstore, optimizer, optimizer_params,
                                     force_init=force_init)
        for module in self._buckets.values():
            if module is not self._default:
                module.borrow_optimizer(self._default)
        self.optimizer_initialized = True

    # ---- a batch at a time ---------------------------------------------------------------
    def _switch_for(self, data_batch) -> None:
        key = getattr(data_batch, "bucket_key", None)
        key = self._default_bucket_key if key is None else key
        self.switch_bucket(key, getattr(data_batch, "provide_data", None),
                           getattr(data_batch, "provide_label", None))

    def prepare(self, data_batch, sparse_row_id_fn=None) -> None:
        """Bind the module of ``data_batch``'s bucket ahead of its forward."""
        self._check_ready("prepare")
        current = self._curr_bucket_key
        self._switch_for(data_batch)
        self._curr_module = self._buckets[current]
        self._curr_bucket_key = current

    def forward(self, data_batch, is_train=None) -> None:
        """Forward on the module of ``data_batch.bucket_key``."""
        self._check_ready("forward")
        self._switch_for(data_batch)
        self._curr_module.forward(data_batch, is_train=is_train)

    def backward(self, out_grads=None) -> None:
        """Backward on the current module."""
        self._check_ready("backward")
        self._curr_module.backward(out_grads=out_grads)

    def update(self) -> None:
        """An optimizer step on the shared parameters."""
        self._check_ready("update", optimizer=True)
        self._params_dirty = True
        self._curr_module.update()

    def get_outputs(self, merge_multi_context=True) -> list:
        """The current module's outputs."""
        self._check_ready("get_outputs")
        return self._curr_module.get_outputs(merge_multi_context)

    def get_input_grads(self, merge_multi_context=True) -> list:
        """The current module's input gradients."""
        self._check_ready("get_input_grads")
        return self._curr_module.get_input_grads(merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Accumulate ``eval_metric`` over the current module's outputs."""
        self._check_ready("update_metric")
        self._curr_module.update_metric(eval_metric, labels, pre_sliced)

    def save_checkpoint(self, prefix: str, epoch: int, remove_amp_cast: bool = False) -> None:
        """Write the default bucket's symbol and the parameters."""
        self._default.save_checkpoint(prefix, epoch, remove_amp_cast=remove_amp_cast)

    def install_monitor(self, mon) -> None:
        """Not supported: mxnp has no executor monitor."""
        raise NotImplementedError("BucketingModule.install_monitor: monitors are not supported")
