"""mx.model's checkpoints: save_checkpoint then load_checkpoint gives the same graph and
arrays, in the files MXNet writes (prefix-symbol.json, prefix-%04d.params with arg:/aux:)."""
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from mxnp import npx
from mxnp import numpy as np
from mxnp import symbol as sym
from mxnp.ndarray import NDArray


def test_checkpoint_round_trip(tmp_path):
    with mx.name.NameManager():
        out = sym.BatchNorm(sym.FullyConnected(sym.var("data"), num_hidden=3, name="fc"),
                            name="bn")
    args = {"fc_weight": np.random.uniform(size=(3, 4)), "fc_bias": np.zeros(3),
            "bn_gamma": np.ones(3), "bn_beta": np.zeros(3)}
    aux = {"bn_moving_mean": np.random.uniform(size=3), "bn_moving_var": np.ones(3)}
    prefix = str(tmp_path / "model")
    mx.model.save_checkpoint(prefix, 7, out, args, aux)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-0007.params",
                                                           "model-symbol.json"]
    assert sorted(npx.load(prefix + "-0007.params")) == sorted(
        ["arg:" + k for k in args] + ["aux:" + k for k in aux])
    loaded, arg_params, aux_params = mx.model.load_checkpoint(prefix, 7)
    assert loaded.tojson() == out.tojson()
    for want, got in ((args, arg_params), (aux, aux_params)):
        assert sorted(got) == sorted(want)
        for k in want:
            onp.testing.assert_array_equal(got[k].asnumpy(), want[k].asnumpy())
    # the loaded arrays bind straight back into an executor
    ex = loaded.bind(mx.cpu(), dict(arg_params, data=np.ones((2, 4))), aux_states=aux_params)
    assert ex.forward()[0].shape == (2, 3)


def test_load_params_refuses_unknown_keys(tmp_path):
    npx.save(str(tmp_path / "m-0000.params"), {"weight": np.ones(2)})
    with pytest.raises(mx.MXNetError, match="neither arg:<name> nor aux:<name>"):
        mx.model.load_params(str(tmp_path / "m"), 0)


def test_checkpoint_written_by_mxnet_loads_and_runs():
    # mx.model.save_checkpoint of the real MXNet 1.9.1 in legacy mode (make_fixtures.py)
    data = pathlib.Path(__file__).parent.parent / "data" / "symbol"
    symbol, arg_params, aux_params = mx.model.load_checkpoint(str(data / "mlp"), 2)
    assert sorted(arg_params) == ["bn1_beta", "bn1_gamma", "fc1_bias", "fc1_weight",
                                  "fc2_bias", "fc2_weight"]
    assert sorted(aux_params) == ["bn1_moving_mean", "bn1_moving_var"]
    assert all(type(v) is NDArray for v in [*arg_params.values(), *aux_params.values()])
    io = mx.nd.load(str(data / "mlp-io.params"))
    ex = symbol.bind(mx.cpu(), dict(arg_params, data=io["x"]), aux_states=aux_params)
    onp.testing.assert_allclose(ex.forward()[0].asnumpy(), io["y_predict"].asnumpy(),
                                rtol=1e-5, atol=1e-6)
