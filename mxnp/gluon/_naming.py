"""Block names: a global counter per name hint, and name scopes that restart it (gluon 1.9.1).

Outside any scope ``Dense()`` is ``dense0``, ``dense1``, ... for the whole thread; inside
``with parent.name_scope():`` a child is ``parent.prefix + hint + n_`` with ``n`` counted per
scope, and its ParameterDict hangs off the parent's (sharing the parent's ``shared`` dict).
"""
from __future__ import annotations

import threading
import weakref

from .. import name
from ._parameter_dict import ParameterDict


class _State(threading.local):
    def __init__(self):
        self.scope = None  # the innermost _BlockScope entered


_state = _State()


class _BlockScope:
    """What ``Block.name_scope()`` returns: a context manager that prefixes new children."""

    def __init__(self, block):
        # held strongly, as MXNet's: a scope made for a block nothing else holds still works
        # (the block -> scope -> block cycle is left to the garbage collector)
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """(prefix, ParameterDict) for a new block of class hint ``hint``."""
        current = _state.scope
        if current is None:
            if prefix is None:  # outside every scope, mx.name's current manager names it
                prefix = name.current().get(None, hint) + "_"
            params = ParameterDict(prefix) if params is None else \
                ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            current._counter[hint] = count + 1
            prefix = f"{hint}{count}_"
        parent = current._block
        if params is None:
            params = ParameterDict(parent.params.prefix + prefix, parent.params._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return parent.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = _state.scope
        _state.scope = self
        # names mx.name gives inside (symbols made in the scope) carry the block's prefix
        self._name_scope = name.Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, *exc):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(*exc)
        self._name_scope = None
        _state.scope = self._old_scope
        self._old_scope = None


class HookHandle:
    """Returned by ``register_forward_hook``/``register_forward_pre_hook``; ``detach()``
    removes the hook."""

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    def attach(self, hooks_dict, hook) -> None:
        """Put ``hook`` into ``hooks_dict`` (once per handle)."""
        assert not self._hooks_dict_ref, "The same handle cannot be attached twice."
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = weakref.ref(hooks_dict)

    def detach(self) -> None:
        """Remove the hook; a second call does nothing."""
        hooks = self._hooks_dict_ref() if self._hooks_dict_ref else None
        if hooks is not None and self._id in hooks:
            del hooks[self._id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()
