"""The legacy operator table that mx.nd and mx.sym share: rows, aliases and attribute parsing."""
from __future__ import annotations

import inspect

import numpy as onp
import pytest

import mxnp.ndarray as nd
from mxnp.ndarray._registry import OPS, LegacyOp, parse_attrs, parse_value

CORE = ("FullyConnected", "Convolution", "Activation", "Pooling", "BatchNorm", "Flatten",
        "Dropout", "softmax", "SoftmaxOutput", "elemwise_add", "Concat", "relu", "Reshape")
JSON_NAMES = ("_plus_scalar", "_minus_scalar", "_mul_scalar", "_div_scalar", "_rminus_scalar",
              "_Plus", "_plus", "elemwise_add", "broadcast_add", "_copy")


@pytest.mark.parametrize("name", CORE + JSON_NAMES)
def test_registry_has_core_and_json_names(name):
    assert isinstance(OPS[name], LegacyOp)
    assert callable(OPS[name].fn)


def test_registry_fn_is_the_public_operator():
    assert OPS["FullyConnected"].fn is nd.FullyConnected
    assert OPS["elemwise_add"] is OPS["_plus"] and OPS["broadcast_add"] is OPS["broadcast_plus"]
    assert OPS["Concat"].fn is nd.Concat and OPS["Concat"].variadic


def test_registry_inputs_aux_and_outputs():
    fc = OPS["FullyConnected"]
    assert fc.inputs == ("data", "weight", "bias")
    assert fc.present_inputs({"no_bias": True}) == ("data", "weight")
    assert fc.present_inputs({"no_bias": False}) == ("data", "weight", "bias")
    assert OPS["Deconvolution"].present_inputs({}) == ("data", "weight")
    assert OPS["Deconvolution"].present_inputs({"no_bias": False}) == fc.inputs
    bn = OPS["BatchNorm"]
    assert bn.aux == ("moving_mean", "moving_var")
    assert bn.outputs({}) == 1 and bn.outputs({"output_mean_var": True}) == 3


def test_operator_signature_is_real():
    params = inspect.signature(nd.FullyConnected).parameters
    assert list(params)[:4] == ["data", "weight", "bias", "num_hidden"]
    assert "out" in params and "name" in params
    assert nd.FullyConnected.__doc__


@pytest.mark.parametrize("text, value", [
    ("(3, 3)", (3, 3)), ("(3,3)", (3, 3)), ("True", True), ("False", False), ("true", True),
    ("64", 64), ("1e-05", 1e-05), ("None", None), ("relu", "relu"), ("float32", "float32"),
    ("[1, 2]", [1, 2]), ("(None, 1)", (None, 1)), ("-1", -1), ("NCHW", "NCHW"),
])
def test_parse_value(text, value):
    assert parse_value(text) == value and type(parse_value(text)) is type(value)


def test_parse_value_inf_nan_and_no_code():
    assert parse_value("inf") == float("inf") and parse_value("-inf") == float("-inf")
    assert onp.isnan(parse_value("nan"))
    # text that looks like code stays text: nothing is evaluated
    assert parse_value("__import__('os').getcwd()") == "__import__('os').getcwd()"


def test_parse_attrs_drops_node_attributes():
    got = parse_attrs("Convolution", {"kernel": "(3, 3)", "num_filter": "8", "no_bias": "True",
                                      "__lr_mult__": "2.0", "__profiler_scope__": "conv:"})
    assert got == {"kernel": (3, 3), "num_filter": 8, "no_bias": True}
    with pytest.raises(TypeError, match="parse_attrs"):
        parse_attrs("Convolution", [("kernel", "(3,3)")])


def test_parsed_attrs_run_the_operator():
    x = nd.array(onp.arange(6).reshape(2, 3))
    w = nd.ones((4, 3))
    attrs = parse_attrs("FullyConnected", {"num_hidden": "4", "no_bias": "True"})
    y = OPS["FullyConnected"].fn(x, w, **attrs)
    assert isinstance(y, nd.NDArray)
    onp.testing.assert_allclose(y.asnumpy(), onp.arange(6).reshape(2, 3) @ onp.ones((3, 4)))
    s = OPS["_mul_scalar"].fn(x, **parse_attrs("_mul_scalar", {"scalar": "2.5"}))
    onp.testing.assert_allclose(s.asnumpy(), onp.arange(6).reshape(2, 3) * 2.5)


def test_errors_name_the_operator_and_the_inputs():
    with pytest.raises(Exception, match=r"FullyConnected: .*\(4, 5\).*inputs: \(2, 3\) float32"):
        nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 5)), nd.zeros(4), num_hidden=4)
    with pytest.raises(TypeError, match="take: .*bogus"):
        nd.take(nd.ones((2, 3)), nd.ones((1,)), bogus=1)
    with pytest.raises(ValueError, match="Cast: no dtype"):
        nd.Cast(nd.ones(2))
