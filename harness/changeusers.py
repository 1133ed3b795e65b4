"""The code that uses what a patch changes: a macro, constant or header helper's users, for choosing the matrix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from harness.model import Hunk, LineKind, Series
from harness.variants import Variant
from models.loader import sliced
from models.slicer import Definition, Kind


def changed_definitions(series: Series) -> set[str]:
    """The names of the definitions a .c/.h hunk of the series changes: each hunk's lines sliced as the slicer
    slices a file (its old side and its new side), a definition counted when a removed or added line is in it."""
    out: set[str] = set()
    for p in series.all_patches():
        for f in p.files:
            if f.path.endswith((".c", ".h")):
                for h in f.hunks:
                    out.update(_changed_in(f.path, h))
    return out


def _changed_in(path: str, hunk: Hunk) -> Iterator[str]:
    for side, start, kind in ((0, hunk.source_start, LineKind.REMOVED), (1, hunk.target_start, LineKind.ADDED)):
        lines = [ln for ln in hunk.lines if ln.kind is kind or ln.kind is LineKind.CONTEXT]
        numbers = {(ln.source_no, ln.target_no)[side] for ln in lines if ln.kind is kind}
        for d in sliced(path, start, tuple(ln.text for ln in lines)):
            span = range(d.line, d.line + d.text.count("\n") + 1)
            if d.kind is not Kind.PROTOTYPE and any(n in span for n in numbers):
                yield d.name


def users_of(changed: set[str], variants: Iterable[Variant]) -> set[str]:
    """Every definition of the states' .c/.h files that uses a changed name, directly or through another such
    user (a format macro used by a printer, the printer by the macro that calls it), as the parsed code says."""
    defs = [d for v in variants for f in v.files if f.path.endswith((".c", ".h")) and not f.absent
            for fr in f.fragments() for d in sliced(f.path, fr.start, fr.lines) if d.kind is not Kind.PROTOTYPE]
    return _fixpoint(changed, defs)


def _fixpoint(changed: set[str], defs: list[Definition]) -> set[str]:
    found: set[str] = set()
    reached = set(changed)
    while True:
        new = {d.name for d in defs if d.name not in reached and d.names_used() & reached}
        if not new:
            return found
        found |= new
        reached |= new
