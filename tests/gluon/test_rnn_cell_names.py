"""gluon.rnn cells: names, parameter shapes and inits, reprs, state_info and begin_state, as
MXNet 1.9.1 has them (recorded with mxref; counters start at 0 in a fresh process)."""
from __future__ import annotations

import re

import numpy as onp
import pytest

from mxnp import init, np
from mxnp.gluon import nn, rnn


def suffixes(block):
    return [(k[len(block.prefix):], v.shape, v.init) for k, v in block.collect_params().items()]


def test_cell_parameters_match_mxnet():
    # MXNet 1.9.1 (mxref): lstm3_i2h_weight (16, -1) None, ... biases 'zeros'
    cell = rnn.LSTMCell(4)
    assert re.fullmatch(r"lstm\d+", cell.name)
    assert suffixes(cell) == [("i2h_weight", (16, -1), None), ("h2h_weight", (16, 4), None),
                              ("i2h_bias", (16,), "zeros"), ("h2h_bias", (16,), "zeros")]
    assert [s for _, s, _ in suffixes(rnn.GRUCell(4, input_size=3))] == [(12, 3), (12, 4),
                                                                        (12,), (12,)]
    assert re.fullmatch(r"gru\d+", rnn.GRUCell(3).name)
    assert re.fullmatch(r"rnn\d+", rnn.RNNCell(3).name)
    assert re.fullmatch(r"dropout\d+", rnn.DropoutCell(0.3).name)  # shares nn.Dropout's hint
    with_init = rnn.RNNCell(2, i2h_bias_initializer=init.Constant(3.0), input_size=1)
    with_init.initialize()
    assert float(with_init.i2h_bias.data().sum()) == 6.0


def test_counters_and_prefixes_of_wrappers():
    # MXNet 1.9.1 (mxref): 'lstm6_zoneout', 'gru6_residualcell', BidirectionalCell ''
    base = rnn.LSTMCell(3)
    zone = rnn.ZoneoutCell(base, 0.1, 0.2)
    assert zone.name == zone.prefix == base.prefix + "zoneout"
    assert list(zone.collect_params()) == list(base.collect_params())
    gru = rnn.GRUCell(3)
    assert rnn.ResidualCell(gru).prefix == gru.prefix + "residualcell"
    left, right = rnn.LSTMCell(3), rnn.GRUCell(2)
    bi = rnn.BidirectionalCell(left, right)
    assert bi.name == "" and bi.prefix == ""
    assert list(bi.collect_params()) == list(left.collect_params()) + list(
        right.collect_params())
    assert re.fullmatch(r"sequentialrnncell\d+", rnn.SequentialRNNCell().name)
    assert re.fullmatch(r"hybridsequentialrnncell\d+", rnn.HybridSequentialRNNCell().name)


@pytest.mark.parametrize("make, text", [
    # MXNet 1.9.1 (mxref)
    (lambda: rnn.LSTMCell(4), "LSTMCell(-1 -> 16)"),
    (lambda: rnn.RNNCell(3), "RNNCell(-1 -> 3, tanh)"),
    (lambda: rnn.RNNCell(3, activation="relu", input_size=2), "RNNCell(2 -> 3, relu)"),
    (lambda: rnn.GRUCell(3), "GRUCell(-1 -> 9)"),
    (lambda: rnn.DropoutCell(0.3), "DropoutCell(rate=0.3, axes=())"),
    (lambda: rnn.DropoutCell(0.3, axes=(1,)), "DropoutCell(rate=0.3, axes=(1,))"),
    (lambda: rnn.ZoneoutCell(rnn.LSTMCell(3), 0.1, 0.2),
     "ZoneoutCell(p_out=0.1, p_state=0.2, LSTMCell(-1 -> 12))"),
    (lambda: rnn.ResidualCell(rnn.GRUCell(3)), "ResidualCell(GRUCell(-1 -> 9))"),
    (lambda: rnn.BidirectionalCell(rnn.LSTMCell(3), rnn.GRUCell(2)),
     "BidirectionalCell(forward=LSTMCell(-1 -> 12), backward=GRUCell(-1 -> 6))"),
    # legacy mode prints None for the unknown width; numpy mode's -1 as above
    (lambda: rnn.RNNCell(2, activation=nn.LeakyReLU(0.1)), "RNNCell(-1 -> 2, LeakyReLU(0.1))"),
])
def test_cell_repr_matches_mxnet(make, text):
    assert repr(make()) == text


def test_stack_repr_matches_mxnet():
    # MXNet 1.9.1 (mxref): no indentation before the keys
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.LSTMCell(4))
    seq.add(rnn.DropoutCell(0.5))
    seq.add(rnn.GRUCell(3))
    assert repr(seq) == ("SequentialRNNCell(\n(0): LSTMCell(-1 -> 16)\n"
                         "(1): DropoutCell(rate=0.5, axes=())\n(2): GRUCell(-1 -> 9)\n)")
    hybrid = rnn.HybridSequentialRNNCell()
    hybrid.add(rnn.RNNCell(2))
    assert repr(hybrid) == "HybridSequentialRNNCell(\n(0): RNNCell(-1 -> 2, tanh)\n)"


def test_state_info_and_begin_state():
    # MXNet 1.9.1 (mxref)
    lstm = rnn.LSTMCell(4)
    assert lstm.state_info(2) == [{"shape": (2, 4), "__layout__": "NC"}] * 2
    states = lstm.begin_state(2)
    assert [s.shape for s in states] == [(2, 4), (2, 4)]
    assert isinstance(states[0], np.ndarray) and states[0].dtype == onp.float32  # MXNet: nd
    assert lstm.begin_state(1, dtype="float64")[0].dtype == onp.float64
    assert float(lstm.begin_state(1, func=np.ones)[0].sum()) == 4  # MXNet: TypeError ('name')
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.LSTMCell(4))
    seq.add(rnn.DropoutCell(0.5))
    seq.add(rnn.GRUCell(3))
    assert [i["shape"] for i in seq.state_info(2)] == [(2, 4), (2, 4), (2, 3)]
    assert [s.shape for s in seq.begin_state(batch_size=2)] == [(2, 4), (2, 4), (2, 3)]
    bi = rnn.BidirectionalCell(rnn.LSTMCell(3), rnn.GRUCell(2))
    assert [i["shape"] for i in bi.state_info(1)] == [(1, 3), (1, 3), (1, 2)]
    assert rnn.DropoutCell(0.5).state_info(3) == []


def test_deferred_cell_infers_the_flattened_width():
    # MXNet 1.9.1 (mxref, legacy mode): output (3, 2), i2h_weight (6, 4), 'GRUCell(4 -> 6)'
    cell = rnn.GRUCell(2)
    cell.initialize()
    assert cell.i2h_weight.shape == (6, -1)
    out, _ = cell(np.ones((3, 2, 2)), cell.begin_state(3))  # FullyConnected flattens (2, 2)
    assert out.shape == (3, 2) and cell.i2h_weight.shape == (6, 4)
    assert repr(cell) == "GRUCell(4 -> 6)"
