"""Value coverage of changed conditions: answers next to what a changed condition tests, run on both sides.

A comparison says "no behaviour change" of the scenarios that ran; a changed condition (``err != X`` made
``(err & ~BIT_ULL(40)) != X``, ``err == A`` made ``err == A || err == B``, a mask or shift on a status) that no
scripted answer takes differently is no change they can show. For each decision whose parsed condition differs
between the two sides (its text, or a constant it reaches: macros are expanded), models.neighbours derives the
status values next to the constants it tests; every entry point whose code differs between the sides and that
reaches a changed decision is run once more per leaf its scenarios take, with each value as the first SEAMCALL
answer and SUCCESS after it (``neighbour-0x...`` scripts), on both sides, and a difference is said as any other
(its scenario, what each side did). When none differs, a changed condition whose two forms are not shown to agree
(models.neighbours.same_truth: a condition on something no script answers, such as a counter) is said with each
side's text and file:line: no scenario that ran tells them apart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.changedlines import changed_lines, normalised
from harness.comparison import Comparison
from harness.explain import Difference, classify, explain
from harness.matrix import Scenario, Script
from harness.matrixresult import MatrixResult
from harness.prfmt import run_pr_fmt
from harness.runner import run_unit, variant_sources
from harness.unitmoves import unit_at
from harness.variants import Variant
from models.errors import MirrorError
from models.loader import EntryPoint, Source, entry_files, reachable
from models.machine import Answer
from models.neighbours import Changed, Decision, agree_on, changed_decisions, neighbour_values, same_truth
from models.outcome import RunRequest, comparable

if TYPE_CHECKING:
    from models.cload import Program
    from models.mirror import Mirror

SCRIPT = "neighbour"  # the scripts' names: neighbour-0x8000020300000001 (then SUCCESS)
# A changed line that may be (part of) a condition, or a macro one reaches: only then is the C parsed here (a
# comparison whose changed lines hold none has no changed decision for models.neighbours to find).
_DECIDING = re.compile(r"\b(?:if|while|for|define)\b|\?|&&|\|\||[=!<>]=|(?<!-)>|<")
_SHOWN = 6  # answers named in a line; the rest counted


def _may_decide(a: Variant, b: Variant) -> bool:
    return any(_DECIDING.search(text) for side in changed_lines(a, b) for path, lines in side.items()
               if path.endswith((".c", ".h")) for text in lines.values())


def _mirror(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> Mirror | None:
    from models.mirror import cached_mirror  # the interpreter loads only when a condition may have changed

    try:
        return cached_mirror(sources, entries)
    except MirrorError:
        return None


def _values(res: MatrixResult, changed: list[Changed], programs: tuple[Program, Program]) -> list[int]:
    """Every value next to what the changed conditions test, less those a script already answers first."""
    scripted = {s.answers[0].code for s in res.matrix.scripts if s.answers}
    found: set[int] = set()
    for c in changed:
        for d, p in ((c.a, programs[0]), (c.b, programs[1])):
            if d is not None:
                found.update(neighbour_values(p, d.node))
    return sorted(v for v in found - scripted if not all(_alike(c, programs, v) for c in changed))


def _alike(c: Changed, programs: tuple[Program, Program], value: int) -> bool:
    """Whether the two forms of a changed condition are known to come out alike when what they differ in reads
    ``value``: no run with it as the answer could tell them apart (models.neighbours.agree_on)."""
    return c.a is not None and c.b is not None and agree_on(programs[0], c.a, programs[1], c.b, [value]) is True


def _script(value: int) -> Script:
    return Script(f"{SCRIPT}-{value:#x}", (Answer(value), Answer(0)), f"{value:#x}, then SUCCESS")


def _differing_lanes(res: MatrixResult, a: str, b: str) -> list[int]:
    """Lanes whose code differs between the sides and that ran on both."""
    out = []
    for n in range(len(res.lanes)):
        ga, gb = res.code_group(a, n), res.code_group(b, n)
        if ga >= 0 and gb >= 0 and ga != gb and any(
                comparable(x, y) for x, y in zip(res.group_outcomes(n, ga), res.group_outcomes(n, gb), strict=True)):
            out.append(n)
    return out


def _pr_fmt(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], entry: str, path: str) -> str:
    """The pr_fmt the matrix's run of ``entry`` in the unit at ``path`` has (harness.runner._plan's)."""
    return run_pr_fmt(v, run_unit(sources, entry, unit_at(v.moved, path)), entry_files(sources, entries).get(entry))


def _runs(res: MatrixResult, sides: tuple[Variant, Variant], mirrors: tuple[Mirror, Mirror], lanes: list[int],
          values: list[int]) -> list[Difference]:
    """Each lane's entry point, per leaf its scenarios take and per value, on both sides: the runs that differ."""
    entries = tuple(EntryPoint(e.name, e.args) for e in res.matrix.entries)
    scripts = [_script(v) for v in values]
    out: list[Difference] = []
    for n in lanes:
        lane = res.lanes[n]
        path = res.matrix.scenarios[lane.positions[0]].unit.path
        fmts = [_pr_fmt(v, variant_sources(v), entries, lane.entry, path) for v in sides]
        leaves = {res.matrix.scenarios[p].leaf_name: res.matrix.scenarios[p] for p in lane.positions}
        for leaf, like in leaves.items():
            for script in scripts:
                oa, ob = (m.run(RunRequest(lane.entry, like.leaf, script.answers, f, cpu=like.script.cpu))
                          for m, f in zip(mirrors, fmts, strict=True))
                classes = classify(oa, ob) if comparable(oa, ob) else ()
                if classes:
                    scenario = Scenario(f"{lane.entry}/{leaf}/{script.name}/{lane.unit}", like.entry, leaf, like.leaf,
                                        script, like.unit, like.stands_for)
                    out.append(Difference(scenario, classes, tuple(explain(oa, ob, classes))))
    return out


def _text(v: Variant, where: str) -> str:
    """The line at ``where`` (file:line) in the variant, as the compiler reads it (comments and spacing aside)."""
    path, _, number = where.rpartition(":")
    for src in variant_sources(v):
        if src.path == path:
            for start, lines in src.pieces:
                if number.isdigit() and start <= int(number) < start + len(lines):
                    return normalised(lines[int(number) - start])
    return "?"


def _side(d: Decision | None, v: Variant) -> str:
    return f"none in {v.name}" if d is None else f"'{_text(v, d.where)}' ({d.where}) in {v.name}"


def _undecided(res: MatrixResult, changed: list[Changed], programs: tuple[Program, Program], values: list[int],
               sides: tuple[Variant, Variant]) -> tuple[str, ...]:
    """The changed conditions no run told apart, unless their two forms agree on every value tried (those, the
    matrix's leaves and status codes, every bit alone: models.neighbours.same_truth)."""
    known = [*values, *res.matrix.leaves.values(), *(a.code for s in res.matrix.scripts for a in s.answers)]
    tried = ", ".join(f"{v:#x}" for v in values[:_SHOWN]) + \
        (f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else "")
    why = f"neither the scenarios that ran nor the answers next to what it tests ({tried}) tell the two apart" \
        if values else "no scenario that ran tells the two apart (it tests no constant to take answers next to)"
    out = []
    for c in changed:
        if c.a is not None and c.b is not None and same_truth(programs[0], c.a, programs[1], c.b, known):
            continue  # a refactor: the same truth on every value tried
        func = programs[0].c_name(c.a.function) if c.a is not None else \
            programs[1].c_name(c.b.function) if c.b is not None else "?"
        out.append(f"a condition of {func}() changed, {_side(c.a, sides[0])} -> {_side(c.b, sides[1])}: {why}")
    return tuple(dict.fromkeys(out))


def with_values(res: MatrixResult, cmp: Comparison) -> Comparison:
    """``cmp``, when nothing differs in it, with the runs of the answers next to what its changed conditions test:
    their differences, or the conditions no run told apart (Comparison.undecided)."""
    if not cmp.compared or cmp.differences:
        return cmp  # nothing ran on both sides; or what differs is said, and no "no behaviour change" stands
    sides = (res.variant(cmp.a), res.variant(cmp.b))
    lanes = _differing_lanes(res, cmp.a, cmp.b)
    if not lanes or not _may_decide(*sides):
        return cmp
    entries = tuple(EntryPoint(e.name, e.args) for e in res.matrix.entries)
    ma, mb = (_mirror(variant_sources(v), entries) for v in sides)
    if ma is None or mb is None:
        return cmp
    programs = (ma.program, mb.program)
    try:
        changed = changed_decisions(*programs)
        values = _values(res, changed, programs) if changed else []
    except RecursionError:  # a condition nested past Python's stack: read as before, by the scenarios alone
        return cmp
    if not changed:
        return cmp
    funcs = {p.c_name(d.function) for c in changed for d, p in ((c.a, ma.program), (c.b, mb.program)) if d is not None}
    lanes = [n for n in lanes if any(funcs & reachable(variant_sources(v), res.lanes[n].entry) for v in sides)]
    found = _runs(res, sides, (ma, mb), lanes, values) if values and lanes else []
    if found:
        return replace(cmp, differences=tuple(found), extra=tuple(d.scenario for d in found))
    try:
        return replace(cmp, undecided=_undecided(res, changed, programs, values, sides))
    except RecursionError:
        return cmp
