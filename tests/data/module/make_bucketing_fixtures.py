"""Write bucketing_steps.json with the real MXNet 1.9.1 (run with mxref's Python):

    cd tests/data/module && ~/.cache/mxref-venv/bin/python make_bucketing_fixtures.py

A BucketingModule whose symbol for key T reads data (batch, T, 4) through one FullyConnected
(flatten=False) and a mean over T into SoftmaxOutput; parameters from NumPy's RandomState(1);
SGD (lr 0.5, momentum 0.9) steps on batches of buckets 3, 2, 3 (default 2), and after each
step the outputs, the parameters, and the current bucket's output shapes.
"""
import json

import numpy as onp

import mxnet as mx


def sym_gen(seq_len):
    data = mx.sym.var("data")
    fc = mx.sym.FullyConnected(data, num_hidden=3, flatten=False, name="fc")
    pooled = mx.sym.mean(fc, axis=1, name="pool")
    return mx.sym.SoftmaxOutput(pooled, name="softmax"), ("data",), ("softmax_label",)


def main():
    mx.npx.reset_np()
    rng = onp.random.RandomState(1)
    arg = {"fc_weight": rng.uniform(-1, 1, (3, 4)), "fc_bias": rng.uniform(-1, 1, 3)}
    keys = [3, 2, 3]
    batches = [(rng.uniform(-1, 1, (2, k, 4)), rng.randint(0, 3, 2).astype("float32"))
               for k in keys]
    out = {"arg": {k: v.astype("float32").tolist() for k, v in arg.items()}, "keys": keys,
           "batches": [[x.astype("float32").tolist(), y.tolist()] for x, y in batches],
           "steps": []}
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=2)
    mod.bind(data_shapes=[("data", (2, 2, 4))], label_shapes=[("softmax_label", (2,))])
    mod.set_params({k: mx.nd.array(v) for k, v in arg.items()}, {})
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.5,
                                                          "momentum": 0.9})
    for key, (x, y) in zip(keys, batches):
        batch = mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)], bucket_key=key,
                                provide_data=[mx.io.DataDesc("data", x.shape)],
                                provide_label=[mx.io.DataDesc("softmax_label", y.shape)])
        mod.forward(batch, is_train=True)
        mod.backward()
        mod.update()
        a, _ = mod.get_params()
        out["steps"].append({"output": mod.get_outputs()[0].asnumpy().tolist(),
                             "arg": {k: v.asnumpy().tolist() for k, v in a.items()},
                             "output_shapes": [[n, list(s)] for n, s in mod.output_shapes]})
    with open("bucketing_steps.json", "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
