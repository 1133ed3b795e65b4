"""Macros a .c unit defines that a header's code sees: the header first read, in the unit's order, below the definition.

cpp reads a translation unit top to bottom, entering each #include where it stands, and a header's include guard makes
every later #include of it empty (C11 6.10.2): its code is expanded once, where the unit first reads it, and a macro
the .c file defines above that point is in force there (C11 6.10.3.5). The mirror reads the variant's files as one
(models.ambiguity): it gives a header's code the .c file's macro only where that holds in the one unit that reads the
header, and harness.rununits refuses a run in another unit.
"""

from __future__ import annotations

import re

from harness.filestate import FileState
from harness.memo import Table, by_identity
from harness.tuorder import Order, include_target, on_include_path, present, unit_order
from harness.typednames import unconditional
from harness.variants import Variant
from models.ambiguity import DEFAULT_FIRST, default_unless_defined
from models.loader import sliced
from models.slicer import Kind

# (macro, header, why): why the header's code may not see the macro, "" when it does (models.loader.Source)
Seen = tuple[tuple[str, str, str], ...]

_WORD = re.compile(r"[A-Za-z_]\w*")
_WORDS: Table = {}  # per file state: the words of its text
_KEPT: Table = {}  # per file state: its lines outside conditional groups (typednames.unconditional)


def unit_macros(v: Variant) -> dict[str, Seen]:
    """.c path -> (macro, header, why) for each macro that .c file defines once, unconditionally, and that a header
    of the variant names: why "" where the header's code sees it, as gcc's cpp reads the unit
    (harness.tuorder.unit_order: every file on the way known whole, each #include read where it stands, whatever
    #if it is under): the unit reads the header first below the definition, and no other .c file of the variant
    reads it (each known whole) but with that definition of its own, in force there too, so the header's code is
    compiled alike in each unit reading it."""
    units = [f for f in v.c_files if f.path.endswith(".c") and f.usable and not f.absent]
    headers = [f for f in v.c_files if not f.path.endswith(".c") and f.usable and not f.absent]
    out: dict[str, Seen] = {}
    for c in units:
        named = [(name, line, h.path, why) for name, line, why in _defined(c) for h in headers if name in _words(h)]
        if named:
            out[c.path] = tuple((name, h, why or _unseen(v, c, (name, line), h, units)) for name, line, h, why in named)
    return out


def _defined(c: FileState) -> list[tuple[str, int, str]]:
    """(name, line, why not judged: "" for one defined once, under no condition, never #undef'd) of the macros a .c
    file known whole defines."""
    if not c.complete or c.length is None:
        return []
    items = sliced(c.path, 1, tuple(c.lines[n][0] for n in range(1, c.length + 1)))
    counts: dict[str, int] = {}
    for d in items:
        if d.kind in (Kind.MACRO, Kind.UNDEF):
            counts[d.name] = counts.get(d.name, 0) + (1 if d.kind is Kind.MACRO and d.condition is None else 2)
    return [(d.name, d.line, "" if counts[d.name] == 1 else f"{c.path} defines it under an #if, more than once or "
             "#undefs it, which is not followed here") for d in items if d.kind is Kind.MACRO]


def _words(f: FileState) -> frozenset[str]:
    return by_identity("unitmacros.words", (f,), (), lambda: frozenset(
        w for fr in f.fragments() for ln in fr.lines for w in _WORD.findall(ln)), _WORDS)


def _kept(f: FileState) -> list[str]:
    """A file's lines (known whole) with each conditional group blanked, an include guard's kept."""
    return by_identity("unitmacros.kept", (f,), (), lambda: unconditional("\n".join(
        f.lines[n][0] for n in range(1, (f.length or 0) + 1))).split("\n"), _KEPT)


def _unseen(v: Variant, c: FileState, defined: tuple[str, int], header: str, units: list[FileState]) -> str:
    """Why ``header``'s code may not see the macro ``c`` defines (``defined``: its name and line; "": it does)."""
    (name, line), order = defined, unit_order(v.files, c.path)
    if order is None:
        return f"{c.path} reads a file known only in part (or a header the variant lacks beside it): its order is " \
               "not known"
    first = order.get((header, 1))
    if first is None:
        return f"{c.path} does not read {header}"
    at = order[(c.path, line)]
    if first < at:
        return DEFAULT_FIRST if _default_first(v, c, name, header, order) else \
            f"{c.path} reads {header} above the definition"
    files = present(v.files)
    lacking = next((f"{p}:{k}" for (p, k), pos in order.items() if pos < at and on_include_path(header)
                    and k in files[p].includes and include_target(files[p], k, files) is None),
                   None)
    if lacking is not None:  # a kernel header the variant lacks may include it first (unit_order does not follow it)
        return f"{lacking} includes a header the variant lacks above the definition, which may include {header}"
    conditional = _under_if(order, files, header, c.path)
    if conditional:
        return conditional
    for other in units:
        if other is c:
            continue
        seen = unit_order(v.files, other.path)
        if seen is None:
            return f"{other.path} reads a file known only in part: whether it reads {header} too is not known"
        if (header, 1) in seen and not _alike_there(v, (c, other), (name, line), header):
            return f"{other.path} reads {header} too"
    return ""


def _alike_there(v: Variant, units: tuple[FileState, FileState], defined: tuple[str, int], header: str) -> bool:
    """Whether another unit reading ``header``, ``units[1]``, gives its code the definition ``units[0]`` gives it
    (``defined``: the macro's name and line there): its own, once, unconditionally, of the same text, in force where
    it first reads the header (_unseen, its other units aside): each unit's copy of the header's code is then the
    same (a macro that text names, defined otherwise in each, is refused by models.ambiguity)."""
    (c, other), (name, line) = units, defined
    theirs = [(n, k) for n, k, why in _defined(other) if n == name and not why]
    return len(theirs) == 1 and _text(other, theirs[0][1]) == _text(c, line) and \
        _unseen(v, other, theirs[0], header, []) == ""


def _text(f: FileState, line: int) -> str | None:
    """The text of the #define at ``line`` of a file known whole."""
    return next((d.text for d in sliced(f.path, 1, tuple(_lines(f))) if d.kind is Kind.MACRO and d.line == line), None)


def _under_if(order: Order, files: dict[str, FileState], header: str, unit: str) -> str:
    """Why ``unit``'s first read of ``header`` is not certain: an #include on the way to it under an #if ("": none)."""
    back, target = {pos: place for place, pos in order.items()}, header
    while target != unit:  # the #include lines that lead there, each read just before the file it names
        path, k = back[order[(target, 1)] - 1]
        if not _kept(files[path])[k - 1].strip():
            return f"{path}:{k} includes {target} under an #if: whether {unit} reads it is not known"
        target = path
    return ""


def _default_first(v: Variant, c: FileState, name: str, header: str, order: Order) -> bool:
    """Whether ``header``, which ``c`` reads above its #define of ``name``, has its own ``#ifndef name`` default that
    its code sees there (gcc's cpp takes the group: nothing defined it yet in the unit, C11 6.10.1), and ``c``'s
    definition reaches no code: ``c`` names ``name`` on that line alone, no other header of the variant names it,
    and the #includes that bring ``header`` in first are outside any #if. The mirror then gives the header's code its
    default (models.loader drops ``c``'s #define); a unit that reads it with no definition of its own sees the same."""
    files = present(v.files)
    h = files[header]
    if not h.complete or h.length is None or sum(_WORD.findall(ln).count(name) for ln in _lines(c)) != 1:
        return False
    if any(name in _words(f) for f in v.c_files if f.path != header and f.path != c.path
           and not f.path.endswith(".c") and f.usable and not f.absent):
        return False
    ds = [d for d in sliced(header, 1, tuple(_lines(h))) if d.name == name]
    return len(ds) == 1 and ds[0].kind is Kind.MACRO and ds[0].condition is not None \
        and default_unless_defined(ds[0].condition, name) and not _under_if(order, files, header, c.path)


def _lines(f: FileState) -> list[str]:
    return [f.lines[n][0] for n in range(1, (f.length or 0) + 1)]
