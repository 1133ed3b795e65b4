"""Rows of an eval JSON report with their outcome fields inlined, defaults filled in (schema 2 keeps each
outcome once and leaves default fields out); not-provided variant x scenario pairs get a row of their own."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {"error": None, "error_kind": None, "limits": [],
                            "unrecorded": {"calls": 0, "log": 0, "events": 0}}


WIDTH = {"calls": 8, "log": 2, "events": 3}  # fields of a record; one more is its repeat count


def _expanded(outcome: dict[str, Any]) -> dict[str, Any]:
    out = dict(outcome)
    for key, width in WIDTH.items():
        out[key] = [rec[:width] for rec in outcome[key] for _ in range(rec[width] if len(rec) > width else 1)]
    return out


def flat_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    table = [_expanded(o) for o in report["outcomes"]]
    rows = {(r["variant"], r["scenario"]): {**r, **DEFAULTS, **table[r["outcome"]]} for r in report["results"]}
    out = []
    for v in report["variants"]:
        for s in report["scenarios"]:
            out.append(rows.get((v["name"], s["id"]), {"variant": v["name"], "scenario": s["id"],
                                                       "status": "not-provided", **DEFAULTS}))
    return out
