"""mxnet.util's NumPy-semantics switches (MXNet's: off at start, set by npx.set_np) and helpers."""
from __future__ import annotations

import os

import numpy as onp
import pytest

import mxnp
from mxnp import base, np, npx, util
from mxnp.numpy_op_signature import _get_builtin_op


@pytest.fixture
def switches_off():
    saved = (util.is_np_shape(), util.is_np_array())
    npx.reset_np()
    yield
    util.set_np_shape(saved[0])
    util.set_np_array(saved[1])


def test_set_np_and_reset_np_as_mxnet_reports_them(switches_off):
    # Recorded with mxref after npx.reset_np(): (False, False); set_np -> (True, True);
    # set_np(shape=True, array=False) -> (True, False); array without shape is an error.
    assert (util.is_np_shape(), util.is_np_array()) == (False, False)
    npx.set_np()
    assert (npx.is_np_shape(), npx.is_np_array()) == (True, True)
    npx.set_np(shape=True, array=False)
    assert (util.is_np_shape(), util.is_np_array()) == (True, False)
    with pytest.raises(ValueError, match="Shape semantics is required"):
        npx.set_np(shape=False, array=True)
    npx.reset_np()
    assert (util.is_np_shape(), util.is_np_array()) == (False, False)


def test_use_np_switches_on_for_the_call_only(switches_off):
    def f(x):
        return x * 2, util.is_np_array(), util.is_np_shape()

    class Model:
        def __init__(self):
            self.seen = util.is_np_array()

        def forward(self):
            return util.is_np_shape()

    g = util.use_np(f)
    out, array_on, shape_on = g(np.ones(2))
    assert out.tolist() == [2., 2.] and array_on and shape_on
    assert g.__name__ == "f" and not util.is_np_array()
    assert util.use_np(Model) is Model
    m = Model()
    assert m.seen and m.forward() and not util.is_np_shape()
    assert util.use_np_array(f)(np.ones(1))[1:] == (True, False)
    assert util.use_np_shape(f)(np.ones(1))[1:] == (False, True)
    with pytest.raises(TypeError, match="use_np"):
        util.use_np(3)


def test_scopes_restore_and_set_returns_previous(switches_off):
    with util.np_shape(True), util.np_array(True):
        assert util.is_np_shape() and util.is_np_array()
        with util.np_array(False):
            assert not util.is_np_array()
        assert util.is_np_array()
    assert not util.is_np_shape() and not util.is_np_array()
    assert util.set_np_shape(True) is False
    assert util.set_np_shape(False) is True
    assert not util.is_np_shape()


def test_env_helpers_round_trip(monkeypatch):
    monkeypatch.delenv("MXNP_TEST_VAR", raising=False)
    assert util.getenv("MXNP_TEST_VAR") is None
    util.setenv("MXNP_TEST_VAR", 3)
    assert util.getenv("MXNP_TEST_VAR") == "3"
    util.setenv("MXNP_TEST_VAR", None)
    assert util.getenv("MXNP_TEST_VAR") is None


def test_gpu_count_matches_npx_and_the_alias_reaches_util():
    assert util.get_gpu_count() == mxnp.npx.num_gpus()
    assert mxnp.util is util


def test_set_module_and_ufunc_keyword_checks():
    @util.set_module("mxnet.numpy")
    def f(x, out=None):
        return x
    assert f.__module__ == "mxnet.numpy"
    # MXNet 1.9.1's answers (mxref): legal options that differ from NumPy's defaults
    assert util.np_ufunc_legal_option("casting", "unsafe")
    assert not util.np_ufunc_legal_option("casting", "sometimes")
    assert util.np_ufunc_legal_option("dtype", "float16") and util.np_ufunc_legal_option("dtype", onp.int8)
    assert not util.np_ufunc_legal_option("dtype", "complex64")
    assert not util.np_ufunc_legal_option("axis", 0)
    unary, binary = util.wrap_np_unary_func(f), util.wrap_np_binary_func(lambda a, b, out=None: a + b)
    assert unary(3, casting="same_kind", where=True) == 3 and binary(1, 2, subok=True) == 3
    with pytest.raises(NotImplementedError, match="casting=unsafe is not implemented yet"):
        unary(3, casting="unsafe")
    with pytest.raises(TypeError, match="casting=sometimes not understood"):
        unary(3, casting="sometimes")
    with pytest.raises(TypeError, match="axis is an invalid keyword to function"):
        binary(1, 2, axis=0)


def test_base_type_groups_and_names():
    assert isinstance(onp.int64(3), base.integer_types) and not isinstance(3.0, base.integer_types)
    assert isinstance(onp.float32(1), base.numeric_types) and isinstance(2, base.numeric_types)
    assert base.py_str(b"abc") == "abc" and base.py_str("x") == "x"
    assert base._as_list(3) == [3] and base._as_list((1, 2)) == [1, 2]


def test_base_data_dir_follows_mxnet_home_at_each_call(monkeypatch):
    # mxref (MXNet 1.9.1, Linux): data_dir() is $MXNET_HOME when set, else ~/.mxnet, which is
    # also data_dir_default() whatever MXNET_HOME says
    home = os.path.join(os.path.expanduser("~"), ".mxnet")
    monkeypatch.delenv("MXNET_HOME", raising=False)
    assert base.data_dir() == home == base.data_dir_default()
    monkeypatch.setenv("MXNET_HOME", "/x/y")
    assert base.data_dir() == "/x/y" and base.data_dir_default() == home


def test_builtin_op_names_map_to_functions():
    assert _get_builtin_op("_np_sum") is np.sum
    assert _get_builtin_op("_np_linalg_svd") is np.linalg.svd
    assert _get_builtin_op("_np_random_uniform") is np.random.uniform
    assert _get_builtin_op("_npx_relu") is npx.relu
    assert _get_builtin_op("Convolution") is None
    with pytest.raises(ValueError, match="no operator 'nothere' in mxnp.numpy"):
        _get_builtin_op("_np_nothere")


def test_the_switches_are_also_top_level_names_as_in_mxnet():
    # MXNet 1.9.1 (mxref): mx.np_shape, mx.is_np_shape ... are mxnet.util's functions
    import mxnp
    for name in ("is_np_array", "is_np_shape", "np_array", "np_shape", "set_np_shape", "use_np",
                 "use_np_array", "use_np_shape"):
        assert getattr(mxnp, name) is getattr(util, name) and name in dir(mxnp)
