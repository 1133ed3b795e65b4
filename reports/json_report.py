"""The eval report as JSON, schema "seamharness-eval/10" (documented in docs/json-schema.md)."""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from harness.comparison import Comparison
from harness.convnotes import ConversionChange, ConversionNote
from harness.crossview import CrossRow
from harness.explain import DiffClass
from harness.judge import RuleRow
from harness.matrix import Scenario, Script
from harness.reportview import EvalReport
from harness.samecode import CodeIdentity
from harness.statedbase import BasesApart
from harness.verdict import Reading, VerdictStatus
from models.outcome import CALL_FIELDS, Outcome, OutcomeStatus, outcome_to_dict
from reports.review_json import earlier_dict, objection_dict
from reports.variant_json import variant_tables

SCHEMA = "seamharness-eval/10"


class Layout(enum.Enum):
    """How ``results`` are written: a row per variant x scenario (what jq and scripts read most easily; the CLI's
    default up to reports.formats.BIG_JSON_ROWS results), or per variant one array of outcome indexes (a few bytes
    a cell; the CLI's default past that)."""

    ROWS = "rows"
    BY_VARIANT = "by-variant"


# Enum.value is a descriptor call: at scale (490,000 classes) a plain dict is seconds faster.
_CLASS_VALUE = {k: k.value for k in DiffClass}
# A different key for each layout, so that a script written for rows fails loudly on the other one.
RESULTS_KEY = {Layout.ROWS: "results", Layout.BY_VARIANT: "results_by_variant"}
# Each distinct value of an outcome's array and object fields is written once, in ``outcome_parts``, and the outcome
# holds the value's index there: the corpus' outcomes hold 2,500 call lists of 1,242 distinct ones, 424 event lists
# of 5 (984 -> 447 KB). ``status``, ``ret`` and ``error``, what the readers of rows take from a row's outcome (the
# shared cases' checks among them), stay in the outcome itself.
# A call record's fields (models.outcome.CALL_FIELDS) are indexes into ``outcome_parts.call_values`` (schema 9; schema
# 7 had function, component and where as indexes into ``call_names``): the corpus' 1,086 distinct records hold 34
# distinct values, whose texts were 78 KB written each time (two input register sets 26 KB, SEAMLDR leaves 12 KB).
_BEFORE_ARGS = len(CALL_FIELDS) - 1  # a call record's fields but its args (left out when none); a count comes last
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode  # json.dumps with separators makes an encoder each call
# ``ret_type`` (schema 7) too: a few distinct C types, written in nearly every outcome (30 KB of the corpus' report).
PARTS = ("calls", "log", "events", "regs_out", "state", "limits", "unrecorded", "ret_type")


def _scenario_id(s: Scenario) -> str:
    """A scenario's id, what rows name it by: its entry, leaf name, script and unit joined by "/" (harness.matrix
    builds it so; no entry, leaf or script name holds a "/", harness.matrixtext, so ``id.split("/", 3)`` gives the
    four back, a unit named by its path included)."""
    if s.id != f"{s.entry.name}/{s.leaf_name}/{s.script.name}/{s.unit.name}":
        raise ValueError(f"scenario {s.id} is not named by its parts")  # a programming error, never input
    return s.id


def _scenario(s: Scenario) -> dict[str, Any]:
    """A comparison's extra scenario by its parts (its id is them joined by "/"); its leaf's number is in
    ``leaves``."""
    _scenario_id(s)
    return {
        "entry": s.entry.name,
        "leaf_name": s.leaf_name,  # its number in ``leaves``
        "script": s.script.name,
        "unit": s.unit.name,  # its path in ``units`` (schema 7: 700 scenarios wrote 2 paths over and over)
    }


def _all_scenarios(rep: EvalReport) -> tuple[Scenario, ...]:
    """The matrix's scenarios and the comparisons' extra ones (their value runs)."""
    return (*rep.scenarios, *(x for c in (*rep.per_patch, *rep.across) for x in c.extra))


def _leaves(rep: EvalReport) -> dict[str, int]:
    """Each leaf the scenarios (and the comparisons' extra_scenarios) take, by its name: its number (a matrix names
    each leaf once, harness.matrix)."""
    out: dict[str, int] = {}
    for s in _all_scenarios(rep):
        if out.setdefault(s.leaf_name, s.leaf) != s.leaf:
            raise ValueError(f"two leaves named {s.leaf_name}")  # a programming error, never input
    return out


def _units(rep: EvalReport) -> dict[str, str]:
    """Each translation unit the scenarios name (the matrix's and the comparisons' extra ones), by name, its path:
    a unit's name is one path's (harness.discover names a second file of the same name by its path)."""
    out: dict[str, str] = {}
    for s in _all_scenarios(rep):
        if out.setdefault(s.unit.name, s.unit.path) != s.unit.path:
            raise ValueError(f"two units named {s.unit.name}")  # a programming error, never input
    return out


def _code(code: CodeIdentity) -> dict[str, object]:
    """Whether two revisions hold the same code (harness.samecode), as its sentence says it."""
    return {"match": code.match.value, "said": code.said(),
            "files": [{"path": path, "blob": blob} for path, blob in code.blobs],
            "not_compared": list(code.unknown), "differ": list(code.differ)}


def _comparison(c: Comparison, sids: dict[str, str], left_out: tuple[str, ...] = (),
                apart: BasesApart | None = None) -> str:
    """One comparison as JSON text; ``sids`` holds the index of each scenario of the matrix as text, by its id;
    ``left_out`` the patches of the first revision the second has none titled as (EvalReport.left_out); ``apart``
    the two revisions' bases and the note saying they differ (EvalReport.bases_apart), its key left out when None.

    The differing scenarios are grouped by what differs (classes and notes), groups in the order their first
    scenario comes: a patch that changes one format string changes it in hundreds of scenarios alike, and
    the report then says so once, with the scenarios' indexes, instead of once per scenario. An index past the
    matrix's scenarios is one of the comparison's ``extra_scenarios`` (a changed condition's value runs).
    """
    sids = {**sids, **{x.id: str(len(sids) + n) for n, x in enumerate(c.extra)}} if c.extra else sids
    notes: dict[str, int] = {}  # each distinct note once per comparison; groups point at them
    groups: dict[tuple[tuple[DiffClass, ...], tuple[str, ...]], list[str]] = {}
    # Grouped by value: a tuple of notes hashes its strings' kept hashes in C, and the few classes' (an Enum's hash
    # is Python code) cost less than the id() of both tuples (an audit event each, read by the run recording's
    # Python hook: 3,300 instructions), which in a filled-cache run met no tuple twice (each comes unpickled).
    for d in c.differences:
        encoded = sids[d.scenario.id]
        members = groups.get(key := (d.classes, d.notes))
        if members is None:
            members = groups[key] = []
            for n in d.notes:
                notes.setdefault(n, len(notes))
        members.append(encoded)
    differing = []
    for (classes, refs), members in groups.items():
        words = ",".join([f'"{_CLASS_VALUE[k]}"' for k in classes])  # values are plain words
        points = ",".join([str(notes[n]) for n in refs])
        differing.append(f'{{"classes":[{words}],"notes":[{points}],"scenarios":[{",".join(members)}]}}')
    head = json.dumps({
        "view": c.view, "a": c.a, "b": c.b, "label": c.label, "msgid": c.msgid, "changed": c.changed,
        "total": c.total, "compared": c.compared, "left_out": list(left_out), "summary": c.summary(),
        "not_compared": [{"entries": list(g.entries), "scenarios": g.scenarios, "reason": g.reason} for g in c.gaps],
        "unreached": list(c.unreached),
        "not_run": list(c.not_run),
        "undecided": list(c.undecided),
        # scenarios a changed condition's neighbouring answers added (harness.valuecover): not in the matrix
        "extra_scenarios": [{**_scenario(x), "answers": [a.code for a in x.script.answers], **_inputs(x.script)}
                            for x in c.extra],
        "notes": list(notes),
        "conversions": [_conversion(i, n.change) for n, i in notes.items() if isinstance(n, ConversionNote)],
        **({"code": _code(c.code)} if c.code is not None else {}),
        **({"bases_apart": {"a": apart.a, "b": apart.b, "note": apart.note, "from": apart.source}} if apart else {})},
        separators=(",", ":"))
    return f'{head[:-1]},"differing":[{",".join(differing)}]}}'


def _inputs(script: Script) -> dict[str, Any]:
    """A script's input registers (struct tdx_module_args before the SEAMCALL), left out when all 0."""
    return {"inputs": dict(script.inputs)} if script.inputs else {}


def _conversion(note: int, c: ConversionChange) -> dict[str, Any]:
    """A log note that names the conversions a value was printed with (harness.convnotes), as data."""
    return {"note": note, "argument": c.argument, "before": c.before, "after": c.after,
            "printed": [c.printed_before, c.printed_after], "sites": [c.site_before, c.site_after]}


def rule_row(row: RuleRow, reads: dict[Reading, int]) -> dict[str, Any]:
    """A rule's citation, its verdict on every variant and what each rests on (indexes into ``reads``, filled as
    met), and what each revision addressed or regressed."""
    r = row.rule
    return {"id": r.id, "reviewer": r.reviewer, "msgid": r.msgid, "date": r.date, "severity": r.severity.value,
            "summary": r.summary, "quote": row.quote,
            "verdicts": {name: v.status.value for name, v in row.verdicts.items()},
            # what each verdict rests on, as the gate's ``read`` says it (a source, changelog or equivalence rule's)
            # (schema 8: each reading once, in ``reads``: a prefix and its revision read the same function in the
            # same state, the corpus' 12 rules wrote 81 readings 34 KB over)
            "read": {name: [reads.setdefault(x, len(reads)) for x in v.read]
                     for name, v in row.verdicts.items() if v.read},
            # why a verdict is inconclusive, as the terminal and the page say it under the revision's verdict
            "inconclusive": {name: v.note for name, v in row.verdicts.items()
                             if v.status is VerdictStatus.INCONCLUSIVE and v.note},
            "revisions": [{"from": c.before, "to": c.after, "change": c.change.value} for c in row.changes]}


def _cross(rows: tuple[CrossRow, ...] | None) -> dict[str, Any] | None:
    if rows is None:
        return None
    return {c.variant: {"compared": c.compared, "agreed": c.agreed,
                        "from_text": {"compared": c.text_compared, "agreed": c.text_agreed},
                        "from_expansion": {"compared": c.expansion_compared, "agreed": c.expansion_agreed,
                                           "why": list(c.fallback)},
                        "log_records": {"libc": c.log_libc, "mirror": c.log_mirror},
                        "not_compared": list(c.not_compared),
                        "refused_alike": list(c.refused_alike),
                        "disagreements": [{"scenario": d.scenario, "divergence": d.divergence,
                                           "mirror": outcome_to_dict(d.mirror), "native": outcome_to_dict(d.native)}
                                          for d in c.disagreements]}
            for c in rows}


def _outcome_table(rep: EvalReport) -> tuple[str, str, str, list[str]]:
    """The outcomes table as JSON text (each distinct outcome by value once, the one most rows point at first),
    ``outcome_parts`` and ``errnos`` as JSON text and, per outcome view of the report, its index in the table as
    text ("null" for not provided)."""
    firsts, per_view = _distinct_outcomes(rep)
    errnos = _errnos(firsts)
    uses = [0] * len(firsts)
    variants = Counter(rep.classes)  # each variant of a class writes the class's rows
    for cls, cells in zip(rep.classes, rep.cells, strict=True):
        if variants[cls]:
            for view, n in Counter(cells).items():
                if per_view[view] >= 0:
                    uses[per_view[view]] += n * variants[cls]
            variants[cls] = 0
    # Schema 9: most used first, so that most rows' indexes are short (the corpus' 12,740 rows: 40 -> 34 KB).
    order = sorted(range(len(firsts)), key=lambda k: -uses[k])
    rank = [0] * len(firsts)
    for r, k in enumerate(order):
        rank[k] = r
    parts: dict[str, dict[str, int]] = {k: {} for k in PARTS}
    texts = [_with_parts(firsts[k], parts, errnos) for k in order]
    tables = {k: list(t) for k, t in parts.items()}
    values: dict[str, int] = {}
    records: dict[str, int] = {}
    tables["calls"] = _valued_calls(tables["calls"], values, records)
    log_lines: dict[str, int] = {}
    tables["log"] = _record_refs(tables["log"], 2, log_lines)
    tables["call_records"] = list(records)
    tables["call_values"] = list(values)
    tables["log_lines"] = list(log_lines)
    shared = "{" + ",".join(f'"{k}":[{",".join(t)}]' for k, t in tables.items()) + "}"
    named = "{" + ",".join([f'"{ret}":{_ENCODE(name)}' for ret, name in errnos.items()]) + "}"
    return "[" + ",".join(texts) + "]", shared, named, ["null" if k < 0 else str(rank[k]) for k in per_view]


def _errnos(outcomes: list[Outcome]) -> dict[int, str]:
    """Per return value the errno name of the first outcome that returns it with one: the ``errnos`` table (schema
    10, keyed there by the value's decimal text). The mirror names a negative value of a signed type by the errno it
    is (models.mirror: ``ERRNO_NAMES``, from the uapi errno headers), so one value has one name in every outcome."""
    table: dict[int, str] = {}
    for o in outcomes:
        if o.errno is not None and type(o.ret) is int and o.ret not in table:
            table[o.ret] = o.errno
    return table


def _distinct_outcomes(rep: EvalReport) -> tuple[list[Outcome], list[int]]:
    """Each distinct outcome once, in the order first met, and per outcome view its index there (-1: not
    provided)."""
    by_value: dict[object, int] = {}  # Outcome is a frozen dataclass: equal by value, hashable
    index: dict[tuple[tuple[str, str], ...], int] = {}  # by what is written: the fields' texts
    firsts: list[Outcome] = []
    per_view = []
    for o in rep.outcomes:
        if o.outcome.status is OutcomeStatus.NOT_PROVIDED:
            per_view.append(-1)
            continue
        n = by_value.get(o.outcome)
        if n is None:
            fields = o.outcome.json_fields
            n = index.get(fields)
            if n is None:
                n = index[fields] = len(firsts)
                firsts.append(o.outcome)
            by_value[o.outcome] = n
        per_view.append(n)
    return firsts, per_view


def _valued_calls(texts: list[str], values: dict[str, int], records: dict[str, int]) -> list[str]:
    """Each distinct calls list's text as its calls' indexes into ``records``, each ``[index]`` with a repeat count
    appended where the call repeats: the record (each distinct one once, schema 8) is each of its fields' value as
    an index into ``values`` (each distinct value's JSON text once, schema 9); both tables filled as met. Each
    distinct list decoded once, and each distinct value encoded once (the corpus' 1,242 lists hold 1,536 calls of
    1,086 records, whose fields hold 34 distinct values)."""
    # Per field, each value met: its index as text. A field holds values of one type (CALL_FIELDS), so 1 and True,
    # equal as keys and not as JSON, are never in one dict; an object (percpu, args) is keyed by its JSON text.
    seen: list[dict[object, str]] = [{} for _ in CALL_FIELDS]
    out = []
    for text in texts:
        refs = []
        for c in json.loads(text):
            count = c.pop() if len(c) > _BEFORE_ARGS and type(c[-1]) is int else None
            fields = []
            for x, known in zip(c, seen, strict=False):  # a record without args is one field short
                key = _ENCODE(x) if type(x) is dict else x
                n = known.get(key)
                if n is None:
                    n = known[key] = str(values.setdefault(_ENCODE(x), len(values)))
                fields.append(n)
            k = records.setdefault(f"[{','.join(fields)}]", len(records))
            refs.append(f"[{k}]" if count is None else f"[{k},{count}]")
        out.append("[" + ",".join(refs) + "]")
    return out


def _record_refs(texts: list[str], width: int, records: dict[str, int]) -> list[str]:
    """Each distinct list's text (of records ``width`` fields long, a repeat count appended to one that repeats) as
    its records' indexes into ``records`` (each distinct record's JSON text once, filled as met), each ``[index]``
    with the repeat count appended: the corpus' 308 log lists hold 528 lines of 208 texts (41 -> 17 KB)."""
    out = []
    for text in texts:
        refs = []
        for rec in json.loads(text):
            n = records.setdefault(_ENCODE(rec[:width]), len(records))
            refs.append(f"[{n}]" if len(rec) == width else f"[{n},{rec[width]}]")
        out.append("[" + ",".join(refs) + "]")
    return out


def _with_parts(o: Outcome, parts: dict[str, dict[str, int]], errnos: dict[int, str] | None = None) -> str:
    """An outcome as JSON text with each array or object field an index into its table in ``parts`` (its value's
    JSON text -> index, filled as met). The fields' texts are the outcome's own (Outcome.json_fields: read from the
    outcome cache's line as they are, or encoded once), never cut out of a whole text again.

    ``errno`` (schema 10) is left out where it is what ``errnos`` names the outcome's ``ret`` (936 of the corpus'
    2,662 outcomes wrote it, 15 KB), and written where it is not: ``null`` for a return value ``errnos`` names that
    this outcome holds no errno for (never made by the mirror, which names each value alike)."""
    fields = o.json_fields
    named = errnos.get(o.ret) if errnos and type(o.ret) is int else None
    if named is not None and o.errno != named:
        fields = (*fields, ("errno", "null")) if o.errno is None else fields
    elif named is not None:
        fields = tuple([(k, v) for k, v in fields if k != "errno"])
    pieces = []
    for key, value in fields:
        table = parts.get(key)
        pieces.append(f'"{key}":{value if table is None else table.setdefault(value, len(table))}')
    return "{" + ",".join(pieces) + "}"


def _rows(rep: EvalReport, per_view: list[str]) -> Iterator[str]:
    """``results`` as rows: one per variant x scenario the variant provides, pointing at its outcome; made
    variant by variant, so that a large matrix is never one string."""
    sids = [json.dumps(s.id) for s in rep.scenarios]
    left = Counter(rep.classes)  # variants of each outcome class still to write
    tails: dict[int, list[str]] = {}  # per outcome class: its rows after "variant", while a variant needs them
    yield "["
    first = True
    for view, cls, cells in zip(rep.variants, rep.classes, rep.cells, strict=True):
        tail = tails.get(cls)
        if tail is None:
            tail = [f'"scenario":{sid},"outcome":{per_view[n]}}}'
                    for sid, n in zip(sids, cells, strict=True) if per_view[n] != "null"]
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


def _lifted(rep: EvalReport) -> dict[str, Any]:
    """``lifted_objections``, left out when none: per judged revision and reviewer variant, the lines the gate's
    ``lifted_objections`` hold for that state (an objection its sender lifted, a reply the user read)."""
    lines = [{"variant": r.judged_as, "line": x} for r in (*rep.summaries, *rep.reviewers) for x in r.lifted]
    return {"lifted_objections": lines} if lines else {}


def eval_dict(rep: EvalReport, layout: Layout = Layout.ROWS) -> dict[str, Any]:
    """Everything the eval found, in the documented schema, without the large parts (``outcomes``, ``results`` or
    ``results_by_variant``, ``differences``, ``outcome_parts`` and ``errnos`` are None; eval_json fills them)."""
    reads: dict[Reading, int] = {}
    return {
        "schema": SCHEMA,
        "layout": layout.value,
        "tool": {"name": "seamharness", "version": rep.version},
        "inputs": list(rep.inputs),
        "threads": [t.as_dict() for t in rep.threads],
        "base": rep.base,
        "series": {
            "title": rep.title,
            "revisions": [{"version": r.version, "rfc": r.rfc, "total": r.total,
                           "present": [p.number for p in r.patches],
                           "cover": r.cover.mail.msgid if r.cover else None} for r in rep.revisions],
            "bundled": rep.series_note or None,
        },
        "matrix": rep.matrix_path,
        "rules_file": rep.rules_path,
        **variant_tables(rep),  # patches, mails, file_states, variants
        "entries": [{"name": e.name, "kind": e.kind.value, "origin": e.origin, "args": list(e.args),
                     "units": list(e.units)} for e in rep.entries],
        "scripts": [{"name": sc.name, "answers": [{"code": a.code, "regs": dict(a.regs)} for a in sc.answers],
                     **({"cpu": sc.cpu} if sc.cpu else {}), **_inputs(sc)}
                    for sc in dict.fromkeys(s.script for s in rep.scenarios)],
        "units": _units(rep),
        "leaves": _leaves(rep),
        # schema 9: each by its id (the corpus' 700 as their parts' objects were 68 KB, as ids 38 KB)
        "scenarios": [_scenario_id(s) for s in rep.scenarios],
        "outcome_parts": None,
        "errnos": None,
        "outcomes": None,
        RESULTS_KEY[layout]: None,
        "differences": None,
        "findings": [{"kind": f.kind.value, "subject": f.subject, "text": f.text, "where": f.where}
                     for f in rep.findings],
        "rules": [rule_row(r, reads) for r in rep.rules],
        "reads": [x.as_dict() for x in reads],
        # The objections no rule judges, of each revision's judged state and each reviewer variant judged, as the
        # gate's JSON writes them.
        "objections": [{"variant": r.judged_as, **objection_dict(o)} for r in (*rep.summaries, *rep.reviewers)
                       for o in r.review.standing],
        "earlier_objections": [{"variant": r.judged_as, **earlier_dict(e)} for r in (*rep.summaries, *rep.reviewers)
                               for e in r.review.earlier],
        **_lifted(rep),
        "stats": {"runs_executed": rep.executed, "runs_replayed": rep.replayed, "runs_reused": rep.reused,
                  "runs_cached": rep.cached},
        "crosscheck": _cross(rep.crosscheck),
    }


def eval_json(rep: EvalReport, layout: Layout = Layout.ROWS) -> str:
    """The whole report as compact JSON text, ``results`` in the given layout."""
    return "".join(eval_json_pieces(rep, layout))


def eval_json_pieces(rep: EvalReport, layout: Layout = Layout.ROWS) -> Iterator[str]:
    """eval_json in pieces, in order (a variant's results, a comparison at a time): what writes a file
    need never hold a large report as one string."""
    text = json.dumps(eval_dict(rep, layout), separators=(",", ":"))
    key = RESULTS_KEY[layout]
    marker = f'"outcome_parts":null,"errnos":null,"outcomes":null,"{key}":null,"differences":null'
    head, found, tail = text.partition(marker)
    if not found:
        raise ValueError("eval_dict lost its table markers")  # a programming error, never input
    outcomes, shared, errnos, per_view = _outcome_table(rep)
    yield from (head, f'"outcome_parts":{shared},"errnos":{errnos},"outcomes":', outcomes, f',"{key}":')
    yield from _rows(rep, per_view) if layout is Layout.ROWS else _by_variant(rep, per_view)
    yield ',"differences":['
    sids = {s.id: str(n) for n, s in enumerate(rep.scenarios)}
    for n, c in enumerate(rep.per_patch_newest_first + rep.across):
        yield ("," if n else "") + _comparison(c, sids, rep.left_out(c), rep.bases_apart(c))
    yield from ("]", tail, "\n")
