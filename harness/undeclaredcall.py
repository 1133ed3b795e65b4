"""A call to a function only another .c file defines that its translation unit does not declare: gcc's build error.

Read as gcc reads the unit (harness.tuorder.unit_order where it is known): an implicit declaration of function, a
name used as a value undeclared, a static function of another unit; not known to build where a file the unit reads
is not known.
"""

from __future__ import annotations

import re

from harness.filestate import FileState
from harness.memo import by_identity
from harness.tuorder import UNKNOWN, include_target, is_static, prelude_names, present, unit_order
from models.loader import Source, definitions, reachable, sliced
from models.outcome import ErrorKind
from models.slicer import Definition, Kind
from models.wordfind import CALL_AFTER, NOT_AFTER_WORD, name_spans


def undeclared_call(files: tuple[FileState, ...], sources: tuple[Source, ...], entry: str,
                    unit: str, headers: tuple[FileState, ...] = ()) -> tuple[ErrorKind, str] | None:
    """Why ``entry`` run in ``unit`` does not build, or may not: code it reaches calls a function that only other
    .c files of the state define (the mirror runs that definition) while nothing the caller's translation unit
    reads declares it before the call (gcc: implicit declaration of function, an error in a kernel build), or
    that is ``static`` there (no other unit links it). ErrorKind.BUILD where every file that unit reads is known
    whole and every ``#include`` of them names a file of the state; ErrorKind.UNSUPPORTED (not known to build)
    where one is not known (mail alone, a header the state does not hold may declare it). A declaration in a known
    line of a file the unit includes counts wherever it stands (more visible, never less, as harness.visibility).
    Names the mirror's prelude declares are declared by definition. ``headers``: the tree's headers read whole
    (harness.sysheaders Lookup.read), which the unit reads where its #include lines name them, a file of the
    state's own winning: a prototype in a <...> header no patch touches declares the call. Else None."""
    table = definitions(sources)
    prelude = prelude_names()
    by_path = present(files)
    read = files if not headers else by_identity(
        "tuorder.with_read", (files, headers), (), lambda: files + tuple(h for h in headers if h.path not in by_path))
    read_paths = by_path if read is files else present(read)
    units: dict[str, _Unit] = {}
    for name in sorted(reachable(sources, entry)):
        for d in table.get(name, []):
            if d.kind is not Kind.FUNCTION or d.path not in by_path:
                continue  # a tree's <...> header gives only what nothing of the state defines
            # A header's code where the unit is not shown: what the header itself reads, the rest not known.
            home = d.path if d.path.endswith(".c") or unit not in by_path else unit
            u = units[home] if home in units else units.setdefault(home, _unit(read, read_paths, home))
            if d.path not in u.paths:
                continue  # code of a header this unit does not read: harness.visibility says so
            found = _foreign_call(d, table, u, prelude)
            if found is not None:
                unread = u.unread or (f"{unit} is not known" if home != unit and not home.endswith(".c") else "")
                return _undeclared(d, *found, home, unread)
    return None


def _unit(files: tuple[FileState, ...], by_path: dict[str, FileState], unit: str) -> _Unit:
    """_Unit(files, by_path, unit), made once per state's files and unit: planning asks it for every entry point
    the unit runs (179 times for 26 variants of the corpus), and it reads and slices every file the unit reads."""
    return by_identity("tuorder.unit", (files,), (unit,), lambda: _Unit(files, by_path, unit))


class _Unit:
    """What a translation unit reads, as far as the state shows it: its files (each #include followed through the
    state's files), where each of their known declarations stands, and the first thing not known ("" for none)."""

    def __init__(self, files: tuple[FileState, ...], by_path: dict[str, FileState], unit: str) -> None:
        self.unit = unit
        self.order = unit_order(files, unit)
        self.unread = ""
        self.includes: dict[str, list[tuple[int, str]]] = {}  # file -> (line, file it includes)
        todo, self.paths = [unit], {unit}
        while todo:
            f = by_path[todo.pop()]
            if not f.complete:
                self.unread = self.unread or f"{f.path} is known only from hunks"
            for n, (bracket, name) in sorted(f.includes.items()):
                target = include_target(f, n, by_path)
                if target is None or target == UNKNOWN:
                    written = {'"': f'"{name}"', "<": f"<{name}>"}.get(bracket, name)
                    self.unread = self.unread or f"{f.path}:{n} includes {written}, which the state does not hold"
                    continue
                self.includes.setdefault(f.path, []).append((n, target))
                if target not in self.paths:
                    self.paths.add(target)
                    todo.append(target)
        self.sites: dict[str, list[Definition]] = {}
        for path in sorted(self.paths):
            for fr in by_path[path].fragments():
                for d in sliced(path, fr.start, fr.lines):
                    self.sites.setdefault(d.name, []).append(d)

    def declared(self, n: str, path: str, line: int) -> bool:
        """Whether a prototype or macro of ``n`` the unit reads comes before ``path``:``line`` (in gcc's order where
        it is known; else one in the unit's own file before the line, or in a file it includes, at any line for a
        call in a header, before the line for a call in the unit's own file)."""
        decls = [d for d in self.sites.get(n, []) if d.kind in (Kind.PROTOTYPE, Kind.MACRO)]
        if self.order is not None:
            at = self.order.get((path, line), -1)
            return any(self.order.get((d.path, d.line), at) < at for d in decls)
        before = self._before(line) if path == self.unit else self.paths
        return any(d.path in before and (d.path != self.unit or d.line < line) for d in decls)

    def _before(self, line: int) -> set[str]:
        """The unit's own file and the files it reads through its includes above ``line``."""
        todo, seen = [t for n, t in self.includes.get(self.unit, []) if n < line], {self.unit}
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                todo.extend(t for _, t in self.includes.get(p, []))
        return seen


# A call of a function by its own name: not a member's (``ops->ldr_call(``, ``ops.ldr_call(``, read as ``.``).
# Looked for as models.wordfind does: ``(?<![\w.])NAME\s*\(``, else ``(?<![\w.])NAME\b(?!\s*\()`` (its name as a value).
_NOT_CALLED = re.compile(r"\b(?!\s*\()")
_MEMBER = re.compile(r"(?:\.|->)[ \t]*(?=[A-Za-z_])")
# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_STRING = re.compile(r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"')


def _foreign_call(d: Definition, table: dict[str, list[Definition]], u: _Unit,
                  prelude: frozenset[str]) -> tuple[str, str, Definition, bool, bool] | None:
    """(name, call's file:line, a definition of it, whether a declaration reaches the call, whether it is a call
    rather than a use of the name as a value) of the first call in ``d``, or use, of a function only .c files outside
    ``d``'s unit ``u`` define that is static or not declared there."""
    text = _STRING.sub('""', _MEMBER.sub(".", d.text))  # newlines kept: lines are counted in it
    for n in sorted(d.identifiers() - prelude):
        defs = table.get(n, [])
        if not defs or any(x.kind is not Kind.FUNCTION or not x.path.endswith(".c") or x.path in u.paths
                           for x in defs) or any(x.kind is Kind.FUNCTION for x in u.sites.get(n, [])):
            continue
        # Its name as a value (an error callback handed to a helper, a pointer stored) needs it declared as a call
        # does, and an undeclared one is an error in any build ('undeclared (first use in this function)').
        m = next(name_spans(text, n, NOT_AFTER_WORD, CALL_AFTER), None) or \
            next(name_spans(text, n, NOT_AFTER_WORD, _NOT_CALLED), None)
        if m is None:
            continue
        line = d.line + text.count("\n", 0, m[0])
        seen = u.declared(n, d.path, line)
        static = [x for x in defs if is_static(x)]
        if not seen or static:
            return n, f"{d.path}:{line}", (static or defs)[0], seen, text[m[0]:m[1]].endswith("(")
    return None


def _undeclared(d: Definition, n: str, at: str, home_def: Definition, seen: bool, called: bool, unit: str,
                unread: str) -> tuple[ErrorKind, str]:
    """What a call at ``at`` from ``d`` to ``n`` (or a use of its name as a value), defined only in other .c files
    (``home_def``), does to the build."""
    nowhere = f"implicit declaration of function '{n}' (an error in a kernel build)" if called else \
        f"'{n}' undeclared (first use in this function)"
    if is_static(home_def):
        gcc = (f"{n}() is static in {home_def.where}: no other unit links it (ld: undefined reference to '{n}')"
               if seen else f"{n}() is static in {home_def.where} and nothing {unit} reads declares it: gcc: {nowhere}")
    else:
        gcc = f"{n}() is defined only in {home_def.where} and nothing {unit} reads declares it before the " \
              f"{'call' if called else 'use'}: gcc: {nowhere}"
    how = "calls" if called else "uses"
    if unread:
        defines = "or defines " if is_static(home_def) else ""
        return ErrorKind.UNSUPPORTED, (f"not known to build: {d.name}() {how} {n}() at {at}; {gcc}, unless a header "
                                       f"not known declares {defines}it ({unread})")
    return ErrorKind.BUILD, f"build error: {d.name}() {how} {n}() at {at}; {gcc}"
