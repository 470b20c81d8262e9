"""Tests of the legacy mx.nd face (mxnp/ndarray)."""
