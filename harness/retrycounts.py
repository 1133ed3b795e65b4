"""The matrix's repeat counts at the bounds of the retry loops of the variants' code (models.retrycount).

A script with ``repeat_first`` answers a code N times, then the rest; the counts the matrix lists were fitted to one
loop of 10 tries (9: succeeds, 10 and 11: gives up). A revision making it 16 tries, or 3, or a wrapper of its own
with a loop, gives up elsewhere: each retry loop any variant compared holds adds the counts at its bound (bound - 1,
bound, bound + 1 SEAMCALLs answered the code), run on every variant, so that a difference at 11 answers is seen on
code that ran on both sides. A bound the code does not fix (a module parameter, a table, a parameter) is said as a
boundary no scenario runs, with the reason.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from harness.matrix import MAX_ANSWERS, Matrix, load_matrix
from harness.matrixadd import with_added
from harness.memo import Table, by_identity
from harness.unreadbounds import unread_bounds
from models.record import record

if TYPE_CHECKING:
    from pycparser import c_ast

    from harness.outcome_cache import OutcomeCache
    from harness.variants import Variant
    from models.cload import Program
    from models.loader import Source
    from models.retrycount import Consts, LoopCount
    from models.structlocals import Members


@record
class Bounds:
    """What the variants' retry loops give the matrix: the counts to add, and (variant, bound not run) said."""

    counts: tuple[int, ...]
    unrun: tuple[tuple[str, str], ...]
    # (variant, function, where, code, why) of a bound the code does not fix: said once the runs are made
    # (harness.unreadbounds)
    unread: tuple[tuple[str, str, str, int, str], ...] = ()


def loop_counts(program: Program, codes: Iterable[int]) -> list[LoopCount]:
    """Per function of ``program`` with a retry loop (models.retryloop.retries_on_answer) and per code: the
    SEAMCALLs it makes answered that code every time, a call of another such function counting as many as that one
    makes (a wrapper's loop of 3 around sc_retry()'s 10: 30), or why that is not read."""
    from models.errors import FLOATING_POINT
    from models.retrycount import LoopCount

    calls, seam, retrying, consts = _retrying(program)
    funcs = program.functions
    out = []
    for code in codes:
        memo: dict[str, int | str] = {}
        for name in retrying:
            got = _total(name, program, calls, seam, set(retrying), code, consts, memo, ())
            where = program.where(funcs[name].coord)
            if isinstance(got, str) and FLOATING_POINT in got:
                continue  # the mirror refuses the code the count rests on, saying so in each run: no bound is said
            if isinstance(got, str):
                got = got.removeprefix(f"{name}() ({where}): ")
            out.append(LoopCount(name, where, code, got, "") if isinstance(got, int) else
                       LoopCount(name, where, code, None, got))
    return out + _unanswered(program, retrying, calls, seam, set(codes), consts)


# LoopCount.why of a code a loop retries on that no repeat_first script answers: its count is not run at all.
UNANSWERED = "unanswered"


def _retrying(program: Program) -> tuple[dict[str, frozenset[str]], frozenset[str], list[str], _Lazy]:
    """What loop_counts walks ``program`` with: the names each function calls, the functions reaching a SEAMCALL,
    those with a retry loop (models.retryloop.retries_on_answer), and the file's constants, read when first asked."""
    from models.leaftaint import param_names
    from models.outcome import SEAM_FUNCTIONS
    from models.retryconsts import file_constants
    from models.retryloop import retries_on_answer

    funcs = program.functions
    shapes = {name: _shape(f) for name, f in funcs.items()}
    calls = {name: called for name, (called, _) in shapes.items()}
    handed = frozenset(name for name, f in funcs.items() if calls[name] & param_names(f))
    seam = _reaching(calls, handed) | SEAM_FUNCTIONS
    retrying = [name for name, f in sorted(funcs.items())
                if shapes[name][1] and by_identity("retries", (f,), (seam,), partial(
                    retries_on_answer, f, seam.__contains__), _PER_NODE) is not None]
    # The constants: a count folded through macros needs none.
    return calls, seam, retrying, _Lazy(lambda: file_constants(program.ast, program.where))


def walked_counts(program: Program, name: str, codes: Iterable[int]) -> dict[int, int | None]:
    """Per code, the SEAMCALLs one call of ``name`` makes answered that code every time, walked as loop_counts
    walks a function with a retry loop (models.retrycount.count_calls, in gcc's types) whether or not
    models.retryloop reads one in it (a loop whose test reads a flag the answer was stored in); None where the walk
    does not read it."""
    calls, seam, retrying, consts = _retrying(program)
    if name not in program.functions:
        return dict.fromkeys(codes)
    out: dict[int, int | None] = {}
    for code in codes:
        got = _total(name, program, calls, seam, {*retrying, name}, code, consts, {}, ())
        out[code] = got if isinstance(got, int) else None
    return out


def _unanswered(program: Program, retrying: list[str], calls: dict[str, frozenset[str]], seam: frozenset[str],
                codes: set[int], consts: Consts) -> list[LoopCount]:
    """The codes other than 0 and ``codes`` that a retry loop's function compares an answer with and makes more than
    one SEAMCALL on when answered it every time (a later revision retrying TDX_OPERAND_BUSY as well): why UNANSWERED."""
    from models.comparedcodes import compared_codes
    from models.leaftaint import param_names
    from models.retrycount import LoopCount

    funcs = program.functions
    out = []
    for name in retrying:
        f, held = funcs[name], seam | param_names(funcs[name])
        for code in sorted(by_identity("compared", (f,), (held,), partial(compared_codes, f, held), _PER_NODE)
                           - codes - {0}):
            got = _total(name, program, calls, seam, set(retrying), code, consts, {}, ())
            if isinstance(got, int) and got > 1:
                out.append(LoopCount(name, program.where(funcs[name].coord), code, got, UNANSWERED))
    return out


class _Lazy(dict[str, "int | str | Members"]):
    """file_constants, worked out at the first name a count looks up there (walking the prelude's declarations for
    each variant was most of the cost)."""

    def __init__(self, make: Callable[[], Consts]) -> None:
        super().__init__()
        self._make: Callable[[], Consts] | None = make

    def _filled(self) -> None:
        if self._make is not None:
            self.update(self._make())
            self._make = None

    def get(self, key: str, default: int | str | None = None  # type: ignore[override]
            ) -> int | str | Members | None:
        self._filled()
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._filled()
        return super().__contains__(key)


# Per parsed function: the names it calls, and whether it has a loop. Variants of the same text share the parse
# (models.cload keeps chunks): the corpus' 261 functions are 115 nodes.
_SHAPES: weakref.WeakKeyDictionary[c_ast.Node, tuple[frozenset[str], bool]] = weakref.WeakKeyDictionary()


def _shape(func: c_ast.Node) -> tuple[frozenset[str], bool]:
    from pycparser import c_ast

    if (known := _SHAPES.get(func)) is not None:
        return known
    out = set()
    loops = False
    todo = [func]
    while todo:
        n = todo.pop()
        kind = type(n)
        if kind is c_ast.FuncCall and type(n.name) is c_ast.ID:
            out.add(n.name.name)
        loops = loops or kind in (c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Goto)
        todo.extend(n)
    _SHAPES[func] = (frozenset(out), loops)
    return _SHAPES[func]


# Per function node, whatever program holds it (variants of the same text share the node: models.cload keeps
# chunks), what the walks below worked out of it: whether it retries (by the names reaching a SEAMCALL), the codes it
# compares answers with, and its counts (by held names and code) with the constants each walk looked up.
_PER_NODE: Table = {}
_MISSING = object()  # a name the program's constants do not hold
_Looked = tuple[tuple[str, object], ...]  # (name, what the constants gave it or _MISSING), in the order looked up


def _counted(func: c_ast.FuncDef, held: frozenset[str], code: int, consts: Consts
             ) -> tuple[str, ...] | str:
    """models.retrycount.count_calls(func, held, code, consts), or the message of the Unknown it raises. The walk is
    a function of the node, ``held``, ``code`` and what ``consts`` answers the names it looks up (in the order
    asked): a walk kept for another program is taken when each name it looked up gets the same answer here (none,
    for a count folded through macros), so that the constants of the file are not worked out for it either."""
    from models.retrycount import Unknown, count_calls

    kept: list[tuple[_Looked, tuple[str, ...] | str]] = by_identity("count", (func,), (held, code), list, _PER_NODE)
    for looked, got in kept:
        if all(consts.get(name, _MISSING) == value for name, value in looked):
            return got
    seen = _Seen(consts)
    try:
        made: tuple[str, ...] | str = tuple(count_calls(func, held, code, seen))
    except Unknown as exc:
        made = str(exc)
    kept.append((tuple(seen.looked.items()), made))
    return made


class _Seen(dict[str, "int | str | Members"]):
    """``consts`` as count_calls reads it (``get`` alone), each name looked up and its answer noted."""

    def __init__(self, consts: Consts) -> None:
        super().__init__()
        self._consts = consts
        self.looked: dict[str, object] = {}

    def get(self, key: str, default: int | str | None = None  # type: ignore[override]
            ) -> int | str | Members | None:
        got = self._consts.get(key, _MISSING)
        self.looked.setdefault(key, got)
        return default if got is _MISSING else got  # type: ignore[return-value]


def _reaching(calls: dict[str, frozenset[str]], handed: frozenset[str]) -> frozenset[str]:
    """The functions that reach a SEAMCALL, or a function they are handed (sc_mark_dirty(op, fn, args): ``handed``
    call one of their parameters)."""
    from models.outcome import SEAM_FUNCTIONS

    found = {name for name, called in calls.items() if called & SEAM_FUNCTIONS} | handed
    grew = True
    while grew:
        more = {name for name, called in calls.items() if name not in found and called & found}
        grew = bool(more)
        found |= more
    return frozenset(found)


def _total(name: str, program: Program, calls: dict[str, frozenset[str]], seam: frozenset[str], retrying: set[str],
           code: int, consts: Consts, memo: dict[str, int | str], stack: tuple[str, ...]) -> int | str:
    """The SEAMCALLs one call of ``name`` makes answered ``code`` every time, or why that is not read."""
    from models.leaftaint import param_names

    funcs = program.functions
    if name not in funcs or name in stack:
        return 1  # a SEAMCALL, the function a wrapper is handed, or a cycle: one call
    if name in memo:
        return memo[name]
    if name not in retrying:
        inner = [_total(c, program, calls, seam, retrying, code, consts, memo, (*stack, name))
                 for c in sorted(calls[name] & seam)]
        memo[name] = next((x for x in inner if isinstance(x, str)), max([x for x in inner if isinstance(x, int)],
                                                                         default=1))
        return memo[name]
    made = _counted(funcs[name], seam | param_names(funcs[name]), code, consts)
    if isinstance(made, str):
        memo[name] = f"{name}() ({program.where(funcs[name].coord)}): {made}"
        return memo[name]
    total = 0
    for c in made:
        got = _total(c, program, calls, seam, retrying, code, consts, memo, (*stack, name))
        if isinstance(got, str):
            memo[name] = got
            return got
        total += got
    memo[name] = total
    return total


def retry_codes(matrix: Matrix) -> tuple[int, ...]:
    """The codes the matrix's ``repeat_first`` scripts answer first, once each."""
    return tuple(dict.fromkeys(code for _, code, _ in matrix.repeated))


def variant_bounds(sources: tuple[Source, ...], matrix: Matrix, cache: OutcomeCache | None
                   ) -> dict[str, list[list[object]]]:
    """models.retrycount's counts of one variant's code (harness.runner.variant_sources), as [function, where, code,
    calls or None, why] rows (kept in the outcome cache under its sources, entry points and codes: a filled cache
    loads no code for them)."""
    from models.loader import EntryPoint

    entries = tuple(EntryPoint(e.name, e.args) for e in matrix.entries)
    codes = retry_codes(matrix)
    key = cache.key("retry counts 2\0" + repr((sources, entries, codes))) if cache is not None else ""
    if cache is not None and isinstance(kept := cache.get_data(key), dict):
        return kept
    from models.errors import MirrorError
    from models.mirror import cached_mirror  # the interpreter loads only where the cache lacks the counts

    try:
        program = cached_mirror(sources, entries).program
        rows: dict[str, list[list[object]]] = {
            "counts": [[c.function, c.where, c.code, c.calls, c.why] for c in loop_counts(program, codes)]}
    except MirrorError as exc:  # the runs say it for every scenario
        rows = {"counts": [], "error": [[str(exc)]]}
    if cache is not None:
        cache.put_data(key, json.loads(json.dumps(rows)))
    return rows


def derive_bounds(matrix: Matrix, variants: Iterable[Variant], cache: OutcomeCache | None) -> Bounds:
    """The counts to add (each bound - 1, bound, bound + 1, over every variant) and the bounds not run, per variant."""
    counts: set[int] = set()
    unrun: list[tuple[str, str]] = []
    unread: list[tuple[str, str, str, int, str]] = []
    from harness.runner import variant_sources

    read: dict[tuple[Source, ...], dict[str, list[list[object]]]] = {}  # variants of the same code read it once
    for v in variants:
        sources = variant_sources(v)
        if sources not in read:
            read[sources] = variant_bounds(sources, matrix, cache)
        for function, where, code, calls, why in read[sources]["counts"]:
            if why == UNANSWERED:
                unrun.append((v.name, f"{function}() ({where}) retries while a SEAMCALL returns {code:#x}, up to "
                                      f"{calls} SEAMCALLs, and no script of the matrix returns {code:#x} over and "
                                      "over, so those retries and where they give up never ran; a script answering "
                                      "it first, with repeat_first, would run them (--matrix-add FILE adds one: "
                                      "docs/matrix.md)"))
            elif isinstance(calls, int) and calls > MAX_ANSWERS:
                unrun.append((v.name, f"the retry bound of {function}() ({where}): it gives up after {calls:,} "
                                      f"SEAMCALLs that return {code:#x}, past the {MAX_ANSWERS:,} answers a script "
                                      "may hold, so no script reaches it"))
            elif isinstance(calls, int) and calls > 1:
                counts |= {calls - 1, calls, calls + 1}
            elif calls is None and isinstance(code, int):  # a code the rows hold as read (JSON: int)
                unread.append((v.name, str(function), str(where), code, str(why)))
    return Bounds(tuple(sorted(n for n in counts if n <= MAX_ANSWERS)), tuple(dict.fromkeys(unrun)),
                  tuple(dict.fromkeys(unread)))


def with_bounds(matrix: Matrix, variants: tuple[Variant, ...], cache: OutcomeCache | None) -> Matrix:
    """``matrix`` with its repeat_first scripts also run at the bounds of the variants' retry loops (derive_bounds),
    read again from its file with those counts, the entry points found in the code kept; unchanged when the matrix
    repeats no answer or the code adds no count."""
    if not matrix.repeated:
        return matrix
    bounds = derive_bounds(matrix, variants, cache)
    if all(set(bounds.counts) <= set(counts) for _, _, counts in matrix.repeated):
        return matrix.with_notes(bounds.unrun, unread_bounds(bounds.unread, matrix))
    from harness.errors import InputError

    try:
        again = with_added(load_matrix(matrix.path, bounds.counts), matrix.added, bounds.counts)
        extra = list(matrix.entries[len(again.entries):])
        units = list(matrix.units[len(again.units):])
        run = again.with_entries(extra, units) if extra else again
        run = replace(run, unincluded=matrix.unincluded)  # what discover_entries found, as the entry points
        return run.with_notes(bounds.unrun, unread_bounds(bounds.unread, run))
    except InputError as exc:  # past MAX_SCENARIOS: the matrix's own counts run, and the bounds are said not run
        said = f"the retry loops' bounds are not run ({', '.join(map(str, bounds.counts))} answers in a row): {exc}"
        return matrix.with_notes(tuple((v.name, said) for v in variants) + bounds.unrun,
                                 unread_bounds(bounds.unread, matrix))


def same_counts(pa: Program, fa: c_ast.FuncDef, pb: Program, fb: c_ast.FuncDef,
                only: frozenset[int] | None = None) -> bool:
    """Whether the two functions make as many SEAMCALLs answered, every time, each code either compares an answer
    with (or each of ``only``), more than one for some (the loop goes round), each count read on both sides
    (harness.countedalike's test of two loops counted alike)."""
    from pycparser import c_ast

    from models.comparedcodes import compared_codes
    from models.condeval import nodes
    from models.leaftaint import param_names

    def called(f: c_ast.FuncDef) -> frozenset[str]:
        return frozenset(x.name.name for x in nodes(f.body) if isinstance(x, c_ast.FuncCall)
                         and isinstance(x.name, c_ast.ID)) | param_names(f)

    codes = sorted(compared_codes(fa, called(fa)) | compared_codes(fb, called(fb)) if only is None else only)
    if not codes:
        return False
    na, nb = str(fa.decl.name), str(fb.decl.name)
    got_a, got_b = _function_counts(pa, na, codes), _function_counts(pb, nb, codes)
    if any(got_a.get(code) is None or got_a.get(code) != got_b.get(code) for code in codes):
        return False
    return any((got_a[code] or 0) > 1 for code in codes)


def _function_counts(program: Program, name: str, codes: list[int]) -> dict[int, int | None]:
    """Per code, the SEAMCALLs ``name`` makes answered it every time (loop_counts); walked
    alone where loop_counts reads no retry loop in it (walked_counts: a loop testing a flag the answer set)."""
    found = [x for x in loop_counts(program, codes) if x.function == name]
    if not found:
        return walked_counts(program, name, codes)
    return {x.code: x.calls for x in found if not x.why}
