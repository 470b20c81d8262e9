"""Helpers shared by the tests."""
from __future__ import annotations

import http.server
import threading

import numpy as onp

from mxnp import autograd, np

NOT_IN_GRAPH = "not in a computational graph"
NO_INPUTS = "no inputs in computation graph that require gradients"
IN_GRAPH_WRITE = "already in a computational graph"


def variable(*values, dtype=None, grad_req="write"):
    x = np.array(values, dtype=dtype)
    x.attach_grad(grad_req)
    return x


def square_sum(x):
    with autograd.record():
        return (x * x).sum()


def f32(*values):
    return np.array(values)


def i32(*values):
    return np.array(values, dtype="int32")


def shares_memory(a, b) -> bool:
    """True when a write through ``a`` is seen by ``b`` (the observable meaning of a view)."""
    before = b.asnumpy()
    a[...] = a + 1
    return not onp.array_equal(b.asnumpy(), before)


def grad_of(f, x, head=None):
    """x.grad after recording f(x) and running backward with ``head``."""
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward(head)
    return x.grad


def same(got, want, dtype=None, rtol=None, atol=0.0, equal_nan=True, bits=False) -> None:
    """``got`` (an mxnp array, or a list or tuple of them) equals ``want`` in shape, dtype and
    values: the one comparison the op tests share (each file binds its own tolerances).

    ``dtype``: the dtype expected where MXNet's differs from ``want``'s. Values: exactly equal
    (``equal_nan``: NaN equals NaN) by default, equal bytes with ``bits`` (the sign of zero and
    NaN payloads included), or close to ``rtol``/``atol`` once ``want`` has ``got``'s dtype.
    """
    if isinstance(got, (list, tuple)):
        assert len(got) == len(want), f"{len(got)} arrays, expected {len(want)}"
        for g, w in zip(got, want):
            same(g, w, dtype, rtol, atol, equal_nan, bits)
        return
    want = onp.asarray(want)
    assert isinstance(got, np.ndarray), type(got)
    expected = want.dtype if dtype is None else onp.dtype(dtype)
    assert (got.shape, got.dtype) == (want.shape, expected), \
        f"{got.shape} {got.dtype}, expected {want.shape} {expected}"
    if bits:
        assert got.asnumpy().tobytes() == want.tobytes()
    elif rtol is None and equal_nan:
        onp.testing.assert_array_equal(got.asnumpy(), want)
    elif rtol is None:
        assert onp.array_equal(got.asnumpy(), want), f"{got.asnumpy()} != {want}"
    else:
        onp.testing.assert_allclose(got.asnumpy(), want.astype(got.dtype), rtol=rtol, atol=atol)


class LocalServer:
    """A local HTTP server answering GETs from ``files`` (path -> bytes) and logging the paths."""

    def __init__(self):
        self.files, self.requests = {}, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
