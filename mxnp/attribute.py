"""``mx.attribute``: ``AttrScope``, attributes given to every Symbol made inside a ``with`` block.

``with mx.AttrScope(ctx_group='dev1', lr_mult='0.1'):`` gives each variable and operator node
made inside the block those attributes, as MXNet 1.9.1 does. MXNet stores the keys it knows
the meaning of (``ctx_group``, ``lr_mult`` ...) as ``__key__`` in the graph and shows them
under both names in ``list_attr()``; ``hidden_key``, ``stored`` and ``shown`` say how.
"""
from __future__ import annotations

import threading
import warnings
from collections import defaultdict

__all__ = ["AttrScope"]

# the attribute keys MXNet 1.9.1 writes as __key__ (its "hidden keys")
HIDDEN_KEYS = frozenset({"ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage"})


def hidden_key(key: str) -> str:
    """The key as the graph stores it: ``lr_mult`` -> ``__lr_mult__``, others unchanged."""
    return f"__{key}__" if key in HIDDEN_KEYS else key


def stored(attrs) -> dict:
    """``attrs`` with the hidden keys renamed as the graph stores them (a later key wins)."""
    return {hidden_key(k): v for k, v in (attrs or {}).items()}


def shown(attrs: dict) -> dict:
    """A node's stored attributes as ``list_attr()`` shows them: each ``__key__`` of a hidden
    key also under its plain name."""
    out = {}
    for key, value in attrs.items():
        out[key] = value
        if key.startswith("__") and key.endswith("__") and key[2:-2] in HIDDEN_KEYS:
            out[key[2:-2]] = value
    return out


class _ScopeMeta(type):
    @property
    def current(cls) -> AttrScope:
        """The scope in effect on this thread (deprecated in MXNet: use ``with``)."""
        warnings.warn("AttrScope.current has been deprecated. It is advised to use the `with` "
                      "statement with AttrScope.", DeprecationWarning, stacklevel=2)
        return current()

    @current.setter
    def current(cls, scope) -> None:
        warnings.warn("AttrScope.current has been deprecated. It is advised to use the `with` "
                      "statement with AttrScope.", DeprecationWarning, stacklevel=2)
        if not isinstance(scope, AttrScope):
            raise TypeError(f"AttrScope.current: expected an AttrScope, got "
                            f"{type(scope).__name__}")
        _current.scope = scope


class AttrScope(metaclass=_ScopeMeta):
    """Attributes (strings) for every Symbol made inside ``with AttrScope(...):``.

    Scopes nest: an inner scope adds to (and overrides) the outer one's attributes, and the
    ``attr=`` given when making a Symbol overrides both.
    """

    # how many bodies mx.sym.contrib's control flow has named after each name (MXNet's)
    _subgraph_names: defaultdict = defaultdict(int)

    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            if not isinstance(value, str):  # MXNet raises ValueError here
                raise ValueError(f"mx.AttrScope: attribute {key!r} must be a string, got "  # noqa: TRY004
                                 f"{type(value).__name__} ({value!r})")
        self._attr = kwargs
        self._old_scope = None

    def get(self, attr=None) -> dict:
        """The scope's attributes updated with ``attr`` (those given when making a Symbol)."""
        merged = dict(self._attr)
        merged.update(attr or {})
        return merged

    def __enter__(self) -> AttrScope:
        self._old_scope = current()
        self._attr = self._old_scope.get(self._attr)
        _current.scope = self
        return self

    def __exit__(self, *exc) -> None:
        if self._old_scope is None:
            raise RuntimeError("AttrScope.__exit__: the scope was not entered")
        _current.scope, self._old_scope = self._old_scope, None

    def __repr__(self) -> str:
        return f"AttrScope({', '.join(f'{k}={v!r}' for k, v in self._attr.items())})"


class _Current(threading.local):
    def __init__(self):
        self.scope = AttrScope()


_current = _Current()


def current() -> AttrScope:
    """The scope in effect on this thread (an empty one outside any ``with`` block)."""
    return _current.scope
