"""A variant's C as definitions: slice its files, list what each entry point reaches (text only, no parser).

models.cload preprocesses (pcpp) and parses (pycparser) what this finds; it loads only when code runs."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache, partial

from models.ambiguity import DEFAULT_FIRST, default_unless_defined
from models.cdirectives import Directive, directives
from models.closure import closure
from models.filestops import unguarded
from models.literals import PR_FMT_MACRO
from models.macroat import in_one_file, prelude_ends, reached_by
from models.macrogenerated import expands_there, generated_by
from models.macronames import declared_as
from models.outparams import OUT_FEED, out_object
from models.prelude import (
    prelude_closure,
)
from models.record import record
from models.redefinition import initialised_first, redefinitions, strong_over_weak, weak_variable
from models.slicer import ASSERT_NAME, ERROR_NAME, UNDEF_NAME, Definition, Kind, slice_fragment

# Part of every cache key: bump when the prelude or the primitives change behaviour.
PRELUDE_VERSION = "prelude-16"
MAX_EXPANSION = 200_000
_ENTRY_PREFIX = "__sh_entry_"
_IDENT = re.compile(r"\b[A-Za-z_]\w*\b")
_SELF = re.compile(r"\s*#\s*define\s+([A-Za-z_]\w*)\s+\1\s*")
# What the entry wrapper passes for each way of feeding a parameter (harness.matrix.FEEDS documents them).
FEED_EXPRESSIONS = {"fn": "__sh_fn", "args": "__sh_args", "answer": "__sh_answer()", "zero": "0"}


def feed_expression(feed: str, position: int, entry: str) -> str:
    """What the entry wrapper passes for a parameter (``position`` from 1) fed ``feed``: an out-parameter's object's
    address (models.outparams), else FEED_EXPRESSIONS'."""
    if feed.startswith(OUT_FEED):
        return f"&{out_object(entry, position)}"
    return FEED_EXPRESSIONS[feed]


@dataclass(frozen=True, repr=False)
class Source:
    """A file of the variant: complete text, or the fragments known of it.

    ``only``: a header of the kernel's include paths (``#include <...>``) that a tree supplies
    (harness.sysheaders): of its definitions only these names are taken, each only where no other source
    defines it (the prelude's names are never among them). ``unknown``: names the variant's code uses that
    nothing defines, with ``searched`` saying where they were looked for (set on the first source only).
    ``unincluded``: a header a patch created that no file includes (harness.sysheaders.unincluded_headers): no
    unit reads it, so its definitions count only for names no other source, nor a ``<...>`` header, defines.
    """

    path: str
    pieces: tuple[tuple[int, tuple[str, ...]], ...]
    complete: bool
    only: frozenset[str] | None = None
    unknown: frozenset[str] = frozenset()
    searched: str = ""
    unincluded: bool = False
    defines: tuple[tuple[str, str], ...] = ()  # gcc -D in force above it (kbuild's ccflags-y: harness.kbuilddefs)
    # a .c file's: (macro it defines, header naming it, why that header's code may not see it, "" when it does)
    unit_macros: tuple[tuple[str, str, str], ...] = ()  # harness.unitmacros
    refused: tuple[tuple[str, str], ...] = ()  # (name, why): the tree declares it otherwise (harness.primdecls)

    def __hash__(self) -> int:
        # Sources are the keys of the caches of definitions, reach and entry keys, looked up again and again: the
        # hash of every line of the pieces is worked out once per object (never sent to another process:
        # __getstate__; str hashes differ between interpreters).
        h: int | None = self.__dict__.get("_hash")
        if h is None:
            h = self.__dict__["_hash"] = hash((self.path, self.pieces, self.complete, self.only, self.unknown,
                                                self.searched, self.unincluded, self.defines, self.unit_macros,
                                                self.refused))
        return h

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def __repr__(self) -> str:
        # What cache keys are made of (harness.runner): a source without a header's names reads as it always did.
        head = f"Source(path={self.path!r}, pieces={self.pieces!r}, complete={self.complete!r}"
        extra = "" if self.only is None else f", only={sorted(self.only)!r}"
        extra += ", unincluded=True" if self.unincluded else ""
        extra += f", defines={self.defines!r}" if self.defines else ""
        if self.unknown or self.searched:
            extra += f", unknown={sorted(self.unknown)!r}, searched={self.searched!r}"
        return head + extra + (f", refused={self.refused!r})" if self.refused else ")")


@record
class EntryPoint:
    """A function or function-like macro to run, and how the scenario's leaf and args are passed."""

    name: str
    args: tuple[str, ...] = ("fn", "args")


@lru_cache(maxsize=4096)
def _slice(path: str, start: int, lines: tuple[str, ...], defines: tuple[tuple[str, str], ...] = ()
           ) -> tuple[Definition, ...]:
    return tuple(slice_fragment(list(lines), path, start, defines))


def sliced(path: str, start: int, lines: tuple[str, ...]) -> tuple[Definition, ...]:
    """slice_fragment, remembered by content (the same fragment recurs across variants and lanes)."""
    return _slice(path, start, lines)


def prototypes(sources: tuple[Source, ...]) -> tuple[Definition, ...]:
    """The prototypes of the files a unit reads (no table lists them: a name only declared has no code to run), once
    per tuple of sources, by its identity as _tables: each program loaded read every definition of the sources
    (a patch changing 5,000 functions, each an entry point: as many loads, each reading the 5,000)."""
    kept = _PROTOTYPES.get(id(sources))
    if kept is not None and kept[0] is sources:
        return kept[1]
    if len(_PROTOTYPES) >= 256:
        _PROTOTYPES.clear()
    found = tuple(d for s in sources if s.only is None and not s.unincluded for start, lines in s.pieces
                  for d in _slice(s.path, start, lines, s.defines) if d.kind is Kind.PROTOTYPE)
    _PROTOTYPES[id(sources)] = sources, found
    return found


_PROTOTYPES: dict[int, tuple[tuple[Source, ...], tuple[Definition, ...]]] = {}


def definitions(sources: Iterable[Source]) -> dict[str, list[Definition]]:
    """Every definition by name, in source order (files in the order given), generated ones included.

    A file-scope invocation of a function-like macro (the variant's or the prelude's) is expanded, and
    each function, variable or type it defines is listed under its own name, with the invocation's text
    and line as its provenance. File-scope assertions are listed under ASSERT_NAME. A macro's latest
    definition comes first (``#undef`` then ``#define``: uses after it see it; see ``ambiguous``).
    The table is shared by every caller with the same sources: never change it.
    """
    return _tables(sources)[0]


def redefined(sources: Iterable[Source]) -> dict[str, str]:
    """``path: why`` of each file a unit reads that defines a name twice (models.redefinition), which gcc refuses."""
    return _tables(sources)[1]


Tables = tuple[dict[str, list[Definition]], dict[str, str]]


def _tables(sources: Iterable[Source]) -> Tables:
    if type(sources) is tuple:  # most callers hand a variant's own tuple again: found by identity, not hashed again
        kept = _TABLES.get(id(sources))
        if kept is not None and kept[0] is sources:
            return kept[1]
        if len(_TABLES) >= 256:
            _TABLES.clear()
        table = _TABLES[id(sources)] = sources, _definitions(sources)
        return table[1]
    return _definitions(tuple(sources))


# definitions' tables by the identity of the tuple of sources asked with (held with it, so that its id is no other's):
# hashing the tuple hashed each of its sources again (1,706 asked for 28 tuples in the corpus' eval).
_TABLES: dict[int, tuple[tuple[Source, ...], Tables]] = {}


# An eval asks for the table of the same few source sets hundreds of times (each rule, check and lane): 682
# requests for 23 distinct sets on the corpus.
@lru_cache(maxsize=256)
def _definitions(sources: tuple[Source, ...]) -> Tables:
    table: dict[str, list[Definition]] = {}
    invocations: list[Definition] = []
    unit: list[tuple[Definition, str]] = []  # what the files a unit reads define, with the text each is judged by
    for src in sources:
        if src.only is not None or src.unincluded:
            continue
        for start, lines in src.pieces:
            for d in _slice(src.path, start, lines, src.defines):
                if d.name == ERROR_NAME and d.condition is None and start > 1 and not src.complete:
                    d = replace(d, condition=unguarded(src.path, start))
                if d.kind is Kind.INVOCATION:
                    invocations.append(d)
                elif d.kind is Kind.MACRO:
                    if _SELF.fullmatch(d.text) and d.params is None and d.text.split()[-1] == d.name:
                        continue  # "#define arch_hook arch_hook" (the kernel's override idiom) expands to itself
                    if d.name == PR_FMT_MACRO:
                        continue  # the prelude's stands for each: its prefix is the site's (harness.prfmt)
                    table.setdefault(d.name, []).insert(0, d)  # the latest first: what uses after it see
                elif d.kind is Kind.UNDEF:  # no definition: where one ends (models.macroat)
                    table.setdefault(UNDEF_NAME, []).append(d)
                elif d.kind is not Kind.PROTOTYPE:
                    table.setdefault(d.name, []).append(d)
                    unit.append((d, d.text))
                else:  # no definition, but judged with them (a linkage or type that conflicts: models.redefinition)
                    unit.append((d, d.text))
    if invocations:
        macros = {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO}
        for inv in invocations:
            for g, expanded in generated_by(inv, macros) if expands_there(
                    inv, table.get(inv.name, ()), table.get(UNDEF_NAME, ()), partial(_includes_above, sources)) else ():
                known = table.setdefault(g.name, [])
                # an enum whose items a macro writes (models.slicer) lists the enumerators it names itself already
                if not any(d.text == g.text and (d.path, d.line) == (g.path, g.line) for d in known):
                    known.append(g)
                    unit.append((g, expanded))
    _unit_defaults_out(table, sources)
    _named_by_macros(table)
    initialised_first(table, unit)
    _from_system_headers(table, [s for s in sources if s.only is not None])
    _from_system_headers(table, [s for s in sources if s.unincluded])  # after all that a unit reads
    _pin_redefinitions(table, sources)
    _own_statics_first(table)
    _definitions_over_declarations(table)
    strong_over_weak(table)
    return table, redefinitions(unit, {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO})


def _includes_above(sources: tuple[Source, ...], header: str, path: str, line: int) -> bool:
    """Whether the source at ``path`` has an ``#include`` of a file named as ``header`` is (its last part) above
    ``line``, outside any piece it is not known to hold (models.macrogenerated.expands_there)."""
    name = posixpath.basename(header)
    return any(d.line < line and (got := d.included()) is not None and posixpath.basename(got[1]) == name
               for s in sources if s.path == path for d in directives(s.pieces))


def _unit_defaults_out(table: dict[str, list[Definition]], sources: tuple[Source, ...]) -> None:
    """A header's ``#ifndef M`` default of a macro M that a .c file defines above its first #include of the header,
    the one unit reading it (Source.unit_macros: harness.unitmacros), is never taken: left out, so the header's code
    has the .c file's M, as gcc's cpp gives it there (C11 6.10.1: the group is skipped). The other way round, a .c
    file's #define of M below its first read of such a header, reaching no code (why DEFAULT_FIRST), is left out: the
    header's code has its default, the group taken there."""
    for src in sources:
        for name, header, why in src.unit_macros:
            found = table.get(name, [])
            if not why and any(d.path == src.path for d in found):
                table[name] = [d for d in found if not (d.path == header and d.kind is Kind.MACRO and d.condition
                                                        and default_unless_defined(d.condition, name))]
            elif why == DEFAULT_FIRST:  # the .c file's #define, below the header's read, reaches no code
                table[name] = [d for d in found if not (d.path == src.path and d.kind is Kind.MACRO)]


def _named_by_macros(table: dict[str, list[Definition]]) -> None:
    """A function whose name a macro of the files spells (``static int FN(info)(...) { ... }``, FN pasting
    ``seamldr_##op``) listed under the name its expansion declares (models.macronames.declared_as), its text and
    line its own (cload's preprocessing expands the head as gcc does), not under the macro's: a call of
    ``seamldr_info()`` runs it. Only where every macro of its head is defined once, unconditionally: else which name
    it declares is not known, and a call of it stays refused (models.unknowncall names the definition)."""
    spelled = [name for name, ds in table.items() if len(ds) > 1 and ds[0].kind is Kind.MACRO
               and any(d.kind is Kind.FUNCTION for d in ds)]
    if not spelled:
        return
    macros = {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO}
    for name in spelled:
        for d in [d for d in table[name] if d.kind is Kind.FUNCTION]:
            found = declared_as(d, macros) if _macros_certain(d, table) else None
            if found is None or found.name in macros:
                continue
            table[name].remove(d)
            table.setdefault(found.name, []).append(replace(d, name=found.name))


def _macros_certain(d: Definition, table: dict[str, list[Definition]]) -> bool:
    """Whether each macro ``d``'s head names is defined once in the files, under no condition left undecided."""
    head = d.text.split("{", 1)[0]
    for used in set(_IDENT.findall(head)):
        ms = [m for m in table.get(used, ()) if m.kind is Kind.MACRO]
        if ms and (len(ms) > 1 or ms[0].condition is not None):
            return False
    return True


# A declaration of a variable another file defines, not a definition: no initializer, no storage here
EXTERN = re.compile(r"\s*extern\b[^=]*;\s*$")
# include/linux/percpu-defs.h: DECLARE_PER_CPU() and its kin are such a declaration of a per-CPU variable
# (``extern __PCPU_ATTRS(sec) __typeof__(type) name``), its DEFINE_PER_CPU() in another file
PERCPU_DECLARATION = re.compile(r"\s*DECLARE_PER_CPU\w*\s*\([^=]*;\s*$")
# include/linux/jump_label.h: DECLARE_STATIC_KEY_TRUE() and _FALSE() are ``extern struct static_key_* name``
KEY_DECLARATION = re.compile(r"\s*DECLARE_STATIC_KEY_(?:TRUE|FALSE)\s*\([^=]*;\s*$")


def declaration_only(d: Definition) -> bool:
    """Whether ``d`` declares a variable another file defines (extern, DECLARE_PER_CPU(), DECLARE_STATIC_KEY_*())."""
    return d.kind is Kind.VARIABLE and any(r.match(d.text) for r in (EXTERN, PERCPU_DECLARATION, KEY_DECLARATION))


def _definitions_over_declarations(table: dict[str, list[Definition]]) -> None:
    """A variable an ``extern`` declaration (or DECLARE_PER_CPU()) and a definition both name is the definition's
    object (C11 6.9.2): its initializer and complete type are the definition's, so the declarations are left out
    (``extern u32 x;`` before ``u32 x = 5;`` was the one kept, and x read 0)."""
    for name, ds in table.items():
        if len(ds) < 2 or not any(declaration_only(d) for d in ds):
            continue
        kept = [d for d in ds if not declaration_only(d)]
        if any(d.kind is Kind.VARIABLE for d in kept):
            table[name] = kept


def _from_system_headers(table: dict[str, list[Definition]], headers: list[Source]) -> None:
    """Add the definitions of ``<...>`` headers (Source.only) of the names they are taken for, or of headers no
    unit reads (Source.unincluded), each only where the files before define nothing of that name: a header never
    overrides them (nor the prelude, whose names harness.sysheaders never asks for). Every such header's
    definition of a name is added, so that two different ones are refused as any other two (ambiguous)."""
    own = set(table)
    # A variable the files only declare extern (or define __weak: harness.weakdefs) that a file taken for it defines
    # (harness.externconsts.extern_consts): its definition's object (strong_over_weak leaves the weak one out).
    declared = {n for n, ds in table.items() if all(declaration_only(d) or weak_variable(d) for d in ds)}
    for src in headers:
        items = [d for start, lines in src.pieces for d in _slice(src.path, start, lines, src.defines)]
        for d in items + _made_by_macros(src, items):
            if d.name in declared and src.only is not None and d.name in src.only and d.kind is Kind.VARIABLE \
                    and not declaration_only(d):
                table[d.name].append(d)  # its definition's object: the declarations give way (below)
            elif ((src.only is None or d.name in src.only) and d.name not in own and d.name != PR_FMT_MACRO
                    and d.kind not in (Kind.PROTOTYPE, Kind.INVOCATION)):
                if d.kind is Kind.MACRO:
                    table.setdefault(d.name, []).insert(0, d)
                else:
                    table.setdefault(d.name, []).append(d)


def _made_by_macros(src: Source, items: list[Definition]) -> list[Definition]:
    """What the macro invocations at file scope of a tree's file taken for some names (Source.only) define of those
    names, with the macros that file defines (``#define SEAM_FN(n) u64 n(...) { ... }`` then ``SEAM_FN(seam_kick)``:
    a .c file's out-of-line function, harness.unitdefs): expanded only where the invocation names one of them."""
    if src.only is None:
        return []
    wanted = src.only
    calls = [d for d in items if d.kind is Kind.INVOCATION and wanted & set(_IDENT.findall(d.text))]
    if not calls:
        return []
    macros = {d.name: d for d in items if d.kind is Kind.MACRO}
    return [g for inv in calls for g, _ in generated_by(inv, macros)]


def unknown_names(sources: Iterable[Source]) -> tuple[frozenset[str], str]:
    """The names the sources' code uses that nothing defines (Source.unknown) and where they were looked for."""
    for src in sources:
        if src.unknown or src.searched:
            return src.unknown, src.searched
    return frozenset(), ""


def _own_statics_first(table: dict[str, list[Definition]]) -> None:
    """A function or variable two .c files each define (each its own static one), every use of which is in
    one of them: that file's definition first, the one the mirror keeps (models.ambiguity.ambiguous then accepts
    it: every use is certain to see it)."""
    for name, ds in table.items():
        if len(ds) < 2 or ds[0].kind is Kind.MACRO or len({d.path for d in ds}) < 2:
            continue
        users = {d.path for other in table.values() for d in other if d.name != name and name in d.identifiers()}
        own = next((d for d in ds if d.path in users and d.path.endswith(".c")), None) if len(users) == 1 else None
        if own is not None and own is not ds[0]:
            table[name] = [own, *(d for d in ds if d is not own)]


def _pin_redefinitions(table: dict[str, list[Definition]], sources: Iterable[Source]) -> None:
    """A macro defined more than once, whose every use is in one .c file known whole, after a definition of
    that file with no ``#include``, ``#define`` or ``#undef`` of it in between: gcc's uses see that definition
    alone (``#undef X`` / ``#define X 3`` after a header's ``#if``-dependent X), so it is the only one kept. A use
    of a kernel header's macro expanding it (dev_err: dev_fmt, macroat.reached_by) is one of its uses."""
    known = {s.path: s for s in sources if s.complete}
    for name, ds in table.items():
        if len(ds) < 2 or ds[0].kind is not Kind.MACRO or len({d.text for d in ds}) < 2:
            continue
        users = [d for other in table.values() for d in other if d.name != name and reached_by(name) & d.names_used()]
        if any(u.kind is Kind.MACRO for u in users):
            continue  # a macro using it expands where it is used, which may be after another definition
        paths = {u.path for u in users}
        src = known.get(next(iter(paths))) if len(paths) == 1 else None
        if src is None or not src.path.endswith(".c"):
            continue
        first, last = min(u.line for u in users), max(u.line + u.text.count("\n") for u in users)
        mine = [d for d in ds if d.path == src.path and d.line < first and d.condition is None]
        if not mine:
            continue
        pick = max(mine, key=lambda d: d.line)
        if not any(pick.line < d.line <= last and _touches(d, name) for d in directives(src.pieces)):
            table[name] = [pick]


def _touches(d: Directive, name: str) -> bool:
    """Whether directive ``d`` may change what macro ``name`` is: an #include (of anything), its #define or #undef
    (read as gcc reads them, models.cdirectives: '#un\\' then 'def X' too)."""
    if d.name == "include":
        return True
    word = _IDENT.match(d.rest) if d.name in ("define", "undef") else None
    return word is not None and word.group() == name


def _assert_roots(table: dict[str, list[Definition]]) -> list[str]:
    """What file-scope assertions refer to: they are checked whatever the entry points reach."""
    return sorted(set().union(*(d.identifiers() for d in table.get(ASSERT_NAME, []))))


@lru_cache(maxsize=1024)
def reachable(sources: tuple[Source, ...], entry: str) -> frozenset[str]:
    """Names of the definitions an entry point can reach in these sources."""
    return frozenset(d.name for d in closure(definitions(sources), [entry]))


def _headers_read(sources: tuple[Source, ...]) -> bytes:
    """A digest of the ``<...>`` headers among the sources (each whole text and the names taken from it) and of
    the names looked for in vain; b"" when there are none (mail alone: the keys are those of before)."""
    if not any(s.only is not None or s.unknown or s.searched for s in sources):
        return b""
    h = hashlib.blake2b(digest_size=32)  # a key's part, never shown: faster than the builtin sha256 (harness.launch)
    for s in sources:
        if s.only is not None or s.unknown or s.searched:
            h.update(repr(s).encode())
    return h.digest()


def entry_keys(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> dict[str, str | None]:
    """A content hash of the code each entry point can reach (None: not provided); no parsing needed."""
    return dict(_entry_reach(sources, entries)[0])


def entry_files(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> dict[str, frozenset[str]]:
    """The files that hold the code each provided entry point can reach (worked out with entry_keys)."""
    return dict(_entry_reach(sources, entries)[1])


@lru_cache(maxsize=1024)
def _entry_reach(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                 ) -> tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, frozenset[str]], ...]]:
    table, twice = _tables(sources)
    keys: dict[str, str | None] = {}
    files: dict[str, frozenset[str]] = {}
    read = _headers_read(sources)
    partial = frozenset(s.path for s in sources if not s.complete)
    defined = frozenset(n for n, ds in table.items() if any(d.kind is Kind.MACRO for d in ds))
    for e in entries:
        if e.name not in table or table[e.name][0].kind not in (Kind.FUNCTION, Kind.MACRO):
            keys[e.name] = None
            continue
        h = hashlib.blake2b(PRELUDE_VERSION.encode() + repr(e.args).encode(), digest_size=32)
        if read:  # every <...> header read whole, and what was not found where: a changed header is a miss
            h.update(read)
        # File-scope assertions decide whether anything of these files builds: part of every key.
        reached = closure(table, [e.name, *_assert_roots(table)])
        undefs = table.get(UNDEF_NAME, [])
        several = {d.name for d in reached if d.kind is Kind.MACRO and in_one_file(table[d.name], undefs)}
        ends = [u for u in undefs if u.name in several]  # where each use's #define ends
        kernel = prelude_ends(undefs, defined)  # and where a prelude macro it names ends (models.macroat)
        if kernel:
            named = prelude_closure(set().union(*(d.names_used() for d in reached)))
            ends += [u for name, us in kernel.items() if name in named for u in us]
        used = sorted([*reached, *table.get(ASSERT_NAME, []), *table.get(ERROR_NAME, []), *ends],
                      key=lambda d: (d.name, d.path, d.line))
        for d in used:
            h.update(f"\0{d.where}\0{d.text}".encode("utf-8", "surrogateescape"))  # a byte not UTF-8 kept as is
            if d.kind in (Kind.ASSERT, Kind.UNDEF) and d.condition:  # an assertion decided stops every run,
                # undecided none is known; an #undef of a prelude macro undecided leaves it not known (models.macroat)
                h.update(f"\0if\0{d.condition}".encode("utf-8", "surrogateescape"))
        files[e.name] = frozenset(d.path for d in used)
        called = frozenset().union(*(d.names_used() for d in reached))  # a prototype alone of a prelude macro's
        for p in prototypes(sources):  # name is refused where called (models.preludeclash)
            if p.name in called:
                h.update(f"\0proto\0{p.where}\0{p.text}".encode("utf-8", "surrogateescape"))
        for path in sorted(files[e.name] & twice.keys()):  # a file it reaches defines a name twice: no build
            h.update(f"\0twice\0{twice[path]}".encode("utf-8", "surrogateescape"))
        # The same text in a file known in part or whole is other code: a struct of a fragment has no layout the
        # mirror may assume (models.clayout.PARTIAL), so a run from mail alone and one with --tree are not one run.
        for path in sorted(files[e.name] & partial):
            h.update(f"\0partial\0{path}".encode("utf-8", "surrogateescape"))
        keys[e.name] = h.hexdigest()[:20]
    return tuple(keys.items()), tuple(files.items())

