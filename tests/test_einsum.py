"""einsum against NumPy: subscripts with '...', implicit outputs, diagonals, broadcasting."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import np
from mxnp.base import OpError
from mxnp.testing import assert_allclose, check_grads

RNG = onp.random.default_rng(3)

CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]), ("iij->j", [(2, 2, 3)]), ("iii->", [(2, 2, 2)]), ("ij", [(2, 3)]),
    ("ji", [(2, 3)]), ("ij->", [(2, 3)]), ("i,i", [(3,), (3,)]), ("i,j", [(2,), (3,)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (3, 4)]), ("...ij,...jk", [(5, 2, 3), (5, 3, 4)]),
    ("...i,...i", [(3,), (2, 3)]), ("i...->...", [(2, 3, 4)]), ("...", [(2, 3)]),
    ("ij,ij->ij", [(2, 1), (2, 3)]), ("ba,Ab", [(2, 3), (4, 2)]), ("", [()]),
    (" ij , jk -> ki ", [(2, 3), (3, 2)]), ("i,i,i->", [(3,), (3,), (3,)]),
    ("bij,bjk,bkl->bil", [(2, 2, 3), (2, 3, 2), (2, 2, 2)]), ("ij,k", [(2, 3), (4,)]),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("subscripts,shapes", CASES, ids=[c[0] for c in CASES])
def test_einsum_matches_numpy(subscripts, shapes, dtype):
    xs = [RNG.standard_normal(s).astype(dtype) for s in shapes]
    got = np.einsum(subscripts, *[np.array(x) for x in xs])
    want = onp.einsum(subscripts, *xs)
    assert (got.shape, got.dtype) == (want.shape, want.dtype)
    assert_allclose(got, want, rtol=1e-10 if dtype == "float64" else 1e-5)


@pytest.mark.parametrize("subscripts,shapes", CASES, ids=[c[0] for c in CASES])
def test_einsum_grad_any_subscripts(subscripts, shapes):
    xs = [np.array(RNG.standard_normal(s)) for s in shapes]
    check_grads(lambda *xs: np.einsum(subscripts, *xs), *xs, order=2)


def test_einsum_third_order_and_repeated_operand():
    x = np.array(RNG.standard_normal((2, 2)))
    check_grads(lambda x: np.einsum("ij,jk,ki->", x, x, x), x, order=3)


def test_einsum_mixed_dtypes_and_out():
    a = np.array([[1, 2], [3, 4]], dtype="int32")
    b = np.array(RNG.standard_normal((2, 2)), dtype="float32")
    assert np.einsum("ij,jk", a, b).dtype == onp.float32  # MXNet: int with float -> the float
    out = np.zeros((2, 2), dtype="float32")
    assert np.einsum("ij,jk", b, b, out=out) is out
    assert_allclose(out, b.asnumpy() @ b.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize("subscripts,shapes", [
    ("ij,jk", [(2, 3), (4, 2)]), ("ij", [(2, 3, 4)]), ("ij,j", [(2, 3)]), ("i->j", [(2,)]),
    ("i..j", [(2, 3)]), ("i1", [(2, 2)]), ("...i->i", [(2, 3)]), ("i->ii", [(2,)]),
])
def test_einsum_bad_subscripts_raise_op_error(subscripts, shapes):
    with pytest.raises(OpError, match="einsum"):
        np.einsum(subscripts, *[np.ones(s) for s in shapes])


def test_einsum_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="einsum"):
        np.einsum("i", onp.ones(2))
    with pytest.raises(TypeError, match="einsum"):
        np.einsum(np.ones(2), [0])
