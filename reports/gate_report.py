"""Gate output: a terminal listing, JUnit XML for CI, and JSON records for patchwork checks and b4 review CI."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from rich.console import Group, RenderableType
from rich.text import Text

from harness import __version__
from harness.checks import Verdict, VerdictStatus
from harness.gate import GateResult
from harness.rules import Severity
from reports.safe import clean, markup

LORE = "https://lore.kernel.org/r/"
_PATCHWORK = {VerdictStatus.PASS: "success", VerdictStatus.NOT_APPLICABLE: "success"}
_B4 = {VerdictStatus.PASS: "pass", VerdictStatus.NOT_APPLICABLE: "pass"}


def _fail_state(v: Verdict, table: dict[VerdictStatus, str], warn: str, fail: str) -> str:
    if v.status is not VerdictStatus.FAIL:
        return table[v.status]
    return fail if v.rule.severity is Severity.ERROR else warn


def _who(v: Verdict) -> str:
    r = v.rule
    cite = f" <{r.msgid}>" if r.msgid else ""
    return f"{r.reviewer}{cite}{', ' + r.date if r.date else ''}"


def _evidence_lines(v: Verdict) -> list[str]:
    lines = [f"{e.place}: expected {e.expected}; got {e.actual}" for e in v.evidence]
    if v.more:
        lines.append(f"... and {v.more} more")
    return lines


def gate_summary(g: GateResult) -> RenderableType:
    """Each rule's verdict, the reviewer's sentence and the evidence; failures first."""
    order = {VerdictStatus.FAIL: 0, VerdictStatus.PASS: 1, VerdictStatus.NOT_APPLICABLE: 2}
    parts: list[RenderableType] = [Text.from_markup(
        f"[bold]seamharness gate[/] {markup(g.variant.name)}: {markup(g.variant.description)}")]
    for v in sorted(g.verdicts, key=lambda v: (order[v.status], v.rule.severity is not Severity.ERROR)):
        colour = {VerdictStatus.FAIL: "red" if v.rule.severity is Severity.ERROR else "yellow",
                  VerdictStatus.PASS: "green", VerdictStatus.NOT_APPLICABLE: "dim"}[v.status]
        head = f"[{colour}]{v.status.upper():4}[/] {markup(v.rule.id)} [dim]({v.rule.severity}; {markup(_who(v))})[/]"
        parts.append(Text.from_markup(head))
        quote = g.quotes.get(v.rule.id)
        parts.append(Text(clean(f"      {v.rule.summary}" + (f'\n      "{quote}"' if quote else "")), style="dim"))
        if v.status is VerdictStatus.FAIL:
            parts.extend(Text("      - " + clean(line)) for line in _evidence_lines(v)[:6])
        elif v.note and v.status is VerdictStatus.NOT_APPLICABLE:
            parts.append(Text(clean(f"      ({v.note})"), style="dim"))
    failed = [v for v in g.verdicts if v.status is VerdictStatus.FAIL]
    errors = [v for v in failed if v.rule.severity is Severity.ERROR]
    parts.append(Text.from_markup(
        f"[bold]{len(errors)} error rule(s) failed, {len(failed) - len(errors)} warning(s), "
        f"{sum(v.status is VerdictStatus.PASS for v in g.verdicts)} passed, "
        f"{sum(v.status is VerdictStatus.NOT_APPLICABLE for v in g.verdicts)} "
        f"not applicable[/]"))
    return Group(*parts)


def gate_junit(g: GateResult) -> str:
    """JUnit XML: one testcase per rule; failed rules carry the reviewer's sentence and the evidence."""
    failures = sum(v.status is VerdictStatus.FAIL for v in g.verdicts)
    skipped = sum(v.status is VerdictStatus.NOT_APPLICABLE for v in g.verdicts)
    suites = ET.Element("testsuites", name="seamharness gate", tests=str(len(g.verdicts)), failures=str(failures),
                        errors="0", skipped=str(skipped))
    suite = ET.SubElement(suites, "testsuite", name=f"seamharness gate {g.variant.name}", tests=str(len(g.verdicts)),
                          failures=str(failures), errors="0", skipped=str(skipped))
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="variant", value=g.variant.name)
    ET.SubElement(props, "property", name="rules", value=str(g.rules_path))
    ET.SubElement(props, "property", name="tool", value=f"seamharness {__version__}")
    for v in g.verdicts:
        case = ET.SubElement(suite, "testcase", classname=f"review.{v.rule.reviewer.replace(' ', '_')}",
                             name=v.rule.id)
        quote = g.quotes.get(v.rule.id)
        detail = "\n".join([f"{v.rule.summary}", f"{_who(v)}" + (f': "{quote}"' if quote else ""),
                            *(["evidence:", *_evidence_lines(v)] if v.evidence else [])])
        if v.status is VerdictStatus.FAIL:
            node = ET.SubElement(case, "failure", message=f"{v.rule.severity}: {v.rule.summary}",
                                 type=v.rule.severity.value)
            node.text = detail
        elif v.status is VerdictStatus.NOT_APPLICABLE:
            ET.SubElement(case, "skipped", message=v.note or "not applicable")
        out = ET.SubElement(case, "system-out")
        out.text = detail if v.status is not VerdictStatus.FAIL else (v.note or "")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def rule_record(g: GateResult, v: Verdict) -> dict[str, Any]:
    """One rule's verdict, shaped for patchwork's checks API and b4's review CI protocol."""
    quote = g.quotes.get(v.rule.id)
    summary = f"{v.rule.id}: {v.status}" + (f" ({v.rule.summary})" if v.status is VerdictStatus.FAIL else "")
    details = "\n".join([v.rule.summary, _who(v) + (f': "{quote}"' if quote else ""), *_evidence_lines(v)])
    target = f"{LORE}{v.rule.msgid}" if v.rule.msgid else ""
    return {
        "id": v.rule.id, "reviewer": v.rule.reviewer, "msgid": v.rule.msgid, "date": v.rule.date,
        "severity": v.rule.severity.value, "verdict": v.status.value, "summary": v.rule.summary, "quote": quote,
        "note": v.note,
        "evidence": [{"scenario": e.place, "expected": e.expected, "actual": e.actual} for e in v.evidence],
        "evidence_omitted": v.more,
        "patchwork": {"state": _fail_state(v, _PATCHWORK, "warning", "fail"), "context": f"seamharness-{v.rule.id}",
                      "description": summary[:250], "target_url": target},
        "b4": {"tool": "seamharness", "status": _fail_state(v, _B4, "warn", "fail"), "summary": summary,
               "details": details},
    }


def gate_json(g: GateResult) -> str:
    """The gate's JSON document (schema seamharness-gate/1) as text."""
    return json.dumps(gate_dict(g), indent=2) + "\n"


def gate_dict(g: GateResult) -> dict[str, Any]:
    return {
        "schema": "seamharness-gate/1",
        "tool": {"name": "seamharness", "version": __version__},
        "variant": g.variant.name,
        "rules_file": str(g.rules_path),
        "exit_status": g.exit_status,
        "result": "fail" if g.exit_status else "pass",
        "rules": [rule_record(g, v) for v in g.verdicts],
    }
