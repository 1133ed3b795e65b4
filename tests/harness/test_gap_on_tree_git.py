"""A later patch given alone on a --tree base: what happened there is said as git apply says it.

Patch 03 given alone on a --tree base that is to hold patches 01-02: what happened there is said (harness.gapbase),
the failure as git apply reports it, never "built without v1 patches 1-2", which the base may well hold."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.gitoracle import git, init_repo
from tests.harness.test_unitdefs import MATRIX, SEAM_H, SEAMCALL_C, UNIT_C

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
RULE = ('[[rule]]\nid = "same"\nreviewer = "Ann Author"\nsummary = "probe as before"\nseverity = "error"\n'
        '[rule.check]\nkind = "equivalence"\nreference = "v1:00"\nscenarios = { entry = "probe" }\n')


def _setup(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """An author's tree with three commits made patches, the cover letter and 03 alone kept; a 'fixed' branch holding
    01-02 in another form than the author's (the line 03's context reads changed). Returns the repository, the folder
    of 03 and the two bases: the author's commit after 02, and the fixed one."""
    src = SEAMCALL_C.format(static="")
    repo = init_repo(tmp_path / "linux", {"x/seam.h": SEAM_H, "x/seamcall.c": src, "x/tdx.c": UNIT_C.format(tail=""),
                                          "x/Makefile": "obj-y += tdx.o seamcall.o\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    for text, what in ((src.replace("70", "71"), "seventy-one"),
                       (src.replace("70", "71").replace("err == 7", "err == 8"), "eight"),
                       (src.replace("70", "72").replace("err == 7", "err == 8"), "seventy-two")):
        (repo / "x/seamcall.c").write_text(text)
        git(repo, "commit", "-q", "-am", f"x: {what}\n\nMake it {what}.\n\nSigned-off-by: A <a@example.org>")
    after_two = git(repo, "rev-parse", "HEAD~1").stdout.decode().strip()
    git(repo, "format-patch", "-q", "--cover-letter", "-o", str(tmp_path / "out"), f"{base}..HEAD")
    git(repo, "checkout", "-q", "-b", "fixed", base)
    (repo / "x/seamcall.c").write_text(src.replace("70", "71").replace("err == 7", "err == 9"))
    git(repo, "commit", "-q", "-am", "x: 01-02 as the maintainer applied them")
    only = tmp_path / "only"
    only.mkdir()
    for p in (tmp_path / "out").glob("000[03]-*.patch"):
        shutil.copy(p, only / p.name)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "rules.toml").write_text(RULE)
    return repo, only, after_two, "fixed"


def _note(tmp_path: Path, repo: Path, only: Path, base: str) -> tuple[VerdictStatus, str]:
    g = evaluate_gate(GateRequest((only,), "v1", tree=repo, base=base, matrix=tmp_path / "m.toml",
                                  rules=tmp_path / "rules.toml", jobs=1, time_budget=0))
    (v,) = g.verdicts
    return v.status, " ".join(v.note.split())


def test_a_lone_patch_that_does_not_apply_on_the_base_says_where_as_git_apply_does(tmp_path: Path) -> None:
    # Before: 'v1 is built without v1 patches 1-2 (of 3), which the input lacks: the patches after it were applied
    # without it, so its code is not the series'', though it was applied on a base meant to hold them, and failed.
    repo, only, _, fixed = _setup(tmp_path)
    (patch,) = only.glob("0003-*.patch")
    git(repo, "checkout", "-q", fixed)
    check = git(repo, "apply", "--check", str(patch), check=False)
    failed = re.search(rb"patch failed: (\S+:\d+)", check.stderr)
    assert check.returncode != 0 and failed is not None, check.stderr  # the oracle
    status, note = _note(tmp_path, repo, only, fixed)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"v1 03/3 does not apply there: patch failed at {failed.group(1).decode()} (hunk @@ " in note, note
    assert note.startswith(f"v1 does not build on its base, {repo} at ") and "built without" not in note, note
    assert note.endswith("the base's x/seamcall.c is not the one v1 03/3 was made on, the series' after v1 patches "
                         "1-2 (of 3), which the input lacks"), note


def test_a_lone_patch_on_the_blobs_it_was_made_on_says_what_is_not_known(tmp_path: Path) -> None:
    # The base is the author's own commit after 02: 03's pre-image is there, git apply takes it. Still not known to be
    # the series' state (01-02 may change other files the base lacks), and said so, not "built without" them.
    repo, only, after_two, _ = _setup(tmp_path)
    (patch,) = only.glob("0003-*.patch")
    git(repo, "checkout", "-q", after_two)
    assert git(repo, "apply", "--check", str(patch), check=False).returncode == 0  # the oracle
    status, note = _note(tmp_path, repo, only, after_two)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "in place of v1 patches 1-2 (of 3), which the input lacks: the base has the blobs the patches after them " \
        "name as their pre-images, but whether it holds what the missing patches change in other files is not " \
        "known; give every patch up to 3" in note and "built without" not in note, note
