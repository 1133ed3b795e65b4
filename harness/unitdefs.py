"""Functions a tree's .c files define out of line for the patched code: what kbuild links in beside its units.

A name the state's code calls that no file of the state, no header and no prelude defines may be the function of
another .c file that no patch touches (a helper's body kept in seamcall.c, its prototype in a header). kbuild
compiles a folder's .c files alongside, and the linker resolves such a call to the one that defines the function
without ``static``. So, with a tree, the .c files directly in the folders of the state's .c files are searched
at the base commit (``git grep -w``, harness.gitbase.TreeReader), at most MAX_FILES of them, none over
MAX_FILE_BYTES, and the functions they define that are not static are taken for those names (models.loader
Source.only, as a <...> header's). A static function of another file is invisible to the caller's (gcc would
not link it): never taken for the state's code, and said so. What a taken function uses that its own file defines
(a static helper, a macro, a type, a variable) is taken with it, as its unit compiles it, but for a name the
state's code itself uses and leaves undefined (the file's static of that name is not the state's).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from harness.filestate import FileState
from harness.sysheaders import BaseReader, Header, Lookup
from models.loader import Source, definitions
from models.slicer import Definition, Kind

MAX_FILES = 16  # .c files read per state
MAX_FILE_BYTES = 256 * 1024  # as harness.sysheaders caps a header (the kernel's largest .c files are far past it)


@runtime_checkable
class Greps(Protocol):
    """A base reader that can list the .c files of folders naming a word (harness.gitbase.TreeReader)."""

    def __call__(self, path: str) -> FileState | None: ...

    def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None: ...


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


def unit_definitions(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                     lookup: Lookup) -> Lookup:
    """``lookup`` with the out-of-line functions the tree's .c files beside the state's units give for names it
    left unknown (each file a Header whose ``via`` says where it was found), those names no longer unknown, and
    ``searched`` saying what else was looked at: the files searched, a static function found, a file not read."""
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
    taken: list[Header] = []
    said: list[str] = []
    for path in paths[:MAX_FILES]:
        got = read[path] if path in read else read.setdefault(path, base(path))
        why = _readable(got)
        if why or got is None:
            said.append(f"{path}: {why}")
            continue
        src = Source(path, tuple((fr.start, fr.lines) for fr in got.fragments()), True)
        table = definitions((src,))
        funcs = {n: [d for d in table.get(n, []) if d.kind is Kind.FUNCTION] for n in wanted}
        names = frozenset(n for n, ds in funcs.items() if any(not _static(d) for d in ds))
        said += [f"{n}() is static in {ds[0].where}: no other file links it" for n, ds in funcs.items()
                 if ds and n not in names]
        if names:
            taken.append(Header(got, _with_own(table, names, lookup.unknown - names), f"defined out of line in {path}, "
                                "a .c file beside the units that no patch touches (git grep at the base commit)"))
    if len(paths) > MAX_FILES:
        said.append(f"{len(paths) - MAX_FILES} more .c files naming them not read (at most {MAX_FILES})")
    found = frozenset().union(*(h.names for h in taken))
    unknown = lookup.unknown - found
    searched = lookup.searched + (f"; nor in the .c files of {where} at the base commit" if unknown else "") \
        + "".join(f"; {s}" for s in said if unknown)
    return Lookup(lookup.headers + tuple(taken), unknown, searched if unknown else "", lookup.read)
