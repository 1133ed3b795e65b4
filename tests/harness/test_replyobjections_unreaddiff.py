"""A reviewer's diff git apply refuses as it stands: the gate says it could not be read, never quotes its code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_reply, demo_series, diff, write_mbox
from tests.reports.test_reviewer_verdicts import _golden

RULES = ('[[rule]]\nid = "keep-hex"\nreviewer = "Rita Reviewer"\nsummary = "s"\npatch = "print fn in decimal"\n'
         'msgid = "nak-1@example.org"\nquote = "NAK: keep the hex format."\n[rule.check]\nkind = "changelog"\n'
         'must_not_match = "zzz"\n')
# Rita's counter-proposal to v2 3/3: seven tries, with a comment saying so (a line of code that reads as a sentence).
SEVEN = HELPER_V2.replace("\tint tries = 5;", "\t/* Do not retry more than seven times. */\n\tint tries = 7;")


def _damaged(how: str) -> str:
    """The diff as a mailer left it: a long line wrapped, the context lines' leading space stripped, a '+' lost."""
    d = diff(HELPER_PATH, HELPER_V2, SEVEN)
    if how == "wrapped":
        return d.replace("\tint tries = 7;", "\tint\ntries = 7;")
    if how == "unspaced":
        return "".join(ln[1:] if ln.startswith(" ") else ln for ln in d.splitlines(True))
    if how == "unmarked":
        return d.replace("+\t/* Do", "\t/* Do")
    return d


def _gate(tmp: Path, proposal: str, words: str = "") -> tuple[int, str]:
    (tmp / "r.toml").write_text(RULES)
    (tmp / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp / "s.mbox", demo_series(2, 3))
    (tmp / "r.eml").write_bytes(demo_reply("rita@example.net", "Rita Reviewer", 30, f"{words}\n\n{proposal}\n"))
    r = CliRunner().invoke(app, ["gate", str(mbox), str(tmp / "r.eml"), "--variant", "v2", "--rules",
                                 str(tmp / "r.toml"), "--matrix", str(tmp / "m.toml"), "--no-cache"],
                           env={"COLUMNS": "2000"})  # a line each, wherever its folder is
    return r.exit_code, r.stdout.replace(str(tmp), "TMP")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("how", ["wrapped", "unspaced", "unmarked"])
def test_a_reviewer_diff_that_cannot_be_read_is_said_so_at_its_line(tmp_path: Path, how: str) -> None:
    """Rita's diff, damaged as a mailer damages one, is refused by git apply (the oracle); the gate blocked on it
    as a review point quoting its code as her sentence ('+ /* Do not retry more than seven times.'). Now it says
    the diff could not be read, at the reply's line where git apply stops, and blocks (exit 1): the change it
    proposes is not read. Golden: unread_reply_diff_<how>."""
    proposal = _damaged(how)
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V2})
    (tmp_path / "p.diff").write_text(proposal)
    assert git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False).returncode != 0
    status, out = _gate(tmp_path, proposal)
    assert status == 1, out
    said = out[out.index("1 unreadable reply"):out.index("assumed:")]
    line = {"wrapped": 28, "unspaced": 23, "unmarked": 26}[how]  # where git apply stops, in the reply
    assert f"(TMP/r.eml:{line}): \"its diff could not be read: corrupt" in said, said
    assert '"+ /*' not in out and "review point" not in out, out
    _golden(f"unread_reply_diff_{how}", said)


def test_a_diff_s_code_is_no_sentence_of_the_reviewer(tmp_path: Path) -> None:
    """A diff git apply reads (a proposal, a reviewer variant): its added comment was read as Rita's review point
    ('+ /* Do not retry more than seven times.'), the gate NOT READY on it. Her own words are read: 'Please make it
    seven tries:' above the diff is the point, quoted at its line."""
    status, out = _gate(tmp_path, _damaged("none"))
    assert status == 0 and "review point" not in out, out
    status, out = _gate(tmp_path, _damaged("none"), "Please make it seven tries:")
    assert status == 1 and '(TMP/r.eml:15): "Please make it seven tries:"' in out, out
    assert "Do not retry" not in out, out
