"""Block.summary: run one forward with hooks and print MXNet 1.9.1's 80-column table."""
from __future__ import annotations

from collections import OrderedDict

from .. import numpy as np

_ROW = "{:>20}  {:>42} {:>15}"


def _shape_str(args) -> str:
    """Shapes of (nested) outputs as MXNet prints them: ``(2, 4)`` or ``(2, 2), (3,)``."""
    def shapes(x):
        if isinstance(x, (list, tuple)):
            return [shapes(v) for v in x]
        return x.shape if isinstance(x, np.ndarray) else x

    found = shapes(args)
    return str(found)[1:-1] if isinstance(found, list) else str(found)


def _is_container(block) -> bool:
    try:
        from .nn import HybridSequential, Sequential
    except ImportError:  # the layers are not there yet: no container to leave out
        return False
    return isinstance(block, (Sequential, HybridSequential))


def _collect_rows(root, inputs) -> OrderedDict:
    from .block import HybridBlock

    rows = OrderedDict(Input=(_shape_str(inputs), 0, 0, 0))
    seen, handles = set(), []

    def hook(block, _, outputs):
        n = trainable = shared = 0
        for p in block._reg_params.values():
            size = p.data().size
            n += size
            trainable += 0 if p.grad_req == "null" else size
            if p in seen:
                shared += size
            seen.add(p)
        rows[f"{block.__class__.__name__}-{len(rows)}"] = (_shape_str(outputs), n, trainable,
                                                         shared)

    def register(block):
        assert not isinstance(block, HybridBlock) or not block._active, \
            f'"{block.name}" must not be hybridized to print summary.'
        if not _is_container(block):
            handles.append(block.register_forward_hook(hook))

    try:
        root.apply(register)
        root(*inputs)
    finally:
        for h in handles:
            h.detach()
    return rows


def print_summary(root, inputs) -> None:
    """Print the table for ``root(*inputs)``."""
    rows = _collect_rows(root, inputs)
    total = sum(r[1] for r in rows.values())
    trainable = sum(r[2] for r in rows.values())
    shared = sum(r[3] for r in rows.values())
    lines = ["-" * 80, _ROW.format("Layer (type)", "Output Shape", "Param #"), "=" * 80]
    lines += [_ROW.format(name, r[0], r[1]) for name, r in rows.items()]
    lines += ["=" * 80, "Parameters in forward computation graph, duplicate included",
              f"   Total params: {total}", f"   Trainable params: {trainable}",
              f"   Non-trainable params: {total - trainable}",
              f"Shared params in forward computation graph: {shared}",
              f"Unique parameters in model: {total - shared}", "-" * 80]
    print("\n".join(lines))
