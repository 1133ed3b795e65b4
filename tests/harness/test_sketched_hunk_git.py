"""A reply's sketched '-'/'+' lines with no line numbers are no proposal, and are said.

A reply's '-'/'+' lines under a hunk header with no line numbers ('@@ ... @@ f()', an untested sketch with '...'
elisions) are no proposal, and are said: git mailinfo and git apply find no patch in them (the oracle). They were
dropped unsaid: no variant, no note, nothing under the reply in the series tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, demo_series, write_eml

SKETCH = ("Untested, but roughly:\n\n"
          "@@ ... @@ int demo_call(u64 fn)\n"
          " \tint tries = 3;\n"
          "-\tpr_err(\"DEMO (%llu)\\n\", fn);\n"
          "+\tpr_err(\"DEMO (%#llx)\\n\", fn);\n"
          " \t...\n\nThanks.\n")
NUMBERED = SKETCH.replace("@@ ... @@", "@@ -10,4 +10,4 @@")


def _reply(body: str) -> bytes:
    head = ("From: Una Sketch <una@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 2/3] demo: print fn in decimal\nMessage-ID: <sketch@x>\n"
            "In-Reply-To: <p2-v2@example.org>\nReferences: <cover-v2@example.org> <p2-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "On Mon, Ann Author wrote:\n> Change number 2.\n\n" + body).encode()


def _notes(tmp_path: Path, raw: bytes) -> tuple[list[str], list[tuple[str, int]], int]:
    (tmp_path / "in").mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(tmp_path / "in" / f"{i}.eml", m)
    (tmp_path / "in" / "9.eml").write_bytes(raw)
    series = parse_series(IngestRequest((tmp_path / "in",)))
    reply = next(r for p in series.revisions[0].patches for r in p.replies if r.mail.msgid == "sketch@x")
    return ([n.reason for n in series.notes], [(n.where.path, n.where.line) for n in series.notes],
            len(reply.proposals))


def test_git_apply_finds_no_patch_in_a_sketched_hunk(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V1})
    work = tmp_path / "mi"
    work.mkdir()
    git(work, "mailinfo", str(work / "msg"), str(work / "patch"), stdin=_reply(SKETCH))
    res = git(repo, "apply", "--check", str(work / "patch"), check=False)
    assert res.returncode != 0 and "No valid patches in input" in res.stderr.decode()


def test_a_sketched_hunk_is_said_not_dropped(tmp_path: Path) -> None:
    raw = _reply(SKETCH)
    reasons, places, proposals = _notes(tmp_path, raw)
    line = raw.decode().split("\n").index("@@ ... @@ int demo_call(u64 fn)") + 1
    assert proposals == 0
    assert len(reasons) == 1, reasons
    assert places[0][0].endswith("9.eml") and places[0][1] == line
    assert reasons[0] == ("hunk in the reply of Una Sketch <sketch@x> not read as a proposal: its header "
                          f"'@@ ... @@ int demo_call(u64 fn)' at line {line} gives no line numbers, so git apply "
                          "finds no patch in it (pseudo-code?)")


@pytest.mark.parametrize("body", [NUMBERED, "The @@ ... @@ line of your diff says nothing.\n\nThanks.\n"],
                         ids=["numbered", "prose"])
def test_a_numbered_hunk_or_prose_is_not_said_so(tmp_path: Path, body: str) -> None:
    # A header with numbers is a bare hunk as before (a proposal, placed by harness.hunkfit); '@@' in prose with no
    # '-'/'+' lines below it is no sketch.
    reasons, _, proposals = _notes(tmp_path, _reply(body))
    assert not any("gives no line numbers" in r for r in reasons), reasons
    assert proposals == (1 if body is NUMBERED else 0)
