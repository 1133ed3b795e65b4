"""The changes of two sides' programs that value runs decide: conditions, readers, spans, values computed otherwise."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.outsidewrites import program_outside
from harness.runner import variant_sources
from harness.valuereaders import Span, Unknown, line_text, reader_changes, spans_of
from harness.valueundecided import _known
from harness.variants import Variant
from models.loader import reachable
from models.record import record

if TYPE_CHECKING:  # models.neighbours and models.valueexprs import pycparser: imported where a condition is read
    from models.cload import Program
    from models.neighbours import Changed, Decision
    from models.valueexprs import ChangedValue


@record
class Changes:
    """What changed between two programs that the value runs look at (program_changes): the decisions, the readers
    of a name not worked out, the readers of names of the same values stored otherwise, the values computed
    otherwise."""

    programs: tuple[Program, Program]
    changed: list[Changed]
    unknown: list[Unknown]
    spans: list[Span]
    computed: list[ChangedValue]


def program_changes(res: MatrixResult, sides: tuple[Variant, Variant], programs: tuple[Program, Program],
                    differs: bool) -> Changes:
    """The changes of two programs the value runs decide (Changes); RecursionError past Python's stack."""
    from models.neighbours import changed_decisions
    from models.valueexprs import changed_values

    # A variable code no run executes may set (a module parameter, a __setup() handler), or whose address the code
    # lets go, is never worked out from its initializer (harness.outsidewrites).
    outside = tuple(program_outside(variant_sources(v), p, res.store) for v, p in zip(sides, programs, strict=True))
    readers, unknown = reader_changes(*programs, (outside[0], outside[1]))
    spans = [] if differs else spans_of(*programs, (outside[0], outside[1]))  # "no behaviour change" rests on them
    # Worked out once per pair of programs (and values tried): variants whose code is the same share their
    # programs (models.mirror.cached_mirror), and each is a side of several comparisons and rules.
    renamed = renamed_functions(sides, programs)
    changed = by_identity("valuecover.decisions", programs, (renamed,),
                          partial(changed_decisions, *programs, renamed)) + readers
    given = tuple(_known(res, []))
    computed = [] if differs else list(by_identity(  # where nothing differs, as spans
        "valuecover.values", programs, given, partial(changed_values, *programs, given)))
    guarded = guarded_values(changed, computed, programs, sides)  # once: each call walks the functions' trees
    return Changes(programs, changed, unknown, spans, [c for c in computed if c not in guarded])


def renamed_functions(sides: tuple[Variant, Variant], programs: tuple[Program, Program]) -> tuple[tuple[str, str], ...]:
    """The functions of the first side renamed in the second (harness.renames: by content, callers following), as
    the two programs name them (old, new): a helper a patch renames, or moves to another file under a new name,
    whose decisions models.neighbours pairs as it pairs those of a function both sides name."""
    from harness.renames import find_renames, table_of

    pa, pb = programs
    gone = {pa.c_name(n): n for n in pa.functions}
    came = {pb.c_name(n): n for n in pb.functions}
    if not (gone.keys() - came.keys()) or not (came.keys() - gone.keys()):
        return ()
    found = find_renames(table_of(sides[0]), table_of(sides[1]), "").found
    return tuple((gone[r.old], came[r.new]) for r in found if r.old in gone and r.new in came and not r.kept)


def near_lanes(res: MatrixResult, sides: tuple[Variant, Variant], ch: Changes,
               lanes: dict[int, list[int]]) -> dict[int, list[int]]:
    """The lanes given whose entry point reaches, on either side, a function of a change."""
    pa, pb = ch.programs
    funcs = {p.c_name(d.function) for c in ch.changed for d, p in ((c.a, pa), (c.b, pb)) if d is not None} | \
        {pa.c_name(u.a.function) for u in ch.unknown} | {pa.c_name(sp.a.function) for sp in ch.spans} | \
        {pa.c_name(c.function) for c in ch.computed}
    return {n: at for n, at in lanes.items()
            if any(funcs & reachable(variant_sources(v), res.lanes[n].entry) for v in sides)} if funcs else {}


def guarded_values(changed: list[Changed], computed: list[ChangedValue], programs: tuple[Program, Program],
                   sides: tuple[Variant, Variant]) -> list[ChangedValue]:
    """The changed values a changed condition speaks for: a line the same text on both sides inside a branch of
    that condition (what differs is whether the store is reached: ``if (A) err = 0;`` made ``if (A || B) err =
    0;``), or a helper's return the condition reads (``via``). The condition's own verdict (run, decided by the
    leaves, or said undecided) is said for it; said twice, the value's solver values (a leaf no scenario may take)
    would also overrule a condition the leaves decide."""
    through = {(wa, wb) for c in changed for _, wa, wb in c.via}  # a helper's return a changed condition reads
    under = [branch_lines(programs[0], c.a) & branch_lines(programs[1], c.b) for c in changed
             if c.a is not None and c.b is not None]
    return [c for c in computed if c.a_where and c.b_where and (
        (c.a_where, c.b_where) in through
        or (c.a_where == c.b_where and any(c.a_where in lines for lines in under)
            and line_text(sides[0], c.a_where).strip() == line_text(sides[1], c.b_where).strip()))]


def branch_lines(program: Program, d: Decision) -> set[str]:
    """The places (file:line, the file's own lines: models.linecoord.file_line) of the statements in the branches
    of the if, loop or ``?:`` whose condition is ``d``'s; none where the statement is not found."""
    from pycparser import c_ast

    from models.linecoord import file_line

    func = program.functions.get(d.function)
    todo: list[c_ast.Node] = [func] if func is not None else []
    while todo:
        node = todo.pop()
        if getattr(node, "cond", None) is d.node:
            out: set[str] = set()
            more = [b for b in (getattr(node, a, None) for a in ("iftrue", "iffalse", "stmt")) if b is not None]
            while more:
                n = more.pop()
                if n.coord is not None:
                    out.add(file_line(program.where, n.coord))
                more.extend(n for _, n in n.children())
            return out
        todo.extend(n for _, n in node.children())
    return set()
