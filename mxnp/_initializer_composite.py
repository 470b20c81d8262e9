"""Initializers built from other initializers: ``Mixed``, ``Load`` and ``FusedRNN``.

Part of ``mx.init`` (``mxnp.initializer`` re-exports them); kept apart only for file length.
"""
from __future__ import annotations

import logging
import re

from . import numpy as np
from ._initializer_base import InitDesc, Initializer, _fill, create, register
from ._ndarray import ndarray

__all__ = ["FusedRNN", "Load", "Mixed"]


def _apply_by_name(init, name, arr) -> None:
    """Apply ``init`` to a part named ``name`` with the classic name-suffix rules."""
    init = create(init) if isinstance(init, str) else init
    if isinstance(init, Initializer):
        init._init_by_name(name, arr)
    else:
        init(name, arr)  # Mixed and Load dispatch on the name themselves


class Mixed:
    """Picks, per parameter, the initializer of the first regex pattern matching its name."""

    _stands_for_initializer = True  # not an Initializer in MXNet, but create() takes it as one

    def __init__(self, patterns, initializers):
        assert len(patterns) == len(initializers)
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def _match(self, name):
        for prog, init in self.map:
            if prog.match(name):
                return create(init)
        raise ValueError(f"Parameter name {name} did not match any pattern. Consider add a "
                         '".*" pattern at the and with default Initializer.')

    def __call__(self, name, arr) -> None:
        """Apply the initializer whose pattern matches ``name`` (``re.match``) first."""
        self._match(name)(name, arr)

    def _init_weight(self, name, arr) -> None:
        """The matched initializer's weight rule (a Mixed given as a parameter's init)."""
        self._match(name)._init_weight(name, arr)


class Load:
    """Initializes from saved arrays (a dict or a file ``npx.save`` wrote), by parameter name."""

    _stands_for_initializer = True  # not an Initializer in MXNet, but create() takes it as one

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            from ._io import load  # the file reader; only needed for this form

            param = load(param)
        assert isinstance(param, dict)
        # files saved by Module carry 'arg:' / 'aux:' prefixes; the names match without them
        self.param = {name[4:] if name.startswith(("arg:", "aux:")) else name: value
                      for name, value in param.items()}
        self.default_init = default_init
        self.verbose = verbose

    def _load(self, name, arr) -> bool:
        """Copy the saved array called ``name`` into ``arr``; False when there is none."""
        if name not in self.param:
            assert self.default_init is not None, \
                f"Cannot Initialize {name}. Not found in loaded param and no default " \
                "Initializer is provided."
            return False
        saved = self.param[name]
        assert arr.shape == saved.shape, \
            f"Parameter {name} cannot be initialized from loading. Shape mismatch, " \
            f"target {arr.shape} vs loaded {saved.shape}"
        if not isinstance(saved, ndarray):
            saved = np.array(saved, dtype=arr.dtype, ctx=arr.ctx)
        _fill(arr, saved)
        if self.verbose:
            logging.info("Initialized %s by loading", name)
        return True

    def __call__(self, name, arr) -> None:
        """Copy the saved array called ``name``, else fall back to ``default_init``."""
        if not self._load(name, arr):
            create(self.default_init)(name, arr)
            if self.verbose:
                logging.info("Initialized %s by default", name)

    def _init_weight(self, name, arr) -> None:
        """As a call, with ``default_init``'s weight rule (a Load given as a parameter's init)."""
        if not self._load(name, arr):
            create(self.default_init)._init_weight(name, arr)


_GATES = {"rnn_relu": [""], "rnn_tanh": [""], "lstm": ["_i", "_f", "_c", "_o"],
          "gru": ["_r", "_z", "_o"]}


def _fused_layout(mode, num_hidden, num_layers, bidirectional, size) -> list:
    """(name, shape) of each block of a fused RNN parameter vector, in storage order."""
    gates, dirs, h = _GATES[mode], (["l", "r"] if bidirectional else ["l"]), num_hidden
    num_input = size // len(dirs) // h // len(gates) - (num_layers - 1) * (h + len(dirs) * h + 2) \
        - h - 2
    blocks = []
    for layer in range(num_layers):  # all weights first: i2h then h2h, per layer and direction
        width = num_input if layer == 0 else len(dirs) * h
        for d in dirs:
            blocks += [(f"{d}{layer}_i2h{g}_weight", (h, width)) for g in gates]
            blocks += [(f"{d}{layer}_h2h{g}_weight", (h, h)) for g in gates]
    for layer in range(num_layers):  # then all biases in the same order
        for d in dirs:
            blocks += [(f"{d}{layer}_{kind}{g}_bias", (h,)) for kind in ("i2h", "h2h")
                       for g in gates]
    used = sum(int(shape[0] * (shape[1] if len(shape) > 1 else 1)) for _, shape in blocks)
    assert used == size, "Invalid parameters size for FusedRNNCell"
    return blocks


@register
class FusedRNN(Initializer):
    """Initializes a fused RNN parameter vector block by block with ``init``'s classic rules."""

    def __init__(self, init, num_hidden, num_layers, mode, bidirectional=False, forget_bias=1.0):
        if isinstance(init, str):
            init = create(init)  # a registered name or a dumps() string
        super().__init__(init=init.dumps() if init is not None else None, num_hidden=num_hidden,
                         num_layers=num_layers, mode=mode, bidirectional=bidirectional,
                         forget_bias=forget_bias)
        self._init = init
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._forget_bias = forget_bias

    def _init_weight(self, desc, arr) -> None:
        blocks = _fused_layout(self._mode, self._num_hidden, self._num_layers,
                               self._bidirectional, arr.size)
        fallback = self._init if self._init is not None else getattr(desc, "global_init", None)
        parts = []
        for name, shape in blocks:
            part = np.zeros(shape, dtype=arr.dtype, ctx=arr.ctx)
            if self._mode == "lstm" and name.endswith("_f_bias"):
                _fill(part, self._forget_bias)  # both i2h and h2h forget biases, as MXNet
            else:
                _apply_by_name(fallback, InitDesc(name, global_init=fallback), part)
            parts.append(part.reshape(-1))
        _fill(arr, np.concatenate(parts).reshape(arr.shape))
