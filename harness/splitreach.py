"""What a patch that ends a split rename makes its callers see: the headers it includes, what callers reach."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from harness.diffmodel import Hunk, LineKind, PatchedFile
from models.cdirectives import directives
from models.slicer import Definition, Kind

Table = Mapping[str, list[Definition]]

_DEPTH = 3  # definitions followed from a caller: a wrapper macro, the helper it names, the one that calls


def included_names(files: Iterable[PatchedFile], after: Table) -> set[str]:
    """Names ``after`` defines in the files that the added ``#include "..."`` lines of ``files`` name, each
    resolved against the including file's directory, as gcc looks a quoted include up first: a patch that switches
    its callers to a header's copies by including it names those copies this way (C11 6.10.2)."""
    wanted = set()
    for f in files:
        path = f.target_path or f.source_path or ""
        for h in f.hunks:
            for name in _added_includes(h):
                wanted.add(posixpath.normpath(posixpath.join(posixpath.dirname(path), name)))
    return {n for n, ds in after.items() if any(d.path in wanted for d in ds)} if wanted else set()


def _added_includes(h: Hunk) -> list[str]:
    """The names of the ``#include "..."`` directives an added line of ``h`` starts, read as gcc reads them
    (models.cdirectives) in the lines the hunk leaves: ``#inc\\`` then ``lude "x.h"``, ``# /* c */ include``."""
    side = [ln for ln in h.lines if ln.kind is not LineKind.REMOVED and ln.target_no is not None]
    added = {ln.target_no for ln in side if ln.kind is LineKind.ADDED}
    if not added:
        return []
    found = directives([(side[0].target_no or 0, [ln.text for ln in side])])
    return [got[1] for d in found if d.line in added and (got := d.included()) is not None and got[0] == '"']


def reaches(after: Table, start: str, target: str, depth: int = _DEPTH) -> bool:
    """Whether a function or macro ``start`` of ``after`` names ``target``, directly or through the functions and
    macros it names, at most ``depth`` definitions deep (a caller kept as a wrapper macro of a renamed helper:
    ``#define sc_retry_prerr(...) seamcall_retry_log(__VA_ARGS__)``, whose body calls the renamed printer)."""
    seen, todo = {start}, [start]
    for _ in range(depth):
        nxt = []
        for name in todo:
            for d in after.get(name, ()):
                if d.kind not in (Kind.FUNCTION, Kind.MACRO):
                    continue
                named = d.identifiers()
                if target in named:
                    return True
                nxt += [n for n in named if n not in seen and n in after]
                seen.update(named)
        todo = nxt
    return False
