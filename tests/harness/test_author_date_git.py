"""A patch's author date as git am commits it (date.c parse_date), or the patch refused where git am stops."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.gitdate import date_refusal, git_date_string, parse_git_date
from tests.gitoracle import git, git_env, init_repo
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
_NEW_FILE = (b"diff --git a/x.c b/x.c\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/x.c\n"
             b"@@ -0,0 +1 @@\n+hello world\n")
# Pieces of dates as mailers and people write them, and of what git's parser treats specially: names (in any case,
# cut short), days, years with two and four digits and out of 1970-2099, times out of range, zones as +hhmm, +hh,
# +hh:mm and names, dates with '-', '/' and '.', the compact ISO forms, seconds since the epoch, crud.
_PIECES = ("Mon,", "Thu", "Tuesday", " ", " ", " ", "5", "31", "32", "0", "05", "1", "12", "13", "Jan", "jan",
           "JANUARY", "Janu", "Ju", "May", "Dec", "2026", "26", "1969", "1970", "2099", "2100", "99", "70", "07",
           "10:00:00", "10:00", "25:00:00", "24:00:00", "23:59:60", "23:60:00", "1:2:3", "+0000", "-0800", "+05:30",
           "+14", "-12", "+2400", "0100", "1400", "1500", "GMT", "UTC", "Z", "EST", "CEST", "NT", "PM", "am", "T",
           "2026-12-05", "2027-01-01", "12/25/2026", "25.12.2026", "12/5/26", "5/12", "20261205", "101010", ".123",
           "@", "@1767607200 +0000", "1767607200", "99999999999", "4102444800", "(PST)", ",", "-", "+", "x", "\u00e9",
           "2026-01-01T10:00:00.5Z", "4294967295", "18446744073709551616", "\t")
_DATES = ("Mon, 5 Jan 2026 10:00:00 +0000", "Mon, 5 Jan 2026", "5 Jan 26 10:00 GMT", "Jan 2020 10:00:00",
          "@123 +0000", "@123 + 100", "@123 +-100", "@123", "Thu, 01 Jan 1970 00:00:00 +0100",
          "Fri, 1 Jan 2100 00:00:00 +0000", "Sat, 5 Dec 2026 10:00:00 -0001", "99999999999999999 Jan 1 2020",
          "5 Jan 2026 10:00 +05:-3")


def _git_var(date: str, zone: str | None = None) -> str | None:
    """The date ``git var GIT_AUTHOR_IDENT`` writes (through fmt_ident, as git am's commit), None where it dies;
    in the local time zone ``zone`` when given."""
    env = {**git_env(Path(os.environ.get("TMPDIR", "/tmp"))), "GIT_AUTHOR_DATE": date, **({"TZ": zone} if zone else {})}
    res = subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], env=env, capture_output=True, check=False)
    if res.returncode:
        assert f"invalid date format: {date}" in res.stderr.decode("utf-8", "replace"), res.stderr
        return None
    return res.stdout.decode("utf-8", "replace").strip().rsplit("> ", 1)[1]


def test_dates_are_read_as_git_reads_them() -> None:
    rnd = random.Random(46)
    dates = [*_DATES, *("".join(rnd.choice(_PIECES) + rnd.choice(("", " ", ", ")) for _ in range(rnd.randint(1, 7)))
                        for _ in range(300))]
    wrong = []
    for date in [*dates, *_mailer_dates(rnd)]:
        ours, theirs = parse_git_date(date), _git_var(date)
        if (None if ours is None else git_date_string(ours)) != theirs or (date_refusal(date) is None) != (
                theirs is not None):
            wrong.append(date)
    assert not wrong
    assert sum(parse_git_date(d) is None for d in dates) > 50  # both answers are asked about


def _mailer_dates(rnd: random.Random) -> list[str]:
    """Dates shaped as mailers write them (RFC 2822: date_refusal takes those without the parser), with values at
    and past what git takes: a month cut short or misspelt, years past 1970-2099, hours past 24, a 61st second,
    a comment that holds a year."""
    def one() -> str:
        day = rnd.choice(("", "", "Mon, ", "Tuesday, ", "Dec, ")) + str(rnd.randint(0, 45))
        month = rnd.choice(("Jan", "JANUARY", "Janu", "Janx", "Ja", "Sept", "May", "dec"))
        clock = f"{rnd.randint(0, 26):02d}:{rnd.randint(0, 59):02d}:{rnd.choice((0, 7, 59, 60, 61)):02d}"
        zone = rnd.choice(("+0000", "-0800", "+0530", "+9999", "+05:30"))
        comment = rnd.choice(("", "", "", " (PST)", " (1969)", " (Jan 2100)", " (PM)"))
        year = rnd.choice((1969, 1970, 2026, 2026, 2026, 2099, 2100))
        return f"{day} {month} {year} {clock} {zone}{comment}"
    return [one() for _ in range(300)]


def _mail(date: bytes | None, inbody: bytes = b"") -> bytes:
    head = b"" if date is None else b"Date: " + date + b"\n"
    return (b"From: Ann Author <ann@example.org>\nSubject: [PATCH] demo: add x.c\n" + head
            + b"Message-ID: <x@example.org>\n\n" + inbody + b"Adds it.\n\nSigned-off-by: Ann <ann@example.org>\n---\n"
            + _NEW_FILE)


@pytest.mark.parametrize(("date", "inbody"), [
    (b"Mon, 5 Jan 2026 10:00:00 +0000", b""), (None, b""), (b"", b""), (b"Mon, 5 Jan 2026", b""),
    (b"5 Jan 1969 10:00:00 +0000", b""), (b"yesterday", b""), (b"=?UTF-8?Q?Mon=2C_5_Jan_2026?=", b""),
    (b"Mon, 5 Jan 2026 10:00:00 +0000", b"Date: next week\n\n"), (b"tomorrow", b"Date: 5 Jan 2026 10:00:00 +0000\n\n"),
], ids=repr)
def test_a_date_git_am_cannot_commit_is_refused_at_its_line(tmp_path: Path, date: bytes | None,
                                                             inbody: bytes) -> None:
    path = tmp_path / "p.eml"
    path.write_bytes(_mail(date, inbody))
    repo = init_repo(tmp_path / "repo")
    am = git(repo, "am", str(path), check=False)
    res = CliRunner().invoke(app, ["series", str(path), "--json"])
    assert "Traceback" not in res.output
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.stderr.splitlines() if "git am stops here" in ln]
    if am.returncode:  # fatal: invalid date format: ...
        stop = am.stderr.decode().strip().splitlines()[-1].removeprefix("fatal: ")
        assert stop.startswith("invalid date format"), stop
        line = 6 if inbody else 3  # the in-body Date: line, or the header's
        assert said == [f"seamharness: note: {path}:{line}: git am stops here: '{stop}' (git's date.c finds no year "
                        "1970-2099, month and time of day in it): read as git am --ignore-date commits it, its date "
                        "unused"], res.stderr
        return
    assert not said, res.stderr
    if date and not inbody:  # the commit's date is the one read here
        committed = git(repo, "log", "-1", "--format=%at").stdout.decode().strip()
        ours = parse_git_date(date.decode())
        assert ours is not None and str(ours[0]) == committed


@pytest.mark.parametrize(("variant", "blocks"), [("v2", True), ("v2:01", False)])
def test_a_patch_git_am_stops_at_for_its_date_blocks_the_gate(tmp_path: Path, variant: str, blocks: bool) -> None:
    # Before, v2 READY, exit 0, though git am on v2 stops at its patch 2 ("invalid date format"); v2:01 stops
    # before it.
    (tmp_path / "rules.toml").write_text(RULE)
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    mbox = write_mbox(tmp_path / "v2.mbox", msgs)
    data = mbox.read_bytes()
    at = data.rindex(b"\nDate: ", 0, data.index(b"Message-ID: " + msgs[2]["Message-ID"].encode())) + 1
    mbox.write_bytes(data[:at] + b"Date: Sat, 5 Dec 2026" + data[data.index(b"\n", at):])  # patch 2's
    assert _git_var("Sat, 5 Dec 2026") is None  # the oracle: git commits no such date
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    said = [p for p in g.base_problems if "invalid date format: Sat, 5 Dec 2026" in p]
    assert len(said) == blocks and (g.exit_status == 1) == blocks, (g.headline(), g.base_problems)
    if blocks:
        assert said[0].startswith(f"v2 02/3 <{msgs[2]['Message-ID'].strip('<>')}>"), said


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"])
def test_a_date_without_a_zone_in_an_hour_the_clock_skips_or_repeats_is_read_as_git_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    # Before: time.mktime answered by what this process asked before (glibc starts from the offset its previous
    # call found): after a winter date, an hour repeated in autumn was the winter one; git, asking once, the summer.
    if not Path("/usr/share/zoneinfo", zone).exists():
        pytest.skip(f"no tzdata for {zone}")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        changes = ((3, 8), (3, 29), (4, 5), (10, 4), (10, 25), (11, 1))  # the zones' DST changes of 2026
        days = [f"2026-{m:02d}-{d:02d} {h:02d}:{mi:02d}:00" for m, d in changes for h in (0, 1, 2, 3) for mi in (0, 30)]
        wrong = []
        for prime in ((2026, 1, 5, 10, 0, 0, 0, 0, -1), (2026, 7, 5, 10, 0, 0, 0, 0, -1)):
            for date in days:
                time.mktime(prime)  # glibc's guess of the offset: winter's, then summer's
                ours = parse_git_date(date)
                if (None if ours is None else git_date_string(ours)) != _git_var(date, zone):
                    wrong.append((prime[1], date))
        assert not wrong, wrong
        # git am of a mail whose Date: names no zone commits the same.
        path = tmp_path / "p.eml"
        path.write_bytes(_mail(days[-5].encode()))
        repo = init_repo(tmp_path / "repo")
        env = {**git_env(tmp_path), "TZ": zone}
        subprocess.run(["git", "am", str(path)], cwd=repo, env=env, capture_output=True, check=True)
        committed = subprocess.run(["git", "log", "-1", "--format=%ad", "--date=raw"], cwd=repo, env=env,
                                   capture_output=True, check=True).stdout.decode().strip()
        ours = parse_git_date(days[-5])
        assert ours is not None and git_date_string(ours) == committed, (days[-5], committed)
    finally:
        monkeypatch.undo()
        time.tzset()
