"""``mx.onnx``: export MXNet models (a Symbol or -symbol.json, and their parameters) to ONNX, as
MXNet 1.9.1's ``mx.onnx`` does. Needs the ``onnx`` package (``pip install mxnp[onnx]``), which is
imported only when a model is exported."""
from __future__ import annotations

from ._export import export_model, get_operator_support

__all__ = ["export_model", "get_operator_support"]
