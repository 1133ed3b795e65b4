"""The eval report as JSON, schema "seamharness-eval/2" (documented in docs/json-schema.md)."""

from __future__ import annotations

import json
from typing import Any

from harness.compare import Comparison
from harness.judge import RuleRow
from harness.matrix import Scenario
from harness.report import CrossRow, EvalReport, VariantView
from models.outcome import OutcomeStatus, outcome_to_dict

SCHEMA = "seamharness-eval/2"


def _variant(view: VariantView) -> dict[str, Any]:
    v = view.variant
    return {
        "name": v.name,
        "description": v.description,
        "revision": v.revision,
        "prefix": v.prefix,
        "start": v.start,
        "base": v.base,
        "applied": list(v.applied),
        "messages": [{"msgid": m, "author": a} for m, a in v.sources],
        "files": [{"path": f.path, "complete": f.complete, "usable": f.usable, "blob": f.blob,
                   "provenance": list(f.provenance)} for f in v.files],
        "findings": [str(f) for f in v.findings],
        "definitions": [{"name": d.name, "kind": d.kind, "where": d.where} for d in view.definitions],
    }


def _scenario(s: Scenario) -> dict[str, Any]:
    return {
        "id": s.id,
        "entry": s.entry.name,
        "leaf": s.leaf,
        "leaf_name": s.leaf_name,
        "script": s.script.name,
        "unit": s.unit.name,
        "unit_path": s.unit.path,
    }


def _comparison(c: Comparison) -> dict[str, Any]:
    notes: dict[str, int] = {}  # each distinct note once per comparison; scenarios point at them
    scenarios = [{"scenario": d.scenario.id, "classes": [k.value for k in d.classes],
                  "notes": [notes.setdefault(n, len(notes)) for n in d.notes]} for d in c.differences]
    return {
        "view": c.view, "a": c.a, "b": c.b, "label": c.label, "msgid": c.msgid, "changed": c.changed,
        "total": c.total, "compared": c.compared, "summary": c.summary(),
        "not_compared": [{"entries": list(g.entries), "scenarios": g.scenarios, "reason": g.reason} for g in c.gaps],
        "notes": list(notes), "scenarios": scenarios,
    }


def rule_row(row: RuleRow) -> dict[str, Any]:
    """A rule's citation, its verdict on every variant, and what each revision addressed or regressed."""
    r = row.rule
    return {"id": r.id, "reviewer": r.reviewer, "msgid": r.msgid, "date": r.date, "severity": r.severity.value,
            "summary": r.summary, "quote": row.quote,
            "verdicts": {name: v.status.value for name, v in row.verdicts.items()},
            "revisions": [{"from": c.before, "to": c.after, "change": c.change.value} for c in row.changes]}


def _cross(rows: tuple[CrossRow, ...] | None) -> dict[str, Any] | None:
    if rows is None:
        return None
    return {c.variant: {"compared": c.compared, "agreed": c.agreed, "not_compared": list(c.not_compared),
                        "disagreements": [{"scenario": d.scenario, "divergence": d.divergence,
                                           "mirror": outcome_to_dict(d.mirror), "native": outcome_to_dict(d.native)}
                                          for d in c.disagreements]}
            for c in rows}


def _tables(rep: EvalReport) -> tuple[str, str]:
    """The outcomes table and the result rows as JSON text: each distinct outcome (by value) once; a row per
    variant x scenario that the variant provides, pointing at its outcome by index."""
    index: dict[str, int] = {}
    per_view = []
    for o in rep.outcomes:
        if o.outcome.status is OutcomeStatus.NOT_PROVIDED:
            per_view.append(-1)
            continue
        text = json.dumps(outcome_to_dict(o.outcome), separators=(",", ":"))
        per_view.append(index.setdefault(text, len(index)))
    sids = [json.dumps(s.id) for s in rep.scenarios]
    rows: list[str] = []
    for view, cells in zip(rep.variants, rep.cells, strict=True):
        name = json.dumps(view.variant.name)
        rows.extend(f'{{"variant":{name},"scenario":{sid},"outcome":{per_view[n]}}}'
                    for sid, n in zip(sids, cells, strict=True) if per_view[n] >= 0)
    return "[" + ",".join(index) + "]", "[" + ",".join(rows) + "]"


def eval_dict(rep: EvalReport) -> dict[str, Any]:
    """Everything the eval found, in the documented schema, without the two tables (``outcomes`` and
    ``results`` are None; eval_json fills them)."""
    return {
        "schema": SCHEMA,
        "tool": {"name": "seamharness", "version": rep.version},
        "inputs": list(rep.inputs),
        "base": rep.base,
        "series": {
            "title": rep.title,
            "revisions": [{"version": r.version, "rfc": r.rfc, "total": r.total,
                           "present": [p.number for p in r.patches],
                           "cover": r.cover.mail.msgid if r.cover else None} for r in rep.revisions],
        },
        "matrix": rep.matrix_path,
        "variants": [_variant(v) for v in rep.variants],
        "entries": [{"name": e.name, "kind": e.kind.value, "origin": e.origin, "args": list(e.args),
                     "units": list(e.units)} for e in rep.entries],
        "scripts": [{"name": sc.name, "answers": [{"code": a.code, "regs": dict(a.regs)} for a in sc.answers]}
                    for sc in dict.fromkeys(s.script for s in rep.scenarios)],
        "scenarios": [_scenario(s) for s in rep.scenarios],
        "outcomes": None,
        "results": None,
        "differences": [_comparison(c) for c in rep.per_patch + rep.across],
        "findings": [{"kind": f.kind.value, "subject": f.subject, "text": f.text, "where": f.where}
                     for f in rep.findings],
        "rules": [rule_row(r) for r in rep.rules],
        "stats": {"runs_executed": rep.executed, "runs_reused": rep.reused, "runs_cached": rep.cached},
        "crosscheck": _cross(rep.crosscheck),
    }


def eval_json(rep: EvalReport) -> str:
    """The whole report as compact JSON text."""
    text = json.dumps(eval_dict(rep), separators=(",", ":"))
    marker = '"outcomes":null,"results":null'
    head, found, tail = text.partition(marker)
    if not found:
        raise ValueError("eval_dict lost its table markers")  # a programming error, never input
    outcomes, results = _tables(rep)
    return head + f'"outcomes":{outcomes},"results":{results}' + tail + "\n"
