"""harness.treenames: a word searched in the tree once per base commit, between the processes of a fork too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not hasattr(os, "fork"),
                                reason="git is not installed, or no fork")


def test_a_forked_child_and_this_process_search_a_word_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # eval --jobs 2 judges rules in a child and in this process at once (harness.workers.shared_jobs): two rules
    # listing one name ran the tree's git grep in each (GIT_TRACE: 2 greps with --jobs 2, 1 with --jobs 1).
    import harness.gitbase
    from harness.ingest import IngestRequest, parse_series
    from harness.treenames import tree_names
    from harness.variants import Variant
    from tests.gitoracle import init_repo
    from tests.harness.test_listed_unseen import _v5_only
    from tests.mailgen import write_mbox

    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", _v5_only()),)))
    repo = init_repo(tmp_path / "repo", {"retry.h": "int sc_retry(int x);\n"})
    calls = tmp_path / "calls"
    real = harness.gitbase._names

    def counted(r: object, c: str, w: str) -> bool | None:
        with calls.open("a") as f:  # a child's call too
            f.write(f"{w}\n")
        return real(r, c, w)  # type: ignore[arg-type]

    monkeypatch.setattr(harness.gitbase, "_names", counted)
    search = tree_names(repo, "HEAD", series)
    v5 = cast(Variant, SimpleNamespace(revision=5))
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if search(v5, "sc_retry") is True and search(v5, "nope") is False else 3
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0
    assert [search(v5, w) for w in ("sc_retry", "nope", "other")] == [True, False, False]
    assert calls.read_text().split() == ["sc_retry", "nope", "other"]


def test_a_word_no_line_can_hold_is_searched_unshared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A word with a line break is not written to the shared file (it would read as another word's answer).
    from harness.treenames import _SharedMemo

    memo, asked = _SharedMemo(), list[str]()

    def found() -> bool:
        asked.append("x")
        return True

    assert memo.get(("c" * 40, "a\nb"), found) is True
    assert memo.get(("c" * 40, "a\nb"), found) is True and asked == ["x"]
    assert memo.get(("c" * 40, "b"), lambda: False) is False
    memo.known.clear()
    assert memo.get(("c" * 40, "b"), lambda: True) is False  # read back from the file
