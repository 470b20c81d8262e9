"""The ndarray object: attributes, conversions, reshape, operators, Python protocols and NumPy
interop (reference sections 3.1-3.6 and 3.9). Indexing lives in test_indexing.py."""
from __future__ import annotations

import copy
import math
import operator
import pickle

import numpy as onp
import pytest

import mxnp
from mxnp import np
from mxnp.base import MXNetError
from tests.helpers import shares_memory


# ---- attributes -----------------------------------------------------------------------------
def test_ndarray_shape_size_ndim_are_python_ints():
    x = np.arange(6).reshape(2, 3)
    assert x.shape == (2, 3) and all(type(s) is int for s in x.shape)
    assert x.size == 6 and type(x.size) is int
    assert x.ndim == 2 and type(x.ndim) is int


def test_ndarray_dtype_is_numpy_dtype():
    assert np.ones(2).dtype == onp.dtype("float32")
    assert np.ones(2).dtype.name == "float32"


def test_ndarray_is_not_a_numpy_subclass():
    assert not isinstance(np.ones(2), onp.ndarray)


def test_ndarray_T_is_a_transposed_copy():
    x = np.arange(6).reshape(2, 3)
    t = x.T
    assert t.tolist() == [[0., 3.], [1., 4.], [2., 5.]]
    assert np.ones((2, 3, 4)).T.shape == (4, 3, 2)
    assert np.ones(3).T.shape == (3,)
    assert not shares_memory(t, x)


def test_ndarray_ctx_context_device_are_cpu0():
    x = np.ones(2)
    for ctx in (x.ctx, x.context, x.device):
        assert ctx == mxnp.cpu()
        assert str(ctx) == repr(ctx) == "cpu(0)"
        assert ctx.device_type == "cpu" and ctx.device_id == 0


def test_ndarray_ctx_follows_creation_ctx():
    assert np.ones(2, ctx=mxnp.cpu(1)).ctx == mxnp.cpu(1)


# ---- conversion and copies --------------------------------------------------------------------
def test_asnumpy_is_an_independent_writable_numpy_array():
    x = np.array([1., 2.])
    a = x.asnumpy()
    assert type(a) is onp.ndarray and a.dtype == onp.float32 and a.flags.writeable
    a[0] = 100
    assert x.tolist() == [1., 2.]
    assert np.array([True, False], dtype=bool).asnumpy().dtype == onp.bool_


def test_item_returns_a_python_scalar():
    assert np.array(5.5).item() == 5.5 and type(np.array(5.5).item()) is float
    assert type(np.array(3, dtype="int32").item()) is int
    assert np.array(True, dtype=bool).item() is True
    assert np.array([7.0]).item() == 7.0
    assert np.arange(6).reshape(2, 3).item(1) == 1.0  # a flat index


def test_item_of_many_elements_raises_value_error():
    with pytest.raises(ValueError, match="size 1"):
        np.ones(2).item()


def test_tolist_gives_nested_python_values():
    assert np.arange(4).reshape(2, 2).tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert np.array([[1, 2]], dtype="int32").tolist() == [[1, 2]]
    assert np.array(2.5).tolist() == 2.5
    assert type(np.array([1, 2], dtype="int32").tolist()[0]) is int


def test_astype_returns_a_new_array_unless_copy_false_and_same_dtype():
    x = np.array([1., 2.])
    y = x.astype("int32")
    assert y.dtype == onp.int32 and y.tolist() == [1, 2]
    assert x.astype("float32") is not x
    assert not shares_memory(x.astype("float32"), x)
    assert x.astype("float32", copy=False) is x
    assert x.astype(onp.float64).dtype == onp.float64
    assert x.astype(bool).dtype == onp.bool_


def test_copy_is_independent():
    x = np.array([1., 2.])
    y = x.copy()
    assert y is not x and y.tolist() == [1., 2.]
    assert not shares_memory(y, x)


def test_copyto_array_writes_and_returns_it():
    x = np.arange(6).reshape(2, 3)
    y = np.zeros((2, 3))
    assert x.copyto(y) is y
    assert y.tolist() == x.tolist()
    assert not shares_memory(y, x)


def test_copyto_wrong_shape_raises():
    with pytest.raises(MXNetError):
        np.arange(6).reshape(2, 3).copyto(np.zeros((3, 2)))


@pytest.mark.parametrize("ctx", [mxnp.cpu(), mxnp.cpu(1)])
def test_copyto_device_gives_a_new_array(ctx):
    x = np.array([1., 2.])
    y = x.copyto(ctx)
    assert y is not x and y.ctx == ctx and y.tolist() == [1., 2.]
    assert not shares_memory(y, x)


def test_as_in_ctx_same_device_returns_itself():
    x = np.ones(2)
    assert x.as_in_ctx(mxnp.cpu()) is x
    assert x.as_in_ctx(mxnp.cpu(0)) is x


def test_as_in_ctx_other_device_copies():
    x = np.array([1., 2.])
    y = x.as_in_ctx(mxnp.cpu(1))
    assert y.ctx == mxnp.cpu(1) and y.tolist() == [1., 2.]
    assert not shares_memory(y, x)


def test_as_in_context_warns_and_returns_a_new_array():
    x = np.array([1., 2.])
    with pytest.warns(DeprecationWarning, match="as_in_ctx") as caught:
        y = x.as_in_context(mxnp.cpu())
    # attributed to mxnp, as MXNet's to its own module: the default filters hide it
    assert "mxnp" in caught[0].filename and caught[0].filename != __file__
    assert y is not x and y.tolist() == [1., 2.]
    assert shares_memory(y, x)  # as MXNet: a new object over the same memory


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy,
                                   lambda x: pickle.loads(pickle.dumps(x))])
def test_copy_module_and_pickle_give_ndarrays(clone):
    x = np.array([1, 2], dtype="int32")
    y = clone(x)
    assert type(y) is type(x) and y is not x
    assert y.dtype == onp.int32 and y.tolist() == [1, 2]


# ---- reshape --------------------------------------------------------------------------------
@pytest.mark.parametrize("args, shape", [((3, 2), (3, 2)), (((3, 2),), (3, 2)), ((-1,), (6,)),
                                         ((-1, 2), (3, 2)), ((3, -1), (3, 2)), ((6,), (6,))])
def test_reshape_like_numpy(args, shape):
    x = np.arange(6).reshape(2, 3)
    assert x.reshape(*args).shape == shape
    assert x.reshape(*args).tolist() == onp.arange(6.).reshape(shape).tolist()


def test_reshape_is_a_copy_not_a_view():
    x = np.arange(6).reshape(2, 3)
    assert not shares_memory(x.reshape(3, 2), x)
    assert not shares_memory(x.reshape(-1), x)


@pytest.mark.parametrize("args", [(-1, -1), (-2,), ((-3,),), (-4, 6), (0, -1), (4, 2)])
def test_reshape_invalid_shapes_raise(args):
    with pytest.raises(MXNetError):
        np.arange(6).reshape(2, 3).reshape(*args)


def test_reshape_order_f_is_not_implemented():
    with pytest.raises(NotImplementedError, match="C-order"):
        np.arange(6).reshape(2, 3).reshape(6, order="F")


# ---- Python protocols (reference 3.5) -----------------------------------------------------------
def test_len_is_the_first_axis():
    assert len(np.ones((2, 3))) == 2
    assert len(np.zeros((0, 2))) == 0


def test_len_of_0d_raises_type_error():
    with pytest.raises(TypeError, match="unsized"):
        len(np.array(3.0))


def test_iter_yields_ndarray_rows_and_0d_elements():
    rows = list(np.arange(6).reshape(2, 3))
    assert [type(r) for r in rows] == [np.ndarray] * 2
    assert [r.tolist() for r in rows] == [[0., 1., 2.], [3., 4., 5.]]
    items = list(np.arange(3))
    assert [(type(i), i.shape) for i in items] == [(np.ndarray, ())] * 3
    assert sum(np.arange(3.)).tolist() == 3.0


def test_iter_of_0d_raises_type_error():
    # MXNet silently yields nothing here; NumPy raises, and so do we
    with pytest.raises(TypeError):
        iter(np.array(1.0))


@pytest.mark.parametrize("x, truth", [(np.array([0.]), False), (np.array([2.]), True),
                                      (np.array(0.), False), (np.array([[0.]]), False),
                                      (np.array(3.) > 2, True)])
def test_bool_of_one_element(x, truth):
    assert bool(x) is truth


def test_bool_of_empty_warns_and_is_false():
    with pytest.warns(DeprecationWarning, match="empty"):
        assert bool(np.array([])) is False


def test_bool_of_many_elements_raises_value_error():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(np.array([1., 2.]))


def test_float_and_int_of_one_element():
    assert float(np.array(2.5)) == 2.5 and float(np.array([2.5])) == 2.5
    assert float(np.array(3, dtype="int32")) == 3.0
    assert int(np.array(2.7)) == 2 and int(np.array(-2.7)) == -2  # toward zero
    assert int(np.array([3.])) == 3
    assert complex(np.array(1.5)) == 1.5 + 0j
    assert math.sqrt(np.array(4.)) == 2.0


@pytest.mark.parametrize("convert", [float, int])
def test_float_and_int_of_many_elements_raise_type_error(convert):
    with pytest.raises(TypeError, match="size-1"):
        convert(np.array([1., 2.]))


def test_ndarray_is_not_an_index():
    x = np.array(1, dtype="int32")
    with pytest.raises(TypeError):
        [10, 20, 30][x]
    with pytest.raises(TypeError):
        operator.index(np.array(2, dtype="int64"))


# ---- NumPy interop (reference 3.6) -------------------------------------------------------------
def test_numpy_asarray_gives_a_numeric_array():
    # MXNet gives an object array of 0-d arrays here; a numeric array is what users want
    a = onp.asarray(np.array([[1., 2.], [3., 4.]]))
    assert type(a) is onp.ndarray and a.dtype == onp.float32
    assert a.tolist() == [[1., 2.], [3., 4.]]
    assert onp.array(np.array([1, 2], dtype="int32"), dtype=float).dtype == onp.float64


def test_numpy_array_of_an_ndarray_is_a_copy():
    x = np.array([1., 2.])
    a = onp.array(x)
    a[0] = 100
    assert x.tolist() == [1., 2.]


def test_numpy_ufunc_returns_an_mxnp_array():
    x = np.array([0., 1.])
    for result in (onp.exp(x), onp.add(x, 1), onp.float32(2) * x):
        assert type(result) is np.ndarray and result.dtype == onp.float32
    assert onp.exp(x).tolist() == pytest.approx([1.0, math.e])
    assert onp.allclose(x, x) and onp.array_equal(x, x)


# ---- parity sweep: values MXNet 1.9.1 printed -------------------------------------------------
def test_negating_a_bool_array_gives_int64_as_mxnet():
    # MXNet computes -x as x * -1; np.negative itself still refuses bool (as NumPy)
    y = -np.array([True, False, True], dtype=bool)
    assert y.dtype == onp.int64 and y.tolist() == [-1, 0, -1]


def test_inplace_ops_follow_numpys_same_kind_rule():
    b = np.array([True, False], dtype=bool)
    with pytest.raises(TypeError, match="int64 result into a bool array"):
        b += 1  # MXNet: MXNetError "Type inconsistent"; NumPy: cannot cast int64 to bool
    assert b.tolist() == [True, False]
    i = np.array([3, 4], dtype="int32")
    i -= np.ones(2, dtype="int64")
    assert i.dtype == onp.int32 and i.tolist() == [2, 3]


@pytest.mark.parametrize("make", [
    lambda: np.zeros(3, order="F"), lambda: np.ones(3, order="F"),
    lambda: np.empty(3, order="F"), lambda: np.full(3, 1.0, order="F"),
    lambda: np.zeros(3, order="K"), lambda: np.zeros_like(np.ones(2), order="F"),
    lambda: np.ones_like(np.ones(2), order="F"), lambda: np.empty_like(np.ones(2), order="F"),
])
def test_creation_refuses_orders_other_than_c_as_mxnet(make):
    with pytest.raises(NotImplementedError, match="order"):
        make()
