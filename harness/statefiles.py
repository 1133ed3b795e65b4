"""What a state reads beside its patched files: included headers, a tree's units, how they link.

The headers its files include, a tree's headers and units, and how its units link (harness.linking).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import cast

from harness.diffmodel import PatchedFile
from harness.filestate import FileState
from harness.linkcallers import with_callers
from harness.linking import (
    UnitLink,
    created_c_files,
    missing_includes,
    removed_files,
    stale_includes,
    stale_objects,
    unit_links,
)
from harness.memo import Table, by_identity
from harness.model import Patch
from harness.sysheaders import INCLUDE_DIRS, NO_HEADERS, Lookup, system_headers
from harness.treelinks import state_or_base, through_links
from models.record import record

BaseReader = Callable[[str], FileState | None]
# Headers a state's files include with #include "..." that a tree supplies, at most this many per state.
MAX_INCLUDED = 64


def stored_blobs(base: BaseReader) -> Callable[[str], bytes | None] | None:
    """How to read a blob by its id from the base's repository (harness.gitbase.TreeReader.stored); None for a
    base read from no repository (mail alone)."""
    return cast("Callable[[str], bytes | None] | None", getattr(base, "stored", None))


@record
class _Overlay:
    """A base whose files some paths' reader answers first; blobs by id still from the base's repository."""

    read: BaseReader
    stored: Callable[[str], bytes | None] | None

    def __call__(self, path: str) -> FileState | None:
        return self.read(path)


def overlaid(base: BaseReader, read: BaseReader) -> BaseReader:
    """``read`` (which answers some paths itself and asks ``base`` the rest) as a base that keeps ``base``'s blob
    store (stored_blobs): git apply takes a binary patch's new blob from the repository whatever a state leaves
    out of the tree's files, so a reviewer variant or a reply diff's states read it as a revision's do."""
    return _Overlay(read, stored_blobs(base))


def local_includes(f: FileState) -> list[tuple[int, str, str]]:
    """(line, path, as written) of a file's known ``#include "..."`` lines, the path resolved next to the file
    (where gcc looks for a quoted include first); one that would leave the tree is left out. A new list each call,
    worked out once per file state object (the states of a series share the files no patch between them touches, and
    pr_fmt and the headers read ask again)."""
    return list(by_identity("local includes", (f,), (), partial(_local_includes, f), _INCLUDES))


# local_includes' answers, in a table of their own (an entry per file state: a long series' would fill the shared one).
_INCLUDES: Table = {}


def _local_includes(f: FileState) -> tuple[tuple[int, str, str], ...]:
    out = []
    for n, (bracket, name) in sorted(f.includes.items()):  # as gcc reads them: '#inc\\' then 'lude "x.h"' too
        if bracket == '"':
            path = posixpath.normpath(posixpath.join(posixpath.dirname(f.path), name))
            if not path.startswith("../"):
                out.append((n, path, name))
    return tuple(out)


def with_local_headers(files: dict[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                       units: tuple[str, ...] = ()) -> dict[str, FileState]:
    """A state's files and the headers they include with ``#include "..."`` (transitively, at most
    MAX_INCLUDED) that the base supplies whole though no patch touches them: a macro, type or helper the
    patched code uses may be defined there (a tree's arch/x86/virt/vmx/tdx/tdx.h). A quoted include is
    looked up next to the file that includes it first (gcc's rule), which is all this follows: ``<...>``
    headers come from the kernel's include paths, thousands of files, of which harness.sysheaders reads only
    what names nothing else defines need (header_lookup). ``read``
    remembers what the base gave for each path across states; a symlink is followed within the tree
    (harness.treelinks). ``units``: files read whole from the base
    too when no patch touches them (the matrix's translation units, whose code uses the patched headers); one
    the tree lacks is put in known absent (harness.rununits.unit_absent: its scenarios are not provided, never run
    with an assumed pr_fmt)."""
    out = dict(files)
    for path in units:
        if path not in out:
            got = through_links(path, state_or_base(files, base, read))
            if got is not None and got.absent:  # the tree has no such file: nothing is built there, nor run
                out[path] = got
            elif got is not None and got.complete and got.usable:
                out[path] = replace(got, provenance=(*got.provenance, "a translation unit of the matrix"),
                                    included=True)
    todo = [f for f in out.values() if f.path.endswith((".c", ".h"))]
    while todo and len(out) - len(files) < MAX_INCLUDED:
        f = todo.pop(0)
        for _, path, written in local_includes(f):
            if path in out or len(out) - len(files) >= MAX_INCLUDED:
                continue
            got = through_links(path, state_or_base(out, base, read))
            if got is not None and got.complete and got.usable and not got.absent:
                out[path] = replace(got, provenance=(*got.provenance, f"#include \"{written}\" in {f.path}"),
                                    included=True)
                todo.append(out[path])
    return out


def header_lookup(state: dict[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                  tree: bool, entries: tuple[str, ...] = ()) -> Lookup:
    """harness.sysheaders.system_headers with a tree, and the functions the tree's .c files beside the state's units
    define out of line for what those left unknown (harness.unitdefs); nothing without one (mail alone)."""
    if not tree:
        return NO_HEADERS
    from harness.kconfigbranch import misread_configs
    from harness.primdecls import checked_headers
    from harness.unitdefs import unit_definitions
    from harness.weakdefs import weak_overrides

    found = unit_definitions(state, base, read, system_headers(state, base, read, entries))
    return checked_headers(state, base, read, misread_configs(state, base, read, weak_overrides(state, base, read,
                                                                                                   found)))


def state_links(state: dict[str, FileState], files: Sequence[PatchedFile], base: BaseReader,
                read: dict[str, FileState | None], tree: bool) -> tuple[UnitLink, ...]:
    """harness.linking.unit_links of a state made by the patch ``files`` (the tree's Makefiles read with ``tree``),
    and what a file they took away leaves behind: a Makefile line naming its object, a .c file including it."""
    folds = _Folds().then(files)
    return _links(state, folds, base, read, tree)


@record
class _Folds:
    """What patch files did to paths, folded in order (harness.linking): the .c files they brought and the
    paths they took away, every path they touched and those they made (new, a rename's or copy's target)."""

    created: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    touched: frozenset[str] = frozenset()
    made: frozenset[str] = frozenset()

    def then(self, files: Sequence[PatchedFile]) -> _Folds:
        """These folds with ``files`` after them: a prefix's, carried one patch on (no prefix folded again)."""
        if not files:
            return self
        return _Folds(frozenset(created_c_files(files, self.created)), frozenset(removed_files(files, self.removed)),
                      self.touched | {pf.path for pf in files},
                      self.made | {pf.path for pf in files if pf.is_new or pf.is_rename or pf.copy})


def _links(state: dict[str, FileState], folds: _Folds, base: BaseReader, read: dict[str, FileState | None],
           tree: bool, later: Callable[[str], str | None] | None = None) -> tuple[UnitLink, ...]:
    def from_tree(path: str) -> FileState | None:
        return read[path] if path in read else read.setdefault(path, base(path))

    missing = missing_includes(state, folds.touched, from_tree, INCLUDE_DIRS) if tree else ()
    if not folds.created and not folds.removed and later is None:
        return missing
    links = unit_links(state, set(folds.created), set(folds.touched), from_tree if tree else None, folds.made)
    links = with_callers(links, state, set(folds.touched), from_tree if tree else None)
    gone = set(folds.removed)
    links += stale_objects(state, gone, from_tree if tree else None) + stale_includes(state, gone, links, later)
    said = {u.path for u in links}  # a header a later patch creates is said so, not as missing from the tree
    return links + tuple(u for u in missing if u.path not in said)


def prefix_links(states: list[dict[str, FileState]], patches: Sequence[Patch], base: BaseReader,
                  read: dict[str, FileState | None], tree: bool) -> list[tuple[UnitLink, ...]]:
    """state_links of each prefix's state (``states[k]``: the first k patches applied), its folds carried from the
    prefix before rather than worked out from patch 1 again (2,000 patches: 6 s of 10 in `eval`)."""
    out, folds = [], _Folds()
    made_by = _made_by(patches)
    last = max(made_by.values(), default=(-1, ""))[0]
    for k, state in enumerate(states):
        folds = folds.then(patches[k - 1].files) if k else folds
        later = partial(_made_later, made_by, k) if k <= last else None
        out.append(_links(state, folds, base, read, tree, later))
    return out


def _made_by(patches: Sequence[Patch]) -> dict[str, tuple[int, str]]:
    """Each path a patch creates (``new file``) -> (its index, its label), the first such patch."""
    out: dict[str, tuple[int, str]] = {}
    for i, p in enumerate(patches):
        for pf in p.files:
            if pf.is_new:
                out.setdefault(pf.target_path or pf.path, (i, f"v{p.mail.subject.version} {p.label}"))
    return out


def _made_later(made_by: dict[str, tuple[int, str]], k: int, path: str) -> str | None:
    """The label of the patch past the first ``k`` that creates ``path``, else None."""
    by = made_by.get(path)
    return by[1] if by is not None and by[0] >= k else None
