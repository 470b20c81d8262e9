"""gluon.rnn cells (MXNet 1.9.1's names, parameters and ``unroll``), working on np arrays.

MXNet 1.9.1's cells call legacy operators and fail on numpy arrays; these run on np/npx ops,
so a cell steps, unrolls (with ``valid_length``) and differentiates like any other block.
The wrapper cells (modifiers, bidirectional) live in ``_modifier_cells`` and are re-exported.
"""
from __future__ import annotations

import inspect
import math
from typing import TYPE_CHECKING

from ... import _lazy
from ... import numpy as np
from ... import numpy_extension as npx
from .._block_util import _indent, as_face, legacy_face
from .._symbolic import is_symbol
from ..block import Block, HybridBlock
from ..nn import LeakyReLU
from ._sequence import check_valid_length, format_sequence, mask_sequence, sequence_last

__all__ = [
    "BidirectionalCell",
    "DropoutCell",
    "GRUCell",
    "HybridRecurrentCell",
    "HybridSequentialRNNCell",
    "LSTMCell",
    "ModifierCell",
    "RNNCell",
    "RecurrentCell",
    "ResidualCell",
    "SequentialRNNCell",
    "ZoneoutCell",
]

_MODIFIED = ("After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be called "
             "directly. Call the modifier cell instead.")
_NAMED_ACTIVATIONS = {"tanh": np.tanh, "relu": npx.relu, "sigmoid": npx.sigmoid}


def _activate(x, activation):
    """Apply a cell's activation: a name npx.activation knows, a LeakyReLU, or a callable."""
    if isinstance(activation, str):
        named = _NAMED_ACTIVATIONS.get(activation)
        return named(x) if named else npx.activation(x, act_type=activation)
    if isinstance(activation, LeakyReLU):
        return npx.leaky_relu(x, act_type="leaky", slope=activation._alpha)
    return activation(x)


def _first_step(inputs):
    return inputs if isinstance(inputs, np.ndarray) else inputs[0]


def _get_begin_state(cell, begin_state, inputs, batch_size):
    """The given states, or zeros on the inputs' context and in their dtype (on Symbols:
    ``mx.sym.zeros`` nodes of batch size 0, which shape inference fills, as in MXNet)."""
    if begin_state is not None:
        return begin_state
    first = _first_step(inputs)
    if is_symbol(first):
        from ... import symbol as sym  # a Symbol exists, so mx.sym is loaded

        return cell.begin_state(batch_size=0, func=sym.zeros)
    return cell.begin_state(batch_size=batch_size, ctx=first.ctx, dtype=first.dtype)


def _symbol_activation(F, x, activation, name):
    """A cell's activation as MXNet's cells write it on Symbols (``_get_activation``)."""
    if isinstance(activation, str):
        named = {"tanh": F.tanh, "relu": F.relu, "sigmoid": F.sigmoid, "softsign": F.softsign}
        fn = named.get(activation)
        return fn(x, name=name) if fn else F.Activation(x, act_type=activation, name=name)
    if isinstance(activation, LeakyReLU):
        return F.LeakyReLU(x, act_type="leaky", slope=activation._alpha, name=name)
    return activation(x, name=name)


def _cells_state_info(cells, batch_size):
    return [info for c in cells for info in c.state_info(batch_size)]


def _cells_begin_state(cells, **kwargs):
    return [state for c in cells for state in c.begin_state(**kwargs)]


def _keywords(func) -> tuple:
    """(whether ``func`` accepts ``name=``, whether it accepts any keyword)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return False, False
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params)
    return takes_any or any(p.name == "name" for p in params), takes_any


def _default_states(states: list, func) -> list:
    """``begin_state``'s states: made by the default ``np.zeros``, they are NDArrays in the 1.x
    face (MXNet's default is ``mx.nd.zeros``); a ``func`` of the caller's gives its own kind."""
    return as_face(states, legacy_face()) if func is np.zeros else states


def _shown(outputs, states) -> tuple:
    """``unroll``'s results in the caller's face (NDArrays while MXNet's switch is off)."""
    legacy = legacy_face()
    return as_face(outputs, legacy), as_face(states, legacy)


class RecurrentCell(Block):
    """Base class of the recurrent cells: one step per call, ``unroll`` for a sequence."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._modified = False
        self.reset()

    def reset(self) -> None:
        """Reset the step counters (of this cell and its children) before a new sequence."""
        self._init_counter = -1
        self._counter = -1
        for cell in self._children.values():
            cell.reset()

    def state_info(self, batch_size=0) -> list:
        """One dict per state: its ``shape`` and ``__layout__``."""
        raise NotImplementedError()

    def begin_state(self, batch_size=0, func=np.zeros, **kwargs) -> list:
        """The initial states: ``func(shape=..., **kwargs)`` for each entry of ``state_info``;
        a ``func`` that takes a ``name`` (``mx.sym.zeros``, ``mx.nd.ones`` ...) gets MXNet's
        ``<prefix>begin_state_<i>``, which names the graph nodes of Symbols."""
        assert not self._modified, _MODIFIED
        takes_name, takes_any = _keywords(func)
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info or {})
            if not takes_any:  # MXNet passes it on (a Symbol keeps it as an attribute)
                info.pop("__layout__", None)
            info.update(kwargs)
            if takes_name:
                info.setdefault("name", f"{self._prefix}begin_state_{self._init_counter}")
            states.append(func(**info))
        return _default_states(states, func)

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Run ``length`` steps; returns (outputs, states): outputs one array if merged."""
        self.reset()
        inputs, axis, batch_size = format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, begin_state, inputs, batch_size)
        if valid_length is not None:
            check_valid_length(valid_length, batch_size)
        first_states = states
        outputs, all_states = [], []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [sequence_last(steps, valid_length, begin)
                      for begin, steps in zip(first_states, zip(*all_states))]
            outputs = mask_sequence(outputs, length, valid_length, axis, True)
        outputs, _, _ = format_sequence(length, outputs, layout, merge_outputs)
        return _shown(outputs, states)

    def _get_activation(self, F, inputs, activation, **kwargs):
        """``activation`` applied to ``inputs`` (a name, a LeakyReLU block or a callable)."""
        return _activate(inputs, activation)

    def forward(self, inputs, states):
        """One step: ``(output, new_states)``."""
        self._counter += 1
        return super().forward(inputs, states)


class HybridRecurrentCell(RecurrentCell, HybridBlock):
    """A RecurrentCell whose step is ``hybrid_forward(F, inputs, states, **params)``."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """One step; subclasses define it."""
        raise NotImplementedError


class _GatedCell(HybridRecurrentCell):
    """What RNNCell, LSTMCell and GRUCell share: i2h/h2h weights and biases of ``gates``·H
    rows, one state (two for LSTM) of shape (N, H), and the input width inferred."""

    _gates = 1

    def __init__(self, hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        rows = self._gates * hidden_size
        for name, shape, init in (
                ("i2h_weight", (rows, input_size), i2h_weight_initializer),
                ("h2h_weight", (rows, hidden_size), h2h_weight_initializer),
                ("i2h_bias", (rows,), i2h_bias_initializer),
                ("h2h_bias", (rows,), h2h_bias_initializer)):
            setattr(self, name, self.params.get(name, shape=shape, init=init,
                                                allow_deferred_init=True))

    def state_info(self, batch_size=0) -> list:
        """One (N, H) state (LSTMCell: two)."""
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def infer_shape(self, inputs, *args) -> None:
        """The input width: every axis after the batch axis (as FullyConnected flattens)."""
        self.i2h_weight.shape = (self.i2h_weight.shape[0], math.prod(inputs.shape[1:]))

    def _projections(self, inputs, h, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        rows = self._gates * self._hidden_size
        i2h = npx.fully_connected(inputs, i2h_weight, i2h_bias, num_hidden=rows)
        h2h = npx.fully_connected(h, h2h_weight, h2h_bias, num_hidden=rows)
        return i2h, h2h

    def _symbol_projections(self, F, prefix, inputs, h, i2h_weight, h2h_weight, i2h_bias,
                            h2h_bias):
        """The two FullyConnected nodes of a step on Symbols (``t0_i2h``, ``t0_h2h``)."""
        rows = self._gates * self._hidden_size
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=rows,
                               name=prefix + "i2h")
        h2h = F.FullyConnected(data=h, weight=h2h_weight, bias=h2h_bias, num_hidden=rows,
                               name=prefix + "h2h")
        return i2h, h2h

    def __repr__(self):
        shape = self.i2h_weight.shape
        return f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]})"


class RNNCell(_GatedCell):
    """RNNCell(hidden_size, activation='tanh', ...): h' = act(W_i x + b_i + W_h h + b_h)."""

    def __init__(self, hidden_size, activation="tanh", i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation

    def _alias(self) -> str:
        return "rnn"

    def __repr__(self):
        return f"{super().__repr__()[:-1]}, {self._activation})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One Elman step; the output is the new state."""
        i2h, h2h = self._projections(inputs, states[0], i2h_weight, h2h_weight, i2h_bias,
                                     h2h_bias)
        output = _activate(i2h + h2h, self._activation)
        return output, [output]

    def _symbol_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One step on Symbols: MXNet's graph and node names (``t0_out`` ...)."""
        prefix = f"t{self._counter}_"
        i2h, h2h = self._symbol_projections(F, prefix, inputs, states[0], i2h_weight,
                                            h2h_weight, i2h_bias, h2h_bias)
        output = _symbol_activation(F, F.elemwise_add(i2h, h2h, name=prefix + "plus0"),
                                    self._activation, prefix + "out")
        return output, [output]


class LSTMCell(_GatedCell):
    """LSTMCell(hidden_size, ..., activation='tanh', recurrent_activation='sigmoid'): gates
    i, f, c, o in that order; states [h, c]."""

    _gates = 4

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 prefix=None, params=None, activation="tanh", recurrent_activation="sigmoid"):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation
        self._recurrent_activation = recurrent_activation

    def _alias(self) -> str:
        return "lstm"

    def state_info(self, batch_size=0) -> list:
        """Two (N, H) states: h and c."""
        return super().state_info(batch_size) * 2

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One LSTM step: returns h and [h, c]."""
        i2h, h2h = self._projections(inputs, states[0], i2h_weight, h2h_weight, i2h_bias,
                                     h2h_bias)
        i, f, c, o = np.split(i2h + h2h, 4, axis=-1)
        gate = self._recurrent_activation
        next_c = _activate(f, gate) * states[1] + _activate(i, gate) * _activate(
            c, self._activation)
        next_h = _activate(o, gate) * _activate(next_c, self._activation)
        return next_h, [next_h, next_c]

    def _symbol_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One step on Symbols: MXNet's graph and node names (``t0_slice``, ``t0_out`` ...)."""
        prefix = f"t{self._counter}_"
        i2h, h2h = self._symbol_projections(F, prefix, inputs, states[0], i2h_weight,
                                            h2h_weight, i2h_bias, h2h_bias)
        gates = F.SliceChannel(F.elemwise_add(i2h, h2h, name=prefix + "plus0"), num_outputs=4,
                               name=prefix + "slice")
        act, gate = self._activation, self._recurrent_activation
        in_gate, forget_gate, in_transform, out_gate = (
            _symbol_activation(F, g, a, prefix + n)
            for g, a, n in zip(gates, (gate, gate, act, gate), "ifco"))
        next_c = F.elemwise_add(F.elemwise_mul(forget_gate, states[1], name=prefix + "mul0"),
                                F.elemwise_mul(in_gate, in_transform, name=prefix + "mul1"),
                                name=prefix + "state")
        # MXNet writes this one as an Activation node (act_type=...), not as the named op
        cell_out = F.Activation(next_c, act_type=act, name=prefix + "activation0") \
            if isinstance(act, str) else _symbol_activation(F, next_c, act, prefix + "activation0")
        next_h = F.elemwise_mul(out_gate, cell_out, name=prefix + "out")
        return next_h, [next_h, next_c]


class GRUCell(_GatedCell):
    """GRUCell(hidden_size, ...): cuDNN's GRU, gates r, z, n; the reset gate scales the h2h
    term including its bias."""

    _gates = 3

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 prefix=None, params=None):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)

    def _alias(self) -> str:
        return "gru"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One GRU step: h' = (1 - z) n + z h."""
        h = states[0]
        i2h, h2h = self._projections(inputs, h, i2h_weight, h2h_weight, i2h_bias, h2h_bias)
        i2h_r, i2h_z, i2h_n = np.split(i2h, 3, axis=-1)
        h2h_r, h2h_z, h2h_n = np.split(h2h, 3, axis=-1)
        reset = npx.sigmoid(i2h_r + h2h_r)
        update = npx.sigmoid(i2h_z + h2h_z)
        candidate = np.tanh(i2h_n + reset * h2h_n)
        next_h = (1 - update) * candidate + update * h
        return next_h, [next_h]

    def _symbol_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """One step on Symbols: MXNet's graph and node names (``t0_r_act``, ``t0_out`` ...)."""
        prefix, h = f"t{self._counter}_", states[0]
        i2h, h2h = self._symbol_projections(F, prefix, inputs, h, i2h_weight, h2h_weight,
                                            i2h_bias, h2h_bias)
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=prefix + "i2h_slice")
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=prefix + "h2h_slice")
        reset = F.Activation(F.elemwise_add(i2h_r, h2h_r, name=prefix + "plus0"),
                             act_type="sigmoid", name=prefix + "r_act")
        update = F.Activation(F.elemwise_add(i2h_z, h2h_z, name=prefix + "plus1"),
                              act_type="sigmoid", name=prefix + "z_act")
        candidate = F.Activation(F.elemwise_add(i2h, F.elemwise_mul(reset, h2h,
                                                                    name=prefix + "mul0"),
                                                name=prefix + "plus2"),
                                 act_type="tanh", name=prefix + "h_act")
        keep = F.elemwise_sub(F.ones_like(update, name=prefix + "ones_like0"), update,
                              name=prefix + "minus0")
        next_h = F.elemwise_add(F.elemwise_mul(keep, candidate, name=prefix + "mul1"),
                                F.elemwise_mul(update, h, name=prefix + "mul20"),
                                name=prefix + "out")
        return next_h, [next_h]


class _CellStack:
    """What SequentialRNNCell and HybridSequentialRNNCell share: cells run one after another,
    each taking its own slice of the concatenated states."""

    def __repr__(self):
        body = "\n".join(f"({key}): {_indent(repr(cell), 2)}"
                         for key, cell in self._children.items())
        return f"{type(self).__name__}(\n{body}\n)"

    def add(self, cell) -> None:
        """Append ``cell`` to the stack."""
        self.register_child(cell)

    def state_info(self, batch_size=0) -> list:
        """The cells' states, concatenated in order."""
        return _cells_state_info(self._children.values(), batch_size)

    def begin_state(self, batch_size=0, func=np.zeros, **kwargs) -> list:
        """The cells' initial states, concatenated in order."""
        assert not self._modified, _MODIFIED
        return _cells_begin_state(self._children.values(), batch_size=batch_size, func=func,
                                  **kwargs)

    def __call__(self, inputs, states):
        """One step through every cell; returns (output, all new states)."""
        # cycle: _modifier_cells subclasses this module's cells
        from ._modifier_cells import BidirectionalCell

        self._counter += 1
        assert not any(isinstance(c, BidirectionalCell) for c in self._children.values()), \
            "BidirectionalCell cannot be stepped; unroll the stack instead"
        next_states, p = [], 0
        for cell in self._children.values():
            n = len(cell.state_info())
            inputs, state = cell(inputs, states[p:p + n])
            p += n
            next_states.extend(state)
        return inputs, next_states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Unroll each cell over the whole sequence in turn; returns (outputs, states)."""
        self.reset()
        inputs, _, batch_size = format_sequence(length, inputs, layout, None)
        begin_state = _get_begin_state(self, begin_state, inputs, batch_size)
        last, p, next_states = len(self._children) - 1, 0, []
        for i, cell in enumerate(self._children.values()):
            n = len(cell.state_info())
            inputs, states = cell.unroll(length, inputs=inputs, begin_state=begin_state[p:p + n],
                                         layout=layout,
                                         merge_outputs=merge_outputs if i == last else None,
                                         valid_length=valid_length)
            p += n
            next_states.extend(states)
        return _shown(inputs, next_states)

    def __getitem__(self, i):
        return self._children[str(i)]

    def __len__(self):
        return len(self._children)


class SequentialRNNCell(_CellStack, RecurrentCell):
    """SequentialRNNCell(prefix=None, params=None): a stack of cells."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)


class HybridSequentialRNNCell(_CellStack, HybridRecurrentCell):
    """HybridSequentialRNNCell(prefix=None, params=None): a stack of hybrid cells."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, inputs, states):
        """One step through every cell."""
        return self.__call__(inputs, states)


class DropoutCell(HybridRecurrentCell):
    """DropoutCell(rate, axes=()): dropout on the step's input in training; no state."""

    def __init__(self, rate, axes=(), prefix=None, params=None):
        super().__init__(prefix, params)
        assert isinstance(rate, (int, float)) and not isinstance(rate, bool), \
            "rate must be a number"
        self._rate = rate
        self._axes = axes

    def __repr__(self):
        return f"{type(self).__name__}(rate={self._rate}, axes={self._axes})"

    def _alias(self) -> str:
        return "dropout"

    def state_info(self, batch_size=0) -> list:
        """No states."""
        return []

    def _drop(self, inputs, name=None):
        if self._rate == 0:
            return inputs
        if is_symbol(inputs):  # MXNet's Dropout node (t0_fwd when stepped)
            from ... import symbol as sym

            return sym.Dropout(inputs, p=self._rate, axes=self._axes, name=name)
        return npx.dropout(inputs, p=self._rate, axes=self._axes)

    def hybrid_forward(self, F, inputs, states):
        """Dropout on ``inputs``; ``states`` pass through."""
        return self._drop(inputs), states

    def _symbol_forward(self, F, inputs, states):
        return self._drop(inputs, f"t{self._counter}_fwd"), states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Dropout on the whole sequence at once when it is one array, else step by step."""
        self.reset()
        inputs, _, _ = format_sequence(length, inputs, layout, merge_outputs)
        if isinstance(inputs, np.ndarray) or is_symbol(inputs):
            # MXNet calls hybrid_forward directly here: on a Symbol the node is 't-1_fwd',
            # outside the cell's name prefix (the counter was just reset)
            name = f"t{self._counter}_fwd" if is_symbol(inputs) else None
            return _shown(self._drop(inputs, name), begin_state if begin_state else [])
        return super().unroll(length, inputs, begin_state=begin_state, layout=layout,
                              merge_outputs=merge_outputs, valid_length=None)


# The wrapper cells subclass the cells above, so they are reached from here on first use
# (``rnn_cell.ZoneoutCell`` as in MXNet) instead of by an import that would close a cycle.
__getattr__, __dir__ = _lazy.names(globals(), {
    name: ("mxnp.gluon.rnn._modifier_cells", name)
    for name in ("BidirectionalCell", "ModifierCell", "ResidualCell", "ZoneoutCell")})
if TYPE_CHECKING:  # what static tools read: the names the table above resolves to
    from ._modifier_cells import BidirectionalCell, ModifierCell, ResidualCell, ZoneoutCell
