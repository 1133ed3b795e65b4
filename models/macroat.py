"""A macro one file ``#define``s more than once: each definition that expands it sees the ``#define`` above it."""

# cpp reads a file top to bottom: a use of a macro expands the definition in force at its line, the last #define of
# it above, unless an #undef of it came between (C11 6.10.3.5). Where every definition of a name lies in one file,
# unconditionally, and every definition of the variant that expands it (itself or through the macros it expands) is
# in that file below the first of them, each is expanded with the one in force at its first line (models.cload's macro
# blocks; an #undef or #define inside its lines is in its text, which cpp reads there): a function above '#undef X' /
# '#define X 2' gets the first X, one below the second, none after an #undef alone. Else the uses are refused, as
# before (models.ambiguity).

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from functools import lru_cache

from models.literals import PR_FMT_MACRO
from models.prelude import prelude_bodies
from models.preludereach import header_reached, prelude_users
from models.slicer import UNDEF_NAME, Definition, Kind
from models.testednames import only_tested

Blocks = Callable[[str, str, int], str]  # the macro block of a text at a path and line


def in_one_file(found: list[Definition], undefs: Iterable[Definition] = ()) -> bool:
    """Whether definitions of one name (latest first) are macros one file defines, unconditionally, more than once
    or once and #undefs."""
    if not found or any(d.kind is not Kind.MACRO or d.condition is not None for d in found) \
            or len({d.path for d in found}) > 1:
        return False
    return len(found) > 1 or any(u.name == found[0].name and u.path == found[0].path for u in undefs)


def in_force(found: list[Definition], undefs: Iterable[Definition], path: str, line: int
             ) -> tuple[Definition | None, bool]:
    """The last definition of ``found`` (one file's, latest first) above ``path:line`` (None: none), and whether an
    #undef of it lies between that one (or the file's start) and the line: then no macro of the name is in force."""
    above = next((d for d in found if d.path == path and d.line < line), None)
    after = above.line if above is not None else 0
    name = found[0].name
    return above, any(u.name == name and u.path == path and after < u.line < line for u in undefs)


def each_sees_one(found: list[Definition], undefs: list[Definition], used: Iterable[Definition],
                  whole: Container[str] = ()) -> bool:
    """Whether every use among ``used`` (the program's definitions) of the macro ``found`` defines (latest first)
    sees the definition in force at its line, or none where it is #undef'ed, or the kernel header's above the first
    where header_fallback() holds (``whole``: the paths of the files known whole) (blocks_at gives it that): see the
    module's comment. ``undefs``: the #undef lines."""
    if not in_one_file(found, undefs):
        return False
    header = header_fallback(found, undefs, whole)
    name = found[0].name
    used = list(used)
    reaching = _reaching(name, used)
    path = found[0].path
    for d in used:
        if d.kind is Kind.MACRO or d.kind is Kind.UNDEF or not d.names_used() & reaching:
            continue
        above, ended = in_force(found, undefs, path, d.line)  # one inside its lines: in its text, which cpp reads
        if d.path != path or (above is None and not ended and not header):
            return False
    return True


@lru_cache(maxsize=1024)
def reached_by(name: str) -> frozenset[str]:
    """``name`` and the prelude macros whose expansion reaches it (dev_err's reaches a file's dev_fmt: a use of
    dev_err is one of dev_fmt's, where gcc expands it; models.preludereach)."""
    return frozenset({name}) | prelude_users(name)


def _reaching(name: str, used: list[Definition]) -> set[str]:
    """``name`` and the macros among ``used`` that expand it, directly or through one another."""
    reaching = {name} | prelude_users(name)  # dev_err reaches a file's dev_fmt (models.preludereach)
    grown = True
    while grown:
        more = {d.name for d in used if d.kind is Kind.MACRO and d.name not in reaching and d.names_used() & reaching}
        reaching |= more
        grown = bool(more)
    return reaching


def unplaced_undef(found: list[Definition], undefs: Iterable[Definition], used: Iterable[Definition]) -> str | None:
    """Why a use of the variant's macro that ``found`` defines (latest first) is refused where an #undef of it lies
    in another file than every definition of it, or each_sees_one() cannot place it (C11 6.10.3.5: below the
    #undef the name is no macro, as gcc -E reads it), or None. A use (of the name or of a macro expanding it, in
    a function, declaration or initializer) is affected where the #undef is in a header (which its file may
    include above it), or in the use's own file above it, or the use is in a header (which a file may include
    below the #undef); one in another .c file is another translation unit's, which it does not touch. Before, the
    #undef was not read: ``#undef X`` in a header or below an #include gave X the header's value where gcc has no
    macro (or the header's #define after the #undef)."""
    if not any(d.kind is Kind.MACRO for d in found):
        return None
    name = found[0].name
    mine = [u for u in undefs if u.name == name and u.condition is None]  # undecided ones: models.ambiguity
    if not mine or name == PR_FMT_MACRO:
        return None
    used = list(used)
    if each_sees_one(found, list(undefs), used):
        return None
    reaching = _reaching(name, used)
    users = [d for d in used if d.kind not in (Kind.MACRO, Kind.UNDEF) and d.names_used() & reaching]
    for u in mine:
        header = u.path.endswith(".h")
        hit = next((d for d in users if header or d.path.endswith(".h") or (d.path == u.path and d.line > u.line
                    and not any(m.path == u.path and u.line < m.line < d.line for m in found))), None)
        if hit is not None:  # (a #define of its own file between the #undef and a use: that one is in force)
            return (f"#undef {name} at {u.where} ({'in a header, which' if header else 'above'} {hit.where}"
                    f"{' may include' if header else ' or a header it includes'}): whether {name} is a macro there, "
                    f"and which of its #defines ({', '.join(d.where for d in found)}), is not known")
    return None


# gcc's own macros pcpp expands itself (models.cpphooks): an #undef ends them as it ends a prelude macro.
GCC_OWN = frozenset({"__LINE__", "__COUNTER__"})


def prelude_ends(undefs: Iterable[Definition], macros: Container[str]) -> dict[str, list[Definition]]:
    """The #undef lines, by name, of the prelude's macros that no file of the variant defines (a kernel header's, the
    prelude's stands in for it): below one, in its file, the name is no macro (C11 6.10.3.5), as gcc -E reads it,
    and the prelude's is not added (``#undef BIT`` then ``BIT(3)`` is a call); below one under an #if not decided,
    or anywhere outside a header that has one, whether it is a macro is not known (ends()). pr_fmt's is
    harness.prfmt's. ``macros``: the names the variant defines."""
    names = prelude_bodies()
    out: dict[str, list[Definition]] = {}
    for u in undefs:
        if (u.name in names or u.name in GCC_OWN) and u.name not in macros and u.name != PR_FMT_MACRO:
            out.setdefault(u.name, []).append(u)
    return out


def ends(u: Definition, path: str, line: int) -> bool | None:
    """Whether the #undef ``u`` of a prelude macro ends it for code at ``path:line``: True below it in its file,
    False above it or in another file, None where that is not known: below it under an #if the mirror does not
    decide (models.conditional), or in another file when ``u`` is in a header, which a file may include above."""
    if u.path != path:
        return None if u.path.endswith(".h") else False
    if u.line >= line:
        return False
    return True if u.condition is None else None


def unknown_ends(undefs: Iterable[Definition], macros: Container[str]) -> dict[str, str]:
    """Why each prelude macro whose #undef may end it somewhere is not known there (ends() None), by name."""
    out: dict[str, str] = {}
    for name, found in prelude_ends(undefs, macros).items():
        u = next((u for u in found if u.condition is not None or u.path.endswith(".h")), None)
        if u is not None:
            out[name] = (f"{u.where}: #undef {name} under {u.condition}, which the mirror cannot decide: whether it "
                         "is a macro below is not known" if u.condition is not None else
                         f"{u.where}: #undef {name} in a header, which the code's file may include above it: whether "
                         "it is a macro there is not known")
    return out


def blocks_at(macros: dict[str, Definition], withheld: frozenset[str], poisoned: frozenset[str],
              table: dict[str, list[Definition]], whole: frozenset[str] = frozenset()) -> Blocks:
    """models.macroblock.macro_blocks of a program, a text's block holding the definition in force where it is of each
    macro its file defines more than once or #undefs (in_force), none where it is #undef'ed; the one block for every
    text where no file does. A kernel header's macro that a file known whole (``whole``: paths) defines only below a
    text (header_fallback()) is left out of that text's block but not withheld: the prelude's ``#ifndef`` fallback
    stands in for the header's, which gcc has in force there."""
    from models.macroblock import macro_blocks  # here: models.loader reads this module

    base = macro_blocks(macros, withheld, poisoned)
    undefs = table.get(UNDEF_NAME, [])
    several = {n: table[n] for n in macros if in_one_file(table.get(n, []), undefs)}
    late = _tested_above(macros, table)
    several.update(late)
    kernel = prelude_ends(undefs, macros)
    fallback = {n: table[n] for n in macros if header_fallback(table.get(n, []), undefs, whole)}
    if not several and not kernel and not fallback:
        return lambda text, path, line: base(text)

    def at(text: str, path: str, line: int) -> str:
        here = {n: in_force(found, undefs, path, line) for n, found in several.items() if found[0].path == path}
        said = {n: [ends(u, path, line) for u in found] for n, found in kernel.items()}
        gone = frozenset(n for n, (above, ended) in here.items() if ended or (above is None and n in late)) | \
            frozenset(n for n, told in said.items() if True in told)
        unknown = frozenset(n for n, told in said.items() if None in told) - gone  # refused where used (a why)
        moved = {n: d for n, (d, ended) in here.items() if not ended and d is not None and d != macros[n]}
        fallen = frozenset(n for n, found in fallback.items() if found[0].path == path
                           and line < min(d.line for d in found))
        if not gone and not moved and not unknown and not fallen:
            return base(text)
        kept = {n: d for n, d in {**macros, **moved}.items() if n not in gone | fallen}
        return macro_blocks(kept, withheld | gone | unknown, poisoned | unknown, gone)(text)

    return at


def header_fallback(found: list[Definition], undefs: Iterable[Definition], whole: Container[str]) -> bool:
    """Whether the definitions of a name (``found``) are a file's, known whole, unconditional macros of a kernel
    header's macro (the prelude's: its header, which the file includes above, defines it first, dev_printk.h under
    ``#ifndef dev_fmt``) that a prelude macro expands (dev_err: dev_fmt), and no #undef of it is in that file above
    the first of them (one below ends the file's own: in_force). Above the first gcc expands the header's (C11
    6.10.3p10: the file's is not read yet), which the prelude's fallback stands in for (blocks_at; models.macroorder
    does not refuse a use there, through the prelude or by its name). pr_fmt aside: models.prfmt_site places it by
    line."""
    if not found or found[0].name not in header_reached() or found[0].name == PR_FMT_MACRO \
            or found[0].path not in whole:
        return False
    name, path = found[0].name, found[0].path
    first = min(d.line for d in found)
    return all(d.kind is Kind.MACRO and d.condition is None and d.path == path for d in found) and \
        not any(u.name == name and u.path == path and u.line < first for u in undefs)


def _tested_above(macros: dict[str, Definition], table: dict[str, list[Definition]]) -> dict[str, list[Definition]]:
    """The macros one file alone defines, unconditionally, that a definition of that file above the first #define
    reads in its conditional directives alone (models.testednames: ``#ifdef X`` with X defined below), by name: their
    definitions. Where gcc reads such a test, X is not defined yet (C11 6.10.3p10), so blocks_at gives it none."""
    tested: dict[str, list[Definition]] = {}
    for defs in table.values():
        for d in defs:
            if "#" in d.text and d.kind is not Kind.MACRO:
                for n in only_tested(d) & macros.keys():
                    tested.setdefault(n, []).append(d)
    out: dict[str, list[Definition]] = {}
    for n, readers in tested.items():
        found = table.get(n, [])
        if not found or any(d.kind is not Kind.MACRO or d.condition is not None or d.path != found[0].path
                            for d in found):
            continue
        if any(r.path == found[0].path and r.line < min(d.line for d in found) for r in readers):
            out[n] = found
    return out
