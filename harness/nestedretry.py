"""Retry loops going round a call that reaches another retry loop: their SEAMCALLs multiply, past any one's count."""

# A wrapper retrying the P-SEAMLDR's "no entropy" around sc_retry(), which retries the TDX module's, issues up to
# 10 x 10 SEAMCALLs when the answers make both go round (nine of one code, then the other, over and over). The
# matrix's scripts answer one code at a time, so every run stays within one loop's count, each loop's tests come
# out both ways across the runs, and a bound on the count (`calls_at_most`, `calls`) passed on them; a patch
# splitting 'ret == A || ret == B' into a loop on B around a loop on A was "no behaviour change" the same way.

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from harness.comparison import NEST
from harness.memo import by_identity
from harness.runner import variant_sources
from harness.variants import Variant
from models.errors import MirrorError
from models.loader import EntryPoint, Source, definitions
from models.slicer import Kind
from models.wordfind import BOUNDARY, CALL_AFTER, has_name

if TYPE_CHECKING:
    from harness.matrixresult import MatrixResult
    from harness.outcome_cache import OutcomeCache

_LOOP = re.compile(r"\b(?:while|for)\s*\(|\bgoto\b")
Nest = tuple[str, str, str, str]  # outer, inner, each one's file:line


def nests(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], roots: Iterable[str] | None = None,
          store: OutcomeCache | None = None) -> list[Nest] | None:
    """Each function (among those ``roots`` reach, all with None) whose loop makes a SEAMCALL again on its answer
    (models.retryloop.retries_on_answer: a call of a SEAM function, of a function reaching one, or of one it is
    handed), and that calls, directly or through other functions, another such function; None where the C cannot be
    read. Worked out once per sources and entries (a variant's rules and comparisons ask again), and kept in
    ``store`` beside the code's facts: a rerun on the same code parses no C."""
    # Keyed by the sources' definitions table, one object for every equal tuple of sources (models.loader keeps it by
    # content), and by the entries' value: each variant hands a tuple of its own (harness.runner.variant_sources), and
    # 22 of the corpus' 34 nests of one eval were those of an equal tuple another variant had asked with.
    found = by_identity("nested retries", (definitions(sources),), (entries,),
                        lambda: _all_nests(sources, entries, store))
    if found is None or roots is None:
        return found
    from models.closure import closure

    reached = {d.name for d in closure(definitions(sources), sorted(roots))}
    return [n for n in found if n[0] in reached]


def _all_nests(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], store: OutcomeCache | None
               ) -> list[Nest] | None:
    from models.closure import closure

    table = definitions(sources)
    looping = set(_loop_texts(table))
    reach = {f: {d.name for d in closure(table, [f])} for f in looping}
    outers = {f for f in looping if reach[f] & looping - {f}}
    if not outers:
        return []  # no function with a loop reaches another by name: nothing to nest, and no C parsed (nor loaded)
    if store is None:
        return _parsed_nests(sources, entries, table, looping, reach, outers)
    from harness.runner import facts_description
    from harness.valuecache import harness_version

    # The code's facts' key (harness.runner.facts_description) and this harness's source: what decides the nests.
    key = store.key(f"nests\0{harness_version()}\0{facts_description(sources, entries)}")
    kept = store.get_data(key)
    if isinstance(kept, dict) and _readable(kept.get("nests")):
        return None if kept["nests"] is None else [(a, b, c, d) for a, b, c, d in kept["nests"]]
    found = _parsed_nests(sources, entries, table, looping, reach, outers)
    store.put_data(key, {"nests": None if found is None else [list(n) for n in found]})
    return found


def _readable(kept: object) -> bool:
    """Whether ``kept`` is what _all_nests keeps: None, or a list of four strings apiece."""
    return kept is None or (isinstance(kept, list) and all(
        isinstance(n, list) and len(n) == 4 and all(isinstance(x, str) for x in n) for n in kept))


def _parsed_nests(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...], table: dict[str, Any],
                  looping: set[str], reach: dict[str, set[str]], outers: set[str]) -> list[Nest] | None:
    """_all_nests' nests, worked out from the parsed C (None: it cannot be read)."""
    from harness.discover import reaches_seam
    from models.mirror import cached_mirror
    from models.outcome import SEAM_FUNCTIONS
    from models.retryloop import _calls, retries_on_answer

    try:
        program = cached_mirror(sources, entries).program.functions
    except MirrorError:
        return None
    below = set().union(*(reach[f] for f in outers))  # what the outer loops reach: where an inner one may be
    functions = {name: fn for name, fn in program.items() if name in below and name in table}
    # A call of a function with such a loop, or of one reaching it, makes SEAMCALLs too (a retry loop on a call it is
    # handed reaches no SEAM name): grown to a fixed point over the few functions the outer loops reach.
    seam, loops, grew = set(reaches_seam(table)) | SEAM_FUNCTIONS | _handed(functions), dict[str, str](), True
    while grew:
        known = frozenset(seam)  # a function's parse is shared by the variants holding it: read once per it and set
        new = {name: table[name][0].where for name, fn in functions.items() if name in looping and name not in loops
               and (by_identity("retries on answer", (fn,), (known,),
                                partial(retries_on_answer, fn, known.__contains__)) is not None
                    or (_recurs(name, table[name][0].text) and bool(set(_calls((fn.body,))) & known - {name})))}
        callers = {name for name in below if name not in seam and table[name][0].identifiers() & (seam | new.keys())}
        loops |= new
        seam |= new.keys() | callers
        grew = bool(new or callers)
    return [(outer, inner, loops[outer], loops[inner]) for outer in sorted(loops.keys() & outers)
            for inner in sorted(reach[outer] & loops.keys() - {outer})]


def nested_retries(v: Variant, entries: tuple[EntryPoint, ...], roots: Iterable[str],
                   store: OutcomeCache | None = None) -> list[str]:
    """The nests of the code ``roots`` (entry point names) reach in ``v``, said for a rule's note (``store``: where
    they are kept, nests)."""
    return [f"{outer}() ({at_outer}) goes round a call that reaches another retry loop, {inner}() ({at_inner}): "
            "answers that make both go round multiply the SEAMCALLs, and no script is known to give them (a bound "
            "the runs meet one loop at a time is not shown)"
            for outer, inner, at_outer, at_inner in nests(variant_sources(v), entries, roots, store) or ()]


def nest_changes(res: MatrixResult, a: str, b: str) -> tuple[str, ...]:
    """Where variant ``a`` or ``b`` holds a nest (nests) and the two differ in the text of either of its functions (a
    patch made, changed or took apart the nest), said: the scripts answer one "no entropy" code at a time, so runs
    that agree show nothing of answers making both loops go round. A side whose C cannot be read says nothing."""
    sides = (res.variant(a), res.variant(b))
    texts = [_loop_functions(variant_sources(v)) for v in sides]
    if texts[0] == texts[1]:
        return ()  # no function with a loop changed: a nest both hold alike
    entries = tuple(EntryPoint(e.name, e.args) for e in res.matrix.entries)
    said: dict[str, None] = {}
    for v, own, other in ((sides[0], texts[0], texts[1]), (sides[1], texts[1], texts[0])):
        for outer, inner, at_outer, at_inner in nests(variant_sources(v), entries, None, res.store) or ():
            if own.get(outer) != other.get(outer) or own.get(inner) != other.get(inner):
                said[f"{NEST} in {v.name}: {outer}() ({at_outer}) goes round a call that reaches the retry loop of "
                     f"{inner}() ({at_inner}), and the change touches them: answers that make both go round (one "
                     "loop's code, then the other's) multiply or cut the SEAMCALLs, and no script gives them, so "
                     "runs that agree do not show that it keeps behaviour"] = None
    return tuple(said)


def _loop_functions(sources: tuple[Source, ...]) -> dict[str, str]:
    """The functions of ``sources`` whose text holds a loop (or a goto), or that call themselves, by name: their
    text."""
    return _loop_texts(definitions(sources))


def _loop_texts(table: dict[str, Any]) -> dict[str, str]:
    """_loop_functions of a definitions table, worked out once per table (a table is one object per distinct
    sources: every comparison and rule of a variant asks again; do not change the dict given)."""
    return by_identity("loop texts", (table,), (), partial(_read_loop_texts, table))


def _read_loop_texts(table: dict[str, Any]) -> dict[str, str]:
    return {name: ds[0].text for name, ds in table.items()
            if ds and ds[0].kind is Kind.FUNCTION and (_LOOP.search(ds[0].text) or _recurs(name, ds[0].text))}


def _recurs(name: str, text: str) -> bool:
    """Whether a function's body calls the function itself: a retry by recursion ('if (err == NO_ENTROPY && left >
    1) return seamldr_try(fn, args, left - 1);') goes round as a loop does, and a nest of it around a retry loop
    multiplies the SEAMCALLs alike."""
    body = text.partition("{")[2]
    return has_name(body, name, BOUNDARY, CALL_AFTER)  # no pattern compiled per function


def _handed(functions: dict[str, Any]) -> set[str]:
    """The functions that call one of their own parameters (a call they are handed: a SEAMCALL, given one)."""
    from models.leaftaint import param_names
    from models.retryloop import _calls

    def calls_one(fn: Any) -> bool:
        return bool(set(_calls((fn.body,))) & param_names(fn))

    return {name for name, fn in functions.items() if fn.body is not None
            and by_identity("calls a parameter", (fn,), (), partial(calls_one, fn))}
