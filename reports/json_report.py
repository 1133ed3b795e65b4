"""The eval report as JSON, schema "seamharness-eval/3" (documented in docs/json-schema.md)."""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from harness.compare import Comparison
from harness.explain import DiffClass
from harness.judge import RuleRow
from harness.matrix import Scenario
from harness.report import CrossRow, EvalReport, VariantView
from models.machine import Event, LogLine, SeamCall
from models.outcome import (
    Outcome,
    OutcomeStatus,
    call_record,
    event_record,
    log_record,
    outcome_extras,
    outcome_from_dict,
)

SCHEMA = "seamharness-eval/3"


class Layout(enum.Enum):
    """How ``results`` are written: a row per variant x scenario (the default, what jq and scripts read
    most easily), or per variant one array of outcome indexes (a few bytes a cell, for large matrices)."""

    ROWS = "rows"
    BY_VARIANT = "by-variant"


# Enum.value is a descriptor call: at scale (490,000 classes) a plain dict is seconds faster.
_CLASS_VALUE = {k: k.value for k in DiffClass}
# A different key for each layout, so that a script written for rows fails loudly on the other one.
RESULTS_KEY = {Layout.ROWS: "results", Layout.BY_VARIANT: "results_by_variant"}
RECORDS = ("calls", "log", "events")  # outcome fields that point into a table of the report of the same name


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
        "assumptions": list(view.assumptions),
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


def _comparison(c: Comparison, sids: dict[str, int]) -> str:
    """One comparison as JSON text; ``sids`` gives each scenario id its index in ``scenarios``.

    A large matrix has hundreds of thousands of differing scenarios that repeat a few (classes, notes)
    pairs: each pair is encoded once and the scenario entries are joined as text.
    """
    notes: dict[str, int] = {}  # each distinct note once per comparison; scenarios point at them
    tails: dict[tuple[object, ...], str] = {}
    scenarios = []
    for d in c.differences:
        key = (d.classes, d.notes)
        tail = tails.get(key)
        if tail is None:
            classes = ",".join([f'"{_CLASS_VALUE[k]}"' for k in d.classes])  # values are plain words
            refs = ",".join([str(notes.setdefault(n, len(notes))) for n in d.notes])
            tail = tails[key] = f',"classes":[{classes}],"notes":[{refs}]}}'
        scenarios.append(f'{{"scenario":{sids[d.scenario.id]}{tail}')
    head = json.dumps({
        "view": c.view, "a": c.a, "b": c.b, "label": c.label, "msgid": c.msgid, "changed": c.changed,
        "total": c.total, "compared": c.compared, "summary": c.summary(),
        "not_compared": [{"entries": list(g.entries), "scenarios": g.scenarios, "reason": g.reason} for g in c.gaps],
        "unreached": list(c.unreached),
        "not_run": list(c.not_run),
        "notes": list(notes)}, separators=(",", ":"))
    return f'{head[:-1]},"scenarios":[{",".join(scenarios)}]}}'


def rule_row(row: RuleRow) -> dict[str, Any]:
    """A rule's citation, its verdict on every variant, and what each revision addressed or regressed."""
    r = row.rule
    return {"id": r.id, "reviewer": r.reviewer, "msgid": r.msgid, "date": r.date, "severity": r.severity.value,
            "summary": r.summary, "quote": row.quote,
            "verdicts": {name: v.status.value for name, v in row.verdicts.items()},
            "revisions": [{"from": c.before, "to": c.after, "change": c.change.value} for c in row.changes]}


def _cross(rows: tuple[CrossRow, ...] | None, sids: dict[str, int], tables: Tables) -> dict[str, Any] | None:
    if rows is None:
        return None
    return {c.variant: {"compared": c.compared, "agreed": c.agreed, "not_compared": list(c.not_compared),
                        "disagreements": [{"scenario": sids[d.scenario], "divergence": d.divergence,
                                           "mirror": int(tables.index(d.mirror)),
                                           "native": int(tables.index(d.native))}
                                          for d in c.disagreements]}
            for c in rows}


class Tables:
    """The report's tables: each distinct outcome once, and each distinct SEAMCALL, log line and event once.

    An outcome points at its records by index (a retry loop's ten equal calls, the same log line in a
    thousand outcomes: a few bytes each), so the report grows with what differs, not with cells or retries.
    Indexes are handed out in order of first use and returned as text (they are joined into JSON text).
    """

    def __init__(self) -> None:
        self.by_value: dict[Outcome, str] = {}  # Outcome is a frozen dataclass: equal by value, hashable
        self.texts: dict[str, str] = {}  # an outcome's JSON text -> its index
        self.calls: dict[SeamCall, int] = {}
        self.log: dict[LogLine, int] = {}
        self.events: dict[Event, int] = {}

    @classmethod
    def of(cls, rep: EvalReport) -> Tables:
        """The tables of a report: its outcomes in the order of ``rep.outcomes``, then crosscheck's."""
        t = cls()
        for o in rep.outcomes:
            if o.outcome.status is not OutcomeStatus.NOT_PROVIDED:
                t.index(o.outcome)
        for row in rep.crosscheck or ():
            for d in row.disagreements:
                t.index(d.mirror)
                t.index(d.native)
        return t

    def index(self, o: Outcome) -> str:
        """The outcome's index in ``outcomes``, as text; added when new."""
        n = self.by_value.get(o)
        if n is None:
            text = json.dumps(self._encode(o), separators=(",", ":"))
            n = self.by_value[o] = self.texts.setdefault(text, str(len(self.texts)))
        return n

    def _encode(self, o: Outcome) -> dict[str, Any]:
        out: dict[str, Any] = {"status": o.status.value}
        if o.calls:
            out["calls"] = [self.calls.setdefault(c, len(self.calls)) for c in o.calls]
        for key, value in (("ret", o.ret), ("ret_type", o.ret_type), ("errno", o.errno)):
            if value is not None:
                out[key] = value
        if o.log:
            out["log"] = [self.log.setdefault(x, len(self.log)) for x in o.log]
        if o.events:
            out["events"] = [self.events.setdefault(e, len(self.events)) for e in o.events]
        if o.regs_out:
            out["regs_out"] = dict(o.regs_out)
        out.update(outcome_extras(o))
        return out

    def pieces(self) -> Iterator[str]:
        """``"outcomes":[...],"calls":[...],"log":[...],"events":[...]`` as JSON text, in pieces."""
        yield '"outcomes":[' + ",".join(self.texts) + "]"
        for key, records in (("calls", [call_record(c) for c in self.calls]),
                             ("log", [log_record(x) for x in self.log]),
                             ("events", [event_record(e) for e in self.events])):
            yield f',"{key}":' + json.dumps(records, separators=(",", ":"))


def outcome_at(report: dict[str, Any], n: int) -> Outcome:
    """Outcome ``n`` of a report's ``outcomes`` (schema 3), its records looked up in the report's tables."""
    o = report["outcomes"][n]
    return outcome_from_dict({**o, **{key: [report[key][i] for i in o.get(key, ())] for key in RECORDS}})


def _per_view(rep: EvalReport, tables: Tables) -> list[str]:
    """Per outcome view of the report, its index in the outcomes table as text ("null": not provided)."""
    return ["null" if o.outcome.status is OutcomeStatus.NOT_PROVIDED else tables.index(o.outcome)
            for o in rep.outcomes]


def _rows(rep: EvalReport, per_view: list[str]) -> Iterator[str]:
    """``results`` as rows: one per variant x scenario the variant provides, pointing at its outcome; made
    variant by variant, so that a large matrix is never one string."""
    left = Counter(rep.classes)  # variants of each outcome class still to write
    tails: dict[int, list[str]] = {}  # per outcome class: its rows after "variant", while a variant needs them
    yield "["
    first = True
    for view, cls, cells in zip(rep.variants, rep.classes, rep.cells, strict=True):
        tail = tails.get(cls)
        if tail is None:
            tail = [f'"scenario":{sid},"outcome":{per_view[n]}}}'
                    for sid, n in enumerate(cells) if per_view[n] != "null"]
            if left[cls] > 1:
                tails[cls] = tail
        left[cls] -= 1
        if not left[cls]:
            tails.pop(cls, None)
        if tail:
            head = f'{{"variant":{json.dumps(view.variant.name)},'
            yield ("" if first else ",") + head + f",{head}".join(tail)
            first = False
    yield "]"


def _by_variant(rep: EvalReport, per_view: list[str]) -> Iterator[str]:
    """``results_by_variant``: per variant its outcome index for every scenario (null: not provided), or
    ``same_as`` the first variant of its outcome class, whose outcomes are the very same."""
    first: dict[int, str] = {}
    yield "["
    for i, (view, cls, cells) in enumerate(zip(rep.variants, rep.classes, rep.cells, strict=True)):
        name = json.dumps(view.variant.name)
        sep = "," if i else ""
        if cls in first:
            yield f'{sep}{{"variant":{name},"same_as":{first[cls]}}}'
        else:
            first[cls] = name
            yield f'{sep}{{"variant":{name},"outcomes":[{",".join([per_view[n] for n in cells])}]}}'
    yield "]"


def eval_dict(rep: EvalReport, layout: Layout = Layout.ROWS, tables: Tables | None = None) -> dict[str, Any]:
    """Everything the eval found, in the documented schema, without the large parts (``outcomes``, the
    record tables, ``results`` or ``results_by_variant``, and ``differences`` are None; eval_json fills
    them from ``tables``, Tables.of(rep) when not given)."""
    tables = tables or Tables.of(rep)
    sids = {s.id: n for n, s in enumerate(rep.scenarios)}
    return {
        "schema": SCHEMA,
        "layout": layout.value,
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
        **dict.fromkeys(RECORDS),
        RESULTS_KEY[layout]: None,
        "differences": None,
        "findings": [{"kind": f.kind.value, "subject": f.subject, "text": f.text, "where": f.where}
                     for f in rep.findings],
        "rules": [rule_row(r) for r in rep.rules],
        "stats": {"runs_executed": rep.executed, "runs_replayed": rep.replayed, "runs_reused": rep.reused,
                  "runs_cached": rep.cached},
        "crosscheck": _cross(rep.crosscheck, sids, tables),
    }


def eval_json(rep: EvalReport, layout: Layout = Layout.ROWS) -> str:
    """The whole report as compact JSON text, ``results`` in the given layout."""
    return "".join(eval_json_pieces(rep, layout))


def eval_json_pieces(rep: EvalReport, layout: Layout = Layout.ROWS) -> Iterator[str]:
    """eval_json in pieces, in order (a variant's results, a comparison at a time): what writes a file
    need never hold a large report as one string."""
    tables = Tables.of(rep)
    text = json.dumps(eval_dict(rep, layout, tables), separators=(",", ":"))
    key = RESULTS_KEY[layout]
    marker = ":null,".join(f'"{k}"' for k in ("outcomes", *RECORDS, key, "differences")) + ":null"
    head, found, tail = text.partition(marker)
    if not found:
        raise ValueError("eval_dict lost its table markers")  # a programming error, never input
    per_view = _per_view(rep, tables)
    yield head
    yield from tables.pieces()
    yield f',"{key}":'
    yield from _rows(rep, per_view) if layout is Layout.ROWS else _by_variant(rep, per_view)
    yield ',"differences":['
    sids = {s.id: n for n, s in enumerate(rep.scenarios)}
    for n, c in enumerate(rep.per_patch + rep.across):
        yield ("," if n else "") + _comparison(c, sids)
    yield from ("]", tail, "\n")
