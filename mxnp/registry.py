"""``mx.registry``: registries of classes by lower-cased name, one per base class, with MXNet's
register / alias / create functions (the initializers and metrics are registered here, as in
MXNet 1.9.1; the optimizers keep a registry of their own there and here)."""
from __future__ import annotations

import json
import warnings

__all__ = ["get_alias_func", "get_create_func", "get_register_func", "get_registry"]

_REGISTRY: dict = {}  # base class -> {lower-cased name: class}


def get_registry(base_class):
    """A copy of the ``{name: class}`` registry of ``base_class`` (empty if it has none)."""
    return dict(_REGISTRY.get(base_class, {}))


def get_register_func(base_class, nickname):
    """A ``register(klass, name=None)`` function that files subclasses of ``base_class`` under
    ``name`` (default: the class name), lower-cased; a name taken already is overridden with a
    warning. ``nickname`` names the kind in messages."""
    registry = _REGISTRY.setdefault(base_class, {})

    def register(klass, name=None):
        assert issubclass(klass, base_class), \
            f"Can only register subclass of {base_class.__name__}"
        name = (klass.__name__ if name is None else name).lower()
        if name in registry:
            old = registry[name]
            warnings.warn(f"\033[91mNew {nickname} {klass.__module__}.{klass.__name__} "
                          f"registered with name {name} isoverriding existing {nickname} "
                          f"{old.__module__}.{old.__name__}\033[0m", UserWarning, stacklevel=2)
        registry[name] = klass
        return klass

    register.__doc__ = f"Register a {nickname} class under ``name`` (default: its class name)."
    return register


def get_alias_func(base_class, nickname):
    """An ``alias(*aliases)`` class decorator registering a class under each of ``aliases``
    (not under its own name)."""
    register = get_register_func(base_class, nickname)

    def alias(*aliases):
        def reg(klass):
            for name in aliases:
                register(klass, name)
            return klass
        return reg

    alias.__doc__ = f"A decorator registering a {nickname} class under each alias."
    return alias


def get_create_func(base_class, nickname):
    """A ``create(*args, **kwargs)`` function: a ``base_class`` instance from a registered name
    (the first argument, or the keyword ``nickname``) and constructor arguments, from a dict
    of them, from a JSON string (``'["name", {kwargs}]'`` or ``'{"nickname": ...}'``), or an
    instance given back as it is."""
    registry = _REGISTRY.setdefault(base_class, {})

    def create(*args, **kwargs):
        if args:
            name, args = args[0], args[1:]
        else:
            name = kwargs.pop(nickname)
        if isinstance(name, base_class):
            assert not args and not kwargs, \
                f"{nickname} is already an instance. Additional arguments are invalid"
            return name
        if isinstance(name, dict):
            return create(**name)
        assert isinstance(name, str), f"{nickname} must be of string type"
        if name.startswith("["):
            assert not args and not kwargs
            name, kwargs = json.loads(name)
            return create(name, **kwargs)
        if name.startswith("{"):
            assert not args and not kwargs
            return create(**json.loads(name))
        name = name.lower()
        assert name in registry, \
            f"{name} is not registered. Please register with {nickname}.register first"
        return registry[name](*args, **kwargs)

    create.__doc__ = f"Create a {nickname} from a name, a dict, a JSON string or an instance."
    return create
