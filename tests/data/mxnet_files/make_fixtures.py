"""Write the MXNet-made fixtures of tests/test_save_load.py (run with MXNet 1.9.1, see README)."""
import sys

import mxnet as mx
import numpy as onp

assert mx.__version__ == "1.9.1", mx.__version__
out = sys.argv[1] if len(sys.argv) > 1 else "."

# legacy files first: mx.nd.save outside NumPy semantics writes the older array magic
mx.nd.save(f"{out}/legacy_list.nd", [mx.nd.array([1.5, -2.0]),
                                    mx.nd.array([[3, 4, 5]], dtype="int32")])
mx.nd.save(f"{out}/legacy_dict.nd", {"arg:dense0_weight": mx.nd.array([[0.25, -1.0]]),
                                    "aux:bn_moving_var": mx.nd.array([2.0], dtype="float64")})
# sparse arrays (legacy face): a csr and a row_sparse array made from their components (the
# row_sparse one keeps an explicitly stored zero row), and an empty csr
mx.nd.save(f"{out}/legacy_sparse.nd", {
    "csr": mx.nd.sparse.csr_matrix(([1.0, 2.0, 3.0], [1, 0, 2], [0, 1, 3, 3]), shape=(3, 3)),
    "rsp": mx.nd.sparse.row_sparse_array(([[0.0, 0.0], [2.5, -1.0]], [0, 2]), shape=(4, 2)),
    "empty": mx.nd.sparse.zeros("csr", (2, 2)),
})

from mxnet import np, npx  # noqa: E402

npx.set_np()
npx.save(f"{out}/single.nd", np.array([1.0, 2.0, 3.5], dtype="float32"))
npx.save(f"{out}/list_dtypes.nd", [
    np.array(onp.array([0.5, -1.25, 3.0e38], dtype="float32")),
    np.array(onp.array([[1.0e-300], [-2.5]], dtype="float64")),
    np.array(onp.array([65504.0, -0.5, 0.0], dtype="float16")),
    np.array(onp.array([-128, 127], dtype="int8")),
    np.array(onp.array([-2147483648, 7], dtype="int32")),
    np.array(onp.array(-9007199254740993, dtype="int64")),
    np.array(onp.array([0, 255], dtype="uint8")),
    np.array(onp.array([True, False, True], dtype="bool")),
])
npx.save(f"{out}/dict_shapes.nd", {
    "dense0.weight": np.arange(24, dtype="float32").reshape(2, 3, 4),
    "scalar": np.array(7.0, dtype="float64"),
    "empty": np.zeros((2, 0, 3), dtype="float32"),
    "empty1d": np.zeros((0,), dtype="int64"),
    "nom\u00e9": np.array([1, 2], dtype="uint8"),
})
npx.save(f"{out}/empty_list.nd", [])
