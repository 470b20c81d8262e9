"""``mx.rnn``: MXNet 1.x's symbolic recurrent cells and their checkpoint helpers."""
from __future__ import annotations

from . import rnn, rnn_cell
from .rnn import do_rnn_checkpoint, load_rnn_checkpoint, rnn_unroll, save_rnn_checkpoint
from .rnn_cell import (BaseConvRNNCell, BaseRNNCell, BidirectionalCell, ConvGRUCell,
                       ConvLSTMCell, ConvRNNCell, DropoutCell, FusedRNNCell, GRUCell, LSTMCell,
                       ModifierCell, RNNCell, RNNParams, ResidualCell, SequentialRNNCell,
                       ZoneoutCell)

__all__ = ["BaseConvRNNCell", "BaseRNNCell", "BidirectionalCell", "ConvGRUCell", "ConvLSTMCell",
           "ConvRNNCell", "DropoutCell", "FusedRNNCell", "GRUCell", "LSTMCell", "ModifierCell",
           "RNNCell", "RNNParams", "ResidualCell", "SequentialRNNCell", "ZoneoutCell",
           "do_rnn_checkpoint", "load_rnn_checkpoint", "rnn", "rnn_cell", "rnn_unroll",
           "save_rnn_checkpoint"]
