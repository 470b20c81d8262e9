"""Where the 1.x operators meet the profiler, without importing it: an ``mx.nd`` operator (or
an NDArray operator such as ``+``) runs through ``as_operator`` with its MXNet name, which the
profiler, while it times operators, records as one event in place of the primitives inside."""
from __future__ import annotations

# the profiler's ``timed_as(name, fn, *args, **kwargs)`` and ``timed_custom(op_type, label,
# fn, *args)`` while it times operators, else None
recorder = custom_recorder = None


def as_operator(name: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, timed as the operator ``name`` when the profiler is on."""
    if recorder is None:
        return fn(*args, **kwargs)
    return recorder(name, fn, *args, **kwargs)


def as_custom(op_type: str, label: str, fn, *args):
    """``fn(*args)``, a custom operator's own Python (``label``: ``MySigmoid::pure_python``),
    timed in the profiler's "Custom Operator" domain, with the operators it runs named
    ``<op_type>::<operator>`` there."""
    if custom_recorder is None:
        return fn(*args)
    return custom_recorder(op_type, label, fn, *args)
