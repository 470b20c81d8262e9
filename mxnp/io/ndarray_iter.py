"""``NDArrayIter``: batches of arrays held in memory, with MXNet 1.9.1's three ways to end an
epoch whose last batch is short (``pad``, ``discard``, ``roll_over``)."""
from __future__ import annotations

import numpy as onp

from .. import ndarray as _nd
from .._ndarray import ndarray
from .io import DataBatch, DataDesc, DataIter

__all__ = ["NDArrayIter"]

_LAST_BATCH = ("pad", "discard", "roll_over")


def _as_nd(value, name: str):
    """``value`` as an mx.nd array: NumPy data becomes float32, as MXNet's ``mx.nd.array``."""
    if type(value) is _nd.NDArray or isinstance(value, _nd.sparse.CSRNDArray):
        return value
    if _nd.sparse._is_scipy(value):
        return _nd.sparse.csr_matrix(value)
    if isinstance(value, ndarray):
        return _nd.array(value, dtype=value.dtype)
    try:
        return _nd.array(onp.asarray(value))
    except (TypeError, ValueError) as err:
        raise TypeError(f"NDArrayIter: {name} must be an array (mx.nd, mx.np or NumPy), got "
                        f"{type(value).__name__}") from err


def _named_arrays(data, default_name: str, allow_empty: bool) -> list:
    """``[(name, NDArray)]`` sorted by name from an array, a list of arrays or a dict."""
    if data is None:
        if not allow_empty:
            raise ValueError("NDArrayIter: data must not be None")
        data = []
    if isinstance(data, (ndarray, onp.ndarray)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not data and not allow_empty:
            raise ValueError("NDArrayIter: data must hold at least one array")
        # one array takes the default name; several are _0_data, _1_data ... (MXNet's names)
        data = ({default_name: data[0]} if len(data) == 1 else
                {f"_{i}_{default_name}": d for i, d in enumerate(data)})
    if not isinstance(data, dict):
        raise TypeError(f"NDArrayIter: expected an array, a list of arrays or a dict of them "
                        f"for {default_name}, got {type(data).__name__}")
    return sorted((k, _as_nd(v, k)) for k, v in data.items())


def _concat(first: list, second: list) -> list:
    if not first or not second:
        return first or second
    return [_nd.concat(a, b, dim=0) for a, b in zip(first, second)]


class NDArrayIter(DataIter):
    """Batches of ``batch_size`` samples from in-memory arrays (data and optional label:
    an array, a list, or a dict name -> array), optionally shuffled each epoch.

    ``last_batch_handle``: ``'pad'`` fills the last batch from the start of the data (its
    ``pad`` says how many), ``'discard'`` drops it, ``'roll_over'`` carries its samples into
    the first batch of the next epoch.
    """

    def __init__(self, data, label=None, batch_size: int = 1, shuffle: bool = False,
                 last_batch_handle: str = "pad", data_name: str = "data",
                 label_name: str = "softmax_label"):
        super().__init__(batch_size)
        if last_batch_handle not in _LAST_BATCH:
            raise ValueError(f"NDArrayIter: last_batch_handle must be one of {_LAST_BATCH}, got "
                             f"{last_batch_handle!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"NDArrayIter: batch_size must be a positive int, got {batch_size!r}")
        self.data = _named_arrays(data, data_name, allow_empty=False)
        self.label = _named_arrays(label, label_name, allow_empty=True)
        if last_batch_handle != "discard" and \
                any(v.stype == "csr" for _, v in self.data + self.label):
            raise NotImplementedError("`NDArrayIter` only supports ``CSRNDArray`` with "
                                      "`last_batch_handle` set to `discard`.")
        # as MXNet 1.9.1, the first data array sets the number of samples; the others are not
        # checked against it (a longer label array is read batch by batch the same way)
        self.num_data = self.data[0][1].shape[0]
        self.idx = onp.arange(self.num_data)
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.cursor = -batch_size
        self._cache_data = None
        self._cache_label = None
        self.reset()
        self.data_list = [v for _, v in self.data] + [v for _, v in self.label]
        self.num_source = len(self.data_list)

    @property
    def provide_data(self) -> list:
        """The data's names, batch shapes and dtypes."""
        return self._descs(self.data)

    @property
    def provide_label(self) -> list:
        """The label's names, batch shapes and dtypes."""
        return self._descs(self.label)

    def _descs(self, arrays) -> list:
        return [DataDesc(k, (self.batch_size, *v.shape[1:]), onp.dtype(v.dtype).type)
                for k, v in arrays]

    def hard_reset(self) -> None:
        """Start again at the first sample, forgetting any rolled-over samples."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self) -> None:
        """Start the next epoch (after a short last batch, ``roll_over`` begins with it)."""
        if self.shuffle:
            self._shuffle_data()
        if self.last_batch_handle == "roll_over" and \
                self.num_data - self.batch_size < self.cursor < self.num_data:
            # the cursor goes back by the samples still owed, so the first batch takes fewer
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self) -> bool:
        """Move the cursor on by one batch; False past the end."""
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self) -> DataBatch:
        """The next batch; a short last batch ends the epoch (kept for ``roll_over``)."""
        if not self.iter_next():
            raise StopIteration
        data, label = self.getdata(), self.getlabel()
        if data[0].shape[0] != self.batch_size:
            self._cache_data, self._cache_label = data, label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _slices(self, source, start=None, end=None) -> list:
        """``array[start:end]`` of each array of ``source``; no ``end`` is the length of the
        source's first array, as MXNet's ``_getdata`` takes it."""
        if end is None:
            end = source[0][1].shape[0] if source else 0
        return [v[start or 0:end] for _, v in source]

    def _batchify(self, source) -> list:
        if self.cursor >= self.num_data:
            raise ValueError("NDArrayIter: past the last batch; call reset()")
        bs, n = self.batch_size, self.num_data
        if self.last_batch_handle == "roll_over" and -bs < self.cursor < 0:
            cache = self._cache_data if self._cache_data is not None else self._cache_label
            if cache is None:
                raise ValueError("NDArrayIter: no rolled-over samples for this epoch's first "
                                 "batch; call hard_reset()")
            if self._cache_data is not None:
                self._cache_data = None
            else:
                self._cache_label = None
            return _concat(cache, self._slices(source, end=self.cursor + bs))
        if self.last_batch_handle == "pad" and self.cursor + bs > n:
            # the filler is the data from the start, repeated when the batch outsizes it
            whole, rest = divmod(bs - n + self.cursor, n)
            filler = [_nd.tile(v, (whole,) + (1,) * (v.ndim - 1))
                      for v in self._slices(source)] if whole else []
            filler = _concat(filler, self._slices(source, end=rest) if rest else [])
            return _concat(self._slices(source, start=self.cursor), filler)
        return self._slices(source, self.cursor, min(self.cursor + bs, n))

    def getdata(self) -> list:
        """The current batch's data arrays."""
        return self._batchify(self.data)

    def getlabel(self) -> list:
        """The current batch's label arrays."""
        return self._batchify(self.label)

    def getpad(self) -> int:
        """The filler samples at the end of a padded batch; for ``roll_over``'s first batch
        of an epoch, the number of samples carried over (as MXNet reports it)."""
        if self.last_batch_handle == "pad" and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == "roll_over" and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self) -> None:
        # NumPy's global generator draws the order, as in MXNet (numpy.random.seed repeats it);
        # each shuffle permutes the already shuffled arrays
        onp.random.shuffle(self.idx)
        self.data = [(k, _shuffled(v, self.idx)) for k, v in self.data]
        self.label = [(k, _shuffled(v, self.idx)) for k, v in self.label]


def _shuffled(array, order):
    """``array``'s samples in ``order``, in the same storage."""
    out = _nd.array(array.asnumpy()[order], array.context, dtype=array.dtype)
    return out if array.stype == "default" else out.tostype(array.stype)
