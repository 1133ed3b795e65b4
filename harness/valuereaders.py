"""Conditions whose text is the same but read a name whose value changed: held to as changed conditions (valuecover).

``if (ret > demo_limit)`` over ``static int demo_limit = 4;`` made ``= 6;`` is a condition whose text no patch touched
and whose answers differ (5 and 6): models.neighbours pairs decisions by their parsed text, an object-like macro
expanded, so a file-scope variable, a ``const``, an enumerator or a local (or a local set from one of those by one
assignment) whose value changed is no change there. Each such reader (an if's, a loop's or a ``?:``'s condition, a
switch's case label as ``cond == label``) is paired here with the names' values put in their place on each side
(``ret > 4`` and ``ret > 6``), so that the answers next to them are run and its differing answers worked out as for
a changed condition; where a value is not worked out (a variable the code writes, several assignments, a call), the
reader is said as not known, never taken for no change.
"""

from __future__ import annotations

import copy
import difflib
from typing import TYPE_CHECKING

from harness.changedlines import normalised
from harness.knownnames import SET_OUTSIDE, Known, Names, Outside, file_names, local_names
from harness.runner import variant_sources
from models.lazyre import lazy
from models.record import record

if TYPE_CHECKING:  # pycparser and models.neighbours: imported where a condition is read (as harness.valuecover)
    from pycparser import c_ast

    from harness.variants import Variant
    from models.cload import Program
    from models.ctype import Int
    from models.neighbours import Changed, Decision


@record
class Span:
    """A reader of names holding the same values on both sides, stored otherwise (_respelt): the answers next to each
    value on either side are run (a swap of which value a leaf takes shows there)."""

    a: Decision
    b: Decision
    values: tuple[tuple[str, frozenset[int], Int], ...]


@record
class Unknown:
    """A reader of a changed name whose value is not worked out on a side: each side's decision, and the names read
    with where each side defines them."""

    a: Decision
    b: Decision
    reads: tuple[tuple[str, str, str], ...]
    # The variables set outside the runs among what those names come from (a side's), each said with where it is
    # defined and what sets it (harness.outsidewrites): why the value
    # is not worked out, when that is the reason.
    parameters: tuple[tuple[str, str], ...] = ()


def _respelt(a: Names, b: Names) -> set[str]:
    """The names both sides have whose stores differ but hold the same values, more than one (``x = A; if (c) x =
    B;`` made ``if (c) x = B; else x = A;``, or with A and B swapped): which one a run reads is not worked out."""
    return {n for n in a.keys() & b.keys() if (v := a[n].values) is not None and v == b[n].values and
            len(v) > 1 and a[n].shape != b[n].shape}


def _changed_names(a: Names, b: Names) -> set[str]:
    """The names both sides have whose values differ where every store's is worked out on both (``4`` made ``2 + 2``
    is none; one holding the same values, more than one, stored otherwise is _respelt's), else whose definition
    differs or reads such a name."""
    both = a.keys() & b.keys()
    worked = {n for n in both if a[n].values is not None and b[n].values is not None}
    out = {n for n in worked if a[n].values != b[n].values}
    out |= {n for n in both - worked if a[n].shape != b[n].shape}
    while more := {n for n in both - worked - out if (a[n].reads | b[n].reads) & out}:
        out |= more
    return out


def _literal(k: Known) -> c_ast.Node:
    """The value of a known name as a C literal of its type (after the integer promotions)."""
    from pycparser import c_ast

    assert k.value is not None and k.t is not None
    suffix = ("LL" if k.t.signed else "ULL") if k.t.bits > 32 else ("" if k.t.signed or k.t.bits < 32 else "U")
    number = c_ast.Constant("int", f"{abs(k.value)}{suffix}")
    return c_ast.UnaryOp("-", number) if k.value < 0 else number


def _put(node: c_ast.Node, names: Names) -> c_ast.Node:
    """A copy of ``node`` with each of ``names`` read in it put as its value (coordinates kept)."""
    from pycparser import c_ast

    from models.condeval import nodes

    out = copy.deepcopy(node)
    for n in [out, *nodes(out)]:
        for slot in type(n).__slots__:
            if slot in ("coord", "__weakref__"):
                continue
            x = getattr(n, slot, None)
            if isinstance(x, c_ast.ID) and x.name in names:
                setattr(n, slot, _literal(names[x.name]))
            elif isinstance(x, list):
                setattr(n, slot, [_literal(names[y.name]) if isinstance(y, c_ast.ID) and y.name in names else y
                                  for y in x])
    return out


def _cases(program: Program, function: str) -> list[Decision]:
    """A function's switches' case labels as decisions ``cond == label``, in source order."""
    from models.neighbours import case_decisions

    return case_decisions(program, function)


def _pairs(xs: list[Decision], ys: list[Decision]) -> list[tuple[Decision, Decision]]:
    """Decisions of a function the same on both sides, paired in order."""
    match = difflib.SequenceMatcher(None, [x.shape for x in xs], [y.shape for y in ys], autojunk=False)
    return [(xs[i + k], ys[j + k]) for i, j, size in match.get_matching_blocks() for k in range(size)]


# (each side's program key) -> what reader_changes found: each pair of variants is compared in eval and in the gate,
# and the decisions made here are kept alive with it (models.neighbours' caches key on a condition's id).
# With the spans it found (spans_of): one entry for both, so that neither outlives the other nor is made twice.
_FOUND: dict[tuple[tuple[str, str], tuple[Outside, Outside]], tuple[list[Changed], list[Unknown], list[Span]]] = {}


def span_values(spans: list[Span], programs: tuple[Program, Program]) -> list[int]:
    """The answers next to what each reader of _respelt names tests, at each value they may hold, on either side."""
    from models.knownbits import Bits
    from models.neighbours import neighbour_values

    out: set[int] = set()
    for sp in spans:
        for d, p in ((sp.a, programs[0]), (sp.b, programs[1])):
            for name, values, t in sp.values:
                for v in sorted(values):
                    out.update(neighbour_values(p, d.node, {name: Bits.of(v, t)}))
    return sorted(out)


def spans_of(pa: Program, pb: Program, outside: tuple[Outside, Outside] = ((), ())) -> list[Span]:
    """The readers of names that hold the same values on both sides, stored otherwise, as reader_changes found them
    for the same programs and ``outside`` ([] where it has not)."""
    found = _FOUND.get(((pa.key, pb.key), outside))
    return found[2] if found is not None else []


def reader_changes(pa: Program, pb: Program, outside: tuple[Outside, Outside] = ((), ())
                   ) -> tuple[list[Changed], list[Unknown]]:
    """The decisions of functions both programs have whose text is the same and that read a name whose value or
    definition differs (``outside``: each side's variables code no run executes may set, never worked out from
    their initializers): as changed conditions with the values in place where every such name is known on both sides,
    else as not known. The spans found on the way are kept with them (spans_of)."""
    key = ((pa.key, pb.key), outside)
    if key not in _FOUND:
        if len(_FOUND) > 64:
            _FOUND.clear()
        spans: list[Span] = []
        changed, unknown = _readers(pa, pb, spans, outside)
        _FOUND[key] = (changed, unknown, spans)
    changed, unknown, _ = _FOUND[key]
    return changed, unknown


def _readers(pa: Program, pb: Program, spans: list[Span], outside: tuple[Outside, Outside]
             ) -> tuple[list[Changed], list[Unknown]]:
    from models.callbound import same_call
    from models.condeval import shape as _shape
    from models.neighbours import Changed, Decision, decisions, free_names

    da, db = decisions(pa), decisions(pb)
    found: list[Changed] = []
    unknown: list[Unknown] = []
    names_a, names_b = (frozenset(n for n, _ in side) for side in outside)
    for function in sorted(da.keys() & db.keys()):
        na, nb = local_names(pa, function, names_a), local_names(pb, function, names_b)
        moved, respelt = _changed_names(na, nb), _respelt(na, nb)
        if moved and (alike := {n for n in moved if same_call((pa, pb), function, n)}):
            # Set by one helper's call, a constant local of it made a parameter its callers pass: the same value.
            nb = {**nb, **{n: na[n] for n in alike}}
            moved = _changed_names(na, nb)
        if not moved and not respelt:
            continue
        pairs = _pairs(da[function], db[function]) + _pairs(_cases(pa, function), _cases(pb, function))
        file_moved = _changed_names(file_names(pa, names_a), file_names(pb, names_b))
        for x, y in pairs:
            held = sorted(free_names(x.node) & respelt)
            if held:
                spans.append(Span(x, y, tuple((n, na[n].values or frozenset(), t) for n in held
                                              if (t := na[n].t) is not None)))
            names = sorted(free_names(x.node) & moved)
            if not names:
                through = _through(pa, x.node, file_moved) if file_moved else []
                if through:
                    unknown.append(Unknown(x, y, tuple((f"{n} through {f}()", na[n].where, nb[n].where)
                                                       for f, n in through)))
                continue
            reads = tuple((n, na[n].where, nb[n].where) for n in names)
            if any(side[n].value is None or side[n].t is None for side in (na, nb) for n in names):
                unknown.append(Unknown(x, y, reads, _parameters(names, (na, nb), dict(outside[0] + outside[1]))))
                continue
            sa, sb = _put(x.node, {n: na[n] for n in names}), _put(y.node, {n: nb[n] for n in names})
            if _shape(sa) == _shape(sb):
                continue  # the same values, spelt otherwise (``4`` made ``2 + 2``)
            said = tuple((n, f"{na[n].value} ({na[n].where})", f"{nb[n].value} ({nb[n].where})") for n in names)
            found.append(Changed(Decision(function, x.where, _shape(sa), sa),
                                 Decision(function, y.where, _shape(sb), sb), reads=said))
    return found, unknown


def _parameters(names: list[str], sides: tuple[Names, Names], why: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The variables set outside the runs (file_names' SET_OUTSIDE) that ``names`` are, or are worked out from, on
    either side, each with where it is defined and what sets it (``why``)."""
    found: dict[str, str] = {}
    for side in sides:
        todo, seen = list(names), set[str]()
        while todo:
            n = todo.pop()
            if n in seen or n not in side:
                continue
            seen.add(n)
            if SET_OUTSIDE in side[n].shape:
                found.setdefault(n, f"{side[n].where}): {why.get(n, SET_OUTSIDE)}")
            todo.extend(side[n].reads)
    return tuple(sorted(found.items()))


_DEPTH = 8  # helpers followed from a condition, call within call (as models.neighbours)


def _through(program: Program, node: c_ast.Node, moved: set[str]) -> list[tuple[str, str]]:
    """The helpers a condition calls (and those they call) that read a file-scope name of ``moved`` which they do
    not declare themselves: what they return may differ, and is not worked out here."""
    from pycparser import c_ast

    from models.condeval import nodes

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    todo = [node]
    while todo and len(seen) <= _DEPTH:
        for call in (n for n in nodes(todo.pop()) if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID)):
            func = program.functions.get(call.name.name)
            if func is None or call.name.name in seen:
                continue
            seen.add(call.name.name)
            own = {n.name for n in nodes(func) if isinstance(n, c_ast.Decl) and n.name}
            read = {n.name for n in nodes(func.body) if isinstance(n, c_ast.ID)} - own
            out += [(program.c_name(call.name.name), n) for n in sorted(read & moved)]
            todo.append(func.body)
    return out


def line_text(v: Variant, where: str) -> str:
    """The line at ``where`` (file:line) in the variant, as the compiler reads it (comments and spacing aside), with
    the lines its open parentheses go on to (a condition written over two lines: its first line alone, the same on
    both sides of a change made in its second, was quoted as the changed condition)."""
    path, _, number = where.rpartition(":")
    for src in variant_sources(v):
        if src.path == path:
            for start, lines in src.pieces:
                if number.isdigit() and start <= int(number) < start + len(lines):
                    return _statement(lines[int(number) - start:])
    return "?"


_LITERAL = lazy(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')
_MORE_LINES = 8  # how far a line's open parentheses are followed


def statement_from(lines: tuple[str, ...]) -> str:
    """The statement the first of ``lines`` begins, normalised, to where its parentheses close (_statement)."""
    return _statement(lines)


def _statement(lines: tuple[str, ...]) -> str:
    """The first of ``lines`` normalised, joined with those after it up to where its parentheses close (string and
    character literals aside), at most _MORE_LINES more: the line as a reader reads the code it begins."""
    said, depth = "", 0
    for line in lines[:_MORE_LINES + 1]:
        text = normalised(line)
        said += ("" if not said or said.endswith("(") else " ") + text
        bare = _LITERAL().sub("", text)
        depth += bare.count("(") - bare.count(")")
        if depth <= 0:
            return said
    return normalised(lines[0])
