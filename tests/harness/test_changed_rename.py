"""A changed function that its patch moves and renames is compared with its old self.

A function a patch changes, run directly (entry kind 'changed'), that the patch moves and renames is compared
with its old self: never "new" in the per-patch view, and a change made on the way shows (harness.discover,
harness.renamepair, harness.movefind)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.explain import DiffClass
from harness.findings import FindingKind, ReportFinding
from harness.matrix import EntryKind
from harness.pipeline import EvalRequest, Evaluation, evaluate
from reports.terminal import comparison_lines
from tests.gitoracle import init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

_ERR = 'static void demo_err(u64 fn, u64 err)\n{\n\tpr_err("DEMO (%llu) failed: %#llx\\n", fn, err);\n}\n'
_C = '#include "h.h"\n\n' + _ERR + "\nint demo_use(u64 fn)\n{\n\tdemo_err(fn, 1);\n\treturn 0;\n}\n"
_H = "#ifndef H\n#define H\n\nstatic inline int demo_other(u64 fn)\n{\n\treturn (int)fn;\n}\n\n#endif\n"


def _moved(tmp_path: Path, params: str = "u64 fn, u64 err", fmt: str = "%#llx", call: str = "fn, 1",
           other: bool = False) -> Evaluation:
    """One patch: demo_err(), static in demo.c, moves to h.h as demo_p_err() (``params``, printing with ``fmt``),
    its caller with it. No matrix entry is defined: the changed functions are run directly. ``other``: a second
    unit, other.c, includes h.h too."""
    new = f'static inline void demo_p_err({params})\n{{\n\tpr_err("DEMO (%llu) failed: {fmt}\\n", fn, err);\n}}\n'
    h2 = _H.replace("\n#endif\n", f"\n{new}\n#endif\n")
    c2 = f'#include "h.h"\n\nint demo_use(u64 fn)\n{{\n\tdemo_p_err({call});\n\treturn 0;\n}}\n'
    files = {"demo/h.h": _H, "demo/demo.c": _C} | ({"demo/other.c": '#include "h.h"\n'} if other else {})
    tree = init_repo(tmp_path / "tree", files)
    text = diff("demo/h.h", _H, h2) + diff("demo/demo.c", _C, c2)
    mbox = write_mbox(tmp_path / "o.mbox", [message("[PATCH] demo: move the error printer to h.h", "o1@x",
                                                    patch_body("Move it.", text))])
    unit = '[[unit]]\nname = "other.c"\npath = "demo/other.c"\n\n'
    (tmp_path / "m.toml").write_text(MATRIX.replace("[[entry]]", unit + "[[entry]]", 1) if other else MATRIX)
    return evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", tree=tree, base="HEAD", cache=None, jobs=1))


def _move(ev: Evaluation) -> ReportFinding:
    return next(f for f in ev.comparison.findings if f.kind.value.startswith("code-move"))


def test_a_changed_function_moved_and_renamed_is_compared_with_its_old_self(tmp_path: Path) -> None:
    # demo_p_err() was run alone and called new ("demo_p_err() is new: this patch defines it"), while the
    # code-move finding said the same patch moves demo_err -> demo_p_err without changing behaviour.
    ev = _moved(tmp_path)
    kinds = {e.name: e.kind for e in ev.matrix.entries}
    assert kinds["demo_err"] is kinds["demo_p_err"] is EntryKind.CHANGED
    cmp = ev.comparison.per_patch[-1]
    assert [(r.old, r.new, r.compared) for r in cmp.renamed] == [("demo_err", "demo_p_err", 8)]
    assert not cmp.changed and not any("is new" in line for line in cmp.summary())
    assert cmp.verdict().endswith("(renamed demo_err -> demo_p_err)")
    assert _move(ev).kind is FindingKind.CODE_MOVE


def test_a_changed_function_renamed_with_another_output_shows_the_change(tmp_path: Path) -> None:
    ev = _moved(tmp_path, fmt="%llx")
    cmp = ev.comparison.per_patch[-1]
    renamed = [d for d in cmp.differences if d.scenario.entry.name == "demo_p_err"]
    assert renamed and all(d.classes == (DiffClass.LOG,) for d in renamed)
    # The conversions and both calls named (the mirror's record of each line's format): 'printed differently' said
    # the printed forms alone.
    notes = {n for d in renamed for n in d.notes}
    assert "log: err printed with '%#llx' -> '%llx' (0x0 -> 0) at demo.c:5 -> h.h:11" in notes
    assert all(n.startswith("log: err printed with '%#llx' -> '%llx' (") for n in notes)
    assert _move(ev).kind is FindingKind.CODE_MOVE_CHANGED


def test_a_rename_not_paired_is_compared_through_its_caller(tmp_path: Path) -> None:
    # The parameters swap: the old name's scenarios are no twins of the new one's, so nothing pairs them. The new
    # name is a static helper whose one caller, demo_use(), ran on both sides: compared through it (harness.helperruns).
    # Before: a difference 'demo_p_err() is new: this patch defines it (renamed from demo_err(), not compared with
    # it)' and a code-move-not-compared finding ('demo_p_err() was not compared with its old self demo_err()').
    ev = _moved(tmp_path, params="u64 err, u64 fn", call="1, fn")
    assert "demo_err" not in {e.name for e in ev.matrix.entries}
    cmp = ev.comparison.per_patch[-1]
    assert not cmp.differences
    assert cmp.helpers == ("demo_p_err() is new: this patch defines it (renamed from demo_err()): a static helper "
                           "that demo_use() calls, which ran on both sides: compared through it, not on its own",)
    move = _move(ev)
    assert move.kind is FindingKind.CODE_MOVE, move.text
    assert "was not compared with its old self" not in move.text


def test_a_unit_that_sees_the_renamed_function_only_after_the_move_is_told_so(tmp_path: Path) -> None:
    # other.c could not call demo_err() (static in demo.c) and can call demo_p_err() (in h.h): a fact of what the
    # unit sees, not a gap blaming the code read ("v1:00 does not define demo_err() ... in a file not read").
    ev = _moved(tmp_path, other=True)
    cmp = ev.comparison.per_patch[-1]
    assert {e.name: e.units for e in ev.matrix.entries}["demo_err"] == ("demo.c", "other.c")
    assert [(r.old, r.new, r.compared) for r in cmp.renamed] == [("demo_err", "demo_p_err", 8)]
    assert {n for d in cmp.differences for n in d.notes} == {
        "demo_p_err() is new to demo/other.c: in v1:00 it is demo_err(), a static function of demo/demo.c:3, "
        "which demo/other.c cannot call"}
    assert not any("demo_err" in g.entries or "demo_p_err" in g.entries for g in cmp.gaps)
    assert _move(ev).kind is FindingKind.CODE_MOVE
    # The terminal's per-patch view says the pairing above the fact, as the summary does.
    console = Console(record=True, width=300)
    console.print(*comparison_lines(cmp))
    shown = console.export_text()
    assert "demo_p_err: renamed from demo_err, compared with its old self (8 scenarios ran on both sides)" in shown
