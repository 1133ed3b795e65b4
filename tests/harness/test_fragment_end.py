"""A file known from mail alone (no tree) whose end a hunk showed: git apply holds a hunk with no context after its
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
    repo = init_repo(tmp / "git", {PATH: BASE})
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
