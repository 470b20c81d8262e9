"""``mx.contrib.io``: a gluon DataLoader seen as a 1.x DataIter (for ``mx.mod.Module.fit``)."""
from __future__ import annotations

from ..io.io import DataDesc, DataIter

__all__ = ["DataLoaderIter"]


class DataLoaderIter(DataIter):
    """Batches of a gluon ``DataLoader`` yielding (data, label) as DataBatches: cast to
    ``dtype``, the last short batch padded to the first batch's size (filler rows are zeros
    here, uninitialised memory in MXNet; ``pad`` says how many). Works with mx.np batches too
    (MXNet's fails to pad them)."""

    def __init__(self, loader, data_name="data", label_name="softmax_label", dtype="float32"):
        super().__init__()
        self._loader = loader
        data, label = next(iter(loader))
        self.batch_size = data.shape[0]
        self.dtype = dtype
        self.provide_data = [DataDesc(data_name, data.shape, dtype)]
        self.provide_label = [DataDesc(label_name, label.shape, dtype)]
        self._current_batch = None
        self.reset()

    def reset(self) -> None:
        """Start again from the loader's first batch."""
        self._iter = iter(self._loader)

    def iter_next(self) -> bool:
        """Read the loader's next batch; False at its end."""
        self._current_batch = next(self._iter, None)
        return self._current_batch is not None

    def _padded(self, array):
        array = array.astype(self.dtype)
        if len(array) == self.batch_size:
            return [array]
        full = array.__class__((self.batch_size, *array.shape[1:]), dtype=self.dtype,
                               ctx=array.context)
        full[:] = 0
        full[:len(array)] = array
        return [full]

    def getdata(self):
        """The current batch's data, in ``dtype``, padded to the batch size."""
        return self._padded(self._current_batch[0])

    def getlabel(self):
        """The current batch's label, in ``dtype``, padded to the batch size."""
        return self._padded(self._current_batch[1])

    def getpad(self) -> int:
        """How many filler rows end the current batch."""
        return self.batch_size - self._current_batch[0].shape[0]

    def getindex(self):
        """None: a DataLoader does not say which samples it drew."""
        return
