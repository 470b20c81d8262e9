"""``SVRGModule``: a Module that trains with stochastic variance-reduced gradients. Every
``update_freq`` epochs it takes the mean gradient over the whole data at the current weights
(on an auxiliary Module holding a snapshot of them); each step then uses
``g(w) - g(snapshot) + full mean gradient`` for the batch."""
from __future__ import annotations

import logging

from ... import ndarray as nd
from ...module import Module
from .svrg_optimizer import _SVRGOptimizer

__all__ = ["SVRGModule"]


class SVRGModule(Module):
    """A Module trained by SVRG; ``update_freq`` (a positive int) is how many epochs pass
    between full-gradient passes.

    Differs from MXNet: each ``update_full_grads`` starts its mean from zero (MXNet adds the new
    mean to the previous pass's, when no kvstore replaces it)."""

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",),
                 logger=logging, context=None, work_load_list=None, fixed_param_names=None,
                 state_names=None, group2ctxs=None, compression_params=None, update_freq=None):
        super().__init__(symbol, data_names, label_names, logger, context, work_load_list,
                         fixed_param_names, state_names, group2ctxs, compression_params)
        if not isinstance(update_freq, int):
            raise TypeError("update_freq in SVRGModule must be an integer to represent the "
                            "frequency for calculating full gradients")
        if update_freq <= 0:
            raise ValueError("update_freq in SVRGModule must be a positive integer to represent "
                             "the frequency for calculating full gradients")
        self.update_freq = update_freq
        self._mod_aux = Module(symbol, data_names, label_names, logger, context, work_load_list,
                               fixed_param_names, state_names, group2ctxs, compression_params)
        self._param_dict = None
        self._ctx_len = len(self._context)

    def _reset_bind(self) -> None:
        super()._reset_bind()
        self._mod_aux._reset_bind()

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req="write") -> None:
        """Bind this module, and for training the auxiliary one too."""
        super().bind(data_shapes, label_shapes, for_training, inputs_need_grad, force_rebind,
                     shared_module, grad_req)
        if for_training:
            self._mod_aux.bind(data_shapes, label_shapes, for_training, inputs_need_grad,
                               force_rebind, shared_module, grad_req)

    def reshape(self, data_shapes, label_shapes=None) -> None:
        """Reshape both modules."""
        super().reshape(data_shapes, label_shapes=label_shapes)
        self._mod_aux.reshape(data_shapes, label_shapes=label_shapes)

    def init_optimizer(self, kvstore="local", optimizer="sgd",
                       optimizer_params=(("learning_rate", 0.01),), force_init=False) -> None:
        """``optimizer`` wrapped in the SVRG optimizer (which also keys each parameter's full
        gradient, ``<name>_full``, in the kvstore if there is one)."""
        params = self.get_params()[0]
        self._param_dict = [{k: nd.zeros(v.shape, ctx=ctx) for k, v in params.items()}
                            for ctx in self._context]
        batch = self._data_shapes[0]
        idx2name = dict(enumerate(self._param_names))
        for name in self._param_names:
            idx2name[len(idx2name)] = name + "_full"
        kwargs = dict(optimizer_params)
        kwargs.setdefault("rescale_grad", 1.0 / batch.shape[batch.get_batch_axis(batch.layout)])
        svrg = _SVRGOptimizer(default_optimizer=optimizer, param_idx2name=idx2name, **kwargs)
        super().init_optimizer(kvstore, svrg, optimizer_params, force_init)
        if self._kvstore is not None:
            for name in self._param_names:
                self._kvstore.init(name + "_full", nd.zeros(self._arg_params[name].shape))

    def forward(self, data_batch, is_train=None) -> None:
        """Forward; a training forward (``is_train=True``) runs the snapshot's too."""
        super().forward(data_batch, is_train)
        if is_train:
            self._mod_aux.forward(data_batch, is_train)

    def backward(self, out_grads=None) -> None:
        """Backward through both modules."""
        super().backward(out_grads)
        if self._mod_aux.binded:
            self._mod_aux.backward(out_grads)

    def update(self) -> None:
        """One step on the variance-reduced gradients."""
        grads, snapshot = self._exec.grad_dict, self._mod_aux._exec.grad_dict
        for name in self._param_names:
            if grads.get(name) is not None:
                grads[name][...] = grads[name] - snapshot[name] + self._param_dict[0][name]
        super().update()

    def update_full_grads(self, train_data) -> None:
        """Snapshot the weights into the auxiliary module and take the mean gradient over
        ``train_data`` there (a padded last batch counts as its share of a batch)."""
        arg, aux = self.get_params()
        self._mod_aux.set_params(arg_params=arg, aux_params=aux)
        total = {n: nd.zeros(self._arg_params[n].shape) for n in self._param_names}
        train_data.reset()
        nbatch = padding = 0
        for batch in train_data:
            self._mod_aux.forward(batch, is_train=True)
            self._mod_aux.backward()
            nbatch += 1
            for name in self._param_names:
                total[name] += self._mod_aux._exec.grad_dict[name]
            padding = batch.pad or 0
        count = nbatch - padding / train_data.batch_size
        for name in self._param_names:
            means = [(total[name] / count).as_in_context(ctx) for ctx in self._context]
            if self._kvstore is not None:
                self._accumulate_kvstore(name, means)
            else:
                for i, mean in enumerate(means):
                    self._param_dict[i][name] = mean

    def _accumulate_kvstore(self, key, value) -> None:
        """The devices' full gradients summed through the kvstore, each device's share kept."""
        self._kvstore.push(key + "_full", value)
        self._kvstore.pull(key + "_full", value)
        for i in range(self._ctx_len):
            self._param_dict[i][key] = value[i] / self._ctx_len

    def _fit_epoch(self, train_data, epoch, *args, **kwargs) -> list:
        if epoch % self.update_freq == 0:
            self.update_full_grads(train_data)
            train_data.reset()
        return super()._fit_epoch(train_data, epoch, *args, **kwargs)
