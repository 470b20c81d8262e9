"""gluon.utils.download against a local HTTP server (127.0.0.1, port 0): never the network."""
from __future__ import annotations

import collections
import hashlib
import http.server
import io
import os
import re
import sys
import threading
import urllib.error

import pytest

from mxnp.gluon import utils

PAYLOAD = b"mxnp download payload\n" * 100
SHA1 = hashlib.sha1(PAYLOAD).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes: /data.bin serves PAYLOAD, /flaky.bin fails once with 500, anything else 404."""

    hits: collections.Counter = collections.Counter()

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.hits[self.path] += 1
        if self.path == "/flaky.bin" and self.hits[self.path] == 1:
            return self.send_error(500)
        if self.path not in ("/data.bin", "/flaky.bin", "/dir/data.bin"):
            return self.send_error(404)
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        self.wfile.write(PAYLOAD)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server():
    Handler.hits = collections.Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # a short poll interval lets shutdown() return at once
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler.hits
    httpd.shutdown()
    httpd.server_close()


def leftovers(directory):
    """Temporary files (name.<uuid>) a download left behind."""
    return [n for n in os.listdir(directory) if re.search(r"\.[0-9a-f-]{36}$", n)]


def test_download_into_a_directory(server, tmp_path, capsys):
    url, hits = server
    fname = utils.download(f"{url}/data.bin", path=str(tmp_path))
    assert fname == os.path.join(str(tmp_path), "data.bin")
    assert open(fname, "rb").read() == PAYLOAD and hits["/data.bin"] == 1
    out, err = capsys.readouterr()
    assert out == f"Downloading {fname} from {url}/data.bin...\n"
    assert "data.bin" in err  # the progress bar
    assert leftovers(tmp_path) == []


def test_download_without_path_uses_the_url_name(server, tmp_path, monkeypatch):
    url, _ = server
    monkeypatch.chdir(tmp_path)
    assert utils.download(f"{url}/dir/data.bin") == "data.bin"
    assert (tmp_path / "data.bin").read_bytes() == PAYLOAD


def test_download_creates_missing_directories(server, tmp_path):
    url, _ = server
    target = tmp_path / "a" / "b" / "named.bin"
    assert utils.download(f"{url}/data.bin", path=str(target)) == str(target)
    assert target.read_bytes() == PAYLOAD
    # a path ending in a separator is a directory to create (MXNet would take it as a file name)
    newdir = str(tmp_path / "new") + os.sep
    assert utils.download(f"{url}/data.bin", path=newdir) == os.path.join(newdir, "data.bin")
    assert (tmp_path / "new" / "data.bin").read_bytes() == PAYLOAD


def test_present_file_is_not_fetched_again(server, tmp_path):
    url, hits = server
    target = tmp_path / "data.bin"
    target.write_bytes(b"old")
    assert utils.download(f"{url}/data.bin", path=str(target)) == str(target)
    assert target.read_bytes() == b"old" and hits["/data.bin"] == 0
    target.write_bytes(PAYLOAD)
    utils.download(f"{url}/data.bin", path=str(target), sha1_hash=SHA1)
    assert hits["/data.bin"] == 0


def test_hash_mismatch_or_overwrite_fetches_again(server, tmp_path):
    url, hits = server
    target = tmp_path / "data.bin"
    target.write_bytes(b"stale")
    utils.download(f"{url}/data.bin", path=str(target), sha1_hash=SHA1)
    assert target.read_bytes() == PAYLOAD and hits["/data.bin"] == 1
    target.write_bytes(b"stale")
    utils.download(f"{url}/data.bin", path=str(target), overwrite=True)
    assert target.read_bytes() == PAYLOAD and hits["/data.bin"] == 2


def test_a_failed_request_is_retried(server, tmp_path, capsys):
    url, hits = server
    fname = utils.download(f"{url}/flaky.bin", path=str(tmp_path), retries=2)
    assert open(fname, "rb").read() == PAYLOAD and hits["/flaky.bin"] == 2
    out = capsys.readouterr().out.splitlines()
    assert out == [f"Downloading {fname} from {url}/flaky.bin...",
                   f"download failed due to RuntimeError('Failed downloading url {url}/flaky.bin'),"
                   " retrying, 1 attempt left",
                   f"Downloading {fname} from {url}/flaky.bin..."]


def test_retries_run_out(server, tmp_path, capsys):
    url, hits = server
    with pytest.raises(RuntimeError, match=re.escape(f"Failed downloading url {url}/nope.bin")):
        utils.download(f"{url}/nope.bin", path=str(tmp_path), retries=3)
    # as MXNet: `retries` attempts in all, the countdown printed between them
    assert hits["/nope.bin"] == 3
    out = capsys.readouterr().out
    assert "retrying, 2 attempts left" in out and "retrying, 1 attempt left" in out
    assert os.listdir(tmp_path) == []


def test_sha1_mismatch_keeps_the_existing_file(server, tmp_path):
    url, hits = server
    target = tmp_path / "data.bin"
    target.write_bytes(b"precious")
    with pytest.raises(UserWarning, match=re.escape(
            f"File {target} is downloaded but the content hash does not match. The repo may be "
            'outdated or download may be incomplete. If the "repo_url" is overridden, consider '
            "switching to the default repo.")):
        utils.download(f"{url}/data.bin", path=str(target), sha1_hash="0" * 40, retries=2)
    assert hits["/data.bin"] == 2  # a mismatch is retried like any failure
    assert target.read_bytes() == b"precious" and leftovers(tmp_path) == []


@pytest.mark.parametrize("transport", ["requests", "urllib"])
def test_connection_refused(tmp_path, monkeypatch, transport):
    import requests

    if transport == "urllib":
        monkeypatch.setitem(sys.modules, "requests", None)  # as when it is not installed
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    httpd.server_close()  # nothing listens on this port now
    error = requests.exceptions.ConnectionError if transport == "requests" else \
        urllib.error.URLError
    with pytest.raises(error):
        utils.download(f"http://127.0.0.1:{port}/data.bin", path=str(tmp_path), retries=1)


def test_requests_get_is_what_a_download_calls(tmp_path, monkeypatch):
    # MXNet's own tests patch requests.get with a canned response; so can code written for it
    import requests

    class Canned(requests.Response):
        def __init__(self):
            super().__init__()
            self.status_code, self.raw = 200, io.BytesIO(b"MOCK CONTENT" * 10)

    calls = []
    monkeypatch.setattr(requests, "get", lambda url, **kw: calls.append((url, kw)) or Canned())
    got = utils.download("https://example.invalid/README.md", path=str(tmp_path / "r.md"))
    with open(got, "rb") as f:
        assert f.read() == b"MOCK CONTENT" * 10
    assert calls == [("https://example.invalid/README.md", {"stream": True, "verify": True})]


def test_argument_errors(tmp_path):
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError, match=re.escape(
            "Can't construct file-name from this URL. Please set the `path` option manually.")):
        utils.download("http://127.0.0.1:9/x/", retries=1)
    with pytest.raises(AssertionError, match=re.escape(
            "Number of retries should be at least 0, currently it's -1")):
        utils.download("http://127.0.0.1:9/x/a", path=str(tmp_path), retries=-1)


def test_verify_ssl_false_warns(server, tmp_path):
    url, _ = server
    with pytest.warns(UserWarning, match=re.escape(
            "Unverified HTTPS request is being made (verify_ssl=False). Adding certificate "
            "verification is strongly advised.")):
        utils.download(f"{url}/data.bin", path=str(tmp_path), verify_ssl=False)
    assert (tmp_path / "data.bin").read_bytes() == PAYLOAD


def test_text_progress_bar_without_tqdm(server, tmp_path, monkeypatch, capsys):
    url, _ = server
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `from tqdm import tqdm` fail
    utils.download(f"{url}/data.bin", path=str(tmp_path))
    err = capsys.readouterr().err
    assert "data.bin: [" + "#" * 30 + "] 100%" in err
