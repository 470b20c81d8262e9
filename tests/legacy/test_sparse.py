"""mx.nd.sparse: CSRNDArray and RowSparseNDArray, their storage rules, save/load, lazy updates,
row_sparse Parameters and gradients. Expected values come from MXNet 1.9.1 (mxref) or NumPy."""
from __future__ import annotations

import pathlib
import pickle

import numpy as onp
import pytest

import mxnp
from mxnp import autograd, gluon, optimizer
from mxnp import ndarray as nd
from mxnp.base import MXNetError
from mxnp.ndarray.sparse import CSRNDArray, RowSparseNDArray

DATA = pathlib.Path(__file__).parent.parent / "data" / "mxnet_files"
DENSE = [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 0.0]]


def test_components_from_dense_and_printing():
    c = nd.array(DENSE).tostype("csr")
    r = nd.array(DENSE).tostype("row_sparse")
    assert isinstance(c, CSRNDArray) and isinstance(r, RowSparseNDArray)
    assert isinstance(c, nd.NDArray) and (c.stype, r.stype) == ("csr", "row_sparse")
    # MXNet 1.9.1: no values in the text, the data and aux arrays as dense NDArrays
    assert repr(c) == "\n<CSRNDArray 3x3 @cpu(0)>" and str(r) == "\n<RowSparseNDArray 3x3 @cpu(0)>"
    assert c.data.asnumpy().tolist() == [1, 2, 3]
    assert c.indices.asnumpy().tolist() == [1, 0, 2] and c.indptr.asnumpy().tolist() == [0, 1, 3, 3]
    assert c.indices.dtype == onp.int64 and c._aux_types == [onp.int64, onp.int64]
    assert r.data.asnumpy().tolist() == DENSE[:2] and r.indices.asnumpy().tolist() == [0, 1]
    assert (c._num_aux, r._num_aux) == (2, 1)
    onp.testing.assert_array_equal(c.asnumpy(), DENSE)
    assert c.tostype("default").stype == "default"


def test_components_given_are_kept_until_the_value_changes():
    r = nd.sparse.row_sparse_array(([[0.0, 0.0], [2.5, -1.0]], [0, 2]), shape=(4, 2))
    assert r.indices.asnumpy().tolist() == [0, 2]  # the stored zero row stays, as in MXNet
    assert r.tostype("row_sparse").indices.asnumpy().tolist() == [0, 2]
    r[:] = nd.ones((4, 2))
    assert r.indices.asnumpy().tolist() == [0, 1, 2, 3]
    c = nd.sparse.csr_matrix(([7.0, 8, 9], [0, 2, 1], [0, 2, 2, 3]), shape=(3, 4))
    assert c.asnumpy().tolist() == [[7, 0, 8, 0], [0, 0, 0, 0], [0, 9, 0, 0]]
    assert c.dtype == onp.float32 and c.context == mxnp.cpu(0)


def test_constructors_shapes_scipy_and_errors():
    spsp = pytest.importorskip("scipy.sparse")
    assert nd.sparse.csr_matrix((2, 3)).asnumpy().tolist() == [[0] * 3] * 2
    r = nd.sparse.row_sparse_array((2, 3), dtype="int32", ctx=mxnp.cpu(1))
    assert (r.dtype, r.context, r.stype) == (onp.int32, mxnp.cpu(1), "row_sparse")
    inferred = nd.sparse.csr_matrix(([1.0], [4], [0, 0, 1]))
    assert inferred.shape == (2, 5)
    non_canonical = spsp.csr_matrix(([1.0, 2, 3], [2, 0, 2], [0, 3]), shape=(1, 3))
    c = nd.sparse.array(non_canonical)  # duplicates summed, indices sorted (scipy's canonical)
    assert c.indices.asnumpy().tolist() == [0, 2] and c.data.asnumpy().tolist() == [2, 4]
    assert c.dtype == onp.float64 and nd.array(non_canonical).stype == "csr"
    coo = nd.sparse.csr_matrix(([5.0], ([1], [2])), shape=(2, 3))
    assert coo.asnumpy().tolist() == [[0, 0, 0], [0, 0, 5]]
    back = c.asscipy()
    assert isinstance(back, spsp.csr_matrix) and back.toarray().tolist() == [[2, 0, 4]]
    with pytest.raises(ValueError):
        nd.sparse.csr_matrix(nd.ones((2, 2)), shape=(3, 2))
    with pytest.raises(ValueError):
        nd.sparse.zeros("dense", (2, 2))
    with pytest.raises(MXNetError):
        nd.sparse.retain(nd.ones((2, 2)), invalid_arg=1)


def test_check_format():
    nd.array(DENSE).tostype("csr").check_format()
    with pytest.raises(MXNetError, match="indptr"):
        nd.sparse.csr_matrix(([7, 8, 9], [0, 2, 1], [0, 5, 2, 3]), shape=(3, 4)).check_format()
    with pytest.raises(MXNetError, match="ascending"):
        nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [1, 0]), shape=(3, 2)).check_format()


def test_csr_rows_slicing_and_rsp_indexing():
    c = nd.array(DENSE).tostype("csr")
    part = c[1:3]
    assert part.stype == "csr" and part.indptr.asnumpy().tolist() == [0, 2, 2]
    assert c[-2].asnumpy().tolist() == [DENSE[1]]
    r = nd.array(DENSE).tostype("row_sparse")
    assert r[:] is r
    with pytest.raises(MXNetError):
        r[1]
    with pytest.raises(MXNetError):
        r.reshape((9,))


# MXNet 1.9.1's storage-type inference (mxref), one row per operator call
STORAGE = [
    ("elemwise_add csr csr", lambda c, r, d: nd.elemwise_add(c, c), "csr"),
    ("elemwise_add rsp rsp", lambda c, r, d: nd.elemwise_add(r, r), "row_sparse"),
    ("elemwise_add csr dns", lambda c, r, d: nd.elemwise_add(c, d), "default"),
    ("elemwise_mul csr dns", lambda c, r, d: nd.elemwise_mul(c, d), "csr"),
    ("dot csr dns", lambda c, r, d: nd.dot(c, d), "default"),
    ("dot csr.T dns", lambda c, r, d: nd.dot(c, d, transpose_a=True), "row_sparse"),
    ("dot dns csr", lambda c, r, d: nd.dot(d, c), "csr"),
    ("abs csr", lambda c, r, d: nd.abs(c), "csr"),
    ("exp csr", lambda c, r, d: nd.exp(c), "default"),
    ("sqrt rsp", lambda c, r, d: nd.sqrt(r), "row_sparse"),
    ("zeros_like rsp", lambda c, r, d: nd.zeros_like(r), "row_sparse"),
    ("c + c", lambda c, r, d: c + c, "csr"),
    ("r + d", lambda c, r, d: r + d, "default"),
    ("c * 2", lambda c, r, d: c * 2, "csr"),
    ("c + 1", lambda c, r, d: c + 1, "default"),
    ("c == 1", lambda c, r, d: c == 1, "csr"),
    ("c >= 0", lambda c, r, d: c >= 0, "default"),
    ("-c", lambda c, r, d: -c, "csr"),
    ("sum csr", lambda c, r, d: nd.sum(c), "default"),
    ("rsp.T", lambda c, r, d: r.T, "default"),
    ("broadcast_add csr rsp", lambda c, r, d: nd.broadcast_add(c, r), "default"),
    ("retain", lambda c, r, d: nd.sparse.retain(r.tostype("row_sparse"), nd.array([1])),
     "row_sparse"),
    ("clip rsp", lambda c, r, d: nd.clip(r, 0, 1), "row_sparse"),
    ("astype csr", lambda c, r, d: c.astype("int32"), "csr"),
    ("r / r", lambda c, r, d: r / r, "default"),
    ("sigmoid csr", lambda c, r, d: nd.sigmoid(c), "default"),
    ("concat csr", lambda c, r, d: nd.concat(c, c, dim=0), "csr"),
    ("slice csr", lambda c, r, d: nd.slice(c, begin=(0, 0), end=(2, 2)), "csr"),
    ("add_n rsp", lambda c, r, d: nd.add_n(r, r), "row_sparse"),
    ("add_n csr", lambda c, r, d: nd.add_n(c, c), "default"),
    ("broadcast_add csr csr", lambda c, r, d: nd.broadcast_add(c, c), "default"),
    ("broadcast_sub rsp rsp", lambda c, r, d: nd.broadcast_sub(r, r), "default"),
    ("broadcast_mul csr dns", lambda c, r, d: nd.broadcast_mul(c, d), "csr"),
    ("broadcast_mul rsp dns", lambda c, r, d: nd.broadcast_mul(r, d), "default"),
    ("elemwise_mul csr rsp", lambda c, r, d: nd.elemwise_mul(c, r), "default"),
    ("d * c", lambda c, r, d: d * c, "default"),
    ("r * d", lambda c, r, d: r * d, "row_sparse"),
    ("c * r", lambda c, r, d: c * r, "default"),
    ("0 - c", lambda c, r, d: 0 - c, "default"),
    ("dot dns csr.T", lambda c, r, d: nd.dot(d, c, transpose_b=True), "csr"),
    ("dot dns.T csr", lambda c, r, d: nd.dot(d, c, transpose_a=True), "default"),
    ("dot csr.T rsp", lambda c, r, d: nd.dot(c, r, transpose_a=True), "row_sparse"),
    ("dot csr.T dns.T", lambda c, r, d: nd.dot(c, d, transpose_a=True, transpose_b=True),
     "default"),
]


@pytest.mark.parametrize("name, fn, stype", STORAGE, ids=[row[0] for row in STORAGE])
def test_storage_type_of_results(name, fn, stype):
    d = nd.array(DENSE)
    out = fn(d.tostype("csr"), d.tostype("row_sparse"), d)
    assert out.stype == stype
    dense = fn(d, d, d)  # the same values as on dense storage
    onp.testing.assert_allclose(out.asnumpy(), dense.asnumpy())


def test_out_of_sparse_storage_and_astype_copy():
    out = nd.zeros((2, 2), stype="csr")
    nd.broadcast_add(nd.ones((2, 2)), nd.ones((2, 2)), out=out)
    assert out.stype == "csr" and out.asnumpy().tolist() == [[2, 2], [2, 2]]
    x = nd.zeros((2, 3), stype="row_sparse", dtype="int32")
    assert x.astype("int32", copy=False) is x and x.astype("int32") is not x


def test_pickle_and_mxnet_file_round_trip(tmp_path):
    loaded = nd.load(str(DATA / "legacy_sparse.nd"))  # written by MXNet 1.9.1
    assert {k: v.stype for k, v in loaded.items()} == {"csr": "csr", "rsp": "row_sparse",
                                                       "empty": "csr"}
    assert loaded["csr"].asnumpy().tolist() == DENSE
    assert loaded["rsp"].indices.asnumpy().tolist() == [0, 2]
    assert loaded["rsp"].asnumpy().tolist() == [[0, 0], [0, 0], [2.5, -1], [0, 0]]
    nd.save(str(tmp_path / "again.nd"), loaded)
    assert (tmp_path / "again.nd").read_bytes() == (DATA / "legacy_sparse.nd").read_bytes()
    back = pickle.loads(pickle.dumps(loaded["rsp"]))
    assert isinstance(back, RowSparseNDArray) and back.indices.asnumpy().tolist() == [0, 2]


def test_gradients_keep_the_storage_type():
    x = nd.ones((4, 2)).tostype("row_sparse")
    x.attach_grad()
    lhs = nd.array([[0, 1, 0, 2], [0, 0, 0, 3]]).tostype("csr")
    with autograd.record():
        y = nd.dot(lhs, x)
    y.backward()
    assert x.grad.stype == "row_sparse"
    onp.testing.assert_allclose(x.grad.asnumpy(), lhs.asnumpy().T @ onp.ones((2, 2)))
    assert x.grad.indices.asnumpy().tolist() == [1, 3]
    d = nd.ones((1, 1))
    d.attach_grad(stype="csr")
    assert d.grad.stype == "csr" and x.detach().stype == "row_sparse"


def test_unary_and_scalar_results_store_where_the_input_does():
    c = nd.array([[0.0, -1.0, 2.0], [0.0, 0.0, 0.0]]).tostype("csr")
    relu = nd.relu(c)  # MXNet keeps the stored entry relu turned into 0
    assert relu.data.asnumpy().tolist() == [0.0, 2.0] and relu.indices.asnumpy().tolist() == [1, 2]
    gt = c > 1
    assert gt.stype == "csr" and gt.data.asnumpy().tolist() == [0.0, 1.0]
    r = nd.array([[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]]).tostype("row_sparse")
    q = r / 0  # NaN where stored, 0 elsewhere (mxref)
    assert q.stype == "row_sparse" and q.indices.asnumpy().tolist() == [0, 2]
    onp.testing.assert_array_equal(q.asnumpy()[1], [0.0, 0.0])
    assert onp.isnan(q.asnumpy()[0, 1])
    assert (r * nd.zeros((3, 2))).indices.asnumpy().tolist() == [0, 2]


def test_sparse_only_rules_and_errors():
    c = nd.array(DENSE).tostype("csr")
    r = nd.array(DENSE).tostype("row_sparse")
    with pytest.raises(MXNetError):
        nd.clip(r, 0.5, 1.0)  # MXNet has no kernel for clip(0) != 0
    assert nd.clip(c, -1, 1).stype == "csr"
    with pytest.raises(ValueError):
        c.tostype("row_sparse")
    with pytest.raises(MXNetError):
        nd.cast_storage(r, stype="csr")
    with pytest.raises(TypeError):
        c.copyto(nd.zeros((3, 3), stype="row_sparse"))
    kept = nd.sparse.retain(r, nd.array([0, 1]))  # row 0 is not stored, yet retained
    assert kept.indices.asnumpy().tolist() == [0, 1]
    assert kept.asnumpy().tolist() == [DENSE[0], DENSE[1]] + [[0.0] * 3]
    assert nd.sparse.retain(nd.sparse.zeros("row_sparse", (3, 2)), nd.array([1])).indices \
        .shape == (0,)
    rows = nd._internal._square_sum(r, axis=1, keepdims=True)
    assert rows.stype == "row_sparse" and rows.asnumpy().ravel().tolist() == [1.0, 13.0, 0.0]
    cols = nd._internal._square_sum(r, axis=0)
    assert cols.stype == "default" and cols.asnumpy().tolist() == [4.0, 1.0, 9.0]
    with pytest.raises(MXNetError):
        nd._internal._square_sum(r, axis=-1)


# mx.nd.sparse's update operators on a row_sparse grad (rows 0 and 2 stored): mxref values
W = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
G = [[0.5, 0.0], [0.0, 0.0], [1.0, -1.0]]


@pytest.mark.parametrize("stype", ["default", "row_sparse"])
@pytest.mark.parametrize("op, lazy, expected", [
    ("sgd", True, [0.94, 1.98, 3.0, 4.0, 4.85, 6.04]),
    ("sgd", False, [0.94, 1.98, 2.97, 3.96, 4.85, 6.04]),
    ("mom", True, [1.39, 2.43, 3.0, 4.0, 5.3, 6.49]),
    ("mom", False, [1.39, 2.43, 3.42, 4.41, 5.3, 6.49]),
    ("adam", True, [0.92787, 1.9335, 3.0, 4.0, 4.9153, 5.942]),
    ("adam", False, [0.92787, 1.9335, 2.93209, 3.93068, 4.9153, 5.942]),
    ("adagrad", None, [0.94226, 2.0, 3.0, 4.0, 4.91835, 6.08165]),
])
def test_sparse_update_operators(stype, op, lazy, expected):
    w = nd.array(W).tostype(stype)
    g = nd.array(G).tostype("row_sparse")
    state = [nd.full((3, 2), 0.5).tostype(stype) for _ in range(2)]
    kw = {"lr": 0.1, "out": w}
    if op == "sgd":
        nd.sparse.sgd_update(w, g, wd=0.1, lazy_update=lazy, **kw)
    elif op == "mom":
        nd.sparse.sgd_mom_update(w, g, state[0], momentum=0.9, wd=0.1, lazy_update=lazy, **kw)
    elif op == "adam":
        nd.sparse.adam_update(w, g, *state, wd=0.1, lazy_update=lazy, **kw)
    else:
        nd.sparse.adagrad_update(w, g, state[0], epsilon=1e-7, **kw)
    assert w.stype == stype
    onp.testing.assert_allclose(w.asnumpy().ravel(), expected, rtol=1e-5)


@pytest.mark.parametrize("stype, row1", [("default", -0.02854), ("row_sparse", 3.0)])
def test_ftrl_update_is_lazy_for_a_row_sparse_weight(stype, row1):
    w = nd.array(W).tostype(stype)
    z, n = (nd.full((3, 2), 0.5).tostype(stype) for _ in range(2))
    nd.sparse.ftrl_update(w, nd.array(G).tostype("row_sparse"), z, n, lr=0.1, wd=0.1, out=w)
    onp.testing.assert_allclose(w.asnumpy()[1, 0], row1, rtol=1e-3)
    onp.testing.assert_allclose(w.asnumpy()[0], [0.03087, -0.02854], rtol=1e-3)


@pytest.mark.parametrize("opt, kwargs", [
    ("sgd", {"momentum": 0.9, "wd": 0.1}), ("adam", {"wd": 0.1}), ("adagrad", {}),
    ("ftrl", {}), ("sgd", {"momentum": 0.9, "wd": 0.1, "lazy_update": False}),
])
def test_lazy_updates_touch_only_the_gradients_rows(opt, kwargs):
    o = optimizer.create(opt, learning_rate=0.1, **kwargs)
    weight = nd.ones((3, 2))
    grad = nd.sparse.row_sparse_array(([[1.0, 2.0]], [1]), shape=(3, 2))
    state = o.create_state(0, weight)
    dense_w, dense_state = weight.copy(), o.create_state(0, weight)
    o.update(0, weight, grad, state)
    optimizer.create(opt, learning_rate=0.1, **kwargs).update(
        0, dense_w, grad.tostype("default"), dense_state)
    # MXNet's Ftrl is lazy only for a row_sparse weight: a dense one takes the dense kernel
    # (a storage fallback), which updates every row
    lazy = kwargs.get("lazy_update", opt != "ftrl")
    # the stored row is the dense update's; the others are untouched when lazy
    onp.testing.assert_allclose(weight.asnumpy()[1], dense_w.asnumpy()[1], rtol=1e-6)
    expected_rest = onp.ones((2, 2)) if lazy else dense_w.asnumpy()[[0, 2]]
    onp.testing.assert_allclose(weight.asnumpy()[[0, 2]], expected_rest, rtol=1e-6)


def test_row_sparse_parameter_trains_through_the_store():
    x = gluon.Parameter("x", shape=(4, 1), stype="row_sparse", grad_stype="row_sparse")
    x.initialize(ctx=[mxnp.cpu(0), mxnp.cpu(1)], init="zeros")
    with pytest.raises(RuntimeError, match="row_sparse_data"):
        x.data()
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 0.1})
    rows = nd.array([0, 2])
    ws = x.list_row_sparse_data(rows)
    assert [w.stype for w in ws] == ["row_sparse"] * 2
    with autograd.record():
        for w in ws:
            (w + 1).backward()
    assert x.grad(mxnp.cpu(0)).stype == "row_sparse"
    trainer.step(1)
    assert trainer._update_on_kvstore is True and x._trainer is trainer
    # every row got a gradient of 1 from each context; the pulled rows show the update
    got = x.row_sparse_data(nd.arange(0, 4))
    assert got.asnumpy().ravel().tolist() == pytest.approx([-0.2] * 4)
    with pytest.raises(RuntimeError, match="More than one trainers"):
        gluon.Trainer([x], "sgd")


def test_sparse_grad_parameter_updates_locally_on_one_device():
    x = gluon.Parameter("x", shape=(3, 2), grad_stype="row_sparse")
    x.initialize(ctx=mxnp.cpu(0), init="ones")
    trainer = gluon.Trainer([x], "sgd", {"learning_rate": 1.0, "wd": 0.5})
    with autograd.record():
        (x.data() * nd.array([[0], [1], [0]])).sum().backward()
    trainer.step(1)
    assert trainer._kvstore is None and trainer._update_on_kvstore is None
    # lazy SGD: only row 1 (the gradient's row) is decayed and stepped
    assert x.data().asnumpy().tolist() == [[1, 1], [-0.5, -0.5], [1, 1]]


def test_ndarray_iter_with_csr_data():
    data = nd.array(onp.eye(5, 3)).tostype("csr")
    with pytest.raises(NotImplementedError, match="discard"):
        mxnp.io.NDArrayIter(data, batch_size=2)
    batches = list(mxnp.io.NDArrayIter(data, batch_size=2, last_batch_handle="discard"))
    assert len(batches) == 2 and batches[0].data[0].stype == "csr"
    assert batches[1].data[0].asnumpy().tolist() == onp.eye(5, 3)[2:4].tolist()


def test_binary_results_store_where_either_input_does():
    x = nd.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]).tostype("row_sparse")
    y = nd.array([[0.0, 0.0], [0.0, 0.0], [2.0, 0.0]]).tostype("row_sparse")
    assert (x * y).indices.asnumpy().tolist() == [0, 2]  # mxref: the union, products 0
    assert nd._internal._maximum(x, y).stype == "row_sparse"
    assert nd.elemwise_sub(x, x).indices.asnumpy().tolist() == [0]


def test_executors_bind_sparse_arrays_and_give_sparse_gradients():
    from mxnp import symbol as sym
    from mxnp.test_utils import check_symbolic_backward, check_symbolic_forward

    dense = onp.array([[0.0, 4.0], [9.0, 0.0]], dtype="float32")
    data = sym.Variable("data", stype="csr")
    out = check_symbolic_forward(sym.sqrt(data), {"data": nd.array(dense).tostype("csr")},
                                 [onp.sqrt(dense)])
    assert out[0].stype == "csr"
    r = sym.Variable("r", stype="row_sparse")
    loc = {"r": nd.array(dense).tostype("row_sparse")}
    grads = check_symbolic_backward(r * 3, loc, [onp.ones((2, 2))], [onp.full((2, 2), 3.0)],
                                    grad_stypes={"r": "row_sparse"})
    assert grads["r"].stype == "row_sparse"
    exe = sym.sqrt(r).simple_bind(mxnp.cpu(), r=(2, 2))
    assert exe.arg_dict["r"].stype == exe.grad_dict["r"].stype == "row_sparse"
    emb = sym.Embedding(sym.Variable("d"), sym.Variable("w"), input_dim=4, output_dim=2,
                        sparse_grad=True)
    assert emb.simple_bind(mxnp.cpu(), d=(3,)).grad_dict["w"].stype == "row_sparse"
    assert sym.elemwise_add(r, r, out=r).list_arguments() == ["r"]  # out= is ignored


def test_retain_scatter_quadratic_and_slice_operators():
    from mxnp import symbol as sym

    r = nd.array([[1.0, 2.0], [0.0, 0.0], [3.0, 4.0]]).tostype("row_sparse")
    exe = sym.sparse.retain(sym.Variable("data"), sym.Variable("indices")).bind(
        mxnp.cpu(), args={"data": r, "indices": nd.array([0, 1])},
        args_grad={"data": nd.zeros((3, 2)).tostype("row_sparse")},
        grad_req={"data": "write", "indices": "null"})
    exe.forward(is_train=True)
    exe.backward([nd.ones((3, 2))])
    assert exe.grad_dict["data"].asnumpy().tolist() == [[1, 1], [1, 1], [0, 0]]
    plus = nd._internal._scatter_plus_scalar(r, scalar=1.0)  # only where r stores
    assert plus.stype == "row_sparse"
    assert plus.asnumpy().tolist() == [[2, 3], [0, 0], [4, 5]]
    c = nd.array(DENSE).tostype("csr")
    assert nd.contrib.quadratic(c, a=1.0, b=1.0, c=0.0).stype == "csr"
    assert nd.contrib.quadratic(c, a=1.0, b=1.0, c=1.0).stype == "default"
    assert nd.crop(c, begin=1, end=3).asnumpy().tolist() == DENSE[1:3]


def test_digamma_is_plus_infinity_at_its_poles():
    x = nd.array([0.0, -1.0, 0.5])
    x.attach_grad()
    with autograd.record():
        y = nd.gammaln(x)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), [onp.inf, onp.inf, -1.9635108], rtol=1e-5)
