"""``mx.contrib.tensorboard``: a Module callback that writes metrics for TensorBoard through
mxboard's ``SummaryWriter`` (``pip install mxboard``; imported when a callback is made)."""
from __future__ import annotations

import logging


class LogMetricsCallback:
    """A ``batch_end_callback``/``eval_end_callback`` for ``Module.fit`` that writes each of
    ``param.eval_metric``'s values as a TensorBoard scalar in ``logging_dir`` (named
    ``prefix-name`` when ``prefix`` is given; the step is ``param.epoch``). As in MXNet, a
    missing mxboard is logged as an error when the callback is made, and calling it fails."""

    def __init__(self, logging_dir, prefix=None):
        self.prefix = prefix
        try:
            from mxboard import SummaryWriter
        except ImportError:
            # MXNet's line, on the root logger as MXNet logs it
            logging.error("You can install mxboard via `pip install mxboard`.")  # noqa: LOG015
            return
        self.summary_writer = SummaryWriter(logging_dir)

    def __call__(self, param):
        """Write the metric values of ``param`` (a ``BatchEndParam``) at step ``param.epoch``."""
        if param.eval_metric is None:
            return
        for name, value in param.eval_metric.get_name_value():
            if self.prefix is not None:
                name = f"{self.prefix}-{name}"
            self.summary_writer.add_scalar(name, value, global_step=param.epoch)
