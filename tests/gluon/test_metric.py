"""mx.metric: values recorded from MXNet 1.9.1 on fixed inputs, reset rules, input kinds."""
from __future__ import annotations

import math

import numpy as onp
import pytest

import mxnp
from mxnp import metric
from mxnp import numpy as np

P = np.array([[0.3, 0.7], [0.6, 0.4], [0.1, 0.9], [0.8, 0.2]])
LB = np.array([1, 1, 1, 0])
P2 = np.array([[0.9, 0.1], [0.2, 0.8]])
L2 = np.array([1, 0])

# api/metric.txt
NAMES = ["Accuracy", "Caffe", "CompositeEvalMetric", "CrossEntropy", "CustomMetric",
         "EvalMetric", "F1", "Loss", "MAE", "MCC", "MSE", "NegativeLogLikelihood", "PCC",
         "PearsonCorrelation", "Perplexity", "RMSE", "TopKAccuracy", "Torch", "alias",
         "check_label_shapes", "create", "np", "register"]


def run(m, batches):
    """``m.get()`` after each batch, then ``m.get_global()``."""
    out = []
    for labels, preds in batches:
        m.update(labels, preds)
        out.append(m.get())
    return out + [m.get_global()]


def values(results):
    return [v for _, v in results]


def test_every_name_is_exported_with_a_docstring():
    for name in NAMES:
        obj = getattr(metric, name)
        assert obj.__doc__ and "\n" not in obj.__doc__.strip(), name
    assert mxnp.metric is metric


def test_empty_metric_is_nan():
    # MXNet 1.9.1 (mxref)
    m = metric.Accuracy()
    name, value = m.get()
    assert name == "accuracy" and math.isnan(value)
    assert str(m) == "EvalMetric: {'accuracy': nan}"
    assert (m.num_inst, m.sum_metric, m.global_num_inst) == (0, 0.0, 0)
    assert math.isnan(metric.PCC().get()[1])


def test_accuracy_class_indices_and_probabilities():
    # MXNet 1.9.1 (mxref); probabilities recorded in legacy mode (numpy mode raises there)
    assert values(run(metric.Accuracy(), [([LB], [np.array([1, 0, 1, 1])]),
                                          (LB, np.array([1.0, 1, 1, 1]))])) == [0.5, 0.625, 0.625]
    three = np.array([[0.9, 0.1, 0.0], [0.2, 0.3, 0.5]])
    assert values(run(metric.Accuracy(), [([LB], [P]), ([np.array([0, 2])], [three])])) == \
        [0.75, 0.8333333333333334, 0.8333333333333334]
    m = metric.Accuracy(axis=0)
    m.update([np.array([1, 0, 1])], [np.array([[0.2, 0.7, 0.1], [0.8, 0.3, 0.9]])])
    assert m.get() == ("accuracy", 1.0)


def test_accuracy_accepts_official_numpy_arrays():
    m = metric.Accuracy()
    m.update(onp.array([1, 1, 1, 0]), onp.array([[0.3, 0.7], [0.6, 0.4], [0.1, 0.9],
                                                  [0.8, 0.2]]))
    m.update([onp.array([1])], [np.array([[0.0, 1.0]])])
    assert m.get() == ("accuracy", 0.8)


def test_top_k_accuracy():
    # MXNet 1.9.1 (mxref)
    pred = np.array([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]])
    assert run(metric.TopKAccuracy(top_k=2), [([np.array([0, 2, 1])], [pred])]) == \
        [("top_k_accuracy_2", 1 / 3)] * 2
    pred = np.array([[0.1, 0.5, 0.4, 0.0], [0.6, 0.3, 0.1, 0.2], [0.3, 0.3, 0.4, 0.7]])
    assert values(run(metric.TopKAccuracy(top_k=3), [([np.array([3, 2, 1])], [pred])])) == \
        [1 / 3] * 2
    with pytest.raises(AssertionError, match="Please use Accuracy if top_k is no more than 1"):
        metric.TopKAccuracy(top_k=1)


def test_f1_macro_and_micro():
    # MXNet 1.9.1 (mxref): macro averages per-update F1s, micro pools the counts
    assert values(run(metric.F1(), [([LB], [P]), ([L2], [P2])])) == [0.8, 0.4, 0.4]
    assert values(run(metric.F1(average="micro"), [([LB], [P]), ([L2], [P2])])) == \
        pytest.approx([0.8, 0.5714285714285715, 0.5714285714285715], rel=1e-15)


def test_mcc_macro_and_micro():
    # MXNet 1.9.1 (mxref)
    assert values(run(metric.MCC(), [([LB], [P]), ([L2], [P2])])) == \
        pytest.approx([0.5773502691896258, -0.21132486540518708, -0.21132486540518708])
    assert values(run(metric.MCC(average="micro"), [([LB], [P]), ([L2], [P2])])) == \
        pytest.approx([0.5773502691896258, 0.0, 0.0])


def test_binary_counts_under_mxnet_names():
    m = metric.F1(average="micro")
    m.update([LB], [P])  # predictions 1, 0, 1, 0 against labels 1, 1, 1, 0
    counts = m.metrics
    assert (counts.true_positives, counts.false_positives, counts.false_negatives,
            counts.true_negatives) == (2, 0, 1, 1)
    assert (counts.precision, counts.recall, counts.total_examples) == (1.0, 2 / 3, 4)
    assert counts.fscore == pytest.approx(0.8) == counts.global_fscore
    assert metric.MCC()._metrics.matthewscc() == 0.0  # nothing counted yet


def test_binary_metrics_reject_three_classes():
    # MXNet 1.9.1 (mxref)
    with pytest.raises(ValueError, match="only supports binary classification"):
        metric.F1().update([np.array([0, 1, 2])], [np.array([[0.1, 0.9], [0.2, 0.8],
                                                             [0.3, 0.7]])])


def test_reset_local_keeps_global():
    # MXNet 1.9.1 (mxref)
    m = metric.F1()
    m.update([LB], [P])
    m.reset_local()
    assert math.isnan(m.get()[1]) and m.get_global() == ("f1", 0.8)
    m = metric.MAE()
    m.update([np.array([1.0, 2])], [np.array([1.5, 2.5])])
    m.reset_local()
    assert math.isnan(m.get()[1])
    assert m.get_global() == ("mae", 0.5) and m.get_global_name_value() == [("mae", 0.5)]
    m.reset()
    assert math.isnan(m.get_global()[1])


def test_regression_metrics_average_per_batch():
    # MXNet 1.9.1 (mxref)
    y, p = np.array([1.0, 2, 3]), np.array([1.5, 2, 5])
    second = ([np.array([0.0])], [np.array([2.0])])
    assert values(run(metric.MAE(), [([y], [p]), second])) == \
        [0.8333333134651184, 1.4166666567325592, 1.4166666567325592]
    assert values(run(metric.MSE(), [([y], [p.reshape((3, 1))]), second])) == \
        [1.4166666269302368, 2.7083333134651184, 2.7083333134651184]
    y, p = np.array([[1.0, 2], [3, 4]]), np.array([[1.5, 2], [5, 3]])
    assert values(run(metric.RMSE(), [([y], [p]), second])) == \
        pytest.approx([1.145643949508667, 1.5728219747543335, 1.5728219747543335], rel=1e-7)


def test_cross_entropy_and_nll():
    # MXNet 1.9.1 (mxref)
    results = run(metric.CrossEntropy(), [([LB], [P]), ([L2], [P2])])
    assert [name for name, _ in results] == ["cross-entropy"] * 3
    assert values(results) == \
        pytest.approx([0.4003674387931824, 0.9189154704411825, 0.9189154704411825])
    results = run(metric.NegativeLogLikelihood(eps=0.1), [([LB], [P])])
    assert results[0][0] == "nll-loss"
    assert values(results) == pytest.approx([0.2554127871990204] * 2)
    expected = -onp.log(onp.array([0.7, 0.4, 0.9, 0.8]) + 1e-12).mean()
    assert values(run(metric.CrossEntropy(), [([LB], [P])]))[0] == pytest.approx(expected)


def test_pearson_correlation():
    # MXNet 1.9.1 (mxref)
    batches = [([np.array([1.0, 2, 3, 4])], [np.array([1.5, 2, 2.5, 5])]),
               ([np.array([0.0, 1, 2])], [np.array([2.0, 1, 0])])]
    assert values(run(metric.PearsonCorrelation(), batches)) == \
        pytest.approx([0.9135002783911397, -0.04324986080443016, -0.04324986080443016])
    assert values(run(metric.PearsonCorrelation(average="micro"), batches)) == \
        pytest.approx([0.9135002783911398, 0.6375998551737637, 0.0])
    assert values(run(metric.PearsonCorrelation(), batches[:1]))[0] == \
        pytest.approx(onp.corrcoef([1.0, 2, 3, 4], [1.5, 2, 2.5, 5])[0, 1])


def test_pcc():
    # MXNet 1.9.1 (mxref): the confusion matrix grows to a third class on the second batch
    assert values(run(metric.PCC(), [([LB], [P]), ([np.array([2, 0, 1])],
                                                   [np.array([2, 0, 2])])])) == \
        pytest.approx([0.5773502691896258, 0.634745449542008, 0.634745449542008])
    pred = np.array([[.5, .3, .2], [.1, .8, .1], [.2, .2, .6], [.6, .3, .1], [.3, .4, .3]])
    assert values(run(metric.PCC(), [([np.array([0, 1, 2, 2, 1])], [pred])])) == \
        pytest.approx([0.75, 0.75])


def test_perplexity():
    # MXNet 1.9.1 (mxref, legacy mode: numpy mode raises there)
    three = np.array([[0.9, 0.1, 0.0], [0.2, 0.3, 0.5]])
    batches = [([LB], [P]), ([np.array([0, 2])], [three])]
    assert values(run(metric.Perplexity(None), batches)) == \
        pytest.approx([1.492372952626718, 1.4918191046038092, 1.4918191046038092])
    assert values(run(metric.Perplexity(0), batches)) == \
        pytest.approx([1.5831904120001083, 1.678445957496284, 1.678445957496284])
    # out-of-range labels are clipped; a zero probability is floored at 1e-10
    assert values(run(metric.Perplexity(None), [([np.array([5, -1])], [three])])) == \
        pytest.approx([223606.73023759993] * 2)
    with pytest.raises(AssertionError, match="shape mismatch"):
        metric.Perplexity(None, axis=1).update([np.array([[1, 0]])], [np.ones((1, 3, 2))])
