"""gluon.contrib.estimator: Estimator.fit/evaluate, its default handlers and their log text.

Expected values come from MXNet 1.9.1 (mxref) on the same data and constant initial weights.
"""
from __future__ import annotations

import io
import os
import re
import warnings

import numpy as onp
import pytest

from mxnp import gluon, init, metric
from mxnp import numpy as np
from mxnp.gluon.contrib import estimator as est_mod
from mxnp.gluon.contrib.estimator import (
    BatchEnd,
    CheckpointHandler,
    EarlyStoppingHandler,
    Estimator,
    GradientUpdateHandler,
    LoggingHandler,
    MetricHandler,
    StoppingHandler,
    TrainBegin,
)


def _loader(n=12, batch_size=4):
    x = np.array(onp.arange(2.0 * n).reshape(n, 2) / 10, dtype="float32")
    y = np.array(onp.arange(n) % 3, dtype="float32")
    return gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=batch_size)


def _estimator(lr=0.5, **kwargs):
    net = gluon.nn.Dense(3, in_units=2)
    net.initialize(init.Constant(0.1))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    return Estimator(net=net, loss=gluon.loss.SoftmaxCrossEntropyLoss(), trainer=trainer,
                     **kwargs)


def _log_of(est) -> io.StringIO:
    buf = io.StringIO()
    est.logger.handlers[0].setStream(buf)
    return buf


# MXNet 1.9.1's log of _estimator().fit(_loader(), val_data=_loader(), epochs=2,
# event_handlers=[LoggingHandler(log_interval=2, metrics=est.train_metrics)]), times as T
MXNET_LOG = """\
Training begin: using optimizer SGD with current learning rate 0.5000 
Train for 2 epochs.
[Epoch 0] Begin, current learning rate: 0.5000
[Epoch 0][Batch 0][Samples 4] time/interval: T training accuracy: 0.5000, training softmaxcrossentropyloss: 1.0986
[Epoch 0][Batch 2][Samples 12] time/interval: T training accuracy: 0.3333, training softmaxcrossentropyloss: 1.1453
Validation Begin
[Epoch 0] Finished in T, validation accuracy: 0.3333, validation softmaxcrossentropyloss: 1.1556
[Epoch 0] Finished in T, training accuracy: 0.3333, training softmaxcrossentropyloss: 1.1453
[Epoch 1] Begin, current learning rate: 0.5000
[Epoch 1][Batch 0][Samples 16] time/interval: T training accuracy: 0.2500, training softmaxcrossentropyloss: 1.1086
[Epoch 1][Batch 2][Samples 24] time/interval: T training accuracy: 0.2500, training softmaxcrossentropyloss: 1.1572
Validation Begin
[Epoch 0] Finished in T, validation accuracy: 0.4167, validation softmaxcrossentropyloss: 1.1234
[Epoch 1] Finished in T, training accuracy: 0.2500, training softmaxcrossentropyloss: 1.1572
Train finished using T with 2 epochs. training accuracy: 0.2500, training softmaxcrossentropyloss: 1.1572
"""


def test_fit_logs_mxnets_text_and_trains_the_net():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = _estimator()
    buf = _log_of(est)
    est.fit(_loader(), val_data=_loader(), epochs=2,
            event_handlers=[LoggingHandler(log_interval=2, metrics=est.train_metrics)])
    assert re.sub(r"\d+\.\d{3}s|total \d+s", "T", buf.getvalue()) == MXNET_LOG
    assert [m.name for m in est.train_metrics] == ["training accuracy",
                                                   "training softmaxcrossentropyloss"]
    assert [m.name for m in est.val_metrics] == ["validation accuracy",
                                                 "validation softmaxcrossentropyloss"]
    # MXNet 1.9.1's weights after the two epochs
    want = [[-0.0008276608, 0.0043762997], [6.8545341e-05, -7.6457858e-05],
            [0.3007608056, 0.2957018614]]
    onp.testing.assert_allclose(est.net.weight.data().asnumpy(), want, rtol=2e-3, atol=2e-6)


def test_fit_by_batches_stops_inside_an_epoch():
    est = _estimator(lr=0.0)
    seen = []

    class Count(BatchEnd):
        def batch_end(self, estimator, *args, **kwargs):
            seen.append(kwargs["batch"][0].shape[0])

    est.fit(_loader(), batches=5, event_handlers=[Count()])
    assert seen == [4, 4, 4, 4, 4]


def test_fit_and_constructor_reject_what_mxnet_rejects():
    est = _estimator()
    with pytest.raises(ValueError, match="DataLoader"):
        est.fit([np.ones((4, 2))], epochs=1)
    with pytest.raises(ValueError, match="exactly one type of iteration"):
        est.fit(_loader(), epochs=1, batches=2)
    net = gluon.nn.Dense(2)
    with pytest.raises(ValueError, match="loss must be a Loss"):
        Estimator(net, loss="mse")
    with pytest.raises(ValueError, match="metrics must be a Metric"):
        Estimator(net, loss=gluon.loss.L2Loss(), train_metrics="acc")
    with pytest.raises(ValueError, match="context must be a Context"):
        Estimator(net, loss=gluon.loss.L2Loss(), context="cpu")
    with pytest.raises(ValueError, match="Trainer must be a Gluon Trainer"):
        Estimator(net, loss=gluon.loss.L2Loss(), trainer="sgd")
    with pytest.warns(UserWarning, match="Network already fully initialized"):
        Estimator(net, loss=gluon.loss.L2Loss(), initializer=init.Xavier(),
                  trainer=gluon.Trainer(net.collect_params(), "sgd"))


def test_default_handlers_are_ordered_by_priority():
    est = _estimator()
    est.max_epoch, est.max_batch = 1, None
    stop = EarlyStoppingHandler(monitor=est.val_metrics[0])
    handlers = est._prepare_default_handlers(None, [stop])
    assert [type(h) for h in handlers] == [GradientUpdateHandler, MetricHandler, EarlyStoppingHandler,
                                           StoppingHandler, LoggingHandler]
    foreign = LoggingHandler(metrics=[metric.RMSE("other")])
    with pytest.raises(ValueError, match="outside of the known training and validation"):
        est.fit(_loader(), epochs=1, event_handlers=[foreign])
    groups = est._categorize_handlers([TrainBegin(), StoppingHandler(), LoggingHandler()])
    assert [len(g) for g in groups] == [3, 1, 1, 2, 2, 1]


def test_early_stopping_by_mode():
    est = _estimator(lr=0.0)  # lr 0: accuracy stays the same every epoch
    acc = est.train_metrics[0]
    stop = EarlyStoppingHandler(monitor=acc, patience=1, mode="max")
    est.fit(_loader(), epochs=5, event_handlers=[stop])
    assert (stop.current_epoch, stop.stopped_epoch) == (2, 1)
    with pytest.warns(UserWarning, match="`less` operator"):
        # a loss is minimised in auto mode (MXNet 1.9.1 would pick `greater`:
        # docs/differences.md)
        by_loss = EarlyStoppingHandler(monitor=est.train_metrics[1])
    assert by_loss.monitor_op is onp.less
    with pytest.warns(UserWarning, match="`greater` operator"):
        assert EarlyStoppingHandler(monitor=acc).monitor_op is onp.greater


def test_checkpoints_rotate_and_resume(tmp_path):
    est = _estimator()
    est.net.hybridize()
    ckpt = CheckpointHandler(str(tmp_path), "m", epoch_period=None, batch_period=2,
                             max_checkpoints=2)
    est.fit(_loader(), batches=7, event_handlers=[ckpt])
    assert sorted(os.listdir(tmp_path)) == [
        "m-epoch1batch3.params", "m-epoch1batch3.states", "m-epoch1batch5.params",
        "m-epoch1batch5.states", "m-symbol.json"]
    ckpt = CheckpointHandler(str(tmp_path), "n", max_checkpoints=1)
    est.fit(_loader(), epochs=2, event_handlers=[ckpt])
    assert os.path.isfile(tmp_path / "n-epoch1batch6.params")
    resumed = CheckpointHandler(str(tmp_path), "n", max_checkpoints=1,
                                resume_from_checkpoint=True)
    est.fit(_loader(), epochs=4, event_handlers=[resumed])
    assert est.max_epoch == 2
    assert os.path.isfile(tmp_path / "n-epoch3batch12.params")


def test_gradient_update_handler_steps_by_batch_size():
    est = _estimator(lr=1.0)
    before = est.net.weight.data().asnumpy().copy()
    est.fit(_loader(n=4, batch_size=4), batches=1)
    grad = est.net.weight.grad().asnumpy()
    onp.testing.assert_allclose(est.net.weight.data().asnumpy(), before - grad / 4, rtol=1e-6)


def test_names_match_mxnet():
    names = {n for n in dir(est_mod) if not n.startswith("_")}
    assert {"Estimator", "BatchProcessor", "CheckpointHandler", "EarlyStoppingHandler",
            "GradientUpdateHandler", "LoggingHandler", "MetricHandler", "StoppingHandler",
            "ValidationHandler", "TrainBegin", "TrainEnd", "EpochBegin", "EpochEnd",
            "BatchBegin", "BatchEnd", "estimator", "event_handler", "batch_processor",
            "utils"} <= names


def test_fit_leaves_the_callers_handler_list_alone():
    est = _estimator()
    handlers = [LoggingHandler(metrics=est.train_metrics)]
    est.fit(_loader(), epochs=1, event_handlers=handlers)
    assert len(handlers) == 1  # MXNet 1.9.1 appends its defaults here (differences.md)


def test_checkpoint_log_names_the_previous_best(tmp_path):
    est = _estimator(lr=0.0)  # accuracy stays 1/3: better than -inf once, then never
    buf = _log_of(est)
    ckpt = CheckpointHandler(str(tmp_path), "m", monitor=est.train_metrics[0], verbose=1,
                             save_best=True, mode="max")
    est.fit(_loader(), epochs=2, event_handlers=[ckpt])
    lines = [line for line in buf.getvalue().splitlines() if "improve" in line]
    assert lines[0].startswith("[Epoch 0] CheckpointHandler: training accuracy improved from "
                               "-inf to 0.33333, updating best model at ")
    assert lines[1] == ("[Epoch 1] CheckpointHandler: training accuracy did not improve from "
                        "0.33333, skipping updating best model")
