"""Functions a tree's .c files define out of line for the patched code: what kbuild links in beside its units.

A name the state's code calls that no file of the state, no header and no prelude defines may be the function of
another .c file that no patch touches (a helper's body kept in seamcall.c, its prototype in a header). kbuild
compiles a folder's .c files alongside, and the linker resolves such a call to the one that defines the function
without ``static``. So, with a tree, the .c files directly in the folders of the state's .c files are searched
at the base commit (``git grep -w``, harness.gitbase.TreeReader), at most MAX_FILES of them, none over
MAX_FILE_BYTES, and the functions they define that are not static are taken for those names (models.loader
Source.only, as a <...> header's). A name those leave unknown is then looked for in every .c file of the tree
(``git grep -E`` for a line starting its definition, harness.gitbase._defines: a helper of arch/x86/kernel the
series calls from arch/x86/virt; none of another architecture's folder), the files nearest the units' folders
read first, at most MAX_FILES; one two files equally near define is taken from neither. A static function of
another file is invisible to the caller's (gcc would not link it): never taken for the state's code, and said so.
What a taken function uses that its own file defines (a static helper, a macro, a type, a variable) is taken with
it, as its unit compiles it, but for a name the state's code itself uses and leaves undefined (the file's static of
that name is not the state's).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from harness.aliases import Alias, aliases
from harness.externconsts import extern_consts
from harness.filestate import FileState
from harness.kconfig import Impossible, StateKconfigs, impossible_options
from harness.sysheaders import INCLUDE_DIRS, BaseReader, Header, Lookup
from harness.treebuilt import Includers, built, guards, line_guards, required_option
from harness.treelinks import state_or_base
from harness.weakmarks import pragma_weak, weak, weak_decls
from models.lazyre import lazy
from models.loader import Source, definitions
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, CALL_AFTER, has_name

MAX_FILES = 16  # .c files read per state
# What Lookup.searched says when every .c file of the tree was searched (harness.coverage reads it).
ELSEWHERE = "nor defined in any other .c file of the tree at the base commit (git grep for a line starting it)"
MAX_FILE_BYTES = 256 * 1024  # as harness.sysheaders caps a header (the kernel's largest .c files are far past it)


@runtime_checkable
class Greps(Protocol):
    """A base reader that can list the .c files of folders naming a word (harness.gitbase.TreeReader)."""

    def __call__(self, path: str) -> FileState | None: ...

    def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None: ...


@runtime_checkable
class Finds(Protocol):
    """A base reader that can list the .c files anywhere in the tree with a line starting a definition of a
    function (harness.gitbase.TreeReader.defines; None: the search failed)."""

    def __call__(self, path: str) -> FileState | None: ...

    def defines(self, words: tuple[str, ...]) -> list[str] | None: ...


def _static(d: Definition) -> bool:
    """Whether a function's head, before its name, says ``static`` (internal linkage: no other file links it)."""
    return "static" in re.findall(r"\w+", d.text.split(d.name, 1)[0])


def _readable(got: FileState | None) -> str:
    """Why a .c file of the tree is not read, or "" when it is."""
    if got is None or got.absent or not got.complete or not got.usable:
        return "not readable"
    if sum(len(t) + 1 for t, _ in got.lines.values()) > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES >> 10} KiB, not read"
    return ""


def _with_own(table: Mapping[str, list[Definition]], names: frozenset[str], blocked: frozenset[str]) -> frozenset[str]:
    """``names`` and what their definitions use that the same file defines (its static helpers, macros, types,
    variables: the file's unit compiles the functions with them), transitively; never a name of ``blocked``, which
    the state's own code uses and nothing of it defines: the file's static of that name is not the state's."""
    out, todo = set(names), list(names)
    while todo:
        for d in table.get(todo.pop(), []):
            more = {u for u in d.identifiers() if u in table and u not in out and u not in blocked}
            out |= more
            todo.extend(more)
    return frozenset(out)


def _tables(paths: list[str], base: BaseReader, read: dict[str, FileState | None]
            ) -> tuple[list[tuple[FileState, dict[str, list[Definition]]]], list[str]]:
    """Each readable file of ``paths`` with its definitions (models.loader), and why each other is not read."""
    out: list[tuple[FileState, dict[str, list[Definition]]]] = []
    said: list[str] = []
    for path in paths:
        got = read[path] if path in read else read.setdefault(path, base(path))
        why = _readable(got)
        if why or got is None:
            said.append(f"{path}: {why}")
            continue
        out.append((got, definitions((Source(path, tuple((fr.start, fr.lines) for fr in got.fragments()), True),))))
    return out, said


def _exported(table: Mapping[str, list[Definition]], wanted: tuple[str, ...]) -> dict[str, list[Definition]]:
    """The functions of ``wanted`` a file's table defines, each with its definitions, and the variables (a
    declaration saying ``extern`` defines none)."""
    return {n: ds for n in wanted if (ds := [d for d in table.get(n, []) if d.kind is Kind.FUNCTION or (
        d.kind is Kind.VARIABLE and "extern" not in re.findall(r"\w+", d.text.split(d.name, 1)[0]))])}


def _shown(n: str, ds: list[Definition]) -> str:
    """A name as a message says it: a function's with ``()``."""
    return f"{n}()" if ds and ds[0].kind is Kind.FUNCTION else n


@runtime_checkable
class Includes(Protocol):
    """A base reader that can list the files of the tree that may include a file of a name
    (harness.gitbase.TreeReader.includers; None: the search failed)."""

    def __call__(self, path: str) -> FileState | None: ...

    def includers(self, name: str) -> list[str] | None: ...


_Found = tuple[FileState, dict[str, list[Definition]], str]  # a file, its table, the conditions taken as set ("")
# How kbuild is read: the Makefiles (the state's, else the tree's), the files that may include a .c file, and
# whether a CONFIG_ option can be set on x86-64 (harness.kconfig).
_Kbuild = tuple[BaseReader, Includers, Impossible]


def _weak_found(f: _Found, n: str) -> bool:
    """Whether the definition of ``n`` taken from a file (its first not static) is weak (its head says so, a
    ``#pragma weak`` of the file names it, or a declaration of the file gives it a weak attribute: weak_decls; one
    in a header the file includes is not read here)."""
    return any(weak(d) for d in f[1].get(n, []) if d.kind is Kind.FUNCTION and not _static(d)) \
        or n in pragma_weak(f[0]) or n in weak_decls(f[0])


def _strong_first(n: str, places: list[_Found], notes: dict[str, str]) -> list[_Found]:
    """Of the files defining ``n``, those whose definition is strong when there are any: ld links a strong one over
    a weak one (the weak ones' files said in ``notes[n]``)."""
    strong = [f for f in places if not _weak_found(f, n)]
    if not strong or len(strong) == len(places):
        return places
    _overridden(n, [f for f in places if f not in strong], strong[0], notes)
    return strong


def _overridden(n: str, weak_ones: list[_Found], strong: _Found, notes: dict[str, str]) -> None:
    """Say in ``notes[n]`` that ``strong``'s definition of ``n`` is linked over the weak ones of ``weak_ones``."""
    where = ", ".join(d.where for f in weak_ones for d in f[1][n] if d.kind is Kind.FUNCTION and not _static(d))
    notes[n] = f"{n}() at {where} is __weak: {strong[0].path}'s, a strong definition kbuild builds, is the one linked"


def _candidates(tables: list[tuple[FileState, dict[str, list[Definition]]]], wanted: tuple[str, ...],
                kbuild: _Kbuild, said: list[str]) -> dict[str, list[_Found]]:
    """Per name of ``wanted``, the files of ``tables`` that define it without ``static`` and that kbuild builds
    (harness.treebuilt, reading the Makefiles through ``kbuild``: the state's, as its patches leave them, else the
    tree's; a .c file no Makefile names is built by one of the files its second, the tree's files that may include
    it, that does), each with the CONFIG_ options that rests on; what else was seen is added to ``said``: a static
    one, one in a file not built or not known to be."""
    out: dict[str, list[_Found]] = {}
    for got, table in tables:
        funcs = _exported(table, wanted)
        said += _unexpanded(got, table, tuple(n for n in wanted if n not in funcs))
        names = [n for n, ds in funcs.items() if any(not _static(d) for d in ds)]
        said += [f"{_shown(n, ds)} is static in {ds[0].where}: no other file links it" for n, ds in funcs.items()
                 if n not in names]
        if not names:
            continue
        b = built(got.path, *kbuild)
        if not b.ok:
            said += [f"{_shown(n, funcs[n])} is defined in {funcs[n][0].where}, but {b.why}: not taken" for n in names]
            continue
        for n in names:
            d = next(d for d in funcs[n] if not _static(d))
            if (why := _unset_guard(got, d, kbuild[2])) is not None:
                said.append(f"{_shown(n, funcs[n])} is defined in {d.where}, but {why}: not taken")
                continue
            cond = "; ".join(filter(None, [b.why if b.options else "", guards(got, d)]))
            out.setdefault(n, []).append((got, table, cond))
    return out


def _unset_guard(got: FileState, d: Definition, impossible: Impossible) -> str | None:
    """Why ``d`` is in no x86-64 build: an ``#ifdef CONFIG_X`` around it of an option no such build sets
    (harness.kconfig); None otherwise."""
    for frame in line_guards(got, d.line):
        if (option := required_option(frame)) is not None and (why := impossible(option)) is not None:
            return f"it is under {frame}, which no x86-64 build sets ({why})"
    return None


_INVOCATION = lazy(r"([A-Za-z_]\w*)[ \t]*\((.*)")  # at the first column: a macro's invocation at file scope


def _unexpanded(got: FileState, table: Mapping[str, list[Definition]], names: tuple[str, ...]) -> list[str]:
    """Where a line of ``got`` invokes at file scope a macro its file does not define with one of ``names`` among the
    arguments (``DEFINE_SEAM(seam_kick);`` of a macro of a header it includes): it may make that function, which
    is not expanded (the file's headers are not read for it), so the function is not taken from it."""
    out = []
    for n in sorted(got.lines):
        m = _INVOCATION().match(got.lines[n][0])
        if m is None or m.group(1) in table or m.group(1).startswith(("EXPORT_", "MODULE_")):
            continue
        out += [f"{w}() may be made by {m.group(1)}() at {got.path}:{n}, a macro {got.path} does not define (a "
                "header's is not expanded): not taken" for w in names if has_name(m.group(2), w, BOUNDARY, BOUNDARY)]
    return out


def _headers(chosen: dict[str, list[_Found]], unknown: frozenset[str], via: str, notes: Mapping[str, str]
             ) -> list[Header]:
    """A Header per file of ``chosen`` (per name, the files taken and why) with the names taken from it; ``notes``:
    per name, what else its ``via`` says (a weak definition it is linked over)."""
    files: dict[str, tuple[FileState, dict[str, list[Definition]], list[str], list[str]]] = {}
    for n, places in chosen.items():
        for got, table, cond in places:
            entry = files.setdefault(got.path, (got, table, [], []))
            entry[2].append(n)
            entry[3].append(cond)
    out = []
    for got, table, names, conds in files.values():
        took = frozenset(names)
        assumes = "; ".join(dict.fromkeys(c for c in conds if c))
        said = "".join(f"; {notes[n]}" for n in sorted(took) if n in notes)
        out.append(Header(got, _with_own(table, took, unknown - took),
                          f"defined out of line in {got.path}, {via}" + (f"; {assumes}" if assumes else "") + said,
                          assumes))
    return out


def _unconditional_first(n: str, places: list[_Found], said: list[str]) -> list[_Found]:
    """Of the files defining ``n``, those built whatever the configuration when there are any (a configuration that
    also builds one needing an option has two definitions, and does not link), saying which were left."""
    plain = [f for f in places if not f[2]]
    if not plain or len(plain) == len(places):
        return places
    said.extend(f"{n}() in {got.path} rests on {cond}: {plain[0][0].path}'s, built whatever the configuration, is "
                "the one linked (a configuration building both does not link)" for got, _, cond in places if cond)
    return plain


BESIDE = "a .c file beside the units that no patch touches (git grep at the base commit)"
OTHER_FOLDER = ("a .c file of another folder than the units' that no patch touches (git grep of the tree's .c files "
                "for its definition at the base commit)")


def _beside(paths: list[str], wanted: tuple[str, ...], base: BaseReader, read: dict[str, FileState | None],
            kbuild: _Kbuild, notes: dict[str, str]
            ) -> tuple[dict[str, list[_Found]], list[str]]:
    """Per name of ``wanted``, the files beside the units defining it not static that kbuild builds (the strong
    ones when there are any, then those built whatever the configuration, when there are any), and what else was
    seen."""
    tables, said = _tables(paths, base, read)
    cands = _candidates(tables, wanted, kbuild, said)
    return {n: _unconditional_first(n, _strong_first(n, places, notes), said) for n, places in cands.items()}, said


def _nearness(path: str, folders: tuple[str, ...]) -> int:
    """How many leading folders ``path`` shares with the nearest of ``folders`` (arch/x86/kernel/a.c and
    arch/x86/virt: 2)."""
    parts = posixpath.dirname(path).split("/")

    def shared(folder: str) -> int:
        n = 0
        for a, b in zip(parts, folder.split("/"), strict=False):
            if a != b:
                break
            n += 1
        return n

    return max(shared(f) for f in folders)


# The architecture whose headers gcc reads (harness.sysheaders.INCLUDE_DIRS: arch/x86/include first).
_ARCH = INCLUDE_DIRS[0].split("/")[1]


def _this_arch(path: str) -> bool:
    """Whether a .c file may be linked into the build the include paths are of: no file of another architecture's
    folder (arch/arm64/kernel/foo.c is never built for x86)."""
    parts = path.split("/")
    return len(parts) < 3 or parts[0] != "arch" or parts[1] == _ARCH


def _elsewhere(wanted: tuple[str, ...], folders: tuple[str, ...], skip: frozenset[str], base: Finds,
               read: dict[str, FileState | None], only: tuple[frozenset[str], frozenset[str]],
               kbuild: _Kbuild, notes: dict[str, str]) -> tuple[dict[str, list[_Found]], str]:
    """Per name of ``wanted``, the .c file anywhere in the tree defining it not static to take (harness.gitbase
    _defines: a line starting the definition, or a macro's invocation naming it), the nearest to the units'
    ``folders`` first, at most MAX_FILES read; of those kbuild builds (harness.treebuilt), one built whatever the
    configuration before one needing a CONFIG_ option, then the nearest; a name two such files equally near define
    is taken from neither (which one kbuild links is the configuration's); a strong definition before any weak one
    (ld links it over them, the weak ones said in ``notes``). ``only``: names for which only one built whatever the
    configuration is taken (beside the units only a file needing an option defines it), and names for which only a
    strong one is (beside the units only weak ones are). ``skip``: the files already read (the state's, those
    beside its units). The text says what was searched and what was left."""
    hits = base.defines(wanted)
    if hits is None:
        return {}, "; the other .c files of the tree could not be searched for a definition (git grep failed)"
    paths = sorted((p for p in hits if p not in skip and _this_arch(p)), key=lambda p: (-_nearness(p, folders), p))
    tables, said = _tables(paths[:MAX_FILES], base, read)
    chosen: dict[str, list[_Found]] = {}
    plain_only, strong_only = only
    for n, places in _candidates(tables, wanted, kbuild, said).items():
        ranked = sorted((f for f in places if (not _weak_found(f, n) if n in strong_only else
                                               n not in plain_only or not f[2])),
                        key=lambda f: (_weak_found(f, n), bool(f[2]), -_nearness(f[0].path, folders)))
        if not ranked:
            continue
        best = ranked[0]
        if not _weak_found(best, n) and (weak_ones := [f for f in ranked if _weak_found(f, n)]):
            _overridden(n, weak_ones, best, notes)
            ranked = [f for f in ranked if not _weak_found(f, n)]
        near = [f for f in ranked if bool(f[2]) == bool(best[2])
                and _nearness(f[0].path, folders) == _nearness(best[0].path, folders)]
        if len(near) > 1:
            said.append(f"{n}() is defined in {near[0][0].path} and in {near[1][0].path}, as near to the units: which "
                        "one kbuild links is the configuration's, neither taken")
            continue
        if not best[2]:
            _unconditional_first(n, [f for f in ranked if f[2] and _nearness(f[0].path, folders)
                                     >= _nearness(best[0].path, folders)] + [best], said)
        chosen[n] = [best]
    if len(paths) > MAX_FILES:
        said.append(f"{len(paths) - MAX_FILES} more .c files that may define them not read (at most {MAX_FILES})")
    return chosen, f"; {ELSEWHERE}" + "".join(f"; {s}" for s in said)


def _includers(files: Mapping[str, FileState], base: BaseReader) -> Includers:
    """The files that may include a .c file of a name: the tree's that git grep finds naming it (when ``base`` can
    search), and the state's .c files (one a patch makes may include it)."""
    own = {p for p, f in files.items() if p.endswith(".c") and not f.absent}

    def find(name: str) -> list[str] | None:
        got = base.includers(name) if isinstance(base, Includes) else []
        return None if got is None and not own else sorted(own | set(got or ()))
    return find


def unit_definitions(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                     lookup: Lookup) -> Lookup:
    """``lookup`` with the out-of-line functions the tree's .c files give for names it left unknown: those beside
    the state's units first (kbuild builds a folder's files alongside), then, for what those leave, any .c file of
    the tree with a line starting its definition (a helper of arch/x86/kernel called from arch/x86/virt); each file
    a Header whose ``via`` says where it was found, those names no longer unknown, and ``searched`` saying what else
    was looked at: the files searched, a static function found, a file not read."""
    # Only what is called (or named nowhere: a matrix entry point): a type or a constant is no function to link.
    text = "\n".join(t for f in files.values() if f.path.endswith((".c", ".h")) for t, _ in f.lines.values())
    wanted = tuple(sorted({n for n in lookup.unknown if has_name(text, n, BOUNDARY, CALL_AFTER)
                           or not has_name(text, n, BOUNDARY, BOUNDARY)} | extern_consts(files)))
    folders = tuple(sorted({posixpath.dirname(p) for p, f in files.items() if p.endswith(".c") and not f.absent}))
    if not wanted or not folders or not isinstance(base, Greps):
        return lookup
    where = ", ".join(f"{f}/*.c" if f else "*.c" for f in folders)
    hits = base.grep(wanted, folders)
    if hits is None:  # never said searched when it was not
        return Lookup(lookup.headers, lookup.unknown, f"{lookup.searched}; the .c files of {where} could not be "
                                                      "searched (git grep failed)", lookup.read)
    paths = [p for p in hits if p not in files]
    # The Makefiles (and the files that may include a .c file) as the state's patches leave them.
    kbuild = (state_or_base(dict(files), base, read), _includers(files, base),
              impossible_options(StateKconfigs(files, base)))  # the series' own Kconfig lines count
    notes: dict[str, str] = {}
    near, said = _beside(paths[:MAX_FILES], wanted, base, read, kbuild, notes)
    if len(paths) > MAX_FILES:
        said.append(f"{len(paths) - MAX_FILES} more .c files naming them not read (at most {MAX_FILES})")
    # Beside the units only a file needing a CONFIG_ option defines it: one built whatever the configuration
    # elsewhere is the one linked (a configuration building both has two, which does not link).
    conditional = frozenset(n for n, fs in near.items() if all(f[2] for f in fs))
    # Beside the units only weak ones: a strong one anywhere else that kbuild builds is the one ld links.
    weak_only = frozenset(n for n, fs in near.items() if all(_weak_found(f, n) for f in fs))
    left = tuple(n for n in wanted if n not in near or n in conditional | weak_only)
    far: dict[str, list[_Found]] = {}
    further = ""
    if left and isinstance(base, Finds):
        far, further = _elsewhere(left, folders, frozenset(files) | frozenset(paths), base, read,
                                  (conditional - weak_only, weak_only), kbuild, notes)
    for n in weak_only & far.keys():
        _overridden(n, near.pop(n), far[n][0], notes)
    for n in (conditional - weak_only) & far.keys():
        _unconditional_first(n, near.pop(n) + far[n], said)
    _aliased(_alias_of(wanted, files, read, kbuild), (near, far), said, notes)
    taken = _headers(near, lookup.unknown, BESIDE, notes) + _headers(far, lookup.unknown, OTHER_FOLDER, notes)
    found = frozenset().union(*(h.names for h in taken))
    unknown = lookup.unknown - found
    searched = lookup.searched + (f"; nor in the .c files of {where} at the base commit" if unknown else "") \
        + "".join(f"; {s}" for s in said if unknown) + (further if unknown else "")
    return Lookup(lookup.headers + tuple(taken), unknown, searched if unknown else "", lookup.read)


def _alias_of(wanted: tuple[str, ...], files: Mapping[str, FileState], read: Mapping[str, FileState | None],
              kbuild: _Kbuild) -> dict[str, Alias]:
    """Per name of ``wanted``, the first alias of it (harness.aliases) that a .c file of the state makes, or one of
    the tree's read so far (``read``: those searched for definitions) that kbuild builds."""
    want, out = set(wanted), dict[str, Alias]()
    tree = sorted((p, f) for p, f in read.items() if f is not None and p.endswith(".c") and p not in files)
    for p, f in sorted(files.items()) + tree:
        if not p.endswith(".c") or f.absent or not f.usable:
            continue
        hits = {n: a for n, a in aliases(f).items() if n in want and n not in out}
        if hits and (p in files or built(p, *kbuild).ok):
            out.update(hits)
    return out


def _aliased(found: Mapping[str, Alias], chosen: tuple[dict[str, list[_Found]], ...], said: list[str],
             notes: dict[str, str]) -> None:
    """Decide each name an alias makes as ld links it: a weak alias gives way to a strong definition kbuild builds
    (said in ``notes``); otherwise the alias is the symbol (a strong one over a weak definition), two are (a link
    error), or which is not known (two weak ones: link order): the name is taken from no file (popped from
    ``chosen``), and why is added to ``said``. The mirror has no alias of its own to run."""
    for n, a in found.items():
        place = next((c for c in chosen if n in c), None)
        if place is None:
            said.append(f"{a.said()}, an alias the mirror does not model: not taken")
            continue
        best = place[n][0]
        strong = not _weak_found(best, n)
        if a.weak and strong:
            notes[n] = f"{a.said()}: {best[0].path}'s, a strong definition kbuild builds, is the one linked"
            continue
        place.pop(n)
        why = ("two strong definitions do not link (ld: multiple definition)" if strong else
               "which of two weak ones ld links is their order" if a.weak else
               "ld links the alias over that weak one, and the mirror does not model an alias")
        said.append(f"{a.said()}, and {best[0].path} defines it {'without static' if strong else 'weak'}: {why}, "
                    "neither taken")
