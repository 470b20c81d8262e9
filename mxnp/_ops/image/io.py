"""Image decoding for mx.image (imread, imdecode): through OpenCV, as MXNet does, when it is
installed (the vision extra), else through Pillow.

Differs from MXNet without OpenCV: Pillow decodes lossless formats (PNG, BMP) to the same
pixels, but JPEG pixels may differ slightly between decoders, and grayscale conversion uses
Pillow's ITU-R 601-2 luma (one level off OpenCV's on some pixels).
"""
from __future__ import annotations

import io

import numpy as onp

from ..._ndarray import ndarray
from ...base import MissingFileError, OpError
from ..creation import array
from . import opencv


def _pillow(name):
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(f"{name}: decoding images needs Pillow, which is not installed; run "
                          "`pip install 'mxnp[vision]'` (or `pip install pillow`)") from e
    return Image


def _to_array(image, flag, to_rgb):
    """Pixels as an (H, W, 3) RGB (BGR when not ``to_rgb``) or (H, W, 1) gray uint8 array."""
    if flag == 0:
        pixels = onp.asarray(image.convert("L"))[:, :, None]
    else:
        pixels = onp.asarray(image.convert("RGB"))
        if not to_rgb:  # OpenCV's own channel order
            pixels = pixels[:, :, ::-1]
    return array(onp.ascontiguousarray(pixels), dtype="uint8")


def _opencv(name, data, flag, to_rgb):
    pixels = opencv.decode(data, flag)
    if pixels is None:
        raise OpError(f"{name}: cannot decode the buffer ({len(data)} bytes): not an image "
                         "format OpenCV reads")
    if to_rgb and pixels.shape[2] >= 3:  # OpenCV gives BGR(A)
        pixels = onp.concatenate([pixels[:, :, 2::-1], pixels[:, :, 3:]], axis=2)
    return array(onp.ascontiguousarray(pixels), dtype=pixels.dtype)


def _decode(name, data, flag, to_rgb):
    if opencv.module() is not None:
        return _opencv(name, data, flag, to_rgb)
    image_module = _pillow(name.split(":")[0])
    try:
        image = image_module.open(io.BytesIO(data))
        image.load()
    except OSError as e:
        raise OpError(f"{name}: cannot decode the buffer ({len(data)} bytes): {e}") from e
    return _to_array(image, flag, to_rgb)


def imdecode(buf, flag=1, to_rgb=True):
    """The image encoded in ``buf`` (bytes or a uint8 array) as an (H, W, C) uint8 array."""
    if isinstance(buf, ndarray):
        buf = buf.asnumpy()
    data = onp.asarray(buf, dtype=onp.uint8).tobytes() if not isinstance(buf, bytes) else buf
    if not data:
        raise OpError("imdecode: Input cannot be an empty buffer")  # MXNet's words
    return _decode("imdecode", data, flag, to_rgb)


def imread(filename, flag=1, to_rgb=True):
    """The image file ``filename`` as an (H, W, C) uint8 array (RGB unless ``to_rgb=False``)."""
    if opencv.module() is None:
        _pillow("imread")  # say what to install before looking for the file
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError as e:
        raise MissingFileError(f"Imread: Check failed: file.is_open(): {filename!r} couldn't "
                               "open file: No such file or directory") from e  # MXNet's words
    return _decode(f"imread: {filename!r}", data, flag, to_rgb)
