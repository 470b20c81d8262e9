"""mx.io: the batches MXNet 1.9.1 gives, recorded from it (mxref) in the expected values."""
import importlib.util
import struct

import numpy as onp
import pytest

import mxnp as mx

F32 = "<class 'numpy.float32'>"


def _epochs(it, n=3, column=True):
    """Per epoch: [(data[0] (first column), label[0], pad)] for every batch."""
    out = []
    for _ in range(n):
        out.append([(b.data[0].asnumpy()[:, 0].tolist() if column else
                     b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist(), b.pad)
                    for b in it])
        it.reset()
    return out


def _ten():
    return onp.arange(20).reshape(10, 2).astype("float32"), onp.arange(10).astype("float32")


FIRST = ([0.0, 2.0, 4.0, 6.0], [0.0, 1.0, 2.0, 3.0], 0)
SECOND = ([8.0, 10.0, 12.0, 14.0], [4.0, 5.0, 6.0, 7.0], 0)
PADDED = ([16.0, 18.0, 0.0, 2.0], [8.0, 9.0, 0.0, 1.0], 2)


@pytest.mark.parametrize("handle, epochs", [
    ("pad", [[FIRST, SECOND, PADDED]] * 3),
    ("discard", [[FIRST, SECOND]] * 3),
    # the two left over open the next epoch, which MXNet reports as pad=2
    ("roll_over", [[FIRST, SECOND],
                   [PADDED, ([4.0, 6.0, 8.0, 10.0], [2.0, 3.0, 4.0, 5.0], 0),
                    ([12.0, 14.0, 16.0, 18.0], [6.0, 7.0, 8.0, 9.0], 0)],
                   [FIRST, SECOND]]),
])
def test_ndarrayiter_last_batch_handle(handle, epochs):
    it = mx.io.NDArrayIter(*_ten(), batch_size=4, last_batch_handle=handle)
    assert repr(it.provide_data) == f"[DataDesc[data,(4, 2),{F32},NCHW]]"
    assert repr(it.provide_label) == f"[DataDesc[softmax_label,(4,),{F32},NCHW]]"
    assert _epochs(it) == epochs


def test_ndarrayiter_batches_are_nd_arrays_without_index():
    batch = next(mx.io.NDArrayIter(*_ten(), batch_size=4))
    assert type(batch.data[0]) is mx.nd.NDArray and type(batch.label[0]) is mx.nd.NDArray
    assert batch.index is None and batch.bucket_key is None and batch.provide_data is None


def test_ndarrayiter_shuffle_follows_numpy_seed():
    onp.random.seed(3)
    it = mx.io.NDArrayIter(mx.nd.array(onp.arange(7)), onp.arange(7), batch_size=3,
                           shuffle=True)
    got = _epochs(it, 2, column=False)
    assert got == [[([4.0, 6.0, 5.0], [4.0, 6.0, 5.0], 0), ([3.0, 1.0, 0.0], [3.0, 1.0, 0.0], 0),
                    ([2.0, 4.0, 6.0], [2.0, 4.0, 6.0], 2)],
                   [([5.0, 6.0, 2.0], [5.0, 6.0, 2.0], 0), ([0.0, 3.0, 4.0], [0.0, 3.0, 4.0], 0),
                    ([1.0, 5.0, 6.0], [1.0, 5.0, 6.0], 2)]]


def test_ndarrayiter_names_and_dtypes():
    # a dict is sorted by name; NumPy data becomes float32, mx.nd data keeps its dtype
    it = mx.io.NDArrayIter({"b": onp.ones((5, 2)), "a": onp.zeros((5, 3), dtype="int32")},
                           None, batch_size=2)
    assert repr(it.provide_data) == (f"[DataDesc[a,(2, 3),{F32},NCHW], "
                                     f"DataDesc[b,(2, 2),{F32},NCHW]]")
    assert it.provide_label == [] and next(it).label == []
    it = mx.io.NDArrayIter([onp.ones((5, 2)), onp.ones((5, 1))], [onp.ones(5)], batch_size=2)
    assert [d.name for d in it.provide_data] == ["_0_data", "_1_data"]
    it = mx.io.NDArrayIter(mx.nd.ones((5, 2), dtype="float64"), batch_size=2)
    assert repr(it.provide_data) == "[DataDesc[data,(2, 2),<class 'numpy.float64'>,NCHW]]"
    assert next(it).data[0].dtype == onp.float64
    it = mx.io.NDArrayIter(onp.ones((5, 2)), batch_size=2, data_name="x", label_name="y")
    assert it.provide_data[0].name == "x" and it.provide_label == []


def test_ndarrayiter_bad_input():
    with pytest.raises(ValueError, match="last_batch_handle must be one of"):
        mx.io.NDArrayIter(onp.ones((4, 2)), last_batch_handle="wrap")
    with pytest.raises(TypeError, match="expected an array, a list of arrays or a dict"):
        mx.io.NDArrayIter(5)
    with pytest.raises(ValueError, match="must not be None"):
        mx.io.NDArrayIter(None)


def test_ndarrayiter_label_longer_than_data():
    # MXNet 1.9.1 (mxref) counts the samples of the first data array and does not check the
    # labels against it: full batches take the labels at the same places, the padded last
    # one the rest of each label array and then its first `pad` entries
    it = mx.io.NDArrayIter(mx.nd.arange(10).reshape((5, 2)),
                           {"label": mx.nd.arange(8), "w": mx.nd.arange(8) * 10}, batch_size=2)
    assert it.num_data == 5
    batches = [([d.asnumpy().tolist() for d in b.data], [lab.asnumpy().tolist()
                                                          for lab in b.label], b.pad)
               for b in it]
    assert batches == [([[[0, 1], [2, 3]]], [[0, 1], [0, 10]], 0),
                       ([[[4, 5], [6, 7]]], [[2, 3], [20, 30]], 0),
                       ([[[8, 9], [0, 1]]], [[4, 5, 6, 7, 0], [40, 50, 60, 70, 0]], 1)]


def test_datadesc_is_a_name_shape_tuple():
    d = mx.io.DataDesc("data", (2, 3))
    assert repr(d) == str(d) == f"DataDesc[data,(2, 3),{F32},NCHW]"
    assert d == ("data", (2, 3)) and tuple(d) == ("data", (2, 3)) and d.name == "data"
    assert (d.dtype, d.layout) == (onp.float32, "NCHW")
    assert [mx.io.DataDesc.get_batch_axis(x) for x in ("NCHW", None, "TNC")] == [0, 0, 1]
    assert repr(mx.io.DataDesc.get_list([("data", (1, 2))], [("data", onp.float64)])) == \
        "[DataDesc[data,(1, 2),<class 'numpy.float64'>,NCHW]]"
    assert mx.io.DataDesc.get_list([("data", (1, 2))], None)[0].dtype == onp.float32


def test_databatch_str():
    batch = mx.io.DataBatch([mx.nd.ones((2, 3))], [mx.nd.zeros(2)], pad=1)
    assert str(batch) == "DataBatch: data shapes: [(2, 3)] label shapes: [(2,)]"
    assert str(mx.io.DataBatch([mx.nd.ones(2)])) == \
        "DataBatch: data shapes: [(2,)] label shapes: None"
    with pytest.raises(TypeError, match="data must be a list of arrays"):
        mx.io.DataBatch(mx.nd.ones(2))


def test_resize_iter():
    base = mx.io.NDArrayIter(onp.arange(10).reshape(5, 2), onp.arange(5), batch_size=2)
    it = mx.io.ResizeIter(base, 4)
    want = [([0.0, 2.0], [0.0, 1.0], 0), ([4.0, 6.0], [2.0, 3.0], 0),
            ([8.0, 0.0], [4.0, 0.0], 1), ([0.0, 2.0], [0.0, 1.0], 0)]
    assert _epochs(it, 2) == [want, want]
    it = mx.io.ResizeIter(mx.io.NDArrayIter(onp.arange(10).reshape(5, 2), onp.arange(5),
                                            batch_size=2), 2, reset_internal=False)
    assert _epochs(it, 2) == [want[:2], want[2:]]


def test_prefetching_iter_joins_and_renames():
    a = mx.io.NDArrayIter(onp.arange(10).reshape(5, 2), onp.arange(5), batch_size=2)
    b = mx.io.NDArrayIter(onp.arange(5) * 10, onp.arange(5) + 100, batch_size=2,
                          data_name="x", label_name="y")
    it = mx.io.PrefetchingIter([a, b], rename_data=[{"data": "d1"}, {"x": "d2"}])
    assert repr(it.provide_data) == f"[DataDesc[d1,(2, 2),{F32},NCHW], DataDesc[d2,(2,),{F32},NCHW]]"
    assert [d.name for d in it.provide_label] == ["softmax_label", "y"]
    for _ in range(2):
        got = [([d.asnumpy().tolist() for d in x.data], [y.asnumpy().tolist() for y in x.label],
                x.pad) for x in it]
        assert got == [([[[0, 1], [2, 3]], [0, 10]], [[0, 1], [100, 101]], 0),
                       ([[[4, 5], [6, 7]], [20, 30]], [[2, 3], [102, 103]], 0),
                       ([[[8, 9], [0, 1]], [40, 0]], [[4, 0], [104, 100]], 1)]
        it.reset()


@pytest.fixture
def csv_files(tmp_path):
    onp.savetxt(tmp_path / "d.csv", onp.arange(15).reshape(5, 3), delimiter=",")
    onp.savetxt(tmp_path / "l.csv", onp.arange(5), delimiter=",")
    return str(tmp_path / "d.csv"), str(tmp_path / "l.csv")


def test_csv_iter_round_batch(csv_files):
    it = mx.io.CSVIter(data_csv=csv_files[0], data_shape=(3,), label_csv=csv_files[1],
                       batch_size=2)
    assert repr(it.provide_label) == f"[DataDesc[softmax_label,(2,),{F32},NCHW]]"
    got = [[(b.data[0].asnumpy()[:, 0].tolist(), b.label[0].asnumpy().tolist(), b.pad,
             b.index.tolist()) for b in it] for _ in range(2) if it.reset() is None]
    # the wrapped batch takes sample 0, so the next epoch starts at sample 1 (as MXNet)
    assert got == [[([0.0, 3.0], [0.0, 1.0], 0, [0, 1]), ([6.0, 9.0], [2.0, 3.0], 0, [2, 3]),
                    ([12.0, 0.0], [4.0, 0.0], 1, [4, 0])],
                   [([3.0, 6.0], [1.0, 2.0], 0, [1, 2]), ([9.0, 12.0], [3.0, 4.0], 0, [3, 4])]]


def test_csv_iter_without_round_batch_and_label(csv_files):
    it = mx.io.CSVIter(data_csv=csv_files[0], data_shape=(3,), batch_size=2, round_batch=False)
    got = [(b.data[0].asnumpy()[:, 0].tolist(), b.label[0].asnumpy().tolist(), b.pad)
           for b in it]
    # the short batch's extra row is the previous batch's (MXNet's reused buffer)
    assert got == [([0.0, 3.0], [0.0, 0.0], 0), ([6.0, 9.0], [0.0, 0.0], 0),
                   ([12.0, 9.0], [0.0, 0.0], 1)]
    with pytest.raises(mx.MXNetError, match="needs 4"):
        mx.io.CSVIter(data_csv=csv_files[0], data_shape=(4,))


def _write_mnist(tmp_path, n=5):
    images = (onp.arange(n * 28 * 28) % 256).astype("uint8")
    (tmp_path / "img").write_bytes(struct.pack(">iiii", 2051, n, 28, 28) + images.tobytes())
    (tmp_path / "lab").write_bytes(struct.pack(">ii", 2049, n) +
                                   onp.arange(n).astype("uint8").tobytes())
    return str(tmp_path / "img"), str(tmp_path / "lab")


@pytest.mark.parametrize("flat, shape", [(False, (2, 1, 28, 28)), (True, (2, 784))])
def test_mnist_iter(tmp_path, flat, shape):
    image, label = _write_mnist(tmp_path)
    it = mx.io.MNISTIter(image=image, label=label, batch_size=2, shuffle=False, flat=flat)
    assert it.provide_data[0].shape == shape
    for _ in range(2):  # only full batches; pixels scaled by 1/256
        got = [(b.data[0].shape, b.data[0].asnumpy().ravel()[:3].tolist(),
                b.label[0].asnumpy().tolist(), b.pad) for b in it]
        assert got == [(shape, [0.0, 0.00390625, 0.0078125], [0.0, 1.0], 0),
                       (shape, [0.125, 0.12890625, 0.1328125], [2.0, 3.0], 0)]
        it.reset()
    with pytest.raises(mx.MXNetError, match="not an IDX image file"):
        mx.io.MNISTIter(image=label, label=label)


def test_data_iter_base():
    it = mx.io.DataIter(batch_size=3)
    assert it.batch_size == 3 and iter(it) is it
    with pytest.raises(StopIteration):
        next(it)


def test_ndarrayiter_pad_repeats_data_smaller_than_a_batch():
    it = mx.io.NDArrayIter(data=onp.arange(4), label=onp.arange(4) * 10, batch_size=11,
                           last_batch_handle="pad")
    b = it.next()
    assert b.data[0].asnumpy().tolist() == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2]
    assert b.label[0].asnumpy().tolist() == [0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20]
    assert b.pad == 7
    with pytest.raises(StopIteration):
        it.next()


def test_csv_iter_getdata_is_one_array(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("1,2\n3,4\n5,6\n")
    it = mx.io.CSVIter(data_csv=str(path), data_shape=(2,), batch_size=2)
    assert it.iter_next()
    assert type(it.getdata()) is mx.nd.NDArray and it.getdata().asnumpy().tolist() == [[1, 2], [3, 4]]
    assert type(it.getlabel()) is mx.nd.NDArray and it.getlabel().asnumpy().tolist() == [0, 0]
    assert it.getpad() == 0 and it.getindex().tolist() == [0, 1]


@pytest.fixture
def image_records(tmp_path):
    """Six lossless (PNG) images of 6x8 pixels, pixel value 10*i + row in every channel of
    image i, labelled i % 4."""
    if not (importlib.util.find_spec("cv2") or importlib.util.find_spec("PIL")):
        pytest.skip("packing images needs OpenCV or Pillow (the vision extra)")
    path = str(tmp_path / "imgs.rec")
    writer = mx.recordio.MXRecordIO(path, "w")
    for i in range(6):
        img = onp.repeat((10 * i + onp.arange(6)).reshape(6, 1, 1), 8, axis=1)
        img = onp.repeat(img, 3, axis=2).astype(onp.uint8)
        writer.write(mx.recordio.pack_img(mx.recordio.IRHeader(0, float(i % 4), i, 0), img,
                                          img_fmt=".png"))
    writer.close()
    return path


def test_image_record_iter_batches_crops_and_normalizes(image_records, tmp_path):
    # batching as MXNet 1.9.1's ImageRecordIter (recorded): the short last batch is filled from
    # the start and the next epoch begins after the samples it used
    it = mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(3, 4, 4), batch_size=4)
    assert str(it.provide_data) == "[DataDesc[data,(4, 3, 4, 4),<class 'numpy.float32'>,NCHW]]"
    epochs = []
    for _ in range(2):
        epochs.append([(b.label[0].asnumpy().tolist(), b.pad) for b in it])
        it.reset()
    assert epochs == [[([0, 1, 2, 3], 0), ([0, 1, 0, 1], 2)], [([2, 3, 0, 1], 0)]]
    it.reset()
    first = it.next().data[0].asnumpy()
    assert first.shape == (4, 3, 4, 4) and first[1, 2, :, 0].tolist() == [11, 12, 13, 14]
    norm = mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(3, 4, 4), batch_size=4,
                                 mean_r=1, mean_g=2, mean_b=3, std_r=2, std_g=4, std_b=8,
                                 scale=0.5).next().data[0].asnumpy()
    want = (first - onp.array([1, 2, 3]).reshape(3, 1, 1)) / onp.array([2, 4, 8]).reshape(
        3, 1, 1) * 0.5
    onp.testing.assert_allclose(norm, want, rtol=1e-6)
    raw = mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(1, 4, 4), batch_size=2,
                                dtype="uint8", mean_r=5).next().data[0]
    assert raw.dtype == onp.uint8 and raw.shape == (2, 1, 4, 4)  # no normalization for uint8
    assert raw.asnumpy()[1, 0, :, 0].tolist() == [11, 12, 13, 14]
    for spelling, dtype in ((mx.io.ImageRecordUInt8Iter, onp.uint8),
                            (mx.io.ImageRecordUInt8Iter_v1, onp.uint8),
                            (mx.io.ImageRecordInt8Iter, onp.int8)):
        same = spelling(path_imgrec=image_records, data_shape=(1, 4, 4), batch_size=2,
                        mean_r=5).next().data[0]
        assert same.dtype == dtype and (same.asnumpy() == raw.asnumpy().astype(dtype)).all()
    part = mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(3, 4, 4), batch_size=2,
                                 num_parts=3, part_index=1)
    assert [b.label[0].asnumpy().tolist() for b in part] == [[3, 0]]  # MXNet: by bytes


def test_image_record_iter_makes_and_uses_a_mean_image(image_records, tmp_path):
    mean_file = str(tmp_path / "mean.bin")
    it = mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(3, 4, 4), batch_size=3,
                               mean_img=mean_file)
    saved = mx.nd.load(mean_file)
    assert list(saved) == ["mean_img"] and saved["mean_img"].shape == (3, 4, 4)
    assert saved["mean_img"].asnumpy()[0, :, 0].tolist() == [26, 27, 28, 29]
    batch = it.next().data[0].asnumpy()
    assert batch[0, 0, :, 0].tolist() == [-25, -25, -25, -25]
    with pytest.raises(NotImplementedError, match="max_rotate_angle"):
        mx.io.ImageRecordIter(path_imgrec=image_records, data_shape=(3, 4, 4), batch_size=3,
                              max_rotate_angle=10)


def test_libsvm_iter_gives_mxnets_rows_densely(tmp_path):
    # values recorded from MXNet 1.9.1 (which gives the same rows as CSRNDArrays)
    data, label = tmp_path / "data.t", tmp_path / "label.t"
    data.write_text("1.0 0:0.5 2:1.2\n-2.0\n-3.0 0:0.6 1:2.4 2:1.2\n4 2:-1.2\n")
    label.write_text("1.0\n-2.0 0:0.125\n-3.0 2:1.2\n4 1:1.0 2:-1.2\n")
    it = mx.io.LibSVMIter(data_libsvm=str(data), label_libsvm=str(label), data_shape=(3,),
                          label_shape=(3,), batch_size=3)
    assert str(it.provide_label) == \
        "[DataDesc[softmax_label,(3, 3),<class 'numpy.float32'>,NCHW]]"
    got = []
    for _ in range(2):
        got += [(b.data[0].asnumpy().astype("float64").round(3).tolist(),
                 b.label[0].asnumpy()[:, 2].tolist(),
                 b.pad) for b in it]
        it.reset()
    r0, r1, r2, r3 = [0.5, 0, 1.2], [0, 0, 0], [0.6, 2.4, 1.2], [0, 0, -1.2]
    assert [(d, p) for d, _, p in got] == [([r0, r1, r2], 0), ([r3, r0, r1], 2),
                                           ([r2, r3, r0], 1)]
    onp.testing.assert_allclose(got[1][1], [-1.2, 0, 0], rtol=1e-6)
    it = mx.io.LibSVMIter(data_libsvm=str(data), data_shape=(3,), batch_size=2)
    assert [b.label[0].asnumpy().tolist() for b in it] == [[1, -2], [-3, 4]]
    bad = tmp_path / "bad.t"
    bad.write_text("1.0 0:0.5\n-3.0 -1:0.6\n")
    with pytest.raises(mx.base.MXNetError, match="negative feature index"):
        mx.io.LibSVMIter(data_libsvm=str(bad), data_shape=(3,), batch_size=2)
