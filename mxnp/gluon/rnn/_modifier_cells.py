"""The cells that wrap other cells: ModifierCell, ZoneoutCell, ResidualCell, BidirectionalCell
(re-exported by ``rnn_cell``, where MXNet 1.9.1 defines them)."""
from __future__ import annotations

import operator

from ... import numpy as np
from ... import numpy_extension as npx
from .._symbolic import is_symbol
from ._sequence import check_valid_length, format_sequence, mask_sequence, reverse_sequences
from .rnn_cell import (
    _MODIFIED,
    HybridRecurrentCell,
    _cells_begin_state,
    _cells_state_info,
    _get_begin_state,
    _shown,
)

__all__ = ["BidirectionalCell", "ModifierCell", "ResidualCell", "ZoneoutCell"]


class ModifierCell(HybridRecurrentCell):
    """Base class of cells that change what another cell (``base_cell``) does; it shares the
    base cell's Parameters and is called in its place."""

    def __init__(self, base_cell):
        assert not base_cell._modified, \
            f"Cell {base_cell.name} is already modified. One cell cannot be modified twice"
        base_cell._modified = True
        super().__init__(prefix=base_cell.prefix + self._alias(), params=None)
        self.base_cell = base_cell

    @property
    def params(self):
        """The base cell's Parameters."""
        return self.base_cell.params

    def state_info(self, batch_size=0) -> list:
        """The base cell's states."""
        return self.base_cell.state_info(batch_size)

    def begin_state(self, batch_size=0, func=np.zeros, **kwargs) -> list:
        """The base cell's initial states."""
        assert not self._modified, _MODIFIED
        self.base_cell._modified = False
        try:
            return self.base_cell.begin_state(batch_size=batch_size, func=func, **kwargs)
        finally:
            self.base_cell._modified = True

    def hybrid_forward(self, F, inputs, states):
        """One step; subclasses define it."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.base_cell})"


class ZoneoutCell(ModifierCell):
    """ZoneoutCell(base_cell, zoneout_outputs=0.0, zoneout_states=0.0): in training, each
    output/state element keeps its previous value with the given probability."""

    def __init__(self, base_cell, zoneout_outputs=0.0, zoneout_states=0.0):
        assert not isinstance(base_cell, BidirectionalCell), \
            "BidirectionalCell doesn't support zoneout since it doesn't support step. " \
            "Please add ZoneoutCell to the cells underneath instead."
        super().__init__(base_cell)
        self.zoneout_outputs = zoneout_outputs
        self.zoneout_states = zoneout_states
        self._prev_output = None

    def __repr__(self):
        return (f"{type(self).__name__}(p_out={self.zoneout_outputs}, "
                f"p_state={self.zoneout_states}, {self.base_cell})")

    def _alias(self) -> str:
        return "zoneout"

    def reset(self) -> None:
        """Reset the counters and forget the previous step's output."""
        super().reset()
        self._prev_output = None

    def hybrid_forward(self, F, inputs, states):
        """One step of the base cell, then zoneout of its output and states."""
        return self._step(inputs, states, np.ones_like, npx.dropout, np.zeros_like, np.where)

    def _symbol_forward(self, F, inputs, states):
        """One step on Symbols, as MXNet writes it (Dropout masks of ones, ``where``)."""
        return self._step(inputs, states, F.ones_like, F.Dropout, F.zeros_like, F.where)

    def _step(self, inputs, states, ones_like, dropout, zeros_like, where):
        next_output, next_states = self.base_cell(inputs, states)

        def keep_new(p, like):  # nonzero where the new value is kept (all of it outside training)
            return dropout(ones_like(like), p=p)

        prev = self._prev_output if self._prev_output is not None else zeros_like(next_output)
        output = next_output
        if self.zoneout_outputs != 0.0:
            output = where(keep_new(self.zoneout_outputs, next_output), next_output, prev)
        if self.zoneout_states != 0.0:
            next_states = [where(keep_new(self.zoneout_states, new), new, old)
                           for new, old in zip(next_states, states)]
        self._prev_output = output
        return output, next_states


class ResidualCell(ModifierCell):
    """ResidualCell(base_cell): the base cell's output plus its input."""

    def __init__(self, base_cell):
        super().__init__(base_cell)

    def hybrid_forward(self, F, inputs, states):
        """One step: base output + inputs."""
        output, states = self.base_cell(inputs, states)
        return output + inputs, states

    def _symbol_forward(self, F, inputs, states):
        output, states = self.base_cell(inputs, states)
        return F.elemwise_add(output, inputs, name=f"t{self._counter}_fwd"), states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll the base cell, then add the (masked) inputs to its outputs."""
        self.reset()
        self.base_cell._modified = False
        try:
            outputs, states = self.base_cell.unroll(
                length, inputs=inputs, begin_state=begin_state, layout=layout,
                merge_outputs=merge_outputs, valid_length=valid_length)
        finally:
            self.base_cell._modified = True
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, np.ndarray) or is_symbol(outputs)
        inputs, axis, _ = format_sequence(length, inputs, layout, merge_outputs)
        if valid_length is not None:
            inputs = mask_sequence(inputs, length, valid_length, axis, merge_outputs)
        add = _elemwise_add if is_symbol(inputs if merge_outputs else inputs[0]) else \
            operator.add
        if merge_outputs:
            return _shown(add(outputs, inputs), states)
        return _shown([add(o, i) for o, i in zip(outputs, inputs)], states)


def _elemwise_add(a, b):
    """MXNet's ResidualCell.unroll adds Symbols with an elemwise_add node (no name prefix)."""
    from ... import symbol as sym

    return sym.elemwise_add(a, b)


class BidirectionalCell(HybridRecurrentCell):
    """BidirectionalCell(l_cell, r_cell, output_prefix='bi_'): ``l_cell`` reads the sequence
    forwards, ``r_cell`` backwards; outputs are concatenated. Only ``unroll`` runs it."""

    def __init__(self, l_cell, r_cell, output_prefix="bi_"):
        super().__init__(prefix="", params=None)
        self.register_child(l_cell, "l_cell")
        self.register_child(r_cell, "r_cell")
        self._output_prefix = output_prefix

    def __call__(self, inputs, states):
        """Not supported: a bidirectional cell needs the whole sequence."""
        raise NotImplementedError("Bidirectional cannot be stepped. Please use unroll")

    def __repr__(self):
        return (f"{type(self).__name__}(forward={self._children['l_cell']}, "
                f"backward={self._children['r_cell']})")

    def state_info(self, batch_size=0) -> list:
        """The forward cell's states, then the backward cell's."""
        return _cells_state_info(self._children.values(), batch_size)

    def begin_state(self, batch_size=0, func=np.zeros, **kwargs) -> list:
        """The forward cell's initial states, then the backward cell's."""
        assert not self._modified, _MODIFIED
        return _cells_begin_state(self._children.values(), batch_size=batch_size, func=func,
                                  **kwargs)

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll both directions (each within its valid length); concatenate the outputs."""
        self.reset()
        inputs, axis, batch_size = format_sequence(length, inputs, layout, False)
        if valid_length is not None:
            check_valid_length(valid_length, batch_size)
        reversed_inputs = reverse_sequences(inputs, valid_length)  # first, as MXNet (graph order)
        states = _get_begin_state(self, begin_state, inputs, batch_size)
        l_cell, r_cell = self._children.values()
        n_left = len(l_cell.state_info(batch_size))
        l_outputs, l_states = l_cell.unroll(length, inputs=inputs, begin_state=states[:n_left],
                                            layout=layout, merge_outputs=merge_outputs,
                                            valid_length=valid_length)
        r_outputs, r_states = r_cell.unroll(length, inputs=reversed_inputs,
                                            begin_state=states[n_left:], layout=layout,
                                            merge_outputs=False, valid_length=valid_length)
        r_outputs = reverse_sequences(r_outputs, valid_length)
        if merge_outputs is None:
            merge_outputs = isinstance(l_outputs, np.ndarray) or is_symbol(l_outputs)
        l_outputs, _, _ = format_sequence(None, l_outputs, layout, merge_outputs)
        r_outputs, _, _ = format_sequence(None, r_outputs, layout, merge_outputs)
        if is_symbol(r_outputs if merge_outputs else r_outputs[0]):  # MXNet's named Concats
            from ... import symbol as sym

            if merge_outputs:
                outputs = sym.concat(l_outputs, r_outputs, dim=2, name=f"{self._output_prefix}out")
            else:
                outputs = [sym.concat(lo, ro, dim=1, name=f"{self._output_prefix}t{i}")
                           for i, (lo, ro) in enumerate(zip(l_outputs, r_outputs))]
        elif merge_outputs:
            outputs = np.concatenate([l_outputs, r_outputs], axis=2)
        else:
            outputs = [np.concatenate([lo, ro], axis=1) for lo, ro in zip(l_outputs, r_outputs)]
        if valid_length is not None:
            outputs = mask_sequence(outputs, length, valid_length, axis, merge_outputs)
        return _shown(outputs, l_states + r_states)

