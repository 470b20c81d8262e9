"""Rows for the manipulation family. flip, roll, tril and triu are primitives; the rest are
composites, each row named after the primitive its gradient runs through (broadcast_to for
tile and repeat, getitem for gathers, scatter for diag of a vector, concatenate for stacks and
pads, split for the splits, transpose for axis moves)."""
from __future__ import annotations

from mxnp import np
from tests.grad_rows.common import S, ns, ties


def row_stack(arrays):  # NumPy 2 deprecates row_stack; it is vstack
    mine = isinstance(arrays[0], np.ndarray)
    return np.row_stack(arrays) if mine else ns(arrays[0]).vstack(arrays)


def pad(width, mode="constant", **kw):
    return lambda x: ns(x).pad(x, width, mode=mode, **kw)


ROWS = [
    # ---- primitives --------------------------------------------------------------------------
    S("flip", [(2, 3, 4)]),
    S("flip", [(2, 3, 4)], params={"axis": 1}),
    S("flip", [(2, 3, 4)], params={"axis": (0, -1)}),
    S("flip", [()]),
    S("flip", [(2, 3)], fn=lambda x: ns(x).fliplr(x), name="fliplr"),
    S("flip", [(2, 3)], fn=lambda x: ns(x).flipud(x), name="flipud"),
    S("flip", [(2, 3)], fn=lambda x: ns(x).rot90(x, 2), name="rot90-k2"),
    S("roll", [(2, 3, 4)], params={"shift": 2}),
    S("roll", [(2, 3, 4)], params={"shift": -1, "axis": 1}),
    S("roll", [(2, 3, 4)], params={"shift": (1, 2), "axis": (0, 2)}),
    S("roll", [(2, 3, 4)], params={"shift": (1, 2), "axis": 2}),
    S("tril", [(3, 4)]),
    S("tril", [(2, 3, 4)], params={"k": 1}),
    S("tril", [(3,)], params={"k": -1}),  # 1-D: broadcast to (3, 3), the tape sums back
    S("triu", [(4, 3)]),
    S("triu", [(2, 3, 4)], params={"k": -1}),
    S("triu", [(3,)], params={"k": 1}),
    # ---- repetition (broadcast_to, or a gather for per-element counts) -----------------------
    S("broadcast_to", [(2, 3)], fn=lambda x: ns(x).tile(x, 2), name="tile-2"),
    S("broadcast_to", [(2, 3)], fn=lambda x: ns(x).tile(x, (3, 1, 2)), name="tile-3x1x2"),
    S("broadcast_to", [()], fn=lambda x: ns(x).tile(x, (2, 2)), name="tile-0d"),
    S("broadcast_to", [(2, 3)], fn=lambda x: ns(x).repeat(x, 2), name="repeat-flat"),
    S("broadcast_to", [(2, 3)], fn=lambda x: ns(x).repeat(x, 3, axis=1), name="repeat-axis1"),
    S("broadcast_to", [(2, 3, 2)], fn=lambda x: ns(x).repeat(x, 2, axis=-3), name="repeat-axis0"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).repeat(x, [2, 0, 3], axis=1),
      name="repeat-counts"),
    S("broadcast_to", [(2, 3)], fn=lambda x: ns(x).resize(x, (4, 4)), name="resize-grow"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).resize(x, (5,)), name="resize-shrink"),
    # ---- axes and shapes ---------------------------------------------------------------------
    S("transpose", [(2, 3, 4)], fn=lambda x: ns(x).rot90(x), name="rot90"),
    S("transpose", [(2, 3, 4)], fn=lambda x: ns(x).rot90(x, 3, axes=(2, 1)), name="rot90-k3"),
    S("transpose", [(2, 3, 4)], fn=lambda x: ns(x).moveaxis(x, 0, -1), name="moveaxis"),
    S("transpose", [(2, 3, 4)], fn=lambda x: ns(x).moveaxis(x, [0, 1], [-1, 0]),
      name="moveaxis-two"),
    S("transpose", [(2, 3, 4)], fn=lambda x: ns(x).rollaxis(x, 2, 1), name="rollaxis"),
    S("reshape", [(2, 3)], fn=lambda x: ns(x).ravel(x), name="ravel"),
    S("reshape", [()], fn=lambda x: ns(x).atleast_1d(x), name="atleast_1d"),
    S("reshape", [(3,)], fn=lambda x: ns(x).atleast_2d(x), name="atleast_2d"),
    S("reshape", [(2, 3)], fn=lambda x: ns(x).atleast_3d(x), name="atleast_3d"),
    S("reshape", [(3,), ()], fn=lambda x, y: tuple(ns(x).atleast_2d(x, y)), name="atleast_2d-two"),
    S("broadcast_to", [(3,), (2, 1)], fn=lambda x, y: tuple(ns(x).broadcast_arrays(x, y)),
      name="broadcast_arrays"),
    S("copy", [(3,), (2,)], fn=lambda x, y: tuple(ns(x).meshgrid(x, y)), name="meshgrid"),
    S("copy", [(3,), (2,), (2,)], fn=lambda x, y, z: tuple(ns(x).meshgrid(x, y, z, indexing="ij")),
      name="meshgrid-ij"),
    S("reshape", [(3,), (2,)], fn=lambda x, y: tuple(ns(x).meshgrid(x, y, sparse=True)),
      name="meshgrid-sparse"),
    # ---- diagonals ---------------------------------------------------------------------------
    S("getitem", [(3, 4)], fn=lambda x: ns(x).diagonal(x), name="diagonal"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).diagonal(x, 2), name="diagonal-k2"),
    S("getitem", [(2, 3, 4)], fn=lambda x: ns(x).diagonal(x, -1, 2, 0), name="diagonal-axes"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).diag(x, -1), name="diag-2d"),
    S("scatter", [(3,)], fn=lambda x: ns(x).diag(x), name="diag-1d"),
    S("scatter", [(3,)], fn=lambda x: ns(x).diag(x, 2), name="diag-1d-k2"),
    S("scatter", [(2, 2)], fn=lambda x: ns(x).diagflat(x, -1), name="diagflat"),
    # ---- joining and splitting ---------------------------------------------------------------
    S("concatenate", [(2, 3), (2, 2)], fn=lambda x, y: ns(x).hstack((x, y)), name="hstack"),
    S("concatenate", [(3,), (2,)], fn=lambda x, y: ns(x).hstack([x, y]), name="hstack-1d"),
    S("concatenate", [(3,), (2, 3)], fn=lambda x, y: ns(x).vstack([x, y]), name="vstack"),
    S("concatenate", [(3,), (2, 3)], fn=lambda x, y: row_stack([x, y]), name="row_stack"),
    S("concatenate", [(3,), (1, 3)], fn=lambda x, y: ns(x).dstack([x, y]), name="dstack"),
    S("concatenate", [(3,), (3, 2)], fn=lambda x, y: ns(x).column_stack([x, y]),
      name="column_stack"),
    S("split", [(7,)], fn=lambda x: tuple(ns(x).array_split(x, 3)), name="array_split"),
    S("split", [(2, 7)], fn=lambda x: tuple(ns(x).array_split(x, [1, 5, 9], axis=1)),
      name="array_split-indices"),
    S("split", [(2, 4)], fn=lambda x: tuple(ns(x).hsplit(x, 2)), name="hsplit"),
    S("split", [(4, 3)], fn=lambda x: tuple(ns(x).vsplit(x, [1])), name="vsplit"),
    S("split", [(2, 2, 4)], fn=lambda x: tuple(ns(x).dsplit(x, 2)), name="dsplit"),
    S("getitem", [(2, 3), (2,)], fn=lambda x, y: ns(x).insert(x, 1, y, axis=1),
      name="insert-column"),
    S("getitem", [(2, 3), (3,)], fn=lambda x, y: ns(x).insert(x, -1, y, axis=0),
      name="insert-row"),
    S("getitem", [(2, 3), (3,)], fn=lambda x, y: ns(x).insert(x, [4, 0, 4], y),
      name="insert-positions"),
    S("getitem", [(2, 3), (2, 1)], fn=lambda x, y: ns(x).insert(x, [1], y, axis=1),
      name="insert-broadcast"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).insert(x, slice(0, 3, 2), 1.5, axis=1),
      name="insert-constant"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).delete(x, 1, axis=1), name="delete"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).delete(x, [0, 4, -1]), name="delete-flat"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).delete(x, slice(None, None, 2), axis=-1),
      name="delete-slice"),
    S("concatenate", [(2, 3), (2,)], fn=lambda x, y: ns(x).append(x, y), name="append"),
    S("concatenate", [(2, 3), (1, 3)], fn=lambda x, y: ns(x).append(x, y, axis=0),
      name="append-axis0"),
    # ---- pad, in each mode -------------------------------------------------------------------
    S("concatenate", [(2, 3)], fn=pad(((1, 2), (0, 1))), name="pad-constant"),
    S("concatenate", [(2, 3)], fn=pad(1, constant_values=1.5), name="pad-constant-value"),
    S("concatenate", [(3,)], fn=pad((2, 1), "edge"), name="pad-edge"),
    S("concatenate", [(2, 3)], fn=pad(((2, 1), (3, 1)), "edge"), name="pad-edge-2d"),
    S("getitem", [(2, 3)], fn=pad(((2, 3), (1, 4)), "reflect"), name="pad-reflect"),
    S("getitem", [(3,)], fn=pad((5, 2), "symmetric"), name="pad-symmetric"),
    S("getitem", [(2, 3)], fn=pad(((1, 0), (2, 2)), "symmetric"), name="pad-symmetric-2d"),
    S("max", [(2, 3)], fn=pad(1, "maximum"), kink=ties, name="pad-maximum"),
    S("min", [(2, 3)], fn=pad((0, 2), "minimum"), kink=ties, name="pad-minimum"),
]
