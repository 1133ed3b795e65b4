"""A macro, static function or enumerator used above its file's only definition of it.

gcc, reading the file top to bottom, has not seen it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from models.loader import Source, sliced
from models.macroat import header_fallback
from models.prelude import macro_lines
from models.preludereach import header_reached, through_prelude_names
from models.slicer import UNDEF_NAME, Definition, Kind, strings_blanked
from models.testednames import only_tested
from models.wordfind import CALL_AFTER, NO_IDENT_AFTER, NOT_AFTER_IDENT, name_spans

# Definitions whose uses are judged: a file-scope assertion is read apart (models.cload's ASSERT chunks), and a
# macro expands where its user is, not where it is defined.
_JUDGED = (Kind.FUNCTION, Kind.VARIABLE, Kind.STRUCT, Kind.ENUM, Kind.TYPEDEF)


def used_above_declaration(used: Iterable[Definition], table: dict[str, list[Definition]], sources: Iterable[Source]
                           ) -> dict[str, str]:
    """Why each definition of ``used`` is not run, by name: defined_after_use(), then declared_after_use()."""
    used, sources = list(used), list(sources)
    whole = frozenset(s.path for s in sources if s.complete and s.only is None)
    return {**declared_after_use(used, table, sources), **defined_after_use(used, table, whole)}


def defined_after_use(used: Iterable[Definition], table: dict[str, list[Definition]], whole: frozenset[str]
                      ) -> dict[str, str]:
    """Why each definition of ``used`` in a file known whole (``whole``: paths) is not run: a macro it reaches
    (itself, or through the macros it expands) is defined in its file only, unconditionally, and only below its
    last line. gcc has not read that #define there (C11 6.10.3p10: a macro is defined from its #define on): it
    reads an undeclared identifier, or a call of an undeclared function (-Werror=implicit-function-declaration in
    kbuild), and the build fails, or an #ifdef of it in the body is false; the mirror, reading the file's macros as
    one table, would expand it."""
    used = list(used)
    macros = {d.name: d for d in used if d.kind is Kind.MACRO}
    out: dict[str, str] = {}
    for d in used:
        if d.kind not in _JUDGED or d.path not in whole or d.name in out:
            continue
        end = d.line + d.text.count("\n")
        pairs = _in_force(d, macros, table, whole)
        tested = only_tested(d)  # an #ifdef/#if of a name defined only below: gcc takes it as undefined, and so
        for via, name in pairs:  # does the mirror there (models.macroat.blocks_at)
            if via in tested and only_below(table.get(via, []), d.path, end) \
                    and all(x.kind is Kind.MACRO for x in table[via]):
                continue
            found = table.get(name, [])
            if any(x.kind is not Kind.MACRO for x in found):
                continue  # a function or object of that name too: gcc reads the name as it, declared
            if only_below(found, d.path, end):
                out[d.name] = f"{d.path}:{d.line + _line_of(d.text, via)}: {_why(name, found)}"
                break
    return out


def _in_force(d: Definition, macros: dict[str, Definition], table: dict[str, list[Definition]],
              whole: frozenset[str]) -> list[tuple[str, str]]:
    """_reached() of ``d``, less the kernel header's macros it reaches (dev_fmt: through dev_err, or by its name, in
    ``d`` or through the file's macros) that its file defines only below ``d``, and what they name: gcc expands the
    header's there (macroat.header_fallback; the prelude stands for the kernel headers a file includes above its
    code), as the mirror's prelude fallback stands in for it (blocks_at)."""
    pairs = _reached(d, macros)
    if not any(name in header_reached() for _, name in pairs):
        return pairs
    end = d.line + d.text.count("\n")
    undefs = table.get(UNDEF_NAME, [])
    fallen = frozenset(n for _, n in pairs if only_below(table.get(n, []), d.path, end)
                       and header_fallback(table.get(n, []), undefs, whole))
    return _reached(d, macros, skip=fallen) if fallen else pairs


def only_below(found: list[Definition], path: str, end: int) -> bool:
    """Whether the definitions of a name (``found``) are all ``path``'s, unconditional, and below its line ``end``."""
    return bool(found) and all(x.path == path and x.condition is None and x.line > end for x in found)


def _why(name: str, found: list[Definition]) -> str:
    first = min(found, key=lambda x: x.line)
    said = f"macro {name} is used here but defined only below, at {first.where}: gcc has not read that #define here"
    if name in _prelude_names():  # a kernel header's, which the file includes above
        return f"{said}: it expands the kernel header's {name} there, which the mirror does not read"
    return (f"{said}: it does not expand it (an undeclared name: the build fails) nor take it as defined (an "
            "#ifdef in the body), and the mirror reads the file's macros as one")


@lru_cache(maxsize=1)
def _prelude_names() -> frozenset[str]:
    return frozenset(name for name, _, _ in macro_lines())


def _reached(d: Definition, macros: dict[str, Definition], through: bool = True, skip: frozenset[str] = frozenset()
             ) -> list[tuple[str, str]]:
    """(the name ``d`` uses, a macro that name leads to) for each macro of ``macros`` its expansion reaches,
    breadth first: the name itself, then what its body names; ``through``: and the variant's macros a kernel header's
    macro named there expands (dev_err: dev_fmt, models.preludereach); none of ``skip``."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def grown(names: frozenset[str]) -> list[str]:
        found = (names & macros.keys()) | (through_prelude_names(names, macros.keys()) if through else set())
        return sorted(found - skip)

    for via in grown(d.names_used()):
        todo = [via]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            out.append((via, name))
            todo.extend(grown(macros[name].names_used()))
    return out


def _line_of(text: str, name: str) -> int:
    """How many lines below the definition's first the name is first used (0 when only a string names it)."""
    blanked = strings_blanked(text)  # one-line strings made "": the lines stay where they are
    found = next(name_spans(blanked, name, NOT_AFTER_IDENT, NO_IDENT_AFTER), None)
    return blanked.count("\n", 0, found[0]) if found else 0


def declared_after_use(used: Iterable[Definition], table: dict[str, list[Definition]], sources: Iterable[Source]
                       ) -> dict[str, str]:
    """Why each definition of ``used`` in a file known whole is not run: it calls a static function, or names an
    enumerator, that its file alone declares, unconditionally, and only below it (no prototype above). gcc has not
    read the declaration there: the call declares the function implicitly, which its static definition then
    contradicts (an error, as is -Werror=implicit-function-declaration in kbuild), and the enumerator is an
    undeclared name; the file does not build. A name after ``.`` or ``->`` is a member, not these."""
    used = list(used)
    whole = {s.path: s for s in sources if s.complete and s.only is None}
    macros = {d.name: d for d in used if d.kind is Kind.MACRO}
    firsts: dict[str, dict[str, int]] = {}
    out: dict[str, str] = {}
    for d in used:
        if d.kind not in (Kind.FUNCTION, Kind.VARIABLE) or d.path not in whole:
            continue  # a struct's or enum's names are mostly its members' own
        end = d.line + d.text.count("\n")
        pairs = _in_force(d, macros, table, frozenset(whole))
        names = set(d.names_used()).union(*(macros[m].names_used() for _, m in pairs))
        for name in sorted(names - {d.name}):
            found = table.get(name, [])
            if not found or not all(x.path == d.path and x.condition is None and x.line > end for x in found):
                continue
            if not all(_static_function(x) or _enumerator(x) for x in found) or _kernel_macro_at(name, d, table):
                continue
            first = _firsts(whole[d.path], firsts).get(name, 0)
            use = _use_line(d, name, macros, _static_function(found[0]), pairs)
            if first > end and use is not None:
                out[d.name] = (f"{d.path}:{d.line + use}: {name} is used here but declared only below, at "
                               f"{d.path}:{first}: gcc has not read it here ({_what(found[0])}), so the file does "
                               "not build")
                break
    return out


def _kernel_macro_at(name: str, d: Definition, table: dict[str, list[Definition]]) -> bool:
    """Whether ``name`` is a kernel header's macro (the prelude's) at ``d``'s line, where no #undef of it is above in
    the file: gcc expands it there, whatever the file declares of the name below (models.macroat.prelude_ends)."""
    return name in _prelude_names() and not any(
        u.name == name and u.path == d.path and u.line < d.line for u in table.get(UNDEF_NAME, []))


def _static_function(d: Definition) -> bool:
    return d.kind is Kind.FUNCTION and re.search(r"\bstatic\b", d.text.split("(", 1)[0]) is not None


def _enumerator(d: Definition) -> bool:
    return d.kind is Kind.ENUM and not d.name.startswith("enum ")


def _what(d: Definition) -> str:
    if d.kind is Kind.FUNCTION:
        return "a call of an undeclared function declares it implicitly, and its static definition contradicts that"
    return "an undeclared name"


def _firsts(src: Source, memo: dict[str, dict[str, int]]) -> dict[str, int]:
    """The first line of the file declaring each name (a prototype, a definition, an enumerator)."""
    if src.path not in memo:
        first: dict[str, int] = {}
        for start, lines in src.pieces:
            for x in sliced(src.path, start, lines):
                first[x.name] = min(first.get(x.name, x.line), x.line)
        memo[src.path] = first
    return memo[src.path]


def _use_line(d: Definition, name: str, macros: dict[str, Definition], call: bool, pairs: list[tuple[str, str]]
              ) -> int | None:
    """How many lines below ``d``'s first its use of ``name`` is (a call for a function: ``name(``, not a member's;
    through a macro it expands, of ``pairs`` (_in_force()): that macro's use), or None when it has none."""
    after = CALL_AFTER if call else NO_IDENT_AFTER
    for text, via in [(d.text, ""), *((macros[m].text, v) for v, m in pairs)]:
        code = strings_blanked(text)  # one-line strings made "": the lines stay where they are
        found = next((at for at, _ in name_spans(code, name, NOT_AFTER_IDENT, after)
                      if not code[:at].rstrip().endswith((".", "->"))), None)
        if found is not None:
            return _line_of(d.text, via) if via else code.count("\n", 0, found)
    return None
