"""D2L scenarios where mxnp still shows something other than MXNet 1.9.1 (docs/parity-findings.md).

Each is a strict xfail naming its finding: when the owner fixes it, the test passes, the xfail
turns into a failure, and the mark should go. The expected behaviour is MXNet's, recorded with
/work/shared/tools/mxref (and these functions pass as written under the real MXNet).
"""
from __future__ import annotations

import os

import pytest

import mxnp as mx
from mxnp import init
from mxnp import numpy as np
from mxnp.gluon import nn

from .d2l_scenario_support import fresh_process  # noqa: F401 (autouse fixture)


class HybridNet(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = nn.Dense(4)
        self.output = nn.Dense(2)

    def hybrid_forward(self, F, x):
        print('module F: ', F)
        print('value  x: ', x)
        x = F.npx.relu(self.hidden(x))
        return self.output(x)


def test_hybridized_body_runs_once(capsys):
    net = HybridNet()
    net.initialize(init.One())
    x = np.ones((1, 3))
    net(x)
    assert capsys.readouterr().out.count('value  x: ') == 1
    net.hybridize()
    for _ in range(3):
        net(x)
    # MXNet 1.9.1 (mxref): traced once, then the cached graph runs; x is a symbol there
    out = capsys.readouterr().out
    assert out.count('value  x: ') == 1 and 'value  x:  <_Symbol data>' in out


def test_export_writes_symbol_and_params(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation='relu'), nn.Dense(2))
    net.initialize()
    net.hybridize()
    net(np.ones((1, 3)))
    net.export('my_mlp')
    # MXNet 1.9.1 (mxref)
    assert sorted(os.listdir('.')) == ['my_mlp-0000.params', 'my_mlp-symbol.json']


def test_hybrid_forward_F_prints_as_a_module(capsys):
    net = HybridNet()
    net.initialize(init.One())
    net(np.ones((1, 3)))
    # MXNet 1.9.1 (mxref): module F:  <module 'mxnet.ndarray' from '.../mxnet/ndarray/__init__.py'>
    assert capsys.readouterr().out.startswith("module F:  <module '")


def test_name_manager_restarts_block_counters():
    nn.Dense(2)
    with mx.name.NameManager():
        d = nn.Dense(2)
    with mx.name.Prefix('mynet_'):
        e = nn.Dense(2)
    # MXNet 1.9.1 (mxref)
    assert (d.name, e.name, e.prefix) == ('dense0', 'mynet_dense0', 'mynet_dense0_')


@pytest.mark.xfail(strict=True, reason="parity-findings F7 (CORE): Block.share_parameters and "
                   "Parameter.stype are public names MXNet 1.9.1 lacks")
def test_public_names_are_mxnet_1_9_1s():
    dense = nn.Dense(2)
    # MXNet 1.9.1 (mxref): neither name is listed by dir()
    assert 'share_parameters' not in dir(dense) and 'stype' not in dir(dense.weight)


def test_imread_of_a_missing_file_raises_mxnet_error(tmp_path):
    # MXNet 1.9.1 (mxref): MXNetError: Imread: Check failed: file.is_open(): ... couldn't open file
    with pytest.raises(mx.base.MXNetError, match=r"^Imread: Check failed: file.is_open\(\): "
                                                  r"'.*nope.png' couldn't open file: No such "
                                                  r"file or directory$"):
        mx.image.imread(os.path.join(str(tmp_path), 'nope.png'))
