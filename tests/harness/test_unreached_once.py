"""A line changed in place outside every definition the hunks show whole is one unreached place, not two."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from tests.mailgen import diff, message, patch_body, write_mbox

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "x/a.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def test_a_call_renamed_in_a_function_the_hunk_shows_in_part_is_said_once(tmp_path: Path) -> None:
    # The hunk shows the middle of a long function (not its head), where a call is renamed: the old and the new
    # line have the same number. Both sides' line was said, each as 'x/a.c:15 (in no definition the hunks show
    # whole: give --tree), which no entry point is known to reach': the same sentence twice.
    body = "".join(f"\tstep{i}();\n" for i in range(12))
    old = f"int long_one(void)\n{{\n{body}\tdo_it(1);\n{body}\treturn 0;\n}}\n"
    new = old.replace("do_it(1);", "do_that(1);")
    mbox = write_mbox(tmp_path / "m.mbox", [message("[PATCH] x: rename a call", "r1@x",
                                                    patch_body("Rename.", diff("x/a.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    unreached = list(ev.comparison.per_patch[0].unreached)
    assert any("x/a.c:15" in t for t in unreached), unreached
    assert len(unreached) == len(set(unreached)), unreached


def test_a_place_numbered_apart_on_the_two_sides_says_its_file_once(tmp_path: Path) -> None:
    # The patch adds a helper above helper() and changes a line of it: the changed line is line 10 before and 15 after.
    # It was said 'helper() (x/a.c:10 in v1:00, x/a.c:15 in v1:01)', the path twice; now once.
    probe = "int probe(void)\n{\n\treturn 0;\n}\n\n"
    helper = "static int helper(int a)\n{\n\tint b = a;\n\n\treturn b + 1;\n}\n"
    extra = "static int extra(void)\n{\n\treturn 2;\n}\n\n"
    old = probe + helper
    new = probe + extra + helper.replace("b + 1", "b + 2")
    mbox = write_mbox(tmp_path / "m.mbox", [message("[PATCH] x: change a helper", "r2@x",
                                                    patch_body("Change.", diff("x/a.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    unreached = list(ev.comparison.per_patch[0].unreached)
    # From mail alone x/a.c is known only from the hunk: who calls helper() is not seen (harness.reach, Reach.UNSEEN).
    assert "helper() (x/a.c:10 in v1:00, line 15 in v1:01; from mail alone, callers in the tree are not seen: give " \
        "--tree)" in unreached, unreached
