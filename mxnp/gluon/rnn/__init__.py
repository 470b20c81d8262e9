"""gluon.rnn: recurrent layers (RNN, LSTM, GRU on the fused npx.rnn) and cells (MXNet 1.9.1)."""
from __future__ import annotations

from . import rnn_cell, rnn_layer
from ._modifier_cells import BidirectionalCell, ModifierCell, ResidualCell, ZoneoutCell
from .rnn_cell import (
    DropoutCell,
    GRUCell,
    HybridRecurrentCell,
    HybridSequentialRNNCell,
    LSTMCell,
    RecurrentCell,
    RNNCell,
    SequentialRNNCell,
)
from .rnn_layer import GRU, LSTM, RNN

__all__ = ["GRU", "LSTM", "RNN", "BidirectionalCell", "DropoutCell", "GRUCell",
           "HybridRecurrentCell", "HybridSequentialRNNCell", "LSTMCell", "ModifierCell",
           "RNNCell", "RecurrentCell", "ResidualCell", "SequentialRNNCell", "ZoneoutCell",
           "rnn_cell", "rnn_layer"]
