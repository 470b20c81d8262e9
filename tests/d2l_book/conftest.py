"""The real ``d2l`` library (the MXNet edition of Dive into Deep Learning, 1.0.3) run on mxnp
through the ``import mxnet`` alias, on small data written in the book's on-disk formats.

d2l is optional: it pins an old NumPy, so CI cannot install it, and every test that takes the
``d2l`` fixture is skipped with the reason when it (or its plotting and table dependencies) is
missing. ``requests`` is not needed: where it is absent a stand-in that refuses to download is
used, and where it is present its ``get`` is replaced by the same refusal, so a test can never
reach the network through ``d2l.download``.
"""
from __future__ import annotations

import importlib.util
import os
import random
import sys
import types

import numpy as onp
import pytest

from mxnp import npx
from mxnp import random as mx_random
from mxnp.compat import alias

from . import book_data

_NEEDS = ("d2l", "matplotlib", "matplotlib_inline", "pandas", "IPython")


@pytest.fixture(autouse=True)
def chapter_start():
    """Every chapter of the book starts with ``npx.set_np()`` (the root conftest restores the
    switches after each test). The generators are seeded, and NumPy's and Python's put back
    afterwards: gluon's shuffling draws from NumPy's, d2l's word sampling from Python's."""
    npx.set_np()
    states = onp.random.get_state(), random.getstate()
    onp.random.seed(0)
    random.seed(0)
    mx_random.seed(0)
    yield
    onp.random.set_state(states[0])
    random.setstate(states[1])


def _missing():
    return [name for name in _NEEDS if importlib.util.find_spec(name) is None]


@pytest.fixture
def d2l(tmp_path, monkeypatch):
    """``from d2l import mxnet as d2l`` under the alias, with the working folder in tmp_path (so
    the book's '../data' is tmp_path/data), MXNET_HOME there holding Fashion-MNIST-format files,
    plotting off screen, and seeded generators."""
    missing = _missing()
    if missing:
        pytest.skip(f"the D2L book tests need {', '.join(missing)} (d2l pins numpy 1.23.5, so "
                    "CI cannot install it; pip install d2l==1.0.3 --no-deps to run them)")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if importlib.util.find_spec("requests") is None:
        monkeypatch.setitem(sys.modules, "requests", types.SimpleNamespace(get=book_data.no_network))
    else:
        import requests
        monkeypatch.setattr(requests, "get", book_data.no_network)
    was_on = alias._FINDER in sys.meta_path
    alias.enable_mxnet_alias()
    try:
        from d2l import mxnet as d2l_mxnet
        from IPython import display
        from matplotlib import pyplot as plt

        from mxnp.gluon.data.vision import FashionMNIST

        monkeypatch.setattr(display, "display", lambda *args, **kwargs: None)
        monkeypatch.setattr(display, "clear_output", lambda *args, **kwargs: None)
        monkeypatch.setenv("MXNET_HOME", str(tmp_path))
        hashes = book_data.write_fashion_mnist(tmp_path / "datasets" / "fashion-mnist")
        book_data.use_fashion_files(monkeypatch, FashionMNIST, hashes)
        os.makedirs(tmp_path / "work")
        monkeypatch.chdir(tmp_path / "work")
        yield d2l_mxnet
        plt.close("all")
    finally:
        if not was_on:
            alias.disable_mxnet_alias()

