"""A weak function (or variable) of the state's files that a built .c file of the tree defines strong.

With a tree, ld links the strong one, so a run of the weak one is no run of the kernel's code.

``u64 __weak seam_retry(...)`` in a file a patch touches is a default: where another object file defines the
function without the attribute (an architecture's override), the linker resolves every call to that one, and the
default is never run. The mirror reads the state's file whole and would run its default; an entry point reaching
it is refused, naming the strong definition (harness.runner, ErrorKind.UNSUPPORTED), never run as the kernel's.
The strong definitions are looked for as harness.unitdefs looks for an out-of-line function (``git grep`` of the
tree's .c files for a line starting one, at the base commit, this architecture's, at most MAX_FILES read; built as
harness.treebuilt says, its CONFIG_ options taken as set, as everywhere), and in the tree's assembly files: a .S
line making it a global symbol (``SYM_FUNC_START(seam_retry)``, ``.globl seam_retry``: harness.gitbase), the .S
built as a .c file is. A default made weak by ``#pragma weak NAME`` in its file, or by a declaration with a weak
attribute its unit reads (``u64 __weak seam_retry(...);`` in a header: gcc keeps it for the definition), is one as
``__weak`` makes it; an
alias (``#pragma weak a = b``) is not read; a .S line invoking a macro the file itself ``#define``s as a linkage
macro of its first parameter (``#define MY_ENTRY(n) SYM_FUNC_START(n)``) counts as that macro's line. The ``#if`` groups
around a .S line are read as every x86-64 build reads them (``#ifndef CONFIG_X86_64``: in none; ``#ifdef CONFIG_Q``
of an option harness.kconfig says no such build sets: in none); one resting on anything else is taken as built.
A ``__weak`` variable of the state's files (models.redefinition.weak_variable) that such a .c file defines strong
is followed: that file is taken for it (a Header, as harness.unitdefs takes an out-of-line function), and
models.redefinition.strong_over_weak leaves the weak definition out; a const one is refused instead (gcc -O1 and
above fold the weak initializer where its own unit reads it, -O0 reads the object ld links), and so is one two such
files define strong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from harness.asmglobal import ASM_GLOBAL as _ASM_GLOBAL
from harness.filestate import FileState
from harness.kconfig import ALWAYS_SET, Impossible, StateKconfigs, impossible_options
from harness.kconfigbranch import _INCLUDE, _include_path
from harness.sysheaders import BaseReader, Header, Lookup
from harness.treebuilt import built, line_guards
from harness.treelinks import state_or_base
from harness.unitdefs import (
    MAX_FILES,
    Finds,
    _candidates,
    _exported,
    _Found,
    _headers,
    _includers,
    _Kbuild,
    _static,
    _tables,
    _this_arch,
    _weak_found,
)
from harness.weakmarks import pragma_weak, weak, weak_decls
from models.cdirectives import by_line
from models.conditional import DEFINED, Conditions
from models.lazyre import lazy
from models.loader import EntryPoint, Source, definitions
from models.outcome import ErrorKind
from models.provenance import reaching
from models.redefinition import const_object, weak_variable
from models.slicer import Definition, Kind, blank_comments

if TYPE_CHECKING:
    from harness.variants import Variant

_ASM_HEAD = lazy(r"\s*(?:(\w+)\s*\(|(\.glob(?:a)?l)\s)")  # 'SYM_FUNC_START(foo)', '.globl foo': which
_DEFINED_OP = lazy(r"\bdefined\s*(?:\(\s*(CONFIG_\w+)\s*\)|(CONFIG_\w+))")
_CONFIG_TEST = lazy(r"\b(IS_ENABLED|IS_BUILTIN|IS_REACHABLE|IS_MODULE)\s*\(\s*(CONFIG_\w+)\s*\)")
_MARK = ("__weak", "weak")  # a line holding neither has no weak definition: the file is not sliced for one


def weak_overrides(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                   lookup: Lookup) -> Lookup:
    """``lookup`` with ``overridden``: per weak function the state's .c and .h files define (not static), the words
    for the strong definition the tree builds elsewhere, where there is one ('seam_retry() at x/tdx.c:3 is __weak,
    and z/strong.c:1 defines it strong, which kbuild builds: ld links that one, not the __weak one the mirror would
    run'). Unchanged where the state has no weak function or the tree cannot be searched."""
    declared = _weak_declared(files, base, read, lookup)
    own = _weak_functions(files, declared)
    added = {n: w for n, w in (_added_functions(files, base, read) if isinstance(base, Finds) else {}).items()
             if n not in own}
    objects = _weak_variables(files)
    if not (own or added or objects) or not isinstance(base, Finds):
        return lookup
    hits = base.defines(tuple(sorted(own.keys() | added.keys() | objects.keys())))
    kbuild = (state_or_base(dict(files), base, read), _includers(files, base),
              impossible_options(StateKconfigs(files, base)))
    out = _in_c(files, base, read, hits or [], own, added, kbuild)
    out += _in_asm(base, read, {n: w for n, w in {**added, **own}.items() if n not in {o for o, _ in out}}, own,
                   kbuild)
    taken, twice, unlinked = _strong_objects(files, base, read, hits or [], objects, kbuild, lookup.unknown)
    if not (out or taken or twice or unlinked):
        return lookup
    return replace(lookup, headers=lookup.headers + taken, overridden=lookup.overridden + tuple(out + twice),
                   unlinked=lookup.unlinked + unlinked)


def _weak_variables(files: Mapping[str, FileState]) -> dict[str, str]:
    """Per variable the state's .c and .h files define ``__weak`` (models.redefinition.weak_variable), where."""
    out: dict[str, str] = {}
    for path, f in sorted(files.items()):
        if f.absent or not f.usable or not path.endswith((".c", ".h")) \
                or not any(m in t for t, _ in f.lines.values() for m in _MARK):
            continue
        for n, ds in _file_table(f).items():
            if weak_variable(ds[0]):
                out.setdefault(n, ds[0].where)
    return out


def _file_table(f: FileState) -> dict[str, list[Definition]]:
    """The definitions of one file of the state (models.loader.definitions)."""
    return definitions((Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete),))


def _state_definitions(files: Mapping[str, FileState], name: str) -> list[Definition]:
    """The definitions of ``name`` in the state's .c and .h files."""
    return [d for path, f in sorted(files.items()) if not f.absent and f.usable and path.endswith((".c", ".h"))
            for d in _file_table(f).get(name, [])]


def _strong_object(table: dict[str, list[Definition]], n: str) -> bool:
    """Whether a file's ``table`` defines the variable ``n`` strong: not ``extern``, static nor weak."""
    return any(d.kind is Kind.VARIABLE and not weak_variable(d) and not _static(d)
               for d in _exported(table, (n,)).get(n, []))


_FOLLOWED = "the strong definition ld links over the __weak one of {} (git grep of the tree's .c files)"


def _strong_objects(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                    hits: list[str], objects: dict[str, str], kbuild: _Kbuild, unknown: frozenset[str]
                    ) -> tuple[tuple[Header, ...], list[tuple[str, str]], tuple[tuple[str, str], ...]]:
    """The Headers taking each variable of ``objects`` (``__weak`` in the state's files) from the .c file of the
    tree ``hits`` that defines it strong and kbuild builds (ld links that object: the mirror follows it,
    models.redefinition.strong_over_weak); the words for each two such files define (ld: multiple definition), or
    that is const, refused as an override is; and (name, path) of each file read defining one strong that kbuild
    does not build, or of another architecture's folder (Lookup.unlinked)."""
    paths = [p for p in hits if p not in files and _this_arch(p)]
    tables, said = _tables(paths[:MAX_FILES], base, read) if objects else ([], [])
    chosen: dict[str, list[_Found]] = {}
    twice: list[tuple[str, str]] = []
    candidates = _candidates(tables, tuple(sorted(objects)), kbuild, said)
    unlinked = tuple((n, got.path) for got, table in tables for n in sorted(objects)
                     if _strong_object(table, n) and got.path not in {f[0].path for f in candidates.get(n, [])}) \
        + tuple((n, p) for p in hits if not _this_arch(p) for n in sorted(objects))  # another architecture's
    for n, places in sorted(candidates.items()):
        strong = [f for f in places if not any(weak_variable(d) for d in f[1].get(n, []))
                  and n not in pragma_weak(f[0])]
        if len(strong) > 1:
            twice.append((n, f"{n} at {objects[n]} is __weak; {strong[0][0].path} and {strong[1][0].path} both "
                             "define it strong, which kbuild builds: two strong definitions do not link"))
        elif strong:
            chosen[n] = strong
    folded = [(n, f"{n} at {objects[n]} is __weak and const, and {chosen[n][0][0].path} defines it strong, which "
                  "kbuild builds: ld links that object, but gcc -O1 and above fold the weak initializer where its own "
                  "unit reads it (-O0 does not): which value the code reads is the build's") for n in sorted(chosen)
              if any(weak_variable(d) and const_object(d) for d in _state_definitions(files, n))]
    taken = tuple(h for n in sorted(chosen.keys() - {n for n, _ in folded})
                  for h in _headers({n: chosen[n]}, unknown, _FOLLOWED.format(objects[n]), {}))
    return taken, twice + folded, unlinked


def _in_c(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None], hits: list[str],
          own: dict[str, str], added: dict[str, str], kbuild: _Kbuild) -> list[tuple[str, str]]:
    """The words for each weak function of ``own`` a .c file of ``hits`` defines strong, and each function of
    ``added`` one defines too, kbuild building it."""
    paths = [p for p in hits if p not in files and _this_arch(p)]
    tables, said = _tables(paths[:MAX_FILES], base, read)
    out: list[tuple[str, str]] = []
    for n, places in sorted(_candidates(tables, tuple(sorted(own.keys() | added.keys())), kbuild, said).items()):
        strong = [f for f in places if not _weak_found(f, n)]
        if not strong:
            continue
        _, table, cond = strong[0]
        where = next(d.where for d in table[n] if d.kind is Kind.FUNCTION and not weak(d))
        built = f"which kbuild builds{f' ({cond})' if cond else ''}"
        if n in own:
            out.append((n, f"{n}() at {own[n]}, and {where} defines it strong, {built}: ld links that one, "
                           "not the __weak one the mirror would run"))
        elif n in added:
            out.append((n, f"{n}() at {added[n]}, which the patches add, is also defined at {where} without static, "
                           f"{built}: two strong definitions in one kernel do not link (ld: multiple definition), "
                           "unless they go to different modules"))
    return out


def _in_asm(base: BaseReader, read: dict[str, FileState | None], wanted: dict[str, str], own: dict[str, str],
            kbuild: _Kbuild) -> list[tuple[str, str]]:
    """The words for each function of ``wanted`` (weak ones of the state's, ``own``, or ones the patches add) that an
    assembly file of this architecture kbuild builds makes a global symbol (gitbase.TreeReader.asm_defines): ld links
    that one (or, for an added one, refuses two)."""
    finder = getattr(base, "asm_defines", None)
    hits = finder(tuple(sorted(wanted))) if wanted and callable(finder) else None
    out: list[tuple[str, str]] = []
    for n, rows in sorted((hits or {}).items()):
        for path, line, text in rows:
            got = read[path] if path in read else read.setdefault(path, base(path))
            b = built(path, *kbuild) if _this_arch(path) and n in wanted else None
            if b is None or not b.ok or got is None or got.absent or _impossible_guard(got, line, kbuild[2]):
                continue
            m = _ASM_HEAD().match(text)
            through = _own_linkage(got, m.group(1)) if m is not None and m.group(1) not in (None, *_ASM_GLOBAL) \
                else ""
            if through is None:
                continue  # a macro that makes no symbol global, or one the file does not define (EXPORT_SYMBOL)
            cond = "; ".join(filter(None, [b.why if b.options else "", ", ".join(line_guards(got, line))]))
            head = text if m is None else f"{m.group(1)}({n}){through}" if m.group(1) else f"{m.group(2)} {n}"
            where = f"{path}:{line} in assembly ({head}), which kbuild builds{f' ({cond})' if cond else ''}"
            out.append((n, f"{n}() at {own[n]}, and {where.replace(' in ', ' defines it in ', 1)}: ld links that "
                           "one, not the __weak one the mirror would run" if n in own else
                           f"{n}() at {wanted[n]}, which the patches add, is also defined at {where}: two strong "
                           "definitions in one kernel do not link (ld: multiple definition)"))
            break
    return out


def _own_linkage(got: FileState, macro: str) -> str | None:
    """Where the assembly file ``got`` itself ``#define``s ``macro`` with a body that makes its first parameter a
    global symbol (a linkage macro of asmglobal.ASM_GLOBAL, or ``.globl``, given that parameter), as
    ', which x/a.S:3 defines as SYM_FUNC_START(name)'; None where it does not (a header's macro is not read)."""
    lines = blank_comments([got.lines[k][0] for k in sorted(got.lines)])
    numbers = sorted(got.lines)
    for i, text in enumerate(lines):
        if (m := re.match(rf"\s*#\s*define\s+{re.escape(macro)}\(\s*(\w+)\s*[,)]", text)) is None:
            continue
        body, k = text[m.end():], i
        while body.rstrip().endswith("\\") and k + 1 < len(lines):
            k += 1
            body = body.rstrip()[:-1] + " " + lines[k]
        arg = re.escape(m.group(1))
        made = re.search(rf"\b({'|'.join(_ASM_GLOBAL)})\s*\(\s*{arg}\s*[,)]|\.glob(?:a)?l\s+{arg}\b", body)
        if made is not None:
            return f", which {got.path}:{numbers[i]} defines as {made.group(0).strip()}"
    return None


def _impossible_guard(got: FileState, line: int, impossible: Impossible) -> bool:
    """Whether the ``#if`` groups around ``line`` of an assembly file leave it out of every x86-64 build of the tree:
    read as the preprocessor reads a .S file (``__ASSEMBLY__`` defined), an option no such build sets (harness.kconfig)
    unset, X86, X86_64 and 64BIT set, any other option and macro not known (a group resting on one is built)."""
    if not line_guards(got, line):
        return False
    numbers = sorted(k for k in got.lines if k < line)
    texts = [got.lines[k][0] for k in numbers]
    cond = _AsmBuild(got.path, impossible=impossible)
    read = by_line(texts)  # each directive whole, as gcc reads it (models.cdirectives)
    for i, (end, joined) in read.items():
        cond.directive(joined, numbers[i], read[end][1] if end in read else texts[end] if end < len(texts) else "")
    return cond.built() is False


@dataclass
class _AsmBuild(Conditions):
    """A .S file's ``#if`` groups as every x86-64 build of the tree reads them: False for an option none sets, True
    for one all set, None (not known) for any other option and any macro the file does not define itself."""

    impossible: Impossible = lambda _option: None

    def _defined(self, name: str) -> bool | None:
        if name in self.defined:
            return self.defined[name]
        if name in ("__ASSEMBLY__", "__ASSEMBLER__"):
            return True
        if name.startswith("CONFIG_"):
            return True if name.removeprefix("CONFIG_") in ALWAYS_SET else False if self.impossible(name) else None
        return super()._defined(name) if name in DEFINED else None

    def evaluate(self, expr: str) -> bool | None:
        """The expression's truth in every build: each option not known taken both ways (at most 4 of them)."""
        unknown = sorted({o for o in re.findall(r"\bCONFIG_\w+", expr) if self._defined(o) is None})
        if len(unknown) > 4:
            return None
        got = set()
        for bits in range(1 << len(unknown)):
            value = dict(zip(unknown, ((bits >> k) & 1 == 1 for k in range(len(unknown))), strict=True))
            known = {o: value[o] if o in value else self._defined(o) for o in re.findall(r"\bCONFIG_\w+", expr)}
            got.add(super().evaluate(_decided(expr, known)))
        return got.pop() if len(got) == 1 else None


def _decided(expr: str, known: dict[str, bool | None]) -> str:
    """``expr`` with each ``defined(CONFIG_X)`` and ``IS_ENABLED(CONFIG_X)`` (and its kin) as ``known`` gives it."""
    text = _CONFIG_TEST().sub(lambda m: "1" if known[m.group(2)] and m.group(1) != "IS_MODULE" else "0", expr)
    return _DEFINED_OP().sub(lambda m: "1" if known.get(m.group(1) or m.group(2)) else "0", text)


def _added_functions(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None]
                     ) -> dict[str, str]:
    """Per function the state's .c files define without static (nor weak) that the base's version of the same file
    does not define (the patches add it, or a file they create), where its definition is."""
    out: dict[str, str] = {}
    for path, f in sorted(files.items()):
        if f.absent or not f.usable or not f.complete or not path.endswith(".c"):
            continue
        old = read[path] if path in read else read.setdefault(path, base(path))
        before = set(_functions(old)) if old is not None and not old.absent and old.complete else set()
        for n, d in _functions(f).items():
            if n not in before and not weak(d):
                out.setdefault(n, d.where)
    return out


def _functions(f: FileState) -> dict[str, Definition]:
    """The functions a whole file defines without static, each its first definition."""
    table = definitions((Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), True),))
    return {n: d for n, ds in table.items() for d in ds[:1] if d.kind is Kind.FUNCTION and not _static(d)}


def _weak_functions(files: Mapping[str, FileState], declared: Mapping[str, dict[str, str]]) -> dict[str, str]:
    """Per weak function the state's C files define (not static: ``__weak`` in its head, a ``#pragma weak`` of the
    file naming it, or a declaration of it with a weak attribute that the file's unit reads: ``declared``, per .c
    file, _weak_declared), where its definition is, as 'x/a.c:3 is __weak' ('... (#pragma weak f at x/a.c:1)',
    '... (declared weak at x/a.h:2)')."""
    out: dict[str, str] = {}
    for path, f in sorted(files.items()):
        said = declared.get(path, {})
        if f.absent or not f.usable or not path.endswith((".c", ".h")) \
                or not (said or any(m in t for t, _ in f.lines.values() for m in _MARK)):
            continue
        table = definitions((Source(path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete),))
        pragma = pragma_weak(f)
        for n, ds in table.items():
            found = [d for d in ds if d.kind is Kind.FUNCTION and (weak(d) or n in pragma or n in said)
                     and "static" not in d.text.split(n)[0]]
            if found:
                how = "" if weak(found[0]) else f" (#pragma weak {n} at {path}:{pragma[n]})" if n in pragma \
                    else f" (declared weak at {said[n]})"
                out.setdefault(n, f"{found[0].where} is __weak{how}")
    return out


MAX_UNIT_FILES = 32  # files of one unit read for a weak declaration


def _weak_declared(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                   lookup: Lookup) -> dict[str, dict[str, str]]:
    """Per .c file of the state, the functions a declaration with a weak attribute makes weak in its unit (the file
    and the headers it includes, transitively: a quoted one beside its includer, a ``<...>`` one as
    harness.kconfigbranch finds it; at most MAX_UNIT_FILES), each with where ('x/seam.h:1')."""
    headers = {f.path: f for f in (*lookup.read, *(h.state for h in lookup.headers))} | dict(files)

    budget = [0]

    def tree(at: str) -> FileState | None:
        if at in headers or at in read:
            return headers[at] if at in headers else read[at]
        budget[0] -= 1  # a git read (or a miss) each: bounded per unit
        return read.setdefault(at, base(at)) if budget[0] >= 0 else None
    out: dict[str, dict[str, str]] = {}
    for path, f in sorted(files.items()):
        if not path.endswith(".c") or f.absent or not f.usable:
            continue
        budget[0] = 4 * MAX_UNIT_FILES
        todo, seen, said = [path], {path}, dict[str, str]()
        while todo and len(seen) <= MAX_UNIT_FILES:
            got = tree(at := todo.pop(0))
            if got is None or got.absent or not got.usable:
                continue
            said |= {n: w for n, w in weak_decls(got).items() if n not in said}
            for line in blank_comments([t for _, (t, _) in sorted(got.lines.items())]):
                i = _INCLUDE().match(line)
                if i is not None and (p := _include_path(at, i, headers, tree)) is not None and p not in seen:
                    seen.add(p)
                    todo.append(p)
        if said:
            out[path] = said
    return out


def weak_problems(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                  ) -> dict[str, tuple[ErrorKind, str]]:
    """Entry points whose code reaches a weak function of the state that the tree defines strong elsewhere
    (``v.headers.overridden``): not known, the kernel runs the other one (ErrorKind.UNSUPPORTED), with why."""
    over = dict(v.headers.overridden)
    out: dict[str, tuple[ErrorKind, str]] = {}
    for e, hit in reaching(sources, entries, over):
        # else two strong ones (ld refuses): a function the patches add, or a weak variable's two overrides
        weak = (f"{hit}() at " in over[hit] or over[hit].startswith(f"{hit} at ")) and " is __weak" in over[hit] \
            and "two strong definitions" not in over[hit]
        head = "not the kernel's code" if weak else "not known to link"
        called = "()" if over[hit].startswith(f"{hit}()") else ""  # a function's, not a weak variable's
        out[e.name] = (ErrorKind.UNSUPPORTED, f"{head}: {e.name}() reaches {hit}{called}; {over[hit]}")
    return out
