"""Rows of an eval JSON report with their outcome fields inlined, defaults filled in (schema 3 keeps each
outcome and each record once and leaves default fields out); not-provided variant x scenario pairs get a
row of their own; a row's scenario is its id."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {"calls": [], "ret": None, "ret_type": None, "errno": None, "log": [], "events": [],
                            "regs_out": {}, "error": None, "error_kind": None, "limits": [],
                            "unrecorded": {"calls": 0, "log": 0, "events": 0}}


def _expanded(report: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    """An outcome with its records read from the report's tables; a call's args (after "where", left out when
    empty) put back so that every call has 9 fields."""
    out = {**DEFAULTS, **outcome}
    for key in ("calls", "log", "events"):
        out[key] = [report[key][n] for n in out[key]]
    out["calls"] = [c if len(c) > 8 else [*c, {}] for c in out["calls"]]
    return out


def _rows_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Layout "by-variant" turned into the rows layout: an index per scenario, or same_as another variant."""
    if report["layout"] == "rows":
        return list(report["results"])
    arrays: dict[str, list[int | None]] = {}
    rows = []
    for entry in report["results_by_variant"]:
        outcomes = arrays[entry["variant"]] = arrays[entry["same_as"]] if "same_as" in entry else entry["outcomes"]
        assert len(outcomes) == len(report["scenarios"])
        rows.extend({"variant": entry["variant"], "scenario": s, "outcome": n}
                    for s, n in enumerate(outcomes) if n is not None)
    return rows


def flat_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per variant x scenario, in variants then scenarios order, whatever the report's layout."""
    table = [_expanded(report, o) for o in report["outcomes"]]
    rows = {(r["variant"], r["scenario"]): {**r, **table[r["outcome"]]} for r in _rows_of(report)}
    out = []
    for v in report["variants"]:
        for n, s in enumerate(report["scenarios"]):
            row = rows.get((v["name"], n), {"status": "not-provided", **DEFAULTS})
            out.append({**row, "variant": v["name"], "scenario": s["id"]})
    return out
