"""Rows for the sorting family: sorts, partitions and gathers (all getitem underneath, so the
rule checked is indexing's scatter, and at order 2 getitem again), select and piecewise."""
from __future__ import annotations

import numpy as onp

from mxnp import np
from tests.grad_rows.common import S, ns, ties

REPEATED = onp.array([2, 0, 2, 5])  # repeated flat indices: their cotangents must add up
OUT_OF_RANGE = onp.array([4, -1, 7, 1])  # wrapped or clipped by the mode
ALONG = onp.array([[2, 0, 0, 3], [1, 1, 3, 0], [0, 2, 1, 1]])
CHOICE = onp.array([[0, 2, 1], [1, 1, 0]])
ROW_MASK = onp.array([True, False, True])
MASK = onp.array([[True, False, True], [False, False, True]])
LOW = onp.array([[True, True, False], [False, True, False]])  # overlaps MASK: order matters


def msort(x):  # NumPy 2 dropped msort; its definition is sort along axis 0
    return np.msort(x) if isinstance(x, np.ndarray) else onp.sort(x, axis=0)


def arr(x, raw):
    """A constant index or mask array in x's namespace."""
    return ns(x).array(raw)


ROWS = [
    # ---- sorts: the cotangent goes back through the permutation (ties are kinks) -------------
    S("getitem", [(5,)], fn=lambda x: ns(x).sort(x), kink=ties, name="sort"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).sort(x, axis=0), kink=ties, name="sort-axis0"),
    S("getitem", [(2, 3, 4)], fn=lambda x: ns(x).sort(x, axis=1), kink=ties,
      name="sort-axis1-3d"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).sort(x, axis=None), kink=ties, name="sort-flat"),
    S("getitem", [(3, 2)], fn=msort, kink=ties, name="msort"),
    S("getitem", [(6,)], fn=lambda x: ns(x).partition(x, 2), kink=ties, name="partition"),
    S("getitem", [(4, 3)], fn=lambda x: ns(x).partition(x, (0, 2), axis=0), kink=ties,
      name="partition-axis0"),
    # ---- take: flat, along an axis, each mode, a scalar index -------------------------------
    S("getitem", [(2, 3)], fn=lambda x: ns(x).take(x, arr(x, REPEATED)), name="take-flat"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).take(x, arr(x, CHOICE), axis=1),
      name="take-axis1-2d-index"),
    S("getitem", [(3, 2)], fn=lambda x: ns(x).take(x, arr(x, [-1, 0]), axis=0),
      name="take-negative"),
    S("getitem", [(5,)], fn=lambda x: ns(x).take(x, arr(x, OUT_OF_RANGE), mode="wrap"),
      name="take-wrap"),
    S("getitem", [(5,)], fn=lambda x: ns(x).take(x, arr(x, OUT_OF_RANGE), mode="clip"),
      name="take-clip"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).take(x, 1, axis=1), name="take-scalar-index"),
    # ---- take_along_axis, choose, compress, extract -----------------------------------------
    S("getitem", [(3, 4)], fn=lambda x: ns(x).take_along_axis(x, arr(x, ALONG), 1),
      name="take_along_axis-axis1"),
    S("getitem", [(4, 4)], fn=lambda x: ns(x).take_along_axis(x, arr(x, ALONG[:, :1]), 0),
      name="take_along_axis-broadcast"),
    S("getitem", [(6,)], fn=lambda x: ns(x).take_along_axis(x, arr(x, REPEATED), None),
      name="take_along_axis-flat"),
    S("getitem", [(2, 3), (2, 3), (2, 3)],
      fn=lambda *cs: ns(cs[0]).choose(arr(cs[0], CHOICE), cs), name="choose"),
    S("getitem", [(3,), (2, 3)], fn=lambda a, b: ns(a).choose(arr(a, CHOICE % 2), [a, b]),
      name="choose-broadcast"),
    S("getitem", [(3, 2)], fn=lambda x: ns(x).compress(arr(x, ROW_MASK), x, axis=0),
      name="compress-axis0"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).compress(arr(x, ROW_MASK), x), name="compress"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).extract(arr(x, MASK), x), name="extract"),
    # ---- select and piecewise: where underneath (piecewise also gathers and scatters) --------
    S("where", [(2, 3), (2, 3)],
      fn=lambda x, y: ns(x).select([arr(x, MASK), arr(x, LOW)], [x * x, y]), name="select"),
    S("where", [(2, 3), (3,)],
      fn=lambda x, y: ns(x).select([arr(x, LOW)], [y], default=x), name="select-default-array"),
    S("where", [(2, 3)], fn=lambda x: ns(x).piecewise(x, [arr(x, MASK), arr(x, LOW)],
                                                       [lambda t: t * t, lambda t: 3.0 * t]),
      name="piecewise"),
    S("where", [(2, 3)], fn=lambda x: ns(x).piecewise(x, [arr(x, MASK)],
                                                       [lambda t: t ** 3, 0.5]),
      name="piecewise-constant"),
    S("where", [(2, 3)], fn=lambda x: ns(x).piecewise(x, [arr(x, MASK)],
                                                       [2.0, lambda t: t * t]),
      name="piecewise-otherwise"),
]
