"""A thread fetched by Message-ID is read as b4 am reads it: its messages, the id's spellings, its server."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import InputError
from harness.ingest import IngestRequest, parse_series
from harness.threadcache import CopyKind, ThreadCopy
from tests.harness.test_lore import _Lore, lore_server
from tests.harness.threadgen import random_thread, shapes, tagged
from tests.linesrun import lines_run
from tests.mailgen import write_mbox

B4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
SHAPES = shapes()
runner = CliRunner()


@pytest.fixture
def lore(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "server").mkdir()
    with lore_server(tmp_path / "server") as url:
        yield url


def _serve(tmp_path: Path, asked: str, msgs: list[EmailMessage], inbox: str = "all") -> None:
    data = gzip.compress(write_mbox(tmp_path / f"{asked}.mbox", msgs).read_bytes())
    # As public-inbox decodes the path: "@" as it is and as b4 quotes it (%40).
    _Lore.threads[f"/{inbox}/{asked}/t.mbox.gz"] = _Lore.threads[f"/{inbox}/{quote(asked, safe='')}/t.mbox.gz"] = data


def _read(lore: str, cache: Path, arg: str, *more: str) -> tuple[int, set[str], str]:
    """``series ARG --json``: the exit status, every Message-ID it read, stderr."""
    r = runner.invoke(app, ["series", arg, "--lore", lore, "--cache-dir", str(cache), "--json", *more])
    if r.exit_code != 0:
        return r.exit_code, set(), r.stderr
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.update(v for k, v in node.items() if k == "msgid" and isinstance(v, str))
            for k, v in node.items():
                if k != "threads":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(r.stdout))
    return r.exit_code, found, r.stderr


def _b4_mbox(lore: str, tmp: Path, asked: str) -> set[str]:
    """The Message-IDs ``b4 mbox`` writes for ``asked``, fetched from the same server."""
    out = tmp / "b4-out"
    out.mkdir()
    env = {**os.environ, "HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp), "XDG_CACHE_HOME": str(tmp / "b4-cache")}
    subprocess.run([str(B4), "-c", f"b4.midmask={lore}/all/%s", "mbox", "-o", str(out), asked], cwd=tmp, env=env,
                   capture_output=True, timeout=120, check=True)
    (mbx,) = out.iterdir()
    return {line.split(b"<", 1)[1].split(b">", 1)[0].decode() for line in mbx.read_bytes().splitlines()
            if line.lower().startswith(b"message-id:")}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_fetched_thread_gives_the_messages_b4_takes(lore: str, tmp_path: Path, name: str) -> None:
    """public-inbox's t.mbox.gz may hold what is no part of the series (a discussion it answers, another series):
    every message was read, so a stranger's series became v1 of this one."""
    asked, msgs, kept = SHAPES[name]
    _serve(tmp_path, asked, msgs)
    code, found, err = _read(lore, tmp_path / "c", asked)
    assert code == 0 and found == kept, err
    left = len(msgs) - len(kept)
    assert (f"{left} message{'s' if left > 1 else ''} of the thread sent for <{asked}> not read" in err) == (left > 0)
    if B4 is not None:
        assert _b4_mbox(lore, tmp_path, asked) == kept


def test_a_thread_that_does_not_hold_the_message_is_refused(lore: str, tmp_path: Path) -> None:
    # A server (or a redirect) sending another message's thread: b4 finds no messages; it was read as the series.
    # It is refused as it comes, never cached: it was cached first, so `fetch` delivered it (exit 0) and every
    # run until it expired read it again instead of asking the server.
    _, msgs, _ = SHAPES["stranger-series"]
    _serve(tmp_path, "elsewhere@example.org", msgs)
    said = (f"seamharness: {lore}/all/elsewhere@example.org/t.mbox.gz: the server sent a thread that holds neither "
            "<elsewhere@example.org> nor any message that refers to it (In-Reply-To, References): the thread of "
            "another message\n")
    for command in ("series", "fetch"):
        r = runner.invoke(app, [command, "elsewhere@example.org", "--lore", lore, "--cache-dir", str(tmp_path / "c"),
                                "--out" if command == "fetch" else "--json", str(tmp_path / "out")])
        assert r.exit_code == 2 and r.stderr == said, r.output
        assert not list((tmp_path / "c").glob("*.mbox.gz")) and not (tmp_path / "out").exists()


def _kept(tmp: Path, asked: str, msgs: list[EmailMessage]) -> set[str]:
    path = write_mbox(tmp / "t.mbox", msgs)
    copy = ThreadCopy(asked, path, CopyKind.DOWNLOADED, "http://127.0.0.1:9/t.mbox.gz", None, 0.0, 10)
    try:
        series = parse_series(IngestRequest((path,), (copy,)))
    except InputError:
        return set()
    return set(series.message_ids()) | {r.mail.msgid for r in series.orphans}


def test_the_thread_walk_ends_where_b4_would_walk_for_ever(tmp_path: Path) -> None:
    """b4 0.16 loops for ever here (liblore get_strict_thread keeps wanting the lone patch's parent, which it cut
    off but saw before the cut): a reply to the patch refers to a message that parent also refers to."""
    import harness.strictthread

    parent = tagged(1, "x")[0]  # any message the lone patch answers
    del parent["References"]
    parent["References"] = "<root.x@example.org>"
    _, msgs, _ = shapes()["lone-patch-in-discussion"]  # a copy of its own: the headers change below
    fix = msgs[2]
    for h in ("In-Reply-To", "References"):
        del fix[h]
    fix["In-Reply-To"] = fix["References"] = parent["Message-ID"]
    ok = msgs[3]
    del ok["References"]
    ok["References"] = f"<root.x@example.org> <{fix['Message-ID'].strip('<>')}>"
    # Counted, not timed: the walk's lines (114 here) past 2,000 fail, and b4's endless loop fails with them, not
    # hangs (harness.strictthread's rounds call nothing when every message is taken: no call to count).
    with lines_run(harness.strictthread, limit=2_000) as lines:
        kept = _kept(tmp_path, "fix.c@example.org", [parent, fix, ok])
    assert kept == {"fix.c@example.org", "ok.c@example.org"} and lines[0] > 0


class _Hang(Exception):
    pass


def _b4_strict(msgs: list[EmailMessage], asked: str) -> set[str] | None:
    """b4's own walk over the same messages, or None where it does not end within 2 s (see above)."""
    import email

    import b4

    def stop(_sig: int, _frame: FrameType | None) -> None:
        raise _Hang

    parsed = [email.message_from_bytes(m.as_bytes(), policy=b4.emlpolicy, _class=EmailMessage) for m in msgs]
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(2)
    try:
        got = b4.get_strict_thread(parsed, asked) or []
    except _Hang:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return {str(b4.LoreMessage.get_clean_msgid(m)) for m in got}


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]')")
def test_random_threads_keep_what_b4_keeps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Covers, patches, lone patches, reviews and plain mail answering each other, later messages and messages the
    archive lacks: the messages kept (before they become revisions and replies) are b4's."""
    import harness.ingest as ingest

    kept: list[str] = []
    real = ingest._in_threads

    def spy(*args: object) -> object:
        out = real(*args)  # type: ignore[arg-type]
        kept.extend(e[2].mail.msgid for e in out)
        return out

    monkeypatch.setattr(ingest, "_in_threads", spy)
    compared = 0
    for seed in range(120):
        asked, msgs = random_thread(seed)
        want = _b4_strict(msgs, asked)
        kept.clear()
        _kept(tmp_path, asked, msgs)
        if want is not None:
            compared += 1
            assert set(kept) == want, (seed, asked)
    assert compared > 100


@pytest.mark.parametrize("spelt", ["id:{id}", "mid:{id}", "rfc822msgid:{id}", "<id:{id}>", "<<{id}>>",
                                   "https://patchwork.kernel.org/project/demo/patch/{id}/",
                                   "https://patch.msgid.link/{id}", "https://lore.kernel.org/{id}/"])
def test_a_message_id_as_b4_reads_it(lore: str, tmp_path: Path, spelt: str) -> None:
    """notmuch's id:, a patchwork page, a msgid.link redirector (b4 am's own Link: trailers): b4 parse_msgid takes
    the id and fetches it from its own server; "id:x@y" was fetched as the id "id:x@y", the others from the URL's
    host (or refused)."""
    asked, msgs, kept = SHAPES["v2-answers-v1-cover"]
    _serve(tmp_path, asked, msgs)
    code, found, err = _read(lore, tmp_path / "c", spelt.format(id=asked))
    assert code == 0 and found == kept, err
    assert _Lore.hits == [f"/all/{asked}/t.mbox.gz"]


def test_a_url_of_another_public_inbox_is_fetched_from_its_list(lore: str, tmp_path: Path) -> None:
    """b4 parse_msgid: a /LIST/ID/ URL of another server than its own is fetched from that LIST (a public-inbox
    that is not lore may have no /all/); of its own server, from /all/ (--lore is the server), and on its 404 from
    where the HEAD lookup of the bare id leads (that list), as b4 does."""
    asked, msgs, kept = SHAPES["stranger-series"]
    _serve(tmp_path, asked, msgs, inbox="demo-list")
    code, found, err = _read("http://127.0.0.1:9", tmp_path / "c", f"{lore}/demo-list/{asked}/T/#u")
    assert code == 0 and found == kept, err
    assert _Lore.hits == [f"/demo-list/{asked}/t.mbox.gz"]
    code, found, err = _read(lore, tmp_path / "d", f"{lore}/demo-list/{asked}/")
    assert code == 0 and found == kept, err
    assert _Lore.hits[1:] == [f"/all/{asked}/t.mbox.gz", f"HEAD /{asked}/", f"HEAD /demo-list/{asked}/",
                              f"/demo-list/{asked}/t.mbox.gz"]


@pytest.mark.parametrize("damage", [b"", b"<html>", None])
def test_a_damaged_cached_copy_is_never_read(lore: str, tmp_path: Path, damage: bytes | None) -> None:
    """A cached thread cut short, emptied or overwritten: --offline read it as a damaged mbox (one line naming the
    cache file only), fetch --offline --out copied it with exit 0, a failed refresh used it as a STALE copy."""
    asked, msgs, _ = SHAPES["missing-patch"]
    _serve(tmp_path, asked, msgs)
    cache = tmp_path / "c"
    assert _read(lore, cache, asked)[0] == 0
    (copy,) = cache.glob("*.mbox.gz")
    copy.write_bytes(copy.read_bytes()[:60] if damage is None else damage)
    r = runner.invoke(app, ["fetch", asked, "--offline", "--cache-dir", str(cache), "--out", str(tmp_path / "o.gz")])
    assert r.exit_code == 2 and not (tmp_path / "o.gz").exists()
    assert r.stderr.startswith(f"seamharness: {copy}: the cached copy of <{asked}> is damaged (") and r.stderr.count(
        "\n") == 1, r.stderr
    code, _, err = _read("http://127.0.0.1:9", cache, asked)  # the refresh fails: no copy to fall back on
    assert code == 2 and "cannot fetch (connection refused)" in err.splitlines()[-1] and "STALE" not in err, err
    code, found, err = _read(lore, cache, asked)  # downloaded anew
    assert code == 0 and found and "is damaged" in err and len(_Lore.hits) == 2


def test_a_cached_copy_of_another_inbox_is_not_the_thread_asked_for(lore: str, tmp_path: Path) -> None:
    """A /LIST/ID/ URL's thread holds that list's mail only: the bare id asked for next (lore's /all/) was served
    from that copy for 10 minutes. b4 keys its cache by server and inbox too; --offline takes any copy."""
    asked, msgs, kept = SHAPES["v2-answers-v1-cover"]
    _serve(tmp_path, asked, [m for m in msgs if "r2.a" not in m["Message-ID"]], inbox="demo-list")
    _serve(tmp_path, asked, msgs)
    cache = tmp_path / "c"
    code, found, _ = _read("http://127.0.0.1:9", cache, f"{lore}/demo-list/{asked}/")
    assert code == 0 and "r2.a@example.org" not in found
    code, found, err = _read(lore, cache, asked)
    assert code == 0 and found == kept and f"the cached copy came from {lore}/demo-list/" in err, err
    assert _Lore.hits == [f"/demo-list/{asked}/t.mbox.gz", f"/all/{asked}/t.mbox.gz"]
    assert _read(lore, cache, asked)[0] == 0 and len(_Lore.hits) == 2  # fresh, and from there
    offline = runner.invoke(app, ["series", asked, "--offline", "--cache-dir", str(cache)])
    assert offline.exit_code == 0 and "r2.a@example.org" in offline.stdout, offline.output
