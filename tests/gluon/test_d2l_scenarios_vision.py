"""D2L's single-shot detector (multiscale anchors, class/box predictors registered with
setattr, multibox_target/detection) and image transforms, against MXNet 1.9.1.

Same method as test_d2l_scenarios.py (recorded with /work/shared/tools/mxref).
"""
from __future__ import annotations

from mxnp import gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn
from mxnp.gluon.data.vision import transforms

from .d2l_scenario_support import close, fresh_process  # noqa: F401 (autouse fixture)


def cls_predictor(num_anchors, num_classes):
    return nn.Conv2D(num_anchors * (num_classes + 1), kernel_size=3, padding=1)


def bbox_predictor(num_anchors):
    return nn.Conv2D(num_anchors * 4, kernel_size=3, padding=1)


def flatten_pred(pred):
    return npx.batch_flatten(pred.transpose(0, 2, 3, 1))


def concat_preds(preds):
    return np.concatenate([flatten_pred(p) for p in preds], axis=1)


def down_sample_blk(num_channels):
    blk = nn.Sequential()
    for _ in range(2):
        blk.add(nn.Conv2D(num_channels, kernel_size=3, padding=1),
                nn.BatchNorm(in_channels=num_channels),
                nn.Activation('relu'))
    blk.add(nn.MaxPool2D(2))
    return blk


def base_net():
    blk = nn.Sequential()
    for num_filters in [4, 8]:
        blk.add(down_sample_blk(num_filters))
    return blk


def get_blk(i):
    if i == 0:
        blk = base_net()
    elif i == 2:
        blk = nn.GlobalMaxPool2D()
    else:
        blk = down_sample_blk(8)
    return blk


def blk_forward(X, blk, size, ratio, cls_predictor, bbox_predictor):
    Y = blk(X)
    anchors = npx.multibox_prior(Y, sizes=size, ratios=ratio)
    cls_preds = cls_predictor(Y)
    bbox_preds = bbox_predictor(Y)
    return (Y, anchors, cls_preds, bbox_preds)


sizes = [[0.2, 0.272], [0.37, 0.447], [0.88, 0.961]]
ratios = [[1, 2, 0.5]] * 3
num_anchors = len(sizes[0]) + len(ratios[0]) - 1


class TinySSD(nn.Block):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        for i in range(3):
            setattr(self, f'blk_{i}', get_blk(i))
            setattr(self, f'cls_{i}', cls_predictor(num_anchors, num_classes))
            setattr(self, f'bbox_{i}', bbox_predictor(num_anchors))

    def forward(self, X):
        anchors, cls_preds, bbox_preds = [None] * 3, [None] * 3, [None] * 3
        for i in range(3):
            X, anchors[i], cls_preds[i], bbox_preds[i] = blk_forward(
                X, getattr(self, f'blk_{i}'), sizes[i], ratios[i],
                getattr(self, f'cls_{i}'), getattr(self, f'bbox_{i}'))
        anchors = np.concatenate(anchors, axis=1)
        cls_preds = concat_preds(cls_preds)
        cls_preds = cls_preds.reshape(cls_preds.shape[0], -1, self.num_classes + 1)
        bbox_preds = concat_preds(bbox_preds)
        return anchors, cls_preds, bbox_preds


cls_loss = gluon.loss.SoftmaxCrossEntropyLoss()
bbox_loss = gluon.loss.L1Loss()


def calc_loss(cls_preds, cls_labels, bbox_preds, bbox_labels, bbox_masks):
    cls = cls_loss(cls_preds, cls_labels)
    bbox = bbox_loss(bbox_preds * bbox_masks, bbox_labels * bbox_masks)
    return cls + bbox


def test_tiny_ssd():
    net = TinySSD(num_classes=1)
    net.initialize(init.Constant(0.01))
    anchors, cls_preds, bbox_preds = net(np.ones((2, 3, 16, 16)) / 2)
    # MXNet 1.9.1 (mxref)
    assert (anchors.shape, cls_preds.shape, bbox_preds.shape) == ((1, 84, 4), (2, 84, 2), (2, 336))
    close(anchors[0, :2], [[0.025, 0.025, 0.225, 0.225], [-0.01100001, -0.01100001, 0.261, 0.261]])
    assert list(net._children) == ['blk_0', 'cls_0', 'bbox_0', 'blk_1', 'cls_1', 'bbox_1',
                                   'blk_2', 'cls_2', 'bbox_2']
    Y = np.array([[[0, 0.1, 0.08, 0.52, 0.92]], [[0, 0.55, 0.2, 0.9, 0.88]]])
    bbox_labels, bbox_masks, cls_labels = npx.multibox_target(anchors, Y,
                                                              cls_preds.transpose(0, 2, 1))
    # MXNet 1.9.1 (mxref): ((2, 336), array(8.), array(2.), dtype('float32'))
    assert (bbox_labels.shape, float(bbox_masks.sum()), float(cls_labels.sum()),
            cls_labels.dtype) == ((2, 336), 8.0, 2.0, np.float32)
    close(calc_loss(cls_preds, cls_labels, bbox_preds, bbox_labels, bbox_masks),
          [0.7112753, 0.71868455], rtol=1e-5)  # MXNet 1.9.1 (mxref)
    cls_probs = npx.softmax(cls_preds).transpose(0, 2, 1)
    output = npx.multibox_detection(cls_probs, bbox_preds, anchors)
    assert output.shape == (2, 84, 6)
    close(output[0, :2], [[0., 0.5, 0.02499998, 0.02499998, 0.22514012, 0.22514012],
                          [-1., 0.5, 0., 0., 0.26119056, 0.26119056]], rtol=1e-5, atol=1e-6)


def test_image_augmentation_transforms_on_arrays():
    img = (np.arange(6 * 8 * 3) % 256).astype('uint8').reshape(6, 8, 3)
    assert transforms.RandomFlipLeftRight()(img).shape == (6, 8, 3)
    crop = transforms.RandomResizedCrop((4, 4), scale=(0.5, 1), ratio=(0.5, 2))
    assert crop(img).shape == (4, 4, 3)  # MXNet 1.9.1 (mxref)
    assert (transforms.Resize(5)(img).shape, transforms.CenterCrop(4)(img).shape) == \
        ((5, 5, 3), (4, 4, 3))
    normalize = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    close(normalize(transforms.ToTensor()(img))[:, 0, 0], [-2.117904, -2.0182073, -1.7695861])
    aug = transforms.Compose([transforms.RandomBrightness(0.5), transforms.ToTensor()])
    assert aug(img).shape == (3, 6, 8)
    jitter = transforms.RandomColorJitter(brightness=0.5, contrast=0.5, saturation=0.5, hue=0.5)
    assert jitter(img).dtype == np.uint8  # MXNet 1.9.1 (mxref)
