"""The optimizer an SVRGModule trains with: each parameter by the optimizer asked for, and each
``<name>_full`` key (the full gradients kept in a kvstore) by plain assignment."""
from __future__ import annotations

from ... import optimizer as opt

__all__ = ["_AssignmentOptimizer", "_SVRGOptimizer"]

# the keyword arguments every Optimizer takes; the rest go to the wrapped optimizer only
_BASE_PARAMS = ("rescale_grad", "param_idx2name", "wd", "clip_gradient", "learning_rate",
                "lr_scheduler", "sym", "begin_num_update", "multi_precision", "param_dict")


@opt.register
class _AssignmentOptimizer(opt.Optimizer):
    """An "update" that writes the pushed value over the weight."""

    def update(self, index, weight, grad, state):
        """``weight[:] = grad``."""
        weight[:] = grad


@opt.register
class _SVRGOptimizer(opt.Optimizer):
    """``default_optimizer`` (a name or an Optimizer; built from all of ``kwargs``) for the
    parameters, assignment for the keys whose name contains ``full``."""

    def __init__(self, default_optimizer, **kwargs):
        super().__init__(**{k: v for k, v in kwargs.items() if k in _BASE_PARAMS})
        self.default_opt = opt.create(default_optimizer, **kwargs) \
            if isinstance(default_optimizer, str) else default_optimizer
        self.aux_opt = opt.create(_AssignmentOptimizer.__name__)

    def _optimizer_for(self, index):
        name = index if index in self.idx2name.values() else self.idx2name[index]
        return self.aux_opt if "full" in name else self.default_opt

    def create_state(self, index, weight):
        """The state of the optimizer that updates ``index``."""
        return self._optimizer_for(index).create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Update by the wrapped optimizer, or assign a full gradient (``index`` may be a
        list, with lists of the rest)."""
        if isinstance(index, (list, tuple)):
            for i, w, g, s in zip(index, weight, grad, state):
                self._optimizer_for(i).update(i, w, g, s)
            return
        self._optimizer_for(index).update(index, weight, grad, state)
