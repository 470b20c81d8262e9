"""Tests of MXNet 1.x's small top-level namespaces: mx.viz, mx.runtime, mx.attribute, mx.engine,
mx.profiler."""
