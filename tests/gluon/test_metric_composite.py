"""mx.metric: composite, create/register/alias, CustomMetric and np, Loss, configs, shape checks."""
from __future__ import annotations

import math
from collections import OrderedDict

import numpy as onp
import pytest

from mxnp import metric
from mxnp import numpy as np

from .test_metric import LB, P, run, values


def test_composite_get_and_reset():
    # MXNet 1.9.1 (mxref)
    m = metric.CompositeEvalMetric()
    m.add(metric.MAE())
    m.add("mse")
    m.update([np.array([1.0, 2])], [np.array([1.5, 2.5])])
    assert m.get() == (["mae", "mse"], [0.5, 0.25])
    assert m.get_name_value() == [("mae", 0.5), ("mse", 0.25)]
    assert str(m) == "EvalMetric: {'mae': 0.5, 'mse': 0.25}"
    assert m.get_global() == (["mae", "mse"], [0.5, 0.25])
    assert m.get_metric(1).name == "mse"
    assert isinstance(m.get_metric(5), ValueError)  # returned, not raised, as in MXNet
    m.reset()
    names, vals = m.get()
    assert names == ["mae", "mse"] and all(math.isnan(v) for v in vals)


def test_composite_of_metrics_that_fail_in_mxnet_numpy_mode():
    # MXNet 1.9.1 (mxref, legacy mode)
    m = metric.CompositeEvalMetric([metric.Accuracy(), metric.Perplexity(None), metric.Loss()])
    assert run(m, [([LB], [P])]) == \
        [(["accuracy", "perplexity", "loss"], [0.75, pytest.approx(1.492372952626718), 0.5])] * 2


def test_create_from_names_lists_and_callables():
    # MXNet 1.9.1 (mxref)
    kinds = {"acc": "Accuracy", "accuracy": "Accuracy",
             "f1": "F1", "mcc": "MCC", "mae": "MAE", "mse": "MSE", "rmse": "RMSE",
             "ce": "CrossEntropy", "nll_loss": "NegativeLogLikelihood",
             "pearsonr": "PearsonCorrelation", "pcc": "PCC", "loss": "Loss",
             "composite": "CompositeEvalMetric", "torch": "Torch", "caffe": "Caffe"}
    for name, kind in kinds.items():
        assert type(metric.create(name)).__name__ == kind
    assert metric.create("top_k_acc", top_k=3).name == "top_k_accuracy_3"
    assert type(metric.create("top_k_accuracy", top_k=2)).__name__ == "TopKAccuracy"
    with pytest.raises(AssertionError, match="Please use Accuracy"):  # default top_k is 1
        metric.create("top_k_accuracy")
    assert metric.create("ACC").name == "accuracy"
    assert metric.create("perplexity", ignore_label=0).ignore_label == 0
    with pytest.raises(AssertionError, match="cross-entropy is not registered"):
        metric.create("cross-entropy")
    both = metric.create(["acc", "ce"])
    assert run(both, [([LB], [P])])[0] == (["accuracy", "cross-entropy"],
                                           [0.75, pytest.approx(0.4003674387931824)])
    assert metric.create(lambda label, pred: 1.0).name == "custom(<lambda>)"
    mae = metric.MAE()
    assert metric.create(mae) is mae


def test_get_config_round_trips_through_create():
    # MXNet 1.9.1 (mxref)
    assert metric.Accuracy(name="acc2", axis=0).get_config() == {
        "axis": 0, "metric": "Accuracy", "name": "acc2", "output_names": None,
        "label_names": None}
    assert metric.TopKAccuracy(top_k=5).get_config()["name"] == "top_k_accuracy_5"
    assert metric.F1().get_config() == {"metric": "F1", "name": "f1", "output_names": None,
                                        "label_names": None}
    assert metric.Perplexity(None).get_config()["ignore_label"] is None
    assert metric.create(metric.MAE().get_config()).name == "mae"
    again = metric.create(metric.Accuracy(name="acc2", axis=0).get_config())
    assert (type(again).__name__, again.name, again.axis) == ("Accuracy", "acc2", 0)
    assert metric.create('["mse", {"name": "m2"}]').name == "m2"


def test_register_and_alias():
    @metric.register
    @metric.alias("my_metric_alias")
    class MyLossMetricForTest(metric.Loss):
        """A registered subclass."""

    assert type(metric.create("mylossmetricfortest")) is MyLossMetricForTest
    assert type(metric.create("my_metric_alias")) is MyLossMetricForTest
    with pytest.warns(UserWarning, match="overriding existing metric"):
        metric.register(MyLossMetricForTest, "my_metric_alias")
    with pytest.raises(AssertionError, match="Can only register subclass of EvalMetric"):
        metric.register(dict)


def test_custom_metric_and_np_decorator():
    # MXNet 1.9.1 (mxref)
    def myfeval(label, pred):
        assert isinstance(label, onp.ndarray) and isinstance(pred, onp.ndarray)
        return float(onp.abs(label - pred).sum()), label.size

    m = metric.np(myfeval)
    m.update([np.array([1.0, 2])], [np.array([2.0, 4])])
    m.update([np.array([1.0])], [np.array([1.0])])
    assert (m.name, m.get(), m.num_inst) == ("myfeval", ("myfeval", 1.0), 3)
    m = metric.CustomMetric(lambda label, pred: 2.0)
    m.update([LB], [P])
    m.update([LB], [P])
    assert m.get() == ("custom(<lambda>)", 2.0)
    with pytest.raises(NotImplementedError, match="CustomMetric cannot be serialized"):
        m.get_config()
    c = metric.np(lambda label, pred: 2.0, name="c")
    c.update([LB], [P])
    c.update([LB], [np.zeros((4, 2))])
    assert c.get() == ("c", 2.0)


def test_loss_metric_and_its_aliases():
    # MXNet 1.9.1 (mxref, legacy mode)
    assert values(run(metric.Loss(), [(None, [np.array([1.0, 2, 3])]),
                                      (None, np.array([[5.0]]))])) == [2.0, 2.75, 2.75]
    assert run(metric.Torch(), [(None, [np.array([1.0, 2]), np.array([4.0])])]) == \
        [("torch", 2.3333333333333335)] * 2
    assert metric.Caffe().name == "caffe"
    assert isinstance(metric.Torch(), metric.Loss)


def test_check_label_shapes():
    # MXNet 1.9.1 (mxref)
    with pytest.raises(ValueError, match="Shape of labels 2 does not match shape of "
                                         "predictions 1"):
        metric.check_label_shapes([1, 2], [3])
    with pytest.raises(ValueError, match=r"\(2, 3\) does not match shape of predictions "
                                         r"\(2, 4\)"):
        metric.check_label_shapes(np.ones((2, 3)), np.ones((2, 4)), shape=True)
    labels, preds = metric.check_label_shapes(np.ones(2), onp.ones(2), wrap=True)
    assert isinstance(labels, list) and isinstance(preds, list) and len(labels) == 1
    with pytest.raises(ValueError, match="Shape of labels 2 does not match"):
        metric.Accuracy().update([LB, LB], [LB])


def test_update_dict_selects_names():
    m = metric.Accuracy(output_names=["out"], label_names=["y"])
    m.update_dict(OrderedDict(y=LB, other=np.zeros(4)), OrderedDict(skip=np.zeros(4), out=P))
    assert m.get() == ("accuracy", 0.75)
    c = metric.CompositeEvalMetric([metric.Accuracy()], label_names=["y"], output_names=["out"])
    c.update_dict({"y": LB, "z": np.zeros(4)}, {"out": P, "w": np.zeros(4)})
    assert c.get() == (["accuracy"], [0.75])
