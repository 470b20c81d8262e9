"""``mxnet.test_utils``: the helpers MXNet's own unit tests import, for mxnp arrays.

Differs from MXNet: sparse arrays hold their dense value (see ``mx.nd.sparse``).
``check_numeric_gradient`` takes a Symbol (checked through its executor, as MXNet does) or a
Python callable of mxnp arrays (checked with ``mxnp.testing.check_grads``). A failed comparison
puts its list of worst mismatches in the AssertionError instead of printing it. The comparisons
live in ``mxnp.testing.compare``, the random inputs in ``mxnp.testing.random_data``, the Symbol
checks in ``mxnp.testing.symbolic``.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import os
import platform
import sys
import tempfile

import numpy as onp

from . import _backend, _lazy
from . import autograd as _autograd
from . import numpy as mx_np
from ._backend import Context, as_device, current_device, num_gpus
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
from .testing.downloads import (
    download,
    get_bz2_data,
    get_cifar10,
    get_mnist,
    get_mnist_iterator,
    get_mnist_pkl,
    get_mnist_ubyte,
    get_zip_data,
)
from .testing.gradcheck import check_grads
from .testing.random_data import (
    chi_square_check,
    collapse_sum_like,
    create_sparse_array,
    create_sparse_array_zd,
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
from .testing.symbolic import (
    check_consistency,
    check_numeric_gradient_symbol,
    check_speed,
    check_symbolic_backward,
    check_symbolic_forward,
    is_symbol,
    numeric_grad,
    same_symbol_structure,
)
from .util import get_cuda_compute_capability, getenv, setenv, use_np

# What MXNet's test files get from ``from mxnet.test_utils import *`` beside the helpers: the
# package as ``mx`` (loaded on first use: it sits above this module) and official NumPy as
# ``np`` (its tests star-import after ``import numpy as np`` and keep using NumPy's).
np = onp
rnd = onp.random  # MXNet's test_utils imports numpy.random as rnd; its tests use it
# MXNet's test_utils imports these at its top, so ``from mxnet.test_utils import *`` gives them
__getattr__, __dir__ = _lazy.names(globals(), {"mx": ("mxnp", None),
                                               "array": ("mxnp.ndarray", "array"),
                                               "Symbol": ("mxnp.symbol", "Symbol")})

__all__ = ["Context", "DummyIter", "almost_equal", "assert_allclose", "assert_almost_equal",
           "assert_almost_equal_ignore_nan", "assert_almost_equal_with_err", "assert_exception",
           "assign_each", "assign_each2", "checkShapes", "check_consistency",
           "check_gluon_hybridize_consistency", "check_numeric_gradient", "check_speed",
           "check_symbolic_backward", "check_symbolic_forward", "chi_square_check",
           "collapse_sum_like", "compare_ndarray_tuple", "compare_optimizer", "create_2d_tensor",
           "create_sparse_array", "create_sparse_array_zd", "create_vector", "current_context", "default_atols", "default_context",
           "default_device", "default_dtype", "default_numeric_eps", "default_rtols",
           "discard_stderr", "download", "effective_dtype", "environment",
           "gen_buckets_probs_with_ppf", "get_atol", "get_bz2_data", "get_cifar10",
           "get_cuda_compute_capability", "get_etol", "get_identity_mat",
           "get_identity_mat_batch", "get_mnist", "get_mnist_iterator", "get_mnist_pkl",
           "get_mnist_ubyte", "get_rtol", "get_tolerance", "get_tols", "get_zip_data", "getenv",
           "has_tvm_ops", "is_aarch64_run", "is_cd_run", "is_op_runnable", "list_gpus",
           "locationError", "mean_check", "new_matrix_with_real_eigvals_2d",
           "new_matrix_with_real_eigvals_nd", "new_orthonormal_matrix_2d",
           "new_sym_matrix_with_real_eigvals_2d", "new_sym_matrix_with_real_eigvals_nd", "np",
           "np_reduce", "numeric_grad", "os", "rand_coord_2d", "rand_ndarray", "rand_shape_2d",
           "rand_shape_3d", "rand_shape_nd", "rand_sparse_ndarray", "random_arrays",
           "random_sample", "random_uniform_arrays", "retry", "rnd", "same", "same_array",
           "same_symbol_structure", "set_default_context", "set_default_device", "setenv",
           "simple_forward", "sys", "use_np", "var_check", "verify_generator"]
__all__.extend(["Symbol", "array", "mx"])  # from __getattr__


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
current_context = current_device


# ---- gradients: symbols through their executor, or callables ------------------------------
def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=onp.float32) -> None:
    """Check the gradient of ``sym`` at ``location`` against central differences.

    ``sym`` is a Symbol (bound and run through its executor, as MXNet does: the gradient of
    sum(out * proj) for a random projection proj) or, as mxnp adds, a Python callable of mxnp
    arrays, called as ``sym(*location)`` for a list or ``sym(**location)`` for a dict and
    checked in float64 by ``mxnp.testing.check_grads`` (there ``dtype`` sets only the default
    rtol/atol, and ``aux_states``/``use_forward_train`` have no meaning). ``grad_nodes``
    (names or list positions, or a dict of grad_req) picks the inputs checked.
    """
    if is_symbol(sym):
        check_numeric_gradient_symbol(sym, location, aux_states, numeric_eps, rtol, atol,
                                      grad_nodes, use_forward_train, ctx, grad_stype_dict, dtype)
        return
    if not callable(sym):
        raise TypeError(f"check_numeric_gradient: sym must be a Symbol or a Python function of "
                        f"mxnp arrays, got {type(sym).__name__}")
    if any(s != "default" for s in (grad_stype_dict or {}).values()):
        raise NotImplementedError("check_numeric_gradient: a Python function's gradients are "
                                  "dense; pass a Symbol to check sparse gradient storage")
    keys = list(location) if isinstance(location, dict) else list(range(len(location)))
    values = [location[k] for k in keys]
    device = as_device(ctx)
    inputs = {k: v if isinstance(v, ndarray) else mx_np.array(v, ctx=device)
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
    """False: mxnp has no TVM-generated operators."""
    return False


def is_cd_run() -> bool:
    """Whether this is MXNet's continuous-delivery job (``CD_JOB=1``)."""
    return os.environ.get("CD_JOB") == "1"


def is_aarch64_run() -> bool:
    """Whether the machine is an aarch64 one."""
    return platform.machine() == "aarch64"


def list_gpus():
    """range(number of GPUs CuPy sees): 0 to n-1."""
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


# ---- small helpers MXNet's tests import --------------------------------------------------------
def same_array(array1, array2) -> bool:
    """Whether two arrays share memory: a change to array1 shows in array2 (and is undone)."""
    array1[:] += 1
    shared = same(array1.asnumpy(), array2.asnumpy())
    array1[:] -= 1
    return shared and same(array1.asnumpy(), array2.asnumpy())


def random_sample(population, k: int) -> list:
    """``k`` distinct elements of ``population`` in random order (NumPy's RNG)."""
    if not 0 <= k <= len(population):
        raise ValueError(f"random_sample: k={k} must lie in [0, {len(population)}]")
    chosen = list(population)
    onp.random.shuffle(chosen)
    return chosen[:k]


def rand_coord_2d(x_low, x_high, y_low, y_high):
    """A random (x, y) pair of int64 with x in [x_low, x_high) and y in [y_low, y_high)."""
    return (onp.random.randint(x_low, x_high, dtype=onp.int64),
            onp.random.randint(y_low, y_high, dtype=onp.int64))


def create_vector(size: int, dtype=onp.int64):
    """``arange(size)`` as an mxnp array of ``dtype``."""
    return mx_np.arange(0, size, dtype=dtype)


def create_2d_tensor(rows: int, columns: int, dtype=onp.int64):
    """A rows x columns array whose row i holds the value i."""
    return mx_np.array(onp.repeat(onp.arange(rows, dtype=dtype)[:, None], columns, axis=1))


def get_identity_mat(size: int):
    """The float32 identity matrix of ``size``."""
    return mx_np.eye(size, dtype="float32")


def get_identity_mat_batch(size: int):
    """Two stacked float32 identity matrices of ``size``, shape (2, size, size)."""
    return mx_np.array(onp.stack([onp.eye(size, dtype=onp.float32)] * 2))


@contextlib.contextmanager
def discard_stderr():
    """Silence the process's standard error (file descriptor 2) inside the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def compare_optimizer(opt1, opt2, shape, dtype, w_stype="default", g_stype="default",
                      rtol=1e-4, atol=1e-5, compare_states=True, ntensors=1) -> None:
    """One update of two optimizers from the same random weight and gradient; their states
    and new weights must agree. With a list of shapes, opt2 updates all of them in one
    multi-tensor call and opt1 one at a time. A sparse ``w_stype``/``g_stype`` gives opt2 that
    storage (the weight fully stored) and opt1 the dense copy, as MXNet's helper."""
    device = default_device()

    def uniform(s):
        return mx_np.random.uniform(0, 1, size=s, dtype=dtype, ctx=device)

    def pair(stype, density):
        """opt2's array (of ``stype``, as MXNet makes it) and a dense copy for opt1."""
        if stype == "default":
            a = uniform(shape)
            return a.copy(), a
        a = rand_ndarray(shape, stype, density=density, dtype=dtype)
        return a.copyto(device).tostype("default"), a

    if not isinstance(shape, list):
        if ntensors != 1:
            raise ValueError("compare_optimizer: ntensors > 1 needs a list of shapes")
        (w1, w2), (g1, g2) = pair(w_stype, 1), pair(g_stype, None)
        state1 = opt1.create_state_multi_precision(0, w1)
        state2 = opt2.create_state_multi_precision(0, w2)
        if compare_states:
            compare_ndarray_tuple(state1, state2)
        opt1.update_multi_precision(0, w1, g1, state1)
        opt2.update_multi_precision(0, w2, g2, state2)
        if compare_states:
            compare_ndarray_tuple(state1, state2, rtol=rtol, atol=atol)
        assert_almost_equal(w1, w2, rtol=rtol, atol=atol)
        return
    w1 = tuple(uniform(s) for s in shape)
    g1 = tuple(uniform(s) for s in shape)
    w2, g2 = copy.deepcopy(w1), copy.deepcopy(g1)
    state2 = [opt2.create_state_multi_precision(0, w2[i]) for i in range(ntensors)]
    opt2.update_multi_precision(list(range(ntensors)), w2, g2, state2)
    for i in range(ntensors):
        state1 = opt1.create_state_multi_precision(i, w1[i])
        opt1.update_multi_precision(i, w1[i], g1[i], state1)
        if compare_states:
            compare_ndarray_tuple(state1, state2[i], rtol, atol)
        compare_ndarray_tuple(w1[i], w2[i], rtol, atol)


def check_gluon_hybridize_consistency(net_builder, data_l, numpy_func=None, test_grad=True,
                                      rtol=1e-4, atol=1e-4) -> None:
    """Outputs (and input gradients) of ``net_builder()`` agree un-hybridized and hybridized
    (static and not), from the same saved parameters; with ``numpy_func`` they also match
    ``numpy_func(*[d.asnumpy() for d in data_l])``."""
    saved_out, saved_grads = None, None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "params")
        for hybridize, static in ((False, False), (True, False), (True, True)):
            net = net_builder()
            if saved_out is None:
                net.initialize()
            else:
                net.load_parameters(path)
            if hybridize:
                net.hybridize(static_alloc=static, static_shape=static)
            inputs = [d.copy() for d in data_l]
            for x in inputs:
                x.attach_grad()
            with _autograd.record():
                out = net(*inputs)
            if test_grad:
                out.backward()
            grads = [x.grad.asnumpy() for x in inputs] if test_grad else []
            if saved_out is None:
                net.save_parameters(path)
                saved_out, saved_grads = out.asnumpy(), grads
                if numpy_func is not None:
                    assert_almost_equal(saved_out, numpy_func(*[d.asnumpy() for d in data_l]),
                                        rtol=rtol, atol=atol)
                continue
            assert_almost_equal(out.asnumpy(), saved_out, rtol=rtol, atol=atol)
            for got, want in zip(grads, saved_grads):
                assert_almost_equal(got, want, rtol=rtol, atol=atol)


def assign_each(the_input, function):
    """``function`` applied to each element of a NumPy array (a float64 array of the same
    shape); with ``function`` None, a copy."""
    the_input = onp.asarray(the_input)
    if function is None:
        return onp.array(the_input)
    return onp.array([function(v) for v in the_input.ravel()],
                     dtype=onp.float64).reshape(the_input.shape)


def assign_each2(input1, input2, function):
    """``function(a, b)`` for each pair of elements of two same-shape NumPy arrays."""
    input1, input2 = onp.asarray(input1), onp.asarray(input2)
    if input1.shape != input2.shape:
        raise ValueError(f"assign_each2: shapes {input1.shape} and {input2.shape} differ")
    if function is None:
        return onp.array(input1)
    return onp.array([function(a, b) for a, b in zip(input1.ravel(), input2.ravel())],
                     dtype=onp.float64).reshape(input1.shape)


def simple_forward(sym, ctx=None, is_train=False, **inputs):
    """Run a Symbol forward on NumPy inputs (by name): its output as a NumPy array, or a list
    of them for several outputs."""
    device = as_device(ctx)
    args = {k: mx_np.array(v, ctx=device) for k, v in inputs.items()}
    executor = sym.bind(device, args=args)
    outputs = [o.asnumpy() for o in executor.forward(is_train=is_train)]
    return outputs[0] if len(outputs) == 1 else outputs


class DummyIter:
    """A data iterator that yields the first batch of ``real_iter`` forever (for timing)."""

    def __init__(self, real_iter):
        self.real_iter = real_iter
        self.provide_data = getattr(real_iter, "provide_data", None)
        self.provide_label = getattr(real_iter, "provide_label", None)
        self.batch_size = getattr(real_iter, "batch_size", None)
        self.the_batch = next(iter(real_iter))

    def __iter__(self):
        return self

    def __next__(self):
        return self.the_batch

    next = __next__
