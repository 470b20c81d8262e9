"""The ``mxnp`` command: ``mxnp run FILE.py [args...]``, ``mxnp run FILE.ipynb``, or
``mxnp launch -n N FILE.py [args...]`` (N distributed workers under mpiexec).

Either way, ``import mxnet`` inside the program gives mxnp. The images a notebook shows (matplotlib
figures, PNG/JPEG/SVG outputs) are saved in a folder beside it and named on the terminal. Exit codes: the script's own, 0 for a
notebook that ran through, 1 for an error while running, 2 for a bad command line or file.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import runpy
import signal
import sys
import threading
import traceback
from pathlib import Path

from .alias import mxnet_environment

NOTEBOOK_EXTRA = "pip install 'mxnp[notebook]'"


class _UsageError(Exception):
    """A problem with the command line or the file named on it: exit code 2."""


def _parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The main parser, and the parser of the notebook options alone (they may follow FILE)."""
    notebook_options = argparse.ArgumentParser(prog="mxnp run FILE.ipynb", add_help=False)
    notebook_options.add_argument("--output", metavar="OUT.ipynb",
                                  help="write the executed notebook here (notebooks only)")
    images = notebook_options.add_mutually_exclusive_group()
    images.add_argument("--images", metavar="DIR",
                        help="save the images the notebook shows (matplotlib figures, PNG, JPEG, "
                             "SVG) in DIR as cell<N>_<K>.<ext>, naming each on the terminal "
                             "(notebooks only; default: OUT_images beside --output, else "
                             "NOTEBOOK_images beside the notebook; made only if there are images)")
    images.add_argument("--no-images", action="store_true",
                        help="save no images; print their text form instead (notebooks only)")
    notebook_options.add_argument("--timeout", metavar="S", type=_seconds,
                                  help="seconds each cell may run, more than 0 (notebooks only; "
                                       "default: no limit)")
    parser = argparse.ArgumentParser(
        prog="mxnp", description="Run MXNet programs on mxnp: `import mxnet` gives mxnp.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run", parents=[notebook_options], help="run a script or a notebook",
        description="Run FILE.py as __main__ with the given arguments, or execute FILE.ipynb in a "
                    "Jupyter kernel on this Python, printing each output as it comes.")
    run.add_argument("file", metavar="FILE", help="a .py script or a .ipynb notebook")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    # listed here for `mxnp --help`; main() hands `mxnp launch ...` to mxnp.kvstore.launch,
    # so that `mxnp run` does not import the kvstore
    commands.add_parser("launch", help="run a script as N distributed workers (MPI); "
                                       "see `mxnp launch --help`")
    return parser, notebook_options


def _seconds(text: str) -> int:
    """A --timeout: a positive whole number (nbclient would take 0 and -1 as "no limit")."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {value} (leave "
                                         "--timeout out for no limit)")
    return value


def run_script(path: Path, args: list[str]) -> int:
    """Run a script as ``python FILE args...`` would, with the mxnet alias on (and NumPy
    printing as under MXNet: ``mxnet_environment``)."""
    mxnet_environment()
    sys.argv = [str(path), *args]
    sys.path[0] = str(path.resolve().parent)
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exit_:
        return _exit_status(exit_.code)
    except KeyboardInterrupt:
        return 130
    except BaseException as err:  # noqa: BLE001 - shown as Python would show it
        _print_script_traceback(err, str(path))
        return 1
    return 0


def _exit_status(code) -> int:
    # As the interpreter does: None is success, an int is the status, anything else is printed.
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


def _print_script_traceback(err: BaseException, filename: str) -> None:
    # Drop the frames of this module and runpy: the user's traceback starts in their script.
    tb = err.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    traceback.print_exception(type(err), err, tb)


def default_image_folder(path: Path, output: str | None) -> Path:
    """Where a notebook's images go without --images: ``<stem>_images`` beside the executed
    notebook (--output), or beside the notebook itself when there is no --output."""
    beside = Path(output) if output else path
    return beside.with_name(beside.stem + "_images")


def run_notebook(path: Path, output: str | None, timeout: int | None,
                 images: Path | None = None) -> int:
    """Execute a notebook in a kernel on this interpreter; print outputs as they come, and save
    the images it shows in the folder ``images`` (None: print their text form instead)."""
    missing = [m for m in ("nbclient", "nbformat", "ipykernel") if not importlib.util.find_spec(m)]
    if missing:
        raise _UsageError(f"running a notebook needs {', '.join(missing)}: {NOTEBOOK_EXTRA}")
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from .notebook import EchoingNotebookClient, ImageSaver, KernelSetupError

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - nbformat raises JSON, schema and key errors alike
        raise _UsageError(f"{path} is not a valid Jupyter notebook: {err}") from None
    if output and not Path(output).resolve().parent.is_dir():
        raise _UsageError(f"cannot write {output}: no such folder")
    if images is not None and images.exists() and not images.is_dir():
        raise _UsageError(f"cannot save images in {images}: it is a file, not a folder")
    client = EchoingNotebookClient(
        nb, images=None if images is None else ImageSaver(images), timeout=timeout, resources={"metadata": {"path": str(path.resolve().parent)}})
    status = 1
    try:
        signum = execute_until_signal(client)
        status = 0 if signum is None else 128 + signum  # as a shell reports a signal's death
        if signum is not None:
            what = "interrupted" if signum == signal.SIGINT else "terminated"
            print(f"mxnp run: {path}: {what}; the kernel was shut down", file=sys.stderr)
    except CellExecutionError:
        where = "" if client.error_cell is None else f" in cell {client.error_cell + 1}"
        print(f"mxnp run: {path}: stopped at the error{where}", file=sys.stderr)
    except KernelSetupError as err:
        print(f"{err}\nmxnp run: {path}: the kernel could not import mxnp", file=sys.stderr)
    except (CellTimeoutError, DeadKernelError) as err:
        print(f"{err}\nmxnp run: {path}: {type(err).__name__}", file=sys.stderr)
    finally:
        if output:
            nbformat.write(client.nb, output)
    return status


def execute_until_signal(client) -> int | None:
    """``client.execute()``, or the number of the SIGINT/SIGTERM that stopped it (the kernel
    then killed). The notebook runs in a worker thread, so the signals reach this thread's
    handlers instead of nbclient's, whose cleanup fails mid-cell with ~70 lines of traceback."""
    outcome: list[BaseException] = []

    def work():
        try:
            client.execute()
        except BaseException as err:  # noqa: BLE001 - handed to the main thread
            outcome.append(err)
    received: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, lambda signum, frame: received.append(signum))
                for s in wanted}
    worker = threading.Thread(target=work, name="mxnp-run-notebook", daemon=True)
    try:
        worker.start()
        while worker.is_alive() and not received:
            worker.join(0.1)
        if received:
            client.stop()
            for _ in range(100):  # the kernel may still be starting: kill it once it is there
                client.kill_kernel()
                worker.join(0.2)
                if not worker.is_alive():
                    break
            return received[0]
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if outcome:
        raise outcome[0]
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mxnp`` console script; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["launch"]:
        from ..kvstore import launch

        return launch.main(argv[1:])
    parser, notebook_options = _parser()
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help(sys.stderr)
        return 2
    path = Path(ns.file)
    try:
        if not path.is_file():
            raise _UsageError(f"no such file: {ns.file}"
                              if not os.path.exists(ns.file) else f"not a file: {ns.file}")
        if path.suffix == ".py":
            if (ns.output, ns.timeout, ns.images, ns.no_images) != (None, None, None, False):
                raise _UsageError("--output, --timeout, --images and --no-images apply to "
                                  "notebooks only")
            return run_script(path, ns.args)
        if path.suffix == ".ipynb":
            notebook_options.parse_args(ns.args, namespace=ns)
            images = None if ns.no_images else Path(ns.images or
                                                    default_image_folder(path, ns.output))
            return run_notebook(path, ns.output, ns.timeout, images)
        raise _UsageError(f"cannot run {ns.file}: expected a .py script or a .ipynb notebook")
    except _UsageError as err:
        print(f"mxnp run: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
