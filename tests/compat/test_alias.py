"""The mxnet alias: `import mxnet` gives mxnp's own module objects, and can be undone."""
from __future__ import annotations


def _ok(proc) -> None:
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok"), proc.stdout + proc.stderr


def test_alias_resolves_to_mxnp_modules(run_python):
    _ok(run_python("""
        import sys
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet
        import mxnet as mx
        import mxnet.numpy, mxnet.autograd, mxnet.numpy_extension
        assert mxnet is mxnp and mx is mxnp
        assert mxnet.numpy is mxnp.numpy and sys.modules["mxnet.numpy"] is mxnp.numpy
        assert sys.modules["mxnet.autograd"] is mxnp.autograd
        assert sys.modules["mxnet.numpy_extension"] is mxnp.numpy_extension
        # the modules keep their own names and specs
        assert mxnp.numpy.__name__ == "mxnp.numpy" and mxnp.numpy.__spec__.name == "mxnp.numpy"
        assert mxnp.__spec__.name == "mxnp"
        print("ok")
    """))


def test_alias_from_mxnet_import_np_npx_autograd(run_python):
    _ok(run_python("""
        import mxnp
        mxnp.enable_mxnet_alias()
        from mxnet import np, npx, autograd
        assert np is mxnp.numpy and npx is mxnp.numpy_extension and autograd is mxnp.autograd
        print("ok")
    """))


def test_alias_enable_is_idempotent(run_python):
    _ok(run_python("""
        import sys
        import mxnp
        from mxnp.compat.alias import _FINDER
        mxnp.enable_mxnet_alias()
        mxnp.enable_mxnet_alias()
        import mxnet
        mxnp.enable_mxnet_alias()
        assert sys.meta_path.count(_FINDER) == 1 and sys.meta_path[0] is _FINDER
        assert sys.modules["mxnet"] is mxnp
        print("ok")
    """))


def test_alias_disable_removes_finder_and_entries(run_python):
    _ok(run_python("""
        import sys
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet.numpy
        mxnp.disable_mxnet_alias()
        assert not [n for n in sys.modules if n == "mxnet" or n.startswith("mxnet.")]
        try:
            import mxnet
        except ModuleNotFoundError:
            pass
        else:
            assert mxnet is not mxnp  # a real MXNet is installed here
        assert mxnp.numpy.__name__ == "mxnp.numpy"
        print("ok")
    """))


def test_alias_missing_submodule_names_both_modules(run_python):
    _ok(run_python("""
        import mxnp
        mxnp.enable_mxnet_alias()
        try:
            import mxnet.no_such_module
        except ModuleNotFoundError as err:
            assert err.name == "mxnet.no_such_module", err.name
            assert "'mxnet.no_such_module'" in str(err) and "'mxnp.no_such_module'" in str(err)
        else:
            raise AssertionError("no error")
        try:
            from mxnet import no_such_name
        except ImportError as err:
            assert "no_such_name" in str(err)
        else:
            raise AssertionError("no error")
        print("ok")
    """))


def test_alias_imports_modules_mxnp_keeps_under_another_name(run_python):
    # MXNet has module files mxnet/contrib/ndarray.py, mxnet/executor.py ...; mxnp holds the
    # same modules elsewhere, as attributes of the parent package
    _ok(run_python("""
        import sys
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet.contrib.ndarray as cnd, mxnet.contrib.symbol as csym, mxnet.executor
        from mxnet.ndarray import numpy as ndnp
        import mxnet as mx
        assert cnd is mx.contrib.ndarray and cnd.__name__ == "mxnp.ndarray.contrib"
        assert csym is mx.contrib.symbol and mxnet.executor is mx.executor and ndnp is mx.np
        assert sys.modules["mxnet.contrib.ndarray"] is cnd
        try:
            import mxnet.numpy.multiarray  # neither a module nor a module attribute here
        except ModuleNotFoundError as err:
            assert err.name == "mxnet.numpy.multiarray", err.name
        else:
            raise AssertionError("no error")
        mxnp.disable_mxnet_alias()
        assert not [n for n in sys.modules if n == "mxnet" or n.startswith("mxnet.")]
        print("ok")
    """))


def test_alias_keeps_errors_of_missing_dependencies(run_python, tmp_path):
    # A module of mxnp that exists but imports something missing keeps that error.
    (tmp_path / "needs_missing_dep.py").write_text("import no_such_dependency_xyz\n")
    _ok(run_python(f"""
        import mxnp
        mxnp.__path__.append({str(tmp_path)!r})
        mxnp.enable_mxnet_alias()
        try:
            import mxnet.needs_missing_dep
        except ModuleNotFoundError as err:
            assert err.name == "no_such_dependency_xyz", err
        else:
            raise AssertionError("no error")
        print("ok")
    """))


def test_alias_displaces_and_restores_an_imported_mxnet(run_python):
    _ok(run_python("""
        import sys, types
        real = types.ModuleType("mxnet")
        real_nd = types.ModuleType("mxnet.ndarray")
        sys.modules.update({"mxnet": real, "mxnet.ndarray": real_nd})
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet
        assert mxnet is mxnp and "mxnet.ndarray" not in sys.modules
        mxnp.disable_mxnet_alias()
        assert sys.modules["mxnet"] is real and sys.modules["mxnet.ndarray"] is real_nd
        print("ok")
    """))


def test_ipython_extension_loads_and_unloads(run_python):
    _ok(run_python("""
        import sys
        try:
            from IPython.core.interactiveshell import InteractiveShell
        except ImportError:
            print("IPython missing: ok")
            raise SystemExit
        import mxnp
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "mxnp")
        assert shell.run_cell("from mxnet import np").success
        assert shell.user_ns["np"] is mxnp.numpy
        shell.run_line_magic("unload_ext", "mxnp")
        assert "mxnet" not in sys.modules
        print("ok")
    """))
