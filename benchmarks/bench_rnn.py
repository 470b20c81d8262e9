"""An LSTM language-model training step: mxnp (eager and hybridized) next to PyTorch CPU.

Embedding (vocab 1000, 256) -> 2-layer LSTM (256 hidden, layout 'TNC', as D2L uses it; or a
GRU with ``--cell gru``) ->
Dense decoder (1000) -> softmax cross-entropy (mean) -> backward -> SGD step, on a batch of 32
sequences of 35 tokens. Both frameworks start from the same weights; their first losses and
gradients are compared before anything is timed. Every framework runs on one thread.

    python benchmarks/bench_rnn.py [--rounds N] [--steps K] [--cell lstm|gru] [--profile]

Each round times K steps of each framework in turn (so noise on a shared machine hits all
alike); the report gives the median ms per step over rounds, its spread (min-max), and the
ratios to torch.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy loads BLAS: one thread for all
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as onp  # noqa: E402

import mxnp  # noqa: E402
from mxnp import autograd, gluon, np  # noqa: E402
from mxnp.gluon import nn, rnn  # noqa: E402

VOCAB, EMBED, HIDDEN, LAYERS, BATCH, STEPS, LR = 1000, 256, 256, 2, 32, 35, 0.5


class LanguageModel(gluon.HybridBlock):
    """Embedding -> LSTM (or GRU) -> Dense over (T, N) tokens; returns logits (T·N, V) and
    the states. As D2L's RNNModel, the decoder sees the output reshaped to (T·N, H)."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(VOCAB, EMBED)
        layer = rnn.LSTM if cell == "lstm" else rnn.GRU
        self.rnn = layer(HIDDEN, num_layers=LAYERS, layout="TNC", input_size=EMBED)
        self.decoder = nn.Dense(VOCAB, in_units=HIDDEN)

    def hybrid_forward(self, F, tokens, *states):
        out, states = self.rnn(self.embedding(tokens), list(states))
        return (self.decoder(out.reshape(-1, HIDDEN)), *states)


def mxnp_model(cell, hybridize, rng):
    net = LanguageModel(cell)
    net.initialize(mxnp.init.Uniform(0.1))
    net(np.zeros((STEPS, BATCH), dtype="int32"), *zero_states(cell))  # shapes known
    for p in net.collect_params().values():  # one fixed draw, shared with torch
        p.set_data(np.array(rng.uniform(-0.1, 0.1, p.shape).astype("float32")))
    if hybridize:
        net.hybridize()
    return net, gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LR})


def zero_states(cell):
    return [np.zeros((LAYERS, BATCH, HIDDEN)) for _ in range(2 if cell == "lstm" else 1)]


def mxnp_step(cell, net, trainer, loss_fn, tokens, labels):
    with autograd.record():
        logits = net(tokens, *zero_states(cell))[0]
        loss = loss_fn(logits, labels.reshape(-1)).mean()
    loss.backward()
    trainer.step(1)
    return loss


def torch_model(torch, cell, net):
    """The same network in torch.nn, with mxnp's weights (gate order i, f, g, o for LSTM and
    r, z, n for GRU in both, the GRU's reset gate applied after the h2h bias in both)."""
    emb = torch.nn.Embedding(VOCAB, EMBED)
    lstm = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(EMBED, HIDDEN, LAYERS)
    dec = torch.nn.Linear(HIDDEN, VOCAB)
    params = {k: v.data().asnumpy() for k, v in net.collect_params().items()}

    def find(suffix):
        (value,) = [v for k, v in params.items() if k.endswith(suffix)]
        return torch.from_numpy(value.copy())

    with torch.no_grad():
        emb.weight.copy_(find("embedding0_weight"))
        dec.weight.copy_(find("dense0_weight"))
        dec.bias.copy_(find("dense0_bias"))
        for layer in range(LAYERS):
            for ours, theirs in (("i2h_weight", "weight_ih"), ("h2h_weight", "weight_hh"),
                                 ("i2h_bias", "bias_ih"), ("h2h_bias", "bias_hh")):
                getattr(lstm, f"{theirs}_l{layer}").copy_(find(f"l{layer}_{ours}"))
    modules = torch.nn.ModuleList([emb, lstm, dec])
    return modules, torch.optim.SGD(modules.parameters(), lr=LR)


def torch_step(torch, modules, opt, tokens, labels):
    emb, lstm, dec = modules
    opt.zero_grad()
    out, _ = lstm(emb(tokens))
    loss = torch.nn.functional.cross_entropy(dec(out).reshape(-1, VOCAB), labels.reshape(-1))
    loss.backward()
    opt.step()
    return loss


def check_same_step(cell, net, loss_fn, tokens, labels, torch, modules, raw_tokens, raw_labels):
    """One step's loss and h2h gradients agree between mxnp and torch (before any update)."""
    with autograd.record():
        logits = net(tokens, *zero_states(cell))[0]
        loss = loss_fn(logits, labels.reshape(-1)).mean()
    loss.backward()
    emb, lstm, dec = modules
    out, _ = lstm(emb(torch.from_numpy(raw_tokens)))
    tloss = torch.nn.functional.cross_entropy(dec(out).reshape(-1, VOCAB),
                                              torch.from_numpy(raw_labels).reshape(-1))
    tloss.backward()
    onp.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-4)
    grads = {k: v.grad().asnumpy() for k, v in net.collect_params().items()}
    for layer in range(LAYERS):
        (ours,) = [g for k, g in grads.items() if k.endswith(f"l{layer}_h2h_weight")]
        theirs = getattr(lstm, f"weight_hh_l{layer}").grad.numpy()
        onp.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-6)
    modules.zero_grad()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=3, help="steps per round and framework")
    parser.add_argument("--cell", choices=("lstm", "gru"), default="lstm")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile 10 eager mxnp steps instead of timing")
    args = parser.parse_args()
    mxnp.tune_host_allocator()
    blas = f"OPENBLAS/OMP/MKL_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}"
    try:  # the environment above already asks for one thread; threadpoolctl makes it sure
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
        blas += ", threadpoolctl: 1"
    except ImportError:
        pass
    rng = onp.random.default_rng(0)
    raw_tokens = rng.integers(0, VOCAB, (STEPS, BATCH)).astype("int64")
    raw_labels = rng.integers(0, VOCAB, (STEPS, BATCH)).astype("int64")
    tokens, labels = np.array(raw_tokens.astype("int32")), np.array(raw_labels.astype("int32"))
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    cell = args.cell
    eager = mxnp_model(cell, False, onp.random.default_rng(1))
    hybrid = mxnp_model(cell, True, onp.random.default_rng(1))
    if args.profile:
        mxnp_step(cell, *eager, loss_fn, tokens, labels)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(10):
            mxnp_step(cell, *eager, loss_fn, tokens, labels)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    runs = {"mxnp": lambda: mxnp_step(cell, *eager, loss_fn, tokens, labels),
            "mxnp hybridized": lambda: mxnp_step(cell, *hybrid, loss_fn, tokens, labels)}
    try:
        import torch
    except ImportError:
        torch = None
        print("torch not installed: no comparison (see benchmarks/README.md)")
    if torch is not None:
        torch.set_num_threads(1)
        modules, opt = torch_model(torch, cell, eager[0])
        check_same_step(cell, eager[0], loss_fn, tokens, labels, torch, modules, raw_tokens,
                        raw_labels)
        t_tokens, t_labels = torch.from_numpy(raw_tokens), torch.from_numpy(raw_labels)
        runs["torch"] = lambda: torch_step(torch, modules, opt, t_tokens, t_labels)
    times = {name: [] for name in runs}
    for step in runs.values():  # warm up (hybridize traces here)
        step()
    for _ in range(args.rounds):
        for name, step in runs.items():
            t0 = time.perf_counter()
            for _ in range(args.steps):
                step()
            times[name].append((time.perf_counter() - t0) / args.steps * 1e3)
    print(f"{cell.upper()} LM step: vocab {VOCAB}, embed {EMBED}, {LAYERS}x{HIDDEN}, "
          f"batch {BATCH}, {STEPS} steps; {args.rounds} rounds of {args.steps}; one thread "
          f"({blas}" + (", torch.set_num_threads(1))" if torch is not None else ")"))
    base = onp.median(times["torch"]) if torch is not None else None
    for name, ts in times.items():
        med = onp.median(ts)
        line = f"{name:16s} {med:8.1f} ms/step  (min {min(ts):.1f}, max {max(ts):.1f})"
        if base is not None and name != "torch":
            line += f"  {med / base:.2f}x torch"
        print(line)


if __name__ == "__main__":
    main()
