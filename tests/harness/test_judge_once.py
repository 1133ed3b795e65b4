"""What the judge asks again for every variant or scenario is worked out once.

What the judge asks again for every variant or scenario is worked out once: where a rule's patch is, per revision
(place_of reads nothing else of the variant); why a scenario did not run, per entry point, unit and outcome object;
an equivalence rule's one-sided entry points, per names, unit and which side lacks it; the entry points a selector
picks; the lines two variants differ by, per pair, and a table's definitions by the lines they span, per table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from harness import behaviour, checks, equivalence, notrun, unfedseam, verdict
from harness.judge import FactsCache
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.verdict import CheckContext
from models.outcome import Outcome, OutcomeStatus
from tests.harness.renamegen import macro_rename
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))


def _mbox(tmp_path: Path) -> Path:
    base, picked = helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)
    return write_mbox(tmp_path / "s.mbox", revision(3, [CREATE, Step(PREPARE, ((NEW_HOME, base, picked),))])
                      + revision(4, [CREATE, Step(PREPARE, ((NEW_HOME, base, picked),))]))


@pytest.fixture(scope="module")
def ev(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """v3 and v4 of _mbox evaluated once for the tests that spy on what the judge asks after the evaluation (each
    evaluated its own); those that spy on the evaluation itself evaluate it anew."""
    return evaluate(EvalRequest((_mbox(tmp_path_factory.mktemp("judge-once")),), jobs=1))


def test_rule_place_once_per_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: Counter[tuple[object, ...]] = Counter()
    real = verdict.place_of

    def counted(title: str | None, number: int | None, v: Any, series: Any) -> Any:
        asked[(title, number, v.revision)] += 1
        return real(title, number, v, series)

    monkeypatch.setattr(verdict, "place_of", counted)
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1))
    assert ev.judgement is not None and asked
    assert max(asked.values()) == 1  # every state of a revision, every check of a rule: one answer


def test_not_run_reason_once_per_outcome(ev: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    v = ev.result.variant("v4")
    scenarios = [s for s in ev.result.matrix.scenarios if s.entry.name == ev.result.matrix.scenarios[0].entry.name]
    gone = Outcome(OutcomeStatus.ERROR, error="stopped")
    asked: list[str] = []
    real = notrun.not_run_reason

    def counted(side: Any, name: str, o: Any, **kw: Any) -> str:
        asked.append(name)
        return real(side, name, o, **kw)

    monkeypatch.setattr(notrun, "not_run_reason", counted)
    units = {s.unit.path for s in scenarios}
    said = notrun.not_run(v, ctx, [(s, gone) for s in scenarios])
    assert len(scenarios) > len(units) and len(asked) == len(units)
    assert f"({len(scenarios)} scenarios)" in said or len(units) > 1


def test_one_sided_once_per_entry_and_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[object, ...]] = []
    real = equivalence._one_sided

    def counted(ref: Any, v: Any, names: tuple[str, str, str], a: Any, b: Any, sides: Any = None) -> Any:
        asked.append((ref.name, v.name, *names, a.status, b.status))
        return real(ref, v, names, a, b, sides)

    calls = [0]
    outer = equivalence.check_equivalence

    def each(*args: Any) -> Any:
        calls[0] += 1
        asked.append(("check", calls[0]))
        return outer(*args)

    monkeypatch.setattr(equivalence, "_one_sided", counted)
    monkeypatch.setitem(checks.REGISTRY, "equivalence", (checks.REGISTRY["equivalence"][0], each))
    # A P-SEAMLDR wrapper a patch adds in a new file: an entry point found in one side's code only.
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "w.mbox", macro_rename()),), jobs=1))
    assert ev.judgement is not None and calls[0]
    assert any(a[0] != "check" for a in asked)
    assert len(asked) == len(set(asked))  # within one check, once per names, unit and statuses


def test_entry_names_shared(ev: Evaluation) -> None:
    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    every = checks._entry_names(ctx, None)
    assert every is checks._entry_names(ctx, None)
    assert every == sorted({s.entry.name for s in ev.result.matrix.scenarios})


def test_changed_lines_and_spans_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import changedlines, linecover
    from harness.runner import variant_sources
    from models.loader import definitions

    diffed: list[tuple[str, str]] = []
    real = changedlines._changed_lines

    def counted(a: Any, b: Any) -> Any:
        diffed.append((a.name, b.name))
        return real(a, b)

    monkeypatch.setattr(changedlines, "_changed_lines", counted)
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1))
    # Each patch's comparison and the equivalence rules on the same states: one diff per pair of variants.
    assert diffed and len(diffed) == len(set(diffed))
    a, b = ev.result.variant("v4:01"), ev.result.variant("v4")
    assert changedlines.changed_lines(a, b) is changedlines.changed_lines(a, b)
    table = definitions(variant_sources(b))
    assert linecover._spans(table) is linecover._spans(table)


def test_by_run_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import coverage

    ev = evaluate(EvalRequest((write_mbox(tmp_path / "w.mbox", macro_rename()),), jobs=1))
    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    asked: list[str] = []

    def counted(v: Any, name: str) -> bool:
        asked.append(name)
        return coverage.absence_unknown(v, name)

    monkeypatch.setattr(notrun, "absence_unknown", counted)
    for v in ev.result.variants:
        every = ctx.outcomes(v.name)
        missing = {s.id for s, o in every
                   if o.status is OutcomeStatus.NOT_PROVIDED and not coverage.absence_unknown(v, s.entry.name)}
        want = ([(s, o) for s, o in every if o.ran], [(s, o) for s, o in every if s.id in missing],
                [(s, o) for s, o in every if not o.ran and s.id not in missing])
        asked.clear()
        assert notrun.by_run(v, every) == want
        assert len(asked) == len(set(asked))  # once per entry point, not per scenario
    assert any(o.status is OutcomeStatus.NOT_PROVIDED for v in ev.result.variants for _, o in ctx.outcomes(v.name))


def test_reaches_seam_once_per_table(ev: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import discover
    from harness.rules import Selector
    from harness.runner import variant_sources
    from models.loader import definitions

    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    tables: list[object] = []  # held, so that no two of them share an id
    real = discover.reaches_seam

    def counted(table: Any) -> Any:
        tables.append(table)
        return real(table)

    monkeypatch.setattr(discover, "reaches_seam", counted)
    sel = Selector(entry=("seam*",))
    said = [unfedseam.unfed_seam_code(v, ctx, sel, ["seamcall"]) for v in ev.result.variants]
    # Every rule on every variant asks again: the fixed point is worked out once per table of definitions.
    assert [unfedseam.unfed_seam_code(v, ctx, sel, ["seamcall"]) for v in ev.result.variants] == said
    distinct = {id(definitions(variant_sources(v))) for v in ev.result.variants}
    assert tables and len(tables) == len({id(t) for t in tables}) == len(distinct) < 2 * len(ev.result.variants)

def test_misnamed_once_per_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import unreadcode
    from harness.runner import variant_sources
    from models.loader import definitions

    tables: list[object] = []  # held, so that no two of them share an id
    real = unreadcode._misnamed

    def counted(table: Any) -> Any:
        tables.append(table)
        return real(table)

    monkeypatch.setattr(unreadcode, "_misnamed", counted)
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1))
    assert ev.judgement is not None
    for v in ev.result.variants:
        assert unreadcode.misnamed(v) is unreadcode.misnamed(v)
    # v3 and v4 hold the same code: one table of definitions, read once for both.
    v3, v4 = ev.result.variant("v3"), ev.result.variant("v4")
    assert definitions(variant_sources(v3)) is definitions(variant_sources(v4))
    assert tables and len(tables) == len({id(t) for t in tables})


def test_log_lines_compared_once_per_pair_of_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import explain
    from models.machine import LogLine

    explain._line_changes.cache_clear()
    diffed: list[int] = []
    real = explain.difflib.SequenceMatcher

    def counted(*args: Any, **kw: Any) -> Any:
        diffed.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(explain.difflib, "SequenceMatcher", counted)
    before = (LogLine("err", "call 0x21 failed"), LogLine("err", "done"))
    after = (LogLine("err", "call 33 failed"), LogLine("err", "done"))
    # Two pairs of outcomes that differ in their return values, with the same two logs: the lines are diffed once.
    a1, b1 = Outcome(OutcomeStatus.OK, ret=0, log=before), Outcome(OutcomeStatus.OK, ret=1, log=after)
    a2, b2 = Outcome(OutcomeStatus.OK, ret=2, log=before), Outcome(OutcomeStatus.OK, ret=3, log=after)
    first = explain.explain_log(a1, b1)
    diffs = len(diffed)
    assert explain.explain_log(a2, b2) == first and first
    assert len(diffed) == diffs


def test_spec_annotations_read_once_per_class(monkeypatch: pytest.MonkeyPatch) -> None:
    import typing

    from harness import spec
    from harness.rules import Selector

    asked: list[object] = []
    real = typing.get_type_hints

    def counted(cls: Any) -> Any:
        asked.append(cls)
        return real(cls)

    monkeypatch.setattr(spec, "_HINTS", {})
    monkeypatch.setattr(typing, "get_type_hints", counted)
    first = spec.read_spec(Selector, {"entry": ["seamcall*"]}, lambda key: None)
    # Every rule's check table is read with the same few classes: their annotations are evaluated once each.
    assert spec.read_spec(Selector, {"entry": ["seamcall*"]}, lambda key: None) == first
    assert first.entry == ("seamcall*",) and asked == [Selector]


def test_prototypes_read_once_per_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import unreadcode

    sliced: list[str] = []
    real = unreadcode.slice_fragment

    def counted(lines: Any, path: str, start: int) -> Any:
        sliced.append(path)
        return real(lines, path, start)

    monkeypatch.setattr(unreadcode, "slice_fragment", counted)
    piece = ("u64 seamldr_probe(u64 fn);", "", "static int ready;")
    # The same piece of a file in two states (a file neither changed): sliced once.
    first = unreadcode._prototypes("arch/x86/virt/vmx/tdx/x.c", 1, piece)
    assert unreadcode._prototypes("arch/x86/virt/vmx/tdx/x.c", 1, tuple(piece)) is first
    assert first == {"seamldr_probe"} and sliced == ["arch/x86/virt/vmx/tdx/x.c"]


def test_a_met_run_costs_the_rule_no_more_work(ev: Evaluation) -> None:
    # Before: each run met and known to be still built its (empty) evidence, reasons and undecided tests, three
    # generator and comprehension frames per run of every behaviour rule (about 50 M instructions of the corpus' eval).
    import sys

    from harness.errors import Where
    from harness.rules import BehaviourCheck, Expect, Rule, Severity

    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    v = ev.result.variant("v4")
    spec = BehaviourCheck(Expect(status=OutcomeStatus.OK))
    rule = Rule("ok", "r", "runs end ok", Severity.ERROR, "behaviour", spec, Where("rules.toml", 1))
    ran = [(s, o) for s, o in ctx.outcomes(v.name) if o.status is OutcomeStatus.OK]
    assert ran

    def frames(outs: list[Any]) -> int:
        entered: list[str] = []
        sys.setprofile(lambda frame, event, arg: entered.append(frame.f_code.co_name) if event == "call" else None)
        try:
            evidence, unknown = behaviour._expected(rule, spec, v, ctx, outs, False)
        finally:
            sys.setprofile(None)
        assert evidence == [] and unknown == {}
        return len(entered)

    frames(ran[:1])  # tested once: what is kept per outcome, pr_fmt and leaf
    assert frames(ran[:1] * 200) == frames(ran[:1])


def test_a_components_scenarios_are_picked_once(ev: Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every consistency check of every variant asked each scenario of a component's entry points whether it
    # runs for the component's leaves, four times over (its style, its other entries, the runs read, the absent).
    from harness import consistency
    from harness.matrix import Scenario
    from harness.rules import Component, ConsistencyCheck, NumberBase, Property

    ctx = CheckContext(ev.series, ev.result, FactsCache(ev.result))
    entry = ev.result.matrix.scenarios[0].entry.name
    leaves = tuple(dict.fromkeys(s.leaf_name for s in ev.result.matrix.scenarios if s.entry.name == entry))[:2]
    spec = ConsistencyCheck(Property.LEAF_BASE, {"c": Component((entry,), leaves)}, NumberBase.HEX)
    asked: Counter[str] = Counter()
    real = Scenario.of_leaf

    def counted(self: Scenario, names: Any) -> bool:
        asked[self.id] += 1
        return real(self, names)

    monkeypatch.setattr(Scenario, "of_leaf", counted)
    said = [consistency._absent(spec, ev.result.variant(name), ctx) for name in ("v3", "v4")]
    consistency._absent(spec, ev.result.variant("v4"), ctx)
    assert said == [consistency._absent(spec, ev.result.variant(name), ctx) for name in ("v3", "v4")]
    assert asked and max(asked.values()) == 1, asked  # each scenario once, whatever the variant
