"""``mx.contrib.onnx``: MXNet's older home of the ONNX exporter (``export_model``, the same
function as ``mx.onnx.export_model``) and its importers: ``import_model`` (ONNX -> Symbol and
parameters), ``import_to_gluon`` (-> SymbolBlock), ``get_model_metadata``."""
from __future__ import annotations

from ...onnx import export_model
from ...onnx._import import get_model_metadata, import_model, import_to_gluon

__all__ = ["export_model", "get_model_metadata", "import_model", "import_to_gluon"]
