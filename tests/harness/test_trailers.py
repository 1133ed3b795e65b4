"""Commit-message trailers: git interpret-trailers --parse is the oracle (trailer.c)."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.errors import Where
from harness.ingest import IngestRequest, parse_series
from harness.trailers import commit_trailers, find_separator
from tests.gitoracle import _HOME, git_env
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, write_eml

HAS_GIT = shutil.which("git") is not None
WHERE = Where("m.eml", 1, "m@x")

# Line shapes trailer.c tells apart: trailers (git-generated or not), indented quotes and continuations,
# comments, dividers, blank and blank-looking lines, old "Conflicts:" blocks, scissors, near-misses.
SHAPES = [
    "Signed-off-by: Ann <ann@example.org>", "Reviewed-by: Bob <bob@example.org>", 'Fixes: 0123abcd ("x: y")',
    "Link: https://lore.example.org/r/1@x", "Cc: <cc@example.org>", "Acked-by:", "Token : spaced", "V: v",
    "-: dash", "a-b-: c", "signed-off-by: lower <l@x>", "Signed-off-by:Ann", "Tested-by: T\t<t@x>  ",
    "    Reviewed-by: Quoted <q@example.org>", "\tcontinued value", "  indented: quoted", "  ", " ",
    "Key word: not a trailer", ":nokey", "Non-ASCII-\u00e9: x", "[bp: massaged]", "plain text line",
    "Reported-by: Mid Paragraph <mid@example.org> told us", "(cherry picked from commit 0123abcd)",
    "#comment", "---", "--- a/x", "Conflicts:", "\tpath/file.c",
    "# ------------------------ >8 ------------------------", "https://lore.example.org/x", "", "", "",
]


def _bodies(seed: int, count: int, longest: int) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body = [rng.choice(SHAPES) for _ in range(rng.randint(0, longest))]
        scissors = [i for i, t in enumerate(body) if t.startswith("# ---")]
        divider = [i for i, t in enumerate(body) if t.startswith("---")]
        # git 2.39 interpret-trailers never returns on a scissors line after a "---" divider (a git bug).
        if not (scissors and divider and divider[0] < scissors[-1]):
            out.append(body)
    return out


def _git_parse(body: list[str]) -> list[str] | None:
    data = ("Subject\n\n" + "".join(t + "\n" for t in body)).encode()
    try:
        res = subprocess.run(["git", "interpret-trailers", "--parse"], input=data, capture_output=True,
                             env=git_env(_HOME), timeout=10, check=True)
    except subprocess.TimeoutExpired:
        return None
    return [t.rstrip() for t in res.stdout.decode().splitlines()]


def _ours(body: list[str]) -> list[str]:
    return [f"{t.key}: {t.value}".rstrip() for t in commit_trailers(list(enumerate(body, start=10)), WHERE)]


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.parametrize(("seed", "longest"), [(1, 4), (2, 9), (3, 20)])
def test_trailers_agree_with_git_interpret_trailers(seed: int, longest: int) -> None:
    checked = 0
    for body in _bodies(seed, 150, longest):
        theirs = _git_parse(body)
        if theirs is None:
            continue
        assert _ours(body) == theirs, body
        checked += 1
    assert checked > 100


def test_only_the_last_paragraph_and_never_indented_lines() -> None:
    body = ["This reverts the change below, whose message said:", "",
            "    Reviewed-by: Dave <dave@example.org>", "    Signed-off-by: Old <old@example.org>", "",
            "Reported-by: Mid <mid@example.org> told us", "about the regression.", "",
            "Signed-off-by: A U Thor <a@example.org>"]
    assert _ours(body) == ["Signed-off-by: A U Thor <a@example.org>"]


def test_a_quarter_of_trailers_with_a_git_generated_one() -> None:
    body = ["Text.", "", "Reviewed-by: R <r@x>", "[bp: massaged the log]", "more words", "Signed-off-by: S <s@x>"]
    assert _ours(body) == ["Reviewed-by: R <r@x>", "Signed-off-by: S <s@x>"]
    # Without the git-generated Signed-off-by: the paragraph is not all trailers, so none.
    assert _ours([*body[:-1], "Acked-by: S <s@x>"]) == []


def test_folded_value_unfolded_and_where_is_its_first_line() -> None:
    got = commit_trailers([(20, "Text."), (21, ""), (22, "Link: https://x/"), (23, "  more"),
                           (24, "Signed-off-by: A <a@x>")], WHERE)
    assert [(t.key, t.value, t.where.line) for t in got] == [
        ("Link", "https://x/ more", 22), ("Signed-off-by", "A <a@x>", 24)]


@pytest.mark.parametrize(("line", "at"), [("Key: v", 3), ("Key : v", 4), (" Key: v", -1), ("Key word: v", -1),
                                          (":v", 0), ("K\u00e9y: v", -1), ("a-b: c", 3)])
def test_separator_as_trailer_c(line: str, at: int) -> None:
    assert find_separator(line) == at


def test_patch_trailers_in_a_series(tmp_path: Path) -> None:
    log = ("Revert it; its message said:\n\n    Signed-off-by: Old <old@example.org>\n\n"
           "Reported-by: Mid <mid@example.org> told us\nabout it.")
    body = f"{log}\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{diff(HELPER_PATH, HELPER_V0, HELPER_V1)}"
    series = parse_series(IngestRequest((write_eml(tmp_path / "m.eml", message("[PATCH] r", "r@x", body)),)))
    p = series.all_patches()[0]
    assert [(t.key, t.value) for t in p.trailers] == [("Signed-off-by", "Ann Author <ann@example.org>")]
    lines = (tmp_path / "m.eml").read_text().splitlines()
    assert lines[p.trailers[0].where.line - 1] == "Signed-off-by: Ann Author <ann@example.org>"
