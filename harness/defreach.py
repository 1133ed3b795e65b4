"""Whether the entry points reach a definition, or a change in it reaches code that runs: its users, its enumerators."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from functools import lru_cache, partial

from harness.memo import by_identity
from models.closure import closure
from models.lazyre import lazy
from models.outcome import SEAM_FUNCTIONS
from models.slicer import Definition, Kind

DATA_KINDS = frozenset({Kind.MACRO, Kind.ENUM, Kind.VARIABLE, Kind.TYPEDEF, Kind.STRUCT})  # what code reads, not runs
_GENERATOR = re.compile(r"\s*#\s*define\s+\w+\([^)]*\)[^\n]*(?:\\\n[^\n]*)*\{", re.DOTALL)
_FUNCTION_LIKE = re.compile(r"\s*#\s*define\s+\w+\(")


def is_code(d: Definition, table: dict[str, list[Definition]]) -> bool:
    """Whether a definition is code that runs: a function, a function-like macro with a body in braces
    (``DEFINE_SC(name, leaf)`` generating a function where it is called), or one whose expansion calls such
    code or a SEAMCALL (a wrapper such as ``#define seamcall_ret_prerr(fn, args) sc_retry_prerr(...)``: new
    API whose callers are elsewhere, which runs only where it is invoked)."""
    if d.kind is Kind.FUNCTION or (d.kind is Kind.MACRO and _GENERATOR.match(d.text)):
        return True
    if d.kind is not Kind.MACRO or not _FUNCTION_LIKE.match(d.text):
        return False
    used = closure(table, [d.name])
    return any(u is not d and (u.kind is Kind.FUNCTION or bool(_GENERATOR.match(u.text))) for u in used) or \
        any(u.identifiers() & SEAM_FUNCTIONS for u in used)


def covered(d: Definition, table: dict[str, list[Definition]], reached: set[int],
            other: dict[str, list[Definition]]) -> bool:
    """Whether a change inside ``d`` is covered: an entry point reaches it, or it is no code (is_code) that no code no
    entry point reaches uses (``#define BUDGET 3``, ``static int budget = 3;``, ``enum { BUDGET = 3 }``, a struct's
    member or a typedef, of ``budget()``: changing it changes that function, which nothing compares, as a change
    inside its body would; one whose users the hunks do not show is harness.linecover's). A variable, enumerator or
    type the other state (``other``) does not define is new: its users are in the lines added with it, each said
    where no entry point reaches it."""
    if reaches(d, table, reached):
        return True
    if is_code(d, table):
        return False
    return d.kind not in DATA_KINDS or (d.kind is not Kind.MACRO and d.name not in other) \
        or not unreached_users(d, table, reached)


def unreached_users(d: Definition, table: dict[str, list[Definition]], reached: set[int], name: str = ""
                    ) -> list[str]:
    """The code definitions (is_code) no entry point reaches that use ``d``'s name (or ``name``, an enumerator of it),
    each name once, or use it through plain macros (``#define MAX (TRIES * 2)`` that ``budget()`` uses: changing
    TRIES changes budget())."""
    users: dict[str, None] = {}
    names, seen = [name or d.name], {name or d.name}
    index = by_identity("reach.users", (table,), (), partial(_users_index, table))
    while names:
        name = names.pop()
        for u in index.get(name, ()):
            if u is d or id(u) in reached:
                continue
            if is_code(u, table):
                users.setdefault(u.name)
            elif u.kind is Kind.MACRO and u.name not in seen:
                seen.add(u.name)
                names.append(u.name)
    return list(users)


def _users_index(table: dict[str, list[Definition]]) -> dict[str, list[Definition]]:
    """The definitions of ``table`` using each name, in the table's order: unreached_users read every definition
    for each name it followed (10,000 changed macros: minutes)."""
    index: dict[str, list[Definition]] = {}
    enums: set[tuple[str, int]] = set()
    for ds in table.values():
        for u in ds:
            if u.kind is Kind.ENUM:  # its every enumerator is a definition of the same text: one uses what it uses
                if (u.path, u.line) in enums:
                    continue
                enums.add((u.path, u.line))
            for name in u.names_used():
                index.setdefault(name, []).append(u)
    return index


def users_unseen(d: Definition, table: dict[str, list[Definition]], reached: set[int], names: Collection[str] = ()
                 ) -> bool:
    """Whether ``d`` (one of its enumerators ``names``, else its own) is a plain macro (no code: is_code), an
    enumerator, a variable (``static int tries = 3;``, const or not, with an initializer or none: the value it starts
    with, its type, a table's entries), a struct's or union's member or a typedef no entry point reaches that no code
    the table holds uses, directly or through plain macros: in a variant known from hunks, its users are in lines the
    mail does not show. A macro with no body (an include guard: ``#define _SEAMCALL_H``) is only ever tested by the
    preprocessor. One a patch adds is harness.linecover's to leave out: its users are in the lines added with it."""
    plain = d.kind is Kind.MACRO and len(d.text.split()) > 2 and not is_code(d, table)
    return (plain or (d.kind in DATA_KINDS and d.kind is not Kind.MACRO)) and any(
        not reaches(d, table, reached, [name]) and not unreached_users(d, table, reached, name)
        for name in names or [d.name])


def reaches(d: Definition, table: dict[str, list[Definition]], reached: set[int], names: Collection[str] = ()) -> bool:
    """Whether the entry points reach ``d`` (``reached``: models.closure's, by identity); an enum's enumerators
    (``names``, else its own) only where a definition they reach other than the enum names one of them or the enum's
    tag: its every enumerator is a definition of the same text, which the closure follows to each from any one."""
    if d.kind is not Kind.ENUM:
        return id(d) in reached
    index = by_identity("reach.users", (table,), (), partial(_users_index, table))
    # Each name once per enum (every enumerator of an enum of thousands asks)
    known: dict[str, bool] = by_identity("reach.enum", (table, reached), (d.path, d.line), dict)
    for n in (*(names or [d.name]), *_tags(d.text)):
        if n not in known:
            known[n] = any(id(u) in reached and u.text != d.text for u in index.get(n, ()))
        if known[n]:
            return True
    return False


@lru_cache(maxsize=256)
def _tags(text: str) -> tuple[str, ...]:
    """The ``enum tag`` names an enum's text holds (its own tag among them)."""
    return tuple(f"enum {t}" for t in re.findall(r"\benum\s+([A-Za-z_]\w*)", text))


_ITEM = lazy(r"\s*([A-Za-z_]\w*)\s*(=)?")  # an enumerator: its name, and whether a value is written for it


def enumerators_on(d: Definition, number: int) -> tuple[list[str], list[str]]:
    """The enumerators of the enum ``d`` that line ``number`` defines (one starting on it, or whose value it holds), and
    those after them with no value of their own, each one more than the one before it: changing the line changes
    them too (``DEMO_LIMIT = 3 -> 4,`` of ``DEMO_LIMIT = 3, DEMO_NEXT,`` changes DEMO_NEXT). None for a line outside
    its braces: the line's own, and those after them."""
    firsts, lasts, names, runs = _enumerators(d.text)
    line = number - d.line
    i = bisect_right(firsts, line) - 1  # the last enumerator starting on the line or before it
    while i > 0 and firsts[i - 1] == firsts[i]:
        i -= 1  # the first of those starting on that line
    if i < 0 or lasts[i] < line:
        return [], []
    j = i
    while j + 1 < len(names) and firsts[j + 1] <= line:
        j += 1  # the line's others
    return names[i:j + 1], names[j + 1:runs[j]]


@lru_cache(maxsize=256)
def _enumerators(text: str) -> tuple[list[int], list[int], list[str], list[int]]:
    """An enum's enumerators in order, read once per text (each changed line of an enum of thousands asks): the line
    each starts and ends on (from the text's first line, 0), its name, and the end (exclusive) of the run of
    enumerators with no value of their own that follow it."""
    firsts: list[int] = []
    lasts: list[int] = []
    names: list[str] = []
    explicit: list[bool] = []
    start = text.find("{")
    depth, begin, line = 0, start + 1, text.count("\n", 0, start + 1) if start >= 0 else 0
    for i in range(start + 1, len(text) if start >= 0 else 0):
        c = text[i]
        depth += (c in "([") - (c in ")]")
        if (c == "," and depth == 0) or (c == "}" and depth <= 0):
            item = text[begin:i].rstrip()
            m = _ITEM().match(item)
            if m is not None:
                firsts.append(line + item.count("\n", 0, m.start(1)))  # blank lines before its name aside
                lasts.append(line + item.count("\n"))
                names.append(m.group(1))
                explicit.append(m.group(2) is not None)
            line += text.count("\n", begin, i + 1)
            begin = i + 1
            if c == "}":
                break
    runs = [0] * len(names)
    end = len(names)
    for k in range(len(names) - 1, -1, -1):
        runs[k] = end
        if explicit[k]:
            end = k
    return firsts, lasts, names, runs
