"""Record what each ``np`` function returns for all-number inputs and for a positional ``out``.

Run with the oracle's Python (see tests/data/mxnet_files/README.md) to refresh
``number_calls.json``; tests/test_number_calls.py replays the calls on mxnp and compares:

    ~/.cache/mxref-venv/bin/python tests/data/record_number_calls.py mxnet > tests/data/number_calls.json

With ``mxnp`` as the argument it prints mxnp's answers in the same form (for a diff).
"""
import json
import sys

# every callable name of mxnp's np.__all__ (set_printoptions left out: it changes global state)
NAMES = """arange array empty empty_like eye full full_like identity linspace ones ones_like zeros
zeros_like abs absolute add around bitwise_and bitwise_not bitwise_or bitwise_xor ceil clip cos
divide equal exp floor floor_divide greater greater_equal invert left_shift less less_equal log
logical_and logical_not logical_or logical_xor maximum minimum mod multiply negative not_equal
positive power remainder right_shift round sign sin sqrt square subtract tanh true_divide where
nonzero dot matmul outer tensordot all amax amin any argmax argmin max mean min prod sum
broadcast_to concatenate expand_dims reshape split squeeze stack swapaxes transpose arccos arccosh
arcsin arcsinh arctan arctan2 arctanh cbrt copysign cosh deg2rad degrees divmod expm1 fabs fix
float_power frexp heaviside hypot i0 isfinite isinf isnan isneginf isposinf lcm ldexp log1p log2
log10 modf nan_to_num rad2deg radians real reciprocal rint signbit sinh spacing tan trunc argwhere
choose compress diag_indices_from extract flatnonzero packbits piecewise select take
take_along_axis tril_indices_from triu_indices_from unpackbits unravel_index argpartition argsort
in1d intersect1d isin lexsort msort partition searchsorted setdiff1d setxor1d sort union1d unique
corrcoef correlate cov allclose alltrue array_equal array_equiv average count_nonzero cumprod
cumsum diff ediff1d isclose product ptp sometrue std trace trapz var apply_along_axis
apply_over_axes blackman genfromtxt hamming hanning min_scalar_type mirr npv ppmt promote_types
pv rate result_type poly polyadd polydiv polyfit polyint polymul polysub polyval roots vander
bincount digitize histogram histogram2d histogram_bin_edges histogramdd interp nanargmax nanargmin
nancumprod nancumsum nanmax nanmin nanprod median nanmedian nanpercentile nanquantile percentile
quantile einsum inner vdot append array_split column_stack delete dsplit dstack hsplit hstack
insert row_stack vsplit vstack atleast_1d atleast_2d atleast_3d broadcast_arrays copy flip fliplr
flipud may_share_memory moveaxis ndim ravel repeat resize roll rollaxis rot90 shape shares_memory
size tile trim_zeros diag diagflat diagonal indices ix_ logspace meshgrid tril triu pad round_
unwrap""".split()
NUMBERS = ["0.5", "2", "True", "1.0, 4.0", "13, 17", "2, 0.5", "0.5, 0.0, 1.0", "2, 1, 3"]
OUTS = ["f(x, o)", "f(x, x, o)"]
CRASHES = {("resize", "f(x, o)"), ("tensordot", "f(x, o)"), ("unravel_index", "f(x, o)")}  # MXNet 1.9.1 aborts the process on these


def calls():
    """The calls, as source text run with ``f`` bound to ``np.<name>``."""
    for name in NAMES:
        for args in NUMBERS:
            yield name, f"f({args})"
        for call in OUTS:
            if (name, call) not in CRASHES:
                yield name, call


def describe(v, np):
    """A library-neutral description of a value: its kind, dtype and contents."""
    import numpy as onp

    if isinstance(v, np.ndarray):
        return ["ndarray", str(v.dtype), v.asnumpy().tolist()]
    if isinstance(v, onp.ndarray):
        return ["numpy.ndarray", str(v.dtype), v.tolist() if v.dtype != object else "object"]
    if isinstance(v, onp.generic):
        # NumPy 2 renamed numpy.bool_ to numpy.bool
        return ["numpy." + type(v).__name__.rstrip("_"), str(v.dtype), v.item()]
    if isinstance(v, onp.dtype):
        return ["dtype", str(v)]
    if isinstance(v, (tuple, list)):
        return [type(v).__name__, [describe(e, np) for e in v]]
    if v is None or isinstance(v, (bool, int, float, complex, str)):
        return [type(v).__name__, v if not isinstance(v, complex) else repr(v)]
    return [type(v).__name__]


def run(call, f, np):
    """What ``call`` gives: [value] or ["!!", exception kind]; the out cases add ``o``."""
    x, o = np.array([0.5, 0.25]), np.zeros(2)
    try:
        r = eval(call, {"f": f, "x": x, "o": o})
        # MXNet raises some errors only when the data is read
        return [describe(r, np), describe(o, np), r is o] if "o)" in call else [describe(r, np)]
    except Exception as e:  # noqa: BLE001 - the exception is the observable result
        return ["!!", type(e).__name__]


def main(library):
    """Print one JSON record per call."""
    if library == "mxnet":
        from mxnet import np, npx
        npx.set_np()
    else:
        from mxnp import np
    rows = [[name, call, run(call, getattr(np, name), np)] for name, call in calls()
            if hasattr(np, name)]
    json.dump(rows, sys.stdout, indent=0)


if __name__ == "__main__":
    main(sys.argv[1])
