"""Fixtures shared by the op tests."""
import pytest

from mxnp import _backend, _mode

# the CPU always; the first GPU where CuPy sees one (CI has none, so GPU runs are opt-in by
# hardware, never by a flag that could silently skip them)
DEVICES = [_backend.cpu()] + ([_backend.gpu(0)] if _backend.cupy_available() else [])


@pytest.fixture(params=DEVICES, ids=str)
def device(request):
    """Each available device in turn: an op test that takes ``device`` runs on every backend."""
    return request.param


@pytest.fixture(autouse=True)
def _np_switches_restored():
    """Each test starts with the set_np switches as the previous one found them: a test that
    calls ``npx.set_np()`` (as MXNet code does) leaves nothing behind for the next."""
    saved = dict(_mode._FLAGS)
    yield
    _mode._FLAGS.update(saved)
