"""Classification metrics: Accuracy, TopKAccuracy, F1, MCC, PCC, Perplexity (``mxnp.metric``)."""
from __future__ import annotations

import math

import numpy as onp

from ._metric_base import EvalMetric, alias, check_label_shapes, register, to_numpy


@register
@alias("acc")
class Accuracy(EvalMetric):
    """Fraction of predictions equal to the label; class scores are argmax'ed along ``axis``."""

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        """Count correct predictions in each (label, pred) pair."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = to_numpy(label), to_numpy(pred)
            if pred.shape != label.shape:
                pred = onp.argmax(pred, axis=self.axis)
            label = label.astype("int32").flat
            pred = pred.astype("int32").flat
            check_label_shapes(label, pred)
            correct = int((pred == label).sum())
            self.sum_metric += correct
            self.global_sum_metric += correct
            self.num_inst += len(pred)
            self.global_num_inst += len(pred)


@register
@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Fraction of samples whose label is among the ``top_k`` highest scores."""

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.top_k = top_k
        assert self.top_k > 1, "Please use Accuracy if top_k is no more than 1"
        self.name += f"_{self.top_k}"

    def update(self, labels, preds):
        """Count samples whose label is in the top k of its scores."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            assert len(pred.shape) <= 2, "Predictions should be no more than 2 dims"
            # argpartition: the top k land in the last k columns, in no particular order
            top = onp.argpartition(to_numpy(pred).astype("float32"), -self.top_k)
            label = to_numpy(label).astype("int32")
            check_label_shapes(label, top)
            if top.ndim == 1:
                self.sum_metric += int((top.flat == label.flat).sum())
            else:
                classes = top.shape[1]
                for j in range(min(classes, self.top_k)):
                    correct = int((top[:, classes - 1 - j].flat == label.flat).sum())
                    self.sum_metric += correct
                    self.global_sum_metric += correct
            self.num_inst += top.shape[0]
            self.global_num_inst += top.shape[0]


class _BinaryClassificationMetrics:
    """True/false positive/negative counts, local and global, for two-class predictions."""

    _FIELDS = ("true_positives", "false_positives", "false_negatives", "true_negatives")

    def __init__(self):
        self.reset_stats()

    def update_binary_stats(self, label, pred):
        """Add the counts of one batch; ``pred`` holds two class scores per sample."""
        pred, label = to_numpy(pred), to_numpy(label).astype("int32")
        pred_true = onp.argmax(pred, axis=1) == 1
        check_label_shapes(label, pred)
        if len(onp.unique(label)) > 2:
            raise ValueError(f"{type(self).__name__} currently only supports binary "
                             "classification.")
        label_true = label == 1
        counts = (int((pred_true & label_true).sum()), int((pred_true & ~label_true).sum()),
                  int((~pred_true & label_true).sum()), int((~pred_true & ~label_true).sum()))
        for field, count in zip(self._FIELDS, counts):
            setattr(self, field, getattr(self, field) + count)
            setattr(self, "global_" + field, getattr(self, "global_" + field) + count)

    def counts(self, use_global=False):
        """(tp, fp, fn, tn), local or global."""
        prefix = "global_" if use_global else ""
        return tuple(getattr(self, prefix + field) for field in self._FIELDS)

    def total(self, use_global=False):
        """Number of samples counted."""
        return sum(self.counts(use_global))

    def _precision_recall(self, use_global):
        tp, fp, fn, _ = self.counts(use_global)
        precision = float(tp) / (tp + fp) if tp + fp > 0 else 0.0
        recall = float(tp) / (tp + fn) if tp + fn > 0 else 0.0
        return precision, recall

    def _fscore(self, use_global):
        precision, recall = self._precision_recall(use_global)
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)

    # MXNet's names for the same numbers, as properties
    precision = property(lambda self: self._precision_recall(False)[0], doc="Local precision.")
    recall = property(lambda self: self._precision_recall(False)[1], doc="Local recall.")
    fscore = property(lambda self: self._fscore(False), doc="Local F1 (0 when undefined).")
    global_precision = property(lambda self: self._precision_recall(True)[0],
                                doc="Global precision.")
    global_recall = property(lambda self: self._precision_recall(True)[1], doc="Global recall.")
    global_fscore = property(lambda self: self._fscore(True), doc="Global F1.")
    total_examples = property(lambda self: self.total(False), doc="Samples counted locally.")
    global_total_examples = property(lambda self: self.total(True), doc="Samples counted.")

    def matthewscc(self, use_global=False):
        """Matthews correlation; zero factors of the denominator are left out, as MXNet does."""
        if not self.total(use_global):
            return 0.0
        tp, fp, fn, tn = (float(c) for c in self.counts(use_global))
        denom = 1.0
        for term in (tp + fp, tp + fn, tn + fp, tn + fn):
            denom *= term if term != 0 else 1.0
        return (tp * tn - fp * fn) / math.sqrt(denom)

    def local_reset_stats(self):
        """Zero the local counts."""
        for field in self._FIELDS:
            setattr(self, field, 0)

    def reset_stats(self):
        """Zero the local and global counts."""
        self.local_reset_stats()
        for field in self._FIELDS:
            setattr(self, "global_" + field, 0)


class _BinaryMetric(EvalMetric):
    """F1 and MCC: 'macro' averages per-update scores, 'micro' pools the counts."""

    def __init__(self, name, output_names=None, label_names=None, average="macro"):
        self.average = average
        self._counts = _BinaryClassificationMetrics()
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def _score(self, use_global=False):
        raise NotImplementedError

    def update(self, labels, preds):
        """Add one batch of binary predictions."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self._counts.update_binary_stats(label, pred)
        if self.average == "macro":
            self.sum_metric += self._score()
            self.global_sum_metric += self._score(use_global=True)
            self.num_inst += 1
            self.global_num_inst += 1
            self._counts.reset_stats()  # MXNet clears the global counts here too
        else:
            self.sum_metric = self._score() * self._counts.total()
            self.global_sum_metric = self._score(True) * self._counts.total(True)
            self.num_inst = self._counts.total()
            self.global_num_inst = self._counts.total(True)

    def reset(self):
        """Clear the local and the global statistics."""
        self.sum_metric, self.num_inst = 0.0, 0
        self.global_sum_metric, self.global_num_inst = 0.0, 0
        self._counts.reset_stats()

    def reset_local(self):
        """Clear the local statistics only."""
        self.sum_metric, self.num_inst = 0.0, 0
        self._counts.local_reset_stats()


@register
class F1(_BinaryMetric):
    """F1 score of class 1 for binary classification."""

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)
        self.metrics = self._counts  # MXNet's attribute name for the counts

    def _score(self, use_global=False):
        return self._counts.global_fscore if use_global else self._counts.fscore


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient for binary classification."""

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)
        self._metrics = self._counts  # MXNet's attribute name for the counts

    def _score(self, use_global=False):
        return self._counts.matthewscc(use_global)


@register
class PCC(EvalMetric):
    """Multiclass Matthews correlation from a confusion matrix that grows with the classes."""

    def __init__(self, name="pcc", output_names=None, label_names=None, has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        self.lcm = onp.pad(self.lcm, ((0, inc), (0, inc)), "constant")
        self.gcm = onp.pad(self.gcm, ((0, inc), (0, inc)), "constant")
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x, y = cmat.sum(axis=1), cmat.sum(axis=0)
        cov_xx, cov_yy = onp.sum(x * (n - x)), onp.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float("nan")
        cov_xy = onp.sum(cmat.diagonal() * n - x * y)
        return float(cov_xy / (cov_xx * cov_yy) ** 0.5)

    def update(self, labels, preds):
        """Add each pair to the confusion matrix (rows: prediction, columns: label)."""
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = to_numpy(label).astype("int32"), to_numpy(pred)
            pred = pred.argmax(axis=1) if pred.shape != label.shape else pred.astype("int32")
            n = max(pred.max(), label.max())
            if n >= self.k:
                self._grow(n + 1 - self.k)
            batch = onp.zeros((self.k, self.k))
            onp.add.at(batch, (pred, label), 1)
            self.lcm += batch
            self.gcm += batch
        # one instance per update call, whatever the batch size: get() is the matrix's MCC
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        """The local MCC times ``num_inst``."""
        return self._calc_mcc(self.lcm) * self.num_inst

    @property
    def global_sum_metric(self):
        """The global MCC times ``global_num_inst``."""
        return self._calc_mcc(self.gcm) * self.global_num_inst

    def reset(self):
        """Clear the local and the global confusion matrices."""
        self.global_num_inst = 0.0
        self.gcm = onp.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        """Clear the local confusion matrix."""
        self.num_inst = 0.0
        self.lcm = onp.zeros((self.k, self.k))


@register
class Perplexity(EvalMetric):
    """exp of the mean negative log-probability of the labels, skipping ``ignore_label``."""

    def __init__(self, ignore_label, axis=-1, name="perplexity", output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        """Add the labels' negative log-probabilities of one batch."""
        assert len(labels) == len(preds)
        loss, num = 0.0, 0
        for label, pred in zip(labels, preds):
            label, pred = to_numpy(label), to_numpy(pred)
            assert label.size == pred.size / pred.shape[-1], \
                f"shape mismatch: {label.shape} vs. {pred.shape}"
            label = label.reshape((label.size,))
            classes = onp.moveaxis(pred, self.axis, -1).reshape((label.size, -1))
            # out-of-range labels are clipped, as the pick MXNet uses here does
            index = onp.clip(label.astype("int64"), 0, classes.shape[1] - 1)
            prob = classes[onp.arange(label.size), index]
            if self.ignore_label is not None:
                ignore = (label == self.ignore_label).astype(prob.dtype)
                num -= int(ignore.sum())
                prob = prob * (1 - ignore) + ignore
            loss -= float(onp.sum(onp.log(onp.maximum(1e-10, prob))))
            num += prob.size
        self.sum_metric += loss
        self.global_sum_metric += loss
        self.num_inst += num
        self.global_num_inst += num

    def get(self):
        """``(name, perplexity)``; nan before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        """``(name, perplexity)`` since the last reset."""
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))
