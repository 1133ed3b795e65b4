"""Which changed lines ran: statement coverage of the lines that differ between two variants.

A "no behaviour change", a clean move or a passing equivalence rule rests on runs; a changed line no run
executed is not covered by them. Runs record where each statement they executed starts
("file:line:column", models.statements.Compiler._recorded); harness.changedlines diffs two variants' C
(comments and spacing aside) and this module says, for each changed line, whether it ran on its side:

- in a function: every statement that starts on the line ran (a line no statement starts on goes with
  its decisions, a loop's ``} while (...)``, else with the last statement that starts above it in the
  function), and every decision on it (the condition of an if, a loop or a ``?:``, each operand of ``&&``
  and ``||``) came out both true and false on some runs: a condition that always came out the same has
  not shown what it decides; a line that stores a value in a variable (``int left = TRIES;``) shows it
  only through a line that reads the variable and is shown in turn (a bound no run used up is not);
- in a macro, constant, enumerator, type or variable: some line that uses it (in a function the entry
  points reach, directly or through other macros and types) ran as above; a function a macro generates
  (``DEFINE_SC(...)``) is used where it is invoked; an entry point that is a macro, and a macro it expands to
  through macros that test nothing, ran if the functions it expands to did (one that calls none, a pure expression,
  if the entry point's expansion did). A use line that only partly ran counts as not run.

An equivalence rule counts only the runs of the scenarios it compared (Compared): a line that only another
component's leaves ran showed nothing of the compared ones. Where every compared leaf has bit 63 alike (the bit
the ABI fixes for a component), a decision that bit decides came out the only way it can for them when it ran,
and code it keeps from running cannot change them (models.leafbits proves both, for the runs of the compared
entry points alone: fixed_for; nothing else is assumed).

What cannot be told is never called run: the answer errs towards "never ran".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from harness.carried import carried
from harness.changedlines import CODE_TOKEN, Lines, changed_lines, normalised
from harness.configonly import WHY as CONFIG_WHY
from harness.configonly import unbuilt_reached
from harness.defreach import enumerators_on, reaches, users_unseen
from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.model import number_ranges
from harness.runcover import OTHER_WAY_UNRUN, Compared, Runs, bit63_fixed, compared_runs, runs_among, runs_of
from harness.runner import variant_sources
from harness.spans import LineSpans
from harness.variants import Variant
from models.closure import closure
from models.facts import CodeFacts
from models.loader import definitions
from models.outcome import Coverage
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, any_word, has_name
from reports.safe import counted

if TYPE_CHECKING:
    from harness.carried import Side

_DESIGNATOR = re.compile(r"^\s*\.([A-Za-z_]\w*)\s*=")  # ".busy_errno = -16," in an initializer
_MAX_DEPTH = 4  # macros and types followed from a changed name to the functions that use it
# Said once after the places: what would let a run reach them.
HINT = ("a scenario that runs them would decide: a script answering what they handle, a leaf, or an [[entry]] "
        "that calls their function directly with the values it needs, in the matrix (docs/matrix.md)")


def _spans(table: dict[str, list[Definition]]) -> LineSpans[Definition]:
    """The variant's definitions by the lines they span (a file of 10,000 each changed: 7 s reading them all), once
    per table (models.loader.definitions shares one among the variants with the same sources)."""
    return by_identity("spans", (table,), (), lambda: LineSpans(
        (d for ds in table.values() for d in ds), lambda d: (d.path, d.line, d.line + d.text.count("\n"))))


def _holder(spans: LineSpans[Definition], path: str, line: int) -> Definition | None:
    """The innermost definition of the variant holding ``path:line`` (of an enum's, whose enumerators are
    definitions of the same lines, the one whose name is on the line)."""
    return spans.innermost(path, line)  # the lines each spans, counted once (_spans), not per line asked about


def _defined_on(d: Definition, number: int) -> tuple[set[str], set[str]]:
    """The names a changed line of a non-function definition stands for, the enumerators the line defines, else the
    definition's own name; and the names it changes: those and the enumerators after them counting on from them
    (defreach.enumerators_on)."""
    own, after = enumerators_on(d, number) if d.kind is Kind.ENUM else ([], [])
    return (set(own), {*own, *after}) if own else ({d.name}, {d.name})


def _use_lines(reached: list[Definition], names: set[str], member: str | None = None) -> list[tuple[Definition, int]]:
    """Lines of reached functions that use any of ``names``, directly or through macros, types, enumerators
    and variables that use them (to _MAX_DEPTH); a function a macro generates is used where it is invoked.
    ``member``: only a function line that also names that member (``.busy_errno``, ``->busy_errno``) uses
    the changed part of a variable's initializer. Found once per reached definitions (by identity), names and member:
    the comparisons and the rules ask it again for the same variant pair. Not to be changed."""
    return by_identity("use lines", tuple(reached), (member, *sorted(names)),
                       lambda: _found_uses(reached, names, member))


_FEW = 8  # names looked for in the texts one by one before their pattern is made (_found_uses)


def _found_uses(reached: list[Definition], names: set[str], member: str | None) -> list[tuple[Definition, int]]:
    uses: list[tuple[Definition, int]] = []
    field = re.compile(rf"(?:\.|->)\s*{re.escape(member)}\b") if member else None
    seen = set(names)
    for _ in range(_MAX_DEPTH):
        if len(names) <= _FEW and not any(n in d.text for n in names for d in reached):
            break  # none is in any text, which the pattern needs: compiling it (a changed macro's name, each of
            # 20,000 changed in one file) was a third of such an eval
        if not names:
            break
        named = any_word(names)
        grown: set[str] = set()
        for d in reached:
            if not named(d.text):
                continue
            if d.kind is Kind.FUNCTION and d.generated_by is None:
                uses.extend((d, d.line + i) for i, ln in enumerate(d.text.split("\n"))
                            if named(ln) and (field is None or field.search(ln)))
            elif d.generated_by is not None:
                uses.append((d, d.line))
            elif d.name not in seen and d.kind is not Kind.ENUM:  # an enumerator's text is its whole enum
                grown.add(d.name)
        seen |= grown
        names = grown
    return uses


_CONDITIONAL = re.compile(r"\?|&&|\|\||\b(?:if|switch|while|for)\b")  # a test in a macro's body


def _expanded_by_entry(macro: Definition, reached: list[Definition], names: list[str]) -> set[str]:
    """The entry points of ``names`` that are macros expanding to ``macro``, directly or through other macros (to
    _MAX_DEPTH), none of them, ``macro`` included, testing anything (``?:``, ``&&``, ``||``, a statement's ``if`` or
    loop): each use of such an entry point expands it whole."""
    if macro.kind is not Kind.MACRO or _CONDITIONAL.search(macro.text):
        return set()
    frontier, seen, found = {macro.name}, {macro.name}, set()
    for _ in range(_MAX_DEPTH):
        named = any_word(frontier)
        grown = {d.name for d in reached if d.kind is Kind.MACRO and d.generated_by is None and d.name not in seen
                 and named(d.text) and not _CONDITIONAL.search(d.text)}
        found |= grown & set(names)
        if not grown:
            break
        seen |= grown
        frontier = grown
    return found


def _entries_using(defined: set[str], reached: list[Definition], names: list[str]) -> set[str]:
    """The entry points of ``names`` that are macros whose expansion names one of ``defined`` whenever it is used:
    directly, or through variables, types and macros (to _MAX_DEPTH), no macro on the way testing anything (a
    variable ``sc_plain_ops`` and its type ``struct sc_ops`` of '#define seamcall(fn, args) sc_retry(sc_plain_ops.call,
    fn, args)')."""
    entries = {d.name for d in reached if d.kind is Kind.MACRO and d.name in names and not _CONDITIONAL.search(d.text)}
    frontier, seen, found = set(defined), set(defined), set()
    for _ in range(_MAX_DEPTH):
        if not frontier or not entries:
            break
        named = any_word(frontier)
        grown = {x.name for x in reached if x.kind in _CARRIERS and x.generated_by is None and x.name not in seen
                 and named(x.text) and not (x.kind is Kind.MACRO and _CONDITIONAL.search(x.text))}
        found |= grown & entries
        seen |= grown
        frontier = grown - entries
    return found


_CARRIERS = frozenset({Kind.MACRO, Kind.VARIABLE, Kind.TYPEDEF, Kind.STRUCT})  # what hands a name on to an entry macro


def _unused_why(d: Definition, defined: set[str], reached: list[Definition], reached_ids: set[int], names: list[str],
                runs: Runs, table: dict[str, list[Definition]], changed_text: str = "", unseen: bool = False,
                entries: bool = False) -> str | None:
    """Why a changed macro, constant, type or variable is not shown by the runs, or None when it is: a line
    that uses it was exercised; it is an entry point that ran (a macro the matrix runs); or nothing the
    entry points reach uses it (it changes nothing they do), unless the variant is known from hunks (``unseen``) and
    no code they show uses a plain macro, an enumerator, a variable, a struct or a typedef (defreach.users_unseen). One
    the entry points reach (through ##, a long chain of macros) whose use cannot be found is not called run. A table
    whose entries changed (``entries``) is not shown by a use that ran: which entry a run read is not known."""
    # Of the enumerators a line changes, one no code shown uses has its users unseen, whatever the others' (each judged
    # on its own: one counting on from the line's may be used where that one is not).
    if unseen and len(defined) > 1 and users_unseen(d, table, reached_ids, defined):
        return f": {UNSEEN_USERS}"
    m = _DESIGNATOR.match(changed_text) if d.kind is Kind.VARIABLE else None
    uses = _use_lines(reached, defined, m.group(1) if m else None)
    if entries and m is None and (ran := next(((f, n) for f, n in uses if runs.line_ran(f, n)), None)):
        return f"{USED_BUT}{ran[0].path}:{ran[1]}\0{TABLE_ENTRIES}"
    if uses and any(runs.shown(f, n) for f, n in uses):
        return None
    # An entry point itself ran if the code it expands to did, whatever the functions that use it (one no entry
    # point runs, its parameters not fed) did: it was said never to have run. So did a macro an entry point that is a
    # macro expands to, through macros that test nothing on the way (SEAMCALL_RETRY() of '#define seamcall(fn, args)
    # SEAMCALL_RETRY(__seamcall, fn, args)'): no function line uses it, and it was "never ran".
    expanding = _expanded_by_entry(d, reached, names)
    if (d.name in names or expanding) and any(
            runs.line_ran(x, x.line) for x in closure(table, [d.name]) if x.kind is Kind.FUNCTION):
        return None
    # A macro that calls no function (a pure expression, sc_div_up()) such an entry point expands ran where the entry
    # point's expansion did: a run records it at the entry's #define line, shown there as a function line is.
    if any(runs.shown(x, x.line) for x in reached if x.kind is Kind.MACRO and x.name in expanding):
        return None
    # Likewise a variable or type such an entry point's expansion names (an ops struct the macro calls through): no
    # function line names it, and it was "never ran". A changed member of its initializer is not shown so (m).
    if d.kind in (Kind.VARIABLE, Kind.TYPEDEF, Kind.STRUCT) and m is None and any(
            runs.line_ran(x, x.line) for e in sorted(_entries_using(defined, reached, names))
            for x in closure(table, [e]) if x.kind is Kind.FUNCTION):
        return None
    if uses:
        ran = next(((f, n) for f, n in uses if runs.line_ran(f, n)), None)
        # A use that ran did not show it: that is said, not that no use ran.
        return ": no line that uses it ran" if ran is None else f"{USED_BUT}{ran[0].path}:{ran[1]}\0{runs.partly(*ran)}"
    if d.name in names:
        return ": the entry point never ran"
    if not reaches(d, table, reached_ids, defined):
        return f": {UNSEEN_USERS}" if unseen and users_unseen(d, table, reached_ids, defined) else None
    return ": no line of the code the entry points reach can be found that uses it"


def _unrun_in(lines: Lines, names: list[str], mine: Side, other: Side, noted: dict[str, None], added: bool,
              unseen: bool = False) -> dict[str, tuple[str, str]]:
    """Of a variant's changed lines, those no run (of ``mine``: every run, or the compared ones) executed (see the
    module doc), per definition: (place with every such line, why). A line of a function the other variant
    (``other``) has with the same body, run there as here (a move carried it unchanged), is the same code on both
    sides: its tests that came out one way alone, alike on both, are noted in ``noted`` instead (harness.carried;
    ``added``: this is the side the lines are added on; ``unseen``: its files are known from hunks in part)."""
    if not lines:
        return {}
    runs, table = mine
    reached = closure(table, names)
    reached_ids = {id(d) for d in reached}
    found: dict[str, tuple[str, list[int], str]] = {}  # key -> (path, lines, why)
    partly: dict[str, list[str]] = {}  # key -> for each of its function lines, how it ran without showing ('' not run)
    # What decides a non-function's answer: the definition, the names its line changes and the member it designates
    # (a 200,000-line table no code reaches asked _unused_why for each of its lines: 29 s of 63 s profiled).
    asked: dict[tuple[int, frozenset[str], str | None], str | None] = {}
    spans = _spans(table)
    for path in sorted(lines):
        for number, text in sorted(lines[path].items()):
            d = _holder(spans, path, number)
            if d is None or d.kind in (Kind.PROTOTYPE, Kind.ASSERT, Kind.INVOCATION):
                continue  # file scope: unreached_changes says what no entry point reaches
            defined, changed = _defined_on(d, number)
            key = f"{d.name}()" if d.kind is Kind.FUNCTION else ", ".join(sorted(defined)) + (
                f" and the {counted(len(changed - defined), 'enumerator')} counting on from it" if changed > defined
                else "")
            if d.kind is Kind.FUNCTION and d.generated_by is None:
                if id(d) in reached_ids and not runs.shown(d, number) \
                        and not carried(d, number, (mine, other), (noted, added)):
                    found.setdefault(key, (path, [], ""))[1].append(number)
                    partly.setdefault(key, []).append(runs.partly(d, number))
                continue
            if key in found:
                found[key][1].append(number)
                continue
            designated = m.group(1) if d.kind is Kind.VARIABLE and (m := _DESIGNATOR.match(text)) else None
            ask = (id(d), frozenset(changed), designated)
            if ask not in asked:
                asked[ask] = _why_unshown(d, changed, text, (reached, reached_ids, names, runs, table), other, unseen)
            if (why := asked[ask]) is not None:
                found[key] = (path, [number], why)
    # Lines that all ran are not said never to have run (a bound no run used up); with one that did not, they are.
    for key, hows in partly.items():
        if all(hows):
            found[key] = (found[key][0], found[key][1], RAN_BUT + "; ".join(dict.fromkeys(hows)))
    return {key: (f"{key} ({path}:{number_ranges(numbers)})", why) for key, (path, numbers, why) in found.items()}


def _why_unshown(d: Definition, changed: set[str], text: str, seen: tuple[list[Definition], set[int], list[str],
                 Runs, dict[str, list[Definition]]], other: Side, unseen: bool) -> str | None:
    """_unused_why of a changed line ``text`` of a definition other than a function's (``seen``: the reached
    definitions, their ids, the entry points, the runs and the table of its side)."""
    reached, reached_ids, names, runs, table = seen
    # One the other side defines alike (a move carried it as it is) changes nothing, whoever uses it; one the
    # other side does not define at all has its users in the lines added (or removed) with it, all shown.
    alike = unseen and any(normalised(x.text) == normalised(d.text) for x in other[1].get(d.name, []))
    fresh = unseen and not any(n in other[1] for n in changed)
    return _unused_why(d, changed, reached, reached_ids, names, runs, table, text, unseen and not alike
                       and not fresh, _entries_changed(d, other[1]))


def _entries_changed(d: Definition, other: dict[str, list[Definition]]) -> bool:
    """Whether ``d`` is a table (an array with an initializer list) the other side defines with other text only."""
    if d.kind is not Kind.VARIABLE or not _TABLE.search(d.text):
        return False
    texts = {normalised(x.text) for x in other.get(d.name, [])}
    return bool(texts) and normalised(d.text) not in texts


_TABLE = re.compile(r"\[[^\]\n]*\]\s*=\s*\{")  # 'codes[] = {', 'codes[3] = {'
# A table entry ('0x40' -> '0x41') is shown only by a run that reads that entry, which the runs do not tell.
TABLE_ENTRIES = "a run shows a table's changed entry only where it reads that entry, which is not told"
RAN_BUT = "\0ran, but "  # unrun_changes: a line that ran and did not show what it does
USED_BUT = "\0used at "  # unrun_changes: a macro, constant or variable a line used that ran and did not show it
UNSEEN_USERS = "its users are not in the lines the mail shows: give --tree"  # who uses it, and runs it, is not read


def _said(place: str, variants: tuple[str, ...], why: str) -> str:
    """One place of unrun_changes: never ran, or ran (a line using it ran) without showing what it decides, in each
    of ``variants`` (both sides when they say the same place alike: a constant's one definition, said once)."""
    if why.startswith(RAN_BUT):
        return f"{place} ran in {' and '.join(variants)}, but {why[len(RAN_BUT):]}"
    if why.startswith(USED_BUT):
        where, _, how = why[len(USED_BUT):].partition("\0")
        return f"{place} was used in {' and '.join(variants)} ({where}), but {how}"
    return f"{place} never ran in {' or '.join(variants)}{why}"


def unrun_changes(a: Variant, b: Variant, result: MatrixResult, names: list[str] | None = None,
                  limit: int = 6, compared: Compared | None = None,
                  extra: Mapping[str, frozenset[str]] | None = None, stubs: bool = False) -> tuple[str, ...]:
    """Lines that differ between two variants that no scenario executed on their side, for the code the
    entry points ``names`` reach (every entry of the matrix by default): a branch no script takes, a helper
    no run calls, a constant only such code uses. "No behaviour change" between the two says nothing of
    them. Each definition once, with its first such line. ``compared``: only the runs of the scenarios a rule
    compared count (a line only other leaves' runs executed showed nothing of the compared ones). ``extra``: per
    variant, the statements value runs executed (harness.valuecover): a place they ran in full is said to have
    "ran only in value runs" where it "never ran" in the matrix's scenarios. ``stubs``: an ``#else`` stub the change
    brings counts as code only another configuration builds (a move's, harness.configonly.unbuilt_reached)."""
    places = list(_changes(a, b, result, names, compared)[0])
    if extra and any(extra.get(v.name) for v in (a, b)):
        places = _value_ran(places, _changes(a, b, result, names, compared, extra)[0])
    removed, added = changed_lines(a, b)
    entries = list(names) if names is not None else [e.name for e in result.matrix.entries]
    # A changed line only another kernel configuration builds ran in no scenario (harness.configonly).
    places += [f"{place} never ran in {v.name}: {CONFIG_WHY}" for v, lines, w in ((a, removed, b), (b, added, a))
               for place in unbuilt_reached(v, entries, {path: set(ns) for path, ns in lines.items()}, w, stubs)]
    return tuple(places[:limit] + ([counted(len(places) - limit, "more place")] if len(places) > limit else []))


def carried_one_way(a: Variant, b: Variant, result: MatrixResult, names: list[str] | None = None,
                    compared: Compared | None = None) -> tuple[str, ...]:
    """The tests on changed lines that unrun_changes leaves out as carried unchanged by a move (a function of the
    same body on both sides, the line run alike on both) and that came out one way alone on both sides: the same
    code, but what it decides the other way (an assertion that never fired) ran on neither."""
    return _changes(a, b, result, names, compared)[1]


def _value_ran(places: list[str], with_values: tuple[str, ...]) -> list[str]:
    """unrun_changes' ``places`` as they are said with the value runs' statements and decisions counted too
    (``with_values``): one those runs executed in full 'ran only in value runs'; one that ran without showing what it
    decides (a test that always came out false) and that they showed, with what the matrix's scenarios showed and
    that value runs alone showed the rest; one they ran in part as said with them (its lines that never ran at all)."""
    kept = set(with_values)
    heads = {p.partition(" (")[0]: p for p in with_values}
    out: list[str] = []
    for place in places:
        if place in kept:
            out.append(place)
        elif place.partition(" (")[0] in heads:
            out.append(heads[place.partition(" (")[0]])
        elif " never ran in " in place:
            out.append(place.replace(" never ran in ", " ran only in value runs in ", 1))
        else:  # "... ran in v2, but a test on it always came out false, so ...": a value run took it the other way
            out.append(_shown_by_values(place))
    return out + [p for p in with_values if p not in out]


def _shown_by_values(place: str) -> str:
    """A place that ran without showing what it decides (Runs.partly) that value runs showed, said as the runs
    showed it: 'a test on it came out false in the matrix's scenarios, true only in value runs'."""
    said = re.sub(r"always came out (true|false)", lambda m: f"came out {m[1]} in the matrix's scenarios, "
                  f"{'false' if m[1] == 'true' else 'true'} only in value runs", place.replace(OTHER_WAY_UNRUN, ""))
    return (said.replace("was never tested", "was tested only in value runs")
            .replace("which never ran", "which ran only in value runs")
            .replace(" ran both ways", " ran both ways in the matrix's scenarios, only in value runs"))



def _with_extra(runs: Runs, extra: frozenset[str]) -> Runs:
    """``runs`` with the statements ``extra`` counted as executed too (the value runs', same code)."""
    more = Runs(Coverage(runs.ran | extra, frozenset()), runs.fixed)
    more.starts, more.decisions = runs.starts, runs.decisions
    return more


def _changes(a: Variant, b: Variant, result: MatrixResult, names: list[str] | None, compared: Compared | None,
             extra: Mapping[str, frozenset[str]] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """unrun_changes' places (of functions, macros and the rest; not the configuration's) and carried_one_way's."""
    entries = list(names) if names is not None else [e.name for e in result.matrix.entries]
    removed, added = changed_lines(a, b)
    if not removed and not added:
        return (), ()
    sides = [(runs_of(result, v.name) if compared is None else compared_runs(result, v, compared),
              definitions(variant_sources(v))) for v in (a, b)]
    if extra:
        sides = [(_with_extra(runs, extra.get(v.name, frozenset())), table)
                 for (runs, table), v in zip(sides, (a, b), strict=True)]
    noted: dict[str, None] = {}
    found = [_unrun_in(lines, entries, sides[i], sides[1 - i], noted, i == 1,
                       any(not src.complete for src in variant_sources(v)))
             for i, (v, lines) in enumerate(((a, removed), (b, added)))]
    # A definition other than a function's (a constant, a type) said alike on both sides, of the same line, once: its
    # place is one. A function's changed lines on each side are each side's own code ('f()' keys them: _unrun_in).
    both = {key for key, said in found[0].items() if found[1].get(key) == said and not key.endswith("()")}
    places = [_said(place, (a.name, b.name) if key in both else (a.name,), why)
              for key, (place, why) in found[0].items()]
    places += [_said(place, (b.name,), why) for key, (place, why) in found[1].items() if key not in both]
    return tuple(places), tuple(noted)


def one_way_tests(result: MatrixResult, v: Variant, loops: Mapping[str, str], facts: CodeFacts, entries: set[str],
                  settled: frozenset[str] = frozenset(), positions: Collection[int] | None = None) -> list[str]:
    """Each line with a decision that no run of the variant (of the scenarios at matrix ``positions``; None: of any
    scenario) took both ways, unless it cannot for
    any leaf in the runs of ``entries`` (bit63_fixed): in each retry loop of ``loops`` (function -> the loop's
    ``file:line``, its whole function where the loop's extent is not read) and in the functions it calls, whole:
    what the decision decides on its other side never ran ('sc_retry() at FILE:LINE ('...') always came out
    false'). A test before the loop (a WARN_ON() of the arguments) decides no retry, nor does an assertion that is a
    statement of its own (_ASSERTION), whose other way is a warning, nor a retry loop's test at a ``file:line`` of
    ``settled``, which cannot come out the way that retries for any answer (models.idleloop)."""
    cover = result.coverage(v.name)
    if positions is not None:
        cover = Coverage(runs_among(result, v.name, positions), cover.starts)
    runs = Runs(cover, bit63_fixed(facts, entries, None))
    table = definitions(variant_sources(v))
    spans: dict[str, tuple[int, int] | None] = {}
    for fn, where in sorted(loops.items()):
        for d in _bodies(table, fn):
            first, last = _loop_span(d, where)
            spans[fn] = (first, last)
            body = "\n".join(d.text.split("\n")[first - d.line:last - d.line + 1])
            for callee in facts.reach(fn)[1:]:
                if has_name(body, callee, BOUNDARY, BOUNDARY):  # no pattern per callee
                    spans.setdefault(callee, None)
    out: dict[str, dict[str, None]] = {}
    for fn, span in spans.items():
        for d in _bodies(table, fn):
            lines = d.text.split("\n")
            first, last = span or (d.line, d.line + len(lines) - 1)
            for line, tag in sorted(runs.decisions.get(d.path, ())):
                came = runs.ways(d.path, (line, tag))
                if first <= line <= last and len(came) < 2 and not _ASSERTION.match(lines[line - d.line]) \
                        and f"{d.path}:{line}" not in settled:
                    how = "never tested" if not came else f"always came out {'true' if came == ('T',) else 'false'}"
                    # A macro entry point's expansion runs at its #define line: the test is somewhere in its body.
                    text = repr(" ".join(lines[line - d.line].split())) if d.kind is Kind.FUNCTION \
                        else "in its expansion"
                    part = "a part of the test" if runs.whole_both_ways(d.path, line) else "a test"
                    out.setdefault(f"{part} in {fn}() at {d.path}:{line} ({text})", {})[how] = None
    return [f"{place} {' / '.join(hows)} in {v.name}" for place, hows in out.items()]


def _bodies(table: Mapping[str, list[Definition]], fn: str) -> list[Definition]:
    """The definitions of ``fn`` whose code a retry loop may be in: its functions, or the macro a macro entry point
    runs (its expansion is the loop's, one_way_tests)."""
    found = [d for d in table.get(fn, []) if d.kind is Kind.FUNCTION]
    return found or [d for d in table.get(fn, [])[:1] if d.kind is Kind.MACRO]


# A line that is an assertion alone ('lockdep_assert_held(&l);', 'WARN_ON(err == 7);'): what its test decides the
# other way is a warning, whose value nothing reads; it decides no retry.
_ASSERTION = re.compile(r"^\s*(?:lockdep_assert\w*|WARN_ON_ONCE|WARN_ON|WARN_ONCE|WARN)\s*\(.*\)\s*;\s*(?://.*|/\*.*\*/\s*)?$")


def _loop_span(d: Definition, where: str) -> tuple[int, int]:
    """The lines of the loop of ``d`` that starts at ``where`` (``file:line``): from its line to the brace that
    closes the one it opens on that line or the next (a do-while's closing line holds its test); the whole
    function where that is not so (a goto loop, a loop whose body has no braces, no loop named)."""
    lines = [CODE_TOKEN.sub(" ", ln) for ln in d.text.split("\n")]
    whole = (d.line, d.line + len(lines) - 1)
    path, _, number = where.rpartition(":")
    start = int(number) - d.line if number.isdigit() and path == d.path else -1
    if not 0 <= start < len(lines) or ("{" not in lines[start] and (start + 1 >= len(lines)
                                                                    or lines[start + 1].strip() != "{")):
        return whole
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        if depth <= 0 and (i > start or "}" in lines[i]):
            return (d.line + start, d.line + i)
    return whole
