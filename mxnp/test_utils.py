"""``mxnet.test_utils``: the helpers MXNet's own unit tests import, for mxnp arrays.

Differs from MXNet: there are no symbols, executors or sparse storage, so
``check_numeric_gradient`` takes a Python callable of mxnp arrays, the symbolic checks raise
NotImplementedError, and ``rand_ndarray`` makes dense mxnp ndarrays only. A failed comparison
puts its list of worst mismatches in the AssertionError instead of printing it. The
comparisons live in ``mxnp.testing.compare``, the random inputs in ``mxnp.testing.random_data``.
"""
from __future__ import annotations

import contextlib
import functools
import os
import platform

import numpy as onp

from . import _backend
from . import numpy as np
from ._backend import as_device, current_device, num_gpus
from ._ndarray import ndarray
from .testing.compare import (
    almost_equal,
    assert_allclose,
    assert_almost_equal,
    assert_almost_equal_ignore_nan,
    assert_almost_equal_with_err,
    assert_exception,
    checkShapes,
    compare_ndarray_tuple,
    default_atols,
    default_dtype,
    default_numeric_eps,
    default_rtols,
    effective_dtype,
    get_atol,
    get_etol,
    get_rtol,
    get_tolerance,
    get_tols,
    locationError,
    same,
)
from .testing.gradcheck import check_grads
from .testing.random_data import (
    chi_square_check,
    collapse_sum_like,
    gen_buckets_probs_with_ppf,
    mean_check,
    new_matrix_with_real_eigvals_2d,
    new_matrix_with_real_eigvals_nd,
    new_orthonormal_matrix_2d,
    new_sym_matrix_with_real_eigvals_2d,
    new_sym_matrix_with_real_eigvals_nd,
    np_reduce,
    rand_ndarray,
    rand_shape_2d,
    rand_shape_3d,
    rand_shape_nd,
    rand_sparse_ndarray,
    random_arrays,
    random_uniform_arrays,
    var_check,
    verify_generator,
)
from .util import getenv, setenv, use_np

__all__ = [
    "default_context", "set_default_context", "default_device", "set_default_device",
    "default_dtype", "default_rtols", "default_atols", "default_numeric_eps", "effective_dtype",
    "get_tolerance", "get_tols", "get_rtol", "get_atol", "get_etol", "same", "checkShapes",
    "almost_equal", "locationError", "assert_almost_equal", "assert_allclose",
    "assert_almost_equal_with_err", "assert_almost_equal_ignore_nan", "assert_exception",
    "compare_ndarray_tuple", "check_numeric_gradient", "check_symbolic_forward",
    "check_symbolic_backward", "check_consistency", "environment", "is_op_runnable",
    "has_tvm_ops", "is_cd_run", "is_aarch64_run", "list_gpus", "retry", "use_np", "getenv",
    "setenv", "collapse_sum_like", "np_reduce", "random_arrays", "random_uniform_arrays",
    "rand_shape_2d", "rand_shape_3d", "rand_shape_nd", "rand_ndarray", "rand_sparse_ndarray",
    "gen_buckets_probs_with_ppf", "chi_square_check", "verify_generator", "mean_check",
    "var_check", "new_orthonormal_matrix_2d", "new_matrix_with_real_eigvals_2d",
    "new_matrix_with_real_eigvals_nd", "new_sym_matrix_with_real_eigvals_2d",
    "new_sym_matrix_with_real_eigvals_nd"]


# ---- the default device ----------------------------------------------------------------------
def default_device():
    """The device tests create arrays on: cpu(0) unless set_default_device or ``with`` says so."""
    return current_device()


def set_default_device(device) -> None:
    """Make ``device`` the default for array creation in this thread, as MXNet's does
    (open ``with device:`` blocks still win over it)."""
    _backend.set_default_device(device)


default_context = default_device
set_default_context = set_default_device


# ---- gradients: callables instead of symbols -------------------------------------------------
def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=onp.float32) -> None:
    """Check the autograd gradient of ``sym`` at ``location`` against central differences.

    Differs from MXNet: ``sym`` is a Python callable of mxnp arrays (mxnp has no symbols),
    called as ``sym(*location)`` for a list or ``sym(**location)`` for a dict. ``grad_nodes``
    (indices or names, or a dict of grad_req) picks the inputs checked; the others are
    constants. The check runs in float64 (``mxnp.testing.check_grads``, one random projection),
    so ``dtype`` sets only the default rtol/atol; ``aux_states`` and ``use_forward_train``
    have no meaning here.
    """
    if not callable(sym) or hasattr(sym, "list_arguments"):
        raise TypeError("check_numeric_gradient: mxnp has no symbols; pass a Python function "
                        "of mxnp arrays, e.g. lambda a, b: np.dot(a, b)")
    if any(s != "default" for s in (grad_stype_dict or {}).values()):
        raise NotImplementedError("check_numeric_gradient: mxnp has no sparse gradients")
    keys = list(location) if isinstance(location, dict) else list(range(len(location)))
    values = [location[k] for k in keys]
    device = as_device(ctx)
    inputs = {k: v if isinstance(v, ndarray) else np.array(v, ctx=device)
              for k, v in zip(keys, values)}
    checked = _checked_inputs(keys, grad_nodes)

    def f(*xs):
        full = {**inputs, **dict(zip(checked, xs))}
        if isinstance(location, dict):
            return sym(**full)
        return sym(*(full[k] for k in keys))

    f.__qualname__ = getattr(sym, "__qualname__", repr(sym))
    dtype = onp.dtype(dtype)
    eps = get_tolerance(onp.zeros(0), numeric_eps, default_numeric_eps())
    check_grads(f, *(inputs[k] for k in checked), order=1, eps=eps,
                rtol=get_tolerance(onp.zeros(0, dtype), rtol, default_rtols()),
                atol=get_tolerance(onp.zeros(0, dtype), atol, default_atols()))


def _checked_inputs(keys, grad_nodes) -> list:
    if grad_nodes is None:
        return keys
    if isinstance(grad_nodes, dict):  # a grad_req per input; 'null' means not checked
        return [k for k in keys if grad_nodes.get(k, "null") != "null"]
    unknown = set(grad_nodes) - set(keys)
    if unknown:
        raise ValueError(f"check_numeric_gradient: grad_nodes {sorted(unknown, key=str)} are "
                         f"not inputs (inputs: {keys})")
    return [k for k in keys if k in set(grad_nodes)]


def _no_symbols(name: str):
    raise NotImplementedError(
        f"{name}: mxnp has no symbols or executors. Compute the forward result eagerly and "
        "compare it with assert_almost_equal; check gradients with "
        "check_numeric_gradient(function, inputs) or mxnp.testing.check_grads")


def check_symbolic_forward(sym, location, expected, *args, **kwargs):
    _no_symbols("check_symbolic_forward")


def check_symbolic_backward(sym, location, out_grads, expected, *args, **kwargs):
    _no_symbols("check_symbolic_backward")


def check_consistency(sym, ctx_list, *args, **kwargs):
    _no_symbols("check_consistency")


# ---- environment and build flags -------------------------------------------------------------
@contextlib.contextmanager
def environment(*args):
    """``with environment(name, value):`` or ``with environment({name: value, ...}):`` sets
    environment variables (None unsets one) and restores the old values on exit."""
    if len(args) == 1 and isinstance(args[0], dict):
        wanted = dict(args[0])
    elif len(args) == 2:
        wanted = {args[0]: args[1]}
    else:
        raise TypeError("environment: pass a dict of name: value, or a name and a value")
    saved = {name: os.environ.get(name) for name in wanted}
    try:
        for name, value in wanted.items():
            setenv(name, value)
        yield
    finally:
        for name, value in saved.items():
            setenv(name, value)


def is_op_runnable() -> bool:
    """Always True: mxnp has no TVM-generated ops that a GPU could be too old for."""
    return True


def has_tvm_ops() -> bool:
    return False


def is_cd_run() -> bool:
    return os.environ.get("CD_JOB") == "1"


def is_aarch64_run() -> bool:
    return platform.machine() == "aarch64"


def list_gpus():
    return range(num_gpus())


def retry(n: int):
    """Decorator: rerun a stochastic test up to ``n`` times while it fails an assertion."""
    if n <= 0:
        raise ValueError(f"retry: n must be positive, got {n}")

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            for attempt in range(n):
                try:
                    return f(*args, **kwargs)
                except AssertionError:
                    if attempt == n - 1:
                        raise
        return wrapper
    return decorate
