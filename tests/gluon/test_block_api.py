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
    missing = [n for n in names if not hasattr(cls, n)]
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


@pytest.mark.parametrize("func, text", [
    (gluon.Parameter.__init__, "(self, name, grad_req='write', shape=None, dtype=<class "
     "'numpy.float32'>, lr_mult=1.0, wd_mult=1.0, init=None, allow_deferred_init=False, "
     "differentiable=True, stype='default', grad_stype='default')"),
    (gluon.Parameter.initialize, "(self, init=None, ctx=None, default_init=U, force_reinit=False)"),
    (gluon.ParameterDict.initialize, "(self, init=U, ctx=None, verbose=False, force_reinit=False)"),
    (gluon.ParameterDict.load, "(self, filename, ctx=None, allow_missing=False, "
     "ignore_extra=False, restore_prefix='', cast_dtype=False, dtype_source='current')"),
    (gluon.Block.__init__, "(self, prefix=None, params=None)"),
    (gluon.Block.initialize, "(self, init=U, ctx=None, verbose=False, force_reinit=False)"),
    (gluon.Block.load_parameters, "(self, filename, ctx=None, allow_missing=False, "
     "ignore_extra=False, cast_dtype=False, dtype_source='current')"),
    (gluon.HybridBlock.hybridize, "(self, active=True, backend=None, clear=True, "
     "static_alloc=False, static_shape=False, inline_limit=2, forward_bulk_size=None, "
     "backward_bulk_size=None, **kwargs)"),
    (gluon.HybridBlock.export, "(self, path, epoch=0, remove_amp_cast=True)"),
    (gluon.SymbolBlock.imports, "(symbol_file, input_names, param_file=None, ctx=None, "
     "allow_missing=False, ignore_extra=False)"),
    (gluon.Constant.__init__, "(self, name, value)"),
])
def test_signatures_match_mxnet(func, text):
    import inspect
    import re

    # MXNet 1.9.1 (mxref); U stands for the default Uniform() object
    sig = re.sub(r"<mxnp\.initializer\.Uniform object at 0x[0-9a-f]+>", "U",
                 str(inspect.signature(func)))
    assert re.sub(r" -> '?None'?$", "", sig) == text
