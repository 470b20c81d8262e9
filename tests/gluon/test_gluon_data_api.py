"""Every public name of MXNet 1.9.1's gluon.data (tests/data/api/gluon.data.txt) exists here,
documented; mx.recordio has MXNet's names and signatures."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import mxnp
from mxnp import recordio

NAMES = (Path(__file__).resolve().parents[1] / "data" / "api" / "gluon.data.txt").read_text()


@pytest.mark.parametrize("name", sorted(NAMES.split()))
def test_gluon_data_name_exists_with_a_docstring(name):
    obj = getattr(mxnp.gluon.data, name)
    assert (obj.__doc__ or "").strip(), f"gluon.data.{name} has no docstring"


# MXNet 1.9.1 (mxref): inspect.signature of each name
SIGNATURES = {
    "DataLoader": "(dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None, "
                  "batch_sampler=None, batchify_fn=None, num_workers=0, pin_memory=False, "
                  "pin_device_id=0, prefetch=None, thread_pool=False, timeout=120, "
                  "auto_reload=False)",
    "SequentialSampler": "(length, start=0)", "RandomSampler": "(length)",
    "BatchSampler": "(sampler, batch_size, last_batch='keep')", "FilterSampler": "(fn, dataset)",
    "ArrayDataset": "(*args)", "SimpleDataset": "(data)", "RecordFileDataset": "(filename)",
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_gluon_data_signatures(name):
    assert str(inspect.signature(getattr(mxnp.gluon.data, name))) == SIGNATURES[name]


def test_dataset_methods_signatures():
    methods = {"filter": "(self, fn)", "sample": "(self, sampler)",
               "shard": "(self, num_shards, index)", "take": "(self, count)",
               "transform": "(self, fn, lazy=True)", "transform_first": "(self, fn, lazy=True)"}
    for name, signature in methods.items():
        assert str(inspect.signature(getattr(mxnp.gluon.data.Dataset, name))) == signature


def test_recordio_names_and_signatures():
    # MXNet 1.9.1 (mxref)
    expected = {"MXRecordIO": "(uri, flag)",
                "MXIndexedRecordIO": "(idx_path, uri, flag, key_type=<class 'int'>)",
                "pack": "(header, s)", "unpack": "(s)",
                "pack_img": "(header, img, quality=95, img_fmt='.jpg')",
                "unpack_img": "(s, iscolor=-1)"}
    for name, signature in expected.items():
        obj = getattr(recordio, name)
        assert str(inspect.signature(obj)) == signature and obj.__doc__.strip()
    for method in ("open", "close", "reset", "read", "write", "read_idx", "write_idx", "seek",
                   "tell"):
        assert getattr(recordio.MXIndexedRecordIO, method).__doc__.strip()
    assert recordio.IRHeader.__doc__.strip()
