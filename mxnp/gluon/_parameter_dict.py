"""ParameterDict: an ordered name -> Parameter mapping with a prefix, as gluon 1.9.1 has it."""
from __future__ import annotations

from collections import OrderedDict

import numpy as onp

from .. import initializer

_NAMING_URL = "https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html"


def _brief_print_list(names, limit: int = 7) -> str:
    """``'a', 'b', ..., 'z'``: at most ``limit`` quoted names (MXNet's error-message format)."""
    names = list(names)
    if len(names) > limit:
        return (_brief_print_list(names[:limit // 2], limit) + ", ..., "
                + _brief_print_list(names[-limit // 2:], limit))
    return ", ".join(f"'{n}'" for n in names)


def _indent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


def _merge_shape(name, desired, stored):
    """The shape ``get`` keeps when asked for ``desired`` on a stored ``stored``; None: clash."""
    merged = []
    for want, have in zip(desired, stored):
        if want != have and want > 0 and have > 0:
            return None
        merged.append(have if want in (0, -1) else want)
    return tuple(merged)


class ParameterDict:
    """Parameters by full name; ``get`` prepends ``prefix`` and creates what is missing."""

    def __init__(self, prefix="", shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self) -> str:
        name = self._prefix + " " if self._prefix else ""
        content = "\n".join(_indent(f"  {v}", 2) for v in self.values())
        return f"{name}(\n{content}\n)"

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __contains__(self, key) -> bool:
        return key in self._params

    def items(self):
        """(name, Parameter) pairs in insertion order."""
        return self._params.items()

    def keys(self):
        """Full parameter names in insertion order."""
        return self._params.keys()

    def values(self):
        """The Parameters in insertion order."""
        return self._params.values()

    @property
    def prefix(self) -> str:
        """Prepended to every name given to ``get``/``get_constant``."""
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The Parameter ``prefix + name``, created with ``kwargs`` if it does not exist yet."""
        from .parameter import Parameter

        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            param = self._params[name] = Parameter(name, **kwargs)
            return param
        for k, v in kwargs.items():
            existing = getattr(param, k, None)
            if existing is None:
                setattr(param, k, v)
                continue
            if k == "shape" and v is not None and len(v) == len(existing):
                merged = _merge_shape(name, v, existing)
                if merged is not None:
                    param._shape = merged
                    continue
            elif k == "dtype" and onp.dtype(v) == onp.dtype(existing):
                continue
            assert v is None or v == existing, \
                f"Cannot retrieve Parameter '{name}' because desired attribute does not match " \
                f"with stored for attribute '{k}': desired '{v}' vs stored '{existing}'."
        return param

    def get_constant(self, name, value=None):
        """The Constant ``prefix + name``, created from ``value`` if it does not exist yet."""
        from .. import numpy as np
        from .parameter import Constant

        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError(f"No constant named '{name}'. Please specify value if you want "
                               "to create a new constant.")
            param = self._params[name] = Constant(name, value)
        elif value is not None:
            assert isinstance(param, Constant), \
                f"Parameter '{name}' already exists but it is not a constant."
            value = onp.asarray(value.asnumpy() if isinstance(value, np.ndarray) else value)
            assert param.shape == value.shape and \
                (param.value.asnumpy() == value).all(), \
                f"Constant '{name}' already exists but it's value doesn't match new value"
        return param

    def update(self, other) -> None:
        """Add ``other``'s Parameters; the same name must mean the same Parameter."""
        for k, v in other.items():
            if k in self._params:
                assert self._params[k] is v, \
                    "Cannot update self with other because they have different Parameters " \
                    f"with the same name '{k}'"
        for k, v in other.items():
            self._params[k] = v

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,  # noqa: B008
                   force_reinit=False) -> None:
        """Initialise every Parameter; ``init`` fills those without their own ``init``."""
        if verbose:
            init.set_verbosity(verbose=verbose)
        for v in self.values():
            v.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self) -> None:
        """Set every gradient buffer to 0."""
        for v in self.values():
            v.zero_grad()

    def reset_ctx(self, ctx) -> None:
        """Move every Parameter to the context(s) ``ctx``."""
        for v in self.values():
            v.reset_ctx(ctx)

    def list_ctx(self) -> list:
        """The contexts any Parameter lives on."""
        seen = []
        for v in self.values():
            seen.extend(c for c in v.list_ctx() if c not in seen)
        return seen

    def setattr(self, name, value) -> None:
        """Set attribute ``name`` (grad_req, lr_mult, wd_mult, ...) on every Parameter."""
        for v in self.values():
            setattr(v, name, value)

    def save(self, filename, strip_prefix="") -> None:
        """Write the values under their full names (less ``strip_prefix``), MXNet's format."""
        from ._param_io import save_dict

        save_dict(self, filename, strip_prefix)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix="", cast_dtype=False, dtype_source="current") -> None:
        """Load a file written by ``save`` (names matched with ``restore_prefix`` put back)."""
        from ._param_io import load_file

        load_file(self, filename, ctx, allow_missing, ignore_extra, restore_prefix,
                  cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix="", filename=None, cast_dtype=False,
                  dtype_source="current") -> None:
        """Load from a dict name -> ndarray (names may carry MXNet's ``arg:``/``aux:`` tags)."""
        from ._param_io import load_dict

        load_dict(self, param_dict, ctx, allow_missing, ignore_extra, restore_prefix, filename,
                  cast_dtype, dtype_source)
