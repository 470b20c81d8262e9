"""Checks of a Symbol through its executor (re-exported by ``test_utils``): forward values,
backward values, and gradients against central differences.

They use only the public Symbol interface (``list_arguments``, ``list_auxiliary_states``,
``bind``, and the executor's ``forward``, ``backward``, ``outputs``, ``grad_dict``), so any
symbol ``mx.sym`` builds works, and so does any object with that interface.
"""
from __future__ import annotations

import json
import time

import numpy as onp

from .. import numpy as np
from .._backend import as_device
from .._ndarray import ndarray
from .compare import (
    assert_almost_equal,
    default_atols,
    default_numeric_eps,
    default_rtols,
    get_tolerance,
)

__all__ = ["check_consistency", "check_numeric_gradient_symbol", "check_speed",
           "check_symbolic_backward", "check_symbolic_forward", "is_symbol", "numeric_grad",
           "same_symbol_structure"]


def is_symbol(obj) -> bool:
    """Whether ``obj`` is used as a Symbol (it has ``list_arguments`` and ``bind``)."""
    return hasattr(obj, "list_arguments") and hasattr(obj, "bind")


def _host(x) -> onp.ndarray:
    return x.asnumpy() if isinstance(x, ndarray) else onp.asarray(x)


def _by_name(what: str, names: list, values, fn: str) -> dict:
    """``values`` (a dict, or a list in ``names`` order) as a dict of NumPy arrays by name."""
    if values is None:
        return {}
    if isinstance(values, dict):
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ValueError(f"{fn}: {what} names {unknown} are not among {names}")
        return {k: _host(v) for k, v in values.items()}
    values = list(values)
    if len(values) != len(names):
        raise ValueError(f"{fn}: {len(values)} {what} given for the {len(names)} names {names}")
    return {k: _host(v) for k, v in zip(names, values)}


def _cast(arrays: dict, dtype) -> dict:
    # MXNet 1.9.1 makes every input an array of the check's dtype (integer ones too: indices
    # become floats, as its operators take them); dtype "asnumpy" keeps each array's own
    if isinstance(dtype, str) and dtype == "asnumpy":
        return arrays
    return {k: v.astype(dtype) for k, v in arrays.items()}


def _bind(sym, location: dict, aux: dict, ctx, grad_req, stypes=None, grad_stypes=None):
    """An executor of ``sym`` on copies of the arrays (in the storage ``stypes`` names), with a
    zero gradient buffer (of the storage ``grad_stypes`` names) per input whose grad_req is
    not 'null'."""
    device = as_device(ctx)
    stypes, grad_stypes = stypes or {}, grad_stypes or {}
    args = {k: _stored(np.array(v, dtype=v.dtype, ctx=device), stypes.get(k))
            for k, v in location.items()}
    reqs = grad_req if isinstance(grad_req, dict) else {k: grad_req for k in args}
    grads = {k: _stored(np.zeros(v.shape, dtype=v.dtype, ctx=device), grad_stypes.get(k))
             for k, v in args.items() if reqs.get(k, "null") != "null"}
    aux_states = {k: np.array(v, dtype=v.dtype, ctx=device) for k, v in aux.items()}
    return sym.bind(device, args=args, args_grad=grads, grad_req=reqs,
                    aux_states=aux_states or None)


def _stored(array, stype):
    """``array`` as an mx.nd array of ``stype`` storage ('default' or None: as it is)."""
    if stype in (None, "default"):
        return array
    from ..ndarray.ndarray import to_nd  # here: mxnp.ndarray imports mxnp.testing

    return to_nd(array).tostype(stype)


def _stypes(location) -> dict:
    """The storage types of the sparse arrays among ``location``'s values, by name (or by
    position for a list)."""
    items = location.items() if isinstance(location, dict) else enumerate(location or ())
    return {k: v.stype for k, v in items if getattr(v, "stype", "default") != "default"}


def _named_stypes(sym, location) -> dict:
    """``_stypes`` by argument name."""
    found = _stypes(location)
    names = sym.list_arguments()
    return found if isinstance(location, dict) else {names[k]: v for k, v in found.items()}


def _parse(sym, location, aux_states, fn: str):
    location = _by_name("inputs", sym.list_arguments(), location, fn)
    missing = [n for n in sym.list_arguments() if n not in location]
    if missing:
        raise ValueError(f"{fn}: no value for the symbol's inputs {missing}")
    aux = _by_name("auxiliary states", sym.list_auxiliary_states(), aux_states, fn)
    return location, aux


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None,
                           ctx=None, equal_nan=False, dtype=onp.float32):
    """Run ``sym`` forward (predict mode) at ``location`` and compare each output with
    ``expected`` (a list in output order, or a dict by output name). Returns the outputs as
    executor's output arrays, as MXNet (sparse inputs are bound in their storage)."""
    stypes = _named_stypes(sym, location)
    location, aux = _parse(sym, location, aux_states, "check_symbolic_forward")
    location, aux = _cast(location, dtype), _cast(aux, dtype)
    executor = _bind(sym, location, aux, ctx, "null", stypes)
    outputs = executor.forward(is_train=False)
    if isinstance(expected, dict):
        expected = [expected[name] for name in sym.list_outputs()]
    if len(expected) != len(outputs):
        raise ValueError(f"check_symbolic_forward: {len(expected)} expected arrays for the "
                         f"{len(outputs)} outputs of the symbol")
    for name, want, got in zip(sym.list_outputs(), expected, outputs):
        assert_almost_equal(want, got.asnumpy(), rtol, atol,
                            ("EXPECTED_" + name, "FORWARD_" + name), equal_nan=equal_nan)
    return outputs


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None,
                            aux_states=None, grad_req="write", ctx=None, grad_stypes=None,
                            equal_nan=False, dtype=onp.float32):
    """Run ``sym`` forward (training mode) and backward with ``out_grads`` and compare the
    input gradients with ``expected`` (a dict by input name, or a list in argument order).

    ``grad_req`` is one string or a dict by input name. The gradient buffers start at zero, so
    'add' is checked as 'write' (MXNet starts them at random values and subtracts those; the
    gradient compared is the same). Sparse inputs are bound in their storage, and the gradient
    buffers take ``grad_stypes``. Returns the gradient arrays by name, as MXNet.
    """
    stypes = _named_stypes(sym, location)
    location, aux = _parse(sym, location, aux_states, "check_symbolic_backward")
    location, aux = _cast(location, dtype), _cast(aux, dtype)
    names = sym.list_arguments()
    if not isinstance(expected, dict):
        expected = dict(zip(names, expected))
    reqs = grad_req if isinstance(grad_req, dict) else {k: grad_req for k in names}
    reqs = {k: reqs.get(k, "null") if k in expected else "null" for k in names}
    executor = _bind(sym, location, aux, ctx, reqs, stypes, grad_stypes)
    executor.forward(is_train=True)
    if out_grads is None:
        heads = None
    else:
        if isinstance(out_grads, dict):
            out_grads = [out_grads[name] for name in sym.list_outputs()]
        heads = [np.array(_host(g) if isinstance(dtype, str) and dtype == "asnumpy"
                          else _host(g).astype(dtype), ctx=as_device(ctx)) for g in out_grads]
    executor.backward(heads)
    grads = {k: v for k, v in executor.grad_dict.items() if v is not None}
    for name, want in expected.items():
        if reqs[name] == "null":
            continue
        assert_almost_equal(want, grads[name].asnumpy(), rtol, atol,
                            ("EXPECTED_" + name, "BACKWARD_" + name), equal_nan=equal_nan)
    return grads


def numeric_grad(executor, location: dict, aux_states=None, eps: float = 1e-4,
                 use_forward_train: bool = True, dtype=onp.float32) -> dict:
    """Central differences of sum(outputs[0]) at ``location`` (NumPy arrays by name), running
    ``executor`` forward with each element moved by +-eps/2. Returns gradients by name."""
    grads = {}
    for name, value in location.items():
        base = value.astype(onp.float64)
        grad = onp.zeros(base.shape, dtype=onp.float64)
        for i in range(base.size):
            f = []
            for step in (eps / 2, -eps / 2):
                moved = base.copy()
                moved.flat[i] += step
                executor.arg_dict[name][:] = moved.astype(dtype)
                out = executor.forward(is_train=use_forward_train)[0]
                f.append(float(onp.sum(out.asnumpy(), dtype=onp.float64)))
            grad.flat[i] = (f[0] - f[1]) / eps
        executor.arg_dict[name][:] = value
        grads[name] = grad
    return grads


def check_numeric_gradient_symbol(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                                  atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                                  grad_stype_dict=None, dtype=onp.float32) -> None:
    """``check_numeric_gradient`` for a Symbol: the gradient of sum(out * proj), proj a random
    projection of the first output, by backward against central differences."""
    fn = "check_numeric_gradient"
    stypes = _named_stypes(sym, location)
    location, aux = _parse(sym, location, aux_states, fn)
    location, aux = _cast(location, dtype), _cast(aux, dtype)
    names = sym.list_arguments()
    if grad_nodes is None:
        reqs = {k: "write" for k in names}
    elif isinstance(grad_nodes, dict):
        reqs = {k: grad_nodes.get(k, "null") for k in names}
    else:
        unknown = sorted(set(grad_nodes) - set(names))
        if unknown:
            raise ValueError(f"{fn}: grad_nodes {unknown} are not inputs of the symbol {names}")
        reqs = {k: "write" if k in grad_nodes else "null" for k in names}
    executor = _bind(sym, location, aux, ctx, reqs, stypes, grad_stype_dict)
    out = executor.forward(is_train=True)[0]
    proj = onp.random.uniform(0.1, 1.0, out.shape).astype(dtype)
    executor.backward([np.array(proj, ctx=as_device(ctx))])
    symbolic = {k: executor.grad_dict[k].asnumpy() for k in names if reqs[k] != "null"}

    projected = _Projected(executor, proj)
    eps = get_tolerance(onp.zeros(0, dtype), numeric_eps, default_numeric_eps())
    numeric = numeric_grad(projected, {k: location[k] for k in symbolic}, eps=eps,
                           use_forward_train=use_forward_train, dtype=dtype)
    rtol = get_tolerance(onp.zeros(0, dtype), rtol, default_rtols())
    atol = get_tolerance(onp.zeros(0, dtype), atol, default_atols())
    for name, grad in symbolic.items():
        assert_almost_equal(numeric[name], grad, rtol, atol,
                            (f"NUMERICAL_{name}", f"BACKWARD_{name}"))


class _Projected:
    """An executor whose first output is out * proj (numeric_grad sums it)."""

    def __init__(self, executor, proj):
        self.arg_dict, self._executor, self._proj = executor.arg_dict, executor, proj

    def forward(self, is_train=False):
        out = self._executor.forward(is_train=is_train)[0]
        return [np.array(out.asnumpy().astype(onp.float64) * self._proj)]


# tolerance of a comparison against the most precise run, by the less precise run's dtype
_CONSISTENCY_TOL = {onp.dtype(onp.float16): 1e-1, onp.dtype(onp.float32): 1e-3,
                    onp.dtype(onp.float64): 1e-5, onp.dtype(onp.uint8): 0,
                    onp.dtype(onp.int32): 0, onp.dtype(onp.int64): 0}


def check_consistency(sym, ctx_list, scale=1.0, grad_req="write", arg_params=None,
                      aux_params=None, tol=None, raise_on_err=True, ground_truth=None,
                      equal_nan=False, use_uniform=False, rand_type=onp.float64):
    """Run one symbol (or one per entry) under each entry of ``ctx_list`` (a dict of ``ctx``,
    the inputs' shapes and an optional ``type_dict``, as ``simple_bind`` takes them) on the
    same random inputs, and check that forward outputs and gradients agree with those of the
    most precise run (or ``ground_truth``). Returns the reference run's arrays by name."""
    syms = list(sym) if isinstance(sym, (list, tuple)) else [sym] * len(ctx_list)
    if len(syms) != len(ctx_list):
        raise ValueError(f"check_consistency: {len(syms)} symbols for {len(ctx_list)} "
                         "contexts")
    first = syms[0]
    exes = []
    for s, spec in zip(syms, ctx_list):
        spec = dict(spec)
        exes.append(s.simple_bind(spec.pop("ctx"), grad_req=grad_req,
                                  type_dict=spec.pop("type_dict", None), **spec))
    arg_params = dict(arg_params or {})
    aux_params = dict(aux_params or {})
    for name, arr in zip(first.list_arguments(), exes[0].arg_arrays):
        if name not in arg_params:
            arg_params[name] = (onp.random.uniform(-scale, scale, arr.shape) if use_uniform
                                else onp.random.normal(size=arr.shape, scale=scale)
                                ).astype(rand_type)
    for name, arr in zip(first.list_auxiliary_states(), exes[0].aux_arrays):
        aux_params.setdefault(name, onp.zeros(arr.shape, rand_type))
    for exe in exes:
        for name, arr in exe.arg_dict.items():
            arr[...] = onp.asarray(_host(arg_params[name])).astype(arr.dtype)
        for name, arr in exe.aux_dict.items():
            arr[...] = onp.asarray(_host(aux_params[name])).astype(arr.dtype)
    dtypes = [onp.dtype(exe.outputs[0].dtype) if exe.outputs else onp.dtype("float32")
              for exe in exes]
    ref = max(range(len(exes)), key=lambda i: dtypes[i].itemsize)
    names = first.list_outputs()
    results = []
    for exe in exes:
        outs = [o.asnumpy() for o in exe.forward(is_train=grad_req != "null")]
        if grad_req != "null":
            exe.backward(exe.outputs)
        grads = {k: g.asnumpy() for k, g in exe.grad_dict.items() if g is not None}
        results.append({**dict(zip(names, outs)), **grads})
    truth = ground_truth or results[ref]
    for i, result in enumerate(results):
        if i == ref and ground_truth is None:
            continue
        t = tol if tol is not None else _CONSISTENCY_TOL.get(dtypes[i], 1e-3)
        if isinstance(t, dict):
            t = t.get(dtypes[i], 1e-3)
        for name, value in result.items():
            try:
                assert_almost_equal(truth[name], value, rtol=t, atol=t,
                                    names=(f"run {ref} {name}", f"run {i} {name}"),
                                    equal_nan=equal_nan)
            except AssertionError:
                if raise_on_err:
                    raise
    return truth


def same_symbol_structure(sym1, sym2) -> bool:
    """Whether the two graphs have the same operator at each node position (the nodes of the
    shorter graph are compared)."""
    nodes1, nodes2 = (json.loads(s.tojson())["nodes"] for s in (sym1, sym2))
    return all(a["op"] == b["op"] for a, b in zip(nodes1, nodes2))


def check_speed(sym, location=None, ctx=None, N=20, grad_req=None, typ="whole", **kwargs):
    """Seconds per run of ``sym`` through an executor, averaged over ``N`` runs after one
    warm-up: forward and backward (``typ="whole"``) or forward only (``"forward"``). Inputs
    are ``location`` or standard normal draws of the shapes given in ``kwargs``."""
    if typ not in ("whole", "forward"):
        raise ValueError('typ can only be "whole" or "forward".')
    from ..test_utils import default_device  # above this module

    ctx = default_device() if ctx is None else ctx
    grad_req = "write" if grad_req is None else grad_req
    if location is None:
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx, **kwargs)
        location = {k: onp.random.normal(size=a.shape) for k, a in exe.arg_dict.items()}
    else:
        assert isinstance(location, dict), f'Expect dict, get "location"={location}'
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx,
                              **{k: v.shape for k, v in location.items()})
    for name, value in location.items():
        exe.arg_dict[name][:] = onp.asarray(_host(value)).astype(exe.arg_dict[name].dtype)
    train = typ == "whole"

    def run():
        exe.forward(is_train=train)
        if train:
            exe.backward(out_grads=exe.outputs)

    run()
    start = time.time()
    for _ in range(N):
        run()
    return (time.time() - start) / N
