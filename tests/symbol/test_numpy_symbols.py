"""The numpy face of Symbols: ``as_np_ndarray()``, ``mx.sym.np``/``mx.sym.npx`` nodes run by the
executor against NumPy, their gradients against central differences, and the operator names
MXNet 1.9.1 writes for them (recorded from MXNet, shown per test)."""
import json

import numpy as onp
import pytest

import mxnp as mx
from mxnp import numpy as np
from mxnp import symbol as sym
from mxnp.test_utils import check_numeric_gradient


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def _vars(*names):
    return [sym.Variable(n).as_np_ndarray() for n in names]


# name, the Symbol from numpy-face variables, NumPy's answer, the input shapes
CASES = [
    ("tensordot", lambda a, b: sym.np.tensordot(a, b, ((1, 0), (0, 1))),
     lambda x, y: onp.tensordot(x, y, ((1, 0), (0, 1))), [(2, 3), (3, 2)]),
    ("tensordot_int_axes", lambda a, b: sym.np.tensordot(a, b, 1),
     lambda x, y: onp.tensordot(x, y, 1), [(2, 3), (3, 4)]),
    ("dot", lambda a, b: sym.np.dot(a, b), onp.dot, [(2, 3), (3, 4)]),
    ("vdot", lambda a, b: sym.np.vdot(a, b), onp.vdot, [(2, 3), (2, 3)]),
    ("inner", lambda a, b: sym.np.inner(a, b), onp.inner, [(2, 3), (4, 3)]),
    ("outer", lambda a, b: sym.np.outer(a, b), onp.outer, [(3,), (4,)]),
    ("sum", lambda a: sym.np.sum(a, axis=1, keepdims=True),
     lambda x: onp.sum(x, axis=1, keepdims=True), [(2, 3)]),
    ("mean", lambda a: sym.np.mean(a, axis=(0, 2)), lambda x: onp.mean(x, axis=(0, 2)),
     [(2, 3, 4)]),
    ("prod", lambda a: sym.np.prod(a, axis=0), lambda x: onp.prod(x, axis=0), [(3, 4)]),
    ("stack", lambda a, b: sym.np.stack([a, b], axis=1), lambda x, y: onp.stack([x, y], 1),
     [(2, 3), (2, 3)]),
    ("roll", lambda a: sym.np.roll(a, shift=2, axis=0), lambda x: onp.roll(x, 2, axis=0),
     [(4, 3)]),
    ("linalg.det", lambda a: sym.np.linalg.det(a), onp.linalg.det, [(2, 3, 3)]),
    ("einsum", lambda a, b: sym.np.einsum("ij,jk->ik", a, b),
     lambda x, y: onp.einsum("ij,jk->ik", x, y), [(2, 3), (3, 4)]),
    ("operators", lambda a, b: (a + 1) * b - a / (b + 2) + 2 ** a,
     lambda x, y: (x + 1) * y - x / (y + 2) + 2 ** x, [(2, 3), (2, 3)]),
]
IDS = [c[0] for c in CASES]


def _inputs(shapes, dtype="float64"):
    rng = onp.random.default_rng(0)
    return [rng.uniform(0.5, 1.5, s).astype(dtype) for s in shapes]


@pytest.mark.parametrize(("name", "build", "reference", "shapes"), CASES, ids=IDS)
def test_np_symbol_forward_matches_numpy(name, build, reference, shapes):
    names = "ab"[:len(shapes)]
    out = build(*_vars(*names))
    assert type(out) is sym.np._Symbol
    xs = _inputs(shapes)
    want = reference(*xs)
    executor = out.bind(mx.cpu(), {n: np.array(x) for n, x in zip(names, xs)})
    got = executor.forward()[0]
    assert got.shape == onp.shape(want)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)
    evaluated = out.eval(**{n: np.array(x) for n, x in zip(names, xs)})[0]
    onp.testing.assert_allclose(evaluated.asnumpy(), want, rtol=1e-6)


@pytest.mark.parametrize(("name", "build", "reference", "shapes"), CASES, ids=IDS)
@pytest.mark.parametrize("dtype", [onp.float32, onp.float64])
def test_np_symbol_numeric_gradient(name, build, reference, shapes, dtype):
    # MXNet's own tests: build on numpy-face variables, check the legacy face of the result
    out = build(*_vars(*"ab"[:len(shapes)])).as_nd_ndarray()
    assert type(out) is sym.Symbol
    location = [mx.nd.array(x, dtype=dtype) for x in _inputs(shapes, dtype)]
    check_numeric_gradient(out, location, rtol=1e-1, atol=1e-1, dtype=dtype)
    check_numeric_gradient(out, dict(zip("ab", location)), numeric_eps=1e-3, rtol=1e-2,
                           atol=1e-3, dtype=onp.float64)


def test_as_np_ndarray_gives_the_numpy_symbol_type():
    a, b, c = sym.Variable("a"), sym.Variable("b"), sym.Variable("c")
    # MXNet: type(mx.sym.np.stack([...])) == mx.sym.np._Symbol; repr '<_Symbol a>'
    stacked = sym.np.stack([a.as_np_ndarray(), b.as_np_ndarray(), c.as_np_ndarray()])
    assert type(stacked) == sym.np._Symbol
    np_a = a.as_np_ndarray()
    assert repr(np_a) == "<_Symbol a>" and np_a.as_np_ndarray() is np_a
    assert a.as_nd_ndarray() is a  # MXNet: a legacy Symbol's as_nd_ndarray is itself
    legacy = stacked.as_nd_ndarray()
    assert type(legacy) is sym.Symbol and legacy.tojson() == stacked.tojson()
    assert sym.np is sym.numpy and sym.npx is sym.numpy_extension


def test_group_outputs_keep_the_numpy_type():
    group = sym.Group([sym.Variable("a"), sym.Variable("b")]).as_np_ndarray()
    assert type(group[1]) is sym.np._Symbol and group[1].name == "b"
    assert [type(s) for s in group] == [sym.np._Symbol] * 2
    with pytest.raises(NotImplementedError, match="indexing the values"):
        group[0][0]


def _ops(symbol):
    nodes = json.loads(symbol.tojson())["nodes"]
    return [(n["op"], n["name"], n.get("attrs")) for n in nodes if n["op"] != "null"]


def test_nodes_carry_mxnet_operator_names():
    a, b = _vars("a", "b")
    # what MXNet 1.9.1 writes for the same calls
    assert _ops(sym.np.sum(a, axis=1, dtype="float32", keepdims=True)) == [
        ("_np_sum", "sum0", {"axis": "1", "dtype": "float32", "keepdims": "True"})]
    assert _ops(sym.np.prod(a, axis=1)) == [("_np_prod", "prod0", {"axis": "1"})]
    assert _ops(sym.np.mean(a, axis=(0, 1), keepdims=True)) == [
        ("_npi_mean", "mean0", {"axis": "(0, 1)", "keepdims": "True"})]
    assert _ops(sym.np.roll(a, shift=2, axis=0)) == [
        ("_np_roll", "roll0", {"axis": "0", "shift": "2"})]
    assert _ops(sym.np.linalg.det(a)) == [("_linalg_det", "det0", None)]
    assert _ops(sym.np.dot(a, b)) == [("_np_dot", "dot0", None)]
    assert _ops(sym.np.stack([a, b]))[0][:2] == ("_npi_stack", "stack0")
    assert _ops(sym.npx.relu(a)) == [("_npx_relu", "relu0", None)]
    assert _ops(a.reshape((2, 3))) == [
        ("_np_reshape", "reshape0", {"newshape": "(2, 3)", "order": "C"})]


def test_operators_carry_mxnet_operator_names():
    a, b = _vars("a", "b")
    assert _ops(a + b) == [("_npi_add", "add0", None)]
    assert _ops(a + 1) == [("_npi_add_scalar", "add_scalar0",
                            {"is_int": "True", "scalar": "1.0"})]
    assert _ops(a * 2.5) == [("_npi_multiply_scalar", "multiply_scalar0",
                              {"is_int": "False", "scalar": "2.5"})]
    assert _ops(-a) == [("_npi_multiply_scalar", "multiply_scalar1",
                         {"is_int": "False", "scalar": "-1.0"})]
    assert _ops(a ** 2)[0][:2] == ("_npi_power_scalar", "power_scalar0")
    assert _ops(2 - a)[0][:2] == ("_npi_rsubtract_scalar", "rsubtract_scalar0")
    assert _ops(a / b) == [("_npi_true_divide", "true_divide0", None)]
    assert _ops(a == b) == [("_npi_equal", "equal0", None)]
    assert _ops(a > 0)[0][:2] == ("_npi_greater_scalar", "greater_scalar0")


def test_comparisons_and_reversed_scalars_compute_numpy():
    a, = _vars("a")
    x = onp.array([[-1.0, 0.5, 2.0]])
    outs = sym.Group([1 < a, 3 - a, 2 / a, 2 ** a, a % 0.75]).eval(a=np.array(x))
    wants = [1 < x, 3 - x, 2 / x, 2 ** x, onp.mod(x, 0.75)]
    for got, want in zip(outs, wants):
        onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)


def test_function_nodes_round_trip_through_json():
    a, b = _vars("a", "b")
    out = sym.np.vdot(a, b) + sym.np.einsum("ij,ij->", a, b)
    assert [op for op, _, _ in _ops(out)] == ["np.vdot", "np.einsum", "_npi_add"]
    x, y = _inputs([(2, 3), (2, 3)])
    loaded = sym.load_json(out.tojson())
    got = loaded.eval(a=np.array(x), b=np.array(y))[0]
    onp.testing.assert_allclose(got.asnumpy(), 2 * onp.vdot(x, y), rtol=1e-6)


def test_shape_inference_runs_the_numpy_function():
    a, b = _vars("a", "b")
    # MXNet: ([(2, 3), (2, 3)], [()], [])
    assert sym.np.tensordot(a, b, 2).infer_shape(a=(2, 3), b=(2, 3)) == \
        ([(2, 3), (2, 3)], [()], [])


def test_legacy_symbols_and_out_are_refused():
    a, = _vars("a")
    with pytest.raises(TypeError, match="as_np_ndarray"):
        sym.np.sum(sym.Variable("z"))  # MXNet raises TypeError too
    with pytest.raises(TypeError, match="as_np_ndarray"):
        a + sym.Variable("z")
    with pytest.raises(TypeError, match="out= has no meaning"):
        sym.np.sum(a, out=a)
    with pytest.raises(TypeError, match=r"mx.sym.np.tensordot: .*argument"):
        sym.np.tensordot(a)
    with pytest.raises(AttributeError, match="no attribute 'not_a_function'"):
        sym.np.not_a_function  # noqa: B018


def test_several_outputs_are_refused_with_a_clear_error():
    a, = _vars("a")
    with pytest.raises(mx.MXNetError, match="returns 2 arrays"):
        sym.np.split(a, 2).eval(a=np.ones((4,)))


def test_namespaces_list_their_functions():
    assert {"tensordot", "stack", "linalg", "random", "_Symbol"} <= set(dir(sym.np))
    assert "det" in dir(sym.np.linalg) and "uniform" in dir(sym.np.random)
    assert "relu" in dir(sym.npx)
    sample = sym.np.random.uniform(0, 1, size=(2, 3)).eval()[0]
    assert sample.shape == (2, 3)
