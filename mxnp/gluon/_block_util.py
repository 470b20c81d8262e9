"""Helpers of block.py: the ``F`` namespaces, the two faces, input checks and output regrouping.

The face is MXNet's array switch (``npx.set_np()``): off, blocks take and give ``mx.nd.NDArray``
and a user's ``hybrid_forward`` gets ``F = mx.nd``; on, ``mx.np.ndarray`` and ``F.np``/``F.npx``.
mxnp's own layers are written for the numpy face and see it in both: their inputs and outputs
are shown in the caller's face at the block's edge (views: same data, same tape node).
"""
from __future__ import annotations

import threading

from .. import _mode
from .. import ndarray as nd
from .. import numpy as np
from .. import numpy_extension as npx
from .._ndarray import ndarray as _NP_ARRAY
from .._tape import STATE
from ..ndarray.ndarray import NDArray, nd_view, np_view


def _indent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


def _is_block(x) -> bool:
    from .block import Block

    return isinstance(x, Block)


def _has_unregistered_block(data, children) -> bool:
    if isinstance(data, (list, tuple)):
        return any(_has_unregistered_block(v, children) for v in data)
    if isinstance(data, dict):
        return any(_has_unregistered_block(v, children) for v in data.values())
    return _is_block(data) and not any(data is c for c in children)


def replace_param(block, attr, param) -> None:
    """Make ``param`` the block's Parameter registered as ``attr`` (share_parameters)."""
    old = block._reg_params[attr]
    block._reg_params[attr] = param
    if block.__dict__.get(attr) is old:
        object.__setattr__(block, attr, param)
    entries = block._params._params
    rebuilt = [(param.name, param) if v is old else (k, v) for k, v in entries.items()]
    entries.clear()
    entries.update(rebuilt)


class _F:
    """The ``F`` handed to ``hybrid_forward``: ``F.np`` and ``F.npx`` are mxnp's."""

    np = np
    npx = npx

    def __repr__(self) -> str:
        # MXNet prints the module it hands over (<module 'mxnet.ndarray' ...>); D2L prints F
        return "<module 'mxnp.numpy' as F.np, 'mxnp.numpy_extension' as F.npx>"

    def __getattr__(self, name):
        raise AttributeError(
            f"F.{name}: legacy operators do not exist in mxnp (MXNet's numpy mode refuses them "
            f"too); use F.np.{name} or F.npx.{name}")


F = _F()
LEGACY_F = nd  # MXNet 1.x hands its ndarray module to hybrid_forward; it has .np and .npx too


def legacy_face() -> bool:
    """Whether blocks show the 1.x face now (MXNet's array switch is off)."""
    return not _mode.is_np_array()


def face_view(x, legacy: bool):
    """A new NDArray (``legacy``) or np.ndarray over ``x``'s data and tape node; a step of
    a hybridized program when traced (export writes it as nothing: the same value)."""
    out = nd_view(x) if legacy else np_view(x)
    if STATE.tracer is not None:  # a hybridized replay makes the view again
        STATE.tracer.record(face_view, (x, legacy), {}, out)
    return out


def as_face(obj, legacy: bool):
    """``obj`` with each mxnp array in it (lists and tuples followed) shown as an ``NDArray``
    (``legacy``) or an ``mx.np.ndarray``: arrays already so are kept (and so is ``obj`` when
    all of them are), others become views."""
    cls = type(obj)
    if cls is _NP_ARRAY:  # the common cases first: a block's call runs this twice
        return face_view(obj, True) if legacy else obj
    if cls is NDArray:
        return obj if legacy else face_view(obj, False)
    if cls is tuple or cls is list:
        kept = NDArray if legacy else _NP_ARRAY
        for o in obj:  # rebuilt only when something in it changes
            if type(o) is not kept and (isinstance(o, _NP_ARRAY) or type(o) in (tuple, list)):
                return cls([as_face(o, legacy) for o in obj])
    return obj


def no_legacy_outputs(out) -> None:
    """MXNet's check in numpy mode: a block gives ``mx.np`` arrays, never 1.x NDArrays."""
    if type(out) is NDArray:
        raise TypeError("Block's output ndarrays/symbols must be of type `mxnet.numpy.ndarray` "
                        "or `mxnet.symbol.numpy._Symbol`, while got output type "
                        "<class 'mxnet.ndarray.ndarray.NDArray'>")
    if type(out) is list or type(out) is tuple:
        for o in out:
            no_legacy_outputs(o)


def _flat_arrays(args) -> list:
    """The mxnp arrays in ``args``, lists and tuples followed."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(a)
        elif isinstance(a, (list, tuple)):
            out.extend(_flat_arrays(a))
    return out


def _first_ndarray(args):
    for a in args:
        if isinstance(a, np.ndarray):
            return a
        if isinstance(a, (list, tuple)):
            found = _first_ndarray(a)
            if found is not None:
                return found
    return None


def _as_lists(out):
    """MXNet's cached graph hands multiple outputs back as (nested) lists."""
    if isinstance(out, (list, tuple)):
        return [_as_lists(o) for o in out]
    return out


class _Hybrid(threading.local):
    """Whether a hybridized block's forward is running on this thread."""

    def __init__(self):
        self.depth = 0


_hybrid = _Hybrid()


def inside_hybridized() -> bool:
    """True inside a hybridized block's forward: MXNet runs children there as one traced graph,
    so they take the plain path (tuples, scalar inputs) whatever their own hybridize state."""
    return _hybrid.depth > 0


class hybridized_scope:
    """``with hybridized_scope():`` marks the forward of a hybridized block."""

    def __enter__(self):
        _hybrid.depth += 1
        return self

    def __exit__(self, *exc):
        _hybrid.depth -= 1
