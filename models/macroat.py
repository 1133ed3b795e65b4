"""A macro one file ``#define``s more than once: each definition that expands it sees the ``#define`` above it."""

# cpp reads a file top to bottom: a use of a macro expands the definition in force at its line, the last #define of
# it above, unless an #undef of it came between (C11 6.10.3.5). Where every definition of a name lies in one file,
# unconditionally, and every definition of the variant that expands it (itself or through the macros it expands) is
# in that file below the first of them, with no #define of it inside its own lines, each is expanded with the one in
# force at its first line (models.cload's macro blocks): a function above '#undef X' / '#define X 2' gets the first X,
# one below the second. Else the uses are refused, as before (models.ambiguity).

from __future__ import annotations

from collections.abc import Callable, Iterable

from models.cpp import macro_blocks
from models.slicer import UNDEF_NAME, Definition, Kind

Blocks = Callable[[str, str, int], str]  # the macro block of a text at a path and line


def in_one_file(found: list[Definition]) -> bool:
    """Whether definitions of one name (latest first) are macros one file defines more than once, unconditionally."""
    return (len(found) > 1 and all(d.kind is Kind.MACRO and d.condition is None for d in found)
            and len({d.path for d in found}) == 1)


def in_force(found: list[Definition], undefs: Iterable[Definition], path: str, line: int) -> Definition | None:
    """The definition of ``found`` (one file's, latest first) a use at ``path:line`` expands; None where the name is
    no macro there (above the first #define, or #undef'ed since the last one above)."""
    above = next((d for d in found if d.path == path and d.line < line), None)
    if above is None:
        return None
    name = above.name
    ended = any(u.name == name and u.path == path and above.line < u.line < line for u in undefs)
    return None if ended else above


def each_sees_one(found: list[Definition], undefs: list[Definition], used: Iterable[Definition]) -> bool:
    """Whether every use among ``used`` (the program's definitions) of the macro ``found`` defines (latest first)
    expands one of its definitions, which blocks_at gives it (``undefs``: the #undef lines): see the module's comment.
    """
    if not in_one_file(found):
        return False
    name = found[0].name
    used = list(used)
    reaching = {name}  # the macros that expand it, itself included
    grown = True
    while grown:
        more = {d.name for d in used if d.kind is Kind.MACRO and d.name not in reaching and d.names_used() & reaching}
        reaching |= more
        grown = bool(more)
    path = found[0].path
    for d in used:
        if d.kind is Kind.MACRO or d.kind is Kind.UNDEF or not d.names_used() & reaching:
            continue
        end = d.line + d.text.count("\n")
        if d.path != path or in_force(found, undefs, path, d.line) is None or any(
                d.line <= x.line <= end for x in found):
            return False
    return True


def blocks_at(macros: dict[str, Definition], withheld: frozenset[str], poisoned: frozenset[str],
              table: dict[str, list[Definition]]) -> Blocks:
    """models.cpp.macro_blocks of a program, a text's block holding the definition in force where it is of each
    macro its file defines more than once (in_force); the one block for every text where no file does."""
    base = macro_blocks(macros, withheld, poisoned)
    several = {n: table[n] for n in macros if in_one_file(table.get(n, []))}
    if not several:
        return lambda text, path, line: base(text)
    undefs = table.get(UNDEF_NAME, [])

    def at(text: str, path: str, line: int) -> str:
        here = {n: in_force(found, undefs, path, line) for n, found in several.items() if found[0].path == path}
        if all(d == macros[n] for n, d in here.items()):
            return base(text)
        gone = frozenset(n for n, d in here.items() if d is None)
        kept = {n: d for n, d in {**macros, **here}.items() if d is not None}
        return macro_blocks(kept, withheld | gone, poisoned)(text)

    return at
