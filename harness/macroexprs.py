"""Which parameters of function-like macros are read as expressions or called: the files' over the prelude's."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar, cast

from harness.valuenames import Use

_Set = TypeVar("_Set", bound=frozenset[Any])

Macros = tuple[tuple[str, tuple[str, ...], str], ...]  # (name, parameters, replacement list) of the files' macros


def bodies_of(files: Macros) -> dict[str, tuple[tuple[str, ...], str]]:
    """Parameters and replacement list of each function-like macro: the prelude's, then ``files``' over them."""
    bodies = dict(_prelude_bodies())
    bodies.update((n, (params, body)) for n, params, body in files)
    return bodies


@lru_cache(maxsize=1)
def _prelude_bodies() -> dict[str, tuple[tuple[str, ...], str]]:
    """bodies_of of the prelude alone, its ~750 parameter lists split once (not twice per distinct set of files)."""
    from models.prelude import macro_lines

    return {n: (tuple(p.strip() for p in params.strip()[1:-1].split(",")), body)
            for n, params, body in macro_lines() if params}


@lru_cache(maxsize=64)
def reached(files: Macros, roots: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The macros of bodies_of that ``roots`` name, and those they hand a parameter to, to a closure; and every callee
    they hand one to: the only names closed asks the functions about."""
    from harness.valuenames import macro_reads

    bodies = bodies_of(files)
    reach, handed, todo = set[str](), set[str](), [n for n in roots if n in bodies]
    while todo:
        n = todo.pop()
        if n not in reach:
            reach.add(n)
            callees = {h[1] for h in macro_reads(*bodies[n]).handed}
            handed |= callees
            todo += [c for c in callees if c in bodies]
    return frozenset(reach), frozenset(handed)


@lru_cache(maxsize=64)
def closed(files: Macros, reach: frozenset[str], functions: frozenset[str]
           ) -> tuple[frozenset[tuple[str, int]], frozenset[tuple[str, int]]]:
    """harness.unknowncallees._expressions' pairs of the macros ``reach`` (reached) from what alone decides
    them: the files' function-like macros over the prelude's, and which callees they hand to are the files'
    functions; equal inputs' answers worked out once (memo by content)."""
    from harness.valuenames import macro_reads, takes

    bodies = bodies_of(files)
    reads = {n: macro_reads(*bodies[n]) for n in reach}

    def key(n: str, at: int) -> tuple[str, int]:  # a variadic parameter as valuenames.takes reads it
        params = bodies[n][0]
        return (n, -1 - at) if at == len(params) - 1 and params[-1].endswith("...") else (n, at)

    values = {key(n, i) for n, r in reads.items() for i in r.values} | \
        {(n, i) for n, i in primitive_reads() if n not in bodies}
    calls = {key(n, i) for n, r in reads.items() for i in r.calls}
    handed = [(n, at, callee, i, how) for n, r in reads.items() for at, callee, i, how in r.handed]
    asked = handed
    while asked:  # a parameter handed on reads as the callee's does: to a fixed point (the pairs are finite)
        more = {(key(n, at), use) for n, at, callee, i, how in asked
                for use in _handed_as(how, takes(values, callee, i) or _function(callee, n, functions, bodies),
                                      takes(calls, callee, i))}
        more -= {(k, Use.VALUE) for k in values} | {(k, Use.CALL) for k in calls}
        values |= {k for k, use in more if use is Use.VALUE}
        calls |= {k for k, use in more if use is Use.CALL}
        # What a callee is handed reads as only its own pairs say (takes): one whose pairs did not grow hands on
        # nothing new, so the next round asks only of those handed to a macro that grew.
        grown = {k[0] for k, _ in more}
        asked = [h for h in handed if h[2] in grown]
    return shared(frozenset(values)), shared(frozenset(calls))


def _function(callee: str, macro: str, functions: frozenset[str], bodies: dict[str, Any]) -> bool:
    """Whether ``callee``, called in ``macro``'s replacement list, is a function that reads its arguments as values:
    one of the files' no macro shadows, or ``macro`` itself, which the preprocessor does not expand again there
    (C11 6.10.3.4p2: the prelude's 'pr_err(fmt, ...) pr_err(fmt, ##__VA_ARGS__)' calls the primitive, whose
    arguments primitive_reads gives)."""
    return callee == macro or (callee in functions and callee not in bodies)


@lru_cache(maxsize=1)
def primitive_reads() -> frozenset[tuple[str, int]]:
    """(primitive, argument index) of each argument a primitive of the mirror that no prelude macro shadows reads
    as a value (likely(x), memcpy(), printk()'s values): all but its name_args (a per-CPU variable's or a lock's
    name: models.primitive.Primitive, spelled out in models.primnames.NAME_FIRST), the arguments after them as
    valuenames.takes reads a variadic parameter's."""
    from models.prelude import macro_lines
    from models.primnames import NAME_FIRST, PRIMITIVE_NAMES

    macros = {n for n, _, _ in macro_lines()}
    found: set[tuple[str, int]] = set()
    for n in PRIMITIVE_NAMES:
        name_args = (0,) if n in NAME_FIRST else ()
        after = max(name_args, default=-1) + 1
        if n not in macros:
            found |= {(n, i) for i in range(after) if i not in name_args} | {(n, -1 - after)}
    return frozenset(found)


def _handed_as(how: Use | None, read: bool, called: bool) -> tuple[Use, ...]:
    """How a macro's parameter handed to a callee's argument is used, given whether the callee reads that argument
    as an expression (``read``) or calls it (``called``): alone (``how`` None) as the callee does; read as a value
    or called in a longer argument (``how``), as it stands there if the callee does either."""
    if how is None:
        return (*((Use.VALUE,) if read else ()), *((Use.CALL,) if called else ()))
    return (how,) if read or called else ()


# Equal sets worked out for different files, kept once (shared); bounded like harness.memo's table.
_SHARED: dict[frozenset[Any], frozenset[Any]] = {}


def shared(value: _Set) -> _Set:
    """``value``, or the equal set handed out before: the sets of names each pair of files is kept with in
    harness.memo are mostly equal (18 pairs, 2 distinct sets of expressions, in the corpus' eval)."""
    if len(_SHARED) >= 256:
        _SHARED.clear()
    return cast(_Set, _SHARED.setdefault(value, value))
