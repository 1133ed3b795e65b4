"""A diff in a reply to the cover letter is tried on the revision's result.

A diff in a reply to the cover letter answers no one patch and may touch several patches' files: it is tried on
the revision's result (the state after its last patch) and is a variant on top of that patch where git apply takes
it there, said with the state it is built on; else it says why not. Oracle: git am of the series, then git apply
--check of the diff. Before, every such diff was no variant ('tried on no state')."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.apply import ApplyRequest, apply_variants
from harness.pipeline import SeriesRequest, read_inputs
from harness.replyvariants import reply_specs
from tests.gitoracle import git, init_repo
from tests.mailgen import diff, message, patch_body, write_eml, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
A, B = "demo/a.h", "demo/b.c"
A1 = "#ifndef A_H\n#define A_H\n\n#define DEMO_TRIES 3\n\nint demo_try(int fn);\n\n#endif\n"
B1 = ('#include "a.h"\n\nint demo_try(int fn)\n{\n\tint i;\n\n\tfor (i = 0; i < DEMO_TRIES; i++)\n'
      "\t\tif (fn)\n\t\t\treturn 0;\n\treturn -1;\n}\n")
COVER = "cover@x"
BOTH = diff(A, A1, A1.replace("TRIES 3", "TRIES 5")) + diff(B, B1, B1.replace("return -1;", "return -16;"))
# Written on a b.c that neither patch makes ('return -2'): git apply refuses it on the series' result.
STALE = diff(A, A1, A1.replace("TRIES 3", "TRIES 5")) + diff(B, B1.replace("-1;", "-2;"), B1)


def _series(tmp: Path, reply: str) -> tuple[Path, list[Path]]:
    folder = tmp / "in"
    folder.mkdir()
    mails = [message("[PATCH 0/2] demo: tries", COVER, "Two files.\n"),
             message("[PATCH 1/2] demo: add a.h", "p1@x", patch_body("Header.", diff(A, None, A1)),
                     parent=COVER, refs=(COVER,)),
             message("[PATCH 2/2] demo: add b.c", "p2@x", patch_body("Code.", diff(B, None, B1)),
                     parent=COVER, refs=(COVER,))]
    patches = write_mbox(tmp / "p.mbox", mails[1:])
    mails.append(message("Re: [PATCH 0/2] demo: tries", "r1@x", f"For the series:\n\n{reply}",
                         sender="Cora Cover <cora@example.org>", parent=COVER, refs=(COVER,)))
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    repo = init_repo(tmp / "git", {"README": "demo\n"})
    git(repo, "am", "-q", str(patches))
    return folder, [repo]


def _git_takes(tmp: Path, repo: Path, text: str) -> bool:
    (tmp / "r.diff").write_text(text)
    return git(repo, "apply", "--check", str(tmp / "r.diff"), check=False).returncode == 0


def test_a_cover_letter_diff_on_two_patches_files_is_built_on_the_last_patch(tmp_path: Path) -> None:
    folder, [repo] = _series(tmp_path, BOTH)
    assert _git_takes(tmp_path, repo, BOTH)
    series = read_inputs(SeriesRequest((folder,)))
    (spec,) = reply_specs(series)
    assert spec.start == "v1:02" and spec.name == "v1:02+cora-cover" and spec.drop == (), spec
    assert "on top of v1 02/2 (a reply to the cover letter: on the revision's last patch)" in spec.description
    said = [n.reason for n in series.notes if "r1@x" in n.reason]
    assert said == ["diff in the reply of Cora Cover <r1@x> to the cover letter answers no one patch: git apply takes "
                    "it on top of v1 02/2, the revision's last patch, and its variant is built there"], said
    tree = init_repo(tmp_path / "tree", {"README": "demo\n"})
    built = apply_variants(ApplyRequest(series, tree, "HEAD", None, (spec.name,)))
    git(repo, "apply", str(tmp_path / "r.diff"))
    for path in (A, B):
        f = built.get(spec.name).file(path)
        assert f is not None and f.complete and f.text == (repo / path).read_text(), path


def test_a_cover_letter_diff_git_apply_refuses_on_the_last_patch_says_why(tmp_path: Path) -> None:
    folder, [repo] = _series(tmp_path, STALE)
    assert not _git_takes(tmp_path, repo, STALE)
    series = read_inputs(SeriesRequest((folder,)))
    assert reply_specs(series) == ()
    [said] = [n.reason for n in series.notes if "r1@x" in n.reason]
    assert said.startswith("diff in the reply of Cora Cover <r1@x> to the cover letter does not apply on top of v1 "
                           "02/2, the revision's last patch (the one state a diff answering no one patch is tried "
                           f"on): {B} @@ "), said
    assert said.endswith(": no variant (a manifest variant names its start)"), said
