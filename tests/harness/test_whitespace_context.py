"""A diff whose context differs from the file, said as git apply --check says it.

A diff whose context differs from the file: one wording from a whole file (a tree) and from mail alone, which
says when only whitespace differs (a mailer's tabs turned to spaces). Oracle: git apply --check with and without
--ignore-whitespace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import Where
from harness.filestate import full_file
from harness.patching import apply_file
from harness.pipeline import SeriesRequest, read_inputs
from harness.replyvariants import reply_specs
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, diff, message, patch_body, write_eml

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
ON_TOP = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
CHANGED = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("DEMO_BUSY &&", "DEMO_BUSY && fn &&"))
RESPACED = CHANGED.replace("\t", "    ")
# Context that differs in a letter, not in whitespace: --ignore-whitespace refuses it too.
MISTYPED = CHANGED.replace(" \tdo {\n", " \tdo {{\n", 1)


def _checks(tmp: Path, text: str) -> tuple[bool, bool]:
    """(git apply --check takes it, git apply --check --ignore-whitespace takes it) on the patch's result."""
    repo = init_repo(tmp / "git", {HELPER_PATH: HELPER_V2})
    (tmp / "p.diff").write_text(text)
    plain = git(repo, "apply", "--check", str(tmp / "p.diff"), check=False).returncode == 0
    loose = git(repo, "apply", "--check", "--ignore-whitespace", str(tmp / "p.diff"), check=False).returncode == 0
    shutil.rmtree(tmp / "git")
    return plain, loose


def _tree_reason(text: str) -> str:
    (pf,) = parse_diff(text, Where("p.diff", 1))
    state, findings = apply_file(full_file(HELPER_PATH, HELPER_V2, "base"), pf, "reply", proposal=True)
    assert state is not None and not state.usable, state
    [miss] = [f for f in findings if not f.note]
    return miss.reason


def _mail_reason(tmp: Path, text: str) -> str:
    folder = tmp / "in"
    folder.mkdir()
    one = "[PATCH] demo: try five times"
    write_eml(folder / "0.eml", message(one, "p1@x", patch_body("Five.", ON_TOP)))
    write_eml(folder / "1.eml", message(f"Re: {one}", "r1@x", f"Try:\n\n{text}", sender="Out Look <ol@example.org>",
                                        parent="p1@x", refs=("p1@x",)))
    series = read_inputs(SeriesRequest((folder,)))
    assert reply_specs(series) == ()  # not the code a reviewer sent: no variant
    [note] = [n for n in series.notes if "Out Look" in n.reason]
    shutil.rmtree(folder)
    return note.reason


@pytest.mark.parametrize(("text", "whitespace"), [(RESPACED, True), (MISTYPED, False)])
def test_mail_alone_says_what_a_tree_says_or_that_it_is_not_known(tmp_path: Path, text: str,
                                                                   whitespace: bool) -> None:
    assert _checks(tmp_path, text) == (False, whitespace)
    tree, mail = _tree_reason(text), _mail_reason(tmp_path, text)
    said = "context differs only in whitespace" in tree
    assert said == whitespace and ("--ignore-whitespace would take it" in tree) == whitespace, tree
    line = int(tree.split(" at line ")[1].split()[0])
    start = int(text.split("@@ -")[1].split(",")[0])
    pre = [ln[1:] for ln in text.split("@@\n")[1].splitlines() if ln[:1] in " -"]
    want = next(n for n, (a, b) in enumerate(zip(HELPER_V2.splitlines()[start - 1:], pre, strict=False), start)
                if a != b)
    assert line == want, (tree, want)
    if not whitespace:  # git apply tries nearer places next, in lines no mail shows (harness.hunkplace): not known
        assert "is not known to apply" in mail and mail.endswith("give --tree"), (tree, mail)
        return
    wording = tree.split(" at line")[0]
    assert wording in mail and "hunk does not apply: context differs" in mail, (tree, mail)
    assert f"at line {want}" in mail, (tree, mail, want)


def _crlf(text: str) -> str:
    """The diff as a quoted CRLF mail (Outlook, Exchange) leaves it: each hunk line ends in CR LF."""
    return "".join(ln[:-1] + "\r\n" if ln[:1] in " -+" and not ln.startswith(("---", "+++")) else ln
                   for ln in text.splitlines(keepends=True))


def test_a_hunk_whose_lines_end_in_cr_lf_is_not_said_to_have_its_tabs_turned_to_spaces(tmp_path: Path) -> None:
    text = _crlf(CHANGED)
    assert _checks(tmp_path, text) == (False, True)  # git apply refuses it; --ignore-whitespace takes it
    (first,) = parse_diff(diff(HELPER_PATH, HELPER_V1, HELPER_V2), Where("p1.diff", 1))
    fragments, _ = apply_file(None, first, "p1")  # mail alone: the lines its hunk shows
    assert fragments is not None and not fragments.complete
    (pf,) = parse_diff(text, Where("p2.diff", 1))
    for state in (full_file(HELPER_PATH, HELPER_V2, "base"), fragments):
        _, findings = apply_file(state, pf, "p2")
        [miss] = [f.reason for f in findings if not f.note]
        assert "line ends differ: the hunk's end in CR LF, the file's in LF" in miss, miss
        assert "tabs turned to spaces" not in miss and "--ignore-whitespace would take it" in miss, miss
