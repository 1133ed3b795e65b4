"""Rows of an eval JSON report with their outcome fields inlined and defaults filled in.

Rows of an eval JSON report with their outcome fields inlined, defaults filled in (the schema keeps each
outcome once and leaves default fields out, and writes an outcome's array and object fields as indexes into
``outcome_parts``); not-provided variant x scenario pairs get a row of their own. A comparison's differing
scenarios one by one (the schema groups them by how they differ, each scenario as an index). Each variant's
whole lists (applied, messages, findings, definitions, files with their provenance) from the tables and
``extends`` chains schema 4 writes them as."""

from __future__ import annotations

from typing import Any

from models.outcome import OUTCOME_KEYS

DEFAULTS: dict[str, Any] = {"error": None, "error_kind": None, "limits": [],
                            "unrecorded": {"calls": 0, "log": 0, "events": 0}}
# The outcome fields only an outcome that has them writes (docs/json-schema.md, schema 3).
OUTCOME_DEFAULTS: dict[str, Any] = {"calls": [], "ret": None, "ret_type": None, "errno": None, "log": [],
                                    "events": [], "regs_out": {}}


WIDTH = {"calls": 9, "log": 2, "events": 3}  # fields of a record; one more is its repeat count


def _expanded(outcome: dict[str, Any]) -> dict[str, Any]:
    out = {**OUTCOME_DEFAULTS, **outcome}
    # A call's args (after "where") are left out when empty: put them back so that every call has 9 fields.
    out["calls"] = [c if len(c) > 8 and isinstance(c[8], dict) else [*c[:8], {}, *c[8:]] for c in out["calls"]]
    outcome = out
    out = dict(outcome)
    for key, width in WIDTH.items():
        out[key] = [rec[:width] for rec in outcome[key] for _ in range(rec[width] if len(rec) > width else 1)]
    return out


def _rows_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Layout "by-variant" turned into the rows layout: an index per scenario, or same_as another variant."""
    if report["layout"] == "rows":
        return list(report["results"])
    arrays: dict[str, list[int | None]] = {}
    rows: list[dict[str, Any]] = []
    for entry in report["results_by_variant"]:
        outcomes = arrays[entry["variant"]] = arrays[entry["same_as"]] if "same_as" in entry else entry["outcomes"]
        assert len(outcomes) == len(report["scenarios"])
        rows.extend({"variant": entry["variant"], "scenario": scenario_id(s), "outcome": n}
                    for s, n in zip(report["scenarios"], outcomes, strict=True) if n is not None)
    return rows


def scenario_id(scenario: str | dict[str, Any]) -> str:
    """A scenario's id (what rows name it by): a ``scenarios`` entry is the id itself (schema 9); a comparison's
    extra scenario is its entry, leaf name, script and unit, joined by "/" (schema 8)."""
    if isinstance(scenario, str):
        return scenario
    return "/".join((scenario["entry"], scenario["leaf_name"], scenario["script"], scenario["unit"]))


def scenario_parts(scenario: str | dict[str, Any]) -> dict[str, str]:
    """A scenario's entry, leaf name, script and unit: a ``scenarios`` entry's id split at its first three "/" (no
    entry, leaf or script name holds one; a unit named by its path may)."""
    entry, leaf_name, script, unit = scenario_id(scenario).split("/", 3)
    return {"entry": entry, "leaf_name": leaf_name, "script": script, "unit": unit}


def whole_scenario(report: dict[str, Any], scenario: str | dict[str, Any]) -> dict[str, Any]:
    """A scenario as schema 7 wrote it: with its ``id``, its parts and its leaf's number (``leaf``)."""
    parts = scenario_parts(scenario)
    extra = {} if isinstance(scenario, str) else scenario
    return {"id": scenario_id(scenario), **extra, **parts, "leaf": report["leaves"][parts["leaf_name"]]}


def assumptions(report: dict[str, Any]) -> dict[str, list[str]]:
    """Per variant name the texts of its assumptions (schema 8: indexes into ``assumptions``)."""
    return {v["name"]: [report["assumptions"][n] for n in v["assumptions"]] for v in report["variants"]}


def reads(report: dict[str, Any], rule: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """A rule's ``read``, per variant its readings themselves (schema 8: indexes into ``reads``)."""
    return {name: [report["reads"][n] for n in refs] for name, refs in rule["read"].items()}


def whole_calls(parts: dict[str, Any], calls: list[list[int]]) -> list[list[Any]]:
    """A calls list of ``outcome_parts`` with each call its record (schema 8: an index into ``call_records``, the
    repeat count after it) and each of the record's fields looked up (schema 9: indexes into ``call_values``): the
    call records as schema 6 wrote them."""
    values = parts["call_values"]
    return [[values[x] for x in parts["call_records"][c[0]]] + c[1:] for c in calls]


def whole_log(parts: dict[str, Any], log: list[list[int]]) -> list[list[Any]]:
    """A log list of ``outcome_parts`` with each line its record (schema 9: an index into ``log_lines``, the repeat
    count after it): the log lines as schema 8 wrote them."""
    return [[*parts["log_lines"][x[0]], *x[1:]] for x in log]


def whole_errno(errnos: dict[str, str], outcome: dict[str, Any]) -> dict[str, Any]:
    """An outcome with its ``errno`` as schema 9 wrote it: schema 10 leaves it out where it is what ``errnos`` names
    the outcome's ``ret`` (a key: the value's JSON text), and writes ``null`` where the outcome has none for a value
    ``errnos`` names; an outcome without ``errno`` or ``null`` has none (outcome_to_dict leaves None out)."""
    out = dict(outcome)
    if "errno" not in out and "ret" in out and str(out["ret"]) in errnos:
        out["errno"] = errnos[str(out["ret"])]
    if "errno" in out and out["errno"] is None:
        del out["errno"]
    return out


def as_schema9(report: dict[str, Any]) -> dict[str, Any]:
    """A schema 10 report as schema 9 wrote it: each outcome's ``errno`` back in the outcome, in its place among the
    outcome's keys (models.outcome.OUTCOME_KEYS), no ``errnos`` table; every other key as it is, in its order."""
    errnos = report["errnos"]
    order = {k: n for n, k in enumerate(OUTCOME_KEYS)}
    outcomes = [dict(sorted(whole_errno(errnos, o).items(), key=lambda kv: order[kv[0]])) for o in report["outcomes"]]
    return {k: "seamharness-eval/9" if k == "schema" else outcomes if k == "outcomes" else v
            for k, v in report.items() if k != "errnos"}


def whole_outcomes(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The outcomes table with every field's value itself: the indexes into ``outcome_parts`` looked up, each call
    its record with the values it holds (whole_calls), each log line its record (whole_log) and ``errno`` from
    ``errnos`` (whole_errno; schema 9 and earlier wrote it in the outcome and have no ``errnos``)."""
    parts = dict(report["outcome_parts"])
    parts["calls"] = [whole_calls(parts, calls) for calls in parts["calls"]]
    parts["log"] = [whole_log(parts, log) for log in parts["log"]]
    errnos = report.get("errnos", {})
    return [whole_errno(errnos, {k: parts[k][v] if k in parts else v for k, v in o.items()})
            for o in report["outcomes"]]


def flat_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per variant x scenario, in variants then scenarios order, whatever the report's layout."""
    table = [_expanded(o) for o in whole_outcomes(report)]
    rows = {(r["variant"], r["scenario"]): {**r, **DEFAULTS, **table[r["outcome"]]} for r in _rows_of(report)}
    out = []
    for v in report["variants"]:
        for s in report["scenarios"]:
            sid = scenario_id(s)
            out.append(rows.get((v["name"], sid), {"variant": v["name"], "scenario": sid,
                                                       "status": "not-provided", **DEFAULTS}))
    return out


def scenario_ids(report: dict[str, Any], comparison: dict[str, Any]) -> list[str]:
    """The scenario id of each index a comparison's ``differing`` groups hold: the matrix's ``scenarios``, then the
    comparison's own ``extra_scenarios``."""
    return [scenario_id(s) for s in (*report["scenarios"], *comparison["extra_scenarios"])]


def with_scenario_ids(report: dict[str, Any]) -> dict[str, Any]:
    """The report with each comparison's differing scenarios named by their ids (as schema 5 wrote them), not
    indexes: what a test reads one comparison of."""
    out = dict(report)
    out["differences"] = [{**c, "differing": [{**g, "scenarios": [ids[n] for n in g["scenarios"]]}
                                              for g in c["differing"]]}
                          for c in report["differences"] for ids in [scenario_ids(report, c)]]
    return out


def differing(report: dict[str, Any], comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """A comparison's differing scenarios one by one: ``scenario`` (its id), ``classes`` and ``notes`` (the texts),
    group after group as the report writes them."""
    ids = scenario_ids(report, comparison)
    return [{"scenario": ids[n], "classes": g["classes"], "notes": [comparison["notes"][i] for i in g["notes"]]}
            for g in comparison["differing"] for n in g["scenarios"]]


def provenance(report: dict[str, Any], n: int) -> list[str]:
    """A file state's whole provenance: the states it continues (``after``), then its own entries."""
    parts = []
    while n is not None:
        state = report["file_states"][n]
        parts.append(state["provenance"])
        n = state["after"]
    return [entry for part in reversed(parts) for entry in part]


def variant_lists(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per variant name its ``applied``, ``messages``, ``findings``, ``definitions`` (name, kind, where) and
    ``files`` (path, complete, usable, blob, provenance; sorted by path), as schema 3 wrote them in each variant."""
    full: dict[str, dict[str, Any]] = {}
    for v in report["variants"]:
        base = full[v["extends"]] if v["extends"] is not None else {"applied": [], "messages": [], "findings": [],
                                                                   "definitions": [], "by_path": {}}
        adds = v["adds"]
        by_path = {p: n for p, n in base["by_path"].items() if p not in v["files_gone"]}
        by_path.update((report["file_states"][n]["path"], n) for n in adds["files"])
        definitions = list(base["definitions"])
        for at, remove, add in reversed(v["definition_edits"]):  # from the last: each at is the extended list's
            definitions[at : at + remove] = [report["definitions"][n] for n in add]
        full[v["name"]] = {
            "applied": base["applied"] + [report["patches"][n] for n in adds["applied"]],
            "messages": base["messages"] + [report["mails"][n] for n in adds["messages"]],
            "findings": base["findings"] + adds["findings"],
            "definitions": definitions,
            "by_path": by_path,
        }
    out = {}
    for name, got in full.items():
        files = [{**{k: report["file_states"][n][k] for k in ("path", "complete", "usable", "blob")},
                  "provenance": provenance(report, n)} for _, n in sorted(got.pop("by_path").items())]
        out[name] = {**got, "files": files}
    return out
