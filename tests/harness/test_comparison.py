"""A comparison as the reports read it: its verdict's words, the gaps, where a fact holds."""

from __future__ import annotations

import pytest

from harness.comparison import ARGS, Comparison, Facts, Gap, compact_scripts
from harness.explain import DiffClass, Difference
from harness.matrix import Entry, Scenario, Script, Unit


def _cmp(**more: object) -> Comparison:
    return Comparison("patch", "v3:01", "v3:02", "v3 02/26", None, (), 448, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(("more", "said"), [
    ({}, "nothing compared: no scenario ran on both sides"),
    ({"compared": 448}, "no behaviour change"),
    ({"compared": 400}, "no behaviour change in the 400 of 448 scenarios that ran on both sides"),
    ({"compared": 448, "unreached": ("f() (a.c:3)",)},
     "no behaviour change in the 448 of 448 scenarios that ran on both sides, but the patch also changes code no "
     "entry point reaches"),
    ({"compared": 448, "not_run": ("a.c:9",)},
     "no behaviour change in the 448 of 448 scenarios that ran on both sides, but some of the code the patch "
     "changes never ran"),
    # A macro argument's count leads (h526: a function made a macro read 'some of the code ... never ran' alone).
    ({"compared": 448, "not_run": ("a.c:9",), "undecided": (f"{ARGS}: f() evaluates its argument x twice",)},
     "no behaviour change in the 448 of 448 scenarios that ran on both sides, but the patch changes a macro argument's "
     "evaluation count that none of them tells apart, and some of the code it changes never ran"),
])
def test_the_verdict_claims_only_what_ran(more: dict[str, object], said: str) -> None:
    c = _cmp(**more)
    assert c.verdict() == said
    assert c.unchanged is (said == "no behaviour change")


def test_every_gap_and_assumption_is_a_line_of_the_summary() -> None:
    c = _cmp(compared=10, gaps=(Gap(("seamldr_call",), 1, "it did not run in v3:02"),),
             assumed=("a/seamldr.c: Makefile:3 names seamldr.o (CONFIG_X taken as set)",))
    assert c.summary()[1:] == [
        "not compared: seamldr_call (1 scenario): it did not run in v3:02",
        "assumed built (the harness reads no .config): a/seamldr.c: Makefile:3 names seamldr.o (CONFIG_X taken as set)",
    ]


def test_counts_and_script_names_as_the_reports_print_them() -> None:
    assert Facts(("a",), 1, (), 0).differing() == "1 scenario differs"
    assert Facts(("a", "b"), 64, (), 0).differing() == "64 scenarios differ in each"
    assert compact_scripts(["x-x1", "x-x9", "y", "x-x10"]) == "x-x1/9/10, y"


_Said = tuple[tuple[str, ...], int, tuple[tuple[str, str], ...], int]


def _reference_facts(cmp: Comparison, limit: int) -> list[_Said]:
    """The facts as counted one difference at a time (what Comparison.facts gave before it grouped them by notes)."""
    from collections import Counter

    from harness.comparison import where_seen
    from harness.explain import trace_detail

    by_entry: dict[str, list[Difference]] = {}
    for d in cmp.differences:
        by_entry.setdefault(d.scenario.entry.name, []).append(d)
    alike: dict[tuple[int, tuple[tuple[str, str], ...], int], list[str]] = {}
    for entry, diffs in by_entry.items():
        notes = Counter(n for d in diffs for n in d.notes)
        chosen = sorted(notes.most_common(), key=lambda nc: trace_detail(nc[0]))[:limit]
        top = tuple((n, where_seen([d.scenario for d in diffs if n in d.notes], cmp.universe)) for n, _ in chosen)
        alike.setdefault((len(diffs), top, max(0, len(notes) - limit)), []).append(entry)
    return [(tuple(entries), count, top, more) for (count, top, more), entries in alike.items()]


def test_facts_of_differences_sharing_their_notes_are_those_counted_one_at_a_time() -> None:
    # Comparison.facts counts each distinct tuple of notes once, times its differences (the scale case: 10,000
    # differences, a few tuples): first appearances, ties, where each note holds and the entries' order must come out
    # as counted one difference at a time. Tuples equal by value but distinct objects, groups interleaved, a note
    # in several tuples, ties between notes, two entry points.
    unit = Unit("a.c", "a.c")
    entries = [Entry(name, ("a.c",), ("fn",)) for name in ("f", "g")]
    scripts = [Script(f"s{k}", (), "") for k in range(4)]
    x, y = ("x", "y"), ("y", "z")
    shapes = [x, y, ("x", "y"), ("w",), y, x, ("z", "w"), ("y", "z")]
    diffs = []
    for k, notes in enumerate(shapes * 3):
        e, leaf = entries[k % 2], f"L{k % 5}"
        s = Scenario(f"{e.name}-{leaf}-{k}", e, leaf, k % 5, scripts[k % 4], unit)
        diffs.append(Difference(s, (DiffClass.LOG,), notes))
    universe = (frozenset(f"L{k}" for k in range(5)), frozenset(s.name for s in scripts))
    cmp = Comparison("patch", "a", "b", "v1 01/1", None, tuple(diffs), 40, universe)
    for limit in (1, 2, 4, 6):
        got = [(f.entries, f.count, f.notes, f.more) for f in cmp.facts(limit)]
        assert got == _reference_facts(cmp, limit)
