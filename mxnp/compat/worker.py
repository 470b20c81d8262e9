"""One process of a distributed job: ``python -m mxnp.compat.worker SCRIPT [args...]``.

It runs the script as ``mxnp run`` does (``import mxnet`` gives mxnp); if the script fails
while MPI is up with other processes, it aborts the whole job at once, so that no process is
left waiting in a collective for a peer that has gone. With GPUs, arrays made without an
explicit context go to the GPU of this process's local rank (``mx.gpu(i)`` still means GPU i).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import _backend
from .cli import run_script

# where mpiexec (Open MPI, MPICH/Hydra, Intel MPI) or srun puts this process's local rank
_LOCAL_RANK_VARS = ("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "PMI_LOCAL_RANK",
                    "SLURM_LOCALID")


def local_rank_from_env(environ=os.environ) -> int | None:
    """This process's rank on its machine, as the launcher told it, or None."""
    for name in _LOCAL_RANK_VARS:
        if environ.get(name, "").isdigit():
            return int(environ[name])
    return None


def _pick_gpu() -> None:
    rank = local_rank_from_env()
    if rank is None or not _backend.cupy_available() or _backend.num_gpus() == 0:
        return
    _backend.set_default_device(_backend.gpu(rank % _backend.num_gpus()))


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
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m mxnp.compat.worker SCRIPT [args...]", file=sys.stderr)
        return 2
    _pick_gpu()
    status = run_script(Path(argv[0]), argv[1:])
    if status != 0:
        _abort_job(status)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
