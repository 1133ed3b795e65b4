"""What a patch that moves code is said to move (harness.movefind, harness.reach.moved_by)."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import MATRIX, RETRY_C


def test_a_renamed_file_moves_only_what_it_held_under_that_name(tmp_path: Path) -> None:
    # One patch renames demo/helper.h to demo/internal.h (git format-patch -M), renaming demo_retry() to
    # demo_try_again() and adding demo_new() in it. Before: 'moves demo_new, demo_prerr, demo_try_again, demo_retry ->
    # demo_try_again (...)': the new helper and the rename's new name read as moved from demo/helper.h.
    from harness.findings import FindingKind
    from harness.pipeline import EvalRequest, evaluate
    from tests.gitoracle import git, init_repo

    text = "#ifndef DEMO_H\n#define DEMO_H\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu") + "#endif\n"
    repo = init_repo(tmp_path / "linux", {"demo/demo.c": "int demo;\n"})
    (repo / "demo/helper.h").write_text(text)
    git(repo, "add", "demo/helper.h")
    git(repo, "commit", "-q", "-m", "demo: add helpers")
    git(repo, "mv", "demo/helper.h", "demo/internal.h")
    extra = "static inline int demo_new(u64 fn)\n{\n\treturn 1;\n}\n"
    (repo / "demo/internal.h").write_text(text.replace("demo_retry", "demo_try_again").replace("#endif\n",
                                                                                                extra + "#endif\n"))
    git(repo, "commit", "-q", "-am", "demo: rename the helper header")
    mbox = tmp_path / "p.mbox"
    mbox.write_bytes(git(repo, "format-patch", "-M", "--stdout", "-2").stdout)
    assert "rename from demo/helper.h" in mbox.read_text()
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    found = next(f for f in ev.comparison.findings if f.kind in (FindingKind.CODE_MOVE, FindingKind.CODE_MOVE_CHANGED,
                                                                  FindingKind.CODE_MOVE_NOT_COMPARED))
    assert found.text.startswith("moves DEMO_BUSY, demo_prerr, demo_retry -> demo_try_again (body 100% the same) "
                                 "(demo/helper.h -> demo/internal.h)"), found.text
