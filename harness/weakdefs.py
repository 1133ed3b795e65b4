"""With a tree, a weak function of the state's own files that another .c file of the tree, one kbuild builds,
defines strong: ld links that one, so a run of the weak one is no run of the kernel's code.

``u64 __weak seam_retry(...)`` in a file a patch touches is a default: where another object file defines the
function without the attribute (an architecture's override), the linker resolves every call to that one, and the
default is never run. The mirror reads the state's file whole and would run its default; an entry point reaching
it is refused, naming the strong definition (harness.runner, ErrorKind.UNSUPPORTED), never run as the kernel's.
The strong definitions are looked for as harness.unitdefs looks for an out-of-line function (``git grep`` of the
tree's .c files for a line starting one, at the base commit, this architecture's, at most MAX_FILES read; built as
harness.treebuilt says, its CONFIG_ options taken as set, as everywhere). An override in an assembly file (``.S``)
or made by ``#pragma weak`` is not looked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.filestate import FileState
from harness.kconfig import impossible_options
from harness.sysheaders import BaseReader, Lookup
from harness.treelinks import state_or_base
from harness.unitdefs import (
    MAX_FILES,
    Finds,
    _candidates,
    _includers,
    _static,
    _tables,
    _this_arch,
    _weak_found,
    weak,
)
from models.loader import EntryPoint, Source, definitions, provenance_of
from models.outcome import ErrorKind
from models.slicer import Definition, Kind

if TYPE_CHECKING:
    from harness.variants import Variant

_MARK = ("__weak", "weak")  # a line holding neither has no weak definition: the file is not sliced for one


def weak_overrides(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                   lookup: Lookup) -> Lookup:
    """``lookup`` with ``overridden``: per weak function the state's .c and .h files define (not static), the words
    for the strong definition the tree builds elsewhere, where there is one ('seam_retry() at x/tdx.c:3 is __weak,
    and z/strong.c:1 defines it strong, which kbuild builds: ld links that one, not the __weak one the mirror would
    run'). Unchanged where the state has no weak function or the tree cannot be searched."""
    own = _weak_functions(files)
    added = _added_functions(files, base, read) if isinstance(base, Finds) else {}
    if not (own or added) or not isinstance(base, Finds):
        return lookup
    hits = base.defines(tuple(sorted(own.keys() | added.keys())))
    if not hits:
        return lookup
    paths = [p for p in hits if p not in files and _this_arch(p)]
    tables, said = _tables(paths[:MAX_FILES], base, read)
    kbuild = (state_or_base(dict(files), base, read), _includers(files, base), impossible_options(base))
    out: list[tuple[str, str]] = []
    for n, places in sorted(_candidates(tables, tuple(sorted(own.keys() | added.keys())), kbuild, said).items()):
        strong = [f for f in places if not _weak_found(f, n)]
        if not strong:
            continue
        _, table, cond = strong[0]
        where = next(d.where for d in table[n] if d.kind is Kind.FUNCTION and not weak(d))
        built = f"which kbuild builds{f' ({cond})' if cond else ''}"
        if n in own:
            out.append((n, f"{n}() at {own[n]} is __weak, and {where} defines it strong, {built}: ld links that one, "
                           "not the __weak one the mirror would run"))
        elif n in added:
            out.append((n, f"{n}() at {added[n]}, which the patches add, is also defined at {where} without static, "
                           f"{built}: two strong definitions in one kernel do not link (ld: multiple definition), "
                           "unless they go to different modules"))
    return replace(lookup, overridden=lookup.overridden + tuple(out)) if out else lookup


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


def _weak_functions(files: Mapping[str, FileState]) -> dict[str, str]:
    """Per weak function the state's C files define (not static), where its definition is."""
    out: dict[str, str] = {}
    for path, f in sorted(files.items()):
        if f.absent or not f.usable or not path.endswith((".c", ".h")) \
                or not any(m in t for t, _ in f.lines.values() for m in _MARK):
            continue
        table = definitions((Source(path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete),))
        for n, ds in table.items():
            found = [d for d in ds if d.kind is Kind.FUNCTION and weak(d) and "static" not in d.text.split(n)[0]]
            if found:
                out.setdefault(n, found[0].where)
    return out


def weak_problems(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                  ) -> dict[str, tuple[ErrorKind, str]]:
    """Entry points whose code reaches a weak function of the state that the tree defines strong elsewhere
    (``v.headers.overridden``): not known, the kernel runs the other one (ErrorKind.UNSUPPORTED), with why."""
    over = dict(v.headers.overridden)
    if not over:
        return {}
    out: dict[str, tuple[ErrorKind, str]] = {}
    for e in entries:
        hit = next((name for name, _, _ in provenance_of(sources, (e,)) if name in over), None)
        if hit is not None:
            weak = f"{hit}() at " in over[hit] and " is __weak, " in over[hit]  # else two strong ones (ld refuses)
            head = "not the kernel's code" if weak else "not known to link"
            out[e.name] = (ErrorKind.UNSUPPORTED, f"{head}: {e.name}() reaches {hit}(); {over[hit]}")
    return out
