"""Block and HybridBlock: gluon's containers of parameters and child blocks (MXNet 1.9.1).

Names come from a global per-hint counter (``_naming``); ``save_parameters`` writes structural
keys (``_param_io``); ``summary`` lives in ``_summary``. A hybridized HybridBlock runs the same
eager ``forward`` and only changes what MXNet's cached graph makes observable (outputs as a
list, array-only inputs); ``_hybrid.call`` is the one place a compiled replay would go.

Every call shows the face MXNet's array switch selects (``_block_util``): ``mx.nd.NDArray``
while it is off (MXNet's default; a user's ``hybrid_forward`` then gets ``F = mx.nd``),
``mx.np.ndarray`` after ``npx.set_np()``. ``numpy_body`` tells mxnp's own layers, which compute
in the numpy face either way, from a user's code.
"""
from __future__ import annotations

import itertools
import re
import warnings
from collections import OrderedDict

from .. import initializer
from .. import numpy as np
from . import _export, _hybrid, _symbolic
from ._block_util import (
    LEGACY_F,
    F,
    _first_ndarray,
    _flat_arrays,
    _has_unregistered_block,
    _indent,
    as_face,
    inside_hybridized,
    legacy_face,
    no_legacy_outputs,
    replace_param,
)
from ._naming import HookHandle, _BlockScope
from .parameter import DeferredInitializationError, Parameter, ParameterDict

_MXNP_BODY: dict = {}  # class -> whether its computation is mxnp's own code


def call_child(child, f, x):
    """``child(x)`` for a layer's own child block called in the layer's body (Dense's and the
    convolutions' activation): straight to the child's ``hybrid_forward`` where
    ``Block.__call__`` would add nothing (an mxnp array in the numpy face, no hooks, no
    Parameters, the child not hybridized on its own). A layer call's overhead less per step."""
    if type(x) is np.ndarray and f is F and not child._reg_params and \
            not child._forward_hooks and not child._forward_pre_hooks and not child._active \
            and not legacy_face():
        return child.hybrid_forward(F, x)
    return child(x)


def numpy_body(block) -> bool:
    """Whether ``block`` computes with mxnp's own code (a built-in layer, loss or container,
    written for the numpy face) rather than a user's ``hybrid_forward``/``forward``."""
    cls = type(block)
    mine = _MXNP_BODY.get(cls)
    if mine is None:
        hybrid = isinstance(block, HybridBlock) and cls.forward is HybridBlock.forward
        body = cls.hybrid_forward if hybrid else cls.forward
        # a function defined by exec() in a namespace without __name__ has no module
        mine = _MXNP_BODY[cls] = (body.__module__ or "").startswith("mxnp.")
    return mine and not block._user_function


class Block:
    """Base class of all layers and models: holds Parameters and child Blocks."""

    _user_function = False  # (Hybrid)Lambda around a user's callable: it sees the 1.x face

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ""
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix.removesuffix("_")
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def __repr__(self) -> str:
        body = "\n".join(f"  ({key}): {_indent(repr(block), 2)}"
                         for key, block in self.__dict__.items() if isinstance(block, Block))
        return f"{self.__class__.__name__}(\n{body}\n)"

    def __setattr__(self, name, value):
        """Register Blocks and Parameters assigned as attributes."""
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError(f"Changing attribute type for {name} from {type(existing)} to "
                                f"{type(value)}is not allowed.")
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            assert name not in self._reg_params, \
                "Overriding Parameter attribute %s is not allowed. If you want to share " \
                "parameters between blocks, please set 'params' at Block construction instead."
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _check_container_with_block(self) -> None:
        children = list(self._children.values())
        for k, v in self.__dict__.items():
            if k.startswith("__") or k == "_children" or not isinstance(v, (list, tuple, dict)):
                continue
            if _has_unregistered_block(v, children):
                warnings.warn(
                    f'"{self.__class__.__name__}.{k}" is an unregistered container with Blocks. '
                    "Note that Blocks inside the list, tuple or dict will not be registered "
                    "automatically. Make sure to register them using register_child() or "
                    "switching to nn.Sequential/nn.HybridSequential instead. ", stacklevel=3)

    def _alias(self) -> str:
        return self.__class__.__name__.lower()

    @property
    def prefix(self) -> str:
        """Prepended to the names of this block's Parameters and children."""
        return self._prefix

    @property
    def name(self) -> str:
        """The prefix without its trailing underscore (``dense0``)."""
        return self._name

    def name_scope(self):
        """A ``with`` scope in which new Blocks become this block's prefixed children."""
        return self._scope

    @property
    def params(self) -> ParameterDict:
        """This block's own Parameters (not its children's); see ``collect_params``."""
        return self._params

    def collect_params(self, select=None) -> ParameterDict:
        """This block's and all descendants' Parameters; ``select`` is a regex matched at the
        start of each full name."""
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        if not select:
            ret.update(self.params)
        else:
            pattern = re.compile(select)
            ret.update({k: v for k, v in self.params.items() if pattern.match(k)})
        for child in self._children.values():
            ret.update(child.collect_params(select=select))
        return ret

    def _collect_params_with_prefix(self, prefix="") -> dict:
        """Structural key (``body.0.weight``) -> Parameter, for save/load_parameters."""
        if prefix:
            prefix += "."
        ret = {prefix + k: v for k, v in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def save_parameters(self, filename, deduplicate=False) -> None:
        """Write the Parameters under structural keys in MXNet's .params format."""
        from ._param_io import save_block

        save_block(self, filename, deduplicate)

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source="current") -> None:
        """Load a file written by ``save_parameters`` (or MXNet's) into this block."""
        from ._param_io import load_block

        load_block(self, filename, ctx, allow_missing, ignore_extra, cast_dtype, dtype_source)

    def save_params(self, filename) -> None:
        """Deprecated: writes full names less this block's prefix; use ``save_parameters``."""
        from ._param_io import save_legacy

        save_legacy(self, filename)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False) -> None:
        """Deprecated alias of ``load_parameters``."""
        warnings.warn("load_params is deprecated. Please use load_parameters.", stacklevel=2)
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def save(self, prefix) -> None:
        """Write ``prefix-model.json`` (the blocks' names) and ``prefix-model.params``."""
        from ._param_io import save_model

        save_model(self, prefix)

    def load(self, prefix) -> None:
        """Load what ``save`` wrote into a block built the same way (names are restored)."""
        from ._param_io import load_model

        load_model(self, prefix)

    def register_child(self, block, name=None) -> None:
        """Register ``block`` as a child under ``name`` (default: '0', '1', ...)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def share_parameters(self, shared):
        """Use the Parameters in ``shared`` (structural name -> Parameter, the keys
        ``save_parameters`` writes) in place of this block's own; returns self."""
        for key, param in shared.items():
            *path, name = key.split(".")
            block = self
            for step in path:
                block = block._children.get(step)
                if block is None:
                    break
            if block is not None and name in block._reg_params:
                replace_param(block, name, param)
        return self

    def register_forward_pre_hook(self, hook) -> HookHandle:
        """Call ``hook(block, inputs)`` before each forward; returns a handle with detach()."""
        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook) -> HookHandle:
        """Call ``hook(block, inputs, outputs)`` after each forward; returns a handle."""
        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn):
        """Call ``fn`` on every descendant (children first), then on this block; return self."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,  # noqa: B008
                   force_reinit=False) -> None:
        """Initialise all Parameters (``collect_params().initialize``)."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs) -> None:
        """A plain Block does not hybridize itself; the call reaches its HybridBlock children."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype) -> None:
        """Cast every Parameter of this block and its descendants to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def __call__(self, *args):
        """Run the pre-hooks, ``forward(*args)``, then the hooks (positional arguments only).

        Before the first forward of a block with deferred Parameters, its ``infer_shape(*args)``
        (if it has one) fills their unknown dims and the arrays are created.

        Arrays come in and go out in the face MXNet's array switch selects (``NDArray`` while
        it is off, ``mx.np.ndarray`` after ``npx.set_np()``), whichever kind was passed; mxnp's
        own layers compute on ``mx.np.ndarray`` views in both faces.
        """
        if self._forward_pre_hooks:
            for hook in self._forward_pre_hooks.values():
                hook(self, args)
        if _symbolic.symbolic(args):  # MXNet 1.x builds a graph: net(mx.sym.var('data'))
            out = self.forward(*args)
            for hook in self._forward_hooks.values():
                hook(self, args, out)
            return out
        legacy = legacy_face()
        args = as_face(args, legacy and not numpy_body(self))
        for p in self._reg_params.values():  # a loop, not any(): this runs for every layer
            if p._deferred_init:
                if hasattr(self, "infer_shape"):
                    self._deferred_infer_shape(*args)
                break
        out = self.forward(*args)
        if legacy:
            out = as_face(out, True)
        elif type(out) is not np.ndarray:  # (an mx.np array, the common output, is as it is)
            no_legacy_outputs(out)
            out = as_face(out, False)
        if self._forward_hooks:
            for hook in self._forward_hooks.values():
                hook(self, args, out)
        return out

    def forward(self, *args):
        """The computation; subclasses override it."""
        raise NotImplementedError

    def _deferred_infer_shape(self, *args) -> None:
        """Fill unknown dims from the inputs and create the deferred arrays."""
        if isinstance(self, HybridBlock) and type(self).forward is HybridBlock.forward and \
                _hooks_below(self):
            _symbolic.infer_pass(self, args)
        with _hybrid.untraced():  # made once: a hybridized replay must not make them again
            self._infer_and_init(*args)

    def _infer_and_init(self, *args) -> None:
        try:
            self.infer_shape(*args)
        except Exception as e:  # MXNet reports every inference failure this one way
            raise ValueError("Deferred initialization failed because shape cannot be "
                             f"inferred. {e}") from e
        for p in self._reg_params.values():
            p._finish_deferred_init()
        for p in self.params.values():
            p._finish_deferred_init()

    def register_op_hook(self, callback, monitor_all=False) -> None:
        """MXNet's per-operator monitor of a hybridized graph; mxnp runs no such graph."""
        raise NotImplementedError(
            "register_op_hook: mxnp runs blocks eagerly and has no operator graph to monitor "
            "(mxnp issue #11); use register_forward_hook on the blocks instead")

    def summary(self, *inputs) -> None:
        """Print a table of each block's output shape and parameter count for ``inputs``."""
        from ._summary import print_summary

        print_summary(self, inputs)


class HybridBlock(Block):
    """A Block whose computation is ``hybrid_forward(F, x, *args, **params)`` (or ``forward``).

    ``hybridize()`` is honoured as MXNet's observable contract (list outputs, array-only
    inputs); mxnp still runs the Python body on every call.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._active = False
        self._flags = []
        self._cached_op = None  # where a compiled replay of the forward would be kept
        self._ran_hybridized = False  # MXNet's export needs one hybridized forward first

    def __setattr__(self, name, value):
        """Register Blocks and Parameters; a new HybridBlock child drops any cached graph."""
        super().__setattr__(name, value)
        if isinstance(value, HybridBlock):
            self._clear_cached_op()

    def _clear_cached_op(self) -> None:
        self._cached_op = None
        self._ran_hybridized = False

    def register_child(self, block, name=None) -> None:
        """Register a child; it must itself be a HybridBlock."""
        if not isinstance(block, HybridBlock):
            raise ValueError(f"Children of HybridBlock must also be HybridBlock, but {block} has "
                             f"type {type(block)}. If you are using Sequential, please try "
                             "HybridSequential instead.")
        super().register_child(block, name)
        self._clear_cached_op()

    def hybridize(self, active=True, backend=None, clear=True, static_alloc=False,
                  static_shape=False, inline_limit=2, forward_bulk_size=None,
                  backward_bulk_size=None, **kwargs) -> None:
        """Mark this block and its children hybridized (``active=False`` undoes it)."""
        self._active = active
        self._flags = [("static_alloc", static_alloc), ("static_shape", static_shape),
                       ("inline_limit", inline_limit)]
        if clear:
            self._clear_cached_op()
        # MXNet's condition, precedence included: (active and forward hooks) or pre-hooks
        if active and self._forward_hooks or self._forward_pre_hooks:
            warnings.warn(f'"{self}" is being hybridized while still having forward hook/pre-hook.'
                          f' If "{self}" is a child of HybridBlock, the hooks will not take '
                          "effect.", stacklevel=2)
        super().hybridize(active, static_alloc=static_alloc, static_shape=static_shape,
                          inline_limit=inline_limit, **kwargs)

    def infer_shape(self, *args) -> None:
        """Fill the unknown dims of the Parameters from inputs ``args``.

        Layers with deferred Parameters override this. The default fills this block's own
        unknown dims by trial (``_infer_by_trial``), raising when no single choice fits, then
        runs the forward (recording paused), so that each child infers its own.
        """
        from .. import autograd

        unknown = [p.name for p in self._reg_params.values()
                   if p.shape is None or any(d <= 0 for d in p.shape)]
        if unknown and not self._infer_by_trial(args):
            raise ValueError(f"{type(self).__name__} does not define infer_shape(self, *args) "
                             f"to fill the unknown dims of {', '.join(unknown)}")
        if any(p._deferred_init for p in self._reg_params.values()):
            return
        with autograd.pause():
            self(*args)

    def _infer_by_trial(self, args) -> bool:
        """Fill the unknown dims of this block's own Parameters as MXNet's shape inference does
        for a ``hybrid_forward`` without ``infer_shape``: the one choice among the inputs' dims
        (other than 1) for which the body runs. An operator that fixes a Parameter's dim (a
        product, a convolution) lets one choice through, as it lets MXNet infer it; a dim that
        only broadcasts also runs at 1, and stays unknown, as in MXNet. False, changing
        nothing, when no choice or more than one runs, or children wait for their shapes."""
        params = self._reg_params
        slots = [(name, i) for name, p in params.items() if p.shape is not None
                 for i, d in enumerate(p.shape) if d <= 0]
        arrays = _flat_arrays(args)
        if not slots or len(slots) > 2 or not arrays or any(p.shape is None for p in
                                                            params.values()) or \
                any(p._deferred_init for c in self._children.values()
                    for p in c.collect_params().values()):
            return False

        def runs(choice) -> bool:
            shapes = {name: list(p.shape) for name, p in params.items()}
            for (name, i), d in zip(slots, choice):
                shapes[name][i] = d
            return self._body_runs(args, arrays[0].ctx, shapes)

        dims = sorted({d for a in arrays for d in a.shape if d > 1})
        found = [c for c in itertools.product(dims, repeat=len(slots)) if runs(c)]
        if len(found) != 1 or any(runs(found[0][:k] + (1,) + found[0][k + 1:])
                                  for k in range(len(slots))):
            return False
        for (name, i), d in zip(slots, found[0]):
            shape = list(params[name].shape)
            shape[i] = d
            params[name].shape = tuple(shape)
        return True

    def _body_runs(self, args, ctx, shapes) -> bool:
        """Whether ``hybrid_forward`` runs on ``args`` with Parameters of these shapes (ones)."""
        from .. import autograd

        legacy = legacy_face() and not numpy_body(self)
        values = {name: np.ones(tuple(shape), dtype=self._reg_params[name].dtype, ctx=ctx)
                  for name, shape in shapes.items()}
        try:
            with autograd.pause(), _hybrid.untraced():
                self.hybrid_forward(LEGACY_F if legacy else F, *args,
                                    **{k: as_face(v, legacy) for k, v in values.items()})
        except Exception:  # noqa: BLE001 - any failure means these shapes do not fit
            return False
        return True

    def infer_type(self, *args) -> None:
        """Parameters keep the dtype they were declared with; nothing to infer (kept for
        MXNet's API)."""

    def forward(self, x, *args):
        """Call ``hybrid_forward(F, x, *args, **params)`` with the arrays on ``x``'s context
        (on Symbols: with ``F = mx.sym`` and the Parameters' variables, giving a Symbol)."""
        inputs = (x, *args)
        if _symbolic.symbolic(inputs):
            return _symbolic.forward(self, x, *args)
        if self._active and not inside_hybridized():  # replay or trace: ``_hybrid.call``
            return _hybrid.call(self, inputs)
        return self._forward_eager(x, *args)

    def _forward_eager(self, x, *args):
        first = x if isinstance(x, np.ndarray) else _first_ndarray(args)
        if first is None:
            first = _first_ndarray([x])
        if first is None:
            raise ValueError("In HybridBlock, there must be one NDArray or one Symbol in the "
                             "input. Please check the type of the args.\n")
        # a user's body in the 1.x face gets F = mx.nd and the Parameters as NDArray views
        legacy = legacy_face() and not numpy_body(self)
        if not self._reg_params:  # (containers, activations, losses: no keywords to build)
            return self.hybrid_forward(LEGACY_F if legacy else F, x, *args)
        ctx = first.ctx
        params = {k: v._read(ctx, legacy) for k, v in self._reg_params.items()}
        return self.hybrid_forward(LEGACY_F if legacy else F, x, *args, **params)

    def _trace_key(self):
        """Python state besides the inputs that the body reads (part of the trace key)."""
        return None

    def hybrid_forward(self, F, x, *args, **kwargs):
        """The computation, with the Parameters as keyword arrays: ``F`` is ``mx.nd`` and the
        arrays ``NDArray``s in the 1.x face (MXNet's array switch off), ``F.np``/``F.npx`` and
        ``mx.np.ndarray``s after ``npx.set_np()``."""
        raise NotImplementedError

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` as MXNet does (``_export``)."""
        if not self._ran_hybridized:
            raise RuntimeError("Please first call block.hybridize() and then run forward with "
                               "this block at least once before calling export.")
        _export.export(self, path, epoch)

    def optimize_for(self, x, *args, backend=None, clear=False, static_alloc=False,
                     static_shape=False, inline_limit=2, forward_bulk_size=None,
                     backward_bulk_size=None, **kwargs) -> None:
        """Hybridize and run once on the inputs (mxnp has no graph backends to partition for)."""
        self.hybridize(True, backend=backend, clear=clear, static_alloc=static_alloc,
                       static_shape=static_shape, inline_limit=inline_limit)
        self(x, *args)


class SymbolBlock(HybridBlock):
    """A HybridBlock that runs a Symbol graph; its Parameters are the graph's other inputs
    (the graph, loading and running are in ``_export``)."""

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix="", params=params)
        self._params = ParameterDict("", params)  # as MXNet: the graph's names, unprefixed
        _export.init_symbol_block(self, outputs, inputs)

    imports = classmethod(_export.imports)
    infer_shape = _export.infer_shape
    forward = _export.forward
    __repr__ = _export.symbol_block_repr


__all__ = ["Block", "DeferredInitializationError", "HookHandle", "HybridBlock", "SymbolBlock"]


def _hooks_below(block) -> bool:
    """Whether a block under ``block`` has forward hooks or pre-hooks (which the symbolic pass
    of MXNet's deferred initialization calls)."""
    return any(child._forward_hooks or child._forward_pre_hooks or _hooks_below(child)
               for child in block._children.values())
