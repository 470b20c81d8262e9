# Cells for shared/tools/mxref (MXNet 1.9.1; preamble: mx, np, npx, onp): writes
# /tmp/smfix.json, committed as tests/data/softmax_kernel.json. Run:
#   shared/tools/mxref -f tests/data/record_softmax_kernel.py && cp /tmp/smfix.json tests/data/softmax_kernel.json
# MXNet's softmax and log_softmax where its CPU kernel runs (float32 along a non-last axis,
# float64, with a temperature), each value as float.hex.
x = (onp.arange(24, dtype="float32").reshape(2, 3, 4) * 0.7 - 5.3).astype("float32") * onp.float32(1.37)
def hx(a): return [float(v).hex() for v in a.ravel()]
out = {}
for name, fn in (("softmax", npx.softmax), ("log_softmax", npx.log_softmax)):
    out[name + "_f32_axis1"] = hx(fn(np.array(x), axis=1).asnumpy())
    out[name + "_f32_axis0"] = hx(fn(np.array(x), axis=0).asnumpy())
    out[name + "_f64_last"] = hx(fn(np.array(x.astype("float64"))).asnumpy())
    out[name + "_f64_t"] = hx(fn(np.array(x.astype("float64")), axis=1, temperature=2.5).asnumpy())
    out[name + "_f32_t"] = hx(fn(np.array(x), axis=0, temperature=0.75).asnumpy())
import json; json.dump(out, open("/tmp/smfix.json", "w"))
len(out)
