"""Order inside a translation unit: a macro, function or typedef the code uses that the unit has only after the use."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache

from harness.filestate import FileState
from harness.memo import by_identity
from harness.sysheaders import INCLUDE_DIRS
from models.declconflict import name_where
from models.lazyre import POUND
from models.loader import Source, definitions, reachable, sliced
from models.macronames import declared_name, made_by_macro
from models.outcome import ErrorKind
from models.prelude import KERNEL_CONSTANTS, PRELUDE_PATH, TYPES, macro_lines
from models.preludereach import header_reached, through_prelude_names
from models.slicer import Definition, Kind
from models.testednames import built_names

SHOWN = 4  # names a refusal shows; the rest are counted


def on_include_path(path: str) -> bool:
    """A file an ``#include <...>`` can name (under one of kbuild's include folders for x86)."""
    return any(path.startswith(d + "/") for d in INCLUDE_DIRS)


UNKNOWN = "\0unknown"  # include_target: a quoted include next to its includer that the variant lacks


def include_target(f: FileState, n: int, files: dict[str, FileState]) -> str | None:
    """The variant's file that line ``n`` of ``f`` includes; None when it starts no ``#include`` or names a file
    the variant lacks that no code of the variant can be (on the include path, or an absolute name); UNKNOWN
    for a quoted name next to ``f`` that the variant lacks (a tree's header not read): it may include anything.
    The directive is read as gcc reads it (FileState.includes): ``#inc\\`` then ``lude "h.h"``, ``%:include``,
    ``# /*c*/ include`` include h.h; a line a backslash-newline joins to the one above includes nothing."""
    got = f.includes.get(n)
    if got is None or not got[0]:  # none, or a name a macro gives: nothing of the variant is known to be it
        return None
    quoted, name = got[0] == '"', got[1]
    # gcc: a quoted name next to the includer first, then the include path, as <...> does.
    near = posixpath.normpath(posixpath.join(posixpath.dirname(f.path), name)) if quoted else None
    found = [p for p in ([near] if near else []) + [f"{d}/{name}" for d in INCLUDE_DIRS] if p in files]
    if found:
        return found[0]
    if quoted and not name.startswith("/") and not on_include_path(near or ""):
        return UNKNOWN
    return None


# What gcc reads in order: each file once (the kernel's headers all have include guards), an #include read
# where it stands. Every #include line counts, whatever #if it is under (harness.visibility does the same).
Order = dict[tuple[str, int], int]


_LAST: list[tuple[tuple[FileState, ...], dict[str, FileState]]] = []


def present(files: Iterable[FileState]) -> dict[str, FileState]:
    """The files of a state that are there, by path (not to be changed). A state's tuple of files is mapped once
    for the entry points and units planning asks of it in turn, the last one's kept (one per lookup read every
    file of the state again: n*n steps for a series of n patches); the tuple is held, so its id is not reused."""
    if type(files) is not tuple:
        return {f.path: f for f in files if not f.absent}
    if _LAST and _LAST[0][0] is files:
        return _LAST[0][1]
    _LAST[:] = [(files, {f.path: f for f in files if not f.absent})]
    return _LAST[0][1]


def unit_order(files: Iterable[FileState], unit: str) -> Order | None:
    """Each line of the variant's files that ``unit`` reads, numbered in the order gcc reads it; None when a
    file of the variant on the way is known only from hunks (what lies between its shown lines is unknown).
    A header the variant lacks (one of the tree's not read, a system header) adds no lines; a unit the variant
    lacks gives None (nothing to judge). Worked out once per state's tuple of files and unit (not to be changed):
    every entry point the unit runs asks it twice (used_before_defined, static_conflict)."""
    if type(files) is tuple:
        return by_identity("tuorder.order", (files,), (unit,), lambda: _unit_order(files, unit))
    return _unit_order(files, unit)


def _unit_order(files: Iterable[FileState], unit: str) -> Order | None:
    by_path = present(files)
    if unit not in by_path:
        return None
    order: Order = {}
    done: set[str] = set()
    stack: list[tuple[str, int]] = [(unit, 1)]
    done.add(unit)
    while stack:
        path, n = stack.pop()
        f = by_path.get(path)
        if f is None:
            continue
        if not f.complete or f.length is None:
            return None
        while n <= f.length:
            order[(path, n)] = len(order)
            target = include_target(f, n, by_path)
            if target == UNKNOWN:
                return None
            n += 1
            if target is not None and target not in done:
                done.add(target)
                stack.extend([(path, n), (target, 1)])
                break
    return order


def _sites(files: Iterable[FileState], order: Order) -> tuple[dict[str, list[tuple[int, Definition]]], set[str]]:
    """Where the unit defines or declares each name (prototypes included): its position in ``order``; and the
    names a header the variant lacks may declare first, which are not judged: a function not ``static`` (its
    prototype is in some header), a macro defined under ``#ifndef`` itself (a fallback for an earlier one)."""
    out: dict[str, list[tuple[int, Definition]]] = {}
    unsure: set[str] = set()
    for f in files:
        if f.absent or not f.complete or f.length is None or (f.path, 1) not in order:
            continue
        lines = tuple(f.lines[n][0] for n in range(1, f.length + 1))
        for d in sliced(f.path, 1, lines):
            if d.kind not in (Kind.MACRO, Kind.FUNCTION, Kind.PROTOTYPE, Kind.TYPEDEF):
                continue
            out.setdefault(d.name, []).append((order[(d.path, d.line)], d))
            guarded = d.kind is Kind.MACRO and d.line > 1 and _fallback_guard(lines[d.line - 2], d.name)
            function = d.kind in (Kind.FUNCTION, Kind.PROTOTYPE)
            if guarded or (function and "static" not in d.text[:d.text.find(d.name)].split()):
                unsure.add(d.name)
    return out, unsure


def _fallback_guard(line: str, name: str) -> bool:
    """Whether ``line`` opens ``#ifndef NAME`` (or ``#if !defined(NAME)``): what follows is a fallback."""
    return re.match(rf"\s*{POUND}\s*(?:ifndef\s+{name}\b|if\s+!\s*defined\s*\(?\s*{name}\b)", line) is not None


def _late(d: Definition, used: set[str], sites: dict[str, list[tuple[int, Definition]]], order: Order,
          prelude: frozenset[str]) -> list[tuple[str, Definition]]:
    """The names ``d`` uses (``used``: its own, and those of the macros they expand to) whose every definition
    or declaration in the unit comes after the end of ``d``."""
    end = order.get((d.path, d.line + d.text.count("\n")))
    if end is None:
        return []
    out = []
    for name in sorted(used - prelude):
        found = sites.get(name)
        if found and all(pos > end for pos, _ in found):
            out.append((name, min(found, key=lambda s: s[0])[1]))
    return out


def _macro_closure(names: set[str], macros: dict[str, list[tuple[int, Definition]]], end: int) -> set[str]:
    """``names`` and every name the unit's macros among them expand to, transitively, and those of the unit's macros
    a kernel header's macro reached expands (dev_err: dev_fmt, models.preludereach) where one is defined before
    ``end`` (the code's last position in the unit): below it gcc expands the header's own (models.macroat), as it
    does where the code names such a macro itself (dev_fmt(...)) that the unit defines only after it."""
    todo, seen = list(names), set(names)
    while todo:
        name = todo.pop()
        after = name in header_reached() and all(pos >= end for pos, _ in macros.get(name, []))
        for _, m in () if after else macros.get(name, []):
            for n in m.identifiers() - seen:
                seen.add(n)
                todo.append(n)
        if not todo:
            own = {n for n, found in macros.items() if found}
            todo = sorted(n for n in through_prelude_names(seen, own) - seen if any(pos < end for pos, _ in macros[n]))
            seen.update(todo)
    return seen


_CALLED = r"\b{}\s*\("


@lru_cache(maxsize=1)
def prelude_names() -> frozenset[str]:
    """What the mirror's prelude stands in for (its types, macros and kernel primitives) and the kernel constants
    it assumes: a kernel header the variant lacks may define them first. Read without a C parser (models.builtins
    loads one): a run served from the outcome cache parses no C."""
    from models.atomic import LATE_TYPES
    from models.primnames import PRIMITIVE_NAMES

    typed = definitions((Source(PRELUDE_PATH, ((1, tuple((TYPES + LATE_TYPES).split("\n"))),), True),))
    return (frozenset(typed) | frozenset(n for n, _, _ in macro_lines()) | PRIMITIVE_NAMES
            | KERNEL_CONSTANTS)


def used_before_defined(files: tuple[FileState, ...], sources: tuple[Source, ...], entry: str,
                        unit: str) -> str | None:
    """Why ``entry`` does not build in ``unit``: code it reaches uses a macro (directly or through other
    macros) or a typedef, or calls a function, that the unit defines, and declares, only further on (gcc:
    undeclared identifier, unknown type name, implicit declaration of function, an error in a kernel build);
    else None. Judged only where
    every file of the variant the unit reads is known whole, for names the mirror's prelude does not also
    supply (a kernel header the variant lacks may define those first)."""
    order = unit_order(files, unit)
    if order is None:
        return None
    sites, unsure = _sites(files, order)
    macros = {n: [s for s in ss if s[1].kind is Kind.MACRO] for n, ss in sites.items()}
    prelude = prelude_names()
    table = definitions(sources)
    late: list[tuple[str, Definition, Definition]] = []
    for name in sorted(reachable(sources, entry)):
        for d in table.get(name, []):
            if d.kind is not Kind.FUNCTION or (d.path, d.line) not in order:
                continue
            end = order.get((d.path, d.line + d.text.count("\n")), -1)
            used = _macro_closure(built_names(d), macros, end)
            text = "\n".join([d.text, *(m.text for n in used for _, m in macros.get(n, []))])
            called = {n for n in used if any(s[1].kind is not Kind.MACRO for s in sites.get(n, []))
                      and re.search(_CALLED.format(re.escape(n)), text)}
            typedefs = {n for n in used if any(s[1].kind is Kind.TYPEDEF for s in sites.get(n, []))}
            named = {n for n in used if macros.get(n)} | called | typedefs
            late.extend((n, where, d) for n, where in _late(d, named - unsure, sites, order, prelude))
    if not late:
        return None
    names = sorted({n for n, _, _ in late})
    first = {n: (w, d) for n, w, d in reversed(late)}
    shown = ", ".join(f"{n} ({first[n][0].where})" for n in names[:SHOWN])
    shown += f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    users = ", ".join(sorted({f"{first[n][1].name}() at {first[n][1].where}" for n in names[:SHOWN]}))
    return (f"{unit} does not build {entry}(): {shown} {'is' if len(names) == 1 else 'are'} defined in "
            f"{unit} only after the code that uses {'it' if len(names) == 1 else 'them'} ({users}), in the order "
            f"{unit} reads its headers")


def removed_called(sources: tuple[Source, ...], entry: str, removed: frozenset[str]) -> tuple[ErrorKind, str] | None:
    """Why ``entry`` does not build, or may not: code it reaches calls a function or macro a patch of the series
    removed (``removed``: deleted or renamed, the callers left as they were) that nothing of the state defines.
    With no declaration of it either, gcc stops (implicit declaration of function, an error in a kernel build):
    ErrorKind.BUILD. With a prototype left, gcc compiles the call and the link decides, on object files the state
    does not show (a __weak default, another file's definition): ErrorKind.UNSUPPORTED, not known. Else None. A
    name the mirror's prelude supplies (a kernel header may define it) is not judged."""
    if not removed:
        return None
    table = definitions(sources)
    gone = {n for n in removed - prelude_names()
            if not any(d.kind in (Kind.FUNCTION, Kind.MACRO) for d in table.get(n, []))}
    for name in sorted(reachable(sources, entry)) if gone else ():
        for d in table.get(name, []):
            if d.kind not in (Kind.FUNCTION, Kind.MACRO):
                continue
            for n in sorted(d.identifiers() & gone):
                m = re.search(_CALLED.format(re.escape(n)), d.text)
                if m is not None:
                    return _removed_call(name, n, f"{d.path}:{d.line + d.text.count(chr(10), 0, m.start())}", sources)
    return None


def _removed_call(name: str, n: str, at: str, sources: tuple[Source, ...]) -> tuple[ErrorKind, str]:
    """What a call at ``at`` from ``name`` to the removed ``n`` does to the build (removed_called)."""
    read = (src for src in sources if src.only is None and not src.unincluded)  # as models.loader.definitions
    declared = next((d.where for src in read for start, lines in src.pieces for d in sliced(src.path, start, lines)
                     if d.kind is Kind.PROTOTYPE and d.name == n), None)
    if declared is not None:
        return ErrorKind.UNSUPPORTED, (
            f"not known to build: {name}() calls {n}() at {at}, which a patch of the series removed; nothing of the "
            f"state defines it, but {declared} declares it: gcc compiles the call, and whether another object file "
            "defines it (a __weak default or any other) decides the link")
    return ErrorKind.BUILD, (
        f"build error: {name}() calls {n}() at {at}, which a patch of the series removed and nothing of the state "
        f"defines or declares: gcc: implicit declaration of function '{n}' (an error in a kernel build)")


def static_conflict(files: tuple[FileState, ...], unit: str, tree: tuple[FileState, ...] = ()) -> str | None:
    """``FILE:LINE: why`` (gcc's place and words) of why nothing of ``unit`` builds: it declares a function without
    ``static`` (external linkage) and later declares or defines it ``static`` (gcc: static declaration follows
    non-static declaration, an error), or it defines a function twice (a helper copied into a new header the unit
    includes while the old header keeps it: gcc: redefinition, an error even for two equal ``static inline``
    bodies); else None. A function whose name a macro spells (``int syscall_enter(openat)(void *args)``) is the one
    the expansion declares (models.macronames), not judged where that is not known. Judged where every file
    of the variant the unit reads is known whole, in the order gcc reads them. ``tree``: the tree's ``<...>``
    headers read whole (harness.sysheaders, Lookup.read), read where the unit's ``#include`` lines name them as
    gcc reads them (a header of the state's own, changed or taken away, is the state's)."""
    if tree:
        files = by_identity("tuorder.tree", (files, tree), (), lambda: _with_tree(files, tree))
    order = unit_order(files, unit)
    if order is None:
        return None
    functions = _functions(_sites(files, order)[0])
    for name in sorted(functions):
        funcs = sorted(functions[name], key=lambda s: s[0])
        # Only definitions every configuration builds (an undecided #if leaves one out) and none extern inline.
        bodies = [d for _, d in funcs if d.kind is Kind.FUNCTION and d.condition is None and not d.generated_by
                  and "extern" not in d.text[:d.text.find(d.name)].split()]
        # a copy under the same guard is skipped
        second = next((d for d in bodies[1:] if d.where != bodies[0].where and (
            d.path == bodies[0].path or include_guard(files, d.path) is None
            or include_guard(files, d.path) != include_guard(files, bodies[0].path))), None)
        if second is not None:
            by = f" (by {second.name}())" if second.name != name else ""
            return (f"{name_where(second)}: redefinition of '{name}'{by} (defined before at "
                    f"{name_where(bodies[0])})")
        if not funcs or is_static(funcs[0][1]):
            continue
        late = next((d for _, d in funcs[1:] if is_static(d)), None)
        if late is not None:
            return (f"{name_where(late)}: static declaration of '{name}' follows non-static declaration (declared "
                    f"before at {name_where(funcs[0][1])})")
    return None


def _functions(sites: dict[str, list[tuple[int, Definition]]]) -> dict[str, list[tuple[int, Definition]]]:
    """The unit's function definitions and prototypes by the name each declares (models.macronames.declared_name,
    with the unit's macros before it where a macro may spell it), those whose name is not known left out."""
    macros = sorted((s for ss in sites.values() for s in ss if s[1].kind is Kind.MACRO), key=lambda s: s[0])
    names = {d.name for _, d in macros}
    out: dict[str, list[tuple[int, Definition]]] = {}
    for found in sites.values():
        for pos, d in found:
            if d.kind not in (Kind.FUNCTION, Kind.PROTOTYPE):
                continue
            name = declared_name(d, {m.name: m for p, m in macros if p < pos}) if made_by_macro(d, names) \
                else d.name
            if name is not None:
                out.setdefault(name, []).append((pos, d))
    return out


def _with_tree(files: tuple[FileState, ...], tree: tuple[FileState, ...]) -> tuple[FileState, ...]:
    """The state's files and the tree's headers of paths the state does not hold (known absent included)."""
    own = {f.path for f in files}
    return files + tuple(h for h in tree if h.path not in own and h.complete and not h.absent)


def include_guard(files: tuple[FileState, ...], path: str) -> str | None:
    """The include guard of a header known whole: its first two directives ``#ifndef X`` and ``#define X``. A
    header copied with its guard kept is skipped by gcc where the first one was read (nothing of it is seen)."""
    f = present(files).get(path)
    if f is None or not f.complete or f.length is None:
        return None
    heads = [ln.strip() for ln in (f.lines[n][0] for n in range(1, f.length + 1))
             if ln.lstrip().startswith(("#", "%:"))][:2]
    m = re.match(rf"{POUND}\s*ifndef\s+(\w+)\s*$", heads[0]) if len(heads) == 2 else None
    return m.group(1) if m and re.match(rf"{POUND}\s*define\s+{m.group(1)}\b", heads[1]) else None


def is_static(d: Definition) -> bool:
    """Whether a function's definition or prototype says ``static`` before its name."""
    return "static" in d.text[:d.text.find(d.name)].split()
