"""Core benchmark: mxnp next to hand-written NumPy, PyTorch, HIPS autograd and MXNet 1.9.1.

Run:  python benchmarks/bench_core.py [--quick] [--profile]
  --quick    ~6 s instead of ~25 s (fewer, shorter repeats)
  --profile  also print a cProfile summary (top 15 by tottime) of 2000 iterations of (b) in mxnp
  --no-malloc-tuning  leave the C allocator alone (by default the run opts in to
             mxnp.tune_host_allocator(), which importing mxnp no longer does by itself)

Workloads, each forward AND gradient w.r.t. x, every framework on one thread:
  (a) seed   x = np.arange(4.); per iteration: record y = 2*np.dot(x, x); y.backward()
  (b) chain  20 elementwise ops (unary, with a scalar, with an array) on 16 float32, per op
  (c) big    sum(sin(x)*x + exp(-x)) on 2**22 float32
The NumPy column computes the same forward and the gradient by hand. PyTorch (eager) and HIPS
autograd run when importable. MXNet 1.9.1 cannot share a process with mxnp's NumPy, so it runs in
a child process on the interpreter of the venv that shared/tools/mxref builds (${MXREF_VENV:-
~/.cache/mxref-venv}), next to its own NumPy-by-hand baseline there ("mxnet/its np").
Every gradient is checked against NumPy's before timing. Times: CPU time of this process
(time.process_time, so that the time other jobs take from a shared machine is not counted),
median over repeats of the mean per call, in microseconds; each repeat runs every framework in
turn (noise hits them alike), and each ratio is taken per repeat and reported as its median with
its quartiles [q1, q3]. The last rows time `python -c "import mxnp"` against `python -c "import
numpy"` (fresh interpreters, alternating): the whole command, and the import alone inside it.
"""
import json
import os
import subprocess
import sys
import time
import timeit
from importlib import metadata
from statistics import median, quantiles
from types import SimpleNamespace

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "MXNET_CPU_WORKER_NTHREADS"):
    os.environ[_var] = "1"  # before NumPy (and any framework) starts its thread pools

import numpy as onp  # noqa: E402 - after the thread settings above

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = [  # key, label, ops per iteration (the time is divided by it)
    ("seed", "(a) seed 2*dot(x,x), per iter", 1),
    ("chain", "(b) 20-op chain n=16, per op", 20),
    ("big", "(c) sum(sin*x+exp(-x)) 4M, per iter", 1),
]


def make_data():
    rng = onp.random.default_rng(0)
    return {"seed": onp.arange(4.0, dtype=onp.float32),
            "chain": onp.linspace(-1, 1, 16, dtype=onp.float32),
            "w": onp.linspace(0.5, 1.5, 16, dtype=onp.float32),
            "big": rng.uniform(-2, 2, 2**22).astype(onp.float32)}


def ops(mod, relu=None):
    """The elementwise functions the chain needs, from an array module."""
    return SimpleNamespace(sin=mod.sin, cos=mod.cos, exp=mod.exp, tanh=mod.tanh, sqrt=mod.sqrt,
                           square=mod.square, relu=relu or (lambda h: mod.maximum(h, 0)))


def chain(F, x, w):
    """Workload (b): 20 elementwise ops; F gives the functions (see ``ops``)."""
    h6 = F.exp(-(F.sin(x) * 1.01 + w)) * x                  # 6 ops
    h13 = (F.cos(F.square(F.tanh(h6) - 0.5) / w) + x) * 2.0  # 7 ops
    h17 = F.sqrt(F.relu(h13) + w) * h6                       # 4 ops
    return (F.sin(h17) - w) * 3.0                            # 3 ops


# ---------------------------------------------------------------- cases: name -> (step, grad)
# ``step()`` runs one iteration (forward and backward); ``grad()`` runs one and returns the
# gradient w.r.t. x as a NumPy array.

def numpy_cases(d):
    x4, xc, w, xb = d["seed"], d["chain"], d["w"], d["big"]

    def seed():
        return 2 * onp.dot(x4, x4), 4 * x4

    def chain_by_hand():
        h1 = onp.sin(xc)
        h5 = onp.exp(-(h1 * 1.01 + w))
        h6 = h5 * xc
        h7 = onp.tanh(h6)
        h8 = h7 - 0.5
        h10 = onp.square(h8) / w
        h13 = (onp.cos(h10) + xc) * 2.0
        h16 = onp.sqrt(onp.maximum(h13, 0) + w)
        h17 = h16 * h6
        y = (onp.sin(h17) - w) * 3.0
        g17 = 3.0 * onp.cos(h17)                      # backward, seed = ones
        g13 = g17 * h6 * 0.5 / h16 * (h13 > 0)
        g10 = -2.0 * g13 * onp.sin(h10)
        g6 = g17 * h16 + 2.0 * h8 * g10 / w * (1 - h7 * h7)
        return y, 2.0 * g13 + g6 * h5 - 1.01 * onp.cos(xc) * g6 * xc * h5

    def big():
        s = onp.sin(xb)
        e = onp.exp(-xb)
        return (s * xb + e).sum(), onp.cos(xb) * xb + s - e

    return {k: (f, lambda f=f: f()[1]) for k, f in
            (("seed", seed), ("chain", chain_by_hand), ("big", big))}


def mx_cases(np, autograd, d, sync=False):
    """mxnp, or MXNet 1.9.1 itself (same API); ``sync`` waits for MXNet's async engine."""
    F = ops(np)
    x4 = np.arange(4.0)
    xc, w, xb = (np.array(d[k], dtype="float32") for k in ("chain", "w", "big"))

    def seed():
        with autograd.record():
            y = 2 * np.dot(x4, x4)
        y.backward()

    def chain_():
        with autograd.record():
            y = chain(F, xc, w)
        y.backward()

    def big():
        with autograd.record():
            y = (np.sin(xb) * xb + np.exp(-xb)).sum()
        y.backward()

    cases = {}
    for key, x, step in (("seed", x4, seed), ("chain", xc, chain_), ("big", xb, big)):
        x.attach_grad()
        if sync:
            step = _then(step, x.grad.wait_to_read)
        cases[key] = (step, lambda s=step, x=x: (s(), x.grad.asnumpy())[1])
    return cases


def _then(first, second):
    return lambda: (first(), second())


def _use_checkout():
    """Import this checkout's mxnp, even beside an installed one (never in the MXNet worker,
    where the checkout's ``mxnet`` alias would hide the real MXNet)."""
    root = os.path.dirname(HERE)
    if root not in sys.path:
        sys.path.insert(0, root)


def mxnp_cases(d):
    _use_checkout()
    from mxnp import autograd, np
    return mx_cases(np, autograd, d)


def torch_cases(d):
    import torch
    torch.set_num_threads(1)
    F = ops(torch, relu=torch.relu)
    x4, xc, w, xb = (torch.tensor(d[k]) for k in ("seed", "chain", "w", "big"))
    ones = torch.ones_like(xc)

    def seed():
        x4.grad = None  # zero_grad(set_to_none=True); torch accumulates otherwise
        (2 * torch.dot(x4, x4)).backward()

    def chain_():
        xc.grad = None
        chain(F, xc, w).backward(ones)

    def big():
        xb.grad = None
        (torch.sin(xb) * xb + torch.exp(-xb)).sum().backward()

    cases = {}
    for key, x, step in (("seed", x4, seed), ("chain", xc, chain_), ("big", xb, big)):
        x.requires_grad_(True)
        cases[key] = (step, lambda s=step, x=x: (s(), x.grad.numpy())[1])
    return cases


def hips_cases(d):
    import autograd
    import autograd.numpy as anp
    F, w = ops(anp), d["w"]
    funcs = {"seed": (autograd.grad(lambda x: 2 * anp.dot(x, x)), d["seed"]),
             "chain": (autograd.elementwise_grad(lambda x: chain(F, x, w)), d["chain"]),
             "big": (autograd.grad(lambda x: (anp.sin(x) * x + anp.exp(-x)).sum()), d["big"])}
    steps = {k: (lambda g=g, x=x: g(x)) for k, (g, x) in funcs.items()}
    return {k: (step, step) for k, step in steps.items()}  # the step returns the gradient


# ---------------------------------------------------------------- timing

def check(name, cases, numpy):
    """Assert that every gradient of ``name`` equals the NumPy-by-hand one."""
    for key, (_, grad) in cases.items():
        got, want = grad(), numpy[key][1]()
        if not onp.allclose(got, want, rtol=1e-4, atol=1e-5):
            raise AssertionError(f"{name} {key}: gradient differs from NumPy's by "
                                 f"{onp.max(onp.abs(got - want))}")


def time_all(frameworks, target, repeats):
    """{name: {workload: µs per op}}, and {workload: {name: [µs per op, one per repeat]}}. Each
    repeat times every framework in turn, so that the bursts of a noisy machine hit all of them
    alike; ``number`` is sized to ``target`` s of CPU time."""
    res = {name: {} for name in frameworks}
    per_repeat = {}
    for key, _, n_ops in WORKLOADS:
        steps = {name: cases[key][0] for name, cases in frameworks.items()}
        numbers = {n: max(1, int(target / max(_cpu(f, 1), 1e-7))) for n, f in steps.items()}
        samples = {n: [] for n in steps}
        for _ in range(repeats):
            for n, f in steps.items():
                samples[n].append(_cpu(f, numbers[n]) / numbers[n] * 1e6 / n_ops)
        for n in steps:
            res[n][key] = median(samples[n])
        per_repeat[key] = samples
    return res, per_repeat


def _cpu(f, number):
    return timeit.Timer(f, timer=time.process_time).timeit(number)


def spread(a, b) -> str:
    """The median of the per-repeat ratios a/b, with their quartiles."""
    if not a or not b:
        return "-"
    r = [x / y for x, y in zip(a, b)]
    q1, _, q3 = quantiles(r, n=4) if len(r) > 1 else (r[0],) * 3
    return f"{median(r):.2f} [{q1:.2f}, {q3:.2f}]"


def time_import(rounds):
    """Seconds of ``python -c "import numpy"`` and ``python -c "import mxnp"``, alternating, one
    per round: the whole command (as a user or ``mxnp run`` pays it), and the import alone
    inside it (the interpreter's start-up not counted)."""
    code = ("import time; t = time.perf_counter(); import {}; "
            "print(time.perf_counter() - t)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(HERE)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    times = {"numpy": [], "mxnp": [], "numpy command": [], "mxnp command": []}
    for _ in range(rounds):
        for name in ("numpy", "mxnp"):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", code.format(name)], env=env,
                                 capture_output=True, text=True, check=True)
            times[name + " command"].append(time.perf_counter() - t)
            times[name].append(float(out.stdout))
    return times


def mxnet_worker(cfg):
    """In MXNet's venv: time NumPy-by-hand and MXNet; print one JSON line."""
    from mxnet import autograd, np, npx
    npx.set_np()
    d = make_data()
    frameworks = {"numpy": numpy_cases(d), "mxnet": mx_cases(np, autograd, d, sync=True)}
    check("mxnet", frameworks["mxnet"], frameworks["numpy"])
    print(json.dumps({**time_all(frameworks, *cfg)[0],
                      "version": f"mxnet 1.9.1 (numpy {onp.__version__})"}))


def run_mxnet(quick):
    python = os.path.join(os.environ.get("MXREF_VENV", os.path.expanduser("~/.cache/mxref-venv")),
                          "bin", "python")
    if not os.access(python, os.X_OK):
        return None, f"mxnet: skipped, no {python} (build it with shared/tools/mxref)"
    cmd = [python, "-W", "ignore", os.path.abspath(__file__), "--mxnet-worker"]
    out = subprocess.run(cmd + ["--quick"] * quick, capture_output=True, text=True,
                         timeout=300, check=False)
    if out.returncode != 0:
        return None, "mxnet: failed\n" + out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), None


# ---------------------------------------------------------------- report

def version(name):
    return getattr(sys.modules[name], "__version__", None) or metadata.version(name)


def fmt(v):
    return "-" if v is None else (f"{v:.2f}" if v < 100 else f"{v:,.0f}")


def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.2f}"


def print_table(res, per_repeat, mxnet, imports):
    cols = ["workload", "numpy µs", "mxnp µs", "mxnp/np [q1, q3]", "torch µs",
            "mxnp/torch [q1, q3]", "autograd µs", "mxnet µs", "mxnet/its np"]
    rows = []
    for key, label, _ in WORKLOADS:
        get = {n: (r or {}).get(key) for n, r in res.items()}
        runs = per_repeat[key]
        mx, mx_np = ((mxnet["mxnet"][key], mxnet["numpy"][key]) if mxnet else (None, None))
        rows.append([label, fmt(get["numpy"]), fmt(get["mxnp"]),
                     spread(runs.get("mxnp"), runs["numpy"]), fmt(get["torch"]),
                     spread(runs.get("mxnp"), runs.get("torch")), fmt(get["autograd"]),
                     fmt(mx), ratio(mx, mx_np)])
    ms = {n: median(t) * 1e3 for n, t in imports.items()}
    for label, suffix in (("python -c 'import X', ms", " command"), ("the import alone, ms", "")):
        rows.append([label, f"{ms['numpy' + suffix]:.1f}", f"{ms['mxnp' + suffix]:.1f}",
                     spread(imports["mxnp" + suffix], imports["numpy" + suffix]),
                     "-", "-", "-", "-", "-"])
    widths = [max(len(r[i]) for r in rows + [cols]) for i in range(len(cols))]
    for r in [cols] + rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))


def profile_chain(d, iterations=2000):
    import cProfile
    import pstats
    step = mxnp_cases(d)["chain"][0]
    prof = cProfile.Profile()
    prof.runcall(lambda: [step() for _ in range(iterations)])
    print(f"\ncProfile, {iterations} iterations of (b) in mxnp, top 15 by tottime:")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def core() -> str:
    """Which of mxnp's hot modules run compiled (mxnp/_native.py)."""
    from mxnp import _native

    n = len(_native.compiled())
    return f" (compiled core: {n} of {len(_native.COMPILED)} modules)" if n else " (pure Python)"


def tune_allocator() -> bool:
    """Opt in to mxnp's allocator tuning, as a long training run would (see README); it
    applies to the whole process, so the NumPy baseline runs under it too."""
    _use_checkout()
    import mxnp

    return mxnp.tune_host_allocator()


def main(argv):
    quick = "--quick" in argv
    cfg = (0.01, 5) if quick else (0.1, 21)  # seconds per repeat (each framework), repeats
    if "--mxnet-worker" in argv:
        return mxnet_worker(cfg)
    tuned = "--no-malloc-tuning" not in argv and tune_allocator()
    t0 = time.perf_counter()
    d = make_data()
    frameworks, notes, versions = {"numpy": numpy_cases(d)}, [], []
    for name, build in (("mxnp", mxnp_cases), ("torch", torch_cases), ("autograd", hips_cases)):
        try:
            frameworks[name] = build(d)
        except ImportError as e:
            notes.append(f"{name}: skipped ({e})")
            continue
        check(name, frameworks[name], frameworks["numpy"])
        versions.append(f"{name} {version(name)}" + (core() if name == "mxnp" else ""))
    timed, per_repeat = time_all(frameworks, *cfg)
    res = {"mxnp": None, "torch": None, "autograd": None, **timed}
    imports = time_import(5 if quick else 11)
    mxnet, note = run_mxnet(quick)
    notes += [note] if note else []
    versions += [mxnet["version"]] if mxnet else []
    print(f"numpy {onp.__version__}, python {sys.version.split()[0]}, one thread"
          f"{', quick' if quick else ''}; CPU µs per iteration ((b): per op), median of "
          f"{cfg[1]} repeats; ratios: median of the per-repeat ratios [quartiles]")
    print(", ".join(versions))
    print_table(res, per_repeat, mxnet, imports)
    notes.append("C allocator tuned (mxnp.tune_host_allocator), for the NumPy baseline too"
                 if tuned else "C allocator as the OS left it")
    print("\n".join(notes + [f"total {time.perf_counter() - t0:.1f} s"]))
    if "--profile" in argv:
        profile_chain(d)


if __name__ == "__main__":
    main(sys.argv[1:])
