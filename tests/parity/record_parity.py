"""Write MXNet 1.9.1's answer to every parity cell into tests/data/parity_cells.json.

Run with the oracle's Python (the venv /work/shared/tools/mxref builds):

    ~/.cache/mxref-venv/bin/python tests/parity/record_parity.py
"""
from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

import mxnet  # noqa: E402
from parity_cells import CELLS, show  # noqa: E402


def main() -> None:
    """Record every cell, in the order of CELLS."""
    recorded = {cell: show(mxnet, cell) for cell in CELLS}
    path = HERE.parent / "data" / "parity_cells.json"
    path.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(recorded)} cells -> {path}")


if __name__ == "__main__":
    main()
