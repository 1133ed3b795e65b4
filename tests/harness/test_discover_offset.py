"""Functions a patch changes are found where git apply put the hunk.

The functions a patch changes, run directly where no usual entry can run, are found where git apply put the
hunk, not at its header's line numbers."""

from __future__ import annotations

from pathlib import Path

from harness.matrix import EntryKind
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox


def test_a_changed_function_is_found_where_its_hunk_was_placed(tmp_path: Path) -> None:
    # The tree has five lines more at the file's top than the patch's base: the hunk lands five lines further on,
    # in demo_fmt(). Read at its header's lines, the change fell in demo_other(), which was run in its place.
    h = ("static inline int demo_other(u64 fn)\n{\n\treturn (int)fn + 7;\n}\n\n"
         "static inline int demo_fmt(u64 fn)\n{\n\treturn (int)fn + 1;\n}\n")
    pad = "".join(f"/* line {n} */\n" for n in range(1, 6))
    tree = init_repo(tmp_path / "tree", {"demo/h.h": pad + h, "demo/demo.c": '#include "h.h"\n'})
    text = diff("demo/h.h", h, h.replace("fn + 1", "fn + 2"))
    (tmp_path / "p.diff").write_text(text)
    assert "(offset 5 lines)" in git(tree, "apply", "-v", "--check", str(tmp_path / "p.diff")).stderr.decode()
    mbox = write_mbox(tmp_path / "o.mbox", [message("[PATCH] demo: fmt returns more", "o1@x",
                                                    patch_body("Change.", text))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", tree=tree, base="HEAD", cache=None, jobs=1))
    assert [e.name for e in ev.matrix.entries if e.kind is EntryKind.CHANGED] == ["demo_fmt"]
