"""Gate output: a terminal listing, JUnit XML for CI, and JSON records for patchwork checks and b4 review CI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from harness import __version__
from harness.gate import GateResult, GateState
from harness.lore import lore_link
from harness.objections import counts
from harness.rules import Severity
from harness.verdict import Verdict, VerdictStatus
from reports.lines import Line, Lines
from reports.review_json import earlier_dict, objection_dict
from reports.safe import clean, counted, markup
from reports.terminal import DETAIL_HANG, HEADING_HANG, labelled, marked_line, thread_lines
from series import named

if TYPE_CHECKING:
    from rich.console import RenderableType

    from harness.variants import Variant

# A rule that does not apply sends no check: patchwork has no "skipped" state, and "success" would show a
# check whose code never ran as green (the record says n/a; JUnit marks it skipped).
_PATCHWORK = {GateState.BLOCKS: "fail", GateState.WARNS: "warning", GateState.PASSES: "success"}
_B4 = {GateState.BLOCKS: "fail", GateState.WARNS: "warn", GateState.PASSES: "pass"}
_LABEL = {VerdictStatus.FAIL: "FAIL", VerdictStatus.INCONCLUSIVE: "INCONCLUSIVE", VerdictStatus.PASS: "PASS",
          VerdictStatus.NOT_APPLICABLE: "N/A"}
_ORDER = {GateState.BLOCKS: 0, GateState.WARNS: 1, GateState.PASSES: 2, GateState.NOT_APPLICABLE: 3}
_COLOUR = {GateState.BLOCKS: "red", GateState.WARNS: "yellow", GateState.PASSES: "green",
           GateState.NOT_APPLICABLE: "dim"}


_SHOWN = 6  # evidence lines per failed rule in the terminal
# The gate JSON's schema (reports/gate.schema.json, docs/rules.md): 2 since an absent objection note, reading where or
# how, rule date or note is null, which /1 wrote as "" (its schema typed the first three string alone).
GATE_SCHEMA = "seamharness-gate/2"


def _who(v: Verdict) -> str:
    r = v.rule
    cite = f" <{r.msgid}>" if r.msgid else ""
    return f"{r.reviewer}{cite}{', ' + r.date if r.date else ''}"


def _evidence_lines(v: Verdict) -> list[str]:
    lines = [f"{e.place}: expected {e.expected}; got {e.actual}" for e in v.evidence]
    if v.more:
        lines.append(f"... and {v.more} more")
    return lines


def _read_lines(v: Verdict) -> list[str]:
    """What the verdict rests on: what was read, where, and what it was compared with (harness.verdict.Reading)."""
    return [r.describe() for r in v.read]


def gate_summary(g: GateResult) -> RenderableType:
    """The verdict first, then each rule: what blocks the gate, warnings, passes, rules that do not apply."""
    colour = "red" if g.exit_status else "green"
    parts: list[RenderableType] = [
        marked_line(lambda: f"[bold {colour}]{markup(g.headline())}[/]", clean(g.headline()), hang=HEADING_HANG),
        Line(clean(f"{variant_said(g.variant)}; base {g.variant.base}; rules {named(g.rules_path)}"), "dim",
             hang=HEADING_HANG)]
    parts.extend(thread_lines(g.series.threads))
    parts.extend(_outside_rules(g))  # what blocks the gate before what its verdicts assume
    parts.extend(labelled("assumed", a, "dim") for a in g.assumptions)
    parts.extend(labelled("untested", a, "dim") for a in g.untested)
    for v in sorted(g.verdicts, key=lambda v: (_ORDER[g.state(v)], v.rule.severity is not Severity.ERROR)):
        parts.extend(_rule_lines(g, v))
    return Lines(parts)


def variant_said(variant: Variant) -> str:
    """What the variant is: its description, after its name unless the description starts with it ('v3: v3 with the 7
    of its 26 patches', right under 'v3: NOT READY', said v3 three times)."""
    description = variant.description
    return description if description.startswith(f"{variant.name} ") else f"{variant.name}: {description}"


def _outside_rules(g: GateResult) -> list[RenderableType]:
    """What the gate says before the rules: inputs not read, base problems, objections no rule judges, and
    objections to an earlier revision's patch."""
    parts: list[RenderableType] = []
    if g.inputs_skipped:
        parts.append(Line(f"{counted(len(g.inputs_skipped), 'input')} not read: these verdicts rest on the rest of the "
                          "input (exit status 2)", "bold red", hang=HEADING_HANG))
        parts.extend(_indented(f"- {why}", 2, "red") for why in g.inputs_skipped)
    if g.base_problems:
        # Only patches git am stops at as sent (GateResult.am_stops): the state built, its verdicts stand.
        built = len(g.base_problems) - len(g.am_stops) - len(g.not_given)
        why = ("the patches do not build this state on its base, which blocks the gate; the verdicts that need these "
               "files are inconclusive") if built else \
            ("git am stops at a patch of this state as sent, which blocks the gate; the verdicts read it as git am "
             "--no-utf8 would") if g.am_stops else \
            "the input does not hold every patch of this state, which blocks the gate"
        parts.append(Line(f"{counted(len(g.base_problems), 'base problem')}: {why}", "bold red", hang=HEADING_HANG))
        parts.extend(_indented(f"- {p}", 2, "red") for p in g.base_problems)
    if g.objections:
        parts.append(Line(f"{_objections(g)} of this variant's patches that no rule judges: "
                          "each blocks the gate until a rule citing it judges the code, or the patch goes",
                          "bold red", hang=HEADING_HANG))
        parts.extend(_indented(f"- {o.describe()}", 2, "red") for o in g.objections)
    blocks = g.unjudged_earlier
    if blocks:  # its patch still there, changed: whether the change answers it is not known, so it blocks
        parts.append(Line(f"{counted(len(blocks), 'objection')} to an earlier revision's patch changed since (git "
                          "patch-id): not judged here, not taken as addressed; each blocks the gate as an inconclusive "
                          "rule does, until a rule citing it judges the code or its sender takes it back "
                          "(--allow-inconclusive: a note)", "bold red", hang=HEADING_HANG))
        parts.extend(_indented(f"- {e.describe()}", 2, "red") for e in blocks)
    notes = [e for e in g.earlier if e not in blocks]
    if notes:  # an objection to a patch dropped since (or allowed): neither a block nor addressed, so said
        parts.append(Line(f"{counted(len(notes), 'objection')} to an earlier revision's patch whose change this "
                          "revision does not make (git patch-id): not judged here, not taken as addressed",
                          "bold yellow", hang=HEADING_HANG))
        parts.extend(_indented(f"- {e.describe()}", 2, "yellow") for e in notes)
    if g.lifted:  # taken back by the one who gave it, read by the user or by its trailers: no block, but said why
        heading = g.lifted_heading or f"{counted(len(g.lifted), 'objection')}: not blocking"
        parts.append(Line(heading, "bold", hang=HEADING_HANG))
        parts.extend(_indented(f"- {line}", 2, "dim") for line in g.lifted)
    return parts


# A rule's heading goes on past where its lines start (6 in), as far as they go on: at HEADING_HANG it went on left
# of them, and read as a line of the rule above.
_RULE_HANG = 6 + DETAIL_HANG


def _rule_lines(g: GateResult, v: Verdict) -> list[RenderableType]:
    """One rule's lines: its state and severity, its summary and quote, a failure's evidence, its note."""
    parts: list[RenderableType] = []
    state = g.state(v)
    # A warning that fails or cannot be judged does not block: WARN, so that the FAIL lines are the headline's
    # failing error rules, and what the rule found is said beside its severity.
    label, found = ("WARN", f": {v.status.value}") if state is GateState.WARNS else (_LABEL[v.status], "")
    said = f"({v.rule.severity}{found}; "
    parts.append(marked_line(lambda: f"[{_COLOUR[state]}]{label}[/] {markup(v.rule.id)} "
                                     f"[dim]{markup(f'{said}{_who(v)})')}[/]",
                             label, " ", clean(v.rule.id), " ", said, clean(_who(v)), ")", hang=_RULE_HANG))
    quote = g.quotes.get(v.rule.id)
    parts.append(_indented(v.rule.summary, 6, "dim"))
    if quote:
        parts.append(_indented(f'"{quote}"', 6, "dim"))
    elif v.rule.id in g.citations:
        parts.append(_indented(f"({g.citations[v.rule.id]}: no sentence to show)", 6, "dim"))
    if v.status is VerdictStatus.FAIL:
        parts.extend(_shown_evidence(v))
    if v.note:  # a pass says what it rests on, and what did not run
        parts.append(_indented(f"({v.note})", 6, "dim"))
    parts.extend(_indented(f"= {line}", 6, "dim") for line in _read_lines(v))  # what was read, where
    return parts


def _shown_evidence(v: Verdict) -> list[RenderableType]:
    """A failed rule's evidence lines, the first _SHOWN of them and a count of the rest when there are more."""
    lines = _evidence_lines(v)
    shown = lines if len(lines) <= _SHOWN + 1 else lines[:_SHOWN]
    parts: list[RenderableType] = [_indented(f"- {line}", 6) for line in shown]
    if len(shown) < len(lines):  # never a silent cut: the rest is counted, and in --json as far as it goes
        parts.append(_indented(f"- ... ({_SHOWN} of {len(v.evidence) + v.more} shown here; {_in_json(v)})", 6))
    return parts


def _in_json(v: Verdict) -> str:
    """What --json holds of a rule's evidence, each count a part of the same whole as "6 of 29 shown here"."""
    if not v.more:
        return f"--json lists all {len(v.evidence)}"
    return f"--json lists the first {len(v.evidence)} in evidence and counts the other {v.more} in evidence_omitted"


def _objections(g: GateResult) -> str:
    """``2 NAKs``, ``1 request to drop``, ``1 reported regression``, ``1 withdrawn review tag``, ``1 review point``,
    ``1 unreadable reply`` or more of them, as the gate's objections are."""
    naks, drops, regressions, tags, points, unread = counts(g.objections)
    said = [counted(n, *words) for n, words in ((naks, ("NAK",)), (drops, ("request to drop", "requests to drop")),
                                                (regressions, ("reported regression",)),
                                                (tags, ("withdrawn review tag",)), (points, ("review point",)),
                                                (unread, ("unreadable reply", "unreadable replies"))) if n]
    return " and ".join(said) if len(said) < 3 else f"{', '.join(said[:-1])} and {said[-1]}"


def _indented(text: str, depth: int, style: str = "") -> Line:
    """``Padding(Text(clean(text), style=style, overflow="fold"), (0, 0, 0, depth), expand=False)``, as shown, its
    lines after the first DETAIL_HANG further in where it wraps: a list item's ('- ...') under its text, not its
    dash; a rule's summary, quote, note or reading ('= read ...') apart from the next, which starts where it does."""
    return Line(clean(text), style, depth, hang=DETAIL_HANG)


def gate_junit(g: GateResult) -> str:
    """JUnit XML: one testcase per rule. Only what blocks the gate is a failure, so the counts are the gate's;
    a warning is a passed testcase that says so in its output; an n/a rule is skipped."""
    states = [g.state(v) for v in g.verdicts]
    failures, skipped = states.count(GateState.BLOCKS), states.count(GateState.NOT_APPLICABLE)
    failures += len(g.objections) + bool(g.base_problems)
    errors = len(g.inputs_skipped)
    tests = str(len(g.verdicts) + len(g.inputs_skipped) + len(g.objections) + bool(g.base_problems))
    # No "skipped" on <testsuites>: Jenkins' junit-10.xsd refuses it there (it is on <testsuite>).
    suites = ET.Element("testsuites", name="seamharness gate", tests=tests, failures=str(failures),
                        errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name=f"seamharness gate {g.variant.name}", tests=tests,
                          failures=str(failures), errors=str(errors), skipped=str(skipped))
    _junit_properties(suite, g)
    _junit_outside_rules(suite, g)
    for v, state in zip(g.verdicts, states, strict=True):
        _junit_rule(suite, g, v, state)
    for node in suites.iter():  # mail text: XML 1.0 has no control characters, and a CI's parser refuses them
        node.text = clean(node.text) if node.text else node.text
        node.attrib = {k: clean(x) for k, x in node.attrib.items()}
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _junit_properties(suite: ET.Element, g: GateResult) -> None:
    """The suite's properties: variant, verdict, rules, base and its problems, earlier objections, tool, threads."""
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="variant", value=g.variant.name)
    ET.SubElement(props, "property", name="verdict", value=g.headline())
    ET.SubElement(props, "property", name="rules", value=named(g.rules_path))
    ET.SubElement(props, "property", name="base", value=g.variant.base)
    for problem in g.base_problems:
        ET.SubElement(props, "property", name="base-problem", value=problem)
    for e in g.earlier:
        ET.SubElement(props, "property", name="earlier-objection", value=e.describe())
    ET.SubElement(props, "property", name="tool", value=f"seamharness {__version__}")
    for t in g.series.threads:  # which copy of each lore thread the verdicts rest on
        ET.SubElement(props, "property", name="thread", value=t.describe())


def _junit_outside_rules(suite: ET.Element, g: GateResult) -> None:
    """A testcase for each input not read (an error), the base problems and each objection no rule judges."""
    for n, why in enumerate(g.inputs_skipped, start=1):
        # An input the gate did not read: the verdicts rest on the rest only, and the command exits 2.
        case = ET.SubElement(suite, "testcase", classname="input", name=f"input-{n}")
        ET.SubElement(case, "error", message=why, type="input-skipped").text = why
    if g.base_problems:  # the patches do not build the judged state on its base: it blocks, a failure of its own
        case = ET.SubElement(suite, "testcase", classname="apply", name="base")
        text = "\n".join(g.base_problems)
        ET.SubElement(case, "failure", message=f"{counted(len(g.base_problems), 'base problem')}: the patches do not "
                      f"build {g.variant.name} on {g.variant.base}", type="apply").text = text
    for o in g.objections:  # a NAK, request to drop, report or withdrawn tag no rule judges blocks: a failure
        case = ET.SubElement(suite, "testcase", classname=f"review.{ {'nak': 'NAK'}.get(o.kind, o.kind.value)}",
                             name=f"{o.kind}-{o.msgid}")
        ET.SubElement(case, "failure", message=o.title, type=o.kind.value).text = o.describe()


def _junit_rule(suite: ET.Element, g: GateResult, v: Verdict, state: GateState) -> None:
    """One rule's testcase: a failure when it blocks, skipped when it does not apply, its detail as output."""
    case = ET.SubElement(suite, "testcase", classname=f"review.{v.rule.reviewer.replace(' ', '_')}",
                         name=v.rule.id)
    quote = g.quotes.get(v.rule.id)
    detail = "\n".join([f"{_LABEL[v.status]} ({v.rule.severity}): {v.rule.summary}",
                        f"{_who(v)}" + (f': "{quote}"' if quote else ""),
                        *(["evidence:", *_evidence_lines(v)] if v.evidence else []),
                        *(["rests on:", *_read_lines(v)] if v.read else []),  # each line says "read ..." itself
                        *([f"note: {v.note}"] if v.note else [])])
    if state is GateState.BLOCKS:
        node = ET.SubElement(case, "failure", message=f"{v.status}: {v.rule.summary}", type=v.status.value)
        node.text = detail
    elif state is GateState.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", message=v.note or "not applicable")
    out = ET.SubElement(case, "system-out")
    out.text = detail


def rule_record(g: GateResult, v: Verdict) -> dict[str, Any]:
    """One rule's verdict, shaped for patchwork's checks API and b4's review CI protocol."""
    quote = g.quotes.get(v.rule.id)
    # A pass says what it rests on and what did not run (its note), as the terminal and JUnit do.
    said = v.note if v.status is VerdictStatus.PASS else v.rule.summary
    summary = f"{v.rule.id}: {v.status}" + (f" ({said})" if said else "")
    details = "\n".join([v.rule.summary, _who(v) + (f': "{quote}"' if quote else ""), *_evidence_lines(v),
                         *_read_lines(v), *([v.note] if v.note else [])])
    target = lore_link(v.rule.msgid) if v.rule.msgid else ""
    state = g.state(v)
    if state is GateState.PASSES and g.base_problems:  # a check posted green would pass what was not all built
        state = GateState.WARNS
        summary += f"; not all built: {_problems(g)}"
    return {
        "id": v.rule.id, "reviewer": v.rule.reviewer, "msgid": v.rule.msgid, "date": v.rule.date,
        "severity": v.rule.severity.value, "verdict": v.status.value, "summary": v.rule.summary, "quote": quote,
        "quote_missing": g.citations.get(v.rule.id), "note": v.note or None,
        "evidence": [{"scenario": e.place, "expected": e.expected, "actual": e.actual,
                      **({"pattern": e.pattern} if e.pattern else {})} for e in v.evidence],
        "evidence_omitted": v.more,
        "read": [r.as_dict() for r in v.read],
        "patchwork": {"state": _PATCHWORK[state], "context": f"seamharness-{v.rule.id}",
                      "description": summary[:250], "target_url": target} if state in _PATCHWORK else None,
        "b4": {"tool": "seamharness", "status": _B4[state], "summary": summary,
               "details": details} if state in _B4 else None,
    }


def gate_json(g: GateResult) -> str:
    """The gate's JSON document (schema GATE_SCHEMA) as text."""
    return json.dumps(gate_dict(g), indent=2) + "\n"


def gate_dict(g: GateResult) -> dict[str, Any]:
    return {
        "schema": GATE_SCHEMA,
        "tool": {"name": "seamharness", "version": __version__},
        "variant": g.variant.name,
        "rules_file": named(g.rules_path),
        "exit_status": g.exit_status,
        "result": {0: "pass", 1: "fail"}.get(g.exit_status, "error"),
        "inputs_skipped": list(g.inputs_skipped),
        "input_notes": [f"{s.where}: {s.reason}" for s in g.series.notes],
        "threads": [t.as_dict() for t in g.series.threads],
        "verdict": g.headline(),
        "base": g.variant.base,
        "base_problems": list(g.base_problems),
        "assumptions": list(g.assumptions),
        "untested": list(g.untested),
        "objections": [objection_dict(o) for o in g.objections],
        "earlier_objections": [earlier_dict(e) for e in g.earlier],
        "lifted_objections": list(g.lifted),
        "allow_inconclusive": g.allow_inconclusive,
        "rules": [rule_record(g, v) for v in g.verdicts],
        "base_check": _base_check(g),
    }


def _problems(g: GateResult) -> str:
    n = len(g.base_problems)
    return f"{n} base problem{'s' if n > 1 else ''}, the first: {g.base_problems[0]}"


def _base_check(g: GateResult) -> dict[str, Any] | None:
    """The base problems as one failed check for patchwork and b4 (context ``seamharness-base``), so that a CI that
    posts each record shows them; None when the variant was built whole."""
    if not g.base_problems:
        return None
    summary = f"base: {_problems(g)}"
    return {"patchwork": {"state": "fail", "context": "seamharness-base", "description": summary[:250],
                          "target_url": ""},
            "b4": {"tool": "seamharness", "status": "fail", "summary": summary, "details": "\n".join(g.base_problems)}}
