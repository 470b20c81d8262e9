"""Under the mxnet alias, type(x) shows MXNet's class name; without it, mxnp's own."""
from __future__ import annotations


def test_type_shows_mxnet_name_only_while_the_alias_is_on(run_python):
    proc = run_python("""
        import pickle
        import mxnp
        x = mxnp.np.ones(2)
        print(type(x))
        mxnp.enable_mxnet_alias()
        from mxnet import np
        print(type(np.ones(2)))
        assert pickle.loads(pickle.dumps(x)).tolist() == [1.0, 1.0]
        import mxnet.numpy
        assert mxnet.numpy.ndarray is type(x)
        mxnp.disable_mxnet_alias()
        print(type(x))
        assert pickle.loads(pickle.dumps(x)).tolist() == [1.0, 1.0]
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        "<class 'mxnp._ndarray.ndarray'>", "<class 'mxnet.numpy.ndarray'>",
        "<class 'mxnp._ndarray.ndarray'>"]


def test_importing_the_alias_module_changes_nothing(run_python):
    proc = run_python("""
        import mxnp.compat.alias
        import mxnp
        print(type(mxnp.np.ones(1)))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "<class 'mxnp._ndarray.ndarray'>"


def test_the_1x_ndarray_class_shows_mxnets_name_while_the_alias_is_on(run_python):
    proc = run_python("""
        import pickle
        import mxnp
        import mxnp.ndarray as nd
        x = nd.ones(2)
        print(type(x))
        mxnp.enable_mxnet_alias()
        import mxnet as mx
        print(type(mx.nd.ones(2)))
        assert type(pickle.loads(pickle.dumps(x))) is nd.NDArray
        mxnp.disable_mxnet_alias()
        print(type(x))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        "<class 'mxnp.ndarray.ndarray.NDArray'>", "<class 'mxnet.ndarray.ndarray.NDArray'>",
        "<class 'mxnp.ndarray.ndarray.NDArray'>"]
