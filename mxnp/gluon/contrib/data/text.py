"""WikiText-2 and WikiText-103: token-id sequences for language modelling.

A segment's file is read from ``root`` when present with the right SHA-1; otherwise the
archive is downloaded (``gluon.utils.download``) and unpacked there, as in MXNet 1.9.1.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from typing import ClassVar

import numpy as onp

from .... import ndarray as nd
from ....contrib.text import utils as text_utils
from ....contrib.text import vocab as text_vocab
from ...data.dataset import _DownloadedDataset
from ...data.vision import _files
from ...utils import download
from . import _constants as C

__all__ = ["WikiText2", "WikiText103"]


class _LanguageModelDataset(_DownloadedDataset):
    """A text data set with a vocabulary and token counts built from the segment's file."""

    def __init__(self, root, namespace, vocabulary):
        self._vocab = vocabulary
        self._counter = None
        self._namespace = namespace
        super().__init__(root, None)

    @property
    def vocabulary(self):
        """The ``Vocabulary`` the token ids index (given, or built from this segment)."""
        return self._vocab

    @property
    def frequencies(self):
        """A ``collections.Counter`` of this segment's tokens."""
        return self._counter

    def _build_vocab(self, content):
        if not self._counter:
            self._counter = text_utils.count_tokens_from_str(content)
        if not self._vocab:
            self._vocab = text_vocab.Vocabulary(counter=self.frequencies,
                                                reserved_tokens=[C.EOS_TOKEN])


def _unzip_flat(archive, root):
    """Write every file of zip ``archive`` into ``root`` under its base name."""
    tmp = tempfile.mkdtemp(prefix=".extract-", dir=root)
    try:
        with zipfile.ZipFile(archive) as zf:
            names = []
            for member in zf.namelist():
                name = os.path.basename(member)
                if name:
                    with zf.open(member) as src, open(os.path.join(tmp, name), "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    names.append(name)
        for name in names:  # every file is complete before any reaches root
            os.replace(os.path.join(tmp, name), os.path.join(root, name))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _WikiText(_LanguageModelDataset):
    """Items are (data, label) rows of ``seq_len`` int32 token ids; label is data shifted by
    one token. Each line ends with '<eos>'; the tail that fills no whole row is dropped."""

    def _read_batch(self, filename):
        with open(filename, encoding="utf8") as fin:
            content = fin.read()
        self._build_vocab(content)
        tokens = [t for line in content.splitlines() if line.split()
                  for t in [*line.split(), C.EOS_TOKEN]]
        ids = onp.array(self.vocabulary.to_indices(tokens), dtype=onp.int32)
        return ids[:-1], ids[1:]

    def _get_data(self):
        archive_name, archive_hash = self._archive_file
        data_name, data_hash = self._data_file[self._segment]
        path = os.path.join(self._root, data_name)
        if not _files.is_good(path, data_hash):
            url = _files.repo_file_url("gluon/dataset/" + self._namespace, archive_name)
            _unzip_flat(download(url, path=self._root, sha1_hash=archive_hash), self._root)
        data, label = self._read_batch(path)
        rows = len(data) // self._seq_len * self._seq_len
        self._data = nd.array(data[:rows], dtype=data.dtype).reshape((-1, self._seq_len))
        self._label = nd.array(label[:rows], dtype=label.dtype).reshape((-1, self._seq_len))

    def __getitem__(self, idx):
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)


class WikiText2(_WikiText):
    """WikiText-2 (Merity et al.): ``segment`` 'train', 'validation' or 'test'; ``vocab``
    defaults to one built from the segment itself."""

    _archive_file = ("wikitext-2-v1.zip", "3c914d17d80b1459be871a5039ac23e752a53cbe")
    _data_file: ClassVar[dict] = {
        "train": ("wiki.train.tokens", "863f29c46ef9d167fff4940ec821195882fe29d1"),
        "validation": ("wiki.valid.tokens", "0418625c8b4da6e4b5c7a0b9e78d4ae8f7ee5422"),
        "test": ("wiki.test.tokens", "c7b8ce0aa086fb34dab808c5c49224211eb2b172")}

    def __init__(self, root=None, segment="train", vocab=None, seq_len=35):
        self._segment = segment
        self._seq_len = seq_len
        super().__init__(root or _files.default_root("wikitext-2"), "wikitext-2", vocab)


class WikiText103(_WikiText):
    """WikiText-103 (Merity et al.): ``segment`` 'train', 'validation' or 'test'; ``vocab``
    defaults to one built from the segment itself."""

    _archive_file = ("wikitext-103-v1.zip", "0aec09a7537b58d4bb65362fee27650eeaba625a")
    _data_file: ClassVar[dict] = {
        "train": ("wiki.train.tokens", "b7497e2dfe77e72cfef5e3dbc61b7b53712ac211"),
        "validation": ("wiki.valid.tokens", "c326ac59dc587676d58c422eb8a03e119582f92b"),
        "test": ("wiki.test.tokens", "8a5befc548865cec54ed4273cf87dbbad60d1e47")}

    def __init__(self, root=None, segment="train", vocab=None, seq_len=35):
        self._segment = segment
        self._seq_len = seq_len
        super().__init__(root or _files.default_root("wikitext-103"), "wikitext-103", vocab)
