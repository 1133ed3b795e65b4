"""A cached lore thread expires: downloaded anew past --cache-max-age, --offline keeps it, a failed refresh is said."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.lore import FetchRequest, cache_path, fetch_thread
from harness.threadcache import CopyKind, record_path
from tests.harness.test_lore import _Lore, lore_server
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, message, write_mbox

MSGID = "cover-v2@example.org"
THREAD = f"/all/{MSGID}/t.mbox.gz"
DEAD = "http://127.0.0.1:9"  # nothing listens there: connection refused
SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json"
runner = CliRunner()


def _flat(text: str) -> str:
    """Terminal output as one line: tree guides gone, wrapped lines joined (a report line wraps at spaces)."""
    return " ".join(re.sub(r"^[\s│├└─]+", "", line) for line in text.splitlines())


@pytest.fixture
def lore(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "server").mkdir()
    with lore_server(tmp_path / "server") as url:
        yield url


def _age(cache: Path, minutes: float) -> None:
    """Make the cached copy's record say it was fetched ``minutes`` ago (negative: in the future)."""
    rec = record_path(cache_path(FetchRequest(MSGID, cache_dir=cache)))
    doc = json.loads(rec.read_text())
    doc["fetched_at"] = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rec.write_text(json.dumps(doc))


def _series(lore: str, cache: Path, *more: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["series", MSGID, "--lore", lore, "--cache-dir", str(cache), *more])
    return r.exit_code, r.stdout, r.stderr


def _with_nak(tmp_path: Path) -> None:
    """The thread as the server has it once a reviewer has answered 2/3."""
    nak = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "nak-1@example.org",
                  "NAK: keep the hex format.\n", sender="Rita Reviewer <rita@example.org>",
                  parent="p2-v2@example.org", refs=(MSGID, "p2-v2@example.org"))
    data = write_mbox(tmp_path / "with-nak.mbox", [*demo_series(), nak]).read_bytes()
    _Lore.threads[THREAD] = gzip.compress(data)


def test_a_fresh_copy_is_used_without_a_request(lore: str, tmp_path: Path) -> None:
    assert _series(lore, tmp_path)[0] == 0
    code, out, err = _series(lore, tmp_path)
    assert code == 0 and _Lore.hits == [THREAD]
    flat = _flat(out)
    assert f"thread <{MSGID}>: cached copy fetched " in flat and f"from {lore}{THREAD}, less than a minute old" in flat
    assert "(--cache-max-age 10 minutes)" in _flat(out) and "using cached" in err


def test_an_expired_copy_is_downloaded_anew_and_the_new_reply_comes_in(lore: str, tmp_path: Path) -> None:
    assert _series(lore, tmp_path)[0] == 0
    _with_nak(tmp_path)  # the reviewer answers after the first download
    _age(tmp_path, 9)
    code, out, _ = _series(lore, tmp_path)
    assert code == 0 and len(_Lore.hits) == 1 and "Rita Reviewer" not in _flat(out)  # 9 minutes: still fresh
    _age(tmp_path, 11)
    code, out, err = _series(lore, tmp_path)
    assert code == 0 and len(_Lore.hits) == 2, err
    assert "Rita Reviewer" in _flat(out) and f"thread <{MSGID}>: downloaded now, fetched " in _flat(out)
    assert "(the cached copy is 11 minutes old)" in err
    _age(tmp_path, 11)
    assert _series(lore, tmp_path, "--cache-max-age", "30")[0] == 0 and len(_Lore.hits) == 2
    for _ in range(2):  # 0: always download, even a copy fetched a moment ago
        assert _series(lore, tmp_path, "--cache-max-age", "0")[0] == 0
    assert len(_Lore.hits) == 4


@pytest.mark.parametrize(("damage", "why"), [
    ("future", "minutes after this machine's clock now (was the clock set back?)"),
    ("no-record", "no record of its download"),  # a cache an older seamharness filled, or a copy put there
    ("changed", "the file changed since its recorded download"),
    ("garbage", "cannot be read"),
    ("deep", "cannot be read"),  # json's RecursionError, no ValueError: an internal error (exit 3)
])
def test_a_copy_of_unknown_age_is_never_fresh(lore: str, tmp_path: Path, damage: str, why: str) -> None:
    """A clock set back, a record from another machine, or no record: the copy is downloaded anew, and when
    that fails it is stale, its age said to be unknown; --offline still reads it, saying why."""
    assert _series(lore, tmp_path)[0] == 0
    mbox = cache_path(FetchRequest(MSGID, cache_dir=tmp_path))
    if damage == "future":
        _age(tmp_path, -60 * 24 * 365)  # a year ahead: with mtimes, b4 would keep it for a year
    elif damage == "no-record":
        record_path(mbox).unlink()
    elif damage == "changed":
        mbox.write_bytes(gzip.compress(gzip.decompress(mbox.read_bytes()) + b"\n"))
    elif damage == "deep":
        record_path(mbox).write_text("[" * 100_000 + "]" * 100_000)
    else:
        record_path(mbox).write_text("{not json")
    snapshot = (mbox.read_bytes(), record_path(mbox).read_bytes() if record_path(mbox).exists() else None)
    code, out, err = _series(DEAD, tmp_path)
    assert code == 0 and "STALE cached copy fetched " in _flat(out) and ", of unknown age (" in _flat(out)
    assert why in _flat(out) and "seamharness: warning: " in err
    offline = runner.invoke(app, ["series", MSGID, "--offline", "--cache-dir", str(tmp_path)])
    flat = _flat(offline.stdout)
    assert offline.exit_code == 0 and why in flat and "(--offline: replies sent since" in flat
    assert (mbox.read_bytes(), record_path(mbox).read_bytes() if record_path(mbox).exists() else None) == snapshot
    assert _series(lore, tmp_path)[0] == 0 and len(_Lore.hits) == 2  # downloaded anew
    assert _series(lore, tmp_path)[0] == 0 and len(_Lore.hits) == 2  # and now fresh


def test_offline_uses_an_old_copy_and_says_how_old(lore: str, tmp_path: Path) -> None:
    assert _series(lore, tmp_path)[0] == 0
    _age(tmp_path, 3 * 24 * 60)
    code, _, err = _series(DEAD, tmp_path, "--offline")
    assert code == 2 and "--offline never contacts --lore" in err  # --lore with --offline is refused as before
    r = runner.invoke(app, ["series", MSGID, "--offline", "--cache-dir", str(tmp_path), "--json"])
    assert r.exit_code == 0 and len(_Lore.hits) == 1, r.output
    (thread,) = json.loads(r.stdout)["threads"]
    assert thread["copy"] == "offline" and thread["url"] == f"{lore}{THREAD}" and thread["max_age_minutes"] is None
    assert 3 * 86400 <= thread["age_seconds"] < 3 * 86400 + 60 and thread["fetched_at"].endswith("Z")
    assert "4,320 minutes (3.0 days) old (--offline: replies sent since are not in it)" in r.stderr


def test_a_failed_refresh_falls_back_with_a_warning_in_series(lore: str, tmp_path: Path) -> None:
    assert _series(lore, tmp_path)[0] == 0
    _age(tmp_path, 42)
    code, out, err = _series(DEAD, tmp_path, "--json")
    assert code == 0
    (thread,) = json.loads(out)["threads"]
    assert thread["copy"] == "stale" and thread["age_seconds"] >= 42 * 60 and thread["max_age_minutes"] == 10
    assert thread["refresh_failed"].startswith(f"{DEAD}{THREAD}: cannot fetch (")
    warning = [line for line in err.splitlines() if line.startswith("seamharness: warning:")]
    assert len(warning) == 1 and "42 minutes old, past --cache-max-age 10: downloading it again failed" in warning[0]


def _gate_files(tmp_path: Path) -> list[str]:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "keep-hex"\nreviewer = "Rita Reviewer"\nsummary = "s"\n'
                     'patch = "print fn in decimal"\nmsgid = "nak-1@example.org"\nquote = "NAK: keep the hex format."'
                     '\n[rule.check]\nkind = "changelog"\nmust_not_match = "zzz"\n')
    (tmp_path / "m.toml").write_text(MATRIX)
    return ["--variant", "v2", "--rules", str(rules), "--matrix", str(tmp_path / "m.toml"), "--no-cache"]


def test_the_gate_refuses_a_stale_thread_unless_offline(lore: str, tmp_path: Path) -> None:
    """A reviewer's NAK sent after the copy was made must reach the gate: a copy past its age whose download
    fails is refused (exit 2, nothing written); --offline judges it and says how old it is."""
    cache = tmp_path / "c"
    common = [MSGID, *_gate_files(tmp_path), "--cache-dir", str(cache)]
    first = runner.invoke(app, ["gate", *common, "--lore", lore, "--json", str(tmp_path / "g.json")])
    assert first.exit_code == 0, first.output
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["threads"][0]["copy"] == "downloaded" and doc["threads"][0]["url"] == f"{lore}{THREAD}"
    assert "the cited message <nak-1@example.org> is not in the input" in _flat(first.stdout)
    _age(cache, 42)
    out = tmp_path / "stale.json"
    r = runner.invoke(app, ["gate", *common, "--lore", DEAD, "--json", str(out), "--junit", str(tmp_path / "j.xml")])
    assert r.exit_code == 2 and not out.exists() and not (tmp_path / "j.xml").exists(), r.output
    (line,) = r.stderr.splitlines()  # one line
    assert line.startswith(f"seamharness: {DEAD}{THREAD}: cannot fetch (")
    assert f"the cached copy of <{MSGID}> is 42 minutes old, past --cache-max-age 10 (fetched " in line
    assert line.endswith("the gate does not judge a thread that may lack the replies sent since; give --offline to "
                         "judge that copy")
    offline = runner.invoke(app, ["gate", *common, "--offline", "--json", str(out), "--junit", str(tmp_path / "j.xml")])
    assert offline.exit_code == 0, offline.output
    assert '<property name="thread" value="thread &lt;cover-v2@example.org&gt;: cached copy fetched ' in \
        (tmp_path / "j.xml").read_text()
    assert "42 minutes old (--offline: replies sent since are not in it)" in _flat(offline.stdout)
    assert json.loads(out.read_text())["threads"][0]["copy"] == "offline"
    _with_nak(tmp_path)  # the server is back, with the reviewer's answer: the gate now quotes it
    again = runner.invoke(app, ["gate", *common, "--lore", lore])
    assert '"NAK: keep the hex format."' in _flat(again.stdout), again.output
    # The NAK now read, the rule is judged on the code it reviewed too, where it passes as well: not shown to judge it.
    said = "passes on v2:02, the commit message <nak-1@example.org> reviewed"
    assert again.exit_code == 1 and said in _flat(again.stdout), again.output
    assert f"thread <{MSGID}>: downloaded now" in _flat(again.stdout)


def test_eval_reports_which_copy_it_rests_on(lore: str, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    args = ["eval", MSGID, "--matrix", str(tmp_path / "m.toml"), "--cache-dir", str(cache), "--no-cache"]
    (tmp_path / "m.toml").write_text(MATRIX)
    assert runner.invoke(app, [*args, "--lore", lore]).exit_code == 0
    _age(cache, 42)
    r = runner.invoke(app, [*args, "--lore", DEAD, "--json", str(tmp_path / "r.json"), "--html",
                            str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    (thread,) = doc["threads"]
    assert (thread["msgid"], thread["copy"], thread["url"]) == (MSGID, "stale", f"{lore}{THREAD}")
    assert "STALE cached copy" in _flat(r.stdout) and "past --cache-max-age 10" in _flat(r.stdout)
    assert "STALE cached copy" in (tmp_path / "r.html").read_text()
    assert r.stderr.splitlines()[-1].startswith(f"seamharness: warning: thread <{MSGID}>: STALE cached copy")


def test_fetch_always_downloads_and_a_failure_is_an_error(lore: str, tmp_path: Path) -> None:
    copy = fetch_thread(FetchRequest(MSGID, lore=lore, cache_dir=tmp_path, refresh=True))
    assert copy.kind is CopyKind.DOWNLOADED and copy.age is not None and copy.age < 60
    r = runner.invoke(app, ["fetch", MSGID, "--lore", DEAD, "--cache-dir", str(tmp_path)])
    assert r.exit_code == 2 and "less than a minute old" in r.stderr
    assert r.stderr.rstrip().endswith(f"from {lore}{THREAD}): --offline gives it")


@pytest.mark.parametrize(("value", "said"), [
    ("ten", "'ten' is not an int"),
    ("-1", "-1 is below the minimum 0"),
    ("1.5", "'1.5' is not an int"),
    ("", "'' is not an int"),
])
@pytest.mark.parametrize("command", ["series", "eval", "gate", "apply", "crosscheck"])
def test_a_bad_max_age_is_one_line_before_any_fetch(lore: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    command: str, value: str, said: str) -> None:
    from harness.cli import main

    more = {"gate": ["--variant", "v2"], "apply": ["--variant", "v2", "--out", str(tmp_path / "o")]}.get(command, [])
    assert main([command, MSGID, *more, "--lore", lore, "--cache-dir", str(tmp_path / "c"), "--cache-max-age",
                 value]) == 2
    err = capsys.readouterr().err
    assert err == f"seamharness: invalid value for '--cache-max-age': {said}\n"
    assert _Lore.hits == [] and not (tmp_path / "c").exists()


def test_offline_with_a_max_age_is_refused(tmp_path: Path) -> None:
    r = runner.invoke(app, ["series", MSGID, "--offline", "--cache-max-age", "5", "--cache-dir", str(tmp_path)])
    assert r.exit_code == 2 and r.stderr == ("seamharness: --offline uses the cached copy whatever its age: give one "
                                             "of --offline and --cache-max-age\n")


def test_cache_counts_the_threads_past_their_age(lore: str, tmp_path: Path) -> None:
    cache = tmp_path / "seamharness" / "lore"
    assert _series(lore, cache)[0] == 0
    _age(cache, 60)
    r = runner.invoke(app, ["cache"], env={"XDG_CACHE_HOME": str(tmp_path)})
    assert r.exit_code == 0, r.output
    assert f"{cache}: 1 fetched thread," in _flat(r.stdout) and "1 of them 10 minutes old or more" in _flat(r.stdout)
    # Every command that reads a thread downloads it anew, not series, eval and gate alone.
    assert "series, eval, apply, gate and crosscheck download those anew" in _flat(r.stdout)
    assert "the oldest fetched " in _flat(r.stdout) and f"from {lore}{THREAD}, 60 minutes old" in _flat(r.stdout)


def test_cache_shows_the_threads_of_the_cache_dir_the_commands_were_given(lore: str, tmp_path: Path) -> None:
    # Threads fetched with --cache-dir live there, not under XDG_CACHE_HOME: `cache --cache-dir` shows them.
    mine = tmp_path / "mine"
    assert _series(lore, mine)[0] == 0
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    default = runner.invoke(app, ["cache"], env=env)
    given = runner.invoke(app, ["cache", "--cache-dir", str(mine)], env=env)
    assert default.exit_code == given.exit_code == 0, (default.output, given.output)
    assert ": 0 fetched threads," in _flat(default.stdout)
    assert f"{mine}: 1 fetched thread," in _flat(given.stdout)


def test_cache_refuses_a_cache_dir_that_is_a_file(tmp_path: Path) -> None:
    plain = tmp_path / "f"
    plain.write_text("x")
    r = runner.invoke(app, ["cache", "--cache-dir", str(plain)], env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert r.exit_code == 2 and r.stderr == f"seamharness: --cache-dir {plain}: not a directory\n", r.output


def test_cache_says_a_cache_dir_that_does_not_exist(tmp_path: Path) -> None:
    # A misspelt --cache-dir showed "0 fetched threads" as if the folder were there and empty.
    typo = tmp_path / "mnie"
    r = runner.invoke(app, ["cache", "--cache-dir", str(typo)], env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert r.exit_code == 0, r.output
    assert f"{typo}: no such folder (--cache-dir): no thread was fetched there" in _flat(r.stdout)
    assert not typo.exists()
