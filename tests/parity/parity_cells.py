"""The parity cells, and how a library shows each one's result.

Shared by tests/parity/test_mxnet_parity.py and record_parity.py; the recorder runs on the
oracle's Python (MXNet 1.9.1, NumPy 1.23), so this module imports neither mxnp nor pytest.
Only behaviour where mxnp means to match is here; deliberate differences are in
docs/differences.md. Exceptions are compared by kind, since the messages differ.
"""
from __future__ import annotations

import ast

CELLS = [
    # repr and dtype defaults
    "np.array([1.5, -2, 3]), np.array([1, 2, 3], dtype='int64'), np.array([True, False])",
    "np.array([True, False], dtype=bool), np.array(3.5), np.array(3, dtype='int32')",
    "np.zeros((0, 3)), np.zeros((2, 0), dtype='int32'), np.array([])",
    "np.arange(1001), np.arange(1001, dtype='int32')",
    "np.arange(24).reshape(2, 3, 4)",
    "np.array([float('nan'), float('inf'), -float('inf'), 0.])",
    "np.arange(5), np.arange(0, 1, 0.25), np.zeros(3).dtype, np.full((2,), True)",
    "np.array(onp.array([1, 2])), np.array(onp.array([1., 2.]))",
    # promotion
    "[(np.ones(2, dtype=a) + np.ones(2, dtype=b)).dtype for a, b in "
    "[('int32', 'float32'), ('int64', 'float16'), ('bool', 'int8'), ('uint8', 'int32')]]",
    "i = np.array([1, 2, 3], dtype='int32'); (i + 1, i / 2, np.array([0], dtype='uint8') + 300)",
    "f = np.array([1., 2.]); (f * 2.5, f + np.array(3., dtype='float64'))",
    # the ndarray object
    "x = np.arange(6).reshape(2, 3); (x.shape, x.size, x.ndim, x.dtype, x.T, x.reshape(-1))",
    "x = np.arange(6).reshape(2, 3); x.reshape(-1, -1)",
    "x = np.arange(6).reshape(2, 3); x.reshape(4, 2)",
    "x = np.arange(6).reshape(2, 3); x.reshape(6, order='F')",
    "x = np.arange(6).reshape(2, 3); (len(x), list(x), bool(np.array([0.])), float(x[1, 2]))",
    "bool(np.array([1., 2.]))",
    "np.ones(3) + [1, 2, 3]",
    # views and copies
    "x = np.arange(12).reshape(3, 4); v = x[1]; v += 100; c = x[:, 1]; c += 100; x",
    "x = np.arange(12).reshape(3, 4); r = x.reshape(4, 3); r[0, 0] = 7; x[0, 0]",
    # indexing
    "x = np.arange(12).reshape(3, 4); (x[1, 2], x[[0, 2], [1, 3]], x[x > 8])",
    "x = np.arange(12).reshape(3, 4); (x[np.array([0., 2.])], x[np.array(1)], x[(0, 2),])",
    "np.arange(12).reshape(3, 4)[1.0]",
    "np.arange(12).reshape(3, 4)[3]",
    "x = np.zeros(3); x[np.array([0, 0])] = np.array([1., 2.]); x[2] = 2.7; x",
    # autograd
    "(autograd.is_recording(), autograd.is_training())",
    "x = np.array([1., 2., 3.]); x.attach_grad()\n"
    "with autograd.record(): y = x * x\n"
    "y.backward(); x.grad",
    "x = np.array([1., 2., 3.]); x.attach_grad('add')\n"
    "for _ in range(2):\n"
    "    with autograd.record(): y = (x * x).sum()\n"
    "    y.backward()\n"
    "x.grad",
    "x = np.array([1., 2., 3.]); x.attach_grad()\n"
    "with autograd.record(): y = (x * x).sum()\n"
    "y.backward(); y.backward()",
    "x = np.array([1., 2., 3.]); x.attach_grad('null')\n"
    "with autograd.record(): y = (x * x).sum()\n"
    "y.backward()",
    "x = np.array([1, 2, 3], dtype='int32'); x.attach_grad()\n"
    "with autograd.record(): y = (x * x).sum()\n"
    "y.backward(); x.grad",
    "x = np.array([1., 2., 3.]); x.attach_grad()\n"
    "with autograd.record():\n"
    "    y = x * 2\n"
    "    y[0] = 1",
]


class _Kind:
    """An exception shown by its kind only: the two libraries word their messages apart."""

    def __init__(self, e, base_error):
        kinds = (base_error, IndexError, KeyError, TypeError, ValueError, AssertionError,
                 NotImplementedError)
        self.kind = next(k.__name__ if k is not base_error else "MXNetError"
                         for k in kinds if isinstance(e, k))

    def __repr__(self):
        return f"!! {self.kind}"


def show(library, cell: str) -> str:
    """Run ``cell`` with ``library``'s np/npx/autograd; repr its final expression's value."""
    import numpy as onp

    library.npx.set_np()
    ns = {"np": library.np, "npx": library.npx, "autograd": library.autograd, "onp": onp}
    tree = ast.parse(cell)
    last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
    try:
        exec(compile(tree, "<cell>", "exec"), ns)
        if last is None:
            return "None"
        library.npx.waitall()  # MXNet raises some errors only when the data is read
        return repr(eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns))
    except Exception as e:  # noqa: BLE001 - the exception is the observable result here
        return repr(_Kind(e, library.base.MXNetError))
