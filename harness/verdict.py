"""Verdicts of review rules: statuses, evidence, the context checks look at, and the helpers they share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from harness.compare import rule_comparison
from harness.comparison import Comparison
from harness.coverage import STOPS_AT, fill_template, reason_template
from harness.matrix import Scenario
from harness.matrixresult import MatrixResult
from harness.model import Series
from harness.patchplace import PatchPlace, before_patch, place_of
from harness.rules import Rule, Selector, Severity
from harness.variants import Variant
from models.facts import CodeFacts
from models.outcome import Outcome
from models.record import record

if TYPE_CHECKING:
    from harness.treenames import TreeSearch

MAX_EVIDENCE = 12
T = TypeVar("T")


class VerdictStatus(StrEnum):
    """A rule's result on one variant; the values are the reports' verdict strings."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"  # the rule applies, but the code it judges could not run or be found
    NOT_APPLICABLE = "n/a"  # the rule's subject is absent by design (the variant stops before its patch, ...)


@record
class Tally:
    """What a set of verdicts (one variant, every rule) means for a gate: rule ids by effect, and counts."""

    failing: tuple[str, ...]  # error rules that fail
    inconclusive: tuple[str, ...]  # error rules that cannot be judged (blocking unless allowed)
    warnings: tuple[str, ...]  # warning rules that fail or cannot be judged, and allowed inconclusive errors
    passed: int
    not_applicable: int
    allow_inconclusive: bool = False
    passing: tuple[str, ...] = ()  # rules that pass
    unjudged: tuple[str, ...] = ()  # of the warnings, those that cannot be judged (not failures)

    @property
    def blocked(self) -> bool:
        return bool(self.failing) or (bool(self.inconclusive) and not self.allow_inconclusive)

    def headline(self, name: str, unread: int = 0, naks: int = 0, drops: int = 0, unbuilt: int = 0,
                 unjudged: int = 0, tags: int = 0, regressions: int = 0, kinds: str = "", points: int = 0) -> str:
        """``v3: NOT READY: 6 error rules fail, 5 warnings, 1 passed, 0 not applicable``; with ``unread`` inputs
        not read, ``naks`` NAKs or ``drops`` requests to drop of the variant's patches that no rule judges
        (harness.objections), or ``unbuilt`` problems building the state on its base (a hunk git apply refuses
        there), or ``unjudged`` objections to an earlier revision's patch changed since that no rule judges
        (harness.objections.EarlierObjection.changed), or ``tags`` Reviewed-by or Acked-by taken back by their
        senders that no rule judges (harness.tagwithdrawal), or ``regressions`` reports that a patch breaks something
        that no rule judges (harness.regressions), or ``points`` changes a reviewer asked of the patch in a reply no
        rule cites (harness.pointwords), never READY. ``kinds``: what the base problems are
        (harness.stateproblems.kinds_said), said after their count: '1 base problem (patches missing)'."""
        n, m = len(self.failing), len(self.inconclusive)
        parts = [f"{unread} input{'s' if unread != 1 else ''} not read"] if unread else []
        parts += [f"{unbuilt} base problem{'s' if unbuilt != 1 else ''}" + (f" ({kinds})" if kinds else "")] \
            if unbuilt else []
        parts += [f"{naks} NAK{'s' if naks != 1 else ''} no rule judges"] if naks else []
        parts += [f"{drops} request{'s' if drops != 1 else ''} to drop no rule judges"] if drops else []
        parts += [f"{regressions} reported regression{'s' if regressions != 1 else ''} no rule judges"] \
            if regressions else []
        parts += [f"{tags} withdrawn review tag{'s' if tags != 1 else ''} no rule judges"] if tags else []
        parts += [f"{points} review point{'s' if points != 1 else ''} no rule judges"] if points else []
        parts += [f"{unjudged} objection{'s' if unjudged != 1 else ''} to an earlier revision's patch changed since, "
                  "not judged"] if unjudged else []
        parts += [f"{n} error rule{'s fail' if n != 1 else ' fails'}"] if n else []
        parts += [f"{m} error rule{'s' if m != 1 else ''} inconclusive"] if m and not self.allow_inconclusive else []
        w, u = len(self.warnings), len(self.unjudged)
        # "5 warnings" of v1 were 2 failures and 3 rules whose code did not run: said apart, as the errors are.
        parts.append(f"{w} warning{'s' if w != 1 else ''}" + (f" ({u} inconclusive)" if u else ""))
        ready = not (self.blocked or unread or naks or drops or regressions or tags or points or unbuilt or unjudged)
        return (f"{name}: {'READY' if ready else 'NOT READY'}: " + ", ".join(parts)
                + f", {self.passed} passed, {self.not_applicable} not applicable")


def tally(verdicts: list[Verdict] | tuple[Verdict, ...], allow_inconclusive: bool = False) -> Tally:
    """Sort verdicts by what they do to a gate (see Tally)."""
    failing: list[str] = []
    unknown: list[str] = []
    warnings: list[str] = []
    unjudged: list[str] = []
    for v in verdicts:
        error = v.rule.severity is Severity.ERROR
        if v.status is VerdictStatus.FAIL:
            (failing if error else warnings).append(v.rule.id)
        elif v.status is VerdictStatus.INCONCLUSIVE:
            (unknown if error and not allow_inconclusive else warnings).append(v.rule.id)
            unjudged.extend([v.rule.id] if not error or allow_inconclusive else [])
    passing = tuple(v.rule.id for v in verdicts if v.status is VerdictStatus.PASS)
    return Tally(tuple(failing), tuple(unknown), tuple(warnings), len(passing),
                 sum(v.status is VerdictStatus.NOT_APPLICABLE for v in verdicts), allow_inconclusive, passing,
                 tuple(unjudged))


@record
class Evidence:
    """Why a rule failed in one place: the scenario (or a place in code or mail), expected and actual.

    ``others`` counts further scenarios where exactly the same was seen.
    """

    expected: str
    actual: str
    scenario: Scenario | None = None
    where: str = ""
    others: int = 0
    pattern: str = ""  # the regular expression ``expected`` names in words (a changelog rule's), for programs
    issued: str = ""  # the leaf an entry point fed no leaf issued in the run, as eval names it (harness.ownleaf)

    @property
    def place(self) -> str:
        s = self.scenario
        here = s.shown(self.issued) if s is not None else self.where  # a leafless run: not the leaf it stands for
        return here + (f" (and {self.others} more)" if self.others else "")


class ReadRole(StrEnum):
    """What a check read a piece of code or mail as; the values are the reports' strings."""

    JUDGED = "judged"  # in the state judged: what the verdict is about
    REFERENCE = "reference"  # what that was compared with (another state, a proposal)
    REVIEWED = "reviewed"  # the code the rule's cited message reviewed, where the rule fails (or passes: a guard)


@record
class Reading:
    """What a check read to reach its verdict: ``what`` (a function by its name as found, a commit message) in the
    state ``state``, at ``where`` (FILE:LINE in that state), and ``how`` that state was chosen ("reference =
    before:patch", "<msgid> reviewed v3 06/26")."""

    role: ReadRole
    what: str
    state: str
    where: str = ""
    how: str = ""

    def describe(self) -> str:
        """One line: ``read sc_retry() in v2 (arch/x86/virt/vmx/tdx/seamcall.h:46)``."""
        at = f" ({self.where})" if self.where else ""
        how = f", {self.how}" if self.how else ""
        if self.role is ReadRole.REVIEWED:
            return f"{self.what} on {self.state}{at}{how}"
        verb = "read" if self.role is ReadRole.JUDGED else "compared with"
        return f"{verb} {self.what} in {self.state}{at}{how}"

    def as_dict(self) -> dict[str, str | None]:
        """The JSON record (seamharness-gate/2 ``rules[].read``, eval's ``reads``): an absent where or how is None."""
        return {"role": self.role.value, "what": self.what, "state": self.state, "where": self.where or None,
                "how": self.how or None}


@record
class Verdict:
    """A rule's result on one variant; ``read``: what it rests on (a code or changelog check's pass and fail say what
    they read, and where)."""

    rule: Rule
    variant: str
    status: VerdictStatus
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    more: int = 0
    read: tuple[Reading, ...] = ()

    @property
    def read_text(self) -> str:
        """What it read, one clause each ("" when it says none): the eval report's hover text shows it."""
        return "; ".join(r.describe() for r in self.read)


@dataclass
class CheckContext:
    """What the checks may look at: the series, every variant run, and parsed code facts on demand."""

    series: Series
    result: MatrixResult
    facts: Callable[[Variant], CodeFacts | str]  # facts, or why the code could not be parsed
    skipped: dict[str, str] = field(default_factory=dict)  # reviewer variants that cannot be built here, and why
    # With --tree: whether the tree at a variant's base commit (the one its files come from) names a word in its C
    # code, and its files' text there (harness.treenames; None: not searched); without a tree, None.
    tree_names: TreeSearch | None = None
    _pairs: dict[tuple[str, str], Comparison] = field(default_factory=dict)
    _selected: dict[Selector, list[tuple[int, Scenario]]] = field(default_factory=dict)
    _memo: dict[tuple[object, ...], Any] = field(default_factory=dict)
    _of_entry: dict[tuple[str | None, tuple[str, ...] | None], list[tuple[int, Scenario]]] = field(default_factory=dict)

    def variant(self, name: str) -> Variant | None:
        try:
            return self.result.variant(name)  # vN:KK of the last patch is vN when only that ran
        except KeyError:
            return None

    def compare(self, a: str, b: str) -> Comparison:
        """harness.compare.rule_comparison, once per pair: many variants share the same patch states."""
        if (a, b) not in self._pairs:
            self._pairs[(a, b)] = rule_comparison(self.result, self.series, a, b)
        return self._pairs[(a, b)]

    def once(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, worked out once per key: for what a check finds in the series alone (not in the
        variant judged), which every variant would otherwise work out again."""
        if key not in self._memo:
            self._memo[key] = make()
        found: T = self._memo[key]
        return found

    def selected(self, sel: Selector) -> list[Scenario]:
        """The scenarios a selector picks (worked out once, whatever the variant)."""
        return [s for _, s in self._picked(sel)]

    def positions(self, sel: Selector) -> list[tuple[int, Scenario]]:
        """(matrix position, scenario) of each scenario a selector picks, in matrix order (worked out once; the
        list is shared: read it, never change it)."""
        return self._picked(sel)

    def _picked(self, sel: Selector) -> list[tuple[int, Scenario]]:
        if sel not in self._selected:
            self._selected[sel] = [(p, s) for p, s in enumerate(self.result.matrix.scenarios) if sel.picks(s)]
        return self._selected[sel]

    def outcomes(self, variant: str, sel: Selector | None = None, entry: str | None = None,
                 leaves: tuple[str, ...] | None = None) -> list[tuple[Scenario, Outcome]]:
        """(scenario, outcome) of a variant for the scenarios a selector picks (every one with None), or
        those of one entry point (``leaves``: those of them run for one of these leaves, Scenario.of_leaf), in
        matrix order."""
        row = self.result.outcomes_of(variant)
        if sel is not None:
            return [(s, row[p]) for p, s in self._picked(sel)]
        picked = self._of_entry.get((entry, leaves))
        if picked is None:  # asked for again and again (every rule, every variant): the positions once
            picked = self._of_entry[(entry, leaves)] = [
                (p, s) for p, s in enumerate(self.result.matrix.scenarios)
                if (entry is None or s.entry.name == entry) and (leaves is None or s.of_leaf(leaves))]
        return [(s, row[p]) for p, s in picked]


def unevaluated(name: str, ctx: CheckContext) -> str:
    """Why a reference has no outcomes: it cannot be built from this input (a revision the input lacks, a reviewer
    variant that does not apply), or it was not among the variants asked for."""
    m = re.fullmatch(r"v(\d+)(?::\d+)?", name)
    if m and ctx.series.revision(int(m.group(1))) is None:
        have = ", ".join(f"v{r.version}" for r in ctx.series.revisions) or "none"
        return f"reference {name}: the input has no v{m.group(1)} (its revisions: {have})"
    if name in ctx.skipped:
        return f"reference {name} cannot be built from this input: {ctx.skipped[name]}"
    return (f"reference {name} was not evaluated (add it with --variant, or run gate, which evaluates what rules "
            "refer to)")


def rule_place(rule: Rule, v: Variant, ctx: CheckContext) -> PatchPlace | None:
    """Where the rule's patch is in the variant's revision (see harness.patchplace): once per patch and revision,
    which is all place_of reads of the variant (every check of every variant of a revision asks it again)."""
    return ctx.once(("place", rule.patch, rule.applies_from, v.revision),
                    lambda: place_of(rule.patch, rule.applies_from, v, ctx.series))


def reference(spec: str, v: Variant, ctx: CheckContext, rule: Rule) -> str | None:
    """A reference variant: ``before:N``, ``before:patch`` (the rule's patch), or a variant's name (``base`` as the
    vN:00 it names: Variant.aliases)."""
    if not spec.startswith("before:"):
        return next((v.name for v in ctx.result.variants if spec in v.aliases), spec)
    arg = spec.split(":", 1)[1]
    return before_patch(rule_place(rule, v, ctx), None if arg == "patch" else int(arg), v, ctx.series)


def verdict(rule: Rule, v: Variant, evidence: list[Evidence], note: str = "") -> Verdict:
    """Pass without evidence, fail with it; identical evidence in many scenarios becomes one line."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    for e in evidence:
        groups.setdefault((e.expected, e.actual), []).append(e)
    shown = [Evidence(exp, act, same[0].scenario, same[0].where, len(same) - 1 + sum(x.others for x in same),
                      same[0].pattern) for (exp, act), same in groups.items()]
    status = VerdictStatus.FAIL if evidence else VerdictStatus.PASS
    return Verdict(rule, v.name, status, tuple(shown[:MAX_EVIDENCE]), note, max(0, len(shown) - MAX_EVIDENCE))


def not_applicable(rule: Rule, v: Variant, why: str) -> Verdict:
    return Verdict(rule, v.name, VerdictStatus.NOT_APPLICABLE, note=why)


def inconclusive(rule: Rule, v: Variant, why: str) -> Verdict:
    return Verdict(rule, v.name, VerdictStatus.INCONCLUSIVE, note=why)


def merge_reasons(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Reasons that differ only in the one function they name, said once naming them all, with their counts
    added (harness.coverage.reason_template); those of entry points stopped at one callee, once naming them all
    (_by_callee)."""
    merged: dict[str, tuple[list[str], int]] = {}
    for why, n in _by_callee(counts).items():
        template, name = reason_template(why)
        seen, total = merged.get(template, ([], 0))
        merged[template] = (seen + ([name] if name and name not in seen else []), total + n)
    return [(fill_template(t, names), n) for t, (names, n) in merged.items()]


_STOPPED = re.compile(rf"(\w+)\(\){STOPS_AT}(.*)", re.S)


def _by_callee(counts: dict[str, int]) -> dict[str, int]:
    """The reasons of entry points that stopped at the same undefined callee (harness.coverage.not_run_reason)
    said once, naming every such entry point: "a(), b() stop at their call of c(): ...", their counts added."""
    merged: dict[tuple[bool, str], tuple[list[str], int]] = {}  # (stopped, the reason or what follows the entry)
    for why, n in counts.items():
        m = _STOPPED.fullmatch(why)
        key = (False, why) if m is None else (True, m.group(2))
        seen, total = merged.get(key, ([], 0))
        merged[key] = ([*seen, m.group(1)] if m is not None and m.group(1) not in seen else seen, total + n)
    return {why if not stopped else (f"{names[0]}(){STOPS_AT}" if len(names) == 1 else
                                     f"{', '.join(f'{e}()' for e in names)} stop at their call of ") + why: n
            for (stopped, why), (names, n) in merged.items()}


def with_gaps(note: str, gaps: str) -> str:
    return f"{note}; not run: {gaps}" if gaps else note


def settle(rule: Rule, v: Variant, evidence: list[Evidence], note: str, unrun: str, absent: str = "",
           unmet: str = "") -> Verdict:
    """Fail on evidence; otherwise a pass only when nothing provided was left unrun (else inconclusive). ``absent``:
    the scenarios the variant does not provide, said after what was checked and what could not run, so that "all as
    expected" follows the scenarios checked. ``unmet``: code the rule does not select that ran and breaks it (an
    entry point found in the code): no pass stands on it, and it is said as that, never as code that could not run."""
    if evidence or not (unrun or unmet):
        return verdict(rule, v, evidence, with_gaps(with_gaps(note, absent), unrun) + (f"; also, {unmet}" if unmet
                                                                                        else ""))
    but = "; ".join(x for x in (unmet, f"some could not run: {unrun}" if unrun else "") if x)
    return inconclusive(rule, v, with_gaps(f"{note}, all as expected, but {but}", absent))
