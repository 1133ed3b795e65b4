"""The rule checks, one function per check kind, each returning a verdict with evidence; and their registry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from harness.compare import Comparison, compare_pair, moved_definitions
from harness.explain import DiffClass, classify, describe, explain, numbers
from harness.matrix import Scenario
from harness.model import Patch, Series
from harness.rules import (
    BehaviourCheck,
    ChangelogCheck,
    CheckSpec,
    ConsistencyCheck,
    EquivalenceCheck,
    Expect,
    MovesCheck,
    NumberBase,
    Rule,
    Selector,
    SourceCheck,
)
from harness.runner import MatrixResult, variant_sources
from harness.variants import Variant, parse_prefix
from models.loader import reachable
from models.mirror import Outcome, OutcomeStatus
from models.source import CodeFacts, setting_statements

MAX_EVIDENCE = 12


class VerdictStatus(StrEnum):
    """A rule's result on one variant; the values are the reports' verdict strings."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Evidence:
    """Why a rule failed in one place: the scenario (or a place in code or mail), expected and actual.

    ``others`` counts further scenarios where exactly the same was seen.
    """

    expected: str
    actual: str
    scenario: Scenario | None = None
    where: str = ""
    others: int = 0

    @property
    def place(self) -> str:
        here = self.scenario.id if self.scenario is not None else self.where
        return here + (f" (and {self.others} more)" if self.others else "")


@dataclass(frozen=True)
class Verdict:
    """A rule's result on one variant."""

    rule: Rule
    variant: str
    status: VerdictStatus
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    more: int = 0


@dataclass
class CheckContext:
    """What the checks may look at: the series, every variant run, and parsed code facts on demand."""

    series: Series
    result: MatrixResult
    facts: Callable[[Variant], CodeFacts]
    _pairs: dict[tuple[str, str], Comparison] = field(default_factory=dict)
    _selected: dict[Selector, list[Scenario]] = field(default_factory=dict)

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.result.variants if v.name == name), None)

    def compare(self, a: str, b: str) -> Comparison:
        """compare_pair, once per pair: many variants share the same patch states."""
        if (a, b) not in self._pairs:
            self._pairs[(a, b)] = compare_pair(self.result, a, b, "patch", f"{a} -> {b}")
        return self._pairs[(a, b)]

    def selected(self, sel: Selector) -> list[Scenario]:
        """The scenarios a selector picks (worked out once, whatever the variant)."""
        if sel not in self._selected:
            self._selected[sel] = [s for s in self.result.matrix.scenarios if sel.picks(s)]
        return self._selected[sel]


def state_name(series: Series, version: int, before: int) -> str | None:
    """The name of revision ``version``'s state just before patch ``before`` (vN:KK of the last present one)."""
    rev = series.revision(version)
    if rev is None:
        return None
    width = max(2, len(str(rev.total)))
    prior = [p.number for p in rev.patches if p.number < before]
    return f"v{version}:{(prior[-1] if prior else 0):0{width}d}"


def rule_patch(rule: Rule, v: Variant, ctx: CheckContext) -> int | None:
    """The number, in the variant's revision, of the patch a rule is about (by title, else applies_from)."""
    if rule.patch is None:
        return rule.applies_from
    rev = ctx.series.revision(v.revision or 0)
    want = rule.patch.lower()
    found = [p.number for p in (rev.patches if rev else ()) if want in p.mail.subject.title.lower()]
    return found[0] if found else None


def reference(spec: str, v: Variant, ctx: CheckContext, rule: Rule | None = None) -> str | None:
    """``before:N`` (or ``before:patch``, the rule's patch) is the state before that patch of the variant's
    revision, or a proposal's earlier start; any other text names a variant."""
    if not spec.startswith("before:"):
        return spec
    arg = spec.split(":", 1)[1]
    found = rule_patch(rule, v, ctx) if arg == "patch" and rule is not None else None
    if arg == "patch" and found is None:
        return None
    n = found if found is not None else int(arg)
    if v.start is not None:
        _, start_prefix = parse_prefix(v.start)
        if start_prefix is not None and start_prefix < n:
            return v.start
    return state_name(ctx.series, v.revision or 0, n) if v.revision else None


def _verdict(rule: Rule, v: Variant, evidence: list[Evidence], note: str = "") -> Verdict:
    """Pass without evidence, fail with it; identical evidence in many scenarios becomes one line."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    for e in evidence:
        groups.setdefault((e.expected, e.actual), []).append(e)
    shown = [Evidence(exp, act, same[0].scenario, same[0].where, len(same) - 1 + sum(x.others for x in same))
             for (exp, act), same in groups.items()]
    status = VerdictStatus.FAIL if evidence else VerdictStatus.PASS
    return Verdict(rule, v.name, status, tuple(shown[:MAX_EVIDENCE]), note, max(0, len(shown) - MAX_EVIDENCE))


def _not_applicable(rule: Rule, v: Variant, why: str) -> Verdict:
    return Verdict(rule, v.name, VerdictStatus.NOT_APPLICABLE, note=why)


def _expectation_failures(o: Outcome, expect: Expect) -> list[tuple[str, str]]:
    """What the outcome fails of the expectation. A run the time budget cut short fails every expectation
    (its behaviour is unknown); past a record cap, what cannot be seen counts against the rule."""
    if not o.ran:
        return [("a run that completes", describe(o))]
    n = o.total_calls
    tests: list[tuple[bool, str]] = []
    if expect.calls is not None:
        tests.append((n == expect.calls, f"{expect.calls} SEAMCALL(s)"))
    if expect.calls_at_most is not None:
        tests.append((n <= expect.calls_at_most, f"at most {expect.calls_at_most} SEAMCALL(s)"))
    if expect.calls_at_least is not None:
        tests.append((n >= expect.calls_at_least, f"at least {expect.calls_at_least} SEAMCALL(s)"))
    if expect.ret is not None:
        tests.append((o.ret == expect.ret, f"returns {expect.ret}"))
    if expect.errno is not None:
        tests.append(((o.errno or "none") == expect.errno, f"errno {expect.errno}"))
    if expect.status is not None:
        tests.append((o.status is expect.status, f"status {expect.status}"))
    for pat in expect.log_match:
        tests.append((any(pat.search(ln.text) for ln in o.log), f"a log line matching {pat.pattern}"))
    for pat in expect.log_not_match:
        tests.append((not any(pat.search(ln.text) for ln in o.log) and not o.unrecorded_log,
                      f"no log line matching {pat.pattern}"))
    if expect.no_events:
        tests.append((not {e.kind for e in o.events} & set(expect.no_events) and not o.unrecorded_events,
                      f"no {', '.join(expect.no_events)} events"))
    return [(text, describe(o)) for ok, text in tests if not ok]


def check_behaviour(rule: Rule, spec: BehaviourCheck, v: Variant, ctx: CheckContext) -> Verdict:
    outs = [(s, ctx.result.outcome(v.name, s)) for s in ctx.selected(spec.scenarios)]
    outs = [(s, o) for s, o in outs if o.status is not OutcomeStatus.NOT_PROVIDED]
    if not outs:
        return _not_applicable(rule, v, "no selected scenario is provided by this variant")
    evidence = [Evidence(exp, act, s) for s, o in outs for exp, act in _expectation_failures(o, spec.expect)]
    return _verdict(rule, v, evidence, f"{len(outs)} scenarios checked")


def check_equivalence(rule: Rule, spec: EquivalenceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    ref = reference(spec.reference, v, ctx, rule)
    if ref is None or ctx.variant(ref) is None:
        return _not_applicable(rule, v, f"reference {ref or spec.reference} was not evaluated")
    if ref == v.name:
        return Verdict(rule, v.name, VerdictStatus.PASS, note="the variant is its own reference")
    evidence = []
    for s in ctx.selected(spec.scenarios):
        a, b = ctx.result.outcome(ref, s), ctx.result.outcome(v.name, s)
        # An unknown outcome (LIMIT) is never ignored: ignoring it could pass what never ran.
        classes = tuple(c for c in classify(a, b) if c not in spec.ignore or c is DiffClass.LIMIT)
        if classes:
            evidence.append(Evidence(f"as {ref}: {describe(a)}",
                                     f"{describe(b)} ({'; '.join(explain(a, b, classes))})", s))
    return _verdict(rule, v, evidence, f"compared with {ref}")


def _style(o: Outcome, leaf: int) -> str | None:
    """How the first log line prints the leaf: 'decimal' or 'hex' (with how, e.g. 'hex with 0x, 18 chars').

    The leaf is the number equal to it, with or without the P-SEAMLDR bit (a printer may mask it off),
    else the number in parentheses, where every SEAMCALL error message of the series puts it.
    """
    if not o.log:
        return None
    line = o.log[0].text
    wanted = {leaf, leaf & ~(1 << 63)}
    for tok in re.findall(r"0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+", line):
        for value, how in numbers(tok):
            if value in wanted and value > 9:
                return how
    m = re.search(r"\((0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+)\)", line)
    if m is not None:
        found = numbers(m.group(1))
        return next((how for value, how in found if value in wanted), found[0][1] if found else None)
    return None


def _leaf_styles(spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> dict[str, tuple[str, Scenario, str]]:
    """Per component: how its first provided entry prints the leaf of a failed call, where, and the line."""
    styles: dict[str, tuple[str, Scenario, str]] = {}
    for comp, part in spec.components.items():
        for entry in part.entries:
            found = [(s, ctx.result.outcome(v.name, s)) for s in ctx.result.matrix.scenarios
                     if s.entry.name == entry and s.leaf_name in part.leaves]
            provided = [(s, o) for s, o in found if o.status is OutcomeStatus.OK]
            if not provided:
                continue
            logged = [(s, o, st) for s, o in provided if (st := _style(o, s.leaf)) is not None]
            if logged:
                s, o, st = logged[0]
                styles[comp] = (st, s, o.log[0].text)
            break
    return styles


def check_consistency(rule: Rule, spec: ConsistencyCheck, v: Variant, ctx: CheckContext) -> Verdict:
    styles = _leaf_styles(spec, v, ctx)  # the one property so far: Property.LEAF_BASE
    if len(styles) < (1 if spec.base else 2):
        return _not_applicable(rule, v, "not enough components log a failed call")
    kinds = {comp: (NumberBase.HEX if how.startswith("hex") else NumberBase.DECIMAL)
             for comp, (how, _, _) in styles.items()}
    wanted = spec.base or next(iter(kinds.values()))
    evidence = []
    for comp, (how, s, line) in styles.items():
        if kinds[comp] != wanted or (not spec.base and len(set(kinds.values())) > 1):
            evidence.append(Evidence(f"leaf in {wanted} for every component", f"{comp}: {how}: '{line}'", s))
    return _verdict(rule, v, evidence)


def _source_reference(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> CodeFacts | str | None:
    """The reference's code facts, None without a reference, or why the reference is missing."""
    if spec.reference is None:
        return None
    ref_name = reference(spec.reference, v, ctx, rule)
    ref_v = ctx.variant(ref_name) if ref_name else None
    return ctx.facts(ref_v) if ref_v is not None else f"reference {ref_name} was not evaluated"


def _function_evidence(spec: SourceCheck, fn: str, facts: CodeFacts, ref: CodeFacts | None) -> list[Evidence]:
    evidence: list[Evidence] = []
    for name in spec.no_new_calls:
        now = facts.calls_from(fn)[name]
        was = ref.calls_from(fn)[name] if ref and fn in ref.functions else 0
        if now > was:
            evidence.append(Evidence(f"{fn}() and what it calls use {name}() at most {was} time(s)",
                                     f"{now} call(s)", where=facts.where[fn]))
    for name in spec.not_referencing:
        users = [f for f in facts.reach(fn) if name in facts.names[f]]
        if users:
            evidence.append(Evidence(f"{fn}() and what it calls do not use {name}", f"{users[0]}() uses {name}",
                                     where=facts.where[users[0]]))
    if spec.set_together is not None:
        evidence.extend(_set_together(facts, fn, spec.set_together))
    return evidence


def check_source(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    facts = ctx.facts(v)
    fn = spec.function
    if fn is not None and fn not in facts.functions:
        return _not_applicable(rule, v, f"{fn}() is not in this variant's parsed code")
    ref = _source_reference(rule, spec, v, ctx)
    if isinstance(ref, str):
        return _not_applicable(rule, v, ref)
    if fn is not None and spec.set_together and not setting_statements(facts.bodies[fn], spec.set_together):
        return _not_applicable(rule, v, f"{fn}() does not set {spec.set_together}")
    evidence = _function_evidence(spec, fn, facts, ref) if fn is not None else []
    if spec.no_new_printers and ref is not None:
        for name in sorted(facts.printers() - ref.printers()):
            evidence.append(Evidence("no new error printer", f"{name}() prints with printk itself",
                                     where=facts.where[name]))
    return _verdict(rule, v, evidence)


def _set_together(facts: CodeFacts, fn: str, var: str) -> list[Evidence]:
    idx = setting_statements(facts.bodies[fn], var)
    if not idx or idx == list(range(idx[0], idx[-1] + 1)):
        return []
    gap = idx[-1] - idx[0] + 1 - len(idx)
    return [Evidence(f"{var} set by adjacent statements of {fn}()", f"set by statements "
                     f"{', '.join(str(i + 1) for i in idx)} with {gap} other statement(s) between",
                     where=facts.where[fn])]


def _applied_patches(v: Variant, series: Series) -> list[Patch]:
    out = []
    for msgid, _ in v.sources:
        found = series.find_message(msgid)
        if isinstance(found, Patch):
            out.append(found)
    return out


def check_changelog(rule: Rule, spec: ChangelogCheck, v: Variant, ctx: CheckContext) -> Verdict:
    number = spec.patch or rule_patch(rule, v, ctx)
    if number is None:
        return _not_applicable(rule, v, f"no patch titled like '{rule.patch}' in this revision")
    patch = next((p for p in _applied_patches(v, ctx.series) if p.number == number
                  and p.mail.subject.version == v.revision), None)
    if patch is None:
        return _not_applicable(rule, v, f"patch {number:02d} is not applied in this variant")
    where = f"{patch.mail.where.path} ({patch.label})"
    evidence = [Evidence(f"no line matching {spec.must_not_match.pattern}", line.strip(), where=where)
                for line in patch.message.splitlines() if spec.must_not_match.search(line)]
    return _verdict(rule, v, evidence)


def check_moves(rule: Rule, spec: MovesCheck, v: Variant, ctx: CheckContext) -> Verdict:
    evidence = []
    moving = [p for p in _applied_patches(v, ctx.series) if moved_definitions(p)]
    for p in moving:
        after = state_name(ctx.series, p.mail.subject.version, p.number + 1)
        before = state_name(ctx.series, p.mail.subject.version, p.number)
        after_v = ctx.variant(after) if after else None
        if after_v is None or before is None or ctx.variant(before) is None:
            continue
        moved = moved_definitions(p)
        sources = variant_sources(after_v, ctx.result.helpers)
        entries = {e.name for e in ctx.result.matrix.entries if reachable(sources, e.name) & moved.keys()}
        names = sorted(moved)
        what = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        for d in ctx.compare(before, after_v.name).differences:
            if d.scenario.entry.name in entries:
                evidence.append(Evidence(f"{p.label} moves {what} without changing behaviour", "; ".join(d.notes),
                                         d.scenario))
    if not moving:
        return _not_applicable(rule, v, "no patch of this variant moves code")
    return _verdict(rule, v, evidence)


# kind -> (the spec its [rule.check] table is read into, the function that judges it)
REGISTRY: dict[str, tuple[type[CheckSpec], Callable[..., Verdict]]] = {
    "behaviour": (BehaviourCheck, check_behaviour),
    "equivalence": (EquivalenceCheck, check_equivalence),
    "consistency": (ConsistencyCheck, check_consistency),
    "source": (SourceCheck, check_source),
    "changelog": (ChangelogCheck, check_changelog),
    "moves": (MovesCheck, check_moves),
}
SPECS: dict[str, type[CheckSpec]] = {kind: spec for kind, (spec, _) in REGISTRY.items()}


def applicable(rule: Rule, v: Variant, ctx: CheckContext) -> str | None:
    """Why a rule does not apply to a variant, or None when it does."""
    number = rule_patch(rule, v, ctx)
    if rule.patch is not None and number is None:
        return f"its revision has no patch titled like '{rule.patch}'"
    if number is not None and v.prefix is not None and v.prefix < number:
        return f"the variant stops before patch {number:02d}"
    if rule.requires_entry is not None:
        outs = [ctx.result.outcome(v.name, s) for s in ctx.result.matrix.scenarios
                if s.entry.name == rule.requires_entry]
        if not any(o.status is not OutcomeStatus.NOT_PROVIDED for o in outs):
            return f"the variant does not provide {rule.requires_entry}"
    return None


def run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    """The rule's verdict on one variant."""
    why = applicable(rule, v, ctx)
    if why is not None:
        return _not_applicable(rule, v, why)
    spec_type, check = REGISTRY[rule.kind]
    assert isinstance(rule.check, spec_type)  # load_rules read the table with this very spec
    return check(rule, rule.check, v, ctx)
