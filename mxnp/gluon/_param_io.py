"""Saving and loading gluon parameters in MXNet's binary NDArray-dict format (npx.save/load).

Blocks write structural keys (``0.weight``, ``body.1.gamma``); ParameterDicts write full names.
Error texts are MXNet 1.9.1's, since user code and tests match on them.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as onp

from .. import _io
from .. import numpy_extension as npx
from .._mode import is_np_shape
from ..context import Context, cpu
from ._parameter_dict import _NAMING_URL, _brief_print_list


def _read(filename) -> dict:
    """The dict a params file holds; a missing file gives MXNet's ValueError."""
    import os

    if isinstance(filename, (str, os.PathLike)) and not os.path.exists(filename):
        raise ValueError(_io.missing_file_message(filename))
    loaded = npx.load(filename)
    if isinstance(loaded, list) and not loaded:  # an empty dict is written as an empty file
        return {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{filename}: expected a file of named arrays (a dict), found a list "
                         f"of {len(loaded)} unnamed arrays")
    return loaded


# ---- one Parameter --------------------------------------------------------------------------
def _fill_unknown_dims(param, data) -> None:
    if not param.shape:
        return
    for mine, saved in zip(param.shape, data.shape):
        assert mine in (-1, 0, saved), \
            f"Failed loading Parameter '{param.name}' from saved params: shape incompatible " \
            f"expected {param.shape} vs saved {data.shape}"
    param.shape = tuple(saved if mine in (-1, 0) else mine
                        for mine, saved in zip(param.shape, data.shape))


def _match_dtype(param, data, cast_dtype, dtype_source):
    if cast_dtype:
        assert dtype_source in ("current", "saved")
    if not param.dtype:
        return data
    if cast_dtype and onp.dtype(param.dtype) != data.dtype:
        if dtype_source == "current":
            return data.astype(param.dtype, copy=False)
        param.dtype = data.dtype  # a cast: arrays already made take the saved dtype too
        return data
    assert onp.dtype(param.dtype) == data.dtype, \
        f"Failed loading Parameter '{param.name}' from saved params: dtype incompatible " \
        f"expected {param.dtype} vs saved {data.dtype}. Set cast_dtype=True to cast the dtype " \
        "of saved params."
    return data


def load_into(param, data, ctx, cast_dtype=False, dtype_source="current") -> None:
    """Parameter._load_init: fill unknown dims, check dtype, then create or overwrite."""
    _fill_unknown_dims(param, data)
    data = _match_dtype(param, data, cast_dtype, dtype_source)
    if isinstance(ctx, Context):
        ctx = [ctx]
    if param._data is None:
        if param._deferred_init:
            assert ctx is None or set(ctx) == set(param._deferred_init[1]), \
                f"Failed to load Parameter '{param.name}' on {ctx} because it was previous " \
                f"initialized on {param.list_ctx()}."
            ctx = param._deferred_init[1]
        elif ctx is None:
            ctx = [cpu()]
        param._init_impl(data, ctx)
    else:
        assert ctx is None or set(ctx) == set(param.list_ctx()), \
            f"Failed to load Parameter '{param.name}' on {ctx} because it was previous " \
            f"initialized on {param.list_ctx()}."
        param.set_data(data)
    param._deferred_init = ()


def save_arrays(filename, arrays: dict, api: str) -> None:
    """Write ``arrays`` as MXNet 1.9.1's gluon writes parameter files: through ``npx.save`` in
    numpy mode, else ``mx.nd.save``, whose array magic follows the shape semantics, so that
    MXNet's legacy mode can load what the 1.x face saves."""
    _io.save_as(filename, arrays, api, legacy=not is_np_shape())


# ---- ParameterDict (full names) -------------------------------------------------------------
def save_dict(pdict, filename, strip_prefix="") -> None:
    """ParameterDict.save (MXNet's fails in numpy mode; mxnp writes the same format)."""
    arrays = {}
    for param in pdict.values():
        if not param.name.startswith(strip_prefix):
            raise ValueError(
                f"Prefix '{strip_prefix}' is to be striped before saving, but Parameter's name "
                f"'{param.name}' does not start with '{strip_prefix}'. this may be due to your "
                "Block shares parameters from other Blocks or you forgot to use 'with "
                "name_scope()' when creating child blocks. For more info on naming, please see "
                + _NAMING_URL)
        arrays[param.name[len(strip_prefix):]] = param._reduce()
    save_arrays(filename, arrays, "ParameterDict.save")


def load_file(pdict, filename, ctx, allow_missing, ignore_extra, restore_prefix, cast_dtype,
              dtype_source) -> None:
    """ParameterDict.load."""
    if restore_prefix:
        for name in pdict:
            assert name.startswith(restore_prefix), \
                f"restore_prefix is '{restore_prefix}' but Parameters name '{name}' does not " \
                f"start with '{restore_prefix}'. For more info on naming, please see " \
                + _NAMING_URL
    load_dict(pdict, _read(filename), ctx, allow_missing, ignore_extra, restore_prefix,
              filename, cast_dtype, dtype_source)


def load_dict(pdict, param_dict, ctx, allow_missing, ignore_extra, restore_prefix, filename,
              cast_dtype, dtype_source) -> None:
    """ParameterDict.load_dict: match full names, tags ``arg:``/``aux:`` dropped."""
    n = len(restore_prefix)
    pairs = param_dict.items() if isinstance(param_dict, dict) else param_dict
    loaded = {restore_prefix + (k[4:] if k.startswith(("arg:", "aux:")) else k): v
              for k, v in pairs}
    where = f"file: {filename}" if filename else "param_dict"
    if not allow_missing:
        for name in pdict:
            assert name in loaded, \
                f"Parameter '{name[n:]}' is missing in {where}, which contains parameters: " \
                f"{_brief_print_list(loaded.keys())}. Please make sure source and target " \
                f"networks have the same prefix.For more info on naming, please see " \
                + _NAMING_URL
    for name, value in loaded.items():
        if name not in pdict:
            assert ignore_extra, \
                f"Parameter '{name[n:]}' loaded from {where} is not present in ParameterDict, " \
                f"choices are: {_brief_print_list(pdict.keys())}. Set ignore_extra to True to " \
                "ignore. Please make sure source and target networks have the same prefix.For " \
                "more info on naming, please see " + _NAMING_URL
            continue
        pdict[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)


# ---- Block (structural names) ---------------------------------------------------------------
def save_block(block, filename, deduplicate=False) -> None:
    """Block.save_parameters: structural keys; a shared Parameter once under its last key if
    ``deduplicate``."""
    params = block._collect_params_with_prefix()
    if deduplicate:
        last_key = {p: k for k, p in params.items()}
        params = {k: p for p, k in last_key.items()}
    save_arrays(filename, {k: p._reduce() for k, p in params.items()}, "Block.save_parameters")


def save_legacy(block, filename) -> None:
    """Block.save_params: full names less the block's prefix (deprecated in MXNet too)."""
    import warnings

    warnings.warn("save_params is deprecated. Please use save_parameters. Note that if you want "
                  "load from SymbolBlock later, please use export instead. For details, see "
                  "https://mxnet.incubator.apache.org/tutorials/gluon/save_load_params.html",
                  stacklevel=3)
    try:
        block.collect_params().save(filename, strip_prefix=block.prefix)
    except ValueError as e:
        raise ValueError(f"{e}\nsave_params is deprecated. Using save_parameters may resolve "
                         "this error.") from e


def load_block(block, filename, ctx, allow_missing, ignore_extra, cast_dtype,
               dtype_source) -> None:
    """Block.load_parameters: structural keys, or full names for files without any '.'."""
    loaded = _read(filename)
    params = block._collect_params_with_prefix()
    if not loaded and not params:
        return
    if not any("." in k for k in loaded):
        # files of prefixed names (legacy save_params, export): MXNet matches full names
        block.collect_params().load(filename, ctx, allow_missing, ignore_extra, block.prefix,
                                    cast_dtype=cast_dtype, dtype_source=dtype_source)
        return
    if not allow_missing:
        keys_of = defaultdict(list)  # a shared Parameter may be saved under any of its keys
        for k, p in params.items():
            keys_of[p].append(k)
        for name, p in params.items():
            assert any(k in loaded for k in keys_of[p]), \
                f"Parameter '{name}' is missing in file '{filename}', which contains " \
                f"parameters: {_brief_print_list(loaded.keys())}. Set allow_missing=True to " \
                "ignore missing parameters."
    for name, value in loaded.items():
        if not ignore_extra and name not in params:
            raise ValueError(
                f"Parameter '{name}' loaded from file '{filename}' is not present in "
                f"ParameterDict, which contains parameters "
                f"{_brief_print_list(block._params.keys())}. Set ignore_extra=True to ignore. ")
        if name in params:
            params[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)


# ---- Block.save / Block.load (architecture names + parameters) -------------------------------
def _structure(blk, index: list, into: dict) -> None:
    """MXNet's model JSON: each block under its class name + visit number, with its name and its
    children's attribute keys. mxnp has no cached graph, so ``hybridized`` is always False."""
    from .block import HybridBlock

    entry = {"orig_name": blk.name}
    into[type(blk).__name__.lower() + str(index[0])] = entry
    if isinstance(blk, HybridBlock):
        entry["hybridized"] = False
    children = entry["children"] = {}
    for key, child in blk._children.items():
        index[0] += 1
        children[child.name] = key
        _structure(child, index, entry)


def save_model(block, prefix) -> None:
    """Block.save: ``prefix-model.json`` (names) and ``prefix-model.params``."""
    import json

    model = {}
    _structure(block, [0], model)
    with open(prefix + "-model.json", "w") as fp:
        json.dump(model, fp)
    block.save_parameters(prefix + "-model.params")


def _restore_names(blk, index: list, structure: dict) -> None:
    entry = structure[type(blk).__name__.lower() + str(index[0])]
    blk._name = entry["orig_name"]
    if entry.get("hybridized"):  # a graph saved by MXNet: mxnp reruns the Python body instead
        blk._active = True
    params = blk.params._params
    for old in list(params):  # MXNet renames the dict keys only, not Parameter.name
        params[blk.name + "_" + old[len(blk.params._prefix):]] = params.pop(old)
    for child in blk._children.values():
        index[0] += 1
        _restore_names(child, index, entry)
    renamed = [(entry["children"][child.name], child) for child in blk._children.values()]
    blk._children.clear()
    blk._children.update(renamed)


def load_model(block, prefix) -> None:
    """Block.load: take back the saved block names, then the parameters."""
    import json

    with open(prefix + "-model.json") as fp:
        model = json.load(fp)
    _restore_names(block, [0], model)
    block.load_parameters(prefix + "-model.params")
