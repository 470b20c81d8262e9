"""Devices: one public array module per device, and cupy imported only for a GPU."""
import os
import subprocess
import sys

import numpy as onp
import pytest

from mxnp import _backend, autograd, np, npx
from mxnp.base import MXNetError


def test_importing_mxnp_never_imports_cupy(tmp_path):
    """A cupy on the path is imported only when a GPU device is asked for."""
    (tmp_path / "cupy.py").write_text("import builtins\nbuiltins.CUPY_IMPORTED = True\n")
    code = ("import builtins\nimport mxnp\nfrom mxnp import autograd, np, npx\n"
            "x = np.arange(4.0)\nx.attach_grad()\nwith autograd.record():\n"
            "    y = 2 * np.dot(x, x)\ny.backward()\nnpx.cpu()\nnpx.current_context()\n"
            "assert not hasattr(builtins, 'CUPY_IMPORTED'), 'cupy imported'\n"
            "npx.gpu(0)\nassert hasattr(builtins, 'CUPY_IMPORTED')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr


def test_device_xp_is_the_array_module():
    assert npx.cpu().xp is onp and npx.cpu(1).xp is onp
    if not _backend.cupy_available():
        with pytest.raises(MXNetError, match="no GPU is usable"):
            npx.gpu(0).xp.ones  # noqa: B018 - naming a GPU is fine; using it is the error


def test_ops_run_on_each_device(device):
    x = np.array([0.5, 1.0, 2.0], ctx=device)
    x.attach_grad()
    with autograd.record():
        y = (np.exp(x) * x + np.sin(x) ** 2).sum()
    y.backward()
    want = onp.exp([0.5, 1.0, 2.0]) * (1 + onp.array([0.5, 1.0, 2.0])) \
        + onp.sin(2 * onp.array([0.5, 1.0, 2.0]))
    assert y.device == device and x.grad.device == device
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-6)


def test_context_class_attributes_are_mxnets():
    # MXNet 1.9.1 (mxref): the type codes both ways, and default_ctx (deprecated) is the
    # current device, with MXNet's warning
    from mxnp import Context, cpu
    assert Context.devstr2type == {"cpu": 1, "gpu": 2, "cpu_pinned": 3, "cpu_shared": 5}
    assert Context.devtype2str == {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}
    with pytest.warns(DeprecationWarning, match="Context.default_ctx has been deprecated"):
        assert Context.default_ctx is cpu(0)
    with cpu(3), pytest.warns(DeprecationWarning):
        assert Context.default_ctx is cpu(3)


def test_operator_results_leave_pinned_and_shared_memory():
    # MXNet 1.9.1 (mxref): an operator's result from pinned or shared host memory lands on
    # cpu(id); views (contiguous basic indexing, legacy reshape), copies and casts stay
    from mxnp import ndarray as nd

    shared, pinned = _backend.Device("cpu_shared", 0), _backend.Device("cpu_pinned", 1)
    a, p = nd.ones((2, 3), ctx=shared), nd.ones((2, 3), ctx=pinned)
    got = [(a + 1).context, (p + 1).context, a.reshape((3, 2)).context, a[0].context,
           a[0:1].context, a.T.context, nd.dot(a, a.T).context, a.flatten().context,
           a.expand_dims(0).context, (a + p).context, a.copy().context,
           a.astype("float64").context, nd.zeros_like(a).context]
    assert [str(d) for d in got] == [
        "cpu(0)", "cpu(1)", "cpu_shared(0)", "cpu_shared(0)", "cpu_shared(0)", "cpu(0)",
        "cpu(0)", "cpu(0)", "cpu(0)", "cpu(0)", "cpu_shared(0)", "cpu_shared(0)", "cpu(0)"]
    x = a.copy()
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    y.backward()
    assert str(x.grad.context) == "cpu(0)" and str(y.context) == "cpu(0)"
    b = np.ones((2, 3), ctx=shared)
    got = [(b + 1).ctx, b.T.ctx, b[0].ctx, b[:, 1].ctx, b[np.array([0])].ctx,
           b.reshape(3, 2).ctx, np.expand_dims(b, 0).ctx, b.astype("float64").ctx,
           b.as_in_ctx(npx.cpu()).ctx, np.zeros_like(b).ctx, b.flatten().ctx, b.copy().ctx]
    assert [str(d) for d in got] == [
        "cpu(0)", "cpu(0)", "cpu_shared(0)", "cpu(0)", "cpu(0)", "cpu(0)", "cpu(0)",
        "cpu_shared(0)", "cpu(0)", "cpu(0)", "cpu(0)", "cpu_shared(0)"]
