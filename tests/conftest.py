"""Fixtures shared by the op tests."""
import pytest

from mxnp import _backend

# the CPU always; the first GPU where CuPy sees one (CI has none, so GPU runs are opt-in by
# hardware, never by a flag that could silently skip them)
DEVICES = [_backend.cpu()] + ([_backend.gpu(0)] if _backend.cupy_available() else [])


@pytest.fixture(params=DEVICES, ids=str)
def device(request):
    """Each available device in turn: an op test that takes ``device`` runs on every backend."""
    return request.param
