"""OpenCV (``opencv-python-headless``, in the ``vision`` extra), the library MXNet's image ops
call, used when it is installed so that resizing and decoding give MXNet's pixels.

MXNet 1.9.1 ships OpenCV 3.4.2. Current OpenCV gives the same pixels for every interpolation
except uint8 bicubic, where its SIMD vertical pass rounds differently from 3.4.2's; OpenCV's
plain C path matches it, so that one case runs with OpenCV's optimizations switched off.
"""
from __future__ import annotations

import sys
import threading

import numpy as onp

_PLAIN_PATH = threading.Lock()  # setUseOptimized is global: one unoptimized call at a time


def module():
    """The ``cv2`` module, or None when OpenCV is not installed (asked each time: cheap once
    loaded, and a test can hide it through ``sys.modules``)."""
    if "cv2" in sys.modules:  # loaded already, or hidden (None)
        return sys.modules["cv2"]
    try:
        import cv2  # optional dependency (the vision extra), loaded on first use
    except ImportError:
        return None
    return cv2


def resize(pixels, w, h, interp):
    """NumPy ``pixels`` (..., H, W, C) resized to (h, w) by ``cv2.resize``."""
    cv2 = module()
    lead, (c,) = pixels.shape[:-3], pixels.shape[-1:]
    flat = pixels.reshape((-1,) + pixels.shape[-3:])
    dtype = pixels.dtype
    if dtype == onp.float16:  # OpenCV resizes float32 and float64, not half precision
        flat = flat.astype(onp.float32)
    out = onp.empty((flat.shape[0], h, w, c), dtype=flat.dtype)
    for i, img in enumerate(flat):
        if interp == 2 and dtype == onp.uint8:
            with _PLAIN_PATH:
                was = cv2.useOptimized()
                cv2.setUseOptimized(False)
                try:
                    res = cv2.resize(img, (w, h), interpolation=2)
                finally:
                    cv2.setUseOptimized(was)
        else:
            res = cv2.resize(img, (w, h), interpolation=interp)
        out[i] = res.reshape(h, w, c)
    return out.astype(dtype, copy=False).reshape(lead + (h, w, c))


def decode(data: bytes, flag: int):
    """OpenCV's decoding of ``data`` (BGR or gray, (H, W, C) uint8), or None if it cannot."""
    cv2 = module()
    img = cv2.imdecode(onp.frombuffer(data, dtype=onp.uint8), flag)
    if img is None:
        return None
    return img[:, :, None] if img.ndim == 2 else img
