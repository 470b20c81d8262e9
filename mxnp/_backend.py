"""Devices and the array module (numpy or cupy) that serves each one.

This is the only module that imports cupy; ops ask it for ``xp`` and never branch on the backend.
"""
from __future__ import annotations

import ctypes
import os
import threading
import warnings

import numpy as onp

from . import _rng
from .base import MXNetError

_cupy = None
_cupy_checked = False


def cupy_available() -> bool:
    """True when CuPy imports and sees at least one GPU."""
    return _load_cupy() is not None


def _load_cupy():
    global _cupy, _cupy_checked
    if not _cupy_checked:
        _cupy_checked = True
        try:
            # cupy is optional and heavy: imported on the first GPU question, never at import
            import cupy

            if cupy.cuda.runtime.getDeviceCount() > 0:
                _cupy = cupy
        except Exception:  # noqa: BLE001 - no CUDA driver, no GPU, or no cupy: all mean "absent"
            _cupy = None
    return _cupy


def num_gpus() -> int:
    cp = _load_cupy()
    return 0 if cp is None else cp.cuda.runtime.getDeviceCount()


_KINDS = ("cpu", "gpu", "cpu_pinned", "cpu_shared")


_DEFAULT_CTX_WARNING = ("Context.default_ctx has been deprecated. Please use "
                        "Context.current_context() instead. Please use "
                        "test_utils.set_default_context to set a default context")


class _CurrentDevice:
    """``ctx.default_ctx`` read on a device: MXNet 1.x's deprecated current device."""

    def __get__(self, obj, cls):
        warnings.warn(_DEFAULT_CTX_WARNING, DeprecationWarning, stacklevel=2)
        return current_device()


class _DeviceMeta(type):
    """``Context.default_ctx`` on the class: this thread's current device, read or replaced
    (MXNet keeps it per thread; a ``with`` block around the assignment restores its own)."""

    @property
    def default_ctx(cls):
        warnings.warn(_DEFAULT_CTX_WARNING, DeprecationWarning, stacklevel=2)
        return current_device()

    @default_ctx.setter
    def default_ctx(cls, device):
        warnings.warn(_DEFAULT_CTX_WARNING, DeprecationWarning, stacklevel=2)
        device = as_device(device)
        if _local.stack:
            _local.stack[-1] = device
        else:
            _local.default = device


class Device(metaclass=_DeviceMeta):
    """A place for arrays: ``cpu(i)`` (NumPy) or ``gpu(i)`` (CuPy). MXNet calls it Context."""

    __slots__ = ("device_type", "device_id", "xp", "result")
    # MXNet's class attributes: the device-type codes both ways, and the current device
    devstr2type = {"cpu": 1, "gpu": 2, "cpu_pinned": 3, "cpu_shared": 5}
    devtype2str = {code: kind for kind, code in devstr2type.items()}
    default_ctx = _CurrentDevice()

    def __new__(cls, device_type="cpu", device_id=0):
        if isinstance(device_type, Device):
            return device_type
        if device_type not in _KINDS:
            raise MXNetError(f"Invalid context string {device_type}; expected one of {_KINDS}")
        key = (device_type, int(device_id))
        dev = _DEVICES.get(key)
        if dev is None:  # one object per place, so the hot path compares devices with `is`
            dev = _DEVICES[key] = object.__new__(cls)
            object.__setattr__(dev, "device_type", key[0])
            object.__setattr__(dev, "device_id", key[1])
            # `xp`, the array module that computes on this device, is a plain slot: the hot path
            # reads it on every op. A GPU device asks for cupy here, never earlier.
            object.__setattr__(dev, "xp", _gpu_module(dev) if key[0] == "gpu" else onp)
            # where an operator's results go: MXNet leaves pinned and shared host memory to
            # the arrays put there (batches, views, copies); results land on cpu(id)
            object.__setattr__(dev, "result", Device("cpu", key[1]) if key[0] in
                               ("cpu_pinned", "cpu_shared") else dev)
        return dev

    def __setattr__(self, name, value):
        raise AttributeError("Device is immutable")

    def use(self):
        """A CuPy device scope for this device, or a null scope on the CPU."""
        if self.device_type == "gpu":
            return self.xp.cuda.Device(self.device_id)
        return _NULL_SCOPE

    @property
    def device_typeid(self) -> int:
        return self.devstr2type[self.device_type]

    def __repr__(self) -> str:
        return f"{self.device_type}({self.device_id})"

    __str__ = __repr__

    def __reduce__(self):
        return (Device, (self.device_type, self.device_id))

    def __enter__(self):
        _state().stack.append(self)
        return self

    def __exit__(self, *exc):
        _state().stack.pop()

    def empty_cache(self) -> None:
        if self.device_type == "gpu":
            self.xp.get_default_memory_pool().free_all_blocks()


def _gpu_module(device):
    """cupy, when it sees this GPU; else a stand-in that raises a clear error when used."""
    cp = _load_cupy()
    if cp is None:
        return _NoGPU(f"{device}: no GPU is usable here (CuPy is not installed or sees no GPU); "
                      "use cpu() or install cupy on a machine with an NVIDIA GPU")
    if device.device_id >= cp.cuda.runtime.getDeviceCount():
        return _NoGPU(f"{device}: only {num_gpus()} GPU(s) are visible")
    return cp


class _NoGPU:
    """The ``xp`` of a GPU device that cannot compute: MXNet lets one name ``gpu(0)`` anywhere
    and fails only when it is used, so any use of this module raises."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __getattr__(self, name):
        raise MXNetError(self.message)


class _NullScope:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_NULL_SCOPE = _NullScope()
_DEVICES: dict = {}
Context = Device


def cpu(device_id: int = 0) -> Device:
    return Device("cpu", device_id)


def gpu(device_id: int = 0) -> Device:
    """A GPU device. Making one never fails (as in MXNet); computing on it needs CuPy and a GPU."""
    return Device("gpu", device_id)


def cpu_pinned(device_id: int = 0) -> Device:
    return Device("cpu_pinned", device_id)


class _DeviceState(threading.local):
    """Per thread: the devices ``with device:`` blocks opened, and the default under them."""

    def __init__(self):
        self.stack = []
        self.default = None  # None: cpu(0)


_local = _DeviceState()


def _state() -> _DeviceState:
    return _local


def current_device() -> Device:
    stack = _local.stack
    return stack[-1] if stack else (_local.default or CPU0)


def set_default_device(device) -> None:
    """The device this thread makes arrays on outside any ``with device:`` block."""
    _local.default = as_device(device)


CPU0 = cpu(0)


def as_device(ctx) -> Device:
    """The Device named by a ``ctx=``/``device=`` argument (None means the current device)."""
    if ctx is None:
        return current_device()
    if isinstance(ctx, Device):
        return ctx
    if isinstance(ctx, str):
        kind, _, rest = ctx.partition("(")
        if rest.endswith(")") and rest[:-1].isdigit():
            return Device(kind, int(rest[:-1]))
        raise MXNetError(f"Invalid context string {ctx}; expected e.g. 'cpu(0)' or 'gpu(0)'")
    raise TypeError(f"expected a Context such as mx.cpu() or mx.gpu(0), got {type(ctx).__name__}")


def device_of_raw(raw) -> Device:
    """The device a raw array lives on (cpu(0) for NumPy data)."""
    if isinstance(raw, onp.ndarray):
        return CPU0
    cp = _load_cupy()
    if cp is not None and isinstance(raw, cp.ndarray):
        return gpu(raw.device.id)
    raise TypeError(f"not an array of a known backend: {type(raw).__name__}")


def to_device(raw, device: Device):
    """``raw`` copied to ``device``'s backend (no copy when it is already there)."""
    xp = device.xp
    if xp is onp:
        return raw if isinstance(raw, onp.ndarray) else raw.get()
    with device.use():
        return xp.asarray(raw)


def to_numpy(raw) -> onp.ndarray:
    return raw if isinstance(raw, onp.ndarray) else raw.get()


def scatter_add(xp, target, index, values) -> None:
    """``target[index] += values`` with repeated indices accumulating."""
    if xp is onp:
        onp.add.at(target, index, values)
    else:
        import cupyx  # only where the array is cupy's, so cupy is already imported

        cupyx.scatter_add(target, index, values)



def _gpu_runtime(what: str, device_id: int):
    cp = _load_cupy()
    if cp is None:
        raise MXNetError(f"{what}: no GPU is usable here (CuPy is not installed or sees no GPU)")
    if not 0 <= device_id < cp.cuda.runtime.getDeviceCount():
        raise MXNetError(f"{what}: GPU {device_id} does not exist; {num_gpus()} visible")
    return cp


def compute_capability(device_id: int) -> int:
    """The CUDA compute capability of GPU ``device_id`` as an int (70 for sm_70)."""
    cp = _gpu_runtime("get_cuda_compute_capability", device_id)
    return int(cp.cuda.Device(device_id).compute_capability)


def gpu_memory_info(device_id: int) -> tuple:
    """(free, total) bytes of GPU ``device_id``'s memory, as CUDA reports them."""
    cp = _gpu_runtime("gpu_memory_info", device_id)
    with cp.cuda.Device(device_id):
        free, total = cp.cuda.runtime.memGetInfo()
    return int(free), int(total)


# ---- random engines: one set per device ------------------------------------------------------
# MXNet starts every process from seed 0, so an unseeded script repeats its draws. On a CPU the
# engines are MXNet's own (``_rng``: its sequential mt19937 and its 1024 parallel ones), so the
# draws are MXNet's; a GPU keeps CuPy's generator, seeded from the same seed.
_ENGINES: dict = {}
_seed_state = {"seed": 0}


def engines(device: Device) -> _rng.Engines:
    """The CPU ``device``'s MXNet engines (``_rng.Engines``), seeded as MXNet seeds them."""
    found = _ENGINES.get(device)
    if found is None:
        found = _ENGINES[device] = _new_engines(device, _seed_state["seed"], False)
    return found


def generator(device: Device):
    """A NumPy-style generator of ``device`` for draws MXNet's engines do not reproduce: on a
    CPU, ``numpy.random.Generator`` over an engine of its own, seeded as the sequential one; on
    a GPU, CuPy's. Both answer ``random``, ``standard_normal``, ``standard_exponential``,
    ``standard_gamma``, ``integers``, ``binomial`` and ``poisson``; ops use only those."""
    return engines(device).generator


def reseed(seed, device: Device | None = None) -> None:
    """Reseed every device as ``mx.random.seed(seed)`` does (``device`` None), or ``device``'s
    engines as ``mx.random.seed(seed, ctx=device)``; a seed None draws one from the OS."""
    seed = int.from_bytes(os.urandom(4), "little") if seed is None else seed % 2**32
    if device is None:
        _seed_state["seed"] = seed
        for dev in list(_ENGINES):  # the others are made from the new seed when first used
            _ENGINES[dev] = _new_engines(dev, seed, False, _ENGINES[dev])
    else:
        _ENGINES[device] = _new_engines(device, seed, True, _ENGINES.get(device))


def _new_engines(device: Device, seed: int, per_device: bool, old=None):
    """``device``'s engines seeded from ``seed``: ``old`` reseeded in place on a CPU (making
    MXNet's 1024 parallel engines again would cost about 90 ms)."""
    if device.xp is onp:
        if old is not None:
            old.reseed(seed, device.device_id, per_device)
            return old
        return _rng.Engines.mxnet(seed, device.device_id, per_device)
    seed = seed * _rng.RAND_MAGIC + device.device_id
    with device.use():  # CuPy's own generator: a GPU's draws are not MXNet's
        return _rng.Engines.foreign(device.xp.random.default_rng(seed), seed)


__all__ = ["Device", "Context", "cpu", "gpu", "cpu_pinned", "current_device",
           "set_default_device", "num_gpus",
           "cupy_available", "as_device", "to_device", "to_numpy", "device_of_raw",
           "scatter_add", "engines", "generator", "reseed", "compute_capability", "gpu_memory_info"]


def tune_host_allocator() -> bool:
    """Make glibc keep freed large blocks for reuse instead of handing them back to the OS.

    Opt-in (``mxnp.tune_host_allocator()``, or ``MXNP_MALLOC_TUNING=1`` before importing
    mxnp): it changes the C allocator of the whole process. By default glibc gives big freed
    blocks back to the kernel, so a step that allocates the same large arrays again pays a page
    fault per 4 KiB page (LeNet's training step: ~850 per step, about 20% of its time; mxnp's
    own scratch buffers already spare it the worst). Kept: blocks up to 32 MiB stay on the
    heap and the heap is trimmed only past 1 GiB free, as a caching allocator (PyTorch's,
    CuPy's pool) does; the cost is memory held after the arrays are gone. A no-op where the C
    library is not glibc, or when MXNP_MALLOC_TUNING says no. Returns whether it was applied.
    """
    if malloc_tuning_requested() is False:
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's <malloc.h> parameter numbers
    return bool(mallopt(m_mmap_threshold, 32 << 20) and mallopt(m_trim_threshold, 1 << 30))


_TRUE = frozenset(("1", "true", "yes", "on", "y", "t"))
_FALSE = frozenset(("0", "false", "no", "off", "n", "f", ""))


def malloc_tuning_requested() -> bool | None:
    """MXNP_MALLOC_TUNING read as a yes/no (any usual spelling); None when it is not set."""
    value = os.environ.get("MXNP_MALLOC_TUNING")
    if value is None:
        return None
    word = value.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    warnings.warn(f"MXNP_MALLOC_TUNING={value!r} is neither true nor false (1/0, true/false, "
                  "yes/no, on/off); the allocator is left alone", RuntimeWarning, stacklevel=2)
    return False


def gpus_in_use() -> int:
    """How many GPUs CuPy sees, if this process already uses it; 0 without importing it."""
    return 0 if _cupy is None else _cupy.cuda.runtime.getDeviceCount()
