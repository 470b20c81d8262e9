"""``mx.contrib.text.embedding``: token embeddings as vocabularies with a vector per token.

``CustomEmbedding`` reads a text file of ``token v1 v2 ...`` lines; ``CompositeEmbedding``
joins several embeddings' vectors over one vocabulary; ``GloVe`` and ``FastText`` load the
pre-trained files hosted for MXNet (the catalogue MXNet 1.9.1 lists); subclasses registered
with ``register`` name their hosted files in ``pretrained_file_name_sha1`` and are made by
``create``. Vectors are float32 ``mx.nd`` arrays, or ``mx.np`` arrays in numpy mode, as in
MXNet (whose ``update_token_vectors`` fails in numpy mode; mxnp's works).
"""
from __future__ import annotations

import os
import tarfile
import warnings
import zipfile
from typing import ClassVar

from ... import ndarray as nd
from ... import numpy as np
from ..._mode import is_np_array
from ...base import data_dir
from . import _catalogue, vocab
from .vocab import UNKNOWN_IDX

__all__ = ["CompositeEmbedding", "CustomEmbedding", "FastText", "GloVe", "create",
           "get_pretrained_file_names", "register"]

_REGISTRY: dict = {}


def _face():
    """The array module of the current face: mx.np in numpy mode, else mx.nd."""
    return np if is_np_array() else nd


def register(embedding_cls):
    """Class decorator: make a ``_TokenEmbedding`` subclass available to ``create`` under its
    lower-cased name."""
    assert issubclass(embedding_cls, _TokenEmbedding), \
        "Can only register subclass of _TokenEmbedding"
    name = embedding_cls.__name__.lower()
    if name in _REGISTRY:
        warnings.warn(f"New token embedding {embedding_cls.__module__}.{embedding_cls.__name__} "
                      f"is overriding existing token embedding {name}", stacklevel=2)
    _REGISTRY[name] = embedding_cls
    return embedding_cls


def create(embedding_name, **kwargs):
    """An instance of the registered embedding class ``embedding_name`` (any case)."""
    name = embedding_name.lower()
    assert name in _REGISTRY, \
        f"{embedding_name} is not registered. Please register with token embedding.register first"
    return _REGISTRY[name](**kwargs)


def get_pretrained_file_names(embedding_name=None):
    """The hosted file names of the registered embedding ``embedding_name`` (its lower-cased
    class name, exactly: MXNet does not fold case here) as a list, or of all of them (a dict
    by name)."""
    if embedding_name is None:
        return {name: list(cls.pretrained_file_name_sha1) for name, cls in _REGISTRY.items()}
    if embedding_name not in _REGISTRY:
        raise KeyError(f"Cannot find `embedding_name` {embedding_name}. Use "
                       "`get_pretrained_file_names(embedding_name=None).keys()` to get all the "
                       "valid embedding names.")
    return list(_REGISTRY[embedding_name].pretrained_file_name_sha1)


class _TokenEmbedding(vocab.Vocabulary):
    """A vocabulary with a vector per token (``idx_to_vec``; row 0 is the unknown token's)."""

    pretrained_file_name_sha1: ClassVar[dict] = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._vec_len = None
        self._idx_to_vec = None

    @classmethod
    def _check_pretrained_file_names(cls, pretrained_file_name):
        if pretrained_file_name not in cls.pretrained_file_name_sha1:
            raise KeyError(f"Cannot find pretrained file {pretrained_file_name} for token "
                           f"embedding {cls.__name__.lower()}. Valid pretrained files for "
                           f"embedding {cls.__name__.lower()}: "
                           f"{', '.join(cls.pretrained_file_name_sha1)}")

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        """The hosted file holding ``pretrained_file_name``: the file itself, unless the class
        downloads archives."""
        return pretrained_file_name

    @classmethod
    def _get_pretrained_file_url(cls, pretrained_file_name):
        """``$MXNET_GLUON_REPO`` (or Apache MXNet's) + gluon/embeddings/<class>/<hosted file>."""
        from ...gluon.data.vision._files import repo_file_url

        return repo_file_url(f"gluon/embeddings/{cls.__name__.lower()}",
                             cls._get_download_file_name(pretrained_file_name))

    @classmethod
    def _get_pretrained_file(cls, embedding_root, pretrained_file_name):
        """``embedding_root/<class name, lower-cased>/<file>``, used as it is when its SHA-1 is
        the listed one; else the hosted file is downloaded beside it (checked against
        ``pretrained_archive_name_sha1`` when the class has one, else against the file's own
        SHA-1) and a ``.zip`` or ``.gz`` tar archive unpacked there."""
        from ...gluon.utils import check_sha1, download

        folder = os.path.join(os.path.expanduser(embedding_root), cls.__name__.lower())
        path = os.path.join(folder, pretrained_file_name)
        if os.path.exists(path) and \
                check_sha1(path, cls.pretrained_file_name_sha1[pretrained_file_name]):
            return path
        url = cls._get_pretrained_file_url(pretrained_file_name)
        hosted = os.path.basename(url)
        archives = getattr(cls, "pretrained_archive_name_sha1", None)
        sha1 = archives[hosted] if archives is not None else \
            cls.pretrained_file_name_sha1[pretrained_file_name]
        fetched = download(url, path=os.path.join(folder, hosted), sha1_hash=sha1)
        _unpack(fetched, folder)
        return path

    def _load_embedding(self, pretrained_file_path, elem_delim, init_unknown_vec,
                        encoding="utf8"):
        """Index the tokens of a ``token v1 v2 ...`` text file after those already indexed;
        the unknown token's own line, if any, gives row 0, else ``init_unknown_vec``."""
        path = os.path.expanduser(pretrained_file_path)
        if not os.path.isfile(path):
            raise ValueError("`pretrained_file_path` must be a valid path to the pre-trained "
                             "token embedding file.")
        rows, seen, unknown_vec = [], set(), None
        with open(path, encoding=encoding) as f:
            for line_num, line in enumerate(f, 1):
                elems = line.rstrip().split(elem_delim)
                assert len(elems) > 1, (
                    f"At line {line_num} of the pre-trained text embedding file: the data "
                    f"format of the pre-trained token embedding file {path} is unexpected.")
                token, vec = elems[0], [float(e) for e in elems[1:]]
                if token == self.unknown_token and unknown_vec is None:
                    unknown_vec = vec
                    seen.add(token)
                elif token in seen:
                    warnings.warn(f"At line {line_num} of the pre-trained token embedding "
                                  f"file: the embedding vector for token {token} has been "
                                  "loaded and a duplicate embedding for the  same token is seen "
                                  "and skipped.", stacklevel=2)
                elif len(vec) == 1:
                    warnings.warn(f"At line {line_num} of the pre-trained text embedding file: "
                                  f"token {token} with 1-dimensional vector {vec} is likely a "
                                  "header and is skipped.", stacklevel=2)
                else:
                    assert not rows or len(vec) == len(rows[0]), (
                        f"At line {line_num} of the pre-trained token embedding file: the "
                        f"dimension of token {token} is {len(vec)} but the dimension of "
                        f"previous tokens is {len(rows[0])}. Dimensions of all the tokens must "
                        "be the same.")
                    rows.append(vec)
                    self._token_to_idx[token] = len(self._idx_to_token)
                    self._idx_to_token.append(token)
                    seen.add(token)
        width = len(rows[0]) if rows else (len(unknown_vec) if unknown_vec else 0)
        self._vec_len = width
        arrays = _face()
        vecs = arrays.zeros((len(self._idx_to_token), width))
        if rows:
            vecs[len(self._idx_to_token) - len(rows):] = arrays.array(rows)
        vecs[UNKNOWN_IDX] = arrays.array(unknown_vec) if unknown_vec is not None else \
            init_unknown_vec(shape=width)
        # tokens indexed before the file's (reserved ones) have no vector there: the unknown one
        vecs[1:len(self._idx_to_token) - len(rows)] = vecs[UNKNOWN_IDX]
        self._idx_to_vec = vecs

    @property
    def vec_len(self) -> int:
        """The length of each vector."""
        return self._vec_len

    @property
    def idx_to_vec(self):
        """The vectors, one row per index: an NDArray (len(self), vec_len)."""
        return self._idx_to_vec

    def get_vecs_by_tokens(self, tokens, lower_case_backup=False):
        """The vector of a token (1-D) or of a list of tokens (2-D); an unknown token gets row
        0; with ``lower_case_backup`` a token not found is looked up lower-cased."""
        one = not isinstance(tokens, list)
        indices = []
        for token in [tokens] if one else tokens:
            if lower_case_backup and token not in self._token_to_idx:
                token = token.lower()
            indices.append(self._token_to_idx.get(token, UNKNOWN_IDX))
        vecs = self._idx_to_vec.take(_face().array(indices, dtype="int64"), axis=0)
        return vecs[0] if one else vecs

    def update_token_vectors(self, tokens, new_vectors):
        """Replace the vectors of indexed ``tokens`` (the unknown token only when named)."""
        assert self._idx_to_vec is not None, "The property `idx_to_vec` has not been properly set."
        if not isinstance(tokens, list) or len(tokens) == 1:
            assert isinstance(new_vectors, nd.NDArray) and new_vectors.ndim in (1, 2), \
                "`new_vectors` must be a 1-D or 2-D NDArray if `tokens` is a singleton."
            tokens = tokens if isinstance(tokens, list) else [tokens]
            if new_vectors.ndim == 1:
                new_vectors = new_vectors.expand_dims(0)
        else:
            assert isinstance(new_vectors, nd.NDArray) and new_vectors.ndim == 2, \
                "`new_vectors` must be a 2-D NDArray if `tokens` is a list of multiple strings."
        assert new_vectors.shape == (len(tokens), self._vec_len), (
            "The length of new_vectors must be equal to the number of tokens and the width of "
            "new_vectors must be equal to the dimension of embeddings of the glossary.")
        for token in tokens:
            if token not in self._token_to_idx:
                raise ValueError(f"Token {token} is unknown. To update the embedding vector for "
                                 "an unknown token, please specify it explicitly as the "
                                 f"`unknown_token` {self._idx_to_token[UNKNOWN_IDX]} in "
                                 "`tokens`. This is to avoid unintended updates.")
        for token, row in zip(tokens, new_vectors):
            self._idx_to_vec[self._token_to_idx[token]] = row

    def _set_vecs_for(self, embeddings, idx_to_token):
        """Row i: the vectors of token ``idx_to_token[i]`` in each embedding, side by side
        (row 0: each embedding's unknown vector)."""
        width = sum(e.vec_len for e in embeddings)
        vecs = _face().zeros((len(idx_to_token), width))
        start = 0
        for e in embeddings:
            vecs[0, start:start + e.vec_len] = e.idx_to_vec[0]
            if len(idx_to_token) > 1:
                vecs[1:, start:start + e.vec_len] = e.get_vecs_by_tokens(list(idx_to_token[1:]))
            start += e.vec_len
        self._vec_len, self._idx_to_vec = width, vecs

    def _load_pretrained(self, pretrained_file_name, embedding_root, init_unknown_vec,
                         vocabulary):
        """Read a hosted file (downloaded into ``embedding_root``, default
        ``$MXNET_HOME/embeddings``, when missing), then index it as ``vocabulary`` if given."""
        root = os.path.join(data_dir(), "embeddings") if embedding_root is None else \
            embedding_root
        self._load_embedding(type(self)._get_pretrained_file(root, pretrained_file_name), " ",
                             init_unknown_vec)
        self._build_embedding_for_vocabulary(vocabulary)

    def _build_embedding_for_vocabulary(self, vocabulary):
        """Re-index this embedding as ``vocabulary`` (its tokens this embedding lacks get the
        unknown vector); nothing when ``vocabulary`` is None."""
        if vocabulary is not None:
            _check_vocabulary(vocabulary)
            self._set_vecs_for([self], vocabulary.idx_to_token)
            self._take_vocabulary(vocabulary)

    def _take_vocabulary(self, vocabulary):
        _check_vocabulary(vocabulary)
        self._token_to_idx = dict(vocabulary.token_to_idx)
        self._idx_to_token = list(vocabulary.idx_to_token)
        self._unknown_token = vocabulary.unknown_token
        self._reserved_tokens = None if vocabulary.reserved_tokens is None else \
            list(vocabulary.reserved_tokens)


def _check_vocabulary(vocabulary):
    assert isinstance(vocabulary, vocab.Vocabulary), \
        "The argument `vocabulary` must be an instance of mxnet.contrib.text.vocab.Vocabulary."


def _unpack(archive, folder):
    """Unpack a downloaded ``.zip`` or ``.gz`` (tar) ``archive`` into ``folder``; any other
    file is the embedding file itself and is left as it is. Members cannot land outside
    ``folder`` (zipfile drops ``..`` and roots; tar uses the ``data`` filter)."""
    ext = os.path.splitext(archive)[1]
    if ext == ".zip":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(folder)
    elif ext == ".gz":
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")


@register
class GloVe(_TokenEmbedding):
    """GloVe vectors (Pennington, Socher and Manning, 2014; https://nlp.stanford.edu/projects/
    glove/), one of the files ``get_pretrained_file_names('glove')`` lists, read from
    ``embedding_root/glove`` (default ``$MXNET_HOME/embeddings``) or downloaded there in its
    zip archive; with ``vocabulary``, indexed as that vocabulary."""

    pretrained_archive_name_sha1: ClassVar[dict] = dict(_catalogue.GLOVE_ARCHIVES)
    pretrained_file_name_sha1: ClassVar[dict] = dict(_catalogue.GLOVE_FILES)

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        """The archive whose second dot-separated field (``6B``, ``twitter``, ...) is the
        file's."""
        field = pretrained_file_name.split(".")[1]
        return next(a for a in cls.pretrained_archive_name_sha1 if a.split(".")[1] == field)

    def __init__(self, pretrained_file_name="glove.840B.300d.txt", embedding_root=None,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        GloVe._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        self._load_pretrained(pretrained_file_name, embedding_root, init_unknown_vec, vocabulary)


@register
class FastText(_TokenEmbedding):
    """fastText vectors (Bojanowski et al., 2016; https://fasttext.cc/), one of the ``.vec``
    files ``get_pretrained_file_names('fasttext')`` lists, read from
    ``embedding_root/fasttext`` (default ``$MXNET_HOME/embeddings``) or downloaded there in
    its zip archive; with ``vocabulary``, indexed as that vocabulary."""

    pretrained_archive_name_sha1: ClassVar[dict] = {
        f"{name}.zip": sha1s[0] for name, sha1s in _catalogue.FASTTEXT.items()}
    pretrained_file_name_sha1: ClassVar[dict] = {
        f"{name}.vec": sha1s[1] for name, sha1s in _catalogue.FASTTEXT.items()}

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        """``<name>.zip`` for ``<name>.vec``."""
        return pretrained_file_name.rsplit(".", 1)[0] + ".zip"

    def __init__(self, pretrained_file_name="wiki.simple.vec", embedding_root=None,
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        FastText._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        self._load_pretrained(pretrained_file_name, embedding_root, init_unknown_vec, vocabulary)


class CustomEmbedding(_TokenEmbedding):
    """An embedding read from a local text file of ``token<elem_delim>v1<elem_delim>v2 ...``
    lines; with ``vocabulary``, indexed as that vocabulary (its tokens the file lacks get the
    unknown vector)."""

    def __init__(self, pretrained_file_path, elem_delim=" ", encoding="utf8",
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self._load_embedding(pretrained_file_path, elem_delim, init_unknown_vec, encoding)
        self._build_embedding_for_vocabulary(vocabulary)


class CompositeEmbedding(_TokenEmbedding):
    """The vectors of several embeddings, concatenated, for the tokens of ``vocabulary``."""

    def __init__(self, vocabulary, token_embeddings):
        embeddings = token_embeddings if isinstance(token_embeddings, list) else \
            [token_embeddings]
        for e in embeddings:
            assert isinstance(e, _TokenEmbedding), (
                "The argument `token_embeddings` must be an instance or a list of instances "
                "of `mxnet.contrib.text.embedding.TextEmbedding` whose embedding vectors will "
                "be loaded or concatenated-then-loaded to map to the indexed tokens.")
        self._take_vocabulary(vocabulary)
        self._set_vecs_for(embeddings, self._idx_to_token)
