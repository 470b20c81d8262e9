"""Every name MXNet 1.9.1's gluon.rnn exports exists in mxnp and carries a docstring."""
from __future__ import annotations

import pytest

from mxnp.gluon import rnn

NAMES = ["BidirectionalCell", "DropoutCell", "GRU", "GRUCell", "HybridRecurrentCell",
         "HybridSequentialRNNCell", "LSTM", "LSTMCell", "ModifierCell", "RNN", "RNNCell",
         "RecurrentCell", "ResidualCell", "SequentialRNNCell", "ZoneoutCell", "rnn_cell",
         "rnn_layer"]  # /work/shared/reference/api/gluon.rnn.txt (MXNet 1.9.1)


@pytest.mark.parametrize("name", NAMES)
def test_name_exists_with_a_docstring(name):
    obj = getattr(rnn, name)
    assert (obj.__doc__ or "").strip(), f"gluon.rnn.{name} has no docstring"


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("rnn_")])
def test_public_methods_have_docstrings(name):
    cls = getattr(rnn, name)
    missing = [m for m in ("state_info", "begin_state", "unroll", "reset", "hybrid_forward")
               if hasattr(cls, m) and not (getattr(cls, m).__doc__ or "").strip()]
    assert missing == [], f"{name}: {missing}"


def test_submodules_hold_the_classes():
    assert rnn.rnn_layer.LSTM is rnn.LSTM and rnn.rnn_cell.ZoneoutCell is rnn.ZoneoutCell
