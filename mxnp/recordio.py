"""``mx.recordio``: MXNet's RecordIO files (``.rec``, with an optional ``.idx`` index).

The layout, as MXNet 1.9.1 (dmlc-core) writes it, all little-endian:

    per record part:  uint32 magic 0xCED7230A | uint32 (cflag << 29 | length) | data | 0-3 zero pads

A payload is stored whole (cflag 0) unless it holds the magic word at a 4-byte-aligned offset:
then it is cut there, the magic word itself is dropped, and the pieces are written as parts with
cflag 1 (first), 2 (middle) and 3 (last); a reader joins them with the magic word between. So no
magic word can appear aligned inside a record, and a reader can find record starts. The index
file is text, one ``key<TAB>byte offset`` line per record. Payloads are only ever bytes: nothing
read from a file is unpickled or executed.
"""
from __future__ import annotations

import io
import numbers
import os
import struct
from collections import namedtuple
from multiprocessing import current_process

import numpy as onp

from ._io import missing_file_message
from .base import MXNetError

__all__ = [
    "IRHeader",
    "MXIndexedRecordIO",
    "MXRecordIO",
    "pack",
    "pack_img",
    "unpack",
    "unpack_img",
]

_MAGIC = 0xCED7230A
_MAGIC_BYTES = struct.pack("<I", _MAGIC)
_MAX_LENGTH = (1 << 29) - 1


def _part(cflag: int, data: bytes) -> bytes:
    """One record part: magic, flag and length word, the data, zero pads to a 4-byte boundary."""
    pad = b"\0" * (-len(data) % 4)
    return _MAGIC_BYTES + struct.pack("<I", (cflag << 29) | len(data)) + data + pad


def _encode(buf: bytes) -> bytes:
    """The bytes of one record holding ``buf``, split at aligned magic words as dmlc does."""
    words = onp.frombuffer(buf, dtype="<u4", count=len(buf) // 4)
    cuts = (onp.flatnonzero(words == _MAGIC) * 4).tolist()
    if not cuts:
        return _part(0, buf)
    parts, start = [], 0
    for cut in cuts:
        parts.append(_part(1 if start == 0 else 2, buf[start:cut]))
        start = cut + 4
    parts.append(_part(3, buf[start:]))
    return b"".join(parts)


def _read_exact(f, n: int, uri: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise MXNetError(f"MXRecordIO: {uri!r} ends inside a record (wanted {n} bytes, found "
                         f"{len(data)}); the file is truncated or not a RecordIO file")
    return data


def _decode_next(f, uri: str):
    """The next record's payload from the open file ``f``, or None at the end of the file."""
    pieces = []
    while True:
        head = f.read(8)
        if not head and not pieces:
            return None
        if len(head) != 8:
            raise MXNetError(f"MXRecordIO: {uri!r} ends inside a record header; the file is "
                             "truncated or not a RecordIO file")
        magic, word = struct.unpack("<II", head)
        if magic != _MAGIC:
            raise MXNetError(f"MXRecordIO: {uri!r} is not a valid RecordIO file (bad magic "
                             f"0x{magic:08X} at byte {f.tell() - 8})")
        cflag, length = word >> 29, word & _MAX_LENGTH
        pieces.append(_read_exact(f, length + (-length % 4), uri)[:length])
        if cflag in (0, 3):
            return _MAGIC_BYTES.join(pieces)


class MXRecordIO:
    """Sequential reader (``flag='r'``) or writer (``flag='w'``) of a RecordIO file."""

    def __init__(self, uri, flag):
        self.uri = os.fspath(uri)
        self.flag = flag
        self.pid = None
        self.is_open = False
        self._file = None
        self.open()

    def open(self):
        """Open the file: 'w' truncates it, 'r' reads from its first record."""
        if self.flag not in ("r", "w"):
            raise ValueError(f"Invalid flag {self.flag}")
        self.writable = self.flag == "w"
        try:
            self._file = open(self.uri, "wb" if self.writable else "rb")  # noqa: SIM115
        except FileNotFoundError as e:
            if self.writable:
                raise MXNetError(f"MXRecordIO: cannot open {self.uri!r}: {e.strerror}") from e
            raise MXNetError(missing_file_message(self.uri)) from e  # MXNet's message
        except OSError as e:
            raise MXNetError(f"MXRecordIO: cannot open {self.uri!r}: {e.strerror}") from e
        self.pid = current_process().pid
        self.is_open = True

    def __del__(self):
        self.close()

    def __getstate__(self):
        # A copy reopens the file by its path (in a worker process, say); the open file object
        # itself cannot travel. Unlike MXNet, pickling leaves this object open.
        state = dict(self.__dict__)
        state["_file"] = None
        return state

    def __setstate__(self, state):
        was_open = state["is_open"]
        self.__dict__.update(state, is_open=False)
        if was_open:
            self.open()

    def _check_pid(self, allow_reset=False):
        """Reopen (``allow_reset``) or refuse when used from a process that did not open it."""
        if self.pid != current_process().pid:
            if not allow_reset:
                raise RuntimeError("Forbidden operation in multiple processes")
            # a forked child shares the parent's file offset: it needs a file of its own
            self.reset()

    def close(self):
        """Close the file (a no-op when it is closed)."""
        if not getattr(self, "is_open", False):
            return
        if self.pid == current_process().pid:
            self._file.close()
        self._file = None
        self.is_open = False
        self.pid = None

    def reset(self):
        """Go back to the first record (a writer truncates the file)."""
        self.close()
        self.open()

    def write(self, buf):
        """Append ``buf`` (bytes) as one record."""
        assert self.writable
        self._check_pid(allow_reset=False)
        if isinstance(buf, str):
            raise TypeError(f"MXRecordIO.write takes bytes, not str; encode it first "
                            f"(buf.encode()) for {self.uri!r}")
        buf = bytes(buf)
        if len(buf) > _MAX_LENGTH:
            raise ValueError(f"MXRecordIO: a record holds at most {_MAX_LENGTH} bytes, got "
                             f"{len(buf)}")
        self._file.write(_encode(buf))

    def read(self):
        """The next record as bytes, or None after the last one."""
        assert not self.writable
        self._check_pid(allow_reset=False)
        return _decode_next(self._file, self.uri)


class MXIndexedRecordIO(MXRecordIO):
    """RecordIO with an index file, for reading records by key (``read_idx``)."""

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = os.fspath(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super().__init__(uri, flag)

    def open(self):
        """Open the record file and the index (reading every key of the index)."""
        super().open()
        self.idx, self.keys = {}, []
        self.fidx = open(self.idx_path, self.flag)  # noqa: SIM115
        if not self.writable:
            for n, line in enumerate(self.fidx, 1):
                fields = line.strip().split("\t")
                if not line.strip():
                    continue
                if len(fields) != 2:
                    raise MXNetError(f"MXIndexedRecordIO: line {n} of {self.idx_path!r} is not "
                                     f"'key<TAB>offset': {line.strip()!r}")
                key = self.key_type(fields[0])
                self.idx[key] = int(fields[1])
                self.keys.append(key)

    def close(self):
        """Close the record file and the index."""
        if not getattr(self, "is_open", False):
            return
        if self.pid == current_process().pid:
            self.fidx.close()
        super().close()

    def __getstate__(self):
        state = super().__getstate__()
        state["fidx"] = None
        return state

    def seek(self, idx):
        """Move the reader to the record of key ``idx``."""
        assert not self.writable
        self._check_pid(allow_reset=True)
        self._file.seek(self.idx[idx])

    def tell(self):
        """The writer's position: the byte offset the next record will start at."""
        assert self.writable
        return self._file.tell()

    def read_idx(self, idx):
        """The record of key ``idx``, as bytes."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Append ``buf`` as the record of key ``idx`` and index it."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write(f"{key}\t{pos}\n")
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple("HEADER", ["flag", "label", "id", "id2"])
IRHeader.__doc__ = "An image record's header: flag, label (a float or float array), id, id2."
_IR_FORMAT = "IfQQ"
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """``header`` (an IRHeader) and the bytes ``s`` as one record payload."""
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
    else:
        # an array label goes after the header as float32s; flag holds their count
        label = onp.asarray(header.label, dtype=onp.float32)
        header = header._replace(flag=label.size, label=0)
        s = label.tobytes() + bytes(s)
    return struct.pack(_IR_FORMAT, *header) + bytes(s)


def unpack(s):
    """The (IRHeader, bytes) held in the record payload ``s``."""
    if len(s) < _IR_SIZE:
        raise ValueError(f"unpack: a record payload starts with a {_IR_SIZE}-byte header; got "
                         f"{len(s)} bytes")
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        header = header._replace(label=onp.frombuffer(s, onp.float32, header.flag))
        s = s[header.flag * 4:]
    return header, s


# Images: MXNet encodes and decodes with OpenCV (cv2), in OpenCV's BGR channel order. mxnp uses
# OpenCV when importable (MXNet's bytes and pixels), otherwise Pillow, swapping BGR and RGB around
# it: PNG gives MXNet's pixels, JPEG can differ slightly between encoders. Neither is a dependency.


def _codec(name: str):
    """('cv2', module) or ('pil', PIL.Image), or an ImportError naming what to install."""
    try:
        import cv2

        return "cv2", cv2
    except ImportError:
        pass
    try:
        from PIL import Image

        return "pil", Image
    except ImportError as e:
        raise ImportError(f"recordio.{name} needs an image codec: install OpenCV (`pip install "
                          "opencv-python-headless`, what MXNet uses) or Pillow (`pip install "
                          "pillow`)") from e


def _pil_encode(image_module, img, quality: int, img_fmt: str) -> bytes:
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 3:  # OpenCV's BGR(A) order to Pillow's RGB(A)
        img = img[:, :, [2, 1, 0, 3][:img.shape[2]]]
    fmt = img_fmt.upper().lstrip(".")
    fmt = {"JPG": "JPEG"}.get(fmt, fmt)
    options = {"quality": quality} if fmt == "JPEG" else {}
    if fmt == "PNG":  # MXNet passes quality as the PNG compression level, which OpenCV clamps
        options = {"compress_level": max(0, min(int(quality), 9))}
    out = io.BytesIO()
    image_module.fromarray(onp.ascontiguousarray(img)).save(out, format=fmt, **options)
    return out.getvalue()


def _pil_decode(image_module, buf: bytes, iscolor: int):
    image = image_module.open(io.BytesIO(buf))
    image.load()
    if iscolor == 0:
        return onp.asarray(image.convert("L"))
    if iscolor > 0 or image.mode not in ("L", "RGBA", "RGB"):
        image = image.convert("RGB")
    pixels = onp.asarray(image)
    if pixels.ndim == 3:  # back to OpenCV's BGR(A) order
        pixels = pixels[:, :, [2, 1, 0, 3][:pixels.shape[2]]]
    return onp.ascontiguousarray(pixels)


def pack_img(header, img, quality=95, img_fmt=".jpg"):
    """``header`` and the image ``img`` (HxW or HxWxC uint8, BGR) encoded as ``img_fmt``."""
    kind, codec = _codec("pack_img")
    img = img.asnumpy() if hasattr(img, "asnumpy") else onp.asarray(img)
    if kind == "pil":
        return pack(header, _pil_encode(codec, img, quality, img_fmt))
    if img_fmt.upper() in (".JPG", ".JPEG"):
        params = [codec.IMWRITE_JPEG_QUALITY, quality]
    elif img_fmt.upper() == ".PNG":
        params = [codec.IMWRITE_PNG_COMPRESSION, quality]
    else:
        params = None
    ok, buf = codec.imencode(img_fmt, img, params)
    if not ok:
        raise ValueError(f"pack_img: OpenCV could not encode the image as {img_fmt}")
    return pack(header, buf.tobytes())


def unpack_img(s, iscolor=-1):
    """The (IRHeader, image) in ``s``: an official NumPy uint8 array in BGR order, as MXNet's."""
    kind, codec = _codec("unpack_img")
    header, buf = unpack(s)
    if kind == "pil":
        return header, _pil_decode(codec, buf, iscolor)
    return header, codec.imdecode(onp.frombuffer(buf, dtype=onp.uint8), iscolor)
