"""mxnet.util's NumPy-semantics switches: documented no-ops, since mxnp is always NumPy-like."""
from __future__ import annotations

import pytest

import mxnp
from mxnp import np, util


def test_use_np_returns_functions_and_classes_unchanged():
    def f(x):
        return x * 2

    class Model:
        pass

    assert util.use_np(f) is f and util.use_np(Model) is Model
    assert util.use_np_shape(f) is f and util.use_np_array(f) is f
    assert f(np.ones(2)).tolist() == [2., 2.]


def test_scopes_and_queries():
    with util.np_shape(True), util.np_array(True):
        assert util.is_np_shape() and util.is_np_array()
        assert np.zeros(()).shape == ()
    assert util.set_np_shape(True) is True
    with pytest.raises(ValueError, match="set_np_shape"):
        util.set_np_shape(False)


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
