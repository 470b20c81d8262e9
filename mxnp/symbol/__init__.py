"""``mx.sym``: MXNet's legacy symbolic graphs, evaluated on mxnp's arrays.

Variables, operators (every ``mx.nd`` operator name, and the numpy-mode names of exported
files), groups, JSON files in MXNet's format, shape and type inference and executors; ``mx.sym.np`` and
``mx.sym.npx`` build nodes of numpy semantics (``_npsymbol.py``). An
operator function (``mx.sym.FullyConnected``) is made on first use from the operator table.
"""
from __future__ import annotations

from . import _internal as _internal  # mx.sym._internal
from . import _opdefs, contrib, image, linalg, numpy, numpy_extension, op, random, sparse
from ._functions import op_function
from .executor import Executor
from .symbol import (
    Group,
    Symbol,
    Variable,
    hypot,
    load,
    load_json,
    maximum,
    minimum,
    pow,
    power,
    var,
)

np = numpy  # mx.sym.np: the numpy face of Symbols
npx = numpy_extension

__all__ = ["Executor", "Group", "Symbol", "Variable", "arange", "contrib", "eye", "full",
           "histogram", "hypot", "image", "linalg", "linspace", "load", "load_json", "maximum",
           "minimum", "np", "npx", "numpy", "numpy_extension", "ones", "pow", "power", "random",
           "sparse", "split_v2", "var", "zeros"]


def zeros(shape, dtype=None, **kwargs) -> Symbol:
    """A Symbol of zeros (MXNet's ``_zeros`` node; float32 unless ``dtype`` says)."""
    return op_function("_zeros")(shape=shape, dtype=dtype or "float32", **kwargs)


def ones(shape, dtype=None, **kwargs) -> Symbol:
    """A Symbol of ones (MXNet's ``_ones`` node; float32 unless ``dtype`` says)."""
    return op_function("_ones")(shape=shape, dtype=dtype or "float32", **kwargs)


def full(shape, val, dtype=None, **kwargs) -> Symbol:
    """A Symbol filled with ``val`` (MXNet's ``_full`` node; float32 unless ``dtype`` says)."""
    return op_function("_full")(shape=shape, value=float(val), dtype=dtype or "float32",
                                **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None,
           dtype=None) -> Symbol:
    """A Symbol of evenly spaced values (MXNet's ``_arange`` node); with ``infer_range`` and
    no ``stop``, as many as shape inference finds that the nodes using it need."""
    return op_function("_arange")(start=start, stop=stop, step=step, repeat=repeat,
                                  infer_range=infer_range, name=name, dtype=dtype)


def eye(N, M=0, k=0, dtype=None, **kwargs) -> Symbol:
    """An ``_eye`` node: N x M (M=0: N x N) with ones on the k-th diagonal, float32 unless
    ``dtype`` says."""
    return op_function("_eye")(N=N, M=M, k=k, dtype=dtype or "float32", **kwargs)


def linspace(start, stop, num, endpoint=True, name=None, dtype=None) -> Symbol:
    """A ``_linspace`` node: ``num`` evenly spaced values from start to stop (float32)."""
    return op_function("_linspace")(start=start, stop=stop, num=num, endpoint=endpoint,
                                    name=name, dtype=dtype or "float32")


def histogram(a, bins=10, range=None, **kwargs) -> Symbol:
    """MXNet's ``_histogram`` node: counts and edges of ``bins`` equal bins over ``range``, or
    of the bins whose edges the Symbol ``bins`` holds."""
    if isinstance(bins, Symbol):
        return op_function("_histogram")(a, bins, **kwargs)
    return op_function("_histogram")(a, bin_cnt=bins, range=range, **kwargs)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False, name=None) -> Symbol:
    """MXNet's ``_split_v2`` node: ``sections`` equal parts (an int), or the parts starting at
    each of the indices (a tuple)."""
    if isinstance(indices_or_sections, int):
        indices, sections = [], indices_or_sections
    elif isinstance(indices_or_sections, tuple):
        indices, sections = [0, *indices_or_sections], 0
    else:
        raise ValueError("indices_or_sections must either int or tuple of ints")
    return op_function("_split_v2")(ary, indices=indices, axis=axis, squeeze_axis=squeeze_axis,
                                    sections=sections, name=name)


def __dir__() -> list:
    """The module's names and every operator's."""
    return sorted(set(globals()) | set(_opdefs.names()))


def __getattr__(name: str):
    """``mx.sym.<operator>``: the Symbol-making function of a registered operator."""
    if name.startswith("__") or _opdefs.find(name) is None:
        raise AttributeError(f"module 'mxnp.symbol' has no attribute {name!r}")
    fn = globals()[name] = op_function(name)
    return fn
