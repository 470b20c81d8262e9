"""Running a notebook in a real Jupyter kernel, echoing each output to the terminal as it comes.

Needs the ``notebook`` extra (nbclient, nbformat, ipykernel); ``mxnp.compat.cli`` imports this
module only when asked to run a notebook.
"""
from __future__ import annotations

import base64
import binascii
import re
import sys
from pathlib import Path

import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

# Runs silently before the first cell, so the notebook's own first cell is still In [1].
_SETUP = '__import__("mxnp.compat.alias").compat.alias.mxnet_environment()'
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class KernelSetupError(RuntimeError):
    """The kernel started but could not turn the mxnet alias on (mxnp failed to import there)."""


class KernelStopped(RuntimeError):
    """The run was stopped from outside; no further cell runs."""


class _ThisPythonSpecs(KernelSpecManager):
    """Every kernel name gives ipykernel on this interpreter (sys.executable).

    A ``python3`` kernelspec installed in a Jupyter data folder wins over the native one in
    jupyter_client's lookup, and may start another Python, one that has no mxnp.
    """

    def get_kernel_spec(self, kernel_name):
        # ipykernel belongs to the optional notebook extra, checked when `mxnp run` starts
        from ipykernel.kernelspec import RESOURCES, get_kernel_dict

        return self.kernel_spec_class(resource_dir=RESOURCES, **get_kernel_dict())


class ThisPythonKernelManager(AsyncKernelManager):
    """A kernel manager that starts ipykernel on sys.executable, whatever kernelspecs exist."""

    def __init__(self, **kw):
        super().__init__(**kw)
        # Encrypt the kernel's sockets where jupyter_client and pyzmq can: ipykernel >= 7.4 warns
        # on every start that plain TCP carries code and outputs in the clear.
        if (self.has_trait("transport_encryption") and self.transport_encryption == "disabled"
                and zmq.has("curve")):
            self.transport_encryption = "auto"

    @default("kernel_spec_manager")
    def _this_python_specs(self):
        return _ThisPythonSpecs(data_dir=self.data_dir)


# The image types a notebook output may carry, in the order one is picked, and their file suffixes.
_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}
_REDRAWN = object()  # a figure rewritten to a file already named on the terminal
_IMAGE_NAME = re.compile(r"cell\d+_\d+(\.png|\.jpg|\.svg)")


def image_type(out) -> str | None:
    """The MIME type of the image a display_data/execute_result output carries, or None."""
    data = out.get("data", {}) if out["output_type"] in ("display_data", "execute_result") else {}
    return next((kind for kind in _IMAGE_TYPES if kind in data), None)


class ImageSaver:
    """Writes the images of a notebook's outputs into ``folder`` as ``cell<N>_<K>.<ext>``.

    N counts the notebook's cells from 1 and K a cell's image outputs from 1, so a figure that a
    cell clears and draws again (``clear_output(wait=True)``, as d2l's Animator does) keeps
    being rewritten to the same file. The folder is made at the first image: a notebook that
    draws nothing leaves none. Files from an earlier run with the same names are removed then.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._written: set[Path] = set()

    def save(self, out, cell_index: int, number: int) -> tuple[Path, bool]:
        """Write the image of ``out``; returns its path and whether this run wrote it before."""
        kind = image_type(out)
        payload = out["data"][kind]
        payload = "".join(payload) if isinstance(payload, list) else payload
        if kind == "image/svg+xml":
            content = payload.encode("utf-8")
        else:
            try:
                content = base64.b64decode("".join(payload.split()), validate=True)
            except (binascii.Error, ValueError) as err:
                raise ValueError(f"the {kind} output of cell {cell_index + 1} is not base64 "
                                 f"data: {err}") from None
        if not self._written:
            self._start_folder()
        path = self.folder / f"cell{cell_index + 1}_{number}{_IMAGE_TYPES[kind]}"
        path.write_bytes(content)
        seen = path in self._written
        self._written.add(path)
        return path, seen

    def _start_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.iterdir():
            if _IMAGE_NAME.fullmatch(old.name) and old.is_file():
                old.unlink()


class _Terminal:
    """Writes outputs to stdout/stderr, making sure each output ends a line."""

    def __init__(self):
        self._line_open = False

    def write(self, stream, text: str) -> None:
        if text:
            stream.write(text)
            stream.flush()
            self._line_open = not text.endswith("\n")

    def end_line(self) -> None:
        if self._line_open:
            self.write(sys.stdout, "\n")

    def show(self, out, figure: Path | None = None) -> None:
        """Print one output; an image saved to ``figure`` is named instead of its text."""
        kind = out["output_type"]
        if kind == "stream":
            # Stream text goes out as is: a print(..., end="") may be finished by the next chunk.
            self.write(sys.stderr if out["name"] == "stderr" else sys.stdout, out["text"])
            return
        self.end_line()
        if figure is not None:
            self.write(sys.stdout, f"[figure] {figure}\n")
        elif kind in ("execute_result", "display_data"):
            data = out["data"]
            text = data.get("text/plain", "<" + ", ".join(sorted(data)) + ">")
            self.write(sys.stdout, text + "\n")
        elif kind == "error":
            self.write(sys.stderr, strip_ansi("\n".join(out["traceback"])) + "\n")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


class EchoingNotebookClient(NotebookClient):
    """A NotebookClient on this interpreter's ipykernel, with the mxnet alias on in the kernel.

    Each output is printed as the kernel sends it; ``error_cell`` is the index of the cell whose
    error stopped the run, if any. With ``images`` (an ImageSaver), image outputs are written to
    files and named on the terminal instead.
    """

    def __init__(self, nb, images: ImageSaver | None = None, **kw):
        kw.setdefault("kernel_manager_class", ThisPythonKernelManager)
        kw.setdefault("kernel_name", "python3")
        super().__init__(nb, **kw)
        self.error_cell: int | None = None
        self._alias_kernel = None  # the kernel client whose kernel has the alias on
        self._terminal = _Terminal()
        self._stopped = False
        self._images = images

    def stop(self) -> None:
        """Run no further cell and print nothing more (mxnp run got SIGINT or SIGTERM)."""
        self._stopped = True

    def kill_kernel(self) -> None:
        """Kill the kernel process now, if there is one (safe from another thread)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        # The alias goes on here rather than at kernel start: an error raised inside execute()'s
        # kernel context still shuts the kernel down.
        if self._stopped:
            raise KernelStopped("stopped by a signal")
        if self._alias_kernel is not self.kc:
            await self._enable_alias()
            self._alias_kernel = self.kc
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            self._terminal.end_line()

    async def _enable_alias(self) -> None:
        reply = await self.kc.execute_interactive(
            _SETUP, silent=True, timeout=self.startup_timeout, output_hook=lambda msg: None)
        content = reply["content"]
        if content["status"] != "ok":
            shown = content.get("traceback") or [f"{content.get('ename')}: {content.get('evalue')}"]
            raise KernelSetupError(strip_ansi("\n".join(shown)))

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None and not self._stopped:
            if out["output_type"] == "error":
                self.error_cell = cell_index
            figure = self._save_image(outs, out, cell_index)
            if figure is not _REDRAWN:
                self._terminal.show(out, figure)
        return out

    def _update_display_id(self, display_id, msg):
        # nbclient writes an update_display_data (``handle.update(fig)``) into the outputs shown
        # under that display id, in place, without output(): their files are rewritten here.
        super()._update_display_id(display_id, msg)
        if self._images is None or self._stopped:
            return
        for cell_index, places in self._display_id_map.get(display_id, {}).items():
            outs = self.nb.cells[cell_index].outputs
            for place in places:
                if place < len(outs) and image_type(outs[place]) is not None:
                    self._save_image(outs[:place + 1], outs[place], cell_index)

    def _save_image(self, outs, out, cell_index: int):
        """The path the image of ``out`` was saved to, None if it has none (or was not saved),
        or _REDRAWN for a figure drawn again (after a clear_output, or updated through its
        display id), whose file was rewritten."""
        # Its number is its place among the cell's image outputs shown now, so one drawn again
        # after a clear_output overwrites its file.
        if self._images is None or image_type(out) is None:
            return None
        number = sum(image_type(o) is not None for o in outs)
        try:
            path, seen = self._images.save(out, cell_index, number)
        except (OSError, ValueError) as err:
            self._terminal.write(sys.stderr, f"mxnp run: image not saved: {err}\n")
            return None
        return _REDRAWN if seen else path
