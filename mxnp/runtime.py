"""``mx.runtime``: which of MXNet 1.9.1's build features mxnp has, by MXNet's feature names.

MXNet reports what its library was compiled with. mxnp has no library of its own, so each
feature says what is true of mxnp on this machine: CUDA when CuPy sees a GPU, the BLAS that
NumPy was built with, the CPU instruction sets NumPy uses here, OpenCV when it is installed.
Features of MXNet's C++ build that mxnp has no counterpart for (cuDNN, TensorRT, MKL-DNN,
jemalloc, TVM operators ...) are off. docs/differences.md lists the choices.
"""
from __future__ import annotations

import collections
import importlib.util

import numpy as onp

from . import _backend

__all__ = ["Feature", "Features", "feature_list"]

# MXNet 1.9.1's feature names, in its order
_NAMES = ("CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "CPU_SSE", "CPU_SSE2", "CPU_SSE3",
          "CPU_SSE4_1", "CPU_SSE4_2", "CPU_SSE4A", "CPU_AVX", "CPU_AVX2", "OPENMP", "SSE", "F16C",
          "JEMALLOC", "BLAS_OPEN", "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE", "LAPACK", "MKLDNN",
          "OPENCV", "CAFFE", "PROFILER", "DIST_KVSTORE", "CXX14", "INT64_TENSOR_SIZE",
          "SIGNAL_HANDLER", "DEBUG", "TVM_OP")
# MXNet's CPU feature -> the name NumPy gives the same instruction set
_CPU = {"CPU_SSE": "SSE", "CPU_SSE2": "SSE2", "CPU_SSE3": "SSE3", "CPU_SSE4_1": "SSE41",
        "CPU_SSE4_2": "SSE42", "CPU_AVX": "AVX", "CPU_AVX2": "AVX2", "SSE": "SSE",
        "F16C": "F16C"}
# MXNet's BLAS feature -> a word in the name of NumPy's BLAS library
_BLAS = {"BLAS_OPEN": "openblas", "BLAS_ATLAS": "atlas", "BLAS_MKL": "mkl",
         "BLAS_APPLE": "accelerate"}


class Feature:
    """One feature: its ``name`` and whether it is ``enabled``."""

    __slots__ = ("_enabled", "_name")

    def __init__(self, name: str, enabled: bool):
        self._name, self._enabled = name, bool(enabled)

    @property
    def name(self) -> str:
        """The feature's name (``'CUDA'``)."""
        return self._name

    @property
    def enabled(self) -> bool:
        """True when mxnp has the feature here."""
        return self._enabled

    def __repr__(self) -> str:
        return f"{'✔' if self._enabled else '✖'} {self._name}"


def _cpu_features() -> dict:
    """The instruction sets NumPy found on this CPU (empty where NumPy does not say)."""
    for module in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):
        try:
            return dict(importlib.import_module(module).__cpu_features__)
        except (ImportError, AttributeError):
            continue
    return {}


def _blas_name() -> str:
    """The name of the BLAS library NumPy was built with, lower case ('' when unknown)."""
    try:
        config = onp.show_config(mode="dicts")
    except TypeError:  # NumPy before 1.26 only prints its configuration
        return ""
    return str(config.get("Build Dependencies", {}).get("blas", {}).get("name", "")).lower()


def _gpu_usable() -> bool:
    try:
        return _backend.cupy_available() and _backend.num_gpus() > 0
    except Exception:  # noqa: BLE001 - a broken CUDA install means no CUDA, not a crash here
        return False


def _values() -> dict:
    """Feature name -> enabled, for mxnp on this machine."""
    cuda, cpu, blas = _gpu_usable(), _cpu_features(), _blas_name()
    values = dict.fromkeys(_NAMES, False)
    values["CUDA"] = cuda
    values.update({name: bool(cpu.get(numpy_name)) for name, numpy_name in _CPU.items()})
    values.update({name: word in blas for name, word in _BLAS.items()})
    values["LAPACK"] = True  # numpy.linalg always has LAPACK (its own lapack_lite at least)
    values["OPENCV"] = importlib.util.find_spec("cv2") is not None
    values["PROFILER"] = True  # mx.profiler times mxnp's operators
    values["DIST_KVSTORE"] = True  # mx.kv.create('dist_sync') works (kvstore/dist.py)
    values["INT64_TENSOR_SIZE"] = True  # NumPy indexes with 64-bit sizes
    return values


def feature_list() -> list:
    """Every feature, as a list of ``Feature`` in MXNet's order."""
    return [Feature(name, on) for name, on in _values().items()]


class Features(collections.OrderedDict):
    """Feature name -> ``Feature``, in MXNet's order (an OrderedDict, as MXNet's); one
    instance, made on first use."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            instance = super().__new__(cls)
            collections.OrderedDict.__init__(instance, ((f.name, f) for f in feature_list()))
            cls._instance = instance
        return cls._instance

    def __init__(self):
        pass  # filled once, in __new__

    def __repr__(self) -> str:
        return repr(list(self.values()))

    def is_enabled(self, feature_name: str) -> bool:
        """Whether the feature ``feature_name`` (any case) is enabled; RuntimeError for a name
        that is not a feature."""
        if not isinstance(feature_name, str):
            raise TypeError(f"Features.is_enabled: expected a feature name (str), got "
                            f"{type(feature_name).__name__}")
        name = feature_name.upper()
        if name not in self:
            raise RuntimeError(f"Feature '{name}' is unknown, known features are: "
                               f"{list(self)}")
        return self[name].enabled
