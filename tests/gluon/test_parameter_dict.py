"""gluon.ParameterDict: repr, get/get_constant rules, bulk operations, save/load (mxref strings)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import cpu, gluon, init, npx
from mxnp import numpy as np

from .test_block_support import (
    Dense,
    Sequential,
    fresh_names,  # noqa: F401  (a fixture)
)

URL = "https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html"


def test_repr_of_dict_with_parameter_and_constant():
    pd = gluon.ParameterDict("pre_")
    pd.get("a", shape=(2,))
    pd.get_constant("c", [[1, 2]])
    # MXNet 1.9.1 (mxref)
    assert repr(pd) == ("pre_ (\n"
                        "  Parameter pre_a (shape=(2,), dtype=<class 'numpy.float32'>)\n"
                        "  Constant pre_c (shape=(1, 2), dtype=float32)\n"
                        ")")
    assert str(pd) == repr(pd)
    assert repr(gluon.ParameterDict()) == "(\n\n)"


def test_get_prefixes_creates_and_merges_shapes():
    pd = gluon.ParameterDict("pre_")
    a = pd.get("a", shape=(2, 0))
    assert pd.get("a", shape=(0, 3)) is a and a.shape == (2, 3)
    assert pd.get("a", dtype="float32") is a
    assert "pre_a" in pd and list(pd) == ["pre_a"] and pd["pre_a"] is a
    with pytest.raises(KeyError):
        pd["a"]


@pytest.mark.parametrize("kwargs, text", [
    ({"shape": (5, 3)}, "attribute 'shape': desired '(5, 3)' vs stored '(2, 3)'."),
    ({"dtype": "float64"},
     "attribute 'dtype': desired 'float64' vs stored '<class 'numpy.float32'>'."),
    ({"lr_mult": 2.0}, "attribute 'lr_mult': desired '2.0' vs stored '1.0'."),
])
def test_get_mismatch_errors(kwargs, text):
    pd = gluon.ParameterDict("pre_")
    pd.get("a", shape=(2, 3))
    with pytest.raises(AssertionError) as e:
        pd.get("a", **kwargs)
    # MXNet 1.9.1 (mxref)
    assert str(e.value) == ("Cannot retrieve Parameter 'pre_a' because desired attribute does not "
                            "match with stored for " + text)


def test_get_sets_attributes_that_were_none():
    pd = gluon.ParameterDict()
    a = pd.get("a")
    assert a.shape is None
    assert pd.get("a", shape=(4,)) is a and a.shape == (4,)


def test_get_constant_rules():
    pd = gluon.ParameterDict("pre_")
    pd.get("a", shape=(1,))
    with pytest.raises(KeyError) as e:
        pd.get_constant("zz")
    assert e.value.args[0] == ("No constant named 'pre_zz'. Please specify value if you want to "
                               "create a new constant.")
    with pytest.raises(AssertionError, match="^Parameter 'pre_a' already exists but it is not a "
                                             "constant.$"):
        pd.get_constant("a", [1.0])
    c = pd.get_constant("c", [1.0, 2.0])
    assert pd.get_constant("c", [1.0, 2.0]) is c and pd.get_constant("c") is c
    with pytest.raises(AssertionError, match="already exists but it's value doesn't match"):
        pd.get_constant("c", [1.0, 3.0])
    assert c.grad_req == "null"


def test_update_conflict_and_no_len():
    pd, pd2 = gluon.ParameterDict("pre_"), gluon.ParameterDict("pre_")
    pd.get("a")
    pd2.get("a")
    with pytest.raises(AssertionError, match="different Parameters with the same name 'pre_a'"):
        pd.update(pd2)
    pd.update(pd)  # the same Parameter again is fine
    with pytest.raises(TypeError):
        len(pd)


def test_shared_dict_hands_out_the_same_parameter():
    base = gluon.ParameterDict("d_")
    w = base.get("weight", shape=(2,))
    other = gluon.ParameterDict("d_", shared=base)
    assert other.get("weight") is w and list(other.keys()) == ["d_weight"]


def test_setattr_zero_grad_initialize_list_ctx():
    pd = gluon.ParameterDict("p_")
    pd.get("w", shape=(2,))
    pd.get("b", shape=(2,), init="ones")
    pd.initialize(init=init.Constant(2), ctx=[cpu(0), cpu(1)])
    assert pd["p_w"].data().tolist() == [2.0, 2.0] and pd["p_b"].data().tolist() == [1.0, 1.0]
    assert pd.list_ctx() == [cpu(0), cpu(1)]
    pd.setattr("lr_mult", 2.0)
    assert [p.lr_mult for p in pd.values()] == [2.0, 2.0]
    for p in pd.values():
        p.grad(cpu(1))[:] = 5
    pd.zero_grad()
    assert all(g.tolist() == [0.0, 0.0] for p in pd.values() for g in p.list_grad())
    pd.setattr("grad_req", "null")
    pd.zero_grad()
    pd.reset_ctx(cpu(1))
    assert pd.list_ctx() == [cpu(1)]


def test_initialize_verbose_works():
    pd = gluon.ParameterDict("v_")
    pd.get("w", shape=(2,))
    pd.initialize(verbose=True)  # MXNet's numpy mode fails here (legacy norm); mxnp prints
    assert pd["v_w"].data().shape == (2,)


def _two_params(prefix="net_"):
    pd = gluon.ParameterDict(prefix)
    pd.get("w", shape=(2, 3), init="ones")
    pd.get("b", shape=(3,), init="zeros")
    pd.initialize()
    return pd


def test_save_writes_full_names_in_mxnet_format(tmp_path):
    pd = _two_params()
    f = str(tmp_path / "pd.params")
    pd.save(f)
    with open(f, "rb") as fh:
        assert fh.read(8) == bytes([0x12, 1, 0, 0, 0, 0, 0, 0])
    assert list(npx.load(f)) == ["net_w", "net_b"]
    pd.save(f, strip_prefix="net_")
    assert list(npx.load(f)) == ["w", "b"]
    with pytest.raises(ValueError, match="^Prefix 'xx_' is to be striped before saving, but "
                                         "Parameter's name 'net_w' does not start with 'xx_'."):
        pd.save(f, strip_prefix="xx_")


def test_load_round_trip_and_tags(tmp_path):
    src = _two_params()
    src["net_w"].set_data(np.arange(6).reshape(2, 3))
    f = str(tmp_path / "pd.params")
    src.save(f, strip_prefix="net_")
    dst = gluon.ParameterDict("other_")
    dst.get("w", shape=(2, 0), allow_deferred_init=True)
    dst.get("b", shape=(3,))
    dst.load(f, restore_prefix="other_")
    assert dst["other_w"].shape == (2, 3)
    assert dst["other_w"].data().tolist() == [[0, 1, 2], [3, 4, 5]]
    tagged = {"arg:w": np.ones((2, 3)), "aux:b": np.full((3,), 2.0)}
    dst.load_dict(tagged, restore_prefix="other_")
    assert dst["other_b"].data().tolist() == [2.0, 2.0, 2.0]


def test_load_errors_name_the_file(tmp_path):
    f = str(tmp_path / "legacy.params")
    npx.save(f, {"dense0_weight": np.ones((2, 3)), "dense0_bias": np.ones(2)})
    pd = gluon.ParameterDict("sequential2_")
    pd.get("dense13_weight", shape=(2, 3))
    with pytest.raises(AssertionError) as e:
        pd.load(f)
    # MXNet 1.9.1 (mxref)
    assert str(e.value) == (f"Parameter 'sequential2_dense13_weight' is missing in file: {f}, "
                            "which contains parameters: 'dense0_weight', 'dense0_bias'. Please "
                            "make sure source and target networks have the same prefix.For more "
                            f"info on naming, please see {URL}")
    with pytest.raises(AssertionError) as e:
        pd.load(f, restore_prefix="sequential0_")
    assert str(e.value) == ("restore_prefix is 'sequential0_' but Parameters name "
                            "'sequential2_dense13_weight' does not start with 'sequential0_'. For "
                            f"more info on naming, please see {URL}")
    with pytest.raises(AssertionError, match="^Parameter 'dense0_weight' loaded from file: "):
        pd.load(f, allow_missing=True)
    pd.load(f, allow_missing=True, ignore_extra=True)
    assert pd["sequential2_dense13_weight"]._data is None


def test_brief_print_list_elides_long_lists(tmp_path):
    f = str(tmp_path / "many.params")
    npx.save(f, {f"k{i}": np.ones(1) for i in range(9)})
    pd = gluon.ParameterDict()
    pd.get("missing", shape=(1,))
    with pytest.raises(AssertionError, match="'k0', 'k1', 'k2', ..., 'k5', 'k6', 'k7', 'k8'\\."):
        pd.load(f)


def test_load_dtype_rules(tmp_path):
    f = str(tmp_path / "d.params")
    npx.save(f, {"w": np.ones((2,), dtype="float32")})
    pd = gluon.ParameterDict()
    pd.get("w", shape=(2,), dtype="float64")
    with pytest.raises(AssertionError) as e:
        pd.load(f)
    assert str(e.value) == ("Failed loading Parameter 'w' from saved params: dtype incompatible "
                            "expected float64 vs saved float32. Set cast_dtype=True to cast the "
                            "dtype of saved params.")
    pd.load(f, cast_dtype=True)
    assert pd["w"].data().dtype == onp.float64
    pd2 = gluon.ParameterDict()
    pd2.get("w", shape=(2,), dtype="float64")
    pd2.load(f, cast_dtype=True, dtype_source="saved")
    assert pd2["w"].data().dtype == onp.float32 and pd2["w"].dtype == onp.float32
    # already initialized: the saved dtype still replaces the arrays (MXNet 1.9.1, mxref), and
    # the gradient follows
    pd3 = gluon.ParameterDict()
    pd3.get("w", shape=(2,), dtype="float16")
    pd3.initialize()
    pd3.load(f, cast_dtype=True, dtype_source="saved")
    w = pd3["w"]
    assert w.data().dtype == w.grad().dtype == onp.float32 and w.dtype == onp.float32
    assert w.data().asnumpy().tolist() == [1.0, 1.0]


@pytest.mark.usefixtures("fresh_names")
def test_collect_params_dict_of_block():
    s = Sequential()
    s.add(Dense(256), Dense(10))
    # MXNet 1.9.1 (mxref), with nn.Sequential and nn.Dense
    assert repr(s.collect_params()) == (
        "sequential0_ (\n"
        "  Parameter dense0_weight (shape=(256, -1), dtype=float32)\n"
        "  Parameter dense0_bias (shape=(256,), dtype=float32)\n"
        "  Parameter dense1_weight (shape=(10, -1), dtype=float32)\n"
        "  Parameter dense1_bias (shape=(10,), dtype=float32)\n"
        ")")
    assert repr(s.params) == "sequential0_ (\n\n)"


def test_load_dict_errors_say_param_dict():
    pd = gluon.ParameterDict()
    pd.get("w", shape=(2,))
    with pytest.raises(AssertionError) as e:
        pd.load_dict({"x": np.ones(2)})
    # MXNet 1.9.1 (mxref)
    assert str(e.value) == ("Parameter 'w' is missing in param_dict, which contains parameters: "
                            "'x'. Please make sure source and target networks have the same "
                            f"prefix.For more info on naming, please see {URL}")
    with pytest.raises(AssertionError) as e:
        pd.load_dict({"x": np.ones(2)}, allow_missing=True)
    assert str(e.value) == ("Parameter 'x' loaded from param_dict is not present in ParameterDict, "
                            "choices are: 'w'. Set ignore_extra to True to ignore. Please make "
                            "sure source and target networks have the same prefix.For more info "
                            f"on naming, please see {URL}")
