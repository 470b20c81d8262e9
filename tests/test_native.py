"""The compiled core's guard: a build that no longer matches its source never runs."""
import ast
import importlib.machinery
import pathlib
import sys

import numpy as onp
import pytest

from mxnp import _native

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def meta_path(monkeypatch):
    # without the finder this process may run with (MXNP_PURE_PYTHON=1, a stale build)
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path
                                           if not isinstance(f, _native._Sources)])
    return sys.meta_path


def _finders(meta_path):
    return [f for f in meta_path if isinstance(f, _native._Sources)]


def test_setup_compiles_what_the_guard_lists():
    tree = ast.parse((ROOT / "setup.py").read_text())
    listed = next(ast.literal_eval(n.value) for n in tree.body
                  if isinstance(n, ast.Assign) and n.targets[0].id == "COMPILED")
    assert listed == _native.COMPILED
    for name in listed:
        assert pathlib.Path(_native.source(name)).is_file()


def test_no_build_needs_no_finder(meta_path, monkeypatch):
    monkeypatch.setattr(_native, "_built", dict)
    monkeypatch.delenv("MXNP_PURE_PYTHON", raising=False)
    _native.guard()
    assert _finders(meta_path) == []


def test_a_matching_build_runs(meta_path, monkeypatch):
    monkeypatch.setattr(_native, "_built", lambda: {n: _native.source_hash(n)
                                                    for n in _native.COMPILED})
    monkeypatch.delenv("MXNP_PURE_PYTHON", raising=False)
    _native.guard()
    assert _finders(meta_path) == []


def test_a_stale_build_gives_way_to_its_source(meta_path, monkeypatch):
    hashes = {n: _native.source_hash(n) for n in _native.COMPILED}
    hashes["mxnp._tape"] = "not-this"  # compiled from an older _tape.py
    monkeypatch.setattr(_native, "_built", lambda: hashes)
    monkeypatch.delenv("MXNP_PURE_PYTHON", raising=False)
    with pytest.warns(RuntimeWarning, match=r"compiled mxnp\._tape predate their source"):
        _native.guard()
    (finder,) = _finders(meta_path)
    assert finder.names == {"mxnp._tape"}
    spec = finder.find_spec("mxnp._tape")
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)
    assert spec.origin == _native.source("mxnp._tape")
    assert finder.find_spec("mxnp._ops.primitive") is None


def test_pure_python_asked_for(meta_path, monkeypatch):
    monkeypatch.setattr(_native, "_built", lambda: {n: _native.source_hash(n)
                                                    for n in _native.COMPILED})
    monkeypatch.setenv("MXNP_PURE_PYTHON", "1")
    _native.guard()
    _native.guard()  # once is enough
    (finder,) = _finders(meta_path)
    assert finder.names == set(_native.COMPILED)


def test_compiled_names_the_modules_that_run_compiled():
    running = _native.compiled()
    for name in _native.COMPILED:
        loader = sys.modules[name].__spec__.loader
        assert (name in running) == isinstance(loader, importlib.machinery.ExtensionFileLoader)


def test_libm_is_the_built_module_unless_pure_python_is_asked_for(monkeypatch):
    monkeypatch.setenv("MXNP_PURE_PYTHON", "1")
    assert _native.libm() is None  # the pure-Python path rounds float64 results instead
    monkeypatch.delenv("MXNP_PURE_PYTHON")
    built = any((ROOT / "mxnp").glob("_libm*.so")) or any((ROOT / "mxnp").glob("_libm*.pyd"))
    module = _native.libm()
    assert (module is not None) == built
    if module is not None:
        assert len(module.NAMES) == 25 and {"tanh", "gamma", "power", "sigmoid"} <= set(module.NAMES)
        with pytest.raises(ValueError, match="the arrays differ in dtype or size"):
            module.apply("exp", onp.zeros(3, "float32"), onp.zeros(2, "float32"))
        with pytest.raises(ValueError, match="expected float32 or float64 arrays"):
            module.apply("exp", onp.zeros(3, "int32"), onp.zeros(3, "int32"))
        with pytest.raises(ValueError, match="power takes 2 arrays"):
            module.apply("power", onp.zeros(3, "float32"), onp.zeros(3, "float32"))
        with pytest.raises(ValueError, match="whole number of rows"):
            module.kahan_sum(onp.zeros(3, "float32"), onp.zeros(4, "float32"))
        x = onp.linspace(-2, 2, 12, dtype="float64").reshape(3, 4)
        for a in (x, x.T, x.astype("float32")[:, ::2]):  # a new array, the input's shape
            out = module.unary(module.index("tanh"), a)
            want = onp.empty_like(a, order="C")
            module.apply("tanh", want, onp.ascontiguousarray(a))
            assert out.shape == a.shape and out.dtype == a.dtype
            onp.testing.assert_array_equal(out, want)
        with pytest.raises(ValueError, match=f"no function {len(module.UNARY)}"):
            module.unary(len(module.UNARY), x)
        with pytest.raises(ValueError, match="expected float32 or float64 arrays"):
            module.unary(0, onp.zeros(3, "int32"))
