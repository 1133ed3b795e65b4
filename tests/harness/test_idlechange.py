"""A function no entry point reaches: gate's note points at the line eval names under the patch that changes it."""

from __future__ import annotations

import re
from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

ADD = "x86/virt/tdx: Add an internal SEAMCALL helper header"
_TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"


def _unreached_retry() -> str:
    """A header whose SEAMCALL macros call seamcall_retry(), a copy of sc_retry(), which nothing calls."""
    copy = RETRY_SAFE.split("\n\n", 1)[1].replace("sc_retry(", "seamcall_retry(")
    text = helpers(RETRY_SAFE + "\n" + copy)
    return re.sub(r"(\t|= )sc_retry\(", r"\1seamcall_retry(", text)


def _annotated(text: str) -> str:
    """The first retry test (sc_retry()'s, deep in its body) under unlikely()."""
    return text.replace(_TEST, "if (unlikely(err != TDX_RND_NO_ENTROPY) || !--left)", 1)


def _line(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_gate_points_at_the_changed_line_eval_names(tmp_path: Path) -> None:
    # 02/2 adds unlikely() nine lines into sc_retry(), which no entry point reaches. eval said
    # 'sc_retry() (header:24)' under 02/2, gate 'sc_retry() (header:15) is in v2's code' for the same change:
    # two lines for one thing. Both now name line 24, gate with the patch, the definition and what lifts it.
    base = _unreached_retry()
    after = _annotated(base)
    mbox = write_mbox(tmp_path / "s.mbox", revision(2, [Step(ADD, ((NEW_HOME, None, base),)),
                                                        Step(PREPARE, ((NEW_HOME, base, after),))]))
    changed = f"sc_retry() ({NEW_HOME}:{_line(after, 'unlikely(')})"
    defined = _line(after, "u64 sc_retry(")
    ev = evaluate(EvalRequest((mbox,), jobs=1, cache=None))
    assert ev.comparison.per_patch[1].unreached == (f"{changed}, which no entry point reaches",) or \
        changed in ev.comparison.per_patch[1].unreached[0], ev.comparison.per_patch[1].unreached
    rule = next(v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None)).verdicts
                if v.rule.id == "no-unlikely-in-sc-retry")
    assert rule.status is VerdictStatus.INCONCLUSIVE, (rule.status, rule.note)
    assert f"{changed}, which v2 02/2 changes, is in v2's code (defined at line {defined}), but no entry point " \
           "reaches it" in rule.note, rule.note
    assert rule.note.endswith("give the matrix an entry point that calls it (docs/matrix.md)"), rule.note


def test_an_unreached_function_no_patch_changes_is_said_at_its_definition(tmp_path: Path) -> None:
    # The series changes another line of the header: sc_retry() itself is as 01/2 made it, new there, and said
    # where it is defined, with what lifts the verdict.
    base = _unreached_retry()
    after = base.replace("SEAMCALL (%llu) failed", "SEAMCALL %llu failed")
    mbox = write_mbox(tmp_path / "s.mbox", revision(2, [Step(ADD, ((NEW_HOME, None, base),)),
                                                        Step(PREPARE, ((NEW_HOME, base, after),))]))
    rule = next(v for v in evaluate_gate(GateRequest((mbox,), "v2:02", jobs=1, cache=None)).verdicts
                if v.rule.id == "no-unlikely-in-sc-retry")
    assert rule.status is VerdictStatus.INCONCLUSIVE, (rule.status, rule.note)
    place = f"sc_retry() ({NEW_HOME}:{_line(after, 'u64 sc_retry(')} in v2:01), which v2 01/2 adds"
    assert place in rule.note and "defined at" not in rule.note, rule.note
