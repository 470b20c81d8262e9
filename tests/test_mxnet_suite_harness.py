"""The modules MXNet's own unit tests import beside ``test_utils``: ``numpy_dispatch_protocol``
(the lists of NumPy functions and ufuncs that reach mxnp's ops) and ``operator``."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import np, numpy_dispatch_protocol, operator
from mxnp._ops import interop


def test_array_function_list_names_numpy_functions_that_return_mxnp_arrays():
    names = numpy_dispatch_protocol._NUMPY_ARRAY_FUNCTION_LIST
    assert len(names) == len(set(names)) == 102  # MXNet's 105 less round_, product, sometrue
    assert {"concatenate", "linalg.norm", "einsum", "pad"} <= set(names)
    for name in names:
        module, _, attr = name.rpartition(".")
        func = getattr(onp.linalg if module else onp, attr)
        assert func in interop.FUNCTIONS, name
    x = np.array([[3.0, 4.0]])
    assert isinstance(onp.linalg.norm(x), np.ndarray)
    assert isinstance(onp.concatenate([x, x]), np.ndarray)


def test_array_ufunc_list_names_ufuncs_with_an_mxnp_op():
    names = numpy_dispatch_protocol._NUMPY_ARRAY_UFUNC_LIST
    assert len(names) == 57
    for name in names:
        assert isinstance(getattr(onp, name), onp.ufunc), name
        assert interop.ufunc_op(getattr(onp, name).__name__) is not None, name
    out = onp.add(np.ones(2), np.ones(2))
    assert isinstance(out, np.ndarray) and out.asnumpy().tolist() == [2.0, 2.0]


def test_protocol_decorators_run_the_function_and_name_the_protocol_on_failure():
    @numpy_dispatch_protocol.with_array_function_protocol
    def fine():
        return 3

    @numpy_dispatch_protocol.with_array_ufunc_protocol
    def broken():
        raise ValueError("bad shape")

    assert fine() == 3 and fine.__name__ == "fine"
    with pytest.raises(RuntimeError, match="broken with NumPy array ufunc protocol failed "
                                           "with exception bad shape"):
        broken()


def test_registered_operators_are_mxnets_1x_operators_and_the_primitives_by_name():
    names = operator.get_all_registered_operators()
    assert names == sorted(names) and {"sum", "relu", "matmul"} <= set(names)
    # MXNet's test_operator looks for its 1.x operators in the list
    assert {"Activation", "FullyConnected", "Convolution"} <= set(names)
    assert not [n for n in names if n.startswith("_np_")]  # MXNet's C++ names do not exist


def test_storage_type_tables_are_mxnets():
    # MXNet's test_gluon imports the table at module level (values from MXNet 1.9.1, mxref)
    from mxnp.ndarray.ndarray import _STORAGE_TYPE_ID_TO_STR, _STORAGE_TYPE_STR_TO_ID
    assert _STORAGE_TYPE_STR_TO_ID == {"undefined": -1, "default": 0, "row_sparse": 1, "csr": 2}
    assert _STORAGE_TYPE_ID_TO_STR == {-1: "undefined", 0: "default", 1: "row_sparse", 2: "csr"}
