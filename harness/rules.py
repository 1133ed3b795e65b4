"""Review rules: a TOML file where each reviewer point becomes a typed, executable check citing its message.

Format: docs/rules.md. Every table is read into a frozen spec (harness.spec): unknown keys, wrong types,
unknown check kinds and bad regular expressions are refused with the file and line.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.explain import DiffClass
from harness.matrix import EntryKind, Scenario
from harness.readreplies import read_tables
from harness.spec import closest, key_locator, read_spec, refuse_long_text, unknown
from harness.tomlfile import parse_toml, read_toml_text, text_lines, top_key_line, value_line
from models.errnos import ERRNO
from models.machine import EventKind
from models.outcome import OutcomeStatus
from models.record import record
from series import named

# A variant's name may hold ':' (v3:06), but never starts "before:", which only before:N and before:patch are.
_REFERENCE = re.compile(r"^before:(patch|\d+)$|^(?!before:)[A-Za-z0-9][\w.:+-]*$")
_C_NAME = re.compile(r"[A-Za-z_]\w*")


class Severity(StrEnum):
    """What a failing rule does to the gate: an error fails it, a warning is reported only."""

    ERROR = "error"
    WARNING = "warning"


class Property(StrEnum):
    """What a consistency check compares across components."""

    LEAF_BASE = "leaf-base"  # the leaf's number base: decimal or hex
    LEAF_FORMAT = "leaf-format"  # one conversion prints every leaf: base, 0x prefix and field width (harness.leafform)


class NumberBase(StrEnum):
    """How a number is printed."""

    DECIMAL = "decimal"
    HEX = "hex"


@record
class Selector:
    """Scenarios of the matrix by entry, leaf, script and unit name: shell patterns; empty picks all."""

    entry: tuple[str, ...] = ()
    leaf: tuple[str, ...] = ()
    script: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()

    def picks(self, s: Scenario) -> bool:
        if not self.entry and s.entry.kind is not EntryKind.MATRIX:
            return False  # "every entry point" is the matrix's, which the rule was written against
        # A scenario of an entry point fed no leaf is picked by each leaf it stands for (matrix._expand).
        return (_one(s.entry.name, self.entry) and (_one(s.leaf_name, self.leaf)
                                                    or any(_one(n, self.leaf) for n in s.stands_for))
                and _one(s.script.name, self.script) and _one(s.unit.name, self.unit))


def _one(value: str, pats: tuple[str, ...]) -> bool:
    """Whether ``value`` matches one of the shell patterns (fnmatchcase), all of them none: every one."""
    return not pats or _matcher(pats)(value) is not None


@lru_cache(maxsize=1024)
def _matcher(pats: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """fnmatchcase of any of ``pats`` as one pattern: a rule's selector is asked of every scenario of the matrix
    (hundreds of thousands of times in a test session), each a Python loop over its patterns before."""
    return re.compile("|".join(fnmatch.translate(p) for p in pats)).match


@record
class Expect:
    """What every selected outcome must show; at least one key is given."""

    calls: int | None = None
    calls_at_most: int | None = None
    calls_at_least: int | None = None
    ret: int | None = None
    errno: str | None = None
    status: OutcomeStatus | None = None
    log_match: tuple[re.Pattern[str], ...] = ()
    log_not_match: tuple[re.Pattern[str], ...] = ()
    no_events: tuple[EventKind, ...] = ()
    no_retry: bool = False  # no SEAMCALL of the scenario's leaf issued again after one of them failed
    preempt_disabled: bool = False  # every SEAMCALL issued with preemption disabled (preempt count > 0 at it)
    same_across_leaves: bool = False  # as many SEAMCALLs whatever the leaf, same entry, script and unit (leafsame)

    @property
    def met_by_no_call(self) -> bool:
        """Whether a run issuing no SEAMCALL meets every key whatever the code does (at most N calls, no line
        matching, no events): a pass on such runs says nothing of the leaf. A value asked for is the run's own."""
        return (self.calls is None and not self.calls_at_least and self.calls_at_most != 0 and self.ret is None
                and self.errno is None and self.status is None and not self.log_match)


@record
class BehaviourCheck:
    """Every selected scenario the variant provides meets ``expect``."""

    expect: Expect
    scenarios: Selector = Selector()


@record
class EquivalenceCheck:
    """Every selected outcome equals the reference variant's, apart from the ignored classes."""

    reference: str
    scenarios: Selector = Selector()
    ignore: tuple[DiffClass, ...] = ()


@record
class Component:
    """A component of a consistency check: its entry points (first provided one used) and leaves."""

    entries: tuple[str, ...]
    leaves: tuple[str, ...]


@record
class ConsistencyCheck:
    """Every component shows ``property`` the same way (or as ``base`` says)."""

    property: Property
    components: dict[str, Component]
    base: NumberBase | None = None


@record
class SourceCheck:
    """Facts of the patched code (pycparser's AST), in ``function`` and everything it calls."""

    function: str | None = None
    no_new_calls: tuple[str, ...] = ()
    not_referencing: tuple[str, ...] = ()
    set_together: str | None = None
    no_new_printers: bool = False
    reference: str | None = None
    # Exported symbols (harness.exportcheck): none new, and the kernel macros / modules they may be exported with.
    no_new_exports: bool = False
    exports_only: tuple[str, ...] = ()
    exports_to: tuple[str, ...] = ()

    @property
    def reads_exports(self) -> bool:
        """Whether the check looks at exports (and at nothing else: load_rules refuses a mix)."""
        return self.no_new_exports or bool(self.exports_only) or bool(self.exports_to)


@record
class ChangelogCheck:
    """No line of the patch's changelog matches ``must_not_match``."""

    must_not_match: re.Pattern[str]
    patch: int | None = None


@record
class MovesCheck:
    """Every applied patch that moves functions or macros keeps the behaviour of what reaches them."""


@record
class LockdepCheck:
    """The selected scenarios' runs, as one boot runs them, make lockdep report nothing (harness.lockdepcheck)."""

    scenarios: Selector = Selector()


CheckSpec = BehaviourCheck | EquivalenceCheck | ConsistencyCheck | SourceCheck | ChangelogCheck | MovesCheck \
    | LockdepCheck


@record
class _Head:
    """The citation part of a ``[[rule]]`` table (the check is read separately, by its kind)."""

    id: str
    reviewer: str
    summary: str
    check: dict[str, Any] | None = None
    msgid: str | None = None
    date: str | None = None  # as written in the rules file; None when not given (as msgid)
    quote: str = ""
    severity: Severity = Severity.ERROR
    patch: str | None = None
    applies_from: int | None = None
    requires_entry: str | None = None
    guard: bool = False


@dataclass(frozen=True, eq=False)
class Rule:
    """One reviewer point: who, where, what sentence, how severe, and the typed check that enforces it."""

    id: str
    reviewer: str
    summary: str
    severity: Severity
    kind: str
    check: CheckSpec
    where: Where
    msgid: str | None = None
    date: str | None = None  # as written in the rules file; None when not given (as msgid)
    quote: str = ""
    patch: str | None = None  # the patch the point is about, by title: found in every revision
    applies_from: int | None = None
    requires_entry: str | None = None
    places: Mapping[str, Where] = field(default_factory=dict, repr=False)
    # The point keeps what the code the cited message reviewed already does (a guarantee asked for, not an
    # objection): its check passes there by design, so a pass is not shown to address anything (harness.witness).
    guard: bool = False

    def place(self, key: str) -> Where:
        """Where a key of this rule is written: a dotted one (``scenarios.entry.NAME``) at its first part's when
        not known, any at the rule's line when not known."""
        return self.places.get(key) or self.places.get(key.split(".", 1)[0], self.where)




# A rule's date, as docs/rules.md gives it: the day of the cited message, ISO 8601's calendar date in its extended
# form (YYYY-MM-DD, ASCII digits), a real day; 20260129 or 2026-W05-4, which date.fromisoformat also takes, are not it.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _validate_head(head: _Head, locate: Callable[[str], Where]) -> None:
    """What the types alone cannot say of the citation part: InputError at the key's line."""
    if head.date is not None and not (_DAY.fullmatch(head.date) and _real_day(head.date)):
        # Taken as written and shown beside the citation: 'date = "not a date"' was read.
        raise InputError(locate("date"), f"date {head.date!r} is not a day written YYYY-MM-DD (ISO 8601)")
    if head.patch is not None and not head.patch.strip():
        raise InputError(locate("patch"), "'patch' names the patch by (part of) its title")
    if head.requires_entry is not None and not _C_NAME.fullmatch(head.requires_entry):
        # '' was taken as no requirement: the rule applied to a variant without the entry point it names.
        raise InputError(locate("requires_entry"), f"requires_entry: {head.requires_entry!r} is not a C name "
                                                   "(an entry point's, as the matrix names it)")
    if head.patch is not None and head.applies_from is not None:
        # The title wins (it follows the patch across revisions): the number would be ignored without a word.
        raise InputError(locate("applies_from"), "give 'patch' (by title, followed from revision to revision) or "
                                                 "'applies_from' (by number, for one revision), not both")


def _real_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return False
    return True


def _validate(head: _Head, check: CheckSpec, where: Where, locate: Callable[[str], Where]) -> None:
    """What the types alone cannot say."""
    _validate_head(head, locate)
    if isinstance(check, BehaviourCheck) and check.expect == Expect():
        raise InputError(locate("expect"), "behaviour check needs 'expect' with at least one key")
    if isinstance(check, BehaviourCheck):
        _check_counts(check.expect, locate)
    errno = check.expect.errno if isinstance(check, BehaviourCheck) else None
    if errno is not None and errno != "none" and errno not in ERRNO:
        # Outcomes name an errno as the kernel's header does ("EBUSY"): anything else could never match; "none"
        # is a run that sets none (docs/rules.md).
        hint = f" (did you mean '{errno.lstrip('-')}'?)" if errno.lstrip("-") in ERRNO else closest(errno, ERRNO)
        raise InputError(locate("errno"), f"expect.errno {errno!r} is not an errno name (or \"none\"){hint}")
    if isinstance(check, SourceCheck) and check == SourceCheck(function=check.function, reference=check.reference):
        raise InputError(locate("kind"), "source check needs something to check (no_new_calls, not_referencing, "
                                "set_together, no_new_printers, no_new_exports, exports_only or exports_to)")
    if isinstance(check, SourceCheck):
        _validate_exports(check, where, locate)
        _validate_names(check, locate)
    if isinstance(check, SourceCheck) and check.function is None and (check.no_new_calls or check.not_referencing
                                                                      or check.set_together):
        raise InputError(where, "source check needs 'function' for no_new_calls, not_referencing and set_together")
    if isinstance(check, ChangelogCheck) and check.patch is None and head.patch is None:
        raise InputError(locate("kind"), "changelog check needs a patch (the rule's 'patch', or a number)")
    for ref in (getattr(check, "reference", None),):
        if ref is not None and not _REFERENCE.match(ref):
            raise InputError(locate("reference"), f"reference {ref!r} must be a variant name, before:N or before:patch")
        if ref == "before:patch" and head.patch is None:
            # The state before the rule's patch: without 'patch' there is none, and the rule could never run.
            raise InputError(where, "reference 'before:patch' needs the rule's 'patch' (part of the patch's title)")
    if isinstance(check, ConsistencyCheck) and not check.components:
        raise InputError(locate("kind"), "consistency check needs at least one component")
    if head.guard and (head.msgid is None or isinstance(check, ChangelogCheck)):
        # A changelog's pattern is shown able to fail only by the text the reviewer objected to; a guard without the
        # message it keeps a guarantee of would pass with nothing shown at all.
        why = "a changelog rule is shown able to fail only on the commit message its cited review read" \
            if head.msgid is not None else "it needs the 'msgid' of the review whose guarantee it keeps"
        raise InputError(locate("guard"), f"guard = true: {why}")


def _validate_names(check: SourceCheck, locate: Callable[[str], Where]) -> None:
    """A source check's names are C identifiers: '' or 'likely()' is in no code, and no_new_calls = [""] passed
    a variant that adds the calls the rule forbids."""
    for key in ("function", "no_new_calls", "not_referencing", "set_together"):
        value = getattr(check, key)
        for name in (value,) if isinstance(value, str) else value or ():
            if not _C_NAME.fullmatch(name):
                raise InputError(locate(key), f"{key}: {name!r} is not a C name (letters, digits and '_', "
                                              "not starting with a digit)")


def _check_counts(expect: Expect, locate: Callable[[str], Where]) -> None:
    """Refuse SEAMCALL counts no run can meet all of (calls = 4 with calls_at_most = 3): the rule would fail on
    every variant, whatever its code does."""
    low = max((n for n in (expect.calls, expect.calls_at_least) if n is not None), default=None)
    high = min((n for n in (expect.calls, expect.calls_at_most) if n is not None), default=None)
    if low is not None and high is not None and low > high:
        given = ", ".join(f"{k} = {v}" for k, v in (("calls", expect.calls), ("calls_at_least", expect.calls_at_least),
                                                    ("calls_at_most", expect.calls_at_most)) if v is not None)
        raise InputError(locate("expect"), f"expect asks for {given}: no SEAMCALL count meets them all")


def _validate_exports(check: SourceCheck, where: Where, locate: Callable[[str], Where]) -> None:
    """The export keys (harness.exportcheck): a reference for "no new", kernel macro names, module names, and
    no mix with the keys that judge a function's code."""
    if check.no_new_exports and check.reference is None:
        raise InputError(locate("no_new_exports"), "no_new_exports needs 'reference' (the state whose exports are "
                                                   "not new, e.g. \"before:patch\")")
    code_keys = check.no_new_calls or check.not_referencing or check.set_together or check.no_new_printers
    if code_keys and check.reads_exports:
        raise InputError(where, "the export keys (no_new_exports, exports_only, exports_to) judge the files' "
                                "exports, not a function's code: give them in a rule of their own")
    if check.exports_only:  # the export preprocessor's tables only for a rules file that names macros
        from harness.kernelmacros import export_macros
    for name in check.exports_only:
        if name not in export_macros():
            raise InputError(locate("exports_only"), unknown("kernel export macro in 'rule.check.exports_only'", name,
                                                             export_macros()))
    for mod in check.exports_to:
        if not re.fullmatch(r"[\w*?\[\]-]+(,[\w*?\[\]-]+)*", mod):
            raise InputError(locate("exports_to"), f"'rule.check.exports_to' {mod!r} is not a module name (kvm, "
                                                   "kvm-intel; shell wildcards allowed)")


def _rule(table: Any, text: str, path: Path, lines: tuple[int, int], kinds: Mapping[str, type[CheckSpec]]) -> Rule:
    start, end = lines
    # A rule's places are written into the reports (guard = true at FILE:LINE): a bundled file by its path in
    # seamharness's source, as the reports' rules_file names it, the same on every machine; any other as given.
    shown = named(path)
    locate = key_locator(text, shown, start, end)
    where = Where(shown, start)
    if not isinstance(table, dict):
        raise InputError(where, "[[rule]] must be a table")
    head = read_spec(_Head, table, locate, "rule.")  # unknown and missing keys first: a misspelt 'id' is named as such
    refuse_long_text(head, MAX_RULE_TEXT, locate, "rule.")
    rid = table.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rid):
        raise InputError(locate("id"), f"rule id {rid!r} must be lower-case words joined by '-'")
    if head.check is None:
        raise InputError(where, "rule needs a [rule.check] table")
    raw = dict(head.check)
    kind = raw.pop("kind", None)
    if not isinstance(kind, str) or kind not in kinds:
        raise InputError(locate("kind"), f"check kind must be one of {', '.join(kinds)}, not {kind!r}"
                         + (closest(kind, kinds) if isinstance(kind, str) else ""))
    check = read_spec(kinds[kind], raw, locate, "rule.check.", ("kind",))
    for key, value in (raw["scenarios"] if isinstance(raw.get("scenarios"), dict) else {}).items():
        if value == []:  # read as "no key", it selected every one instead of none
            raise InputError(locate("scenarios"), f"'rule.check.scenarios.{key}' is an empty list: name at least one "
                                                  f"{key} (leaving the key out selects every one)")
    _validate(head, check, where, locate)
    places = {key: locate(key) for key in ("scenarios", "components", "requires_entry", "reference", "patch", "msgid",
                                           "reviewer", "applies_from", "guard", "must_not_match", "log_match",
                                           "log_not_match")}
    places.update(_component_places(check, text, path, lines))
    if isinstance(sel := getattr(check, "scenarios", None), Selector):  # each name at its value, lists over lines
        places.update({f"scenarios.{f}.{x}": Where(shown, value_line(text, places["scenarios"].line, f, x))
                       for f in ("entry", "leaf", "script", "unit") for x in getattr(sel, f)})
    return Rule(id=head.id, reviewer=head.reviewer, summary=head.summary, severity=head.severity, kind=kind,
                check=check, where=where, msgid=head.msgid.strip().strip("<>") if head.msgid else None,
                date=head.date, quote=head.quote, patch=head.patch,
                applies_from=head.applies_from, requires_entry=head.requires_entry, places=places, guard=head.guard)


def _component_places(check: CheckSpec, text: str, path: Path, lines: tuple[int, int]) -> dict[str, Where]:
    """Where each name of a consistency check's components is written, keyed ``components.NAME.FIELD.VALUE``: in
    the component's own ``[rule.check.components."NAME"]`` table or its ``NAME = { ... }`` line, so that a name the
    matrix lacks is said at its key (harness.ruleselect), not at the first component's header."""
    if not isinstance(check, ConsistencyCheck):
        return {}
    rows, shown = text_lines(text), named(path)
    out: dict[str, Where] = {}
    for name, comp in check.components.items():
        q = rf"(?:\"{re.escape(name)}\"|'{re.escape(name)}'|{re.escape(name)})"
        own = re.compile(rf"^\s*\[\s*rule\.check\.components\.\s*{q}\s*\]|(?:^|[{{,\s]){q}\s*=\s*\{{")
        at = next((n for n in range(lines[0], min(lines[1], len(rows)) + 1)
                   if not rows[n - 1].lstrip().startswith("#") and own.search(rows[n - 1])), 0)
        if not at:
            continue
        out[f"components.{name}"] = Where(shown, at)
        for key, values in (("entries", comp.entries), ("leaves", comp.leaves)):
            out.update({f"components.{name}.{key}.{x}": Where(shown, value_line(text, at, key, x))
                        for x in values})
    return out


# A rule's words (its summary, quote, reviewer) are written into the gate's outputs: a 1 MB summary was three times
# in each of --json and --junit. A review's point is a sentence or two; the longest of the bundled rules' is 92.
MAX_RULE_TEXT = 2_000
MAX_RULES = 10_000  # a review's points are tens; 9,000 rules take about 6 s and 180 MB to judge on the corpus


def load_rules(path: Path, kinds: Mapping[str, type[CheckSpec]], text: str | None = None) -> tuple[Rule, ...]:
    """Read and check a rules file against the check kinds known (kind -> spec type); ``text``: the file's, read
    already (harness.tomlfile.read_toml_text).

    Raises InputError naming the file and the line of the offending key.
    """
    text = read_toml_text(path) if text is None else text
    data = parse_toml(path, text)
    unknown = sorted(set(data) - {"rule", "read"}, key=lambda k: top_key_line(text, k))
    if unknown:
        raise InputError(Where(str(path), top_key_line(text, unknown[0])),
                         f"unknown top-level key{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} (rules are "
                         "[[rule]] tables); replies the user read are [[read]] tables")
    read_tables(text, data, path)  # refused at its line before any rule is read
    starts = [n for n, ln in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*rule\s*\]\]", ln)]
    if len(starts) > MAX_RULES:  # each rule is judged on every variant: time and memory grow with the count
        raise InputError(Where(str(path), starts[MAX_RULES]), f"more than {MAX_RULES:,} rules in one file (this is "
                         f"rule {MAX_RULES + 1:,} of {len(starts):,}); split the file or keep the rules that matter")
    tables = data.get("rule", [])
    if not isinstance(tables, list) or len(starts) != len(tables):
        raise InputError(Where(str(path), top_key_line(text, "rule")), "write each rule as a [[rule]] table")
    rules: list[Rule] = []
    ids: set[str] = set()  # a set, not a scan of the rules before: 5,000 rules were quadratic in several places
    for n, table in enumerate(tables):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text_lines(text))
        rule = _rule(table, text, path, (starts[n], end), kinds)
        if rule.id in ids:
            raise InputError(rule.where, f"rule id {rule.id} is used twice")
        ids.add(rule.id)
        rules.append(rule)
    if not rules:
        raise InputError(str(path), "no [[rule]] in this file")
    return tuple(rules)
