"""gluon.loss: MXNet's loss blocks, each a parameter-free HybridBlock built from np/npx ops.

Every loss returns one value per sample. MXNet 1.9.1 in numpy mode averages L1, L2, SigmoidBCE
and SoftmaxCE over axes 1..n-1 whatever ``batch_axis`` says; we keep that, and honour
``batch_axis`` in the 1.x face as MXNet's legacy mode does. The losses MXNet can only run on
legacy arrays (Huber, Hinge, KLDiv, CTC, ...) use the formulas MXNet's legacy mode computes,
``batch_axis`` included, in both faces.
"""
from __future__ import annotations

import math
from numbers import Number

from .._ndarray import ndarray
from .._ops.nn.basic import sparse_softmax_cross_entropy
from ..ndarray._ctc import ctc_negative_log_likelihood
from ..base import OpError
from ._block_util import legacy_face
from ._symbolic import _call, is_symbol
from .block import HybridBlock

__all__ = ["Loss", "L2Loss", "L1Loss", "SigmoidBinaryCrossEntropyLoss", "SigmoidBCELoss",
           "SoftmaxCrossEntropyLoss", "SoftmaxCELoss", "KLDivLoss", "CTCLoss", "HuberLoss",
           "HingeLoss", "SquaredHingeLoss", "LogisticLoss", "TripletLoss", "PoissonNLLLoss",
           "CosineEmbeddingLoss", "SDMLLoss"]

_EPS = 1e-12  # MXNet's guard inside log() for probabilities


def _apply_weighting(loss, weight=None, sample_weight=None):
    """``loss`` times ``sample_weight`` (broadcast) times the scalar ``weight``; on mx.sym
    Symbols the product is a ``broadcast_mul`` node, as MXNet's legacy losses write it."""
    if sample_weight is not None:
        loss = _call("broadcast_mul", loss, sample_weight) if is_symbol(loss) \
            else loss * sample_weight
    if weight is not None:
        assert isinstance(weight, Number), "weight must be a number"
        loss = loss * weight
    return loss


def _reshape_like(F, x, y, who="loss"):
    """``x`` reshaped to ``y``'s shape (same number of elements); ``who`` names the loss in
    the error when the sizes differ."""
    if not is_symbol(x) and not is_symbol(y) and x.size != y.size:
        raise OpError(f"{who}: an input of shape {x.shape} ({x.size} values) cannot be "
                      f"reshaped to the prediction's shape {y.shape}")
    return F.npx.reshape_like(x, y)


def _reduced_axes(loss, batch_axis, honour):
    """The axes a per-sample reduction runs over: all but ``batch_axis`` where the loss honours
    it, else 1..n-1 (MXNet 1.9.1's numpy mode ignores ``batch_axis`` in the four losses it
    runs there)."""
    if not honour:
        return tuple(range(1, loss.ndim))
    if not -loss.ndim <= batch_axis < max(loss.ndim, 1):
        raise OpError(f"loss: batch_axis {batch_axis} is out of range for a loss of shape "
                      f"{loss.shape}")
    kept = batch_axis % max(loss.ndim, 1)
    return tuple(i for i in range(loss.ndim) if i != kept)


def _mean_per_sample(F, loss, batch_axis=0, honour=None):
    """Mean over all axes but the batch axis. ``honour`` (default: in the 1.x face only) says
    whether ``batch_axis`` counts; on an mx.sym Symbol (no ndim) the legacy loss's mean."""
    if is_symbol(loss):
        return F.mean(loss, axis=batch_axis, exclude=True)
    honour = legacy_face() if honour is None else honour
    return F.np.mean(loss, axis=_reduced_axes(loss, batch_axis, honour))


def _sum_per_sample(F, loss, batch_axis=0, honour=True):
    if is_symbol(loss):
        return F.sum(loss, axis=batch_axis, exclude=True)
    return F.np.sum(loss, axis=_reduced_axes(loss, batch_axis, honour))


def _index_for_pick(label, pred, axis):
    """``label`` shaped like ``pred`` without ``axis`` (MXNet's pick takes (N, 1) for (N,));
    on Symbols, whose shapes are not known yet, as given."""
    if is_symbol(pred):
        return label
    shape = list(pred.shape)
    del shape[axis]
    shape = tuple(shape)
    if label.shape == shape:
        return label
    return label.reshape(shape) if label.size == math.prod(shape) else label


def _softplus(F, x):
    """log(1 + exp(x)), MXNet's 'softrelu' activation."""
    return F.npx.activation(x, act_type="softrelu")


class Loss(HybridBlock):
    """Base class of the losses: a scalar ``weight`` and a ``batch_axis``."""

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self):
        return f"{type(self).__name__}(batch_axis={self._batch_axis}, w={self._weight})"

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Subclasses compute the loss here."""
        raise NotImplementedError


class L2Loss(Loss):
    """Half the mean squared error per sample."""

    def __init__(self, weight=1.0, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean of weight/2 * (label - pred)**2."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        loss = F.np.square(label - pred)
        loss = _apply_weighting(loss, self._weight / 2, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis)


class L1Loss(Loss):
    """Mean absolute error per sample."""

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean of abs(label - pred)."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        loss = _apply_weighting(F.np.abs(label - pred), self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis)


class SigmoidBinaryCrossEntropyLoss(Loss):
    """Binary cross-entropy on logits (or on probabilities with ``from_sigmoid=True``)."""

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def hybrid_forward(self, F, pred, label, sample_weight=None, pos_weight=None):
        """Per-sample mean BCE; ``pos_weight`` scales the positive term."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        if self._from_sigmoid:
            loss = self._from_probabilities(F, pred, label, pos_weight)
        elif pos_weight is None:
            # max(z, 0) - z*y + log(1 + exp(-|z|)): never exponentiates a large positive number
            loss = F.npx.relu(pred) - pred * label + _softplus(F, -F.np.abs(pred))
        else:
            # z - z*y + (1 + (pw - 1)*y) * (log(1 + exp(-|z|)) + max(-z, 0)), equally stable
            log_weight = 1 + (pos_weight - 1) * label
            loss = pred - pred * label + log_weight * (
                _softplus(F, -F.np.abs(pred)) + F.npx.relu(-pred))
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis)

    @staticmethod
    def _from_probabilities(F, p, y, pos_weight):
        positive = F.np.log(p + _EPS) * y
        if pos_weight is not None:
            positive = positive * pos_weight
        return -(positive + F.np.log(1.0 - p + _EPS) * (1.0 - y))


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class SoftmaxCrossEntropyLoss(Loss):
    """Softmax cross-entropy; sparse labels are class indices, clipped into range as MXNet does."""

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None, batch_axis=0,
                 **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis = axis
        self._sparse_label = sparse_label
        self._from_logits = from_logits

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean of -log_softmax(pred)[label] along ``axis``."""
        # on arrays, log_softmax, pick and the negation as one op (the same numbers, one call
        # each way); on Symbols, MXNet's composite
        fused = self._sparse_label and not self._from_logits and type(pred) is ndarray and \
            isinstance(label, ndarray)
        if not self._from_logits and not fused:
            pred = F.npx.log_softmax(pred, axis=self._axis)
        if self._sparse_label:
            # pick's default mode 'clip' maps out-of-range labels to the nearest class
            label = _index_for_pick(label, pred, self._axis)
            loss = sparse_softmax_cross_entropy(pred, label, axis=self._axis) if fused else \
                -F.npx.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _reshape_like(F, label, pred, type(self).__name__)
            loss = -F.np.sum(pred * label, axis=self._axis, keepdims=True)
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis)


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class KLDivLoss(Loss):
    """Kullback-Leibler divergence of ``pred`` (log-probabilities) from ``label``."""

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._axis = axis

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample **sum** of label * (log(label) - pred), as MXNet computes it."""
        if not self._from_logits:
            pred = F.npx.log_softmax(pred, axis=self._axis)
        loss = label * (F.np.log(label + _EPS) - pred)
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _sum_per_sample(F, loss, self._batch_axis)


class CTCLoss(Loss):
    """Connectionist Temporal Classification loss; the blank is the last class."""

    def __init__(self, layout="NTC", label_layout="NT", weight=None, **kwargs):
        assert layout in ["NTC", "TNC"], \
            f"Only 'NTC' and 'TNC' layouts for pred are supported. Got: {layout}"
        assert label_layout in ["NT", "TN"], \
            f"Only 'NT' and 'TN' layouts for label are supported. Got: {label_layout}"
        self._layout = layout
        self._label_layout = label_layout
        super().__init__(weight, label_layout.find("N"), **kwargs)

    def hybrid_forward(self, F, pred, label, pred_lengths=None, label_lengths=None,
                       sample_weight=None):
        """Negative log-likelihood of each label sequence, shape (batch,)."""
        if self._layout == "NTC":
            pred = F.np.swapaxes(pred, 0, 1)
        if self._batch_axis == 1:
            label = F.np.swapaxes(label, 0, 1)
        loss = ctc_negative_log_likelihood(F, pred, label, pred_lengths, label_lengths)
        return _apply_weighting(loss, self._weight, sample_weight)

    def _symbol_forward(self, F, pred, label, pred_lengths=None, label_lengths=None,
                        sample_weight=None):
        """On mx.sym Symbols (shapes unknown): MXNet 1.9.1's graph, the inputs swapped to
        (T, N, C) and (N, L) and one CTCLoss node (blank last) taking the lengths given."""
        if self._layout == "NTC":
            pred = F.swapaxes(pred, 0, 1)
        if self._batch_axis == 1:
            label = F.swapaxes(label, 0, 1)
        loss = F.CTCLoss(pred, label, pred_lengths, label_lengths,
                         use_data_lengths=pred_lengths is not None,
                         use_label_lengths=label_lengths is not None, blank_label="last")
        return _apply_weighting(loss, self._weight, sample_weight)


class HuberLoss(Loss):
    """Smooth L1: quadratic within ``rho`` of the label, linear beyond."""

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean Huber loss."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        loss = F.np.abs(label - pred)
        loss = F.np.where(loss > self._rho, loss - 0.5 * self._rho,
                          (0.5 / self._rho) * F.np.square(loss))
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis, honour=True)


class HingeLoss(Loss):
    """Hinge loss for labels in {-1, 1}."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean of max(0, margin - pred * label)."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        loss = F.npx.relu(self._margin - pred * label)
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis, honour=True)


class SquaredHingeLoss(Loss):
    """Squared hinge loss for labels in {-1, 1}."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean of max(0, margin - pred * label)**2."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        loss = F.np.square(F.npx.relu(self._margin - pred * label))
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis, honour=True)


class LogisticLoss(Loss):
    """Logistic loss log(1 + exp(-pred * label)); labels 'signed' {-1, 1} or 'binary' {0, 1}."""

    def __init__(self, weight=None, batch_axis=0, label_format="signed", **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._label_format = label_format
        if label_format not in ["signed", "binary"]:
            raise ValueError(f"label_format can only be signed or binary, recieved "
                             f"{label_format}.")

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        """Per-sample mean logistic loss, in the overflow-free form."""
        label = _reshape_like(F, label, pred, type(self).__name__)
        if self._label_format == "signed":
            label = (label + 1.0) / 2.0  # {-1, 1} -> {0, 1}
        loss = F.npx.relu(pred) - pred * label + _softplus(F, -F.np.abs(pred))
        loss = _apply_weighting(loss, self._weight, sample_weight)
        return _mean_per_sample(F, loss, self._batch_axis, honour=True)


class TripletLoss(Loss):
    """Triplet loss: squared distance to the positive minus to the negative, plus a margin."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, positive, negative):
        """Per-sample max(0, |pos - pred|^2 - |neg - pred|^2 + margin)."""
        positive = _reshape_like(F, positive, pred, type(self).__name__)
        negative = _reshape_like(F, negative, pred, type(self).__name__)
        gap = _sum_per_sample(F, F.np.square(positive - pred) - F.np.square(negative - pred),
                              self._batch_axis)
        return _apply_weighting(F.npx.relu(gap + self._margin), self._weight, None)


class PoissonNLLLoss(Loss):
    """Poisson negative log-likelihood; returns one global mean of shape (1,), as MXNet does."""

    def __init__(self, weight=None, from_logits=True, batch_axis=0, compute_full=False,
                 **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._compute_full = compute_full

    def hybrid_forward(self, F, pred, target, sample_weight=None, epsilon=1e-08):
        """Mean over all elements of the Poisson NLL (Stirling term if ``compute_full``)."""
        target = _reshape_like(F, target, pred, type(self).__name__)
        if self._from_logits:
            loss = F.np.exp(pred) - target * pred
        else:
            loss = pred - target * F.np.log(pred + epsilon)
        if self._compute_full:
            # Stirling's approximation of log(target!), counted only where target > 1; like
            # MXNet, a zero target gives 0 * log 0 = nan here
            stirling = (target * F.np.log(target) - target
                        + 0.5 * F.np.log(2 * target * math.pi))
            loss = loss + stirling * (target > 1)
        loss = _apply_weighting(loss, self._weight, sample_weight)
        mean = F.np.mean(loss)
        return mean if is_symbol(mean) else mean.reshape((1,))  # a Symbol's mean is (1,)


class CosineEmbeddingLoss(Loss):
    """Cosine embedding loss for label 1 (similar) or -1 (dissimilar); output shape (N, 1)."""

    def __init__(self, weight=None, batch_axis=0, margin=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, input1, input2, label, sample_weight=None):
        """1 - cos for label 1, max(0, cos - margin) for label -1."""
        input1 = _reshape_like(F, input1, input2, type(self).__name__)
        label = label.reshape((-1, 1))
        cos_sim = self._cosine_similarity(F, input1, input2)
        similar = (1 - cos_sim) * (label == 1)
        dissimilar = F.np.maximum(0.0, (label == -1) * (cos_sim - self._margin))
        return _apply_weighting(similar + dissimilar, self._weight, sample_weight)

    def _symbol_forward(self, F, input1, input2, label, sample_weight=None):
        """On mx.sym Symbols: MXNet 1.9.1's legacy graph (norm, broadcast_maximum against a
        ``full``/``zeros`` constant)."""
        input1 = F.reshape_like(input1, input2)
        label = label.reshape((-1, 1))
        x_norm = F.norm(input1, axis=-1).reshape((-1, 1))
        y_norm = F.norm(input2, axis=-1).reshape((-1, 1))
        x_dot_y = F.sum(input1 * input2, axis=-1).reshape((-1, 1))
        cos_sim = x_dot_y / F.broadcast_maximum(x_norm * y_norm, F.full((1, 1), _EPS))
        similar, dissimilar = label == 1, label == -1
        loss = (1 - cos_sim) * similar + F.broadcast_maximum(
            F.zeros((1, 1)), dissimilar * (cos_sim - self._margin), axis=1)
        return _apply_weighting(loss, self._weight, sample_weight)

    @staticmethod
    def _cosine_similarity(F, x, y, axis=-1):
        x_norm = F.np.linalg.norm(x, axis=axis).reshape((-1, 1))
        y_norm = F.np.linalg.norm(y, axis=axis).reshape((-1, 1))
        x_dot_y = F.np.sum(x * y, axis=axis).reshape((-1, 1))
        return x_dot_y / F.np.maximum(x_norm * y_norm, _EPS)


class SDMLLoss(Loss):
    """Smoothed Deep Metric Learning loss over a batch of aligned pairs (x1[i], x2[i])."""

    def __init__(self, smoothing_parameter=0.3, weight=1.0, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self.kl_loss = KLDivLoss(from_logits=True)
        self.smoothing_parameter = smoothing_parameter

    def hybrid_forward(self, F, x1, x2):
        """KL divergence between softmax(-distances) and smoothed identity labels, per row."""
        assert x1.shape == x2.shape, f"SDMLLoss: shapes {x1.shape} and {x2.shape} differ"
        batch_size = x1.shape[0]
        # squared euclidean distance of every x1 row to every x2 row: (batch, batch)
        distances = F.np.sum(F.np.square(F.np.expand_dims(x1, 1) - F.np.expand_dims(x2, 0)),
                             axis=2)
        log_probabilities = F.npx.log_softmax(-distances, axis=1)
        return self.kl_loss(log_probabilities, self._smoothed_labels(F, batch_size, x1))

    def _smoothed_labels(self, F, batch_size, like):
        gold = F.np.eye(batch_size, dtype=like.dtype, ctx=like.ctx)
        off_diagonal = self.smoothing_parameter / (batch_size - 1)
        return gold * (1 - self.smoothing_parameter) + (1 - gold) * off_diagonal
