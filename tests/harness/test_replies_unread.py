"""A diff in a reply that git apply refuses as it stands is no proposal, and is said (Series.notes), never dropped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from harness.model import Reply, Skipped
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, flow, message, write_eml

runner = CliRunner()


def _hard_wrapped(text: str, width: int) -> str:
    """The text as a mailer sends a reply it wraps at ``width`` with format=flowed, read by one that does not
    unwrap it: each soft break becomes a line break (RFC 3676 encoding, the trailing-space mark lost)."""
    return "\n".join(ln.rstrip(" ") for ln in flow(text.encode(), delsp=False, width=width).decode().split("\n"))


def _damaged() -> tuple[str, str]:
    """A diff of the demo helper and its copy with the added line wrapped as a mailer wraps a long line."""
    good = diff(HELPER_PATH, HELPER_V1, HELPER_V2).splitlines()
    i = next(k for k, ln in enumerate(good) if ln.startswith("+") and not ln.startswith("+++"))
    wrapped = _hard_wrapped(good[i], len(good[i]) - 2).split("\n")
    assert len(wrapped) == 2
    return "\n".join(good) + "\n", "\n".join(good[:i] + wrapped + good[i + 1:]) + "\n"


def _short_hunk() -> str:
    """A diff whose first hunk lacks a line its header counts (a mailer ate it)."""
    good = diff(HELPER_PATH, HELPER_V1, HELPER_V2).splitlines()
    last = max(i for i, ln in enumerate(good) if ln.startswith(" "))
    return "\n".join(good[:last] + good[last + 1:]) + "\n"


def _write(tmp_path: Path, proposal: str) -> Path:
    body = f"Try this:\n\n{proposal}\nThanks.\n"
    r = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@x", body,
                sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                refs=("cover-v2@example.org", "p2-v2@example.org"))
    for i, m in enumerate([*demo_series(), r]):
        write_eml(tmp_path / f"{i}.eml", m)
    return tmp_path / "4.eml"


def _git_refuses(tmp_path: Path, text: str) -> str:
    """git apply --check's complaint about the diff (the oracle), on the file it patches; '' when it applies."""
    repo = init_repo(tmp_path / f"repo{len(list(tmp_path.glob('repo*')))}", {HELPER_PATH: HELPER_V1})
    (repo.parent / "p.diff").write_text(text)
    res = git(repo, "apply", "--check", str(repo.parent / "p.diff"), check=False)
    return res.stderr.decode() if res.returncode else ""


def test_good_diff_is_a_proposal_and_no_note(tmp_path: Path) -> None:
    good, _ = _damaged()
    assert _git_refuses(tmp_path, good) == ""
    (tmp_path / "in").mkdir()
    _write(tmp_path / "in", good)
    series = parse_series(IngestRequest((tmp_path / "in",)))
    reply = series.revisions[0].patch(2).replies[0]  # type: ignore[union-attr]
    assert len(reply.proposals) == 1 and reply.unread == () and series.notes == ()


def _refused(tmp_path: Path, bad: str) -> tuple[Skipped, Reply, Path]:
    """The one note of a reply to 2/3 holding the damaged diff ``bad``, which is no proposal; the reply; its mail."""
    (tmp_path / "in").mkdir()
    mail = _write(tmp_path / "in", bad)
    series = parse_series(IngestRequest((tmp_path / "in",)))
    reply = series.revisions[0].patch(2).replies[0]  # type: ignore[union-attr]
    assert reply.proposals == ()
    (note,) = series.notes
    return note, reply, mail


def test_wrapped_diff_is_said_at_the_line_git_apply_calls_corrupt(tmp_path: Path) -> None:
    _, bad = _damaged()
    why = _git_refuses(tmp_path, bad)
    corrupt = re.search(r"corrupt patch at line (\d+)", why)
    assert corrupt is not None, why
    note, reply, mail = _refused(tmp_path, bad)
    assert note == reply.unread[0]
    lines = mail.read_text().splitlines()
    start = lines.index(bad.splitlines()[0]) + 1
    assert note.where.line == start + int(corrupt.group(1)) - 1  # the line git names, in the mail
    assert "corrupt diff at line" in note.reason and "<r1@x>" in note.reason


def test_a_wrapped_diff_git_line_is_said_as_git_apply_says_it_not_inside_a_hunk(tmp_path: Path) -> None:
    # A mailer wrapped the long "diff --git a/... b/..." line: git apply refuses it at the wrapped half ("git diff
    # header lacks filename information ... (line 2)"); it was a proposal (the --- and +++ lines named the file), and
    # once refused it was said as "'b/drivers/demo/helper.h' inside a hunk".
    good, _ = _damaged()
    bad = good.replace(f" b/{HELPER_PATH}\n", f"\nb/{HELPER_PATH}\n", 1)
    why = _git_refuses(tmp_path, bad)
    at = re.search(r"lacks filename information.*\(line (\d+)\)", why)
    assert at is not None, why
    note, _, mail = _refused(tmp_path, bad)
    start = mail.read_text().splitlines().index(bad.splitlines()[0]) + 1
    assert note.where.line == start + int(at.group(1)) - 1, note
    assert "lacks filename information" in note.reason and "inside a hunk" not in note.reason, note.reason


def test_short_hunk_is_said(tmp_path: Path) -> None:
    # The hunk lacks its last context line, and the empty line below the diff is one to git apply, which reads the
    # diff and finds its context wrong ("patch does not apply"), not corrupt: a proposal, said to be completed by
    # that line, which does not apply (harness.proposalfit); a hunk lacking two lines reads on into "Thanks." and is
    # corrupt there, as git says (tests/harness/test_short_hunk_git.py: a format=flowed reply).
    from harness.proposalfit import unfit_proposals

    bad = _short_hunk()
    why = _git_refuses(tmp_path, bad + "\nThanks.\n")
    assert "corrupt" not in why and "patch does not apply" in why
    (tmp_path / "in").mkdir()
    _write(tmp_path / "in", bad)
    series = parse_series(IngestRequest((tmp_path / "in",)))
    (note,) = series.notes
    assert "its last hunk is completed by the 1 empty line below it" in note.reason, note
    unfit, fits = unfit_proposals(series)
    assert fits == () and len(unfit) == 1 and "hunk does not apply: context differs" in unfit[0].reason, unfit


def test_series_says_it_in_json_and_terminal(tmp_path: Path) -> None:
    _, bad = _damaged()
    (tmp_path / "in").mkdir()
    mail = _write(tmp_path / "in", bad)
    r = runner.invoke(app, ["series", str(tmp_path / "in"), "--json"])
    assert r.exit_code == 0, r.output
    (note,) = json.loads(r.stdout)["notes"]
    assert note["path"] == str(mail) and "corrupt diff at line" in note["reason"]
    said = f"seamharness: note: {mail}:{note['line']}: diff in the reply of Rita Reviewer <r1@x> not read"
    assert r.stderr.startswith(said)
    r = runner.invoke(app, ["series", str(tmp_path / "in")], env={"COLUMNS": "500"})
    assert r.exit_code == 0 and r.stderr.startswith(said)
    # The file and line, as every other place is said (before: 'at line N', which of the mails not told).
    assert f"not a proposal at {mail}:{note['line']}: " in r.stdout


def test_eval_and_gate_reports_carry_it(tmp_path: Path) -> None:
    """A CI job reads the reports, not stderr: the unused diff is an input-note finding in report.json (and the
    page) and an input_notes line in the gate's JSON; neither changes the exit status."""
    from tests.harness.test_lore_expiry import _gate_files

    _, bad = _damaged()
    (tmp_path / "in").mkdir()
    mail = _write(tmp_path / "in", bad)
    gate = _gate_files(tmp_path)
    r = runner.invoke(app, ["eval", str(tmp_path / "in"), "--matrix", str(tmp_path / "m.toml"), "--no-cache",
                            "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html")])
    assert r.exit_code in (0, 1), r.output
    (found,) = [f for f in json.loads((tmp_path / "r.json").read_text())["findings"] if f["kind"] == "input-note"]
    assert found["subject"].startswith(f"{mail}:") and "corrupt diff at line" in found["text"]
    assert "input-note" in (tmp_path / "r.html").read_text()
    r = runner.invoke(app, ["gate", str(tmp_path / "in"), *gate, "--json", str(tmp_path / "g.json")])
    assert r.exit_code in (0, 1), r.output
    (line,) = json.loads((tmp_path / "g.json").read_text())["input_notes"]
    assert line.startswith(f"{mail}:") and "not read as a proposal" in line


def test_a_diff_in_an_html_only_reply_is_said(tmp_path: Path) -> None:
    # Rita's proposal in HTML only: b4 and git am read no HTML, so it is no proposal; it was dropped without a word.
    good, _ = _damaged()
    (tmp_path / "in").mkdir()
    eml = _write(tmp_path / "in", good)
    escaped = good.replace("&", "&amp;").replace("<", "&lt;")
    html = f"<html><body><p>Try this:</p><pre>{escaped}</pre></body></html>"
    head = eml.read_text().split("\n\n", 1)[0].replace("text/plain", "text/html")
    head = re.sub(r"Content-Transfer-Encoding: \S+", "Content-Transfer-Encoding: 8bit", head)
    eml.write_text(f"{head}\n\n{html}\n")
    series = parse_series(IngestRequest((tmp_path / "in",)))
    assert series.revisions[0].patch(2).replies[0].proposals == ()  # type: ignore[union-attr]
    (note,) = series.notes
    assert note.reason.endswith("not read as a proposal: the reply has no plain-text part (b4 and git am read no "
                                "other)"), note
