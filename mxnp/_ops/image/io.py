"""Image decoding for mx.image (imread, imdecode), through Pillow when it is installed.

Differs from MXNet: MXNet decodes with OpenCV. Lossless formats (PNG, BMP) decode to the same
pixels; JPEG pixels may differ slightly between decoders, and grayscale conversion uses
Pillow's ITU-R 601-2 luma.
"""
from __future__ import annotations

import io

import numpy as onp

from ...base import MissingFileError
from ..._ndarray import ndarray
from ..creation import array


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


def imdecode(buf, flag=1, to_rgb=True):
    """The image encoded in ``buf`` (bytes or a uint8 array) as an (H, W, C) uint8 array."""
    image_module = _pillow("imdecode")
    if isinstance(buf, ndarray):
        buf = buf.asnumpy()
    data = onp.asarray(buf, dtype=onp.uint8).tobytes() if not isinstance(buf, bytes) else buf
    try:
        image = image_module.open(io.BytesIO(data))
        image.load()
    except OSError as e:
        raise ValueError(f"imdecode: cannot decode the buffer ({len(data)} bytes): {e}") from e
    return _to_array(image, flag, to_rgb)


def imread(filename, flag=1, to_rgb=True):
    """The image file ``filename`` as an (H, W, C) uint8 array (RGB unless ``to_rgb=False``)."""
    image_module = _pillow("imread")
    try:
        image = image_module.open(filename)
        image.load()
    except FileNotFoundError as e:
        raise MissingFileError(f"imread: {filename!r} couldn't open file: no such file or "
                               "directory") from e  # MXNet's wording, for code matching it
    except OSError as e:
        raise ValueError(f"imread: cannot decode {filename!r}: {e}") from e
    return _to_array(image, flag, to_rgb)
