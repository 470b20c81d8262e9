"""Write sequential_steps.json with the real MXNet 1.9.1 (run with mxref's Python):

    cd tests/data/module && ~/.cache/mxref-venv/bin/python make_sequential_fixtures.py

A SequentialModule of fc1 -> relu (no labels) and fc2 -> SoftmaxOutput (take_labels,
auto_wiring), bound with inputs_need_grad; parameters from NumPy's RandomState(2); two SGD
steps (lr 0.1, momentum 0.9) and after each the outputs, the input gradients (read from the
first module: MXNet's SequentialModule.get_input_grads fails, as it never sets its
inputs_need_grad) and the parameters.
"""
import json

import mxnet as mx
import numpy as onp
from nets import sequential_modules  # beside this script, shared with the test


def main():
    mx.npx.reset_np()
    rng = onp.random.RandomState(2)
    arg = {"fc1_weight": rng.uniform(-1, 1, (5, 4)), "fc1_bias": rng.uniform(-1, 1, 5),
           "fc2_weight": rng.uniform(-1, 1, (3, 5)), "fc2_bias": rng.uniform(-1, 1, 3)}
    batches = [(rng.uniform(-1, 1, (4, 4)), rng.randint(0, 3, 4).astype("float32"))
               for _ in range(2)]
    out = {"arg": {k: v.astype("float32").tolist() for k, v in arg.items()},
           "batches": [[x.astype("float32").tolist(), y.tolist()] for x, y in batches],
           "steps": []}
    body, head = sequential_modules(mx)
    seq = mx.mod.SequentialModule().add(body).add(head, take_labels=True, auto_wiring=True)
    seq.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))],
             inputs_need_grad=True)
    seq.init_params(arg_params={k: mx.nd.array(v) for k, v in arg.items()})
    seq.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9})
    out["output_shapes"] = [[n, list(s)] for n, s in seq.output_shapes]
    for x, y in batches:
        seq.forward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]), is_train=True)
        seq.backward()
        step = {"output": seq.get_outputs()[0].asnumpy().tolist(),
                "input_grad": body.get_input_grads()[0].asnumpy().tolist()}
        seq.update()
        step["arg"] = {k: v.asnumpy().tolist() for k, v in seq.get_params()[0].items()}
        out["steps"].append(step)
    with open("sequential_steps.json", "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
