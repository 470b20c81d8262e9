"""mx.image.ImageIter from RecordIO files, .lst files and lists: batches, labels, partitions,
last-batch handling, and errors (its pixels against MXNet's are in test_image_mxnet.py)."""
from __future__ import annotations

import random

import numpy as onp
import pytest

import mxnp as mx
from mxnp import recordio
from mxnp.io import DataBatch, DataDesc, DataIter

cv2 = pytest.importorskip("cv2")

N = 7
PICS = [onp.full((6 + i % 3, 7, 3), 30 * i, dtype=onp.uint8) for i in range(N)]


def png(pixels):
    return cv2.imencode(".png", pixels[:, :, ::-1])[1].tobytes()


@pytest.fixture
def files(tmp_path):
    """The images as PNG files, a .lst naming them, and .rec/.idx files holding them."""
    lines = []
    rec = recordio.MXIndexedRecordIO(str(tmp_path / "a.idx"), str(tmp_path / "a.rec"), "w")
    for i, p in enumerate(PICS):
        (tmp_path / f"{i}.png").write_bytes(png(p))
        lines.append(f"{i}\t{i}.0\t{i * 10}.0\t{i}.png")
        rec.write_idx(i, recordio.pack(recordio.IRHeader(0, float(i), i, 0), png(p)))
    rec.close()
    (tmp_path / "a.lst").write_text("\n".join(lines) + "\n")
    return tmp_path


def values(it):
    """(first pixel of each image, labels, pad) per batch: image i is filled with 30 * i."""
    out = []
    for batch in it:
        data, label = batch.data[0].asnumpy(), batch.label[0].asnumpy()
        out.append(((data[:, 0, 0, 0] / 30).round().astype(int).tolist(), label.tolist(),
                    batch.pad))
    return out


def test_list_file_batches_and_descriptions(files):
    it = mx.image.ImageIter(3, (3, 4, 5), path_imglist=str(files / "a.lst"),
                            path_root=str(files), label_width=2)
    assert it.provide_data == [("data", (3, 3, 4, 5))]
    assert it.provide_label == [("softmax_label", (3, 2))]
    got = values(it)
    assert [b[0] for b in got] == [[0, 1, 2], [3, 4, 5], [6, 0, 1]]
    assert got[0][1] == [[0.0, 0.0], [1.0, 10.0], [2.0, 20.0]]
    assert [b[2] for b in got] == [0, 0, 2]
    first = next(iter(mx.image.ImageIter(2, (3, 4, 5), path_imglist=str(files / "a.lst"),
                                         path_root=str(files), label_width=2)))
    assert first.data[0].dtype == onp.float32 and first.data[0].shape == (2, 3, 4, 5)
    assert str(first) == "DataBatch: data shapes: [(2, 3, 4, 5)] label shapes: [(2, 2)]"


def test_record_file_with_and_without_index(files):
    indexed = mx.image.ImageIter(4, (3, 6, 6), path_imgrec=str(files / "a.rec"),
                                 path_imgidx=str(files / "a.idx"))
    assert values(indexed) == [([0, 1, 2, 3], [0.0, 1.0, 2.0, 3.0], 0),
                               ([4, 5, 6, 0], [4.0, 5.0, 6.0, 0.0], 1)]
    plain = mx.image.ImageIter(4, (3, 6, 6), path_imgrec=str(files / "a.rec"),
                               last_batch_handle="discard")
    assert values(plain) == [([0, 1, 2, 3], [0.0, 1.0, 2.0, 3.0], 0)]
    plain.reset()
    assert len(values(plain)) == 1


def test_partitions_split_the_index(files):
    seen = []
    for part in range(3):
        it = mx.image.ImageIter(2, (3, 6, 6), path_imgrec=str(files / "a.rec"),
                                path_imgidx=str(files / "a.idx"), part_index=part, num_parts=3,
                                last_batch_handle="discard")
        seen.append([i for b in values(it) for i in b[0]])
    assert seen == [[0, 1], [2, 3], [4, 5]]  # 7 // 3 = 2 images each, as MXNet


def test_shuffle_is_repeatable_with_a_seed_and_covers_every_image(files):
    def epoch(seed):
        random.seed(seed)
        it = mx.image.ImageIter(N, (3, 6, 6), path_imgrec=str(files / "a.rec"),
                                path_imgidx=str(files / "a.idx"), shuffle=True)
        return values(it)[0][0]
    assert epoch(1) == epoch(1) and sorted(epoch(1)) == list(range(N))
    assert epoch(1) != epoch(2)


def test_roll_over_carries_the_rest_into_the_next_epoch():
    imglist = [[float(i), f"{i}.png"] for i in range(N)]

    def reader(it):
        it.read_image = lambda name: png(PICS[int(name.split(".")[0])])
        return it
    it = reader(mx.image.ImageIter(3, (3, 6, 6), imglist=imglist, last_batch_handle="roll_over"))
    assert [b[0] for b in values(it)] == [[0, 1, 2], [3, 4, 5]]
    it.reset()
    assert [b[0] for b in values(it)] == [[6, 0, 1], [2, 3, 4]]
    it.hard_reset()
    assert [b[0] for b in values(it)] == [[0, 1, 2], [3, 4, 5]]


def test_imglist_labels_and_augmenters(files):
    imglist = [[1.5, "0.png"], [[2.0, 3.0], "1.png"], [4.0, 5.0, "2.png"]]
    it = mx.image.ImageIter(3, (3, 2, 2), imglist=imglist, path_root=str(files), label_width=2,
                            aug_list=[mx.image.ForceResizeAug((2, 2)), mx.image.CastAug()],
                            dtype="int32")
    assert it.imglist["1"][0].tolist() == [1] and it.imglist["1"][0].dtype == onp.int32
    batch = next(it)
    assert batch.label[0].tolist() == [[1, 1], [2, 3], [4, 5]]  # one label fills the row
    assert batch.data[0].shape == (3, 3, 2, 2)


def test_a_broken_image_names_its_file(files):
    (files / "bad.png").write_bytes(b"not a png")
    it = mx.image.ImageIter(1, (3, 4, 4), imglist=[[0.0, "bad.png"]], path_root=str(files))
    with pytest.raises(RuntimeError, match="Broken image filename: bad.png"):
        next(it)


def test_bad_arguments_are_named(files):
    with pytest.raises(ValueError, match="give path_imgrec, path_imglist or imglist"):
        mx.image.ImageIter(2, (3, 4, 4))
    with pytest.raises(ValueError, match="float16 label not supported"):
        mx.image.ImageIter(2, (3, 4, 4), imglist=[], dtype="float16")
    with pytest.raises(ValueError, match="last_batch_handle must be one of"):
        mx.image.ImageIter(2, (3, 4, 4), imglist=[], last_batch_handle="keep")
    with pytest.raises(ValueError, match="3 channels"):
        mx.image.ImageIter(2, (1, 4, 4), imglist=[])
    with pytest.raises(ValueError, match="length 3"):
        mx.image.ImageIter(2, (4, 4), imglist=[])
    with pytest.raises(ValueError, match="need path_imgidx"):
        mx.image.ImageIter(2, (3, 4, 4), path_imgrec=str(files / "a.rec"), shuffle=True)
    with pytest.raises(ValueError, match="part_index 3 out of range"):
        mx.image.ImageIter(2, (3, 4, 4), imglist=[[0.0, "0.png"]] * 4, num_parts=3,
                           part_index=3)
    (files / "short.lst").write_text("0\t0.png\n")
    with pytest.raises(ValueError, match="each line needs an index, labels and a path"):
        mx.image.ImageIter(2, (3, 4, 4), path_imglist=str(files / "short.lst"))


def test_io_pieces_behave_as_mxnet():
    desc = DataDesc("data", (2, 3))
    assert desc == ("data", (2, 3)) and desc.layout == "NCHW" and desc.dtype is onp.float32
    assert repr(desc) == "DataDesc[data,(2, 3),<class 'numpy.float32'>,NCHW]"
    assert DataDesc.get_batch_axis("TNC") == 1 and DataDesc.get_batch_axis(None) == 0
    assert DataDesc.get_list([("a", (1,))], [("a", onp.int32)])[0].dtype is onp.int32
    assert str(DataBatch([onp.zeros(2)])) == "DataBatch: data shapes: [(2,)] label shapes: None"
    with pytest.raises(TypeError, match="DataBatch: data must be a list"):
        DataBatch(onp.zeros(2))

    class Two(DataIter):
        def __init__(self):
            super().__init__(batch_size=1)
            self.n = 0

        def iter_next(self):
            self.n += 1
            return self.n <= 2

        def getdata(self):
            return [onp.full(1, self.n)]
    assert [b.data[0].tolist() for b in Two()] == [[1], [2]]
