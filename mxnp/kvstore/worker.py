"""One process of a distributed job: ``python -m mxnp.kvstore.worker SCRIPT [args...]``.

It runs the script as ``mxnp run`` does (``import mxnet`` gives mxnp); if the script fails
while MPI is up with other processes, it aborts the whole job at once, so that no process is
left waiting in a collective for a peer that has gone.
"""
from __future__ import annotations

import sys
from pathlib import Path


def _abort_job(status: int) -> None:
    MPI = sys.modules.get("mpi4py.MPI")
    if MPI is None or not MPI.Is_initialized() or MPI.Is_finalized():
        return
    if MPI.COMM_WORLD.Get_size() > 1:
        sys.stdout.flush()
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(status)


def main(argv: list[str] | None = None) -> int:
    """Run the script named by ``argv[0]``; abort the MPI job if it fails."""
    from ..compat.cli import run_script

    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m mxnp.kvstore.worker SCRIPT [args...]", file=sys.stderr)
        return 2
    status = run_script(Path(argv[0]), argv[1:])
    if status != 0:
        _abort_job(status)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
