"""A character-level LSTM language model trained with gluon on a short text, then sampled.

Written for MXNet (``from mxnet import ...``); run it with ``mxnp run examples/char_lstm.py``.
The text (``examples/data/lighthouse.txt``, a few KB written for these examples, public domain)
is cut into ``--batch`` parallel streams that the model reads ``--steps`` characters at a time,
carrying its LSTM state from one window to the next (truncated backpropagation through time).
Gradients are clipped to a global norm of 1 with ``gluon.utils.clip_global_norm``. Each epoch
prints the training perplexity; at the end the model writes a line of its own.

    mxnp run examples/char_lstm.py [--epochs N] [--hidden N] [--text FILE] [--seed N]
"""
import argparse
import math
import time
from pathlib import Path

import mxnet as mx
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn, rnn

npx.set_np()

TEXT = Path(__file__).resolve().parent / "data" / "lighthouse.txt"


class CharLM(nn.Block):
    """Embedding -> LSTM -> Dense over the vocabulary, on (steps, batch) character ids (TNC)."""

    def __init__(self, vocab_size, hidden, layers=1, embed=32, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed)
        self.lstm = rnn.LSTM(hidden, num_layers=layers)
        self.decoder = nn.Dense(vocab_size, flatten=False)

    def forward(self, ids, state):
        out, state = self.lstm(self.embedding(ids), state)
        return self.decoder(out), state

    def begin_state(self, batch_size):
        return self.lstm.begin_state(batch_size=batch_size)


def streams(ids, batch):
    """The id sequence cut into ``batch`` equal streams side by side: shape (length, batch)."""
    length = len(ids) // batch
    return np.array(ids[:length * batch], dtype='int32').reshape(batch, length).T


def windows(data, steps):
    """(inputs, targets) windows of ``steps`` rows; targets are the inputs one character on."""
    for start in range(0, data.shape[0] - 1, steps):
        size = min(steps, data.shape[0] - 1 - start)
        yield data[start:start + size], data[start + 1:start + 1 + size]


def train_epoch(net, data, trainer, loss_fn, steps, clip):
    """One pass over the text; returns the perplexity (exp of the mean loss per character)."""
    state = net.begin_state(data.shape[1])
    total, count = 0.0, 0
    for X, Y in windows(data, steps):
        state = [s.detach() for s in state]  # keep the state, cut the graph at the window
        with autograd.record():
            logits, state = net(X, state)
            loss = loss_fn(logits, Y).mean()
        loss.backward()
        grads = [p.grad() for p in net.collect_params().values()]
        gluon.utils.clip_global_norm(grads, clip)
        trainer.step(1)  # the loss is already a mean
        total += float(loss) * Y.size
        count += Y.size
    return math.exp(total / count)


def sample(net, prefix, length, vocab, ids_of, temperature=0.7):
    """Continue ``prefix`` by ``length`` characters drawn from the model's predictions."""
    state = net.begin_state(1)
    ids = [ids_of[c] for c in prefix]
    logits, state = net(np.array(ids, dtype='int32').reshape(-1, 1), state)
    text = prefix
    for _ in range(length):
        probs = npx.softmax(logits[-1, 0] / temperature)
        nxt = int(np.random.choice(len(vocab), size=1, p=probs)[0])
        text += vocab[nxt]
        if vocab[nxt] == '\n':
            break
        logits, state = net(np.array([[nxt]], dtype='int32'), state)
    return text.rstrip('\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=40)
    parser.add_argument('--hidden', type=int, default=128)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--steps', type=int, default=32)
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--text', type=Path, default=TEXT)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()

    mx.random.seed(args.seed)
    text = args.text.read_text()
    vocab = sorted(set(text))
    ids_of = {c: i for i, c in enumerate(vocab)}
    data = streams([ids_of[c] for c in text], args.batch)
    print(f"{len(text)} characters, {len(vocab)} distinct; {data.shape[1]} streams of "
          f"{data.shape[0]}")

    net = CharLM(len(vocab), args.hidden)
    net.initialize(init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': args.lr})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        perplexity = train_epoch(net, data, trainer, loss_fn, args.steps, clip=1.0)
        print(f"epoch {epoch}: perplexity {perplexity:.2f} ({time.perf_counter() - start:.1f} s)")
    print("sample: " + sample(net, "The ", 80, vocab, ids_of))


if __name__ == '__main__':
    main()
