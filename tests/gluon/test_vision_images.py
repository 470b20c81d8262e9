"""ImageFolderDataset, ImageListDataset and ImageRecordDataset on PNG files written here.

Listing works without an image library; decoding needs Pillow (those tests skip without it, and
the missing-Pillow error is checked by hiding it).
"""
from __future__ import annotations

import struct
import sys
import warnings
import zlib

import numpy as onp
import pytest

from mxnp import numpy as np
from mxnp import recordio
from mxnp.gluon.data.vision import ImageFolderDataset, ImageListDataset, ImageRecordDataset

pytestmark = pytest.mark.filterwarnings("ignore:Ignoring")
RNG = onp.random.default_rng(1)
RED = RNG.integers(0, 256, size=(3, 5, 3), dtype=onp.uint8)
BLUE = RNG.integers(0, 256, size=(4, 2, 3), dtype=onp.uint8)


def png(pixels):
    """A minimal RGB PNG (8 bits per channel, no filtering) holding ``pixels`` (H, W, 3)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    h, w, _ = pixels.shape
    rows = b"".join(b"\0" + pixels[y].tobytes() for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def folder(tmp_path):
    """root/blue/b.PNG, root/red/a.png, root/red/notes.txt and a stray root/readme.md."""
    for cls, name, pixels in (("red", "a.png", RED), ("blue", "b.PNG", BLUE)):
        (tmp_path / cls).mkdir(exist_ok=True)
        (tmp_path / cls / name).write_bytes(png(pixels))
    (tmp_path / "red" / "notes.txt").write_text("not an image")
    (tmp_path / "readme.md").write_text("not a class")
    return tmp_path


@pytest.fixture
def no_pillow(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # `from PIL import Image` now fails
    monkeypatch.setitem(sys.modules, "cv2", None)  # and so does the OpenCV decoder


def test_folder_lists_classes_and_skips_other_files(folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = ImageFolderDataset(str(folder))
    assert ds.synsets == ["blue", "red"]
    assert ds.items == [(str(folder / "blue" / "b.PNG"), 0), (str(folder / "red" / "a.png"), 1)]
    assert len(ds) == 2
    texts = sorted(str(w.message) for w in caught)
    assert texts == [f"Ignoring {folder / 'readme.md'}, which is not a directory.",
                     (f"Ignoring {folder / 'red' / 'notes.txt'} of type .txt. Only support "
                      ".jpg, .jpeg, .png")]


def test_folder_items_decode_to_hwc_uint8(folder):
    pytest.importorskip("PIL")
    ds = ImageFolderDataset(str(folder))
    img, label = ds[1]
    assert isinstance(img, np.ndarray) and img.dtype == onp.uint8 and img.shape == (3, 5, 3)
    onp.testing.assert_array_equal(img.asnumpy(), RED)
    assert label == 1 and isinstance(label, int)
    gray, _ = ImageFolderDataset(str(folder), flag=0)[0]
    assert gray.shape == (4, 2, 1) and gray.dtype == onp.uint8
    seen = ImageFolderDataset(str(folder), transform=lambda d, l: (d.shape, l * 10))[0]
    assert seen == ((4, 2, 3), 0)


def test_folder_without_pillow_names_what_to_install(folder, no_pillow):
    ds = ImageFolderDataset(str(folder))
    assert len(ds) == 2  # listing needs no decoder
    with pytest.raises(ImportError, match="ImageFolderDataset .*pip install pillow"):
        ds[0]


def test_image_list_from_entries_and_lst_file(folder):
    pytest.importorskip("PIL")
    ds = ImageListDataset(str(folder), [[4, "red/a.png"], [1.5, 2.0, "blue/b.PNG"]])
    img, label = ds[0]
    onp.testing.assert_array_equal(img.asnumpy(), RED)
    assert label == 4.0
    assert ds[1][1].asnumpy().tolist() == [1.5, 2.0]
    (folder / "list.lst").write_text("0\t3\tblue/b.PNG\n1\t7\tred/a.png\n")
    listed = ImageListDataset(str(folder), "list.lst", flag=0)
    assert len(listed) == 2 and listed[1][1] == 7.0 and listed[0][0].shape == (4, 2, 1)


def test_image_list_entry_needs_label_and_path(tmp_path):
    with pytest.raises(ValueError, match="needs a label and a path"):
        ImageListDataset(str(tmp_path), [["only/path.png"]])


def write_records(path, entries):
    rec = recordio.MXIndexedRecordIO(str(path.with_suffix(".idx")), str(path), "w")
    for i, (label, pixels) in enumerate(entries):
        rec.write_idx(i, recordio.pack(recordio.IRHeader(0, label, i, 0), png(pixels)))
    rec.close()


def test_image_record_dataset_decodes_records(tmp_path):
    pytest.importorskip("PIL")
    path = tmp_path / "images.rec"
    write_records(path, [(2.0, RED), (5.0, BLUE)])
    ds = ImageRecordDataset(str(path))
    assert len(ds) == 2
    img, label = ds[1]
    onp.testing.assert_array_equal(img.asnumpy(), BLUE)
    assert label == 5.0
    gray, label = ImageRecordDataset(str(path), flag=0, transform=lambda d, l: (d, l + 1))[0]
    assert gray.shape == (3, 5, 1) and label == 3.0


def test_image_record_dataset_without_pillow(tmp_path, no_pillow):
    path = tmp_path / "images.rec"
    write_records(path, [(2.0, RED)])
    with pytest.raises(ImportError, match="ImageRecordDataset .*pip install pillow"):
        ImageRecordDataset(str(path))[0]


# MXNet 1.9.1 (mxref): MXIndexedRecordIO holding pack(IRHeader(0, 4.0, 0, 0), png(P)) and
# pack(IRHeader(0, [1.0, 2.0], 1, 0), png(P[::-1])), P = arange(18).reshape(2, 3, 3) * 13
MXNET_REC = bytes.fromhex(
    "0a23d7ce6d00000000000000000080400000000000000000000000000000000089504e470d0a1a0a0000000d"
    "49484452000000030000000208020000001216f14d0000001c49444154789c6360e095523771f48bce60286d"
    "ea9fb372dbe10b7701331d07c63d5e59a10000000049454e44ae4260820000000a23d7ce7500000002000000"
    "00000000010000000000000000000000000000000000803f0000004089504e470d0a1a0a0000000d49484452"
    "000000030000000208020000001216f14d0000001c49444154789c63286dea9fb372dbe10b77191878a5d44d"
    "1cfda233005c3f07c668dbf8fe0000000049454e44ae426082000000")


def test_image_record_dataset_reads_mxnet_file(tmp_path):
    pytest.importorskip("PIL")
    (tmp_path / "a.rec").write_bytes(MXNET_REC)
    (tmp_path / "a.idx").write_text("0\t0\n1\t120\n")
    ds = ImageRecordDataset(str(tmp_path / "a.rec"))
    img, label = ds[0]
    pixels = onp.arange(18).reshape(2, 3, 3) * 13
    onp.testing.assert_array_equal(img.asnumpy(), pixels)
    assert img.dtype == onp.uint8 and label == 4.0
    img, label = ds[1]
    onp.testing.assert_array_equal(img.asnumpy(), pixels[::-1])
    assert label.dtype == onp.float32 and label.tolist() == [1.0, 2.0]


def test_image_record_gray_levels_as_mxnet(tmp_path):
    pytest.importorskip("cv2")  # MXNet's gray levels are OpenCV's (the vision extra)
    (tmp_path / "a.rec").write_bytes(MXNET_REC)
    (tmp_path / "a.idx").write_text("0\t0\n1\t120\n")
    gray, _ = ImageRecordDataset(str(tmp_path / "a.rec"), flag=0)[0]
    # MXNet 1.9.1 (mxref): OpenCV's gray levels for the same record
    assert gray.asnumpy().ravel().tolist() == [10, 49, 88, 127, 166, 205]
