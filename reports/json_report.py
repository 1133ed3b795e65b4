"""The eval report as JSON, schema "seamharness-eval/1" (documented in docs/json-schema.md)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from harness import __version__
from harness.compare import Comparison
from harness.matrix import Scenario
from harness.pipeline import Evaluation
from harness.runner import definitions_used
from harness.variants import Variant
from models.mirror import outcome_to_dict

SCHEMA = "seamharness-eval/1"


def _variant(v: Variant, ev: Evaluation) -> dict[str, Any]:
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
        "definitions": [{"name": n, "kind": k, "where": w} for n, k, w in definitions_used(ev.result, v)],
    }


def _scenario(s: Scenario) -> dict[str, Any]:
    return {
        "id": s.id,
        "entry": s.entry.name,
        "leaf": s.leaf,
        "leaf_name": s.leaf_name,
        "script": s.script.name,
        "answers": [{"code": a.code, "regs": dict(a.regs)} for a in s.script.answers],
        "unit": s.unit.name,
        "unit_path": s.unit.path,
    }


def _results(ev: Evaluation) -> list[dict[str, Any]]:
    # Identical code ran once, so many results share one Outcome object: build its dict once.
    memo: dict[int, dict[str, Any]] = {}
    rows = []
    for v in ev.result.variants:
        for s in ev.matrix.scenarios:
            o = ev.result.outcome(v.name, s.id)
            if id(o) not in memo:
                memo[id(o)] = outcome_to_dict(o)
            rows.append({"variant": v.name, "scenario": s.id, **memo[id(o)]})
    return rows


def _comparison(c: Comparison) -> dict[str, Any]:
    return {
        "view": c.view, "a": c.a, "b": c.b, "label": c.label, "msgid": c.msgid, "changed": c.changed,
        "total": c.total, "summary": c.summary(),
        "scenarios": [{"scenario": d.scenario, "classes": [k.value for k in d.classes], "notes": list(d.notes)}
                      for d in c.differences],
    }


def _revision_changes(ev: Evaluation, verdicts: dict[str, str]) -> list[dict[str, str]]:
    """Between consecutive revisions: which turned a failing point into a passing one, and back."""
    revs = [f"v{r.version}" for r in ev.series.revisions if f"v{r.version}" in verdicts]
    out = []
    for a, b in itertools.pairwise(revs):
        change = {("fail", "pass"): "addressed", ("pass", "fail"): "regressed"}.get((verdicts[a], verdicts[b]))
        if change:
            out.append({"from": a, "to": b, "change": change})
    return out


def rules_rows(ev: Evaluation) -> list[dict[str, Any]]:
    """The rules x variants table: each rule's citation, its verdict on every variant, and what each
    revision addressed or regressed."""
    rows = []
    for row in ev.rule_table:
        verdicts = {name: v.status for name, v in row.verdicts.items()}
        rows.append({"id": row.rule.id, "reviewer": row.rule.reviewer, "msgid": row.rule.msgid,
                     "date": row.rule.date, "severity": row.rule.severity, "summary": row.rule.summary,
                     "quote": row.quote, "verdicts": verdicts, "revisions": _revision_changes(ev, verdicts)})
    return rows


def cross_rows(ev: Evaluation) -> dict[str, Any] | None:
    c = ev.crosscheck
    if c is None:
        return None
    return {name: {"compared": n, "agreed": c.agreed.get(name, 0), "not_compared": c.not_compared.get(name, []),
                   "disagreements": [{"scenario": d.scenario, "divergence": d.divergence,
                                      "mirror": outcome_to_dict(d.mirror), "native": outcome_to_dict(d.native)}
                                     for d in c.disagreements if d.variant == name]}
            for name, n in c.compared.items()}


def eval_json(ev: Evaluation) -> str:
    """The report as compact JSON text; each distinct outcome is encoded once, however many variants share it."""
    head = eval_dict(ev, with_results=False)
    encoded: dict[int, str] = {}
    rows = []
    sids = [json.dumps(s.id) for s in ev.matrix.scenarios]
    for v in ev.result.variants:
        name = json.dumps(v.name)
        for p, sid in enumerate(sids):
            o = ev.result.at(v.name, p)
            body = encoded.get(id(o))
            if body is None:
                body = encoded[id(o)] = json.dumps(outcome_to_dict(o), separators=(",", ":"))[1:-1]
            rows.append(f'{{"variant":{name},"scenario":{sid},{body}}}')
    text = json.dumps(head, separators=(",", ":"))
    marker = '"results":null'
    assert marker in text
    return text.replace(marker, '"results":[' + ",".join(rows) + "]", 1) + "\n"


def eval_dict(ev: Evaluation, with_results: bool = True) -> dict[str, Any]:
    """Everything the eval found, in the documented schema."""
    res, cmp = ev.result, ev.comparison
    return {
        "schema": SCHEMA,
        "tool": {"name": "seamharness", "version": __version__},
        "inputs": [str(p) for p in ev.request.paths],
        "series": {
            "title": ev.series.title,
            "revisions": [{"version": r.version, "rfc": r.rfc, "total": r.total,
                           "present": [p.number for p in r.patches],
                           "cover": r.cover.mail.msgid if r.cover else None} for r in ev.series.revisions],
        },
        "matrix": str(ev.matrix.path),
        "variants": [_variant(v, ev) for v in res.variants],
        "scenarios": [_scenario(s) for s in ev.matrix.scenarios],
        "results": _results(ev) if with_results else None,
        "differences": [_comparison(c) for c in cmp.per_patch + cmp.across],
        "groups": cmp.groups,
        "findings": [{"kind": f.kind, "subject": f.subject, "text": f.text, "where": f.where} for f in cmp.findings],
        "rules": rules_rows(ev),
        "stats": {"runs_executed": res.executed, "runs_reused": res.reused, "runs_cached": res.cached},
        "crosscheck": cross_rows(ev),
    }
