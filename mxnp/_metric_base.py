"""The pieces every metric shares: EvalMetric, the name registry, label/pred shape checks.

Metrics run on the host: each update converts its arrays to official NumPy (``asnumpy()``), as
MXNet's do. Public names are re-exported by ``mxnp.metric``.
"""
from __future__ import annotations

import numpy as onp

from . import registry
from ._ndarray import ndarray


def to_numpy(x) -> onp.ndarray:
    """``x`` as an official NumPy array (mxnp arrays through ``asnumpy()``)."""
    return x.asnumpy() if hasattr(x, "asnumpy") else onp.asarray(x)


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Raise ValueError unless labels and preds agree in length (or shape); wrap single arrays."""
    if shape:
        label_shape, pred_shape = labels.shape, preds.shape
    else:
        label_shape, pred_shape = len(labels), len(preds)
    if label_shape != pred_shape:
        raise ValueError(f"Shape of labels {label_shape} does not match shape of "
                         f"predictions {pred_shape}")
    if wrap:
        # official NumPy arrays count as single arrays too (MXNet accepts only its own)
        if isinstance(labels, (ndarray, onp.ndarray)):
            labels = [labels]
        if isinstance(preds, (ndarray, onp.ndarray)):
            preds = [preds]
    return labels, preds


class EvalMetric:
    """Base class of the metrics: accumulates ``sum_metric`` over ``num_inst`` instances."""

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The arguments that rebuild this metric through ``create``, as a dict."""
        config = self._kwargs.copy()
        config.update({"metric": type(self).__name__, "name": self.name,
                       "output_names": self.output_names, "label_names": self.label_names})
        return config

    def update_dict(self, label, pred):
        """Update from dicts name -> array, selecting ``label_names``/``output_names``."""
        pred = ([pred[name] for name in self.output_names] if self.output_names is not None
                else list(pred.values()))
        label = ([label[name] for name in self.label_names] if self.label_names is not None
                 else list(label.values()))
        self.update(label, pred)

    def update(self, labels, preds):
        """Accumulate the metric over a batch of labels and predictions."""
        raise NotImplementedError()

    def reset(self):
        """Clear the local and the global statistics."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Clear the local statistics only."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def get(self):
        """``(name, value)``; the value is nan before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        """``(name, value)`` over everything since the last ``reset``."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    def get_name_value(self):
        """``[(name, value), ...]`` from ``get()``."""
        return _pairs(*self.get())

    def get_global_name_value(self):
        """``[(name, value), ...]`` from ``get_global()``."""
        if not self._has_global_stats:
            return self.get_name_value()
        return _pairs(*self.get_global())


def _pairs(name, value):
    names = name if isinstance(name, list) else [name]
    values = value if isinstance(value, list) else [value]
    return list(zip(names, values))




# the metrics' registry is mx.registry's, as in MXNet
_REGISTRY = registry._REGISTRY.setdefault(EvalMetric, {})
register = registry.get_register_func(EvalMetric, "metric")
alias = registry.get_alias_func(EvalMetric, "metric")
create_registered = registry.get_create_func(EvalMetric, "metric")
