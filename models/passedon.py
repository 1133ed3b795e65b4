"""What a function pointer parameter is handed, followed through the callers that hand on a parameter of their own."""

# sc_retry_prerr(func, ...) calls sc_retry(func, fn, args): what sc_retry()'s func is, there, is what sc_retry_prerr()'s
# callers hand it (__seamcall, __seamcall_ret), not "anything". Read so, a call through sc_retry()'s parameter is a
# call of the functions its callers name, each judged as one named there would be (harness.unreadcode).

from __future__ import annotations

from collections.abc import Callable

MARK = "@"  # models.source._Sites: a caller's own parameter handed on, "@caller@parameter"


def handed_on(caller: str, param: str) -> str:
    """The mark of ``caller``'s parameter ``param`` handed on as an argument."""
    return f"{MARK}{caller}{MARK}{param}"


def assigning(sets: dict[str, dict[str, list[int]]]) -> Callable[[str, str], bool]:
    """Whether a function assigns its parameter (or takes its address), by CodeFacts.sets: what it holds is then
    not what was passed. A function whose stores were not read (none of ``sets``) may."""
    return lambda f, p: f not in sets or bool(sets[f].get(p) or sets[f].get("&" + p))


def handed(name: str, index: int, args: dict[str, list[list[str]]], values: set[str],
           params: Callable[[str], list[str] | None], assigns: Callable[[str, str], bool]) -> set[str]:
    """What the direct calls of ``name`` in the code read pass as its argument ``index``: each function's name, ""
    for anything else; a caller's own parameter handed on is what that caller's calls pass there, where the caller
    neither assigns it (what it hands on is then no longer what it was handed) nor is named as a value anywhere (it
    may then be called through a pointer with anything), and it has calls in the code read (else: anything)."""
    return _handed(name, index, args, values, (params, assigns), frozenset()) or {""}


def _handed(name: str, index: int, args: dict[str, list[list[str]]], values: set[str],
            read: tuple[Callable[[str], list[str] | None], Callable[[str, str], bool]],
            seen: frozenset[tuple[str, int]]) -> set[str]:
    params, assigns = read
    if (name, index) in seen:
        return set()  # a call of a function handing its own parameter back to itself adds nothing its callers do not
    if name not in args:
        return {""}
    out: set[str] = {""} if name in values else set()
    for passed in args[name]:
        x = passed[index] if index < len(passed) else ""
        if not x.startswith(MARK):
            out.add(x)
            continue
        caller, _, param = x[1:].partition(MARK)
        names = params(caller)
        if names is None or param not in names or assigns(caller, param):
            out.add("")
            continue
        out |= _handed(caller, names.index(param), args, values, read, seen | {(name, index)}) or {""}
    return out
