"""gluon's tests run in the numpy face (``npx.set_np()``, as D2L and NumPy-interface code do),
except the modules listed here, which test the 1.x face (MXNet's array switch off)."""
import pytest

from mxnp import _mode

LEGACY_FACE_MODULES = ("test_legacy_face",)


@pytest.fixture(autouse=True)
def _numpy_face(request, _np_switches_restored):
    """Turn the switches on for a numpy-face module (the root conftest restores them after)."""
    if request.module.__name__.rsplit(".", 1)[-1] not in LEGACY_FACE_MODULES:
        _mode.set_np()
    yield
