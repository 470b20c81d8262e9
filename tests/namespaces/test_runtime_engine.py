"""mx.runtime (features, by MXNet 1.9.1's names, true of mxnp) and mx.engine (bulk sizes)."""
import collections
import threading

import pytest

import mxnp as mx
from mxnp import runtime

# MXNet 1.9.1 (mxref): list(mx.runtime.Features())
MXNET_FEATURES = [
    "CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "CPU_SSE", "CPU_SSE2", "CPU_SSE3",
    "CPU_SSE4_1", "CPU_SSE4_2", "CPU_SSE4A", "CPU_AVX", "CPU_AVX2", "OPENMP", "SSE", "F16C",
    "JEMALLOC", "BLAS_OPEN", "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE", "LAPACK", "MKLDNN", "OPENCV",
    "CAFFE", "PROFILER", "DIST_KVSTORE", "CXX14", "INT64_TENSOR_SIZE", "SIGNAL_HANDLER", "DEBUG",
    "TVM_OP"]


def test_features_are_mxnets_names_in_its_order():
    features = mx.runtime.Features()
    assert list(features) == MXNET_FEATURES
    assert features is mx.runtime.Features() and isinstance(features, dict)
    # mxref: Features' bases are (collections.OrderedDict,)
    assert type(features).__mro__[1] is collections.OrderedDict
    assert [f.name for f in mx.runtime.feature_list()] == MXNET_FEATURES
    cuda = features["CUDA"]
    assert (cuda.name, type(cuda).__name__) == ("CUDA", "Feature")


def test_features_repr_is_mxnets():
    features = mx.runtime.Features()
    # MXNet 1.9.1 prints [✖ CUDA, ✖ CUDNN, ..., ✔ BLAS_OPEN, ...]
    expected = ", ".join(("✔ " if f.enabled else "✖ ") + f.name for f in features.values())
    assert repr(features) == f"[{expected}]"
    assert repr(runtime.Feature("CUDA", False)) == "✖ CUDA"
    assert repr(runtime.Feature("LAPACK", True)) == "✔ LAPACK"


def test_features_say_what_mxnp_has():
    features = mx.runtime.Features()
    on = {name for name, f in features.items() if f.enabled}
    assert {"LAPACK", "PROFILER", "DIST_KVSTORE", "INT64_TENSOR_SIZE"} <= on
    assert not on & {"CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "MKLDNN", "CAFFE", "JEMALLOC",
                     "TVM_OP", "OPENMP", "CXX14", "DEBUG"}
    assert features.is_enabled("CUDA") == (mx.num_gpus() > 0)
    assert features.is_enabled("cuda") == features.is_enabled("CUDA")  # any case, as MXNet
    assert sum(features.is_enabled(b) for b in
               ("BLAS_OPEN", "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE")) <= 1


def test_features_follow_numpys_blas_and_cpu(monkeypatch):
    monkeypatch.setattr(runtime, "_blas_name", lambda: "mkl-sdl")
    monkeypatch.setattr(runtime, "_cpu_features", lambda: {"SSE": True, "SSE2": True,
                                                           "AVX2": True})
    monkeypatch.setattr(runtime, "_gpu_usable", lambda: False)
    values = runtime._values()
    assert values["BLAS_MKL"] and not values["BLAS_OPEN"]
    assert values["CPU_AVX2"] and values["SSE"] and not values["CPU_AVX"]
    assert not values["CUDA"]


def test_is_enabled_bad_input():
    features = mx.runtime.Features()
    with pytest.raises(RuntimeError, match=r"Feature 'FOO' is unknown, known features are: "
                                           r"\['CUDA', 'CUDNN'"):
        features.is_enabled("foo")
    with pytest.raises(TypeError, match="is_enabled: expected a feature name"):
        features.is_enabled(3)


# ---- mx.engine ---------------------------------------------------------------------------------
def test_set_bulk_size_returns_the_previous_size():
    # MXNet 1.9.1 (mxref): 0 before any setting, then each previous value
    first = mx.engine.set_bulk_size(5)
    try:
        assert mx.engine.set_bulk_size(7) == 5
        assert mx.engine.set_bulk_size(0) == 7
    finally:
        mx.engine.set_bulk_size(first)


def test_bulk_sets_the_size_inside_the_block_only():
    before = mx.engine.set_bulk_size(3)
    try:
        with mx.engine.bulk(30):
            assert mx.engine.set_bulk_size(30) == 30
            x = mx.nd.zeros((1,))
            for _ in range(3):
                x += 1  # operators still run at once: no effect on eager execution
            assert x.asnumpy().tolist() == [3.0]
        assert mx.engine.set_bulk_size(3) == 3
    finally:
        mx.engine.set_bulk_size(before)


def test_bulk_size_is_per_thread():
    before = mx.engine.set_bulk_size(11)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(mx.engine.set_bulk_size(4)))
    thread.start()
    thread.join()
    assert seen == [0] and mx.engine.set_bulk_size(before) == 11


def test_engine_bad_input():
    with pytest.raises(TypeError, match="set_bulk_size: size must be an int, got float"):
        mx.engine.set_bulk_size(2.5)
    with pytest.raises(TypeError, match="bulk: size must be an int, got str"):
        mx.engine.bulk("x")
