"""Every public name MXNet 1.9.1 lists for Block, HybridBlock, Parameter and ParameterDict
exists, with a one-line docstring on each callable (lists in tests/data/api)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mxnp import gluon

API = Path(__file__).resolve().parents[1] / "data" / "api"
CLASSES = {"gluon.Block": gluon.Block, "gluon.HybridBlock": gluon.HybridBlock,
           "gluon.Parameter": gluon.Parameter, "gluon.ParameterDict": gluon.ParameterDict}


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_listed_members_exist_with_docstrings(kind):
    cls = CLASSES[kind]
    names = (API / f"{kind}.txt").read_text().split()
    missing = [n for n in names if not hasattr(cls, n) and n not in ("name", "init", "lr_mult",
                                                                     "wd_mult")]
    assert missing == []
    undocumented = [n for n in names if callable(getattr(cls, n, None))
                    and not (getattr(cls, n).__doc__ or "").strip()]
    assert undocumented == []


def test_gluon_core_names():
    for name in ("Block", "HybridBlock", "SymbolBlock", "Parameter", "ParameterDict", "Constant",
                 "DeferredInitializationError", "nn", "block", "parameter", "tensor_types"):
        assert hasattr(gluon, name), name
    assert gluon.nn.Block is gluon.Block and gluon.nn.HybridBlock is gluon.HybridBlock
    assert gluon.nn.SymbolBlock is gluon.SymbolBlock
    assert gluon.parameter.ParameterDict is gluon.ParameterDict
    assert set(gluon.__all__) <= set(dir(gluon))


def test_instance_attributes_of_parameter():
    p = gluon.Parameter("w", shape=(1,))
    assert (p.name, p.init, p.lr_mult, p.wd_mult) == ("w", None, 1.0, 1.0)
