"""ImageDetIter.draw_next: the augmented images with their boxes drawn, through OpenCV."""
from __future__ import annotations

import warnings

import numpy as onp

from .._ops.image import opencv

_MEAN, _STD = [123.68, 116.28, 103.53], [58.395, 57.12, 57.375]


def _undo(image, mean, std):
    """``image`` * std + mean (True: ImageNet's), as BGR for OpenCV."""
    if std is not None:
        image = image * onp.asarray(_STD if std is True else std)
    if mean is not None:
        image = image + onp.asarray(_MEAN if mean is True else mean)
    return image[:, :, ::-1]


def draw_boxes(it, color, thickness, mean, std, clip, wait_key, window_name, id2labels):
    """Yield ``it``'s next images (BGR uint8 NumPy arrays) with their labels' boxes drawn."""
    cv2 = opencv.module()
    if cv2 is None:
        warnings.warn("Unable to import cv2, skip drawing", stacklevel=3)
        return
    color = None if not color else tuple(color[::-1])  # RGB given, OpenCV draws BGR
    while True:
        try:
            label, encoded = it.next_sample()
        except StopIteration:
            return
        data = it.imdecode(encoded)
        try:
            it.check_valid_image([data])
            label = it._parse_label(label)
        except RuntimeError:
            continue
        data, label = it.augmentation_transform(data, label)
        image = _undo(data.asnumpy().astype(onp.float64), mean, std)
        if clip:
            image = onp.clip(image, 0, 255)
        image = onp.ascontiguousarray(image.astype(onp.uint8))
        height, width, _ = image.shape
        for row in label:
            x1, y1 = int(row[1] * width), int(row[2] * height)
            if x1 < 0:
                continue
            x2, y2 = int(row[3] * width), int(row[4] * height)
            box_color = color or tuple(float(c) for c in onp.random.rand(3) * 255)
            cv2.rectangle(image, (x1, y1), (x2, y2), box_color, thickness)
            if id2labels is not None and int(row[0]) in id2labels:
                text = str(id2labels[int(row[0])])
                size = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.5, 2)[0][1]
                cv2.putText(image, text, (x1 + 5, y1 + size + 5), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                            (255, 255, 255), 2)
        if wait_key is not None:
            cv2.imshow(window_name, image)
            cv2.waitKey(wait_key)
        yield image
