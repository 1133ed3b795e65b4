"""The symbols a variant's files export to modules, read as the preprocessor reads them (harness.cppscan).

An export is an invocation at file scope (outside every brace) of a macro that comes down to the kernel's
``__EXPORT_SYMBOL(sym, license, ns)`` (include/linux/export.h): ``EXPORT_SYMBOL*`` directly, a kernel
wrapper of it (``EXPORT_SYMBOL_FOR_KVM``, include/linux/kvm_types.h; ``EXPORT_PER_CPU_SYMBOL``,
``EXPORT_STATIC_CALL*``, ``EXPORT_TRACEPOINT_SYMBOL*``, ``EXPORT_SYMBOL_IF_KUNIT``), or a wrapper the
code defines itself, in the file or in a header of the variant it includes. The symbol need not be
defined in that file. Every ``#if`` branch counts: an export some configuration builds is an export.

What cannot be seen is said (``ExportScan.gaps``), never taken as "no export": the parts of a file known
only from hunks, a file-scope ``*EXPORT*(...)`` whose macro no file read defines, an expansion too large.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

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
from harness.filestate import FileState
from harness.variants import Variant

MARK = "__EXPORT_SYMBOL"  # the kernel's bottom macro: every export reaches it (sym, license, namespace)
SUFFIXES = (".c", ".h", ".S")
MAX_PASSES = 8  # passes over a file, one per alternative definition of its macros (MacroTable)

# The kernel's export macros, in our words, as recent kernels define them: include/linux/export.h (v6.13 on:
# namespaces are strings; EXPORT_SYMBOL_GPL_FOR_MODULES of v6.16, renamed EXPORT_SYMBOL_FOR_MODULES in v6.17),
# include/linux/kvm_types.h (v6.18: KVM and, for x86, its vendor modules in the widest configuration, where
# both are modules), include/linux/percpu-defs.h, include/linux/static_call.h, include/linux/tracepoint.h and
# include/kunit/visibility.h. A file's own #define of one of these names is used instead (as gcc would).
_PRELUDE = r"""
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define _EXPORT_SYMBOL(sym, license) __EXPORT_SYMBOL(sym, license, DEFAULT_SYMBOL_NAMESPACE)
#define EXPORT_SYMBOL(sym) _EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym) _EXPORT_SYMBOL(sym, "GPL")
#define EXPORT_SYMBOL_NS(sym, ns) __EXPORT_SYMBOL(sym, "", ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __EXPORT_SYMBOL(sym, "GPL", ns)
#define EXPORT_SYMBOL_FOR_MODULES(sym, mods) __EXPORT_SYMBOL(sym, "GPL", "module:" mods)
#define EXPORT_SYMBOL_GPL_FOR_MODULES(sym, mods) __EXPORT_SYMBOL(sym, "GPL", "module:" mods)
#define KVM_SUB_MODULES kvm-amd,kvm-intel
#define EXPORT_SYMBOL_FOR_KVM_INTERNAL(sym) EXPORT_SYMBOL_FOR_MODULES(sym, __stringify(KVM_SUB_MODULES))
#define EXPORT_SYMBOL_FOR_KVM(sym) EXPORT_SYMBOL_FOR_MODULES(sym, "kvm," __stringify(KVM_SUB_MODULES))
#define EXPORT_PER_CPU_SYMBOL(var) EXPORT_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var) EXPORT_SYMBOL_GPL(var)
#define STATIC_CALL_KEY(name) __SCK__##name
#define STATIC_CALL_TRAMP(name) __SCT__##name
#define EXPORT_STATIC_CALL(name) EXPORT_SYMBOL(STATIC_CALL_KEY(name)); EXPORT_SYMBOL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_GPL(name) EXPORT_SYMBOL_GPL(STATIC_CALL_KEY(name)); \
    EXPORT_SYMBOL_GPL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_TRAMP(name) EXPORT_SYMBOL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_TRAMP_GPL(name) EXPORT_SYMBOL_GPL(STATIC_CALL_TRAMP(name))
#define EXPORT_TRACEPOINT_SYMBOL(name) EXPORT_SYMBOL(__tracepoint_##name); EXPORT_SYMBOL(__traceiter_##name); \
    EXPORT_STATIC_CALL(tp_func_##name)
#define EXPORT_TRACEPOINT_SYMBOL_GPL(name) EXPORT_SYMBOL_GPL(__tracepoint_##name); \
    EXPORT_SYMBOL_GPL(__traceiter_##name); EXPORT_STATIC_CALL_GPL(tp_func_##name)
#define EXPORT_SYMBOL_IF_KUNIT(sym) EXPORT_SYMBOL_NS(sym, "EXPORTED_FOR_KUNIT_TESTING")
"""
_EXPORTISH = re.compile(r"(^|_)EXPORT(_|$)")  # a name a reader takes for an export macro


@lru_cache(maxsize=1)
def _prelude() -> MacroTable:
    table = MacroTable()
    for line in logical_lines(tokens(_PRELUDE)):
        m = parse_define(line[2:], kernel=True, where="include/linux/export.h")
        assert m is not None
        table.define(m, conditional=False)
    return table


@lru_cache(maxsize=64)
def kernel_flavour(name: str) -> tuple[str, str | None]:
    """(licence, namespace) that the kernel's export macro ``name`` gives (include/linux/export.h and the
    wrappers above): the namespace None when the invocation chooses it (an argument, or the file's
    ``DEFAULT_SYMBOL_NAMESPACE``), ``module:...`` when it exports to named modules."""
    table = _prelude()
    m = table.defs[name][0]
    args = ", ".join(f"__arg{n}" for n in range(len(m.params or ())))
    out = Expander(table, lambda alts: alts[0]).expand(tokens(f"{name}({args})"))
    at = next(i for i, t in enumerate(out) if t.text == MARK)
    _, lic, ns = _arguments_at(out, at + 1)
    free = any(t.kind == "id" for t in ns)
    strings = _string(ns)
    return _string(lic), (("module:" if strings.startswith("module:") else None) if free else strings)


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


def export_macros() -> tuple[str, ...]:
    """The kernel export macros a rule may name (``exports_only``)."""
    return tuple(n for n, alts in _prelude().defs.items() if "EXPORT" in n and not n.startswith("_")
                 and alts[0].params is not None)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ExportScan:
    """What one variant's files export, and what could not be seen: ``fragments`` (paths known only from
    hunks), ``unknown`` ((macro, file:line) of file-scope ``*EXPORT*(...)`` invocations no file read defines),
    ``unread`` (file -> why it was not read) and ``definitions`` (name -> the spellings of the file's own
    macros that can reach an export, with where each is, to tell a changed wrapper)."""

    exports: tuple[Export, ...]
    fragments: tuple[str, ...] = ()
    unknown: tuple[tuple[str, str], ...] = ()
    unread: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)

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
        reaches = _Relevance(reader.table)
        for name, spellings in reader.own_definitions().items():
            if reaches(name):
                definitions.setdefault(name, {}).update(spellings)
    exports = list(dict.fromkeys(exports))
    frags = tuple(f.path for f in files if f.usable and not f.complete)
    return ExportScan(tuple(exports), frags, tuple(dict.fromkeys(unknown)), unread, definitions)


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
    """Reads one file: its directives into a table (with its includes'), then its file-scope tokens."""

    file: FileState
    files: dict[str, FileState]
    table: MacroTable = field(default_factory=lambda: _prelude().copy())
    _own: dict[str, dict[str, str]] = field(default_factory=dict)

    def scan(self) -> tuple[list[Export], list[tuple[str, str]]]:
        exports: dict[Export, None] = {}
        unknown: dict[tuple[str, str], None] = {}
        passes, n = 1, 0
        while n < passes and n < MAX_PASSES:
            self.table = _prelude().copy()
            seen = [1]

            def pick(alts: list[Macro], n: int = n, seen: list[int] = seen) -> Macro:
                seen[0] = max(seen[0], len(alts))
                return alts[min(n, len(alts) - 1)]

            budget = MAX_TOKENS  # the whole pass's, however many runs the directives cut it into
            for toks in self._streams(self.file, {self.file.path}, record=True):
                run = Expander(self.table, pick, self._wanted(), budget)
                found, odd = self._hits(run.expand(toks), pick, run)
                budget = run.budget
                exports.update(dict.fromkeys(found))
                unknown.update(dict.fromkeys(odd))
            passes, n = seen[0], n + 1
        return list(exports), list(unknown)

    def own_definitions(self) -> dict[str, dict[str, str]]:
        return self._own

    def _wanted(self) -> _Relevance:
        return _Relevance(self.table)

    def _streams(self, f: FileState, seen: set[str], record: bool) -> Iterator[list[Tok]]:
        """The file's non-directive tokens, in runs between the directives that change the table; directives
        are carried out on the way (an #include of a variant file reads that file's directives)."""
        guard: list[bool] = []  # per open #if: whether it is a real condition (not an include guard)
        conditional_file = not f.complete  # a fragment may lie inside any #if: each definition is an alternative
        for first, text in _pieces(f):
            run: list[Tok] = []
            pending_guard: str | None = None
            for line in logical_lines(tokens(text, first)):
                if line[0].text != "#" or len(line) < 2:
                    run.extend(line)
                    pending_guard = None
                    continue
                word, rest = line[1].text, line[2:]
                if pending_guard is not None and guard:
                    guard[-1] = not (word == "define" and len(rest) == 1 and rest[0].text == pending_guard)
                pending_guard = None
                if word in ("if", "ifdef", "ifndef"):
                    guard.append(True)
                    if word == "ifndef" and rest and rest[0].kind == "id":
                        pending_guard = rest[0].text
                    continue
                if word == "endif":
                    guard = guard[:-1]
                    continue
                if word not in ("define", "undef", "include") or _open_parens(run):
                    continue
                if run and record:
                    yield run
                run = []
                self._directive(f, word, rest, conditional_file or any(guard), seen)
            if run and record:
                yield run

    def _directive(self, f: FileState, word: str, rest: list[Tok], conditional: bool, seen: set[str]) -> None:
        if word == "define":
            m = parse_define(rest, kernel=False, where=f"{f.path}:{rest[0].line if rest else 0}")
            if m is not None:
                self.table.define(m, conditional)
                self._own.setdefault(m.name, {})[_spelling(m)] = m.where
        elif word == "undef" and rest:
            self.table.undef(rest[0].text, conditional)
        elif word == "include":
            target = _resolve(f.path, rest, self.files)
            if target is not None and target not in seen:
                seen.add(target)
                for _ in self._streams(self.files[target], seen, record=False):
                    pass

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
                args = _arguments_at(out, i + 1)
                if len(args) == 3:
                    sym, lic, ns = (full.expand(a) for a in args)
                    found.append(Export(_symbol(sym), _string(lic), _namespace(ns), t.chain, self.file.path, t.line,
                                        _unresolved(lic, ns)))
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


def _arguments_at(out: list[Tok], i: int) -> list[list[Tok]]:
    """The arguments of the parenthesis at ``out[i]`` (none when it is not closed)."""
    args: list[list[Tok]] = [[]]
    depth = 0
    for n in range(i, len(out)):
        t = out[n]
        if t.text == "(":
            depth += 1
            if depth == 1:
                continue
        elif t.text == ")":
            depth -= 1
            if depth == 0:
                return args
        elif t.text == "," and depth == 1:
            args.append([])
            continue
        args[-1].append(t)
    return []


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


def _string(toks: list[Tok]) -> str:
    return "".join(_literal(t.text) for t in toks if t.kind == "str")


def _namespace(toks: list[Tok]) -> str:
    """A namespace as written: string literals (v6.13 on), or a bare name (before); none for the
    ``DEFAULT_SYMBOL_NAMESPACE`` a file does not define (a Makefile's -D is not seen)."""
    if any(t.kind == "str" for t in toks):
        return _string(toks)
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


def _literal(text: str) -> str:
    body = text[text.index('"') + 1:]
    body = body[:-1] if body.endswith('"') else body
    return re.sub(r"\\(.)", r"\1", body)
