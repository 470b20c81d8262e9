"""gluon.contrib.data: IntervalSampler, WikiText2/103 (from local files or a local HTTP server),
and mx.contrib.text's token counts and Vocabulary. Expected values: MXNet 1.9.1 (mxref)."""
from __future__ import annotations

import collections
import functools
import hashlib
import http.server
import io
import threading
import zipfile

import numpy as onp
import pytest

from mxnp.contrib.text import utils as text_utils
from mxnp.contrib.text.vocab import Vocabulary
from mxnp.gluon.contrib.data import IntervalSampler, text

TOKENS = (b" = Title = \n\n the cat sat on the mat . \n the dog ran \n\n = = Sub = = \n"
          b" a b c d e f g the cat \n")


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def test_interval_sampler():
    assert list(IntervalSampler(7, 3)) == [0, 3, 6, 1, 4, 2, 5]
    assert list(IntervalSampler(7, 3, rollover=False)) == [0, 3, 6]
    assert len(IntervalSampler(7, 3, rollover=False)) == 7  # MXNet reports length either way
    with pytest.raises(AssertionError, match="Interval 3 must be smaller than or equal to "
                                             "length 2"):
        IntervalSampler(2, 3)


def test_vocabulary_orders_by_frequency_then_token():
    counter = collections.Counter({"b": 2, "a": 2, "c": 5, "d": 1})
    vocab = Vocabulary(counter, reserved_tokens=["<eos>"])
    assert vocab.idx_to_token == ["<unk>", "<eos>", "c", "a", "b", "d"]
    assert vocab.to_indices(["a", "zzz"]) == [3, 0]
    assert vocab.to_indices("c") == 2
    assert vocab.to_tokens([1, 2]) == ["<eos>", "c"]
    assert Vocabulary(counter, most_freq_count=2, min_freq=2).idx_to_token == ["<unk>", "c", "a"]
    with pytest.raises(ValueError, match="Token index 9"):
        vocab.to_tokens(9)
    assert text_utils.count_tokens_from_str("A b\nb a", to_lower=True) == {"a": 2, "b": 2}


def _check_test_segment(data):
    # MXNet 1.9.1 on the same file, seq_len=4
    assert len(data) == 7
    assert len(data.vocabulary) == 20 and len(data.frequencies) == 18
    assert data.frequencies.most_common(3) == [("=", 6), ("the", 4), ("cat", 2)]
    assert data.vocabulary.idx_to_token[:6] == ["<unk>", "<eos>", "=", "the", "cat", "."]
    x, y = data[1]
    assert x.asnumpy().tolist() == [3, 4, 19, 17] and y.asnumpy().tolist() == [4, 19, 17, 3]
    assert onp.dtype(x.dtype) == onp.int32


def test_wikitext_reads_a_present_file(tmp_path, monkeypatch):
    (tmp_path / "wiki.test.tokens").write_bytes(TOKENS)
    monkeypatch.setattr(text.WikiText2, "_data_file",
                        {"test": ("wiki.test.tokens", _sha1(TOKENS))})
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://127.0.0.1:9/")  # a fetch would fail
    _check_test_segment(text.WikiText2(root=str(tmp_path), segment="test", seq_len=4))


@pytest.fixture
def repo(tmp_path):
    """A local HTTP server holding gluon/dataset/wikitext-103/wikitext-103-v1.zip."""
    folder = tmp_path / "repo" / "gluon" / "dataset" / "wikitext-103"
    folder.mkdir(parents=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("wikitext-103/wiki.test.tokens", TOKENS)
        zf.writestr("wikitext-103/", b"")
    (folder / "wikitext-103-v1.zip").write_bytes(buf.getvalue())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(tmp_path / "repo"))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", _sha1(buf.getvalue())
    httpd.shutdown()
    httpd.server_close()


def test_wikitext_downloads_and_unpacks_a_missing_file(tmp_path, monkeypatch, repo):
    url, archive_sha1 = repo
    monkeypatch.setenv("MXNET_GLUON_REPO", url)
    monkeypatch.setattr(text.WikiText103, "_archive_file", ("wikitext-103-v1.zip", archive_sha1))
    monkeypatch.setattr(text.WikiText103, "_data_file",
                        {"test": ("wiki.test.tokens", _sha1(TOKENS))})
    root = tmp_path / "data"
    _check_test_segment(text.WikiText103(root=str(root), segment="test", seq_len=4))
    assert (root / "wiki.test.tokens").read_bytes() == TOKENS
    assert sorted(p.name for p in root.iterdir()) == ["wiki.test.tokens", "wikitext-103-v1.zip"]
