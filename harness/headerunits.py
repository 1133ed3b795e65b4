"""Where a header's entry point runs when the matrix's units are not in the user's tree: the .c files including it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

from harness.coverage import NO_TREE
from harness.matrix import Matrix
from harness.variants import Variant


def _names(header: str, c_path: str, bracket: str, named: str) -> bool:
    """Whether ``#include`` of ``named`` in ``c_path`` reads ``header``: ``<asm/x.h>`` a header under an
    ``include/`` folder (x86's kbuild include path: arch/x86/include, include); ``"x.h"`` the file beside it."""
    if bracket == "<":
        return header.endswith("include/" + named)
    return header == posixpath.normpath(posixpath.join(posixpath.dirname(c_path), named))


def header_homes(matrix: Matrix, variants: tuple[Variant, ...]) -> dict[str, tuple[str, ...]] | None:
    """Header path -> the .c files of the variants that include it (by path, sorted; those every variant holds,
    when some do), read from the tree; None
    when some variant is read from mail alone (a file no hunk shows may be anywhere) or holds a file at a path one
    of the matrix's units names: then a header's code runs in the matrix's units, as before.

    The bundled matrix's units are the P-SEAMLDR series' files (arch/x86/virt/vmx/tdx/tdx.c); a user's own tree
    without them ran a header's entry point nowhere ("not in linux at ..."), every rule on it inconclusive."""
    paths = {u.path for u in matrix.units if u.path}
    if not variants or any(v.base == NO_TREE for v in variants):
        return None
    if any(f.path in paths and not f.absent for v in variants for f in v.files):
        return None
    homes: dict[str, set[str]] = {}
    for v in variants:
        first = {now: old for old, now in v.moved}  # a renamed .c file's unit is at its first path (unit_at)
        for f in v.files:
            if not f.path.endswith(".c") or f.absent or not f.usable:
                continue
            for bracket, named in f.includes.values():  # as gcc reads them: '#inc\\' then 'lude "x.h"' too
                for h in v.files:
                    if bracket and h.path.endswith(".h") and _names(h.path, f.path, bracket, named.strip()):
                        homes.setdefault(h.path, set()).add(first.get(f.path, f.path))
    # Files every state holds first: one a patch creates (or removes) would leave the header's scenarios there
    # unrun in the states without it, never compared, where a file all of them hold runs them everywhere.
    everywhere = _held(variants[0])
    for v in variants[1:]:
        everywhere &= _held(v)
    return {h: tuple(sorted(cs & everywhere or cs)) for h, cs in homes.items()}


def _held(v: Variant) -> set[str]:
    """The usable files ``v`` holds, a renamed one at its first path."""
    first = {now: old for old, now in v.moved}
    return {first.get(f.path, f.path) for f in v.files if not f.absent and f.usable}


def held_units(matrix: Matrix, variants: tuple[Variant, ...]) -> frozenset[str] | None:
    """The names of the matrix's units whose file some variant holds, read from the tree; None when some variant is
    read from mail alone (a file no hunk shows may be there). A header's code runs in those alone: one no state nor
    the tree has (the bundled matrix's seamldr.c beside a user's tdx.c) runs nothing there."""
    if not variants or any(v.base == NO_TREE for v in variants):
        return None
    held = {f.path for v in variants for f in v.files if not f.absent}
    return frozenset(u.name for u in matrix.units if u.path in held)


def new_header_homes(variants: tuple[Variant, ...]) -> dict[str, tuple[str, ...]]:
    """From mail alone: header path -> the .c files that include it, directly or through other headers the series
    creates, for each header the series creates (whole in every variant holding it). A header that did not exist
    before can be included only where a patch adds the ``#include``, and an added line is one the hunks show: those
    .c files are all its homes. A .c file a patch renamed counts at its first path, where its unit is
    (harness.unitmoves.unit_at follows it). Left out (its code runs in every unit, as before): a header no .c file
    includes; one an existing header (or a file not C) includes, the files including that one not being in the mail;
    and every header when some known line includes a computed name (``#include FOO_H``: what it names is not read
    here) or a C file's text is not read.

    Before, a wrapper in a new header that only tdx.c includes also ran in the bundled matrix's seamldr.c, on an
    assumed pr_fmt of a file the series never has, its scenarios counted twice."""
    if not variants or any(v.base != NO_TREE for v in variants):
        return {}
    held = [f for v in variants for f in v.files if not f.absent]
    created = {f.path for f in held if f.path.endswith(".h") and f.complete}
    created -= {f.path for f in held if not f.complete}
    if not created or any(not f.usable and f.path.endswith((".c", ".h")) for f in held):
        return {}
    by: dict[str, set[str]] = {h: set() for h in created}  # header -> the files including it, at their first path
    for v in variants:
        first = {now: old for old, now in v.moved}
        for f in v.files:
            if f.absent or not f.usable:
                continue
            for bracket, named in f.includes.values():
                if not bracket:
                    return {}
                for h in created:
                    if _names(h, f.path, bracket, named.strip()):
                        by[h].add(first.get(f.path, f.path))
    homes = {h: _c_homes(h, by, created, set()) for h in sorted(created)}
    return {h: tuple(sorted(cs)) for h, cs in homes.items() if cs}


def _c_homes(header: str, by: dict[str, set[str]], created: set[str], seen: set[str]) -> set[str] | None:
    """The .c files including ``header``, through the created headers that include it too; None when some file
    other than a .c file or a created header includes it (or one of those): who includes that is not in the mail."""
    seen.add(header)
    out: set[str] = set()
    for path in by[header]:
        if path.endswith(".c"):
            out.add(path)
        elif path not in created:
            return None
        elif path not in seen:
            more = _c_homes(path, by, created, seen)
            if more is None:
                return None
            out |= more
    return out


# Files a header's name appears in that include nothing: prose beside the code.
_PROSE = (".rst", ".txt", ".md")


def unincluded(headers: Iterable[str], variants: tuple[Variant, ...],
               mentioning: Callable[[Variant, str], list[str] | None] | None = None) -> dict[str, str]:
    """Of ``headers`` (where entry points found in the code are defined), those no build compiles: no file of any
    variant names the header's file name as a word (an ``#include`` of it from any folder, whatever -I finds it
    through; a Makefile's ``-include``), no line includes a computed name, and, with a tree (``mentioning``: the
    files of the variant's base commit naming a word, harness.treenames.TreeSearch.mentioning), no file of it but
    the header and prose does either; header -> how that is known. From mail alone only a header the series creates
    can be told so: who includes one that was there before is not in the mail. Their code then runs in no unit
    (harness.norun: "not run"), where it ran in the matrix's units, results claimed for code no build compiles (a
    one-patch series adding a header alone: READY on its wrapper's runs)."""
    if not variants:
        return {}
    tree = all(v.base != NO_TREE for v in variants)
    if (not tree and any(v.base != NO_TREE for v in variants)) or (tree and mentioning is None):
        return {}
    held = [f for v in variants for f in v.files if not f.absent]
    created = {f.path for f in held if f.complete} - {f.path for f in held if not f.complete}
    if any(not bracket for f in held for bracket, _ in f.includes.values()):
        return {}  # '#include FOO_H': what it names is not read here
    out: dict[str, str] = {}
    for h in sorted(set(headers)):
        if not h.endswith(".h") or (not tree and h not in created):
            continue
        word = re.compile(rf"(?<![\w]){re.escape(posixpath.basename(h))}(?![\w])")
        if any(f.path != h and any(word.search(text) for text, _ in f.lines.values()) for f in held):
            continue
        if not tree:
            out[h] = "the series creates it, and no file of the mail names it"
            continue
        assert mentioning is not None
        found = [mentioning(v, posixpath.basename(h)) for v in variants]
        if any(x is None or any(p != h and not p.endswith(_PROSE) for p in x) for x in found):
            continue
        out[h] = "no file of the tree nor of the mail names it"
    return out
