"""VariationalDropoutCell, LSTMPCell and ``dynamic_unroll``: MXNet 1.9.1's contributed cells.

Both cells step on arrays with ``np``/``npx`` ops and on ``mx.sym`` Symbols with MXNet's
operators and node names, as ``gluon.rnn``'s cells do.
"""
from __future__ import annotations

from .... import numpy as np
from .... import numpy_extension as npx
from ..._block_util import as_face, legacy_face
from ..._symbolic import is_symbol
from ...rnn._modifier_cells import BidirectionalCell, ModifierCell
from ...rnn._sequence import format_sequence, mask_sequence
from ...rnn.rnn_cell import HybridRecurrentCell, SequentialRNNCell, _get_begin_state, _shown
from ._step_ops import ARRAY_OPS, SymbolOps

__all__ = ["LSTMPCell", "VariationalDropoutCell"]


def _dropout(x, p, axes=()):
    """Dropout of an array or a Symbol (MXNet's ``Dropout`` node, which shows ``axes`` only
    when the cell passes some)."""
    if is_symbol(x):
        from .... import symbol as sym  # a Symbol exists, so mx.sym is loaded

        return sym.Dropout(x, p=p, **({"axes": axes} if axes else {}))
    return npx.dropout(as_face(x, False), p=p, axes=axes)


def _ones_like(x):
    if is_symbol(x):
        from .... import symbol as sym

        return sym.ones_like(x)
    return np.ones_like(as_face(x, False))


class VariationalDropoutCell(ModifierCell):
    """Dropout on the base cell's inputs, first state and outputs with one mask per sequence
    (Gal and Ghahramani, 2016), drawn at the first step after ``reset``."""

    def __init__(self, base_cell, drop_inputs=0., drop_states=0., drop_outputs=0.):
        assert not drop_states or not isinstance(base_cell, BidirectionalCell), \
            "BidirectionalCell doesn't support variational state dropout. Please add " \
            "VariationalDropoutCell to the cells underneath instead."
        assert not drop_states or not isinstance(base_cell, SequentialRNNCell) or \
            not getattr(base_cell, "_bidirectional", False), \
            "Bidirectional SequentialRNNCell doesn't support variational state dropout. " \
            "Please add VariationalDropoutCell to the cells underneath instead."
        super().__init__(base_cell)
        self.drop_inputs = drop_inputs
        self.drop_states = drop_states
        self.drop_outputs = drop_outputs
        self.drop_inputs_mask = None
        self.drop_states_mask = None
        self.drop_outputs_mask = None

    def _alias(self) -> str:
        return "vardrop"

    def reset(self) -> None:
        """Reset the counters and forget the masks: the next step draws new ones."""
        super().reset()
        self.drop_inputs_mask = None
        self.drop_states_mask = None
        self.drop_outputs_mask = None

    def hybrid_forward(self, F, inputs, states):
        """One step of the base cell with the sequence's masks applied."""
        if self.drop_states and self.drop_states_mask is None:
            self.drop_states_mask = _dropout(_ones_like(states[0]), self.drop_states)
        if self.drop_inputs and self.drop_inputs_mask is None:
            self.drop_inputs_mask = _dropout(_ones_like(inputs), self.drop_inputs)
        if self.drop_states:
            states = [states[0] * self.drop_states_mask, *states[1:]]
        if self.drop_inputs:
            inputs = inputs * self.drop_inputs_mask
        output, states = self.base_cell(inputs, states)
        if self.drop_outputs and self.drop_outputs_mask is None:
            self.drop_outputs_mask = _dropout(_ones_like(output), self.drop_outputs)
        if self.drop_outputs:
            output = output * self.drop_outputs_mask
        return output, states

    _symbol_forward = hybrid_forward

    def __repr__(self):
        return (f"{type(self).__name__}(p_out = {self.drop_outputs}, "
                f"p_state = {self.drop_states})")

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll; without state dropout the whole sequence is masked at once (one mask
        broadcast over the time axis) around the base cell's own ``unroll``."""
        if self.drop_states:
            return super().unroll(length, inputs, begin_state, layout, merge_outputs,
                                  valid_length=valid_length)
        self.reset()
        inputs, axis, batch_size = format_sequence(length, inputs, layout, True)
        states = _get_begin_state(self, begin_state, inputs, batch_size)
        if self.drop_inputs:
            inputs = _dropout(inputs, self.drop_inputs, axes=(axis,))
        self.base_cell._modified = False
        try:
            outputs, states = self.base_cell.unroll(length, inputs, states, layout,
                                                    merge_outputs=True,
                                                    valid_length=valid_length)
        finally:
            self.base_cell._modified = True
        if self.drop_outputs:
            outputs = _dropout(outputs, self.drop_outputs, axes=(axis,))
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, np.ndarray) or is_symbol(outputs)
        if not is_symbol(outputs):
            outputs, states = as_face(outputs, False), as_face(states, False)
        outputs, _, _ = format_sequence(length, outputs, layout, merge_outputs)
        if valid_length is not None:
            outputs = mask_sequence(outputs, length, valid_length, axis, merge_outputs)
        return _shown(outputs, states)


class LSTMPCell(HybridRecurrentCell):
    """LSTM with a projection of the hidden state (Sak et al., 2014): the recurrent state and
    output are ``h2r_weight`` times the LSTM hidden state; states [r, c]."""

    def __init__(self, hidden_size, projection_size, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, h2r_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        self._projection_size = projection_size
        for name, shape, init in (
                ("i2h_weight", (4 * hidden_size, input_size), i2h_weight_initializer),
                ("h2h_weight", (4 * hidden_size, projection_size), h2h_weight_initializer),
                ("h2r_weight", (projection_size, hidden_size), h2r_weight_initializer),
                ("i2h_bias", (4 * hidden_size,), i2h_bias_initializer),
                ("h2h_bias", (4 * hidden_size,), h2h_bias_initializer)):
            setattr(self, name, self.params.get(name, shape=shape, init=init,
                                                allow_deferred_init=True))

    def state_info(self, batch_size=0) -> list:
        """The projected state r (N, P) and the cell state c (N, H)."""
        return [{"shape": (batch_size, self._projection_size), "__layout__": "NC"},
                {"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self) -> str:
        return "lstmp"

    def infer_shape(self, inputs, *args) -> None:
        """The input width: every axis after the batch axis (as FullyConnected flattens)."""
        width = 1
        for size in inputs.shape[1:]:
            width *= size
        self.i2h_weight.shape = (self.i2h_weight.shape[0], width)

    def __repr__(self):
        shape, proj = self.i2h_weight.shape, self.h2r_weight.shape
        return (f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]} -> "
                f"{proj[0]})")

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
                       h2h_bias):
        """One step on arrays: returns r and [r, c]."""
        return self._step(ARRAY_OPS, inputs, states, i2h_weight, h2h_weight, h2r_weight,
                          i2h_bias, h2h_bias)

    def _symbol_forward(self, F, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
                        h2h_bias):
        return self._step(SymbolOps(F), inputs, states, i2h_weight, h2h_weight, h2r_weight,
                          i2h_bias, h2h_bias)

    def _step(self, ops, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
              h2h_bias):
        prefix = f"t{self._counter}_"
        rows = 4 * self._hidden_size
        i2h = ops.fc(inputs, i2h_weight, i2h_bias, rows, prefix + "i2h")
        h2h = ops.fc(states[0], h2h_weight, h2h_bias, rows, prefix + "h2h")
        gates = ops.split(i2h + h2h, 4, -1 if ops is ARRAY_OPS else None, prefix + "slice")
        in_gate = ops.sigmoid(gates[0], prefix + "i")
        forget_gate = ops.sigmoid(gates[1], prefix + "f")
        in_transform = ops.tanh(gates[2], prefix + "c")
        out_gate = ops.sigmoid(gates[3], prefix + "o")
        next_c = ops.add(forget_gate * states[1], in_gate * in_transform, prefix + "state")
        hidden = ops.mul(out_gate, ops.tanh(next_c), prefix + "hidden")
        next_r = ops.fc(hidden, h2r_weight, None, self._projection_size, prefix + "out",
                        no_bias=True)
        return next_r, [next_r, next_c]


def dynamic_unroll(cell, inputs, begin_state, drop_inputs=0, drop_outputs=0, layout="TNC",
                   valid_length=None):
    """Run ``cell`` over ``inputs`` (one array, time axis from ``layout``) from
    ``begin_state``; returns (outputs, states). With ``valid_length`` each sequence's states
    stop changing after its last valid step and its later outputs are zero. Dropout on the
    inputs and outputs shares one mask along the time axis.

    Differs from MXNet: it loops in Python over the steps (MXNet's ``contrib.foreach``), on
    arrays only."""
    legacy = legacy_face()
    axis = layout.find("T")
    inputs = as_face(inputs, False)
    states = list(as_face(list(begin_state), False))
    if drop_inputs:
        inputs = npx.dropout(inputs, p=drop_inputs, axes=(axis,))
    outputs = []
    for t in range(inputs.shape[axis]):
        out, new_states = cell(np.take(inputs, t, axis=axis), states)
        new_states = as_face(list(new_states), False)
        if valid_length is not None:
            alive = np.expand_dims(as_face(valid_length, False) > t, -1)
            new_states = [np.where(np.reshape(alive, alive.shape + (1,) * (s.ndim - 2)), s, old)
                          for s, old in zip(new_states, states)]
        outputs.append(as_face(out, False))
        states = new_states
    outputs = np.stack(outputs, axis=axis)
    if drop_outputs:
        outputs = npx.dropout(outputs, p=drop_outputs, axes=(axis,))
    if valid_length is not None:
        outputs = npx.sequence_mask(outputs, sequence_length=as_face(valid_length, False),
                                    use_sequence_length=True, axis=axis)
    return as_face(outputs, legacy), as_face(states, legacy)
