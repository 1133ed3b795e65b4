"""A thread URL that answers 404: a HEAD lookup of the bare id, then the thread where it leads (as b4 does)."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import InputError
from harness.lore import FetchRequest, cache_path, fetch_thread
from harness.threadcache import record_path
from tests.harness.test_lore import _Lore, body_bytes_read, lore_server, reply_in_thread, serving
from tests.harness.test_lore_expiry import _gate_files
from tests.harness.test_lore_thread import B4, SHAPES, _b4_mbox, _read, _serve
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, write_mbox

runner = CliRunner()
MSGID = "cover-v2@example.org"  # demo_series()'s cover letter


@pytest.fixture
def lore(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "server").mkdir()
    with lore_server(tmp_path / "server") as url:
        yield url


def _fetch(lore: str, cache: Path, asked: str) -> tuple[int, str]:
    r = runner.invoke(app, ["fetch", asked, "--lore", lore, "--cache-dir", str(cache)])
    return r.exit_code, r.stderr


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("seamharness: ")]


def test_a_thread_only_a_list_holds_is_found_by_the_lookup_and_cached_under_the_url_asked(lore: str,
                                                                                            tmp_path: Path) -> None:
    """SERVER/all/ID/ answers 404 on a public-inbox without /all/ (or a message under a list path only): b4 sends
    HEAD SERVER/ID/, follows the redirect to /LIST/ID/ and fetches the thread there; seamharness gave up."""
    asked, msgs, kept = SHAPES["v2-answers-v1-cover"]
    _serve(tmp_path, asked, msgs, inbox="somelist")
    cache = tmp_path / "c"
    code, err = _fetch(lore, cache, asked)
    assert code == 0, err
    assert _Lore.hits == [f"/all/{asked}/t.mbox.gz", f"HEAD /{asked}/", f"HEAD /somelist/{asked}/",
                          f"/somelist/{asked}/t.mbox.gz"]
    rec = json.loads(record_path(cache_path(FetchRequest(asked, cache_dir=cache))).read_text())
    assert (rec["url"], rec["asked_url"]) == (f"{lore}/somelist/{asked}/t.mbox.gz", f"{lore}/all/{asked}/t.mbox.gz")
    # Keyed by the URL asked for, as b4 keys by its server and the id: the next run finds it fresh.
    code, found, err = _read(lore, cache, asked)
    assert code == 0 and found == kept and len(_Lore.hits) == 4, err
    assert f"from {lore}/somelist/{asked}/t.mbox.gz (a HEAD lookup led there: {lore}/all/{asked}/t.mbox.gz " \
           "answered 404)" in err
    offline = runner.invoke(app, ["series", asked, "--offline", "--cache-dir", str(cache), "--json"])
    assert offline.exit_code == 0 and len(_Lore.hits) == 4, offline.output
    (thread,) = json.loads(offline.stdout)["threads"]
    assert thread["url"] == f"{lore}/somelist/{asked}/t.mbox.gz" and thread["copy"] == "offline"
    # The URL that answered 404 stays in the JSON too: the copy is keyed by it, and it says why url differs.
    assert thread["asked_url"] == f"{lore}/all/{asked}/t.mbox.gz"


@pytest.mark.parametrize("command", ["series", "eval", "gate", "apply"])
def test_every_command_that_reads_a_message_id_takes_the_lookup(lore: str, tmp_path: Path, command: str) -> None:
    data = gzip.compress(write_mbox(tmp_path / "t.mbox", demo_series()).read_bytes())
    del _Lore.threads[f"/all/{MSGID}/t.mbox.gz"]
    _Lore.threads[f"/demo/{MSGID}/t.mbox.gz"] = data
    (tmp_path / "m.toml").write_text(MATRIX)
    report = ["--json", str(tmp_path / "r.json")]
    more = {"series": [], "eval": ["--matrix", str(tmp_path / "m.toml"), "--no-cache", *report],
            "gate": _gate_files(tmp_path), "apply": ["--variant", "v2", "--out", str(tmp_path / "out")]}[command]
    url = f"{lore}/all/{MSGID}/" if command == "gate" else MSGID  # a lore URL of --lore's own server: from /all/
    r = runner.invoke(app, [command, url, "--lore", lore, "--cache-dir", str(tmp_path / "c"), *more])
    assert r.exit_code == 0, r.output
    assert _Lore.hits == [f"/all/{MSGID}/t.mbox.gz", f"HEAD /{MSGID}/", f"HEAD /demo/{MSGID}/",
                          f"/demo/{MSGID}/t.mbox.gz"]
    if command == "eval":  # report.json says which URL answered 404 and where the lookup led
        (thread,) = json.loads((tmp_path / "r.json").read_text())["threads"]
        assert thread["asked_url"] == f"{lore}/all/{MSGID}/t.mbox.gz"
        assert thread["url"] == f"{lore}/demo/{MSGID}/t.mbox.gz"


def test_a_404_on_both_is_one_line_naming_both(lore: str, tmp_path: Path) -> None:
    code, err = _fetch(lore, tmp_path / "c", "nope@example.org")
    assert code == 2 and _errors(err) == [
        f"seamharness: {lore}/all/nope@example.org/t.mbox.gz: server answered 404 Not Found, and so did "
        f"{lore}/nope@example.org/ (HEAD, public-inbox's lookup of the id in every list): the server has no such "
        "message"], err
    assert _Lore.hits == ["/all/nope@example.org/t.mbox.gz", "HEAD /nope@example.org/"]
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_a_lookup_whose_redirects_go_round_is_one_line(lore: str, tmp_path: Path) -> None:
    _Lore.lookups["loop@x"] = "/loop@x/"
    code, err = _fetch(lore, tmp_path / "c", "loop@x")
    assert code == 2 and _errors(err) == [
        f"seamharness: {lore}/loop@x/: the server's redirects go round in a loop (followed as urllib follows them: "
        f"at most 10, each URL at most 4 times) (HEAD, after {lore}/all/loop@x/t.mbox.gz answered 404 Not Found)"], err
    assert _Lore.hits.count("HEAD /loop@x/") == 5  # urllib's bound: the redirects asked for, not a time
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_a_lookup_that_leads_back_to_the_404_is_not_asked_again(lore: str, tmp_path: Path) -> None:
    _Lore.lookups["back@x"] = "/all/back@x/"
    code, err = _fetch(lore, tmp_path / "c", "back@x")
    assert code == 2 and _errors(err) == [f"seamharness: {lore}/all/back@x/t.mbox.gz: server answered 404 Not Found, "
                                          f"and HEAD {lore}/back@x/ led back to it"], err
    assert _Lore.hits == ["/all/back@x/t.mbox.gz", "HEAD /back@x/", "HEAD /all/back@x/"]


def test_a_damaged_thread_where_the_lookup_leads_is_refused(lore: str, tmp_path: Path) -> None:
    data = gzip.compress(write_mbox(tmp_path / "t.mbox", demo_series()).read_bytes())
    _Lore.threads["/brokenlist/damaged@x/t.mbox.gz"] = data[:-40]
    code, err = _fetch(lore, tmp_path / "c", "damaged@x")
    assert code == 2 and len(_errors(err)) == 1, err
    assert _errors(err)[0].startswith(f"seamharness: {lore}/brokenlist/damaged@x/t.mbox.gz: the server sent a gzip "
                                      "that is cut short"), err
    assert _errors(err)[0].endswith(f"(where HEAD {lore}/damaged@x/ led after {lore}/all/damaged@x/t.mbox.gz "
                                    "answered 404 Not Found)")
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_a_lookup_sent_to_another_host_names_the_list_and_the_thread_comes_from_the_server_asked(
        lore: str, tmp_path: Path) -> None:
    """urllib (and requests) follow a redirect to another host; b4 then takes the path alone, on its own server."""
    _Lore.threads["/farlist/away@x/t.mbox.gz"] = gzip.compress(reply_in_thread(tmp_path, "away@x"))
    with serving() as other:
        _Lore.lookups["away@x"] = f"{other}/farlist/away@x/"
        code, err = _fetch(lore, tmp_path / "c", "away@x")
    assert code == 0, err
    assert _Lore.hits == ["/all/away@x/t.mbox.gz", "HEAD /away@x/", "HEAD /farlist/away@x/",
                          "/farlist/away@x/t.mbox.gz"]
    assert f"fetching {lore}/farlist/away@x/t.mbox.gz (HEAD {lore}/away@x/ led to {other}/farlist/away@x/)" in err


def test_the_lookup_is_under_the_deadline_of_the_whole_download(lore: str, tmp_path: Path) -> None:
    """A HEAD whose headers come a byte at a time: one deadline bounds the GET, the HEAD and the GET after it."""
    with pytest.raises(InputError, match=re.escape(f"{lore}/trickle-head@x/: download not finished after 1 s")):
        fetch_thread(FetchRequest("trickle-head@x", lore=lore, cache_dir=tmp_path / "c", timeout=5.0, deadline=1.0))
    assert _Lore.whole == []  # the deadline ended the wait, not the 60 s of the server's headers
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_a_redirect_whose_body_does_not_end_is_not_read_whole(lore: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib reads a redirect's body whole before following it: a server sending one without end filled memory
    until the deadline."""
    from harness.deadline import REDIRECT_BODY

    reads = body_bytes_read(monkeypatch)
    with pytest.raises(InputError, match=re.escape(f"{lore}/all/fat@x/t.mbox.gz: server answered 302 Found (a "
                                                   "redirect whose body is over 64 KiB: not followed)")):
        fetch_thread(FetchRequest("fat@x", lore=lore, cache_dir=tmp_path / "c"))
    assert _Lore.hits == ["/all/fat@x/t.mbox.gz"] and sum(reads) <= REDIRECT_BODY + 1  # of the 4 MiB sent


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]' brings it)")
def test_b4_and_seamharness_read_the_same_thread_through_the_lookup(lore: str, tmp_path: Path) -> None:
    """The oracle: b4 0.16 (liblore's HEAD lookup) and seamharness read one thread from a server without /all/."""
    asked, msgs, kept = SHAPES["stranger-series"]
    _serve(tmp_path, asked, msgs, inbox="otherlist")
    code, found, err = _read(lore, tmp_path / "c", asked)
    assert code == 0 and found == kept, err
    assert _b4_mbox(lore, tmp_path, asked) == found
    # b4 asked the same, in the same order (its ids %40-quoted): the GET, the HEAD, the redirected HEAD, the GET.
    assert [unquote(hit) for hit in _Lore.hits[4:]] == [unquote(hit) for hit in _Lore.hits[:4]]
    assert _Lore.hits[1] == f"HEAD /{asked}/"
