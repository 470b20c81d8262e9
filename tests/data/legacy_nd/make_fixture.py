"""Writes nd_save.nd with the real MXNet 1.9.1 (run by tools/mxref, see README.md here).

mxref's preamble turns numpy mode on, so nd_save.nd and nd_save_list.nd carry the numpy-shape
array magic; nd_save_legacy.nd is written after npx.reset_np(), as 1.x code writes files.
"""
import mxnet as mx

arrays = {
    "weight": mx.nd.array([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]]),
    "index": mx.nd.array([3, 1, 2], dtype="int32"),
    "half": mx.nd.array([0.5, 1.5], dtype="float16"),
    "scalar": mx.nd.array([7.0], dtype="float64"),
}
mx.nd.save("tests/data/legacy_nd/nd_save.nd", arrays)
mx.nd.save("tests/data/legacy_nd/nd_save_list.nd", [arrays["weight"], arrays["index"]])
print(mx.nd.load("tests/data/legacy_nd/nd_save.nd"))
mx.npx.reset_np()
mx.nd.save("tests/data/legacy_nd/nd_save_legacy.nd", arrays)
print(mx.nd.load("tests/data/legacy_nd/nd_save_legacy.nd"))
