"""A hunk ending short of its header's counts is said as git apply says it.

A hunk that ends short of its header's counts (a mailer joined lines: a format=flowed soft break) is said as git
apply says it, "corrupt patch at line N", at the line git names: the oracle is git mailinfo and git apply --check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, write_eml


def _git_corrupt_line(tmp_path: Path, patch: bytes) -> tuple[int, str]:
    """The line git apply --check names as corrupt in ``patch``, and that line's text (the oracle)."""
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V1})
    (tmp_path / "p.diff").write_bytes(patch)
    res = git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False)
    m = re.search(r"corrupt patch at line (\d+)", res.stderr.decode())
    assert res.returncode and m is not None, res.stderr
    n = int(m.group(1))
    lines = patch.decode().split("\n")
    return n, lines[n - 1] if n <= len(lines) else ""


def test_a_diff_that_ends_inside_a_hunk_is_corrupt_where_git_apply_says(tmp_path: Path) -> None:
    # It was 'bad diff: Hunk is shorter than expected' at the hunk's header; git: 'corrupt patch at line N', N the
    # line after the diff's last. That line was named, 'p.diff:N' of a file of N - 1 lines: the last is, which git
    # apply reads past.
    good = diff(HELPER_PATH, HELPER_V1, HELPER_V2).splitlines(keepends=True)
    text = "".join(good[:-1])  # the last context line gone
    n, _ = _git_corrupt_line(tmp_path, text.encode())
    assert n == len(text.splitlines()) + 1
    with pytest.raises(InputError) as exc:
        parse_diff(text, Where("p.diff", 1))
    assert exc.value.where is not None and exc.value.where.line == n - 1
    assert ("corrupt patch: the diff ends here, inside the hunk at line 5, which lacks 1 old line and 1 new line"
            in exc.value.message)


def _flowed_reply(diff_text: str) -> bytes:
    """A Thunderbird-like format=flowed reply to 2/3 proposing ``diff_text``: lines starting with a space stuffed
    with another, so a blank context line (" ") ends in a space, a soft break that joins it to the next line."""
    body = "".join(" " + ln if ln.startswith(" ") else ln for ln in diff_text.splitlines(keepends=True))
    head = ("From: Pat Flow <pat@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 2/3] demo: print fn in decimal\nMessage-ID: <flow@x>\n"
            "In-Reply-To: <p2-v2@example.org>\nReferences: <cover-v2@example.org> <p2-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "How about:\n\n" + body + "\nReviewed-by: Pat Flow <pat@example.net>\n").encode()


def test_a_flowed_soft_break_in_a_reply_s_diff_is_said_where_git_apply_stops(tmp_path: Path) -> None:
    # git mailinfo joins each blank context line to the next: the hunk lacks two lines, reads the empty line below
    # the diff as context and stops at the Reviewed-by line. It was 'bad diff: Hunk is shorter than expected' at
    # the diff's first line.
    raw = _flowed_reply(diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    (tmp_path / "in").mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(tmp_path / "in" / f"{i}.eml", m)
    (tmp_path / "in" / "9.eml").write_bytes(raw)
    patch = git(tmp_path, "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch"), stdin=raw).returncode == 0 \
        and (tmp_path / "patch").read_bytes()
    assert patch
    _, text = _git_corrupt_line(tmp_path, patch)
    assert text.startswith("Reviewed-by:")
    line = raw.decode().split("\n").index(text) + 1  # the line git names, in the mail
    series = parse_series(IngestRequest((tmp_path / "in",)))
    (note,) = series.notes
    assert note.where.line == line and note.where.path.endswith("9.eml")
    assert f"not read as a proposal: corrupt patch at line {line} ('Reviewed-by:" in note.reason


def _stripped_reply(diff_text: str) -> bytes:
    """A reply to 2/3 proposing ``diff_text`` as a mailer that strips trailing spaces sends it: a blank context
    line (" ") is an empty line, the hunk's last one followed by the empty line above the reply's trailer."""
    body = "".join("\n" if ln == " \n" else ln for ln in diff_text.splitlines(keepends=True))
    head = ("From: Pat Strip <pat@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 2/3] demo: print fn in decimal\nMessage-ID: <strip@x>\n"
            "In-Reply-To: <p2-v2@example.org>\nReferences: <cover-v2@example.org> <p2-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "How about:\n\n" + body + "\nReviewed-by: Pat Strip <pat@example.net>\n").encode()


def _git_takes(tmp_path: Path, raw: bytes) -> bool:
    """Whether git mailinfo and git apply --check take the reply's diff on 2/3's result (the oracle)."""
    work = tmp_path / "oracle"
    work.mkdir()
    git(work, "mailinfo", str(work / "msg"), str(work / "patch"), stdin=raw)
    repo = init_repo(work / "repo", {HELPER_PATH: HELPER_V1})
    return git(repo, "apply", "--check", str(work / "patch"), check=False).returncode == 0


def _read_reply(tmp_path: Path, raw: bytes) -> tuple[object, ...]:
    from harness.model import ProposalKind
    from harness.proposalfit import unfit_proposals

    (tmp_path / "in").mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(tmp_path / "in" / f"{i}.eml", m)
    (tmp_path / "in" / "9.eml").write_bytes(raw)
    series = parse_series(IngestRequest((tmp_path / "in",)))
    (reply,) = (r for rev in series.revisions for pa in rev.patches for r in pa.replies if r.mail.msgid == "strip@x")
    unfit, fits = unfit_proposals(series)
    return [p for p in reply.proposals if p.kind is ProposalKind.DIFF], series.notes, unfit, fits


def test_a_short_last_hunk_the_empty_lines_below_complete_is_a_proposal_as_git_takes_it(tmp_path: Path) -> None:
    # The hunk's last line, a blank context line, lost its space: git reads the empty line as context and takes
    # the diff (mailinfo, apply --check). It was no proposal ('made up only by the empty line(s) below the diff').
    raw = _stripped_reply(diff(HELPER_PATH, HELPER_V1, HELPER_V2, context=2))
    assert _git_takes(tmp_path, raw)
    diffs, notes, unfit, fits = _read_reply(tmp_path, raw)
    assert len(diffs) == 1 and diffs[0].files[0].hunks[0].lines[-1].text == "", diffs
    line = raw.decode().split("\n").index(" \tu64 ret;") + 2  # the empty line the hunk ends with
    (note,) = notes
    assert note.where.line == line and "completed by the 1 empty line below it" in note.reason, note
    assert unfit == () and len(fits) == 1 and fits[0].msgid == "strip@x", (unfit, fits)


def test_a_short_last_hunk_whose_empty_lines_below_do_not_fit_is_refused_as_git_refuses_it(tmp_path: Path) -> None:
    # The hunk's last context line (' \tdo {') dropped as well: git reads the empty line below in its place, then
    # finds the context wrong; no variant of it, and said.
    text = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace(" \tdo {\n", "")
    raw = _stripped_reply(text)
    assert not _git_takes(tmp_path, raw)
    _, _, unfit, fits = _read_reply(tmp_path, raw)
    assert fits == () and len(unfit) == 1 and "does not apply to" in unfit[0].reason, (unfit, fits)
