"""Parity with the real MXNet 1.9.1: each cell runs on mxnp and must show what MXNet showed.

MXNet's answers are recorded in tests/data/parity_cells.json (by record_parity.py, on the
oracle's Python), so the comparison runs everywhere; where the real MXNet 1.9 is importable,
the recording is also checked against it.
"""
from __future__ import annotations

import json
import pathlib

import pytest
from parity_cells import CELLS, show

import mxnp

RECORDED = json.loads((pathlib.Path(__file__).parents[1] / "data" / "parity_cells.json")
                      .read_text())


def _real_mxnet():
    try:
        import mxnet
    except ImportError:
        return None
    return mxnet if mxnet.__version__.startswith("1.9") else None  # not mxnp's own alias


@pytest.mark.parametrize("cell", CELLS, ids=range(len(CELLS)))
def test_parity_with_mxnet(cell):
    assert show(mxnp, cell) == RECORDED[cell]


def test_every_cell_is_recorded():
    assert sorted(RECORDED) == sorted(CELLS)


@pytest.mark.skipif(_real_mxnet() is None, reason="the real MXNet 1.9 is not installed")
@pytest.mark.parametrize("cell", CELLS, ids=range(len(CELLS)))
def test_recording_is_what_mxnet_shows(cell):
    assert show(_real_mxnet(), cell) == RECORDED[cell]
