"""``gluon.contrib.rnn``: convolutional RNN/LSTM/GRU cells, VariationalDropoutCell, LSTMPCell
(and ``rnn_cell.dynamic_unroll``)."""
from __future__ import annotations

from . import conv_rnn_cell, rnn_cell  # noqa: F401 (MXNet's module names)
from .conv_rnn_cell import (
    Conv1DGRUCell,
    Conv1DLSTMCell,
    Conv1DRNNCell,
    Conv2DGRUCell,
    Conv2DLSTMCell,
    Conv2DRNNCell,
    Conv3DGRUCell,
    Conv3DLSTMCell,
    Conv3DRNNCell,
)
from .rnn_cell import LSTMPCell, VariationalDropoutCell

__all__ = ["Conv1DGRUCell", "Conv1DLSTMCell", "Conv1DRNNCell", "Conv2DGRUCell",
           "Conv2DLSTMCell", "Conv2DRNNCell", "Conv3DGRUCell", "Conv3DLSTMCell", "Conv3DRNNCell",
           "LSTMPCell", "VariationalDropoutCell"]
