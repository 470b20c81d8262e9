"""mx.mod.BucketingModule: buckets share one set of parameters and one optimizer; the values
after SGD steps over two buckets are those MXNet 1.9.1 gives (tests/data/module/
bucketing_steps.json, written by make_bucketing_fixtures.py there)."""
import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx

DATA = pathlib.Path(__file__).parent.parent / "data" / "module"


def _sym_gen(seq_len):
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, flatten=False, name="fc")
    pooled = mx.sym.mean(fc, axis=1, name="pool")
    return mx.sym.SoftmaxOutput(pooled, name="softmax"), ("data",), ("softmax_label",)


def _batch(x, y, key):
    x, y = onp.asarray(x, dtype="float32"), onp.asarray(y, dtype="float32")
    return mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)], bucket_key=key,
                           provide_data=[mx.io.DataDesc("data", x.shape)],
                           provide_label=[mx.io.DataDesc("softmax_label", y.shape)])


def test_bucketing_steps_match_mxnet():
    want = json.loads((DATA / "bucketing_steps.json").read_text())
    mod = mx.mod.BucketingModule(_sym_gen, default_bucket_key=2)
    mod.bind(data_shapes=[("data", (2, 2, 4))], label_shapes=[("softmax_label", (2,))])
    mod.set_params({k: mx.nd.array(v) for k, v in want["arg"].items()}, {})
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5,
                                                          "momentum": 0.9})
    for key, (x, y), step in zip(want["keys"], want["batches"], want["steps"]):
        mod.forward(_batch(x, y, key), is_train=True)
        mod.backward()
        mod.update()
        onp.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), step["output"],
                                    rtol=1e-5, atol=1e-6)
        arg_params, _ = mod.get_params()
        for name, value in step["arg"].items():
            onp.testing.assert_allclose(arg_params[name].asnumpy(), value, rtol=1e-5,
                                        atol=1e-6)
        assert [[n, list(s)] for n, s in mod.output_shapes] == step["output_shapes"]
    assert sorted(mod._buckets) == [2, 3]
    weights = {id(m._exec.arg_dict["fc_weight"]) for m in mod._buckets.values()}
    assert len(weights) == 1  # one array, shared by the buckets


def test_bucketing_fit_and_score():
    rng = onp.random.RandomState(0)

    class Buckets(mx.io.DataIter):
        """Batches of lengths 2 and 3 whose class is the sign of the first feature."""

        def __init__(self):
            super().__init__(4)
            self.provide_data = [mx.io.DataDesc("data", (4, 3, 4))]
            self.provide_label = [mx.io.DataDesc("softmax_label", (4,))]
            self.default_bucket_key = 3
            self.batches = []
            for k in [2, 3] * 5:
                x = rng.randn(4, k, 4)
                y = (x[:, :, 0].mean(axis=1) > 0).astype("float32")
                self.batches.append(_batch(x * 2, y, k))
            self.reset()

        def reset(self):
            self.cursor = 0

        def next(self):
            if self.cursor == len(self.batches):
                raise StopIteration
            self.cursor += 1
            return self.batches[self.cursor - 1]

    data = Buckets()
    mod = mx.mod.BucketingModule(_sym_gen, default_bucket_key=data.default_bucket_key)
    mod.fit(data, num_epoch=8, optimizer_params={"learning_rate": 1.0},
            initializer=mx.init.Xavier())
    assert mod.score(data, "acc")[0][1] >= 0.9
    with pytest.raises(ValueError, match="default_bucket_key is required"):
        mx.mod.BucketingModule(_sym_gen)
