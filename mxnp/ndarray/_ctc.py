"""CTC's forward (alpha) recursion written with np/npx ops, so autograd supplies its gradient.

Graves et al. 2006: a label sequence l of length L is extended with blanks to
l' = (b, l1, b, l2, ..., lL, b) of length S = 2L + 1; alpha[t, s] is the log-probability of all
paths through frames 0..t that end at l'[s]. The blank is the last class, as in gluon's CTCLoss.

mx.nd's CTCLoss and gluon's CTCLoss both compute with it.
"""
from __future__ import annotations

# A finite stand-in for log(0): exp() of it is exactly 0, and it never produces the nan that
# -inf - (-inf) would in the shifted log-sum-exp or in its gradient.
_LOG_ZERO = -1e30


def ctc_negative_log_likelihood(F, pred, label, pred_lengths=None, label_lengths=None):
    """-log p(label | pred) per sample for ``pred`` (T, N, C) activations, ``label`` (N, L).

    Labels are padded with -1 unless ``label_lengths`` is given; an alignment that cannot fit
    in the frames gives 0, as MXNet's kernel reports it.
    """
    np = F.np
    steps, batch, classes = pred.shape
    label = label.astype("int64")
    lengths = _label_lengths(np, label, label_lengths)
    frames = (np.full((batch,), steps, dtype="int64") if pred_lengths is None
              else pred_lengths.astype("int64"))
    # frames past a sample's length are never read: zero them, so that whatever they hold
    # (nan in MXNet's own test) neither reaches the loss nor their gradient, which is 0
    valid = np.expand_dims(np.expand_dims(np.arange(steps), 1) < frames, 2)
    log_probs = F.npx.log_softmax(np.where(valid, pred, 0), axis=-1)
    ext = _extended_labels(np, label, lengths, classes - 1)  # (N, S)
    width = ext.shape[1]
    index = np.broadcast_to(np.expand_dims(ext, 0), (steps, batch, width))
    emit = np.take_along_axis(log_probs, index, axis=2)  # (T, N, S): log p(l'[s] at t)
    # l'[s] may follow l'[s-2] directly when it is a label different from l'[s-2]
    skip = ext != _shift(np, ext, 2, -1)
    first = np.arange(width) < 2
    alpha = np.where(first, emit[0], _LOG_ZERO)
    for t in range(1, steps):
        stay_or_step = _logsumexp3(np, alpha, _shift(np, alpha, 1, _LOG_ZERO),
                                   np.where(skip, _shift(np, alpha, 2, _LOG_ZERO), _LOG_ZERO))
        alpha = np.where(np.expand_dims(frames > t, 1), stay_or_step + emit[t], alpha)
    # a sample of 0 frames has no path at all: 0, as MXNet's kernel reports it, whatever the
    # label (alpha above started from frame 0 regardless)
    return np.where(frames > 0, _final_loss(np, alpha, lengths), 0.0)


def _label_lengths(np, label, label_lengths):
    """Each row's length: given, or the count of entries before the first -1."""
    if label_lengths is not None:
        return label_lengths.astype("int64")
    before_padding = np.cumprod((label != -1).astype("int64"), axis=1)
    return np.sum(before_padding, axis=1)


def _extended_labels(np, label, lengths, blank):
    """(N, 2L+1) int64: blank, l1, blank, l2, ..., blank; positions past a row's length hold
    blank so that every entry is a valid class index."""
    batch, width = label.shape
    inside = np.arange(width) < np.expand_dims(lengths, 1)
    symbols = np.where(inside, np.clip(label, 0, blank), blank)
    blanks = np.full((batch, width), blank, dtype="int64")
    pairs = np.stack([blanks, symbols], axis=2).reshape((batch, 2 * width))
    return np.concatenate([pairs, np.full((batch, 1), blank, dtype="int64")], axis=1)


def _shift(np, x, k, fill):
    """``x`` moved ``k`` places right along axis 1, ``fill`` entering on the left."""
    pad = np.full((x.shape[0], k), fill, dtype=x.dtype)
    return np.concatenate([pad, x[:, :-k]], axis=1)


def _logsumexp3(np, a, b, c):
    stacked = np.stack([a, b, c], axis=0)
    # the shift m is a constant: log-sum-exp's value and gradient do not depend on it
    m = np.max(stacked, axis=0).detach()
    return m + np.log(np.sum(np.exp(stacked - m), axis=0))


def _final_loss(np, alpha, lengths):
    """-log(alpha[T-1, 2L] + alpha[T-1, 2L-1]); 0 where no alignment fits."""
    last = np.expand_dims(2 * lengths, 1)
    end_blank = np.take_along_axis(alpha, last, axis=1)[:, 0]
    end_label = np.take_along_axis(alpha, np.maximum(last - 1, 0), axis=1)[:, 0]
    end_label = np.where(lengths > 0, end_label, _LOG_ZERO)
    both = np.stack([end_blank, end_label], axis=0)
    m = np.max(both, axis=0).detach()
    log_likelihood = m + np.log(np.sum(np.exp(both - m), axis=0))
    return np.where(log_likelihood < _LOG_ZERO / 2, 0.0, -log_likelihood)
