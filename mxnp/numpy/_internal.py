"""``np._internal`` (MXNet's ``mx.nd.np._internal``, ``F.np._internal``): the internal
operators MXNet's own tests call by name."""
from __future__ import annotations

__all__ = ["boolean_mask_assign_scalar", "boolean_mask_assign_tensor"]


def boolean_mask_assign_scalar(data, mask, value, start_axis=0, out=None):
    """``data`` with the positions ``mask`` selects (its axes starting at ``start_axis``) set
    to ``value``, written into ``out`` (``out=data`` changes it in place) and returned."""
    target = data.copy() if out is None else out
    if target is not data:
        target[...] = data
    target[(slice(None),) * start_axis + (mask,)] = value
    return target


def boolean_mask_assign_tensor(data, mask, value, start_axis=0, out=None):
    """``boolean_mask_assign_scalar`` with an array ``value`` (broadcast to the selection)."""
    return boolean_mask_assign_scalar(data, mask, value, start_axis, out)
