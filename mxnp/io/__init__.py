"""``mx.io``: MXNet 1.x's data iterators, which feed ``mx.mod.Module``.

``DataIter`` yields ``DataBatch``es; ``provide_data``/``provide_label`` describe them with
``DataDesc``. ``NDArrayIter`` reads arrays in memory; ``CSVIter``, ``LibSVMIter``, ``MNISTIter``
and ``ImageRecordIter`` (also as its uint8/int8 spellings) read files.
"""
from __future__ import annotations

from .file_iters import CSVIter, LibSVMIter, MNISTIter, MXDataIter
from .image_record_iter import (
    ImageRecordInt8Iter,
    ImageRecordIter,
    ImageRecordIter_v1,
    ImageRecordUInt8Iter,
    ImageRecordUInt8Iter_v1,
)
from .io import DataBatch, DataDesc, DataIter, PrefetchingIter, ResizeIter
from .ndarray_iter import NDArrayIter

__all__ = ["CSVIter", "DataBatch", "DataDesc", "DataIter", "ImageRecordInt8Iter", "ImageRecordIter",
           "ImageRecordIter_v1", "ImageRecordUInt8Iter", "ImageRecordUInt8Iter_v1", "LibSVMIter",
           "MNISTIter", "MXDataIter", "NDArrayIter", "PrefetchingIter", "ResizeIter"]
