"""gluon.rnn layers RNN, LSTM and GRU on the fused ``npx.rnn`` (MXNet 1.9.1's parameters).

Each layer keeps one Parameter per tensor (``l0_i2h_weight``, ``r0_h2h_bias``, ...) and joins
them into the fused operator's flat vector with ``np.concatenate`` on every call, so each
Parameter gets its own gradient.
"""
from __future__ import annotations

import re

from ... import numpy as np
from ... import numpy_extension as npx
from ...base import OpError
from .._symbolic import is_symbol
from ..block import HybridBlock
from . import rnn_cell

__all__ = ["GRU", "LSTM", "RNN"]

_GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}
_KEY = re.compile(r"(l|r)(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z")


def _named_none(value):
    return "None" if value is None else value


class _RNNLayer(HybridBlock):
    """What RNN, LSTM and GRU share: the Parameters, the call forms and the fused forward."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size, h2r_weight_initializer,
                 lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):
        super().__init__(**kwargs)
        assert layout in ("TNC", "NTC"), \
            f"Invalid layout {layout}; must be one of ['TNC' or 'NTC']"
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._inits = {"i2h_weight": i2h_weight_initializer, "h2h_weight": h2h_weight_initializer,
                       "i2h_bias": i2h_bias_initializer, "h2h_bias": h2h_bias_initializer,
                       "h2r_weight": h2r_weight_initializer}
        self._clip = (lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan)
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self._gates = _GATES[mode]
        self.skip_states = None
        self._register_all()

    def _tensor_shapes(self):
        """``(name, shape)`` of every Parameter, in MXNet's registration order."""
        rows, hidden = self._gates * self._hidden_size, self._hidden_size
        rec = self._projection_size or hidden
        width = self._input_size
        for layer in range(self._num_layers):
            for d in "lr"[:self._dir]:
                key = f"{d}{layer}"
                yield f"{key}_i2h_weight", (rows, width)
                yield f"{key}_h2h_weight", (rows, rec)
                yield f"{key}_i2h_bias", (rows,)
                yield f"{key}_h2h_bias", (rows,)
                if self._projection_size:
                    yield f"{key}_h2r_weight", (rec, hidden)
            width = rec * self._dir

    def _register_all(self) -> None:
        for name, shape in self._tensor_shapes():
            param = self.params.get(name, shape=shape, init=self._inits[name[3:]],
                                    allow_deferred_init=True, dtype=self._dtype)
            setattr(self, name, param)

    def _flat_order(self):
        """The Parameter names in the fused vector's order: all weights, then all biases."""
        kinds = ("i2h", "h2h", "h2r") if self._projection_size else ("i2h", "h2h")
        return [f"{d}{layer}_{g}_{t}" for t in ("weight", "bias")
                for layer in range(self._num_layers) for d in "lr"[:self._dir]
                for g in kinds if not (g == "h2r" and t == "bias")]

    def __repr__(self):
        text = f"{type(self).__name__}({{}}, {self._layout}"
        if self._num_layers != 1:
            text += f", num_layers={self._num_layers}"
        if self._dropout != 0:
            text += f", dropout={self._dropout}"
        if self._dir == 2:
            text += ", bidirectional"
        shape = self.l0_i2h_weight.shape
        mapping = f"{shape[1] if shape[1] else None} -> {shape[0] // self._gates}"
        return text.format(mapping) + ")"

    def _collect_params_with_prefix(self, prefix=""):
        """Structural keys as MXNet writes them (``_unfused.0.i2h_weight``, and
        ``_unfused.0.l_cell.i2h_weight`` when bidirectional), for save/load_parameters."""
        if prefix:
            prefix += "."

        def key(name):
            d, layer, g, t = _KEY.match(name).groups()
            cell = f"{d}_cell." if self._dir == 2 else ""
            return f"{prefix}_unfused.{layer}.{cell}{g}_{t}"

        ret = {key(name): param for name, param in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def state_info(self, batch_size=0) -> list:
        """One dict per state: shape (layers·directions, N, H), layout 'LNC' and dtype."""
        shape = (self._num_layers * self._dir, batch_size, self._hidden_size)
        return [{"shape": shape, "__layout__": "LNC", "dtype": self._dtype}]

    def begin_state(self, batch_size=0, func=np.zeros, **kwargs) -> list:
        """The initial states: ``func(shape=..., dtype=..., **kwargs)`` per state (zeros)."""
        states = []
        for info in self.state_info(batch_size):
            info.pop("__layout__", None)
            info.update(kwargs)
            states.append(func(**info))
        return rnn_cell._default_states(states, func)

    def cast(self, dtype) -> None:
        """Cast the Parameters, and the default states, to ``dtype``."""
        super().cast(dtype)
        self._dtype = dtype

    def __call__(self, inputs, states=None, sequence_length=None):
        """``layer(x)`` → output; ``layer(x, states)`` → (output, list of new states)."""
        self.skip_states = states is None  # read by hybrid_forward, so hooks see what we return
        if is_symbol(inputs):  # a graph, as MXNet builds it (begin states of batch size 0)
            if self.skip_states:
                from ... import symbol as sym

                states = [sym.zeros(name=f"{self.prefix}h0_{i}", **info)
                          for i, info in enumerate(self.state_info(0))]
            return super().__call__(inputs, list(states))
        if self.skip_states:
            if not isinstance(inputs, np.ndarray) or inputs.ndim != 3:
                self._check_rank(inputs)
            batch_size = inputs.shape[self._layout.find("N")]
            states = self.begin_state(batch_size, ctx=inputs.ctx, dtype=inputs.dtype)
        states = [states] if isinstance(states, np.ndarray) else list(states)
        if self._use_sequence_length:
            return super().__call__(inputs, states, sequence_length)
        return super().__call__(inputs, states)

    def _trace_key(self):
        # hybrid_forward returns the states or not by this flag: a traced program per choice
        return self.skip_states

    def _check_rank(self, inputs) -> None:
        shape = getattr(inputs, "shape", type(inputs).__name__)
        raise ValueError(f"{type(self).__name__}: input data should be a rank-3 tensor of dim "
                         f"{self._layout} ([sequence length, batch size, input size] in that "
                         f"layout), got {shape}")

    def infer_shape(self, inputs, *args) -> None:
        """The first layer's input width from the inputs' C axis."""
        if not isinstance(inputs, np.ndarray) or inputs.ndim != 3:
            self._check_rank(inputs)
        for d in "lr"[:self._dir]:
            weight = getattr(self, f"{d}0_i2h_weight")
            weight.shape = (weight.shape[0], inputs.shape[2])

    def _check_states(self, inputs, states) -> None:
        if not isinstance(inputs, np.ndarray) or inputs.ndim != 3:
            self._check_rank(inputs)
        infos = self.state_info(inputs.shape[self._layout.find("N")])
        # OpError is a ValueError (what MXNet raises eagerly) and an MXNetError (what its
        # hybridized graph raises)
        if len(states) != len(infos):
            raise OpError(f"{type(self).__name__} takes {len(infos)} state array(s), got "
                          f"{len(states)}")
        for state, info in zip(states, infos):
            if getattr(state, "shape", None) != info["shape"]:
                raise OpError(f"{type(self).__name__}: Invalid recurrent state shape. Expecting "
                              f"{info['shape']}, got {getattr(state, 'shape', type(state))}.")

    def hybrid_forward(self, F, inputs, states, sequence_length=None, **params):
        """Join the Parameters into the fused vector and run ``npx.rnn``."""
        self._check_states(inputs, states)
        if self._layout == "NTC":
            inputs = np.swapaxes(inputs, 0, 1)
        # axis=None flattens as it joins: one copy of the weights, not two
        flat = np.concatenate([params[name] for name in self._flat_order()], axis=None)
        lstm = self._mode == "lstm"
        out = npx.rnn(inputs, flat, states[0], states[1] if lstm else None,
                      sequence_length=sequence_length, state_size=self._hidden_size,
                      num_layers=self._num_layers, bidirectional=self._dir == 2,
                      mode=self._mode, p=self._dropout, state_outputs=True,
                      projection_size=self._projection_size,
                      lstm_state_clip_min=self._clip[0], lstm_state_clip_max=self._clip[1],
                      lstm_state_clip_nan=self._clip[2],
                      use_sequence_length=self._use_sequence_length)
        outputs, new_states = out[0], list(out[1:])
        if self._layout == "NTC":
            outputs = np.swapaxes(outputs, 0, 1)
        return outputs if self.skip_states else (outputs, new_states)

    def _symbol_forward(self, F, inputs, states, sequence_length=None, **params):
        """On Symbols: MXNet's graph (the Parameters flattened by Reshape, joined by
        _rnn_param_concat, one RNN node)."""
        if self._layout == "NTC":
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        flat = F._internal._rnn_param_concat(
            *[params[name].reshape(-1) for name in self._flat_order()], dim=0)
        out = F.RNN(inputs, flat, *states, state_size=self._hidden_size,
                    num_layers=self._num_layers, bidirectional=self._dir == 2, mode=self._mode,
                    p=self._dropout, state_outputs=True,
                    # MXNet writes these three even when unset ("None")
                    projection_size=_named_none(self._projection_size),
                    lstm_state_clip_min=_named_none(self._clip[0]),
                    lstm_state_clip_max=_named_none(self._clip[1]),
                    lstm_state_clip_nan=self._clip[2],
                    use_sequence_length=self._use_sequence_length)
        outputs, new_states = out[0], list(out)[1:]
        if self._layout == "NTC":
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs if self.skip_states else (outputs, new_states)

    def _unfuse(self):
        """The same network as a HybridSequentialRNNCell of cells sharing these Parameters."""
        assert not self._projection_size, "_unfuse does not support projection layer yet!"
        assert self._clip[0] is None, "_unfuse does not support state clipping yet!"
        kinds = {"rnn_relu": "relu", "rnn_tanh": "tanh"}
        inits = {f"{k}_initializer": v for k, v in self._inits.items() if k != "h2r_weight"}

        def cell(prefix, width):
            if self._mode in kinds:
                return rnn_cell.RNNCell(self._hidden_size, activation=kinds[self._mode],
                                        input_size=width, prefix=prefix, **inits)
            kind = rnn_cell.LSTMCell if self._mode == "lstm" else rnn_cell.GRUCell
            return kind(self._hidden_size, input_size=width, prefix=prefix, **inits)

        stack = rnn_cell.HybridSequentialRNNCell(prefix=self.prefix, params=self.params)
        with stack.name_scope():
            width = self._input_size
            for i in range(self._num_layers):
                if self._dir == 2:
                    stack.add(rnn_cell.BidirectionalCell(cell(f"l{i}_", width),
                                                         cell(f"r{i}_", width)))
                else:
                    stack.add(cell(f"l{i}_", width))
                if self._dropout > 0 and i != self._num_layers - 1:
                    stack.add(rnn_cell.DropoutCell(self._dropout))
                width = self._hidden_size * self._dir
        return stack


class RNN(_RNNLayer):
    """RNN(hidden_size, num_layers=1, activation='relu', layout='TNC', dropout=0,
    bidirectional=False, ..., input_size=0, dtype='float32'): Elman RNN layers (relu or tanh).

    Call ``layer(x)`` for the output alone, ``layer(x, states)`` for (output, [h])."""

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC", dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "rnn_" + activation, None, None, None, None,
                         False, dtype, **kwargs)


class LSTM(_RNNLayer):
    """LSTM(hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
    input_size=0, ..., projection_size=None, h2r_weight_initializer=None,
    state_clip_min=None, state_clip_max=None, state_clip_nan=False, dtype='float32'):
    LSTM layers, gates i, f, c, o; states [h, c]."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 projection_size=None, h2r_weight_initializer=None, state_clip_min=None,
                 state_clip_max=None, state_clip_nan=False, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "lstm", projection_size, h2r_weight_initializer,
                         state_clip_min, state_clip_max, state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0) -> list:
        """h (layers·directions, N, projection or H) and c (layers·directions, N, H)."""
        cell = super().state_info(batch_size)[0]
        hidden = dict(cell)
        if self._projection_size:
            hidden["shape"] = cell["shape"][:2] + (self._projection_size,)
        return [hidden, cell]


class GRU(_RNNLayer):
    """GRU(hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
    input_size=0, ..., dtype='float32'): cuDNN-style GRU layers, gates r, z, n; state [h]."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", dtype="float32",
                 **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "gru", None, None, None, None, False, dtype,
                         **kwargs)
