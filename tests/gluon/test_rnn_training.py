"""gluon.rnn in a D2L-style language model: every Parameter gets a gradient through the fused
layer, and a few Trainer steps lower the loss."""
from __future__ import annotations

import pytest

from mxnp import autograd, gluon, init, np, npx
from mxnp.gluon import nn, rnn


class RNNModel(nn.Block):
    """The D2L book's RNNModel: one-hot inputs, a recurrent layer, a Dense head."""

    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = nn.Dense(vocab_size)

    def forward(self, inputs, state):
        x = npx.one_hot(inputs.T, self.vocab_size)
        y, state = self.rnn(x, state)
        return self.dense(y.reshape(-1, y.shape[-1])), state

    def begin_state(self, *args, **kwargs):
        return self.rnn.begin_state(*args, **kwargs)


@pytest.mark.parametrize("make", [lambda: rnn.RNN(8), lambda: rnn.GRU(8, num_layers=2),
                                  lambda: rnn.LSTM(8, num_layers=2, bidirectional=True)],
                         ids=["rnn", "gru", "lstm"])
def test_language_model_trains(make):
    vocab, steps, batch = 5, 4, 3
    net = RNNModel(make(), vocab)
    net.initialize(init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.05})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    tokens = np.arange(batch * (steps + 1)).reshape(batch, steps + 1) % vocab  # a cycle
    x, y = tokens[:, :-1], tokens[:, 1:]
    losses = []
    for _ in range(15):
        state = net.begin_state(batch_size=batch, ctx=npx.cpu())
        with autograd.record():
            out, state = net(x, state)
            loss = loss_fn(out, y.T.reshape(-1)).mean()
        loss.backward()
        if not losses:
            layer_grads = [float(np.abs(p.grad()).sum()) for p in
                           net.rnn.collect_params().values()]
            assert all(g > 0 for g in layer_grads), layer_grads
        trainer.step(1)
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0], losses
