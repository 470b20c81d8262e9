"""``mx.rnn.io``: encoding sentences and a bucketing iterator for 1.x language models
(``mx.mod.BucketingModule``)."""
from __future__ import annotations

import bisect
import random

import numpy as onp

from .. import ndarray as nd
from ..io.io import DataBatch, DataDesc, DataIter

__all__ = ["BucketSentenceIter", "encode_sentences"]


def encode_sentences(sentences, vocab=None, invalid_label=-1, invalid_key="\n", start_label=0,
                     unknown_token=None):
    """(sentences as lists of indices, the vocabulary dict). New words get the next index from
    ``start_label`` (skipping ``invalid_label``); with a given ``vocab`` an unknown word is an
    error unless ``unknown_token`` names the entry it maps to (added if missing)."""
    new_vocab = vocab is None
    if new_vocab:
        vocab = {invalid_key: invalid_label}
    idx = start_label
    encoded = []
    for sentence in sentences:
        row = []
        for word in sentence:
            if word not in vocab:
                assert new_vocab or unknown_token, f"Unknown token {word}"
                if idx == invalid_label:
                    idx += 1
                word = unknown_token or word
                vocab[word] = idx
                idx += 1
            row.append(vocab[word])
        encoded.append(row)
    return encoded, vocab


class BucketSentenceIter(DataIter):
    """Batches of encoded sentences grouped by length bucket, each padded with
    ``invalid_label``; the label is the sentence shifted by one step. Sentences longer than the
    largest bucket are dropped (with a printed warning, as MXNet). ``buckets`` defaults to
    every length shared by at least ``batch_size`` sentences; ``layout`` 'NT' or 'TN'."""

    def __init__(self, sentences, batch_size, buckets=None, invalid_label=-1, data_name="data",
                 label_name="softmax_label", dtype="float32", layout="NT"):
        super().__init__(batch_size)
        if not buckets:
            counts = onp.bincount([len(s) for s in sentences])
            buckets = [n for n, c in enumerate(counts) if c >= batch_size]
        buckets = sorted(buckets)
        rows = [[] for _ in buckets]
        discarded = 0
        for sentence in sentences:
            b = bisect.bisect_left(buckets, len(sentence))
            if b == len(buckets):
                discarded += 1
                continue
            row = onp.full((buckets[b],), invalid_label, dtype=dtype)
            row[:len(sentence)] = sentence
            rows[b].append(row)
        self.buckets = [size for size, r in zip(buckets, rows) if r]
        self.data = [onp.asarray(r, dtype=dtype) for r in rows if r]
        print(f"WARNING: discarded {discarded} sentences longer than the largest bucket.")
        self.major_axis = layout.find("N")
        if self.major_axis not in (0, 1):
            raise ValueError(f"Invalid layout {layout}: Must by NT (batch major) or TN (time "
                             "major)")
        self.data_name, self.label_name, self.dtype = data_name, label_name, dtype
        self.invalid_label, self.layout = invalid_label, layout
        self.default_bucket_key = max(self.buckets)
        shape = (batch_size, self.default_bucket_key)[::1 if self.major_axis == 0 else -1]
        self.provide_data = [DataDesc(data_name, shape, layout=layout)]
        self.provide_label = [DataDesc(label_name, shape, layout=layout)]
        self.idx = [(i, j) for i, bucket in enumerate(self.data)
                    for j in range(0, len(bucket) - batch_size + 1, batch_size)]
        self.curr_idx = 0
        self.nddata, self.ndlabel = [], []
        self.reset()

    def reset(self) -> None:
        """Shuffle the batches (Python's ``random``) and each bucket's sentences (NumPy's
        global generator), then start again."""
        self.curr_idx = 0
        random.shuffle(self.idx)
        for bucket in self.data:
            onp.random.shuffle(bucket)
        self.nddata, self.ndlabel = [], []
        for bucket in self.data:
            label = onp.empty_like(bucket)
            label[:, :-1], label[:, -1] = bucket[:, 1:], self.invalid_label
            self.nddata.append(nd.array(bucket, dtype=self.dtype))
            self.ndlabel.append(nd.array(label, dtype=self.dtype))

    def next(self) -> DataBatch:
        """The next batch, with its ``bucket_key`` and its own data/label descriptions."""
        if self.curr_idx == len(self.idx):
            raise StopIteration
        i, j = self.idx[self.curr_idx]
        self.curr_idx += 1
        data = self.nddata[i][j:j + self.batch_size]
        label = self.ndlabel[i][j:j + self.batch_size]
        if self.major_axis == 1:
            data, label = data.T, label.T
        return DataBatch([data], [label], pad=0, bucket_key=self.buckets[i],
                         provide_data=[DataDesc(self.data_name, data.shape, layout=self.layout)],
                         provide_label=[DataDesc(self.label_name, label.shape,
                                                 layout=self.layout)])
