"""mx.contrib.text: counting, vocabularies, embeddings (values from MXNet 1.9.1 via mxref)."""
from __future__ import annotations

import collections
import hashlib
import io
import warnings
import zipfile

import numpy as onp
import pytest

import mxnp as mx
from mxnp import ndarray as nd
from mxnp.contrib import text
from tests.helpers import LocalServer

COUNTER = collections.Counter(["a", "b", "b", "c", "c", "c", "z$", "y"])


def _file(tmp_path, name, rows, delim="\t"):
    path = tmp_path / name
    path.write_text("".join(delim.join(r) + "\n" for r in rows))
    return str(path)


def _vals(a):
    return a.asnumpy().tolist()


def test_count_tokens_from_str():
    got = text.utils.count_tokens_from_str(" Life is great ! \n life is good . \n", to_lower=True)
    assert got == collections.Counter({"life": 2, "is": 2, "great": 1, "!": 1, "good": 1,
                                       ".": 1})
    assert text.utils.count_tokens_from_str("aISbLIFEcIS", "IS", "LIFE") == \
        collections.Counter("abc")
    before = collections.Counter({"a": 2})
    assert text.utils.count_tokens_from_str("a b", counter_to_update=before) is before
    assert before == collections.Counter({"a": 3, "b": 1})


def test_vocabulary_order_caps_and_lookups():
    v = text.vocab.Vocabulary(COUNTER, reserved_tokens=["<pad>"])
    assert v.idx_to_token == ["<unk>", "<pad>", "c", "b", "a", "y", "z$"] and len(v) == 7
    assert v.token_to_idx["a"] == 4 and v.unknown_token == "<unk>"
    assert v.reserved_tokens == ["<pad>"]
    assert v.to_indices(["c", "nope", "y"]) == [2, 0, 5] and v.to_indices("b") == 3
    assert v.to_tokens([1, 0, -1]) == ["<pad>", "<unk>", "z$"] and v.to_tokens(2) == "c"
    with pytest.raises(ValueError, match="Token index 100 in the provided `indices` is invalid"):
        v.to_tokens(100)
    capped = text.vocab.Vocabulary(COUNTER, most_freq_count=2, min_freq=2, unknown_token="b",
                                   reserved_tokens=["<pad>"])
    assert capped.idx_to_token == ["b", "<pad>", "c"]
    assert text.vocab.Vocabulary().token_to_idx == {"<unk>": 0}
    pairs = text.vocab.Vocabulary(collections.Counter([("a", 1), ("b", 2), ("b", 2)]),
                                  unknown_token=("?", 0))
    assert pairs.idx_to_token == [("?", 0), ("b", 2), ("a", 1)]
    for bad in ({"reserved_tokens": ["<unk>"]}, {"reserved_tokens": ["x", "x"]},
                {"min_freq": 0}):
        with pytest.raises(AssertionError):
            text.vocab.Vocabulary(COUNTER, **bad)


def test_custom_embedding_values_unknowns_and_lower_case_backup(tmp_path):
    path = _file(tmp_path, "e1.txt", [["a", "0.1", "0.2", "0.3"], ["b", "0.4", "0.5", "0.6"]])
    e = text.embedding.CustomEmbedding(path, "\t", init_unknown_vec=nd.ones)
    assert (len(e), e.vec_len, e.idx_to_token) == (3, 3, ["<unk>", "a", "b"])
    assert type(e.idx_to_vec) is nd.NDArray and e.idx_to_vec.dtype is onp.float32
    assert onp.allclose(_vals(e.idx_to_vec), [[1, 1, 1], [0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    assert onp.allclose(_vals(e.get_vecs_by_tokens("A", lower_case_backup=True)),
                        [0.1, 0.2, 0.3])
    assert _vals(e.get_vecs_by_tokens("A")) == [1, 1, 1]
    assert onp.allclose(_vals(e.get_vecs_by_tokens(["b", "q"])), [[0.4, 0.5, 0.6], [1, 1, 1]])
    own_unknown = _file(tmp_path, "e2.txt", [["a", "1", "2"], ["c", "3", "4"], ["<u2>", "5", "6"]])
    e2 = text.embedding.CustomEmbedding(own_unknown, "\t", unknown_token="<u2>")
    assert e2.idx_to_token == ["<u2>", "a", "c"]
    assert _vals(e2.idx_to_vec) == [[5, 6], [1, 2], [3, 4]]


def test_embeddings_over_a_vocabulary_and_composites(tmp_path):
    v = text.vocab.Vocabulary(COUNTER, reserved_tokens=["<pad>"])
    p1 = _file(tmp_path, "e1.txt", [["a", "0.1", "0.2", "0.3"], ["b", "0.4", "0.5", "0.6"]])
    p2 = _file(tmp_path, "e2.txt", [["a", "1", "2"], ["c", "3", "4"], ["<u2>", "5", "6"]])
    ev = text.embedding.CustomEmbedding(p1, "\t", vocabulary=v)
    assert ev.idx_to_token == v.idx_to_token and ev.reserved_tokens == ["<pad>"]
    assert onp.allclose(_vals(ev.idx_to_vec), [[0, 0, 0]] * 3 + [[0.4, 0.5, 0.6],
                                                                [0.1, 0.2, 0.3]] + [[0, 0, 0]] * 2)
    e1 = text.embedding.CustomEmbedding(p1, "\t", init_unknown_vec=nd.ones)
    e2 = text.embedding.CustomEmbedding(p2, "\t", unknown_token="<u2>")
    ce = text.embedding.CompositeEmbedding(v, [e1, e2])
    assert ce.vec_len == 5 and ce.token_to_idx == v.token_to_idx
    assert onp.allclose(_vals(ce.idx_to_vec), [
        [1, 1, 1, 5, 6], [1, 1, 1, 5, 6], [1, 1, 1, 3, 4], [0.4, 0.5, 0.6, 5, 6],
        [0.1, 0.2, 0.3, 1, 2], [1, 1, 1, 5, 6], [1, 1, 1, 5, 6]])
    ce.update_token_vectors(["a", "b"], nd.ones((2, 5)) * 7)
    ce.update_token_vectors("<unk>", nd.arange(5))
    assert _vals(ce.idx_to_vec)[:5] == [[0, 1, 2, 3, 4], [1, 1, 1, 5, 6], [1, 1, 1, 3, 4],
                                        [7] * 5, [7] * 5]
    with pytest.raises(ValueError, match="Token nope is unknown"):
        ce.update_token_vectors("nope", nd.arange(5))
    with pytest.raises(AssertionError, match="must be a 2-D NDArray"):
        ce.update_token_vectors(["a", "b"], nd.arange(5))
    with pytest.raises(AssertionError, match="The length of new_vectors"):
        ce.update_token_vectors("<unk>", nd.arange(3))


def test_numpy_mode_gives_np_arrays_and_updates_work(tmp_path):
    mx.npx.set_np()  # tests/conftest.py puts the switches back
    e = text.embedding.CustomEmbedding(_file(tmp_path, "e.txt", [["a", "1", "2"]]), "\t")
    assert type(e.get_vecs_by_tokens(["a"])) is mx.np.ndarray
    e.update_token_vectors("a", mx.np.array([3, 4]))  # MXNet 1.9.1 fails here in numpy mode
    assert e.idx_to_vec.tolist() == [[0, 0], [3, 4]]


def test_damaged_files_warnings_and_missing_files(tmp_path):
    with pytest.raises(AssertionError, match="At line 3 .* is unexpected"):
        text.embedding.CustomEmbedding(_file(tmp_path, "bad.txt", [["a", "1", "2"],
                                                                   ["b", "2", "3"], ["c"]]),
                                       "\t")
    with pytest.raises(AssertionError, match="the dimension of token c is 3 but .* is 2"):
        text.embedding.CustomEmbedding(_file(tmp_path, "bad2.txt", [["a", "1", "2"],
                                                                    ["c", "3", "4", "5"]]), "\t")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        e = text.embedding.CustomEmbedding(_file(tmp_path, "dup.txt", [
            ["x", "1"], ["a", "1", "2"], ["a", "3", "4"], ["c", "3", "4"]]), "\t")
    assert [str(w.message)[:35] for w in seen] == ["At line 1 of the pre-trained text e",
                                                   "At line 3 of the pre-trained token "]
    assert _vals(e.idx_to_vec) == [[0, 0], [1, 2], [3, 4]]
    with pytest.raises(ValueError, match="must be a valid path"):
        text.embedding.CustomEmbedding(str(tmp_path / "none.txt"))


def test_registered_embeddings_download_their_files(tmp_path, monkeypatch):
    body = b"hello 1 2 3\nworld 4 5 6\n"

    @text.embedding.register
    class LocalTest(text.embedding._TokenEmbedding):
        pretrained_file_name_sha1 = {"t.vec": hashlib.sha1(body).hexdigest()}  # noqa: RUF012
        namespace = "localtest"

        def __init__(self, embedding_root=str(tmp_path / "emb"), **kwargs):
            super().__init__(**kwargs)
            LocalTest._check_pretrained_file_names("t.vec")
            path = LocalTest._get_pretrained_file(embedding_root, "t.vec")
            self._load_embedding(path, " ", nd.zeros)

    server = LocalServer()
    try:
        server.files["/gluon/embeddings/localtest/t.vec"] = body
        monkeypatch.setenv("MXNET_GLUON_REPO", server.url)
        e = text.embedding.create("LocalTest")
        assert e.token_to_idx == {"<unk>": 0, "hello": 1, "world": 2}
        assert _vals(e.idx_to_vec) == [[0, 0, 0], [1, 2, 3], [4, 5, 6]]
        text.embedding.create("localtest")  # the second time reads the file on disk
        assert server.requests == ["/gluon/embeddings/localtest/t.vec"]
    finally:
        server.close()
    assert text.embedding.get_pretrained_file_names("localtest") == ["t.vec"]
    assert "localtest" in text.embedding.get_pretrained_file_names()
    with pytest.raises(KeyError, match="Cannot find `embedding_name` nope"):
        text.embedding.get_pretrained_file_names("nope")
    with pytest.raises(AssertionError, match="nope is not registered"):
        text.embedding.create("nope")


def test_glove_and_fasttext_catalogues_as_mxnet_lists_them():
    # mxref (MXNet 1.9.1): 10 GloVe and 327 fastText files, in this order; the name is not
    # case-folded by get_pretrained_file_names (create folds it)
    names = text.embedding.get_pretrained_file_names()
    assert names["glove"][:2] == ["glove.42B.300d.txt", "glove.6B.50d.txt"]
    assert len(names["glove"]) == 10 and len(names["fasttext"]) == 327
    assert names["fasttext"][:2] == ["crawl-300d-2M.vec", "wiki.aa.vec"]
    assert names["fasttext"][-2:] == ["wiki.zh_yue.vec", "wiki.zu.vec"]
    assert text.embedding.get_pretrained_file_names("fasttext") == names["fasttext"]
    with pytest.raises(KeyError, match="Cannot find `embedding_name` GloVe"):
        text.embedding.get_pretrained_file_names("GloVe")
    with pytest.raises(KeyError, match="Cannot find pretrained file x.txt for token embedding "
                                       "glove. Valid pretrained files for embedding glove: "
                                       "glove.42B.300d.txt, glove.6B.50d.txt"):
        text.embedding.create("GloVe", pretrained_file_name="x.txt")
    # mxref: the archive each file is hosted in
    glove, fasttext = text.embedding.GloVe, text.embedding.FastText
    assert glove._get_pretrained_file_url("glove.twitter.27B.25d.txt").endswith(
        "/gluon/embeddings/glove/glove.twitter.27B.zip")
    assert fasttext._get_pretrained_file_url("wiki.en.vec").endswith(
        "/gluon/embeddings/fasttext/wiki.en.zip")


def _zip_holding(name, body):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, body)
    return buf.getvalue()


@pytest.mark.parametrize(("cls", "fname", "archive"), [
    ("GloVe", "glove.6B.50d.txt", "glove.6B.zip"),
    ("FastText", "wiki.simple.vec", "wiki.simple.zip")])
def test_hosted_embeddings_download_and_unpack_their_archive(tmp_path, monkeypatch, cls, fname,
                                                             archive):
    body = b"the 1 2\nof 3 4\n"
    packed = _zip_holding(fname, body)
    emb = getattr(text.embedding, cls)
    monkeypatch.setitem(emb.pretrained_file_name_sha1, fname, hashlib.sha1(body).hexdigest())
    monkeypatch.setitem(emb.pretrained_archive_name_sha1, archive,
                        hashlib.sha1(packed).hexdigest())
    server = LocalServer()
    try:
        url = f"/gluon/embeddings/{cls.lower()}/{archive}"
        server.files[url] = packed
        monkeypatch.setenv("MXNET_GLUON_REPO", server.url + "/")
        vocab = text.vocab.Vocabulary(collections.Counter(["of", "x"]))
        e = text.embedding.create(cls.lower(), pretrained_file_name=fname,
                                  embedding_root=str(tmp_path), vocabulary=vocab)
        assert e.idx_to_token == ["<unk>", "of", "x"]
        assert _vals(e.idx_to_vec) == [[0, 0], [3, 4], [0, 0]]
        assert (tmp_path / cls.lower() / fname).read_bytes() == body
        emb(fname, embedding_root=str(tmp_path))  # the unpacked file is used as it is
        assert server.requests == [url]
    finally:
        server.close()


def test_custom_embedding_checks_its_vocabulary_and_gives_reserved_tokens_the_unknown_vector(
        tmp_path):
    path = _file(tmp_path, "e.txt", [["a", "0.5", "1"], ["b", "2", "3"]], delim=" ")
    # mxref (MXNet 1.9.1): the same AssertionError for a vocabulary that is not a Vocabulary
    with pytest.raises(AssertionError, match="The argument `vocabulary` must be an instance of "
                                             "mxnet.contrib.text.vocab.Vocabulary."):
        text.embedding.CustomEmbedding(path, vocabulary=collections.Counter(["a"]))
    # MXNet 1.9.1 leaves the reserved tokens' rows out of idx_to_vec (4 rows for 5 tokens, each
    # vector one token off, differences.md); here they hold the unknown vector
    e = text.embedding.CustomEmbedding(path, reserved_tokens=["<pad>"], init_unknown_vec=nd.ones)
    assert e.idx_to_token == ["<unk>", "<pad>", "a", "b"]
    assert _vals(e.idx_to_vec) == [[1, 1], [1, 1], [0.5, 1], [2, 3]]
