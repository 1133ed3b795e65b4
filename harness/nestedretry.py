"""Retry loops going round a call that reaches another retry loop: their SEAMCALLs multiply, past any one's count."""

# A wrapper retrying the P-SEAMLDR's "no entropy" around sc_retry(), which retries the TDX module's, issues up to
# 10 x 10 SEAMCALLs when the answers make both go round (nine of one code, then the other, over and over). The
# matrix's scripts answer one code at a time, so every run stays within one loop's count, each loop's tests come
# out both ways across the runs, and a bound on the count (`calls_at_most`, `calls`) passed on them.

from __future__ import annotations

from collections.abc import Iterable

from models.facts import CodeFacts, RoleKind


def nested_retries(facts: CodeFacts, entries: Iterable[str]) -> list[str]:
    """Of the functions ``entries`` reach (CodeFacts.entry_reach), each with a retry loop (models.retryloop: one
    whose test is read, CodeFacts.retry_roles) that calls, directly, through other functions or through a function
    pointer its callers hand it (CodeFacts.passed), another function with one: said with both loops' file:line."""
    reach = {f for e in entries for f in facts.entry_reach.get(e, ())}
    loops = {f: r.where for f, r in facts.retry_roles.items() if f in reach and r.kind is not RoleKind.UNKNOWN}
    said = []
    for outer in sorted(loops):
        for inner in sorted((_reached(facts, outer) & set(loops)) - {outer}):
            said.append(f"{outer}() ({loops[outer]}) goes round a call that reaches another retry loop, {inner}() "
                        f"({loops[inner]}): answers that make both go round multiply the SEAMCALLs, and no script "
                        "is known to give them (a bound the runs meet one loop at a time is not shown)")
    return said


def _reached(facts: CodeFacts, start: str) -> set[str]:
    """The functions ``start`` calls, directly or not, a function pointer parameter counted as what its callers
    hand it."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        fn = todo.pop()
        handed = facts.passed.get(fn, {})
        for callee in facts.calls.get(fn, {}):
            for name in [callee, *handed.get(callee, [])]:
                if name and name not in seen:
                    seen.add(name)
                    todo.append(name)
    return seen
