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


def test_gluon_and_other_classes_show_mxnets_names_while_the_alias_is_on(run_python):
    # what MXNet 1.9.1 prints for these (mxref): the D2L book prints type(net[1].bias)
    proc = run_python("""
        import pickle
        import mxnp
        from mxnp import gluon
        net = gluon.nn.Dense(2)
        print(type(net.weight), type(mxnp.cpu()))
        mxnp.enable_mxnet_alias()
        import mxnet as mx
        from mxnet.gluon import nn
        print(type(net.weight), type(nn.Dense(1)), type(mx.cpu()))
        print(type(mx.optimizer.Adam()), mx.metric.Accuracy().__class__)  # MXNet's homes
        print(type(mx.gluon.contrib.estimator.Estimator))  # a family loaded on first use
        back = pickle.loads(pickle.dumps([net, mx.cpu(1), mx.optimizer.SGD(learning_rate=0.5)]))
        print(type(back[0]), back[1], type(back[2]), back[2].learning_rate)
        print(mx.gluon.ParameterDict, mx.gluon.nn.MaxPool2D, mx.gluon.nn.BatchNorm)
        mxnp.disable_mxnet_alias()
        print(type(net.weight), type(mxnp.cpu()), type(back[0]))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "<class 'mxnp.gluon.parameter.Parameter'> <class 'mxnp._backend.Device'>",
        ("<class 'mxnet.gluon.parameter.Parameter'> <class 'mxnet.gluon.nn.basic_layers.Dense'>"
         " <class 'mxnet.context.Context'>"),
        "<class 'mxnet.optimizer.optimizer.Adam'> <class 'mxnet.metric.Accuracy'>",
        "<class 'type'>",
        ("<class 'mxnet.gluon.nn.basic_layers.Dense'> cpu(1)"
         " <class 'mxnet.optimizer.optimizer.SGD'> 0.5"),
        ("<class 'mxnet.gluon.parameter.ParameterDict'> <class"
         " 'mxnet.gluon.nn.conv_layers.MaxPool2D'> <class 'mxnet.gluon.nn.basic_layers.BatchNorm'>"),
        ("<class 'mxnp.gluon.parameter.Parameter'> <class 'mxnp._backend.Device'>"
         " <class 'mxnp.gluon.nn.basic_layers.Dense'>")]


def test_classes_mxnet_keeps_in_io_io_image_image_kvstore_kvstore_and_executor(run_python):
    # MXNet 1.9.1 (mxref) defines these in mxnet/io/io.py, mxnet/image/image.py,
    # mxnet/kvstore/kvstore.py and mxnet/executor.py; pickles made under the alias load back
    proc = run_python("""
        import pickle
        import mxnp
        mxnp.enable_mxnet_alias()
        import mxnet as mx
        import mxnet.io.io, mxnet.image.image, mxnet.kvstore.kvstore
        for c in (mx.io.NDArrayIter, mx.io.MXDataIter, mx.image.ImageIter, mx.image.CastAug,
                  mx.image.Augmenter, mx.kv.KVStore, mx.executor.Executor):
            print(c.__module__ + "." + c.__qualname__)
        aug = pickle.loads(pickle.dumps(mx.image.ForceResizeAug((2, 3))))
        print(type(aug).__name__, aug.size, mxnet.io.io.NDArrayIter is mx.io.NDArrayIter)
        print(sorted(set(dir(mxnet.image.image)) & {"ImageIter", "ResizeAug", "imresize"}))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "mxnet.io.io.NDArrayIter", "mxnet.io.io.MXDataIter", "mxnet.image.image.ImageIter",
        "mxnet.image.image.CastAug", "mxnet.image.image.Augmenter", "mxnet.kvstore.kvstore.KVStore",
        "mxnet.executor.Executor", "ForceResizeAug (2, 3) True",
        "['ImageIter', 'ResizeAug', 'imresize']"]


def test_trainer_states_saved_under_the_alias_load_without_it(run_python, tmp_path):
    proc = run_python(f"""
        import mxnp
        from mxnp import gluon, lr_scheduler
        def trainer():
            net = gluon.nn.Dense(1, in_units=2)
            net.initialize()
            sched = lr_scheduler.FactorScheduler(step=2, factor=0.5)
            return gluon.Trainer(net.collect_params(), "sgd",
                                 {{"learning_rate": 0.1, "lr_scheduler": sched}})
        mxnp.enable_mxnet_alias()
        import mxnet
        trainer().save_states({str(tmp_path / "t.states")!r})
        mxnp.disable_mxnet_alias()
        t = trainer()
        t.load_states({str(tmp_path / "t.states")!r})
        print(type(t._optimizer.lr_scheduler).__name__)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "FactorScheduler"
