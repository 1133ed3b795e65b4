"""A file known from mail alone whose end a hunk showed, as git apply holds it.

A file known from mail alone (no tree) whose end a hunk showed: git apply holds a hunk with no context after its
last change to the file's end, so a later patch's hunk at the end written on another state, or reaching past the
end, is refused. Oracle: git apply, patch after patch, on a base holding the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import Where
from harness.filestate import FileState
from harness.patching import apply_file
from tests.gitoracle import git, init_repo
from tests.mailgen import diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

PATH = "arch/x86/virt/vmx/tdx/Makefile"
BASE = "".join(f"# line {n}\n" for n in range(1, 6)) + "obj-y += seamcall.o tdx.o\n"
APPENDED = BASE + "obj-y += seamcall_dbg.o\n"  # a line added at the end: the hunk has no context after it
CUT = BASE.replace("obj-y += seamcall.o tdx.o\n", "")  # the last line removed, again at the end
MIDDLE = APPENDED.replace("# line 3\n", "# line 3\n# line 3a\n")  # a line added in the middle
ENDS_IN_X = APPENDED.replace("# line 5", "# five") + "x.o\n"  # a line changed, one appended
UNENDED = BASE[:-1]  # the last line without its line end
LAST_EDITED = BASE.replace("seamcall.o tdx.o", "seamcall.o tdx.o seamldr.o")
FIRST_EDITED = BASE.replace("# line 4\n", "# line four\n")  # its hunk's context reaches the last line
LONG = "".join(f"# line {n}\n" for n in range(1, 13))
LONG_EDITED = LONG.replace("# line 8\n", "# eight\n")  # its hunk shows lines 5 to 11, not the end
SHORT = LONG_EDITED[:LONG_EDITED.index("# line 11")]  # the same, as if the file ended at line 10

# Each case: the texts each patch was made from and to, in order (old, new): a patch written on another state than
# the one before it is what a series whose patches were reordered, or one dropped, sends.
CASES = {
    "append on the base, after an append": [(BASE, APPENDED), (BASE, BASE + "obj-y += seamldr.o\n")],
    "append on the first's result": [(BASE, APPENDED), (APPENDED, APPENDED + "obj-y += seamldr.o\n")],
    "a line past the end": [(BASE, APPENDED),
                            (APPENDED + "obj-y += x.o\n", APPENDED + "obj-y += x.o seamldr.o\n")],
    "middle edit on the result": [(BASE, APPENDED), (APPENDED, MIDDLE)],
    "append after a middle edit": [(BASE, APPENDED), (APPENDED, MIDDLE), (MIDDLE, MIDDLE + "obj-y += seamldr.o\n")],
    "append that misses the middle edit": [(BASE, APPENDED), (APPENDED, MIDDLE),
                                           (APPENDED, APPENDED + "obj-y += seamldr.o\n")],
    "append after a cut": [(BASE, CUT), (CUT, CUT + "obj-y += seamldr.o\n")],
    "append that misses the cut": [(BASE, CUT), (BASE, BASE + "obj-y += seamldr.o\n")],
    # "\ No newline at end of file": only the last line can lack its line end, and git apply compares line ends.
    "drop the line end, append on the base": [(BASE, UNENDED), (BASE, BASE + "obj-y += seamldr.o\n")],
    "drop the line end, append on its result": [(BASE, UNENDED), (UNENDED, BASE + "obj-y += seamldr.o\n")],
    "drop the line end, edit the last line on the base": [(BASE, UNENDED), (BASE, LAST_EDITED)],
    "drop the line end, edit the last line on its result": [(BASE, UNENDED), (UNENDED, LAST_EDITED[:-1])],
    "add the line end, append on the unended": [(UNENDED, BASE), (UNENDED, BASE + "obj-y += seamldr.o\n")],
    "append unended, append on it ended": [(BASE, BASE + "obj-y += a.o"),
                                           (BASE + "obj-y += a.o\n", BASE + "obj-y += a.o\nobj-y += b.o\n")],
    "unended in context, append as if ended": [(UNENDED, FIRST_EDITED[:-1]), (FIRST_EDITED, FIRST_EDITED + "x\n")],
    "unended in context, append on it": [(UNENDED, FIRST_EDITED[:-1]), (FIRST_EDITED[:-1], FIRST_EDITED + "x\n")],
    "unended in context, read its last line ended": [(UNENDED, FIRST_EDITED[:-1]),
                                                     (FIRST_EDITED, FIRST_EDITED.replace("# line 5\n", ""))],
    "ended in context, then unended there": [(BASE, FIRST_EDITED), (FIRST_EDITED[:-1], FIRST_EDITED + "x\n")],
    # Unended context matches a line with its line end as a prefix (apply.c match_fragment): git runs them together.
    "unended end, unended context in the middle": [(UNENDED, FIRST_EDITED[:-1]),
                                                   (FIRST_EDITED[:FIRST_EDITED.index("# line 5")] + "# line 5",
                                                    FIRST_EDITED[:FIRST_EDITED.index("# line 5")].replace(
                                                        "# line 2", "# line two") + "# line 5")],
    # The end not known, a hunk held to it whose place ends before a line an earlier hunk showed: git puts it at the
    # file's end, past that line, and refuses it there; at its place it matched (before: taken).
    "a cut at a place an earlier hunk showed lines past": [(LONG, LONG_EDITED),
                                                            (SHORT, SHORT[:SHORT.rindex("# line")])],
    "an append at a place an earlier hunk showed lines past": [(LONG, LONG_EDITED), (SHORT, SHORT + "x.o\n")],
    "a hunk reading past the known end at its place": [
        (BASE, APPENDED), (APPENDED, ENDS_IN_X), (ENDS_IN_X + "y.o\n", ENDS_IN_X.replace("x.o", "x2.o") + "y.o\n")],
}


def _ours(texts: list[tuple[str, str]]) -> list[bool]:
    """Whether each patch applies to what the ones before it left, the base known from the hunks alone."""
    state: FileState | None = None
    applied = []
    for n, (old, new) in enumerate(texts, start=1):
        (pf,) = parse_diff(diff(PATH, old, new), Where(f"{n}.patch", 1))
        state, findings = apply_file(state, pf, f"patch {n}")
        applied.append(not any(not f.note for f in findings))
        if not applied[-1]:
            break
    return applied


def _gits(tmp: Path, texts: list[tuple[str, str]]) -> list[bool]:
    repo = init_repo(tmp / "git", {PATH: texts[0][0]})  # the base: what the first patch was made from
    applied = []
    for n, (old, new) in enumerate(texts, start=1):
        (tmp / f"{n}.patch").write_text(diff(PATH, old, new))
        applied.append(git(repo, "apply", str(tmp / f"{n}.patch"), check=False).returncode == 0)
        if not applied[-1]:
            break
    return applied


@pytest.mark.parametrize("case", CASES)
def test_a_hunk_at_a_known_end_applies_as_git_applies_it(tmp_path: Path, case: str) -> None:
    # Before: every case applied from mail alone, the first hunk's end not known (git refuses three of them).
    assert _ours(CASES[case]) == _gits(tmp_path, CASES[case])


def test_the_refusal_says_where_the_end_is() -> None:
    state: FileState | None = None
    for n, (old, new) in enumerate(CASES["append on the base, after an append"], start=1):
        (pf,) = parse_diff(diff(PATH, old, new), Where(f"{n}.patch", 1))
        state, findings = apply_file(state, pf, f"patch {n}")
    [refused] = [f for f in findings if not f.note]
    assert "no context after its last change" in refused.reason and "line 7" in refused.reason, refused.reason
    assert state is not None and not state.usable


def test_a_line_end_refusal_says_what_the_earlier_hunk_showed() -> None:
    state: FileState | None = None
    for n, (old, new) in enumerate(CASES["drop the line end, append on the base"], start=1):
        (pf,) = parse_diff(diff(PATH, old, new), Where(f"{n}.patch", 1))
        state, findings = apply_file(state, pf, f"patch {n}")
    [refused] = [f for f in findings if not f.note]
    assert refused.reason == ("hunk does not apply: line 6 is the file's last, without a line end (\\ No newline at "
                              "end of file) as an earlier hunk showed it; this hunk has line 6 with a line end")
    assert state is not None and not state.usable


def test_a_hunk_held_to_an_end_past_the_lines_shown_is_not_known_to_apply() -> None:
    # Where the file ends, and so where git apply puts the hunk, the mail does not show: not known, not refused.
    state: FileState | None = None
    for n, (old, new) in enumerate(CASES["a cut at a place an earlier hunk showed lines past"], start=1):
        (pf,) = parse_diff(diff(PATH, old, new), Where(f"{n}.patch", 1))
        state, findings = apply_file(state, pf, f"patch {n}")
    [undecided] = [f for f in findings if not f.note]
    assert undecided.reason.startswith("hunk not known to apply: with no context after its last change it goes to "
                                       "the file's end, which is past line 11"), undecided.reason
    assert state is not None and not state.usable


def test_a_hunk_held_to_an_end_at_the_last_line_shown_is_taken() -> None:
    # The earlier hunk showed lines 5 to 11; a patch made on an 11-line file appends after line 11. From mail the file
    # may end there (git refuses it on a 12-line base, takes it on an 11-line one): taken, as a line no hunk shows.
    eleven = LONG_EDITED[:LONG_EDITED.index("# line 12")]
    assert _ours([(LONG, LONG_EDITED), (eleven, eleven + "x.o\n")]) == [True, True]


def _u0_series(tmp: Path, edit: str) -> tuple[Path, Path]:
    """``git format-patch -U0`` of one commit changing LONG with ``edit`` (old line, new line): the patch file, and
    the repository at LONG (the author's base)."""
    repo = init_repo(tmp / "author", {PATH: LONG})
    (repo / PATH).write_text(LONG.replace(*edit.split("|")))
    git(repo, "commit", "-q", "-am", "demo: edit\n\nSigned-off-by: Ann Author <ann@example.org>")
    out = tmp / "mail"
    git(repo, "format-patch", "-q", "-U0", "-o", str(out), "-1")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    (patch,) = out.iterdir()
    return patch, repo


@pytest.mark.parametrize("edit", ["# line 8\n|# eight\n", "# line 6\n|# line 6\n# six and a half\n",
                                  "# line 9\n|"], ids=["changed", "added", "removed"])
def test_a_hunk_with_no_context_is_not_known_to_apply_from_mail_alone(tmp_path: Path, edit: str) -> None:
    """``git diff -U0`` writes hunks with no context: git am holds each to the file's end (apply.c match_end; it
    takes no --unidiff-zero), so on the author's own base it refuses them. From mail alone where the file ends is not
    known: the hunk is not known to apply, the file unusable, never applied where its header says (before: applied
    there and usable, a variant git am never builds)."""
    from typer.testing import CliRunner

    from harness.cli import app

    patch, base = _u0_series(tmp_path, edit)
    wanted = git(base, "hash-object", "--stdin", stdin=LONG.replace(*edit.split("|")).encode()).stdout.strip()
    # The oracle: git am on the author's own base refuses the hunk, or puts the added line at the file's end.
    if git(base, "am", "-q", str(patch), check=False).returncode:
        git(base, "am", "--abort")
    else:
        assert git(base, "rev-parse", f"HEAD:{PATH}").stdout.strip() != wanted
        git(base, "reset", "-q", "--hard", "HEAD~1")
    res = CliRunner().invoke(app, ["apply", str(patch), "--variant", "v1:01", "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and not (tmp_path / "out").exists(), res.output
    assert "hunk not known to apply: it has no context line (a diff made with -U0?)" in res.stderr, res.stderr
    res = CliRunner().invoke(app, ["apply", str(patch), "--variant", "v1:01", "--out", str(tmp_path / "tree"),
                                   "--tree", str(base)])
    assert res.exit_code in (1, 2), res.output  # on the tree as git am: refused, or not the index line's blob


@pytest.mark.parametrize("edit", ["# line 8\n|# eight\n", "# line 9\n|"], ids=["changed", "removed"])
def test_a_hunk_with_no_context_refused_on_the_tree_says_why(tmp_path: Path, edit: str) -> None:
    """On the author's own base git am refuses a -U0 hunk for its missing context (held to the file's end), not for
    a line that differs: said so, and the diff is not said to be edited or mangled (before: 'context differs; the file
    is the pre-image blob its index line names ..., so the diff was edited or mangled after git made it')."""
    from typer.testing import CliRunner

    from harness.cli import app

    patch, base = _u0_series(tmp_path, edit)
    assert git(base, "am", "-q", str(patch), check=False).returncode  # the oracle: git am refuses it
    git(base, "am", "--abort")
    res = CliRunner().invoke(app, ["apply", str(patch), "--variant", "v1:01", "--out", str(tmp_path / "tree"),
                                   "--tree", str(base)])
    assert res.exit_code == 2 and not (tmp_path / "tree").exists(), res.output
    assert "with no context after its last change git apply holds it to the file's end (apply.c match_end), line " \
           f"{LONG.count(chr(10))}" in res.stderr, res.stderr
    assert "edited or mangled" not in res.stderr and "context differs" not in res.stderr, res.stderr


@pytest.mark.parametrize(("edit", "git_applies"), [
    ("# line 1\n|# one\n", False),  # -U0 at line 1: "@@ -1 +1 @@" held to the start and the end of a 12-line file
    ("# line 1\n|# zero\n# line 1\n", False),  # -U0 before line 1: "@@ -0,0 +1 @@", the file must be empty
    (f"{LONG}|# all\n# new\n", True),  # every line replaced: the hunk is the whole file, as its blob id says
], ids=["first line", "before the first", "whole file"])
def test_a_hunk_with_no_context_at_the_start_is_the_whole_file_or_refused(tmp_path: Path, edit: str,
                                                                          git_applies: bool) -> None:
    """A hunk with no context at line 0 or 1 is held to the file's start and end (apply.c match_beginning, match_end):
    git am applies it only to a file that is its pre-image lines alone, which the index line's blob id tells from mail
    alone (before: the -U0 ones applied at the top, the file usable)."""
    from typer.testing import CliRunner

    from harness.cli import app

    patch, base = _u0_series(tmp_path, edit)
    am = git(base, "am", "-q", str(patch), check=False).returncode == 0  # the oracle, on the author's own base
    assert am == git_applies
    res = CliRunner().invoke(app, ["apply", str(patch), "--variant", "v1:01", "--out", str(tmp_path / "out")])
    assert (res.exit_code == 0) == git_applies, res.output
    if not git_applies:
        assert "holds it to the file's start and end (apply.c match_beginning, match_end" in res.stderr, res.stderr
