"""A thread's download and what an HTTP server says besides it, against 127.0.0.1.

How a thread's download reads what an HTTP server says besides the thread: content codings, Retry-After, where
redirects led, the id a fetch is given; against a server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import time
import tracemalloc
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

import harness.lorehttp
from harness.cli import app
from harness.errors import InputError
from harness.lore import FetchRequest, fetch_thread
from tests.harness.test_lore import reply_in_thread, serving

runner = CliRunner()
Answer = Callable[["_Server"], None]


class _Server(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answers: ClassVar[dict[str, Answer]] = {}
    asked: ClassVar[list[tuple[str, str]]] = []  # (path, Accept-Encoding)

    def do_GET(self) -> None:
        self.asked.append((self.path, self.headers.get("Accept-Encoding", "")))
        self.answers.get(self.path, lambda h: h.send(404))(self)

    def do_HEAD(self) -> None:  # public-inbox's lookup of a bare id: no list holds one here
        self.asked.append((f"HEAD {self.path}", ""))
        self.send(404)

    def send(self, code: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serving(answers: dict[str, Answer]) -> Iterator[str]:
    _Server.answers, _Server.asked = answers, []
    with serving(_Server) as url:
        yield url


def _thread(tmp_path: Path, msgid: str) -> bytes:
    """A t.mbox.gz that holds ``msgid``."""
    (tmp_path / "mbox").mkdir(exist_ok=True)
    return gzip.compress(reply_in_thread(tmp_path / "mbox", msgid.replace("/", "_")).replace(
        f"<{msgid.replace('/', '_')}>".encode(), f"<{msgid}>".encode()))


def _series(lore: str, cache: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["series", *args, "--lore", lore, "--cache-dir", str(cache)])
    return r.exit_code, r.stdout, r.stderr


def _one_error(err: str) -> str:
    (line,) = err.splitlines()
    assert line.startswith("seamharness: ") and "Traceback" not in err
    return line


def test_a_gzip_content_coding_over_the_thread_is_undone(tmp_path: Path) -> None:
    """A server or proxy may gzip an answer on its way (RFC 9110 12.5.3), and requests (b4) undoes it: the
    t.mbox.gz gzipped once more was read as an mbox starting with gzip's magic, exit 2."""
    data = _thread(tmp_path, "coded@x")
    answers: dict[str, Answer] = {"/all/coded@x/t.mbox.gz": lambda h: h.send(
        200, gzip.compress(data), Content_Type="application/gzip", Content_Encoding="gzip")}
    with _serving(answers) as lore:
        code, out, err = _series(lore, tmp_path / "c", "coded@x")
    assert code == 0, err
    assert "coded@x" in out and "3 of 3 patches" in out
    assert _Server.asked == [("/all/coded@x/t.mbox.gz", "identity")]  # none asked for
    (cached,) = (tmp_path / "c").glob("*.mbox.gz")
    assert cached.read_bytes() == data  # the thread as public-inbox sends it, its coding undone


def test_a_content_coding_cut_short_or_not_gzip_is_one_line_and_nothing_cached(tmp_path: Path) -> None:
    data = _thread(tmp_path, "cut@x")
    answers: dict[str, Answer] = {
        "/all/cut@x/t.mbox.gz": lambda h: h.send(200, gzip.compress(data)[:-20], Content_Encoding="gzip"),
        "/all/br@x/t.mbox.gz": lambda h: h.send(200, b"\x8b\x00brotli", Content_Encoding="br")}
    with _serving(answers) as lore:
        code, _, err = _series(lore, tmp_path / "c", "cut@x")
        assert code == 2
        assert _one_error(err) == (f"seamharness: {lore}/all/cut@x/t.mbox.gz: the server sent, as its "
                                   "Content-Encoding gzip, a gzip that is cut short")
        code, _, err = _series(lore, tmp_path / "c", "br@x")
        assert code == 2
        assert _one_error(err) == (f"seamharness: {lore}/all/br@x/t.mbox.gz: the server sent the thread in a "
                                   "content coding that is not read (Content-Encoding: 'br'; none was asked for)")
    assert not list((tmp_path / "c").glob("*.mbox.gz"))


def test_retry_after_of_a_429_or_503_is_said(tmp_path: Path) -> None:
    """b4 says 'Server returned an error: 429' and waits for nothing; the error says when the server asks to be
    asked again, in seconds or as an HTTP date, and nothing when it does not say."""
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    answers: dict[str, Answer] = {
        "/all/busy@x/t.mbox.gz": lambda h: h.send(429, b"slow down", Retry_After="120"),
        "/all/down@x/t.mbox.gz": lambda h: h.send(503, Retry_After=later),
        "/all/odd@x/t.mbox.gz": lambda h: h.send(503, Retry_After="soon"),
        "/all/plain@x/t.mbox.gz": lambda h: h.send(429)}
    with _serving(answers) as lore:
        said = {}
        for asked in ("busy@x", "down@x", "odd@x", "plain@x"):
            code, _, err = _series(lore, tmp_path / "c", asked)
            assert code == 2
            said[asked] = _one_error(err).removeprefix(f"seamharness: {lore}/all/{asked}/t.mbox.gz: ")
    assert said["busy@x"] == "server answered 429 Too Many Requests; it asks to be asked again in 120 s (Retry-After)"
    assert said["down@x"].startswith("server answered 503 Service Unavailable; it asks to be asked again in 3,")
    assert said["down@x"].endswith(f" s (Retry-After: {later})")
    assert said["odd@x"] == "server answered 503 Service Unavailable; it asks to wait (Retry-After: 'soon', not a time)"
    assert said["plain@x"] == "server answered 429 Too Many Requests"
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").glob("*.mbox.gz"))


def test_an_error_status_after_redirects_names_where_they_led(tmp_path: Path) -> None:
    """The URL asked for redirected to one that answered 500 (or 404): the error named only the URL asked for,
    as if it had answered so."""
    answers: dict[str, Answer] = {
        "/all/moved@x/t.mbox.gz": lambda h: h.send(302, Location="/broken/moved@x/t.mbox.gz"),
        "/broken/moved@x/t.mbox.gz": lambda h: h.send(500),
        "/all/gone@x/t.mbox.gz": lambda h: h.send(301, Location="/old/gone@x/t.mbox.gz"),
        "/all/nowhere@x/t.mbox.gz": lambda h: h.send(302)}
    with _serving(answers) as lore:
        code, _, err = _series(lore, tmp_path / "c", "moved@x")
        assert code == 2
        assert _one_error(err) == (f"seamharness: {lore}/all/moved@x/t.mbox.gz: server answered 500 Internal Server "
                                   f"Error (at {lore}/broken/moved@x/t.mbox.gz, where its redirects led)")
        code, _, err = _series(lore, tmp_path / "c", "gone@x")
        assert code == 2
        assert _one_error(err).startswith(f"seamharness: {lore}/all/gone@x/t.mbox.gz: server answered 404 Not Found "
                                          f"(at {lore}/old/gone@x/t.mbox.gz, where its redirects led), and so did "
                                          f"{lore}/gone@x/ (HEAD")
        code, _, err = _series(lore, tmp_path / "c", "nowhere@x")  # a redirect urllib cannot follow
        assert code == 2
        assert _one_error(err) == (f"seamharness: {lore}/all/nowhere@x/t.mbox.gz: server answered 302 Found with no "
                                   "Location to follow")


def test_fetch_takes_a_bare_id_holding_a_slash_and_series_says_how_to_give_it(tmp_path: Path) -> None:
    """b4 parse_msgid takes 'a/b@x' as the id; fetch (which takes no file) refused it as 'not a Message-ID'.
    series reads it as a path (it may be one) and, when there is none, says how to give the id."""
    data = _thread(tmp_path, "a/b@x")
    answers: dict[str, Answer] = {"/all/a%2Fb@x/t.mbox.gz": lambda h: h.send(200, data)}
    with _serving(answers) as lore:
        r = runner.invoke(app, ["fetch", "a/b@x", "--lore", lore, "--cache-dir", str(tmp_path / "c")])
        assert r.exit_code == 0, r.stderr
        assert [p for p, _ in _Server.asked] == ["/all/a%2Fb@x/t.mbox.gz"]
        code, _, err = _series(lore, tmp_path / "c2", "a/b@x")
    assert code == 2
    assert _one_error(err) == ("seamharness: a/b@x: no such file or directory (if it is a Message-ID, give it as "
                               "<a/b@x>: with a '/' it is read as a path)")
    code, _, err = _series("http://127.0.0.1:9", tmp_path / "c2", "../mails/a@x")
    assert code == 2 and "Message-ID" not in err  # spelt as a path
    # A lore URL copied without its scheme (b4 takes it as an id, which it is not): not an id with a '/'.
    code, _, err = _series("http://127.0.0.1:9", tmp_path / "c2", "lore.kernel.org/all/a@x/")
    assert code == 2
    assert _one_error(err) == ("seamharness: lore.kernel.org/all/a@x: no such file or directory (if it is a lore "
                               "URL, give it with its https:// before it)")


class _Body:
    """A response whose body comes in 64 KiB pieces, ``size`` bytes in all."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.headers: dict[str, str] = {}

    def read1(self, n: int) -> bytes:
        piece = min(n, self.left, 1 << 16)
        self.left -= piece
        return bytes(piece)


def test_a_body_at_the_cap_is_held_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its pieces were joined from a list: the body held twice at the end of the read (128 MiB at the 64 MiB cap;
    a run's peak 163 MB, now 98 MB)."""
    monkeypatch.setattr(harness.lorehttp, "MAX_DOWNLOAD", 8 << 20)
    tracemalloc.start()
    try:
        data = harness.lorehttp._read_all(_Body(8 << 20), "http://127.0.0.1:9/x", 1.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(data) == 8 << 20
    assert peak < 1.5 * (8 << 20), peak



def _drip(h: _Server) -> None:
    """Headers, 10 bytes of 1,000, then nothing for longer than the deadline (within the read timeout)."""
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.write(b"\x1f\x8b" * 5)
    h.wfile.flush()
    time.sleep(3)


def test_a_download_the_deadline_cuts_says_how_much_came(tmp_path: Path) -> None:
    """A server that drips the thread is cut off at the deadline; the error said only 'too slow', not whether
    anything had come (a server that answered and slowed down, or one that sent nothing)."""
    with _serving({"/all/drip@x/t.mbox.gz": _drip}) as lore:
        req = FetchRequest("drip@x", lore=lore, cache_dir=tmp_path / "c", deadline=1.0)
        with pytest.raises(InputError) as caught:
            fetch_thread(req)
    assert str(caught.value) == (f"{lore}/all/drip@x/t.mbox.gz: download not finished after 1 s: the server is too "
                                 "slow (10 of 1,000 bytes came)")
    assert not list((tmp_path / "c").glob("*.mbox.gz"))


def test_a_redirect_to_a_server_not_reachable_names_it(tmp_path: Path) -> None:
    """The server answered with a redirect to a host that refuses connections: the error said 'no network, or the
    server is not reachable' of the URL asked for, which had answered. Now it names where the redirect led."""
    import socket

    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/all/away@x/t.mbox.gz"
    with _serving({"/all/away@x/t.mbox.gz": lambda h: h.send(302, Location=dead)}) as lore:
        code, _, err = _series(lore, tmp_path / "c", "away@x")
    assert code == 2
    assert not list((tmp_path / "c").rglob("*.mbox.gz"))  # nothing cached
    assert _one_error(err).startswith(f"seamharness: {lore}/all/away@x/t.mbox.gz: its redirects led to {dead}, which "
                                      "cannot be fetched ("), err
    assert "no network" not in err


def test_a_body_refused_after_redirects_names_where_they_led(tmp_path: Path) -> None:
    """The URL asked for redirected to one that sent a cut gzip (or another message's thread): the error named
    only the URL asked for, which sent nothing but the redirect. Now it says where the body came from, as an error
    status there already did; one line, exit 2, nothing cached."""
    data = _thread(tmp_path, "moved@x")
    other = _thread(tmp_path, "other@x")
    answers: dict[str, Answer] = {
        "/all/moved@x/t.mbox.gz": lambda h: h.send(302, Location="/new/moved@x/t.mbox.gz"),
        "/new/moved@x/t.mbox.gz": lambda h: h.send(200, data[: len(data) // 2], Content_Type="application/gzip"),
        "/all/wrong@x/t.mbox.gz": lambda h: h.send(301, Location="/new/other@x/t.mbox.gz"),
        "/new/other@x/t.mbox.gz": lambda h: h.send(200, other, Content_Type="application/gzip")}
    with _serving(answers) as lore:
        code, _, err = _series(lore, tmp_path / "c", "moved@x")
        assert code == 2
        assert _one_error(err) == (f"seamharness: {lore}/all/moved@x/t.mbox.gz: the server sent a gzip that is cut "
                                   f"short (at {lore}/new/moved@x/t.mbox.gz, where its redirects led)")
        code, _, err = _series(lore, tmp_path / "c", "wrong@x")
        assert code == 2
        assert _one_error(err).endswith(f"the thread of another message (at {lore}/new/other@x/t.mbox.gz, where "
                                        "its redirects led)")
    assert not list((tmp_path / "c").glob("*"))
