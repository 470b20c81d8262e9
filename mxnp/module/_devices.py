"""What a Module bound to several contexts shows per device: MXNet splits a batch over its
devices by ``work_load_list``; mxnp runs one executor over the whole batch and gives each
device its slice of the results."""
from __future__ import annotations

from ..base import MXNetError
from ..io import DataDesc
from . import _binding


class DeviceResults:
    """A Module's update through its kvstore, and the outputs, input gradients and states of
    its executor, merged or per device."""

    def get_outputs(self, merge_multi_context=True) -> list:
        """The outputs of the last forward (each in a list of one when not merged)."""
        self._check_ready("get_outputs")
        outputs = list(self._exec.outputs)
        if merge_multi_context:
            return self._merged(outputs)
        axes = [DataDesc.get_batch_axis(self._symbol[n].attr("__layout__"))
                for n in self._output_names]
        return [self._device_parts(o, axis) for o, axis in zip(outputs, axes)]

    def get_input_grads(self, merge_multi_context=True) -> list:
        """The gradients of the data inputs (bind with ``inputs_need_grad=True``)."""
        self._check_ready("get_input_grads")
        if not self.inputs_need_grad:
            raise MXNetError("Module.get_input_grads: bind with inputs_need_grad=True first")
        grads = [self._exec.grad_dict[d.name] for d in self._data_shapes]
        if merge_multi_context:
            return self._merged(grads)
        return [self._device_parts(g, DataDesc.get_batch_axis(d.layout))
                for g, d in zip(grads, self._data_shapes)]

    def get_states(self, merge_multi_context=True) -> list:
        """The arrays of the state inputs (``state_names``)."""
        self._check_ready("get_states")
        states = [self._exec.arg_dict[n] for n in self._state_names]
        if merge_multi_context:
            return self._merged(states)
        return [self._device_parts(s, 0) for s in states]

    def set_states(self, states=None, value=None) -> None:
        """Set the state inputs from arrays (or per-device lists of them), or all to the
        number ``value``."""
        self._check_ready("set_states")
        if (states is None) == (value is None):
            raise ValueError("Module.set_states: give exactly one of states and value")
        for i, name in enumerate(self._state_names):
            self._exec.arg_dict[name][...] = value if states is None else \
                _binding.joined(states[i], 0)

    def _merged(self, arrays: list) -> list:
        # several devices' results are joined into new arrays in MXNet: the next forward does
        # not overwrite them; one device's are the executor's own
        return arrays if len(self._context) == 1 else [a.copy() for a in arrays]

    def _device_parts(self, array, axis: int) -> list:
        batch = self._data_shapes[0]
        size = batch.shape[DataDesc.get_batch_axis(batch.layout)]
        return _binding.device_parts(array, axis,
                                     _binding.split_slices(size, self._work_load_list))

    def _init_kvstore(self) -> None:
        """Each parameter into the store by name (MXNet's ``_initialize_kvstore``)."""
        if self._params_dirty:
            self._sync_params_from_devices()
        for name in self._param_names:
            self._kvstore.init(name, self._arg_params[name])
        if self._update_on_kvstore:
            self._kvstore.set_optimizer(self._optimizer)

    def update(self) -> None:
        """One optimizer step on every parameter that has a gradient."""
        self._check_ready("update", optimizer=True)
        self._params_dirty = True
        grads = self._exec.grad_dict
        items = [(i, self._exec.arg_dict[n], grads[n]) for i, n in enumerate(self._param_names)
                 if grads.get(n) is not None]
        if items and self._update_on_kvstore:  # keyed by name, as MXNet's store
            for i, weight, grad in items:
                self._kvstore.pushpull(self._param_names[i], grad, out=weight, priority=-i)
        elif items:
            # one executor's gradient is already the devices' sum: nothing to reduce
            indices, weights, gradients = zip(*items)
            self._updater(list(indices), list(gradients), list(weights))
