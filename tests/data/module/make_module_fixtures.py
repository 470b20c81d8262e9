"""Write module_steps.json with the real MXNet 1.9.1 (run with mxref's Python):

    cd tests/data/module && ~/.cache/mxref-venv/bin/python make_module_fixtures.py

A Module over fc1 -> BatchNorm -> relu -> fc2 -> SoftmaxOutput with parameters from
NumPy's RandomState(0) (fc1_bias fixed), two forward/backward/update steps of SGD (lr 0.1,
momentum 0.9, wd 0.01, rescale_grad 1/batch) and what MXNet gives after each: the outputs,
the gradients, the parameters and the BatchNorm statistics; then a predict-mode forward, and
the input gradients of a module bound with inputs_need_grad.
"""
import json

import mxnet as mx
import numpy as onp
from nets import module_net  # beside this script, shared with the test


def main():
    mx.npx.reset_np()
    rng = onp.random.RandomState(0)
    arg = {"fc1_weight": rng.uniform(-1, 1, (5, 4)), "fc1_bias": rng.uniform(-1, 1, 5),
           "bn1_gamma": rng.uniform(0.5, 1.5, 5), "bn1_beta": rng.uniform(-1, 1, 5),
           "fc2_weight": rng.uniform(-1, 1, (3, 5)), "fc2_bias": rng.uniform(-1, 1, 3)}
    aux = {"bn1_moving_mean": rng.uniform(-1, 1, 5), "bn1_moving_var": rng.uniform(0.5, 1, 5)}
    batches = [(rng.uniform(-1, 1, (4, 4)), rng.randint(0, 3, 4).astype("float32"))
               for _ in range(2)]
    out = {"arg": {k: v.astype("float32").tolist() for k, v in arg.items()},
           "aux": {k: v.astype("float32").tolist() for k, v in aux.items()},
           "batches": [[x.astype("float32").tolist(), y.tolist()] for x, y in batches],
           "steps": []}
    mod = mx.mod.Module(module_net(mx), fixed_param_names=["fc1_bias"])
    mod.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))])
    mod.set_params({k: mx.nd.array(v) for k, v in arg.items()},
                   {k: mx.nd.array(v) for k, v in aux.items()})
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1,
                                                          "momentum": 0.9, "wd": 0.01})
    for x, y in batches:
        batch = mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)])
        mod.forward(batch, is_train=True)
        mod.backward()
        step = {"output": mod.get_outputs()[0].asnumpy().tolist(),
                "grad": {k: g[0].asnumpy().tolist() for k, g in
                         zip(mod._exec_group.param_names, mod._exec_group.grad_arrays)
                         if g[0] is not None}}
        mod.update()
        a, b = mod.get_params()
        step["arg"] = {k: v.asnumpy().tolist() for k, v in a.items()}
        step["aux"] = {k: v.asnumpy().tolist() for k, v in b.items()}
        out["steps"].append(step)
    mod.forward(mx.io.DataBatch([mx.nd.array(batches[0][0])]), is_train=False)
    out["predict"] = mod.get_outputs()[0].asnumpy().tolist()
    mod2 = mx.mod.Module(module_net(mx))
    mod2.bind(data_shapes=[("data", (4, 4))], label_shapes=[("softmax_label", (4,))],
              inputs_need_grad=True)
    mod2.set_params({k: mx.nd.array(v) for k, v in arg.items()},
                    {k: mx.nd.array(v) for k, v in aux.items()})
    mod2.forward_backward(mx.io.DataBatch([mx.nd.array(batches[0][0])],
                                          [mx.nd.array(batches[0][1])]))
    out["input_grad"] = mod2.get_input_grads()[0].asnumpy().tolist()
    with open("module_steps.json", "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
