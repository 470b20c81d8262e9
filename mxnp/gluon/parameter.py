"""gluon Parameter and Constant: arrays a Block learns, with MXNet 1.9.1's numpy-mode rules.

A Parameter holds one mxnp ndarray per context; each is a variable (``attach_grad``) whose
gradient buffer is the Parameter's ``grad()``. Unknown dims (0 or -1) defer the allocation to the
first forward, where the owning layer's ``infer_shape`` fills them in. A Parameter made while
MXNet's array switch is off (the 1.x face) hands out ``NDArray`` views of those arrays (same
memory, same tape node), as MXNet hands out the kind its switch made.
"""
from __future__ import annotations

import warnings

import numpy as onp

from .. import autograd, initializer
from .. import numpy as np
from .._mode import is_np_array, is_np_shape
from .._tape import STATE, Leaf
from ..base import MXNetError
from ..context import Context, cpu, current_context
from ..ndarray import array as nd_array
from ..ndarray import sparse
from ..ndarray.ndarray import nd_view
from ..symbol.symbol import var as _symbol_var
from ._parameter_dict import ParameterDict

_HOST_KINDS = ("cpu_pinned", "cpu_shared")

_GRAD_REQS = ("write", "add", "null")


class DeferredInitializationError(MXNetError):
    """A Parameter's arrays do not exist yet: they are made at the first forward pass."""


def _known(shape) -> bool:
    return shape is not None and all(d > 0 for d in shape)


def _as_ctx_list(ctx) -> list:
    if ctx is None:
        return [current_context()]
    return [ctx] if isinstance(ctx, Context) else list(ctx)


class Parameter:
    """A learnable array of a Block, kept on one or more contexts, with its gradient."""

    # plain instance attributes, declared on the class too so that it lists MXNet's API names
    name: str = ""
    init = None
    lr_mult: float = 1.0
    wd_mult: float = 1.0

    def __init__(self, name, grad_req="write", shape=None, dtype=onp.float32,
                 lr_mult=1.0, wd_mult=1.0, init=None, allow_deferred_init=False,
                 differentiable=True, stype="default", grad_stype="default"):
        self._data = None  # {Context: ndarray} once initialised, in the order of list_ctx()
        self._views = {}  # ("data" | "grad", device) -> the NDArray view the 1.x face hands out
        self._legacy = None  # whether the arrays were made in the 1.x face (MXNet's switch off)
        self._grad = None  # {Context: ndarray} unless grad_req is 'null'
        self._deferred_init = ()  # (init, ctx_list, default_init, data) while waiting
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        self._trainer = None
        self._shape = (shape,) if isinstance(shape, int) else shape
        self._dtype = dtype
        for kind, value in (("stype", stype), ("grad_stype", grad_stype)):
            assert value in ("default", "row_sparse", "csr"), \
                f"{kind} for Parameter '{name}' must be one of 'default', 'row_sparse', or " \
                f"'csr', but got '{value}'"
        self._stype, self._grad_stype = stype, grad_stype
        self.name = name
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.init = init
        self.grad_req = grad_req

    def __repr__(self) -> str:
        return f"Parameter {self.name} (shape={self.shape}, dtype={self.dtype})"

    # ---- attributes -------------------------------------------------------------------------
    @property
    def grad_req(self) -> str:
        """How backward writes the gradient: 'write', 'add' or 'null'."""
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req: str) -> None:
        assert req in _GRAD_REQS, \
            f"grad_req must be one of 'write', 'add', or 'null', but got '{req}'"
        if not self._differentiable:
            req = "null"
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == "null" and self._grad is not None:
            self._grad = None
            # new array objects outside the graph, as MXNet's detach() gives
            self._data = {c: a.detach() for c, a in self._data.items()}
        elif self._data is not None:
            self._init_grad()  # MXNet re-creates the buffers: switching req zeroes them

    @property
    def dtype(self):
        """The dtype given at construction (or by ``cast``), printed as given."""
        return self._dtype

    @dtype.setter
    def dtype(self, dtype) -> None:
        self.cast(dtype)

    @property
    def shape(self):
        """The shape, None if nothing is known; unknown dims read back as -1 under NumPy shape
        semantics (``npx.set_np()``) and as 0 without them, as in MXNet."""
        if self._shape is None:
            return None
        unknown = -1 if is_np_shape() else 0
        return tuple(unknown if d in (0, -1) else d for d in self._shape)

    @shape.setter
    def shape(self, new_shape) -> None:
        if self._shape is None:
            self._shape = tuple(new_shape)
            return
        assert len(self._shape) == len(new_shape) and all(
            j in (-1, 0, i) for i, j in zip(new_shape, self._shape)), \
            f"Expected shape {tuple(new_shape)} is incompatible with given shape {self.shape}."
        self._shape = tuple(new_shape)

    @property
    def stype(self) -> str:
        """Storage type; only 'default' (dense) is supported."""
        return self._stype

    # ---- initialisation ---------------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=initializer.Uniform(),  # noqa: B008
                   force_reinit=False) -> None:
        """Create the arrays (or defer that while the shape is unknown) and fill them."""
        if self._data is not None and not force_reinit:
            warnings.warn(f"Parameter '{self.name}' is already initialized, ignoring. "
                          "Set force_reinit=True to re-initialize.", stacklevel=2)
            return
        self._data = self._grad = None
        ctx = _as_ctx_list(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        self._deferred_init = (init, ctx, default_init, None)
        if not _known(self.shape):
            if self._allow_deferred_init:
                return
            self._deferred_init = ()
            raise ValueError(f"Cannot initialize Parameter '{self.name}' because it has "
                             f"invalid shape: {self.shape}.")
        self._finish_deferred_init()

    def _finish_deferred_init(self) -> None:
        """Make the arrays of a deferred Parameter now that its shape is known."""
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        self._deferred_init = ()
        assert _known(self.shape), \
            f"Cannot initialize Parameter '{self.name}' because it has invalid shape: " \
            f"{self.shape}. Please specify in_units, in_channels, etc for `Block`s."
        with autograd.pause():
            if data is None:
                # filled once (on the first context; on the CPU for none, as MXNet) and copied
                data = np.zeros(self.shape, dtype=self.dtype, ctx=ctx[0] if ctx else None)
                self._fill(data, init, default_init)
            self._init_impl(data, ctx)

    def _fill(self, arr, init, default_init) -> None:
        """Fill ``arr`` in place with the chosen initializer (contract with mxnp.initializer)."""
        # as MXNet: the default initializer is called with the chosen one as the desc's
        # __init__, so the chosen one's weight rule fills it whatever the name
        outer = initializer.create(default_init if default_init is not None else init)
        if not isinstance(outer, initializer.Initializer):  # Mixed or Load as the default
            outer = initializer.create(init)
        outer(initializer.InitDesc(self.name, {"__init__": init}, global_init=default_init), arr)

    def _init_impl(self, data, ctx_list) -> None:
        """Put one copy of ``data`` on each context and give each its gradient buffer; the
        accessors show them in the face of this moment, as MXNet makes NDArrays or np arrays
        by its switch when it makes a Parameter's arrays."""
        self._legacy = not is_np_array()
        with autograd.pause():
            self._data = {c: np.array(data, dtype=self.dtype, ctx=c) for c in ctx_list}
        self._init_grad()

    def _init_grad(self) -> None:
        if self.grad_req == "null":
            self._grad = None
            return
        self._grad = {c: np.zeros(a.shape, dtype=a.dtype, ctx=c) for c, a in self._data.items()}
        autograd.mark_variables(list(self._data.values()), list(self._grad.values()),
                                self.grad_req)

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source="current") -> None:
        """Take values loaded from a file: fill unknown dims, check dtype, create or overwrite."""
        from ._param_io import load_into

        load_into(self, data, ctx, cast_dtype, dtype_source)

    # ---- access -----------------------------------------------------------------------------
    def _check_and_get(self, arrays, ctx):
        if arrays is not None:
            if ctx is list:
                return list(arrays.values())
            if ctx is None:
                if len(arrays) == 1:
                    return next(iter(arrays.values()))
                ctx = current_context()
            # MXNet looks pinned and shared memory up as the cpu of the same id
            arr = arrays.get(cpu(ctx.device_id) if ctx.device_type in _HOST_KINDS else ctx)
            if arr is not None:
                return arr
            raise RuntimeError(f"Parameter '{self.name}' was not initialized on context {ctx}. "
                               f"It was only initialized on {self.list_ctx()}.")
        if self._deferred_init:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because initialization "
                "was deferred. Actual initialization happens during the first forward pass. "
                "Please pass one batch of data through the network before accessing "
                "Parameters. You can also avoid deferred initialization by specifying in_units,"
                " num_features, etc., for network layers.")
        raise RuntimeError(
            f"Parameter '{self.name}' has not been initialized. Note that you should initialize "
            "parameters and create Trainer with Block.collect_params() instead of Block.params "
            "because the later does not include Parameters of nested child Blocks")

    def _face(self, arrays, kind: str, legacy: bool):
        """``arrays`` (one array or a list) as the face shows them: themselves after
        ``npx.set_np()``; else ``NDArray`` views sharing their data and tape node, one per
        array, kept and reused while they still match it."""
        if not legacy:
            return arrays
        if isinstance(arrays, list):
            return [self._view(a, kind) for a in arrays]
        return self._view(arrays, kind)

    def _view(self, array, kind: str):
        """``array``'s NDArray view (``_face``)."""
        key = (kind, array._device)
        view = self._views.get(key)
        if view is None or view._data is not array._data or view._node is not array._node:
            view = self._views[key] = nd_view(array)
            if kind == "grad":
                self._face_on_leaf(array, view)
        return view

    def _face_on_leaf(self, grad, view) -> None:
        """Tell the variable whose buffer ``grad`` is about its NDArray ``view``: backward,
        which may hand the variable a new buffer (``autograd._swap``), moves the view too."""
        for data in (self._data or {}).values():
            leaf = data._node
            if type(leaf) is Leaf and leaf.owner is grad:
                leaf.faces = (view,)

    def data(self, ctx=None):
        """The array on ``ctx`` (the only one, or the current context's): the same object on
        every call; an ``NDArray`` if it was made while MXNet's array switch was off (the 1.x
        face; a block's ``hybrid_forward`` gets the face of its call)."""
        return self._read(ctx, self._made_legacy())

    def _check_dense(self, what, ctx=None):
        """MXNet's refusal of ``data()``/``list_data()`` for a sparse Parameter."""
        if self._stype != "default":
            raise RuntimeError(f"Cannot return a copy of Parameter '{self.name}' on ctx {ctx} "
                               f"via {what}() because its storage type is {self._stype}. "
                               "Please use row_sparse_data() instead.")

    def _made_legacy(self) -> bool:
        return not is_np_array() if self._legacy is None else self._legacy

    def _read(self, ctx, legacy: bool):
        if self._stype != "default":
            self._check_dense("data", ctx)
        arr = self._check_and_get(self._data, ctx)
        if legacy:
            arr = self._face(arr, "data", True)
        if STATE.tracer is not None:  # a hybridized replay reads it again: set_data stays seen
            STATE.tracer.param(self, arr)
        return arr

    def list_data(self) -> list:
        """The arrays on every context, in ``list_ctx()`` order (``NDArray``s if made in the 1.x
        face, as ``data``)."""
        if self._stype != "default":
            self._check_dense("list_data")
        arrays = self._check_and_get(self._data, list)
        return self._face(arrays, "data", True) if self._made_legacy() else arrays

    def _all_arrays(self) -> list:
        """``list_data()``, and a sparse Parameter's arrays too (which ``list_data`` refuses):
        what a Trainer updates."""
        return self.list_data() if self._stype == "default" else \
            self._check_and_get(self._data, list)

    def _update_arrays(self) -> tuple:
        """(``_all_arrays()``, ``list_grad()``), as a Trainer step hands them to its
        updaters."""
        data, grad = self._data, self._grad
        if data is not None and grad is not None and self._legacy is False:
            return list(data.values()), list(grad.values())  # the numpy face: themselves
        return self._all_arrays(), self.list_grad()

    def grad(self, ctx=None):
        """The gradient buffer on ``ctx``: the same object on every call (an ``NDArray`` if the
        Parameter was made in the 1.x face, as ``data``)."""
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' "
                               "because grad_req='null'")
        return self._sparse_grad(self._face(self._check_and_get(self._grad, ctx), "grad",
                                            self._made_legacy()))

    def _sparse_grad(self, grads):
        """With grad_stype 'row_sparse' (in the 1.x face), the buffers seen as RowSparseNDArrays
        over the same data: the rows a backward wrote non-zeros into are the stored ones."""
        if self._grad_stype == "default" or not self._made_legacy():
            return grads
        if isinstance(grads, list):
            return [sparse.as_stype(g, self._grad_stype) for g in grads]
        return sparse.as_stype(grads, self._grad_stype)

    def list_grad(self) -> list:
        """The gradient buffers on every context (``NDArray``s if made in the 1.x face)."""
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' "
                               "because grad_req='null'")
        grads = self._check_and_get(self._grad, list)
        if not self._made_legacy():  # the numpy face: the buffers themselves
            return grads
        return self._sparse_grad(self._face(grads, "grad", True))

    def row_sparse_data(self, row_id):
        """The copy on ``row_id``'s context of a row_sparse Parameter holding the rows
        ``row_id`` (pulled from its Trainer's kvstore), as a RowSparseNDArray."""
        if self._stype != "row_sparse":
            raise RuntimeError(f"Cannot return a copy of Parameter {self.name} via "
                               f"row_sparse_data() because its storage type is {self._stype}. "
                               "Please use data() instead.")
        return self._get_row_sparse(row_id.context, row_id)

    def list_row_sparse_data(self, row_id):
        """The copies on every context of a row_sparse Parameter holding the rows ``row_id``
        (pulled from its Trainer's kvstore), as RowSparseNDArrays."""
        if self._stype != "row_sparse":
            raise RuntimeError(f"Cannot return copies of Parameter '{self.name}' on all "
                               "contexts via list_row_sparse_data() because its storage type "
                               f"is {self._stype}. Please use data() instead.")
        return self._get_row_sparse(list, row_id)

    def _get_row_sparse(self, ctx, row_id):
        if not isinstance(row_id, np.ndarray):
            raise TypeError(f"row_id must have NDArray type, but {type(row_id)} is given")
        if not self._trainer:
            raise RuntimeError(f"Cannot get row_sparse data for Parameter '{self.name}' when "
                               "no Trainer is created with it.")
        arrays = self._check_and_get(self._data, ctx)
        out = [sparse.as_stype(nd_view(a), "row_sparse")
               for a in (arrays if ctx is list else [arrays])]
        self._trainer._row_sparse_pull(self, out, row_id)
        return out if ctx is list else out[0]

    def list_ctx(self) -> list:
        """The contexts holding a copy (or the ones it will be made on, while deferred)."""
        if self._data is None:
            if self._deferred_init:
                return list(self._deferred_init[1])
            raise RuntimeError(f"Parameter '{self.name}' has not been initialized")
        return list(self._data)

    def var(self):
        """This parameter's Symbol: ``mx.sym.var`` of its name with its shape, dtype, lr/wd
        multipliers, initializer and storage type, made once and kept (as MXNet)."""
        if getattr(self, "_var", None) is None:
            self._var = _symbol_var(self.name, shape=self.shape, dtype=self.dtype,
                                    lr_mult=self.lr_mult, wd_mult=self.wd_mult, init=self.init,
                                    stype=self._stype)
        return self._var

    # ---- changing ---------------------------------------------------------------------------
    def set_data(self, data) -> None:
        """Overwrite the values on every context in place (cast to this Parameter's dtype)."""
        self.shape = data.shape
        if self._data is None:
            assert self._deferred_init, f"Parameter '{self.name}' has not been initialized"
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        trainer = self._trainer
        # a kvstore holding its own copy must be rebuilt, or it would overwrite these values
        if getattr(trainer, "_kv_initialized", False) and \
                getattr(trainer, "_update_on_kvstore", False):
            trainer._reset_kvstore()
        with autograd.pause():
            for arr in self._data.values():
                arr[:] = data

    def zero_grad(self) -> None:
        """Set the gradient buffers to 0 (nothing to do when grad_req is 'null')."""
        if self._grad is None:
            return
        with autograd.pause():
            for g in self._grad.values():
                g[:] = 0

    def _reduce(self):
        """The mean over the contexts' copies, on cpu(0) (what gets saved); for a sparse
        Parameter all its rows, pulled from its Trainer's store, as a RowSparseNDArray."""
        if self._stype != "default":
            if not self._trainer:
                raise RuntimeError(f"Cannot reduce row_sparse data for Parameter "
                                   f"'{self.name}' when no Trainer is created with it.")
            out = sparse.zeros(self._stype, self.shape, ctx=cpu(), dtype=self.dtype)
            self._trainer._row_sparse_pull(self, [out], np.arange(self.shape[0]))
            return out
        arrays = self.list_data()
        with autograd.pause():
            if len(arrays) == 1:
                return arrays[0].copyto(cpu())
            total = arrays[0].copyto(cpu())
            for a in arrays[1:]:
                total = total + a.copyto(cpu())
            return total / len(arrays)

    def reset_ctx(self, ctx) -> None:
        """Move the copies to the context(s) ``ctx``."""
        ctx = _as_ctx_list(ctx)
        if self._data:
            legacy = self._legacy
            self._init_impl(self._reduce(), ctx)
            self._legacy = legacy  # the same arrays on other contexts: the same face
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise ValueError(f"Cannot reset context for Parameter '{self.name}' because it "
                             "has not been initialized.")

    def cast(self, dtype) -> None:
        """Cast the data and gradient (and later-created arrays) to ``dtype``."""
        self._dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = {c: a.astype(dtype) for c, a in self._data.items()}
        self._init_grad()

    def _set_trainer(self, trainer) -> None:
        """Remember the Trainer that updates this Parameter (one only for a sparse
        Parameter, as MXNet)."""
        if self._stype != "default" and self._trainer and trainer is not None and \
                self._trainer is not trainer:
            raise RuntimeError(f"Failed to set the trainer for Parameter '{self.name}' because "
                               "it was already set. More than one trainers for a "
                               f"{self._stype} Parameter is not supported.")
        self._trainer = trainer


class Constant(Parameter):
    """A Parameter that never learns: ``grad_req`` is always 'null', initialised to ``value``."""

    def __init__(self, name, value):
        if not isinstance(value, np.ndarray):  # MXNet's 1.x face makes it float32 (nd.array)
            value = np.array(value) if is_np_array() else nd_array(value)
        self.value = value
        # MXNet registers an initializer under this generated name; mxnp copies in _fill
        init_name = f"Constant_{name}_{id(self)}"
        super().__init__(name, grad_req="null", shape=value.shape, dtype=value.dtype,
                         init=init_name)

    def __repr__(self) -> str:
        return f"Constant {self.name} (shape={self.shape}, dtype={self.dtype})"

    @property
    def grad_req(self) -> str:
        """Always 'null'; setting anything else only warns."""
        return "null"

    @grad_req.setter
    def grad_req(self, req: str) -> None:
        if req != "null":
            warnings.warn(f'Constant parameter "{self.name}" does not support grad_req other '
                          f'than "null", and new value "{req}" is ignored.', stacklevel=2)

    def _fill(self, arr, init, default_init) -> None:
        if isinstance(init, str) and init == self.init:
            arr[:] = self.value.as_in_ctx(arr.ctx)
            return
        super()._fill(arr, init, default_init)


__all__ = ["Constant", "DeferredInitializationError", "Parameter", "ParameterDict"]
