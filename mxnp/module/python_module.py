"""``PythonModule``: a module computed in Python with no parameters, and
``PythonLossModule``, a loss whose gradient a Python function gives (put last in a
SequentialModule)."""
from __future__ import annotations

import logging

from .. import ndarray as nd
from ..base import MXNetError
from .base_module import BaseModule

__all__ = ["PythonLossModule", "PythonModule"]


def _names_of(descs) -> list:
    return [d[0] for d in descs]


class PythonModule(BaseModule):
    """A parameterless module written in Python: subclasses give ``forward``, ``backward``,
    ``get_outputs``, ``get_input_grads`` and ``_compute_output_shapes``."""

    def __init__(self, data_names, label_names, output_names, logger=logging):
        super().__init__(logger=logger)
        self._data_names = list(data_names)
        self._label_names = list(label_names) if label_names is not None else None
        self._output_names = list(output_names)
        self._data_shapes = self._label_shapes = self._output_shapes = None

    @property
    def data_names(self) -> list:
        """The names of the data inputs."""
        return self._data_names

    @property
    def output_names(self) -> list:
        """The names of the outputs."""
        return self._output_names

    @property
    def data_shapes(self):
        """The bound data shapes."""
        return self._data_shapes

    @property
    def label_shapes(self):
        """The bound label shapes."""
        return self._label_shapes

    @property
    def output_shapes(self):
        """The output shapes for the bound data."""
        return self._output_shapes

    def get_params(self):
        """No parameters: two empty dicts."""
        return {}, {}

    def init_params(self, initializer=None, arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Nothing to initialize."""

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False) -> None:
        """Nothing to optimize."""

    def update(self) -> None:
        """Nothing to update."""

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Update ``eval_metric`` with the outputs (when bound with labels)."""
        if self._label_shapes is None:
            return
        if pre_sliced:
            raise MXNetError(f"{type(self).__name__}.update_metric: pre-sliced labels are not "
                             "supported")
        eval_metric.update(labels, self.get_outputs())

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write") -> None:
        """Record the shapes and compute the output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if grad_req != "write":
            raise ValueError(f"{type(self).__name__}.bind: only grad_req='write' is supported")
        if _names_of(data_shapes) != self._data_names:
            raise ValueError(f"{type(self).__name__}.bind: the data shapes name "
                             f"{_names_of(data_shapes)}, expected {self._data_names}")
        if label_shapes is not None and _names_of(label_shapes) != self._label_names:
            raise ValueError(f"{type(self).__name__}.bind: the label shapes name "
                             f"{_names_of(label_shapes)}, expected {self._label_names}")
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        self._data_shapes, self._label_shapes = data_shapes, label_shapes
        self._output_shapes = self._compute_output_shapes()
        self.binded = self.params_initialized = self.optimizer_initialized = True

    def _compute_output_shapes(self) -> list:
        """``[(output name, shape)]`` from the bound data shapes."""
        raise NotImplementedError()


class PythonLossModule(PythonModule):
    """A loss head: its output is its data (the scores); ``backward`` sets the scores'
    gradient to ``grad_func(scores, labels)``."""

    def __init__(self, name="pyloss", data_names=("data",), label_names=("softmax_label",),
                 logger=logging, grad_func=None):
        super().__init__(data_names, label_names, [name + "_output"], logger=logger)
        if len(self._data_names) != 1 or len(self._label_names or []) != 1:
            raise ValueError("PythonLossModule: expected one data name and one label name")
        if grad_func is not None and not callable(grad_func):
            raise TypeError("PythonLossModule: grad_func must be callable")
        self._name = name
        self._grad_func = grad_func
        self._scores = self._labels = self._scores_grad = None

    def _compute_output_shapes(self) -> list:
        return [(self._name + "_output", self._data_shapes[0][1])]

    def forward(self, data_batch, is_train=None) -> None:
        """Keep the scores (and, when training, the labels)."""
        self._scores = data_batch.data[0]
        if self.for_training if is_train is None else is_train:
            self._labels = data_batch.label[0]

    def get_outputs(self, merge_multi_context=True) -> list:
        """The scores."""
        return [self._scores]

    def backward(self, out_grads=None) -> None:
        """The scores' gradient from ``grad_func``."""
        if out_grads is not None:
            raise ValueError("PythonLossModule.backward: a loss takes no out_grads")
        if self._grad_func is None:
            raise NotImplementedError("PythonLossModule.backward: pass grad_func, or override "
                                      "backward in a subclass")
        grad = self._grad_func(self._scores, self._labels)
        self._scores_grad = grad if isinstance(grad, nd.NDArray) else nd.array(grad)

    def get_input_grads(self, merge_multi_context=True) -> list:
        """The scores' gradient."""
        return [self._scores_grad]

    def install_monitor(self, mon) -> None:
        """Not supported: mxnp has no executor monitor."""
        raise NotImplementedError("PythonLossModule.install_monitor: monitors are not supported")
