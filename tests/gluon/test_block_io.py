"""save_parameters / load_parameters: structural keys, MXNet's binary format and error texts
(MXNet 1.9.1, mxref); a file written by the real MXNet loads with identical values."""
from __future__ import annotations

from pathlib import Path

import numpy as onp
import pytest

from mxnp import cpu, gluon, init, npx
from mxnp import numpy as np

from .test_block_support import (
    MLP,
    Dense,
    Sequential,
    fresh_names,  # noqa: F401  (a fixture)
)

MXNET_FILE = str(Path(__file__).resolve().parents[1] / "data" / "mxnet_files" / "gluon_mlp.params")
X = np.array([[1.0, 2.0], [-1.0, 0.5]])


def _mlp_with_values():
    net = MLP(in_units=2)
    net.initialize()
    net.hidden.weight.set_data(np.arange(6).reshape(3, 2) / 10 - 0.2)
    net.hidden.bias.set_data(np.array([0.1, -0.2, 0.3]))
    net.output.weight.set_data(np.array([[0.5, -1.5, 2.0]]))
    net.output.bias.set_data(np.array([0.25]))
    return net


def test_mxnet_written_file_loads_with_identical_values():
    net = MLP()  # deferred shapes are filled from the file
    net.load_parameters(MXNET_FILE)
    assert net.hidden.weight.shape == (3, 2)
    ref = _mlp_with_values()
    for key, p in ref._collect_params_with_prefix().items():
        assert onp.array_equal(net._collect_params_with_prefix()[key].data().asnumpy(),
                               p.data().asnumpy()), key
    # MXNet 1.9.1 (mxref) printed these
    assert net(X).asnumpy().ravel().tolist() == pytest.approx([2.45, 0.875])


def test_saved_file_matches_mxnet_bytes(tmp_path):
    f = str(tmp_path / "m.params")
    _mlp_with_values().save_parameters(f)
    with open(f, "rb") as fh, open(MXNET_FILE, "rb") as ref:
        assert fh.read() == ref.read()  # the same net written by MXNet: byte for byte


def test_structural_keys(tmp_path):
    f = str(tmp_path / "k.params")
    s = Sequential()
    s.add(Dense(2, in_units=2), Dense(1, in_units=2))
    s.initialize()
    s.save_parameters(f)
    assert list(npx.load(f)) == ["0.weight", "0.bias", "1.weight", "1.bias"]

    class Net(gluon.Block):
        def __init__(self):
            super().__init__()
            self.body = Sequential()
            self.body.add(Dense(2, in_units=2))
            self.head = Dense(1, in_units=2)

    n = Net()
    n.initialize()
    n.save_parameters(f)
    assert list(npx.load(f)) == ["body.0.weight", "body.0.bias", "head.weight", "head.bias"]


def test_shared_layer_saved_twice_or_deduplicated(tmp_path):
    f = str(tmp_path / "d.params")
    d = Dense(2, in_units=2)
    s = Sequential()
    s.add(d, d)
    s.initialize()
    s.save_parameters(f)
    assert list(npx.load(f)) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    s.save_parameters(f, deduplicate=True)
    assert list(npx.load(f)) == ["1.weight", "1.bias"]
    d2 = Dense(2, in_units=2)
    s2 = Sequential()
    s2.add(d2, d2)
    s2.load_parameters(f)  # any key of a shared Parameter will do
    assert onp.array_equal(d2.weight.data().asnumpy(), d.weight.data().asnumpy())


def test_round_trip_into_differently_numbered_instance(tmp_path):
    f = str(tmp_path / "r.params")
    a = MLP(in_units=2)
    a.initialize(init.Normal(1.0))
    a.save_parameters(f)
    b = MLP()
    assert b.hidden.name != a.hidden.name
    b.load_parameters(f)
    assert onp.array_equal(b(X).asnumpy(), a(X).asnumpy())


@pytest.mark.usefixtures("fresh_names")
def test_missing_and_extra_keys(tmp_path):
    s = Sequential()
    s.add(Dense(5), Dense(2))
    with pytest.raises(AssertionError) as e:
        s.load_parameters(MXNET_FILE)
    # MXNet 1.9.1 (mxref)
    assert str(e.value) == (f"Parameter '0.weight' is missing in file '{MXNET_FILE}', which "
                            "contains parameters: 'hidden.weight', 'hidden.bias', 'output.weight', "
                            "'output.bias'. Set allow_missing=True to ignore missing parameters.")
    with pytest.raises(ValueError) as e:
        s.load_parameters(MXNET_FILE, allow_missing=True)
    assert str(e.value) == (f"Parameter 'hidden.weight' loaded from file '{MXNET_FILE}' is not "
                            "present in ParameterDict, which contains parameters . Set "
                            "ignore_extra=True to ignore. ")
    s.load_parameters(MXNET_FILE, allow_missing=True, ignore_extra=True)
    assert repr(s._children["0"].weight) == \
        "Parameter dense0_weight (shape=(5, -1), dtype=float32)"


def test_ignore_extra_loads_the_rest():
    class Half(gluon.Block):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(3)

    h = Half()
    h.load_parameters(MXNET_FILE, ignore_extra=True)
    assert h.hidden.weight.shape == (3, 2)


@pytest.mark.usefixtures("fresh_names")
def test_shape_ctx_dtype_and_file_errors(tmp_path):
    m = MLP(hidden=4)
    with pytest.raises(AssertionError) as e:
        m.load_parameters(MXNET_FILE)
    assert str(e.value) == ("Failed loading Parameter 'dense0_weight' from saved params: shape "
                            "incompatible expected (4, -1) vs saved (3, 2)")
    m = _mlp_with_values()
    with pytest.raises(AssertionError) as e:
        m.load_parameters(MXNET_FILE, ctx=cpu(1))
    assert str(e.value) == (f"Failed to load Parameter '{m.hidden.weight.name}' on [cpu(1)] "
                            "because it was previous initialized on [cpu(0)].")
    missing = str(tmp_path / "nonexist.params")
    with pytest.raises(ValueError, match="Check failed: allow_null: :Open .*No such file"):
        m.load_parameters(missing)
    m64 = MLP()
    m64.cast("float64")
    with pytest.raises(AssertionError, match="dtype incompatible expected float64 vs saved "
                                             "float32. Set cast_dtype=True"):
        m64.load_parameters(MXNET_FILE)
    m64.load_parameters(MXNET_FILE, cast_dtype=True)
    assert m64.hidden.weight.data().dtype == onp.float64


def test_load_on_given_context_and_overwrite():
    m = MLP()
    m.load_parameters(MXNET_FILE, ctx=[cpu(1)])
    assert m.hidden.weight.list_ctx() == [cpu(1)]
    m2 = _mlp_with_values()
    m2.hidden.bias.set_data(np.zeros(3))
    m2.load_parameters(MXNET_FILE)
    assert m2.hidden.bias.data().tolist() == pytest.approx([0.1, -0.2, 0.3])


@pytest.mark.usefixtures("fresh_names")
def test_file_of_full_names_uses_restore_prefix(tmp_path):
    f = str(tmp_path / "legacy.params")
    s = Sequential()
    s.add(Dense(2, in_units=3))
    s.initialize()
    npx.save(f, {"dense0_weight": np.ones((2, 3)), "dense0_bias": np.ones(2)})
    with pytest.raises(AssertionError) as e:
        s.load_parameters(f)
    assert str(e.value) == (
        "restore_prefix is 'sequential0_' but Parameters name 'dense0_weight' does not start "
        "with 'sequential0_'. For more info on naming, please see "
        "https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html")


def test_save_params_and_load_params_deprecated_pair(tmp_path):
    class Scoped(gluon.Block):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.d = Dense(2, in_units=2)

    a, b = Scoped(), Scoped()
    a.initialize(init.Normal(1.0))
    f = str(tmp_path / "old.params")
    with pytest.warns(UserWarning, match="^save_params is deprecated"):
        a.save_params(f)
    assert list(npx.load(f)) == ["dense0_weight", "dense0_bias"]
    with pytest.warns(UserWarning, match="^load_params is deprecated"):
        b.load_params(f)
    assert onp.array_equal(b.d.weight.data().asnumpy(), a.d.weight.data().asnumpy())
    unscoped = MLP(in_units=2)
    unscoped.initialize()
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="save_params is deprecated. "
                                                                    "Using save_parameters may"):
        unscoped.save_params(f)


def test_save_and_load_with_prefix(tmp_path):
    a, b = _mlp_with_values(), MLP()
    a.save(str(tmp_path / "net"))
    assert (tmp_path / "net-model.params").exists()
    b.load(str(tmp_path / "net"))
    assert b(X).asnumpy().ravel().tolist() == pytest.approx([2.45, 0.875])


def test_empty_block_round_trip(tmp_path):
    f = str(tmp_path / "e.params")
    gluon.Block().save_parameters(f)
    gluon.Block().load_parameters(f)
    assert len(npx.load(f)) == 0


@pytest.mark.usefixtures("fresh_names")
def test_block_save_load_json_matches_mxnet(tmp_path):
    import json

    ref = Path(MXNET_FILE).with_name("gluon_saved-model.json")
    prefix = str(ref)[: -len("-model.json")]
    m = MLP(in_units=2)
    m.initialize()
    m.save(str(tmp_path / "mine"))
    # MXNet 1.9.1 (mxref) wrote this JSON for the same net in a fresh process
    assert json.loads((tmp_path / "mine-model.json").read_text()) == json.loads(ref.read_text())
    other = MLP()  # mlp1, dense2, dense3: load renames them back
    other.load(prefix)
    assert (other.name, other.hidden.name, other.output.name) == ("mlp0", "dense0", "dense1")
    assert list(other._children) == ["hidden", "output"]
    saved = npx.load(prefix + "-model.params")
    assert onp.array_equal(other.output.weight.data().asnumpy(), saved["output.weight"].asnumpy())
