"""gluon.Parameter and Constant: MXNet 1.9.1's numpy-mode behaviour (strings from mxref)."""
from __future__ import annotations

import warnings

import numpy as onp
import pytest

from mxnp import autograd, cpu, gluon, init
from mxnp import numpy as np
from mxnp.base import MXNetError

from .test_block_support import Dense

NOT_INIT = ("Parameter '{}' has not been initialized. Note that you should initialize parameters "
            "and create Trainer with Block.collect_params() instead of Block.params because the "
            "later does not include Parameters of nested child Blocks")
DEFERRED = ("Parameter '{}' has not been initialized yet because initialization was deferred. "
            "Actual initialization happens during the first forward pass. Please pass one batch "
            "of data through the network before accessing Parameters. You can also avoid "
            "deferred initialization by specifying in_units, num_features, etc., for network "
            "layers.")


def _msg(excinfo) -> str:
    return str(excinfo.value)


def test_parameter_repr_shapes_and_dtypes():
    # MXNet 1.9.1 (mxref)
    assert repr(gluon.Parameter("w0", shape=(0, 3))) == \
        "Parameter w0 (shape=(-1, 3), dtype=<class 'numpy.float32'>)"
    assert repr(gluon.Parameter("w1")) == "Parameter w1 (shape=None, dtype=<class 'numpy.float32'>)"
    assert repr(gluon.Parameter("w2", shape=5, dtype="float64")) == \
        "Parameter w2 (shape=(5,), dtype=float64)"


def test_parameter_shape_setter_fills_unknown_dims_and_rejects_others():
    p = gluon.Parameter("w0", shape=(0, 3))
    p.shape = (4, 3)
    assert p.shape == (4, 3)
    with pytest.raises(AssertionError) as e:
        p.shape = (5, 3)
    assert _msg(e) == "Expected shape (5, 3) is incompatible with given shape (4, 3)."


def test_deferred_error_is_mxnet_error_subclass():
    assert issubclass(gluon.DeferredInitializationError, MXNetError)
    assert gluon.DeferredInitializationError.__module__ == "mxnp.gluon.parameter"


def test_parameter_unknown_shape_without_deferral_raises():
    with pytest.raises(ValueError) as e:
        gluon.Parameter("w0", shape=(0, 3)).initialize()
    assert _msg(e) == "Cannot initialize Parameter 'w0' because it has invalid shape: (-1, 3)."


def test_parameter_deferred_then_shape_known():
    p = gluon.Parameter("w0", shape=(0, 3), allow_deferred_init=True)
    p.initialize(init=init.One())
    with pytest.raises(gluon.DeferredInitializationError) as e:
        p.data()
    assert _msg(e) == DEFERRED.format("w0")
    with pytest.raises(gluon.DeferredInitializationError):
        p.grad()
    assert p.list_ctx() == [cpu(0)]
    p.shape = (2, 3)
    p._finish_deferred_init()
    assert p.data().tolist() == [[1.0] * 3] * 2


def test_parameter_never_initialized_errors():
    q = gluon.Parameter("q", shape=(2,))
    for call in (q.data, q.grad, q.list_data):
        with pytest.raises(RuntimeError) as e:
            call()
        assert _msg(e) == NOT_INIT.format("q")
    with pytest.raises(RuntimeError, match="^Parameter 'q' has not been initialized$"):
        q.list_ctx()
    with pytest.raises(ValueError) as e:
        q.reset_ctx(cpu())
    assert _msg(e) == "Cannot reset context for Parameter 'q' because it has not been initialized."
    with pytest.raises(AssertionError, match="^Parameter 'q' has not been initialized$"):
        q.set_data(np.ones(2))
    q.zero_grad()  # nothing to zero: no error, as in MXNet


def test_initialize_order_explicit_beats_own_beats_default():
    p = gluon.Parameter("p", shape=(2,), init="ones")
    p.initialize(default_init=init.Constant(5))
    assert p.data().tolist() == [1.0, 1.0]
    p.initialize(init=init.Constant(3), default_init=init.Constant(5), force_reinit=True)
    assert p.data().tolist() == [3.0, 3.0]
    q = gluon.Parameter("q", shape=(2,))
    q.initialize(default_init=init.Constant(5))
    assert q.data().tolist() == [5.0, 5.0]


def test_default_initializer_is_uniform_007():
    p = gluon.Parameter("p", shape=(100, 100))
    p.initialize()
    a = p.data().asnumpy()
    assert a.dtype == onp.float32 and a.min() >= -0.07 and a.max() <= 0.07 and a.std() > 0.03


def test_initialize_twice_warns_and_keeps_values():
    p = gluon.Parameter("dense0_weight", shape=(2,), init="ones")
    p.initialize()
    with pytest.warns(UserWarning) as rec:
        p.initialize(init=init.Zero())
    # MXNet 1.9.1 (mxref)
    assert str(rec[0].message) == ("Parameter 'dense0_weight' is already initialized, ignoring. "
                                   "Set force_reinit=True to re-initialize.")
    assert p.data().tolist() == [1.0, 1.0]


def test_data_and_grad_are_the_same_objects_and_carry_the_gradient():
    p = gluon.Parameter("w", shape=(2, 3))
    p.initialize()
    assert p.data() is p.data() and p.grad() is p.grad()
    assert p.list_data()[0] is p.data() and p.list_grad()[0] is p.grad()
    with autograd.record():
        y = (p.data() * 3).sum()
    y.backward()
    assert p.grad().tolist() == [[3.0] * 3] * 2
    assert p.data()._fresh_grad


def _dense_with_ones():
    d = Dense(2, in_units=3)
    d.initialize(init.One())
    return d


def _backward_once(d):
    with autograd.record():
        y = d(np.ones((2, 3))).sum()
    y.backward()


def test_grad_req_add_accumulates_and_switching_back_zeroes():
    d = _dense_with_ones()
    p = d.weight
    p.grad_req = "add"
    _backward_once(d)
    _backward_once(d)
    assert p.grad().tolist() == [[4.0] * 3] * 2  # MXNet 1.9.1 (mxref)
    data, grad = p.data(), p.grad()
    p.grad_req = "write"
    assert p.grad().tolist() == [[0.0] * 3] * 2 and p.grad() is not grad and p.data() is data
    _backward_once(d)
    _backward_once(d)
    assert p.grad().tolist() == [[2.0] * 3] * 2


def test_grad_req_null_and_bad_value():
    d = _dense_with_ones()
    p = d.weight
    with pytest.raises(AssertionError) as e:
        p.grad_req = "foo"
    assert _msg(e) == "grad_req must be one of 'write', 'add', or 'null', but got 'foo'"
    data = p.data()
    p.grad_req = "null"
    for call in (p.grad, p.list_grad):
        with pytest.raises(RuntimeError) as e:
            call()
        assert _msg(e) == f"Cannot get gradient array for Parameter '{p.name}' because " \
                          "grad_req='null'"
    assert p.data() is not data and p.data().grad is None  # MXNet detaches the data
    p.grad_req = "write"
    assert p.data().grad is not None and p.grad().tolist() == [[0.0] * 3] * 2


def test_not_differentiable_parameter_is_always_null():
    p = gluon.Parameter("rm", shape=(2,), grad_req="write", differentiable=False)
    assert p.grad_req == "null"


def test_set_data_in_place_casts_and_checks_shape():
    p = gluon.Parameter("p", shape=(2, 3))
    p.initialize()
    old = p.data()
    p.set_data(np.arange(6, dtype="float64").reshape(2, 3))
    assert old.tolist() == [[0, 1, 2], [3, 4, 5]] and p.data().dtype == onp.float32
    with pytest.raises(AssertionError) as e:
        p.set_data(np.ones((3, 3)))
    assert _msg(e) == "Expected shape (3, 3) is incompatible with given shape (2, 3)."


def test_set_data_while_deferred_is_used_at_init():
    p = gluon.Parameter("p", shape=(0, 2), allow_deferred_init=True)
    p.initialize()
    p.set_data(np.full((3, 2), 7.0))
    p._finish_deferred_init()
    assert p.shape == (3, 2) and p.data().tolist() == [[7.0, 7.0]] * 3


def test_contexts_copies_and_errors():
    p = gluon.Parameter("dense7_weight", shape=(2, 2))
    p.initialize(init="ones", ctx=[cpu(0), cpu(1)])
    assert p.list_ctx() == [cpu(0), cpu(1)]
    assert p.data(cpu(1)).ctx == cpu(1) and p.data(cpu(1)) is not p.data(cpu(0))
    assert p.data() is p.data(cpu(0))  # the current context's copy
    with pytest.raises(RuntimeError) as e:
        p.data(cpu(2))
    # MXNet 1.9.1 (mxref)
    assert _msg(e) == ("Parameter 'dense7_weight' was not initialized on context cpu(2). It was "
                       "only initialized on [cpu(0), cpu(1)].")
    p.reset_ctx(cpu(1))
    assert p.list_ctx() == [cpu(1)] and p.data().ctx == cpu(1)
    assert p.data().tolist() == [[1.0, 1.0]] * 2 and p.grad().ctx == cpu(1)


def test_reset_ctx_while_deferred_changes_target():
    p = gluon.Parameter("p", shape=(0,), allow_deferred_init=True)
    p.initialize()
    p.reset_ctx([cpu(1)])
    assert p.list_ctx() == [cpu(1)]


def test_reduce_averages_the_copies():
    p = gluon.Parameter("p", shape=(2,))
    p.initialize(init="zeros", ctx=[cpu(0), cpu(1)])
    p.data(cpu(1))[:] = 4
    assert p._reduce().tolist() == [2.0, 2.0] and p._reduce().ctx == cpu(0)


def test_cast_converts_data_and_grad():
    p = gluon.Parameter("wd", shape=(2, 2))
    p.initialize()
    p.cast("float16")
    assert repr(p) == "Parameter wd (shape=(2, 2), dtype=float16)"
    assert p.data().dtype == onp.float16 and p.grad().dtype == onp.float16
    q = gluon.Parameter("q", shape=(0,), allow_deferred_init=True)
    q.cast("float64")
    assert q.dtype == "float64"


def test_integer_parameter_with_one():
    p = gluon.Parameter("wi", shape=(2,), dtype="int32")
    p.initialize(init=init.One())
    assert p.data().dtype == onp.int32 and p.data().tolist() == [1, 1]


def test_zero_grad_and_mults():
    p = gluon.Parameter("p", shape=(2,))
    p.initialize()
    p.grad()[:] = 3
    p.zero_grad()
    assert p.grad().tolist() == [0.0, 0.0]
    assert (p.lr_mult, p.wd_mult, p.init) == (1.0, 1.0, None)


def test_sparse_access_raises_and_var_is_the_parameters_symbol():
    p = gluon.Parameter("p", shape=(2,), lr_mult=2.0)
    p.initialize()
    with pytest.raises(RuntimeError, match="row_sparse_data"):
        p.row_sparse_data(np.array([0]))
    # MXNet 1.9.1 (mxref): <Symbol p>, made once, carrying shape, dtype and multipliers
    v = p.var()
    assert repr(v) == "<Symbol p>" and v is p.var() and v.list_arguments() == ["p"]
    attrs = v.list_attr()
    assert (attrs["__shape__"], attrs["__dtype__"], attrs["__lr_mult__"]) == ("(2,)", "0", "2.0")


def test_constant_repr_init_and_grad_req():
    c = gluon.Constant("cc", [[1, 2]])
    # MXNet 1.9.1 (mxref)
    assert repr(c) == "Constant cc (shape=(1, 2), dtype=float32)"
    assert c.init.startswith("Constant_cc_") and c.grad_req == "null"
    with pytest.warns(UserWarning) as rec:
        c.grad_req = "write"
    assert str(rec[0].message) == ('Constant parameter "cc" does not support grad_req other than '
                                   '"null", and new value "write" is ignored.')
    assert c.grad_req == "null"
    c.initialize()
    assert c.data().tolist() == [[1.0, 2.0]]
    with pytest.raises(RuntimeError, match="because grad_req='null'"):
        c.grad()
    assert repr(gluon.Constant("c2", onp.array([1.5, 2.0]))) == \
        "Constant c2 (shape=(2,), dtype=float64)"


def test_constant_initialize_on_two_contexts():
    c = gluon.Constant("c", np.array([3.0, 4.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c.initialize(ctx=[cpu(0), cpu(1)])
    assert c.data(cpu(1)).tolist() == [3.0, 4.0]


def test_parameter_data_on_shared_or_pinned_memory_is_the_cpu_copy():
    # MXNet 1.9.1 looks cpu_shared / cpu_pinned up as the cpu of the same id (mxref), so a
    # batch from DataLoader workers (cpu_shared) runs through a net initialised on cpu()
    from mxnp.context import Context, cpu_pinned

    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    w = net.weight.data()
    assert net.weight.data(Context("cpu_shared", 0)) is w
    assert net.weight.data(cpu_pinned(0)) is w
    x = np.ones((1, 3), ctx=Context("cpu_shared", 0))
    assert same_values(net(x), np.dot(np.ones((1, 3)), w.T) + net.bias.data())
    with pytest.raises(RuntimeError, match="was not initialized on context cpu_shared\\(1\\)"):
        net.weight.data(Context("cpu_shared", 1))


def same_values(a, b) -> bool:
    return onp.allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kind", ["stype", "grad_stype"])
def test_parameter_rejects_an_unknown_storage_type(kind):
    # MXNet 1.9.1 (mxref): an AssertionError at construction, naming the three storage types
    with pytest.raises(AssertionError, match=f"^{kind} for Parameter 'weight' must be one of "
                                             "'default', 'row_sparse', or 'csr', but got "
                                             "'invalid'$"):
        gluon.Parameter("weight", shape=(10, 10), **{kind: "invalid"})


@pytest.mark.parametrize("in_units", [3, 0])
def test_initialize_on_no_context_is_accepted_and_reading_it_says_so(in_units):
    # MXNet 1.9.1 (mxref): ctx=[] is accepted (7-use-gpus on a machine without GPUs); a forward
    # then finds no array on cpu(0)
    net = gluon.nn.Dense(2, in_units=in_units)
    net.initialize(ctx=[])
    assert net.weight.list_ctx() == []
    with pytest.raises(RuntimeError, match=r"not initialized on context cpu\(0\). It was only "
                                           r"initialized on \[\]"):
        net(np.ones((1, 3)))


@pytest.mark.parametrize("legacy", [False, True])
def test_update_arrays_are_list_data_and_list_grad(legacy):
    """What a Trainer step hands its updaters (``_update_arrays``, a short way in the numpy
    face) is what it handed before: ``list_data()`` (a sparse Parameter's own arrays, which
    list_data refuses) and ``list_grad()``, in both faces, on two contexts."""
    from mxnp import npx
    from mxnp._mode import is_np_array

    was_np = is_np_array()
    (npx.reset_np if legacy else npx.set_np)()
    try:
        params = [gluon.Parameter("dense_weight", shape=(2, 3)),
                  gluon.Parameter("sparse_weight", shape=(4, 2), stype="row_sparse",
                                  grad_stype="row_sparse")]
        for p in params:
            p.initialize(ctx=[cpu(0), cpu(1)])
    finally:
        (npx.set_np if was_np else npx.reset_np)()
    for p in params:
        data, grads = p._update_arrays()
        want_data, want_grads = p._all_arrays(), p.list_grad()
        assert len(data) == len(want_data) == 2 and len(grads) == len(want_grads) == 2
        for got, want in zip(data + grads, want_data + want_grads):
            assert type(got) is type(want) and got._data is want._data
        assert all(a is b for a, b in zip(data, want_data))
