"""Patch mails forwarded whole ("Fwd: [PATCH 1/3] ..."): read as replies, as b4 reads them; git am applies them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.mailclientgen import format_patch, git_am


@pytest.mark.parametrize("prefix", ["Fwd: ", "FW: ", "Re: "])
def test_only_patch_mails_with_a_reply_prefix_name_the_prefix_and_what_git_am_makes_of_them(
        tmp_path: Path, prefix: str) -> None:
    out, files = format_patch(tmp_path, ["--subject-prefix=PATCH v2"])
    for f in files:
        f.write_bytes(f.read_bytes().replace(b"\nSubject: [PATCH v2 ", f"\nSubject: {prefix}[PATCH v2 ".encode(), 1))
    assert len(git_am(tmp_path, files)) == 3  # the oracle: git am applies each as the patch it is
    r = CliRunner().invoke(app, ["series", str(out)])
    # Before: 'no patches found in DIR: 3 messages, none of them a patch: 3 replies', the prefix unsaid.
    assert r.exit_code == 2, r.output
    [line] = [ln for ln in r.output.splitlines() if ln.strip()]
    assert "no patches found" in line and "3 replies, each with a diff" in line, line
    assert f"'{prefix}[PATCH v2 1/3] demo: add helper'" in line and "git am applies" in line, line
    assert "Traceback" not in r.output


def test_replies_without_a_diff_are_counted_as_before(tmp_path: Path) -> None:
    mail = tmp_path / "r.eml"
    mail.write_bytes(b"From: Mae Maint <mae@example.org>\nSubject: Re: [PATCH v2 1/3] demo: add helper\n"
                     b"Message-ID: <r1@example.org>\nIn-Reply-To: <p1@example.org>\n\nLooks fine.\n")
    r = CliRunner().invoke(app, ["series", str(mail)])
    assert r.exit_code == 2 and r.output.rstrip().endswith("none of them a patch: 1 reply"), r.output
