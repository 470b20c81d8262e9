"""``mx.contrib.onnx``: MXNet's older home of the ONNX exporter (``export_model``, the same
function as ``mx.onnx.export_model``). The importers (``import_model``, ``import_to_gluon``,
``get_model_metadata``) are not implemented."""
from __future__ import annotations

from ...onnx import export_model

__all__ = ["export_model"]
