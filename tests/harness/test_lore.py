"""Fetching a thread by Message-ID from a lore-like server on 127.0.0.1, cache and --offline."""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import InputError, UsageError
from harness.lore import FetchRequest, as_msgid, fetch_thread, server_of
from tests.mailgen import demo_series, message, write_mbox


class _QuietServer(ThreadingHTTPServer):
    """A client that stops reading (the fetch refuses a body early) is no test failure: socketserver would print
    its BrokenPipeError to stderr, where the command's own one-line error is checked."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class _Lore(BaseHTTPRequestHandler):
    threads: ClassVar[dict[str, bytes]] = {}
    hits: ClassVar[list[str]] = []  # GET paths; "HEAD /path" for a HEAD
    lookups: ClassVar[dict[str, str]] = {}  # a bare id's HEAD: the Location sent instead of its list's
    whole: ClassVar[list[str]] = []  # paths whose endless-seeming answer was sent to its end: the client waited it out

    def do_HEAD(self) -> None:
        """public-inbox's lookup of a bare id: ``/ID/`` is sent on to the list that holds it (302 to ``/LIST/ID/``),
        404 when none does; ``/LIST/ID/`` answers 200 when that list holds it."""
        self.hits.append(f"HEAD {self.path}")
        parts = [unquote(p) for p in self.path.strip("/").split("/")]
        lists = [key.split("/")[1] for key in self.threads
                 if key.count("/") == 3 and unquote(key.split("/")[2]) == parts[-1]]
        if parts == ["trickle-head@x"]:
            self._trickle()
            return
        location = self.lookups.get(parts[0]) if len(parts) == 1 else None
        if location is None and len(parts) == 1 and lists:
            location = f"/{lists[0]}/{quote(parts[0], safe='@')}/"
        if location is not None:
            self.send_response(302)
            self.send_header("Location", location)
        else:
            self.send_response(200 if len(parts) == 2 and (parts[0] in lists or self.path in self.lookups.values())
                               else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self._misbehave():
            return
        body = self.threads.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if body[:1] == b"<" else "application/gzip")
        if "/cut@x/" in self.path:  # promises twice what it sends, then closes
            self.send_header("Content-Length", str(2 * len(body)))
        elif "/vast@x/" in self.path:  # says it is 100 GiB, and sends it slowly
            self.send_header("Content-Length", str(100 << 30))
        elif "/slow@x/" not in self.path:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if "/slow@x/" in self.path or "/vast@x/" in self.path:  # a byte at a time, slower than any deadline
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            self.whole.append(self.path)
            return
        self.wfile.write(body)

    def _misbehave(self) -> bool:
        """Answers no lore gives but a broken proxy or server may: redirects, cut chunks, trickled headers."""
        if self.path.startswith("/all/moved@x/"):  # lore sends /all/ID/ on to the list that holds it
            self.send_response(301)
            self.send_header("Location", "/lkml/moved@x/t.mbox.gz")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif "/ftp@x/" in self.path:  # a redirect urllib would follow out of HTTP, away from the deadline
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:9/t.mbox.gz")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif "/fat@x/" in self.path:  # a redirect with a body that would not end before the deadline
            self.send_response(302)
            self.send_header("Location", "/all/cover-v2@example.org/t.mbox.gz")
            self.send_header("Content-Length", str(1 << 40))
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(64):
                    self.wfile.write(bytes(1 << 16))
        elif self.path.startswith("/lkml/") and self.path not in self.threads:
            self.path = self.path.replace("/lkml/", "/all/")
            return False
        elif "/chunks@x/" in self.path:  # a chunked answer whose connection closes inside a chunk
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"400\r\n" + b"\x1f\x8b" * 16)
            self.close_connection = True
        elif "/trickle@x/" in self.path:
            self._trickle()
        elif "/mute@x/" in self.path:  # accepts, then says nothing
            time.sleep(3)
        elif "/stall@x/" in self.path:  # headers and part of the body, then nothing
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"\x1f\x8b" * 50)
            self.wfile.flush()
            time.sleep(3)
        else:
            return False
        return True

    def _trickle(self) -> None:
        """Headers a byte every 0.1 s: never a read timeout, never an end."""
        self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        with contextlib.suppress(OSError):
            for _ in range(600):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
            self.whole.append(self.path)

    def log_message(self, *args: object) -> None:
        pass


@functools.cache
def _zeros_gz() -> bytes:
    """80 MiB of NULs, gzipped into 80 KB."""
    return gzip.compress(bytes(80 << 20), compresslevel=1)


@pytest.fixture
def lore(tmp_path: Path) -> Iterator[str]:
    with lore_server(tmp_path) as url:
        yield url


@contextlib.contextmanager
def lore_server(tmp_path: Path) -> Iterator[str]:
    """A lore-like server on 127.0.0.1 (its URL) serving demo_series() and the broken answers above; the
    requests it gets are in _Lore.hits."""
    data = write_mbox(tmp_path / "thread.mbox", demo_series()).read_bytes()
    # The thread as a server sends it for a reply in it: b4 (and seamharness) read a thread only if it holds the
    # message asked for or one that refers to it.
    members = write_mbox(tmp_path / "members.mbox", [*demo_series(), message(
        "Re: [PATCH v2 0/3] demo: helper rework", "members@x", "Thanks.\n", parent="cover-v2@example.org",
        refs=("cover-v2@example.org",))]).read_bytes()
    _Lore.threads = {"/all/cover-v2@example.org/t.mbox.gz": gzip.compress(data),
                     "/lkml/moved@x/t.mbox.gz": gzip.compress(reply_in_thread(tmp_path, "moved@x")),
                     "/all/junk@x/t.mbox.gz": b"<html>not a mbox</html>",
                     "/all/empty@x/t.mbox.gz": b"",
                     # a bot challenge or error page, 200 OK
                     "/all/page@x/t.mbox.gz": b"<!doctype html><html><head>\n<title>\n  Making sure you&#39;re not "
                                              b"a bot!</title></head><body>...</body></html>",
                     "/all/cut@x/t.mbox.gz": gzip.compress(data),
                     "/all/trunc@x/t.mbox.gz": gzip.compress(data)[:-40],
                     "/all/html@x/t.mbox.gz": gzip.compress(b"<html>an error page</html>"),
                     "/all/slow@x/t.mbox.gz": gzip.compress(data),
                     "/all/vast@x/t.mbox.gz": gzip.compress(data),
                     # a whole gzip, then what no gzip reader takes: the cache would hold an unreadable thread
                     "/all/garbage@x/t.mbox.gz": gzip.compress(data) + b"<html>trailer</html>",
                     # a whole thread, then a second member that unpacks past any bound
                     "/all/bomb@x/t.mbox.gz": gzip.compress(data) + _zeros_gz(),
                     # gzip, starting with "From " but no mbox separator
                     "/all/from@x/t.mbox.gz": gzip.compress(b"From the archive: no such message\n"),
                     # two members, both mbox: what gzip -d gives is the thread, and it is kept
                     "/all/members@x/t.mbox.gz": gzip.compress(members[: len(members) // 2]) + gzip.compress(
                         members[len(members) // 2 :])}
    _Lore.hits = []
    _Lore.lookups = {}
    _Lore.whole = []
    with serving() as url:
        yield url


def body_bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of what each read of a response body returned in this process (http.client's read and read1, the
    two urllib and the fetch call), for the length of the test: what the client took of the server's answers."""
    import http.client

    sizes: list[int] = []

    def counting(real: Any) -> Any:
        def counted(self: http.client.HTTPResponse, *args: int) -> bytes:
            got: bytes = real(self, *args)
            sizes.append(len(got))
            return got
        return counted

    for name in ("read", "read1"):
        monkeypatch.setattr(http.client.HTTPResponse, name, counting(getattr(http.client.HTTPResponse, name)))
    return sizes


def reply_in_thread(tmp_path: Path, msgid: str) -> bytes:
    """demo_series() with a reply to its cover letter whose Message-ID is ``msgid``: a thread that holds it."""
    return write_mbox(tmp_path / f"{msgid}.mbox", [*demo_series(), message(
        "Re: [PATCH v2 0/3] demo: helper rework", msgid, "Thanks.\n", parent="cover-v2@example.org",
        refs=("cover-v2@example.org",))]).read_bytes()


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler] | None = None) -> Iterator[str]:
    """A server of ``handler`` (_Lore by default) on a port of its own of 127.0.0.1 (another host to a client), from
    its own threads."""
    server = _QuietServer(("127.0.0.1", 0), handler or _Lore)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_as_msgid() -> None:
    assert as_msgid("<a.b@c>") == "a.b@c"
    assert as_msgid("a.b@c") == "a.b@c"
    assert as_msgid("https://lore.kernel.org/all/a.b@c/") == "a.b@c"
    assert as_msgid("https://lore.kernel.org/kvm/a%2Bb@c/T/") == "a+b@c"
    assert as_msgid("../shared/corpus") is None


def test_fetch_then_cache_then_offline(lore: str, tmp_path: Path) -> None:
    req = FetchRequest("cover-v2@example.org", lore=lore, cache_dir=tmp_path / "cache")
    said: list[str] = []
    path = fetch_thread(req, said.append).path
    assert path.exists() and gzip.decompress(path.read_bytes()).startswith(b"From ")
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]
    assert said[0].startswith("fetching ")
    again = fetch_thread(req, said.append).path
    assert again == path and len(_Lore.hits) == 1 and said[-1].startswith("using cached")
    offline = FetchRequest("cover-v2@example.org", lore="http://127.0.0.1:9", cache_dir=tmp_path / "cache",
                           offline=True)
    assert fetch_thread(offline).path == path


def test_offline_without_cache(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not in the cache"):
        fetch_thread(FetchRequest("x@y", cache_dir=tmp_path, offline=True))


def test_server_errors(lore: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="404"):
        fetch_thread(FetchRequest("nope@x", lore=lore, cache_dir=tmp_path / "c"))
    with pytest.raises(InputError, match="did not send a gzipped mbox"):
        fetch_thread(FetchRequest("junk@x", lore=lore, cache_dir=tmp_path / "c"))
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_cli_series_by_msgid(lore: str, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["series", "<cover-v2@example.org>", "--lore", lore, "--cache-dir", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "v2: 3 of 3 patches" in result.stdout
    fetched = runner.invoke(app, ["fetch", "cover-v2@example.org", "--offline", "--cache-dir", str(tmp_path),
                                  "--out", str(tmp_path / "copy.mbox.gz")])
    assert fetched.exit_code == 0 and (tmp_path / "copy.mbox.gz").exists()


def test_fetch_out_a_name_without_gz_is_the_mbox_git_am_reads(lore: str, tmp_path: Path) -> None:
    # Before: 'fetch ID --out t.mbox' wrote the gzip there, and 'git am t.mbox' said "Patch format detection failed".
    common = ["cover-v2@example.org", "--lore", lore, "--cache-dir", str(tmp_path / "c")]
    for name in ("t.mbox.gz", "t.mbox"):
        assert CliRunner().invoke(app, ["fetch", *common, "--out", str(tmp_path / name)]).exit_code == 0
    packed, plain = (tmp_path / "t.mbox.gz").read_bytes(), (tmp_path / "t.mbox").read_bytes()
    assert packed[:2] == b"\x1f\x8b" and gzip.decompress(packed) == plain and plain.startswith(b"From ")
    split = subprocess.run(["git", "mailsplit", f"-o{tmp_path}", str(tmp_path / "t.mbox")], capture_output=True,
                           text=True, check=True)
    assert int(split.stdout) == len(plain.split(b"\nFrom mboxrd@z ")), split


@pytest.mark.parametrize(("msgid", "message"), [
    ("cut@x", "the download stopped after"),  # the connection closed before Content-Length bytes
    ("trunc@x", "the server sent a gzip that is cut short"),
    ("html@x", "the server did not send an mbox"),
])
def test_what_is_not_a_whole_thread_is_never_cached(lore: str, tmp_path: Path, msgid: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        fetch_thread(FetchRequest(msgid, lore=lore, cache_dir=tmp_path / "c"))
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_a_slow_server_meets_the_deadline_of_the_whole_download(lore: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="download not finished after 1 s"):
        fetch_thread(FetchRequest("slow@x", lore=lore, cache_dir=tmp_path / "c", deadline=1.0))
    assert _Lore.whole == []  # the deadline ended the wait, not the server's answer (a byte each 0.2 s)


def test_a_lore_url_is_fetched_from_its_own_server(lore: str, tmp_path: Path) -> None:
    assert server_of(f"{lore}/all/cover-v2@example.org/") == lore
    assert server_of("cover-v2@example.org") is None
    result = CliRunner().invoke(app, ["fetch", f"{lore}/all/cover-v2@example.org/", "--lore", "http://127.0.0.1:9",
                                      "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]



@pytest.mark.parametrize("tail", ["T/#t", "T/#u", "#r", "T/?q=x", "t.mbox.gz"])
def test_a_lore_url_as_a_browser_shows_it_is_that_thread(lore: str, tmp_path: Path, tail: str) -> None:
    # lore's thread links end in /T/#u or #r (the message's anchor): that URL was refused as a bad --lore.
    url = f"{lore}/all/cover-v2@example.org/{tail}"
    assert as_msgid(url) == "cover-v2@example.org" and server_of(url) == lore
    result = CliRunner().invoke(app, ["series", url, "--lore", "http://127.0.0.1:9", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]

@pytest.mark.parametrize(("msgid", "message"), [
    ("garbage@x", "the server sent a damaged gzip"),
    ("bomb@x", "the server sent a gzip larger than 64 MiB once decompressed"),
    ("from@x", "the server did not send an mbox"),
    ("chunks@x", "the server broke off its answer (IncompleteRead"),
])
def test_what_the_reader_would_refuse_is_refused_before_caching(lore: str, tmp_path: Path, msgid: str,
                                                                 message: str) -> None:
    """The check before caching reads gzip as the mail reader will (every member, nothing after them)."""
    with pytest.raises(InputError, match=re.escape(message)):
        fetch_thread(FetchRequest(msgid, lore=lore, cache_dir=tmp_path / "c"))
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())
    result = CliRunner().invoke(app, ["series", msgid, "--lore", lore, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output  # the error alone


def test_what_is_cached_is_what_was_sent_and_reads_back(lore: str, tmp_path: Path) -> None:
    path = fetch_thread(FetchRequest("members@x", lore=lore, cache_dir=tmp_path)).path
    assert path.read_bytes() == _Lore.threads["/all/members@x/t.mbox.gz"]
    result = CliRunner().invoke(app, ["series", "members@x", "--offline", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0 and "v2: 3 of 3 patches" in result.stdout, result.output


def test_a_redirect_to_another_list_is_followed(lore: str, tmp_path: Path) -> None:
    path = fetch_thread(FetchRequest("moved@x", lore=lore, cache_dir=tmp_path)).path
    assert _Lore.hits == ["/all/moved@x/t.mbox.gz", "/lkml/moved@x/t.mbox.gz"]
    assert path.read_bytes() == _Lore.threads["/lkml/moved@x/t.mbox.gz"]
    # Where it came from, said as it was: the report named the URL asked for, not the list inbox it came from.
    asked, came = f"{lore}/all/moved@x/t.mbox.gz", f"{lore}/lkml/moved@x/t.mbox.gz"
    for copy in (fetch_thread(FetchRequest("moved@x", lore=lore, cache_dir=tmp_path, refresh=True)),
                 fetch_thread(FetchRequest("moved@x", lore=lore, cache_dir=tmp_path))):  # and read back cached
        assert copy.url == came and copy.asked == asked, copy
        assert f"from {came} (the server redirected {asked} there)" in copy.describe()
    assert len(_Lore.hits) == 4  # the cached copy answers the URL asked for


def test_headers_sent_a_byte_at_a_time_meet_the_deadline(lore: str, tmp_path: Path) -> None:
    """Each read gets a byte long before the read timeout: only the deadline of the whole exchange ends it."""
    with pytest.raises(InputError, match="download not finished after 1 s"):
        fetch_thread(FetchRequest("trickle@x", lore=lore, cache_dir=tmp_path / "c", timeout=5.0, deadline=1.0))
    assert _Lore.whole == []  # not the 600 bytes of headers the server sends in 60 s
    assert not (tmp_path / "c").exists()


def test_a_server_that_says_nothing_is_not_called_unreachable(lore: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=re.escape("the server sent nothing for 0.5 s")):
        fetch_thread(FetchRequest("mute@x", lore=lore, cache_dir=tmp_path, timeout=0.5))


def test_a_server_that_stops_part_way_is_not_said_to_have_sent_nothing(lore: str, tmp_path: Path) -> None:
    """Headers and 100 of the 1,000 bytes promised, then nothing: it was 'the server sent nothing for 0.5 s'."""
    with pytest.raises(InputError, match=re.escape("the server stopped sending after 100 of 1,000 bytes: nothing "
                                                   "more came for 0.5 s")):
        fetch_thread(FetchRequest("stall@x", lore=lore, cache_dir=tmp_path, timeout=0.5))
    assert not list(tmp_path.glob("*.gz"))


def test_message_ids_as_they_are_copied() -> None:
    assert as_msgid("https://lore.kernel.org/all/a.b%40c/") == "a.b@c"  # a browser's copy of the address
    assert as_msgid("<a/b@c>") == "a/b@c"  # "/" is atext (RFC 5322 3.2.3)
    assert as_msgid("a/b@c") is None  # without brackets, a path that does not exist


@pytest.mark.parametrize(("msgid", "url"), [
    ("aXt0+lRvpvf5knKP@intel.com", "https://lore.kernel.org/r/aXt0+lRvpvf5knKP@intel.com"),
    ("CAHk-=wi_x$y@mail.gmail.com", "https://lore.kernel.org/r/CAHk-=wi_x$y@mail.gmail.com"),
    # "/" ended the path, "#" and "?" started a fragment and a query: the link led to another page.
    ("a/b#c?d%e@x", "https://lore.kernel.org/r/a%2Fb%23c%3Fd%25e@x"),
])
def test_a_permalink_encodes_the_id_as_public_inbox_does(msgid: str, url: str) -> None:
    from harness.lore import lore_link

    assert lore_link(msgid) == url
    assert as_msgid(url) == msgid  # and reads back as the same id


def test_a_cache_folder_that_cannot_be_made_is_refused_before_fetching(lore: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder\n")
    with pytest.raises(UsageError, match="is not a directory"):
        fetch_thread(FetchRequest("cover-v2@example.org", lore=lore, cache_dir=tmp_path / "file" / "cache"))
    assert _Lore.hits == []


def test_fetch_downloads_again_and_the_other_commands_use_the_cache(lore: str, tmp_path: Path) -> None:
    """A thread grows as replies come: ``fetch`` gets it anew (README: "just download"); series, eval and the
    rest read what was fetched; --offline never goes out."""
    runner = CliRunner()
    common = ["--lore", lore, "--cache-dir", str(tmp_path)]
    for _ in range(2):
        assert runner.invoke(app, ["fetch", "cover-v2@example.org", *common]).exit_code == 0
    assert len(_Lore.hits) == 2
    for _ in range(2):
        assert runner.invoke(app, ["series", "cover-v2@example.org", *common]).exit_code == 0
    offline = runner.invoke(app, ["fetch", "cover-v2@example.org", "--offline", "--cache-dir", str(tmp_path)])
    assert offline.exit_code == 0 and len(_Lore.hits) == 2


def test_a_redirect_out_of_http_is_not_followed(lore: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"sent us on to ftp://127\.0\.0\.1:9/t\.mbox\.gz: only HTTP and HTTPS"):
        fetch_thread(FetchRequest("ftp@x", lore=lore, cache_dir=tmp_path / "c"))
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(("args", "said"), [
    (["fetch", "x@y", "--lore", "notaurl"], "--lore notaurl: not an http(s) URL"),
    (["fetch", "x@y", "--lore", "ftp://a"], "--lore ftp://a: not an http(s) URL"),
    (["fetch", "x@y", "--lore", "file:///etc"], "--lore file:///etc: not an http(s) URL"),
    (["fetch", "x@y", "--lore", "http://[::1"], "--lore http://[::1: not a URL (Invalid IPv6 URL)"),
    (["series", "https://[::1/x@y/", "--offline"], "https://[::1/x@y/: not a URL (Invalid IPv6 URL)"),
    (["fetch", "x@y", "--lore", "http://exa mple.com"], "white space or a control character"),
    (["fetch", "x@y", "--lore", "http://127.0.0.1:9/?q=1#x"], "give the server alone"),
    (["fetch", "x@y", "--lore", "http://user:pw@127.0.0.1:9"], "give the server alone"),
    (["fetch", "x@y", "--lore", "https://lore.kernel.org/all"], "without /all"),
])
def test_a_server_that_is_no_http_url_is_refused_before_any_fetch(tmp_path: Path, args: list[str], said: str) -> None:
    # urllib read file:// and failed on the rest with an internal error (exit 3).
    r = CliRunner().invoke(app, [*args, "--cache-dir", str(tmp_path / "c")])
    assert r.exit_code == 2 and said in r.stderr and "internal error" not in r.output, r.output
    assert not (tmp_path / "c").exists()


def test_a_cache_folder_that_takes_no_file_is_refused_before_the_download() -> None:
    # /proc takes no new folder: the download ran first (up to minutes), then failed to keep it.
    r = CliRunner().invoke(app, ["fetch", "x@y", "--cache-dir", "/proc/seamharness-nope", "--lore",
                                 "http://127.0.0.1:9"])
    assert r.exit_code == 2 and "cache folder /proc/seamharness-nope:" in r.stderr and "fetching" not in r.stderr


def test_a_cache_folder_that_is_a_file_names_the_option(tmp_path: Path) -> None:
    # "<x@y> is not in the cache (FILE/0123....mbox.gz) and --offline was given", as if FILE were a folder.
    (tmp_path / "f").write_text("")
    r = CliRunner().invoke(app, ["series", "x@y", "--offline", "--cache-dir", str(tmp_path / "f")])
    assert r.exit_code == 2 and r.stderr == f"seamharness: --cache-dir {tmp_path / 'f'}: not a directory\n", r.stderr


def test_a_cache_folder_name_the_system_refuses_is_one_line(tmp_path: Path) -> None:
    # A 300-character folder name: "internal error: OSError: File name too long", exit 3.
    r = CliRunner().invoke(app, ["fetch", "x@y", "--cache-dir", str(tmp_path / ("x" * 300)), "--lore",
                                 "http://127.0.0.1:9"])
    assert r.exit_code == 2 and "file name too long" in r.stderr and "internal error" not in r.stderr


@pytest.mark.parametrize("command", ["series", "fetch", "gate"])
def test_a_server_that_cannot_be_reached_is_one_line(lore: str, tmp_path: Path, command: str) -> None:
    """A failed download says so in its error alone: a "fetching URL" progress line before it said nothing the
    error does not (it names the URL), and made the failure two lines."""
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens there
    extra = ["--variant", "v2"] if command == "gate" else []
    r = CliRunner().invoke(app, [command, "cover-v2@example.org", "--lore", dead, "--cache-dir", str(tmp_path), *extra])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.output
    assert r.stderr.startswith(f"seamharness: {dead}/all/cover-v2@example.org/t.mbox.gz: cannot fetch ("), r.output
    # The advice names another machine: "fetch the thread where there is one" read, after `fetch`, as "run me again".
    assert r.stderr.rstrip().endswith("on a machine that reaches it, run seamharness fetch MSGID --out FILE and give "
                                      "that file here"), r.stderr


def test_a_lookup_whose_thread_fails_is_one_line_and_a_success_still_says_what_it_fetched(lore: str,
                                                                                          tmp_path: Path) -> None:
    """The lines held during a download (its URL, where a HEAD lookup led) are said once it succeeds."""
    said: list[str] = []
    fetch_thread(FetchRequest("moved@x", lore=lore, cache_dir=tmp_path / "ok"), said.append)
    assert said[0] == f"fetching {lore}/all/moved@x/t.mbox.gz" and said[-1].startswith("fetched "), said
    _Lore.lookups["gone@x"] = "/lkml/gone@x/"  # the lookup leads to a list whose thread then answers 404
    r = CliRunner().invoke(app, ["series", "gone@x", "--lore", lore, "--cache-dir", str(tmp_path / "c")])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.output
    assert "(where HEAD" in r.stderr and "fetching" not in r.stderr, r.output



@pytest.mark.parametrize("command", [["series"], ["eval", "--json", "-"]])
def test_reading_local_mail_does_not_import_the_http_download(tmp_path: Path, command: list[str]) -> None:
    # harness.lorehttp (urllib's HTTP pieces aside, its own import) is needed only when a thread is downloaded
    # or a cached copy without a record is checked; series and eval of local mail never run it (issue 18).
    import subprocess
    import sys

    write_mbox(tmp_path / "s.mbox", demo_series())
    code = ("import sys; from harness.cli import main; main([*sys.argv[2:], sys.argv[1], '--offline']); "
            "print('lorehttp', 'harness.lorehttp' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.mbox"), *command], capture_output=True,
                       text=True, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.stderr.strip().splitlines()[-1] == "lorehttp False", r.stderr
