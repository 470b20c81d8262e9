"""mx.contrib.tensorboard.LogMetricsCallback: each metric value written as a scalar through
mxboard's SummaryWriter (a stand-in here: the tests never need mxboard), at step
``param.epoch``, prefixed by name; without mxboard, MXNet 1.9.1's error line."""
import logging
import sys
import types

import numpy as onp
import pytest

import mxnp as mx
from mxnp.model import BatchEndParam


@pytest.fixture
def writers(monkeypatch):
    """A stand-in ``mxboard`` module; the list of its writers, each ``(logdir, [calls])``."""
    made = []

    class SummaryWriter:
        def __init__(self, logdir):
            self.calls = []
            made.append((logdir, self.calls))

        def add_scalar(self, tag, value, global_step=None):
            self.calls.append((tag, value, global_step))

    monkeypatch.setitem(sys.modules, "mxboard", types.SimpleNamespace(SummaryWriter=SummaryWriter))
    return made


def test_metrics_are_written_by_name_at_the_epoch(writers):
    metric = mx.metric.create(["acc", "mse"])
    metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.9, 0.1]])])
    plain = mx.contrib.tensorboard.LogMetricsCallback("logs/train")
    prefixed = mx.contrib.tensorboard.LogMetricsCallback("logs/eval", prefix="eval")
    for cb in (plain, prefixed):
        cb(BatchEndParam(epoch=3, nbatch=7, eval_metric=metric, locals=None))
        cb(BatchEndParam(epoch=4, nbatch=0, eval_metric=None, locals=None))  # nothing written
    (d1, c1), (d2, c2) = writers
    assert (d1, d2) == ("logs/train", "logs/eval")
    assert [(t, s) for t, _, s in c1] == [("accuracy", 3), ("mse", 3)]
    assert [t for t, _, _ in c2] == ["eval-accuracy", "eval-mse"]
    assert [v for _, v, _ in c1] == [v for _, v, _ in c2] == [1.0, 0.375]  # the metric's own


def test_module_fit_calls_it_each_batch(writers):
    rng = onp.random.RandomState(0)
    train = mx.io.NDArrayIter(rng.randn(20, 4).astype("float32"),
                              rng.randint(0, 2, 20).astype("float32"), batch_size=5)
    data = mx.sym.var("data")
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=2, name="fc"),
                               name="softmax")
    mod = mx.mod.Module(net)
    mod.fit(train, num_epoch=2, batch_end_callback=mx.contrib.tensorboard.LogMetricsCallback("d"))
    calls = writers[0][1]
    assert [(t, s) for t, _, s in calls] == [("accuracy", 0)] * 4 + [("accuracy", 1)] * 4


def test_without_mxboard_the_error_is_logged_and_a_call_fails(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "mxboard", None)  # import mxboard raises ImportError
    with caplog.at_level(logging.ERROR):
        cb = mx.contrib.tensorboard.LogMetricsCallback("logs")
    assert caplog.messages == ["You can install mxboard via `pip install mxboard`."]
    metric = mx.metric.Accuracy()
    with pytest.raises(AttributeError, match="summary_writer"):
        cb(BatchEndParam(epoch=0, nbatch=0, eval_metric=metric, locals=None))
