"""``mxnp launch``: start N workers of a script under ``mpiexec`` (MXNet's tools/launch.py).

The flags follow tools/launch.py: ``-n`` workers, ``-s`` servers (none are needed: accepted and
ignored), ``-H`` hostfile, ``--launcher local|ssh|mpi``. The command may be ``python
script.py ...`` as launch.py wants it, or just ``script.py ...``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from ._mpi import INSTALL


def parser() -> argparse.ArgumentParser:
    """The command line of ``mxnp launch``."""
    parser = argparse.ArgumentParser(
        prog="mxnp launch",
        description="Start N processes of a script under mpiexec, as MXNet's tools/launch.py "
                    "did; the script's kvstore ('dist_sync', 'horovod') connects them.")
    parser.add_argument("-n", "--num-workers", type=int, required=True, metavar="N",
                        help="number of worker processes")
    parser.add_argument("-s", "--num-servers", type=int, metavar="S",
                        help="accepted for tools/launch.py compatibility; ignored (no servers)")
    parser.add_argument("-H", "--hostfile", metavar="FILE",
                        help="hosts to run on, in the MPI implementation's hostfile format")
    parser.add_argument("--launcher", choices=["local", "ssh", "mpi"], default=None,
                        help="local: this machine (default without -H); ssh/mpi: the hostfile")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="stop every worker and fail if the job runs longer than S seconds")
    parser.add_argument("--mpiexec", metavar="PATH", help="the mpiexec to use")
    parser.add_argument("job", nargs=argparse.REMAINDER, metavar="COMMAND",
                        help="[python] script.py [args...]")
    return parser


def main(argv: list[str]) -> int:
    """``mxnp launch ARGS``: its exit status (2 for a bad command line)."""
    ns = parser().parse_args(argv)
    try:
        return launch(ns)
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 2


def find_mpiexec(given: str | None = None) -> str:
    """The mpiexec to run: given, $MXNP_MPIEXEC, the one beside this Python, or on PATH."""
    if given:
        if shutil.which(given):
            return given
        raise FileNotFoundError(f"mxnp launch: --mpiexec {given}: no such program")
    beside = Path(sys.executable).parent / "mpiexec"
    for candidate in (os.environ.get("MXNP_MPIEXEC"), str(beside),
                      shutil.which("mpiexec"), shutil.which("mpirun")):
        if candidate and shutil.which(candidate):
            return candidate
    raise FileNotFoundError(f"mxnp launch: no mpiexec found; install an MPI runtime with "
                            f"{INSTALL} or name one with --mpiexec")


def _flavour(mpiexec: str) -> str:
    try:
        text = subprocess.run([mpiexec, "--version"], capture_output=True, text=True, check=False,
                              timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "other"
    if "Open MPI" in text or "OpenRTE" in text or "prte" in text.lower():
        return "openmpi"
    return "mpich" if "HYDRA" in text.upper() else "other"


def _worker_command(command: list[str]) -> list[str]:
    """``[python] script.py args`` becomes mxnp's worker running the script."""
    if Path(command[0]).name.startswith("python") and len(command) > 1:
        command = command[1:]
    if command[0].endswith(".py"):
        return [sys.executable, "-m", "mxnp.compat.worker", *command]
    return command


def mpiexec_command(ns, mpiexec: str, flavour: str) -> list[str]:
    """The full mpiexec command line for the parsed ``mxnp launch`` options."""
    launcher = ns.launcher or ("ssh" if ns.hostfile else "local")
    cmd = [mpiexec, "-n", str(ns.num_workers)]
    if flavour == "openmpi":
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-run-as-root")
        if launcher == "local":
            cmd.append("--oversubscribe")     # more workers than cores is fine for testing
    if launcher != "local" and ns.hostfile:
        cmd += ["-f" if flavour == "mpich" else "--hostfile", ns.hostfile]
    return cmd + _worker_command(ns.job)


def launch(ns) -> int:
    """Run the job; its exit status (124 when --timeout ran out)."""
    if ns.num_servers:
        print(f"mxnp launch: -s {ns.num_servers} ignored: mxnp's distributed kvstore is an "
              f"MPI allreduce and needs no servers", file=sys.stderr)
    if not ns.job:
        raise FileNotFoundError("mxnp launch: name the script to run: mxnp launch -n N "
                                "script.py [args...]")
    mpiexec = find_mpiexec(ns.mpiexec)
    cmd = mpiexec_command(ns, mpiexec, _flavour(mpiexec))
    # its own process group, so that a timeout stops mpiexec and every worker it started
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        return proc.wait(timeout=ns.timeout)
    except subprocess.TimeoutExpired:
        print(f"mxnp launch: the job ran past --timeout {ns.timeout:g} s; stopping it",
              file=sys.stderr)
        return 124
    except KeyboardInterrupt:
        return 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
