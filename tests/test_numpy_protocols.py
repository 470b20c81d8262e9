"""``numpy.f(x)`` on mxnp arrays: every NumPy ufunc, and the functions MXNet dispatches."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp._ops import interop
from mxnp.base import MXNetError

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # arccosh(0.5) is nan
UFUNCS = sorted(n for n in dir(onp) if isinstance(getattr(onp, n), onp.ufunc))
# mxnet.numpy_dispatch_protocol._NUMPY_ARRAY_UFUNC_LIST of MXNet 1.9.1
MXNET_UFUNCS = """abs fabs add arctan2 copysign degrees hypot lcm subtract multiply true_divide
negative power mod matmul absolute rint sign exp log log2 log10 expm1 sqrt square cbrt reciprocal
invert bitwise_not remainder sin cos tan sinh cosh tanh arcsin arccos arctan arcsinh arccosh
arctanh maximum minimum ceil trunc floor bitwise_and bitwise_xor bitwise_or logical_not equal
not_equal less less_equal greater greater_equal""".split()
# ..._NUMPY_ARRAY_FUNCTION_LIST, less the names NumPy 2 no longer has (product, sometrue, round_)
MXNET_FUNCTIONS = """all any argmin argmax around round argsort sort append broadcast_arrays
broadcast_to clip concatenate copy cumsum diag diagonal diagflat dot expand_dims fix flip flipud
fliplr inner insert max amax mean min amin nonzero ones_like atleast_1d atleast_2d atleast_3d prod
ravel repeat reshape roll split array_split hsplit vsplit dsplit squeeze stack std sum swapaxes
take tensordot tile transpose unique unravel_index diag_indices_from delete var vdot vstack
column_stack hstack dstack zeros_like linalg.norm linalg.cholesky linalg.inv linalg.solve
linalg.tensorinv linalg.tensorsolve linalg.pinv linalg.eigvals linalg.eig linalg.eigvalsh
linalg.eigh shape trace tril meshgrid outer einsum polyval shares_memory may_share_memory
quantile percentile diff ediff1d resize where full_like bincount empty_like nan_to_num isnan
isfinite isposinf isneginf isinf pad""".split()


def _inputs(ufunc):
    """Raw inputs for a loop the ufunc has: float32 in (0.1, 0.9) and int32 in [1, 5)."""
    rng = onp.random.default_rng(0)
    loops = [t.split("->")[0] for t in ufunc.types if set(t.split("->")[0]) <= set("fi")]
    if not loops:  # isnat: datetimes only
        return None
    sig = next((t for t in loops if "f" in t), loops[0])
    return [rng.uniform(0.1, 0.9, (3, 3)).astype("float32") if c == "f"
            else rng.integers(1, 5, (3, 3)).astype("int32") for c in sig]


def _values(r):
    return [_values(e) for e in r] if isinstance(r, tuple) else onp.asarray(r.asnumpy())


@pytest.mark.parametrize("name", UFUNCS)
def test_every_numpy_ufunc_runs_on_mxnp_arrays(name):
    ufunc = getattr(onp, name)
    raws = _inputs(ufunc)
    if raws is None:  # isnat: datetimes only
        pytest.skip("no numeric loop")
    xs = [np.array(r, dtype=r.dtype) for r in raws]
    got = ufunc(*xs)
    parts = got if isinstance(got, tuple) else (got,)
    assert all(isinstance(p, np.ndarray) for p in parts), type(got)
    want = ufunc(*raws)
    for g, w in zip(_values(got) if isinstance(got, tuple) else [_values(got)],
                    want if isinstance(want, tuple) else [want]):
        onp.testing.assert_allclose(g, w, rtol=1e-5)
    op = interop.ufunc_op(ufunc.__name__)
    if op is not None:  # dispatched to mxnp's op: the very same answer
        same = op(*xs)
        for g, s in zip(parts, same if isinstance(same, (tuple, list)) else (same,)):
            assert g.dtype == s.dtype
            onp.testing.assert_array_equal(g.asnumpy(), s.asnumpy())


def test_every_ufunc_of_mxnp_and_of_mxnet_has_its_op():
    ours = [n for n in np.__all__ if isinstance(getattr(onp, n, None), onp.ufunc)]
    missing = [n for n in set(ours) | set(MXNET_UFUNCS)
               if interop.ufunc_op(getattr(onp, n).__name__) is None]
    assert missing == []


def test_ufunc_protocol_keeps_the_tape_and_writes_out():
    x = np.array([0.5, 0.25])
    x.attach_grad()
    with autograd.record():
        y = onp.tan(x).sum() + onp.log1p(x).sum() + onp.sinh(x).sum()
    y.backward()
    w = x.asnumpy()
    want = 1 / onp.cos(w) ** 2 + 1 / (1 + w) + onp.cosh(w)
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-6)
    o = np.zeros(2)
    assert onp.sin(x, out=o) is o
    with pytest.raises(TypeError):
        onp.add(x, onp.ones(2))  # MXNet refuses NumPy arrays as operands


def test_fallback_is_refused_under_record():
    x = np.array([0.5, 0.25])
    with autograd.record(), pytest.raises(MXNetError, match="logaddexp"):
        onp.logaddexp(x, x)
    with autograd.record(), pytest.raises(MXNetError, match="median"):
        onp.median(x)


def test_every_function_mxnet_dispatches_has_its_mxnp_function():
    def lookup(n):
        return getattr(onp.linalg, n[7:]) if n.startswith("linalg.") else getattr(onp, n)
    assert [n for n in MXNET_FUNCTIONS if lookup(n) not in interop.FUNCTIONS] == []


def test_array_function_dispatches_as_mxnet():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(onp.sum(x), np.ndarray) and onp.sum(x).item() == 10.0
    assert isinstance(onp.concatenate([x, x]), np.ndarray)
    assert all(isinstance(i, np.ndarray) for i in onp.where(x > 1))
    inv = onp.linalg.inv(x)
    assert isinstance(inv, np.ndarray)
    onp.testing.assert_allclose(inv.asnumpy(), onp.linalg.inv(x.asnumpy()), rtol=1e-6)
    med = onp.median(x)  # not dispatched: NumPy's scalar, as MXNet's fallback returns
    assert type(med) is onp.float32 and med == 2.5
    assert isinstance(onp.cumprod(x), np.ndarray)  # a fallback's NumPy array comes back mxnp
    x.attach_grad()
    with autograd.record():
        y = onp.sum(onp.tile(x, 2) * 2)
    y.backward()
    assert x.grad.tolist() == [[4.0, 4.0], [4.0, 4.0]]
