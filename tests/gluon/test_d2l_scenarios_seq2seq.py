"""D2L's sequence models against MXNet 1.9.1: rnn layers, the masked softmax cross-entropy,
additive attention, and v1.0's sequence-to-sequence encoder and decoder (GRU wrapper with a
single-array state, Embedding, context tiling) with its sequence_mask.

Same method as test_d2l_scenarios.py (recorded with /work/shared/tools/mxref).
"""
from __future__ import annotations

import math

from mxnp import gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn, rnn

from .d2l_scenario_support import close, fresh_process  # noqa: F401 (autouse fixture)


class GRU(nn.Block):
    def __init__(self, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.num_hiddens = num_hiddens
        self.rnn = rnn.GRU(num_hiddens, num_layers, dropout=dropout)

    def forward(self, inputs, H=None):
        if H is None:
            H, = self.rnn.begin_state(inputs.shape[1], ctx=inputs.ctx)
        outputs, H = self.rnn(inputs, (H))
        return outputs, H


class Seq2SeqEncoder(nn.Block):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = GRU(num_hiddens, num_layers, dropout)
        self.initialize(init.Constant(0.1))

    def forward(self, X, *args):
        embs = self.embedding(X.T.astype('int32'))
        outputs, state = self.rnn(embs)
        return outputs, state


class Seq2SeqDecoder(nn.Block):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = GRU(num_hiddens, num_layers, dropout)
        self.dense = nn.Dense(vocab_size, flatten=False)
        self.initialize(init.Constant(0.1))

    def init_state(self, enc_all_outputs, *args):
        return enc_all_outputs

    def forward(self, X, state):
        embs = self.embedding(X.T.astype('int32'))
        enc_output, hidden_state = state
        context = enc_output[-1]
        context = np.tile(context, (embs.shape[0], 1, 1))
        embs_and_context = np.concatenate((embs, context), -1)
        outputs, hidden_state = self.rnn(embs_and_context, hidden_state)
        outputs = self.dense(outputs).swapaxes(0, 1)
        return outputs, [enc_output, hidden_state]


def sequence_mask(X, valid_len, value=0):
    maxlen = X.shape[1]
    mask = np.arange(maxlen)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


def test_seq2seq_encoder_decoder():
    enc = Seq2SeqEncoder(10, 8, 16, 2)
    X = np.zeros((4, 9))
    enc_outputs, enc_state = enc(X)
    # MXNet 1.9.1 (mxref): ((9, 4, 16), 'list', [(2, 4, 16)]); the state comes back as a list
    assert (enc_outputs.shape, type(enc_state).__name__, [s.shape for s in enc_state]) == \
        ((9, 4, 16), 'list', [(2, 4, 16)])
    close(enc_outputs[0, 0, :3], [0.02967868] * 3)
    dec = Seq2SeqDecoder(10, 8, 16, 2)
    state = dec.init_state(enc(X))
    dec_outputs, state = dec(X, state)
    assert (dec_outputs.shape, len(state[1]), state[1][0].shape) == ((4, 9, 10), 1, (2, 4, 16))
    close(dec_outputs[0, 0, :3], [1.0225781] * 3)  # MXNet 1.9.1 (mxref)


def test_sequence_masks():
    # MXNet 1.9.1 (mxref)
    assert repr(sequence_mask(np.array([[1, 2, 3], [4, 5, 6]]), np.array([1, 2]))) == \
        "array([[1., 0., 0.],\n       [4., 5., 0.]])"
    masked = npx.sequence_mask(np.ones((2, 3, 4)), np.array([1, 2]), use_sequence_length=True,
                               value=-1, axis=1)
    close(masked[1], [[1.] * 4, [1.] * 4, [-1.] * 4])


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        return npx.softmax(X)
    shape = X.shape
    if valid_lens.ndim == 1:
        valid_lens = valid_lens.repeat(shape[1])
    else:
        valid_lens = valid_lens.reshape(-1)
    X = npx.sequence_mask(X.reshape(-1, shape[-1]), valid_lens, True, value=-1e6, axis=1)
    return npx.softmax(X).reshape(shape)


class AdditiveAttention(nn.Block):
    def __init__(self, num_hiddens, dropout, **kwargs):
        super().__init__(**kwargs)
        self.W_k = nn.Dense(num_hiddens, use_bias=False, flatten=False)
        self.W_q = nn.Dense(num_hiddens, use_bias=False, flatten=False)
        self.w_v = nn.Dense(1, use_bias=False, flatten=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        features = np.tanh(np.expand_dims(queries, axis=2) + np.expand_dims(keys, axis=1))
        scores = np.squeeze(self.w_v(features), axis=-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return npx.batch_dot(self.dropout(self.attention_weights), values)


def test_rnn_layers_masked_loss_and_attention():
    rnn_layer = rnn.RNN(4)
    rnn_layer.initialize()
    state = rnn_layer.begin_state(batch_size=1)
    assert (len(state), state[0].shape) == (1, (1, 1, 4))  # MXNet 1.9.1 (mxref)
    Y, state_new = rnn_layer(np.random.uniform(size=(3, 1, 5)), state)
    assert (Y.shape, len(state_new), state_new[0].shape) == ((3, 1, 4), 1, (1, 1, 4))
    assert repr(rnn_layer) == "RNN(5 -> 4, TNC)"  # MXNet 1.9.1 (mxref)
    assert list(rnn_layer.collect_params()) == ['rnn0_l0_i2h_weight', 'rnn0_l0_h2h_weight',
                                                'rnn0_l0_i2h_bias', 'rnn0_l0_h2h_bias']
    lstm = rnn.LSTM(4, num_layers=2)
    lstm.initialize(init.Constant(0.1))
    out, st2 = lstm(np.ones((3, 2, 5)), lstm.begin_state(batch_size=2))
    assert (out.shape, [s.shape for s in st2]) == ((3, 2, 4), [(2, 2, 4), (2, 2, 4)])
    close(out[-1, 0], [0.07615404] * 4)  # MXNet 1.9.1 (mxref)
    assert repr(lstm) == "LSTM(5 -> 4, TNC, num_layers=2)"
    gru = rnn.GRU(4, dropout=0.1)
    gru.initialize(init.Constant(0.1))
    close(gru(np.ones((3, 2, 5)))[-1, 0], [0.3709512] * 4)  # MXNet 1.9.1 (mxref)
    assert repr(gru) == "GRU(5 -> 4, TNC, dropout=0.1)"

    class MaskedSoftmaxCELoss(gluon.loss.SoftmaxCELoss):
        def forward(self, pred, label, valid_len):
            weights = np.expand_dims(np.ones_like(label), axis=-1)
            weights = npx.sequence_mask(weights, valid_len, True, axis=1)
            return super().forward(pred, label, weights)

    loss = MaskedSoftmaxCELoss()
    # MXNet 1.9.1 (mxref): [2.302588, 1.151294, 0.]
    close(loss(np.ones((3, 4, 10)), np.ones((3, 4)), np.array([4, 2, 0])),
          [2.302588, 1.151294, 0.], rtol=2e-6)
    close(masked_softmax(np.arange(16).reshape(2, 2, 4) / 10, np.array([2, 3])),
          [[[0.47502077, 0.5249792, 0., 0.]] * 2,
           [[0.3006096, 0.332225, 0.36716542, 0.]] * 2], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    attention = AdditiveAttention(num_hiddens=8, dropout=0.1)
    attention.initialize()
    values = np.arange(40).reshape(1, 10, 4).repeat(2, axis=0)
    out = attention(np.random.normal(0, 1, (2, 1, 20)), np.ones((2, 10, 2)), values,
                    np.array([2, 6]))
    # MXNet 1.9.1 (mxref): equal keys, so the weights are uniform over the valid positions
    close(out, [[[2., 3., 4., 5.]], [[10., 11., 12.000001, 13.]]])
    assert repr(attention).splitlines()[1:3] == ["  (W_k): Dense(2 -> 8, linear)",
                                                 "  (W_q): Dense(20 -> 8, linear)"]


class DotProductAttention(nn.Block):
    def __init__(self, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        scores = npx.batch_dot(queries, keys, transpose_b=True) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return npx.batch_dot(self.dropout(self.attention_weights), values)


class MultiHeadAttention(nn.Block):
    def __init__(self, num_hiddens, num_heads, dropout, use_bias=False, **kwargs):
        super().__init__()
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.Dense(num_hiddens, use_bias=use_bias, flatten=False)
        self.W_k = nn.Dense(num_hiddens, use_bias=use_bias, flatten=False)
        self.W_v = nn.Dense(num_hiddens, use_bias=use_bias, flatten=False)
        self.W_o = nn.Dense(num_hiddens, use_bias=use_bias, flatten=False)

    def transpose_qkv(self, X):
        X = X.reshape(X.shape[0], X.shape[1], self.num_heads, -1)
        X = X.transpose(0, 2, 1, 3)
        return X.reshape(-1, X.shape[2], X.shape[3])

    def transpose_output(self, X):
        X = X.reshape(-1, self.num_heads, X.shape[1], X.shape[2])
        X = X.transpose(0, 2, 1, 3)
        return X.reshape(X.shape[0], X.shape[1], -1)

    def forward(self, queries, keys, values, valid_lens):
        queries = self.transpose_qkv(self.W_q(queries))
        keys = self.transpose_qkv(self.W_k(keys))
        values = self.transpose_qkv(self.W_v(values))
        if valid_lens is not None:
            valid_lens = valid_lens.repeat(self.num_heads, axis=0)
        output = self.attention(queries, keys, values, valid_lens)
        output_concat = self.transpose_output(output)
        return self.W_o(output_concat)


class PositionalEncoding(nn.Block):
    def __init__(self, num_hiddens, dropout, max_len=1000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.P = np.zeros((1, max_len, num_hiddens))
        X = np.arange(max_len).reshape(-1, 1) / np.power(
            10000, np.arange(0, num_hiddens, 2) / num_hiddens)
        self.P[:, :, 0::2] = np.sin(X)
        self.P[:, :, 1::2] = np.cos(X)

    def forward(self, X):
        X = X + self.P[:, :X.shape[1], :].as_in_ctx(X.ctx)
        return self.dropout(X)


def test_multi_head_attention_and_positional_encoding():
    attention = MultiHeadAttention(8, 2, 0.5)
    attention.initialize(init.Constant(0.05))
    X = np.arange(2 * 4 * 8, dtype='float32').reshape(2, 4, 8) / 64
    Y = np.ones((2, 6, 8)) / 3
    out = attention(X, Y, Y, np.array([3, 2]))
    assert out.shape == (2, 4, 8)
    close(out[0, 0], [0.05333334] * 8)  # MXNet 1.9.1 (mxref)
    close(attention.attention.attention_weights[0, 0], [0.33333334] * 3 + [0.] * 3)
    assert repr(attention).splitlines()[:3] == [
        "MultiHeadAttention(", "  (attention): DotProductAttention(",
        "    (dropout): Dropout(p = 0.5, axes=())"]  # MXNet 1.9.1 (mxref)
    pe = PositionalEncoding(6, 0)
    pe.initialize()
    Xp = pe(np.zeros((1, 5, 6)))
    # MXNet 1.9.1 (mxref): step-sliced assignment into P
    close(Xp[0, 2], [0.9092974, -0.41614684, 0.09269849, 0.9956942, 0.00430886, 0.9999907],
          rtol=1e-6)
    assert pe.P.shape == (1, 1000, 6)
