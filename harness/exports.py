"""The symbols a variant's files export to modules, read as the preprocessor reads them (harness.cppscan).

An export is an invocation (at file scope, or in a function body: gcc builds it there too) of a macro that
comes down to the kernel's ``__EXPORT_SYMBOL(sym, license, ns)`` (include/linux/export.h): ``EXPORT_SYMBOL*``
directly, a kernel wrapper of it (harness.kernelmacros), or a wrapper the code defines itself, in the file or
in a header of the variant it includes. The symbol need not be defined in that file. Every ``#if`` branch
that some configuration builds counts; one the preprocessor certainly drops (``#if 0``) does not
(harness.cppcond).

What cannot be seen is said, never taken as "no export": the parts of a file known only from hunks, a
file-scope ``*EXPORT*(...)`` whose macro no file read defines, an expansion too large; in a file known only
from hunks, a file-scope invocation of a macro whose definition there no line read shows (``Unseen``), and an
export whose macros lines no hunk shows may define otherwise (``Export.blind``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from harness.cppcond import Conditions, Known
from harness.cppscan import (
    MAX_TOKENS,
    Expander,
    ExpansionLimit,
    Macro,
    MacroTable,
    Tok,
    logical_lines,
    parse_define,
    spell,
    tokens,
)
from harness.filescope import RunScope
from harness.filestate import FileState
from harness.kernelmacros import MARK, QUIET_NAMES, arguments_at, kernel_flavour, prelude, string_of
from harness.variants import Variant
from models.record import record

SUFFIXES = (".c", ".h", ".S")
MAX_PASSES = 8  # passes over a file, one per alternative definition of its macros (MacroTable)

_EXPORTISH = re.compile(r"(^|_)EXPORT(_|$)")  # a name a reader takes for an export macro


def made_with(e: Export, name: str) -> bool:
    """Whether an export is made with the kernel macro ``name``: the macro is on its way down to
    ``__EXPORT_SYMBOL`` and the licence and namespace are the ones it gives (a file that redefines
    ``_EXPORT_SYMBOL`` under it makes no GPL-only export of ``EXPORT_SYMBOL_GPL``)."""
    if name not in e.kernel_macros:
        return False
    lic, ns = kernel_flavour(name)
    if e.license != lic:
        return False
    # The modules are the invocation's (or, for KVM's, the architecture's KVM_SUB_MODULES): exports_to judges them.
    return ns is None or (e.namespace.startswith("module:") if ns.startswith("module:") else e.namespace == ns)


@record
class Export:
    """One export: the symbol, GPL-only or not, its namespace (``module:kvm,kvm-intel`` when only those
    modules may use it), the macros from the file-scope invocation down (``(name, is_kernel)``), and its
    place: the invocation's file and line."""

    symbol: str
    license: str
    namespace: str
    chain: tuple[tuple[str, bool], ...]
    path: str
    line: int
    unresolved: tuple[str, ...] = ()  # names left in its licence or module list that no file read defines
    blind: bool = False  # a macro it goes through may be defined otherwise in lines no hunk shows before it

    @property
    def macro(self) -> str:
        """The macro as written, and the kernel macro it comes to when that is another: ``EXPORT_TDX ->
        EXPORT_SYMBOL_FOR_KVM``."""
        names: list[str] = []
        for name, kernel in self.chain:
            names.append(name)
            if kernel:
                break
        return " -> ".join(names) or MARK

    @property
    def kernel_macros(self) -> frozenset[str]:
        return frozenset(n for n, kernel in self.chain if kernel)

    @property
    def modules(self) -> tuple[str, ...] | None:
        """The modules it is exported to (``EXPORT_SYMBOL_FOR_MODULES``); None: to every module."""
        if not self.namespace.startswith("module:"):
            return None
        return tuple(m.strip() for m in self.namespace[len("module:"):].split(",") if m.strip())

    @property
    def flavour(self) -> str:
        """``GPL-only, to kvm, kvm-intel`` / ``any licence, namespace CXL``: what a module needs to use it."""
        lic = "GPL-only" if self.license == "GPL" else f"licence {self.license!r}" if self.license else "any licence"
        mods = self.modules
        where = f"to modules {', '.join(mods)}" if mods is not None else \
            f"namespace {self.namespace}" if self.namespace else "to every module"
        return f"{lic}, {where}"

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}"


@record
class Unseen:
    """A file-scope invocation, in a file known only from hunks, of a macro whose definition there no line read
    shows (``why``): ``text`` is its spelling (``DEMO_PUBLIC(demo_7)``), ``place`` its file:line."""

    name: str
    text: str
    place: str
    why: str


@record
class ExportScan:
    """What one variant's files export, and what could not be seen: ``fragments`` (paths known only from
    hunks), ``unknown`` ((macro, file:line) of file-scope ``*EXPORT*(...)`` invocations no file read defines),
    ``unread`` (file -> why it was not read) and ``definitions`` (name -> the spellings of the file's own
    macros that can reach an export, with where each is, to tell a changed wrapper), ``unseen`` (invocations in
    files known only from hunks that may make exports no line read shows, Unseen)."""

    exports: tuple[Export, ...]
    fragments: tuple[str, ...] = ()
    unknown: tuple[tuple[str, str], ...] = ()
    unread: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)
    unseen: tuple[Unseen, ...] = ()

    def by_symbol(self) -> dict[str, list[Export]]:
        out: dict[str, list[Export]] = {}
        for e in self.exports:
            out.setdefault(e.symbol, []).append(e)
        return out


def scan_variant(v: Variant) -> ExportScan:
    """Every export in the variant's C, header and assembler files (``SUFFIXES``), usable ones only; variants
    whose files are the same share one scan (most states of a series differ in a few files, or none)."""
    files = tuple(f for f in v.files if f.path.endswith(SUFFIXES) and not f.absent)
    key = tuple((f.path, f.usable, f.blob if f.complete else f.fragments()) for f in files)
    if key not in _SCANS:
        if len(_SCANS) >= 256:
            _SCANS.pop(next(iter(_SCANS)))
        _SCANS[key] = _scan_files(files)
    return _SCANS[key]


_SCANS: dict[tuple[tuple[str, bool, object], ...], ExportScan] = {}


def _scan_files(files: tuple[FileState, ...]) -> ExportScan:
    exports: list[Export] = []
    unknown: list[tuple[str, str]] = []
    unseen: list[Unseen] = []
    unread: dict[str, str] = {}
    definitions: dict[str, dict[str, str]] = {}
    for f in files:
        if not f.usable:
            unread[f.path] = "unusable in this state (see the base problems)"
            continue
        reader = _FileReader(f, {g.path: g for g in files if g.usable})
        try:
            found, odd = reader.scan()
        except ExpansionLimit as exc:
            unread[f.path] = str(exc)
            continue
        exports += found
        unknown += odd
        unseen += reader.unseen()
        reaches = _Relevance(reader.table)
        for name, spellings in reader.own_definitions().items():
            if reaches(name):
                definitions.setdefault(name, {}).update(spellings)
    exports = list(dict.fromkeys(exports))
    frags = tuple(f.path for f in files if f.usable and not f.complete)
    return ExportScan(tuple(exports), frags, tuple(dict.fromkeys(unknown)), unread, definitions,
                      tuple(dict.fromkeys(unseen)))


def _pieces(f: FileState) -> Iterator[tuple[int, str]]:
    """(first line, text) of each run of known lines; a run that starts inside a comment starts after it."""
    if f.complete and f.text is not None:
        yield 1, f.text
        return
    for frag in f.fragments():
        text = "\n".join(frag.lines) + "\n"
        close, open_ = text.find("*/"), text.find("/*")
        if close >= 0 and (open_ < 0 or close < open_):  # the hunk began in a comment's middle
            head = text[:close + 2]
            text = "\n" * head.count("\n") + text[close + 2:]
        yield frag.start, text


@dataclass
class _FileReader:
    """Reads one file: its directives into a table (with its includes'), then its file-scope tokens.

    ``gap`` counts the runs of unseen lines met so far in the file (one before each run of known lines of a
    file known only from hunks, unless that run starts at line 1); ``_def_gap`` is the count when each macro
    was last (re)defined, 0 for the kernel's: a definition whose count is lower may have been replaced in
    lines no hunk shows before the invocation that uses it."""

    file: FileState
    files: dict[str, FileState]
    table: MacroTable = field(default_factory=lambda: prelude().copy())
    _own: dict[str, dict[str, str]] = field(default_factory=dict)
    known: Known = field(default_factory=dict)
    gap: int = 0
    _def_gap: dict[str, int] = field(default_factory=dict)
    _scope: RunScope | None = None
    _unseen: dict[Unseen, None] = field(default_factory=dict)

    def scan(self) -> tuple[list[Export], list[tuple[str, str]]]:
        exports: dict[Export, None] = {}
        unknown: dict[tuple[str, str], None] = {}
        passes, n = 1, 0
        while n < passes and n < MAX_PASSES:
            self.table, self.known, self.gap, self._def_gap = prelude().copy(), {}, 0, {}
            seen = [1]

            def pick(alts: list[Macro], n: int = n, seen: list[int] = seen) -> Macro:
                seen[0] = max(seen[0], len(alts))
                return alts[min(n, len(alts) - 1)]

            budget = MAX_TOKENS  # the whole pass's, however many runs the directives cut it into
            for toks in self._streams(self.file, {self.file.path}, record=True):
                run = Expander(self.table, pick, self._wanted(), budget)
                out = run.expand(toks)
                found, odd = self._hits(out, pick, run)
                if self._scope is not None:
                    self._scope.feed(out)
                budget = run.budget
                exports.update(dict.fromkeys(found))
                unknown.update(dict.fromkeys(odd))
            self._next_run(None)
            passes, n = seen[0], n + 1
        return list(exports), list(unknown)

    def own_definitions(self) -> dict[str, dict[str, str]]:
        return self._own

    def unseen(self) -> list[Unseen]:
        return list(self._unseen)

    def _wanted(self) -> _Relevance:
        return _Relevance(self.table)

    def _streams(self, f: FileState, seen: set[str], record: bool) -> Iterator[list[Tok]]:
        """The file's non-directive tokens that some configuration builds, in runs between the directives that
        change the table; directives are carried out on the way (an #include of a variant file reads that
        file's directives; #if decided only where certain, harness.cppcond)."""
        conds = Conditions()
        fragment = not f.complete  # a fragment may lie inside any #if: each definition is an alternative
        for k, (first, text) in enumerate(_pieces(f)):
            if fragment and (k or first > 1):  # lines no hunk shows come first: their #if and #define unknown
                self.known.clear()
                conds = Conditions()
                self.gap += record
            if fragment and record:
                self._next_run(f)
            run: list[Tok] = []
            for line in logical_lines(tokens(text, first)):
                if line[0].text != "#" or len(line) < 2:
                    conds.no_guard()
                    if not conds.skipping:
                        run.extend(line)
                    continue
                word, rest = line[1].text, line[2:]
                if conds.directive(word, rest, self.known) or conds.skipping:
                    continue
                if word == "define" and rest:
                    conds.defined(rest[0].text)
                conds.no_guard()
                if word not in ("define", "undef", "include") or _open_parens(run):
                    continue
                if run and record:
                    yield run
                run = []
                self._directive(f, word, rest, fragment or conds.undecided, not conds.undecided, seen)
            if run and record:
                yield run

    def _directive(self, f: FileState, word: str, rest: list[Tok], conditional: bool, certain: bool,
                   seen: set[str]) -> None:
        """``conditional``: some configuration may not build it (a definition is one alternative); ``certain``:
        every configuration that builds the lines around it builds it (what #ifdef may then rely on)."""
        if word == "define":
            m = parse_define(rest, kernel=False, where=f"{f.path}:{rest[0].line if rest else 0}")
            if m is not None:
                self.table.define(m, conditional)
                self._own.setdefault(m.name, {})[_spelling(m)] = m.where
                self._def_gap[m.name] = self.gap
                self._learn(m.name, m, certain)
        elif word == "undef" and rest:
            self.table.undef(rest[0].text, conditional)
            self._def_gap[rest[0].text] = self.gap
            self._learn(rest[0].text, None, certain)
        elif word == "include":
            target = _resolve(f.path, rest, self.files)
            if target is None:
                self.known.clear()  # a header no one read may #undef or #define anything
            elif target not in seen:
                seen.add(target)
                for _ in self._streams(self.files[target], seen, record=False):
                    pass

    def _learn(self, name: str, m: Macro | None, certain: bool) -> None:
        if certain:
            self.known[name] = m
        else:
            self.known.pop(name, None)

    def _next_run(self, f: FileState | None) -> None:
        """Close the run of known lines read so far (keeping its invocations that may be at file scope) and,
        with ``f``, open the next one."""
        if self._scope is not None:
            place = self.file.path
            self._unseen.update(dict.fromkeys(
                Unseen(c.name, c.text, f"{place}:{c.line}", self._why(c.name)) for c in self._scope.at_file_scope()))
        self._scope = RunScope(f.lines, self._blind, f.path.endswith(".S")) if f is not None else None

    def _blind(self, name: str) -> bool:
        """Whether an invocation of ``name`` at file scope, here, may make an export that no line read shows."""
        if name == MARK or name in QUIET_NAMES:
            return False
        if name not in self.table.defs:
            return _EXPORTISH.search(name) is None  # those are ExportScan.unknown already
        return self._def_gap.get(name, 0) < self.gap

    def _why(self, name: str) -> str:
        alts = self.table.defs.get(name)
        if not alts:
            return "defined in no line read and not a kernel macro known never to export"
        return f"defined at {alts[-1].where}, and lines no hunk shows lie between"

    def _hits(self, out: list[Tok], pick: Callable[[list[Macro]], Macro], run: Expander
              ) -> tuple[list[Export], list[tuple[str, str]]]:
        """The ``__EXPORT_SYMBOL(...)`` invocations at file scope of an expanded run, and the file-scope
        ``*EXPORT*(...)`` invocations of macros no file read defines."""
        found: list[Export] = []
        odd: list[tuple[str, str]] = []
        depth = 0
        full = Expander(self.table, pick, budget=run.budget)
        for i, t in enumerate(out):
            if t.text in "{}" and t.kind == "punct":
                depth = max(0, depth + (1 if t.text == "{" else -1))
                continue
            if t.kind != "id" or i + 1 >= len(out) or out[i + 1].text != "(":
                continue
            if t.text == MARK:  # in a function body too: gcc builds it there, and its .export_symbol entry
                args = arguments_at(out, i + 1)
                if len(args) == 3:
                    sym, lic, ns = (full.expand(a) for a in args)
                    names = [name for name, _ in t.chain] or [MARK]
                    blind = any(self._def_gap.get(name, 0) < self.gap for name in names)
                    found.append(Export(_symbol(sym), string_of(lic), _namespace(ns), t.chain, self.file.path, t.line,
                                        _unresolved(lic, ns), blind))
                    run.budget = full.budget
            elif not depth and _EXPORTISH.search(t.text) and t.text not in self.table.defs:
                odd.append((t.text, f"{self.file.path}:{t.line}"))
        return found, odd


@dataclass
class _Relevance:
    """Whether a macro can come to an export (its body names one that can, or pastes names with ##): the
    others are left unexpanded, as they cannot make one. Worked out without recursion (a chain of thousands
    of macros is bounded by the table, not by Python's stack); a macro met again on its own path counts as
    making nothing more, as the hide set makes it."""

    table: MacroTable
    memo: dict[str, bool] = field(default_factory=dict)

    def __call__(self, name: str) -> bool:
        todo: list[tuple[str, bool]] = [(name, False)]
        while todo:
            n, done = todo.pop()
            bodies = [m.body for m in self.table.defs.get(n, ())]
            if done:
                self.memo[n] = any(t.text == "##" or t.text == MARK or (t.kind == "id" and self.memo.get(t.text, False))
                                   for body in bodies for t in body)
            elif n not in self.memo:
                self.memo[n] = False  # on the path now
                todo.append((n, True))
                todo.extend((t.text, False) for body in bodies for t in body
                            if t.kind == "id" and t.text in self.table.defs and t.text not in self.memo)
        return self.memo.get(name, False)


def _open_parens(run: list[Tok]) -> bool:
    """Whether the run ends inside parentheses (a directive in the middle of a macro's arguments)."""
    depth = 0
    for t in run:
        depth += (t.text == "(") - (t.text == ")")
    return depth > 0


def _resolve(path: str, rest: list[Tok], files: dict[str, FileState]) -> str | None:
    """The variant file an #include names: "x.h" beside the file first, then <x.h> under any include/."""
    if not rest:
        return None
    text = spell(rest).strip()
    m = re.fullmatch(r'"([^"]+)"|<([^>]+)>', text)
    if m is None:
        return None
    name = m.group(1) or m.group(2)
    if m.group(1):
        beside = posixpath.normpath(posixpath.join(posixpath.dirname(path), name))
        if beside in files:
            return beside
    return next((p for p in sorted(files) if p.endswith("include/" + name)), None)


def _spelling(m: Macro) -> str:
    params = "" if m.params is None else f"({', '.join(m.params)})"
    return f"#define {m.name}{params} {spell(m.body).strip()}".rstrip()


def _symbol(toks: list[Tok]) -> str:
    return spell(toks).strip()


def _namespace(toks: list[Tok]) -> str:
    """A namespace as written: string literals (v6.13 on), or a bare name (before); none for the
    ``DEFAULT_SYMBOL_NAMESPACE`` a file does not define (a Makefile's -D is not seen)."""
    if any(t.kind == "str" for t in toks):
        return string_of(toks)
    text = spell(toks).strip()
    return "" if text == "DEFAULT_SYMBOL_NAMESPACE" else text


def _unresolved(lic: list[Tok], ns: list[Tok]) -> tuple[str, ...]:
    """The names left unexpanded in an export's licence, or beside string literals in its namespace (a
    ``EXPORT_SYMBOL_FOR_MODULES(sym, USERS)`` whose USERS no file read defines): its flavour is not known.
    A namespace that is one bare name is a namespace as kernels before v6.13 spelt it (``CXL``)."""
    names = [t.text for t in lic if t.kind == "id"]
    if any(t.kind == "str" for t in ns):
        names += [t.text for t in ns if t.kind == "id"]
    return tuple(dict.fromkeys(names))
