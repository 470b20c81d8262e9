"""Checks the estimator shares with its event handlers."""
from __future__ import annotations

from ....metric import Accuracy, CompositeEvalMetric, EvalMetric
from ...loss import SoftmaxCrossEntropyLoss


def _check_metrics(metrics) -> list:
    """Return ``metrics`` as a list of EvalMetric, a composite flattened into its parts."""
    if isinstance(metrics, CompositeEvalMetric):
        return [m for metric in metrics.metrics for m in _check_metrics(metric)]
    if isinstance(metrics, EvalMetric):
        return [metrics]
    metrics = metrics or []
    if not all(isinstance(metric, EvalMetric) for metric in metrics):
        raise ValueError("metrics must be a Metric or a list of Metric, "
                         f"refer to mxnet.metric.EvalMetric: {metrics}")
    return metrics


def _check_handler_metric_ref(handler, known_metrics) -> None:
    """Raise ValueError if ``handler`` holds a metric the estimator does not update."""
    # MXNet 1.9.1 looks only at attributes whose name contains 'metric' (its list reads
    # ['metric' or 'monitor']), so a handler's monitor is not checked.
    for attribute in dir(handler):
        if "metric" not in attribute:
            continue
        reference = getattr(handler, attribute)
        if not reference:
            continue
        for metric in reference if isinstance(reference, list) else [reference]:
            _check_metric_known(handler, metric, known_metrics)


def _check_metric_known(handler, metric, known_metrics) -> None:
    """Raise ValueError unless ``metric`` is one of ``known_metrics``."""
    if metric not in known_metrics:
        raise ValueError(
    f"Event handler {type(handler).__name__} refers to a metric instance {metric} outside of the known training and "
            "validation metrics. Please use the metrics from estimator.train_metrics and "
            "estimator.val_metrics instead.")


def _suggest_metric_for_loss(loss):
    """Return the metric MXNet adds by default for ``loss`` (Accuracy for softmax CE), or None."""
    return Accuracy() if isinstance(loss, SoftmaxCrossEntropyLoss) else None
