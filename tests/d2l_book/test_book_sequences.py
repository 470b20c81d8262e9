"""D2L chapters 9-11 through the real d2l library: text preprocessing and language models on a
Time-Machine-format text file, RNN/GRU/LSTM from scratch and concise, machine translation on a
fra-eng.zip archive (seq2seq, with attention, with a Transformer), and the attention pieces."""
from __future__ import annotations

import math
import os

import numpy as onp
import pytest

from mxnp import autograd, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn, rnn

from . import book_data
from .book_data import points, quiet


@pytest.fixture
def time_machine(d2l, monkeypatch):
    """d2l.TimeMachine reading a text file written in ../data (the hash is the file's own)."""
    path = book_data.write_text(os.path.join("..", "data"), "timemachine.txt",
                                book_data.TIME_MACHINE * 40)
    download = d2l.download
    monkeypatch.setattr(d2l, "download", lambda url, folder="../data", sha1_hash=None:
                        download(url, folder, book_data.sha1(path)))
    return d2l.TimeMachine(batch_size=32, num_steps=10, num_train=2000, num_val=500)


@pytest.fixture
def fra_eng(d2l, monkeypatch):
    """d2l.MTFraEng and d2l.load_data_nmt reading a fra-eng.zip archive written in ../data."""
    sha1 = book_data.write_zip(os.path.join("..", "data", "fra-eng.zip"),
                               {"fra-eng/fra.txt": book_data.fra_eng_text()})
    download = d2l.download
    monkeypatch.setattr(d2l, "download", lambda url, folder="../data", sha1_hash=None:
                        download(url, folder, sha1))
    monkeypatch.setitem(d2l.DATA_HUB, "fra-eng", (d2l.DATA_URL + "fra-eng.zip", sha1))
    return d2l.MTFraEng(batch_size=16, num_steps=6, num_train=160, num_val=40)


def test_autoregressive_sine_and_multistep_predictions(d2l):
    class Data(d2l.DataModule):
        def __init__(self, batch_size=16, T=1000, num_train=600, tau=4):
            self.save_hyperparameters()
            self.time = np.arange(1, T + 1, dtype=np.float32)
            self.x = np.sin(0.01 * self.time) + np.random.normal(0, 0.02, (T,))

        def get_dataloader(self, train):
            features = [self.x[i: self.T - self.tau + i] for i in range(self.tau)]
            self.features = np.stack(features, 1)
            self.labels = self.x[self.tau:].reshape((-1, 1))
            i = slice(0, self.num_train) if train else slice(self.num_train, None)
            return self.get_tensorloader([self.features, self.labels], train, i)

    data = Data()
    model = quiet(d2l.LinearRegression(lr=0.01))
    d2l.Trainer(max_epochs=5).fit(model, data)
    onestep_preds = model(data.features)
    assert onestep_preds.shape == (data.T - data.tau, 1)
    assert float(np.abs(onestep_preds - data.labels).mean()) < 0.1
    multistep_preds = d2l.zeros(data.T)
    multistep_preds[:] = data.x
    for i in range(data.num_train + data.tau, data.T):
        # a (1, 1) prediction written into one element, as MXNet allows
        multistep_preds[i] = model(d2l.reshape(multistep_preds[i - data.tau: i], (1, -1)))
    assert onp.isfinite(multistep_preds.asnumpy()).all()
    assert float(multistep_preds[data.num_train + data.tau]) != float(data.x[data.num_train + data.tau])


def test_text_preprocessing_and_language_model_batches(d2l, time_machine):
    data = time_machine
    raw = data._download()
    tokens = data._tokenize(data._preprocess(raw))
    assert ''.join(tokens[:15]) == 'the time travel'
    vocab = d2l.Vocab(tokens)
    assert len(vocab) == len(data.vocab) == 25  # 24 letters and spaces, and '<unk>'
    assert vocab.to_tokens(vocab[tokens[:4]]) == ['t', 'h', 'e', ' ']
    words = d2l.Vocab(data._preprocess(raw).split())
    assert words.token_freqs[0] == ('the', 240)
    X, Y = next(iter(data.train_dataloader()))
    assert X.shape == Y.shape == (32, 10) and X.dtype == onp.float32
    assert (X[:, 1:] == Y[:, :-1]).all()  # the labels are the inputs shifted by one step


@pytest.mark.parametrize("kind", ["rnn_scratch", "rnn", "gru", "deep_gru", "lstm"])
def test_language_models_lower_their_perplexity(d2l, time_machine, kind):
    data = time_machine
    V = len(data.vocab)

    class LSTM(d2l.RNN):
        def __init__(self, num_hiddens):
            d2l.Module.__init__(self)
            self.save_hyperparameters()
            self.rnn = rnn.LSTM(num_hiddens)

        def forward(self, inputs, H_C=None):
            if H_C is None:
                H_C = self.rnn.begin_state(inputs.shape[1], ctx=inputs.ctx)
            return self.rnn(inputs, H_C)

    if kind == "rnn_scratch":
        model = d2l.RNNLMScratch(d2l.RNNScratch(num_inputs=V, num_hiddens=32), V, lr=1)
    else:
        net = {"rnn": lambda: d2l.RNN(num_hiddens=32),
               "gru": lambda: d2l.GRU(num_hiddens=32, num_layers=1),
               "deep_gru": lambda: d2l.GRU(num_hiddens=32, num_layers=2),
               "lstm": lambda: LSTM(num_hiddens=32)}[kind]()
        model = d2l.RNNLM(net, vocab_size=V, lr=4 if kind == "deep_gru" else 2)
    d2l.Trainer(max_epochs=2, gradient_clip_val=1).fit(quiet(model), data)
    ppl = points(model, "train_ppl")
    assert onp.isfinite(ppl).all() and ppl[-1] < ppl[0] * 0.9
    assert ppl[0] < V * 1.5  # starts near a uniform guess over the vocabulary
    text = model.predict('it has', 10, data.vocab)
    assert text.startswith('it has') and len(text) == 16
    assert model(np.ones((2, 10))).shape == (2, 10, V)


def test_rnn_scratch_shapes_and_the_concise_layers_states(d2l):
    rnn_s = d2l.RNNScratch(num_inputs=16, num_hiddens=32)
    outputs, state = rnn_s(np.ones((100, 2, 16)))
    d2l.check_len(outputs, 100)
    d2l.check_shape(outputs[0], (2, 32))
    d2l.check_shape(state, (2, 32))
    model = d2l.RNNLMScratch(rnn_s, 16)
    assert model.one_hot(np.array([[0, 2], [1, 3]])).shape == (2, 2, 16)
    birnn = rnn.RNN(16, bidirectional=True)
    birnn.initialize()
    out, H = birnn(np.ones((5, 3, 7)), birnn.begin_state(3))
    assert out.shape == (5, 3, 32) and H[0].shape == (2, 3, 16)


def test_seq2seq_learns_the_translation_pairs(d2l, fra_eng):
    data = fra_eng
    src, tgt, src_valid_len, label = next(iter(data.train_dataloader()))
    assert src.shape == tgt.shape == label.shape == (16, 6) and src_valid_len.shape == (16,)
    assert (tgt[:, 1:] == label[:, :-1]).all()  # teacher forcing: <bos> then the labels
    src, _, _, _ = data.build(['hi .'], ['salut !'])
    assert data.src_vocab.to_tokens(src[0].astype(np.int32)) == [
        'hi', '.', '<eos>', '<pad>', '<pad>', '<pad>']

    class Seq2SeqDecoder(d2l.Decoder):
        def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embed_size)
            self.rnn = d2l.GRU(num_hiddens, num_layers, dropout)
            self.dense = nn.Dense(vocab_size, flatten=False)
            self.initialize(init.Xavier())

        def init_state(self, enc_all_outputs, *args):
            return enc_all_outputs

        def forward(self, X, state):
            embs = self.embedding(d2l.transpose(X))
            enc_output, hidden_state = state
            context = np.tile(enc_output[-1], (embs.shape[0], 1, 1))
            outputs, hidden_state = self.rnn(d2l.concat((embs, context), -1), hidden_state)
            return d2l.swapaxes(self.dense(outputs), 0, 1), [enc_output, hidden_state]

    encoder = d2l.Seq2SeqEncoder(len(data.src_vocab), 16, 32, 2, 0.2)
    enc_outputs, enc_state = encoder(np.zeros((4, 6)))
    assert enc_outputs.shape == (6, 4, 32) and enc_state.shape == (2, 4, 32)
    decoder = Seq2SeqDecoder(len(data.tgt_vocab), 16, 32, 2, 0.2)
    model = quiet(d2l.Seq2Seq(encoder, decoder, tgt_pad=data.tgt_vocab['<pad>'], lr=0.01))
    d2l.Trainer(max_epochs=12, gradient_clip_val=1).fit(model, data)
    loss = points(model, "train_loss")
    assert onp.isfinite(loss).all() and loss[-1] < loss[0] / 4
    engs, fras = ['go .', 'i see .', 'wait !'], ['va !', 'je comprends .', 'attends !']
    preds, _ = model.predict_step(data.build(engs, fras), d2l.cpu(), data.num_steps)
    scores = []
    for p, fr in zip(preds, fras):
        tokens = data.tgt_vocab.to_tokens(p)
        translation = tokens[:tokens.index('<eos>')] if '<eos>' in tokens else tokens
        scores.append(d2l.bleu(' '.join(translation), fr, k=2))
    assert sum(scores) / len(scores) > 0.5


def test_first_edition_nmt_loader_and_masked_loss(d2l, fra_eng):
    train_iter, src_vocab, tgt_vocab = d2l.load_data_nmt(batch_size=8, num_steps=6)
    X, X_valid_len, Y, Y_valid_len = next(iter(train_iter))
    assert X.shape == Y.shape == (8, 6) and X_valid_len.dtype == Y_valid_len.dtype == onp.int32
    assert tgt_vocab.to_tokens(tgt_vocab['<bos>']) == '<bos>'
    assert (X_valid_len == (X != src_vocab['<pad>']).sum(1)).all()
    loss = d2l.MaskedSoftmaxCELoss()
    l = loss(np.ones((3, 4, 10)), np.ones((3, 4)), np.array([4, 2, 0]))
    onp.testing.assert_allclose(l.asnumpy(), [math.log(10), math.log(10) / 2, 0], rtol=2e-6)


def test_attention_scoring_multi_head_and_positions(d2l):
    X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10
    got = d2l.masked_softmax(X, np.array([2, 3])).asnumpy()
    expected = onp.zeros((2, 3, 4), onp.float32)
    for b, n in enumerate([2, 3]):
        e = onp.exp(X.asnumpy()[b, :, :n] - X.asnumpy()[b, :, :n].max(-1, keepdims=True))
        expected[b, :, :n] = e / e.sum(-1, keepdims=True)
    onp.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    queries, keys = np.random.normal(0, 1, (2, 1, 20)), np.random.normal(0, 1, (2, 10, 2))
    values, valid_lens = np.random.normal(0, 1, (2, 10, 4)), np.array([2, 6])
    attention = d2l.AdditiveAttention(num_hiddens=8, dropout=0.1)
    attention.initialize()
    assert attention(queries, keys, values, valid_lens).shape == (2, 1, 4)
    w = attention.attention_weights
    assert float(w[0, 0, 2:].sum()) == 0 and float(w[1, 0, 6:].sum()) == 0
    onp.testing.assert_allclose(w.sum(-1).asnumpy(), 1, rtol=1e-6)
    dot = d2l.DotProductAttention(dropout=0)
    dot.initialize()
    assert dot(np.ones((2, 1, 2)), keys, values, valid_lens).shape == (2, 1, 4)
    mha = d2l.MultiHeadAttention(20, 5, 0.5)
    mha.initialize()
    X, Y = np.ones((2, 4, 20)), np.ones((2, 6, 20))
    assert mha(X, Y, Y, np.array([3, 2])).shape == (2, 4, 20)
    pe = d2l.PositionalEncoding(32, 0)
    pe.initialize()
    assert pe(np.zeros((1, 60, 32))).shape == (1, 60, 32)
    i = onp.arange(60)[:, None] / onp.power(10000, onp.arange(0, 32, 2) / 32)
    # the book computes the angles in float32: up to 59 * 2^-24 off before sin/cos
    onp.testing.assert_allclose(pe.P[0, :60, 0::2].asnumpy(), onp.sin(i), atol=1e-5)
    onp.testing.assert_allclose(pe.P[0, :60, 1::2].asnumpy(), onp.cos(i), atol=1e-5)
    ln = nn.LayerNorm()
    ln.initialize()
    bn = nn.BatchNorm()
    bn.initialize()
    X = np.array([[1, 2], [2, 3]])
    with autograd.record():
        onp.testing.assert_allclose(ln(X).asnumpy(), [[-0.99998, 0.99998]] * 2, rtol=1e-5)
        onp.testing.assert_allclose(bn(X).asnumpy(), [[-0.99998] * 2, [0.99998] * 2], rtol=1e-5)


def test_transformer_encoder_decoder_learns_the_pairs(d2l, fra_eng):
    data = fra_eng
    blk = d2l.TransformerEncoderBlock(24, 48, 8, 0.5)
    blk.initialize()
    assert blk(np.ones((2, 100, 24)), np.array([3, 2])).shape == (2, 100, 24)

    class DecoderBlock(nn.Block):
        # the book's TransformerDecoderBlock: masked self-attention over the decoded prefix,
        # then attention to the encoder outputs, then the position-wise FFN
        def __init__(self, num_hiddens, ffn_num_hiddens, num_heads, dropout, i):
            super().__init__()
            self.i = i
            self.attention1 = d2l.MultiHeadAttention(num_hiddens, num_heads, dropout)
            self.addnorm1 = d2l.AddNorm(dropout)
            self.attention2 = d2l.MultiHeadAttention(num_hiddens, num_heads, dropout)
            self.addnorm2 = d2l.AddNorm(dropout)
            self.ffn = d2l.PositionWiseFFN(ffn_num_hiddens, num_hiddens)
            self.addnorm3 = d2l.AddNorm(dropout)

        def forward(self, X, state):
            enc_outputs, enc_valid_lens = state[0], state[1]
            kv = X if state[2][self.i] is None else np.concatenate((state[2][self.i], X), 1)
            state[2][self.i] = kv
            dec_valid_lens = None
            if autograd.is_training():
                dec_valid_lens = np.tile(np.arange(1, X.shape[1] + 1), (X.shape[0], 1))
            Y = self.addnorm1(X, self.attention1(X, kv, kv, dec_valid_lens))
            Z = self.addnorm2(Y, self.attention2(Y, enc_outputs, enc_outputs, enc_valid_lens))
            return self.addnorm3(Z, self.ffn(Z)), state

    class Decoder(d2l.AttentionDecoder):
        def __init__(self, vocab_size, num_hiddens, ffn_num_hiddens, num_heads, num_blks,
                     dropout):
            super().__init__()
            self.num_hiddens, self.num_blks = num_hiddens, num_blks
            self.embedding = nn.Embedding(vocab_size, num_hiddens)
            self.pos_encoding = d2l.PositionalEncoding(num_hiddens, dropout)
            self.blks = nn.Sequential()
            for i in range(num_blks):
                self.blks.add(DecoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, i))
            self.dense = nn.Dense(vocab_size, flatten=False)
            self.initialize()

        def init_state(self, enc_outputs, enc_valid_lens):
            return [enc_outputs, enc_valid_lens, [None] * self.num_blks]

        def forward(self, X, state):
            X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens))
            for blk in self.blks:
                X, state = blk(X, state)
            return self.dense(X), state

    encoder = d2l.TransformerEncoder(len(data.src_vocab), 32, 64, 4, 2, 0.1)
    decoder = Decoder(len(data.tgt_vocab), 32, 64, 4, 2, 0.1)
    model = quiet(d2l.Seq2Seq(encoder, decoder, tgt_pad=data.tgt_vocab['<pad>'], lr=0.002))
    d2l.Trainer(max_epochs=8, gradient_clip_val=1).fit(model, data)
    loss = points(model, "train_loss")
    assert onp.isfinite(loss).all() and loss[-1] < loss[0] / 2
    preds, _ = model.predict_step(data.build(['go .'], ['va !']), d2l.cpu(), data.num_steps)
    assert preds.shape == (1, data.num_steps)
    weights = model.encoder.attention_weights
    assert len(weights) == 2 and weights[0].shape == (4, data.num_steps, data.num_steps)


def test_npx_ops_the_chapters_call(d2l):
    # one_hot of the transposed batch (RNNLMScratch), sequence_mask (MaskedSoftmaxCELoss)
    assert npx.one_hot(np.array([[0, 2]]).T, 3).tolist() == [[[1, 0, 0]], [[0, 0, 1]]]
    w = npx.sequence_mask(np.ones((2, 3, 1)), np.array([1, 2]), True, axis=1)
    assert w[:, :, 0].tolist() == [[1, 0, 0], [1, 1, 0]]
    assert d2l.batch_matmul(np.ones((2, 3, 4)), np.ones((2, 4, 6))).shape == (2, 3, 6)
