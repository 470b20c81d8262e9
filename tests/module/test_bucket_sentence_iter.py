"""mx.rnn.encode_sentences and BucketSentenceIter (values from MXNet 1.9.1 via mxref), feeding
a BucketingModule as MXNet's bucketing language-model example does."""
from __future__ import annotations

import random

import numpy as onp
import pytest

import mxnp as mx

SENTS = [["a", "b", "c"], ["b", "c"], ["a", "b"], ["c", "a", "b", "d"], ["a"], ["d", "d"],
         ["b", "a", "c"]]


def test_encode_sentences():
    enc, vocab = mx.rnn.encode_sentences(SENTS, invalid_label=0, start_label=0)
    assert enc == [[1, 2, 3], [2, 3], [1, 2], [3, 1, 2, 4], [1], [4, 4], [2, 1, 3]]
    assert vocab == {"\n": 0, "a": 1, "b": 2, "c": 3, "d": 4}
    assert mx.rnn.encode_sentences([["a", "x"]], vocab=dict(vocab), unknown_token="<unk>") == \
        ([[1, 0]], {**vocab, "<unk>": 0})
    with pytest.raises(AssertionError, match="Unknown token x"):
        mx.rnn.encode_sentences([["a", "x"]], vocab=dict(vocab))


def test_buckets_batches_labels_and_layouts(capsys):
    enc, _ = mx.rnn.encode_sentences(SENTS, invalid_label=0, start_label=0)
    random.seed(1)
    onp.random.seed(1)
    it = mx.rnn.BucketSentenceIter(enc, 2, invalid_label=0)
    assert "discarded 1 sentences longer than the largest bucket" in capsys.readouterr().out
    assert it.buckets == [2, 3] and it.default_bucket_key == 3
    assert repr(it.provide_data) == "[DataDesc[data,(2, 3),<class 'numpy.float32'>,NT]]"
    batches = [(b.bucket_key, b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist())
               for b in it]
    # MXNet 1.9.1 with the same seeds
    assert batches == [(2, [[2, 3], [1, 2]], [[3, 0], [2, 0]]),
                       (3, [[1, 2, 3], [2, 1, 3]], [[2, 3, 0], [1, 3, 0]]),
                       (2, [[4, 4], [1, 0]], [[4, 0], [0, 0]])]
    it = mx.rnn.BucketSentenceIter(enc, 2, buckets=[2, 3], invalid_label=0, layout="TN")
    batch = next(it)
    assert batch.data[0].shape == (batch.bucket_key, 2)
    assert it.provide_data[0].shape == (3, 2) and it.provide_data[0].layout == "TN"
    with pytest.raises(ValueError, match="Invalid layout"):
        mx.rnn.BucketSentenceIter(enc, 2, layout="XY")


def test_a_bucketing_module_trains_on_it():
    enc, vocab = mx.rnn.encode_sentences(SENTS * 4, invalid_label=0, start_label=1)
    it = mx.rnn.BucketSentenceIter(enc, 4, invalid_label=0)

    def sym_gen(seq_len):
        data, label = mx.sym.Variable("data"), mx.sym.Variable("softmax_label")
        embed = mx.sym.Embedding(data, input_dim=len(vocab) + 1, output_dim=4, name="embed")
        pred = mx.sym.FullyConnected(mx.sym.reshape(embed, shape=(-1, 4)), num_hidden=len(vocab) + 1,
                                     name="pred")
        out = mx.sym.SoftmaxOutput(pred, mx.sym.reshape(label, shape=(-1,)), name="softmax")
        return out, ("data",), ("softmax_label",)

    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=it.default_bucket_key)
    mod.fit(it, num_epoch=2, optimizer_params={"learning_rate": 0.1},
            eval_metric=mx.metric.Perplexity(0))
    assert set(mod._buckets) == set(it.buckets)
