"""Review rules: a TOML file where each reviewer point becomes an executable check citing its message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.tomlfile import line_of, load_toml

KINDS = ("behaviour", "equivalence", "consistency", "source", "changelog", "moves")
SEVERITIES = ("error", "warning")
_EXPECT_KEYS = {"calls", "calls_at_most", "calls_at_least", "ret", "errno", "status", "log_match", "log_not_match",
                "no_events"}
_SOURCE_KEYS = {"function", "no_new_calls", "not_referencing", "set_together", "no_new_printers", "reference"}


@dataclass(frozen=True)
class Rule:
    """One reviewer point: who, where, what sentence, how severe, and the check that enforces it."""

    id: str
    reviewer: str
    msgid: str | None
    date: str
    quote: str
    summary: str
    severity: str
    kind: str
    check: dict[str, Any]
    applies_from: int | None
    requires_entry: str | None
    where: Where
    patch: str | None = None  # the patch the point is about, by title: found in every revision


def _text(table: dict[str, Any], key: str, where: Where, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value):
        raise InputError(where, f"rule needs a string '{key}'")
    return value


def _check(table: dict[str, Any], where: Where) -> tuple[str, dict[str, Any]]:
    check = table.get("check")
    if not isinstance(check, dict):
        raise InputError(where, "rule needs a [rule.check] table")
    kind = check.get("kind")
    if kind not in KINDS:
        raise InputError(where, f"check kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "behaviour":
        expect = check.get("expect")
        if not isinstance(expect, dict) or not expect or set(expect) - _EXPECT_KEYS:
            bad = ", ".join(sorted(set(expect or {}) - _EXPECT_KEYS)) if isinstance(expect, dict) else "missing"
            raise InputError(where, f"behaviour check needs 'expect' with known keys ({bad})")
    if kind == "source" and (set(check) - {"kind"} - _SOURCE_KEYS):
        raise InputError(where, f"unknown source check keys: {', '.join(sorted(set(check) - {'kind'} - _SOURCE_KEYS))}")
    if kind in ("equivalence",) and not isinstance(check.get("reference"), str):
        raise InputError(where, "equivalence check needs a 'reference' variant (a name, before:N or before:patch)")
    has_regex = isinstance(check.get("must_not_match"), str)
    if kind == "changelog" and not ((isinstance(check.get("patch"), int) or table.get("patch")) and has_regex):
        raise InputError(where, "changelog check needs a patch (the rule's 'patch', or a number) and "
                                "'must_not_match' (a regex)")
    for key in ("must_not_match",):
        if key in check:
            try:
                re.compile(check[key])
            except re.error as exc:
                raise InputError(where, f"bad regular expression in '{key}': {exc}") from exc
    return kind, check


def load_rules(path: Path) -> tuple[Rule, ...]:
    """Read and check a rules file; every error names the file and the rule's line."""
    text, data = load_toml(path)
    rules: list[Rule] = []
    for table in data.get("rule", []):
        rid = str(table.get("id", ""))
        where = Where(str(path), line_of(text, f'"{rid}"') if rid else 0)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rid):
            raise InputError(where, f"rule id {rid!r} must be lower-case words joined by '-'")
        if any(r.id == rid for r in rules):
            raise InputError(where, f"rule id {rid} is used twice")
        severity = table.get("severity", "error")
        if severity not in SEVERITIES:
            raise InputError(where, f"severity must be error or warning, not {severity!r}")
        kind, check = _check(table, where)
        applies = table.get("applies_from")
        patch = table.get("patch")
        if patch is not None and (not isinstance(patch, str) or not patch.strip()):
            raise InputError(where, "'patch' names the patch by (part of) its title")
        rules.append(Rule(
            id=rid, reviewer=_text(table, "reviewer", where), msgid=table.get("msgid") or None,
            date=_text(table, "date", where, required=False), quote=_text(table, "quote", where, required=False),
            summary=_text(table, "summary", where), severity=severity, kind=kind, check=check,
            applies_from=int(applies) if isinstance(applies, int) else None,
            requires_entry=table.get("requires_entry"), where=where, patch=patch,
        ))
    if not rules:
        raise InputError(str(path), "no [[rule]] in this file")
    return tuple(rules)
