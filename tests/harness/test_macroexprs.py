"""Which macro parameters are read as expressions or called (harness.macroexprs): exact on the macros a text names."""

from __future__ import annotations

from typing import Any

import pytest

from harness import macroexprs as me


def _every_round(files: Any, functions: frozenset[str]) -> tuple[frozenset[Any], frozenset[Any]]:
    """closed()'s fixed point as it was written: every handed parameter asked again in each round."""
    from harness.valuenames import Use, macro_reads, takes

    bodies = me.bodies_of(files)
    reads = {n: macro_reads(params, body) for n, (params, body) in bodies.items()}

    def key(n: str, at: int) -> tuple[str, int]:
        params = bodies[n][0]
        return (n, -1 - at) if at == len(params) - 1 and params[-1].endswith("...") else (n, at)

    values = {key(n, i) for n, r in reads.items() for i in r.values} | \
        {(n, i) for n, i in me.primitive_reads() if n not in bodies}
    calls = {key(n, i) for n, r in reads.items() for i in r.calls}
    grown = True
    while grown:
        more = {(key(n, at), use) for n, r in reads.items() for at, callee, i, how in r.handed
                for use in me._handed_as(how, takes(values, callee, i) or me._function(callee, n, functions, bodies),
                                         takes(calls, callee, i))}
        more -= {(k, Use.VALUE) for k in values} | {(k, Use.CALL) for k in calls}
        values |= {k for k, use in more if use is Use.VALUE}
        calls |= {k for k, use in more if use is Use.CALL}
        grown = bool(more)
    return frozenset(values), frozenset(calls)


@pytest.mark.parametrize("functions", [frozenset(), frozenset({"sc_use", "sc_call"})])
def test_the_fixed_point_asking_only_of_callees_that_grew_is_every_rounds(functions: frozenset[str]) -> None:
    # A chain handed on five deep, written callee last (a round per link), a variadic link, a call and a function.
    files = (("SC_A", ("a", "b"), " SC_B(b, a)"), ("SC_B", ("x", "y"), " SC_C(y, x + 1)"),
             ("SC_C", ("p", "q"), " SC_D(q)(p)"), ("SC_D", ("f",), " sc_call(f)"),
             ("SC_E", ("v", "..."), " SC_F(__VA_ARGS__, v)"), ("SC_F", ("g", "h"), " sc_use(g) + SC_A(h, 0)"),
             ("SC_G", ("m",), " m(1)"), ("SC_H", ("k",), " SC_G(k)"))
    every = _every_round(files, functions)
    fast = me.closed.__wrapped__(files, frozenset(me.bodies_of(files)), functions)
    assert fast == every
    # Asked of the macros a text names alone (and those they hand on to): the same pairs for each of them.
    for roots in ({"SC_A"}, {"SC_H", "SC_E"}, {"SC_D", "WRITE_ONCE", "sc_use"}, set()):
        reach, _ = me.reached(files, frozenset(roots))
        some = me.closed.__wrapped__(files, reach, functions)
        assert [{k for k in pairs if k[0] in reach} for pairs in some] == \
            [{k for k in pairs if k[0] in reach} for pairs in every]
        assert reach >= set(roots) - {"sc_use"} and ("SC_A" in reach) is ("SC_A" in roots or "SC_E" in roots)
    # SC_A's b reaches sc_call()'s argument four links on: read only where sc_call is a function of the files.
    assert (("SC_A", 1) in fast[0]) is (("SC_E", -2) in fast[0]) is bool(functions) and ("SC_H", 0) in fast[1]


def test_a_primitive_reads_every_argument_but_the_names_it_takes() -> None:
    # likely(x) reads x, and so would any later argument; this_cpu_write(pcp, val) reads val, not pcp.
    from harness.valuenames import takes

    reads = me.primitive_reads()
    assert takes(reads, "likely", 0) and takes(reads, "memcpy", 2)
    assert not takes(reads, "this_cpu_write", 0) and takes(reads, "this_cpu_write", 1)
    assert not any(n == "pr_err" for n, _ in reads)  # the prelude's macro, read through its replacement list
