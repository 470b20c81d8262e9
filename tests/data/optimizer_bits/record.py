"""Run FTML, Ftrl and LAMB cases and keep every result array; the float bits MXNet 1.9.1 gives
are stored in ``mxnet_1_9_1.npz`` beside this file, and tests/gluon/test_optimizer_fused.py
replays the cases on mxnp and compares them bit for bit. Refresh with the oracle's Python (see
tests/data/mxnet_files/README.md):

    ~/.cache/mxref-venv/bin/python tests/data/optimizer_bits/record.py

The cases go through the three roads MXNet's optimizers take: an Updater (what gluon.Trainer
uses: a list of weights, which MXNet's LAMB updates with its multi_lamb_update kernels), a
single ``Optimizer.update`` with an int index (LAMB's lamb_update_phase1/2 and norms) and the
1.x operators themselves.
"""
import os

import numpy as onp

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "mxnet_1_9_1.npz")

SHAPES = [(3, 4), (6,)]
# (key, optimizer, hyper-parameters, dtype, road)
CASES = [
    ("ftml_upd", "ftml", {"learning_rate": 0.003, "wd": 0.1, "rescale_grad": 0.37,
                          "clip_gradient": 0.5, "beta1": 0.7, "beta2": 0.99, "epsilon": 1e-6},
     "float32", "updater"),
    ("ftml_plain", "ftml", {"learning_rate": 0.01}, "float32", "single"),
    ("ftml_f64", "ftml", {"learning_rate": 0.01, "wd": 0.03, "rescale_grad": 0.1}, "float64",
     "updater"),
    ("ftrl_upd", "ftrl", {"learning_rate": 0.37, "lamda1": 0.1, "beta": 0.5, "wd": 0.03,
                          "rescale_grad": 0.37, "clip_gradient": 1.0}, "float32", "updater"),
    ("ftrl_plain", "ftrl", {"learning_rate": 0.1, "lamda1": 0.01}, "float32", "single"),
    ("lamb_upd", "lamb", {"learning_rate": 0.1, "wd": 0.01, "rescale_grad": 0.37,
                          "clip_gradient": 1.0}, "float32", "updater"),
    ("lamb_nobc_lower", "lamb", {"learning_rate": 0.37, "wd": 0.1, "beta1": 0.8, "beta2": 0.99,
                                 "bias_correction": False, "lower_bound": 5.0}, "float32",
     "updater"),
    ("lamb_upper", "lamb", {"learning_rate": 1.0, "epsilon": 1e-3, "upper_bound": 2.0},
     "float32", "updater"),
    ("lamb_single", "lamb", {"learning_rate": 0.1, "wd": 0.01, "rescale_grad": 0.37,
                             "clip_gradient": 1.0}, "float32", "single"),
    ("lamb_single_bounds", "lamb", {"learning_rate": 0.37, "wd": 0.1, "bias_correction": False,
                                    "lower_bound": 5.0, "upper_bound": 6.0}, "float32", "single"),
    ("lamb_f64", "lamb", {"learning_rate": 0.1, "wd": 0.01, "rescale_grad": 0.37}, "float64",
     "updater"),
    ("lamb_trainer", "lamb", {"learning_rate": 0.1, "wd": 0.01}, "float32", "trainer"),
    ("ftml_trainer", "ftml", {"learning_rate": 0.1, "wd": 0.01}, "float32", "trainer"),
    ("ftrl_trainer", "ftrl", {"learning_rate": 0.1, "wd": 0.01, "lamda1": 0.05}, "float32",
     "trainer"),
    ("lamb_mp16", "lamb", {"learning_rate": 0.1, "wd": 0.01, "multi_precision": True},
     "float16", "updater"),
]
STEPS = 4


def _draws(dtype, seed=5):
    rs = onp.random.RandomState(seed)
    weights = [rs.randn(*s).astype(dtype) for s in SHAPES]
    grads = [[(rs.randn(*s) * 2).astype(dtype) for s in SHAPES] for _ in range(STEPS)]
    return weights, grads


def _optimizer_case(mx, out, key, name, kw, dtype, road):
    w0, gs = _draws(dtype)
    ws = [mx.nd.array(w, dtype=dtype) for w in w0]
    opt = mx.optimizer.create(name, **kw)
    if road == "trainer":
        params = []
        for k, w in enumerate(ws):
            p = mx.gluon.Parameter(f"p{k}", shape=w.shape, dtype=dtype)
            p.initialize(ctx=mx.cpu())
            p.set_data(w)
            params.append(p)
        trainer = mx.gluon.Trainer(params, opt)
    elif road == "updater":
        updater = mx.optimizer.get_updater(opt)
    else:
        states = [opt.create_state_multi_precision(k, w) for k, w in enumerate(ws)]
    for step, g in enumerate(gs):
        grads = [mx.nd.array(x, dtype=dtype) for x in g]
        if road == "trainer":  # the gradient of sum(w * g) is g, exactly
            with mx.autograd.record():
                losses = [(p.data() * x).sum() for p, x in zip(params, grads)]
            mx.autograd.backward(losses)
            trainer.step(3)  # rescale_grad 1/3
            ws = [p.data() for p in params]
        elif road == "updater":
            updater(list(range(len(ws))), grads, ws)
        else:
            for k, (w, x) in enumerate(zip(ws, grads)):
                opt.update_multi_precision(k, w, x, states[k])
        for k, w in enumerate(ws):
            out[f"{key}/w{k}/{step}"] = w.asnumpy()


def _operator_cases(mx, out):
    nd = mx.nd
    for dtype in ("float32", "float64"):
        w0, gs = _draws(dtype, seed=6)
        w, d, v, z = nd.array(w0[0], dtype=dtype), *(nd.zeros(SHAPES[0], dtype=dtype)
                                                      for _ in range(3))
        for t, g in enumerate(gs, 1):  # epsilon left at its default (a double: 1e-8f)
            nd.ftml_update(w, nd.array(g[0], dtype=dtype), d, v, z, lr=0.003, t=t, wd=0.1,
                           rescale_grad=0.37, clip_grad=0.5, out=w)
            out[f"op_ftml_{dtype}/{t}"] = w.asnumpy()
        out[f"op_ftml_{dtype}/d"] = d.asnumpy()
        w, zz, n = nd.array(w0[0], dtype=dtype), *(nd.zeros(SHAPES[0], dtype=dtype)
                                                   for _ in range(2))
        for t, g in enumerate(gs, 1):
            nd.ftrl_update(w, nd.array(g[0], dtype=dtype), zz, n, lr=0.37, lamda1=0.1,
                           beta=0.5, wd=0.03, rescale_grad=0.37, out=w)
            out[f"op_ftrl_{dtype}/{t}"] = w.asnumpy()
    w0, gs = _draws("float32", seed=7)
    for bc in (True, False):
        w, mean, var = nd.array(w0[0]), nd.zeros(SHAPES[0]), nd.zeros(SHAPES[0])
        for t, g in enumerate(gs, 1):
            r = nd.lamb_update_phase1(w, nd.array(g[0]), mean, var, t=t, wd=0.01,
                                      bias_correction=bc, rescale_grad=0.37)
            nd.lamb_update_phase2(w, r, w.norm(), r.norm(), lr=0.1, lower_bound=0.5, out=w)
            out[f"op_lamb_{bc}/{t}"] = w.asnumpy()
        ws = [nd.array(x) for x in w0]
        means, vars_ = [nd.zeros(s) for s in SHAPES], [nd.zeros(s) for s in SHAPES]
        for t, g in enumerate(gs, 1):
            nd.contrib.multi_lamb_update(ws, [nd.array(x) for x in g], means, vars_,
                                         step_count=[t, t], lrs=[0.1, 0.37], wds=[0.01, 0.0],
                                         bias_correction=bc, out=ws)
            for k, w in enumerate(ws):
                out[f"op_multi_lamb_{bc}/w{k}/{t}"] = w.asnumpy()
    rs = onp.random.RandomState(8)
    for k, x in enumerate([rs.randn(1000), onp.sort(onp.abs(rs.randn(300))),
                           onp.where(rs.rand(50) < 0.5, 0, rs.randn(50)) * 100]):
        for dtype in ("float32", "float64"):
            out[f"op_norm/{k}/{dtype}"] = nd.array(x, dtype=dtype).norm().asnumpy()
            out[f"op_multi_sum_sq/{k}/{dtype}"] = nd.multi_sum_sq(
                nd.array(x, dtype=dtype), nd.array(x[::-1] * 3, dtype=dtype), num_arrays=2
            ).asnumpy()


def record(mx):
    """Every case's arrays, keyed by case, weight and step, run on the module ``mx``."""
    out = {}
    for case in CASES:
        _optimizer_case(mx, out, *case)
    _operator_cases(mx, out)
    return out


if __name__ == "__main__":
    import mxnet

    onp.savez_compressed(FIXTURE, **record(mxnet))
