"""The code around what a patch changes (users and callees), for choosing the matrix.

A macro, constant or header helper's users, and what a changed function calls.
"""

from __future__ import annotations

import os.path
from collections.abc import Callable, Iterable, Iterator

from harness.diffmodel import Hunk, LineKind
from harness.memo import Table, by_identity
from harness.model import Patch, Series
from harness.variants import Variant
from models.loader import sliced
from models.slicer import Definition, Kind


def changed_definitions(series: Series, patches: Iterable[Patch] | None = None) -> set[str]:
    """The names of the definitions a .c/.h hunk of the series (or of ``patches``) changes: each hunk's lines sliced
    as the slicer slices a file (its old side and its new side), a definition counted when a removed or added line is
    in it."""
    out: set[str] = set()
    for p in series.all_patches() if patches is None else patches:
        for f in p.files:
            if f.path.endswith((".c", ".h")):
                for h in f.hunks:
                    out.update(_changed_once(f.path, h))
    return out


def prefixed_files(series: Series) -> set[str]:
    """The .c/.h files a hunk of the series changes the ``pr_fmt`` definition of: every ``pr_*()`` call below it in
    the translation unit prints with it (include/linux/printk.h), though none names it, so each definition of such
    a file is code the change reaches."""
    return {f.path for p in series.all_patches() for f in p.files if f.path.endswith((".c", ".h"))
            for h in f.hunks if "pr_fmt" in _changed_once(f.path, h)}


# _changed_in's names per hunk, in a table of their own (an entry per hunk: a long series' would fill the shared one).
_CHANGED: Table = {}


def _changed_once(path: str, hunk: Hunk) -> tuple[str, ...]:
    """_changed_in, worked out once per hunk object: every variant's patches ask again of the hunks they share."""
    return by_identity("changed in hunk", (hunk,), (path,), lambda: tuple(_changed_in(path, hunk)), _CHANGED)


def _changed_in(path: str, hunk: Hunk) -> Iterator[str]:
    for side, start, kind in ((0, hunk.source_start, LineKind.REMOVED), (1, hunk.target_start, LineKind.ADDED)):
        lines = [ln for ln in hunk.lines if ln.kind is kind or ln.kind is LineKind.CONTEXT]
        numbers = {(ln.source_no, ln.target_no)[side] for ln in lines if ln.kind is kind}
        for d in sliced(path, start, tuple(ln.text for ln in lines)):
            span = range(d.line, d.line + d.text.count("\n") + 1)
            if d.kind is not Kind.PROTOTYPE and any(n in span for n in numbers):
                yield d.name


def enclosing_definitions(series: Series, defs: list[Definition]) -> set[str]:
    """The definitions a hunk's changed lines lie deep in, whose head the hunk does not show (so no slice of its
    lines is one): a definition of ``defs`` in the hunk's file holding each changed line of one side at that
    line's number, as a state before or after the patch has it (its text and its place both: a line alike
    elsewhere names nothing)."""
    by_path: dict[str, list[Definition]] = {}
    for d in defs:
        by_path.setdefault(d.path, []).append(d)
    out: set[str] = set()
    for p in series.all_patches():
        for f in p.files:
            for h in f.hunks if f.path.endswith((".c", ".h")) else ():
                for side, kind in ((0, LineKind.REMOVED), (1, LineKind.ADDED)):
                    changed = [((ln.source_no, ln.target_no)[side], ln.text) for ln in h.lines if ln.kind is kind]
                    out.update(d.name for d in by_path.get(f.path, ()) if changed and _holds(d, changed))
    return out


def _holds(d: Definition, changed: list[tuple[int | None, str]]) -> bool:
    """Whether ``d`` has each of the lines at its number (a comment-only line: anything, its text is blanked)."""
    lines = d.text.splitlines()
    return all(n is not None and 0 <= n - d.line < len(lines) and (" ".join(lines[n - d.line].split()) == _code(t)
                                                                  or not _code(t)) for n, t in changed)


def _code(line: str) -> str:
    """A line's code, spacing collapsed; "" for a blank or comment-only line (a definition's text has its comments
    blanked)."""
    text = " ".join(line.split())
    return "" if text.startswith(("/*", "*", "//")) else text


def definitions(variants: Iterable[Variant]) -> list[Definition]:
    """Every definition (no prototype) the states' .c/.h files hold, as far as each is known (a tree: whole)."""
    return [d for v in variants for f in v.files if f.path.endswith((".c", ".h")) and not f.absent
            for fr in f.fragments() for d in sliced(f.path, fr.start, fr.lines) if d.kind is not Kind.PROTOTYPE]


def users_of(changed: set[str], defs: list[Definition]) -> set[str]:
    """Every definition of ``defs`` (definitions()) that uses a changed name, directly or through another such
    user (a format macro used by a printer, the printer by the macro that calls it), as the parsed code says."""
    return _fixpoint(changed, defs)


def callees_of(changed: set[str], defs: list[Definition]) -> tuple[set[str], list[tuple[str, tuple[str, ...]]]]:
    """The changed definitions as ``defs`` hold them (whole, where a tree gives the file: lines no hunk shows) and
    what they use, directly or not, where ``defs`` define it (a helper the changed caller calls, defined in lines
    no hunk of the patch shows): every name those definitions use, and each one's text as (name, lines),
    harness.seamcode's hunk shape. A patch that edits only such a caller runs that code."""
    by_name: dict[str, list[Definition]] = {}
    for d in defs:
        by_name.setdefault(d.name, []).append(d)
    reached: dict[str, None] = {}
    todo = sorted(changed, reverse=True)
    while todo:
        name = todo.pop()
        if name in reached or name not in by_name:
            continue
        reached[name] = None
        todo.extend(n for d in by_name[name] for n in sorted(d.names_used()))
    used = {n for name in reached for d in by_name[name] for n in d.names_used()} | set(reached)
    return used, [(d.name, tuple(d.text.splitlines())) for name in reached for d in by_name[name]]


MAX_TREE_FILES = 16  # files of a tree read per base for users of what the hunks change (tree_users)
MAX_TREE_WORDS = 64  # changed names searched for


def tree_users(changed: set[str], near: tuple[str, ...], tree: Iterable[tuple[Callable[[tuple[str, ...]],
               list[str] | None], Callable[[str], str | None]]]) -> tuple[set[str], list[tuple[str, tuple[str, ...]]]]:
    """users_of ``changed`` in the .c and .h files of each base commit (``tree``: its search for the files naming
    some words, harness.gitbase.TreeReader.naming, and its reader of a file's text) that name a changed name: a
    header's macro or helper a patch changes is used in files no patch touches nor the states read (tdx.c's retry
    loop reading RDRAND_RETRY_LOOPS of asm/archrandom.h). At most MAX_TREE_FILES files a base, those sharing the
    longest folder with a patched file (``near``) first; the users and their code, as callees_of gives them."""
    words = tuple(sorted(changed))[:MAX_TREE_WORDS]
    users: set[str] = set()
    code: list[tuple[str, tuple[str, ...]]] = []
    for naming, read in tree:
        found = naming(words) or []
        found.sort(key=lambda path: (-max((len(os.path.commonpath([path, p])) for p in near), default=0), path))
        defs = [d for path in found[:MAX_TREE_FILES] if (text := read(path)) is not None
                for d in sliced(path, 1, tuple(text.splitlines())) if d.kind is not Kind.PROTOTYPE]
        more = _fixpoint(changed, defs)
        users |= more
        code += [(d.name, tuple(d.text.splitlines())) for d in defs if d.name in more]
    return users, code


def _fixpoint(changed: set[str], defs: list[Definition]) -> set[str]:
    found: set[str] = set()
    reached = set(changed)
    while True:
        new = {d.name for d in defs if d.name not in reached and d.names_used() & reached}
        if not new:
            return found
        found |= new
        reached |= new
