"""`mxnp run` saves the images a notebook shows beside it and names each on the terminal."""
from __future__ import annotations

import base64
import struct
import zlib

import pytest


# A 2x3 8-bit greyscale PNG, built here from its chunks: the bytes a notebook displays and the
# file must hold, byte for byte.
def _png(width=3, height=2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes(range(row, row + width)) for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes the notebook shows \xff\xd9"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="4"/>'

# cell 1 prints, cell 2 shows a PNG and a JPEG, cell 3 draws an SVG three times over
# clear_output(wait=True) (as d2l's Animator does), cell 4 gives a PNG as its result.
CELLS = (
    "from IPython.display import Image, SVG, clear_output, display\nprint('start')",
    (f"display(Image(data={PNG!r}))\nprint('between')\n"
     f"display(Image(data={JPEG!r}, format='jpeg'))"),
    f"for i in range(3):\n    clear_output(wait=True)\n    display(SVG({SVG!r}.format(i + 1)))",
    f"Image(data={PNG!r})",
)


@pytest.mark.notebook
def test_images_saved_beside_output_and_named_as_they_come(notebook, run_mxnp, tmp_path):
    nb = notebook(tmp_path / "chapter.ipynb", *CELLS)
    out = tmp_path / "done" / "executed.ipynb"
    out.parent.mkdir()
    folder = out.parent / "executed_images"
    proc = run_mxnp("run", nb, "--output", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "start", f"[figure] {folder / 'cell2_1.png'}", "between",
        f"[figure] {folder / 'cell2_2.jpg'}", f"[figure] {folder / 'cell3_1.svg'}",
        f"[figure] {folder / 'cell4_1.png'}"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "cell2_1.png", "cell2_2.jpg", "cell3_1.svg", "cell4_1.png"]
    assert (folder / "cell2_1.png").read_bytes() == PNG == (folder / "cell4_1.png").read_bytes()
    assert (folder / "cell2_2.jpg").read_bytes() == JPEG
    assert (folder / "cell3_1.svg").read_text() == SVG.format(3)  # the last drawing
    assert not (tmp_path / "chapter_images").exists()


@pytest.mark.notebook
def test_images_default_beside_the_notebook_and_stale_files_replaced(notebook, run_mxnp, tmp_path):
    notebook(tmp_path / "nb.ipynb", CELLS[0], CELLS[3])
    folder = tmp_path / "nb_images"
    folder.mkdir()
    (folder / "cell9_1.png").write_bytes(b"from an earlier run")
    (folder / "notes.txt").write_text("mine")
    # a relative notebook path gives a relative image path on the terminal
    proc = run_mxnp("run", "nb.ipynb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "start\n[figure] nb_images/cell2_1.png\n", proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["cell2_1.png", "notes.txt"]


@pytest.mark.notebook
def test_images_option_and_no_images(notebook, run_mxnp, tmp_path):
    nb = notebook(tmp_path / "nb.ipynb", CELLS[0], CELLS[3])
    chosen = tmp_path / "figs" / "here"
    proc = run_mxnp("run", nb, "--images", chosen)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"start\n[figure] {chosen / 'cell2_1.png'}\n"
    assert (chosen / "cell2_1.png").read_bytes() == PNG
    proc = run_mxnp("run", nb, "--no-images")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "start\n<IPython.core.display.Image object>\n"
    assert not (tmp_path / "nb_images").exists()


@pytest.mark.notebook
def test_image_updated_through_its_display_id_rewrites_its_file(notebook, run_mxnp, tmp_path):
    other = _png(width=5)
    nb = notebook(tmp_path / "nb.ipynb",
                  "from IPython.display import Image, display\n"
                  f"handle = display(Image(data={PNG!r}), display_id=True)\nprint('shown')",
                  f"handle.update(Image(data={other!r}))\nprint('updated')")
    proc = run_mxnp("run", nb)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "nb_images"
    assert proc.stdout == f"[figure] {folder / 'cell1_1.png'}\nshown\nupdated\n"
    assert [p.name for p in folder.iterdir()] == ["cell1_1.png"]
    assert (folder / "cell1_1.png").read_bytes() == other


@pytest.mark.notebook
def test_notebook_without_images_writes_no_folder(notebook, run_mxnp, tmp_path):
    nb = notebook(tmp_path / "plain.ipynb", "print(6 * 7)", "'text'")
    out = tmp_path / "out.ipynb"
    proc = run_mxnp("run", nb, "--output", out)
    assert (proc.returncode, proc.stdout) == (0, "42\n'text'\n"), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ipynb", "plain.ipynb"]


@pytest.mark.notebook
def test_matplotlib_figure_saved(notebook, run_mxnp, tmp_path):
    pytest.importorskip("matplotlib", reason="the matplotlib variant needs matplotlib "
                                             "(the d2l extra); the PNG tests above cover the rest")
    nb = notebook(tmp_path / "plot.ipynb",
                   "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1.5))\n"
                   "ax.plot([0, 1, 4, 9])\nplt.show()",
                   "%config InlineBackend.figure_formats = ['svg']\n"
                   "plt.plot([3, 1, 2])\nplt.show()")
    proc = run_mxnp("run", nb)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "plot_images"
    assert proc.stdout == (f"[figure] {folder / 'cell1_1.png'}\n"
                           f"[figure] {folder / 'cell2_1.svg'}\n")
    png = (folder / "cell1_1.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 50 and height > 50  # a drawn figure, not an empty placeholder
    assert "<svg" in (folder / "cell2_1.svg").read_text()


def test_images_rejected_for_scripts_and_a_file_as_folder(notebook, run_mxnp, tmp_path):
    script = tmp_path / "s.py"
    script.write_text("print(1)\n")
    for option in (["--images", tmp_path / "d"], ["--no-images"]):
        proc = run_mxnp("run", *option, script)
        assert proc.returncode == 2 and "notebooks only" in proc.stderr
    nb = notebook(tmp_path / "nb.ipynb", "1")
    proc = run_mxnp("run", nb, "--images", script)
    assert proc.returncode == 2 and "it is a file, not a folder" in proc.stderr


def test_image_saver_rejects_damaged_base64(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    from mxnp.compat.notebook import ImageSaver

    saver = ImageSaver(tmp_path / "imgs")
    bad = nbformat.v4.new_output("display_data", data={"image/png": "not base64!"})
    with pytest.raises(ValueError, match="image/png output of cell 3 is not base64"):
        saver.save(bad, 2, 1)
    good = nbformat.v4.new_output(
        "display_data", data={"image/png": base64.b64encode(PNG).decode()})
    assert saver.save(good, 2, 1) == (tmp_path / "imgs" / "cell3_1.png", False)
    assert saver.save(good, 2, 1) == (tmp_path / "imgs" / "cell3_1.png", True)
