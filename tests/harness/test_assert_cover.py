"""Assertions no run fired on changed lines are said (harness.linecover).

Assertions no run fired (lockdep_assert_*(), WARN_ON()) on changed lines (harness.linecover): one a patch adds,
removes or changes is said; one a move carries unchanged is the same code on both sides, noted where the move is."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.findings import FindingKind
from harness.pipeline import EvalRequest, Evaluation, evaluate
from tests.harness.test_linecover import DECIDE, ONE_WAY, _eval, _not_run
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# Preemption is on in every run of demo_prerr(): this assertion never fires, nor does the warning (no answer is 7).
ASSERT = "\tlockdep_assert_preemption_enabled();\n"
WARN = "\tWARN_ON(ret == 7);\n"


# A helper every line of which runs, every test both ways but the assertions'.
MOVED = ("static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret = __seamcall(fn, args);\n"
         "\tint n = 0;\n\treturn ret ? -5 : n;\n}\n")


def _with(text: str, *lines: str) -> str:
    return text.replace("\tint n = 0;\n", "\tint n = 0;\n" + "".join(lines), 1)


@pytest.mark.parametrize(("before", "after", "side"), [
    (DECIDE, _with(DECIDE, ASSERT), "v1:02"),  # added: it was "no behaviour change" with nothing said
    (_with(DECIDE, ASSERT), DECIDE, "v1:01"),  # removed
])
def test_an_assertion_a_patch_adds_removes_or_changes_that_never_fired_is_said(
        tmp_path: Path, before: str, after: str, side: str) -> None:
    said = _not_run(_eval(tmp_path, after, before))
    assert any(s.startswith("demo_prerr() (demo/h.h:5)") and ONE_WAY.replace("v1:02", side) in s for s in said), said


def test_a_warning_whose_condition_a_patch_changes_is_run_where_it_differs(tmp_path: Path) -> None:
    # WARN_ON(ret == 7) -> WARN_ON(ret == 8): the answers beside the changed condition are run (8 among them), and
    # the warning the new side gives there is a difference shown by a run, not only a test that never fired.
    ev = _eval(tmp_path, _with(DECIDE, WARN.replace("7", "8")), _with(DECIDE, WARN))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    said = cmp.summary()
    assert cmp.changed, said
    assert any("events recorded: none -> warnings [all leaves x neighbour-0x8]" in s for s in said), said


def _moved(tmp_path: Path, old: str, new: str) -> Evaluation:
    """demo_prerr() added to demo/h.h, then moved to demo/moved.h (``old`` there, ``new`` where it goes)."""
    add = patch_body("Add.", diff("demo/h.h", None, "int x;\n" + old))
    msgs = [message("[PATCH 1/2] demo: add helpers", "l1@x", add),
            message("[PATCH 2/2] demo: move helpers", "l2@x", patch_body(
                "Move.", diff("demo/h.h", "int x;\n" + old, "int x;\n") + diff("demo/moved.h", None, new)))]
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    return evaluate(EvalRequest((write_mbox(tmp_path / "l.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None,
                                time_budget=0))


def _move_finding(ev: Evaluation) -> tuple[FindingKind, str]:
    found = next(f for f in ev.comparison.findings if f.kind in (
        FindingKind.CODE_MOVE, FindingKind.CODE_MOVE_CHANGED, FindingKind.CODE_MOVE_NOT_COMPARED))
    return found.kind, found.text


def test_a_move_that_changes_a_warnings_condition_changes_behaviour(tmp_path: Path) -> None:
    # WARN_ON(ret == 7) made WARN_ON(ret == 8) in the move: the answers beside the changed condition run, and 8 warns.
    new = _with(MOVED, ASSERT, WARN.replace("7", "8"))
    kind, said = _move_finding(_moved(tmp_path, _with(MOVED, ASSERT, WARN), new))
    assert kind is FindingKind.CODE_MOVE_CHANGED, said
    assert "events recorded: none -> warnings" in said, said


def test_a_move_carrying_assertions_that_never_fired_is_clean_and_says_so(tmp_path: Path) -> None:
    # The same function, text for text, on both sides: it was "not compared" (a WARN_ON()'s condition a decision since
    # 7912e98: a move of sc_retry() holding one read "sc_retry() (...) ran in v4:00, but a test on it always came out
    # false ..." on both sides), though nothing of it changed.
    text = _with(MOVED, ASSERT, WARN)
    kind, said = _move_finding(_moved(tmp_path, text, text))
    assert kind is FindingKind.CODE_MOVE, said
    for line in (ASSERT, WARN):
        assert (f"demo_prerr() at demo/moved.h:{text.splitlines().index(line.rstrip()) + 1} ({line.strip()!r}) moved "
                "unchanged, but a test on it always came out false on both sides, so what it decides the other way "
                "ran on neither") in said, said
    (tmp_path / "2").mkdir()
    assert _not_run(_moved(tmp_path / "2", text, text)) == ()  # the patch's own comparison: no gap either


def test_a_move_that_changes_an_assertion_on_the_way_is_not_clean(tmp_path: Path) -> None:
    # The assertion dropped in the move: the moved body is not the same text, so its tests count as any changed
    # line's do (no clean move over them).
    kind, said = _move_finding(_moved(tmp_path, _with(MOVED, ASSERT, WARN), _with(MOVED, WARN)))
    assert kind is FindingKind.CODE_MOVE_NOT_COMPARED, said
    assert "demo_prerr() (demo/h.h:6-7) ran in v1:01, but a test on it always came out false" in said, said


@pytest.mark.parametrize("line", ["\t\tWARN_ON(err == 0x1234);\n", "\t\tlockdep_assert_preemption_enabled();\n"])
def test_an_assertion_in_a_retry_loop_decides_no_retry(tmp_path: Path, line: str) -> None:
    # A warning or assertion no run fired, a statement of its own in sc_retry()'s loop: its other way prints, and
    # retries nothing. The no-retry rule was inconclusive over it ("a test in sc_retry() at ... always came out false").
    from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
    from tests.harness.test_equivalence import _nak, prepared

    loop = RETRY_SAFE.replace("\t\tpreempt_enable();\n", "\t\tpreempt_enable();\n" + line)
    assert loop != RETRY_SAFE
    verdict, note = _nak(tmp_path, preparing_series(prepared(helpers(loop))))[1]["seamldr-no-entropy-not-retried"]
    assert verdict == "pass", note
