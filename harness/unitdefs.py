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

from harness.filestate import FileState
from harness.sysheaders import INCLUDE_DIRS, BaseReader, Header, Lookup
from models.loader import Source, definitions
from models.slicer import Definition, Kind

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
    """The functions of ``wanted`` a file's table defines, each with its definitions."""
    return {n: ds for n in wanted if (ds := [d for d in table.get(n, []) if d.kind is Kind.FUNCTION])}


def _beside(paths: list[str], wanted: tuple[str, ...], base: BaseReader, read: dict[str, FileState | None],
            unknown: frozenset[str]) -> tuple[list[Header], list[str]]:
    """The Headers of the files beside the units defining some of ``wanted`` not static, and what else was seen."""
    taken: list[Header] = []
    tables, said = _tables(paths, base, read)
    for got, table in tables:
        funcs = _exported(table, wanted)
        names = frozenset(n for n, ds in funcs.items() if any(not _static(d) for d in ds))
        said += [f"{n}() is static in {ds[0].where}: no other file links it" for n, ds in funcs.items()
                 if n not in names]
        if names:
            taken.append(Header(got, _with_own(table, names, unknown - names), f"defined out of line in {got.path}, "
                                "a .c file beside the units that no patch touches (git grep at the base commit)"))
    return taken, said


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
               read: dict[str, FileState | None], unknown: frozenset[str]) -> tuple[list[Header], str]:
    """The Headers of .c files anywhere in the tree defining some of ``wanted`` not static (harness.gitbase
    _defines: a line starting the definition), the nearest to the units' ``folders`` first, at most MAX_FILES read;
    a name two files equally near define is taken from neither (which one kbuild links is the configuration's);
    ``skip``: the files already read (the state's, those beside its units). The text says what was searched and
    what was left."""
    hits = base.defines(wanted)
    if hits is None:
        return [], "; the other .c files of the tree could not be searched for a definition (git grep failed)"
    paths = sorted((p for p in hits if p not in skip and _this_arch(p)), key=lambda p: (-_nearness(p, folders), p))
    tables, said = _tables(paths[:MAX_FILES], base, read)
    owner: dict[str, list[tuple[int, FileState]]] = {}
    for got, table in tables:
        for n, ds in _exported(table, wanted).items():
            if any(not _static(d) for d in ds):
                owner.setdefault(n, []).append((_nearness(got.path, folders), got))
    names: dict[str, list[str]] = {}
    for n, places in owner.items():
        near = [got for k, got in places if k == places[0][0]]
        if len(near) > 1:
            said.append(f"{n}() is defined in {near[0].path} and in {near[1].path}, as near to the units: which one "
                        "kbuild links is the configuration's, neither taken")
        else:
            names.setdefault(near[0].path, []).append(n)
    taken = [Header(got, _with_own(table, frozenset(names[got.path]), unknown - frozenset(names[got.path])),
                    f"defined out of line in {got.path}, a .c file of another folder than the units' that no patch "
                    "touches (git grep of the tree's .c files for its definition at the base commit)")
             for got, table in tables if got.path in names]
    if len(paths) > MAX_FILES:
        said.append(f"{len(paths) - MAX_FILES} more .c files that may define them not read (at most {MAX_FILES})")
    return taken, f"; {ELSEWHERE}" + "".join(f"; {s}" for s in said)


def unit_definitions(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                     lookup: Lookup) -> Lookup:
    """``lookup`` with the out-of-line functions the tree's .c files give for names it left unknown: those beside
    the state's units first (kbuild builds a folder's files alongside), then, for what those leave, any .c file of
    the tree with a line starting its definition (a helper of arch/x86/kernel called from arch/x86/virt); each file
    a Header whose ``via`` says where it was found, those names no longer unknown, and ``searched`` saying what else
    was looked at: the files searched, a static function found, a file not read."""
    # Only what is called (or named nowhere: a matrix entry point): a type or a constant is no function to link.
    text = "\n".join(t for f in files.values() if f.path.endswith((".c", ".h")) for t, _ in f.lines.values())
    wanted = tuple(sorted(n for n in lookup.unknown if re.search(rf"\b{re.escape(n)}\s*\(", text)
                          or not re.search(rf"\b{re.escape(n)}\b", text)))
    folders = tuple(sorted({posixpath.dirname(p) for p, f in files.items() if p.endswith(".c") and not f.absent}))
    if not wanted or not folders or not isinstance(base, Greps):
        return lookup
    where = ", ".join(f"{f}/*.c" if f else "*.c" for f in folders)
    hits = base.grep(wanted, folders)
    if hits is None:  # never said searched when it was not
        return Lookup(lookup.headers, lookup.unknown, f"{lookup.searched}; the .c files of {where} could not be "
                                                      "searched (git grep failed)", lookup.read)
    paths = [p for p in hits if p not in files]
    taken, said = _beside(paths[:MAX_FILES], wanted, base, read, lookup.unknown)
    if len(paths) > MAX_FILES:
        said.append(f"{len(paths) - MAX_FILES} more .c files naming them not read (at most {MAX_FILES})")
    found = frozenset().union(*(h.names for h in taken))
    left = tuple(n for n in wanted if n not in found)
    further = ""
    if left and isinstance(base, Finds):
        more, further = _elsewhere(left, folders, frozenset(files) | frozenset(paths), base, read, lookup.unknown)
        taken += more
        found = frozenset().union(*(h.names for h in taken))
    unknown = lookup.unknown - found
    searched = lookup.searched + (f"; nor in the .c files of {where} at the base commit" if unknown else "") \
        + "".join(f"; {s}" for s in said if unknown) + (further if unknown else "")
    return Lookup(lookup.headers + tuple(taken), unknown, searched if unknown else "", lookup.read)
