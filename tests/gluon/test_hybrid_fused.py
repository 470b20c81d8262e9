"""hybridize's fused replay (``_ops/program.py``): one tape node per block, a backward that
runs the steps' rules once and then their recorded ops. Every result is compared with the
same computation run eagerly (op by op, one tape node per op)."""
import numpy as onp
import pytest

from mxnp import autograd, gluon, np
from mxnp._ops.program import InputMismatch, NotAStep, Program
from mxnp._tape import STATE
from mxnp.gluon import _hybrid, nn
from mxnp.gluon._block_util import _as_lists
from mxnp.testing import assert_allclose
from tests.gluon.test_hybridize_trace import TwoHeads, mlp
from tests.test_grad_specs import RNG, SPECS, inputs


def _flat(out):
    return [leaf for o in out for leaf in _flat(o)] if isinstance(out, list) else [out]


def _float(a):
    return isinstance(a, np.ndarray) and a.dtype.kind == "f"


def _grads(run, raws, weights):
    """Outputs and input gradients of ``run`` on fresh arrays of ``raws``, with the head
    sum(w_k * out_k) over the floating outputs."""
    xs = [np.array(r) for r in raws]
    for x in xs:
        if _float(x):
            x.attach_grad()
    # a row that draws random numbers draws the same ones both times: the dropout row seeds 7
    # itself, a call a compiled replay does not repeat, so the replay must start from seed 7 too
    np.random.seed(7)
    with autograd.record():
        outs = [o for o in _flat(_as_lists(run(*xs))) if _float(o)]
        head = sum((o * w).sum() for o, w in zip(outs, weights))
    head.backward()
    return [o.asnumpy() for o in outs], [x.grad.asnumpy() for x in xs if _float(x)]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # rows that take log(<0) on purpose
def test_recorded_backward_equals_the_rules_for_every_row():
    """Each op of the gradient table as a one-op program: the first backward records its
    rules' ops, later ones (on other values, other cotangents) run the recording. A rule that
    bakes a value into its ops (reads it in Python) would give the first values' gradient."""
    compiled, wrong = 0, []
    for spec in SPECS:
        fn = spec.function()
        first = [np.array(r) for r in inputs(spec)]
        _, trace = _hybrid.trace(lambda: _as_lists(fn(*first)), first)  # noqa: B023
        if trace is _hybrid.EAGER:
            continue
        program = _hybrid.compile_trace(trace, spec.id)
        compiled += 1
        for seed in (1, 2):  # the first records the backward, the second runs the recording
            rng = RNG(seed)
            raws = spec.sample(rng)
            ref_outs, _ = _grads(fn, raws, [1.0] * 8)
            weights = [np.array(rng.standard_normal(o.shape)) for o in ref_outs]
            want = _grads(fn, raws, weights)
            got = _grads(lambda *xs, run=program.run: run(list(xs)), raws, weights)
            try:
                for a, b in zip(got[0] + got[1], want[0] + want[1], strict=True):
                    assert_allclose(a, b, rtol=1e-10, atol=1e-12)
            except AssertionError as e:
                wrong.append(f"{spec.id} (values {seed}): {str(e)[:200]}")
                break
    assert not wrong, "\n".join(wrong)
    assert compiled > 0.8 * len(SPECS)


# ---- whole blocks: hybridized against the same block run eagerly ----------------------------
def convnet():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, activation="relu"), nn.MaxPool2D(2), nn.BatchNorm(),
            nn.Conv2D(6, 3, padding=1, activation="sigmoid"), nn.AvgPool2D(2),
            nn.Flatten(), nn.Dropout(0.4), nn.Dense(10))
    return net


class Heads(TwoHeads):
    """Two inputs; nested outputs, one of them an input handed back, one reused twice."""

    def hybrid_forward(self, F, x, y):
        h = self.body(x) + F.np.sum(y)
        return self.a(h), [self.b(h), F.np.tanh(h), y], h


def _pair(make, shape):
    """The same net twice, with the same parameters; the second hybridized."""
    eager, hybrid = make(), make()
    for net in (eager, hybrid):
        net.initialize()
        net(*[np.ones(s) for s in shape])
    for a, b in zip(_params(eager), _params(hybrid)):
        b.set_data(a.data())
    hybrid.hybridize()
    return eager, hybrid


def _params(net):
    return [p for _, p in sorted(net._collect_params_with_prefix().items())]


def _step(net, xs, weights, training, seed=11, unit_head=False, create_graph=False):
    np.random.seed(seed)
    xs = [x.copy() for x in xs]
    for x in xs:
        x.attach_grad()
    with autograd.record(train_mode=training):
        outs = _flat(_as_lists(net(*xs)))
        if create_graph:
            gx = autograd.grad(sum((o * o).sum() for o in outs), xs[:1], create_graph=True)
            head = (gx[0] * gx[0]).sum()
        elif unit_head:
            head = outs[0].sum()
        else:
            head = sum((o * w).sum() for o, w in zip(outs, weights))
    head.backward()
    grads = [p.grad().asnumpy().copy() for p in _params(net) if p.grad_req != "null"]
    return [o.asnumpy() for o in outs], grads, [x.grad.asnumpy() for x in xs]


def _same(got, want, rtol=1e-5):
    for part_got, part_want in zip(got, want, strict=True):
        for a, b in zip(part_got, part_want, strict=True):
            assert_allclose(a, b, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("make, shapes", [
    (mlp, [[(4, 5)], [(7, 5)], [(1, 5)]]),
    (convnet, [[(2, 1, 10, 10)], [(3, 1, 10, 10)]]),
    (Heads, [[(3, 4), (3, 8)], [(5, 4), (5, 8)]]),
])
def test_values_and_gradients_equal_eager(make, shapes):
    eager, hybrid = _pair(make, shapes[0])
    rng = onp.random.default_rng(0)
    for shape in shapes:
        for training in (True, False, True):
            for unit_head in (False, True):
                for _ in range(2):  # the first backward of a kind records, the next replays
                    xs = [np.array(rng.uniform(-1, 1, s).astype('float32')) for s in shape]
                    outs = _flat(_as_lists(eager(*xs)))
                    weights = [np.array(rng.standard_normal(o.shape).astype('float32')) for o in outs]
                    want = _step(eager, xs, weights, training, unit_head=unit_head)
                    got = _step(hybrid, xs, weights, training, unit_head=unit_head)
                    _same(got, want)


def test_one_tape_node_for_the_whole_block():
    _, hybrid = _pair(mlp, [(4, 5)])
    x = np.ones((4, 5))
    x.attach_grad()
    for _ in range(2):  # traced (run eagerly), then replayed
        with autograd.record():
            y = hybrid(x * 1)
    assert isinstance(y._node.prim, Program)
    # the tape walks to inputs made by ops (x * 1); variables are written as cotangents come
    (before,) = y._node.parents
    assert before.prim.name == "multiply" and before.parents == (x._node, None)
    y.backward()
    assert all(p.data()._fresh_grad for p in _params(hybrid))
    assert x.grad.asnumpy().any()


def test_grad_req_add_null_and_retain_graph():
    eager, hybrid = _pair(mlp, [(4, 5)])
    for net in (eager, hybrid):
        net.collect_params().setattr("grad_req", "add")
        net[1].collect_params().setattr("grad_req", "null")
    x = np.array(onp.random.default_rng(1).uniform(size=(4, 5)).astype('float32'))
    results = []
    for net in (eager, hybrid):
        net.collect_params().zero_grad()
        for _ in range(2):
            with autograd.record():
                y = (net(x) ** 2).sum()
            y.backward(retain_graph=True)
            y.backward()
        results.append([p.grad().asnumpy() for p in _params(net) if p.grad_req != "null"])
    assert len(results[0]) == 4
    _same([results[1]], [results[0]])


def test_inputs_without_gradient_and_predict_mode_without_record():
    eager, hybrid = _pair(mlp, [(4, 5)])
    x = np.array(onp.random.default_rng(2).uniform(size=(6, 5)).astype('float32'))
    for _ in range(2):
        assert_allclose(hybrid(x), eager(x), rtol=1e-6)
        assert hybrid(x)._node is None
        with autograd.record():
            h, e = (hybrid(x) ** 2).sum(), (eager(x) ** 2).sum()
        h.backward()
        hg = [p.grad().asnumpy().copy() for p in _params(hybrid)]
        e.backward()
        _same([hg], [[p.grad().asnumpy() for p in _params(eager)]])


@pytest.mark.parametrize("make, shape", [(mlp, (3, 5)), (convnet, (2, 1, 8, 8))])
def test_create_graph_gives_eager_second_order(make, shape):
    eager, hybrid = _pair(make, [shape])
    eager.collect_params().setattr("grad_req", "add")
    hybrid.collect_params().setattr("grad_req", "add")
    rng = onp.random.default_rng(3)
    for training in (False, True):
        xs = [np.array(rng.uniform(-1, 1, shape).astype('float32'))]
        want = _step(eager, xs, None, training, create_graph=True)
        got = _step(hybrid, xs, None, training, create_graph=True)
        _same(got, want, rtol=1e-4)


def test_batchnorm_statistics_follow_eager_and_dropout_draws_anew():
    eager, hybrid = _pair(convnet, [(2, 1, 10, 10)])
    rng = onp.random.default_rng(4)
    for _ in range(3):
        xs = [np.array(rng.uniform(-1, 1, (3, 1, 10, 10)).astype('float32'))]
        weights = [np.array(rng.standard_normal((3, 10)).astype('float32'))]
        _same(_step(hybrid, xs, weights, True), _step(eager, xs, weights, True))
    bn_e, bn_h = eager[2], hybrid[2]
    for name in ("running_mean", "running_var"):
        want = getattr(bn_e, name).data().asnumpy()
        assert not onp.allclose(want, onp.zeros_like(want) + (name == "running_var"))
        assert_allclose(getattr(bn_h, name).data(), want, rtol=1e-5)
    before = bn_h.running_mean.data().asnumpy().copy()
    _step(hybrid, xs, weights, False)  # predict mode: the statistics are read, not updated
    assert_allclose(bn_h.running_mean.data(), before, rtol=0, atol=0)
    x = np.ones((2, 1, 10, 10))
    with autograd.train_mode():
        a, b = hybrid(x).asnumpy(), hybrid(x).asnumpy()
    assert not onp.array_equal(a, b)


def test_parameters_changed_between_calls(tmp_path):
    eager, hybrid = _pair(mlp, [(4, 5)])
    x = np.array(onp.random.default_rng(5).uniform(size=(4, 5)).astype('float32'))
    trainers = [gluon.Trainer(n.collect_params(), "sgd", {"learning_rate": 0.5, "momentum": 0.9})
                for n in (eager, hybrid)]
    for _ in range(3):  # Trainer steps write the parameters in place between calls
        for net, trainer in zip((eager, hybrid), trainers):
            with autograd.record():
                loss = (net(x) ** 2).sum()
            loss.backward()
            trainer.step(4)
        assert_allclose(hybrid(x), eager(x), rtol=1e-5)
    hybrid[0].weight.set_data(np.zeros((16, 5)))
    eager[0].weight.set_data(np.zeros((16, 5)))
    assert_allclose(hybrid(x), eager(x), rtol=1e-6)
    eager.save_parameters(str(tmp_path / "p.params"))
    fresh = mlp()
    fresh.initialize()
    fresh.hybridize()
    fresh(x)
    fresh.load_parameters(str(tmp_path / "p.params"))
    assert_allclose(fresh(x), eager(x), rtol=1e-6)
    hybrid.cast("float64")
    eager.cast("float64")
    x64 = x.astype("float64")
    assert hybrid(x64).dtype == onp.float64
    assert_allclose(hybrid(x64), eager(x64), rtol=1e-6)


def test_a_parameter_of_another_dtype_traces_again():
    eager, hybrid = _pair(mlp, [(4, 5)])
    x = np.ones((4, 5))
    hybrid(x)
    compiled = next(iter(hybrid._cached_op.values()))
    for net in (eager, hybrid):
        net[2].weight.cast("float64")
        net[2].bias.cast("float64")
    with pytest.raises(InputMismatch):
        compiled.program(x, *[p.data(device) for p, device in compiled.params])
    with pytest.raises(TypeError) as want:
        eager(x)
    with pytest.raises(TypeError) as got:  # traced again: the body meets what eager meets
        hybrid(x)
    assert str(got.value) == str(want.value)
    eager[2].cast("float32")
    hybrid[2].cast("float32")
    assert_allclose(hybrid(x), eager(x), rtol=1e-6)


def test_closed_over_array_is_read_on_every_call():
    class Scaled(gluon.HybridBlock):
        def __init__(self, scale):
            super().__init__()
            self.scale = scale

        def hybrid_forward(self, F, x):
            return x * self.scale

    scale = np.array([1.0, 2.0])
    net = Scaled(scale)
    net.hybridize()
    x = np.ones((2,))
    assert_allclose(net(x), [1.0, 2.0])
    scale[:] = np.array([3.0, 4.0])
    assert_allclose(net(x), [3.0, 4.0])
    scale.attach_grad()
    x.attach_grad()
    with autograd.record():
        y = (net(x) * np.array([1.0, 10.0])).sum()
    y.backward()
    assert_allclose(scale.grad, [1.0, 10.0])
    assert_allclose(x.grad, [3.0, 40.0])


def test_a_call_no_program_can_run_leaves_the_signature_eager():
    x = np.ones((2,))
    with pytest.raises(NotAStep, match="len"):
        Program("p", 1, [(len, ((0, None),), {}, (1,), False)], [x, x], [1])

    class Unknown(gluon.HybridBlock):
        """Its body reports a call that is neither an op nor a known source."""

        def hybrid_forward(self, F, x):
            y = x * 2
            if STATE.tracer is not None:
                STATE.tracer.record(len, (x,), {}, y)
            return y + 1

    net = Unknown()
    net.hybridize()
    for v in (1.0, 2.0):
        assert_allclose(net(np.full((2,), v)), [2 * v + 1] * 2)
    assert list(net._cached_op.values()) == [_hybrid.EAGER]


def test_each_step_call_equals_the_generic_call():
    """``_Step.call`` spells out the common argument shapes (one, two or three values, a value
    and a constant); each gives what the general call (an argument list) gives."""
    from mxnp import npx
    from mxnp._ops.program import _run

    class Shapes(gluon.HybridBlock):
        def hybrid_forward(self, F, x, w, b):
            y = F.npx.fully_connected(x, w, b, num_hidden=3)  # three values
            z = F.np.tanh(y) - 0.5  # one value; a value and a constant
            z = 2.0 / (z + y)  # a constant and a value; two values
            return F.np.where(z > 0, y, 0.0)  # the general call

    net = Shapes()
    net.hybridize()
    rng = onp.random.default_rng(6)
    x, w, b = (np.array(rng.standard_normal(s).astype("float32")) for s in ((4, 5), (3, 5), (3,)))
    want = Shapes()(x, w, b)
    assert_allclose(net(x, w, b), want, rtol=1e-6)
    program = next(iter(net._cached_op.values())).program
    env = [x._data, w._data, b._data]
    _run(program.steps, env, program.devices, "Shapes")
    shapes = set()
    for s in program.steps:
        args = [env[i] if i >= 0 else c for i, c in s.spec]
        shapes.add(tuple(i >= 0 for i, _ in s.spec))
        onp.testing.assert_array_equal(s.call(env), s.forward(s.xp, *args, **s.params))
    assert {(True,), (True, True), (True, True, True), (True, False), (False, True),
            (True, True, False)} <= shapes
    assert_allclose(net(x, w, b), want, rtol=1e-6)  # the replay
    assert npx.is_np_array()


@pytest.mark.parametrize("legacy", [False, True])
def test_parameters_read_by_a_replay_as_data_gives_them(legacy):
    """A replay reads each Parameter's own array (not its 1.x face's view, which the program
    does not need); a Parameter handed straight back is still the object ``data()`` gives."""
    from mxnp import npx

    class Both(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.weight = self.params.get("weight", shape=(3, 5))

        def hybrid_forward(self, F, x, weight):
            return F.np.dot(x, weight.T), weight

    if legacy:
        npx.reset_np()
    eager, hybrid = Both(), Both()
    for net in (eager, hybrid):
        net.initialize()
    hybrid.weight.set_data(eager.weight.data())
    hybrid.hybridize()
    x = np.array(onp.random.default_rng(7).standard_normal((2, 5)).astype("float32"))
    if legacy:
        x = x.as_nd_ndarray()
    for _ in range(2):  # traced, then replayed
        with autograd.record():
            y, weight = hybrid(x)
            (y * y).sum().backward()
        assert weight is hybrid.weight.data()
        assert type(y) is type(eager(x)[0])
        assert_allclose(y, eager(x)[0], rtol=1e-6)
    with autograd.record():
        y, _ = eager(x)
        (y * y).sum().backward()
    assert_allclose(hybrid.weight.grad(), eager.weight.grad(), rtol=1e-6)
