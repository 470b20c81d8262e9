"""``Module``: a Symbol bound to one device with its parameters, optimizer and metric
updates; MXNet 1.x's training and inference API for symbolic models, on mx.sym's Executor."""
from __future__ import annotations

import logging
import warnings
from collections import OrderedDict
from typing import NamedTuple

from .. import optimizer as opt
from ..base import MXNetError
from ..context import current_context
from ..initializer import InitDesc, Uniform
from ..io import DataDesc
from ..model import load_checkpoint
from . import _binding
from ._devices import DeviceResults
from .base_module import BaseModule

__all__ = ["Module"]


class Module(DeviceResults, BaseModule):
    """A Symbol with named data and label inputs, bound on one context; every other argument
    of the Symbol is a parameter (``fixed_param_names`` are not updated).

    Differs from MXNet: with several contexts one executor on the first runs the whole batch
    (the summed gradient is the devices' sum); per-device results (``merge_multi_context=
    False``) are its slices by ``work_load_list``. ``group2ctxs`` (``{ctx_group: Context}``,
    or a list of them, one per context, of which the first is used) places the arrays of a
    ``ctx_group``'s variables as ``simple_bind``'s ``group2ctx``; ``compression_params`` is
    accepted and unused.
    """

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=logging, context=None, work_load_list=None, fixed_param_names=None,
                 state_names=None, group2ctxs=None, compression_params=None):
        super().__init__(logger=logger)
        self._context = _binding.contexts_list(context)
        self._work_load_list = work_load_list or [1] * len(self._context)
        if isinstance(group2ctxs, (list, tuple)):
            if len(group2ctxs) != len(self._context):
                raise ValueError(f"Module: group2ctxs needs one dict per context in "
                                 f"{self._context}, got {len(group2ctxs)}")
            group2ctxs = group2ctxs[0] if group2ctxs else None
        self._group2ctx = group2ctxs
        if len(self._work_load_list) != len(self._context):
            raise ValueError(f"Module: work_load_list={self._work_load_list} needs one entry "
                             f"per context in {self._context}")
        self._symbol = symbol
        self._data_names = _binding.names_list(data_names)
        self._label_names = _binding.names_list(label_names)
        self._state_names = _binding.names_list(state_names)
        self._fixed_param_names = _binding.names_list(fixed_param_names)
        _binding.check_names_in(symbol, self._data_names, "data", True)
        _binding.check_names_in(symbol, self._label_names, "label", False)
        _binding.check_names_in(symbol, self._state_names, "state", True)
        _binding.check_names_in(symbol, self._fixed_param_names, "fixed_param", True)
        inputs = set(self._data_names + self._label_names + self._state_names)
        self._param_names = [a for a in symbol.list_arguments() if a not in inputs]
        self._aux_names = symbol.list_auxiliary_states()
        self._output_names = symbol.list_outputs()
        self._arg_params = self._aux_params = None
        self._params_dirty = False
        self._optimizer = self._updater = self._kvstore = None
        self._update_on_kvstore = False
        self._preload_opt_states = None
        self._grad_req = None
        self._exec = None
        self._data_shapes = self._label_shapes = None

    @staticmethod
    def load(prefix: str, epoch: int, load_optimizer_states: bool = False, **kwargs):
        """A Module of ``prefix``'s checkpoint of ``epoch``; its parameters are set at bind
        (and the optimizer states at ``init_optimizer`` if asked)."""
        symbol, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=symbol, **kwargs)
        mod._arg_params, mod._aux_params = args, auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = f"{prefix}-{epoch:04d}.states"
        return mod

    def save_checkpoint(self, prefix: str, epoch: int, save_optimizer_states: bool = False,
                        remove_amp_cast: bool = True) -> None:
        """Write ``prefix-symbol.json``, ``prefix-%04d.params`` (and ``.states``)."""
        self._symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
        param_name = f"{prefix}-{epoch:04d}.params"
        self.save_params(param_name)
        logging.info('Saved checkpoint to "%s"', param_name)  # noqa: LOG015
        if save_optimizer_states:
            state_name = f"{prefix}-{epoch:04d}.states"
            self.save_optimizer_states(state_name)
            logging.info('Saved optimizer state to "%s"', state_name)  # noqa: LOG015

    # ---- names and shapes ----------------------------------------------------------------
    @property
    def data_names(self) -> list:
        """The names of the data inputs."""
        return self._data_names

    @property
    def label_names(self) -> list:
        """The names of the label inputs."""
        return self._label_names

    @property
    def output_names(self) -> list:
        """The names of the outputs."""
        return self._output_names

    @property
    def data_shapes(self) -> list:
        """The bound data's DataDescs."""
        self._check_bound("data_shapes")
        return self._data_shapes

    @property
    def label_shapes(self):
        """The bound labels' DataDescs (None when bound without labels)."""
        self._check_bound("label_shapes")
        return self._label_shapes

    @property
    def output_shapes(self) -> list:
        """``[(output name, shape)]`` for the bound shapes."""
        self._check_bound("output_shapes")
        shapes = {d.name: d.shape for d in self._data_shapes + (self._label_shapes or [])}
        _, out_shapes, _ = self._symbol.infer_shape(**shapes)
        return list(zip(self._output_names, out_shapes))

    def _check_bound(self, what: str) -> None:
        if not self.binded:
            raise MXNetError(f"Module.{what}: call bind() first")

    # ---- parameters ----------------------------------------------------------------------
    def get_params(self):
        """``(arg_params, aux_params)``: the module's own copies, brought up to date."""
        self._check_ready("get_params")
        if self._params_dirty:
            self._sync_params_from_devices()
        return self._arg_params, self._aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Fill each parameter from ``arg_params``/``aux_params`` or else ``initializer``
        (missing ones are an error unless ``allow_missing``)."""
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "init_params call ignored.", stacklevel=2)
            return
        self._check_bound("init_params")
        attrs = self._symbol.attr_dict()
        for own, given in ((self._arg_params, arg_params), (self._aux_params, aux_params)):
            for name, arr in sorted(own.items()):
                desc = InitDesc(name, attrs.get(name))
                if given is not None and name in given:
                    if given[name] is not arr:
                        arr[...] = given[name]
                elif given is not None and not allow_missing:
                    raise MXNetError(f"Module.init_params: {name!r} is not in the given "
                                     f"parameters; pass allow_missing=True to initialize it")
                elif initializer is not None:
                    initializer(desc, arr)
        self.params_initialized = True
        self._params_dirty = False
        self._copy_params_to_executor()

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False) -> None:
        """Set the parameters from dicts name -> array (those missing keep their values when
        ``allow_missing``)."""
        if not allow_missing:
            self.init_params(None, arg_params, aux_params, allow_missing, force_init,
                             allow_extra)
            return
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "set_params call ignored.", stacklevel=2)
            return
        self._check_bound("set_params")
        self._exec.copy_params_from(arg_params or {}, aux_params or {}, allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def _copy_params_to_executor(self) -> None:
        # the module's own dicts may name more than this symbol takes (a checkpoint's, or
        # those shared with other buckets)
        self._exec.copy_params_from(self._arg_params, self._aux_params, True)

    def _sync_params_from_devices(self) -> None:
        for own, bound in ((self._arg_params, self._exec.arg_dict),
                           (self._aux_params, self._exec.aux_dict)):
            for name, arr in own.items():
                if name in bound:  # a checkpoint's dict may hold more than the symbol takes
                    arr[...] = bound[name]
        self._params_dirty = False

    # ---- binding -------------------------------------------------------------------------
    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write") -> None:
        """Make the executor for these data (and label) shapes; parameters set before are
        kept."""
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if shared_module is not None and not (isinstance(shared_module, Module) and
                                              shared_module.binded and
                                              shared_module.params_initialized):
            raise MXNetError("Module.bind: shared_module must be a bound Module with its "
                             "parameters initialized")
        if inputs_need_grad and not for_training:
            raise ValueError("Module.bind: inputs_need_grad=True needs for_training=True")
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        self._grad_req = grad_req
        self._data_shapes = _binding.as_descs(data_shapes, self._data_names, "data", True)
        self._label_shapes = _binding.as_descs(label_shapes, self._label_names, "label", False)
        shared = shared_module._exec if shared_module is not None else None
        self._exec = self._make_executor(self._data_shapes, self._label_shapes, shared)
        self.binded = True
        if shared_module is not None:
            # the same parameter arrays, already current (BucketingModule's buckets train one
            # set of weights)
            self.params_initialized = True
            self._arg_params = shared_module._arg_params
            self._aux_params = shared_module._aux_params
            return
        if self._arg_params is None:
            # the module's own copies lie on the current context, as MXNet's (the executor's
            # may lie elsewhere by group2ctxs)
            here = current_context()
            self._arg_params = {n: self._exec.arg_dict[n].copyto(here) for n in self._param_names}
            self._aux_params = {n: self._exec.aux_dict[n].copyto(here) for n in self._aux_names}
        if self.params_initialized:
            self._copy_params_to_executor()

    def _reset_bind(self) -> None:
        self.binded = False
        self._exec = None
        self._data_shapes = self._label_shapes = None

    def _make_executor(self, data_shapes, label_shapes, old=None):
        descs = list(data_shapes) + list(label_shapes or [])
        return _binding.make_executor(self._symbol, self._context[0], descs, self._grad_reqs(),
                                      self._param_names, old, self._group2ctx)

    def _grad_reqs(self) -> dict:
        """Each argument's grad_req: parameters by ``grad_req`` (fixed ones 'null'), data only
        when ``inputs_need_grad``, labels never."""
        if not self.for_training:
            return {}
        req = self._grad_req
        reqs = {}
        for name in self._symbol.list_arguments():
            trained = name in self._param_names and name not in self._fixed_param_names
            if trained or (name in self._data_names and self.inputs_need_grad):
                reqs[name] = req.get(name, "null") if isinstance(req, dict) else req
        return reqs

    def reshape(self, data_shapes, label_shapes=None) -> None:
        """Bind again for new input shapes, keeping the parameters."""
        self._check_bound("reshape")
        self._data_shapes = _binding.as_descs(data_shapes, self._data_names, "data", True)
        self._label_shapes = _binding.as_descs(label_shapes, self._label_names, "label", False)
        self._exec = self._make_executor(self._data_shapes, self._label_shapes, self._exec)

    # ---- optimizer -----------------------------------------------------------------------
    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False) -> None:
        """Make the optimizer (a name with ``optimizer_params``, or an Optimizer); a named
        one rescales gradients by 1/batch size unless told otherwise."""
        # Module's warning ends in "..." in MXNet; the other modules' in "."
        if not self._optimizer_wanted(force_init, "optimizer already initialized, ignoring..."):
            return
        if self._params_dirty:
            self._sync_params_from_devices()
        _binding.check_kvstore(kvstore)
        self._kvstore, self._update_on_kvstore = _binding.create_kvstore(
            kvstore, len(self._context), self._arg_params)
        batch_size = self._data_shapes[0].shape[
            DataDesc.get_batch_axis(self._data_shapes[0].layout)]
        rescale_grad = 1.0 / batch_size
        idx2name = dict(enumerate(self._param_names))
        if isinstance(optimizer, str):
            params = dict(optimizer_params)
            params.setdefault("rescale_grad", rescale_grad)
            optimizer = opt.create(optimizer, sym=self._symbol, param_idx2name=idx2name,
                                   **params)
        elif not isinstance(optimizer, opt.Optimizer):
            raise TypeError(f"Module.init_optimizer: optimizer must be a name or an "
                            f"mx.optimizer.Optimizer, got {type(optimizer).__name__}")
        else:
            if optimizer.rescale_grad != rescale_grad:
                warnings.warn(f"Optimizer created manually outside Module but rescale_grad is "
                              f"not normalized to 1.0/batch_size/num_workers "
                              f"({optimizer.rescale_grad} vs. {rescale_grad}). Is this "
                              f"intended?", stacklevel=2)
            if not optimizer.idx2name:
                optimizer.idx2name = idx2name.copy()
        self._optimizer = optimizer
        self._updater = None if self._update_on_kvstore else opt.get_updater(optimizer)
        if self._kvstore is not None:
            self._init_kvstore()
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def borrow_optimizer(self, shared_module) -> None:
        """Use ``shared_module``'s optimizer and its states."""
        if not shared_module.optimizer_initialized:
            raise MXNetError("Module.borrow_optimizer: the shared module has no optimizer; "
                             "call its init_optimizer() first")
        self._optimizer, self._updater = shared_module._optimizer, shared_module._updater
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname: str) -> None:
        """Write the optimizer's states to ``fname`` (mxnp's JSON document, not a pickle)."""
        self._check_ready("save_optimizer_states", optimizer=True)
        if self._update_on_kvstore:
            self._kvstore.save_optimizer_states(fname)
            return
        with open(fname, "wb") as f:
            f.write(self._updater.get_states())

    def load_optimizer_states(self, fname: str) -> None:
        """Read the optimizer's states written by ``save_optimizer_states``."""
        self._check_ready("load_optimizer_states", optimizer=True)
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            return
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    # ---- a batch at a time ---------------------------------------------------------------
    def forward(self, data_batch, is_train=None) -> None:
        """Compute the outputs of ``data_batch`` (rebinding first if its shapes differ)."""
        self._check_ready("forward")
        data = list(data_batch.data)
        if len(data) != len(self._data_shapes):
            raise MXNetError(f"Module.forward: the batch has {len(data)} data arrays; the "
                             f"module takes {[d.name for d in self._data_shapes]}")
        if tuple(tuple(d.shape) for d in data) != tuple(d.shape for d in self._data_shapes):
            self.reshape(*self._new_descs(data_batch))
        for desc, value in zip(self._data_shapes, data):
            self._exec.arg_dict[desc.name][...] = value
        labels = getattr(data_batch, "label", None)
        if self._label_shapes and labels:
            for desc, value in zip(self._label_shapes, labels):
                self._exec.arg_dict[desc.name][...] = value
        self._exec.forward(is_train=self.for_training if is_train is None else is_train)

    def _new_descs(self, batch):
        data_descs = getattr(batch, "provide_data", None) or [
            DataDesc(d.name, x.shape, d.dtype, d.layout)
            for d, x in zip(self._data_shapes, batch.data)]
        label_descs = getattr(batch, "provide_label", None)
        if not label_descs and getattr(batch, "label", None) and self._label_shapes:
            label_descs = [DataDesc(d.name, x.shape, d.dtype, d.layout)
                           for d, x in zip(self._label_shapes, batch.label)]
        elif not label_descs and self._label_shapes:
            # a batch without labels (predict on an array): the labels follow the new batch
            # size; MXNet fails here ("Shape of unspecified arg ... changed")
            axis = DataDesc.get_batch_axis(data_descs[0].layout)
            size = data_descs[0].shape[axis]
            label_descs = [DataDesc(d.name, _binding.with_batch(d, size), d.dtype, d.layout)
                           for d in self._label_shapes]
        return data_descs, label_descs or None

    def backward(self, out_grads=None) -> None:
        """Gradients of the last ``forward(is_train=True)`` into the gradient arrays."""
        self._check_ready("backward")
        if not self.for_training:
            raise MXNetError("Module.backward: the module was bound with for_training=False")
        self._exec.backward(out_grads=out_grads)

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Accumulate ``eval_metric`` over the last outputs and ``labels``."""
        names = [d.name for d in self._label_shapes or []]
        eval_metric.update_dict(OrderedDict(zip(names, labels or [])),
                                OrderedDict(zip(self._output_names, self._exec.outputs)))

    def install_monitor(self, mon) -> None:
        """Have the Monitor ``mon`` watch this module's executor (kept across reshapes)."""
        self._check_bound("install_monitor")
        mon.install(self._exec)

    @property
    def _exec_group(self):
        """MXNet's executor group as far as code reaches into it: ``execs`` (the one
        executor), ``param_names``, ``param_arrays``/``grad_arrays`` (per parameter, a list of
        the one executor's array) and ``batch_size``."""
        grads = self._exec.grad_dict
        batch = self._data_shapes[0]
        return _ExecGroup([self._exec], list(self._param_names),
                          [[self._exec.arg_dict[n]] for n in self._param_names],
                          [[grads.get(n)] for n in self._param_names],
                          batch.shape[DataDesc.get_batch_axis(batch.layout)])


class _ExecGroup(NamedTuple):
    """What ``Module._exec_group`` shows of MXNet's DataParallelExecutorGroup."""
    execs: list
    param_names: list
    param_arrays: list
    grad_arrays: list
    batch_size: int
