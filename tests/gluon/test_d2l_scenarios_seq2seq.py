"""D2L v1.0's sequence-to-sequence encoder and decoder (GRU wrapper with a single-array state,
Embedding, context tiling) and its sequence_mask, against MXNet 1.9.1.

Same method as test_d2l_scenarios.py (recorded with /work/shared/tools/mxref).
"""
from __future__ import annotations

from mxnp import init, npx
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
