"""A reviewer's bare hunk in a reply: placed and applied as ``git apply`` places and applies it (git is the oracle)."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.diffmodel import Hunk
from harness.errors import ApplyError, Where
from harness.filestate import full_file
from harness.model import Mail, ProposalKind
from harness.patching import apply_file
from harness.replydiffs import find_proposals
from harness.reviewer import _placed_hunk, locate_hunk
from harness.subject import parse_subject
from tests.gitoracle import _HOME, git_env

HAS_GIT = shutil.which("git") is not None
BLOCK = ["\tret = demo_call(fn);", "\tif (ret)", "\t\treturn ret;", ""]
MAIL = Mail("r@x", parse_subject("Re: [PATCH] demo"), "Rita", "rita@example.org", "", None, (),
            Where("r.eml", 1, "r@x"))


def _file(rng: random.Random) -> str:
    """A function with the same three lines in it a few times (and other code between)."""
    lines = ["/* demo */", "static int demo(u64 fn)", "{", "\tu64 ret;", ""]
    for k in range(rng.randint(2, 4)):
        lines += BLOCK if rng.random() < 0.7 else [f"\tother_{k}();", ""]
    return "\n".join([*lines, "\treturn 0;", "}"]) + "\n"


def _hunk(text: str) -> Hunk:
    (proposal,), _ = find_proposals(list(enumerate(text.split("\n"), start=10)), MAIL)
    assert proposal.kind is ProposalKind.HUNK
    return proposal.hunks[0]


def _ours(text: str, hunk_text: str) -> str | None:
    """The file after the reply's hunk, or None when it is refused."""
    state = full_file("f.c", text, "base")
    try:
        target, start = locate_hunk(_hunk(hunk_text), (state,), None)
    except ApplyError:
        return None
    new, found = apply_file(state, _placed_hunk(_hunk(hunk_text), target, start), "proposal")
    assert new is not None and not [f for f in found if not f.note]
    return new.text


def _git(tmp: Path, text: str, hunk_text: str) -> str | None:
    (tmp / "f.c").write_text(text)
    res = subprocess.run(["git", "apply", "--unsafe-paths", "--directory=", "-"], cwd=tmp, env=git_env(_HOME),
                         input=f"--- a/f.c\n+++ b/f.c\n{hunk_text}\n".encode(), capture_output=True, timeout=30)
    return (tmp / "f.c").read_text() if res.returncode == 0 else None


def _case(rng: random.Random, extra: list[str]) -> tuple[str, str]:
    """A file and a reviewer's hunk against one of its repeated blocks, with a header line that may be off."""
    text = _file(rng)
    lines = text.split("\n")[:-1]
    starts = [i for i in range(len(lines)) if lines[i : i + 3] == BLOCK[:3]] or [0]
    at = rng.choice(starts)
    first = max(0, at - rng.randint(0, 2))
    before, after = lines[first:at], lines[at + 3 : at + 3 + rng.randint(1, 2)]
    body = [" " + t for t in before] + ["-" + lines[at], "+\tret = demo_call_retry(fn);", *extra,
                                         *(" " + t for t in lines[at + 1 : at + 3]), *(" " + t for t in after)]
    old = len(before) + 3 + len(after)
    hint = max(1, first + 1 + rng.choice([0, 0, 1, -1, 3, -4]))
    return text, f"@@ -{hint},{old} +{hint},{old + len(extra)} @@\n" + "\n".join(body)


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.parametrize("seed", range(4))
def test_a_hunk_lands_where_git_apply_puts_it(tmp_path: Path, seed: int) -> None:
    """Context found several times, header lines off by a few or -1: the same file as git apply, or both refuse."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=git_env(_HOME))
    for _ in range(40):
        text, hunk = _case(rng, rng.choice([[], ["+\t\t/* retried */"]]))
        assert _ours(text, hunk) == _git(tmp_path, text, hunk), hunk


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_a_hunk_whose_tabs_a_mailer_expanded_gives_what_git_gives_the_clean_hunk(tmp_path: Path) -> None:
    """git apply refuses the damaged hunk; the proposal is taken (a place matching but for blanks) and its added
    lines get their tabs back, the diff marker's column counted toward the first tab stop."""
    rng = random.Random(7)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=git_env(_HOME))
    for _ in range(40):
        text, hunk = _case(rng, ["+\t\t/* retried */", "+\t   aligned();"])
        damaged = "\n".join(t if t.startswith("@@") else t.expandtabs(8) for t in hunk.split("\n"))
        assert _git(tmp_path, text, damaged) is None or damaged == hunk
        assert _ours(text, damaged) == _git(tmp_path, text, hunk)


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.parametrize(("text", "hunk", "expected"), [
    # apply.c find_pos, from the +N line (0-based N - 1): there, one after, one before, two after, ...
    ("a\n" + "x\ny\nz\n" * 3, "@@ -6,3 +6,3 @@\n x\n-y\n+Y\n z", "a\nx\ny\nz\nx\nY\nz\nx\ny\nz\n"),
    ("a\n" + "x\ny\nz\n" * 3, "@@ -3,3 +3,3 @@\n x\n-y\n+Y\n z", "a\nx\nY\nz\nx\ny\nz\nx\ny\nz\n"),
    ("a\n" + "x\ny\nz\n" * 3, "@@ -7,3 +7,3 @@\n x\n-y\n+Y\n z", "a\nx\ny\nz\nx\ny\nz\nx\nY\nz\n"),
    # no trailing context: only at the file's end; -1: only at its start (both: the whole file)
    ("x\ny\nz\nx\ny\n", "@@ -3,2 +3,2 @@\n x\n-y\n+Y", "x\ny\nz\nx\nY\n"),
    ("x\ny\nz\nx\ny\n", "@@ -1,2 +1,2 @@\n x\n-y\n+Y", None),
    ("q\nx\ny\nz\n", "@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z", None),
    # " * comment" at the top level: one blank is no tab stop and stays one blank
    ("/*\n * old\n */\nint x;\n", "@@ -1,3 +1,3 @@\n /*\n- * old\n+ * new\n  */", "/*\n * new\n */\nint x;\n"),
])
def test_pinned_places(tmp_path: Path, text: str, hunk: str, expected: str | None) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=git_env(_HOME))
    assert _git(tmp_path, text, hunk) == expected
    assert _ours(text, hunk) == expected
