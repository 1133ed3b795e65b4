"""Which paths a patch may touch, against git am: a file deleted or renamed away, a rename onto a file, a swap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.apply import ApplyRequest, apply_variants
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import am, git, init_repo
from tests.mailgen import blob, diff, message, patch_body, write_eml

A = "drivers/demo/a.c"
B = "drivers/demo/b.c"
C = "drivers/demo/c.c"
TEXT = {p: "".join(f"{p} line {i}\n" for i in range(1, 9)) for p in (A, B, C)}


def _edit(path: str, old: str) -> tuple[str, str]:
    """A one-line change of ``old`` at ``path``: (diff, new text)."""
    new = old.replace("line 2\n", "line two\n")
    return diff(path, old, new), new


def _move(kind: str, src: str, dst: str) -> str:
    return f"diff --git a/{src} b/{dst}\nsimilarity index 100%\n{kind} from {src}\n{kind} to {dst}\n"


def _cases() -> dict[str, list[str]]:
    edit_a, _ = _edit(A, TEXT[A])
    hunks = _edit(B, TEXT[A])[0].split("\n", 2)[2].replace(f"--- a/{B}", f"--- a/{A}")
    return {
        # git am takes every one of these.
        "swap": [_move("rename", A, B) + _move("rename", B, A)],
        "rename-back": [_move("rename", A, C + ".tmp"), _move("rename", C + ".tmp", A)],
        "delete-recreate-edit": [diff(A, TEXT[A], None), diff(A, None, TEXT[A]), edit_a],
        "rename-then-edit-new-name": [_move("rename", A, C + ".new"), _edit(C + ".new", TEXT[A])[0]],
        "copy-then-edit-source": [_move("copy", A, C + ".copy") + edit_a],
        # git diff -C writes the source's edit first, then the copy (of the source before the patch).
        "edit-source-then-copy": [edit_a + _move("copy", A, C + ".copy")],
        "edit-source-then-copy-edited": [edit_a + _move("copy", A, C + ".copy").replace("100%", "90%")
                                         + hunks.replace(f"+++ b/{B}", f"+++ b/{C}.copy")],
        # git am refuses these: "does not exist in index", "has been renamed/deleted", "already exists".
        "edit-after-delete": [diff(A, TEXT[A], None), edit_a],
        "edit-after-rename": [_move("rename", A, C + ".new"), edit_a],
        "edit-old-name-same-patch": [_move("rename", A, C + ".new") + edit_a],
        "rename-onto-file": [_move("rename", A, B)],
        "copy-onto-file": [_move("copy", A, B)],
        "rename-onto-file-edited": [_move("rename", A, B).replace("100%", "90%") + hunks],
        "delete-twice": [diff(A, TEXT[A], None), diff(A, TEXT[A], None)],
    }


def _mails(tmp: Path, diffs: list[str]) -> list[Path]:
    n = len(diffs)
    return [write_eml(tmp / f"{k:04d}.eml", message(f"[PATCH {k}/{n}] demo: step {k}", f"p{k}@example.org",
                                                    patch_body(f"Step {k}.", d)))
            for k, d in enumerate(diffs, start=1)]


@pytest.mark.parametrize("case", list(_cases()))
def test_paths_as_git_am_takes_them(tmp_path: Path, case: str) -> None:
    mails = _mails(tmp_path, _cases()[case])
    tree = init_repo(tmp_path / "tree", dict(TEXT))
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    series = parse_series(IngestRequest(tuple(mails)))
    ours = apply_variants(ApplyRequest(series, tree=tree, base=head)).get("v1")
    commits, error = am(tree, mails)
    if not error:
        assert not ours.base_problems, [str(f) for f in ours.base_problems]
        want = commits[-1].blobs
        have = {f.path: f.blob for f in ours.files if not f.absent}
        touched = {p for p in have} | {p for p in TEXT if p not in want}
        for path in touched:
            assert have.get(path) == want.get(path), (path, have, want)
        return
    # git stops at a patch, naming the path; ours must not call that path usable from there on.
    named = re.search(r"error: (?:path )?(\S+?):? (?:does not exist|has been renamed|already exists)", error)
    assert named, error
    failed = len(commits) + 1  # the commits git am made, the base not counted
    state = apply_variants(ApplyRequest(series, tree=tree, base=head)).get(f"v1:{failed:02d}") \
        if failed < len(mails) else ours
    problems = [f for f in state.base_problems if f.path == named.group(1)]
    assert problems, (error, [str(f) for f in state.findings])
    f = state.file(named.group(1))
    assert f is None or not f.usable


def test_a_swap_keeps_both_files(tmp_path: Path) -> None:
    """Each side of a swap reads the other's file as it was before the patch (apply.c previous_patch)."""
    mails = _mails(tmp_path, [_move("rename", A, B) + _move("rename", B, A)])
    tree = init_repo(tmp_path / "tree", dict(TEXT))
    v = apply_variants(ApplyRequest(parse_series(IngestRequest(tuple(mails))), tree=tree, base="HEAD")).get("v1")
    assert {f.path: f.blob for f in v.files} == {A: blob(TEXT[B]), B: blob(TEXT[A])}


@pytest.mark.parametrize("index_mode", ["100644", "100755"])
@pytest.mark.parametrize("tree_mode", ["100644", "100755"])
def test_mode_as_git_am_leaves_it(tmp_path: Path, index_mode: str, tree_mode: str) -> None:
    """The ``index`` line's mode is the mode a patch expects, not one it sets: git am keeps the tree's."""
    change, _ = _edit(A, TEXT[A])
    mails = _mails(tmp_path, [change.replace(" 100644\n", f" {index_mode}\n", 1)])
    tree = init_repo(tmp_path / "tree", dict(TEXT))
    (tree / A).chmod(0o755 if tree_mode == "100755" else 0o644)
    git(tree, "commit", "-q", "-a", "--allow-empty", "-m", "mode")
    v = apply_variants(ApplyRequest(parse_series(IngestRequest(tuple(mails))), tree=tree, base="HEAD")).get("v1")
    commits, error = am(tree, mails)
    assert not error and len(commits) == 2
    theirs = git(tree, "ls-tree", "HEAD", "--", A).stdout.decode().split()[0]
    f = v.file(A)
    assert f is not None and f.usable and f.blob == commits[-1].blobs[A] and f.mode == theirs == tree_mode


def test_eval_never_says_no_change_of_a_patch_git_am_refuses(tmp_path: Path) -> None:
    """A patch to the old name of a file the previous patch renamed: git am stops there; eval says the change
    is not in the state after it, never "no behaviour change" (the helpers still run from the new name)."""
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.seriesgen import NEW_HOME, OLD_HOME, RETRY_LOST, RETRY_SAFE, helpers

    before, after = helpers(RETRY_SAFE), helpers(RETRY_LOST)
    mails = _mails(tmp_path, [_move("rename", OLD_HOME, NEW_HOME), diff(OLD_HOME, before, after)])
    # The tree has the matrix's unit tdx.c (a unit it lacked ran nothing: not provided in every state), which names
    # the helpers' header at each home (one it does not include runs in no unit: harness.norun).
    tdx = '#include <asm/tdx.h>\n#include "seamcall_internal.h"\n\nint tdx;\n'
    tree = init_repo(tmp_path / "tree", {OLD_HOME: before, "arch/x86/virt/vmx/tdx/tdx.c": tdx})
    ev = evaluate(EvalRequest(tuple(mails), tree=tree, jobs=1))
    commits, error = am(tree, mails)
    assert len(commits) == 1 and "does not exist in index" in error
    second = ev.comparison.per_patch[1]
    assert second.compared and not second.unchanged
    assert any(OLD_HOME in why and "not in v1" in why for why in second.not_run), second.not_run


def test_base_found_on_a_branch_head_does_not_hold(tmp_path: Path) -> None:
    """HEAD on a branch started before the series' base (no base-commit: line): the base is searched for on
    every branch, as git am needs it checked out; HEAD's history alone holds no commit the patches fit."""
    change, _ = _edit(A, TEXT[A])
    mails = _mails(tmp_path, [change])
    tree = init_repo(tmp_path / "tree", {B: TEXT[B]})
    git(tree, "branch", "-q", "side")
    (tree / A).parent.mkdir(parents=True, exist_ok=True)
    (tree / A).write_text(TEXT[A])
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "add a")
    base = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    git(tree, "checkout", "-q", "side")
    v = apply_variants(ApplyRequest(parse_series(IngestRequest(tuple(mails))), tree=tree)).get("v1")
    assert f"at {base[:12]} (best match" in v.base and "1 of 1 pre-image blobs match" in v.base, v.base
    git(tree, "checkout", "-q", base)
    commits, error = am(tree, mails)
    f = v.file(A)
    assert not error and f is not None and f.usable and f.blob == commits[-1].blobs[A]
