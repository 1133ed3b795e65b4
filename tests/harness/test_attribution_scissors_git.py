"""Scissors lines as git mailinfo --scissors reads them (is_scissors_line), against git itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.attribution import is_scissors
from tests.gitoracle import git

LINES = [
    "-- >8 --", "---8<---", "----- 8< -----", "------------------------ >8 ------------------------",
    "-- >8 -- cut here --", "- - >8 - - remove everything above this line - - >8 - -", ">% cut here %<",
    "- - - \u2702 - - - \u2702 - - -", "  -- >8 --  ", "-->8--", ">8", "8<", "-- 8<", "------ >8",
    "-- >8 -- this is not a scissors line at all, only text", "Use -- >8 -- to cut a message", "> 8 <",
    "--- >8 ---\t", "-  -  -  >8  -  -  -", "--------", "==== >8 ====", "-- >% --",
]


def _git_cuts(tmp: Path, line: str) -> bool:
    mail = (f"From: A <a@example.org>\nSubject: [PATCH] x\n\nAbove.\n{line}\nBelow.\n---\n"
            "diff --git a/x b/x\n").encode()
    work = tmp / "scissors"
    work.mkdir(exist_ok=True)
    git(work, "mailinfo", "--scissors", str(work / "msg"), str(work / "patch"), stdin=mail)
    return not (work / "msg").read_text().startswith("Above.")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
def test_scissors_lines_are_git_mailinfos(tmp_path: Path) -> None:
    wrong = [(line, is_scissors(line)) for line in LINES if is_scissors(line) != _git_cuts(tmp_path, line)]
    assert not wrong, wrong
