"""A patch mail whose in-body From: a mailer quoted ('>From: Author <a@x>'): git am commits the sender; said so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.mailclientgen import format_patch, git_am

SENDER = "Sam Sender <sam@example.org>"


@pytest.mark.parametrize("line,said", [(">From: J\u00fcrgen Writer <jw@example.org>", True),
                                       ("From: J\u00fcrgen Writer <jw@example.org>", False),  # read by git am
                                       (">From the spec: the retry count.", False)])  # no in-body header
def test_a_quoted_in_body_from_is_said_with_the_author_git_am_commits(tmp_path: Path, line: str, said: bool) -> None:
    _, files = format_patch(tmp_path, [])
    head, body = files[0].read_bytes().split(b"\n\n", 1)
    head = re.sub(rb"(?m)^From: .*(\n .*)*$", f"From: {SENDER}".encode(), head)  # sent by another than the author
    files[0].write_bytes(head + b"\n\n" + line.encode() + b"\n\n" + body)
    [commit] = git_am(tmp_path, [files[0]])  # the oracle: the author git am commits
    assert commit.author == ("J\u00fcrgen Writer" if line.startswith("From:") else "Sam Sender"), commit
    r = CliRunner().invoke(app, ["series", str(files[0])])
    assert r.exit_code == 0, r.output
    notes = [ln for ln in r.output.splitlines() if "in-body From:" in ln]
    assert len(notes) == int(said), r.output
    if said:
        assert f"{files[0]}:" in notes[0] and "git am commits the sender, Sam Sender, as the author" in notes[0], notes
