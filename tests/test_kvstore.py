"""mx.kv in one process: 'local' and 'device' against MXNet 1.9.1 (mxref), the registry, the
errors, the launcher's command line and SplitSampler; no MPI is started here."""
from __future__ import annotations

import subprocess
import sys

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np
from mxnp.base import MXNetError
from mxnp.kvstore import KVStoreBase, SplitSampler, launch


def test_local_push_replaces_and_sums_copies():
    kv = mx.kv.create("local")
    kv.init(3, np.ones((2, 3)))
    out = np.zeros((2, 3))
    kv.pull(3, out=out)
    assert out.tolist() == [[1.0] * 3] * 2
    kv.push(3, np.ones((2, 3)) * 8)
    kv.pull(3, out=out)
    assert out.tolist() == [[8.0] * 3] * 2                     # MXNet 1.9.1 (mxref)
    kv.push(3, [np.ones((2, 3)) * 2, np.ones((2, 3)) * 3])
    kv.pull(3, out=[out])
    assert out.tolist() == [[5.0] * 3] * 2                     # MXNet 1.9.1 (mxref)
    assert (kv.type, kv.rank, kv.num_workers) == ("local", 0, 1)


def test_updater_gets_the_summed_push_and_updates_in_place():
    kv = mx.kv.create("local")
    kv.init(3, np.ones((2, 3)) * 5)
    seen = []

    def update(key, value, stored):
        seen.append(key)
        stored += value * 2

    kv._set_updater(update)
    kv.push(3, np.ones((2, 3)))
    out = np.zeros((2, 3))
    kv.pull(3, out=out)
    assert out.tolist() == [[7.0] * 3] * 2 and seen == [3]     # MXNet 1.9.1 (mxref)


def test_device_store_sums_copies_on_two_contexts():
    kv = mx.kv.create("device")
    kv.init("a", np.ones(2))
    kv.push("a", [np.ones(2), np.ones(2, ctx=mx.cpu(1)) * 3])
    outs = [np.zeros(2), np.zeros(2, ctx=mx.cpu(1))]
    kv.pull("a", out=outs)
    assert [o.tolist() for o in outs] == [[4.0, 4.0]] * 2 and outs[1].ctx == mx.cpu(1)


def test_pushpull_in_place_out_lists_and_broadcast():
    kv = mx.kv.create("local")
    kv.init([4, 5], [np.ones(1), np.ones(1) * 2])
    outs = [np.zeros(1), np.zeros(1)]
    kv.pull([4, 5], out=outs)
    assert [o.tolist() for o in outs] == [[1.0], [2.0]]        # MXNet 1.9.1 (mxref)
    value = np.ones(1) * 5
    kv.pushpull(4, value)
    assert value.tolist() == [5.0]
    dst = np.zeros(3)
    kv.broadcast(6, np.arange(3.0), out=dst)
    assert dst.tolist() == [0.0, 1.0, 2.0]
    pair = [np.zeros(3), np.zeros(3)]
    kv.pushpull(6, [np.ones(3), np.ones(3)], out=pair)
    assert [p.tolist() for p in pair] == [[2.0] * 3] * 2       # MXNet 1.9.1 (mxref)


def test_trainer_gradient_sum_leaves_the_store_and_falls_back_to_pushpull():
    kv = mx.kv.create("local")
    kv.init([1, 2], [np.zeros(2), np.ones(2) * 7])
    grad = np.arange(2.0)
    kv._sum_gradients([1], [grad])                 # one worker: the sum is the value itself
    out = np.zeros(2)
    kv.pull(1, out=out)
    assert grad.tolist() == [0.0, 1.0] and out.tolist() == [0.0, 0.0]   # store not written
    with pytest.raises(MXNetError, match="key 3 has not been inited"):
        kv._sum_gradients([3], [grad])
    pair = [np.ones(2), np.ones(2, ctx=mx.cpu(1)) * 2]
    kv._sum_gradients([2], [pair])                 # copies on two devices: pushpull's sum
    assert [p.tolist() for p in pair] == [[3.0, 3.0]] * 2

    calls = []

    class Recording(KVStoreBase):                  # a user's store sees the Trainer's pushpull
        def pushpull(self, key, value, out=None, priority=0):
            calls.append((key, out))

    Recording()._sum_gradients([0, 1], [grad, grad])
    assert calls == [([0, 1], None)]


def test_set_optimizer_applies_sgd_and_states_round_trip(tmp_path):
    kv = mx.kv.create("local")
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv.init(0, np.ones(2))
    kv.push(0, np.ones(2))
    w = np.zeros(2)
    kv.pull(0, out=w)
    onp.testing.assert_allclose(w.asnumpy(), [0.9, 0.9], rtol=1e-6)
    kv.save_optimizer_states(str(tmp_path / "s"))
    kv.push(0, [np.ones(2), np.ones(2)])
    kv.pull(0, out=w)
    onp.testing.assert_allclose(w.asnumpy(), [0.61, 0.61], rtol=1e-6)   # m = 0.9m - 0.2
    kv.load_optimizer_states(str(tmp_path / "s"))             # momentum back to -0.1
    kv.push(0, [np.ones(2), np.ones(2)])
    kv.pull(0, out=w)
    onp.testing.assert_allclose(w.asnumpy(), [0.32, 0.32], rtol=1e-6)


@pytest.mark.parametrize("call, error, match", [  # MXNet 1.9.1's messages (mxref)
    (lambda kv: kv.init(3, np.ones(1)), MXNetError,
     r"^Check failed: local_.find\(keys\[i\]\) == local_.end\(\): duplicate init of key 3\. "
     "Please double check if you called kv.init or kv.broadcast with this key multiple times$"),
    (lambda kv: kv.pull(99, out=np.zeros(1)), MXNetError,
     r"^Check failed: !local.is_none\(\): key 99 has not been inited$"),
    (lambda kv: kv.push(98, np.zeros(1)), MXNetError, "key 98 has not been inited"),
    (lambda kv: kv.init("w", np.ones(1)), MXNetError,
     r"^Check failed: key_type_ == key_type \(1 vs\. 0\) : Mixed key types are not allowed$"),
    (lambda kv: kv.is_capable("foo"), ValueError, "Unknown capability: foo"),
    (lambda kv: kv.pull(3), AssertionError, "give the arrays to fill as out="),
    (lambda kv: kv.pushpull(5, np.ones(1)), MXNetError, "key 5 has not been inited"),
    (lambda kv: kv.save_optimizer_states("x"), AssertionError, "Cannot save states"),
])
def test_local_errors(call, error, match):
    kv = mx.kv.create("local")
    kv.init(3, np.ones(1))
    with pytest.raises(error, match=match):
        call(kv)


def test_string_key_errors_use_mxnet_words():  # MXNet 1.9.1 (mxref)
    kv = mx.kv.create("local")
    kv.init("a", np.ones(1))
    with pytest.raises(MXNetError, match=r"str_key_dict_.end\(\): duplicate init of key a$"):
        kv.init("a", np.ones(1))
    with pytest.raises(MXNetError, match=r"key zz doesn't exist\. Did you init\?$"):
        kv.pull("zz", out=np.ones(1))
    with pytest.raises(MXNetError, match=r"\(0 vs\. 1\) : Mixed key types are not allowed$"):
        kv.init(1, np.ones(1))


def test_create_names():
    with pytest.raises(TypeError, match="name must be a string"):
        mx.kv.create(3)
    with pytest.raises(NotImplementedError, match="'dist_async' is not supported.*allreduce"):
        mx.kv.create("dist_async")
    assert mx.kv.create("NCCL").type == "nccl"                 # MXNet: a one-process store


def test_register_makes_create_find_the_class():
    @KVStoreBase.register
    class MyTestStore(KVStoreBase):
        pass

    try:
        assert type(mx.kv.create("mYteststore")) is MyTestStore
        with pytest.warns(UserWarning, match="replaces"):
            KVStoreBase.register(MyTestStore)
    finally:
        del KVStoreBase.kv_registry["myteststore"]


def test_mpi_is_imported_only_for_a_distributed_store_and_its_absence_is_explained():
    code = ("import sys; sys.modules['mpi4py'] = None\n"
            "import mxnp as mx\n"
            "mx.kv.create('local'); mx.gluon.Trainer\n"
            "assert 'mpi4py.MPI' not in sys.modules\n"
            "try:\n    mx.kv.create('dist_sync')\n"
            "except ImportError as err:\n    print(err)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         timeout=120)
    assert "pip install 'mxnp[distributed]'" in out.stdout, out.stderr


def launch_args(*argv):
    return launch.parser().parse_args(argv)


def test_launch_command_line_maps_tools_launch_flags():
    ns = launch_args("-n", "3", "-s", "2", "python", "train.py", "--lr", "0.1")
    cmd = launch.mpiexec_command(ns, "mpiexec", "openmpi")
    assert cmd[:3] == ["mpiexec", "-n", "3"] and "--oversubscribe" in cmd
    assert cmd[-5:] == ["-m", "mxnp.compat.worker", "train.py", "--lr", "0.1"]
    ns = launch_args("-n", "2", "-H", "hosts", "--launcher", "ssh", "train.py")
    assert launch.mpiexec_command(ns, "mpiexec", "mpich")[3:5] == ["-f", "hosts"]
    ns = launch_args("-n", "2", "-H", "hosts", "./run.sh")
    cmd = launch.mpiexec_command(ns, "mpiexec", "openmpi")
    assert cmd[-3:] == ["--hostfile", "hosts", "./run.sh"] and "--oversubscribe" not in cmd


@pytest.mark.parametrize("shuffle", [False, True])
def test_split_sampler_parts_are_disjoint_and_equal(shuffle):
    parts = [list(SplitSampler(10, 3, i, shuffle=shuffle, seed=1)) for i in range(3)]
    assert [len(p) for p in parts] == [3, 3, 3]
    flat = [i for part in parts for i in part]
    assert len(set(flat)) == 9 and set(flat) <= set(range(10))
    if not shuffle:
        assert parts[1] == [3, 4, 5]
    with pytest.raises(ValueError, match="part_index 3"):
        SplitSampler(10, 3, 3)


def test_trainer_uses_a_kvstore_object_on_one_context(tmp_path):
    from mxnp import autograd, gluon, init

    net = gluon.nn.Dense(1, in_units=2)
    net.initialize(init.One())
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.5},
                       kvstore=mx.kv.create("local"))
    with autograd.record():
        loss = net(np.array([[1.0, 2.0], [3.0, 4.0]])).sum()
    loss.backward()
    tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.3): the store is used and updates the weights
    assert tr._update_on_kvstore is True
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)
    tr.save_states(str(tmp_path / "t"))
    tr.load_states(str(tmp_path / "t"))
    assert tr.optimizer is tr._kvstore._updater.optimizer and tr.optimizer.momentum == 0.5


def test_worker_reads_the_local_rank_that_each_launcher_sets():
    from mxnp.compat.worker import local_rank_from_env

    assert local_rank_from_env({"OMPI_COMM_WORLD_LOCAL_RANK": "3"}) == 3
    assert local_rank_from_env({"SLURM_LOCALID": "1", "PMI_LOCAL_RANK": "x"}) == 1
    assert local_rank_from_env({}) is None


def test_launch_without_a_script_or_an_mpiexec_is_a_usage_error(capsys):
    from mxnp.compat.cli import main

    assert main(["launch", "-n", "2"]) == 2
    assert "name the script" in capsys.readouterr().err
    assert main(["launch", "-n", "2", "--mpiexec", "/no/such/mpiexec", "x.py"]) == 2
    assert "/no/such/mpiexec: no such program" in capsys.readouterr().err


def test_teststore_sums_and_leaves_the_update_to_the_trainer():
    from mxnp import gluon

    kv = mx.kv.create("teststore")  # registered by MXNet 1.9.1's kvstore module
    assert (kv.type, kv.rank, kv.num_workers) == ("teststore", 0, 1)
    assert not kv.is_capable("optimizer")
    a, b = mx.nd.ones(2), mx.nd.array([2.0, 3.0])
    kv.pushpull(0, [a, b])
    assert a.asnumpy().tolist() == b.asnumpy().tolist() == [3.0, 4.0]
    x = gluon.Parameter("x", shape=(3,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init="zeros")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0}, kvstore=kv)
    with mx.autograd.record():
        for w in x.list_data():
            (w + 1).backward()
    trainer.step(1)
    # MXNet 1.9.1 (mxref): the Trainer updates itself, with the summed gradient
    assert trainer._update_on_kvstore is False
    assert x.data(mx.cpu(1)).asnumpy().tolist() == [-2.0, -2.0, -2.0]
    with pytest.raises(ValueError, match="update_on_kvstore=False"):
        gluon.Trainer([x], "sgd", kvstore=kv, update_on_kvstore=True)._init_kvstore()


def test_pull_leaves_a_sparse_out_and_row_sparse_pull_wants_one():
    # MXNet 1.9.1: pull(ignore_sparse=True) skips a row_sparse out; row_sparse_pull into a
    # dense out raises; with a list of keys, row_ids holds one list per key
    kv = mx.kv.create()
    kv.init(["b", "c"], [mx.nd.ones((4, 2)) * 3, mx.nd.ones((4, 2)) * 5])
    rsp = (mx.nd.ones((4, 2)) * 2).tostype("row_sparse")
    kv.pull("b", out=rsp)
    assert rsp.asnumpy().sum() == 16
    kv.pull("b", out=rsp, ignore_sparse=False)
    assert rsp.asnumpy().sum() == 24
    with pytest.raises(MXNetError, match="Expected row_sparse storage type"):
        kv.row_sparse_pull("b", out=mx.nd.ones((4, 2)), row_ids=mx.nd.array([1]))
    outs = [[mx.nd.zeros((4, 2)).tostype("row_sparse") for _ in range(3)] for _ in range(2)]
    rows = [mx.nd.array([0, 1, 2, 3]), mx.nd.array([1])]
    kv.row_sparse_pull(["b", "c"], out=outs, row_ids=[[rows[0]] * 3, [rows[1]] * 3])
    assert [o.asnumpy().sum() for o in outs[0] + outs[1]] == [24] * 3 + [10] * 3
