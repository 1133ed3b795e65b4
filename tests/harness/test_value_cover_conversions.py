"""A value run's log line differing only in a conversion is said as a matrix run's is.

A value run's log line that differs only in how a value is printed is said by its conversions and calls, as a
matrix run's is (harness.convnotes; harness.valuecover runs the mirror itself): one wording of one difference."""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness.convnotes import ConversionNote
from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from reports.json_report import eval_json
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

_OK = "\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n"
_BUSY = 0x8000020300000005
_OTHER = 0x8000020300000007  # a status only the patched test takes: no scripted answer gives it


def _header(test: str) -> str:
    """The helper header whose sc_retry_prerr() prints a failure in decimal when ``test`` holds, else in hex."""
    text = helpers(RETRY_SAFE)
    assert _OK in text
    return text.replace(_OK, f'{_OK}\tif ({test})\n\t\tpr_err("busy: %llu\\n", err);\n'
                             '\telse\n\t\tpr_err("busy: 0x%llx\\n", err);\n')


_AFTER = _header(f"err == {_BUSY:#x}ULL || err == {_OTHER:#x}ULL")


def _mbox(tmp_path: Path) -> Path:
    """v2: 01 adds the header, 02 takes one more status to the decimal line."""
    before = _header(f"err == {_BUSY:#x}ULL")
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, before),)),
                        Step("x86/virt/tdx: Print one more busy status in decimal", ((NEW_HOME, before, _AFTER),))])
    return write_mbox(tmp_path / "v2.mbox", msgs)


def _calls() -> tuple[int, int]:
    """The lines of the decimal and the hex pr_err() after the patch."""
    lines = _AFTER.split("\n")
    return lines.index('\t\tpr_err("busy: %llu\\n", err);') + 1, lines.index('\t\tpr_err("busy: 0x%llx\\n", err);') + 1


def _said() -> str:
    dec, hexa = _calls()
    return (f"log: err printed with '0x%llx' -> '%llu' ({_OTHER:#x} -> {_OTHER}) at seamcall_internal.h:{hexa} -> "
            f"seamcall_internal.h:{dec}")


def _evaluate(tmp_path: Path, cache: Path | None = None) -> tuple[Evaluation, list[str]]:
    """The eval of _mbox's series: and 02's log notes."""
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1, time_budget=0, cache=cache))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v2:02"]
    return ev, [n for d in cmp.differences for n in d.notes if n.startswith("log: ")]


def test_a_neighbour_run_printed_by_another_conversion_names_it(tmp_path: Path) -> None:
    # Before, the value run's note said "same value 0x8000020300000007 printed differently: '0x8000020300000007' ->
    # '9223374248762933255' (...)" where a matrix run's said the conversions.
    _, notes = _evaluate(tmp_path)
    assert notes and set(notes) == {_said()}, notes
    assert all(isinstance(n, ConversionNote) for n in notes)


def test_the_json_carries_a_neighbour_run_s_conversions_from_an_empty_and_a_filled_cache(tmp_path: Path) -> None:
    # The value runs' findings are kept in the cache as notes: the conversions must come back with them.
    cache = tmp_path / "cache"
    views = []
    for _ in range(2):
        ev, notes = _evaluate(tmp_path, cache)
        assert all(isinstance(n, ConversionNote) for n in notes) and notes
        (view,) = [c for c in json.loads(eval_json(report_model(ev)))["differences"] if c["b"] == "v2:02"]
        views.append(view)
    assert views[0]["conversions"] == views[1]["conversions"]
    (c,) = views[0]["conversions"]
    assert (c["argument"], c["before"], c["after"]) == ("err", "0x%llx", "%llu")
    assert re.fullmatch(rf"{re.escape(NEW_HOME)}:\d+", c["sites"][0]) and c["sites"][0] != c["sites"][1]


def test_an_equivalence_rule_s_evidence_from_a_neighbour_run_names_the_conversions(tmp_path: Path) -> None:
    # The rule's evidence is the value run's difference (harness.equivalence._values): it said "printed differently".
    mbox = _mbox(tmp_path)
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nid = "busy-print-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                     'patch = "busy status"\n[rule.check]\nkind = "equivalence"\nreference = "before:patch"\n')
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    [v] = g.verdicts
    said = [e for e in v.evidence if "(a value run: an answer no scenario gives" in e.expected]
    assert v.status.value == "fail" and said, v
    assert all(e.actual == _said() for e in said), [e.actual for e in said]
