"""``SequentialModule``: modules chained so that each one's outputs are the next one's data;
gradients flow back through their input gradients."""
from __future__ import annotations

import copy
import logging

from ..base import MXNetError
from ..initializer import Uniform
from .base_module import BaseModule

__all__ = ["SequentialModule"]

_META_KEYS = ("take_labels", "auto_wiring")


class SequentialModule(BaseModule):
    """A chain of modules: ``add(module, take_labels=..., auto_wiring=...)`` appends one.
    ``take_labels`` modules get the labels (and update the metric); ``auto_wiring`` renames
    the previous outputs to the module's data names."""

    META_TAKE_LABELS = "take_labels"
    META_AUTO_WIRING = "auto_wiring"

    def __init__(self, logger=logging):
        super().__init__(logger=logger)
        self._modules = []
        self._metas = []
        self._label_shapes = None

    def add(self, module, **kwargs):
        """Append ``module`` (binding and initialization must then be done again); returns
        self, for chaining."""
        unknown = sorted(set(kwargs) - set(_META_KEYS))
        if unknown:
            raise ValueError(f"SequentialModule.add: unknown options {unknown}; the options are "
                             f"{list(_META_KEYS)}")
        self._modules.append(module)
        self._metas.append(kwargs)
        self.binded = self.params_initialized = self.optimizer_initialized = False
        return self

    def _check_bound(self, what: str) -> None:
        if not self.binded:
            raise MXNetError(f"SequentialModule.{what}: call bind() first")

    @property
    def data_names(self) -> list:
        """The first module's data names."""
        return self._modules[0].data_names if self._modules else []

    @property
    def output_names(self) -> list:
        """The last module's output names."""
        return self._modules[-1].output_names if self._modules else []

    @property
    def data_shapes(self) -> list:
        """The first module's data shapes."""
        self._check_bound("data_shapes")
        return self._modules[0].data_shapes

    @property
    def label_shapes(self):
        """The label shapes (None when no module takes labels)."""
        self._check_bound("label_shapes")
        return self._label_shapes

    @property
    def output_shapes(self) -> list:
        """The last module's output shapes."""
        self._check_bound("output_shapes")
        return self._modules[-1].output_shapes

    def get_params(self):
        """``(arg_params, aux_params)`` of all the modules, merged."""
        self._check_ready("get_params")
        arg_params, aux_params = {}, {}
        for module in self._modules:
            arg, aux = module.get_params()
            arg_params.update(arg)
            aux_params.update(aux)
        return arg_params, aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Initialize every module's parameters; their names must not repeat."""
        if self.params_initialized and not force_init:
            return
        self._check_bound("init_params")
        for module in self._modules:
            module.init_params(initializer, arg_params, aux_params, allow_missing, force_init,
                               allow_extra)
        owners = {}
        for i, module in enumerate(self._modules):
            arg, aux = module.get_params()
            for name in [*arg, *aux]:
                if name in owners:
                    raise MXNetError(f"SequentialModule.init_params: the parameter {name!r} is in "
                                     f"modules {owners[name]} and {i}; names must not repeat")
                owners[name] = i
        self.params_initialized = True

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write") -> None:
        """Bind each module on the previous one's output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if shared_module is not None:
            raise NotImplementedError("SequentialModule.bind: shared_module is not supported")
        if not self._modules:
            raise MXNetError("SequentialModule.bind: add() a module first")
        if inputs_need_grad and not for_training:
            raise ValueError("SequentialModule.bind: inputs_need_grad=True needs "
                             "for_training=True")
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        shapes, takes_labels = data_shapes, False
        for i, (module, meta) in enumerate(zip(self._modules, self._metas)):
            takes = bool(meta.get("take_labels"))
            takes_labels |= takes
            if meta.get("auto_wiring"):
                if len(module.data_names) != len(shapes):
                    raise MXNetError(f"SequentialModule.bind: module {i} takes "
                                     f"{module.data_names} but gets {len(shapes)} inputs")
                shapes = [(name, s[1]) for name, s in zip(module.data_names, shapes)]
            # a later module hands its input gradients back to the one before
            module.bind(shapes, label_shapes if takes else None, for_training,
                        inputs_need_grad or (for_training and i > 0), force_rebind,
                        grad_req=grad_req)
            shapes = module.output_shapes
        self._label_shapes = label_shapes if takes_labels else None
        self.binded = True

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False) -> None:
        """Make each module's optimizer."""
        if not self._optimizer_wanted(force_init):
            return
        for module in self._modules:
            module.init_optimizer(kvstore, optimizer, optimizer_params, force_init=force_init)
        self.optimizer_initialized = True

    def forward(self, data_batch, is_train=None) -> None:
        """Run the modules in order, each on the previous one's outputs."""
        self._check_ready("forward")
        batch = copy.copy(data_batch)  # keeps pad, bucket_key ...; data is replaced below
        for i, module in enumerate(self._modules):
            module.forward(batch, is_train=is_train)
            if i + 1 == len(self._modules):
                break
            batch.data = module.get_outputs()
            if hasattr(batch, "provide_data"):
                names = [name for name, _ in module.output_shapes]
                batch.provide_data = [(n, x.shape) for n, x in zip(names, batch.data)]

    def backward(self, out_grads=None) -> None:
        """Backward through the modules in reverse, passing input gradients back."""
        self._check_ready("backward")
        for i in range(len(self._modules) - 1, -1, -1):
            self._modules[i].backward(out_grads=out_grads)
            if i:
                out_grads = self._modules[i].get_input_grads()

    def update(self) -> None:
        """An optimizer step in every module."""
        self._check_ready("update", optimizer=True)
        for module in self._modules:
            module.update()

    def get_outputs(self, merge_multi_context=True) -> list:
        """The last module's outputs."""
        self._check_ready("get_outputs")
        return self._modules[-1].get_outputs(merge_multi_context)

    def get_input_grads(self, merge_multi_context=True) -> list:
        """The first module's input gradients (bind with ``inputs_need_grad=True``)."""
        self._check_ready("get_input_grads")
        if not self.inputs_need_grad:
            raise MXNetError("SequentialModule.get_input_grads: bind with "
                             "inputs_need_grad=True first")
        return self._modules[0].get_input_grads(merge_multi_context)

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Update ``eval_metric`` with the modules that take labels."""
        for meta, module in zip(self._metas, self._modules):
            if meta.get("take_labels"):
                module.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon) -> None:
        """Not supported: mxnp has no executor monitor."""
        raise NotImplementedError("SequentialModule.install_monitor: monitors are not "
                                  "supported")
