"""The same change posted as a diff and as bare hunks is one reviewer variant.

The same change posted for a patch as a diff by one reviewer and as bare hunks (no file headers) by another is one
reviewer variant, of the first, and the other is said, as a diff posted twice is: it was a second variant with the
same code, whichever came first."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import SeriesRequest, read_inputs
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V2, demo_reply, demo_series, diff, write_eml

CHANGE = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("int tries = 5;", "int tries = 7;"))
HUNK = CHANGE[CHANGE.index("@@"):]


def test_git_apply_makes_the_same_file_of_both(tmp_path: Path) -> None:
    # The oracle: the diff as it stands, and the hunk under the file's headers (git apply --recount), give one text.
    texts = []
    for name, patch in (("diff", CHANGE), ("hunk", CHANGE[:CHANGE.index("@@")] + HUNK)):
        repo = init_repo(tmp_path / name, {HELPER_PATH: HELPER_V2})
        (tmp_path / f"{name}.patch").write_text(patch)
        git(repo, "apply", "--recount", str(tmp_path / f"{name}.patch"))
        texts.append((repo / HELPER_PATH).read_text())
    assert texts[0] == texts[1] != HELPER_V2


@pytest.mark.parametrize("hunk_first", [False, True], ids=["diff-first", "hunk-first"])
def test_the_same_change_as_a_diff_and_as_bare_hunks_is_one_variant(tmp_path: Path, hunk_first: bool) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    forms = [("d@x", "Dee Diff", CHANGE), ("h@x", "Hal Hunk", HUNK)]
    if hunk_first:
        forms.reverse()
    for n, (msgid, name, text) in enumerate(forms):
        (folder / f"9{'ab'[n]}.eml").write_bytes(demo_reply(msgid, name, n, "How about:\n\n" + text))
    series = read_inputs(SeriesRequest((folder,)))
    assert [f.msgid for f in series.proposal_fits] == [forms[0][0]]
    (second, first) = (forms[1], forms[0])
    noun = "hunk" if second[2] is HUNK else "diff"
    notes = [n.reason for n in series.notes if "the change" in n.reason]
    assert notes == [f"{noun} in the reply of {second[1]} <{second[0]}> makes the change {first[1]} <{first[0]}> "
                     "posted for v2 03/3: one variant, of the first"], notes
