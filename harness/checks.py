"""The rule checks: behaviour, equivalence, consistency, source, changelog and code moves, each with evidence."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.compare import Comparison, compare_pair, moved_definitions
from harness.explain import DiffClass, classify, explain, numbers, show_ret
from harness.matrix import Scenario
from harness.model import Patch, Series
from harness.rules import Rule
from harness.runner import MatrixResult, variant_sources
from harness.variants import Variant, parse_prefix
from models.loader import reachable
from models.mirror import Outcome
from models.source import CodeFacts, setting_statements

MAX_EVIDENCE = 12


@dataclass(frozen=True)
class Evidence:
    """Why a rule failed in one place: scenario (or code location), expected and actual."""

    scenario: str
    expected: str
    actual: str


@dataclass(frozen=True)
class Verdict:
    """A rule's result on one variant."""

    rule: Rule
    variant: str
    status: str  # "pass", "fail" or "n/a"
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
    _selected: dict[str, list[Scenario]] = field(default_factory=dict)

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.result.variants if v.name == name), None)

    def compare(self, a: str, b: str) -> Comparison:
        """compare_pair, once per pair: many variants share the same patch states."""
        if (a, b) not in self._pairs:
            self._pairs[(a, b)] = compare_pair(self.result, a, b, "patch", f"{a} -> {b}")
        return self._pairs[(a, b)]


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
    revision, or a proposal's earlier start."""
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


def _pick(value: str, wanted: Any) -> bool:
    if wanted is None:
        return True
    pats = [wanted] if isinstance(wanted, str) else list(wanted)
    return any(fnmatch.fnmatchcase(value, p) for p in pats)


def selected(rule: Rule, ctx: CheckContext) -> list[Scenario]:
    """The scenarios a rule's selector picks (worked out once per rule, whatever the variant)."""
    if rule.id not in ctx._selected:
        sel = rule.check.get("scenarios", {})
        ctx._selected[rule.id] = [
            s for s in ctx.result.matrix.scenarios
            if _pick(s.entry.name, sel.get("entry")) and _pick(s.leaf_name, sel.get("leaf"))
            and _pick(s.script.name, sel.get("script")) and _pick(s.unit.name, sel.get("unit"))]
    return ctx._selected[rule.id]


def describe(o: Outcome) -> str:
    if o.status != "ok":
        return o.status + (f": {o.error}" if o.error else "")
    comps = sorted({c.component for c in o.calls})
    text = f"{len(o.calls)} SEAMCALL{'s' if len(o.calls) != 1 else ''}" + (f" ({', '.join(comps)})" if comps else "")
    text += f", returns {show_ret(o)}" + (f" (-{o.errno})" if o.errno else "")
    return text + (f", logs '{o.log[0].text}'" if o.log else "")


def _grouped(evidence: list[Evidence]) -> list[Evidence]:
    """Identical findings in many scenarios become one line naming the first and counting the rest."""
    groups: dict[tuple[str, str], list[str]] = {}
    for e in evidence:
        groups.setdefault((e.expected, e.actual), []).append(e.scenario)
    return [Evidence(where[0] + (f" (and {len(where) - 1} more)" if len(where) > 1 else ""), exp, act)
            for (exp, act), where in groups.items()]


def _failed(rule: Rule, v: Variant, evidence: list[Evidence], note: str = "") -> Verdict:
    status = "fail" if evidence else "pass"
    shown = _grouped(evidence)
    return Verdict(rule, v.name, status, tuple(shown[:MAX_EVIDENCE]), note, max(0, len(shown) - MAX_EVIDENCE))


def _expectation_failures(o: Outcome, expect: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    n = len(o.calls)
    checks: dict[str, tuple[Callable[[Any], bool], Callable[[Any], str]]] = {
        "calls": (lambda x: n == x, lambda x: f"{x} SEAMCALL(s)"),
        "calls_at_most": (lambda x: n <= x, lambda x: f"at most {x} SEAMCALL(s)"),
        "calls_at_least": (lambda x: n >= x, lambda x: f"at least {x} SEAMCALL(s)"),
        "ret": (lambda x: o.ret == x, lambda x: f"returns {x}"),
        "errno": (lambda x: (o.errno or "none") == x, lambda x: f"errno {x}"),
        "status": (lambda x: o.status == x, lambda x: f"status {x}"),
        "log_match": (lambda x: all(any(re.search(p, ln.text) for ln in o.log) for p in x),
                      lambda x: f"a log line matching {x}"),
        "log_not_match": (lambda x: not any(re.search(p, ln.text) for p in x for ln in o.log),
                          lambda x: f"no log line matching {x}"),
        "no_events": (lambda x: not {e.kind for e in o.events} & set(x), lambda x: f"no {', '.join(x)} events"),
    }
    for key, want in expect.items():
        ok, text = checks[key]
        if not ok(want):
            out.append((text(want), describe(o)))
    return out


def check_behaviour(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    outs = [(s, ctx.result.outcome(v.name, s.id)) for s in selected(rule, ctx)]
    outs = [(s, o) for s, o in outs if o.status != "not-provided"]
    if not outs:
        return Verdict(rule, v.name, "n/a", note="no selected scenario is provided by this variant")
    expect = rule.check["expect"]
    evidence = [Evidence(s.id, exp, act) for s, o in outs for exp, act in _expectation_failures(o, expect)]
    return _failed(rule, v, evidence, f"{len(outs)} scenarios checked")


def check_equivalence(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    ref = reference(rule.check["reference"], v, ctx, rule)
    if ref is None or ctx.variant(ref) is None:
        return Verdict(rule, v.name, "n/a", note=f"reference {ref or rule.check['reference']} was not evaluated")
    if ref == v.name:
        return Verdict(rule, v.name, "pass", note="the variant is its own reference")
    ignore = {DiffClass(c) for c in rule.check.get("ignore", [])}
    evidence = []
    for s in selected(rule, ctx):
        a, b = ctx.result.outcome(ref, s.id), ctx.result.outcome(v.name, s.id)
        classes = tuple(c for c in classify(a, b) if c not in ignore)
        if classes:
            evidence.append(Evidence(s.id, f"as {ref}: {describe(a)}",
                                     f"{describe(b)} ({'; '.join(explain(a, b, classes))})"))
    return _failed(rule, v, evidence, f"compared with {ref}")


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


def check_consistency(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    styles: dict[str, tuple[str, str, str]] = {}
    for comp, spec in rule.check.get("components", {}).items():
        for entry in spec.get("entries", []):
            found = [(s, ctx.result.outcome(v.name, s.id)) for s in ctx.result.matrix.scenarios
                     if s.entry.name == entry and s.leaf_name in spec.get("leaves", [])]
            provided = [(s, o) for s, o in found if o.status == "ok"]
            if not provided:
                continue
            logged = [(s, o, st) for s, o in provided if (st := _style(o, s.leaf)) is not None]
            if logged:
                s, o, st = logged[0]
                styles[comp] = (st, s.id, o.log[0].text)
            break
    base = rule.check.get("base")
    if len(styles) < (1 if base else 2):
        return Verdict(rule, v.name, "n/a", note="not enough components log a failed call")
    evidence = []
    kinds = {comp: ("hex" if how.startswith("hex") else "decimal") for comp, (how, _, _) in styles.items()}
    wanted = base or next(iter(kinds.values()))
    for comp, (how, sid, line) in styles.items():
        if kinds[comp] != wanted or (not base and len(set(kinds.values())) > 1):
            evidence.append(Evidence(sid, f"leaf in {wanted} for every component", f"{comp}: {how}: '{line}'"))
    return _failed(rule, v, evidence)


def check_source(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    facts = ctx.facts(v)
    fn = rule.check.get("function")
    if fn is not None and fn not in facts.functions:
        return Verdict(rule, v.name, "n/a", note=f"{fn}() is not in this variant's parsed code")
    ref_facts = None
    if "reference" in rule.check:
        ref_name = reference(rule.check["reference"], v, ctx, rule)
        ref_v = ctx.variant(ref_name) if ref_name else None
        if ref_v is None:
            return Verdict(rule, v.name, "n/a", note=f"reference {ref_name} was not evaluated")
        ref_facts = ctx.facts(ref_v)
    evidence: list[Evidence] = []
    if fn is not None:
        for name in rule.check.get("no_new_calls", []):
            now = facts.calls_from(fn)[name]
            was = ref_facts.calls_from(fn)[name] if ref_facts and fn in ref_facts.functions else 0
            if now > was:
                evidence.append(Evidence(facts.where[fn], f"{fn}() and what it calls use {name}() at most "
                                         f"{was} time(s)", f"{now} call(s)"))
        for name in rule.check.get("not_referencing", []):
            users = [f for f in facts.reach(fn) if name in facts.names[f]]
            if users:
                evidence.append(Evidence(facts.where[users[0]], f"{fn}() and what it calls do not use {name}",
                                         f"{users[0]}() uses {name}"))
        var = rule.check.get("set_together")
        if var is not None:
            evidence.extend(_set_together(facts, fn, var))
    if rule.check.get("no_new_printers") and ref_facts is not None:
        for name in sorted(facts.printers() - ref_facts.printers()):
            evidence.append(Evidence(facts.where[name], "no new error printer",
                                     f"{name}() prints with printk itself"))
    if fn is not None and rule.check.get("set_together") and not setting_statements(facts.bodies[fn],
                                                                                    rule.check["set_together"]):
        return Verdict(rule, v.name, "n/a", note=f"{fn}() does not set {rule.check['set_together']}")
    return _failed(rule, v, evidence)


def _set_together(facts: CodeFacts, fn: str, var: str) -> list[Evidence]:
    idx = setting_statements(facts.bodies[fn], var)
    if not idx or idx == list(range(idx[0], idx[-1] + 1)):
        return []
    gap = idx[-1] - idx[0] + 1 - len(idx)
    return [Evidence(facts.where[fn], f"{var} set by adjacent statements of {fn}()",
                     f"set by statements {', '.join(str(i + 1) for i in idx)} with {gap} other statement(s) between")]


def _applied_patches(v: Variant, series: Series) -> list[Patch]:
    out = []
    for msgid, _ in v.sources:
        found = series.find_message(msgid)
        if isinstance(found, Patch):
            out.append(found)
    return out


def check_changelog(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    number = rule.check.get("patch") or rule_patch(rule, v, ctx)
    if number is None:
        return Verdict(rule, v.name, "n/a", note=f"no patch titled like '{rule.patch}' in this revision")
    patch = next((p for p in _applied_patches(v, ctx.series) if p.number == number
                  and p.mail.subject.version == v.revision), None)
    if patch is None:
        return Verdict(rule, v.name, "n/a", note=f"patch {number:02d} is not applied in this variant")
    pattern = re.compile(rule.check["must_not_match"])
    where = f"{patch.mail.where.path} ({patch.label})"
    evidence = [Evidence(where, f"no line matching {pattern.pattern}", line.strip())
                for line in patch.message.splitlines() if pattern.search(line)]
    return _failed(rule, v, evidence)


def check_moves(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    evidence = []
    moving = [p for p in _applied_patches(v, ctx.series) if moved_definitions(p)]
    for p in moving:
        after = state_name(ctx.series, p.mail.subject.version, p.number + 1)
        before = state_name(ctx.series, p.mail.subject.version, p.number)
        if after is None or before is None or ctx.variant(after) is None or ctx.variant(before) is None:
            continue
        moved = moved_definitions(p)
        sources = variant_sources(ctx.variant(after), ctx.result.helpers)  # type: ignore[arg-type]
        entries = {e.name for e in ctx.result.matrix.entries if reachable(sources, e.name) & moved.keys()}
        cmp = ctx.compare(before, after)
        for d in cmp.differences:
            if d.scenario.split("/", 1)[0] in entries:
                names = sorted(moved)
                what = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                evidence.append(Evidence(d.scenario, f"{p.label} moves {what} without changing behaviour",
                                         "; ".join(d.notes)))
    if not moving:
        return Verdict(rule, v.name, "n/a", note="no patch of this variant moves code")
    return _failed(rule, v, evidence)


CHECKS: dict[str, Callable[[Rule, Variant, CheckContext], Verdict]] = {
    "behaviour": check_behaviour, "equivalence": check_equivalence, "consistency": check_consistency,
    "source": check_source, "changelog": check_changelog, "moves": check_moves,
}


def applicable(rule: Rule, v: Variant, ctx: CheckContext) -> str | None:
    """Why a rule does not apply to a variant, or None when it does."""
    number = rule_patch(rule, v, ctx)
    if rule.patch is not None and number is None:
        return f"its revision has no patch titled like '{rule.patch}'"
    if number is not None and v.prefix is not None and v.prefix < number:
        return f"the variant stops before patch {number:02d}"
    if rule.requires_entry is not None:
        outs = [ctx.result.outcome(v.name, s.id) for s in ctx.result.matrix.scenarios
                if s.entry.name == rule.requires_entry]
        if not any(o.status != "not-provided" for o in outs):
            return f"the variant does not provide {rule.requires_entry}"
    return None


def run_check(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict:
    why = applicable(rule, v, ctx)
    if why is not None:
        return Verdict(rule, v.name, "n/a", note=why)
    return CHECKS[rule.kind](rule, v, ctx)
