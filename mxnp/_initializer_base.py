"""The base of ``mx.init``: ``Initializer``, ``InitDesc``, the registry and ``create``.

Shared by mxnp.initializer (the plain initializers) and mxnp._initializer_composite (those built
from other initializers), so neither imports the other.
"""
from __future__ import annotations

import json
import logging
import math
import warnings

import numpy as onp

from . import _legacy_random, _mode, autograd, registry
from . import numpy as np
from ._ndarray import ndarray


class InitDesc(str):
    """A parameter's name (a ``str``) that also carries ``attrs`` and the ``global_init``."""

    def __new__(cls, name, attrs=None, global_init=None):
        desc = super().__new__(cls, name)
        desc.attrs = attrs or {}
        desc.global_init = global_init
        return desc


def _fill(arr, value) -> None:
    """Write ``value`` into all of ``arr`` in place, off the tape, in ``arr``'s dtype."""
    if isinstance(value, ndarray):
        value = value.as_in_ctx(arr.ctx).astype(arr.dtype, copy=False)
    with autograd.pause():
        arr[...] = value  # Ellipsis, unlike MXNet's [:], also fills 0-d arrays


def _draw_dtype(arr) -> str:
    # float64 params get float64 draws (MXNet 1.9.1 fails there); others draw float32 and cast
    return "float64" if arr.dtype == onp.float64 else "float32"


def _legacy_stream(arr, legacy) -> bool:
    """Whether ``arr``'s draws come from ``mx.random`` (the parallel engines) rather than
    ``np.random`` (the sequential one): MXNet's initializers use the latter under
    ``npx.set_np()``; ``legacy=True`` forces the former, as ``Orthogonal`` does. Float64
    parameters, which MXNet 1.9.1 fails to fill under set_np, take the parallel engines' float64
    draws (np.random's are float32 values)."""
    return legacy or arr.dtype == onp.float64 or legacy is None and not _mode.is_np_array()


def _uniform(arr, low, high, legacy=None):
    """Uniform draws for ``arr`` from the stream ``_legacy_stream`` names."""
    if _legacy_stream(arr, legacy):
        return _legacy_random.uniform(low, high, arr.shape, _draw_dtype(arr), arr.ctx)
    return np.random.uniform(low, high, size=arr.shape, dtype=_draw_dtype(arr), ctx=arr.ctx)


def _normal(arr, loc, scale, legacy=None):
    """Normal draws for ``arr``, from the stream ``_legacy_stream`` names."""
    if _legacy_stream(arr, legacy):
        return _legacy_random.normal(loc, scale, arr.shape, _draw_dtype(arr), arr.ctx)
    return np.random.normal(loc, scale, size=arr.shape, dtype=_draw_dtype(arr), ctx=arr.ctx)


def _bilinear_kernel(shape) -> onp.ndarray:
    """The upsampling kernel MXNet uses, computed from shape[3] for both spatial axes."""
    f = math.ceil(shape[3] / 2.0)
    c = (2 * f - 1 - f % 2) / (2.0 * f)
    rows = 1 - onp.abs(onp.arange(shape[2]) / f - c)
    cols = 1 - onp.abs(onp.arange(shape[3]) / f - c)
    return onp.broadcast_to(onp.outer(rows, cols), shape)


def _norm_print(arr) -> str:
    """Default verbose statistic: the root mean square of the array."""
    rms = np.linalg.norm(arr.reshape(-1).astype("float64")) / math.sqrt(max(arr.size, 1))
    return str(onp.float32(rms.item()))


class Initializer:
    """Base class of initializers: subclasses override ``_init_weight(name, arr)``."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Log a statistic of every array initialized (``print_func(arr)`` -> str); returns self."""
        self._verbose = verbose
        self._print_func = _norm_print if print_func is None else print_func
        return self

    def _verbose_print(self, desc, init, arr) -> None:
        if self._verbose and self._print_func:
            logging.info("Initialized %s as %s: %s", desc, init, self._print_func(arr))

    def dumps(self) -> str:
        """JSON ``[name, kwargs]`` that ``create`` turns back into an equal initializer."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = None  # equal by value, hence unhashable (as in MXNet)

    def __call__(self, desc, arr) -> None:
        """Fill ``arr``: an ``InitDesc`` whose ``__init__`` attribute names an initializer gets
        that one's weight rule (how gluon and ``mx.sym.var(init=...)`` call it); otherwise the
        name's suffix picks the rule (weight, bias, gamma, beta, min, max), as in MXNet."""
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        chosen = desc.attrs.get("__init__", "")
        if chosen:
            create(chosen)._init_weight(desc, arr)
            self._verbose_print(desc, chosen, arr)
            return
        for suffix, rule in (("weight", self._init_weight), ("bias", self._init_bias),
                             ("gamma", self._init_gamma), ("beta", self._init_beta),
                             ("min", self._init_zero), ("max", self._init_one)):
            if desc.endswith(suffix):
                rule(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr) -> None:
        warnings.warn("\033[91mCalling initializer with init(str, NDArray) has been deprecated."
                      "please use init(mx.init.InitDesc(...), NDArray) instead.\033[0m",
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, str):
            raise TypeError("name must be string")
        if not isinstance(arr, ndarray):
            raise TypeError("arr must be NDArray")
        self._init_by_name(name, arr)

    def _init_by_name(self, name, arr) -> None:
        """The classic rules: the parameter's name suffix picks the rule."""
        if name.startswith("upsampling"):
            return self._init_bilinear(name, arr)
        if name.startswith("stn_loc") and name.endswith(("weight", "bias")):
            rule = self._init_zero if name.endswith("weight") else self._init_loc_bias
            return rule(name, arr)
        for suffix, rule in (("bias", self._init_bias), ("gamma", self._init_gamma),
                             ("beta", self._init_beta), ("weight", self._init_weight),
                             ("moving_mean", self._init_zero), ("moving_var", self._init_one),
                             ("moving_inv_var", self._init_zero),
                             ("moving_avg", self._init_zero), ("min", self._init_zero),
                             ("max", self._init_one)):
            if name.endswith(suffix):
                return rule(name, arr)
        return self._init_default(name, arr)

    def _init_bilinear(self, _, arr) -> None:
        _fill(arr, np.array(_bilinear_kernel(arr.shape), dtype=arr.dtype, ctx=arr.ctx))

    def _init_loc_bias(self, _, arr) -> None:
        assert arr.shape[0] == 6
        _fill(arr, np.array([1.0, 0, 0, 0, 1.0, 0], dtype=arr.dtype, ctx=arr.ctx))

    def _init_zero(self, _, arr) -> None:
        _fill(arr, 0.0)

    def _init_one(self, _, arr) -> None:
        _fill(arr, 1.0)

    def _init_bias(self, _, arr) -> None:
        """Biases start at 0."""
        _fill(arr, 0.0)

    def _init_gamma(self, _, arr) -> None:
        """Normalisation scales start at 1."""
        _fill(arr, 1.0)

    def _init_beta(self, _, arr) -> None:
        """Normalisation shifts start at 0."""
        _fill(arr, 0.0)

    def _init_weight(self, name, arr) -> None:
        """Fill a weight; every concrete initializer overrides this."""
        raise NotImplementedError("Must override it")

    def _init_default(self, name, _) -> None:
        """A name with no known suffix cannot be initialized by the classic rules."""
        raise ValueError(
            f"Unknown initialization pattern for {name}. Default initialization is now limited "
            'to "weight", "bias", "gamma" (1.0), and "beta" (0.0).Please use '
            "mx.sym.Variable(init=mx.init.*) to set initialization pattern")


# ---- registry ---------------------------------------------------------------------------------
_REGISTRY = registry._REGISTRY.setdefault(Initializer, {})  # mx.registry's, as in MXNet
_register = registry.get_register_func(Initializer, "initializer")
alias = registry.get_alias_func(Initializer, "initializer")
_create = registry.get_create_func(Initializer, "initializer")


def register(klass):
    """Register an ``Initializer`` subclass under its lower-cased class name (a decorator)."""
    return _register(klass)


def create(*args, **kwargs):
    """An initializer from an instance, a registered name, a dict, or a ``dumps()`` string."""
    given = args[0] if args else kwargs.get("initializer")
    # Mixed and Load are not Initializers in MXNet; gluon accepts them here all the same
    if getattr(given, "_stands_for_initializer", False):
        assert len(args) <= 1 and not (kwargs.keys() - {"initializer"}), \
            "initializer is already an instance. Additional arguments are invalid"
        return given
    return _create(*args, **kwargs)


# ---- the initializers -------------------------------------------------------------------------
