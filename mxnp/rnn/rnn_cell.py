"""MXNet 1.x's symbolic RNN cells (``mx.rnn``): each cell writes the ``mx.sym`` graph of one
time step (``cell(inputs, states)``) or of a whole sequence (``cell.unroll``), with MXNet's
node and parameter names, so that Modules built from them load and save MXNet's files.
``FusedRNNCell`` writes one ``RNN`` node; ``unpack_weights``/``pack_weights`` convert between
its parameter vector and the per-gate matrices of the stepped cells."""
from __future__ import annotations

import functools
import warnings
from numbers import Number

from .. import initializer as init
from .. import ndarray
from .. import symbol
from .._initializer_composite import _GATES, _fused_layout

__all__ = ["BaseConvRNNCell", "BaseRNNCell", "BidirectionalCell", "ConvGRUCell",
           "ConvLSTMCell", "ConvRNNCell", "DropoutCell", "FusedRNNCell", "GRUCell", "LSTMCell",
           "ModifierCell", "RNNCell", "RNNParams", "ResidualCell", "SequentialRNNCell",
           "ZoneoutCell"]

_MODIFIED = ("After applying modifier cells (e.g. DropoutCell) the base cell cannot be called "
             "directly. Call the modifier cell instead.")


def _normalize_sequence(length, inputs, layout, merge, in_layout=None):
    """``inputs`` as one Symbol (``merge`` True) or a list of ``length`` steps (False; None
    keeps what was given), and the time axis of ``layout``."""
    assert inputs is not None, ("unroll(inputs=None) has been deprecated. Please create input "
                                "variables outside unroll.")
    axis = layout.find("T")
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if isinstance(inputs, symbol.Symbol):
        if merge is False:
            assert len(inputs.list_outputs()) == 1, (
                "unroll doesn't allow grouped symbol as input. Please convert to list with "
                "list(inputs) first or let unroll handle splitting.")
            inputs = list(symbol.split(inputs, axis=in_axis, num_outputs=length, squeeze_axis=1))
    else:
        assert length is None or len(inputs) == length
        if merge is True:
            inputs = symbol.Concat(*[symbol.expand_dims(i, axis=axis) for i in inputs], dim=axis)
            in_axis = axis
    if isinstance(inputs, symbol.Symbol) and axis != in_axis:
        inputs = symbol.swapaxes(inputs, dim0=axis, dim1=in_axis)
    return inputs, axis


class RNNParams:
    """The variables of one or more cells, made once per name (``prefix + name``) and shared."""

    def __init__(self, prefix: str = ""):
        self._prefix = prefix
        self._params = {}

    def get(self, name: str, **kwargs):
        """The variable ``prefix + name``, made with ``mx.sym.Variable(..., **kwargs)`` on first
        use."""
        name = self._prefix + name
        if name not in self._params:
            self._params[name] = symbol.Variable(name, **kwargs)
        return self._params[name]


class BaseRNNCell:
    """The base of the symbolic cells: parameters, begin states, unrolling, weight packing."""

    def __init__(self, prefix: str = "", params: RNNParams | None = None):
        self._own_params = params is None
        self._prefix = prefix
        self._params = RNNParams(prefix) if params is None else params
        self._modified = False
        self.reset()

    def reset(self) -> None:
        """Restart the step and begin-state counters (before reusing the cell in a new graph)."""
        self._init_counter = -1
        self._counter = -1
        for cell in getattr(self, "_cells", ()):
            cell.reset()

    def __call__(self, inputs, states):
        """One time step: ``(output, new_states)``."""
        raise NotImplementedError

    @property
    def params(self) -> RNNParams:
        """The cell's RNNParams (asking for them marks them as shared)."""
        self._own_params = False
        return self._params

    @property
    def state_info(self) -> list:
        """One dict (``shape``, ``__layout__``) per state."""
        raise NotImplementedError

    @property
    def state_shape(self) -> list:
        """The shape of each state (0 for the batch size)."""
        return [info["shape"] for info in self.state_info]

    @property
    def _gate_names(self):
        return ()

    def begin_state(self, func=symbol.zeros, **kwargs) -> list:
        """The states of the first step, made by ``func`` (``mx.sym.zeros``,
        ``mx.sym.Variable`` ...) named ``<prefix>begin_state_<i>``."""
        assert not self._modified, _MODIFIED
        states = []
        for info in self.state_info:
            self._init_counter += 1
            if info is not None:
                kwargs.update(info)
            states.append(func(name=f"{self._prefix}begin_state_{self._init_counter}",
                               **kwargs))
        return states

    def unpack_weights(self, args: dict) -> dict:
        """``args`` with this cell's fused i2h/h2h weights and biases split into one array per
        gate (``<prefix>i2h_i_weight`` ...)."""
        args = args.copy()
        h = getattr(self, "_num_hidden", None)
        for group in ("i2h", "h2h") if self._gate_names else ():
            weight = args.pop(f"{self._prefix}{group}_weight")
            bias = args.pop(f"{self._prefix}{group}_bias")
            for j, gate in enumerate(self._gate_names):
                args[f"{self._prefix}{group}{gate}_weight"] = weight[j * h:(j + 1) * h].copy()
                args[f"{self._prefix}{group}{gate}_bias"] = bias[j * h:(j + 1) * h].copy()
        return args

    def pack_weights(self, args: dict) -> dict:
        """The reverse of ``unpack_weights``: the per-gate arrays concatenated back."""
        args = args.copy()
        for group in ("i2h", "h2h") if self._gate_names else ():
            for kind in ("weight", "bias"):
                parts = [args.pop(f"{self._prefix}{group}{gate}_{kind}")
                         for gate in self._gate_names]
                args[f"{self._prefix}{group}_{kind}"] = ndarray.concatenate(parts)
        return args

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        """Step the cell ``length`` times over ``inputs`` (one Symbol laid out as ``layout``,
        or a list of steps): ``(outputs, last_states)``, the outputs merged into one Symbol
        when ``merge_outputs`` is True."""
        self.reset()
        inputs, _ = _normalize_sequence(length, inputs, layout, False)
        states = self.begin_state() if begin_state is None else begin_state
        outputs = []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
        outputs, _ = _normalize_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _activate(self, inputs, name=None):
        """The cell's own ``activation`` applied to ``inputs``."""
        return self._get_activation(inputs, self._activation, **({} if name is None else
                                                                  {"name": name}))

    def _get_activation(self, inputs, activation, **kwargs):
        """``Activation(act_type=activation)``, or ``activation(inputs)`` for a callable."""
        if isinstance(activation, str):
            return symbol.Activation(inputs, act_type=activation, **kwargs)
        return activation(inputs, **kwargs)


class _CellGroup(BaseRNNCell):
    """A cell made of the cells ``_cells``: their states, in order, and their weights."""

    @property
    def state_info(self):
        return sum((c.state_info for c in self._cells), [])

    def begin_state(self, **kwargs):  # noqa: D102 - the base's, over the cells
        assert not self._modified, _MODIFIED
        return sum((c.begin_state(**kwargs) for c in self._cells), [])

    def unpack_weights(self, args):
        for cell in self._cells:
            args = cell.unpack_weights(args)
        return args

    def pack_weights(self, args):
        for cell in self._cells:
            args = cell.pack_weights(args)
        return args

    def _adopt(self, cells, owner: str) -> None:
        """Share parameters with ``cells`` (given ``params``, the cells take those)."""
        for cell in cells:
            if self._override_cell_params:
                assert cell._own_params, (f"Either specify params for {owner} or child cells, "
                                          "not both.")
                cell.params._params.update(self.params._params)
        for cell in cells:
            self.params._params.update(cell.params._params)


class _GatedCell(BaseRNNCell):
    """A cell with i2h and h2h FullyConnected layers over all its gates at once."""
    _GATE_NAMES = ()
    _NUM_STATES = 1

    def __init__(self, num_hidden, prefix, params, i2h_bias_init=None):
        super().__init__(prefix=prefix, params=params)
        self._num_hidden = num_hidden
        self._iW = self.params.get("i2h_weight")
        self._hW = self.params.get("h2h_weight")
        self._iB = (self.params.get("i2h_bias") if i2h_bias_init is None
                    else self.params.get("i2h_bias", init=i2h_bias_init))
        self._hB = self.params.get("h2h_bias")

    @property
    def state_info(self):
        return [{"shape": (0, self._num_hidden), "__layout__": "NC"}
                for _ in range(self._NUM_STATES)]

    @property
    def _gate_names(self):
        return self._GATE_NAMES

    def _i2h_h2h(self, inputs, state, name, sep=""):
        n = self._num_hidden * len(self._GATE_NAMES)
        i2h = symbol.FullyConnected(data=inputs, weight=self._iW, bias=self._iB, num_hidden=n,
                                    name=f"{name}{sep}i2h")
        h2h = symbol.FullyConnected(data=state, weight=self._hW, bias=self._hB, num_hidden=n,
                                    name=f"{name}{sep}h2h")
        return i2h, h2h


class RNNCell(_GatedCell):
    """A simple recurrent cell: ``out = activation(i2h(x) + h2h(h))``."""
    _GATE_NAMES = ("",)

    def __init__(self, num_hidden, activation="tanh", prefix="rnn_", params=None):
        super().__init__(num_hidden, prefix, params)
        self._activation = activation

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._i2h_h2h(inputs, states[0], name)
        output = self._get_activation(i2h + h2h, self._activation, name=f"{name}out")
        return output, [output]


class LSTMCell(_GatedCell):
    """A long short-term memory cell (gates i, f, c, o; ``forget_bias`` starts the forget
    gate's i2h bias)."""
    _GATE_NAMES = ("_i", "_f", "_c", "_o")
    _NUM_STATES = 2

    def __init__(self, num_hidden, prefix="lstm_", params=None, forget_bias=1.0):
        super().__init__(num_hidden, prefix, params, init.LSTMBias(forget_bias=forget_bias))

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._i2h_h2h(inputs, states[0], name)
        return _lstm_step(name, i2h, h2h, states[1], _tanh, {})


class GRUCell(_GatedCell):
    """A gated recurrent unit as cuDNN computes it (gates r, z, o; the reset gate scales
    h2h's candidate part)."""
    _GATE_NAMES = ("_r", "_z", "_o")

    def __init__(self, num_hidden, prefix="gru_", params=None):
        super().__init__(num_hidden, prefix, params)

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._i2h_h2h(inputs, states[0], name, sep="_")
        return _gru_step(name, i2h, h2h, states[0], _tanh)


def _tanh(x, name=None):
    return symbol.Activation(x, act_type="tanh", name=name)


def _lstm_step(name, i2h, h2h, prev_c, activate, slice_axis: dict):
    """The LSTM gates (i, f, c, o) from the summed i2h and h2h: (next_h, [next_h, next_c])."""
    gates = symbol.SliceChannel(i2h + h2h, num_outputs=4, name=f"{name}slice", **slice_axis)
    in_gate = symbol.Activation(gates[0], act_type="sigmoid", name=f"{name}i")
    forget_gate = symbol.Activation(gates[1], act_type="sigmoid", name=f"{name}f")
    in_transform = activate(gates[2], name=f"{name}c")
    out_gate = symbol.Activation(gates[3], act_type="sigmoid", name=f"{name}o")
    next_c = symbol._internal._plus(forget_gate * prev_c, in_gate * in_transform,
                                    name=f"{name}state")
    next_h = symbol._internal._mul(out_gate, activate(next_c), name=f"{name}out")
    return next_h, [next_h, next_c]


def _gru_step(name, i2h, h2h, prev_h, activate):
    """The GRU gates (r, z, o) from i2h and h2h apart: (next_h, [next_h])."""
    i2h_r, i2h_z, i2h = symbol.SliceChannel(i2h, num_outputs=3, name=f"{name}_i2h_slice")
    h2h_r, h2h_z, h2h = symbol.SliceChannel(h2h, num_outputs=3, name=f"{name}_h2h_slice")
    reset = symbol.Activation(i2h_r + h2h_r, act_type="sigmoid", name=f"{name}_r_act")
    update = symbol.Activation(i2h_z + h2h_z, act_type="sigmoid", name=f"{name}_z_act")
    candidate = activate(i2h + reset * h2h, name=f"{name}_h_act")
    next_h = symbol._internal._plus((1. - update) * candidate, update * prev_h,
                                    name=f"{name}out")
    return next_h, [next_h]


class FusedRNNCell(BaseRNNCell):
    """Several RNN layers over a whole sequence as one ``RNN`` node (its parameters one
    vector named ``<prefix>parameters``)."""

    def __init__(self, num_hidden, num_layers=1, mode="lstm", bidirectional=False, dropout=0.,
                 get_next_state=False, forget_bias=1.0, prefix=None, params=None):
        super().__init__(prefix=f"{mode}_" if prefix is None else prefix, params=params)
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._dropout = dropout
        self._get_next_state = get_next_state
        self._directions = ["l", "r"] if bidirectional else ["l"]
        initializer = init.FusedRNN(None, num_hidden, num_layers, mode, bidirectional,
                                    forget_bias)
        self._parameter = self.params.get("parameters", init=initializer)

    @property
    def state_info(self):
        shape = ((self._bidirectional + 1) * self._num_layers, 0, self._num_hidden)
        return [{"shape": shape, "__layout__": "LNC"}
                for _ in range((self._mode == "lstm") + 1)]

    @property
    def _gate_names(self):
        return _GATES[self._mode]

    @property
    def _num_gates(self) -> int:
        return len(self._gate_names)

    def _slice_weights(self, arr):
        """The per-gate views of the parameter vector ``arr``, by name."""
        views, p = {}, 0
        for name, shape in _fused_layout(self._mode, self._num_hidden, self._num_layers,
                                         self._bidirectional, arr.size):
            size = shape[0] * (shape[1] if len(shape) > 1 else 1)
            views[self._prefix + name] = arr[p:p + size].reshape(shape)
            p += size
        return views

    def unpack_weights(self, args):
        args = args.copy()
        views = self._slice_weights(args.pop(self._parameter.name))
        args.update({name: view.copy() for name, view in views.items()})
        return args

    def pack_weights(self, args):
        args = args.copy()
        b, m, h = len(self._directions), self._num_gates, self._num_hidden
        w0 = args[f"{self._prefix}l0_i2h{self._gate_names[0]}_weight"]
        total = (w0.shape[1] + h + 2) * h * m * b + (self._num_layers - 1) * m * h * (h + b * h + 2) * b
        arr = ndarray.zeros((total,), ctx=w0.context, dtype=w0.dtype)
        for name, view in self._slice_weights(arr).items():
            view[:] = args.pop(name)
        args[self._parameter.name] = arr
        return args

    def __call__(self, inputs, states):
        raise NotImplementedError("FusedRNNCell cannot be stepped. Please use unroll")

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        self.reset()
        inputs, axis = _normalize_sequence(length, inputs, layout, True)
        if axis == 1:
            warnings.warn("NTC layout detected. Consider using TNC for FusedRNNCell for faster "
                          "speed", stacklevel=2)
            inputs = symbol.swapaxes(inputs, dim1=0, dim2=1)
        else:
            assert axis == 0, f"Unsupported layout {layout}"
        states = self.begin_state() if begin_state is None else begin_state
        state_args = {"state": states[0]}
        if self._mode == "lstm":
            state_args["state_cell"] = states[1]
        rnn = symbol.RNN(data=inputs, parameters=self._parameter, state_size=self._num_hidden,
                         num_layers=self._num_layers, bidirectional=self._bidirectional,
                         p=self._dropout, state_outputs=self._get_next_state, mode=self._mode,
                         name=self._prefix + "rnn", **state_args)
        if not self._get_next_state:
            outputs, states = rnn, []
        else:
            n = 3 if self._mode == "lstm" else 2
            states = [rnn[k] for k in range(1, n)]
            for state in states:
                state._set_attr(__layout__="LNC")
            outputs = rnn[0]
        if axis == 1:
            outputs = symbol.swapaxes(outputs, dim1=0, dim2=1)
        outputs, _ = _normalize_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def unfuse(self) -> SequentialRNNCell:
        """The same network as a SequentialRNNCell of stepped cells (named as the fused
        parameters unpack), with a DropoutCell between layers when ``dropout`` > 0."""
        def make(prefix):
            if self._mode.startswith("rnn_"):
                return RNNCell(self._num_hidden, activation=self._mode[4:], prefix=prefix)
            return {"lstm": LSTMCell, "gru": GRUCell}[self._mode](self._num_hidden,
                                                                  prefix=prefix)
        stack = SequentialRNNCell()
        for i in range(self._num_layers):
            if self._bidirectional:
                stack.add(BidirectionalCell(make(f"{self._prefix}l{i}_"),
                                            make(f"{self._prefix}r{i}_"),
                                            output_prefix=f"{self._prefix}bi_l{i}_"))
            else:
                stack.add(make(f"{self._prefix}l{i}_"))
            if self._dropout > 0 and i != self._num_layers - 1:
                stack.add(DropoutCell(self._dropout, prefix=f"{self._prefix}_dropout{i}_"))
        return stack


class SequentialRNNCell(_CellGroup):
    """Cells stacked: each one's output is the next one's input."""

    def __init__(self, params=None):
        super().__init__(prefix="", params=params)
        self._override_cell_params = params is not None
        self._cells = []

    def add(self, cell) -> None:
        """Append ``cell`` to the stack."""
        self._cells.append(cell)
        self._adopt([cell], "SequentialRNNCell")

    def __call__(self, inputs, states):
        self._counter += 1
        next_states, p = [], 0
        for cell in self._cells:
            assert not isinstance(cell, BidirectionalCell)
            n = len(cell.state_info)
            inputs, state = cell(inputs, states[p:p + n])
            p += n
            next_states += state
        return inputs, next_states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        self.reset()
        begin_state = self.begin_state() if begin_state is None else begin_state
        next_states, p = [], 0
        for i, cell in enumerate(self._cells):
            n = len(cell.state_info)
            last = i == len(self._cells) - 1
            inputs, states = cell.unroll(length, inputs=inputs, begin_state=begin_state[p:p + n],
                                         layout=layout, merge_outputs=merge_outputs if last
                                         else None)
            p += n
            next_states.extend(states)
        return inputs, next_states


class DropoutCell(BaseRNNCell):
    """Dropout on the inputs, no state."""

    def __init__(self, dropout, prefix="dropout_", params=None):
        super().__init__(prefix, params)
        assert isinstance(dropout, Number), "dropout probability must be a number"
        self.dropout = dropout

    @property
    def state_info(self):
        return []

    def __call__(self, inputs, states):
        if self.dropout > 0:
            inputs = symbol.Dropout(data=inputs, p=self.dropout)
        return inputs, states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        self.reset()
        inputs, _ = _normalize_sequence(length, inputs, layout, merge_outputs)
        if isinstance(inputs, symbol.Symbol):
            return self(inputs, [])
        return super().unroll(length, inputs, begin_state=begin_state, layout=layout,
                              merge_outputs=merge_outputs)


class ModifierCell(BaseRNNCell):
    """The base of cells that wrap another (``base_cell``), which is then used only through
    the wrapper."""

    def __init__(self, base_cell):
        super().__init__()
        base_cell._modified = True
        self.base_cell = base_cell

    @property
    def params(self):
        self._own_params = False
        return self.base_cell.params

    @property
    def state_info(self):
        return self.base_cell.state_info

    def begin_state(self, init_sym=symbol.zeros, **kwargs):  # noqa: D102 - the base cell's
        assert not self._modified, _MODIFIED
        self.base_cell._modified = False
        begin = self.base_cell.begin_state(init_sym, **kwargs)
        self.base_cell._modified = True
        return begin

    def unpack_weights(self, args):
        return self.base_cell.unpack_weights(args)

    def pack_weights(self, args):
        return self.base_cell.pack_weights(args)

    def __call__(self, inputs, states):
        raise NotImplementedError


class ZoneoutCell(ModifierCell):
    """Zoneout on the base cell's outputs and states: in training, each unit keeps its
    previous value with the given probabilities."""

    def __init__(self, base_cell, zoneout_outputs=0., zoneout_states=0.):
        assert not isinstance(base_cell, FusedRNNCell), \
            "FusedRNNCell doesn't support zoneout. Please unfuse first."
        assert not isinstance(base_cell, BidirectionalCell), (
            "BidirectionalCell doesn't support zoneout since it doesn't support step. Please "
            "add ZoneoutCell to the cells underneath instead.")
        super().__init__(base_cell)
        self.zoneout_outputs = zoneout_outputs
        self.zoneout_states = zoneout_states
        self.prev_output = None

    def reset(self) -> None:
        super().reset()
        self.prev_output = None

    def __call__(self, inputs, states):
        next_output, next_states = self.base_cell(inputs, states)

        def mask(p, like):
            return symbol.Dropout(symbol.ones_like(like), p=p)
        prev = self.prev_output if self.prev_output is not None else symbol.zeros((0, 0))
        output = (symbol.where(mask(self.zoneout_outputs, next_output), next_output, prev)
                  if self.zoneout_outputs != 0. else next_output)
        if self.zoneout_states != 0.:
            next_states = [symbol.where(mask(self.zoneout_states, new), new, old)
                           for new, old in zip(next_states, states)]
        self.prev_output = output
        return output, next_states


class ResidualCell(ModifierCell):
    """The base cell's output plus its input (Wu et al., 2016)."""

    def __call__(self, inputs, states):
        output, states = self.base_cell(inputs, states)
        return symbol.elemwise_add(output, inputs, name=f"{output.name}_plus_residual"), states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        self.reset()
        self.base_cell._modified = False
        outputs, states = self.base_cell.unroll(length, inputs=inputs, begin_state=begin_state,
                                                layout=layout, merge_outputs=merge_outputs)
        self.base_cell._modified = True
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, symbol.Symbol)
        inputs, _ = _normalize_sequence(length, inputs, layout, merge_outputs)
        if merge_outputs:
            return symbol.elemwise_add(outputs, inputs,
                                       name=f"{outputs.name}_plus_residual"), states
        return [symbol.elemwise_add(o, i, name=f"{o.name}_plus_residual")
                for o, i in zip(outputs, inputs)], states


class BidirectionalCell(_CellGroup):
    """``l_cell`` over the sequence and ``r_cell`` over it reversed, outputs concatenated."""

    def __init__(self, l_cell, r_cell, params=None, output_prefix="bi_"):
        super().__init__("", params=params)
        self._output_prefix = output_prefix
        self._override_cell_params = params is not None
        self._adopt([l_cell, r_cell], "BidirectionalCell")
        self._cells = [l_cell, r_cell]

    def __call__(self, inputs, states):
        raise NotImplementedError("Bidirectional cannot be stepped. Please use unroll")

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None):
        self.reset()
        inputs, axis = _normalize_sequence(length, inputs, layout, False)
        states = self.begin_state() if begin_state is None else begin_state
        l_cell, r_cell = self._cells
        n_left = len(l_cell.state_info)
        l_outputs, l_states = l_cell.unroll(length, inputs=inputs, begin_state=states[:n_left],
                                            layout=layout, merge_outputs=merge_outputs)
        r_outputs, r_states = r_cell.unroll(length, inputs=list(reversed(inputs)),
                                            begin_state=states[n_left:], layout=layout,
                                            merge_outputs=merge_outputs)
        if merge_outputs is None:
            merge_outputs = (isinstance(l_outputs, symbol.Symbol)
                             and isinstance(r_outputs, symbol.Symbol))
            if not merge_outputs:
                if isinstance(l_outputs, symbol.Symbol):
                    l_outputs = list(symbol.SliceChannel(l_outputs, axis=axis,
                                                         num_outputs=length, squeeze_axis=1))
                if isinstance(r_outputs, symbol.Symbol):
                    r_outputs = list(symbol.SliceChannel(r_outputs, axis=axis,
                                                         num_outputs=length, squeeze_axis=1))
        if merge_outputs:
            return symbol.Concat(l_outputs, symbol.reverse(r_outputs, axis=axis), dim=2,
                                 name=f"{self._output_prefix}out"), [l_states, r_states]
        outputs = [symbol.Concat(l_o, r_o, dim=1, name=f"{self._output_prefix}t{i}")
                   for i, (l_o, r_o) in enumerate(zip(l_outputs, reversed(r_outputs)))]
        return outputs, [l_states, r_states]


class BaseConvRNNCell(BaseRNNCell):
    """The base of the convolutional cells: i2h and h2h are Convolutions over an input of
    ``input_shape`` (with the batch axis), the states keep the i2h output's spatial size."""
    _GATE_NAMES = ()
    _NUM_STATES = 2

    def __init__(self, input_shape, num_hidden, h2h_kernel, h2h_dilate, i2h_kernel, i2h_stride,
                 i2h_pad, i2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, activation, prefix="", params=None,
                 conv_layout="NCHW"):
        super().__init__(prefix=prefix, params=params)
        assert h2h_kernel[0] % 2 == 1 and h2h_kernel[1] % 2 == 1, \
            f"Only support odd number, get h2h_kernel= {h2h_kernel}"
        self._h2h_kernel = h2h_kernel
        self._h2h_pad = (h2h_dilate[0] * (h2h_kernel[0] - 1) // 2,
                         h2h_dilate[1] * (h2h_kernel[1] - 1) // 2)
        self._h2h_dilate = h2h_dilate
        self._i2h_kernel = i2h_kernel
        self._i2h_stride = i2h_stride
        self._i2h_pad = i2h_pad
        self._i2h_dilate = i2h_dilate
        self._num_hidden = num_hidden
        self._input_shape = input_shape
        self._conv_layout = conv_layout
        self._activation = activation
        conv = symbol.Convolution(data=symbol.Variable("data"), num_filter=num_hidden,
                                  kernel=i2h_kernel, stride=i2h_stride, pad=i2h_pad,
                                  dilate=i2h_dilate, layout=conv_layout)
        self._state_shape = (0,) + tuple(conv.infer_shape(data=input_shape)[1][0][1:])
        self._iW = self.params.get("i2h_weight", init=i2h_weight_initializer)
        self._hW = self.params.get("h2h_weight", init=h2h_weight_initializer)
        self._iB = self.params.get("i2h_bias", init=i2h_bias_initializer)
        self._hB = self.params.get("h2h_bias", init=h2h_bias_initializer)

    @property
    def _num_gates(self) -> int:
        return len(self._gate_names)

    @property
    def _gate_names(self):
        return self._GATE_NAMES

    @property
    def state_info(self):
        return [{"shape": self._state_shape, "__layout__": self._conv_layout}
                for _ in range(self._NUM_STATES)]

    def _conv_forward(self, inputs, states, name):
        n = self._num_hidden * self._num_gates
        i2h = symbol.Convolution(name=f"{name}i2h", data=inputs, num_filter=n,
                                 kernel=self._i2h_kernel, stride=self._i2h_stride,
                                 pad=self._i2h_pad, dilate=self._i2h_dilate, weight=self._iW,
                                 bias=self._iB, layout=self._conv_layout)
        h2h = symbol.Convolution(name=f"{name}h2h", data=states[0], num_filter=n,
                                 kernel=self._h2h_kernel, dilate=self._h2h_dilate,
                                 pad=self._h2h_pad, stride=(1, 1), weight=self._hW,
                                 bias=self._hB, layout=self._conv_layout)
        return i2h, h2h

    def __call__(self, inputs, states):
        raise NotImplementedError("BaseConvRNNCell is abstract class for convolutional RNN")


_LEAKY = functools.partial(symbol.LeakyReLU, act_type="leaky", slope=0.2)


class _ConvCell(BaseConvRNNCell):
    """The constructor the three convolutional cells share (MXNet's defaults)."""

    def __init__(self, input_shape, num_hidden, h2h_kernel=(3, 3), h2h_dilate=(1, 1),
                 i2h_kernel=(3, 3), i2h_stride=(1, 1), i2h_pad=(1, 1), i2h_dilate=(1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", activation=_LEAKY,
                 prefix=None, params=None, conv_layout="NCHW"):
        super().__init__(input_shape, num_hidden, h2h_kernel, h2h_dilate, i2h_kernel,
                         i2h_stride, i2h_pad, i2h_dilate, i2h_weight_initializer,
                         h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer,
                         activation, self._PREFIX if prefix is None else prefix, params,
                         conv_layout)


class ConvRNNCell(_ConvCell):
    """A simple recurrent cell with convolutions for i2h and h2h."""
    _GATE_NAMES = ("",)
    _NUM_STATES = 1
    _PREFIX = "ConvRNN_"

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._conv_forward(inputs, states, name)
        output = self._get_activation(i2h + h2h, self._activation, name=f"{name}out")
        return output, [output]


class ConvLSTMCell(_ConvCell):
    """An LSTM cell with convolutions for i2h and h2h (Shi et al., 2015)."""
    _GATE_NAMES = ("_i", "_f", "_c", "_o")
    _PREFIX = "ConvLSTM_"

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._conv_forward(inputs, states, name)
        return _lstm_step(name, i2h, h2h, states[1], self._activate,
                          {"axis": self._conv_layout.find("C")})


class ConvGRUCell(_ConvCell):
    """A GRU cell with convolutions for i2h and h2h."""
    _GATE_NAMES = ("_r", "_z", "_o")
    _NUM_STATES = 1
    _PREFIX = "ConvGRU_"

    def __call__(self, inputs, states):
        self._counter += 1
        name = f"{self._prefix}t{self._counter}_"
        i2h, h2h = self._conv_forward(inputs, states, name)
        return _gru_step(name, i2h, h2h, states[0], self._activate)
