"""A counter-proposal below a scissors line is a reviewer variant, as git am --scissors commits it.

A reviewer's counter-proposal below a scissors line in a "Re: [PATCH]" reply is a reviewer variant, and its files
are the ones ``git am --scissors`` commits of that reply: in place of the patch it answers (a diff against the state
before it) or on top of it (a diff against its result)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, blob, demo_series, diff, write_eml

SEVEN_V1 = HELPER_V1.replace("int tries = 3;", "int tries = 7;")
SEVEN_V2 = HELPER_V2.replace("int tries = 5;", "int tries = 7;")


def _reply(tmp: Path, proposed: str) -> Path:
    head = ("From: Rita Reviewer <rita@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 3/3] demo: try five times\nMessage-ID: <r1@example.net>\n"
            "In-Reply-To: <p3-v2@example.org>\nReferences: <cover-v2@example.org> <p3-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:30:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n")
    body = ("On Mon, Ann Author wrote:\n> Change number 3.\n\nSeven is better. How about this instead:\n\n-- >8 -- cut "
            "here --\nFrom: Rita Reviewer <rita@example.net>\nSubject: [PATCH] demo: try seven times\n\n"
            "Seven tries.\n\nSigned-off-by: Rita Reviewer <rita@example.net>\n---\n" + proposed)
    (tmp / "reply.eml").write_bytes((head + body).encode())
    return tmp / "reply.eml"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize(("before", "after", "name", "under"), [
    (HELPER_V1, SEVEN_V1, "v2:03~rita-reviewer", 2),  # in place of 3/3: git am --scissors on 1/3 and 2/3
    (HELPER_V2, SEVEN_V2, "v2:03+rita-reviewer", 3),  # on top of 3/3
])
def test_a_scissors_counter_proposal_is_the_variant_git_am_scissors_commits(
        tmp_path: Path, before: str, after: str, name: str, under: int) -> None:
    mails = [write_eml(tmp_path / f"{n}.eml", m) for n, m in enumerate(demo_series(2, 3))]
    reply = _reply(tmp_path, diff(HELPER_PATH, before, after))
    tree = init_repo(tmp_path / "tree", {"README": "demo\n"})
    base = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["apply", *map(str, (*mails, reply)), "--variant", name, "--out", str(out),
                                   "--tree", str(tree), "--base", base])
    assert res.exit_code == 0, res.output
    git(tree, "am", "--quiet", *map(str, mails[1 : under + 1]))
    git(tree, "am", "--quiet", "--scissors", str(reply))
    said = git(tree, "log", "-1", "--format=%an%x00%s%x00%b").stdout.decode().split("\0")
    assert said[:2] == ["Rita Reviewer", "demo: try seven times"] and not said[2].startswith("On Mon")
    theirs = git(tree, "rev-parse", f"HEAD:{HELPER_PATH}").stdout.decode().strip()
    assert blob((out / HELPER_PATH).read_text()) == theirs == blob(after)
