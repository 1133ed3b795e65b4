"""Stores and addresses a definition makes through the macros of its files: its text read as gcc's cpp expands it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

from harness.cppscan import Expander, ExpansionLimit, MacroTable, logical_lines, parse_define, spell, tokens
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, has_name

# Where in an expanded text a variable is stored to (< 0) or its address taken (>= 0), None for neither:
# harness.outsidewrites' reading of a function's text, handed in.
Reader = Callable[[str, str], "int | None"]


def file_macros(table: Mapping[str, Iterable[Definition]], names: Iterable[str]) -> tuple[MacroTable, frozenset[str]]:
    """The #defines of the files (``table``: models.loader.definitions) as harness.cppscan's table, each alternative
    an #if keeps, and the names of those through which a text may reach one of the variables ``names`` without
    naming it: a body naming one or pasting tokens (``##``: ``sc_##x##_code``, ``void sc_set_##x(void) {...}``),
    or invoking such a macro. The table is read once per content of the files' #defines (most variants of a
    series share them; the table is only read, never changed, by its users); the names are worked out per call."""
    macros, words = _read_defines(tuple((d.text, d.where) for ds in table.values() for d in ds
                                        if d.kind is Kind.MACRO))
    wanted = set(names)
    reaching = {n for n, w in words.items() if "##" in w or w & wanted}
    grown = True
    while grown:  # what invokes such a macro reaches the variable too
        more = {n for n, w in words.items() if n not in reaching and w & reaching}
        reaching |= more
        grown = bool(more)
    return macros, frozenset(reaching)


@functools.lru_cache(maxsize=16)
def _read_defines(defines: tuple[tuple[str, str], ...]) -> tuple[MacroTable, dict[str, frozenset[str]]]:
    """The table of the #defines ``defines`` ((text, file:line) of each macro definition, in the files' order)
    and, per name, the identifiers and punctuators of its bodies (C11 6.10.3), the same table for the same texts."""
    macros = MacroTable()
    for text, where in defines:
        for line in logical_lines(tokens(text)):
            if len(line) > 2 and line[0].text == "#" and line[1].text == "define":
                m = parse_define(line[2:], kernel=False, where=where)
                if m is not None:
                    macros.define(m, conditional=True)
    return macros, {n: frozenset(t.text for m in alts for t in m.body if t.kind in ("id", "punct"))
                    for n, alts in macros.defs.items()}


def macro_stores(d: Definition, text: str, variables: list[str], macros: tuple[MacroTable, frozenset[str]],
                 read: Reader) -> dict[str, str]:
    """Each of ``variables`` that ``d`` (a function no run executes, or a variable's definition; ``text`` its text,
    strings blanked) stores to or takes the address of only once the macros of its files are expanded
    (file_macros: C11 6.10.3, the rescan and ``##`` included), with how: 'stores to it through SC_BUSY_IS,
    expanded'. Every alternative a macro has under #if is expanded in turn (first and last), as another
    configuration may build either. Empty when the text invokes none of the macros that may reach them."""
    table, reaching = macros
    if not variables or not any(n in text for n in reaching):  # most definitions: read as they are
        return {}
    used = sorted({t.text for t in tokens(text) if t.kind == "id" and t.text in reaching})
    if not used:
        return {}
    texts = _expansions(text, used, table)
    how = f"through {', '.join(used)}, expanded"
    found: dict[str, str] = {}
    for v in variables:
        for expanded in texts:
            pos = read(expanded, v) if has_name(expanded, v, BOUNDARY, BOUNDARY) else None
            if pos is not None:
                found[v] = (f"stores to it {how}" if pos < 0 else f"takes its address {how}") \
                    if d.kind is Kind.FUNCTION else f"holds its address, taken {how}"
                break
    return found


def macro_store_lines(text: str, names: Iterable[str], macros: tuple[MacroTable, frozenset[str]],
                      stores: Callable[[str, str], bool]) -> list[tuple[str, int]]:
    """(name, line of ``text`` from 0) of each store to one of ``names`` that a statement of ``text`` (a function's,
    strings blanked) makes through a macro of its files (file_macros), said at the invocation's first line: the
    statement from there until its parentheses close, expanded, read by ``stores`` (a store to the name in C)."""
    table, reaching = macros
    lines = text.split("\n")
    found: list[tuple[str, int]] = []
    for i, line in enumerate(lines):
        used = sorted({t.text for t in tokens(line) if t.kind == "id" and t.text in reaching}) \
            if any(n in line for n in reaching) else []
        if not used:
            continue
        end = i
        while end + 1 < len(lines) and "\n".join(lines[i:end + 1]).count("(") > "\n".join(lines[i:end + 1]).count(")"):
            end += 1
        texts = _expansions("\n".join(lines[i:end + 1]), used, table)
        found += [(v, i) for v in names if any(stores(t, v) for t in texts)]
    return found


def _expansions(text: str, used: list[str], table: MacroTable) -> list[str]:
    """``text`` expanded with the first and with the last alternative of each macro (another configuration may build
    either); past harness.cppscan's limit, the bodies of the macros ``used`` as they are written."""
    texts = []
    for pick in ((lambda alts: alts[0]), (lambda alts: alts[-1])):
        try:
            texts.append(spell(Expander(table, pick).expand(tokens(text))))
        except ExpansionLimit:
            texts.append(" ".join(spell(m.body) for n in used for m in table.defs[n]))
    return texts

