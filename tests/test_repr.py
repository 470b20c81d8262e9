"""repr / str / format of ndarray, as MXNet 1.9.1 prints them (reference section 1).

repr is NumPy's repr of the host copy with the dtype suffix dropped for float32 and bool and
added for every other dtype (int64 included); str is NumPy's str.
"""
from __future__ import annotations

import pytest

from mxnp import np

try:
    from IPython.lib.pretty import pretty as display
except ImportError:  # the notebook display of a tuple is its repr when IPython is absent
    display = repr


@pytest.mark.parametrize("make, text", [
    (lambda: np.array([1.5, -2, 3]), "array([ 1.5, -2. ,  3. ])"),
    (lambda: np.array([0.1, 0.25, 1 / 3]), "array([0.1       , 0.25      , 0.33333334])"),
    (lambda: np.array([True, False], dtype=bool), "array([ True, False])"),
    (lambda: np.array([True, False]), "array([1., 0.])"),  # Python bools become float32
])
def test_repr_float32_and_bool_have_no_dtype_suffix(make, text):
    assert repr(make()) == text


@pytest.mark.parametrize("dtype, text", [
    ("float64", "array([1., 2., 3.], dtype=float64)"),
    ("float16", "array([1., 2., 3.], dtype=float16)"),
    ("int32", "array([1, 2, 3], dtype=int32)"),
    ("int64", "array([1, 2, 3], dtype=int64)"),  # NumPy omits int64's suffix; MXNet adds it
    ("int8", "array([1, 2, 3], dtype=int8)"),
    ("uint8", "array([1, 2, 3], dtype=uint8)"),
])
def test_repr_other_dtypes_have_a_dtype_suffix(dtype, text):
    assert repr(np.array([1, 2, 3], dtype=dtype)) == text


def test_repr_uint8_aligns_columns():
    assert repr(np.array([1, 2, 255], dtype="uint8")) == "array([  1,   2, 255], dtype=uint8)"


def test_repr_0d():
    assert repr(np.array(3.5)) == "array(3.5)"
    assert repr(np.array(3, dtype="int32")) == "array(3, dtype=int32)"
    assert repr(np.array(3, dtype="int64")) == "array(3, dtype=int64)"
    assert repr(np.array(True)) == "array(1.)"  # a Python bool becomes float32
    assert repr(np.array(True, dtype=bool)) == "array(True)"


def test_repr_empty_shows_shape_unless_1d():
    assert repr(np.array([])) == "array([])"
    assert repr(np.zeros((0, 3))) == "array([], shape=(0, 3))"
    assert repr(np.zeros((2, 0), dtype="int32")) == "array([], shape=(2, 0), dtype=int32)"
    assert repr(np.zeros((0, 3), dtype="int64")) == "array([], shape=(0, 3), dtype=int64)"


def test_repr_2d_layout():
    assert repr(np.arange(6).reshape(2, 3)) == ("array([[0., 1., 2.],\n"
                                                "       [3., 4., 5.]])")
    assert repr(np.array([[1.5, -2], [3, 4]], dtype="float64")) == (
        "array([[ 1.5, -2. ],\n"
        "       [ 3. ,  4. ]], dtype=float64)")


def test_repr_3d_layout_has_blank_line_between_blocks():
    assert repr(np.arange(12).reshape(2, 3, 2)) == (
        "array([[[ 0.,  1.],\n"
        "        [ 2.,  3.],\n"
        "        [ 4.,  5.]],\n"
        "\n"
        "       [[ 6.,  7.],\n"
        "        [ 8.,  9.],\n"
        "        [10., 11.]]])")


def test_repr_wrapped_lines_follow_numpy():
    assert repr(np.arange(30).reshape(3, 10)) == (
        "array([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9.],\n"
        "       [10., 11., 12., 13., 14., 15., 16., 17., 18., 19.],\n"
        "       [20., 21., 22., 23., 24., 25., 26., 27., 28., 29.]])")


def test_repr_nan_and_inf():
    x = np.array([float("nan"), float("inf"), -float("inf"), 0.0])
    assert repr(x) == "array([ nan,  inf, -inf,   0.])"
    assert str(x) == "[ nan  inf -inf   0.]"


def test_repr_scientific_notation():
    assert repr(np.array([1e-8, 1.0, 1e8])) == "array([1.e-08, 1.e+00, 1.e+08])"


def test_repr_1000_elements_printed_in_full():
    text = repr(np.arange(1000))
    assert "..." not in text
    assert len(text) == 6637  # as MXNet printed it


def test_repr_summarises_above_1000_elements_without_shape():
    # NumPy >= 2.2 would append ", shape=(1001,)"; MXNet (NumPy 1.x) does not
    assert repr(np.arange(1001)) == "array([   0.,    1.,    2., ...,  998.,  999., 1000.])"
    assert repr(np.arange(2000)) == ("array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, "
                                     "1.998e+03,\n       1.999e+03])")
    assert repr(np.arange(1001, dtype="int32")) == (
        "array([   0,    1,    2, ...,  998,  999, 1000], dtype=int32)")
    assert repr(np.arange(2000, dtype="int64")) == (
        "array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int64)")


def test_repr_summarises_2d_rows_and_columns():
    assert repr(np.ones((100, 100), dtype="int64")) == (
        "array([[1, 1, 1, ..., 1, 1, 1],\n"
        "       [1, 1, 1, ..., 1, 1, 1],\n"
        "       [1, 1, 1, ..., 1, 1, 1],\n"
        "       ...,\n"
        "       [1, 1, 1, ..., 1, 1, 1],\n"
        "       [1, 1, 1, ..., 1, 1, 1],\n"
        "       [1, 1, 1, ..., 1, 1, 1]], dtype=int64)")


def test_str_is_numpy_str():
    assert str(np.array([1.5, -2, 3])) == "[ 1.5 -2.   3. ]"
    assert str(np.array([1, 2, 3], dtype="int32")) == "[1 2 3]"
    assert str(np.array([True, False], dtype=bool)) == "[ True False]"
    assert str(np.array(3.5)) == "3.5"
    assert str(np.zeros((0, 3))) == "[]"
    assert str(np.arange(6).reshape(2, 3)) == "[[0. 1. 2.]\n [3. 4. 5.]]"
    assert str(np.arange(1001)) == "[   0.    1.    2. ...  998.  999. 1000.]"


def test_repr_cpu_context_is_not_shown():
    import mxnp

    assert repr(np.ones(3, ctx=mxnp.cpu(5))) == "array([1., 1., 1.])"


def test_repr_tuple_display():
    x = np.arange(4)
    assert display((x * 2., x ** 2, x)) == (
        "(array([0., 2., 4., 6.]), array([0., 1., 4., 9.]), array([0., 1., 2., 3.]))")
    assert display((np.array([1., 2.]), np.array([3, 4], dtype="int32"))) == (
        "(array([1., 2.]), array([3, 4], dtype=int32))")


def test_repr_inside_containers():
    assert str([np.array([1., 2.])]) == "[array([1., 2.])]"
    assert str((np.array([1., 2.]), np.array([3, 4], dtype="int32"))) == (
        "(array([1., 2.]), array([3, 4], dtype=int32))")


def test_format_0d_formats_like_its_scalar():
    assert format(np.array(2.5), ".2f") == "2.50"
    assert "%.2f" % np.array(1.234) == "1.23"
    x = np.array(2.5)
    assert "%s %r" % (x, x) == "2.5 array(2.5)"


def test_format_empty_spec_is_str():
    x = np.array([1., 2.])
    assert f"{x}" == "[1. 2.]"
    assert format(x, "") == "[1. 2.]"


def test_format_spec_on_nd_array_raises_type_error():
    with pytest.raises(TypeError, match="format"):
        format(np.array([2.5]), ".2f")


def test_str_formats_as_mxnets_numpy_1x():
    # MXNet 1.9.1 (mxref, NumPy 1.23): print() of float16 values >= 1e3 and of 0-d floats >= 1e8
    # stays positional, where NumPy 2's own str goes scientific (1.108e+03, -9.116255e+08)
    assert str(np.array([[1108.0]], dtype="float16")) == "[[1108.]]"
    assert str(np.array(-911625500.0, dtype="float32")) == "-911625500.0"
    assert str(np.array([1e9], dtype="float32")) == "[1.e+09]"
    assert str(np.array(1e-9, dtype="float32")) == "1e-09"
