"""Lore fetching: every Message-ID form b4 takes, and what no thread is refused in one line.

Lore fetching, continued: a Message-ID in every form b4 takes resolves to one fetch; what a server or the cache
holds that no thread is (a page, a vast or endless body, a FIFO) is refused in one line, bounded in time and memory."""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import InputError
from harness.lore import FetchRequest, as_msgid, fetch_thread, server_of
from tests.harness.test_lore import _Lore, body_bytes_read, lore_server


@pytest.fixture
def lore(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "server").mkdir()
    with lore_server(tmp_path / "server") as url:
        yield url


@pytest.mark.parametrize("url", ["/all/cover-v2@example.org#r", "/r/cover-v2@example.org#r",
                                 "/all/cover-v2@example.org?q=x", "/all/cover-v2@example.org?q=x#u"])
def test_an_anchor_right_after_the_id_is_no_part_of_it(lore: str, tmp_path: Path, url: str) -> None:
    # "#r" and "?q" with no "/" before them were read into the id: "ID%23r" was fetched, a 404 from both URLs.
    assert as_msgid(lore + url) == "cover-v2@example.org" and server_of(lore + url) == lore
    result = CliRunner().invoke(app, ["fetch", lore + url, "--lore", lore, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]
    assert as_msgid("https://lore.kernel.org/all/a%23b%3Fc@x#r") == "a#b?c@x"  # an id's own, percent-encoded


@pytest.mark.parametrize("url", ["https://mirror.invalid/lore/all/cover-v2@example.org/",
                                 "https://mirror.invalid/lore/all/cover-v2%40example.org/T/#u"])
def test_an_id_deeper_in_a_url_is_fetched_from_lore_as_b4_does(lore: str, tmp_path: Path, url: str) -> None:
    # A public-inbox under a prefix (HOST/PREFIX/LIST/ID/): b4 parse_msgid takes the id (its last try) and fetches
    # it from its own server; it was 'not a Message-ID', exit 2.
    assert as_msgid(url) == "cover-v2@example.org" and server_of(url) is None
    result = CliRunner().invoke(app, ["fetch", url, "--lore", lore, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]


@pytest.mark.parametrize("path", ["/all/%3Ccover-v2@example.org%3E/", "/all/<cover-v2@example.org>/",
                                  "/r/%3Ccover-v2%40example.org%3E#r"])
def test_an_id_in_angle_brackets_in_a_url_is_that_id(lore: str, tmp_path: Path, path: str) -> None:
    # The brackets were kept as part of the id: "%3Ccover-v2@example.org%3E" was asked for, a 404 from both URLs.
    assert as_msgid(lore + path) == "cover-v2@example.org"
    result = CliRunner().invoke(app, ["fetch", lore + path, "--lore", lore, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]


@pytest.mark.parametrize("form", ["{} ", " {}\n", "<{}>", "<{}#r>", " <{}> "])
def test_a_url_in_angle_brackets_or_white_space_is_that_url(lore: str, tmp_path: Path, form: str) -> None:
    # b4 parse_msgid strips white space and "<...>" first: "<URL>" was read as the Message-ID
    # "http://HOST/all/ID/" (a 404 from both URLs) and "URL " refused as a --lore holding white space.
    url = form.format(f"{lore}/all/cover-v2@example.org/")
    assert as_msgid(url) == "cover-v2@example.org" and server_of(url) == lore
    result = CliRunner().invoke(app, ["fetch", url, "--lore", lore, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]


def test_a_default_port_is_the_same_server() -> None:
    # ':443' made another server than --lore's: that URL's LIST inbox was fetched rather than all, and the cached
    # copy of the thread was downloaded anew.
    from harness.lore import check_server, inbox_of, thread_url

    url = "https://LORE.kernel.org:443/lkml/a@x/#r"
    assert server_of(url) == "https://lore.kernel.org" and inbox_of(url, "https://lore.kernel.org") == "all"
    assert thread_url(FetchRequest("a@x", lore="https://lore.kernel.org:443/")) == thread_url(FetchRequest("a@x"))
    assert check_server("http://[::1]:8080") == "http://[::1]:8080" and check_server("https://h:80") == "https://h:80"
    assert inbox_of("https://lore.kernel.org:8443/lkml/a@x/", "https://lore.kernel.org") == "lkml"  # another one


def test_a_host_name_in_capitals_is_the_same_server(lore: str, tmp_path: Path) -> None:
    # A host name's case is no part of it: 'LOCALHOST' was another server than --lore's 'localhost' (its /LIST/
    # inbox fetched, not all), and a copy cached from one was downloaded anew when asked for from the other.
    here = lore.replace("127.0.0.1", "localhost")
    shout = lore.replace("127.0.0.1", "LOCALHOST")
    cache = ["--cache-dir", str(tmp_path)]
    result = CliRunner().invoke(app, ["series", f"{shout}/lkml/cover-v2@example.org/", "--lore", here, *cache])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["series", "cover-v2@example.org", "--lore", shout.replace("http", "HTTP"),
                                      *cache])
    assert result.exit_code == 0 and "using cached" in result.stderr, result.output
    assert _Lore.hits == ["/all/cover-v2@example.org/t.mbox.gz"]


def test_a_thread_whose_length_is_past_the_cap_is_refused_before_reading_it(lore: str, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Its body was read until 64 MiB or the deadline (300 s by default), whichever came first.
    reads = body_bytes_read(monkeypatch)
    with pytest.raises(InputError, match=re.escape("thread larger than 64 MiB (Content-Length 107,374,182,400 "
                                                   "bytes): not downloaded")):
        fetch_thread(FetchRequest("vast@x", lore=lore, cache_dir=tmp_path / "c", deadline=3.0))
    assert reads == []  # not a byte of the body asked for
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_what_a_write_cut_off_left_in_the_cache_is_removed_once_old(lore: str, tmp_path: Path) -> None:
    # A run killed outright (SIGKILL, the OOM killer) in the middle of writing a thread leaves its temporary file;
    # nothing removed those, nor counted them (seamharness cache), however many and large.
    import os

    from harness.lore import cache_path

    req = FetchRequest("cover-v2@example.org", lore=lore, cache_dir=tmp_path, refresh=True)
    stem = cache_path(FetchRequest("other@x", cache_dir=tmp_path)).name.removesuffix(".mbox.gz")
    old = [tmp_path / f".{stem}.mbox.gz.k3j2x9a1", tmp_path / f".{stem}.json.qq7_a0bc"]
    young = tmp_path / f".{stem}.mbox.gz.zz81mm0p"  # another run writing it now
    mine = [tmp_path / "notes.txt", tmp_path / ".keep.mbox.gz.k3j2x9a1"]  # not the cache's own
    for path in [*old, young, *mine]:
        path.write_bytes(b"\x1f\x8b")
    for path in [*old, *mine]:
        os.utime(path, (time.time() - 3700, time.time() - 3700))
    fetch_thread(req)
    assert [p.exists() for p in old] == [False, False] and young.exists() and all(p.exists() for p in mine)


@pytest.mark.parametrize("entry", ["fifo", "zero", "record-zero"])
def test_a_cache_entry_no_download_wrote_is_refused_without_reading_it_all(lore: str, tmp_path: Path,
                                                                           entry: str) -> None:
    # A FIFO in its place blocked the run for ever; a link to /dev/zero (the thread or its record) was read until
    # memory ran out: an internal error (exit 3), after the machine's memory was spent.
    import os
    import resource
    import subprocess
    import sys

    from harness.lore import cache_path
    from harness.threadcache import record_path

    cached = cache_path(FetchRequest("cover-v2@example.org", cache_dir=tmp_path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    if entry == "fifo":
        os.mkfifo(cached)
    else:
        fetch_thread(FetchRequest("cover-v2@example.org", lore=lore, cache_dir=tmp_path))
        target = record_path(cached) if entry == "record-zero" else cached
        target.unlink()
        target.symlink_to("/dev/zero")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    run = [sys.executable, "-m", "harness", "series", "cover-v2@example.org", "--cache-dir", str(tmp_path)]
    r = subprocess.run([*run, "--offline"], capture_output=True, text=True, timeout=60, preexec_fn=limit, check=False)
    if entry == "record-zero":  # the thread itself is whole: read, of unknown age
        assert r.returncode == 0 and ".json cannot be read: not a regular file)" in r.stderr, r.stderr
    else:
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
        assert "(cannot be read: not a regular file) and --offline was given" in r.stderr, r.stderr
    r = subprocess.run([*run, "--lore", lore], capture_output=True, text=True, timeout=60, preexec_fn=limit,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert ("is damaged (cannot be read: not a regular file): not used" in r.stderr) == (entry != "record-zero")
    assert cached.is_file() and not cached.is_symlink() and record_path(cached).is_file()


def test_a_page_sent_for_the_thread_is_named_by_its_title(lore: str, tmp_path: Path) -> None:
    # "the server did not send a gzipped mbox" alone: a bot challenge, a proxy's login or an error page served
    # with 200 OK gave no hint what it was.
    r = CliRunner().invoke(app, ["series", "page@x", "--lore", lore, "--cache-dir", str(tmp_path / "c")])
    assert r.exit_code == 2 and r.stderr == (f"seamharness: {lore}/all/page@x/t.mbox.gz: the server did not send a "
                                             "gzipped mbox but an HTML page (text/html) titled \"Making sure you're "
                                             "not a bot!\"\n"), r.output
    with pytest.raises(InputError, match=re.escape("but 0 bytes of application/gzip")):
        fetch_thread(FetchRequest("empty@x", lore=lore, cache_dir=tmp_path / "c"))
    # The same page gzipped (a proxy that gzips what it sends): it read "does not start with an mbox 'From ' line:
    # b'<!DOCTYPE html>'", the title unsaid.
    _Lore.threads["/all/gzpage@x/t.mbox.gz"] = gzip.compress(b"<!DOCTYPE html>\n<html><head><title>502 Bad "
                                                              b"Gateway</title></head></html>\n")
    with pytest.raises(InputError, match=re.escape("did not send an mbox but a gzipped HTML page titled "
                                                   "'502 Bad Gateway'")):
        fetch_thread(FetchRequest("gzpage@x", lore=lore, cache_dir=tmp_path / "c"))
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())
