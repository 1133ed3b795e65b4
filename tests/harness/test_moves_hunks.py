"""A long moved body spread over several hunks: a change far down it is found.

A moved body of 80+ lines spread over several hunks (git diff's myers interleaving it with a look-alike it passes,
patience and histogram cutting it from one place and pasting it in another, or another file): a change far down the
body is found, and the same move without it is a pure move."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.findings import FindingKind
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the diffs' shapes

# Every line runs and every test goes both ways under MATRIX's answers (0x11, 0): only the answers next to the test
# far down the body (0x111: the mask's bit 8) tell '& 0xff' from '& 0x1ff'.
TEST = "\tif ((ret & 0xff) == 0x11)\n\t\treturn 1;\n"
CHANGED = TEST.replace("0xff", "0x1ff")


def _body(name: str, k: int) -> str:
    steps = "".join(f"\tacc += ret ^ {k * 100 + i};\n" for i in range(70))
    return (f"int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 ret = __seamcall(fn, args);\n"
            f"\tu64 acc = 0;\n\n{steps}\n{TEST}\treturn acc ? 2 : 0;\n}}\n")


BIG = _body("demo_big", 1)
# Most of its lines too, a few apart: myers' diff matches BIG's lines with it and cuts BIG's move into many hunks.
TWIN = _body("demo_twin", 1).replace("^ 105;", "^ 999;").replace("^ 130;", "^ 998;").replace("^ 160;", "^ 997;")
MATRIX = ('[codes]\nOK = 0\nA = 0x11\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\npath = "d/b.c"\n[[entry]]\n'
          'name = "demo_big"\nargs = ["fn", "args"]\n[[entry]]\nname = "demo_twin"\nargs = ["fn", "args"]\n'
          '[[script]]\nname = "a"\nanswers = ["A"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
SHAPES = {  # name: (files before, files after with BIG as moved, --diff-algorithm)
    "myers, interleaved with its look-alike": ({"d/b.c": BIG + "\n" + TWIN}, {"d/b.c": TWIN + "\n" + BIG}, "myers"),
    "patience, cut and pasted": ({"d/b.c": BIG + "\n" + TWIN}, {"d/b.c": TWIN + "\n" + BIG}, "patience"),
    "histogram, cut and pasted": ({"d/b.c": BIG + "\n" + TWIN}, {"d/b.c": TWIN + "\n" + BIG}, "histogram"),
    "to another file": ({"d/a.c": BIG, "d/b.c": TWIN}, {"d/a.c": "/* moved */\n", "d/b.c": TWIN + "\n" + BIG},
                        "histogram"),
}


def _judged(tmp_path: Path, shape: str, changed: bool) -> tuple[dict[str, Any], list[Any], int]:
    """The moves rule's JSON row, eval's code-move findings, and how many hunks the move patch has."""
    before, after, algorithm = SHAPES[shape]
    repo = init_repo(tmp_path / "repo", {"d/Makefile": "obj-y += y.o\n"})
    for files, title in ((before, "demo: add"), (after, "demo: move demo_big")):
        for path, text in files.items():
            (repo / path).write_text(text.replace(TEST, CHANGED) if changed and files is after else text)
        (repo / "d/Makefile").write_text("obj-y += a.o b.o y.o\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", title)
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(git(repo, "format-patch", f"--diff-algorithm={algorithm}", "--cover-letter", "-2",
                         "--stdout").stdout)
    move = mbox.read_text().split("Subject: [PATCH 2/2]")[1]
    _, rule, _ = moves_gate(tmp_path, mbox, MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    return rule, [f for f in ev.comparison.findings if f.kind.name.startswith("CODE_MOVE")], move.count("\n@@ ")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_big_body_moved_over_hunks_unchanged_is_a_pure_move(tmp_path: Path, shape: str) -> None:
    rule, found, hunks = _judged(tmp_path, shape, changed=False)
    assert hunks >= (4 if shape.startswith("myers") else 2), hunks
    assert rule["verdict"] == "pass", rule
    assert [f.kind for f in found] == [FindingKind.CODE_MOVE], found


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_change_far_down_a_big_body_moved_over_hunks_is_found(tmp_path: Path, shape: str) -> None:
    # The test's line ran both ways on both sides, and every scripted answer agrees: eval's value runs (0x111) told
    # the two apart ('return 1 -> 2'), the moves rule did not run them and passed (READY, exit 0).
    rule, found, hunks = _judged(tmp_path, shape, changed=True)
    assert hunks >= (4 if shape.startswith("myers") else 2), hunks
    assert rule["verdict"] == "fail", rule
    assert "neighbour-0x111" in " ".join(str(e["scenario"]) for e in rule["evidence"]), rule["evidence"]
    assert [f.kind for f in found] == [FindingKind.CODE_MOVE_CHANGED], found
