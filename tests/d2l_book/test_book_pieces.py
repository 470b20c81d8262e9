"""The pieces of the D2L chapters that need no d2l library, so that CI runs them: the book's data
formats read by gluon, anchor-box IoU (``clip(min=0)``), masked losses (values from MXNet 1.9.1)
and a softmax regression on the Fashion-MNIST-format files."""
from __future__ import annotations

import os
import zipfile

import numpy as onp

from mxnp import autograd, gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn
from mxnp.gluon.data.vision import FashionMNIST
from mxnp.gluon.data.vision import transforms as T

from . import book_data


def _fashion(monkeypatch, tmp_path):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    hashes = book_data.write_fashion_mnist(tmp_path / "datasets" / "fashion-mnist")
    book_data.use_fashion_files(monkeypatch, FashionMNIST, hashes)


def test_fashion_files_through_workers_train_a_softmax_regression(monkeypatch, tmp_path):
    _fashion(monkeypatch, tmp_path)
    trans = T.Compose([T.Resize(32), T.ToTensor()])
    train = FashionMNIST(train=True).transform_first(trans)
    test = FashionMNIST(train=False).transform_first(trans)
    assert (len(train), len(test)) == (600, 200)
    images, labels = book_data.fashion_images(600, 0)
    loader = gluon.data.DataLoader(train, 64, shuffle=False, num_workers=2)
    X, y = next(iter(loader))
    assert X.shape == (64, 1, 32, 32) and X.dtype == onp.float32 and y.dtype == onp.int32
    assert y.tolist() == labels[:64].tolist()
    tensor, _ = FashionMNIST(train=True).transform_first(T.ToTensor())[3]
    onp.testing.assert_allclose(tensor.asnumpy()[0], images[3] / 255, rtol=1e-6)
    net = nn.Dense(10)
    net.initialize(init.Normal(0.01))
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    losses = []
    for _ in range(4):
        for X, y in gluon.data.DataLoader(train, 128, shuffle=True, num_workers=2):
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(X.shape[0])
            losses.append(float(l.mean()))
    assert losses[-1] < losses[0] / 2
    correct = sum(float((net(X).argmax(axis=1).astype('int32') == y).sum())
                  for X, y in gluon.data.DataLoader(test, 100))
    assert correct / len(test) > 0.9


def test_image_folder_from_the_hotdog_archive_layout(tmp_path):
    archive = tmp_path / "hotdog.zip"
    book_data.write_zip(str(archive), book_data.hotdog_members(per_class=2))
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path)
    train = gluon.data.vision.ImageFolderDataset(os.path.join(tmp_path, "hotdog", "train"))
    assert train.synsets == ['hotdog', 'not-hotdog'] and len(train) == 4
    assert [label for _, label in train] == [0, 0, 1, 1]
    img, _ = train[0]
    assert img.shape == (40, 48, 3) and img.dtype == onp.uint8
    assert float(img[..., 0].mean()) > float(img[..., 2].mean())  # the red-ish class
    augs = T.Compose([T.RandomResizedCrop(24), T.RandomFlipLeftRight(), T.ToTensor(),
                      T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    X, y = next(iter(gluon.data.DataLoader(train.transform_first(augs), 4)))
    assert X.shape == (4, 3, 24, 24) and y.tolist() == [0, 0, 1, 1]


def _box_iou(boxes1, boxes2):
    # pairwise IoU of corner boxes, as the object-detection chapter computes it
    def area(b):
        return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    upper_left = np.maximum(boxes1[:, None, :2], boxes2[:, :2])
    lower_right = np.minimum(boxes1[:, None, 2:], boxes2[:, 2:])
    inter = (lower_right - upper_left).clip(min=0)
    inter_area = inter[:, :, 0] * inter[:, :, 1]
    return inter_area / (area(boxes1)[:, None] + area(boxes2) - inter_area)


def test_anchor_iou_matches_mxnet():
    anchors = np.array([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                        [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
    truth = np.array([[0.1, 0.08, 0.52, 0.92], [0.55, 0.2, 0.9, 0.88]])
    iou = _box_iou(anchors, truth)
    # MXNet 1.9.1 on the same code (the IoU table of the anchor-box section)
    onp.testing.assert_allclose(iou.asnumpy(), [[0.05364807, 0], [0.14172335, 0],
                                                [0, 0.56572384], [0, 0.20588237],
                                                [0, 0.745908]], rtol=1e-6)
    assert iou.argmax(axis=1).tolist() == [0, 0, 1, 1, 1]


def test_masked_losses_of_seq2seq_and_skip_gram_match_mxnet():
    # the machine-translation chapter's masked softmax cross-entropy: weights from sequence_mask
    pred, label, valid_len = np.ones((3, 4, 10)), np.ones((3, 4)), np.array([4, 2, 0])
    weights = npx.sequence_mask(np.expand_dims(np.ones_like(label), axis=-1), valid_len, True,
                                axis=1)
    l = gluon.loss.SoftmaxCELoss()(pred, label, weights)
    # MXNet 1.9.1 prints [2.302588, 1.151294, 0.]: its log-softmax is a few ulps from log(10)
    onp.testing.assert_allclose(l.asnumpy(), [onp.log(10), onp.log(10) / 2, 0], rtol=2e-6)
    # word2vec's masked binary cross-entropy, rescaled by the number of unmasked entries
    pred = np.array([[1.1, -2.2, 3.3, -4.4]] * 2)
    label = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0]])
    l = gluon.loss.SigmoidBCELoss()(pred, label, mask) * mask.shape[1] / mask.sum(axis=1)
    onp.testing.assert_allclose(l.asnumpy(), [0.93521017, 1.8462094], rtol=1e-6)


def test_masked_softmax_of_the_attention_chapter():
    X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10
    valid = np.array([2, 3])
    masked = npx.sequence_mask(X.reshape(-1, 4), valid.repeat(3), True, value=-1e6, axis=1)
    got = npx.softmax(masked).reshape(2, 3, 4)
    # MXNet 1.9.1 on the same input
    onp.testing.assert_allclose(got.asnumpy(), [
        [[0.47502077, 0.5249792, 0, 0]] * 3,
        [[0.3006096, 0.33222497, 0.3671654, 0]] * 3], rtol=2e-6, atol=1e-7)
