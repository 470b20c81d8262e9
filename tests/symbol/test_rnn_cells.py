"""mx.rnn, MXNet 1.x's symbolic RNN cells: the graphs, names and shapes MXNet 1.9.1 gives
(recorded from it), the fused cell's weight (un)packing, and a fused RNN node computing what
its unfused stack of cells computes, through Modules."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import npx


@pytest.fixture(autouse=True)
def _legacy_mode():
    npx.reset_np()


def test_lstm_unroll_names_and_shapes():
    cell = mx.rnn.LSTMCell(4, prefix="l0_")
    with mx.name.NameManager():  # automatic names count from 0 again
        out, states = cell.unroll(3, mx.sym.Variable("data"), layout="NTC", merge_outputs=True)
    assert out.list_arguments() == ["data", "l0_i2h_weight", "l0_i2h_bias", "l0_h2h_weight",
                                    "l0_h2h_bias"]
    assert out.list_outputs() == ["concat0_output"]
    assert [s.name for s in states] == ["l0_t2_out", "l0_t2_state"]
    assert out.infer_shape(data=(2, 3, 5)) == (
        [(2, 3, 5), (16, 5), (16,), (16, 4), (16,)], [(2, 3, 4)], [])
    assert cell.state_shape == [(0, 4), (0, 4)]
    assert mx.sym.Variable("b", init=mx.init.LSTMBias(forget_bias=1.0)).list_attr() == {
        "__init__": '["lstmbias", {"forget_bias": 1.0}]'}


def test_gru_step_internals_are_mxnets():
    g = mx.rnn.GRUCell(4, prefix="g_")
    out, states = g(mx.sym.Variable("x"), g.begin_state())
    assert out.name == "g_t0_out" and [s.name for s in states] == ["g_t0_out"]
    internals = out.get_internals().list_outputs()
    assert internals[:7] == ["x", "g_i2h_weight", "g_i2h_bias", "g_t0__i2h_output",
                             "g_t0__i2h_slice_output0", "g_t0__i2h_slice_output1",
                             "g_t0__i2h_slice_output2"]
    assert "g_begin_state_0_output" in internals and internals[-1] == "g_t0_out_output"


def test_stacks_bidirectional_and_modifiers():
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.RNNCell(3, activation="relu", prefix="a_"))
    stack.add(mx.rnn.DropoutCell(0.5, prefix="d_"))
    stack.add(mx.rnn.ResidualCell(mx.rnn.RNNCell(3, prefix="b_")))
    outs, states = stack.unroll(2, [mx.sym.Variable("x0"), mx.sym.Variable("x1")])
    assert [o.name for o in outs] == ["b_t0_out_plus_residual", "b_t1_out_plus_residual"]
    assert [s.name for s in states] == ["a_t1_out", "b_t1_out"]
    bi = mx.rnn.BidirectionalCell(mx.rnn.GRUCell(3, prefix="l_"), mx.rnn.GRUCell(3, prefix="r_"))
    outs, states = bi.unroll(2, mx.sym.Variable("data"))
    assert [o.name for o in outs] == ["bi_t0", "bi_t1"]
    assert [[s.name for s in part] for part in states] == [["l_t1_out"], ["r_t1_out"]]
    assert mx.rnn.FusedRNNCell(4, mode="lstm").unfuse()._cells[0]._prefix == "lstm_l0_"
    conv = mx.rnn.ConvLSTMCell((1, 2, 5, 5), 3, prefix="c_")
    outs, _ = conv.unroll(2, mx.sym.Variable("data"), layout="NTC")
    assert conv.state_shape == [(0, 3, 5, 5), (0, 3, 5, 5)]
    assert outs[1].infer_shape(data=(1, 2, 2, 5, 5))[1] == [(1, 3, 5, 5)]


def test_fused_unpack_pack_round_trip():
    f = mx.rnn.FusedRNNCell(4, num_layers=2, mode="gru", bidirectional=True, prefix="f_",
                            get_next_state=True)
    outs, states = f.unroll(3, mx.sym.Variable("data"), layout="TNC", merge_outputs=False)
    assert len(outs) == 3 and [s.name for s in states] == ["f_rnn"]
    assert outs[0].infer_shape(data=(3, 2, 5))[0] == [(3, 2, 5), (600,)]
    flat = mx.nd.arange(600)
    parts = f.unpack_weights({"f_parameters": flat})
    assert len(parts) == 48 and parts["f_l0_h2h_o_weight"].shape == (4, 4)
    assert parts["f_r1_h2h_z_weight"].asnumpy().ravel()[:3].tolist() == [472, 473, 474]
    assert parts["f_l0_i2h_r_bias"].asnumpy().tolist() == [504, 505, 506, 507]
    packed = f.pack_weights(parts)["f_parameters"]
    onp.testing.assert_array_equal(packed.asnumpy(), flat.asnumpy())


@pytest.mark.parametrize("mode, make", [
    ("lstm", lambda p: mx.rnn.LSTMCell(6, prefix=p)),
    ("gru", lambda p: mx.rnn.GRUCell(6, prefix=p)),
    ("rnn_tanh", lambda p: mx.rnn.RNNCell(6, activation="tanh", prefix=p)),
])
def test_fused_node_computes_its_stack_of_cells(mode, make):
    T, N, I = 3, 2, 5
    fused = mx.rnn.FusedRNNCell(6, num_layers=2, mode=mode, bidirectional=True,
                                get_next_state=True, prefix="")
    stack = mx.rnn.SequentialRNNCell()
    for i in range(2):
        stack.add(mx.rnn.BidirectionalCell(make(f"l{i}_"), make(f"r{i}_"),
                                           output_prefix=f"bi_{i}_"))
    mods = []
    for cell in (fused, stack):
        y, _ = cell.unroll(T, mx.sym.Variable("data"), layout="NTC", merge_outputs=True)
        mod = mx.mod.Module(y, label_names=None)
        mod.bind(data_shapes=[("data", (N, T, I))], inputs_need_grad=True)
        mods.append(mod)
    mods[0].init_params(mx.init.Uniform(0.5))
    args, auxs = mods[0].get_params()
    mods[1].set_params(stack.pack_weights(fused.unpack_weights(args)), auxs)
    batch = mx.io.DataBatch(data=[mx.nd.array(onp.random.RandomState(0).rand(N, T, I))])
    dy = mx.nd.array(onp.random.RandomState(1).rand(N, T, 12))
    for mod in mods:
        mod.forward(batch, is_train=True)
        mod.backward(out_grads=[dy])
    onp.testing.assert_allclose(mods[0].get_outputs()[0].asnumpy(),
                                mods[1].get_outputs()[0].asnumpy(), rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(mods[0].get_input_grads()[0].asnumpy(),
                                mods[1].get_input_grads()[0].asnumpy(), rtol=1e-4, atol=1e-6)


def test_rnn_checkpoint_saves_unpacked_weights(tmp_path):
    f = mx.rnn.FusedRNNCell(3, mode="rnn_relu", prefix="f_")
    y, _ = f.unroll(2, mx.sym.Variable("data"), layout="TNC", merge_outputs=True)
    flat = mx.nd.arange(3 * (4 + 3 + 2))
    prefix = str(tmp_path / "m")
    mx.rnn.do_rnn_checkpoint(f, prefix)(0, y, {"f_parameters": flat}, {})
    saved = mx.nd.load(prefix + "-0001.params")
    assert sorted(saved) == ["arg:f_l0_h2h_bias", "arg:f_l0_h2h_weight", "arg:f_l0_i2h_bias",
                             "arg:f_l0_i2h_weight"]
    _, args, _ = mx.rnn.load_rnn_checkpoint(f, prefix, 1)
    onp.testing.assert_array_equal(args["f_parameters"].asnumpy(), flat.asnumpy())
