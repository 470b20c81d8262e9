"""mxnet.test_utils on mxnp: tolerances, verdicts and messages as MXNet 1.9.1 gives them.

The expected values were read off the real MXNet 1.9.1 (``/work/shared/tools/mxref``).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, np, optimizer
from mxnp import test_utils as tu
from mxnp.gluon import nn


def test_default_tolerance_tables_match_mxnet():
    rtols, atols = tu.default_rtols(), tu.default_atols()
    assert [rtols[onp.dtype(t)] for t in ("float16", "float32", "float64")] == [1e-2, 1e-4, 1e-5]
    assert [atols[onp.dtype(t)] for t in ("float16", "float32", "float64")] == [1e-1, 1e-3, 1e-20]
    assert all(rtols[onp.dtype(t)] == 0 == atols[onp.dtype(t)] for t in ("bool", "int8", "int64"))
    assert tu.default_numeric_eps()[onp.dtype("float32")] == 2.0 ** -9


@pytest.mark.parametrize("x, y, rtol, atol, want", [
    (onp.ones(1, "float16"), 1.0, None, None, (0.01, 0.1)),  # the looser dtype wins
    (1, 1, None, None, (0, 0)),                               # Python ints compare exactly
    (np.ones(2), onp.ones(2), 0.5, None, (0.5, 1e-3)),        # mxnp float32 array
    (onp.ones(2), onp.ones(2), {onp.dtype("float64"): 0.2}, None, (0.2, 1e-20)),
])
def test_get_tols(x, y, rtol, atol, want):
    assert tu.get_tols(x, y, rtol, atol) == want


def _f32(*v):
    return onp.array(v, dtype="float32")


# (a, b, passes in MXNet 1.9.1 with default tolerances)
VERDICTS = [
    (1, 1.00001, True),
    (onp.float16(1), 1.005, True),
    (np.array([1.0, 2.0], dtype="float64"), onp.array([1.0, 2.0001]), False),
    (np.array([1.0, 2.0]), onp.array([1.0, 2.0001]), True),  # float32: rtol 1e-4, atol 1e-3
    (True, True, True),
    (onp.array([1, onp.nan]), onp.array([1, onp.nan]), False),  # equal_nan defaults to False
    (onp.ones((2, 3)), onp.ones(3), True),                      # broadcasting is allowed
    (_f32(1, 1), _f32(1.0005, 1), True),
    (_f32(1, 1), _f32(1.002, 1), False),
    (onp.ones(3, "float16"), onp.ones(3) * 1.01, True),
    (onp.array([1, 2], "int32"), onp.array([1, 3], "int32"), False),
    (onp.array([onp.inf]), onp.array([onp.inf]), True),
    (onp.array([True]), onp.array([False]), False),
]


@pytest.mark.parametrize("a, b, passes", VERDICTS)
def test_assert_almost_equal_verdicts_match_mxnet(a, b, passes):
    if passes:
        tu.assert_almost_equal(a, b)
    else:
        with pytest.raises(AssertionError):
            tu.assert_almost_equal(a, b)


def test_assert_almost_equal_message_names_the_worst_mismatches():
    a = onp.arange(6, dtype="float32").reshape(2, 3)
    b = a.copy()
    b[1, 2] += 1
    b[0, 1] += 0.5
    with pytest.raises(AssertionError) as err:
        tu.assert_almost_equal(a, mxnp.np.array(b), names=("x", "y"))
    msg = str(err.value)
    # these lines are MXNet's, character for character
    assert ("Error 625.000000 exceeds tolerance rtol=1.000000e-04, atol=1.000000e-03 "
            "(mismatch 33.333333%).") in msg
    assert "Location of maximum error: (1, 2), x=5.00000000, y=6.00000000" in msg
    # MXNet prints 434.782593: it divides in float32, mxnp in float64
    assert "  2: Error 434.782609  Location of error: (0, 1), x=1.00000000, y=1.50000000" in msg
    assert "ACTUAL: array(" in msg and "DESIRED: array(" in msg
    with pytest.raises(AssertionError) as err:
        tu.assert_almost_equal(a, b, mismatches=(1, 10))
    assert "  1: Error" in str(err.value) and "  2: Error" not in str(err.value)


def test_assert_almost_equal_options():
    tu.assert_almost_equal(onp.ones(3), onp.ones(3) * 1.1, rtol=0.2)
    tu.assert_almost_equal(onp.array([1, onp.nan]), onp.array([1, onp.nan]), equal_nan=True)
    with pytest.raises(AssertionError, match=r"a.shape = \(2, 3\) and b.shape = \(3,\)"):
        tu.assert_almost_equal(onp.ones((2, 3)), onp.ones(3), use_broadcast=False)
    with pytest.raises(AssertionError, match="Error nan"):
        tu.assert_almost_equal(onp.array([1.0, onp.nan]), onp.array([1.0, 2.0]))
    tu.assert_allclose(np.ones(2), [1.0, 1.0])
    tu.assert_almost_equal_ignore_nan(onp.array([1.0, onp.nan]), np.array([1.0, 2.0]))


def test_almost_equal_uses_float64_defaults_and_same_compares_exactly():
    # as in MXNet, almost_equal ignores the dtypes: float32 data gets float64's tolerances
    assert tu.almost_equal(onp.ones(3), onp.ones(3) * 1.000001)
    assert not tu.almost_equal(onp.ones(3, "float32"), onp.ones(3) * 1.0001)
    assert tu.same(np.ones(3), onp.ones(3)) and not tu.same(onp.ones(3), onp.ones(2))


def test_assert_almost_equal_with_err_tolerates_a_fraction():
    a, b = onp.arange(10.0), onp.arange(10.0) + onp.eye(1, 10)[0]
    tu.assert_almost_equal_with_err(a, b, etol=0.2)
    with pytest.raises(AssertionError, match="mismatch 10.000000%"):
        tu.assert_almost_equal_with_err(a, b, etol=0.05)


def test_assert_exception():
    tu.assert_exception(lambda x: 1 / x, ZeroDivisionError, 0)
    with pytest.raises(AssertionError):
        tu.assert_exception(lambda: 1, ZeroDivisionError)
    with pytest.raises(ZeroDivisionError):  # another type propagates, as in MXNet
        tu.assert_exception(lambda: 1 / 0, ValueError)


def test_rand_shapes_match_mxnet_draws_and_bounds():
    onp.random.seed(3)  # MXNet draws from NumPy's global generator, so seeds give its shapes
    assert tu.rand_shape_nd(4) == (9, 10, 4, 9)
    assert tu.rand_shape_2d() == (9, 1) and tu.rand_shape_3d() == (6, 4, 10)
    shapes = [tu.rand_shape_nd(3, dim=4) for _ in range(200)]
    assert all(len(s) == 3 and all(type(n) is int and 1 <= n <= 4 for n in s) for s in shapes)
    sizes = {n for _ in range(200) for n in tu.rand_shape_nd(2, dim=2, allow_zero_size=True)}
    assert sizes == {0, 1, 2}


def test_rand_ndarray_dtype_shape_device():
    onp.random.seed(3)
    r = tu.rand_ndarray((2, 2), dtype="int32")  # MXNet truncates the normal draws
    assert isinstance(r, mxnp.np.ndarray) and r.dtype == onp.int32
    assert r.asnumpy().tolist() == [[1, 0], [0, -1]]
    r = tu.rand_ndarray((2, 3))
    assert (r.shape, r.dtype, r.device) == ((2, 3), onp.float32, mxnp.cpu(0))
    assert tu.rand_ndarray((), ctx=mxnp.cpu(1)).device == mxnp.cpu(1)
    assert tu.rand_ndarray((2,), dtype="float64").dtype == onp.float64
    assert tu.rand_ndarray((2, 2), stype="csr").stype == "csr"
    a, b = tu.random_arrays((2,), ())
    assert a.dtype == b.dtype == onp.float32 and b.shape == ()


def test_set_default_context_moves_array_creation():
    try:
        tu.set_default_context(mxnp.cpu(1))
        assert tu.default_context() == mxnp.cpu(1) and np.ones(2).device == mxnp.cpu(1)
        with mxnp.cpu(2):  # an open `with` block wins over the default
            assert np.ones(2).device == mxnp.cpu(2)
        assert np.ones(2).device == mxnp.cpu(1)
    finally:
        tu.set_default_device(mxnp.cpu(0))
    assert np.ones(2).device == mxnp.cpu(0) and tu.default_device() == mxnp.cpu(0)


def test_collapse_sum_like_and_np_reduce():
    x = onp.arange(24.0).reshape(2, 3, 4)
    assert onp.array_equal(tu.collapse_sum_like(x, (3, 1)), x.sum(axis=(0, 2))[:, None])
    assert tu.collapse_sum_like(onp.ones((0, 3)), (1, 3)).tolist() == [[0, 0, 0]]
    assert onp.array_equal(tu.np_reduce(x, (0, 2), True, onp.sum), x.sum((0, 2), keepdims=True))
    assert onp.array_equal(tu.np_reduce(x, -1, False, onp.max), x.max(-1))
    assert tu.np_reduce(x, None, False, onp.sum) == x.sum()


def test_environment_sets_and_restores(monkeypatch):
    monkeypatch.setenv("MXNP_TU_A", "old")
    monkeypatch.delenv("MXNP_TU_B", raising=False)
    with pytest.raises(RuntimeError), tu.environment({"MXNP_TU_A": None, "MXNP_TU_B": "1"}):
        assert "MXNP_TU_A" not in os.environ and os.environ["MXNP_TU_B"] == "1"
        raise RuntimeError
    assert os.environ["MXNP_TU_A"] == "old" and "MXNP_TU_B" not in os.environ
    with tu.environment("MXNP_TU_B", "2"):
        assert os.environ["MXNP_TU_B"] == "2"
    assert "MXNP_TU_B" not in os.environ


def test_flags_and_retry():
    assert tu.is_op_runnable() and not tu.has_tvm_ops()
    calls = []

    @tu.retry(3)
    def flaky():
        calls.append(1)
        assert len(calls) == 2

    flaky()
    assert len(calls) == 2
    with pytest.raises(AssertionError):
        tu.retry(2)(lambda: tu.assert_almost_equal(0, 1))()


class _WrongSquare(autograd.Function):
    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, g):
        return g * self.saved_tensors[0]  # should be 2 x g


def test_check_numeric_gradient_on_callables():
    a, b = onp.random.rand(3, 4), np.array(onp.random.rand(4, 2))
    tu.check_numeric_gradient(lambda a, b: np.dot(a, b), [a, b], rtol=1e-3, atol=1e-4)
    tu.check_numeric_gradient(lambda x, i: np.take(x, i), {"x": a, "i": np.array([0, 2])},
                              grad_nodes=["x"])
    with pytest.raises(AssertionError, match="wrong"):
        tu.check_numeric_gradient(lambda x: _WrongSquare()(x), [a])
    tu.check_numeric_gradient(lambda x, y: x * _WrongSquare()(y), [a, a], grad_nodes=[0])
    with pytest.raises(TypeError, match="a Symbol or a Python function"):
        tu.check_numeric_gradient(object(), [a])


def test_sampler_checks_and_test_matrices():
    stats = pytest.importorskip("scipy.stats")
    onp.random.seed(0)
    buckets, probs = tu.gen_buckets_probs_with_ppf(lambda p: stats.norm.ppf(p), 5)
    tu.verify_generator(lambda n: np.random.normal(0, 1, size=n), buckets, probs, nsamples=10000)
    with pytest.raises(AssertionError, match="Generator test fails"):
        tu.verify_generator(lambda n: np.random.normal(0.5, 1, size=n), buckets, probs,
                            nsamples=10000)
    assert tu.mean_check(lambda n: onp.random.normal(0, 1, size=n), 0, 1, nsamples=10000)
    m = tu.new_matrix_with_real_eigvals_nd((2, 3, 4, 4))
    assert m.shape == (2, 3, 4, 4) and onp.abs(onp.linalg.eigvals(m).imag).max() < 1e-8
    s = tu.new_sym_matrix_with_real_eigvals_nd((2, 3, 3))
    assert onp.allclose(s, s.swapaxes(-1, -2))


def test_mxnet_style_snippets_run_through_the_alias():
    code = textwrap.dedent("""
        import mxnp; mxnp.enable_mxnet_alias()
        import numpy as _np
        import mxnet as mx
        from mxnet import np, npx, autograd
        from mxnet.test_utils import assert_almost_equal, rand_ndarray, rand_shape_nd, use_np
        from mxnet.test_utils import same, collapse_sum_like, effective_dtype, environment
        from mxnet.test_utils import *  # np is NumPy from here on, as in MXNet

        @use_np
        def test_np_sum_grad():
            shape = rand_shape_nd(3)
            a = rand_ndarray(shape).as_np_ndarray()
            a.attach_grad()
            with mx.autograd.record():
                out = np.sum(a * 2, axis=0)
            out.backward()
            assert out.shape == shape[1:]
            assert_almost_equal(out.asnumpy(), (a.asnumpy() * 2).sum(axis=0), rtol=1e-3,
                                atol=1e-5)
            assert_almost_equal(a.grad, _np.full(shape, 2.0))
            assert same(collapse_sum_like(_np.ones(shape), (1,) + shape[1:]),
                        _np.full((1,) + shape[1:], shape[0]))
            assert effective_dtype(a) == _np.float32
            with environment('MXNET_SAFE_ACCUMULATION', '1'):
                assert_almost_equal(np.ones((2, 2)).sum(), 4)

        test_np_sum_grad()
        print(np.__name__, type(mx.test_utils.default_context()).__name__)
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["numpy", "Context"]  # NumPy's functions dispatch to mxnp


class _Executor:
    """A minimal executor of out = f(*args) on mxnp's autograd, with MXNet's interface."""

    def __init__(self, f, args, grads, reqs):
        self.f, self.arg_dict, self.grad_dict, self.reqs = f, args, grads, reqs
        self.outputs = []

    def forward(self, is_train=False):
        for name in self.grad_dict:
            self.arg_dict[name].attach_grad(self.reqs[name])
        with autograd.record(train_mode=is_train):
            self.outputs = [self.f(**self.arg_dict)]
        return self.outputs

    def backward(self, out_grads=None):
        self.outputs[0].backward(None if out_grads is None else out_grads[0])
        for name, g in self.grad_dict.items():
            g[:] = self.arg_dict[name].grad


class _Sym:
    """The part of the Symbol interface the symbolic checks use, around a Python function."""

    def __init__(self, f, names):
        self.f, self.names = f, names

    def list_arguments(self):
        return list(self.names)

    def list_outputs(self):
        return ["out_output"]

    def list_auxiliary_states(self):
        return []

    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None):
        return _Executor(self.f, args, args_grad or {}, grad_req)


def test_symbolic_checks_run_a_symbol_through_its_executor():
    sym = _Sym(lambda a, b: a * b + np.sin(a), ["a", "b"])
    a, b = onp.random.rand(3, 4), onp.random.rand(3, 4)
    outs = tu.check_symbolic_forward(sym, [a, b], [a * b + onp.sin(a)])
    assert outs[0].dtype == onp.float32  # inputs are cast to the check's dtype, as MXNet does
    with pytest.raises(AssertionError, match="EXPECTED_out_output"):
        tu.check_symbolic_forward(sym, {"a": a, "b": b}, [a * b])
    head = onp.random.rand(3, 4)
    grads = tu.check_symbolic_backward(sym, [a, b], [head],
                                       {"a": head * (b + onp.cos(a)), "b": head * a})
    assert set(grads) == {"a", "b"}
    tu.check_symbolic_backward(sym, [a, b], [head], {"b": head * a})  # only b is checked
    with pytest.raises(AssertionError, match="BACKWARD_a"):
        tu.check_symbolic_backward(sym, [a, b], [head], {"a": head * b})
    tu.check_numeric_gradient(sym, [a, b], numeric_eps=1e-3, rtol=1e-2, atol=1e-3)
    tu.check_numeric_gradient(sym, {"a": a, "b": b}, grad_nodes=["b"], dtype=onp.float64)
    wrong = _Sym(lambda a, b: a * b + _WrongSquare()(a), ["a", "b"])
    with pytest.raises(AssertionError, match="NUMERICAL_a"):
        tu.check_numeric_gradient(wrong, [a, b], dtype=onp.float64)
    with pytest.raises(ValueError, match="no value for the symbol's inputs"):
        tu.check_symbolic_forward(sym, {"a": a}, [a])
    with pytest.raises(ValueError, match=r"grad_nodes \['c'\]"):
        tu.check_numeric_gradient(sym, [a, b], grad_nodes=["c"])


def test_numeric_grad_is_central_differences_of_the_first_output():
    x = np.array([1.0, 2.0, 3.0], dtype="float64")
    ex = _Executor(lambda x: x ** 3, {"x": x}, {}, {})
    grads = tu.numeric_grad(ex, {"x": x.asnumpy()}, eps=1e-4, dtype=onp.float64)
    assert onp.allclose(grads["x"], 3 * x.asnumpy() ** 2, rtol=1e-6)


def test_small_helpers():
    onp.random.seed(1)
    a = np.arange(6.0)
    assert tu.same_array(a, a[:]) and not tu.same_array(a, a.copy())
    assert onp.array_equal(a.asnumpy(), onp.arange(6.0))  # the probe is undone
    picked = tu.random_sample(list(range(10)), 4)
    assert len(set(picked)) == 4 and set(picked) <= set(range(10))
    with pytest.raises(ValueError, match="random_sample"):
        tu.random_sample([1, 2], 3)
    x, y = tu.rand_coord_2d(0, 5, 10, 20)
    assert 0 <= x < 5 and 10 <= y < 20 and isinstance(x, onp.int64)
    assert tu.create_vector(4).asnumpy().tolist() == [0, 1, 2, 3]
    assert tu.create_2d_tensor(3, 2).asnumpy().tolist() == [[0, 0], [1, 1], [2, 2]]
    assert onp.array_equal(tu.get_identity_mat(3).asnumpy(), onp.eye(3))
    assert tu.get_identity_mat_batch(2).shape == (2, 2, 2)
    assert tu.current_context() == mxnp.cpu()
    with tu.discard_stderr():
        os.write(2, b"not shown\n")


def test_compare_optimizer_agrees_and_disagrees():
    tu.compare_optimizer(optimizer.SGD(learning_rate=0.1, momentum=0.9),
                         optimizer.SGD(learning_rate=0.1, momentum=0.9), (3, 4), "float32")
    tu.compare_optimizer(optimizer.Adam(), optimizer.Adam(), [(2, 3), (4,)], "float64",
                         ntensors=2)
    with pytest.raises(AssertionError):
        tu.compare_optimizer(optimizer.SGD(learning_rate=0.1), optimizer.SGD(learning_rate=0.2),
                             (3, 4), "float32")


def test_check_gluon_hybridize_consistency():
    def build():
        net = nn.HybridSequential()
        net.add(nn.Dense(4, activation="tanh"), nn.Dense(2))
        return net

    x = np.random.uniform(size=(3, 5))
    tu.check_gluon_hybridize_consistency(build, [x])
    with pytest.raises(AssertionError):
        tu.check_gluon_hybridize_consistency(build, [x], numpy_func=lambda x: onp.zeros((3, 2)))


def test_star_import_gives_what_mxnet_tests_use():
    # MXNet's test files do `from mxnet.test_utils import *` and then use mx, np (official
    # NumPy, even after their own `import numpy as np`), os and the helpers
    names = {}
    exec("from mxnp.test_utils import *", names)  # noqa: S102 - a fixed import statement
    assert names["mx"] is mxnp and names["np"] is onp
    assert names["assert_almost_equal"] is tu.assert_almost_equal and "os" in names
    assert "mx" in dir(tu)


def test_assign_each_simple_forward_and_dummy_iter():
    x = onp.array([[1.0, -2.0], [3.0, 4.0]])
    assert onp.array_equal(tu.assign_each(x, abs), onp.abs(x))
    assert onp.array_equal(tu.assign_each(x, None), x)
    assert onp.array_equal(tu.assign_each2(x, x, lambda a, b: a * b), x * x)
    with pytest.raises(ValueError, match="assign_each2"):
        tu.assign_each2(x, x[0], max)
    sym = _Sym(lambda a, b: a * b + 1, ["a", "b"])
    got = tu.simple_forward(sym, a=onp.ones(3), b=onp.full(3, 2.0))
    assert got.tolist() == [3.0, 3.0, 3.0]
    it = tu.DummyIter([("batch", 0), ("batch", 1)])
    assert [next(it) for _ in range(3)] == [("batch", 0)] * 3 and iter(it) is it


def test_star_import_gives_the_names_mxnets_test_utils_imports():
    from mxnp import ndarray as nd
    from mxnp import symbol, test_utils

    assert {"array", "Symbol"} <= set(test_utils.__all__)  # what ``import *`` takes
    assert test_utils.array is nd.array and test_utils.Symbol is symbol.Symbol
