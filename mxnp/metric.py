"""mx.metric: MXNet's evaluation metrics, computed on the host with official NumPy.

Inputs may be mxnp arrays, official NumPy arrays, or lists of either (MXNet accepts only its
own arrays). Classification metrics live in ``_metric_classification``; every name is here.
"""
from __future__ import annotations

from collections import OrderedDict
from numbers import Number

import numpy as onp

from ._metric_base import (EvalMetric, alias, check_label_shapes, create_registered, register,
                           to_numpy)
from ._metric_classification import F1, MCC, PCC, Accuracy, Perplexity, TopKAccuracy

# Users meet these classes as mx.metric.X (MXNet's reprs and type() say mxnet.metric.Accuracy);
# the private modules they are written in are an implementation detail.
for _cls in (EvalMetric, Accuracy, TopKAccuracy, F1, MCC, PCC, Perplexity):
    _cls.__module__ = __name__
del _cls

__all__ = ["EvalMetric", "CompositeEvalMetric", "Accuracy", "TopKAccuracy", "F1", "MCC",
           "Perplexity", "MAE", "MSE", "RMSE", "CrossEntropy", "NegativeLogLikelihood",
           "PearsonCorrelation", "PCC", "Loss", "Torch", "Caffe", "CustomMetric", "np",
           "create", "register", "alias", "check_label_shapes"]


def create(metric, *args, **kwargs):
    """A metric from a name, a list (composite), a callable (custom) or an instance."""
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return create_registered(metric, *args, **kwargs)


@register
@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; ``get()`` returns lists of names and values."""

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        """Append a metric (anything ``create`` accepts)."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """The child metric at ``index``."""
        try:
            return self.metrics[index]
        except IndexError:
            # MXNet returns (not raises) this error; kept for compatibility
            return ValueError(f"Metric index {index} is out of range 0 and {len(self.metrics)}")

    def update_dict(self, labels, preds):
        """Update every child from dicts, restricted to this metric's names."""
        if self.label_names is not None:
            labels = OrderedDict(i for i in labels.items() if i[0] in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict(i for i in preds.items() if i[0] in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        """Update every child metric."""
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        """Reset every child metric."""
        for metric in getattr(self, "metrics", []):  # reset() runs before metrics exists
            metric.reset()

    def reset_local(self):
        """Reset every child's local statistics."""
        for metric in getattr(self, "metrics", []):
            metric.reset_local()

    def get(self):
        """``([names], [values])`` of the children."""
        return _flatten_results(m.get() for m in self.metrics)

    def get_global(self):
        """``([names], [values])`` of the children's global values."""
        return _flatten_results(m.get_global() for m in self.metrics)

    def get_config(self):
        """This metric's config, with its children's."""
        config = super().get_config()
        config.update({"metrics": [m.get_config() for m in self.metrics]})
        return config


def _flatten_results(results):
    names, values = [], []
    for name, value in results:
        names.extend([name] if isinstance(name, str) else name)
        values.extend([value] if isinstance(value, Number) else value)
    return (names, values)


class _BatchAverage(EvalMetric):
    """Regression metrics: one value per (label, pred) array, averaged over arrays."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    @staticmethod
    def _value(error):
        raise NotImplementedError

    def update(self, labels, preds):
        """Add one value per (label, pred) pair."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = to_numpy(label), to_numpy(pred)
            # 1-D arrays become columns, so (N,) against (N, 1) compares elementwise
            if label.ndim == 1:
                label = label.reshape(label.shape[0], 1)
            if pred.ndim == 1:
                pred = pred.reshape(pred.shape[0], 1)
            value = float(self._value(label - pred))
            self.sum_metric += value
            self.global_sum_metric += value
            self.num_inst += 1
            self.global_num_inst += 1


@register
class MAE(_BatchAverage):
    """Mean absolute error, averaged per batch."""

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _value(error):
        return onp.abs(error).mean()


@register
class MSE(_BatchAverage):
    """Mean squared error, averaged per batch."""

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _value(error):
        return (error ** 2.0).mean()


@register
class RMSE(_BatchAverage):
    """Root mean squared error of each batch, averaged over batches."""

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _value(error):
        return onp.sqrt((error ** 2.0).mean())


class _LabelLogLikelihood(EvalMetric):
    """Mean over samples of -log(p[label] + eps) for probability rows ``pred``."""

    def __init__(self, eps, name, output_names=None, label_names=None):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        """Add the negative log-probabilities of one batch's labels."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = to_numpy(label).ravel(), to_numpy(pred)
            count = pred.shape[0]
            assert label.shape[0] == count, (label.shape[0], count)
            prob = pred[onp.arange(count, dtype=onp.int64), onp.int64(label)]
            total = float((-onp.log(prob + self.eps)).sum())
            self.sum_metric += total
            self.global_sum_metric += total
            self.num_inst += count
            self.global_num_inst += count


@register
@alias("ce")
class CrossEntropy(_LabelLogLikelihood):
    """Cross-entropy of probability predictions against class labels."""

    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("nll_loss")
class NegativeLogLikelihood(_LabelLogLikelihood):
    """Negative log-likelihood of probability predictions against class labels."""

    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("pearsonr")
class PearsonCorrelation(EvalMetric):
    """Pearson correlation: 'macro' averages per-update r, 'micro' streams one r over all."""

    def __init__(self, name="pearsonr", output_names=None, label_names=None, average="macro"):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def reset_micro(self):
        """Clear the streaming moments used by 'micro'."""
        self._sse_p = self._mean_p = self._sse_l = self._mean_l = 0
        self._pred_nums = self._label_nums = 0
        self._conv = 0

    def reset(self):
        """Clear all statistics."""
        super().reset()
        if self.average == "micro":
            self.reset_micro()

    @staticmethod
    def update_variance(new_values, *aggregate):
        """Welford's update of (count, mean, sum of squared deviations)."""
        count, mean, m_2 = aggregate
        count += len(new_values)
        delta = new_values - mean
        mean += onp.sum(delta / count)
        m_2 += onp.sum(delta * (new_values - mean))
        return count, mean, m_2

    def update_cov(self, label, pred):
        """Add the batch's co-deviation about the running means."""
        self._conv = self._conv + onp.sum((label - self._mean_l) * (pred - self._mean_p))

    def update(self, labels, preds):
        """Add one batch (or each array of a list)."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = to_numpy(label).ravel().astype(onp.float64)
            pred = to_numpy(pred).ravel().astype(onp.float64)
            self.num_inst += 1
            self.global_num_inst += 1
            if self.average == "macro":
                r = float(onp.corrcoef(pred, label)[0, 1])
                self.sum_metric += r
                self.global_sum_metric += r
            else:
                # the covariance uses the label mean before and the pred mean after this
                # batch's update: MXNet's order, which streams only approximately
                self._label_nums, self._mean_l, self._sse_l = self.update_variance(
                    label, self._label_nums, self._mean_l, self._sse_l)
                self.update_cov(label, pred)
                self._pred_nums, self._mean_p, self._sse_p = self.update_variance(
                    pred, self._pred_nums, self._mean_p, self._sse_p)

    def get(self):
        """``(name, r)``; nan before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        if self.average == "macro":
            return (self.name, self.sum_metric / self.num_inst)
        n = self._label_nums
        spread = (n - 1) * onp.sqrt(self._sse_p / (n - 1)) * onp.sqrt(self._sse_l / (n - 1))
        return (self.name, float(self._conv / spread))


@register
class Loss(EvalMetric):
    """Mean of the loss values passed as predictions (labels are ignored)."""

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        """Add the sum and the count of every loss value in ``preds``."""
        if not isinstance(preds, (list, tuple)):
            preds = [preds]
        for pred in preds:
            pred = to_numpy(pred)
            total = float(onp.sum(pred))
            self.sum_metric += total
            self.global_sum_metric += total
            self.num_inst += pred.size
            self.global_num_inst += pred.size


@register
class Torch(Loss):
    """Loss metric named 'torch' (kept for compatibility)."""

    def __init__(self, name="torch", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class Caffe(Loss):
    """Loss metric named 'caffe' (kept for compatibility)."""

    def __init__(self, name="caffe", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class CustomMetric(EvalMetric):
    """A metric from ``feval(label, pred)`` on NumPy arrays, returning a value or (sum, count)."""

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if "<" in name:
                name = f"custom({name})"
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        """Call ``feval`` on each (label, pred) pair and accumulate its result."""
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            result = self._feval(to_numpy(label), to_numpy(pred))
            total, count = result if isinstance(result, tuple) else (result, 1)
            self.sum_metric += total
            self.global_sum_metric += total
            self.num_inst += count
            self.global_num_inst += count

    def get_config(self):
        """Not available: a Python function cannot be serialized."""
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A CustomMetric from a function of (label, pred) NumPy arrays."""
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)
